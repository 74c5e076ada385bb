/* sk-transcript.c — the conversation with a server, password-free, and what
 * it shows about the login
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Test"

#include "config.h"

#include <string.h>

#include "sk-oauth2.h"
#include "sk-transcript.h"

#define PLACEHOLDER "********"

/* A hostile server can talk for as long as the timeout lasts: keep the
 * beginning and the end (where a failure shows), and say how much of the
 * middle was left out. */
#define MAX_HEAD_LINES   300
#define MAX_TAIL_LINES   100
#define MAX_LINE_CHARS   500
#define MAX_PARTIAL      (64 * 1024)
#define MAX_REPLY_CHARS  4096

struct _SkTranscript
{
  SkProtocol  protocol;

  /* The password and the base64 forms in which it can cross the wire. */
  GPtrArray  *secrets;

  /* An unfinished line per source, unredacted until it ends: wiped. */
  GString    *partial[3];
  /* The line was cut at MAX_PARTIAL: its rest, up to the next LF, is
   * dropped, as it could start with the tail of a password that only the
   * whole line's command would have hidden. */
  gboolean    skipping[3];

  GString    *head;
  guint       n_head_lines;
  GQueue      tail;              /* of char *, each line with its prefix */
  guint       n_left_out;

  gboolean    secure;
  SkExchange  exchange;
  char       *last_reply;
  gboolean    reply_continues;   /* the next line belongs to the last reply */

  /* The login under way. */
  char       *token_refusal;     /* the status of a refused token, or NULL */
  char       *login_tag;         /* IMAP: the tag of LOGIN or AUTHENTICATE */
  gboolean    awaiting_login;    /* POP3: PASS or APOP sent, reply pending */
  gboolean    in_sasl;           /* between AUTH(ENTICATE) and its result */
};

static void
wipe_string (GString *string)
{
  explicit_bzero (string->str, string->allocated_len);
  g_string_truncate (string, 0);
}

static void
wipe_free (gpointer data)
{
  char *secret = data;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
add_base64_secret (SkTranscript *self,
                   const char   *data,
                   gsize         length)
{
  g_ptr_array_add (self->secrets, g_base64_encode ((const guchar *) data, length));
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  gsize length_a = strlen (*(const char * const *) a);
  gsize length_b = strlen (*(const char * const *) b);

  return length_a < length_b ? 1 : length_a > length_b ? -1 : 0;
}

SkTranscript *
sk_transcript_new (SkProtocol  protocol,
                   const char *username,
                   const char *password)
{
  SkTranscript *self = g_new0 (SkTranscript, 1);
  g_autofree char *xoauth2 = NULL;

  self->protocol = protocol;
  self->secrets = g_ptr_array_new_with_free_func (wipe_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->partial); i++)
    self->partial[i] = g_string_new (NULL);
  self->head = g_string_new (NULL);
  g_queue_init (&self->tail);

  if (password != NULL && *password != '\0')
    {
      gsize user_length = username ? strlen (username) : 0;
      gsize password_length = strlen (password);
      g_autoptr(GString) plain = g_string_new (NULL);

      g_ptr_array_add (self->secrets, g_strdup (password));
      /* SASL LOGIN sends the password alone; SASL PLAIN sends
       * "authzid NUL user NUL password", with or without the authzid. */
      add_base64_secret (self, password, password_length);

      g_string_append_c (plain, '\0');
      g_string_append_len (plain, username ? username : "", user_length);
      g_string_append_c (plain, '\0');
      g_string_append_len (plain, password, password_length);
      add_base64_secret (self, plain->str, plain->len);

      g_string_prepend_len (plain, username ? username : "", user_length);
      add_base64_secret (self, plain->str, plain->len);

      wipe_string (plain);

      /* An access token goes in SASL XOAUTH2's initial response. */
      xoauth2 = sk_oauth2_xoauth2_response (username ? username : "", password);
      add_base64_secret (self, xoauth2, strlen (xoauth2));
      explicit_bzero (xoauth2, strlen (xoauth2));

      /* The longest first: a shorter form can be part of a longer one. */
      g_ptr_array_sort (self->secrets, longest_first);
    }

  return self;
}

void
sk_transcript_free (SkTranscript *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->secrets);
  for (guint i = 0; i < G_N_ELEMENTS (self->partial); i++)
    {
      wipe_string (self->partial[i]);
      g_string_free (self->partial[i], TRUE);
    }
  g_string_free (self->head, TRUE);
  g_queue_clear_full (&self->tail, g_free);
  g_free (self->last_reply);
  g_free (self->login_tag);
  g_free (self->token_refusal);
  g_free (self);
}

void
sk_transcript_begin_connection (SkTranscript *self)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (self->partial); i++)
    {
      wipe_string (self->partial[i]);
      self->skipping[i] = FALSE;
    }

  memset (&self->exchange, 0, sizeof self->exchange);
  self->secure = FALSE;
  self->reply_continues = FALSE;
  g_clear_pointer (&self->login_tag, g_free);
  g_clear_pointer (&self->token_refusal, g_free);
  self->awaiting_login = FALSE;
  self->in_sasl = FALSE;
}

void
sk_transcript_set_secure (SkTranscript *self)
{
  g_return_if_fail (self != NULL);

  self->secure = TRUE;
}

const char *
sk_transcript_get_token_refusal (SkTranscript *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->token_refusal;
}

const SkExchange *
sk_transcript_get_exchange (SkTranscript *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->exchange;
}

const char *
sk_transcript_get_last_reply (SkTranscript *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->last_reply;
}

/* Reading lines */

static gboolean
starts_with_ci (const char *text,
                const char *prefix)
{
  return g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

/* The word at *p (up to a space), advancing past it and the spaces after. */
static char *
next_word (const char **p)
{
  const char *start = *p;
  const char *end = start;
  char *word;

  while (*end != '\0' && *end != ' ')
    end++;

  word = g_strndup (start, end - start);
  while (*end == ' ')
    end++;
  *p = end;

  return word;
}

/* An IMAP astring as libcurl writes it: an atom, or a quoted string with
 * backslash escapes. */
static char *
next_astring (const char **p)
{
  const char *start = *p;
  const char *end = start;
  char *word;

  if (*end != '"')
    return next_word (p);

  for (end++; *end != '\0' && *end != '"'; end++)
    if (*end == '\\' && end[1] != '\0')
      end++;
  if (*end == '"')
    end++;

  word = g_strndup (start, end - start);
  while (*end == ' ')
    end++;
  *p = end;

  return word;
}

static gboolean
has_word_ci (const char *text,
             const char *word)
{
  gsize length = strlen (word);

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((p == text || p[-1] == ' ' || p[-1] == '[' || p[-1] == '-')
          && g_ascii_strncasecmp (p, word, length) == 0
          && (p[length] == '\0' || p[length] == ' ' || p[length] == ']'))
        return TRUE;
    }

  return FALSE;
}

/* "COMMAND ********", keeping the command and (if any) the mechanism. */
static char *
hide_after_words (const char *line,
                  guint       n_words)
{
  const char *p = line;
  g_autoptr(GString) shown = g_string_new (NULL);

  for (guint i = 0; i < n_words && *p != '\0'; i++)
    {
      g_autofree char *word = next_word (&p);

      if (shown->len > 0)
        g_string_append_c (shown, ' ');
      g_string_append (shown, word);
    }

  if (*p != '\0')
    g_string_append (shown, " " PLACEHOLDER);

  return g_string_free (g_steal_pointer (&shown), FALSE);
}

/* A refused token's JSON is the server's and names no secret: it is shown
 * decoded, for IT support. */
static char *
show_token_refusal (SkTranscript *self,
                    const char   *line,
                    gsize         prefix_length)
{
  g_autofree char *status = sk_oauth2_refusal_status (line);
  g_autofree guchar *json = NULL;
  gsize length = 0;

  if (status == NULL)
    return NULL;

  g_free (self->token_refusal);
  self->token_refusal = g_steal_pointer (&status);

  json = g_base64_decode (line + prefix_length + 1, &length);
  return g_strdup_printf ("%.*s %.*s", (int) prefix_length, line, (int) length, json);
}

/* A SASL continuation ("+ payload", "334 payload"): the prefix stays. */
static char *
hide_continuation (SkTranscript *self,
                   const char   *line,
                   gsize         prefix_length)
{
  const char *payload = line + prefix_length;
  char *refusal = show_token_refusal (self, line, prefix_length);

  if (refusal != NULL)
    return refusal;

  while (*payload == ' ')
    payload++;

  if (*payload == '\0')
    return g_strdup (line);

  return g_strdup_printf ("%.*s " PLACEHOLDER, (int) prefix_length, line);
}

static char *
imap_client_line (SkTranscript *self,
                  const char   *line)
{
  const char *p = line;
  g_autofree char *tag = NULL;
  g_autofree char *command = NULL;

  if (self->in_sasl)
    return g_strdup (*line != '\0' ? PLACEHOLDER : "");

  tag = next_word (&p);
  command = next_word (&p);

  if (g_ascii_strcasecmp (command, "LOGIN") == 0)
    {
      g_autofree char *user = next_astring (&p);

      self->exchange.login_attempted = TRUE;
      g_free (self->login_tag);
      self->login_tag = g_strdup (tag);

      return g_strdup_printf ("%s %s %s " PLACEHOLDER, tag, command, user);
    }

  if (g_ascii_strcasecmp (command, "AUTHENTICATE") == 0)
    {
      self->exchange.login_attempted = TRUE;
      self->in_sasl = TRUE;
      g_free (self->login_tag);
      self->login_tag = g_strdup (tag);

      return hide_after_words (line, 3);
    }

  return g_strdup (line);
}

static char *
imap_server_line (SkTranscript *self,
                  const char   *line)
{
  if (!self->exchange.greeted && starts_with_ci (line, "* PREAUTH"))
    self->exchange.preauth = TRUE;

  if (starts_with_ci (line, "* CAPABILITY ") || has_word_ci (line, "[CAPABILITY"))
    self->exchange.starttls_offered |= has_word_ci (line, "STARTTLS");

  if (self->login_tag != NULL
      && g_str_has_prefix (line, self->login_tag)
      && line[strlen (self->login_tag)] == ' ')
    {
      const char *status = line + strlen (self->login_tag) + 1;

      self->exchange.logged_in = starts_with_ci (status, "OK");
      self->in_sasl = FALSE;
      g_clear_pointer (&self->login_tag, g_free);

      return g_strdup (line);
    }

  if (self->in_sasl && line[0] == '+')
    return hide_continuation (self, line, 1);

  return g_strdup (line);
}

static char *
pop3_client_line (SkTranscript *self,
                  const char   *line)
{
  if (self->in_sasl)
    return g_strdup (*line != '\0' ? PLACEHOLDER : "");

  if (starts_with_ci (line, "PASS ") || g_ascii_strcasecmp (line, "PASS") == 0)
    {
      self->exchange.login_attempted = TRUE;
      self->awaiting_login = TRUE;
      return hide_after_words (line, 1);
    }

  if (starts_with_ci (line, "APOP "))
    {
      self->exchange.login_attempted = TRUE;
      self->awaiting_login = TRUE;
      return hide_after_words (line, 2);
    }

  if (starts_with_ci (line, "AUTH "))
    {
      self->exchange.login_attempted = TRUE;
      self->in_sasl = TRUE;
      return hide_after_words (line, 2);
    }

  return g_strdup (line);
}

static char *
pop3_server_line (SkTranscript *self,
                  const char   *line)
{
  gboolean ok = starts_with_ci (line, "+OK");
  gboolean err = starts_with_ci (line, "-ERR");

  if (self->in_sasl || self->awaiting_login)
    {
      if (ok || err)
        {
          self->exchange.logged_in = ok;
          self->in_sasl = FALSE;
          self->awaiting_login = FALSE;
        }
      else if (self->in_sasl && line[0] == '+')
        {
          return hide_continuation (self, line, 1);
        }
    }

  /* A line of the CAPA list. */
  if (g_ascii_strcasecmp (line, "STLS") == 0)
    self->exchange.starttls_offered = TRUE;

  return g_strdup (line);
}

static char *
smtp_client_line (SkTranscript *self,
                  const char   *line)
{
  if (self->in_sasl)
    return g_strdup (*line != '\0' ? PLACEHOLDER : "");

  if (starts_with_ci (line, "AUTH "))
    {
      self->exchange.login_attempted = TRUE;
      self->in_sasl = TRUE;
      return hide_after_words (line, 2);
    }

  return g_strdup (line);
}

static gboolean
is_smtp_reply (const char *line)
{
  return g_ascii_isdigit (line[0]) && g_ascii_isdigit (line[1]) && g_ascii_isdigit (line[2])
         && (line[3] == ' ' || line[3] == '-' || line[3] == '\0');
}

static char *
smtp_server_line (SkTranscript *self,
                  const char   *line)
{
  if (!is_smtp_reply (line))
    return g_strdup (line);

  /* An EHLO keyword line: "250-STARTTLS". */
  if (g_str_has_prefix (line, "250") && line[3] != '\0'
      && g_ascii_strcasecmp (line + 4, "STARTTLS") == 0)
    self->exchange.starttls_offered = TRUE;

  if (self->in_sasl)
    {
      if (g_str_has_prefix (line, "334"))
        return hide_continuation (self, line, 3);

      self->exchange.logged_in = g_str_has_prefix (line, "235");
      self->in_sasl = FALSE;
    }

  return g_strdup (line);
}

/* Every literal or base64 form of the password, wherever it stands (a
 * server echoing it back, a note quoting a command). */
static char *
hide_secrets (SkTranscript *self,
              char         *line)
{
  for (guint i = 0; i < self->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (self->secrets, i);
      g_autoptr(GString) shown = NULL;
      const char *rest = line;
      const char *found;

      if (strstr (line, secret) == NULL)
        continue;

      shown = g_string_new (NULL);
      while ((found = strstr (rest, secret)) != NULL)
        {
          g_string_append_len (shown, rest, found - rest);
          g_string_append (shown, PLACEHOLDER);
          rest = found + strlen (secret);
        }
      g_string_append (shown, rest);

      explicit_bzero (line, strlen (line));
      g_free (line);
      line = g_string_free (g_steal_pointer (&shown), FALSE);
    }

  return line;
}

/* Valid UTF-8 without control characters, at most MAX_LINE_CHARS long:
 * what a dialog, a terminal and a JSON string can all take. */
static char *
make_printable (const char *line)
{
  g_autofree char *valid = g_utf8_make_valid (line, -1);
  g_autoptr(GString) shown = g_string_new (NULL);
  guint n_chars = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars++ == MAX_LINE_CHARS)
        {
          g_string_append (shown, "…");
          break;
        }

      if (c == '\t' || !g_unichar_iscntrl (c))
        g_string_append_unichar (shown, c);
      else
        g_string_append_c (shown, '?');
    }

  return g_string_free (g_steal_pointer (&shown), FALSE);
}

/* The lines of one reply belong together: those of a multi-line SMTP
 * reply, and the untagged lines an IMAP server sends before the tagged
 * answer to a login (Google's "* NO [WEBALERT …]" is one).  A server that
 * never ends a reply leaves its latest lines. */
static void
remember_reply (SkTranscript *self,
                const char   *line)
{
  gboolean continues = self->protocol == SK_PROTOCOL_SMTP
                       ? is_smtp_reply (line) && line[3] == '-'
                       : self->protocol == SK_PROTOCOL_IMAP && line[0] == '*'
                         && self->login_tag != NULL;

  /* Only SMTP and IMAP replies continue; an SMTP one keeps its code. */
  if (self->reply_continues && self->last_reply != NULL
      && strlen (self->last_reply) + strlen (line) < MAX_REPLY_CHARS
      && (self->protocol != SK_PROTOCOL_SMTP
          || (is_smtp_reply (line) && strncmp (self->last_reply, line, 3) == 0)))
    {
      char *joined = g_strconcat (self->last_reply, "\n", line, NULL);

      g_free (self->last_reply);
      self->last_reply = joined;
    }
  else
    {
      g_free (self->last_reply);
      self->last_reply = g_strdup (line);
    }

  self->reply_continues = continues;
}

static char *
read_line (SkTranscript *self,
           SkLineSource  source,
           const char   *line)
{
  switch (source)
    {
    case SK_LINE_CLIENT:
      switch (self->protocol)
        {
        case SK_PROTOCOL_IMAP:
          return imap_client_line (self, line);
        case SK_PROTOCOL_POP3:
          return pop3_client_line (self, line);
        case SK_PROTOCOL_SMTP:
          return smtp_client_line (self, line);
        default:
          g_assert_not_reached ();
        }

    case SK_LINE_SERVER:
      {
        char *shown;

        switch (self->protocol)
          {
          case SK_PROTOCOL_IMAP:
            shown = imap_server_line (self, line);
            break;
          case SK_PROTOCOL_POP3:
            shown = pop3_server_line (self, line);
            break;
          case SK_PROTOCOL_SMTP:
            shown = smtp_server_line (self, line);
            break;
          default:
            g_assert_not_reached ();
          }

        self->exchange.greeted = TRUE;
        return shown;
      }

    case SK_LINE_NOTE:
      return g_strdup (line);

    default:
      g_assert_not_reached ();
    }
}

static void
add_line (SkTranscript *self,
          SkLineSource  source,
          const char   *line)
{
  static const char * const prefixes[] = {
    [SK_LINE_NOTE] = "* ",
    [SK_LINE_CLIENT] = "> ",
    [SK_LINE_SERVER] = "< ",
  };
  g_autofree char *shown = NULL;
  g_autofree char *printable = NULL;

  shown = hide_secrets (self, read_line (self, source, line));
  printable = make_printable (shown);

  if (source == SK_LINE_SERVER && self->secure)
    remember_reply (self, printable);

  if (self->n_head_lines < MAX_HEAD_LINES)
    {
      g_string_append (self->head, prefixes[source]);
      g_string_append (self->head, printable);
      g_string_append_c (self->head, '\n');
      self->n_head_lines++;
      return;
    }

  g_queue_push_tail (&self->tail, g_strconcat (prefixes[source], printable, "\n", NULL));
  if (self->tail.length > MAX_TAIL_LINES)
    {
      g_free (g_queue_pop_head (&self->tail));
      self->n_left_out++;
    }
}

void
sk_transcript_feed (SkTranscript *self,
                    SkLineSource  source,
                    const char   *data,
                    gsize         length)
{
  GString *partial;

  g_return_if_fail (self != NULL);
  g_return_if_fail (source <= SK_LINE_SERVER);
  g_return_if_fail (data != NULL || length == 0);

  partial = self->partial[source];
  for (gsize i = 0; i < length; i++)
    {
      if (self->skipping[source])
        {
          self->skipping[source] = data[i] != '\n';
          continue;
        }

      if (data[i] == '\n' || partial->len >= MAX_PARTIAL)
        {
          /* Lines end in CRLF on the wire; libcurl's notes in LF alone. */
          if (partial->len > 0 && partial->str[partial->len - 1] == '\r')
            partial->str[--partial->len] = '\0';

          add_line (self, source, partial->str);
          wipe_string (partial);

          self->skipping[source] = data[i] != '\n';
          continue;
        }

      g_string_append_c (partial, data[i]);
    }
}

char *
sk_transcript_to_string (SkTranscript *self)
{
  GString *text;

  g_return_val_if_fail (self != NULL, NULL);

  text = g_string_new (self->head->str);
  if (self->n_left_out > 0)
    g_string_append_printf (text, "* … %u lines left out …\n", self->n_left_out);
  for (GList *l = self->tail.head; l != NULL; l = l->next)
    g_string_append (text, l->data);

  return g_string_free (text, FALSE);
}
