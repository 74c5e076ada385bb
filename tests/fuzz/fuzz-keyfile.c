/* fuzz-keyfile.c — an account file given to --import or the Import button:
 * read, validated and exported; the export must read back and export the
 * same way again, and the test message built from it must stay a plain
 * RFC 5322 message whatever the names and addresses hold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-account.h"
#include "core/sk-account-keyfile.h"
#include "core/sk-test-message.h"
#include "fuzz-common.h"

typedef struct
{
  guint    n_from;
  guint    n_to;
  gboolean in_header;
} HeaderCount;

/* One line of the message, without its CRLF. */
static void
check_line (HeaderCount *count,
            const char  *line,
            gsize        length)
{
  if (length > 998)
    fuzz_fail ("a message line of %" G_GSIZE_FORMAT " octets", length);
  if (memchr (line, '\0', length) != NULL || memchr (line, '\r', length) != NULL)
    fuzz_fail ("a NUL or bare CR in the message");

  if (length == 0)
    count->in_header = FALSE;
  if (!count->in_header)
    return;

  if (g_ascii_strncasecmp (line, "From:", 5) == 0)
    count->n_from++;
  else if (g_ascii_strncasecmp (line, "To:", 3) == 0)
    count->n_to++;
  else if (g_ascii_strncasecmp (line, "Cc:", 3) == 0 || g_ascii_strncasecmp (line, "Bcc:", 4) == 0)
    fuzz_fail ("a header the account slipped in: %.*s", (int) length, line);
}

static void
check_message (GBytes *message)
{
  gsize size;
  const char *text = g_bytes_get_data (message, &size);
  HeaderCount count = { 0, 0, TRUE };
  gsize start = 0;

  for (gsize i = 0; i < size; i++)
    {
      if (text[i] != '\n')
        continue;
      if (i == start || text[i - 1] != '\r')
        fuzz_fail ("a bare LF in the message");
      check_line (&count, text + start, i - 1 - start);
      start = i + 1;
    }
  if (start != size)
    check_line (&count, text + start, size - start);

  if (count.n_from != 1 || count.n_to != 1)
    fuzz_fail ("%u From: and %u To: headers", count.n_from, count.n_to);
}

static SkAccount *
read_again (const char *exported)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  SkAccount *account;

  if (!g_key_file_load_from_data (key_file, exported, -1, G_KEY_FILE_NONE, &error))
    fuzz_fail ("the export is no key file (%s):\n%s", error->message, exported);

  account = sk_account_from_key_file (key_file, SK_EXPORT_GROUP, NULL, &error);
  if (account == NULL)
    fuzz_fail ("the export does not import (%s):\n%s", error->message, exported);

  return account;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char * const taken[] = { "Biuro", NULL };
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(SkAccount) account = NULL;
  g_autoptr(SkAccount) again = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *exported_again = NULL;
  g_autofree char *message_id = NULL;

  if (!g_key_file_load_from_data (key_file, (const char *) data, size, G_KEY_FILE_NONE, NULL))
    return 0;

  account = sk_account_from_key_file (key_file, SK_EXPORT_GROUP, NULL, &error);
  if (account == NULL)
    {
      if (error == NULL || error->message == NULL)
        fuzz_fail ("refused without a reason");
      return 0;
    }

  problems = sk_account_validate (account, taken);
  for (guint i = 0; i < problems->len; i++)
    g_assert (g_ptr_array_index (problems, i) != NULL);

  exported = sk_account_export (account);
  again = read_again (exported);
  exported_again = sk_account_export (again);
  if (strcmp (exported, exported_again) != 0)
    fuzz_fail ("the export changed on a second pass:\n%s\n----\n%s", exported, exported_again);

  date = g_date_time_new_utc (2026, 3, 3, 12, 0, 0);
  message = sk_test_message_build (account, NULL, date, &message_id, NULL);
  if (message != NULL)
    check_message (message);

  return 0;
}
