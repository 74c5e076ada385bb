/* sk-test-message.c — a short message to oneself through the account's
 * SMTP server, S/MIME-signed when signing is on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Test"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <openssl/cms.h>
#include <openssl/err.h>

#include "sk-certificate-private.h"
#include "sk-connection-test-private.h"
#include "sk-test-message.h"

/* Quoted-printable lines stay within RFC 2045's 76 characters. */
#define QP_LINE_LENGTH 76

/* An encoded word (RFC 2047) is at most 75 characters: "=?UTF-8?B?" and
 * "?=" (12) leave 63 for base64, which is 45 bytes of text. */
#define ENCODED_WORD_WRAPPING 12
#define ENCODED_WORD_BYTES    45

/* Header lines are folded to stay within RFC 5322's 78 characters. */
#define HEADER_LINE_LENGTH 78

/* Headers */

static gboolean
needs_encoding (const char *text)
{
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    if (*p >= 0x80 || *p < 0x20 || *p == 0x7f)
      return TRUE;

  return FALSE;
}

/* How long the last line of out is so far. */
static gsize
line_length (GString *out)
{
  const char *line_end = strrchr (out->str, '\n');

  return line_end != NULL ? out->len - (line_end + 1 - out->str) : out->len;
}

/* text as encoded words, each filling what is left of its line, folded
 * between them; never split inside a character. */
static void
append_encoded_words (GString    *out,
                      const char *text)
{
  const char *start = text;

  for (;;)
    {
      gsize used = line_length (out) + ENCODED_WORD_WRAPPING;
      gsize room = used < HEADER_LINE_LENGTH ? (HEADER_LINE_LENGTH - used) / 4 * 3 : 0;
      const char *end = start;
      g_autofree char *encoded = NULL;

      while (*end != '\0')
        {
          const char *next = g_utf8_next_char (end);

          if ((gsize) (next - start) > MIN (room, ENCODED_WORD_BYTES))
            break;
          end = next;
        }

      /* Not even one character fits after the header's name. */
      if (end == start)
        {
          g_string_append (out, "\r\n ");
          continue;
        }

      encoded = g_base64_encode ((const guchar *) start, end - start);
      g_string_append_printf (out, "=?UTF-8?B?%s?=", encoded);

      start = end;
      if (*start == '\0')
        break;
      g_string_append (out, "\r\n ");
    }
}

/* An unstructured header's text (Subject). */
static void
append_text (GString    *out,
             const char *text)
{
  if (needs_encoding (text))
    append_encoded_words (out, text);
  else
    g_string_append (out, text);
}

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* A display name: as it is when it is plain words, quoted when it holds
 * punctuation ("Firma Sp. z o.o."), encoded when it is not ASCII or too
 * long for one line. */
static void
append_phrase (GString    *out,
               const char *name)
{
  gboolean plain = TRUE;

  /* Encoded words fold; a quoted string would run past the line's limit
   * (reliability review N1: a 1000-letter name). */
  if (needs_encoding (name) || line_length (out) + strlen (name) + 2 > HEADER_LINE_LENGTH)
    {
      append_encoded_words (out, name);
      return;
    }

  for (const char *p = name; *p != '\0'; p++)
    if (!is_atext (*p) && *p != ' ')
      plain = FALSE;

  if (plain)
    {
      g_string_append (out, name);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The address as a header can carry it: an internationalised domain in
 * its DNS form (the part before @ goes as it is). */
static char *
header_address (const char *email)
{
  const char *at = strrchr (email, '@');
  g_autofree char *domain = NULL;

  if (at == NULL || !g_hostname_is_non_ascii (at + 1))
    return g_strdup (email);

  domain = g_hostname_to_ascii (at + 1);
  if (domain == NULL)
    return g_strdup (email);

  return g_strdup_printf ("%.*s@%s", (int) (at - email), email, domain);
}

static void
append_mailbox (GString    *out,
                const char *full_name,
                const char *address)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (full_name));

  if (trimmed[0] != '\0')
    {
      append_phrase (out, trimmed);
      if (line_length (out) + strlen (address) + 3 > HEADER_LINE_LENGTH)
        g_string_append (out, "\r\n ");
      else
        g_string_append_c (out, ' ');
    }
  g_string_append_printf (out, "<%s>", address);
}

/* RFC 5322's date, in English whatever the language of the desktop. */
static void
append_date (GString   *out,
             GDateTime *date)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  int offset = (int) (g_date_time_get_utc_offset (date) / G_TIME_SPAN_MINUTE);

  g_string_append_printf (out, "%s, %d %s %04d %02d:%02d:%02d %c%02d%02d",
                          days[g_date_time_get_day_of_week (date) - 1],
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date),
                          g_date_time_get_hour (date),
                          g_date_time_get_minute (date),
                          g_date_time_get_second (date),
                          offset < 0 ? '-' : '+',
                          ABS (offset) / 60, ABS (offset) % 60);
}

static char *
new_message_id (const char *address)
{
  const char *at = strrchr (address, '@');
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("<%s@%s>", uuid, at != NULL ? at + 1 : "localhost");
}

/* The body */

static void
qp_append (GString *out,
           guint   *line_length,
           char    *encoded,
           gsize    length)
{
  /* Room for a soft break's "=" after it. */
  if (*line_length + length > QP_LINE_LENGTH - 1)
    {
      g_string_append (out, "=\r\n");
      *line_length = 0;
    }

  g_string_append_len (out, encoded, length);
  *line_length += length;
}

/* Quoted-printable (RFC 2045), lines ending in CRLF.  A line's first dot
 * or "From " is encoded too: some servers change those, which would break
 * a signature. */
static void
append_quoted_printable (GString    *out,
                         const char *text)
{
  guint line_length = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      unsigned char c = *p;
      gboolean line_end = p[1] == '\n' || p[1] == '\0';
      gboolean line_start = line_length == 0;
      char encoded[4];

      if (c == '\n')
        {
          g_string_append (out, "\r\n");
          line_length = 0;
          continue;
        }

      if ((c >= 33 && c <= 126 && c != '=' && !(line_start && (c == '.' || c == 'F')))
          || ((c == ' ' || c == '\t') && !line_end))
        {
          encoded[0] = c;
          qp_append (out, &line_length, encoded, 1);
        }
      else
        {
          g_snprintf (encoded, sizeof encoded, "=%02X", c);
          qp_append (out, &line_length, encoded, 3);
        }
    }

  if (line_length > 0)
    g_string_append (out, "\r\n");
}

static char *
body_text (SkAccount     *account,
           SkCertificate *signer)
{
  GString *text = g_string_new (NULL);

  g_string_append (text, _("This is a test message sent from the Account properties "
                           "window of Skrzynka."));
  g_string_append (text, "\n\n");
  /* Translators: %s is the account's name, as in the list of accounts */
  g_string_append_printf (text, _("Account: %s"), sk_account_get_name (account));
  g_string_append (text, "\n\n");
  if (signer != NULL)
    /* Translators: %s is whose certificate it is */
    g_string_append_printf (text, _("It is signed with the certificate of %s, so your mail "
                                    "program should show it as signed."),
                            sk_certificate_get_display_name (signer));
  else
    g_string_append (text, _("It is not signed."));
  g_string_append (text, "\n\n");
  g_string_append (text, _("If you can read this, the account sends mail. "
                           "You can delete this message."));
  g_string_append_c (text, '\n');

  return g_string_free (text, FALSE);
}

/* Signing */

static gboolean
signing_failed (GError     **error,
                const char  *what)
{
  unsigned long code = ERR_peek_last_error ();
  char reason[256] = "";

  if (code != 0)
    ERR_error_string_n (code, reason, sizeof reason);
  ERR_clear_error ();

  /* Translators: %s is OpenSSL's reason, in English, for IT support */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("The message could not be signed (%s)."), reason[0] != '\0' ? reason : what);
  return FALSE;
}

/* Every line end in CRLF: OpenSSL ends the signature's base64 lines in LF
 * alone.  The signed part is CRLF already, so it does not change. */
static void
append_crlf (GString    *out,
             const char *data,
             gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
        g_string_append_c (out, '\r');
      g_string_append_c (out, data[i]);
    }
}

/* entity, signed: a multipart/signed body with its MIME-Version and
 * Content-Type header.  The signature is made as the part is written
 * (CMS_STREAM), over entity's bytes exactly as they are (CMS_BINARY). */
static gboolean
append_signed (GString        *out,
               const char     *entity,
               SkCertificate  *signer,
               GError        **error)
{
  const int flags = CMS_DETACHED | CMS_BINARY | CMS_STREAM;
  CMS_ContentInfo *cms = NULL;
  BIO *content = NULL;
  BIO *written = NULL;
  char *data = NULL;
  long length;
  gboolean ok = FALSE;

  /* Partial, to name the digest: CMS_sign() would take the key's default. */
  cms = CMS_sign (NULL, NULL, sk_certificate_get_chain (signer), NULL, flags | CMS_PARTIAL);
  if (cms == NULL
      || CMS_add1_signer (cms, sk_certificate_get_x509 (signer),
                          sk_certificate_get_private_key (signer), EVP_sha256 (),
                          flags | CMS_PARTIAL) == NULL)
    {
      signing_failed (error, "CMS_add1_signer");
      goto out;
    }

  content = BIO_new_mem_buf (entity, -1);
  written = BIO_new (BIO_s_mem ());
  if (SMIME_write_CMS (written, cms, content, flags | CMS_CRLFEOL) != 1)
    {
      signing_failed (error, "SMIME_write_CMS");
      goto out;
    }

  length = BIO_get_mem_data (written, &data);
  append_crlf (out, data, length);
  ok = TRUE;

out:
  BIO_free (written);
  BIO_free (content);
  CMS_ContentInfo_free (cms);
  ERR_clear_error ();

  return ok;
}

GBytes *
sk_test_message_build (SkAccount      *account,
                       SkCertificate  *signer,
                       GDateTime      *date,
                       char          **message_id,
                       GError        **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GString) message = NULL;
  g_autoptr(GString) entity = NULL;
  g_autofree char *address = NULL;
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (SK_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (signer == NULL || SK_IS_CERTIFICATE (signer), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sk_email_is_valid (sk_account_get_email (account)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter a valid e-mail address on tab 1: the test message is "
                             "sent from it and to it."));
      return NULL;
    }

  if (signer != NULL && sk_certificate_get_private_key (signer) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The certificate’s private key is not at hand, so the message "
                             "cannot be signed."));
      return NULL;
    }

  if (date == NULL)
    date = now = g_date_time_new_now_local ();

  address = header_address (sk_account_get_email (account));
  id = new_message_id (address);
  message = g_string_new (NULL);

  g_string_append (message, "Date: ");
  append_date (message, date);
  g_string_append (message, "\r\nFrom: ");
  append_mailbox (message, sk_account_get_full_name (account), address);
  g_string_append (message, "\r\nTo: ");
  append_mailbox (message, sk_account_get_full_name (account), address);
  g_string_append (message, "\r\nSubject: ");
  append_text (message, _("Skrzynka test message"));
  g_string_append_printf (message, "\r\nMessage-ID: %s\r\n", id);

  /* The part a signature covers: its own headers, then the text. */
  entity = g_string_new ("Content-Type: text/plain; charset=UTF-8\r\n"
                         "Content-Transfer-Encoding: quoted-printable\r\n"
                         "\r\n");
  text = body_text (account, signer);
  append_quoted_printable (entity, text);

  if (signer == NULL)
    {
      g_string_append (message, "MIME-Version: 1.0\r\n");
      g_string_append_len (message, entity->str, entity->len);
    }
  else if (!append_signed (message, entity->str, signer, error))
    {
      return NULL;
    }

  if (message_id != NULL)
    *message_id = g_steal_pointer (&id);

  return g_bytes_new (message->str, message->len);
}

/* Sending */

typedef struct
{
  char     *account_name;
  char     *message_id;
  gboolean  is_signed;
} SendInfo;

static void
send_info_free (SendInfo *info)
{
  g_free (info->account_name);
  g_free (info->message_id);
  g_free (info);
}

/* The value of a top-level header, unfolded, or NULL. */
static char *
find_header (GBytes     *message,
             const char *name)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  const char *end = g_strstr_len (data, length, "\r\n\r\n");
  gsize name_length = strlen (name);
  GString *value = NULL;

  if (end == NULL)
    return NULL;

  head = g_strndup (data, end - data);
  lines = g_strsplit (head, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (value != NULL && (line[0] == ' ' || line[0] == '\t'))
        {
          g_string_append (value, line);
          continue;
        }
      if (value != NULL)
        break;

      if (g_ascii_strncasecmp (line, name, name_length) == 0 && line[name_length] == ':')
        value = g_string_new (line + name_length + 1);
    }

  return value != NULL ? g_strstrip (g_string_free (value, FALSE)) : NULL;
}

static void
message_sent (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendInfo *info = g_task_get_task_data (task);
  GError *error = NULL;
  SkSendResult *send_result = sk_connection_send_finish (result, &error);

  if (send_result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  send_result->account_name = g_steal_pointer (&info->account_name);
  send_result->message_id = g_steal_pointer (&info->message_id);
  send_result->is_signed = info->is_signed;
  g_task_return_pointer (task, send_result, (GDestroyNotify) sk_send_result_free);
}

void
sk_test_message_send_async (SkAccount            *account,
                            GBytes               *message,
                            const SkTestOptions  *options,
                            SkTestProgressFunc    progress,
                            gpointer              progress_data,
                            GDestroyNotify        progress_destroy,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *content_type = NULL;
  SendInfo *info;

  g_return_if_fail (SK_IS_ACCOUNT (account));
  g_return_if_fail (message != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_test_message_send_async);
  /* A cancelled sending still has a result: it says "cancelled". */
  g_task_set_check_cancellable (task, FALSE);

  info = g_new0 (SendInfo, 1);
  info->account_name = g_strdup (sk_account_get_name (account));
  info->message_id = find_header (message, "Message-ID");
  content_type = find_header (message, "Content-Type");
  info->is_signed = content_type != NULL
                    && g_ascii_strncasecmp (content_type, "multipart/signed", 16) == 0;
  g_task_set_task_data (task, info, (GDestroyNotify) send_info_free);

  sk_connection_send_async (account, message, options,
                            progress, progress_data, progress_destroy,
                            cancellable, message_sent, g_steal_pointer (&task));
}

SkSendResult *
sk_test_message_send_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_test_message_send_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sk_send_result_free (SkSendResult *result)
{
  if (result == NULL)
    return;

  g_free (result->account_name);
  sk_side_result_free (result->side);
  g_free (result->final_reply);
  g_free (result->message_id);
  g_free (result);
}
