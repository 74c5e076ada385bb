/* test-resolver.c — a GResolver that answers from a table the test fills in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-resolver.h"

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static void
free_variants (gpointer list)
{
  g_list_free_full (list, (GDestroyNotify) g_variant_unref);
}

static void
free_targets (gpointer list)
{
  g_list_free_full (list, (GDestroyNotify) g_srv_target_free);
}

typedef struct
{
  GTask          *task;
  GList          *answer;
  GDestroyNotify  free_answer;
} Late;

static gboolean
return_late (gpointer data)
{
  Late *late = data;

  g_task_return_pointer (late->task, late->answer, late->free_answer);
  g_object_unref (late->task);
  g_free (late);

  return G_SOURCE_REMOVE;
}

/* Answers now, or after delay_ms as a slow name server would. */
static void
answer (TestResolver   *self,
        GTask          *task,
        GList          *list,
        GDestroyNotify  free_list)
{
  Late *late;

  if (self->delay_ms == 0)
    {
      g_task_return_pointer (task, list, free_list);
      return;
    }

  late = g_new0 (Late, 1);
  late->task = g_object_ref (task);
  late->answer = list;
  late->free_answer = free_list;
  g_timeout_add (self->delay_ms, return_late, late);
}

static gboolean
return_cancelled (gpointer data)
{
  GTask *task = data;
  gulong handler = (gsize) g_task_get_task_data (task);

  g_assert_true (g_task_return_error_if_cancelled (task));
  /* The task holds the cancellable and the handler holds the task. */
  g_cancellable_disconnect (g_task_get_cancellable (task), handler);

  return G_SOURCE_REMOVE;
}

static void
answer_cancelled (GCancellable *cancellable,
                  GTask        *task)
{
  g_autoptr(GSource) idle = g_idle_source_new ();

  /* Not from inside the "cancelled" emission, as a real resolver. */
  g_task_attach_source (task, idle, return_cancelled);
}

/* Starts an answer; TRUE when the mode settled it already. */
static gboolean
answer_by_mode (TestResolver *self,
                GTask        *task,
                GCancellable *cancellable)
{
  gulong handler;

  self->calls++;

  switch (self->mode)
    {
    case ANSWER_WITH_ERROR:
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                               "The test resolver fails every lookup");
      return TRUE;

    case ANSWER_NEVER:
      /* Only a cancellation ends the wait. */
      g_assert_nonnull (cancellable);
      handler = g_cancellable_connect (cancellable, G_CALLBACK (answer_cancelled),
                                       g_object_ref (task), g_object_unref);
      g_task_set_task_data (task, (gpointer) (gsize) handler, NULL);
      return TRUE;

    case ANSWER_FROM_TABLE:
    default:
      return FALSE;
    }
}

static void
test_resolver_lookup_records_async (GResolver           *resolver,
                                    const char          *rrname,
                                    GResolverRecordType  record_type,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GPtrArray *hosts;
  GList *records = NULL;

  if (answer_by_mode (self, task, cancellable))
    return;

  hosts = g_hash_table_lookup (self->mx, rrname);
  if (record_type != G_RESOLVER_RECORD_MX || hosts == NULL)
    {
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                               "No %s records in the test table", rrname);
      return;
    }

  for (guint i = 0; i < hosts->len; i++)
    records = g_list_append (records,
                             g_variant_ref_sink (g_variant_new ("(qs)", 10 * (i + 1),
                                                                (char *) hosts->pdata[i])));

  answer (self, task, records, free_variants);
}

static GList *
test_resolver_lookup_records_finish (GResolver     *resolver,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
test_resolver_lookup_records (GResolver            *resolver,
                              const char           *rrname,
                              GResolverRecordType   record_type,
                              GCancellable         *cancellable,
                              GError              **error)
{
  /* Detection must never block on DNS. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Synchronous lookup of %s", rrname);
  return NULL;
}

static void
test_resolver_lookup_service_async (GResolver           *resolver,
                                    const char          *rrname,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GPtrArray *targets;
  GList *list = NULL;

  if (answer_by_mode (self, task, cancellable))
    return;

  targets = g_hash_table_lookup (self->srv, rrname);
  if (targets == NULL)
    {
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                               "No %s records in the test table", rrname);
      return;
    }

  for (guint i = 0; i < targets->len; i++)
    list = g_list_append (list, g_srv_target_copy (targets->pdata[i]));

  answer (self, task, list, free_targets);
}

static GList *
test_resolver_lookup_service_finish (GResolver     *resolver,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
test_resolver_lookup_service (GResolver     *resolver,
                              const char    *rrname,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Synchronous lookup of %s", rrname);
  return NULL;
}

static void
test_resolver_finalize (GObject *object)
{
  TestResolver *self = TEST_RESOLVER (object);

  g_clear_pointer (&self->mx, g_hash_table_unref);
  g_clear_pointer (&self->srv, g_hash_table_unref);

  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  object_class->finalize = test_resolver_finalize;

  resolver_class->lookup_records = test_resolver_lookup_records;
  resolver_class->lookup_records_async = test_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = test_resolver_lookup_records_finish;
  resolver_class->lookup_service = test_resolver_lookup_service;
  resolver_class->lookup_service_async = test_resolver_lookup_service_async;
  resolver_class->lookup_service_finish = test_resolver_lookup_service_finish;
}

static void
test_resolver_init (TestResolver *self)
{
  self->mx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) g_ptr_array_unref);
  self->srv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
table_entry (GHashTable     *table,
             const char     *key,
             GDestroyNotify  free_func)
{
  GPtrArray *entry = g_hash_table_lookup (table, key);

  if (entry == NULL)
    {
      entry = g_ptr_array_new_with_free_func (free_func);
      g_hash_table_insert (table, g_strdup (key), entry);
    }

  return entry;
}

void
test_resolver_add_mx (TestResolver *self,
                      const char   *domain,
                      const char   *exchange)
{
  g_ptr_array_add (table_entry (self->mx, domain, g_free), g_strdup (exchange));
}

void
test_resolver_add_srv (TestResolver *self,
                       const char   *service,
                       const char   *domain,
                       const char   *target,
                       guint16       port,
                       guint16       priority,
                       guint16       weight)
{
  g_autofree char *rrname = g_strdup_printf ("_%s._tcp.%s", service, domain);

  g_ptr_array_add (table_entry (self->srv, rrname, (GDestroyNotify) g_srv_target_free),
                   g_srv_target_new (target, port, priority, weight));
}

/* Fixture: the test resolver stands in as GLib's default for one test. */

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->saved = g_resolver_get_default ();
  fixture->resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  g_resolver_set_default (G_RESOLVER (fixture->resolver));
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_resolver_set_default (fixture->saved);
  g_clear_object (&fixture->saved);

  /* Lookups still returning hold the resolver. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&fixture->resolver));
}

