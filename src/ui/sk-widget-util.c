/* sk-widget-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sk-widget-util.h"

void
sk_widget_set_css_class (GtkWidget  *widget,
                         const char *css_class,
                         gboolean    on)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (on)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

/* Groups of four byte pairs, four groups a line: what a person compares
 * with what IT support reads out, a group at a time. */
char *
sk_format_fingerprint (const char *sha256)
{
  g_auto(GStrv) pairs = g_strsplit (sha256 != NULL ? sha256 : "", ":", -1);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_pairs = g_strv_length (pairs);

  for (guint i = 0; i < n_pairs; i++)
    {
      if (i > 0)
        g_string_append_c (text, i % 16 == 0 ? '\n' : i % 4 == 0 ? ' ' : ':');
      g_string_append (text, pairs[i]);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
