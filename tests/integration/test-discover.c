/* test-discover.c — fetching settings files over HTTPS from a server on
 * loopback (tests/servers/autoconfig_server.py) that answers as
 * autoconfig.DOMAIN, DOMAIN/.well-known and an ISP database, with a test
 * CA; host names reach it through CURLOPT_CONNECT_TO.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "config.h"
#include "core/sk-autodiscover.h"
#include "core/sk-http.h"
#include "test-util.h"

/* DESIGN: cancel takes effect within 100 ms, even while a server is silent;
 * a sanitizer build is given more (test_time_scale). */
#define CANCEL_LIMIT_US (100 * G_TIME_SPAN_MILLISECOND * test_time_scale ())

static TestWebServer *server;

/* The requests the server has seen since the last call, as JSON lines. */
static GPtrArray *
take_requests (void)
{
  g_autofree char *path = g_build_filename (server->folder, "requests.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *requests = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (requests, g_strdup (lines[i]));

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);

  return requests;
}

typedef struct
{
  GBytes *bytes;
  char   *final_url;
  GError *error;
  gint64  finished_at;
  gboolean done;
} Fetch;

static void
fetch_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->bytes = sk_http_get_finish (result, &fetch->final_url, &fetch->error);
  fetch->finished_at = g_get_monotonic_time ();
  fetch->done = TRUE;
}

static void
fetch_clear (Fetch *fetch)
{
  g_clear_pointer (&fetch->bytes, g_bytes_unref);
  g_clear_pointer (&fetch->final_url, g_free);
  g_clear_error (&fetch->error);
}

/* Fetches url; cafile NULL trusts only the system's CAs. */
static void
fetch_url (Fetch        *fetch,
           const char   *url,
           const char   *cafile,
           gboolean      allow_http,
           guint         timeout_ms,
           GCancellable *cancellable)
{
  SkHttpRequest request = {
    .url = url,
    .cafile = cafile,
    .connect_to = (const char * const *) server->connect_to,
    .timeout_ms = timeout_ms,
    .allow_http = allow_http,
  };

  memset (fetch, 0, sizeof *fetch);
  sk_http_get_async (&request, cancellable, fetch_done, fetch);
  while (!fetch->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_get (void)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *user_agent = g_strdup_printf ("\"user_agent\": \"Skrzynka/%s\"", PACKAGE_VERSION);
  Fetch fetch;
  gint64 start = g_get_monotonic_time ();

  take_requests ();
  fetch_url (&fetch, "https://www.test/file", server->cafile, FALSE, 0, NULL);
  g_test_message ("one fetch took %.1f ms", (fetch.finished_at - start) / 1000.0);
  g_assert_no_error (fetch.error);
  g_assert_nonnull (strstr (g_bytes_get_data (fetch.bytes, NULL), "<clientConfig"));
  g_assert_cmpstr (fetch.final_url, ==, "https://www.test/file");
  fetch_clear (&fetch);

  requests = take_requests ();
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (requests, 0), user_agent));
  g_assert_nonnull (strstr (g_ptr_array_index (requests, 0), "application/xml"));
}

/* The test CA is no system CA. */
static void
test_untrusted (void)
{
  Fetch fetch;

  fetch_url (&fetch, "https://www.test/file", NULL, FALSE, 0, NULL);
  g_assert_error (fetch.error, SK_HTTP_ERROR, SK_HTTP_ERROR_CERTIFICATE);
  g_assert_null (fetch.bytes);
  fetch_clear (&fetch);
}

static void
test_redirect_https (void)
{
  Fetch fetch;

  fetch_url (&fetch, "https://www.test/redirect/https", server->cafile, FALSE, 0, NULL);
  g_assert_no_error (fetch.error);
  g_assert_cmpstr (fetch.final_url, ==, "https://www.test/file");
  fetch_clear (&fetch);
}

/* The redirect to http is refused before anything goes over http. */
static void
test_redirect_http (void)
{
  g_autoptr(GPtrArray) requests = NULL;
  Fetch fetch;

  take_requests ();
  fetch_url (&fetch, "https://www.test/redirect/http", server->cafile, FALSE, 0, NULL);
  g_assert_error (fetch.error, SK_HTTP_ERROR, SK_HTTP_ERROR_INSECURE);
  fetch_clear (&fetch);

  requests = take_requests ();
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (requests, 0), "\"scheme\": \"https\""));
}

static void
test_redirect_loop (void)
{
  g_autoptr(GPtrArray) requests = NULL;
  Fetch fetch;

  take_requests ();
  fetch_url (&fetch, "https://www.test/redirect/loop/0", server->cafile, FALSE, 0, NULL);
  g_assert_error (fetch.error, SK_HTTP_ERROR, SK_HTTP_ERROR_TOO_MANY_REDIRECTS);
  fetch_clear (&fetch);

  requests = take_requests ();
  g_assert_cmpuint (requests->len, ==, SK_HTTP_MAX_REDIRECTS + 1);
}

static void
test_plain_http (void)
{
  g_autoptr(GPtrArray) requests = NULL;
  Fetch fetch;

  take_requests ();
  fetch_url (&fetch, "http://www.test/file", server->cafile, FALSE, 0, NULL);
  g_assert_error (fetch.error, SK_HTTP_ERROR, SK_HTTP_ERROR_INSECURE);
  fetch_clear (&fetch);
  requests = take_requests ();
  g_assert_cmpuint (requests->len, ==, 0);

  fetch_url (&fetch, "http://www.test/file", server->cafile, TRUE, 0, NULL);
  g_assert_no_error (fetch.error);
  g_assert_nonnull (fetch.bytes);
  fetch_clear (&fetch);
}

/* With a length announced, and without one. */
static void
test_size_cap (void)
{
  static const char *urls[] = { "https://www.test/big", "https://www.test/big-unannounced" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      Fetch fetch;

      fetch_url (&fetch, urls[i], server->cafile, FALSE, 0, NULL);
      g_assert_error (fetch.error, SK_HTTP_ERROR, SK_HTTP_ERROR_TOO_LARGE);
      g_assert_null (fetch.bytes);
      fetch_clear (&fetch);
    }
}

static void
test_timeout (void)
{
  gint64 start = g_get_monotonic_time ();
  Fetch fetch;

  fetch_url (&fetch, "https://www.test/slow", server->cafile, FALSE, 300, NULL);
  g_assert_error (fetch.error, SK_HTTP_ERROR, SK_HTTP_ERROR_TIMEOUT);
  /* libcurl's clock counts in whole milliseconds of its own. */
  g_assert_cmpint (fetch.finished_at - start, >=, 250 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (fetch.finished_at - start, <, 2 * G_TIME_SPAN_SECOND);
  fetch_clear (&fetch);
}

static gboolean
has_request (const char *path)
{
  g_autofree char *log = g_build_filename (server->folder, "requests.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *wanted = g_strdup_printf ("\"path\": \"%s\"", path);

  return g_file_get_contents (log, &contents, NULL, NULL) && strstr (contents, wanted) != NULL;
}

/* Cancels once the server has the request and stays silent. */
static gboolean
cancel_when_asked (gpointer user_data)
{
  gint64 *cancelled_at = g_object_get_data (user_data, "cancelled-at");

  if (!has_request ("/slow"))
    return G_SOURCE_CONTINUE;

  *cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 cancelled_at = 0;
  Fetch fetch;

  take_requests ();
  g_object_set_data (G_OBJECT (cancellable), "cancelled-at", &cancelled_at);
  g_timeout_add (10, cancel_when_asked, cancellable);
  fetch_url (&fetch, "https://www.test/slow", server->cafile, FALSE, 0, cancellable);
  g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cancelled_at, >, 0);
  g_test_message ("cancel took %.1f ms", (fetch.finished_at - cancelled_at) / 1000.0);
  g_assert_cmpint (fetch.finished_at - cancelled_at, <, CANCEL_LIMIT_US);
  fetch_clear (&fetch);
}

/* End to end */

static void
keep_result (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **place = user_data;

  *place = g_object_ref (result);
}

static SkDiscovery *
discover_address (const char *address,
                  gboolean    allow_http)
{
  SkDiscoverOptions options = {
    .cafile = server->cafile,
    .connect_to = (const char * const *) server->connect_to,
    .allow_http = allow_http,
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SkDiscovery *discovery;

  take_requests ();
  sk_discover_async (address, &options, NULL, keep_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  discovery = sk_discover_finish (result, &error);
  g_assert_no_error (error);
  return discovery;
}

static const SkLookup *
find_lookup (SkDiscovery *discovery,
             const char  *where)
{
  for (guint i = 0; i < discovery->lookups->len; i++)
    {
      const SkLookup *lookup = g_ptr_array_index (discovery->lookups, i);

      if (g_strcmp0 (lookup->where, where) == 0)
        return lookup;
    }

  g_error ("no lookup of %s", where);
}

static void
assert_lookup (SkDiscovery    *discovery,
               const char     *where,
               SkLookupResult  result)
{
  const SkLookup *lookup = find_lookup (discovery, where);

  g_assert_cmpstr (sk_lookup_result_to_string (lookup->result), ==,
                   sk_lookup_result_to_string (result));
}

static void
assert_found (SkDiscovery *discovery,
              const char  *source,
              const char  *where,
              const char  *host)
{
  const SkFoundServer *found;

  g_assert_nonnull (discovery->settings);
  g_assert_cmpstr (discovery->source, ==, source);
  g_assert_cmpstr (discovery->where, ==, where);
  found = g_ptr_array_index (discovery->settings->incoming, 0);
  g_assert_cmpstr (found->server->host, ==, host);
  g_assert_cmpstr (found->server->username, ==, discovery->address);
  g_assert_null (found->server->password);
}

static gboolean
contains (gconstpointer haystack,
          gconstpointer needle)
{
  return strstr (haystack, needle) != NULL;
}

/* The address goes to the provider's autoconfig host only, escaped; the
 * ISP database and plain http never see it. */
static void
assert_address_only_to_provider (GPtrArray  *requests,
                                 const char *escaped)
{
  for (guint i = 0; i < requests->len; i++)
    {
      const char *request = g_ptr_array_index (requests, i);
      gboolean to_provider = strstr (request, "\"scheme\": \"https\", \"host\": \"autoconfig.") != NULL;

      if (to_provider)
        g_assert_nonnull (strstr (request, escaped));
      else
        g_assert_null (strstr (request, "jan"));
      g_assert_null (strstr (request, "@"));
    }
}

/* The provider's file answers last and still wins; the ISP database,
 * worse than .well-known, is cancelled once that has found settings. */
static void
test_priority (void)
{
  g_autoptr(SkDiscovery) discovery = discover_address ("jan+biuro@firma.test", FALSE);
  g_autoptr(GPtrArray) requests = take_requests ();
  g_autofree char *json = sk_discovery_to_json (discovery);

  g_test_message ("%s", json);
  assert_found (discovery, "autoconfig", "https://autoconfig.firma.test/mail/config-v1.1.xml",
                "imap.autoconfig.firma.test");
  assert_lookup (discovery, "https://firma.test/.well-known/autoconfig/mail/config-v1.1.xml",
                 SK_LOOKUP_FOUND);
  assert_lookup (discovery, "https://ispdb.test/v1.1/firma.test", SK_LOOKUP_CANCELLED);
  g_assert_cmpfloat (find_lookup (discovery, discovery->where)->seconds, >=, 0.6);
  g_assert_cmpfloat (discovery->seconds, <, 5);
  g_assert_nonnull (strstr (json, "\"source\":\"autoconfig\""));

  /* The ISP database's request may be cancelled before it is sent. */
  g_assert_cmpuint (requests->len, >=, 2);
  assert_address_only_to_provider (requests, "?emailaddress=jan%2Bbiuro%40firma.test");
}

static void
test_ispdb_only (void)
{
  g_autoptr(SkDiscovery) discovery = discover_address ("jan@nic.test", FALSE);
  g_autoptr(GPtrArray) requests = take_requests ();

  assert_found (discovery, "ispdb", "https://ispdb.test/v1.1/nic.test", "imap.ispdb.nic.test");
  assert_lookup (discovery, "https://autoconfig.nic.test/mail/config-v1.1.xml", SK_LOOKUP_NONE);
  assert_lookup (discovery, "https://nic.test/.well-known/autoconfig/mail/config-v1.1.xml",
                 SK_LOOKUP_NONE);
  assert_address_only_to_provider (requests, "?emailaddress=jan%40nic.test");
  g_assert_true (g_ptr_array_find_with_equal_func (requests,
                                                   "\"host\": \"ispdb.test\", \"path\": \"/v1.1/nic.test\"",
                                                   contains, NULL));
}

/* A page that is no settings file is that source's error only. */
static void
test_junk_hands_over (void)
{
  g_autoptr(SkDiscovery) discovery = discover_address ("jan@zly.test", FALSE);

  assert_found (discovery, "well-known",
                "https://zly.test/.well-known/autoconfig/mail/config-v1.1.xml",
                "imap.well-known.zly.test");
  assert_lookup (discovery, "https://autoconfig.zly.test/mail/config-v1.1.xml", SK_LOOKUP_ERROR);
  assert_lookup (discovery, "https://ispdb.test/v1.1/zly.test", SK_LOOKUP_FOUND);
}

/* The better source is waited for within its 5 s, then given up. */
static void
test_slow_provider (void)
{
  g_autoptr(SkDiscovery) discovery = discover_address ("jan@wolny.test", FALSE);
  const SkLookup *slow;

  assert_found (discovery, "well-known",
                "https://wolny.test/.well-known/autoconfig/mail/config-v1.1.xml",
                "imap.well-known.wolny.test");
  slow = find_lookup (discovery, "https://autoconfig.wolny.test/mail/config-v1.1.xml");
  g_assert_cmpint (slow->result, ==, SK_LOOKUP_TIMEOUT);
  g_assert_cmpfloat (slow->seconds, >=, SK_HTTP_DEFAULT_TIMEOUT_MS / 1000.0);
  g_assert_cmpfloat (discovery->seconds, <, SK_HTTP_DEFAULT_TIMEOUT_MS / 1000.0 + 2);
  g_test_message ("slow provider given up after %.2f s", discovery->seconds);
}

/* Plain http only with consent, and then without the address. */
static void
test_plain_http_consent (void)
{
  g_autoptr(SkDiscovery) refused = discover_address ("jan@plain.test", FALSE);
  g_autoptr(GPtrArray) refused_requests = take_requests ();
  g_autoptr(SkDiscovery) allowed = NULL;
  g_autoptr(GPtrArray) allowed_requests = NULL;

  g_assert_null (refused->settings);
  g_assert_cmpstr (refused->source, ==, "none");
  for (guint i = 0; i < refused_requests->len; i++)
    g_assert_null (strstr (g_ptr_array_index (refused_requests, i), "\"scheme\": \"http\""));

  allowed = discover_address ("jan@plain.test", TRUE);
  allowed_requests = take_requests ();
  assert_found (allowed, "autoconfig", "http://autoconfig.plain.test/mail/config-v1.1.xml",
                "imap.http-autoconfig.plain.test");
  assert_address_only_to_provider (allowed_requests, "?emailaddress=jan%40plain.test");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("SKRZYNKA_ISPDB_URL", "https://ispdb.test/v1.1/", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sk/http/get", test_get);
  g_test_add_func ("/sk/http/untrusted", test_untrusted);
  g_test_add_func ("/sk/http/redirect-https", test_redirect_https);
  g_test_add_func ("/sk/http/redirect-http", test_redirect_http);
  g_test_add_func ("/sk/http/redirect-loop", test_redirect_loop);
  g_test_add_func ("/sk/http/plain-http", test_plain_http);
  g_test_add_func ("/sk/http/size-cap", test_size_cap);
  g_test_add_func ("/sk/http/timeout", test_timeout);
  g_test_add_func ("/sk/http/cancel", test_cancel);
  g_test_add_func ("/sk/autodiscover/priority", test_priority);
  g_test_add_func ("/sk/autodiscover/ispdb-only", test_ispdb_only);
  g_test_add_func ("/sk/autodiscover/junk-hands-over", test_junk_hands_over);
  g_test_add_func ("/sk/autodiscover/slow-provider", test_slow_provider);
  g_test_add_func ("/sk/autodiscover/plain-http-consent", test_plain_http_consent);

  server = test_web_server_start ();
  status = g_test_run ();
  test_web_server_stop (server);

  return status;
}
