/* sk-certificate-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-certificate-store.h"
#include "core/sk-core-enums.h"
#include "core/sk-format.h"

#include "sk-certificate-row.h"

struct _SkCertificateRow
{
  GObject              parent_instance;

  char                *sha256;
  SkCertificate       *certificate;  /* NULL: not readable from the store */
  char                *missing;      /* why not, when so */
  char                *emails;       /* NULL: the certificate names none */
  char                *valid_to;
  char                *validity;
  SkCertificateStatus  status;
  char                *sentence;
  gboolean             is_default;
  char                *trust;        /* NULL until asked */
};

G_DEFINE_FINAL_TYPE (SkCertificateRow, sk_certificate_row, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SHA256,
  PROP_CERTIFICATE,
  PROP_NAME,
  PROP_SUBJECT,
  PROP_EMAILS,
  PROP_ISSUER_NAME,
  PROP_ISSUER,
  PROP_VALID_TO,
  PROP_VALIDITY,
  PROP_STATUS,
  PROP_STATUS_TEXT,
  PROP_STATUS_ICON,
  PROP_STATUS_CSS_CLASS,
  PROP_SENTENCE,
  PROP_IS_DEFAULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_validity (SkCertificate *certificate)
{
  g_autofree char *from = sk_format_date_for_people (sk_certificate_get_not_before (certificate));
  g_autofree char *until = sk_format_date_for_people (sk_certificate_get_not_after (certificate));

  /* TRANSLATORS: a certificate's validity, "from 3 March 2025 to 3 March 2026" */
  return g_strdup_printf (_("from %s to %s"), from, until);
}

static void
look_up (SkCertificateRow *self)
{
  g_autoptr(GError) error = NULL;

  self->certificate = sk_certificate_store_lookup (self->sha256, &error);
  if (self->certificate != NULL)
    {
      self->emails = g_strjoinv (", ", (char **) sk_certificate_get_emails (self->certificate));
      if (self->emails[0] == '\0')
        g_clear_pointer (&self->emails, g_free);
      self->valid_to = sk_format_date_for_people (sk_certificate_get_not_after (self->certificate));
      self->validity = format_validity (self->certificate);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      self->missing = g_strdup (_("The file of this certificate is missing from this computer. "
                                  "Remove it from the list and import the certificate again."));
    }
  else
    {
      /* TRANSLATORS: %s says why the file could not be read */
      self->missing = g_strdup_printf (_("The file of this certificate cannot be read (%s). "
                                         "Remove it from the list and import the certificate again."),
                                       error->message);
    }

  if (self->certificate == NULL)
    self->sentence = g_strdup (self->missing);
}

/* The status in a word or two, for the column. */
static const char *
get_status_text (SkCertificateRow *self)
{
  if (self->certificate == NULL)
    return _("File missing");

  switch (self->status)
    {
    case SK_CERTIFICATE_STATUS_VALID:
      return _("Valid");
    case SK_CERTIFICATE_STATUS_NO_PRIVATE_KEY:
      return _("No private key");
    case SK_CERTIFICATE_STATUS_EXPIRED:
      return _("Expired");
    case SK_CERTIFICATE_STATUS_NOT_YET_VALID:
      return _("Not yet valid");
    case SK_CERTIFICATE_STATUS_NOT_FOR_EMAIL:
      return _("Not for e-mail");
    case SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH:
      return _("Different address");
    default:
      g_assert_not_reached ();
    }
}

/* Warnings for what may still come right (a date ahead, an address that
 * can be changed on tab 1); errors for what never will. */
static gboolean
may_come_right (SkCertificateRow *self)
{
  return self->certificate != NULL &&
         (self->status == SK_CERTIFICATE_STATUS_NOT_YET_VALID ||
          self->status == SK_CERTIFICATE_STATUS_ADDRESS_MISMATCH);
}

static gboolean
is_valid (SkCertificateRow *self)
{
  return self->certificate != NULL && self->status == SK_CERTIFICATE_STATUS_VALID;
}

static void
sk_certificate_row_finalize (GObject *object)
{
  SkCertificateRow *self = SK_CERTIFICATE_ROW (object);

  g_free (self->sha256);
  g_clear_object (&self->certificate);
  g_free (self->missing);
  g_free (self->emails);
  g_free (self->valid_to);
  g_free (self->validity);
  g_free (self->sentence);
  g_free (self->trust);

  G_OBJECT_CLASS (sk_certificate_row_parent_class)->finalize (object);
}

static void
sk_certificate_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SkCertificateRow *self = SK_CERTIFICATE_ROW (object);
  SkCertificate *certificate = self->certificate;

  switch (prop_id)
    {
    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;

    case PROP_CERTIFICATE:
      g_value_set_object (value, certificate);
      break;

    case PROP_NAME:
      g_value_set_string (value, sk_certificate_row_get_name (self));
      break;

    case PROP_SUBJECT:
      g_value_set_string (value, certificate != NULL ? sk_certificate_get_subject (certificate)
                                                     : self->sha256);
      break;

    case PROP_EMAILS:
      g_value_set_string (value, self->emails);
      break;

    case PROP_ISSUER_NAME:
      g_value_set_string (value, certificate != NULL ? sk_certificate_get_issuer_display_name (certificate)
                                                     : NULL);
      break;

    case PROP_ISSUER:
      g_value_set_string (value, certificate != NULL ? sk_certificate_get_issuer (certificate) : NULL);
      break;

    case PROP_VALID_TO:
      g_value_set_string (value, self->valid_to);
      break;

    case PROP_VALIDITY:
      g_value_set_string (value, self->validity);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_STATUS_TEXT:
      g_value_set_string (value, get_status_text (self));
      break;

    case PROP_STATUS_ICON:
      g_value_set_string (value, sk_certificate_row_get_status_icon (self));
      break;

    case PROP_STATUS_CSS_CLASS:
      g_value_set_string (value, sk_certificate_row_get_status_css_class (self));
      break;

    case PROP_SENTENCE:
      g_value_set_string (value, self->sentence);
      break;

    case PROP_IS_DEFAULT:
      g_value_set_boolean (value, self->is_default);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_certificate_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SkCertificateRow *self = SK_CERTIFICATE_ROW (object);

  switch (prop_id)
    {
    case PROP_SHA256:
      self->sha256 = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_certificate_row_constructed (GObject *object)
{
  G_OBJECT_CLASS (sk_certificate_row_parent_class)->constructed (object);

  look_up (SK_CERTIFICATE_ROW (object));
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
sk_certificate_row_class_init (SkCertificateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sk_certificate_row_finalize;
  object_class->get_property = sk_certificate_row_get_property;
  object_class->set_property = sk_certificate_row_set_property;
  object_class->constructed = sk_certificate_row_constructed;

  properties[PROP_SHA256] =
    g_param_spec_string ("sha256", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, SK_TYPE_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whose it is, and in full (or the fingerprint of a lost one). */
  properties[PROP_NAME] = string_property ("name");
  properties[PROP_SUBJECT] = string_property ("subject");
  /* The addresses, ", "-separated; NULL when it names none. */
  properties[PROP_EMAILS] = string_property ("emails");
  properties[PROP_ISSUER_NAME] = string_property ("issuer-name");
  properties[PROP_ISSUER] = string_property ("issuer");
  properties[PROP_VALID_TO] = string_property ("valid-to");
  properties[PROP_VALIDITY] = string_property ("validity");
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       SK_TYPE_CERTIFICATE_STATUS, SK_CERTIFICATE_STATUS_VALID,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_TEXT] = string_property ("status-text");
  properties[PROP_STATUS_ICON] = string_property ("status-icon");
  properties[PROP_STATUS_CSS_CLASS] = string_property ("status-css-class");
  properties[PROP_SENTENCE] = string_property ("sentence");
  properties[PROP_IS_DEFAULT] =
    g_param_spec_boolean ("is-default", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sk_certificate_row_init (SkCertificateRow *self)
{
}

SkCertificateRow *
sk_certificate_row_new (const char *sha256)
{
  g_return_val_if_fail (sha256 != NULL, NULL);

  return g_object_new (SK_TYPE_CERTIFICATE_ROW, "sha256", sha256, NULL);
}

const char *
sk_certificate_row_get_sha256 (SkCertificateRow *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE_ROW (self), NULL);

  return self->sha256;
}

SkCertificate *
sk_certificate_row_get_certificate (SkCertificateRow *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE_ROW (self), NULL);

  return self->certificate;
}

const char *
sk_certificate_row_get_name (SkCertificateRow *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE_ROW (self), NULL);

  return self->certificate != NULL ? sk_certificate_get_display_name (self->certificate)
                                   : _("Missing certificate");
}

const char *
sk_certificate_row_get_sentence (SkCertificateRow *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE_ROW (self), NULL);

  return self->sentence;
}

const char *
sk_certificate_row_get_validity (SkCertificateRow *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE_ROW (self), NULL);

  return self->validity;
}

const char *
sk_certificate_row_get_status_icon (SkCertificateRow *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE_ROW (self), NULL);

  if (is_valid (self))
    return "emblem-ok-symbolic";

  return may_come_right (self) ? "dialog-warning-symbolic" : "dialog-error-symbolic";
}

const char *
sk_certificate_row_get_status_css_class (SkCertificateRow *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE_ROW (self), NULL);

  if (is_valid (self))
    return "success-icon";

  return may_come_right (self) ? "warning-icon" : "error-icon";
}

gboolean
sk_certificate_row_get_is_default (SkCertificateRow *self)
{
  g_return_val_if_fail (SK_IS_CERTIFICATE_ROW (self), FALSE);

  return self->is_default;
}

const char *
sk_certificate_row_get_trust (SkCertificateRow *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SK_IS_CERTIFICATE_ROW (self), NULL);

  if (self->certificate == NULL || self->trust != NULL)
    return self->trust;

  /* Reported, not required: a company's own authority is often unknown to
   * the system, and its people may still want to sign with it. */
  if (sk_certificate_verify_chain (self->certificate, NULL, &error))
    self->trust = g_strdup (_("In order: the signatures of its issuers check out."));
  else
    self->trust = g_strdup (error->message);

  return self->trust;
}

void
sk_certificate_row_update (SkCertificateRow *self,
                           const char       *email,
                           gboolean          is_default)
{
  SkCertificateStatus status;
  g_autofree char *sentence = NULL;

  g_return_if_fail (SK_IS_CERTIFICATE_ROW (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (self->is_default != is_default)
    {
      self->is_default = is_default;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEFAULT]);
    }

  if (self->certificate != NULL)
    {
      status = sk_certificate_get_status (self->certificate, email, NULL);
      sentence = sk_certificate_describe_status (self->certificate, status);

      if (status != self->status)
        {
          self->status = status;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_ICON]);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_CSS_CLASS]);
        }
      if (g_strcmp0 (sentence, self->sentence) != 0)
        {
          g_free (self->sentence);
          self->sentence = g_steal_pointer (&sentence);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENTENCE]);
        }
    }

  g_object_thaw_notify (G_OBJECT (self));
}
