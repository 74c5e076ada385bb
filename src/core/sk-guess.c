/* sk-guess.c — finding a domain's mail servers by trying the usual names
 *
 * The names, ports and order follow Thunderbird's GuessConfig (see
 * facts/autoconfig.md §2.2): every try starts at once, each is judged by
 * its greeting and capabilities alone, and the best one wins as soon as
 * every better one has failed.  Unlike Thunderbird, port 25 is left out
 * (ISPs block it for their customers, and it is for servers, not people),
 * and a certificate made out to another host is followed to that host.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Detect"

#include "config.h"

#include <string.h>

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <openssl/x509.h>

#include "sk-account.h"
#include "sk-autoconfig.h"
#include "sk-core.h"
#include "sk-guess.h"
#include "sk-server-trust.h"

#define DEFAULT_PROBE_TIMEOUT 10
/* Past the probes' own limit: only a libcurl that ignores its timeouts
 * would reach this. */
#define EXTRA_SECONDS 5

typedef struct
{
  SkProtocol          protocol;
  guint               port;
  gboolean            implicit_tls;
  const char * const *prefixes;
} Kind;

static const char * const imap_prefixes[] = { "imap.", "mail.", "", NULL };
static const char * const pop3_prefixes[] = { "pop3.", "pop.", "mail.", "", NULL };
static const char * const smtp_prefixes[] = { "smtp.", "mail.", "", NULL };

static const Kind kinds[] = {
  { SK_PROTOCOL_IMAP, 993, TRUE, imap_prefixes },
  { SK_PROTOCOL_IMAP, 143, FALSE, imap_prefixes },
  { SK_PROTOCOL_POP3, 995, TRUE, pop3_prefixes },
  { SK_PROTOCOL_POP3, 110, FALSE, pop3_prefixes },
  { SK_PROTOCOL_SMTP, 465, TRUE, smtp_prefixes },
  { SK_PROTOCOL_SMTP, 587, FALSE, smtp_prefixes },
};

/* How good a server is, best first: any encryption before none, IMAP
 * before POP3, TLS from the start before STARTTLS.  Hosts keep their order
 * within a rank. */
static guint
rank (SkProtocol protocol,
      SkSecurity security)
{
  static const guint incoming[2][3] = {
    /* SSL, STARTTLS, none */
    { 0, 1, 4 },  /* IMAP */
    { 2, 3, 5 },  /* POP3 */
  };

  if (protocol == SK_PROTOCOL_SMTP)
    return security;

  return incoming[protocol == SK_PROTOCOL_POP3][security];
}

#define KEY(protocol, security, host_index) (rank (protocol, security) * 8 + (host_index))

typedef struct _Probe Probe;

struct _Probe
{
  SkProbe     record;
  SkTestSide  side;
  gboolean    implicit_tls;
  guint       host_index;
  guint       key;          /* of a success; the best it can still give
                             * while it runs */
  gboolean    done;
  gboolean    starttls_sent;
  gint64      started;
  Probe      *origin;       /* the try whose certificate named this host */
  CURL       *easy;
};

typedef struct
{
  char         *email;
  char         *domain;
  guint         probe_timeout;
  GPtrArray    *extra_cas;  /* X509 */
  GPtrArray    *probes;     /* Probe */
  CURLM        *multi;
  struct curl_slist *connect_to_list;
} Guess;

static void
probe_free (Probe *probe)
{
  g_clear_pointer (&probe->easy, curl_easy_cleanup);
  g_free (probe->record.host);
  g_free (probe->record.certificate_host);
  g_free (probe);
}

static void
guess_free (Guess *guess)
{
  if (guess->multi != NULL)
    {
      for (guint i = 0; i < guess->probes->len; i++)
        {
          Probe *probe = g_ptr_array_index (guess->probes, i);

          if (probe->easy != NULL)
            curl_multi_remove_handle (guess->multi, probe->easy);
        }
      curl_multi_cleanup (guess->multi);
    }
  g_ptr_array_unref (guess->probes);
  g_clear_pointer (&guess->extra_cas, g_ptr_array_unref);
  curl_slist_free_all (guess->connect_to_list);
  g_free (guess->email);
  g_free (guess->domain);
  g_free (guess);
}

const char *
sk_probe_outcome_to_string (SkProbeOutcome outcome)
{
  static const char * const names[] = {
    [SK_PROBE_FOUND] = "found",
    [SK_PROBE_NONE] = "none",
    [SK_PROBE_ERROR] = "error",
    [SK_PROBE_TIMEOUT] = "timeout",
    [SK_PROBE_CANCELLED] = "cancelled",
  };

  g_return_val_if_fail (outcome < G_N_ELEMENTS (names), NULL);

  return names[outcome];
}

void
sk_guess_result_free (SkGuessResult *result)
{
  if (result == NULL)
    return;

  g_ptr_array_unref (result->incoming);
  g_ptr_array_unref (result->outgoing);
  g_ptr_array_unref (result->notes);
  g_ptr_array_unref (result->probes);
  g_free (result);
}

/* Talking to one server */

/* Only what libcurl sends is looked at: the command that asks for
 * STARTTLS.  Nothing that comes in is kept. */
static int
debug_cb (CURL          *easy,
          curl_infotype  type,
          char          *data,
          size_t         size,
          void          *user_data)
{
  Probe *probe = user_data;
  g_autofree char *line = NULL;

  if (type != CURLINFO_HEADER_OUT)
    return 0;

  line = g_ascii_strup (data, MIN (size, 64));
  if (strstr (line, "STARTTLS") != NULL || g_str_has_prefix (line, "STLS"))
    probe->starttls_sent = TRUE;

  return 0;
}

static CURL *
make_handle (Guess *guess,
             Probe *probe)
{
  CURL *easy = curl_easy_init ();
  g_autofree char *url = NULL;
  long timeout_ms = guess->probe_timeout * 1000L;

  if (easy == NULL)
    g_error ("libcurl cannot create a handle: out of memory");

  url = g_strdup_printf ("%s://%s:%u", sk_protocol_url_scheme (probe->record.protocol, probe->implicit_tls),
                         probe->record.host, probe->record.port);
  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "imap,imaps,pop3,pop3s,smtp,smtps");
  /* With no user name set, libcurl stops after the greeting and the
   * capabilities (and STARTTLS): no login command can go out. */
  curl_easy_setopt (easy, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt (easy, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt (easy, CURLOPT_PROXY, "");
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt (easy, CURLOPT_QUICK_EXIT, 1L);
  if (guess->connect_to_list != NULL)
    curl_easy_setopt (easy, CURLOPT_CONNECT_TO, guess->connect_to_list);

  /* A STARTTLS port that does not offer STARTTLS is still recorded, as a
   * server without security; one that offers it must then verify. */
  curl_easy_setopt (easy, CURLOPT_USE_SSL, (long) CURLUSESSL_TRY);
  curl_easy_setopt (easy, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
  /* The certificate's names, to follow a hosting company's certificate. */
  curl_easy_setopt (easy, CURLOPT_CERTINFO, 1L);
  sk_system_trust_use (easy, guess->extra_cas);

  curl_easy_setopt (easy, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt (easy, CURLOPT_DEBUGFUNCTION, debug_cb);
  curl_easy_setopt (easy, CURLOPT_DEBUGDATA, probe);
  curl_easy_setopt (easy, CURLOPT_PRIVATE, probe);

  return easy;
}

static Probe *
add_probe (Guess      *guess,
           SkProtocol  protocol,
           const char *host,
           guint       port,
           gboolean    implicit_tls,
           guint       host_index,
           Probe      *origin)
{
  Probe *probe = g_new0 (Probe, 1);

  probe->record.protocol = protocol;
  probe->record.host = g_strdup (host);
  probe->record.port = port;
  probe->record.security = implicit_tls ? SK_SECURITY_SSL : SK_SECURITY_STARTTLS;
  probe->record.outcome = SK_PROBE_CANCELLED;
  probe->side = protocol == SK_PROTOCOL_SMTP ? SK_TEST_SIDE_OUTGOING : SK_TEST_SIDE_INCOMING;
  probe->implicit_tls = implicit_tls;
  probe->host_index = host_index;
  probe->key = KEY (protocol, probe->record.security, host_index);
  probe->origin = origin;
  probe->started = g_get_monotonic_time ();
  probe->easy = make_handle (guess, probe);

  g_ptr_array_add (guess->probes, probe);
  curl_multi_add_handle (guess->multi, probe->easy);

  return probe;
}

/* Certificates made out to another host */

static gboolean
name_matches (const char *pattern,
              const char *host)
{
  const char *dot;

  if (g_ascii_strcasecmp (pattern, host) == 0)
    return TRUE;

  /* "*.example.pl" stands for one label, as in RFC 6125. */
  if (!g_str_has_prefix (pattern, "*.") || (dot = strchr (host, '.')) == NULL)
    return FALSE;

  return g_ascii_strcasecmp (pattern + 1, dot) == 0;
}

/* The names of the server's certificate, from libcurl's text form of it:
 * "X509v3 Subject Alternative Name:DNS:a.example, DNS:b.example". */
static GStrv
certificate_names (CURL *easy)
{
  struct curl_certinfo *info = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (curl_easy_getinfo (easy, CURLINFO_CERTINFO, &info) != CURLE_OK
      || info == NULL || info->num_of_certs < 1)
    return NULL;

  for (struct curl_slist *item = info->certinfo[0]; item != NULL; item = item->next)
    {
      const char *value = strchr (item->data, ':');
      g_auto(GStrv) parts = NULL;

      if (value == NULL || !g_str_has_prefix (item->data, "X509v3 Subject Alternative Name:"))
        continue;

      parts = g_strsplit (value + 1, ",", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          const char *part = g_strstrip (parts[i]);

          if (g_str_has_prefix (part, "DNS:"))
            g_strv_builder_add (names, part + 4);
        }
    }

  return g_strv_builder_end (names);
}

/* The host the certificate was made out to instead of probe's host: the
 * first name that is a whole host name (a wildcard says nothing of which
 * host to use), or NULL when the certificate does name probe's host. */
static char *
other_certificate_host (Probe *probe)
{
  g_auto(GStrv) names = certificate_names (probe->easy);
  const char *other = NULL;

  if (names == NULL)
    return NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (name_matches (names[i], probe->record.host))
        return NULL;
      if (other == NULL && names[i][0] != '*' && sk_hostname_is_valid (names[i]))
        other = names[i];
    }

  return g_ascii_strdown (other != NULL ? other : "", -1);
}

/* Judging a try */

static SkProbeOutcome
outcome_of (CURLcode code)
{
  switch (code)
    {
    case CURLE_OK:
      return SK_PROBE_FOUND;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      return SK_PROBE_NONE;
    case CURLE_OPERATION_TIMEDOUT:
      return SK_PROBE_TIMEOUT;
    case CURLE_ABORTED_BY_CALLBACK:
      return SK_PROBE_CANCELLED;
    default:
      return SK_PROBE_ERROR;
    }
}

static gboolean
already_tried (Guess      *guess,
               const char *host,
               Probe      *like)
{
  for (guint i = 0; i < guess->probes->len; i++)
    {
      Probe *probe = g_ptr_array_index (guess->probes, i);

      if (probe->record.port == like->record.port
          && probe->record.protocol == like->record.protocol
          && g_ascii_strcasecmp (probe->record.host, host) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
finish_probe (Guess    *guess,
              Probe    *probe,
              CURLcode  code)
{
  probe->done = TRUE;
  probe->record.seconds = (g_get_monotonic_time () - probe->started) / (double) G_USEC_PER_SEC;
  probe->record.outcome = outcome_of (code);

  g_debug ("Guess %s://%s:%u: %s", sk_protocol_url_scheme (probe->record.protocol, probe->implicit_tls),
           probe->record.host, probe->record.port, curl_easy_strerror (code));

  if (code == CURLE_OK && !probe->implicit_tls && !probe->starttls_sent)
    probe->record.security = SK_SECURITY_NONE;
  probe->key = KEY (probe->record.protocol, probe->record.security, probe->host_index);

  /* A chain that checks out for a name that is not this host's: the
   * hosting company's own server name, most likely. */
  if (code == CURLE_PEER_FAILED_VERIFICATION && probe->origin == NULL)
    {
      g_autofree char *other = other_certificate_host (probe);

      if (other != NULL && *other != '\0')
        {
          probe->record.certificate_host = g_strdup (other);
          if (!already_tried (guess, other, probe))
            add_probe (guess, probe->record.protocol, other, probe->record.port,
                       probe->implicit_tls, probe->host_index, probe);
        }
    }

  curl_multi_remove_handle (guess->multi, probe->easy);
  g_clear_pointer (&probe->easy, curl_easy_cleanup);
}

/* TRUE when the best server of protocol is known: nothing still running
 * could give a better one.  Incoming decides IMAP and POP3 apart, so that
 * the other protocol is offered too (as Thunderbird keeps one). */
static gboolean
protocol_decided (Guess      *guess,
                  SkProtocol  protocol)
{
  guint best = G_MAXUINT;

  for (guint i = 0; i < guess->probes->len; i++)
    {
      Probe *probe = g_ptr_array_index (guess->probes, i);

      if (probe->record.protocol == protocol && probe->done
          && probe->record.outcome == SK_PROBE_FOUND)
        best = MIN (best, probe->key);
    }

  for (guint i = 0; i < guess->probes->len; i++)
    {
      Probe *probe = g_ptr_array_index (guess->probes, i);

      if (probe->record.protocol == protocol && !probe->done && probe->key < best)
        return FALSE;
    }

  return TRUE;
}

static void
run_probes (Guess        *guess,
            GCancellable *cancellable)
{
  GPollFD cancel_fd = { -1, 0, 0 };
  gboolean have_cancel_fd = g_cancellable_make_pollfd (cancellable, &cancel_fd);
  gint64 deadline = g_get_monotonic_time ()
                    + (guess->probe_timeout + EXTRA_SECONDS) * G_USEC_PER_SEC;

  for (;;)
    {
      struct curl_waitfd extra = { cancel_fd.fd, CURL_WAIT_POLLIN, 0 };
      CURLMsg *message;
      int n_running;
      int n_messages;

      if (g_cancellable_is_cancelled (cancellable) || g_get_monotonic_time () > deadline)
        break;

      curl_multi_perform (guess->multi, &n_running);
      while ((message = curl_multi_info_read (guess->multi, &n_messages)) != NULL)
        {
          Probe *probe = NULL;

          if (message->msg != CURLMSG_DONE)
            continue;
          curl_easy_getinfo (message->easy_handle, CURLINFO_PRIVATE, (char **) &probe);
          finish_probe (guess, probe, message->data.result);
        }

      if (protocol_decided (guess, SK_PROTOCOL_IMAP) && protocol_decided (guess, SK_PROTOCOL_POP3)
          && protocol_decided (guess, SK_PROTOCOL_SMTP))
        break;

      curl_multi_poll (guess->multi, have_cancel_fd ? &extra : NULL, have_cancel_fd ? 1 : 0,
                       100, NULL);
    }

  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);

  /* What still runs is no longer needed (or the caller gave up). */
  for (guint i = 0; i < guess->probes->len; i++)
    {
      Probe *probe = g_ptr_array_index (guess->probes, i);

      if (!probe->done)
        finish_probe (guess, probe, g_cancellable_is_cancelled (cancellable)
                                    || g_get_monotonic_time () <= deadline
                                    ? CURLE_ABORTED_BY_CALLBACK : CURLE_OPERATION_TIMEDOUT);
    }
}

/* The result */

static gint
compare_keys (gconstpointer a,
              gconstpointer b)
{
  const Probe *pa = *(Probe **) a;
  const Probe *pb = *(Probe **) b;

  return (pa->key > pb->key) - (pa->key < pb->key);
}

static SkServer *
server_from_probe (Guess *guess,
                   Probe *probe)
{
  SkServer *server = sk_server_new (probe->record.protocol);

  g_free (server->host);
  server->host = g_strdup (probe->record.host);
  server->port = probe->record.port;
  server->security = probe->record.security;
  /* What most providers and every hosting panel use; the person sees it
   * and can change it. */
  sk_server_set_login (server, guess->email, NULL);
  g_clear_pointer (&server->password, g_free);

  return server;
}

static void
add_notes (GPtrArray *notes,
           Probe     *probe,
           gboolean   first)
{
  if (probe->origin != NULL)
    g_ptr_array_add (notes, g_strdup_printf (
      /* TRANSLATORS: the first %s is the server name that was tried
       * (mail.firma.pl), the second the name in its certificate
       * (serwer123.hosting.pl) */
      _("%s answers with a certificate made out to %s, the name of the same server at "
        "your hosting company. These settings use %s, whose certificate is valid."),
      probe->origin->record.host, probe->record.host, probe->record.host));

  if (first && probe->record.security == SK_SECURITY_NONE)
    g_ptr_array_add (notes, g_strdup_printf (
      /* TRANSLATORS: %s is a server name */
      _("%s offers no encrypted connection: the password would cross the network readable "
        "by others. Ask your provider or IT support whether a secure server exists."),
      probe->record.host));
}

static void
probe_record_free (SkProbe *record)
{
  g_free (record->host);
  g_free (record->certificate_host);
  g_free (record);
}

static SkGuessResult *
make_result (Guess *guess)
{
  SkGuessResult *result = g_new0 (SkGuessResult, 1);
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  result->incoming = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_server_free);
  result->outgoing = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_server_free);
  result->notes = g_ptr_array_new_with_free_func (g_free);
  result->probes = g_ptr_array_new_with_free_func ((GDestroyNotify) probe_record_free);

  for (guint i = 0; i < guess->probes->len; i++)
    {
      Probe *probe = g_ptr_array_index (guess->probes, i);

      if (probe->record.outcome == SK_PROBE_FOUND)
        g_ptr_array_add (found, probe);
    }

  g_ptr_array_sort (found, compare_keys);
  for (guint i = 0; i < found->len; i++)
    {
      Probe *probe = g_ptr_array_index (found, i);
      GPtrArray *list = probe->side == SK_TEST_SIDE_INCOMING ? result->incoming : result->outgoing;

      add_notes (result->notes, probe, list->len == 0);
      g_ptr_array_add (list, server_from_probe (guess, probe));
    }

  for (guint i = 0; i < guess->probes->len; i++)
    {
      Probe *probe = g_ptr_array_index (guess->probes, i);
      SkProbe *record = g_memdup2 (&probe->record, sizeof probe->record);

      /* The strings move to the result's copy. */
      probe->record.host = NULL;
      probe->record.certificate_host = NULL;
      g_ptr_array_add (result->probes, record);
    }

  return result;
}

/* Running it */

static void
guess_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Guess *guess = task_data;
  g_autoptr(GCancellable) own = cancellable == NULL ? g_cancellable_new () : NULL;

  sk_core_ensure_curl ();
  guess->multi = curl_multi_init ();
  if (guess->multi == NULL)
    g_error ("libcurl cannot create a handle: out of memory");

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      for (guint h = 0; kinds[k].prefixes[h] != NULL; h++)
        {
          g_autofree char *host = g_strconcat (kinds[k].prefixes[h], guess->domain, NULL);

          add_probe (guess, kinds[k].protocol, host, kinds[k].port, kinds[k].implicit_tls, h, NULL);
        }
    }

  run_probes (guess, cancellable != NULL ? cancellable : own);

  g_task_return_pointer (task, make_result (guess), (GDestroyNotify) sk_guess_result_free);
}

void
sk_guess_async (const char           *email,
                const SkGuessOptions *options,
                GCancellable         *cancellable,
                GAsyncReadyCallback   callback,
                gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *domain = NULL;
  Guess *guess;

  g_return_if_fail (email != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_guess_async);

  if (!sk_email_is_valid (email) || !sk_address_split (email, NULL, &domain))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Check the e-mail address: it should look like office@example.com, "
                                 "with no spaces."));
      return;
    }

  guess = g_new0 (Guess, 1);
  guess->email = g_strdup (email);
  guess->domain = g_hostname_to_ascii (domain);
  guess->probe_timeout = options != NULL && options->probe_timeout > 0
                         ? options->probe_timeout : DEFAULT_PROBE_TIMEOUT;
  guess->probes = g_ptr_array_new_with_free_func ((GDestroyNotify) probe_free);
  guess->extra_cas = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  g_task_set_task_data (task, guess, (GDestroyNotify) guess_free);

  if (guess->domain == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Check the e-mail address: it should look like office@example.com, "
                                 "with no spaces."));
      return;
    }

  if (options != NULL && options->cafile != NULL)
    {
      g_autoptr(GPtrArray) cas = sk_server_trust_load_cas (options->cafile, &error);

      if (cas == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_extend_and_steal (guess->extra_cas, g_steal_pointer (&cas));
    }

  for (guint i = 0; options != NULL && options->connect_to != NULL && options->connect_to[i] != NULL; i++)
    guess->connect_to_list = curl_slist_append (guess->connect_to_list, options->connect_to[i]);

  g_task_run_in_thread (task, guess_thread);
}

SkGuessResult *
sk_guess_finish (GAsyncResult  *result,
                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_guess_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
