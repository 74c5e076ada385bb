/* sk-secret.h — account passwords in the desktop's keyring (Secret Service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SK_SECRET_ERROR (sk_secret_error_quark ())

typedef enum
{
  /* No Secret Service answered: the password lives in this process only. */
  SK_SECRET_ERROR_NO_KEYRING,
  SK_SECRET_ERROR_FAILED,
} SkSecretError;

typedef enum
{
  SK_SECRET_INCOMING,  /* the incoming (and by default outgoing) login */
  SK_SECRET_OUTGOING,  /* the separate SMTP login, when there is one */
} SkSecretRole;

GQuark    sk_secret_error_quark     (void);

/* Stores password for (account_id, role).  When no keyring answers, the
 * password is kept for this session only and the call fails with
 * SK_SECRET_ERROR_NO_KEYRING, which callers show as a notice.  An empty or
 * NULL password clears that item. */
void      sk_secret_store_async     (const char          *account_id,
                                     SkSecretRole         role,
                                     const char          *account_name,
                                     const char          *password,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean  sk_secret_store_finish    (GAsyncResult        *result,
                                     GError             **error);

/* The stored password (free it with sk_secret_free), or NULL without error
 * when there is none.  The session-only passwords are looked at first; with
 * no keyring and no session password, fails with SK_SECRET_ERROR_NO_KEYRING. */
void      sk_secret_lookup_async    (const char          *account_id,
                                     SkSecretRole         role,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
char     *sk_secret_lookup_finish   (GAsyncResult        *result,
                                     GError             **error);

/* A sign-in's refresh token (OAuth 2.0), one item per account and
 * provider, in the keyring only (with no keyring, for this session, as the
 * passwords above); finish with sk_secret_store_finish() and
 * sk_secret_lookup_finish().  An empty or NULL token removes the item: the
 * account is signed out. */
void      sk_secret_store_sign_in_async  (const char          *account_id,
                                          const char          *provider_id,
                                          const char          *provider_name,
                                          const char          *account_name,
                                          const char          *refresh_token,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
void      sk_secret_lookup_sign_in_async (const char          *account_id,
                                          const char          *provider_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);

/* Removes every password and sign-in of the account, from the keyring and
 * the session. */
void      sk_secret_clear_async     (const char          *account_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean  sk_secret_clear_finish    (GAsyncResult        *result,
                                     GError             **error);

/* The error a libsecret call's error stands for, for other secrets than
 * the passwords kept above: cancellation as it is; SK_SECRET_ERROR_NO_KEYRING
 * with the message no_keyring when no Secret Service answered; anything else
 * SK_SECRET_ERROR_FAILED with the message failed and the keyring's words. */
GError   *sk_secret_error_new       (const GError        *error,
                                     const char          *no_keyring,
                                     const char          *failed);

/* Wipes and frees a password. */
void      sk_secret_free            (char                *password);

/* A password or passphrase that g_autoptr() wipes when it goes. */
typedef char SkSecretString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkSecretString, sk_secret_free)

G_END_DECLS
