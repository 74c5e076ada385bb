/* sk-account.h — an e-mail account: what tabs 1 and 2 of the dialog edit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sk-account-user.h"
#include "sk-server.h"

G_BEGIN_DECLS

typedef enum
{
  SK_ACCOUNT_TYPE_IMAP,
  SK_ACCOUNT_TYPE_POP3,
} SkAccountType;

/* The fields validation speaks of; each maps to one key-file key. */
typedef enum
{
  SK_FIELD_NAME,
  SK_FIELD_FULL_NAME,
  SK_FIELD_EMAIL,
  SK_FIELD_USERS,
  SK_FIELD_INCOMING_HOST,
  SK_FIELD_INCOMING_PORT,
  SK_FIELD_INCOMING_SECURITY,
  SK_FIELD_USERNAME,
  SK_FIELD_PASSWORD,
  SK_FIELD_OUTGOING_HOST,
  SK_FIELD_OUTGOING_PORT,
  SK_FIELD_OUTGOING_SECURITY,
  SK_FIELD_OUTGOING_USERNAME,
  SK_FIELD_OUTGOING_PASSWORD,
  SK_FIELD_OAUTH2_PROVIDER,
  SK_FIELD_TIMEOUT,
  SK_N_FIELDS
} SkField;

typedef struct
{
  SkField  field;
  char    *message;  /* translated, one sentence a person can act on */
} SkProblem;

#define SK_DEFAULT_TIMEOUT 60
#define SK_MIN_TIMEOUT     5
#define SK_MAX_TIMEOUT     600

#define SK_TYPE_ACCOUNT (sk_account_get_type ())

G_DECLARE_FINAL_TYPE (SkAccount, sk_account, SK, ACCOUNT, GObject)

/*
 * Every setting is also a GObject property of the same name as its key-file
 * key (see sk-account-keyfile.h), so that widgets can bind to it:
 *   "name" "full-name" "email" "sign" "inactive"
 *   "account-type" "incoming-host" "incoming-port" "incoming-security"
 *   "incoming-auth" "incoming-plain-confirmed" "username" "password"
 *   "leave-copy" "delete-with-deleted"
 *   "outgoing-host" "outgoing-port" "outgoing-security" "outgoing-auth"
 *   "outgoing-auth-method" "outgoing-plain-confirmed" "outgoing-same-login"
 *   "outgoing-username" "outgoing-password" "oauth2-provider" "timeout"
 *   "incoming-pinned-certificate" "outgoing-pinned-certificate"
 *   "guide-steps" "certificates" "default-certificate"
 * and "id" (construct-only) and "users" (read-only GListModel of
 * SkAccountUser).  The passwords are never written to any file.
 */
SkAccount     *sk_account_new                       (void);
SkAccount     *sk_account_new_with_id               (const char    *id);
SkAccount     *sk_account_copy                      (SkAccount     *self);
void           sk_account_assign                    (SkAccount     *self,
                                                     SkAccount     *from);
gboolean       sk_account_equal                     (SkAccount     *a,
                                                     SkAccount     *b);

const char    *sk_account_get_id                    (SkAccount     *self);
const char    *sk_account_get_name                  (SkAccount     *self);
void           sk_account_set_name                  (SkAccount     *self,
                                                     const char    *name);
const char    *sk_account_get_full_name             (SkAccount     *self);
void           sk_account_set_full_name             (SkAccount     *self,
                                                     const char    *full_name);
const char    *sk_account_get_email                 (SkAccount     *self);
void           sk_account_set_email                 (SkAccount     *self,
                                                     const char    *email);
gboolean       sk_account_get_sign                  (SkAccount     *self);
void           sk_account_set_sign                  (SkAccount     *self,
                                                     gboolean       sign);
gboolean       sk_account_get_inactive              (SkAccount     *self);
void           sk_account_set_inactive              (SkAccount     *self,
                                                     gboolean       inactive);
GListStore    *sk_account_get_users                 (SkAccount     *self);

SkAccountType  sk_account_get_account_type          (SkAccount     *self);
void           sk_account_set_account_type          (SkAccount     *self,
                                                     SkAccountType  type);
const char    *sk_account_get_incoming_host         (SkAccount     *self);
void           sk_account_set_incoming_host         (SkAccount     *self,
                                                     const char    *host);
guint          sk_account_get_incoming_port         (SkAccount     *self);
void           sk_account_set_incoming_port         (SkAccount     *self,
                                                     guint          port);
SkSecurity     sk_account_get_incoming_security     (SkAccount     *self);
void           sk_account_set_incoming_security     (SkAccount     *self,
                                                     SkSecurity     security);
SkAuthMethod   sk_account_get_incoming_auth_method  (SkAccount     *self);
void           sk_account_set_incoming_auth_method  (SkAccount     *self,
                                                     SkAuthMethod   method);
gboolean       sk_account_get_incoming_plain_confirmed (SkAccount  *self);
void           sk_account_set_incoming_plain_confirmed (SkAccount  *self,
                                                     gboolean       confirmed);
const char    *sk_account_get_username              (SkAccount     *self);
void           sk_account_set_username              (SkAccount     *self,
                                                     const char    *username);
const char    *sk_account_get_password              (SkAccount     *self);
void           sk_account_set_password              (SkAccount     *self,
                                                     const char    *password);
gboolean       sk_account_get_leave_copy            (SkAccount     *self);
void           sk_account_set_leave_copy            (SkAccount     *self,
                                                     gboolean       leave_copy);
gboolean       sk_account_get_delete_with_deleted   (SkAccount     *self);
void           sk_account_set_delete_with_deleted   (SkAccount     *self,
                                                     gboolean       delete_with_deleted);

const char    *sk_account_get_outgoing_host         (SkAccount     *self);
void           sk_account_set_outgoing_host         (SkAccount     *self,
                                                     const char    *host);
guint          sk_account_get_outgoing_port         (SkAccount     *self);
void           sk_account_set_outgoing_port         (SkAccount     *self,
                                                     guint          port);
SkSecurity     sk_account_get_outgoing_security     (SkAccount     *self);
void           sk_account_set_outgoing_security     (SkAccount     *self,
                                                     SkSecurity     security);
gboolean       sk_account_get_outgoing_auth         (SkAccount     *self);
void           sk_account_set_outgoing_auth         (SkAccount     *self,
                                                     gboolean       needs_auth);
SkAuthMethod   sk_account_get_outgoing_auth_method  (SkAccount     *self);
void           sk_account_set_outgoing_auth_method  (SkAccount     *self,
                                                     SkAuthMethod   method);
gboolean       sk_account_get_outgoing_plain_confirmed (SkAccount  *self);
void           sk_account_set_outgoing_plain_confirmed (SkAccount  *self,
                                                     gboolean       confirmed);
gboolean       sk_account_get_outgoing_same_login   (SkAccount     *self);
void           sk_account_set_outgoing_same_login   (SkAccount     *self,
                                                     gboolean       same_login);
const char    *sk_account_get_outgoing_username     (SkAccount     *self);
void           sk_account_set_outgoing_username     (SkAccount     *self,
                                                     const char    *username);
const char    *sk_account_get_outgoing_password     (SkAccount     *self);
void           sk_account_set_outgoing_password     (SkAccount     *self,
                                                     const char    *password);
/* The provider ("google", "microsoft", or IT's own id) a login with
 * SK_AUTH_METHOD_OAUTH2 signs in with, on either server; "" for none. */
const char    *sk_account_get_oauth2_provider       (SkAccount     *self);
void           sk_account_set_oauth2_provider       (SkAccount     *self,
                                                     const char    *provider_id);
/* TRUE when the incoming login, or the outgoing one, signs in with the
 * provider (SK_AUTH_METHOD_OAUTH2). */
gboolean       sk_account_uses_oauth2               (SkAccount     *self);
guint          sk_account_get_timeout               (SkAccount     *self);
void           sk_account_set_timeout               (SkAccount     *self,
                                                     guint          seconds);

/* The SHA-256 fingerprint ("AB:CD:…") of a server certificate the person
 * chose to trust for that server, or "" for none.  When set, that
 * certificate and no other is accepted, whoever issued it. */
const char    *sk_account_get_incoming_pinned_certificate (SkAccount  *self);
void           sk_account_set_incoming_pinned_certificate (SkAccount  *self,
                                                           const char *sha256);
const char    *sk_account_get_outgoing_pinned_certificate (SkAccount  *self);
void           sk_account_set_outgoing_pinned_certificate (SkAccount  *self,
                                                           const char *sha256);

/* The Gmail guide's steps the person ticked for this account, as a bit
 * mask: bit n-1 set means step n (1 to SK_GUIDE_N_STEPS) is done. */
#define SK_GUIDE_N_STEPS 5

guint          sk_account_get_guide_steps           (SkAccount     *self);
void           sk_account_set_guide_steps           (SkAccount     *self,
                                                     guint          steps);

/* The signing certificates imported for this account, by SHA-256
 * fingerprint ("AB:CD:…", see sk-certificate-store.h), in the order shown;
 * never NULL (the property is NULL for none).  The default one signs; ""
 * when none is chosen.  It is one of the list: set the list first; a list
 * without it clears it, and a default that is not listed is not saved. */
const char * const *sk_account_get_certificates     (SkAccount          *self);
void           sk_account_set_certificates          (SkAccount          *self,
                                                     const char * const *sha256s);
const char    *sk_account_get_default_certificate   (SkAccount     *self);
void           sk_account_set_default_certificate   (SkAccount     *self,
                                                     const char    *sha256);

/* Which login the outgoing server takes: decided here alone, from
 * "outgoing-auth" and "outgoing-same-login". */
typedef enum
{
  SK_OUTGOING_LOGIN_NONE,      /* the server takes no login */
  SK_OUTGOING_LOGIN_INCOMING,  /* the incoming server's user name and password */
  SK_OUTGOING_LOGIN_OWN,       /* "outgoing-username" and "outgoing-password" */
} SkOutgoingLogin;

SkOutgoingLogin sk_account_get_outgoing_login       (SkAccount     *self);

/* The incoming server (IMAP or POP3, by the account type) or the outgoing
 * one (SMTP) with the login it takes, as a new value (transfer full). */
SkServer      *sk_account_dup_server                (SkAccount       *self,
                                                     SkTestSide       side);
/* The reverse: sets the side's settings from server.  An incoming server
 * sets the account type; an outgoing server whose login equals the
 * incoming one (or whose password is NULL with the same user name) uses
 * "the same user name and password as incoming". */
void           sk_account_set_server                (SkAccount       *self,
                                                     SkTestSide       side,
                                                     const SkServer  *server);

typedef enum
{
  SK_TEST_MODE_LOGIN,  /* Test connection: a login on both servers */
  SK_TEST_MODE_SEND,   /* Send a test message: the outgoing server (with
                        * the incoming login when it shares it), and an
                        * address and name to send from and to */
} SkTestMode;

/* The first problem of sk_account_validate() that stands in the way of
 * mode, in the order of the tabs, or NULL (transfer full): the dialog, the
 * test panel, the connection test and the command line all say the same
 * sentence. */
SkProblem     *sk_account_find_test_problem         (SkAccount     *self,
                                                     SkTestMode     mode);
/* Validation lets an empty password pass (it may be on its way from the
 * keyring), but no login works without one: the field of the password
 * mode needs and lacks (SK_FIELD_PASSWORD or SK_FIELD_OUTGOING_PASSWORD),
 * or SK_N_FIELDS when none is missing. */
SkField        sk_account_find_missing_password     (SkAccount     *self,
                                                     SkTestMode     mode);

/* The key-file keys this account did not recognise, kept to be written back. */
GKeyFile      *sk_account_get_unknown_keys          (SkAccount     *self);

/* Every problem, each with its field; taken_names are the names of the other
 * saved accounts (for the duplicate-name rule), may be NULL.  An empty array
 * means the account can be saved.  Elements are SkProblem. */
GPtrArray     *sk_account_validate                  (SkAccount          *self,
                                                     const char * const *taken_names);

/* The standard port of a protocol with a security mode: 993/143, 995/110,
 * 465/587 (SMTP STARTTLS and None both use 587). */
guint          sk_standard_port                     (SkAccountType  type,
                                                     gboolean       outgoing,
                                                     SkSecurity     security);

const char    *sk_field_get_key                     (SkField        field);
void           sk_problem_free                      (SkProblem     *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkProblem, sk_problem_free)

/* Short, stable names used in files and on the command line. */
const char    *sk_account_type_to_string            (SkAccountType  type);
gboolean       sk_account_type_from_string          (const char    *str,
                                                     SkAccountType *type);

/* FALSE when text holds CR, LF, or NUL within length (-1: NUL-terminated),
 * any of which would put an extra command on the wire. */
gboolean       sk_credential_is_safe                (const char    *text,
                                                     gssize         length);
gboolean       sk_email_is_valid                    (const char    *email);
gboolean       sk_hostname_is_valid                 (const char    *host);
/* TRUE for "" and for 32 hex pairs separated by colons, in either case. */
gboolean       sk_fingerprint_is_valid              (const char    *sha256);

G_END_DECLS
