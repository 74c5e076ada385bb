/* sk-accounts-window.h — the main window: the list of saved accounts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-account-store.h"

G_BEGIN_DECLS

#define SK_TYPE_ACCOUNTS_WINDOW (sk_accounts_window_get_type ())

G_DECLARE_FINAL_TYPE (SkAccountsWindow, sk_accounts_window, SK, ACCOUNTS_WINDOW, GtkApplicationWindow)

SkAccountsWindow *sk_accounts_window_new (GtkApplication *application,
                                          SkAccountStore *store);
/* Shows a problem that concerns the whole list (e.g. a damaged file). */
void              sk_accounts_window_show_error (SkAccountsWindow *self,
                                                 const char       *message);

G_END_DECLS
