/* sk-certificate-summary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include "sk-certificate-summary.h"
#include "sk-widget-util.h"

typedef enum
{
  LINE_SUBJECT,
  LINE_ISSUER,
  LINE_VALIDITY,
  LINE_ISSUER_CHECK,
  LINE_FINGERPRINT,
  LINE_TRUSTED,
  N_LINES
} Line;

struct _SkCertificateSummary
{
  GtkWidget  parent_instance;

  GtkWidget *grid;
  GtkLabel  *titles[N_LINES];
  GtkLabel  *labels[N_LINES];

  char      *values[N_LINES];
  gboolean   secondary_fingerprint;
};

G_DEFINE_FINAL_TYPE (SkCertificateSummary, sk_certificate_summary, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SUBJECT_TITLE,
  PROP_SUBJECT,
  PROP_ISSUER,
  PROP_VALIDITY,
  PROP_ISSUER_CHECK,
  PROP_SHA256,
  PROP_TRUSTED,
  PROP_SECONDARY_FINGERPRINT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  guint       prop_id;
  const char *name;
} lines[N_LINES] = {
  [LINE_SUBJECT] = { PROP_SUBJECT, "subject" },
  [LINE_ISSUER] = { PROP_ISSUER, "issuer" },
  [LINE_VALIDITY] = { PROP_VALIDITY, "validity" },
  [LINE_ISSUER_CHECK] = { PROP_ISSUER_CHECK, "issuer-check" },
  [LINE_FINGERPRINT] = { PROP_SHA256, "sha256" },
  [LINE_TRUSTED] = { PROP_TRUSTED, "trusted" },
};

static void
set_line (SkCertificateSummary *self,
          Line                  line,
          const char           *value)
{
  g_autofree char *fingerprint = NULL;

  if (g_strcmp0 (self->values[line], value) == 0)
    return;

  g_free (self->values[line]);
  self->values[line] = g_strdup (value);

  if (line == LINE_FINGERPRINT && value != NULL)
    value = fingerprint = sk_format_fingerprint (value);

  gtk_label_set_text (self->labels[line], value != NULL ? value : "");
  gtk_widget_set_visible (GTK_WIDGET (self->titles[line]), value != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->labels[line]), value != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[lines[line].prop_id]);
}

static void
set_secondary_fingerprint (SkCertificateSummary *self,
                           gboolean              secondary)
{
  if (self->secondary_fingerprint == secondary)
    return;

  self->secondary_fingerprint = secondary;
  sk_widget_set_css_class (GTK_WIDGET (self->labels[LINE_FINGERPRINT]), "caption", secondary);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDARY_FINGERPRINT]);
}

static void
sk_certificate_summary_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SkCertificateSummary *self = SK_CERTIFICATE_SUMMARY (object);

  for (guint line = 0; line < N_LINES; line++)
    if (lines[line].prop_id == prop_id)
      {
        g_value_set_string (value, self->values[line]);
        return;
      }

  switch (prop_id)
    {
    case PROP_SUBJECT_TITLE:
      g_value_set_string (value, gtk_label_get_text (self->titles[LINE_SUBJECT]));
      break;

    case PROP_SECONDARY_FINGERPRINT:
      g_value_set_boolean (value, self->secondary_fingerprint);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_certificate_summary_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SkCertificateSummary *self = SK_CERTIFICATE_SUMMARY (object);

  for (guint line = 0; line < N_LINES; line++)
    if (lines[line].prop_id == prop_id)
      {
        set_line (self, line, g_value_get_string (value));
        return;
      }

  switch (prop_id)
    {
    case PROP_SUBJECT_TITLE:
      if (g_strcmp0 (gtk_label_get_text (self->titles[LINE_SUBJECT]), g_value_get_string (value)) != 0)
        {
          gtk_label_set_text (self->titles[LINE_SUBJECT], g_value_get_string (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_SECONDARY_FINGERPRINT:
      set_secondary_fingerprint (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_certificate_summary_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SK_TYPE_CERTIFICATE_SUMMARY);

  G_OBJECT_CLASS (sk_certificate_summary_parent_class)->dispose (object);
}

static void
sk_certificate_summary_finalize (GObject *object)
{
  SkCertificateSummary *self = SK_CERTIFICATE_SUMMARY (object);

  for (guint line = 0; line < N_LINES; line++)
    g_free (self->values[line]);

  G_OBJECT_CLASS (sk_certificate_summary_parent_class)->finalize (object);
}

static void
sk_certificate_summary_class_init (SkCertificateSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sk_certificate_summary_dispose;
  object_class->finalize = sk_certificate_summary_finalize;
  object_class->get_property = sk_certificate_summary_get_property;
  object_class->set_property = sk_certificate_summary_set_property;

  /* After other lines about the same server, "Certificate issued to"
   * says whose the line is. */
  properties[PROP_SUBJECT_TITLE] = g_param_spec_string ("subject-title", NULL, NULL, NULL, flags);
  for (guint line = 0; line < N_LINES; line++)
    properties[lines[line].prop_id] = g_param_spec_string (lines[line].name, NULL, NULL, NULL, flags);
  /* Small, as one detail among others, where the fingerprint is not what
   * the person is asked to compare. */
  properties[PROP_SECONDARY_FINGERPRINT] =
    g_param_spec_boolean ("secondary-fingerprint", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-certificate-summary.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_bind_template_child (widget_class, SkCertificateSummary, grid);
  gtk_widget_class_bind_template_child_full (widget_class, "subject_title", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, titles[LINE_SUBJECT]));
  gtk_widget_class_bind_template_child_full (widget_class, "subject_label", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, labels[LINE_SUBJECT]));
  gtk_widget_class_bind_template_child_full (widget_class, "issuer_title", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, titles[LINE_ISSUER]));
  gtk_widget_class_bind_template_child_full (widget_class, "issuer_label", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, labels[LINE_ISSUER]));
  gtk_widget_class_bind_template_child_full (widget_class, "validity_title", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, titles[LINE_VALIDITY]));
  gtk_widget_class_bind_template_child_full (widget_class, "validity_label", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, labels[LINE_VALIDITY]));
  gtk_widget_class_bind_template_child_full (widget_class, "issuer_check_title", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, titles[LINE_ISSUER_CHECK]));
  gtk_widget_class_bind_template_child_full (widget_class, "issuer_check_label", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, labels[LINE_ISSUER_CHECK]));
  gtk_widget_class_bind_template_child_full (widget_class, "fingerprint_title", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, titles[LINE_FINGERPRINT]));
  gtk_widget_class_bind_template_child_full (widget_class, "fingerprint_label", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, labels[LINE_FINGERPRINT]));
  gtk_widget_class_bind_template_child_full (widget_class, "trusted_title", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, titles[LINE_TRUSTED]));
  gtk_widget_class_bind_template_child_full (widget_class, "trusted_label", FALSE,
                                             G_STRUCT_OFFSET (SkCertificateSummary, labels[LINE_TRUSTED]));
}

static void
sk_certificate_summary_init (SkCertificateSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint line = 0; line < N_LINES; line++)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->titles[line]), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->labels[line]), FALSE);
    }
}

void
sk_certificate_summary_set_subject (SkCertificateSummary *self,
                                    const char           *subject)
{
  g_return_if_fail (SK_IS_CERTIFICATE_SUMMARY (self));

  set_line (self, LINE_SUBJECT, subject);
}

void
sk_certificate_summary_set_issuer (SkCertificateSummary *self,
                                   const char           *issuer)
{
  g_return_if_fail (SK_IS_CERTIFICATE_SUMMARY (self));

  set_line (self, LINE_ISSUER, issuer);
}

void
sk_certificate_summary_set_validity (SkCertificateSummary *self,
                                     const char           *validity)
{
  g_return_if_fail (SK_IS_CERTIFICATE_SUMMARY (self));

  set_line (self, LINE_VALIDITY, validity);
}

void
sk_certificate_summary_set_issuer_check (SkCertificateSummary *self,
                                         const char           *issuer_check)
{
  g_return_if_fail (SK_IS_CERTIFICATE_SUMMARY (self));

  set_line (self, LINE_ISSUER_CHECK, issuer_check);
}

void
sk_certificate_summary_set_sha256 (SkCertificateSummary *self,
                                   const char           *sha256)
{
  g_return_if_fail (SK_IS_CERTIFICATE_SUMMARY (self));

  set_line (self, LINE_FINGERPRINT, sha256);
}

void
sk_certificate_summary_set_trusted (SkCertificateSummary *self,
                                    const char           *trusted)
{
  g_return_if_fail (SK_IS_CERTIFICATE_SUMMARY (self));

  set_line (self, LINE_TRUSTED, trusted);
}

void
sk_certificate_summary_align_titles (SkCertificateSummary *self,
                                     GtkSizeGroup         *group)
{
  g_return_if_fail (SK_IS_CERTIFICATE_SUMMARY (self));
  g_return_if_fail (GTK_IS_SIZE_GROUP (group));

  for (guint line = 0; line < N_LINES; line++)
    gtk_size_group_add_widget (group, GTK_WIDGET (self->titles[line]));
}
