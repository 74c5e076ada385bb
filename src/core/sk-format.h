/* sk-format.h — dates and durations as people read them, and dates as
 * JSON carries them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sk-server.h"

G_BEGIN_DECLS

/* A day as people write it, in the desktop's language and time zone
 * ("3 March 2026"); "unknown" for NULL.  Every date the application shows
 * goes through here: tab 3, the trust panel, Details, the command line.
 * (transfer full) */
char *sk_format_date_for_people (GDateTime *date);

/* ISO 8601 in UTC, always "YYYY-MM-DDTHH:MM:SSZ" with a four-digit year
 * ("0001-01-01T00:00:00Z" too); NULL for NULL, or for a date that UTC
 * would put in year 0.  Every date in JSON goes
 * through here.  (transfer full) */
char *sk_format_date_iso8601    (GDateTime *date);

/* A duration as the test shows it, "0.12 s".  (transfer full) */
char *sk_format_seconds         (double     seconds);

/* A connection's security as people read it: "SSL/TLS", "STARTTLS", or
 * "no encryption", translated. */
const char *sk_format_security (SkSecurity security);

/* A server as people read it: "IMAP imap.wp.pl:993 SSL/TLS".
 * (transfer full) */
char *sk_format_server          (const SkServer *server);

G_END_DECLS
