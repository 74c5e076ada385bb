/* test-resolver.h — a GResolver that answers from a table the test fills
 * in, fails every lookup, or never answers (until cancelled); and a
 * fixture that makes it GLib's default for one test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  ANSWER_FROM_TABLE,
  ANSWER_WITH_ERROR,
  ANSWER_NEVER,
} AnswerMode;

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver   parent_instance;

  AnswerMode  mode;
  GHashTable *mx;    /* domain → GPtrArray of exchange host names */
  GHashTable *srv;   /* "_imaps._tcp.domain" → GPtrArray of GSrvTarget */
  guint       calls;
  guint       delay_ms;   /* before each answer from the table */
};

/* MX records answer in the order added, preference 10, 20, … */
void test_resolver_add_mx  (TestResolver *self,
                            const char   *domain,
                            const char   *exchange);
void test_resolver_add_srv (TestResolver *self,
                            const char   *service,
                            const char   *domain,
                            const char   *target,
                            guint16       port,
                            guint16       priority,
                            guint16       weight);

typedef struct
{
  TestResolver *resolver;
  GResolver    *saved;
} Fixture;

void fixture_set_up    (Fixture       *fixture,
                        gconstpointer  data);
void fixture_tear_down (Fixture       *fixture,
                        gconstpointer  data);

G_END_DECLS
