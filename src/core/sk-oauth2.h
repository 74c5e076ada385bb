/* sk-oauth2.h — signing in with the provider: the pieces of RFC 6749's
 * authorization-code flow for a native app (RFC 8252, PKCE of RFC 7636)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-oauth2-provider.h"

G_BEGIN_DECLS

#define SK_OAUTH2_ERROR (sk_oauth2_error_quark ())

/* Why a sign-in or a token refresh did not give a token; each maps to a
 * diagnosis code of DESIGN.md. */
typedef enum
{
  SK_OAUTH2_ERROR_NOT_CONFIGURED,        /* oauth-not-configured */
  SK_OAUTH2_ERROR_DENIED,                /* sign-in-denied: the person said no */
  SK_OAUTH2_ERROR_ADMIN_APPROVAL,        /* admin-approval-required */
  SK_OAUTH2_ERROR_SIGN_IN_REQUIRED,      /* sign-in-required: no token, or
                                          * invalid_grant */
  SK_OAUTH2_ERROR_TIMED_OUT,             /* no answer from the browser in time */
  SK_OAUTH2_ERROR_PROVIDER,              /* any other refusal by the provider */
  SK_OAUTH2_ERROR_INVALID_RESPONSE,      /* an answer that is not what RFC 6749 says */
} SkOAuth2Error;

GQuark    sk_oauth2_error_quark          (void);

/* A PKCE code verifier: 43 characters of [A-Za-z0-9-._~] from 32 random
 * bytes, and its S256 challenge, BASE64URL(SHA-256(verifier)) without
 * padding. */
char     *sk_oauth2_pkce_verifier_new    (void);
char     *sk_oauth2_pkce_challenge       (const char             *verifier);
/* An unguessable state value for one sign-in. */
char     *sk_oauth2_state_new            (void);

/* The address the browser opens: the provider's authorization URL with
 * response_type=code, client_id, redirect_uri, scope, state,
 * code_challenge (S256), login_hint when given, and the provider's own
 * authorization-parameters. */
char     *sk_oauth2_authorization_uri    (const SkOAuth2Provider *provider,
                                          const char             *redirect_uri,
                                          const char             *state,
                                          const char             *code_challenge,
                                          const char             *login_hint);

/* What a token endpoint answered. */
typedef struct
{
  char   *access_token;    /* wiped when freed */
  char   *refresh_token;   /* NULL when the provider sent none; wiped */
  gint64  expires_at;      /* g_get_real_time() microseconds, 0: unknown */
  char   *scope;
} SkOAuth2Tokens;

/* The form of a token request (application/x-www-form-urlencoded): the
 * code with its verifier, or a refresh token. */
char     *sk_oauth2_code_request_body    (const SkOAuth2Provider *provider,
                                          const char             *code,
                                          const char             *verifier,
                                          const char             *redirect_uri);
char     *sk_oauth2_refresh_request_body (const SkOAuth2Provider *provider,
                                          const char             *refresh_token);

/* Reads a token endpoint's answer (RFC 6749 §5.1 and §5.2): tokens from
 * a 200 with access_token, or an SK_OAUTH2_ERROR saying which case the
 * provider's error and its description (AADSTS codes) mean, with the
 * provider's own words in the message. */
SkOAuth2Tokens *sk_oauth2_tokens_parse   (guint                   status,
                                          GBytes                 *body,
                                          GError                **error);
gboolean  sk_oauth2_tokens_expired       (const SkOAuth2Tokens   *tokens);
void      sk_oauth2_tokens_free          (SkOAuth2Tokens         *tokens);

/* The error of an authorization response (the redirect's error= and
 * error_description=), as an SK_OAUTH2_ERROR. */
GError   *sk_oauth2_error_from_redirect  (const char             *error_code,
                                          const char             *description);

/* The SASL XOAUTH2 initial client response, before base64:
 * "user=USER\1auth=Bearer TOKEN\1\1". */
char     *sk_oauth2_xoauth2_response     (const char             *user,
                                          const char             *access_token);

/* The status of a server's refusal of a token: the JSON
 * ({"status":"401",…}) in base64 after "+ " (IMAP) or "334 " (SMTP), or
 * NULL when reply carries none. */
char     *sk_oauth2_refusal_status       (const char             *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkOAuth2Tokens, sk_oauth2_tokens_free)

G_END_DECLS
