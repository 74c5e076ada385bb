/* sk-diagnosis.c — what a failed (or passed) connection test means, in
 * words a person can act on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <curl/curl.h>
#include <glib/gi18n-lib.h>

#include "sk-diagnosis.h"

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
    { N_("Google wants an app password, not the account’s own password. "
         "Create an app password and paste it into the Password field."), GUIDE_APP_PASSWORD },
  [SK_DIAGNOSIS_BAD_CREDENTIALS] =
    { N_("The server does not accept this user name and password. "
         "Check both and type the password again."), 0 },
  [SK_DIAGNOSIS_WEB_LOGIN_REQUIRED] =
    { N_("Google wants you to sign in once in a web browser. "
         "Sign in to the mailbox on the web, then test again."), GUIDE_SIGN_IN_ON_THE_WEB },
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
  WHEN_GOOGLE,
} Condition;

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
  { CURLE_LOGIN_DENIED, WHEN_GOOGLE, SK_DIAGNOSIS_BAD_CREDENTIALS, GUIDE_PASTE_PASSWORD,
    N_("Google does not accept this user name and password. Check that the user name is "
       "the full address, and paste the app password again.") },
  { CURLE_LOGIN_DENIED, WHEN_ALWAYS, SK_DIAGNOSIS_BAD_CREDENTIALS, -1, NULL },
  { CURLE_AUTH_ERROR, WHEN_ALWAYS, SK_DIAGNOSIS_AUTH_METHOD_UNAVAILABLE, -1, NULL },
};

/* What a server's refusal says beyond "no", read from its last reply.  The
 * entries are the standard response codes: RFC 5530 (IMAP), RFC 2449 and
 * RFC 3206 (POP3), RFC 3463 and RFC 4954 (SMTP); providers' own wordings
 * go here too.  at_start: the reply begins with text (SMTP codes), else
 * it holds it anywhere; both ignore case. */
static const struct
{
  SkProtocol       protocol;
  const char      *text;
  gboolean         at_start;
  SkDiagnosisCode  code;
} reply_patterns[] = {
  { SK_PROTOCOL_IMAP, "[UNAVAILABLE]", FALSE, SK_DIAGNOSIS_TEMPORARY_FAILURE },
  { SK_PROTOCOL_IMAP, "[INUSE]", FALSE, SK_DIAGNOSIS_TEMPORARY_FAILURE },
  { SK_PROTOCOL_IMAP, "[PRIVACYREQUIRED]", FALSE, SK_DIAGNOSIS_STARTTLS_REQUIRED },
  { SK_PROTOCOL_POP3, "[SYS/TEMP]", FALSE, SK_DIAGNOSIS_TEMPORARY_FAILURE },
  { SK_PROTOCOL_POP3, "[LOGIN-DELAY]", FALSE, SK_DIAGNOSIS_TEMPORARY_FAILURE },
  { SK_PROTOCOL_POP3, "[IN-USE]", FALSE, SK_DIAGNOSIS_TEMPORARY_FAILURE },
  { SK_PROTOCOL_SMTP, "454 ", TRUE, SK_DIAGNOSIS_TEMPORARY_FAILURE },
  { SK_PROTOCOL_SMTP, "538 ", TRUE, SK_DIAGNOSIS_STARTTLS_REQUIRED },
  { SK_PROTOCOL_SMTP, "Must issue a STARTTLS command first", FALSE, SK_DIAGNOSIS_STARTTLS_REQUIRED },
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
    case WHEN_GOOGLE:
      return sk_host_is_google (input->host);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  gsize length = strlen (needle);

  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, needle, length) == 0)
      return TRUE;

  return FALSE;
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

static gboolean
match_reply (const SkDiagnosisInput *input,
             SkDiagnosisCode        *code)
{
  if (input->last_reply == NULL || !server_refused (input->curl_code))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (reply_patterns); i++)
    {
      const char *text = reply_patterns[i].text;

      if (reply_patterns[i].protocol != input->protocol)
        continue;

      if (reply_patterns[i].at_start
          ? g_ascii_strncasecmp (input->last_reply, text, strlen (text)) == 0
          : contains_ci (input->last_reply, text))
        {
          *code = reply_patterns[i].code;
          return TRUE;
        }
    }

  return FALSE;
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

SkDiagnosis *
sk_diagnose (const SkDiagnosisInput *input)
{
  SkDiagnosisCode code;

  g_return_val_if_fail (input != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      gboolean code_matches = rules[i].curl_code == input->curl_code
                              || (rules[i].curl_code == ANY_FAILURE && input->curl_code != CURLE_OK);

      if (!code_matches || !condition_holds (rules[i].when, input))
        continue;

      /* The server's own words are more precise than libcurl's "denied". */
      if (match_reply (input, &code))
        return diagnosis_new (code, -1, NULL);

      return diagnosis_new (rules[i].code, rules[i].guide_step, rules[i].message);
    }

  if (match_reply (input, &code))
    return diagnosis_new (code, -1, NULL);

  return diagnosis_new (SK_DIAGNOSIS_SERVER_ERROR, -1, NULL);
}

void
sk_diagnosis_free (SkDiagnosis *diagnosis)
{
  if (diagnosis == NULL)
    return;

  g_free (diagnosis->message);
  g_free (diagnosis);
}
