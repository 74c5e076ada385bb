/* sk-microsoft-guide.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-oauth2-provider.h"

#include "sk-microsoft-guide.h"
#include "sk-widget-util.h"

/* Room kept above and below the part scrolled to. */
#define SCROLL_MARGIN 12

struct _SkMicrosoftGuide
{
  GtkWidget             parent_instance;

  GtkScrolledWindow    *scrolled;
  GtkWidget            *content;
  GtkWidget            *sign_in_card;
  GtkWidget            *sign_in_button;
  GtkLabel             *unavailable_label;
  GtkWidget            *approval_card;
  GtkLabel             *approval_message;
  GtkWidget            *smtp_card;
  GtkLabel             *smtp_message;

  SkAccount            *account;
  SkOAuth2Provider     *provider;    /* read once: the address changes often */
  SkMicrosoftGuidePart  highlighted;
};

G_DEFINE_FINAL_TYPE (SkMicrosoftGuide, sk_microsoft_guide, GTK_TYPE_WIDGET)

enum {
  SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
address (SkMicrosoftGuide *self)
{
  const char *username = self->account != NULL ? sk_account_get_username (self->account) : "";

  if (*username != '\0')
    return username;

  return self->account != NULL && *sk_account_get_email (self->account) != '\0'
         ? sk_account_get_email (self->account) : _("(your e-mail address)");
}

/* What IT support needs to act, in words they can forward as they are. */
static void
update_messages (SkMicrosoftGuide *self)
{
  const SkOAuth2Provider *provider = self->provider;
  g_autofree char *approval = NULL;
  g_autofree char *smtp = NULL;
  g_autofree char *client = NULL;

  if (provider != NULL && *provider->client_id != '\0')
    /* TRANSLATORS: %s is the program's client ID at Microsoft */
    client = g_strdup_printf (_("Application (client) ID: %s"), provider->client_id);

  /* TRANSLATORS: a message for IT support; %s is the person's address */
  approval = g_strdup_printf (_("Hello, please approve the mail program Skrzynka for our "
                                "Microsoft 365 organisation, so that I can use it with %s. In "
                                "the Microsoft Entra admin center: Enterprise applications, "
                                "Skrzynka, Permissions, Grant admin consent. It asks for IMAP "
                                "and POP access to the mailbox as the signed-in user "
                                "(IMAP.AccessAsUser.All, POP.AccessAsUser.All), sending mail "
                                "(SMTP.Send) and staying signed in (offline_access)."),
                              address (self));
  if (client != NULL)
    {
      g_autofree char *with_client = g_strconcat (approval, "\n", client, NULL);

      g_free (approval);
      approval = g_steal_pointer (&with_client);
    }
  gtk_label_set_text (self->approval_message, approval);

  /* TRANSLATORS: a message for IT support; both %s are the person's address */
  smtp = g_strdup_printf (_("Hello, please switch on Authenticated SMTP for the mailbox %s, "
                            "so that the mail program Skrzynka can send mail after signing in "
                            "with Microsoft. In the Microsoft 365 admin center: Users, Active "
                            "users, the user, Mail, Manage email apps, Authenticated SMTP. Or "
                            "in Exchange Online PowerShell: Set-CASMailbox -Identity %s "
                            "-SmtpClientAuthenticationDisabled $false"),
                          address (self), address (self));
  gtk_label_set_text (self->smtp_message, smtp);

  /* Never a button that cannot work: the sentence for IT support instead. */
  gtk_widget_set_visible (self->sign_in_button, provider != NULL && provider->problem == NULL);
  gtk_label_set_text (self->unavailable_label,
                      provider != NULL && provider->problem != NULL ? provider->problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->unavailable_label),
                          provider != NULL && provider->problem != NULL);
}

static void
copy_label (SkMicrosoftGuide *self,
            GtkLabel         *label)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          gtk_label_get_text (label));
}

static void
copy_approval (SkMicrosoftGuide *self)
{
  copy_label (self, self->approval_message);
}

static void
copy_smtp (SkMicrosoftGuide *self)
{
  copy_label (self, self->smtp_message);
}

static void
sign_in_clicked (SkMicrosoftGuide *self)
{
  g_signal_emit (self, signals[SIGN_IN], 0);
}

static GtkWidget *
card_of (SkMicrosoftGuide     *self,
         SkMicrosoftGuidePart  part)
{
  switch (part)
    {
    case SK_MICROSOFT_GUIDE_SIGN_IN:
      return self->sign_in_card;
    case SK_MICROSOFT_GUIDE_APPROVAL:
      return self->approval_card;
    case SK_MICROSOFT_GUIDE_SMTP_AUTH:
      return self->smtp_card;
    case SK_MICROSOFT_GUIDE_NONE:
    default:
      return NULL;
    }
}

void
sk_microsoft_guide_highlight (SkMicrosoftGuide     *self,
                              SkMicrosoftGuidePart  part)
{
  GtkWidget *card;
  graphene_rect_t bounds;

  g_return_if_fail (SK_IS_MICROSOFT_GUIDE (self));

  /* Marked for the eye and, in its description, for screen readers. */
  for (SkMicrosoftGuidePart i = SK_MICROSOFT_GUIDE_SIGN_IN; i <= SK_MICROSOFT_GUIDE_SMTP_AUTH; i++)
    {
      GtkWidget *each = card_of (self, i);

      sk_widget_set_css_class (each, "highlighted", i == part);
      if (i == part)
        gtk_accessible_update_property (GTK_ACCESSIBLE (each),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                        _("What to do now"),
                                        -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (each),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  self->highlighted = part;

  /* In view when the pane is already laid out; a pane being shown starts
   * at the top, where the short guide fits anyway. */
  card = card_of (self, part);
  if (card != NULL && gtk_widget_get_mapped (card)
      && gtk_widget_compute_bounds (card, gtk_widget_get_parent (self->content), &bounds))
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);
      double top = bounds.origin.y + gtk_adjustment_get_value (adjustment);

      gtk_adjustment_clamp_page (adjustment, top - SCROLL_MARGIN,
                                 top + bounds.size.height + SCROLL_MARGIN);
    }
}

SkMicrosoftGuidePart
sk_microsoft_guide_get_highlighted (SkMicrosoftGuide *self)
{
  g_return_val_if_fail (SK_IS_MICROSOFT_GUIDE (self), SK_MICROSOFT_GUIDE_NONE);

  return self->highlighted;
}

SkMicrosoftGuidePart
sk_microsoft_guide_part_for_code (const char *code)
{
  static const struct
  {
    const char           *code;
    SkMicrosoftGuidePart  part;
  } parts[] = {
    { "sign-in-required", SK_MICROSOFT_GUIDE_SIGN_IN },
    { "sign-in-denied", SK_MICROSOFT_GUIDE_SIGN_IN },
    { "token-rejected", SK_MICROSOFT_GUIDE_SIGN_IN },
    { "admin-approval-required", SK_MICROSOFT_GUIDE_APPROVAL },
    { "smtp-auth-disabled", SK_MICROSOFT_GUIDE_SMTP_AUTH },
  };

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (parts); i++)
    if (g_str_equal (code, parts[i].code))
      return parts[i].part;

  return SK_MICROSOFT_GUIDE_NONE;
}

void
sk_microsoft_guide_set_account (SkMicrosoftGuide *self,
                                SkAccount        *account)
{
  g_return_if_fail (SK_IS_MICROSOFT_GUIDE (self));
  g_return_if_fail (account == NULL || SK_IS_ACCOUNT (account));

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);

  if (account != NULL)
    {
      g_signal_connect_object (account, "notify::username", G_CALLBACK (update_messages), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (account, "notify::email", G_CALLBACK (update_messages), self,
                               G_CONNECT_SWAPPED);
    }
  update_messages (self);
}

static void
sk_microsoft_guide_dispose (GObject *object)
{
  SkMicrosoftGuide *self = SK_MICROSOFT_GUIDE (object);

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  g_clear_pointer (&self->provider, sk_oauth2_provider_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_MICROSOFT_GUIDE);

  G_OBJECT_CLASS (sk_microsoft_guide_parent_class)->dispose (object);
}

static void
sk_microsoft_guide_class_init (SkMicrosoftGuideClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_microsoft_guide_dispose;

  signals[SIGN_IN] =
    g_signal_new ("sign-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-microsoft-guide.ui");
  gtk_widget_class_bind_template_child (widget_class, SkMicrosoftGuide, scrolled);
  gtk_widget_class_bind_template_child (widget_class, SkMicrosoftGuide, content);
  gtk_widget_class_bind_template_child (widget_class, SkMicrosoftGuide, sign_in_card);
  gtk_widget_class_bind_template_child (widget_class, SkMicrosoftGuide, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SkMicrosoftGuide, unavailable_label);
  gtk_widget_class_bind_template_child (widget_class, SkMicrosoftGuide, approval_card);
  gtk_widget_class_bind_template_child (widget_class, SkMicrosoftGuide, approval_message);
  gtk_widget_class_bind_template_child (widget_class, SkMicrosoftGuide, smtp_card);
  gtk_widget_class_bind_template_child (widget_class, SkMicrosoftGuide, smtp_message);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked);
  gtk_widget_class_bind_template_callback (widget_class, copy_approval);
  gtk_widget_class_bind_template_callback (widget_class, copy_smtp);
}

static void
sk_microsoft_guide_init (SkMicrosoftGuide *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->provider = sk_oauth2_provider_find ("microsoft");
  update_messages (self);
}
