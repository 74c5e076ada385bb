/* fuzz-transcript.c — what a server sends back, and what we send it, on
 * its way into the transcript that IT support copies, and the diagnosis
 * read from the last reply.
 *
 * The oracle: no part of the password, nor its base64 forms, ever shows.
 * The password is made only of letters (ą ć ę ł ń ś ź ż) whose first UTF-8
 * byte is 0xC4 or 0xC5; those two bytes are taken out of everything else
 * fed in, so any 0xC4 or 0xC5 in the output is a piece of the password.
 *
 * Input: protocol, diagnosis flags, libcurl code, port; the host and the
 * user name, each up to a LF; the password (a length byte, then a byte per
 * letter); then operations of two bytes each (see feed_operation()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <curl/curl.h>
#include <string.h>

#include "core/sk-diagnosis.h"
#include "core/sk-transcript.h"
#include "fuzz-common.h"

static const char * const letters[] = { "ą", "ć", "ę", "ł", "ń", "ś", "ź", "ż" };

static const int curl_codes[] = {
  CURLE_OK, CURLE_LOGIN_DENIED, CURLE_AUTH_ERROR, CURLE_WEIRD_SERVER_REPLY,
  CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT,
  CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_USE_SSL_FAILED,
  CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_ABORTED_BY_CALLBACK, CURLE_SSL_CACERT_BADFILE,
  9999,
};

typedef struct
{
  const uint8_t *p;
  const uint8_t *end;
} Input;

static gboolean
take_byte (Input   *input,
           guint8  *byte)
{
  if (input->p >= input->end)
    return FALSE;
  *byte = *input->p++;
  return TRUE;
}

/* Bytes from the input with the password's first bytes taken out. */
static char *
take_text (Input  *input,
           gsize   length)
{
  char *text;

  length = MIN (length, (gsize) (input->end - input->p));
  text = g_strndup ((const char *) input->p, length);
  input->p += length;
  for (char *c = text; *c != '\0'; c++)
    if ((guint8) *c == 0xC4 || (guint8) *c == 0xC5)
      *c = '?';

  return text;
}

/* Up to the next LF, which is skipped. */
static char *
take_field (Input *input)
{
  const uint8_t *end = memchr (input->p, '\n', input->end - input->p);
  char *field = take_text (input, (end != NULL ? end : input->end) - input->p);

  if (input->p < input->end)
    input->p++;

  return field;
}

static char *
take_password (Input *input)
{
  g_autoptr(GString) password = g_string_new (NULL);
  guint8 length = 0;
  guint8 letter;

  take_byte (input, &length);
  for (guint i = 0; i < 1u + length % 24 && take_byte (input, &letter); i++)
    g_string_append (password, letters[letter % G_N_ELEMENTS (letters)]);
  if (password->len == 0)
    g_string_append (password, letters[0]);

  return g_string_free (g_steal_pointer (&password), FALSE);
}

static char *
base64_plain (const char *authzid,
              const char *user,
              const char *password)
{
  g_autoptr(GString) plain = g_string_new (authzid);

  g_string_append_c (plain, '\0');
  g_string_append (plain, user);
  g_string_append_c (plain, '\0');
  g_string_append (plain, password);

  return g_base64_encode ((const guchar *) plain->str, plain->len);
}

/* op: bits 0–1 the source (3: one of the secrets, its source in bits 4–5),
 * bit 2 the connection turns secure, bit 3 a new connection begins.
 * argument: how many bytes follow; 0: the next two bytes are a byte and
 * a count of 256s, to reach the 64 KiB cut of a line. */
static void
feed_operation (SkTranscript       *transcript,
                Input              *input,
                guint8              op,
                guint8              argument,
                const char * const *secrets)
{
  SkLineSource source = op & 3;

  if (op & 8)
    sk_transcript_begin_connection (transcript);
  if (op & 4)
    sk_transcript_set_secure (transcript);

  if (source == 3)
    {
      const char *secret = secrets[argument % g_strv_length ((char **) secrets)];

      sk_transcript_feed (transcript, (op >> 4) % 3, secret, strlen (secret));
    }
  else if (argument == 0)
    {
      guint8 byte = 0, count = 0;
      g_autofree char *run = NULL;

      take_byte (input, &byte);
      take_byte (input, &count);
      if (byte == 0xC4 || byte == 0xC5)
        byte = '?';
      run = g_malloc ((gsize) count * 256 + 1);
      memset (run, byte, (gsize) count * 256);
      sk_transcript_feed (transcript, source, run, (gsize) count * 256);
    }
  else
    {
      g_autofree char *text = take_text (input, argument);

      sk_transcript_feed (transcript, source, text, strlen (text));
    }
}

static void
check_password_free (const char         *text,
                     const char * const *secrets)
{
  if (text == NULL)
    return;
  if (strchr (text, '\xC4') != NULL || strchr (text, '\xC5') != NULL)
    fuzz_fail ("a piece of the password shows:\n%s", text);
  for (guint i = 1; secrets[i] != NULL; i++)
    if (strstr (text, secrets[i]) != NULL)
      fuzz_fail ("a base64 form of the password shows:\n%s", text);
}

/* Only Google's sign-in page, on its standard port: the dialog offers to
 * open it in the browser. */
static void
check_web_login_url (const char *url)
{
  const char *page = "https://accounts.google.com";
  const char *rest;

  if (url == NULL)
    return;
  if (g_ascii_strncasecmp (url, page, strlen (page)) != 0)
    fuzz_fail ("a web login page that is not Google's: %s", url);
  rest = url + strlen (page);
  if (*rest == ':')
    {
      const char *digits = ++rest;

      rest += strspn (rest, "0123456789");
      if (rest != digits && strtoul (digits, NULL, 10) != 443)
        fuzz_fail ("a web login page on another port: %s", url);
    }
  /* What follows the host decides which host a browser goes to: after
   * it, "@" or "\\" are only part of the path or the query. */
  if (*rest != '\0' && *rest != '/' && *rest != '?' && *rest != '#')
    fuzz_fail ("a web login page on another host: %s", url);
  for (const char *c = url; *c != '\0'; c++)
    if ((guint8) *c <= ' ' || *c == 0x7f)
      fuzz_fail ("a web login page with a blank or a control: %s", url);
}

static void
diagnose (SkDiagnosisInput *diagnosis_input,
          const char       *reply)
{
  g_autoptr(SkDiagnosis) diagnosis = NULL;

  diagnosis_input->last_reply = reply;
  diagnosis = sk_diagnose (diagnosis_input);
  if (diagnosis == NULL || diagnosis->message == NULL)
    fuzz_fail ("no diagnosis");
  if (sk_diagnosis_code_to_string (diagnosis->code) == NULL)
    fuzz_fail ("a diagnosis without a code");
  if (diagnosis->code == SK_DIAGNOSIS_WEB_LOGIN_REQUIRED)
    check_web_login_url (diagnosis->web_login_url);
  else if (diagnosis->web_login_url != NULL)
    fuzz_fail ("a web login page for %s", sk_diagnosis_code_to_string (diagnosis->code));
}

/* Bytes in the form the transcript gives a last reply in (and the
 * diagnosis relies on): valid UTF-8, lines joined by LF, no other control
 * character but tab. */
static char *
as_last_reply (const uint8_t *data,
               gsize          size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  char *reply = g_utf8_make_valid (text, -1);

  for (char *c = reply; *c != '\0'; c++)
    if (((guint8) *c < 0x20 && *c != '\n' && *c != '\t') || *c == 0x7f)
      *c = '?';

  return reply;
}

static void
set_up_diagnosis (SkDiagnosisInput *diagnosis_input,
                  SkServer         *server,
                  guint8            protocol,
                  guint8            flags,
                  guint8            code,
                  guint8            port)
{
  static const guint ports[] = { 993, 143, 995, 110, 465, 587, 25, 0 };

  server->protocol = protocol % 3;
  server->port = (port & 8) ? port : ports[port % G_N_ELEMENTS (ports)];
  diagnosis_input->server = server;
  diagnosis_input->tls_chosen = flags & 1;
  diagnosis_input->curl_code = curl_codes[code % G_N_ELEMENTS (curl_codes)];
  diagnosis_input->greeted = (flags >> 1) & 1;
  diagnosis_input->logged_in = (flags >> 2) & 1;
  diagnosis_input->certificate_expired = (flags >> 3) & 1;
  diagnosis_input->certificate_pin_mismatch = (flags >> 4) & 1;
  diagnosis_input->certificate_wrong_host = (flags >> 5) & 1;
  diagnosis_input->tls_established = (flags >> 6) & 1;
  diagnosis_input->login_wanted = (flags >> 7) & 1;
  diagnosis_input->login_attempted = (flags >> 2) & 1;
  diagnosis_input->starttls_offered = (flags >> 1) & 1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Input input = { data, data + size };
  SkDiagnosisInput diagnosis_input = { 0, };
  g_autoptr(SkServer) server = NULL;
  g_autoptr(SkTranscript) transcript = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *text = NULL;
  g_autofree char *raw_reply = NULL;
  g_auto(GStrv) secrets = NULL;
  const SkExchange *exchange;
  guint8 header[4];
  guint8 op, argument;

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    if (!take_byte (&input, &header[i]))
      return 0;
  host = take_field (&input);
  user = take_field (&input);
  password = take_password (&input);

  secrets = g_new0 (char *, 5);
  secrets[0] = g_strdup (password);
  secrets[1] = g_base64_encode ((const guchar *) password, strlen (password));
  secrets[2] = base64_plain ("", user, password);
  secrets[3] = base64_plain (user, user, password);

  /* The same bytes as a server's whole reply, straight to the diagnosis. */
  server = sk_server_new (SK_PROTOCOL_IMAP);
  g_free (server->host);
  server->host = g_strdup (host);
  set_up_diagnosis (&diagnosis_input, server, header[0], header[1], header[2], header[3]);
  raw_reply = as_last_reply (input.p, input.end - input.p);
  diagnose (&diagnosis_input, raw_reply);

  transcript = sk_transcript_new (header[0] % 3, user, password);
  sk_transcript_begin_connection (transcript);
  while (take_byte (&input, &op) && take_byte (&input, &argument))
    feed_operation (transcript, &input, op, argument, (const char * const *) secrets);

  text = sk_transcript_to_string (transcript);
  if (!g_utf8_validate (text, -1, NULL))
    fuzz_fail ("the transcript is not UTF-8");
  check_password_free (text, (const char * const *) secrets);
  check_password_free (sk_transcript_get_last_reply (transcript), (const char * const *) secrets);

  exchange = sk_transcript_get_exchange (transcript);
  diagnosis_input.greeted = exchange->greeted;
  diagnosis_input.logged_in = exchange->logged_in;
  diagnosis_input.login_attempted = exchange->login_attempted;
  diagnosis_input.starttls_offered = exchange->starttls_offered;
  diagnose (&diagnosis_input, sk_transcript_get_last_reply (transcript));

  return 0;
}
