/* test-cli.c — the real skrzynka binary's --list, --export, --import, and
 * the checks before --test and --send-test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "core/sk-account-keyfile.h"
#include "core/sk-account-store.h"
#include "test-util.h"

#define GOOD_FILE \
  "[Account]\n" \
  "name=Biuro Łódź\n" \
  "full-name=Firma Sp. z o.o.\n" \
  "email=biuro@gmail.com\n" \
  "type=pop3\n" \
  "incoming-host=pop.gmail.com\n" \
  "incoming-port=995\n" \
  "incoming-security=ssl\n" \
  "username=biuro@gmail.com\n" \
  "leave-copy=false\n" \
  "outgoing-host=smtp.gmail.com\n" \
  "outgoing-port=587\n" \
  "outgoing-security=starttls\n" \
  "outgoing-auth=true\n" \
  "outgoing-same-login=false\n" \
  "outgoing-username=wysylka@gmail.com\n" \
  "timeout=120\n" \
  "users=AN;JK;\n" \
  "user-names=Anna Nowak;Jan Kowalski;\n" \
  "user-owners=AN;\n" \
  "user-default=JK\n" \
  "x-future=kept\n"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
store_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "skrzynka", "accounts.conf", NULL);
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_strndup (data ? data : "", size);
}

/* Runs the binary as a script would: no display, a configuration folder of
 * this test's own, and the given locale. */
static void
run_binary (Run        *run,
            const char *locale,
            ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("SKRZYNKA_BINARY");
  va_list args;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  va_start (args, locale);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", locale, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
}

#define run(result, ...) run_binary (result, "C.UTF-8", __VA_ARGS__, NULL)

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;

  return n;
}

static void
test_list_empty (void)
{
  g_auto(Run) result = { 0 };
  g_autofree char *path = store_path ();

  run (&result, "--list");
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpstr (result.err, ==, "");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_import (void)
{
  g_autofree char *file = test_write_file ("biuro.conf", GOOD_FILE);
  g_autofree char *second = test_write_file ("archiwum.conf",
                                             "[Account]\n"
                                             "name=archiwum\n"
                                             "email=archiwum@example.com\n"
                                             "incoming-host=imap.example.com\n"
                                             "username=archiwum\n"
                                             "outgoing-host=smtp.example.com\n"
                                             "inactive=true\n");
  g_autofree char *path = store_path ();
  g_auto(Run) import = { 0 };
  g_auto(Run) import_second = { 0 };
  g_auto(Run) list = { 0 };
  GStatBuf st;

  run (&import, "--import", file);
  g_assert_cmpstr (import.err, ==, "");
  g_assert_cmpint (import.status, ==, 0);
  g_assert_cmpstr (import.out, ==, "Imported “Biuro Łódź”.\n");

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);

  run (&import_second, "--import", second);
  g_assert_cmpint (import_second.status, ==, 0);

  /* Sorted by name whatever the case; the format scripts rely on. */
  run (&list, "--list");
  g_assert_cmpint (list.status, ==, 0);
  g_assert_cmpstr (list.err, ==, "");
  g_assert_cmpstr (list.out, ==,
                   "archiwum\tarchiwum@example.com\timap\tinactive\n"
                   "Biuro Łódź\tbiuro@gmail.com\tpop3\tactive\n");
}

/* A bad file: exit 2, one line naming the key, nothing saved. */
static void
assert_refused (const char *contents,
                const char *key)
{
  g_autofree char *file = test_write_file ("bad.conf", contents);
  g_autofree char *path = store_path ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected_start = g_strdup_printf ("skrzynka: %s: %s: ", file, key);
  g_auto(Run) result = { 0 };

  if (!g_file_get_contents (path, &before, NULL, NULL))
    before = NULL;

  run (&result, "--import", file);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpuint (count_lines (result.err), ==, 1);
  if (!g_str_has_prefix (result.err, expected_start))
    g_error ("“%s” does not start with “%s”", result.err, expected_start);

  if (!g_file_get_contents (path, &after, NULL, NULL))
    after = NULL;
  g_assert_cmpstr (after, ==, before);
}

static void
test_import_refused (void)
{
  g_autofree char *bad_port = NULL;
  g_autofree char *with_password = NULL;
  g_autofree char *path = store_path ();
  g_autofree char *good = test_write_file ("good.conf", GOOD_FILE);
  g_auto(Run) import = { 0 };
  g_auto(Run) again = { 0 };

  bad_port = g_strconcat (GOOD_FILE, "incoming-port=abc\n", NULL);
  with_password = g_strconcat (GOOD_FILE, "password=abcdabcdabcdabcd\n", NULL);

  /* Into an empty store: no file appears. */
  assert_refused (bad_port, "incoming-port");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Into a saved one: the file stays as it was. */
  run (&import, "--import", good);
  g_assert_cmpint (import.status, ==, 0);
  assert_refused (bad_port, "incoming-port");
  assert_refused (with_password, "password");
  assert_refused ("[Account]\nname=Kadry\nemail=kadry@example\n"
                  "incoming-host=imap.example.com\noutgoing-host=smtp.example.com\n",
                  "email");

  /* The same name twice is refused too. */
  run (&again, "--import", good);
  g_assert_cmpint (again.status, ==, 2);
  g_assert_true (g_str_has_prefix (again.err, "skrzynka: "));
  g_assert_nonnull (strstr (again.err, ": name: "));
}

/* A file written with its length, NUL bytes and all. */
static char *
write_bytes (const char *basename,
             const char *contents,
             gsize       length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), basename, NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return path;
}

/* A file that is no exported account at all: exit 2, one line that says
 * so (not the first key that happens to look wrong), nothing saved. */
static void
assert_not_an_account (const char *file,
                       const char *reason)
{
  g_autofree char *path = store_path ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = g_strdup_printf ("skrzynka: %s: ", file);
  g_auto(Run) result = { 0 };

  if (!g_file_get_contents (path, &before, NULL, NULL))
    before = NULL;

  run (&result, "--import", file);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpuint (count_lines (result.err), ==, 1);
  g_assert_true (g_str_has_prefix (result.err, expected));
  if (strstr (result.err, reason) == NULL)
    g_error ("“%s” does not say “%s”", result.err, reason);
  g_assert_nonnull (strstr (result.err, "not an exported account"));

  if (!g_file_get_contents (path, &after, NULL, NULL))
    after = NULL;
  g_assert_cmpstr (after, ==, before);
}

static void
test_import_not_text (void)
{
  g_autoptr(GString) big = g_string_new (GOOD_FILE);
  g_autofree char *big_path = NULL;
  g_autofree char *nul_path = NULL;
  g_autofree char *path = store_path ();
  /* Valid but for the NUL, which GKeyFile would quietly end the name at. */
  static const char nul[] = "[Account]\n"
                            "name=Kadry\0Place\n"
                            "email=kadry@example.com\n"
                            "incoming-host=imap.example.com\n"
                            "username=kadry\n"
                            "outgoing-host=smtp.example.com\n";

  /* Valid too, but for 10 MB of an unknown key it would carry along. */
  g_string_append (big, "x-notes=");
  for (guint i = 0; i < 10 * 1024; i++)
    g_string_append_printf (big, "%01023u", i);
  g_string_append_c (big, '\n');
  big_path = write_bytes ("big.conf", big->str, big->len);
  nul_path = write_bytes ("nul.conf", nul, sizeof nul - 1);

  assert_not_an_account (big_path, "10.5");
  assert_not_an_account (nul_path, "NUL");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_import_missing_file (void)
{
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "no-such.conf", NULL);
  g_auto(Run) result = { 0 };

  run (&result, "--import", missing);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpuint (count_lines (result.err), ==, 1);
  g_assert_true (g_str_has_prefix (result.err, "skrzynka: "));
}

static void
test_export_round_trip (void)
{
  g_autofree char *file = test_write_file ("biuro.conf", GOOD_FILE);
  g_autofree char *exported_path = NULL;
  g_autoptr(SkAccountStore) store = NULL;
  g_autoptr(SkAccount) reimported = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) import = { 0 };
  g_auto(Run) export = { 0 };
  SkAccount *saved;

  run (&import, "--import", file);
  g_assert_cmpint (import.status, ==, 0);

  /* Names are matched as the duplicate rule matches them. */
  run (&export, "--export", "biuro łódź");
  g_assert_cmpint (export.status, ==, 0);
  g_assert_cmpstr (export.err, ==, "");
  g_assert_true (g_str_has_prefix (export.out, "#"));
  g_assert_nonnull (strstr (export.out, "\n[Account]\n"));
  g_assert_null (strstr (export.out, "password="));

  exported_path = test_write_file ("exported.conf", export.out);
  reimported = sk_account_import_file (exported_path, NULL, &error);
  g_assert_no_error (error);

  store = sk_account_store_new (NULL);
  g_assert_true (sk_account_store_load (store, &error));
  g_assert_no_error (error);
  saved = sk_account_store_find_by_name (store, "Biuro Łódź");
  g_assert_nonnull (saved);

  g_assert_true (sk_account_equal (reimported, saved));
  g_assert_cmpuint (sk_account_get_timeout (saved), ==, 120);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sk_account_get_users (saved))), ==, 2);

  g_assert_finalize_object (g_steal_pointer (&reimported));
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* The exported file and the list are UTF-8 even where the terminal is not. */
static void
test_export_c_locale (void)
{
  g_autofree char *file = test_write_file ("kadry.conf",
                                           "[Account]\n"
                                           "name=Kadry\n"
                                           "full-name=Zażółć gęślą jaźń\n"
                                           "email=kadry@example.com\n"
                                           "incoming-host=imap.example.com\n"
                                           "username=kadry\n"
                                           "outgoing-host=smtp.example.com\n");
  g_autofree char *good = test_write_file ("biuro.conf", GOOD_FILE);
  g_auto(Run) import = { 0 };
  g_auto(Run) import_good = { 0 };
  g_auto(Run) export = { 0 };
  g_auto(Run) list = { 0 };

  run (&import, "--import", file);
  g_assert_cmpint (import.status, ==, 0);
  run (&import_good, "--import", good);
  g_assert_cmpint (import_good.status, ==, 0);

  run_binary (&export, "C", "--export", "Kadry", NULL);
  g_assert_cmpint (export.status, ==, 0);
  g_assert_nonnull (strstr (export.out, "\nfull-name=Zażółć gęślą jaźń\n"));

  run_binary (&list, "C", "--list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_cmpstr (list.out, ==,
                   "Biuro Łódź\tbiuro@gmail.com\tpop3\tactive\n"
                   "Kadry\tkadry@example.com\timap\tactive\n");
}

static void
test_export_unknown (void)
{
  g_autofree char *file = test_write_file ("biuro.conf", GOOD_FILE);
  g_auto(Run) import = { 0 };
  g_auto(Run) export = { 0 };

  run (&import, "--import", file);
  g_assert_cmpint (import.status, ==, 0);

  run (&export, "--export", "Nobody");
  g_assert_cmpint (export.status, ==, 1);
  g_assert_cmpstr (export.out, ==, "");
  g_assert_cmpstr (export.err, ==, "skrzynka: no account named “Nobody”\n");
}

static char *
write_damaged_store (void)
{
  g_autofree char *path = store_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "not a key file\n", -1, NULL));

  return g_steal_pointer (&dir);
}

static void
test_damaged_store (void)
{
  g_autofree char *good = test_write_file ("biuro.conf", GOOD_FILE);
  g_autofree char *dir = NULL;
  g_autofree char *path = store_path ();
  g_autofree char *prefix = g_strdup_printf ("%s.damaged-", path);
  g_auto(Run) list = { 0 };
  g_auto(Run) import = { 0 };
  g_auto(Run) list_after = { 0 };

  dir = write_damaged_store ();
  run (&list, "--list");
  g_assert_cmpint (list.status, ==, 2);
  g_assert_cmpstr (list.out, ==, "");
  g_assert_cmpuint (count_lines (list.err), ==, 1);
  g_assert_nonnull (strstr (list.err, prefix));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Importing into a damaged store starts a new list, and says so; the
   * damaged file is kept. */
  g_free (write_damaged_store ());
  run (&import, "--import", good);
  g_assert_cmpint (import.status, ==, 0);
  g_assert_nonnull (strstr (import.err, prefix));
  g_assert_nonnull (strstr (import.out, "new, empty list"));
  g_assert_nonnull (strstr (import.out, "Imported “Biuro Łódź”."));

  run (&list_after, "--list");
  g_assert_cmpint (list_after.status, ==, 0);
  g_assert_cmpstr (list_after.out, ==, "Biuro Łódź\tbiuro@gmail.com\tpop3\tactive\n");

  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    guint kept = 0;
    const char *name;

    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *kept_path = g_build_filename (dir, name, NULL);
        g_autofree char *contents = NULL;

        if (!g_str_has_prefix (kept_path, prefix))
          continue;
        g_assert_true (g_file_get_contents (kept_path, &contents, NULL, NULL));
        g_assert_cmpstr (contents, ==, "not a key file\n");
        kept++;
      }

    g_assert_cmpuint (kept, ==, 2);
  }
}

/* A saved account that a hand edit broke: the store keeps it as it is. */
static void
write_store (const char *contents)
{
  g_autofree char *path = store_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

/* A setting a test cannot go without is named as --import names it, before
 * any password is asked for: without a session bus, a keyring lookup would
 * have said that no keyring answered. */
static void
test_test_refused (void)
{
  g_auto(Run) test = { 0 };
  g_auto(Run) send = { 0 };

  write_store ("[Account 1]\n"
               "name=Zepsute\n"
               "full-name=Biuro\n"
               "email=biuro@example.com\n"
               "incoming-host=imap.example.com\n"
               "username=biuro\n"
               "outgoing-host=smtp example com\n");

  run (&test, "--test", "Zepsute");
  g_assert_cmpint (test.status, ==, 2);
  g_assert_cmpstr (test.out, ==, "");
  g_assert_cmpuint (count_lines (test.err), ==, 1);
  g_assert_true (g_str_has_prefix (test.err, "skrzynka: outgoing-host: "));

  run (&send, "--send-test", "Zepsute");
  g_assert_cmpint (send.status, ==, 2);
  g_assert_cmpstr (send.out, ==, "");
  g_assert_cmpstr (send.err, ==, test.err);
}

/* Sending also needs an address to send from and to. */
static void
test_send_test_refused (void)
{
  g_auto(Run) send = { 0 };
  g_auto(Run) test = { 0 };

  write_store ("[Account 1]\n"
               "name=Bez adresu\n"
               "full-name=Biuro\n"
               "email=biuro@\n"
               "incoming-host=imap.example.com\n"
               "username=biuro\n"
               "outgoing-host=smtp.example.com\n");

  run (&send, "--send-test", "Bez adresu");
  g_assert_cmpint (send.status, ==, 2);
  g_assert_cmpuint (count_lines (send.err), ==, 1);
  g_assert_true (g_str_has_prefix (send.err, "skrzynka: email: "));

  /* A login needs no address: the test goes on to the password. */
  run (&test, "--test", "Bez adresu");
  g_assert_cmpint (test.status, ==, 2);
  g_assert_null (strstr (test.err, "email"));
  g_assert_nonnull (strstr (test.err, "keyring"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sk/cli/list-empty", test_list_empty);
  g_test_add_func ("/sk/cli/import", test_import);
  g_test_add_func ("/sk/cli/import-refused", test_import_refused);
  g_test_add_func ("/sk/cli/import-not-text", test_import_not_text);
  g_test_add_func ("/sk/cli/import-missing-file", test_import_missing_file);
  g_test_add_func ("/sk/cli/export-round-trip", test_export_round_trip);
  g_test_add_func ("/sk/cli/export-c-locale", test_export_c_locale);
  g_test_add_func ("/sk/cli/export-unknown", test_export_unknown);
  g_test_add_func ("/sk/cli/damaged-store", test_damaged_store);
  g_test_add_func ("/sk/cli/test-refused", test_test_refused);
  g_test_add_func ("/sk/cli/send-test-refused", test_send_test_refused);

  return g_test_run ();
}
