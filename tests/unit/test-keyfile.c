/* test-keyfile.c — accounts as key files: storage, export and import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-account-keyfile.h"
#include "test-util.h"

#define FINGERPRINT_A \
  "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"
#define FINGERPRINT_A_LOWER \
  "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89"
#define FINGERPRINT_B \
  "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF"

#define MINIMAL \
  "[Account]\n" \
  "name=Biuro\n" \
  "email=biuro@gmail.com\n" \
  "incoming-host=imap.gmail.com\n" \
  "outgoing-host=smtp.gmail.com\n"

static GKeyFile *
key_file_from_data (const char *data)
{
  g_autoptr(GError) error = NULL;
  GKeyFile *key_file = g_key_file_new ();

  g_key_file_load_from_data (key_file, data, -1, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  return key_file;
}

/* Writes account to a group, through text, and reads it back. */
static SkAccount *
through_text (SkAccount  *account,
              const char *group,
              char      **text_out)
{
  g_autoptr(GKeyFile) written = g_key_file_new ();
  g_autoptr(GKeyFile) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SkAccount *result;

  sk_account_to_key_file (account, written, group);
  text = g_key_file_to_data (written, NULL, NULL);
  read = key_file_from_data (text);

  result = sk_account_from_key_file (read, group, sk_account_get_id (account), &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  if (text_out != NULL)
    *text_out = g_steal_pointer (&text);

  return result;
}

static void
assert_no_secrets (const char *text)
{
  g_assert_null (strstr (text, "secret"));
  g_assert_null (strstr (text, "password="));
}

static void
test_round_trip_group (void)
{
  g_autoptr(SkAccount) account = test_make_full_account ("Biuro");
  g_autoptr(SkAccount) read = NULL;
  g_autoptr(SkAccount) expected = NULL;
  g_autofree char *text = NULL;

  test_assert_all_changed (account);

  read = through_text (account, "Account 1234", &text);
  assert_no_secrets (text);
  /* The guide's ticks as step numbers, the way a person reads them. */
  g_assert_nonnull (strstr (text, "\nguide-steps=1;3;\n"));
  g_assert_nonnull (strstr (text, "\ncertificates=00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                                  "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF;"
                                  "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
                                  "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99;\n"));
  g_assert_nonnull (strstr (text, "\ndefault-certificate=AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:"
                                  "66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99\n"));
  g_assert_cmpstrv (sk_account_get_certificates (read), TEST_CERTIFICATES);
  g_assert_cmpstr (sk_account_get_default_certificate (read), ==, TEST_CERTIFICATES[1]);
  g_assert_cmpstr (sk_account_get_id (read), ==, sk_account_get_id (account));

  /* Everything comes back but the passwords, which never go into a file. */
  g_assert_cmpstr (sk_account_get_password (read), ==, "");
  g_assert_cmpstr (sk_account_get_outgoing_password (read), ==, "");
  expected = sk_account_copy (account);
  sk_account_set_password (expected, NULL);
  sk_account_set_outgoing_password (expected, NULL);
  g_assert_true (sk_account_equal (read, expected));

  /* The defaults come back as well (false, empty, no users). */
  {
    g_autoptr(SkAccount) plain = test_make_valid_account ("Plain");
    g_autoptr(SkAccount) plain_read = through_text (plain, "Account 5678", NULL);

    g_assert_true (sk_account_equal (plain_read, plain));
    g_assert_finalize_object (g_steal_pointer (&plain_read));
    g_assert_finalize_object (g_steal_pointer (&plain));
  }

  g_assert_finalize_object (g_steal_pointer (&read));
  g_assert_finalize_object (g_steal_pointer (&expected));
  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_rewrite_group (void)
{
  g_autoptr(SkAccount) full = test_make_full_account ("Biuro");
  g_autoptr(SkAccount) plain = test_make_valid_account ("Biuro");
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(SkAccount) read = NULL;
  g_autoptr(GError) error = NULL;

  /* Writing over a group leaves nothing of the earlier account behind
   * (here: the users, which are written only when there are some). */
  sk_account_to_key_file (full, key_file, "Account x");
  sk_account_to_key_file (plain, key_file, "Account x");
  g_assert_false (g_key_file_has_key (key_file, "Account x", "users", NULL));

  read = sk_account_from_key_file (key_file, "Account x", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sk_account_equal (read, plain));

  g_assert_finalize_object (g_steal_pointer (&read));
  g_assert_finalize_object (g_steal_pointer (&full));
  g_assert_finalize_object (g_steal_pointer (&plain));
}

static void
test_export_format (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) groups = NULL;
  const char *lines[] = {
    "name=Biuro",
    "full-name=Firma Sp. z o.o.",
    "email=biuro@gmail.com",
    "type=imap",
    "incoming-host=imap.gmail.com",
    "incoming-port=993",
    "incoming-security=ssl",
    "username=biuro@gmail.com",
    "outgoing-host=smtp.gmail.com",
    "outgoing-port=465",
    "outgoing-security=ssl",
    "outgoing-auth=true",
    "timeout=60",
    "incoming-auth=auto",
    "outgoing-auth-method=auto",
    "leave-copy=true",
    "delete-with-deleted=false",
    "outgoing-same-login=true",
    "incoming-plain-confirmed=false",
    "outgoing-plain-confirmed=false",
    "outgoing-username=",
    "sign=false",
    "inactive=false",
  };

  /* The example of DESIGN.md, line for line. */
  sk_account_set_full_name (account, "Firma Sp. z o.o.");
  sk_account_set_email (account, "biuro@gmail.com");
  sk_account_set_incoming_host (account, "imap.gmail.com");
  sk_account_set_username (account, "biuro@gmail.com");
  sk_account_set_outgoing_host (account, "smtp.gmail.com");
  sk_account_set_password (account, "abcdabcdabcdabcd");

  text = sk_account_export (account);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autofree char *line = g_strdup_printf ("\n%s\n", lines[i]);

      if (strstr (text, line) == NULL)
        g_error ("the export has no line “%s”:\n%s", lines[i], text);
    }

  g_assert_null (strstr (text, "abcdabcdabcdabcd"));
  g_assert_null (strstr (text, "password="));
  g_assert_null (strstr (text, sk_account_get_id (account)));
  /* Nothing ticked, no certificates: no line for them. */
  g_assert_null (strstr (text, "guide-steps"));
  g_assert_null (strstr (text, "\ncertificates="));
  g_assert_null (strstr (text, "default-certificate"));

  key_file = key_file_from_data (text);
  groups = g_key_file_get_groups (key_file, NULL);
  g_assert_cmpuint (g_strv_length (groups), ==, 1);
  g_assert_cmpstr (groups[0], ==, SK_EXPORT_GROUP);
  g_assert_cmpstr (SK_EXPORT_GROUP, ==, "Account");

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_round_trip_export (void)
{
  g_autoptr(SkAccount) account = test_make_full_account ("Biuro");
  g_autoptr(SkAccount) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  g_key_file_set_string (sk_account_get_unknown_keys (account), SK_EXPORT_GROUP,
                         "x-future", "kept");

  text = sk_account_export (account);
  assert_no_secrets (text);
  path = test_write_file ("biuro.conf", text);

  imported = sk_account_import_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);

  /* A new account: its own id, no password; otherwise the same. */
  g_assert_cmpstr (sk_account_get_id (imported), !=, sk_account_get_id (account));
  g_assert_true (g_uuid_string_is_valid (sk_account_get_id (imported)));
  g_assert_cmpstr (sk_account_get_password (imported), ==, "");
  sk_account_set_password (account, NULL);
  sk_account_set_outgoing_password (account, NULL);
  g_assert_true (sk_account_equal (imported, account));

  g_assert_finalize_object (g_steal_pointer (&imported));
  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_defaults (void)
{
  g_autoptr(GKeyFile) key_file = key_file_from_data (MINIMAL);
  g_autoptr(SkAccount) read = NULL;
  g_autoptr(SkAccount) expected = sk_account_new ();
  g_autoptr(GError) error = NULL;

  read = sk_account_from_key_file (key_file, "Account", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (sk_account_get_id (read)));

  sk_account_set_name (expected, "Biuro");
  sk_account_set_email (expected, "biuro@gmail.com");
  sk_account_set_incoming_host (expected, "imap.gmail.com");
  sk_account_set_outgoing_host (expected, "smtp.gmail.com");
  g_assert_true (sk_account_equal (read, expected));

  g_assert_finalize_object (g_steal_pointer (&read));
  g_assert_finalize_object (g_steal_pointer (&expected));
}

static void
test_missing_required (void)
{
  const char *required[] = { "name", "email", "incoming-host", "outgoing-host" };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autoptr(GKeyFile) key_file = key_file_from_data (MINIMAL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SkAccount) read = NULL;
      g_autofree char *prefix = g_strdup_printf ("%s: ", required[i]);

      g_key_file_remove_key (key_file, "Account", required[i], NULL);
      read = sk_account_from_key_file (key_file, "Account", NULL, &error);
      g_assert_null (read);
      g_assert_error (error, SK_KEYFILE_ERROR, SK_KEYFILE_ERROR_MISSING_KEY);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_nonnull (strstr (error->message, "missing"));
    }
}

static void
test_no_group (void)
{
  g_autoptr(GKeyFile) key_file = key_file_from_data ("[Something]\nname=x\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAccount) read = NULL;

  read = sk_account_from_key_file (key_file, "Account", NULL, &error);
  g_assert_null (read);
  g_assert_error (error, SK_KEYFILE_ERROR, SK_KEYFILE_ERROR_NO_ACCOUNT);
}

static void
test_unknown_keys (void)
{
  g_autoptr(GKeyFile) key_file = key_file_from_data (MINIMAL
                                                     "x-future=42\n"
                                                     "list-of-things=a\\;b;c;\n");
  g_autoptr(GKeyFile) written = g_key_file_new ();
  g_autoptr(SkAccount) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *future = NULL;
  g_autofree char *list = NULL;
  g_auto(GStrv) unknown = NULL;

  read = sk_account_from_key_file (key_file, "Account", NULL, &error);
  g_assert_no_error (error);

  unknown = g_key_file_get_keys (sk_account_get_unknown_keys (read), SK_EXPORT_GROUP, NULL, NULL);
  g_assert_cmpuint (g_strv_length (unknown), ==, 2);

  /* Written back exactly, into whatever group the account goes. */
  sk_account_to_key_file (read, written, "Account abc");
  future = g_key_file_get_value (written, "Account abc", "x-future", NULL);
  list = g_key_file_get_value (written, "Account abc", "list-of-things", NULL);
  g_assert_cmpstr (future, ==, "42");
  g_assert_cmpstr (list, ==, "a\\;b;c;");

  /* Known keys are not doubled as unknown ones. */
  g_assert_false (g_key_file_has_key (sk_account_get_unknown_keys (read), SK_EXPORT_GROUP,
                                      "name", NULL));

  g_assert_finalize_object (g_steal_pointer (&read));
}

/* A line ending in CR CR LF: the export must not change on a second pass. */
static void
test_unknown_key_cr (void)
{
  g_autoptr(GKeyFile) key_file = key_file_from_data (MINIMAL
                                                     "x-note=v\r\r\n"
                                                     "x-more=w \r\r\r\n");
  g_autoptr(GKeyFile) again = NULL;
  g_autoptr(SkAccount) read = NULL;
  g_autoptr(SkAccount) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *note = NULL;
  g_autofree char *more = NULL;

  read = sk_account_from_key_file (key_file, "Account", NULL, &error);
  g_assert_no_error (error);
  first = sk_account_export (read);

  again = key_file_from_data (first);
  reread = sk_account_from_key_file (again, SK_EXPORT_GROUP, NULL, &error);
  g_assert_no_error (error);
  second = sk_account_export (reread);
  g_assert_cmpstr (first, ==, second);

  note = g_key_file_get_value (again, SK_EXPORT_GROUP, "x-note", NULL);
  more = g_key_file_get_value (again, SK_EXPORT_GROUP, "x-more", NULL);
  g_assert_cmpstr (note, ==, "v");
  g_assert_cmpstr (more, ==, "w ");

  g_assert_finalize_object (g_steal_pointer (&read));
  g_assert_finalize_object (g_steal_pointer (&reread));
}

static void
test_certificates (void)
{
  const char * const both[] = { FINGERPRINT_A, FINGERPRINT_B, NULL };
  const char * const only_a[] = { FINGERPRINT_A, NULL };
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  g_autoptr(SkAccount) read = NULL;
  g_autofree char *text = NULL;

  sk_account_set_certificates (account, both);
  sk_account_set_default_certificate (account, FINGERPRINT_B);

  /* Removing the default certificate leaves none chosen. */
  sk_account_set_certificates (account, only_a);
  g_assert_cmpstrv (sk_account_get_certificates (account), only_a);
  g_assert_cmpstr (sk_account_get_default_certificate (account), ==, "");

  /* A default that is not listed is not written: the file would not load. */
  sk_account_set_default_certificate (account, FINGERPRINT_B);
  read = through_text (account, "Account 1", &text);
  g_assert_null (strstr (text, "default-certificate"));
  g_assert_cmpstrv (sk_account_get_certificates (read), only_a);
  g_assert_cmpstr (sk_account_get_default_certificate (read), ==, "");
  g_assert_finalize_object (g_steal_pointer (&read));
  g_clear_pointer (&text, g_free);

  /* No certificates: no lines, and an empty list reads as none. */
  sk_account_set_certificates (account, NULL);
  g_assert_nonnull (sk_account_get_certificates (account));
  g_assert_null (sk_account_get_certificates (account)[0]);
  read = through_text (account, "Account 1", &text);
  g_assert_null (strstr (text, "\ncertificates="));
  g_assert_null (strstr (text, "default-certificate"));
  g_assert_true (sk_account_equal (read, account));
  g_assert_finalize_object (g_steal_pointer (&read));

  {
    g_autoptr(GKeyFile) empty = key_file_from_data (MINIMAL "certificates=\n"
                                                    "default-certificate=\n");
    g_autoptr(GError) error = NULL;

    read = sk_account_from_key_file (empty, "Account", NULL, &error);
    g_assert_no_error (error);
    g_assert_null (sk_account_get_certificates (read)[0]);
    g_assert_cmpstr (sk_account_get_default_certificate (read), ==, "");
    g_assert_finalize_object (g_steal_pointer (&read));
  }

  g_assert_finalize_object (g_steal_pointer (&account));
}

typedef struct
{
  const char *line;      /* replaces or adds a key in MINIMAL */
  const char *message;   /* the whole message, or its start when it ends with "…" */
} BadValue;

static void
test_bad_values (void)
{
  const BadValue cases[] = {
    { "incoming-port=abc", "incoming-port: “abc” is not a port number from 1 to 65535" },
    { "incoming-port=0", "incoming-port: “0” is not a port number from 1 to 65535" },
    { "incoming-port=65536", "incoming-port: “65536” is not a port number from 1 to 65535" },
    { "outgoing-port=-25", "outgoing-port: “-25” is not a port number from 1 to 65535" },
    { "outgoing-port=", "outgoing-port: “” is not a port number from 1 to 65535" },
    { "timeout=4", "timeout: “4” is not a number of seconds from 5 to 600" },
    { "timeout=ten", "timeout: “ten” is not a number of seconds from 5 to 600" },
    { "type=smtp", "type: “smtp” is not one of imap, pop3" },
    { "incoming-security=tls", "incoming-security: “tls” is not one of ssl, starttls, none" },
    { "outgoing-security=SSL", "outgoing-security: “SSL” is not one of ssl, starttls, none" },
    { "incoming-auth=xoauth2",
      "incoming-auth: “xoauth2” is not one of auto, plain, login, cram-md5, digest-md5, ntlm, "
      "oauth2" },
    { "outgoing-auth-method=gssapi",
      "outgoing-auth-method: “gssapi” is not one of auto, plain, login, cram-md5, digest-md5, "
      "ntlm, oauth2" },
    { "oauth2-provider=Microsoft",
      "oauth2-provider: “Microsoft” is not a provider name (lower-case letters, digits and "
      "dashes)" },
    { "oauth2-provider=../google", "oauth2-provider: …" },
    { "sign=yes", "sign: “yes” is not true or false" },
    { "inactive=2", "inactive: “2” is not true or false" },
    { "incoming-plain-confirmed=on", "incoming-plain-confirmed: “on” is not true or false" },
    { "leave-copy=maybe", "leave-copy: “maybe” is not true or false" },
    { "delete-with-deleted=", "delete-with-deleted: “” is not true or false" },
    { "outgoing-auth=TRUE!", "outgoing-auth: “TRUE!” is not true or false" },
    { "outgoing-plain-confirmed=nie", "outgoing-plain-confirmed: “nie” is not true or false" },
    { "outgoing-same-login=t", "outgoing-same-login: “t” is not true or false" },
    { "name=Biuro\\q", "name: …" },
    { "full-name=\\", "full-name: …" },
    { "username=a\\xb", "username: …" },
    { "outgoing-username=\\z", "outgoing-username: …" },
    { "users=A;B;\nuser-names=Anna;\n", "user-names: …" },
    { "users=A;B;\nuser-owners=C;\n", "user-owners: “C” is not one of the codes in users" },
    { "user-owners=A;\n", "user-owners: “A” is not one of the codes in users" },
    { "users=A;B;\nuser-default=C\n", "user-default: “C” is not one of the codes in users" },
    { "password=abcdabcdabcdabcd",
      "password: passwords are not kept in files; remove this line and enter the password in the program" },
    { "outgoing-password=abcdabcdabcdabcd", "outgoing-password: …" },
    { "incoming-pinned-certificate=AB:CD",
      "incoming-pinned-certificate: “AB:CD” is not a SHA-256 fingerprint …" },
    { "outgoing-pinned-certificate="
      "0G:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
      "outgoing-pinned-certificate: …" },
    { "guide-steps=6", "guide-steps: “6” is not a step number from 1 to 5" },
    { "guide-steps=0", "guide-steps: “0” is not a step number from 1 to 5" },
    { "guide-steps=1;two;", "guide-steps: “two” is not a step number from 1 to 5" },
    { "guide-steps=1;;2", "guide-steps: “” is not a step number from 1 to 5" },
    { "guide-steps=-1", "guide-steps: “-1” is not a step number from 1 to 5" },
    { "guide-steps=\\q", "guide-steps: …" },
    { "certificates=AB:CD;", "certificates: “AB:CD” is not a SHA-256 fingerprint …" },
    { "certificates=;", "certificates: “” is not a SHA-256 fingerprint …" },
    { "certificates=" FINGERPRINT_A ";" FINGERPRINT_B ";" FINGERPRINT_A_LOWER ";",
      "certificates: “" FINGERPRINT_A_LOWER "” is in the list twice" },
    { "certificates=\\q", "certificates: …" },
    { "default-certificate=" FINGERPRINT_A,
      "default-certificate: “" FINGERPRINT_A "” is not one of the fingerprints in certificates" },
    { "certificates=" FINGERPRINT_B ";\ndefault-certificate=" FINGERPRINT_A,
      "default-certificate: “" FINGERPRINT_A "” is not one of the fingerprints in certificates" },
    { "certificates=" FINGERPRINT_B ";\ndefault-certificate=AB:CD",
      "default-certificate: “AB:CD” is not one of the fingerprints in certificates" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *data = g_strconcat (MINIMAL, cases[i].line, "\n", NULL);
      g_autoptr(GKeyFile) key_file = key_file_from_data (data);
      g_autoptr(GError) error = NULL;
      g_autoptr(SkAccount) read = NULL;

      read = sk_account_from_key_file (key_file, "Account", NULL, &error);
      if (read != NULL)
        g_error ("“%s” was accepted", cases[i].line);
      g_assert_error (error, SK_KEYFILE_ERROR, SK_KEYFILE_ERROR_INVALID_VALUE);

      if (g_str_has_suffix (cases[i].message, "…"))
        {
          g_autofree char *prefix = g_strndup (cases[i].message,
                                               strlen (cases[i].message) - strlen ("…"));

          if (!g_str_has_prefix (error->message, prefix))
            g_error ("“%s”: the message “%s” does not start with “%s”",
                     cases[i].line, error->message, prefix);
        }
      else
        {
          g_assert_cmpstr (error->message, ==, cases[i].message);
        }

      /* Never repeat a password back, even in an error. */
      g_assert_null (strstr (error->message, "abcdabcdabcdabcd"));
    }
}

static void
test_good_values (void)
{
  g_autoptr(GKeyFile) key_file = key_file_from_data (MINIMAL
                                                     "type=pop3\n"
                                                     "incoming-port=1\n"
                                                     "outgoing-port=65535\n"
                                                     "timeout=5\n"
                                                     "sign=true\n"
                                                     "inactive=1\n"
                                                     "users=A;B\\;C;D;\n"
                                                     "user-names=Anna;Bea\\;Cecylia;;\n"
                                                     "user-owners=A;D;\n"
                                                     "user-default=B;C\n"
                                                     "incoming-pinned-certificate=ab:cd:ef:01:23:45:67:89:"
                                                     "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:"
                                                     "ab:cd:ef:01:23:45:67:89\n"
                                                     "outgoing-pinned-certificate=\n"
                                                     "guide-steps=5;1;1\n"
                                                     "certificates=" FINGERPRINT_B ";"
                                                     FINGERPRINT_A_LOWER "\n"
                                                     "default-certificate=" FINGERPRINT_A_LOWER "\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAccount) read = NULL;
  GListModel *users;
  const struct
  {
    const char *code;
    const char *name;
    gboolean    owner;
    gboolean    is_default;
  } expected[] = {
    { "A", "Anna", TRUE, FALSE },
    { "B;C", "Bea;Cecylia", FALSE, TRUE },
    { "D", "", TRUE, FALSE },
  };

  read = sk_account_from_key_file (key_file, "Account", NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sk_account_get_account_type (read), ==, SK_ACCOUNT_TYPE_POP3);
  g_assert_cmpuint (sk_account_get_incoming_port (read), ==, 1);
  g_assert_cmpuint (sk_account_get_outgoing_port (read), ==, 65535);
  g_assert_cmpuint (sk_account_get_timeout (read), ==, 5);
  g_assert_true (sk_account_get_sign (read));
  g_assert_true (sk_account_get_inactive (read));
  /* Fingerprints are kept in the upper case the connection test compares. */
  g_assert_cmpstr (sk_account_get_incoming_pinned_certificate (read), ==,
                   "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                   "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89");
  g_assert_cmpstr (sk_account_get_outgoing_pinned_certificate (read), ==, "");
  /* In any order, repeats harmless. */
  g_assert_cmpuint (sk_account_get_guide_steps (read), ==, (1 << 4) | (1 << 0));
  /* Signing certificates in the order listed, in upper case like the
   * fingerprints the store names them by. */
  {
    const char * const certificates[] = { FINGERPRINT_B, FINGERPRINT_A, NULL };

    g_assert_cmpstrv (sk_account_get_certificates (read), certificates);
    g_assert_cmpstr (sk_account_get_default_certificate (read), ==, FINGERPRINT_A);
  }

  /* An empty list: nothing ticked. */
  {
    g_autoptr(GKeyFile) none = key_file_from_data (MINIMAL "guide-steps=\n");
    g_autoptr(SkAccount) none_read = sk_account_from_key_file (none, "Account", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (sk_account_get_guide_steps (none_read), ==, 0);
    g_assert_finalize_object (g_steal_pointer (&none_read));
  }

  users = G_LIST_MODEL (sk_account_get_users (read));
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(SkAccountUser) user = g_list_model_get_item (users, i);

      g_assert_cmpstr (sk_account_user_get_code (user), ==, expected[i].code);
      g_assert_cmpstr (sk_account_user_get_full_name (user), ==, expected[i].name);
      g_assert_cmpint (sk_account_user_get_owner (user), ==, expected[i].owner);
      g_assert_cmpint (sk_account_user_get_is_default (user), ==, expected[i].is_default);
    }

  g_assert_finalize_object (g_steal_pointer (&read));
}

typedef struct
{
  const char *lines;  /* added to a valid export */
  const char *key;    /* the key the first problem must name */
} ImportCase;

static void
test_import_errors (void)
{
  const char *taken[] = { "Kadry", "biuro", NULL };
  const ImportCase cases[] = {
    { "email=biuro@gmail", "email" },
    { "name=", "name" },
    { "incoming-host=imap gmail.com", "incoming-host" },
    { "outgoing-host=", "outgoing-host" },
    { "username=", "username" },
    { "incoming-security=none", "incoming-security" },
    { "outgoing-security=none", "outgoing-security" },
    { "outgoing-same-login=false", "outgoing-username" },
    { "users=A;A;\nuser-names=x;y;", "users" },
    { "full-name=Firma\\nBcc: x@example.com", "full-name" },
    { "incoming-port=abc", "incoming-port" },
    { "password=abc", "password" },
    { "incoming-auth=oauth2", "oauth2-provider" },
    { "incoming-auth=oauth2\noauth2-provider=no-such-provider", "oauth2-provider" },
    { "outgoing-auth-method=oauth2\noauth2-provider=", "oauth2-provider" },
    /* Two problems: the one met first on the tabs is named. */
    { "email=x\noutgoing-host=", "email" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *data = g_strconcat (MINIMAL "username=biuro@gmail.com\n",
                                           cases[i].lines, "\n", NULL);
      g_autofree char *path = test_write_file ("import.conf", data);
      g_autofree char *prefix = g_strdup_printf ("%s: ", cases[i].key);
      g_autoptr(GError) error = NULL;
      g_autoptr(SkAccount) imported = NULL;

      imported = sk_account_import_file (path, NULL, &error);
      if (imported != NULL)
        g_error ("“%s” was imported", cases[i].lines);
      g_assert_true (error->domain == SK_KEYFILE_ERROR);
      if (!g_str_has_prefix (error->message, prefix))
        g_error ("“%s”: the message “%s” does not name “%s”",
                 cases[i].lines, error->message, cases[i].key);
      g_assert_null (strchr (error->message, '\n'));
    }

  /* The name must not be one already saved. */
  {
    g_autofree char *path = test_write_file ("import.conf", MINIMAL "username=biuro@gmail.com\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(SkAccount) imported = NULL;

    imported = sk_account_import_file (path, taken, &error);
    g_assert_null (imported);
    g_assert_error (error, SK_KEYFILE_ERROR, SK_KEYFILE_ERROR_INVALID_VALUE);
    g_assert_true (g_str_has_prefix (error->message, "name: "));
    g_clear_error (&error);

    imported = sk_account_import_file (path, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (imported);
    g_assert_finalize_object (g_steal_pointer (&imported));
  }
}

/* A Microsoft 365 account signing in with the provider on both servers:
 * the key file names the method and the provider, and holds no token. */
static void
test_oauth2 (void)
{
  g_autoptr(SkAccount) account = NULL;
  g_autoptr(SkAccount) read = NULL;
  g_autoptr(SkServer) incoming = NULL;
  g_autoptr(SkServer) outgoing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *path = NULL;

  path = test_write_file ("m365.conf",
                          "[Account]\n"
                          "name=Biuro\n"
                          "email=biuro@firma.onmicrosoft.com\n"
                          "incoming-host=outlook.office365.com\n"
                          "incoming-auth=oauth2\n"
                          "username=biuro@firma.onmicrosoft.com\n"
                          "outgoing-host=smtp.office365.com\n"
                          "outgoing-port=587\n"
                          "outgoing-security=starttls\n"
                          "outgoing-auth-method=oauth2\n"
                          "oauth2-provider=microsoft\n");
  account = sk_account_import_file (path, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sk_account_get_incoming_auth_method (account), ==, SK_AUTH_METHOD_OAUTH2);
  g_assert_cmpint (sk_account_get_outgoing_auth_method (account), ==, SK_AUTH_METHOD_OAUTH2);
  g_assert_cmpstr (sk_account_get_oauth2_provider (account), ==, "microsoft");
  g_assert_true (sk_account_uses_oauth2 (account));
  /* No password is asked for: the sign-in's token takes its place. */
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_LOGIN), ==, SK_N_FIELDS);
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_SEND), ==, SK_N_FIELDS);

  incoming = sk_account_dup_server (account, SK_TEST_SIDE_INCOMING);
  outgoing = sk_account_dup_server (account, SK_TEST_SIDE_OUTGOING);
  g_assert_cmpstr (incoming->oauth2_provider, ==, "microsoft");
  g_assert_cmpstr (outgoing->oauth2_provider, ==, "microsoft");
  g_assert_cmpstr (incoming->username, ==, "biuro@firma.onmicrosoft.com");
  g_assert_cmpstr (incoming->password, ==, "");

  /* Storage and export keep all of it. */
  read = through_text (account, "Account 1", &text);
  g_assert_nonnull (strstr (text, "\nincoming-auth=oauth2\n"));
  g_assert_nonnull (strstr (text, "\noutgoing-auth-method=oauth2\n"));
  g_assert_nonnull (strstr (text, "\noauth2-provider=microsoft\n"));
  g_assert_true (sk_account_equal (read, account));

  exported = sk_account_export (account);
  g_assert_nonnull (strstr (exported, "\noauth2-provider=microsoft\n"));

  /* A password left in the field is not a problem, not even a broken one. */
  sk_account_set_password (account, "line\nbreak");
  {
    g_autoptr(GPtrArray) problems = sk_account_validate (account, NULL);

    g_assert_cmpuint (problems->len, ==, 0);
  }
}

static void
test_import_bad_files (void)
{
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "missing.conf", NULL);
  g_autofree char *garbage = test_write_file ("garbage.conf", "this is not a key file\n");
  g_autofree char *store = test_write_file ("store.conf",
                                            "[Account 1234]\n"
                                            "name=Biuro\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAccount) imported = NULL;

  imported = sk_account_import_file (missing, NULL, &error);
  g_assert_null (imported);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  imported = sk_account_import_file (garbage, NULL, &error);
  g_assert_null (imported);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE);
  g_clear_error (&error);

  /* The store's own file is not an export. */
  imported = sk_account_import_file (store, NULL, &error);
  g_assert_null (imported);
  g_assert_error (error, SK_KEYFILE_ERROR, SK_KEYFILE_ERROR_NO_ACCOUNT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sk/keyfile/round-trip-group", test_round_trip_group);
  g_test_add_func ("/sk/keyfile/rewrite-group", test_rewrite_group);
  g_test_add_func ("/sk/keyfile/export-format", test_export_format);
  g_test_add_func ("/sk/keyfile/round-trip-export", test_round_trip_export);
  g_test_add_func ("/sk/keyfile/defaults", test_defaults);
  g_test_add_func ("/sk/keyfile/missing-required", test_missing_required);
  g_test_add_func ("/sk/keyfile/no-group", test_no_group);
  g_test_add_func ("/sk/keyfile/unknown-keys", test_unknown_keys);
  g_test_add_func ("/sk/keyfile/unknown-key-cr", test_unknown_key_cr);
  g_test_add_func ("/sk/keyfile/bad-values", test_bad_values);
  g_test_add_func ("/sk/keyfile/good-values", test_good_values);
  g_test_add_func ("/sk/keyfile/certificates", test_certificates);
  g_test_add_func ("/sk/keyfile/import-errors", test_import_errors);
  g_test_add_func ("/sk/keyfile/oauth2", test_oauth2);
  g_test_add_func ("/sk/keyfile/import-bad-files", test_import_bad_files);

  return g_test_run ();
}
