/* sk-transcript.h — the conversation with a server, password-free, and what
 * it shows about the login (private to the core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sk-diagnosis.h"

G_BEGIN_DECLS

typedef enum
{
  SK_LINE_NOTE,    /* libcurl's own remarks ("Connected to …") */
  SK_LINE_CLIENT,  /* a command we sent */
  SK_LINE_SERVER,  /* a reply the server sent */
} SkLineSource;

/* What the current connection showed, read from the exchange itself:
 * libcurl reports success without a login in some cases (an IMAP PREAUTH
 * greeting, an SMTP server offering no AUTH). */
typedef struct
{
  gboolean greeted;           /* the server's first line arrived */
  gboolean preauth;           /* IMAP "* PREAUTH": in without a login */
  gboolean starttls_offered;  /* STARTTLS (IMAP, SMTP) or STLS (POP3) offered */
  gboolean login_attempted;   /* an authentication command went out */
  gboolean logged_in;         /* … and the server accepted it */
} SkExchange;

typedef struct _SkTranscript SkTranscript;

/* username and password are what this side logs in with (either may be
 * NULL): every form of the password is replaced by a placeholder before a
 * line is kept.  The copies are wiped when the transcript is freed. */
SkTranscript     *sk_transcript_new              (SkProtocol     protocol,
                                                  const char    *username,
                                                  const char    *password);
void              sk_transcript_free             (SkTranscript  *self);

/* A new connection: the exchange starts afresh, not yet secure. */
void              sk_transcript_begin_connection (SkTranscript  *self);

/* From now on the server's lines are its own (TLS is up, or no TLS was
 * chosen): only those become the last reply. */
void              sk_transcript_set_secure       (SkTranscript  *self);

/* Data as libcurl's debug callback hands it over: any number of lines,
 * the last one possibly unfinished. */
void              sk_transcript_feed             (SkTranscript  *self,
                                                  SkLineSource   source,
                                                  const char    *data,
                                                  gsize          length);

const SkExchange *sk_transcript_get_exchange     (SkTranscript  *self);

/* The server's last reply received over a secure connection (or on a
 * connection without TLS by choice), password-free; NULL if none. */
const char       *sk_transcript_get_last_reply   (SkTranscript  *self);

/* The status in the JSON with which the server refused an access token
 * ({"status":"401",…} in a SASL continuation), or NULL. */
const char       *sk_transcript_get_token_refusal (SkTranscript *self);

/* Every line kept, "< " from the server, "> " to it, "* " notes. */
char             *sk_transcript_to_string        (SkTranscript  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkTranscript, sk_transcript_free)

G_END_DECLS
