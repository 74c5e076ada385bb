/* sk-account-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "sk-account-page.h"

G_DEFINE_INTERFACE (SkAccountPage, sk_account_page, GTK_TYPE_WIDGET)

static void
sk_account_page_default_init (SkAccountPageInterface *iface)
{
}

void
sk_account_page_set_account (SkAccountPage *self,
                             SkAccount     *account)
{
  g_return_if_fail (SK_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (SK_IS_ACCOUNT (account));

  SK_ACCOUNT_PAGE_GET_IFACE (self)->set_account (self, account);
}

gboolean
sk_account_page_show_problems (SkAccountPage *self,
                               GPtrArray     *problems)
{
  g_return_val_if_fail (SK_IS_ACCOUNT_PAGE (self), FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  return SK_ACCOUNT_PAGE_GET_IFACE (self)->show_problems (self, problems);
}

const char *
sk_problems_find (GPtrArray *problems,
                  SkField    field)
{
  g_return_val_if_fail (problems != NULL, NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      const SkProblem *problem = g_ptr_array_index (problems, i);

      if (problem->field == field)
        return problem->message;
    }

  return NULL;
}

gboolean
sk_field_show_problem (GtkWidget  *widget,
                       GtkLabel   *label,
                       const char *message)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (GTK_IS_LABEL (label), FALSE);

  if (message != NULL)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_label_set_text (label, message);
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_label_set_text (label, "");
    }

  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  /* A screen reader announces the field together with why it is wrong. */
  if (message != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL,
                                    -1);
  else
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);

  return message == NULL;
}
