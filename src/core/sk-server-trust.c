/* sk-server-trust.c — whether a mail server's certificate is trusted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Test"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "sk-certificate-private.h"
#include "sk-server-trust.h"

/* Every X509 certificate in a PEM file; empty when it cannot be read. */
static GPtrArray *
read_certificates (const char *path)
{
  GPtrArray *certs = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  BIO *bio = BIO_new_file (path, "r");
  X509 *cert;

  if (bio != NULL)
    {
      while ((cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
        g_ptr_array_add (certs, cert);
      BIO_free (bio);
    }

  /* The end of the file shows as an error too. */
  ERR_clear_error ();

  return certs;
}

/* System trust */

/* A bundle's certificates, parsed once for as long as its path is the
 * system's: parsing takes tens of milliseconds, which every handshake (and
 * a cancel waiting for it) would otherwise spend again. */
static GMutex bundle_lock;
static char *bundle_path;
static GPtrArray *bundle_cas;

static GPtrArray *
ref_bundle (const char *path)
{
  GPtrArray *cas;

  g_mutex_lock (&bundle_lock);
  if (g_strcmp0 (bundle_path, path) != 0)
    {
      g_clear_pointer (&bundle_cas, g_ptr_array_unref);
      g_free (bundle_path);
      bundle_path = g_strdup (path);
      bundle_cas = read_certificates (path);
    }
  cas = g_ptr_array_ref (bundle_cas);
  g_mutex_unlock (&bundle_lock);

  return cas;
}

/* OpenSSL checks every certificate here (libcurl's own CA loading is off,
 * see make_handle()), so the system's trust is OpenSSL's: the CA folder
 * and bundle it was built with, or SSL_CERT_DIR and SSL_CERT_FILE when an
 * administrator set them — what the openssl command and most programs on
 * the computer trust.  (libcurl's built-in paths name the same folder on
 * Debian, /etc/ssl/certs, but ignore those variables.)  The folder, when
 * there is one, is read certificate by certificate as a chain needs one;
 * only without it is the whole bundle read. */
void
sk_system_trust_add_to (X509_STORE *store)
{
  const char *dir = g_getenv (X509_get_default_cert_dir_env ());
  const char *file = g_getenv (X509_get_default_cert_file_env ());
  g_autoptr(GPtrArray) cas = NULL;

  g_return_if_fail (store != NULL);

  if (dir == NULL)
    dir = X509_get_default_cert_dir ();
  if (file == NULL)
    file = X509_get_default_cert_file ();

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      X509_STORE_load_path (store, dir);
      return;
    }

  cas = ref_bundle (file);
  for (guint i = 0; i < cas->len; i++)
    X509_STORE_add_cert (store, g_ptr_array_index (cas, i));
  /* A certificate already in the store is not an error worth keeping. */
  ERR_clear_error ();
}

static CURLcode
system_trust_ssl_ctx_cb (CURL *easy,
                         void *ssl_ctx,
                         void *user_data)
{
  GPtrArray *extra_cas = user_data;
  X509_STORE *store = SSL_CTX_get_cert_store (ssl_ctx);

  sk_system_trust_add_to (store);
  for (guint i = 0; extra_cas != NULL && i < extra_cas->len; i++)
    X509_STORE_add_cert (store, g_ptr_array_index (extra_cas, i));
  ERR_clear_error ();

  return CURLE_OK;
}

void
sk_system_trust_use (CURL      *easy,
                     GPtrArray *extra_cas)
{
  g_return_if_fail (easy != NULL);

  /* libcurl's own CA settings would be a second idea of the system's
   * trust: each handshake's store is filled here instead. */
  curl_easy_setopt (easy, CURLOPT_CAINFO, NULL);
  curl_easy_setopt (easy, CURLOPT_CAPATH, NULL);
  curl_easy_setopt (easy, CURLOPT_CA_CACHE_TIMEOUT, 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_CTX_FUNCTION, system_trust_ssl_ctx_cb);
  curl_easy_setopt (easy, CURLOPT_SSL_CTX_DATA, extra_cas);
}

GPtrArray *
sk_server_trust_load_cas (const char  *path,
                          GError     **error)
{
  g_autoptr(GPtrArray) cas = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || g_access (path, R_OK) != 0)
    {
      g_set_error (error, SK_CONNECTION_TEST_ERROR, SK_CONNECTION_TEST_ERROR_INVALID,
                   _("The CA file “%s” cannot be read."), display);
      return NULL;
    }

  cas = read_certificates (path);
  if (cas->len == 0)
    {
      g_set_error (error, SK_CONNECTION_TEST_ERROR, SK_CONNECTION_TEST_ERROR_INVALID,
                   _("The CA file “%s” holds no certificate in PEM form."), display);
      return NULL;
    }

  return g_steal_pointer (&cas);
}

/* Certificate info */

/* The same reading of a certificate as the signing certificates get. */
SkCertificateInfo *
sk_certificate_info_new (X509 *cert)
{
  g_autoptr(SkCertificate) certificate = sk_certificate_new_from_x509 (cert, NULL, NULL);
  GDateTime *not_before = sk_certificate_get_not_before (certificate);
  GDateTime *not_after = sk_certificate_get_not_after (certificate);
  SkCertificateInfo *info = g_new0 (SkCertificateInfo, 1);

  info->subject = g_strdup (sk_certificate_get_subject (certificate));
  info->issuer = g_strdup (sk_certificate_get_issuer (certificate));
  info->not_before = not_before != NULL ? g_date_time_ref (not_before) : NULL;
  info->not_after = not_after != NULL ? g_date_time_ref (not_after) : NULL;
  info->sha256 = g_strdup (sk_certificate_get_sha256 (certificate));

  return info;
}

void
sk_certificate_info_free (SkCertificateInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->subject);
  g_free (info->issuer);
  g_clear_pointer (&info->not_before, g_date_time_unref);
  g_clear_pointer (&info->not_after, g_date_time_unref);
  g_free (info->sha256);
  g_free (info);
}

/* One server's check */

SkServerTrust *
sk_server_trust_new (const SkServer *server,
                     GPtrArray      *extra_cas)
{
  SkServerTrust *trust = g_new0 (SkServerTrust, 1);
  const char *pin = server->pinned_sha256;

  trust->host = g_hostname_to_ascii (server->host);
  /* Google's certificates are always checked in full. */
  if (pin != NULL && *pin != '\0' && sk_fingerprint_is_valid (pin)
      && !sk_host_is_google (server->host))
    trust->pin = g_ascii_strup (pin, -1);
  trust->extra_cas = extra_cas != NULL
                     ? g_ptr_array_ref (extra_cas)
                     : g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  trust->verify_error = X509_V_OK;

  return trust;
}

void
sk_server_trust_free (SkServerTrust *trust)
{
  if (trust == NULL)
    return;

  g_free (trust->host);
  g_free (trust->pin);
  g_ptr_array_unref (trust->extra_cas);
  sk_certificate_info_free (trust->certificate);
  g_free (trust);
}

gboolean
sk_server_trust_is_pinned (const SkServerTrust *trust)
{
  return trust->pin != NULL;
}

gboolean
sk_server_trust_saw_expired (const SkServerTrust *trust)
{
  return trust->verify_error == X509_V_ERR_CERT_HAS_EXPIRED
         || trust->verify_error == X509_V_ERR_CERT_NOT_YET_VALID;
}

gboolean
sk_server_trust_saw_wrong_host (const SkServerTrust *trust)
{
  return trust->verify_error == X509_V_ERR_HOSTNAME_MISMATCH
         || trust->verify_error == X509_V_ERR_IP_ADDRESS_MISMATCH;
}

/* Called by OpenSSL during the handshake once the server's certificate has
 * arrived, in place of its chain check (which it runs here): before
 * anything else is sent through the connection. */
static int
verify_chain_cb (X509_STORE_CTX *store_ctx,
                 void           *user_data)
{
  SkServerTrust *trust = user_data;
  X509 *leaf = X509_STORE_CTX_get0_cert (store_ctx);
  X509_STORE *store = X509_STORE_CTX_get0_store (store_ctx);
  int verified;

  if (leaf == NULL)
    return 0;

  /* Kept whatever the check says: a person may decide to trust it. */
  sk_certificate_info_free (trust->certificate);
  trust->certificate = sk_certificate_info_new (leaf);

  if (trust->pin != NULL)
    {
      /* The person trusted exactly this certificate, whoever issued it and
       * for whichever name; any other one is refused. */
      trust->pin_mismatch = g_strcmp0 (trust->certificate->sha256, trust->pin) != 0;
      if (trust->pin_mismatch)
        {
          X509_STORE_CTX_set_error (store_ctx, X509_V_ERR_CERT_REJECTED);
          return 0;
        }

      return 1;
    }

  /* The trusted CAs (the system's and the extra ones; libcurl loads none
   * itself) go into the handshake's own store only now: whatever reading
   * them costs overlaps the handshake's first round trip rather than
   * delaying it. */
  sk_system_trust_add_to (store);
  for (guint i = 0; i < trust->extra_cas->len; i++)
    X509_STORE_add_cert (store, g_ptr_array_index (trust->extra_cas, i));
  ERR_clear_error ();

  /* OpenSSL stops at the first problem (libcurl sets no callback that
   * would go on): that is the one the diagnosis names. */
  verified = X509_verify_cert (store_ctx);
  if (verified <= 0)
    trust->verify_error = X509_STORE_CTX_get_error (store_ctx);

  return verified > 0 ? 1 : 0;
}

CURLcode
sk_server_trust_ssl_ctx_cb (CURL *easy,
                            void *ssl_ctx,
                            void *user_data)
{
  SkServerTrust *trust = user_data;
  SSL_CTX *ctx = ssl_ctx;

  /* The name is checked during the handshake too, so that the certificate
   * check tells a wrong name apart from an untrusted issuer. */
  if (trust->pin == NULL)
    {
      X509_VERIFY_PARAM *param = SSL_CTX_get0_param (ctx);

      if (g_hostname_is_ip_address (trust->host))
        X509_VERIFY_PARAM_set1_ip_asc (param, trust->host);
      else
        X509_VERIFY_PARAM_set1_host (param, trust->host, 0);
    }

  SSL_CTX_set_cert_verify_callback (ctx, verify_chain_cb, trust);

  return CURLE_OK;
}
