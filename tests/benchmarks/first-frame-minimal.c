/* first-frame-minimal.c — the floor for the Accounts window's first frame
 *
 * A GTK 4 application with one small window, as GTK's own first example
 * has it, linked with the libraries Skrzynka cannot start without
 * (libcurl, OpenSSL, libsecret): loading them is part of any start, using
 * them is not.  tests/benchmarks/first_frame.py starts it and Skrzynka in
 * turn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka"

#include <curl/curl.h>
#include <gtk/gtk.h>
#include <libsecret/secret.h>
#include <openssl/crypto.h>

/* A reference to each library, so that the linker keeps it; none is
 * called. */
static volatile gpointer linked[3];

static void
activate (GtkApplication *app,
          gpointer        user_data)
{
  GtkWidget *window = gtk_application_window_new (app);

  gtk_window_set_title (GTK_WINDOW (window), "Accounts");
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 400);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("No accounts yet"));
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;

  linked[0] = (gpointer) curl_version;
  linked[1] = (gpointer) OpenSSL_version;
  linked[2] = (gpointer) secret_password_free;

  app = gtk_application_new ("pl.skrzynka.FirstFrameMinimal", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
