/* sk-discover-sources.h — the lookup sources of DESIGN.md items 2, 5, 6
 * and 7: the built-in table, the MX host, SRV records and guessing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-autodiscover.h"

G_BEGIN_DECLS

/* DNS answers arrive in milliseconds or not at all: a source that waits on
 * them holds up every worse-ranked one, so it gives up after this long. */
#define SK_DISCOVER_DNS_TIMEOUT_MS 3000

/* Item 2: Gmail ("gmail"), the built-in table by address domain or by the
 * domain's MX host ("builtin"), a domain whose MX is Google's
 * ("workspace").  Its name says which, once it has found something; its
 * "where" is the table entry's first cited page, or the MX host. */
SkDiscoverSource *sk_builtin_source_new (const SkDiscoverOptions *options);
/* Item 5 ("mx"): the MX host without its first label, then its
 * registrable base domain, each looked up in the provider's https
 * autoconfig and in the ISP database (Thunderbird's forMX).  An MX within
 * the address's own domain, Google's or one the table knows has nothing
 * more to give here. */
SkDiscoverSource *sk_mx_source_new      (const SkDiscoverOptions *options);
/* Item 6 ("srv"): RFC 6186 SRV records, as sk_detect_async() reads them. */
SkDiscoverSource *sk_srv_source_new     (void);
/* Item 7 ("guess"): sk_guess_async(); a last resort (see
 * sk_discover_source_is_last_resort()). */
SkDiscoverSource *sk_guess_source_new   (const SkDiscoverOptions *options);

G_END_DECLS
