/* test-cli-options.c — the command line's options and which of them go
 * together, in-process, as GApplication hands them over
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cli/sk-cli.h"

/* Each long name once, and every value left in the GVariantDict. */
static void
test_entries (void)
{
  const GOptionEntry *entries = sk_cli_get_option_entries ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = 0;

  for (; entries[n].long_name != NULL; n++)
    {
      g_test_message ("--%s", entries[n].long_name);
      g_assert_null (entries[n].arg_data);
      g_assert_nonnull (entries[n].description);
      g_assert_true (g_hash_table_add (seen, (gpointer) entries[n].long_name));
    }

  g_assert_cmpuint (n, ==, 17);
  g_assert_true (g_hash_table_contains (seen, "detect"));
  g_assert_true (g_hash_table_contains (seen, "sign-in"));
  g_assert_true (g_hash_table_contains (seen, "sign-out"));
  g_assert_true (g_hash_table_contains (seen, "check-certificate"));
  g_assert_true (g_hash_table_contains (seen, "password-stdin"));
}

static GVariantDict *
parse (const char *first,
       ...)
{
  GVariantDict *dict = g_variant_dict_new (NULL);
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        g_variant_dict_insert (dict, name, "b", TRUE);
      else if (strcmp (name, "import") == 0 || strcmp (name, "test-file") == 0
               || strcmp (name, "cafile") == 0 || strcmp (name, "check-certificate") == 0
               || strcmp (name, "import-certificate") == 0)
        g_variant_dict_insert (dict, name, "^ay", value);
      else
        g_variant_dict_insert (dict, name, "s", value);
    }
  va_end (args);

  return dict;
}

/* No command: the window opens, and nothing is printed. */
static void
test_no_command (void)
{
  g_autoptr(GVariantDict) dict = parse (NULL, NULL);

  g_assert_cmpint (sk_cli_handle_options (dict), ==, -1);
}

static void
test_version (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GVariantDict) dict = parse ("version", NULL, NULL);

      g_assert_cmpint (sk_cli_handle_options (dict), ==, 0);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("skrzynka " PACKAGE_VERSION "\n");
  g_test_trap_assert_stderr ("");
}

/* Bad usage: exit status 2, and one line saying what goes with what. */
typedef struct
{
  const char *options[6];
  const char *message;
} Refused;

static const Refused refused_cases[] = {
  { { "list", NULL, "export", "Biuro" }, "Give only one of --list, --export," },
  { { "test", "Biuro", "check-certificate", "a.p12" }, "Give only one of" },
  { { "json", NULL }, "--password-stdin, --cafile and --json go with --test," },
  { { "list", NULL, "password-stdin", NULL }, "--password-stdin, --cafile and --json go with" },
  { { "cafile", "ca.pem" }, "--password-stdin, --cafile and --json go with" },
  { { "import-certificate", "a.p12", "account", "Biuro", "json", NULL },
    "--cafile and --json do not go with --import-certificate." },
  { { "import-certificate", "a.p12" }, "--import-certificate FILE needs --account NAME" },
  { { "account", "Biuro" }, "--import-certificate FILE needs --account NAME" },
  { { "email", "biuro@firma.example" }, "--email goes with --check-certificate." },
  { { "test", "Biuro", "email", "biuro@firma.example" }, "--email goes with" },
  { { "detect", "jan@firma.example", "list", NULL }, "Give only one of" },
  { { "detect", "jan@firma.example", "password-stdin", NULL }, "--detect takes no password" },
  { { "sign-in", "Biuro", "test", "Biuro" }, "--sign-in NAME goes alone, or with --cafile PEM." },
  { { "sign-in", "Biuro", "json", NULL }, "--sign-in NAME goes alone" },
  { { "sign-in", "Biuro", "password-stdin", NULL }, "--sign-in NAME goes alone" },
  { { "sign-out", "Biuro", "list", NULL }, "--sign-out NAME goes alone." },
  { { "sign-out", "Biuro", "cafile", "ca.pem" }, "--sign-out NAME goes alone." },
};

static void
test_refused (gconstpointer data)
{
  const Refused *refused = data;
  g_autofree char *pattern = NULL;

  if (g_test_subprocess ())
    {
      const char * const *o = refused->options;
      g_autoptr(GVariantDict) dict = parse (o[0], o[1], o[2], o[3], o[4], o[5], NULL, NULL);

      g_assert_cmpint (sk_cli_handle_options (dict), ==, 2);
      return;
    }

  pattern = g_strdup_printf ("skrzynka: %s*\n", refused->message);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr (pattern);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sk/cli-options/entries", test_entries);
  g_test_add_func ("/sk/cli-options/no-command", test_no_command);
  g_test_add_func ("/sk/cli-options/version", test_version);
  for (guint i = 0; i < G_N_ELEMENTS (refused_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sk/cli-options/refused/%u", i);

      g_test_add_data_func (path, &refused_cases[i], test_refused);
    }

  return g_test_run ();
}
