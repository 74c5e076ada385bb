/* sk-connection-test.c — logs in to an account's servers in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Test"

#include "config.h"

#include "sk-connection-test-private.h"
#include "sk-secret.h"
#include "sk-server-trust.h"
#include "sk-sign-in.h"
#include "sk-test-side-private.h"

/* The public side of the test: what can be tested is checked here, then
 * each side runs in sk-test-side.c, and the results are made into words
 * and JSON in sk-test-result.c. */

G_DEFINE_QUARK (sk-connection-test-error-quark, sk_connection_test_error)

/* Signing in with the provider */

/* Where a login with the provider gets its access tokens: the refresh
 * token in the keyring, traded at the provider's token endpoint. */
typedef struct
{
  char             *account_id;
  char             *account_name;
  SkOAuth2Provider *provider;        /* NULL: the account's is gone */
  char             *cafile;
  char             *refresh_token;   /* wiped; NULL until looked up */
} TokenSource;

static TokenSource *
token_source_new (SkAccount           *account,
                  const SkTestOptions *options)
{
  TokenSource *source = g_new0 (TokenSource, 1);

  source->account_id = g_strdup (sk_account_get_id (account));
  source->account_name = g_strdup (sk_account_get_name (account));
  source->provider = sk_oauth2_provider_find (sk_account_get_oauth2_provider (account));
  source->cafile = g_strdup (options != NULL ? options->cafile : NULL);

  return source;
}

static void
token_source_free (TokenSource *source)
{
  g_free (source->account_id);
  g_free (source->account_name);
  g_clear_pointer (&source->provider, sk_oauth2_provider_free);
  g_free (source->cafile);
  g_clear_pointer (&source->refresh_token, sk_secret_free);
  g_free (source);
}

static void
token_stored (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The old token may still work; the next sign-in replaces it anyway. */
  if (!sk_secret_store_finish (result, &error))
    g_debug ("The provider's new refresh token could not be kept: %s", error->message);
}

static void
refreshed (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenSource *source = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOAuth2Tokens) tokens = sk_sign_in_refresh_finish (result, &error);

  if (tokens == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Providers that rotate refresh tokens have just retired the old one. */
  if (tokens->refresh_token != NULL
      && g_strcmp0 (tokens->refresh_token, source->refresh_token) != 0)
    {
      sk_secret_store_sign_in_async (source->account_id, source->provider->id,
                                     source->provider->name, source->account_name,
                                     tokens->refresh_token, NULL, token_stored, NULL);
      sk_secret_free (source->refresh_token);
      source->refresh_token = g_strdup (tokens->refresh_token);
    }

  g_task_return_pointer (task, g_strdup (tokens->access_token), (GDestroyNotify) sk_secret_free);
}

static void
refresh (GTask *task)
{
  TokenSource *source = g_task_get_task_data (task);
  SkSignInOptions options = { .cafile = source->cafile };

  sk_sign_in_refresh_async (source->provider, source->refresh_token, &options,
                            g_task_get_cancellable (task), refreshed, g_object_ref (task));
}

static void
refresh_token_found (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenSource *source = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  source->refresh_token = sk_secret_lookup_finish (result, &error);
  if (source->refresh_token != NULL)
    {
      refresh (task);
      return;
    }

  /* No keyring is as good as no sign-in: there is no token to use.  The
   * empty message says that no provider refused anything. */
  if (error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = g_error_new_literal (SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_SIGN_IN_REQUIRED, "");
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

/* A new access token (free it with sk_secret_free()); the source is the
 * caller's and must outlive the call. */
static void
token_source_fetch_async (TokenSource         *source,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, token_source_fetch_async);
  g_task_set_task_data (task, source, NULL);

  /* Validation lets no unknown provider through; a provider file may
   * still have gone since. */
  if (source->provider == NULL || source->provider->problem != NULL)
    {
      g_task_return_new_error (task, SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_NOT_CONFIGURED, "%s",
                               source->provider != NULL
                               ? source->provider->problem
                               : sk_diagnosis_code_message (SK_DIAGNOSIS_OAUTH_NOT_CONFIGURED));
      return;
    }

  if (source->refresh_token != NULL)
    refresh (task);
  else
    sk_secret_lookup_sign_in_async (source->account_id, source->provider->id, cancellable,
                                    refresh_token_found, g_object_ref (task));
}

static char *
token_source_fetch_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
signs_in (const SkServer *server)
{
  return server->username != NULL && server->auth_method == SK_AUTH_METHOD_OAUTH2;
}

static void
set_access_token (SkServer   *server,
                  const char *access_token)
{
  sk_secret_free (server->password);
  server->password = g_strdup (access_token);
}

/* Setting up */

/* A test of both sides; a side signing in with the provider waits for
 * its access token first, and may run twice when the server refuses a
 * token (it may have expired since it was handed in or fetched). */
typedef struct
{
  SkTestResult     *result;
  guint             n_pending;
  SkTestReporter   *reporter;
  SkServer         *servers[SK_N_TEST_SIDES];
  gboolean          retried[SK_N_TEST_SIDES];
  GPtrArray        *extra_cas;
  guint             timeout;

  TokenSource      *tokens;          /* NULL: no side signs in */
  char             *access_token;    /* wiped */
  guint             token_sides;     /* sides waiting for a token, 1 << side */
} TestRun;

static void
test_run_free (TestRun *run)
{
  sk_test_result_free (run->result);
  sk_test_reporter_unref (run->reporter);
  for (guint i = 0; i < SK_N_TEST_SIDES; i++)
    sk_server_free (run->servers[i]);
  g_clear_pointer (&run->extra_cas, g_ptr_array_unref);
  g_clear_pointer (&run->tokens, token_source_free);
  g_clear_pointer (&run->access_token, sk_secret_free);
  g_free (run);
}

static void
side_finished (GTask        *task,
               SkSideResult *side)
{
  TestRun *run = g_task_get_task_data (task);

  run->result->sides[side->side] = side;

  if (--run->n_pending > 0)
    return;

  run->result->ok = run->result->sides[SK_TEST_SIDE_INCOMING]->ok
                    && run->result->sides[SK_TEST_SIDE_OUTGOING]->ok;
  g_task_return_pointer (task, g_steal_pointer (&run->result),
                         (GDestroyNotify) sk_test_result_free);
}

static void fetch_token (GTask *task, guint sides);

static void
side_done (GObject      *source_object,
           GAsyncResult *side_result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestRun *run = g_task_get_task_data (task);
  SkSideResult *side = sk_side_job_run_finish (side_result, NULL, NULL);

  if (side->diagnosis->code == SK_DIAGNOSIS_TOKEN_REJECTED && !run->retried[side->side])
    {
      g_debug ("The server refused the access token: refreshing it once");
      run->retried[side->side] = TRUE;
      g_clear_pointer (&run->access_token, sk_secret_free);
      fetch_token (task, 1u << side->side);
      sk_side_result_free (side);
      return;
    }

  side_finished (task, side);
}

static void
start_side (GTask      *task,
            SkTestSide  side)
{
  TestRun *run = g_task_get_task_data (task);
  g_autoptr(SkServer) server = sk_server_copy (run->servers[side]);

  if (signs_in (server))
    set_access_token (server, run->access_token);

  sk_side_job_run_async (sk_side_job_new (side, server, run->timeout, run->extra_cas,
                                          run->reporter),
                         side_done, g_object_ref (task));
}

/* Every side waiting for a token gets it, or the diagnosis of why not. */
static void
token_fetched (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint sides = run->token_sides;

  run->access_token = token_source_fetch_finish (result, &error);
  run->token_sides = 0;
  for (guint i = 0; i < SK_N_TEST_SIDES; i++)
    {
      if (!(sides & (1u << i)))
        continue;

      if (error == NULL)
        start_side (task, i);
      else
        side_finished (task, sk_side_result_new_unconnected (i, run->servers[i],
                                                             sk_diagnose_sign_in_error (error)));
    }
}

/* A new access token for the sides in sides; both may ask while one
 * request is under way. */
static void
fetch_token (GTask *task,
             guint  sides)
{
  TestRun *run = g_task_get_task_data (task);
  gboolean busy = run->token_sides != 0;

  run->token_sides |= sides;
  if (!busy)
    token_source_fetch_async (run->tokens, g_task_get_cancellable (task), token_fetched,
                              g_object_ref (task));
}

/* What cannot be tested at all is refused here, before any connection,
 * in the words the dialog uses for the same field.  The extra CAs, when
 * options name a file, come back in extra_cas. */
static gboolean
check_account (SkAccount            *account,
               SkTestMode            mode,
               const SkTestOptions  *options,
               GPtrArray           **extra_cas,
               GError              **error)
{
  g_autoptr(SkProblem) problem = sk_account_find_test_problem (account, mode);

  if (problem != NULL)
    {
      g_set_error_literal (error, SK_CONNECTION_TEST_ERROR, SK_CONNECTION_TEST_ERROR_INVALID,
                           problem->message);
      return FALSE;
    }

  if (options != NULL && options->cafile != NULL)
    {
      *extra_cas = sk_server_trust_load_cas (options->cafile, error);
      return *extra_cas != NULL;
    }

  return TRUE;
}

static TestRun *
test_run_new (SkAccount           *account,
              const SkTestOptions *options,
              GPtrArray           *extra_cas,
              SkTestReporter      *reporter)
{
  TestRun *run = g_new0 (TestRun, 1);

  run->result = g_new0 (SkTestResult, 1);
  run->result->account_name = g_strdup (sk_account_get_name (account));
  run->n_pending = SK_N_TEST_SIDES;
  run->reporter = reporter;
  run->extra_cas = extra_cas != NULL ? g_ptr_array_ref (extra_cas) : NULL;
  run->timeout = sk_account_get_timeout (account);
  for (guint i = 0; i < SK_N_TEST_SIDES; i++)
    run->servers[i] = sk_account_dup_server (account, i);

  if (sk_account_uses_oauth2 (account))
    run->tokens = token_source_new (account, options);
  if (options != NULL && options->access_token != NULL)
    run->access_token = g_strdup (options->access_token);

  return run;
}

void
sk_connection_test_async (SkAccount            *account,
                          const SkTestOptions  *options,
                          SkTestProgressFunc    progress,
                          gpointer              progress_data,
                          GDestroyNotify        progress_destroy,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) extra_cas = NULL;
  g_autoptr(GError) error = NULL;
  SkTestReporter *reporter;
  TestRun *run;
  guint token_sides = 0;

  g_return_if_fail (SK_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_connection_test_async);
  /* A cancelled test still has a result: it says "cancelled". */
  g_task_set_check_cancellable (task, FALSE);

  if (!check_account (account, SK_TEST_MODE_LOGIN, options, &extra_cas, &error))
    {
      if (progress_destroy != NULL)
        progress_destroy (progress_data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  reporter = sk_test_reporter_new (progress, progress_data, progress_destroy, cancellable);
  run = test_run_new (account, options, extra_cas, reporter);
  g_task_set_task_data (task, run, (GDestroyNotify) test_run_free);

  for (guint i = 0; i < SK_N_TEST_SIDES; i++)
    {
      if (signs_in (run->servers[i]) && run->access_token == NULL)
        token_sides |= 1u << i;
      else
        start_side (task, i);
    }

  if (token_sides != 0)
    fetch_token (task, token_sides);
}

SkTestResult *
sk_connection_test_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_connection_test_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Sending a message */

/* The outgoing side's job, waiting for its access token when it signs
 * in with the provider. */
typedef struct
{
  SkTestReporter *reporter;
  SkServer       *server;
  TokenSource    *tokens;
  GBytes         *message;
  char           *address;
  GPtrArray      *extra_cas;
  guint           timeout;
} SendRun;

static void
send_run_free (SendRun *run)
{
  sk_test_reporter_unref (run->reporter);
  sk_server_free (run->server);
  g_clear_pointer (&run->tokens, token_source_free);
  g_bytes_unref (run->message);
  g_free (run->address);
  g_clear_pointer (&run->extra_cas, g_ptr_array_unref);
  g_free (run);
}

static void
send_done (GObject      *source_object,
           GAsyncResult *side_result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SkSendResult *result = g_new0 (SkSendResult, 1);

  result->side = sk_side_job_run_finish (side_result, &result->sent, &result->final_reply);

  g_task_return_pointer (task, result, (GDestroyNotify) sk_send_result_free);
}

static void
send_with (GTask      *task,
           const char *access_token)
{
  SendRun *run = g_task_get_task_data (task);
  g_autoptr(SkServer) server = sk_server_copy (run->server);
  SkSideJob *job;

  if (access_token != NULL)
    set_access_token (server, access_token);

  job = sk_side_job_new (SK_TEST_SIDE_OUTGOING, server, run->timeout, run->extra_cas,
                         run->reporter);
  sk_side_job_set_message (job, run->message, run->address);
  sk_side_job_run_async (job, send_done, g_object_ref (task));
}

static void
send_token_fetched (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSecretString) access_token = token_source_fetch_finish (result, &error);
  SkSendResult *send_result;

  if (access_token != NULL)
    {
      send_with (task, access_token);
      return;
    }

  send_result = g_new0 (SkSendResult, 1);
  send_result->side = sk_side_result_new_unconnected (SK_TEST_SIDE_OUTGOING, run->server,
                                                      sk_diagnose_sign_in_error (error));
  g_task_return_pointer (task, send_result, (GDestroyNotify) sk_send_result_free);
}

void
sk_connection_send_async (SkAccount            *account,
                          GBytes               *message,
                          const SkTestOptions  *options,
                          SkTestProgressFunc    progress,
                          gpointer              progress_data,
                          GDestroyNotify        progress_destroy,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) extra_cas = NULL;
  g_autoptr(GError) error = NULL;
  SendRun *run;

  g_return_if_fail (SK_IS_ACCOUNT (account));
  g_return_if_fail (message != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_connection_send_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!check_account (account, SK_TEST_MODE_SEND, options, &extra_cas, &error))
    {
      if (progress_destroy != NULL)
        progress_destroy (progress_data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The task holds the reporter until the end, on this thread. */
  run = g_new0 (SendRun, 1);
  run->reporter = sk_test_reporter_new (progress, progress_data, progress_destroy, cancellable);
  run->server = sk_account_dup_server (account, SK_TEST_SIDE_OUTGOING);
  run->message = g_bytes_ref (message);
  run->address = g_strdup (sk_account_get_email (account));
  run->extra_cas = extra_cas != NULL ? g_ptr_array_ref (extra_cas) : NULL;
  run->timeout = sk_account_get_timeout (account);
  g_task_set_task_data (task, run, (GDestroyNotify) send_run_free);

  if (!signs_in (run->server))
    {
      send_with (task, NULL);
      return;
    }

  if (options != NULL && options->access_token != NULL)
    {
      send_with (task, options->access_token);
      return;
    }

  run->tokens = token_source_new (account, options);
  token_source_fetch_async (run->tokens, cancellable, send_token_fetched, g_object_ref (task));
}

SkSendResult *
sk_connection_send_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_connection_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
