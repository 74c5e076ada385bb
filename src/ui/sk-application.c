/* sk-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka"

#include "config.h"

#include <glib/gi18n.h>

#include "cli/sk-cli-commands.h"

#include "sk-accounts-window.h"
#include "sk-application.h"
#include "skrzynka-resources.h"

struct _SkApplication
{
  GtkApplication  parent_instance;

  SkAccountStore *store;
};

G_DEFINE_FINAL_TYPE (SkApplication, sk_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "list", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("List the saved accounts, one a line"), NULL },
  { "export", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Print the account NAME as a key file (never the password)"), N_("NAME") },
  { "import", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Add the account described in FILE"), N_("FILE") },
  { "test", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Test the connection of the saved account NAME (password from the keyring)"), N_("NAME") },
  { "test-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Test the connection of the account described in FILE"), N_("FILE") },
  { "check-certificate", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Check the signing certificate in FILE (.p12, .pfx, .pem, .crt)"), N_("FILE") },
  { "email", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --check-certificate: check that the certificate is for ADDRESS"), N_("ADDRESS") },
  { "import-certificate", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Add the signing certificate in FILE to the account given with --account"), N_("FILE") },
  { "account", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --import-certificate: the account NAME that signs with it"), N_("NAME") },
  { "send-test", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Send a test message from the saved account NAME to itself"), N_("NAME") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --test, --test-file, --send-test, --check-certificate or --import-certificate: "
       "read the password from standard input"), NULL },
  { "cafile", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --test, --test-file, --send-test or --check-certificate: "
       "also trust the CA certificates in PEM, for this run"), N_("PEM") },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --test, --test-file, --send-test or --check-certificate: "
       "print the result as one JSON object"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

/* The command line runs before GTK is initialised, so it needs no display. */
static int
sk_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  g_autoptr(SkAccountStore) store = NULL;
  g_autofree char *export_name = NULL;
  g_autofree char *import_path = NULL;
  g_autofree char *test_name = NULL;
  g_autofree char *test_path = NULL;
  g_autofree char *cafile = NULL;
  g_autofree char *certificate_path = NULL;
  g_autofree char *email = NULL;
  g_autofree char *import_certificate_path = NULL;
  g_autofree char *account_name = NULL;
  g_autofree char *send_name = NULL;
  SkCliTestOptions test_options = { FALSE, NULL, FALSE };
  SkCliCertificateOptions certificate_options = { NULL, FALSE, NULL, FALSE };
  gboolean list = FALSE;
  int n_commands;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("skrzynka %s\n", PACKAGE_VERSION);
      return SK_EXIT_OK;
    }

  g_variant_dict_lookup (options, "list", "b", &list);
  g_variant_dict_lookup (options, "export", "s", &export_name);
  g_variant_dict_lookup (options, "import", "^ay", &import_path);
  g_variant_dict_lookup (options, "test", "s", &test_name);
  g_variant_dict_lookup (options, "test-file", "^ay", &test_path);
  g_variant_dict_lookup (options, "password-stdin", "b", &test_options.password_stdin);
  g_variant_dict_lookup (options, "cafile", "^ay", &cafile);
  g_variant_dict_lookup (options, "json", "b", &test_options.json);
  g_variant_dict_lookup (options, "check-certificate", "^ay", &certificate_path);
  g_variant_dict_lookup (options, "email", "s", &email);
  g_variant_dict_lookup (options, "import-certificate", "^ay", &import_certificate_path);
  g_variant_dict_lookup (options, "account", "s", &account_name);
  g_variant_dict_lookup (options, "send-test", "s", &send_name);
  test_options.cafile = cafile;

  n_commands = (list ? 1 : 0) + (export_name ? 1 : 0) + (import_path ? 1 : 0)
               + (test_name ? 1 : 0) + (test_path ? 1 : 0) + (certificate_path ? 1 : 0)
               + (import_certificate_path ? 1 : 0) + (send_name ? 1 : 0);

  if (n_commands > 1)
    {
      g_printerr ("skrzynka: %s\n",
                  _("Give only one of --list, --export, --import, --test, --test-file, "
                    "--check-certificate, --import-certificate and --send-test."));
      return SK_EXIT_USAGE;
    }

  if (test_name == NULL && test_path == NULL && certificate_path == NULL && send_name == NULL
      && import_certificate_path == NULL
      && (test_options.password_stdin || cafile != NULL || test_options.json))
    {
      g_printerr ("skrzynka: %s\n",
                  _("--password-stdin, --cafile and --json go with --test, --test-file, "
                    "--send-test, --check-certificate or --import-certificate."));
      return SK_EXIT_USAGE;
    }

  if (import_certificate_path != NULL && (cafile != NULL || test_options.json))
    {
      g_printerr ("skrzynka: %s\n", _("--cafile and --json do not go with --import-certificate."));
      return SK_EXIT_USAGE;
    }

  if ((import_certificate_path == NULL) != (account_name == NULL))
    {
      g_printerr ("skrzynka: %s\n",
                  _("--import-certificate FILE needs --account NAME, the account to add it to."));
      return SK_EXIT_USAGE;
    }

  if (certificate_path == NULL && email != NULL)
    {
      g_printerr ("skrzynka: %s\n", _("--email goes with --check-certificate."));
      return SK_EXIT_USAGE;
    }

  if (n_commands == 0)
    return -1;

  if (certificate_path != NULL)
    {
      certificate_options.email = email;
      certificate_options.password_stdin = test_options.password_stdin;
      certificate_options.cafile = cafile;
      certificate_options.json = test_options.json;
      return sk_cli_check_certificate (certificate_path, &certificate_options);
    }

  if (test_path != NULL)
    return sk_cli_test_file (test_path, &test_options);

  store = sk_account_store_new (NULL);

  if (list)
    return sk_cli_list (store);
  if (export_name != NULL)
    return sk_cli_export (store, export_name);
  if (test_name != NULL)
    return sk_cli_test (store, test_name, &test_options);
  if (import_certificate_path != NULL)
    return sk_cli_import_certificate (store, import_certificate_path, account_name,
                                      test_options.password_stdin);
  if (send_name != NULL)
    return sk_cli_send_test (store, send_name, &test_options);
  return sk_cli_import (store, import_path);
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

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
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
