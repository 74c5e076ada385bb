#!/usr/bin/python3
# test_check_certificate.py — "skrzynka --check-certificate" on certificates
# that certs.py makes with the openssl command for this run.  Speaks TAP.
#
# Every run is checked for the same things besides its own case: the JSON
# has the documented shape and reads as the openssl command reads the file,
# the exit status matches the status, and the password appears nowhere in
# what the program printed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import configparser
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import certs  # noqa: E402
import tap  # noqa: E402

BINARY = os.environ.get("SKRZYNKA_BINARY", "skrzynka")
FIELDS = ("subject", "emails", "issuer", "not_before", "not_after", "sha256", "status",
          "message", "chain")
STATUSES = ("valid", "no-private-key", "expired", "not-yet-valid", "not-for-email",
            "address-mismatch")
ERRORS = ("bad-password", "unreadable")
WRONG_PASSWORD = "złe hasło 42"


class Fixture:
    folder = None
    manifest = None

    @classmethod
    def setup(cls):
        cls.folder = tempfile.mkdtemp(prefix="sk-check-certificate-")
        maker = certs.Maker(cls.folder)
        maker.make()
        cls.manifest = configparser.RawConfigParser()
        cls.manifest.optionxform = str
        cls.manifest.read(os.path.join(cls.folder, "certs.ini"), encoding="utf-8")
        maker.make_extreme_dates()

    @classmethod
    def teardown(cls):
        # The fixtures hold private keys: none outlives the run.
        if cls.folder is not None:
            shutil.rmtree(cls.folder, ignore_errors=True)

    @classmethod
    def path(cls, name):
        return os.path.join(cls.folder, name)


class Run:
    def __init__(self, args, status, stdout, stderr):
        self.args = args
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.json = None

    def describe(self):
        return "skrzynka %s: exit %d\nstdout: %s\nstderr: %s" % (
            " ".join(self.args), self.status, self.stdout, self.stderr)


def run_program(*args, password=None, language=None, zone=None):
    """Runs the program; password (when given) goes to standard input."""
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("LANGUAGE", None)
    if language is not None:
        env["LANGUAGE"] = language
    if zone is not None:
        # A GLib-CRITICAL ends the program: it must log none.
        env.update(TZ=zone, G_DEBUG="fatal-criticals")
    command = [BINARY, *args]
    if password is not None:
        command.append("--password-stdin")
    result = subprocess.run(command, input=(password or "").encode("utf-8"),
                            capture_output=True, env=env, timeout=60, check=False)
    run = Run(command[1:], result.returncode, result.stdout.decode("utf-8"),
              result.stderr.decode("utf-8"))
    for secret in (certs.PASSWORD, WRONG_PASSWORD):
        for form in (secret, secret.encode("utf-8").hex(), secret.replace(" ", "")):
            assert form not in run.stdout and form not in run.stderr, \
                "a password was printed:\n" + run.describe()
    return run


def check_json(name, email=None, password=None, extra=()):
    """--check-certificate --json on name; checks the shape, returns the run."""
    args = ["--check-certificate", Fixture.path(name), "--json", *extra]
    if email is not None:
        args += ["--email", email]
    run = run_program(*args, password=password)
    assert run.stdout.endswith("\n") and run.stdout.count("\n") == 1, run.describe()
    run.json = json.loads(run.stdout)
    assert tuple(run.json) == FIELDS, run.describe()
    status = run.json["status"]
    assert status in STATUSES + ERRORS, run.describe()
    assert isinstance(run.json["message"], str) and run.json["message"].endswith("."), \
        run.describe()
    if status in ERRORS:
        for field in FIELDS:
            if field not in ("status", "message"):
                assert run.json[field] is None, run.describe()
        assert run.status == (1 if status == "bad-password" else 2), run.describe()
    else:
        chain = run.json["chain"]
        assert set(chain) == {"ok", "message"} and isinstance(chain["ok"], bool), run.describe()
        assert isinstance(chain["message"], str) and chain["message"], run.describe()
        assert run.status == (0 if status == "valid" else 1), run.describe()
    # JSON mode keeps standard error for problems, and there are none.
    assert run.stderr == "", run.describe()
    return run


def password_for(name):
    if name.endswith(".p12") and not name.startswith("valid-nopass"):
        return certs.PASSWORD
    if name == "valid-encrypted.pem":
        return certs.PASSWORD
    return None


def test_every_file():
    """Each file reads as the openssl command reads it, with its status."""
    checked = 0
    for name in Fixture.manifest.sections():
        wanted = Fixture.manifest[name]
        run = check_json(name, email=certs.ADDRESS, password=password_for(name))
        if "error" in wanted:
            assert run.json["status"] == wanted["error"], run.describe()
            continue
        got = run.json
        assert got["subject"] == wanted["subject"].replace("\\\\", "\\"), run.describe()
        assert got["issuer"] == wanted["issuer"], run.describe()
        assert got["emails"] == [e for e in wanted["emails"].split(";") if e], run.describe()
        assert got["not_before"] == wanted["not_before"], run.describe()
        assert got["not_after"] == wanted["not_after"], run.describe()
        assert got["sha256"] == wanted["sha256"], run.describe()
        assert got["status"] == wanted["status"], run.describe()
        # Only the file brings the test CA: a certificate made for signing
        # mail, in its time, checks out up to it, which is said, but is
        # not counted as trusted.
        assert not got["chain"]["ok"], run.describe()
        if wanted["chain"] == "1" and wanted["status"] in ("valid", "address-mismatch"):
            assert "came in the file" in got["chain"]["message"], run.describe()
        checked += 1
    assert checked >= 14, checked


def test_every_status():
    seen = set()
    for name in Fixture.manifest.sections():
        seen.add(Fixture.manifest[name].get("status", Fixture.manifest[name].get("error")))
    run = check_json("valid.p12", password=WRONG_PASSWORD)
    seen.add(run.json["status"])
    assert seen == set(STATUSES + ERRORS), seen


def test_address_not_checked_without_email():
    run = check_json("other-address.p12", password=certs.PASSWORD)
    assert run.json["status"] == "valid", run.describe()
    run = check_json("other-address.p12", email="JAN@firma.example", password=certs.PASSWORD)
    assert run.json["status"] == "valid", run.describe()
    run = check_json("other-address.p12", email=certs.ADDRESS, password=certs.PASSWORD)
    assert run.json["status"] == "address-mismatch", run.describe()
    assert "(jan@firma.example)" in run.json["message"], run.describe()


def test_no_password_given():
    """Without --password-stdin no password is tried, and the message says
    how to give one."""
    run = check_json("valid.p12")
    assert run.json["status"] == "bad-password", run.describe()
    assert "--password-stdin" in run.json["message"], run.describe()
    # A file exported without a password needs none.
    run = check_json("valid-nopass.p12")
    assert run.json["status"] == "valid", run.describe()
    run = check_json("valid-nopass.p12", password="")
    assert run.json["status"] == "valid", run.describe()


def test_wrong_password():
    for name in ("valid.p12", "valid-encrypted.pem"):
        run = check_json(name, password=WRONG_PASSWORD)
        assert run.json["status"] == "bad-password", run.describe()
        assert "--password-stdin" not in run.json["message"], run.describe()
    run = run_program("--check-certificate", Fixture.path("valid.p12"), password=WRONG_PASSWORD)
    assert run.status == 1 and run.stdout == "", run.describe()
    assert run.stderr.startswith("skrzynka: ") and run.stderr.count("\n") == 1, run.describe()
    assert "password" in run.stderr, run.describe()


def test_unreadable_files():
    for name in ("truncated.p12", "random.p12", "empty.p12", "key-only.pem",
                 "mismatched.pem", "no-such-file.p12"):
        run = check_json(name, password=certs.PASSWORD)
        assert run.json["status"] == "unreadable", run.describe()
        run = run_program("--check-certificate", Fixture.path(name))
        assert run.status == 2 and run.stdout == "", run.describe()
        assert run.stderr.startswith("skrzynka: ") and run.stderr.count("\n") == 1, \
            run.describe()


def test_human_output():
    run = run_program("--check-certificate", Fixture.path("utf8.p12"), "--email",
                      certs.ADDRESS, password=certs.PASSWORD)
    assert run.status == 0, run.describe()
    wanted = Fixture.manifest["utf8.p12"]
    lines = run.stdout.splitlines()
    labels = [line.split(":", 1)[0] for line in lines]
    assert labels == ["Subject", "E-mail", "Issuer", "Valid from", "Valid to", "SHA-256",
                      "Trust", "Status"], run.describe()
    assert lines[0] == "Subject: " + wanted["subject"], run.describe()
    assert "Łódź" in lines[0], run.describe()
    assert lines[1] == "E-mail: biuro@firma.example, kadry@firma.example", run.describe()
    assert lines[5] == "SHA-256: " + wanted["sha256"], run.describe()
    assert lines[7].startswith("Status: This certificate can sign e-mail until "), \
        run.describe()
    assert run.stderr == "", run.describe()

    run = run_program("--check-certificate", Fixture.path("expired.p12"),
                      password=certs.PASSWORD)
    assert run.status == 1, run.describe()
    assert "Status: This certificate expired on " in run.stdout, run.describe()


def test_cafile():
    run = check_json("valid-cert.crt")
    assert run.json["status"] == "no-private-key", run.describe()
    assert not run.json["chain"]["ok"], run.describe()
    assert "not among the trusted" in run.json["chain"]["message"], run.describe()
    run = check_json("valid-cert.crt", extra=("--cafile", Fixture.path("ca/ca.pem")))
    assert run.json["chain"]["ok"], run.describe()
    assert run.json["chain"]["message"] == "Issued by a trusted certification authority.", \
        run.describe()
    run = run_program("--check-certificate", Fixture.path("valid-cert.crt"),
                      "--cafile", Fixture.path("ca/no-such.pem"))
    assert run.status == 2 and run.stdout == "", run.describe()
    assert "no-such.pem" in run.stderr, run.describe()


def test_bad_usage():
    cases = [
        ["--email", certs.ADDRESS],
        ["--check-certificate", Fixture.path("valid.p12"), "--test", "Biuro"],
        ["--check-certificate", Fixture.path("valid.p12"), "--list"],
    ]
    for args in cases:
        run = run_program(*args)
        assert run.status == 2 and run.stdout == "", run.describe()
        assert run.stderr.startswith("skrzynka: ") and run.stderr.count("\n") == 1, \
            run.describe()
    # One line of password, not two.
    run = run_program("--check-certificate", Fixture.path("valid.p12"),
                      password=certs.PASSWORD + "\n" + certs.PASSWORD + "\n")
    assert run.status == 2 and "one line" in run.stderr, run.describe()


def test_extreme_dates():
    """The year 1 and the RFC 5280 "no expiry" date read as the certificate
    writes them in every time zone: in Poland, 9999-12-31T23:59:59Z is
    already the year 10000, which GLib cannot hold.  JSON dates always have
    four-digit years."""
    days = {"year-one": ("1 January 1", "1 January 2030"),
            "no-expiry": ("1 January 2025", "31 December 9999")}
    stamps = {"year-one": ("0001-01-01T00:00:00Z", "2030-01-01T12:00:00Z"),
              "no-expiry": ("2025-01-01T12:00:00Z", "9999-12-31T23:59:59Z")}
    for zone in ("Europe/Warsaw", "UTC", "America/New_York"):
        for name in certs.EXTREME_DATES:
            valid_from, valid_to = days[name]
            run = run_program("--check-certificate", Fixture.path(name + ".p12"),
                              password=certs.PASSWORD, zone=zone)
            assert run.status == 0 and run.stderr == "", run.describe()
            lines = run.stdout.splitlines()
            assert "Valid from: " + valid_from in lines, run.describe()
            assert "Valid to: " + valid_to in lines, run.describe()
            assert "Status: This certificate can sign e-mail until %s." % valid_to in lines, \
                run.describe()

            run = run_program("--check-certificate", Fixture.path(name + ".p12"), "--json",
                              password=certs.PASSWORD, zone=zone)
            assert run.status == 0 and run.stderr == "", run.describe()
            got = json.loads(run.stdout)
            assert (got["not_before"], got["not_after"]) == stamps[name], run.describe()
            assert got["message"].endswith(" until %s." % valid_to), run.describe()


TESTS = [
    test_every_file,
    test_every_status,
    test_address_not_checked_without_email,
    test_no_password_given,
    test_wrong_password,
    test_unreadable_files,
    test_human_output,
    test_cafile,
    test_bad_usage,
    test_extreme_dates,
]


def main():
    return tap.run(TESTS, Fixture.setup, Fixture.teardown)


if __name__ == "__main__":
    sys.exit(main())
