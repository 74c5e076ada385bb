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

G_END_DECLS
