/* sk-cli-commands.h — what each command of the command line does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "core/sk-account-store.h"

#include "sk-cli.h"

G_BEGIN_DECLS

/* Each loads the store itself, prints results to stdout and one line per
 * problem to stderr, and returns an exit status. */
int sk_cli_list   (SkAccountStore *store);
int sk_cli_export (SkAccountStore *store,
                   const char     *name);
int sk_cli_import (SkAccountStore *store,
                   const char     *path);

typedef struct
{
  /* Read the password from standard input rather than the keyring: one
   * line (two for a separate outgoing login), ending with a newline or
   * not. */
  gboolean    password_stdin;
  /* Also trust the CA certificates in this PEM file, or NULL. */
  const char *cafile;
  /* The result as one JSON object on stdout, and no steps on stderr. */
  gboolean    json;
} SkCliTestOptions;

/* Test connection for a saved account (--test NAME; the password from the
 * keyring unless password_stdin) or for the account in an export file
 * (--test-file FILE; never saved).  Steps go to stderr as they happen,
 * one sentence per side to stdout; 0: both sides passed, 1: a side
 * failed, 2: bad usage or a bad file. */
int sk_cli_test      (SkAccountStore         *store,
                      const char             *name,
                      const SkCliTestOptions *options);
int sk_cli_test_file (const char             *path,
                      const SkCliTestOptions *options);

typedef struct
{
  /* Check that the certificate is for this address, or NULL for none. */
  const char *email;
  /* Read the file's password (PKCS#12, or an encrypted PEM key) from
   * standard input: one line, which may be empty.  Without it, no
   * password is tried. */
  gboolean    password_stdin;
  /* Also trust the CA certificates in this PEM file, or NULL. */
  const char *cafile;
  /* The result as one JSON object on stdout. */
  gboolean    json;
} SkCliCertificateOptions;

/* --check-certificate FILE: what the certificate says and whether it can
 * sign mail (from email).  0: it can, 1: it cannot (the password included),
 * 2: the file cannot be read, or bad usage. */
int sk_cli_check_certificate (const char                    *path,
                              const SkCliCertificateOptions *options);

/* --import-certificate FILE --account NAME: stores the certificate (its
 * key encrypted, the passphrase in the keyring), adds it to the account,
 * makes it the default when the account has none, and prints its status
 * for the account's address.  password_stdin: the file's password on
 * standard input, one line.  0: imported, 1: not (a wrong or missing
 * password, or no keyring to keep its key), 2: bad usage, no such account,
 * or a file that cannot be read. */
int sk_cli_import_certificate (SkAccountStore *store,
                               const char     *path,
                               const char     *account_name,
                               gboolean        password_stdin);

/* --send-test NAME: a test message from and to the account's address
 * through its outgoing server, signed with the default certificate when
 * the account signs.  Options and passwords as for --test.  Steps go to
 * stderr, the outcome and the server's answer to stdout.  0: the server
 * accepted the message, 1: it did not, or signing is on without a usable
 * certificate, 2: bad usage. */
int sk_cli_send_test         (SkAccountStore         *store,
                              const char             *name,
                              const SkCliTestOptions *options);

/* --sign-in NAME [--cafile PEM]: signs the saved account in with its
 * provider (OAuth 2.0) through the browser: prints the address to open
 * on stderr (and opens it when there is a display), waits for the
 * redirect (five minutes; Ctrl+C cancels) and keeps the refresh token in
 * the keyring.  cafile: also trust these CAs for the provider's endpoints.
 * 0: signed in, 1: not (declined, timed out, … with the sentence), 2: no
 * such account, or it does not sign in with a provider. */
int sk_cli_sign_in           (SkAccountStore         *store,
                              const char             *name,
                              const char             *cafile);
/* --sign-out NAME: removes the account's sign-in (its refresh token) from
 * the keyring, as Sign out in the window does.  0: signed out (or was
 * not signed in), 1: the keyring failed, 2: no such account, or it does
 * not sign in with a provider. */
int sk_cli_sign_out          (SkAccountStore         *store,
                              const char             *name);

G_END_DECLS
