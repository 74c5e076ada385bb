/* test-util.h — accounts shared by the unit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "core/sk-account.h"

G_BEGIN_DECLS

/* The signing certificates of test_make_full_account(), default second. */
#define TEST_CERTIFICATES \
  ((const char * const []) { \
     "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
     "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", \
     "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:" \
     "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99", \
     NULL })

/* An account that passes sk_account_validate() with only the required
 * settings filled in. */
SkAccount *test_make_valid_account   (const char *name);

/* An account in which every setting differs from its default (and the
 * strings hold characters a key file must escape), and which still passes
 * sk_account_validate(); passwords included. */
SkAccount *test_make_full_account    (const char *name);

/* Asserts that every setting property of account differs from its
 * default, so that a round trip of it proves every field. */
void       test_assert_all_changed   (SkAccount  *account);

/* The GParamSpecs of the settings: every property but "id" and "users". */
GPtrArray *test_setting_properties   (void);

/* Writes contents to a new file in the test's temporary folder. */
char      *test_write_file           (const char *basename,
                                      const char *contents);

/* Makes the tests' signing certificates (tests/unit/certs.py, with the
 * openssl command) in a new temporary folder, whose path it returns; the
 * folder's certs.ini describes them.  They hold private keys: remove the
 * folder with test_remove_tree() before the test ends. */
char      *test_make_certificates    (void);

/* Deletes path and everything below it, not following links. */
void       test_remove_tree          (const char *path);

/* The desktop a keyring test runs in (tests/session.sh sets it up). */
typedef enum
{
  MODE_KEYRING,     /* a keyring running */
  MODE_NO_KEYRING,  /* --no-keyring: a session bus, no keyring */
  MODE_NO_BUS,      /* --no-bus: no session bus at all */
} Mode;

/* Takes --no-keyring or --no-bus out of argv, for g_test_init(). */
Mode       test_take_mode            (int        *argc,
                                      char      **argv);

/* tests/servers/autoconfig_server.py on loopback, answering as any
 * provider's autoconfig host and as the ISP database. */
typedef struct
{
  char        *folder;         /* its files, and requests.jsonl */
  GSubprocess *process;
  char        *cafile;         /* the test CA its certificate comes from */
  char        *connect_to[3];  /* every name on 443 and on 80 to it; NULL-ended */
} TestWebServer;

TestWebServer *test_web_server_start  (void);
/* Stops it (it stops when its standard input closes) and removes its files. */
void           test_web_server_stop   (TestWebServer *server);

/* How many times longer than on a plain build a timing check may take:
 * SKRZYNKA_TEST_TIME_SCALE (1 to 100; build-aux/test.sh sets it for the
 * sanitizer build), 1 when unset. */
gint64     test_time_scale           (void);

G_END_DECLS
