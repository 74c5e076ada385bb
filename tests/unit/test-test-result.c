/* test-test-result.c — what a connection test found, as scripts read it
 * (JSON) and as IT support reads it (the text report), without a network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/sk-connection-test.h"
#include "core/sk-format.h"
#include "core/sk-test-message.h"
#include "test-util.h"

#define WEB_LOGIN_URL "https://accounts.google.com/signin/continue?sarp=1&scc=1"

static SkDiagnosis *
make_diagnosis (SkDiagnosisCode  code,
                int              guide_step,
                const char      *web_login_url)
{
  SkDiagnosis *diagnosis = g_new0 (SkDiagnosis, 1);

  diagnosis->code = code;
  diagnosis->guide_step = guide_step;
  diagnosis->message = g_strdup (sk_diagnosis_code_message (code));
  diagnosis->web_login_url = g_strdup (web_login_url);

  return diagnosis;
}

/* Google asked for a web login, over SSL/TLS: every field set. */
static SkSideResult *
make_incoming (void)
{
  SkSideResult *side = g_new0 (SkSideResult, 1);
  const double times[SK_N_TEST_STEPS] = { 0.012, 0.03, 0.0951, 0.1, 1.5 };

  side->side = SK_TEST_SIDE_INCOMING;
  side->protocol = SK_PROTOCOL_IMAP;
  side->host = g_strdup ("imap.gmail.com");
  side->port = 993;
  side->security = SK_SECURITY_SSL;
  side->ok = FALSE;
  side->seconds = 1.504;
  for (guint i = 0; i < SK_N_TEST_STEPS; i++)
    {
      side->step_state[i] = i == SK_TEST_STEP_LOGIN ? SK_STEP_FAILED : SK_STEP_OK;
      side->step_seconds[i] = times[i];
    }
  side->certificate = g_new0 (SkCertificateInfo, 1);
  side->certificate->subject = g_strdup ("CN=imap.gmail.com");
  side->certificate->issuer = g_strdup ("CN=WR2,O=Google Trust Services,C=US");
  side->certificate->not_before = g_date_time_new_utc (2026, 11, 2, 8, 30, 0);
  side->certificate->not_after = g_date_time_new_utc (2027, 1, 25, 8, 29, 59);
  side->certificate->sha256 = g_strdup ("AB:CD:EF");
  side->certificate->trusted = TRUE;
  side->diagnosis = make_diagnosis (SK_DIAGNOSIS_WEB_LOGIN_REQUIRED, 1, WEB_LOGIN_URL);
  side->server_reply = g_strdup ("A002 NO [ALERT] Please log in via your web browser");
  side->transcript = g_strdup ("< * OK Gimap ready\n> A001 CAPABILITY\n> A002 LOGIN biuro ********");

  return side;
}

/* A plain SMTP server that refused the connection: no certificate, no
 * guide step, no reply, no conversation. */
static SkSideResult *
make_outgoing (void)
{
  SkSideResult *side = g_new0 (SkSideResult, 1);

  side->side = SK_TEST_SIDE_OUTGOING;
  side->protocol = SK_PROTOCOL_SMTP;
  side->host = g_strdup ("smtp.example.com");
  side->port = 587;
  side->security = SK_SECURITY_NONE;
  side->ok = FALSE;
  side->seconds = 0.004;
  side->step_state[SK_TEST_STEP_RESOLVE] = SK_STEP_OK;
  side->step_seconds[SK_TEST_STEP_RESOLVE] = 0.001;
  side->step_state[SK_TEST_STEP_CONNECT] = SK_STEP_FAILED;
  side->step_seconds[SK_TEST_STEP_CONNECT] = 0.004;
  side->step_state[SK_TEST_STEP_TLS] = SK_STEP_SKIPPED;
  side->step_state[SK_TEST_STEP_GREETING] = SK_STEP_SKIPPED;
  side->step_state[SK_TEST_STEP_LOGIN] = SK_STEP_SKIPPED;
  side->diagnosis = make_diagnosis (SK_DIAGNOSIS_CONNECTION_REFUSED, 0, NULL);

  return side;
}

static SkTestResult *
make_result (void)
{
  SkTestResult *result = g_new0 (SkTestResult, 1);

  result->account_name = g_strdup ("Biuro");
  result->sides[SK_TEST_SIDE_INCOMING] = make_incoming ();
  result->sides[SK_TEST_SIDE_OUTGOING] = make_outgoing ();

  return result;
}

#define INCOMING_JSON \
  "{\"protocol\":\"imap\",\"host\":\"imap.gmail.com\",\"port\":993,\"security\":\"ssl\"," \
  "\"ok\":false,\"seconds\":1.50," \
  "\"steps\":[{\"step\":\"resolve\",\"ok\":true,\"seconds\":0.01}," \
  "{\"step\":\"connect\",\"ok\":true,\"seconds\":0.03}," \
  "{\"step\":\"tls\",\"ok\":true,\"seconds\":0.10}," \
  "{\"step\":\"greeting\",\"ok\":true,\"seconds\":0.10}," \
  "{\"step\":\"login\",\"ok\":false,\"seconds\":1.50}]," \
  "\"certificate\":{\"subject\":\"CN=imap.gmail.com\"," \
  "\"issuer\":\"CN=WR2,O=Google Trust Services,C=US\"," \
  "\"not_before\":\"2026-11-02T08:30:00Z\",\"not_after\":\"2027-01-25T08:29:59Z\"," \
  "\"sha256\":\"AB:CD:EF\"}," \
  "\"diagnosis\":{\"code\":\"web-login-required\",\"guide_step\":1,\"message\":\"%s\"," \
  "\"web_login_url\":\"" WEB_LOGIN_URL "\"}," \
  "\"server_reply\":\"A002 NO [ALERT] Please log in via your web browser\"," \
  "\"transcript\":\"< * OK Gimap ready\\n> A001 CAPABILITY\\n> A002 LOGIN biuro ********\"}"

/* Security None: the steps in the STARTTLS order, only those that ran. */
#define OUTGOING_JSON \
  "{\"protocol\":\"smtp\",\"host\":\"smtp.example.com\",\"port\":587,\"security\":\"none\"," \
  "\"ok\":false,\"seconds\":0.00," \
  "\"steps\":[{\"step\":\"resolve\",\"ok\":true,\"seconds\":0.00}," \
  "{\"step\":\"connect\",\"ok\":false,\"seconds\":0.00}]," \
  "\"certificate\":null," \
  "\"diagnosis\":{\"code\":\"connection-refused\",\"guide_step\":null,\"message\":\"%s\"}," \
  "\"server_reply\":null,\"transcript\":null}"

static void
test_json (void)
{
  g_autoptr(SkTestResult) result = make_result ();
  g_autofree char *json = sk_test_result_to_json (result);
  g_autofree char *expected = g_strdup_printf ("{\"account\":\"Biuro\",\"ok\":false,"
                                               "\"incoming\":" INCOMING_JSON ","
                                               "\"outgoing\":" OUTGOING_JSON "}",
                                               sk_diagnosis_code_message (SK_DIAGNOSIS_WEB_LOGIN_REQUIRED),
                                               sk_diagnosis_code_message (SK_DIAGNOSIS_CONNECTION_REFUSED));

  g_assert_cmpstr (json, ==, expected);
}

/* A side that did not run, and one without a diagnosis, are null. */
static void
test_json_missing (void)
{
  g_autoptr(SkTestResult) result = g_new0 (SkTestResult, 1);
  g_autofree char *json = NULL;

  result->ok = TRUE;
  result->sides[SK_TEST_SIDE_OUTGOING] = make_outgoing ();
  g_clear_pointer (&result->sides[SK_TEST_SIDE_OUTGOING]->diagnosis, sk_diagnosis_free);

  json = sk_test_result_to_json (result);
  g_assert_true (g_str_has_prefix (json, "{\"account\":null,\"ok\":true,\"incoming\":null,"
                                         "\"outgoing\":{\"protocol\":\"smtp\","));
  g_assert_nonnull (strstr (json, "\"certificate\":null,\"diagnosis\":null,"
                                  "\"server_reply\":null,\"transcript\":null}}"));
}

/* Whatever a server or a person typed stays one valid JSON string. */
static void
test_json_escaping (void)
{
  g_autoptr(SkTestResult) result = make_result ();
  SkSideResult *incoming = result->sides[SK_TEST_SIDE_INCOMING];
  g_autofree char *json = NULL;

  g_free (result->account_name);
  result->account_name = g_strdup ("Biuro \"Łódź\" \\ C:\\poczta\b\f\x1f/");
  g_free (incoming->server_reply);
  incoming->server_reply = g_strdup ("* BAD\r\n\t\x01 bad byte \xff end");
  g_free (incoming->certificate->subject);
  incoming->certificate->subject = g_strdup ("CN=\"mail\",O=Zażółć\n");

  json = sk_test_result_to_json (result);
  g_assert_true (g_utf8_validate (json, -1, NULL));
  g_assert_null (strchr (json, '\n'));
  g_assert_true (g_str_has_prefix (json, "{\"account\":\"Biuro \\\"Łódź\\\" \\\\ "
                                         "C:\\\\poczta\\b\\f\\u001f/\","));
  g_assert_nonnull (strstr (json, "\"server_reply\":\"* BAD\\r\\n\\t\\u0001 bad byte "
                                  "\xef\xbf\xbd end\""));
  g_assert_nonnull (strstr (json, "\"subject\":\"CN=\\\"mail\\\",O=Zażółć\\n\""));
}

static void
test_send_json (void)
{
  g_autoptr(SkSendResult) result = g_new0 (SkSendResult, 1);
  g_autofree char *json = NULL;
  g_autofree char *without = NULL;
  g_autofree char *expected = NULL;

  result->account_name = g_strdup ("Biuro");
  result->is_signed = TRUE;
  result->message_id = g_strdup ("<1.2@example.com>");
  without = sk_send_result_to_json (result);
  g_assert_cmpstr (without, ==,
                   "{\"account\":\"Biuro\",\"ok\":false,\"signed\":true,"
                   "\"message_id\":\"<1.2@example.com>\",\"final_reply\":null,"
                   "\"outgoing\":null}");

  result->sent = TRUE;
  result->final_reply = g_strdup ("250 2.0.0 Ok: queued as \"A1\"");
  result->side = make_outgoing ();
  json = sk_send_result_to_json (result);
  expected = g_strdup_printf ("{\"account\":\"Biuro\",\"ok\":true,\"signed\":true,"
                              "\"message_id\":\"<1.2@example.com>\","
                              "\"final_reply\":\"250 2.0.0 Ok: queued as \\\"A1\\\"\","
                              "\"outgoing\":" OUTGOING_JSON "}",
                              sk_diagnosis_code_message (SK_DIAGNOSIS_CONNECTION_REFUSED));
  g_assert_cmpstr (json, ==, expected);
}

static SkAccount *
make_tested (void)
{
  SkAccount *account = test_make_valid_account ("Biuro");

  sk_account_set_incoming_host (account, "imap.gmail.com");
  sk_account_set_password (account, "Zx9-tajne-hasło");
  sk_account_set_outgoing_port (account, 587);

  return account;
}

/* The lines of text from the one starting with first, up to (not with)
 * the next empty line or section. */
static char *
find_block (const char *text,
            const char *first)
{
  const char *start = strstr (text, first);
  const char *end;

  g_assert_nonnull (start);
  end = strstr (start, "\n\n");
  return g_strndup (start, end != NULL ? end - start + 1 : (gssize) strlen (start));
}

static void
test_text (void)
{
  g_autoptr(SkTestResult) result = make_result ();
  g_autoptr(SkAccount) tested = make_tested ();
  g_autofree char *text = sk_test_result_to_text (result, tested);
  g_autofree char *incoming = NULL;
  g_autofree char *outgoing = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_cmpstr (lines[0], ==, "Skrzynka connection test");
  g_assert_cmpstr (lines[1], ==, "Version: " PACKAGE_VERSION);
  g_assert_true (g_str_has_prefix (lines[2], "Date: "));
  g_assert_cmpstr (lines[3], ==, "Account: Biuro");
  g_assert_cmpstr (lines[4], ==, "Result: failed");

  /* The settings as --test-file reads them, never the password. */
  settings = g_strndup (strstr (text, "== Settings =="),
                        strstr (text, "== Incoming (IMAP) ==") - strstr (text, "== Settings =="));
  g_assert_nonnull (strstr (settings, "\nincoming-host=imap.gmail.com\n"));
  g_assert_nonnull (strstr (settings, "\noutgoing-port=587\n"));
  g_assert_null (strstr (text, "Zx9-tajne-hasło"));

  incoming = find_block (text, "== Incoming (IMAP) ==\n");
  expected = g_strdup_printf ("== Incoming (IMAP) ==\n"
                              "Server: imap.gmail.com:993, ssl\n"
                              "Result: web-login-required (1.50 s)\n"
                              "  %s\n"
                              "Steps:\n"
                              "  resolve    ok           0.01 s\n"
                              "  connect    ok           0.03 s\n"
                              "  tls        ok           0.10 s\n"
                              "  greeting   ok           0.10 s\n"
                              "  login      failed       1.50 s\n"
                              "Certificate:\n"
                              "  Issued to: CN=imap.gmail.com\n"
                              "  Issued by: CN=WR2,O=Google Trust Services,C=US\n"
                              "  Valid: from 2 November 2026 to 25 January 2027\n"
                              "  SHA-256: AB:CD:EF\n"
                              "  Trusted: yes\n"
                              "Last server reply: A002 NO [ALERT] Please log in via your "
                              "web browser\n"
                              "Conversation:\n"
                              "< * OK Gimap ready\n> A001 CAPABILITY\n"
                              "> A002 LOGIN biuro ********\n",
                              sk_diagnosis_code_message (SK_DIAGNOSIS_WEB_LOGIN_REQUIRED));
  g_assert_cmpstr (incoming, ==, expected);
  g_clear_pointer (&expected, g_free);

  /* Outgoing comes last: to the end of the text. */
  outgoing = find_block (text, "== Outgoing (SMTP) ==\n");
  g_assert_true (g_str_has_suffix (text, outgoing));
  g_assert_true (strstr (text, "== Settings ==") < strstr (text, "== Incoming (IMAP) =="));
  expected = g_strdup_printf ("== Outgoing (SMTP) ==\n"
                              "Server: smtp.example.com:587, none\n"
                              "Result: connection-refused (0.00 s)\n"
                              "  %s\n"
                              "Steps:\n"
                              "  resolve    ok           0.00 s\n"
                              "  connect    failed       0.00 s\n"
                              "  tls        skipped      \n"
                              "  greeting   skipped      \n"
                              "  login      skipped      \n"
                              "Certificate: none (no secure connection was made)\n"
                              "Conversation:\n",
                              sk_diagnosis_code_message (SK_DIAGNOSIS_CONNECTION_REFUSED));
  g_assert_cmpstr (outgoing, ==, expected);

  g_assert_finalize_object (g_steal_pointer (&tested));
}

/* A certificate's "no expiry" (RFC 5280) has no local time east of UTC:
 * the report shows the date all the same. */
static void
test_text_no_expiry (void)
{
  g_autoptr(SkTestResult) result = make_result ();
  g_autoptr(SkAccount) tested = make_tested ();
  SkCertificateInfo *certificate = result->sides[SK_TEST_SIDE_INCOMING]->certificate;
  g_autofree char *text = NULL;
  g_autofree char *old_tz = g_strdup (g_getenv ("TZ"));

  g_date_time_unref (certificate->not_after);
  certificate->not_after = g_date_time_new_utc (9999, 12, 31, 23, 59, 59);
  g_clear_pointer (&certificate->not_before, g_date_time_unref);

  g_setenv ("TZ", "Europe/Warsaw", TRUE);
  text = sk_test_result_to_text (result, tested);
  if (old_tz != NULL)
    g_setenv ("TZ", old_tz, TRUE);
  else
    g_unsetenv ("TZ");

  g_assert_nonnull (strstr (text, "\n  Valid: from unknown to 31 December 9999\n"));
  g_assert_finalize_object (g_steal_pointer (&tested));
}

static GPtrArray *
all_titles (void)
{
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

  for (SkTestStep step = 0; step < SK_N_TEST_STEPS; step++)
    g_ptr_array_add (titles, g_strdup (sk_test_step_get_title (step)));
  g_ptr_array_add (titles, sk_test_side_dup_title (SK_TEST_SIDE_INCOMING, SK_PROTOCOL_IMAP));
  g_ptr_array_add (titles, sk_test_side_dup_title (SK_TEST_SIDE_INCOMING, SK_PROTOCOL_POP3));
  g_ptr_array_add (titles, sk_test_side_dup_title (SK_TEST_SIDE_OUTGOING, SK_PROTOCOL_SMTP));

  return titles;
}

static void
test_titles (void)
{
  const char * const expected[] = {
    "Resolve name", "Connect", "Secure connection", "Server greeting", "Log in",
    "Incoming (IMAP)", "Incoming (POP3)", "Outgoing (SMTP)",
  };
  g_autoptr(GPtrArray) titles = all_titles ();
  g_autofree char *seconds = sk_format_seconds (0.125);

  g_assert_cmpuint (titles->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < titles->len; i++)
    g_assert_cmpstr (titles->pdata[i], ==, expected[i]);

  g_assert_cmpstr (seconds, ==, "0.12 s");
}

/* The same words in Polish, from the catalogue. */
static void
test_titles_translated (void)
{
  const char *localedir = g_getenv ("SKRZYNKA_LOCALEDIR");
  g_autofree char *catalogue = NULL;
  g_autoptr(GPtrArray) english = all_titles ();
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

  g_setenv ("LANGUAGE", "pl", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  polish = all_titles ();

  g_assert_cmpstr (polish->pdata[SK_TEST_STEP_RESOLVE], ==, "Wyszukanie");
  g_assert_cmpstr (polish->pdata[SK_TEST_STEP_LOGIN], ==, "Logowanie");
  g_assert_cmpstr (polish->pdata[SK_N_TEST_STEPS], ==, "Poczta przychodząca (IMAP)");
  g_assert_cmpstr (polish->pdata[SK_N_TEST_STEPS + 2], ==, "Poczta wychodząca (SMTP)");

  g_assert_cmpuint (polish->len, ==, english->len);
  for (guint i = 0; i < polish->len; i++)
    if (g_strcmp0 (polish->pdata[i], english->pdata[i]) == 0)
      g_error ("“%s” has no Polish", (char *) english->pdata[i]);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sk/test-result/json", test_json);
  g_test_add_func ("/sk/test-result/json-missing", test_json_missing);
  g_test_add_func ("/sk/test-result/json-escaping", test_json_escaping);
  g_test_add_func ("/sk/test-result/send-json", test_send_json);
  g_test_add_func ("/sk/test-result/text", test_text);
  g_test_add_func ("/sk/test-result/text-no-expiry", test_text_no_expiry);
  g_test_add_func ("/sk/test-result/titles", test_titles);
  /* Last: it switches the language. */
  g_test_add_func ("/sk/test-result/titles-translated", test_titles_translated);

  return g_test_run ();
}
