/* sk-certificate.c — S/MIME signing certificates, read with OpenSSL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Certificate"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509v3.h>

#include "sk-certificate-private.h"
#include "sk-core-enums.h"
#include "sk-format.h"
#include "sk-server-trust.h"

struct _SkCertificate
{
  GObject          parent_instance;

  X509            *cert;
  EVP_PKEY        *key;
  STACK_OF(X509)  *chain;       /* NULL when the file held no other */
  gboolean         key_elsewhere; /* key is NULL, but the store holds it */

  char            *subject;
  char            *issuer;
  char            *display_name;
  char            *issuer_display_name;
  GStrv            emails;
  GDateTime       *not_before;
  GDateTime       *not_after;
  char            *sha256;
};

G_DEFINE_FINAL_TYPE (SkCertificate, sk_certificate, G_TYPE_OBJECT)

G_DEFINE_QUARK (sk-certificate-error-quark, sk_certificate_error)

static void
sk_certificate_finalize (GObject *object)
{
  SkCertificate *self = SK_CERTIFICATE (object);

  X509_free (self->cert);
  EVP_PKEY_free (self->key);
  sk_X509_pop_free (self->chain, X509_free);
  g_free (self->subject);
  g_free (self->issuer);
  g_free (self->display_name);
  g_free (self->issuer_display_name);
  g_strfreev (self->emails);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_free (self->sha256);

  G_OBJECT_CLASS (sk_certificate_parent_class)->finalize (object);
}

static void
sk_certificate_class_init (SkCertificateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sk_certificate_finalize;
}

static void
sk_certificate_init (SkCertificate *self)
{
}

/* What the certificate says */

static char *
name_to_string (const X509_NAME *name)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long length;
  char *text;

  /* RFC 2253 form ("CN=Jan Kowalski,O=Firma"), UTF-8 kept as it is, so
   * that "Łódź" stays readable. */
  X509_NAME_print_ex (bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  length = BIO_get_mem_data (bio, &data);
  text = g_utf8_make_valid (data != NULL ? data : "", length);
  BIO_free (bio);

  return text;
}

static char *
asn1_string_to_utf8 (const ASN1_STRING *string)
{
  unsigned char *utf8 = NULL;
  int length = ASN1_STRING_to_UTF8 (&utf8, string);
  char *text;

  if (length < 0)
    return NULL;

  text = g_utf8_make_valid ((const char *) utf8, length);
  OPENSSL_free (utf8);

  return text;
}

static GDateTime *
asn1_time_to_date_time (const ASN1_TIME *time)
{
  struct tm tm = { 0, };

  if (time == NULL || !ASN1_TIME_to_tm (time, &tm))
    return NULL;

  return g_date_time_new_utc (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                              tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static char *
fingerprint (X509 *cert)
{
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  GString *text;

  if (!X509_digest (cert, EVP_sha256 (), digest, &length))
    return NULL;

  text = g_string_new (NULL);
  for (unsigned int i = 0; i < length; i++)
    g_string_append_printf (text, i > 0 ? ":%02X" : "%02X", digest[i]);

  return g_string_free (text, FALSE);
}

static void
add_email (GPtrArray         *emails,
           const ASN1_STRING *string)
{
  g_autofree char *text = asn1_string_to_utf8 (string);
  g_autofree char *lower = NULL;

  if (text == NULL || *text == '\0')
    return;

  lower = g_utf8_strdown (text, -1);
  for (guint i = 0; i < emails->len; i++)
    {
      if (strcmp (emails->pdata[i], lower) == 0)
        return;
    }

  g_ptr_array_add (emails, g_steal_pointer (&lower));
}

static GStrv
read_emails (X509 *cert)
{
  GPtrArray *emails = g_ptr_array_new ();
  GENERAL_NAMES *names = X509_get_ext_d2i (cert, NID_subject_alt_name, NULL, NULL);
  const X509_NAME *subject = X509_get_subject_name (cert);
  int index = -1;

  for (int i = 0; i < sk_GENERAL_NAME_num (names); i++)
    {
      const GENERAL_NAME *name = sk_GENERAL_NAME_value (names, i);

      if (name->type == GEN_EMAIL)
        add_email (emails, name->d.rfc822Name);
    }
  GENERAL_NAMES_free (names);

  while ((index = X509_NAME_get_index_by_NID (subject, NID_pkcs9_emailAddress, index)) >= 0)
    add_email (emails, X509_NAME_ENTRY_get_data (X509_NAME_get_entry (subject, index)));

  g_ptr_array_add (emails, NULL);

  return (GStrv) g_ptr_array_free (emails, FALSE);
}

/* The first of the entries nids of name that is there and not empty. */
static char *
read_name_entry (const X509_NAME *name,
                 const int       *nids,
                 guint            n_nids)
{
  for (guint i = 0; i < n_nids; i++)
    {
      int index = X509_NAME_get_index_by_NID (name, nids[i], -1);
      char *text;

      if (index < 0)
        continue;

      text = asn1_string_to_utf8 (X509_NAME_ENTRY_get_data (X509_NAME_get_entry (name, index)));
      if (text != NULL && *text != '\0')
        return text;
      g_free (text);
    }

  return NULL;
}

SkCertificate *
sk_certificate_new_from_x509 (X509           *cert,
                              EVP_PKEY       *key,
                              STACK_OF(X509) *chain)
{
  SkCertificate *self;

  g_return_val_if_fail (cert != NULL, NULL);

  self = g_object_new (SK_TYPE_CERTIFICATE, NULL);
  /* Whatever OpenSSL notes while reading extensions is no caller's error,
   * but what was in the queue before stays: the connection test calls
   * this in the middle of a handshake. */
  ERR_set_mark ();

  X509_up_ref (cert);
  self->cert = cert;
  if (key != NULL)
    {
      EVP_PKEY_up_ref (key);
      self->key = key;
    }
  if (chain != NULL && sk_X509_num (chain) > 0)
    self->chain = X509_chain_up_ref (chain);

  self->subject = name_to_string (X509_get_subject_name (cert));
  self->issuer = name_to_string (X509_get_issuer_name (cert));
  self->emails = read_emails (cert);
  self->not_before = asn1_time_to_date_time (X509_get0_notBefore (cert));
  self->not_after = asn1_time_to_date_time (X509_get0_notAfter (cert));
  self->sha256 = fingerprint (cert);

  self->display_name = read_name_entry (X509_get_subject_name (cert),
                                        (const int[]) { NID_commonName }, 1);
  if (self->display_name == NULL)
    self->display_name = g_strdup (self->emails[0] != NULL ? self->emails[0] : self->subject);
  self->issuer_display_name =
    read_name_entry (X509_get_issuer_name (cert),
                     (const int[]) { NID_commonName, NID_organizationalUnitName,
                                     NID_organizationName }, 3);
  if (self->issuer_display_name == NULL)
    self->issuer_display_name = g_strdup (self->issuer);

  ERR_pop_to_mark ();

  return self;
}

/* Reading files */

static gboolean
unreadable (GError     **error,
            const char  *message)
{
  g_set_error_literal (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_UNREADABLE, message);
  ERR_clear_error ();
  return FALSE;
}

static gboolean
bad_password (GError **error)
{
  g_set_error_literal (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_BAD_PASSWORD,
                       _("The password does not open this file. Type it again, "
                         "minding capital letters and Polish characters."));
  ERR_clear_error ();
  return FALSE;
}

static const char *
not_a_certificate (void)
{
  return _("This file is not a certificate that can be read. Choose the .p12, .pfx "
           "or .pem file you were given with the certificate.");
}

static void
x509_array_add_stack (GPtrArray      *certs,
                      STACK_OF(X509) *stack)
{
  for (int i = 0; i < sk_X509_num (stack); i++)
    {
      X509 *cert = sk_X509_value (stack, i);

      X509_up_ref (cert);
      g_ptr_array_add (certs, cert);
    }
}

/* The signing certificate is the one the key belongs to (else the first
 * that is not a CA, else the first); the rest become the chain. */
static SkCertificate *
assemble (GPtrArray  *certs,
          EVP_PKEY   *key,
          GError    **error)
{
  STACK_OF(X509) *chain;
  SkCertificate *self;
  X509 *signer = NULL;

  if (certs->len == 0)
    {
      unreadable (error, key != NULL
                         ? _("This file holds a private key but no certificate. Choose the "
                             "file with the certificate, or a .p12 or .pfx file that holds both.")
                         : not_a_certificate ());
      return NULL;
    }

  for (guint i = 0; i < certs->len && signer == NULL; i++)
    {
      X509 *cert = certs->pdata[i];

      if (key != NULL ? X509_check_private_key (cert, key) == 1 : X509_check_ca (cert) == 0)
        signer = cert;
    }
  ERR_clear_error ();

  if (signer == NULL && key != NULL)
    {
      unreadable (error, _("The private key in this file belongs to none of its certificates. "
                           "Ask whoever gave you the file for the right one."));
      return NULL;
    }
  if (signer == NULL)
    signer = certs->pdata[0];

  chain = sk_X509_new_null ();
  for (guint i = 0; i < certs->len; i++)
    {
      if (certs->pdata[i] != signer)
        sk_X509_push (chain, certs->pdata[i]);
    }

  self = sk_certificate_new_from_x509 (signer, key, chain);
  /* The stack only borrowed the certificates. */
  sk_X509_free (chain);

  return self;
}

/* PKCS#12 files exported by Windows and older tools are encrypted with RC2
 * or 3DES, which OpenSSL 3 keeps in its legacy provider.  Keeping the
 * fallbacks keeps the default provider for everything else.  Loaded for
 * the rest of the process: the result is the reference that keeps it. */
static gpointer
load_legacy_provider (gpointer data)
{
  OSSL_PROVIDER *legacy = OSSL_PROVIDER_try_load (NULL, "legacy", 1);

  if (legacy == NULL)
    g_debug ("OpenSSL's legacy provider is not available: old PKCS#12 files cannot be read");
  ERR_clear_error ();

  return legacy;
}

/* The password that opens p12, as PKCS12_parse() wants it, or FALSE when
 * password does not.  No password may mean an empty one or none at all:
 * PKCS#12 tells them apart, people do not. */
static gboolean
pkcs12_check_password (PKCS12      *p12,
                       const char  *password,
                       const char **right)
{
  if (!PKCS12_mac_present (p12))
    {
      *right = password;
      return TRUE;
    }

  if (password != NULL && *password != '\0')
    {
      *right = password;
      return PKCS12_verify_mac (p12, password, -1) == 1;
    }

  if (PKCS12_verify_mac (p12, NULL, 0) == 1)
    {
      *right = NULL;
      return TRUE;
    }

  *right = "";
  return PKCS12_verify_mac (p12, "", 0) == 1;
}

static SkCertificate *
load_pkcs12 (PKCS12      *p12,
             const char  *password,
             GError     **error)
{
  static GOnce legacy_once = G_ONCE_INIT;
  g_autoptr(GPtrArray) certs = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  const char *right = NULL;
  EVP_PKEY *key = NULL;
  X509 *cert = NULL;
  STACK_OF(X509) *others = NULL;
  SkCertificate *self;

  g_once (&legacy_once, load_legacy_provider, NULL);

  if (!pkcs12_check_password (p12, password, &right))
    {
      bad_password (error);
      return NULL;
    }

  if (!PKCS12_parse (p12, right, &key, &cert, &others))
    {
      /* OpenSSL 3.0 opens a file without a MAC (an integrity check) only
       * with no password, so a right one cannot be told from a wrong one. */
      if (!PKCS12_mac_present (p12))
        {
          unreadable (error, _("This file has no integrity check, so it cannot be opened "
                               "here. Ask whoever gave you the file to export it again "
                               "with a password and AES encryption."));
          return NULL;
        }
      /* The password was right, so the file is protected with something
       * this OpenSSL cannot decrypt. */
      unreadable (error, _("The password is right, but the file is protected in a way that "
                           "cannot be read here. Ask whoever gave you the file to export it "
                           "again with AES encryption."));
      return NULL;
    }

  if (cert != NULL)
    g_ptr_array_add (certs, cert);
  x509_array_add_stack (certs, others);
  sk_X509_pop_free (others, X509_free);

  self = assemble (certs, key, error);
  EVP_PKEY_free (key);
  ERR_clear_error ();

  return self;
}

/* Gives OpenSSL the password of an encrypted PEM key; none makes the key
 * unreadable rather than ask on the terminal. */
static int
supply_password (char *buffer,
                 int   size,
                 int   rwflag,
                 void *user_data)
{
  const char *password = user_data;
  size_t length;

  if (password == NULL)
    return 0;

  length = strlen (password);
  if (length > (size_t) size)
    return 0;

  memcpy (buffer, password, length);
  return (int) length;
}

typedef struct
{
  gboolean has_key;
  gboolean key_encrypted;
} PemBlocks;

/* Which blocks the PEM data holds, so that a key that fails to decode can
 * be told apart from a key that is not there and from a wrong password. */
static PemBlocks
scan_pem (GBytes *data)
{
  PemBlocks blocks = { FALSE, FALSE };
  gsize size;
  const void *bytes = g_bytes_get_data (data, &size);
  BIO *bio = BIO_new_mem_buf (bytes, (int) size);
  char *name = NULL;
  char *header = NULL;
  unsigned char *body = NULL;
  long length = 0;

  while (PEM_read_bio (bio, &name, &header, &body, &length) == 1)
    {
      if (g_str_has_suffix (name, "PRIVATE KEY"))
        {
          blocks.has_key = TRUE;
          /* PKCS#8 names it; the older per-algorithm form says so in its
           * headers ("Proc-Type: 4,ENCRYPTED"). */
          if (strcmp (name, "ENCRYPTED PRIVATE KEY") == 0
              || strstr (header, "ENCRYPTED") != NULL)
            blocks.key_encrypted = TRUE;
        }
      OPENSSL_free (name);
      OPENSSL_free (header);
      OPENSSL_clear_free (body, length);
    }

  BIO_free (bio);
  ERR_clear_error ();

  return blocks;
}

static SkCertificate *
load_pem (GBytes      *data,
          const char  *password,
          GError     **error)
{
  g_autoptr(GPtrArray) certs = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  PemBlocks blocks = scan_pem (data);
  gsize size;
  const void *bytes = g_bytes_get_data (data, &size);
  EVP_PKEY *key = NULL;
  SkCertificate *self;
  BIO *bio;
  X509 *cert;

  bio = BIO_new_mem_buf (bytes, (int) size);
  while ((cert = PEM_read_bio_X509 (bio, NULL, supply_password, (void *) password)) != NULL)
    g_ptr_array_add (certs, cert);
  BIO_free (bio);
  ERR_clear_error ();

  if (blocks.has_key)
    {
      bio = BIO_new_mem_buf (bytes, (int) size);
      key = PEM_read_bio_PrivateKey (bio, NULL, supply_password, (void *) password);
      BIO_free (bio);

      if (key == NULL && blocks.key_encrypted)
        {
          bad_password (error);
          return NULL;
        }
      if (key == NULL)
        {
          unreadable (error, not_a_certificate ());
          return NULL;
        }
    }

  self = assemble (certs, key, error);
  EVP_PKEY_free (key);
  ERR_clear_error ();

  return self;
}

/* A .crt or .cer file may hold one certificate in DER. */
static X509 *
read_der_certificate (GBytes *data)
{
  gsize size;
  const unsigned char *start = g_bytes_get_data (data, &size);
  const unsigned char *p = start;
  X509 *cert = d2i_X509 (NULL, &p, (long) size);

  if (cert != NULL && p != start + size)
    g_clear_pointer (&cert, X509_free);

  return cert;
}

SkCertificate *
sk_certificate_new_from_bytes (GBytes      *data,
                               const char  *password,
                               GError     **error)
{
  g_autoptr(GPtrArray) certs = NULL;
  gsize size;
  const char *bytes;
  PKCS12 *p12;
  X509 *cert;
  SkCertificate *self;
  BIO *bio;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &size);
  if (size == 0)
    {
      unreadable (error, _("This file is empty. Choose the .p12, .pfx or .pem file you were "
                           "given with the certificate."));
      return NULL;
    }
  if (size > G_MAXINT)
    {
      unreadable (error, not_a_certificate ());
      return NULL;
    }

  if (g_strstr_len (bytes, size, "-----BEGIN ") != NULL)
    return load_pem (data, password, error);

  bio = BIO_new_mem_buf (bytes, (int) size);
  p12 = d2i_PKCS12_bio (bio, NULL);
  BIO_free (bio);
  if (p12 != NULL)
    {
      self = load_pkcs12 (p12, password, error);
      PKCS12_free (p12);
      return self;
    }

  cert = read_der_certificate (data);
  if (cert == NULL)
    {
      unreadable (error, not_a_certificate ());
      return NULL;
    }

  certs = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  g_ptr_array_add (certs, cert);

  return assemble (certs, NULL, error);
}

SkCertificate *
sk_certificate_new_from_file (const char  *path,
                              const char  *password,
                              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) data = NULL;
  char *contents = NULL;
  gsize length = 0;
  SkCertificate *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);
      g_autofree char *message = NULL;

      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        message = g_strdup_printf (_("There is no file “%s”. Check its name and folder."),
                                   display);
      else if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES))
        message = g_strdup_printf (_("You may not read the file “%s”. Copy it somewhere "
                                     "you can, or ask IT support."), display);
      else if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ISDIR))
        message = g_strdup_printf (_("“%s” is a folder. Choose the certificate file in it."),
                                   display);
      else
        /* Translators: the second %s is the system's reason */
        message = g_strdup_printf (_("The file “%s” cannot be read (%s)."), display,
                                   local_error->message);
      unreadable (error, message);
      return NULL;
    }

  data = g_bytes_new_static (contents, length);
  self = sk_certificate_new_from_bytes (data, password, error);

  /* A PEM file may hold an unencrypted private key. */
  explicit_bzero (contents, length);
  g_free (contents);

  return self;
}

typedef struct
{
  char  *data;
  gsize  length;
} Contents;

static void
contents_free (gpointer data)
{
  Contents *contents = data;

  explicit_bzero (contents->data, contents->length);
  g_free (contents->data);
  g_free (contents);
}

GBytes *
sk_certificate_contents_new_take (char  *data,
                                  gsize  length)
{
  Contents *contents;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  contents = g_new (Contents, 1);
  contents->data = data;
  contents->length = length;
  return g_bytes_new_with_free_func (data, length, contents_free, contents);
}

typedef struct
{
  GBytes *data;
  char   *password;
} Parse;

static void
parse_free (Parse *parse)
{
  g_bytes_unref (parse->data);
  if (parse->password != NULL)
    explicit_bzero (parse->password, strlen (parse->password));
  g_free (parse->password);
  g_free (parse);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Parse *parse = task_data;
  GError *error = NULL;
  SkCertificate *certificate = sk_certificate_new_from_bytes (parse->data, parse->password, &error);

  if (certificate == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, certificate, g_object_unref);
}

void
sk_certificate_new_from_bytes_async (GBytes              *data,
                                     const char          *password,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Parse *parse;

  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_certificate_new_from_bytes_async);
  /* A certificate read after the caller gave up is of no use to it. */
  g_task_set_return_on_cancel (task, TRUE);

  parse = g_new0 (Parse, 1);
  parse->data = g_bytes_ref (data);
  parse->password = g_strdup (password);
  g_task_set_task_data (task, parse, (GDestroyNotify) parse_free);
  g_task_run_in_thread (task, parse_thread);
}

SkCertificate *
sk_certificate_new_from_bytes_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_certificate_new_from_bytes_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GFile  *file;
  GBytes *contents;  /* kept for a password, or NULL */
} Read;

static void
read_free (Read *read)
{
  g_object_unref (read->file);
  g_clear_pointer (&read->contents, g_bytes_unref);
  g_free (read);
}

/* The contents go with the thread, wiped, unless a password is needed. */
static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Read *read = task_data;
  g_autoptr(GBytes) contents = NULL;
  SkCertificate *certificate;
  GError *error = NULL;
  char *data = NULL;
  gsize length = 0;

  if (!g_file_load_contents (read->file, cancellable, &data, &length, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  contents = sk_certificate_contents_new_take (data, length);
  certificate = sk_certificate_new_from_bytes (contents, NULL, &error);
  if (certificate != NULL)
    {
      g_task_return_pointer (task, certificate, g_object_unref);
      return;
    }

  if (g_error_matches (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_BAD_PASSWORD))
    read->contents = g_steal_pointer (&contents);
  g_task_return_error (task, error);
}

void
sk_certificate_new_from_file_async (GFile               *file,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Read *read;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_certificate_new_from_file_async);
  g_task_set_return_on_cancel (task, TRUE);

  read = g_new0 (Read, 1);
  read->file = g_object_ref (file);
  g_task_set_task_data (task, read, (GDestroyNotify) read_free);
  g_task_run_in_thread (task, read_thread);
}

SkCertificate *
sk_certificate_new_from_file_finish (GAsyncResult  *result,
                                     GBytes       **contents,
                                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  SkCertificate *certificate;
  Read *read;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_certificate_new_from_file_async,
                        NULL);

  read = g_task_get_task_data (G_TASK (result));
  certificate = g_task_propagate_pointer (G_TASK (result), &local_error);
  /* Only a thread that has returned this error has kept the contents:
   * one still running after a cancellation may not be done with them. */
  if (contents != NULL)
    *contents = g_error_matches (local_error, SK_CERTIFICATE_ERROR,
                                 SK_CERTIFICATE_ERROR_BAD_PASSWORD)
                ? g_bytes_ref (read->contents) : NULL;
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return certificate;
}

/* Accessors */

const char *
sk_certificate_get_subject (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return self->subject;
}

const char *
sk_certificate_get_issuer (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return self->issuer;
}

const char *
sk_certificate_get_display_name (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return self->display_name;
}

const char *
sk_certificate_get_issuer_display_name (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return self->issuer_display_name;
}

const char * const *
sk_certificate_get_emails (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return (const char * const *) self->emails;
}

GDateTime *
sk_certificate_get_not_before (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return self->not_before;
}

GDateTime *
sk_certificate_get_not_after (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return self->not_after;
}

const char *
sk_certificate_get_sha256 (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return self->sha256;
}

X509 *
sk_certificate_get_x509 (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return self->cert;
}

EVP_PKEY *
sk_certificate_get_private_key (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return self->key;
}

STACK_OF(X509) *
sk_certificate_get_chain (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  return self->chain;
}

gboolean
sk_certificate_has_private_key (SkCertificate *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE (self), FALSE);

  return self->key != NULL || self->key_elsewhere;
}

void
sk_certificate_set_key_elsewhere (SkCertificate *self)
{
  g_return_if_fail (SK_IS_CERTIFICATE (self));

  self->key_elsewhere = TRUE;
}

/* Status */

gboolean
sk_certificate_is_for_email (SkCertificate *self)
{
  uint32_t flags;

  g_return_val_if_fail (SK_IS_CERTIFICATE (self), FALSE);

  flags = X509_get_extension_flags (self->cert);

  if ((flags & EXFLAG_KUSAGE) && !(X509_get_key_usage (self->cert) & KU_DIGITAL_SIGNATURE))
    return FALSE;
  if ((flags & EXFLAG_XKUSAGE) && !(X509_get_extended_key_usage (self->cert) & XKU_SMIME))
    return FALSE;

  return TRUE;
}

static gboolean
has_email (SkCertificate *self,
           const char    *email)
{
  g_autofree char *lower = g_utf8_strdown (email, -1);

  return g_strv_contains ((const char * const *) self->emails, lower);
}

SkCertificateStatus
sk_certificate_get_status (SkCertificate *self,
                           const char    *email,
                           GDateTime     *now)
{
  g_autoptr(GDateTime) current = NULL;

  g_return_val_if_fail (SK_IS_CERTIFICATE (self), SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY);

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  if (!sk_certificate_has_private_key (self))
    return SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY;
  /* A date OpenSSL cannot read is one nobody can rely on. */
  if (self->not_after == NULL || g_date_time_compare (now, self->not_after) > 0)
    return SK_CERTIFICATE_STATUS_EXPIRED;
  if (self->not_before == NULL || g_date_time_compare (now, self->not_before) < 0)
    return SK_CERTIFICATE_STATUS_NOT_YET_VALID;
  if (!sk_certificate_is_for_email (self))
    return SK_CERTIFICATE_STATUS_NOT_FOR_EMAIL;
  /* An account without an address yet has nothing to compare. */
  if (email != NULL && *email != '\0' && !has_email (self, email))
    return SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH;

  return SK_CERTIFICATE_STATUS_VALID;
}

const char *
sk_certificate_status_to_string (SkCertificateStatus status)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (SK_TYPE_CERTIFICATE_STATUS);
  GEnumValue *value = g_enum_get_value (enum_class, status);

  g_return_val_if_fail (value != NULL, NULL);

  /* The class stays alive: the type is static. */
  return value->value_nick;
}

char *
sk_certificate_describe_status (SkCertificate       *self,
                                SkCertificateStatus  status)
{
  g_autofree char *date = NULL;
  g_autofree char *addresses = NULL;

  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  switch (status)
    {
    case SK_CERTIFICATE_STATUS_VALID:
      date = sk_format_date_for_people (self->not_after);
      /* Translators: %s is a date */
      return g_strdup_printf (_("This certificate can sign e-mail until %s."), date);

    case SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY:
      return g_strdup (_("This file holds the certificate without its private key, so it "
                         "cannot sign. Import the .p12 or .pfx file instead."));

    case SK_CERTIFICATE_STATUS_EXPIRED:
      date = sk_format_date_for_people (self->not_after);
      /* Translators: %s is a date */
      return g_strdup_printf (_("This certificate expired on %s. "
                                "Ask whoever issued it for a new one."), date);

    case SK_CERTIFICATE_STATUS_NOT_YET_VALID:
      date = sk_format_date_for_people (self->not_before);
      /* Translators: %s is a date */
      return g_strdup_printf (_("This certificate is valid only from %s. Wait until then, "
                                "or check that this computer’s date is right."), date);

    case SK_CERTIFICATE_STATUS_NOT_FOR_EMAIL:
      return g_strdup (_("This certificate cannot sign e-mail: it was made for another "
                         "purpose. Ask whoever issued it for an e-mail (S/MIME) certificate."));

    case SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH:
      if (self->emails[0] == NULL)
        return g_strdup (_("This certificate names no e-mail address, so it cannot sign "
                           "mail from this account."));
      addresses = g_strjoinv (", ", self->emails);
      /* Translators: %s is one or more e-mail addresses */
      return g_strdup_printf (_("This certificate is for a different address (%s), "
                                "not this account’s."), addresses);

    default:
      g_return_val_if_reached (NULL);
    }
}

/* The chain */

static char *
describe_chain_error (int code,
                      int depth)
{
  switch (code)
    {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
      return g_strdup (_("Whoever issued this certificate is not among the trusted "
                         "certification authorities, so the people you write to may see "
                         "your signature as not trusted."));

    case X509_V_ERR_CERT_HAS_EXPIRED:
      if (depth == 0)
        return g_strdup (_("This certificate has expired, so the people you write to "
                           "would see your signature as not valid."));
      return g_strdup (_("The certificate of whoever issued this one has expired, so the "
                         "people you write to may see your signature as not valid."));

    case X509_V_ERR_CERT_NOT_YET_VALID:
      if (depth == 0)
        return g_strdup (_("This certificate is not valid yet, so the people you write to "
                           "would see your signature as not valid."));
      return g_strdup (_("The certificate of whoever issued this one is not valid yet, so "
                         "the people you write to may see your signature as not valid."));

    case X509_V_ERR_CERT_REVOKED:
      return g_strdup (_("This certificate or one of its issuers has been revoked. "
                         "Ask whoever issued it for a new one."));

    case X509_V_ERR_INVALID_PURPOSE:
      if (depth == 0)
        return g_strdup (_("This certificate is not meant for signing e-mail, so the "
                           "people you write to would see your signature as not valid."));
      return g_strdup (_("Whoever issued this certificate may not issue certificates "
                         "for e-mail, so the people you write to may see your signature "
                         "as not valid."));

    default:
      /* Translators: %s is OpenSSL's reason, in English, for IT support */
      return g_strdup_printf (_("The issuers of this certificate cannot be checked (%s)."),
                              X509_verify_cert_error_string (code));
    }
}

/* X509_verify_cert() of self against store, the file's other
 * certificates as untrusted helpers; 0 (X509_V_OK) or OpenSSL's error
 * code, with the depth it was found at. */
static int
verify_against (SkCertificate *self,
                X509_STORE    *store,
                int           *depth)
{
  X509_STORE_CTX *ctx = X509_STORE_CTX_new ();
  int code = X509_V_ERR_UNSPECIFIED;

  *depth = 0;
  if (ctx != NULL && X509_STORE_CTX_init (ctx, store, self->cert, self->chain))
    {
      X509_STORE_CTX_set_purpose (ctx, X509_PURPOSE_SMIME_SIGN);
      if (X509_verify_cert (ctx) == 1)
        {
          code = X509_V_OK;
        }
      else
        {
          code = X509_STORE_CTX_get_error (ctx);
          *depth = X509_STORE_CTX_get_error_depth (ctx);
        }
    }
  X509_STORE_CTX_free (ctx);

  return code;
}

static gboolean
is_unknown_issuer (int code)
{
  return code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT
         || code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
         || code == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
         || code == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
         || code == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
         || code == X509_V_ERR_CERT_UNTRUSTED;
}

gboolean
sk_certificate_verify_chain (SkCertificate  *self,
                             const char     *cafile,
                             GError        **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *authority = NULL;
  X509_STORE *store = NULL;
  gboolean ok = FALSE;
  int code;
  int depth;

  g_return_val_if_fail (SK_IS_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  store = X509_STORE_new ();
  sk_system_trust_add_to (store);

  if (cafile != NULL && X509_STORE_load_file (store, cafile) != 1)
    {
      g_autofree char *display = g_filename_display_name (cafile);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The CA certificates in “%s” cannot be read."), display);
      goto out;
    }

  code = verify_against (self, store, &depth);

  /* A company authority that issues its own staff's certificates is often
   * unknown to this computer but comes in the .p12.  Its signatures are
   * checked too, but that only the file vouches for it is said. */
  if (is_unknown_issuer (code))
    {
      for (int i = 0; i < sk_X509_num (self->chain); i++)
        {
          X509 *cert = sk_X509_value (self->chain, i);

          if (X509_check_ca (cert) > 0 && X509_check_issued (cert, cert) == X509_V_OK)
            {
              X509_STORE_add_cert (store, cert);
              g_clear_pointer (&authority, g_free);
              authority = read_name_entry (X509_get_subject_name (cert),
                                           (const int[]) { NID_commonName,
                                                           NID_organizationName }, 2);
            }
        }
      if (authority != NULL)
        {
          code = verify_against (self, store, &depth);
          if (code == X509_V_OK)
            /* Translators: %s is the name of a certification authority */
            reason = g_strdup_printf (_("Its issuers check out up to “%s”, an authority "
                                        "that came in the file but that this computer does "
                                        "not trust. The people you write to see the "
                                        "signature as valid only if their mail program "
                                        "trusts that authority, as in many companies."),
                                      authority);
        }
    }

  if (code == X509_V_OK && reason == NULL)
    {
      ok = TRUE;
      goto out;
    }

  if (reason == NULL)
    reason = describe_chain_error (code, depth);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, reason);

out:
  X509_STORE_free (store);
  ERR_clear_error ();

  return ok;
}

/* Writing */

GBytes *
sk_certificate_to_pkcs12 (SkCertificate  *self,
                          const char     *passphrase,
                          GError        **error)
{
  PKCS12 *p12;
  BIO *bio;
  char *data = NULL;
  long length;
  GBytes *bytes = NULL;

  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* AES-256 with PBKDF2 for the key and the certificates, and a SHA-256
   * MAC (PKCS12_create() alone would add a SHA-1 one). */
  p12 = PKCS12_create_ex (passphrase, self->display_name, self->key, self->cert,
                          self->chain, NID_aes_256_cbc, NID_aes_256_cbc,
                          PKCS12_DEFAULT_ITER, -1, 0, NULL, NULL);
  if (p12 == NULL
      || !PKCS12_set_mac (p12, passphrase, -1, NULL, 0, PKCS12_DEFAULT_ITER, EVP_sha256 ()))
    {
      PKCS12_free (p12);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The certificate and its key could not be encrypted for storing."));
      ERR_clear_error ();
      return NULL;
    }

  bio = BIO_new (BIO_s_mem ());
  if (i2d_PKCS12_bio (bio, p12) == 1)
    {
      length = BIO_get_mem_data (bio, &data);
      bytes = g_bytes_new (data, length);
    }
  else
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The certificate and its key could not be encrypted for storing."));
    }

  BIO_free (bio);
  PKCS12_free (p12);
  ERR_clear_error ();

  return bytes;
}

GBytes *
sk_certificate_to_pem (SkCertificate *self)
{
  BIO *bio;
  char *data = NULL;
  long length;
  GBytes *bytes;

  g_return_val_if_fail (SK_IS_CERTIFICATE (self), NULL);

  bio = BIO_new (BIO_s_mem ());
  PEM_write_bio_X509 (bio, self->cert);
  for (int i = 0; i < sk_X509_num (self->chain); i++)
    PEM_write_bio_X509 (bio, sk_X509_value (self->chain, i));

  length = BIO_get_mem_data (bio, &data);
  bytes = g_bytes_new (data, length);
  BIO_free (bio);

  return bytes;
}
