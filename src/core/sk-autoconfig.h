/* sk-autoconfig.h — mail settings for an address, as Thunderbird's
 * config-v1.1.xml files describe them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-server.h"

G_BEGIN_DECLS

/* Larger files are refused unread: real ones are a few KiB. */
#define SK_AUTOCONFIG_MAX_SIZE (256 * 1024)

#define SK_AUTOCONFIG_ERROR (sk_autoconfig_error_quark ())

typedef enum
{
  SK_AUTOCONFIG_ERROR_TOO_LARGE,
  SK_AUTOCONFIG_ERROR_MALFORMED,   /* not XML, or not a clientConfig */
  SK_AUTOCONFIG_ERROR_NO_SERVER,   /* no server Skrzynka can use */
  SK_AUTOCONFIG_ERROR_BAD_ADDRESS,
} SkAutoconfigError;

/* How a found server wants to be logged in to. */
typedef enum
{
  SK_LOGIN_PASSWORD,
  SK_LOGIN_OAUTH2,
  SK_LOGIN_NONE,
} SkLogin;

typedef struct
{
  SkServer *server;   /* username filled in when login is not NONE;
                       * password always NULL */
  SkLogin   login;
} SkFoundServer;

/* What one source found for an address. */
typedef struct
{
  char      *provider_id;    /* may be NULL */
  char      *display_name;   /* may be NULL */
  GPtrArray *incoming;       /* of SkFoundServer, best first */
  GPtrArray *outgoing;       /* of SkFoundServer, best first */
  GPtrArray *notes;          /* of char *, for the person, in words */
} SkAutoconfig;

/* Whether a sign-in (OAuth 2.0) provider is known for host. */
typedef gboolean (*SkOAuth2HostFunc) (const char *host,
                                      gpointer    user_data);

GQuark         sk_autoconfig_error_quark (void);

SkAutoconfig  *sk_autoconfig_new         (void);
/* Reads a config-v1.1.xml file for address.  oauth2_known may be NULL: no
 * sign-in provider is known, and OAuth2 methods are skipped. */
SkAutoconfig  *sk_autoconfig_parse       (GBytes            *bytes,
                                          const char        *address,
                                          SkOAuth2HostFunc   oauth2_known,
                                          gpointer           user_data,
                                          GError           **error);
void           sk_autoconfig_free        (SkAutoconfig      *config);

/* Takes server. */
SkFoundServer *sk_found_server_new       (SkServer          *server,
                                          SkLogin            login);
void           sk_found_server_free      (SkFoundServer     *found);

/* "password", "oauth2", "none" */
const char    *sk_login_to_string        (SkLogin            login);

/* The local part and the domain of an address, or FALSE when it is not
 * one (no "@", an empty part, spaces or control characters). */
gboolean       sk_address_split          (const char        *address,
                                          char             **local_part,
                                          char             **domain);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkAutoconfig, sk_autoconfig_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkFoundServer, sk_found_server_free)

G_END_DECLS
