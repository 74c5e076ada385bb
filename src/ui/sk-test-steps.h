/* sk-test-steps.h — the steps of a connection test, one row per server and
 * one column per step, each with its state and time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-connection-test.h"

G_BEGIN_DECLS

#define SK_TYPE_TEST_STEPS (sk_test_steps_get_type ())

G_DECLARE_FINAL_TYPE (SkTestSteps, sk_test_steps, SK, TEST_STEPS, GtkBox)

/* Titles side's row after protocol, forgets its outcome and sets every
 * step waiting. */
void sk_test_steps_reset            (SkTestSteps *self,
                                     SkTestSide   side,
                                     SkProtocol   protocol);
/* seconds: since the side started; shown for finished steps. */
void sk_test_steps_show             (SkTestSteps *self,
                                     SkTestSide   side,
                                     SkTestStep   step,
                                     SkStepState  state,
                                     double       seconds);
/* What came of side, in a sentence: its row's tooltip and accessible
 * description. */
void sk_test_steps_set_outcome      (SkTestSteps *self,
                                     SkTestSide   side,
                                     const char  *message);
void sk_test_steps_set_side_visible (SkTestSteps *self,
                                     SkTestSide   side,
                                     gboolean     visible);

G_END_DECLS
