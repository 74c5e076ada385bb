/* sk-json.h — the pieces of the JSON the command line prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* text as a JSON string, UTF-8 kept as it is (an invalid sequence is
 * replaced); NULL as null. */
void sk_json_string (GString    *out,
                     const char *text);
/* "key": */
void sk_json_key    (GString    *out,
                     const char *key);
void sk_json_bool   (GString    *out,
                     gboolean    value);
/* sk_format_date_iso8601() as a JSON string ("2025-03-03T12:00:00Z");
 * NULL as null. */
void sk_json_date   (GString    *out,
                     GDateTime  *date);

G_END_DECLS
