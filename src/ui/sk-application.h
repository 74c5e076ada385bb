/* sk-application.h — the application: the window, or the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SK_TYPE_APPLICATION (sk_application_get_type ())

G_DECLARE_FINAL_TYPE (SkApplication, sk_application, SK, APPLICATION, GtkApplication)

SkApplication *sk_application_new (void);

G_END_DECLS
