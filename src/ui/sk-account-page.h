/* sk-account-page.h — what every tab of the Account properties dialog does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-account.h"

G_BEGIN_DECLS

#define SK_TYPE_ACCOUNT_PAGE (sk_account_page_get_type ())

G_DECLARE_INTERFACE (SkAccountPage, sk_account_page, SK, ACCOUNT_PAGE, GtkWidget)

struct _SkAccountPageInterface
{
  GTypeInterface parent_iface;

  /* The page edits account in place (the dialog hands it a copy). */
  void     (*set_account)   (SkAccountPage *self,
                             SkAccount     *account);
  /* Marks and explains, next to its fields, the problems that belong to this
   * page (problems holds SkProblem, found by the account's own validation),
   * clears the marks of fields that are now right, and returns TRUE when the
   * page shows no problem, including any it knows of itself (such as an
   * unconfirmed choice).  The dialog calls it whenever the account changes. */
  gboolean (*show_problems) (SkAccountPage *self,
                             GPtrArray     *problems);
};

void     sk_account_page_set_account   (SkAccountPage *self,
                                        SkAccount     *account);
gboolean sk_account_page_show_problems (SkAccountPage *self,
                                        GPtrArray     *problems);

/* Helpers for pages. */

/* The message of the first problem about field, or NULL. */
const char *sk_problems_find         (GPtrArray     *problems,
                                      SkField        field);
/* Marks widget as invalid (style class "error", accessible state invalid)
 * and shows message in label, the explanation next to the field; a NULL
 * message clears both and hides label.  Returns TRUE when message is NULL. */
gboolean    sk_field_show_problem    (GtkWidget     *widget,
                                      GtkLabel      *label,
                                      const char    *message);

G_END_DECLS
