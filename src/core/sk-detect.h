/* sk-detect.h — which servers an e-mail address most likely uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-account.h"
#include "sk-autoconfig.h"

G_BEGIN_DECLS

typedef enum
{
  SK_DETECT_SOURCE_NONE,      /* nothing found */
  SK_DETECT_SOURCE_GMAIL,     /* gmail.com, googlemail.com */
  SK_DETECT_SOURCE_WORKSPACE, /* the domain's MX points to Google */
  SK_DETECT_SOURCE_BUILTIN,   /* the built-in table of large providers */
  SK_DETECT_SOURCE_SRV,       /* RFC 6186 SRV records of the domain */
} SkDetectSource;

/* The servers found carry no login (username NULL); a port of 0 stands
 * for the standard one of their security. */
typedef struct
{
  SkDetectSource  source;
  char           *provider;     /* a name to show ("Gmail", "Onet"…), or NULL */
  gboolean        google;       /* Gmail or Google Workspace: the guide applies */
  SkServer       *imap;         /* NULL: none known */
  SkServer       *pop3;         /* NULL: none known */
  SkServer       *smtp;         /* NULL: none known */
  gboolean        username_is_email;
} SkDetection;

/* TRUE for gmail.com and googlemail.com addresses (no network). */
gboolean     sk_email_is_gmail        (const char          *email);

/* Google's own settings (DESIGN.md "Presets"), for "Fill in Gmail settings". */
SkDetection *sk_detection_new_google  (SkDetectSource       source);

/* Looks at the address's domain: Gmail first, then the built-in table, then
 * (with GLib's default GResolver, g_resolver_get_default()) the MX records
 * for Google Workspace and the SRV records of RFC 6186, each within a short
 * time limit.  Never blocks the caller.  A domain with nothing to find gives
 * a detection with source SK_DETECT_SOURCE_NONE, not an error; the error is
 * for a malformed address or cancellation. */
void         sk_detect_async          (const char          *email,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
SkDetection *sk_detect_finish         (GAsyncResult        *result,
                                       GError             **error);
void         sk_detection_free        (SkDetection         *detection);

/* Puts the detected servers into account for its account type (incoming
 * IMAP or POP3 and outgoing SMTP, their ports and security; the user name
 * when it is the address), and returns a translated sentence saying what
 * changed, or NULL when nothing did. */
char        *sk_detection_apply       (SkDetection         *detection,
                                       SkAccount           *account);

/* The detection as settings for address: every server with its port, the
 * user name and password login. */
SkAutoconfig *sk_detection_to_autoconfig (const SkDetection *detection,
                                          const char        *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkDetection, sk_detection_free)

/* App passwords: Google shows "abcd efgh ijkl mnop"; the servers want
 * "abcdefghijklmnop".  Removes spaces (any Unicode white space) and dashes;
 * returns a new string. */
char        *sk_app_password_normalize (const char         *text);
/* TRUE when text (already normalised) is 16 letters a–z. */
gboolean     sk_app_password_looks_right (const char       *text);

G_END_DECLS
