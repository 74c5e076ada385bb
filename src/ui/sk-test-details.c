/* sk-test-details.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-format.h"

#include "sk-certificate-summary.h"
#include "sk-test-details.h"
#include "sk-widget-util.h"

struct _SkTestDetails
{
  GtkWindow    parent_instance;

  GtkGrid     *incoming_grid;
  GtkGrid     *outgoing_grid;
  GtkTextView *incoming_transcript;
  GtkTextView *outgoing_transcript;
  GtkLabel    *incoming_tab;
  GtkLabel    *outgoing_tab;
  GtkLabel    *copied_label;

  char        *report;
};

G_DEFINE_FINAL_TYPE (SkTestDetails, sk_test_details, GTK_TYPE_WINDOW)

/* The window */

static void
add_row (GtkGrid    *grid,
         int         row,
         const char *key,
         const char *value,
         gboolean    monospace)
{
  GtkWidget *key_label = gtk_label_new (key);
  GtkWidget *value_label = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (key_label), 1);
  gtk_label_set_yalign (GTK_LABEL (key_label), 0);
  gtk_widget_add_css_class (key_label, "dim-label");

  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  /* A wrapping label may otherwise shrink to a letter a line, and the
   * window grow as tall as that would make it. */
  gtk_label_set_width_chars (GTK_LABEL (value_label), 30);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_hexpand (value_label, TRUE);
  if (monospace)
    gtk_widget_add_css_class (value_label, "monospace");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, key_label, NULL,
                                  -1);

  gtk_grid_attach (grid, key_label, 0, row, 1, 1);
  gtk_grid_attach (grid, value_label, 1, row, 1, 1);
}

/* Below the rows about the server, in their columns. */
static void
add_certificate (GtkGrid                 *grid,
                 int                      row,
                 const SkCertificateInfo *certificate)
{
  g_autoptr(GtkSizeGroup) titles = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  g_autofree char *from = sk_format_date_for_people (certificate->not_before);
  g_autofree char *until = sk_format_date_for_people (certificate->not_after);
  g_autofree char *validity = g_strdup_printf (_("from %s to %s"), from, until);
  SkCertificateSummary *summary = g_object_new (SK_TYPE_CERTIFICATE_SUMMARY,
                                                "subject-title", _("Certificate issued to"),
                                                "subject", certificate->subject,
                                                "issuer", certificate->issuer,
                                                "validity", validity,
                                                "sha256", certificate->sha256,
                                                "trusted", certificate->trusted ? _("Yes") : _("No"),
                                                NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int column;

      gtk_grid_query_child (grid, child, &column, NULL, NULL, NULL);
      if (column == 0)
        gtk_size_group_add_widget (titles, child);
    }
  sk_certificate_summary_align_titles (summary, titles);

  gtk_grid_attach (grid, GTK_WIDGET (summary), 0, row, 2, 1);
}

static void
show_side (SkTestDetails      *self,
           const SkSideResult *side)
{
  gboolean incoming = side->side == SK_TEST_SIDE_INCOMING;
  GtkGrid *grid = incoming ? self->incoming_grid : self->outgoing_grid;
  GtkTextView *transcript = incoming ? self->incoming_transcript : self->outgoing_transcript;
  const SkCertificateInfo *certificate = side->certificate;
  g_autofree char *title = sk_test_side_dup_title (side->side, side->protocol);
  g_autofree char *server = NULL;
  g_autofree char *outcome = NULL;
  int row = 0;

  gtk_label_set_text (incoming ? self->incoming_tab : self->outgoing_tab, title);

  /* TRANSLATORS: "imap.example.com, port 993, ssl" */
  server = g_strdup_printf (_("%s, port %u, %s"), side->host, side->port,
                            sk_security_to_string (side->security));
  add_row (grid, row++, _("Server"), server, FALSE);
  outcome = g_strdup_printf ("%s (%s)", side->diagnosis->message,
                             sk_diagnosis_code_to_string (side->diagnosis->code));
  add_row (grid, row++, _("Result"), outcome, FALSE);
  if (side->server_reply != NULL && side->server_reply[0] != '\0')
    add_row (grid, row++, _("Last server reply"), side->server_reply, TRUE);

  if (certificate != NULL)
    add_certificate (grid, row++, certificate);
  else
    {
      add_row (grid, row++, _("Certificate"), _("None: no secure connection was made."), FALSE);
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (transcript),
                            side->transcript != NULL && side->transcript[0] != '\0'
                              ? side->transcript
                              : _("Nothing was exchanged with this server."),
                            -1);
}

static void
copy_clicked (SkTestDetails *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->report);
  gtk_label_set_text (self->copied_label,
                      _("Copied. Paste it into a message to your IT support."));
}

SkTestDetails *
sk_test_details_new (GtkWindow          *parent,
                     SkAccount          *tested,
                     const SkTestResult *result)
{
  SkTestDetails *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SK_IS_ACCOUNT (tested), NULL);
  g_return_val_if_fail (result != NULL, NULL);

  self = g_object_new (SK_TYPE_TEST_DETAILS,
                       "transient-for", parent,
                       NULL);

  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    if (result->sides[side] != NULL)
      show_side (self, result->sides[side]);

  self->report = sk_test_result_to_text (result, tested);

  return self;
}

static void
sk_test_details_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SK_TYPE_TEST_DETAILS);

  G_OBJECT_CLASS (sk_test_details_parent_class)->dispose (object);
}

static void
sk_test_details_finalize (GObject *object)
{
  SkTestDetails *self = SK_TEST_DETAILS (object);

  g_free (self->report);

  G_OBJECT_CLASS (sk_test_details_parent_class)->finalize (object);
}

static void
sk_test_details_class_init (SkTestDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_test_details_dispose;
  object_class->finalize = sk_test_details_finalize;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-test-details.ui");
  gtk_widget_class_bind_template_child (widget_class, SkTestDetails, incoming_grid);
  gtk_widget_class_bind_template_child (widget_class, SkTestDetails, outgoing_grid);
  gtk_widget_class_bind_template_child (widget_class, SkTestDetails, incoming_transcript);
  gtk_widget_class_bind_template_child (widget_class, SkTestDetails, outgoing_transcript);
  gtk_widget_class_bind_template_child (widget_class, SkTestDetails, incoming_tab);
  gtk_widget_class_bind_template_child (widget_class, SkTestDetails, outgoing_tab);
  gtk_widget_class_bind_template_child (widget_class, SkTestDetails, copied_label);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked);
}

static void
sk_test_details_init (SkTestDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
