/* sk-account-keyfile.c — accounts as GLib key files (storage and export)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Account"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-account-keyfile.h"
#include "sk-oauth2-provider.h"

/* Every key this version reads and writes; anything else in a group is an
 * unknown key, kept in sk_account_get_unknown_keys() under SK_EXPORT_GROUP
 * and written back unchanged.  (Localised variants such as "name[pl]" are
 * not: GKeyFile does not list them.) */
static const char * const known_keys[] = {
  "name",
  "full-name",
  "email",
  "type",
  "incoming-host",
  "incoming-port",
  "incoming-security",
  "incoming-auth",
  "incoming-plain-confirmed",
  "username",
  "leave-copy",
  "delete-with-deleted",
  "outgoing-host",
  "outgoing-port",
  "outgoing-security",
  "outgoing-auth",
  "outgoing-auth-method",
  "outgoing-plain-confirmed",
  "outgoing-same-login",
  "outgoing-username",
  "oauth2-provider",
  "timeout",
  "incoming-pinned-certificate",
  "outgoing-pinned-certificate",
  "guide-steps",
  "certificates",
  "default-certificate",
  "sign",
  "inactive",
  "users",
  "user-names",
  "user-owners",
  "user-default",
  NULL  /* for g_strv_contains() */
};

/* Keys that would hold a password.  They are refused rather than ignored:
 * a password left in a file is readable by whoever finds the file. */
static const char * const password_keys[] = {
  "password",
  "outgoing-password",
};

G_DEFINE_QUARK (sk-keyfile-error-quark, sk_keyfile_error)

/* Every message is "KEY: what is wrong".  The key is added here, outside the
 * translated text, because it is what stands in the file. */
G_GNUC_PRINTF (4, 5)
static gboolean
key_error (GError         **error,
           SkKeyfileError   code,
           const char      *key,
           const char      *format,
           ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, SK_KEYFILE_ERROR, code, "%s: %s", key, problem);
  return FALSE;
}

void
sk_account_to_key_file (SkAccount  *account,
                        GKeyFile   *key_file,
                        const char *group)
{
  GListModel *users;
  GKeyFile *unknown;
  g_auto(GStrv) unknown_keys = NULL;
  const char * const *certificates;
  const char *default_certificate;
  guint n_users;
  guint steps;

  g_return_if_fail (SK_IS_ACCOUNT (account));
  g_return_if_fail (key_file != NULL);
  g_return_if_fail (group != NULL);

  /* Start clean, so that a key of an earlier write does not linger. */
  g_key_file_remove_group (key_file, group, NULL);

  g_key_file_set_string (key_file, group, "name", sk_account_get_name (account));
  g_key_file_set_string (key_file, group, "full-name", sk_account_get_full_name (account));
  g_key_file_set_string (key_file, group, "email", sk_account_get_email (account));
  g_key_file_set_string (key_file, group, "type",
                         sk_account_type_to_string (sk_account_get_account_type (account)));

  g_key_file_set_string (key_file, group, "incoming-host",
                         sk_account_get_incoming_host (account));
  g_key_file_set_uint64 (key_file, group, "incoming-port",
                         sk_account_get_incoming_port (account));
  g_key_file_set_string (key_file, group, "incoming-security",
                         sk_security_to_string (sk_account_get_incoming_security (account)));
  g_key_file_set_string (key_file, group, "incoming-auth",
                         sk_auth_method_to_string (sk_account_get_incoming_auth_method (account)));
  g_key_file_set_boolean (key_file, group, "incoming-plain-confirmed",
                          sk_account_get_incoming_plain_confirmed (account));
  g_key_file_set_string (key_file, group, "username", sk_account_get_username (account));
  g_key_file_set_boolean (key_file, group, "leave-copy",
                          sk_account_get_leave_copy (account));
  g_key_file_set_boolean (key_file, group, "delete-with-deleted",
                          sk_account_get_delete_with_deleted (account));

  g_key_file_set_string (key_file, group, "outgoing-host",
                         sk_account_get_outgoing_host (account));
  g_key_file_set_uint64 (key_file, group, "outgoing-port",
                         sk_account_get_outgoing_port (account));
  g_key_file_set_string (key_file, group, "outgoing-security",
                         sk_security_to_string (sk_account_get_outgoing_security (account)));
  g_key_file_set_boolean (key_file, group, "outgoing-auth",
                          sk_account_get_outgoing_auth (account));
  g_key_file_set_string (key_file, group, "outgoing-auth-method",
                         sk_auth_method_to_string (sk_account_get_outgoing_auth_method (account)));
  g_key_file_set_boolean (key_file, group, "outgoing-plain-confirmed",
                          sk_account_get_outgoing_plain_confirmed (account));
  g_key_file_set_boolean (key_file, group, "outgoing-same-login",
                          sk_account_get_outgoing_same_login (account));
  g_key_file_set_string (key_file, group, "outgoing-username",
                         sk_account_get_outgoing_username (account));
  /* Only accounts that sign in with a provider name one. */
  if (*sk_account_get_oauth2_provider (account) != '\0')
    g_key_file_set_string (key_file, group, "oauth2-provider",
                           sk_account_get_oauth2_provider (account));
  g_key_file_set_uint64 (key_file, group, "timeout", sk_account_get_timeout (account));
  g_key_file_set_string (key_file, group, "incoming-pinned-certificate",
                         sk_account_get_incoming_pinned_certificate (account));
  g_key_file_set_string (key_file, group, "outgoing-pinned-certificate",
                         sk_account_get_outgoing_pinned_certificate (account));

  g_key_file_set_boolean (key_file, group, "sign", sk_account_get_sign (account));
  g_key_file_set_boolean (key_file, group, "inactive", sk_account_get_inactive (account));

  /* Only Gmail accounts have a guide to tick: no line for the others. */
  steps = sk_account_get_guide_steps (account);
  if (steps != 0)
    {
      int numbers[SK_GUIDE_N_STEPS];
      gsize n_numbers = 0;

      for (int step = 1; step <= SK_GUIDE_N_STEPS; step++)
        if (steps & (1u << (step - 1)))
          numbers[n_numbers++] = step;

      g_key_file_set_integer_list (key_file, group, "guide-steps", numbers, n_numbers);
    }

  certificates = sk_account_get_certificates (account);
  if (certificates[0] != NULL)
    g_key_file_set_string_list (key_file, group, "certificates",
                                certificates, g_strv_length ((GStrv) certificates));
  /* One that is not listed would make the file unreadable. */
  default_certificate = sk_account_get_default_certificate (account);
  if (g_strv_contains (certificates, default_certificate))
    g_key_file_set_string (key_file, group, "default-certificate", default_certificate);

  users = G_LIST_MODEL (sk_account_get_users (account));
  n_users = g_list_model_get_n_items (users);
  if (n_users > 0)
    {
      g_autoptr(GPtrArray) codes = g_ptr_array_new ();
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autoptr(GPtrArray) owners = g_ptr_array_new ();
      const char *default_code = NULL;

      for (guint i = 0; i < n_users; i++)
        {
          /* The store holds a reference: the strings outlive this loop. */
          g_autoptr(SkAccountUser) user = g_list_model_get_item (users, i);
          const char *code = sk_account_user_get_code (user);

          g_ptr_array_add (codes, (gpointer) code);
          g_ptr_array_add (names, (gpointer) sk_account_user_get_full_name (user));
          if (sk_account_user_get_owner (user))
            g_ptr_array_add (owners, (gpointer) code);
          if (sk_account_user_get_is_default (user) && default_code == NULL)
            default_code = code;
        }

      g_key_file_set_string_list (key_file, group, "users",
                                  (const char * const *) codes->pdata, codes->len);
      g_key_file_set_string_list (key_file, group, "user-names",
                                  (const char * const *) names->pdata, names->len);
      if (owners->len > 0)
        g_key_file_set_string_list (key_file, group, "user-owners",
                                    (const char * const *) owners->pdata, owners->len);
      if (default_code != NULL)
        g_key_file_set_string (key_file, group, "user-default", default_code);
    }

  unknown = sk_account_get_unknown_keys (account);
  unknown_keys = g_key_file_get_keys (unknown, SK_EXPORT_GROUP, NULL, NULL);
  for (guint i = 0; unknown_keys != NULL && unknown_keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_value (unknown, SK_EXPORT_GROUP,
                                                     unknown_keys[i], NULL);

      g_key_file_set_value (key_file, group, unknown_keys[i], value);
    }
}

/* Reading */

static gboolean
missing_key (const char  *key,
             GError     **error)
{
  return key_error (error, SK_KEYFILE_ERROR_MISSING_KEY, key,
                    /* Translators: %s is the key, as it stands in the file. */
                    _("is missing; add a line “%s=…”"), key);
}

static gboolean
read_string (GKeyFile    *key_file,
             const char  *group,
             const char  *key,
             gboolean     required,
             char       **value,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_has_key (key_file, group, key, NULL))
    {
      if (required)
        return missing_key (key, error);

      *value = NULL;
      return TRUE;
    }

  /* For a bad escape GKeyFile returns the raw text and an error. */
  *value = g_key_file_get_string (key_file, group, key, &local_error);
  if (local_error != NULL)
    {
      g_clear_pointer (value, g_free);
      return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, key,
                        _("is not valid text (%s)"), local_error->message);
    }

  return TRUE;
}

static gboolean
read_bool (GKeyFile    *key_file,
           const char  *group,
           const char  *key,
           gboolean     default_value,
           gboolean    *value,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *raw = NULL;

  if (!g_key_file_has_key (key_file, group, key, NULL))
    {
      *value = default_value;
      return TRUE;
    }

  *value = g_key_file_get_boolean (key_file, group, key, &local_error);
  if (local_error != NULL)
    {
      raw = g_key_file_get_value (key_file, group, key, NULL);
      return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, key,
                        _("“%s” is not true or false"), raw);
    }

  return TRUE;
}

static gboolean
read_number (GKeyFile    *key_file,
             const char  *group,
             const char  *key,
             guint        min,
             guint        max,
             guint        default_value,
             guint       *value,
             GError     **error)
{
  g_autofree char *raw = NULL;
  guint64 number;

  if (!g_key_file_has_key (key_file, group, key, NULL))
    {
      *value = default_value;
      return TRUE;
    }

  raw = g_key_file_get_value (key_file, group, key, NULL);
  if (!g_ascii_string_to_unsigned (raw, 10, min, max, &number, NULL))
    {
      if (max == 65535)
        return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, key,
                          _("“%s” is not a port number from 1 to 65535"), raw);

      return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, key,
                        _("“%s” is not a number of seconds from %u to %u"),
                        raw, min, max);
    }

  *value = (guint) number;
  return TRUE;
}

/* The raw value of key, or NULL when the group does not have it. */
static char *
get_raw (GKeyFile   *key_file,
         const char *group,
         const char *key)
{
  return g_key_file_get_value (key_file, group, key, NULL);
}

static gboolean
not_a_choice (const char  *key,
              const char  *raw,
              const char  *choices,
              GError     **error)
{
  return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, key,
                    /* Translators: the second %s lists the values allowed,
                     * as they stand in the file: "imap, pop3". */
                    _("“%s” is not one of %s"), raw, choices);
}

static gboolean
read_users (GKeyFile    *key_file,
            const char  *group,
            SkAccount   *account,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) codes = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) owners = NULL;
  g_autofree char *default_code = NULL;
  g_autoptr(GPtrArray) users = NULL;
  gsize n_codes = 0;
  gsize n_names = 0;
  gsize n_owners = 0;

  if (g_key_file_has_key (key_file, group, "users", NULL))
    {
      codes = g_key_file_get_string_list (key_file, group, "users", &n_codes, &local_error);
      if (local_error != NULL)
        return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "users",
                          _("is not a list of operator codes (%s)"), local_error->message);
    }

  if (g_key_file_has_key (key_file, group, "user-names", NULL))
    {
      names = g_key_file_get_string_list (key_file, group, "user-names", &n_names, &local_error);
      if (local_error != NULL)
        return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "user-names",
                          _("is not a list of names (%s)"), local_error->message);
      if (n_names != n_codes)
        return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "user-names",
                          _("has %u names for %u codes in users; give one name for each code"),
                          (guint) n_names, (guint) n_codes);
    }

  if (g_key_file_has_key (key_file, group, "user-owners", NULL))
    {
      owners = g_key_file_get_string_list (key_file, group, "user-owners", &n_owners, &local_error);
      if (local_error != NULL)
        return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "user-owners",
                          _("is not a list of operator codes (%s)"), local_error->message);
      for (gsize i = 0; i < n_owners; i++)
        {
          if (codes == NULL || !g_strv_contains ((const char * const *) codes, owners[i]))
            return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "user-owners",
                              _("“%s” is not one of the codes in users"), owners[i]);
        }
    }

  if (!read_string (key_file, group, "user-default", FALSE, &default_code, error))
    return FALSE;
  if (default_code != NULL
      && (codes == NULL || !g_strv_contains ((const char * const *) codes, default_code)))
    return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "user-default",
                      _("“%s” is not one of the codes in users"), default_code);

  users = g_ptr_array_new_with_free_func (g_object_unref);
  for (gsize i = 0; i < n_codes; i++)
    {
      gboolean owner = owners != NULL && g_strv_contains ((const char * const *) owners, codes[i]);
      gboolean is_default = g_strcmp0 (codes[i], default_code) == 0;

      g_ptr_array_add (users, sk_account_user_new (codes[i], names ? names[i] : "",
                                                   owner, is_default));
    }

  g_list_store_splice (sk_account_get_users (account), 0,
                       g_list_model_get_n_items (G_LIST_MODEL (sk_account_get_users (account))),
                       users->pdata, users->len);

  return TRUE;
}

static gboolean
read_strings (GKeyFile    *key_file,
              const char  *group,
              SkAccount   *account,
              GError     **error)
{
  static const struct
  {
    const char *key;
    gboolean    required;
  } strings[] = {
    { "name", TRUE },
    { "full-name", FALSE },
    { "email", TRUE },
    { "incoming-host", TRUE },
    { "username", FALSE },
    { "outgoing-host", TRUE },
    { "outgoing-username", FALSE },
    { "oauth2-provider", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_autofree char *value = NULL;

      if (!read_string (key_file, group, strings[i].key, strings[i].required, &value, error))
        return FALSE;

      /* The key names are the property names. */
      if (value != NULL)
        g_object_set (account, strings[i].key, value, NULL);
    }

  return TRUE;
}

/* Whether the provider exists is for validation to say (a provider file
 * may come later); a name that could never be a file's is wrong here. */
static gboolean
read_oauth2_provider (SkAccount  *account,
                      GError    **error)
{
  const char *id = sk_account_get_oauth2_provider (account);

  if (*id != '\0' && !sk_oauth2_provider_id_is_valid (id))
    return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "oauth2-provider",
                      _("“%s” is not a provider name (lower-case letters, digits and dashes)"),
                      id);

  return TRUE;
}

static gboolean
read_bools (GKeyFile    *key_file,
            const char  *group,
            SkAccount   *account,
            GError     **error)
{
  static const char * const bools[] = {
    "sign",
    "inactive",
    "incoming-plain-confirmed",
    "leave-copy",
    "delete-with-deleted",
    "outgoing-auth",
    "outgoing-plain-confirmed",
    "outgoing-same-login",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bools); i++)
    {
      gboolean default_value;
      gboolean value;

      /* A new account holds the defaults. */
      g_object_get (account, bools[i], &default_value, NULL);
      if (!read_bool (key_file, group, bools[i], default_value, &value, error))
        return FALSE;
      g_object_set (account, bools[i], value, NULL);
    }

  return TRUE;
}

static gboolean
read_enums (GKeyFile    *key_file,
            const char  *group,
            SkAccount   *account,
            GError     **error)
{
  static const char securities[] = "ssl, starttls, none";
  static const char auth_methods[] = "auto, plain, login, cram-md5, digest-md5, ntlm, oauth2";
  g_autofree char *type_raw = get_raw (key_file, group, "type");
  g_autofree char *incoming_security_raw = get_raw (key_file, group, "incoming-security");
  g_autofree char *incoming_auth_raw = get_raw (key_file, group, "incoming-auth");
  g_autofree char *outgoing_security_raw = get_raw (key_file, group, "outgoing-security");
  g_autofree char *outgoing_auth_method_raw = get_raw (key_file, group, "outgoing-auth-method");
  SkAccountType type = sk_account_get_account_type (account);
  SkSecurity incoming_security = sk_account_get_incoming_security (account);
  SkAuthMethod incoming_auth = sk_account_get_incoming_auth_method (account);
  SkSecurity outgoing_security = sk_account_get_outgoing_security (account);
  SkAuthMethod outgoing_auth_method = sk_account_get_outgoing_auth_method (account);

  /* A missing key keeps the default the new account holds. */
  if (type_raw != NULL && !sk_account_type_from_string (type_raw, &type))
    return not_a_choice ("type", type_raw, "imap, pop3", error);
  if (incoming_security_raw != NULL
      && !sk_security_from_string (incoming_security_raw, &incoming_security))
    return not_a_choice ("incoming-security", incoming_security_raw, securities, error);
  if (incoming_auth_raw != NULL
      && !sk_auth_method_from_string (incoming_auth_raw, &incoming_auth))
    return not_a_choice ("incoming-auth", incoming_auth_raw, auth_methods, error);
  if (outgoing_security_raw != NULL
      && !sk_security_from_string (outgoing_security_raw, &outgoing_security))
    return not_a_choice ("outgoing-security", outgoing_security_raw, securities, error);
  if (outgoing_auth_method_raw != NULL
      && !sk_auth_method_from_string (outgoing_auth_method_raw, &outgoing_auth_method))
    return not_a_choice ("outgoing-auth-method", outgoing_auth_method_raw, auth_methods, error);

  sk_account_set_account_type (account, type);
  sk_account_set_incoming_security (account, incoming_security);
  sk_account_set_incoming_auth_method (account, incoming_auth);
  sk_account_set_outgoing_security (account, outgoing_security);
  sk_account_set_outgoing_auth_method (account, outgoing_auth_method);

  return TRUE;
}

static gboolean
read_numbers (GKeyFile    *key_file,
              const char  *group,
              SkAccount   *account,
              GError     **error)
{
  guint incoming_port;
  guint outgoing_port;
  guint timeout;

  if (!read_number (key_file, group, "incoming-port", 1, 65535,
                    sk_account_get_incoming_port (account), &incoming_port, error)
      || !read_number (key_file, group, "outgoing-port", 1, 65535,
                       sk_account_get_outgoing_port (account), &outgoing_port, error)
      || !read_number (key_file, group, "timeout", SK_MIN_TIMEOUT, SK_MAX_TIMEOUT,
                       sk_account_get_timeout (account), &timeout, error))
    return FALSE;

  sk_account_set_incoming_port (account, incoming_port);
  sk_account_set_outgoing_port (account, outgoing_port);
  sk_account_set_timeout (account, timeout);

  return TRUE;
}

static gboolean
read_fingerprints (GKeyFile    *key_file,
                   const char  *group,
                   SkAccount   *account,
                   GError     **error)
{
  static const char * const keys[] = {
    "incoming-pinned-certificate",
    "outgoing-pinned-certificate",
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *value = NULL;
      g_autofree char *upper = NULL;

      if (!read_string (key_file, group, keys[i], FALSE, &value, error))
        return FALSE;
      if (value == NULL)
        continue;

      if (!sk_fingerprint_is_valid (value))
        return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, keys[i],
                          /* Translators: keep "AB:CD:…" as it is. */
                          _("“%s” is not a SHA-256 fingerprint (32 pairs of hex digits, "
                            "AB:CD:…) nor empty"), value);

      /* The form the connection test writes and compares. */
      upper = g_ascii_strup (value, -1);
      g_object_set (account, keys[i], upper, NULL);
    }

  return TRUE;
}

/* "guide-steps=1;2;3": the steps ticked, in any order, each 1 to 5. */
static gboolean
read_guide_steps (GKeyFile    *key_file,
                  const char  *group,
                  SkAccount   *account,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) numbers = NULL;
  guint steps = 0;

  if (!g_key_file_has_key (key_file, group, "guide-steps", NULL))
    return TRUE;

  numbers = g_key_file_get_string_list (key_file, group, "guide-steps", NULL, &local_error);
  if (local_error != NULL)
    return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "guide-steps",
                      _("is not a list of step numbers (%s)"), local_error->message);

  for (guint i = 0; numbers[i] != NULL; i++)
    {
      guint64 step;

      if (!g_ascii_string_to_unsigned (numbers[i], 10, 1, SK_GUIDE_N_STEPS, &step, NULL))
        return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "guide-steps",
                          _("“%s” is not a step number from 1 to %d"),
                          numbers[i], SK_GUIDE_N_STEPS);

      steps |= 1u << (step - 1);
    }

  sk_account_set_guide_steps (account, steps);
  return TRUE;
}

/* "certificates=AB:…;CD:…;" and "default-certificate=AB:…", one of them;
 * upper case, as sk_certificate_get_sha256() gives them. */
static gboolean
read_certificates (GKeyFile    *key_file,
                   const char  *group,
                   SkAccount   *account,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) certificates = NULL;
  g_autofree char *default_certificate = NULL;

  if (g_key_file_has_key (key_file, group, "certificates", NULL))
    {
      certificates = g_key_file_get_string_list (key_file, group, "certificates",
                                                 NULL, &local_error);
      if (local_error != NULL)
        return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "certificates",
                          _("is not a list of fingerprints (%s)"), local_error->message);

      for (guint i = 0; certificates[i] != NULL; i++)
        {
          g_autofree char *upper = NULL;

          if (certificates[i][0] == '\0' || !sk_fingerprint_is_valid (certificates[i]))
            return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "certificates",
                              /* Translators: keep "AB:CD:…" as it is. */
                              _("“%s” is not a SHA-256 fingerprint (32 pairs of hex digits, "
                                "AB:CD:…)"), certificates[i]);

          upper = g_ascii_strup (certificates[i], -1);
          for (guint j = 0; j < i; j++)
            if (g_str_equal (certificates[j], upper))
              return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "certificates",
                                _("“%s” is in the list twice"), certificates[i]);

          g_free (certificates[i]);
          certificates[i] = g_steal_pointer (&upper);
        }
    }

  if (!read_string (key_file, group, "default-certificate", FALSE, &default_certificate, error))
    return FALSE;

  if (default_certificate != NULL && default_certificate[0] != '\0')
    {
      g_autofree char *upper = g_ascii_strup (default_certificate, -1);

      if (certificates == NULL || !g_strv_contains ((const char * const *) certificates, upper))
        return key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, "default-certificate",
                          _("“%s” is not one of the fingerprints in certificates"),
                          default_certificate);

      g_free (default_certificate);
      default_certificate = g_steal_pointer (&upper);
    }

  sk_account_set_certificates (account, (const char * const *) certificates);
  sk_account_set_default_certificate (account, default_certificate);

  return TRUE;
}

/* GKeyFile drops one CR before the LF that ends a line: a value read from
 * a line ending in CR CR LF keeps the other CR, which the next read would
 * drop.  Both belong to the line ending, so a kept value has none. */
static void
strip_trailing_cr (char *value)
{
  gsize length = strlen (value);

  while (length > 0 && value[length - 1] == '\r')
    value[--length] = '\0';
}

static void
keep_unknown_keys (GKeyFile   *key_file,
                   const char *group,
                   SkAccount  *account)
{
  GKeyFile *unknown = sk_account_get_unknown_keys (account);
  g_auto(GStrv) keys = g_key_file_get_keys (key_file, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = NULL;

      if (g_strv_contains (known_keys, keys[i]))
        continue;

      value = g_key_file_get_value (key_file, group, keys[i], NULL);
      strip_trailing_cr (value);
      g_key_file_set_value (unknown, SK_EXPORT_GROUP, keys[i], value);
    }
}

SkAccount *
sk_account_from_key_file (GKeyFile    *key_file,
                          const char  *group,
                          const char  *id,
                          GError     **error)
{
  g_autoptr(SkAccount) account = NULL;

  g_return_val_if_fail (key_file != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_key_file_has_group (key_file, group))
    {
      g_set_error (error, SK_KEYFILE_ERROR, SK_KEYFILE_ERROR_NO_ACCOUNT,
                   _("There is no [%s] section with an account in it."), group);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (password_keys); i++)
    {
      if (g_key_file_has_key (key_file, group, password_keys[i], NULL))
        {
          key_error (error, SK_KEYFILE_ERROR_INVALID_VALUE, password_keys[i],
                     _("passwords are not kept in files; remove this line "
                       "and enter the password in the program"));
          return NULL;
        }
    }

  account = sk_account_new_with_id (id);

  if (!read_strings (key_file, group, account, error)
      || !read_oauth2_provider (account, error)
      || !read_enums (key_file, group, account, error)
      || !read_numbers (key_file, group, account, error)
      || !read_bools (key_file, group, account, error)
      || !read_fingerprints (key_file, group, account, error)
      || !read_guide_steps (key_file, group, account, error)
      || !read_certificates (key_file, group, account, error)
      || !read_users (key_file, group, account, error))
    return NULL;

  keep_unknown_keys (key_file, group, account);

  return g_steal_pointer (&account);
}

char *
sk_account_export (SkAccount *account)
{
  g_autoptr(GKeyFile) key_file = NULL;

  g_return_val_if_fail (SK_IS_ACCOUNT (account), NULL);

  key_file = g_key_file_new ();
  sk_account_to_key_file (account, key_file, SK_EXPORT_GROUP);
  g_key_file_set_comment (key_file, NULL, NULL,
                          _(" An e-mail account exported from Skrzynka.\n"
                            " The password is not in this file: enter it in the program after importing."),
                          NULL);

  return g_key_file_to_data (key_file, NULL, NULL);
}

/* An exported account takes a few kilobytes.  Whatever a file holds
 * beyond the known keys is kept with the account and read again at every
 * start, so a far larger file is refused rather than carried along. */
#define MAX_IMPORT_SIZE (1024 * 1024)

/* GKeyFile ends a value at a NUL byte and silently drops the rest of the
 * line: "name=Kadry\0Płace" would come in as "Kadry".  Such a file is not
 * the text it claims to be, so it is refused whole. */
static GKeyFile *
load_import_file (const char  *path,
                  GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GMappedFile) mapped = NULL;
  const char *contents;
  gsize length;

  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    return NULL;

  contents = g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  if (length > MAX_IMPORT_SIZE)
    {
      g_autofree char *size = g_format_size (length);

      /* TRANSLATORS: %s is the file's size, "10.5 MB" */
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                   _("The file is %s, far more than an account’s settings take: it is not "
                     "an exported account."), size);
      return NULL;
    }
  if (length > 0 && memchr (contents, '\0', length) != NULL)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                           _("The file holds a NUL byte, which no text file has: it is not "
                             "an exported account."));
      return NULL;
    }

  if (!g_key_file_load_from_data (key_file, length > 0 ? contents : "", length,
                                  G_KEY_FILE_NONE, error))
    return NULL;

  return g_steal_pointer (&key_file);
}

SkAccount *
sk_account_import_file (const char          *path,
                        const char * const  *taken_names,
                        GError             **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(SkAccount) account = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key_file = load_import_file (path, error);
  if (key_file == NULL)
    return NULL;

  account = sk_account_from_key_file (key_file, SK_EXPORT_GROUP, NULL, error);
  if (account == NULL)
    return NULL;

  problems = sk_account_validate (account, taken_names);
  if (problems->len > 0)
    {
      SkProblem *first = g_ptr_array_index (problems, 0);

      g_set_error (error, SK_KEYFILE_ERROR, SK_KEYFILE_ERROR_INVALID_VALUE,
                   "%s: %s", sk_field_get_key (first->field), first->message);
      return NULL;
    }

  return g_steal_pointer (&account);
}
