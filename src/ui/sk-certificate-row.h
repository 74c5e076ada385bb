/* sk-certificate-row.h — one line of tab 3's list: a fingerprint the
 * account names and the stored certificate it stands for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/sk-certificate.h"

G_BEGIN_DECLS

#define SK_TYPE_CERTIFICATE_ROW (sk_certificate_row_get_type ())

G_DECLARE_FINAL_TYPE (SkCertificateRow, sk_certificate_row, SK, CERTIFICATE_ROW, GObject)

/* Looks sha256 up in the store; a certificate the store has lost still
 * gets a row, which says so. */
SkCertificateRow    *sk_certificate_row_new              (const char       *sha256);

const char          *sk_certificate_row_get_sha256       (SkCertificateRow *self);
/* NULL when the store could not give it. */
SkCertificate       *sk_certificate_row_get_certificate  (SkCertificateRow *self);
const char          *sk_certificate_row_get_name         (SkCertificateRow *self);
/* The status, or what is missing, said in full. */
const char          *sk_certificate_row_get_sentence     (SkCertificateRow *self);
/* "from … to …", or NULL without a certificate. */
const char          *sk_certificate_row_get_validity     (SkCertificateRow *self);
const char          *sk_certificate_row_get_status_icon  (SkCertificateRow *self);
/* "success-icon", "warning-icon" or "error-icon", to go with the icon. */
const char          *sk_certificate_row_get_status_css_class (SkCertificateRow *self);
gboolean             sk_certificate_row_get_is_default   (SkCertificateRow *self);
/* What checking the issuers against the system's authorities says;
 * checked when first asked, NULL without a certificate. */
const char          *sk_certificate_row_get_trust        (SkCertificateRow *self);

/* The status counts against email (NULL: no address to compare with). */
void                 sk_certificate_row_update           (SkCertificateRow *self,
                                                          const char       *email,
                                                          gboolean          is_default);

G_END_DECLS
