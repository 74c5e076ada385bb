/* fuzz-providers.c — the provider table (src/core/providers.conf): every
 * entry parsed as the program parses the built-in file, and the settings
 * each entry offers for an address of its domains.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-account.h"
#include "core/sk-providers.h"
#include "fuzz-common.h"

static void
check_servers (const char *name,
               GPtrArray  *servers,
               const char *address)
{
  for (guint i = 0; i < servers->len; i++)
    {
      const SkFoundServer *found = g_ptr_array_index (servers, i);

      if (!sk_hostname_is_valid (found->server->host))
        fuzz_fail ("[%s] a server that is no host name: %s", name, found->server->host);
      if (found->server->port == 0 || found->server->port > 65535)
        fuzz_fail ("[%s] a server on port %u", name, found->server->port);
      if (found->login != SK_LOGIN_NONE
          && (found->server->username == NULL || *found->server->username == '\0'))
        fuzz_fail ("[%s] a login without a user name for %s", name, address);
      if (found->server->password != NULL)
        fuzz_fail ("[%s] a password in the table", name);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) providers = sk_providers_parse (bytes, NULL);

  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      const SkProvider *provider = g_ptr_array_index (providers, i);
      const char *name = sk_provider_get_name (provider);
      const char * const *domains = sk_provider_get_domains (provider);

      for (guint j = 0; domains[j] != NULL; j++)
        {
          g_autofree char *address = g_strdup_printf ("jan@%s", domains[j]);
          g_autofree char *lower = g_utf8_strdown (domains[j], -1);
          g_autoptr(SkAutoconfig) settings = NULL;

          if (!sk_hostname_is_valid (domains[j]))
            fuzz_fail ("[%s] a domain that is no host name", name);
          /* An address of that domain, lower-cased as addresses are, must
           * still find it (reliability review N2). */
          if (strcmp (lower, domains[j]) != 0)
            fuzz_fail ("[%s] the domain %s is not in the form addresses are", name, domains[j]);
          if (!sk_email_is_valid (address))
            continue;

          settings = sk_provider_to_autoconfig (provider, address);
          if (settings == NULL)
            fuzz_fail ("[%s] no settings for %s", name, address);
          check_servers (name, settings->incoming, address);
          check_servers (name, settings->outgoing, address);
        }
    }

  return 0;
}
