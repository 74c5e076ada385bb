/* sk-certificate-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka-Ui"

#include "config.h"

#include <glib/gi18n.h>

#include "core/sk-certificate-store.h"
#include "core/sk-secret.h"

#include "sk-certificate-import.h"
#include "sk-certificate-password.h"

/* What is under way; cancelling acts on it. */
typedef enum
{
  STATE_LOADING,
  STATE_PARSING,
  STATE_ASKING,
  STATE_STORING,
  STATE_CANCELLED,
} State;

typedef struct
{
  char                        *file_name;     /* as the person knows it */
  GtkWindow                   *parent;
  GStrv                        listed;
  SkCertificateImportProgress  progress;
  gpointer                     progress_data;
  GDestroyNotify               progress_destroy;

  State                        state;
  GCancellable                *cancellable;
  gulong                       cancelled_id;
  GBytes                      *data;
  SkCertificatePassword       *prompt;
  SkCertificate               *certificate;
  gboolean                     was_stored;    /* in the store before this import */
  gboolean                     added;
} Import;

static void
close_prompt (Import *import)
{
  SkCertificatePassword *prompt = import->prompt;

  if (prompt == NULL)
    return;

  g_object_remove_weak_pointer (G_OBJECT (prompt), (gpointer *) &import->prompt);
  import->prompt = NULL;
  gtk_window_destroy (GTK_WINDOW (prompt));
}

/* Never from inside the cancellable's handler, whose disconnection would
 * wait for itself: the handler holds the task until it has returned. */
static void
import_free (Import *import)
{
  g_cancellable_disconnect (import->cancellable, import->cancelled_id);
  g_clear_object (&import->cancellable);
  close_prompt (import);
  g_free (import->file_name);
  g_clear_object (&import->parent);
  g_strfreev (import->listed);
  if (import->progress_destroy != NULL)
    import->progress_destroy (import->progress_data);
  g_clear_pointer (&import->data, g_bytes_unref);
  g_clear_object (&import->certificate);
  g_free (import);
}

static void
report (GTask                    *task,
        SkCertificateImportPhase  phase)
{
  Import *import = g_task_get_task_data (task);

  if (import->progress != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    import->progress (phase, import->file_name, import->progress_data);
}

static void
return_error (GTask  *task,
              GError *error)
{
  close_prompt (g_task_get_task_data (task));
  g_task_return_error (task, error);
}

static void
return_cancelled (GTask *task)
{
  return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "The import was cancelled"));
}

static void
return_certificate (GTask *task)
{
  Import *import = g_task_get_task_data (task);

  g_task_return_pointer (task, g_object_ref (import->certificate), g_object_unref);
}

static void
forgotten (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sk_certificate_store_remove_finish (result, &error))
    g_warning ("A certificate imported into a closed dialog could not be removed: %s",
               error->message);

  if (user_data != NULL)
    g_application_release (user_data);
}

/* A certificate new to the store now belongs to no account, and its key
 * must not stay behind. */
static void
forget (Import *import)
{
  GApplication *application = g_application_get_default ();

  if (application != NULL)
    g_application_hold (application);
  sk_certificate_store_remove_async (sk_certificate_get_sha256 (import->certificate),
                                     NULL, forgotten, application);
}

static void
stored (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Import *import = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GApplication *application = g_application_get_default ();
  gboolean ok = sk_certificate_store_add_finish (result, &error);

  if (g_task_return_error_if_cancelled (task))
    {
      if (ok && !import->was_stored)
        forget (import);
    }
  else if (!ok && g_error_matches (error, SK_SECRET_ERROR, SK_SECRET_ERROR_NO_KEYRING))
    {
      return_error (task, g_error_new_literal (error->domain, error->code,
                                               _("The certificate was not imported: its private key can only be kept in "
                                                 "the desktop’s keyring, and no keyring is running.")));
    }
  else if (!ok)
    {
      return_error (task, g_error_new (error->domain, error->code,
                                       _("The certificate could not be saved: %s"), error->message));
    }
  else
    {
      import->added = !import->was_stored;
      return_certificate (task);
    }

  if (application != NULL)
    g_application_release (application);
}

static gboolean
is_listed (Import     *import,
           const char *sha256)
{
  for (guint i = 0; import->listed != NULL && import->listed[i] != NULL; i++)
    if (g_ascii_strcasecmp (import->listed[i], sha256) == 0)
      return TRUE;

  return FALSE;
}

static void
store (GTask *task)
{
  Import *import = g_task_get_task_data (task);
  const char *sha256 = sk_certificate_get_sha256 (import->certificate);
  g_autoptr(SkCertificate) stored_already = NULL;
  GApplication *application;

  if (is_listed (import, sha256))
    {
      return_certificate (task);
      return;
    }

  /* Another account may use it: a copy with its private key is not
   * replaced by one without. */
  stored_already = sk_certificate_store_lookup (sha256, NULL);
  import->was_stored = stored_already != NULL;
  if (stored_already != NULL &&
      (sk_certificate_has_private_key (stored_already) ||
       !sk_certificate_has_private_key (import->certificate)))
    {
      return_certificate (task);
      return;
    }

  import->state = STATE_STORING;
  report (task, SK_CERTIFICATE_IMPORT_SAVING);

  /* Not cancelled with the import: once written, the files must either
   * be handed over or be removed again (see stored()), and the
   * application stays until then. */
  application = g_application_get_default ();
  if (application != NULL)
    g_application_hold (application);
  sk_certificate_store_add_async (import->certificate, NULL, stored, g_object_ref (task));
}

static void parse (GTask      *task,
                   const char *password);

static void
password_submitted (SkCertificatePassword *prompt,
                    const char            *password,
                    GTask                 *task)
{
  Import *import = g_task_get_task_data (task);

  if (import->state == STATE_ASKING)
    parse (task, password);
}

static void
password_cancelled (SkCertificatePassword *prompt,
                    GTask                 *task)
{
  Import *import = g_task_get_task_data (task);

  if (import->state == STATE_ASKING)
    return_cancelled (task);
}

static void
task_closure_unref (gpointer  data,
                    GClosure *closure)
{
  g_object_unref (data);
}

static void
ask_password (GTask *task)
{
  Import *import = g_task_get_task_data (task);

  import->state = STATE_ASKING;

  /* Asked already: that password was wrong. */
  if (import->prompt != NULL)
    {
      sk_certificate_password_reject (import->prompt);
      return;
    }

  import->prompt = sk_certificate_password_new (import->parent, import->file_name);
  g_object_add_weak_pointer (G_OBJECT (import->prompt), (gpointer *) &import->prompt);
  g_signal_connect_data (import->prompt, "submitted", G_CALLBACK (password_submitted),
                         g_object_ref (task), task_closure_unref, 0);
  g_signal_connect_data (import->prompt, "cancelled", G_CALLBACK (password_cancelled),
                         g_object_ref (task), task_closure_unref, 0);

  report (task, SK_CERTIFICATE_IMPORT_ASKING);
  gtk_window_present (GTK_WINDOW (import->prompt));
}

/* What parsing the file gave: a certificate to store, or the reason why
 * not.  Takes certificate. */
static void
parsed_into (GTask         *task,
             SkCertificate *certificate,
             const GError  *error)
{
  Import *import = g_task_get_task_data (task);

  if (certificate == NULL)
    {
      /* TRANSLATORS: %s is the file's name, then why it cannot be read */
      return_error (task, g_error_new (error->domain, error->code,
                                       _("“%s” could not be imported. %s"),
                                       import->file_name, error->message));
      return;
    }

  close_prompt (import);
  import->certificate = certificate;
  store (task);
}

static void
parsed (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkCertificate) certificate = sk_certificate_new_from_bytes_finish (result, &error);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (g_error_matches (error, SK_CERTIFICATE_ERROR, SK_CERTIFICATE_ERROR_BAD_PASSWORD))
    {
      ask_password (task);
      return;
    }

  parsed_into (task, g_steal_pointer (&certificate), error);
}

static void
parse (GTask      *task,
       const char *password)
{
  Import *import = g_task_get_task_data (task);

  import->state = STATE_PARSING;
  sk_certificate_new_from_bytes_async (import->data, password, g_task_get_cancellable (task),
                                       parsed, g_object_ref (task));
}

static void
file_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Import *import = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SkCertificate) certificate = NULL;

  certificate = sk_certificate_new_from_file_finish (result, &import->data, &error);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (import->data != NULL)
    {
      ask_password (task);
      return;
    }

  if (certificate == NULL && error->domain != SK_CERTIFICATE_ERROR)
    {
      /* TRANSLATORS: %s is the file's name, then why it cannot be read */
      return_error (task, g_error_new (error->domain, error->code,
                                       _("The file “%s” could not be read: %s"),
                                       import->file_name, error->message));
      return;
    }

  parsed_into (task, g_steal_pointer (&certificate), error);
}

static gboolean
return_cancelled_cb (gpointer data)
{
  return_cancelled (data);
  return G_SOURCE_REMOVE;
}

/* Only the password window waits on nothing that would notice.  The task
 * is returned from an idle: here, inside g_cancellable_cancel(), its end
 * would disconnect this very handler. */
static void
import_cancelled (GCancellable *cancellable,
                  GTask        *task)
{
  Import *import = g_task_get_task_data (task);

  if (import->state == STATE_ASKING)
    {
      import->state = STATE_CANCELLED;
      g_idle_add_full (G_PRIORITY_DEFAULT, return_cancelled_cb, g_object_ref (task), g_object_unref);
    }
  close_prompt (import);
}

void
sk_certificate_import_async (GFile                       *file,
                             GtkWindow                   *parent,
                             const char * const          *listed,
                             SkCertificateImportProgress  progress,
                             gpointer                     progress_data,
                             GDestroyNotify               progress_destroy,
                             GCancellable                *cancellable,
                             GAsyncReadyCallback          callback,
                             gpointer                     user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *basename = NULL;
  Import *import;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  basename = g_file_get_basename (file);
  import = g_new0 (Import, 1);
  import->file_name = g_filename_display_name (basename);
  import->parent = parent != NULL ? g_object_ref (parent) : NULL;
  import->listed = g_strdupv ((char **) listed);
  import->progress = progress;
  import->progress_data = progress_data;
  import->progress_destroy = progress_destroy;
  import->state = STATE_LOADING;

  /* Without a cancellable of the caller's, one of its own keeps every
   * step below simple. */
  if (cancellable == NULL)
    cancellable = g_cancellable_new ();
  else
    g_object_ref (cancellable);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_certificate_import_async);
  g_task_set_task_data (task, import, (GDestroyNotify) import_free);
  import->cancellable = cancellable;
  import->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (import_cancelled),
                                                task, NULL);

  /* Most files are tried without a password first: PEM needs none, and a
   * PKCS#12 that does says so. */
  sk_certificate_new_from_file_async (file, cancellable, file_read, g_object_ref (task));
}

SkCertificate *
sk_certificate_import_finish (GAsyncResult  *result,
                              gboolean      *added,
                              GError       **error)
{
  SkCertificate *certificate;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_certificate_import_async, NULL);

  certificate = g_task_propagate_pointer (G_TASK (result), error);
  if (added != NULL)
    *added = certificate != NULL && ((Import *) g_task_get_task_data (G_TASK (result)))->added;

  return certificate;
}
