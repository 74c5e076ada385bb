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

GtkWidget *sk_general_page_new (void);

G_END_DECLS
