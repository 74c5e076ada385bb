/* sk-test-steps.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-connection-test.h"
#include "core/sk-format.h"

#include "sk-test-steps.h"
#include "sk-widget-util.h"

typedef struct
{
  GtkStack   *sign;
  GtkImage   *icon;
  GtkSpinner *spinner;
  GtkLabel   *mark;
  GtkLabel   *time;
} StepCell;

struct _SkTestSteps
{
  GtkBox     parent_instance;

  GtkWidget *header;
  GtkWidget *corner;
  GtkWidget *incoming_row;
  GtkLabel  *incoming_title;
  GtkWidget *outgoing_row;
  GtkLabel  *outgoing_title;

  StepCell   cells[SK_N_TEST_SIDES][SK_N_TEST_STEPS];
  char      *outcomes[SK_N_TEST_SIDES];
};

G_DEFINE_FINAL_TYPE (SkTestSteps, sk_test_steps, GTK_TYPE_BOX)

static GtkWidget *
get_row (SkTestSteps *self,
         SkTestSide   side)
{
  return side == SK_TEST_SIDE_INCOMING ? self->incoming_row : self->outgoing_row;
}

static GtkLabel *
get_title (SkTestSteps *self,
           SkTestSide   side)
{
  return side == SK_TEST_SIDE_INCOMING ? self->incoming_title : self->outgoing_title;
}

/* A size group re-measures every member whenever one of them changes, and
 * the cells below change with every step: the group holds a grid around
 * the title, so that the wrapping label inside keeps the size it measured
 * once instead of being laid out anew for each step of a test.  A grid,
 * not a box: a box asks a wrapping label for its width at the row's
 * height, which the label finds by laying its text out at one width after
 * another.  The titles keep the dialog's font: a smaller one would be
 * loaded, and its glyphs drawn, for the first time in the frame that shows
 * the steps at the first test (about 2 ms of that frame). */
static GtkWidget *
new_step_title (SkTestStep step)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *label = gtk_label_new (sk_test_step_get_title (step));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 12);
  gtk_widget_set_valign (label, GTK_ALIGN_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);

  return grid;
}

/* The icon, spinner and mark are decoration: the time label carries the
 * whole step in words for screen readers (see sk_test_steps_show()).
 * They take turns in one place of a fixed size, and the time has room for
 * "10.25 s" (see size_cells()), so that a cell keeps its size through a
 * test and a step that moves on redraws its cell without moving the rest
 * of the window. */
static GtkWidget *
new_cell (StepCell *cell)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  cell->sign = g_object_new (GTK_TYPE_STACK,
                             "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                             NULL);

  cell->icon = g_object_new (GTK_TYPE_IMAGE,
                             "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                             NULL);
  cell->spinner = g_object_new (GTK_TYPE_SPINNER,
                                "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                NULL);
  cell->mark = g_object_new (GTK_TYPE_LABEL,
                             "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                             NULL);
  gtk_widget_add_css_class (GTK_WIDGET (cell->mark), "dim-label");
  cell->time = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (cell->time, 0);
  gtk_widget_add_css_class (GTK_WIDGET (cell->time), "numeric");

  gtk_stack_add_child (cell->sign, GTK_WIDGET (cell->icon));
  gtk_stack_add_child (cell->sign, GTK_WIDGET (cell->spinner));
  gtk_stack_add_child (cell->sign, GTK_WIDGET (cell->mark));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (cell->sign));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (cell->time));

  return box;
}

/* The widths GtkLabel's width-chars would give the marks (2) and the
 * times (7), found once for all the cells: a label with width-chars asks
 * Pango for the font's metrics, shaping a sample text, every time it is
 * measured, and a test changes the cells' texts at every step. */
static void
size_cells (SkTestSteps *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
  int char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                        pango_font_metrics_get_approximate_digit_width (metrics));

  pango_font_metrics_unref (metrics);

  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    for (guint step = 0; step < SK_N_TEST_STEPS; step++)
      {
        StepCell *cell = &self->cells[side][step];

        gtk_widget_set_size_request (GTK_WIDGET (cell->mark),
                                     PANGO_PIXELS_CEIL (2 * char_width), -1);
        gtk_widget_set_size_request (GTK_WIDGET (cell->time),
                                     PANGO_PIXELS_CEIL (7 * char_width), -1);
      }
}

static void
add_columns (SkTestSteps *self)
{
  GtkSizeGroup *groups[SK_N_TEST_STEPS + 1];

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    groups[i] = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

  gtk_size_group_add_widget (groups[0], self->corner);
  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    gtk_size_group_add_widget (groups[0], GTK_WIDGET (get_title (self, side)));

  for (guint step = 0; step < SK_N_TEST_STEPS; step++)
    {
      GtkWidget *title = new_step_title (step);

      gtk_size_group_add_widget (groups[step + 1], title);
      gtk_box_append (GTK_BOX (self->header), title);

      for (guint side = 0; side < SK_N_TEST_SIDES; side++)
        {
          GtkWidget *cell = new_cell (&self->cells[side][step]);

          gtk_size_group_add_widget (groups[step + 1], cell);
          gtk_box_append (GTK_BOX (get_row (self, side)), cell);
        }
    }

  /* The widgets keep their groups alive. */
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    g_object_unref (groups[i]);
}

void
sk_test_steps_show (SkTestSteps *self,
                    SkTestSide   side,
                    SkTestStep   step,
                    SkStepState  state,
                    double       seconds)
{
  StepCell *cell;
  const char *title;
  g_autofree char *time = NULL;
  g_autofree char *description = NULL;
  const char *mark = NULL;
  const char *icon = NULL;

  g_return_if_fail (SK_IS_TEST_STEPS (self));
  g_return_if_fail (side < SK_N_TEST_SIDES);
  g_return_if_fail (step < SK_N_TEST_STEPS);

  cell = &self->cells[side][step];
  title = sk_test_step_get_title (step);

  switch (state)
    {
    case SK_STEP_PENDING:
      mark = "•";
      /* TRANSLATORS: a step of the connection test, e.g. "Connect: waiting" */
      description = g_strdup_printf (_("%s: waiting"), title);
      break;

    case SK_STEP_RUNNING:
      description = g_strdup_printf (_("%s: in progress"), title);
      break;

    case SK_STEP_OK:
      icon = "object-select-symbolic";
      time = sk_format_seconds (seconds);
      /* TRANSLATORS: "Connect: done in 0.03 s" */
      description = g_strdup_printf (_("%s: done in %s"), title, time);
      break;

    case SK_STEP_FAILED:
      icon = "window-close-symbolic";
      time = sk_format_seconds (seconds);
      /* TRANSLATORS: "Log in: failed after 0.41 s" */
      description = g_strdup_printf (_("%s: failed after %s"), title, time);
      break;

    case SK_STEP_SKIPPED:
    default:
      mark = "–";
      description = g_strdup_printf (_("%s: skipped"), title);
      break;
    }

  gtk_spinner_set_spinning (cell->spinner, state == SK_STEP_RUNNING);
  if (icon != NULL)
    gtk_image_set_from_icon_name (cell->icon, icon);
  sk_widget_set_css_class (GTK_WIDGET (cell->icon), "success-icon", state == SK_STEP_OK);
  sk_widget_set_css_class (GTK_WIDGET (cell->icon), "error-icon", state == SK_STEP_FAILED);
  if (mark != NULL)
    gtk_label_set_text (cell->mark, mark);

  gtk_stack_set_visible_child (cell->sign,
                               icon != NULL ? GTK_WIDGET (cell->icon)
                               : mark != NULL ? GTK_WIDGET (cell->mark)
                               : GTK_WIDGET (cell->spinner));

  gtk_label_set_text (cell->time, time != NULL ? time : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell->time),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

void
sk_test_steps_reset (SkTestSteps *self,
                     SkTestSide   side,
                     SkProtocol   protocol)
{
  g_autofree char *title = NULL;

  g_return_if_fail (SK_IS_TEST_STEPS (self));
  g_return_if_fail (side < SK_N_TEST_SIDES);

  title = sk_test_side_dup_title (side, protocol);
  gtk_label_set_text (get_title (self, side), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (get_row (self, side)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  sk_test_steps_set_outcome (self, side, NULL);

  for (guint step = 0; step < SK_N_TEST_STEPS; step++)
    sk_test_steps_show (self, side, step, SK_STEP_PENDING, 0);
}

/* The outcome is the row's tooltip, looked up when it is about to be
 * shown: setting a tooltip asks the display where the pointer is, a round
 * trip to the X server at the start and at the end of every test. */
void
sk_test_steps_set_outcome (SkTestSteps *self,
                           SkTestSide   side,
                           const char  *message)
{
  GtkWidget *row;

  g_return_if_fail (SK_IS_TEST_STEPS (self));
  g_return_if_fail (side < SK_N_TEST_SIDES);

  row = get_row (self, side);
  g_free (self->outcomes[side]);
  self->outcomes[side] = g_strdup (message);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static gboolean
row_query_tooltip (GtkWidget   *row,
                   int          x,
                   int          y,
                   gboolean     keyboard_mode,
                   GtkTooltip  *tooltip,
                   SkTestSteps *self)
{
  const char *outcome = self->outcomes[row == self->incoming_row ? SK_TEST_SIDE_INCOMING
                                                                 : SK_TEST_SIDE_OUTGOING];

  if (outcome == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, outcome);
  return TRUE;
}

void
sk_test_steps_set_side_visible (SkTestSteps *self,
                                SkTestSide   side,
                                gboolean     visible)
{
  g_return_if_fail (SK_IS_TEST_STEPS (self));
  g_return_if_fail (side < SK_N_TEST_SIDES);

  gtk_widget_set_visible (get_row (self, side), visible);
}

static void
sk_test_steps_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sk_test_steps_parent_class)->css_changed (widget, change);

  size_cells (SK_TEST_STEPS (widget));
}

static void
sk_test_steps_system_setting_changed (GtkWidget        *widget,
                                      GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (sk_test_steps_parent_class)->system_setting_changed (widget, setting);

  if (setting == GTK_SYSTEM_SETTING_DPI ||
      setting == GTK_SYSTEM_SETTING_FONT_NAME ||
      setting == GTK_SYSTEM_SETTING_FONT_CONFIG)
    size_cells (SK_TEST_STEPS (widget));
}

static void
sk_test_steps_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SK_TYPE_TEST_STEPS);

  G_OBJECT_CLASS (sk_test_steps_parent_class)->dispose (object);
}

static void
sk_test_steps_finalize (GObject *object)
{
  SkTestSteps *self = SK_TEST_STEPS (object);

  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    g_free (self->outcomes[side]);

  G_OBJECT_CLASS (sk_test_steps_parent_class)->finalize (object);
}

static void
sk_test_steps_class_init (SkTestStepsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_test_steps_dispose;
  object_class->finalize = sk_test_steps_finalize;

  widget_class->css_changed = sk_test_steps_css_changed;
  widget_class->system_setting_changed = sk_test_steps_system_setting_changed;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/pl/skrzynka/Skrzynka/ui/sk-test-steps.ui");
  gtk_widget_class_bind_template_child (widget_class, SkTestSteps, header);
  gtk_widget_class_bind_template_child (widget_class, SkTestSteps, corner);
  gtk_widget_class_bind_template_child (widget_class, SkTestSteps, incoming_row);
  gtk_widget_class_bind_template_child (widget_class, SkTestSteps, incoming_title);
  gtk_widget_class_bind_template_child (widget_class, SkTestSteps, outgoing_row);
  gtk_widget_class_bind_template_child (widget_class, SkTestSteps, outgoing_title);
  gtk_widget_class_bind_template_callback (widget_class, row_query_tooltip);
}

static void
sk_test_steps_init (SkTestSteps *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_columns (self);

  for (guint side = 0; side < SK_N_TEST_SIDES; side++)
    for (guint step = 0; step < SK_N_TEST_STEPS; step++)
      sk_test_steps_show (self, side, step, SK_STEP_PENDING, 0);
}
