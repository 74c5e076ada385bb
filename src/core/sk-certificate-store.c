/* sk-certificate-store.c — the signing certificates the user imported
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Store"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "sk-account.h"
#include "sk-certificate-private.h"
#include "sk-certificate-store.h"
#include "sk-secret.h"

/* Random bytes in a passphrase: as strong as the AES-256 key it unlocks. */
#define PASSPHRASE_BYTES 32

static const SecretSchema *
certificate_schema (void)
{
  static const SecretSchema schema = {
    "pl.skrzynka.Skrzynka.Certificate", SECRET_SCHEMA_NONE,
    {
      { "sha256", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static gboolean
is_fingerprint (const char *sha256)
{
  return sha256 != NULL && sha256[0] != '\0' && sk_fingerprint_is_valid (sha256);
}

static char *
store_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), "skrzynka", "certificates", NULL);
}

/* FOLDER/HEX.suffix, HEX being the fingerprint without colons. */
static char *
store_path (const char *sha256,
            const char *suffix)
{
  g_autofree char *folder = store_folder ();
  g_autofree char *upper = g_ascii_strup (sha256, -1);
  g_autofree char *name = NULL;
  GString *hex = g_string_sized_new (64);

  for (const char *p = upper; *p != '\0'; p++)
    if (*p != ':')
      g_string_append_c (hex, *p);

  name = g_strconcat (hex->str, suffix, NULL);
  g_string_free (hex, TRUE);

  return g_build_filename (folder, name, NULL);
}

static gboolean
make_folder (GError **error)
{
  g_autofree char *folder = store_folder ();
  int saved_errno;

  /* Made by an older version or by hand with wider rights: narrowed, as
   * the names of the files say whose certificates are there. */
  if (g_mkdir_with_parents (folder, 0700) == 0 && g_chmod (folder, 0700) == 0)
    return TRUE;

  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("The folder for certificates “%s” cannot be made (%s)."),
               folder, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_file (const char  *path,
            GBytes      *contents,
            GError     **error)
{
  gsize length;
  const char *data = g_bytes_get_data (contents, &length);

  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0600, error);
}

/* Not being there is no error. */
static gboolean
remove_file (const char  *path,
             GError     **error)
{
  int saved_errno;

  if (g_unlink (path) == 0 || errno == ENOENT)
    return TRUE;

  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("The file “%s” cannot be removed (%s)."), path, g_strerror (saved_errno));
  return FALSE;
}

/* From OpenSSL's generator: GLib's random numbers are not for keys. */
static char *
new_passphrase (GError **error)
{
  unsigned char bytes[PASSPHRASE_BYTES];
  char *passphrase;

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      ERR_clear_error ();
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("No random numbers could be made to protect the certificate’s key."));
      return NULL;
    }

  passphrase = g_base64_encode (bytes, sizeof bytes);
  explicit_bzero (bytes, sizeof bytes);

  return passphrase;
}

/* The passphrase the keyring holds for sha256, or NULL (error unset) when
 * it holds none.  Free it with sk_secret_free(). */
static char *
lookup_passphrase (const char    *sha256,
                   const char    *no_keyring,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *secret;
  char *passphrase;

  secret = secret_password_lookup_sync (certificate_schema (), cancellable, &local_error,
                                        "sha256", sha256,
                                        NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error,
                         sk_secret_error_new (local_error, no_keyring,
                                              _("The key of the certificate could not be read "
                                                "from the keyring.")));
      return NULL;
    }

  if (secret == NULL)
    return NULL;

  /* One way of freeing for every passphrase, wherever it came from. */
  passphrase = g_strdup (secret);
  secret_password_free (secret);

  return passphrase;
}

/* Adding */

static gboolean
store_key (SkCertificate  *certificate,
           GCancellable   *cancellable,
           GError        **error)
{
  const char *sha256 = sk_certificate_get_sha256 (certificate);
  const char *no_keyring = _("There is no keyring to keep the certificate’s key safe, so "
                             "the certificate was not imported. Log in to a desktop whose "
                             "keyring is running and import it again.");
  g_autoptr(SkSecretString) passphrase = NULL;
  g_autoptr(GBytes) pkcs12 = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = store_path (sha256, ".p12");
  g_autofree char *label = NULL;

  /* The same passphrase for the same certificate: a stored key then never
   * waits, even after a crash, for a passphrase that was replaced. */
  passphrase = lookup_passphrase (sha256, no_keyring, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (passphrase == NULL)
    {
      passphrase = new_passphrase (error);
      if (passphrase == NULL)
        return FALSE;

      /* Translators: the name of an item in the desktop's password
       * manager; %s is whose certificate it is */
      label = g_strdup_printf (_("Skrzynka: key of the signing certificate “%s”"),
                               sk_certificate_get_display_name (certificate));
      if (!secret_password_store_sync (certificate_schema (), SECRET_COLLECTION_DEFAULT,
                                       label, passphrase, cancellable, &local_error,
                                       "sha256", sha256,
                                       NULL))
        {
          g_propagate_error (error,
                             sk_secret_error_new (local_error, no_keyring,
                                                  _("The key of the certificate could not be "
                                                    "saved in the keyring.")));
          return FALSE;
        }
    }

  pkcs12 = sk_certificate_to_pkcs12 (certificate, passphrase, error);

  return pkcs12 != NULL && write_file (path, pkcs12, error);
}

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SkCertificate *certificate = task_data;
  g_autofree char *path = store_path (sk_certificate_get_sha256 (certificate), ".pem");
  g_autoptr(GBytes) pem = sk_certificate_to_pem (certificate);
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* The key first: it is what can fail for want of a keyring, and then
   * nothing at all is written. */
  if (!make_folder (&error)
      || (sk_certificate_get_private_key (certificate) != NULL && !store_key (certificate, cancellable, &error))
      || !write_file (path, pem, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
sk_certificate_store_add_async (SkCertificate       *certificate,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SK_IS_CERTIFICATE (certificate));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_certificate_store_add_async);
  g_task_set_task_data (task, g_object_ref (certificate), g_object_unref);
  g_task_run_in_thread (task, add_thread);
}

gboolean
sk_certificate_store_add_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_certificate_store_add_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reading */

static gboolean
is_the_one (SkCertificate  *certificate,
            const char     *sha256,
            GError        **error)
{
  if (g_ascii_strcasecmp (sk_certificate_get_sha256 (certificate), sha256) == 0)
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The stored file holds another certificate than the one expected."));
  return FALSE;
}

SkCertificate *
sk_certificate_store_lookup (const char  *sha256,
                             GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(SkCertificate) certificate = NULL;
  char *data;
  gsize length;

  g_return_val_if_fail (is_fingerprint (sha256), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = store_path (sha256, ".pem");
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("This certificate is not stored on this computer. "
                               "Import it again."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  contents = g_bytes_new_take (data, length);
  certificate = sk_certificate_new_from_bytes (contents, NULL, error);
  if (certificate == NULL || !is_the_one (certificate, sha256, error))
    return NULL;

  key_path = store_path (sha256, ".p12");
  if (!g_file_test (key_path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&certificate);

  /* The key stays encrypted until something is signed. */
  sk_certificate_set_key_elsewhere (certificate);

  return g_steal_pointer (&certificate);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *sha256 = task_data;
  g_autofree char *path = store_path (sha256, ".p12");
  g_autofree char *public_path = store_path (sha256, ".pem");
  g_autoptr(SkSecretString) passphrase = NULL;
  g_autoptr(SkCertificate) certificate = NULL;
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      if (g_file_test (public_path, G_FILE_TEST_IS_REGULAR))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                                 _("This certificate was imported without its private key, "
                                   "so it cannot sign. Import its .p12 or .pfx file."));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                                 _("This certificate is not stored on this computer. "
                                   "Import it again."));
      return;
    }

  passphrase = lookup_passphrase (sha256,
                                  _("No keyring is running, so the certificate’s private key "
                                    "cannot be unlocked. Log in to a desktop whose keyring "
                                    "is running."),
                                  cancellable, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (passphrase == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("The keyring no longer holds the key of this certificate. "
                                 "Import the certificate again."));
      return;
    }

  certificate = sk_certificate_new_from_file (path, passphrase, &local_error);
  if (certificate == NULL)
    {
      /* Translators: %s says why, in OpenSSL's or the system's words */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The stored key of this certificate cannot be opened (%s). "
                                 "Import the certificate again."),
                               local_error->message);
      return;
    }

  if (!is_the_one (certificate, sha256, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&certificate), g_object_unref);
}

void
sk_certificate_store_load_async (const char          *sha256,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (is_fingerprint (sha256));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_certificate_store_load_async);
  g_task_set_task_data (task, g_ascii_strup (sha256, -1), g_free);
  g_task_run_in_thread (task, load_thread);
}

SkCertificate *
sk_certificate_store_load_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_certificate_store_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Removing */

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *sha256 = task_data;
  g_autofree char *key_path = store_path (sha256, ".p12");
  g_autofree char *public_path = store_path (sha256, ".pem");
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!remove_file (key_path, &error) || !remove_file (public_path, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* FALSE without an error: there was no passphrase to remove. */
  secret_password_clear_sync (certificate_schema (), cancellable, &local_error,
                              "sha256", sha256,
                              NULL);
  if (local_error != NULL)
    {
      const char *failed = _("The key of the certificate could not be removed "
                             "from the keyring.");

      /* Without a keyring there is no passphrase in it either. */
      error = sk_secret_error_new (local_error, failed, failed);
      if (!g_error_matches (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING))
        {
          g_task_return_error (task, error);
          return;
        }
      g_clear_error (&error);
    }

  g_task_return_boolean (task, TRUE);
}

void
sk_certificate_store_remove_async (const char          *sha256,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (is_fingerprint (sha256));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_certificate_store_remove_async);
  g_task_set_task_data (task, g_ascii_strup (sha256, -1), g_free);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
sk_certificate_store_remove_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_certificate_store_remove_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
unused_removed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sk_certificate_store_remove_finish (result, &error))
    g_warning ("A signature certificate could not be removed: %s", error->message);

  if (user_data != NULL)
    g_application_release (user_data);
}

static void
add_fingerprints (GHashTable         *set,
                  const char * const *sha256s)
{
  for (guint i = 0; sha256s != NULL && sha256s[i] != NULL; i++)
    if (is_fingerprint (sha256s[i]))
      g_hash_table_add (set, g_ascii_strup (sha256s[i], -1));
}

void
sk_certificate_store_remove_unused (SkAccountStore     *accounts,
                                    const char * const *candidates)
{
  GListModel *list = G_LIST_MODEL (accounts);
  GApplication *application = g_application_get_default ();
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) unused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  const char *sha256;

  g_return_if_fail (SK_IS_ACCOUNT_STORE (accounts));

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(SkAccount) account = g_list_model_get_item (list, i);

      add_fingerprints (used, sk_account_get_certificates (account));
    }

  add_fingerprints (unused, candidates);
  g_hash_table_iter_init (&iter, unused);
  while (g_hash_table_iter_next (&iter, (gpointer *) &sha256, NULL))
    {
      if (g_hash_table_contains (used, sha256))
        continue;

      if (application != NULL)
        g_application_hold (application);
      sk_certificate_store_remove_async (sha256, NULL, unused_removed, application);
    }
}

/* The signer */

G_DEFINE_QUARK (sk-signer-error-quark, sk_signer_error)

static gboolean
lists_certificate (SkAccount  *account,
                   const char *sha256)
{
  const char * const *listed = sk_account_get_certificates (account);

  for (guint i = 0; sha256[0] != '\0' && listed[i] != NULL; i++)
    if (g_ascii_strcasecmp (listed[i], sha256) == 0)
      return TRUE;

  return FALSE;
}

/* Sets both answers: the dialog's sentence and the error's reason. */
static SkCertificate *
no_signer (char          **why_not,
           GError        **error,
           SkSignerError   code,
           const char     *sentence,
           const char     *reason)
{
  if (why_not != NULL)
    *why_not = g_strdup (sentence);
  g_set_error_literal (error, SK_SIGNER_ERROR, code, reason);

  return NULL;
}

SkCertificate *
sk_account_find_signer (SkAccount  *account,
                        char      **why_not,
                        GError    **error)
{
  const char *sha256;
  const char *email;
  g_autoptr(SkCertificate) certificate = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *sentence = NULL;
  SkCertificateStatus status;

  g_return_val_if_fail (SK_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (why_not == NULL || *why_not == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sha256 = sk_account_get_default_certificate (account);
  if (sk_account_get_certificates (account)[0] == NULL)
    return no_signer (why_not, error, SK_SIGNER_ERROR_NO_CERTIFICATE,
                      _("Import a signature certificate on tab 3 first."),
                      _("The account has no signature certificate."));

  if (!lists_certificate (account, sha256))
    return no_signer (why_not, error, SK_SIGNER_ERROR_NO_DEFAULT,
                      _("Choose the default certificate on tab 3 first."),
                      _("None of the account’s signature certificates is its default."));

  if (is_fingerprint (sha256))
    certificate = sk_certificate_store_lookup (sha256, &local_error);
  if (certificate == NULL)
    return no_signer (why_not, error, SK_SIGNER_ERROR_NOT_STORED,
                      _("The default certificate cannot be used: its file is missing "
                        "from this computer. Import it again on tab 3."),
                      local_error != NULL
                      ? local_error->message
                      : _("This certificate is not stored on this computer. Import it again."));

  /* An address not typed yet is no other address. */
  email = sk_account_get_email (account);
  status = sk_certificate_get_status (certificate, email != NULL && email[0] != '\0' ? email : NULL,
                                      NULL);
  if (status == SK_CERTIFICATE_STATUS_VALID)
    return g_steal_pointer (&certificate);

  reason = sk_certificate_describe_status (certificate, status);
  /* TRANSLATORS: %s is a sentence saying what is wrong with it */
  sentence = g_strdup_printf (_("The default certificate cannot be used: %s"), reason);
  return no_signer (why_not, error, SK_SIGNER_ERROR_CANNOT_SIGN, sentence, reason);
}
