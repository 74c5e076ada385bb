/* sk-oauth2.c — the pieces of the authorization-code flow with PKCE
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-SignIn"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "sk-oauth2.h"
#include "sk-secret.h"

G_DEFINE_QUARK (sk-oauth2-error-quark, sk_oauth2_error)

/* A token is renewed this long before it runs out (Thunderbird: 30 s), so
 * that it does not run out during a login. */
#define EXPIRY_MARGIN_US (60 * G_USEC_PER_SEC)

/* BASE64URL without padding (RFC 7636 appendix A). */
static char *
base64url (const guchar *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);

  for (char *c = text; *c != '\0'; c++)
    {
      if (*c == '+')
        *c = '-';
      else if (*c == '/')
        *c = '_';
      else if (*c == '=')
        {
          *c = '\0';
          break;
        }
    }

  return text;
}

static char *
random_base64url (gsize n_bytes)
{
  guchar bytes[32];

  g_assert (n_bytes <= sizeof bytes);
  if (RAND_bytes (bytes, n_bytes) != 1)
    g_error ("OpenSSL has no random bytes to give");

  return base64url (bytes, n_bytes);
}

char *
sk_oauth2_pkce_verifier_new (void)
{
  /* 32 bytes are 43 characters, the least RFC 7636 allows and the
   * entropy it recommends. */
  return random_base64url (32);
}

char *
sk_oauth2_pkce_challenge (const char *verifier)
{
  guchar digest[SHA256_DIGEST_LENGTH];

  g_return_val_if_fail (verifier != NULL, NULL);

  SHA256 ((const guchar *) verifier, strlen (verifier), digest);

  return base64url (digest, sizeof digest);
}

char *
sk_oauth2_state_new (void)
{
  return random_base64url (16);
}

static void
append_parameter (GString    *query,
                  const char *name,
                  const char *value)
{
  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append_uri_escaped (query, name, NULL, FALSE);
  g_string_append_c (query, '=');
  g_string_append_uri_escaped (query, value, NULL, FALSE);
}

char *
sk_oauth2_authorization_uri (const SkOAuth2Provider *provider,
                             const char             *redirect_uri,
                             const char             *state,
                             const char             *code_challenge,
                             const char             *login_hint)
{
  g_autoptr(GString) query = g_string_new (NULL);

  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (redirect_uri != NULL && state != NULL && code_challenge != NULL, NULL);

  append_parameter (query, "response_type", "code");
  append_parameter (query, "client_id", provider->client_id);
  append_parameter (query, "redirect_uri", redirect_uri);
  append_parameter (query, "scope", provider->scopes);
  append_parameter (query, "state", state);
  append_parameter (query, "code_challenge", code_challenge);
  append_parameter (query, "code_challenge_method", "S256");
  if (login_hint != NULL && *login_hint != '\0')
    append_parameter (query, "login_hint", login_hint);
  /* Already in query form, as the provider file has it. */
  if (provider->authorization_parameters != NULL && *provider->authorization_parameters != '\0')
    g_string_append_printf (query, "&%s", provider->authorization_parameters);

  return g_strconcat (provider->authorization_url,
                      strchr (provider->authorization_url, '?') != NULL ? "&" : "?",
                      query->str, NULL);
}

static void
append_client (GString                *body,
               const SkOAuth2Provider *provider)
{
  append_parameter (body, "client_id", provider->client_id);
  /* Google gives installed apps a "secret" that is not one (RFC 8252
   * §8.5), and still asks for it. */
  if (provider->client_secret != NULL && *provider->client_secret != '\0')
    append_parameter (body, "client_secret", provider->client_secret);
}

char *
sk_oauth2_code_request_body (const SkOAuth2Provider *provider,
                             const char             *code,
                             const char             *verifier,
                             const char             *redirect_uri)
{
  GString *body = g_string_new (NULL);

  g_return_val_if_fail (provider != NULL && code != NULL && verifier != NULL, NULL);

  append_parameter (body, "grant_type", "authorization_code");
  append_parameter (body, "code", code);
  append_parameter (body, "code_verifier", verifier);
  append_parameter (body, "redirect_uri", redirect_uri);
  append_client (body, provider);

  return g_string_free (body, FALSE);
}

char *
sk_oauth2_refresh_request_body (const SkOAuth2Provider *provider,
                                const char             *refresh_token)
{
  GString *body = g_string_new (NULL);

  g_return_val_if_fail (provider != NULL && refresh_token != NULL, NULL);

  append_parameter (body, "grant_type", "refresh_token");
  append_parameter (body, "refresh_token", refresh_token);
  /* Microsoft wants the scopes again; Google ignores them. */
  if (provider->scopes != NULL && *provider->scopes != '\0')
    append_parameter (body, "scope", provider->scopes);
  append_client (body, provider);

  return g_string_free (body, FALSE);
}

/* Reading answers */

void
sk_oauth2_tokens_free (SkOAuth2Tokens *tokens)
{
  if (tokens == NULL)
    return;

  sk_secret_free (tokens->access_token);
  sk_secret_free (tokens->refresh_token);
  g_free (tokens->scope);
  g_free (tokens);
}

gboolean
sk_oauth2_tokens_expired (const SkOAuth2Tokens *tokens)
{
  g_return_val_if_fail (tokens != NULL, TRUE);

  return tokens->access_token == NULL
         || (tokens->expires_at != 0 && g_get_real_time () + EXPIRY_MARGIN_US >= tokens->expires_at);
}

/* Microsoft puts the case in the description: "AADSTS65001: The user or
 * administrator has not consented to use the application…"; AADSTS90094
 * is the consent screen's "Need admin approval" (facts/oauth2.md). */
static gboolean
needs_admin (const char *description)
{
  static const char * const codes[] = { "AADSTS65001", "AADSTS90094", "AADSTS90095", NULL };

  for (guint i = 0; description != NULL && codes[i] != NULL; i++)
    if (strstr (description, codes[i]) != NULL)
      return TRUE;

  return FALSE;
}

static GError *
provider_error (const char *error_code,
                const char *description)
{
  g_autofree char *message = NULL;
  g_autofree char *valid = NULL;
  SkOAuth2Error code;

  if (needs_admin (description))
    code = SK_OAUTH2_ERROR_ADMIN_APPROVAL;
  else if (g_strcmp0 (error_code, "invalid_grant") == 0)
    code = SK_OAUTH2_ERROR_SIGN_IN_REQUIRED;
  else if (g_strcmp0 (error_code, "access_denied") == 0)
    code = SK_OAUTH2_ERROR_DENIED;
  else
    code = SK_OAUTH2_ERROR_PROVIDER;

  /* The provider's own words, for IT support; they came through the
   * browser's address, and are shown and written as JSON. */
  if (description != NULL && *description != '\0')
    message = g_strdup_printf ("%s: %s", error_code, description);
  else
    message = g_strdup (error_code);
  valid = g_utf8_make_valid (message, -1);

  return g_error_new_literal (SK_OAUTH2_ERROR, code, valid);
}

GError *
sk_oauth2_error_from_redirect (const char *error_code,
                               const char *description)
{
  g_return_val_if_fail (error_code != NULL, NULL);

  return provider_error (error_code, description);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
parse_object (GBytes  *body,
              GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  JsonNode *root;

  if (data == NULL || !json_parser_load_from_data (parser, data, size, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || JSON_NODE_TYPE (root) != JSON_NODE_OBJECT)
    {
      g_set_error_literal (error, SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_INVALID_RESPONSE,
                           _("The provider's answer could not be read."));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

SkOAuth2Tokens *
sk_oauth2_tokens_parse (guint     status,
                        GBytes   *body,
                        GError  **error)
{
  g_autoptr(JsonObject) object = parse_object (body, error);
  g_autoptr(SkOAuth2Tokens) tokens = NULL;
  const char *access_token;
  const char *refresh_token;
  JsonNode *expires_in;

  if (object == NULL)
    return NULL;

  /* RFC 6749 §5.2: an error is an object with "error", mostly with 400. */
  if (member_string (object, "error") != NULL)
    {
      g_propagate_error (error, provider_error (member_string (object, "error"),
                                                member_string (object, "error_description")));
      return NULL;
    }

  access_token = member_string (object, "access_token");
  if (status != 200 || access_token == NULL || *access_token == '\0'
      || g_ascii_strcasecmp (member_string (object, "token_type") ?: "bearer", "bearer") != 0)
    {
      g_set_error_literal (error, SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_INVALID_RESPONSE,
                           _("The provider's answer could not be read."));
      return NULL;
    }

  tokens = g_new0 (SkOAuth2Tokens, 1);
  tokens->access_token = g_strdup (access_token);
  refresh_token = member_string (object, "refresh_token");
  if (refresh_token != NULL && *refresh_token != '\0')
    tokens->refresh_token = g_strdup (refresh_token);
  tokens->scope = g_strdup (member_string (object, "scope"));

  /* A number, or (some servers) a string holding one. */
  expires_in = json_object_get_member (object, "expires_in");
  if (expires_in != NULL && JSON_NODE_TYPE (expires_in) == JSON_NODE_VALUE)
    {
      gint64 seconds = 0;

      if (json_node_get_value_type (expires_in) == G_TYPE_INT64)
        seconds = json_node_get_int (expires_in);
      else if (json_node_get_value_type (expires_in) == G_TYPE_STRING)
        g_ascii_string_to_signed (json_node_get_string (expires_in), 10, 1,
                                  G_MAXINT32, &seconds, NULL);
      if (seconds > 0 && seconds <= G_MAXINT32)
        tokens->expires_at = g_get_real_time () + seconds * G_USEC_PER_SEC;
    }

  return g_steal_pointer (&tokens);
}

/* Servers */

char *
sk_oauth2_xoauth2_response (const char *user,
                            const char *access_token)
{
  g_return_val_if_fail (user != NULL && access_token != NULL, NULL);

  return g_strdup_printf ("user=%s\1auth=Bearer %s\1\1", user, access_token);
}

char *
sk_oauth2_refusal_status (const char *reply)
{
  g_autoptr(GBytes) json = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  const char *status;
  gsize length = 0;

  if (reply == NULL)
    return NULL;

  if (g_str_has_prefix (reply, "+ "))
    text = g_strdup (reply + 2);
  else if (g_str_has_prefix (reply, "334 "))
    text = g_strdup (reply + 4);
  else
    return NULL;

  g_strstrip (text);
  if (*text == '\0' || strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != strlen (text))
    return NULL;

  decoded = g_base64_decode (text, &length);
  json = g_bytes_new (decoded, length);
  object = parse_object (json, NULL);
  if (object == NULL)
    return NULL;

  status = member_string (object, "status");

  return g_strdup (status);
}
