/* sk-sign-in-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-diagnosis.h"
#include "core/sk-oauth2-provider.h"
#include "core/sk-secret.h"
#include "core/sk-sign-in.h"

#include "sk-sign-in-row.h"
#include "sk-widget-util.h"

typedef enum
{
  STATE_NONE,         /* the account signs in with a password */
  STATE_UNAVAILABLE,  /* the provider is unknown or not set up */
  STATE_LOOKING,      /* asking the keyring whether a sign-in is kept */
  STATE_SIGNED_OUT,
  STATE_SIGNING_IN,   /* the browser has the provider's page */
  STATE_SIGNED_IN,
} State;

struct _SkSignInRow
{
  GtkWidget         parent_instance;

  GtkWidget        *content;
  GtkSpinner       *spinner;
  GtkWidget        *status_icon;
  GtkLabel         *status_label;
  GtkWidget        *buttons;
  GtkButton        *sign_in_button;
  GtkWidget        *sign_out_button;
  GtkWidget        *cancel_button;
  GtkWidget        *address_box;
  GtkLabel         *address_label;
  GtkLabel         *message_label;

  SkAccount        *account;
  SkOAuth2Provider *provider;      /* NULL: none of that id */
  char             *provider_id;   /* the id the state is about */
  State             state;
  gboolean          was_signed_in; /* before the sign-in under way */
  gboolean          sign_in_asked; /* asked while the keyring was looked at */
  GCancellable     *cancellable;   /* the keyring or the sign-in */
  char             *uri;           /* the provider's page while signing in */
  char             *problem;       /* validation's, about the provider */
  char             *failure;       /* why the last sign-in did not work */
};

enum
{
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkSignInRow, sk_sign_in_row, GTK_TYPE_WIDGET)

static const char *
login_hint (SkSignInRow *self)
{
  const char *username = sk_account_get_username (self->account);

  return *username != '\0' ? username : sk_account_get_email (self->account);
}

static gboolean
has_focus_within (GtkWidget *widget)
{
  return gtk_widget_get_visible (widget) && gtk_widget_has_focus (widget);
}

static void
update (SkSignInRow *self)
{
  const char *name = self->provider != NULL ? self->provider->name : self->provider_id;
  gboolean focused = has_focus_within (GTK_WIDGET (self->sign_in_button))
                     || has_focus_within (self->sign_out_button)
                     || has_focus_within (self->cancel_button);
  gboolean busy = self->state == STATE_LOOKING || self->state == STATE_SIGNING_IN;
  g_autofree char *status = NULL;
  g_autofree char *button = NULL;
  g_autofree char *message = NULL;

  switch (self->state)
    {
    case STATE_UNAVAILABLE:
      /* An unknown provider is validation's to explain. */
      if (self->provider != NULL)
        status = g_strdup (self->provider->problem);
      break;
    case STATE_LOOKING:
      status = g_strdup (_("Looking for the saved sign-in…"));
      break;
    case STATE_SIGNED_OUT:
      /* TRANSLATORS: %s is the provider, "Microsoft" or "Google" */
      status = g_strdup_printf (_("Not signed in. Signing in opens %s’s page in your web "
                                  "browser; no password is kept here."), name);
      break;
    case STATE_SIGNING_IN:
      /* TRANSLATORS: %s is the provider, "Microsoft" or "Google" */
      status = g_strdup_printf (_("Finish signing in on %s’s page in your web browser, then "
                                  "come back here."), name);
      break;
    case STATE_SIGNED_IN:
      /* TRANSLATORS: %s is the account the sign-in is for */
      status = g_strdup_printf (_("Signed in as %s."), login_hint (self));
      break;
    case STATE_NONE:
    default:
      break;
    }

  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  gtk_widget_set_visible (self->status_icon, self->state == STATE_SIGNED_IN);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);

  if (self->state == STATE_SIGNED_IN)
    button = g_strdup (_("Sign in a_gain"));
  else
    /* TRANSLATORS: %s is the provider, "Microsoft" or "Google" */
    button = g_strdup_printf (_("Sign in _with %s"), name);
  gtk_button_set_label (self->sign_in_button, button);
  /* Signing in is what comes next only until it is done. */
  sk_widget_set_css_class (GTK_WIDGET (self->sign_in_button), "suggested-action",
                           self->state != STATE_SIGNED_IN);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button),
                          self->state == STATE_SIGNED_OUT || self->state == STATE_SIGNED_IN);
  gtk_widget_set_visible (self->sign_out_button, self->state == STATE_SIGNED_IN);
  gtk_widget_set_visible (self->cancel_button, self->state == STATE_SIGNING_IN);
  gtk_widget_set_visible (self->buttons,
                          self->state == STATE_SIGNED_OUT || self->state == STATE_SIGNED_IN
                          || self->state == STATE_SIGNING_IN);
  if (self->state != STATE_SIGNING_IN)
    gtk_widget_set_visible (self->address_box, FALSE);

  if (self->problem != NULL && self->failure != NULL)
    message = g_strconcat (self->problem, "\n", self->failure, NULL);
  else
    message = g_strdup (self->problem != NULL ? self->problem : self->failure);
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);

  /* The keyboard stays on the row when the button it was on goes. */
  if (focused)
    {
      if (gtk_widget_get_visible (self->cancel_button))
        gtk_widget_grab_focus (self->cancel_button);
      else if (gtk_widget_get_visible (GTK_WIDGET (self->sign_in_button)))
        gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
    }
}

static void
set_state (SkSignInRow *self,
           State        state)
{
  self->state = state;
  update (self);
}

static void
stop (SkSignInRow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->uri, g_free);
}

/* Each operation holds the row and its own cancellable; an operation
 * that was stopped finds its cancellable cancelled and leaves the row. */
typedef struct
{
  SkSignInRow  *self;
  GCancellable *cancellable;
} Op;

static Op *
op_new (SkSignInRow *self)
{
  Op *op = g_new0 (Op, 1);

  stop (self);
  self->cancellable = g_cancellable_new ();
  op->self = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);

  return op;
}

static void
op_free (Op *op)
{
  g_object_unref (op->self);
  g_object_unref (op->cancellable);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

static void
sign_in_looked_up (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSecretString) token = sk_secret_lookup_finish (result, &error);

  if (g_cancellable_is_cancelled (op->cancellable))
    return;

  /* With no keyring there is no sign-in to find; the dialog already says
   * the keyring is missing. */
  if (error != NULL)
    g_debug ("No saved sign-in: %s", error->message);

  set_state (op->self, token != NULL ? STATE_SIGNED_IN : STATE_SIGNED_OUT);

  if (op->self->sign_in_asked)
    sk_sign_in_row_sign_in (op->self);
}

static void
provider_changed (SkSignInRow *self)
{
  const char *id;
  Op *op;

  if (self->account == NULL || !sk_account_uses_oauth2 (self->account))
    {
      stop (self);
      g_clear_pointer (&self->provider_id, g_free);
      g_clear_pointer (&self->provider, sk_oauth2_provider_free);
      g_clear_pointer (&self->failure, g_free);
      set_state (self, STATE_NONE);
      return;
    }

  id = sk_account_get_oauth2_provider (self->account);
  if (self->state != STATE_NONE && g_strcmp0 (id, self->provider_id) == 0)
    return;

  self->sign_in_asked = FALSE;
  stop (self);
  g_free (self->provider_id);
  self->provider_id = g_strdup (id);
  g_clear_pointer (&self->provider, sk_oauth2_provider_free);
  g_clear_pointer (&self->failure, g_free);
  if (*id != '\0')
    self->provider = sk_oauth2_provider_find (id);

  if (self->provider == NULL || self->provider->problem != NULL)
    {
      set_state (self, STATE_UNAVAILABLE);
      return;
    }

  op = op_new (self);
  set_state (self, STATE_LOOKING);
  sk_secret_lookup_sign_in_async (sk_account_get_id (self->account), self->provider->id,
                                  op->cancellable, sign_in_looked_up, op);
}

/* Signing in */

static void
show_address (SkSignInRow *self)
{
  g_autofree char *text = NULL;

  if (self->uri == NULL)
    return;

  text = g_strdup_printf ("%s\n%s",
                          _("The web browser could not be opened. Open this address in a "
                            "browser yourself:"),
                          self->uri);
  gtk_label_set_text (self->address_label, text);
  gtk_widget_set_visible (self->address_box, TRUE);
}

static void
page_shown (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error)
      || g_cancellable_is_cancelled (op->cancellable))
    return;

  g_debug ("The provider's page could not be opened: %s", error->message);
  show_address (op->self);
}

static void
open_page (const char *uri,
           gpointer    user_data)
{
  Op *op = user_data;
  SkSignInRow *self = op->self;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  Op *show;

  g_free (self->uri);
  self->uri = g_strdup (uri);

  if (!GTK_IS_WINDOW (root))
    {
      show_address (self);
      return;
    }

  show = g_new0 (Op, 1);
  show->self = g_object_ref (self);
  show->cancellable = g_object_ref (op->cancellable);
  gtk_show_uri_full (GTK_WINDOW (root), uri, GDK_CURRENT_TIME, op->cancellable, page_shown, show);
}

static void
sign_in_kept (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SkSignInRow *self = op->self;
  g_autoptr(GError) error = NULL;
  gboolean kept = sk_secret_store_finish (result, &error);

  if (g_cancellable_is_cancelled (op->cancellable))
    return;

  g_clear_pointer (&self->uri, g_free);
  /* With no keyring the sign-in is kept for this session: it works, and
   * the words say for how long. */
  if (!kept)
    self->failure = g_strdup (error->message);
  set_state (self, kept || g_error_matches (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING)
                   ? STATE_SIGNED_IN : STATE_SIGNED_OUT);
}

static void
signed_in (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SkSignInRow *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOAuth2Tokens) tokens = sk_sign_in_finish (result, &error);
  GCancellable *cancellable;

  if (g_cancellable_is_cancelled (op->cancellable))
    return;

  if (tokens != NULL && tokens->refresh_token == NULL)
    {
      g_clear_pointer (&tokens, sk_oauth2_tokens_free);
      g_set_error_literal (&error, SK_OAUTH2_ERROR, SK_OAUTH2_ERROR_INVALID_RESPONSE,
                           _("The provider gave no refresh token, so the sign-in cannot be "
                             "kept. Ask IT support to check the provider’s scopes "
                             "(offline_access) and settings."));
    }

  if (tokens == NULL)
    {
      g_autoptr(SkDiagnosis) diagnosis = sk_diagnose_sign_in_error (error);

      g_clear_pointer (&self->uri, g_free);
      self->failure = g_strdup (error->domain == SK_OAUTH2_ERROR
                                && error->code == SK_OAUTH2_ERROR_INVALID_RESPONSE
                                ? error->message : diagnosis->message);
      set_state (self, self->was_signed_in ? STATE_SIGNED_IN : STATE_SIGNED_OUT);
      g_signal_emit (self, signals[FAILED], 0, sk_diagnosis_code_to_string (diagnosis->code));
      return;
    }

  cancellable = op->cancellable;
  sk_secret_store_sign_in_async (sk_account_get_id (self->account), self->provider->id,
                                 self->provider->name, sk_account_get_name (self->account),
                                 tokens->refresh_token, cancellable, sign_in_kept,
                                 g_steal_pointer (&op));
}

void
sk_sign_in_row_sign_in (SkSignInRow *self)
{
  const SkSignInOptions options = { NULL, };
  Op *op;

  g_return_if_fail (SK_IS_SIGN_IN_ROW (self));

  /* Asked together with a change of provider: once the keyring has said
   * whether there is a sign-in already. */
  self->sign_in_asked = self->state == STATE_LOOKING;
  if (self->state != STATE_SIGNED_OUT && self->state != STATE_SIGNED_IN)
    return;

  g_clear_pointer (&self->failure, g_free);
  self->was_signed_in = self->state == STATE_SIGNED_IN;
  op = op_new (self);
  set_state (self, STATE_SIGNING_IN);
  sk_sign_in_async (self->provider, login_hint (self), &options, open_page, op,
                    op->cancellable, signed_in, op);
}

static void
sign_in_clicked (SkSignInRow *self)
{
  sk_sign_in_row_sign_in (self);
}

static void
cancel_clicked (SkSignInRow *self)
{
  stop (self);
  set_state (self, self->was_signed_in ? STATE_SIGNED_IN : STATE_SIGNED_OUT);
}

static void
signed_out (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;

  if (!sk_secret_store_finish (result, &error)
      && !g_error_matches (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING)
      && !g_cancellable_is_cancelled (op->cancellable))
    {
      op->self->failure = g_strdup (error->message);
      set_state (op->self, STATE_SIGNED_IN);
      return;
    }

  if (!g_cancellable_is_cancelled (op->cancellable))
    set_state (op->self, STATE_SIGNED_OUT);
}

static void
sign_out_clicked (SkSignInRow *self)
{
  Op *op;

  g_clear_pointer (&self->failure, g_free);
  op = op_new (self);
  set_state (self, STATE_LOOKING);
  sk_secret_store_sign_in_async (sk_account_get_id (self->account), self->provider->id,
                                 self->provider->name, sk_account_get_name (self->account),
                                 NULL, op->cancellable, signed_out, op);
}

static void
copy_clicked (SkSignInRow *self)
{
  if (self->uri != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->uri);
}

/* The account */

gboolean
sk_sign_in_row_show_problem (SkSignInRow *self,
                             const char  *message)
{
  g_return_val_if_fail (SK_IS_SIGN_IN_ROW (self), TRUE);

  if (g_strcmp0 (message, self->problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_strdup (message);
      update (self);
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->sign_in_button),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);

  return message == NULL;
}

static void
name_changed (SkSignInRow *self)
{
  if (self->state == STATE_SIGNED_IN)
    update (self);
}

void
sk_sign_in_row_set_account (SkSignInRow *self,
                            SkAccount   *account)
{
  static const char * const watched[] = {
    "notify::oauth2-provider", "notify::incoming-auth",
    "notify::outgoing-auth", "notify::outgoing-auth-method",
  };

  g_return_if_fail (SK_IS_SIGN_IN_ROW (self));
  g_return_if_fail (account == NULL || SK_IS_ACCOUNT (account));

  if (account == self->account)
    return;

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);
  self->state = STATE_NONE;

  if (account != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
        g_signal_connect_object (account, watched[i], G_CALLBACK (provider_changed), self,
                                 G_CONNECT_SWAPPED);
      g_signal_connect_object (account, "notify::username", G_CALLBACK (name_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (account, "notify::email", G_CALLBACK (name_changed), self,
                               G_CONNECT_SWAPPED);
    }

  provider_changed (self);
}

static void
sk_sign_in_row_dispose (GObject *object)
{
  SkSignInRow *self = SK_SIGN_IN_ROW (object);

  stop (self);
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_SIGN_IN_ROW);

  G_OBJECT_CLASS (sk_sign_in_row_parent_class)->dispose (object);
}

static void
sk_sign_in_row_finalize (GObject *object)
{
  SkSignInRow *self = SK_SIGN_IN_ROW (object);

  g_clear_pointer (&self->provider, sk_oauth2_provider_free);
  g_free (self->provider_id);
  g_free (self->problem);
  g_free (self->failure);

  G_OBJECT_CLASS (sk_sign_in_row_parent_class)->finalize (object);
}

static void
sk_sign_in_row_class_init (SkSignInRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_sign_in_row_dispose;
  object_class->finalize = sk_sign_in_row_finalize;

  /* A sign-in did not work: the diagnosis code (DESIGN.md) says why. */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-sign-in-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, content);
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, buttons);
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, address_box);
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, address_label);
  gtk_widget_class_bind_template_child (widget_class, SkSignInRow, message_label);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_clicked);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked);
}

static void
sk_sign_in_row_init (SkSignInRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
