/* test-certificate-store.c — signing certificates kept in the data folder,
 * their keys' passphrases in a real gnome-keyring, and without one
 *
 * Run through tests/session.sh, in one of three modes:
 *   (default)      --keyring: an unlocked gnome-keyring on a private bus;
 *                  secret-tool cross-checks what really is in the keyring
 *   --no-keyring   a private bus that cannot start any keyring
 *   --no-bus       no session bus at all
 * The certificates come from tests/unit/certs.py, made for each run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <openssl/evp.h>

#include "core/sk-certificate-private.h"
#include "core/sk-certificate-store.h"
#include "core/sk-secret.h"
#include "core/sk-test-message.h"
#include "test-util.h"

#define PASSWORD "tajne hasło"
#define ADDRESS "biuro@firma.example"

/* certs.py's files. */
static char *folder;

static char *
fixture_path (const char *name)
{
  return g_build_filename (folder, name, NULL);
}

static SkCertificate *
load_fixture (const char *name,
              const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (name);
  SkCertificate *certificate = sk_certificate_new_from_file (path, password, &error);

  g_assert_no_error (error);
  return certificate;
}

static char *
store_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), "skrzynka", "certificates", NULL);
}

/* The file for sha256 ("AB:CD:…") with suffix, as the header names it. */
static char *
store_file (const char *sha256,
            const char *suffix)
{
  g_autofree char *folder_path = store_folder ();
  g_auto(GStrv) pairs = g_strsplit (sha256, ":", -1);
  g_autofree char *hex = g_strjoinv ("", pairs);
  g_autofree char *name = g_strconcat (hex, suffix, NULL);

  g_assert_cmpuint (strlen (hex), ==, 64);
  return g_build_filename (folder_path, name, NULL);
}

/* The async API, run to completion on the main context. */

static void
on_ready (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static gboolean
add (SkCertificate  *certificate,
     GCancellable   *cancellable,
     GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sk_certificate_store_add_async (certificate, cancellable, on_ready, &result);
  return sk_certificate_store_add_finish (wait_for (&result), error);
}

static SkCertificate *
load (const char  *sha256,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sk_certificate_store_load_async (sha256, NULL, on_ready, &result);
  return sk_certificate_store_load_finish (wait_for (&result), error);
}

static gboolean
remove_stored (const char  *sha256,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sk_certificate_store_remove_async (sha256, NULL, on_ready, &result);
  return sk_certificate_store_remove_finish (wait_for (&result), error);
}

/* Files and folders */

static guint
mode_of (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 0777;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in the certificates folder, sorted; empty when there is none. */
static GPtrArray *
stored_names (void)
{
  g_autofree char *folder_path = store_folder ();
  g_autoptr(GDir) dir = g_dir_open (folder_path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  return names;
}

static gboolean
contains (GBytes       *haystack,
          const guchar *needle,
          gsize         needle_length)
{
  gsize length;
  const guchar *data = g_bytes_get_data (haystack, &length);

  for (gsize i = 0; needle_length <= length && i <= length - needle_length; i++)
    if (memcmp (data + i, needle, needle_length) == 0)
      return TRUE;

  return FALSE;
}

/* Asserts that no file under path holds needle. */
static void
assert_nowhere (const char   *path,
                const guchar *needle,
                gsize         needle_length,
                const char   *what)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_autoptr(GBytes) contents = NULL;
      g_autoptr(GFile) file = g_file_new_for_path (path);

      contents = g_file_load_bytes (file, NULL, NULL, NULL);
      g_assert_nonnull (contents);
      if (contains (contents, needle, needle_length))
        g_error ("%s holds %s", path, what);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      assert_nowhere (child, needle, needle_length, what);
    }
}

/* Each test starts with nothing stored. */
static void
clear_data_folder (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "skrzynka", NULL);

  test_remove_tree (path);
}

/* The keyring */

/* The schema as the header documents it, defined here again: what another
 * program would look for. */
static const SecretSchema *
schema (void)
{
  static const SecretSchema certificate_schema = {
    "pl.skrzynka.Skrzynka.Certificate", SECRET_SCHEMA_NONE,
    {
      { "sha256", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &certificate_schema;
}

static char *
keyring_passphrase (const char *sha256)
{
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_sync (schema (), NULL, &error, "sha256", sha256, NULL);

  g_assert_no_error (error);
  return secret;
}

/* What secret-tool, a client independent of the code under test, finds
 * for sha256: the item's fields ("label", "secret", "schema",
 * "attribute.NAME"), or NULL when there is none. */
static GHashTable *
keyring_item (const char *sha256)
{
  const char *argv[] = { "secret-tool", "search", "--all", "sha256", sha256, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *both = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *fields;
  int status;
  guint items = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  both = g_strconcat (out, err, NULL);
  lines = g_strsplit (both, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *separator = strstr (lines[i], " = ");

      if (lines[i][0] == '[')
        items++;
      else if (separator != NULL)
        g_hash_table_insert (fields, g_strndup (lines[i], separator - lines[i]),
                             g_strdup (separator + 3));
    }

  g_assert_cmpuint (items, <=, 1);
  if (items == 0)
    g_clear_pointer (&fields, g_hash_table_unref);
  return fields;
}

/* With a keyring */

static void
test_keyring_with_key (void)
{
  g_autoptr(SkCertificate) certificate = load_fixture ("valid.p12", PASSWORD);
  const char *sha256 = sk_certificate_get_sha256 (certificate);
  g_autofree char *pem = store_file (sha256, ".pem");
  g_autofree char *p12 = store_file (sha256, ".p12");
  g_autofree char *certificates = store_folder ();
  g_autofree char *parent = g_path_get_dirname (certificates);
  g_autofree char *passphrase = NULL;
  g_autofree guchar *raw = NULL;
  g_autofree guchar *key_der = NULL;
  g_autoptr(GHashTable) item = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkCertificate) looked_up = NULL;
  g_autoptr(SkCertificate) loaded = NULL;
  g_autoptr(SkCertificate) unlocked = NULL;
  g_autoptr(SkAccount) account = NULL;
  g_autoptr(GBytes) message = NULL;
  gsize raw_length;
  int key_length;
  unsigned char *key_out;

  clear_data_folder ();
  g_assert_true (add (certificate, NULL, &error));
  g_assert_no_error (error);

  /* Two files, readable by the user alone, in folders only they enter. */
  names = stored_names ();
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_true (g_str_has_suffix (p12, names->pdata[0]));
  g_assert_true (g_str_has_suffix (pem, names->pdata[1]));
  g_assert_cmpuint (mode_of (pem), ==, 0600);
  g_assert_cmpuint (mode_of (p12), ==, 0600);
  g_assert_cmpuint (mode_of (certificates), ==, 0700);
  g_assert_cmpuint (mode_of (parent), ==, 0700);

  /* The passphrase: in the keyring, 32 random bytes, nowhere else. */
  item = keyring_item (sha256);
  g_assert_nonnull (item);
  g_assert_cmpstr (g_hash_table_lookup (item, "schema"), ==, "pl.skrzynka.Skrzynka.Certificate");
  g_assert_cmpstr (g_hash_table_lookup (item, "attribute.sha256"), ==, sha256);
  g_assert_nonnull (strstr (g_hash_table_lookup (item, "label"),
                            sk_certificate_get_display_name (certificate)));
  passphrase = keyring_passphrase (sha256);
  g_assert_cmpstr (g_hash_table_lookup (item, "secret"), ==, passphrase);
  raw = g_base64_decode (passphrase, &raw_length);
  g_assert_cmpuint (raw_length, ==, 32);

  /* Nothing under the data folder gives the key away: no PEM key, not the
   * key's bytes, not the passphrase in either form. */
  key_out = NULL;
  key_length = i2d_PrivateKey (sk_certificate_get_private_key (certificate), &key_out);
  g_assert_cmpint (key_length, >, 0);
  key_der = g_memdup2 (key_out, key_length);
  OPENSSL_free (key_out);
  assert_nowhere (g_get_user_data_dir (), (const guchar *) "PRIVATE KEY", 11, "a PEM key");
  assert_nowhere (g_get_user_data_dir (), key_der, key_length, "the private key");
  assert_nowhere (g_get_user_data_dir (), (const guchar *) passphrase, strlen (passphrase),
                  "the passphrase");
  assert_nowhere (g_get_user_data_dir (), raw, raw_length, "the passphrase's bytes");

  /* The key file opens with the passphrase and nothing else. */
  unlocked = sk_certificate_new_from_file (p12, NULL, &error);
  g_assert_error (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_BAD_PASSWORD);
  g_assert_null (unlocked);
  g_clear_error (&error);
  unlocked = sk_certificate_new_from_file (p12, PASSWORD, &error);
  g_assert_error (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_BAD_PASSWORD);
  g_clear_error (&error);
  unlocked = sk_certificate_new_from_file (p12, passphrase, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sk_certificate_get_sha256 (unlocked), ==, sha256);
  g_assert_cmpint (EVP_PKEY_eq (sk_certificate_get_private_key (unlocked),
                                sk_certificate_get_private_key (certificate)), ==, 1);

  /* Looked up from the public file alone: the status of the certificate
   * with its key, though the key itself is not there to sign with. */
  looked_up = sk_certificate_store_lookup (sha256, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sk_certificate_get_sha256 (looked_up), ==, sha256);
  g_assert_cmpstr (sk_certificate_get_subject (looked_up), ==,
                   sk_certificate_get_subject (certificate));
  g_assert_true (sk_certificate_has_private_key (looked_up));
  g_assert_null (sk_certificate_get_private_key (looked_up));
  g_assert_cmpint (sk_certificate_get_status (looked_up, ADDRESS, NULL), ==,
                   SK_CERTIFICATE_STATUS_VALID);
  g_assert_nonnull (sk_certificate_get_chain (looked_up));
  account = sk_account_new ();
  sk_account_set_email (account, ADDRESS);
  message = sk_test_message_build (account, looked_up, NULL, NULL, &error);
  g_assert_null (message);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Loaded with the keyring's passphrase: ready to sign. */
  loaded = load (sha256, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sk_certificate_get_sha256 (loaded), ==, sha256);
  g_assert_cmpint (EVP_PKEY_eq (sk_certificate_get_private_key (loaded),
                                sk_certificate_get_private_key (certificate)), ==, 1);
  message = sk_test_message_build (account, loaded, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);

  /* Removed: both files and the passphrase; a second time is no error. */
  g_assert_true (remove_stored (sha256, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (pem, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (p12, G_FILE_TEST_EXISTS));
  g_clear_pointer (&item, g_hash_table_unref);
  item = keyring_item (sha256);
  g_assert_null (item);
  g_assert_true (remove_stored (sha256, &error));
  g_assert_no_error (error);

  g_clear_object (&looked_up);
  looked_up = sk_certificate_store_lookup (sha256, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (looked_up);
  g_clear_error (&error);
  g_clear_object (&loaded);
  loaded = load (sha256, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (loaded);
}

static void
test_keyring_without_key (void)
{
  g_autoptr(SkCertificate) certificate = load_fixture ("valid-cert.crt", NULL);
  const char *sha256 = sk_certificate_get_sha256 (certificate);
  g_autofree char *pem = store_file (sha256, ".pem");
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GHashTable) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkCertificate) looked_up = NULL;
  g_autoptr(SkCertificate) loaded = NULL;

  clear_data_folder ();
  g_assert_true (add (certificate, NULL, &error));
  g_assert_no_error (error);

  names = stored_names ();
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_true (g_str_has_suffix (pem, names->pdata[0]));
  g_assert_cmpuint (mode_of (pem), ==, 0600);
  item = keyring_item (sha256);
  g_assert_null (item);

  looked_up = sk_certificate_store_lookup (sha256, &error);
  g_assert_no_error (error);
  g_assert_false (sk_certificate_has_private_key (looked_up));
  g_assert_cmpint (sk_certificate_get_status (looked_up, ADDRESS, NULL), ==,
                   SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY);

  loaded = load (sha256, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "without its private key"));
  g_assert_null (loaded);
  g_clear_error (&error);

  g_assert_true (remove_stored (sha256, &error));
  g_assert_no_error (error);
  g_clear_pointer (&names, g_ptr_array_unref);
  names = stored_names ();
  g_assert_cmpuint (names->len, ==, 0);
}

static void
assert_no_signer (SkAccount     *account,
                  SkSignerError  code,
                  const char    *in_sentence)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *why_not = NULL;
  g_autoptr(SkCertificate) signer = sk_account_find_signer (account, &why_not, &error);

  g_assert_null (signer);
  g_assert_error (error, SK_SIGNER_ERROR, (int) code);
  g_test_message ("%s / %s", why_not, error->message);
  g_assert_nonnull (strstr (why_not, in_sentence));
  g_assert_null (sk_account_find_signer (account, NULL, NULL));
}

/* Which certificate signs for an account, or why none can: one answer for
 * tab 1, the test panel and the command line. */
static void
test_keyring_find_signer (void)
{
  g_autoptr(SkCertificate) valid = load_fixture ("valid.p12", PASSWORD);
  g_autoptr(SkCertificate) other = load_fixture ("other-address.p12", PASSWORD);
  g_autoptr(SkCertificate) signer = NULL;
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  g_autoptr(GError) error = NULL;
  g_autofree char *why_not = NULL;
  const char *both[] = { sk_certificate_get_sha256 (valid), sk_certificate_get_sha256 (other),
                         NULL };

  clear_data_folder ();
  sk_account_set_email (account, ADDRESS);
  assert_no_signer (account, SK_SIGNER_ERROR_NO_CERTIFICATE, "Import a signature certificate");

  sk_account_set_certificates (account, both);
  sk_account_set_default_certificate (account, "");
  assert_no_signer (account, SK_SIGNER_ERROR_NO_DEFAULT, "Choose the default certificate");

  sk_account_set_default_certificate (account, both[0]);
  assert_no_signer (account, SK_SIGNER_ERROR_NOT_STORED, "missing from this computer");

  g_assert_true (add (valid, NULL, &error));
  g_assert_true (add (other, NULL, &error));
  g_assert_no_error (error);

  signer = sk_account_find_signer (account, &why_not, &error);
  g_assert_no_error (error);
  g_assert_null (why_not);
  g_assert_nonnull (signer);
  g_assert_cmpstr (sk_certificate_get_sha256 (signer), ==, both[0]);
  /* From the public file alone: the key stays in the store until used. */
  g_assert_true (sk_certificate_has_private_key (signer));
  g_assert_null (sk_certificate_get_private_key (signer));
  g_clear_object (&signer);

  /* The reason alone in the error, in the dialog's sentence too. */
  sk_account_set_default_certificate (account, both[1]);
  signer = sk_account_find_signer (account, &why_not, &error);
  g_assert_null (signer);
  g_assert_error (error, SK_SIGNER_ERROR, SK_SIGNER_ERROR_CANNOT_SIGN);
  g_assert_nonnull (strstr (error->message, "different address"));
  g_assert_true (g_str_has_prefix (why_not, "The default certificate cannot be used: "));
  g_assert_true (g_str_has_suffix (why_not, error->message));
  g_clear_error (&error);

  /* An address not typed yet is no other address. */
  sk_account_set_email (account, "");
  signer = sk_account_find_signer (account, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signer);

  g_assert_true (remove_stored (both[0], &error));
  g_assert_true (remove_stored (both[1], &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&account));
}

/* Stored again, the key keeps its passphrase; the certificate alone does
 * not take away a key already stored for it. */
static void
test_keyring_replace (void)
{
  g_autoptr(SkCertificate) certificate = load_fixture ("valid.p12", PASSWORD);
  g_autoptr(SkCertificate) alone = load_fixture ("valid-cert.crt", NULL);
  const char *sha256 = sk_certificate_get_sha256 (certificate);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkCertificate) loaded = NULL;
  g_autoptr(GPtrArray) names = NULL;

  g_assert_cmpstr (sk_certificate_get_sha256 (alone), ==, sha256);

  clear_data_folder ();
  g_assert_true (add (certificate, NULL, &error));
  g_assert_no_error (error);
  first = keyring_passphrase (sha256);
  g_assert_true (add (certificate, NULL, &error));
  g_assert_no_error (error);
  second = keyring_passphrase (sha256);
  g_assert_cmpstr (first, ==, second);

  g_assert_true (add (alone, NULL, &error));
  g_assert_no_error (error);
  names = stored_names ();
  g_assert_cmpuint (names->len, ==, 2);
  loaded = load (sha256, &error);
  g_assert_no_error (error);
  g_assert_true (sk_certificate_has_private_key (loaded));

  g_assert_true (remove_stored (sha256, &error));
  g_assert_no_error (error);
}

/* A keyring that lost the passphrase, and a file that holds another
 * certificate than its name says: clear errors, not a wrong key. */
static void
test_keyring_damaged (void)
{
  g_autoptr(SkCertificate) certificate = load_fixture ("valid.p12", PASSWORD);
  g_autoptr(SkCertificate) other = load_fixture ("other-address.p12", PASSWORD);
  const char *sha256 = sk_certificate_get_sha256 (certificate);
  g_autofree char *pem = store_file (sha256, ".pem");
  g_autofree char *other_pem = store_file (sk_certificate_get_sha256 (other), ".pem");
  g_autoptr(GError) error = NULL;
  g_autoptr(SkCertificate) loaded = NULL;
  g_autoptr(SkCertificate) looked_up = NULL;
  g_autofree char *contents = NULL;

  clear_data_folder ();
  g_assert_true (add (certificate, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (add (other, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (secret_password_clear_sync (schema (), NULL, &error, "sha256", sha256, NULL));
  g_assert_no_error (error);
  loaded = load (sha256, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (loaded);
  g_clear_error (&error);

  g_file_get_contents (other_pem, &contents, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents (pem, contents, -1, &error);
  g_assert_no_error (error);
  looked_up = sk_certificate_store_lookup (sha256, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (looked_up);
  g_clear_error (&error);

  g_assert_true (remove_stored (sha256, &error));
  g_assert_no_error (error);
  g_assert_true (remove_stored (sk_certificate_get_sha256 (other), &error));
  g_assert_no_error (error);
}

static void
test_keyring_cancelled (void)
{
  g_autoptr(SkCertificate) certificate = load_fixture ("valid.p12", PASSWORD);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GHashTable) item = NULL;

  clear_data_folder ();
  g_cancellable_cancel (cancellable);
  g_assert_false (add (certificate, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  names = stored_names ();
  g_assert_cmpuint (names->len, ==, 0);
  item = keyring_item (sk_certificate_get_sha256 (certificate));
  g_assert_null (item);
}

/* Without a keyring */

static void
test_no_keyring (void)
{
  g_autoptr(SkCertificate) with_key = load_fixture ("valid.p12", PASSWORD);
  g_autoptr(SkCertificate) alone = load_fixture ("valid-cert.crt", NULL);
  const char *sha256 = sk_certificate_get_sha256 (alone);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(SkCertificate) looked_up = NULL;
  g_autoptr(SkCertificate) loaded = NULL;

  clear_data_folder ();

  /* A key is never written without a keyring to keep its passphrase. */
  g_assert_false (add (with_key, NULL, &error));
  g_assert_error (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING);
  g_assert_true (g_str_has_prefix (error->message,
                                   "There is no keyring to keep the certificate’s key safe"));
  g_clear_error (&error);
  names = stored_names ();
  g_assert_cmpuint (names->len, ==, 0);

  /* A certificate alone needs none. */
  g_assert_true (add (alone, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&names, g_ptr_array_unref);
  names = stored_names ();
  g_assert_cmpuint (names->len, ==, 1);
  looked_up = sk_certificate_store_lookup (sha256, &error);
  g_assert_no_error (error);
  g_assert_false (sk_certificate_has_private_key (looked_up));
  loaded = load (sha256, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (remove_stored (sha256, &error));
  g_assert_no_error (error);
  g_clear_pointer (&names, g_ptr_array_unref);
  names = stored_names ();
  g_assert_cmpuint (names->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  Mode mode = test_take_mode (&argc, argv);
  int status;

  g_test_init (&argc, &argv, NULL);

  folder = test_make_certificates ();

  switch (mode)
    {
    case MODE_KEYRING:
      g_test_add_func ("/sk/certificate-store/keyring/with-key", test_keyring_with_key);
      g_test_add_func ("/sk/certificate-store/keyring/without-key", test_keyring_without_key);
      g_test_add_func ("/sk/certificate-store/keyring/replace", test_keyring_replace);
      g_test_add_func ("/sk/certificate-store/keyring/damaged", test_keyring_damaged);
      g_test_add_func ("/sk/certificate-store/keyring/cancelled", test_keyring_cancelled);
      g_test_add_func ("/sk/certificate-store/keyring/find-signer", test_keyring_find_signer);
      break;

    case MODE_NO_KEYRING:
      g_test_add_func ("/sk/certificate-store/no-keyring/add", test_no_keyring);
      break;

    case MODE_NO_BUS:
      /* As in a text console: no bus address and no display to start one. */
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      g_test_add_func ("/sk/certificate-store/no-bus/add", test_no_keyring);
      break;

    default:
      g_assert_not_reached ();
    }

  status = g_test_run ();

  /* The fixtures hold private keys: none outlives the run. */
  test_remove_tree (folder);
  g_clear_pointer (&folder, g_free);

  return status;
}
