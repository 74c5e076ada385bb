/* sk-certificates-page.h — tab 3 Signature certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sk-account-page.h"

G_BEGIN_DECLS

#define SK_TYPE_CERTIFICATES_PAGE (sk_certificates_page_get_type ())

G_DECLARE_FINAL_TYPE (SkCertificatesPage, sk_certificates_page, SK, CERTIFICATES_PAGE, GtkWidget)

GtkWidget *sk_certificates_page_new (void);

G_END_DECLS
