/* sk-oauth2-provider.h — the providers one can sign in with (OAuth 2.0):
 * built in for Google and Microsoft, and IT support's own files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One provider, from the built-in file of its id merged with the files
 * skrzynka/oauth2/ID.conf in $XDG_CONFIG_DIRS and then $XDG_CONFIG_HOME,
 * each later one overriding the keys it sets (DESIGN.md). */
typedef struct
{
  char  *id;                        /* "google", "microsoft", or IT's own */
  char  *name;                      /* "Microsoft": "Sign in with Microsoft" */
  char  *client_id;                 /* "" when not set up */
  char  *client_secret;             /* "" when the provider wants none */
  char  *authorization_url;         /* https:// */
  char  *token_url;                 /* https:// */
  char  *scopes;                    /* space-separated */
  char  *authorization_parameters;  /* more of the authorization request
                                     * ("access_type=offline"), or "" */
  GStrv  hosts;                     /* the mail servers it signs in to */
  /* NULL when sign-in can be used; otherwise one translated sentence for
   * IT support saying what to set up, and where. */
  char  *problem;
} SkOAuth2Provider;

#define SK_TYPE_OAUTH2_PROVIDER (sk_oauth2_provider_get_type ())

GType             sk_oauth2_provider_get_type      (void) G_GNUC_CONST;

/* The provider of that id, or NULL when there is no such provider. */
SkOAuth2Provider *sk_oauth2_provider_find          (const char             *id);
/* The provider that serves the mail server host, or NULL. */
SkOAuth2Provider *sk_oauth2_provider_find_for_host (const char             *host);
/* Every provider, built in first, then IT's own by id. */
GPtrArray        *sk_oauth2_provider_list          (void);

SkOAuth2Provider *sk_oauth2_provider_copy          (const SkOAuth2Provider *provider);
void              sk_oauth2_provider_free          (SkOAuth2Provider       *provider);

/* A valid provider id: lower-case letters, digits and dashes. */
gboolean          sk_oauth2_provider_id_is_valid   (const char             *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkOAuth2Provider, sk_oauth2_provider_free)

G_END_DECLS
