/* test-store.c — the saved accounts: loading, saving, damage, signals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "core/sk-account-keyfile.h"
#include "core/sk-account-store.h"
#include "test-util.h"

/* Each test runs with its own XDG_CONFIG_HOME (G_TEST_OPTION_ISOLATE_DIRS),
 * so the default path is a fresh, empty place. */
typedef struct
{
  char *dir;   /* $XDG_CONFIG_HOME/skrzynka */
  char *path;  /* dir/accounts.conf */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = g_build_filename (g_get_user_config_dir (), "skrzynka", NULL);
  fixture->path = g_build_filename (fixture->dir, "accounts.conf", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->dir);
  g_free (fixture->path);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in dir, sorted. */
static GStrv
list_dir (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = g_dir_open (dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static SkAccountStore *
new_loaded_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  SkAccountStore *store = sk_account_store_new (path);

  sk_account_store_load (store, &error);
  g_assert_no_error (error);

  return store;
}

static void
save (SkAccountStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sk_account_store_save (store, &error));
  g_assert_no_error (error);
}

static SkAccount *
get (SkAccountStore *store,
     guint           position)
{
  SkAccount *account = g_list_model_get_item (G_LIST_MODEL (store), position);

  /* The store holds it: a borrowed pointer is enough for the tests. */
  g_object_unref (account);
  return account;
}

static void
test_default_path (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = sk_account_store_default_path ();
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_autoptr(SkAccountStore) explicit = sk_account_store_new ("/tmp/elsewhere.conf");
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (),
                                                "skrzynka", "accounts.conf", NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (sk_account_store_get_path (store), ==, expected);
  g_assert_cmpstr (sk_account_store_get_path (explicit), ==, "/tmp/elsewhere.conf");
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == SK_TYPE_ACCOUNT);

  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&explicit));
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (sk_account_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  /* Loading writes nothing. */
  g_assert_false (g_file_test (fixture->dir, G_FILE_TEST_EXISTS));

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_autoptr(SkAccountStore) loaded = NULL;
  g_autoptr(SkAccount) zeta = test_make_full_account ("zeta");
  g_autoptr(SkAccount) alfa = test_make_valid_account ("Alfa");
  g_autoptr(SkAccount) beta = test_make_full_account ("beta");
  g_autofree char *text = NULL;
  const char *order[] = { "Alfa", "beta", "zeta" };

  g_key_file_set_string (sk_account_get_unknown_keys (beta), SK_EXPORT_GROUP,
                         "x-future", "from a newer version");
  sk_account_store_put (store, zeta);
  sk_account_store_put (store, alfa);
  sk_account_store_put (store, beta);
  save (store);

  text = read_file (fixture->path);
  g_assert_null (strstr (text, "secret"));
  g_assert_null (strstr (text, "password="));
  g_assert_nonnull (strstr (text, "[Account "));

  loaded = new_loaded_store (NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      SkAccount *saved = sk_account_store_find_by_name (store, order[i]);
      SkAccount *read = get (loaded, i);
      g_autoptr(SkAccount) expected = sk_account_copy (saved);

      g_assert_cmpstr (sk_account_get_name (read), ==, order[i]);
      /* The id is what ties an account to its keyring items. */
      g_assert_cmpstr (sk_account_get_id (read), ==, sk_account_get_id (saved));
      sk_account_set_password (expected, NULL);
      sk_account_set_outgoing_password (expected, NULL);
      g_assert_true (sk_account_equal (read, expected));
    }

  g_assert_finalize_object (g_steal_pointer (&loaded));
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&zeta));
  g_assert_finalize_object (g_steal_pointer (&alfa));
  g_assert_finalize_object (g_steal_pointer (&beta));
}

static void
test_modes (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");

  sk_account_store_put (store, account);
  save (store);
  g_assert_cmpuint (file_mode (fixture->dir), ==, 0700);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);

  /* A file someone made readable to all is made private again. */
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  save (store);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);

  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_existing_world_readable (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = NULL;
  g_autoptr(SkAccount) account = test_make_valid_account ("Nowe");

  /* A file and folder made by hand before the program ever ran. */
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path,
                                      "[Account abc]\n"
                                      "name=Stare\n"
                                      "email=stare@example.com\n"
                                      "incoming-host=imap.example.com\n"
                                      "outgoing-host=smtp.example.com\n",
                                      -1, NULL));
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);

  store = new_loaded_store (NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  sk_account_store_put (store, account);
  save (store);

  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = new_loaded_store (NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_nonnull (sk_account_store_find_by_id (store, "abc"));

  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_no_leftovers (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_auto(GStrv) names = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Konto %u", i);
      g_autoptr(SkAccount) account = test_make_valid_account (name);

      sk_account_store_put (store, account);
      save (store);
    }

  names = list_dir (fixture->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "accounts.conf");

  g_assert_finalize_object (g_steal_pointer (&store));
}

/* A save that fails half-way through writing (the file size limit stands in
 * for a full disk) leaves the old file as it was, and no temporary file. */
static void
test_failed_save_keeps_file (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_autoptr(SkAccount) first = test_make_valid_account ("Biuro");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(GStrv) names = NULL;
  struct rlimit saved_limit;
  struct rlimit limit;
  void (*saved_handler) (int);
  gboolean saved;

  sk_account_store_put (store, first);
  save (store);
  before = read_file (fixture->path);

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("Konto %u", i);
      g_autoptr(SkAccount) account = test_make_full_account (name);

      sk_account_store_put (store, account);
    }

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved_limit), ==, 0);
  limit = saved_limit;
  limit.rlim_cur = strlen (before) + 512;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  saved = sk_account_store_save (store, &error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved_limit), ==, 0);
  signal (SIGXFSZ, saved_handler);

  g_assert_false (saved);
  g_assert_nonnull (error);

  after = read_file (fixture->path);
  g_assert_cmpstr (after, ==, before);
  names = list_dir (fixture->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "accounts.conf");

  /* Once there is room again, the save goes through. */
  save (store);
  g_clear_pointer (&after, g_free);
  after = read_file (fixture->path);
  g_assert_cmpuint (strlen (after), >, strlen (before) + 512);

  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&first));
}

/* A folder where the file should be: the save fails, the folder and what
 * is in it stay, and no temporary file is left next to it. */
static void
test_target_is_directory (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  g_autofree char *inner = g_build_filename (fixture->path, "keep.txt", NULL);
  g_autofree char *inner_text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (inner, "keep me", -1, NULL));

  sk_account_store_put (store, account);
  g_assert_false (sk_account_store_save (store, &error));
  g_assert_nonnull (error);

  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_DIR));
  inner_text = read_file (inner);
  g_assert_cmpstr (inner_text, ==, "keep me");
  names = list_dir (fixture->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "accounts.conf");

  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&account));
}

/* A file that exists but cannot be read is not damaged, only out of reach:
 * it stays where it is and saving does not overwrite it. */
static void
test_unreadable_not_overwritten (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");
  g_autofree char *inner = g_build_filename (fixture->path, "keep.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (inner, "keep me", -1, NULL));

  g_assert_false (sk_account_store_load (store, &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, SK_STORE_ERROR, SK_STORE_ERROR_DAMAGED));
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  sk_account_store_put (store, account);
  g_assert_false (sk_account_store_save (store, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_DAMAGED);

  names = list_dir (fixture->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_true (g_file_test (inner, G_FILE_TEST_IS_REGULAR));

  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&account));
}

static GRegex *
damaged_name_regex (void)
{
  return g_regex_new ("^accounts\\.conf\\.damaged-[0-9]{8}-[0-9]{6}(-[0-9]+)?$", 0, 0, NULL);
}

/* Loads a damaged file and checks that it was kept aside byte for byte;
 * returns the name it was kept under. */
static char *
assert_set_aside (Fixture    *fixture,
                  const char *contents,
                  gsize       length,
                  const char *reason)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_autoptr(GRegex) regex = damaged_name_regex ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_path = NULL;
  g_autofree char *kept_contents = NULL;
  gsize kept_length;

  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  before = list_dir (fixture->dir);
  g_assert_true (g_file_set_contents (fixture->path, contents, length, NULL));

  g_assert_false (sk_account_store_load (store, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_DAMAGED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  after = list_dir (fixture->dir);
  g_assert_cmpuint (g_strv_length (after), ==, g_strv_length (before) + 1);
  for (guint i = 0; after[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) before, after[i]))
      kept = g_strdup (after[i]);
  g_assert_nonnull (kept);
  g_assert_true (g_regex_match (regex, kept, 0, NULL));

  kept_path = g_build_filename (fixture->dir, kept, NULL);
  g_assert_true (g_file_get_contents (kept_path, &kept_contents, &kept_length, NULL));
  g_assert_cmpmem (kept_contents, kept_length, contents, length);

  /* The message says what happened and where the copy is. */
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, kept_path));
  if (reason != NULL)
    g_assert_nonnull (strstr (error->message, reason));

  /* The store is usable: saving starts a new file beside the kept one. */
  {
    g_autoptr(SkAccount) account = test_make_valid_account ("Biuro");

    sk_account_store_put (store, account);
    save (store);
    g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
    g_clear_pointer (&kept_contents, g_free);
    g_assert_true (g_file_get_contents (kept_path, &kept_contents, &kept_length, NULL));
    g_assert_cmpmem (kept_contents, kept_length, contents, length);
    g_assert_finalize_object (g_steal_pointer (&store));
    g_assert_finalize_object (g_steal_pointer (&account));
  }

  g_assert_cmpint (g_unlink (fixture->path), ==, 0);

  return g_steal_pointer (&kept);
}

static char *
local_stamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y%m%d-%H%M%S");
}

static void
test_damaged (Fixture       *fixture,
              gconstpointer  data)
{
  const char garbage[] = "[Account 1\nthis is not a key file\n\x01\x02\xff\0tail";
  g_autofree char *before = local_stamp ();
  g_autofree char *kept = assert_set_aside (fixture, garbage, sizeof garbage - 1, NULL);
  g_autofree char *after = local_stamp ();
  g_autofree char *stamp = g_strndup (kept + strlen ("accounts.conf.damaged-"),
                                      strlen ("YYYYMMDD-HHMMSS"));

  /* Local time, as the person looking at the folder reads it. */
  g_assert_cmpstr (before, <=, stamp);
  g_assert_cmpstr (stamp, <=, after);
}

static void
test_damaged_group (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *bad_port = "[Account good]\n"
                         "name=Dobre\n"
                         "email=dobre@example.com\n"
                         "incoming-host=imap.example.com\n"
                         "outgoing-host=smtp.example.com\n"
                         "\n"
                         "[Account bad]\n"
                         "name=Złe\n"
                         "email=zle@example.com\n"
                         "incoming-host=imap.example.com\n"
                         "incoming-port=abc\n"
                         "outgoing-host=smtp.example.com\n";
  const char *no_id = "[Account ]\nname=x\n";
  const char *bad_text = "[Account x]\nname=\xff\xfe\n";
  g_autofree char *first = assert_set_aside (fixture, bad_port, strlen (bad_port), "incoming-port");
  g_autofree char *second = assert_set_aside (fixture, no_id, strlen (no_id), NULL);
  g_autofree char *third = assert_set_aside (fixture, bad_text, strlen (bad_text), "name");

  /* Every damaged file is kept under its own name, even within a second. */
  g_assert_cmpstr (first, !=, second);
  g_assert_cmpstr (second, !=, third);
  g_assert_cmpstr (first, !=, third);
}

static void
test_unknown_groups (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = NULL;
  g_autoptr(SkAccount) account = test_make_valid_account ("Drugie");
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *value = NULL;
  g_autofree char *unknown = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path,
                                      "[Settings]\n"
                                      "window-width=800\n"
                                      "\n"
                                      "[Account abc]\n"
                                      "name=Pierwsze\n"
                                      "email=a@example.com\n"
                                      "incoming-host=imap.example.com\n"
                                      "outgoing-host=smtp.example.com\n"
                                      "x-future=yes\n",
                                      -1, NULL));

  store = new_loaded_store (NULL);
  sk_account_store_put (store, account);
  save (store);

  g_assert_true (g_key_file_load_from_file (key_file, fixture->path, G_KEY_FILE_NONE, NULL));
  value = g_key_file_get_value (key_file, "Settings", "window-width", NULL);
  unknown = g_key_file_get_value (key_file, "Account abc", "x-future", NULL);
  g_assert_cmpstr (value, ==, "800");
  g_assert_cmpstr (unknown, ==, "yes");
  g_assert_true (g_key_file_has_group (key_file, "Account abc"));

  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&account));
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_changes (GArray *changes,
                ...)
{
  va_list args;
  guint i = 0;

  va_start (args, changes);
  for (int position = va_arg (args, int); position >= 0; position = va_arg (args, int), i++)
    {
      Change *change;

      g_assert_cmpuint (i, <, changes->len);
      change = &g_array_index (changes, Change, i);
      g_assert_cmpuint (change->position, ==, (guint) position);
      g_assert_cmpuint (change->removed, ==, va_arg (args, guint));
      g_assert_cmpuint (change->added, ==, va_arg (args, guint));
    }
  va_end (args);

  g_assert_cmpuint (i, ==, changes->len);
  g_array_set_size (changes, 0);
}

static void
assert_names (SkAccountStore *store,
              ...)
{
  va_list args;
  guint i = 0;

  va_start (args, store);
  for (const char *name = va_arg (args, const char *); name != NULL; name = va_arg (args, const char *), i++)
    g_assert_cmpstr (sk_account_get_name (get (store, i)), ==, name);
  va_end (args);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, i);
}

static void
test_items_changed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_autoptr(SkAccountStore) other = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(SkAccount) biuro = test_make_valid_account ("Biuro");
  g_autoptr(SkAccount) kadry = test_make_valid_account ("kadry");
  g_autoptr(SkAccount) alfa = test_make_valid_account ("Alfa");
  g_autoptr(SkAccount) edited = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (store, "items-changed", G_CALLBACK (record_change), changes);

  sk_account_store_put (store, biuro);
  assert_changes (changes, 0, 0, 1, -1);
  sk_account_store_put (store, kadry);
  assert_changes (changes, 1, 0, 1, -1);
  sk_account_store_put (store, alfa);
  assert_changes (changes, 0, 0, 1, -1);
  assert_names (store, "Alfa", "Biuro", "kadry", NULL);

  /* Putting an edited copy updates the stored account in place. */
  edited = sk_account_copy (biuro);
  sk_account_set_full_name (edited, "Firma");
  sk_account_store_put (store, edited);
  assert_changes (changes, 1, 1, 1, -1);
  g_assert_true (get (store, 1) == biuro);
  g_assert_cmpstr (sk_account_get_full_name (biuro), ==, "Firma");

  /* A new name moves it to its place, in one signal over the rows between. */
  sk_account_set_name (edited, "Zarząd");
  sk_account_store_put (store, edited);
  assert_changes (changes, 1, 2, 2, -1);
  assert_names (store, "Alfa", "kadry", "Zarząd", NULL);
  g_assert_true (get (store, 2) == biuro);

  sk_account_set_name (edited, "Administracja");
  sk_account_store_put (store, edited);
  assert_changes (changes, 0, 3, 3, -1);
  assert_names (store, "Administracja", "Alfa", "kadry", NULL);

  g_assert_true (sk_account_store_remove (store, kadry));
  assert_changes (changes, 2, 1, 0, -1);
  g_assert_false (sk_account_store_remove (store, kadry));
  assert_changes (changes, -1);

  /* Removing goes by id, so the dialog's copy will do. */
  g_assert_true (sk_account_store_remove (store, edited));
  assert_changes (changes, 0, 1, 0, -1);
  assert_names (store, "Alfa", NULL);

  /* Loading replaces everything in one signal. */
  other = sk_account_store_new (NULL);
  sk_account_store_put (other, biuro);
  sk_account_store_put (other, kadry);
  save (other);
  g_assert_true (sk_account_store_load (store, &error));
  g_assert_no_error (error);
  assert_changes (changes, 0, 1, 2, -1);
  assert_names (store, "Administracja", "kadry", NULL);

  g_signal_handlers_disconnect_by_data (store, changes);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_finalize_object (g_steal_pointer (&edited));
  g_assert_finalize_object (g_steal_pointer (&biuro));
  g_assert_finalize_object (g_steal_pointer (&kadry));
  g_assert_finalize_object (g_steal_pointer (&alfa));
}

static void
test_find (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SkAccountStore) store = sk_account_store_new (NULL);
  g_autoptr(SkAccount) biuro = test_make_valid_account ("Biuro");
  g_autoptr(SkAccount) lodz = test_make_valid_account ("Łódź");
  g_autoptr(SkAccount) copy = NULL;
  g_auto(GStrv) all = NULL;
  g_auto(GStrv) others = NULL;

  sk_account_store_put (store, biuro);
  sk_account_store_put (store, lodz);

  g_assert_true (sk_account_store_find_by_name (store, "Biuro") == biuro);
  g_assert_true (sk_account_store_find_by_name (store, " biuro ") == biuro);
  g_assert_true (sk_account_store_find_by_name (store, "ŁÓDŹ") == lodz);
  g_assert_null (sk_account_store_find_by_name (store, "Biur"));
  g_assert_true (sk_account_store_find_by_id (store, sk_account_get_id (lodz)) == lodz);
  g_assert_null (sk_account_store_find_by_id (store, "no-such-id"));

  all = sk_account_store_dup_names (store, NULL);
  g_assert_cmpuint (g_strv_length (all), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) all, "Biuro"));
  g_assert_true (g_strv_contains ((const char * const *) all, "Łódź"));

  /* The dialog passes its copy: it is matched by id. */
  copy = sk_account_copy (biuro);
  others = sk_account_store_dup_names (store, copy);
  g_assert_cmpuint (g_strv_length (others), ==, 1);
  g_assert_cmpstr (others[0], ==, "Łódź");

  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&biuro));
  g_assert_finalize_object (g_steal_pointer (&lodz));
}

int
main (int   argc,
      char *argv[])
{
  /* Sorting collates as on a desktop, which runs in a UTF-8 locale. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/sk/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("default-path", test_default_path);
  ADD ("missing-file", test_missing_file);
  ADD ("round-trip", test_round_trip);
  ADD ("modes", test_modes);
  ADD ("existing-world-readable", test_existing_world_readable);
  ADD ("no-leftovers", test_no_leftovers);
  ADD ("failed-save-keeps-file", test_failed_save_keeps_file);
  ADD ("target-is-directory", test_target_is_directory);
  ADD ("unreadable-not-overwritten", test_unreadable_not_overwritten);
  ADD ("damaged", test_damaged);
  ADD ("damaged-group", test_damaged_group);
  ADD ("unknown-groups", test_unknown_groups);
  ADD ("items-changed", test_items_changed);
  ADD ("find", test_find);

#undef ADD

  return g_test_run ();
}
