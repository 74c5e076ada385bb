/* sk-json.c — the pieces of the JSON the command line prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka"

#include "config.h"

#include "sk-format.h"
#include "sk-json.h"

void
sk_json_string (GString    *out,
                const char *text)
{
  g_autofree char *valid = NULL;

  g_return_if_fail (out != NULL);

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      unsigned char c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          /* UTF-8 goes through as it is. */
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

void
sk_json_key (GString    *out,
             const char *key)
{
  g_return_if_fail (key != NULL);

  sk_json_string (out, key);
  g_string_append_c (out, ':');
}

void
sk_json_bool (GString  *out,
              gboolean  value)
{
  g_return_if_fail (out != NULL);

  g_string_append (out, value ? "true" : "false");
}

void
sk_json_date (GString   *out,
              GDateTime *date)
{
  g_autofree char *text = sk_format_date_iso8601 (date);

  sk_json_string (out, text);
}
