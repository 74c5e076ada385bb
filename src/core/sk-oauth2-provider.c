/* sk-oauth2-provider.c — the providers one can sign in with (OAuth 2.0)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-SignIn"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "sk-core.h"
#include "sk-oauth2-provider.h"

#define GROUP "OAuth2"
#define RESOURCE_DIR "/pl/skrzynka/Skrzynka/core/oauth2/"

G_DEFINE_BOXED_TYPE (SkOAuth2Provider, sk_oauth2_provider,
                     sk_oauth2_provider_copy, sk_oauth2_provider_free)

/* Client IDs given to the build: a distributor registers the program once. */
static const struct
{
  const char *id;
  const char *client_id;
  const char *client_secret;
} built_in_clients[] = {
  { "google", SK_GOOGLE_CLIENT_ID, SK_GOOGLE_CLIENT_SECRET },
  { "microsoft", SK_MICROSOFT_CLIENT_ID, "" },
};

void
sk_oauth2_provider_free (SkOAuth2Provider *provider)
{
  if (provider == NULL)
    return;

  g_free (provider->id);
  g_free (provider->name);
  g_free (provider->client_id);
  g_free (provider->client_secret);
  g_free (provider->authorization_url);
  g_free (provider->token_url);
  g_free (provider->scopes);
  g_free (provider->authorization_parameters);
  g_strfreev (provider->hosts);
  g_free (provider->problem);
  g_free (provider);
}

SkOAuth2Provider *
sk_oauth2_provider_copy (const SkOAuth2Provider *provider)
{
  SkOAuth2Provider *copy;

  g_return_val_if_fail (provider != NULL, NULL);

  copy = g_new0 (SkOAuth2Provider, 1);
  copy->id = g_strdup (provider->id);
  copy->name = g_strdup (provider->name);
  copy->client_id = g_strdup (provider->client_id);
  copy->client_secret = g_strdup (provider->client_secret);
  copy->authorization_url = g_strdup (provider->authorization_url);
  copy->token_url = g_strdup (provider->token_url);
  copy->scopes = g_strdup (provider->scopes);
  copy->authorization_parameters = g_strdup (provider->authorization_parameters);
  copy->hosts = g_strdupv (provider->hosts);
  copy->problem = g_strdup (provider->problem);

  return copy;
}

gboolean
sk_oauth2_provider_id_is_valid (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;

  for (const char *c = id; *c != '\0'; c++)
    if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c) && *c != '-')
      return FALSE;

  return TRUE;
}

/* Reading the files */

static const char * const keys[] = {
  "name", "client-id", "client-secret", "authorization-url", "token-url",
  "scopes", "authorization-parameters", "hosts",
};

/* Each key the file sets replaces the one set before. */
static void
merge (GKeyFile *into,
       GKeyFile *from)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *value = g_key_file_get_string (from, GROUP, keys[i], NULL);

      if (value != NULL)
        g_key_file_set_string (into, GROUP, keys[i], value);
    }
}

/* The user's folder first: it wins over the system's. */
static GPtrArray *
override_folders (void)
{
  GPtrArray *folders = g_ptr_array_new_with_free_func (g_free);
  const char * const *system = g_get_system_config_dirs ();

  g_ptr_array_add (folders, g_build_filename (g_get_user_config_dir (), "skrzynka", "oauth2", NULL));
  for (guint i = 0; system[i] != NULL; i++)
    g_ptr_array_add (folders, g_build_filename (system[i], "skrzynka", "oauth2", NULL));

  return folders;
}

static gboolean
load_built_in (GKeyFile   *key_file,
               const char *id)
{
  g_autofree char *path = g_strconcat (RESOURCE_DIR, id, ".conf", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  sk_core_ensure_resources ();
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    return FALSE;

  if (!g_key_file_load_from_bytes (key_file, bytes, G_KEY_FILE_NONE, &error))
    g_error ("%s: %s", path, error->message);

  for (guint i = 0; i < G_N_ELEMENTS (built_in_clients); i++)
    {
      if (g_strcmp0 (built_in_clients[i].id, id) != 0)
        continue;
      g_key_file_set_string (key_file, GROUP, "client-id", built_in_clients[i].client_id);
      g_key_file_set_string (key_file, GROUP, "client-secret", built_in_clients[i].client_secret);
    }

  return TRUE;
}

/* Where IT support would put the client ID: the first system folder, the
 * one every desk reads. */
static char *
suggested_file (const char *id)
{
  const char * const *system = g_get_system_config_dirs ();
  g_autofree char *name = g_strconcat (id, ".conf", NULL);

  return g_build_filename (system[0] != NULL ? system[0] : "/etc/xdg",
                           "skrzynka", "oauth2", name, NULL);
}

static char *
check_url (const char *key,
           const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL || *url == '\0')
    /* TRANSLATORS: %s is a key of the provider file, e.g. token-url */
    return g_strdup_printf (_("The provider file sets no %s."), key);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    /* TRANSLATORS: the first %s is a key of the provider file, the second its value */
    return g_strdup_printf (_("The provider file's %s, “%s”, is not an https:// address."), key, url);

  return NULL;
}

static SkOAuth2Provider *
provider_from_key_file (const char *id,
                        GKeyFile   *key_file)
{
  SkOAuth2Provider *provider = g_new0 (SkOAuth2Provider, 1);
  g_autofree char *hosts = NULL;
  g_auto(GStrv) split = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

#define GET(key) g_strstrip (g_key_file_get_string (key_file, GROUP, key, NULL) ?: g_strdup (""))
  provider->id = g_strdup (id);
  provider->name = GET ("name");
  provider->client_id = GET ("client-id");
  provider->client_secret = GET ("client-secret");
  provider->authorization_url = GET ("authorization-url");
  provider->token_url = GET ("token-url");
  provider->scopes = GET ("scopes");
  provider->authorization_parameters = GET ("authorization-parameters");
  hosts = GET ("hosts");
#undef GET

  split = g_strsplit (hosts, ";", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (g_strstrip (split[i]), -1);

      if (*lower != '\0')
        g_strv_builder_add (builder, lower);
    }
  provider->hosts = g_strv_builder_end (builder);

  if (*provider->name == '\0')
    {
      g_free (provider->name);
      provider->name = g_strdup (id);
    }

  provider->problem = check_url ("authorization-url", provider->authorization_url);
  if (provider->problem == NULL)
    provider->problem = check_url ("token-url", provider->token_url);
  if (provider->problem == NULL && *provider->client_id == '\0')
    {
      g_autofree char *file = suggested_file (id);

      provider->problem = g_strdup_printf (
        /* TRANSLATORS: the first %s is the provider ("Microsoft"), the
         * second a file name */
        _("Signing in with %s is not set up in this copy of Skrzynka. IT support can set it "
          "up by registering the program with the provider and putting its client ID into %s "
          "(client-id= in the [OAuth2] group)."),
        provider->name, file);
    }

  return provider;
}

SkOAuth2Provider *
sk_oauth2_provider_find (const char *id)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GPtrArray) folders = NULL;
  g_autofree char *name = NULL;
  gboolean found;

  g_return_val_if_fail (id != NULL, NULL);

  if (!sk_oauth2_provider_id_is_valid (id))
    return NULL;

  found = load_built_in (key_file, id);
  name = g_strconcat (id, ".conf", NULL);
  folders = override_folders ();
  /* The least important folder first, so that the user's is merged last. */
  for (guint i = folders->len; i-- > 0;)
    {
      g_autofree char *path = g_build_filename (g_ptr_array_index (folders, i), name, NULL);
      g_autoptr(GKeyFile) file = g_key_file_new ();
      g_autoptr(GError) error = NULL;

      if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
        {
          if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            g_warning ("%s: %s", path, error->message);
          continue;
        }
      merge (key_file, file);
      found = TRUE;
    }

  return found ? provider_from_key_file (id, key_file) : NULL;
}

static void
add_ids_in (GPtrArray  *ids,
            const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *id = NULL;

      if (!g_str_has_suffix (entry, ".conf"))
        continue;
      id = g_strndup (entry, strlen (entry) - strlen (".conf"));
      if (sk_oauth2_provider_id_is_valid (id)
          && !g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
        g_ptr_array_add (ids, g_steal_pointer (&id));
    }
}

GPtrArray *
sk_oauth2_provider_list (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) folders = override_folders ();
  g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *providers = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_oauth2_provider_free);

  for (guint i = 0; i < G_N_ELEMENTS (built_in_clients); i++)
    g_ptr_array_add (ids, g_strdup (built_in_clients[i].id));
  for (guint i = 0; i < folders->len; i++)
    add_ids_in (more, g_ptr_array_index (folders, i));
  g_ptr_array_sort (more, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < more->len; i++)
    if (!g_ptr_array_find_with_equal_func (ids, g_ptr_array_index (more, i), g_str_equal, NULL))
      g_ptr_array_add (ids, g_strdup (g_ptr_array_index (more, i)));

  for (guint i = 0; i < ids->len; i++)
    {
      SkOAuth2Provider *provider = sk_oauth2_provider_find (g_ptr_array_index (ids, i));

      if (provider != NULL)
        g_ptr_array_add (providers, provider);
    }

  return providers;
}

SkOAuth2Provider *
sk_oauth2_provider_find_for_host (const char *host)
{
  g_autoptr(GPtrArray) providers = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  lower = g_ascii_strdown (host, -1);
  providers = sk_oauth2_provider_list ();
  for (guint i = 0; i < providers->len; i++)
    {
      SkOAuth2Provider *provider = g_ptr_array_index (providers, i);

      if (g_strv_contains ((const char * const *) provider->hosts, lower))
        return g_ptr_array_steal_index (providers, i);
    }

  return NULL;
}
