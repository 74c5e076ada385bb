/* sk-http.c — one HTTPS GET of a small file, or one form POST, verified
 * and cancellable
 *
 * Each request runs on a worker thread with a fresh easy handle driven
 * through a multi handle of its own, so that a cancel wakes the wait for
 * network activity at once (curl_multi_wakeup) instead of after libcurl's
 * next progress call; the XFERINFOFUNCTION stops libcurl wherever it checks
 * progress within a call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Detect"

#include "config.h"

#include <string.h>

#include <curl/curl.h>
#include <glib/gi18n-lib.h>

#include "sk-core.h"
#include "sk-http.h"
#include "sk-server-trust.h"

#define USER_AGENT "Skrzynka/" PACKAGE_VERSION

G_DEFINE_QUARK (sk-http-error-quark, sk_http_error)

typedef struct
{
  char         *url;
  GPtrArray    *extra_cas;   /* X509: --cafile's, besides the system's */
  GStrv         connect_to;
  gsize         max_size;
  guint         timeout_ms;
  gboolean      allow_http;
  char         *form;         /* POST: may hold secrets; wiped */

  GCancellable *cancellable;
  CURLM        *multi;
  GByteArray   *body;
  gboolean      too_large;
  char         *final_url;
  long          status;
} Job;

static void
job_free (Job *job)
{
  g_free (job->url);
  g_clear_pointer (&job->extra_cas, g_ptr_array_unref);
  if (job->form != NULL)
    explicit_bzero (job->form, strlen (job->form));
  g_free (job->form);
  g_strfreev (job->connect_to);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->body, g_byte_array_unref);
  g_free (job->final_url);
  g_free (job);
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  n_items,
          void   *user_data)
{
  Job *job = user_data;
  gsize length = size * n_items;

  /* A server can send without a Content-Length: the cap is kept here. */
  if (job->body->len + length > job->max_size)
    {
      job->too_large = TRUE;
      return 0;
    }

  g_byte_array_append (job->body, (const guint8 *) data, length);
  return length;
}

static int
xferinfo_cb (void       *user_data,
             curl_off_t  download_total,
             curl_off_t  downloaded,
             curl_off_t  upload_total,
             curl_off_t  uploaded)
{
  Job *job = user_data;

  return g_cancellable_is_cancelled (job->cancellable) ? 1 : 0;
}

static CURL *
make_handle (Job                *job,
             struct curl_slist  *connect_to,
             struct curl_slist  *headers)
{
  const char *protocols = job->allow_http ? "http,https" : "https";
  CURL *easy;

  sk_core_ensure_curl ();
  easy = curl_easy_init ();

  if (easy == NULL)
    return NULL;

  curl_easy_setopt (easy, CURLOPT_URL, job->url);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, protocols);
  /* A redirect to http would carry the address in the clear. */
  curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (easy, CURLOPT_MAXREDIRS, (long) SK_HTTP_MAX_REDIRECTS);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) job->timeout_ms);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) job->timeout_ms);
  curl_easy_setopt (easy, CURLOPT_QUICK_EXIT, 1L);
  curl_easy_setopt (easy, CURLOPT_USERAGENT, USER_AGENT);
  curl_easy_setopt (easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) job->max_size);
  curl_easy_setopt (easy, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
  sk_system_trust_use (easy, job->extra_cas);
  /* The certificate is still checked against the name in the URL. */
  curl_easy_setopt (easy, CURLOPT_CONNECT_TO, connect_to);
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, job);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, job);

  return easy;
}

static void
wake_multi (GCancellable *cancellable,
            Job          *job)
{
  curl_multi_wakeup (job->multi);
}

static CURLcode
run_transfer (Job  *job,
              CURL *easy)
{
  CURLcode code = CURLE_OK;
  gulong handler;
  int running;

  job->multi = curl_multi_init ();
  curl_multi_add_handle (job->multi, easy);
  handler = g_cancellable_connect (job->cancellable, G_CALLBACK (wake_multi), job, NULL);

  while (!g_cancellable_is_cancelled (job->cancellable))
    {
      if (curl_multi_perform (job->multi, &running) != CURLM_OK || running == 0
          || curl_multi_poll (job->multi, NULL, 0, 1000, NULL) != CURLM_OK)
        break;
    }

  for (;;)
    {
      int queued;
      CURLMsg *message = curl_multi_info_read (job->multi, &queued);

      if (message == NULL)
        break;
      if (message->msg == CURLMSG_DONE)
        code = message->data.result;
    }

  g_cancellable_disconnect (job->cancellable, handler);
  curl_multi_remove_handle (job->multi, easy);
  curl_multi_cleanup (job->multi);
  job->multi = NULL;

  return code;
}

static GError *
error_for_code (Job      *job,
                CURLcode  code,
                long      status)
{
  switch (code)
    {
    case CURLE_OK:
      if (status == 404 || status == 410)
        return g_error_new (SK_HTTP_ERROR, SK_HTTP_ERROR_NOT_FOUND,
                            _("The server has no such file (HTTP %ld)."), status);
      return g_error_new (SK_HTTP_ERROR, SK_HTTP_ERROR_STATUS,
                          _("The server answered HTTP %ld."), status);
    case CURLE_UNSUPPORTED_PROTOCOL:
      return g_error_new_literal (SK_HTTP_ERROR, SK_HTTP_ERROR_INSECURE,
                                  _("The server sent the request to an unencrypted address."));
    case CURLE_COULDNT_RESOLVE_HOST:
      return g_error_new_literal (SK_HTTP_ERROR, SK_HTTP_ERROR_NOT_FOUND,
                                  _("No server by that name was found."));
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
      return g_error_new_literal (SK_HTTP_ERROR, SK_HTTP_ERROR_CERTIFICATE,
                                  _("The server’s certificate could not be verified."));
    case CURLE_OPERATION_TIMEDOUT:
      return g_error_new_literal (SK_HTTP_ERROR, SK_HTTP_ERROR_TIMEOUT,
                                  _("The server did not answer in time."));
    case CURLE_FILESIZE_EXCEEDED:
      return g_error_new (SK_HTTP_ERROR, SK_HTTP_ERROR_TOO_LARGE,
                          _("The file is larger than %u KiB."), (guint) (job->max_size / 1024));
    case CURLE_TOO_MANY_REDIRECTS:
      return g_error_new_literal (SK_HTTP_ERROR, SK_HTTP_ERROR_TOO_MANY_REDIRECTS,
                                  _("The server redirected the request too many times."));
    default:
      return g_error_new (SK_HTTP_ERROR, SK_HTTP_ERROR_NETWORK,
                          _("The file could not be fetched: %s."), curl_easy_strerror (code));
    }
}

static void
get_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  struct curl_slist *connect_to = NULL;
  /* The header Thunderbird sends to the ISP database (FetchConfig). */
  struct curl_slist *headers = curl_slist_append (NULL, "Accept: application/xml,text/xml,*/*");
  CURL *easy;
  CURLcode code;
  long status = 0;
  char *final_url = NULL;

  for (guint i = 0; job->connect_to != NULL && job->connect_to[i] != NULL; i++)
    connect_to = curl_slist_append (connect_to, job->connect_to[i]);

  easy = make_handle (job, connect_to, headers);
  code = run_transfer (job, easy);
  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo (easy, CURLINFO_EFFECTIVE_URL, &final_url);
  job->final_url = g_strdup (final_url);
  curl_easy_cleanup (easy);
  curl_slist_free_all (connect_to);
  curl_slist_free_all (headers);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (job->too_large)
    code = CURLE_FILESIZE_EXCEEDED;
  if (code == CURLE_OK && status == 200)
    g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&job->body)),
                           (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error_for_code (job, code, status));
}

static gboolean
check_url (const char  *url,
           gboolean     allow_http,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL
      || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, SK_HTTP_ERROR, SK_HTTP_ERROR_INVALID_URL,
                   _("“%s” is not a web address."), url);
      return FALSE;
    }

  if (g_str_equal (scheme, "http") && !allow_http)
    {
      g_set_error_literal (error, SK_HTTP_ERROR, SK_HTTP_ERROR_INSECURE,
                           _("Unencrypted web addresses are not allowed."));
      return FALSE;
    }

  return TRUE;
}

/* A form's answer comes back whatever its status: an OAuth 2.0 token
 * endpoint says what is wrong in a 400's body (RFC 6749 §5.2). */
static void
post_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  struct curl_slist *connect_to = NULL;
  struct curl_slist *headers = curl_slist_append (NULL, "Accept: application/json");
  CURL *easy;
  CURLcode code;

  for (guint i = 0; job->connect_to != NULL && job->connect_to[i] != NULL; i++)
    connect_to = curl_slist_append (connect_to, job->connect_to[i]);

  easy = make_handle (job, connect_to, headers);
  /* A redirected POST would carry the form somewhere else. */
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (easy, CURLOPT_POSTFIELDS, job->form);
  curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (job->form));
  code = run_transfer (job, easy);
  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &job->status);
  curl_easy_cleanup (easy);
  curl_slist_free_all (connect_to);
  curl_slist_free_all (headers);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (job->too_large)
    code = CURLE_FILESIZE_EXCEEDED;
  if (code == CURLE_OK)
    g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&job->body)),
                           (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error_for_code (job, code, job->status));
}

static void
start (const SkHttpRequest  *request,
       const char           *form,
       GTaskThreadFunc       thread,
       GCancellable         *cancellable,
       GAsyncReadyCallback   callback,
       gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Job *job;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, form != NULL ? (gpointer) sk_http_post_form_async
                                            : (gpointer) sk_http_get_async);
  if (!check_url (request->url, request->allow_http, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  job = g_new0 (Job, 1);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  if (request->cafile != NULL
      && (job->extra_cas = sk_server_trust_load_cas (request->cafile, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->url = g_strdup (request->url);
  job->connect_to = g_strdupv ((GStrv) request->connect_to);
  job->max_size = request->max_size > 0 ? request->max_size : SK_HTTP_DEFAULT_MAX_SIZE;
  job->timeout_ms = request->timeout_ms > 0 ? request->timeout_ms : SK_HTTP_DEFAULT_TIMEOUT_MS;
  job->allow_http = request->allow_http;
  job->form = g_strdup (form);
  /* The worker needs one even when the caller gave none. */
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  job->body = g_byte_array_new ();
  g_task_run_in_thread (task, thread);
}

void
sk_http_get_async (const SkHttpRequest  *request,
                   GCancellable         *cancellable,
                   GAsyncReadyCallback   callback,
                   gpointer              user_data)
{
  g_return_if_fail (request != NULL && request->url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start (request, NULL, get_thread, cancellable, callback, user_data);
}

void
sk_http_post_form_async (const SkHttpRequest  *request,
                         const char           *form,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_return_if_fail (request != NULL && request->url != NULL);
  g_return_if_fail (form != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start (request, form, post_thread, cancellable, callback, user_data);
}

GBytes *
sk_http_post_form_finish (GAsyncResult  *result,
                          guint         *status,
                          GError       **error)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_http_post_form_async, NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = job != NULL ? (guint) job->status : 0;

  return g_task_propagate_pointer (G_TASK (result), error);
}

GBytes *
sk_http_get_finish (GAsyncResult  *result,
                    char         **final_url,
                    GError       **error)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_http_get_async, NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (final_url != NULL)
    *final_url = job != NULL ? g_strdup (job->final_url) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}
