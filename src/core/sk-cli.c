/* sk-cli.c — the headless command line (for IT support and scripts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "sk-account-keyfile.h"
#include "sk-cli.h"

/* Messages go through g_printerr()/g_print(), which convert to the
 * terminal's character set.  Data (the --list lines, the exported key file)
 * is written as UTF-8 whatever the locale: it is read back by scripts and by
 * --import, and a conversion to ASCII would turn "Biuro Łódź" into
 * question marks. */
static void
print_data (const char *text)
{
  fputs (text, stdout);
  fflush (stdout);
}

/* One line whatever the message holds, so that scripts can count lines. */
static void
print_problem (const char *prefix,
               const char *message)
{
  g_autofree char *line = g_strdup (message);

  g_strdelimit (line, "\r\n", ' ');
  if (prefix != NULL)
    g_printerr ("skrzynka: %s: %s\n", prefix, line);
  else
    g_printerr ("skrzynka: %s\n", line);
}

/* A field of a --list line: tabs and line breaks would split the line. */
static void
append_field (GString    *line,
              const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    g_string_append_c (line, g_ascii_iscntrl (*p) ? ' ' : *p);
}

/*
 * --list prints one line per saved account, sorted by name:
 *
 *   NAME<TAB>EMAIL<TAB>TYPE<TAB>STATE
 *
 * TYPE is "imap" or "pop3", STATE "active" or "inactive"; control
 * characters within a field are printed as spaces.  Scripts rely on this
 * format: add columns only at the end.
 */
int
sk_cli_list (SkAccountStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (store), SK_EXIT_USAGE);

  if (!sk_account_store_load (store, &error))
    {
      print_problem (NULL, error->message);
      return SK_EXIT_USAGE;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);

      append_field (out, sk_account_get_name (account));
      g_string_append_c (out, '\t');
      append_field (out, sk_account_get_email (account));
      g_string_append_c (out, '\t');
      g_string_append (out, sk_account_type_to_string (sk_account_get_account_type (account)));
      g_string_append_c (out, '\t');
      g_string_append (out, sk_account_get_inactive (account) ? "inactive" : "active");
      g_string_append_c (out, '\n');
    }

  print_data (out->str);

  return SK_EXIT_OK;
}

int
sk_cli_export (SkAccountStore *store,
               const char     *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  SkAccount *account;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (store), SK_EXIT_USAGE);
  g_return_val_if_fail (name != NULL, SK_EXIT_USAGE);

  if (!sk_account_store_load (store, &error))
    {
      print_problem (NULL, error->message);
      return SK_EXIT_USAGE;
    }

  account = sk_account_store_find_by_name (store, name);
  if (account == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("no account named “%s”"), name);

      print_problem (NULL, message);
      return SK_EXIT_FAILED;
    }

  data = sk_account_export (account);
  print_data (data);

  return SK_EXIT_OK;
}

int
sk_cli_import (SkAccountStore *store,
               const char     *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAccount) account = NULL;
  g_auto(GStrv) taken_names = NULL;
  g_autofree char *display_path = NULL;
  gboolean started_empty = FALSE;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (store), SK_EXIT_USAGE);
  g_return_val_if_fail (path != NULL, SK_EXIT_USAGE);

  display_path = g_filename_display_name (path);

  if (!sk_account_store_load (store, &error))
    {
      print_problem (NULL, error->message);

      /* A damaged file has been moved aside and kept: the account can go
       * into the new, empty list without losing anything.  (If it could not
       * be moved, saving refuses below.)  Any other error leaves a file we
       * could not read in place, and nothing is saved over it. */
      if (!g_error_matches (error, SK_STORE_ERROR, SK_STORE_ERROR_DAMAGED))
        return SK_EXIT_USAGE;

      started_empty = TRUE;
      g_clear_error (&error);
    }

  taken_names = sk_account_store_dup_names (store, NULL);
  account = sk_account_import_file (path, (const char * const *) taken_names, &error);
  if (account == NULL)
    {
      print_problem (display_path, error->message);
      return SK_EXIT_USAGE;
    }

  sk_account_store_put (store, account);
  if (!sk_account_store_save (store, &error))
    {
      print_problem (NULL, error->message);
      return SK_EXIT_FAILED;
    }

  if (started_empty)
    g_print (_("The account was added to a new, empty list of accounts.\n"));
  g_print (_("Imported “%s”.\n"), sk_account_get_name (account));

  return SK_EXIT_OK;
}
