/* guess-driver.c — runs sk_guess_async() once and prints what it found as
 * one JSON object, for test_guess.py.
 *
 *   guess-driver EMAIL [--cafile PEM] [--connect-to HOST:PORT:HOST:PORT]…
 *                [--timeout SECONDS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>

#include <gio/gio.h>

#include "core/sk-guess.h"
#include "core/sk-json.h"

typedef struct
{
  GMainLoop     *loop;
  SkGuessResult *result;
  GError        *error;
} Run;

static void
guessed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;

  run->result = sk_guess_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
append_servers (GString    *out,
                const char *key,
                GPtrArray  *servers)
{
  sk_json_key (out, key);
  g_string_append_c (out, '[');
  for (guint i = 0; i < servers->len; i++)
    {
      const SkServer *server = g_ptr_array_index (servers, i);

      g_string_append (out, i > 0 ? ",{" : "{");
      sk_json_key (out, "protocol");
      sk_json_string (out, sk_protocol_to_string (server->protocol));
      g_string_append_c (out, ',');
      sk_json_key (out, "host");
      sk_json_string (out, server->host);
      g_string_append_printf (out, ",\"port\":%u,", server->port);
      sk_json_key (out, "security");
      sk_json_string (out, sk_security_to_string (server->security));
      g_string_append_c (out, ',');
      sk_json_key (out, "username");
      sk_json_string (out, server->username);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],");
}

static void
append_probes (GString   *out,
               GPtrArray *probes)
{
  sk_json_key (out, "probes");
  g_string_append_c (out, '[');
  for (guint i = 0; i < probes->len; i++)
    {
      const SkProbe *probe = g_ptr_array_index (probes, i);

      g_string_append (out, i > 0 ? ",{" : "{");
      sk_json_key (out, "protocol");
      sk_json_string (out, sk_protocol_to_string (probe->protocol));
      g_string_append_c (out, ',');
      sk_json_key (out, "host");
      sk_json_string (out, probe->host);
      g_string_append_printf (out, ",\"port\":%u,", probe->port);
      sk_json_key (out, "security");
      sk_json_string (out, sk_security_to_string (probe->security));
      g_string_append_c (out, ',');
      sk_json_key (out, "outcome");
      sk_json_string (out, sk_probe_outcome_to_string (probe->outcome));
      g_string_append_c (out, ',');
      sk_json_key (out, "certificate_host");
      sk_json_string (out, probe->certificate_host);
      g_string_append_printf (out, ",\"seconds\":%.3f}", probe->seconds);
    }
  g_string_append_c (out, ']');
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cafile = NULL;
  g_auto(GStrv) connect_to = NULL;
  int timeout = 0;
  GOptionEntry entries[] = {
    { "cafile", 0, 0, G_OPTION_ARG_FILENAME, &cafile, NULL, NULL },
    { "connect-to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &connect_to, NULL, NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("EMAIL");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new ("{");
  SkGuessOptions options = { 0 };
  Run run = { 0 };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("usage: guess-driver EMAIL [--cafile PEM] [--connect-to MAP]… [--timeout S]\n");
      return 2;
    }

  options.cafile = cafile;
  options.connect_to = (const char * const *) connect_to;
  options.probe_timeout = timeout;
  run.loop = g_main_loop_new (NULL, FALSE);
  sk_guess_async (argv[1], &options, NULL, guessed_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  if (run.error != NULL)
    {
      g_printerr ("%s\n", run.error->message);
      g_error_free (run.error);
      return 2;
    }

  append_servers (out, "incoming", run.result->incoming);
  append_servers (out, "outgoing", run.result->outgoing);
  sk_json_key (out, "notes");
  g_string_append_c (out, '[');
  for (guint i = 0; i < run.result->notes->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      sk_json_string (out, g_ptr_array_index (run.result->notes, i));
    }
  g_string_append (out, "],");
  append_probes (out, run.result->probes);
  g_string_append (out, "}\n");
  g_print ("%s", out->str);

  sk_guess_result_free (run.result);
  return 0;
}
