/* main-loop-stall.c — whether the window stays responsive while a
 * connection test runs
 *
 * Run by meson inside tests/servers/dovecot.py --print-env (the SK_DOVECOT_*
 * variables) and tests/session.sh --x11 --keyring (a display and a keyring
 * of its own).  The real Account properties dialog is opened for a saved
 * account pointing at that Dovecot (IMAP and SMTP over SSL/TLS, the
 * password in the keyring, the server's certificate pinned as "Trust this
 * certificate" would pin it), tab 2 is shown, and Test connection is
 * clicked, as a person would, several times.
 *
 * While each test runs, a probe at high priority fires every millisecond:
 * the gap between two of its runs is the longest the main loop was busy
 * with something else.  Target: the longest gap of every test ≤ 8 ms.  The
 * longest gap is put down to what ran in it — the click, the result, the
 * frame clock's layout and paint — so that a miss says where to look.  A
 * benchmark reports: a missed target is "not ok … # TODO"; only a test
 * that does not log in fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka"

#include <fcntl.h>
#include <gtk/gtk.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <openssl/x509.h>

#include "core/sk-account-store.h"
#include "core/sk-secret.h"
#include "ui/sk-account-dialog.h"
#include "ui/sk-servers-page.h"
#include "ui/sk-test-panel.h"
#include "skrzynka-resources.h"

#define N_RUNS       5
#define TARGET_MS    8.0
#define PROBE_MS     1
/* What is still drawn after the result came is part of the test. */
#define AFTER_MS     250
#define SETTLE_MS    500
#define RUN_LIMIT_S  30

/* When the frame clock finished each phase of a frame (µs).  Our handlers
 * run after GTK's own, connected before them, so each time is the end of
 * a phase: layout is laid_out - updated, paint is painted - laid_out. */
typedef struct
{
  gint64 updated;
  gint64 laid_out;
  gint64 painted;
  gint64 updated_cpu;  /* the main thread's CPU time at the same points: */
  gint64 laid_out_cpu; /* what the layout itself cost, whatever else the */
  gint64 painted_cpu;  /* machine was doing meanwhile */
} Frame;

/* One click on Test connection, and its answer. */
typedef struct
{
  GtkButton *button;
  char      *running_label;
  gint64     click_start;
  gint64     click_end;
  gint64     result_at;
} Click;

typedef struct
{
  gboolean  measuring;
  GArray   *probes;   /* gint64: each time the probe ran */
  GArray   *cpu;      /* gint64: the main thread's CPU time then */
  GArray   *waited;   /* gint64: its time runnable but not running, or -1 */
  GArray   *frames;   /* Frame */
  int       schedstat; /* the main thread's /proc schedstat, or -1 */
} Recorder;

static Recorder recorder;

/* Main-thread CPU time, µs: a gap the thread spent off the CPU was the
 * machine's doing (another process, or a wait), not work in the loop. */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The main thread's time on a run queue, µs, or -1 when the kernel does
 * not say: the share of a gap in which another thread or process had the
 * CPU, rather than the main thread waiting for something. */
static gint64
thread_run_queue_time (void)
{
  char text[128];
  unsigned long long running;
  unsigned long long waiting;
  ssize_t length;

  if (recorder.schedstat < 0)
    return -1;

  length = pread (recorder.schedstat, text, sizeof text - 1, 0);
  if (length <= 0)
    return -1;
  text[length] = '\0';
  if (sscanf (text, "%llu %llu", &running, &waiting) != 2)
    return -1;

  return (gint64) (waiting / 1000);
}

static gboolean
probe (gpointer user_data)
{
  if (recorder.measuring)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 cpu = thread_cpu_time ();
      gint64 waited = thread_run_queue_time ();

      g_array_append_val (recorder.probes, now);
      g_array_append_val (recorder.cpu, cpu);
      g_array_append_val (recorder.waited, waited);
    }

  return G_SOURCE_CONTINUE;
}

static Frame *
current_frame (void)
{
  if (!recorder.measuring || recorder.frames->len == 0)
    return NULL;

  return &g_array_index (recorder.frames, Frame, recorder.frames->len - 1);
}

static void
frame_updated (GdkFrameClock *frame_clock)
{
  Frame frame = { g_get_monotonic_time (), 0, 0, thread_cpu_time (), 0, 0 };

  if (recorder.measuring)
    g_array_append_val (recorder.frames, frame);
}

static void
frame_laid_out (GdkFrameClock *frame_clock)
{
  Frame *frame = current_frame ();

  if (frame != NULL)
    {
      frame->laid_out = g_get_monotonic_time ();
      frame->laid_out_cpu = thread_cpu_time ();
    }
}

static void
frame_painted (GdkFrameClock *frame_clock)
{
  Frame *frame = current_frame ();

  if (frame != NULL)
    {
      frame->painted = g_get_monotonic_time ();
      frame->painted_cpu = thread_cpu_time ();
    }
}

static void
watch_frame_clock (GtkWidget *widget)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (widget);

  g_assert_nonnull (frame_clock);
  g_signal_connect (frame_clock, "update", G_CALLBACK (frame_updated), NULL);
  g_signal_connect (frame_clock, "layout", G_CALLBACK (frame_laid_out), NULL);
  g_signal_connect (frame_clock, "paint", G_CALLBACK (frame_painted), NULL);
}

static void
recorder_start (void)
{
  g_array_set_size (recorder.probes, 0);
  g_array_set_size (recorder.cpu, 0);
  g_array_set_size (recorder.waited, 0);
  g_array_set_size (recorder.frames, 0);
  recorder.measuring = TRUE;
}

static void
recorder_stop (void)
{
  recorder.measuring = FALSE;
}

/* Main loop helpers */

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_for (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, set_flag, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

/* Iterates until *value is non-zero or seconds pass; FALSE on time-out. */
static gboolean
spin_until_set (const gint64 *value,
                guint         seconds)
{
  gboolean over = FALSE;
  guint id = g_timeout_add_seconds (seconds, set_flag, &over);

  while (*value == 0 && !over)
    g_main_context_iteration (NULL, TRUE);
  if (!over)
    g_source_remove (id);

  return *value != 0;
}

static void
on_ready (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Widget tree */

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Counts the visible widgets under widget that carry css_class. */
static guint
count_visible_with_class (GtkWidget  *widget,
                          const char *css_class)
{
  guint count = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child) || !gtk_widget_get_child_visible (child))
        continue;
      if (gtk_widget_has_css_class (child, css_class))
        count++;
      count += count_visible_with_class (child, css_class);
    }

  return count;
}

static void
show_page_of (GtkNotebook *notebook,
              GtkWidget   *widget)
{
  for (int i = 0; i < gtk_notebook_get_n_pages (notebook); i++)
    {
      GtkWidget *page = gtk_notebook_get_nth_page (notebook, i);

      if (page == widget || gtk_widget_is_ancestor (widget, page))
        {
          gtk_notebook_set_current_page (notebook, i);
          return;
        }
    }
  g_assert_not_reached ();
}

/* The server's certificate as "AB:CD:…", the form a pin takes. */
static char *
fetch_fingerprint (const char *host,
                   const char *port)
{
  g_autofree char *address = g_strdup_printf ("%s:%s", host, port);
  g_autoptr(GString) text = g_string_new (NULL);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  SSL_CTX *context = SSL_CTX_new (TLS_client_method ());
  BIO *bio = BIO_new_ssl_connect (context);
  SSL *ssl = NULL;
  X509 *certificate = NULL;

  BIO_set_conn_hostname (bio, address);
  BIO_get_ssl (bio, &ssl);
  if (BIO_do_handshake (bio) == 1)
    certificate = SSL_get1_peer_certificate (ssl);
  if (certificate != NULL)
    X509_digest (certificate, EVP_sha256 (), digest, &length);

  for (unsigned int i = 0; i < length; i++)
    g_string_append_printf (text, "%s%02X", i > 0 ? ":" : "", digest[i]);

  X509_free (certificate);
  BIO_free_all (bio);
  SSL_CTX_free (context);

  return length > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* Figures */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Gaps between successive probes, in ms, sorted. */
static GArray *
gaps_of (GArray *probes)
{
  GArray *gaps = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 1; i < probes->len; i++)
    {
      double ms = (g_array_index (probes, gint64, i) - g_array_index (probes, gint64, i - 1)) / 1000.0;

      g_array_append_val (gaps, ms);
    }
  g_array_sort (gaps, compare_doubles);

  return gaps;
}

static double
percentile (GArray *sorted,
            double  fraction)
{
  guint index;

  if (sorted->len == 0)
    return 0;

  index = (guint) (fraction * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, index);
}

static double
maximum (GArray *sorted)
{
  return sorted->len > 0 ? g_array_index (sorted, double, sorted->len - 1) : 0;
}

static double
overlap_ms (gint64 a0,
            gint64 a1,
            gint64 b0,
            gint64 b1)
{
  return b0 == 0 || b1 == 0 ? 0 : MAX (0, MIN (a1, b1) - MAX (a0, b0)) / 1000.0;
}

/* What ran in the longest gap: "click handler 3.1 ms, the result arrived,
 * layout 20.4 ms, paint 1.2 ms", only the parts that were there; and how
 * the main thread spent it: running, waiting for a CPU (another thread or
 * process had it: the machine's doing), or blocked (waiting for the X
 * server, a lock, a reply). */
static char *
describe_gap (gint64       start,
              gint64       end,
              double       cpu_ms,
              double       waited_ms,
              const Click *click)
{
  g_autoptr(GString) text = g_string_new (NULL);
  double click_ms = overlap_ms (start, end, click->click_start, click->click_end);
  double layout_ms = 0;
  double paint_ms = 0;

  for (guint i = 0; i < recorder.frames->len; i++)
    {
      const Frame *frame = &g_array_index (recorder.frames, Frame, i);

      layout_ms += overlap_ms (start, end, frame->updated, frame->laid_out);
      paint_ms += overlap_ms (start, end, frame->laid_out, frame->painted);
    }

  if (click_ms > 0)
    g_string_append_printf (text, ", click handler %.1f ms", click_ms);
  if (click->result_at > start && click->result_at < end)
    g_string_append (text, ", the result arrived");
  if (layout_ms > 0)
    g_string_append_printf (text, ", layout %.1f ms", layout_ms);
  if (paint_ms > 0)
    g_string_append_printf (text, ", paint %.1f ms", paint_ms);
  if (text->len == 0)
    g_string_append (text, ", none of: click, result, layout, paint");
  g_string_append_printf (text, "; main thread running %.1f ms", cpu_ms);
  if (waited_ms >= 0)
    g_string_append_printf (text, ", waiting for a CPU %.1f ms, blocked %.1f ms",
                            waited_ms, MAX (0, (end - start) / 1000.0 - cpu_ms - waited_ms));

  return g_strdup (text->str + 2);
}

/* The longest single layout and paint of the frames drawn, in time
 * passed and in the main thread's CPU time. */
static void
longest_phases (double *layout_ms,
                double *paint_ms,
                double *layout_cpu_ms,
                double *paint_cpu_ms)
{
  *layout_ms = 0;
  *paint_ms = 0;
  *layout_cpu_ms = 0;
  *paint_cpu_ms = 0;

  for (guint i = 0; i < recorder.frames->len; i++)
    {
      const Frame *frame = &g_array_index (recorder.frames, Frame, i);

      if (frame->laid_out != 0)
        {
          *layout_ms = MAX (*layout_ms, (frame->laid_out - frame->updated) / 1000.0);
          *layout_cpu_ms = MAX (*layout_cpu_ms, (frame->laid_out_cpu - frame->updated_cpu) / 1000.0);
        }
      if (frame->painted != 0 && frame->laid_out != 0)
        {
          *paint_ms = MAX (*paint_ms, (frame->painted - frame->laid_out) / 1000.0);
          *paint_cpu_ms = MAX (*paint_cpu_ms, (frame->painted_cpu - frame->laid_out_cpu) / 1000.0);
        }
    }
}

/* The test */

static void
label_changed (GtkButton  *button,
               GParamSpec *pspec,
               Click      *click)
{
  if (click->running_label != NULL && click->result_at == 0 &&
      g_strcmp0 (gtk_button_get_label (button), click->running_label) != 0)
    click->result_at = g_get_monotonic_time ();
}

/* Activating a button shows it pressed for a moment and only then emits
 * "clicked": the click is timed from that emission, which the hook sees
 * before the panel's handler runs, to the end of the handlers. */
static gboolean
clicked_hook (GSignalInvocationHint *hint,
              guint                  n_values,
              const GValue          *values,
              gpointer               user_data)
{
  Click *click = user_data;

  if (g_value_get_object (&values[0]) == (GObject *) click->button && click->click_start == 0)
    click->click_start = g_get_monotonic_time ();

  return TRUE;
}

static void
clicked (GtkButton *button,
         Click     *click)
{
  click->click_end = g_get_monotonic_time ();
  /* The button turns into Cancel at once; the test ends when it changes
   * again. */
  click->running_label = g_strdup (gtk_button_get_label (button));
}

static gboolean
click_now (gpointer user_data)
{
  Click *click = user_data;

  gtk_widget_activate (GTK_WIDGET (click->button));

  return G_SOURCE_REMOVE;
}

static SkAccount *
dovecot_account (const char *fingerprint)
{
  SkAccount *account = sk_account_new ();
  const char *host = g_getenv ("SK_DOVECOT_HOST");
  const char *user = g_getenv ("SK_DOVECOT_USER");

  sk_account_set_name (account, "Benchmark");
  sk_account_set_email (account, user);
  sk_account_set_account_type (account, SK_ACCOUNT_TYPE_IMAP);
  sk_account_set_incoming_host (account, host);
  sk_account_set_incoming_port (account, (guint) g_ascii_strtoull (g_getenv ("SK_DOVECOT_IMAPS"), NULL, 10));
  sk_account_set_incoming_security (account, SK_SECURITY_SSL);
  sk_account_set_incoming_pinned_certificate (account, fingerprint);
  sk_account_set_username (account, user);
  sk_account_set_outgoing_host (account, host);
  sk_account_set_outgoing_port (account, (guint) g_ascii_strtoull (g_getenv ("SK_DOVECOT_SUBMISSIONS"), NULL, 10));
  sk_account_set_outgoing_security (account, SK_SECURITY_SSL);
  sk_account_set_outgoing_pinned_certificate (account, fingerprint);
  sk_account_set_outgoing_auth (account, TRUE);
  sk_account_set_outgoing_same_login (account, TRUE);

  return account;
}

static void
test_main_loop_stall (void)
{
  const char *host = g_getenv ("SK_DOVECOT_HOST");
  const char *imaps = g_getenv ("SK_DOVECOT_IMAPS");
  g_autofree char *fingerprint = NULL;
  g_autoptr(SkAccountStore) store = NULL;
  g_autoptr(SkAccount) account = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all_gaps = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) idle_gaps = NULL;
  GtkWidget *dialog;
  GtkWidget *notebook;
  GtkWidget *servers_page;
  GtkWidget *panel;
  GtkWidget *button;
  guint probe_id;
  guint n_passed = 0;
  double worst = 0;
  double worst_warm = 0;
  double worst_busy = 0;
  double worst_layout_cpu = 0;

  if (host == NULL || imaps == NULL || g_getenv ("SK_DOVECOT_PASSWORD") == NULL)
    {
      g_test_skip ("run inside tests/servers/dovecot.py --print-env");
      return;
    }

  fingerprint = fetch_fingerprint (host, imaps);
  g_assert_nonnull (fingerprint);

  /* A saved account, its password in the keyring, as the Accounts window
   * would open it. */
  store = sk_account_store_new (NULL);
  account = dovecot_account (fingerprint);
  sk_account_store_put (store, account);
  sk_account_store_save (store, &error);
  g_assert_no_error (error);
  sk_secret_store_async (sk_account_get_id (account), SK_SECRET_INCOMING,
                         sk_account_get_name (account), g_getenv ("SK_DOVECOT_PASSWORD"),
                         NULL, on_ready, &stored);
  while (stored == NULL)
    g_main_context_iteration (NULL, TRUE);
  sk_secret_store_finish (stored, &error);
  g_assert_no_error (error);

  dialog = GTK_WIDGET (sk_account_dialog_new (NULL, store, account));
  gtk_window_present (GTK_WINDOW (dialog));
  watch_frame_clock (dialog);
  notebook = find_descendant (dialog, GTK_TYPE_NOTEBOOK);
  servers_page = find_descendant (dialog, SK_TYPE_SERVERS_PAGE);
  g_assert_nonnull (notebook);
  g_assert_nonnull (servers_page);
  show_page_of (GTK_NOTEBOOK (notebook), servers_page);
  panel = find_descendant (dialog, SK_TYPE_TEST_PANEL);
  g_assert_nonnull (panel);
  /* The panel's first button is Test connection. */
  button = find_descendant (panel, GTK_TYPE_BUTTON);
  g_assert_nonnull (button);

  /* The button waits for the password from the keyring. */
  for (guint waited = 0; waited < 10000 && !gtk_widget_is_sensitive (button); waited += 50)
    spin_for (50);
  g_assert_true (gtk_widget_is_sensitive (button));
  spin_for (SETTLE_MS);

  probe_id = g_timeout_add_full (G_PRIORITY_HIGH, PROBE_MS, probe, NULL, NULL);

  /* The same with nothing running, for comparison. */
  recorder_start ();
  spin_for (1000);
  recorder_stop ();
  idle_gaps = gaps_of (recorder.probes);
  g_test_message ("idle dialog, 1 s: longest gap %.2f ms, p99 %.2f ms",
                  maximum (idle_gaps), percentile (idle_gaps, 0.99));

  for (guint run = 1; run <= N_RUNS; run++)
    {
      Click click = { GTK_BUTTON (button), NULL, 0, 0, 0 };
      g_autoptr(GArray) gaps = NULL;
      g_autofree char *cause = NULL;
      gint64 gap_start = 0;
      gint64 gap_end = 0;
      double gap_cpu_ms = 0;
      double gap_waited_ms = -1;
      double busiest = 0;
      double longest;
      double layout_ms;
      double paint_ms;
      double layout_cpu_ms;
      double paint_cpu_ms;
      gboolean passed;
      gulong handler;
      gulong clicked_handler;
      gulong hook;

      handler = g_signal_connect (button, "notify::label", G_CALLBACK (label_changed), &click);
      clicked_handler = g_signal_connect (button, "clicked", G_CALLBACK (clicked), &click);
      hook = g_signal_add_emission_hook (g_signal_lookup ("clicked", GTK_TYPE_BUTTON), 0,
                                         clicked_hook, &click, NULL);
      recorder_start ();
      g_idle_add (click_now, &click);
      if (!spin_until_set (&click.result_at, RUN_LIMIT_S))
        g_error ("run %u: no result after %d s", run, RUN_LIMIT_S);
      spin_for (AFTER_MS);
      recorder_stop ();
      g_signal_remove_emission_hook (g_signal_lookup ("clicked", GTK_TYPE_BUTTON), hook);
      g_signal_handler_disconnect (button, clicked_handler);
      g_signal_handler_disconnect (button, handler);
      g_free (click.running_label);

      passed = count_visible_with_class (panel, "error-icon") == 0 &&
               count_visible_with_class (panel, "success-icon") > 0;
      if (passed)
        n_passed++;

      for (guint i = 1; i < recorder.probes->len; i++)
        {
          gint64 a = g_array_index (recorder.probes, gint64, i - 1);
          gint64 b = g_array_index (recorder.probes, gint64, i);
          double cpu_ms = (g_array_index (recorder.cpu, gint64, i) -
                           g_array_index (recorder.cpu, gint64, i - 1)) / 1000.0;

          busiest = MAX (busiest, cpu_ms);

          if (b - a > gap_end - gap_start)
            {
              gap_start = a;
              gap_end = b;
              gap_cpu_ms = cpu_ms;
              gap_waited_ms = g_array_index (recorder.waited, gint64, i) < 0 ? -1 :
                              (g_array_index (recorder.waited, gint64, i) -
                               g_array_index (recorder.waited, gint64, i - 1)) / 1000.0;
            }
        }
      longest = (gap_end - gap_start) / 1000.0;
      cause = describe_gap (gap_start, gap_end, gap_cpu_ms, gap_waited_ms, &click);
      longest_phases (&layout_ms, &paint_ms, &layout_cpu_ms, &paint_cpu_ms);
      gaps = gaps_of (recorder.probes);
      g_array_append_vals (all_gaps, gaps->data, gaps->len);
      worst = MAX (worst, longest);
      worst_busy = MAX (worst_busy, busiest);
      worst_layout_cpu = MAX (worst_layout_cpu, layout_cpu_ms);
      if (run > 1)
        worst_warm = MAX (worst_warm, longest);

      g_test_message ("run %u: %s in %.2f s; longest gap %.2f ms (%s), p99 %.2f ms, %u probes; "
                      "most main-thread CPU in one gap %.2f ms; "
                      "%u frames, longest layout %.1f ms (CPU %.1f ms), "
                      "longest paint %.1f ms (CPU %.1f ms)",
                      run, passed ? "logged in" : "FAILED",
                      (click.result_at - click.click_start) / 1e6,
                      longest, cause, percentile (gaps, 0.99), recorder.probes->len,
                      busiest, recorder.frames->len, layout_ms, layout_cpu_ms,
                      paint_ms, paint_cpu_ms);

      spin_for (SETTLE_MS);
    }

  g_source_remove (probe_id);
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_array_sort (all_gaps, compare_doubles);
  g_test_message ("all %u tests: main-loop gap max %.2f ms (%.2f ms after the first test), "
                  "p99 %.2f ms, median %.2f ms; probe every %d ms; target: max <= %.0f ms",
                  N_RUNS, worst, worst_warm, percentile (all_gaps, 0.99),
                  percentile (all_gaps, 0.5), PROBE_MS, TARGET_MS);
  /* On a busy machine other processes take the CPU from the main thread
   * in the middle of a gap; this is the loop's own work in one go. */
  g_test_message ("most main-thread CPU time in one gap: %.2f ms", worst_busy);
  g_test_message ("most main-thread CPU time in one layout: %.2f ms", worst_layout_cpu);

  g_assert_cmpuint (n_passed, ==, N_RUNS);

  if (worst <= TARGET_MS)
    {
      g_test_message ("verdict: longest stall %.2f ms, target <= %.0f ms met", worst, TARGET_MS);
    }
  else
    {
      g_test_message ("verdict: longest stall %.2f ms, target <= %.0f ms NOT met", worst, TARGET_MS);
      g_test_incomplete ("target not met on this machine");
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_init ();
  g_test_init (&argc, &argv, NULL);
  skrzynka_register_resource ();

  recorder.probes = g_array_new (FALSE, FALSE, sizeof (gint64));
  recorder.cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  recorder.waited = g_array_new (FALSE, FALSE, sizeof (gint64));
  recorder.schedstat = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  recorder.frames = g_array_new (FALSE, FALSE, sizeof (Frame));

  g_test_add_func ("/sk/benchmark/main-loop-stall", test_main_loop_stall);

  return g_test_run ();
}
