/* sk-sign-in-row.h — where a password would be, for an account that signs
 * in with its provider (OAuth 2.0): whom it is signed in as, and Sign in,
 * Sign in again, Sign out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-account.h"

G_BEGIN_DECLS

#define SK_TYPE_SIGN_IN_ROW (sk_sign_in_row_get_type ())

G_DECLARE_FINAL_TYPE (SkSignInRow, sk_sign_in_row, SK, SIGN_IN_ROW, GtkWidget)

/* Signal "failed" (const char *code): a sign-in did not work, for the
 * diagnosis code of DESIGN.md ("admin-approval-required", …). */

/* The account whose sign-in the row shows: its provider, and the refresh
 * token kept for it in the keyring.  The row follows the account's
 * provider as it changes. */
void      sk_sign_in_row_set_account   (SkSignInRow *self,
                                        SkAccount   *account);
/* Starts signing in, as the button does, when the provider is set up and
 * no sign-in is under way. */
void      sk_sign_in_row_sign_in       (SkSignInRow *self);
/* Shows validation's message about the provider under the row, or clears
 * it (NULL); TRUE when there is none. */
gboolean  sk_sign_in_row_show_problem  (SkSignInRow *self,
                                        const char  *message);

G_END_DECLS
