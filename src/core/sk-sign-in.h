/* sk-sign-in.h — signing in with the provider (OAuth 2.0) and keeping the
 * access token fresh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-oauth2.h"

G_BEGIN_DECLS

/* Opens uri in the person's browser, or shows it to them (the command line
 * prints it).  Called once, on the caller's main context. */
typedef void (*SkOpenUriFunc) (const char *uri,
                               gpointer    user_data);

typedef struct
{
  /* Also trust the CA certificates in this PEM file (--cafile), or NULL. */
  const char          *cafile;
  /* libcurl CONNECT_TO entries for the provider's hosts (tests), or NULL. */
  const char * const  *connect_to;
  /* How long the browser may take; 0: five minutes (DESIGN.md). */
  guint                timeout_seconds;
} SkSignInOptions;

/* The whole sign-in of RFC 8252: a listener on 127.0.0.1, the provider's
 * page opened through open_uri with PKCE (S256) and a fresh state, the
 * code the browser brings back, and the token request.  A provider that
 * is not set up fails at once with SK_OAUTH2_ERROR_NOT_CONFIGURED and its
 * sentence for IT support; a refusal is an SK_OAUTH2_ERROR saying which
 * (declined, admin approval, …); cancelling stops it at once. */
void            sk_sign_in_async    (const SkOAuth2Provider *provider,
                                     const char             *login_hint,
                                     const SkSignInOptions  *options,
                                     SkOpenUriFunc           open_uri,
                                     gpointer                open_data,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data);
SkOAuth2Tokens *sk_sign_in_finish   (GAsyncResult           *result,
                                     GError                **error);

/* A new access token for refresh_token.  When the provider sends no new
 * refresh token, the result carries the old one.  A revoked or expired
 * one is SK_OAUTH2_ERROR_SIGN_IN_REQUIRED. */
void            sk_sign_in_refresh_async  (const SkOAuth2Provider *provider,
                                           const char             *refresh_token,
                                           const SkSignInOptions  *options,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data);
SkOAuth2Tokens *sk_sign_in_refresh_finish (GAsyncResult           *result,
                                           GError                **error);

G_END_DECLS
