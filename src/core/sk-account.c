/* sk-account.c — an e-mail account: what tabs 1 and 2 of the dialog edit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Account"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-account.h"
#include "sk-oauth2-provider.h"
#include "sk-core-enums.h"

struct _SkAccount
{
  GObject        parent_instance;

  char          *id;

  char          *name;
  char          *full_name;
  char          *email;
  gboolean       sign;
  gboolean       inactive;
  GListStore    *users;

  SkAccountType  account_type;
  char          *incoming_host;
  guint          incoming_port;
  SkSecurity     incoming_security;
  SkAuthMethod   incoming_auth;
  gboolean       incoming_plain_confirmed;
  char          *username;
  char          *password;
  gboolean       leave_copy;
  gboolean       delete_with_deleted;

  char          *outgoing_host;
  guint          outgoing_port;
  SkSecurity     outgoing_security;
  gboolean       outgoing_auth;
  SkAuthMethod   outgoing_auth_method;
  gboolean       outgoing_plain_confirmed;
  gboolean       outgoing_same_login;
  char          *outgoing_username;
  char          *outgoing_password;
  char          *oauth2_provider;
  guint          timeout;
  char          *incoming_pinned_certificate;
  char          *outgoing_pinned_certificate;
  guint          guide_steps;
  GStrv          certificates;
  char          *default_certificate;

  /* Keys of a newer version (or a person) that this one does not know,
   * kept so that saving does not drop them. */
  GKeyFile      *unknown_keys;
};

G_DEFINE_FINAL_TYPE (SkAccount, sk_account, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_USERS,
  /* Settings from here on: sk_account_assign() and sk_account_equal() walk
   * them in order, so a new property is copied and compared by itself. */
  PROP_NAME,
  PROP_FULL_NAME,
  PROP_EMAIL,
  PROP_SIGN,
  PROP_INACTIVE,
  PROP_ACCOUNT_TYPE,
  PROP_INCOMING_HOST,
  PROP_INCOMING_PORT,
  PROP_INCOMING_SECURITY,
  PROP_INCOMING_AUTH,
  PROP_INCOMING_PLAIN_CONFIRMED,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_LEAVE_COPY,
  PROP_DELETE_WITH_DELETED,
  PROP_OUTGOING_HOST,
  PROP_OUTGOING_PORT,
  PROP_OUTGOING_SECURITY,
  PROP_OUTGOING_AUTH,
  PROP_OUTGOING_AUTH_METHOD,
  PROP_OUTGOING_PLAIN_CONFIRMED,
  PROP_OUTGOING_SAME_LOGIN,
  PROP_OUTGOING_USERNAME,
  PROP_OUTGOING_PASSWORD,
  PROP_OAUTH2_PROVIDER,
  PROP_TIMEOUT,
  PROP_INCOMING_PINNED_CERTIFICATE,
  PROP_OUTGOING_PINNED_CERTIFICATE,
  PROP_GUIDE_STEPS,
  PROP_CERTIFICATES,
  PROP_DEFAULT_CERTIFICATE,
  N_PROPS
};

#define FIRST_SETTING PROP_NAME

static GParamSpec *properties[N_PROPS];

/* Every step ticked. */
#define ALL_GUIDE_STEPS ((1u << SK_GUIDE_N_STEPS) - 1)

static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* String settings are never NULL, so that bound entries need no checks. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_secret (char       **field,
            const char  *value)
{
  if (value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  wipe_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
notify (SkAccount *self,
        guint      prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_bool (SkAccount *self,
          gboolean  *field,
          gboolean   value,
          guint      prop_id)
{
  value = !!value;
  if (*field == value)
    return;

  *field = value;
  notify (self, prop_id);
}

static void
set_uint (SkAccount *self,
          guint     *field,
          guint      value,
          guint      prop_id)
{
  if (*field == value)
    return;

  *field = value;
  notify (self, prop_id);
}

static void
copy_key_file (GKeyFile *to,
               GKeyFile *from)
{
  g_auto(GStrv) old_groups = g_key_file_get_groups (to, NULL);
  g_auto(GStrv) groups = g_key_file_get_groups (from, NULL);

  for (guint i = 0; old_groups[i] != NULL; i++)
    g_key_file_remove_group (to, old_groups[i], NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (from, groups[i], NULL, NULL);

      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          g_autofree char *value = g_key_file_get_value (from, groups[i], keys[j], NULL);

          g_key_file_set_value (to, groups[i], keys[j], value);
        }
    }
}

static gboolean
key_files_equal (GKeyFile *a,
                 GKeyFile *b)
{
  g_autofree char *data_a = g_key_file_to_data (a, NULL, NULL);
  g_autofree char *data_b = g_key_file_to_data (b, NULL, NULL);

  return g_strcmp0 (data_a, data_b) == 0;
}

/* NULL is the empty list. */
static gboolean
strvs_equal (const char * const *a,
             const char * const *b)
{
  static const char * const none[] = { NULL };

  return g_strv_equal (a != NULL ? a : none, b != NULL ? b : none);
}

static gboolean
users_equal (GListModel *a,
             GListModel *b)
{
  guint n = g_list_model_get_n_items (a);

  if (n != g_list_model_get_n_items (b))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkAccountUser) user_a = g_list_model_get_item (a, i);
      g_autoptr(SkAccountUser) user_b = g_list_model_get_item (b, i);

      if (!sk_account_user_equal (user_a, user_b))
        return FALSE;
    }

  return TRUE;
}

static void
sk_account_finalize (GObject *object)
{
  SkAccount *self = SK_ACCOUNT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->full_name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_object (&self->users);
  g_clear_pointer (&self->incoming_host, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->password, wipe_free);
  g_clear_pointer (&self->outgoing_host, g_free);
  g_clear_pointer (&self->outgoing_username, g_free);
  g_clear_pointer (&self->outgoing_password, wipe_free);
  g_clear_pointer (&self->oauth2_provider, g_free);
  g_clear_pointer (&self->incoming_pinned_certificate, g_free);
  g_clear_pointer (&self->outgoing_pinned_certificate, g_free);
  g_clear_pointer (&self->certificates, g_strfreev);
  g_clear_pointer (&self->default_certificate, g_free);
  g_clear_pointer (&self->unknown_keys, g_key_file_unref);

  G_OBJECT_CLASS (sk_account_parent_class)->finalize (object);
}

static void
sk_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SkAccount *self = SK_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_USERS:
      g_value_set_object (value, self->users);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_FULL_NAME:
      g_value_set_string (value, self->full_name);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_SIGN:
      g_value_set_boolean (value, self->sign);
      break;

    case PROP_INACTIVE:
      g_value_set_boolean (value, self->inactive);
      break;

    case PROP_ACCOUNT_TYPE:
      g_value_set_enum (value, self->account_type);
      break;

    case PROP_INCOMING_HOST:
      g_value_set_string (value, self->incoming_host);
      break;

    case PROP_INCOMING_PORT:
      g_value_set_uint (value, self->incoming_port);
      break;

    case PROP_INCOMING_SECURITY:
      g_value_set_enum (value, self->incoming_security);
      break;

    case PROP_INCOMING_AUTH:
      g_value_set_enum (value, self->incoming_auth);
      break;

    case PROP_INCOMING_PLAIN_CONFIRMED:
      g_value_set_boolean (value, self->incoming_plain_confirmed);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;

    case PROP_LEAVE_COPY:
      g_value_set_boolean (value, self->leave_copy);
      break;

    case PROP_DELETE_WITH_DELETED:
      g_value_set_boolean (value, self->delete_with_deleted);
      break;

    case PROP_OUTGOING_HOST:
      g_value_set_string (value, self->outgoing_host);
      break;

    case PROP_OUTGOING_PORT:
      g_value_set_uint (value, self->outgoing_port);
      break;

    case PROP_OUTGOING_SECURITY:
      g_value_set_enum (value, self->outgoing_security);
      break;

    case PROP_OUTGOING_AUTH:
      g_value_set_boolean (value, self->outgoing_auth);
      break;

    case PROP_OUTGOING_AUTH_METHOD:
      g_value_set_enum (value, self->outgoing_auth_method);
      break;

    case PROP_OUTGOING_PLAIN_CONFIRMED:
      g_value_set_boolean (value, self->outgoing_plain_confirmed);
      break;

    case PROP_OUTGOING_SAME_LOGIN:
      g_value_set_boolean (value, self->outgoing_same_login);
      break;

    case PROP_OUTGOING_USERNAME:
      g_value_set_string (value, self->outgoing_username);
      break;

    case PROP_OUTGOING_PASSWORD:
      g_value_set_string (value, self->outgoing_password);
      break;

    case PROP_OAUTH2_PROVIDER:
      g_value_set_string (value, self->oauth2_provider);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    case PROP_INCOMING_PINNED_CERTIFICATE:
      g_value_set_string (value, self->incoming_pinned_certificate);
      break;

    case PROP_OUTGOING_PINNED_CERTIFICATE:
      g_value_set_string (value, self->outgoing_pinned_certificate);
      break;

    case PROP_GUIDE_STEPS:
      g_value_set_uint (value, self->guide_steps);
      break;

    case PROP_CERTIFICATES:
      /* NULL for none: the property's default, as for a new account. */
      g_value_set_boxed (value, self->certificates[0] != NULL ? self->certificates : NULL);
      break;

    case PROP_DEFAULT_CERTIFICATE:
      g_value_set_string (value, self->default_certificate);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SkAccount *self = SK_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      if (self->id == NULL || self->id[0] == '\0')
        {
          g_free (self->id);
          self->id = g_uuid_string_random ();
        }
      break;

    case PROP_NAME:
      sk_account_set_name (self, g_value_get_string (value));
      break;

    case PROP_FULL_NAME:
      sk_account_set_full_name (self, g_value_get_string (value));
      break;

    case PROP_EMAIL:
      sk_account_set_email (self, g_value_get_string (value));
      break;

    case PROP_SIGN:
      sk_account_set_sign (self, g_value_get_boolean (value));
      break;

    case PROP_INACTIVE:
      sk_account_set_inactive (self, g_value_get_boolean (value));
      break;

    case PROP_ACCOUNT_TYPE:
      sk_account_set_account_type (self, g_value_get_enum (value));
      break;

    case PROP_INCOMING_HOST:
      sk_account_set_incoming_host (self, g_value_get_string (value));
      break;

    case PROP_INCOMING_PORT:
      sk_account_set_incoming_port (self, g_value_get_uint (value));
      break;

    case PROP_INCOMING_SECURITY:
      sk_account_set_incoming_security (self, g_value_get_enum (value));
      break;

    case PROP_INCOMING_AUTH:
      sk_account_set_incoming_auth_method (self, g_value_get_enum (value));
      break;

    case PROP_INCOMING_PLAIN_CONFIRMED:
      sk_account_set_incoming_plain_confirmed (self, g_value_get_boolean (value));
      break;

    case PROP_USERNAME:
      sk_account_set_username (self, g_value_get_string (value));
      break;

    case PROP_PASSWORD:
      sk_account_set_password (self, g_value_get_string (value));
      break;

    case PROP_LEAVE_COPY:
      sk_account_set_leave_copy (self, g_value_get_boolean (value));
      break;

    case PROP_DELETE_WITH_DELETED:
      sk_account_set_delete_with_deleted (self, g_value_get_boolean (value));
      break;

    case PROP_OUTGOING_HOST:
      sk_account_set_outgoing_host (self, g_value_get_string (value));
      break;

    case PROP_OUTGOING_PORT:
      sk_account_set_outgoing_port (self, g_value_get_uint (value));
      break;

    case PROP_OUTGOING_SECURITY:
      sk_account_set_outgoing_security (self, g_value_get_enum (value));
      break;

    case PROP_OUTGOING_AUTH:
      sk_account_set_outgoing_auth (self, g_value_get_boolean (value));
      break;

    case PROP_OUTGOING_AUTH_METHOD:
      sk_account_set_outgoing_auth_method (self, g_value_get_enum (value));
      break;

    case PROP_OUTGOING_PLAIN_CONFIRMED:
      sk_account_set_outgoing_plain_confirmed (self, g_value_get_boolean (value));
      break;

    case PROP_OUTGOING_SAME_LOGIN:
      sk_account_set_outgoing_same_login (self, g_value_get_boolean (value));
      break;

    case PROP_OUTGOING_USERNAME:
      sk_account_set_outgoing_username (self, g_value_get_string (value));
      break;

    case PROP_OUTGOING_PASSWORD:
      sk_account_set_outgoing_password (self, g_value_get_string (value));
      break;

    case PROP_OAUTH2_PROVIDER:
      sk_account_set_oauth2_provider (self, g_value_get_string (value));
      break;

    case PROP_TIMEOUT:
      sk_account_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_INCOMING_PINNED_CERTIFICATE:
      sk_account_set_incoming_pinned_certificate (self, g_value_get_string (value));
      break;

    case PROP_OUTGOING_PINNED_CERTIFICATE:
      sk_account_set_outgoing_pinned_certificate (self, g_value_get_string (value));
      break;

    case PROP_GUIDE_STEPS:
      sk_account_set_guide_steps (self, g_value_get_uint (value));
      break;

    case PROP_CERTIFICATES:
      sk_account_set_certificates (self, g_value_get_boxed (value));
      break;

    case PROP_DEFAULT_CERTIFICATE:
      sk_account_set_default_certificate (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
bool_property (const char *name,
               gboolean    default_value)
{
  return g_param_spec_boolean (name, NULL, NULL, default_value,
                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

/* Ports and the timeout take any number: the dialog sets 0 for text that is
 * not a number, and sk_account_validate() explains what is out of range. */
static GParamSpec *
uint_property (const char *name,
               guint       default_value)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, default_value,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
enum_property (const char *name,
               GType       type,
               int         default_value)
{
  return g_param_spec_enum (name, NULL, NULL, type, default_value,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
sk_account_class_init (SkAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sk_account_finalize;
  object_class->get_property = sk_account_get_property;
  object_class->set_property = sk_account_set_property;

  /* The key to the passwords in the keyring: stable for the account's life. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_USERS] =
    g_param_spec_object ("users", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_NAME] = string_property ("name");
  properties[PROP_FULL_NAME] = string_property ("full-name");
  properties[PROP_EMAIL] = string_property ("email");
  properties[PROP_SIGN] = bool_property ("sign", FALSE);
  properties[PROP_INACTIVE] = bool_property ("inactive", FALSE);

  properties[PROP_ACCOUNT_TYPE] =
    enum_property ("account-type", SK_TYPE_ACCOUNT_TYPE, SK_ACCOUNT_TYPE_IMAP);
  properties[PROP_INCOMING_HOST] = string_property ("incoming-host");
  properties[PROP_INCOMING_PORT] = uint_property ("incoming-port", 993);
  properties[PROP_INCOMING_SECURITY] =
    enum_property ("incoming-security", SK_TYPE_SECURITY, SK_SECURITY_SSL);
  properties[PROP_INCOMING_AUTH] =
    enum_property ("incoming-auth", SK_TYPE_AUTH_METHOD, SK_AUTH_METHOD_AUTO);
  properties[PROP_INCOMING_PLAIN_CONFIRMED] = bool_property ("incoming-plain-confirmed", FALSE);
  properties[PROP_USERNAME] = string_property ("username");
  properties[PROP_PASSWORD] = string_property ("password");
  properties[PROP_LEAVE_COPY] = bool_property ("leave-copy", TRUE);
  properties[PROP_DELETE_WITH_DELETED] = bool_property ("delete-with-deleted", FALSE);

  properties[PROP_OUTGOING_HOST] = string_property ("outgoing-host");
  properties[PROP_OUTGOING_PORT] = uint_property ("outgoing-port", 465);
  properties[PROP_OUTGOING_SECURITY] =
    enum_property ("outgoing-security", SK_TYPE_SECURITY, SK_SECURITY_SSL);
  properties[PROP_OUTGOING_AUTH] = bool_property ("outgoing-auth", TRUE);
  properties[PROP_OUTGOING_AUTH_METHOD] =
    enum_property ("outgoing-auth-method", SK_TYPE_AUTH_METHOD, SK_AUTH_METHOD_AUTO);
  properties[PROP_OUTGOING_PLAIN_CONFIRMED] = bool_property ("outgoing-plain-confirmed", FALSE);
  properties[PROP_OUTGOING_SAME_LOGIN] = bool_property ("outgoing-same-login", TRUE);
  properties[PROP_OUTGOING_USERNAME] = string_property ("outgoing-username");
  properties[PROP_OUTGOING_PASSWORD] = string_property ("outgoing-password");
  properties[PROP_OAUTH2_PROVIDER] = string_property ("oauth2-provider");
  properties[PROP_TIMEOUT] = uint_property ("timeout", SK_DEFAULT_TIMEOUT);
  properties[PROP_INCOMING_PINNED_CERTIFICATE] = string_property ("incoming-pinned-certificate");
  properties[PROP_OUTGOING_PINNED_CERTIFICATE] = string_property ("outgoing-pinned-certificate");
  properties[PROP_GUIDE_STEPS] =
    g_param_spec_uint ("guide-steps", NULL, NULL, 0, ALL_GUIDE_STEPS, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Before "default-certificate": sk_account_assign() sets them in this
   * order, and the default must be one of the list. */
  properties[PROP_CERTIFICATES] =
    g_param_spec_boxed ("certificates", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEFAULT_CERTIFICATE] = string_property ("default-certificate");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sk_account_init (SkAccount *self)
{
  self->name = g_strdup ("");
  self->full_name = g_strdup ("");
  self->email = g_strdup ("");
  self->users = g_list_store_new (SK_TYPE_ACCOUNT_USER);

  self->account_type = SK_ACCOUNT_TYPE_IMAP;
  self->incoming_host = g_strdup ("");
  self->incoming_port = 993;
  self->incoming_security = SK_SECURITY_SSL;
  self->incoming_auth = SK_AUTH_METHOD_AUTO;
  self->username = g_strdup ("");
  self->password = g_strdup ("");
  self->leave_copy = TRUE;

  self->outgoing_host = g_strdup ("");
  self->outgoing_port = 465;
  self->outgoing_security = SK_SECURITY_SSL;
  self->outgoing_auth = TRUE;
  self->outgoing_auth_method = SK_AUTH_METHOD_AUTO;
  self->outgoing_same_login = TRUE;
  self->outgoing_username = g_strdup ("");
  self->outgoing_password = g_strdup ("");
  self->timeout = SK_DEFAULT_TIMEOUT;
  self->incoming_pinned_certificate = g_strdup ("");
  self->outgoing_pinned_certificate = g_strdup ("");
  self->certificates = g_new0 (char *, 1);
  self->default_certificate = g_strdup ("");
  self->oauth2_provider = g_strdup ("");

  self->unknown_keys = g_key_file_new ();
}

SkAccount *
sk_account_new (void)
{
  return g_object_new (SK_TYPE_ACCOUNT, NULL);
}

SkAccount *
sk_account_new_with_id (const char *id)
{
  return g_object_new (SK_TYPE_ACCOUNT, "id", id, NULL);
}

SkAccount *
sk_account_copy (SkAccount *self)
{
  SkAccount *copy;

  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  copy = sk_account_new_with_id (self->id);
  sk_account_assign (copy, self);

  return copy;
}

static gboolean
is_secret_property (guint prop_id)
{
  return prop_id == PROP_PASSWORD || prop_id == PROP_OUTGOING_PASSWORD;
}

void
sk_account_assign (SkAccount *self,
                   SkAccount *from)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));
  g_return_if_fail (SK_IS_ACCOUNT (from));

  if (self == from)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  for (guint i = FIRST_SETTING; i < N_PROPS; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      /* A GValue would leave an unwiped copy of the password behind. */
      if (is_secret_property (i))
        continue;

      g_value_init (&value, properties[i]->value_type);
      g_object_get_property (G_OBJECT (from), properties[i]->name, &value);
      g_object_set_property (G_OBJECT (self), properties[i]->name, &value);
    }

  sk_account_set_password (self, from->password);
  sk_account_set_outgoing_password (self, from->outgoing_password);

  if (!users_equal (G_LIST_MODEL (self->users), G_LIST_MODEL (from->users)))
    {
      guint n_from = g_list_model_get_n_items (G_LIST_MODEL (from->users));
      g_autoptr(GPtrArray) copies = g_ptr_array_new_full (n_from, g_object_unref);

      for (guint i = 0; i < n_from; i++)
        {
          g_autoptr(SkAccountUser) user = g_list_model_get_item (G_LIST_MODEL (from->users), i);

          g_ptr_array_add (copies, sk_account_user_copy (user));
        }

      g_list_store_splice (self->users, 0,
                           g_list_model_get_n_items (G_LIST_MODEL (self->users)),
                           copies->pdata, copies->len);
    }

  copy_key_file (self->unknown_keys, from->unknown_keys);

  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
sk_account_equal (SkAccount *a,
                  SkAccount *b)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (a), FALSE);
  g_return_val_if_fail (SK_IS_ACCOUNT (b), FALSE);

  if (a == b)
    return TRUE;

  for (guint i = FIRST_SETTING; i < N_PROPS; i++)
    {
      g_auto(GValue) value_a = G_VALUE_INIT;
      g_auto(GValue) value_b = G_VALUE_INIT;

      if (is_secret_property (i))
        continue;

      g_value_init (&value_a, properties[i]->value_type);
      g_value_init (&value_b, properties[i]->value_type);
      g_object_get_property (G_OBJECT (a), properties[i]->name, &value_a);
      g_object_get_property (G_OBJECT (b), properties[i]->name, &value_b);

      /* For boxed values g_param_values_cmp() compares the pointers. */
      if (properties[i]->value_type == G_TYPE_STRV)
        {
          if (!strvs_equal (g_value_get_boxed (&value_a), g_value_get_boxed (&value_b)))
            return FALSE;
        }
      else if (g_param_values_cmp (properties[i], &value_a, &value_b) != 0)
        {
          return FALSE;
        }
    }

  return g_strcmp0 (a->password, b->password) == 0
         && g_strcmp0 (a->outgoing_password, b->outgoing_password) == 0
         && users_equal (G_LIST_MODEL (a->users), G_LIST_MODEL (b->users))
         && key_files_equal (a->unknown_keys, b->unknown_keys);
}

const char *
sk_account_get_id (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->id;
}

const char *
sk_account_get_name (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->name;
}

void
sk_account_set_name (SkAccount  *self,
                     const char *name)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->name, name))
    notify (self, PROP_NAME);
}

const char *
sk_account_get_full_name (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->full_name;
}

void
sk_account_set_full_name (SkAccount  *self,
                          const char *full_name)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->full_name, full_name))
    notify (self, PROP_FULL_NAME);
}

const char *
sk_account_get_email (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->email;
}

void
sk_account_set_email (SkAccount  *self,
                      const char *email)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->email, email))
    notify (self, PROP_EMAIL);
}

gboolean
sk_account_get_sign (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), FALSE);

  return self->sign;
}

void
sk_account_set_sign (SkAccount *self,
                     gboolean   sign)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_bool (self, &self->sign, sign, PROP_SIGN);
}

gboolean
sk_account_get_inactive (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), FALSE);

  return self->inactive;
}

void
sk_account_set_inactive (SkAccount *self,
                         gboolean   inactive)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_bool (self, &self->inactive, inactive, PROP_INACTIVE);
}

GListStore *
sk_account_get_users (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->users;
}

SkAccountType
sk_account_get_account_type (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), SK_ACCOUNT_TYPE_IMAP);

  return self->account_type;
}

void
sk_account_set_account_type (SkAccount     *self,
                             SkAccountType  type)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));
  g_return_if_fail (type == SK_ACCOUNT_TYPE_IMAP || type == SK_ACCOUNT_TYPE_POP3);

  if (self->account_type == type)
    return;

  self->account_type = type;
  notify (self, PROP_ACCOUNT_TYPE);
}

const char *
sk_account_get_incoming_host (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->incoming_host;
}

void
sk_account_set_incoming_host (SkAccount  *self,
                              const char *host)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->incoming_host, host))
    notify (self, PROP_INCOMING_HOST);
}

guint
sk_account_get_incoming_port (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), 0);

  return self->incoming_port;
}

void
sk_account_set_incoming_port (SkAccount *self,
                              guint      port)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_uint (self, &self->incoming_port, port, PROP_INCOMING_PORT);
}

SkSecurity
sk_account_get_incoming_security (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), SK_SECURITY_SSL);

  return self->incoming_security;
}

void
sk_account_set_incoming_security (SkAccount  *self,
                                  SkSecurity  security)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));
  g_return_if_fail (security <= SK_SECURITY_NONE);

  if (self->incoming_security == security)
    return;

  self->incoming_security = security;
  notify (self, PROP_INCOMING_SECURITY);
}

SkAuthMethod
sk_account_get_incoming_auth_method (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), SK_AUTH_METHOD_AUTO);

  return self->incoming_auth;
}

void
sk_account_set_incoming_auth_method (SkAccount    *self,
                              SkAuthMethod  method)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));
  g_return_if_fail (method <= SK_AUTH_METHOD_OAUTH2);

  if (self->incoming_auth == method)
    return;

  self->incoming_auth = method;
  notify (self, PROP_INCOMING_AUTH);
}

gboolean
sk_account_get_incoming_plain_confirmed (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), FALSE);

  return self->incoming_plain_confirmed;
}

void
sk_account_set_incoming_plain_confirmed (SkAccount *self,
                                         gboolean   confirmed)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_bool (self, &self->incoming_plain_confirmed, confirmed, PROP_INCOMING_PLAIN_CONFIRMED);
}

const char *
sk_account_get_username (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->username;
}

void
sk_account_set_username (SkAccount  *self,
                         const char *username)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->username, username))
    notify (self, PROP_USERNAME);
}

const char *
sk_account_get_password (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->password;
}

void
sk_account_set_password (SkAccount  *self,
                         const char *password)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_secret (&self->password, password))
    notify (self, PROP_PASSWORD);
}

gboolean
sk_account_get_leave_copy (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), TRUE);

  return self->leave_copy;
}

void
sk_account_set_leave_copy (SkAccount *self,
                           gboolean   leave_copy)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_bool (self, &self->leave_copy, leave_copy, PROP_LEAVE_COPY);
}

gboolean
sk_account_get_delete_with_deleted (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), FALSE);

  return self->delete_with_deleted;
}

void
sk_account_set_delete_with_deleted (SkAccount *self,
                                    gboolean   delete_with_deleted)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_bool (self, &self->delete_with_deleted, delete_with_deleted, PROP_DELETE_WITH_DELETED);
}

const char *
sk_account_get_outgoing_host (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->outgoing_host;
}

void
sk_account_set_outgoing_host (SkAccount  *self,
                              const char *host)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->outgoing_host, host))
    notify (self, PROP_OUTGOING_HOST);
}

guint
sk_account_get_outgoing_port (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), 0);

  return self->outgoing_port;
}

void
sk_account_set_outgoing_port (SkAccount *self,
                              guint      port)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_uint (self, &self->outgoing_port, port, PROP_OUTGOING_PORT);
}

SkSecurity
sk_account_get_outgoing_security (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), SK_SECURITY_SSL);

  return self->outgoing_security;
}

void
sk_account_set_outgoing_security (SkAccount  *self,
                                  SkSecurity  security)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));
  g_return_if_fail (security <= SK_SECURITY_NONE);

  if (self->outgoing_security == security)
    return;

  self->outgoing_security = security;
  notify (self, PROP_OUTGOING_SECURITY);
}

gboolean
sk_account_get_outgoing_auth (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), TRUE);

  return self->outgoing_auth;
}

void
sk_account_set_outgoing_auth (SkAccount *self,
                              gboolean   needs_auth)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_bool (self, &self->outgoing_auth, needs_auth, PROP_OUTGOING_AUTH);
}

SkAuthMethod
sk_account_get_outgoing_auth_method (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), SK_AUTH_METHOD_AUTO);

  return self->outgoing_auth_method;
}

void
sk_account_set_outgoing_auth_method (SkAccount    *self,
                                     SkAuthMethod  method)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));
  g_return_if_fail (method <= SK_AUTH_METHOD_OAUTH2);

  if (self->outgoing_auth_method == method)
    return;

  self->outgoing_auth_method = method;
  notify (self, PROP_OUTGOING_AUTH_METHOD);
}

gboolean
sk_account_get_outgoing_plain_confirmed (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), FALSE);

  return self->outgoing_plain_confirmed;
}

void
sk_account_set_outgoing_plain_confirmed (SkAccount *self,
                                         gboolean   confirmed)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_bool (self, &self->outgoing_plain_confirmed, confirmed, PROP_OUTGOING_PLAIN_CONFIRMED);
}

gboolean
sk_account_get_outgoing_same_login (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), TRUE);

  return self->outgoing_same_login;
}

void
sk_account_set_outgoing_same_login (SkAccount *self,
                                    gboolean   same_login)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_bool (self, &self->outgoing_same_login, same_login, PROP_OUTGOING_SAME_LOGIN);
}

const char *
sk_account_get_outgoing_username (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->outgoing_username;
}

void
sk_account_set_outgoing_username (SkAccount  *self,
                                  const char *username)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->outgoing_username, username))
    notify (self, PROP_OUTGOING_USERNAME);
}

const char *
sk_account_get_outgoing_password (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->outgoing_password;
}

void
sk_account_set_outgoing_password (SkAccount  *self,
                                  const char *password)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_secret (&self->outgoing_password, password))
    notify (self, PROP_OUTGOING_PASSWORD);
}

const char *
sk_account_get_oauth2_provider (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->oauth2_provider;
}

void
sk_account_set_oauth2_provider (SkAccount  *self,
                                const char *provider_id)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->oauth2_provider, provider_id))
    notify (self, PROP_OAUTH2_PROVIDER);
}

static gboolean
outgoing_uses_oauth2 (SkAccount *self)
{
  return sk_account_get_outgoing_login (self) != SK_OUTGOING_LOGIN_NONE
         && self->outgoing_auth_method == SK_AUTH_METHOD_OAUTH2;
}

gboolean
sk_account_uses_oauth2 (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), FALSE);

  return self->incoming_auth == SK_AUTH_METHOD_OAUTH2 || outgoing_uses_oauth2 (self);
}

guint
sk_account_get_timeout (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), SK_DEFAULT_TIMEOUT);

  return self->timeout;
}

void
sk_account_set_timeout (SkAccount *self,
                        guint      seconds)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  set_uint (self, &self->timeout, seconds, PROP_TIMEOUT);
}

const char *
sk_account_get_incoming_pinned_certificate (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->incoming_pinned_certificate;
}

void
sk_account_set_incoming_pinned_certificate (SkAccount  *self,
                                            const char *sha256)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->incoming_pinned_certificate, sha256))
    notify (self, PROP_INCOMING_PINNED_CERTIFICATE);
}

const char *
sk_account_get_outgoing_pinned_certificate (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->outgoing_pinned_certificate;
}

void
sk_account_set_outgoing_pinned_certificate (SkAccount  *self,
                                            const char *sha256)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->outgoing_pinned_certificate, sha256))
    notify (self, PROP_OUTGOING_PINNED_CERTIFICATE);
}

guint
sk_account_get_guide_steps (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), 0);

  return self->guide_steps;
}

void
sk_account_set_guide_steps (SkAccount *self,
                            guint      steps)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));
  g_return_if_fail ((steps & ~ALL_GUIDE_STEPS) == 0);

  set_uint (self, &self->guide_steps, steps, PROP_GUIDE_STEPS);
}

const char * const *
sk_account_get_certificates (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return (const char * const *) self->certificates;
}

void
sk_account_set_certificates (SkAccount          *self,
                             const char * const *sha256s)
{
  static const char * const none[] = { NULL };

  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (sha256s == NULL)
    sha256s = none;

  if (g_strv_equal (sha256s, (const char * const *) self->certificates))
    return;

  g_object_freeze_notify (G_OBJECT (self));

  g_strfreev (self->certificates);
  self->certificates = g_strdupv ((GStrv) sha256s);
  notify (self, PROP_CERTIFICATES);

  /* A removed certificate cannot stay the one that signs. */
  if (!g_strv_contains (sha256s, self->default_certificate))
    sk_account_set_default_certificate (self, "");

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
sk_account_get_default_certificate (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->default_certificate;
}

void
sk_account_set_default_certificate (SkAccount  *self,
                                    const char *sha256)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));

  if (set_str (&self->default_certificate, sha256))
    notify (self, PROP_DEFAULT_CERTIFICATE);
}

/* Servers */

SkOutgoingLogin
sk_account_get_outgoing_login (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), SK_OUTGOING_LOGIN_NONE);

  if (!self->outgoing_auth)
    return SK_OUTGOING_LOGIN_NONE;

  return self->outgoing_same_login ? SK_OUTGOING_LOGIN_INCOMING : SK_OUTGOING_LOGIN_OWN;
}

/* A login with the provider takes its access token, which no account
 * holds: the connection test fetches one. */
static void
set_login (SkAccount  *self,
           SkServer   *server,
           const char *username,
           const char *password)
{
  if (server->auth_method != SK_AUTH_METHOD_OAUTH2)
    {
      sk_server_set_login (server, username, password);
      return;
    }

  sk_server_set_login (server, username, "");
  server->oauth2_provider = g_strdup (self->oauth2_provider);
}

SkServer *
sk_account_dup_server (SkAccount  *self,
                       SkTestSide  side)
{
  SkServer *server;

  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (side < SK_N_TEST_SIDES, NULL);

  if (side == SK_TEST_SIDE_INCOMING)
    {
      server = sk_server_new (self->account_type == SK_ACCOUNT_TYPE_POP3 ? SK_PROTOCOL_POP3
                                                                         : SK_PROTOCOL_IMAP);
      g_free (server->host);
      server->host = g_strdup (self->incoming_host);
      server->port = self->incoming_port;
      server->security = self->incoming_security;
      server->auth_method = self->incoming_auth;
      server->plain_confirmed = self->incoming_plain_confirmed;
      g_free (server->pinned_sha256);
      server->pinned_sha256 = g_strdup (self->incoming_pinned_certificate);
      /* The incoming server always takes a login. */
      set_login (self, server, self->username, self->password);
      return server;
    }

  server = sk_server_new (SK_PROTOCOL_SMTP);
  g_free (server->host);
  server->host = g_strdup (self->outgoing_host);
  server->port = self->outgoing_port;
  server->security = self->outgoing_security;
  server->auth_method = self->outgoing_auth_method;
  server->plain_confirmed = self->outgoing_plain_confirmed;
  g_free (server->pinned_sha256);
  server->pinned_sha256 = g_strdup (self->outgoing_pinned_certificate);

  switch (sk_account_get_outgoing_login (self))
    {
    case SK_OUTGOING_LOGIN_INCOMING:
      set_login (self, server, self->username, self->password);
      break;
    case SK_OUTGOING_LOGIN_OWN:
      set_login (self, server, self->outgoing_username, self->outgoing_password);
      break;
    case SK_OUTGOING_LOGIN_NONE:
    default:
      break;
    }

  return server;
}

void
sk_account_set_server (SkAccount      *self,
                       SkTestSide      side,
                       const SkServer *server)
{
  g_return_if_fail (SK_IS_ACCOUNT (self));
  g_return_if_fail (side < SK_N_TEST_SIDES);
  g_return_if_fail (server != NULL);
  g_return_if_fail ((side == SK_TEST_SIDE_OUTGOING) == (server->protocol == SK_PROTOCOL_SMTP));

  g_object_freeze_notify (G_OBJECT (self));

  if (server->auth_method == SK_AUTH_METHOD_OAUTH2 && server->oauth2_provider != NULL)
    sk_account_set_oauth2_provider (self, server->oauth2_provider);

  if (side == SK_TEST_SIDE_INCOMING)
    {
      sk_account_set_account_type (self, server->protocol == SK_PROTOCOL_POP3
                                         ? SK_ACCOUNT_TYPE_POP3 : SK_ACCOUNT_TYPE_IMAP);
      sk_account_set_incoming_host (self, server->host);
      sk_account_set_incoming_port (self, server->port);
      sk_account_set_incoming_security (self, server->security);
      sk_account_set_incoming_auth_method (self, server->auth_method);
      sk_account_set_incoming_plain_confirmed (self, server->plain_confirmed);
      sk_account_set_incoming_pinned_certificate (self, server->pinned_sha256);
      if (server->username != NULL)
        sk_account_set_username (self, server->username);
      /* An access token is no password to keep. */
      if (server->password != NULL && server->auth_method != SK_AUTH_METHOD_OAUTH2)
        sk_account_set_password (self, server->password);
    }
  else
    {
      sk_account_set_outgoing_host (self, server->host);
      sk_account_set_outgoing_port (self, server->port);
      sk_account_set_outgoing_security (self, server->security);
      sk_account_set_outgoing_auth_method (self, server->auth_method);
      sk_account_set_outgoing_plain_confirmed (self, server->plain_confirmed);
      sk_account_set_outgoing_pinned_certificate (self, server->pinned_sha256);
      sk_account_set_outgoing_auth (self, server->username != NULL);
      if (server->username != NULL)
        {
          gboolean oauth2 = server->auth_method == SK_AUTH_METHOD_OAUTH2;
          gboolean same = g_strcmp0 (server->username, self->username) == 0
                          && (server->password == NULL || oauth2
                              || g_strcmp0 (server->password, self->password) == 0);

          sk_account_set_outgoing_same_login (self, same);
          if (!same)
            {
              sk_account_set_outgoing_username (self, server->username);
              if (server->password != NULL && !oauth2)
                sk_account_set_outgoing_password (self, server->password);
            }
        }
    }

  g_object_thaw_notify (G_OBJECT (self));
}

GKeyFile *
sk_account_get_unknown_keys (SkAccount *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  return self->unknown_keys;
}

/* Validation */

static void
add_problem (GPtrArray  *problems,
             SkField     field,
             const char *message)
{
  SkProblem *problem = g_new0 (SkProblem, 1);

  problem->field = field;
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

G_GNUC_PRINTF (3, 4)
static void
add_problem_printf (GPtrArray  *problems,
                    SkField     field,
                    const char *format,
                    ...)
{
  SkProblem *problem = g_new0 (SkProblem, 1);
  va_list args;

  va_start (args, format);
  problem->field = field;
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (problems, problem);
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;

  return TRUE;
}

static gboolean
has_line_break (const char *text)
{
  return strpbrk (text, "\r\n") != NULL;
}

/* The form two names are compared in: "Biuro " and "biuro" are the same
 * account to the people choosing one from a list. */
static char *
name_key (const char *name)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name));
  g_autofree char *normalized = g_utf8_normalize (trimmed, -1, G_NORMALIZE_ALL);

  if (normalized == NULL)
    return g_strdup (trimmed);

  return g_utf8_casefold (normalized, -1);
}

static void
validate_name (SkAccount          *self,
               const char * const *taken_names,
               GPtrArray          *problems)
{
  g_autofree char *key = NULL;

  if (is_blank (self->name))
    {
      add_problem (problems, SK_FIELD_NAME,
                   _("Enter a name for the account, for example “Office”."));
      return;
    }

  if (has_line_break (self->name))
    {
      add_problem (problems, SK_FIELD_NAME,
                   _("The name must fit on one line. Remove the line breaks."));
      return;
    }

  key = name_key (self->name);
  for (guint i = 0; taken_names != NULL && taken_names[i] != NULL; i++)
    {
      g_autofree char *taken = name_key (taken_names[i]);

      if (g_strcmp0 (key, taken) == 0)
        {
          add_problem (problems, SK_FIELD_NAME,
                       _("Another account already has this name. Choose a different name."));
          return;
        }
    }
}

static void
validate_users (SkAccount *self,
                GPtrArray *problems)
{
  GListModel *users = G_LIST_MODEL (self->users);
  guint n = g_list_model_get_n_items (users);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean empty_code = FALSE;
  guint n_default = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkAccountUser) user = g_list_model_get_item (users, i);
      const char *code = sk_account_user_get_code (user);
      g_autofree char *key = NULL;

      if (sk_account_user_get_is_default (user))
        n_default++;

      if (is_blank (code))
        {
          empty_code = TRUE;
          continue;
        }

      key = name_key (code);
      if (!g_hash_table_add (seen, g_strdup (key))
          && g_hash_table_add (reported, g_strdup (key)))
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (code));

          add_problem_printf (problems, SK_FIELD_USERS,
                              _("The operator code “%s” is in the list more than once. "
                                "Give each user a different code."),
                              trimmed);
        }
    }

  if (empty_code)
    add_problem (problems, SK_FIELD_USERS,
                 _("Every user needs an operator code. Fill in the empty code or remove that user."));

  if (n_default > 1)
    add_problem (problems, SK_FIELD_USERS,
                 _("Only one user can be the default. Clear “Default” for the others."));
}

static void
validate_host (const char    *host,
               SkField        field,
               SkAccountType  type,
               gboolean       outgoing,
               GPtrArray     *problems)
{
  if (is_blank (host))
    {
      if (outgoing)
        add_problem (problems, field,
                     _("Enter the outgoing mail server (SMTP), for example smtp.example.com."));
      else if (type == SK_ACCOUNT_TYPE_POP3)
        add_problem (problems, field,
                     _("Enter the incoming mail server, for example pop.example.com."));
      else
        add_problem (problems, field,
                     _("Enter the incoming mail server, for example imap.example.com."));
    }
  else if (!sk_hostname_is_valid (host))
    {
      add_problem (problems, field,
                   _("Check the server name: it should look like mail.example.com, "
                     "with no spaces."));
    }
}

static void
validate_port (guint      port,
               SkField    field,
               GPtrArray *problems)
{
  if (port < 1 || port > 65535)
    add_problem (problems, field, _("Enter a port number from 1 to 65535."));
}

static void
validate_oauth2_provider (SkAccount *self,
                          GPtrArray *problems)
{
  g_autoptr(SkOAuth2Provider) provider = NULL;

  if (!sk_account_uses_oauth2 (self))
    return;

  if (*self->oauth2_provider == '\0')
    {
      add_problem (problems, SK_FIELD_OAUTH2_PROVIDER,
                   _("Choose the provider to sign in with, for example Google or Microsoft."));
      return;
    }

  provider = sk_oauth2_provider_find (self->oauth2_provider);
  if (provider == NULL)
    add_problem_printf (problems, SK_FIELD_OAUTH2_PROVIDER,
                        _("There is no provider “%s” to sign in with. Use google, microsoft, "
                          "or the name of a provider file IT support has set up."),
                        self->oauth2_provider);
}

GPtrArray *
sk_account_validate (SkAccount          *self,
                     const char * const *taken_names)
{
  GPtrArray *problems;
  gboolean separate_login;

  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_problem_free);

  /* In the order of the fields on the tabs, so that the first problem is the
   * first one a person meets. */
  validate_name (self, taken_names, problems);

  /* The sender name goes into the From header of every message. */
  if (has_line_break (self->full_name))
    add_problem (problems, SK_FIELD_FULL_NAME,
                 _("The full name must fit on one line. Remove the line breaks."));

  if (is_blank (self->email))
    add_problem (problems, SK_FIELD_EMAIL,
                 _("Enter the e-mail address, for example office@example.com."));
  else if (!sk_email_is_valid (self->email))
    add_problem (problems, SK_FIELD_EMAIL,
                 _("Check the e-mail address: it should look like office@example.com, "
                   "with no spaces."));

  validate_users (self, problems);

  validate_host (self->incoming_host, SK_FIELD_INCOMING_HOST,
                 self->account_type, FALSE, problems);
  validate_port (self->incoming_port, SK_FIELD_INCOMING_PORT, problems);

  /* The incoming server always takes a login. */
  if (self->incoming_security == SK_SECURITY_NONE && !self->incoming_plain_confirmed)
    add_problem (problems, SK_FIELD_INCOMING_SECURITY,
                 _("Without security the password would cross the network readable by "
                   "others. Choose SSL/TLS or STARTTLS, or confirm that you accept this."));

  if (is_blank (self->username))
    add_problem (problems, SK_FIELD_USERNAME,
                 _("Enter the user name. It is often the full e-mail address."));
  else if (!sk_credential_is_safe (self->username, -1))
    add_problem (problems, SK_FIELD_USERNAME,
                 _("The user name must fit on one line. Type it again without line breaks."));

  /* A sign-in with the provider takes no password: whatever the field
   * holds is not used. */
  if (self->incoming_auth != SK_AUTH_METHOD_OAUTH2 && !sk_credential_is_safe (self->password, -1))
    add_problem (problems, SK_FIELD_PASSWORD,
                 _("The password must fit on one line. Paste or type it again without line breaks."));

  validate_host (self->outgoing_host, SK_FIELD_OUTGOING_HOST,
                 self->account_type, TRUE, problems);
  validate_port (self->outgoing_port, SK_FIELD_OUTGOING_PORT, problems);

  if (self->outgoing_auth
      && self->outgoing_security == SK_SECURITY_NONE
      && !self->outgoing_plain_confirmed)
    add_problem (problems, SK_FIELD_OUTGOING_SECURITY,
                 _("Without security the password would cross the network readable by "
                   "others. Choose SSL/TLS or STARTTLS, or confirm that you accept this."));

  /* A separate SMTP login that is not used is not checked: a leftover in a
   * hidden field must not block saving. */
  separate_login = sk_account_get_outgoing_login (self) == SK_OUTGOING_LOGIN_OWN;
  if (separate_login)
    {
      if (is_blank (self->outgoing_username))
        add_problem (problems, SK_FIELD_OUTGOING_USERNAME,
                     _("Enter the user name for the outgoing server, or use the same "
                       "user name and password as for incoming mail."));
      else if (!sk_credential_is_safe (self->outgoing_username, -1))
        add_problem (problems, SK_FIELD_OUTGOING_USERNAME,
                     _("The user name must fit on one line. Type it again without line breaks."));

      if (self->outgoing_auth_method != SK_AUTH_METHOD_OAUTH2
          && !sk_credential_is_safe (self->outgoing_password, -1))
        add_problem (problems, SK_FIELD_OUTGOING_PASSWORD,
                     _("The password must fit on one line. Paste or type it again without line breaks."));
    }

  validate_oauth2_provider (self, problems);

  if (self->timeout < SK_MIN_TIMEOUT || self->timeout > SK_MAX_TIMEOUT)
    add_problem_printf (problems, SK_FIELD_TIMEOUT,
                        _("Enter a timeout from %d to %d seconds."),
                        SK_MIN_TIMEOUT, SK_MAX_TIMEOUT);

  return problems;
}

/* Testing */

static gboolean
is_test_field (SkField    field,
               SkTestMode mode,
               gboolean   login_shared)
{
  switch (field)
    {
    /* The name and the users never take part in a login or a message. */
    case SK_FIELD_NAME:
    case SK_FIELD_USERS:
      return FALSE;

    /* A message needs an address and a sender name to go from and to. */
    case SK_FIELD_FULL_NAME:
    case SK_FIELD_EMAIL:
      return mode == SK_TEST_MODE_SEND;

    /* A message goes out through the outgoing server alone; its login
     * may be the incoming one, whose fields then matter through it. */
    case SK_FIELD_INCOMING_HOST:
    case SK_FIELD_INCOMING_PORT:
    case SK_FIELD_INCOMING_SECURITY:
      return mode == SK_TEST_MODE_LOGIN;

    case SK_FIELD_USERNAME:
    case SK_FIELD_PASSWORD:
      return mode == SK_TEST_MODE_LOGIN || login_shared;

    case SK_FIELD_OUTGOING_HOST:
    case SK_FIELD_OUTGOING_PORT:
    case SK_FIELD_OUTGOING_SECURITY:
    case SK_FIELD_OUTGOING_USERNAME:
    case SK_FIELD_OUTGOING_PASSWORD:
    case SK_FIELD_OAUTH2_PROVIDER:
    case SK_FIELD_TIMEOUT:
    case SK_N_FIELDS:
    default:
      return TRUE;
    }
}

SkProblem *
sk_account_find_test_problem (SkAccount  *self,
                              SkTestMode  mode)
{
  g_autoptr(GPtrArray) problems = NULL;
  gboolean shared;

  g_return_val_if_fail (SK_IS_ACCOUNT (self), NULL);

  shared = sk_account_get_outgoing_login (self) == SK_OUTGOING_LOGIN_INCOMING;
  problems = sk_account_validate (self, NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      if (is_test_field (((SkProblem *) g_ptr_array_index (problems, i))->field, mode, shared))
        return g_ptr_array_steal_index (problems, i);
    }

  return NULL;
}

SkField
sk_account_find_missing_password (SkAccount  *self,
                                  SkTestMode  mode)
{
  g_return_val_if_fail (SK_IS_ACCOUNT (self), SK_N_FIELDS);

  /* A message goes out through the outgoing server alone.  A sign-in with
   * the provider needs no password. */
  if (mode == SK_TEST_MODE_LOGIN && self->incoming_auth != SK_AUTH_METHOD_OAUTH2
      && *self->password == '\0')
    return SK_FIELD_PASSWORD;

  if (outgoing_uses_oauth2 (self))
    return SK_N_FIELDS;

  switch (sk_account_get_outgoing_login (self))
    {
    case SK_OUTGOING_LOGIN_INCOMING:
      return *self->password == '\0' ? SK_FIELD_PASSWORD : SK_N_FIELDS;
    case SK_OUTGOING_LOGIN_OWN:
      return *self->outgoing_password == '\0' ? SK_FIELD_OUTGOING_PASSWORD : SK_N_FIELDS;
    case SK_OUTGOING_LOGIN_NONE:
    default:
      return SK_N_FIELDS;
    }
}

guint
sk_standard_port (SkAccountType type,
                  gboolean      outgoing,
                  SkSecurity    security)
{
  if (outgoing)
    return sk_protocol_standard_port (SK_PROTOCOL_SMTP, security);

  return sk_protocol_standard_port (type == SK_ACCOUNT_TYPE_POP3 ? SK_PROTOCOL_POP3
                                                                 : SK_PROTOCOL_IMAP,
                                    security);
}

static const char * const field_keys[SK_N_FIELDS] = {
  [SK_FIELD_NAME] = "name",
  [SK_FIELD_FULL_NAME] = "full-name",
  [SK_FIELD_EMAIL] = "email",
  [SK_FIELD_USERS] = "users",
  [SK_FIELD_INCOMING_HOST] = "incoming-host",
  [SK_FIELD_INCOMING_PORT] = "incoming-port",
  [SK_FIELD_INCOMING_SECURITY] = "incoming-security",
  [SK_FIELD_USERNAME] = "username",
  [SK_FIELD_PASSWORD] = "password",
  [SK_FIELD_OUTGOING_HOST] = "outgoing-host",
  [SK_FIELD_OUTGOING_PORT] = "outgoing-port",
  [SK_FIELD_OUTGOING_SECURITY] = "outgoing-security",
  [SK_FIELD_OUTGOING_USERNAME] = "outgoing-username",
  [SK_FIELD_OUTGOING_PASSWORD] = "outgoing-password",
  [SK_FIELD_OAUTH2_PROVIDER] = "oauth2-provider",
  [SK_FIELD_TIMEOUT] = "timeout",
};

const char *
sk_field_get_key (SkField field)
{
  g_return_val_if_fail (field < SK_N_FIELDS, NULL);

  return field_keys[field];
}

void
sk_problem_free (SkProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->message);
  g_free (problem);
}

/* An account's type is the protocol of its incoming server, by the same
 * names. */
const char *
sk_account_type_to_string (SkAccountType type)
{
  g_return_val_if_fail (type <= SK_ACCOUNT_TYPE_POP3, NULL);

  return sk_protocol_to_string (type == SK_ACCOUNT_TYPE_POP3 ? SK_PROTOCOL_POP3 : SK_PROTOCOL_IMAP);
}

gboolean
sk_account_type_from_string (const char    *str,
                             SkAccountType *type)
{
  SkProtocol protocol;

  g_return_val_if_fail (type != NULL, FALSE);

  if (!sk_protocol_from_string (str, &protocol) || protocol == SK_PROTOCOL_SMTP)
    return FALSE;

  *type = protocol == SK_PROTOCOL_POP3 ? SK_ACCOUNT_TYPE_POP3 : SK_ACCOUNT_TYPE_IMAP;
  return TRUE;
}

gboolean
sk_credential_is_safe (const char *text,
                       gssize      length)
{
  if (text == NULL)
    return TRUE;

  if (length < 0)
    return strpbrk (text, "\r\n") == NULL;

  for (gssize i = 0; i < length; i++)
    if (text[i] == '\r' || text[i] == '\n' || text[i] == '\0')
      return FALSE;

  return TRUE;
}

static gboolean
is_label_char (char c)
{
  return g_ascii_isalnum (c) || c == '-';
}

gboolean
sk_hostname_is_valid (const char *host)
{
  g_autofree char *ascii = NULL;
  const char *label;
  const char *last_label;
  gboolean all_digits = TRUE;

  if (host == NULL || *host == '\0' || !g_utf8_validate (host, -1, NULL))
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  /* Internationalised names ("poczta.żółw.pl") are checked in the form that
   * goes into DNS. */
  if (g_hostname_is_non_ascii (host))
    {
      ascii = g_hostname_to_ascii (host);
      if (ascii == NULL)
        return FALSE;
      host = ascii;
    }

  if (strlen (host) > 253)
    return FALSE;

  label = host;
  last_label = host;
  for (const char *p = host; ; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          gsize len = p - label;

          if (len < 1 || len > 63 || label[0] == '-' || p[-1] == '-')
            return FALSE;

          last_label = label;
          if (*p == '\0')
            break;
          label = p + 1;
        }
      else if (!is_label_char (*p))
        {
          return FALSE;
        }
    }

  /* "192.168.1.300" is a mistyped address, not a name: no top-level domain
   * is all digits. */
  for (const char *p = last_label; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      all_digits = FALSE;

  return !all_digits;
}

gboolean
sk_fingerprint_is_valid (const char *sha256)
{
  if (sha256 == NULL || *sha256 == '\0')
    return TRUE;

  /* "AB:CD:…:EF": 32 pairs, 31 colons. */
  if (strlen (sha256) != 32 * 3 - 1)
    return FALSE;

  for (guint i = 0; sha256[i] != '\0'; i++)
    {
      if (i % 3 == 2 ? sha256[i] != ':' : !g_ascii_isxdigit (sha256[i]))
        return FALSE;
    }

  return TRUE;
}

gboolean
sk_email_is_valid (const char *email)
{
  const char *at;
  const char *domain;

  if (email == NULL || !g_utf8_validate (email, -1, NULL))
    return FALSE;

  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;

  for (const char *p = email; p < at; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        return FALSE;
    }

  domain = at + 1;
  return strchr (domain, '.') != NULL
         && !g_hostname_is_ip_address (domain)
         && sk_hostname_is_valid (domain);
}
