/* test-diagnosis.c — from what a connection test saw to a sentence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <curl/curl.h>
#include <glib/gi18n-lib.h>

#include "core/sk-diagnosis.h"
#include "core/sk-oauth2.h"

/* DESIGN.md's codes, in the order of the enum: scripts rely on them. */
static const char * const design_codes[] = {
  "ok", "app-password-required", "bad-credentials", "web-login-required",
  "protocol-disabled", "starttls-required", "temporary-failure", "name-not-found",
  "connection-refused", "timeout", "tls-untrusted", "tls-expired", "tls-wrong-host",
  "tls-failed", "no-starttls", "no-authentication", "auth-method-unavailable",
  "cancelled", "server-error", "sign-in-required", "sign-in-denied",
  "admin-approval-required", "oauth-not-configured", "token-rejected", "smtp-auth-disabled",
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

#define SERVER(protocol_, host_, port_) \
  (&(const SkServer) { .protocol = (protocol_), .host = (char *) (host_), .port = (port_) })
#define IMAP_AT(port, ...) \
  { .server = SERVER (SK_PROTOCOL_IMAP, "imap.example.com", port), __VA_ARGS__ }
#define POP3_AT(port, ...) \
  { .server = SERVER (SK_PROTOCOL_POP3, "pop.example.com", port), __VA_ARGS__ }
#define SMTP_AT(port, ...) \
  { .server = SERVER (SK_PROTOCOL_SMTP, "smtp.example.com", port), __VA_ARGS__ }
#define IMAP(...) IMAP_AT (0, __VA_ARGS__)
#define POP3(...) POP3_AT (0, __VA_ARGS__)
#define SMTP(...) SMTP_AT (0, __VA_ARGS__)

/* Google's replies, word for word as its servers send them (the session
 * codes at the end vary); the transcript joins the lines of one reply. */
#define GOOGLE_IMAP_APP_PASSWORD \
  "A002 NO [ALERT] Application-specific password required: " \
  "https://support.google.com/accounts/answer/185833 (Failure)"
#define GOOGLE_POP3_APP_PASSWORD \
  "-ERR [AUTH] Application-specific password required: " \
  "https://support.google.com/accounts/answer/185833"
#define GOOGLE_SMTP_APP_PASSWORD \
  "534-5.7.9 Application-specific password required. Learn more at\n" \
  "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor " \
  "a1-20020a05600c3ac100b003f7a2b4c1d2sm1234567wmq.12 - gsmtp"
#define GOOGLE_IMAP_BAD_CREDENTIALS \
  "A002 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"
#define GOOGLE_POP3_BAD_CREDENTIALS \
  "-ERR [AUTH] Username and password not accepted."
#define GOOGLE_SMTP_BAD_CREDENTIALS \
  "535-5.7.8 Username and Password not accepted. Learn more at\n" \
  "535 5.7.8  https://support.google.com/mail/?p=BadCredentials " \
  "a1-20020a05600c3ac100b003f7a2b4c1d2sm1234567wmq.12 - gsmtp"
#define GOOGLE_SIGN_IN_URL \
  "https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbtR7x-Q2vZk_9LmW3pYc"
#define GOOGLE_IMAP_WEBALERT(url) \
  "* NO [WEBALERT " url "] Web login required.\n" \
  "A002 NO [ALERT] Please log in via your web browser: " \
  "https://support.google.com/mail/accounts/answer/78754 (Failure)"
#define GOOGLE_IMAP_WEB_LOGIN_TAGGED \
  "A002 NO [ALERT] Please log in via your web browser: " \
  "https://support.google.com/mail/accounts/answer/78754 (Failure)"
#define GOOGLE_POP3_WEB_LOGIN \
  "-ERR [AUTH] Web login required: https://support.google.com/mail/answer/78754"
#define GOOGLE_SMTP_WEB_LOGIN(url) \
  "534-5.7.14 <" url "> Please log in via your web browser and\n" \
  "534-5.7.14 then try again.\n" \
  "534-5.7.14  Learn more at\n" \
  "534 5.7.14  https://support.google.com/mail/answer/78754 " \
  "a1-20020a05600c3ac100b003f7a2b4c1d2sm1234567wmq.12 - gsmtp"
#define GOOGLE_IMAP_DISABLED \
  "A002 NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail " \
  "settings page and enable your account for IMAP access. (Failure)"
#define GOOGLE_IMAP_DISABLED_FOR_DOMAIN \
  "A002 NO [ALERT] IMAP access is disabled for your domain. Please contact your domain " \
  "administrator for questions about this feature. (Failure)"
#define GOOGLE_POP3_DISABLED \
  "-ERR [SYS/PERM] Your account is not enabled for POP access. Please visit your Gmail " \
  "settings page and enable your account for POP access."
#define GOOGLE_POP3_TEMPORARY \
  "-ERR [SYS/TEMP] Temporary system problem. Please try again later."
#define GOOGLE_SMTP_STARTTLS_FIRST \
  "530 5.7.0 Must issue a STARTTLS command first. " \
  "a1-20020a05600c3ac100b003f7a2b4c1d2sm1234567wmq.12 - gsmtp"

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
  { "SSL/TLS on Gmail's STARTTLS port 587",
    { .server = SERVER (SK_PROTOCOL_SMTP, "smtp.gmail.com", 587),
      .curl_code = CURLE_SSL_CONNECT_ERROR, .tls_chosen = TRUE, .login_wanted = TRUE },
    SK_DIAGNOSIS_TLS_FAILED, 5 },
  { "STARTTLS on 993: no greeting until the time is up",
    IMAP_AT (993, .curl_code = CURLE_OPERATION_TIMEDOUT, .login_wanted = TRUE),
    SK_DIAGNOSIS_TLS_FAILED, 5 },
  { "STARTTLS on 995: the server closes the connection",
    POP3_AT (995, .curl_code = CURLE_GOT_NOTHING, .login_wanted = TRUE),
    SK_DIAGNOSIS_TLS_FAILED, 5 },
  { "security None on 465: the server closes the connection",
    SMTP_AT (465, .curl_code = CURLE_RECV_ERROR, .login_wanted = TRUE),
    SK_DIAGNOSIS_TLS_FAILED, 5 },
  { "STARTTLS on 993, but the server did greet",
    IMAP_AT (993, .curl_code = CURLE_OPERATION_TIMEDOUT, .greeted = TRUE,
          .login_wanted = TRUE),
    SK_DIAGNOSIS_TIMEOUT, 0 },
  { "SSL/TLS on 993 times out",
    IMAP_AT (993, .curl_code = CURLE_OPERATION_TIMEDOUT, .tls_chosen = TRUE,
          .login_wanted = TRUE),
    SK_DIAGNOSIS_TIMEOUT, 0 },
  { "STARTTLS on another protocol's SSL/TLS port",
    SMTP_AT (993, .curl_code = CURLE_OPERATION_TIMEDOUT, .login_wanted = TRUE),
    SK_DIAGNOSIS_TIMEOUT, 0 },
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
    { .server = SERVER (SK_PROTOCOL_SMTP, "SMTP.Gmail.com.", 0), .curl_code = CURLE_LOGIN_DENIED,
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
  { "SMTP 454 over several lines",
    SMTP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .last_reply = "454-4.7.0 Too many login attempts\n454 4.7.0 Try again later"),
    SK_DIAGNOSIS_TEMPORARY_FAILURE, 0 },
  { "a 4540 is no 454",
    SMTP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .last_reply = "4540 odd"),
    SK_DIAGNOSIS_BAD_CREDENTIALS, 0 },
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

  /* Signing in with the provider (XOAUTH2). */
  { "Dovecot refusing an access token (IMAP)",
    IMAP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
          .bearer = TRUE, .token_refusal = "401",
          .last_reply = "+ {\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}"),
    SK_DIAGNOSIS_TOKEN_REJECTED, 0 },
  { "Google refusing an access token (SMTP), its usual words on a Google host",
    { .server = SERVER (SK_PROTOCOL_SMTP, "smtp.gmail.com", 465), .curl_code = CURLE_LOGIN_DENIED,
      .tls_chosen = TRUE, .greeted = TRUE, .login_wanted = TRUE, .login_attempted = TRUE, .bearer = TRUE, .token_refusal = "400",
      .last_reply = "535-5.7.8 Username and Password not accepted. Learn more at\n"
                    "535 5.7.8  https://support.google.com/mail/?p=BadCredentials - gsmtp" },
    SK_DIAGNOSIS_TOKEN_REJECTED, 0 },
  { "Microsoft 365 refusing a token without JSON",
    { .server = SERVER (SK_PROTOCOL_IMAP, "outlook.office365.com", 993),
      .curl_code = CURLE_LOGIN_DENIED, .tls_chosen = TRUE, .greeted = TRUE, .login_wanted = TRUE, .login_attempted = TRUE,
      .bearer = TRUE, .last_reply = "A001 NO AUTHENTICATE failed." },
    SK_DIAGNOSIS_TOKEN_REJECTED, 0 },
  { "Microsoft 365 with SMTP AUTH off for the tenant, with a token",
    { .server = SERVER (SK_PROTOCOL_SMTP, "smtp.office365.com", 587),
      .curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
      .bearer = TRUE,
      .last_reply = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is "
                    "disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for "
                    "more information. [AM0PR10CA0010.EURPRD10.PROD.OUTLOOK.COM]" },
    SK_DIAGNOSIS_SMTP_AUTH_DISABLED, 0 },
  { "Microsoft 365 with SMTP AUTH off for the tenant, with a password",
    { .server = SERVER (SK_PROTOCOL_SMTP, "smtp.office365.com", 587),
      .curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .login_attempted = TRUE,
      .last_reply = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is "
                    "disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for "
                    "more information." },
    SK_DIAGNOSIS_SMTP_AUTH_DISABLED, 0 },
  { "a token accepted",
    IMAP (.curl_code = CURLE_OK, .login_wanted = TRUE, .login_attempted = TRUE,
          .logged_in = TRUE, .bearer = TRUE),
    SK_DIAGNOSIS_OK, 0 },
  { "a server offering no XOAUTH2",
    IMAP (.curl_code = CURLE_LOGIN_DENIED, .login_wanted = TRUE, .bearer = TRUE),
    SK_DIAGNOSIS_AUTH_METHOD_UNAVAILABLE, 0 },
};

/* What a token endpoint or the sign-in's redirect answered, as
 * sk-oauth2.c turns it into an error, and the diagnosis it gives. */
typedef struct
{
  const char      *what;
  const char      *error_code;
  const char      *description;
  SkDiagnosisCode  code;
} SignInCase;

static const SignInCase sign_in_cases[] = {
  { "Google: a refresh token expired or revoked", "invalid_grant",
    "Token has been expired or revoked.", SK_DIAGNOSIS_SIGN_IN_REQUIRED },
  { "Microsoft: consent needs the administrator", "invalid_grant",
    "AADSTS65001: The user or administrator has not consented to use the application "
    "with ID '00000000-0000-0000-0000-000000000000' named 'Skrzynka'. Send an interactive "
    "authorization request for this user and resource.", SK_DIAGNOSIS_ADMIN_APPROVAL_REQUIRED },
  { "Microsoft: the consent page's Need admin approval", "access_denied",
    "AADSTS90094: The grant requires admin permission.", SK_DIAGNOSIS_ADMIN_APPROVAL_REQUIRED },
  { "the person declined", "access_denied", "The user denied access.",
    SK_DIAGNOSIS_SIGN_IN_DENIED },
  { "another refusal", "invalid_client", "AADSTS7000218: The request body must contain "
    "client_assertion or client_secret.", SK_DIAGNOSIS_SERVER_ERROR },
};

static SkDiagnosis *
diagnose_sign_in_case (const SignInCase *c)
{
  g_autoptr(GError) error = sk_oauth2_error_from_redirect (c->error_code, c->description);

  return sk_diagnose_sign_in_error (error);
}

/* Google's replies, each as the engine hands it over after the login was
 * refused. */
typedef struct
{
  SkProtocol       protocol;
  const char      *reply;
  SkDiagnosisCode  code;
  int              google_step;   /* on Google's servers */
  int              other_step;    /* the same words from a server of another name */
  const char      *web_login_url;
} GoogleReply;

static const GoogleReply google_replies[] = {
  { SK_PROTOCOL_IMAP, GOOGLE_IMAP_APP_PASSWORD, SK_DIAGNOSIS_APP_PASSWORD_REQUIRED, 3, 3, NULL },
  { SK_PROTOCOL_POP3, GOOGLE_POP3_APP_PASSWORD, SK_DIAGNOSIS_APP_PASSWORD_REQUIRED, 3, 3, NULL },
  { SK_PROTOCOL_SMTP, GOOGLE_SMTP_APP_PASSWORD, SK_DIAGNOSIS_APP_PASSWORD_REQUIRED, 3, 3, NULL },
  { SK_PROTOCOL_IMAP, GOOGLE_IMAP_BAD_CREDENTIALS, SK_DIAGNOSIS_BAD_CREDENTIALS, 4, 0, NULL },
  { SK_PROTOCOL_POP3, GOOGLE_POP3_BAD_CREDENTIALS, SK_DIAGNOSIS_BAD_CREDENTIALS, 4, 0, NULL },
  { SK_PROTOCOL_SMTP, GOOGLE_SMTP_BAD_CREDENTIALS, SK_DIAGNOSIS_BAD_CREDENTIALS, 4, 0, NULL },
  { SK_PROTOCOL_IMAP, GOOGLE_IMAP_WEBALERT (GOOGLE_SIGN_IN_URL), SK_DIAGNOSIS_WEB_LOGIN_REQUIRED,
    1, 1, GOOGLE_SIGN_IN_URL },
  { SK_PROTOCOL_IMAP, GOOGLE_IMAP_WEB_LOGIN_TAGGED, SK_DIAGNOSIS_WEB_LOGIN_REQUIRED, 1, 1, NULL },
  { SK_PROTOCOL_POP3, GOOGLE_POP3_WEB_LOGIN, SK_DIAGNOSIS_WEB_LOGIN_REQUIRED, 1, 1, NULL },
  { SK_PROTOCOL_SMTP, GOOGLE_SMTP_WEB_LOGIN (GOOGLE_SIGN_IN_URL), SK_DIAGNOSIS_WEB_LOGIN_REQUIRED,
    1, 1, GOOGLE_SIGN_IN_URL },
  { SK_PROTOCOL_IMAP, GOOGLE_IMAP_DISABLED, SK_DIAGNOSIS_PROTOCOL_DISABLED, 0, 0, NULL },
  { SK_PROTOCOL_IMAP, GOOGLE_IMAP_DISABLED_FOR_DOMAIN, SK_DIAGNOSIS_PROTOCOL_DISABLED, 0, 0, NULL },
  { SK_PROTOCOL_POP3, GOOGLE_POP3_DISABLED, SK_DIAGNOSIS_PROTOCOL_DISABLED, 0, 0, NULL },
  { SK_PROTOCOL_POP3, GOOGLE_POP3_TEMPORARY, SK_DIAGNOSIS_TEMPORARY_FAILURE, 0, 0, NULL },
  { SK_PROTOCOL_SMTP, GOOGLE_SMTP_STARTTLS_FIRST, SK_DIAGNOSIS_STARTTLS_REQUIRED, 5, 5, NULL },
};

static SkDiagnosis *
diagnose_reply (const GoogleReply *reply,
                gboolean           at_google)
{
  static const char * const google_hosts[] = {
    [SK_PROTOCOL_IMAP] = "imap.gmail.com",
    [SK_PROTOCOL_POP3] = "pop.gmail.com",
    [SK_PROTOCOL_SMTP] = "smtp.gmail.com",
  };
  static const guint ports[] = {
    [SK_PROTOCOL_IMAP] = 993,
    [SK_PROTOCOL_POP3] = 995,
    [SK_PROTOCOL_SMTP] = 465,
  };
  SkServer server = {
    .protocol = reply->protocol,
    /* A test server on loopback is not Google's by name. */
    .host = (char *) (at_google ? google_hosts[reply->protocol] : "127.0.0.1"),
    .port = ports[reply->protocol],
  };
  SkDiagnosisInput input = {
    .server = &server,
    .tls_chosen = TRUE,
    .tls_established = TRUE,
    .greeted = TRUE,
    .curl_code = CURLE_LOGIN_DENIED,
    .last_reply = reply->reply,
    .login_wanted = TRUE,
    .login_attempted = TRUE,
  };

  return sk_diagnose (&input);
}

static void
test_google_replies (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (google_replies); i++)
    {
      const GoogleReply *reply = &google_replies[i];
      g_autoptr(SkDiagnosis) at_google = diagnose_reply (reply, TRUE);
      g_autoptr(SkDiagnosis) elsewhere = diagnose_reply (reply, FALSE);

      if (at_google->code != reply->code || at_google->guide_step != reply->google_step)
        g_error ("“%s” from Google: got %s (guide step %d), expected %s (guide step %d)",
                 reply->reply,
                 sk_diagnosis_code_to_string (at_google->code), at_google->guide_step,
                 sk_diagnosis_code_to_string (reply->code), reply->google_step);
      if (elsewhere->code != reply->code || elsewhere->guide_step != reply->other_step)
        g_error ("“%s” elsewhere: got %s (guide step %d), expected %s (guide step %d)",
                 reply->reply,
                 sk_diagnosis_code_to_string (elsewhere->code), elsewhere->guide_step,
                 sk_diagnosis_code_to_string (reply->code), reply->other_step);

      g_assert_cmpstr (at_google->web_login_url, ==, reply->web_login_url);
      g_assert_cmpstr (elsewhere->web_login_url, ==, reply->web_login_url);

      /* Our sentence, never the server's words; on Google's servers it
       * names the guide step to go back to. */
      g_assert_null (strstr (at_google->message, reply->reply));
      if (at_google->guide_step > 0)
        {
          g_autofree char *step = g_strdup_printf ("step %d of the Gmail guide",
                                                   at_google->guide_step);

          if (strstr (at_google->message, step) == NULL)
            g_error ("“%s” does not name %s", at_google->message, step);
        }
    }
}

/* Where the same words mean more on Google's servers, they get Google's
 * sentence only there. */
static void
test_google_sentences (void)
{
  static const GoogleReply both[] = {
    { SK_PROTOCOL_IMAP, GOOGLE_IMAP_BAD_CREDENTIALS, SK_DIAGNOSIS_BAD_CREDENTIALS, 4, 0, NULL },
    { SK_PROTOCOL_SMTP, GOOGLE_SMTP_STARTTLS_FIRST, SK_DIAGNOSIS_STARTTLS_REQUIRED, 5, 5, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (both); i++)
    {
      g_autoptr(SkDiagnosis) at_google = diagnose_reply (&both[i], TRUE);
      g_autoptr(SkDiagnosis) elsewhere = diagnose_reply (&both[i], FALSE);

      g_assert_nonnull (strstr (at_google->message, "Gmail guide"));
      g_assert_null (strstr (elsewhere->message, "Gmail"));
      g_assert_null (strstr (elsewhere->message, "Google"));
    }
}

/* The three Google texts of protocol-disabled each say what to do. */
static void
test_protocol_disabled_sentences (void)
{
  const GoogleReply *disabled[3];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (google_replies); i++)
    if (google_replies[i].code == SK_DIAGNOSIS_PROTOCOL_DISABLED)
      disabled[n++] = &google_replies[i];
  g_assert_cmpuint (n, ==, 3);

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        g_autoptr(SkDiagnosis) first = diagnose_reply (disabled[i], TRUE);
        g_autoptr(SkDiagnosis) second = diagnose_reply (disabled[j], TRUE);

        g_assert_cmpstr (first->message, !=, second->message);
      }
}

/* The web-login button opens only Google's own sign-in page. */
static void
test_web_login_url (void)
{
  static const struct
  {
    const char *url;
    gboolean    accepted;
  } urls[] = {
    { GOOGLE_SIGN_IN_URL, TRUE },
    { "https://accounts.google.com/ContinueSignIn?sarp=1&scc=1&plt=AKgnsbs", TRUE },
    { "HTTPS://Accounts.Google.COM/signin/continue?sarp=1", TRUE },
    { "https://accounts.google.com:443/signin", TRUE },
    { "https://accounts.google.com", TRUE },
    { "http://accounts.google.com/signin/continue?sarp=1", FALSE },
    { "https://accounts.google.com.evil.example/signin/continue", FALSE },
    { "https://accounts.google.com./signin", FALSE },
    { "https://accounts.google.co/signin", FALSE },
    { "https://accounts-google.com/signin", FALSE },
    { "https://xaccounts.google.com/signin", FALSE },
    { "https://myaccount.google.com/signin", FALSE },
    { "https://evil.example/signin?next=https://accounts.google.com/signin", FALSE },
    { "https://evil.example/#https://accounts.google.com/", FALSE },
    { "https://accounts.google.com@evil.example/signin", FALSE },
    { "https://user@accounts.google.com/signin", FALSE },
    { "https://accounts.google.com:8443/signin", FALSE },
    { "https://accounts%2Egoogle.com/signin", FALSE },
    { "https://accounts.google.com%00.evil.example/signin", FALSE },
    { "https://accounts.google.com\\@evil.example/signin", FALSE },
    { "https://\xd0\xb0" "ccounts.google.com/signin", FALSE },   /* a Cyrillic "а" */
    { "ftp://accounts.google.com/", FALSE },
    { "accounts.google.com/signin", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autofree char *imap = g_strdup_printf (GOOGLE_IMAP_WEBALERT ("%s"), urls[i].url);
      g_autofree char *smtp = g_strdup_printf (GOOGLE_SMTP_WEB_LOGIN ("%s"), urls[i].url);
      const GoogleReply replies[] = {
        { SK_PROTOCOL_IMAP, imap, SK_DIAGNOSIS_WEB_LOGIN_REQUIRED, 1, 1, NULL },
        { SK_PROTOCOL_SMTP, smtp, SK_DIAGNOSIS_WEB_LOGIN_REQUIRED, 1, 1, NULL },
      };

      for (guint j = 0; j < G_N_ELEMENTS (replies); j++)
        {
          g_autoptr(SkDiagnosis) diagnosis = diagnose_reply (&replies[j], j == 0);

          g_assert_cmpint (diagnosis->code, ==, SK_DIAGNOSIS_WEB_LOGIN_REQUIRED);
          if (urls[i].accepted)
            g_assert_cmpstr (diagnosis->web_login_url, ==, urls[i].url);
          else if (diagnosis->web_login_url != NULL)
            g_error ("“%s” was taken for Google's sign-in page", diagnosis->web_login_url);
        }
    }

  /* A bad address first does not hide the good one after it, and only
   * web-login-required carries one. */
  {
    const GoogleReply after = {
      SK_PROTOCOL_SMTP,
      "534-5.7.14 <https://accounts.google.com.evil.example/x> Please log in via your web "
      "browser and\n534 5.7.14 <" GOOGLE_SIGN_IN_URL ">",
      SK_DIAGNOSIS_WEB_LOGIN_REQUIRED, 1, 1, NULL
    };
    const GoogleReply other_code = {
      SK_PROTOCOL_IMAP, "A002 NO [ALERT] Application-specific password required: "
      GOOGLE_SIGN_IN_URL " (Failure)", SK_DIAGNOSIS_APP_PASSWORD_REQUIRED, 3, 3, NULL
    };
    g_autoptr(SkDiagnosis) second = diagnose_reply (&after, TRUE);
    g_autoptr(SkDiagnosis) none = diagnose_reply (&other_code, TRUE);

    g_assert_cmpstr (second->web_login_url, ==, GOOGLE_SIGN_IN_URL);
    g_assert_cmpint (none->code, ==, SK_DIAGNOSIS_APP_PASSWORD_REQUIRED);
    g_assert_null (none->web_login_url);
  }
}

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

  for (guint i = 0; i < G_N_ELEMENTS (google_replies); i++)
    {
      g_autoptr(SkDiagnosis) diagnosis = diagnose_reply (&google_replies[i], TRUE);

      reached[diagnosis->code] = TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (sign_in_cases); i++)
    {
      g_autoptr(SkDiagnosis) diagnosis = diagnose_sign_in_case (&sign_in_cases[i]);

      reached[diagnosis->code] = TRUE;
    }

  {
    g_autoptr(GError) not_configured = g_error_new_literal (SK_OAUTH2_ERROR,
                                                            SK_OAUTH2_ERROR_NOT_CONFIGURED,
                                                            "Put the client ID into x.conf.");
    g_autoptr(SkDiagnosis) diagnosis = sk_diagnose_sign_in_error (not_configured);

    reached[diagnosis->code] = TRUE;
  }

  for (guint i = 0; i < SK_N_DIAGNOSES; i++)
    if (!reached[i])
      g_error ("no input leads to “%s”", sk_diagnosis_code_to_string (i));
}

/* A refusal by the provider keeps the provider's words, for IT support;
 * no sign-in at all says the code's sentence alone; a provider that is not
 * set up says what IT support must set. */
static void
test_sign_in_errors (void)
{
  g_autoptr(GError) no_token = g_error_new_literal (SK_OAUTH2_ERROR,
                                                    SK_OAUTH2_ERROR_SIGN_IN_REQUIRED, "");
  g_autoptr(GError) not_configured = g_error_new_literal (SK_OAUTH2_ERROR,
                                                          SK_OAUTH2_ERROR_NOT_CONFIGURED,
                                                          "Put the client ID into x.conf.");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_autoptr(SkDiagnosis) none = sk_diagnose_sign_in_error (no_token);
  g_autoptr(SkDiagnosis) setup = sk_diagnose_sign_in_error (not_configured);
  g_autoptr(SkDiagnosis) stopped = sk_diagnose_sign_in_error (cancelled);

  for (guint i = 0; i < G_N_ELEMENTS (sign_in_cases); i++)
    {
      g_autoptr(SkDiagnosis) diagnosis = diagnose_sign_in_case (&sign_in_cases[i]);

      if (diagnosis->code != sign_in_cases[i].code)
        g_error ("%s: got %s, expected %s", sign_in_cases[i].what,
                 sk_diagnosis_code_to_string (diagnosis->code),
                 sk_diagnosis_code_to_string (sign_in_cases[i].code));
      g_assert_nonnull (strstr (diagnosis->message, sign_in_cases[i].description));
      g_assert_cmpint (diagnosis->guide_step, ==, 0);
    }

  g_assert_cmpint (none->code, ==, SK_DIAGNOSIS_SIGN_IN_REQUIRED);
  g_assert_cmpstr (none->message, ==, sk_diagnosis_code_message (SK_DIAGNOSIS_SIGN_IN_REQUIRED));
  g_assert_cmpint (setup->code, ==, SK_DIAGNOSIS_OAUTH_NOT_CONFIGURED);
  g_assert_cmpstr (setup->message, ==, "Put the client ID into x.conf.");
  g_assert_cmpint (stopped->code, ==, SK_DIAGNOSIS_CANCELLED);
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
      { .server = SERVER (SK_PROTOCOL_IMAP, "imap.gmail.com", 0), .curl_code = CURLE_LOGIN_DENIED,
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

/* Every sentence the tables above lead to, in the current language. */
static GPtrArray *
all_sentences (void)
{
  GPtrArray *sentences = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < SK_N_DIAGNOSES; i++)
    g_ptr_array_add (sentences, g_strdup (sk_diagnosis_code_message (i)));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SkDiagnosis) diagnosis = sk_diagnose (&cases[i].input);

      g_ptr_array_add (sentences, g_strdup (diagnosis->message));
    }

  for (guint i = 0; i < G_N_ELEMENTS (google_replies); i++)
    for (guint at_google = 0; at_google <= 1; at_google++)
      {
        g_autoptr(SkDiagnosis) diagnosis = diagnose_reply (&google_replies[i], at_google);

        g_ptr_array_add (sentences, g_strdup (diagnosis->message));
      }

  return sentences;
}

/* Each sentence goes through gettext, and the Polish catalogue has every
 * one of them: the users read Polish.  The sentences it lacks are listed. */
static void
test_translated (void)
{
  const char *localedir = g_getenv ("SKRZYNKA_LOCALEDIR");
  g_autofree char *catalogue = NULL;
  g_autoptr(GPtrArray) english = NULL;
  g_autoptr(GPtrArray) polish = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n_missing = 0;

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
  english = all_sentences ();

  g_setenv ("LANGUAGE", "pl", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  polish = all_sentences ();

  /* The test itself must be able to read Polish. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, sk_diagnosis_code_message (SK_DIAGNOSIS_OK)),
                   !=, english->pdata[SK_DIAGNOSIS_OK]);

  g_assert_cmpuint (polish->len, ==, english->len);
  for (guint i = 0; i < english->len; i++)
    {
      const char *msgid = english->pdata[i];
      const char *translation = g_dgettext (GETTEXT_PACKAGE, msgid);

      g_assert_cmpstr (polish->pdata[i], ==, translation);
      if (strcmp (translation, msgid) == 0 && strstr (missing->str, msgid) == NULL)
        {
          g_string_append_printf (missing, "\n  %s", msgid);
          n_missing++;
        }
    }

  if (n_missing > 0)
    {
      g_test_message ("%u sentences have no Polish:%s", n_missing, missing->str);
      g_test_fail ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sk/diagnosis/codes", test_codes);
  g_test_add_func ("/sk/diagnosis/mapping", test_mapping);
  g_test_add_func ("/sk/diagnosis/sign-in-errors", test_sign_in_errors);
  g_test_add_func ("/sk/diagnosis/precise-sentences", test_precise_sentences);
  g_test_add_func ("/sk/diagnosis/google-hosts", test_google_hosts);
  g_test_add_func ("/sk/diagnosis/google-replies", test_google_replies);
  g_test_add_func ("/sk/diagnosis/google-sentences", test_google_sentences);
  g_test_add_func ("/sk/diagnosis/protocol-disabled-sentences", test_protocol_disabled_sentences);
  g_test_add_func ("/sk/diagnosis/web-login-url", test_web_login_url);
  /* Last: it switches the language. */
  g_test_add_func ("/sk/diagnosis/translated", test_translated);

  return g_test_run ();
}
