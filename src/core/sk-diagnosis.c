/* sk-diagnosis.c — what a failed (or passed) connection test means, in
 * words a person can act on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Test"

#include "config.h"

#include <string.h>

#include <curl/curl.h>
#include <glib/gi18n-lib.h>

#include "sk-diagnosis.h"
#include "sk-oauth2.h"

/* The Gmail guide steps a diagnosis can send a person back to. */
#define GUIDE_SIGN_IN_ON_THE_WEB  1
#define GUIDE_APP_PASSWORD        3
#define GUIDE_PASTE_PASSWORD      4
#define GUIDE_SERVER_SETTINGS     5

static const char * const code_names[SK_N_DIAGNOSES] = {
  [SK_DIAGNOSIS_OK] = "ok",
  [SK_DIAGNOSIS_APP_PASSWORD_REQUIRED] = "app-password-required",
  [SK_DIAGNOSIS_BAD_CREDENTIALS] = "bad-credentials",
  [SK_DIAGNOSIS_WEB_LOGIN_REQUIRED] = "web-login-required",
  [SK_DIAGNOSIS_PROTOCOL_DISABLED] = "protocol-disabled",
  [SK_DIAGNOSIS_STARTTLS_REQUIRED] = "starttls-required",
  [SK_DIAGNOSIS_TEMPORARY_FAILURE] = "temporary-failure",
  [SK_DIAGNOSIS_NAME_NOT_FOUND] = "name-not-found",
  [SK_DIAGNOSIS_CONNECTION_REFUSED] = "connection-refused",
  [SK_DIAGNOSIS_TIMEOUT] = "timeout",
  [SK_DIAGNOSIS_TLS_UNTRUSTED] = "tls-untrusted",
  [SK_DIAGNOSIS_TLS_EXPIRED] = "tls-expired",
  [SK_DIAGNOSIS_TLS_WRONG_HOST] = "tls-wrong-host",
  [SK_DIAGNOSIS_TLS_FAILED] = "tls-failed",
  [SK_DIAGNOSIS_NO_STARTTLS] = "no-starttls",
  [SK_DIAGNOSIS_NO_AUTHENTICATION] = "no-authentication",
  [SK_DIAGNOSIS_AUTH_METHOD_UNAVAILABLE] = "auth-method-unavailable",
  [SK_DIAGNOSIS_CANCELLED] = "cancelled",
  [SK_DIAGNOSIS_SERVER_ERROR] = "server-error",
  [SK_DIAGNOSIS_SIGN_IN_REQUIRED] = "sign-in-required",
  [SK_DIAGNOSIS_SIGN_IN_DENIED] = "sign-in-denied",
  [SK_DIAGNOSIS_ADMIN_APPROVAL_REQUIRED] = "admin-approval-required",
  [SK_DIAGNOSIS_OAUTH_NOT_CONFIGURED] = "oauth-not-configured",
  [SK_DIAGNOSIS_TOKEN_REJECTED] = "token-rejected",
  [SK_DIAGNOSIS_SMTP_AUTH_DISABLED] = "smtp-auth-disabled",
};

/* Each code's sentence, and the guide step that goes with it whatever the
 * server (a rule below may give a more precise one). */
static const struct
{
  const char *message;
  int         guide_step;
} code_sentences[SK_N_DIAGNOSES] = {
  [SK_DIAGNOSIS_OK] =
    { N_("Everything works: the server accepted the user name and password."), 0 },
  [SK_DIAGNOSIS_APP_PASSWORD_REQUIRED] =
    { N_("Google wants an app password, not your usual password. "
         "Go back to step 3 of the Gmail guide and create one."), GUIDE_APP_PASSWORD },
  [SK_DIAGNOSIS_BAD_CREDENTIALS] =
    { N_("The server does not accept this user name and password. "
         "Check both and type the password again."), 0 },
  [SK_DIAGNOSIS_WEB_LOGIN_REQUIRED] =
    { N_("Google wants you to sign in to your Google account in a web browser first. "
         "Go back to step 1 of the Gmail guide, sign in, then test again."),
      GUIDE_SIGN_IN_ON_THE_WEB },
  [SK_DIAGNOSIS_PROTOCOL_DISABLED] =
    { N_("This mailbox does not allow access from mail programs. "
         "Turn on IMAP or POP3 in the mailbox settings on the web."), 0 },
  [SK_DIAGNOSIS_STARTTLS_REQUIRED] =
    { N_("The server wants a secure connection before the password. "
         "Choose STARTTLS as the security setting and test again."), GUIDE_SERVER_SETTINGS },
  [SK_DIAGNOSIS_TEMPORARY_FAILURE] =
    { N_("The server cannot log you in right now. Wait a few minutes and test again."), 0 },
  [SK_DIAGNOSIS_NAME_NOT_FOUND] =
    { N_("The server name was not found. Check it for typing mistakes, "
         "and check that this computer is connected to the internet."), 0 },
  [SK_DIAGNOSIS_CONNECTION_REFUSED] =
    { N_("The server refused the connection. Check the port number and the security setting."),
      GUIDE_SERVER_SETTINGS },
  [SK_DIAGNOSIS_TIMEOUT] =
    { N_("The server did not answer in time. Check the server name and port, "
         "or test again later."), 0 },
  [SK_DIAGNOSIS_TLS_UNTRUSTED] =
    { N_("The server’s security certificate is not trusted. "
         "Do not go on unless your IT support confirms the certificate."), 0 },
  [SK_DIAGNOSIS_TLS_EXPIRED] =
    { N_("The server’s security certificate has expired, or this computer’s date is wrong. "
         "Check the date, then tell your mail provider."), 0 },
  [SK_DIAGNOSIS_TLS_WRONG_HOST] =
    { N_("The server’s security certificate is made out for a different name. "
         "Use the server name your mail provider gives."), 0 },
  [SK_DIAGNOSIS_TLS_FAILED] =
    { N_("A secure connection could not be set up. This port may expect STARTTLS: "
         "choose STARTTLS, or keep SSL/TLS and use its standard port."), GUIDE_SERVER_SETTINGS },
  [SK_DIAGNOSIS_NO_STARTTLS] =
    { N_("The server does not offer STARTTLS on this port. "
         "Choose SSL/TLS with its standard port, or ask your mail provider."), GUIDE_SERVER_SETTINGS },
  [SK_DIAGNOSIS_NO_AUTHENTICATION] =
    { N_("The server let the program in without checking the user name and password, "
         "so they could not be tested. Check the server name and port."), 0 },
  [SK_DIAGNOSIS_AUTH_METHOD_UNAVAILABLE] =
    { N_("The server does not offer the chosen login method. "
         "Choose “Automatic” as the authentication method."), 0 },
  [SK_DIAGNOSIS_CANCELLED] =
    { N_("The test was cancelled."), 0 },
  [SK_DIAGNOSIS_SERVER_ERROR] =
    { N_("The server reported a problem. Test again later; if it keeps happening, "
         "show the details to your IT support."), 0 },
  [SK_DIAGNOSIS_SIGN_IN_REQUIRED] =
    { N_("This account is not signed in with its provider, or the sign-in has expired "
         "or been revoked. Sign in again, then test again."), 0 },
  [SK_DIAGNOSIS_SIGN_IN_DENIED] =
    { N_("The sign-in was declined, so Skrzynka may not use this mailbox. "
         "Sign in again and allow access to mail."), 0 },
  [SK_DIAGNOSIS_ADMIN_APPROVAL_REQUIRED] =
    { N_("Your organisation’s administrator must approve Skrzynka before you can sign in. "
         "Forward this message to IT support: the program needs admin consent for mail "
         "access (IMAP, POP and SMTP) in the organisation’s tenant."), 0 },
  [SK_DIAGNOSIS_OAUTH_NOT_CONFIGURED] =
    { N_("Signing in with this provider is not set up in this copy of Skrzynka. "
         "Forward this message to IT support."), 0 },
  [SK_DIAGNOSIS_TOKEN_REJECTED] =
    { N_("The mail server did not accept the sign-in. Sign in again; if it keeps happening, "
         "IT support should check that this mailbox allows mail programs to sign in with "
         "the provider (OAuth 2.0)."), 0 },
  [SK_DIAGNOSIS_SMTP_AUTH_DISABLED] =
    { N_("The outgoing server does not allow mail programs to log in to send mail. "
         "Forward this message to IT support: they must allow authenticated SMTP "
         "(SMTP AUTH) for this mailbox or for the organisation."), 0 },
};

/* When a rule applies, besides its libcurl result. */
typedef enum
{
  WHEN_ALWAYS,
  WHEN_LOGGED_IN,
  WHEN_NO_LOGIN_WANTED,
  WHEN_STARTTLS_OFFERED,
  WHEN_PIN_MISMATCH,
  WHEN_EXPIRED,
  WHEN_WRONG_HOST,
  WHEN_TLS_CHOSEN,
  WHEN_TLS_HANDSHAKE,       /* SSL/TLS chosen and the handshake did not finish */
  WHEN_NO_LOGIN_SENT,
  WHEN_BEARER,              /* the login was a sign-in's access token */
  WHEN_GOOGLE,              /* the configured server name is Google's */
  WHEN_PLAIN_ON_TLS_PORT,   /* no SSL/TLS chosen, no greeting, the port is
                             * the protocol's SSL/TLS one */
} Condition;

/* A sentence that more than one entry below gives. */
static const char google_bad_credentials[] =
  N_("Google does not accept this user name and password. Check that the user name is the "
     "full e-mail address, then go back to step 4 of the Gmail guide and paste the app "
     "password again.");

/* Any result but CURLE_OK. */
#define ANY_FAILURE (-1)

/* One table from what the engine saw to a diagnosis, read top to bottom:
 * the first rule that matches decides.  message NULL: the code's own
 * sentence; guide_step -1: the code's own step. */
static const struct
{
  int              curl_code;
  Condition        when;
  SkDiagnosisCode  code;
  int              guide_step;
  const char      *message;
} rules[] = {
  { CURLE_ABORTED_BY_CALLBACK, WHEN_ALWAYS, SK_DIAGNOSIS_CANCELLED, -1, NULL },

  { CURLE_OK, WHEN_STARTTLS_OFFERED, SK_DIAGNOSIS_STARTTLS_REQUIRED, -1,
    N_("The server offers a secure connection, so the password was not sent unprotected. "
       "Choose STARTTLS as the security setting and test again.") },
  { CURLE_OK, WHEN_LOGGED_IN, SK_DIAGNOSIS_OK, -1, NULL },
  { CURLE_OK, WHEN_NO_LOGIN_WANTED, SK_DIAGNOSIS_OK, -1,
    N_("Everything works: the server answered and needs no login.") },
  { CURLE_OK, WHEN_ALWAYS, SK_DIAGNOSIS_NO_AUTHENTICATION, -1, NULL },

  /* Decided while the certificate was checked, whatever error followed. */
  { ANY_FAILURE, WHEN_PIN_MISMATCH, SK_DIAGNOSIS_TLS_UNTRUSTED, -1,
    N_("The server’s security certificate has changed since it was trusted. "
       "Ask your IT support before you trust the new one.") },
  { ANY_FAILURE, WHEN_EXPIRED, SK_DIAGNOSIS_TLS_EXPIRED, -1, NULL },
  { ANY_FAILURE, WHEN_WRONG_HOST, SK_DIAGNOSIS_TLS_WRONG_HOST, -1, NULL },

  { CURLE_COULDNT_RESOLVE_HOST, WHEN_ALWAYS, SK_DIAGNOSIS_NAME_NOT_FOUND, -1, NULL },
  { CURLE_COULDNT_CONNECT, WHEN_ALWAYS, SK_DIAGNOSIS_CONNECTION_REFUSED, -1, NULL },
  /* STARTTLS (or no security) chosen on 993, 995 or 465: the client waits
   * for a greeting, the server for a TLS handshake, until one gives up. */
  { ANY_FAILURE, WHEN_PLAIN_ON_TLS_PORT, SK_DIAGNOSIS_TLS_FAILED, -1,
    N_("The server on this port expects a secure connection from the start. "
       "Choose SSL/TLS as the security setting, or keep STARTTLS and use its standard port.") },
  { CURLE_OPERATION_TIMEDOUT, WHEN_ALWAYS, SK_DIAGNOSIS_TIMEOUT, -1, NULL },
  { CURLE_PEER_FAILED_VERIFICATION, WHEN_ALWAYS, SK_DIAGNOSIS_TLS_UNTRUSTED, -1, NULL },
  { CURLE_SSL_CACERT_BADFILE, WHEN_ALWAYS, SK_DIAGNOSIS_TLS_UNTRUSTED, -1, NULL },
  /* Typically SSL/TLS chosen where the server speaks plain text first. */
  { CURLE_SSL_CONNECT_ERROR, WHEN_TLS_CHOSEN, SK_DIAGNOSIS_TLS_FAILED, -1, NULL },
  { CURLE_RECV_ERROR, WHEN_TLS_HANDSHAKE, SK_DIAGNOSIS_TLS_FAILED, -1, NULL },
  { CURLE_GOT_NOTHING, WHEN_TLS_HANDSHAKE, SK_DIAGNOSIS_TLS_FAILED, -1, NULL },
  { CURLE_SSL_CONNECT_ERROR, WHEN_ALWAYS, SK_DIAGNOSIS_TLS_FAILED, 0,
    N_("A secure connection could not be set up with the server. Test again later; "
       "if it keeps happening, show the details to your IT support.") },
  { CURLE_USE_SSL_FAILED, WHEN_ALWAYS, SK_DIAGNOSIS_NO_STARTTLS, -1, NULL },
  /* libcurl refuses before sending anything when no offered mechanism fits. */
  { CURLE_LOGIN_DENIED, WHEN_NO_LOGIN_SENT, SK_DIAGNOSIS_AUTH_METHOD_UNAVAILABLE, -1, NULL },
  /* A refused token is no wrong password, whatever the words. */
  { CURLE_LOGIN_DENIED, WHEN_BEARER, SK_DIAGNOSIS_TOKEN_REJECTED, -1, NULL },
  /* Whatever words Google chose this time. */
  { CURLE_LOGIN_DENIED, WHEN_GOOGLE, SK_DIAGNOSIS_BAD_CREDENTIALS, GUIDE_PASTE_PASSWORD,
    google_bad_credentials },
  { CURLE_LOGIN_DENIED, WHEN_ALWAYS, SK_DIAGNOSIS_BAD_CREDENTIALS, -1, NULL },
  { CURLE_AUTH_ERROR, WHEN_ALWAYS, SK_DIAGNOSIS_AUTH_METHOD_UNAVAILABLE, -1, NULL },
};

/* How a reply pattern is looked for; both ignore case. */
typedef enum
{
  ANYWHERE,     /* the text stands anywhere in the reply */
  REPLY_CODE,   /* the text is the reply's SMTP code */
} Match;

typedef struct
{
  SkProtocol       protocol;
  const char      *text;
  Match            match;
  Condition        when;
  SkDiagnosisCode  code;
  int              guide_step;   /* -1: the code's own */
  const char      *message;      /* NULL: the code's own sentence */
} ReplyPattern;

/* What a server's refusal says beyond "no", read from its last reply: the
 * lines of a multi-line SMTP reply come joined, and so do the untagged
 * IMAP lines sent before the tagged answer to a login.  Providers' own
 * wordings come first, each with the replies it was read from (Google's
 * servers add a session code at the end, shown as …); then the standard
 * response codes of RFC 5530 (IMAP), RFC 2449 and RFC 3206 (POP3),
 * RFC 3463 and RFC 4954 (SMTP).  The first entry that matches decides. */
static const ReplyPattern reply_patterns[] = {
  /* Microsoft 365: SMTP AUTH is off for the tenant or the mailbox (the
   * default from the end of 2026), with a password or a token alike.
   *   SMTP  535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is
   *         disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more
   *         information. [AM0PR…] */
  { SK_PROTOCOL_SMTP, "SmtpClientAuthentication is disabled", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_SMTP_AUTH_DISABLED, -1, NULL },

  /* A token the server refused: Google, Microsoft and Dovecot say why in
   * JSON (base64) where the next challenge would be, and then only "no":
   *   IMAP  + eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=
   *         ({"status":"401","schemes":"bearer","scope":"mail"}, Dovecot)
   *   SMTP  334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOi…
   *         ({"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"})
   *   IMAP  A001 NO AUTHENTICATE failed.  (Microsoft 365)
   * The engine reads the status (token_refusal); the rules above then say
   * token-rejected for any refusal of a bearer login. */
  /* Google: the account has 2-Step Verification on, so only an app
   * password opens it (guide step 3).
   *   IMAP  A001 NO [ALERT] Application-specific password required:
   *         https://support.google.com/accounts/answer/185833 (Failure)
   *   POP3  -ERR [AUTH] Application-specific password required:
   *         https://support.google.com/accounts/answer/185833
   *   SMTP  534-5.7.9 Application-specific password required. Learn more at
   *         534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor … - gsmtp */
  { SK_PROTOCOL_IMAP, "[ALERT] Application-specific password required", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_APP_PASSWORD_REQUIRED, -1, NULL },
  { SK_PROTOCOL_POP3, "[AUTH] Application-specific password required", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_APP_PASSWORD_REQUIRED, -1, NULL },
  { SK_PROTOCOL_SMTP, "5.7.9 Application-specific password required", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_APP_PASSWORD_REQUIRED, -1, NULL },

  /* Google: a sign-in it finds unusual must first be confirmed in a web
   * browser (guide step 1).  IMAP and SMTP give the page to open.
   *   IMAP  * NO [WEBALERT https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=…]
   *         Web login required.
   *         A001 NO [ALERT] Please log in via your web browser:
   *         https://support.google.com/mail/accounts/answer/78754 (Failure)
   *   POP3  -ERR [AUTH] Web login required: https://support.google.com/mail/answer/78754
   *   SMTP  534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=…>
   *         Please log in via your web browser and
   *         534-5.7.14 then try again.
   *         534-5.7.14  Learn more at
   *         534 5.7.14  https://support.google.com/mail/answer/78754 … - gsmtp */
  { SK_PROTOCOL_IMAP, "[WEBALERT ", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_WEB_LOGIN_REQUIRED, -1, NULL },
  { SK_PROTOCOL_IMAP, "Please log in via your web browser", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_WEB_LOGIN_REQUIRED, -1, NULL },
  { SK_PROTOCOL_POP3, "[AUTH] Web login required", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_WEB_LOGIN_REQUIRED, -1, NULL },
  { SK_PROTOCOL_SMTP, "Please log in via your web browser", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_WEB_LOGIN_REQUIRED, -1, NULL },

  /* Google: IMAP or POP turned off in the Gmail settings, which the
   * person can change, or for a whole Google Workspace domain, which only
   * its administrator can.
   *   IMAP  A001 NO [ALERT] Your account is not enabled for IMAP use. Please visit your
   *         Gmail settings page and enable your account for IMAP access. (Failure)
   *   IMAP  A001 NO [ALERT] IMAP access is disabled for your domain. Please contact your
   *         domain administrator for questions about this feature. (Failure)
   *   POP3  -ERR [SYS/PERM] Your account is not enabled for POP access. Please visit your
   *         Gmail settings page and enable your account for POP access. */
  { SK_PROTOCOL_IMAP, "Your account is not enabled for IMAP use", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_PROTOCOL_DISABLED, -1,
    N_("IMAP is turned off for this Gmail account. In Gmail on the web, open Settings, "
       "“Forwarding and POP/IMAP”, turn IMAP on, then test again.") },
  { SK_PROTOCOL_IMAP, "IMAP access is disabled for your domain", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_PROTOCOL_DISABLED, -1,
    N_("Your organisation’s administrator has turned IMAP off for its Google accounts. "
       "Ask the administrator to turn it on.") },
  { SK_PROTOCOL_POP3, "Your account is not enabled for POP access", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_PROTOCOL_DISABLED, -1,
    N_("POP3 is turned off for this Gmail account. In Gmail on the web, open Settings, "
       "“Forwarding and POP/IMAP”, turn POP on, then test again.") },

  /* Google: the user name or the password is wrong.  On Google's servers
   * (by the configured name) the app password is what to paste again
   * (guide step 4); elsewhere the same words get the plain sentence.
   *   IMAP  A001 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)
   *   POP3  -ERR [AUTH] Username and password not accepted.
   *   SMTP  535-5.7.8 Username and Password not accepted. Learn more at
   *         535 5.7.8  https://support.google.com/mail/?p=BadCredentials … - gsmtp */
  { SK_PROTOCOL_IMAP, "[AUTHENTICATIONFAILED] Invalid credentials", ANYWHERE, WHEN_GOOGLE,
    SK_DIAGNOSIS_BAD_CREDENTIALS, GUIDE_PASTE_PASSWORD, google_bad_credentials },
  { SK_PROTOCOL_POP3, "[AUTH] Username and password not accepted", ANYWHERE, WHEN_GOOGLE,
    SK_DIAGNOSIS_BAD_CREDENTIALS, GUIDE_PASTE_PASSWORD, google_bad_credentials },
  { SK_PROTOCOL_SMTP, "5.7.8 Username and Password not accepted", ANYWHERE, WHEN_GOOGLE,
    SK_DIAGNOSIS_BAD_CREDENTIALS, GUIDE_PASTE_PASSWORD, google_bad_credentials },

  /* Google and Postfix, in the same words: AUTH before STARTTLS on a port
   * that wants it.  On Google's servers, Google's settings are the cure
   * (guide step 5).
   *   SMTP  530 5.7.0 Must issue a STARTTLS command first. … - gsmtp */
  { SK_PROTOCOL_SMTP, "Must issue a STARTTLS command first", ANYWHERE, WHEN_GOOGLE,
    SK_DIAGNOSIS_STARTTLS_REQUIRED, -1,
    N_("Gmail wants a secure connection before the password. Go back to step 5 of the "
       "Gmail guide, click “Fill in Gmail settings”, then test again.") },
  { SK_PROTOCOL_SMTP, "Must issue a STARTTLS command first", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_STARTTLS_REQUIRED, -1, NULL },

  /* The standard codes.  Google's temporary refusals are among them:
   *   POP3  -ERR [SYS/TEMP] Temporary system problem. Please try again later.
   *   POP3  -ERR [LOGIN-DELAY] … */
  { SK_PROTOCOL_IMAP, "[UNAVAILABLE]", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_TEMPORARY_FAILURE, -1, NULL },
  { SK_PROTOCOL_IMAP, "[INUSE]", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_TEMPORARY_FAILURE, -1, NULL },
  { SK_PROTOCOL_IMAP, "[PRIVACYREQUIRED]", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_STARTTLS_REQUIRED, -1, NULL },
  { SK_PROTOCOL_POP3, "[SYS/TEMP]", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_TEMPORARY_FAILURE, -1, NULL },
  { SK_PROTOCOL_POP3, "[LOGIN-DELAY]", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_TEMPORARY_FAILURE, -1, NULL },
  { SK_PROTOCOL_POP3, "[IN-USE]", ANYWHERE, WHEN_ALWAYS,
    SK_DIAGNOSIS_TEMPORARY_FAILURE, -1, NULL },
  { SK_PROTOCOL_SMTP, "454", REPLY_CODE, WHEN_ALWAYS,
    SK_DIAGNOSIS_TEMPORARY_FAILURE, -1, NULL },
  { SK_PROTOCOL_SMTP, "538", REPLY_CODE, WHEN_ALWAYS,
    SK_DIAGNOSIS_STARTTLS_REQUIRED, -1, NULL },
};

const char *
sk_diagnosis_code_to_string (SkDiagnosisCode code)
{
  g_return_val_if_fail (code < SK_N_DIAGNOSES, NULL);

  return code_names[code];
}

const char *
sk_diagnosis_code_message (SkDiagnosisCode code)
{
  g_return_val_if_fail (code < SK_N_DIAGNOSES, NULL);

  return _(code_sentences[code].message);
}

static gboolean
has_suffix_ci (const char *host,
               gsize       length,
               const char *domain)
{
  gsize domain_length = strlen (domain);

  if (length == domain_length)
    return g_ascii_strncasecmp (host, domain, length) == 0;

  return length > domain_length
         && host[length - domain_length - 1] == '.'
         && g_ascii_strncasecmp (host + length - domain_length, domain, domain_length) == 0;
}

gboolean
sk_host_is_google (const char *host)
{
  static const char * const domains[] = { "gmail.com", "googlemail.com", "google.com" };
  gsize length;

  if (host == NULL)
    return FALSE;

  /* "imap.gmail.com." is the same host. */
  length = strlen (host);
  if (length > 0 && host[length - 1] == '.')
    length--;

  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    if (has_suffix_ci (host, length, domains[i]))
      return TRUE;

  return FALSE;
}

/* The port each protocol speaks SSL/TLS on from the first byte. */
static guint
tls_port (SkProtocol protocol)
{
  switch (protocol)
    {
    case SK_PROTOCOL_IMAP:
      return 993;
    case SK_PROTOCOL_POP3:
      return 995;
    case SK_PROTOCOL_SMTP:
      return 465;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
condition_holds (Condition               when,
                 const SkDiagnosisInput *input)
{
  switch (when)
    {
    case WHEN_ALWAYS:
      return TRUE;
    case WHEN_LOGGED_IN:
      return input->logged_in;
    case WHEN_NO_LOGIN_WANTED:
      return !input->login_wanted;
    case WHEN_STARTTLS_OFFERED:
      return input->starttls_offered;
    case WHEN_PIN_MISMATCH:
      return input->certificate_pin_mismatch;
    case WHEN_EXPIRED:
      return input->certificate_expired;
    case WHEN_WRONG_HOST:
      return input->certificate_wrong_host;
    case WHEN_TLS_CHOSEN:
      return input->tls_chosen;
    case WHEN_TLS_HANDSHAKE:
      return input->tls_chosen && !input->tls_established;
    case WHEN_NO_LOGIN_SENT:
      return !input->login_attempted;
    case WHEN_BEARER:
      return input->bearer;
    case WHEN_GOOGLE:
      return sk_host_is_google (input->server->host);
    case WHEN_PLAIN_ON_TLS_PORT:
      return !input->tls_chosen && !input->greeted
             && input->server->port == tls_port (input->server->protocol);
    default:
      g_assert_not_reached ();
    }
}

static const char *
find_ci (const char *haystack,
         const char *needle)
{
  gsize length = strlen (needle);

  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, needle, length) == 0)
      return p;

  return NULL;
}

static gboolean
reply_matches (const char *reply,
               const char *text,
               Match       match)
{
  gsize length = strlen (text);

  switch (match)
    {
    case ANYWHERE:
      return find_ci (reply, text) != NULL;
    case REPLY_CODE:
      /* "454 …", or "454-…" starting a reply of several lines */
      return g_ascii_strncasecmp (reply, text, length) == 0
             && (reply[length] == ' ' || reply[length] == '-' || reply[length] == '\0');
    default:
      g_assert_not_reached ();
    }
}

/* Only a refusal by the server is read: a reply seen before a timeout or a
 * certificate problem says nothing about them. */
static gboolean
server_refused (int curl_code)
{
  return curl_code == CURLE_LOGIN_DENIED
         || curl_code == CURLE_AUTH_ERROR
         || curl_code == CURLE_WEIRD_SERVER_REPLY;
}

static const ReplyPattern *
match_reply (const SkDiagnosisInput *input)
{
  if (input->last_reply == NULL || !server_refused (input->curl_code))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (reply_patterns); i++)
    {
      const ReplyPattern *pattern = &reply_patterns[i];

      if (pattern->protocol == input->server->protocol
          && reply_matches (input->last_reply, pattern->text, pattern->match)
          && condition_holds (pattern->when, input))
        return pattern;
    }

  return NULL;
}

static SkDiagnosis *
diagnosis_new (SkDiagnosisCode  code,
               int              guide_step,
               const char      *message)
{
  SkDiagnosis *diagnosis = g_new0 (SkDiagnosis, 1);

  diagnosis->code = code;
  diagnosis->guide_step = guide_step >= 0 ? guide_step : code_sentences[code].guide_step;
  diagnosis->message = g_strdup (message != NULL ? _(message) : sk_diagnosis_code_message (code));

  return diagnosis;
}

static SkDiagnosis *
diagnose (const SkDiagnosisInput *input)
{
  const ReplyPattern *pattern;

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      gboolean code_matches = rules[i].curl_code == input->curl_code
                              || (rules[i].curl_code == ANY_FAILURE && input->curl_code != CURLE_OK);

      if (!code_matches || !condition_holds (rules[i].when, input))
        continue;

      /* The server's own words are more precise than libcurl's "denied". */
      pattern = match_reply (input);
      if (pattern != NULL)
        return diagnosis_new (pattern->code, pattern->guide_step, pattern->message);

      return diagnosis_new (rules[i].code, rules[i].guide_step, rules[i].message);
    }

  pattern = match_reply (input);
  if (pattern != NULL)
    return diagnosis_new (pattern->code, pattern->guide_step, pattern->message);

  return diagnosis_new (SK_DIAGNOSIS_SERVER_ERROR, -1, NULL);
}

/* The button that goes with web-login-required opens this address in the
 * person's browser: it must be Google's own sign-in page, whatever else a
 * reply (from any server) holds, lookalike names included. */
#define SIGN_IN_HOST "accounts.google.com"
#define SIGN_IN_PAGE "https://" SIGN_IN_HOST

static gboolean
is_sign_in_page (const char *address)
{
  gsize length = strlen (SIGN_IN_PAGE);
  g_autoptr(GUri) uri = NULL;
  const char *host;

  /* The name as written, not only as decoded: no %-escapes, nothing
   * glued to it. */
  if (g_ascii_strncasecmp (address, SIGN_IN_PAGE, length) != 0
      || (address[length] != '\0' && strchr ("/?#:", address[length]) == NULL))
    return FALSE;

  uri = g_uri_parse (address, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return FALSE;

  host = g_uri_get_host (uri);
  return g_strcmp0 (g_uri_get_scheme (uri), "https") == 0
         && g_uri_get_userinfo (uri) == NULL
         && host != NULL && g_ascii_strcasecmp (host, SIGN_IN_HOST) == 0
         && (g_uri_get_port (uri) == -1 || g_uri_get_port (uri) == 443);
}

static char *
find_web_login_url (const char *reply)
{
  const char *p = reply;

  while ((p = find_ci (p, "https://")) != NULL)
    {
      /* Google puts the address in <…> (SMTP) or before "]" (IMAP). */
      gsize length = strcspn (p, " \t\n<>[]\"'");
      g_autofree char *address = g_strndup (p, length);

      if (is_sign_in_page (address))
        return g_steal_pointer (&address);

      /* Past the whole address: one inside another's query is not it. */
      p += length;
    }

  return NULL;
}

SkDiagnosis *
sk_diagnose (const SkDiagnosisInput *input)
{
  SkDiagnosis *diagnosis;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (input->server != NULL, NULL);

  /* The refusal's JSON names the token, whatever the reply's words (or
   * libcurl's code, which stops at the continuation). */
  if (input->bearer && input->token_refusal != NULL && input->curl_code != CURLE_OK
      && input->curl_code != CURLE_ABORTED_BY_CALLBACK)
    return diagnosis_new (SK_DIAGNOSIS_TOKEN_REJECTED, -1, NULL);

  diagnosis = diagnose (input);

  if (input->bearer && diagnosis->code == SK_DIAGNOSIS_OK)
    {
      g_free (diagnosis->message);
      diagnosis->message = g_strdup (_("Everything works: the server accepted the sign-in "
                                       "with the provider."));
    }

  /* Google's "wrong password" words say the same of a token, but its
   * guide's steps are about app passwords. */
  if (input->bearer && diagnosis->code == SK_DIAGNOSIS_BAD_CREDENTIALS)
    {
      sk_diagnosis_free (diagnosis);
      return diagnosis_new (SK_DIAGNOSIS_TOKEN_REJECTED, -1, NULL);
    }

  if (diagnosis->code == SK_DIAGNOSIS_WEB_LOGIN_REQUIRED && input->last_reply != NULL)
    diagnosis->web_login_url = find_web_login_url (input->last_reply);

  return diagnosis;
}

static SkDiagnosisCode
sign_in_code (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return SK_DIAGNOSIS_CANCELLED;
  if (error->domain != SK_OAUTH2_ERROR)
    return SK_DIAGNOSIS_SERVER_ERROR;

  switch ((SkOAuth2Error) error->code)
    {
    case SK_OAUTH2_ERROR_NOT_CONFIGURED:
      return SK_DIAGNOSIS_OAUTH_NOT_CONFIGURED;
    case SK_OAUTH2_ERROR_DENIED:
      return SK_DIAGNOSIS_SIGN_IN_DENIED;
    case SK_OAUTH2_ERROR_ADMIN_APPROVAL:
      return SK_DIAGNOSIS_ADMIN_APPROVAL_REQUIRED;
    case SK_OAUTH2_ERROR_SIGN_IN_REQUIRED:
      return SK_DIAGNOSIS_SIGN_IN_REQUIRED;
    case SK_OAUTH2_ERROR_TIMED_OUT:
      return SK_DIAGNOSIS_TIMEOUT;
    case SK_OAUTH2_ERROR_PROVIDER:
    case SK_OAUTH2_ERROR_INVALID_RESPONSE:
    default:
      return SK_DIAGNOSIS_SERVER_ERROR;
    }
}

SkDiagnosis *
sk_diagnose_sign_in_error (const GError *error)
{
  SkDiagnosis *diagnosis;

  g_return_val_if_fail (error != NULL, NULL);

  diagnosis = diagnosis_new (sign_in_code (error), -1, NULL);

  switch (diagnosis->code)
    {
    case SK_DIAGNOSIS_CANCELLED:
      break;

    /* The provider's own sentence says what IT support must set, and
     * where. */
    case SK_DIAGNOSIS_OAUTH_NOT_CONFIGURED:
      g_free (diagnosis->message);
      diagnosis->message = g_strdup (error->message);
      break;

    case SK_DIAGNOSIS_SERVER_ERROR:
      g_free (diagnosis->message);
      diagnosis->message = g_strdup_printf (_("The provider’s sign-in service did not give "
                                              "a token (%s). Test again later; if it keeps "
                                              "happening, show this to your IT support."),
                                            error->message);
      break;

    /* The provider's words (an AADSTS code, invalid_grant) for IT; none
     * when there was no sign-in to refuse. */
    default:
      if (*error->message == '\0')
        break;
      g_free (diagnosis->message);
      diagnosis->message = g_strdup_printf (_("%s The provider said: %s"),
                                            sk_diagnosis_code_message (diagnosis->code),
                                            error->message);
      break;
    }

  return diagnosis;
}

void
sk_diagnosis_free (SkDiagnosis *diagnosis)
{
  if (diagnosis == NULL)
    return;

  g_free (diagnosis->message);
  g_free (diagnosis->web_login_url);
  g_free (diagnosis);
}
