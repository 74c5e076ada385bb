/* sk-diagnosis.h — what a failed (or passed) connection test means, in
 * words a person can act on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sk-server.h"

G_BEGIN_DECLS

/* The codes of DESIGN.md; their strings are stable (JSON, scripts). */
typedef enum
{
  SK_DIAGNOSIS_OK,
  SK_DIAGNOSIS_APP_PASSWORD_REQUIRED,
  SK_DIAGNOSIS_BAD_CREDENTIALS,
  SK_DIAGNOSIS_WEB_LOGIN_REQUIRED,
  SK_DIAGNOSIS_PROTOCOL_DISABLED,
  SK_DIAGNOSIS_STARTTLS_REQUIRED,
  SK_DIAGNOSIS_TEMPORARY_FAILURE,
  SK_DIAGNOSIS_NAME_NOT_FOUND,
  SK_DIAGNOSIS_CONNECTION_REFUSED,
  SK_DIAGNOSIS_TIMEOUT,
  SK_DIAGNOSIS_TLS_UNTRUSTED,
  SK_DIAGNOSIS_TLS_EXPIRED,
  SK_DIAGNOSIS_TLS_WRONG_HOST,
  SK_DIAGNOSIS_TLS_FAILED,
  SK_DIAGNOSIS_NO_STARTTLS,
  SK_DIAGNOSIS_NO_AUTHENTICATION,
  SK_DIAGNOSIS_AUTH_METHOD_UNAVAILABLE,
  SK_DIAGNOSIS_CANCELLED,
  SK_DIAGNOSIS_SERVER_ERROR,
  SK_DIAGNOSIS_SIGN_IN_REQUIRED,
  SK_DIAGNOSIS_SIGN_IN_DENIED,
  SK_DIAGNOSIS_ADMIN_APPROVAL_REQUIRED,
  SK_DIAGNOSIS_OAUTH_NOT_CONFIGURED,
  SK_DIAGNOSIS_TOKEN_REJECTED,
  SK_DIAGNOSIS_SMTP_AUTH_DISABLED,
  SK_N_DIAGNOSES
} SkDiagnosisCode;

/* What the test engine saw, everything the diagnosis reads. */
typedef struct
{
  const SkServer *server;             /* as configured; Google's rules read
                                       * its host */
  gboolean        tls_chosen;         /* SSL/TLS on connect (not STARTTLS) */
  int             curl_code;          /* CURLcode of the attempt */
  const char     *last_reply;         /* the server's last reply, its lines
                                       * joined by "\n"; or NULL */
  gboolean        greeted;            /* a line came from the server */
  gboolean        logged_in;          /* a login was seen to succeed */
  gboolean        certificate_expired;
  gboolean        certificate_pin_mismatch;
  gboolean        certificate_wrong_host;
  gboolean        tls_established;    /* the TLS handshake completed */
  gboolean        login_wanted;       /* a user name and password were to be sent */
  gboolean        login_attempted;    /* an authentication command went out */
  gboolean        starttls_offered;   /* security None and the server offers
                                       * STARTTLS: the password was not sent */
  gboolean        bearer;             /* the login was an access token of a
                                       * sign-in with the provider (XOAUTH2) */
  const char     *token_refusal;      /* the status of the server's refusal
                                       * of the token ({"status":"401",…}
                                       * after "+ " or "334 "), or NULL */
} SkDiagnosisInput;

typedef struct
{
  SkDiagnosisCode  code;
  int              guide_step;     /* the Gmail guide step to go back to, 0: none */
  char            *message;        /* translated, one sentence or two */
  char            *web_login_url;  /* web-login-required: Google's sign-in page
                                    * (https://accounts.google.com/…), or NULL */
} SkDiagnosis;

const char  *sk_diagnosis_code_to_string (SkDiagnosisCode          code);
/* The sentence for a code alone (used where no server reply matters). */
const char  *sk_diagnosis_code_message   (SkDiagnosisCode          code);
SkDiagnosis *sk_diagnose                 (const SkDiagnosisInput  *input);
/* Why no access token could be had for a test (an SK_OAUTH2_ERROR, a
 * cancellation, or the token endpoint out of reach), as the diagnosis of
 * the side that needed it. */
SkDiagnosis *sk_diagnose_sign_in_error   (const GError            *error);
void         sk_diagnosis_free           (SkDiagnosis             *diagnosis);

/* TRUE for Google's mail hosts (*.gmail.com, *.googlemail.com, *.google.com):
 * their certificates are never pinned, and their guide steps apply. */
gboolean     sk_host_is_google           (const char              *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkDiagnosis, sk_diagnosis_free)

G_END_DECLS
