/* sk-autodiscover.c — finding the settings for any address: ranked
 * sources looked up at once, the best one that answers in time wins
 *
 * The ranking follows Thunderbird's promiseFirstSuccessful()
 * (facts/autoconfig.md §2.1): every lookup starts at once, a better-ranked
 * source that answers wins even when it answers later, and the first
 * success cancels every worse one.  Evolution, GOA and Geary look one
 * source after the other instead, which costs the sum of the waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Detect"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libpsl.h>

#include "sk-autodiscover.h"
#include "sk-providers.h"
#include "sk-discover-sources.h"
#include "sk-http.h"
#include "sk-json.h"

#define SCHEMA_ID "pl.skrzynka.Skrzynka"

G_DEFINE_INTERFACE (SkDiscoverSource, sk_discover_source, G_TYPE_OBJECT)

static void
sk_discover_source_default_init (SkDiscoverSourceInterface *iface)
{
}

const char *
sk_discover_source_get_name (SkDiscoverSource *self)
{
  g_return_val_if_fail (SK_IS_DISCOVER_SOURCE (self), NULL);

  return SK_DISCOVER_SOURCE_GET_IFACE (self)->get_name (self);
}

const char *
sk_discover_source_get_where (SkDiscoverSource *self)
{
  g_return_val_if_fail (SK_IS_DISCOVER_SOURCE (self), NULL);

  return SK_DISCOVER_SOURCE_GET_IFACE (self)->get_where (self);
}

void
sk_discover_source_lookup_async (SkDiscoverSource    *self,
                                 const char          *address,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (SK_IS_DISCOVER_SOURCE (self));

  SK_DISCOVER_SOURCE_GET_IFACE (self)->lookup_async (self, address, cancellable,
                                                     callback, user_data);
}

gboolean
sk_discover_source_is_last_resort (SkDiscoverSource *self)
{
  SkDiscoverSourceInterface *iface;

  g_return_val_if_fail (SK_IS_DISCOVER_SOURCE (self), FALSE);

  iface = SK_DISCOVER_SOURCE_GET_IFACE (self);
  return iface->is_last_resort != NULL && iface->is_last_resort (self);
}

SkAutoconfig *
sk_discover_source_lookup_finish (SkDiscoverSource  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (SK_IS_DISCOVER_SOURCE (self), NULL);

  return SK_DISCOVER_SOURCE_GET_IFACE (self)->lookup_finish (self, result, error);
}

/* Domains */

/* The domain of an address as it goes into URLs and file names: ASCII
 * (IDNA), lower case, and nothing but a host name, so that it can never
 * climb out of a folder or into a URL's path. */
static char *
address_domain (const char *address)
{
  g_autofree char *domain = NULL;
  g_autofree char *ascii = NULL;

  if (!sk_address_split (address, NULL, &domain))
    return NULL;

  ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL || g_hostname_is_ip_address (ascii) || ascii[0] == '.' || ascii[0] == '-')
    return NULL;
  for (const char *p = ascii; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-')
      return NULL;

  return g_ascii_strdown (ascii, -1);
}

static const psl_ctx_t *
public_suffixes (void)
{
  static const psl_ctx_t *psl = NULL;

  if (g_once_init_enter (&psl))
    {
      /* Debian's publicsuffix package is newer than the built-in copy
       * when it is installed. */
      const psl_ctx_t *latest = psl_latest (NULL);

      g_once_init_leave (&psl, latest != NULL ? latest : psl_builtin ());
    }

  return psl;
}

static char *
normal_host (const char *host)
{
  g_autofree char *ascii = NULL;
  gsize length;

  if (host == NULL || g_hostname_is_ip_address (host))
    return NULL;

  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL)
    return NULL;

  /* An MX host is often written with DNS's final dot. */
  length = strlen (ascii);
  if (length > 0 && ascii[length - 1] == '.')
    ascii[length - 1] = '\0';
  if (*ascii == '\0' || strchr (ascii, '.') == NULL)
    return NULL;

  return g_ascii_strdown (ascii, -1);
}

char *
sk_domain_base (const char *host)
{
  g_autofree char *normal = normal_host (host);
  const char *base;

  if (normal == NULL)
    return NULL;

  base = psl_registrable_domain (public_suffixes (), normal);

  return base != NULL ? g_strdup (base) : NULL;
}

/* Thunderbird's getNextSubDomain() (facts/autoconfig.md, MX lookup step 3):
 * tells Microsoft 365's mail.protection.outlook.com from outlook.com. */
char *
sk_domain_parent (const char *host)
{
  g_autofree char *normal = normal_host (host);
  const char *dot;

  if (normal == NULL)
    return NULL;

  dot = strchr (normal, '.');
  if (dot == NULL || dot[1] == '\0'
      || psl_is_public_suffix2 (public_suffixes (), dot + 1, PSL_TYPE_ANY))
    return NULL;

  return g_strdup (dot + 1);
}

/* Lookups and results */

const char *
sk_lookup_result_to_string (SkLookupResult result)
{
  switch (result)
    {
    case SK_LOOKUP_RUNNING:
      return "running";
    case SK_LOOKUP_FOUND:
      return "found";
    case SK_LOOKUP_NONE:
      return "none";
    case SK_LOOKUP_ERROR:
      return "error";
    case SK_LOOKUP_TIMEOUT:
      return "timeout";
    case SK_LOOKUP_CANCELLED:
      return "cancelled";
    default:
      g_return_val_if_reached (NULL);
    }
}

void
sk_lookup_free (SkLookup *lookup)
{
  if (lookup == NULL)
    return;

  g_free (lookup->source);
  g_free (lookup->where);
  g_free (lookup->message);
  g_free (lookup);
}

static SkLookup *
lookup_copy (const SkLookup *lookup)
{
  SkLookup *copy = g_memdup2 (lookup, sizeof *lookup);

  copy->source = g_strdup (lookup->source);
  copy->where = g_strdup (lookup->where);
  copy->message = g_strdup (lookup->message);

  return copy;
}

void
sk_discovery_free (SkDiscovery *discovery)
{
  if (discovery == NULL)
    return;

  g_free (discovery->address);
  g_free (discovery->domain);
  g_free (discovery->source);
  g_free (discovery->where);
  sk_autoconfig_free (discovery->settings);
  g_ptr_array_unref (discovery->lookups);
  g_free (discovery);
}

/* The runner */

typedef struct
{
  SkDiscoverSource *source;
  GCancellable     *cancellable;
  SkLookup          lookup;
  SkAutoconfig     *settings;
  gint64            started;    /* 0: a last resort not started yet */
} Entry;

typedef struct
{
  GTask     *task;      /* NULL once the result is known */
  /* The result, known but held back until every lookup started has
   * returned: a caller that exits at once must not tear libcurl and
   * OpenSSL down under a stopped lookup's thread. */
  GTask       *settled;
  SkDiscovery *discovery;
  guint        outstanding;
  GPtrArray *entries;   /* of Entry, best first */
  char      *address;
  char      *domain;
  gint64     started;
  GSource   *timeout;
  GSource   *cancelled;
  SkDiscoverProgressFunc progress;
  gpointer               progress_data;
} Run;

typedef struct
{
  Run   *run;
  Entry *entry;
} Callback;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->source);
  g_clear_object (&entry->cancellable);
  g_free (entry->lookup.source);
  g_free (entry->lookup.where);
  g_free (entry->lookup.message);
  sk_autoconfig_free (entry->settings);
  g_free (entry);
}

static void
run_clear (Run *run)
{
  g_assert (run->timeout == NULL && run->cancelled == NULL);

  g_clear_object (&run->task);
  g_clear_object (&run->settled);
  g_clear_pointer (&run->discovery, sk_discovery_free);
  g_ptr_array_unref (run->entries);
  g_free (run->address);
  g_free (run->domain);
}

static Run *
run_ref (Run *run)
{
  return g_atomic_rc_box_acquire (run);
}

static void
run_unref (Run *run)
{
  g_atomic_rc_box_release_full (run, (GDestroyNotify) run_clear);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Whoever is told may be gone once the search is over or cancelled. */
static void
run_report (Run   *run,
            Entry *entry)
{
  GCancellable *cancellable;

  if (run->progress == NULL || run->task == NULL)
    return;

  cancellable = g_task_get_cancellable (run->task);
  if (cancellable == NULL || !g_cancellable_is_cancelled (cancellable))
    run->progress (&entry->lookup, run->progress_data);
}

/* Stops a lookup that is still running and records why. */
static void
entry_stop (Run            *run,
            Entry          *entry,
            SkLookupResult  result)
{
  if (entry->lookup.result != SK_LOOKUP_RUNNING)
    return;

  entry->lookup.result = result;
  entry->lookup.seconds = entry->started != 0 ? seconds_since (entry->started) : 0;
  g_cancellable_cancel (entry->cancellable);
  run_report (run, entry);
}

static SkDiscovery *
run_make_discovery (Run   *run,
                    Entry *winner)
{
  SkDiscovery *discovery = g_new0 (SkDiscovery, 1);

  discovery->address = g_strdup (run->address);
  discovery->domain = g_strdup (run->domain);
  discovery->source = g_strdup (winner != NULL ? winner->lookup.source : "none");
  discovery->where = winner != NULL ? g_strdup (winner->lookup.where) : NULL;
  discovery->settings = winner != NULL ? g_steal_pointer (&winner->settings) : NULL;
  discovery->seconds = seconds_since (run->started);
  discovery->lookups = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_lookup_free);
  for (guint i = 0; i < run->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (run->entries, i);

      g_ptr_array_add (discovery->lookups, lookup_copy (&entry->lookup));
    }

  return discovery;
}

static void
run_return_if_settled (Run *run)
{
  g_autoptr(GTask) task = NULL;

  if (run->settled == NULL || run->outstanding > 0)
    return;

  task = g_steal_pointer (&run->settled);
  if (run->discovery != NULL)
    g_task_return_pointer (task, g_steal_pointer (&run->discovery),
                           (GDestroyNotify) sk_discovery_free);
  else
    g_task_return_error_if_cancelled (task);
}

/* Decides the result once it is known; lookups still running then are
 * cancelled, their late answers ignored, and the result given when the
 * last of them has returned (a cancelled lookup returns within a moment). */
static void
run_complete (Run   *run,
              Entry *winner)
{
  g_autoptr(GTask) task = g_steal_pointer (&run->task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* They hold references to the run. */
  g_source_destroy (run->timeout);
  g_clear_pointer (&run->timeout, g_source_unref);
  if (run->cancelled != NULL)
    g_source_destroy (run->cancelled);
  g_clear_pointer (&run->cancelled, g_source_unref);

  for (guint i = 0; i < run->entries->len; i++)
    entry_stop (run, g_ptr_array_index (run->entries, i), SK_LOOKUP_CANCELLED);

  if (cancellable == NULL || !g_cancellable_is_cancelled (cancellable))
    run->discovery = run_make_discovery (run, winner);
  run->settled = g_steal_pointer (&task);
  run_return_if_settled (run);
}

/* Sources worse than one that found something can no longer win: as in
 * Thunderbird, the first success stops them at once, even while better
 * ones are still waited for. */
static void
run_stop_hopeless (Run *run)
{
  gboolean found = FALSE;

  for (guint i = 0; i < run->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (run->entries, i);

      if (found)
        entry_stop (run, entry, SK_LOOKUP_CANCELLED);
      else if (entry->lookup.result == SK_LOOKUP_FOUND)
        found = TRUE;
    }
}

static void entry_start (Run   *run,
                         Entry *entry);

/* Walks the sources best first: a running one must be waited for (a last
 * resort is started when reached), the first that found something wins,
 * and one that has nothing hands over to the next. */
static void
run_evaluate (Run *run)
{
  GCancellable *cancellable;

  if (run->task == NULL)
    return;

  cancellable = g_task_get_cancellable (run->task);
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      run_complete (run, NULL);
      return;
    }

  run_stop_hopeless (run);
  for (guint i = 0; i < run->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (run->entries, i);

      /* Every better source has finished without settings. */
      if (entry->lookup.result == SK_LOOKUP_RUNNING && entry->started == 0)
        entry_start (run, entry);
      if (entry->lookup.result == SK_LOOKUP_RUNNING)
        return;
      if (entry->lookup.result == SK_LOOKUP_FOUND)
        {
          run_complete (run, entry);
          return;
        }
    }

  run_complete (run, NULL);
}

static SkLookupResult
classify_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return SK_LOOKUP_CANCELLED;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
      || g_error_matches (error, SK_HTTP_ERROR, SK_HTTP_ERROR_TIMEOUT))
    return SK_LOOKUP_TIMEOUT;

  return SK_LOOKUP_ERROR;
}

static void
lookup_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Callback *callback = user_data;
  Entry *entry = callback->entry;
  Run *run = callback->run;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) settings = NULL;

  settings = sk_discover_source_lookup_finish (SK_DISCOVER_SOURCE (object), result, &error);
  /* Already stopped: a better source won, or time ran out. */
  if (entry->lookup.result == SK_LOOKUP_RUNNING)
    {
      entry->lookup.seconds = seconds_since (entry->started);
      /* A source may say what it found by its name ("gmail"). */
      g_free (entry->lookup.source);
      entry->lookup.source = g_strdup (sk_discover_source_get_name (entry->source));
      g_free (entry->lookup.where);
      entry->lookup.where = g_strdup (sk_discover_source_get_where (entry->source));
      if (settings != NULL)
        entry->lookup.result = SK_LOOKUP_FOUND;
      else if (error == NULL)
        entry->lookup.result = SK_LOOKUP_NONE;
      else
        {
          entry->lookup.result = classify_error (error);
          entry->lookup.message = g_strdup (error->message);
          g_debug ("%s %s: %s", entry->lookup.source, entry->lookup.where, error->message);
        }
      entry->settings = g_steal_pointer (&settings);
      run_report (run, entry);
      run_evaluate (run);
    }

  run->outstanding--;
  run_return_if_settled (run);
  run_unref (run);
  g_free (callback);
}

static gboolean
run_timed_out (gpointer user_data)
{
  Run *run = user_data;

  for (guint i = 0; i < run->entries->len; i++)
    entry_stop (run, g_ptr_array_index (run->entries, i), SK_LOOKUP_TIMEOUT);
  run_evaluate (run);

  return G_SOURCE_REMOVE;
}

static gboolean
run_cancelled (GCancellable *cancellable,
               gpointer      user_data)
{
  run_evaluate (user_data);

  return G_SOURCE_REMOVE;
}

static GSource *
attach_source (GSource     *source,
               GSourceFunc  func,
               Run         *run)
{
  g_source_set_callback (source, func, run_ref (run), (GDestroyNotify) run_unref);
  g_source_attach (source, g_main_context_get_thread_default ());

  return source;
}

static void
entry_start (Run   *run,
             Entry *entry)
{
  Callback *callback = g_new0 (Callback, 1);

  callback->run = run_ref (run);
  callback->entry = entry;
  entry->started = g_get_monotonic_time ();
  run->outstanding++;
  sk_discover_source_lookup_async (entry->source, run->address, entry->cancellable,
                                   lookup_done, callback);
  g_free (entry->lookup.where);
  entry->lookup.where = g_strdup (sk_discover_source_get_where (entry->source));
  if (entry->lookup.result == SK_LOOKUP_RUNNING)
    run_report (run, entry);
}

static void
run_start (Run       *run,
           GPtrArray *sources)
{
  for (guint i = 0; i < sources->len; i++)
    {
      Entry *entry = g_new0 (Entry, 1);

      entry->source = g_object_ref (g_ptr_array_index (sources, i));
      entry->cancellable = g_cancellable_new ();
      entry->lookup.source = g_strdup (sk_discover_source_get_name (entry->source));
      entry->lookup.result = SK_LOOKUP_RUNNING;
      g_ptr_array_add (run->entries, entry);
    }

  /* Only once every entry exists: a source may answer at once. */
  for (guint i = 0; i < run->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (run->entries, i);

      if (!sk_discover_source_is_last_resort (entry->source))
        entry_start (run, entry);
    }
}

static void
run_async (GPtrArray               *sources,
           const char              *address,
           guint                    timeout_ms,
           const SkDiscoverOptions *options,
           GCancellable            *cancellable,
           GAsyncReadyCallback      callback,
           gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *domain = NULL;
  Run *run;

  g_return_if_fail (sources != NULL);
  g_return_if_fail (address != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_discover_run_async);

  domain = address_domain (address);
  if (domain == NULL)
    {
      g_task_return_new_error (task, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_BAD_ADDRESS,
                               _("“%s” is not an e-mail address."), address);
      return;
    }

  run = g_atomic_rc_box_new0 (Run);
  run->task = g_object_ref (task);
  run->entries = g_ptr_array_new_with_free_func (entry_free);
  run->address = g_strdup (address);
  run->domain = g_steal_pointer (&domain);
  run->started = g_get_monotonic_time ();
  run->progress = options != NULL ? options->progress : NULL;
  run->progress_data = options != NULL ? options->progress_data : NULL;
  run->timeout = attach_source (g_timeout_source_new (timeout_ms > 0 ? timeout_ms
                                                      : SK_DISCOVER_TIMEOUT_MS),
                                run_timed_out, run);
  if (cancellable != NULL)
    run->cancelled = attach_source (g_cancellable_source_new (cancellable),
                                    G_SOURCE_FUNC (run_cancelled), run);

  run_start (run, sources);
  run_evaluate (run);
  run_unref (run);
}

void
sk_discover_run_async (GPtrArray           *sources,
                       const char          *address,
                       guint                timeout_ms,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  run_async (sources, address, timeout_ms, NULL, cancellable, callback, user_data);
}

SkDiscovery *
sk_discover_run_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The built-in sources */

/* What every file source keeps: how to read what it finds. */
typedef struct
{
  char             *where;
  SkOAuth2HostFunc  oauth2_known;
  gpointer          oauth2_data;
} FileSource;

static void
file_source_set_options (FileSource              *file,
                         const SkDiscoverOptions *options)
{
  if (options == NULL)
    return;

  file->oauth2_known = options->oauth2_known;
  file->oauth2_data = options->oauth2_data;
}

struct _SkLocalSource
{
  GObject     parent_instance;
  FileSource  file;
  char       *directory;
};

#define SK_TYPE_LOCAL_SOURCE (sk_local_source_get_type ())
G_DECLARE_FINAL_TYPE (SkLocalSource, sk_local_source, SK, LOCAL_SOURCE, GObject)

static void sk_local_source_iface_init (SkDiscoverSourceInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SkLocalSource, sk_local_source, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (SK_TYPE_DISCOVER_SOURCE,
                                                sk_local_source_iface_init))

static void
sk_local_source_finalize (GObject *object)
{
  SkLocalSource *self = SK_LOCAL_SOURCE (object);

  g_free (self->file.where);
  g_free (self->directory);

  G_OBJECT_CLASS (sk_local_source_parent_class)->finalize (object);
}

static void
sk_local_source_class_init (SkLocalSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sk_local_source_finalize;
}

static void
sk_local_source_init (SkLocalSource *self)
{
}

static const char *
local_get_name (SkDiscoverSource *source)
{
  return "local";
}

static const char *
local_get_where (SkDiscoverSource *source)
{
  return SK_LOCAL_SOURCE (source)->file.where;
}

/* A missing file is no error: most domains have none. */
static void
read_local_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (info != NULL && g_file_info_get_size (info) > SK_AUTOCONFIG_MAX_SIZE)
    g_set_error (&error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_TOO_LARGE,
                 _("The settings file is larger than %u KiB."), SK_AUTOCONFIG_MAX_SIZE / 1024);
  if (error == NULL)
    g_file_load_contents (file, cancellable, &contents, &length, NULL, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_bytes_new_take (g_steal_pointer (&contents), length),
                           (GDestroyNotify) g_bytes_unref);
}

static void
local_lookup_async (SkDiscoverSource    *source,
                    const char          *address,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  SkLocalSource *self = SK_LOCAL_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *domain = address_domain (address);
  g_autofree char *basename = NULL;

  g_task_set_source_tag (task, local_lookup_async);
  if (domain == NULL)
    {
      g_task_return_new_error (task, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_BAD_ADDRESS,
                               _("“%s” is not an e-mail address."), address);
      return;
    }

  basename = g_strconcat (domain, ".xml", NULL);
  g_free (self->file.where);
  self->file.where = g_build_filename (self->directory, basename, NULL);
  g_task_set_task_data (task, g_strdup (self->file.where), g_free);
  g_object_set_data_full (G_OBJECT (task), "address", g_strdup (address), g_free);
  g_task_run_in_thread (task, read_local_thread);
}

static SkAutoconfig *
file_source_parse (FileSource  *file,
                   GBytes      *bytes,
                   const char  *address,
                   GError     **error)
{
  if (bytes == NULL)
    return NULL;

  return sk_autoconfig_parse (bytes, address, file->oauth2_known, file->oauth2_data, error);
}

static SkAutoconfig *
local_lookup_finish (SkDiscoverSource  *source,
                     GAsyncResult      *result,
                     GError           **error)
{
  SkLocalSource *self = SK_LOCAL_SOURCE (source);
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), error);
  const char *address = g_object_get_data (G_OBJECT (result), "address");

  return file_source_parse (&self->file, bytes, address, error);
}

static void
sk_local_source_iface_init (SkDiscoverSourceInterface *iface)
{
  iface->get_name = local_get_name;
  iface->get_where = local_get_where;
  iface->lookup_async = local_lookup_async;
  iface->lookup_finish = local_lookup_finish;
}

SkDiscoverSource *
sk_local_source_new (const char              *directory,
                     const SkDiscoverOptions *options)
{
  SkLocalSource *self;

  g_return_val_if_fail (directory != NULL, NULL);

  self = g_object_new (SK_TYPE_LOCAL_SOURCE, NULL);
  self->directory = g_strdup (directory);
  /* The file's name is known once the address is. */
  self->file.where = g_strdup (directory);
  file_source_set_options (&self->file, options);

  return SK_DISCOVER_SOURCE (self);
}

struct _SkHttpSource
{
  GObject      parent_instance;
  FileSource   file;
  char        *name;
  char        *url;
  char        *cafile;
  GStrv        connect_to;
  gboolean     allow_http;
};

#define SK_TYPE_HTTP_SOURCE (sk_http_source_get_type ())
G_DECLARE_FINAL_TYPE (SkHttpSource, sk_http_source, SK, HTTP_SOURCE, GObject)

static void sk_http_source_iface_init (SkDiscoverSourceInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SkHttpSource, sk_http_source, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (SK_TYPE_DISCOVER_SOURCE,
                                                sk_http_source_iface_init))

static void
sk_http_source_finalize (GObject *object)
{
  SkHttpSource *self = SK_HTTP_SOURCE (object);

  g_free (self->file.where);
  g_free (self->name);
  g_free (self->url);
  g_free (self->cafile);
  g_strfreev (self->connect_to);

  G_OBJECT_CLASS (sk_http_source_parent_class)->finalize (object);
}

static void
sk_http_source_class_init (SkHttpSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sk_http_source_finalize;
}

static void
sk_http_source_init (SkHttpSource *self)
{
}

static const char *
http_get_name (SkDiscoverSource *source)
{
  return SK_HTTP_SOURCE (source)->name;
}

static const char *
http_get_where (SkDiscoverSource *source)
{
  return SK_HTTP_SOURCE (source)->file.where;
}

static void
http_fetched (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *bytes = sk_http_get_finish (result, NULL, &error);

  /* No such host, or no such file: the provider publishes none. */
  if (g_error_matches (error, SK_HTTP_ERROR, SK_HTTP_ERROR_NOT_FOUND))
    g_task_return_pointer (task, NULL, NULL);
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
http_lookup_async (SkDiscoverSource    *source,
                   const char          *address,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  SkHttpSource *self = SK_HTTP_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SkHttpRequest request = { 0 };

  g_task_set_source_tag (task, http_lookup_async);
  g_object_set_data_full (G_OBJECT (task), "address", g_strdup (address), g_free);

  request.url = self->url;
  request.cafile = self->cafile;
  request.connect_to = (const char * const *) self->connect_to;
  request.max_size = SK_AUTOCONFIG_MAX_SIZE;
  request.allow_http = self->allow_http;
  sk_http_get_async (&request, cancellable, http_fetched, task);
}

static SkAutoconfig *
http_lookup_finish (SkDiscoverSource  *source,
                    GAsyncResult      *result,
                    GError           **error)
{
  SkHttpSource *self = SK_HTTP_SOURCE (source);
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), error);
  const char *address = g_object_get_data (G_OBJECT (result), "address");

  return file_source_parse (&self->file, bytes, address, error);
}

static void
sk_http_source_iface_init (SkDiscoverSourceInterface *iface)
{
  iface->get_name = http_get_name;
  iface->get_where = http_get_where;
  iface->lookup_async = http_lookup_async;
  iface->lookup_finish = http_lookup_finish;
}

/* The lookup record names the file, not the address asked about. */
static char *
url_without_query (const char *url)
{
  const char *query = strchr (url, '?');

  return query != NULL ? g_strndup (url, query - url) : g_strdup (url);
}

SkDiscoverSource *
sk_http_source_new (const char              *name,
                    const char              *url,
                    const SkDiscoverOptions *options)
{
  SkHttpSource *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (SK_TYPE_HTTP_SOURCE, NULL);
  self->name = g_strdup (name);
  self->url = g_strdup (url);
  self->file.where = url_without_query (url);
  file_source_set_options (&self->file, options);
  if (options != NULL)
    {
      self->cafile = g_strdup (options->cafile);
      self->connect_to = g_strdupv ((GStrv) options->connect_to);
      self->allow_http = options->allow_http;
    }

  return SK_DISCOVER_SOURCE (self);
}

/* The default set */

static char *
settings_ispdb_url (void)
{
  GSettingsSchemaSource *schemas = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  /* GSettings aborts on a schema that is not installed. */
  if (schemas != NULL)
    schema = g_settings_schema_source_lookup (schemas, SCHEMA_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "ispdb-url"))
    return g_strdup (SK_DISCOVER_ISPDB_URL);

  settings = g_settings_new_full (schema, NULL, NULL);
  return g_settings_get_string (settings, "ispdb-url");
}

char *
sk_discover_ispdb_url (void)
{
  const char *variable = g_getenv ("SKRZYNKA_ISPDB_URL");
  g_autofree char *url = variable != NULL ? g_strdup (variable) : settings_ispdb_url ();

  g_strstrip (url);
  if (*url == '\0')
    return NULL;
  if (!g_str_has_suffix (url, "/"))
    return g_strconcat (url, "/", NULL);

  return g_steal_pointer (&url);
}

static void
add_local_sources (GPtrArray               *sources,
                   const SkDiscoverOptions *options)
{
  const char * const *dirs = g_get_system_config_dirs ();
  g_autofree char *user = g_build_filename (g_get_user_config_dir (), "skrzynka", "autoconfig", NULL);

  g_ptr_array_add (sources, sk_local_source_new (user, options));
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *dir = g_build_filename (dirs[i], "skrzynka", "autoconfig", NULL);

      g_ptr_array_add (sources, sk_local_source_new (dir, options));
    }
}

/* DESIGN.md items 3 and 4, in the order Thunderbird ranks them
 * (facts/autoconfig.md §2.1).  Thunderbird also sends the address over
 * plain http by default; here the http copies come only with the person's
 * consent and never carry it. */
static void
add_http_sources (GPtrArray               *sources,
                  const char              *address,
                  const char              *domain,
                  const SkDiscoverOptions *options)
{
  g_autofree char *escaped = g_uri_escape_string (address, NULL, FALSE);
  g_autofree char *ispdb = sk_discover_ispdb_url ();
  g_autofree char *autoconfig = NULL;
  g_autofree char *well_known = NULL;

  autoconfig = g_strdup_printf ("https://autoconfig.%s/mail/config-v1.1.xml?emailaddress=%s",
                                domain, escaped);
  well_known = g_strdup_printf ("https://%s/.well-known/autoconfig/mail/config-v1.1.xml",
                                domain);
  g_ptr_array_add (sources, sk_http_source_new ("autoconfig", autoconfig, options));
  g_ptr_array_add (sources, sk_http_source_new ("well-known", well_known, options));

  if (options != NULL && options->allow_http)
    {
      g_autofree char *plain_autoconfig = NULL;
      g_autofree char *plain_well_known = NULL;

      plain_autoconfig = g_strdup_printf ("http://autoconfig.%s/mail/config-v1.1.xml", domain);
      plain_well_known = g_strdup_printf ("http://%s/.well-known/autoconfig/mail/config-v1.1.xml",
                                          domain);
      g_ptr_array_add (sources, sk_http_source_new ("autoconfig", plain_autoconfig, options));
      g_ptr_array_add (sources, sk_http_source_new ("well-known", plain_well_known, options));
    }

  /* The ISP database is asked about the domain only. */
  if (ispdb != NULL)
    {
      g_autofree char *url = g_strconcat (ispdb, domain, NULL);

      g_ptr_array_add (sources, sk_http_source_new ("ispdb", url, options));
    }
}

GPtrArray *
sk_discover_default_sources (const char              *address,
                             const SkDiscoverOptions *options)
{
  g_autofree char *domain = NULL;
  GPtrArray *sources;

  g_return_val_if_fail (address != NULL, NULL);

  domain = address_domain (address);
  if (domain == NULL)
    return NULL;

  sources = g_ptr_array_new_with_free_func (g_object_unref);
  add_local_sources (sources, options);
  g_ptr_array_add (sources, sk_builtin_source_new (options));
  add_http_sources (sources, address, domain, options);
  g_ptr_array_add (sources, sk_mx_source_new (options));
  g_ptr_array_add (sources, sk_srv_source_new ());
  g_ptr_array_add (sources, sk_guess_source_new (options));

  return sources;
}

void
sk_discover_async (const char              *address,
                   const SkDiscoverOptions *options,
                   GCancellable            *cancellable,
                   GAsyncReadyCallback      callback,
                   gpointer                 user_data)
{
  g_autoptr(GPtrArray) sources = NULL;

  g_return_if_fail (address != NULL);

  /* The table is read once, here, before any lookup has a thread. */
  sk_providers_get ();
  sources = sk_discover_default_sources (address, options);
  if (sources == NULL)
    sources = g_ptr_array_new ();

  run_async (sources, address, SK_DISCOVER_TIMEOUT_MS, options, cancellable,
             callback, user_data);
}

SkDiscovery *
sk_discover_finish (GAsyncResult  *result,
                    GError       **error)
{
  return sk_discover_run_finish (result, error);
}

/* The JSON */

static void
json_seconds (GString *out,
              double   seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.2f", MAX (seconds, 0)));
}

static void
json_servers (GString   *out,
              GPtrArray *servers)
{
  g_string_append_c (out, '[');
  for (guint i = 0; servers != NULL && i < servers->len; i++)
    {
      const SkFoundServer *found = g_ptr_array_index (servers, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      sk_json_key (out, "protocol");
      sk_json_string (out, sk_protocol_to_string (found->server->protocol));
      g_string_append_c (out, ',');
      sk_json_key (out, "host");
      sk_json_string (out, found->server->host);
      g_string_append_c (out, ',');
      sk_json_key (out, "port");
      g_string_append_printf (out, "%u", found->server->port);
      g_string_append_c (out, ',');
      sk_json_key (out, "security");
      sk_json_string (out, sk_security_to_string (found->server->security));
      g_string_append_c (out, ',');
      sk_json_key (out, "username");
      sk_json_string (out, found->server->username);
      g_string_append_c (out, ',');
      sk_json_key (out, "authentication");
      sk_json_string (out, sk_login_to_string (found->login));
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

static void
json_lookups (GString   *out,
              GPtrArray *lookups)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < lookups->len; i++)
    {
      const SkLookup *lookup = g_ptr_array_index (lookups, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      sk_json_key (out, "source");
      sk_json_string (out, lookup->source);
      g_string_append_c (out, ',');
      sk_json_key (out, "where");
      sk_json_string (out, lookup->where);
      g_string_append_c (out, ',');
      sk_json_key (out, "result");
      sk_json_string (out, sk_lookup_result_to_string (lookup->result));
      g_string_append_c (out, ',');
      sk_json_key (out, "seconds");
      json_seconds (out, lookup->seconds);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

static void
json_notes (GString   *out,
            GPtrArray *notes)
{
  g_string_append_c (out, '[');
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      sk_json_string (out, g_ptr_array_index (notes, i));
    }
  g_string_append_c (out, ']');
}

char *
sk_discovery_to_json (const SkDiscovery *discovery)
{
  const SkAutoconfig *settings;
  GString *out;

  g_return_val_if_fail (discovery != NULL, NULL);

  settings = discovery->settings;
  out = g_string_new ("{");
  sk_json_key (out, "address");
  sk_json_string (out, discovery->address);
  g_string_append_c (out, ',');
  sk_json_key (out, "domain");
  sk_json_string (out, discovery->domain);
  g_string_append_c (out, ',');
  sk_json_key (out, "found");
  sk_json_bool (out, settings != NULL);
  g_string_append_c (out, ',');
  sk_json_key (out, "source");
  sk_json_string (out, discovery->source);
  g_string_append_c (out, ',');
  sk_json_key (out, "provider");
  sk_json_string (out, settings == NULL ? NULL
                  : settings->display_name != NULL ? settings->display_name
                  : settings->provider_id);
  g_string_append_c (out, ',');
  sk_json_key (out, "url");
  sk_json_string (out, discovery->where);
  g_string_append_c (out, ',');
  sk_json_key (out, "incoming");
  json_servers (out, settings != NULL ? settings->incoming : NULL);
  g_string_append_c (out, ',');
  sk_json_key (out, "outgoing");
  json_servers (out, settings != NULL ? settings->outgoing : NULL);
  g_string_append_c (out, ',');
  sk_json_key (out, "notes");
  json_notes (out, settings != NULL ? settings->notes : NULL);
  g_string_append_c (out, ',');
  sk_json_key (out, "seconds");
  json_seconds (out, discovery->seconds);
  g_string_append_c (out, ',');
  sk_json_key (out, "lookups");
  json_lookups (out, discovery->lookups);
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}
