/* test-autodiscover.c — the ranking of sources, with fake sources that the
 * tests answer by hand in every order; IT's own files found through the
 * XDG folders; the ISP database's address; base domains; the JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "core/sk-autodiscover.h"
#include "core/sk-http.h"
#include "test-util.h"

/* Long enough that a busy machine never runs it out between two steps of a
 * test that answers by hand. */
#define TIME_LIMIT_MS 500

/* A source that answers only when the test tells it to. */
struct _TestSource
{
  GObject       parent_instance;
  char         *name;
  GTask        *task;
  GCancellable *cancellable;
  gulong        cancelled_id;
};

#define TEST_TYPE_SOURCE (test_source_get_type ())
G_DECLARE_FINAL_TYPE (TestSource, test_source, TEST, SOURCE, GObject)

static void test_source_iface_init (SkDiscoverSourceInterface *iface);

G_DEFINE_TYPE_WITH_CODE (TestSource, test_source, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (SK_TYPE_DISCOVER_SOURCE, test_source_iface_init))

static void
test_source_finalize (GObject *object)
{
  TestSource *self = TEST_SOURCE (object);

  g_assert_null (self->task);
  g_free (self->name);
  g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (test_source_parent_class)->finalize (object);
}

static void
test_source_class_init (TestSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_source_finalize;
}

static void
test_source_init (TestSource *self)
{
}

static const char *
fake_get_name (SkDiscoverSource *source)
{
  return TEST_SOURCE (source)->name;
}

static const char *
fake_get_where (SkDiscoverSource *source)
{
  return TEST_SOURCE (source)->name;
}

static void answer_cancelled (TestSource *source);

static gboolean
answer_if_cancelled (gpointer user_data)
{
  TestSource *self = user_data;

  if (self->task != NULL && g_cancellable_is_cancelled (self->cancellable))
    answer_cancelled (self);

  return G_SOURCE_REMOVE;
}

/* A cancelled lookup returns soon after, as every real source does (the
 * runner waits for that before it gives its result). */
static void
fake_cancelled (GCancellable *cancellable,
                TestSource   *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, answer_if_cancelled, g_object_ref (self), g_object_unref);
}

static void
fake_lookup_async (SkDiscoverSource    *source,
                   const char          *address,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  TestSource *self = TEST_SOURCE (source);

  g_assert_null (self->task);
  self->task = g_task_new (self, cancellable, callback, user_data);
  g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  g_set_object (&self->cancellable, cancellable);
  self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (fake_cancelled), self, NULL);
}

static SkAutoconfig *
fake_lookup_finish (SkDiscoverSource  *source,
                    GAsyncResult      *result,
                    GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_source_iface_init (SkDiscoverSourceInterface *iface)
{
  iface->get_name = fake_get_name;
  iface->get_where = fake_get_where;
  iface->lookup_async = fake_lookup_async;
  iface->lookup_finish = fake_lookup_finish;
}

static TestSource *
test_source_new (const char *name)
{
  TestSource *self = g_object_new (TEST_TYPE_SOURCE, NULL);

  self->name = g_strdup (name);
  return self;
}

/* Settings whose only server is named after the source that found them. */
static SkAutoconfig *
settings_from (const char *name)
{
  SkAutoconfig *settings = sk_autoconfig_new ();
  SkServer *server = sk_server_new (SK_PROTOCOL_IMAP);

  g_free (server->host);
  server->host = g_strdup_printf ("imap.%s.example", name);
  server->username = g_strdup ("jan@firma.pl");
  g_ptr_array_add (settings->incoming, sk_found_server_new (server, SK_LOGIN_PASSWORD));
  settings->display_name = g_strdup (name);

  return settings;
}

typedef enum
{
  ANSWER_FOUND,
  ANSWER_NONE,
  ANSWER_ERROR,
  ANSWER_TIMEOUT,
} Answer;

static void
answer (TestSource *source,
        Answer      what)
{
  g_autoptr(GTask) task = g_steal_pointer (&source->task);

  /* A cancelled source may have returned already. */
  if (task == NULL)
    {
      g_assert_true (g_cancellable_is_cancelled (source->cancellable));
      return;
    }
  switch (what)
    {
    case ANSWER_FOUND:
      g_task_return_pointer (task, settings_from (source->name),
                             (GDestroyNotify) sk_autoconfig_free);
      break;
    case ANSWER_NONE:
      g_task_return_pointer (task, NULL, NULL);
      break;
    case ANSWER_ERROR:
      g_task_return_new_error (task, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_MALFORMED,
                               "not XML");
      break;
    case ANSWER_TIMEOUT:
      g_task_return_new_error (task, SK_HTTP_ERROR, SK_HTTP_ERROR_TIMEOUT, "too slow");
      break;
    default:
      g_assert_not_reached ();
    }
}

/* A cancelled source says so, as every real one does. */
static void
answer_cancelled (TestSource *source)
{
  g_autoptr(GTask) task = g_steal_pointer (&source->task);

  g_assert_true (g_cancellable_is_cancelled (source->cancellable));
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
}

typedef struct
{
  GPtrArray    *sources;     /* of TestSource */
  GCancellable *cancellable;
  SkDiscovery  *discovery;
  GError       *error;
  gboolean      done;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const char *names[] = { "first", "second", "third" };

  fixture->sources = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (fixture->sources, test_source_new (names[i]));
  fixture->cancellable = g_cancellable_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Late answers of cancelled sources must still be taken safely. */
  for (guint i = 0; i < fixture->sources->len; i++)
    {
      TestSource *source = g_ptr_array_index (fixture->sources, i);

      if (source->task != NULL)
        answer_cancelled (source);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;

  while (fixture->sources->len > 0)
    g_assert_finalize_object (g_ptr_array_steal_index (fixture->sources, 0));
  g_ptr_array_unref (fixture->sources);
  g_clear_object (&fixture->cancellable);
  g_clear_pointer (&fixture->discovery, sk_discovery_free);
  g_clear_error (&fixture->error);
}

static void
run_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_false (fixture->done);
  fixture->discovery = sk_discover_run_finish (result, &fixture->error);
  fixture->done = TRUE;
}

static void
start (Fixture *fixture,
       guint    timeout_ms)
{
  sk_discover_run_async (fixture->sources, "jan@firma.pl", timeout_ms, fixture->cancellable,
                         run_done, fixture);
  for (guint i = 0; i < fixture->sources->len; i++)
    g_assert_nonnull (TEST_SOURCE (g_ptr_array_index (fixture->sources, i))->task);
}

/* Gives every pending callback its turn, without waiting for time. */
static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static TestSource *
source_at (Fixture *fixture,
           guint    index)
{
  return g_ptr_array_index (fixture->sources, index);
}

static void
assert_lookup (Fixture        *fixture,
               guint           index,
               SkLookupResult  result)
{
  const SkLookup *lookup = g_ptr_array_index (fixture->discovery->lookups, index);

  g_assert_cmpstr (lookup->source, ==, source_at (fixture, index)->name);
  g_assert_cmpstr (lookup->where, ==, source_at (fixture, index)->name);
  g_assert_cmpstr (sk_lookup_result_to_string (lookup->result), ==,
                   sk_lookup_result_to_string (result));
  g_assert_cmpfloat (lookup->seconds, >=, 0);
}

static void
assert_winner (Fixture    *fixture,
               const char *name)
{
  const SkFoundServer *found;

  g_assert_true (fixture->done);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->discovery->lookups->len, ==, fixture->sources->len);
  g_assert_cmpstr (fixture->discovery->address, ==, "jan@firma.pl");
  g_assert_cmpstr (fixture->discovery->domain, ==, "firma.pl");
  if (name == NULL)
    {
      g_assert_cmpstr (fixture->discovery->source, ==, "none");
      g_assert_null (fixture->discovery->where);
      g_assert_null (fixture->discovery->settings);
      return;
    }

  g_assert_cmpstr (fixture->discovery->source, ==, name);
  g_assert_cmpstr (fixture->discovery->where, ==, name);
  found = g_ptr_array_index (fixture->discovery->settings->incoming, 0);
  g_assert_true (g_str_has_prefix (found->server->host, "imap."));
  g_assert_true (g_str_has_suffix (found->server->host, ".example"));
  g_assert_cmpstr (fixture->discovery->settings->display_name, ==, name);
}

/* The best source answers first: the others are cancelled at once. */
static void
test_best_first (Fixture       *fixture,
                 gconstpointer  data)
{
  start (fixture, 0);
  answer (source_at (fixture, 0), ANSWER_FOUND);
  settle ();

  assert_winner (fixture, "first");
  assert_lookup (fixture, 0, SK_LOOKUP_FOUND);
  assert_lookup (fixture, 1, SK_LOOKUP_CANCELLED);
  assert_lookup (fixture, 2, SK_LOOKUP_CANCELLED);
  g_assert_true (g_cancellable_is_cancelled (source_at (fixture, 1)->cancellable));
  g_assert_true (g_cancellable_is_cancelled (source_at (fixture, 2)->cancellable));
  g_assert_false (g_cancellable_is_cancelled (fixture->cancellable));
}

/* A worse source that answers first waits for the better ones. */
static void
test_better_answers_later (Fixture       *fixture,
                           gconstpointer  data)
{
  start (fixture, 0);
  answer (source_at (fixture, 2), ANSWER_FOUND);
  settle ();
  g_assert_false (fixture->done);
  answer (source_at (fixture, 1), ANSWER_FOUND);
  settle ();
  g_assert_false (fixture->done);
  g_assert_false (g_cancellable_is_cancelled (source_at (fixture, 0)->cancellable));
  answer (source_at (fixture, 0), ANSWER_FOUND);
  settle ();

  assert_winner (fixture, "first");
  assert_lookup (fixture, 0, SK_LOOKUP_FOUND);
  assert_lookup (fixture, 1, SK_LOOKUP_FOUND);
  assert_lookup (fixture, 2, SK_LOOKUP_FOUND);
}

/* Errors and time-outs of better sources hand over to worse ones. */
static void
test_failures_hand_over (Fixture       *fixture,
                         gconstpointer  data)
{
  start (fixture, 0);
  answer (source_at (fixture, 0), ANSWER_ERROR);
  settle ();
  g_assert_false (fixture->done);
  answer (source_at (fixture, 1), ANSWER_TIMEOUT);
  settle ();
  g_assert_false (fixture->done);
  answer (source_at (fixture, 2), ANSWER_FOUND);
  settle ();

  assert_winner (fixture, "third");
  assert_lookup (fixture, 0, SK_LOOKUP_ERROR);
  assert_lookup (fixture, 1, SK_LOOKUP_TIMEOUT);
  assert_lookup (fixture, 2, SK_LOOKUP_FOUND);
  g_assert_cmpstr (((SkLookup *) g_ptr_array_index (fixture->discovery->lookups, 0))->message,
                   ==, "not XML");
}

static void
test_nothing (Fixture       *fixture,
              gconstpointer  data)
{
  start (fixture, 0);
  answer (source_at (fixture, 1), ANSWER_NONE);
  answer (source_at (fixture, 0), ANSWER_ERROR);
  settle ();
  g_assert_false (fixture->done);
  answer (source_at (fixture, 2), ANSWER_NONE);
  settle ();

  assert_winner (fixture, NULL);
  assert_lookup (fixture, 0, SK_LOOKUP_ERROR);
  assert_lookup (fixture, 1, SK_LOOKUP_NONE);
  assert_lookup (fixture, 2, SK_LOOKUP_NONE);
}

/* What each source answers, and who must win whatever the order. */
typedef struct
{
  Answer      answers[3];
  const char *winner;
} Case;

static const Case every_order_cases[] = {
  { { ANSWER_FOUND, ANSWER_FOUND, ANSWER_FOUND }, "first" },
  { { ANSWER_NONE, ANSWER_FOUND, ANSWER_FOUND }, "second" },
  { { ANSWER_ERROR, ANSWER_TIMEOUT, ANSWER_FOUND }, "third" },
  { { ANSWER_NONE, ANSWER_NONE, ANSWER_NONE }, NULL },
  { { ANSWER_FOUND, ANSWER_NONE, ANSWER_ERROR }, "first" },
  { { ANSWER_TIMEOUT, ANSWER_FOUND, ANSWER_NONE }, "second" },
};

static const guint orders[][3] = {
  { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
};

static SkLookupResult
expected_result (Answer answer)
{
  switch (answer)
    {
    case ANSWER_FOUND:
      return SK_LOOKUP_FOUND;
    case ANSWER_NONE:
      return SK_LOOKUP_NONE;
    case ANSWER_ERROR:
      return SK_LOOKUP_ERROR;
    case ANSWER_TIMEOUT:
      return SK_LOOKUP_TIMEOUT;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
better_found (const Case     *c,
              const gboolean *answered,
              guint           index)
{
  for (guint i = 0; i < index; i++)
    if (answered[i] && c->answers[i] == ANSWER_FOUND)
      return TRUE;

  return FALSE;
}

/* Answers in the given order until the result comes; the result must come
 * exactly when every source better than the winner has answered, and a
 * source must be cancelled once a better one has found something. */
static void
run_case (const Case  *c,
          const guint *order)
{
  Fixture fixture = { 0 };
  gboolean answered[3] = { FALSE, FALSE, FALSE };
  gboolean counted[3] = { FALSE, FALSE, FALSE };
  guint winner = c->winner == NULL ? 3 : (guint) (c->winner[0] == 'f' ? 0
                                                  : c->winner[0] == 's' ? 1 : 2);

  fixture_set_up (&fixture, NULL);
  start (&fixture, 0);

  for (guint step = 0; step < 3 && !fixture.done; step++)
    {
      guint next = order[step];
      gboolean decided = TRUE;

      counted[next] = !better_found (c, answered, next);
      g_assert_cmpint (g_cancellable_is_cancelled (source_at (&fixture, next)->cancellable), ==,
                       !counted[next]);
      answer (source_at (&fixture, next), c->answers[next]);
      answered[next] = TRUE;
      settle ();

      for (guint i = 0; i < 3 && i <= winner; i++)
        if (!answered[i])
          decided = FALSE;
      g_assert_cmpint (fixture.done, ==, decided);
    }

  assert_winner (&fixture, c->winner);
  for (guint i = 0; i < 3; i++)
    assert_lookup (&fixture, i, counted[i] ? expected_result (c->answers[i])
                                           : SK_LOOKUP_CANCELLED);
  fixture_tear_down (&fixture, NULL);
}

static void
test_every_order (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (every_order_cases); i++)
    for (guint j = 0; j < G_N_ELEMENTS (orders); j++)
      run_case (&every_order_cases[i], orders[j]);
}

/* When time runs out a worse source that found something wins over a
 * better one still running. */
static void
test_timeout_takes_worse (Fixture       *fixture,
                          gconstpointer  data)
{
  start (fixture, TIME_LIMIT_MS);
  answer (source_at (fixture, 1), ANSWER_FOUND);
  settle ();
  g_assert_false (fixture->done);
  g_assert_false (g_cancellable_is_cancelled (source_at (fixture, 0)->cancellable));
  g_assert_true (g_cancellable_is_cancelled (source_at (fixture, 2)->cancellable));
  while (!fixture->done)
    g_main_context_iteration (NULL, TRUE);

  assert_winner (fixture, "second");
  assert_lookup (fixture, 0, SK_LOOKUP_TIMEOUT);
  assert_lookup (fixture, 1, SK_LOOKUP_FOUND);
  assert_lookup (fixture, 2, SK_LOOKUP_CANCELLED);
  g_assert_true (g_cancellable_is_cancelled (source_at (fixture, 0)->cancellable));
}

static void
test_timeout_nothing (Fixture       *fixture,
                      gconstpointer  data)
{
  start (fixture, TIME_LIMIT_MS);
  while (!fixture->done)
    g_main_context_iteration (NULL, TRUE);

  assert_winner (fixture, NULL);
  for (guint i = 0; i < 3; i++)
    assert_lookup (fixture, i, SK_LOOKUP_TIMEOUT);
}

/* Cancelling the search cancels every source and says so. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  start (fixture, 0);
  answer (source_at (fixture, 2), ANSWER_FOUND);
  settle ();
  g_cancellable_cancel (fixture->cancellable);
  settle ();

  g_assert_true (fixture->done);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (fixture->discovery);
  g_assert_true (g_cancellable_is_cancelled (source_at (fixture, 0)->cancellable));
  g_assert_true (g_cancellable_is_cancelled (source_at (fixture, 1)->cancellable));
}

static void
test_bad_address (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char *addresses[] = { "jan", "jan@", "jan@firma..pl/../x", "jan@[127.0.0.1]" };

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      fixture->done = FALSE;
      g_clear_error (&fixture->error);
      sk_discover_run_async (fixture->sources, addresses[i], 0, NULL, run_done, fixture);
      settle ();
      g_assert_true (fixture->done);
      g_assert_error (fixture->error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_BAD_ADDRESS);
      g_assert_null (TEST_SOURCE (g_ptr_array_index (fixture->sources, 0))->task);
    }
}

/* IT's own files */

static char *config_root;

static void
write_local (const char *dir,
             const char *provider)
{
  g_autofree char *folder = g_build_filename (config_root, dir, "skrzynka", "autoconfig", NULL);
  g_autofree char *path = g_build_filename (folder, "firma.pl.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  contents = g_strdup_printf ("<clientConfig version=\"1.1\"><emailProvider id=\"firma.pl\">"
                              "<displayName>%s</displayName>"
                              "<incomingServer type=\"imap\"><hostname>imap.%s.pl</hostname>"
                              "<port>993</port><socketType>SSL</socketType>"
                              "<authentication>password-cleartext</authentication>"
                              "<username>%%EMAILADDRESS%%</username></incomingServer>"
                              "</emailProvider></clientConfig>", provider, provider);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
remove_local (const char *dir)
{
  g_autofree char *path = g_build_filename (config_root, dir, "skrzynka", "autoconfig",
                                            "firma.pl.xml", NULL);

  g_assert_cmpint (g_remove (path), ==, 0);
}

static void
local_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SkDiscovery **discovery = user_data;
  g_autoptr(GError) error = NULL;

  *discovery = sk_discover_run_finish (result, &error);
  g_assert_no_error (error);
}

/* Only the local sources of the default set: the others go to the network. */
static SkDiscovery *
discover_locally (void)
{
  g_autoptr(GPtrArray) sources = sk_discover_default_sources ("jan@Firma.PL", NULL);
  g_autoptr(GPtrArray) local = g_ptr_array_new ();
  SkDiscovery *discovery = NULL;

  for (guint i = 0; i < sources->len; i++)
    if (g_str_equal (sk_discover_source_get_name (g_ptr_array_index (sources, i)), "local"))
      g_ptr_array_add (local, g_ptr_array_index (sources, i));
  g_assert_cmpuint (local->len, ==, 3);

  sk_discover_run_async (local, "jan@Firma.PL", 0, NULL, local_done, &discovery);
  while (discovery == NULL)
    g_main_context_iteration (NULL, TRUE);

  return discovery;
}

static const char *
found_host (SkDiscovery *discovery)
{
  const SkFoundServer *found = g_ptr_array_index (discovery->settings->incoming, 0);

  return found->server->host;
}

static void
test_local_files (void)
{
  g_autofree char *home = g_build_filename (config_root, "home", "skrzynka", "autoconfig",
                                            "firma.pl.xml", NULL);
  g_autofree char *system = g_build_filename (config_root, "system-b", "skrzynka", "autoconfig",
                                              "firma.pl.xml", NULL);
  g_autoptr(SkDiscovery) nothing = NULL;
  g_autoptr(SkDiscovery) from_system = NULL;
  g_autoptr(SkDiscovery) from_home = NULL;

  nothing = discover_locally ();
  g_assert_null (nothing->settings);
  g_assert_cmpstr (nothing->source, ==, "none");
  for (guint i = 0; i < nothing->lookups->len; i++)
    g_assert_cmpint (((SkLookup *) g_ptr_array_index (nothing->lookups, i))->result, ==,
                     SK_LOOKUP_NONE);

  write_local ("system-b", "system");
  from_system = discover_locally ();
  g_assert_cmpstr (from_system->source, ==, "local");
  g_assert_cmpstr (from_system->where, ==, system);
  g_assert_cmpstr (found_host (from_system), ==, "imap.system.pl");

  /* The person's own folder comes before the system's. */
  write_local ("home", "home");
  from_home = discover_locally ();
  g_assert_cmpstr (from_home->where, ==, home);
  g_assert_cmpstr (found_host (from_home), ==, "imap.home.pl");
  g_assert_cmpint (((SkLookup *) g_ptr_array_index (from_home->lookups, 0))->result, ==,
                   SK_LOOKUP_FOUND);
  g_assert_cmpint (((SkLookup *) g_ptr_array_index (from_home->lookups, 2))->result, !=,
                   SK_LOOKUP_RUNNING);

  remove_local ("home");
  remove_local ("system-b");
}

/* A damaged file is that source's error; the next folder still counts. */
static void
test_local_damaged (void)
{
  g_autofree char *folder = g_build_filename (config_root, "home", "skrzynka", "autoconfig", NULL);
  g_autofree char *path = g_build_filename (folder, "firma.pl.xml", NULL);
  g_autoptr(SkDiscovery) discovery = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, "<clientConfig><emailProvider>", -1, &error);
  g_assert_no_error (error);
  write_local ("system-a", "system");

  discovery = discover_locally ();
  g_assert_cmpint (((SkLookup *) g_ptr_array_index (discovery->lookups, 0))->result, ==,
                   SK_LOOKUP_ERROR);
  g_assert_cmpstr (found_host (discovery), ==, "imap.system.pl");

  remove_local ("home");
  remove_local ("system-a");
}

/* Best first, the address only where DESIGN.md allows it. */
static void
test_default_sources (void)
{
  static const char * const expected[][2] = {
    { "local", "/home/skrzynka/autoconfig" },
    { "local", "/system-a/skrzynka/autoconfig" },
    { "local", "/system-b/skrzynka/autoconfig" },
    { "builtin", NULL },
    { "autoconfig", "https://autoconfig.firma.pl/mail/config-v1.1.xml" },
    { "well-known", "https://firma.pl/.well-known/autoconfig/mail/config-v1.1.xml" },
    { "autoconfig", "http://autoconfig.firma.pl/mail/config-v1.1.xml" },
    { "well-known", "http://firma.pl/.well-known/autoconfig/mail/config-v1.1.xml" },
    { "ispdb", "https://ispdb.example/v1.1/firma.pl" },
    { "mx", NULL },
    { "srv", NULL },
    { "guess", NULL },
  };
  SkDiscoverOptions options = { .allow_http = TRUE };
  g_autoptr(GPtrArray) sources = NULL;

  g_setenv ("SKRZYNKA_ISPDB_URL", "https://ispdb.example/v1.1", TRUE);
  sources = sk_discover_default_sources ("jan+biuro@firma.pl", &options);
  g_unsetenv ("SKRZYNKA_ISPDB_URL");

  g_assert_cmpuint (sources->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < sources->len; i++)
    {
      SkDiscoverSource *source = g_ptr_array_index (sources, i);
      const char *where = sk_discover_source_get_where (source);

      g_assert_cmpstr (sk_discover_source_get_name (source), ==, expected[i][0]);
      if (i < 3)
        g_assert_true (g_str_has_prefix (where, config_root)
                       && g_str_has_suffix (where, expected[i][1]));
      else
        g_assert_cmpstr (where, ==, expected[i][1]);
    }

  g_assert_null (sk_discover_default_sources ("not an address", &options));
}

static void
test_ispdb_url (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("pl.skrzynka.Skrzynka");
  g_autofree char *by_default = NULL;
  g_autofree char *by_settings = NULL;
  g_autofree char *by_variable = NULL;
  g_autofree char *off = NULL;

  g_unsetenv ("SKRZYNKA_ISPDB_URL");
  by_default = sk_discover_ispdb_url ();
  g_assert_cmpstr (by_default, ==, SK_DISCOVER_ISPDB_URL);

  g_settings_set_string (settings, "ispdb-url", "https://ispdb.firma.pl/");
  by_settings = sk_discover_ispdb_url ();
  g_assert_cmpstr (by_settings, ==, "https://ispdb.firma.pl/");

  /* The variable wins, and empty turns the database off. */
  g_setenv ("SKRZYNKA_ISPDB_URL", "https://mirror.example/db", TRUE);
  by_variable = sk_discover_ispdb_url ();
  g_assert_cmpstr (by_variable, ==, "https://mirror.example/db/");
  g_setenv ("SKRZYNKA_ISPDB_URL", "", TRUE);
  off = sk_discover_ispdb_url ();
  g_assert_null (off);

  g_unsetenv ("SKRZYNKA_ISPDB_URL");
  g_settings_set_string (settings, "ispdb-url", "");
  g_assert_null (sk_discover_ispdb_url ());
  g_settings_reset (settings, "ispdb-url");
}

static void
test_base_domain (void)
{
  static const char * const cases[][2] = {
    { "mx.poczta.onet.pl", "onet.pl" },
    { "a.b.co.uk", "b.co.uk" },
    { "firma-pl.mail.protection.outlook.com", "outlook.com" },
    { "aspmx.l.google.com.", "google.com" },
    { "mx1.ovh.net", "ovh.net" },
    { "poczta.gmina.waw.pl", "gmina.waw.pl" },
    { "MX.Interia.PL", "interia.pl" },
    { "co.uk", NULL },
    { "com.pl", NULL },
    { "localhost", NULL },
    { "127.0.0.1", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *base = sk_domain_base (cases[i][0]);

      g_assert_cmpstr (base, ==, cases[i][1]);
    }
}

static void
test_parent_domain (void)
{
  static const char * const cases[][2] = {
    { "firma-pl.mail.protection.outlook.com", "mail.protection.outlook.com" },
    { "foo.bar.foo.co.uk", "bar.foo.co.uk" },
    { "mx.poczta.onet.pl", "poczta.onet.pl" },
    { "poczta.onet.pl", "onet.pl" },
    { "onet.pl", NULL },
    { "b.co.uk", NULL },
    { "localhost", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *parent = sk_domain_parent (cases[i][0]);

      g_assert_cmpstr (parent, ==, cases[i][1]);
    }
}

static SkLookup *
lookup_new (const char     *source,
            const char     *where,
            SkLookupResult  result,
            double          seconds)
{
  SkLookup *lookup = g_new0 (SkLookup, 1);

  lookup->source = g_strdup (source);
  lookup->where = g_strdup (where);
  lookup->result = result;
  lookup->seconds = seconds;

  return lookup;
}

static void
test_json (void)
{
  SkDiscovery *discovery = g_new0 (SkDiscovery, 1);
  SkServer *imap = sk_server_new (SK_PROTOCOL_IMAP);
  SkServer *smtp = sk_server_new (SK_PROTOCOL_SMTP);
  g_autofree char *json = NULL;
  g_autofree char *nothing_json = NULL;

  discovery->address = g_strdup ("jan@firma.pl");
  discovery->domain = g_strdup ("firma.pl");
  discovery->source = g_strdup ("autoconfig");
  discovery->where = g_strdup ("https://autoconfig.firma.pl/mail/config-v1.1.xml");
  discovery->seconds = 0.421;
  discovery->settings = sk_autoconfig_new ();
  discovery->settings->provider_id = g_strdup ("firma.pl");
  discovery->settings->display_name = g_strdup ("Firma \"Poczta\"");
  g_free (imap->host);
  imap->host = g_strdup ("mail.firma.pl");
  imap->username = g_strdup ("jan@firma.pl");
  g_ptr_array_add (discovery->settings->incoming, sk_found_server_new (imap, SK_LOGIN_PASSWORD));
  g_free (smtp->host);
  smtp->host = g_strdup ("mail.firma.pl");
  g_ptr_array_add (discovery->settings->outgoing, sk_found_server_new (smtp, SK_LOGIN_NONE));
  g_ptr_array_add (discovery->settings->notes, g_strdup ("Włącz IMAP"));
  discovery->lookups = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_lookup_free);
  g_ptr_array_add (discovery->lookups, lookup_new ("local", "/etc/xdg/skrzynka/autoconfig/firma.pl.xml",
                                                   SK_LOOKUP_NONE, 0.001));
  g_ptr_array_add (discovery->lookups, lookup_new ("autoconfig", discovery->where,
                                                   SK_LOOKUP_FOUND, 0.21));
  g_ptr_array_add (discovery->lookups, lookup_new ("ispdb", "https://autoconfig.thunderbird.net/v1.1/firma.pl",
                                                   SK_LOOKUP_CANCELLED, 0.2));

  json = sk_discovery_to_json (discovery);
  g_assert_cmpstr (json, ==,
                   "{\"address\":\"jan@firma.pl\",\"domain\":\"firma.pl\",\"found\":true,"
                   "\"source\":\"autoconfig\",\"provider\":\"Firma \\\"Poczta\\\"\","
                   "\"url\":\"https://autoconfig.firma.pl/mail/config-v1.1.xml\","
                   "\"incoming\":[{\"protocol\":\"imap\",\"host\":\"mail.firma.pl\",\"port\":993,"
                   "\"security\":\"ssl\",\"username\":\"jan@firma.pl\",\"authentication\":\"password\"}],"
                   "\"outgoing\":[{\"protocol\":\"smtp\",\"host\":\"mail.firma.pl\",\"port\":465,"
                   "\"security\":\"ssl\",\"username\":null,\"authentication\":\"none\"}],"
                   "\"notes\":[\"Włącz IMAP\"],\"seconds\":0.42,"
                   "\"lookups\":[{\"source\":\"local\",\"where\":\"/etc/xdg/skrzynka/autoconfig/firma.pl.xml\","
                   "\"result\":\"none\",\"seconds\":0.00},"
                   "{\"source\":\"autoconfig\",\"where\":\"https://autoconfig.firma.pl/mail/config-v1.1.xml\","
                   "\"result\":\"found\",\"seconds\":0.21},"
                   "{\"source\":\"ispdb\",\"where\":\"https://autoconfig.thunderbird.net/v1.1/firma.pl\","
                   "\"result\":\"cancelled\",\"seconds\":0.20}]}");

  g_clear_pointer (&discovery->settings, sk_autoconfig_free);
  g_clear_pointer (&discovery->where, g_free);
  g_free (discovery->source);
  discovery->source = g_strdup ("none");
  g_ptr_array_set_size (discovery->lookups, 0);
  nothing_json = sk_discovery_to_json (discovery);
  g_assert_cmpstr (nothing_json, ==,
                   "{\"address\":\"jan@firma.pl\",\"domain\":\"firma.pl\",\"found\":false,"
                   "\"source\":\"none\",\"provider\":null,\"url\":null,\"incoming\":[],"
                   "\"outgoing\":[],\"notes\":[],\"seconds\":0.42,\"lookups\":[]}");
  sk_discovery_free (discovery);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dirs = NULL;
  g_autofree char *home = NULL;
  int status;

  /* Before GLib reads them: g_get_user_config_dir() keeps its first answer. */
  config_root = g_dir_make_tmp ("sk-autodiscover-XXXXXX", &error);
  g_assert_no_error (error);
  dirs = g_strdup_printf ("%s/system-a:%s/system-b", config_root, config_root);
  home = g_build_filename (config_root, "home", NULL);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", dirs, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sk/autodiscover/best-first", Fixture, NULL,
              fixture_set_up, test_best_first, fixture_tear_down);
  g_test_add ("/sk/autodiscover/better-answers-later", Fixture, NULL,
              fixture_set_up, test_better_answers_later, fixture_tear_down);
  g_test_add ("/sk/autodiscover/failures-hand-over", Fixture, NULL,
              fixture_set_up, test_failures_hand_over, fixture_tear_down);
  g_test_add ("/sk/autodiscover/nothing", Fixture, NULL,
              fixture_set_up, test_nothing, fixture_tear_down);
  g_test_add_func ("/sk/autodiscover/every-order", test_every_order);
  g_test_add ("/sk/autodiscover/timeout-takes-worse", Fixture, NULL,
              fixture_set_up, test_timeout_takes_worse, fixture_tear_down);
  g_test_add ("/sk/autodiscover/timeout-nothing", Fixture, NULL,
              fixture_set_up, test_timeout_nothing, fixture_tear_down);
  g_test_add ("/sk/autodiscover/cancel", Fixture, NULL,
              fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/sk/autodiscover/bad-address", Fixture, NULL,
              fixture_set_up, test_bad_address, fixture_tear_down);
  g_test_add_func ("/sk/autodiscover/local-files", test_local_files);
  g_test_add_func ("/sk/autodiscover/local-damaged", test_local_damaged);
  g_test_add_func ("/sk/autodiscover/default-sources", test_default_sources);
  g_test_add_func ("/sk/autodiscover/ispdb-url", test_ispdb_url);
  g_test_add_func ("/sk/autodiscover/base-domain", test_base_domain);
  g_test_add_func ("/sk/autodiscover/parent-domain", test_parent_domain);
  g_test_add_func ("/sk/autodiscover/json", test_json);

  status = g_test_run ();
  test_remove_tree (config_root);
  g_free (config_root);

  return status;
}
