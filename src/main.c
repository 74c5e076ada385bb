/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Skrzynka"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ui/sk-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SkApplication) app = NULL;
  const char *localedir;

  /* Lets the tests and build-aux/run.sh use the catalogues of a build that
   * is not installed. */
  localedir = g_getenv ("SKRZYNKA_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = sk_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
