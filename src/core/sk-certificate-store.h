/* sk-certificate-store.h — the signing certificates the user imported
 *
 * Each certificate lives in the user's data folder
 * ($XDG_DATA_HOME/skrzynka/certificates/, mode 0700) as two files named by
 * its SHA-256 fingerprint without colons: HEX.pem (the public certificate
 * and chain) and, when it came with one, HEX.p12 (the certificate with its
 * private key, encrypted with a random passphrase that is kept in the
 * keyring and nowhere else).  Both are written atomically, mode 0600.  An
 * account names its certificates by fingerprint ("certificates",
 * "default-certificate" settings).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-account-store.h"
#include "sk-certificate.h"

G_BEGIN_DECLS

/* Stores certificate (with its key, when it has one).  A key is never
 * written without a keyring to hold its passphrase: then this fails with
 * SK_SECRET_ERROR_NO_KEYRING and writes nothing.  Storing a certificate
 * already there replaces it; without its key, it leaves the key stored
 * for it in place. */
void           sk_certificate_store_add_async     (SkCertificate       *certificate,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean       sk_certificate_store_add_finish    (GAsyncResult        *result,
                                                   GError             **error);

/* The stored certificate, from its public file alone (no keyring, no
 * private key loaded); sk_certificate_has_private_key() says whether the
 * store holds its key (sk_certificate_get_private_key() stays NULL: it
 * cannot sign; see sk_certificate_store_load_async()).  NULL with
 * G_IO_ERROR_NOT_FOUND when it is not stored. */
SkCertificate *sk_certificate_store_lookup        (const char          *sha256,
                                                   GError             **error);

/* The stored certificate with its private key, read with the passphrase
 * from the keyring: what signing needs. */
void           sk_certificate_store_load_async    (const char          *sha256,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
SkCertificate *sk_certificate_store_load_finish   (GAsyncResult        *result,
                                                   GError             **error);

/* Removes both files and the passphrase.  Not being stored is no error. */
void           sk_certificate_store_remove_async  (const char          *sha256,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean       sk_certificate_store_remove_finish (GAsyncResult        *result,
                                                   GError             **error);

/* Removes, in the background, those of candidates (fingerprints) that no
 * account of accounts lists.  Not cancellable, as whoever asks may be
 * going away: the default GApplication, when there is one, is held until
 * every removal is done.  A removal that fails is logged. */
void           sk_certificate_store_remove_unused (SkAccountStore      *accounts,
                                                   const char * const  *candidates);

#define SK_SIGNER_ERROR (sk_signer_error_quark ())

/* Why an account cannot sign with its default certificate now. */
typedef enum
{
  SK_SIGNER_ERROR_NO_CERTIFICATE,  /* the account lists none */
  SK_SIGNER_ERROR_NO_DEFAULT,      /* none of those it lists is its default */
  SK_SIGNER_ERROR_NOT_STORED,      /* the default is not in the store */
  SK_SIGNER_ERROR_CANNOT_SIGN,     /* it cannot sign mail from the account's
                                    * address now (expired, no key, …) */
} SkSignerError;

GQuark         sk_signer_error_quark              (void);

/* The account's default certificate from the store (without its private
 * key: sk_certificate_store_load_async() reads that when something is
 * signed) when it can sign mail from the account's address now; tab 1,
 * the test panel and the command line all ask here (transfer full).
 * Otherwise NULL, and each of these that is not NULL says why:
 *   why_not  the sentence for the person at the dialog, which points to
 *            tab 3;
 *   error    the case, in SK_SIGNER_ERROR, with the reason alone as its
 *            message (for SK_SIGNER_ERROR_CANNOT_SIGN, the certificate's
 *            status in words), for a front end that words the rest
 *            itself. */
SkCertificate *sk_account_find_signer             (SkAccount           *account,
                                                   char               **why_not,
                                                   GError             **error);

G_END_DECLS
