/* sk-oauth2-redirect-private.h — reading the browser's return, apart from
 * the listener, for the tests and the fuzz target (private to the core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-oauth2-redirect.h"

G_BEGIN_DECLS

typedef enum
{
  SK_REDIRECT_ELSEWHERE,  /* not "GET /?…": another page (a favicon) */
  SK_REDIRECT_STRANGER,   /* another sign-in's state, or no code nor error */
  SK_REDIRECT_CODE,       /* this sign-in's code, in code */
  SK_REDIRECT_REFUSED,    /* this sign-in's error=, in refusal */
} SkRedirectRequest;

/* What a request head ("GET /?code=…&state=… HTTP/1.1\r\n…") says, for
 * the sign-in whose state is state. */
SkRedirectRequest sk_oauth2_redirect_read (const char  *head,
                                           const char  *state,
                                           char       **code,
                                           GError     **refusal);

G_END_DECLS
