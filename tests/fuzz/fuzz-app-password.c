/* fuzz-app-password.c — an app password pasted from Google's page, or from
 * wherever else: sk_app_password_normalize() and
 * sk_app_password_looks_right().  GTK only ever pastes valid UTF-8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-detect.h"
#include "fuzz-common.h"

/* Independent of sk-detect.c on purpose: what a copy from a web page
 * brings along that the normaliser must take out. */
static gboolean
is_filler (gunichar c)
{
  return g_unichar_isspace (c) || c == '-' || c == 0x00A0 || c == 0x2007 || c == 0x202F
         || c == 0x200B || c == 0xFEFF || c == 0x0085 || c == 0x000B
         || (c >= 0x2010 && c <= 0x2015);
}

static gboolean
is_sixteen_letters (const char *text)
{
  return strlen (text) == 16 && strspn (text, "abcdefghijklmnopqrstuvwxyz") == 16;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *normal = NULL;
  g_autofree char *twice = NULL;
  gsize kept = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return 0;

  normal = sk_app_password_normalize (text);
  if (normal == NULL || !g_utf8_validate (normal, -1, NULL))
    fuzz_fail ("the normalised password is missing or not UTF-8");

  /* Exactly the characters that are not fillers, in their order. */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gsize length = g_utf8_next_char (p) - p;

      if (is_filler (g_utf8_get_char (p)))
        continue;
      if (strncmp (normal + kept, p, length) != 0)
        fuzz_fail ("“%s” normalised to “%s”", text, normal);
      kept += length;
    }
  if (normal[kept] != '\0')
    fuzz_fail ("“%s” normalised to “%s”, which is longer", text, normal);

  twice = sk_app_password_normalize (normal);
  if (strcmp (twice, normal) != 0)
    fuzz_fail ("normalising “%s” again changed it", normal);

  if (sk_app_password_looks_right (normal) != is_sixteen_letters (normal))
    fuzz_fail ("“%s” misjudged", normal);

  return 0;
}
