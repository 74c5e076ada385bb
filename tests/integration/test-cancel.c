/* test-cancel.c — cancelling a connection test while the servers are
 * silent: the result must say "cancelled" at once, not when a timeout
 * runs out.
 *
 * The silent server is a socket of this program that listens and never
 * accepts: the kernel completes every TCP handshake, so the client
 * connects and then waits for a greeting (STARTTLS) or for the TLS
 * handshake (SSL) that never comes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "core/sk-connection-test.h"
#include "test-util.h"

/* DESIGN: cancel takes effect within 100 ms, even while a server is silent;
 * a sanitizer build is given more (test_time_scale). */
#define CANCEL_LIMIT_US (100 * G_TIME_SPAN_MILLISECOND * test_time_scale ())
#define CANCEL_AFTER_MS 200

typedef struct
{
  GSocket      *listener;
  guint16       port;
  GMainLoop    *loop;
  GCancellable *cancellable;
  GThread      *main_thread;
  gint64        cancelled_at;
  gint64        finished_at;
  SkTestResult *result;
  GError       *error;
  guint         progress_calls;
  gboolean      progress_off_thread;
  gboolean      connected[SK_N_TEST_SIDES];
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  fixture->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                    G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (fixture->listener, address, FALSE, &error);
  g_assert_no_error (error);
  /* Room for every connection a test makes: none is ever accepted. */
  g_socket_set_listen_backlog (fixture->listener, 16);
  g_socket_listen (fixture->listener, &error);
  g_assert_no_error (error);

  bound = g_socket_get_local_address (fixture->listener, &error);
  g_assert_no_error (error);
  fixture->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  fixture->loop = g_main_loop_new (NULL, FALSE);
  fixture->cancellable = g_cancellable_new ();
  fixture->main_thread = g_thread_self ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->result, sk_test_result_free);
  g_clear_error (&fixture->error);
  g_clear_object (&fixture->cancellable);
  g_clear_pointer (&fixture->loop, g_main_loop_unref);
  g_socket_close (fixture->listener, NULL);
  g_clear_object (&fixture->listener);
}

/* Incoming waits for an IMAP greeting after STARTTLS was chosen; outgoing
 * waits for the TLS handshake.  The timeout is far longer than the test. */
static SkAccount *
silent_account (Fixture    *fixture,
                const char *password)
{
  SkAccount *account = sk_account_new ();

  sk_account_set_name (account, "Cancel");
  sk_account_set_email (account, "biuro@skrzynka.test");
  sk_account_set_account_type (account, SK_ACCOUNT_TYPE_IMAP);
  sk_account_set_incoming_host (account, "127.0.0.1");
  sk_account_set_incoming_port (account, fixture->port);
  sk_account_set_incoming_security (account, SK_SECURITY_STARTTLS);
  sk_account_set_username (account, "biuro@skrzynka.test");
  sk_account_set_password (account, password);
  sk_account_set_outgoing_host (account, "127.0.0.1");
  sk_account_set_outgoing_port (account, fixture->port);
  sk_account_set_outgoing_security (account, SK_SECURITY_SSL);
  sk_account_set_outgoing_auth (account, TRUE);
  sk_account_set_outgoing_same_login (account, TRUE);
  sk_account_set_timeout (account, 60);

  return account;
}

static void
on_progress (SkTestSide   side,
             SkTestStep   step,
             SkStepState  state,
             double       seconds,
             gpointer     user_data)
{
  Fixture *fixture = user_data;

  fixture->progress_calls++;
  if (g_thread_self () != fixture->main_thread)
    fixture->progress_off_thread = TRUE;
  if (step == SK_TEST_STEP_CONNECT && state == SK_STEP_OK)
    fixture->connected[side] = TRUE;
}

static void
on_finished (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->finished_at = g_get_monotonic_time ();
  fixture->result = sk_connection_test_finish (result, &fixture->error);
  g_main_loop_quit (fixture->loop);
}

static gboolean
cancel_now (gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (fixture->cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
give_up (gpointer user_data)
{
  g_error ("the connection test did not finish within 30 s");
  return G_SOURCE_REMOVE;
}

static void
run_test (Fixture   *fixture,
          SkAccount *account,
          guint      cancel_after_ms)
{
  SkTestOptions options = { NULL };
  guint watchdog = g_timeout_add_seconds (30, give_up, NULL);

  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, cancel_now, fixture);

  sk_connection_test_async (account, &options, on_progress, fixture, NULL,
                            fixture->cancellable, on_finished, fixture);
  g_main_loop_run (fixture->loop);
  g_source_remove (watchdog);
}

static void
assert_cancelled (Fixture *fixture)
{
  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->result);
  g_assert_false (fixture->result->ok);
  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    {
      SkSideResult *result = fixture->result->sides[side];

      g_assert_nonnull (result);
      g_assert_false (result->ok);
      g_assert_nonnull (result->diagnosis);
      g_assert_cmpstr (sk_diagnosis_code_to_string (result->diagnosis->code), ==, "cancelled");
    }
}

static void
test_cancel_silent (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SkAccount) account = silent_account (fixture, "Zx9-unikalne-hasło");
  gint64 latency;

  run_test (fixture, account, CANCEL_AFTER_MS);
  latency = fixture->finished_at - fixture->cancelled_at;
  g_test_message ("cancelled after %d ms, finished %.1f ms later",
                  CANCEL_AFTER_MS, latency / 1000.0);

  assert_cancelled (fixture);
  g_assert_cmpint (fixture->cancelled_at, >, 0);
  g_assert_cmpint (latency, <=, CANCEL_LIMIT_US);

  /* It was mid-handshake: both sides had connected, none could go on. */
  g_assert_true (fixture->connected[SK_TEST_SIDE_INCOMING]);
  g_assert_true (fixture->connected[SK_TEST_SIDE_OUTGOING]);
  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    {
      SkSideResult *result = fixture->result->sides[side];

      g_assert_cmpint (result->step_state[SK_TEST_STEP_CONNECT], ==, SK_STEP_OK);
      g_assert_cmpint (result->step_state[SK_TEST_STEP_LOGIN], !=, SK_STEP_OK);
      g_assert_null (result->certificate);
    }

  /* Progress is reported on the caller's thread, never a worker's. */
  g_assert_cmpuint (fixture->progress_calls, >, 0);
  g_assert_false (fixture->progress_off_thread);
}

static void
test_cancel_before_start (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SkAccount) account = silent_account (fixture, "Zx9-unikalne-hasło");
  gint64 started = g_get_monotonic_time ();

  g_cancellable_cancel (fixture->cancellable);
  run_test (fixture, account, 0);
  g_test_message ("finished %.1f ms after the start",
                  (fixture->finished_at - started) / 1000.0);

  assert_cancelled (fixture);
  g_assert_cmpint (fixture->finished_at - started, <=, CANCEL_LIMIT_US);
  /* Nothing reached the server: no connection waits to be accepted. */
  g_assert_cmpint (g_socket_condition_check (fixture->listener, G_IO_IN), ==, 0);
}

/* A CR would put a command of its own on the wire: nothing may be sent,
 * not even a connection made. */
static void
test_line_break_in_password (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SkAccount) account = silent_account (fixture, "Zx9-abc\r\nA999 LOGOUT");

  run_test (fixture, account, 0);

  g_assert_error (fixture->error, SK_CONNECTION_TEST_ERROR,
                  SK_CONNECTION_TEST_ERROR_INVALID);
  g_assert_null (fixture->result);
  g_assert_false (fixture->connected[SK_TEST_SIDE_INCOMING]);
  g_assert_false (fixture->connected[SK_TEST_SIDE_OUTGOING]);
  g_assert_cmpint (g_socket_condition_check (fixture->listener, G_IO_IN), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sk/connection-test/cancel/silent-server", Fixture, NULL,
              fixture_set_up, test_cancel_silent, fixture_tear_down);
  g_test_add ("/sk/connection-test/cancel/before-start", Fixture, NULL,
              fixture_set_up, test_cancel_before_start, fixture_tear_down);
  g_test_add ("/sk/connection-test/invalid/line-break-in-password", Fixture, NULL,
              fixture_set_up, test_line_break_in_password, fixture_tear_down);

  return g_test_run ();
}
