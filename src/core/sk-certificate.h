/* sk-certificate.h — S/MIME signing certificates, read with OpenSSL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SK_CERTIFICATE_ERROR (sk_certificate_error_quark ())

/* Why nothing could be imported.  The nicks are the --check-certificate
 * status codes of the same meaning. */
typedef enum
{
  SK_CERTIFICATE_ERROR_BAD_PASSWORD,  /*< nick=bad-password >*/ /* PKCS#12: wrong or missing password */
  SK_CERTIFICATE_ERROR_UNREADABLE,    /*< nick=unreadable >*/   /* not a certificate file we can read */
} SkCertificateError;

/* Whether a certificate can sign mail from an address, worst first is not
 * implied: sk_certificate_get_status() checks in the order listed. */
typedef enum
{
  SK_CERTIFICATE_STATUS_VALID,             /*< nick=valid >*/
  SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY,    /*< nick=no-private-key >*/
  SK_CERTIFICATE_STATUS_EXPIRED,           /*< nick=expired >*/
  SK_CERTIFICATE_STATUS_NOT_YET_VALID,     /*< nick=not-yet-valid >*/
  SK_CERTIFICATE_STATUS_NOT_FOR_EMAIL,     /*< nick=not-for-email >*/
  SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH,  /*< nick=address-mismatch >*/
} SkCertificateStatus;

#define SK_TYPE_CERTIFICATE (sk_certificate_get_type ())

G_DECLARE_FINAL_TYPE (SkCertificate, sk_certificate, SK, CERTIFICATE, GObject)

GQuark          sk_certificate_error_quark      (void);

/* Reads a PKCS#12 file (.p12/.pfx; password may be NULL or "" for none,
 * which opens a file exported with either; RC2/3DES ones too, through
 * OpenSSL's legacy provider), PEM (a certificate, with or without its
 * private key and a chain, in any order; an encrypted PEM key takes
 * password too) or a DER certificate (.cer/.crt).  The signing
 * certificate is the one whose public key matches the private key, else
 * the first one that is not a CA.  Fails with SK_CERTIFICATE_ERROR_* and
 * a translated message; on failure nothing is returned.  A key that
 * matches none of the certificates, or a key alone, is unreadable. */
SkCertificate  *sk_certificate_new_from_bytes   (GBytes         *data,
                                                 const char     *password,
                                                 GError        **error);
SkCertificate  *sk_certificate_new_from_file    (const char     *path,
                                                 const char     *password,
                                                 GError        **error);
/* sk_certificate_new_from_bytes() in a thread: PKCS#12 keys are derived
 * with thousands of rounds.  Keeps a reference to data and a copy of
 * password, wiped when done. */
void            sk_certificate_new_from_bytes_async  (GBytes              *data,
                                                      const char          *password,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* The certificate (transfer full), or NULL with the error of
 * sk_certificate_new_from_bytes() or G_IO_ERROR_CANCELLED. */
SkCertificate  *sk_certificate_new_from_bytes_finish (GAsyncResult        *result,
                                                      GError             **error);
/* The file read and given to sk_certificate_new_from_bytes() without a
 * password, both in a thread: its contents, which may be large, are
 * neither read nor wiped in the caller's thread. */
void            sk_certificate_new_from_file_async   (GFile               *file,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* The certificate (transfer full), or NULL with the error of reading the
 * file (not SK_CERTIFICATE_ERROR), of sk_certificate_new_from_bytes() or
 * G_IO_ERROR_CANCELLED.  When the file needs a password
 * (SK_CERTIFICATE_ERROR_BAD_PASSWORD), contents, if not NULL, gets its
 * contents to try passwords on with sk_certificate_new_from_bytes_async(),
 * and NULL otherwise. */
SkCertificate  *sk_certificate_new_from_file_finish  (GAsyncResult        *result,
                                                      GBytes             **contents,
                                                      GError             **error);
/* The contents of a certificate file, which may hold a private key in the
 * clear (PEM): takes data (from g_malloc) and wipes it when the last
 * reference goes. */
GBytes         *sk_certificate_contents_new_take     (char                *data,
                                                      gsize                length);
/* One-line names, RFC 2253 order ("CN=Jan Kowalski, O=Firma, C=PL"). */
const char     *sk_certificate_get_subject      (SkCertificate  *self);
const char     *sk_certificate_get_issuer       (SkCertificate  *self);
/* The subject's common name, else the first address, else the subject. */
const char     *sk_certificate_get_display_name (SkCertificate  *self);
/* The issuer's common name, else its unit or organisation, else the
 * issuer. */
const char     *sk_certificate_get_issuer_display_name (SkCertificate *self);
/* subjectAltName rfc822Name entries, then the subject's emailAddress ones,
 * lower-cased, without repeats; never NULL. */
const char * const *sk_certificate_get_emails   (SkCertificate  *self);
GDateTime      *sk_certificate_get_not_before   (SkCertificate  *self);
GDateTime      *sk_certificate_get_not_after    (SkCertificate  *self);
/* "AB:CD:…", upper-case hex pairs of the DER's SHA-256: the certificate's
 * identity in the store and in the account's settings. */
const char     *sk_certificate_get_sha256       (SkCertificate  *self);

/* The key usage allows digitalSignature (or there is none), and the
 * extended key usage, when present, includes emailProtection. */
gboolean        sk_certificate_is_for_email     (SkCertificate  *self);
/* TRUE when the key is loaded or kept elsewhere (see below). */
gboolean        sk_certificate_has_private_key  (SkCertificate  *self);
/* The key exists but is not loaded: the certificate store keeps it
 * encrypted.  The status then reads as for the certificate with its key;
 * sk_certificate_get_private_key() stays NULL and nothing can be signed. */
void            sk_certificate_set_key_elsewhere (SkCertificate *self);

/* The status for signing mail from email (NULL or "": any address) at now
 * (NULL: the current time): the first of NO_PRIVATE_KEY, EXPIRED,
 * NOT_YET_VALID, NOT_FOR_EMAIL, ADDRESS_MISMATCH that holds, else VALID.
 * The validity's first and last seconds count as valid.  Addresses
 * compare without regard to case. */
SkCertificateStatus sk_certificate_get_status   (SkCertificate  *self,
                                                 const char     *email,
                                                 GDateTime      *now);
/* "valid", "expired", … (the enum's nicks) and a translated sentence a
 * person can act on ("The certificate expired on 3 March 2025."). */
const char     *sk_certificate_status_to_string (SkCertificateStatus status);
char           *sk_certificate_describe_status  (SkCertificate  *self,
                                                 SkCertificateStatus status);

/* Verifies the chain, for S/MIME signing, against the system's trusted
 * CAs (and cafile, when not NULL), the file's other certificates helping
 * to build it.  Reported, not required: FALSE with a translated reason in
 * error (G_IO_ERROR_FAILED; G_IO_ERROR_INVALID_DATA when cafile cannot be
 * read).  A chain that checks out only up to a root the file itself
 * brings is FALSE too, with a reason that says so. */
gboolean        sk_certificate_verify_chain     (SkCertificate  *self,
                                                 const char     *cafile,
                                                 GError        **error);

/* A PKCS#12 of the certificate, its key and chain, encrypted with
 * passphrase (AES-256-CBC, PBKDF2; a SHA-256 MAC), for the store. */
GBytes         *sk_certificate_to_pkcs12        (SkCertificate  *self,
                                                 const char     *passphrase,
                                                 GError        **error);
/* The certificate and chain as PEM, no key. */
GBytes         *sk_certificate_to_pem           (SkCertificate  *self);

G_END_DECLS
