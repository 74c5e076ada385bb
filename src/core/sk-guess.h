/* sk-guess.h — finding a domain's mail servers by trying the usual names,
 * without ever sending a password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-server.h"

G_BEGIN_DECLS

typedef struct
{
  /* Also trust the CA certificates in this PEM file (--cafile), or NULL. */
  const char          *cafile;
  /* libcurl CONNECT_TO entries ("HOST:PORT:CONNECT-HOST:CONNECT-PORT"),
   * NULL-terminated, or NULL: how tests point the usual names at their own
   * servers on loopback. */
  const char * const  *connect_to;
  /* Seconds one try may take, greeting and capabilities included; 0: 10. */
  guint                probe_timeout;
} SkGuessOptions;

typedef enum
{
  SK_PROBE_FOUND,      /* it answered, securely as asked */
  SK_PROBE_NONE,       /* nothing there: no such name, refused, not that protocol */
  SK_PROBE_ERROR,      /* something answered, but not so that it can be used */
  SK_PROBE_TIMEOUT,
  SK_PROBE_CANCELLED,  /* a better answer made it unnecessary, or the caller */
} SkProbeOutcome;

/* One try, for the record of what was looked at. */
typedef struct
{
  SkProtocol      protocol;
  char           *host;
  guint           port;
  SkSecurity      security;     /* what the try found (STARTTLS or none on
                                 * 143, 110 and 587) */
  SkProbeOutcome  outcome;
  double          seconds;
  /* The host the certificate is made out to, when it is valid but for
   * another name; NULL otherwise. */
  char           *certificate_host;
} SkProbe;

typedef struct
{
  GPtrArray  *incoming;   /* SkServer (IMAP, POP3), best first */
  GPtrArray  *outgoing;   /* SkServer (SMTP), best first */
  GPtrArray  *notes;      /* translated sentences for the person */
  GPtrArray  *probes;     /* SkProbe, in the order they were started */
} SkGuessResult;

/* Tries the usual host names of the domain of email (imap., pop3., pop.,
 * mail., smtp. and the bare domain) on the usual ports (993/143, 995/110,
 * 465/587) all at once.  Only the greeting and CAPABILITY, CAPA or EHLO go
 * out: never a user name or password.  TLS before STARTTLS before nothing,
 * IMAP before POP3; a STARTTLS port counts only when the server offers
 * STARTTLS; a certificate must verify.  When it is valid but made out to
 * another host (a hosting company's server name), that host is tried too
 * and offered instead when its certificate is valid.  The servers found
 * have the address as user name (and no password).  Finishing with nothing
 * found is a result with empty lists, not an error. */
void           sk_guess_async           (const char            *email,
                                         const SkGuessOptions  *options,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data);
SkGuessResult *sk_guess_finish          (GAsyncResult          *result,
                                         GError               **error);
void           sk_guess_result_free     (SkGuessResult         *result);

const char    *sk_probe_outcome_to_string (SkProbeOutcome       outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkGuessResult, sk_guess_result_free)

G_END_DECLS
