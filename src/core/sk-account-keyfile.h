/* sk-account-keyfile.h — accounts as GLib key files (storage and export)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-account.h"

G_BEGIN_DECLS

#define SK_KEYFILE_ERROR (sk_keyfile_error_quark ())

typedef enum
{
  SK_KEYFILE_ERROR_NO_ACCOUNT,     /* the file has no account group */
  SK_KEYFILE_ERROR_MISSING_KEY,    /* a required key is absent */
  SK_KEYFILE_ERROR_INVALID_VALUE,  /* a key holds a value that cannot be used */
} SkKeyfileError;

/* The group of an exported account. */
#define SK_EXPORT_GROUP "Account"

GQuark     sk_keyfile_error_quark      (void);

/* Writes every setting of account into group (never a password), and the
 * unknown keys it was read with. */
void       sk_account_to_key_file      (SkAccount   *account,
                                        GKeyFile    *key_file,
                                        const char  *group);

/* Reads an account from group.  Missing optional keys take defaults; a value
 * that cannot be used fails with SK_KEYFILE_ERROR_INVALID_VALUE and a message
 * of the form "KEY: what is wrong".  The result is not validated as a whole:
 * call sk_account_validate() for that.  id may be NULL for a new id. */
SkAccount *sk_account_from_key_file    (GKeyFile    *key_file,
                                        const char  *group,
                                        const char  *id,
                                        GError     **error);

/* The export format of DESIGN.md: one [Account] group, no password, no id. */
char      *sk_account_export           (SkAccount   *account);

/* Reads an export file and validates it: the first problem found fails with
 * a message "KEY: what is wrong" naming its key.  taken_names as in
 * sk_account_validate(). */
SkAccount *sk_account_import_file      (const char          *path,
                                        const char * const  *taken_names,
                                        GError             **error);

G_END_DECLS
