/* sk-sign-in.c — signing in with the provider (OAuth 2.0)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-SignIn"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-http.h"
#include "sk-oauth2-redirect.h"
#include "sk-secret.h"
#include "sk-sign-in.h"

#define DEFAULT_TIMEOUT_SECONDS (5 * 60)

typedef struct
{
  SkOAuth2Provider *provider;
  char             *cafile;
  GStrv             connect_to;
  char             *verifier;       /* secret until the code is traded */
  char             *refresh_token;  /* the one refreshed; wiped */
  SkOAuth2Redirect *redirect;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  sk_oauth2_provider_free (sign_in->provider);
  g_free (sign_in->cafile);
  g_strfreev (sign_in->connect_to);
  sk_secret_free (sign_in->verifier);
  sk_secret_free (sign_in->refresh_token);
  g_clear_object (&sign_in->redirect);
  g_free (sign_in);
}

static SignIn *
sign_in_new (const SkOAuth2Provider *provider,
             const SkSignInOptions  *options)
{
  SignIn *sign_in = g_new0 (SignIn, 1);

  sign_in->provider = sk_oauth2_provider_copy (provider);
  if (options != NULL)
    {
      sign_in->cafile = g_strdup (options->cafile);
      sign_in->connect_to = g_strdupv ((GStrv) options->connect_to);
    }

  return sign_in;
}

/* The token endpoint */

static void
token_answered (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SkOAuth2Tokens) tokens = NULL;
  GError *error = NULL;
  guint status = 0;

  body = sk_http_post_form_finish (result, &status, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  tokens = sk_oauth2_tokens_parse (status, body, &error);
  if (tokens == NULL)
    {
      g_debug ("The token endpoint refused (HTTP %u): %s", status, error->message);
      g_task_return_error (task, error);
      return;
    }

  /* Providers need not send a new refresh token with a refreshed access
   * token: the old one then stays good. */
  if (tokens->refresh_token == NULL && sign_in->refresh_token != NULL)
    tokens->refresh_token = g_strdup (sign_in->refresh_token);

  g_task_return_pointer (task, g_steal_pointer (&tokens), (GDestroyNotify) sk_oauth2_tokens_free);
}

static void
request_tokens (GTask      *task,
                const char *form)
{
  SignIn *sign_in = g_task_get_task_data (task);
  SkHttpRequest request = {
    .url = sign_in->provider->token_url,
    .cafile = sign_in->cafile,
    .connect_to = (const char * const *) sign_in->connect_to,
  };

  sk_http_post_form_async (&request, form, g_task_get_cancellable (task), token_answered,
                           g_object_ref (task));
}

/* The sign-in */

static void
code_received (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autofree char *code = NULL;
  g_autofree char *form = NULL;
  GError *error = NULL;

  code = sk_oauth2_redirect_wait_finish (SK_OAUTH2_REDIRECT (source), result, &error);
  if (code == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  form = sk_oauth2_code_request_body (sign_in->provider, code, sign_in->verifier,
                                      sk_oauth2_redirect_get_uri (sign_in->redirect));
  request_tokens (task, form);
  explicit_bzero (form, strlen (form));
}

void
sk_sign_in_async (const SkOAuth2Provider *provider,
                  const char             *login_hint,
                  const SkSignInOptions  *options,
                  SkOpenUriFunc           open_uri,
                  gpointer                open_data,
                  GCancellable           *cancellable,
                  GAsyncReadyCallback     callback,
                  gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *state = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *uri = NULL;
  GError *error = NULL;
  SignIn *sign_in;
  guint timeout;

  g_return_if_fail (provider != NULL);
  g_return_if_fail (open_uri != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_sign_in_async);

  if (provider->problem != NULL)
    {
      g_task_return_new_error (task, SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_NOT_CONFIGURED,
                               "%s", provider->problem);
      return;
    }

  sign_in = sign_in_new (provider, options);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  state = sk_oauth2_state_new ();
  sign_in->redirect = sk_oauth2_redirect_new (state, &error);
  if (sign_in->redirect == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sign_in->verifier = sk_oauth2_pkce_verifier_new ();
  challenge = sk_oauth2_pkce_challenge (sign_in->verifier);
  uri = sk_oauth2_authorization_uri (provider, sk_oauth2_redirect_get_uri (sign_in->redirect),
                                     state, challenge, login_hint);

  timeout = options != NULL && options->timeout_seconds > 0 ? options->timeout_seconds
                                                            : DEFAULT_TIMEOUT_SECONDS;
  /* Listening before the browser can come back. */
  sk_oauth2_redirect_wait_async (sign_in->redirect, timeout, cancellable, code_received,
                                 g_object_ref (task));
  open_uri (uri, open_data);
}

SkOAuth2Tokens *
sk_sign_in_finish (GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sk_sign_in_refresh_async (const SkOAuth2Provider *provider,
                          const char             *refresh_token,
                          const SkSignInOptions  *options,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *form = NULL;
  SignIn *sign_in;

  g_return_if_fail (provider != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_sign_in_refresh_async);

  if (provider->problem != NULL)
    {
      g_task_return_new_error (task, SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_NOT_CONFIGURED,
                               "%s", provider->problem);
      return;
    }
  if (refresh_token == NULL || *refresh_token == '\0')
    {
      g_task_return_new_error (task, SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_SIGN_IN_REQUIRED,
                               _("This account is not signed in."));
      return;
    }

  sign_in = sign_in_new (provider, options);
  sign_in->refresh_token = g_strdup (refresh_token);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  form = sk_oauth2_refresh_request_body (provider, refresh_token);
  request_tokens (task, form);
  explicit_bzero (form, strlen (form));
}

SkOAuth2Tokens *
sk_sign_in_refresh_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_sign_in_refresh_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
