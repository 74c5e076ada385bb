/* sk-test-side-private.h — one side of a connection test (or the sending
 * of a message) on a worker thread of its own (private to the core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-connection-test.h"

G_BEGIN_DECLS

/* The caller's end: where progress goes, and the cancellable every side
 * polls (a new one when the caller gave none). */
typedef struct _SkTestReporter SkTestReporter;

SkTestReporter *sk_test_reporter_new     (SkTestProgressFunc  progress,
                                          gpointer            progress_data,
                                          GDestroyNotify      progress_destroy,
                                          GCancellable       *cancellable);
/* The last reference must go on the caller's main context, where
 * progress_destroy belongs. */
void            sk_test_reporter_unref   (SkTestReporter     *reporter);

typedef struct _SkSideJob SkSideJob;

/* A test of server (copied, its password wiped when freed) for side.
 * extra_cas (X509, may be NULL) is shared, not copied.  reporter must
 * outlive the job. */
SkSideJob    *sk_side_job_new            (SkTestSide          side,
                                          const SkServer     *server,
                                          guint               timeout,
                                          GPtrArray          *extra_cas,
                                          SkTestReporter     *reporter);
/* Once logged in, sends message from and to address, instead of stopping. */
void          sk_side_job_set_message    (SkSideJob          *job,
                                          GBytes             *message,
                                          const char         *address);

/* Runs job (transfer full) on a worker thread; callback comes on the
 * thread-default main context. */
void          sk_side_job_run_async      (SkSideJob          *job,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
/* The side's result; with a message, also whether the server accepted it
 * and its reply to the message's end (NULL when it never got that far). */
SkSideResult *sk_side_job_run_finish     (GAsyncResult       *result,
                                          gboolean           *sent,
                                          char              **final_reply);

/* The result of a side that never connected because its login could not
 * be had (no access token): diagnosis (transfer full) says why. */
SkSideResult *sk_side_result_new_unconnected (SkTestSide          side,
                                              const SkServer     *server,
                                              SkDiagnosis        *diagnosis);

G_END_DECLS
