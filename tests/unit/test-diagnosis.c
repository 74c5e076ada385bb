/* test-diagnosis.c — from what a connection test saw to a sentence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <curl/curl.h>

#include "core/sk-diagnosis.h"

/* DESIGN.md's codes, in the order of the enum: scripts rely on them. */
static const char * const design_codes[] = {
  "ok", "app-password-required", "bad-credentials", "web-login-required",
  "protocol-disabled", "starttls-required", "temporary-failure", "name-not-found",
  "connection-refused", "timeout", "tls-untrusted", "tls-expired", "tls-wrong-host",
  "tls-failed", "no-starttls", "no-authentication", "auth-method-unavailable",
  "cancelled", "server-error",
};

/* Google's own replies come into the reply table with the Gmail guide:
 * until then no input leads to these. */
static const SkDiagnosisCode google_only[] = {
  SK_DIAGNOSIS_APP_PASSWORD_REQUIRED,
  SK_DIAGNOSIS_WEB_LOGIN_REQUIRED,
  SK_DIAGNOSIS_PROTOCOL_DISABLED,
};

static void
test_codes (void)
{
  g_autoptr(GHashTable) messages = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (G_N_ELEMENTS (design_codes), ==, SK_N_DIAGNOSES);

  for (guint i = 0; i < SK_N_DIAGNOSES; i++)
    {
      const char *message = sk_diagnosis_code_message (i);

      g_assert_cmpstr (sk_diagnosis_code_to_string (i), ==, design_codes[i]);

      g_assert_nonnull (message);
      g_assert_cmpuint (strlen (message), >, 10);
      /* A sentence, not a technical note. */
      g_assert_true (g_ascii_isupper (message[0]));
      g_assert_true (g_str_has_suffix (message, "."));
      if (!g_hash_table_add (messages, (gpointer) message))
        g_error ("two codes share the sentence “%s”", message);
    }
}

typedef struct
{
  const char      *what;
  SkDiagnosisInput input;
  SkDiagnosisCode  code;
  int              guide_step;
} Case;

#define IMAP(...) { .protocol = SK_PROTOCOL_IMAP, .host = "imap.example.com", __VA_ARGS__ }
#define POP3(...) { .protocol = SK_PROTOCOL_POP3, .host = "pop.example.com", __VA_ARGS__ }
#define SMTP(...) { .protocol = SK_PROTOCOL_SMTP, .host = "smtp.example.com", __VA_ARGS__ }

static const Case cases[] = {
  { "logged in",
    IMAP (.curl_code = CURLE_OK, .login_wanted = TRUE, .login_attempted = TRUE, .logged_in = TRUE),
    SK_DIAGNOSIS_OK, 0 },
  { "SMTP without authentication, none wanted",
    SMTP (.curl_code = CURLE_OK),
    SK_DIAGNOSIS_OK, 0 },
  { "SMTP offering no AUTH",
    SMTP (.curl_code = CURLE_OK, .login_wanted = TRUE),
    SK_DIAGNOSIS_NO_AUTHENTICATION, 0 },
  { "IMAP PREAUTH",
    IMAP (.curl_code = CURLE_OK, .tls_chosen = TRUE, .tls_established = TRUE, .login_wanted = TRUE),
    SK_DIAGNOSIS_NO_AUTHENTICATION, 0 },
  { "security None, STARTTLS offered",
    POP3 (.curl_code = CURLE_OK, .login_wanted = TRUE, .starttls_offered = TRUE),
    SK_DIAGNOSIS_STARTTLS_REQUIRED, 5 },
  { "cancelled",
    IMAP (.curl_code = CURLE_ABORTED_BY_CALLBACK, .login_wanted = TRUE, .certificate_expired = TRUE),
    SK_DIAGNOSIS_CANCELLED, 0 },
  { "unknown host",
    IMAP (.curl_code = CURLE_COULDNT_RESOLVE_HOST, .login_wanted = TRUE),
    SK_DIAGNOSIS_NAME_NOT_FOUND, 0 },
  { "closed port",
    SMTP (.curl_code = CURLE_COULDNT_CONNECT, .login_wanted = TRUE),
    SK_DIAGNOSIS_CONNECTION_REFUSED, 5 },
  { "silent server",
    IMAP (.curl_code = CURLE_OPERATION_TIMEDOUT, .login_wanted = TRUE,
          .last_reply = "A001 NO [UNAVAILABLE] later"),
    SK_DIAGNOSIS_TIMEOUT, 0 },
  { "untrusted certificate",
    IMAP (.curl_code = CURLE_PEER_FAILED_VERIFICATION, .tls_chosen = TRUE, .login_wanted = TRUE),
    SK_DIAGNOSIS_TLS_UNTRUSTED, 0 },
  { "expired certificate",
    IMAP (.curl_code = CURLE_PEER_FAILED_VERIFICATION, .tls_chosen = TRUE,
          .certificate_expired = TRUE),
    SK_DIAGNOSIS_TLS_EXPIRED, 0 },
  { "certificate for another name",
    SMTP (.curl_code = CURLE_PEER_FAILED_VERIFICATION, .certificate_wrong_host = TRUE),
    SK_DIAGNOSIS_TLS_WRONG_HOST, 0 },
  { "pinned certificate changed",
    IMAP (.curl_code = CURLE_PEER_FAILED_VERIFICATION, .tls_chosen = TRUE,
          .certificate_pin_mismatch = TRUE),
    SK_DIAGNOSIS_TLS_UNTRUSTED, 0 },
  { "plain text on a TLS port",
    IMAP (.curl_code = CURLE_SSL_CONNECT_ERROR, .tls_chosen = TRUE, .login_wanted = TRUE),
    SK_DIAGNOSIS_TLS_FAILED, 5 },
  { "connection dropped during the TLS handshake",
    POP3 (.curl_code = CURLE_RECV_ERROR, .tls_chosen = TRUE, .login_wanted = TRUE),
    SK_DIAGNOSIS_TLS_FAILED, 5 },
  { "STARTTLS handshake failed",
    SMTP (.curl_code = CURLE_SSL_CONNECT_ERROR, .login_wanted = TRUE),
    SK_DIAGNOSIS_TLS_FAILED, 0 },
  { "connection dropped after TLS",
    POP3 (.curl_code = CURLE_RECV_ERROR, .tls_chosen = TRUE, .tls_established = TRUE),
    SK_DIAGNOSIS_SERVER_ERROR, 0 },
  { "no STARTTLS offered",
    IMAP (.curl_code = CURLE_USE_SSL_FAILED, .login_wanted = TRUE),
    SK_DIAGNOSIS_NO_STARTTLS, 5 },
  { "wrong password",
    IMAP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .last_reply = "A002 NO [AUTHENTICATIONFAILED] Authentication failed."),
    SK_DIAGNOSIS_BAD_CREDENTIALS, 0 },
  { "wrong password at Google",
    { .protocol = SK_PROTOCOL_SMTP, .host = "SMTP.Gmail.com.", .curl_code = CURLE_LOGIN_DENIED,
      .login_wanted = TRUE, .login_attempted = TRUE },
    SK_DIAGNOSIS_BAD_CREDENTIALS, 4 },
  { "no mechanism fits, nothing sent",
    SMTP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE),
    SK_DIAGNOSIS_AUTH_METHOD_UNAVAILABLE, 0 },
  { "authentication error",
    IMAP (.curl_code = CURLE_AUTH_ERROR, .login_wanted = TRUE, .login_attempted = TRUE),
    SK_DIAGNOSIS_AUTH_METHOD_UNAVAILABLE, 0 },
  { "IMAP [UNAVAILABLE]",
    IMAP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .last_reply = "A002 NO [unavailable] Try again later"),
    SK_DIAGNOSIS_TEMPORARY_FAILURE, 0 },
  { "POP3 [SYS/TEMP]",
    POP3 (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .last_reply = "-ERR [SYS/TEMP] Disk full"),
    SK_DIAGNOSIS_TEMPORARY_FAILURE, 0 },
  { "POP3 [LOGIN-DELAY]",
    POP3 (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .last_reply = "-ERR [LOGIN-DELAY] wait"),
    SK_DIAGNOSIS_TEMPORARY_FAILURE, 0 },
  { "SMTP 454",
    SMTP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .last_reply = "454 4.7.0 Temporary authentication failure"),
    SK_DIAGNOSIS_TEMPORARY_FAILURE, 0 },
  { "SMTP wants STARTTLS first",
    SMTP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .last_reply = "530 5.7.0 Must issue a STARTTLS command first."),
    SK_DIAGNOSIS_STARTTLS_REQUIRED, 5 },
  { "IMAP [PRIVACYREQUIRED]",
    IMAP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .last_reply = "A002 NO [PRIVACYREQUIRED] Use TLS"),
    SK_DIAGNOSIS_STARTTLS_REQUIRED, 5 },
  { "another protocol's reply code means nothing",
    IMAP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .last_reply = "454 4.7.0 Temporary authentication failure"),
    SK_DIAGNOSIS_BAD_CREDENTIALS, 0 },
  { "a greeting saying BYE",
    IMAP (.curl_code = CURLE_WEIRD_SERVER_REPLY, .login_wanted = TRUE,
          .last_reply = "* BYE Too many connections"),
    SK_DIAGNOSIS_SERVER_ERROR, 0 },
  { "a refusal with a known reply but no rule",
    POP3 (.curl_code = CURLE_WEIRD_SERVER_REPLY, .login_wanted = TRUE,
          .last_reply = "-ERR [IN-USE] Mailbox locked"),
    SK_DIAGNOSIS_TEMPORARY_FAILURE, 0 },
  { "anything else",
    SMTP (.curl_code = CURLE_SEND_ERROR, .login_wanted = TRUE),
    SK_DIAGNOSIS_SERVER_ERROR, 0 },
};

static void
test_mapping (void)
{
  gboolean reached[SK_N_DIAGNOSES] = { FALSE, };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SkDiagnosis) diagnosis = sk_diagnose (&cases[i].input);

      if (diagnosis->code != cases[i].code || diagnosis->guide_step != cases[i].guide_step)
        g_error ("%s: got %s (guide step %d), expected %s (guide step %d)",
                 cases[i].what,
                 sk_diagnosis_code_to_string (diagnosis->code), diagnosis->guide_step,
                 sk_diagnosis_code_to_string (cases[i].code), cases[i].guide_step);

      g_assert_nonnull (diagnosis->message);
      g_assert_cmpstr (diagnosis->message, !=, "");

      /* The server's words stay in server_reply: the sentence is ours. */
      if (cases[i].input.last_reply != NULL)
        g_assert_null (strstr (diagnosis->message, cases[i].input.last_reply));

      reached[diagnosis->code] = TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (google_only); i++)
    reached[google_only[i]] = TRUE;

  for (guint i = 0; i < SK_N_DIAGNOSES; i++)
    if (!reached[i])
      g_error ("no input leads to “%s”", sk_diagnosis_code_to_string (i));
}

/* Where one code covers several situations, each has its own sentence. */
static void
test_precise_sentences (void)
{
  const SkDiagnosisInput pairs[][2] = {
    { SMTP (.curl_code = CURLE_OK, .logged_in = TRUE, .login_wanted = TRUE),
      SMTP (.curl_code = CURLE_OK) },
    { IMAP (.curl_code = CURLE_PEER_FAILED_VERIFICATION),
      IMAP (.curl_code = CURLE_PEER_FAILED_VERIFICATION, .certificate_pin_mismatch = TRUE) },
    { IMAP (.curl_code = CURLE_SSL_CONNECT_ERROR, .tls_chosen = TRUE),
      IMAP (.curl_code = CURLE_SSL_CONNECT_ERROR) },
    { IMAP (.curl_code = CURLE_LOGIN_DENIED, .login_attempted = TRUE),
      { .protocol = SK_PROTOCOL_IMAP, .host = "imap.gmail.com", .curl_code = CURLE_LOGIN_DENIED,
        .login_attempted = TRUE } },
    { POP3 (.curl_code = CURLE_OK, .login_wanted = TRUE, .starttls_offered = TRUE),
      SMTP (.curl_code = CURLE_LOGIN_DENIED, .login_attempted = TRUE,
            .last_reply = "538 5.7.11 Encryption required") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(SkDiagnosis) first = sk_diagnose (&pairs[i][0]);
      g_autoptr(SkDiagnosis) second = sk_diagnose (&pairs[i][1]);

      g_assert_cmpint (first->code, ==, second->code);
      g_assert_cmpstr (first->message, !=, second->message);
    }
}

static void
test_google_hosts (void)
{
  const char *google[] = {
    "imap.gmail.com", "smtp.gmail.com.", "POP.GMAIL.COM", "gmail.com",
    "smtp.googlemail.com", "imap.google.com", "aspmx.l.google.com",
  };
  const char *others[] = {
    "gmail.com.example.pl", "notgmail.com", "imap.gmail.co", "mail.example.com",
    "google.com.evil.example", "", "xgoogle.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (google); i++)
    if (!sk_host_is_google (google[i]))
      g_error ("“%s” is Google's", google[i]);

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    if (sk_host_is_google (others[i]))
      g_error ("“%s” is not Google's", others[i]);

  g_assert_false (sk_host_is_google (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sk/diagnosis/codes", test_codes);
  g_test_add_func ("/sk/diagnosis/mapping", test_mapping);
  g_test_add_func ("/sk/diagnosis/precise-sentences", test_precise_sentences);
  g_test_add_func ("/sk/diagnosis/google-hosts", test_google_hosts);

  return g_test_run ();
}
