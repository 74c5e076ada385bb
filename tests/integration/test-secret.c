/* test-secret.c — passwords in a real gnome-keyring, and without one
 *
 * Run through tests/session.sh, in one of three modes:
 *   (default)      --keyring: an unlocked gnome-keyring on a private bus;
 *                  secret-tool cross-checks what really is in the keyring
 *   --no-keyring   a private bus that cannot start any keyring
 *   --no-bus       no session bus at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "core/sk-secret.h"

#include "test-util.h"

/* The async API, run to completion on the main context. */

static void
on_ready (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static gboolean
store (const char    *account_id,
       SkSecretRole   role,
       const char    *account_name,
       const char    *password,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sk_secret_store_async (account_id, role, account_name, password,
                         cancellable, on_ready, &result);
  return sk_secret_store_finish (wait_for (&result), error);
}

static char *
lookup (const char    *account_id,
        SkSecretRole   role,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sk_secret_lookup_async (account_id, role, cancellable, on_ready, &result);
  return sk_secret_lookup_finish (wait_for (&result), error);
}

static gboolean
clear (const char    *account_id,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sk_secret_clear_async (account_id, cancellable, on_ready, &result);
  return sk_secret_clear_finish (wait_for (&result), error);
}

static gboolean
store_sign_in (const char    *account_id,
               const char    *provider_id,
               const char    *token,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sk_secret_store_sign_in_async (account_id, provider_id, "Microsoft", "Kancelaria", token,
                                 NULL, on_ready, &result);
  return sk_secret_store_finish (wait_for (&result), error);
}

static char *
lookup_sign_in (const char  *account_id,
                const char  *provider_id,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sk_secret_lookup_sign_in_async (account_id, provider_id, NULL, on_ready, &result);
  return sk_secret_lookup_finish (wait_for (&result), error);
}

static void
assert_password (const char   *account_id,
                 SkSecretRole  role,
                 const char   *expected)
{
  g_autoptr(GError) error = NULL;
  char *password;

  password = lookup (account_id, role, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, expected);
  sk_secret_free (password);
}

static void
assert_no_keyring_lookup (const char   *account_id,
                          SkSecretRole  role)
{
  g_autoptr(GError) error = NULL;
  char *password;

  password = lookup (account_id, role, NULL, &error);
  g_assert_error (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING);
  g_assert_null (password);
}

/* Each test works on accounts of its own, so that no test sees another's
 * items in the shared keyring. */
static char *
new_account_id (void)
{
  return g_uuid_string_random ();
}

/* What secret-tool, a client independent of the code under test, finds in
 * the keyring for (account_id, role): the item's fields as "label",
 * "secret", "schema", "attribute.NAME" → value, or NULL when there is no
 * such item.  It prints the attributes on stderr and the rest on stdout, so
 * the search must match one item at most for the two to belong together. */
static GHashTable *
keyring_item (const char *account_id,
              const char *role)
{
  const char *argv[] = {
    "secret-tool", "search", "--all", "account-id", account_id, "role", role,
    NULL
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *both = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *fields;
  int status;
  guint items = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  both = g_strconcat (out, err, NULL);
  lines = g_strsplit (both, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *separator = strstr (lines[i], " = ");

      if (lines[i][0] == '[')
        items++;
      else if (separator != NULL)
        g_hash_table_insert (fields,
                             g_strndup (lines[i], separator - lines[i]),
                             g_strdup (separator + 3));
    }

  g_assert_cmpuint (items, <=, 1);
  if (items == 0)
    g_clear_pointer (&fields, g_hash_table_unref);
  return fields;
}

static void
assert_keyring_item (const char *account_id,
                     const char *role,
                     const char *label,
                     const char *secret)
{
  g_autoptr(GHashTable) fields = keyring_item (account_id, role);

  g_assert_nonnull (fields);
  g_assert_cmpstr (g_hash_table_lookup (fields, "label"), ==, label);
  g_assert_cmpstr (g_hash_table_lookup (fields, "secret"), ==, secret);
  g_assert_cmpstr (g_hash_table_lookup (fields, "schema"), ==,
                   "pl.skrzynka.Skrzynka.Password");
  g_assert_cmpstr (g_hash_table_lookup (fields, "attribute.account-id"), ==,
                   account_id);
  g_assert_cmpstr (g_hash_table_lookup (fields, "attribute.role"), ==, role);
  g_assert_cmpuint (g_hash_table_size (fields), ==, 7);
}

static void
assert_no_keyring_item (const char *account_id,
                        const char *role)
{
  g_autoptr(GHashTable) fields = keyring_item (account_id, role);

  g_assert_null (fields);
}

/* With a keyring */

static void
test_keyring_store_lookup (void)
{
  g_autofree char *id = new_account_id ();
  g_autoptr(GError) error = NULL;

  g_assert_true (store (id, SK_SECRET_INCOMING, "Biuro", "abcd efgh ijkl mnop",
                        NULL, &error));
  g_assert_no_error (error);

  assert_password (id, SK_SECRET_INCOMING, "abcd efgh ijkl mnop");
  assert_keyring_item (id, "incoming", "Skrzynka: Biuro (incoming)",
                       "abcd efgh ijkl mnop");
  /* Only the role that was stored exists. */
  assert_password (id, SK_SECRET_OUTGOING, NULL);
  assert_no_keyring_item (id, "outgoing");
}

static void
test_keyring_roles (void)
{
  g_autofree char *id = new_account_id ();
  g_autoptr(GError) error = NULL;

  g_assert_true (store (id, SK_SECRET_INCOMING, "Sklep", "przychodzące",
                        NULL, &error));
  g_assert_no_error (error);
  g_assert_true (store (id, SK_SECRET_OUTGOING, "Sklep", "wychodzące ąęł",
                        NULL, &error));
  g_assert_no_error (error);

  assert_password (id, SK_SECRET_INCOMING, "przychodzące");
  assert_password (id, SK_SECRET_OUTGOING, "wychodzące ąęł");
  assert_keyring_item (id, "incoming", "Skrzynka: Sklep (incoming)",
                       "przychodzące");
  assert_keyring_item (id, "outgoing", "Skrzynka: Sklep (outgoing)",
                       "wychodzące ąęł");
}

static void
test_keyring_overwrite (void)
{
  g_autofree char *id = new_account_id ();
  g_autoptr(GError) error = NULL;

  g_assert_true (store (id, SK_SECRET_INCOMING, "Biuro", "old password",
                        NULL, &error));
  g_assert_no_error (error);
  g_assert_true (store (id, SK_SECRET_INCOMING, "Biuro 2", "new password",
                        NULL, &error));
  g_assert_no_error (error);

  assert_password (id, SK_SECRET_INCOMING, "new password");
  /* keyring_item() fails on a second item: the first was replaced. */
  assert_keyring_item (id, "incoming", "Skrzynka: Biuro 2 (incoming)",
                       "new password");
}

static void
test_keyring_empty_clears (void)
{
  g_autofree char *id = new_account_id ();
  g_autoptr(GError) error = NULL;

  g_assert_true (store (id, SK_SECRET_INCOMING, "Biuro", "secret",
                        NULL, &error));
  g_assert_no_error (error);
  g_assert_true (store (id, SK_SECRET_OUTGOING, "Biuro", "secret 2",
                        NULL, &error));
  g_assert_no_error (error);

  g_assert_true (store (id, SK_SECRET_INCOMING, "Biuro", "", NULL, &error));
  g_assert_no_error (error);
  assert_password (id, SK_SECRET_INCOMING, NULL);
  assert_no_keyring_item (id, "incoming");
  /* Only the role given was cleared. */
  assert_password (id, SK_SECRET_OUTGOING, "secret 2");

  g_assert_true (store (id, SK_SECRET_OUTGOING, "Biuro", NULL, NULL, &error));
  g_assert_no_error (error);
  assert_password (id, SK_SECRET_OUTGOING, NULL);
  assert_no_keyring_item (id, "outgoing");

  /* Clearing what is not there is no failure. */
  g_assert_true (store (id, SK_SECRET_OUTGOING, "Biuro", NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_keyring_clear (void)
{
  g_autofree char *id = new_account_id ();
  g_autofree char *other = new_account_id ();
  g_autoptr(GError) error = NULL;

  g_assert_true (store (id, SK_SECRET_INCOMING, "Biuro", "in", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (store (id, SK_SECRET_OUTGOING, "Biuro", "out", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (store (other, SK_SECRET_INCOMING, "Inne", "other",
                        NULL, &error));
  g_assert_no_error (error);

  g_assert_true (clear (id, NULL, &error));
  g_assert_no_error (error);

  assert_password (id, SK_SECRET_INCOMING, NULL);
  assert_password (id, SK_SECRET_OUTGOING, NULL);
  assert_no_keyring_item (id, "incoming");
  assert_no_keyring_item (id, "outgoing");
  assert_password (other, SK_SECRET_INCOMING, "other");
  assert_keyring_item (other, "incoming", "Skrzynka: Inne (incoming)", "other");

  g_assert_true (clear (id, NULL, &error));
  g_assert_no_error (error);
}

static void
test_keyring_cancelled (void)
{
  g_autofree char *id = new_account_id ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  char *password;

  g_cancellable_cancel (cancellable);

  g_assert_false (store (id, SK_SECRET_INCOMING, "Biuro", "secret",
                         cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  password = lookup (id, SK_SECRET_INCOMING, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (password);
  g_clear_error (&error);

  g_assert_false (clear (id, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A sign-in's refresh token: its own item per provider, beside the
 * passwords, gone with the account. */
static void
test_keyring_sign_in (void)
{
  g_autofree char *id = new_account_id ();
  g_autoptr(GError) error = NULL;
  SkSecretString *token = NULL;
  SkSecretString *other = NULL;

  g_assert_true (store (id, SK_SECRET_INCOMING, "Kancelaria", "password", NULL, &error));
  g_assert_true (store_sign_in (id, "microsoft", "M.R3_BAY.refresh", &error));
  g_assert_no_error (error);
  assert_keyring_item (id, "sign-in-microsoft",
                       "Skrzynka: Kancelaria (signed in with Microsoft)", "M.R3_BAY.refresh");

  token = lookup_sign_in (id, "microsoft", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "M.R3_BAY.refresh");
  other = lookup_sign_in (id, "google", &error);
  g_assert_no_error (error);
  g_assert_null (other);
  assert_password (id, SK_SECRET_INCOMING, "password");

  /* Signing out removes the token and nothing else. */
  g_assert_true (store_sign_in (id, "microsoft", NULL, &error));
  g_assert_no_error (error);
  assert_no_keyring_item (id, "sign-in-microsoft");
  assert_password (id, SK_SECRET_INCOMING, "password");

  /* Deleting the account removes its sign-ins too. */
  g_assert_true (store_sign_in (id, "google", "1//0g", &error));
  g_assert_true (clear (id, NULL, &error));
  g_assert_no_error (error);
  assert_no_keyring_item (id, "sign-in-google");
  sk_secret_free (token);
}

/* Without a keyring: the same calls, the passwords kept in the process */

static void
test_session_sign_in (void)
{
  g_autofree char *id = new_account_id ();
  g_autoptr(GError) error = NULL;
  SkSecretString *token = NULL;

  g_assert_false (store_sign_in (id, "microsoft", "session token", &error));
  g_assert_error (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING);
  g_clear_error (&error);
  token = lookup_sign_in (id, "microsoft", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "session token");
  sk_secret_free (token);

  g_assert_true (clear (id, NULL, &error));
  g_assert_null (lookup_sign_in (id, "microsoft", &error));
  g_assert_error (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING);
}

static void
test_session_store_lookup (void)
{
  g_autofree char *id = new_account_id ();
  g_autoptr(GError) error = NULL;

  g_assert_false (store (id, SK_SECRET_INCOMING, "Biuro", "session only",
                         NULL, &error));
  g_assert_error (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  assert_password (id, SK_SECRET_INCOMING, "session only");
  assert_no_keyring_lookup (id, SK_SECRET_OUTGOING);

  g_assert_false (store (id, SK_SECRET_INCOMING, "Biuro", "changed",
                         NULL, &error));
  g_assert_error (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING);
  g_clear_error (&error);
  assert_password (id, SK_SECRET_INCOMING, "changed");
}

static void
test_session_empty_clears (void)
{
  g_autofree char *id = new_account_id ();
  g_autoptr(GError) error = NULL;

  g_assert_false (store (id, SK_SECRET_OUTGOING, "Biuro", "session only",
                         NULL, &error));
  g_assert_error (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING);
  g_clear_error (&error);

  /* Nothing is left to keep, so there is nothing to warn about. */
  g_assert_true (store (id, SK_SECRET_OUTGOING, "Biuro", "", NULL, &error));
  g_assert_no_error (error);
  assert_no_keyring_lookup (id, SK_SECRET_OUTGOING);
}

static void
test_session_clear (void)
{
  g_autofree char *id = new_account_id ();
  g_autofree char *other = new_account_id ();
  g_autoptr(GError) error = NULL;

  g_assert_false (store (id, SK_SECRET_INCOMING, "Biuro", "in", NULL, &error));
  g_clear_error (&error);
  g_assert_false (store (id, SK_SECRET_OUTGOING, "Biuro", "out", NULL, &error));
  g_clear_error (&error);
  g_assert_false (store (other, SK_SECRET_INCOMING, "Inne", "other",
                         NULL, &error));
  g_clear_error (&error);

  g_assert_true (clear (id, NULL, &error));
  g_assert_no_error (error);

  assert_no_keyring_lookup (id, SK_SECRET_INCOMING);
  assert_no_keyring_lookup (id, SK_SECRET_OUTGOING);
  assert_password (other, SK_SECRET_INCOMING, "other");
}

int
main (int   argc,
      char *argv[])
{
  Mode mode = test_take_mode (&argc, argv);
  g_autofree char *bus_socket = NULL;

  g_test_init (&argc, &argv, NULL);

  switch (mode)
    {
    case MODE_KEYRING:
      g_test_add_func ("/sk/secret/keyring/store-lookup",
                       test_keyring_store_lookup);
      g_test_add_func ("/sk/secret/keyring/roles", test_keyring_roles);
      g_test_add_func ("/sk/secret/keyring/overwrite", test_keyring_overwrite);
      g_test_add_func ("/sk/secret/keyring/empty-clears",
                       test_keyring_empty_clears);
      g_test_add_func ("/sk/secret/keyring/clear", test_keyring_clear);
      g_test_add_func ("/sk/secret/keyring/cancelled", test_keyring_cancelled);
      g_test_add_func ("/sk/secret/keyring/sign-in", test_keyring_sign_in);
      break;

    case MODE_NO_KEYRING:
      g_test_add_func ("/sk/secret/no-keyring/store-lookup",
                       test_session_store_lookup);
      g_test_add_func ("/sk/secret/no-keyring/empty-clears",
                       test_session_empty_clears);
      g_test_add_func ("/sk/secret/no-keyring/clear", test_session_clear);
      g_test_add_func ("/sk/secret/no-keyring/sign-in", test_session_sign_in);
      break;

    case MODE_NO_BUS:
      /* As in a text console: no bus address, no display to start a bus
       * for, and no bus socket in the runtime folder. */
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      bus_socket = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
      g_assert_false (g_file_test (bus_socket, G_FILE_TEST_EXISTS));
      g_test_add_func ("/sk/secret/no-bus/store-lookup",
                       test_session_store_lookup);
      g_test_add_func ("/sk/secret/no-bus/empty-clears",
                       test_session_empty_clears);
      g_test_add_func ("/sk/secret/no-bus/clear", test_session_clear);
      g_test_add_func ("/sk/secret/no-bus/sign-in", test_session_sign_in);
      break;

    default:
      g_assert_not_reached ();
    }

  return g_test_run ();
}
