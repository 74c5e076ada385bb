/* fuzz-json.c — the JSON writer of --json: any bytes a server or a file
 * brings (invalid UTF-8 included) through sk_json_string(), read back by
 * a strict decoder written here from RFC 8259; and sk_json_date() on any
 * date a certificate can carry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-json.h"
#include "fuzz-common.h"

static gunichar
read_hex4 (const char **p)
{
  gunichar value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value ((*p)[i]);

      if (digit < 0)
        fuzz_fail ("a bad \\u escape");
      value = value * 16 + digit;
    }
  *p += 4;

  return value;
}

/* A \u escape, with the low half that must follow a high surrogate. */
static gunichar
read_unicode_escape (const char **p)
{
  gunichar c = read_hex4 (p);
  gunichar low;

  if (c >= 0xDC00 && c <= 0xDFFF)
    fuzz_fail ("a lone low surrogate");
  if (c < 0xD800 || c > 0xDBFF)
    return c;

  if ((*p)[0] != '\\' || (*p)[1] != 'u')
    fuzz_fail ("a lone high surrogate");
  *p += 2;
  low = read_hex4 (p);
  if (low < 0xDC00 || low > 0xDFFF)
    fuzz_fail ("a high surrogate without its low half");

  return 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
}

static const char *
read_escape (const char **p)
{
  static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";

  for (guint i = 0; i < sizeof escapes - 1; i += 2)
    if (**p == escapes[i])
      {
        (*p)++;
        return &escapes[i + 1];
      }

  fuzz_fail ("a bad escape \\%c", **p);
}

/* The one JSON string that json must be, decoded. */
static char *
decode_string (const char *json)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *p = json;

  if (*p++ != '"')
    fuzz_fail ("no opening quote: %s", json);

  while (*p != '"')
    {
      if ((guint8) *p < 0x20)
        fuzz_fail ("a raw control character 0x%02x: %s", (guint8) *p, json);

      if (*p != '\\')
        {
          g_string_append_c (text, *p++);
          continue;
        }

      p++;
      if (*p == 'u')
        {
          p++;
          g_string_append_unichar (text, read_unicode_escape (&p));
        }
      else
        {
          g_string_append_c (text, *read_escape (&p));
        }
    }

  if (p[1] != '\0')
    fuzz_fail ("text after the closing quote: %s", json);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
check_string (const uint8_t *data,
              size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *decoded = NULL;
  g_autoptr(GString) json = g_string_new (NULL);

  sk_json_string (json, text);
  if (!g_utf8_validate (json->str, json->len, NULL))
    fuzz_fail ("JSON that is not UTF-8");

  decoded = decode_string (json->str);
  if (strcmp (decoded, valid) != 0)
    fuzz_fail ("JSON that does not read back as the text");
}

/* Any date from year 1 to 9999, as a certificate's validity can be. */
static void
check_date (const uint8_t *data)
{
  int year = 1 + (data[0] << 8 | data[1]) % 9999;
  g_autoptr(GDateTime) date = g_date_time_new_utc (year, 1 + data[2] % 12, 1 + data[3] % 28,
                                                   data[4] % 24, data[5] % 60, data[6] % 60);
  g_autoptr(GDateTime) local = g_date_time_to_local (date);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *expected = NULL;

  sk_json_date (json, date);
  /* ISO 8601 exactly, four-digit years below 1000 too (reliability
   * review F3). */
  expected = g_strdup_printf ("\"%04d-%02d-%02dT%02d:%02d:%02dZ\"", year, 1 + data[2] % 12,
                              1 + data[3] % 28, data[4] % 24, data[5] % 60, data[6] % 60);
  if (strcmp (json->str, expected) != 0)
    fuzz_fail ("the date %s written as %s", expected, json->str);

  /* The same instant in local time is the same UTC text. */
  if (local != NULL)
    {
      g_autoptr(GString) local_json = g_string_new (NULL);

      sk_json_date (local_json, local);
      if (strcmp (local_json->str, json->str) != 0)
        fuzz_fail ("the date %s written as %s from local time", json->str, local_json->str);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  check_string (data, size);
  if (size >= 7)
    check_date (data);

  return 0;
}
