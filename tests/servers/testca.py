# testca.py — a certificate authority of the tests' own, made with the
# openssl command at test time, and the server certificates it signs.
#
# Nothing here is trusted by the system: a client sees these certificates
# as valid only when it is given ca.pem (skrzynka --cafile, curl --cacert).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import os
import subprocess

# The kinds of server certificate a test can ask for.
GOOD = "good"
EXPIRED = "expired"
WRONG_HOST = "wrong-host"
KINDS = (GOOD, EXPIRED, WRONG_HOST)

# Where the test servers listen, and the names a good certificate carries.
HOST = "127.0.0.1"
GOOD_NAMES = "DNS:localhost,IP:127.0.0.1"
WRONG_NAME = "mail.example.invalid"

CA_CONFIG = """\
[ca]
default_ca = test_ca

[test_ca]
dir = {dir}
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir/issued
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
policy = any_subject
unique_subject = no
copy_extensions = none
email_in_dn = no

[any_subject]
commonName = supplied

[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SK_TESTCA_NAMES
"""


def _openssl(*args, env=None):
    result = subprocess.run(["openssl", *args], capture_output=True, text=True,
                            env=env, check=False)
    if result.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (args[0], result.stderr.strip()))
    return result.stdout


def _stamp(when):
    return when.strftime("%Y%m%d%H%M%SZ")


class TestCA:
    """A CA in folder (made if missing): ca.pem, ca.key and what it issued."""

    __test__ = False  # not a test case, whatever a test runner may think

    def __init__(self, folder):
        self.folder = folder
        self.cafile = os.path.join(folder, "ca.pem")
        self.keyfile = os.path.join(folder, "ca.key")
        self._config = os.path.join(folder, "ca.cnf")
        if os.path.exists(self.cafile):
            return

        os.makedirs(os.path.join(folder, "issued"), exist_ok=True)
        with open(os.path.join(folder, "index.txt"), "w"):
            pass
        with open(os.path.join(folder, "serial"), "w") as serial:
            serial.write("1000\n")
        with open(self._config, "w") as config:
            config.write(CA_CONFIG.format(dir=folder))
        # P-256 keys: generated in milliseconds, unlike RSA.
        _openssl("req", "-x509", "-newkey", "ec",
                 "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", self.keyfile, "-out", self.cafile, "-days", "3",
                 "-subj", "/O=Skrzynka tests/CN=Skrzynka Test CA",
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        os.chmod(self.keyfile, 0o600)

    def issue(self, kind=GOOD, name=None, names=None):
        """Signs a server certificate; returns the paths (cert, key).

        GOOD is valid now for localhost and 127.0.0.1; EXPIRED has the same
        names but ran out a year ago; WRONG_HOST is valid now but names
        another host only.  names, when given, replaces the kind's
        subjectAltName ("DNS:a.example,DNS:*.b.example")."""
        if kind not in KINDS:
            raise ValueError("unknown certificate kind %r" % kind)
        name = name or kind
        cert = os.path.join(self.folder, name + ".pem")
        key = os.path.join(self.folder, name + ".key")
        csr = os.path.join(self.folder, name + ".csr")

        now = datetime.datetime.now(datetime.timezone.utc)
        if kind == EXPIRED:
            start, end = now - datetime.timedelta(days=400), now - datetime.timedelta(days=365)
        else:
            start, end = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=2)
        if kind == WRONG_HOST:
            common_name, names = WRONG_NAME, names or "DNS:" + WRONG_NAME
        else:
            common_name, names = "localhost", names or GOOD_NAMES

        _openssl("req", "-new", "-newkey", "ec",
                 "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", key, "-out", csr,
                 "-subj", "/O=Skrzynka tests/CN=" + common_name)
        env = dict(os.environ, SK_TESTCA_NAMES=names)
        _openssl("ca", "-batch", "-notext", "-config", self._config,
                 "-extensions", "server", "-in", csr, "-out", cert,
                 "-startdate", _stamp(start), "-enddate", _stamp(end), env=env)
        os.unlink(csr)
        os.chmod(key, 0o600)
        return cert, key

    @staticmethod
    def fingerprint(cert):
        """The SHA-256 fingerprint of cert as "AB:CD:…"."""
        out = _openssl("x509", "-in", cert, "-noout", "-fingerprint", "-sha256")
        return out.strip().split("=", 1)[1].upper()

    @staticmethod
    def subject(cert):
        """The subject of cert in RFC 2253 form ("CN=localhost,O=…")."""
        out = _openssl("x509", "-in", cert, "-noout", "-subject", "-nameopt", "RFC2253")
        return out.strip().split("=", 1)[1]
