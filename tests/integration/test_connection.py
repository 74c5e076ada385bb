#!/usr/bin/python3
# test_connection.py — "skrzynka --test-file" against real servers on
# loopback: a Dovecot of the tests' own (IMAP, POP3, submission; STARTTLS
# and implicit TLS; a test CA) and small scripted servers that misbehave
# where Dovecot cannot.  Speaks TAP.
#
# Every run of the program is checked for the same things besides its own
# case: the JSON has the documented shape, the exit status matches the
# result, and the password (or its base64) appears nowhere in what the
# program printed, the transcript included.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import datetime
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
sys.path.insert(0, os.path.join(HERE, ".."))
import dovecot  # noqa: E402
import scripted  # noqa: E402
import testca  # noqa: E402
import tap  # noqa: E402

BINARY = os.environ.get("SKRZYNKA_BINARY", "skrzynka")
HOST = testca.HOST
USER = dovecot.DEFAULT_USER
PASSWORD = dovecot.DEFAULT_PASSWORD
WRONG_PASSWORD = "Qw7-złe-hasło-testowe"
# How long one run of the program may take before the test gives up on it;
# each case asserts its own, much shorter, bound.
RUN_LIMIT = 60
STEPS = ("resolve", "connect", "tls", "greeting", "login")
CODES = ("ok", "app-password-required", "bad-credentials", "web-login-required",
         "protocol-disabled", "starttls-required", "temporary-failure",
         "name-not-found", "connection-refused", "timeout", "tls-untrusted",
         "tls-expired", "tls-wrong-host", "tls-failed", "no-starttls",
         "no-authentication", "auth-method-unavailable", "cancelled",
         "server-error")


class Fixture:
    """The servers the cases share, started once; the rest start per case."""

    folder = None
    ca = None
    dovecot = None
    started = []   # everything that must be stopped at the end

    @classmethod
    def setup(cls):
        # In the session's runtime folder when there is one: tests/session.sh
        # removes it however this process ends.  (Dovecot's own folder must
        # be reachable by its unprivileged processes; dovecot.py sees to it.)
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        if not (runtime and os.access(runtime, os.W_OK)):
            runtime = None
        cls.folder = tempfile.mkdtemp(prefix="skrzynka-test-connection.", dir=runtime)
        cls.ca = testca.TestCA(os.path.join(cls.folder, "ca"))
        cls.dovecot = cls.keep(dovecot.start(ca=cls.ca))

    @classmethod
    def keep(cls, server):
        cls.started.append(server)
        return server

    @classmethod
    def scripted(cls, mode, **kwargs):
        return cls.keep(scripted.start(mode, ca=cls.ca, folder=cls.folder, **kwargs))

    @classmethod
    def teardown(cls):
        while cls.started:
            server = cls.started.pop()
            if isinstance(server, scripted.ScriptedServer):
                server.cleanup()
            else:
                server.stop()
        if cls.folder:
            shutil.rmtree(cls.folder, ignore_errors=True)


# Running the program

def secrets(password):
    """Every form in which password must never be seen: itself, its
    distinctive ASCII part (JSON may escape the rest), and the base64 of
    the AUTH PLAIN and AUTH LOGIN payloads."""
    raw = password.encode()
    forms = [raw, raw[:12]]
    for payload in (raw, b"\0" + USER.encode() + b"\0" + raw,
                    USER.encode() + b"\0" + USER.encode() + b"\0" + raw):
        forms.append(base64.b64encode(payload))
    return forms


class Run:
    """One finished run of the program, already checked for leaks."""

    def __init__(self, args, status, stdout, stderr, seconds, config_home):
        self.args = args
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.config_home = config_home
        self.result = None

    def describe(self):
        """The run for a failure message, any password in it masked: the
        test log must not hold what the program was not to print."""
        text = {}
        for name in ("stdout", "stderr"):
            data = getattr(self, name)
            for password in (PASSWORD, WRONG_PASSWORD):
                for secret in secrets(password):
                    data = data.replace(secret, b"<PASSWORD>")
            text[name] = data.decode(errors="replace")[:4000]
        return ("status %s after %.2f s\nstdout: %s\nstderr: %s"
                % (self.status, self.seconds, text["stdout"], text["stderr"]))

    def side(self, name):
        return self.result[name]


def account_file(folder, incoming, outgoing, account_type="imap", timeout=10, extra=None):
    """A key file in the export format; incoming and outgoing are
    (host, port, security)."""
    keys = {
        "name": "Test łączności",
        "email": USER,
        "type": account_type,
        "incoming-host": incoming[0],
        "incoming-port": incoming[1],
        "incoming-security": incoming[2],
        "username": USER,
        "outgoing-host": outgoing[0],
        "outgoing-port": outgoing[1],
        "outgoing-security": outgoing[2],
        "outgoing-auth": "true",
        "timeout": timeout,
    }
    # Security None is allowed only after the person confirmed it.
    if incoming[2] == "none":
        keys["incoming-plain-confirmed"] = "true"
    if outgoing[2] == "none":
        keys["outgoing-plain-confirmed"] = "true"
    keys.update(extra or {})
    path = os.path.join(folder, "account.conf")
    with open(path, "w", encoding="utf-8") as key_file:
        key_file.write("[Account]\n")
        for key, value in keys.items():
            key_file.write("%s=%s\n" % (key, value))
    return path


def run_program(args, password=PASSWORD, stdin=None, limit=RUN_LIMIT):
    """Runs the program with a configuration folder of its own."""
    home = tempfile.mkdtemp(prefix="config.", dir=Fixture.folder)
    env = dict(os.environ, XDG_CONFIG_HOME=home, LANG="C.UTF-8")
    env.pop("LANGUAGE", None)
    if stdin is None:
        stdin = (password + "\n").encode()
    started = time.monotonic()
    process = subprocess.Popen([BINARY] + args, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        stdout, stderr = process.communicate(stdin, timeout=limit)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        raise AssertionError("the program was still running after %d s:\n%s"
                             % (limit, Run(args, None, stdout, stderr, limit, home).describe()))
    run = Run(args, process.returncode, stdout, stderr, time.monotonic() - started, home)
    if run.status < 0:
        raise AssertionError("the program died of signal %d:\n%s" % (-run.status, run.describe()))
    for secret in secrets(password):
        for name, text in (("stdout", stdout), ("stderr", stderr)):
            if secret in text:
                raise AssertionError("the password (%r) is in %s:\n%s"
                                     % (secret[:6], name, run.describe()))
    return run


def run_test_file(incoming, outgoing, account_type="imap", timeout=10, extra=None,
                 password=PASSWORD, cafile=True, json_output=True, limit=RUN_LIMIT):
    """Runs --test-file on a fresh key file; checks what every run must
    satisfy and returns the Run with .result, the parsed JSON."""
    folder = tempfile.mkdtemp(prefix="account.", dir=Fixture.folder)
    path = account_file(folder, incoming, outgoing, account_type, timeout, extra)
    args = ["--test-file", path, "--password-stdin"]
    if cafile:
        args += ["--cafile", Fixture.ca.cafile]
    if json_output:
        args.append("--json")
    run = run_program(args, password=password, limit=limit)
    if run.status not in (0, 1):
        raise AssertionError("a test must end with 0 or 1:\n" + run.describe())

    # --test-file tests the account; it does not save it.
    saved = [os.path.join(d, f) for d, _, files in os.walk(run.config_home) for f in files]
    assert not saved, "--test-file wrote %s" % saved

    if not json_output:
        return run
    try:
        run.result = json.loads(run.stdout.decode())
    except ValueError as error:
        raise AssertionError("stdout is not one JSON object (%s):\n%s" % (error, run.describe()))
    # JSON may escape a password so that the raw search above misses it.
    for secret in secrets(password):
        for text in strings_in(run.result):
            assert secret.decode(errors="replace") not in text, \
                "the password is in a JSON string %d characters long" % len(text)
    for name in ("incoming", "outgoing"):
        side = run.result.get(name) or {}
        diagnosis = side.get("diagnosis") or {}
        print("# %s %s:%s %s: %s (step %s) in %s s, reply %r"
              % (name, side.get("protocol"), side.get("port"), side.get("security"),
                 diagnosis.get("code"), diagnosis.get("guide_step"), side.get("seconds"),
                 (side.get("server_reply") or "")[:100]), flush=True)
    check_shape(run, (incoming, outgoing), account_type,
                outgoing_auth=(extra or {}).get("outgoing-auth", "true") == "true")
    return run


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def check_shape(run, servers, account_type, outgoing_auth=True):
    """The JSON of DESIGN.md, and what holds for every result."""
    result = run.result
    for key in ("account", "ok", "incoming", "outgoing"):
        assert key in result, "no “%s” in %s" % (key, result)
    assert result["account"] == "Test łączności", result["account"]
    assert isinstance(result["ok"], bool)
    assert run.status == (0 if result["ok"] else 1), \
        "exit status %d for ok=%s" % (run.status, result["ok"])
    assert result["ok"] == (result["incoming"]["ok"] and result["outgoing"]["ok"])

    for name, (host, port, security), protocol in (
            ("incoming", servers[0], account_type),
            ("outgoing", servers[1], "smtp")):
        side = result[name]
        where = "%s: %s" % (name, json.dumps(side, ensure_ascii=False)[:3000])
        for key in ("protocol", "host", "port", "security", "ok", "seconds", "steps",
                    "certificate", "diagnosis", "server_reply"):
            assert key in side, "no “%s” in %s" % (key, where)
        assert side["protocol"] == protocol, where
        assert side["host"] == host, where
        assert side["port"] == int(port), where
        assert side["security"] == security, where
        assert isinstance(side["seconds"], (int, float)) and side["seconds"] >= 0, where
        assert side["seconds"] <= run.seconds + 0.5, \
            "%s took %.2f s but the run %.2f s" % (name, side["seconds"], run.seconds)

        diagnosis = side["diagnosis"]
        assert set(diagnosis) >= {"code", "guide_step", "message"}, where
        assert diagnosis["code"] in CODES, where
        assert diagnosis["guide_step"] is None or diagnosis["guide_step"] in (1, 2, 3, 4, 5), where
        assert isinstance(diagnosis["message"], str) and diagnosis["message"].strip(), where
        assert side["ok"] == (diagnosis["code"] == "ok"), where

        steps = side["steps"]
        assert steps, "no steps: " + where
        names = [step["step"] for step in steps]
        assert all(n in STEPS for n in names) and len(set(names)) == len(names), where
        if security == "none":
            assert "tls" not in names, "no TLS was chosen, yet: " + where
        times = [step["seconds"] for step in steps]
        assert times == sorted(times), "steps out of time order: " + where
        assert times[-1] <= side["seconds"] + 0.01, where
        if side["ok"]:
            assert all(step["ok"] for step in steps), where
            expected = set(STEPS) - ({"tls"} if security == "none" else set())
            if protocol == "smtp" and not outgoing_auth:
                expected.discard("login")
            assert expected <= set(names), "steps %s, expected %s: %s" % (names, expected, where)
        else:
            # A failed step ends the list; the ones before it passed.
            assert steps[-1]["ok"] is False, "a failed side must end on a failed step: " + where
            assert all(step["ok"] for step in steps[:-1]), where

        certificate = side["certificate"]
        if certificate is not None:
            for key in ("subject", "issuer", "not_before", "not_after", "sha256"):
                assert key in certificate, where
            assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", certificate["sha256"]), where
        if security != "none" and "tls" in names and \
                next(s for s in steps if s["step"] == "tls")["ok"]:
            assert certificate is not None, "TLS happened but no certificate: " + where

        if "transcript" in side:
            assert isinstance(side["transcript"], str), where


def code(run, name):
    return run.side(name)["diagnosis"]["code"]


def failed_step(run, name):
    steps = run.side(name)["steps"]
    return steps[-1]["step"] if steps and not steps[-1]["ok"] else None


def assert_codes(run, incoming, outgoing):
    got = (code(run, "incoming"), code(run, "outgoing"))
    assert got == (incoming, outgoing), \
        "expected %s, got %s:\n%s" % ((incoming, outgoing), got, run.describe())


def ports(name):
    return Fixture.dovecot.ports[name]


def imaps():
    return (HOST, ports("imaps"), "ssl")


def submissions():
    return (HOST, ports("submissions"), "ssl")


def log_since(text_before, text_now):
    return text_now[len(text_before):]


# Dovecot: every type and security mode

def check_all_passed(run):
    assert run.status == 0, run.describe()
    assert run.result["ok"] is True
    fingerprint = testca.TestCA.fingerprint(Fixture.dovecot.cert)
    for name in ("incoming", "outgoing"):
        side = run.side(name)
        certificate = side["certificate"]
        assert certificate is not None
        assert "CN=localhost" in certificate["subject"], certificate
        assert "Skrzynka Test CA" in certificate["issuer"], certificate
        assert certificate["sha256"] == fingerprint, (certificate["sha256"], fingerprint)
        assert side["diagnosis"]["guide_step"] is None, side["diagnosis"]
        transcript = side.get("transcript")
        if transcript is not None:
            # The exchange is there, its secrets are not.
            assert "Dovecot" in transcript or "OK" in transcript, transcript[:500]
            for secret in secrets(PASSWORD):
                assert secret.decode(errors="replace") not in transcript


def test_imap_ssl_smtp_ssl():
    run = run_test_file(imaps(), submissions())
    check_all_passed(run)
    for name in ("incoming", "outgoing"):
        names = [s["step"] for s in run.side(name)["steps"]]
        assert names == list(STEPS), names


def test_imap_starttls_smtp_starttls():
    before = Fixture.dovecot.log_text()
    run = run_test_file((HOST, ports("imap"), "starttls"),
                       (HOST, ports("submission"), "starttls"))
    check_all_passed(run)
    logins = [line for line in log_since(before, Fixture.dovecot.log_text()).splitlines()
              if "Login: user=<%s>" % USER in line]
    assert len(logins) == 2, logins
    assert all("TLS" in line for line in logins), logins


def test_pop3_ssl_smtp_ssl():
    run = run_test_file((HOST, ports("pop3s"), "ssl"), submissions(), account_type="pop3")
    check_all_passed(run)


def test_pop3_starttls_smtp_starttls():
    run = run_test_file((HOST, ports("pop3"), "starttls"),
                       (HOST, ports("submission"), "starttls"), account_type="pop3")
    check_all_passed(run)


def test_localhost_by_name():
    # A name to resolve rather than an address; the certificate names it.
    run = run_test_file(("localhost", ports("imaps"), "ssl"),
                       ("localhost", ports("submissions"), "ssl"))
    assert run.status == 0, run.describe()


def test_human_output():
    # Without --json: steps on stderr as they happen, one sentence a side
    # on stdout.
    run = run_test_file(imaps(), submissions(), json_output=False)
    assert run.status == 0, run.describe()
    lines = [line for line in run.stdout.decode().splitlines() if line.strip()]
    assert len(lines) == 2, "expected one sentence per side:\n" + run.describe()
    assert run.stderr.strip(), "no steps on stderr:\n" + run.describe()


def assert_no_login_attempt(log):
    """Dovecot's log shows connections that never tried to log in."""
    for line in log.splitlines():
        if "-login:" in line:
            assert "no auth attempts" in line, "a login was tried: " + line
        assert " auth: " not in line and "Login:" not in line, "a login was tried: " + line


def test_none_refused_when_starttls_offered():
    # Dovecot offers STARTTLS on its plain ports: with security None the
    # password must not be sent at all, even though the person confirmed
    # None (Dovecot would even accept it: loopback counts as secure).
    before = Fixture.dovecot.log_text()
    run = run_test_file((HOST, ports("imap"), "none"), (HOST, ports("submission"), "none"))
    assert_codes(run, "starttls-required", "starttls-required")
    assert run.status == 1
    assert_no_login_attempt(log_since(before, Fixture.dovecot.log_text()))

    before = Fixture.dovecot.log_text()
    run = run_test_file((HOST, ports("pop3"), "none"), (HOST, ports("submission"), "none"),
                       account_type="pop3")
    assert_codes(run, "starttls-required", "starttls-required")
    assert_no_login_attempt(log_since(before, Fixture.dovecot.log_text()))


def test_none_confirmed():
    # No STARTTLS offered and None confirmed by the person: the one case
    # where the password may cross the network readable.
    server = Fixture.scripted("imap-no-starttls")
    run = run_test_file((HOST, server.port, "none"), submissions())
    assert_codes(run, "ok", "ok")
    assert "tls" not in [s["step"] for s in run.side("incoming")["steps"]]
    assert run.side("incoming")["certificate"] is None
    assert any(" AUTHENTICATE " in line or " LOGIN " in line
               for line in server.received()), server.log_text()


def test_none_unconfirmed():
    # None without the confirmation is a bad file: nothing is sent.
    server = Fixture.scripted("imap-no-starttls")
    folder = tempfile.mkdtemp(prefix="account.", dir=Fixture.folder)
    path = account_file(folder, (HOST, server.port, "none"), submissions(),
                        extra={"incoming-plain-confirmed": "false"})
    run = run_program(["--test-file", path, "--password-stdin", "--cafile",
                       Fixture.ca.cafile, "--json"])
    assert run.status == 2, run.describe()
    assert "incoming-security" in run.stderr.decode(), run.describe()
    time.sleep(0.2)
    assert "connected from" not in server.log_text(), server.log_text()


def test_wrong_password():
    for account_type, incoming in (("imap", imaps()),
                                   ("pop3", (HOST, ports("pop3"), "starttls"))):
        run = run_test_file(incoming, (HOST, ports("submission"), "starttls"),
                           account_type=account_type, password=WRONG_PASSWORD)
        assert_codes(run, "bad-credentials", "bad-credentials")
        assert failed_step(run, "incoming") == "login"
        assert failed_step(run, "outgoing") == "login"
        # Dovecot's own words reach the result, without the password.
        assert run.side("incoming")["server_reply"], run.describe()


# Certificates

def test_no_cafile_untrusted():
    run = run_test_file(imaps(), (HOST, ports("submission"), "starttls"), cafile=False)
    assert_codes(run, "tls-untrusted", "tls-untrusted")
    fingerprint = testca.TestCA.fingerprint(Fixture.dovecot.cert)
    for name in ("incoming", "outgoing"):
        assert failed_step(run, name) == "tls"
        certificate = run.side(name)["certificate"]
        assert certificate is not None, "an untrusted certificate must be shown"
        assert "CN=localhost" in certificate["subject"], certificate
        assert certificate["sha256"] == fingerprint, certificate


def parse_time(text):
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None


def test_expired_certificate():
    with dovecot.start(cert=testca.EXPIRED, ca=Fixture.ca, sink=False) as server:
        run = run_test_file((HOST, server.ports["imaps"], "ssl"),
                           (HOST, server.ports["submission"], "starttls"))
    assert_codes(run, "tls-expired", "tls-expired")
    certificate = run.side("incoming")["certificate"]
    assert certificate is not None
    not_after = parse_time(certificate["not_after"])
    if not_after is not None:
        if not_after.tzinfo is None:
            not_after = not_after.replace(tzinfo=datetime.timezone.utc)
        assert not_after < datetime.datetime.now(datetime.timezone.utc), certificate


def test_wrong_host_certificate():
    with dovecot.start(cert=testca.WRONG_HOST, ca=Fixture.ca, sink=False) as server:
        run = run_test_file((HOST, server.ports["pop3s"], "ssl"),
                           (HOST, server.ports["submissions"], "ssl"), account_type="pop3")
    assert_codes(run, "tls-wrong-host", "tls-wrong-host")
    assert testca.WRONG_NAME in run.side("incoming")["certificate"]["subject"]


def test_pinned_certificate():
    # Trusted by its fingerprint alone, without the CA.
    fingerprint = testca.TestCA.fingerprint(Fixture.dovecot.cert)
    run = run_test_file(imaps(), submissions(), cafile=False,
                       extra={"incoming-pinned-certificate": fingerprint,
                              "outgoing-pinned-certificate": fingerprint})
    assert_codes(run, "ok", "ok")


def test_pinned_certificate_changed():
    # The server shows another certificate than the one pinned: refused,
    # even though the CA given would vouch for it.
    other = testca.TestCA.fingerprint(Fixture.ca.cafile)
    run = run_test_file(imaps(), (HOST, ports("submission"), "starttls"),
                       extra={"incoming-pinned-certificate": other,
                              "outgoing-pinned-certificate": other})
    assert_codes(run, "tls-untrusted", "tls-untrusted")
    fingerprint = testca.TestCA.fingerprint(Fixture.dovecot.cert)
    for name in ("incoming", "outgoing"):
        assert failed_step(run, name) == "tls"
        assert run.side(name)["certificate"]["sha256"] == fingerprint


# The network

def test_closed_port():
    closed = dovecot.free_ports(1)[0]
    run = run_test_file((HOST, closed, "ssl"), (HOST, closed, "starttls"))
    assert_codes(run, "connection-refused", "connection-refused")
    assert failed_step(run, "incoming") == "connect"
    assert run.seconds < 5, "a refused connection is known at once: %.2f s" % run.seconds


def test_unknown_host():
    run = run_test_file(("nosuch.invalid", 993, "ssl"), ("nosuch.invalid", 465, "ssl"))
    assert_codes(run, "name-not-found", "name-not-found")
    assert failed_step(run, "incoming") == "resolve"
    assert [s["step"] for s in run.side("outgoing")["steps"]] == ["resolve"]


SILENT_TIMEOUT = 5
silent_seconds = None


def test_silent_server_times_out():
    # One waits for a greeting, the other for the TLS handshake; both
    # sides run in parallel, so the whole run ends within timeout + 2 s.
    global silent_seconds
    server = Fixture.scripted("silent")
    run = run_test_file((HOST, server.port, "starttls"), (HOST, server.port, "ssl"),
                       timeout=SILENT_TIMEOUT)
    silent_seconds = run.seconds
    print("# silent server: gave up after %.2f s (timeout %d s)" % (run.seconds, SILENT_TIMEOUT))
    assert_codes(run, "timeout", "timeout")
    assert run.seconds <= SILENT_TIMEOUT + 2, "took %.2f s" % run.seconds
    assert run.seconds >= SILENT_TIMEOUT - 0.5, "gave up early: %.2f s" % run.seconds
    assert failed_step(run, "incoming") == "greeting"
    assert failed_step(run, "outgoing") == "tls"


def test_interrupt_cancels():
    # Ctrl+C ends the test as the Cancel button does, mid-handshake, and
    # still prints the result.
    server = Fixture.scripted("silent")
    folder = tempfile.mkdtemp(prefix="account.", dir=Fixture.folder)
    path = account_file(folder, (HOST, server.port, "starttls"), (HOST, server.port, "ssl"),
                        timeout=60)
    env = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp(dir=folder), LANG="C.UTF-8")
    process = subprocess.Popen([BINARY, "--test-file", path, "--password-stdin",
                                "--cafile", Fixture.ca.cafile, "--json"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    try:
        process.stdin.write((PASSWORD + "\n").encode())
        process.stdin.close()
        process.stdin = None  # communicate() must not flush it again
        # Both sides are connected and waiting by then.
        wait_until(lambda: server.log_text().count("connected from") >= 2, 10)
        time.sleep(0.3)
        interrupted = time.monotonic()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)
        latency = time.monotonic() - interrupted
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    print("# Ctrl+C: the program ended %.0f ms after the signal" % (latency * 1000))
    run = Run([], process.returncode, stdout, stderr, latency, None)
    assert process.returncode == 1, run.describe()
    for secret in secrets(PASSWORD):
        assert secret not in stdout and secret not in stderr
    result = json.loads(stdout.decode())
    assert [result[side]["diagnosis"]["code"] for side in ("incoming", "outgoing")] == \
        ["cancelled", "cancelled"], run.describe()
    # The process starts, cancels, prints and exits: 100 ms for the
    # cancel itself, the rest for a loaded machine.
    assert latency < 0.5, "the program took %.2f s to stop" % latency


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


# Hostile and odd servers

def assert_no_credentials(server, password=PASSWORD):
    """The server's log shows no command that carries a password."""
    received = server.received()
    for line in received:
        words = line.split()
        verbs = [w.upper() for w in words[:2]]
        assert not {"LOGIN", "AUTHENTICATE", "AUTH", "USER", "PASS", "APOP"} & set(verbs), \
            "the client sent credentials: %r (all: %r)" % (line, received)
    text = server.log_text()
    for secret in secrets(password):
        assert secret.decode(errors="replace") not in text


def test_imap_no_starttls():
    server = Fixture.scripted("imap-no-starttls")
    run = run_test_file((HOST, server.port, "starttls"), submissions())
    assert_codes(run, "no-starttls", "ok")
    assert_no_credentials(server)
    assert any("CAPABILITY" in line for line in server.received()), server.log_text()


def test_pop3_no_stls():
    server = Fixture.scripted("pop3-no-stls")
    run = run_test_file((HOST, server.port, "starttls"), submissions(), account_type="pop3")
    assert_codes(run, "no-starttls", "ok")
    assert_no_credentials(server)


def test_smtp_no_auth():
    server = Fixture.scripted("smtp-no-auth")
    run = run_test_file(imaps(), (HOST, server.port, "ssl"))
    assert_codes(run, "ok", "no-authentication")
    assert run.status == 1


def test_smtp_no_auth_when_none_needed():
    # The person said the outgoing server takes no login: no AUTH is fine.
    server = Fixture.scripted("smtp-no-auth")
    run = run_test_file(imaps(), (HOST, server.port, "ssl"), extra={"outgoing-auth": "false"})
    assert_codes(run, "ok", "ok")
    steps = [s["step"] for s in run.side("outgoing")["steps"]]
    assert "login" not in steps, steps
    assert_no_credentials(server)


def test_imap_preauth():
    server = Fixture.scripted("imap-preauth")
    run = run_test_file((HOST, server.port, "ssl"), submissions())
    assert_codes(run, "no-authentication", "ok")
    assert_no_credentials(server)


def test_plain_text_on_tls_port():
    server = Fixture.scripted("plain-on-tls-port")
    run = run_test_file((HOST, server.port, "ssl"), submissions())
    assert_codes(run, "tls-failed", "ok")
    diagnosis = run.side("incoming")["diagnosis"]
    assert diagnosis["guide_step"] == 5, diagnosis
    assert failed_step(run, "incoming") == "tls"
    # What came before TLS is not the server's word.
    reply = run.side("incoming")["server_reply"] or ""
    assert "Service Ready" not in reply, reply


def test_endless_capabilities():
    server = Fixture.scripted("endless-capabilities")
    run = run_test_file((HOST, server.port, "ssl"), submissions(), timeout=SILENT_TIMEOUT)
    incoming = run.side("incoming")
    assert not incoming["ok"] and code(run, "outgoing") == "ok", run.describe()
    assert incoming["diagnosis"]["code"] not in ("ok", "cancelled"), incoming["diagnosis"]
    assert run.seconds <= SILENT_TIMEOUT + 2, "took %.2f s" % run.seconds
    # Whatever the server sent, the result stays a readable size.
    assert len(run.stdout) < 1024 * 1024, "the JSON is %d bytes" % len(run.stdout)
    assert_no_credentials(server)


def test_starttls_offered_with_none():
    server = Fixture.scripted("smtp-starttls-offered")
    run = run_test_file(imaps(), (HOST, server.port, "none"))
    assert_codes(run, "ok", "starttls-required")
    assert_no_credentials(server)
    assert any(line.upper().startswith("EHLO") for line in server.received()), server.log_text()


# Bad input

def test_bad_key_file():
    folder = tempfile.mkdtemp(prefix="account.", dir=Fixture.folder)
    path = account_file(folder, imaps(), submissions(), extra={"incoming-port": "dziewięćset"})
    run = run_program(["--test-file", path, "--password-stdin", "--json"])
    assert run.status == 2, run.describe()
    assert run.stdout == b"", run.describe()
    lines = run.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "incoming-port" in lines[0], run.describe()

    run = run_program(["--test-file", os.path.join(folder, "nosuch.conf"), "--password-stdin"])
    assert run.status == 2, run.describe()


def test_line_break_in_password_refused():
    # A CR in the password would become a command of its own on the wire:
    # refused before anything is sent.
    server = Fixture.scripted("smtp-starttls-offered")
    folder = tempfile.mkdtemp(prefix="account.", dir=Fixture.folder)
    path = account_file(folder, (HOST, server.port, "starttls"), (HOST, server.port, "starttls"))
    sneaky = "Zx9-abc\rA999 DELETE INBOX"
    run = run_program(["--test-file", path, "--password-stdin", "--cafile",
                       Fixture.ca.cafile, "--json"], password=sneaky)
    assert run.status == 2, run.describe()

    # The same for a user name with a line break (escaped in the key file).
    path = account_file(folder, (HOST, server.port, "starttls"), (HOST, server.port, "starttls"),
                        extra={"username": "biuro\\r\\nA999 DELETE INBOX"})
    run = run_program(["--test-file", path, "--password-stdin", "--cafile",
                       Fixture.ca.cafile, "--json"])
    assert run.status == 2, run.describe()

    # Nothing on standard input is a mistake to point out, not a login
    # with an empty password.
    path = account_file(folder, (HOST, server.port, "starttls"), (HOST, server.port, "starttls"))
    run = run_program(["--test-file", path, "--password-stdin", "--json"], stdin=b"")
    assert run.status == 2 and b"No password" in run.stderr, run.describe()
    time.sleep(0.2)
    assert "connected from" not in server.log_text(), server.log_text()


# Cleaning up

def test_servers_stopped():
    folders = [s.folder for s in Fixture.started if isinstance(s, dovecot.Dovecot)]
    Fixture.teardown()
    time.sleep(0.2)
    left = []
    for proc in os.listdir("/proc"):
        if not proc.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % proc, "rb") as cmdline:
                args = cmdline.read().decode(errors="replace")
        except OSError:
            continue
        # Dovecot's children name themselves after the folder's last part.
        if any(os.path.basename(folder) in args for folder in folders):
            left.append(args.replace("\0", " "))
    assert not left, "still running: %s" % left
    assert not any(os.path.exists(folder) for folder in folders)


TESTS = [
    test_imap_ssl_smtp_ssl,
    test_imap_starttls_smtp_starttls,
    test_pop3_ssl_smtp_ssl,
    test_pop3_starttls_smtp_starttls,
    test_localhost_by_name,
    test_human_output,
    test_none_refused_when_starttls_offered,
    test_none_confirmed,
    test_none_unconfirmed,
    test_wrong_password,
    test_no_cafile_untrusted,
    test_expired_certificate,
    test_wrong_host_certificate,
    test_pinned_certificate,
    test_pinned_certificate_changed,
    test_closed_port,
    test_unknown_host,
    test_silent_server_times_out,
    test_interrupt_cancels,
    test_imap_no_starttls,
    test_pop3_no_stls,
    test_smtp_no_auth,
    test_smtp_no_auth_when_none_needed,
    test_imap_preauth,
    test_plain_text_on_tls_port,
    test_endless_capabilities,
    test_starttls_offered_with_none,
    test_bad_key_file,
    test_line_break_in_password_refused,
    test_servers_stopped,
]


def main():
    def end_scripted_servers():
        # A case's own scripted servers end with it.
        while Fixture.started and isinstance(Fixture.started[-1], scripted.ScriptedServer):
            Fixture.started.pop().cleanup()

    return tap.run(TESTS, Fixture.setup, Fixture.teardown,
                   after_each=end_scripted_servers, always=(test_servers_stopped,))


if __name__ == "__main__":
    sys.exit(main())
