#!/usr/bin/python3
# test_oauth2_login.py — "skrzynka --sign-in" and "--test" for accounts that
# sign in with their provider (OAuth 2.0): the tests' own authorization
# server on loopback (tests/servers/oauth2_server.py, named by a provider
# file in each home's XDG_CONFIG_HOME), this script as the person's browser,
# the refresh token in a real gnome-keyring (session.sh --keyring), and a
# real Dovecot checking the access tokens with the server's introspection
# endpoint over IMAP, POP3 and submission.  Speaks TAP.
#
# Every run is checked for the same things besides its own case: no token
# the server gave out appears in what the program printed, and after a
# sign-in no file under the home holds the refresh token.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "servers"))
sys.path.insert(0, os.path.join(HERE, ".."))
import dovecot  # noqa: E402
import oauth2_server  # noqa: E402
import scripted  # noqa: E402
import testca  # noqa: E402
import tap  # noqa: E402

BINARY = os.environ.get("SKRZYNKA_BINARY", "skrzynka")
HOST = testca.HOST
USER = oauth2_server.DEFAULT_USER
PROVIDER = "test"
RUN_LIMIT = 60


class Fixture:
    folder = None
    ca = None
    oauth = None
    dovecot = None

    @classmethod
    def setup(cls):
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        if not (runtime and os.access(runtime, os.W_OK)):
            runtime = None
        cls.folder = tempfile.mkdtemp(prefix="skrzynka-oauth2-login.", dir=runtime)
        cls.ca = testca.TestCA(os.path.join(cls.folder, "ca"))
        cls.oauth = oauth2_server.start(cls.ca)
        cls.dovecot = dovecot.start(ca=cls.ca, user=USER,
                                    introspection=cls.oauth.introspection_url)

    @classmethod
    def teardown(cls):
        for server in (cls.dovecot, cls.oauth):
            if server is not None:
                server.stop()
        if cls.folder:
            shutil.rmtree(cls.folder, ignore_errors=True)

    @classmethod
    def after_each(cls):
        cls.oauth.behaviour = "approve"
        cls.oauth.access_token_seconds = 3600

    @classmethod
    def tokens(cls):
        """Every access and refresh token the server has given out."""
        with cls.oauth._lock:
            return list(cls.oauth._access) + list(cls.oauth._refresh)

    @classmethod
    def refreshes(cls):
        return len([r for r in cls.oauth.requests if r["path"] == "/token"
                    and r["params"].get("grant_type") == "refresh_token"])


class Home:
    """A person's configuration folder, with the provider file in it."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="home.", dir=Fixture.folder)
        self.config = os.path.join(self.root, "config")
        providers = os.path.join(self.config, "skrzynka", "oauth2")
        os.makedirs(providers)
        with open(os.path.join(providers, PROVIDER + ".conf"), "w") as conf:
            conf.write(Fixture.oauth.provider_file())

    def env(self):
        env = dict(os.environ, XDG_CONFIG_HOME=self.config, LANG="C.UTF-8")
        for name in ("LANGUAGE", "DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(name, None)
        return env

    def files_holding(self, secret):
        found = []
        for top in (self.root, os.environ["HOME"]):
            for folder, _, names in os.walk(top):
                for name in names:
                    path = os.path.join(folder, name)
                    try:
                        with open(path, "rb") as f:
                            if secret.encode() in f.read():
                                found.append(path)
                    except OSError:
                        pass
        return found


def forbidden_forms(token):
    """A token, its base64 and the base64 of the XOAUTH2 response."""
    raw = token.encode()
    xoauth2 = b"user=" + USER.encode() + b"\x01auth=Bearer " + raw + b"\x01\x01"
    return [raw, base64.b64encode(raw), base64.b64encode(xoauth2)]


def check_no_tokens(args, stdout, stderr):
    for token in Fixture.tokens():
        for form in forbidden_forms(token):
            for name, text in (("stdout", stdout), ("stderr", stderr)):
                assert form not in text, "a token is in the %s of %s" % (name, args)


def run_program(home, args, limit=RUN_LIMIT, env_extra=None):
    run = subprocess.run([BINARY] + args, capture_output=True,
                         env=dict(home.env(), **(env_extra or {})), timeout=limit, check=False)
    check_no_tokens(args, run.stdout, run.stderr)
    return run


def add_account(home, name, account_type="imap", incoming="imaps", outgoing="submission",
                outgoing_host_port=None):
    security = {"imaps": "ssl", "imap": "starttls", "pop3s": "ssl", "pop3": "starttls"}
    outgoing_port = Fixture.dovecot.ports[outgoing] if outgoing_host_port is None \
        else outgoing_host_port
    keys = {
        "name": name,
        "email": USER,
        "type": account_type,
        "incoming-host": HOST,
        "incoming-port": Fixture.dovecot.ports[incoming],
        "incoming-security": security[incoming],
        "incoming-auth": "oauth2",
        "username": USER,
        "outgoing-host": HOST,
        "outgoing-port": outgoing_port,
        "outgoing-security": "ssl" if outgoing == "submissions" else "starttls",
        "outgoing-auth-method": "oauth2",
        "oauth2-provider": PROVIDER,
        "timeout": 20,
    }
    path = os.path.join(home.root, name + ".conf")
    with open(path, "w", encoding="utf-8") as key_file:
        key_file.write("[Account]\n")
        for key, value in keys.items():
            key_file.write("%s=%s\n" % (key, value))
    run = run_program(home, ["--import", path])
    assert run.returncode == 0, run.stderr


def sign_in(home, name, browse=True):
    """--sign-in with this script as the browser; returns (status, stdout,
    stderr, the browser's answer)."""
    args = ["--sign-in", name, "--cafile", Fixture.ca.cafile]
    process = subprocess.Popen([BINARY] + args, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=home.env())
    seen = b""
    answer = None
    try:
        while True:
            line = process.stderr.readline()
            assert line, "no address came: %r" % seen
            seen += line
            if line.startswith(b"https://"):
                break
        if browse:
            answer = oauth2_server.follow(line.decode().strip(), Fixture.ca.cafile)
        stdout, stderr = process.communicate(timeout=RUN_LIMIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    check_no_tokens(args, stdout, seen + stderr)
    return process.returncode, stdout.decode(), (seen + stderr).decode(), answer


def test_json(home, name):
    run = run_program(home, ["--test", name, "--json", "--cafile", Fixture.ca.cafile])
    result = json.loads(run.stdout)
    assert run.returncode == (0 if result["ok"] else 1), run.stderr
    for side in ("incoming", "outgoing"):
        assert set(result[side]["diagnosis"]) == {"code", "guide_step", "message"}, result
    return result


def keyring_refresh_token():
    run = subprocess.run(["secret-tool", "lookup", "role", "sign-in-" + PROVIDER],
                         capture_output=True, text=True, check=False)
    return run.stdout.strip()


def signed_in_account(name="Biuro", **kwargs):
    home = Home()
    add_account(home, name, **kwargs)
    status, stdout, stderr, _ = sign_in(home, name)
    assert status == 0, stderr
    return home


# Cases

def test_sign_in_keeps_the_token_in_the_keyring():
    home = Home()
    add_account(home, "Biuro")
    status, stdout, stderr, answer = sign_in(home, "Biuro")
    assert status == 0, stderr
    assert stdout == "Signed in as %s with Test.\n" % USER, stdout
    assert "Open this address in a web browser to sign in:" in stderr, stderr
    assert answer[0] == 200 and "go back to Skrzynka" in answer[1], answer
    refresh_token = keyring_refresh_token()
    with Fixture.oauth._lock:
        issued = list(Fixture.oauth._refresh)
    assert refresh_token in issued, (refresh_token, issued)
    assert home.files_holding(refresh_token) == []
    export = run_program(home, ["--export", "Biuro"])
    assert b"oauth2-provider=test" in export.stdout, export.stdout
    # Not even the debug log names a token (run_program checks).
    run = run_program(home, ["--test", "Biuro", "--cafile", Fixture.ca.cafile],
                      env_extra={"G_MESSAGES_DEBUG": "all"})
    assert run.returncode == 0, run.stderr
    assert b"Skrzynka-Test" in run.stdout + run.stderr, run.stderr


def test_every_protocol_logs_in_with_the_token():
    combinations = [
        ("imap", "imaps", "submission"),
        ("imap", "imap", "submissions"),
        ("pop3", "pop3s", "submission"),
        ("pop3", "pop3", "submissions"),
    ]
    for account_type, incoming, outgoing in combinations:
        name = "%s-%s-%s" % (account_type, incoming, outgoing)
        home = signed_in_account(name, account_type=account_type, incoming=incoming,
                                 outgoing=outgoing)
        result = test_json(home, name)
        assert result["ok"], (name, result)
        for side in ("incoming", "outgoing"):
            assert result[side]["diagnosis"]["code"] == "ok", (name, side, result)
            transcript = result[side]["transcript"]
            # The mechanism is shown, the token only as the placeholder
            # (with the command, or alone after an empty challenge).
            assert re.search(r"^> (A\d+ AUTHENTICATE|AUTH) XOAUTH2( \*{8})?$", transcript,
                             re.M), (name, side, transcript)
            assert "********" in transcript, (name, side, transcript)
            # Never a fallback to a password mechanism with an empty one.
            assert not re.search(r"^> (A\d+ )?((AUTH|AUTHENTICATE) (?!XOAUTH2)|USER |PASS |LOGIN )",
                                 transcript, re.M), (name, side, transcript)


def test_expired_access_token_is_refreshed():
    home = signed_in_account()
    Fixture.oauth.expire_access_tokens()
    before = Fixture.refreshes()
    result = test_json(home, "Biuro")
    assert result["ok"], result
    assert Fixture.refreshes() > before


def test_refused_token_is_refreshed_once():
    home = signed_in_account()
    # Every new access token is already expired: the server refuses it,
    # the test refreshes once per side, and then gives up.
    Fixture.oauth.access_token_seconds = -60
    before = Fixture.refreshes()
    result = test_json(home, "Biuro")
    assert not result["ok"], result
    for side in ("incoming", "outgoing"):
        assert result[side]["diagnosis"]["code"] == "token-rejected", result[side]
        # The refusal's JSON is shown for IT support, decoded.
        assert '"status":"401"' in result[side]["transcript"], result[side]["transcript"]
    # One token for both sides, then one more for the retries: shared when
    # both sides ask while it is on its way, one each otherwise.
    assert Fixture.refreshes() - before in (2, 3), Fixture.refreshes() - before


def test_revoked_refresh_token_needs_a_new_sign_in():
    home = signed_in_account()
    Fixture.oauth.revoke_refresh_tokens()
    result = test_json(home, "Biuro")
    for side in ("incoming", "outgoing"):
        diagnosis = result[side]["diagnosis"]
        assert diagnosis["code"] == "sign-in-required", diagnosis
        assert "invalid_grant" in diagnosis["message"], diagnosis
        # Nothing was sent to the mail server without a token.
        assert result[side]["transcript"] == "", result[side]


def test_file_uses_the_saved_accounts_sign_in():
    home = signed_in_account()
    export = run_program(home, ["--export", "Biuro"])
    path = os.path.join(home.root, "biuro.conf")
    with open(path, "wb") as key_file:
        key_file.write(export.stdout.replace(b"incoming-security=ssl",
                                             b"incoming-security=starttls").replace(
            b"incoming-port=%d" % Fixture.dovecot.ports["imaps"],
            b"incoming-port=%d" % Fixture.dovecot.ports["imap"]))
    run = run_program(home, ["--test-file", path, "--json", "--cafile", Fixture.ca.cafile])
    result = json.loads(run.stdout)
    assert run.returncode == 0 and result["ok"], result
    assert result["incoming"]["security"] == "starttls", result["incoming"]

    # A file of an account never signed in has no token to use.
    with open(path, "wb") as key_file:
        key_file.write(export.stdout.replace(b"name=Biuro", b"name=Kadry"))
    run = run_program(home, ["--test-file", path, "--json", "--cafile", Fixture.ca.cafile])
    result = json.loads(run.stdout)
    assert run.returncode == 1, result
    assert result["incoming"]["diagnosis"]["code"] == "sign-in-required", result["incoming"]


def test_send_test_message_with_the_token():
    home = signed_in_account()
    count = len(Fixture.dovecot.messages())
    run = run_program(home, ["--send-test", "Biuro", "--cafile", Fixture.ca.cafile])
    assert run.returncode == 0, (run.stdout, run.stderr)
    deadline = time.monotonic() + 5
    while len(Fixture.dovecot.messages()) == count and time.monotonic() < deadline:
        time.sleep(0.1)
    messages = Fixture.dovecot.messages()
    assert len(messages) == count + 1, len(messages)
    assert ("To: %s" % USER).encode() in messages[-1] or USER.encode() in messages[-1]

    Fixture.oauth.revoke_refresh_tokens()
    run = run_program(home, ["--send-test", "Biuro", "--cafile", Fixture.ca.cafile])
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert b"is not signed in with its provider" in run.stdout, run.stdout


def test_never_signed_in():
    home = Home()
    add_account(home, "Biuro")
    run = run_program(home, ["--test", "Biuro", "--cafile", Fixture.ca.cafile])
    assert run.returncode == 1, run.stderr
    assert run.stdout.count(b"is not signed in with its provider") == 2, run.stdout


def test_smtp_auth_disabled():
    microsoft = scripted.start("microsoft-smtp-auth-disabled", ca=Fixture.ca)
    try:
        home = signed_in_account(outgoing_host_port=microsoft.port)
        result = test_json(home, "Biuro")
    finally:
        microsoft.stop()
    assert result["incoming"]["diagnosis"]["code"] == "ok", result["incoming"]
    outgoing = result["outgoing"]
    assert outgoing["diagnosis"]["code"] == "smtp-auth-disabled", outgoing
    assert "SMTP AUTH" in outgoing["diagnosis"]["message"], outgoing
    assert "5.7.139" in outgoing["server_reply"], outgoing


def test_declined_sign_in():
    Fixture.oauth.behaviour = "decline"
    home = Home()
    add_account(home, "Biuro")
    status, stdout, stderr, answer = sign_in(home, "Biuro")
    assert status == 1, stderr
    assert stdout == "", stdout
    assert "The sign-in was declined" in stderr, stderr
    assert "access_denied" in stderr, stderr


def test_admin_approval_required():
    Fixture.oauth.behaviour = "admin-approval"
    home = Home()
    add_account(home, "Biuro")
    status, _, stderr, _ = sign_in(home, "Biuro")
    assert status == 1, stderr
    assert "administrator must approve Skrzynka" in stderr, stderr
    assert "AADSTS90094" in stderr, stderr


def keyring_refresh_tokens():
    """Every sign-in with the test provider in the keyring (other cases'
    accounts keep theirs)."""
    run = subprocess.run(["secret-tool", "search", "--all", "role", "sign-in-" + PROVIDER],
                         capture_output=True, text=True, check=False)
    return {line.split(" = ", 1)[1] for line in (run.stdout + run.stderr).splitlines()
            if line.startswith("secret = ")}


def test_sign_out_forgets_the_token():
    home = signed_in_account()
    before = keyring_refresh_tokens()
    run = run_program(home, ["--sign-out", "Biuro"])
    assert run.returncode == 0, run.stderr
    assert run.stdout == b"Signed out of Biuro: its sign-in with Test is forgotten.\n", run.stdout
    after = keyring_refresh_tokens()
    assert len(before - after) == 1 and after <= before, (before, after)
    result = test_json(home, "Biuro")
    assert result["incoming"]["diagnosis"]["code"] == "sign-in-required", result["incoming"]
    # Signing out twice is no error: there is nothing left to forget.
    assert run_program(home, ["--sign-out", "Biuro"]).returncode == 0


def test_sign_in_usage():
    home = Home()
    add_account(home, "Biuro")
    run = run_program(home, ["--sign-in", "Nieznane"])
    assert run.returncode == 2 and b"no account named" in run.stderr, run.stderr
    run = run_program(home, ["--sign-in", "Biuro", "--json"])
    assert run.returncode == 2 and b"--sign-in NAME goes alone" in run.stderr, run.stderr

    path = os.path.join(home.root, "password.conf")
    with open(path, "w") as key_file:
        key_file.write("[Account]\nname=Hasło\nemail=%s\nincoming-host=%s\n"
                       "username=%s\noutgoing-host=%s\n" % (USER, HOST, USER, HOST))
    assert run_program(home, ["--import", path]).returncode == 0
    run = run_program(home, ["--sign-in", "Hasło"])
    assert run.returncode == 2 and b"logs in with a password" in run.stderr, run.stderr
    run = run_program(home, ["--sign-out", "Hasło"])
    assert run.returncode == 2 and b"logs in with a password" in run.stderr, run.stderr
    run = run_program(home, ["--sign-out", "Nieznane"])
    assert run.returncode == 2 and b"no account named" in run.stderr, run.stderr


sys.exit(tap.run([test_sign_in_keeps_the_token_in_the_keyring,
                  test_every_protocol_logs_in_with_the_token,
                  test_expired_access_token_is_refreshed,
                  test_refused_token_is_refreshed_once,
                  test_revoked_refresh_token_needs_a_new_sign_in,
                  test_file_uses_the_saved_accounts_sign_in,
                  test_send_test_message_with_the_token,
                  test_never_signed_in,
                  test_smtp_auth_disabled,
                  test_declined_sign_in,
                  test_admin_approval_required,
                  test_sign_out_forgets_the_token,
                  test_sign_in_usage],
                 Fixture.setup, Fixture.teardown, Fixture.after_each))
