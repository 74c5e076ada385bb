/* sk-core.h — what the core library sets up once for all its parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the core's own resources (the provider tables); safe to call
 * from any thread, any number of times. */
void sk_core_ensure_resources (void);

/* Starts libcurl, once, from whichever thread comes first: each worker
 * calls it before making its first handle.  From 7.84 on (meson asks for
 * 7.88) libcurl starts safely from any thread where it was built with
 * atomics, which its CURL_VERSION_THREADSAFE feature says (Debian's
 * does); starting sets OpenSSL up and takes about 2 ms that the main loop
 * would otherwise lose at the first test. */
void sk_core_ensure_curl      (void);

G_END_DECLS
