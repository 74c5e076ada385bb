/* sk-gmail-guide.h — the Gmail guide beside the Account properties dialog:
 * five steps to an app password, each ticked off as it is done
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-account.h"

G_BEGIN_DECLS

#define SK_GMAIL_GUIDE_N_STEPS 5

#define SK_TYPE_GMAIL_GUIDE (sk_gmail_guide_get_type ())

G_DECLARE_FINAL_TYPE (SkGmailGuide, sk_gmail_guide, SK, GMAIL_GUIDE, GtkWidget)

/* Signal "fill-in": the person asked for Google's server settings (step 5).
 * Signal "sign-in": the person chose to sign in with Google instead of an
 * app password. */

GtkWidget *sk_gmail_guide_new               (void);
/* The account whose "guide-steps" the tick boxes show and change. */
void       sk_gmail_guide_set_account       (SkGmailGuide *self,
                                             SkAccount    *account);
SkAccount *sk_gmail_guide_get_account       (SkGmailGuide *self);
/* TRUE when the address belongs to a Google Workspace domain, whose
 * administrator decides what its mailboxes may do. */
void       sk_gmail_guide_set_workspace     (SkGmailGuide *self,
                                             gboolean      workspace);
/* Marks step (1–5) as the one to go back to and scrolls to it; 0 clears the
 * mark.  web_login_url: Google's sign-in page that a failed login named,
 * offered in step 1 (only an https address on accounts.google.com is
 * taken), or NULL. */
void       sk_gmail_guide_highlight_step    (SkGmailGuide *self,
                                             guint         step,
                                             const char   *web_login_url);
guint      sk_gmail_guide_get_highlighted_step (SkGmailGuide *self);

G_END_DECLS
