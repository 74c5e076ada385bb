#!/bin/bash
# Writes the seeds of fuzz-certificate into corpus/certificate/: small
# EC certificates in each form a user may pick.  The first byte of a seed
# chooses the password (0: none, 1: empty, 2: "tajne", 3: "zażółć gęślą
# jaźń"); 0x10 adds the PKCS#12 round trip, 0x20 the PEM one.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)/corpus/certificate
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
cd "$work"

# seed NAME FIRST-BYTE FILE
seed ()
{
  { printf "\\x$2"; cat "$3"; } >"$out/$1"
}

cat >smime.cnf <<'CNF'
[ext]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = email:jan@firma.pl, email:biuro@firma.pl
CNF

openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -subj "/CN=Firma CA" -days 3650 -out ca.pem
openssl ecparam -name prime256v1 -genkey -noout -out jan.key
openssl req -new -key jan.key -subj "/CN=Jan Kowalski/emailAddress=jan@firma.pl" -out jan.csr
openssl x509 -req -in jan.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 730 \
  -extfile smime.cnf -extensions ext -out jan.pem 2>/dev/null

cat jan.pem jan.key >jan-with-key.pem
seed pem-with-key 30 jan-with-key.pem

cat jan.pem ca.pem >chain.pem
seed pem-chain 20 chain.pem

openssl x509 -in jan.pem -outform DER -out jan.der
seed der 20 jan.der

openssl pkey -in jan.key -aes256 -passout pass:tajne -out jan-encrypted.key
cat jan.pem jan-encrypted.key >jan-encrypted.pem
seed pem-encrypted-key 32 jan-encrypted.pem

openssl pkcs12 -export -in jan.pem -inkey jan.key -certfile ca.pem -passout pass:tajne -out aes.p12
seed p12-aes 12 aes.p12

openssl pkcs12 -export -legacy -in jan.pem -inkey jan.key -passout 'pass:zażółć gęślą jaźń' \
  -out legacy.p12
seed p12-legacy 13 legacy.p12

openssl pkcs12 -export -in jan.pem -inkey jan.key -passout pass: -out empty.p12
seed p12-empty-password 01 empty.p12

openssl req -x509 -new -key jan.key -subj "/CN=Bez klucza" -days 1 -out self.pem
seed pem-self-signed 20 self.pem
