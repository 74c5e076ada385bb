/* fuzz-autoconfig.c — Thunderbird's config-v1.1.xml as a provider, the ISP
 * database or IT support's file brings it: every file that parses must
 * give servers that can be used, with the address put in and no
 * placeholder or password left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-account.h"
#include "core/sk-autoconfig.h"
#include "fuzz-common.h"

#define ADDRESS "jan.kowalski@firma.pl"

static gboolean
oauth2_known (const char *host,
              gpointer    user_data)
{
  return g_str_has_suffix (host, ".firma.pl");
}

static void
check_servers (GPtrArray *servers,
               gboolean   outgoing)
{
  for (guint i = 0; i < servers->len; i++)
    {
      const SkFoundServer *found = g_ptr_array_index (servers, i);
      const SkServer *server = found->server;

      if ((server->protocol == SK_PROTOCOL_SMTP) != outgoing)
        fuzz_fail ("a server on the wrong side");
      if (!sk_hostname_is_valid (server->host))
        fuzz_fail ("a server that is no host name: %s", server->host);
      if (server->port < 1 || server->port > 65535)
        fuzz_fail ("a server on port %u", server->port);
      if (server->password != NULL)
        fuzz_fail ("a password from a settings file");
      if (server->username != NULL
          && (strchr (server->username, '%') != NULL || !g_utf8_validate (server->username, -1, NULL)))
        fuzz_fail ("a user name with a placeholder left or not UTF-8: %s", server->username);
      if (found->login == SK_LOGIN_OAUTH2 && !oauth2_known (server->host, NULL))
        fuzz_fail ("sign-in offered for a host no provider serves");
      if (found->login == SK_LOGIN_NONE && !outgoing)
        fuzz_fail ("an incoming server without a login");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = sk_autoconfig_parse (bytes, ADDRESS, oauth2_known, NULL, &error);

  if (config == NULL)
    {
      if (error == NULL || error->message == NULL || !g_utf8_validate (error->message, -1, NULL))
        fuzz_fail ("a refusal without a readable reason");
      return 0;
    }

  if (config->incoming->len == 0)
    fuzz_fail ("settings without an incoming server");
  check_servers (config->incoming, FALSE);
  check_servers (config->outgoing, TRUE);
  for (guint i = 0; i < config->notes->len; i++)
    if (!g_utf8_validate (g_ptr_array_index (config->notes, i), -1, NULL))
      fuzz_fail ("a note that is not UTF-8");
  if (config->display_name != NULL && !g_utf8_validate (config->display_name, -1, NULL))
    fuzz_fail ("a provider name that is not UTF-8");

  return 0;
}
