/* sk-test-message.h — a short message to oneself through the account's
 * SMTP server, S/MIME-signed when signing is on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-account.h"
#include "sk-certificate.h"
#include "sk-connection-test.h"

G_BEGIN_DECLS

typedef struct
{
  char         *account_name; /* "account" in the JSON */
  /* The SMTP exchange, as a connection test reports it: steps, server
   * certificate, diagnosis, password-free transcript. */
  SkSideResult *side;
  gboolean      sent;         /* the server accepted the message */
  gboolean      is_signed;    /* the message was S/MIME-signed */
  char         *final_reply;  /* the server's answer to the message's end
                               * ("250 2.0.0 Ok: queued as …"), or NULL
                               * when it never got that far */
  char         *message_id;   /* the Message-ID header it carried */
} SkSendResult;

/* The RFC 5322 message (CRLF line ends): From the full name and address,
 * To the account's address, a translated subject and body, Date (date,
 * NULL: now), Message-ID.  With signer (which must hold its private key)
 * it is S/MIME multipart/signed, detached, SHA-256, with the signer's
 * chain. */
GBytes       *sk_test_message_build        (SkAccount            *account,
                                            SkCertificate        *signer,
                                            GDateTime            *date,
                                            char                **message_id,
                                            GError              **error);

/* Logs in to the outgoing server exactly as the connection test does
 * (same TLS checks, pin, --cafile, timeouts, diagnosis), then sends
 * message from and to the account's address.  Only when the user asked.
 * A refusal is a result, not an error; the error is for settings that
 * cannot be used at all (as sk_connection_test_async).  Progress reports
 * come for SK_TEST_SIDE_OUTGOING. */
void          sk_test_message_send_async   (SkAccount            *account,
                                            GBytes               *message,
                                            const SkTestOptions  *options,
                                            SkTestProgressFunc    progress,
                                            gpointer              progress_data,
                                            GDestroyNotify        progress_destroy,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
SkSendResult *sk_test_message_send_finish  (GAsyncResult         *result,
                                            GError              **error);

/* One JSON object on one line: "account", "ok" (sent), "signed",
 * "message_id", "final_reply", and "outgoing" shaped as in the test's
 * JSON.  Never a password. */
char         *sk_send_result_to_json       (SkSendResult         *result);
void          sk_send_result_free          (SkSendResult         *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkSendResult, sk_send_result_free)

G_END_DECLS
