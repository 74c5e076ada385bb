/* sk-cli.h — the headless command line (for IT support and scripts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-account-store.h"

G_BEGIN_DECLS

/* Exit statuses of DESIGN.md. */
enum
{
  SK_EXIT_OK      = 0,
  SK_EXIT_FAILED  = 1,  /* a test failed, or the thing asked for is not there */
  SK_EXIT_USAGE   = 2,  /* bad usage or a bad input file: nothing saved */
};

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

G_END_DECLS
