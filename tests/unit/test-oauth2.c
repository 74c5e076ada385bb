/* test-oauth2.c — the pieces of signing in with the provider: PKCE, state,
 * the authorization address, token answers, provider files, the loopback
 * listener the browser comes back to, XOAUTH2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/sk-oauth2.h"
#include "core/sk-oauth2-provider.h"
#include "core/sk-oauth2-redirect.h"

/* PKCE */

static void
test_pkce_rfc7636_vector (void)
{
  /* RFC 7636, appendix B. */
  g_autofree char *challenge = sk_oauth2_pkce_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_pkce_verifier (void)
{
  g_autofree char *a = sk_oauth2_pkce_verifier_new ();
  g_autofree char *b = sk_oauth2_pkce_verifier_new ();

  /* RFC 7636 §4.1: 43 to 128 characters of the unreserved set. */
  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_cmpuint (strspn (a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"),
                    ==, strlen (a));
  g_assert_cmpstr (a, !=, b);
}

static void
test_state (void)
{
  g_autofree char *a = sk_oauth2_state_new ();
  g_autofree char *b = sk_oauth2_state_new ();

  g_assert_cmpuint (strlen (a), >=, 22);
  g_assert_cmpstr (a, !=, b);
}

/* Providers */

static SkOAuth2Provider *
test_provider (void)
{
  SkOAuth2Provider *provider = g_new0 (SkOAuth2Provider, 1);

  provider->id = g_strdup ("test");
  provider->name = g_strdup ("Test");
  provider->client_id = g_strdup ("client 1");
  provider->client_secret = g_strdup ("");
  provider->authorization_url = g_strdup ("https://login.example/authorize?tenant=x");
  provider->token_url = g_strdup ("https://login.example/token");
  provider->scopes = g_strdup ("offline_access https://mail.example/IMAP");
  provider->authorization_parameters = g_strdup ("access_type=offline");
  provider->hosts = g_strsplit ("imap.example", ";", -1);

  return provider;
}

static void
test_authorization_uri (void)
{
  g_autoptr(SkOAuth2Provider) provider = test_provider ();
  g_autofree char *uri = sk_oauth2_authorization_uri (provider, "http://127.0.0.1:5000/",
                                                      "st&ate", "chal", "anna@kancelaria.pl");
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (parsed);
  g_assert_cmpstr (g_uri_get_host (parsed), ==, "login.example");
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_cmpstr (g_hash_table_lookup (params, "tenant"), ==, "x");
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, "client 1");
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==, "http://127.0.0.1:5000/");
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==, "offline_access https://mail.example/IMAP");
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "st&ate");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==, "chal");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (params, "login_hint"), ==, "anna@kancelaria.pl");
  g_assert_cmpstr (g_hash_table_lookup (params, "access_type"), ==, "offline");
}

static void
test_request_bodies (void)
{
  g_autoptr(SkOAuth2Provider) provider = test_provider ();
  g_autofree char *code = sk_oauth2_code_request_body (provider, "c/1", "v", "http://127.0.0.1:1/");
  g_autofree char *refresh = NULL;
  g_autoptr(GHashTable) params = g_uri_parse_params (code, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);

  g_assert_cmpstr (g_hash_table_lookup (params, "grant_type"), ==, "authorization_code");
  g_assert_cmpstr (g_hash_table_lookup (params, "code"), ==, "c/1");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_verifier"), ==, "v");
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, "client 1");
  g_assert_false (g_hash_table_contains (params, "client_secret"));

  g_free (provider->client_secret);
  provider->client_secret = g_strdup ("s3cret");
  refresh = sk_oauth2_refresh_request_body (provider, "r+1");
  g_clear_pointer (&params, g_hash_table_unref);
  params = g_uri_parse_params (refresh, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_assert_cmpstr (g_hash_table_lookup (params, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (params, "refresh_token"), ==, "r+1");
  g_assert_cmpstr (g_hash_table_lookup (params, "client_secret"), ==, "s3cret");
}

static void
write_provider_file (const char *folder,
                     const char *id,
                     const char *contents)
{
  g_autofree char *dir = g_build_filename (folder, "skrzynka", "oauth2", NULL);
  g_autofree char *name = g_strconcat (id, ".conf", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
test_providers_built_in (void)
{
  g_autoptr(SkOAuth2Provider) google = sk_oauth2_provider_find ("google");
  g_autoptr(SkOAuth2Provider) microsoft = sk_oauth2_provider_find ("microsoft");
  g_autoptr(SkOAuth2Provider) by_host = sk_oauth2_provider_find_for_host ("SMTP.Office365.com");

  g_assert_nonnull (google);
  g_assert_cmpstr (google->name, ==, "Google");
  g_assert_cmpstr (google->scopes, ==, "https://mail.google.com/");
  g_assert_true (g_str_has_prefix (google->token_url, "https://"));
  g_assert_nonnull (microsoft);
  g_assert_nonnull (strstr (microsoft->scopes, "offline_access"));
  g_assert_nonnull (strstr (microsoft->scopes, "https://outlook.office.com/SMTP.Send"));
  g_assert_nonnull (by_host);
  g_assert_cmpstr (by_host->id, ==, "microsoft");
  g_assert_null (sk_oauth2_provider_find ("no-such-provider"));
  g_assert_null (sk_oauth2_provider_find ("../etc"));

  /* This build has no client ID (meson's default): the sentence says so
   * and where IT support puts one. */
  if (*SK_MICROSOFT_CLIENT_ID == '\0')
    {
      g_assert_nonnull (microsoft->problem);
      g_assert_nonnull (strstr (microsoft->problem, "client-id="));
      g_assert_nonnull (strstr (microsoft->problem, "microsoft.conf"));
    }
}

static void
test_providers_overridden (void)
{
  g_autoptr(SkOAuth2Provider) microsoft = NULL;
  g_autoptr(SkOAuth2Provider) google = NULL;
  g_autoptr(SkOAuth2Provider) firma = NULL;
  g_autoptr(GPtrArray) all = NULL;
  const char * const *system = g_get_system_config_dirs ();

  /* The system folder sets a tenant and a client, the user's folder only
   * another client: both apply, the user's last. */
  write_provider_file (system[0], "microsoft",
                       "[OAuth2]\nclient-id=from-system\n"
                       "authorization-url=https://login.microsoftonline.com/firma.pl/oauth2/v2.0/authorize\n");
  write_provider_file (g_get_user_config_dir (), "microsoft", "[OAuth2]\nclient-id=from-user\n");
  microsoft = sk_oauth2_provider_find ("microsoft");
  g_assert_cmpstr (microsoft->client_id, ==, "from-user");
  g_assert_cmpstr (microsoft->authorization_url, ==,
                   "https://login.microsoftonline.com/firma.pl/oauth2/v2.0/authorize");
  g_assert_cmpstr (microsoft->token_url, ==,
                   "https://login.microsoftonline.com/common/oauth2/v2.0/token");
  g_assert_null (microsoft->problem);

  /* Endpoints must be https. */
  write_provider_file (g_get_user_config_dir (), "google",
                       "[OAuth2]\nclient-id=x\ntoken-url=http://oauth2.googleapis.com/token\n");
  google = sk_oauth2_provider_find ("google");
  g_assert_nonnull (google->problem);
  g_assert_nonnull (strstr (google->problem, "token-url"));

  /* IT's own provider. */
  write_provider_file (system[0], "firma",
                       "[OAuth2]\nname=Firma SSO\nclient-id=abc\n"
                       "authorization-url=https://sso.firma.pl/authorize\n"
                       "token-url=https://sso.firma.pl/token\nscopes=mail\n"
                       "hosts=Poczta.Firma.pl; smtp.firma.pl\n");
  firma = sk_oauth2_provider_find_for_host ("poczta.firma.pl");
  g_assert_nonnull (firma);
  g_assert_cmpstr (firma->id, ==, "firma");
  g_assert_cmpstr (firma->name, ==, "Firma SSO");
  g_assert_cmpstr (firma->hosts[1], ==, "smtp.firma.pl");
  g_assert_null (firma->problem);

  all = sk_oauth2_provider_list ();
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (((SkOAuth2Provider *) g_ptr_array_index (all, 0))->id, ==, "google");
  g_assert_cmpstr (((SkOAuth2Provider *) g_ptr_array_index (all, 2))->id, ==, "firma");
}

/* Token answers */

static SkOAuth2Tokens *
parse (guint        status,
       const char  *json,
       GError     **error)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  return sk_oauth2_tokens_parse (status, body, error);
}

static void
test_tokens_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOAuth2Tokens) tokens =
    parse (200, "{\"access_token\":\"ya29.a0\",\"expires_in\":3599,\"refresh_token\":\"1//0g\","
                "\"scope\":\"https://mail.google.com/\",\"token_type\":\"Bearer\"}", &error);
  g_autoptr(SkOAuth2Tokens) string_expiry =
    parse (200, "{\"access_token\":\"t\",\"expires_in\":\"3600\",\"token_type\":\"bearer\"}", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "ya29.a0");
  g_assert_cmpstr (tokens->refresh_token, ==, "1//0g");
  g_assert_cmpstr (tokens->scope, ==, "https://mail.google.com/");
  g_assert_cmpint (tokens->expires_at, >, g_get_real_time () + (gint64) 3500 * G_USEC_PER_SEC);
  g_assert_false (sk_oauth2_tokens_expired (tokens));

  g_assert_nonnull (string_expiry);
  g_assert_null (string_expiry->refresh_token);
  g_assert_cmpint (string_expiry->expires_at, >, g_get_real_time ());

  tokens->expires_at = g_get_real_time () + 10 * G_USEC_PER_SEC;
  g_assert_true (sk_oauth2_tokens_expired (tokens));
}

static void
test_tokens_errors (void)
{
  static const struct
  {
    guint       status;
    const char *json;
    int         code;
    const char *words;
  } cases[] = {
    /* Google, a revoked or expired refresh token (facts/oauth2.md). */
    { 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}",
      SK_OAUTH2_ERROR_SIGN_IN_REQUIRED, "Token has been expired or revoked." },
    /* Microsoft: consent the organisation must give. */
    { 400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS65001: The user or administrator "
           "has not consented to use the application with ID '1' named 'Skrzynka'.\",\"error_codes\":[65001]}",
      SK_OAUTH2_ERROR_ADMIN_APPROVAL, "AADSTS65001" },
    { 400, "{\"error\":\"access_denied\",\"error_description\":\"AADSTS90094: Admin consent is required.\"}",
      SK_OAUTH2_ERROR_ADMIN_APPROVAL, "AADSTS90094" },
    { 401, "{\"error\":\"invalid_client\"}", SK_OAUTH2_ERROR_PROVIDER, "invalid_client" },
    { 200, "{\"token_type\":\"Bearer\"}", SK_OAUTH2_ERROR_INVALID_RESPONSE, NULL },
    { 200, "{\"access_token\":\"t\",\"token_type\":\"MAC\"}", SK_OAUTH2_ERROR_INVALID_RESPONSE, NULL },
    { 200, "{\"access_token\":42}", SK_OAUTH2_ERROR_INVALID_RESPONSE, NULL },
    { 500, "<html>Internal Server Error</html>", SK_OAUTH2_ERROR_INVALID_RESPONSE, NULL },
    { 200, "[\"access_token\"]", SK_OAUTH2_ERROR_INVALID_RESPONSE, NULL },
    { 200, "", SK_OAUTH2_ERROR_INVALID_RESPONSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SkOAuth2Tokens) tokens = parse (cases[i].status, cases[i].json, &error);

      g_assert_null (tokens);
      g_assert_error (error, SK_OAUTH2_ERROR, cases[i].code);
      if (cases[i].words != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].words));
    }
}

/* Servers */

static void
test_xoauth2 (void)
{
  g_autofree char *response = sk_oauth2_xoauth2_response ("anna@kancelaria.pl", "tok");

  g_assert_cmpmem (response, strlen (response) + 1,
                   "user=anna@kancelaria.pl\001auth=Bearer tok\001\001", 42);
}

static void
test_refusal_status (void)
{
  /* Dovecot's and Gmail's refusal of a token (facts/oauth2.md). */
  static const char json[] = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}";
  g_autofree char *encoded = g_base64_encode ((const guchar *) json, strlen (json));
  g_autofree char *imap = g_strconcat ("+ ", encoded, NULL);
  g_autofree char *smtp = g_strconcat ("334 ", encoded, NULL);
  g_autofree char *a = sk_oauth2_refusal_status (imap);
  g_autofree char *b = sk_oauth2_refusal_status (smtp);
  g_autofree char *c = sk_oauth2_refusal_status ("+ Ready for additional command text");
  g_autofree char *d = sk_oauth2_refusal_status ("A1 NO [AUTHENTICATIONFAILED] Invalid credentials");
  g_autofree char *e = sk_oauth2_refusal_status ("334 ");

  g_assert_cmpstr (a, ==, "401");
  g_assert_cmpstr (b, ==, "401");
  g_assert_null (c);
  g_assert_null (d);
  g_assert_null (e);
}

/* The listener the browser comes back to */

typedef struct
{
  SkOAuth2Redirect *redirect;
  GMainLoop        *loop;
  char             *code;
  GError           *error;
  gboolean          done;
} Wait;

static void
waited (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *wait = user_data;

  wait->code = sk_oauth2_redirect_wait_finish (SK_OAUTH2_REDIRECT (source), result, &wait->error);
  wait->done = TRUE;
}

typedef struct
{
  char   *uri;
  char   *request;
  char   *response;
  GError *error;
} Request;

/* A browser, on a thread of its own: the listener runs on the main loop. */
static gpointer
send_request (gpointer data)
{
  Request *request = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GUri) uri = g_uri_parse (request->uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) response = g_string_new (NULL);
  char buffer[1024];
  gssize n;

  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                g_uri_get_port (uri), NULL, &request->error);
  if (connection == NULL)
    {
      g_main_context_wakeup (NULL);
      return NULL;
    }

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request->request, strlen (request->request), NULL, NULL,
                             &request->error);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (response, buffer, n);
  g_atomic_pointer_set (&request->response, g_string_free (g_steal_pointer (&response), FALSE));
  /* The main loop may be asleep with nothing else to do. */
  g_main_context_wakeup (NULL);

  return NULL;
}

/* Sends "GET target" to the listener and runs the main loop until the
 * answer is in. */
static char *
browse (Wait        *wait,
        const char  *target,
        GError     **error)
{
  Request request = { 0 };
  GThread *thread;

  request.uri = g_strdup (sk_oauth2_redirect_get_uri (wait->redirect));
  request.request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "User-Agent: test\r\n\r\n", target);
  thread = g_thread_new ("browser", send_request, &request);
  while (g_atomic_pointer_get (&request.response) == NULL
         && g_atomic_pointer_get (&request.error) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  g_free (request.uri);
  g_free (request.request);
  if (request.error != NULL)
    g_propagate_error (error, request.error);

  return request.response;
}

static Wait *
wait_new (guint         timeout,
          GCancellable *cancellable)
{
  Wait *wait = g_new0 (Wait, 1);
  g_autoptr(GError) error = NULL;

  wait->redirect = sk_oauth2_redirect_new ("the-state", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (sk_oauth2_redirect_get_uri (wait->redirect), "http://127.0.0.1:"));
  sk_oauth2_redirect_wait_async (wait->redirect, timeout, cancellable, waited, wait);

  return wait;
}

static void
wait_free (Wait *wait)
{
  /* The cancelled accept still holds the listener until it returns. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (wait->redirect);
  g_free (wait->code);
  g_clear_error (&wait->error);
  g_free (wait);
}

static void
test_redirect_code (void)
{
  Wait *wait = wait_new (60, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *response = browse (wait, "/?state=the-state&code=4%2F0Ab&scope=mail", &error);
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 200 OK\r\n"));
  g_assert_nonnull (strstr (response, "go back to Skrzynka"));
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait->error);
  g_assert_cmpstr (wait->code, ==, "4/0Ab");

  /* The listener is gone: a second request finds nobody. */
  again = browse (wait, "/?state=the-state&code=other", &error);
  g_assert_null (again);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  wait_free (wait);
}

static void
test_redirect_ignores_strangers (void)
{
  static const char * const strangers[] = {
    "/?state=other-state&code=x",   /* another sign-in, or an attacker's */
    "/?code=x",                     /* no state */
    "/?state=the-state",            /* neither code nor error */
    "/?state=the-state&code=",
  };
  Wait *wait = wait_new (60, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *favicon = browse (wait, "/favicon.ico", &error);
  g_autofree char *good = NULL;

  g_assert_true (g_str_has_prefix (favicon, "HTTP/1.1 404 "));
  for (guint i = 0; i < G_N_ELEMENTS (strangers); i++)
    {
      g_autofree char *response = browse (wait, strangers[i], &error);

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (response, "HTTP/1.1 400 "));
      g_assert_false (wait->done);
    }

  good = browse (wait, "/?code=right&state=the-state", &error);
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (wait->code, ==, "right");

  wait_free (wait);
}

static void
test_redirect_denied (void)
{
  Wait *wait = wait_new (60, NULL);
  g_autofree char *response =
    browse (wait, "/?error=access_denied&error_description=The+user+declined.&state=the-state", NULL);

  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 200 OK\r\n"));
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (wait->code);
  g_assert_error (wait->error, SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_DENIED);
  /* The query is form-encoded: "+" is a space, as browsers send it. */
  g_assert_nonnull (strstr (wait->error->message, "The user declined."));

  wait_free (wait);
}

static void
test_redirect_timeout_and_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait *timed = wait_new (1, NULL);
  Wait *cancelled = wait_new (60, cancellable);

  while (!timed->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (timed->error, SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_TIMED_OUT);

  g_cancellable_cancel (cancellable);
  while (!cancelled->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (cancelled->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  wait_free (timed);
  wait_free (cancelled);
}

static void
test_redirect_page_in_polish (void)
{
  g_autofree char *localedir = g_strdup (g_getenv ("SKRZYNKA_LOCALEDIR"));
  Wait *wait;
  g_autofree char *response = NULL;

  if (localedir == NULL)
    {
      g_test_skip ("SKRZYNKA_LOCALEDIR is not set");
      return;
    }

  g_setenv ("LANGUAGE", "pl", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  wait = wait_new (60, NULL);
  response = browse (wait, "/?state=the-state&code=c", NULL);
  g_assert_nonnull (strstr (response, "<html lang=\"pl\">"));
  g_assert_nonnull (strstr (response, "Skrzynki"));
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C");
  wait_free (wait);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sk/oauth2/pkce/rfc7636-vector", test_pkce_rfc7636_vector);
  g_test_add_func ("/sk/oauth2/pkce/verifier", test_pkce_verifier);
  g_test_add_func ("/sk/oauth2/state", test_state);
  g_test_add_func ("/sk/oauth2/authorization-uri", test_authorization_uri);
  g_test_add_func ("/sk/oauth2/request-bodies", test_request_bodies);
  g_test_add_func ("/sk/oauth2/providers/built-in", test_providers_built_in);
  g_test_add_func ("/sk/oauth2/providers/overridden", test_providers_overridden);
  g_test_add_func ("/sk/oauth2/tokens/good", test_tokens_good);
  g_test_add_func ("/sk/oauth2/tokens/errors", test_tokens_errors);
  g_test_add_func ("/sk/oauth2/xoauth2", test_xoauth2);
  g_test_add_func ("/sk/oauth2/refusal-status", test_refusal_status);
  g_test_add_func ("/sk/oauth2/redirect/code", test_redirect_code);
  g_test_add_func ("/sk/oauth2/redirect/ignores-strangers", test_redirect_ignores_strangers);
  g_test_add_func ("/sk/oauth2/redirect/denied", test_redirect_denied);
  g_test_add_func ("/sk/oauth2/redirect/timeout-and-cancel", test_redirect_timeout_and_cancel);
  g_test_add_func ("/sk/oauth2/redirect/page-in-polish", test_redirect_page_in_polish);

  return g_test_run ();
}
