/* test-json.c — the JSON result of a connection test, as scripts read it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-connection-test.h"

static SkSideResult *
make_side (SkTestSide   side,
           SkProtocol   protocol,
           const char  *host,
           guint        port,
           SkSecurity   security,
           SkTestStep   last_step,
           gboolean     ok)
{
  SkSideResult *result = g_new0 (SkSideResult, 1);
  const double times[SK_N_TEST_STEPS] = { 0.011, 0.034, 0.0949, 0.105, 0.4149 };

  result->side = side;
  result->protocol = protocol;
  result->host = g_strdup (host);
  result->port = port;
  result->security = security;
  result->ok = ok;
  result->seconds = 0.4151;

  for (guint i = 0; i < SK_N_TEST_STEPS; i++)
    {
      result->step_state[i] = i < last_step ? SK_STEP_OK
                              : i == last_step ? (ok ? SK_STEP_OK : SK_STEP_FAILED)
                              : SK_STEP_SKIPPED;
      result->step_seconds[i] = result->step_state[i] == SK_STEP_SKIPPED ? 0 : times[i];
    }

  result->diagnosis = g_new0 (SkDiagnosis, 1);
  result->diagnosis->code = ok ? SK_DIAGNOSIS_OK : SK_DIAGNOSIS_BAD_CREDENTIALS;
  result->diagnosis->message = g_strdup (sk_diagnosis_code_message (result->diagnosis->code));

  return result;
}

/* Every field set, and every kind of character a JSON string must escape. */
static SkTestResult *
make_result (void)
{
  SkTestResult *result = g_new0 (SkTestResult, 1);
  SkSideResult *incoming;
  SkSideResult *outgoing;

  result->account_name = g_strdup ("Biuro \"Łódź\" \\ 1\t2\n\x01");
  result->ok = FALSE;

  incoming = make_side (SK_TEST_SIDE_INCOMING, SK_PROTOCOL_IMAP, "imap.gmail.com", 993,
                        SK_SECURITY_SSL, SK_TEST_STEP_LOGIN, FALSE);
  incoming->diagnosis->guide_step = 3;
  incoming->server_reply = g_strdup ("A002 NO [ALERT] Zażółć\r\nline\x7f");
  incoming->transcript = g_strdup ("< * OK\n> A001 LOGIN biuro ********\n");
  incoming->certificate = g_new0 (SkCertificateInfo, 1);
  incoming->certificate->subject = g_strdup ("CN=imap.gmail.com");
  incoming->certificate->issuer = g_strdup ("CN=WR2,O=Google Trust Services,C=US");
  incoming->certificate->not_before = g_date_time_new_utc (2025, 1, 2, 3, 4, 5);
  incoming->certificate->not_after = g_date_time_new_utc (2025, 3, 27, 23, 59, 59);
  incoming->certificate->sha256 = g_strdup ("AB:CD");
  incoming->certificate->trusted = TRUE;
  result->sides[SK_TEST_SIDE_INCOMING] = incoming;

  /* STARTTLS: the greeting comes before TLS. */
  outgoing = make_side (SK_TEST_SIDE_OUTGOING, SK_PROTOCOL_SMTP, "smtp.example.com", 587,
                        SK_SECURITY_STARTTLS, SK_TEST_STEP_GREETING, FALSE);
  outgoing->step_state[SK_TEST_STEP_TLS] = SK_STEP_SKIPPED;
  result->sides[SK_TEST_SIDE_OUTGOING] = outgoing;

  return result;
}

#define EXPECTED \
  "{\"account\":\"Biuro \\\"Łódź\\\" \\\\ 1\\t2\\n\\u0001\",\"ok\":false," \
  "\"incoming\":{\"protocol\":\"imap\",\"host\":\"imap.gmail.com\",\"port\":993," \
  "\"security\":\"ssl\",\"ok\":false,\"seconds\":0.42," \
  "\"steps\":[{\"step\":\"resolve\",\"ok\":true,\"seconds\":0.01}," \
  "{\"step\":\"connect\",\"ok\":true,\"seconds\":0.03}," \
  "{\"step\":\"tls\",\"ok\":true,\"seconds\":0.09}," \
  "{\"step\":\"greeting\",\"ok\":true,\"seconds\":0.10}," \
  "{\"step\":\"login\",\"ok\":false,\"seconds\":0.41}]," \
  "\"certificate\":{\"subject\":\"CN=imap.gmail.com\"," \
  "\"issuer\":\"CN=WR2,O=Google Trust Services,C=US\"," \
  "\"not_before\":\"2025-01-02T03:04:05Z\",\"not_after\":\"2025-03-27T23:59:59Z\"," \
  "\"sha256\":\"AB:CD\"}," \
  "\"diagnosis\":{\"code\":\"bad-credentials\",\"guide_step\":3,\"message\":\"%s\"}," \
  "\"server_reply\":\"A002 NO [ALERT] Zażółć\\r\\nline\x7f\"," \
  "\"transcript\":\"< * OK\\n> A001 LOGIN biuro ********\\n\"}," \
  "\"outgoing\":{\"protocol\":\"smtp\",\"host\":\"smtp.example.com\",\"port\":587," \
  "\"security\":\"starttls\",\"ok\":false,\"seconds\":0.42," \
  "\"steps\":[{\"step\":\"resolve\",\"ok\":true,\"seconds\":0.01}," \
  "{\"step\":\"connect\",\"ok\":true,\"seconds\":0.03}," \
  "{\"step\":\"greeting\",\"ok\":false,\"seconds\":0.10}]," \
  "\"certificate\":null," \
  "\"diagnosis\":{\"code\":\"bad-credentials\",\"guide_step\":null,\"message\":\"%s\"}," \
  "\"server_reply\":null,\"transcript\":null}}"

static void
test_exact (void)
{
  g_autoptr(SkTestResult) result = make_result ();
  g_autofree char *json = sk_test_result_to_json (result);
  const char *message = sk_diagnosis_code_message (SK_DIAGNOSIS_BAD_CREDENTIALS);
  g_autofree char *expected = g_strdup_printf (EXPECTED, message, message);

  g_assert_cmpstr (json, ==, expected);
  /* One line: a script reads it with one readline(). */
  g_assert_null (strchr (json, '\n'));
  g_assert_true (g_utf8_validate (json, -1, NULL));
}

/* Another reader than ours: Python's json module takes it back, with the
 * values that went in. */
#define CHECK_SCRIPT \
  "import json, sys\n" \
  "r = json.loads(sys.stdin.read())\n" \
  "assert list(r) == ['account', 'ok', 'incoming', 'outgoing'], list(r)\n" \
  "assert r['account'] == 'Biuro \"Łódź\" \\\\ 1\\t2\\n\\x01', repr(r['account'])\n" \
  "i, o = r['incoming'], r['outgoing']\n" \
  "keys = ['protocol', 'host', 'port', 'security', 'ok', 'seconds', 'steps',\n" \
  "        'certificate', 'diagnosis', 'server_reply', 'transcript']\n" \
  "assert list(i) == keys and list(o) == keys, (list(i), list(o))\n" \
  "assert i['port'] == 993 and isinstance(i['seconds'], float)\n" \
  "assert [s['step'] for s in o['steps']] == ['resolve', 'connect', 'greeting']\n" \
  "assert list(i['certificate']) == ['subject', 'issuer', 'not_before', 'not_after', 'sha256']\n" \
  "assert i['diagnosis']['guide_step'] == 3 and o['diagnosis']['guide_step'] is None\n" \
  "assert i['server_reply'] == 'A002 NO [ALERT] Zażółć\\r\\nline\\x7f'\n" \
  "assert o['certificate'] is None and o['server_reply'] is None\n"

static void
test_parsed (void)
{
  g_autoptr(SkTestResult) result = make_result ();
  g_autofree char *json = sk_test_result_to_json (result);
  g_autoptr(GSubprocess) python = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no /usr/bin/python3");
      return;
    }

  python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                             &error, "/usr/bin/python3", "-c", CHECK_SCRIPT, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (python, json, NULL, NULL, &err, &error);
  g_assert_no_error (error);

  if (!g_subprocess_get_if_exited (python) || g_subprocess_get_exit_status (python) != 0)
    g_error ("Python does not read the JSON back:\n%s\n%s", err, json);
}

static void
test_names (void)
{
  const char *steps[] = { "resolve", "connect", "tls", "greeting", "login" };

  for (guint i = 0; i < SK_N_TEST_STEPS; i++)
    g_assert_cmpstr (sk_test_step_to_string (i), ==, steps[i]);

  g_assert_cmpstr (sk_protocol_to_string (SK_PROTOCOL_IMAP), ==, "imap");
  g_assert_cmpstr (sk_protocol_to_string (SK_PROTOCOL_POP3), ==, "pop3");
  g_assert_cmpstr (sk_protocol_to_string (SK_PROTOCOL_SMTP), ==, "smtp");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sk/json/exact", test_exact);
  g_test_add_func ("/sk/json/parsed", test_parsed);
  g_test_add_func ("/sk/json/names", test_names);

  return g_test_run ();
}
