/* sk-accounts-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-certificate-store.h"
#include "core/sk-secret.h"

#include "sk-account-dialog.h"
#include "sk-accounts-window.h"
#include "sk-confirm-dialog.h"

struct _SkAccountsWindow
{
  GtkApplicationWindow  parent_instance;

  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkStack             *stack;
  GtkMenuButton        *menu_button;
  GMenuModel           *primary_menu;
  gboolean              has_list;

  SkAccountStore       *store;
  GtkSingleSelection   *selection;
  GSettings            *settings;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (SkAccountsWindow, sk_accounts_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SkAccount *
get_selected_account (SkAccountsWindow *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void ensure_list (SkAccountsWindow *self);

static void
update_state (SkAccountsWindow *self)
{
  gboolean has_accounts = g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0;
  gboolean has_selection = get_selected_account (self) != NULL;

  if (has_accounts)
    ensure_list (self);
  gtk_stack_set_visible_child_name (self->stack, has_accounts ? "list" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete", has_selection);
}

static void
open_dialog (SkAccountsWindow *self,
             SkAccount        *account)
{
  SkAccountDialog *dialog;

  dialog = sk_account_dialog_new (GTK_WINDOW (self), self->store, account);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_dialog (SK_ACCOUNTS_WINDOW (widget), NULL);
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SkAccountsWindow *self = SK_ACCOUNTS_WINDOW (widget);
  SkAccount *account = get_selected_account (self);

  if (account != NULL)
    open_dialog (self, account);
}

static void
column_view_activated (SkAccountsWindow *self,
                       guint             position)
{
  g_autoptr(SkAccount) account = g_list_model_get_item (G_LIST_MODEL (self->store), position);

  if (account != NULL)
    open_dialog (self, account);
}

static void
secret_cleared (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SkAccountsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sk_secret_clear_finish (result, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING))
    return;

  sk_accounts_window_show_error (self, error->message);
}

static void
delete_response (SkAccountsWindow *self,
                 gboolean          accepted,
                 SkConfirmDialog  *dialog)
{
  SkAccount *account = g_object_get_data (G_OBJECT (dialog), "account");
  g_autoptr(GError) error = NULL;

  if (!accepted)
    return;

  g_object_ref (account);
  sk_account_store_remove (self->store, account);
  if (!sk_account_store_save (self->store, &error))
    {
      /* The file still holds the account: keep the list telling the truth. */
      sk_account_store_put (self->store, account);
      sk_accounts_window_show_error (self, error->message);
      g_object_unref (account);
      return;
    }

  sk_secret_clear_async (sk_account_get_id (account), self->cancellable,
                         secret_cleared, g_object_ref (self));
  /* Its signature certificates go too, unless another account signs with
   * them. */
  sk_certificate_store_remove_unused (self->store, sk_account_get_certificates (account));
  g_object_unref (account);
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SkAccountsWindow *self = SK_ACCOUNTS_WINDOW (widget);
  SkAccount *account = get_selected_account (self);
  g_autofree char *heading = NULL;
  SkConfirmDialog *dialog;

  if (account == NULL)
    return;

  heading = g_strdup_printf (_("Delete the account “%s”?"), sk_account_get_name (account));
  dialog = sk_confirm_dialog_new (GTK_WINDOW (self), heading,
                                  _("Its settings and its saved password are removed from this "
                                    "computer. The messages on the mail server are not touched."),
                                  _("_Delete"), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "account",
                          g_object_ref (account), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
error_close_clicked (SkAccountsWindow *self)
{
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

static gboolean
type_to_label (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  SkAccountType type = g_value_get_enum (from);

  g_value_set_string (to, type == SK_ACCOUNT_TYPE_POP3 ? "POP3" : "IMAP");
  return TRUE;
}

static gboolean
inactive_to_label (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  g_value_set_string (to, g_value_get_boolean (from) ? _("Inactive") : _("Active"));
  return TRUE;
}

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  const char *property = user_data;
  GObject *account = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  GBindingTransformFunc transform = g_object_get_data (G_OBJECT (factory), "transform");
  GBinding *binding;

  binding = g_object_bind_property_full (account, property, label, "label",
                                         G_BINDING_SYNC_CREATE,
                                         transform, NULL, NULL, NULL);
  g_object_set_data (G_OBJECT (item), "binding", binding);

  if (g_str_equal (property, "inactive"))
    {
      if (sk_account_get_inactive (SK_ACCOUNT (account)))
        gtk_widget_add_css_class (label, "dim-label");
      else
        gtk_widget_remove_css_class (label, "dim-label");
    }
}

static void
cell_unbind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GBinding *binding = g_object_get_data (G_OBJECT (item), "binding");

  if (binding != NULL)
    g_binding_unbind (binding);
  g_object_set_data (G_OBJECT (item), "binding", NULL);
}

static void
set_cell_factory (GtkColumnViewColumn   *column,
                  const char            *property,
                  GBindingTransformFunc  transform)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "transform", transform);
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), (gpointer) property);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), NULL);
  gtk_column_view_column_set_factory (column, factory);
}

/* The list is built when there is an account to show: a window with no
 * accounts yet does not build it before its first frame. */
static void
ensure_list (SkAccountsWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkColumnView *column_view;

  if (self->has_list)
    return;
  self->has_list = TRUE;

  builder = gtk_builder_new_from_resource ("/pl/skrzynka/Skrzynka/ui/sk-accounts-list.ui");
  set_cell_factory (GTK_COLUMN_VIEW_COLUMN (gtk_builder_get_object (builder, "name_column")),
                    "name", NULL);
  set_cell_factory (GTK_COLUMN_VIEW_COLUMN (gtk_builder_get_object (builder, "email_column")),
                    "email", NULL);
  set_cell_factory (GTK_COLUMN_VIEW_COLUMN (gtk_builder_get_object (builder, "type_column")),
                    "account-type", type_to_label);
  set_cell_factory (GTK_COLUMN_VIEW_COLUMN (gtk_builder_get_object (builder, "status_column")),
                    "inactive", inactive_to_label);

  column_view = GTK_COLUMN_VIEW (gtk_builder_get_object (builder, "column_view"));
  gtk_column_view_set_model (column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (column_view, "activate",
                           G_CALLBACK (column_view_activated), self, G_CONNECT_SWAPPED);

  gtk_stack_add_named (self->stack, GTK_WIDGET (gtk_builder_get_object (builder, "list")), "list");
}

/* The menu is built when it is first opened, not before the first frame. */
static void
create_menu (GtkMenuButton *menu_button,
             gpointer       user_data)
{
  SkAccountsWindow *self = user_data;

  gtk_menu_button_set_menu_model (menu_button, self->primary_menu);
  gtk_menu_button_set_create_popup_func (menu_button, NULL, NULL, NULL);
}

static void
store_items_changed (SkAccountsWindow *self)
{
  update_state (self);
}

static void
sk_accounts_window_constructed (GObject *object)
{
  SkAccountsWindow *self = SK_ACCOUNTS_WINDOW (object);

  G_OBJECT_CLASS (sk_accounts_window_parent_class)->constructed (object);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->store)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);

  g_signal_connect_object (self->store, "items-changed",
                           G_CALLBACK (store_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (store_items_changed), self, G_CONNECT_SWAPPED);
  update_state (self);
}

static void
sk_accounts_window_dispose (GObject *object)
{
  SkAccountsWindow *self = SK_ACCOUNTS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* Tearing down the view changes the selection: nothing left to update. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_ACCOUNTS_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sk_accounts_window_parent_class)->dispose (object);
}

static void
sk_accounts_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SkAccountsWindow *self = SK_ACCOUNTS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_accounts_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SkAccountsWindow *self = SK_ACCOUNTS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_accounts_window_class_init (SkAccountsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sk_accounts_window_constructed;
  object_class->dispose = sk_accounts_window_dispose;
  object_class->set_property = sk_accounts_window_set_property;
  object_class->get_property = sk_accounts_window_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         SK_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-accounts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SkAccountsWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SkAccountsWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, SkAccountsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SkAccountsWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SkAccountsWindow, primary_menu);
  gtk_widget_class_bind_template_callback (widget_class, error_close_clicked);

  gtk_widget_class_install_action (widget_class, "win.add", NULL, add_activated);
  gtk_widget_class_install_action (widget_class, "win.edit", NULL, edit_activated);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
}

static void
sk_accounts_window_init (SkAccountsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu, self, NULL);

  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

SkAccountsWindow *
sk_accounts_window_new (GtkApplication *application,
                        SkAccountStore *store)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (store), NULL);

  return g_object_new (SK_TYPE_ACCOUNTS_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

void
sk_accounts_window_show_error (SkAccountsWindow *self,
                               const char       *message)
{
  g_return_if_fail (SK_IS_ACCOUNTS_WINDOW (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (gtk_revealer_get_child (self->error_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}
