/* sk-test-result.c — what a connection test found: its names, its JSON
 * and its plain-text report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Test"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-account-keyfile.h"
#include "sk-connection-test-private.h"
#include "sk-format.h"
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

const char *
sk_test_step_get_title (SkTestStep step)
{
  switch (step)
    {
    case SK_TEST_STEP_RESOLVE:
      return _("Resolve name");
    case SK_TEST_STEP_CONNECT:
      return _("Connect");
    case SK_TEST_STEP_TLS:
      return _("Secure connection");
    case SK_TEST_STEP_GREETING:
      return _("Server greeting");
    case SK_TEST_STEP_LOGIN:
      return _("Log in");
    case SK_N_TEST_STEPS:
    default:
      g_return_val_if_reached ("");
    }
}

char *
sk_test_side_dup_title (SkTestSide side,
                        SkProtocol protocol)
{
  const char *name = protocol == SK_PROTOCOL_POP3 ? "POP3"
                   : protocol == SK_PROTOCOL_SMTP ? "SMTP"
                                                  : "IMAP";

  /* TRANSLATORS: %s is IMAP, POP3 or SMTP */
  return g_strdup_printf (side == SK_TEST_SIDE_INCOMING ? _("Incoming (%s)") : _("Outgoing (%s)"),
                          name);
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

/* The plain-text report */

/* As the Details window shows a date.  A certificate's "no expiry"
 * (9999-12-31T23:59:59Z) has no local time east of UTC: UTC is shown. */
static const char *
step_state_to_string (SkStepState state)
{
  switch (state)
    {
    case SK_STEP_OK:
      return _("ok");
    case SK_STEP_FAILED:
      return _("failed");
    case SK_STEP_SKIPPED:
      return _("skipped");
    case SK_STEP_RUNNING:
    case SK_STEP_PENDING:
    default:
      return _("not reached");
    }
}

static void
append_certificate (GString                 *report,
                    const SkCertificateInfo *certificate)
{
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *validity = NULL;

  if (certificate == NULL)
    {
      g_string_append_printf (report, "%s\n", _("Certificate: none (no secure connection was made)"));
      return;
    }

  from = sk_format_date_for_people (certificate->not_before);
  until = sk_format_date_for_people (certificate->not_after);
  g_string_append_printf (report, "%s\n", _("Certificate:"));
  g_string_append_printf (report, "  %s %s\n", _("Issued to:"), certificate->subject);
  g_string_append_printf (report, "  %s %s\n", _("Issued by:"), certificate->issuer);
  validity = g_strdup_printf (_("from %s to %s"), from, until);
  g_string_append_printf (report, "  %s %s\n", _("Valid:"), validity);
  g_string_append_printf (report, "  SHA-256: %s\n", certificate->sha256);
  g_string_append_printf (report, "  %s %s\n", _("Trusted:"),
                          certificate->trusted ? _("yes") : _("no"));
}

static void
append_side (GString            *report,
             const SkSideResult *side)
{
  g_autofree char *title = sk_test_side_dup_title (side->side, side->protocol);
  g_autofree char *total = sk_format_seconds (side->seconds);

  g_string_append_printf (report, "\n== %s ==\n", title);
  g_string_append_printf (report, "%s %s:%u, %s\n", _("Server:"),
                          side->host, side->port, sk_security_to_string (side->security));
  g_string_append_printf (report, "%s %s (%s)\n", _("Result:"),
                          sk_diagnosis_code_to_string (side->diagnosis->code), total);
  g_string_append_printf (report, "  %s\n", side->diagnosis->message);

  g_string_append_printf (report, "%s\n", _("Steps:"));
  for (guint step = 0; step < SK_N_TEST_STEPS; step++)
    {
      const char *state = step_state_to_string (side->step_state[step]);
      g_autofree char *seconds = NULL;
      glong width;

      if (side->step_state[step] == SK_STEP_OK || side->step_state[step] == SK_STEP_FAILED)
        seconds = sk_format_seconds (side->step_seconds[step]);
      /* printf pads by bytes; the state is translated, so pad by characters. */
      width = g_utf8_strlen (state, -1);
      g_string_append_printf (report, "  %-10s %s%*s %s\n",
                              sk_test_step_to_string (step), state,
                              (int) MAX (12 - width, 0), "",
                              seconds != NULL ? seconds : "");
    }

  append_certificate (report, side->certificate);

  if (side->server_reply != NULL && side->server_reply[0] != '\0')
    g_string_append_printf (report, "%s %s\n", _("Last server reply:"), side->server_reply);

  g_string_append_printf (report, "%s\n", _("Conversation:"));
  g_string_append (report, side->transcript != NULL ? side->transcript : "");
  if (report->len > 0 && report->str[report->len - 1] != '\n')
    g_string_append_c (report, '\n');
}

char *
sk_test_result_to_text (const SkTestResult *result,
                        SkAccount          *tested)
{
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M:%S %z");
  g_autofree char *settings = NULL;

  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (SK_IS_ACCOUNT (tested), NULL);

  g_string_append_printf (report, "%s\n", _("Skrzynka connection test"));
  g_string_append_printf (report, "%s %s\n", _("Version:"), PACKAGE_VERSION);
  g_string_append_printf (report, "%s %s\n", _("Date:"), when);
  g_string_append_printf (report, "%s %s\n", _("Account:"), sk_account_get_name (tested));
  g_string_append_printf (report, "%s %s\n", _("Result:"),
                          result->ok ? _("everything works") : _("failed"));

  /* The export format, without the password: IT support can test the same
   * settings with skrzynka --test-file. */
  settings = sk_account_export (tested);
  g_string_append_printf (report, "\n== %s ==\n%s", _("Settings"), settings);

  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    if (result->sides[side] != NULL)
      append_side (report, result->sides[side]);

  return g_string_free (g_steal_pointer (&report), FALSE);
}
