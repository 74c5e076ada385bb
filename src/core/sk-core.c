/* sk-core.c — what the core library sets up once for all its parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka"

#include "config.h"

#include <curl/curl.h>

#include "sk-core.h"
#include "sk-core-resources.h"

void
sk_core_ensure_resources (void)
{
  static gsize registered;

  /* Registering a static resource twice would link it to itself. */
  if (g_once_init_enter (&registered))
    {
      sk_core_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

void
sk_core_ensure_curl (void)
{
  static gsize started;

  if (g_once_init_enter (&started))
    {
      CURLcode code = curl_global_init (CURL_GLOBAL_DEFAULT);

      if (code != CURLE_OK)
        g_error ("libcurl cannot start: %s", curl_easy_strerror (code));
      g_once_init_leave (&started, 1);
    }
}
