/* sk-connection-test.c — logs in to an account's servers in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Test"

#include "config.h"

#include <curl/curl.h>

#include "sk-connection-test-private.h"
#include "sk-server-trust.h"
#include "sk-test-side-private.h"

/* The public side of the test: what can be tested is checked here, then
 * each side runs in sk-test-side.c, and the results are made into words
 * and JSON in sk-test-result.c. */

G_DEFINE_QUARK (sk-connection-test-error-quark, sk_connection_test_error)

/* libcurl must be initialised once, on the main thread, before any worker
 * uses it; g_once runs it on the first test, which the main thread starts. */
static gpointer
init_libraries (gpointer data)
{
  CURLcode code = curl_global_init (CURL_GLOBAL_DEFAULT);

  if (code != CURLE_OK)
    g_error ("libcurl cannot start: %s", curl_easy_strerror (code));

  return NULL;
}

static void
ensure_libraries (void)
{
  static GOnce init_once = G_ONCE_INIT;

  g_once (&init_once, init_libraries, NULL);
}

/* Setting up */

typedef struct
{
  SkTestResult   *result;
  guint           n_pending;
  SkTestReporter *reporter;
} TestRun;

static void
test_run_free (TestRun *run)
{
  sk_test_result_free (run->result);
  sk_test_reporter_unref (run->reporter);
  g_free (run);
}

static void
side_done (GObject      *source_object,
           GAsyncResult *side_result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestRun *run = g_task_get_task_data (task);
  SkSideResult *side = sk_side_job_run_finish (side_result, NULL, NULL);

  run->result->sides[side->side] = side;

  if (--run->n_pending > 0)
    return;

  run->result->ok = run->result->sides[SK_TEST_SIDE_INCOMING]->ok
                    && run->result->sides[SK_TEST_SIDE_OUTGOING]->ok;
  g_task_return_pointer (task, g_steal_pointer (&run->result),
                         (GDestroyNotify) sk_test_result_free);
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

/* The side's server, as the account's one rule for its login has it. */
static SkSideJob *
job_for (SkAccount      *account,
         SkTestSide      side,
         GPtrArray      *extra_cas,
         SkTestReporter *reporter)
{
  g_autoptr(SkServer) server = sk_account_dup_server (account, side);

  return sk_side_job_new (side, server, sk_account_get_timeout (account), extra_cas, reporter);
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

  g_return_if_fail (SK_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ensure_libraries ();

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

  run = g_new0 (TestRun, 1);
  run->result = g_new0 (SkTestResult, 1);
  run->result->account_name = g_strdup (sk_account_get_name (account));
  run->n_pending = SK_N_TEST_SIDES;
  run->reporter = reporter;
  g_task_set_task_data (task, run, (GDestroyNotify) test_run_free);

  for (guint i = 0; i < SK_N_TEST_SIDES; i++)
    sk_side_job_run_async (job_for (account, i, extra_cas, reporter),
                           side_done, g_object_ref (task));
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
  SkTestReporter *reporter;
  SkSideJob *job;

  g_return_if_fail (SK_IS_ACCOUNT (account));
  g_return_if_fail (message != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ensure_libraries ();

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
  reporter = sk_test_reporter_new (progress, progress_data, progress_destroy, cancellable);
  g_task_set_task_data (task, reporter, (GDestroyNotify) sk_test_reporter_unref);

  job = job_for (account, SK_TEST_SIDE_OUTGOING, extra_cas, reporter);
  sk_side_job_set_message (job, message, sk_account_get_email (account));
  sk_side_job_run_async (job, send_done, g_object_ref (task));
}

SkSendResult *
sk_connection_send_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_connection_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
