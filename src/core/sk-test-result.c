/* sk-test-result.c — what a connection test found: its names and its JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sk-connection-test-private.h"
#include "sk-json.h"
#include "sk-server-trust.h"

void
sk_side_result_free (SkSideResult *side)
{
  if (side == NULL)
    return;

  g_free (side->host);
  sk_certificate_info_free (side->certificate);
  sk_diagnosis_free (side->diagnosis);
  g_free (side->server_reply);
  g_free (side->transcript);
  g_free (side);
}

void
sk_test_result_free (SkTestResult *result)
{
  if (result == NULL)
    return;

  g_free (result->account_name);
  for (guint i = 0; i < SK_N_TEST_SIDES; i++)
    sk_side_result_free (result->sides[i]);
  g_free (result);
}

/* Names */

static const char * const step_names[SK_N_TEST_STEPS] = {
  [SK_TEST_STEP_RESOLVE] = "resolve",
  [SK_TEST_STEP_CONNECT] = "connect",
  [SK_TEST_STEP_TLS] = "tls",
  [SK_TEST_STEP_GREETING] = "greeting",
  [SK_TEST_STEP_LOGIN] = "login",
};

const char *
sk_test_step_to_string (SkTestStep step)
{
  g_return_val_if_fail (step < SK_N_TEST_STEPS, NULL);

  return step_names[step];
}

/* JSON */

static void
json_seconds (GString *out,
              double   seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.2f", MAX (seconds, 0)));
}

/* The steps in the order they ran: TLS comes after the greeting with
 * STARTTLS, before it with SSL/TLS. */
static void
json_steps (GString      *out,
            SkSideResult *side)
{
  static const SkTestStep ssl_order[] = {
    SK_TEST_STEP_RESOLVE, SK_TEST_STEP_CONNECT, SK_TEST_STEP_TLS,
    SK_TEST_STEP_GREETING, SK_TEST_STEP_LOGIN,
  };
  static const SkTestStep starttls_order[] = {
    SK_TEST_STEP_RESOLVE, SK_TEST_STEP_CONNECT, SK_TEST_STEP_GREETING,
    SK_TEST_STEP_TLS, SK_TEST_STEP_LOGIN,
  };
  const SkTestStep *order = side->security == SK_SECURITY_SSL ? ssl_order : starttls_order;
  gboolean first = TRUE;

  g_string_append_c (out, '[');
  for (guint i = 0; i < SK_N_TEST_STEPS; i++)
    {
      SkTestStep step = order[i];
      SkStepState state = side->step_state[step];

      if (state != SK_STEP_OK && state != SK_STEP_FAILED)
        continue;

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;

      g_string_append_c (out, '{');
      sk_json_key (out, "step");
      sk_json_string (out, sk_test_step_to_string (step));
      g_string_append_c (out, ',');
      sk_json_key (out, "ok");
      sk_json_bool (out, state == SK_STEP_OK);
      g_string_append_c (out, ',');
      sk_json_key (out, "seconds");
      json_seconds (out, side->step_seconds[step]);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

static void
json_certificate (GString           *out,
                  SkCertificateInfo *certificate)
{
  if (certificate == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '{');
  sk_json_key (out, "subject");
  sk_json_string (out, certificate->subject);
  g_string_append_c (out, ',');
  sk_json_key (out, "issuer");
  sk_json_string (out, certificate->issuer);
  g_string_append_c (out, ',');
  sk_json_key (out, "not_before");
  sk_json_date (out, certificate->not_before);
  g_string_append_c (out, ',');
  sk_json_key (out, "not_after");
  sk_json_date (out, certificate->not_after);
  g_string_append_c (out, ',');
  sk_json_key (out, "sha256");
  sk_json_string (out, certificate->sha256);
  g_string_append_c (out, '}');
}

static void
side_result_append_json (GString      *out,
                         SkSideResult *side)
{
  if (side == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '{');
  sk_json_key (out, "protocol");
  sk_json_string (out, sk_protocol_to_string (side->protocol));
  g_string_append_c (out, ',');
  sk_json_key (out, "host");
  sk_json_string (out, side->host);
  g_string_append_c (out, ',');
  sk_json_key (out, "port");
  g_string_append_printf (out, "%u", side->port);
  g_string_append_c (out, ',');
  sk_json_key (out, "security");
  sk_json_string (out, sk_security_to_string (side->security));
  g_string_append_c (out, ',');
  sk_json_key (out, "ok");
  sk_json_bool (out, side->ok);
  g_string_append_c (out, ',');
  sk_json_key (out, "seconds");
  json_seconds (out, side->seconds);
  g_string_append_c (out, ',');
  sk_json_key (out, "steps");
  json_steps (out, side);
  g_string_append_c (out, ',');
  sk_json_key (out, "certificate");
  json_certificate (out, side->certificate);
  g_string_append_c (out, ',');

  sk_json_key (out, "diagnosis");
  if (side->diagnosis != NULL)
    {
      g_string_append_c (out, '{');
      sk_json_key (out, "code");
      sk_json_string (out, sk_diagnosis_code_to_string (side->diagnosis->code));
      g_string_append_c (out, ',');
      sk_json_key (out, "guide_step");
      if (side->diagnosis->guide_step > 0)
        g_string_append_printf (out, "%d", side->diagnosis->guide_step);
      else
        g_string_append (out, "null");
      g_string_append_c (out, ',');
      sk_json_key (out, "message");
      sk_json_string (out, side->diagnosis->message);
      /* Only with a page to open: the documented shape stays as it is. */
      if (side->diagnosis->web_login_url != NULL)
        {
          g_string_append_c (out, ',');
          sk_json_key (out, "web_login_url");
          sk_json_string (out, side->diagnosis->web_login_url);
        }
      g_string_append_c (out, '}');
    }
  else
    {
      g_string_append (out, "null");
    }
  g_string_append_c (out, ',');

  sk_json_key (out, "server_reply");
  sk_json_string (out, side->server_reply);
  g_string_append_c (out, ',');
  sk_json_key (out, "transcript");
  sk_json_string (out, side->transcript);
  g_string_append_c (out, '}');
}

char *
sk_test_result_to_json (SkTestResult *result)
{
  GString *out;

  g_return_val_if_fail (result != NULL, NULL);

  out = g_string_new ("{");
  sk_json_key (out, "account");
  sk_json_string (out, result->account_name);
  g_string_append_c (out, ',');
  sk_json_key (out, "ok");
  sk_json_bool (out, result->ok);
  g_string_append_c (out, ',');
  sk_json_key (out, "incoming");
  side_result_append_json (out, result->sides[SK_TEST_SIDE_INCOMING]);
  g_string_append_c (out, ',');
  sk_json_key (out, "outgoing");
  side_result_append_json (out, result->sides[SK_TEST_SIDE_OUTGOING]);
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}
char *
sk_send_result_to_json (SkSendResult *result)
{
  GString *out;

  g_return_val_if_fail (result != NULL, NULL);

  out = g_string_new ("{");
  sk_json_key (out, "account");
  sk_json_string (out, result->account_name);
  g_string_append_c (out, ',');
  sk_json_key (out, "ok");
  sk_json_bool (out, result->sent);
  g_string_append_c (out, ',');
  sk_json_key (out, "signed");
  sk_json_bool (out, result->is_signed);
  g_string_append_c (out, ',');
  sk_json_key (out, "message_id");
  sk_json_string (out, result->message_id);
  g_string_append_c (out, ',');
  sk_json_key (out, "final_reply");
  sk_json_string (out, result->final_reply);
  g_string_append_c (out, ',');
  sk_json_key (out, "outgoing");
  if (result->side != NULL)
    side_result_append_json (out, result->side);
  else
    g_string_append (out, "null");
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}
