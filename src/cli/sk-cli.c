/* sk-cli.c — the options of the command line and which of them go together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-cli.h"
#include "sk-cli-commands.h"
#include "sk-cli-detect.h"

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
  { "sign-in", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Sign the saved account NAME in with its provider (OAuth 2.0) in a web browser"),
    N_("NAME") },
  { "sign-out", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Forget the sign-in of the saved account NAME (its token in the keyring)"), N_("NAME") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --test, --test-file, --send-test, --check-certificate or --import-certificate: "
       "read the password from standard input"), NULL },
  { "cafile", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --test, --test-file, --send-test or --check-certificate: "
       "also trust the CA certificates in PEM, for this run"), N_("PEM") },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --test, --test-file, --send-test or --check-certificate: "
       "print the result as one JSON object"), NULL },
  { "detect", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Find the settings for ADDRESS (--json, --cafile)"), N_("ADDRESS") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

const GOptionEntry *
sk_cli_get_option_entries (void)
{
  return option_entries;
}

/* What the options said; a command is the one that is not NULL (or list). */
typedef struct
{
  gboolean  list;
  char     *export_name;
  char     *import_path;
  char     *test_name;
  char     *test_path;
  char     *certificate_path;
  char     *import_certificate_path;
  char     *send_name;
  char     *detect_address;
  char     *sign_in_name;
  char     *sign_out_name;
  char     *account_name;
  char     *email;
  char     *cafile;
  gboolean  password_stdin;
  gboolean  json;
} Options;

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->export_name, g_free);
  g_clear_pointer (&options->import_path, g_free);
  g_clear_pointer (&options->test_name, g_free);
  g_clear_pointer (&options->test_path, g_free);
  g_clear_pointer (&options->certificate_path, g_free);
  g_clear_pointer (&options->import_certificate_path, g_free);
  g_clear_pointer (&options->send_name, g_free);
  g_clear_pointer (&options->detect_address, g_free);
  g_clear_pointer (&options->sign_in_name, g_free);
  g_clear_pointer (&options->sign_out_name, g_free);
  g_clear_pointer (&options->account_name, g_free);
  g_clear_pointer (&options->email, g_free);
  g_clear_pointer (&options->cafile, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static void
read_options (GVariantDict *dict,
              Options      *options)
{
  g_variant_dict_lookup (dict, "list", "b", &options->list);
  g_variant_dict_lookup (dict, "export", "s", &options->export_name);
  g_variant_dict_lookup (dict, "import", "^ay", &options->import_path);
  g_variant_dict_lookup (dict, "test", "s", &options->test_name);
  g_variant_dict_lookup (dict, "test-file", "^ay", &options->test_path);
  g_variant_dict_lookup (dict, "password-stdin", "b", &options->password_stdin);
  g_variant_dict_lookup (dict, "cafile", "^ay", &options->cafile);
  g_variant_dict_lookup (dict, "json", "b", &options->json);
  g_variant_dict_lookup (dict, "check-certificate", "^ay", &options->certificate_path);
  g_variant_dict_lookup (dict, "email", "s", &options->email);
  g_variant_dict_lookup (dict, "import-certificate", "^ay", &options->import_certificate_path);
  g_variant_dict_lookup (dict, "account", "s", &options->account_name);
  g_variant_dict_lookup (dict, "send-test", "s", &options->send_name);
  g_variant_dict_lookup (dict, "detect", "s", &options->detect_address);
  g_variant_dict_lookup (dict, "sign-in", "s", &options->sign_in_name);
  g_variant_dict_lookup (dict, "sign-out", "s", &options->sign_out_name);
}

static guint
count_commands (const Options *options)
{
  return (options->list ? 1 : 0) + (options->export_name ? 1 : 0)
         + (options->import_path ? 1 : 0) + (options->test_name ? 1 : 0)
         + (options->test_path ? 1 : 0) + (options->certificate_path ? 1 : 0)
         + (options->import_certificate_path ? 1 : 0) + (options->send_name ? 1 : 0)
         + (options->detect_address ? 1 : 0);
}

/* What is wrong with the combination of options, or NULL.  The order of
 * the checks decides which problem a script sees first: keep it. */
static const char *
find_usage_problem (const Options *options)
{
  gboolean takes_password = options->test_name != NULL || options->test_path != NULL
                            || options->certificate_path != NULL || options->send_name != NULL
                            || options->import_certificate_path != NULL;

  /* --sign-in takes --cafile alone: its provider's endpoints may use a
   * CA of IT support's own. */
  if (options->sign_in_name != NULL
      && (count_commands (options) > 0 || options->password_stdin || options->json))
    return _("--sign-in NAME goes alone, or with --cafile PEM.");
  if (options->sign_in_name != NULL)
    return NULL;

  if (options->sign_out_name != NULL
      && (count_commands (options) > 0 || options->password_stdin || options->json
          || options->cafile != NULL))
    return _("--sign-out NAME goes alone.");
  if (options->sign_out_name != NULL)
    return NULL;

  if (count_commands (options) > 1)
    return _("Give only one of --list, --export, --import, --test, --test-file, "
             "--check-certificate, --import-certificate and --send-test.");

  if (options->detect_address != NULL && options->password_stdin)
    return _("--detect takes no password: --password-stdin does not go with it.");

  if (!takes_password && options->detect_address == NULL
      && (options->password_stdin || options->cafile != NULL || options->json))
    return _("--password-stdin, --cafile and --json go with --test, --test-file, "
             "--send-test, --check-certificate or --import-certificate.");

  if (options->import_certificate_path != NULL && (options->cafile != NULL || options->json))
    return _("--cafile and --json do not go with --import-certificate.");

  if ((options->import_certificate_path == NULL) != (options->account_name == NULL))
    return _("--import-certificate FILE needs --account NAME, the account to add it to.");

  if (options->certificate_path == NULL && options->email != NULL)
    return _("--email goes with --check-certificate.");

  return NULL;
}

static int
run_command (const Options *options)
{
  g_autoptr(SkAccountStore) store = NULL;
  SkCliTestOptions test_options = { options->password_stdin, options->cafile, options->json };

  if (options->certificate_path != NULL)
    {
      SkCliCertificateOptions certificate_options = {
        options->email, options->password_stdin, options->cafile, options->json
      };

      return sk_cli_check_certificate (options->certificate_path, &certificate_options);
    }

  if (options->detect_address != NULL)
    {
      SkCliDetectOptions detect_options = { options->cafile, options->json };

      return sk_cli_detect (options->detect_address, &detect_options);
    }

  if (options->test_path != NULL)
    return sk_cli_test_file (options->test_path, &test_options);

  store = sk_account_store_new (NULL);

  if (options->sign_in_name != NULL)
    return sk_cli_sign_in (store, options->sign_in_name, options->cafile);
  if (options->sign_out_name != NULL)
    return sk_cli_sign_out (store, options->sign_out_name);

  if (options->list)
    return sk_cli_list (store);
  if (options->export_name != NULL)
    return sk_cli_export (store, options->export_name);
  if (options->test_name != NULL)
    return sk_cli_test (store, options->test_name, &test_options);
  if (options->import_certificate_path != NULL)
    return sk_cli_import_certificate (store, options->import_certificate_path,
                                      options->account_name, options->password_stdin);
  if (options->send_name != NULL)
    return sk_cli_send_test (store, options->send_name, &test_options);
  return sk_cli_import (store, options->import_path);
}

int
sk_cli_handle_options (GVariantDict *dict)
{
  g_auto(Options) options = { FALSE, };
  const char *problem;

  g_return_val_if_fail (dict != NULL, SK_EXIT_USAGE);

  if (g_variant_dict_contains (dict, "version"))
    {
      g_print ("skrzynka %s\n", PACKAGE_VERSION);
      return SK_EXIT_OK;
    }

  read_options (dict, &options);

  problem = find_usage_problem (&options);
  if (problem != NULL)
    {
      g_printerr ("skrzynka: %s\n", problem);
      return SK_EXIT_USAGE;
    }

  if (count_commands (&options) == 0 && options.sign_in_name == NULL
      && options.sign_out_name == NULL)
    return -1;

  return run_command (&options);
}
