/* sk-detect.c — which servers an e-mail address most likely uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Detect"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-detect.h"
#include "sk-format.h"
#include "sk-core.h"
#include "sk-providers.h"

/* All of the DNS part together: long enough for a slow resolver, short
 * enough that the offer still arrives while the person looks at the form.
 * Running out of time means "nothing found", not an error. */
#define TIME_LIMIT_MS 3000

/* Google's own settings, DESIGN.md "Presets and detection". */
#define GOOGLE_IMAP_HOST "imap.gmail.com"
#define GOOGLE_POP3_HOST "pop.gmail.com"
#define GOOGLE_SMTP_HOST "smtp.gmail.com"

/* RFC 6186 services, in the order of the SRV lookups.  For each protocol
 * the implicit-TLS service comes first: it is preferred (RFC 8314). */
typedef enum
{
  SRV_IMAPS,
  SRV_IMAP,
  SRV_POP3S,
  SRV_POP3,
  SRV_SUBMISSIONS,
  SRV_SUBMISSION,
  N_SRV
} SrvService;

static const struct
{
  const char *service;
  SkProtocol  protocol;
  SkSecurity  security;
} srv_services[N_SRV] = {
  [SRV_IMAPS] = { "imaps", SK_PROTOCOL_IMAP, SK_SECURITY_SSL },
  [SRV_IMAP] = { "imap", SK_PROTOCOL_IMAP, SK_SECURITY_STARTTLS },
  [SRV_POP3S] = { "pop3s", SK_PROTOCOL_POP3, SK_SECURITY_SSL },
  [SRV_POP3] = { "pop3", SK_PROTOCOL_POP3, SK_SECURITY_STARTTLS },
  [SRV_SUBMISSIONS] = { "submissions", SK_PROTOCOL_SMTP, SK_SECURITY_SSL },
  [SRV_SUBMISSION] = { "submission", SK_PROTOCOL_SMTP, SK_SECURITY_STARTTLS },
};

/* The state of one detection that goes to DNS. */
typedef struct
{
  char             *domain;         /* ASCII, lower case */
  char             *display_domain; /* as typed, lower case */
  GCancellable     *lookups;        /* cancels every lookup: caller or time limit */
  GCancellable     *caller;
  gulong            caller_handler;
  GSource          *time_limit;
  guint             pending;
  gboolean          google_mx;
  const SkProvider *mx_provider;    /* the table's entry for the MX host */
  SkServer         *srv[N_SRV];
} Detect;

static SkServer *
copy_server (const SkServer *server)
{
  return server != NULL ? sk_server_copy (server) : NULL;
}

static SkDetection *
detection_new (SkDetectSource  source,
               const char     *provider)
{
  SkDetection *detection = g_new0 (SkDetection, 1);

  detection->source = source;
  detection->provider = g_strdup (provider);

  return detection;
}

void
sk_detection_free (SkDetection *detection)
{
  if (detection == NULL)
    return;

  g_free (detection->provider);
  sk_server_free (detection->imap);
  sk_server_free (detection->pop3);
  sk_server_free (detection->smtp);
  g_free (detection);
}

/* A server without a login. */
static SkServer *
server_new (SkProtocol  protocol,
            const char *host,
            guint       port,
            SkSecurity  security)
{
  SkServer *server = sk_server_new (protocol);

  g_free (server->host);
  server->host = g_strdup (host);
  server->port = port;
  server->security = security;

  return server;
}

SkDetection *
sk_detection_new_google (SkDetectSource source)
{
  SkDetection *detection;

  g_return_val_if_fail (source == SK_DETECT_SOURCE_GMAIL
                        || source == SK_DETECT_SOURCE_WORKSPACE, NULL);

  /* Brand names: not translated. */
  detection = detection_new (source,
                             source == SK_DETECT_SOURCE_GMAIL ? "Gmail" : "Google Workspace");
  detection->google = TRUE;
  detection->imap = server_new (SK_PROTOCOL_IMAP, GOOGLE_IMAP_HOST, 993, SK_SECURITY_SSL);
  detection->pop3 = server_new (SK_PROTOCOL_POP3, GOOGLE_POP3_HOST, 995, SK_SECURITY_SSL);
  detection->smtp = server_new (SK_PROTOCOL_SMTP, GOOGLE_SMTP_HOST, 465, SK_SECURITY_SSL);
  detection->username_is_email = TRUE;

  return detection;
}

/* The domain of email, stripped and in lower case, or NULL when email is
 * not an address. */
static char *
email_domain (const char *email)
{
  g_autofree char *trimmed = NULL;
  const char *at;

  if (email == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (email));
  if (!sk_email_is_valid (trimmed))
    return NULL;

  at = strrchr (trimmed, '@');
  return g_utf8_strdown (at + 1, -1);
}

gboolean
sk_email_is_gmail (const char *email)
{
  g_autofree char *domain = email_domain (email);

  return g_strcmp0 (domain, "gmail.com") == 0 || g_strcmp0 (domain, "googlemail.com") == 0;
}

/* The built-in table */

static SkDetection *
detection_from_provider (const SkProvider *provider)
{
  SkDetection *detection = detection_new (SK_DETECT_SOURCE_BUILTIN,
                                          sk_provider_get_name (provider));

  detection->imap = copy_server (sk_provider_get_server (provider, SK_PROTOCOL_IMAP));
  detection->pop3 = copy_server (sk_provider_get_server (provider, SK_PROTOCOL_POP3));
  detection->smtp = copy_server (sk_provider_get_server (provider, SK_PROTOCOL_SMTP));
  detection->username_is_email = sk_provider_username_is_email (provider);

  return detection;
}

/* A detection fills in servers for a password: an entry that offers only
 * sign-in would fill in servers that then refuse every password. */
static const SkProvider *
password_provider (const SkProvider *provider)
{
  return provider != NULL && sk_provider_get_oauth2 (provider) == NULL ? provider : NULL;
}

/* DNS */

static void
detect_free (Detect *detect)
{
  /* Never called from inside the caller's "cancelled" emission: the task
   * returns from an idle (see complete()), so disconnecting is safe. */
  if (detect->caller != NULL)
    g_cancellable_disconnect (detect->caller, detect->caller_handler);
  g_clear_object (&detect->caller);

  if (detect->time_limit != NULL)
    g_source_destroy (detect->time_limit);
  g_clear_pointer (&detect->time_limit, g_source_unref);

  g_clear_object (&detect->lookups);
  g_free (detect->domain);
  g_free (detect->display_domain);
  for (guint i = 0; i < N_SRV; i++)
    sk_server_free (detect->srv[i]);
  g_free (detect);
}

static void
caller_cancelled (GCancellable *caller,
                  GCancellable *lookups)
{
  g_cancellable_cancel (lookups);
}

static gboolean
time_limit_reached (gpointer data)
{
  GTask *task = data;
  Detect *detect = g_task_get_task_data (task);

  g_debug ("Detection for %s ran out of time", detect->domain);
  g_cancellable_cancel (detect->lookups);
  g_clear_pointer (&detect->time_limit, g_source_unref);

  return G_SOURCE_REMOVE;
}

static SkDetection *
detection_from_dns (Detect *detect)
{
  SkDetection *detection;
  const SkServer *imap;
  const SkServer *pop3;
  const SkServer *smtp;

  if (detect->google_mx)
    return sk_detection_new_google (SK_DETECT_SOURCE_WORKSPACE);
  if (detect->mx_provider != NULL)
    return detection_from_provider (detect->mx_provider);

  imap = detect->srv[SRV_IMAPS] != NULL ? detect->srv[SRV_IMAPS] : detect->srv[SRV_IMAP];
  pop3 = detect->srv[SRV_POP3S] != NULL ? detect->srv[SRV_POP3S] : detect->srv[SRV_POP3];
  smtp = detect->srv[SRV_SUBMISSIONS] != NULL
           ? detect->srv[SRV_SUBMISSIONS] : detect->srv[SRV_SUBMISSION];

  if (imap == NULL && pop3 == NULL && smtp == NULL)
    return detection_new (SK_DETECT_SOURCE_NONE, NULL);

  /* No brand to show: the domain itself published these servers. */
  detection = detection_new (SK_DETECT_SOURCE_SRV, detect->display_domain);
  detection->imap = copy_server (imap);
  detection->pop3 = copy_server (pop3);
  detection->smtp = copy_server (smtp);
  /* What nearly every server that publishes SRV records expects; the
   * person sees it on the Servers tab and can change it. */
  detection->username_is_email = TRUE;

  return detection;
}

static gboolean
return_result (gpointer data)
{
  GTask *task = data;
  Detect *detect = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  g_task_return_pointer (task, detection_from_dns (detect), (GDestroyNotify) sk_detection_free);
  return G_SOURCE_REMOVE;
}

/* Called when the last lookup is back.  The result goes out from an idle:
 * a lookup can finish inside the caller's g_cancellable_cancel(), and the
 * caller's callback must not run (and free the task) in there. */
static void
complete (GTask *task)
{
  Detect *detect = g_task_get_task_data (task);
  g_autoptr(GSource) idle = NULL;

  if (detect->time_limit != NULL)
    g_source_destroy (detect->time_limit);
  g_clear_pointer (&detect->time_limit, g_source_unref);

  idle = g_idle_source_new ();
  g_task_attach_source (task, idle, return_result);
}

static void
lookup_done (GTask *task)
{
  Detect *detect = g_task_get_task_data (task);

  g_assert (detect->pending > 0);
  detect->pending--;

  if (detect->pending == 0)
    complete (task);
}

static void
mx_looked_up (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  Detect *detect = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *records;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  if (error != NULL)
    g_debug ("No MX records for %s: %s", detect->domain, error->message);

  for (GList *l = records; l != NULL; l = l->next)
    {
      const char *exchange = NULL;
      guint16 preference;

      g_variant_get (l->data, "(q&s)", &preference, &exchange);
      if (sk_mx_is_google (exchange))
        detect->google_mx = TRUE;
      else if (detect->mx_provider == NULL)
        detect->mx_provider = password_provider (sk_provider_find_for_mx (exchange));
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  /* The answer is known: the SRV records no longer matter. */
  if (detect->google_mx || detect->mx_provider != NULL)
    g_cancellable_cancel (detect->lookups);

  lookup_done (task);
}

/* The target to use: the lowest priority, then the highest weight.  "." is
 * RFC 6186's way of saying the service is not offered. */
static GSrvTarget *
pick_target (GList *targets)
{
  GSrvTarget *best = NULL;

  for (GList *l = targets; l != NULL; l = l->next)
    {
      GSrvTarget *target = l->data;
      const char *host = g_srv_target_get_hostname (target);

      if (host == NULL || host[0] == '\0' || g_str_equal (host, ".")
          || g_srv_target_get_port (target) == 0)
        continue;

      if (best == NULL
          || g_srv_target_get_priority (target) < g_srv_target_get_priority (best)
          || (g_srv_target_get_priority (target) == g_srv_target_get_priority (best)
              && g_srv_target_get_weight (target) > g_srv_target_get_weight (best)))
        best = target;
    }

  return best;
}

typedef struct
{
  GTask      *task;
  SrvService  service;
} SrvLookup;

static void
srv_looked_up (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  SrvLookup *lookup = data;
  g_autoptr(GTask) task = lookup->task;
  SrvService service = lookup->service;
  Detect *detect = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *targets;
  GSrvTarget *target;

  g_free (lookup);

  targets = g_resolver_lookup_service_finish (G_RESOLVER (object), result, &error);
  if (error != NULL)
    g_debug ("No _%s._tcp record for %s: %s",
             srv_services[service].service, detect->domain, error->message);

  target = pick_target (targets);
  if (target != NULL)
    {
      g_autofree char *host = g_ascii_strdown (g_srv_target_get_hostname (target), -1);
      gsize len = strlen (host);

      if (host[len - 1] == '.')
        host[len - 1] = '\0';

      if (sk_hostname_is_valid (host))
        {
          sk_server_free (detect->srv[service]);
          detect->srv[service] = server_new (srv_services[service].protocol, host,
                                             g_srv_target_get_port (target),
                                             srv_services[service].security);
        }
    }
  g_list_free_full (targets, (GDestroyNotify) g_srv_target_free);

  lookup_done (task);
}

static void
start_lookups (GTask *task)
{
  Detect *detect = g_task_get_task_data (task);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  detect->time_limit = g_timeout_source_new (TIME_LIMIT_MS);
  g_task_attach_source (task, detect->time_limit, time_limit_reached);

  /* All at once: the time limit covers the slowest, not their sum. */
  detect->pending = 1 + N_SRV;
  g_resolver_lookup_records_async (resolver, detect->domain, G_RESOLVER_RECORD_MX,
                                   detect->lookups, mx_looked_up, g_object_ref (task));

  for (guint i = 0; i < N_SRV; i++)
    {
      SrvLookup *lookup = g_new0 (SrvLookup, 1);

      lookup->task = g_object_ref (task);
      lookup->service = i;
      g_resolver_lookup_service_async (resolver, srv_services[i].service, "tcp",
                                       detect->domain, detect->lookups,
                                       srv_looked_up, lookup);
    }
}

void
sk_detect_async (const char          *email,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *ascii = NULL;
  const SkProvider *provider;
  Detect *detect;

  g_return_if_fail (email != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_detect_async);
  g_task_set_name (task, "[skrzynka] sk_detect_async");

  if (g_task_return_error_if_cancelled (task))
    return;

  domain = email_domain (email);
  if (domain != NULL)
    ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Check the e-mail address: it should look like "
                                 "office@example.com, with no spaces."));
      return;
    }

  if (sk_email_is_gmail (email))
    {
      g_task_return_pointer (task, sk_detection_new_google (SK_DETECT_SOURCE_GMAIL),
                             (GDestroyNotify) sk_detection_free);
      return;
    }

  provider = password_provider (sk_provider_find_for_domain (ascii));
  if (provider != NULL)
    {
      g_task_return_pointer (task, detection_from_provider (provider),
                             (GDestroyNotify) sk_detection_free);
      return;
    }

  detect = g_new0 (Detect, 1);
  detect->domain = g_steal_pointer (&ascii);
  detect->display_domain = g_steal_pointer (&domain);
  detect->lookups = g_cancellable_new ();
  g_task_set_task_data (task, detect, (GDestroyNotify) detect_free);

  if (cancellable != NULL)
    {
      detect->caller = g_object_ref (cancellable);
      detect->caller_handler = g_cancellable_connect (cancellable,
                                                      G_CALLBACK (caller_cancelled),
                                                      detect->lookups, NULL);
    }

  start_lookups (task);
}

SkDetection *
sk_detect_finish (GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_detect_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
add_found (GPtrArray      *list,
           const SkServer *server,
           const char     *username)
{
  SkServer *copy;

  if (server == NULL)
    return;

  copy = sk_server_copy (server);
  if (copy->port == 0)
    copy->port = sk_protocol_standard_port (copy->protocol, copy->security);
  g_free (copy->username);
  copy->username = g_strdup (username);
  g_ptr_array_add (list, sk_found_server_new (copy, SK_LOGIN_PASSWORD));
}

SkAutoconfig *
sk_detection_to_autoconfig (const SkDetection *detection,
                            const char        *address)
{
  g_autofree char *local_part = NULL;
  SkAutoconfig *config;
  const char *username;

  g_return_val_if_fail (detection != NULL, NULL);

  if (!sk_address_split (address, &local_part, NULL))
    return NULL;

  username = detection->username_is_email ? address : local_part;
  config = sk_autoconfig_new ();
  config->display_name = g_strdup (detection->provider);
  add_found (config->incoming, detection->imap, username);
  add_found (config->incoming, detection->pop3, username);
  add_found (config->outgoing, detection->smtp, username);

  return config;
}

/* Applying a detection */

/* Where found differs from server, takes its host, port and security, and
 * says so in changes. */
static gboolean
take_server (SkServer       *server,
             const SkServer *found,
             GPtrArray      *changes)
{
  guint port = found->port != 0 ? found->port
                                : sk_protocol_standard_port (found->protocol, found->security);

  if (g_strcmp0 (server->host, found->host) == 0
      && server->port == port
      && server->security == found->security)
    return FALSE;

  g_free (server->host);
  server->host = g_strdup (found->host);
  server->port = port;
  server->security = found->security;

  if (server->protocol == SK_PROTOCOL_SMTP)
    g_ptr_array_add (changes,
                     /* Translators: one item of "Filled in: …", as
                      * "incoming server %s (port %u, %s)". */
                     g_strdup_printf (_("outgoing server %s (port %u, %s)"),
                                      found->host, port, sk_format_security (found->security)));
  else
    g_ptr_array_add (changes,
                     /* Translators: one item of "Filled in: …"; the
                      * first %s is the server name, the last one its
                      * security (SSL/TLS, STARTTLS). */
                     g_strdup_printf (_("incoming server %s (port %u, %s)"),
                                      found->host, port, sk_format_security (found->security)));
  return TRUE;
}

/* Puts what was found for side into account; the user name, when it
 * changes, is said in username_change rather than in changes: it comes
 * last in the sentence. */
static void
apply_side (SkDetection  *detection,
            SkAccount    *account,
            SkTestSide    side,
            GPtrArray    *changes,
            char        **username_change)
{
  gboolean pop3 = sk_account_get_account_type (account) == SK_ACCOUNT_TYPE_POP3;
  const SkServer *found = side == SK_TEST_SIDE_OUTGOING ? detection->smtp
                          : pop3 ? detection->pop3 : detection->imap;
  const char *email = sk_account_get_email (account);
  gboolean needs_login = side == SK_TEST_SIDE_OUTGOING && found != NULL
                         && sk_account_get_outgoing_login (account) == SK_OUTGOING_LOGIN_NONE;
  g_autoptr(SkServer) server = NULL;
  gboolean changed;

  /* Every provider here wants a login for sending. */
  if (needs_login)
    sk_account_set_outgoing_auth (account, TRUE);

  server = sk_account_dup_server (account, side);
  changed = found != NULL && take_server (server, found, changes);

  if (needs_login)
    /* Translators: one item of "Filled in: …". */
    g_ptr_array_add (changes, g_strdup (_("sign-in for the outgoing server")));

  if (side == SK_TEST_SIDE_INCOMING
      && detection->username_is_email
      && email[0] != '\0'
      && g_strcmp0 (server->username, email) != 0)
    {
      g_free (server->username);
      server->username = g_strdup (email);
      /* Translators: one item of "Filled in: …"; %s is the e-mail address. */
      *username_change = g_strdup_printf (_("user name %s"), email);
      changed = TRUE;
    }

  if (changed)
    sk_account_set_server (account, side, server);
}

/* The provider offers the other protocol only: a server of the wrong kind
 * would fail the test with a puzzling answer. */
static const char *
find_missing (SkDetection *detection,
              SkAccount   *account)
{
  gboolean pop3 = sk_account_get_account_type (account) == SK_ACCOUNT_TYPE_POP3;

  if ((pop3 ? detection->pop3 : detection->imap) != NULL
      || (detection->imap == NULL && detection->pop3 == NULL))
    return NULL;

  if (pop3)
    return _("No POP3 server was found for this address: "
             "enter the incoming server yourself, or choose IMAP.");

  return _("No IMAP server was found for this address: "
           "enter the incoming server yourself, or choose POP3.");
}

char *
sk_detection_apply (SkDetection *detection,
                    SkAccount   *account)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *username_change = NULL;
  g_autofree char *list = NULL;
  const char *missing;

  g_return_val_if_fail (detection != NULL, NULL);
  g_return_val_if_fail (SK_IS_ACCOUNT (account), NULL);

  changes = g_ptr_array_new_with_free_func (g_free);
  missing = find_missing (detection, account);

  g_object_freeze_notify (G_OBJECT (account));
  for (SkTestSide side = 0; side < SK_N_TEST_SIDES; side++)
    apply_side (detection, account, side, changes, &username_change);
  g_object_thaw_notify (G_OBJECT (account));

  if (username_change != NULL)
    g_ptr_array_add (changes, g_steal_pointer (&username_change));

  if (changes->len == 0)
    return NULL;

  g_ptr_array_add (changes, NULL);
  /* Translators: joins the items of "Filled in: …". */
  list = g_strjoinv (_(", "), (char **) changes->pdata);

  if (missing != NULL)
    /* Translators: %s lists what was filled in, the second %s says what
     * was not. */
    return g_strdup_printf (_("Filled in: %s. %s"), list, missing);

  /* Translators: %s lists what was filled in: "incoming server
   * imap.gmail.com (port 993, SSL/TLS), user name office@example.com". */
  return g_strdup_printf (_("Filled in: %s."), list);
}

/* App passwords */

/* Characters a copy from a web page brings along that are never part of an
 * app password: white space of every kind (Unicode's White_Space: the
 * narrow and no-break spaces included, and the two g_unichar_isspace()
 * leaves out), the zero-width spaces, and dashes. */
static gboolean
is_app_password_filler (gunichar c)
{
  return g_unichar_isspace (c)
         || c == 0x000B   /* vertical tab */
         || c == 0x0085   /* next line */
         || c == 0x00A0   /* no-break space */
         || c == 0x2007   /* figure space */
         || c == 0x202F   /* narrow no-break space */
         || c == 0x200B   /* zero-width space */
         || c == 0xFEFF   /* zero-width no-break space */
         || c == '-'
         || (c >= 0x2010 && c <= 0x2015);  /* hyphen … horizontal bar */
}

char *
sk_app_password_normalize (const char *text)
{
  GString *result;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (text, -1, NULL), NULL);

  /* Room for all of it up front: a grown GString would leave a copy of the
   * password behind in freed memory. */
  result = g_string_sized_new (strlen (text) + 1);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_app_password_filler (c))
        g_string_append_len (result, p, g_utf8_next_char (p) - p);
    }

  return g_string_free (result, FALSE);
}

/* Google shows its app passwords as four groups of four lower-case letters;
 * upper case would mean the text came from somewhere else. */
gboolean
sk_app_password_looks_right (const char *text)
{
  if (text == NULL || strlen (text) != 16)
    return FALSE;

  for (guint i = 0; i < 16; i++)
    if (text[i] < 'a' || text[i] > 'z')
      return FALSE;

  return TRUE;
}
