/* sk-cli.h — the headless command line (for IT support and scripts): its
 * options, which of them go together, and the command they ask for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of DESIGN.md. */
enum
{
  SK_EXIT_OK      = 0,
  SK_EXIT_FAILED  = 1,  /* a test failed, or the thing asked for is not there */
  SK_EXIT_USAGE   = 2,  /* bad usage or a bad input file: nothing saved */
};

/* The options, for g_application_add_main_option_entries(): none has
 * arg_data, so each arrives in the GVariantDict of handle-local-options. */
const GOptionEntry *sk_cli_get_option_entries (void);

/* Runs the command that options ask for and returns its exit status, or
 * -1 when they ask for none: then the window is to open.  Needs no
 * display, and runs before GTK is initialised. */
int                 sk_cli_handle_options     (GVariantDict *options);

G_END_DECLS
