/* sk-servers-page.h — tab 2 Servers: type, servers, advanced settings, login
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-detect.h"

#include "sk-account-page.h"
#include "sk-sign-in-row.h"
#include "sk-test-panel.h"

G_BEGIN_DECLS

#define SK_TYPE_SERVERS_PAGE (sk_servers_page_get_type ())

G_DECLARE_FINAL_TYPE (SkServersPage, sk_servers_page, SK, SERVERS_PAGE, GtkWidget)

GtkWidget   *sk_servers_page_new            (void);
/* What the dialog knows of the address: a Gmail address, a Google Workspace
 * domain, or (SK_DETECT_SOURCE_NONE) neither.  For Google's accounts the
 * page offers Google's settings and tidies app passwords as they are typed;
 * an account already on Google's servers counts as Google's too. */
void         sk_servers_page_set_google     (SkServersPage  *self,
                                             SkDetectSource  source);
/* Puts Google's settings into the account and says what changed, as the
 * "Fill in Gmail settings" button does. */
void         sk_servers_page_fill_in_google (SkServersPage  *self);
/* Makes both servers sign in with the provider of that id ("google",
 * "microsoft") instead of a password. */
void         sk_servers_page_use_sign_in    (SkServersPage  *self,
                                             const char     *provider_id);
/* Starts signing in with the account's provider, as the sign-in row's
 * button does. */
void         sk_servers_page_sign_in        (SkServersPage  *self);
/* The row that stands for the password when the account signs in. */
SkSignInRow *sk_servers_page_get_sign_in_row (SkServersPage *self);
/* The test panel at the bottom of the page. */
SkTestPanel *sk_servers_page_get_test_panel (SkServersPage  *self);

G_END_DECLS
