/* sk-connection-test.c — logs in to an account's servers in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sk-certificate.h"
#include "sk-connection-test-private.h"
#include "sk-json.h"
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

G_DEFINE_QUARK (sk-connection-test-error-quark, sk_connection_test_error)

/* libcurl must be initialised once, on the main thread, before any worker
 * uses it; g_once runs it on the first test, which the main thread starts. */
static gpointer
init_libraries (gpointer data)
{
  CURLcode code = curl_global_init (CURL_GLOBAL_DEFAULT);

  if (code != CURLE_OK)
    g_error ("libcurl cannot start: %s", curl_easy_strerror (code));

  return NULL;
}

static void
ensure_libraries (void)
{
  static GOnce init_once = G_ONCE_INIT;

  g_once (&init_once, init_libraries, NULL);
}

/* The caller's end: where progress goes. */
typedef struct
{
  gatomicrefcount     ref_count;
  GMainContext       *context;
  GCancellable       *cancellable;
  SkTestProgressFunc  progress;
  gpointer            progress_data;
  GDestroyNotify      progress_destroy;
} Reporter;

static Reporter *
reporter_ref (Reporter *reporter)
{
  g_atomic_ref_count_inc (&reporter->ref_count);
  return reporter;
}

/* The last reference goes on the caller's main context (the test itself or
 * a posted event), where progress_destroy belongs. */
static void
reporter_unref (Reporter *reporter)
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
  Reporter    *reporter;
  SkTestSide   side;
  SkTestStep   step;
  SkStepState  state;
  double       seconds;
} ProgressEvent;

static void
progress_event_free (gpointer data)
{
  ProgressEvent *event = data;

  reporter_unref (event->reporter);
  g_free (event);
}

static gboolean
dispatch_progress (gpointer data)
{
  ProgressEvent *event = data;
  Reporter *reporter = event->reporter;

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
typedef struct
{
  SkTestSide          side;
  SkServer           *server;        /* username NULL: no login (SMTP without
                                      * authentication) */
  char               *ascii_host;    /* for DNS, the URL and the certificate */
  char               *pin;           /* a pinned fingerprint, or NULL */
  guint               timeout;
  GPtrArray          *extra_cas;     /* X509 */
  Reporter           *reporter;      /* kept alive by the test until both sides end */
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

  /* What the certificate check saw. */
  SkCertificateInfo  *certificate;
  int                 verify_error;
  gboolean            pin_mismatch;

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
} SideJob;

static void
certificate_info_free (SkCertificateInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->subject);
  g_free (info->issuer);
  g_clear_pointer (&info->not_before, g_date_time_unref);
  g_clear_pointer (&info->not_after, g_date_time_unref);
  g_free (info->sha256);
  g_free (info);
}

static void
side_job_free (SideJob *job)
{
  sk_server_free (job->server);
  g_free (job->ascii_host);
  g_free (job->pin);
  g_clear_pointer (&job->extra_cas, g_ptr_array_unref);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->transcript, sk_transcript_free);
  certificate_info_free (job->certificate);
  g_clear_pointer (&job->message, g_bytes_unref);
  g_free (job->envelope);
  curl_slist_free_all (job->recipients);
  g_free (job->send_reply);
  g_free (job->final_reply);
  g_free (job);
}

static double
elapsed (SideJob *job)
{
  return (g_get_monotonic_time () - job->start_time) / (double) G_USEC_PER_SEC;
}

static void
set_step (SideJob     *job,
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
plan_steps (SideJob *job)
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
curl_timer (SideJob  *job,
            CURLINFO  info)
{
  curl_off_t microseconds = 0;

  if (curl_easy_getinfo (job->easy, info, &microseconds) != CURLE_OK || microseconds <= 0)
    return -1;

  return job->attempt_start + microseconds / (double) G_USEC_PER_SEC;
}

static void
refresh_tls (SideJob *job)
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
step_finished_at (SideJob    *job,
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
update_steps (SideJob *job)
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
finish_steps (SideJob *job)
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
track_send (SideJob       *job,
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
  SideJob *job = user_data;

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
  SideJob *job = user_data;

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
  SideJob *job = user_data;
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

/* Certificates */

/* Every X509 certificate in a PEM file; empty when it cannot be read. */
static GPtrArray *
read_certificates (const char *path)
{
  GPtrArray *certs = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  BIO *bio = BIO_new_file (path, "r");
  X509 *cert;

  if (bio != NULL)
    {
      while ((cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
        g_ptr_array_add (certs, cert);
      BIO_free (bio);
    }

  /* The end of the file shows as an error too. */
  ERR_clear_error ();

  return certs;
}

/* The system's trusted CAs where libcurl would look for them.  The CA
 * folder is read certificate by certificate as a chain needs one; only
 * without it is the whole bundle read, once per process: parsing it takes
 * tens of milliseconds, which every handshake (and a cancel waiting for
 * it) would otherwise spend again. */
typedef struct
{
  char      *capath;
  GPtrArray *cas;     /* the bundle's, when there is no CA folder */
} SystemTrust;

static const SystemTrust *
system_trust (void)
{
  static gsize loaded = 0;
  static SystemTrust trust;

  if (g_once_init_enter (&loaded))
    {
      CURL *easy = curl_easy_init ();
      char *cafile = NULL;
      char *capath = NULL;

      /* libcurl's built-in defaults (Debian: /etc/ssl/certs and the
       * ca-certificates bundle made from the same certificates). */
      curl_easy_getinfo (easy, CURLINFO_CAINFO, &cafile);
      curl_easy_getinfo (easy, CURLINFO_CAPATH, &capath);

      if (capath != NULL && g_file_test (capath, G_FILE_TEST_IS_DIR))
        trust.capath = g_strdup (capath);
      else if (cafile != NULL)
        trust.cas = read_certificates (cafile);
      curl_easy_cleanup (easy);

      g_once_init_leave (&loaded, 1);
    }

  return &trust;
}

/* The same reading of a certificate as the signing certificates get. */
static SkCertificateInfo *
certificate_info_new (X509 *cert)
{
  g_autoptr(SkCertificate) certificate = sk_certificate_new_from_x509 (cert, NULL, NULL);
  GDateTime *not_before = sk_certificate_get_not_before (certificate);
  GDateTime *not_after = sk_certificate_get_not_after (certificate);
  SkCertificateInfo *info = g_new0 (SkCertificateInfo, 1);

  info->subject = g_strdup (sk_certificate_get_subject (certificate));
  info->issuer = g_strdup (sk_certificate_get_issuer (certificate));
  info->not_before = not_before != NULL ? g_date_time_ref (not_before) : NULL;
  info->not_after = not_after != NULL ? g_date_time_ref (not_after) : NULL;
  info->sha256 = g_strdup (sk_certificate_get_sha256 (certificate));

  return info;
}

static gboolean
is_expiry_error (int error)
{
  return error == X509_V_ERR_CERT_HAS_EXPIRED || error == X509_V_ERR_CERT_NOT_YET_VALID;
}

static gboolean
is_host_error (int error)
{
  return error == X509_V_ERR_HOSTNAME_MISMATCH || error == X509_V_ERR_IP_ADDRESS_MISMATCH;
}

/* Called by OpenSSL during the handshake once the server's certificate has
 * arrived, in place of its chain check (which it runs here): before
 * anything else is sent through the connection. */
static int
verify_chain_cb (X509_STORE_CTX *store_ctx,
                 void           *user_data)
{
  SideJob *job = user_data;
  X509 *leaf = X509_STORE_CTX_get0_cert (store_ctx);
  X509_STORE *store = X509_STORE_CTX_get0_store (store_ctx);
  const SystemTrust *trust;
  int verified;

  if (leaf == NULL)
    return 0;

  /* Kept whatever the check says: a person may decide to trust it. */
  certificate_info_free (job->certificate);
  job->certificate = certificate_info_new (leaf);

  if (job->pin != NULL)
    {
      /* The person trusted exactly this certificate, whoever issued it and
       * for whichever name; any other one is refused. */
      job->pin_mismatch = g_strcmp0 (job->certificate->sha256, job->pin) != 0;
      if (job->pin_mismatch)
        {
          X509_STORE_CTX_set_error (store_ctx, X509_V_ERR_CERT_REJECTED);
          return 0;
        }

      return 1;
    }

  /* The trusted CAs (the system's and the extra ones; libcurl loads none
   * itself, see make_handle()) go into the handshake's own store only
   * now: whatever reading them costs overlaps the handshake's first round
   * trip rather than delaying it. */
  trust = system_trust ();
  if (trust->capath != NULL)
    X509_STORE_load_path (store, trust->capath);
  for (guint i = 0; trust->cas != NULL && i < trust->cas->len; i++)
    X509_STORE_add_cert (store, g_ptr_array_index (trust->cas, i));
  for (guint i = 0; i < job->extra_cas->len; i++)
    X509_STORE_add_cert (store, g_ptr_array_index (job->extra_cas, i));
  /* A certificate already in the store is not an error worth keeping. */
  ERR_clear_error ();

  /* OpenSSL stops at the first problem (libcurl sets no callback that
   * would go on): that is the one the diagnosis names. */
  verified = X509_verify_cert (store_ctx);
  if (verified <= 0)
    job->verify_error = X509_STORE_CTX_get_error (store_ctx);

  return verified > 0 ? 1 : 0;
}

/* Called by libcurl with the OpenSSL context of a TLS handshake about to
 * start. */
static CURLcode
ssl_ctx_cb (CURL *easy,
            void *ssl_ctx,
            void *user_data)
{
  SideJob *job = user_data;
  SSL_CTX *ctx = ssl_ctx;

  /* The name is checked during the handshake too, so that the certificate
   * check tells a wrong name apart from an untrusted issuer. */
  if (job->pin == NULL)
    {
      X509_VERIFY_PARAM *param = SSL_CTX_get0_param (ctx);

      if (g_hostname_is_ip_address (job->ascii_host))
        X509_VERIFY_PARAM_set1_ip_asc (param, job->ascii_host);
      else
        X509_VERIFY_PARAM_set1_host (param, job->ascii_host, 0);
    }

  SSL_CTX_set_cert_verify_callback (ctx, verify_chain_cb, job);

  return CURLE_OK;
}

/* One connection */

static const char *
url_scheme (SideJob *job)
{
  gboolean ssl = job->server->security == SK_SECURITY_SSL;

  switch (job->server->protocol)
    {
    case SK_PROTOCOL_IMAP:
      return ssl ? "imaps" : "imap";
    case SK_PROTOCOL_POP3:
      return ssl ? "pop3s" : "pop3";
    case SK_PROTOCOL_SMTP:
      return ssl ? "smtps" : "smtp";
    default:
      g_assert_not_reached ();
    }
}

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
    default:
      g_assert_not_reached ();
    }
}

static CURL *
make_handle (SideJob  *job,
             gboolean  with_login,
             gboolean  send,
             long      timeout_ms)
{
  CURL *easy = curl_easy_init ();
  g_autofree char *url = NULL;

  if (easy == NULL)
    return NULL;

  if (strchr (job->ascii_host, ':') != NULL)
    url = g_strdup_printf ("%s://[%s]:%u", url_scheme (job), job->ascii_host, job->server->port);
  else
    url = g_strdup_printf ("%s://%s:%u", url_scheme (job), job->ascii_host, job->server->port);

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
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, job->pin != NULL ? 0L : 2L);
  /* verify_chain_cb() fills each handshake's store; a cached one would
   * replace it. */
  curl_easy_setopt (easy, CURLOPT_CAINFO, NULL);
  curl_easy_setopt (easy, CURLOPT_CAPATH, NULL);
  curl_easy_setopt (easy, CURLOPT_CA_CACHE_TIMEOUT, 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb);
  curl_easy_setopt (easy, CURLOPT_SSL_CTX_DATA, job);

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
run_connection (SideJob  *job,
                gboolean  with_login)
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

void
sk_side_result_free (SkSideResult *side)
{
  if (side == NULL)
    return;

  g_free (side->host);
  certificate_info_free (side->certificate);
  sk_diagnosis_free (side->diagnosis);
  g_free (side->server_reply);
  g_free (side->transcript);
  g_free (side);
}

/* What a refusal of the message means, by the command refused. */
static SkDiagnosis *
diagnose_refusal (SideJob *job)
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
make_result (SideJob  *job,
             CURLcode  code)
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
    .certificate_expired = is_expiry_error (job->verify_error),
    .certificate_pin_mismatch = job->pin_mismatch,
    .certificate_wrong_host = is_host_error (job->verify_error),
    .tls_established = job->tls_established,
    .login_wanted = job->server->username != NULL,
    .login_attempted = exchange->login_attempted,
    .starttls_offered = job->starttls_refused,
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

  result->certificate = g_steal_pointer (&job->certificate);
  if (result->certificate != NULL)
    result->certificate->trusted = job->tls_established;

  return result;
}

static void
side_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SideJob *job = task_data;
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

/* Setting up */

typedef struct
{
  SkTestResult *result;
  guint         n_pending;
  Reporter     *reporter;
} TestRun;

static void
test_run_free (TestRun *run)
{
  sk_test_result_free (run->result);
  reporter_unref (run->reporter);
  g_free (run);
}

void
sk_test_result_free (SkTestResult *result)
{
  if (result == NULL)
    return;

  g_free (result->account_name);
  for (guint i = 0; i < SK_N_TEST_SIDES; i++)
    sk_side_result_free (result->sides[i]);
  g_free (result);
}

static void
side_done (GObject      *source_object,
           GAsyncResult *side_result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestRun *run = g_task_get_task_data (task);
  SkSideResult *side = g_task_propagate_pointer (G_TASK (side_result), NULL);

  run->result->sides[side->side] = side;

  if (--run->n_pending > 0)
    return;

  run->result->ok = run->result->sides[SK_TEST_SIDE_INCOMING]->ok
                    && run->result->sides[SK_TEST_SIDE_OUTGOING]->ok;
  g_task_return_pointer (task, g_steal_pointer (&run->result),
                         (GDestroyNotify) sk_test_result_free);
}

static GPtrArray *
load_cas (const char  *path,
          GError     **error)
{
  g_autoptr(GPtrArray) cas = NULL;
  g_autofree char *display = g_filename_display_name (path);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || g_access (path, R_OK) != 0)
    {
      g_set_error (error, SK_CONNECTION_TEST_ERROR, SK_CONNECTION_TEST_ERROR_INVALID,
                   _("The CA file “%s” cannot be read."), display);
      return NULL;
    }

  cas = read_certificates (path);
  if (cas->len == 0)
    {
      g_set_error (error, SK_CONNECTION_TEST_ERROR, SK_CONNECTION_TEST_ERROR_INVALID,
                   _("The CA file “%s” holds no certificate in PEM form."), display);
      return NULL;
    }

  return g_steal_pointer (&cas);
}

static SideJob *
side_job_new (SkTestSide      side,
              const SkServer *server,
              guint           timeout,
              GPtrArray      *extra_cas,
              Reporter       *reporter)
{
  SideJob *job = g_new0 (SideJob, 1);
  const char *pin = server->pinned_sha256;

  job->side = side;
  job->server = sk_server_copy (server);
  job->ascii_host = g_hostname_to_ascii (server->host);
  /* Google's certificates are always checked in full. */
  if (pin != NULL && *pin != '\0' && sk_fingerprint_is_valid (pin)
      && !sk_host_is_google (server->host))
    job->pin = g_ascii_strup (pin, -1);
  job->timeout = CLAMP (timeout, SK_MIN_TIMEOUT, SK_MAX_TIMEOUT);
  job->extra_cas = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  for (guint i = 0; extra_cas != NULL && i < extra_cas->len; i++)
    {
      X509 *cert = g_ptr_array_index (extra_cas, i);

      X509_up_ref (cert);
      g_ptr_array_add (job->extra_cas, cert);
    }
  job->reporter = reporter;
  job->cancellable = g_object_ref (reporter->cancellable);
  job->verify_error = X509_V_OK;

  return job;
}

static Reporter *
reporter_new (SkTestProgressFunc  progress,
              gpointer            progress_data,
              GDestroyNotify      progress_destroy,
              GCancellable       *cancellable)
{
  Reporter *reporter = g_new0 (Reporter, 1);

  g_atomic_ref_count_init (&reporter->ref_count);
  reporter->context = g_main_context_ref_thread_default ();
  /* Workers poll a cancellable whether or not the caller gave one. */
  reporter->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  reporter->progress = progress;
  reporter->progress_data = progress_data;
  reporter->progress_destroy = progress_destroy;

  return reporter;
}

/* What cannot be tested at all is refused here, before any connection,
 * in the words the dialog uses for the same field.  The extra CAs, when
 * options name a file, come back in extra_cas. */
static gboolean
check_account (SkAccount            *account,
               SkTestMode            mode,
               const SkTestOptions  *options,
               GPtrArray           **extra_cas,
               GError              **error)
{
  g_autoptr(SkProblem) problem = sk_account_find_test_problem (account, mode);

  if (problem != NULL)
    {
      g_set_error_literal (error, SK_CONNECTION_TEST_ERROR, SK_CONNECTION_TEST_ERROR_INVALID,
                           problem->message);
      return FALSE;
    }

  if (options != NULL && options->cafile != NULL)
    {
      *extra_cas = load_cas (options->cafile, error);
      return *extra_cas != NULL;
    }

  return TRUE;
}

/* The side's server, as the account's one rule for its login has it. */
static SideJob *
job_for (SkAccount  *account,
         SkTestSide  side,
         GPtrArray  *extra_cas,
         Reporter   *reporter)
{
  g_autoptr(SkServer) server = sk_account_dup_server (account, side);

  return side_job_new (side, server, sk_account_get_timeout (account), extra_cas, reporter);
}

void
sk_connection_test_async (SkAccount            *account,
                          const SkTestOptions  *options,
                          SkTestProgressFunc    progress,
                          gpointer              progress_data,
                          GDestroyNotify        progress_destroy,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) extra_cas = NULL;
  g_autoptr(GError) error = NULL;
  SideJob *jobs[SK_N_TEST_SIDES];
  Reporter *reporter;
  TestRun *run;

  g_return_if_fail (SK_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ensure_libraries ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_connection_test_async);
  /* A cancelled test still has a result: it says "cancelled". */
  g_task_set_check_cancellable (task, FALSE);

  if (!check_account (account, SK_TEST_MODE_LOGIN, options, &extra_cas, &error))
    {
      if (progress_destroy != NULL)
        progress_destroy (progress_data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  reporter = reporter_new (progress, progress_data, progress_destroy, cancellable);

  for (guint i = 0; i < SK_N_TEST_SIDES; i++)
    jobs[i] = job_for (account, i, extra_cas, reporter);

  run = g_new0 (TestRun, 1);
  run->result = g_new0 (SkTestResult, 1);
  run->result->account_name = g_strdup (sk_account_get_name (account));
  run->n_pending = SK_N_TEST_SIDES;
  run->reporter = reporter;
  g_task_set_task_data (task, run, (GDestroyNotify) test_run_free);

  for (guint i = 0; i < SK_N_TEST_SIDES; i++)
    {
      g_autoptr(GTask) side_task = g_task_new (NULL, NULL, side_done, g_object_ref (task));

      g_task_set_source_tag (side_task, sk_connection_test_async);
      g_task_set_task_data (side_task, jobs[i], (GDestroyNotify) side_job_free);
      g_task_run_in_thread (side_task, side_thread);
    }
}

SkTestResult *
sk_connection_test_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_connection_test_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Sending a message */

static void
send_done (GObject      *source_object,
           GAsyncResult *side_result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SideJob *job = g_task_get_task_data (G_TASK (side_result));
  SkSendResult *result = g_new0 (SkSendResult, 1);

  /* The worker is done with job: its fields are this thread's now. */
  result->side = g_task_propagate_pointer (G_TASK (side_result), NULL);
  result->sent = job->sent;
  result->final_reply = g_strdup (job->final_reply);

  g_task_return_pointer (task, result, (GDestroyNotify) sk_send_result_free);
}

void
sk_connection_send_async (SkAccount            *account,
                          GBytes               *message,
                          const SkTestOptions  *options,
                          SkTestProgressFunc    progress,
                          gpointer              progress_data,
                          GDestroyNotify        progress_destroy,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) side_task = NULL;
  g_autoptr(GPtrArray) extra_cas = NULL;
  g_autoptr(GError) error = NULL;
  Reporter *reporter;
  SideJob *job;

  g_return_if_fail (SK_IS_ACCOUNT (account));
  g_return_if_fail (message != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ensure_libraries ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_connection_send_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!check_account (account, SK_TEST_MODE_SEND, options, &extra_cas, &error))
    {
      if (progress_destroy != NULL)
        progress_destroy (progress_data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The task holds the reporter until the end, on this thread. */
  reporter = reporter_new (progress, progress_data, progress_destroy, cancellable);
  g_task_set_task_data (task, reporter, (GDestroyNotify) reporter_unref);

  job = job_for (account, SK_TEST_SIDE_OUTGOING, extra_cas, reporter);
  job->message = g_bytes_ref (message);
  job->envelope = g_strdup_printf ("<%s>", sk_account_get_email (account));
  job->recipients = curl_slist_append (NULL, job->envelope);

  side_task = g_task_new (NULL, NULL, send_done, g_object_ref (task));
  g_task_set_source_tag (side_task, sk_connection_send_async);
  g_task_set_task_data (side_task, job, (GDestroyNotify) side_job_free);
  g_task_run_in_thread (side_task, side_thread);
}

SkSendResult *
sk_connection_send_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_connection_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Names */

static const char * const step_names[SK_N_TEST_STEPS] = {
  [SK_TEST_STEP_RESOLVE] = "resolve",
  [SK_TEST_STEP_CONNECT] = "connect",
  [SK_TEST_STEP_TLS] = "tls",
  [SK_TEST_STEP_GREETING] = "greeting",
  [SK_TEST_STEP_LOGIN] = "login",
};

const char *
sk_test_step_to_string (SkTestStep step)
{
  g_return_val_if_fail (step < SK_N_TEST_STEPS, NULL);

  return step_names[step];
}

/* JSON */

static void
json_seconds (GString *out,
              double   seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.2f", MAX (seconds, 0)));
}

/* The steps in the order they ran: TLS comes after the greeting with
 * STARTTLS, before it with SSL/TLS. */
static void
json_steps (GString      *out,
            SkSideResult *side)
{
  static const SkTestStep ssl_order[] = {
    SK_TEST_STEP_RESOLVE, SK_TEST_STEP_CONNECT, SK_TEST_STEP_TLS,
    SK_TEST_STEP_GREETING, SK_TEST_STEP_LOGIN,
  };
  static const SkTestStep starttls_order[] = {
    SK_TEST_STEP_RESOLVE, SK_TEST_STEP_CONNECT, SK_TEST_STEP_GREETING,
    SK_TEST_STEP_TLS, SK_TEST_STEP_LOGIN,
  };
  const SkTestStep *order = side->security == SK_SECURITY_SSL ? ssl_order : starttls_order;
  gboolean first = TRUE;

  g_string_append_c (out, '[');
  for (guint i = 0; i < SK_N_TEST_STEPS; i++)
    {
      SkTestStep step = order[i];
      SkStepState state = side->step_state[step];

      if (state != SK_STEP_OK && state != SK_STEP_FAILED)
        continue;

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;

      g_string_append_c (out, '{');
      sk_json_key (out, "step");
      sk_json_string (out, sk_test_step_to_string (step));
      g_string_append_c (out, ',');
      sk_json_key (out, "ok");
      sk_json_bool (out, state == SK_STEP_OK);
      g_string_append_c (out, ',');
      sk_json_key (out, "seconds");
      json_seconds (out, side->step_seconds[step]);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

static void
json_certificate (GString           *out,
                  SkCertificateInfo *certificate)
{
  if (certificate == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '{');
  sk_json_key (out, "subject");
  sk_json_string (out, certificate->subject);
  g_string_append_c (out, ',');
  sk_json_key (out, "issuer");
  sk_json_string (out, certificate->issuer);
  g_string_append_c (out, ',');
  sk_json_key (out, "not_before");
  sk_json_date (out, certificate->not_before);
  g_string_append_c (out, ',');
  sk_json_key (out, "not_after");
  sk_json_date (out, certificate->not_after);
  g_string_append_c (out, ',');
  sk_json_key (out, "sha256");
  sk_json_string (out, certificate->sha256);
  g_string_append_c (out, '}');
}

void
sk_side_result_append_json (GString      *out,
                            SkSideResult *side)
{
  if (side == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '{');
  sk_json_key (out, "protocol");
  sk_json_string (out, sk_protocol_to_string (side->protocol));
  g_string_append_c (out, ',');
  sk_json_key (out, "host");
  sk_json_string (out, side->host);
  g_string_append_c (out, ',');
  sk_json_key (out, "port");
  g_string_append_printf (out, "%u", side->port);
  g_string_append_c (out, ',');
  sk_json_key (out, "security");
  sk_json_string (out, sk_security_to_string (side->security));
  g_string_append_c (out, ',');
  sk_json_key (out, "ok");
  sk_json_bool (out, side->ok);
  g_string_append_c (out, ',');
  sk_json_key (out, "seconds");
  json_seconds (out, side->seconds);
  g_string_append_c (out, ',');
  sk_json_key (out, "steps");
  json_steps (out, side);
  g_string_append_c (out, ',');
  sk_json_key (out, "certificate");
  json_certificate (out, side->certificate);
  g_string_append_c (out, ',');

  sk_json_key (out, "diagnosis");
  if (side->diagnosis != NULL)
    {
      g_string_append_c (out, '{');
      sk_json_key (out, "code");
      sk_json_string (out, sk_diagnosis_code_to_string (side->diagnosis->code));
      g_string_append_c (out, ',');
      sk_json_key (out, "guide_step");
      if (side->diagnosis->guide_step > 0)
        g_string_append_printf (out, "%d", side->diagnosis->guide_step);
      else
        g_string_append (out, "null");
      g_string_append_c (out, ',');
      sk_json_key (out, "message");
      sk_json_string (out, side->diagnosis->message);
      /* Only with a page to open: the documented shape stays as it is. */
      if (side->diagnosis->web_login_url != NULL)
        {
          g_string_append_c (out, ',');
          sk_json_key (out, "web_login_url");
          sk_json_string (out, side->diagnosis->web_login_url);
        }
      g_string_append_c (out, '}');
    }
  else
    {
      g_string_append (out, "null");
    }
  g_string_append_c (out, ',');

  sk_json_key (out, "server_reply");
  sk_json_string (out, side->server_reply);
  g_string_append_c (out, ',');
  sk_json_key (out, "transcript");
  sk_json_string (out, side->transcript);
  g_string_append_c (out, '}');
}

char *
sk_test_result_to_json (SkTestResult *result)
{
  GString *out;

  g_return_val_if_fail (result != NULL, NULL);

  out = g_string_new ("{");
  sk_json_key (out, "account");
  sk_json_string (out, result->account_name);
  g_string_append_c (out, ',');
  sk_json_key (out, "ok");
  sk_json_bool (out, result->ok);
  g_string_append_c (out, ',');
  sk_json_key (out, "incoming");
  sk_side_result_append_json (out, result->sides[SK_TEST_SIDE_INCOMING]);
  g_string_append_c (out, ',');
  sk_json_key (out, "outgoing");
  sk_side_result_append_json (out, result->sides[SK_TEST_SIDE_OUTGOING]);
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}
