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

/* Starts libcurl, once.  Call it from the main thread before a worker
 * uses libcurl: every part that does (the connection test, HTTPS,
 * guessing) starts its work from there. */
void sk_core_ensure_curl      (void);

G_END_DECLS
