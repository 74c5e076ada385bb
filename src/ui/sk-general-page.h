/* sk-general-page.h — tab 1 General: the account, its users, signing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sk-account-page.h"

G_BEGIN_DECLS

#define SK_TYPE_GENERAL_PAGE (sk_general_page_get_type ())

G_DECLARE_FINAL_TYPE (SkGeneralPage, sk_general_page, SK, GENERAL_PAGE, GtkWidget)

/* Signal "detected" (SkDetection *detection): what the address's domain
 * revealed, each time the address has rested after a change (and once for
 * the address the account came with).  The detection is the page's, valid
 * during the emission only. */

GtkWidget *sk_general_page_new (void);

G_END_DECLS
