/* fuzz-providers.c — the provider table (src/core/providers.conf): every
 * group parsed as the program parses the built-in file, and what parses
 * put into an account as "Fill in" does.  The parser is private to
 * sk-detect.c, so that file is compiled into this target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "../../src/core/sk-detect.c"

#include "fuzz-common.h"

static void
check_guess (const char          *group,
             const SkServerGuess *guess)
{
  if (guess->host == NULL)
    return;
  if (!sk_hostname_is_valid (guess->host))
    fuzz_fail ("[%s] a server that is no host name: %s", group, guess->host);
  if (guess->port == 0)
    fuzz_fail ("[%s] a server on port 0", group);
}

static void
check_applied (const Provider *provider,
               SkAccountType   type)
{
  g_autoptr(SkDetection) detection = detection_from_provider (provider);
  g_autoptr(SkAccount) account = sk_account_new_with_id (NULL);
  g_autofree char *email = g_strdup_printf ("jan@%s", provider->domains[0]);
  g_autofree char *said = NULL;
  const SkServerGuess *incoming = type == SK_ACCOUNT_TYPE_POP3 ? &provider->pop3 : &provider->imap;

  sk_account_set_email (account, email);
  sk_account_set_account_type (account, type);
  said = sk_detection_apply (detection, account);

  if (said == NULL || !g_utf8_validate (said, -1, NULL))
    fuzz_fail ("[%s] filled in without saying what", provider->name);
  if (g_strcmp0 (sk_account_get_outgoing_host (account), provider->smtp.host) != 0)
    fuzz_fail ("[%s] another outgoing server", provider->name);
  if (incoming->host != NULL
      && g_strcmp0 (sk_account_get_incoming_host (account), incoming->host) != 0)
    fuzz_fail ("[%s] another incoming server", provider->name);
  if (provider->username_is_email
      && g_strcmp0 (sk_account_get_username (account), email) != 0)
    fuzz_fail ("[%s] the user name is not the address", provider->name);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_data (key_file, (const char *) data, size, G_KEY_FILE_NONE, NULL))
    return 0;

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(Provider) provider = parse_provider (key_file, groups[i]);

      if (provider == NULL)
        continue;

      for (guint j = 0; provider->domains[j] != NULL; j++)
        {
          g_autofree char *address = g_strdup_printf ("jan@%s", provider->domains[j]);
          g_autofree char *domain = email_domain (address);

          if (!sk_hostname_is_valid (provider->domains[j]))
            fuzz_fail ("[%s] a domain that is no host name", groups[i]);
          /* A domain no address can have ("localhost") is a dead entry,
           * not a wrong one; one that addresses have must match them. */
          if (domain != NULL && strcmp (domain, provider->domains[j]) != 0)
            fuzz_fail ("[%s] the domain %s does not match its own addresses",
                       groups[i], provider->domains[j]);
        }
      check_guess (groups[i], &provider->imap);
      check_guess (groups[i], &provider->pop3);
      check_guess (groups[i], &provider->smtp);

      check_applied (provider, SK_ACCOUNT_TYPE_IMAP);
      check_applied (provider, SK_ACCOUNT_TYPE_POP3);
    }

  return 0;
}
