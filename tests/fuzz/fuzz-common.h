/* fuzz-common.h — what every fuzz target shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

G_BEGIN_DECLS

/* Both are libFuzzer's; fuzz-common.c defines the first. */
int  LLVMFuzzerInitialize   (int            *argc,
                             char         ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t  *data,
                             size_t          size);

/* A broken oracle: abort, so that libFuzzer keeps the input as a crash. */
#define fuzz_fail(...) \
  G_STMT_START { \
    fprintf (stderr, "fuzz: " __VA_ARGS__); \
    fputc ('\n', stderr); \
    abort (); \
  } G_STMT_END

G_END_DECLS
