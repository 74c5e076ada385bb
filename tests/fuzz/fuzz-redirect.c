/* fuzz-redirect.c — what reaches the loopback listener where the browser
 * comes back after signing in: any program on the computer can send it
 * anything.  Only a request with this sign-in's state gives a code or a
 * refusal, and a refusal's words can be shown and written as JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/sk-oauth2.h"
#include "core/sk-oauth2-redirect-private.h"
#include "fuzz-common.h"

#define STATE "the-state"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* The listener reads up to the first NUL, as a C string. */
  g_autofree char *head = g_strndup ((const char *) data, size);
  g_autofree char *code = NULL;
  g_autoptr(GError) refusal = NULL;
  SkRedirectRequest request = sk_oauth2_redirect_read (head, STATE, &code, &refusal);

  switch (request)
    {
    case SK_REDIRECT_CODE:
      if (code == NULL || *code == '\0' || refusal != NULL)
        fuzz_fail ("a code that is empty, or came with a refusal");
      /* Never without a state: the same request with another one must
       * not give a code. */
      {
        g_autofree char *other = NULL;
        g_autoptr(GError) other_refusal = NULL;

        if (sk_oauth2_redirect_read (head, "another-state", &other, &other_refusal)
            == SK_REDIRECT_CODE)
          fuzz_fail ("a code for any state");
      }
      break;

    case SK_REDIRECT_REFUSED:
      if (code != NULL || refusal == NULL || refusal->domain != SK_OAUTH2_ERROR)
        fuzz_fail ("a refusal that is not an SK_OAUTH2_ERROR");
      if (!g_utf8_validate (refusal->message, -1, NULL))
        fuzz_fail ("a refusal whose words are not UTF-8");
      break;

    case SK_REDIRECT_ELSEWHERE:
    case SK_REDIRECT_STRANGER:
    default:
      if (code != NULL || refusal != NULL)
        fuzz_fail ("a code or a refusal from a request that is not this sign-in's");
      break;
    }

  return 0;
}
