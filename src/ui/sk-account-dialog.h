/* sk-account-dialog.h — the Account properties dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-account-store.h"

G_BEGIN_DECLS

#define SK_TYPE_ACCOUNT_DIALOG (sk_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SkAccountDialog, sk_account_dialog, SK, ACCOUNT_DIALOG, GtkWindow)

/* Edits a copy of account (NULL: a new account).  OK validates, puts the
 * account into store, saves the store and the passwords, then closes;
 * Cancel with unsaved changes asks first. */
SkAccountDialog *sk_account_dialog_new (GtkWindow      *parent,
                                        SkAccountStore *store,
                                        SkAccount      *account);

G_END_DECLS
