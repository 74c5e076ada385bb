/* sk-test-panel.h — Test connection on tab 2: live steps, the result in one
 * sentence, details, and trusting an unknown certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-account.h"

G_BEGIN_DECLS

#define SK_TYPE_TEST_PANEL (sk_test_panel_get_type ())

G_DECLARE_FINAL_TYPE (SkTestPanel, sk_test_panel, SK, TEST_PANEL, GtkWidget)

GtkWidget *sk_test_panel_new         (void);
/* The account the dialog edits.  Each test runs on a copy of it; trusting a
 * certificate pins it in this account. */
void       sk_test_panel_set_account (SkTestPanel *self,
                                      SkAccount   *account);
SkAccount *sk_test_panel_get_account (SkTestPanel *self);
/* Starts a test, as the Test connection button does; nothing happens while
 * one runs or while the settings cannot be tested. */
void       sk_test_panel_start       (SkTestPanel *self);

/* Signals:
 *   "started": a test begins (what an earlier result pointed at is over).
 *   "guide-step" (int step, const char *web_login_url): a finished test
 *     failed on a side whose diagnosis names a step (1–5) of the Gmail
 *     guide to go back to, the first failing side's; web_login_url is the
 *     Google sign-in page its reply named, or NULL. */

G_END_DECLS
