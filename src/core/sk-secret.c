/* sk-secret.c — account passwords in the desktop's keyring (Secret Service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Skrzynka-Store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "sk-secret.h"

G_DEFINE_QUARK (sk-secret-error-quark, sk_secret_error)

/* Passwords kept for this process only, because no keyring answered when
 * they were stored: "account-id/role" → password.  Touched from the main
 * thread only, as the async calls and their callbacks run there. */
static GHashTable *session_passwords;

typedef struct
{
  char *key;       /* the session_passwords key */
  char *password;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_free (data->key);
  sk_secret_free (data->password);
  g_free (data);
}

static const SecretSchema *
sk_secret_get_schema (void)
{
  static const SecretSchema schema = {
    "pl.skrzynka.Skrzynka.Password", SECRET_SCHEMA_NONE,
    {
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "role", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static const char *
role_to_string (SkSecretRole role)
{
  switch (role)
    {
    case SK_SECRET_INCOMING:
      return "incoming";
    case SK_SECRET_OUTGOING:
      return "outgoing";
    default:
      g_assert_not_reached ();
    }
}

static GHashTable *
get_session_passwords (void)
{
  if (session_passwords == NULL)
    session_passwords = g_hash_table_new_full (g_str_hash, g_str_equal,
                                               g_free,
                                               (GDestroyNotify) sk_secret_free);
  return session_passwords;
}

static char *
session_key (const char *account_id,
             const char *role)
{
  return g_strdup_printf ("%s/%s", account_id, role);
}

/* The role of a sign-in's refresh token: one item per account and
 * provider, beside the passwords, so that clearing the account clears
 * them too. */
static char *
sign_in_role (const char *provider_id)
{
  return g_strconcat ("sign-in-", provider_id, NULL);
}

/* TRUE when the error says that nothing provides the Secret Service: no
 * session bus at all, or a bus on which no keyring runs and none can be
 * started.  Every other failure comes from a keyring that is there. */
static gboolean
is_no_keyring_error (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_DISCONNECTED:
        /* The bus knows a keyring but cannot start it. */
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
          return TRUE;
        default:
          return FALSE;
        }
    }

  /* GDBus could not reach the session bus.  Without an address and without
   * a display, "autolaunching" one fails with a plain G_IO_ERROR_FAILED;
   * with a display it runs dbus-launch, which can fail too. */
  if (error->domain == G_SPAWN_ERROR || error->domain == G_SPAWN_EXIT_ERROR)
    return TRUE;

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_FAILED:
        case G_IO_ERROR_NOT_FOUND:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_PERMISSION_DENIED:
        case G_IO_ERROR_INVALID_ARGUMENT:
        /* The bus went away after the connection was made. */
        case G_IO_ERROR_CLOSED:
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_NOT_CONNECTED:
          return TRUE;
        default:
          return FALSE;
        }
    }

  return FALSE;
}

/* Turns a libsecret failure into what the callers expect: cancellation
 * stays G_IO_ERROR_CANCELLED, anything else becomes SK_SECRET_ERROR_FAILED
 * with the keyring's own words for IT support. */
static GError *
failed_error (const GError *error,
              const char   *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  return g_error_new (SK_SECRET_ERROR, SK_SECRET_ERROR_FAILED,
                      "%s (%s)", what, error->message);
}

static void
on_store_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  secret_password_store_finish (result, &error);

  if (error == NULL)
    {
      /* The keyring holds it now; an older session copy would shadow it. */
      g_hash_table_remove (get_session_passwords (), data->key);
      g_task_return_boolean (task, TRUE);
    }
  else if (is_no_keyring_error (error))
    {
      g_debug ("No keyring to store a password in: %s", error->message);
      g_hash_table_replace (get_session_passwords (),
                            g_strdup (data->key),
                            g_steal_pointer (&data->password));
      g_task_return_new_error (task, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING,
                               "%s",
                               _("No keyring is running: the password is kept "
                                 "only until Skrzynka is closed."));
    }
  else
    {
      g_task_return_error (task,
                           failed_error (error,
                                         _("The password could not be saved "
                                           "in the keyring.")));
    }
}

static void
on_clear_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error only means there was nothing to remove. */
  secret_password_clear_finish (result, &error);

  /* Without a keyring there is nothing to remove from it either: the
   * session copies went when the call was made. */
  if (error == NULL || is_no_keyring_error (error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task,
                         failed_error (error,
                                       _("The password could not be removed "
                                         "from the keyring.")));
}

static void
store_item (const char          *account_id,
            const char          *role,
            const char          *label,
            const char          *secret,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  StoreData *data;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_secret_store_async);
  key = session_key (account_id, role);

  if (secret == NULL || *secret == '\0')
    {
      g_hash_table_remove (get_session_passwords (), key);
      secret_password_clear (sk_secret_get_schema (), cancellable,
                             on_clear_ready, g_steal_pointer (&task),
                             "account-id", account_id,
                             "role", role,
                             NULL);
      return;
    }

  /* Kept until the keyring answers: without one, it goes to the session. */
  data = g_new0 (StoreData, 1);
  data->key = g_steal_pointer (&key);
  data->password = g_strdup (secret);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  secret_password_store (sk_secret_get_schema (), SECRET_COLLECTION_DEFAULT,
                         label, secret, cancellable,
                         on_store_ready, g_steal_pointer (&task),
                         "account-id", account_id,
                         "role", role,
                         NULL);
}

void
sk_secret_store_async (const char          *account_id,
                       SkSecretRole         role,
                       const char          *account_name,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autofree char *label = NULL;

  g_return_if_fail (account_id != NULL && *account_id != '\0');
  g_return_if_fail (role == SK_SECRET_INCOMING || role == SK_SECRET_OUTGOING);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* The label is what people see in the desktop's password manager. */
  if (account_name == NULL || *account_name == '\0')
    account_name = account_id;
  if (role == SK_SECRET_INCOMING)
    /* Translators: the name of a saved password in the desktop's password
     * manager; %s is the account's name. */
    label = g_strdup_printf (_("Skrzynka: %s (incoming)"), account_name);
  else
    /* Translators: the name of the separate password for sending mail in
     * the desktop's password manager; %s is the account's name. */
    label = g_strdup_printf (_("Skrzynka: %s (outgoing)"), account_name);

  store_item (account_id, role_to_string (role), label, password,
              cancellable, callback, user_data);
}

void
sk_secret_store_sign_in_async (const char          *account_id,
                               const char          *provider_id,
                               const char          *provider_name,
                               const char          *account_name,
                               const char          *refresh_token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *role = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (account_id != NULL && *account_id != '\0');
  g_return_if_fail (provider_id != NULL && *provider_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (account_name == NULL || *account_name == '\0')
    account_name = account_id;
  role = sign_in_role (provider_id);
  /* Translators: the name of a saved sign-in in the desktop's password
   * manager; the first %s is the account's name, the second the provider
   * ("Microsoft"). */
  label = g_strdup_printf (_("Skrzynka: %s (signed in with %s)"), account_name,
                           provider_name != NULL ? provider_name : provider_id);

  store_item (account_id, role, label, refresh_token, cancellable, callback, user_data);
}

gboolean
sk_secret_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_secret_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_lookup_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);

  if (error == NULL)
    {
      /* Copied so that every password the callers get is freed the same
       * way, by sk_secret_free. */
      g_task_return_pointer (task, g_strdup (password),
                             (GDestroyNotify) sk_secret_free);
      secret_password_free (password);
    }
  else if (is_no_keyring_error (error))
    {
      g_debug ("No keyring to look a password up in: %s", error->message);
      g_task_return_new_error (task, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING,
                               "%s",
                               _("No keyring is running, so the saved password "
                                 "cannot be read. Type the password again."));
    }
  else
    {
      g_task_return_error (task,
                           failed_error (error,
                                         _("The password could not be read "
                                           "from the keyring.")));
    }
}

static void
lookup_item (const char          *account_id,
             const char          *role,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  const char *password;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_secret_lookup_async);

  key = session_key (account_id, role);
  password = g_hash_table_lookup (get_session_passwords (), key);
  if (password != NULL)
    {
      g_task_return_pointer (task, g_strdup (password),
                             (GDestroyNotify) sk_secret_free);
      return;
    }

  secret_password_lookup (sk_secret_get_schema (), cancellable,
                          on_lookup_ready, g_steal_pointer (&task),
                          "account-id", account_id,
                          "role", role,
                          NULL);
}

void
sk_secret_lookup_async (const char          *account_id,
                        SkSecretRole         role,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (account_id != NULL && *account_id != '\0');
  g_return_if_fail (role == SK_SECRET_INCOMING || role == SK_SECRET_OUTGOING);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  lookup_item (account_id, role_to_string (role), cancellable, callback, user_data);
}

void
sk_secret_lookup_sign_in_async (const char          *account_id,
                                const char          *provider_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *role = NULL;

  g_return_if_fail (account_id != NULL && *account_id != '\0');
  g_return_if_fail (provider_id != NULL && *provider_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  role = sign_in_role (provider_id);
  lookup_item (account_id, role, cancellable, callback, user_data);
}

char *
sk_secret_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_secret_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
has_key_prefix (gpointer key,
                gpointer value,
                gpointer prefix)
{
  return g_str_has_prefix (key, prefix);
}

void
sk_secret_clear_async (const char          *account_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *prefix = NULL;

  g_return_if_fail (account_id != NULL && *account_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_secret_clear_async);

  prefix = g_strconcat (account_id, "/", NULL);
  g_hash_table_foreach_remove (get_session_passwords (), has_key_prefix, prefix);

  /* Matching on the account alone removes the items of every role. */
  secret_password_clear (sk_secret_get_schema (), cancellable,
                         on_clear_ready, g_steal_pointer (&task),
                         "account-id", account_id,
                         NULL);
}

gboolean
sk_secret_clear_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_secret_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GError *
sk_secret_error_new (const GError *error,
                     const char   *no_keyring,
                     const char   *failed)
{
  g_return_val_if_fail (error != NULL, NULL);
  g_return_val_if_fail (no_keyring != NULL, NULL);
  g_return_val_if_fail (failed != NULL, NULL);

  if (is_no_keyring_error (error))
    {
      g_debug ("No keyring: %s", error->message);
      return g_error_new_literal (SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING, no_keyring);
    }

  return failed_error (error, failed);
}

void
sk_secret_free (char *password)
{
  if (password == NULL)
    return;

  explicit_bzero (password, strlen (password));
  g_free (password);
}
