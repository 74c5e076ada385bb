/* sk-format.c — dates as people read them and as JSON carries them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-format.h"

char *
sk_format_date_for_people (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  if (date == NULL)
    return g_strdup (_("unknown"));

  /* NULL when the local date falls outside the years 1 to 9999 that
   * GDateTime holds: 9999-12-31T23:59:59Z, RFC 5280's "no expiry" date,
   * is already the year 10000 in Poland.  The date as the certificate
   * writes it is then the one to show. */
  local = g_date_time_to_local (date);

  /* TRANSLATORS: a date, "3 March 2026", in g_date_time_format() codes.
   * xgettext:no-c-format */
  return g_date_time_format (local != NULL ? local : date, _("%-d %B %Y"));
}

char *
sk_format_date_iso8601 (GDateTime *date)
{
  g_autoptr(GDateTime) utc = NULL;

  if (date == NULL)
    return NULL;

  /* NULL only for a date in the first hours of year 1 in a zone east of
   * UTC, which would be year 0 in UTC; certificates' dates are read in
   * UTC and never are one. */
  utc = g_date_time_to_utc (date);
  if (utc == NULL)
    return NULL;

  /* Not g_date_time_format()'s %Y, which writes year 1 as "1". */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (utc), g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc), g_date_time_get_second (utc));
}

char *
sk_format_seconds (double seconds)
{
  /* TRANSLATORS: a duration in seconds, "0.12 s" */
  return g_strdup_printf (_("%.2f s"), seconds);
}

const char *
sk_format_security (SkSecurity security)
{
  switch (security)
    {
    case SK_SECURITY_SSL:
      return "SSL/TLS";
    case SK_SECURITY_STARTTLS:
      return "STARTTLS";
    case SK_SECURITY_NONE:
      return _("no encryption");
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
sk_format_server (const SkServer *server)
{
  g_autofree char *protocol = NULL;

  g_return_val_if_fail (server != NULL, NULL);

  protocol = g_ascii_strup (sk_protocol_to_string (server->protocol), -1);
  /* Translators: "IMAP imap.wp.pl:993 SSL/TLS" */
  return g_strdup_printf (_("%s %s:%u %s"), protocol, server->host, server->port,
                          sk_format_security (server->security));
}
