/* fuzz-certificate.c — a certificate file the user picks on tab 3 or gives
 * to --check-certificate: PKCS#12, PEM or DER, opened with one of a few
 * passwords, then everything the list and the command line show of it.
 * What the store keeps (PKCS#12, PEM) must open again as the same
 * certificate.
 *
 * Input: a byte that chooses the password and the round trips, then the
 * file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-certificate-private.h"
#include "core/sk-format.h"
#include "fuzz-common.h"

static void
check_text (const char *what,
            const char *text)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    fuzz_fail ("%s is missing or not UTF-8", what);
}

static void
check_shown (SkCertificate *certificate)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 3, 12, 0, 0);
  const char * const *emails = sk_certificate_get_emails (certificate);
  g_autofree char *from = sk_format_date_for_people (sk_certificate_get_not_before (certificate));
  g_autofree char *until = sk_format_date_for_people (sk_certificate_get_not_after (certificate));

  check_text ("the subject", sk_certificate_get_subject (certificate));
  check_text ("the issuer", sk_certificate_get_issuer (certificate));
  check_text ("the name", sk_certificate_get_display_name (certificate));
  check_text ("the issuer's name", sk_certificate_get_issuer_display_name (certificate));
  check_text ("the fingerprint", sk_certificate_get_sha256 (certificate));
  check_text ("the start date", from);
  check_text ("the end date", until);
  if (emails == NULL)
    fuzz_fail ("no list of addresses");
  for (guint i = 0; emails[i] != NULL; i++)
    check_text ("an address", emails[i]);

  for (SkCertificateStatus status = SK_CERTIFICATE_STATUS_VALID;
       status <= SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH;
       status++)
    {
      g_autofree char *description = sk_certificate_describe_status (certificate, status);

      check_text ("a status", description);
      check_text ("a status name", sk_certificate_status_to_string (status));
    }

  (void) sk_certificate_is_for_email (certificate);
  (void) sk_certificate_get_status (certificate, "jan@example.com", now);
  (void) sk_certificate_get_status (certificate, emails[0], NULL);
  (void) sk_certificate_get_status (certificate, NULL, now);
}

static void
check_reopens (SkCertificate *certificate,
               GBytes        *stored,
               const char    *password)
{
  g_autoptr(SkCertificate) again = NULL;
  g_autoptr(GError) error = NULL;

  again = sk_certificate_new_from_bytes (stored, password, &error);
  if (again == NULL)
    fuzz_fail ("what the store keeps does not open: %s", error->message);
  if (strcmp (sk_certificate_get_sha256 (again), sk_certificate_get_sha256 (certificate)) != 0)
    fuzz_fail ("what the store keeps is another certificate");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const passwords[] = { NULL, "", "tajne", "zażółć gęślą jaźń" };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SkCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  if (size < 1)
    return 0;

  bytes = g_bytes_new (data + 1, size - 1);
  certificate = sk_certificate_new_from_bytes (bytes, passwords[data[0] % 4], &error);
  if (certificate == NULL)
    {
      if (error == NULL || error->message == NULL)
        fuzz_fail ("refused without a reason");
      return 0;
    }
  if (error != NULL)
    fuzz_fail ("opened, but with an error");

  check_shown (certificate);

  /* PKCS#12 costs a key derivation each way: not on every input. */
  if ((data[0] & 0x10) && sk_certificate_get_private_key (certificate) != NULL)
    {
      g_autoptr(GBytes) pkcs12 = sk_certificate_to_pkcs12 (certificate, "store-passphrase", &error);

      if (pkcs12 != NULL)
        check_reopens (certificate, pkcs12, "store-passphrase");
    }
  if (data[0] & 0x20)
    {
      g_autoptr(GBytes) pem = sk_certificate_to_pem (certificate);

      if (pem != NULL)
        check_reopens (certificate, pem, NULL);
    }

  return 0;
}
