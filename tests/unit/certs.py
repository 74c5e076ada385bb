#!/usr/bin/python3
# certs.py — signing certificates for the tests, made with the openssl
# command at test time: nothing here is committed, private keys least of
# all.
#
#   certs.py FOLDER
#
# fills FOLDER with the files below and certs.ini, a GLib key file with
# what each file should read as (group = file name): subject, issuer,
# emails, not_before, not_after (ISO 8601, UTC), sha256 ("AB:CD:…"),
# status, has_key, error ("bad-password", "unreadable"), as the openssl
# command itself reads them — an oracle independent of the code under test.
# Used by tests/unit/test-certificate.c and tests/unit/test_check_certificate.py.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import configparser
import datetime
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "servers"))
import testca  # noqa: E402

# The address the good certificates are for, and the password of every
# PKCS#12 file that has one: a Polish letter checks that the password goes
# to OpenSSL as UTF-8.
ADDRESS = "biuro@firma.example"
PASSWORD = "tajne hasło"
OTHER_ADDRESS = "jan@firma.example"

CA_CONFIG = """\
[ca]
default_ca = signing_ca

[signing_ca]
dir = {dir}
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir/issued
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
policy = as_asked
unique_subject = no
copy_extensions = none
email_in_dn = yes
utf8 = yes
string_mask = utf8only

[as_asked]
countryName = optional
localityName = optional
organizationName = optional
commonName = optional
emailAddress = optional

[smime]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = emailProtection,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SK_CERT_NAMES

[server_only]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $ENV::SK_CERT_NAMES

[encipher_only]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = $ENV::SK_CERT_NAMES

[subject_email]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = emailProtection
"""

# name: (subject, extensions section, subjectAltName or None, validity)
NOW, PAST, FUTURE = "now", "past", "future"
CERTIFICATES = {
    "valid": ("/O=Firma Sp. z o.o./CN=Biuro Firmy", "smime", "email:" + ADDRESS, NOW),
    "expired": ("/O=Firma Sp. z o.o./CN=Biuro Stare", "smime", "email:" + ADDRESS, PAST),
    "not-yet-valid": ("/O=Firma Sp. z o.o./CN=Biuro Przyszłe", "smime", "email:" + ADDRESS,
                      FUTURE),
    "other-address": ("/O=Firma Sp. z o.o./CN=Jan Kowalski", "smime", "email:" + OTHER_ADDRESS,
                      NOW),
    "server-only": ("/O=Firma Sp. z o.o./CN=poczta.firma.example", "server_only",
                    "email:" + ADDRESS, NOW),
    "encipher-only": ("/O=Firma Sp. z o.o./CN=Biuro Szyfrowanie", "encipher_only",
                      "email:" + ADDRESS, NOW),
    "subject-email": ("/O=Firma Sp. z o.o./CN=Biuro W Nazwie/emailAddress=Biuro@Firma.Example",
                      "subject_email", None, NOW),
    "utf8": ("/C=PL/L=Łódź/O=Zakład Usług Łódź/CN=Zażółć Gęślą", "smime",
             "email:" + ADDRESS + ",email:Kadry@Firma.Example", NOW),
}

# name: (subject, notBefore, notAfter) at the ends of what a certificate's
# GeneralizedTime holds: the year 1, and 9999-12-31T23:59:59Z, the RFC 5280
# "no expiry" date, which is already the year 10000 east of UTC.  Made by
# Maker.make_extreme_dates(), apart from the rest.
EXTREME_DATES = {
    "year-one": ("/O=Firma Sp. z o.o./CN=Biuro Od Zawsze", "00010101000000Z",
                 "20300101120000Z"),
    "no-expiry": ("/O=Firma Sp. z o.o./CN=Biuro Bezterminowe", "20250101120000Z",
                  "99991231235959Z"),
}

# Status of each certificate with its key, for ADDRESS at the present time.
STATUS = {
    "valid": "valid",
    "expired": "expired",
    "not-yet-valid": "not-yet-valid",
    "other-address": "address-mismatch",
    "server-only": "not-for-email",
    "encipher-only": "not-for-email",
    "subject-email": "valid",
    "utf8": "valid",
}


def openssl(*args, env=None, input=None):
    result = subprocess.run(["openssl", *args], capture_output=True, env=env, input=input,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError("openssl %s failed: %s"
                           % (args[0], result.stderr.decode("utf-8", "replace").strip()))
    return result.stdout.decode("utf-8")


def stamp(when):
    return when.strftime("%Y%m%d%H%M%SZ")


def iso(when):
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def validity(kind, now):
    if kind == PAST:
        return now - datetime.timedelta(days=400), now - datetime.timedelta(days=30)
    if kind == FUTURE:
        return now + datetime.timedelta(days=30), now + datetime.timedelta(days=400)
    return now - datetime.timedelta(hours=1), now + datetime.timedelta(days=365)


def read_name(cert, which):
    out = openssl("x509", "-in", cert, "-noout", "-" + which,
                  "-nameopt", "RFC2253,-esc_msb,utf8")
    # A backslash is an escape in a GLib key file as in RFC 2253.
    return out.strip().split("=", 1)[1].replace("\\", "\\\\")


def fingerprint(cert):
    out = openssl("x509", "-in", cert, "-noout", "-fingerprint", "-sha256")
    return out.strip().split("=", 1)[1].upper()


def supports_legacy():
    """Whether this openssl can write RC2/3DES PKCS#12 (its legacy provider)."""
    result = subprocess.run(["openssl", "list", "-cipher-algorithms", "-provider", "legacy"],
                            capture_output=True, check=False)
    return result.returncode == 0


class Maker:
    def __init__(self, folder):
        self.folder = os.path.abspath(folder)
        os.makedirs(self.folder, exist_ok=True)
        self.ca = testca.TestCA(os.path.join(self.folder, "ca"))
        self.cafile = self.ca.cafile
        # The test CA as a system's CA folder would hold it (SSL_CERT_DIR).
        self.trusted = os.path.join(self.folder, "trusted")
        os.makedirs(self.trusted, exist_ok=True)
        with open(self.cafile, encoding="ascii") as inp, \
             open(os.path.join(self.trusted, "skrzynka-test-ca.pem"), "w",
                  encoding="ascii") as out:
            out.write(inp.read())
        openssl("rehash", self.trusted)
        self.config = os.path.join(self.ca.folder, "signing.cnf")
        with open(self.config, "w", encoding="utf-8") as config:
            config.write(CA_CONFIG.format(dir=self.ca.folder))
        # One present time for every certificate, in whole seconds (all a
        # certificate holds), so that they share their borders.
        self.now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        self.manifest = configparser.RawConfigParser()
        self.manifest.optionxform = str

    def path(self, name):
        return os.path.join(self.folder, name)

    def issue(self, name):
        subject, section, names, kind = CERTIFICATES[name]
        key, csr, cert = (self.path(name + suffix) for suffix in (".key", ".csr", ".pem"))
        start, end = validity(kind, self.now)
        openssl("req", "-new", "-utf8", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key, "-out", csr, "-subj", subject)
        env = dict(os.environ, SK_CERT_NAMES=names or "")
        openssl("ca", "-batch", "-notext", "-utf8", "-preserveDN", "-config", self.config,
                "-extensions", section, "-in", csr, "-out", cert,
                "-startdate", stamp(start), "-enddate", stamp(end), env=env)
        os.unlink(csr)
        os.chmod(key, 0o600)
        return cert, key, start, end

    def describe(self, file, cert, start, end, status, has_key, emails, chain=0):
        self.manifest[file] = {
            "subject": read_name(cert, "subject"),
            "issuer": read_name(cert, "issuer"),
            "emails": ";".join(emails) + ";" if emails else "",
            "not_before": iso(start),
            "not_after": iso(end),
            "sha256": fingerprint(cert),
            "status": status,
            "has_key": "true" if has_key else "false",
            "chain": str(chain),
        }

    def refuse(self, file, error):
        self.manifest[file] = {"error": error}

    def pkcs12(self, out, cert, key, password=PASSWORD, *extra):
        openssl("pkcs12", "-export", "-in", cert, "-inkey", key, "-certfile", self.cafile,
                "-name", os.path.basename(out), "-out", out, "-passout", "stdin", *extra,
                input=(password + "\n").encode("utf-8"))
        os.chmod(out, 0o600)

    def make_extreme_dates(self):
        """Writes NAME.p12 (with PASSWORD) for each of EXTREME_DATES; not in
        certs.ini."""
        for name, (subject, start, end) in EXTREME_DATES.items():
            key, csr, cert = (self.path(name + suffix) for suffix in (".key", ".csr", ".pem"))
            openssl("req", "-new", "-utf8", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr,
                    "-subj", subject)
            env = dict(os.environ, SK_CERT_NAMES="email:" + ADDRESS)
            openssl("ca", "-batch", "-notext", "-utf8", "-preserveDN", "-config", self.config,
                    "-extensions", "smime", "-in", csr, "-out", cert,
                    "-startdate", start, "-enddate", end, env=env)
            os.unlink(csr)
            os.chmod(key, 0o600)
            self.pkcs12(self.path(name + ".p12"), cert, key)

    def make(self):
        emails_of = {
            "valid": [ADDRESS],
            "expired": [ADDRESS],
            "not-yet-valid": [ADDRESS],
            "other-address": [OTHER_ADDRESS],
            "server-only": [ADDRESS],
            "encipher-only": [ADDRESS],
            "subject-email": [ADDRESS],
            "utf8": [ADDRESS, "kadry@firma.example"],
        }
        issued = {}
        for name in CERTIFICATES:
            cert, key, start, end = issued[name] = self.issue(name)
            self.pkcs12(self.path(name + ".p12"), cert, key)
            self.describe(name + ".p12", cert, start, end, STATUS[name], True, emails_of[name],
                          chain=1)

        cert, key, start, end = issued["valid"]

        # The same certificate in every form it may come in.
        self.pkcs12(self.path("valid-nopass.p12"), cert, key, "")
        self.describe("valid-nopass.p12", cert, start, end, "valid", True, [ADDRESS], chain=1)
        # No MAC: OpenSSL 3.0 cannot tell a right password from a wrong one.
        self.pkcs12(self.path("valid-nomac.p12"), cert, key, PASSWORD, "-nomac")
        self.refuse("valid-nomac.p12", "unreadable")
        if supports_legacy():
            self.pkcs12(self.path("valid-legacy.p12"), cert, key, PASSWORD, "-legacy")
            self.describe("valid-legacy.p12", cert, start, end, "valid", True, [ADDRESS],
                          chain=1)

        with open(self.path("valid-full.pem"), "w", encoding="ascii") as out:
            # The key between the CA and the certificate: any order goes.
            for part in (self.cafile, key, cert):
                with open(part, encoding="ascii") as inp:
                    out.write(inp.read())
        os.chmod(self.path("valid-full.pem"), 0o600)
        self.describe("valid-full.pem", cert, start, end, "valid", True, [ADDRESS], chain=1)

        encrypted = self.path("valid-encrypted.key")
        openssl("pkcs8", "-topk8", "-in", key, "-out", encrypted, "-v2", "aes-256-cbc",
                "-passout", "stdin", input=(PASSWORD + "\n").encode("utf-8"))
        with open(self.path("valid-encrypted.pem"), "w", encoding="ascii") as out:
            for part in (cert, encrypted):
                with open(part, encoding="ascii") as inp:
                    out.write(inp.read())
        os.chmod(self.path("valid-encrypted.pem"), 0o600)
        self.describe("valid-encrypted.pem", cert, start, end, "valid", True, [ADDRESS])

        # The certificate alone, as PEM (the file name the issuer gave it)
        # and as DER (what Windows exports as .cer).
        with open(cert, encoding="ascii") as inp, \
             open(self.path("valid-cert.crt"), "w", encoding="ascii") as out:
            out.write(inp.read())
        self.describe("valid-cert.crt", cert, start, end, "no-private-key", False, [ADDRESS])
        openssl("x509", "-in", cert, "-outform", "DER", "-out", self.path("valid-cert.cer"))
        self.describe("valid-cert.cer", cert, start, end, "no-private-key", False, [ADDRESS])

        # Files that are not certificates at all.
        with open(self.path("valid.p12"), "rb") as inp:
            whole = inp.read()
        with open(self.path("truncated.p12"), "wb") as out:
            out.write(whole[: len(whole) // 2])
        self.refuse("truncated.p12", "unreadable")
        with open(self.path("random.p12"), "wb") as out:
            out.write(os.urandom(2048))
        self.refuse("random.p12", "unreadable")
        open(self.path("empty.p12"), "wb").close()
        self.refuse("empty.p12", "unreadable")
        with open(key, encoding="ascii") as inp, \
             open(self.path("key-only.pem"), "w", encoding="ascii") as out:
            out.write(inp.read())
        os.chmod(self.path("key-only.pem"), 0o600)
        self.refuse("key-only.pem", "unreadable")
        # A key that belongs to another certificate.
        with open(self.path("mismatched.pem"), "w", encoding="ascii") as out:
            for part in (cert, issued["other-address"][1]):
                with open(part, encoding="ascii") as inp:
                    out.write(inp.read())
        os.chmod(self.path("mismatched.pem"), 0o600)
        self.refuse("mismatched.pem", "unreadable")

        with open(self.path("certs.ini"), "w", encoding="utf-8") as manifest:
            self.manifest.write(manifest, space_around_delimiters=False)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: certs.py FOLDER")
    Maker(sys.argv[1]).make()


if __name__ == "__main__":
    main()
