/* sk-general-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "core/sk-autodiscover.h"
#include "core/sk-format.h"
#include "core/sk-certificate-store.h"
#include "core/sk-detect.h"
#include "core/sk-oauth2-provider.h"

#include "sk-general-page.h"

/* How long the address must rest before its domain is looked up: no lookup
 * for every letter typed. */
#define DETECT_DELAY_MS 500

struct _SkGeneralPage
{
  GtkWidget            parent_instance;

  GtkEntry            *name_entry;
  GtkLabel            *name_message;
  GtkEntry            *full_name_entry;
  GtkLabel            *full_name_message;
  GtkEntry            *email_entry;
  GtkLabel            *email_message;
  GtkWidget           *offer_box;
  GtkImage            *offer_icon;
  GtkLabel            *offer_label;
  GtkWidget           *offer_button;
  GtkWidget           *looking_box;
  GtkSpinner          *looking_spinner;
  GtkLabel            *looking_label;
  GtkWidget           *found_box;
  GtkImage            *found_icon;
  GtkLabel            *found_source;
  GtkLabel            *found_changes;
  GtkWidget           *found_choice;
  GtkCheckButton      *found_imap;
  GtkCheckButton      *found_pop3;
  GtkLabel            *found_warning;
  GtkLabel            *found_notes;
  GtkWidget           *found_button;
  GtkButton           *found_sign_in_button;
  GtkCheckButton      *sign_check;
  GtkLabel            *sign_explanation;
  GtkEntry            *code_entry;
  GtkEntry            *user_name_entry;
  GtkButton           *add_button;
  GtkLabel            *add_message;
  GtkColumnView       *users_view;
  GtkColumnViewColumn *code_column;
  GtkColumnViewColumn *full_name_column;
  GtkColumnViewColumn *owner_column;
  GtkColumnViewColumn *default_column;
  GtkSingleSelection  *users_selection;
  GtkSortListModel    *users_sorted;
  GtkFilterListModel  *users_filtered;
  GtkLabel            *empty_label;
  GtkLabel            *users_message;
  GtkSearchEntry      *find_entry;
  GtkButton           *remove_button;
  GtkCheckButton      *inactive_check;

  SkAccount           *account;
  GPtrArray           *bindings;
  gboolean             showing_sign;    /* the box changes because the account did */

  guint                detect_id;
  GCancellable        *detect_cancellable;
  SkDetection         *detection;       /* the one on offer, or NULL */
  SkDiscovery         *discovery;       /* the settings on offer, or NULL */
  gboolean             google;          /* the address is Google's: its guide
                                         * and its own offer apply */
  /* The servers the last accepted offer put in: no choice of the person's,
   * so a later offer may replace them. */
  char                *filled_incoming;
  char                *filled_outgoing;
};

enum {
  DETECTED,
  SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void sk_general_page_iface_init (SkAccountPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkGeneralPage, sk_general_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SK_TYPE_ACCOUNT_PAGE,
                                                      sk_general_page_iface_init))

static GListStore *
get_users (SkGeneralPage *self)
{
  return self->account != NULL ? sk_account_get_users (self->account) : NULL;
}

/* Codes compare as validation compares them: "ab " and "AB" are the same
 * person to whoever picks one from a list. */
static char *
code_key (const char *code)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (code != NULL ? code : ""));
  g_autofree char *normalized = g_utf8_normalize (trimmed, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : trimmed, -1);
}

static gboolean
has_user_with_code (SkGeneralPage *self,
                    const char    *code)
{
  GListModel *users = G_LIST_MODEL (get_users (self));
  g_autofree char *wanted = code_key (code);
  guint n = g_list_model_get_n_items (users);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkAccountUser) user = g_list_model_get_item (users, i);
      g_autofree char *other = code_key (sk_account_user_get_code (user));

      if (g_strcmp0 (wanted, other) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
update_empty_state (SkGeneralPage *self)
{
  GListStore *users = get_users (self);
  guint n_users = users != NULL ? g_list_model_get_n_items (G_LIST_MODEL (users)) : 0;
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->users_filtered));

  if (n_users == 0)
    gtk_label_set_text (self->empty_label,
                        _("No users yet. Everyone can use this account until you add someone."));
  else if (n_shown == 0)
    gtk_label_set_text (self->empty_label, _("No user matches what you are looking for."));

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), n_shown == 0);
}

static void
selection_changed (SkGeneralPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button),
                            gtk_single_selection_get_selected_item (self->users_selection) != NULL);
}

static void
new_user_changed (SkGeneralPage *self)
{
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_entry))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->account != NULL && code[0] != '\0');
  sk_field_show_problem (GTK_WIDGET (self->code_entry), self->add_message, NULL);
}

static void
add_user (SkGeneralPage *self)
{
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_entry))));
  g_autofree char *full_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_name_entry))));
  g_autoptr(SkAccountUser) user = NULL;

  if (self->account == NULL || code[0] == '\0')
    return;

  if (has_user_with_code (self, code))
    {
      g_autofree char *message =
        g_strdup_printf (_("There is already a user with the code “%s”. Choose another code."), code);

      sk_field_show_problem (GTK_WIDGET (self->code_entry), self->add_message, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
      return;
    }

  user = sk_account_user_new (code, full_name, FALSE, FALSE);
  g_list_store_append (get_users (self), user);

  /* Ready for the next person. */
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_name_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
remove_user (SkGeneralPage *self)
{
  SkAccountUser *user = gtk_single_selection_get_selected_item (self->users_selection);
  guint position;

  if (user == NULL || !g_list_store_find (get_users (self), user, &position))
    return;

  g_list_store_remove (get_users (self), position);
}

/* At most one user is the default: ticking one unticks the others.  Only a
 * change does this, so an account that arrives with two defaults keeps them
 * and validation explains the problem. */
static void
user_is_default_changed (SkGeneralPage *self,
                         GParamSpec    *pspec,
                         SkAccountUser *changed)
{
  GListStore *users = get_users (self);
  guint n;

  if (!sk_account_user_get_is_default (changed) ||
      users == NULL || !g_list_store_find (users, changed, NULL))
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (users));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkAccountUser) user = g_list_model_get_item (G_LIST_MODEL (users), i);

      if (user != changed)
        sk_account_user_set_is_default (user, FALSE);
    }
}

static void
users_items_changed (SkGeneralPage *self,
                     guint          position,
                     guint          removed,
                     guint          added,
                     GListModel    *users)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SkAccountUser) user = g_list_model_get_item (users, i);

      g_signal_connect_object (user, "notify::is-default",
                               G_CALLBACK (user_is_default_changed), self,
                               G_CONNECT_SWAPPED);
    }

  update_empty_state (self);
}

/* Detecting the servers from the address */

static gboolean
is_blank (const char *text)
{
  return text == NULL || text[0] == '\0';
}

static const char *
found_host (const SkServer *server)
{
  return server != NULL ? server->host : NULL;
}

static const char *
incoming_guess (SkGeneralPage *self,
                SkDetection   *detection)
{
  if (sk_account_get_account_type (self->account) == SK_ACCOUNT_TYPE_POP3)
    return found_host (detection->pop3);

  return found_host (detection->imap);
}

static gboolean
same_host (const char *a,
           const char *b)
{
  return a != NULL && b != NULL && g_ascii_strcasecmp (a, b) == 0;
}

/* Servers the person typed are theirs: only empty ones, or the ones an
 * earlier offer filled in, are offered to be replaced. */
static gboolean
servers_open_to_offers (SkGeneralPage *self)
{
  const char *incoming = sk_account_get_incoming_host (self->account);
  const char *outgoing = sk_account_get_outgoing_host (self->account);

  if (is_blank (incoming) && is_blank (outgoing))
    return TRUE;

  return self->filled_incoming != NULL &&
         g_strcmp0 (incoming, self->filled_incoming) == 0 &&
         g_strcmp0 (outgoing, self->filled_outgoing) == 0;
}

static gboolean
may_offer (SkGeneralPage *self,
           SkDetection   *detection)
{
  const char *incoming = sk_account_get_incoming_host (self->account);
  const char *outgoing = sk_account_get_outgoing_host (self->account);
  const char *guess = incoming_guess (self, detection);
  const char *smtp = found_host (detection->smtp);

  if (detection->source == SK_DETECT_SOURCE_NONE ||
      (guess == NULL && smtp == NULL))
    return FALSE;

  /* Nothing would change. */
  if (same_host (incoming, guess) && same_host (outgoing, smtp))
    return FALSE;

  return servers_open_to_offers (self);
}

static char *
describe_offer (SkDetection *detection,
                const char  *email)
{
  const char *provider = detection->provider;
  const char *domain = strrchr (email, '@');

  if (provider == NULL && detection->source == SK_DETECT_SOURCE_GMAIL)
    provider = "Gmail";
  else if (provider == NULL && detection->source == SK_DETECT_SOURCE_WORKSPACE)
    provider = "Google Workspace";

  if (provider != NULL)
    /* TRANSLATORS: %s is a mail provider: "Gmail", "Google Workspace", "Onet"… */
    return g_strdup_printf (_("Skrzynka knows the server settings for %s addresses. "
                              "Fill them in?"),
                            provider);

  /* TRANSLATORS: %s is the part of the address after "@" */
  return g_strdup_printf (_("The domain %s names its mail servers. Fill them in?"),
                          domain != NULL ? domain + 1 : email);
}

static void
hide_offer (SkGeneralPage *self)
{
  g_clear_pointer (&self->detection, sk_detection_free);
  gtk_widget_set_visible (self->offer_box, FALSE);
}

static void
show_offer (SkGeneralPage *self)
{
  g_autofree char *text = describe_offer (self->detection, sk_account_get_email (self->account));

  gtk_image_set_from_icon_name (self->offer_icon, "dialog-information-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->offer_icon), "success-icon");
  gtk_label_set_text (self->offer_label, text);
  gtk_widget_set_visible (self->offer_button, TRUE);
  gtk_widget_set_visible (self->offer_box, TRUE);
}

static void
offer_accepted (SkGeneralPage *self)
{
  g_autofree char *sentence = NULL;
  gboolean had_focus;

  g_return_if_fail (self->detection != NULL);

  sentence = sk_detection_apply (self->detection, self->account);
  g_clear_pointer (&self->detection, sk_detection_free);

  g_free (self->filled_incoming);
  g_free (self->filled_outgoing);
  self->filled_incoming = g_strdup (sk_account_get_incoming_host (self->account));
  self->filled_outgoing = g_strdup (sk_account_get_outgoing_host (self->account));

  /* The button goes; the keyboard stays with the address rather than
   * falling to the start of the window. */
  had_focus = gtk_widget_has_focus (self->offer_button);
  gtk_image_set_from_icon_name (self->offer_icon, "object-select-symbolic");
  gtk_widget_add_css_class (GTK_WIDGET (self->offer_icon), "success-icon");
  gtk_label_set_text (self->offer_label,
                      sentence != NULL ? sentence : _("The servers were already filled in."));
  gtk_widget_set_visible (self->offer_button, FALSE);
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->email_entry));
}

/* Settings found in the ranked sources (DESIGN.md "Finding the settings
 * for any address") */

static gboolean
oauth2_known (const char *host,
              gpointer    user_data)
{
  g_autoptr(SkOAuth2Provider) provider = sk_oauth2_provider_find_for_host (host);

  return provider != NULL;
}

/* domain NULL: nothing is being looked for. */
static void
show_looking (SkGeneralPage *self,
              const char    *domain)
{
  g_autofree char *text = NULL;

  if (domain != NULL)
    {
      /* TRANSLATORS: %s is the part of the address after "@" */
      text = g_strdup_printf (_("Looking for the settings of %s…"), domain);
      gtk_label_set_text (self->looking_label, text);
    }
  gtk_spinner_set_spinning (self->looking_spinner, domain != NULL);
  gtk_widget_set_visible (self->looking_box, domain != NULL);
}

static void
hide_found (SkGeneralPage *self)
{
  g_clear_pointer (&self->discovery, sk_discovery_free);
  gtk_widget_set_visible (self->found_box, FALSE);
}

/* The incoming alternative chosen: the best one of the protocol picked
 * when both were found, else the best one. */
static const SkFoundServer *
chosen_incoming (SkGeneralPage *self)
{
  GPtrArray *incoming = self->discovery->settings->incoming;
  SkProtocol wanted = gtk_check_button_get_active (self->found_pop3)
                      ? SK_PROTOCOL_POP3 : SK_PROTOCOL_IMAP;

  for (guint i = 0; gtk_widget_get_visible (self->found_choice) && i < incoming->len; i++)
    {
      const SkFoundServer *found = g_ptr_array_index (incoming, i);

      if (found->server->protocol == wanted)
        return found;
    }

  return incoming->len > 0 ? g_ptr_array_index (incoming, 0) : NULL;
}

static const SkFoundServer *
chosen_outgoing (SkGeneralPage *self)
{
  GPtrArray *outgoing = self->discovery->settings->outgoing;

  return outgoing->len > 0 ? g_ptr_array_index (outgoing, 0) : NULL;
}

static gboolean
has_protocol (GPtrArray  *servers,
              SkProtocol  protocol)
{
  for (guint i = 0; i < servers->len; i++)
    {
      const SkFoundServer *found = g_ptr_array_index (servers, i);

      if (found->server->protocol == protocol)
        return TRUE;
    }

  return FALSE;
}

/* "IMAP imap.wp.pl:993 SSL/TLS, SMTP smtp.wp.pl:465 SSL/TLS, user name: jan" */
static char *
describe_changes (const SkFoundServer *incoming,
                  const SkFoundServer *outgoing)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const SkFoundServer *sides[] = { incoming, outgoing };
  const char *username = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      g_autofree char *server = NULL;

      if (sides[i] == NULL)
        continue;
      server = sk_format_server (sides[i]->server);
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, server);
      if (username == NULL)
        username = sides[i]->server->username;
    }

  if (username != NULL)
    /* TRANSLATORS: the servers, then the user name: "IMAP imap.wp.pl:993
     * SSL/TLS, SMTP smtp.wp.pl:465 SSL/TLS, user name: jan" */
    return g_strdup_printf (_("%s, user name: %s"), text->str, username);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
source_sentence (const char *source)
{
  if (g_str_equal (source, "local"))
    /* TRANSLATORS: %s is the domain, "firma.pl", or "firma.pl (Firma)" */
    return _("Settings for %s from IT support’s settings file");
  if (g_str_equal (source, "builtin") || g_str_equal (source, "gmail")
      || g_str_equal (source, "workspace"))
    return _("Settings for %s built into Skrzynka");
  if (g_str_equal (source, "autoconfig") || g_str_equal (source, "well-known"))
    return _("Settings for %s from the provider’s autoconfiguration");
  if (g_str_equal (source, "ispdb"))
    return _("Settings for %s from the Thunderbird ISP database");
  if (g_str_equal (source, "mx"))
    return _("Settings for %s from the provider of its mail server");
  if (g_str_equal (source, "srv"))
    return _("Settings for %s from the domain’s DNS records");
  if (g_str_equal (source, "guess"))
    return _("Settings for %s found by trying the usual server names");

  return _("Settings found for %s");
}

/* The provider a found server signs in with, or NULL when it takes a
 * password. */
static SkOAuth2Provider *
sign_in_provider (const SkFoundServer *incoming,
                  const SkFoundServer *outgoing)
{
  const SkFoundServer *oauth2 = incoming != NULL && incoming->login == SK_LOGIN_OAUTH2
                                ? incoming : outgoing;

  if (oauth2 == NULL || oauth2->login != SK_LOGIN_OAUTH2)
    return NULL;

  /* The parser took OAuth2 only for a host a provider serves. */
  return sk_oauth2_provider_find_for_host (oauth2->server->host);
}

static char *
describe_sign_in (const SkFoundServer *incoming,
                  const SkFoundServer *outgoing)
{
  g_autoptr(SkOAuth2Provider) provider = sign_in_provider (incoming, outgoing);

  if (provider == NULL)
    return NULL;

  /* TRANSLATORS: %s is a provider: "This account signs in with Microsoft" */
  return g_strdup_printf (_("This account signs in with %s in your web browser, not with a "
                            "password kept here."),
                          provider->name);
}

static gboolean
is_unencrypted (const SkFoundServer *found)
{
  return found != NULL && found->server->security == SK_SECURITY_NONE;
}

static void
update_found (SkGeneralPage *self)
{
  const SkFoundServer *incoming = chosen_incoming (self);
  const SkFoundServer *outgoing = chosen_outgoing (self);
  g_autofree char *changes = describe_changes (incoming, outgoing);
  g_autofree char *sign_in = describe_sign_in (incoming, outgoing);
  g_autofree char *text = NULL;

  /* TRANSLATORS: what "Use these settings" puts on tab 2 */
  text = g_strdup_printf (_("Tab 2 would get: %s."), changes);
  gtk_label_set_text (self->found_changes, text);

  if (sign_in != NULL)
    gtk_label_set_text (self->found_warning, sign_in);
  else if (is_unencrypted (incoming) || is_unencrypted (outgoing))
    gtk_label_set_text (self->found_warning,
                        _("These settings send the password unencrypted: anyone on the "
                          "way can read it. Ask your provider or IT support for "
                          "encrypted ones."));
  gtk_widget_set_visible (GTK_WIDGET (self->found_warning),
                          sign_in != NULL || is_unencrypted (incoming)
                          || is_unencrypted (outgoing));
  gtk_widget_set_visible (self->found_button, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->found_sign_in_button), FALSE);
}

static void
found_choice_changed (SkGeneralPage *self)
{
  if (self->discovery != NULL)
    update_found (self);
}

static void
show_found (SkGeneralPage *self)
{
  const SkAutoconfig *settings = self->discovery->settings;
  const char *provider = settings->display_name;
  g_autofree char *where = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GString) notes = NULL;

  if (provider != NULL && g_ascii_strcasecmp (provider, self->discovery->domain) != 0)
    where = g_strdup_printf ("%s (%s)", self->discovery->domain, provider);
  else
    where = g_strdup (self->discovery->domain);
  title = g_strdup_printf (source_sentence (self->discovery->source), where);
  gtk_label_set_text (self->found_source, title);

  gtk_widget_set_visible (self->found_choice,
                          has_protocol (settings->incoming, SK_PROTOCOL_IMAP)
                          && has_protocol (settings->incoming, SK_PROTOCOL_POP3));
  gtk_check_button_set_active (self->found_imap, TRUE);

  notes = g_string_new (NULL);
  for (guint i = 0; i < settings->notes->len; i++)
    g_string_append_printf (notes, "%s%s", i > 0 ? "\n" : "",
                            (const char *) g_ptr_array_index (settings->notes, i));
  gtk_label_set_text (self->found_notes, notes->str);
  gtk_widget_set_visible (GTK_WIDGET (self->found_notes), notes->len > 0);

  gtk_image_set_from_icon_name (self->found_icon, "dialog-information-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->found_icon), "success-icon");
  update_found (self);
  gtk_widget_set_visible (self->found_box, TRUE);
}

/* A found server, as tab 2 takes it: the person's password and choices of
 * method are not the file's to make. */
static SkServer *
server_to_fill (const SkFoundServer *found)
{
  SkServer *server = sk_server_copy (found->server);
  g_autoptr(SkOAuth2Provider) provider = sign_in_provider (found, NULL);

  server->auth_method = provider != NULL ? SK_AUTH_METHOD_OAUTH2 : SK_AUTH_METHOD_AUTO;
  g_free (server->oauth2_provider);
  server->oauth2_provider = provider != NULL ? g_strdup (provider->id) : NULL;
  server->plain_confirmed = FALSE;
  g_free (server->pinned_sha256);
  server->pinned_sha256 = g_strdup ("");
  g_clear_pointer (&server->password, g_free);

  return server;
}

static void
found_accepted (SkGeneralPage *self)
{
  const SkFoundServer *incoming;
  const SkFoundServer *outgoing;
  g_autoptr(SkOAuth2Provider) provider = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *text = NULL;
  gboolean had_focus;

  g_return_if_fail (self->discovery != NULL);

  incoming = chosen_incoming (self);
  outgoing = chosen_outgoing (self);
  changes = describe_changes (incoming, outgoing);
  provider = sign_in_provider (incoming, outgoing);
  if (incoming != NULL)
    {
      g_autoptr(SkServer) server = server_to_fill (incoming);

      sk_account_set_server (self->account, SK_TEST_SIDE_INCOMING, server);
    }
  if (outgoing != NULL)
    {
      g_autoptr(SkServer) server = server_to_fill (outgoing);

      sk_account_set_server (self->account, SK_TEST_SIDE_OUTGOING, server);
    }
  g_clear_pointer (&self->discovery, sk_discovery_free);

  g_free (self->filled_incoming);
  g_free (self->filled_outgoing);
  self->filled_incoming = g_strdup (sk_account_get_incoming_host (self->account));
  self->filled_outgoing = g_strdup (sk_account_get_outgoing_host (self->account));

  /* The button goes; the keyboard stays with the address. */
  had_focus = gtk_widget_has_focus (self->found_button);
  /* TRANSLATORS: what "Use these settings" put on tab 2 */
  text = g_strdup_printf (_("Filled in on tab 2: %s."), changes);
  gtk_label_set_text (self->found_changes, text);
  gtk_image_set_from_icon_name (self->found_icon, "object-select-symbolic");
  gtk_widget_add_css_class (GTK_WIDGET (self->found_icon), "success-icon");
  gtk_widget_set_visible (self->found_choice, FALSE);
  gtk_widget_set_visible (self->found_button, FALSE);

  /* A sign-in this copy cannot do says so for IT support, never with a
   * button that would not work. */
  if (provider != NULL && provider->problem != NULL)
    {
      gtk_label_set_text (self->found_warning, provider->problem);
      gtk_widget_set_visible (GTK_WIDGET (self->found_warning), TRUE);
    }
  /* What comes next for a sign-in is signing in: the button is here. */
  else if (provider != NULL)
    {
      g_autofree char *label = NULL;

      /* TRANSLATORS: %s is the provider, "Microsoft" or "Google" */
      label = g_strdup_printf (_("Sign in _with %s"), provider->name);
      gtk_button_set_label (self->found_sign_in_button, label);
      gtk_widget_set_visible (GTK_WIDGET (self->found_sign_in_button), TRUE);
      if (had_focus)
        gtk_widget_grab_focus (GTK_WIDGET (self->found_sign_in_button));
      return;
    }

  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->email_entry));
}

static void
found_sign_in (SkGeneralPage *self)
{
  g_signal_emit (self, signals[SIGN_IN], 0);
}

/* Like may_offer(): servers the person typed are theirs. */
static gboolean
may_offer_found (SkGeneralPage      *self,
                 const SkAutoconfig *settings)
{
  const char *incoming = sk_account_get_incoming_host (self->account);
  const char *outgoing = sk_account_get_outgoing_host (self->account);
  const SkFoundServer *best_in = settings->incoming->len > 0
                                 ? g_ptr_array_index (settings->incoming, 0) : NULL;
  const SkFoundServer *best_out = settings->outgoing->len > 0
                                  ? g_ptr_array_index (settings->outgoing, 0) : NULL;

  if (best_in == NULL && best_out == NULL)
    return FALSE;

  if (same_host (incoming, best_in != NULL ? best_in->server->host : NULL)
      && same_host (outgoing, best_out != NULL ? best_out->server->host : NULL))
    return FALSE;

  return servers_open_to_offers (self);
}

static void
discovered (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SkGeneralPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkDiscovery) discovery = sk_discover_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->account == NULL)
    return;

  show_looking (self, NULL);
  if (discovery == NULL)
    {
      g_debug ("No settings found: %s", error->message);
      return;
    }

  /* Nothing found, nothing to say. */
  if (discovery->settings == NULL || self->google
      || !may_offer_found (self, discovery->settings))
    return;

  self->discovery = g_steal_pointer (&discovery);
  show_found (self);
}

static void
discover (SkGeneralPage *self,
          const char    *email)
{
  g_autofree char *domain = NULL;
  SkDiscoverOptions options = { NULL, };

  if (!sk_address_split (email, NULL, &domain))
    return;

  options.oauth2_known = oauth2_known;
  show_looking (self, domain);
  sk_discover_async (email, &options, self->detect_cancellable, discovered,
                     g_object_ref (self));
}

static void
detected (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SkGeneralPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkDetection) detection = sk_detect_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->account == NULL)
    return;

  /* An address that is not complete yet has nothing to find. */
  if (detection == NULL)
    {
      g_debug ("No servers detected: %s", error->message);
      return;
    }

  g_signal_emit (self, signals[DETECTED], 0, detection);

  /* Other addresses get the settings found in every source instead. */
  self->google = detection->google;
  if (!self->google || !may_offer (self, detection))
    return;

  hide_found (self);
  self->detection = g_steal_pointer (&detection);
  show_offer (self);
}

static gboolean
detect_now (gpointer user_data)
{
  SkGeneralPage *self = user_data;
  const char *email = sk_account_get_email (self->account);

  self->detect_id = 0;

  if (!sk_email_is_valid (email))
    return G_SOURCE_REMOVE;

  self->detect_cancellable = g_cancellable_new ();
  sk_detect_async (email, self->detect_cancellable, detected, g_object_ref (self));
  /* Servers the person set stay (a saved account's among them): nothing
   * found could be offered in their place, so no source is asked and no
   * server is tried. */
  if (servers_open_to_offers (self))
    discover (self, email);

  return G_SOURCE_REMOVE;
}

static void
stop_detecting (SkGeneralPage *self)
{
  show_looking (self, NULL);
  g_clear_handle_id (&self->detect_id, g_source_remove);
  if (self->detect_cancellable != NULL)
    {
      g_cancellable_cancel (self->detect_cancellable);
      g_clear_object (&self->detect_cancellable);
    }
}

/* Signing */

/* The box shows whether messages are signed now: off, and why, while the
 * default certificate cannot sign for this address.  The saved setting is
 * left alone meanwhile, so that renewing an expired certificate brings
 * signing back as the person had it. */
static void
update_sign (SkGeneralPage *self)
{
  g_autoptr(SkCertificate) signer = NULL;
  g_autofree char *why_not = NULL;
  g_autofree char *explanation = NULL;
  gboolean usable;

  signer = sk_account_find_signer (self->account, &why_not, NULL);
  usable = signer != NULL;

  self->showing_sign = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_check), usable);
  gtk_check_button_set_active (self->sign_check, usable && sk_account_get_sign (self->account));
  self->showing_sign = FALSE;

  if (usable)
    /* TRANSLATORS: %s is whose certificate it is, "Jan Kowalski" */
    explanation = g_strdup_printf (_("Signs with the default certificate from tab 3, issued to %s."),
                                   sk_certificate_get_display_name (signer));
  else if (sk_account_get_sign (self->account))
    /* TRANSLATORS: the first %s says why the certificate cannot sign */
    explanation = g_strdup_printf (_("%s Until then, messages are sent without a signature."), why_not);
  else
    explanation = g_steal_pointer (&why_not);

  gtk_label_set_text (self->sign_explanation, explanation);
}

static void
sign_toggled (SkGeneralPage *self)
{
  if (self->showing_sign || self->account == NULL)
    return;

  sk_account_set_sign (self->account, gtk_check_button_get_active (self->sign_check));
}

static void
email_changed (SkGeneralPage *self)
{
  update_sign (self);
  stop_detecting (self);
  hide_offer (self);
  hide_found (self);
  self->google = FALSE;
  self->detect_id = g_timeout_add (DETECT_DELAY_MS, detect_now, self);
}

static void
disconnect_account (SkGeneralPage *self)
{
  GListModel *users;
  guint n;

  stop_detecting (self);
  hide_offer (self);
  hide_found (self);
  self->google = FALSE;
  g_clear_pointer (&self->filled_incoming, g_free);
  g_clear_pointer (&self->filled_outgoing, g_free);

  if (self->account == NULL)
    return;

  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);

  users = G_LIST_MODEL (get_users (self));
  n = g_list_model_get_n_items (users);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkAccountUser) user = g_list_model_get_item (users, i);

      g_signal_handlers_disconnect_by_data (user, self);
    }
  g_signal_handlers_disconnect_by_data (users, self);
  g_signal_handlers_disconnect_by_data (self->account, self);

  gtk_filter_list_model_set_model (self->users_filtered, NULL);
  g_clear_object (&self->account);
}

static void
bind (SkGeneralPage *self,
      const char    *property,
      gpointer       target,
      const char    *target_property)
{
  g_ptr_array_add (self->bindings,
                   g_object_bind_property (self->account, property, target, target_property,
                                           G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE));
}

static void
sk_general_page_set_account (SkAccountPage *page,
                             SkAccount     *account)
{
  SkGeneralPage *self = SK_GENERAL_PAGE (page);
  GListModel *users;

  disconnect_account (self);
  self->account = g_object_ref (account);

  bind (self, "name", self->name_entry, "text");
  bind (self, "full-name", self->full_name_entry, "text");
  bind (self, "email", self->email_entry, "text");
  bind (self, "inactive", self->inactive_check, "active");

  users = G_LIST_MODEL (get_users (self));
  g_signal_connect_object (users, "items-changed",
                           G_CALLBACK (users_items_changed), self,
                           G_CONNECT_SWAPPED);
  users_items_changed (self, 0, 0, g_list_model_get_n_items (users), users);
  gtk_filter_list_model_set_model (self->users_filtered, users);

  gtk_editable_set_text (GTK_EDITABLE (self->find_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_name_entry), "");
  new_user_changed (self);
  update_empty_state (self);

  g_signal_connect_object (account, "notify::email",
                           G_CALLBACK (email_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::sign",
                           G_CALLBACK (update_sign), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::certificates",
                           G_CALLBACK (update_sign), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::default-certificate",
                           G_CALLBACK (update_sign), self, G_CONNECT_SWAPPED);
  update_sign (self);
  /* What is known of a saved address (is it Google's?) counts at once. */
  detect_now (self);
}

static gboolean
sk_general_page_show_problems (SkAccountPage *page,
                               GPtrArray     *problems)
{
  SkGeneralPage *self = SK_GENERAL_PAGE (page);
  gboolean ok = TRUE;

  ok &= sk_field_show_problem (GTK_WIDGET (self->name_entry), self->name_message,
                               sk_problems_find (problems, SK_FIELD_NAME));
  ok &= sk_field_show_problem (GTK_WIDGET (self->full_name_entry), self->full_name_message,
                               sk_problems_find (problems, SK_FIELD_FULL_NAME));
  ok &= sk_field_show_problem (GTK_WIDGET (self->email_entry), self->email_message,
                               sk_problems_find (problems, SK_FIELD_EMAIL));
  ok &= sk_field_show_problem (GTK_WIDGET (self->users_view), self->users_message,
                               sk_problems_find (problems, SK_FIELD_USERS));

  return ok;
}

static void
sk_general_page_iface_init (SkAccountPageInterface *iface)
{
  iface->set_account = sk_general_page_set_account;
  iface->show_problems = sk_general_page_show_problems;
}

/* Table cells: labels follow the user; check boxes edit it. */

static void
setup_label_cell (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
setup_check_cell (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  const char               *accessible_label)
{
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(accessible_label),
                                  -1);
  gtk_list_item_set_child (list_item, check);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           const char               *property)
{
  GtkWidget *child = gtk_list_item_get_child (list_item);
  SkAccountUser *user = gtk_list_item_get_item (list_item);
  GBinding *binding;

  if (GTK_IS_LABEL (child))
    binding = g_object_bind_property (user, property, child, "label", G_BINDING_SYNC_CREATE);
  else
    binding = g_object_bind_property (user, property, child, "active",
                                      G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_object_set_data (G_OBJECT (list_item), "sk-binding", binding);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GBinding *binding = g_object_steal_data (G_OBJECT (list_item), "sk-binding");

  if (binding != NULL)
    g_binding_unbind (binding);
}

static void
set_column_factory (GtkColumnViewColumn *column,
                    const char          *property,
                    const char          *accessible_label)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  if (accessible_label != NULL)
    g_signal_connect (factory, "setup", G_CALLBACK (setup_check_cell), (gpointer) accessible_label);
  else
    g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) property);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), NULL);

  gtk_column_view_column_set_factory (column, factory);
}

static void
sk_general_page_dispose (GObject *object)
{
  SkGeneralPage *self = SK_GENERAL_PAGE (object);
  GtkWidget *child;

  disconnect_account (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_GENERAL_PAGE);
  /* The template's top widget has no name, so nothing above removed it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sk_general_page_parent_class)->dispose (object);
}

static void
sk_general_page_finalize (GObject *object)
{
  SkGeneralPage *self = SK_GENERAL_PAGE (object);

  g_ptr_array_unref (self->bindings);

  G_OBJECT_CLASS (sk_general_page_parent_class)->finalize (object);
}

static void
sk_general_page_class_init (SkGeneralPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_general_page_dispose;
  object_class->finalize = sk_general_page_finalize;

  /* The template's sorter and filters look up SkAccountUser properties. */
  g_type_ensure (SK_TYPE_ACCOUNT_USER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-general-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, name_message);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, full_name_entry);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, full_name_message);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, email_entry);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, email_message);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, offer_box);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, offer_icon);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, offer_label);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, offer_button);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, looking_box);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, looking_spinner);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, looking_label);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_box);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_icon);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_source);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_changes);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_choice);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_imap);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_pop3);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_warning);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_notes);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_button);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, found_sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, sign_check);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, sign_explanation);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, code_entry);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, user_name_entry);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, add_message);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, users_view);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, code_column);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, full_name_column);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, owner_column);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, default_column);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, users_selection);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, users_sorted);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, users_filtered);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, users_message);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, find_entry);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, remove_button);
  gtk_widget_class_bind_template_child (widget_class, SkGeneralPage, inactive_check);

  gtk_widget_class_bind_template_callback (widget_class, new_user_changed);
  gtk_widget_class_bind_template_callback (widget_class, add_user);
  gtk_widget_class_bind_template_callback (widget_class, remove_user);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, update_empty_state);
  gtk_widget_class_bind_template_callback (widget_class, offer_accepted);
  gtk_widget_class_bind_template_callback (widget_class, found_accepted);
  gtk_widget_class_bind_template_callback (widget_class, found_sign_in);
  gtk_widget_class_bind_template_callback (widget_class, found_choice_changed);
  gtk_widget_class_bind_template_callback (widget_class, sign_toggled);

  signals[DETECTED] =
    g_signal_new ("detected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /* "Sign in with …" after settings that sign in were filled in. */
  signals[SIGN_IN] =
    g_signal_new ("sign-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
sk_general_page_init (SkGeneralPage *self)
{
  self->bindings = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  set_column_factory (self->code_column, "code", NULL);
  set_column_factory (self->full_name_column, "full-name", NULL);
  set_column_factory (self->owner_column, "owner", N_("Owner"));
  set_column_factory (self->default_column, "is-default", N_("Default"));

  gtk_sort_list_model_set_sorter (self->users_sorted, gtk_column_view_get_sorter (self->users_view));
  gtk_column_view_sort_by_column (self->users_view, self->code_column, GTK_SORT_ASCENDING);

  update_empty_state (self);
}

GtkWidget *
sk_general_page_new (void)
{
  return g_object_new (SK_TYPE_GENERAL_PAGE, NULL);
}
