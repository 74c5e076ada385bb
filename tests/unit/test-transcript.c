/* test-transcript.c — the conversation with a server, password-free, and
 * what it shows about the login
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-transcript.h"

#define USER     "biuro@example.com"
#define PASSWORD "Zx9-tajne-hasło"

static void
feed (SkTranscript *transcript,
      SkLineSource  source,
      const char   *data)
{
  sk_transcript_feed (transcript, source, data, strlen (data));
}

static char *
base64 (const char *data,
        gsize       length)
{
  return g_base64_encode ((const guchar *) data, length);
}

/* The password in every form it can take on the wire. */
static void
assert_password_free (const char *text)
{
  const char plain_bare[] = "\0" USER "\0" PASSWORD;
  const char plain_authzid[] = USER "\0" USER "\0" PASSWORD;
  g_autofree char *b64_password = base64 (PASSWORD, strlen (PASSWORD));
  g_autofree char *b64_plain = base64 (plain_bare, sizeof plain_bare - 1);
  g_autofree char *b64_authzid = base64 (plain_authzid, sizeof plain_authzid - 1);

  if (text == NULL)
    return;

  if (strstr (text, PASSWORD) != NULL || strstr (text, "tajne") != NULL
      || strstr (text, b64_password) != NULL || strstr (text, b64_plain) != NULL
      || strstr (text, b64_authzid) != NULL)
    g_error ("the password is in:\n%s", text);
}

static void
assert_lines (SkTranscript       *transcript,
              const char * const *expected)
{
  g_autofree char *text = sk_transcript_to_string (transcript);
  g_autofree char *joined = g_strjoinv ("\n", (char **) expected);
  g_autofree char *expected_text = g_strconcat (joined, "\n", NULL);

  assert_password_free (text);
  g_assert_cmpstr (text, ==, expected_text);
}

static void
test_imap_login (void)
{
  g_autoptr(SkTranscript) transcript = sk_transcript_new (SK_PROTOCOL_IMAP, USER, PASSWORD);
  const char * const expected[] = {
    "< * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready",
    "> A001 LOGIN " USER " ********",
    "> B002 LOGIN \"biuro \\\"x\\\" y\" ********",
    "< B002 OK Logged in",
    NULL
  };

  sk_transcript_set_secure (transcript);
  feed (transcript, SK_LINE_SERVER, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n");
  feed (transcript, SK_LINE_CLIENT, "A001 LOGIN " USER " " PASSWORD "\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->login_attempted);
  g_assert_false (sk_transcript_get_exchange (transcript)->logged_in);

  /* libcurl quotes with backslash escapes; the command may come in pieces. */
  feed (transcript, SK_LINE_CLIENT, "B002 LOGIN \"biuro \\\"x\\\" y\" \"Zx9-taj");
  feed (transcript, SK_LINE_CLIENT, "ne-hasło\"\r\n");
  feed (transcript, SK_LINE_SERVER, "B002 OK Logged in\r\n");

  assert_lines (transcript, expected);
  g_assert_true (sk_transcript_get_exchange (transcript)->logged_in);
  g_assert_cmpstr (sk_transcript_get_last_reply (transcript), ==, "B002 OK Logged in");
}

static void
test_imap_authenticate (void)
{
  g_autoptr(SkTranscript) transcript = sk_transcript_new (SK_PROTOCOL_IMAP, USER, PASSWORD);
  const char plain[] = "\0" USER "\0" PASSWORD;
  g_autofree char *payload = base64 (plain, sizeof plain - 1);
  g_autofree char *ir = g_strdup_printf ("A003 AUTHENTICATE PLAIN %s\r\n", payload);
  g_autofree char *response = g_strdup_printf ("%s\r\n", payload);
  const char * const expected[] = {
    "> A002 AUTHENTICATE PLAIN",
    "< + ",
    "> ********",
    "< A002 NO [AUTHENTICATIONFAILED] Authentication failed.",
    "> A003 AUTHENTICATE PLAIN ********",
    "< A003 OK Logged in",
    "> A004 AUTHENTICATE LOGIN",
    "< + ********",
    "> ********",
    "< + ********",
    "> ********",
    "< A004 OK Logged in",
    NULL
  };

  sk_transcript_set_secure (transcript);
  feed (transcript, SK_LINE_CLIENT, "A002 AUTHENTICATE PLAIN\r\n");
  feed (transcript, SK_LINE_SERVER, "+ \r\n");
  feed (transcript, SK_LINE_CLIENT, response);
  feed (transcript, SK_LINE_SERVER, "A002 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->login_attempted);
  g_assert_false (sk_transcript_get_exchange (transcript)->logged_in);

  /* With the initial response on the command line (SASL-IR). */
  feed (transcript, SK_LINE_CLIENT, ir);
  feed (transcript, SK_LINE_SERVER, "A003 OK Logged in\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->logged_in);

  feed (transcript, SK_LINE_CLIENT, "A004 AUTHENTICATE LOGIN\r\n");
  feed (transcript, SK_LINE_SERVER, "+ VXNlcm5hbWU6\r\n");
  feed (transcript, SK_LINE_CLIENT, "Yml1cm9AZXhhbXBsZS5jb20=\r\n");
  feed (transcript, SK_LINE_SERVER, "+ UGFzc3dvcmQ6\r\n");
  feed (transcript, SK_LINE_CLIENT, "Wng5LXRham5lLWhhc8WCbw==\r\n");
  feed (transcript, SK_LINE_SERVER, "A004 OK Logged in\r\n");

  assert_lines (transcript, expected);
}

static void
test_pop3 (void)
{
  g_autoptr(SkTranscript) transcript = sk_transcript_new (SK_PROTOCOL_POP3, USER, PASSWORD);
  const char * const expected[] = {
    "< +OK Dovecot ready. <1896.697170952@dbc.mtview.ca.us>",
    "> CAPA",
    "< +OK",
    "< STLS",
    "< SASL PLAIN",
    "< .",
    "> APOP " USER " ********",
    "< -ERR [AUTH] Authentication failed.",
    "> USER " USER,
    "< +OK",
    "> PASS ********",
    "< +OK Logged in.",
    "> AUTH PLAIN ********",
    "< +OK Logged in.",
    NULL
  };

  sk_transcript_set_secure (transcript);
  feed (transcript, SK_LINE_SERVER, "+OK Dovecot ready. <1896.697170952@dbc.mtview.ca.us>\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->greeted);
  feed (transcript, SK_LINE_CLIENT, "CAPA\r\n");
  feed (transcript, SK_LINE_SERVER, "+OK\r\nSTLS\r\nSASL PLAIN\r\n.\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->starttls_offered);
  g_assert_false (sk_transcript_get_exchange (transcript)->logged_in);

  feed (transcript, SK_LINE_CLIENT, "APOP " USER " c4c9334bac560ecc979e58001b3e22fb\r\n");
  feed (transcript, SK_LINE_SERVER, "-ERR [AUTH] Authentication failed.\r\n");
  g_assert_false (sk_transcript_get_exchange (transcript)->logged_in);
  g_assert_cmpstr (sk_transcript_get_last_reply (transcript), ==,
                   "-ERR [AUTH] Authentication failed.");

  feed (transcript, SK_LINE_CLIENT, "USER " USER "\r\n");
  feed (transcript, SK_LINE_SERVER, "+OK\r\n");
  g_assert_false (sk_transcript_get_exchange (transcript)->logged_in);
  feed (transcript, SK_LINE_CLIENT, "PASS " PASSWORD "\r\n");
  feed (transcript, SK_LINE_SERVER, "+OK Logged in.\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->logged_in);

  sk_transcript_begin_connection (transcript);
  g_assert_false (sk_transcript_get_exchange (transcript)->logged_in);
  g_assert_false (sk_transcript_get_exchange (transcript)->starttls_offered);
  feed (transcript, SK_LINE_CLIENT, "AUTH PLAIN AGJpdXJvQGV4YW1wbGUuY29tAFp4OS10YWpuZS1oYXPFgm8=\r\n");
  feed (transcript, SK_LINE_SERVER, "+OK Logged in.\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->logged_in);

  assert_lines (transcript, expected);
}

static void
test_smtp (void)
{
  g_autoptr(SkTranscript) transcript = sk_transcript_new (SK_PROTOCOL_SMTP, USER, PASSWORD);
  const char * const expected[] = {
    "< 220 mail.example.com ESMTP",
    "> EHLO client",
    "< 250-mail.example.com",
    "< 250-STARTTLS",
    "< 250 AUTH PLAIN LOGIN",
    "> AUTH LOGIN",
    "< 334 ********",
    "> ********",
    "< 334 ********",
    "> ********",
    "< 535-5.7.8 Username and Password not accepted.",
    "< 535 5.7.8 Learn more.",
    "> AUTH PLAIN ********",
    "< 235 2.7.0 Accepted",
    NULL
  };

  sk_transcript_set_secure (transcript);
  feed (transcript, SK_LINE_SERVER, "220 mail.example.com ESMTP\r\n");
  feed (transcript, SK_LINE_CLIENT, "EHLO client\r\n");
  feed (transcript, SK_LINE_SERVER, "250-mail.example.com\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->starttls_offered);

  feed (transcript, SK_LINE_CLIENT, "AUTH LOGIN\r\n");
  feed (transcript, SK_LINE_SERVER, "334 VXNlcm5hbWU6\r\n");
  feed (transcript, SK_LINE_CLIENT, "Yml1cm9AZXhhbXBsZS5jb20=\r\n");
  feed (transcript, SK_LINE_SERVER, "334 UGFzc3dvcmQ6\r\n");
  feed (transcript, SK_LINE_CLIENT, "Wng5LXRham5lLWhhc8WCbw==\r\n");
  feed (transcript, SK_LINE_SERVER, "535-5.7.8 Username and Password not accepted.\r\n"
                                    "535 5.7.8 Learn more.\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->login_attempted);
  g_assert_false (sk_transcript_get_exchange (transcript)->logged_in);
  /* The lines of one reply belong together. */
  g_assert_cmpstr (sk_transcript_get_last_reply (transcript), ==,
                   "535-5.7.8 Username and Password not accepted.\n535 5.7.8 Learn more.");

  feed (transcript, SK_LINE_CLIENT, "AUTH PLAIN AGJpdXJvQGV4YW1wbGUuY29tAFp4OS10YWpuZS1oYXPFgm8=\r\n");
  feed (transcript, SK_LINE_SERVER, "235 2.7.0 Accepted\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->logged_in);
  g_assert_cmpstr (sk_transcript_get_last_reply (transcript), ==, "235 2.7.0 Accepted");

  assert_lines (transcript, expected);
}

/* An XOAUTH2 login: the access token stands where the password does, its
 * SASL response is hidden wherever it goes, and a refusal's JSON (the
 * server's, no secret) is shown decoded and its status kept for the
 * diagnosis.  The refusals are Dovecot's, word for word. */
#define TOKEN "ya29.a0AfB_byC-token-for-the-test_Q"

static void
test_xoauth2 (void)
{
  g_autoptr(SkTranscript) imap = sk_transcript_new (SK_PROTOCOL_IMAP, USER, TOKEN);
  g_autoptr(SkTranscript) smtp = sk_transcript_new (SK_PROTOCOL_SMTP, USER, TOKEN);
  const char response[] = "user=" USER "\1auth=Bearer " TOKEN "\1\1";
  g_autofree char *b64_response = base64 (response, sizeof response - 1);
  g_autofree char *command = g_strdup_printf ("A002 AUTHENTICATE XOAUTH2 %s\r\n", b64_response);
  g_autofree char *note = g_strdup_printf ("sending %s\n", b64_response);
  g_autofree char *smtp_response = g_strdup_printf ("%s\r\n", b64_response);
  g_autofree char *imap_text = NULL;
  g_autofree char *smtp_text = NULL;
  const char * const imap_expected[] = {
    "> A002 AUTHENTICATE XOAUTH2 ********",
    "* sending ********",
    "< + {\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}",
    "< A002 NO [AUTHENTICATIONFAILED] Authentication failed.",
    NULL
  };
  const char * const smtp_expected[] = {
    "> AUTH XOAUTH2",
    "< 334 ",
    "> ********",
    "< 334 {\"status\":\"invalid_token\"}",
    NULL
  };

  sk_transcript_set_secure (imap);
  feed (imap, SK_LINE_CLIENT, command);
  feed (imap, SK_LINE_NOTE, note);
  feed (imap, SK_LINE_SERVER, "+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=\r\n");
  g_assert_cmpstr (sk_transcript_get_token_refusal (imap), ==, "401");
  feed (imap, SK_LINE_SERVER, "A002 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
  g_assert_false (sk_transcript_get_exchange (imap)->logged_in);
  assert_lines (imap, imap_expected);

  sk_transcript_set_secure (smtp);
  feed (smtp, SK_LINE_CLIENT, "AUTH XOAUTH2\r\n");
  feed (smtp, SK_LINE_SERVER, "334 \r\n");
  g_assert_null (sk_transcript_get_token_refusal (smtp));
  feed (smtp, SK_LINE_CLIENT, smtp_response);
  feed (smtp, SK_LINE_SERVER, "334 eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=\r\n");
  g_assert_cmpstr (sk_transcript_get_token_refusal (smtp), ==, "invalid_token");
  assert_lines (smtp, smtp_expected);

  imap_text = sk_transcript_to_string (imap);
  smtp_text = sk_transcript_to_string (smtp);
  for (guint i = 0; i < 2; i++)
    {
      const char *text = i == 0 ? imap_text : smtp_text;

      g_assert_null (strstr (text, TOKEN));
      g_assert_null (strstr (text, b64_response));
    }

  /* A new connection forgets the last one's refusal. */
  sk_transcript_begin_connection (imap);
  g_assert_null (sk_transcript_get_token_refusal (imap));
}

/* What a server says around a refused login stays one reply: the
 * diagnosis reads Google's sign-in address in the untagged IMAP line, and
 * its words across the lines of an SMTP reply. */
static void
test_reply_lines (void)
{
  g_autoptr(SkTranscript) imap = sk_transcript_new (SK_PROTOCOL_IMAP, USER, PASSWORD);
  g_autoptr(SkTranscript) smtp = sk_transcript_new (SK_PROTOCOL_SMTP, USER, PASSWORD);
  g_autoptr(GString) endless = g_string_new (NULL);
  const char *reply;

  sk_transcript_set_secure (imap);
  feed (imap, SK_LINE_SERVER, "* OK Gimap ready\r\n");
  feed (imap, SK_LINE_CLIENT, "A001 CAPABILITY\r\n");
  feed (imap, SK_LINE_SERVER,
        "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n"
        "A001 OK Thats all she wrote!\r\n");
  /* Untagged lines outside a login are replies of their own. */
  g_assert_cmpstr (sk_transcript_get_last_reply (imap), ==, "A001 OK Thats all she wrote!");

  feed (imap, SK_LINE_CLIENT, "A002 LOGIN " USER " " PASSWORD "\r\n");
  feed (imap, SK_LINE_SERVER,
        "* NO [WEBALERT https://accounts.google.com/signin/continue?sarp=1] Web login required.\r\n"
        "A002 NO [ALERT] Please log in via your web browser (Failure)\r\n");
  g_assert_cmpstr (sk_transcript_get_last_reply (imap), ==,
                   "* NO [WEBALERT https://accounts.google.com/signin/continue?sarp=1] "
                   "Web login required.\n"
                   "A002 NO [ALERT] Please log in via your web browser (Failure)");

  /* A reply that never ends keeps its latest lines, and a bounded size. */
  sk_transcript_set_secure (smtp);
  feed (smtp, SK_LINE_CLIENT, "AUTH PLAIN AGJpdXJvQGV4YW1wbGUuY29tAFp4OS10YWpuZS1oYXPFgm8=\r\n");
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (endless, "535-5.7.8 line %u\r\n", i);
  g_string_append (endless, "535 5.7.8 the end\r\n");
  feed (smtp, SK_LINE_SERVER, endless->str);
  reply = sk_transcript_get_last_reply (smtp);
  g_assert_cmpuint (strlen (reply), <, 4096);
  g_assert_true (g_str_has_prefix (reply, "535-5.7.8 line "));
  g_assert_true (g_str_has_suffix (reply, "535-5.7.8 line 4999\n535 5.7.8 the end"));
}

/* Wherever the password turns up, literally or in base64, it goes. */
static void
test_password_anywhere (void)
{
  g_autoptr(SkTranscript) transcript = sk_transcript_new (SK_PROTOCOL_IMAP, USER, PASSWORD);
  const char plain[] = USER "\0" USER "\0" PASSWORD;
  g_autofree char *authzid = base64 (plain, sizeof plain - 1);
  g_autofree char *note = g_strdup_printf ("quoting %s and %s\n", authzid,
                                           "Wng5LXRham5lLWhhc8WCbw==");
  const char * const expected[] = {
    "< * BAD you said ******** twice: ********",
    "* quoting ******** and ********",
    "> A005 ID (\"x\" \"********\")",
    NULL
  };

  feed (transcript, SK_LINE_SERVER, "* BAD you said " PASSWORD " twice: " PASSWORD "\r\n");
  sk_transcript_feed (transcript, SK_LINE_NOTE, note, strlen (note));
  feed (transcript, SK_LINE_CLIENT, "A005 ID (\"x\" \"" PASSWORD "\")\r\n");

  assert_lines (transcript, expected);
}

/* What a server says before TLS may be anyone's words: never the reply. */
static void
test_before_tls (void)
{
  g_autoptr(SkTranscript) transcript = sk_transcript_new (SK_PROTOCOL_IMAP, USER, PASSWORD);

  feed (transcript, SK_LINE_SERVER, "* OK [CAPABILITY IMAP4rev1 STARTTLS] Service Ready\r\n");
  feed (transcript, SK_LINE_CLIENT, "A001 STARTTLS\r\n");
  feed (transcript, SK_LINE_SERVER, "A001 OK Begin TLS\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->starttls_offered);
  g_assert_null (sk_transcript_get_last_reply (transcript));

  sk_transcript_set_secure (transcript);
  feed (transcript, SK_LINE_CLIENT, "A002 CAPABILITY\r\n");
  feed (transcript, SK_LINE_SERVER, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA002 OK done\r\n");
  g_assert_cmpstr (sk_transcript_get_last_reply (transcript), ==, "A002 OK done");

  /* A new connection starts insecure again; the reply seen is kept. */
  sk_transcript_begin_connection (transcript);
  feed (transcript, SK_LINE_SERVER, "* PREAUTH welcome\r\n");
  g_assert_true (sk_transcript_get_exchange (transcript)->preauth);
  g_assert_cmpstr (sk_transcript_get_last_reply (transcript), ==, "A002 OK done");
}

static void
test_exchange (void)
{
  g_autoptr(SkTranscript) transcript = sk_transcript_new (SK_PROTOCOL_IMAP, NULL, NULL);
  const SkExchange *exchange = sk_transcript_get_exchange (transcript);

  g_assert_false (exchange->greeted);
  feed (transcript, SK_LINE_NOTE, "Connected to localhost\n");
  g_assert_false (exchange->greeted);
  feed (transcript, SK_LINE_SERVER, "* OK ready");
  /* An unfinished line is not a greeting yet. */
  g_assert_false (exchange->greeted);
  feed (transcript, SK_LINE_SERVER, "\r\n");
  g_assert_true (exchange->greeted);
  g_assert_false (exchange->preauth);
  g_assert_false (exchange->starttls_offered);

  /* A PREAUTH later than the greeting is not a PREAUTH greeting. */
  feed (transcript, SK_LINE_SERVER, "* PREAUTH no\r\n");
  g_assert_false (exchange->preauth);

  /* "STARTTLS" must be a capability, not part of a word or the text. */
  feed (transcript, SK_LINE_SERVER, "* CAPABILITY IMAP4rev1 XSTARTTLS AUTH=PLAIN\r\n");
  g_assert_false (exchange->starttls_offered);
  feed (transcript, SK_LINE_SERVER, "* OK no STARTTLS here\r\n");
  g_assert_false (exchange->starttls_offered);
  feed (transcript, SK_LINE_SERVER, "* CAPABILITY IMAP4rev1 starttls\r\n");
  g_assert_true (exchange->starttls_offered);
}

static void
test_printable (void)
{
  g_autoptr(SkTranscript) transcript = sk_transcript_new (SK_PROTOCOL_SMTP, NULL, NULL);
  g_autoptr(GString) long_line = g_string_new ("250 ");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append_c (long_line, 'x');
  g_string_append (long_line, "\r\n");

  feed (transcript, SK_LINE_SERVER, "220 a\x01" "b\xff\xfe z\tż\r\n");
  feed (transcript, SK_LINE_SERVER, long_line->str);

  text = sk_transcript_to_string (transcript);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "< 220 a?b\xef\xbf\xbd\xef\xbf\xbd z\tż");
  g_assert_cmpuint (g_utf8_strlen (lines[1], -1), <, 600);
  g_assert_true (g_str_has_suffix (lines[1], "…"));
}

/* A server that never stops talking: the beginning and the end are kept. */
static void
test_bounded (void)
{
  g_autoptr(SkTranscript) transcript = sk_transcript_new (SK_PROTOCOL_IMAP, NULL, NULL);
  g_autofree char *text = NULL;

  for (guint i = 0; i < 100000; i++)
    {
      g_autofree char *line = g_strdup_printf ("* CAPABILITY IMAP4rev1 X%u\r\n", i);

      feed (transcript, SK_LINE_SERVER, line);
    }

  text = sk_transcript_to_string (transcript);
  g_assert_cmpuint (strlen (text), <, 64 * 1024);
  g_assert_nonnull (strstr (text, "< * CAPABILITY IMAP4rev1 X0\n"));
  g_assert_nonnull (strstr (text, "< * CAPABILITY IMAP4rev1 X99999\n"));
  g_assert_nonnull (strstr (text, "lines left out"));
}

/* A line is cut at 64 KiB; a password straddling the cut must not come
 * back as the start of a new line (a 64 KiB user name puts it there). */
static void
test_cut_line (void)
{
  const gsize cut = 64 * 1024;
  const gsize prefix = strlen ("A001 LOGIN ");

  for (gsize into = 1; into < strlen (PASSWORD); into++)
    {
      gsize user_length = cut - prefix - 1 - into;
      g_autofree char *user = g_strnfill (user_length, 'u');
      g_autofree char *login = g_strdup_printf ("A001 LOGIN %s %s\r\n", user, PASSWORD);
      g_autoptr(SkTranscript) transcript = sk_transcript_new (SK_PROTOCOL_IMAP, user, PASSWORD);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;

      feed (transcript, SK_LINE_CLIENT, login);
      feed (transcript, SK_LINE_SERVER, "A001 NO [AUTHENTICATIONFAILED] Invalid\r\n");

      text = sk_transcript_to_string (transcript);
      assert_password_free (text);
      g_assert_null (strstr (text, &PASSWORD[into]));
      lines = g_strsplit (text, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 3);
      g_assert_true (g_str_has_prefix (lines[0], "> A001 LOGIN uuu"));
      g_assert_cmpstr (lines[1], ==, "< A001 NO [AUTHENTICATIONFAILED] Invalid");
      g_assert_cmpstr (lines[2], ==, "");
      g_assert_true (sk_transcript_get_exchange (transcript)->login_attempted);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sk/transcript/imap-login", test_imap_login);
  g_test_add_func ("/sk/transcript/imap-authenticate", test_imap_authenticate);
  g_test_add_func ("/sk/transcript/pop3", test_pop3);
  g_test_add_func ("/sk/transcript/smtp", test_smtp);
  g_test_add_func ("/sk/transcript/xoauth2", test_xoauth2);
  g_test_add_func ("/sk/transcript/reply-lines", test_reply_lines);
  g_test_add_func ("/sk/transcript/password-anywhere", test_password_anywhere);
  g_test_add_func ("/sk/transcript/before-tls", test_before_tls);
  g_test_add_func ("/sk/transcript/exchange", test_exchange);
  g_test_add_func ("/sk/transcript/printable", test_printable);
  g_test_add_func ("/sk/transcript/bounded", test_bounded);
  g_test_add_func ("/sk/transcript/cut-line", test_cut_line);

  return g_test_run ();
}
