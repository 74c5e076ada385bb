/* sk-account-store.c — the saved accounts, as a GListModel of SkAccount
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Store"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sk-account-keyfile.h"
#include "sk-account-store.h"

/* One group per account, named by its id: the id never changes, so the
 * keyring items stay tied to the right account through renames. */
#define GROUP_PREFIX "Account "

struct _SkAccountStore
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *accounts;  /* of SkAccount, sorted by name */

  /* Groups this version does not know, written back as they were. */
  GKeyFile  *other_groups;

  /* The file on disk could not be read and is still there: saving would
   * overwrite what nobody has seen. */
  gboolean   unread_file;
};

static void sk_account_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkAccountStore, sk_account_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sk_account_store_list_model_init))

G_DEFINE_QUARK (sk-store-error-quark, sk_store_error)

enum
{
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
sk_account_store_get_item_type (GListModel *model)
{
  return SK_TYPE_ACCOUNT;
}

static guint
sk_account_store_get_n_items (GListModel *model)
{
  SkAccountStore *self = SK_ACCOUNT_STORE (model);

  return self->accounts->len;
}

static gpointer
sk_account_store_get_item (GListModel *model,
                           guint       position)
{
  SkAccountStore *self = SK_ACCOUNT_STORE (model);

  if (position >= self->accounts->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
sk_account_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sk_account_store_get_item_type;
  iface->get_n_items = sk_account_store_get_n_items;
  iface->get_item = sk_account_store_get_item;
}

static void
sk_account_store_finalize (GObject *object)
{
  SkAccountStore *self = SK_ACCOUNT_STORE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->other_groups, g_key_file_unref);

  G_OBJECT_CLASS (sk_account_store_parent_class)->finalize (object);
}

static void
sk_account_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SkAccountStore *self = SK_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_account_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SkAccountStore *self = SK_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      if (self->path == NULL)
        self->path = sk_account_store_default_path ();
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_account_store_class_init (SkAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sk_account_store_finalize;
  object_class->get_property = sk_account_store_get_property;
  object_class->set_property = sk_account_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sk_account_store_init (SkAccountStore *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->other_groups = g_key_file_new ();
}

char *
sk_account_store_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "skrzynka", "accounts.conf", NULL);
}

SkAccountStore *
sk_account_store_new (const char *path)
{
  return g_object_new (SK_TYPE_ACCOUNT_STORE, "path", path, NULL);
}

const char *
sk_account_store_get_path (SkAccountStore *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (self), NULL);

  return self->path;
}

/* Sorting: by name as people read it, then by id so the order is total. */

static char *
sort_key (SkAccount *account)
{
  g_autofree char *folded = g_utf8_casefold (sk_account_get_name (account), -1);

  return g_utf8_collate_key (folded, -1);
}

static int
compare_accounts (SkAccount *a,
                  SkAccount *b)
{
  g_autofree char *key_a = sort_key (a);
  g_autofree char *key_b = sort_key (b);
  int result = strcmp (key_a, key_b);

  if (result == 0)
    result = g_strcmp0 (sk_account_get_name (a), sk_account_get_name (b));
  if (result == 0)
    result = g_strcmp0 (sk_account_get_id (a), sk_account_get_id (b));

  return result;
}

static int
compare_accounts_indirect (gconstpointer a,
                           gconstpointer b)
{
  return compare_accounts (*(SkAccount **) a, *(SkAccount **) b);
}

static guint
sorted_position (SkAccountStore *self,
                 SkAccount      *account)
{
  guint position = 0;

  while (position < self->accounts->len
         && compare_accounts (g_ptr_array_index (self->accounts, position), account) < 0)
    position++;

  return position;
}

static gboolean
find_id (SkAccountStore *self,
         const char     *id,
         guint          *position)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      if (g_strcmp0 (sk_account_get_id (g_ptr_array_index (self->accounts, i)), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Loading */

static void
replace_all (SkAccountStore *self,
             GPtrArray      *accounts)
{
  guint removed = self->accounts->len;

  g_ptr_array_sort (accounts, compare_accounts_indirect);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  self->accounts = g_ptr_array_ref (accounts);

  if (removed > 0 || accounts->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, accounts->len);
}

/* PATH.damaged-YYYYMMDD-HHMMSS, with -N added when that is taken (two
 * failures within a second). */
static char *
damaged_path (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *candidate = g_strdup_printf ("%s.damaged-%s", path, stamp);

  for (guint n = 1; g_file_test (candidate, G_FILE_TEST_EXISTS); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s.damaged-%s-%u", path, stamp, n);
    }

  return candidate;
}

static gboolean
set_aside (SkAccountStore  *self,
           const char      *reason,
           GError         **error)
{
  g_autofree char *aside = damaged_path (self->path);
  g_autofree char *display = g_filename_display_name (self->path);
  g_autofree char *display_aside = g_filename_display_name (aside);

  if (g_rename (self->path, aside) != 0)
    {
      int saved_errno = errno;

      self->unread_file = TRUE;
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_DAMAGED,
                   _("The saved accounts in %s could not be read (%s), and the file could "
                     "not be moved aside (%s). It is left as it is and will not be "
                     "overwritten; ask IT support to look at it."),
                   display, reason, g_strerror (saved_errno));
      return FALSE;
    }

  g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_DAMAGED,
               _("The saved accounts in %s could not be read (%s). The file was kept as "
                 "%s and a new, empty list of accounts was started."),
               display, reason, display_aside);
  return FALSE;
}

gboolean
sk_account_store_load (SkAccountStore  *self,
                       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GKeyFile) other_groups = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) groups = NULL;
  gsize length;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->unread_file = FALSE;
  g_key_file_unref (self->other_groups);
  self->other_groups = g_key_file_new ();

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      replace_all (self, accounts);

      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;

      /* Not damaged, only out of reach (permissions): leave it in place. */
      self->unread_file = TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  key_file = g_key_file_new ();
  if (!g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, &local_error))
    {
      replace_all (self, accounts);
      return set_aside (self, local_error->message, error);
    }

  other_groups = g_key_file_new ();
  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *id;
      SkAccount *account;

      if (!g_str_has_prefix (groups[i], GROUP_PREFIX))
        {
          g_auto(GStrv) keys = g_key_file_get_keys (key_file, groups[i], NULL, NULL);

          for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
            {
              g_autofree char *value = g_key_file_get_value (key_file, groups[i], keys[j], NULL);

              g_key_file_set_value (other_groups, groups[i], keys[j], value);
            }
          continue;
        }

      id = groups[i] + strlen (GROUP_PREFIX);
      if (*id == '\0')
        {
          g_autofree char *reason = g_strdup_printf (_("the section [%s] has no account id"),
                                                     groups[i]);

          g_ptr_array_set_size (accounts, 0);
          replace_all (self, accounts);
          return set_aside (self, reason, error);
        }

      account = sk_account_from_key_file (key_file, groups[i], id, &local_error);
      if (account == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("[%s] %s", groups[i], local_error->message);

          g_ptr_array_set_size (accounts, 0);
          replace_all (self, accounts);
          return set_aside (self, reason, error);
        }

      g_ptr_array_add (accounts, account);
    }

  g_key_file_unref (self->other_groups);
  self->other_groups = g_steal_pointer (&other_groups);
  replace_all (self, accounts);

  return TRUE;
}

/* Saving */

gboolean
sk_account_store_save (SkAccountStore  *self,
                       GError         **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  g_auto(GStrv) other_groups = NULL;
  gsize length;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->unread_file)
    {
      g_autofree char *display = g_filename_display_name (self->path);

      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_DAMAGED,
                   _("The accounts file %s could not be read, so it is not overwritten. "
                     "Ask IT support to move or repair it, then start the program again."),
                   display);
      return FALSE;
    }

  key_file = g_key_file_new ();
  for (guint i = 0; i < self->accounts->len; i++)
    {
      SkAccount *account = g_ptr_array_index (self->accounts, i);
      g_autofree char *group = g_strconcat (GROUP_PREFIX, sk_account_get_id (account), NULL);

      sk_account_to_key_file (account, key_file, group);
    }

  other_groups = g_key_file_get_groups (self->other_groups, NULL);
  for (guint i = 0; other_groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (self->other_groups, other_groups[i], NULL, NULL);

      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          g_autofree char *value = g_key_file_get_value (self->other_groups, other_groups[i],
                                                         keys[j], NULL);

          g_key_file_set_value (key_file, other_groups[i], keys[j], value);
        }
    }

  if (self->accounts->len > 0 || other_groups[0] != NULL)
    g_key_file_set_comment (key_file, NULL, NULL,
                            _(" Skrzynka's e-mail accounts. The passwords are in the "
                              "desktop's keyring, not here."),
                            NULL);

  data = g_key_file_to_data (key_file, &length, NULL);

  /* Created for the accounts alone, so only the user may look inside; an
   * existing folder is left as its owner set it. */
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("The folder %s could not be created: %s"),
                   display, g_strerror (saved_errno));
      return FALSE;
    }

  /* A temporary file renamed over the old one: a crash at any moment leaves
   * either the old file or the new one, never half of one.  The new file is
   * created with mode 0600 whatever the old one had. */
  return g_file_set_contents_full (self->path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Queries and changes */

SkAccount *
sk_account_store_find_by_name (SkAccountStore *self,
                               const char     *name)
{
  g_autofree char *trimmed_name = NULL;
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* As the duplicate-name rule of sk_account_validate() compares. */
  trimmed_name = g_strstrip (g_strdup (name));
  wanted = g_utf8_casefold (trimmed_name, -1);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      SkAccount *account = g_ptr_array_index (self->accounts, i);
      g_autofree char *trimmed = g_strstrip (g_strdup (sk_account_get_name (account)));
      g_autofree char *folded = g_utf8_casefold (trimmed, -1);

      if (g_strcmp0 (folded, wanted) == 0)
        return account;
    }

  return NULL;
}

SkAccount *
sk_account_store_find_by_id (SkAccountStore *self,
                             const char     *id)
{
  guint position;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!find_id (self, id, &position))
    return NULL;

  return g_ptr_array_index (self->accounts, position);
}

char **
sk_account_store_dup_names (SkAccountStore *self,
                            SkAccount      *except)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (except == NULL || SK_IS_ACCOUNT (except), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->accounts->len; i++)
    {
      SkAccount *account = g_ptr_array_index (self->accounts, i);

      /* By id: the dialog edits a copy of the stored account. */
      if (except != NULL
          && g_strcmp0 (sk_account_get_id (account), sk_account_get_id (except)) == 0)
        continue;

      g_strv_builder_add (builder, sk_account_get_name (account));
    }

  return g_strv_builder_end (builder);
}

void
sk_account_store_put (SkAccountStore *self,
                      SkAccount      *account)
{
  SkAccount *stored;
  guint old_position;
  guint new_position;
  guint first;
  guint count;

  g_return_if_fail (SK_IS_ACCOUNT_STORE (self));
  g_return_if_fail (SK_IS_ACCOUNT (account));

  if (!find_id (self, sk_account_get_id (account), &old_position))
    {
      new_position = sorted_position (self, account);
      g_ptr_array_insert (self->accounts, new_position, g_object_ref (account));
      g_list_model_items_changed (G_LIST_MODEL (self), new_position, 0, 1);
      return;
    }

  stored = g_ptr_array_index (self->accounts, old_position);
  sk_account_assign (stored, account);

  /* The name may have changed: move the account to its new place and tell
   * the views about every row in between in one signal. */
  g_ptr_array_steal_index (self->accounts, old_position);
  new_position = sorted_position (self, stored);
  g_ptr_array_insert (self->accounts, new_position, stored);

  first = MIN (old_position, new_position);
  count = MAX (old_position, new_position) - first + 1;
  g_list_model_items_changed (G_LIST_MODEL (self), first, count, count);
}

gboolean
sk_account_store_remove (SkAccountStore *self,
                         SkAccount      *account)
{
  guint position;

  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (SK_IS_ACCOUNT (account), FALSE);

  if (!find_id (self, sk_account_get_id (account), &position))
    return FALSE;

  g_ptr_array_remove_index (self->accounts, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  return TRUE;
}
