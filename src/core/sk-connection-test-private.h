/* sk-connection-test-private.h — the connection test's outgoing side
 * sending a message, for sk-test-message.c (private to the core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-connection-test.h"
#include "sk-test-message.h"

G_BEGIN_DECLS

/* The outgoing side of sk_connection_test_async(), which, once logged in,
 * sends message from and to the account's address.  The result has side,
 * sent and final_reply filled in; the rest is the caller's. */
void          sk_connection_send_async     (SkAccount            *account,
                                            GBytes               *message,
                                            const SkTestOptions  *options,
                                            SkTestProgressFunc    progress,
                                            gpointer              progress_data,
                                            GDestroyNotify        progress_destroy,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
SkSendResult *sk_connection_send_finish    (GAsyncResult         *result,
                                            GError              **error);

void          sk_side_result_free          (SkSideResult         *side);

G_END_DECLS
