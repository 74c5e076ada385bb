/* sk-discover-sources.c — the built-in table, MX, SRV and guessing as
 * lookup sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Detect"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-discover-sources.h"
#include "sk-detect.h"
#include "sk-guess.h"
#include "sk-providers.h"

typedef enum
{
  KIND_BUILTIN,
  KIND_MX,
  KIND_SRV,
  KIND_GUESS,
} Kind;

struct _SkDnsSource
{
  GObject           parent_instance;
  Kind              kind;
  const char       *name;      /* static */
  char             *where;
  char             *cafile;
  GStrv             connect_to;
  SkOAuth2HostFunc  oauth2_known;
  gpointer          oauth2_data;
};

#define SK_TYPE_DNS_SOURCE (sk_dns_source_get_type ())
G_DECLARE_FINAL_TYPE (SkDnsSource, sk_dns_source, SK, DNS_SOURCE, GObject)

static void sk_dns_source_iface_init (SkDiscoverSourceInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SkDnsSource, sk_dns_source, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (SK_TYPE_DISCOVER_SOURCE,
                                                sk_dns_source_iface_init))

static void
sk_dns_source_finalize (GObject *object)
{
  SkDnsSource *self = SK_DNS_SOURCE (object);

  g_free (self->where);
  g_free (self->cafile);
  g_strfreev (self->connect_to);

  G_OBJECT_CLASS (sk_dns_source_parent_class)->finalize (object);
}

static void
sk_dns_source_class_init (SkDnsSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sk_dns_source_finalize;
}

static void
sk_dns_source_init (SkDnsSource *self)
{
}

static void
set_where (SkDnsSource *self,
           const char  *where)
{
  g_free (self->where);
  self->where = g_strdup (where);
}

/* The task's data: what the lookup found, and its own copy of the address. */
typedef struct
{
  char         *address;
  char         *domain;
  GCancellable *dns;        /* the caller's cancellation or the DNS limit */
  GCancellable *caller;
  gulong        handler;
  GSource      *dns_limit;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  if (lookup->caller != NULL)
    g_cancellable_disconnect (lookup->caller, lookup->handler);
  g_clear_object (&lookup->caller);
  if (lookup->dns_limit != NULL)
    g_source_destroy (lookup->dns_limit);
  g_clear_pointer (&lookup->dns_limit, g_source_unref);
  g_clear_object (&lookup->dns);
  g_free (lookup->address);
  g_free (lookup->domain);
  g_free (lookup);
}

static void
cancel_dns (GCancellable *caller,
            GCancellable *dns)
{
  g_cancellable_cancel (dns);
}

static gboolean
dns_limit_reached (gpointer data)
{
  g_cancellable_cancel (data);

  return G_SOURCE_REMOVE;
}

/* MX hosts of a domain, best (lowest preference) first; none on error. */
static GPtrArray *
mx_hosts_finish (GObject      *resolver,
                 GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (resolver), result, &error);
  GPtrArray *hosts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) preferences = g_array_new (FALSE, FALSE, sizeof (guint16));

  if (error != NULL)
    g_debug ("No MX records: %s", error->message);

  for (GList *l = records; l != NULL; l = l->next)
    {
      const char *exchange = NULL;
      guint16 preference;
      guint at = 0;

      g_variant_get (l->data, "(q&s)", &preference, &exchange);
      while (at < preferences->len && g_array_index (preferences, guint16, at) <= preference)
        at++;
      g_array_insert_val (preferences, at, preference);
      g_ptr_array_insert (hosts, at, g_strdup (exchange));
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  return hosts;
}

static void
start_mx_lookup (GTask               *task,
                 GAsyncReadyCallback  callback)
{
  Lookup *lookup = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  lookup->dns = g_cancellable_new ();
  if (caller != NULL)
    {
      lookup->caller = g_object_ref (caller);
      lookup->handler = g_cancellable_connect (caller, G_CALLBACK (cancel_dns),
                                               lookup->dns, NULL);
    }
  lookup->dns_limit = g_timeout_source_new (SK_DISCOVER_DNS_TIMEOUT_MS);
  g_source_set_callback (lookup->dns_limit, dns_limit_reached, lookup->dns, NULL);
  g_source_attach (lookup->dns_limit, g_main_context_get_thread_default ());

  g_resolver_lookup_records_async (resolver, lookup->domain, G_RESOLVER_RECORD_MX,
                                   lookup->dns, callback, g_object_ref (task));
}

/* Item 2 */

static void
builtin_mx_found (GObject      *resolver,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(GTask) task = data;
  SkDnsSource *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GPtrArray) hosts = mx_hosts_finish (resolver, result);

  if (g_task_return_error_if_cancelled (task))
    return;

  for (guint i = 0; i < hosts->len; i++)
    {
      const char *host = g_ptr_array_index (hosts, i);
      const SkProvider *provider = sk_provider_find_for_mx (host);
      g_autoptr(SkDetection) google = NULL;

      set_where (self, host);
      if (sk_mx_is_google (host))
        {
          self->name = "workspace";
          google = sk_detection_new_google (SK_DETECT_SOURCE_WORKSPACE);
          g_task_return_pointer (task, sk_detection_to_autoconfig (google, lookup->address),
                                 (GDestroyNotify) sk_autoconfig_free);
          return;
        }
      if (provider != NULL)
        {
          set_where (self, sk_provider_get_sources (provider)[0]);
          g_task_return_pointer (task, sk_provider_to_autoconfig (provider, lookup->address),
                                 (GDestroyNotify) sk_autoconfig_free);
          return;
        }
    }

  g_task_return_pointer (task, NULL, NULL);
}

static void
builtin_lookup (GTask *task)
{
  SkDnsSource *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);
  const SkProvider *provider = sk_provider_find_for_domain (lookup->domain);

  if (sk_email_is_gmail (lookup->address))
    {
      g_autoptr(SkDetection) google = sk_detection_new_google (SK_DETECT_SOURCE_GMAIL);

      self->name = "gmail";
      g_task_return_pointer (task, sk_detection_to_autoconfig (google, lookup->address),
                             (GDestroyNotify) sk_autoconfig_free);
      return;
    }

  if (provider != NULL)
    {
      set_where (self, sk_provider_get_sources (provider)[0]);
      g_task_return_pointer (task, sk_provider_to_autoconfig (provider, lookup->address),
                             (GDestroyNotify) sk_autoconfig_free);
      return;
    }

  start_mx_lookup (task, builtin_mx_found);
}

/* Item 5 */

static void
mx_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(GTask) task = data;
  SkDnsSource *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkDiscovery) discovery = sk_discover_run_finish (result, &error);

  if (discovery == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (discovery->settings != NULL)
    set_where (self, discovery->where);
  g_task_return_pointer (task, g_steal_pointer (&discovery->settings),
                         (GDestroyNotify) sk_autoconfig_free);
}

static void
add_domain_sources (SkDnsSource *self,
                    GPtrArray   *sources,
                    const char  *address,
                    const char  *domain)
{
  SkDiscoverOptions options = {
    .cafile = self->cafile,
    .connect_to = (const char * const *) self->connect_to,
    .oauth2_known = self->oauth2_known,
    .oauth2_data = self->oauth2_data,
  };
  g_autofree char *escaped = g_uri_escape_string (address, NULL, FALSE);
  g_autofree char *ispdb = sk_discover_ispdb_url ();
  g_autofree char *url = NULL;

  /* https only and no .well-known, as Thunderbird's forMX. */
  url = g_strdup_printf ("https://autoconfig.%s/mail/config-v1.1.xml?emailaddress=%s",
                         domain, escaped);
  g_ptr_array_add (sources, sk_http_source_new ("autoconfig", url, &options));
  if (ispdb != NULL)
    {
      g_autofree char *db = g_strconcat (ispdb, domain, NULL);

      g_ptr_array_add (sources, sk_http_source_new ("ispdb", db, &options));
    }
}

static void
mx_found (GObject      *resolver,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(GTask) task = data;
  SkDnsSource *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GPtrArray) hosts = mx_hosts_finish (resolver, result);
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  const char *host;

  if (g_task_return_error_if_cancelled (task))
    return;

  host = hosts->len > 0 ? g_ptr_array_index (hosts, 0) : NULL;
  if (host != NULL)
    {
      set_where (self, host);
      parent = sk_domain_parent (host);
      base = sk_domain_base (host);
    }

  /* Thunderbird's rule: an MX inside the address's own domain says nothing
   * the domain's own lookups did not; item 2 has taken Google's and the
   * table's. */
  if (host == NULL || base == NULL || g_str_equal (base, lookup->domain)
      || sk_mx_is_google (host) || sk_provider_find_for_mx (host) != NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  if (parent != NULL && !g_str_equal (parent, lookup->domain))
    add_domain_sources (self, sources, lookup->address, parent);
  if (g_strcmp0 (parent, base) != 0)
    add_domain_sources (self, sources, lookup->address, base);

  sk_discover_run_async (sources, lookup->address, SK_DISCOVER_TIMEOUT_MS,
                         g_task_get_cancellable (task), mx_run_done, g_object_ref (task));
}

/* Item 6 */

static void
srv_detected (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkDetection) detection = sk_detect_finish (result, &error);

  if (detection == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (detection->source != SK_DETECT_SOURCE_SRV)
    /* Gmail, the table and Google's MX are item 2's. */
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_pointer (task, sk_detection_to_autoconfig (detection, lookup->address),
                           (GDestroyNotify) sk_autoconfig_free);
}

/* Item 7 */

static void
copy_guessed (GPtrArray *servers,
              GPtrArray *found)
{
  for (guint i = 0; i < servers->len; i++)
    g_ptr_array_add (found, sk_found_server_new (sk_server_copy (g_ptr_array_index (servers, i)),
                                                 SK_LOGIN_PASSWORD));
}

static SkAutoconfig *
autoconfig_from_guess (SkGuessResult *guess)
{
  SkAutoconfig *config;

  if (guess->incoming->len == 0 && guess->outgoing->len == 0)
    return NULL;

  config = sk_autoconfig_new ();
  copy_guessed (guess->incoming, config->incoming);
  copy_guessed (guess->outgoing, config->outgoing);
  for (guint i = 0; i < guess->notes->len; i++)
    g_ptr_array_add (config->notes, g_strdup (g_ptr_array_index (guess->notes, i)));

  return config;
}

static void
guessed (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkGuessResult) guess = sk_guess_finish (result, &error);

  if (guess == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, autoconfig_from_guess (guess),
                           (GDestroyNotify) sk_autoconfig_free);
}

/* The interface */

static const char *
dns_get_name (SkDiscoverSource *source)
{
  return SK_DNS_SOURCE (source)->name;
}

static const char *
dns_get_where (SkDiscoverSource *source)
{
  return SK_DNS_SOURCE (source)->where;
}

static gboolean
dns_is_last_resort (SkDiscoverSource *source)
{
  return SK_DNS_SOURCE (source)->kind == KIND_GUESS;
}

static void
dns_lookup_async (SkDiscoverSource    *source,
                  const char          *address,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  SkDnsSource *self = SK_DNS_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);
  SkGuessOptions guess = { .cafile = self->cafile,
                           .connect_to = (const char * const *) self->connect_to };

  g_task_set_source_tag (task, dns_lookup_async);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);
  lookup->address = g_strdup (address);
  if (!sk_address_split (address, NULL, &lookup->domain))
    {
      g_task_return_new_error (task, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_BAD_ADDRESS,
                               _("“%s” is not an e-mail address."), address);
      return;
    }
  if (self->kind != KIND_BUILTIN)
    set_where (self, lookup->domain);

  switch (self->kind)
    {
    case KIND_BUILTIN:
      builtin_lookup (task);
      break;

    case KIND_MX:
      start_mx_lookup (task, mx_found);
      break;

    case KIND_SRV:
      sk_detect_async (address, cancellable, srv_detected, g_object_ref (task));
      break;

    case KIND_GUESS:
    default:
      sk_guess_async (address, &guess, cancellable, guessed, g_object_ref (task));
      break;
    }
}

static SkAutoconfig *
dns_lookup_finish (SkDiscoverSource  *source,
                   GAsyncResult      *result,
                   GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sk_dns_source_iface_init (SkDiscoverSourceInterface *iface)
{
  iface->get_name = dns_get_name;
  iface->get_where = dns_get_where;
  iface->lookup_async = dns_lookup_async;
  iface->lookup_finish = dns_lookup_finish;
  iface->is_last_resort = dns_is_last_resort;
}

static SkDiscoverSource *
dns_source_new (Kind                     kind,
                const char              *name,
                const SkDiscoverOptions *options)
{
  SkDnsSource *self = g_object_new (SK_TYPE_DNS_SOURCE, NULL);

  self->kind = kind;
  self->name = name;
  if (options != NULL)
    {
      self->cafile = g_strdup (options->cafile);
      self->connect_to = g_strdupv ((GStrv) options->connect_to);
      self->oauth2_known = options->oauth2_known;
      self->oauth2_data = options->oauth2_data;
    }

  return SK_DISCOVER_SOURCE (self);
}

SkDiscoverSource *
sk_builtin_source_new (const SkDiscoverOptions *options)
{
  return dns_source_new (KIND_BUILTIN, "builtin", options);
}

SkDiscoverSource *
sk_mx_source_new (const SkDiscoverOptions *options)
{
  return dns_source_new (KIND_MX, "mx", options);
}

SkDiscoverSource *
sk_srv_source_new (void)
{
  return dns_source_new (KIND_SRV, "srv", NULL);
}

SkDiscoverSource *
sk_guess_source_new (const SkDiscoverOptions *options)
{
  return dns_source_new (KIND_GUESS, "guess", options);
}
