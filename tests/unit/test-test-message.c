/* test-test-message.c — the test message: its headers, its text, and its
 * S/MIME signature, checked with OpenSSL against the test CA
 *
 * The signing certificates come from tests/unit/certs.py, made with the
 * openssl command for each run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/sk-certificate-private.h"
#include "core/sk-test-message.h"
#include "test-util.h"

#define PASSWORD "tajne hasło"
#define ADDRESS "biuro@firma.example"

/* The fixtures: certs.py's files. */
static char *folder;

static char *
fixture_path (const char *name)
{
  return g_build_filename (folder, name, NULL);
}

static SkCertificate *
load_certificate (const char *name,
                  const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (name);
  SkCertificate *certificate = sk_certificate_new_from_file (path, password, &error);

  g_assert_no_error (error);
  return certificate;
}

static SkAccount *
make_account (const char *full_name)
{
  SkAccount *account = test_make_valid_account ("Biuro");

  sk_account_set_email (account, ADDRESS);
  sk_account_set_full_name (account, full_name);
  return account;
}

/* 3 March 2026, 14:05, an hour east of Greenwich. */
static GDateTime *
test_date (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (3600);

  return g_date_time_new (zone, 2026, 3, 3, 14, 5, 0);
}

static char *
build (SkAccount     *account,
       SkCertificate *signer,
       char         **message_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) date = test_date ();
  g_autoptr(GBytes) message = sk_test_message_build (account, signer, date, message_id, &error);
  gsize length;
  const char *data;

  g_assert_no_error (error);
  g_assert_nonnull (message);

  data = g_bytes_get_data (message, &length);
  g_assert_null (memchr (data, '\0', length));
  return g_strndup (data, length);
}

/* Every line ends in CRLF, no CR or LF stands alone, no line is longer
 * than RFC 5322 allows, and all of it is 7-bit. */
static void
assert_wire_form (const char *message)
{
  gsize line_length = 0;

  g_assert_true (g_str_has_suffix (message, "\r\n"));
  for (const char *p = message; *p != '\0'; p++)
    {
      g_assert_cmpint ((unsigned char) *p, <, 0x80);
      if (*p == '\r')
        {
          g_assert_cmpint (p[1], ==, '\n');
        }
      else if (*p == '\n')
        {
          g_assert_true (p > message && p[-1] == '\r');
          line_length = 0;
          continue;
        }
      else
        {
          line_length++;
        }
      g_assert_cmpuint (line_length, <=, 998);
    }
}

/* The header block: everything before the first empty line. */
static char *
header_block (const char *message)
{
  const char *end = strstr (message, "\r\n\r\n");

  g_assert_nonnull (end);
  return g_strndup (message, end - message + 2);
}

static const char *
body_of (const char *message)
{
  const char *end = strstr (message, "\r\n\r\n");

  g_assert_nonnull (end);
  return end + 4;
}

/* The value of a header in block, unfolded, or NULL. */
static char *
header (const char *block,
        const char *name)
{
  g_auto(GStrv) lines = g_strsplit (block, "\r\n", -1);
  GString *value = NULL;
  gsize name_length = strlen (name);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (value != NULL && (lines[i][0] == ' ' || lines[i][0] == '\t'))
        {
          g_string_append (value, lines[i]);
          continue;
        }
      if (value != NULL)
        break;
      if (g_ascii_strncasecmp (lines[i], name, name_length) == 0 && lines[i][name_length] == ':')
        value = g_string_new (lines[i] + name_length + 1);
    }

  return value != NULL ? g_strstrip (g_string_free (value, FALSE)) : NULL;
}

/* RFC 2047 decoded: each =?UTF-8?B?…?= word as its text; the white space
 * between two words goes, other text stays. */
static char *
decode_words (const char *value)
{
  g_autoptr(GRegex) word = g_regex_new ("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=(\\s+(?==\\?))?",
                                        0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GString *text = g_string_new (NULL);
  int last = 0;
  int start;
  int end;

  g_regex_match (word, value, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *encoded = g_match_info_fetch (match, 1);
      g_autofree guchar *decoded = NULL;
      gsize length;

      g_match_info_fetch_pos (match, 0, &start, &end);
      g_string_append_len (text, value + last, start - last);
      decoded = g_base64_decode (encoded, &length);
      g_string_append_len (text, (const char *) decoded, length);
      last = end;
      g_match_info_next (match, NULL);
    }
  g_string_append (text, value + last);

  return g_string_free (text, FALSE);
}

/* Quoted-printable (RFC 2045) decoded, CRLF back to LF. */
static char *
decode_quoted_printable (const char *body)
{
  GString *text = g_string_new (NULL);

  for (const char *p = body; *p != '\0'; p++)
    {
      if (p[0] == '=' && p[1] == '\r' && p[2] == '\n')
        {
          p += 2;
        }
      else if (p[0] == '=')
        {
          g_assert_true (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]));
          g_string_append_c (text, g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]));
          p += 2;
        }
      else if (p[0] != '\r')
        {
          g_string_append_c (text, *p);
        }
    }

  return g_string_free (text, FALSE);
}

static void
assert_qp_lines (const char *body)
{
  g_auto(GStrv) lines = g_strsplit (body, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 76);
      /* A space at the end would be lost on the way. */
      g_assert_false (g_str_has_suffix (lines[i], " "));
    }
}

static void
test_unsigned (void)
{
  g_autoptr(SkAccount) account = make_account ("Zażółć Gęślą");
  g_autofree char *message_id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *message = build (account, NULL, &message_id);
  g_autofree char *block = header_block (message);
  g_autofree char *date = header (block, "Date");
  g_autofree char *from = header (block, "From");
  g_autofree char *to = header (block, "To");
  g_autofree char *subject = header (block, "Subject");
  g_autofree char *id = header (block, "Message-ID");
  g_autofree char *version = header (block, "MIME-Version");
  g_autofree char *type = header (block, "Content-Type");
  g_autofree char *encoding = header (block, "Content-Transfer-Encoding");
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *text = NULL;

  /* Only the second message's Message-ID matters. */
  g_free (build (account, NULL, &other_id));
  assert_wire_form (message);

  g_assert_cmpstr (date, ==, "Tue, 3 Mar 2026 14:05:00 +0100");
  g_assert_true (g_str_has_prefix (from, "=?UTF-8?B?"));
  from_text = decode_words (from);
  g_assert_cmpstr (from_text, ==, "Zażółć Gęślą <" ADDRESS ">");
  to_text = decode_words (to);
  g_assert_cmpstr (to_text, ==, "Zażółć Gęślą <" ADDRESS ">");
  g_assert_cmpstr (subject, ==, "Skrzynka test message");
  g_assert_cmpstr (version, ==, "1.0");
  g_assert_cmpstr (type, ==, "text/plain; charset=UTF-8");
  g_assert_cmpstr (encoding, ==, "quoted-printable");

  /* The id returned is the one in the message, on the address's domain,
   * and new for each message. */
  g_assert_cmpstr (id, ==, message_id);
  g_assert_true (g_str_has_prefix (message_id, "<"));
  g_assert_true (g_str_has_suffix (message_id, "@firma.example>"));
  g_assert_cmpstr (other_id, !=, message_id);

  assert_qp_lines (body_of (message));
  text = decode_quoted_printable (body_of (message));
  g_assert_nonnull (strstr (text, "test message sent from the Account properties"));
  g_assert_nonnull (strstr (text, "Account: Biuro\n"));
  g_assert_nonnull (strstr (text, "It is not signed."));
  g_assert_true (g_utf8_validate (text, -1, NULL));

  g_assert_finalize_object (g_steal_pointer (&account));
}

/* A display name goes as it is when it can, quoted when it has
 * punctuation, encoded when it is not ASCII, and not at all when empty. */
static void
test_names (void)
{
  const struct
  {
    const char *full_name;
    const char *from;
  } cases[] = {
    { "Jan Kowalski", "Jan Kowalski <" ADDRESS ">" },
    { "Firma Sp. z o.o.", "\"Firma Sp. z o.o.\" <" ADDRESS ">" },
    { "Biuro \"Centrum\" \\ Kadry", "\"Biuro \\\"Centrum\\\" \\\\ Kadry\" <" ADDRESS ">" },
    { "", "<" ADDRESS ">" },
    { "   ", "<" ADDRESS ">" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SkAccount) account = make_account (cases[i].full_name);
      g_autofree char *message = build (account, NULL, NULL);
      g_autofree char *block = header_block (message);
      g_autofree char *from = header (block, "From");

      g_assert_cmpstr (from, ==, cases[i].from);
    }
}

/* A long name takes several encoded words of at most 75 characters each,
 * on folded lines, and none splits a character. */
static void
test_long_ascii_name (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(SkAccount) account = NULL;
  g_autofree char *message = NULL;
  g_autofree char *block = NULL;
  g_autofree char *from = NULL;
  g_autofree char *decoded = NULL;
  g_auto(GStrv) lines = NULL;

  /* Reliability review N1: 1000 ASCII letters once made a From: line of
   * over 998 octets. */
  for (guint i = 0; i < 100; i++)
    g_string_append (name, "Biuro Kadr");

  account = make_account (name->str);
  message = build (account, NULL, NULL);
  assert_wire_form (message);
  block = header_block (message);
  lines = g_strsplit (block, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]), <=, 78);

  from = header (block, "From");
  decoded = decode_words (from);
  g_string_append (name, " <" ADDRESS ">");
  g_assert_cmpstr (decoded, ==, name->str);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_long_name (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(SkAccount) account = NULL;
  g_autofree char *message = NULL;
  g_autofree char *block = NULL;
  g_autofree char *from = NULL;
  g_autofree char *decoded = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) word = g_regex_new ("=\\?UTF-8\\?B\\?[^?]*\\?=", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n_words = 0;

  for (guint i = 0; i < 8; i++)
    g_string_append (name, "Przedsiębiorstwo Żółć ");
  g_string_append (name, "Spółka");

  account = make_account (name->str);
  message = build (account, NULL, NULL);
  assert_wire_form (message);
  block = header_block (message);

  lines = g_strsplit (block, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]), <=, 78);

  from = header (block, "From");
  g_regex_match (word, from, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *encoded = g_match_info_fetch (match, 0);
      g_autofree char *payload = g_strndup (encoded + 10, strlen (encoded) - 12);
      g_autofree guchar *bytes = NULL;
      gsize length;

      g_assert_cmpuint (strlen (encoded), <=, 75);
      bytes = g_base64_decode (payload, &length);
      g_assert_true (g_utf8_validate_len ((const char *) bytes, length, NULL));
      n_words++;
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (n_words, >, 1);

  decoded = decode_words (from);
  g_assert_true (g_str_has_prefix (decoded, name->str));
  g_assert_cmpstr (decoded + name->len, ==, " <" ADDRESS ">");
}

/* Headers are ASCII: an internationalised domain goes in its DNS form. */
static void
test_idn_address (void)
{
  g_autoptr(SkAccount) account = make_account ("Biuro");
  g_autofree char *message = NULL;
  g_autofree char *block = NULL;
  g_autofree char *from = NULL;
  g_autofree char *message_id = NULL;

  sk_account_set_email (account, "biuro@żółw.example.pl");
  message = build (account, NULL, &message_id);
  assert_wire_form (message);
  block = header_block (message);
  from = header (block, "From");

  g_assert_cmpstr (from, ==, "Biuro <biuro@xn--w-uga1v8h.example.pl>");
  g_assert_true (g_str_has_suffix (message_id, "@xn--w-uga1v8h.example.pl>"));
}

/* The signed part, between the first two boundaries, as it stands in the
 * message; and its boundary. */
static char *
signed_part (const char  *message,
             char       **boundary_out)
{
  g_autofree char *block = header_block (message);
  g_autofree char *type = header (block, "Content-Type");
  const char *boundary_start = strstr (type, "boundary=\"");
  g_autofree char *boundary = NULL;
  g_autofree char *delimiter = NULL;
  const char *start;
  const char *end;

  g_assert_nonnull (boundary_start);
  boundary_start += strlen ("boundary=\"");
  boundary = g_strndup (boundary_start, strchr (boundary_start, '"') - boundary_start);
  delimiter = g_strconcat ("\r\n--", boundary, "\r\n", NULL);

  start = strstr (message, delimiter);
  g_assert_nonnull (start);
  start += strlen (delimiter);
  end = strstr (start, delimiter);
  g_assert_nonnull (end);

  if (boundary_out != NULL)
    *boundary_out = g_steal_pointer (&boundary);

  /* The CRLF before a delimiter belongs to the delimiter. */
  return g_strndup (start, end - start);
}

static X509_STORE *
test_ca_store (void)
{
  g_autofree char *cafile = fixture_path ("ca/ca.pem");
  X509_STORE *store = X509_STORE_new ();

  g_assert_cmpint (X509_STORE_load_file (store, cafile), ==, 1);
  return store;
}

/* Verifies message as a mail program does; with signer, also that it is
 * the one that signed, with SHA-256. */
static gboolean
verifies (const char    *message,
          SkCertificate *signer)
{
  X509_STORE *store = test_ca_store ();
  BIO *input = BIO_new_mem_buf (message, -1);
  BIO *content = NULL;
  CMS_ContentInfo *cms = SMIME_read_CMS (input, &content);
  gboolean ok = FALSE;

  g_assert_nonnull (cms);
  g_assert_nonnull (content);

  if (CMS_verify (cms, NULL, store, content, NULL, 0) == 1)
    {
      STACK_OF(X509) *signers = CMS_get0_signers (cms);
      STACK_OF(CMS_SignerInfo) *infos = CMS_get0_SignerInfos (cms);
      X509_ALGOR *digest = NULL;

      g_assert_cmpint (sk_X509_num (signers), ==, 1);
      g_assert_cmpint (X509_cmp (sk_X509_value (signers, 0), sk_certificate_get_x509 (signer)),
                       ==, 0);
      g_assert_cmpint (sk_CMS_SignerInfo_num (infos), ==, 1);
      CMS_SignerInfo_get0_algs (sk_CMS_SignerInfo_value (infos, 0), NULL, NULL, &digest, NULL);
      g_assert_cmpint (OBJ_obj2nid (digest->algorithm), ==, NID_sha256);
      sk_X509_free (signers);
      ok = TRUE;
    }

  ERR_clear_error ();
  CMS_ContentInfo_free (cms);
  BIO_free (content);
  BIO_free (input);
  X509_STORE_free (store);

  return ok;
}

static void
test_signed (void)
{
  g_autoptr(SkAccount) account = make_account ("Biuro Firmy");
  g_autoptr(SkCertificate) signer = load_certificate ("valid.p12", PASSWORD);
  g_autofree char *message_id = NULL;
  g_autofree char *message = build (account, signer, &message_id);
  g_autofree char *block = header_block (message);
  g_autofree char *type = header (block, "Content-Type");
  g_autofree char *version = header (block, "MIME-Version");
  g_autofree char *id = header (block, "Message-ID");
  g_autofree char *part = NULL;
  g_autofree char *part_block = NULL;
  g_autofree char *part_type = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tampered = NULL;
  const char *top_level[] = { "Date", "From", "To", "Subject" };
  char *change;

  assert_wire_form (message);

  /* The top-level headers stay outside the signed part. */
  g_assert_cmpstr (id, ==, message_id);
  g_assert_cmpstr (version, ==, "1.0");
  g_assert_true (g_str_has_prefix (type, "multipart/signed;"));
  g_assert_nonnull (strstr (type, "protocol=\"application/pkcs7-signature\""));
  g_assert_nonnull (strstr (type, "micalg=\"sha-256\""));
  for (guint i = 0; i < G_N_ELEMENTS (top_level); i++)
    {
      g_autofree char *value = header (block, top_level[i]);

      g_assert_nonnull (value);
    }

  part = signed_part (message, NULL);
  part_block = header_block (part);
  part_type = header (part_block, "Content-Type");
  g_assert_cmpstr (part_type, ==, "text/plain; charset=UTF-8");
  g_assert_null (header (part_block, "From"));
  g_assert_null (header (part_block, "Subject"));
  assert_qp_lines (body_of (part));
  text = decode_quoted_printable (body_of (part));
  g_assert_nonnull (strstr (text, "It is signed with the certificate of Biuro Firmy"));

  g_assert_true (verifies (message, signer));

  /* The signature covers the text: one letter changed and it fails. */
  tampered = g_strdup (message);
  change = strstr (tampered, "Account: Biuro");
  g_assert_nonnull (change);
  change[strlen ("Account: Biur")] = 'x';
  g_assert_false (verifies (tampered, signer));

  g_assert_finalize_object (g_steal_pointer (&account));
  g_assert_finalize_object (g_steal_pointer (&signer));
}

/* The signed bytes are the ones in the message: a verifier that does not
 * turn line ends into CRLF first (CMS_BINARY) agrees. */
static void
test_signed_binary (void)
{
  g_autoptr(SkAccount) account = make_account ("Zażółć Gęślą");
  g_autoptr(SkCertificate) signer = load_certificate ("valid-full.pem", NULL);
  g_autofree char *message = build (account, signer, NULL);
  g_autofree char *part = signed_part (message, NULL);
  X509_STORE *store = test_ca_store ();
  BIO *input = BIO_new_mem_buf (message, -1);
  BIO *content = NULL;
  CMS_ContentInfo *cms = SMIME_read_CMS (input, &content);
  BIO *exact = BIO_new_mem_buf (part, -1);

  g_assert_nonnull (cms);
  g_assert_cmpint (CMS_verify (cms, NULL, store, exact, NULL, CMS_BINARY), ==, 1);

  CMS_ContentInfo_free (cms);
  BIO_free (exact);
  BIO_free (content);
  BIO_free (input);
  X509_STORE_free (store);
}

static void
test_refused (void)
{
  g_autoptr(SkAccount) account = make_account ("Biuro");
  g_autoptr(SkCertificate) no_key = load_certificate ("valid-cert.crt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;
  char *message_id = NULL;

  /* A certificate alone cannot sign. */
  message = sk_test_message_build (account, no_key, NULL, &message_id, &error);
  g_assert_null (message);
  g_assert_null (message_id);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Nowhere to send it from. */
  sk_account_set_email (account, "biuro");
  message = sk_test_message_build (account, NULL, NULL, &message_id, &error);
  g_assert_null (message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* Polish, as the users read it: the subject is encoded, the date is not
 * translated.  The catalogue is made here, so that the test does not
 * depend on how far the real one is. */
static void
test_polish_subject (void)
{
  static const char subject_pl[] = "Wiadomość testowa ze Skrzynki";
  g_autoptr(GError) error = NULL;
  g_autofree char *locale_dir = g_build_filename (folder, "locale", NULL);
  g_autofree char *messages_dir = g_build_filename (locale_dir, "pl", "LC_MESSAGES", NULL);
  g_autofree char *po = g_build_filename (folder, "pl.po", NULL);
  g_autofree char *mo = g_build_filename (messages_dir, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *po_text = NULL;
  g_autoptr(SkAccount) account = make_account ("Zażółć Gęślą");
  g_autofree char *message = NULL;
  g_autofree char *block = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *date = NULL;
  const char *argv[] = { "msgfmt", "-o", mo, po, NULL };
  int status;

  g_assert_cmpint (g_mkdir_with_parents (messages_dir, 0700), ==, 0);
  po_text = g_strdup_printf ("msgid \"\"\n"
                             "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
                             "msgid \"Skrzynka test message\"\n"
                             "msgstr \"%s\"\n", subject_pl);
  g_file_set_contents (po, po_text, -1, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  g_setenv ("LANGUAGE", "pl", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_assert_cmpstr (_("Skrzynka test message"), ==, subject_pl);

  message = build (account, NULL, NULL);
  assert_wire_form (message);
  block = header_block (message);
  subject = header (block, "Subject");
  g_assert_true (g_str_has_prefix (subject, "=?UTF-8?B?"));
  decoded = decode_words (subject);
  g_assert_cmpstr (decoded, ==, subject_pl);

  date = header (block, "Date");
  g_assert_cmpstr (date, ==, "Tue, 3 Mar 2026 14:05:00 +0100");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);

  folder = test_make_certificates ();

  g_test_add_func ("/sk/test-message/unsigned", test_unsigned);
  g_test_add_func ("/sk/test-message/names", test_names);
  g_test_add_func ("/sk/test-message/long-name", test_long_name);
  g_test_add_func ("/sk/test-message/long-ascii-name", test_long_ascii_name);
  g_test_add_func ("/sk/test-message/idn-address", test_idn_address);
  g_test_add_func ("/sk/test-message/signed", test_signed);
  g_test_add_func ("/sk/test-message/signed-binary", test_signed_binary);
  g_test_add_func ("/sk/test-message/refused", test_refused);
  /* Last: it switches the language. */
  g_test_add_func ("/sk/test-message/polish-subject", test_polish_subject);

  status = g_test_run ();

  /* The fixtures hold private keys: none outlives the run. */
  test_remove_tree (folder);
  g_clear_pointer (&folder, g_free);

  return status;
}
