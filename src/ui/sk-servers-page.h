/* sk-servers-page.h — tab 2 Servers: type, servers, advanced settings, login
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sk-account-page.h"

G_BEGIN_DECLS

#define SK_TYPE_SERVERS_PAGE (sk_servers_page_get_type ())

G_DECLARE_FINAL_TYPE (SkServersPage, sk_servers_page, SK, SERVERS_PAGE, GtkWidget)

GtkWidget *sk_servers_page_new (void);

G_END_DECLS
