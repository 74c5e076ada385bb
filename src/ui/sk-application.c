/* sk-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "cli/sk-cli.h"

#include "sk-accounts-window.h"
#include "sk-application.h"
#include "skrzynka-resources.h"

struct _SkApplication
{
  GtkApplication  parent_instance;

  SkAccountStore *store;
};

G_DEFINE_FINAL_TYPE (SkApplication, sk_application, GTK_TYPE_APPLICATION)

/* The command line runs before GTK is initialised, so it needs no display. */
static int
sk_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  return sk_cli_handle_options (options);
}

static void
load_css (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/pl/skrzynka/Skrzynka/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  SkApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing each window lets a dialog with unsaved changes ask first. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  SkApplication *self = user_data;
  static const char *developers[] = { "Skrzynka developers", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "program-name", "Skrzynka",
                         "logo-icon-name", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Set up and check an e-mail account, step by step."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", developers,
                         /* Translators: your names, one a line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
};

static void
sk_application_startup (GApplication *app)
{
  SkApplication *self = SK_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (sk_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_window_set_default_icon_name (APPLICATION_ID);
  load_css ();
}

static void
sk_application_activate (GApplication *app)
{
  SkApplication *self = SK_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  SkAccountsWindow *window;

  /* A second start shows the window that is already open (or its dialog). */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (SK_IS_ACCOUNTS_WINDOW (l->data))
        {
          gtk_window_present (gtk_application_get_active_window (GTK_APPLICATION (self)));
          return;
        }
    }

  if (self->store == NULL)
    {
      self->store = sk_account_store_new (NULL);
      if (!sk_account_store_load (self->store, &error))
        g_debug ("Accounts not loaded: %s", error->message);
    }

  window = sk_accounts_window_new (GTK_APPLICATION (self), self->store);
  if (error != NULL)
    sk_accounts_window_show_error (window, error->message);
  gtk_window_present (GTK_WINDOW (window));
}

static void
sk_application_dispose (GObject *object)
{
  SkApplication *self = SK_APPLICATION (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (sk_application_parent_class)->dispose (object);
}

static void
sk_application_class_init (SkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  skrzynka_register_resource ();

  object_class->dispose = sk_application_dispose;
  app_class->handle_local_options = sk_application_handle_local_options;
  app_class->startup = sk_application_startup;
  app_class->activate = sk_application_activate;
}

static void
sk_application_init (SkApplication *self)
{

  g_application_add_main_option_entries (G_APPLICATION (self), sk_cli_get_option_entries ());
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Without options, open the accounts window."));
}

SkApplication *
sk_application_new (void)
{
  return g_object_new (SK_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/pl/skrzynka/Skrzynka",
                       NULL);
}
