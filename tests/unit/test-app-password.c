/* test-app-password.c — app passwords as Google shows them and as servers want them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-detect.h"

typedef struct
{
  const char *pasted;
  const char *kept;
} Case;

static void
assert_normalized (const Case *cases,
                   gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *result = sk_app_password_normalize (cases[i].pasted);

      if (g_strcmp0 (result, cases[i].kept) != 0)
        g_error ("“%s” became “%s”, expected “%s”", cases[i].pasted, result, cases[i].kept);
    }
}

static void
test_spaces (void)
{
  const Case cases[] = {
    /* As Google shows it. */
    { "ksjo xxds jqwa fstv", "ksjoxxdsjqwafstv" },
    { "  ksjo  xxds jqwa fstv  ", "ksjoxxdsjqwafstv" },
    { "ksjo\txxds\tjqwa\tfstv", "ksjoxxdsjqwafstv" },
    /* A copy of several lines, with every control character that is white
     * space: vertical tab and next line too. */
    { "ksjo\nxxds\r\njqwa\vfstv\f", "ksjoxxdsjqwafstv" },
    { "ksjo\xC2\x85" "xxds jqwa fstv", "ksjoxxdsjqwafstv" },  /* U+0085 */
    { "", "" },
    { "    ", "" },
    { "abcdefghijklmnop", "abcdefghijklmnop" },
  };

  assert_normalized (cases, G_N_ELEMENTS (cases));
}

static void
test_unicode_spaces (void)
{
  const Case cases[] = {
    /* No-break space, as a web page often has between the groups. */
    { "ksjo\u00A0xxds\u00A0jqwa\u00A0fstv", "ksjoxxdsjqwafstv" },
    /* Figure, narrow no-break, thin, em and ideographic spaces. */
    { "ksjo\u2007xxds\u202Fjqwa\u2009fstv", "ksjoxxdsjqwafstv" },
    { "ksjo\u2003xxds\u3000jqwa\u2028fstv", "ksjoxxdsjqwafstv" },
    /* Zero-width characters, invisible in the field. */
    { "ksjo\u200Bxxds\uFEFFjqwa\u200Bfstv", "ksjoxxdsjqwafstv" },
  };

  assert_normalized (cases, G_N_ELEMENTS (cases));
}

static void
test_dashes (void)
{
  const Case cases[] = {
    { "ksjo-xxds-jqwa-fstv", "ksjoxxdsjqwafstv" },
    { "ksjo - xxds - jqwa - fstv", "ksjoxxdsjqwafstv" },
    /* Hyphen, non-breaking hyphen, figure dash, en and em dash, bar. */
    { "ksjo\u2010xxds\u2011jqwa\u2012fstv", "ksjoxxdsjqwafstv" },
    { "ksjo\u2013xxds\u2014jqwa\u2015fstv", "ksjoxxdsjqwafstv" },
    { "--", "" },
  };

  assert_normalized (cases, G_N_ELEMENTS (cases));
}

static void
test_others_kept (void)
{
  const Case cases[] = {
    /* Only fillers go: an ordinary password keeps everything else. */
    { "Ala_ma.kota!123", "Ala_ma.kota!123" },
    { "p@ss;word=\"x\"\\/#", "p@ss;word=\"x\"\\/#" },
    { "ABCD EFGH", "ABCDEFGH" },
    { "1234 5678", "12345678" },
    /* Letters of any script, combining marks and symbols stay as they are. */
    { "zażółć gęślą jaźń", "zażółćgęśląjaźń" },
    { "e\u0301te\u0301", "e\u0301te\u0301" },
    { "пароль 密码 🔑", "пароль密码🔑" },
    /* A minus sign and an underscore are not dashes Google shows. */
    { "a\u2212b_c", "a\u2212b_c" },
  };

  assert_normalized (cases, G_N_ELEMENTS (cases));
}

static void
test_long_paste (void)
{
  g_autoptr(GString) pasted = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *result = NULL;
  gint64 start;
  gint64 elapsed;

  /* Ten kilobytes of a page copied by mistake: handled whole and at once. */
  while (pasted->len < 10 * 1024)
    {
      g_string_append (pasted, "ksjo\u00A0xxds-jqwa fstv\u200B\t");
      g_string_append (expected, "ksjoxxdsjqwafstv");
    }

  start = g_get_monotonic_time ();
  result = sk_app_password_normalize (pasted->str);
  elapsed = g_get_monotonic_time () - start;

  g_assert_cmpstr (result, ==, expected->str);
  g_assert_false (sk_app_password_looks_right (result));
  /* Typing calls this on every key: far below anything a person notices. */
  g_assert_cmpint (elapsed, <, 50 * 1000);
  g_test_message ("10 kB normalised in %" G_GINT64_FORMAT " µs", elapsed);
}

static void
test_looks_right (void)
{
  const char *right[] = {
    "ksjoxxdsjqwafstv",
    "abcdefghijklmnop",
    "zzzzzzzzzzzzzzzz",
  };
  const char *wrong[] = {
    "",
    "ksjoxxdsjqwafst",       /* 15 letters */
    "ksjoxxdsjqwafstvx",     /* 17 letters */
    "ksjo xxds jqwa fstv",   /* not normalised yet */
    "KSJOXXDSJQWAFSTV",      /* Google shows lower case */
    "ksjoxxdsjqwafst1",
    "ksjoxxdsjqwafst.",
    "ksjoxxdsjqwafstą",      /* 16 characters, one not a–z */
    "Haslo2024!Haslo2",      /* an ordinary password of 16 characters */
  };

  for (guint i = 0; i < G_N_ELEMENTS (right); i++)
    if (!sk_app_password_looks_right (right[i]))
      g_error ("“%s” should look right", right[i]);

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    if (sk_app_password_looks_right (wrong[i]))
      g_error ("“%s” should not look right", wrong[i]);

  g_assert_false (sk_app_password_looks_right (NULL));
}

static void
test_paste_then_check (void)
{
  g_autofree char *result = sk_app_password_normalize ("ksjo xxds jqwa fstv");

  /* The whole path of a paste: Google's text in, a password that passes. */
  g_assert_true (sk_app_password_looks_right (result));
  g_assert_cmpuint (strlen (result), ==, 16);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sk/app-password/spaces", test_spaces);
  g_test_add_func ("/sk/app-password/unicode-spaces", test_unicode_spaces);
  g_test_add_func ("/sk/app-password/dashes", test_dashes);
  g_test_add_func ("/sk/app-password/others-kept", test_others_kept);
  g_test_add_func ("/sk/app-password/long-paste", test_long_paste);
  g_test_add_func ("/sk/app-password/looks-right", test_looks_right);
  g_test_add_func ("/sk/app-password/paste-then-check", test_paste_then_check);

  return g_test_run ();
}
