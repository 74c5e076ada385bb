/* sk-certificates-page.h — tab 3 Signature certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-certificate.h"

#include "sk-account-page.h"

G_BEGIN_DECLS

#define SK_TYPE_CERTIFICATES_PAGE (sk_certificates_page_get_type ())

G_DECLARE_FINAL_TYPE (SkCertificatesPage, sk_certificates_page, SK, CERTIFICATES_PAGE, GtkWidget)

GtkWidget      *sk_certificates_page_new           (void);
/* The fingerprints of the certificates this page put into the store while
 * it was open and that were not stored before: what must go again when the
 * account is not saved with them.  NULL-terminated. */
char          **sk_certificates_page_dup_imported  (SkCertificatesPage  *self);

G_END_DECLS
