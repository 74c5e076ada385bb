/* test-server.c — one mail server as a value, and an account's two of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/sk-connection-test.h"
#include "core/sk-test-message.h"
#include "test-util.h"

static SkServer *
make_server (void)
{
  SkServer *server = sk_server_new (SK_PROTOCOL_SMTP);

  g_free (server->host);
  server->host = g_strdup ("smtp.example.com");
  server->port = 587;
  server->security = SK_SECURITY_STARTTLS;
  server->auth_method = SK_AUTH_METHOD_LOGIN;
  g_free (server->pinned_sha256);
  server->pinned_sha256 = g_strdup ("AB:CD");
  server->plain_confirmed = TRUE;
  sk_server_set_login (server, "biuro", "Zx9-hasło");

  return server;
}

static void
test_new (void)
{
  g_autoptr(SkServer) imap = sk_server_new (SK_PROTOCOL_IMAP);
  g_autoptr(SkServer) pop3 = sk_server_new (SK_PROTOCOL_POP3);
  g_autoptr(SkServer) smtp = sk_server_new (SK_PROTOCOL_SMTP);

  g_assert_cmpint (imap->protocol, ==, SK_PROTOCOL_IMAP);
  g_assert_cmpstr (imap->host, ==, "");
  g_assert_cmpuint (imap->port, ==, 993);
  g_assert_cmpint (imap->security, ==, SK_SECURITY_SSL);
  g_assert_cmpint (imap->auth_method, ==, SK_AUTH_METHOD_AUTO);
  g_assert_null (imap->username);
  g_assert_null (imap->password);
  g_assert_cmpstr (imap->pinned_sha256, ==, "");
  g_assert_false (imap->plain_confirmed);
  g_assert_false (sk_server_takes_login (imap));

  g_assert_cmpuint (pop3->port, ==, 995);
  g_assert_cmpuint (smtp->port, ==, 465);
}

static void
test_login (void)
{
  g_autoptr(SkServer) server = sk_server_new (SK_PROTOCOL_IMAP);

  /* A login always has a password, if only an empty one. */
  sk_server_set_login (server, "biuro", NULL);
  g_assert_true (sk_server_takes_login (server));
  g_assert_cmpstr (server->username, ==, "biuro");
  g_assert_cmpstr (server->password, ==, "");

  sk_server_set_login (server, "biuro", "Zx9-hasło");
  g_assert_cmpstr (server->password, ==, "Zx9-hasło");

  /* No user name, no password. */
  sk_server_set_login (server, NULL, "Zx9-hasło");
  g_assert_false (sk_server_takes_login (server));
  g_assert_null (server->username);
  g_assert_null (server->password);
}

static void
test_copy_equal (void)
{
  g_autoptr(SkServer) server = make_server ();
  g_autoptr(SkServer) copy = sk_server_copy (server);
  SkServer *boxed = g_boxed_copy (SK_TYPE_SERVER, server);

  g_assert_true (sk_server_equal (server, copy));
  g_assert_true (sk_server_equal (server, boxed));
  /* A deep copy: nothing is shared. */
  g_assert_true (copy->host != server->host);
  g_assert_true (copy->username != server->username);
  g_assert_true (copy->password != server->password);
  g_assert_true (copy->pinned_sha256 != server->pinned_sha256);
  g_boxed_free (SK_TYPE_SERVER, boxed);

  /* Every field counts, the password too. */
  for (guint field = 0; field < 9; field++)
    {
      g_autoptr(SkServer) other = sk_server_copy (server);

      switch (field)
        {
        case 0: other->protocol = SK_PROTOCOL_IMAP; break;
        case 1: g_free (other->host); other->host = g_strdup ("smtp.example.org"); break;
        case 2: other->port = 25; break;
        case 3: other->security = SK_SECURITY_SSL; break;
        case 4: other->auth_method = SK_AUTH_METHOD_PLAIN; break;
        case 5: sk_server_set_login (other, "biuro2", "Zx9-hasło"); break;
        case 6: sk_server_set_login (other, "biuro", "inne"); break;
        case 7: g_free (other->pinned_sha256); other->pinned_sha256 = g_strdup (""); break;
        case 8: other->plain_confirmed = FALSE; break;
        default: g_assert_not_reached ();
        }

      if (sk_server_equal (server, other))
        g_error ("field %u is not compared", field);
    }

  /* Any true value is TRUE. */
  copy->plain_confirmed = 2;
  g_assert_true (sk_server_equal (server, copy));

  sk_server_free (NULL);
}

static SkAccount *
make_account (SkAccountType type)
{
  SkAccount *account = test_make_valid_account ("Biuro");

  sk_account_set_account_type (account, type);
  sk_account_set_incoming_host (account, "mail.example.com");
  sk_account_set_incoming_port (account, 143);
  sk_account_set_incoming_security (account, SK_SECURITY_STARTTLS);
  sk_account_set_incoming_auth_method (account, SK_AUTH_METHOD_CRAM_MD5);
  sk_account_set_incoming_pinned_certificate (account, "11:22");
  sk_account_set_password (account, "Zx9-przychodzące");
  sk_account_set_outgoing_port (account, 587);
  sk_account_set_outgoing_security (account, SK_SECURITY_NONE);
  sk_account_set_outgoing_plain_confirmed (account, TRUE);
  sk_account_set_outgoing_auth_method (account, SK_AUTH_METHOD_PLAIN);
  sk_account_set_outgoing_pinned_certificate (account, "33:44");
  sk_account_set_outgoing_username (account, "wysyłka");
  sk_account_set_outgoing_password (account, "Zx9-wychodzące");

  return account;
}

static void
test_dup_incoming (void)
{
  const SkAccountType types[] = { SK_ACCOUNT_TYPE_IMAP, SK_ACCOUNT_TYPE_POP3 };
  const SkProtocol protocols[] = { SK_PROTOCOL_IMAP, SK_PROTOCOL_POP3 };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(SkAccount) account = make_account (types[i]);
      g_autoptr(SkServer) server = sk_account_dup_server (account, SK_TEST_SIDE_INCOMING);

      g_assert_cmpint (server->protocol, ==, protocols[i]);
      g_assert_cmpstr (server->host, ==, "mail.example.com");
      g_assert_cmpuint (server->port, ==, 143);
      g_assert_cmpint (server->security, ==, SK_SECURITY_STARTTLS);
      g_assert_cmpint (server->auth_method, ==, SK_AUTH_METHOD_CRAM_MD5);
      g_assert_cmpstr (server->pinned_sha256, ==, "11:22");
      g_assert_false (server->plain_confirmed);
      g_assert_cmpstr (server->username, ==, "biuro@example.com");
      g_assert_cmpstr (server->password, ==, "Zx9-przychodzące");

      /* A copy: the account does not change with it. */
      g_free (server->host);
      server->host = g_strdup ("other.example.com");
      g_assert_cmpstr (sk_account_get_incoming_host (account), ==, "mail.example.com");

      g_assert_finalize_object (g_steal_pointer (&account));
    }
}

/* The outgoing server takes no login, the incoming one, or its own. */
static void
test_outgoing_login (void)
{
  g_autoptr(SkAccount) account = make_account (SK_ACCOUNT_TYPE_IMAP);
  SkServer *server;

  sk_account_set_outgoing_auth (account, FALSE);
  g_assert_cmpint (sk_account_get_outgoing_login (account), ==, SK_OUTGOING_LOGIN_NONE);
  server = sk_account_dup_server (account, SK_TEST_SIDE_OUTGOING);
  g_assert_cmpint (server->protocol, ==, SK_PROTOCOL_SMTP);
  g_assert_cmpstr (server->host, ==, "smtp.example.com");
  g_assert_cmpuint (server->port, ==, 587);
  g_assert_cmpint (server->security, ==, SK_SECURITY_NONE);
  g_assert_cmpint (server->auth_method, ==, SK_AUTH_METHOD_PLAIN);
  g_assert_cmpstr (server->pinned_sha256, ==, "33:44");
  g_assert_true (server->plain_confirmed);
  g_assert_false (sk_server_takes_login (server));
  g_assert_null (server->password);
  sk_server_free (server);

  /* Whatever the same-login switch says, when there is no login. */
  sk_account_set_outgoing_same_login (account, FALSE);
  g_assert_cmpint (sk_account_get_outgoing_login (account), ==, SK_OUTGOING_LOGIN_NONE);

  sk_account_set_outgoing_auth (account, TRUE);
  sk_account_set_outgoing_same_login (account, TRUE);
  g_assert_cmpint (sk_account_get_outgoing_login (account), ==, SK_OUTGOING_LOGIN_INCOMING);
  server = sk_account_dup_server (account, SK_TEST_SIDE_OUTGOING);
  g_assert_cmpstr (server->username, ==, "biuro@example.com");
  g_assert_cmpstr (server->password, ==, "Zx9-przychodzące");
  sk_server_free (server);

  sk_account_set_outgoing_same_login (account, FALSE);
  g_assert_cmpint (sk_account_get_outgoing_login (account), ==, SK_OUTGOING_LOGIN_OWN);
  server = sk_account_dup_server (account, SK_TEST_SIDE_OUTGOING);
  g_assert_cmpstr (server->username, ==, "wysyłka");
  g_assert_cmpstr (server->password, ==, "Zx9-wychodzące");
  sk_server_free (server);

  g_assert_finalize_object (g_steal_pointer (&account));
}

/* What goes in comes out, for each side and each kind of login. */
static void
test_set_round_trip (void)
{
  g_autoptr(SkAccount) from = make_account (SK_ACCOUNT_TYPE_POP3);
  g_autoptr(SkAccount) to = sk_account_new ();

  sk_account_set_outgoing_same_login (from, FALSE);
  for (SkTestSide side = 0; side < SK_N_TEST_SIDES; side++)
    {
      g_autoptr(SkServer) server = sk_account_dup_server (from, side);
      g_autoptr(SkServer) back = NULL;

      sk_account_set_server (to, side, server);
      back = sk_account_dup_server (to, side);
      g_assert_true (sk_server_equal (server, back));
    }

  /* The incoming server decides the account type. */
  g_assert_cmpint (sk_account_get_account_type (to), ==, SK_ACCOUNT_TYPE_POP3);
  g_assert_cmpint (sk_account_get_outgoing_login (to), ==, SK_OUTGOING_LOGIN_OWN);
  g_assert_cmpstr (sk_account_get_outgoing_username (to), ==, "wysyłka");
  g_assert_cmpstr (sk_account_get_outgoing_password (to), ==, "Zx9-wychodzące");

  /* An outgoing server with no login turns the login off. */
  {
    g_autoptr(SkServer) none = sk_account_dup_server (to, SK_TEST_SIDE_OUTGOING);

    sk_server_set_login (none, NULL, NULL);
    sk_account_set_server (to, SK_TEST_SIDE_OUTGOING, none);
    g_assert_false (sk_account_get_outgoing_auth (to));
    g_assert_cmpint (sk_account_get_outgoing_login (to), ==, SK_OUTGOING_LOGIN_NONE);
  }

  g_assert_finalize_object (g_steal_pointer (&from));
  g_assert_finalize_object (g_steal_pointer (&to));
}

/* An outgoing login equal to the incoming one (or with the same user name
 * and no password yet) is "the same user name and password". */
static void
test_set_same_login (void)
{
  g_autoptr(SkAccount) account = make_account (SK_ACCOUNT_TYPE_IMAP);
  g_autoptr(SkServer) server = sk_account_dup_server (account, SK_TEST_SIDE_OUTGOING);

  sk_server_set_login (server, "biuro@example.com", "Zx9-przychodzące");
  sk_account_set_outgoing_same_login (account, FALSE);
  sk_account_set_server (account, SK_TEST_SIDE_OUTGOING, server);
  g_assert_cmpint (sk_account_get_outgoing_login (account), ==, SK_OUTGOING_LOGIN_INCOMING);
  /* The separate login is kept as it was. */
  g_assert_cmpstr (sk_account_get_outgoing_username (account), ==, "wysyłka");

  sk_account_set_outgoing_same_login (account, FALSE);
  g_free (server->password);
  server->password = NULL;
  sk_account_set_server (account, SK_TEST_SIDE_OUTGOING, server);
  g_assert_cmpint (sk_account_get_outgoing_login (account), ==, SK_OUTGOING_LOGIN_INCOMING);

  /* Another password is another login. */
  sk_server_set_login (server, "biuro@example.com", "inne");
  sk_account_set_server (account, SK_TEST_SIDE_OUTGOING, server);
  g_assert_cmpint (sk_account_get_outgoing_login (account), ==, SK_OUTGOING_LOGIN_OWN);
  g_assert_cmpstr (sk_account_get_outgoing_username (account), ==, "biuro@example.com");
  g_assert_cmpstr (sk_account_get_outgoing_password (account), ==, "inne");

  g_assert_finalize_object (g_steal_pointer (&account));
}

/* The problem is the one sk_account_validate() finds for that field. */
static void
assert_problem (SkAccount  *account,
                SkTestMode  mode,
                SkField     field)
{
  g_autoptr(SkProblem) problem = sk_account_find_test_problem (account, mode);
  g_autoptr(GPtrArray) problems = sk_account_validate (account, NULL);
  const char *expected = NULL;

  g_assert_nonnull (problem);
  g_assert_cmpint (problem->field, ==, field);
  for (guint i = 0; i < problems->len && expected == NULL; i++)
    {
      const SkProblem *each = g_ptr_array_index (problems, i);

      if (each->field == field)
        expected = each->message;
    }
  g_assert_cmpstr (problem->message, ==, expected);
}

static void
test_find_test_problem (void)
{
  g_autoptr(SkAccount) account = make_account (SK_ACCOUNT_TYPE_IMAP);

  g_assert_null (sk_account_find_test_problem (account, SK_TEST_MODE_LOGIN));
  g_assert_null (sk_account_find_test_problem (account, SK_TEST_MODE_SEND));

  /* The name never stands in the way. */
  sk_account_set_name (account, "");
  g_assert_null (sk_account_find_test_problem (account, SK_TEST_MODE_LOGIN));
  g_assert_null (sk_account_find_test_problem (account, SK_TEST_MODE_SEND));

  /* The address only of a message. */
  sk_account_set_email (account, "biuro");
  g_assert_null (sk_account_find_test_problem (account, SK_TEST_MODE_LOGIN));
  assert_problem (account, SK_TEST_MODE_SEND, SK_FIELD_EMAIL);

  /* In the order of the tabs: tab 1 first. */
  sk_account_set_outgoing_host (account, "smtp example com");
  assert_problem (account, SK_TEST_MODE_LOGIN, SK_FIELD_OUTGOING_HOST);
  assert_problem (account, SK_TEST_MODE_SEND, SK_FIELD_EMAIL);
  sk_account_set_email (account, "biuro@example.com");
  assert_problem (account, SK_TEST_MODE_SEND, SK_FIELD_OUTGOING_HOST);

  sk_account_set_incoming_port (account, 0);
  assert_problem (account, SK_TEST_MODE_LOGIN, SK_FIELD_INCOMING_PORT);
  sk_account_set_incoming_port (account, 993);
  sk_account_set_outgoing_host (account, "smtp.example.com");

  /* A line break would put a command of its own on the wire. */
  sk_account_set_password (account, "Zx9\r\nA999 DELETE INBOX");
  assert_problem (account, SK_TEST_MODE_LOGIN, SK_FIELD_PASSWORD);
  sk_account_set_password (account, "Zx9-przychodzące");

  /* A password readable on the network only when the person accepted it. */
  sk_account_set_outgoing_plain_confirmed (account, FALSE);
  assert_problem (account, SK_TEST_MODE_LOGIN, SK_FIELD_OUTGOING_SECURITY);
  assert_problem (account, SK_TEST_MODE_SEND, SK_FIELD_OUTGOING_SECURITY);
  sk_account_set_outgoing_auth (account, FALSE);
  g_assert_null (sk_account_find_test_problem (account, SK_TEST_MODE_SEND));

  sk_account_set_outgoing_auth (account, TRUE);
  sk_account_set_outgoing_plain_confirmed (account, TRUE);
  sk_account_set_outgoing_same_login (account, FALSE);
  sk_account_set_outgoing_username (account, "");
  assert_problem (account, SK_TEST_MODE_SEND, SK_FIELD_OUTGOING_USERNAME);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_find_missing_password (void)
{
  g_autoptr(SkAccount) account = make_account (SK_ACCOUNT_TYPE_IMAP);

  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_LOGIN), ==, SK_N_FIELDS);
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_SEND), ==, SK_N_FIELDS);

  /* The same login: the incoming password serves both. */
  sk_account_set_password (account, "");
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_LOGIN),
                   ==, SK_FIELD_PASSWORD);
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_SEND),
                   ==, SK_FIELD_PASSWORD);

  /* A message goes out through the outgoing server alone. */
  sk_account_set_outgoing_same_login (account, FALSE);
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_LOGIN),
                   ==, SK_FIELD_PASSWORD);
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_SEND), ==, SK_N_FIELDS);

  sk_account_set_password (account, "Zx9-przychodzące");
  sk_account_set_outgoing_password (account, "");
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_LOGIN),
                   ==, SK_FIELD_OUTGOING_PASSWORD);
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_SEND),
                   ==, SK_FIELD_OUTGOING_PASSWORD);

  sk_account_set_outgoing_auth (account, FALSE);
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_LOGIN), ==, SK_N_FIELDS);
  sk_account_set_password (account, "");
  g_assert_cmpint (sk_account_find_missing_password (account, SK_TEST_MODE_SEND), ==, SK_N_FIELDS);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
store_result (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **stored = user_data;

  *stored = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

/* The connection test and the test message refuse what cannot be tested
 * before any connection, in the words of the problem found. */
static void
test_refused (void)
{
  g_autoptr(SkAccount) account = make_account (SK_ACCOUNT_TYPE_IMAP);
  g_autoptr(SkProblem) problem = NULL;
  g_autoptr(GBytes) message = g_bytes_new_static ("Subject: x\r\n\r\nx\r\n", 17);
  g_autoptr(GAsyncResult) tested = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(SkTestResult) test_result = NULL;
  g_autoptr(SkSendResult) send_result = NULL;
  g_autoptr(GError) error = NULL;

  sk_account_set_incoming_host (account, "imap example com");
  problem = sk_account_find_test_problem (account, SK_TEST_MODE_LOGIN);
  sk_connection_test_async (account, NULL, NULL, NULL, NULL, NULL, store_result, &tested);
  test_result = sk_connection_test_finish (wait_for (&tested), &error);
  g_assert_null (test_result);
  g_assert_error (error, SK_CONNECTION_TEST_ERROR, SK_CONNECTION_TEST_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, problem->message);
  g_clear_error (&error);
  g_clear_pointer (&problem, sk_problem_free);

  sk_account_set_incoming_host (account, "imap.example.com");
  sk_account_set_full_name (account, "Biuro\nBcc: x@example.com");
  problem = sk_account_find_test_problem (account, SK_TEST_MODE_SEND);
  g_assert_cmpint (problem->field, ==, SK_FIELD_FULL_NAME);
  sk_test_message_send_async (account, message, NULL, NULL, NULL, NULL, NULL,
                              store_result, &sent);
  send_result = sk_test_message_send_finish (wait_for (&sent), &error);
  g_assert_null (send_result);
  g_assert_error (error, SK_CONNECTION_TEST_ERROR, SK_CONNECTION_TEST_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, problem->message);

  g_assert_finalize_object (g_steal_pointer (&account));
}

/* Problems that stand in the way of each mode, one account each. */
static GPtrArray *
test_problems (void)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_free);
  const SkField fields[] = {
    SK_FIELD_EMAIL, SK_FIELD_INCOMING_HOST, SK_FIELD_INCOMING_PORT, SK_FIELD_USERNAME,
    SK_FIELD_PASSWORD, SK_FIELD_OUTGOING_SECURITY, SK_FIELD_OUTGOING_USERNAME,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(SkAccount) account = make_account (SK_ACCOUNT_TYPE_IMAP);
      g_autoptr(SkProblem) problem = NULL;

      switch (fields[i])
        {
        case SK_FIELD_EMAIL: sk_account_set_email (account, "biuro"); break;
        case SK_FIELD_INCOMING_HOST: sk_account_set_incoming_host (account, ""); break;
        case SK_FIELD_INCOMING_PORT: sk_account_set_incoming_port (account, 0); break;
        case SK_FIELD_USERNAME: sk_account_set_username (account, ""); break;
        case SK_FIELD_PASSWORD: sk_account_set_password (account, "a\nb"); break;
        case SK_FIELD_OUTGOING_SECURITY:
          sk_account_set_outgoing_plain_confirmed (account, FALSE);
          break;
        case SK_FIELD_OUTGOING_USERNAME:
          sk_account_set_outgoing_same_login (account, FALSE);
          sk_account_set_outgoing_username (account, "");
          break;
        default:
          g_assert_not_reached ();
        }

      /* A message goes out through the outgoing server alone: the
       * incoming server's own settings do not stop it, its login (shared
       * here) does. */
      if (fields[i] == SK_FIELD_INCOMING_HOST || fields[i] == SK_FIELD_INCOMING_PORT)
        {
          g_assert_null (sk_account_find_test_problem (account, SK_TEST_MODE_SEND));
          problem = sk_account_find_test_problem (account, SK_TEST_MODE_LOGIN);
        }
      else
        problem = sk_account_find_test_problem (account, SK_TEST_MODE_SEND);
      g_assert_nonnull (problem);
      g_assert_cmpint (problem->field, ==, fields[i]);
      g_ptr_array_add (messages, g_strdup (problem->message));
    }

  return messages;
}

/* The sentences the test says when it cannot start, in Polish. */
static void
test_problems_translated (void)
{
  const char *localedir = g_getenv ("SKRZYNKA_LOCALEDIR");
  g_autofree char *catalogue = NULL;
  g_autoptr(GPtrArray) english = NULL;
  g_autoptr(GPtrArray) polish = NULL;

  if (localedir == NULL)
    {
      g_test_skip ("SKRZYNKA_LOCALEDIR is not set");
      return;
    }

  catalogue = g_build_filename (localedir, "pl", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (catalogue, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("no Polish catalogue was built");
      return;
    }

  /* In the C locale gettext hands every msgid back as it is. */
  setlocale (LC_ALL, "C");
  english = test_problems ();
  g_assert_cmpstr (english->pdata[1], ==,
                   "Enter the incoming mail server, for example imap.example.com.");

  g_setenv ("LANGUAGE", "pl", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  polish = test_problems ();

  g_assert_cmpuint (polish->len, ==, english->len);
  for (guint i = 0; i < english->len; i++)
    {
      g_assert_cmpstr (polish->pdata[i], ==, g_dgettext (GETTEXT_PACKAGE, english->pdata[i]));
      if (strcmp (polish->pdata[i], english->pdata[i]) == 0)
        g_error ("“%s” has no Polish", (char *) english->pdata[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sk/server/new", test_new);
  g_test_add_func ("/sk/server/login", test_login);
  g_test_add_func ("/sk/server/copy-equal", test_copy_equal);
  g_test_add_func ("/sk/server/dup-incoming", test_dup_incoming);
  g_test_add_func ("/sk/server/outgoing-login", test_outgoing_login);
  g_test_add_func ("/sk/server/set-round-trip", test_set_round_trip);
  g_test_add_func ("/sk/server/set-same-login", test_set_same_login);
  g_test_add_func ("/sk/server/find-test-problem", test_find_test_problem);
  g_test_add_func ("/sk/server/find-missing-password", test_find_missing_password);
  g_test_add_func ("/sk/server/refused", test_refused);
  /* Last: it switches the language. */
  g_test_add_func ("/sk/server/problems-translated", test_problems_translated);

  return g_test_run ();
}
