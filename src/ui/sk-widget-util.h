/* sk-widget-util.h — small helpers the widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds css_class to widget when on, removes it otherwise. */
void  sk_widget_set_css_class (GtkWidget  *widget,
                               const char *css_class,
                               gboolean    on);

/* Words the widgets share, translated. */

/* A SHA-256 fingerprint ("AB:CD:…") in groups of four pairs, four groups a
 * line. */
char *sk_format_fingerprint   (const char *sha256);

G_END_DECLS
