/* sk-cli-detect.h — --detect: the settings found for an address
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-cli.h"

G_BEGIN_DECLS

typedef struct
{
  /* Also trust the CA certificates in this PEM file, or NULL. */
  const char *cafile;
  /* The result as sk_discovery_to_json() on stdout, and no steps on
   * stderr. */
  gboolean    json;
} SkCliDetectOptions;

/* --detect ADDRESS: looks in every source at once, prints each lookup to
 * stderr as it ends (unless json) and what was found to stdout.  0: settings
 * were found, 1: none, 2: a malformed address.  SKRZYNKA_CONNECT_TO
 * (semicolon-separated CURLOPT_CONNECT_TO entries) is a test hook that
 * points host names elsewhere for this command alone. */
int sk_cli_detect (const char               *address,
                   const SkCliDetectOptions *options);

G_END_DECLS
