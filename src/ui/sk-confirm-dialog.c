/* sk-confirm-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sk-confirm-dialog.h"

struct _SkConfirmDialog
{
  GtkWindow  parent_instance;

  GtkLabel  *heading_label;
  GtkLabel  *body_label;
  GtkButton *cancel_button;
  GtkButton *accept_button;

  gboolean   destructive;
  gboolean   responded;
};

G_DEFINE_FINAL_TYPE (SkConfirmDialog, sk_confirm_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_HEADING,
  PROP_BODY,
  PROP_ACCEPT_LABEL,
  PROP_DESTRUCTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RESPONSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Whatever ends the question (a button, Escape, the window manager, the
 * parent going away), the caller hears about it once. */
static void
emit_response (SkConfirmDialog *self,
               gboolean         accepted)
{
  if (self->responded)
    return;

  self->responded = TRUE;
  g_signal_emit (self, signals[RESPONSE], 0, accepted);
}

/* Gone from the screen, and from its parent, before anyone hears the
 * answer: a handler may destroy the parent, and GTK 4.8 would otherwise
 * leave this window pointing at it. */
static void
respond_and_close (SkConfirmDialog *self,
                   gboolean         accepted)
{
  g_object_ref (self);
  gtk_window_destroy (GTK_WINDOW (self));
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
  emit_response (self, accepted);
  g_object_unref (self);
}

static void
cancel_clicked (SkConfirmDialog *self)
{
  respond_and_close (self, FALSE);
}

static void
accept_clicked (SkConfirmDialog *self)
{
  respond_and_close (self, TRUE);
}

static gboolean
escape_pressed (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  respond_and_close (SK_CONFIRM_DIALOG (widget), FALSE);
  return TRUE;
}

static gboolean
sk_confirm_dialog_close_request (GtkWindow *window)
{
  respond_and_close (SK_CONFIRM_DIALOG (window), FALSE);

  return TRUE;
}

static void
sk_confirm_dialog_constructed (GObject *object)
{
  SkConfirmDialog *self = SK_CONFIRM_DIALOG (object);

  G_OBJECT_CLASS (sk_confirm_dialog_parent_class)->constructed (object);

  /* A destructive answer must be chosen deliberately: Enter means Cancel. */
  if (self->destructive)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->accept_button), "destructive-action");
      gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->cancel_button));
      gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->cancel_button));
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->accept_button), "suggested-action");
      gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->accept_button));
      gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->accept_button));
    }
}

static void
sk_confirm_dialog_dispose (GObject *object)
{
  SkConfirmDialog *self = SK_CONFIRM_DIALOG (object);

  emit_response (self, FALSE);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_CONFIRM_DIALOG);

  G_OBJECT_CLASS (sk_confirm_dialog_parent_class)->dispose (object);
}

static void
sk_confirm_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SkConfirmDialog *self = SK_CONFIRM_DIALOG (object);

  switch (prop_id)
    {
    case PROP_HEADING:
      g_value_set_string (value, gtk_label_get_text (self->heading_label));
      break;

    case PROP_BODY:
      g_value_set_string (value, gtk_label_get_text (self->body_label));
      break;

    case PROP_ACCEPT_LABEL:
      g_value_set_string (value, gtk_button_get_label (self->accept_button));
      break;

    case PROP_DESTRUCTIVE:
      g_value_set_boolean (value, self->destructive);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_confirm_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SkConfirmDialog *self = SK_CONFIRM_DIALOG (object);

  switch (prop_id)
    {
    case PROP_HEADING:
      gtk_label_set_text (self->heading_label, g_value_get_string (value));
      /* The window title is what a screen reader announces first. */
      gtk_window_set_title (GTK_WINDOW (self), g_value_get_string (value));
      break;

    case PROP_BODY:
      gtk_label_set_text (self->body_label, g_value_get_string (value));
      break;

    case PROP_ACCEPT_LABEL:
      gtk_button_set_label (self->accept_button, g_value_get_string (value));
      break;

    case PROP_DESTRUCTIVE:
      self->destructive = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_confirm_dialog_class_init (SkConfirmDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sk_confirm_dialog_constructed;
  object_class->dispose = sk_confirm_dialog_dispose;
  object_class->get_property = sk_confirm_dialog_get_property;
  object_class->set_property = sk_confirm_dialog_set_property;
  window_class->close_request = sk_confirm_dialog_close_request;

  properties[PROP_HEADING] =
    g_param_spec_string ("heading", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCEPT_LABEL] =
    g_param_spec_string ("accept-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESTRUCTIVE] =
    g_param_spec_boolean ("destructive", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* SkConfirmDialog::response: (accepted) emitted once, just before the
   * dialog closes itself. */
  signals[RESPONSE] =
    g_signal_new ("response",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-confirm-dialog.ui");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DIALOG);
  gtk_widget_class_bind_template_child (widget_class, SkConfirmDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, SkConfirmDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, SkConfirmDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SkConfirmDialog, accept_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, accept_clicked);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_pressed, NULL);
}

static void
sk_confirm_dialog_init (SkConfirmDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SkConfirmDialog *
sk_confirm_dialog_new (GtkWindow  *parent,
                       const char *heading,
                       const char *body,
                       const char *accept_label,
                       gboolean    destructive)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (heading != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (accept_label != NULL, NULL);

  return g_object_new (SK_TYPE_CONFIRM_DIALOG,
                       "transient-for", parent,
                       "heading", heading,
                       "body", body,
                       "accept-label", accept_label,
                       "destructive", destructive,
                       NULL);
}
