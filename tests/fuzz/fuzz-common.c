/* fuzz-common.c — set-up shared by the fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <time.h>

#include "fuzz-common.h"

/* A CRITICAL is a g_return_if_fail() that failed: a bug whatever the input
 * was, so it must crash for libFuzzer to keep the input.  Anything milder
 * is dropped: a bad providers.conf entry warns on purpose, and printing
 * would only slow the run. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    {
      g_autofree char *text = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);

      fuzz_fail ("%s", text);
    }

  return G_LOG_WRITER_HANDLED;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* The users are in Poland: dates east of UTC are the ones that matter. */
  g_setenv ("TZ", "Europe/Warsaw", FALSE);
  tzset ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);

  return 0;
}
