/* fuzz-oauth2.c — what a token endpoint answers (RFC 6749 §5.1, §5.2) and
 * what a mail server says when it refuses a token (the JSON in base64
 * after "+ " or "334 "): tokens only from a well-formed answer, a reason
 * a person can read from anything else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/sk-oauth2.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOAuth2Tokens) tokens = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *status = NULL;
  guint http_status = size > 0 && data[0] == '{' ? 200 : 400;

  tokens = sk_oauth2_tokens_parse (http_status, bytes, &error);
  if (tokens != NULL)
    {
      if (tokens->access_token == NULL || *tokens->access_token == '\0')
        fuzz_fail ("tokens without an access token");
      if (error != NULL)
        fuzz_fail ("tokens and an error");
      (void) sk_oauth2_tokens_expired (tokens);
    }
  else if (error == NULL || error->domain != SK_OAUTH2_ERROR
           || !g_utf8_validate (error->message, -1, NULL))
    {
      fuzz_fail ("a refusal without an SK_OAUTH2_ERROR that can be read");
    }

  status = sk_oauth2_refusal_status (text);
  if (status != NULL && !g_utf8_validate (status, -1, NULL))
    fuzz_fail ("a refusal status that is not UTF-8");

  return 0;
}
