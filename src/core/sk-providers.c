/* sk-providers.c — the built-in table of large mail providers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Detect"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-providers.h"
#include "sk-account.h"
#include "sk-core.h"
#include "sk-oauth2-provider.h"

#define PROVIDERS_PATH "/pl/skrzynka/Skrzynka/core/providers.conf"

/* The notes= of providers.conf: the sentences live here, not in the file,
 * so that gettext extracts them. */
static const struct
{
  const char *id;
  const char *text;
} notes[] = {
  { "o2-mail-programs",
    N_("Before the first login, turn on access for mail programs in o2's mail settings: "
       "https://pomoc.o2.pl/aktywacja-dostepu-dla-programow-pocztowych") },
  { "gmx-pop-imap",
    N_("Before the first login, allow access over POP3 and IMAP once in your GMX mail "
       "settings.") },
  { "zoho-imap",
    N_("Before the first login, turn on IMAP access (or POP access) for the account in "
       "Zoho Mail's settings.") },
  { "yandex-imap",
    N_("Before the first login, turn on IMAP in Yandex Mail's settings.") },
  { "app-password",
    N_("Log in with an app password made on the provider's account security page, "
       "not with your usual password.") },
  { "outlook-pop-imap",
    N_("POP and IMAP are off by default: turn them on in Outlook.com under Settings, "
       "Mail, Forwarding and IMAP.") },
  { "microsoft365-admin",
    N_("Your organisation's administrator may have to allow IMAP, POP and authenticated "
       "SMTP for your mailbox first.") },
};

typedef enum
{
  USERNAME_EMAIL,
  USERNAME_LOCAL,
  USERNAME_UNSET,
} Username;

struct _SkProvider
{
  char         *name;
  GStrv         domains;
  GPtrArray    *mx;           /* of GPatternSpec */
  GStrv         sources;
  GStrv         notes;        /* ids of notes[] */
  char         *oauth2;
  SkServer     *servers[3];   /* by SkProtocol: IMAP, POP3, SMTP */
  Username      username;
  Username      smtp_username;
  Username      alternative;
};

static const SkProtocol protocols[] = { SK_PROTOCOL_IMAP, SK_PROTOCOL_POP3, SK_PROTOCOL_SMTP };

static guint
protocol_index (SkProtocol protocol)
{
  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (protocols[i] == protocol)
      return i;

  g_return_val_if_reached (0);
}

static void
provider_free (SkProvider *provider)
{
  g_free (provider->name);
  g_strfreev (provider->domains);
  g_clear_pointer (&provider->mx, g_ptr_array_unref);
  g_strfreev (provider->sources);
  g_strfreev (provider->notes);
  g_free (provider->oauth2);
  for (guint i = 0; i < G_N_ELEMENTS (provider->servers); i++)
    sk_server_free (provider->servers[i]);
  g_free (provider);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkProvider, provider_free)

static const char *
find_note (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    if (g_str_equal (notes[i].id, id))
      return notes[i].text;

  return NULL;
}

/* The file ships with the program: every check here is a bug the unit
 * tests catch, hence warnings. */
#define REJECT(...) G_STMT_START { g_warning (__VA_ARGS__); return FALSE; } G_STMT_END

static gboolean
parse_server (const char  *text,
              SkProtocol   protocol,
              SkServer   **server)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint64 port;
  SkSecurity security;

  if (g_strv_length (parts) != 3
      || !sk_hostname_is_valid (parts[0])
      || !g_ascii_string_to_unsigned (parts[1], 10, 1, 65535, &port, NULL)
      || !sk_security_from_string (parts[2], &security))
    return FALSE;

  *server = sk_server_new (protocol);
  g_free ((*server)->host);
  (*server)->host = g_strdup (parts[0]);
  (*server)->port = (guint) port;
  (*server)->security = security;

  return TRUE;
}

static gboolean
parse_username (GKeyFile   *key_file,
                const char *group,
                const char *key,
                Username   *username)
{
  g_autofree char *value = g_key_file_get_string (key_file, group, key, NULL);

  *username = USERNAME_UNSET;
  if (value == NULL)
    return TRUE;
  if (g_str_equal (value, "email"))
    *username = USERNAME_EMAIL;
  else if (g_str_equal (value, "local"))
    *username = USERNAME_LOCAL;
  else
    REJECT ("providers.conf: [%s] %s=%s is neither email nor local", group, key, value);

  return TRUE;
}

static gboolean
parse_domains (SkProvider *provider,
               GKeyFile   *key_file,
               const char *group)
{
  provider->domains = g_key_file_get_string_list (key_file, group, "domains", NULL, NULL);
  if (provider->domains == NULL)
    provider->domains = g_new0 (char *, 1);

  for (guint i = 0; provider->domains[i] != NULL; i++)
    {
      char *lower = g_utf8_strdown (provider->domains[i], -1);

      /* Compared with the domain of an address, lower-cased the same way. */
      g_free (provider->domains[i]);
      provider->domains[i] = lower;
      if (!sk_hostname_is_valid (lower))
        REJECT ("providers.conf: [%s] has a bad domain “%s”", group, lower);
    }

  return TRUE;
}

static gboolean
parse_mx (SkProvider *provider,
          GKeyFile   *key_file,
          const char *group)
{
  g_auto(GStrv) patterns = g_key_file_get_string_list (key_file, group, "mx", NULL, NULL);

  provider->mx = g_ptr_array_new_with_free_func ((GDestroyNotify) g_pattern_spec_free);
  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (patterns[i], -1);

      /* Anything but a leading "*." could match hosts of anyone. */
      if (strchr (g_str_has_prefix (lower, "*.") ? lower + 1 : lower, '*') != NULL)
        REJECT ("providers.conf: [%s] mx pattern “%s” may only start with “*.”", group, lower);
      g_ptr_array_add (provider->mx, g_pattern_spec_new (lower));
    }

  if (provider->domains[0] == NULL && provider->mx->len == 0)
    REJECT ("providers.conf: [%s] has neither domains nor mx", group);

  return TRUE;
}

static gboolean
parse_servers (SkProvider *provider,
               GKeyFile   *key_file,
               const char *group)
{
  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      const char *key = sk_protocol_to_string (protocols[i]);
      g_autofree char *server = g_key_file_get_string (key_file, group, key, NULL);

      if (server != NULL && !parse_server (server, protocols[i], &provider->servers[i]))
        REJECT ("providers.conf: [%s] %s=%s is not HOST:PORT:SECURITY", group, key, server);
    }

  if (provider->servers[2] == NULL
      || (provider->servers[0] == NULL && provider->servers[1] == NULL))
    REJECT ("providers.conf: [%s] needs smtp and imap or pop3", group);

  return TRUE;
}

/* A sign-in-only entry is useless unless the sign-in provider knows every
 * server: the token would be refused. */
static gboolean
parse_oauth2 (SkProvider *provider,
              GKeyFile   *key_file,
              const char *group)
{
  provider->oauth2 = g_key_file_get_string (key_file, group, "oauth2", NULL);
  if (provider->oauth2 == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (provider->servers); i++)
    {
      g_autoptr(SkOAuth2Provider) known = NULL;

      if (provider->servers[i] == NULL)
        continue;
      known = sk_oauth2_provider_find_for_host (provider->servers[i]->host);
      if (known == NULL || g_strcmp0 (known->id, provider->oauth2) != 0)
        REJECT ("providers.conf: [%s] sign-in provider “%s” does not serve %s",
                group, provider->oauth2, provider->servers[i]->host);
    }

  return TRUE;
}

static gboolean
parse_texts (SkProvider *provider,
             GKeyFile   *key_file,
             const char *group)
{
  provider->sources = g_key_file_get_string_list (key_file, group, "source", NULL, NULL);
  if (provider->sources == NULL || provider->sources[0] == NULL)
    REJECT ("providers.conf: [%s] cites no source", group);
  for (guint i = 0; provider->sources[i] != NULL; i++)
    if (!g_str_has_prefix (provider->sources[i], "https://"))
      REJECT ("providers.conf: [%s] source “%s” is not https", group, provider->sources[i]);

  provider->notes = g_key_file_get_string_list (key_file, group, "notes", NULL, NULL);
  for (guint i = 0; provider->notes != NULL && provider->notes[i] != NULL; i++)
    if (find_note (provider->notes[i]) == NULL)
      REJECT ("providers.conf: [%s] has an unknown note “%s”", group, provider->notes[i]);

  return TRUE;
}

static gboolean
parse_usernames (SkProvider *provider,
                 GKeyFile   *key_file,
                 const char *group)
{
  if (!parse_username (key_file, group, "username", &provider->username)
      || !parse_username (key_file, group, "smtp-username", &provider->smtp_username)
      || !parse_username (key_file, group, "username-alternative", &provider->alternative))
    return FALSE;

  if (provider->username == USERNAME_UNSET)
    REJECT ("providers.conf: [%s] has no username", group);
  if (provider->smtp_username == USERNAME_UNSET)
    provider->smtp_username = provider->username;
  if (provider->alternative == provider->username)
    REJECT ("providers.conf: [%s] username-alternative is the username", group);

  return TRUE;
}

static SkProvider *
parse_provider (GKeyFile   *key_file,
                const char *group)
{
  g_autoptr(SkProvider) provider = g_new0 (SkProvider, 1);

  provider->name = g_strdup (group);
  if (!parse_domains (provider, key_file, group)
      || !parse_mx (provider, key_file, group)
      || !parse_servers (provider, key_file, group)
      || !parse_oauth2 (provider, key_file, group)
      || !parse_texts (provider, key_file, group)
      || !parse_usernames (provider, key_file, group))
    return NULL;

  return g_steal_pointer (&provider);
}

GPtrArray *
sk_providers_parse (GBytes  *bytes,
                    GError **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GPtrArray) providers = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (!g_key_file_load_from_bytes (key_file, bytes, G_KEY_FILE_NONE, error))
    return NULL;

  providers = g_ptr_array_new_with_free_func ((GDestroyNotify) provider_free);
  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      SkProvider *provider = parse_provider (key_file, groups[i]);

      if (provider != NULL)
        g_ptr_array_add (providers, provider);
    }

  return g_steal_pointer (&providers);
}

static gpointer
load_providers (gpointer data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *providers = NULL;

  sk_core_ensure_resources ();

  bytes = g_resources_lookup_data (PROVIDERS_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes != NULL)
    providers = sk_providers_parse (bytes, &error);
  if (providers == NULL)
    {
      g_warning ("providers.conf: %s", error->message);
      providers = g_ptr_array_new_with_free_func ((GDestroyNotify) provider_free);
    }

  return providers;
}

GPtrArray *
sk_providers_get (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_providers, NULL);
}

const SkProvider *
sk_provider_find_for_domain (const char *domain)
{
  GPtrArray *providers = sk_providers_get ();
  g_autofree char *lower = NULL;

  g_return_val_if_fail (domain != NULL, NULL);

  lower = g_utf8_strdown (domain, -1);
  for (guint i = 0; i < providers->len; i++)
    {
      const SkProvider *provider = g_ptr_array_index (providers, i);

      if (g_strv_contains ((const char * const *) provider->domains, lower))
        return provider;
    }

  return NULL;
}

const SkProvider *
sk_provider_find_for_mx (const char *host)
{
  GPtrArray *providers = sk_providers_get ();
  g_autofree char *lower = NULL;
  gsize len;

  g_return_val_if_fail (host != NULL, NULL);

  lower = g_ascii_strdown (host, -1);
  len = strlen (lower);
  if (len > 0 && lower[len - 1] == '.')
    lower[--len] = '\0';

  for (guint i = 0; i < providers->len; i++)
    {
      const SkProvider *provider = g_ptr_array_index (providers, i);

      for (guint j = 0; j < provider->mx->len; j++)
        if (g_pattern_spec_match (g_ptr_array_index (provider->mx, j), len, lower, NULL))
          return provider;
    }

  return NULL;
}

const char *
sk_provider_get_name (const SkProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  return provider->name;
}

const char * const *
sk_provider_get_sources (const SkProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  return (const char * const *) provider->sources;
}

const char * const *
sk_provider_get_domains (const SkProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  return (const char * const *) provider->domains;
}

const char *
sk_provider_get_oauth2 (const SkProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  return provider->oauth2;
}

const SkServer *
sk_provider_get_server (const SkProvider *provider,
                        SkProtocol        protocol)
{
  g_return_val_if_fail (provider != NULL, NULL);

  return provider->servers[protocol_index (protocol)];
}

gboolean
sk_provider_username_is_email (const SkProvider *provider)
{
  g_return_val_if_fail (provider != NULL, FALSE);

  return provider->username == USERNAME_EMAIL;
}

static const char *
username_for (Username    form,
              const char *address,
              const char *local_part)
{
  return form == USERNAME_LOCAL ? local_part : address;
}

static SkFoundServer *
found_server (const SkProvider *provider,
              guint             index,
              const char       *address,
              const char       *local_part)
{
  SkServer *server = sk_server_copy (provider->servers[index]);
  Username form = protocols[index] == SK_PROTOCOL_SMTP ? provider->smtp_username
                                                       : provider->username;

  server->username = g_strdup (username_for (form, address, local_part));
  return sk_found_server_new (server, provider->oauth2 != NULL ? SK_LOGIN_OAUTH2
                                                              : SK_LOGIN_PASSWORD);
}

SkAutoconfig *
sk_provider_to_autoconfig (const SkProvider *provider,
                           const char       *address)
{
  g_autofree char *local_part = NULL;
  SkAutoconfig *config;

  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if (!sk_address_split (address, &local_part, NULL))
    return NULL;

  config = sk_autoconfig_new ();
  /* The sign-in provider's id is what the window needs to start a
   * sign-in; the others have no id but their name. */
  config->provider_id = g_strdup (provider->oauth2);
  config->display_name = g_strdup (provider->name);

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (provider->servers[i] != NULL)
      g_ptr_array_add (protocols[i] == SK_PROTOCOL_SMTP ? config->outgoing : config->incoming,
                       found_server (provider, i, address, local_part));

  for (guint i = 0; provider->notes != NULL && provider->notes[i] != NULL; i++)
    g_ptr_array_add (config->notes, g_strdup (_(find_note (provider->notes[i]))));

  if (provider->alternative != USERNAME_UNSET)
    g_ptr_array_add (config->notes,
                     /* Translators: the two %s are user names, such as
                      * "jan.kowalski" and "jan.kowalski@wp.pl". */
                     g_strdup_printf (_("If the server refuses the user name %s, try %s."),
                                      username_for (provider->username, address, local_part),
                                      username_for (provider->alternative, address,
                                                    local_part)));

  return config;
}

/* aspmx.l.google.com, alt1.aspmx.l.google.com, smtp.google.com, …, and
 * the older googlemail.com ones. */
gboolean
sk_mx_is_google (const char *host)
{
  g_autofree char *lower = NULL;
  gsize len;

  g_return_val_if_fail (host != NULL, FALSE);

  lower = g_ascii_strdown (host, -1);
  len = strlen (lower);

  if (len > 0 && lower[len - 1] == '.')
    lower[len - 1] = '\0';

  return g_str_has_suffix (lower, ".google.com")
         || g_str_has_suffix (lower, ".googlemail.com");
}
