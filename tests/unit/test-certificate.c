/* test-certificate.c — signing certificates read with OpenSSL, from files
 * that tests/unit/certs.py makes with the openssl command for each run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "core/sk-certificate-private.h"
#include "core/sk-core-enums.h"
#include "test-util.h"

#define PASSWORD "tajne hasło"
#define ADDRESS "biuro@firma.example"

/* The files, and certs.ini: what the openssl command reads in them. */
static char *folder;
static GKeyFile *manifest;

static char *
fixture_path (const char *name)
{
  return g_build_filename (folder, name, NULL);
}

static char *
expected (const char *file,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  char *value = g_key_file_get_string (manifest, file, key, &error);

  g_assert_no_error (error);
  return value;
}

static GDateTime *
expected_date (const char *file,
               const char *key)
{
  g_autofree char *text = expected (file, key);
  GDateTime *date = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (date);
  return date;
}

static SkCertificate *
load (const char  *name,
      const char  *password,
      GError     **error)
{
  g_autofree char *path = fixture_path (name);

  return sk_certificate_new_from_file (path, password, error);
}

static SkCertificate *
load_good (const char *name,
           const char *password)
{
  g_autoptr(GError) error = NULL;
  SkCertificate *certificate = load (name, password, &error);

  g_assert_no_error (error);
  g_assert_true (SK_IS_CERTIFICATE (certificate));
  return certificate;
}

/* The password each good file takes. */
static const char *
password_for (const char *name)
{
  if (g_str_has_suffix (name, ".p12") && !g_str_has_prefix (name, "valid-nopass"))
    return PASSWORD;
  if (strcmp (name, "valid-encrypted.pem") == 0)
    return PASSWORD;
  return NULL;
}

/* NULL when the file held no other certificate. */
static int
chain_length (SkCertificate *certificate)
{
  STACK_OF(X509) *chain = sk_certificate_get_chain (certificate);

  g_assert_true (chain == NULL || sk_X509_num (chain) > 0);
  return chain != NULL ? sk_X509_num (chain) : 0;
}

static void
assert_same_date (GDateTime *date,
                  GDateTime *wanted)
{
  g_assert_nonnull (date);
  g_assert_true (g_date_time_equal (date, wanted));
}

static void
assert_reads_as_expected (SkCertificate *certificate,
                          const char    *name)
{
  g_autofree char *subject = expected (name, "subject");
  g_autofree char *issuer = expected (name, "issuer");
  g_autofree char *sha256 = expected (name, "sha256");
  g_autofree char *status = expected (name, "status");
  g_autofree char *chain = expected (name, "chain");
  g_autoptr(GDateTime) not_before = expected_date (name, "not_before");
  g_autoptr(GDateTime) not_after = expected_date (name, "not_after");
  g_auto(GStrv) emails = g_key_file_get_string_list (manifest, name, "emails", NULL, NULL);
  gboolean has_key = g_key_file_get_boolean (manifest, name, "has_key", NULL);
  SkCertificateStatus actual;

  g_test_message ("%s", name);
  g_assert_cmpstr (sk_certificate_get_subject (certificate), ==, subject);
  g_assert_cmpstr (sk_certificate_get_issuer (certificate), ==, issuer);
  g_assert_cmpstr (sk_certificate_get_sha256 (certificate), ==, sha256);
  g_assert_true (g_strv_equal (sk_certificate_get_emails (certificate),
                               (const char * const *) emails));
  assert_same_date (sk_certificate_get_not_before (certificate), not_before);
  assert_same_date (sk_certificate_get_not_after (certificate), not_after);
  g_assert_cmpint (sk_certificate_has_private_key (certificate), ==, has_key);
  g_assert_cmpint (sk_certificate_get_private_key (certificate) != NULL, ==, has_key);
  g_assert_nonnull (sk_certificate_get_x509 (certificate));
  g_assert_cmpint (chain_length (certificate), ==, atoi (chain));

  actual = sk_certificate_get_status (certificate, ADDRESS, NULL);
  g_assert_cmpstr (sk_certificate_status_to_string (actual), ==, status);
}

/* Every file that holds a certificate reads as the openssl command reads
 * it: PKCS#12 with AES and with the old RC2/3DES, with and without a
 * password, PEM with the key in any order or encrypted, the certificate
 * alone as PEM and as DER. */
static void
test_load (void)
{
  g_auto(GStrv) names = g_key_file_get_groups (manifest, NULL);
  guint n = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(SkCertificate) certificate = NULL;

      if (g_key_file_has_key (manifest, names[i], "error", NULL))
        continue;

      certificate = load_good (names[i], password_for (names[i]));
      assert_reads_as_expected (certificate, names[i]);
      g_assert_finalize_object (g_steal_pointer (&certificate));
      n++;
    }

  /* Every status at least once, and every form of the good one. */
  g_assert_cmpuint (n, >=, 14);
}

static void
test_legacy_pkcs12 (void)
{
  g_autofree char *path = fixture_path ("valid-legacy.p12");
  g_autoptr(SkCertificate) certificate = NULL;
  g_autoptr(SkCertificate) modern = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("this openssl cannot write RC2/3DES PKCS#12 files");
      return;
    }

  certificate = load_good ("valid-legacy.p12", PASSWORD);
  modern = load_good ("valid.p12", PASSWORD);
  g_assert_cmpstr (sk_certificate_get_sha256 (certificate), ==,
                   sk_certificate_get_sha256 (modern));
  g_assert_true (EVP_PKEY_eq (sk_certificate_get_private_key (certificate),
                              sk_certificate_get_private_key (modern)) == 1);
  g_assert_finalize_object (g_steal_pointer (&certificate));
  g_assert_finalize_object (g_steal_pointer (&modern));
}

static void
test_display_name (void)
{
  g_autoptr(SkCertificate) valid = load_good ("valid.p12", PASSWORD);
  g_autoptr(SkCertificate) utf8 = load_good ("utf8.p12", PASSWORD);

  g_assert_cmpstr (sk_certificate_get_display_name (valid), ==, "Biuro Firmy");
  g_assert_cmpstr (sk_certificate_get_display_name (utf8), ==, "Zażółć Gęślą");
  /* UTF-8 stays readable in the one-line names, not \C5\81-escaped. */
  g_assert_cmpstr (sk_certificate_get_subject (utf8), ==,
                   "CN=Zażółć Gęślą,O=Zakład Usług Łódź,L=Łódź,C=PL");
  g_assert_finalize_object (g_steal_pointer (&valid));
  g_assert_finalize_object (g_steal_pointer (&utf8));
}

/* A self-signed certificate with the given subject entries (pairs of
 * field and value) and subjectAltName (or NULL). */
static X509 *
make_x509 (EVP_PKEY    *key,
           const char  *alt_names,
           ...)
{
  X509 *cert = X509_new ();
  X509_NAME *name = X509_get_subject_name (cert);
  X509V3_CTX ctx;
  const char *field;
  va_list args;

  X509_set_version (cert, X509_VERSION_3);
  ASN1_INTEGER_set (X509_get_serialNumber (cert), 1);
  X509_gmtime_adj (X509_getm_notBefore (cert), -3600);
  X509_gmtime_adj (X509_getm_notAfter (cert), 3600);
  X509_set_pubkey (cert, key);

  va_start (args, alt_names);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_assert_true (X509_NAME_add_entry_by_txt (name, field, MBSTRING_UTF8,
                                                 (const unsigned char *) value, -1, -1, 0));
    }
  va_end (args);
  X509_set_issuer_name (cert, name);

  if (alt_names != NULL)
    {
      X509_EXTENSION *extension;

      X509V3_set_ctx (&ctx, cert, cert, NULL, NULL, 0);
      extension = X509V3_EXT_conf_nid (NULL, &ctx, NID_subject_alt_name, alt_names);
      g_assert_nonnull (extension);
      X509_add_ext (cert, extension, -1);
      X509_EXTENSION_free (extension);
    }

  g_assert_cmpint (X509_sign (cert, key, EVP_sha256 ()), >, 0);

  return cert;
}

/* Without a common name the first address names the certificate, and
 * without one either, the subject; addresses come from subjectAltName
 * first, lower-cased, each once. */
static void
test_display_name_fallback (void)
{
  EVP_PKEY *key = EVP_EC_gen ("P-256");
  X509 *by_address = make_x509 (key, "email:Anna@Firma.Example,email:anna@firma.example,"
                                     "DNS:firma.example",
                                "O", "Firma", "emailAddress", "ANNA@firma.example",
                                "emailAddress", "druga@firma.example", NULL);
  X509 *by_subject = make_x509 (key, NULL, "O", "Firma", "OU", "Kadry", NULL);
  g_autoptr(SkCertificate) first = sk_certificate_new_from_x509 (by_address, key, NULL);
  g_autoptr(SkCertificate) second = sk_certificate_new_from_x509 (by_subject, NULL, NULL);
  const char * const emails[] = { "anna@firma.example", "druga@firma.example", NULL };
  const char * const none[] = { NULL };

  g_assert_cmpstr (sk_certificate_get_display_name (first), ==, "anna@firma.example");
  g_assert_true (g_strv_equal (sk_certificate_get_emails (first), emails));
  g_assert_true (sk_certificate_has_private_key (first));
  g_assert_null (sk_certificate_get_chain (first));

  g_assert_cmpstr (sk_certificate_get_display_name (second), ==, "OU=Kadry,O=Firma");
  g_assert_true (g_strv_equal (sk_certificate_get_emails (second), none));
  g_assert_false (sk_certificate_has_private_key (second));
  g_assert_cmpint (sk_certificate_get_status (second, NULL, NULL), ==,
                   SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY);

  /* The object holds references of its own. */
  X509_free (by_address);
  X509_free (by_subject);
  EVP_PKEY_free (key);
  g_assert_nonnull (sk_certificate_get_x509 (first));
  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&second));
}

static void
assert_refused (const char *name,
                const char *password,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkCertificate) certificate = load (name, password, &error);

  g_test_message ("%s", name);
  g_assert_null (certificate);
  g_assert_error (error, SK_CERTIFICATE_ERROR, code);
  /* A sentence, not OpenSSL's error queue. */
  g_assert_cmpuint (strlen (error->message), >, 20);
  g_assert_null (strstr (error->message, "error:"));
  g_assert_cmpuint (ERR_peek_error (), ==, 0);
}

/* Files that are no certificate at all, and a missing one. */
static void
test_unreadable (void)
{
  g_auto(GStrv) names = g_key_file_get_groups (manifest, NULL);
  guint n = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *error = g_key_file_get_string (manifest, names[i], "error", NULL);

      if (error == NULL)
        continue;

      g_assert_cmpstr (error, ==, "unreadable");
      assert_refused (names[i], PASSWORD, SK_CERTIFICATE_ERROR_UNREADABLE);
      assert_refused (names[i], NULL, SK_CERTIFICATE_ERROR_UNREADABLE);
      n++;
    }
  g_assert_cmpuint (n, ==, 6);

  assert_refused ("no-such-file.p12", PASSWORD, SK_CERTIFICATE_ERROR_UNREADABLE);
}

static void
test_bad_password (void)
{
  g_autoptr(SkCertificate) empty = NULL;
  g_autoptr(SkCertificate) none = NULL;

  assert_refused ("valid.p12", "tajne haslo", SK_CERTIFICATE_ERROR_BAD_PASSWORD);
  assert_refused ("valid.p12", NULL, SK_CERTIFICATE_ERROR_BAD_PASSWORD);
  assert_refused ("valid.p12", "", SK_CERTIFICATE_ERROR_BAD_PASSWORD);
  assert_refused ("valid-encrypted.pem", "TAJNE HASŁO", SK_CERTIFICATE_ERROR_BAD_PASSWORD);
  assert_refused ("valid-encrypted.pem", NULL, SK_CERTIFICATE_ERROR_BAD_PASSWORD);
  assert_refused ("valid-nopass.p12", PASSWORD, SK_CERTIFICATE_ERROR_BAD_PASSWORD);
  if (g_key_file_has_group (manifest, "valid-legacy.p12"))
    assert_refused ("valid-legacy.p12", "zle", SK_CERTIFICATE_ERROR_BAD_PASSWORD);

  /* No password is the same to people whichever way the file says it. */
  empty = load_good ("valid-nopass.p12", "");
  none = load_good ("valid-nopass.p12", NULL);
  g_assert_true (sk_certificate_has_private_key (empty));
  g_assert_true (sk_certificate_has_private_key (none));
  g_assert_finalize_object (g_steal_pointer (&empty));
  g_assert_finalize_object (g_steal_pointer (&none));
}

static void
test_from_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("-----BEGIN CERTIFICATE-----\nAAAA\n", 33);
  g_autofree char *path = fixture_path ("valid.p12");
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) p12 = NULL;
  g_autoptr(SkCertificate) certificate = NULL;
  gsize length;

  g_assert_null (sk_certificate_new_from_bytes (empty, NULL, &error));
  g_assert_error (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_UNREADABLE);
  g_clear_error (&error);
  g_assert_null (sk_certificate_new_from_bytes (text, NULL, &error));
  g_assert_error (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_UNREADABLE);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  p12 = g_bytes_new_take (g_steal_pointer (&contents), length);
  certificate = sk_certificate_new_from_bytes (p12, PASSWORD, &error);
  g_assert_no_error (error);
  assert_reads_as_expected (certificate, "valid.p12");
  g_assert_finalize_object (g_steal_pointer (&certificate));
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Parses data with password on the main context, as the import does. */
static SkCertificate *
parse_async (GBytes        *data,
             const char    *password,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sk_certificate_new_from_bytes_async (data, password, cancellable, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sk_certificate_new_from_bytes_finish (result, error);
}

static void
test_from_bytes_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path ("valid.p12");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SkCertificate) certificate = NULL;
  g_autoptr(GBytes) p12 = NULL;
  char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  p12 = sk_certificate_contents_new_take (contents, length);
  g_assert_true (g_bytes_get_data (p12, NULL) == contents);

  g_assert_null (parse_async (p12, "wrong", NULL, &error));
  g_assert_error (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_BAD_PASSWORD);
  g_clear_error (&error);

  certificate = parse_async (p12, PASSWORD, NULL, &error);
  g_assert_no_error (error);
  assert_reads_as_expected (certificate, "valid.p12");
  g_assert_finalize_object (g_steal_pointer (&certificate));

  g_cancellable_cancel (cancellable);
  g_assert_null (parse_async (p12, PASSWORD, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Reads file on the main context, as the import does. */
static SkCertificate *
read_async (const char  *name,
            GBytes     **contents,
            GError     **error)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  sk_certificate_new_from_file_async (file, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return sk_certificate_new_from_file_finish (result, contents, error);
}

/* Only a file that needs a password comes back, to try passwords on. */
static void
test_from_file_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkCertificate) certificate = NULL;
  g_autoptr(GBytes) contents = NULL;

  certificate = read_async ("valid-cert.crt", &contents, &error);
  g_assert_no_error (error);
  g_assert_null (contents);
  assert_reads_as_expected (certificate, "valid-cert.crt");
  g_assert_finalize_object (g_steal_pointer (&certificate));

  g_assert_null (read_async ("valid.p12", &contents, &error));
  g_assert_error (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_BAD_PASSWORD);
  g_assert_nonnull (contents);
  g_clear_error (&error);
  certificate = parse_async (contents, PASSWORD, NULL, &error);
  g_assert_no_error (error);
  assert_reads_as_expected (certificate, "valid.p12");
  g_clear_pointer (&contents, g_bytes_unref);

  g_assert_null (read_async ("no-such-file.p12", &contents, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (contents);
}

static GDateTime *
shifted (const char *file,
         const char *key,
         int         seconds)
{
  g_autoptr(GDateTime) date = expected_date (file, key);

  return g_date_time_add_seconds (date, seconds);
}

/* The first status that holds wins, in the order of the header; the
 * borders of the validity are inclusive. */
static void
test_status_order (void)
{
  g_autoptr(SkCertificate) valid = load_good ("valid.p12", PASSWORD);
  g_autoptr(SkCertificate) no_key = load_good ("valid-cert.crt", NULL);
  g_autoptr(SkCertificate) server = load_good ("server-only.p12", PASSWORD);
  g_autoptr(SkCertificate) subject_email = load_good ("subject-email.p12", PASSWORD);
  g_autoptr(GDateTime) before = shifted ("valid.p12", "not_before", -1);
  g_autoptr(GDateTime) first = shifted ("valid.p12", "not_before", 0);
  g_autoptr(GDateTime) last = shifted ("valid.p12", "not_after", 0);
  g_autoptr(GDateTime) after = shifted ("valid.p12", "not_after", 1);
  g_autoptr(GDateTime) server_after = shifted ("server-only.p12", "not_after", 1);

  g_assert_cmpint (sk_certificate_get_status (valid, ADDRESS, NULL), ==,
                   SK_CERTIFICATE_STATUS_VALID);
  g_assert_cmpint (sk_certificate_get_status (valid, "Biuro@FIRMA.example", NULL), ==,
                   SK_CERTIFICATE_STATUS_VALID);
  g_assert_cmpint (sk_certificate_get_status (valid, NULL, NULL), ==,
                   SK_CERTIFICATE_STATUS_VALID);
  g_assert_cmpint (sk_certificate_get_status (valid, "", NULL), ==,
                   SK_CERTIFICATE_STATUS_VALID);
  g_assert_cmpint (sk_certificate_get_status (valid, "jan@firma.example", NULL), ==,
                   SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH);
  g_assert_cmpint (sk_certificate_get_status (valid, ADDRESS, first), ==,
                   SK_CERTIFICATE_STATUS_VALID);
  g_assert_cmpint (sk_certificate_get_status (valid, ADDRESS, last), ==,
                   SK_CERTIFICATE_STATUS_VALID);
  g_assert_cmpint (sk_certificate_get_status (valid, ADDRESS, before), ==,
                   SK_CERTIFICATE_STATUS_NOT_YET_VALID);
  g_assert_cmpint (sk_certificate_get_status (valid, ADDRESS, after), ==,
                   SK_CERTIFICATE_STATUS_EXPIRED);

  /* Out of time before a wrong address. */
  g_assert_cmpint (sk_certificate_get_status (valid, "jan@firma.example", before), ==,
                   SK_CERTIFICATE_STATUS_NOT_YET_VALID);
  g_assert_cmpint (sk_certificate_get_status (valid, "jan@firma.example", after), ==,
                   SK_CERTIFICATE_STATUS_EXPIRED);

  /* No key before anything else. */
  g_assert_cmpint (sk_certificate_get_status (no_key, "jan@firma.example", after), ==,
                   SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY);
  g_assert_cmpint (sk_certificate_get_status (no_key, ADDRESS, NULL), ==,
                   SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY);

  /* The purpose before the address, time before the purpose. */
  g_assert_cmpint (sk_certificate_get_status (server, "jan@firma.example", NULL), ==,
                   SK_CERTIFICATE_STATUS_NOT_FOR_EMAIL);
  g_assert_cmpint (sk_certificate_get_status (server, ADDRESS, server_after), ==,
                   SK_CERTIFICATE_STATUS_EXPIRED);

  /* The subject's emailAddress counts as the certificate's address. */
  g_assert_cmpint (sk_certificate_get_status (subject_email, "BIURO@firma.example", NULL), ==,
                   SK_CERTIFICATE_STATUS_VALID);
  g_assert_cmpint (sk_certificate_get_status (subject_email, "kadry@firma.example", NULL), ==,
                   SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH);

  g_assert_finalize_object (g_steal_pointer (&valid));
  g_assert_finalize_object (g_steal_pointer (&no_key));
  g_assert_finalize_object (g_steal_pointer (&server));
  g_assert_finalize_object (g_steal_pointer (&subject_email));
}

static void
test_is_for_email (void)
{
  const struct
  {
    const char *name;
    gboolean    for_email;
  } cases[] = {
    { "valid.p12", TRUE },            /* digitalSignature, emailProtection */
    { "subject-email.p12", TRUE },
    { "server-only.p12", FALSE },     /* serverAuth only */
    { "encipher-only.p12", FALSE },   /* keyEncipherment only */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SkCertificate) certificate = load_good (cases[i].name, PASSWORD);

      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (sk_certificate_is_for_email (certificate), ==, cases[i].for_email);
      g_assert_finalize_object (g_steal_pointer (&certificate));
    }
}

static char *
date_in_words (GDateTime *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date);

  return g_date_time_format (local, "%-d %B %Y");
}

static void
assert_describes (const char          *name,
                  SkCertificateStatus  status,
                  const char          *nick,
                  const char          *part)
{
  g_autoptr(SkCertificate) certificate = load_good (name, password_for (name));
  g_autofree char *sentence = sk_certificate_describe_status (certificate, status);

  g_test_message ("%s: %s", nick, sentence);
  g_assert_cmpstr (sk_certificate_status_to_string (status), ==, nick);
  g_assert_nonnull (strstr (sentence, part));
  g_assert_true (g_str_has_suffix (sentence, "."));
  g_assert_finalize_object (g_steal_pointer (&certificate));
}

/* Each status in words, with the date or the addresses it is about. */
static void
test_describe (void)
{
  g_autoptr(SkCertificate) expired = load_good ("expired.p12", PASSWORD);
  g_autoptr(SkCertificate) later = load_good ("not-yet-valid.p12", PASSWORD);
  g_autoptr(SkCertificate) valid = load_good ("valid.p12", PASSWORD);
  g_autofree char *expired_on = date_in_words (sk_certificate_get_not_after (expired));
  g_autofree char *valid_from = date_in_words (sk_certificate_get_not_before (later));
  g_autofree char *valid_until = date_in_words (sk_certificate_get_not_after (valid));
  g_autoptr(SkCertificate) no_address = NULL;
  g_autofree char *nowhere = NULL;
  EVP_PKEY *key = EVP_EC_gen ("P-256");
  X509 *cert = make_x509 (key, NULL, "CN", "Bez adresu", NULL);

  assert_describes ("valid.p12", SK_CERTIFICATE_STATUS_VALID, "valid", valid_until);
  assert_describes ("valid-cert.cer", SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY, "no-private-key",
                    ".p12 or .pfx");
  assert_describes ("expired.p12", SK_CERTIFICATE_STATUS_EXPIRED, "expired", expired_on);
  assert_describes ("not-yet-valid.p12", SK_CERTIFICATE_STATUS_NOT_YET_VALID, "not-yet-valid",
                    valid_from);
  assert_describes ("server-only.p12", SK_CERTIFICATE_STATUS_NOT_FOR_EMAIL, "not-for-email",
                    "another purpose");
  assert_describes ("other-address.p12", SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH,
                    "address-mismatch", "(jan@firma.example)");
  assert_describes ("utf8.p12", SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH, "address-mismatch",
                    "(biuro@firma.example, kadry@firma.example)");

  no_address = sk_certificate_new_from_x509 (cert, key, NULL);
  g_assert_cmpint (sk_certificate_get_status (no_address, ADDRESS, NULL), ==,
                   SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH);
  nowhere = sk_certificate_describe_status (no_address, SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH);
  g_assert_nonnull (strstr (nowhere, "no e-mail address"));

  X509_free (cert);
  EVP_PKEY_free (key);
  g_assert_finalize_object (g_steal_pointer (&no_address));
  g_assert_finalize_object (g_steal_pointer (&expired));
  g_assert_finalize_object (g_steal_pointer (&later));
  g_assert_finalize_object (g_steal_pointer (&valid));
}

static void
assert_chain (const char *name,
              const char *cafile,
              gboolean    ok,
              const char *reason)
{
  g_autoptr(SkCertificate) certificate = load_good (name, password_for (name));
  g_autoptr(GError) error = NULL;

  g_test_message ("%s, cafile %s", name, cafile);
  g_assert_cmpint (sk_certificate_verify_chain (certificate, cafile, &error), ==, ok);
  if (ok)
    {
      g_assert_no_error (error);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, reason));
    }
  g_assert_finalize_object (g_steal_pointer (&certificate));
}

/* The test CA is trusted when cafile names it; when only the file brings
 * it, the chain is checked up to it and that is said; otherwise the issuer
 * is unknown.  A TLS server's certificate does not pass as an e-mail
 * one. */
static void
test_verify_chain (void)
{
  g_autofree char *cafile = fixture_path ("ca/ca.pem");
  g_autofree char *missing = fixture_path ("ca/no-such.pem");

  assert_chain ("valid.p12", NULL, FALSE, "up to “Skrzynka Test CA”, an authority that came in the file");
  assert_chain ("valid-full.pem", NULL, FALSE, "came in the file");
  assert_chain ("valid.p12", cafile, TRUE, NULL);
  assert_chain ("valid-cert.crt", NULL, FALSE, "not among the trusted");
  assert_chain ("valid-cert.crt", cafile, TRUE, NULL);
  assert_chain ("valid-encrypted.pem", cafile, TRUE, NULL);
  assert_chain ("server-only.p12", NULL, FALSE, "not meant for signing e-mail");
  assert_chain ("expired.p12", NULL, FALSE, "This certificate has expired");
  assert_chain ("valid-cert.crt", missing, FALSE, "cannot be read");
}

/* The system's trust: a CA folder (SSL_CERT_DIR, as OpenSSL reads it),
 * else a bundle (SSL_CERT_FILE). */
static void
test_verify_chain_system (void)
{
  g_autofree char *trusted = fixture_path ("trusted");
  g_autofree char *nowhere = fixture_path ("no-such-folder");
  g_autofree char *bundle = fixture_path ("ca/ca.pem");
  g_autofree char *empty = fixture_path ("empty.p12");

  g_setenv ("SSL_CERT_DIR", trusted, TRUE);
  assert_chain ("valid-cert.crt", NULL, TRUE, NULL);
  assert_chain ("valid-encrypted.pem", NULL, TRUE, NULL);

  g_setenv ("SSL_CERT_DIR", nowhere, TRUE);
  g_setenv ("SSL_CERT_FILE", bundle, TRUE);
  assert_chain ("valid-cert.crt", NULL, TRUE, NULL);

  g_setenv ("SSL_CERT_FILE", empty, TRUE);
  assert_chain ("valid-cert.crt", NULL, FALSE, "not among the trusted");

  g_unsetenv ("SSL_CERT_DIR");
  g_unsetenv ("SSL_CERT_FILE");
}

static char *
run_openssl (const char * const *argv,
             const char         *input)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE
                                     | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                     | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("openssl %s failed: %s", argv[1], err);

  return g_strconcat (out, err, NULL);
}

/* What the store keeps: the same certificate, key and chain, encrypted
 * with AES-256 and PBKDF2, with a SHA-256 MAC. */
static void
test_pkcs12_round_trip (void)
{
  g_autoptr(SkCertificate) original = load_good ("valid-full.pem", NULL);
  g_autoptr(SkCertificate) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) p12 = sk_certificate_to_pkcs12 (original, "Xk3-passphrase-ąę", &error);
  g_autofree char *path = g_build_filename (folder, "round-trip.p12", NULL);
  g_autofree char *info = NULL;
  const char *argv[] = { "openssl", "pkcs12", "-in", path, "-info", "-noout",
                         "-passin", "stdin", NULL };
  gsize size;
  const void *data;

  g_assert_no_error (error);
  g_assert_nonnull (p12);

  again = sk_certificate_new_from_bytes (p12, "Xk3-passphrase-ąę", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sk_certificate_get_sha256 (again), ==, sk_certificate_get_sha256 (original));
  g_assert_true (sk_certificate_has_private_key (again));
  g_assert_true (EVP_PKEY_eq (sk_certificate_get_private_key (again),
                              sk_certificate_get_private_key (original)) == 1);
  g_assert_cmpint (chain_length (again), ==, 1);
  g_assert_cmpint (X509_cmp (sk_X509_value (sk_certificate_get_chain (again), 0),
                             sk_X509_value (sk_certificate_get_chain (original), 0)), ==, 0);
  g_assert_cmpint (sk_certificate_get_status (again, ADDRESS, NULL), ==,
                   SK_CERTIFICATE_STATUS_VALID);
  g_assert_finalize_object (g_steal_pointer (&again));

  g_assert_null (sk_certificate_new_from_bytes (p12, "Xk3-passphrase-ae", &error));
  g_assert_error (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_BAD_PASSWORD);

  /* Asked of the openssl command, not of the code that wrote it. */
  data = g_bytes_get_data (p12, &size);
  g_assert_true (g_file_set_contents (path, data, size, NULL));
  info = run_openssl (argv, "Xk3-passphrase-ąę\n");
  g_test_message ("%s", info);
  g_assert_nonnull (strstr (info, "MAC: sha256"));
  g_assert_nonnull (strstr (info, "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC"));
  g_assert_nonnull (strstr (info, "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC"));
  g_assert_null (strstr (info, "RC2"));
  g_assert_null (strstr (info, "3DES"));
  g_unlink (path);

  g_assert_finalize_object (g_steal_pointer (&original));
}

/* The public part alone, chain included, and never the key. */
static void
test_pem_round_trip (void)
{
  g_autoptr(SkCertificate) original = load_good ("valid.p12", PASSWORD);
  g_autoptr(SkCertificate) again = NULL;
  g_autoptr(GBytes) pem = sk_certificate_to_pem (original);
  g_autoptr(GError) error = NULL;
  g_autofree char *cafile = fixture_path ("ca/ca.pem");
  g_autofree char *text = NULL;
  gsize size;
  const char *data = g_bytes_get_data (pem, &size);

  text = g_strndup (data, size);
  g_assert_null (strstr (text, "PRIVATE KEY"));
  g_assert_true (g_str_has_prefix (text, "-----BEGIN CERTIFICATE-----\n"));

  again = sk_certificate_new_from_bytes (pem, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sk_certificate_get_sha256 (again), ==, sk_certificate_get_sha256 (original));
  g_assert_false (sk_certificate_has_private_key (again));
  g_assert_cmpint (chain_length (again), ==, 1);
  g_assert_cmpint (sk_certificate_get_status (again, ADDRESS, NULL), ==,
                   SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY);
  g_assert_true (sk_certificate_verify_chain (again, cafile, NULL));

  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&original));
}

/* The status and error nicks are the command line's codes. */
static void
test_nicks (void)
{
  g_autoptr(GEnumClass) errors = g_type_class_ref (SK_TYPE_CERTIFICATE_ERROR);
  const char * const statuses[] = {
    "valid", "no-private-key", "expired", "not-yet-valid", "not-for-email",
    "address-mismatch",
  };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    g_assert_cmpstr (sk_certificate_status_to_string (i), ==, statuses[i]);

  g_assert_cmpstr (g_enum_get_value (errors, SK_CERTIFICATE_ERROR_BAD_PASSWORD)->value_nick,
                   ==, "bad-password");
  g_assert_cmpstr (g_enum_get_value (errors, SK_CERTIFICATE_ERROR_UNREADABLE)->value_nick,
                   ==, "unreadable");
}

static void
make_fixtures (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = NULL;

  folder = test_make_certificates ();
  ini = g_build_filename (folder, "certs.ini", NULL);
  manifest = g_key_file_new ();
  g_key_file_load_from_file (manifest, ini, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  make_fixtures ();

  g_test_add_func ("/sk/certificate/load", test_load);
  g_test_add_func ("/sk/certificate/legacy-pkcs12", test_legacy_pkcs12);
  g_test_add_func ("/sk/certificate/display-name", test_display_name);
  g_test_add_func ("/sk/certificate/display-name-fallback", test_display_name_fallback);
  g_test_add_func ("/sk/certificate/unreadable", test_unreadable);
  g_test_add_func ("/sk/certificate/bad-password", test_bad_password);
  g_test_add_func ("/sk/certificate/from-bytes", test_from_bytes);
  g_test_add_func ("/sk/certificate/from-bytes-async", test_from_bytes_async);
  g_test_add_func ("/sk/certificate/from-file-async", test_from_file_async);
  g_test_add_func ("/sk/certificate/status-order", test_status_order);
  g_test_add_func ("/sk/certificate/is-for-email", test_is_for_email);
  g_test_add_func ("/sk/certificate/describe", test_describe);
  g_test_add_func ("/sk/certificate/verify-chain", test_verify_chain);
  g_test_add_func ("/sk/certificate/verify-chain-system", test_verify_chain_system);
  g_test_add_func ("/sk/certificate/pkcs12-round-trip", test_pkcs12_round_trip);
  g_test_add_func ("/sk/certificate/pem-round-trip", test_pem_round_trip);
  g_test_add_func ("/sk/certificate/nicks", test_nicks);

  status = g_test_run ();

  /* The fixtures hold private keys: none outlives the run. */
  test_remove_tree (folder);
  g_clear_pointer (&manifest, g_key_file_free);
  g_clear_pointer (&folder, g_free);

  return status;
}
