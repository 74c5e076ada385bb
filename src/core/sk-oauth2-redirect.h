/* sk-oauth2-redirect.h — where the browser comes back after signing in:
 * a one-time HTTP listener on 127.0.0.1 (RFC 8252 §7.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SK_TYPE_OAUTH2_REDIRECT (sk_oauth2_redirect_get_type ())

G_DECLARE_FINAL_TYPE (SkOAuth2Redirect, sk_oauth2_redirect, SK, OAUTH2_REDIRECT, GObject)

/* Listens on a random port of 127.0.0.1 for the browser's return from the
 * provider, with state being this sign-in's.  Only loopback can reach it. */
SkOAuth2Redirect *sk_oauth2_redirect_new          (const char        *state,
                                                   GError           **error);
/* "http://127.0.0.1:PORT/", the redirect_uri of the sign-in. */
const char       *sk_oauth2_redirect_get_uri      (SkOAuth2Redirect  *self);

/* Waits for one well-formed request carrying this sign-in's state, answers
 * it with a short page in the person's language and stops listening: a
 * second request finds the port closed.  A request with another state, or
 * with neither code nor error, is answered with an error page and
 * otherwise ignored, so that nothing else on the computer can end the
 * sign-in.  The result is the authorization code; an error= redirect is
 * an SK_OAUTH2_ERROR; after timeout_seconds, SK_OAUTH2_ERROR_TIMED_OUT. */
void              sk_oauth2_redirect_wait_async   (SkOAuth2Redirect  *self,
                                                   guint              timeout_seconds,
                                                   GCancellable      *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer           user_data);
char             *sk_oauth2_redirect_wait_finish  (SkOAuth2Redirect  *self,
                                                   GAsyncResult      *result,
                                                   GError           **error);

G_END_DECLS
