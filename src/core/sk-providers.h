/* sk-providers.h — the built-in table of large mail providers
 * (providers.conf), matched by address domain or by MX host
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-autoconfig.h"

G_BEGIN_DECLS

/* One entry of the table; owned by the table, which lives as long as the
 * program. */
typedef struct _SkProvider SkProvider;

/* The whole table, in file order (of const SkProvider *).  Loaded once. */
GPtrArray          *sk_providers_get                (void);
/* Every well-formed entry of a table in providers.conf's format (a bad
 * entry is reported with g_warning and left out), or NULL with an error
 * when the bytes are no key file at all.  For the table's tests.
 * (transfer full) */
GPtrArray          *sk_providers_parse              (GBytes     *bytes,
                                                     GError    **error);

/* The entry serving this address domain (ASCII, any case), or NULL. */
const SkProvider   *sk_provider_find_for_domain     (const char        *domain);
/* The entry whose MX host patterns match host (a trailing dot allowed),
 * or NULL. */
const SkProvider   *sk_provider_find_for_mx         (const char        *host);

/* The group name, shown as the provider's name ("WP", "Onet"…). */
const char         *sk_provider_get_name            (const SkProvider  *provider);
/* The pages and files the entry's settings come from, all https. */
const char * const *sk_provider_get_sources         (const SkProvider  *provider);
const char * const *sk_provider_get_domains         (const SkProvider  *provider);
/* The sign-in (OAuth 2.0) provider id when the entry offers only
 * sign-in, else NULL. */
const char         *sk_provider_get_oauth2          (const SkProvider  *provider);
/* The server of protocol without a login, or NULL when not offered. */
const SkServer     *sk_provider_get_server          (const SkProvider  *provider,
                                                     SkProtocol         protocol);
/* TRUE when the incoming user name is the full address. */
gboolean            sk_provider_username_is_email   (const SkProvider  *provider);

/* The entry's settings for address: servers with their user names and
 * login, the provider's translated notes (what to switch on first, the
 * other user name to try when the first is refused). */
SkAutoconfig       *sk_provider_to_autoconfig       (const SkProvider  *provider,
                                                     const char        *address);

/* MX hosts of Google (Workspace): aspmx.l.google.com, smtp.google.com… */
gboolean            sk_mx_is_google                 (const char        *host);

G_END_DECLS
