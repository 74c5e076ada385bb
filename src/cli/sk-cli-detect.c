/* sk-cli-detect.c — --detect: the settings found for an address
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "core/sk-autodiscover.h"
#include "core/sk-format.h"
#include "core/sk-oauth2-provider.h"

#include "sk-cli-detect.h"

static gboolean
oauth2_known (const char *host,
              gpointer    user_data)
{
  g_autoptr(SkOAuth2Provider) provider = sk_oauth2_provider_find_for_host (host);

  return provider != NULL;
}

static const char *
result_label (SkLookupResult result)
{
  switch (result)
    {
    case SK_LOOKUP_RUNNING:
      return _("looking");
    case SK_LOOKUP_FOUND:
      return _("found");
    case SK_LOOKUP_NONE:
      return _("nothing there");
    case SK_LOOKUP_ERROR:
      return _("failed");
    case SK_LOOKUP_TIMEOUT:
      return _("no answer in time");
    case SK_LOOKUP_CANCELLED:
      return _("stopped");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
print_lookup (const SkLookup *lookup,
              gpointer        user_data)
{
  const char *where = lookup->where != NULL ? lookup->where : "";

  if (lookup->result == SK_LOOKUP_RUNNING)
    /* Translators: "autoconfig: looking at https://…" */
    g_printerr (_("%s: looking at %s\n"), lookup->source, where);
  else if (lookup->message != NULL)
    /* Translators: "ispdb: failed (0.21 s): the reason" */
    g_printerr (_("%s: %s (%.2f s): %s\n"), lookup->source,
                result_label (lookup->result), lookup->seconds, lookup->message);
  else
    /* Translators: "autoconfig: found (0.21 s)" */
    g_printerr (_("%s: %s (%.2f s)\n"), lookup->source,
                result_label (lookup->result), lookup->seconds);
}

static void
print_servers (const char *title,
               GPtrArray  *servers)
{
  g_print ("%s\n", title);
  for (guint i = 0; i < servers->len; i++)
    {
      const SkFoundServer *found = g_ptr_array_index (servers, i);
      const SkServer *server = found->server;
      g_autofree char *described = sk_format_server (server);

      g_print ("  %s", described);
      if (found->login == SK_LOGIN_OAUTH2)
        g_print (_(", signs in with the provider as %s\n"), server->username);
      else if (found->login == SK_LOGIN_PASSWORD)
        g_print (_(", user name %s\n"), server->username);
      else
        g_print (_(", no login\n"));
    }
}

static void
print_discovery (const SkDiscovery *discovery)
{
  const SkAutoconfig *settings = discovery->settings;
  const char *provider = settings->display_name != NULL ? settings->display_name
                                                        : settings->provider_id;

  /* Translators: "Settings for jan@wp.pl from autoconfig: https://…" */
  g_print (_("Settings for %s from %s: %s\n"), discovery->address, discovery->source,
           discovery->where != NULL ? discovery->where : "");
  if (provider != NULL)
    g_print (_("Provider: %s\n"), provider);
  print_servers (_("Incoming, best first:"), settings->incoming);
  print_servers (_("Outgoing, best first:"), settings->outgoing);
  for (guint i = 0; i < settings->notes->len; i++)
    g_print (_("Note: %s\n"), (const char *) g_ptr_array_index (settings->notes, i));
}

static gboolean
interrupted (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static void
discovered (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The same _async call as the window, waited for on a main context of
 * this command's own, where Ctrl+C arrives too. */
static SkDiscovery *
discover (const char               *address,
          const SkDiscoverOptions  *options,
          GError                  **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) interrupt = g_unix_signal_source_new (SIGINT);
  g_autoptr(GAsyncResult) result = NULL;
  SkDiscovery *discovery;

  g_main_context_push_thread_default (context);
  g_source_set_callback (interrupt, interrupted, g_object_ref (cancellable), g_object_unref);
  g_source_attach (interrupt, context);

  sk_discover_async (address, options, cancellable, discovered, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (interrupt);
  discovery = sk_discover_finish (result, error);
  g_main_context_pop_thread_default (context);

  return discovery;
}

int
sk_cli_detect (const char               *address,
               const SkCliDetectOptions *options)
{
  g_auto(GStrv) connect_to = NULL;
  g_autoptr(SkDiscovery) discovery = NULL;
  g_autoptr(GError) error = NULL;
  const char *hook = g_getenv ("SKRZYNKA_CONNECT_TO");
  SkDiscoverOptions discover_options = { NULL, };

  g_return_val_if_fail (address != NULL, SK_EXIT_USAGE);
  g_return_val_if_fail (options != NULL, SK_EXIT_USAGE);

  if (hook != NULL && *hook != '\0')
    connect_to = g_strsplit (hook, ";", -1);

  discover_options.cafile = options->cafile;
  discover_options.connect_to = (const char * const *) connect_to;
  discover_options.oauth2_known = oauth2_known;
  discover_options.progress = options->json ? NULL : print_lookup;

  discovery = discover (address, &discover_options, &error);
  if (discovery == NULL)
    {
      g_printerr ("skrzynka: %s\n", error->message);
      return g_error_matches (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_BAD_ADDRESS)
             ? SK_EXIT_USAGE : SK_EXIT_FAILED;
    }

  if (options->json)
    {
      g_autofree char *json = sk_discovery_to_json (discovery);

      fputs (json, stdout);
      fputs ("\n", stdout);
      fflush (stdout);
    }
  else if (discovery->settings != NULL)
    print_discovery (discovery);
  else
    g_print (_("No settings were found for %s.\n"), discovery->domain);

  return discovery->settings != NULL ? SK_EXIT_OK : SK_EXIT_FAILED;
}
