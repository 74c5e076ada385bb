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

G_END_DECLS
