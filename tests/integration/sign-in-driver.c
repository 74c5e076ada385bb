/* sign-in-driver.c — runs one sign-in or one refresh (sk-sign-in.h) and
 * prints the outcome as one JSON object, for test_sign_in.py.  The tokens
 * it prints are the test server's, made for the run.
 *
 *   sign-in-driver sign-in PROVIDER LOGIN-HINT [--cafile PEM] [--timeout S]
 *   sign-in-driver refresh PROVIDER REFRESH-TOKEN [--cafile PEM]
 *
 * The sign-in prints "OPEN <address>" on a line of its own where a person's
 * browser would open it, and waits for the browser's return.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>

#include <gio/gio.h>

#include "core/sk-json.h"
#include "core/sk-sign-in.h"

typedef struct
{
  GMainLoop      *loop;
  SkOAuth2Tokens *tokens;
  GError         *error;
} Run;

static void
open_uri (const char *uri,
          gpointer    user_data)
{
  printf ("OPEN %s\n", uri);
  fflush (stdout);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;

  run->tokens = sk_sign_in_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;

  run->tokens = sk_sign_in_refresh_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static const char *
error_name (const GError *error)
{
  static const char * const names[] = {
    [SK_OAUTH2_ERROR_NOT_CONFIGURED] = "not-configured",
    [SK_OAUTH2_ERROR_DENIED] = "denied",
    [SK_OAUTH2_ERROR_ADMIN_APPROVAL] = "admin-approval",
    [SK_OAUTH2_ERROR_SIGN_IN_REQUIRED] = "sign-in-required",
    [SK_OAUTH2_ERROR_TIMED_OUT] = "timed-out",
    [SK_OAUTH2_ERROR_PROVIDER] = "provider",
    [SK_OAUTH2_ERROR_INVALID_RESPONSE] = "invalid-response",
  };

  if (error->domain == SK_OAUTH2_ERROR && (guint) error->code < G_N_ELEMENTS (names))
    return names[error->code];

  return g_quark_to_string (error->domain);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cafile = NULL;
  int timeout = 0;
  GOptionEntry entries[] = {
    { "cafile", 0, 0, G_OPTION_ARG_FILENAME, &cafile, NULL, NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("sign-in|refresh PROVIDER ARG");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new ("{");
  g_autoptr(SkOAuth2Provider) provider = NULL;
  SkSignInOptions options = { 0 };
  Run run = { 0 };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 4)
    {
      g_printerr ("usage: sign-in-driver sign-in|refresh PROVIDER ARG [--cafile PEM]\n");
      return 2;
    }

  provider = sk_oauth2_provider_find (argv[2]);
  if (provider == NULL)
    {
      g_printerr ("no provider %s\n", argv[2]);
      return 2;
    }

  options.cafile = cafile;
  options.timeout_seconds = timeout;
  run.loop = g_main_loop_new (NULL, FALSE);
  if (g_str_equal (argv[1], "sign-in"))
    sk_sign_in_async (provider, argv[3], &options, open_uri, NULL, NULL, signed_in_cb, &run);
  else
    sk_sign_in_refresh_async (provider, argv[3], &options, NULL, refreshed_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  if (run.error != NULL)
    {
      sk_json_key (out, "error");
      sk_json_string (out, error_name (run.error));
      g_string_append_c (out, ',');
      sk_json_key (out, "message");
      sk_json_string (out, run.error->message);
      g_clear_error (&run.error);
    }
  else
    {
      sk_json_key (out, "access_token");
      sk_json_string (out, run.tokens->access_token);
      g_string_append_c (out, ',');
      sk_json_key (out, "refresh_token");
      sk_json_string (out, run.tokens->refresh_token);
      g_string_append_printf (out, ",\"expires_in\":%" G_GINT64_FORMAT,
                              (run.tokens->expires_at - g_get_real_time ()) / G_USEC_PER_SEC);
      sk_oauth2_tokens_free (run.tokens);
    }
  g_string_append (out, "}\n");
  printf ("%s", out->str);

  return 0;
}
