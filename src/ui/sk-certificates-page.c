/* sk-certificates-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-certificate-store.h"

#include "sk-certificate-import.h"
#include "sk-certificate-row.h"
#include "sk-certificate-summary.h"
#include "sk-certificates-page.h"
#include "sk-confirm-dialog.h"
#include "sk-widget-util.h"

static gboolean
same_fingerprint (const char *a,
                  const char *b)
{
  return a != NULL && b != NULL && a[0] != '\0' && g_ascii_strcasecmp (a, b) == 0;
}

/* The page */

typedef enum
{
  NOTICE_NONE,
  NOTICE_BUSY,
  NOTICE_DONE,
  NOTICE_INFO,
  NOTICE_ERROR,
} NoticeKind;

typedef enum
{
  COLUMN_SUBJECT,
  COLUMN_EMAIL,
  COLUMN_ISSUER,
  COLUMN_VALID_TO,
  COLUMN_STATUS,
  COLUMN_DEFAULT,
} Column;

struct _SkCertificatesPage
{
  GtkWidget            parent_instance;

  GtkStack            *stack;
  GtkColumnView       *certificates_view;
  GtkSingleSelection  *selection;
  GtkColumnViewColumn *subject_column;
  GtkColumnViewColumn *email_column;
  GtkColumnViewColumn *issuer_column;
  GtkColumnViewColumn *valid_to_column;
  GtkColumnViewColumn *status_column;
  GtkColumnViewColumn *default_column;
  GtkWidget           *details_box;
  GtkImage            *details_icon;
  GtkLabel            *details_sentence;
  SkCertificateSummary *details_summary;
  GtkWidget           *notice_box;
  GtkSpinner          *notice_spinner;
  GtkImage            *notice_icon;
  GtkLabel            *notice_label;

  GListStore          *rows;
  SkAccount           *account;
  GPtrArray           *imported;       /* fingerprints this page put into the store */
  GtkNativeDialog     *chooser;
  SkConfirmDialog     *remove_dialog;
  GCancellable        *import;         /* the import under way's, or NULL */
};

static void sk_certificates_page_iface_init (SkAccountPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkCertificatesPage, sk_certificates_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SK_TYPE_ACCOUNT_PAGE,
                                                      sk_certificates_page_iface_init))

static void
set_icon (GtkImage   *image,
          const char *icon_name,
          const char *css_class)
{
  const char *classes[] = { "success-icon", "warning-icon", "error-icon" };

  gtk_image_set_from_icon_name (image, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    sk_widget_set_css_class (GTK_WIDGET (image), classes[i], g_strcmp0 (classes[i], css_class) == 0);
}

static const char *
get_email (SkCertificatesPage *self)
{
  const char *email = sk_account_get_email (self->account);

  /* No address yet: nothing to compare with. */
  return email != NULL && email[0] != '\0' ? email : NULL;
}

static gboolean
is_listed (SkAccount  *account,
           const char *sha256)
{
  const char * const *listed = sk_account_get_certificates (account);

  for (guint i = 0; listed[i] != NULL; i++)
    if (same_fingerprint (listed[i], sha256))
      return TRUE;

  return FALSE;
}

static void
set_notice (SkCertificatesPage *self,
            NoticeKind          kind,
            const char         *text)
{
  gboolean busy = kind == NOTICE_BUSY;

  gtk_widget_set_visible (self->notice_box, kind != NOTICE_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_spinner), busy);
  gtk_spinner_set_spinning (self->notice_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_icon), kind != NOTICE_NONE && !busy);

  switch (kind)
    {
    case NOTICE_DONE:
      set_icon (self->notice_icon, "object-select-symbolic", "success-icon");
      break;
    case NOTICE_INFO:
      set_icon (self->notice_icon, "dialog-information-symbolic", NULL);
      break;
    case NOTICE_ERROR:
      set_icon (self->notice_icon, "dialog-error-symbolic", "error-icon");
      break;
    case NOTICE_NONE:
    case NOTICE_BUSY:
    default:
      break;
    }

  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
  sk_widget_set_css_class (GTK_WIDGET (self->notice_label), "error", kind == NOTICE_ERROR);
}

static SkCertificateRow *
get_selected_row (SkCertificatesPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static gboolean
find_row (SkCertificatesPage *self,
          const char         *sha256,
          guint              *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkCertificateRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      if (same_fingerprint (sk_certificate_row_get_sha256 (row), sha256))
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
select_fingerprint (SkCertificatesPage *self,
                    const char         *sha256)
{
  guint position;

  if (find_row (self, sha256, &position))
    gtk_single_selection_set_selected (self->selection, position);
}

static void
update_actions (SkCertificatesPage *self)
{
  SkCertificateRow *row = get_selected_row (self);
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "certificates.import",
                                 self->account != NULL && self->import == NULL &&
                                 self->chooser == NULL);
  gtk_widget_action_set_enabled (widget, "certificates.remove", row != NULL);
  gtk_widget_action_set_enabled (widget, "certificates.set-default",
                                 row != NULL && sk_certificate_row_get_certificate (row) != NULL &&
                                 !sk_certificate_row_get_is_default (row));
}

static void
update_details (SkCertificatesPage *self)
{
  SkCertificateRow *row = get_selected_row (self);
  SkCertificate *certificate;

  gtk_widget_set_visible (self->details_box, row != NULL);
  if (row == NULL)
    return;

  set_icon (self->details_icon, sk_certificate_row_get_status_icon (row),
            sk_certificate_row_get_status_css_class (row));
  gtk_label_set_text (self->details_sentence, sk_certificate_row_get_sentence (row));

  /* A certificate the store lost is known by its fingerprint alone. */
  certificate = sk_certificate_row_get_certificate (row);
  sk_certificate_summary_set_subject (self->details_summary,
                                      certificate != NULL ? sk_certificate_get_subject (certificate) : NULL);
  sk_certificate_summary_set_issuer (self->details_summary,
                                     certificate != NULL ? sk_certificate_get_issuer (certificate) : NULL);
  sk_certificate_summary_set_validity (self->details_summary, sk_certificate_row_get_validity (row));
  sk_certificate_summary_set_issuer_check (self->details_summary, sk_certificate_row_get_trust (row));
  sk_certificate_summary_set_sha256 (self->details_summary, sk_certificate_row_get_sha256 (row));
}

static void
selection_changed (SkCertificatesPage *self)
{
  update_details (self);
  update_actions (self);
}

/* The list follows the account */

static void
update_rows (SkCertificatesPage *self)
{
  GListModel *rows = G_LIST_MODEL (self->rows);
  const char *email = get_email (self);
  const char *default_sha256 = sk_account_get_default_certificate (self->account);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SkCertificateRow) row = g_list_model_get_item (rows, i);

      sk_certificate_row_update (row, email,
                                 same_fingerprint (sk_certificate_row_get_sha256 (row), default_sha256));
    }

  update_details (self);
  update_actions (self);
}

/* Rows of certificates still listed are kept (with what was learnt of
 * them), and so is the selection. */
static void
sync_rows (SkCertificatesPage *self)
{
  const char * const *listed = sk_account_get_certificates (self->account);
  SkCertificateRow *selected = get_selected_row (self);
  g_autofree char *selected_sha256 = selected != NULL ? g_strdup (sk_certificate_row_get_sha256 (selected))
                                                      : NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint position;

  for (guint i = 0; listed[i] != NULL; i++)
    {
      SkCertificateRow *row;

      if (find_row (self, listed[i], &position))
        row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
      else
        row = sk_certificate_row_new (listed[i]);
      g_ptr_array_add (rows, row);
    }

  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);
  if (selected_sha256 != NULL)
    select_fingerprint (self, selected_sha256);

  gtk_stack_set_visible_child_name (self->stack, rows->len > 0 ? "list" : "empty");
  update_rows (self);
}

static void
set_fingerprints (SkCertificatesPage *self,
                  GPtrArray          *sha256s)
{
  g_ptr_array_add (sha256s, NULL);
  sk_account_set_certificates (self->account, (const char * const *) sha256s->pdata);
  g_ptr_array_remove_index (sha256s, sha256s->len - 1);
}

/* Importing */

static void
end_import (SkCertificatesPage *self)
{
  g_clear_object (&self->import);
  update_actions (self);
}

static void
add_to_account (SkCertificatesPage *self,
                SkCertificate      *certificate,
                gboolean            added)
{
  const char *sha256 = sk_certificate_get_sha256 (certificate);
  const char * const *listed = sk_account_get_certificates (self->account);
  /* The default may be one that was removed since. */
  gboolean has_default = is_listed (self->account, sk_account_get_default_certificate (self->account));
  g_autoptr(GPtrArray) sha256s = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *done = NULL;

  if (added && !g_ptr_array_find_with_equal_func (self->imported, sha256, g_str_equal, NULL))
    g_ptr_array_add (self->imported, g_strdup (sha256));

  for (guint i = 0; listed[i] != NULL; i++)
    g_ptr_array_add (sha256s, g_strdup (listed[i]));
  g_ptr_array_add (sha256s, g_strdup (sha256));
  set_fingerprints (self, sha256s);

  /* The first certificate is the one that signs. */
  if (!has_default)
    sk_account_set_default_certificate (self->account, sha256);

  select_fingerprint (self, sha256);
  /* TRANSLATORS: %s is whose certificate it is, "Jan Kowalski" */
  done = g_strdup_printf (_("Imported the certificate of %s."),
                          sk_certificate_get_display_name (certificate));
  set_notice (self, NOTICE_DONE, done);
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SkCertificatesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean added = FALSE;
  g_autoptr(SkCertificate) certificate = sk_certificate_import_finish (result, &added, &error);

  /* Cancelled with the page, which has let go of the import. */
  if (self->import == NULL)
    return;

  end_import (self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_notice (self, NOTICE_NONE, NULL);
    }
  else if (certificate == NULL)
    {
      set_notice (self, NOTICE_ERROR, error->message);
    }
  else if (is_listed (self->account, sk_certificate_get_sha256 (certificate)))
    {
      select_fingerprint (self, sk_certificate_get_sha256 (certificate));
      set_notice (self, NOTICE_INFO, _("This certificate is already in the list."));
    }
  else
    {
      add_to_account (self, certificate, added);
    }
}

static void
import_progress_cb (SkCertificateImportPhase  phase,
                    const char               *file_name,
                    gpointer                  user_data)
{
  SkCertificatesPage *self = user_data;
  g_autofree char *waiting = NULL;

  switch (phase)
    {
    case SK_CERTIFICATE_IMPORT_ASKING:
      /* TRANSLATORS: %s is the name of the certificate file */
      waiting = g_strdup_printf (_("Waiting for the password of “%s”…"), file_name);
      set_notice (self, NOTICE_BUSY, waiting);
      break;

    case SK_CERTIFICATE_IMPORT_SAVING:
    default:
      set_notice (self, NOTICE_BUSY, _("Saving the certificate…"));
      break;
    }
}

static void
start_import (SkCertificatesPage *self,
              GFile              *file)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *file_name = g_filename_display_name (basename);
  g_autofree char *busy = NULL;

  self->import = g_cancellable_new ();
  update_actions (self);

  /* TRANSLATORS: %s is the name of the certificate file */
  busy = g_strdup_printf (_("Importing “%s”…"), file_name);
  set_notice (self, NOTICE_BUSY, busy);

  sk_certificate_import_async (file,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               sk_account_get_certificates (self->account),
                               import_progress_cb, g_object_ref (self), g_object_unref,
                               self->import, imported_cb, g_object_ref (self));
}

static void
chooser_response (SkCertificatesPage *self,
                  int                 response,
                  GtkNativeDialog    *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);
  update_actions (self);

  if (file != NULL)
    start_import (self, file);
}

static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SkCertificatesPage *self = SK_CERTIFICATES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) certificates = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  const char *suffixes[] = { "p12", "pfx", "pem", "crt", "cer" };
  GtkFileChooserNative *chooser;

  if (self->account == NULL || self->import != NULL || self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Import a Signature Certificate"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (certificates, _("Certificates (.p12, .pfx, .pem, .crt, .cer)"));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    gtk_file_filter_add_suffix (certificates, suffixes[i]);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), certificates);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), certificates);

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response), self, G_CONNECT_SWAPPED);
  set_notice (self, NOTICE_NONE, NULL);
  update_actions (self);
  gtk_native_dialog_show (self->chooser);
}

/* Removing and choosing the default: the account alone changes; the files
 * go (or, when the dialog is cancelled, stay) with it. */

static void
remove_fingerprint (SkCertificatesPage *self,
                    const char         *sha256)
{
  const char * const *listed = sk_account_get_certificates (self->account);
  gboolean was_default = same_fingerprint (sha256, sk_account_get_default_certificate (self->account));
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  guint position = 0;

  for (guint i = 0; listed[i] != NULL; i++)
    {
      if (same_fingerprint (listed[i], sha256))
        position = kept->len;
      else
        g_ptr_array_add (kept, g_strdup (listed[i]));
    }

  set_fingerprints (self, kept);
  /* Signing goes on with the next certificate, not with none. */
  if (was_default)
    sk_account_set_default_certificate (self->account,
                                        kept->len > 0 ? g_ptr_array_index (kept, 0) : "");

  if (kept->len > 0)
    {
      gtk_single_selection_set_selected (self->selection, MIN (position, kept->len - 1));
      gtk_widget_grab_focus (GTK_WIDGET (self->certificates_view));
    }
}

static void
remove_response (SkCertificatesPage *self,
                 gboolean            accepted,
                 SkConfirmDialog    *dialog)
{
  const char *sha256 = g_object_get_data (G_OBJECT (dialog), "sk-sha256");

  if (accepted && self->account != NULL)
    remove_fingerprint (self, sha256);
}

static void
remove_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SkCertificatesPage *self = SK_CERTIFICATES_PAGE (widget);
  SkCertificateRow *row = get_selected_row (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;

  if (row == NULL)
    return;

  if (self->remove_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->remove_dialog));
      return;
    }

  /* TRANSLATORS: %s is whose certificate it is, "Jan Kowalski" */
  heading = g_strdup_printf (_("Remove the certificate of %s?"), sk_certificate_row_get_name (row));
  self->remove_dialog =
    sk_confirm_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                           heading,
                           _("Messages from this account can no longer be signed with it. "
                             "When you click OK, it is also deleted from this computer, "
                             "unless another account uses it."),
                           _("_Remove"),
                           TRUE);
  g_object_set_data_full (G_OBJECT (self->remove_dialog), "sk-sha256",
                          g_strdup (sk_certificate_row_get_sha256 (row)), g_free);
  g_object_add_weak_pointer (G_OBJECT (self->remove_dialog), (gpointer *) &self->remove_dialog);
  g_signal_connect_object (self->remove_dialog, "response",
                           G_CALLBACK (remove_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->remove_dialog));
}

static void
set_default_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SkCertificatesPage *self = SK_CERTIFICATES_PAGE (widget);
  SkCertificateRow *row = get_selected_row (self);

  if (row == NULL || sk_certificate_row_get_certificate (row) == NULL)
    return;

  sk_account_set_default_certificate (self->account, sk_certificate_row_get_sha256 (row));
}

/* SkAccountPage */

static void
disconnect_account (SkCertificatesPage *self)
{
  if (self->account == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
}

static void
sk_certificates_page_set_account (SkAccountPage *page,
                                  SkAccount     *account)
{
  SkCertificatesPage *self = SK_CERTIFICATES_PAGE (page);

  disconnect_account (self);
  self->account = g_object_ref (account);

  g_signal_connect_object (account, "notify::certificates",
                           G_CALLBACK (sync_rows), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::default-certificate",
                           G_CALLBACK (update_rows), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::email",
                           G_CALLBACK (update_rows), self, G_CONNECT_SWAPPED);

  sync_rows (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > 0)
    select_fingerprint (self, sk_account_get_default_certificate (account));
}

static gboolean
sk_certificates_page_show_problems (SkAccountPage *page,
                                    GPtrArray     *problems)
{
  /* Nothing here can be wrong enough to stop saving: each certificate says
   * what is wrong with it, and tab 1 why it cannot sign. */
  return TRUE;
}

static void
sk_certificates_page_iface_init (SkAccountPageInterface *iface)
{
  iface->set_account = sk_certificates_page_set_account;
  iface->show_problems = sk_certificates_page_show_problems;
}

/* Cells */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *child;

  switch (column)
    {
    case COLUMN_STATUS:
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (child), g_object_new (GTK_TYPE_IMAGE,
                                                     "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                                     NULL));
      gtk_box_append (GTK_BOX (child), g_object_new (GTK_TYPE_LABEL, "xalign", 0.0, NULL));
      break;

    case COLUMN_DEFAULT:
      child = gtk_image_new_from_icon_name ("object-select-symbolic");
      gtk_widget_set_halign (child, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Default"),
                                      -1);
      break;

    case COLUMN_VALID_TO:
      /* A date cut short says nothing: the names give way instead. */
      child = g_object_new (GTK_TYPE_LABEL, "xalign", 0.0, NULL);
      break;

    case COLUMN_SUBJECT:
    case COLUMN_EMAIL:
    case COLUMN_ISSUER:
    default:
      child = g_object_new (GTK_TYPE_LABEL,
                            "xalign", 0.0,
                            "ellipsize", PANGO_ELLIPSIZE_END,
                            NULL);
      break;
    }

  gtk_list_item_set_child (list_item, child);
}

/* Cells show the row's properties and follow them. */

static gboolean
text_or_dash (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  const char *text = g_value_get_string (from);

  g_value_set_string (to, text != NULL && text[0] != '\0' ? text : "—");
  return TRUE;
}

static gboolean
css_class_to_classes (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  const char *classes[] = { g_value_get_string (from), NULL };

  g_value_set_boxed (to, classes);
  return TRUE;
}

static gboolean
default_to_tooltip (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  g_value_set_string (to, g_value_get_boolean (from) ? _("Messages are signed with this certificate")
                                                     : NULL);
  return TRUE;
}

static void
bind_cell_property (GtkListItem           *list_item,
                    const char            *source_property,
                    gpointer               target,
                    const char            *target_property,
                    GBindingTransformFunc  transform)
{
  GPtrArray *bindings = g_object_get_data (G_OBJECT (list_item), "sk-bindings");
  GBinding *binding = g_object_bind_property_full (gtk_list_item_get_item (list_item), source_property,
                                                   target, target_property,
                                                   G_BINDING_SYNC_CREATE,
                                                   transform, NULL, NULL, NULL);

  /* Held, so that unbinding is safe whichever end went first. */
  g_ptr_array_add (bindings, g_object_ref (binding));
}

static void
bind_labelled_cell (GtkListItem *list_item,
                    const char  *text_property,
                    const char  *tooltip_property,
                    gboolean     dash)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);

  bind_cell_property (list_item, text_property, label, "label", dash ? text_or_dash : NULL);
  bind_cell_property (list_item, tooltip_property, label, "tooltip-text", NULL);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *child = gtk_list_item_get_child (list_item);

  g_object_set_data_full (G_OBJECT (list_item), "sk-bindings",
                          g_ptr_array_new_with_free_func (g_object_unref),
                          (GDestroyNotify) g_ptr_array_unref);

  switch ((Column) GPOINTER_TO_INT (user_data))
    {
    case COLUMN_SUBJECT:
      bind_labelled_cell (list_item, "name", "subject", FALSE);
      break;

    case COLUMN_EMAIL:
      bind_labelled_cell (list_item, "emails", "emails", TRUE);
      break;

    case COLUMN_ISSUER:
      bind_labelled_cell (list_item, "issuer-name", "issuer", TRUE);
      break;

    case COLUMN_VALID_TO:
      bind_labelled_cell (list_item, "valid-to", "validity", TRUE);
      break;

    case COLUMN_STATUS:
      bind_cell_property (list_item, "status-icon", gtk_widget_get_first_child (child), "icon-name", NULL);
      bind_cell_property (list_item, "status-css-class", gtk_widget_get_first_child (child), "css-classes",
                          css_class_to_classes);
      bind_cell_property (list_item, "status-text", gtk_widget_get_last_child (child), "label", NULL);
      bind_cell_property (list_item, "sentence", child, "tooltip-text", NULL);
      break;

    case COLUMN_DEFAULT:
      bind_cell_property (list_item, "is-default", child, "visible", NULL);
      bind_cell_property (list_item, "is-default", child, "tooltip-text", default_to_tooltip);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  g_autoptr(GPtrArray) bindings = g_object_steal_data (G_OBJECT (list_item), "sk-bindings");

  for (guint i = 0; bindings != NULL && i < bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (bindings, i));
}

static void
set_column_factory (GtkColumnViewColumn *column,
                    Column               kind)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), GINT_TO_POINTER (kind));
  gtk_column_view_column_set_factory (column, factory);
}

/* Public */

char **
sk_certificates_page_dup_imported (SkCertificatesPage *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (SK_IS_CERTIFICATES_PAGE (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->imported->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->imported, i));

  return g_strv_builder_end (builder);
}

GtkWidget *
sk_certificates_page_new (void)
{
  return g_object_new (SK_TYPE_CERTIFICATES_PAGE, NULL);
}

/* GObject */

static void
sk_certificates_page_dispose (GObject *object)
{
  SkCertificatesPage *self = SK_CERTIFICATES_PAGE (object);
  GtkWidget *child;

  if (self->import != NULL)
    {
      g_autoptr(GCancellable) import = g_steal_pointer (&self->import);

      g_cancellable_cancel (import);
    }

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }

  if (self->remove_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->remove_dialog), (gpointer *) &self->remove_dialog);
      gtk_window_destroy (GTK_WINDOW (self->remove_dialog));
      self->remove_dialog = NULL;
    }

  disconnect_account (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_CERTIFICATES_PAGE);
  /* The template's top widget has no name, so nothing above removed it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->rows);

  G_OBJECT_CLASS (sk_certificates_page_parent_class)->dispose (object);
}

static void
sk_certificates_page_finalize (GObject *object)
{
  SkCertificatesPage *self = SK_CERTIFICATES_PAGE (object);

  g_ptr_array_unref (self->imported);

  G_OBJECT_CLASS (sk_certificates_page_parent_class)->finalize (object);
}

static void
sk_certificates_page_class_init (SkCertificatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_certificates_page_dispose;
  object_class->finalize = sk_certificates_page_finalize;

  g_type_ensure (SK_TYPE_CERTIFICATE_SUMMARY);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-certificates-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, certificates_view);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, selection);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, subject_column);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, email_column);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, issuer_column);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, valid_to_column);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, status_column);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, default_column);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, details_box);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, details_icon);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, details_sentence);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, details_summary);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, notice_box);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, notice_spinner);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, SkCertificatesPage, notice_label);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed);

  gtk_widget_class_install_action (widget_class, "certificates.import", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "certificates.remove", NULL, remove_activated);
  gtk_widget_class_install_action (widget_class, "certificates.set-default", NULL,
                                   set_default_activated);
}

static void
sk_certificates_page_init (SkCertificatesPage *self)
{
  self->rows = g_list_store_new (SK_TYPE_CERTIFICATE_ROW);
  self->imported = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->rows));
  set_column_factory (self->subject_column, COLUMN_SUBJECT);
  set_column_factory (self->email_column, COLUMN_EMAIL);
  set_column_factory (self->issuer_column, COLUMN_ISSUER);
  set_column_factory (self->valid_to_column, COLUMN_VALID_TO);
  set_column_factory (self->status_column, COLUMN_STATUS);
  set_column_factory (self->default_column, COLUMN_DEFAULT);

  update_details (self);
  update_actions (self);
}
