/* sk-server.c — one mail server and the login it takes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Account"

#include "config.h"

#include <string.h>

#include "sk-secret.h"
#include "sk-server.h"

G_DEFINE_BOXED_TYPE (SkServer, sk_server, sk_server_copy, sk_server_free)

SkServer *
sk_server_new (SkProtocol protocol)
{
  SkServer *server = g_new0 (SkServer, 1);

  g_return_val_if_fail (protocol <= SK_PROTOCOL_SMTP, NULL);

  server->protocol = protocol;
  server->host = g_strdup ("");
  server->security = SK_SECURITY_SSL;
  server->port = sk_protocol_standard_port (protocol, SK_SECURITY_SSL);
  server->auth_method = SK_AUTH_METHOD_AUTO;
  server->pinned_sha256 = g_strdup ("");

  return server;
}

SkServer *
sk_server_copy (const SkServer *server)
{
  SkServer *copy;

  g_return_val_if_fail (server != NULL, NULL);

  copy = g_memdup2 (server, sizeof *server);
  copy->host = g_strdup (server->host);
  copy->username = g_strdup (server->username);
  copy->password = g_strdup (server->password);
  copy->pinned_sha256 = g_strdup (server->pinned_sha256);
  copy->oauth2_provider = g_strdup (server->oauth2_provider);

  return copy;
}

void
sk_server_free (SkServer *server)
{
  if (server == NULL)
    return;

  g_free (server->host);
  g_free (server->username);
  sk_secret_free (server->password);
  g_free (server->pinned_sha256);
  g_free (server->oauth2_provider);
  g_free (server);
}

gboolean
sk_server_equal (const SkServer *a,
                 const SkServer *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return a->protocol == b->protocol
         && g_strcmp0 (a->host, b->host) == 0
         && a->port == b->port
         && a->security == b->security
         && a->auth_method == b->auth_method
         && g_strcmp0 (a->username, b->username) == 0
         && g_strcmp0 (a->password, b->password) == 0
         && g_strcmp0 (a->pinned_sha256, b->pinned_sha256) == 0
         && g_strcmp0 (a->oauth2_provider, b->oauth2_provider) == 0
         && !a->plain_confirmed == !b->plain_confirmed;
}

void
sk_server_set_login (SkServer   *server,
                     const char *username,
                     const char *password)
{
  g_return_if_fail (server != NULL);

  g_free (server->username);
  sk_secret_free (server->password);
  server->username = g_strdup (username);
  /* A login always has a password, if only an empty one. */
  server->password = username != NULL ? g_strdup (password != NULL ? password : "") : NULL;
}

gboolean
sk_server_takes_login (const SkServer *server)
{
  g_return_val_if_fail (server != NULL, FALSE);

  return server->username != NULL;
}

guint
sk_protocol_standard_port (SkProtocol protocol,
                           SkSecurity security)
{
  gboolean ssl = security == SK_SECURITY_SSL;

  switch (protocol)
    {
    case SK_PROTOCOL_IMAP:
      return ssl ? 993 : 143;
    case SK_PROTOCOL_POP3:
      return ssl ? 995 : 110;
    case SK_PROTOCOL_SMTP:
      return ssl ? 465 : 587;
    default:
      g_return_val_if_reached (0);
    }
}

static const char * const protocol_names[] = {
  [SK_PROTOCOL_IMAP] = "imap",
  [SK_PROTOCOL_POP3] = "pop3",
  [SK_PROTOCOL_SMTP] = "smtp",
};

static const char * const security_names[] = {
  [SK_SECURITY_SSL] = "ssl",
  [SK_SECURITY_STARTTLS] = "starttls",
  [SK_SECURITY_NONE] = "none",
};

static const char * const auth_method_names[] = {
  [SK_AUTH_METHOD_AUTO] = "auto",
  [SK_AUTH_METHOD_PLAIN] = "plain",
  [SK_AUTH_METHOD_LOGIN] = "login",
  [SK_AUTH_METHOD_CRAM_MD5] = "cram-md5",
  [SK_AUTH_METHOD_DIGEST_MD5] = "digest-md5",
  [SK_AUTH_METHOD_NTLM] = "ntlm",
  [SK_AUTH_METHOD_OAUTH2] = "oauth2",
};

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *str,
             guint              *value)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_strcmp0 (names[i], str) == 0)
        {
          *value = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
sk_protocol_to_string (SkProtocol protocol)
{
  g_return_val_if_fail (protocol < G_N_ELEMENTS (protocol_names), NULL);

  return protocol_names[protocol];
}

const char *
sk_protocol_url_scheme (SkProtocol protocol,
                        gboolean   implicit_tls)
{
  static const char * const schemes[][2] = {
    [SK_PROTOCOL_IMAP] = { "imap", "imaps" },
    [SK_PROTOCOL_POP3] = { "pop3", "pop3s" },
    [SK_PROTOCOL_SMTP] = { "smtp", "smtps" },
  };

  g_return_val_if_fail (protocol < G_N_ELEMENTS (schemes), NULL);

  return schemes[protocol][implicit_tls ? 1 : 0];
}

gboolean
sk_protocol_from_string (const char *str,
                         SkProtocol *protocol)
{
  guint value;

  g_return_val_if_fail (protocol != NULL, FALSE);

  if (!lookup_name (protocol_names, G_N_ELEMENTS (protocol_names), str, &value))
    return FALSE;

  *protocol = value;
  return TRUE;
}

const char *
sk_security_to_string (SkSecurity security)
{
  g_return_val_if_fail (security < G_N_ELEMENTS (security_names), NULL);

  return security_names[security];
}

gboolean
sk_security_from_string (const char *str,
                         SkSecurity *security)
{
  guint value;

  g_return_val_if_fail (security != NULL, FALSE);

  if (!lookup_name (security_names, G_N_ELEMENTS (security_names), str, &value))
    return FALSE;

  *security = value;
  return TRUE;
}

const char *
sk_auth_method_to_string (SkAuthMethod method)
{
  g_return_val_if_fail (method < G_N_ELEMENTS (auth_method_names), NULL);

  return auth_method_names[method];
}

gboolean
sk_auth_method_from_string (const char   *str,
                            SkAuthMethod *method)
{
  guint value;

  g_return_val_if_fail (method != NULL, FALSE);

  if (!lookup_name (auth_method_names, G_N_ELEMENTS (auth_method_names), str, &value))
    return FALSE;

  *method = value;
  return TRUE;
}
