/* first-frame-probe.c — preloaded into a GTK program to say when its
 * first frame was drawn
 *
 * LD_PRELOAD=…/libfirst-frame-probe.so SK_FIRST_FRAME_T0=<µs> PROGRAM
 *
 * SK_FIRST_FRAME_T0 is the monotonic clock (µs) just before the program
 * was started.  At the first iteration of the main loop the probe finds
 * the windows presented so far and waits for the end of the first frame
 * one of them paints ("after-paint" of its frame clock); then it prints
 * "first-frame <µs since T0>" and ends the program at once, so that
 * nothing the program does later, nor its clean-up, is counted.  The same
 * probe in both programs compared measures both the same way, without a
 * line of either changed for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka"

#include <gtk/gtk.h>
#include <stdio.h>
#include <unistd.h>

static gint64 started_at;

static void
after_paint (GdkFrameClock *frame_clock,
             gpointer       user_data)
{
  printf ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time () - started_at);
  fflush (stdout);
  _exit (0);
}

/* Runs before the frame clock's own sources (it has a higher priority)
 * until a window that will paint is there. */
static gboolean
watch_windows (gpointer user_data)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();
  gboolean watching = FALSE;

  for (GList *l = windows; l != NULL; l = l->next)
    {
      GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (l->data);

      if (frame_clock == NULL || !gtk_widget_get_visible (l->data))
        continue;
      g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint), NULL);
      watching = TRUE;
    }

  return watching ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

__attribute__((constructor))
static void
probe_init (void)
{
  const char *t0 = g_getenv ("SK_FIRST_FRAME_T0");

  if (t0 == NULL)
    return;

  started_at = g_ascii_strtoll (t0, NULL, 10);
  g_timeout_add_full (G_PRIORITY_HIGH, 1, watch_windows, NULL, NULL);
}
