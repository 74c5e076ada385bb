/* sk-connection-test.h — logs in to an account's servers in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-account.h"
#include "sk-diagnosis.h"

G_BEGIN_DECLS

/* resolve name → connect → secure connection → server greeting → log in */
typedef enum
{
  SK_TEST_STEP_RESOLVE,
  SK_TEST_STEP_CONNECT,
  SK_TEST_STEP_TLS,
  SK_TEST_STEP_GREETING,
  SK_TEST_STEP_LOGIN,
  SK_N_TEST_STEPS
} SkTestStep;

typedef enum
{
  SK_STEP_PENDING,
  SK_STEP_RUNNING,
  SK_STEP_OK,
  SK_STEP_FAILED,
  SK_STEP_SKIPPED,   /* e.g. TLS with security None, or after a failure */
} SkStepState;

typedef struct
{
  char      *subject;
  char      *issuer;
  GDateTime *not_before;
  GDateTime *not_after;
  char      *sha256;       /* "AB:CD:…", upper-case hex pairs */
  gboolean   trusted;      /* verified by the system store, the extra CA or a pin */
} SkCertificateInfo;

typedef struct
{
  SkTestSide          side;
  SkProtocol          protocol;
  char               *host;
  guint               port;
  SkSecurity          security;
  gboolean            ok;
  double              seconds;                    /* whole side */
  SkStepState         step_state[SK_N_TEST_STEPS];
  double              step_seconds[SK_N_TEST_STEPS]; /* since the side started */
  SkCertificateInfo  *certificate;                /* NULL when no TLS happened */
  SkDiagnosis        *diagnosis;
  char               *server_reply;               /* last reply, password-free */
  char               *transcript;                 /* the exchange, password-free */
} SkSideResult;

typedef struct
{
  char         *account_name;
  gboolean      ok;
  SkSideResult *sides[SK_N_TEST_SIDES];
} SkTestResult;

typedef struct
{
  /* Also trust the CA certificates in this PEM file (--cafile), or NULL. */
  const char *cafile;
  /* For a login with the provider (SK_AUTH_METHOD_OAUTH2): an access
   * token in hand, or NULL to get one with the refresh token in the
   * keyring.  A token the server refuses is refreshed once either way. */
  const char *access_token;
} SkTestOptions;

/* Called on the caller's main context as the test advances; no longer
 * once the cancellable is cancelled (the caller may be gone). */
typedef void (*SkTestProgressFunc) (SkTestSide   side,
                                    SkTestStep   step,
                                    SkStepState  state,
                                    double       seconds,
                                    gpointer     user_data);

#define SK_CONNECTION_TEST_ERROR (sk_connection_test_error_quark ())

typedef enum
{
  /* The settings cannot be tested (e.g. a CR/LF in the password): nothing
   * was sent. */
  SK_CONNECTION_TEST_ERROR_INVALID,
} SkConnectionTestError;

GQuark        sk_connection_test_error_quark (void);

/* Tests incoming and outgoing in parallel, each on a worker thread with a
 * fresh libcurl handle.  A login with the provider first gets an access
 * token (kept in memory only) from the refresh token in the keyring; when
 * none can be had, that side's result says why (sign-in-required, …).  Every input is copied (the passwords too, wiped
 * when freed).  Cancelling ends the test within 100 ms; the result then
 * says "cancelled".  A failed login is a result, not an error: the error is
 * only for settings that cannot be tested at all. */
void          sk_connection_test_async  (SkAccount            *account,
                                         const SkTestOptions  *options,
                                         SkTestProgressFunc    progress,
                                         gpointer              progress_data,
                                         GDestroyNotify        progress_destroy,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
SkTestResult *sk_connection_test_finish (GAsyncResult         *result,
                                         GError              **error);

/* The JSON object of DESIGN.md, one line, never a password. */
char         *sk_test_result_to_json    (SkTestResult         *result);
/* The plain-text report for IT support, translated: the settings of
 * tested, the account as it was tested (never a password), the steps with
 * their times, the diagnosis codes and the conversations with the
 * servers. */
char         *sk_test_result_to_text    (const SkTestResult   *result,
                                         SkAccount            *tested);
void          sk_test_result_free       (SkTestResult         *result);

/* Short, stable names (JSON, scripts). */
const char   *sk_test_step_to_string    (SkTestStep            step);

/* Words for people, translated: "Resolve name", "Incoming (IMAP)". */
const char   *sk_test_step_get_title    (SkTestStep            step);
char         *sk_test_side_dup_title    (SkTestSide            side,
                                         SkProtocol            protocol);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkTestResult, sk_test_result_free)

G_END_DECLS
