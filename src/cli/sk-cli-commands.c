/* sk-cli-commands.c — what each command of the command line does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Cli"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "core/sk-account-keyfile.h"
#include "core/sk-certificate.h"
#include "core/sk-certificate-store.h"
#include "core/sk-connection-test.h"
#include "core/sk-core-enums.h"
#include "core/sk-format.h"
#include "core/sk-json.h"
#include "core/sk-oauth2-provider.h"
#include "core/sk-secret.h"
#include "core/sk-sign-in.h"
#include "core/sk-test-message.h"

#include "sk-cli-commands.h"

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

static void
stdin_free (char *data)
{
  explicit_bzero (data, MAX_STDIN + 1);
  g_free (data);
}

/*
 * All of standard input, without one trailing newline, in a buffer of
 * MAX_STDIN + 1 bytes that stdin_free() wipes; NULL with a problem to
 * print when it cannot be read, is too long or holds a NUL or CR (which
 * would put a command of its own on the wire).
 *
 * Read with read(2) into a buffer that never grows, so that neither stdio
 * nor a reallocation leaves an unwiped copy behind.
 */
static char *
read_stdin (char **problem)
{
  char *data = g_malloc0 (MAX_STDIN + 1);
  gsize length = 0;

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
          goto fail;
        }

      if (n == 0)
        break;

      length += n;
      if (length > MAX_STDIN)
        {
          *problem = g_strdup (_("Standard input is too long to be a password."));
          goto fail;
        }
    }

  if (length > 0 && data[length - 1] == '\n')
    data[--length] = '\0';

  if (memchr (data, '\0', length) != NULL || memchr (data, '\r', length) != NULL)
    {
      *problem = g_strdup (_("The password on standard input holds a NUL or carriage return "
                             "character. Give it on one line, ending with a newline only."));
      goto fail;
    }

  return data;

fail:
  stdin_free (data);
  return NULL;
}

/*
 * --password-stdin: one line.  With a separate outgoing login, a second
 * line is that password (without one, the first line serves both).
 */
static gboolean
read_stdin_passwords (gboolean    two_lines,
                      Passwords  *passwords,
                      char      **problem)
{
  char *data = read_stdin (problem);
  char *line_break;
  gboolean ok = FALSE;

  if (data == NULL)
    return FALSE;

  line_break = strchr (data, '\n');
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
  stdin_free (data);
  return ok;
}

/* The command line calls the same _async API as the window and waits for
 * each call on a main context of its own, the thread default while the
 * command runs, so that progress and Ctrl+C arrive there too (as
 * goa_mail_client_check_sync() does).  The command line runs before any
 * main loop, and needs no display. */
typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} Sync;

static void
sync_init (Sync *sync)
{
  sync->context = g_main_context_new ();
  sync->result = NULL;
  g_main_context_push_thread_default (sync->context);
}

static void
sync_clear (Sync *sync)
{
  if (sync->context == NULL)
    return;

  g_clear_object (&sync->result);
  g_main_context_pop_thread_default (sync->context);
  g_clear_pointer (&sync->context, g_main_context_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sync, sync_clear)

/* The GAsyncReadyCallback of every call, with the Sync as user data. */
static void
sync_done (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Sync *sync = user_data;

  g_assert (sync->result == NULL);
  sync->result = g_object_ref (result);
}

/* Runs the context until the call has finished, and returns its result
 * for the _finish function (transfer full). */
static GAsyncResult *
sync_wait (Sync *sync)
{
  while (sync->result == NULL)
    g_main_context_iteration (sync->context, TRUE);

  return g_steal_pointer (&sync->result);
}

/* The keyring's password for role, or NULL with a problem to print. */
static char *
lookup_password (Sync          *sync,
                 SkAccount     *account,
                 SkSecretRole   role,
                 char         **problem)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  sk_secret_lookup_async (sk_account_get_id (account), role, NULL, sync_done, sync);
  result = sync_wait (sync);
  password = sk_secret_lookup_finish (result, &error);

  if (error != NULL)
    {
      if (g_error_matches (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING))
        *problem = g_strdup (_("No keyring answered, so the saved password cannot be read. "
                               "Give the password with --password-stdin."));
      else
        *problem = g_strdup_printf (_("The saved password cannot be read: %s"),
                                    error->message);
      return NULL;
    }

  if (password == NULL)
    {
      *problem = g_strdup_printf (_("No password is saved for “%s”. "
                                    "Give it with --password-stdin."),
                                  sk_account_get_name (account));
      return NULL;
    }

  return password;
}

/* The passwords the account logs in with, from standard input or the
 * keyring, set on account; FALSE with a problem to print. */
static gboolean
set_passwords (Sync       *sync,
               SkAccount  *account,
               gboolean    password_stdin,
               char      **problem)
{
  g_auto(Passwords) passwords = { NULL, };
  SkOutgoingLogin login = sk_account_get_outgoing_login (account);
  gboolean outgoing_signs_in = sk_account_get_outgoing_auth_method (account) == SK_AUTH_METHOD_OAUTH2;
  gboolean separate = login == SK_OUTGOING_LOGIN_OWN && !outgoing_signs_in;

  /* A sign-in with the provider takes its token from the keyring. */
  if (sk_account_get_incoming_auth_method (account) == SK_AUTH_METHOD_OAUTH2
      && !separate && (login != SK_OUTGOING_LOGIN_INCOMING || outgoing_signs_in))
    return TRUE;

  if (password_stdin)
    {
      if (!read_stdin_passwords (separate, &passwords, problem))
        return FALSE;
    }
  else
    {
      passwords.incoming = lookup_password (sync, account, SK_SECRET_INCOMING, problem);
      if (passwords.incoming == NULL)
        return FALSE;
      if (separate)
        {
          passwords.outgoing = lookup_password (sync, account, SK_SECRET_OUTGOING, problem);
          if (passwords.outgoing == NULL)
            return FALSE;
        }
    }

  sk_account_set_password (account, passwords.incoming);
  if (separate)
    sk_account_set_outgoing_password (account, passwords.outgoing != NULL
                                               ? passwords.outgoing : passwords.incoming);

  return TRUE;
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

/* The settings a test needs, checked before any password is asked for;
 * FALSE when one is wrong, said as --import says it: "KEY: problem". */
static gboolean
can_test (SkAccount  *account,
          SkTestMode  mode)
{
  g_autoptr(SkProblem) problem = sk_account_find_test_problem (account, mode);

  if (problem == NULL)
    return TRUE;

  print_problem (sk_field_get_key (problem->field), problem->message);
  return FALSE;
}

/* Ctrl+C cancels, as the Cancel button does, until the source is
 * destroyed. */
static GSource *
watch_interrupt (Sync         *sync,
                 GCancellable *cancellable)
{
  GSource *interrupt = g_unix_signal_source_new (SIGINT);

  g_source_set_callback (interrupt, interrupted, g_object_ref (cancellable), g_object_unref);
  g_source_attach (interrupt, sync->context);

  return interrupt;
}

static SkTestResult *
test_connection (Sync                    *sync,
                 SkAccount               *account,
                 const SkCliTestOptions  *options,
                 GError                 **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) interrupt = watch_interrupt (sync, cancellable);
  g_autoptr(GAsyncResult) result = NULL;
  SkTestOptions test_options = { options->cafile };

  sk_connection_test_async (account, &test_options,
                            options->json ? NULL : print_step, NULL, NULL,
                            cancellable, sync_done, sync);
  result = sync_wait (sync);
  g_source_destroy (interrupt);

  return sk_connection_test_finish (result, error);
}

static int
run_test (SkAccount              *account,
          const SkCliTestOptions *options)
{
  g_auto(Sync) sync = { NULL, };
  g_autoptr(SkTestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;

  if (!can_test (account, SK_TEST_MODE_LOGIN))
    return SK_EXIT_USAGE;

  sync_init (&sync);

  if (!set_passwords (&sync, account, options->password_stdin, &problem))
    {
      print_problem (NULL, problem);
      return SK_EXIT_USAGE;
    }

  result = test_connection (&sync, account, options, &error);
  if (result == NULL)
    {
      print_problem (NULL, error->message);
      return SK_EXIT_USAGE;
    }

  if (options->json)
    {
      g_autofree char *json = sk_test_result_to_json (result);

      print_data (json);
      print_data ("\n");
    }
  else
    {
      for (guint i = 0; i < SK_N_TEST_SIDES; i++)
        print_side (result->sides[i]);
    }

  return result->ok ? SK_EXIT_OK : SK_EXIT_FAILED;
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

/* A file's account has no sign-in of its own: the saved account of the
 * same name lends its own (the keyring keeps it by the account's id), so
 * that IT support can try other settings for a signed-in mailbox. */
static SkAccount *
take_saved_sign_in (SkAccount *account)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  SkAccount *saved = NULL;
  SkAccount *copy;

  if (sk_account_store_load (store, NULL))
    saved = sk_account_store_find_by_name (store, sk_account_get_name (account));
  if (saved == NULL)
    return g_object_ref (account);

  copy = sk_account_new_with_id (sk_account_get_id (saved));
  sk_account_assign (copy, account);

  return copy;
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

  if (sk_account_uses_oauth2 (account))
    {
      SkAccount *with_sign_in = take_saved_sign_in (account);

      g_object_unref (account);
      account = with_sign_in;
    }

  return run_test (account, options);
}

/* Check a certificate */

/* One line of a --check-certificate password, which may be empty (a .p12
 * exported without one); NULL with a problem to print. */
static char *
read_stdin_certificate_password (char **problem)
{
  char *data = read_stdin (problem);
  char *password;

  if (data == NULL)
    return NULL;

  if (strchr (data, '\n') != NULL)
    {
      *problem = g_strdup (_("Standard input holds more than one line. Give the password "
                             "on one line."));
      stdin_free (data);
      return NULL;
    }

  password = g_strdup (data);
  stdin_free (data);

  return password;
}

static const char *
error_to_string (const GError *error)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (SK_TYPE_CERTIFICATE_ERROR);
  GEnumValue *value = g_enum_get_value (enum_class, error->code);

  g_assert (error->domain == SK_CERTIFICATE_ERROR && value != NULL);

  /* The class outlives this reference: the type is static. */
  return value->value_nick;
}

/*
 * The JSON of --check-certificate, one object:
 *
 *   { "subject": "CN=…", "emails": ["…"], "issuer": "CN=…",
 *     "not_before": "2025-03-03T12:00:00Z", "not_after": "…",
 *     "sha256": "AB:CD:…", "status": "valid", "message": "…",
 *     "chain": { "ok": true, "message": "…" } }
 *
 * status is a certificate status or, when the file could not be opened,
 * "bad-password" or "unreadable"; then every field but status and message
 * is null.  Scripts rely on these names: add fields, never rename them.
 */
static char *
certificate_to_json (SkCertificate *certificate,
                     const char    *status,
                     const char    *message,
                     const char    *chain_message,
                     gboolean       chain_ok)
{
  GString *out = g_string_new ("{");
  const char * const *emails = certificate != NULL
                               ? sk_certificate_get_emails (certificate) : NULL;

  sk_json_key (out, "subject");
  sk_json_string (out, certificate != NULL ? sk_certificate_get_subject (certificate) : NULL);
  g_string_append_c (out, ',');
  sk_json_key (out, "emails");
  if (emails != NULL)
    {
      g_string_append_c (out, '[');
      for (guint i = 0; emails[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          sk_json_string (out, emails[i]);
        }
      g_string_append_c (out, ']');
    }
  else
    {
      g_string_append (out, "null");
    }
  g_string_append_c (out, ',');
  sk_json_key (out, "issuer");
  sk_json_string (out, certificate != NULL ? sk_certificate_get_issuer (certificate) : NULL);
  g_string_append_c (out, ',');
  sk_json_key (out, "not_before");
  sk_json_date (out, certificate != NULL ? sk_certificate_get_not_before (certificate) : NULL);
  g_string_append_c (out, ',');
  sk_json_key (out, "not_after");
  sk_json_date (out, certificate != NULL ? sk_certificate_get_not_after (certificate) : NULL);
  g_string_append_c (out, ',');
  sk_json_key (out, "sha256");
  sk_json_string (out, certificate != NULL ? sk_certificate_get_sha256 (certificate) : NULL);
  g_string_append_c (out, ',');
  sk_json_key (out, "status");
  sk_json_string (out, status);
  g_string_append_c (out, ',');
  sk_json_key (out, "message");
  sk_json_string (out, message);
  g_string_append_c (out, ',');
  sk_json_key (out, "chain");
  if (certificate != NULL)
    {
      g_string_append_c (out, '{');
      sk_json_key (out, "ok");
      sk_json_bool (out, chain_ok);
      g_string_append_c (out, ',');
      sk_json_key (out, "message");
      sk_json_string (out, chain_message);
      g_string_append_c (out, '}');
    }
  else
    {
      g_string_append (out, "null");
    }
  g_string_append (out, "}\n");

  return g_string_free (out, FALSE);
}

static void
print_certificate (SkCertificate *certificate,
                   const char    *message,
                   const char    *chain_message)
{
  const char * const *emails = sk_certificate_get_emails (certificate);
  g_autofree char *addresses = g_strjoinv (", ", (GStrv) emails);
  g_autofree char *from = sk_format_date_for_people (sk_certificate_get_not_before (certificate));
  g_autofree char *until = sk_format_date_for_people (sk_certificate_get_not_after (certificate));

  g_print (_("Subject: %s\n"), sk_certificate_get_subject (certificate));
  g_print (_("E-mail: %s\n"), emails[0] != NULL ? addresses : _("none"));
  g_print (_("Issuer: %s\n"), sk_certificate_get_issuer (certificate));
  g_print (_("Valid from: %s\n"), from);
  g_print (_("Valid to: %s\n"), until);
  g_print (_("SHA-256: %s\n"), sk_certificate_get_sha256 (certificate));
  g_print (_("Trust: %s\n"), chain_message);
  g_print (_("Status: %s\n"), message);
}

int
sk_cli_check_certificate (const char                    *path,
                          const SkCliCertificateOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) chain_error = NULL;
  g_autoptr(SkCertificate) certificate = NULL;
  g_autofree char *display_path = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *message = NULL;
  g_autofree char *json = NULL;
  const char *chain_message;
  SkCertificateStatus status;
  gboolean chain_ok;
  char *password = NULL;

  g_return_val_if_fail (path != NULL, SK_EXIT_USAGE);
  g_return_val_if_fail (options != NULL, SK_EXIT_USAGE);

  display_path = g_filename_display_name (path);

  if (options->password_stdin)
    {
      password = read_stdin_certificate_password (&problem);
      if (password == NULL)
        {
          print_problem (NULL, problem);
          return SK_EXIT_USAGE;
        }
    }

  certificate = sk_certificate_new_from_file (path, password, &error);
  g_clear_pointer (&password, sk_secret_free);

  if (certificate == NULL)
    {
      gboolean bad_password = g_error_matches (error, SK_CERTIFICATE_ERROR,
                                               SK_CERTIFICATE_ERROR_BAD_PASSWORD);

      /* No password was tried: none to type again. */
      if (bad_password && !options->password_stdin)
        message = g_strdup (_("This file is protected with a password. Give it on one line "
                              "on standard input, with --password-stdin."));
      else
        message = g_strdup (error->message);

      if (options->json)
        {
          json = certificate_to_json (NULL, error_to_string (error), message, NULL, FALSE);
          print_data (json);
        }
      else
        {
          print_problem (display_path, message);
        }

      return bad_password ? SK_EXIT_FAILED : SK_EXIT_USAGE;
    }

  chain_ok = sk_certificate_verify_chain (certificate, options->cafile, &chain_error);
  if (g_error_matches (chain_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    {
      print_problem (NULL, chain_error->message);
      return SK_EXIT_USAGE;
    }
  chain_message = chain_ok
                  ? _("Issued by a trusted certification authority.")
                  : chain_error->message;

  status = sk_certificate_get_status (certificate, options->email, NULL);
  message = sk_certificate_describe_status (certificate, status);

  if (options->json)
    {
      json = certificate_to_json (certificate, sk_certificate_status_to_string (status),
                                  message, chain_message, chain_ok);
      print_data (json);
    }
  else
    {
      print_certificate (certificate, message, chain_message);
    }

  return status == SK_CERTIFICATE_STATUS_VALID ? SK_EXIT_OK : SK_EXIT_FAILED;
}

/* Signing certificates and the test message */

static gboolean
store_certificate (SkCertificate  *certificate,
                   GError        **error)
{
  g_auto(Sync) sync = { NULL, };
  g_autoptr(GAsyncResult) result = NULL;

  sync_init (&sync);
  sk_certificate_store_add_async (certificate, NULL, sync_done, &sync);
  result = sync_wait (&sync);

  return sk_certificate_store_add_finish (result, error);
}

/* account's certificates with sha256 added at the end, when not there. */
static void
add_certificate (SkAccount  *account,
                 const char *sha256)
{
  const char * const *certificates = sk_account_get_certificates (account);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) added = NULL;

  if (g_strv_contains (certificates, sha256))
    return;

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) certificates);
  g_strv_builder_add (builder, sha256);
  added = g_strv_builder_end (builder);
  sk_account_set_certificates (account, (const char * const *) added);
}

int
sk_cli_import_certificate (SkAccountStore *store,
                           const char     *path,
                           const char     *account_name,
                           gboolean        password_stdin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkCertificate) certificate = NULL;
  g_autoptr(SkAccount) account = NULL;
  g_autofree char *display_path = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *message = NULL;
  const char *sha256;
  gboolean made_default = FALSE;
  SkCertificateStatus status;
  SkAccount *saved;
  char *password = NULL;
  int exit_status;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (store), SK_EXIT_USAGE);
  g_return_val_if_fail (path != NULL, SK_EXIT_USAGE);
  g_return_val_if_fail (account_name != NULL, SK_EXIT_USAGE);

  display_path = g_filename_display_name (path);

  saved = find_account (store, account_name, SK_EXIT_USAGE, &exit_status);
  if (saved == NULL)
    return exit_status;

  if (password_stdin)
    {
      password = read_stdin_certificate_password (&problem);
      if (password == NULL)
        {
          print_problem (NULL, problem);
          return SK_EXIT_USAGE;
        }
    }

  certificate = sk_certificate_new_from_file (path, password, &error);
  g_clear_pointer (&password, sk_secret_free);
  if (certificate == NULL)
    {
      /* No password was tried: none to type again. */
      if (g_error_matches (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_BAD_PASSWORD)
          && !password_stdin)
        print_problem (display_path,
                       _("This file is protected with a password. Give it on one line "
                         "on standard input, with --password-stdin."));
      else
        print_problem (display_path, error->message);
      /* As with --check-certificate: a wrong password is no bad input. */
      return g_error_matches (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_BAD_PASSWORD)
             ? SK_EXIT_FAILED : SK_EXIT_USAGE;
    }

  /* Stored before the account names it: an account never points at a
   * certificate that is not there. */
  if (!store_certificate (certificate, &error))
    {
      print_problem (NULL, error->message);
      return SK_EXIT_FAILED;
    }

  sha256 = sk_certificate_get_sha256 (certificate);
  account = sk_account_copy (saved);
  add_certificate (account, sha256);
  if (sk_account_get_default_certificate (account)[0] == '\0')
    {
      sk_account_set_default_certificate (account, sha256);
      made_default = TRUE;
    }

  sk_account_store_put (store, account);
  if (!sk_account_store_save (store, &error))
    {
      print_problem (NULL, error->message);
      return SK_EXIT_FAILED;
    }

  status = sk_certificate_get_status (certificate, sk_account_get_email (account), NULL);
  message = sk_certificate_describe_status (certificate, status);

  /* Translators: the first %s is whose certificate it is, the second the
   * account's name */
  g_print (_("Imported the certificate of %s for “%s”.\n"),
           sk_certificate_get_display_name (certificate), sk_account_get_name (account));
  if (made_default)
    g_print (_("It is the account’s default certificate now.\n"));
  g_print (_("Status: %s\n"), message);

  return SK_EXIT_OK;
}

static char *
cannot_sign (const char *why)
{
  /* Translators: %s says why */
  return g_strdup_printf (_("Signing is on, but the default certificate cannot be used: %s"), why);
}

/* The account's default certificate with its private key; NULL with a
 * problem to print when it cannot sign. */
static SkCertificate *
load_signer (Sync       *sync,
             SkAccount  *account,
             char      **problem)
{
  g_autoptr(SkCertificate) listed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SkCertificate *signer;

  listed = sk_account_find_signer (account, NULL, &error);
  if (g_error_matches (error, SK_SIGNER_ERROR, SK_SIGNER_ERROR_NO_CERTIFICATE)
      || g_error_matches (error, SK_SIGNER_ERROR, SK_SIGNER_ERROR_NO_DEFAULT))
    {
      *problem = g_strdup_printf (_("Signing is on for “%s”, but it has no default certificate. "
                                    "Import one with --import-certificate FILE --account NAME, "
                                    "or turn signing off."),
                                  sk_account_get_name (account));
      return NULL;
    }
  if (listed == NULL)
    {
      *problem = cannot_sign (error->message);
      return NULL;
    }

  sk_certificate_store_load_async (sk_certificate_get_sha256 (listed), NULL, sync_done, sync);
  result = sync_wait (sync);
  signer = sk_certificate_store_load_finish (result, &error);
  if (signer == NULL)
    *problem = cannot_sign (error->message);

  return signer;
}

static SkSendResult *
send_message (Sync                    *sync,
              SkAccount               *account,
              GBytes                  *message,
              const SkCliTestOptions  *options,
              GError                 **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) interrupt = watch_interrupt (sync, cancellable);
  g_autoptr(GAsyncResult) result = NULL;
  SkTestOptions test_options = { options->cafile };

  sk_test_message_send_async (account, message, &test_options,
                              options->json ? NULL : print_step, NULL, NULL,
                              cancellable, sync_done, sync);
  result = sync_wait (sync);
  g_source_destroy (interrupt);

  return sk_test_message_send_finish (result, error);
}

static void
print_send_result (SkSendResult *result,
                   gboolean      json)
{
  if (json)
    {
      g_autofree char *text = sk_send_result_to_json (result);

      print_data (text);
      print_data ("\n");
      return;
    }

  print_side (result->side);
  if (result->final_reply != NULL)
    {
      g_autofree char *reply = g_strdup (result->final_reply);

      g_strdelimit (reply, "\r\n", ' ');
      g_print (_("The server’s answer to the message: %s\n"), reply);
    }
}

int
sk_cli_send_test (SkAccountStore         *store,
                  const char             *name,
                  const SkCliTestOptions *options)
{
  g_auto(Sync) sync = { NULL, };
  g_autoptr(SkAccount) account = NULL;
  g_autoptr(SkCertificate) signer = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(SkSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
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
  sync_init (&sync);

  if (!can_test (account, SK_TEST_MODE_SEND))
    return SK_EXIT_USAGE;

  if (sk_account_get_outgoing_login (account) != SK_OUTGOING_LOGIN_NONE
      && !set_passwords (&sync, account, options->password_stdin, &problem))
    {
      print_problem (NULL, problem);
      return SK_EXIT_USAGE;
    }

  /* Never unsigned when the account signs: what arrives would mislead. */
  if (sk_account_get_sign (account)
      && (signer = load_signer (&sync, account, &problem)) == NULL)
    {
      print_problem (NULL, problem);
      return SK_EXIT_FAILED;
    }

  message = sk_test_message_build (account, signer, NULL, NULL, &error);
  if (message == NULL)
    {
      print_problem (NULL, error->message);
      return SK_EXIT_FAILED;
    }

  result = send_message (&sync, account, message, options, &error);
  if (result == NULL)
    {
      print_problem (NULL, error->message);
      return SK_EXIT_USAGE;
    }

  print_send_result (result, options->json);

  return result->sent ? SK_EXIT_OK : SK_EXIT_FAILED;
}

/* Sign in with the provider */

typedef struct
{
  gboolean launch;
} OpenUri;

/* The address always goes to stderr: on a machine without a display (an
 * SSH session) IT support opens it elsewhere. */
static void
open_sign_in_page (const char *uri,
                   gpointer    user_data)
{
  OpenUri *open = user_data;
  g_autoptr(GError) error = NULL;

  g_printerr (_("Open this address in a web browser to sign in:\n%s\n"), uri);

  if (open->launch && !g_app_info_launch_default_for_uri (uri, NULL, &error))
    g_debug ("No browser opened: %s", error->message);
}

/* The provider the account signs in with; NULL (said why) when it signs
 * in with none or the provider is unknown. */
static gboolean
check_signs_in (SkAccount *account)
{
  if (sk_account_uses_oauth2 (account))
    return TRUE;

  print_problem (NULL, _("This account logs in with a password, not by signing in with "
                         "a provider: set incoming-auth=oauth2 or "
                         "outgoing-auth-method=oauth2 first."));
  return FALSE;
}

static SkOAuth2Provider *
find_sign_in_provider (SkAccount *account)
{
  SkOAuth2Provider *provider;

  if (!check_signs_in (account))
    return NULL;

  provider = sk_oauth2_provider_find (sk_account_get_oauth2_provider (account));
  if (provider == NULL)
    {
      g_autoptr(SkProblem) problem = sk_account_find_test_problem (account, SK_TEST_MODE_LOGIN);

      print_problem ("oauth2-provider", problem != NULL ? problem->message
                                                        : sk_account_get_oauth2_provider (account));
    }

  return provider;
}

static gboolean
store_refresh_token (Sync                   *sync,
                     SkAccount              *account,
                     const SkOAuth2Provider *provider,
                     const char             *refresh_token,
                     GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sk_secret_store_sign_in_async (sk_account_get_id (account), provider->id, provider->name,
                                 sk_account_get_name (account), refresh_token, NULL,
                                 sync_done, sync);
  result = sync_wait (sync);

  return sk_secret_store_finish (result, error);
}

static SkOAuth2Tokens *
run_sign_in (Sync                   *sync,
             SkAccount              *account,
             const SkOAuth2Provider *provider,
             const char             *cafile,
             GError                **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) interrupt = watch_interrupt (sync, cancellable);
  g_autoptr(GAsyncResult) result = NULL;
  SkSignInOptions options = { .cafile = cafile };
  OpenUri open = {
    g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL
  };

  sk_sign_in_async (provider, sk_account_get_username (account), &options,
                    open_sign_in_page, &open, cancellable, sync_done, sync);
  result = sync_wait (sync);
  g_source_destroy (interrupt);

  return sk_sign_in_finish (result, error);
}

int
sk_cli_sign_in (SkAccountStore *store,
                const char     *name,
                const char     *cafile)
{
  g_auto(Sync) sync = { NULL, };
  g_autoptr(SkOAuth2Provider) provider = NULL;
  g_autoptr(SkOAuth2Tokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  SkAccount *account;
  int status;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (store), SK_EXIT_USAGE);
  g_return_val_if_fail (name != NULL, SK_EXIT_USAGE);

  account = find_account (store, name, SK_EXIT_USAGE, &status);
  if (account == NULL)
    return status;

  provider = find_sign_in_provider (account);
  if (provider == NULL)
    return SK_EXIT_USAGE;

  sync_init (&sync);

  tokens = run_sign_in (&sync, account, provider, cafile, &error);
  if (tokens == NULL)
    {
      g_autoptr(SkDiagnosis) diagnosis = sk_diagnose_sign_in_error (error);

      print_problem (NULL, diagnosis->message);
      return SK_EXIT_FAILED;
    }

  if (tokens->refresh_token == NULL)
    {
      print_problem (NULL, _("The provider gave no refresh token, so the sign-in cannot be "
                             "kept. Ask IT support to check the provider’s scopes "
                             "(offline_access) and settings."));
      return SK_EXIT_FAILED;
    }

  if (!store_refresh_token (&sync, account, provider, tokens->refresh_token, &error))
    {
      print_problem (NULL, error->message);
      return SK_EXIT_FAILED;
    }

  /* Translators: "Signed in as office@example.com with Microsoft." */
  g_print (_("Signed in as %s with %s.\n"), sk_account_get_username (account), provider->name);
  return SK_EXIT_OK;
}

int
sk_cli_sign_out (SkAccountStore *store,
                 const char     *name)
{
  g_auto(Sync) sync = { NULL, };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOAuth2Provider) provider = NULL;
  const char *provider_id;
  SkAccount *account;
  int status;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (store), SK_EXIT_USAGE);
  g_return_val_if_fail (name != NULL, SK_EXIT_USAGE);

  account = find_account (store, name, SK_EXIT_USAGE, &status);
  if (account == NULL)
    return status;
  if (!check_signs_in (account))
    return SK_EXIT_USAGE;

  /* A provider since removed or not set up still leaves its token to
   * forget: the id is all the keyring needs. */
  provider_id = sk_account_get_oauth2_provider (account);
  if (!sk_oauth2_provider_id_is_valid (provider_id))
    {
      g_autoptr(SkProblem) problem = sk_account_find_test_problem (account, SK_TEST_MODE_LOGIN);

      print_problem ("oauth2-provider", problem != NULL ? problem->message : provider_id);
      return SK_EXIT_USAGE;
    }
  provider = sk_oauth2_provider_find (provider_id);

  sync_init (&sync);
  sk_secret_store_sign_in_async (sk_account_get_id (account), provider_id,
                                 provider != NULL ? provider->name : provider_id,
                                 sk_account_get_name (account), NULL, NULL, sync_done, &sync);
  result = sync_wait (&sync);
  if (!sk_secret_store_finish (result, &error)
      && !g_error_matches (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING))
    {
      print_problem (NULL, error->message);
      return SK_EXIT_FAILED;
    }

  /* Translators: "Signed out of Biuro: its sign-in with Microsoft is forgotten." */
  g_print (_("Signed out of %s: its sign-in with %s is forgotten.\n"), sk_account_get_name (account),
           provider != NULL ? provider->name : provider_id);
  return SK_EXIT_OK;
}
