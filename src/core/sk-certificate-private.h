/* sk-certificate-private.h — a signing certificate's OpenSSL objects, for
 * the parts of the core that sign and store (private to the core: no
 * widget needs OpenSSL's types)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sk-certificate.h"

G_BEGIN_DECLS

/* Takes references; key and chain may be NULL. */
SkCertificate  *sk_certificate_new_from_x509    (X509           *cert,
                                                 EVP_PKEY       *key,
                                                 STACK_OF(X509) *chain);

/* The OpenSSL objects, owned by self (the key and chain may be NULL). */
X509           *sk_certificate_get_x509         (SkCertificate  *self);
EVP_PKEY       *sk_certificate_get_private_key  (SkCertificate  *self);
STACK_OF(X509) *sk_certificate_get_chain        (SkCertificate  *self);

G_END_DECLS
