/* test-format.c — dates for people and for JSON, in Poland's time zone and
 * at both ends of the years a GDateTime holds
 *
 * Run with G_DEBUG=fatal-warnings, so a GLib-CRITICAL fails the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "core/sk-format.h"
#include "core/sk-json.h"

/* The local zone, read again by g_date_time_to_local() when TZ changes. */
static void
set_zone (const char *zone)
{
  g_setenv ("TZ", zone, TRUE);
}

static void
assert_for_people (GDateTime  *date,
                   const char *expected)
{
  g_autofree char *text = sk_format_date_for_people (date);

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_iso8601 (GDateTime  *date,
                const char *expected)
{
  g_autofree char *text = sk_format_date_iso8601 (date);

  g_assert_cmpstr (text, ==, expected);
}

/* The day in the local zone, not in UTC. */
static void
test_for_people (void)
{
  g_autoptr(GDateTime) afternoon = g_date_time_new_utc (2026, 3, 3, 14, 5, 0);
  g_autoptr(GDateTime) late = g_date_time_new_utc (2026, 3, 3, 23, 30, 0);

  set_zone ("Europe/Warsaw");
  assert_for_people (afternoon, "3 March 2026");
  assert_for_people (late, "4 March 2026");

  set_zone ("America/New_York");
  assert_for_people (late, "3 March 2026");

  assert_for_people (NULL, "unknown");
}

/* RFC 5280's "no expiry" date is the year 10000 east of UTC, which a
 * GDateTime cannot hold: the certificate's own date is shown (F1). */
static void
test_for_people_no_expiry (void)
{
  const char *zones[] = { "Europe/Warsaw", "Pacific/Kiritimati", "UTC", "America/New_York" };
  g_autoptr(GDateTime) forever = g_date_time_new_utc (9999, 12, 31, 23, 59, 59);

  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_test_message ("%s", zones[i]);
      set_zone (zones[i]);
      assert_for_people (forever, "31 December 9999");
    }
}

/* And the year 0 west of UTC, the mirror case. */
static void
test_for_people_year_one (void)
{
  const char *zones[] = { "Europe/Warsaw", "UTC", "America/New_York", "Pacific/Pago_Pago" };
  g_autoptr(GDateTime) first = g_date_time_new_utc (1, 1, 1, 0, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_test_message ("%s", zones[i]);
      set_zone (zones[i]);
      assert_for_people (first, "1 January 1");
    }
}

/* Always YYYY-MM-DDTHH:MM:SSZ, in UTC, whatever the zone (F3). */
static void
test_iso8601 (void)
{
  const char *zones[] = { "Europe/Warsaw", "America/New_York" };
  g_autoptr(GDateTime) first = g_date_time_new_utc (1, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) early = g_date_time_new_utc (999, 5, 6, 7, 8, 9.75);
  g_autoptr(GDateTime) forever = g_date_time_new_utc (9999, 12, 31, 23, 59, 59);
  g_autoptr(GTimeZone) warsaw = g_time_zone_new_identifier ("Europe/Warsaw");
  g_autoptr(GDateTime) summer = g_date_time_new (warsaw, 2026, 7, 1, 12, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_test_message ("%s", zones[i]);
      set_zone (zones[i]);
      assert_iso8601 (first, "0001-01-01T00:00:00Z");
      assert_iso8601 (early, "0999-05-06T07:08:09Z");
      assert_iso8601 (forever, "9999-12-31T23:59:59Z");
      assert_iso8601 (summer, "2026-07-01T10:00:00Z");
    }

  g_assert_null (sk_format_date_iso8601 (NULL));
}

/* What the JSON of --check-certificate and of a test carries. */
static void
test_json_date (void)
{
  g_autoptr(GDateTime) first = g_date_time_new_utc (1, 1, 1, 0, 0, 0);
  g_autoptr(GString) out = g_string_new (NULL);

  set_zone ("Europe/Warsaw");
  sk_json_date (out, first);
  g_string_append_c (out, ',');
  sk_json_date (out, NULL);
  g_assert_cmpstr (out->str, ==, "\"0001-01-01T00:00:00Z\",null");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* English month names, whatever the machine's language. */
  setlocale (LC_ALL, "C.UTF-8");
  g_unsetenv ("LANGUAGE");

  g_test_add_func ("/sk/format/for-people", test_for_people);
  g_test_add_func ("/sk/format/for-people-no-expiry", test_for_people_no_expiry);
  g_test_add_func ("/sk/format/for-people-year-one", test_for_people_year_one);
  g_test_add_func ("/sk/format/iso8601", test_iso8601);
  g_test_add_func ("/sk/format/json-date", test_json_date);

  return g_test_run ();
}
