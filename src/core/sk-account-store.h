/* sk-account-store.h — the saved accounts, as a GListModel of SkAccount
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-account.h"

G_BEGIN_DECLS

#define SK_STORE_ERROR (sk_store_error_quark ())

typedef enum
{
  SK_STORE_ERROR_DAMAGED,  /* unreadable: it was moved aside, see the message */
} SkStoreError;

#define SK_TYPE_ACCOUNT_STORE (sk_account_store_get_type ())

G_DECLARE_FINAL_TYPE (SkAccountStore, sk_account_store, SK, ACCOUNT_STORE, GObject)

GQuark          sk_store_error_quark             (void);

/* The file is $XDG_CONFIG_HOME/skrzynka/accounts.conf. */
char           *sk_account_store_default_path    (void);

/* path NULL: the default path.  The store is empty until loaded. */
SkAccountStore *sk_account_store_new             (const char     *path);
const char     *sk_account_store_get_path        (SkAccountStore *self);

/* A missing file is an empty store, not an error.  A damaged one is renamed
 * to PATH.damaged-YYYYMMDD-HHMMSS, the store stays empty and usable, and the
 * error (SK_STORE_ERROR_DAMAGED) names both files. */
gboolean        sk_account_store_load            (SkAccountStore *self,
                                                  GError        **error);

/* Written atomically (a crash mid-save leaves the old file), mode 0600, in a
 * folder of mode 0700. */
gboolean        sk_account_store_save            (SkAccountStore *self,
                                                  GError        **error);

SkAccount      *sk_account_store_find_by_name    (SkAccountStore *self,
                                                  const char     *name);
SkAccount      *sk_account_store_find_by_id      (SkAccountStore *self,
                                                  const char     *id);
/* Names of every account but except (may be NULL), NULL-terminated. */
char          **sk_account_store_dup_names       (SkAccountStore *self,
                                                  SkAccount      *except);

/* Adds account, or, when an account of the same id is stored, copies its
 * settings into that one (items-changed is emitted for its position). */
void            sk_account_store_put             (SkAccountStore *self,
                                                  SkAccount      *account);
gboolean        sk_account_store_remove          (SkAccountStore *self,
                                                  SkAccount      *account);

G_END_DECLS
