/* sk-autodiscover.h — finding the settings for any address: ranked
 * sources looked up at once, the best one that answers in time wins
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-autoconfig.h"

G_BEGIN_DECLS

/* DESIGN.md: 15 s in all; each HTTP request has 5 s of its own. */
#define SK_DISCOVER_TIMEOUT_MS 15000
/* DESIGN.md's default, as Evolution and Geary use it.  Thunderbird now asks
 * live.thunderbird.net/autoconfig/v1.1/ and GOA v1.ispdb.net
 * (facts/autoconfig.md §2.3): hence the setting. */
#define SK_DISCOVER_ISPDB_URL  "https://autoconfig.thunderbird.net/v1.1/"

/* One place settings are looked for.  lookup_finish() returns the settings,
 * or NULL and no error when the source has none for the address, or NULL
 * and an error (G_IO_ERROR_CANCELLED once cancelled; G_IO_ERROR_TIMED_OUT
 * or SK_HTTP_ERROR_TIMEOUT when it ran out of time). */
#define SK_TYPE_DISCOVER_SOURCE (sk_discover_source_get_type ())
G_DECLARE_INTERFACE (SkDiscoverSource, sk_discover_source, SK, DISCOVER_SOURCE, GObject)

struct _SkDiscoverSourceInterface
{
  GTypeInterface parent_iface;

  /* "local", "autoconfig", … as the JSON's "source" names it */
  const char   *(*get_name)      (SkDiscoverSource     *self);
  /* The URL or path looked at (known once the lookup has started) */
  const char   *(*get_where)     (SkDiscoverSource     *self);
  void          (*lookup_async)  (SkDiscoverSource     *self,
                                  const char           *address,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
  SkAutoconfig *(*lookup_finish) (SkDiscoverSource     *self,
                                  GAsyncResult         *result,
                                  GError              **error);
  /* Optional: TRUE for a source that is started only once every better
   * one has finished without settings (guessing probes servers). */
  gboolean      (*is_last_resort) (SkDiscoverSource    *self);
};

typedef enum
{
  SK_LOOKUP_RUNNING,
  SK_LOOKUP_FOUND,
  SK_LOOKUP_NONE,
  SK_LOOKUP_ERROR,
  SK_LOOKUP_TIMEOUT,
  SK_LOOKUP_CANCELLED,
} SkLookupResult;

/* What one source did. */
typedef struct
{
  char           *source;
  char           *where;
  SkLookupResult  result;
  double          seconds;
  char           *message;    /* why, for an error; else NULL */
} SkLookup;

/* What a whole search found. */
typedef struct
{
  char         *address;
  char         *domain;
  char         *source;       /* the winner's name, or "none" */
  char         *where;        /* the winner's URL or path, or NULL */
  SkAutoconfig *settings;     /* NULL when nothing was found */
  double        seconds;
  GPtrArray    *lookups;      /* of SkLookup, in rank order */
} SkDiscovery;

/* Told on the caller's thread-default main context as each lookup starts
 * (result SK_LOOKUP_RUNNING) and as it ends; never once the search has
 * given its result or its cancellable is cancelled. */
typedef void (*SkDiscoverProgressFunc) (const SkLookup *lookup,
                                        gpointer        user_data);

/* How the built-in sources fetch; every field may be 0/NULL. */
typedef struct
{
  const char         *cafile;        /* CAs trusted besides the system's */
  const char * const *connect_to;    /* CURLOPT_CONNECT_TO entries */
  gboolean            allow_http;    /* the person agreed to plain http
                                      * copies (never with the address) */
  SkOAuth2HostFunc    oauth2_known;
  gpointer            oauth2_data;
  /* Only sk_discover_async() tells it */
  SkDiscoverProgressFunc progress;
  gpointer               progress_data;
} SkDiscoverOptions;

const char       *sk_discover_source_get_name      (SkDiscoverSource     *self);
const char       *sk_discover_source_get_where     (SkDiscoverSource     *self);
void              sk_discover_source_lookup_async  (SkDiscoverSource     *self,
                                                    const char           *address,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
SkAutoconfig     *sk_discover_source_lookup_finish (SkDiscoverSource     *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
gboolean          sk_discover_source_is_last_resort (SkDiscoverSource    *self);

/* DOMAIN.xml in directory, in config-v1.1.xml format. */
SkDiscoverSource *sk_local_source_new              (const char           *directory,
                                                    const SkDiscoverOptions *options);
/* The config-v1.1.xml file at url, fetched by sk_http_get_async(); a file
 * that is not there (no such host, 404) counts as none. */
SkDiscoverSource *sk_http_source_new               (const char           *name,
                                                    const char           *url,
                                                    const SkDiscoverOptions *options);

/* The sources of DESIGN.md items 1 to 7 for address, best first:
 * IT's own files ($XDG_CONFIG_HOME, then $XDG_CONFIG_DIRS), the built-in
 * table, the provider's autoconfig and .well-known files (and their http
 * copies, without the address, when allowed), the ISP database, the MX
 * host, SRV records, guessing.  NULL for no address. */
GPtrArray        *sk_discover_default_sources      (const char           *address,
                                                    const SkDiscoverOptions *options);

/* Starts every source at once but the last resorts; sources is ranked,
 * best first.  A source
 * that finds settings wins once every better one has answered without;
 * the worse ones are cancelled as soon as it has found them.  timeout_ms bounds the whole search
 * (0: SK_DISCOVER_TIMEOUT_MS).  Fails only for a malformed address or when
 * cancelled. */
void              sk_discover_run_async            (GPtrArray            *sources,
                                                    const char           *address,
                                                    guint                 timeout_ms,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
SkDiscovery      *sk_discover_run_finish           (GAsyncResult         *result,
                                                    GError              **error);

/* sk_discover_run_async() over sk_discover_default_sources(). */
void              sk_discover_async                (const char           *address,
                                                    const SkDiscoverOptions *options,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
SkDiscovery      *sk_discover_finish               (GAsyncResult         *result,
                                                    GError              **error);

void              sk_discovery_free                (SkDiscovery          *discovery);
/* DESIGN.md's JSON of a result, as `skrzynka --detect --json` prints it. */
char             *sk_discovery_to_json             (const SkDiscovery    *discovery);

void              sk_lookup_free                   (SkLookup             *lookup);
/* "found", "none", "error", "timeout", "cancelled" */
const char       *sk_lookup_result_to_string       (SkLookupResult        result);

/* The ISP database's base URL: SKRZYNKA_ISPDB_URL, else the GSettings key
 * ispdb-url when the schema is installed, else SK_DISCOVER_ISPDB_URL.
 * NULL when set empty (turned off). */
char             *sk_discover_ispdb_url            (void);

/* The registrable domain of host by the Public Suffix List
 * (mx.poczta.onet.pl → onet.pl), or NULL when host is a public suffix
 * itself or not a host name. */
char             *sk_domain_base                   (const char           *host);
/* host without its first label (a.b.onet.pl → b.onet.pl), or NULL when
 * that would leave a public suffix or nothing. */
char             *sk_domain_parent                 (const char           *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkDiscovery, sk_discovery_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkLookup, sk_lookup_free)

G_END_DECLS
