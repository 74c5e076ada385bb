/* sk-certificate-password.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "sk-account-page.h"
#include "sk-certificate-password.h"

struct _SkCertificatePassword
{
  GtkWindow    parent_instance;

  GtkLabel    *body_label;
  GtkWidget   *password_entry;
  GtkLabel    *message_label;
  GtkSpinner  *spinner;
  GtkWidget   *ok_button;

  gboolean     busy;
  gboolean     finished;
};

G_DEFINE_FINAL_TYPE (SkCertificatePassword, sk_certificate_password, GTK_TYPE_WINDOW)

enum {
  SUBMITTED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
get_password (SkCertificatePassword *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
}

static void
set_busy (SkCertificatePassword *self,
          gboolean               busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  /* Not insensitive: the field keeps the keyboard while the file is tried. */
  gtk_editable_set_editable (GTK_EDITABLE (self->password_entry), !busy);
  gtk_widget_set_sensitive (self->ok_button, !busy && get_password (self)[0] != '\0');
}

static void
password_changed (SkCertificatePassword *self)
{
  /* The explanation speaks of the password that was tried, not this one. */
  if (!self->busy)
    sk_field_show_problem (self->password_entry, self->message_label, NULL);
  gtk_widget_set_sensitive (self->ok_button, !self->busy && get_password (self)[0] != '\0');
}

static void
ok_clicked (SkCertificatePassword *self)
{
  if (self->busy || get_password (self)[0] == '\0')
    return;

  set_busy (self, TRUE);
  g_signal_emit (self, signals[SUBMITTED], 0, get_password (self));
}

/* Gone from the screen, and from its parent, before anyone hears of it:
 * a handler may destroy the parent, and GTK 4.8 would otherwise leave this
 * window pointing at it. */
static void
cancel (SkCertificatePassword *self)
{
  if (self->finished)
    return;

  self->finished = TRUE;
  g_object_ref (self);
  gtk_window_destroy (GTK_WINDOW (self));
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
  g_signal_emit (self, signals[CANCELLED], 0);
  g_object_unref (self);
}

static void
cancel_clicked (SkCertificatePassword *self)
{
  cancel (self);
}

static gboolean
escape_pressed (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  cancel (SK_CERTIFICATE_PASSWORD (widget));
  return TRUE;
}

static gboolean
sk_certificate_password_close_request (GtkWindow *window)
{
  cancel (SK_CERTIFICATE_PASSWORD (window));
  return TRUE;
}

static void
sk_certificate_password_dispose (GObject *object)
{
  SkCertificatePassword *self = SK_CERTIFICATE_PASSWORD (object);

  /* Closed by its caller once the password worked, or with its parent:
   * either way nothing more is to be heard from it.  What was typed goes
   * now rather than whenever the entry is finalized. */
  self->finished = TRUE;
  if (self->password_entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");

  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_CERTIFICATE_PASSWORD);

  G_OBJECT_CLASS (sk_certificate_password_parent_class)->dispose (object);
}

static void
sk_certificate_password_class_init (SkCertificatePasswordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sk_certificate_password_dispose;
  window_class->close_request = sk_certificate_password_close_request;

  signals[SUBMITTED] =
    g_signal_new ("submitted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[CANCELLED] =
    g_signal_new ("cancelled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-certificate-password.ui");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DIALOG);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatePassword, body_label);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatePassword, password_entry);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatePassword, message_label);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatePassword, spinner);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatePassword, ok_button);
  gtk_widget_class_bind_template_callback (widget_class, password_changed);
  gtk_widget_class_bind_template_callback (widget_class, ok_clicked);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_pressed, NULL);
}

static void
sk_certificate_password_init (SkCertificatePassword *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_window_set_focus (GTK_WINDOW (self), self->password_entry);
}

SkCertificatePassword *
sk_certificate_password_new (GtkWindow  *parent,
                             const char *file_name)
{
  SkCertificatePassword *self;
  g_autofree char *body = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (file_name != NULL, NULL);

  self = g_object_new (SK_TYPE_CERTIFICATE_PASSWORD,
                       "transient-for", parent,
                       NULL);

  body = g_strdup_printf (_("The file “%s” is protected with a password. You received it "
                            "together with the file, from your IT support or the "
                            "certification authority."),
                          file_name);
  gtk_label_set_text (self->body_label, body);

  return self;
}

void
sk_certificate_password_reject (SkCertificatePassword *self)
{
  g_return_if_fail (SK_IS_CERTIFICATE_PASSWORD (self));

  set_busy (self, FALSE);
  sk_field_show_problem (self->password_entry, self->message_label,
                         _("This password does not open the file. Check it and try again."));
  gtk_widget_grab_focus (self->password_entry);
  gtk_editable_select_region (GTK_EDITABLE (self->password_entry), 0, -1);
}
