/* sk-certificates-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka"

#include "config.h"

#include "sk-certificates-page.h"

/* Certificates are not part of the account yet: the page explains what they
 * are for and shows the list only once there is something to list. */
struct _SkCertificatesPage
{
  GtkWidget parent_instance;
};

static void sk_certificates_page_iface_init (SkAccountPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkCertificatesPage, sk_certificates_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SK_TYPE_ACCOUNT_PAGE,
                                                      sk_certificates_page_iface_init))

static void
sk_certificates_page_set_account (SkAccountPage *page,
                                  SkAccount     *account)
{
  /* No account setting lives on this page yet. */
}

static gboolean
sk_certificates_page_validate (SkAccountPage *page,
                               GPtrArray     *problems)
{
  return TRUE;
}

static void
sk_certificates_page_iface_init (SkAccountPageInterface *iface)
{
  iface->set_account = sk_certificates_page_set_account;
  iface->validate = sk_certificates_page_validate;
}

static void
sk_certificates_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), SK_TYPE_CERTIFICATES_PAGE);
  /* The template's top widget has no name, so nothing above removed it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sk_certificates_page_parent_class)->dispose (object);
}

static void
sk_certificates_page_class_init (SkCertificatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_certificates_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-certificates-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sk_certificates_page_init (SkCertificatesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sk_certificates_page_new (void)
{
  return g_object_new (SK_TYPE_CERTIFICATES_PAGE, NULL);
}
