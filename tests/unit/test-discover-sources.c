/* test-discover-sources.c — the built-in table, MX, SRV and guessing as
 * ranked lookup sources, with a resolver of our own and, for the MX host's
 * domains, tests/servers/autoconfig_server.py on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-autodiscover.h"
#include "core/sk-discover-sources.h"
#include "core/sk-providers.h"

#include "test-resolver.h"
#include "test-util.h"

/* The web side: providers' files and an ISP database with a test CA. */

static TestWebServer *web;

/* A source that answers after delay_ms, with settings or without. */

struct _FixedSource
{
  GObject   parent_instance;
  char     *name;
  guint     delay_ms;
  gboolean  finds;
  gboolean  last_resort;
  gboolean  started;
};

#define FIXED_TYPE_SOURCE (fixed_source_get_type ())
G_DECLARE_FINAL_TYPE (FixedSource, fixed_source, FIXED, SOURCE, GObject)

static void fixed_source_iface_init (SkDiscoverSourceInterface *iface);

G_DEFINE_TYPE_WITH_CODE (FixedSource, fixed_source, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (SK_TYPE_DISCOVER_SOURCE,
                                                fixed_source_iface_init))

static void
fixed_source_finalize (GObject *object)
{
  g_free (FIXED_SOURCE (object)->name);

  G_OBJECT_CLASS (fixed_source_parent_class)->finalize (object);
}

static void
fixed_source_class_init (FixedSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fixed_source_finalize;
}

static void
fixed_source_init (FixedSource *self)
{
}

static const char *
fixed_get_name (SkDiscoverSource *source)
{
  return FIXED_SOURCE (source)->name;
}

static const char *
fixed_get_where (SkDiscoverSource *source)
{
  return "fixed";
}

static gboolean
fixed_answer (gpointer data)
{
  GTask *task = data;
  FixedSource *self = g_task_get_source_object (task);
  SkAutoconfig *config = NULL;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  if (self->finds)
    {
      SkServer *server = sk_server_new (SK_PROTOCOL_IMAP);

      g_free (server->host);
      server->host = g_strdup_printf ("imap.%s.test", self->name);
      config = sk_autoconfig_new ();
      g_ptr_array_add (config->incoming, sk_found_server_new (server, SK_LOGIN_PASSWORD));
    }
  g_task_return_pointer (task, config, (GDestroyNotify) sk_autoconfig_free);

  return G_SOURCE_REMOVE;
}

static void
fixed_lookup_async (SkDiscoverSource    *source,
                    const char          *address,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  FixedSource *self = FIXED_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GSource) timeout = g_timeout_source_new (self->delay_ms);

  self->started = TRUE;
  g_task_attach_source (task, timeout, fixed_answer);
  g_object_unref (task);
}

static SkAutoconfig *
fixed_lookup_finish (SkDiscoverSource  *source,
                     GAsyncResult      *result,
                     GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
fixed_is_last_resort (SkDiscoverSource *source)
{
  return FIXED_SOURCE (source)->last_resort;
}

static void
fixed_source_iface_init (SkDiscoverSourceInterface *iface)
{
  iface->get_name = fixed_get_name;
  iface->get_where = fixed_get_where;
  iface->lookup_async = fixed_lookup_async;
  iface->lookup_finish = fixed_lookup_finish;
  iface->is_last_resort = fixed_is_last_resort;
}

static SkDiscoverSource *
fixed_source_new (const char *name,
                  guint       delay_ms,
                  gboolean    finds)
{
  FixedSource *self = g_object_new (FIXED_TYPE_SOURCE, NULL);

  self->name = g_strdup (name);
  self->delay_ms = delay_ms;
  self->finds = finds;

  return SK_DISCOVER_SOURCE (self);
}

/* Running sources */

static void
ran (GObject      *object,
     GAsyncResult *result,
     gpointer      data)
{
  SkDiscovery **discovery = data;
  g_autoptr(GError) error = NULL;

  *discovery = sk_discover_run_finish (result, &error);
  g_assert_no_error (error);
}

/* Takes sources (NULL-terminated). */
static SkDiscovery *
run (const char       *address,
     SkDiscoverSource *first,
     ...)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  SkDiscovery *discovery = NULL;
  va_list args;

  va_start (args, first);
  for (SkDiscoverSource *s = first; s != NULL; s = va_arg (args, SkDiscoverSource *))
    g_ptr_array_add (sources, s);
  va_end (args);

  sk_discover_run_async (sources, address, 0, NULL, ran, &discovery);
  while (discovery == NULL)
    g_main_context_iteration (NULL, TRUE);

  return discovery;
}

static const SkFoundServer *
found (GPtrArray *servers,
       guint      index)
{
  g_assert_cmpuint (servers->len, >, index);
  return g_ptr_array_index (servers, index);
}

static void
assert_found (const SkFoundServer *server,
              SkProtocol           protocol,
              const char          *host,
              guint                port,
              SkSecurity           security,
              const char          *username,
              SkLogin              login)
{
  g_assert_cmpint (server->server->protocol, ==, protocol);
  g_assert_cmpstr (server->server->host, ==, host);
  g_assert_cmpuint (server->server->port, ==, port);
  g_assert_cmpint (server->server->security, ==, security);
  g_assert_cmpstr (server->server->username, ==, username);
  g_assert_null (server->server->password);
  g_assert_cmpint (server->login, ==, login);
}

static const SkLookup *
lookup_at (SkDiscovery *discovery,
           guint        index)
{
  g_assert_cmpuint (discovery->lookups->len, >, index);
  return g_ptr_array_index (discovery->lookups, index);
}

/* Item 2: the table */

static void
test_gmail (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SkDiscovery) discovery = run ("biuro@gmail.com", sk_builtin_source_new (NULL), NULL);

  g_assert_cmpstr (discovery->source, ==, "gmail");
  assert_found (found (discovery->settings->incoming, 0), SK_PROTOCOL_IMAP, "imap.gmail.com",
                993, SK_SECURITY_SSL, "biuro@gmail.com", SK_LOGIN_PASSWORD);
  assert_found (found (discovery->settings->outgoing, 0), SK_PROTOCOL_SMTP, "smtp.gmail.com",
                465, SK_SECURITY_SSL, "biuro@gmail.com", SK_LOGIN_PASSWORD);
  g_assert_cmpuint (fixture->resolver->calls, ==, 0);
}

/* WP follows the ISPDB's local part and offers the full address next. */
static void
test_wp (Fixture       *fixture,
         gconstpointer  data)
{
  g_autoptr(SkDiscovery) discovery = run ("jan.kowalski@WP.pl", sk_builtin_source_new (NULL),
                                          NULL);
  SkAutoconfig *settings = discovery->settings;

  g_assert_cmpstr (discovery->source, ==, "builtin");
  g_assert_true (g_str_has_prefix (discovery->where, "https://"));
  g_assert_cmpstr (settings->display_name, ==, "WP");
  assert_found (found (settings->incoming, 0), SK_PROTOCOL_IMAP, "imap.wp.pl", 993,
                SK_SECURITY_SSL, "jan.kowalski", SK_LOGIN_PASSWORD);
  assert_found (found (settings->incoming, 1), SK_PROTOCOL_POP3, "pop3.wp.pl", 995,
                SK_SECURITY_SSL, "jan.kowalski", SK_LOGIN_PASSWORD);
  assert_found (found (settings->outgoing, 0), SK_PROTOCOL_SMTP, "smtp.wp.pl", 465,
                SK_SECURITY_SSL, "jan.kowalski", SK_LOGIN_PASSWORD);
  g_assert_cmpuint (settings->notes->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (settings->notes, 0), "jan.kowalski@WP.pl"));
  g_assert_cmpuint (fixture->resolver->calls, ==, 0);
}

typedef struct
{
  const char *address;
  const char *provider;
  const char *imap;      /* HOST:PORT, or NULL when not offered */
  const char *pop3;
  const char *smtp;
  SkSecurity  smtp_security;
  const char *username;
  const char *smtp_username;
  SkLogin     login;
  guint       notes;
} Expected;

static const Expected expected_providers[] = {
  { "jan@o2.pl", "o2", "poczta.o2.pl:993", "poczta.o2.pl:995", "poczta.o2.pl:465",
    SK_SECURITY_SSL, "jan@o2.pl", "jan@o2.pl", SK_LOGIN_PASSWORD, 2 },
  { "jan@prokonto.pl", "o2", "poczta.o2.pl:993", "poczta.o2.pl:995", "poczta.o2.pl:465",
    SK_SECURITY_SSL, "jan@prokonto.pl", "jan@prokonto.pl", SK_LOGIN_PASSWORD, 2 },
  { "jan@op.pl", "Onet", "imap.poczta.onet.pl:993", "pop3.poczta.onet.pl:995",
    "smtp.poczta.onet.pl:465", SK_SECURITY_SSL, "jan@op.pl", "jan@op.pl", SK_LOGIN_PASSWORD, 0 },
  { "jan@poczta.fm", "Interia", "poczta.interia.pl:993", "poczta.interia.pl:995",
    "poczta.interia.pl:465", SK_SECURITY_SSL, "jan@poczta.fm", "jan@poczta.fm",
    SK_LOGIN_PASSWORD, 1 },
  { "jan@hotmail.com", "Outlook.com", "outlook.office365.com:993", "outlook.office365.com:995",
    "smtp-mail.outlook.com:587", SK_SECURITY_STARTTLS, "jan@hotmail.com", "jan@hotmail.com",
    SK_LOGIN_OAUTH2, 1 },
  { "jan@ymail.com", "Yahoo", "imap.mail.yahoo.com:993", "pop.mail.yahoo.com:995",
    "smtp.mail.yahoo.com:465", SK_SECURITY_SSL, "jan@ymail.com", "jan@ymail.com",
    SK_LOGIN_PASSWORD, 1 },
  { "jan@aol.com", "AOL", "imap.aol.com:993", "pop.aol.com:995", "smtp.aol.com:465",
    SK_SECURITY_SSL, "jan@aol.com", "jan@aol.com", SK_LOGIN_PASSWORD, 1 },
  { "jan@gmx.de", "GMX", "imap.gmx.net:993", "pop.gmx.net:995", "mail.gmx.net:465",
    SK_SECURITY_SSL, "jan@gmx.de", "jan@gmx.de", SK_LOGIN_PASSWORD, 1 },
  { "jan@gmx.com", "GMX.com", "imap.gmx.com:993", "pop.gmx.com:995", "mail.gmx.com:465",
    SK_SECURITY_SSL, "jan@gmx.com", "jan@gmx.com", SK_LOGIN_PASSWORD, 1 },
  { "jan@zohomail.eu", "Zoho Mail EU", "imap.zoho.eu:993", "pop.zoho.eu:995", "smtp.zoho.eu:465",
    SK_SECURITY_SSL, "jan@zohomail.eu", "jan@zohomail.eu", SK_LOGIN_PASSWORD, 1 },
  { "jan@zoho.com", "Zoho Mail", "imap.zoho.com:993", "pop.zoho.com:995", "smtp.zoho.com:465",
    SK_SECURITY_SSL, "jan@zoho.com", "jan@zoho.com", SK_LOGIN_PASSWORD, 1 },
  { "jan@fastmail.com", "Fastmail", "imap.fastmail.com:993", "pop.fastmail.com:995",
    "smtp.fastmail.com:465", SK_SECURITY_SSL, "jan@fastmail.com", "jan@fastmail.com",
    SK_LOGIN_PASSWORD, 1 },
  { "jan@me.com", "iCloud Mail", "imap.mail.me.com:993", NULL, "smtp.mail.me.com:587",
    SK_SECURITY_STARTTLS, "jan", "jan@me.com", SK_LOGIN_PASSWORD, 1 },
  { "jan@ya.ru", "Yandex", "imap.yandex.com:993", "pop.yandex.com:995", "smtp.yandex.com:465",
    SK_SECURITY_SSL, "jan@ya.ru", "jan@ya.ru", SK_LOGIN_PASSWORD, 3 },
};

static void
assert_host_port (const SkFoundServer *server,
                  const char          *host_port)
{
  g_autofree char *actual = g_strdup_printf ("%s:%u", server->server->host, server->server->port);

  g_assert_cmpstr (actual, ==, host_port);
}

/* Each provider's settings as its entry cites them. */
static void
test_providers (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (expected_providers); i++)
    {
      const Expected *e = &expected_providers[i];
      g_autofree char *domain = g_strdup (strchr (e->address, '@') + 1);
      const SkProvider *provider = sk_provider_find_for_domain (domain);
      g_autoptr(SkAutoconfig) settings = NULL;
      guint incoming = 0;

      g_test_message ("%s", e->address);
      g_assert_nonnull (provider);
      settings = sk_provider_to_autoconfig (provider, e->address);
      g_assert_cmpstr (settings->display_name, ==, e->provider);
      g_assert_cmpuint (settings->notes->len, ==, e->notes);

      if (e->imap != NULL)
        assert_host_port (found (settings->incoming, incoming++), e->imap);
      if (e->pop3 != NULL)
        assert_host_port (found (settings->incoming, incoming++), e->pop3);
      g_assert_cmpuint (settings->incoming->len, ==, incoming);
      for (guint j = 0; j < settings->incoming->len; j++)
        {
          const SkFoundServer *server = found (settings->incoming, j);

          g_assert_cmpint (server->server->security, ==, SK_SECURITY_SSL);
          g_assert_cmpstr (server->server->username, ==, e->username);
          g_assert_cmpint (server->login, ==, e->login);
        }

      g_assert_cmpuint (settings->outgoing->len, ==, 1);
      assert_host_port (found (settings->outgoing, 0), e->smtp);
      g_assert_cmpint (found (settings->outgoing, 0)->server->security, ==, e->smtp_security);
      g_assert_cmpstr (found (settings->outgoing, 0)->server->username, ==, e->smtp_username);
    }
}

/* The note on what to switch on first comes with the offer, translated. */
static void
test_o2_note (void)
{
  g_autoptr(SkAutoconfig) settings = NULL;

  settings = sk_provider_to_autoconfig (sk_provider_find_for_domain ("tlen.pl"), "ola@tlen.pl");
  g_assert_nonnull (strstr (g_ptr_array_index (settings->notes, 0),
                            "https://pomoc.o2.pl/aktywacja-dostepu-dla-programow-pocztowych"));
  g_assert_nonnull (strstr (g_ptr_array_index (settings->notes, 1), "ola@tlen.pl"));
  g_assert_nonnull (strstr (g_ptr_array_index (settings->notes, 1), " ola."));
}

static void
test_mx_google (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SkDiscovery) discovery = NULL;

  test_resolver_add_mx (fixture->resolver, "firma.pl", "ASPMX.L.GOOGLE.COM.");
  discovery = run ("biuro@firma.pl", sk_builtin_source_new (NULL), NULL);

  g_assert_cmpstr (discovery->source, ==, "workspace");
  g_assert_cmpstr (discovery->where, ==, "ASPMX.L.GOOGLE.COM.");
  assert_found (found (discovery->settings->incoming, 0), SK_PROTOCOL_IMAP, "imap.gmail.com",
                993, SK_SECURITY_SSL, "biuro@firma.pl", SK_LOGIN_PASSWORD);
}

/* Microsoft 365 offers only sign-in, with the "microsoft" provider. */
static void
test_mx_microsoft365 (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SkDiscovery) discovery = NULL;
  g_autofree char *json = NULL;
  SkAutoconfig *settings;

  test_resolver_add_mx (fixture->resolver, "firma.pl", "firma-pl.mail.protection.outlook.com");
  discovery = run ("biuro@firma.pl", sk_builtin_source_new (NULL), NULL);
  settings = discovery->settings;

  g_assert_cmpstr (discovery->source, ==, "builtin");
  g_assert_cmpstr (settings->display_name, ==, "Microsoft 365");
  g_assert_cmpstr (settings->provider_id, ==, "microsoft");
  assert_found (found (settings->incoming, 0), SK_PROTOCOL_IMAP, "outlook.office365.com", 993,
                SK_SECURITY_SSL, "biuro@firma.pl", SK_LOGIN_OAUTH2);
  assert_found (found (settings->incoming, 1), SK_PROTOCOL_POP3, "outlook.office365.com", 995,
                SK_SECURITY_SSL, "biuro@firma.pl", SK_LOGIN_OAUTH2);
  assert_found (found (settings->outgoing, 0), SK_PROTOCOL_SMTP, "smtp.office365.com", 587,
                SK_SECURITY_STARTTLS, "biuro@firma.pl", SK_LOGIN_OAUTH2);

  json = sk_discovery_to_json (discovery);
  g_assert_nonnull (strstr (json, "\"source\":\"builtin\""));
  g_assert_nonnull (strstr (json, "\"provider\":\"Microsoft 365\""));
  g_assert_null (strstr (json, "\"authentication\":\"password\""));
}

/* OVH hosts company domains: the MX says so, the best MX first. */
static void
test_mx_ovh (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SkDiscovery) discovery = NULL;

  test_resolver_add_mx (fixture->resolver, "sklep.pl", "mx1.mail.ovh.net");
  test_resolver_add_mx (fixture->resolver, "sklep.pl", "mx4.mail.ovh.net");
  discovery = run ("jan@sklep.pl", sk_builtin_source_new (NULL), NULL);

  g_assert_cmpstr (discovery->source, ==, "builtin");
  g_assert_cmpstr (discovery->settings->display_name, ==, "OVHcloud");
  assert_found (found (discovery->settings->incoming, 0), SK_PROTOCOL_IMAP, "ssl0.ovh.net", 993,
                SK_SECURITY_SSL, "jan@sklep.pl", SK_LOGIN_PASSWORD);
  assert_found (found (discovery->settings->outgoing, 0), SK_PROTOCOL_SMTP, "ssl0.ovh.net", 465,
                SK_SECURITY_SSL, "jan@sklep.pl", SK_LOGIN_PASSWORD);
}

/* An MX nobody knows, or none: nothing, and no error. */
static void
test_mx_unknown (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SkDiscovery) unknown = NULL;
  g_autoptr(SkDiscovery) none = NULL;

  test_resolver_add_mx (fixture->resolver, "firma.pl", "mx.firma.pl");
  unknown = run ("jan@firma.pl", sk_builtin_source_new (NULL), sk_mx_source_new (NULL), NULL);
  g_assert_cmpstr (unknown->source, ==, "none");
  g_assert_cmpint (lookup_at (unknown, 0)->result, ==, SK_LOOKUP_NONE);
  /* An MX within the address's own domain has nothing more to say. */
  g_assert_cmpint (lookup_at (unknown, 1)->result, ==, SK_LOOKUP_NONE);

  fixture->resolver->mode = ANSWER_WITH_ERROR;
  none = run ("jan@firma.pl", sk_builtin_source_new (NULL), sk_mx_source_new (NULL), NULL);
  g_assert_cmpstr (none->source, ==, "none");
}

/* Item 5: the MX host's parent domain is known to the ISP database only. */
static void
test_mx_parent_ispdb (Fixture       *fixture,
                      gconstpointer  data)
{
  SkDiscoverOptions options = { .cafile = web->cafile,
                                .connect_to = (const char * const *) web->connect_to };
  g_autoptr(SkDiscovery) discovery = NULL;

  g_setenv ("SKRZYNKA_ISPDB_URL", "https://ispdb.test/v1.1/", TRUE);
  test_resolver_add_mx (fixture->resolver, "klient.pl", "mx1.nic.test");
  discovery = run ("jan@klient.pl", sk_builtin_source_new (&options),
                   sk_mx_source_new (&options), NULL);
  g_unsetenv ("SKRZYNKA_ISPDB_URL");

  g_assert_cmpstr (discovery->source, ==, "mx");
  g_assert_cmpstr (discovery->where, ==, "https://ispdb.test/v1.1/nic.test");
  assert_found (found (discovery->settings->incoming, 0), SK_PROTOCOL_IMAP,
                "imap.ispdb.nic.test", 993, SK_SECURITY_SSL, "jan@klient.pl", SK_LOGIN_PASSWORD);
}

/* Within the MX host's domains the provider's file ranks first: it wins
 * though the ISP database answers 0.3 s before it. */
static void
test_mx_parent_ranked (Fixture       *fixture,
                       gconstpointer  data)
{
  SkDiscoverOptions options = { .cafile = web->cafile,
                                .connect_to = (const char * const *) web->connect_to };
  g_autoptr(SkDiscovery) discovery = NULL;

  g_setenv ("SKRZYNKA_ISPDB_URL", "https://ispdb.test/v1.1/", TRUE);
  test_resolver_add_mx (fixture->resolver, "klient.pl", "mx.firma.test");
  discovery = run ("jan@klient.pl", sk_mx_source_new (&options), NULL);
  g_unsetenv ("SKRZYNKA_ISPDB_URL");

  g_assert_cmpstr (discovery->source, ==, "mx");
  g_assert_true (g_str_has_prefix (discovery->where, "https://autoconfig.firma.test/"));
  assert_found (found (discovery->settings->incoming, 0), SK_PROTOCOL_IMAP,
                "imap.autoconfig.firma.test", 993, SK_SECURITY_SSL, "jan@klient.pl",
                SK_LOGIN_PASSWORD);
}

/* Item 6 */
static void
test_srv (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(SkDiscovery) discovery = NULL;

  test_resolver_add_srv (fixture->resolver, "imaps", "firma.pl", "poczta.firma.pl", 993, 0, 0);
  test_resolver_add_srv (fixture->resolver, "submission", "firma.pl", "poczta.firma.pl", 587,
                         0, 0);
  discovery = run ("jan@firma.pl", sk_builtin_source_new (NULL), sk_srv_source_new (), NULL);

  g_assert_cmpstr (discovery->source, ==, "srv");
  assert_found (found (discovery->settings->incoming, 0), SK_PROTOCOL_IMAP, "poczta.firma.pl",
                993, SK_SECURITY_SSL, "jan@firma.pl", SK_LOGIN_PASSWORD);
  assert_found (found (discovery->settings->outgoing, 0), SK_PROTOCOL_SMTP, "poczta.firma.pl",
                587, SK_SECURITY_STARTTLS, "jan@firma.pl", SK_LOGIN_PASSWORD);
  g_assert_cmpint (lookup_at (discovery, 0)->result, ==, SK_LOOKUP_NONE);
}

/* The ranking */

/* The table's answer waits on a slow MX lookup; the lower source that
 * answered long before still loses. */
static void
test_higher_answers_later (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SkDiscovery) discovery = NULL;

  fixture->resolver->delay_ms = 300;
  test_resolver_add_mx (fixture->resolver, "firma.pl", "firma-pl.mail.protection.outlook.com");
  discovery = run ("jan@firma.pl", sk_builtin_source_new (NULL),
                   fixed_source_new ("autoconfig", 0, TRUE), NULL);

  g_assert_cmpstr (discovery->source, ==, "builtin");
  g_assert_cmpstr (discovery->settings->display_name, ==, "Microsoft 365");
  g_assert_cmpint (lookup_at (discovery, 1)->result, ==, SK_LOOKUP_FOUND);
  g_assert_cmpfloat (lookup_at (discovery, 1)->seconds, <, lookup_at (discovery, 0)->seconds);
}

/* A name server that never answers holds up the worse sources only for
 * SK_DISCOVER_DNS_TIMEOUT_MS, as if it had nothing. */
static void
test_dns_time_limit (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SkDiscovery) discovery = NULL;

  fixture->resolver->mode = ANSWER_NEVER;
  discovery = run ("jan@firma.pl", sk_builtin_source_new (NULL),
                   fixed_source_new ("autoconfig", 0, TRUE), NULL);

  g_assert_cmpstr (discovery->source, ==, "autoconfig");
  g_assert_cmpint (lookup_at (discovery, 0)->result, ==, SK_LOOKUP_NONE);
  g_assert_cmpfloat (discovery->seconds, >=, SK_DISCOVER_DNS_TIMEOUT_MS / 1000.0 - 0.1);
  g_assert_cmpfloat (discovery->seconds, <, SK_DISCOVER_DNS_TIMEOUT_MS / 1000.0 + 1);
}

static gboolean
cancel_soon (gpointer data)
{
  g_cancellable_cancel (data);

  return G_SOURCE_REMOVE;
}

static void
cancelled (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  GError **error = data;
  g_autoptr(SkDiscovery) discovery = sk_discover_finish (result, error);

  g_assert_null (discovery);
}

/* Cancelling stops every DNS lookup: the resolver is let go of. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  fixture->resolver->mode = ANSWER_NEVER;
  g_setenv ("SKRZYNKA_ISPDB_URL", "", TRUE);
  sk_discover_async ("jan@firma.pl", NULL, cancellable, cancelled, &error);
  g_timeout_add (50, cancel_soon, cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_unsetenv ("SKRZYNKA_ISPDB_URL");

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->resolver->calls, >, 0);
}

static void
test_last_resort_not_started (void)
{
  g_autoptr(SkDiscoverSource) last = fixed_source_new ("guess", 0, TRUE);
  g_autoptr(SkDiscovery) discovery = NULL;

  FIXED_SOURCE (last)->last_resort = TRUE;
  discovery = run ("jan@firma.pl", fixed_source_new ("autoconfig", 50, FALSE),
                   fixed_source_new ("ispdb", 100, TRUE), g_object_ref (last), NULL);

  g_assert_cmpstr (discovery->source, ==, "ispdb");
  g_assert_false (FIXED_SOURCE (last)->started);
  g_assert_cmpint (lookup_at (discovery, 2)->result, ==, SK_LOOKUP_CANCELLED);
  g_assert_cmpfloat (lookup_at (discovery, 2)->seconds, ==, 0);
}

static void
test_last_resort_started (void)
{
  g_autoptr(SkDiscoverSource) last = fixed_source_new ("guess", 0, TRUE);
  g_autoptr(SkDiscovery) discovery = NULL;

  FIXED_SOURCE (last)->last_resort = TRUE;
  discovery = run ("jan@firma.pl", fixed_source_new ("autoconfig", 50, FALSE),
                   fixed_source_new ("ispdb", 100, FALSE), g_object_ref (last), NULL);

  g_assert_true (FIXED_SOURCE (last)->started);
  g_assert_cmpstr (discovery->source, ==, "guess");
  g_assert_cmpstr (found (discovery->settings->incoming, 0)->server->host, ==, "imap.guess.test");
}

static void
test_guess_is_last_resort (void)
{
  g_autoptr(SkDiscoverSource) guess = sk_guess_source_new (NULL);
  g_autoptr(SkDiscoverSource) builtin = sk_builtin_source_new (NULL);
  g_autoptr(SkDiscoverSource) mx = sk_mx_source_new (NULL);
  g_autoptr(SkDiscoverSource) srv = sk_srv_source_new ();

  g_assert_true (sk_discover_source_is_last_resort (guess));
  g_assert_false (sk_discover_source_is_last_resort (builtin));
  g_assert_false (sk_discover_source_is_last_resort (mx));
  g_assert_false (sk_discover_source_is_last_resort (srv));
  g_assert_cmpstr (sk_discover_source_get_name (guess), ==, "guess");
}

static void
discovered (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  SkDiscovery **discovery = data;
  g_autoptr(GError) error = NULL;

  *discovery = sk_discover_finish (result, &error);
  g_assert_no_error (error);
}

/* sk_discover_async() covers the table: a WP address is answered from it,
 * every worse source stopped, guessing never started. */
static void
test_default_wp (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SkDiscovery) discovery = NULL;
  const SkLookup *last;

  g_setenv ("SKRZYNKA_ISPDB_URL", "", TRUE);
  sk_discover_async ("jan@wp.pl", NULL, NULL, discovered, &discovery);
  while (discovery == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_unsetenv ("SKRZYNKA_ISPDB_URL");

  g_assert_cmpstr (discovery->source, ==, "builtin");
  g_assert_cmpstr (discovery->settings->display_name, ==, "WP");
  last = lookup_at (discovery, discovery->lookups->len - 1);
  g_assert_cmpstr (last->source, ==, "guess");
  g_assert_cmpint (last->result, ==, SK_LOOKUP_CANCELLED);
  g_assert_cmpfloat (last->seconds, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/sk/discover-sources/gmail", Fixture, NULL,
              fixture_set_up, test_gmail, fixture_tear_down);
  g_test_add ("/sk/discover-sources/wp", Fixture, NULL,
              fixture_set_up, test_wp, fixture_tear_down);
  g_test_add_func ("/sk/discover-sources/providers", test_providers);
  g_test_add_func ("/sk/discover-sources/o2-note", test_o2_note);
  g_test_add ("/sk/discover-sources/mx-google", Fixture, NULL,
              fixture_set_up, test_mx_google, fixture_tear_down);
  g_test_add ("/sk/discover-sources/mx-microsoft365", Fixture, NULL,
              fixture_set_up, test_mx_microsoft365, fixture_tear_down);
  g_test_add ("/sk/discover-sources/mx-ovh", Fixture, NULL,
              fixture_set_up, test_mx_ovh, fixture_tear_down);
  g_test_add ("/sk/discover-sources/mx-unknown", Fixture, NULL,
              fixture_set_up, test_mx_unknown, fixture_tear_down);
  g_test_add ("/sk/discover-sources/mx-parent-ispdb", Fixture, NULL,
              fixture_set_up, test_mx_parent_ispdb, fixture_tear_down);
  g_test_add ("/sk/discover-sources/mx-parent-ranked", Fixture, NULL,
              fixture_set_up, test_mx_parent_ranked, fixture_tear_down);
  g_test_add ("/sk/discover-sources/srv", Fixture, NULL,
              fixture_set_up, test_srv, fixture_tear_down);
  g_test_add ("/sk/discover-sources/higher-answers-later", Fixture, NULL,
              fixture_set_up, test_higher_answers_later, fixture_tear_down);
  g_test_add ("/sk/discover-sources/dns-time-limit", Fixture, NULL,
              fixture_set_up, test_dns_time_limit, fixture_tear_down);
  g_test_add ("/sk/discover-sources/cancel", Fixture, NULL,
              fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add_func ("/sk/discover-sources/last-resort-not-started", test_last_resort_not_started);
  g_test_add_func ("/sk/discover-sources/last-resort-started", test_last_resort_started);
  g_test_add_func ("/sk/discover-sources/guess-is-last-resort", test_guess_is_last_resort);
  g_test_add ("/sk/discover-sources/default-wp", Fixture, NULL,
              fixture_set_up, test_default_wp, fixture_tear_down);

  web = test_web_server_start ();
  status = g_test_run ();
  test_web_server_stop (web);

  return status;
}
