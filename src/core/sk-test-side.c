/* sk-test-side.c — one side of a connection test on a worker thread: the
 * libcurl connection, the steps as they happen, and what they mean
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Test"

#include "config.h"

#include <string.h>

#include <curl/curl.h>
#include <glib/gi18n-lib.h>

#include "sk-connection-test-private.h"
#include "sk-core.h"
#include "sk-server-trust.h"
#include "sk-test-side-private.h"
#include "sk-transcript.h"

/*
 * Each side (incoming, outgoing) runs on a worker thread of its own, with a
 * fresh libcurl easy handle driven through a multi handle of its own.
 * CURLOPT_CONNECT_ONLY makes libcurl stop once it has logged in, so nothing
 * is read or sent beyond the login.
 *
 * Cancelling takes effect at once in every phase.  The multi interface
 * never blocks: the wait for network activity (curl_multi_poll) also waits
 * on the GCancellable's file descriptor, and the XFERINFOFUNCTION stops
 * libcurl wherever it checks progress within a call.  Removing the handle
 * then closes the connection without a word (libcurl logs out of no
 * CONNECT_ONLY connection) and leaves a name resolution running in its own
 * thread rather than waiting for it (CURLOPT_QUICK_EXIT).
 *
 * Steps are told apart as libcurl reaches them: its timers for name
 * resolution and TLS, its "Connected to" note for the TCP connection, and
 * the exchange itself (read by SkTranscript) for the greeting and the login.
 *
 * Sending a test message (sk_connection_send_async()) is the outgoing side
 * with CONNECT_ONLY off: the same connection, checks and login, then MAIL,
 * RCPT and DATA, followed in the exchange as they happen.
 */

/* Progress */

struct _SkTestReporter
{
  gatomicrefcount     ref_count;
  GMainContext       *context;
  GCancellable       *cancellable;
  SkTestProgressFunc  progress;
  gpointer            progress_data;
  GDestroyNotify      progress_destroy;
};

SkTestReporter *
sk_test_reporter_new (SkTestProgressFunc  progress,
                      gpointer            progress_data,
                      GDestroyNotify      progress_destroy,
                      GCancellable       *cancellable)
{
  SkTestReporter *reporter = g_new0 (SkTestReporter, 1);

  g_atomic_ref_count_init (&reporter->ref_count);
  reporter->context = g_main_context_ref_thread_default ();
  /* Workers poll a cancellable whether or not the caller gave one. */
  reporter->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  reporter->progress = progress;
  reporter->progress_data = progress_data;
  reporter->progress_destroy = progress_destroy;

  return reporter;
}

static SkTestReporter *
reporter_ref (SkTestReporter *reporter)
{
  g_atomic_ref_count_inc (&reporter->ref_count);
  return reporter;
}

/* The last reference goes on the caller's main context (the test itself or
 * a posted event), where progress_destroy belongs. */
void
sk_test_reporter_unref (SkTestReporter *reporter)
{
  if (!g_atomic_ref_count_dec (&reporter->ref_count))
    return;

  if (reporter->progress_destroy != NULL)
    reporter->progress_destroy (reporter->progress_data);
  g_clear_object (&reporter->cancellable);
  g_main_context_unref (reporter->context);
  g_free (reporter);
}

typedef struct
{
  SkTestReporter *reporter;
  SkTestSide   side;
  SkTestStep   step;
  SkStepState  state;
  double       seconds;
} ProgressEvent;

static void
progress_event_free (gpointer data)
{
  ProgressEvent *event = data;

  sk_test_reporter_unref (event->reporter);
  g_free (event);
}

static gboolean
dispatch_progress (gpointer data)
{
  ProgressEvent *event = data;
  SkTestReporter *reporter = event->reporter;

  /* A caller that cancelled may be gone (a closed dialog): only the final
   * callback, which says "cancelled", still reaches it. */
  if (reporter->progress != NULL && !g_cancellable_is_cancelled (reporter->cancellable))
    reporter->progress (event->side, event->step, event->state, event->seconds,
                        reporter->progress_data);

  return G_SOURCE_REMOVE;
}

/* Where a message is on its way: the command whose reply is awaited. */
typedef enum
{
  SEND_NONE,
  SEND_MAIL,     /* MAIL FROM */
  SEND_RCPT,     /* RCPT TO */
  SEND_DATA,     /* DATA */
  SEND_MESSAGE,  /* the message and its end, "." */
  SEND_DONE,
} SendStage;

/* One side's test: inputs copied on the main thread, then the worker's. */
struct _SkSideJob
{
  SkTestSide          side;
  SkServer           *server;        /* username NULL: no login (SMTP without
                                      * authentication) */
  char               *ascii_host;    /* for DNS and the URL */
  guint               timeout;
  SkServerTrust      *trust;
  SkTestReporter     *reporter;      /* kept alive by the caller until the side ends */
  GCancellable       *cancellable;

  gint64              start_time;
  double              attempt_start;
  CURL               *easy;
  SkTranscript       *transcript;
  SkTestStep          order[SK_N_TEST_STEPS];
  guint               n_order;
  guint               position;      /* of the running step in order */
  SkStepState         step_state[SK_N_TEST_STEPS];
  double              step_seconds[SK_N_TEST_STEPS];
  gboolean            connected;     /* libcurl's "Connected to" note came */
  gboolean            tls_established;
  gboolean            starttls_refused;

  /* A message to send once logged in, or NULL for a connection test. */
  GBytes             *message;
  char               *envelope;        /* "<address>", sender and recipient */
  struct curl_slist  *recipients;
  gsize               message_offset;  /* how much libcurl has read */
  SendStage           send_stage;
  SendStage           refused_at;      /* SEND_NONE unless a reply said no */
  char               *send_reply;      /* the reply that ended the sending */
  char               *final_reply;     /* the reply to the message's end */
  gboolean            sent;
  gboolean            unauthenticated; /* the server offered no login */
};

SkSideJob *
sk_side_job_new (SkTestSide      side,
                 const SkServer *server,
                 guint           timeout,
                 GPtrArray      *extra_cas,
                 SkTestReporter *reporter)
{
  SkSideJob *job = g_new0 (SkSideJob, 1);

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (reporter != NULL, NULL);

  job->side = side;
  job->server = sk_server_copy (server);
  job->ascii_host = g_hostname_to_ascii (server->host);
  job->timeout = CLAMP (timeout, SK_MIN_TIMEOUT, SK_MAX_TIMEOUT);
  job->trust = sk_server_trust_new (server, extra_cas);
  job->reporter = reporter;
  job->cancellable = g_object_ref (reporter->cancellable);

  return job;
}

void
sk_side_job_set_message (SkSideJob  *job,
                         GBytes     *message,
                         const char *address)
{
  g_return_if_fail (job != NULL);
  g_return_if_fail (message != NULL);
  g_return_if_fail (address != NULL);

  job->message = g_bytes_ref (message);
  job->envelope = g_strdup_printf ("<%s>", address);
  job->recipients = curl_slist_append (NULL, job->envelope);
}

static void
side_job_free (SkSideJob *job)
{
  sk_server_free (job->server);
  g_free (job->ascii_host);
  sk_server_trust_free (job->trust);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->transcript, sk_transcript_free);
  g_clear_pointer (&job->message, g_bytes_unref);
  g_free (job->envelope);
  curl_slist_free_all (job->recipients);
  g_free (job->send_reply);
  g_free (job->final_reply);
  g_free (job);
}

static double
elapsed (SkSideJob *job)
{
  return (g_get_monotonic_time () - job->start_time) / (double) G_USEC_PER_SEC;
}

static void
set_step (SkSideJob   *job,
          SkTestStep   step,
          SkStepState  state,
          double       seconds)
{
  ProgressEvent *event;
  GSource *source;

  if (job->step_state[step] == state)
    return;

  job->step_state[step] = state;
  job->step_seconds[step] = seconds;

  if (job->reporter->progress == NULL)
    return;

  event = g_new0 (ProgressEvent, 1);
  event->reporter = reporter_ref (job->reporter);
  event->side = job->side;
  event->step = step;
  event->state = state;
  event->seconds = seconds;
  /* An attached source, not g_main_context_invoke(): that would run the
   * callback right here, on the worker, whenever no thread owns the
   * caller's context at this moment. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, dispatch_progress, event, progress_event_free);
  g_source_set_static_name (source, "[skrzynka] test progress");
  g_source_attach (source, job->reporter->context);
  g_source_unref (source);
}

/* The steps in the order they happen for this side's security. */
static void
plan_steps (SkSideJob *job)
{
  job->n_order = 0;
  job->order[job->n_order++] = SK_TEST_STEP_RESOLVE;
  job->order[job->n_order++] = SK_TEST_STEP_CONNECT;
  if (job->server->security == SK_SECURITY_SSL)
    job->order[job->n_order++] = SK_TEST_STEP_TLS;
  job->order[job->n_order++] = SK_TEST_STEP_GREETING;
  if (job->server->security == SK_SECURITY_STARTTLS)
    job->order[job->n_order++] = SK_TEST_STEP_TLS;
  if (job->server->username != NULL)
    job->order[job->n_order++] = SK_TEST_STEP_LOGIN;

  for (guint i = 0; i < SK_N_TEST_STEPS; i++)
    job->step_state[i] = SK_STEP_PENDING;

  if (job->server->security == SK_SECURITY_NONE)
    set_step (job, SK_TEST_STEP_TLS, SK_STEP_SKIPPED, 0);
  if (job->server->username == NULL)
    set_step (job, SK_TEST_STEP_LOGIN, SK_STEP_SKIPPED, 0);

  job->position = 0;
  set_step (job, job->order[0], SK_STEP_RUNNING, 0);
}

/* libcurl's timer, in seconds since the side started, or -1 before it. */
static double
curl_timer (SkSideJob *job,
            CURLINFO   info)
{
  curl_off_t microseconds = 0;

  if (curl_easy_getinfo (job->easy, info, &microseconds) != CURLE_OK || microseconds <= 0)
    return -1;

  return job->attempt_start + microseconds / (double) G_USEC_PER_SEC;
}

static void
refresh_tls (SkSideJob *job)
{
  if (job->tls_established || job->server->security == SK_SECURITY_NONE)
    return;

  if (curl_timer (job, CURLINFO_APPCONNECT_TIME_T) > 0)
    {
      job->tls_established = TRUE;
      sk_transcript_set_secure (job->transcript);
    }
}

/* When step finished on this connection, or -1 while it has not. */
static double
step_finished_at (SkSideJob  *job,
                  SkTestStep  step)
{
  const SkExchange *exchange = sk_transcript_get_exchange (job->transcript);
  double at;

  switch (step)
    {
    case SK_TEST_STEP_RESOLVE:
      return curl_timer (job, CURLINFO_NAMELOOKUP_TIME_T);

    case SK_TEST_STEP_CONNECT:
      /* The connect timer is set only once TLS is up too. */
      at = curl_timer (job, CURLINFO_CONNECT_TIME_T);
      return at < 0 && job->connected ? elapsed (job) : at;

    case SK_TEST_STEP_TLS:
      return job->tls_established ? curl_timer (job, CURLINFO_APPCONNECT_TIME_T) : -1;

    case SK_TEST_STEP_GREETING:
      return exchange->greeted ? elapsed (job) : -1;

    case SK_TEST_STEP_LOGIN:
      return exchange->logged_in ? elapsed (job) : -1;

    case SK_N_TEST_STEPS:
    default:
      g_assert_not_reached ();
    }
}

static void
update_steps (SkSideJob *job)
{
  refresh_tls (job);

  while (job->position < job->n_order)
    {
      SkTestStep step = job->order[job->position];
      double at = step_finished_at (job, step);

      if (at < 0)
        return;

      /* Timers and our clock differ by microseconds: keep the order. */
      at = MAX (at, job->step_seconds[step]);
      set_step (job, step, SK_STEP_OK, at);

      if (++job->position < job->n_order)
        set_step (job, job->order[job->position], SK_STEP_RUNNING, at);
    }
}

/* The running step failed (or, after success, was never reached): it ends
 * the list, and the steps after it did not run. */
static void
finish_steps (SkSideJob *job)
{
  update_steps (job);

  if (job->position < job->n_order)
    set_step (job, job->order[job->position], SK_STEP_FAILED, elapsed (job));

  for (guint i = job->position + 1; i < job->n_order; i++)
    set_step (job, job->order[i], SK_STEP_SKIPPED, 0);
}

/* libcurl callbacks, all on the worker thread */

/* libcurl's note once the TCP connection is up, before any TLS. */
#define CONNECTED_NOTE "Connected to "

static gboolean
has_prefix_ci (const char *data,
               size_t      size,
               const char *prefix)
{
  size_t length = strlen (prefix);

  return size >= length && g_ascii_strncasecmp (data, prefix, length) == 0;
}

/* Follows a message by the commands libcurl sends and the replies that
 * end them: which one the server refused, and what it said to the
 * message's end.  Called after the transcript has the line. */
static void
track_send (SkSideJob     *job,
            curl_infotype  type,
            const char    *data,
            size_t         size)
{
  gboolean accepted;

  if (type == CURLINFO_HEADER_OUT)
    {
      /* libcurl goes on without a login when the server offers none: the
       * outcome is that, whatever the server says next. */
      if (has_prefix_ci (data, size, "MAIL FROM:") && job->server->username != NULL
          && !sk_transcript_get_exchange (job->transcript)->logged_in)
        job->unauthenticated = TRUE;

      if (has_prefix_ci (data, size, "MAIL FROM:"))
        job->send_stage = SEND_MAIL;
      else if (has_prefix_ci (data, size, "RCPT TO:"))
        job->send_stage = SEND_RCPT;
      else if (has_prefix_ci (data, size, "DATA"))
        job->send_stage = SEND_DATA;
      return;
    }

  if (job->send_stage == SEND_NONE || job->send_stage == SEND_DONE)
    return;

  /* Only the last line of a reply ("250 …", not "250-…") ends it. */
  if (size < 3 || !g_ascii_isdigit (data[0]) || !g_ascii_isdigit (data[1])
      || !g_ascii_isdigit (data[2]) || (size > 3 && data[3] == '-'))
    return;

  if (job->send_stage == SEND_DATA && data[0] == '3')
    {
      job->send_stage = SEND_MESSAGE;
      return;
    }

  accepted = data[0] == '2';
  if (accepted && job->send_stage != SEND_MESSAGE)
    return;

  /* The transcript's copy: password-free, its lines joined. */
  g_free (job->send_reply);
  job->send_reply = g_strdup (sk_transcript_get_last_reply (job->transcript));
  if (job->send_stage == SEND_MESSAGE)
    job->final_reply = g_strdup (job->send_reply);

  if (accepted)
    job->sent = TRUE;
  else
    job->refused_at = job->send_stage;
  job->send_stage = SEND_DONE;
}

static int
debug_cb (CURL          *easy,
          curl_infotype  type,
          char          *data,
          size_t         size,
          void          *user_data)
{
  SkSideJob *job = user_data;

  /* Know whether TLS is up before a server line is judged by it. */
  refresh_tls (job);

  switch (type)
    {
    case CURLINFO_TEXT:
      if (size > strlen (CONNECTED_NOTE) && memcmp (data, CONNECTED_NOTE, strlen (CONNECTED_NOTE)) == 0)
        job->connected = TRUE;
      sk_transcript_feed (job->transcript, SK_LINE_NOTE, data, size);
      break;

    case CURLINFO_HEADER_IN:
      sk_transcript_feed (job->transcript, SK_LINE_SERVER, data, size);
      if (job->message != NULL)
        track_send (job, type, data, size);
      break;

    case CURLINFO_HEADER_OUT:
      sk_transcript_feed (job->transcript, SK_LINE_CLIENT, data, size);
      if (job->message != NULL)
        track_send (job, type, data, size);
      break;

    /* TLS records and payload: never kept. */
    case CURLINFO_DATA_IN:
    case CURLINFO_DATA_OUT:
    case CURLINFO_SSL_DATA_IN:
    case CURLINFO_SSL_DATA_OUT:
    case CURLINFO_END:
    default:
      return 0;
    }

  update_steps (job);
  return 0;
}

static int
xferinfo_cb (void       *user_data,
             curl_off_t  download_total,
             curl_off_t  downloaded,
             curl_off_t  upload_total,
             curl_off_t  uploaded)
{
  SkSideJob *job = user_data;

  return g_cancellable_is_cancelled (job->cancellable) ? 1 : 0;
}

/* The message, read by libcurl once the server has said "354" to DATA
 * (libcurl itself doubles a leading dot and adds the final one). */
static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  n_items,
         void   *user_data)
{
  SkSideJob *job = user_data;
  gsize length;
  const char *data = g_bytes_get_data (job->message, &length);
  gsize chunk = MIN (size * n_items, length - job->message_offset);

  /* Not to a server that took no login (see track_send()). */
  if (job->unauthenticated)
    return CURL_READFUNC_ABORT;

  memcpy (buffer, data + job->message_offset, chunk);
  job->message_offset += chunk;

  return chunk;
}

/* One connection */

static const char *
login_options (SkAuthMethod method)
{
  switch (method)
    {
    case SK_AUTH_METHOD_AUTO:
      return NULL;
    case SK_AUTH_METHOD_PLAIN:
      return "AUTH=PLAIN";
    case SK_AUTH_METHOD_LOGIN:
      return "AUTH=LOGIN";
    case SK_AUTH_METHOD_CRAM_MD5:
      return "AUTH=CRAM-MD5";
    case SK_AUTH_METHOD_DIGEST_MD5:
      return "AUTH=DIGEST-MD5";
    case SK_AUTH_METHOD_NTLM:
      return "AUTH=NTLM";
    /* Without it libcurl 7.88 picks CRAM-MD5 or PLAIN with an empty
     * password when the server offers them. */
    case SK_AUTH_METHOD_OAUTH2:
      return "AUTH=XOAUTH2";
    default:
      g_assert_not_reached ();
    }
}

static CURL *
make_handle (SkSideJob *job,
             gboolean   with_login,
             gboolean   send,
             long       timeout_ms)
{
  CURL *easy;
  g_autofree char *url = NULL;

  sk_core_ensure_curl ();
  easy = curl_easy_init ();

  if (easy == NULL)
    return NULL;

  if (strchr (job->ascii_host, ':') != NULL)
    url = g_strdup_printf ("%s://[%s]:%u", sk_protocol_url_scheme (job->server->protocol, job->server->security == SK_SECURITY_SSL), job->ascii_host, job->server->port);
  else
    url = g_strdup_printf ("%s://%s:%u", sk_protocol_url_scheme (job->server->protocol, job->server->security == SK_SECURITY_SSL), job->ascii_host, job->server->port);

  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "imap,imaps,pop3,pop3s,smtp,smtps");
  curl_easy_setopt (easy, CURLOPT_CONNECT_ONLY, send ? 0L : 1L);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  /* libcurl 7.88 has STARTTLS flaws on reused connections. */
  curl_easy_setopt (easy, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt (easy, CURLOPT_FORBID_REUSE, 1L);
  /* Mail programs talk to the server directly: a proxy from the
   * environment would test something else. */
  curl_easy_setopt (easy, CURLOPT_PROXY, "");
  /* With CONNECT_ONLY the connect timeout covers everything up to the
   * login, greeting and capabilities included. */
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  /* A cancel during name resolution does not wait for the resolver. */
  curl_easy_setopt (easy, CURLOPT_QUICK_EXIT, 1L);

  curl_easy_setopt (easy, CURLOPT_USE_SSL,
                    job->server->security == SK_SECURITY_NONE ? (long) CURLUSESSL_NONE
                                                              : (long) CURLUSESSL_ALL);
  curl_easy_setopt (easy, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, sk_server_trust_is_pinned (job->trust) ? 0L : 2L);
  /* The trust check (sk-server-trust.c) fills each handshake's store; a
   * cached one would replace it. */
  curl_easy_setopt (easy, CURLOPT_CAINFO, NULL);
  curl_easy_setopt (easy, CURLOPT_CAPATH, NULL);
  curl_easy_setopt (easy, CURLOPT_CA_CACHE_TIMEOUT, 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_CTX_FUNCTION, sk_server_trust_ssl_ctx_cb);
  curl_easy_setopt (easy, CURLOPT_SSL_CTX_DATA, job->trust);

  curl_easy_setopt (easy, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt (easy, CURLOPT_DEBUGFUNCTION, debug_cb);
  curl_easy_setopt (easy, CURLOPT_DEBUGDATA, job);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, job);

  /* Without a user name libcurl stops after the capabilities. */
  if (with_login)
    {
      curl_easy_setopt (easy, CURLOPT_USERNAME, job->server->username);
      if (job->server->auth_method == SK_AUTH_METHOD_OAUTH2)
        curl_easy_setopt (easy, CURLOPT_XOAUTH2_BEARER, job->server->password);
      else
        curl_easy_setopt (easy, CURLOPT_PASSWORD, job->server->password);
      curl_easy_setopt (easy, CURLOPT_LOGIN_OPTIONS, login_options (job->server->auth_method));
    }

  if (send)
    {
      curl_easy_setopt (easy, CURLOPT_MAIL_FROM, job->envelope);
      curl_easy_setopt (easy, CURLOPT_MAIL_RCPT, job->recipients);
      curl_easy_setopt (easy, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt (easy, CURLOPT_INFILESIZE_LARGE,
                        (curl_off_t) g_bytes_get_size (job->message));
      curl_easy_setopt (easy, CURLOPT_READFUNCTION, read_cb);
      curl_easy_setopt (easy, CURLOPT_READDATA, job);
    }

  return easy;
}

static CURLcode
run_connection (SkSideJob *job,
                gboolean   with_login)
{
  CURLM *multi;
  CURLcode code = CURLE_OK;
  GPollFD cancel_fd = { -1, 0, 0 };
  gboolean have_cancel_fd;
  long timeout_ms;
  /* Not on the first of two connections, which only reads what the
   * server offers. */
  gboolean send = job->message != NULL && (with_login || job->server->username == NULL);

  job->attempt_start = elapsed (job);
  sk_transcript_begin_connection (job->transcript);
  job->connected = FALSE;
  if (job->server->security == SK_SECURITY_NONE)
    sk_transcript_set_secure (job->transcript);

  /* A second connection (security None) has what the first one left. */
  timeout_ms = MAX (job->timeout * 1000L - (long) (job->attempt_start * 1000), 1000L);

  job->message_offset = 0;
  job->easy = make_handle (job, with_login, send, timeout_ms);
  multi = curl_multi_init ();
  if (job->easy == NULL || multi == NULL)
    g_error ("libcurl cannot create a handle: out of memory");
  curl_multi_add_handle (multi, job->easy);

  have_cancel_fd = g_cancellable_make_pollfd (job->cancellable, &cancel_fd);

  for (;;)
    {
      struct curl_waitfd extra = { cancel_fd.fd, CURL_WAIT_POLLIN, 0 };
      CURLMsg *message;
      int n_running;
      int n_messages;

      if (g_cancellable_is_cancelled (job->cancellable))
        {
          code = CURLE_ABORTED_BY_CALLBACK;
          break;
        }

      curl_multi_perform (multi, &n_running);
      update_steps (job);

      message = curl_multi_info_read (multi, &n_messages);
      if (message != NULL && message->msg == CURLMSG_DONE)
        {
          code = message->data.result;
          break;
        }

      curl_multi_poll (multi, have_cancel_fd ? &extra : NULL, have_cancel_fd ? 1 : 0, 1000, NULL);
    }

  if (have_cancel_fd)
    g_cancellable_release_fd (job->cancellable);

  update_steps (job);
  curl_multi_remove_handle (multi, job->easy);
  g_clear_pointer (&job->easy, curl_easy_cleanup);
  curl_multi_cleanup (multi);

  g_debug ("%s side, %s connection: %s",
           job->side == SK_TEST_SIDE_INCOMING ? "Incoming" : "Outgoing",
           with_login ? "login" : "first",
           curl_easy_strerror (code));

  return code;
}

/* What a refusal of the message means, by the command refused. */
static SkDiagnosis *
diagnose_refusal (SkSideJob *job)
{
  SkDiagnosis *diagnosis = g_new0 (SkDiagnosis, 1);

  diagnosis->code = SK_DIAGNOSIS_SERVER_ERROR;
  if (job->send_reply != NULL && job->send_reply[0] == '4')
    {
      diagnosis->code = SK_DIAGNOSIS_TEMPORARY_FAILURE;
      diagnosis->message = g_strdup (_("The server cannot take the message right now. "
                                       "Wait a few minutes and send it again."));
    }
  else if (job->refused_at == SEND_MAIL)
    {
      diagnosis->message = g_strdup (_("The server does not let this account send mail from "
                                       "its address. Check the e-mail address on tab 1: it "
                                       "must be the address of this mailbox."));
    }
  else if (job->refused_at == SEND_RCPT)
    {
      diagnosis->message = g_strdup (_("The server does not take mail for this account’s "
                                       "address. Check the e-mail address on tab 1."));
    }
  else
    {
      diagnosis->message = g_strdup (_("The server did not accept the message. "
                                       "Show the details to your IT support."));
    }

  return diagnosis;
}

static SkSideResult *
make_result (SkSideJob *job,
             CURLcode   code)
{
  SkSideResult *result = g_new0 (SkSideResult, 1);
  const SkExchange *exchange = sk_transcript_get_exchange (job->transcript);
  const char *last_reply = sk_transcript_get_last_reply (job->transcript);
  SkDiagnosisInput input;

  /* What the connection test says of a server that took no login. */
  if (job->unauthenticated)
    code = CURLE_OK;

  input = (SkDiagnosisInput) {
    .server = job->server,
    .tls_chosen = job->server->security == SK_SECURITY_SSL,
    .curl_code = code,
    .last_reply = last_reply,
    .greeted = exchange->greeted,
    .logged_in = exchange->logged_in,
    .certificate_expired = sk_server_trust_saw_expired (job->trust),
    .certificate_pin_mismatch = job->trust->pin_mismatch,
    .certificate_wrong_host = sk_server_trust_saw_wrong_host (job->trust),
    .tls_established = job->tls_established,
    .login_wanted = job->server->username != NULL,
    .login_attempted = exchange->login_attempted,
    .starttls_offered = job->starttls_refused,
    .bearer = job->server->auth_method == SK_AUTH_METHOD_OAUTH2,
    .token_refusal = sk_transcript_get_token_refusal (job->transcript),
  };

  result->side = job->side;
  result->protocol = job->server->protocol;
  result->host = g_strdup (job->server->host);
  result->port = job->server->port;
  result->security = job->server->security;
  result->seconds = elapsed (job);
  memcpy (result->step_state, job->step_state, sizeof result->step_state);
  memcpy (result->step_seconds, job->step_seconds, sizeof result->step_seconds);
  result->diagnosis = sk_diagnose (&input);

  /* The message, when there was one, is what the result speaks of; its
   * reply, not the one to QUIT that came last. */
  if (job->refused_at != SEND_NONE && !job->unauthenticated)
    {
      sk_diagnosis_free (result->diagnosis);
      result->diagnosis = diagnose_refusal (job);
    }
  else if (job->sent)
    {
      sk_diagnosis_free (result->diagnosis);
      result->diagnosis = g_new0 (SkDiagnosis, 1);
      result->diagnosis->code = SK_DIAGNOSIS_OK;
      result->diagnosis->message = g_strdup (_("The server accepted the test message. It should "
                                               "arrive in this account’s mailbox shortly."));
    }
  if (job->send_reply != NULL)
    last_reply = job->send_reply;

  result->ok = result->diagnosis->code == SK_DIAGNOSIS_OK;
  result->server_reply = g_strdup (last_reply);
  result->transcript = sk_transcript_to_string (job->transcript);

  result->certificate = g_steal_pointer (&job->trust->certificate);
  if (result->certificate != NULL)
    result->certificate->trusted = job->tls_established;

  return result;
}

SkSideResult *
sk_side_result_new_unconnected (SkTestSide      side,
                                const SkServer *server,
                                SkDiagnosis    *diagnosis)
{
  SkSideResult *result = g_new0 (SkSideResult, 1);

  result->side = side;
  result->protocol = server->protocol;
  result->host = g_strdup (server->host);
  result->port = server->port;
  result->security = server->security;
  for (guint i = 0; i < SK_N_TEST_STEPS; i++)
    result->step_state[i] = SK_STEP_SKIPPED;
  /* The login is what could not be done. */
  result->step_state[SK_TEST_STEP_LOGIN] = SK_STEP_FAILED;
  result->diagnosis = diagnosis;
  result->ok = FALSE;
  result->transcript = g_strdup ("");

  return result;
}

static void
side_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SkSideJob *job = task_data;
  CURLcode code;

  job->start_time = g_get_monotonic_time ();
  job->transcript = sk_transcript_new (job->server->protocol, job->server->username,
                                       job->server->password);

  plan_steps (job);

  /* Without security, the capabilities are read on a first connection
   * that sends no password (CONNECT_ONLY would log in in one go): a server
   * that offers STARTTLS never gets the password in the clear. */
  if (job->server->security == SK_SECURITY_NONE && job->server->username != NULL)
    {
      code = run_connection (job, FALSE);
      if (code == CURLE_OK && sk_transcript_get_exchange (job->transcript)->starttls_offered)
        job->starttls_refused = TRUE;
      else if (code == CURLE_OK)
        code = run_connection (job, TRUE);
    }
  else
    {
      code = run_connection (job, job->server->username != NULL);
    }

  finish_steps (job);

  g_task_return_pointer (task, make_result (job, code), (GDestroyNotify) sk_side_result_free);
}


void
sk_side_job_run_async (SkSideJob           *job,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);

  g_task_set_source_tag (task, sk_side_job_run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) side_job_free);
  g_task_run_in_thread (task, side_thread);
}

SkSideResult *
sk_side_job_run_finish (GAsyncResult  *result,
                        gboolean      *sent,
                        char         **final_reply)
{
  SkSideJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_side_job_run_async, NULL);

  /* The worker is done with job: its fields are this thread's now. */
  job = g_task_get_task_data (G_TASK (result));
  if (sent != NULL)
    *sent = job->sent;
  if (final_reply != NULL)
    *final_reply = g_strdup (job->final_reply);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}
