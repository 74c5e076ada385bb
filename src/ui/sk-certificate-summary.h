/* sk-certificate-summary.h — whose a certificate is, who issued it, how
 * long it is valid and its fingerprint, the same wherever it is shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SK_TYPE_CERTIFICATE_SUMMARY (sk_certificate_summary_get_type ())

G_DECLARE_FINAL_TYPE (SkCertificateSummary, sk_certificate_summary, SK, CERTIFICATE_SUMMARY, GtkWidget)

/* Each line shows while it has a value (NULL hides it).  validity is said
 * in full by the caller ("from … to …"); sha256 is the fingerprint as
 * "AB:CD:…", shown in groups.  issuer-check (what checking the issuers
 * said) comes before the fingerprint, trusted ("Yes" or "No") after it. */
void sk_certificate_summary_set_subject      (SkCertificateSummary *self,
                                              const char           *subject);
void sk_certificate_summary_set_issuer       (SkCertificateSummary *self,
                                              const char           *issuer);
void sk_certificate_summary_set_validity     (SkCertificateSummary *self,
                                              const char           *validity);
void sk_certificate_summary_set_issuer_check (SkCertificateSummary *self,
                                              const char           *issuer_check);
void sk_certificate_summary_set_sha256       (SkCertificateSummary *self,
                                              const char           *sha256);
void sk_certificate_summary_set_trusted      (SkCertificateSummary *self,
                                              const char           *trusted);

/* Puts the titles' column in group, to line the values up with a grid
 * around the summary. */
void sk_certificate_summary_align_titles     (SkCertificateSummary *self,
                                              GtkSizeGroup         *group);

G_END_DECLS
