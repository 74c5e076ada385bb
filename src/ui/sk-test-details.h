/* sk-test-details.h — what a connection test saw, for IT support: the
 * conversation with each server, the certificates, a report to copy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-account.h"
#include "core/sk-connection-test.h"

G_BEGIN_DECLS

#define SK_TYPE_TEST_DETAILS (sk_test_details_get_type ())

G_DECLARE_FINAL_TYPE (SkTestDetails, sk_test_details, SK, TEST_DETAILS, GtkWindow)

/* tested is the account as it was tested; the window keeps nothing of
 * either. */
SkTestDetails *sk_test_details_new       (GtkWindow          *parent,
                                          SkAccount          *tested,
                                          const SkTestResult *result);

/* The plain-text report the window copies: the settings (never a
 * password), the steps with their times, the diagnosis codes and the
 * conversations with the servers. */
char          *sk_test_report_new        (SkAccount          *tested,
                                          const SkTestResult *result);

/* Words shared with the test panel, translated. */
const char    *sk_test_step_get_title    (SkTestStep          step);
char          *sk_test_side_dup_title    (SkTestSide          side,
                                          SkProtocol          protocol);

G_END_DECLS
