/* test-account.c — the account model and its validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-account.h"
#include "core/sk-core-enums.h"
#include "test-util.h"

/* Problems */

/* Asserts that validating account gives exactly the problems on the fields
 * listed (SK_N_FIELDS ends the list; a field listed twice is expected
 * twice), each with a sentence to act on. */
static void
assert_problems (SkAccount          *account,
                 const char * const *taken_names,
                 ...)
{
  g_autoptr(GPtrArray) problems = sk_account_validate (account, taken_names);
  guint expected[SK_N_FIELDS] = { 0 };
  guint found[SK_N_FIELDS] = { 0 };
  va_list args;

  va_start (args, taken_names);
  for (SkField field = va_arg (args, SkField); field != SK_N_FIELDS; field = va_arg (args, SkField))
    expected[field]++;
  va_end (args);

  for (guint i = 0; i < problems->len; i++)
    {
      SkProblem *problem = g_ptr_array_index (problems, i);

      g_assert_cmpuint (problem->field, <, SK_N_FIELDS);
      g_assert_nonnull (problem->message);
      g_assert_cmpuint (strlen (problem->message), >, 10);
      g_assert_true (g_str_has_suffix (problem->message, "."));
      found[problem->field]++;
    }

  for (guint i = 0; i < SK_N_FIELDS; i++)
    {
      if (expected[i] != found[i])
        g_error ("field %s: expected %u problems, found %u",
                 sk_field_get_key (i), expected[i], found[i]);
    }
}

static char *
message_for (SkAccount *account,
             SkField    field)
{
  g_autoptr(GPtrArray) problems = sk_account_validate (account, NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      SkProblem *problem = g_ptr_array_index (problems, i);

      if (problem->field == field)
        return g_strdup (problem->message);
    }

  return NULL;
}

static void
test_defaults (void)
{
  g_autoptr(SkAccount) account = sk_account_new ();
  g_autoptr(SkAccount) other = sk_account_new ();
  g_autoptr(SkAccount) with_id = sk_account_new_with_id ("fixed-id");

  g_assert_true (g_uuid_string_is_valid (sk_account_get_id (account)));
  g_assert_cmpstr (sk_account_get_id (account), !=, sk_account_get_id (other));
  g_assert_cmpstr (sk_account_get_id (with_id), ==, "fixed-id");

  g_assert_cmpstr (sk_account_get_name (account), ==, "");
  g_assert_cmpstr (sk_account_get_full_name (account), ==, "");
  g_assert_cmpstr (sk_account_get_email (account), ==, "");
  g_assert_false (sk_account_get_sign (account));
  g_assert_false (sk_account_get_inactive (account));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sk_account_get_users (account))), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (sk_account_get_users (account)))
                 == SK_TYPE_ACCOUNT_USER);

  g_assert_cmpint (sk_account_get_account_type (account), ==, SK_ACCOUNT_TYPE_IMAP);
  g_assert_cmpstr (sk_account_get_incoming_host (account), ==, "");
  g_assert_cmpuint (sk_account_get_incoming_port (account), ==, 993);
  g_assert_cmpint (sk_account_get_incoming_security (account), ==, SK_SECURITY_SSL);
  g_assert_cmpint (sk_account_get_incoming_auth_method (account), ==, SK_AUTH_METHOD_AUTO);
  g_assert_false (sk_account_get_incoming_plain_confirmed (account));
  g_assert_cmpstr (sk_account_get_username (account), ==, "");
  g_assert_cmpstr (sk_account_get_password (account), ==, "");
  g_assert_true (sk_account_get_leave_copy (account));
  g_assert_false (sk_account_get_delete_with_deleted (account));

  g_assert_cmpstr (sk_account_get_outgoing_host (account), ==, "");
  g_assert_cmpuint (sk_account_get_outgoing_port (account), ==, 465);
  g_assert_cmpint (sk_account_get_outgoing_security (account), ==, SK_SECURITY_SSL);
  g_assert_true (sk_account_get_outgoing_auth (account));
  g_assert_cmpint (sk_account_get_outgoing_auth_method (account), ==, SK_AUTH_METHOD_AUTO);
  g_assert_false (sk_account_get_outgoing_plain_confirmed (account));
  g_assert_true (sk_account_get_outgoing_same_login (account));
  g_assert_cmpstr (sk_account_get_outgoing_username (account), ==, "");
  g_assert_cmpstr (sk_account_get_outgoing_password (account), ==, "");
  g_assert_cmpuint (sk_account_get_timeout (account), ==, SK_DEFAULT_TIMEOUT);
  g_assert_cmpuint (SK_DEFAULT_TIMEOUT, ==, 60);

  /* The property defaults say the same as a new account holds. */
  {
    g_autoptr(GPtrArray) settings = test_setting_properties ();

    for (guint i = 0; i < settings->len; i++)
      {
        GParamSpec *pspec = g_ptr_array_index (settings, i);
        g_auto(GValue) value = G_VALUE_INIT;

        g_value_init (&value, pspec->value_type);
        g_object_get_property (G_OBJECT (account), pspec->name, &value);
        g_assert_true (g_param_value_defaults (pspec, &value));
        g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);
      }
  }

  /* A new account is not ready to save: the required fields are empty. */
  assert_problems (account, NULL,
                   SK_FIELD_NAME, SK_FIELD_EMAIL, SK_FIELD_INCOMING_HOST,
                   SK_FIELD_USERNAME, SK_FIELD_OUTGOING_HOST, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&account));
  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_finalize_object (g_steal_pointer (&with_id));
}

static void
test_validate_valid (void)
{
  g_autoptr(SkAccount) valid = test_make_valid_account ("Biuro");
  g_autoptr(SkAccount) full = test_make_full_account ("Sekretariat");
  const char *taken[] = { "Kadry", "Biuro 2", "Sekretariat-stary", NULL };

  assert_problems (valid, NULL, SK_N_FIELDS);
  assert_problems (valid, taken, SK_N_FIELDS);
  assert_problems (full, taken, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&valid));
  g_assert_finalize_object (g_steal_pointer (&full));
}

static void
test_validate_name (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("");
  const char *taken[] = { "Kadry", "  BIURO ", NULL };
  const char *polish_taken[] = { "ŁÓDŹ", NULL };

  assert_problems (account, NULL, SK_FIELD_NAME, SK_N_FIELDS);

  sk_account_set_name (account, "   ");
  assert_problems (account, NULL, SK_FIELD_NAME, SK_N_FIELDS);

  sk_account_set_name (account, "Biuro");
  assert_problems (account, NULL, SK_N_FIELDS);
  /* Case and surrounding spaces do not make a different name. */
  assert_problems (account, taken, SK_FIELD_NAME, SK_N_FIELDS);

  sk_account_set_name (account, "Biuro 2");
  assert_problems (account, taken, SK_N_FIELDS);

  sk_account_set_name (account, "łódź");
  assert_problems (account, polish_taken, SK_FIELD_NAME, SK_N_FIELDS);

  sk_account_set_name (account, "Biuro\nDrugie");
  assert_problems (account, NULL, SK_FIELD_NAME, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_validate_full_name (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");

  sk_account_set_full_name (account, "");
  assert_problems (account, NULL, SK_N_FIELDS);

  sk_account_set_full_name (account, "Firma Sp. z o.o.");
  assert_problems (account, NULL, SK_N_FIELDS);

  /* It becomes the From header: a line break would add a header. */
  sk_account_set_full_name (account, "Firma\r\nBcc: everyone@example.com");
  assert_problems (account, NULL, SK_FIELD_FULL_NAME, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_email_is_valid (void)
{
  const char *good[] = {
    "biuro@gmail.com",
    "jan.kowalski+faktury@firma.com.pl",
    "a@b.pl",
    "biuro@żółw.pl",
    "Biuro@Example.COM",
    "o'brien@example.ie",
  };
  const char *bad[] = {
    "",
    "biuro",
    "biuro@",
    "@gmail.com",
    "biuro@gmail",
    "biuro@@gmail.com",
    "bi@uro@gmail.com",
    "biuro @gmail.com",
    " biuro@gmail.com",
    "biuro@gmail.com ",
    "bi\turo@gmail.com",
    "biuro@gmail..com",
    "biuro@-gmail.com",
    "biuro@gmail.com.",
    "biuro@gmail_com.pl",
    "biuro@192.168.1.1",
    "biuro@gmail,com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    if (!sk_email_is_valid (good[i]))
      g_error ("“%s” should be a valid address", good[i]);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (sk_email_is_valid (bad[i]))
      g_error ("“%s” should not be a valid address", bad[i]);

  g_assert_false (sk_email_is_valid (NULL));
  g_assert_false (sk_email_is_valid ("biuro@gm\xff" "ail.com"));
}

static void
test_hostname_is_valid (void)
{
  g_autofree char *label_63 = g_strnfill (63, 'a');
  g_autofree char *label_64 = g_strnfill (64, 'a');
  g_autofree char *host_63 = g_strconcat (label_63, ".pl", NULL);
  g_autofree char *host_64 = g_strconcat (label_64, ".pl", NULL);
  g_autoptr(GString) long_host = g_string_new (NULL);
  const char *good[] = {
    "imap.gmail.com",
    "localhost",
    "mail-1.example.com",
    "SMTP.Example.COM",
    "127.0.0.1",
    "192.0.2.25",
    "::1",
    "2001:db8::25",
    "poczta.żółw.pl",
    "xn--w-uga1v8h.pl",
  };
  const char *bad[] = {
    "",
    "imap gmail.com",
    " imap.gmail.com",
    "imap.gmail.com ",
    "-imap.gmail.com",
    "imap-.gmail.com",
    "imap..gmail.com",
    ".gmail.com",
    "imap.gmail.com.",
    "imap_gmail.com",
    "imap.gmail.com:993",
    "https://imap.gmail.com",
    "192.168.1.300",
    "[::1]",
    "imap@gmail.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    if (!sk_hostname_is_valid (good[i]))
      g_error ("“%s” should be a valid host name", good[i]);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (sk_hostname_is_valid (bad[i]))
      g_error ("“%s” should not be a valid host name", bad[i]);

  g_assert_false (sk_hostname_is_valid (NULL));
  g_assert_true (sk_hostname_is_valid (host_63));
  g_assert_false (sk_hostname_is_valid (host_64));

  /* 253 characters in all is the limit. */
  for (guint i = 0; i < 24; i++)
    g_string_append (long_host, "abcdefghi.");
  g_string_append (long_host, "abcdefghi.pla");
  g_assert_cmpuint (long_host->len, ==, 253);
  g_assert_true (sk_hostname_is_valid (long_host->str));
  g_string_prepend (long_host, "a");
  g_assert_false (sk_hostname_is_valid (long_host->str));
}

static void
test_validate_email (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  g_autofree char *empty_message = NULL;
  g_autofree char *bad_message = NULL;

  sk_account_set_email (account, "");
  assert_problems (account, NULL, SK_FIELD_EMAIL, SK_N_FIELDS);
  empty_message = message_for (account, SK_FIELD_EMAIL);

  sk_account_set_email (account, "biuro@gmail");
  assert_problems (account, NULL, SK_FIELD_EMAIL, SK_N_FIELDS);
  bad_message = message_for (account, SK_FIELD_EMAIL);

  /* "Enter it" and "check it" are different things to do. */
  g_assert_cmpstr (empty_message, !=, bad_message);

  sk_account_set_email (account, "biuro@gmail.com");
  assert_problems (account, NULL, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_validate_hosts (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  g_autofree char *imap_message = NULL;
  g_autofree char *pop_message = NULL;

  sk_account_set_incoming_host (account, "");
  assert_problems (account, NULL, SK_FIELD_INCOMING_HOST, SK_N_FIELDS);
  imap_message = message_for (account, SK_FIELD_INCOMING_HOST);
  g_assert_nonnull (strstr (imap_message, "imap."));

  /* The example follows the account type. */
  sk_account_set_account_type (account, SK_ACCOUNT_TYPE_POP3);
  pop_message = message_for (account, SK_FIELD_INCOMING_HOST);
  g_assert_nonnull (strstr (pop_message, "pop."));

  sk_account_set_incoming_host (account, "pop gmail.com");
  assert_problems (account, NULL, SK_FIELD_INCOMING_HOST, SK_N_FIELDS);

  sk_account_set_incoming_host (account, "pop.gmail.com");
  assert_problems (account, NULL, SK_N_FIELDS);

  sk_account_set_outgoing_host (account, "   ");
  assert_problems (account, NULL, SK_FIELD_OUTGOING_HOST, SK_N_FIELDS);

  sk_account_set_outgoing_host (account, "smtp.gmail.com:465");
  assert_problems (account, NULL, SK_FIELD_OUTGOING_HOST, SK_N_FIELDS);

  sk_account_set_incoming_host (account, "");
  assert_problems (account, NULL, SK_FIELD_INCOMING_HOST, SK_FIELD_OUTGOING_HOST, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_validate_ports (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  const guint bad[] = { 0, 65536, 100000, G_MAXUINT };
  const guint good[] = { 1, 25, 993, 65535 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *message = NULL;

      sk_account_set_incoming_port (account, bad[i]);
      sk_account_set_outgoing_port (account, 465);
      assert_problems (account, NULL, SK_FIELD_INCOMING_PORT, SK_N_FIELDS);
      message = message_for (account, SK_FIELD_INCOMING_PORT);
      g_assert_cmpstr (message, ==, "Enter a port number from 1 to 65535.");

      sk_account_set_incoming_port (account, 993);
      sk_account_set_outgoing_port (account, bad[i]);
      assert_problems (account, NULL, SK_FIELD_OUTGOING_PORT, SK_N_FIELDS);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      sk_account_set_incoming_port (account, good[i]);
      sk_account_set_outgoing_port (account, good[i]);
      assert_problems (account, NULL, SK_N_FIELDS);
    }

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_validate_login (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");

  sk_account_set_username (account, "");
  assert_problems (account, NULL, SK_FIELD_USERNAME, SK_N_FIELDS);

  sk_account_set_username (account, "  ");
  assert_problems (account, NULL, SK_FIELD_USERNAME, SK_N_FIELDS);

  sk_account_set_username (account, "biuro\r\nA1 LOGOUT");
  assert_problems (account, NULL, SK_FIELD_USERNAME, SK_N_FIELDS);

  sk_account_set_username (account, "biuro\n");
  assert_problems (account, NULL, SK_FIELD_USERNAME, SK_N_FIELDS);

  sk_account_set_username (account, "biuro@example.com");

  /* No password is fine: it may be in the keyring, or asked for later. */
  sk_account_set_password (account, "");
  assert_problems (account, NULL, SK_N_FIELDS);

  sk_account_set_password (account, "abcd efgh ijkl mnop");
  assert_problems (account, NULL, SK_N_FIELDS);

  sk_account_set_password (account, "abcd\refgh");
  assert_problems (account, NULL, SK_FIELD_PASSWORD, SK_N_FIELDS);

  sk_account_set_password (account, "abcd\nefgh");
  assert_problems (account, NULL, SK_FIELD_PASSWORD, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_validate_outgoing_login (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");

  /* With the same login as incoming, the separate one is not looked at. */
  sk_account_set_outgoing_username (account, "");
  sk_account_set_outgoing_password (account, "bad\nbad");
  assert_problems (account, NULL, SK_N_FIELDS);

  sk_account_set_outgoing_same_login (account, FALSE);
  assert_problems (account, NULL, SK_FIELD_OUTGOING_USERNAME, SK_FIELD_OUTGOING_PASSWORD,
                   SK_N_FIELDS);

  sk_account_set_outgoing_password (account, "good");
  assert_problems (account, NULL, SK_FIELD_OUTGOING_USERNAME, SK_N_FIELDS);

  sk_account_set_outgoing_username (account, "smtp\r\nQUIT");
  assert_problems (account, NULL, SK_FIELD_OUTGOING_USERNAME, SK_N_FIELDS);

  sk_account_set_outgoing_username (account, "smtp-user");
  assert_problems (account, NULL, SK_N_FIELDS);

  /* A server without login needs no user name at all. */
  sk_account_set_outgoing_username (account, "");
  sk_account_set_outgoing_auth (account, FALSE);
  assert_problems (account, NULL, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_validate_plain (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  g_autofree char *message = NULL;

  sk_account_set_incoming_security (account, SK_SECURITY_NONE);
  assert_problems (account, NULL, SK_FIELD_INCOMING_SECURITY, SK_N_FIELDS);
  message = message_for (account, SK_FIELD_INCOMING_SECURITY);
  g_assert_nonnull (strstr (message, "confirm"));

  sk_account_set_incoming_plain_confirmed (account, TRUE);
  assert_problems (account, NULL, SK_N_FIELDS);

  /* Confirming one side does not confirm the other. */
  sk_account_set_outgoing_security (account, SK_SECURITY_NONE);
  assert_problems (account, NULL, SK_FIELD_OUTGOING_SECURITY, SK_N_FIELDS);

  sk_account_set_outgoing_plain_confirmed (account, TRUE);
  assert_problems (account, NULL, SK_N_FIELDS);

  /* No login, no password on the wire: nothing to confirm. */
  sk_account_set_outgoing_plain_confirmed (account, FALSE);
  sk_account_set_outgoing_auth (account, FALSE);
  assert_problems (account, NULL, SK_N_FIELDS);

  sk_account_set_incoming_security (account, SK_SECURITY_STARTTLS);
  sk_account_set_incoming_plain_confirmed (account, FALSE);
  sk_account_set_outgoing_auth (account, TRUE);
  sk_account_set_outgoing_security (account, SK_SECURITY_STARTTLS);
  assert_problems (account, NULL, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_validate_timeout (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  const guint bad[] = { 0, SK_MIN_TIMEOUT - 1, SK_MAX_TIMEOUT + 1, G_MAXUINT };
  const guint good[] = { SK_MIN_TIMEOUT, 60, SK_MAX_TIMEOUT };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      sk_account_set_timeout (account, bad[i]);
      assert_problems (account, NULL, SK_FIELD_TIMEOUT, SK_N_FIELDS);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      sk_account_set_timeout (account, good[i]);
      assert_problems (account, NULL, SK_N_FIELDS);
    }

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_validate_users (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  GListStore *users = sk_account_get_users (account);
  g_autoptr(SkAccountUser) admin = sk_account_user_new ("ADMIN", "Anna Nowak", TRUE, TRUE);
  g_autoptr(SkAccountUser) jan = sk_account_user_new ("JK", "Jan Kowalski", FALSE, FALSE);
  g_autoptr(SkAccountUser) empty = sk_account_user_new (" ", "Nobody", FALSE, FALSE);
  g_autoptr(SkAccountUser) admin_again = sk_account_user_new ("admin ", "Adam Nowak", FALSE, FALSE);

  g_list_store_append (users, admin);
  g_list_store_append (users, jan);
  assert_problems (account, NULL, SK_N_FIELDS);

  g_list_store_append (users, empty);
  assert_problems (account, NULL, SK_FIELD_USERS, SK_N_FIELDS);
  g_list_store_remove (users, 2);

  g_list_store_append (users, admin_again);
  assert_problems (account, NULL, SK_FIELD_USERS, SK_N_FIELDS);
  g_list_store_remove (users, 2);

  sk_account_user_set_is_default (jan, TRUE);
  assert_problems (account, NULL, SK_FIELD_USERS, SK_N_FIELDS);

  /* Each kind of mistake is reported, all on the users table. */
  g_list_store_append (users, empty);
  g_list_store_append (users, admin_again);
  assert_problems (account, NULL, SK_FIELD_USERS, SK_FIELD_USERS, SK_FIELD_USERS, SK_N_FIELDS);

  g_list_store_remove_all (users);
  sk_account_user_set_is_default (jan, FALSE);
  g_list_store_append (users, jan);
  assert_problems (account, NULL, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&account));
  g_assert_finalize_object (g_steal_pointer (&admin));
  g_assert_finalize_object (g_steal_pointer (&jan));
  g_assert_finalize_object (g_steal_pointer (&empty));
  g_assert_finalize_object (g_steal_pointer (&admin_again));
}

static void
test_validate_every_problem (void)
{
  g_autoptr(SkAccount) account = sk_account_new ();
  g_autoptr(SkAccountUser) first = sk_account_user_new ("", "", FALSE, TRUE);
  g_autoptr(SkAccountUser) second = sk_account_user_new ("X", "", FALSE, TRUE);
  g_autoptr(GPtrArray) problems = NULL;

  sk_account_set_full_name (account, "a\nb");
  sk_account_set_email (account, "no address");
  g_list_store_append (sk_account_get_users (account), first);
  g_list_store_append (sk_account_get_users (account), second);
  sk_account_set_incoming_port (account, 0);
  sk_account_set_incoming_security (account, SK_SECURITY_NONE);
  sk_account_set_password (account, "x\ny");
  sk_account_set_outgoing_port (account, 70000);
  sk_account_set_outgoing_security (account, SK_SECURITY_NONE);
  sk_account_set_outgoing_same_login (account, FALSE);
  sk_account_set_outgoing_password (account, "x\ry");
  sk_account_set_timeout (account, 1);

  /* Every field at once, so the dialog can mark them all in one go, in the
   * order of the fields on the tabs. */
  assert_problems (account, NULL,
                   SK_FIELD_NAME, SK_FIELD_FULL_NAME, SK_FIELD_EMAIL,
                   SK_FIELD_USERS, SK_FIELD_USERS,
                   SK_FIELD_INCOMING_HOST, SK_FIELD_INCOMING_PORT, SK_FIELD_INCOMING_SECURITY,
                   SK_FIELD_USERNAME, SK_FIELD_PASSWORD,
                   SK_FIELD_OUTGOING_HOST, SK_FIELD_OUTGOING_PORT, SK_FIELD_OUTGOING_SECURITY,
                   SK_FIELD_OUTGOING_USERNAME, SK_FIELD_OUTGOING_PASSWORD,
                   SK_FIELD_TIMEOUT, SK_N_FIELDS);

  problems = sk_account_validate (account, NULL);
  for (guint i = 1; i < problems->len; i++)
    {
      SkProblem *before = g_ptr_array_index (problems, i - 1);
      SkProblem *problem = g_ptr_array_index (problems, i);

      g_assert_cmpuint (before->field, <=, problem->field);
    }

  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&account));
  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&second));
}

static void
test_credential_is_safe (void)
{
  g_assert_true (sk_credential_is_safe ("abcd efgh ijkl mnop", -1));
  g_assert_true (sk_credential_is_safe ("", -1));
  g_assert_true (sk_credential_is_safe ("", 0));
  g_assert_true (sk_credential_is_safe (NULL, -1));
  g_assert_true (sk_credential_is_safe ("zażółć\tgęślą", -1));
  g_assert_false (sk_credential_is_safe ("a\rb", -1));
  g_assert_false (sk_credential_is_safe ("a\nb", -1));
  g_assert_false (sk_credential_is_safe ("\r\n", -1));

  /* A NUL is seen only when the length says the text goes on past it. */
  g_assert_false (sk_credential_is_safe ("a\0b", 3));
  g_assert_true (sk_credential_is_safe ("a\0b", 1));
  g_assert_true (sk_credential_is_safe ("a\0b", -1));
  g_assert_false (sk_credential_is_safe ("ab\n", 3));
  g_assert_true (sk_credential_is_safe ("ab\n", 2));
}

static void
test_standard_port (void)
{
  g_assert_cmpuint (sk_standard_port (SK_ACCOUNT_TYPE_IMAP, FALSE, SK_SECURITY_SSL), ==, 993);
  g_assert_cmpuint (sk_standard_port (SK_ACCOUNT_TYPE_IMAP, FALSE, SK_SECURITY_STARTTLS), ==, 143);
  g_assert_cmpuint (sk_standard_port (SK_ACCOUNT_TYPE_IMAP, FALSE, SK_SECURITY_NONE), ==, 143);
  g_assert_cmpuint (sk_standard_port (SK_ACCOUNT_TYPE_POP3, FALSE, SK_SECURITY_SSL), ==, 995);
  g_assert_cmpuint (sk_standard_port (SK_ACCOUNT_TYPE_POP3, FALSE, SK_SECURITY_STARTTLS), ==, 110);
  g_assert_cmpuint (sk_standard_port (SK_ACCOUNT_TYPE_POP3, FALSE, SK_SECURITY_NONE), ==, 110);

  /* Outgoing is SMTP whatever the incoming type. */
  for (SkAccountType type = SK_ACCOUNT_TYPE_IMAP; type <= SK_ACCOUNT_TYPE_POP3; type++)
    {
      g_assert_cmpuint (sk_standard_port (type, TRUE, SK_SECURITY_SSL), ==, 465);
      g_assert_cmpuint (sk_standard_port (type, TRUE, SK_SECURITY_STARTTLS), ==, 587);
      g_assert_cmpuint (sk_standard_port (type, TRUE, SK_SECURITY_NONE), ==, 587);
    }
}

static void
test_field_keys (void)
{
  const char *expected[SK_N_FIELDS] = {
    [SK_FIELD_NAME] = "name",
    [SK_FIELD_FULL_NAME] = "full-name",
    [SK_FIELD_EMAIL] = "email",
    [SK_FIELD_USERS] = "users",
    [SK_FIELD_INCOMING_HOST] = "incoming-host",
    [SK_FIELD_INCOMING_PORT] = "incoming-port",
    [SK_FIELD_INCOMING_SECURITY] = "incoming-security",
    [SK_FIELD_USERNAME] = "username",
    [SK_FIELD_PASSWORD] = "password",
    [SK_FIELD_OUTGOING_HOST] = "outgoing-host",
    [SK_FIELD_OUTGOING_PORT] = "outgoing-port",
    [SK_FIELD_OUTGOING_SECURITY] = "outgoing-security",
    [SK_FIELD_OUTGOING_USERNAME] = "outgoing-username",
    [SK_FIELD_OUTGOING_PASSWORD] = "outgoing-password",
    [SK_FIELD_OAUTH2_PROVIDER] = "oauth2-provider",
    [SK_FIELD_TIMEOUT] = "timeout",
  };
  g_autoptr(GTypeClass) klass = g_type_class_ref (SK_TYPE_ACCOUNT);

  for (SkField field = 0; field < SK_N_FIELDS; field++)
    {
      g_assert_cmpstr (sk_field_get_key (field), ==, expected[field]);
      /* Each field is also the property a widget binds to. */
      g_assert_nonnull (g_object_class_find_property (G_OBJECT_CLASS (klass),
                                                      sk_field_get_key (field)));
    }
}

static void
test_enum_strings (void)
{
  const char *types[] = { "imap", "pop3" };
  const char *securities[] = { "ssl", "starttls", "none" };
  const char *methods[] = { "auto", "plain", "login", "cram-md5", "digest-md5", "ntlm",
                            "oauth2" };
  g_autoptr(GEnumClass) type_class = g_type_class_ref (SK_TYPE_ACCOUNT_TYPE);
  g_autoptr(GEnumClass) security_class = g_type_class_ref (SK_TYPE_SECURITY);
  g_autoptr(GEnumClass) method_class = g_type_class_ref (SK_TYPE_AUTH_METHOD);
  SkAccountType type = SK_ACCOUNT_TYPE_POP3;
  SkSecurity security = SK_SECURITY_NONE;
  SkAuthMethod method = SK_AUTH_METHOD_NTLM;

  g_assert_cmpuint (type_class->n_values, ==, G_N_ELEMENTS (types));
  g_assert_cmpuint (security_class->n_values, ==, G_N_ELEMENTS (securities));
  g_assert_cmpuint (method_class->n_values, ==, G_N_ELEMENTS (methods));

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_assert_cmpstr (sk_account_type_to_string (i), ==, types[i]);
      g_assert_true (sk_account_type_from_string (types[i], &type));
      g_assert_cmpint (type, ==, i);
    }

  for (guint i = 0; i < G_N_ELEMENTS (securities); i++)
    {
      g_assert_cmpstr (sk_security_to_string (i), ==, securities[i]);
      g_assert_true (sk_security_from_string (securities[i], &security));
      g_assert_cmpint (security, ==, i);
    }

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_assert_cmpstr (sk_auth_method_to_string (i), ==, methods[i]);
      g_assert_true (sk_auth_method_from_string (methods[i], &method));
      g_assert_cmpint (method, ==, i);
    }

  /* Refused names leave the output alone. */
  type = SK_ACCOUNT_TYPE_POP3;
  g_assert_false (sk_account_type_from_string ("smtp", &type));
  g_assert_false (sk_account_type_from_string ("IMAP", &type));
  g_assert_false (sk_account_type_from_string (NULL, &type));
  g_assert_cmpint (type, ==, SK_ACCOUNT_TYPE_POP3);
  g_assert_false (sk_security_from_string ("tls", &security));
  g_assert_false (sk_security_from_string ("", &security));
  g_assert_false (sk_auth_method_from_string ("xoauth2", &method));
  g_assert_false (sk_auth_method_from_string ("cram_md5", &method));
}

/* Copying, comparing, assigning */

/* A value of pspec's type that differs from current. */
static void
other_value (GParamSpec   *pspec,
             const GValue *current,
             GValue       *value)
{
  g_value_init (value, pspec->value_type);

  if (G_IS_PARAM_SPEC_STRING (pspec))
    g_value_take_string (value, g_strconcat (g_value_get_string (current), "+", NULL));
  else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    g_value_set_boolean (value, !g_value_get_boolean (current));
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    g_value_set_uint (value, g_value_get_uint (current) + 1);
  else if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      GEnumClass *enum_class = G_PARAM_SPEC_ENUM (pspec)->enum_class;

      g_value_set_enum (value, (g_value_get_enum (current) + 1) % enum_class->n_values);
    }
  else if (pspec->value_type == G_TYPE_STRV)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      const char * const *list = g_value_get_boxed (current);

      if (list != NULL)
        g_strv_builder_addv (builder, (const char **) list);
      g_strv_builder_add (builder,
                          "12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:"
                          "12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0");
      g_value_take_boxed (value, g_strv_builder_end (builder));
    }
  else
    g_assert_not_reached ();
}

static void
change_property (SkAccount  *account,
                 GParamSpec *pspec)
{
  g_auto(GValue) current = G_VALUE_INIT;
  g_auto(GValue) changed = G_VALUE_INIT;

  g_value_init (&current, pspec->value_type);
  g_object_get_property (G_OBJECT (account), pspec->name, &current);
  other_value (pspec, &current, &changed);
  g_object_set_property (G_OBJECT (account), pspec->name, &changed);
}

static void
assert_users_deep_copied (SkAccount *a,
                          SkAccount *b)
{
  GListModel *users_a = G_LIST_MODEL (sk_account_get_users (a));
  GListModel *users_b = G_LIST_MODEL (sk_account_get_users (b));

  g_assert_true (users_a != users_b);
  g_assert_cmpuint (g_list_model_get_n_items (users_a), ==, g_list_model_get_n_items (users_b));

  for (guint i = 0; i < g_list_model_get_n_items (users_a); i++)
    {
      g_autoptr(SkAccountUser) user_a = g_list_model_get_item (users_a, i);
      g_autoptr(SkAccountUser) user_b = g_list_model_get_item (users_b, i);

      g_assert_true (user_a != user_b);
      g_assert_true (sk_account_user_equal (user_a, user_b));
    }
}

static void
test_copy (void)
{
  g_autoptr(SkAccount) account = test_make_full_account ("Biuro");
  g_autoptr(SkAccount) copy = NULL;
  g_autoptr(SkAccountUser) first = NULL;
  g_autofree char *unknown_value = NULL;

  g_key_file_set_string (sk_account_get_unknown_keys (account), "Account", "future-key", "42");
  test_assert_all_changed (account);

  copy = sk_account_copy (account);
  g_assert_cmpstr (sk_account_get_id (copy), ==, sk_account_get_id (account));
  g_assert_true (sk_account_equal (copy, account));
  g_assert_cmpstr (sk_account_get_password (copy), ==, "incoming-secret");
  g_assert_cmpstr (sk_account_get_outgoing_password (copy), ==, "outgoing-secret");
  unknown_value = g_key_file_get_string (sk_account_get_unknown_keys (copy), "Account",
                                         "future-key", NULL);
  g_assert_cmpstr (unknown_value, ==, "42");
  assert_users_deep_copied (account, copy);

  /* The copy is independent: editing it leaves the original alone. */
  first = g_list_model_get_item (G_LIST_MODEL (sk_account_get_users (copy)), 0);
  sk_account_user_set_full_name (first, "Someone else");
  g_assert_false (sk_account_equal (copy, account));
  sk_account_user_set_full_name (first, "Anna Nowak; Kierownik");
  g_assert_true (sk_account_equal (copy, account));
  sk_account_set_name (copy, "Changed");
  g_assert_cmpstr (sk_account_get_name (account), ==, "Biuro");

  g_clear_object (&first);
  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_equal (void)
{
  g_autoptr(SkAccount) account = test_make_full_account ("Biuro");
  g_autoptr(GPtrArray) settings = test_setting_properties ();
  g_autoptr(SkAccount) other_id = NULL;

  g_assert_true (sk_account_equal (account, account));

  /* A change to any one setting, passwords included, is seen. */
  for (guint i = 0; i < settings->len; i++)
    {
      GParamSpec *pspec = g_ptr_array_index (settings, i);
      g_autoptr(SkAccount) copy = sk_account_copy (account);

      g_assert_true (sk_account_equal (copy, account));
      change_property (copy, pspec);
      if (sk_account_equal (copy, account) || sk_account_equal (account, copy))
        g_error ("a change of “%s” is not seen", pspec->name);

      g_assert_finalize_object (g_steal_pointer (&copy));
    }

  /* So is a change to the users, in content or order. */
  {
    g_autoptr(SkAccount) copy = sk_account_copy (account);
    g_autoptr(SkAccountUser) user = g_list_model_get_item (G_LIST_MODEL (sk_account_get_users (copy)), 1);

    sk_account_user_set_owner (user, !sk_account_user_get_owner (user));
    g_assert_false (sk_account_equal (copy, account));
    sk_account_user_set_owner (user, !sk_account_user_get_owner (user));
    g_assert_true (sk_account_equal (copy, account));

    g_list_store_remove (sk_account_get_users (copy), 1);
    g_assert_false (sk_account_equal (copy, account));
    g_list_store_insert (sk_account_get_users (copy), 0, user);
    g_assert_false (sk_account_equal (copy, account));
  }

  /* And to the unknown keys that will be written back. */
  {
    g_autoptr(SkAccount) copy = sk_account_copy (account);

    g_key_file_set_string (sk_account_get_unknown_keys (copy), "Account", "future-key", "1");
    g_assert_false (sk_account_equal (copy, account));
  }

  /* The id is not a setting: the same settings under another id are equal. */
  other_id = sk_account_new ();
  sk_account_assign (other_id, account);
  g_assert_cmpstr (sk_account_get_id (other_id), !=, sk_account_get_id (account));
  g_assert_true (sk_account_equal (other_id, account));

  g_assert_finalize_object (g_steal_pointer (&other_id));
  g_assert_finalize_object (g_steal_pointer (&account));
}

typedef struct
{
  GHashTable *counts;  /* property name → number of notifications */
} NotifyLog;

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              NotifyLog  *log)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  g_hash_table_insert (log->counts, (gpointer) pspec->name, GUINT_TO_POINTER (count + 1));
}

static guint
notify_count (NotifyLog  *log,
              const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *count)
{
  (*count)++;
}

static void
test_assign (void)
{
  g_autoptr(SkAccount) target = test_make_valid_account ("Stare");
  g_autoptr(SkAccount) source = test_make_full_account ("Nowe");
  g_autoptr(GPtrArray) settings = test_setting_properties ();
  g_autoptr(SkAccountUser) old_user = sk_account_user_new ("OLD", "Old user", FALSE, FALSE);
  g_autofree char *id = g_strdup (sk_account_get_id (target));
  NotifyLog log = { g_hash_table_new (g_str_hash, g_str_equal) };
  guint users_changed = 0;

  g_list_store_append (sk_account_get_users (target), old_user);
  g_key_file_set_string (sk_account_get_unknown_keys (source), "Account", "future-key", "7");

  g_signal_connect (target, "notify", G_CALLBACK (count_notify), &log);
  g_signal_connect (sk_account_get_users (target), "items-changed",
                    G_CALLBACK (count_items_changed), &users_changed);

  sk_account_assign (target, source);

  g_assert_cmpstr (sk_account_get_id (target), ==, id);
  g_assert_true (sk_account_equal (target, source));
  assert_users_deep_copied (target, source);
  g_assert_cmpuint (users_changed, ==, 1);

  /* Every setting of the full account differs from the valid one's:
   * exactly one notification for each, however many were set inside. */
  for (guint i = 0; i < settings->len; i++)
    {
      GParamSpec *pspec = g_ptr_array_index (settings, i);

      if (notify_count (&log, pspec->name) != 1)
        g_error ("“%s”: %u notifications, expected 1",
                 pspec->name, notify_count (&log, pspec->name));
    }
  g_assert_cmpuint (notify_count (&log, "id"), ==, 0);

  /* Assigning again changes nothing, and says so by staying quiet. */
  g_hash_table_remove_all (log.counts);
  sk_account_assign (target, source);
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 0);
  g_assert_cmpuint (users_changed, ==, 1);

  g_signal_handlers_disconnect_by_data (target, &log);
  g_signal_handlers_disconnect_by_data (sk_account_get_users (target), &users_changed);
  g_hash_table_unref (log.counts);
  g_assert_finalize_object (g_steal_pointer (&target));
  g_assert_finalize_object (g_steal_pointer (&source));
  g_assert_finalize_object (g_steal_pointer (&old_user));
}

static void
test_notify (void)
{
  g_autoptr(SkAccount) account = test_make_full_account ("Biuro");
  g_autoptr(GPtrArray) settings = test_setting_properties ();
  NotifyLog log = { g_hash_table_new (g_str_hash, g_str_equal) };

  g_signal_connect (account, "notify", G_CALLBACK (count_notify), &log);

  for (guint i = 0; i < settings->len; i++)
    {
      GParamSpec *pspec = g_ptr_array_index (settings, i);
      g_auto(GValue) current = G_VALUE_INIT;
      g_auto(GValue) changed = G_VALUE_INIT;

      g_value_init (&current, pspec->value_type);
      g_object_get_property (G_OBJECT (account), pspec->name, &current);

      /* The same value again is not a change. */
      g_object_set_property (G_OBJECT (account), pspec->name, &current);
      g_assert_cmpuint (notify_count (&log, pspec->name), ==, 0);

      other_value (pspec, &current, &changed);
      g_object_set_property (G_OBJECT (account), pspec->name, &changed);
      g_assert_cmpuint (notify_count (&log, pspec->name), ==, 1);

      g_object_set_property (G_OBJECT (account), pspec->name, &changed);
      g_assert_cmpuint (notify_count (&log, pspec->name), ==, 1);

      g_object_set_property (G_OBJECT (account), pspec->name, &current);
      g_assert_cmpuint (notify_count (&log, pspec->name), ==, 2);
    }

  /* The typed setters behave alike. */
  g_hash_table_remove_all (log.counts);
  sk_account_set_name (account, "Biuro");
  sk_account_set_incoming_port (account, 110);
  sk_account_set_sign (account, 42);  /* any true value is TRUE */
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 0);
  sk_account_set_name (account, NULL);
  g_assert_cmpstr (sk_account_get_name (account), ==, "");
  g_assert_cmpuint (notify_count (&log, "name"), ==, 1);
  sk_account_set_name (account, "");
  g_assert_cmpuint (notify_count (&log, "name"), ==, 1);

  g_signal_handlers_disconnect_by_data (account, &log);
  g_hash_table_unref (log.counts);
  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_passwords (void)
{
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  g_autoptr(SkAccount) without = test_make_valid_account ("Biuro");
  g_autofree char *through_property = NULL;

  sk_account_set_password (account, "abcdefghijklmnop");
  sk_account_set_outgoing_password (account, "qrstuvwxyzabcdef");
  g_assert_cmpstr (sk_account_get_password (account), ==, "abcdefghijklmnop");
  g_assert_cmpstr (sk_account_get_outgoing_password (account), ==, "qrstuvwxyzabcdef");
  g_object_get (account, "password", &through_property, NULL);
  g_assert_cmpstr (through_property, ==, "abcdefghijklmnop");

  sk_account_set_password (account, "ponmlkjihgfedcba");
  g_assert_cmpstr (sk_account_get_password (account), ==, "ponmlkjihgfedcba");

  /* Assigning an account without passwords clears them. */
  g_assert_false (sk_account_equal (account, without));
  sk_account_assign (account, without);
  g_assert_cmpstr (sk_account_get_password (account), ==, "");
  g_assert_cmpstr (sk_account_get_outgoing_password (account), ==, "");
  g_assert_true (sk_account_equal (account, without));

  sk_account_set_password (account, "abcdefghijklmnop");
  sk_account_set_password (account, NULL);
  g_assert_cmpstr (sk_account_get_password (account), ==, "");

  g_assert_finalize_object (g_steal_pointer (&account));
  g_assert_finalize_object (g_steal_pointer (&without));
}

static void
test_user (void)
{
  g_autoptr(SkAccountUser) user = sk_account_user_new ("JK", "Jan Kowalski", TRUE, FALSE);
  g_autoptr(SkAccountUser) copy = sk_account_user_copy (user);
  g_autoptr(SkAccountUser) blank = sk_account_user_new (NULL, NULL, FALSE, FALSE);
  const char *names[] = { "code", "full-name", "owner", "is-default" };
  NotifyLog log = { g_hash_table_new (g_str_hash, g_str_equal) };
  g_autofree char *code = NULL;

  g_assert_cmpstr (sk_account_user_get_code (user), ==, "JK");
  g_assert_cmpstr (sk_account_user_get_full_name (user), ==, "Jan Kowalski");
  g_assert_true (sk_account_user_get_owner (user));
  g_assert_false (sk_account_user_get_is_default (user));
  g_assert_cmpstr (sk_account_user_get_code (blank), ==, "");
  g_assert_cmpstr (sk_account_user_get_full_name (blank), ==, "");
  g_object_get (user, "code", &code, NULL);
  g_assert_cmpstr (code, ==, "JK");

  g_assert_true (copy != user);
  g_assert_true (sk_account_user_equal (copy, user));

  g_signal_connect (copy, "notify", G_CALLBACK (count_notify), &log);
  sk_account_user_set_code (copy, "JK");
  sk_account_user_set_full_name (copy, "Jan Kowalski");
  sk_account_user_set_owner (copy, TRUE);
  sk_account_user_set_is_default (copy, FALSE);
  g_assert_cmpuint (g_hash_table_size (log.counts), ==, 0);

  sk_account_user_set_code (copy, "JK2");
  g_assert_false (sk_account_user_equal (copy, user));
  sk_account_user_set_code (copy, "JK");
  sk_account_user_set_full_name (copy, "Jan K.");
  g_assert_false (sk_account_user_equal (copy, user));
  sk_account_user_set_full_name (copy, "Jan Kowalski");
  sk_account_user_set_owner (copy, FALSE);
  g_assert_false (sk_account_user_equal (copy, user));
  sk_account_user_set_owner (copy, TRUE);
  sk_account_user_set_is_default (copy, TRUE);
  g_assert_false (sk_account_user_equal (copy, user));
  sk_account_user_set_is_default (copy, FALSE);
  g_assert_true (sk_account_user_equal (copy, user));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpuint (notify_count (&log, names[i]), ==, 2);

  g_signal_handlers_disconnect_by_data (copy, &log);
  g_hash_table_unref (log.counts);
  g_assert_finalize_object (g_steal_pointer (&user));
  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&blank));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sk/account/defaults", test_defaults);
  g_test_add_func ("/sk/account/validate/valid", test_validate_valid);
  g_test_add_func ("/sk/account/validate/name", test_validate_name);
  g_test_add_func ("/sk/account/validate/full-name", test_validate_full_name);
  g_test_add_func ("/sk/account/validate/email", test_validate_email);
  g_test_add_func ("/sk/account/validate/hosts", test_validate_hosts);
  g_test_add_func ("/sk/account/validate/ports", test_validate_ports);
  g_test_add_func ("/sk/account/validate/login", test_validate_login);
  g_test_add_func ("/sk/account/validate/outgoing-login", test_validate_outgoing_login);
  g_test_add_func ("/sk/account/validate/plain", test_validate_plain);
  g_test_add_func ("/sk/account/validate/timeout", test_validate_timeout);
  g_test_add_func ("/sk/account/validate/users", test_validate_users);
  g_test_add_func ("/sk/account/validate/every-problem", test_validate_every_problem);
  g_test_add_func ("/sk/account/email-is-valid", test_email_is_valid);
  g_test_add_func ("/sk/account/hostname-is-valid", test_hostname_is_valid);
  g_test_add_func ("/sk/account/credential-is-safe", test_credential_is_safe);
  g_test_add_func ("/sk/account/standard-port", test_standard_port);
  g_test_add_func ("/sk/account/field-keys", test_field_keys);
  g_test_add_func ("/sk/account/enum-strings", test_enum_strings);
  g_test_add_func ("/sk/account/copy", test_copy);
  g_test_add_func ("/sk/account/equal", test_equal);
  g_test_add_func ("/sk/account/assign", test_assign);
  g_test_add_func ("/sk/account/notify", test_notify);
  g_test_add_func ("/sk/account/passwords", test_passwords);
  g_test_add_func ("/sk/account/user", test_user);

  return g_test_run ();
}
