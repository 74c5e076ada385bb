/* sk-test-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-certificate-store.h"
#include "core/sk-connection-test.h"
#include "core/sk-format.h"
#include "core/sk-test-message.h"

#include "sk-certificate-summary.h"
#include "sk-test-details.h"
#include "sk-test-panel.h"
#include "sk-test-steps.h"
#include "sk-widget-util.h"

/* After this long without a result the panel says it is still waiting, so
 * that a slow server (Gmail at times) is not taken for a broken one. */
#define SLOW_SECONDS 5

typedef enum
{
  STATE_IDLE,
  STATE_RUNNING,
  STATE_DONE,
} PanelState;

/* What runs, or ran last: the two buttons share the steps and the result. */
typedef enum
{
  MODE_TEST,
  MODE_SEND,
} PanelMode;

typedef enum
{
  SEND_LOADING_SIGNER,
  SEND_LOGGING_IN,
  SEND_SENDING,
} SendPhase;

struct _SkTestPanel
{
  GtkWidget       parent_instance;

  GtkWidget      *content;
  GtkButton      *test_button;
  GtkButton      *send_button;
  GtkLabel       *status_label;
  GtkWidget      *details_button;
  SkTestSteps    *steps;
  GtkWidget      *result_box;
  GtkImage       *result_icon;
  GtkLabel       *result_label;
  GtkWidget      *trust_frame;
  SkCertificateSummary *trust_summary;
  GtkWidget      *trust_button;

  SkAccount      *account;
  SkAccount      *tested;        /* the copy under test, or last tested */
  SkTestResult   *result;        /* NULL while running or when nothing ran */
  GCancellable   *cancellable;   /* the running test's; NULL when none runs */
  SkTestDetails  *details;

  PanelState      state;
  PanelMode       mode;
  SendPhase       send_phase;
  char           *signer_name;   /* whose certificate signs the message being sent */
  gboolean        cancelled;     /* the last test was stopped by the person */
  gboolean        stale;         /* the settings changed since the test began */
  gboolean        slow;
  guint           slow_id;
  char           *blocker;       /* why no test can run now, short; or NULL */
  char           *blocker_reason;
  char           *send_blocker;  /* why no message can be sent now, or NULL */

  /* What "Trust this certificate" pins, and where. */
  char           *trust_sha256;
  gboolean        trust_sides[SK_N_TEST_SIDES];
};

G_DEFINE_FINAL_TYPE (SkTestPanel, sk_test_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  STARTED,
  GUIDE_STEP,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One test in flight.  Its callbacks keep the panel alive but touch it only
 * while the run is still the panel's current one: a cancelled run, or one
 * whose panel was disposed (the dialog closed mid-test), leaves it alone. */
typedef struct
{
  SkTestPanel  *self;
  GCancellable *cancellable;
} Run;

static void
run_clear (Run *run)
{
  g_object_unref (run->self);
  g_object_unref (run->cancellable);
}

static void
run_unref (gpointer data)
{
  g_rc_box_release_full (data, (GDestroyNotify) run_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_unref)

static gboolean
run_is_current (Run *run)
{
  return run->cancellable == run->self->cancellable &&
         !g_cancellable_is_cancelled (run->cancellable);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && text[0] != '\0');
}

static gboolean
is_blank (const char *text)
{
  return text == NULL || text[0] == '\0';
}

static gboolean
has_pinned_certificate (SkAccount  *account,
                        SkTestSide  side)
{
  g_autoptr(SkServer) server = sk_account_dup_server (account, side);

  return !is_blank (server->pinned_sha256);
}

static SkProtocol
get_protocol (SkAccount  *account,
              SkTestSide  side)
{
  g_autoptr(SkServer) server = sk_account_dup_server (account, side);

  return server->protocol;
}

/* Steps */

static void
reset_rows (SkTestPanel *self)
{
  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    {
      /* A message goes through the outgoing server alone. */
      sk_test_steps_set_side_visible (self->steps, side,
                                      self->mode == MODE_TEST || side == SK_TEST_SIDE_OUTGOING);
      sk_test_steps_reset (self->steps, side, get_protocol (self->tested, side));
    }
}

/* What can be tested: core decides, the panel words it as a headline
 * above the buttons. */

static void
find_blocker (SkTestPanel *self)
{
  g_autoptr(SkProblem) problem = NULL;
  SkField missing;

  g_clear_pointer (&self->blocker, g_free);
  g_clear_pointer (&self->blocker_reason, g_free);

  if (self->account == NULL)
    return;

  problem = sk_account_find_test_problem (self->account, SK_TEST_MODE_LOGIN);
  if (problem != NULL)
    {
      self->blocker = g_strdup (_("Correct the settings marked above to test them."));
      self->blocker_reason = g_strdup (problem->message);
      return;
    }

  missing = sk_account_find_missing_password (self->account, SK_TEST_MODE_LOGIN);
  if (missing == SK_N_FIELDS)
    return;

  self->blocker = g_strdup (missing == SK_FIELD_PASSWORD
                              ? _("Enter the password to test the connection.")
                              : _("Enter the SMTP password to test the connection."));
  self->blocker_reason = g_strdup (_("The test logs in to the servers, which needs the password."));
}

static void
find_send_blocker (SkTestPanel *self)
{
  g_autoptr(SkProblem) problem = NULL;
  SkField missing;

  g_clear_pointer (&self->send_blocker, g_free);

  if (self->account == NULL)
    return;

  problem = sk_account_find_test_problem (self->account, SK_TEST_MODE_SEND);
  if (problem != NULL && (problem->field == SK_FIELD_EMAIL ||
                          problem->field == SK_FIELD_FULL_NAME))
    {
      /* TRANSLATORS: %s says what is wrong with the address or name on tab 1 */
      self->send_blocker = g_strdup_printf (_("To send a test message, correct tab 1 first: %s"),
                                            problem->message);
      return;
    }
  if (problem != NULL)
    {
      self->send_blocker = g_strdup (_("Correct the settings marked above to send a test message."));
      return;
    }

  missing = sk_account_find_missing_password (self->account, SK_TEST_MODE_SEND);
  if (missing != SK_N_FIELDS)
    self->send_blocker = g_strdup (missing == SK_FIELD_PASSWORD
                                     ? _("Enter the password to send a test message.")
                                     : _("Enter the SMTP password to send a test message."));
}

/* The whole panel */

static void
update_status (SkTestPanel *self)
{
  g_autofree char *slow = NULL;
  const char *text = NULL;

  switch (self->state)
    {
    case STATE_RUNNING:
      if (self->mode == MODE_SEND && self->send_phase == SEND_LOADING_SIGNER)
        {
          text = _("Reading the signature certificate…");
        }
      else if (self->mode == MODE_SEND && self->send_phase == SEND_SENDING)
        {
          text = _("Logged in. Sending the message…");
        }
      else if (self->slow)
        {
          guint timeout = sk_account_get_timeout (self->tested);

          slow = g_strdup_printf (ngettext ("The server is taking its time to answer. "
                                            "Waiting up to %u second.",
                                            "The server is taking its time to answer. "
                                            "Waiting up to %u seconds.",
                                            timeout),
                                  timeout);
          text = slow;
        }
      else if (self->mode == MODE_SEND)
        {
          text = _("Sending a test message to this account’s own address…");
        }
      else
        {
          text = _("Testing the connection…");
        }
      break;

    case STATE_DONE:
      if (self->blocker != NULL)
        text = self->blocker;
      else if (self->stale && self->mode == MODE_SEND)
        text = _("The settings have changed since this message was sent.");
      else if (self->stale)
        text = _("The settings have changed since this test.");
      break;

    case STATE_IDLE:
    default:
      if (self->blocker != NULL)
        text = self->blocker;
      else if (self->cancelled && self->mode == MODE_SEND)
        text = _("Sending was cancelled.");
      else if (self->cancelled)
        text = _("The test was cancelled.");
      else
        text = _("Logs in to both servers with these settings. No message is sent.");
      break;
    }

  set_label (self->status_label, text);
}

/* Why a button cannot be used now, or what it does; NULL while a test
 * runs.  Setting a tooltip asks the display where the pointer is, a round
 * trip to the X server each time: the tooltip is looked up when it is
 * about to be shown instead, and only screen readers are told at once. */
static const char *
get_test_reason (SkTestPanel *self)
{
  return self->state == STATE_RUNNING ? NULL : self->blocker_reason;
}

static const char *
get_send_reason (SkTestPanel *self)
{
  if (self->state == STATE_RUNNING)
    return NULL;
  if (self->send_blocker != NULL)
    return self->send_blocker;

  return _("Sends a short message from this account to its own address "
           "through the outgoing server, signed when signing is on.");
}

static void
describe_button (GtkWidget  *button,
                 const char *reason)
{
  if (reason != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static gboolean
show_reason (GtkTooltip *tooltip,
             const char *reason)
{
  if (reason == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, reason);
  return TRUE;
}

static gboolean
test_query_tooltip (SkTestPanel *self,
                    int          x,
                    int          y,
                    gboolean     keyboard_mode,
                    GtkTooltip  *tooltip)
{
  return show_reason (tooltip, get_test_reason (self));
}

static gboolean
send_query_tooltip (SkTestPanel *self,
                    int          x,
                    int          y,
                    gboolean     keyboard_mode,
                    GtkTooltip  *tooltip)
{
  return show_reason (tooltip, get_send_reason (self));
}

/* Whichever runs can be cancelled with its own button; the other waits. */
static void
update_button (SkTestPanel *self)
{
  gboolean running = self->state == STATE_RUNNING;
  gboolean testing = running && self->mode == MODE_TEST;
  gboolean sending = running && self->mode == MODE_SEND;

  if (testing)
    gtk_button_set_label (self->test_button, _("Cancel _test"));
  else if (self->state == STATE_DONE && self->mode == MODE_TEST)
    gtk_button_set_label (self->test_button, _("_Test again"));
  else
    gtk_button_set_label (self->test_button, _("_Test connection"));

  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button),
                            testing || (!running && self->blocker == NULL));
  describe_button (GTK_WIDGET (self->test_button), get_test_reason (self));

  gtk_button_set_label (self->send_button,
                        sending ? _("Cancel sendin_g") : _("Send a test message to m_yself"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button),
                            sending || (!running && self->send_blocker == NULL));
  describe_button (GTK_WIDGET (self->send_button), get_send_reason (self));
}

static void
update (SkTestPanel *self)
{
  gboolean done = self->state == STATE_DONE;
  gboolean has_steps = (self->state == STATE_RUNNING && self->send_phase != SEND_LOADING_SIGNER) ||
                       (done && self->result != NULL);

  update_button (self);
  update_status (self);

  gtk_widget_set_visible (GTK_WIDGET (self->steps), has_steps);
  gtk_widget_set_visible (self->result_box, done);
  gtk_widget_set_visible (self->details_button, done && self->result != NULL);
  /* A certificate is trusted for the server it came from: once the
   * settings change, it may no longer be the one they point at. */
  gtk_widget_set_visible (self->trust_frame, done && self->trust_sha256 != NULL && !self->stale);

  sk_widget_set_css_class (GTK_WIDGET (self->steps), "dim-label", done && self->stale);
  sk_widget_set_css_class (self->result_box, "dim-label", done && self->stale);
}

static void
close_details (SkTestPanel *self)
{
  SkTestDetails *details = self->details;

  if (details == NULL)
    return;

  g_object_remove_weak_pointer (G_OBJECT (details), (gpointer *) &self->details);
  self->details = NULL;
  gtk_window_destroy (GTK_WINDOW (details));
}

static void
stop_test (SkTestPanel *self)
{
  g_clear_handle_id (&self->slow_id, g_source_remove);
  self->slow = FALSE;

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

static void
clear_trust (SkTestPanel *self)
{
  g_clear_pointer (&self->trust_sha256, g_free);
  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    self->trust_sides[side] = FALSE;
}

static void
reset (SkTestPanel *self)
{
  stop_test (self);
  close_details (self);
  clear_trust (self);
  g_clear_pointer (&self->result, sk_test_result_free);
  self->state = STATE_IDLE;
  self->send_phase = SEND_LOGGING_IN;
  g_clear_pointer (&self->signer_name, g_free);
  self->cancelled = FALSE;
  self->stale = FALSE;
}

/* Result */

static char *
describe_result (SkTestPanel *self)
{
  const SkSideResult *failed[SK_N_TEST_SIDES];
  guint n_failed = 0;
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->result->ok)
    return g_strdup (_("Everything works: Skrzynka can receive and send mail with these settings."));

  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    {
      const SkSideResult *result = self->result->sides[side];

      if (result != NULL && !result->ok)
        failed[n_failed++] = result;
    }

  /* The same trouble on both sides (often the password) is said once. */
  if (n_failed == SK_N_TEST_SIDES &&
      failed[0]->diagnosis->code == failed[1]->diagnosis->code &&
      g_strcmp0 (failed[0]->diagnosis->message, failed[1]->diagnosis->message) == 0)
    return g_strdup_printf (_("Both servers: %s"), failed[0]->diagnosis->message);

  for (guint i = 0; i < n_failed; i++)
    {
      g_autofree char *title = sk_test_side_dup_title (failed[i]->side, failed[i]->protocol);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* TRANSLATORS: "Outgoing (SMTP): The password was not accepted." */
      g_string_append_printf (text, _("%s: %s"), title, failed[i]->diagnosis->message);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_result_sentence (SkTestPanel *self,
                      const char  *sentence,
                      gboolean     ok)
{
  gtk_image_set_from_icon_name (self->result_icon,
                                ok ? "object-select-symbolic" : "dialog-error-symbolic");
  sk_widget_set_css_class (GTK_WIDGET (self->result_icon), "success-icon", ok);
  sk_widget_set_css_class (GTK_WIDGET (self->result_icon), "error-icon", !ok);
  gtk_label_set_text (self->result_label, sentence);
}

/* The certificate the person may trust: the first side whose server showed
 * one that nothing vouches for, unless it is Google's, or a certificate is
 * already pinned there (a pin that no longer matches is an error to report,
 * not a question to ask again). */
static void
find_certificate_to_trust (SkTestPanel *self)
{
  const SkSideResult *shown = NULL;

  clear_trust (self);

  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    {
      const SkSideResult *result = self->result->sides[side];

      if (result == NULL ||
          result->diagnosis->code != SK_DIAGNOSIS_TLS_UNTRUSTED ||
          result->certificate == NULL ||
          is_blank (result->certificate->sha256) ||
          sk_host_is_google (result->host) ||
          has_pinned_certificate (self->tested, side))
        continue;

      /* Incoming and outgoing are often one server with one certificate:
       * trusting it once covers both. */
      if (shown == NULL)
        shown = result;
      else if (g_ascii_strcasecmp (result->host, shown->host) != 0 ||
               !g_str_equal (result->certificate->sha256, shown->certificate->sha256))
        continue;

      self->trust_sides[side] = TRUE;
    }

  if (shown == NULL)
    return;

  self->trust_sha256 = g_strdup (shown->certificate->sha256);
}

static void
show_certificate_to_trust (SkTestPanel *self)
{
  const SkSideResult *shown = NULL;
  const SkCertificateInfo *certificate;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *validity = NULL;

  for (guint side = 0; side < SK_N_TEST_SIDES && shown == NULL; side++)
    if (self->trust_sides[side])
      shown = self->result->sides[side];

  if (shown == NULL)
    return;

  certificate = shown->certificate;

  from = sk_format_date_for_people (certificate->not_before);
  until = sk_format_date_for_people (certificate->not_after);
  /* TRANSLATORS: a certificate's validity, "from 2024-01-01 to 2025-01-01" */
  validity = g_strdup_printf (_("from %s to %s"), from, until);
  sk_certificate_summary_set_subject (self->trust_summary, certificate->subject);
  sk_certificate_summary_set_issuer (self->trust_summary, certificate->issuer);
  sk_certificate_summary_set_validity (self->trust_summary, validity);
  sk_certificate_summary_set_sha256 (self->trust_summary, certificate->sha256);
}

/* The first failing side says why ("failed", for the guides that explain
 * it); the first one that names a step of the Gmail guide decides which
 * step to go back to. */
static void
emit_failure (SkTestPanel *self)
{
  gboolean said = FALSE;

  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    {
      const SkSideResult *result = self->result->sides[side];

      if (result == NULL || result->ok)
        continue;

      if (!said)
        g_signal_emit (self, signals[FAILED], 0,
                       sk_diagnosis_code_to_string (result->diagnosis->code));
      said = TRUE;

      if (result->diagnosis->guide_step <= 0)
        continue;

      g_signal_emit (self, signals[GUIDE_STEP], 0,
                     result->diagnosis->guide_step, result->diagnosis->web_login_url);
      return;
    }
}

/* sentence: what to say, or NULL for what the test says of result. */
static void
show_result (SkTestPanel  *self,
             SkTestResult *result,
             const char   *sentence)
{
  g_autofree char *described = NULL;

  self->result = result;
  self->state = STATE_DONE;

  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    {
      const SkSideResult *side_result = result->sides[side];

      if (side_result == NULL)
        continue;

      for (guint step = 0; step < SK_N_TEST_STEPS; step++)
        sk_test_steps_show (self->steps, side, step,
                            side_result->step_state[step], side_result->step_seconds[step]);
      sk_test_steps_set_outcome (self->steps, side, side_result->diagnosis->message);
    }

  if (sentence == NULL)
    sentence = described = describe_result (self);
  show_result_sentence (self, sentence, result->ok);

  find_certificate_to_trust (self);
  show_certificate_to_trust (self);
  update (self);

  emit_failure (self);
}

static void
test_progress (SkTestSide   side,
               SkTestStep   step,
               SkStepState  state,
               double       seconds,
               gpointer     user_data)
{
  Run *run = user_data;

  if (!run_is_current (run) || side >= SK_N_TEST_SIDES || step >= SK_N_TEST_STEPS)
    return;

  sk_test_steps_show (run->self->steps, side, step, state, seconds);

  if (run->self->mode == MODE_SEND && step == SK_TEST_STEP_LOGIN && state == SK_STEP_OK)
    {
      run->self->send_phase = SEND_SENDING;
      update_status (run->self);
    }
}

static void
test_finished (GObject      *source,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  SkTestPanel *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkTestResult) result = sk_connection_test_finish (async_result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !run_is_current (run))
    return;

  g_clear_handle_id (&self->slow_id, g_source_remove);
  self->slow = FALSE;
  g_clear_object (&self->cancellable);

  if (error != NULL)
    {
      /* Settings that cannot be tested at all (such as an unconfirmed
       * "None"): the engine's sentence says what to change. */
      self->state = STATE_DONE;
      show_result_sentence (self, error->message, FALSE);
      update (self);
      return;
    }

  show_result (self, g_steal_pointer (&result), NULL);
}

static gboolean
slow_timeout (gpointer user_data)
{
  SkTestPanel *self = user_data;

  self->slow_id = 0;
  self->slow = TRUE;
  update_status (self);

  return G_SOURCE_REMOVE;
}

static void
start_test (SkTestPanel *self)
{
  const SkTestOptions options = { NULL };
  Run *run;

  reset (self);
  self->mode = MODE_TEST;

  /* Typing on during the test must not change what is being tested. */
  g_clear_object (&self->tested);
  self->tested = sk_account_copy (self->account);
  self->cancellable = g_cancellable_new ();
  self->state = STATE_RUNNING;
  reset_rows (self);
  update (self);

  self->slow_id = g_timeout_add_seconds (SLOW_SECONDS, slow_timeout, self);

  run = g_rc_box_new0 (Run);
  run->self = g_object_ref (self);
  run->cancellable = g_object_ref (self->cancellable);
  sk_connection_test_async (self->tested, &options,
                            test_progress, g_rc_box_acquire (run), run_unref,
                            self->cancellable, test_finished, run);

  g_signal_emit (self, signals[STARTED], 0);
}

static void
test_clicked (SkTestPanel *self)
{
  if (self->state != STATE_RUNNING)
    {
      start_test (self);
      return;
    }

  /* Back to where it was before the test, at once: the engine winds down
   * in the background and its last words are ignored. */
  reset (self);
  self->cancelled = TRUE;
  update (self);
}

/* Send a test message to myself */

/* Ends a run that gives no result to show, only a sentence (the settings
 * cannot be used, the certificate cannot be read…). */
static void
finish_without_result (SkTestPanel *self,
                       const char  *sentence)
{
  g_clear_handle_id (&self->slow_id, g_source_remove);
  self->slow = FALSE;
  g_clear_object (&self->cancellable);

  self->state = STATE_DONE;
  show_result_sentence (self, sentence, FALSE);
  update (self);
}

static char *
describe_sent (SkTestPanel  *self,
               SkSendResult *sent)
{
  g_autofree char *accepted = NULL;
  g_autofree char *signature = NULL;

  if (!sent->sent)
    {
      const SkDiagnosis *diagnosis = sent->side != NULL ? sent->side->diagnosis : NULL;

      /* TRANSLATORS: %s says why, in a sentence */
      return g_strdup_printf (_("The message was not sent. %s"),
                              diagnosis != NULL ? diagnosis->message : "");
    }

  /* TRANSLATORS: %s is the server's reply, "250 2.0.0 Ok: queued as 4XyZ" */
  accepted = g_strdup_printf (_("The server accepted the message: %s"),
                              sent->final_reply != NULL ? sent->final_reply : "");
  if (sent->is_signed && self->signer_name != NULL)
    /* TRANSLATORS: %s is whose certificate it is, "Jan Kowalski" */
    signature = g_strdup_printf (_("Signed with the certificate of %s."), self->signer_name);
  else
    signature = g_strdup (_("Not signed."));

  return g_strconcat (accepted, "\n", signature, NULL);
}

static void
message_sent (GObject      *source,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  SkTestPanel *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSendResult) sent = sk_test_message_send_finish (async_result, &error);
  g_autofree char *sentence = NULL;
  SkTestResult *result;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !run_is_current (run))
    return;

  if (error != NULL)
    {
      finish_without_result (self, error->message);
      return;
    }

  g_clear_handle_id (&self->slow_id, g_source_remove);
  self->slow = FALSE;
  g_clear_object (&self->cancellable);

  /* Shown as a test of the outgoing side: its steps, details and a
   * certificate to trust all work the same. */
  sentence = describe_sent (self, sent);
  result = g_new0 (SkTestResult, 1);
  result->account_name = g_strdup (sk_account_get_name (self->tested));
  result->ok = sent->sent;
  result->sides[SK_TEST_SIDE_OUTGOING] = g_steal_pointer (&sent->side);
  show_result (self, result, sentence);
}

static void
send_message (Run           *run,
              SkCertificate *signer)
{
  SkTestPanel *self = run->self;
  const SkTestOptions options = { NULL };
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;

  message = sk_test_message_build (self->tested, signer, NULL, NULL, &error);
  if (message == NULL)
    {
      /* TRANSLATORS: %s says why, in a sentence */
      sentence = g_strdup_printf (_("The message could not be prepared. %s"), error->message);
      finish_without_result (self, sentence);
      return;
    }

  if (signer != NULL)
    self->signer_name = g_strdup (sk_certificate_get_display_name (signer));
  self->send_phase = SEND_LOGGING_IN;
  update (self);

  sk_test_message_send_async (self->tested, message, &options,
                              test_progress, g_rc_box_acquire (run), run_unref,
                              self->cancellable, message_sent, g_rc_box_acquire (run));
}

static void
signer_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkCertificate) signer = sk_certificate_store_load_finish (result, &error);
  g_autofree char *sentence = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !run_is_current (run))
    return;

  if (signer == NULL)
    {
      /* TRANSLATORS: %s says why, in a sentence */
      sentence = g_strdup_printf (_("The message was not sent: the signature certificate "
                                    "could not be read. %s"),
                                  error->message);
      finish_without_result (run->self, sentence);
      return;
    }

  send_message (run, signer);
}

static void
start_send (SkTestPanel *self)
{
  g_autoptr(SkCertificate) signer = NULL;
  g_autoptr(Run) run = NULL;

  reset (self);
  self->mode = MODE_SEND;

  /* Typing on while sending must not change what is sent. */
  g_clear_object (&self->tested);
  self->tested = sk_account_copy (self->account);
  self->cancellable = g_cancellable_new ();
  self->state = STATE_RUNNING;

  /* Signed as tab 1 shows it: only with a certificate that can sign. */
  if (sk_account_get_sign (self->tested))
    signer = sk_account_find_signer (self->tested, NULL, NULL);
  self->send_phase = signer != NULL ? SEND_LOADING_SIGNER : SEND_LOGGING_IN;

  reset_rows (self);
  update (self);
  self->slow_id = g_timeout_add_seconds (SLOW_SECONDS, slow_timeout, self);

  run = g_rc_box_new0 (Run);
  run->self = g_object_ref (self);
  run->cancellable = g_object_ref (self->cancellable);

  g_signal_emit (self, signals[STARTED], 0);

  /* The key comes from the keyring: signing needs it, the list does not. */
  if (signer != NULL)
    sk_certificate_store_load_async (sk_certificate_get_sha256 (signer), self->cancellable,
                                     signer_loaded, g_rc_box_acquire (run));
  else
    send_message (run, NULL);
}

static void
send_clicked (SkTestPanel *self)
{
  if (self->state != STATE_RUNNING)
    {
      start_send (self);
      return;
    }

  if (self->mode != MODE_SEND)
    return;

  reset (self);
  self->cancelled = TRUE;
  update (self);
}

static void
trust_clicked (SkTestPanel *self)
{
  g_autofree char *sha256 = g_strdup (self->trust_sha256);

  g_return_if_fail (sha256 != NULL);

  if (self->trust_sides[SK_TEST_SIDE_INCOMING])
    sk_account_set_incoming_pinned_certificate (self->account, sha256);
  if (self->trust_sides[SK_TEST_SIDE_OUTGOING])
    sk_account_set_outgoing_pinned_certificate (self->account, sha256);

  /* The panel with this button goes away: keep the focus where the
   * person can follow the new run (and cancel it).  A message the person
   * asked to send is sent once the certificate is trusted. */
  if (self->mode == MODE_SEND)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->send_button));
      start_send (self);
    }
  else
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->test_button));
      start_test (self);
    }
}

static void
details_clicked (SkTestPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_return_if_fail (self->result != NULL);

  if (self->details == NULL)
    {
      self->details = sk_test_details_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                           self->tested, self->result);
      g_object_add_weak_pointer (G_OBJECT (self->details), (gpointer *) &self->details);
    }

  gtk_window_present (GTK_WINDOW (self->details));
}

static void
account_changed (SkTestPanel *self)
{
  find_blocker (self);
  find_send_blocker (self);
  /* A change made while the test runs is not in what it tests either. */
  if (self->state != STATE_IDLE)
    self->stale = TRUE;
  update (self);
}

/* Public */

void
sk_test_panel_set_account (SkTestPanel *self,
                           SkAccount   *account)
{
  g_return_if_fail (SK_IS_TEST_PANEL (self));
  g_return_if_fail (SK_IS_ACCOUNT (account));

  if (account == self->account)
    return;

  reset (self);
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);
  g_signal_connect_object (account, "notify", G_CALLBACK (account_changed), self, G_CONNECT_SWAPPED);

  find_blocker (self);
  find_send_blocker (self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

SkAccount *
sk_test_panel_get_account (SkTestPanel *self)
{
  g_return_val_if_fail (SK_IS_TEST_PANEL (self), NULL);

  return self->account;
}

void
sk_test_panel_start (SkTestPanel *self)
{
  g_return_if_fail (SK_IS_TEST_PANEL (self));

  if (self->account == NULL || self->state == STATE_RUNNING || self->blocker != NULL)
    return;

  start_test (self);
}

GtkWidget *
sk_test_panel_new (void)
{
  return g_object_new (SK_TYPE_TEST_PANEL, NULL);
}

/* GObject */

static void
sk_test_panel_dispose (GObject *object)
{
  SkTestPanel *self = SK_TEST_PANEL (object);

  /* Any callback still on its way now finds its run no longer current. */
  reset (self);

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  g_clear_object (&self->tested);

  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_TEST_PANEL);

  G_OBJECT_CLASS (sk_test_panel_parent_class)->dispose (object);
}

static void
sk_test_panel_finalize (GObject *object)
{
  SkTestPanel *self = SK_TEST_PANEL (object);

  g_free (self->blocker);
  g_free (self->blocker_reason);
  g_free (self->send_blocker);

  G_OBJECT_CLASS (sk_test_panel_parent_class)->finalize (object);
}

static void
sk_test_panel_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SkTestPanel *self = SK_TEST_PANEL (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_test_panel_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SkTestPanel *self = SK_TEST_PANEL (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      sk_test_panel_set_account (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_test_panel_class_init (SkTestPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_test_panel_dispose;
  object_class->finalize = sk_test_panel_finalize;
  object_class->get_property = sk_test_panel_get_property;
  object_class->set_property = sk_test_panel_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, SK_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SK_TYPE_CERTIFICATE_SUMMARY);
  g_type_ensure (SK_TYPE_TEST_STEPS);

  signals[STARTED] =
    g_signal_new ("started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[GUIDE_STEP] =
    g_signal_new ("guide-step",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  /* The diagnosis code (DESIGN.md) of the first side that failed. */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-test-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, content);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, test_button);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, send_button);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, details_button);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, steps);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, result_box);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, result_icon);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, result_label);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, trust_frame);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, trust_summary);
  gtk_widget_class_bind_template_child (widget_class, SkTestPanel, trust_button);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, test_query_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked);
  gtk_widget_class_bind_template_callback (widget_class, send_query_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, details_clicked);
  gtk_widget_class_bind_template_callback (widget_class, trust_clicked);
}

static void
sk_test_panel_init (SkTestPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  update (self);
}
