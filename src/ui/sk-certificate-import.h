/* sk-certificate-import.h — brings a certificate file into the store:
 * reads it, opens it in a thread, asks for its password as long as that
 * is wrong, and keeps it with its private key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-certificate.h"

G_BEGIN_DECLS

typedef enum
{
  SK_CERTIFICATE_IMPORT_ASKING,  /* the password window is open */
  SK_CERTIFICATE_IMPORT_SAVING,  /* the certificate goes into the store */
} SkCertificateImportPhase;

typedef void (*SkCertificateImportProgress) (SkCertificateImportPhase  phase,
                                             const char               *file_name,
                                             gpointer                  user_data);

/* Imports file.  The password window is transient for parent (may be
 * NULL).  A certificate whose fingerprint is among listed (NULL-terminated,
 * may be NULL) is only opened, not stored again.  progress, called on the
 * caller's context until the import ends or is cancelled, owns
 * progress_data and frees it with progress_destroy.
 *
 * Cancelling closes the password window at once; a certificate already
 * being written is removed again once written, unless it was in the store
 * before. */
void           sk_certificate_import_async  (GFile                       *file,
                                             GtkWindow                   *parent,
                                             const char * const          *listed,
                                             SkCertificateImportProgress  progress,
                                             gpointer                     progress_data,
                                             GDestroyNotify               progress_destroy,
                                             GCancellable                *cancellable,
                                             GAsyncReadyCallback          callback,
                                             gpointer                     user_data);
/* The certificate as read from the file (transfer full);
 * added says whether this import put it into the store (it was not there
 * before).  On failure NULL and an error whose message is a whole,
 * translated sentence; G_IO_ERROR_CANCELLED when the person closed the
 * password window or the import was cancelled. */
SkCertificate *sk_certificate_import_finish (GAsyncResult                *result,
                                             gboolean                    *added,
                                             GError                     **error);

G_END_DECLS
