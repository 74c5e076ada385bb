/* sk-certificate-password.h — asks for the password of a certificate file,
 * and says so when the password does not open it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SK_TYPE_CERTIFICATE_PASSWORD (sk_certificate_password_get_type ())

G_DECLARE_FINAL_TYPE (SkCertificatePassword, sk_certificate_password, SK, CERTIFICATE_PASSWORD, GtkWindow)

/* A small modal window naming file_name (what the person chose, not a
 * path).  Signals:
 *   "submitted" (const char *password): OK was pressed; the window stays
 *     open and busy until the caller answers with _reject() or closes it
 *     with gtk_window_destroy().  The password is the caller's to copy
 *     and wipe; the window wipes its own copy when it closes.
 *   "cancelled": the person gave up (Cancel, Escape, closing the window);
 *     the window closes itself. */
SkCertificatePassword *sk_certificate_password_new    (GtkWindow             *parent,
                                                       const char            *file_name);
/* The password did not open the file: says so under the field, keeps what
 * was typed (selected, to be typed over or corrected) and takes input
 * again. */
void                   sk_certificate_password_reject (SkCertificatePassword *self);

G_END_DECLS
