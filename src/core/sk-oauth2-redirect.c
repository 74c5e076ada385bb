/* sk-oauth2-redirect.c — where the browser comes back after signing in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-SignIn"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-oauth2.h"
#include "sk-oauth2-redirect-private.h"

/* A browser's request line and headers fit in this; more is not a
 * browser's. */
#define MAX_REQUEST 16384
/* A connection that says nothing (a browser's spare one) is closed after
 * this, without ending the wait. */
#define CONNECTION_TIMEOUT_SECONDS 30

struct _SkOAuth2Redirect
{
  GObject            parent_instance;

  char              *state;
  char              *uri;
  GSocketListener   *listener;
  GCancellable      *accepting;   /* stops accepting and every connection */
  GTask             *task;        /* the wait, while it waits */
  GCancellable      *cancellable; /* the caller's, while it waits */
  gulong             cancelled_id;
  guint              timeout_id;
  GList             *connections; /* Connection, while they are read */
};

G_DEFINE_FINAL_TYPE (SkOAuth2Redirect, sk_oauth2_redirect, G_TYPE_OBJECT)

typedef struct
{
  SkOAuth2Redirect  *self;
  GSocketConnection *connection;
  GCancellable      *cancellable;
  GByteArray        *request;
  guint8             buffer[2048];
  guint              timeout_id;
} Connection;

static void accept_next (SkOAuth2Redirect *self);

static void
connection_free (Connection *conn)
{
  conn->self->connections = g_list_remove (conn->self->connections, conn);
  g_clear_handle_id (&conn->timeout_id, g_source_remove);
  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
  g_object_unref (conn->connection);
  g_object_unref (conn->cancellable);
  g_byte_array_unref (conn->request);
  g_object_unref (conn->self);
  g_free (conn);
}

/* Ends the wait (once) and stops listening. */
static void
finish (SkOAuth2Redirect *self,
        char             *code,
        GError           *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->accepting);
  /* Connections still being read have nothing more to bring. */
  for (GList *l = self->connections; l != NULL; l = l->next)
    g_cancellable_cancel (((Connection *) l->data)->cancellable);
  g_socket_listener_close (self->listener);

  if (task == NULL)
    {
      g_free (code);
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, code, g_free);
}

/* The page */

static char *
page (const char *title,
      const char *text)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_text = g_markup_escape_text (text, -1);
  /* TRANSLATORS: the language of the page the browser shows after signing in */
  const char *language = C_("html-lang", "en");

  return g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                          "<title>%s</title><style>body{font-family:sans-serif;margin:4em auto;"
                          "max-width:36em;line-height:1.5}</style></head>"
                          "<body><h1>%s</h1><p>%s</p></body></html>\n",
                          language, escaped_title, escaped_title, escaped_text);
}

static void
written (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Connection *conn = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  connection_free (conn);
}

static void
respond (Connection *conn,
         guint       status,
         const char *title,
         const char *text)
{
  g_autofree char *body = page (title, text);
  const char *reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request";
  char *response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                    "Content-Type: text/html; charset=utf-8\r\n"
                                    "Content-Length: %zu\r\n"
                                    "Cache-Control: no-store\r\n"
                                    "Connection: close\r\n\r\n%s",
                                    status, reason, strlen (body), body);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));

  g_clear_handle_id (&conn->timeout_id, g_source_remove);
  /* The answer goes out even once the wait is over. */
  g_output_stream_write_all_async (out, response, strlen (response), G_PRIORITY_DEFAULT,
                                   NULL, written, conn);
  g_object_set_data_full (G_OBJECT (conn->connection), "sk-response", response, g_free);
}

/* The request */

/* The query of "GET /?… HTTP/1.1", or NULL for anything else. */
static char *
request_query (const char *head)
{
  g_autofree char *line = NULL;
  const char *end = strstr (head, "\r\n");
  g_auto(GStrv) parts = NULL;
  const char *target;

  line = end != NULL ? g_strndup (head, end - head) : g_strdup (head);
  parts = g_strsplit (line, " ", 4);
  if (g_strv_length (parts) != 3 || strcmp (parts[0], "GET") != 0
      || !g_str_has_prefix (parts[2], "HTTP/1."))
    return NULL;

  target = parts[1];
  if (strcmp (target, "/") == 0)
    return g_strdup ("");
  if (!g_str_has_prefix (target, "/?"))
    return NULL;

  return g_strdup (target + 2);
}

SkRedirectRequest
sk_oauth2_redirect_read (const char  *head,
                         const char  *state,
                         char       **code,
                         GError     **refusal)
{
  g_autofree char *query = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *their_state;
  const char *their_code;
  const char *error_code;

  g_return_val_if_fail (head != NULL && state != NULL, SK_REDIRECT_ELSEWHERE);
  g_return_val_if_fail (code != NULL && *code == NULL, SK_REDIRECT_ELSEWHERE);

  query = request_query (head);
  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (params == NULL)
    return SK_REDIRECT_ELSEWHERE;

  their_state = g_hash_table_lookup (params, "state");
  their_code = g_hash_table_lookup (params, "code");
  error_code = g_hash_table_lookup (params, "error");
  if (g_strcmp0 (their_state, state) != 0
      || (their_code == NULL && error_code == NULL)
      || (their_code != NULL && *their_code == '\0'))
    return SK_REDIRECT_STRANGER;

  if (error_code != NULL)
    {
      g_propagate_error (refusal, sk_oauth2_error_from_redirect (error_code,
                                                                 g_hash_table_lookup (params, "error_description")));
      return SK_REDIRECT_REFUSED;
    }

  *code = g_strdup (their_code);
  return SK_REDIRECT_CODE;
}

static void
handle_request (Connection *conn,
                const char *head)
{
  SkOAuth2Redirect *self = conn->self;
  g_autofree char *code = NULL;
  GError *refusal = NULL;
  SkRedirectRequest request = sk_oauth2_redirect_read (head, self->state, &code, &refusal);

  /* A return after the sign-in ended is no longer this sign-in's. */
  if (self->task == NULL && request != SK_REDIRECT_ELSEWHERE)
    {
      g_clear_error (&refusal);
      request = SK_REDIRECT_STRANGER;
    }

  switch (request)
    {
    case SK_REDIRECT_ELSEWHERE:
      respond (conn, 404, _("Nothing here"),
               _("This address is only for returning to Skrzynka after signing in."));
      break;

    case SK_REDIRECT_STRANGER:
      respond (conn, 400, _("This sign-in is not Skrzynka’s"),
               _("This page did not come from the sign-in Skrzynka started, so it was ignored. "
                 "Go back to Skrzynka and click Sign in again if you still need to."));
      break;

    case SK_REDIRECT_REFUSED:
      respond (conn, 200, _("Not signed in"),
               _("The sign-in was not completed. You can close this tab and go back to Skrzynka."));
      finish (self, NULL, refusal);
      break;

    case SK_REDIRECT_CODE:
    default:
      respond (conn, 200, _("Signed in"),
               _("You are signed in. You can close this tab and go back to Skrzynka."));
      finish (self, g_steal_pointer (&code), NULL);
      break;
    }
}

static void read_more (Connection *conn);

static void
read_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Connection *conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  const char *end;

  if (n <= 0)
    {
      connection_free (conn);
      return;
    }

  g_byte_array_append (conn->request, conn->buffer, n);
  if (memchr (conn->request->data, '\0', conn->request->len) != NULL
      || conn->request->len > MAX_REQUEST)
    {
      connection_free (conn);
      return;
    }

  g_byte_array_append (conn->request, (const guint8 *) "", 1);
  end = g_strstr_len ((const char *) conn->request->data, -1, "\r\n\r\n");
  g_byte_array_set_size (conn->request, conn->request->len - 1);
  if (end == NULL)
    {
      read_more (conn);
      return;
    }

  g_byte_array_append (conn->request, (const guint8 *) "", 1);
  handle_request (conn, (const char *) conn->request->data);
}

static void
read_more (Connection *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  g_input_stream_read_async (in, conn->buffer, sizeof conn->buffer, G_PRIORITY_DEFAULT,
                             conn->cancellable, read_done, conn);
}

static gboolean
connection_timed_out (gpointer user_data)
{
  Connection *conn = user_data;

  conn->timeout_id = 0;
  /* The pending read returns, and frees it. */
  g_cancellable_cancel (conn->cancellable);

  return G_SOURCE_REMOVE;
}

static void
accepted (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SkOAuth2Redirect) self = user_data;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;
  Connection *conn;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, &error);
  if (connection == NULL)
    return;

  conn = g_new0 (Connection, 1);
  conn->self = g_object_ref (self);
  conn->connection = connection;
  conn->cancellable = g_cancellable_new ();
  conn->request = g_byte_array_new ();
  self->connections = g_list_prepend (self->connections, conn);
  conn->timeout_id = g_timeout_add_seconds (CONNECTION_TIMEOUT_SECONDS, connection_timed_out, conn);
  read_more (conn);

  accept_next (self);
}

static void
accept_next (SkOAuth2Redirect *self)
{
  g_socket_listener_accept_async (self->listener, self->accepting, accepted, g_object_ref (self));
}

/* The object */

static void
sk_oauth2_redirect_dispose (GObject *object)
{
  SkOAuth2Redirect *self = SK_OAUTH2_REDIRECT (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->accepting != NULL)
    g_cancellable_cancel (self->accepting);
  if (self->listener != NULL)
    g_socket_listener_close (self->listener);

  G_OBJECT_CLASS (sk_oauth2_redirect_parent_class)->dispose (object);
}

static void
sk_oauth2_redirect_finalize (GObject *object)
{
  SkOAuth2Redirect *self = SK_OAUTH2_REDIRECT (object);

  g_clear_object (&self->listener);
  g_clear_object (&self->accepting);
  g_free (self->state);
  g_free (self->uri);

  G_OBJECT_CLASS (sk_oauth2_redirect_parent_class)->finalize (object);
}

static void
sk_oauth2_redirect_class_init (SkOAuth2RedirectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sk_oauth2_redirect_dispose;
  object_class->finalize = sk_oauth2_redirect_finalize;
}

static void
sk_oauth2_redirect_init (SkOAuth2Redirect *self)
{
  self->listener = g_socket_listener_new ();
  self->accepting = g_cancellable_new ();
}

SkOAuth2Redirect *
sk_oauth2_redirect_new (const char  *state,
                        GError     **error)
{
  g_autoptr(SkOAuth2Redirect) self = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (state != NULL && *state != '\0', NULL);

  self = g_object_new (SK_TYPE_OAUTH2_REDIRECT, NULL);
  self->state = g_strdup (state);

  /* The IP literal, not "localhost" (RFC 8252 §8.3): no name lookup can
   * send the browser elsewhere. */
  if (!g_socket_listener_add_address (self->listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, error))
    return NULL;

  self->uri = g_strdup_printf ("http://127.0.0.1:%u/",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  return g_steal_pointer (&self);
}

const char *
sk_oauth2_redirect_get_uri (SkOAuth2Redirect *self)
{
  g_return_val_if_fail (SK_IS_OAUTH2_REDIRECT (self), NULL);

  return self->uri;
}

static gboolean
wait_timed_out (gpointer user_data)
{
  SkOAuth2Redirect *self = user_data;

  self->timeout_id = 0;
  finish (self, NULL, g_error_new_literal (SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_TIMED_OUT,
                                           _("No answer came from the browser in time. "
                                             "Click Sign in to try again.")));

  return G_SOURCE_REMOVE;
}

static gboolean
finish_cancelled (gpointer user_data)
{
  SkOAuth2Redirect *self = user_data;

  finish (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The sign-in was cancelled.")));

  return G_SOURCE_REMOVE;
}

/* Possibly on another thread: the wait ends from the waiting context. */
static void
wait_cancelled (GCancellable *cancellable,
                gpointer      user_data)
{
  SkOAuth2Redirect *self = user_data;
  g_autoptr(GSource) source = g_idle_source_new ();

  /* Never at once: finishing disconnects this handler, which must not
   * happen from inside it. */
  g_source_set_callback (source, finish_cancelled, g_object_ref (self), g_object_unref);
  g_source_attach (source, g_task_get_context (self->task));
}

void
sk_oauth2_redirect_wait_async (SkOAuth2Redirect    *self,
                               guint                timeout_seconds,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SK_IS_OAUTH2_REDIRECT (self));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_oauth2_redirect_wait_async);

  if (g_cancellable_is_cancelled (self->accepting))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "This sign-in has already ended");
      return;
    }

  self->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (wait_cancelled),
                                                  self, NULL);
    }
  /* Cancelled already, and so over. */
  if (self->task == NULL)
    return;
  self->timeout_id = g_timeout_add_seconds (timeout_seconds, wait_timed_out, self);
  accept_next (self);
}

char *
sk_oauth2_redirect_wait_finish (SkOAuth2Redirect  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (SK_IS_OAUTH2_REDIRECT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
