/* sk-account-user.c — one person (operator) who may use an account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Account"

#include "config.h"

#include "sk-account-user.h"

struct _SkAccountUser
{
  GObject   parent_instance;

  char     *code;
  char     *full_name;
  gboolean  owner;
  gboolean  is_default;
};

G_DEFINE_FINAL_TYPE (SkAccountUser, sk_account_user, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CODE,
  PROP_FULL_NAME,
  PROP_OWNER,
  PROP_IS_DEFAULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() arrived in GLib 2.76. */
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

static void
sk_account_user_finalize (GObject *object)
{
  SkAccountUser *self = SK_ACCOUNT_USER (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->full_name, g_free);

  G_OBJECT_CLASS (sk_account_user_parent_class)->finalize (object);
}

static void
sk_account_user_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SkAccountUser *self = SK_ACCOUNT_USER (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_FULL_NAME:
      g_value_set_string (value, self->full_name);
      break;

    case PROP_OWNER:
      g_value_set_boolean (value, self->owner);
      break;

    case PROP_IS_DEFAULT:
      g_value_set_boolean (value, self->is_default);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_account_user_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SkAccountUser *self = SK_ACCOUNT_USER (object);

  switch (prop_id)
    {
    case PROP_CODE:
      sk_account_user_set_code (self, g_value_get_string (value));
      break;

    case PROP_FULL_NAME:
      sk_account_user_set_full_name (self, g_value_get_string (value));
      break;

    case PROP_OWNER:
      sk_account_user_set_owner (self, g_value_get_boolean (value));
      break;

    case PROP_IS_DEFAULT:
      sk_account_user_set_is_default (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_account_user_class_init (SkAccountUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sk_account_user_finalize;
  object_class->get_property = sk_account_user_get_property;
  object_class->set_property = sk_account_user_set_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FULL_NAME] =
    g_param_spec_string ("full-name", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_OWNER] =
    g_param_spec_boolean ("owner", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IS_DEFAULT] =
    g_param_spec_boolean ("is-default", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sk_account_user_init (SkAccountUser *self)
{
  /* Never NULL, so that entries and sorters bound to them need no checks. */
  self->code = g_strdup ("");
  self->full_name = g_strdup ("");
}

SkAccountUser *
sk_account_user_new (const char *code,
                     const char *full_name,
                     gboolean    owner,
                     gboolean    is_default)
{
  return g_object_new (SK_TYPE_ACCOUNT_USER,
                       "code", code ? code : "",
                       "full-name", full_name ? full_name : "",
                       "owner", owner,
                       "is-default", is_default,
                       NULL);
}

SkAccountUser *
sk_account_user_copy (SkAccountUser *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT_USER (self), NULL);

  return sk_account_user_new (self->code, self->full_name,
                              self->owner, self->is_default);
}

gboolean
sk_account_user_equal (SkAccountUser *a,
                       SkAccountUser *b)
{
  g_return_val_if_fail (SK_IS_ACCOUNT_USER (a), FALSE);
  g_return_val_if_fail (SK_IS_ACCOUNT_USER (b), FALSE);

  return g_strcmp0 (a->code, b->code) == 0
         && g_strcmp0 (a->full_name, b->full_name) == 0
         && !a->owner == !b->owner
         && !a->is_default == !b->is_default;
}

const char *
sk_account_user_get_code (SkAccountUser *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT_USER (self), NULL);

  return self->code;
}

void
sk_account_user_set_code (SkAccountUser *self,
                          const char    *code)
{
  g_return_if_fail (SK_IS_ACCOUNT_USER (self));

  if (set_str (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

const char *
sk_account_user_get_full_name (SkAccountUser *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT_USER (self), NULL);

  return self->full_name;
}

void
sk_account_user_set_full_name (SkAccountUser *self,
                               const char    *full_name)
{
  g_return_if_fail (SK_IS_ACCOUNT_USER (self));

  if (set_str (&self->full_name, full_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FULL_NAME]);
}

gboolean
sk_account_user_get_owner (SkAccountUser *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT_USER (self), FALSE);

  return self->owner;
}

void
sk_account_user_set_owner (SkAccountUser *self,
                           gboolean       owner)
{
  g_return_if_fail (SK_IS_ACCOUNT_USER (self));

  owner = !!owner;
  if (self->owner == owner)
    return;

  self->owner = owner;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWNER]);
}

gboolean
sk_account_user_get_is_default (SkAccountUser *self)
{
  g_return_val_if_fail (SK_IS_ACCOUNT_USER (self), FALSE);

  return self->is_default;
}

void
sk_account_user_set_is_default (SkAccountUser *self,
                                gboolean       is_default)
{
  g_return_if_fail (SK_IS_ACCOUNT_USER (self));

  is_default = !!is_default;
  if (self->is_default == is_default)
    return;

  self->is_default = is_default;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEFAULT]);
}
