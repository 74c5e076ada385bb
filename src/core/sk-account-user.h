/* sk-account-user.h — one person (operator) who may use an account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SK_TYPE_ACCOUNT_USER (sk_account_user_get_type ())

G_DECLARE_FINAL_TYPE (SkAccountUser, sk_account_user, SK, ACCOUNT_USER, GObject)

/* Properties: "code" (operator code), "full-name", "owner", "is-default". */
SkAccountUser *sk_account_user_new           (const char    *code,
                                              const char    *full_name,
                                              gboolean       owner,
                                              gboolean       is_default);
SkAccountUser *sk_account_user_copy          (SkAccountUser *self);
gboolean       sk_account_user_equal         (SkAccountUser *a,
                                              SkAccountUser *b);
const char    *sk_account_user_get_code      (SkAccountUser *self);
void           sk_account_user_set_code      (SkAccountUser *self,
                                              const char    *code);
const char    *sk_account_user_get_full_name (SkAccountUser *self);
void           sk_account_user_set_full_name (SkAccountUser *self,
                                              const char    *full_name);
gboolean       sk_account_user_get_owner     (SkAccountUser *self);
void           sk_account_user_set_owner     (SkAccountUser *self,
                                              gboolean       owner);
gboolean       sk_account_user_get_is_default (SkAccountUser *self);
void           sk_account_user_set_is_default (SkAccountUser *self,
                                              gboolean       is_default);

G_END_DECLS
