/* sk-server-trust.h — whether a mail server's certificate is trusted: the
 * system's CAs, the extra ones of --cafile, a pinned fingerprint (private
 * to the core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <curl/curl.h>
#include <openssl/x509.h>

#include "sk-connection-test.h"

G_BEGIN_DECLS

/* The check of one side's server certificate, and what it saw.  Written
 * by OpenSSL's callbacks on the side's worker thread. */
typedef struct
{
  char              *host;          /* ASCII: the name the certificate must carry */
  char              *pin;           /* the one fingerprint trusted (upper case), or NULL */
  GPtrArray         *extra_cas;     /* X509 */

  SkCertificateInfo *certificate;   /* the server's, whatever the check says */
  int                verify_error;  /* X509_V_OK or the first problem found */
  gboolean           pin_mismatch;
} SkServerTrust;

/* A check for server: its pinned fingerprint is used unless it is no
 * valid one or the host is Google's.  extra_cas (X509, may be NULL) is
 * shared, not copied. */
SkServerTrust     *sk_server_trust_new         (const SkServer  *server,
                                                GPtrArray       *extra_cas);
void               sk_server_trust_free        (SkServerTrust   *trust);
gboolean           sk_server_trust_is_pinned   (const SkServerTrust *trust);
gboolean           sk_server_trust_saw_expired (const SkServerTrust *trust);
gboolean           sk_server_trust_saw_wrong_host (const SkServerTrust *trust);

/* CURLOPT_SSL_CTX_FUNCTION, with the SkServerTrust as its data: the
 * handshake checks the certificate against trust. */
CURLcode           sk_server_trust_ssl_ctx_cb  (CURL            *easy,
                                                void            *ssl_ctx,
                                                void            *user_data);

/* The CA certificates of a PEM file (--cafile), or NULL with an
 * SK_CONNECTION_TEST_ERROR_INVALID saying why. */
GPtrArray         *sk_server_trust_load_cas    (const char      *path,
                                                GError         **error);

/* Adds the system's trusted CAs to store: the one definition of "the
 * system's trust" for servers and for signing certificates alike. */
void               sk_system_trust_add_to      (X509_STORE      *store);

/* Makes easy trust the system's CAs and extra_cas (X509, may be NULL;
 * shared, not copied: it must outlive the transfer), through the same
 * definition as above, with libcurl's and OpenSSL's own checks of the
 * chain and the host name. */
void               sk_system_trust_use         (CURL            *easy,
                                                GPtrArray       *extra_cas);

SkCertificateInfo *sk_certificate_info_new     (X509            *cert);
void               sk_certificate_info_free    (SkCertificateInfo *info);

G_END_DECLS
