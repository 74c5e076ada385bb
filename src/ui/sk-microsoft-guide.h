/* sk-microsoft-guide.h — the Microsoft 365 guide beside the Account
 * properties dialog: signing in, and what to ask IT support for when the
 * organisation must approve the program or has sending switched off
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/sk-account.h"

G_BEGIN_DECLS

#define SK_TYPE_MICROSOFT_GUIDE (sk_microsoft_guide_get_type ())

G_DECLARE_FINAL_TYPE (SkMicrosoftGuide, sk_microsoft_guide, SK, MICROSOFT_GUIDE, GtkWidget)

/* Signal "sign-in": the person asked to sign in with Microsoft (part 1). */

/* The parts of the guide. */
typedef enum
{
  SK_MICROSOFT_GUIDE_NONE,
  SK_MICROSOFT_GUIDE_SIGN_IN,
  SK_MICROSOFT_GUIDE_APPROVAL,
  SK_MICROSOFT_GUIDE_SMTP_AUTH,
} SkMicrosoftGuidePart;

/* The account the messages for IT support name. */
void                 sk_microsoft_guide_set_account     (SkMicrosoftGuide     *self,
                                                         SkAccount            *account);
/* Marks the part a test result sends the person to and scrolls to it;
 * SK_MICROSOFT_GUIDE_NONE clears the mark. */
void                 sk_microsoft_guide_highlight       (SkMicrosoftGuide     *self,
                                                         SkMicrosoftGuidePart  part);
SkMicrosoftGuidePart sk_microsoft_guide_get_highlighted (SkMicrosoftGuide     *self);
/* The part of the guide that explains a test's diagnosis code (DESIGN.md),
 * or SK_MICROSOFT_GUIDE_NONE. */
SkMicrosoftGuidePart sk_microsoft_guide_part_for_code   (const char           *code);

G_END_DECLS
