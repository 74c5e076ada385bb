/* test-widgets.c — the small widgets of the dialog, built in-process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "core/sk-format.h"
#include "skrzynka-resources.h"
#include "ui/sk-certificate-row.h"
#include "ui/sk-certificate-summary.h"
#include "ui/sk-test-steps.h"
#include "ui/sk-widget-util.h"

/* Every label under widget that shows, with the text it shows. */
static void
collect_labels (GtkWidget *widget,
                GPtrArray *texts)
{
  /* A stack shows one child and keeps the others visible but unmapped. */
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  if (GTK_IS_LABEL (widget) && gtk_label_get_text (GTK_LABEL (widget))[0] != '\0')
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, texts);
}

static char *
shown_text (GtkWidget *widget)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  collect_labels (widget, texts);
  g_ptr_array_add (texts, NULL);
  return g_strjoinv ("|", (char **) texts->pdata);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_steps_show (void)
{
  SkTestSteps *steps = g_object_ref_sink (g_object_new (SK_TYPE_TEST_STEPS, NULL));
  g_autofree char *reset = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *hidden = NULL;

  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    sk_test_steps_reset (steps, side, side == SK_TEST_SIDE_INCOMING ? SK_PROTOCOL_POP3
                                                                    : SK_PROTOCOL_SMTP);
  reset = shown_text (GTK_WIDGET (steps));
  g_assert_nonnull (strstr (reset, "Resolve name|Connect|Secure connection|Server greeting|Log in|"
                                   "Incoming (POP3)|•|•|•|•|•|Outgoing (SMTP)|•|•|•|•|•"));

  sk_test_steps_show (steps, SK_TEST_SIDE_OUTGOING, SK_TEST_STEP_CONNECT, SK_STEP_OK, 0.25);
  sk_test_steps_show (steps, SK_TEST_SIDE_OUTGOING, SK_TEST_STEP_TLS, SK_STEP_FAILED, 1.5);
  sk_test_steps_show (steps, SK_TEST_SIDE_OUTGOING, SK_TEST_STEP_LOGIN, SK_STEP_SKIPPED, 0);
  shown = shown_text (GTK_WIDGET (steps));
  g_assert_nonnull (strstr (shown, "Outgoing (SMTP)|•|0.25 s|1.50 s|•|–"));

  sk_test_steps_set_side_visible (steps, SK_TEST_SIDE_INCOMING, FALSE);
  hidden = shown_text (GTK_WIDGET (steps));
  g_assert_null (strstr (hidden, "Incoming (POP3)"));
  g_assert_nonnull (strstr (hidden, "Outgoing (SMTP)"));

  /* A new run starts from nothing. */
  sk_test_steps_reset (steps, SK_TEST_SIDE_OUTGOING, SK_PROTOCOL_SMTP);
  g_free (shown);
  shown = shown_text (GTK_WIDGET (steps));
  g_assert_null (strstr (shown, " s|"));

  g_assert_finalize_object (steps);
}

#define SHA256 "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
               "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"

static void
test_summary_lines (void)
{
  SkCertificateSummary *summary = g_object_ref_sink (g_object_new (SK_TYPE_CERTIFICATE_SUMMARY, NULL));
  g_autofree char *empty = shown_text (GTK_WIDGET (summary));
  g_autofree char *full = NULL;
  g_autofree char *lost = NULL;
  guint notified = 0;

  /* Nothing to say, no line. */
  g_assert_cmpstr (empty, ==, "");

  g_signal_connect (summary, "notify::subject", G_CALLBACK (count_notify), &notified);
  sk_certificate_summary_set_subject (summary, "CN=Biuro");
  sk_certificate_summary_set_subject (summary, "CN=Biuro");
  g_assert_cmpuint (notified, ==, 1);

  sk_certificate_summary_set_issuer (summary, "CN=Test CA");
  sk_certificate_summary_set_validity (summary, "from 2026-01-01 to 2027-01-01");
  sk_certificate_summary_set_sha256 (summary, SHA256);
  full = shown_text (GTK_WIDGET (summary));
  g_assert_cmpstr (full, ==,
                   "Issued to|CN=Biuro|Issued by|CN=Test CA|Valid|from 2026-01-01 to 2027-01-01|"
                   "Fingerprint (SHA-256)|00:11:22:33 44:55:66:77 88:99:AA:BB CC:DD:EE:FF\n"
                   "00:11:22:33 44:55:66:77 88:99:AA:BB CC:DD:EE:FF");

  /* What a lost certificate still has: its fingerprint, and what the
   * Details window adds after it. */
  g_object_set (summary,
                "subject-title", "Certificate issued to",
                "subject", NULL,
                "issuer", NULL,
                "validity", NULL,
                "trusted", "No",
                NULL);
  lost = shown_text (GTK_WIDGET (summary));
  g_assert_true (g_str_has_prefix (lost, "Fingerprint (SHA-256)|"));
  g_assert_true (g_str_has_suffix (lost, "|Trusted|No"));
  g_assert_cmpuint (notified, ==, 2);

  g_assert_finalize_object (summary);
}

static void
test_row_missing (void)
{
  SkCertificateRow *row = sk_certificate_row_new (SHA256);
  g_autofree char *status_text = NULL;
  g_autofree char *emails = NULL;
  guint notified = 0;

  /* The store of this fresh session holds nothing. */
  g_assert_null (sk_certificate_row_get_certificate (row));
  g_assert_cmpstr (sk_certificate_row_get_name (row), ==, "Missing certificate");
  g_assert_true (g_str_has_prefix (sk_certificate_row_get_sentence (row),
                                   "The file of this certificate is missing"));
  g_assert_cmpstr (sk_certificate_row_get_status_icon (row), ==, "dialog-error-symbolic");
  g_assert_cmpstr (sk_certificate_row_get_status_css_class (row), ==, "error-icon");
  g_assert_null (sk_certificate_row_get_validity (row));
  g_assert_null (sk_certificate_row_get_trust (row));
  g_object_get (row, "status-text", &status_text, "emails", &emails, NULL);
  g_assert_cmpstr (status_text, ==, "File missing");
  g_assert_null (emails);

  g_signal_connect (row, "notify", G_CALLBACK (count_notify), &notified);
  sk_certificate_row_update (row, "biuro@firma.example", TRUE);
  g_assert_true (sk_certificate_row_get_is_default (row));
  g_assert_cmpuint (notified, ==, 1);
  sk_certificate_row_update (row, "biuro@firma.example", TRUE);
  g_assert_cmpuint (notified, ==, 1);

  g_assert_finalize_object (row);
}

static void
test_format (void)
{
  g_autofree char *seconds = sk_format_seconds (0.5);
  g_autofree char *short_one = sk_format_fingerprint ("AB:CD:EF:01:23");
  g_autofree char *none = sk_format_fingerprint (NULL);

  g_assert_cmpstr (seconds, ==, "0.50 s");
  g_assert_cmpstr (short_one, ==, "AB:CD:EF:01 23");
  g_assert_cmpstr (none, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  skrzynka_register_resource ();

  g_test_add_func ("/sk/test-steps/show", test_steps_show);
  g_test_add_func ("/sk/certificate-summary/lines", test_summary_lines);
  g_test_add_func ("/sk/certificate-row/missing", test_row_missing);
  g_test_add_func ("/sk/widget-util/format", test_format);

  return g_test_run ();
}
