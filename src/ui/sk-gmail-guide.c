/* sk-gmail-guide.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-oauth2-provider.h"

#include "sk-gmail-guide.h"

#define SECURITY_URI      "https://myaccount.google.com/security"
#define APP_PASSWORDS_URI "https://myaccount.google.com/apppasswords"
#define SIGN_IN_HOST      "accounts.google.com"

/* Room left above and below a step scrolled into view, so that it does not
 * stick to the edge. */
#define SCROLL_MARGIN 12

typedef struct
{
  const char *title;
  const char *text;
  const char *button;  /* NULL: no button */
  const char *uri;     /* the page the button opens; NULL: it fills in */
} StepText;

static const StepText step_texts[SK_GMAIL_GUIDE_N_STEPS] = {
  { N_("Open the Google security settings"),
    N_("Sign in to your Google account in the browser and go to its Security page."),
    N_("Open Google security settings"), SECURITY_URI },
  { N_("Turn on 2-Step Verification"),
    N_("On the Security page, find 2-Step Verification and turn it on. Google asks for a phone "
       "number. Without this step Google offers no app passwords."),
    NULL, NULL },
  { N_("Create an app password"),
    N_("On the app passwords page, type any name, for example “Skrzynka”, and click Create."),
    N_("Open app passwords"), APP_PASSWORDS_URI },
  { N_("Copy the password into Skrzynka"),
    N_("Google shows the new password once, as four groups of four letters. Copy it and paste "
       "it into the Password field on tab 2. The spaces are removed for you."),
    NULL, NULL },
  { N_("Fill in the settings and test"),
    N_("Click the button below, then Test connection on tab 2. Gmail sometimes takes a while to "
       "answer: the test waits for it."),
    N_("Fill in Gmail settings"), NULL },
};

typedef struct
{
  GtkWidget      *card;
  GtkLabel       *message;  /* under the step's buttons: a page that did not open */
  GtkCheckButton *check;
  GBinding       *binding;
} Step;

struct _SkGmailGuide
{
  GtkWidget          parent_instance;

  GtkScrolledWindow *scrolled;
  GtkWidget         *content;
  GtkWidget         *workspace_note;
  GtkWidget         *steps_box;
  GtkWidget         *sign_in_box;
  GtkWidget         *google_sign_in_button;
  GtkLabel          *google_unavailable_label;

  Step               steps[SK_GMAIL_GUIDE_N_STEPS];

  SkAccount         *account;
  GCancellable      *cancellable;
  char              *sign_in_url;
  guint              highlighted;
  guint              scroll_pending;  /* a step to bring into view once laid out */
};

G_DEFINE_FINAL_TYPE (SkGmailGuide, sk_gmail_guide, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FILL_IN,
  SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
step_bit (guint step)
{
  return 1u << (step - 1);
}

/* Opening pages in the browser */

typedef struct
{
  SkGmailGuide *self;
  Step         *step;   /* whose button asked */
  char         *uri;
} Launch;

static void
launch_free (Launch *launch)
{
  g_object_unref (launch->self);
  g_free (launch->uri);
  g_free (launch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Launch, launch_free)

static void
uri_shown (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Launch) launch = user_data;
  SkGmailGuide *self = launch->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  /* Without a browser (or with one that will not start) the address is
   * still what the person needs: they can open it elsewhere. */
  g_debug ("Could not open %s: %s", launch->uri, error->message);
  message = g_strdup_printf ("%s\n%s",
                             _("The browser could not be opened. Open this address in a browser "
                               "yourself:"),
                             launch->uri);
  gtk_label_set_text (launch->step->message, message);
  gtk_widget_set_visible (GTK_WIDGET (launch->step->message), TRUE);
}

static void
open_uri (SkGmailGuide *self,
          Step         *step,
          const char   *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  Launch *launch;

  g_return_if_fail (GTK_IS_WINDOW (root));

  gtk_widget_set_visible (GTK_WIDGET (step->message), FALSE);

  launch = g_new0 (Launch, 1);
  launch->self = g_object_ref (self);
  launch->step = step;
  launch->uri = g_strdup (uri);
  gtk_show_uri_full (GTK_WINDOW (root), uri, GDK_CURRENT_TIME, self->cancellable,
                     uri_shown, launch);
}

static void
step_button_clicked (GtkButton    *button,
                     SkGmailGuide *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "sk-step-index"));
  const StepText *text = &step_texts[index];

  if (text->uri != NULL)
    open_uri (self, &self->steps[index], text->uri);
  else
    g_signal_emit (self, signals[FILL_IN], 0);
}

static void
sign_in_clicked (SkGmailGuide *self)
{
  g_return_if_fail (self->sign_in_url != NULL);

  open_uri (self, &self->steps[0], self->sign_in_url);
}

static void
google_sign_in_clicked (SkGmailGuide *self)
{
  g_signal_emit (self, signals[SIGN_IN], 0);
}

/* Never a button that cannot work: without a client ID, the sentence for
 * IT support stands in its place. */
static void
show_google_sign_in (SkGmailGuide *self)
{
  g_autoptr(SkOAuth2Provider) google = sk_oauth2_provider_find ("google");
  const char *problem = google != NULL ? google->problem : NULL;

  gtk_widget_set_visible (self->google_sign_in_button, google != NULL && problem == NULL);
  gtk_label_set_text (self->google_unavailable_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->google_unavailable_label), problem != NULL);
}

/* Only Google's own sign-in page may be opened from a server's reply: any
 * other address there could lead anywhere. */
static gboolean
is_google_sign_in (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL &&
         g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 &&
         g_uri_get_userinfo (uri) == NULL &&
         (g_uri_get_port (uri) == -1 || g_uri_get_port (uri) == 443) &&
         g_uri_get_host (uri) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (uri), SIGN_IN_HOST) == 0;
}

/* Building the steps */

static GtkWidget *
new_wrapped_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);

  return label;
}

static GtkWidget *
new_step_button (SkGmailGuide *self,
                 guint         index)
{
  const StepText *text = &step_texts[index];
  GtkWidget *button = gtk_button_new_with_label (_(text->button));
  GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));

  /* A long label in a narrow pane wraps rather than widening it. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  if (text->uri != NULL)
    gtk_widget_set_tooltip_text (button, text->uri);
  g_object_set_data (G_OBJECT (button), "sk-step-index", GUINT_TO_POINTER (index));
  g_signal_connect_object (button, "clicked", G_CALLBACK (step_button_clicked), self, 0);

  return button;
}

/* Step 1 also offers Google's sign-in page when a failed login asked for it. */
static GtkWidget *
new_sign_in_box (SkGmailGuide *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = new_wrapped_label (_("Google wants you to sign in once in the browser "
                                          "before it lets Skrzynka in."));
  GtkWidget *button = gtk_button_new_with_label (_("Sign in to Google in the browser"));

  gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), TRUE);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_object (button, "clicked", G_CALLBACK (sign_in_clicked), self,
                           G_CONNECT_SWAPPED);

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_widget_set_visible (box, FALSE);

  return box;
}

static void
build_steps (SkGmailGuide *self)
{
  for (guint i = 0; i < SK_GMAIL_GUIDE_N_STEPS; i++)
    {
      const StepText *text = &step_texts[i];
      Step *step = &self->steps[i];
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      /* TRANSLATORS: how a screen reader names a step of the Gmail guide,
       * e.g. "Step 3: Create an app password" */
      g_autofree char *name = g_strdup_printf (_("Step %u: %s"), i + 1, _(text->title));
      /* TRANSLATORS: the tick box of a step of the Gmail guide, for screen
       * readers: "Step 3 done" */
      g_autofree char *done = g_strdup_printf (_("Step %u done"), i + 1);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *badge = gtk_label_new (number);
      GtkWidget *title = new_wrapped_label (_(text->title));

      step->card = g_object_new (GTK_TYPE_BOX,
                                 "orientation", GTK_ORIENTATION_VERTICAL,
                                 "spacing", 12,
                                 "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                                 NULL);
      gtk_widget_add_css_class (step->card, "guide-step");
      gtk_accessible_update_property (GTK_ACCESSIBLE (step->card),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);

      gtk_widget_add_css_class (badge, "step-number");
      gtk_widget_set_valign (badge, GTK_ALIGN_START);
      gtk_accessible_update_state (GTK_ACCESSIBLE (badge), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_widget_set_hexpand (title, TRUE);
      gtk_widget_set_valign (title, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (title, "heading");
      gtk_box_append (GTK_BOX (header), badge);
      gtk_box_append (GTK_BOX (header), title);
      gtk_box_append (GTK_BOX (step->card), header);

      gtk_box_append (GTK_BOX (step->card), new_wrapped_label (_(text->text)));

      if (i == 0)
        {
          self->sign_in_box = new_sign_in_box (self);
          gtk_box_append (GTK_BOX (step->card), self->sign_in_box);
        }

      if (text->button != NULL)
        gtk_box_append (GTK_BOX (step->card), new_step_button (self, i));

      step->message = GTK_LABEL (new_wrapped_label (NULL));
      gtk_label_set_wrap_mode (step->message, PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (step->message, TRUE);
      gtk_widget_set_focusable (GTK_WIDGET (step->message), FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (step->message), "field-message");
      gtk_widget_set_visible (GTK_WIDGET (step->message), FALSE);
      gtk_box_append (GTK_BOX (step->card), GTK_WIDGET (step->message));

      step->check = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (_("Done")));
      gtk_accessible_update_property (GTK_ACCESSIBLE (step->check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, done,
                                      -1);
      gtk_widget_set_sensitive (GTK_WIDGET (step->check), FALSE);
      gtk_box_append (GTK_BOX (step->card), GTK_WIDGET (step->check));

      gtk_box_append (GTK_BOX (self->steps_box), step->card);
    }
}

/* Ticks */

static gboolean
steps_to_active (GBinding     *binding,
                 const GValue *from_value,
                 GValue       *to_value,
                 gpointer      user_data)
{
  guint bit = step_bit (GPOINTER_TO_UINT (user_data));

  g_value_set_boolean (to_value, (g_value_get_uint (from_value) & bit) != 0);
  return TRUE;
}

static gboolean
active_to_steps (GBinding     *binding,
                 const GValue *from_value,
                 GValue       *to_value,
                 gpointer      user_data)
{
  guint bit = step_bit (GPOINTER_TO_UINT (user_data));
  g_autoptr(GObject) account = g_binding_dup_source (binding);
  guint steps;

  if (account == NULL)
    return FALSE;

  steps = sk_account_get_guide_steps (SK_ACCOUNT (account));
  if (g_value_get_boolean (from_value))
    steps |= bit;
  else
    steps &= ~bit;

  g_value_set_uint (to_value, steps);
  return TRUE;
}

static void
update_done (SkGmailGuide *self)
{
  guint steps = self->account != NULL ? sk_account_get_guide_steps (self->account) : 0;

  for (guint i = 0; i < SK_GMAIL_GUIDE_N_STEPS; i++)
    {
      if (steps & step_bit (i + 1))
        gtk_widget_add_css_class (self->steps[i].card, "done");
      else
        gtk_widget_remove_css_class (self->steps[i].card, "done");
    }
}

static void
release_account (SkGmailGuide *self)
{
  if (self->account == NULL)
    return;

  for (guint i = 0; i < SK_GMAIL_GUIDE_N_STEPS; i++)
    {
      Step *step = &self->steps[i];

      if (step->binding != NULL)
        g_binding_unbind (step->binding);
      step->binding = NULL;
    }

  g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
}

/* Highlighting */

static gboolean
scroll_to_step (SkGmailGuide *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);
  GtkWidget *viewport;
  GtkWidget *card;
  graphene_rect_t bounds;
  double top;

  if (self->scroll_pending == 0)
    return TRUE;

  card = self->steps[self->scroll_pending - 1].card;
  viewport = gtk_widget_get_parent (self->content);
  /* Not laid out yet (the pane is only being shown): the adjustment says
   * when it is. */
  if (!gtk_widget_get_mapped (card) || gtk_widget_get_height (card) <= 0 ||
      gtk_adjustment_get_page_size (adjustment) <= 0 ||
      !gtk_widget_compute_bounds (card, viewport, &bounds))
    return FALSE;

  /* The viewport shows the content from the adjustment's value on. */
  top = bounds.origin.y + gtk_adjustment_get_value (adjustment);
  gtk_adjustment_clamp_page (adjustment,
                             top - SCROLL_MARGIN, top + bounds.size.height + SCROLL_MARGIN);
  self->scroll_pending = 0;
  return TRUE;
}

/* The pane's size or content changed: the step to go back to stays in
 * view (the person's own scrolling changes only the value, not this). */
static void
adjustment_changed (SkGmailGuide *self)
{
  if (self->scroll_pending == 0)
    self->scroll_pending = self->highlighted;

  scroll_to_step (self);
}

static void
show_sign_in (SkGmailGuide *self,
              const char   *url)
{
  g_free (self->sign_in_url);
  self->sign_in_url = is_google_sign_in (url) ? g_strdup (url) : NULL;
  gtk_widget_set_visible (self->sign_in_box, self->sign_in_url != NULL);
}

/* Public */

void
sk_gmail_guide_set_account (SkGmailGuide *self,
                            SkAccount    *account)
{
  g_return_if_fail (SK_IS_GMAIL_GUIDE (self));
  g_return_if_fail (account == NULL || SK_IS_ACCOUNT (account));

  if (account == self->account)
    return;

  release_account (self);

  if (account != NULL)
    {
      self->account = g_object_ref (account);
      for (guint i = 0; i < SK_GMAIL_GUIDE_N_STEPS; i++)
        self->steps[i].binding =
          g_object_bind_property_full (account, "guide-steps",
                                       self->steps[i].check, "active",
                                       G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                       steps_to_active, active_to_steps,
                                       GUINT_TO_POINTER (i + 1), NULL);
      g_signal_connect_object (account, "notify::guide-steps",
                               G_CALLBACK (update_done), self, G_CONNECT_SWAPPED);
    }

  for (guint i = 0; i < SK_GMAIL_GUIDE_N_STEPS; i++)
    gtk_widget_set_sensitive (GTK_WIDGET (self->steps[i].check), account != NULL);

  update_done (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

SkAccount *
sk_gmail_guide_get_account (SkGmailGuide *self)
{
  g_return_val_if_fail (SK_IS_GMAIL_GUIDE (self), NULL);

  return self->account;
}

void
sk_gmail_guide_set_workspace (SkGmailGuide *self,
                              gboolean      workspace)
{
  g_return_if_fail (SK_IS_GMAIL_GUIDE (self));

  gtk_widget_set_visible (self->workspace_note, workspace);
}

void
sk_gmail_guide_highlight_step (SkGmailGuide *self,
                               guint         step,
                               const char   *web_login_url)
{
  g_return_if_fail (SK_IS_GMAIL_GUIDE (self));
  g_return_if_fail (step <= SK_GMAIL_GUIDE_N_STEPS);

  if (self->highlighted != 0)
    {
      GtkWidget *card = self->steps[self->highlighted - 1].card;

      gtk_widget_remove_css_class (card, "highlighted");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }

  self->highlighted = step;
  show_sign_in (self, step != 0 ? web_login_url : NULL);

  if (step == 0)
    {
      self->scroll_pending = 0;
      return;
    }

  gtk_widget_add_css_class (self->steps[step - 1].card, "highlighted");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->steps[step - 1].card),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Go back to this step"),
                                  -1);

  self->scroll_pending = step;
  scroll_to_step (self);
}

guint
sk_gmail_guide_get_highlighted_step (SkGmailGuide *self)
{
  g_return_val_if_fail (SK_IS_GMAIL_GUIDE (self), 0);

  return self->highlighted;
}

GtkWidget *
sk_gmail_guide_new (void)
{
  return g_object_new (SK_TYPE_GMAIL_GUIDE, NULL);
}

/* GObject */

static void
sk_gmail_guide_dispose (GObject *object)
{
  SkGmailGuide *self = SK_GMAIL_GUIDE (object);

  g_cancellable_cancel (self->cancellable);
  release_account (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_GMAIL_GUIDE);

  G_OBJECT_CLASS (sk_gmail_guide_parent_class)->dispose (object);
}

static void
sk_gmail_guide_finalize (GObject *object)
{
  SkGmailGuide *self = SK_GMAIL_GUIDE (object);

  g_clear_object (&self->cancellable);
  g_free (self->sign_in_url);

  G_OBJECT_CLASS (sk_gmail_guide_parent_class)->finalize (object);
}

static void
sk_gmail_guide_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SkGmailGuide *self = SK_GMAIL_GUIDE (object);

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
sk_gmail_guide_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SkGmailGuide *self = SK_GMAIL_GUIDE (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      sk_gmail_guide_set_account (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_gmail_guide_class_init (SkGmailGuideClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_gmail_guide_dispose;
  object_class->finalize = sk_gmail_guide_finalize;
  object_class->get_property = sk_gmail_guide_get_property;
  object_class->set_property = sk_gmail_guide_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, SK_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FILL_IN] =
    g_signal_new ("fill-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* "Sign in with Google instead": no app password for this account. */
  signals[SIGN_IN] =
    g_signal_new ("sign-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-gmail-guide.ui");
  gtk_widget_class_bind_template_child (widget_class, SkGmailGuide, scrolled);
  gtk_widget_class_bind_template_child (widget_class, SkGmailGuide, content);
  gtk_widget_class_bind_template_child (widget_class, SkGmailGuide, workspace_note);
  gtk_widget_class_bind_template_child (widget_class, SkGmailGuide, steps_box);
  gtk_widget_class_bind_template_child (widget_class, SkGmailGuide, google_sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SkGmailGuide, google_unavailable_label);
  gtk_widget_class_bind_template_callback (widget_class, google_sign_in_clicked);
}

static void
sk_gmail_guide_init (SkGmailGuide *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  build_steps (self);
  show_google_sign_in (self);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "changed",
                           G_CALLBACK (adjustment_changed), self, G_CONNECT_SWAPPED);
}
