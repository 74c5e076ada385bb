#!/usr/bin/python3
# test_send.py — "skrzynka --import-certificate" and "--send-test" against
# a real Dovecot whose submission relays to a sink that keeps what it
# receives (tests/servers/sink.py), in a session with a real keyring.
# Speaks TAP.
#
# The signing certificates are made at test time by tests/unit/certs.py;
# the message that arrives is checked with the openssl command, as a mail
# program would check it.  Every run is checked for leaks: neither the
# mailbox password nor the certificate's password nor the passphrase the
# keyring keeps appears in anything the program printed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import email
import email.policy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "servers"))
sys.path.insert(0, os.path.join(HERE, "..", "unit"))
sys.path.insert(0, os.path.join(HERE, ".."))
import certs  # noqa: E402
import dovecot  # noqa: E402
import scripted  # noqa: E402
import testca  # noqa: E402
import tap  # noqa: E402

BINARY = os.environ.get("SKRZYNKA_BINARY", "skrzynka")
HOST = testca.HOST
USER = dovecot.DEFAULT_USER
PASSWORD = dovecot.DEFAULT_PASSWORD
WRONG_PASSWORD = "Qw7-złe-hasło-testowe"
ADDRESS = certs.ADDRESS
CERT_PASSWORD = certs.PASSWORD
ACCOUNT = "Biuro Łódź"
RUN_LIMIT = 60
# How long a relayed message may take to reach the sink.
ARRIVAL_LIMIT = 5


class Fixture:
    folder = None
    certs = None      # certs.Maker: the signing certificates and their CA
    dovecot = None

    @classmethod
    def setup(cls):
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        if not (runtime and os.access(runtime, os.W_OK)):
            runtime = None
        cls.folder = tempfile.mkdtemp(prefix="skrzynka-test-send.", dir=runtime)
        cls.certs = certs.Maker(os.path.join(cls.folder, "certs"))
        cls.certs.make()
        cls.dovecot = dovecot.start()

    @classmethod
    def teardown(cls):
        if cls.dovecot:
            cls.dovecot.stop()
            cls.dovecot = None
        if cls.folder:
            shutil.rmtree(cls.folder, ignore_errors=True)

    @classmethod
    def cert(cls, name):
        return cls.certs.path(name)

    @classmethod
    def sha256(cls, name):
        return cls.certs.manifest[name]["sha256"]


# Running the program

def secrets(password):
    """Every form of password that must never be seen: itself, its
    distinctive ASCII part (JSON may escape the rest), and the base64 of
    the AUTH PLAIN payload."""
    raw = password.encode()
    forms = [raw, raw[:10]]
    for payload in (raw, b"\0" + USER.encode() + b"\0" + raw):
        forms.append(base64.b64encode(payload))
    return forms


def keyring_passphrase(sha256):
    """What the keyring keeps for the certificate, read with secret-tool."""
    result = subprocess.run(["secret-tool", "lookup", "sha256", sha256],
                            capture_output=True, check=False)
    return result.stdout.strip()


class Home:
    """A person's folders: configuration (the accounts) and data (the
    certificates), fresh for each case."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="home.", dir=Fixture.folder)
        self.config = os.path.join(self.root, "config")
        self.data = os.path.join(self.root, "data")
        os.mkdir(self.config)
        os.mkdir(self.data)

    def certificates(self):
        folder = os.path.join(self.data, "skrzynka", "certificates")
        return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


class Run:
    def __init__(self, args, status, stdout, stderr, seconds):
        self.args = args
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.result = None

    def describe(self):
        text = {}
        for name in ("stdout", "stderr"):
            data = getattr(self, name)
            for password in (PASSWORD, WRONG_PASSWORD, CERT_PASSWORD):
                for secret in secrets(password):
                    data = data.replace(secret, b"<PASSWORD>")
            text[name] = data.decode(errors="replace")[:4000]
        return ("%s\nstatus %s after %.2f s\nstdout: %s\nstderr: %s"
                % (" ".join(self.args), self.status, self.seconds, text["stdout"],
                   text["stderr"]))


def run_program(home, args, stdin=b"", limit=RUN_LIMIT, hidden=(), env_extra=None):
    """Runs the program in home; hidden: more strings it must not print."""
    env = dict(os.environ, XDG_CONFIG_HOME=home.config, XDG_DATA_HOME=home.data,
               LANG="C.UTF-8", **(env_extra or {}))
    env.pop("LANGUAGE", None)
    started = time.monotonic()
    process = subprocess.Popen([BINARY] + args, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        stdout, stderr = process.communicate(stdin, timeout=limit)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        raise AssertionError("the program was still running after %d s:\n%s"
                             % (limit, Run(args, None, stdout, stderr, limit).describe()))
    run = Run(args, process.returncode, stdout, stderr, time.monotonic() - started)
    if run.status < 0:
        raise AssertionError("the program died of signal %d:\n%s" % (-run.status, run.describe()))
    forbidden = [s for p in (PASSWORD, WRONG_PASSWORD, CERT_PASSWORD) for s in secrets(p)]
    forbidden += [h for h in hidden if h]
    for secret in forbidden:
        for name, text in (("stdout", stdout), ("stderr", stderr)):
            if secret in text:
                raise AssertionError("a secret (%r…) is in %s:\n%s"
                                     % (secret[:4], name, run.describe()))
    return run


def add_account(home, sign, security="starttls", address=ADDRESS, name=ACCOUNT, port=None,
                timeout=10):
    """Imports an account of the test's Dovecot (or of another server on
    port), as IT support would."""
    if port is None:
        port = Fixture.dovecot.ports["submission" if security == "starttls" else "submissions"]
    keys = {
        "name": name,
        "full-name": "Zażółć Gęślą Jaźń",
        "email": address,
        "type": "imap",
        "incoming-host": HOST,
        "incoming-port": Fixture.dovecot.ports["imaps"],
        "incoming-security": "ssl",
        "username": USER,
        "outgoing-host": HOST,
        "outgoing-port": port,
        "outgoing-security": security,
        "timeout": timeout,
        "sign": "true" if sign else "false",
    }
    path = os.path.join(home.root, "account.conf")
    with open(path, "w", encoding="utf-8") as key_file:
        key_file.write("[Account]\n")
        for key, value in keys.items():
            key_file.write("%s=%s\n" % (key, value))
    run = run_program(home, ["--import", path])
    assert run.status == 0, run.describe()


def import_certificate(home, name="valid.p12", password=CERT_PASSWORD, account=ACCOUNT,
                       env_extra=None):
    args = ["--import-certificate", Fixture.cert(name), "--account", account]
    stdin = b""
    if password is not None:
        args.append("--password-stdin")
        stdin = (password + "\n").encode()
    return run_program(home, args, stdin=stdin, env_extra=env_extra)


def export(home, account=ACCOUNT):
    run = run_program(home, ["--export", account])
    assert run.status == 0, run.describe()
    return run.stdout.decode()


def send_test(home, password=PASSWORD, json_output=True, hidden=(), account=ACCOUNT):
    args = ["--send-test", account, "--password-stdin", "--cafile", Fixture.dovecot.cafile]
    if json_output:
        args.append("--json")
    run = run_program(home, args, stdin=(password + "\n").encode(), hidden=hidden)
    if json_output and run.stdout.strip():
        try:
            run.result = json.loads(run.stdout.decode())
        except ValueError as error:
            raise AssertionError("stdout is not one JSON object (%s):\n%s"
                                 % (error, run.describe()))
        check_shape(run)
    return run


def check_shape(run):
    """The JSON of sk-test-message.h: the outgoing side as the connection
    test has it."""
    result = run.result
    for key in ("account", "ok", "signed", "message_id", "final_reply", "outgoing"):
        assert key in result, "no “%s” in %s" % (key, result)
    assert result["account"] == ACCOUNT, result["account"]
    assert run.status == (0 if result["ok"] else 1), run.describe()
    side = result["outgoing"]
    for key in ("protocol", "host", "port", "security", "ok", "seconds", "steps",
                "certificate", "diagnosis", "server_reply", "transcript"):
        assert key in side, "no “%s” in %s" % (key, side)
    assert side["protocol"] == "smtp"
    assert side["ok"] == result["ok"], result
    assert set(side["diagnosis"]) >= {"code", "guide_step", "message"}
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", result["message_id"]), result["message_id"]


def wait_for_messages(count, limit=ARRIVAL_LIMIT):
    deadline = time.monotonic() + limit
    while True:
        messages = Fixture.dovecot.messages()
        if len(messages) >= count or time.monotonic() > deadline:
            return messages
        time.sleep(0.05)


def header(message, name):
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    value = parsed[name]
    return str(value) if value is not None else None


def verify(message):
    """openssl cms -verify on message, as received, against the CA that
    issued the signing certificates; the signer's fingerprint."""
    folder = tempfile.mkdtemp(prefix="verify.", dir=Fixture.folder)
    path = os.path.join(folder, "message.eml")
    signer = os.path.join(folder, "signer.pem")
    with open(path, "wb") as out:
        out.write(message)
    result = subprocess.run(["openssl", "cms", "-verify", "-in", path, "-CAfile",
                             Fixture.certs.cafile, "-signer", signer, "-out", os.devnull],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, "openssl cms -verify failed: %s" % result.stderr
    assert "Verification successful" in result.stderr, result.stderr
    return testca.TestCA.fingerprint(signer)


# Importing certificates

def test_import_certificate():
    home = Home()
    add_account(home, sign=True)
    run = import_certificate(home)
    assert run.status == 0, run.describe()
    out = run.stdout.decode()
    assert "default certificate" in out, run.describe()
    assert "can sign e-mail until" in out, run.describe()

    sha256 = Fixture.sha256("valid.p12")
    exported = export(home)
    assert "\ncertificates=%s;\n" % sha256 in exported, exported
    assert "\ndefault-certificate=%s\n" % sha256 in exported, exported

    hex_name = sha256.replace(":", "")
    assert home.certificates() == [hex_name + ".p12", hex_name + ".pem"], home.certificates()
    folder = os.path.join(home.data, "skrzynka", "certificates")
    assert os.stat(folder).st_mode & 0o777 == 0o700
    passphrase = keyring_passphrase(sha256)
    assert len(base64.b64decode(passphrase)) == 32, "no passphrase in the keyring"
    for name in home.certificates():
        path = os.path.join(folder, name)
        assert os.stat(path).st_mode & 0o777 == 0o600, name
        with open(path, "rb") as stored:
            data = stored.read()
        assert b"PRIVATE KEY" not in data, name
        assert passphrase not in data, name

    # A second certificate joins the list; the default stays.
    run = import_certificate(home, "other-address.p12")
    assert run.status == 0, run.describe()
    assert "default certificate" not in run.stdout.decode(), run.describe()
    assert "different address" in run.stdout.decode(), run.describe()
    exported = export(home)
    assert "\ncertificates=%s;%s;\n" % (sha256, Fixture.sha256("other-address.p12")) \
        in exported, exported
    assert "\ndefault-certificate=%s\n" % sha256 in exported, exported


def test_import_certificate_refused():
    home = Home()
    add_account(home, sign=False)
    before = export(home)

    cases = [
        # (certificate, password, account, words on stderr, exit status)
        ("valid.p12", WRONG_PASSWORD, ACCOUNT, "password", 1),
        ("valid.p12", None, ACCOUNT, "--password-stdin", 1),
        ("random.p12", None, ACCOUNT, "random.p12", 2),
        ("truncated.p12", CERT_PASSWORD, ACCOUNT, "truncated.p12", 2),
        ("valid.p12", CERT_PASSWORD, "Nieznane", "Nieznane", 2),
    ]
    for name, password, account, words, status in cases:
        run = import_certificate(home, name, password, account)
        assert run.status == status, run.describe()
        assert words in run.stderr.decode(), run.describe()
        assert len(run.stderr.decode().strip().splitlines()) == 1, run.describe()
        assert home.certificates() == [], home.certificates()
    assert export(home) == before

    # No keyring to keep the key's passphrase: not imported, and said so.
    nowhere = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=" + os.path.join(home.root, "no-bus")}
    run = import_certificate(home, env_extra=nowhere)
    assert run.status == 1, run.describe()
    assert "There is no keyring to keep the certificate’s key safe" in run.stderr.decode(), \
        run.describe()
    assert home.certificates() == [], home.certificates()
    assert export(home) == before

    # Options that do not go together.
    for args in (["--import-certificate", Fixture.cert("valid.p12")],
                 ["--account", ACCOUNT],
                 ["--import-certificate", Fixture.cert("valid.p12"), "--account", ACCOUNT,
                  "--json"],
                 ["--send-test", ACCOUNT, "--account", ACCOUNT],
                 ["--send-test", ACCOUNT, "--test", ACCOUNT]):
        run = run_program(home, args)
        assert run.status == 2, run.describe()
        assert run.stderr.strip(), run.describe()
    assert home.certificates() == []


def test_import_certificate_without_key():
    home = Home()
    add_account(home, sign=False)
    run = import_certificate(home, "valid-cert.crt", password=None)
    assert run.status == 0, run.describe()
    assert "without its private key" in run.stdout.decode(), run.describe()
    hex_name = Fixture.sha256("valid-cert.crt").replace(":", "")
    assert home.certificates() == [hex_name + ".pem"], home.certificates()


# Sending

def test_send_signed():
    home = Home()
    add_account(home, sign=True)
    run = import_certificate(home)
    assert run.status == 0, run.describe()
    sha256 = Fixture.sha256("valid.p12")
    passphrase = keyring_passphrase(sha256)

    count = len(Fixture.dovecot.messages())
    run = send_test(home, hidden=[passphrase])
    assert run.status == 0, run.describe()
    result = run.result
    assert result["ok"] is True and result["signed"] is True, result
    assert result["final_reply"].startswith("250"), result["final_reply"]
    assert result["outgoing"]["diagnosis"]["code"] == "ok", result["outgoing"]["diagnosis"]
    assert [s["step"] for s in result["outgoing"]["steps"]] == \
        ["resolve", "connect", "greeting", "tls", "login"], result["outgoing"]["steps"]
    print("# final reply: %s" % result["final_reply"], flush=True)

    messages = wait_for_messages(count + 1)
    assert len(messages) == count + 1, "no message arrived"
    message = messages[-1]
    assert header(message, "Message-ID") == result["message_id"], header(message, "Message-ID")
    assert header(message, "From") == "Zażółć Gęślą Jaźń <%s>" % ADDRESS, header(message, "From")
    assert header(message, "To") == "Zażółć Gęślą Jaźń <%s>" % ADDRESS, header(message, "To")
    assert header(message, "Subject") == "Skrzynka test message", header(message, "Subject")
    assert header(message, "Content-Type").startswith("multipart/signed"), message[:600]
    assert b"\n" not in message.replace(b"\r\n", b""), "a line does not end in CRLF"

    # A mail program would see the signature as valid, made by the test
    # certificate.
    assert verify(message) == sha256

    # The same through implicit TLS, and the words on the terminal.
    count += 1
    home_ssl = Home()
    add_account(home_ssl, sign=True, security="ssl")
    assert import_certificate(home_ssl).status == 0
    run = send_test(home_ssl, json_output=False, hidden=[passphrase])
    assert run.status == 0, run.describe()
    assert "The server’s answer to the message: 250" in run.stdout.decode(), run.describe()
    assert "log in: done" in run.stderr.decode(), run.describe()
    messages = wait_for_messages(count + 1)
    assert len(messages) == count + 1, "no message arrived"
    assert verify(messages[-1]) == sha256


def test_send_unsigned():
    home = Home()
    add_account(home, sign=False)
    count = len(Fixture.dovecot.messages())
    run = send_test(home)
    assert run.status == 0, run.describe()
    assert run.result["signed"] is False and run.result["ok"] is True, run.result
    assert run.result["final_reply"].startswith("250"), run.result

    messages = wait_for_messages(count + 1)
    assert len(messages) == count + 1, "no message arrived"
    message = messages[-1]
    assert header(message, "Message-ID") == run.result["message_id"]
    assert header(message, "Content-Type").startswith("text/plain"), message[:600]
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    text = parsed.get_content()
    assert "Account: %s" % ACCOUNT in text, text
    assert "It is not signed." in text, text


def test_send_wrong_password():
    home = Home()
    add_account(home, sign=True)
    assert import_certificate(home).status == 0
    count = len(Fixture.dovecot.messages())
    run = send_test(home, password=WRONG_PASSWORD)
    assert run.status == 1, run.describe()
    result = run.result
    assert result["ok"] is False and result["final_reply"] is None, result
    assert result["outgoing"]["diagnosis"]["code"] == "bad-credentials", result["outgoing"]
    last = result["outgoing"]["steps"][-1]
    assert last["step"] == "login" and last["ok"] is False, result["outgoing"]["steps"]
    assert "535" in result["outgoing"]["server_reply"], result["outgoing"]["server_reply"]
    time.sleep(0.5)
    assert len(Fixture.dovecot.messages()) == count, "a message arrived"


def test_send_refused_recipient():
    # The relay refuses the address: a result with the server's words.
    home = Home()
    add_account(home, sign=False, address="refused@firma.example")
    count = len(Fixture.dovecot.messages())
    run = send_test(home)
    assert run.status == 1, run.describe()
    result = run.result
    assert result["ok"] is False and result["final_reply"] is None, result
    diagnosis = result["outgoing"]["diagnosis"]
    assert diagnosis["code"] == "server-error", diagnosis
    assert "tab 1" in diagnosis["message"], diagnosis
    assert result["outgoing"]["server_reply"].startswith("550"), result["outgoing"]
    time.sleep(0.5)
    assert len(Fixture.dovecot.messages()) == count, "a message arrived"

    run = send_test(home, json_output=False)
    assert run.status == 1, run.describe()
    assert "550" in run.stderr.decode(), run.describe()


def test_send_sign_without_certificate():
    # Signing is on but nothing can sign: nothing is sent unsigned.
    home = Home()
    add_account(home, sign=True)
    count = len(Fixture.dovecot.messages())
    run = send_test(home)
    assert run.status == 1, run.describe()
    assert run.stdout == b"", run.describe()
    assert "no default certificate" in run.stderr.decode(), run.describe()

    # A certificate for another address cannot sign for this one.
    assert import_certificate(home, "other-address.p12").status == 0
    run = send_test(home)
    assert run.status == 1, run.describe()
    assert "different address" in run.stderr.decode(), run.describe()

    time.sleep(0.5)
    assert len(Fixture.dovecot.messages()) == count, "a message arrived"


def test_send_server_without_login():
    # The server offers no AUTH: libcurl would go on without logging in;
    # the message is not sent, and the outcome says why.
    with scripted.start("smtp-no-auth", ca=Fixture.dovecot.ca, folder=Fixture.folder) as server:
        home = Home()
        add_account(home, sign=False, security="ssl", port=server.port)
        run = send_test(home)
        assert run.status == 1, run.describe()
        diagnosis = run.result["outgoing"]["diagnosis"]
        assert diagnosis["code"] == "no-authentication", diagnosis
        assert run.result["final_reply"] is None, run.result
        received = " ".join(server.received())
        assert "MAIL" in received, server.log_text()
        assert "Account: " not in server.log_text(), "the message went out"


def test_send_interrupt_cancels():
    # Ctrl+C ends the sending at once, mid-handshake, and still prints the
    # result.
    with scripted.start("silent", ca=Fixture.dovecot.ca, folder=Fixture.folder) as server:
        home = Home()
        add_account(home, sign=False, security="ssl", port=server.port, timeout=60)
        env = dict(os.environ, XDG_CONFIG_HOME=home.config, XDG_DATA_HOME=home.data,
                   LANG="C.UTF-8")
        process = subprocess.Popen([BINARY, "--send-test", ACCOUNT, "--password-stdin",
                                    "--cafile", Fixture.dovecot.cafile, "--json"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=env)
        try:
            process.stdin.write((PASSWORD + "\n").encode())
            process.stdin.close()
            process.stdin = None
            deadline = time.monotonic() + 10
            while "connected from" not in server.log_text():
                assert time.monotonic() < deadline, "the program never connected"
                time.sleep(0.02)
            time.sleep(0.3)
            interrupted = time.monotonic()
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=10)
            latency = time.monotonic() - interrupted
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    print("# Ctrl+C: the program ended %.0f ms after the signal" % (latency * 1000), flush=True)
    run = Run([], process.returncode, stdout, stderr, latency)
    assert process.returncode == 1, run.describe()
    for secret in secrets(PASSWORD):
        assert secret not in stdout and secret not in stderr
    result = json.loads(stdout.decode())
    assert result["outgoing"]["diagnosis"]["code"] == "cancelled", run.describe()
    assert result["ok"] is False and result["final_reply"] is None, result
    assert latency < 0.5, "the program took %.2f s to stop" % latency


def test_send_unknown_account():
    home = Home()
    run = send_test(home, account="Nieznane")
    assert run.status == 2, run.describe()
    assert "Nieznane" in run.stderr.decode(), run.describe()


TESTS = [
    test_import_certificate,
    test_import_certificate_refused,
    test_import_certificate_without_key,
    test_send_signed,
    test_send_unsigned,
    test_send_wrong_password,
    test_send_refused_recipient,
    test_send_sign_without_certificate,
    test_send_server_without_login,
    test_send_interrupt_cancels,
    test_send_unknown_account,
]


def main():
    return tap.run(TESTS, Fixture.setup, Fixture.teardown)


if __name__ == "__main__":
    sys.exit(main())
