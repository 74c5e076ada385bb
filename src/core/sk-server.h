/* sk-server.h — one mail server and the login it takes: what the connection
 * test, detection, the dialog's pages and the command line pass around
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  SK_PROTOCOL_IMAP,
  SK_PROTOCOL_POP3,
  SK_PROTOCOL_SMTP,
} SkProtocol;

typedef enum
{
  SK_SECURITY_SSL,
  SK_SECURITY_STARTTLS,
  SK_SECURITY_NONE,
} SkSecurity;

typedef enum
{
  SK_AUTH_METHOD_AUTO,
  SK_AUTH_METHOD_PLAIN,
  SK_AUTH_METHOD_LOGIN,
  SK_AUTH_METHOD_CRAM_MD5,
  SK_AUTH_METHOD_DIGEST_MD5,
  SK_AUTH_METHOD_NTLM,
  SK_AUTH_METHOD_OAUTH2,  /* signing in with the provider: XOAUTH2 */
} SkAuthMethod;

/* An account has two servers: the one mail comes from (IMAP or POP3) and
 * the one it is sent through (SMTP). */
typedef enum
{
  SK_TEST_SIDE_INCOMING,
  SK_TEST_SIDE_OUTGOING,
  SK_N_TEST_SIDES
} SkTestSide;

/* The shape evolution-data-server's CamelNetworkSettings gives every
 * protocol: where the server is, how the connection is secured, and the
 * login.  A plain value: copy it freely, free it with sk_server_free(). */
typedef struct
{
  SkProtocol    protocol;
  char         *host;             /* as typed; never NULL */
  guint         port;
  SkSecurity    security;
  SkAuthMethod  auth_method;
  char         *username;         /* NULL: this server takes no login */
  char         *password;         /* NULL exactly when username is; wiped
                                   * when freed.  With SK_AUTH_METHOD_OAUTH2,
                                   * the access token ("" until the test
                                   * gets one), in memory only */
  char         *oauth2_provider;  /* with SK_AUTH_METHOD_OAUTH2, the
                                   * provider's id ("google", …); else NULL */
  char         *pinned_sha256;    /* "" or the fingerprint ("AB:CD:…") of the
                                   * one certificate trusted for this server */
  gboolean      plain_confirmed;  /* the person accepted a login without
                                   * security */
} SkServer;

#define SK_TYPE_SERVER (sk_server_get_type ())

GType        sk_server_get_type        (void) G_GNUC_CONST;

/* A server of protocol with no host, the protocol's SSL/TLS port, and no
 * login. */
SkServer    *sk_server_new             (SkProtocol      protocol);
SkServer    *sk_server_copy            (const SkServer *server);
void         sk_server_free            (SkServer       *server);
/* Every field compared, the password included. */
gboolean     sk_server_equal           (const SkServer *a,
                                        const SkServer *b);
/* Sets both halves of the login; username NULL for none. */
void         sk_server_set_login       (SkServer       *server,
                                        const char     *username,
                                        const char     *password);
gboolean     sk_server_takes_login     (const SkServer *server);

/* The standard port of a protocol with a security mode: 993/143, 995/110,
 * 465/587 (SMTP STARTTLS and None both use 587). */
guint        sk_protocol_standard_port (SkProtocol      protocol,
                                        SkSecurity      security);

/* Short, stable names used in files, JSON and on the command line. */
const char  *sk_protocol_to_string     (SkProtocol      protocol);
gboolean     sk_protocol_from_string   (const char     *str,
                                        SkProtocol     *protocol);
/* libcurl's URL scheme: "imaps" for IMAP with TLS from the start. */
const char  *sk_protocol_url_scheme    (SkProtocol      protocol,
                                        gboolean        implicit_tls);
const char  *sk_security_to_string     (SkSecurity      security);
gboolean     sk_security_from_string   (const char     *str,
                                        SkSecurity     *security);
const char  *sk_auth_method_to_string  (SkAuthMethod    method);
gboolean     sk_auth_method_from_string (const char    *str,
                                        SkAuthMethod   *method);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkServer, sk_server_free)

G_END_DECLS
