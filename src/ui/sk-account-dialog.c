/* sk-account-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-certificate-store.h"
#include "core/sk-detect.h"
#include "core/sk-diagnosis.h"
#include "core/sk-secret.h"

#include "sk-account-dialog.h"
#include "sk-account-page.h"
#include "sk-certificates-page.h"
#include "sk-confirm-dialog.h"
#include "sk-general-page.h"
#include "sk-gmail-guide.h"
#include "sk-microsoft-guide.h"
#include "sk-servers-page.h"
#include "sk-widget-util.h"

/* What a guide adds to the dialog's width: the pane and the space before
 * it. */
#define GUIDE_WIDTH (320 + 12)

typedef enum
{
  STATE_EDITING,
  STATE_SAVING,  /* the account is saved; the passwords are on their way */
  STATE_SAVED,   /* saved, with something about the password left to say */
} DialogState;

typedef enum
{
  NOTICE_NONE,
  NOTICE_BUSY,
  NOTICE_WARNING,
  NOTICE_ERROR,
} NoticeKind;

enum {
  PAGE_GENERAL,
  PAGE_SERVERS,
  PAGE_CERTIFICATES,
  N_PAGES
};

struct _SkAccountDialog
{
  GtkWindow        parent_instance;

  GtkNotebook     *notebook;
  GtkWidget       *general_page;
  GtkWidget       *servers_page;
  GtkWidget       *certificates_page;
  GtkWidget       *general_warning;
  GtkWidget       *servers_warning;
  GtkWidget       *certificates_warning;
  GtkSpinner      *notice_spinner;
  GtkImage        *notice_icon;
  GtkLabel        *notice_label;
  GtkWidget       *cancel_button;
  GtkWidget       *ok_button;
  GtkWidget       *close_button;
  GtkToggleButton *guide_button;
  GtkWidget       *guide;             /* Gmail's */
  GtkWidget       *microsoft_guide;

  SkAccountStore  *store;
  SkAccount       *original;   /* NULL for a new account */
  SkAccount       *account;    /* the copy the pages edit */
  SkAccount       *snapshot;   /* what "no unsaved changes" means */
  GCancellable    *cancellable;
  GSettings       *settings;
  SkConfirmDialog *discard_dialog;

  DialogState      state;
  gboolean         valid;
  guint            n_lookups;
  guint            n_stores;
  gboolean         keyring_missing;
  char            *secret_error;

  SkDetectSource   google_source;  /* what the address says of Google */
  gboolean         guide_touched;  /* shown or hidden once: no longer opens by itself */
};

G_DEFINE_FINAL_TYPE (SkAccountDialog, sk_account_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_notice (SkAccountDialog *self,
            NoticeKind       kind,
            const char      *text)
{
  gboolean busy = kind == NOTICE_BUSY;
  gboolean has_icon = kind == NOTICE_WARNING || kind == NOTICE_ERROR;

  gtk_widget_set_visible (GTK_WIDGET (self->notice_spinner), busy);
  gtk_spinner_set_spinning (self->notice_spinner, busy);

  gtk_widget_set_visible (GTK_WIDGET (self->notice_icon), has_icon);
  if (has_icon)
    gtk_image_set_from_icon_name (self->notice_icon,
                                  kind == NOTICE_ERROR ? "dialog-error-symbolic"
                                                       : "dialog-warning-symbolic");
  sk_widget_set_css_class (GTK_WIDGET (self->notice_icon), "error-icon", kind == NOTICE_ERROR);
  sk_widget_set_css_class (GTK_WIDGET (self->notice_icon), "warning-icon", kind == NOTICE_WARNING);

  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
  sk_widget_set_css_class (GTK_WIDGET (self->notice_label), "error", kind == NOTICE_ERROR);
}

static void
update_buttons (SkAccountDialog *self)
{
  gboolean editing = self->state == STATE_EDITING;
  gboolean saved = self->state == STATE_SAVED;

  /* OK waits for the saved passwords: saving before they arrive would
   * replace them with empty ones. */
  gtk_widget_set_sensitive (self->ok_button, editing && self->valid && self->n_lookups == 0);
  gtk_widget_set_sensitive (self->cancel_button, editing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->notebook), editing);

  gtk_widget_set_visible (self->ok_button, !saved);
  gtk_widget_set_visible (self->cancel_button, !saved);
  gtk_widget_set_visible (self->close_button, saved);
  gtk_window_set_default_widget (GTK_WINDOW (self), saved ? self->close_button : self->ok_button);
}

static GtkWidget *
get_page (SkAccountDialog *self,
          guint            page)
{
  GtkWidget *pages[N_PAGES] = { self->general_page, self->servers_page, self->certificates_page };

  return pages[page];
}

static GtkWidget *
get_warning (SkAccountDialog *self,
             guint            page)
{
  GtkWidget *warnings[N_PAGES] = { self->general_warning, self->servers_warning,
                                   self->certificates_warning };

  return warnings[page];
}

/* GTK 4.8 calls every notebook tab "Tab" to screen readers.  The accessible
 * tab is the parent of the widget given as the tab's label. */
static GtkAccessible *
get_accessible_tab (SkAccountDialog *self,
                    guint            page)
{
  GtkWidget *tab_label = gtk_notebook_get_tab_label (self->notebook, get_page (self, page));

  return GTK_ACCESSIBLE (gtk_widget_get_parent (tab_label));
}

static void
name_tabs (SkAccountDialog *self)
{
  for (guint i = 0; i < N_PAGES; i++)
    {
      GtkWidget *tab_label = gtk_notebook_get_tab_label (self->notebook, get_page (self, i));
      GtkLabel *label = GTK_LABEL (gtk_widget_get_first_child (tab_label));

      gtk_accessible_update_property (get_accessible_tab (self, i),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (label),
                                      -1);
    }
}

static GPtrArray *
validate_account (SkAccountDialog *self)
{
  g_auto(GStrv) taken_names = sk_account_store_dup_names (self->store, self->original);

  return sk_account_validate (self->account, (const char * const *) taken_names);
}

static void
revalidate (SkAccountDialog *self)
{
  g_autoptr(GPtrArray) problems = validate_account (self);
  gboolean valid = TRUE;

  /* Every page, not just the first with a problem: each marks its fields. */
  for (guint i = 0; i < N_PAGES; i++)
    {
      gboolean page_valid = sk_account_page_show_problems (SK_ACCOUNT_PAGE (get_page (self, i)), problems);

      gtk_widget_set_visible (get_warning (self, i), !page_valid);
      if (page_valid)
        gtk_accessible_reset_property (get_accessible_tab (self, i),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      else
        gtk_accessible_update_property (get_accessible_tab (self, i),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                        _("Something on this tab needs to be corrected"),
                                        -1);
      valid &= page_valid;
    }

  self->valid = valid;
  update_buttons (self);
}

static void
users_changed (SkAccountDialog *self,
               guint            position,
               guint            removed,
               guint            added,
               GListModel      *users)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SkAccountUser) user = g_list_model_get_item (users, i);

      g_signal_connect_object (user, "notify", G_CALLBACK (revalidate), self, G_CONNECT_SWAPPED);
    }

  revalidate (self);
}

/* The guides: Gmail's, or Microsoft 365's for an account that signs in
 * with Microsoft.  One button shows whichever fits the account. */

static gboolean
is_google_account (SkAccountDialog *self)
{
  return self->google_source != SK_DETECT_SOURCE_NONE ||
         sk_host_is_google (sk_account_get_incoming_host (self->account)) ||
         sk_host_is_google (sk_account_get_outgoing_host (self->account));
}

static gboolean
is_microsoft_account (SkAccountDialog *self)
{
  return sk_account_uses_oauth2 (self->account)
         && g_strcmp0 (sk_account_get_oauth2_provider (self->account), "microsoft") == 0;
}

static GtkWidget *
current_guide (SkAccountDialog *self)
{
  return is_microsoft_account (self) ? self->microsoft_guide : self->guide;
}

static gboolean
guide_shown (SkAccountDialog *self)
{
  return gtk_widget_get_visible (self->guide) || gtk_widget_get_visible (self->microsoft_guide);
}

static void
guide_toggled (SkAccountDialog *self)
{
  gboolean shown = gtk_toggle_button_get_active (self->guide_button);
  GtkWidget *guide = current_guide (self);
  int width;
  int height;

  self->guide_touched = TRUE;
  if (shown == guide_shown (self))
    return;

  gtk_widget_set_visible (guide, shown);

  /* The pane comes beside the tabs, which keep their width. */
  if (gtk_window_is_maximized (GTK_WINDOW (self)))
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (self),
                                 shown ? width + GUIDE_WIDTH : MAX (width - GUIDE_WIDTH, 1),
                                 height);
}

static void
show_guide (SkAccountDialog *self)
{
  gtk_toggle_button_set_active (self->guide_button, TRUE);
}

/* The button names the guide it shows; an open pane follows the account
 * from one kind to the other. */
static void
update_guide_button (SkAccountDialog *self)
{
  gboolean microsoft = is_microsoft_account (self);
  const char *label = microsoft ? _("Microsoft 365 guide") : _("Gmail guide");

  gtk_button_set_label (GTK_BUTTON (self->guide_button), label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->guide_button),
                               microsoft
                               ? _("Signing in with Microsoft, and what to ask IT support for (F1)")
                               : _("Step by step to an app password for a Gmail account (F1)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->guide_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  if (guide_shown (self))
    {
      gtk_widget_set_visible (self->guide, !microsoft);
      gtk_widget_set_visible (self->microsoft_guide, microsoft);
    }
}

/* A Google or Microsoft account gets its guide once, when it becomes one;
 * a guide the person closed stays closed. */
static void
update_google (SkAccountDialog *self)
{
  sk_servers_page_set_google (SK_SERVERS_PAGE (self->servers_page), self->google_source);
  sk_gmail_guide_set_workspace (SK_GMAIL_GUIDE (self->guide),
                                self->google_source == SK_DETECT_SOURCE_WORKSPACE);
  update_guide_button (self);

  if (!self->guide_touched && (is_google_account (self) || is_microsoft_account (self)))
    show_guide (self);
}

static void
email_changed (SkAccountDialog *self)
{
  /* A Workspace domain is known only once the general page has looked it up. */
  self->google_source = sk_email_is_gmail (sk_account_get_email (self->account))
                        ? SK_DETECT_SOURCE_GMAIL : SK_DETECT_SOURCE_NONE;
  update_google (self);
}

static void
address_detected (SkAccountDialog *self,
                  SkDetection     *detection)
{
  if (detection->source == SK_DETECT_SOURCE_GMAIL ||
      detection->source == SK_DETECT_SOURCE_WORKSPACE)
    self->google_source = detection->source;
  else
    self->google_source = SK_DETECT_SOURCE_NONE;

  update_google (self);
}

/* "Sign in with …" on tab 1 or in a guide: the row that shows how it
 * goes is on tab 2. */
static void
guide_sign_in (SkAccountDialog *self)
{
  gtk_notebook_set_current_page (self->notebook, PAGE_SERVERS);
  sk_servers_page_sign_in (SK_SERVERS_PAGE (self->servers_page));
}

/* The Gmail guide's other way in: Google's servers, signed in to. */
static void
guide_sign_in_google (SkAccountDialog *self)
{
  gtk_notebook_set_current_page (self->notebook, PAGE_SERVERS);
  if (!sk_host_is_google (sk_account_get_incoming_host (self->account)))
    sk_servers_page_fill_in_google (SK_SERVERS_PAGE (self->servers_page));
  sk_servers_page_use_sign_in (SK_SERVERS_PAGE (self->servers_page), "google");
  sk_servers_page_sign_in (SK_SERVERS_PAGE (self->servers_page));
}

static void
guide_fill_in (SkAccountDialog *self)
{
  gtk_notebook_set_current_page (self->notebook, PAGE_SERVERS);
  sk_servers_page_fill_in_google (SK_SERVERS_PAGE (self->servers_page));
}

/* A failed test that names a step sends a Google account's person back to
 * it; any other account keeps the guide as it is. */
static void
test_guide_step (SkAccountDialog *self,
                 int              step,
                 const char      *web_login_url)
{
  if (step < 1 || step > SK_GMAIL_GUIDE_N_STEPS)
    return;

  if (is_google_account (self))
    show_guide (self);
  else if (!gtk_widget_get_visible (self->guide))
    return;

  sk_gmail_guide_highlight_step (SK_GMAIL_GUIDE (self->guide), (guint) step, web_login_url);
}

/* A Microsoft account's failure, of a test or of signing in, that IT
 * support must act on or that signing in again mends, is explained in the
 * Microsoft 365 guide. */
static void
test_failed (SkAccountDialog *self,
             const char      *code)
{
  SkMicrosoftGuidePart part = sk_microsoft_guide_part_for_code (code);

  if (!is_microsoft_account (self) || part == SK_MICROSOFT_GUIDE_NONE)
    return;

  show_guide (self);
  sk_microsoft_guide_highlight (SK_MICROSOFT_GUIDE (self->microsoft_guide), part);
}

static void
test_started (SkAccountDialog *self)
{
  sk_gmail_guide_highlight_step (SK_GMAIL_GUIDE (self->guide), 0, NULL);
  sk_microsoft_guide_highlight (SK_MICROSOFT_GUIDE (self->microsoft_guide),
                                SK_MICROSOFT_GUIDE_NONE);
}

/* F1, the key for help, stands in for the button, which has no mnemonic. */
static gboolean
help_pressed (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  SkAccountDialog *self = SK_ACCOUNT_DIALOG (widget);

  gtk_toggle_button_set_active (self->guide_button,
                                !gtk_toggle_button_get_active (self->guide_button));
  return TRUE;
}

/* Passwords from the keyring */

static void
lookup_finished (SkAccountDialog *self)
{
  if (--self->n_lookups > 0)
    return;

  if (self->keyring_missing)
    set_notice (self, NOTICE_WARNING,
                _("No keyring is running, so the password could not be read. Type it on tab 2: "
                  "it is kept only until Skrzynka is closed."));
  else if (self->secret_error != NULL)
    set_notice (self, NOTICE_ERROR, self->secret_error);
  else
    set_notice (self, NOTICE_NONE, NULL);

  g_clear_pointer (&self->secret_error, g_free);
  self->keyring_missing = FALSE;
  update_buttons (self);
}

/* The keyring's messages are whole sentences already; context, when
 * given, is one more sentence put before it. */
static void
note_secret_error (SkAccountDialog *self,
                   const GError    *error,
                   const char      *context)
{
  if (g_error_matches (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING))
    self->keyring_missing = TRUE;
  else if (self->secret_error == NULL && context != NULL)
    self->secret_error = g_strconcat (context, " ", error->message, NULL);
  else if (self->secret_error == NULL)
    self->secret_error = g_strdup (error->message);
}

/* The password stored under role, whether or not the account uses it now:
 * a separate SMTP password is kept while its box is unticked. */
static const char *
get_secret (SkAccount    *account,
            SkSecretRole  role)
{
  if (role == SK_SECRET_INCOMING)
    return sk_account_get_password (account);

  return sk_account_get_outgoing_password (account);
}

static void
set_secret (SkAccount    *account,
            SkSecretRole  role,
            const char   *password)
{
  if (role == SK_SECRET_INCOMING)
    sk_account_set_password (account, password);
  else
    sk_account_set_outgoing_password (account, password);
}

static void
password_looked_up (SkAccountDialog *self,
                    SkSecretRole     role,
                    GAsyncResult    *result)
{
  g_autoptr(GError) error = NULL;
  char *password = sk_secret_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    {
      sk_secret_free (password);
      return;
    }

  if (error != NULL)
    note_secret_error (self, error, NULL);

  if (password != NULL)
    {
      /* Whatever the person typed meanwhile wins over the saved password. */
      if (g_strcmp0 (get_secret (self->account, role), get_secret (self->snapshot, role)) == 0)
        set_secret (self->account, role, password);
      /* A password that was there all along is not a change to ask about. */
      set_secret (self->snapshot, role, password);
      sk_secret_free (password);
    }

  lookup_finished (self);
}

static void
incoming_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SkAccountDialog) self = user_data;

  password_looked_up (self, SK_SECRET_INCOMING, result);
}

static void
outgoing_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SkAccountDialog) self = user_data;

  password_looked_up (self, SK_SECRET_OUTGOING, result);
}

static void
look_up_passwords (SkAccountDialog *self)
{
  const char *id = sk_account_get_id (self->account);

  self->n_lookups = 2;
  set_notice (self, NOTICE_BUSY, _("Looking up the password…"));
  update_buttons (self);

  sk_secret_lookup_async (id, SK_SECRET_INCOMING, self->cancellable,
                          incoming_looked_up, g_object_ref (self));
  sk_secret_lookup_async (id, SK_SECRET_OUTGOING, self->cancellable,
                          outgoing_looked_up, g_object_ref (self));
}

/* Signature certificates: the store keeps what saved accounts list */

/* Saved: what tab 3 removed from the account, and what it imported but
 * the account no longer lists, goes from the store. */
static void
forget_certificates_on_save (SkAccountDialog *self,
                             SkAccount       *previous)
{
  g_auto(GStrv) imported = sk_certificates_page_dup_imported (SK_CERTIFICATES_PAGE (self->certificates_page));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) candidates = NULL;

  g_strv_builder_addv (builder, (const char **) imported);
  if (previous != NULL)
    g_strv_builder_addv (builder, (const char **) sk_account_get_certificates (previous));
  candidates = g_strv_builder_end (builder);
  sk_certificate_store_remove_unused (self->store, (const char * const *) candidates);
}

/* Not saved: what tab 3 imported goes again, unless a saved account
 * lists it. */
static void
forget_certificates_unsaved (SkAccountDialog *self)
{
  g_auto(GStrv) imported = sk_certificates_page_dup_imported (SK_CERTIFICATES_PAGE (self->certificates_page));

  sk_certificate_store_remove_unused (self->store, (const char * const *) imported);
}

/* Saving */

/* The separate SMTP password, or NULL when there is no separate SMTP login:
 * then an old one must not linger in the keyring. */
static const char *
get_outgoing_password_to_keep (SkAccountDialog *self)
{
  if (sk_account_get_outgoing_login (self->account) == SK_OUTGOING_LOGIN_OWN)
    return sk_account_get_outgoing_password (self->account);

  return NULL;
}

static gboolean
has_password_to_keep (SkAccountDialog *self)
{
  const char *incoming = sk_account_get_password (self->account);
  const char *outgoing = get_outgoing_password_to_keep (self);

  return (incoming != NULL && incoming[0] != '\0') || (outgoing != NULL && outgoing[0] != '\0');
}

static void
password_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SkAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sk_secret_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      note_secret_error (self, error, _("The account is saved."));
    }

  if (g_cancellable_is_cancelled (self->cancellable) || --self->n_stores > 0)
    return;

  if (self->secret_error != NULL)
    {
      self->state = STATE_SAVED;
      set_notice (self, NOTICE_ERROR, self->secret_error);
    }
  else if (self->keyring_missing && has_password_to_keep (self))
    {
      self->state = STATE_SAVED;
      set_notice (self, NOTICE_WARNING,
                  _("Saved. No keyring is running, so the password is kept only until "
                    "Skrzynka is closed."));
    }
  else
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  update_buttons (self);
  gtk_widget_grab_focus (self->close_button);
}

static void
store_passwords (SkAccountDialog *self)
{
  const char *id = sk_account_get_id (self->account);
  const char *name = sk_account_get_name (self->account);

  self->state = STATE_SAVING;
  self->n_stores = 2;
  self->keyring_missing = FALSE;
  g_clear_pointer (&self->secret_error, g_free);
  set_notice (self, NOTICE_BUSY, _("Saving the password…"));
  update_buttons (self);

  sk_secret_store_async (id, SK_SECRET_INCOMING, name, sk_account_get_password (self->account),
                         self->cancellable, password_stored, g_object_ref (self));
  sk_secret_store_async (id, SK_SECRET_OUTGOING, name, get_outgoing_password_to_keep (self),
                         self->cancellable, password_stored, g_object_ref (self));
}

static void
ok_clicked (SkAccountDialog *self)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(SkAccount) saved = NULL;
  g_autoptr(SkAccount) previous = NULL;
  g_autoptr(GError) error = NULL;

  revalidate (self);
  if (!gtk_widget_get_sensitive (self->ok_button))
    return;

  /* A problem no page claims must still stop the save, and be said. */
  problems = validate_account (self);
  if (problems->len > 0)
    {
      const SkProblem *problem = g_ptr_array_index (problems, 0);

      set_notice (self, NOTICE_ERROR, problem->message);
      return;
    }

  /* The store gets its own object: the pages go on editing this one if the
   * file cannot be written. */
  saved = sk_account_copy (self->account);
  if (self->original != NULL)
    previous = sk_account_copy (self->original);

  sk_account_store_put (self->store, saved);
  if (!sk_account_store_save (self->store, &error))
    {
      g_autofree char *message = NULL;

      /* The list shows what the file holds. */
      if (previous != NULL)
        sk_account_store_put (self->store, previous);
      else
        sk_account_store_remove (self->store, saved);

      message = g_strdup_printf (_("The account could not be saved: %s"), error->message);
      set_notice (self, NOTICE_ERROR, message);
      return;
    }

  forget_certificates_on_save (self, previous);
  store_passwords (self);
}

/* Closing */

static void
discard_response (SkAccountDialog *self,
                  gboolean         accepted)
{
  if (accepted)
    gtk_window_destroy (GTK_WINDOW (self));
}

/* TRUE when the dialog may close now; otherwise it asks first, or (while
 * the passwords are being saved) refuses. */
static gboolean
may_close (SkAccountDialog *self)
{
  switch (self->state)
    {
    case STATE_SAVING:
      return FALSE;

    case STATE_SAVED:
      return TRUE;

    case STATE_EDITING:
    default:
      break;
    }

  if (sk_account_equal (self->account, self->snapshot))
    return TRUE;

  if (self->discard_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->discard_dialog));
      return FALSE;
    }

  self->discard_dialog = sk_confirm_dialog_new (GTK_WINDOW (self),
                                                _("Discard changes?"),
                                                _("The changes you made to this account will be lost."),
                                                _("_Discard"),
                                                TRUE);
  g_object_add_weak_pointer (G_OBJECT (self->discard_dialog), (gpointer *) &self->discard_dialog);
  g_signal_connect_object (self->discard_dialog, "response",
                           G_CALLBACK (discard_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->discard_dialog));

  return FALSE;
}

static void
cancel_clicked (SkAccountDialog *self)
{
  if (may_close (self))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
close_clicked (SkAccountDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
escape_pressed (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  cancel_clicked (SK_ACCOUNT_DIALOG (widget));
  return TRUE;
}

static gboolean
sk_account_dialog_close_request (GtkWindow *window)
{
  if (!may_close (SK_ACCOUNT_DIALOG (window)))
    return TRUE;

  return GTK_WINDOW_CLASS (sk_account_dialog_parent_class)->close_request (window);
}

/* The size, remembered between dialogs when the settings schema is there. */

static void
load_size (SkAccountDialog *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  int width;
  int height;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL ||
      !g_settings_schema_has_key (schema, "dialog-width") ||
      !g_settings_schema_has_key (schema, "dialog-height"))
    return;

  self->settings = g_settings_new_full (schema, NULL, NULL);
  width = g_settings_get_int (self->settings, "dialog-width");
  height = g_settings_get_int (self->settings, "dialog-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
}

static void
save_size (SkAccountDialog *self)
{
  int width;
  int height;

  if (self->settings == NULL || gtk_window_is_maximized (GTK_WINDOW (self)))
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  /* The size of the dialog itself: the guide adds to it when it opens. */
  if (guide_shown (self))
    width = MAX (width - GUIDE_WIDTH, 1);
  g_settings_set_int (self->settings, "dialog-width", width);
  g_settings_set_int (self->settings, "dialog-height", height);
}

static void
sk_account_dialog_constructed (GObject *object)
{
  SkAccountDialog *self = SK_ACCOUNT_DIALOG (object);
  GListModel *users;

  G_OBJECT_CLASS (sk_account_dialog_parent_class)->constructed (object);

  self->account = self->original != NULL ? sk_account_copy (self->original) : sk_account_new ();
  for (guint i = 0; i < N_PAGES; i++)
    sk_account_page_set_account (SK_ACCOUNT_PAGE (get_page (self, i)), self->account);
  sk_gmail_guide_set_account (SK_GMAIL_GUIDE (self->guide), self->account);
  sk_microsoft_guide_set_account (SK_MICROSOFT_GUIDE (self->microsoft_guide), self->account);
  /* Taken after the pages have shown the account, so that nothing they
   * tidied on the way counts as a change. */
  self->snapshot = sk_account_copy (self->account);

  g_signal_connect_object (self->account, "notify", G_CALLBACK (revalidate), self, G_CONNECT_SWAPPED);
  users = G_LIST_MODEL (sk_account_get_users (self->account));
  g_signal_connect_object (users, "items-changed", G_CALLBACK (users_changed), self, G_CONNECT_SWAPPED);
  users_changed (self, 0, 0, g_list_model_get_n_items (users), users);

  g_signal_connect_object (self->account, "notify::email",
                           G_CALLBACK (email_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::incoming-host",
                           G_CALLBACK (update_google), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::outgoing-host",
                           G_CALLBACK (update_google), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::oauth2-provider",
                           G_CALLBACK (update_google), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::incoming-auth",
                           G_CALLBACK (update_google), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::outgoing-auth-method",
                           G_CALLBACK (update_google), self, G_CONNECT_SWAPPED);
  email_changed (self);

  if (self->original != NULL)
    look_up_passwords (self);
}

static void
sk_account_dialog_dispose (GObject *object)
{
  SkAccountDialog *self = SK_ACCOUNT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  save_size (self);

  /* Closed without saving (Cancel, or the application ending). */
  if (self->state == STATE_EDITING && self->certificates_page != NULL)
    forget_certificates_unsaved (self);
  /* A new account never saved keeps nothing in the keyring: a sign-in
   * made in the dialog goes with it. */
  if (self->state == STATE_EDITING && self->original == NULL && self->account != NULL
      && sk_account_uses_oauth2 (self->account))
    sk_secret_clear_async (sk_account_get_id (self->account), NULL, NULL, NULL);

  if (self->discard_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->discard_dialog), (gpointer *) &self->discard_dialog);
  self->discard_dialog = NULL;

  /* Nothing may validate against pages that are going away. */
  if (self->account != NULL)
    {
      GListModel *users = G_LIST_MODEL (sk_account_get_users (self->account));

      for (guint i = 0; i < g_list_model_get_n_items (users); i++)
        {
          g_autoptr(SkAccountUser) user = g_list_model_get_item (users, i);

          g_signal_handlers_disconnect_by_data (user, self);
        }
      g_signal_handlers_disconnect_by_data (users, self);
      g_signal_handlers_disconnect_by_data (self->account, self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_ACCOUNT_DIALOG);

  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->original);
  g_clear_object (&self->account);
  g_clear_object (&self->snapshot);

  G_OBJECT_CLASS (sk_account_dialog_parent_class)->dispose (object);
}

static void
sk_account_dialog_finalize (GObject *object)
{
  SkAccountDialog *self = SK_ACCOUNT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_free (self->secret_error);

  G_OBJECT_CLASS (sk_account_dialog_parent_class)->finalize (object);
}

static void
sk_account_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SkAccountDialog *self = SK_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_ACCOUNT:
      g_value_set_object (value, self->original);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_account_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SkAccountDialog *self = SK_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_ACCOUNT:
      self->original = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_account_dialog_class_init (SkAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sk_account_dialog_constructed;
  object_class->dispose = sk_account_dialog_dispose;
  object_class->finalize = sk_account_dialog_finalize;
  object_class->get_property = sk_account_dialog_get_property;
  object_class->set_property = sk_account_dialog_set_property;
  window_class->close_request = sk_account_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         SK_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         SK_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The pages are typed children of the template's notebook. */
  g_type_ensure (SK_TYPE_GENERAL_PAGE);
  g_type_ensure (SK_TYPE_SERVERS_PAGE);
  g_type_ensure (SK_TYPE_CERTIFICATES_PAGE);
  g_type_ensure (SK_TYPE_GMAIL_GUIDE);
  g_type_ensure (SK_TYPE_MICROSOFT_GUIDE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-account-dialog.ui");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DIALOG);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, notebook);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, general_page);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, servers_page);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, certificates_page);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, general_warning);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, servers_warning);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, certificates_warning);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, notice_spinner);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, notice_label);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, ok_button);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, guide_button);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, guide);
  gtk_widget_class_bind_template_child (widget_class, SkAccountDialog, microsoft_guide);
  gtk_widget_class_bind_template_callback (widget_class, ok_clicked);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked);
  gtk_widget_class_bind_template_callback (widget_class, guide_toggled);
  gtk_widget_class_bind_template_callback (widget_class, address_detected);
  gtk_widget_class_bind_template_callback (widget_class, guide_fill_in);
  gtk_widget_class_bind_template_callback (widget_class, guide_sign_in);
  gtk_widget_class_bind_template_callback (widget_class, guide_sign_in_google);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_pressed, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F1, 0, help_pressed, NULL);
}

static void
sk_account_dialog_init (SkAccountDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  name_tabs (self);
  load_size (self);

  g_signal_connect_object (sk_servers_page_get_test_panel (SK_SERVERS_PAGE (self->servers_page)),
                           "guide-step", G_CALLBACK (test_guide_step), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sk_servers_page_get_test_panel (SK_SERVERS_PAGE (self->servers_page)),
                           "started", G_CALLBACK (test_started), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sk_servers_page_get_test_panel (SK_SERVERS_PAGE (self->servers_page)),
                           "failed", G_CALLBACK (test_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sk_servers_page_get_sign_in_row (SK_SERVERS_PAGE (self->servers_page)),
                           "failed", G_CALLBACK (test_failed), self, G_CONNECT_SWAPPED);
}

SkAccountDialog *
sk_account_dialog_new (GtkWindow      *parent,
                       SkAccountStore *store,
                       SkAccount      *account)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SK_IS_ACCOUNT_STORE (store), NULL);
  g_return_val_if_fail (account == NULL || SK_IS_ACCOUNT (account), NULL);

  return g_object_new (SK_TYPE_ACCOUNT_DIALOG,
                       "transient-for", parent,
                       /* Keeps the application running while the dialog is open. */
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       "store", store,
                       "account", account,
                       NULL);
}
