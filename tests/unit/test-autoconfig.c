/* test-autoconfig.c — reading config-v1.1.xml files shaped like the ones
 * providers and the ISP database publish (tests/unit/autoconfig/)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "core/sk-autoconfig.h"

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "unit", "autoconfig", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static SkAutoconfig *
parse_fixture (const char        *name,
               const char        *address,
               SkOAuth2HostFunc   oauth2_known,
               GError           **error)
{
  g_autoptr(GBytes) bytes = read_fixture (name);

  return sk_autoconfig_parse (bytes, address, oauth2_known, NULL, error);
}

static void
assert_server (GPtrArray  *servers,
               guint       index,
               SkProtocol  protocol,
               const char *host,
               guint       port,
               SkSecurity  security,
               SkLogin     login,
               const char *username)
{
  const SkFoundServer *found;

  g_assert_cmpuint (index, <, servers->len);
  found = g_ptr_array_index (servers, index);
  g_assert_cmpint (found->server->protocol, ==, protocol);
  g_assert_cmpstr (found->server->host, ==, host);
  g_assert_cmpuint (found->server->port, ==, port);
  g_assert_cmpint (found->server->security, ==, security);
  g_assert_cmpint (found->login, ==, login);
  g_assert_cmpstr (found->server->username, ==, username);
  g_assert_null (found->server->password);
}

static gboolean
knows_google (const char *host,
              gpointer    user_data)
{
  return g_str_has_suffix (host, ".gmail.com");
}

static gboolean
knows_microsoft (const char *host,
                 gpointer    user_data)
{
  return g_str_equal (host, "outlook.office365.com") || g_str_equal (host, "smtp.office365.com");
}

/* Every usable server in document order; the exchange block and the
 * GSSAPI method are skipped, the relay without login is kept. */
static void
test_multi (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = parse_fixture ("multi.xml", "jan.kowalski@firma.pl",
                                                  NULL, &error);
  const SkFoundServer *found;

  g_assert_no_error (error);
  g_assert_cmpstr (config->provider_id, ==, "firma.pl");
  g_assert_cmpstr (config->display_name, ==, "Firma Poczta");

  g_assert_cmpuint (config->incoming->len, ==, 3);
  assert_server (config->incoming, 0, SK_PROTOCOL_IMAP, "imap.firma.pl", 993, SK_SECURITY_SSL,
                 SK_LOGIN_PASSWORD, "jan.kowalski@firma.pl");
  assert_server (config->incoming, 1, SK_PROTOCOL_IMAP, "imap.firma.pl", 143,
                 SK_SECURITY_STARTTLS, SK_LOGIN_PASSWORD, "jan.kowalski@firma.pl");
  assert_server (config->incoming, 2, SK_PROTOCOL_POP3, "pop3.firma.pl", 995, SK_SECURITY_SSL,
                 SK_LOGIN_PASSWORD, "jan.kowalski");

  found = g_ptr_array_index (config->incoming, 0);
  g_assert_cmpint (found->server->auth_method, ==, SK_AUTH_METHOD_AUTO);
  found = g_ptr_array_index (config->incoming, 1);
  g_assert_cmpint (found->server->auth_method, ==, SK_AUTH_METHOD_CRAM_MD5);

  g_assert_cmpuint (config->outgoing->len, ==, 3);
  assert_server (config->outgoing, 0, SK_PROTOCOL_SMTP, "smtp.firma.pl", 465, SK_SECURITY_SSL,
                 SK_LOGIN_PASSWORD, "jan.kowalski@firma.pl");
  assert_server (config->outgoing, 1, SK_PROTOCOL_SMTP, "smtp.firma.pl", 587,
                 SK_SECURITY_STARTTLS, SK_LOGIN_PASSWORD, "jan.kowalski@firma.pl");
  assert_server (config->outgoing, 2, SK_PROTOCOL_SMTP, "relay.firma.pl", 25,
                 SK_SECURITY_STARTTLS, SK_LOGIN_NONE, NULL);
  found = g_ptr_array_index (config->outgoing, 1);
  g_assert_cmpint (found->server->auth_method, ==, SK_AUTH_METHOD_CRAM_MD5);

  g_assert_cmpuint (config->notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (config->notes, 0), ==,
                   "Ustawienia programów pocztowych https://pomoc.firma.pl/poczta/programy");
}

/* Without a known sign-in provider there is nothing to log in with. */
static void
test_oauth2_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = parse_fixture ("oauth2-only.xml", "anna@firma.onmicrosoft.com",
                                                  NULL, &error);

  g_assert_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_NO_SERVER);
  g_assert_null (config);
}

static void
test_oauth2_known (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = parse_fixture ("oauth2-only.xml", "anna@firma.pl",
                                                  knows_microsoft, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (config->display_name, ==, "Microsoft 365");
  g_assert_cmpuint (config->incoming->len, ==, 2);
  assert_server (config->incoming, 0, SK_PROTOCOL_IMAP, "outlook.office365.com", 993,
                 SK_SECURITY_SSL, SK_LOGIN_OAUTH2, "anna@firma.pl");
  assert_server (config->incoming, 1, SK_PROTOCOL_POP3, "outlook.office365.com", 995,
                 SK_SECURITY_SSL, SK_LOGIN_OAUTH2, "anna@firma.pl");
  g_assert_cmpuint (config->outgoing->len, ==, 1);
  assert_server (config->outgoing, 0, SK_PROTOCOL_SMTP, "smtp.office365.com", 587,
                 SK_SECURITY_STARTTLS, SK_LOGIN_OAUTH2, "anna@firma.pl");
  g_assert_cmpstr (g_ptr_array_index (config->notes, 0), ==,
                   "Settings for Outlook.com and Microsoft 365 "
                   "https://support.microsoft.com/en-us/office/"
                   "pop-imap-and-smtp-settings-8361e398-8af4-4e97-b147-6c6c4ac95353");
}

/* OAuth2 comes first in Google's file: kept when Google's sign-in is known,
 * else the password method after it. */
static void
test_oauth2_first (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) with = parse_fixture ("notes.xml", "biuro@gmail.com",
                                                knows_google, &error);
  g_autoptr(SkAutoconfig) without = NULL;

  g_assert_no_error (error);
  assert_server (with->incoming, 0, SK_PROTOCOL_IMAP, "imap.gmail.com", 993, SK_SECURITY_SSL,
                 SK_LOGIN_OAUTH2, "biuro@gmail.com");
  assert_server (with->outgoing, 0, SK_PROTOCOL_SMTP, "smtp.gmail.com", 465, SK_SECURITY_SSL,
                 SK_LOGIN_OAUTH2, "biuro@gmail.com");

  without = parse_fixture ("notes.xml", "biuro@gmail.com", NULL, &error);
  g_assert_no_error (error);
  assert_server (without->incoming, 0, SK_PROTOCOL_IMAP, "imap.gmail.com", 993, SK_SECURITY_SSL,
                 SK_LOGIN_PASSWORD, "biuro@gmail.com");
  assert_server (without->outgoing, 0, SK_PROTOCOL_SMTP, "smtp.gmail.com", 465, SK_SECURITY_SSL,
                 SK_LOGIN_PASSWORD, "biuro@gmail.com");
}

static void
test_plain_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = parse_fixture ("plain-only.xml", "sklep@stary-hosting.pl",
                                                  NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (config->incoming->len, ==, 1);
  assert_server (config->incoming, 0, SK_PROTOCOL_POP3, "mail.stary-hosting.pl", 110,
                 SK_SECURITY_NONE, SK_LOGIN_PASSWORD, "sklep@stary-hosting.pl");
  g_assert_cmpuint (config->outgoing->len, ==, 1);
  assert_server (config->outgoing, 0, SK_PROTOCOL_SMTP, "mail.stary-hosting.pl", 25,
                 SK_SECURITY_NONE, SK_LOGIN_NONE, NULL);
  g_assert_cmpuint (config->notes->len, ==, 0);
}

/* Replaced as substrings anywhere, as Thunderbird does; surrounding
 * white space goes. */
static void
test_placeholders (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = parse_fixture ("placeholders.xml", "Ewa.Nowak@Example.PL",
                                                  NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (config->provider_id, ==, "example.pl");
  g_assert_cmpstr (config->display_name, ==, "Poczta example.pl");
  assert_server (config->incoming, 0, SK_PROTOCOL_IMAP, "imap.example.pl", 993, SK_SECURITY_SSL,
                 SK_LOGIN_PASSWORD, "Ewa.Nowak.example.pl");
  /* A placeholder this reader does not know: the address stands in. */
  assert_server (config->incoming, 1, SK_PROTOCOL_POP3, "pop3.example.pl", 995, SK_SECURITY_SSL,
                 SK_LOGIN_PASSWORD, "Ewa.Nowak@Example.PL");
  assert_server (config->outgoing, 0, SK_PROTOCOL_SMTP, "smtp.example.pl", 465, SK_SECURITY_SSL,
                 SK_LOGIN_PASSWORD, "box+Ewa.Nowak@example.pl");
  g_assert_cmpuint (config->notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (config->notes, 0), ==,
                   "Help for Ewa.Nowak@Example.PL https://example.pl/help?user=Ewa.Nowak");
}

/* Polish first, then English, then the first one given; a page only over
 * https. */
static void
test_notes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = parse_fixture ("notes.xml", "biuro@gmail.com", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (config->notes->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (config->notes, 0), ==,
                   "Zaznacz 1.) „Włącz IMAP” i 2.) „Automatyczne usuwanie wyłączone” "
                   "https://mail.google.com/mail/?ui=2&shva=1#settings/fwdandpop");
  g_assert_cmpstr (g_ptr_array_index (config->notes, 1), ==,
                   "How to enable IMAP/POP3 in GMail https://support.google.com/mail/answer/7126229");
  g_assert_cmpstr (g_ptr_array_index (config->notes, 2), ==,
                   "Nur auf Deutsch https://support.google.com/mail/answer/78892");
  g_assert_cmpstr (g_ptr_array_index (config->notes, 3), ==, "An insecure page");
}

static void
assert_refused (const char *name,
                gint        code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = parse_fixture (name, "jan@firma.pl", NULL, &error);

  g_assert_error (error, SK_AUTOCONFIG_ERROR, code);
  g_assert_null (config);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_bad_xml (void)
{
  assert_refused ("bad.xml", SK_AUTOCONFIG_ERROR_MALFORMED);
}

/* An empty answer (found by the fuzz target): a GBytes of no bytes may
 * have no data pointer at all. */
static void
test_empty (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new (NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = sk_autoconfig_parse (bytes, "jan@firma.pl", NULL, NULL, &error);

  g_assert_null (config);
  g_assert_nonnull (error);
  g_assert_true (error->domain == SK_AUTOCONFIG_ERROR);
}

/* A file that is not UTF-8 where it breaks: the reason quotes it, and is
 * shown and written as JSON all the same (found by the fuzz target). */
static void
test_reason_is_text (void)
{
  static const char data[] = "<?xml version=\"1.0\"?>\n<clientConfig version=\"1.1\">\xff\xfe<\xc3";
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = sk_autoconfig_parse (bytes, "jan@firma.pl", NULL, NULL, &error);

  g_assert_null (config);
  g_assert_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_MALFORMED);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* What a web server sends for a page that is not there. */
static void
test_html (void)
{
  assert_refused ("html.xml", SK_AUTOCONFIG_ERROR_MALFORMED);
}

static void
test_junk (void)
{
  assert_refused ("junk.xml", SK_AUTOCONFIG_ERROR_NO_SERVER);
}

/* GMarkup ends a text at a NUL and goes on after it (found by the fuzz
 * target): "imap.\0firma.pl" reads as "imap.", which is no host name, so
 * the server is not offered, by the same rule as a host typed on tab 2. */
static void
test_nul_in_value (void)
{
  static const char xml[] =
    "<clientConfig version=\"1.1\"><emailProvider id=\"firma.pl\">"
    "<incomingServer type=\"imap\"><hostname>imap.\0firma.pl</hostname><port>993</port>"
    "<socketType>SSL</socketType><authentication>password-cleartext</authentication>"
    "</incomingServer></emailProvider></clientConfig>";
  g_autoptr(GBytes) bytes = g_bytes_new_static (xml, sizeof xml - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = sk_autoconfig_parse (bytes, "jan@firma.pl", NULL, NULL, &error);

  g_assert_null (config);
  g_assert_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_NO_SERVER);
}

static void
test_not_text (void)
{
  static const char binary[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  g_autoptr(GBytes) bytes = g_bytes_new_static (binary, sizeof binary);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = sk_autoconfig_parse (bytes, "jan@firma.pl", NULL, NULL, &error);

  g_assert_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_MALFORMED);
  g_assert_null (config);
}

/* A valid file padded beyond the cap is refused unread. */
static void
test_huge (void)
{
  g_autoptr(GBytes) multi = read_fixture ("multi.xml");
  g_autoptr(GString) huge = g_string_new_len (g_bytes_get_data (multi, NULL),
                                              g_bytes_get_size (multi));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkAutoconfig) config = NULL;

  while (huge->len <= SK_AUTOCONFIG_MAX_SIZE)
    g_string_append (huge, "<!-- padding padding padding padding padding padding -->\n");
  bytes = g_bytes_new (huge->str, huge->len);

  config = sk_autoconfig_parse (bytes, "jan@firma.pl", NULL, NULL, &error);
  g_assert_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_TOO_LARGE);
  g_assert_null (config);
}

static void
test_bad_address (void)
{
  static const char *addresses[] = { "", "jan", "@firma.pl", "jan@", "jan@localhost",
                                     "jan kowalski@firma.pl", "jan@firma.pl\n" };

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(GBytes) bytes = read_fixture ("multi.xml");
      g_autoptr(GError) error = NULL;
      g_autoptr(SkAutoconfig) config = sk_autoconfig_parse (bytes, addresses[i], NULL, NULL, &error);

      g_assert_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_BAD_ADDRESS);
      g_assert_null (config);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sk/autoconfig/multi", test_multi);
  g_test_add_func ("/sk/autoconfig/oauth2-unknown", test_oauth2_unknown);
  g_test_add_func ("/sk/autoconfig/oauth2-known", test_oauth2_known);
  g_test_add_func ("/sk/autoconfig/oauth2-first", test_oauth2_first);
  g_test_add_func ("/sk/autoconfig/plain-only", test_plain_only);
  g_test_add_func ("/sk/autoconfig/placeholders", test_placeholders);
  g_test_add_func ("/sk/autoconfig/nul-in-value", test_nul_in_value);
  g_test_add_func ("/sk/autoconfig/notes", test_notes);
  g_test_add_func ("/sk/autoconfig/bad-xml", test_bad_xml);
  g_test_add_func ("/sk/autoconfig/empty", test_empty);
  g_test_add_func ("/sk/autoconfig/reason-is-text", test_reason_is_text);
  g_test_add_func ("/sk/autoconfig/html", test_html);
  g_test_add_func ("/sk/autoconfig/junk", test_junk);
  g_test_add_func ("/sk/autoconfig/not-text", test_not_text);
  g_test_add_func ("/sk/autoconfig/huge", test_huge);
  g_test_add_func ("/sk/autoconfig/bad-address", test_bad_address);

  return g_test_run ();
}
