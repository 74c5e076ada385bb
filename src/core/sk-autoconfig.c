/* sk-autoconfig.c — mail settings for an address, as Thunderbird's
 * config-v1.1.xml files describe them
 *
 * The format: facts/autoconfig.md §1, after the Mozilla wiki page
 * "Thunderbird:Autoconfiguration:ConfigFileFormat" and what Thunderbird
 * itself reads (readFromXML.sys.mjs).  Where the two differ, Thunderbird's
 * reading is followed, since providers test their files against it.
 *
 * GMarkup reads no DTD and expands only XML's five predefined entities, so
 * a hostile file can neither reach other files nor grow in memory beyond
 * the size cap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Detect"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-account.h"
#include "sk-autoconfig.h"

G_DEFINE_QUARK (sk-autoconfig-error-quark, sk_autoconfig_error)

/* A text in one language, as <descr lang> and <instruction lang> give. */
typedef struct
{
  char *lang;
  char *text;
} Translation;

/* One <incomingServer> or <outgoingServer> while it is read. */
typedef struct
{
  gboolean    unusable;     /* a type Skrzynka does not speak */
  SkProtocol  protocol;
  char       *hostname;
  char       *port;
  gboolean    have_security;
  SkSecurity  security;
  GPtrArray  *methods;      /* the <authentication> values, in order */
  char       *username;
} ServerBlock;

typedef struct
{
  const char       *address;
  const char       *local_part;
  const char       *domain;
  SkOAuth2HostFunc  oauth2_known;
  gpointer          oauth2_data;

  GPtrArray        *stack;        /* element names, the root first */
  GString          *text;         /* of the innermost element */
  ServerBlock      *block;
  char             *notes_url;    /* of <documentation> or <enable> */
  GPtrArray        *translations; /* of its Translation */
  SkAutoconfig     *config;
} Parser;

static void
translation_free (gpointer data)
{
  Translation *translation = data;

  g_free (translation->lang);
  g_free (translation->text);
  g_free (translation);
}

static void
server_block_free (ServerBlock *block)
{
  if (block == NULL)
    return;

  g_free (block->hostname);
  g_free (block->port);
  g_free (block->username);
  g_ptr_array_unref (block->methods);
  g_free (block);
}

static void
set_str (char       **field,
         const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

SkFoundServer *
sk_found_server_new (SkServer *server,
                     SkLogin   login)
{
  SkFoundServer *found = g_new0 (SkFoundServer, 1);

  g_return_val_if_fail (server != NULL, NULL);

  found->server = server;
  found->login = login;

  return found;
}

void
sk_found_server_free (SkFoundServer *found)
{
  if (found == NULL)
    return;

  sk_server_free (found->server);
  g_free (found);
}

SkAutoconfig *
sk_autoconfig_new (void)
{
  SkAutoconfig *config = g_new0 (SkAutoconfig, 1);

  config->incoming = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_found_server_free);
  config->outgoing = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_found_server_free);
  config->notes = g_ptr_array_new_with_free_func (g_free);

  return config;
}

void
sk_autoconfig_free (SkAutoconfig *config)
{
  if (config == NULL)
    return;

  g_free (config->provider_id);
  g_free (config->display_name);
  g_ptr_array_unref (config->incoming);
  g_ptr_array_unref (config->outgoing);
  g_ptr_array_unref (config->notes);
  g_free (config);
}

const char *
sk_login_to_string (SkLogin login)
{
  switch (login)
    {
    case SK_LOGIN_PASSWORD:
      return "password";
    case SK_LOGIN_OAUTH2:
      return "oauth2";
    case SK_LOGIN_NONE:
      return "none";
    default:
      g_return_val_if_reached (NULL);
    }
}

static gboolean
is_clean_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;

  return TRUE;
}

gboolean
sk_address_split (const char  *address,
                  char       **local_part,
                  char       **domain)
{
  const char *at;

  g_return_val_if_fail (address != NULL, FALSE);

  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0'
      || !g_utf8_validate (address, -1, NULL) || !is_clean_text (address)
      || strchr (at + 1, '.') == NULL)
    return FALSE;

  if (local_part != NULL)
    *local_part = g_strndup (address, at - address);
  if (domain != NULL)
    *domain = g_ascii_strdown (at + 1, -1);

  return TRUE;
}

/* Thunderbird replaces placeholders as substrings anywhere in a value
 * (AccountConfig.replaceVariables), so composite user names such as
 * "%EMAILLOCALPART%.%EMAILDOMAIN%" (facts/autoconfig.md, ISPDB counts) work;
 * GOA compares whole values and would drop them.  Only Thunderbird's
 * address placeholders are replaced: %EMAILHOSTPART% occurs in no reader or
 * published file found, so it is left as written (a user name holding it
 * is not used, see end_server_field()). */
static char *
replace_placeholders (Parser     *parser,
                      const char *value)
{
  static const char *names[] = {
    "%EMAILADDRESS%", "%EMAILLOCALPART%", "%EMAILDOMAIN%",
  };
  const char *values[] = {
    parser->address, parser->local_part, parser->domain,
  };
  GString *out = g_string_new (value);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_string_replace (out, names[i], values[i], 0);

  return g_strstrip (g_string_free (out, FALSE));
}

static const char *
parent_name (Parser *parser,
             guint   up)
{
  if (parser->stack->len < up + 1)
    return "";

  return g_ptr_array_index (parser->stack, parser->stack->len - 1 - up);
}

static gboolean
in_provider (Parser *parser)
{
  return parser->stack->len >= 2
         && g_str_equal (g_ptr_array_index (parser->stack, 0), "clientConfig")
         && g_str_equal (g_ptr_array_index (parser->stack, 1), "emailProvider");
}

static const char *
find_attribute (const char  *wanted,
                const char **names,
                const char **values)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], wanted))
      return values[i];

  return NULL;
}

static void
start_server (Parser      *parser,
              gboolean     incoming,
              const char  *type)
{
  ServerBlock *block = g_new0 (ServerBlock, 1);

  block->methods = g_ptr_array_new_with_free_func (g_free);
  /* Other types (exchange, ews, jmap, …) are Thunderbird's or the newer
   * draft's: nothing Skrzynka can log in to. */
  if (incoming && g_strcmp0 (type, "imap") == 0)
    block->protocol = SK_PROTOCOL_IMAP;
  else if (incoming && g_strcmp0 (type, "pop3") == 0)
    block->protocol = SK_PROTOCOL_POP3;
  else if (!incoming && g_strcmp0 (type, "smtp") == 0)
    block->protocol = SK_PROTOCOL_SMTP;
  else
    block->unusable = TRUE;

  server_block_free (parser->block);
  parser->block = block;
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  Parser *parser = user_data;
  const char *parent = parent_name (parser, 0);

  if (parser->stack->len == 0 && !g_str_equal (element, "clientConfig"))
    {
      g_set_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_MALFORMED,
                   _("The file does not describe mail settings."));
      return;
    }

  g_ptr_array_add (parser->stack, g_strdup (element));
  g_string_truncate (parser->text, 0);

  if (g_str_equal (element, "emailProvider") && g_str_equal (parent, "clientConfig"))
    {
      const char *id = find_attribute ("id", names, values);

      g_free (parser->config->provider_id);
      parser->config->provider_id = id != NULL ? replace_placeholders (parser, id) : NULL;
    }
  else if (in_provider (parser) && parser->stack->len == 3
           && (g_str_equal (element, "incomingServer") || g_str_equal (element, "outgoingServer")))
    start_server (parser, g_str_equal (element, "incomingServer"),
                  find_attribute ("type", names, values));
  else if (in_provider (parser) && parser->stack->len == 3
           && (g_str_equal (element, "documentation") || g_str_equal (element, "enable")))
    {
      const char *url = find_attribute (g_str_equal (element, "enable") ? "visiturl" : "url",
                                        names, values);

      g_free (parser->notes_url);
      parser->notes_url = url != NULL ? replace_placeholders (parser, url) : NULL;
      g_ptr_array_set_size (parser->translations, 0);
    }
  else if (in_provider (parser) && parser->stack->len == 4
           && ((g_str_equal (element, "descr") && g_str_equal (parent, "documentation"))
               || (g_str_equal (element, "instruction") && g_str_equal (parent, "enable"))))
    {
      Translation *translation = g_new0 (Translation, 1);

      translation->lang = g_strdup (find_attribute ("lang", names, values));
      g_ptr_array_add (parser->translations, translation);
    }
}

static void
text (GMarkupParseContext  *context,
      const char           *text,
      gsize                 length,
      gpointer              user_data,
      GError              **error)
{
  Parser *parser = user_data;

  g_string_append_len (parser->text, text, length);
}

/* Thunderbird takes the first <socketType> it supports. */
static void
read_socket_type (ServerBlock *block,
                  const char  *value)
{
  if (block->have_security)
    return;

  if (g_ascii_strcasecmp (value, "SSL") == 0)
    block->security = SK_SECURITY_SSL;
  else if (g_ascii_strcasecmp (value, "STARTTLS") == 0)
    block->security = SK_SECURITY_STARTTLS;
  else if (g_ascii_strcasecmp (value, "plain") == 0)
    block->security = SK_SECURITY_NONE;
  else
    return;

  block->have_security = TRUE;
}

/* The first method Skrzynka can do wins, as the draft says a client "MUST
 * skip" the ones it cannot use (facts/autoconfig.md, <authentication>
 * values).  GSSAPI and TLS client certificates are skipped; "none" and its
 * kin count only for SMTP, as in Thunderbird; OAuth2 only for a host whose
 * sign-in provider is known, as Thunderbird checks OAuth2Providers. */
static gboolean
choose_login (Parser       *parser,
              ServerBlock  *block,
              SkLogin      *login,
              SkAuthMethod *method)
{
  gboolean smtp = block->protocol == SK_PROTOCOL_SMTP;

  for (guint i = 0; i < block->methods->len; i++)
    {
      const char *value = g_ptr_array_index (block->methods, i);

      *method = SK_AUTH_METHOD_AUTO;
      *login = SK_LOGIN_PASSWORD;
      if (g_str_equal (value, "password-cleartext") || g_str_equal (value, "plain"))
        return TRUE;
      if (g_str_equal (value, "password-encrypted") || g_str_equal (value, "secure"))
        {
          *method = SK_AUTH_METHOD_CRAM_MD5;
          return TRUE;
        }
      if (g_str_equal (value, "NTLM"))
        {
          *method = SK_AUTH_METHOD_NTLM;
          return TRUE;
        }

      *login = SK_LOGIN_OAUTH2;
      if (g_str_equal (value, "OAuth2") && parser->oauth2_known != NULL
          && parser->oauth2_known (block->hostname, parser->oauth2_data))
        return TRUE;

      *login = SK_LOGIN_NONE;
      if (smtp && (g_str_equal (value, "none") || g_str_equal (value, "client-IP-address")
                   || g_str_equal (value, "smtp-after-pop")))
        return TRUE;
    }

  return FALSE;
}

static void
end_server_field (Parser     *parser,
                  const char *element,
                  const char *value)
{
  ServerBlock *block = parser->block;

  if (g_str_equal (element, "hostname"))
    set_str (&block->hostname, value);
  else if (g_str_equal (element, "port"))
    set_str (&block->port, value);
  else if (g_str_equal (element, "socketType"))
    read_socket_type (block, value);
  else if (g_str_equal (element, "authentication"))
    g_ptr_array_add (block->methods, g_strdup (value));
  /* A "%" left is a placeholder this reader does not know, or a typo in
   * the file: such a user name would only fail the login, so the address
   * stands in, as for a file that names none. */
  else if (g_str_equal (element, "username") && strchr (value, '%') != NULL)
    g_debug ("A user name with an unknown placeholder is not used: %s", value);
  else if (g_str_equal (element, "username"))
    set_str (&block->username, value);
}

static gboolean
read_port (const char *text,
           guint      *port)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return FALSE;

  *port = value;
  return TRUE;
}

/* A block without a host, a port, a socket type or a login Skrzynka can
 * do is dropped, as Thunderbird drops it; the file's other blocks stay. */
static void
end_server (Parser  *parser,
            gboolean incoming)
{
  g_autoptr(SkServer) server = NULL;
  ServerBlock *block = g_steal_pointer (&parser->block);
  SkLogin login;
  SkAuthMethod method;
  guint port;

  if (block == NULL || block->unusable || !sk_hostname_is_valid (block->hostname)
      || !read_port (block->port, &port) || !block->have_security
      || !choose_login (parser, block, &login, &method))
    {
      server_block_free (block);
      return;
    }

  server = sk_server_new (block->protocol);
  set_str (&server->host, block->hostname);
  server->port = port;
  server->security = block->security;
  server->auth_method = method;
  /* Most providers' files name the whole address (facts/autoconfig.md:
   * 395 of 523 ISPDB user names); a file without one means that too. */
  if (login != SK_LOGIN_NONE)
    server->username = g_strdup (block->username != NULL && *block->username != '\0'
                                 ? block->username : parser->address);

  g_ptr_array_add (incoming ? parser->config->incoming : parser->config->outgoing,
                   sk_found_server_new (g_steal_pointer (&server), login));
  server_block_free (block);
}

static const Translation *
best_translation (GPtrArray *translations)
{
  static const char *preferred[] = { "pl", "en" };

  for (guint i = 0; i < G_N_ELEMENTS (preferred); i++)
    for (guint j = 0; j < translations->len; j++)
      {
        const Translation *translation = g_ptr_array_index (translations, j);

        if (translation->lang != NULL && g_ascii_strcasecmp (translation->lang, preferred[i]) == 0)
          return translation;
      }

  return translations->len > 0 ? g_ptr_array_index (translations, 0) : NULL;
}

/* Files wrap long instructions over several indented lines. */
static char *
collapse_spaces (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\r\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }

  return g_string_free (out, FALSE);
}

/* The text in the best language, followed by the page it points to. */
static void
end_notes (Parser *parser)
{
  const Translation *translation = best_translation (parser->translations);
  g_autofree char *words = translation != NULL && translation->text != NULL
                           ? collapse_spaces (translation->text) : NULL;
  gboolean have_words = words != NULL && *words != '\0';
  gboolean have_url = parser->notes_url != NULL && g_str_has_prefix (parser->notes_url, "https://");

  if (have_words && have_url)
    g_ptr_array_add (parser->config->notes, g_strdup_printf ("%s %s", words, parser->notes_url));
  else if (have_words || have_url)
    g_ptr_array_add (parser->config->notes, g_strdup (have_words ? words : parser->notes_url));

  g_clear_pointer (&parser->notes_url, g_free);
  g_ptr_array_set_size (parser->translations, 0);
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element,
             gpointer              user_data,
             GError              **error)
{
  Parser *parser = user_data;
  g_autofree char *value = replace_placeholders (parser, parser->text->str);
  const char *parent = parent_name (parser, 1);
  gboolean top = in_provider (parser) && parser->stack->len == 3;

  if (top && g_str_equal (element, "displayName"))
    set_str (&parser->config->display_name, value);
  else if (top && g_str_equal (element, "incomingServer"))
    end_server (parser, TRUE);
  else if (top && g_str_equal (element, "outgoingServer"))
    end_server (parser, FALSE);
  else if (top && (g_str_equal (element, "documentation") || g_str_equal (element, "enable")))
    end_notes (parser);
  else if (in_provider (parser) && parser->stack->len == 4 && parser->block != NULL
           && (g_str_equal (parent, "incomingServer") || g_str_equal (parent, "outgoingServer")))
    end_server_field (parser, element, value);
  else if (in_provider (parser) && parser->stack->len == 4
           && (g_str_equal (element, "descr") || g_str_equal (element, "instruction"))
           && parser->translations->len > 0)
    {
      Translation *translation = g_ptr_array_index (parser->translations,
                                                    parser->translations->len - 1);

      set_str (&translation->text, value);
    }

  g_ptr_array_set_size (parser->stack, parser->stack->len - 1);
  g_string_truncate (parser->text, 0);
}

static const GMarkupParser markup_parser = {
  start_element,
  end_element,
  text,
  NULL,
  NULL,
};

static gboolean
check_input (GBytes      *bytes,
             const char  *address,
             char       **local_part,
             char       **domain,
             GError     **error)
{
  if (!sk_address_split (address, local_part, domain))
    {
      g_set_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_BAD_ADDRESS,
                   _("“%s” is not an e-mail address."), address);
      return FALSE;
    }

  if (g_bytes_get_size (bytes) > SK_AUTOCONFIG_MAX_SIZE)
    {
      g_set_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_TOO_LARGE,
                   _("The settings file is larger than %u KiB."),
                   SK_AUTOCONFIG_MAX_SIZE / 1024);
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_parser (Parser  *parser,
            GBytes  *bytes,
            GError **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;
  /* An empty GBytes may have no data at all. */
  const char *data = g_bytes_get_data (bytes, &size) ?: "";

  context = g_markup_parse_context_new (&markup_parser, G_MARKUP_TREAT_CDATA_AS_TEXT,
                                        parser, NULL);
  if (g_markup_parse_context_parse (context, data, size, &local_error)
      && g_markup_parse_context_end_parse (context, &local_error))
    return TRUE;

  /* GMarkup quotes the file, whatever bytes it holds: the reason is shown
   * to people and written as JSON, so it must be UTF-8. */
  if (!g_utf8_validate (local_error->message, -1, NULL))
    {
      char *valid = g_utf8_make_valid (local_error->message, -1);

      g_free (local_error->message);
      local_error->message = valid;
    }

  if (local_error->domain == SK_AUTOCONFIG_ERROR)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_MALFORMED,
                 _("The settings file is not valid XML: %s"), local_error->message);
  return FALSE;
}

SkAutoconfig *
sk_autoconfig_parse (GBytes            *bytes,
                     const char        *address,
                     SkOAuth2HostFunc   oauth2_known,
                     gpointer           user_data,
                     GError           **error)
{
  g_autofree char *local_part = NULL;
  g_autofree char *domain = NULL;
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) translations = g_ptr_array_new_with_free_func (translation_free);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(SkAutoconfig) config = sk_autoconfig_new ();
  Parser parser = { 0 };
  gboolean parsed;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_input (bytes, address, &local_part, &domain, error))
    return NULL;

  parser.address = address;
  parser.local_part = local_part;
  parser.domain = domain;
  parser.oauth2_known = oauth2_known;
  parser.oauth2_data = user_data;
  parser.stack = stack;
  parser.text = text;
  parser.translations = translations;
  parser.config = config;

  parsed = run_parser (&parser, bytes, error);
  server_block_free (parser.block);
  g_free (parser.notes_url);
  if (!parsed)
    return NULL;

  /* An account cannot be set up without a server to read mail from. */
  if (config->incoming->len == 0)
    {
      g_set_error (error, SK_AUTOCONFIG_ERROR, SK_AUTOCONFIG_ERROR_NO_SERVER,
                   _("The settings file names no server that can be used."));
      return NULL;
    }

  return g_steal_pointer (&config);
}
