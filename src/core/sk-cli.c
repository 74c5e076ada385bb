/* sk-cli.c — the headless command line (for IT support and scripts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "sk-account-keyfile.h"
#include "sk-cli.h"
#include "sk-connection-test.h"
#include "sk-secret.h"

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

/* Loads the store and finds the account called name; when that fails, says
 * why and sets *status: SK_EXIT_USAGE for an unreadable store, missing_status
 * for an unknown name. */
static SkAccount *
find_account (SkAccountStore *store,
              const char     *name,
              int             missing_status,
              int            *status)
{
  g_autoptr(GError) error = NULL;
  SkAccount *account;

  if (!sk_account_store_load (store, &error))
    {
      print_problem (NULL, error->message);
      *status = SK_EXIT_USAGE;
      return NULL;
    }

  account = sk_account_store_find_by_name (store, name);
  if (account == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("no account named “%s”"), name);

      print_problem (NULL, message);
      *status = missing_status;
    }

  return account;
}

int
sk_cli_export (SkAccountStore *store,
               const char     *name)
{
  g_autofree char *data = NULL;
  SkAccount *account;
  int status;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (store), SK_EXIT_USAGE);
  g_return_val_if_fail (name != NULL, SK_EXIT_USAGE);

  account = find_account (store, name, SK_EXIT_FAILED, &status);
  if (account == NULL)
    return status;

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

/* Test connection */

/* A password longer than this is not a password. */
#define MAX_STDIN (16 * 1024)

typedef struct
{
  char *incoming;
  char *outgoing;
} Passwords;

static void
passwords_clear (Passwords *passwords)
{
  g_clear_pointer (&passwords->incoming, sk_secret_free);
  g_clear_pointer (&passwords->outgoing, sk_secret_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Passwords, passwords_clear)

static gboolean
has_separate_outgoing_login (SkAccount *account)
{
  return sk_account_get_outgoing_auth (account) && !sk_account_get_outgoing_same_login (account);
}

/*
 * --password-stdin: all of standard input, without one trailing newline.
 * With a separate outgoing login, a second line is that password (without
 * one, the first line serves both).  NUL, CR or any other line break is
 * refused: it would put a command of its own on the wire.
 *
 * Read with read(2) into a buffer that never grows, so that neither stdio
 * nor a reallocation leaves an unwiped copy behind.
 */
static gboolean
read_stdin_passwords (gboolean    two_lines,
                      Passwords  *passwords,
                      char      **problem)
{
  char *data = g_malloc0 (MAX_STDIN + 1);
  gsize length = 0;
  char *line_break;
  gboolean ok = FALSE;

  for (;;)
    {
      gssize n = read (STDIN_FILENO, data + length, MAX_STDIN + 1 - length);

      if (n < 0 && errno == EINTR)
        continue;

      if (n < 0)
        {
          int saved_errno = errno;

          *problem = g_strdup_printf (_("The password cannot be read from standard input: %s"),
                                      g_strerror (saved_errno));
          goto out;
        }

      if (n == 0)
        break;

      length += n;
      if (length > MAX_STDIN)
        {
          *problem = g_strdup (_("Standard input is too long to be a password."));
          goto out;
        }
    }

  if (length > 0 && data[length - 1] == '\n')
    data[--length] = '\0';

  if (memchr (data, '\0', length) != NULL || memchr (data, '\r', length) != NULL)
    {
      *problem = g_strdup (_("The password on standard input holds a NUL or carriage return "
                             "character. Give it on one line, ending with a newline only."));
      goto out;
    }

  line_break = memchr (data, '\n', length);
  if (line_break != NULL && (!two_lines || strchr (line_break + 1, '\n') != NULL))
    {
      *problem = two_lines
                 ? g_strdup (_("Standard input holds more than two lines. Give the password "
                               "on the first line and the outgoing server’s password on the second."))
                 : g_strdup (_("Standard input holds more than one line. Give the password "
                               "on one line."));
      goto out;
    }

  if (line_break != NULL)
    *line_break = '\0';

  /* An empty password is a forgotten pipe, not a password worth a login. */
  if (data[0] == '\0')
    {
      *problem = g_strdup (_("No password came on standard input. Give it on one line, "
                             "for example: echo \"$PASSWORD\" | skrzynka --test NAME --password-stdin"));
      goto out;
    }

  if (line_break != NULL)
    passwords->outgoing = g_strdup (line_break + 1);
  passwords->incoming = g_strdup (data);
  ok = TRUE;

out:
  explicit_bzero (data, MAX_STDIN + 1);
  g_free (data);
  return ok;
}

typedef struct
{
  GMainContext *context;
  gboolean      json;
  gboolean      done;
  SkTestResult *result;
  GError       *error;
  char         *password;   /* a keyring lookup's, wiped */
} CliTest;

static void
cli_test_clear (CliTest *cli)
{
  g_clear_pointer (&cli->result, sk_test_result_free);
  g_clear_error (&cli->error);
  g_clear_pointer (&cli->password, sk_secret_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliTest, cli_test_clear)

static void
wait_until_done (CliTest *cli)
{
  while (!cli->done)
    g_main_context_iteration (cli->context, TRUE);
  cli->done = FALSE;
}

static void
lookup_done (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CliTest *cli = user_data;

  cli->password = sk_secret_lookup_finish (result, &cli->error);
  cli->done = TRUE;
}

/* The keyring's password for role, or NULL with a problem to print. */
static char *
lookup_password (CliTest      *cli,
                 SkAccount    *account,
                 SkSecretRole  role,
                 char        **problem)
{
  sk_secret_lookup_async (sk_account_get_id (account), role, NULL, lookup_done, cli);
  wait_until_done (cli);

  if (cli->error != NULL)
    {
      if (g_error_matches (cli->error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING))
        *problem = g_strdup (_("No keyring answered, so the saved password cannot be read. "
                               "Give the password with --password-stdin."));
      else
        *problem = g_strdup_printf (_("The saved password cannot be read: %s"),
                                    cli->error->message);
      g_clear_error (&cli->error);
      return NULL;
    }

  if (cli->password == NULL)
    {
      *problem = g_strdup_printf (_("No password is saved for “%s”. "
                                    "Give it with --password-stdin."),
                                  sk_account_get_name (account));
      return NULL;
    }

  return g_steal_pointer (&cli->password);
}

static const char *
side_label (SkTestSide side)
{
  return side == SK_TEST_SIDE_INCOMING ? _("Incoming") : _("Outgoing");
}

static const char *
step_label (SkTestStep step)
{
  switch (step)
    {
    case SK_TEST_STEP_RESOLVE:
      return _("find the server");
    case SK_TEST_STEP_CONNECT:
      return _("connect");
    case SK_TEST_STEP_TLS:
      return _("secure connection");
    case SK_TEST_STEP_GREETING:
      return _("server greeting");
    case SK_TEST_STEP_LOGIN:
      return _("log in");
    case SK_N_TEST_STEPS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
print_step (SkTestSide   side,
            SkTestStep   step,
            SkStepState  state,
            double       seconds,
            gpointer     user_data)
{
  if (state == SK_STEP_OK)
    /* Translators: "Incoming: connect: done (0.03 s)" */
    g_printerr (_("%s: %s: done (%.2f s)\n"), side_label (side), step_label (step), seconds);
  else if (state == SK_STEP_FAILED)
    g_printerr (_("%s: %s: failed (%.2f s)\n"), side_label (side), step_label (step), seconds);
}

static void
test_done (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CliTest *cli = user_data;

  cli->result = sk_connection_test_finish (result, &cli->error);
  cli->done = TRUE;
}

static gboolean
interrupted (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static void
print_side (SkSideResult *side)
{
  g_autofree char *protocol = g_ascii_strup (sk_protocol_to_string (side->protocol), -1);
  g_autofree char *message = g_strdup (side->diagnosis->message);

  g_strdelimit (message, "\r\n", ' ');
  /* Translators: "Incoming (IMAP, imap.example.com:993): the sentence" */
  g_print (_("%s (%s, %s:%u): %s\n"), side_label (side->side), protocol,
           side->host, side->port, message);

  /* The details IT support asks for first, beside the sentence. */
  if (!side->ok && side->certificate != NULL && !side->certificate->trusted)
    g_printerr (_("%s: the server’s certificate: %s, issued by %s, SHA-256 %s\n"),
                side_label (side->side), side->certificate->subject,
                side->certificate->issuer, side->certificate->sha256);
  if (!side->ok && side->server_reply != NULL)
    {
      g_autofree char *reply = g_strdup (side->server_reply);

      g_strdelimit (reply, "\r\n", ' ');
      g_printerr (_("%s: the server’s last reply: %s\n"), side_label (side->side), reply);
    }
}

/* Runs the test on a main context of its own: the command line runs
 * before any main loop (and needs no display). */
static int
run_test (SkAccount              *account,
          const SkCliTestOptions *options)
{
  g_auto(CliTest) cli = { NULL, };
  g_auto(Passwords) passwords = { NULL, };
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) interrupt = NULL;
  g_autofree char *problem = NULL;
  gboolean separate = has_separate_outgoing_login (account);
  SkTestOptions test_options = { options->cafile };
  int status;

  g_main_context_push_thread_default (context);
  cli.context = context;
  cli.json = options->json;

  if (options->password_stdin)
    {
      if (!read_stdin_passwords (separate, &passwords, &problem))
        goto usage;
    }
  else
    {
      passwords.incoming = lookup_password (&cli, account, SK_SECRET_INCOMING, &problem);
      if (passwords.incoming == NULL)
        goto usage;
      if (separate)
        {
          passwords.outgoing = lookup_password (&cli, account, SK_SECRET_OUTGOING, &problem);
          if (passwords.outgoing == NULL)
            goto usage;
        }
    }

  sk_account_set_password (account, passwords.incoming);
  if (separate)
    sk_account_set_outgoing_password (account, passwords.outgoing != NULL
                                               ? passwords.outgoing : passwords.incoming);

  /* Ctrl+C ends the test as the Cancel button does. */
  interrupt = g_unix_signal_source_new (SIGINT);
  g_source_set_callback (interrupt, interrupted, cancellable, NULL);
  g_source_attach (interrupt, context);

  sk_connection_test_async (account, &test_options,
                            options->json ? NULL : print_step, NULL, NULL,
                            cancellable, test_done, &cli);
  wait_until_done (&cli);
  g_source_destroy (interrupt);

  if (cli.error != NULL)
    {
      problem = g_strdup (cli.error->message);
      goto usage;
    }

  if (options->json)
    {
      g_autofree char *json = sk_test_result_to_json (cli.result);

      print_data (json);
      print_data ("\n");
    }
  else
    {
      for (guint i = 0; i < SK_N_TEST_SIDES; i++)
        print_side (cli.result->sides[i]);
    }

  status = cli.result->ok ? SK_EXIT_OK : SK_EXIT_FAILED;
  g_main_context_pop_thread_default (context);
  return status;

usage:
  print_problem (NULL, problem);
  g_main_context_pop_thread_default (context);
  return SK_EXIT_USAGE;
}

int
sk_cli_test (SkAccountStore         *store,
             const char             *name,
             const SkCliTestOptions *options)
{
  g_autoptr(SkAccount) account = NULL;
  SkAccount *saved;
  int status;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (store), SK_EXIT_USAGE);
  g_return_val_if_fail (name != NULL, SK_EXIT_USAGE);
  g_return_val_if_fail (options != NULL, SK_EXIT_USAGE);

  saved = find_account (store, name, SK_EXIT_USAGE, &status);
  if (saved == NULL)
    return status;

  /* The password goes into a copy, not into the store's account. */
  account = sk_account_copy (saved);

  return run_test (account, options);
}

int
sk_cli_test_file (const char             *path,
                  const SkCliTestOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAccount) account = NULL;
  g_autofree char *display_path = NULL;

  g_return_val_if_fail (path != NULL, SK_EXIT_USAGE);
  g_return_val_if_fail (options != NULL, SK_EXIT_USAGE);

  display_path = g_filename_display_name (path);

  /* Only the account's own settings matter: its name may be taken. */
  account = sk_account_import_file (path, NULL, &error);
  if (account == NULL)
    {
      print_problem (display_path, error->message);
      return SK_EXIT_USAGE;
    }

  return run_test (account, options);
}
