/* sk-servers-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "core/sk-diagnosis.h"
#include "core/sk-oauth2-provider.h"

#include "sk-servers-page.h"

struct _SkServersPage
{
  GtkWidget          parent_instance;

  /* Bound so that disposing the template unparents it. */
  GtkWidget         *content;
  GtkWidget         *fill_in_box;
  GtkWidget         *fill_in_result;
  GtkLabel          *fill_in_message;
  GtkToggleButton   *pop3_button;
  GtkToggleButton   *imap_button;
  GtkEntry          *incoming_host_entry;
  GtkLabel          *incoming_host_message;
  GtkEntry          *outgoing_host_entry;
  GtkLabel          *outgoing_host_message;
  GtkWidget         *pop3_options;
  GtkCheckButton    *leave_copy_check;
  GtkCheckButton    *delete_with_deleted_check;
  GtkEntry          *username_entry;
  GtkLabel          *username_message;
  GtkWidget         *password_label;
  GtkPasswordEntry  *password_entry;
  GtkLabel          *password_message;
  GtkWidget         *password_hint;
  GtkLabel          *password_hint_label;
  GtkWidget         *sign_in_label;
  SkSignInRow       *sign_in_row;

  GtkExpander       *advanced_expander;
  GtkWidget         *advanced_warning;
  GtkSpinButton     *timeout_spin;
  GtkLabel          *timeout_message;
  GtkEntry          *incoming_port_entry;
  GtkLabel          *incoming_port_message;
  GtkDropDown       *incoming_security_dropdown;
  GtkWidget         *incoming_plain_warning;
  GtkCheckButton    *incoming_plain_confirmed_check;
  GtkLabel          *incoming_security_message;
  GtkDropDown       *incoming_auth_dropdown;
  GtkStringList     *auth_methods;
  GtkEntry          *outgoing_port_entry;
  GtkLabel          *outgoing_port_message;
  GtkDropDown       *outgoing_security_dropdown;
  GtkWidget         *outgoing_plain_warning;
  GtkCheckButton    *outgoing_plain_confirmed_check;
  GtkLabel          *outgoing_security_message;
  GtkCheckButton    *outgoing_auth_check;
  GtkCheckButton    *outgoing_same_login_check;
  GtkWidget         *outgoing_login_grid;
  GtkEntry          *outgoing_username_entry;
  GtkLabel          *outgoing_username_message;
  GtkPasswordEntry  *outgoing_password_entry;
  GtkLabel          *outgoing_password_message;
  GtkWidget         *outgoing_password_label;
  GtkWidget         *outgoing_auth_method_label;
  GtkDropDown       *outgoing_auth_method_dropdown;
  SkTestPanel       *test_panel;

  SkAccount         *account;
  GPtrArray         *bindings;
  /* The provider of each "Sign in with …" in the authentication
   * dropdowns, which list them after the other methods. */
  GPtrArray         *auth_providers;
  SkDetectSource     google_source;

  /* The settings the ports were last proposed for, to tell a standard port
   * (which follows the security mode) from one the user typed (which stays). */
  SkAccountType      last_type;
  SkSecurity         last_security[SK_N_TEST_SIDES];

  /* The fields folded under Advanced that had a problem at the last
   * validation, one bit per SkField. */
  guint              advanced_problems;

  /* Characters in the last paste refused as too long for a password, or 0. */
  glong              refused_paste;
};

/* No one types or pastes a password this long on purpose: it is the wrong
 * thing from the clipboard (a letter, a key file).  Taking it in would
 * lay out a field of tens of thousands of characters in one go, and GTK
 * keeps only the first 65 535 of them anyway. */
#define MAX_PASSWORD_CHARS 1024

G_STATIC_ASSERT (SK_N_FIELDS <= 32);

static void sk_servers_page_account_page_init (SkAccountPageInterface *iface);
static void auth_chosen                        (SkServersPage          *self,
                                                GParamSpec             *pspec,
                                                GtkDropDown            *dropdown);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkServersPage, sk_servers_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SK_TYPE_ACCOUNT_PAGE,
                                                      sk_servers_page_account_page_init))

static gboolean
port_to_text (GBinding     *binding,
              const GValue *from_value,
              GValue       *to_value,
              gpointer      user_data)
{
  guint port = g_value_get_uint (from_value);

  g_value_take_string (to_value, port != 0 ? g_strdup_printf ("%u", port) : g_strdup (""));
  return TRUE;
}

static gboolean
text_to_port (GBinding     *binding,
              const GValue *from_value,
              GValue       *to_value,
              gpointer      user_data)
{
  g_autofree char *text = g_strstrip (g_strdup (g_value_get_string (from_value)));
  guint64 port = 0;

  /* Anything but a port number becomes 0, which validation explains. */
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &port, NULL))
    port = 0;

  g_value_set_uint (to_value, (guint) port);
  return TRUE;
}

/* The dropdowns list the choices in the order of their enum. */
static gboolean
enum_to_selected (GBinding     *binding,
                  const GValue *from_value,
                  GValue       *to_value,
                  gpointer      user_data)
{
  g_value_set_uint (to_value, (guint) g_value_get_enum (from_value));
  return TRUE;
}

static gboolean
selected_to_enum (GBinding     *binding,
                  const GValue *from_value,
                  GValue       *to_value,
                  gpointer      user_data)
{
  guint selected = g_value_get_uint (from_value);
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (G_VALUE_TYPE (to_value));

  if (g_enum_get_value (enum_class, (int) selected) == NULL)
    return FALSE;

  g_value_set_enum (to_value, (int) selected);
  return TRUE;
}

/* Each toggle button stands for one type (user_data); only the one being
 * pressed speaks, its partner being released is no change of its own. */
static gboolean
type_to_active (GBinding     *binding,
                const GValue *from_value,
                GValue       *to_value,
                gpointer      user_data)
{
  g_value_set_boolean (to_value, g_value_get_enum (from_value) == GPOINTER_TO_INT (user_data));
  return TRUE;
}

static gboolean
active_to_type (GBinding     *binding,
                const GValue *from_value,
                GValue       *to_value,
                gpointer      user_data)
{
  if (!g_value_get_boolean (from_value))
    return FALSE;

  g_value_set_enum (to_value, GPOINTER_TO_INT (user_data));
  return TRUE;
}

static void
bind (SkServersPage *self,
      const char    *account_property,
      gpointer       widget,
      const char    *widget_property)
{
  GBinding *binding = g_object_bind_property (self->account, account_property,
                                              widget, widget_property,
                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_ptr_array_add (self->bindings, g_object_ref (binding));
}

static void
bind_full (SkServersPage         *self,
           const char            *account_property,
           gpointer               widget,
           const char            *widget_property,
           GBindingTransformFunc  to_widget,
           GBindingTransformFunc  to_account,
           gpointer               user_data)
{
  GBinding *binding = g_object_bind_property_full (self->account, account_property,
                                                   widget, widget_property,
                                                   G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                   to_widget, to_account,
                                                   user_data, NULL);

  g_ptr_array_add (self->bindings, g_object_ref (binding));
}

/* The warning stands where a password would cross the network: incoming
 * always logs in, outgoing only when the server asks for it.  Read from the
 * account, not the widgets, as validation may run before the widgets follow. */
static gboolean
asks_plain_confirmation (SkServersPage *self,
                         gboolean       outgoing)
{
  if (!outgoing)
    return sk_account_get_incoming_security (self->account) == SK_SECURITY_NONE;

  return sk_account_get_outgoing_security (self->account) == SK_SECURITY_NONE &&
         sk_account_get_outgoing_auth (self->account);
}

/* Google's accounts */

static void
wipe_free (char *text)
{
  if (text == NULL)
    return;

  explicit_bzero (text, strlen (text));
  g_free (text);
}

static gboolean
is_google (SkServersPage *self)
{
  if (self->google_source != SK_DETECT_SOURCE_NONE)
    return TRUE;

  return self->account != NULL &&
         (sk_host_is_google (sk_account_get_incoming_host (self->account)) ||
          sk_host_is_google (sk_account_get_outgoing_host (self->account)));
}

/* Gentle, never a problem that stops OK: Google may one day change how its
 * app passwords look, and the test says for sure whether one works. */
static void
update_password_hint (SkServersPage *self)
{
  const char *password = self->account != NULL ? sk_account_get_password (self->account) : NULL;
  g_autofree char *refused = NULL;
  const char *hint = NULL;

  if (self->refused_paste > 0)
    {
      refused = g_strdup_printf (ngettext ("What you pasted is %ld character long, too long for a "
                                           "password, and was left out. Check what you copied.",
                                           "What you pasted is %ld characters long, too long for a "
                                           "password, and was left out. Check what you copied.",
                                           self->refused_paste),
                                 self->refused_paste);
      hint = refused;
    }
  else if (is_google (self) && password != NULL && password[0] != '\0')
    {
      char *normalized = sk_app_password_normalize (password);
      gboolean letters_only = TRUE;

      for (const char *c = normalized; *c != '\0'; c++)
        letters_only &= *c >= 'a' && *c <= 'z';

      if (!sk_app_password_looks_right (normalized))
        hint = letters_only
               ? _("Google’s app passwords have 16 letters. Check that you copied all of it.")
               : _("This looks like an ordinary password. Gmail needs an app password: "
                   "see steps 3 and 4 of the Gmail guide.");

      wipe_free (normalized);
    }

  if (self->account != NULL
      && sk_account_get_incoming_auth_method (self->account) == SK_AUTH_METHOD_OAUTH2)
    hint = NULL;

  gtk_label_set_text (self->password_hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (self->password_hint, hint != NULL);
}

static void
password_changed (SkServersPage *self)
{
  self->refused_paste = 0;
  update_password_hint (self);
}

static void
update_google (SkServersPage *self)
{
  gboolean google = is_google (self);

  /* A password pasted before the address showed the account is Google's
   * is tidied as if pasted now. */
  if (google && self->account != NULL && sk_account_get_password (self->account) != NULL)
    {
      char *normalized = sk_app_password_normalize (sk_account_get_password (self->account));

      if (strcmp (normalized, sk_account_get_password (self->account)) != 0)
        sk_account_set_password (self->account, normalized);
      wipe_free (normalized);
    }

  gtk_widget_set_visible (self->fill_in_box, google);
  update_password_hint (self);
}

/* What would make a password longer than MAX_PASSWORD_CHARS is kept out
 * of editable; TRUE when it was. */
static gboolean
refuse_long_text (GtkEditable *editable,
                  const char  *text,
                  int          length)
{
  if (g_utf8_strlen (text, length) + g_utf8_strlen (gtk_editable_get_text (editable), -1)
      <= MAX_PASSWORD_CHARS)
    return FALSE;

  g_signal_stop_emission_by_name (editable, "insert-text");
  return TRUE;
}

/* The SMTP password's field says it under itself, where validation's
 * words go (they come back at the next change of the account). */
static void
outgoing_password_insert_text (SkServersPage *self,
                               const char    *text,
                               int            length,
                               int           *position,
                               GtkEditable   *editable)
{
  glong n_chars = g_utf8_strlen (text, length);
  g_autofree char *refused = NULL;

  if (!refuse_long_text (editable, text, length))
    return;

  refused = g_strdup_printf (ngettext ("What you pasted is %ld character long, too long for a "
                                       "password, and was left out. Check what you copied.",
                                       "What you pasted is %ld characters long, too long for a "
                                       "password, and was left out. Check what you copied.",
                                       n_chars),
                             n_chars);
  sk_field_show_problem (GTK_WIDGET (self->outgoing_password_entry),
                         self->outgoing_password_message, refused);
}

/* Google shows an app password in groups ("abcd efgh ijkl mnop"); its
 * servers want it whole.  What is typed or pasted is tidied on its way in,
 * so that the cursor stays where the person expects it. */
static void
password_insert_text (SkServersPage *self,
                      const char    *text,
                      int            length,
                      int           *position,
                      GtkEditable   *editable)
{
  char *inserted;
  char *normalized;
  glong n_chars = g_utf8_strlen (text, length);

  if (refuse_long_text (editable, text, length))
    {
      self->refused_paste = n_chars;
      update_password_hint (self);
      return;
    }

  if (!is_google (self))
    return;

  inserted = g_strndup (text, length >= 0 ? (gsize) length : strlen (text));
  normalized = sk_app_password_normalize (inserted);

  if (strcmp (normalized, inserted) != 0)
    {
      g_signal_handlers_block_by_func (editable, password_insert_text, self);
      gtk_editable_insert_text (editable, normalized, -1, position);
      g_signal_handlers_unblock_by_func (editable, password_insert_text, self);
      g_signal_stop_emission_by_name (editable, "insert-text");
    }

  wipe_free (inserted);
  wipe_free (normalized);
}

static void
fill_in_clicked (SkServersPage *self)
{
  sk_servers_page_fill_in_google (self);
}

/* What the button filled in is no longer what the fields say. */
static void
server_edited (SkServersPage *self)
{
  gtk_widget_set_visible (self->fill_in_result, FALSE);
}

static void
update_dependents (SkServersPage *self)
{
  SkAccount *account = self->account;
  SkOutgoingLogin outgoing_login = sk_account_get_outgoing_login (account);
  gboolean outgoing_auth = outgoing_login != SK_OUTGOING_LOGIN_NONE;
  gboolean incoming_oauth2 =
    sk_account_get_incoming_auth_method (account) == SK_AUTH_METHOD_OAUTH2;
  gboolean outgoing_oauth2 =
    outgoing_auth && sk_account_get_outgoing_auth_method (account) == SK_AUTH_METHOD_OAUTH2;

  gtk_widget_set_visible (self->pop3_options,
                          sk_account_get_account_type (account) == SK_ACCOUNT_TYPE_POP3);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_with_deleted_check),
                            sk_account_get_leave_copy (account));

  gtk_widget_set_visible (self->incoming_plain_warning, asks_plain_confirmation (self, FALSE));
  gtk_widget_set_visible (self->outgoing_plain_warning, asks_plain_confirmation (self, TRUE));

  gtk_widget_set_sensitive (GTK_WIDGET (self->outgoing_same_login_check), outgoing_auth);
  gtk_widget_set_visible (self->outgoing_login_grid, outgoing_login == SK_OUTGOING_LOGIN_OWN);

  /* A sign-in with the provider stands where the password would. */
  gtk_widget_set_visible (self->password_label, !incoming_oauth2);
  gtk_widget_set_visible (GTK_WIDGET (self->password_entry), !incoming_oauth2);
  gtk_widget_set_visible (self->sign_in_label, sk_account_uses_oauth2 (account));
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_row), sk_account_uses_oauth2 (account));
  gtk_widget_set_visible (self->outgoing_password_label, !outgoing_oauth2);
  gtk_widget_set_visible (GTK_WIDGET (self->outgoing_password_entry), !outgoing_oauth2);
  update_password_hint (self);
  gtk_widget_set_sensitive (self->outgoing_auth_method_label, outgoing_auth);
  gtk_widget_set_sensitive (GTK_WIDGET (self->outgoing_auth_method_dropdown), outgoing_auth);
}

/* The account's keys of each side that the security mode changes. */
static const struct
{
  const char *security;
  const char *port;
  const char *plain_confirmed;
} side_keys[SK_N_TEST_SIDES] = {
  [SK_TEST_SIDE_INCOMING] = { "incoming-security", "incoming-port", "incoming-plain-confirmed" },
  [SK_TEST_SIDE_OUTGOING] = { "outgoing-security", "outgoing-port", "outgoing-plain-confirmed" },
};

/* A port that is empty or standard for the old setting follows the new one;
 * a port the user chose is left alone. */
static void
propose_port (SkServersPage *self,
              SkTestSide     side,
              SkAccountType  old_type,
              SkSecurity     old_security,
              SkAccountType  new_type,
              SkSecurity     new_security)
{
  g_autoptr(SkServer) server = sk_account_dup_server (self->account, side);
  gboolean outgoing = side == SK_TEST_SIDE_OUTGOING;

  if (server->port != 0 && server->port != sk_standard_port (old_type, outgoing, old_security))
    return;

  g_object_set (self->account,
                side_keys[side].port, sk_standard_port (new_type, outgoing, new_security),
                NULL);
}

static void
account_type_changed (SkServersPage *self)
{
  SkAccountType type = sk_account_get_account_type (self->account);

  if (type != self->last_type)
    {
      SkSecurity security = sk_account_get_incoming_security (self->account);

      propose_port (self, SK_TEST_SIDE_INCOMING, self->last_type, security, type, security);
      self->last_type = type;
    }

  update_dependents (self);
}

static void
security_changed (SkServersPage *self,
                  GParamSpec    *pspec)
{
  SkTestSide side = g_str_equal (pspec->name, side_keys[SK_TEST_SIDE_OUTGOING].security)
                      ? SK_TEST_SIDE_OUTGOING : SK_TEST_SIDE_INCOMING;
  SkAccountType type = sk_account_get_account_type (self->account);
  g_autoptr(SkServer) server = sk_account_dup_server (self->account, side);

  if (server->security != self->last_security[side])
    {
      propose_port (self, side, type, self->last_security[side], type, server->security);
      self->last_security[side] = server->security;
    }

  /* A later switch back to None must ask again. */
  if (server->security != SK_SECURITY_NONE)
    g_object_set (self->account, side_keys[side].plain_confirmed, FALSE, NULL);

  update_dependents (self);
}

/* Authentication: the methods of SkAuthMethod before SK_AUTH_METHOD_OAUTH2,
 * then "Sign in with …" for each provider, one entry each. */

static guint
add_sign_in_provider (SkServersPage *self,
                      const char    *id,
                      const char    *name)
{
  g_autofree char *label = NULL;

  /* TRANSLATORS: an authentication method; %s is the provider, "Microsoft" */
  label = g_strdup_printf (_("Sign in with %s"), name);
  gtk_string_list_append (self->auth_methods, label);
  g_ptr_array_add (self->auth_providers, g_strdup (id));

  return SK_AUTH_METHOD_OAUTH2 + self->auth_providers->len - 1;
}

static void
list_sign_in_providers (SkServersPage *self)
{
  g_autoptr(GPtrArray) providers = sk_oauth2_provider_list ();

  for (guint i = 0; i < providers->len; i++)
    {
      const SkOAuth2Provider *provider = g_ptr_array_index (providers, i);

      add_sign_in_provider (self, provider->id, provider->name);
    }
}

static guint
auth_to_selected (SkServersPage *self,
                  SkAuthMethod   method)
{
  const char *id = sk_account_get_oauth2_provider (self->account);
  guint index;

  if (method != SK_AUTH_METHOD_OAUTH2)
    return method;

  /* No provider yet: validation asks for one. */
  if (*id == '\0')
    return GTK_INVALID_LIST_POSITION;

  if (g_ptr_array_find_with_equal_func (self->auth_providers, id, g_str_equal, &index))
    return SK_AUTH_METHOD_OAUTH2 + index;

  /* A provider the key file names but this computer lacks is still shown
   * as chosen; validation says what is wrong with it. */
  return add_sign_in_provider (self, id, id);
}

static void
show_auth_methods (SkServersPage *self)
{
  g_signal_handlers_block_by_func (self->incoming_auth_dropdown, auth_chosen, self);
  g_signal_handlers_block_by_func (self->outgoing_auth_method_dropdown, auth_chosen, self);
  gtk_drop_down_set_selected (self->incoming_auth_dropdown,
                              auth_to_selected (self,
                                                sk_account_get_incoming_auth_method (self->account)));
  gtk_drop_down_set_selected (self->outgoing_auth_method_dropdown,
                              auth_to_selected (self,
                                                sk_account_get_outgoing_auth_method (self->account)));
  g_signal_handlers_unblock_by_func (self->incoming_auth_dropdown, auth_chosen, self);
  g_signal_handlers_unblock_by_func (self->outgoing_auth_method_dropdown, auth_chosen, self);
}

static void
auth_chosen (SkServersPage *self,
             GParamSpec    *pspec,
             GtkDropDown   *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  SkAuthMethod method = MIN (selected, (guint) SK_AUTH_METHOD_OAUTH2);

  if (self->account == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  /* The provider first, so that the method never names a stale one. */
  if (method == SK_AUTH_METHOD_OAUTH2)
    sk_account_set_oauth2_provider (self->account,
                                    g_ptr_array_index (self->auth_providers,
                                                       selected - SK_AUTH_METHOD_OAUTH2));

  if (dropdown == self->incoming_auth_dropdown)
    sk_account_set_incoming_auth_method (self->account, method);
  else
    sk_account_set_outgoing_auth_method (self->account, method);
}

static void
auth_changed (SkServersPage *self)
{
  show_auth_methods (self);
  update_dependents (self);
}

static void
release_account (SkServersPage *self)
{
  if (self->account == NULL)
    return;

  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);

  g_signal_handlers_disconnect_by_data (self->account, self);
  sk_sign_in_row_set_account (self->sign_in_row, NULL);
  g_clear_object (&self->account);
}

static void
sk_servers_page_set_account (SkAccountPage *page,
                             SkAccount     *account)
{
  SkServersPage *self = SK_SERVERS_PAGE (page);

  if (account == self->account)
    return;

  release_account (self);
  self->account = g_object_ref (account);
  self->advanced_problems = 0;
  gtk_widget_set_visible (self->fill_in_result, FALSE);

  self->last_type = sk_account_get_account_type (account);
  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    {
      g_autoptr(SkServer) server = sk_account_dup_server (account, side);

      self->last_security[side] = server->security;
    }

  bind_full (self, "account-type", self->pop3_button, "active",
             type_to_active, active_to_type, GINT_TO_POINTER (SK_ACCOUNT_TYPE_POP3));
  bind_full (self, "account-type", self->imap_button, "active",
             type_to_active, active_to_type, GINT_TO_POINTER (SK_ACCOUNT_TYPE_IMAP));
  bind (self, "incoming-host", self->incoming_host_entry, "text");
  bind (self, "outgoing-host", self->outgoing_host_entry, "text");
  bind (self, "leave-copy", self->leave_copy_check, "active");
  bind (self, "delete-with-deleted", self->delete_with_deleted_check, "active");
  bind (self, "username", self->username_entry, "text");
  bind (self, "password", self->password_entry, "text");

  bind (self, "timeout", self->timeout_spin, "value");
  bind_full (self, "incoming-port", self->incoming_port_entry, "text",
             port_to_text, text_to_port, NULL);
  bind_full (self, "incoming-security", self->incoming_security_dropdown, "selected",
             enum_to_selected, selected_to_enum, NULL);
  bind (self, "incoming-plain-confirmed", self->incoming_plain_confirmed_check, "active");
  bind_full (self, "outgoing-port", self->outgoing_port_entry, "text",
             port_to_text, text_to_port, NULL);
  bind_full (self, "outgoing-security", self->outgoing_security_dropdown, "selected",
             enum_to_selected, selected_to_enum, NULL);
  bind (self, "outgoing-plain-confirmed", self->outgoing_plain_confirmed_check, "active");
  bind (self, "outgoing-auth", self->outgoing_auth_check, "active");
  bind (self, "outgoing-same-login", self->outgoing_same_login_check, "active");
  bind (self, "outgoing-username", self->outgoing_username_entry, "text");
  bind (self, "outgoing-password", self->outgoing_password_entry, "text");

  g_signal_connect_object (account, "notify::account-type",
                           G_CALLBACK (account_type_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::incoming-security",
                           G_CALLBACK (security_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::outgoing-security",
                           G_CALLBACK (security_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::leave-copy",
                           G_CALLBACK (update_dependents), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::outgoing-auth",
                           G_CALLBACK (update_dependents), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::outgoing-same-login",
                           G_CALLBACK (update_dependents), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::incoming-host",
                           G_CALLBACK (update_google), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::outgoing-host",
                           G_CALLBACK (update_google), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::incoming-host",
                           G_CALLBACK (server_edited), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::outgoing-host",
                           G_CALLBACK (server_edited), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::password",
                           G_CALLBACK (password_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::incoming-auth",
                           G_CALLBACK (auth_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::outgoing-auth-method",
                           G_CALLBACK (auth_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::oauth2-provider",
                           G_CALLBACK (auth_changed), self, G_CONNECT_SWAPPED);

  sk_sign_in_row_set_account (self->sign_in_row, account);
  show_auth_methods (self);
  update_dependents (self);
  update_google (self);
  sk_test_panel_set_account (self->test_panel, account);
}

static gboolean
show_problem (GPtrArray *problems,
              SkField    field,
              gpointer   widget,
              GtkLabel  *label)
{
  return sk_field_show_problem (GTK_WIDGET (widget), label, sk_problems_find (problems, field));
}

/* A security problem is an unconfirmed None: the mark goes on what the person
 * has to act on, the confirmation when it is asked for, else the dropdown. */
static void
show_security_problem (GPtrArray      *problems,
                       SkField         field,
                       gboolean        confirming,
                       GtkDropDown    *dropdown,
                       GtkCheckButton *confirm,
                       GtkLabel       *label)
{
  GtkWidget *marked = confirming ? GTK_WIDGET (confirm) : GTK_WIDGET (dropdown);
  GtkWidget *unmarked = confirming ? GTK_WIDGET (dropdown) : GTK_WIDGET (confirm);

  sk_field_show_problem (unmarked, label, NULL);
  show_problem (problems, field, marked, label);
}

static gboolean
sk_servers_page_show_problems (SkAccountPage *page,
                               GPtrArray     *problems)
{
  static const SkField advanced_fields[] = {
    SK_FIELD_TIMEOUT,
    SK_FIELD_INCOMING_PORT,
    SK_FIELD_INCOMING_SECURITY,
    SK_FIELD_OUTGOING_PORT,
    SK_FIELD_OUTGOING_SECURITY,
    SK_FIELD_OUTGOING_USERNAME,
    SK_FIELD_OUTGOING_PASSWORD,
  };
  SkServersPage *self = SK_SERVERS_PAGE (page);
  gboolean basic_ok = TRUE;
  guint advanced_problems = 0;

  g_return_val_if_fail (self->account != NULL, FALSE);

  basic_ok &= show_problem (problems, SK_FIELD_INCOMING_HOST,
                            self->incoming_host_entry, self->incoming_host_message);
  basic_ok &= show_problem (problems, SK_FIELD_OUTGOING_HOST,
                            self->outgoing_host_entry, self->outgoing_host_message);
  basic_ok &= show_problem (problems, SK_FIELD_USERNAME,
                            self->username_entry, self->username_message);
  basic_ok &= show_problem (problems, SK_FIELD_PASSWORD,
                            self->password_entry, self->password_message);
  basic_ok &= sk_sign_in_row_show_problem (self->sign_in_row,
                                           sk_problems_find (problems,
                                                             SK_FIELD_OAUTH2_PROVIDER));

  show_problem (problems, SK_FIELD_TIMEOUT, self->timeout_spin, self->timeout_message);
  show_problem (problems, SK_FIELD_INCOMING_PORT,
                self->incoming_port_entry, self->incoming_port_message);
  show_security_problem (problems, SK_FIELD_INCOMING_SECURITY,
                         asks_plain_confirmation (self, FALSE),
                         self->incoming_security_dropdown,
                         self->incoming_plain_confirmed_check,
                         self->incoming_security_message);
  show_problem (problems, SK_FIELD_OUTGOING_PORT,
                self->outgoing_port_entry, self->outgoing_port_message);
  show_security_problem (problems, SK_FIELD_OUTGOING_SECURITY,
                         asks_plain_confirmation (self, TRUE),
                         self->outgoing_security_dropdown,
                         self->outgoing_plain_confirmed_check,
                         self->outgoing_security_message);
  show_problem (problems, SK_FIELD_OUTGOING_USERNAME,
                self->outgoing_username_entry, self->outgoing_username_message);
  show_problem (problems, SK_FIELD_OUTGOING_PASSWORD,
                self->outgoing_password_entry, self->outgoing_password_message);

  for (guint i = 0; i < G_N_ELEMENTS (advanced_fields); i++)
    if (sk_problems_find (problems, advanced_fields[i]) != NULL)
      advanced_problems |= 1u << advanced_fields[i];

  /* A field that has just gone wrong unfolds Advanced so that its explanation
   * is seen; one the person folded away again stays folded, still flagged. */
  if ((advanced_problems & ~self->advanced_problems) != 0)
    gtk_expander_set_expanded (self->advanced_expander, TRUE);
  self->advanced_problems = advanced_problems;
  gtk_widget_set_visible (self->advanced_warning, advanced_problems != 0);

  return basic_ok && advanced_problems == 0;
}

static void
sk_servers_page_account_page_init (SkAccountPageInterface *iface)
{
  iface->set_account = sk_servers_page_set_account;
  iface->show_problems = sk_servers_page_show_problems;
}

static void
sk_servers_page_dispose (GObject *object)
{
  SkServersPage *self = SK_SERVERS_PAGE (object);

  release_account (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_SERVERS_PAGE);

  G_OBJECT_CLASS (sk_servers_page_parent_class)->dispose (object);
}

static void
sk_servers_page_finalize (GObject *object)
{
  SkServersPage *self = SK_SERVERS_PAGE (object);

  g_ptr_array_unref (self->bindings);
  g_ptr_array_unref (self->auth_providers);

  G_OBJECT_CLASS (sk_servers_page_parent_class)->finalize (object);
}

static void
sk_servers_page_class_init (SkServersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_servers_page_dispose;
  object_class->finalize = sk_servers_page_finalize;

  g_type_ensure (SK_TYPE_TEST_PANEL);
  g_type_ensure (SK_TYPE_SIGN_IN_ROW);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-servers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, content);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, fill_in_box);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, fill_in_result);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, fill_in_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, pop3_button);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, imap_button);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, incoming_host_entry);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, incoming_host_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_host_entry);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_host_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, pop3_options);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, leave_copy_check);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, delete_with_deleted_check);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, username_entry);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, username_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, password_label);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, password_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, password_hint);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, password_hint_label);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, sign_in_label);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, sign_in_row);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, advanced_expander);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, advanced_warning);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, timeout_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, incoming_port_entry);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, incoming_port_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, incoming_security_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, incoming_plain_warning);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, incoming_plain_confirmed_check);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, incoming_security_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, incoming_auth_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, auth_methods);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_port_entry);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_port_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_security_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_plain_warning);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_plain_confirmed_check);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_security_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_auth_check);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_same_login_check);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_login_grid);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_username_entry);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_username_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_password_entry);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_password_message);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_password_label);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_auth_method_label);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, outgoing_auth_method_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkServersPage, test_panel);
  gtk_widget_class_bind_template_callback (widget_class, fill_in_clicked);
}

/* A spin button takes typed digits only when it loses focus or is
 * activated; OK may be pressed before either, so the typed number counts at
 * once when it is a valid timeout. */
static void
timeout_text_changed (SkServersPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->timeout_spin));
  guint64 seconds;

  if (self->account == NULL ||
      !g_ascii_string_to_unsigned (text, 10, SK_MIN_TIMEOUT, SK_MAX_TIMEOUT, &seconds, NULL))
    return;

  sk_account_set_timeout (self->account, (guint) seconds);
}

static void
sk_servers_page_init (SkServersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  self->auth_providers = g_ptr_array_new_with_free_func (g_free);
  list_sign_in_providers (self);

  gtk_spin_button_set_range (self->timeout_spin, SK_MIN_TIMEOUT, SK_MAX_TIMEOUT);
  gtk_spin_button_set_increments (self->timeout_spin, 5, 30);
  g_signal_connect_object (self->timeout_spin, "changed",
                           G_CALLBACK (timeout_text_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (self->password_entry)),
                           "insert-text",
                           G_CALLBACK (password_insert_text), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (self->outgoing_password_entry)),
                           "insert-text",
                           G_CALLBACK (outgoing_password_insert_text), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->incoming_auth_dropdown, "notify::selected",
                           G_CALLBACK (auth_chosen), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outgoing_auth_method_dropdown, "notify::selected",
                           G_CALLBACK (auth_chosen), self, G_CONNECT_SWAPPED);
}

GtkWidget *
sk_servers_page_new (void)
{
  return g_object_new (SK_TYPE_SERVERS_PAGE, NULL);
}

void
sk_servers_page_set_google (SkServersPage  *self,
                            SkDetectSource  source)
{
  g_return_if_fail (SK_IS_SERVERS_PAGE (self));

  if (source != SK_DETECT_SOURCE_GMAIL && source != SK_DETECT_SOURCE_WORKSPACE)
    source = SK_DETECT_SOURCE_NONE;

  self->google_source = source;
  update_google (self);
}

void
sk_servers_page_fill_in_google (SkServersPage *self)
{
  g_autoptr(SkDetection) google = NULL;
  g_autofree char *sentence = NULL;

  g_return_if_fail (SK_IS_SERVERS_PAGE (self));
  g_return_if_fail (self->account != NULL);

  google = sk_detection_new_google (self->google_source != SK_DETECT_SOURCE_NONE
                                    ? self->google_source : SK_DETECT_SOURCE_GMAIL);
  sentence = sk_detection_apply (google, self->account);

  gtk_label_set_text (self->fill_in_message,
                      sentence != NULL ? sentence
                                       : _("Google’s settings are already filled in: nothing "
                                           "needed changing."));
  gtk_widget_set_visible (self->fill_in_result, TRUE);
}

SkSignInRow *
sk_servers_page_get_sign_in_row (SkServersPage *self)
{
  g_return_val_if_fail (SK_IS_SERVERS_PAGE (self), NULL);

  return self->sign_in_row;
}

SkTestPanel *
sk_servers_page_get_test_panel (SkServersPage *self)
{
  g_return_val_if_fail (SK_IS_SERVERS_PAGE (self), NULL);

  return self->test_panel;
}

void
sk_servers_page_use_sign_in (SkServersPage *self,
                             const char    *provider_id)
{
  g_return_if_fail (SK_IS_SERVERS_PAGE (self));
  g_return_if_fail (self->account != NULL);
  g_return_if_fail (provider_id != NULL);

  sk_account_set_oauth2_provider (self->account, provider_id);
  sk_account_set_incoming_auth_method (self->account, SK_AUTH_METHOD_OAUTH2);
  sk_account_set_outgoing_auth (self->account, TRUE);
  sk_account_set_outgoing_auth_method (self->account, SK_AUTH_METHOD_OAUTH2);
}

void
sk_servers_page_sign_in (SkServersPage *self)
{
  g_return_if_fail (SK_IS_SERVERS_PAGE (self));

  sk_sign_in_row_sign_in (self->sign_in_row);
}
