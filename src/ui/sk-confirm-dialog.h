/* sk-confirm-dialog.h — a yes/no question about something that cannot be undone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SK_TYPE_CONFIRM_DIALOG (sk_confirm_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SkConfirmDialog, sk_confirm_dialog, SK, CONFIRM_DIALOG, GtkWindow)

/* A small modal question.  Emits "response" (gboolean accepted) once, when
 * a button is pressed or the window is closed (not accepted), then closes. */
SkConfirmDialog *sk_confirm_dialog_new (GtkWindow  *parent,
                                        const char *heading,
                                        const char *body,
                                        const char *accept_label,
                                        gboolean    destructive);

G_END_DECLS
