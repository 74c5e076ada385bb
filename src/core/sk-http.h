/* sk-http.h — one HTTPS GET of a small file, or one form POST, verified
 * and cancellable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SK_HTTP_DEFAULT_TIMEOUT_MS 5000
#define SK_HTTP_DEFAULT_MAX_SIZE   (256 * 1024)
#define SK_HTTP_MAX_REDIRECTS      5

#define SK_HTTP_ERROR (sk_http_error_quark ())

typedef enum
{
  SK_HTTP_ERROR_INVALID_URL,
  SK_HTTP_ERROR_INSECURE,        /* http:// not allowed, or a redirect to it */
  SK_HTTP_ERROR_NOT_FOUND,       /* no such host, or 404/410 */
  SK_HTTP_ERROR_STATUS,          /* any other answer than 200 */
  SK_HTTP_ERROR_CERTIFICATE,
  SK_HTTP_ERROR_TIMEOUT,
  SK_HTTP_ERROR_TOO_LARGE,
  SK_HTTP_ERROR_TOO_MANY_REDIRECTS,
  SK_HTTP_ERROR_NETWORK,
} SkHttpError;

/* What to fetch and how; copied when the request starts. */
typedef struct
{
  const char         *url;
  const char         *cafile;       /* NULL, or CAs trusted besides the
                                     * system's */
  const char * const *connect_to;   /* NULL, or CURLOPT_CONNECT_TO entries
                                     * ("host:port:to-host:to-port"), so
                                     * that tests can send any name to a
                                     * port of 127.0.0.1 */
  gsize               max_size;     /* 0: SK_HTTP_DEFAULT_MAX_SIZE */
  guint               timeout_ms;   /* 0: SK_HTTP_DEFAULT_TIMEOUT_MS */
  gboolean            allow_http;   /* the person agreed to plain http */
} SkHttpRequest;

GQuark   sk_http_error_quark (void);

/* The request runs on a worker thread; cancelling it takes effect within
 * 100 ms. */
void     sk_http_get_async   (const SkHttpRequest  *request,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
/* The body of a 200 answer.  final_url (may be NULL) receives the URL
 * after redirects. */
GBytes  *sk_http_get_finish  (GAsyncResult         *result,
                              char                **final_url,
                              GError              **error);

/* POSTs form (application/x-www-form-urlencoded, wiped when done) to the
 * request's URL, following no redirect, and gives back the answer's body
 * whatever its HTTP status, which goes to status: an OAuth 2.0 token
 * endpoint explains a refusal in the body of a 400.  The error is for what
 * gave no answer at all. */
void     sk_http_post_form_async  (const SkHttpRequest  *request,
                                   const char           *form,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
GBytes  *sk_http_post_form_finish (GAsyncResult         *result,
                                   guint                *status,
                                   GError              **error);

G_END_DECLS
