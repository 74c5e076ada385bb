#!/usr/bin/python3
# test_google.py — "skrzynka --test-file" against scripted servers that
# refuse a login with Google's own words (tests/servers/scripted.py, the
# google-* modes), over TLS with the tests' CA.  Speaks TAP.
#
# For each refusal and protocol, the JSON must carry the right diagnosis
# code, the Gmail guide step and, for a web login, Google's sign-in
# address; the password must appear nowhere in what the program printed.
#
# The servers listen on 127.0.0.1, which is not a Google server by name,
# and nothing short of changing the system's resolver makes imap.gmail.com
# lead to loopback.  So the rule that depends on the name — "bad
# credentials" sends the person back to guide step 4 only on Google's
# servers — is proved by tests/unit/test-diagnosis.c; here the same words
# from another server must give the plain diagnosis without a step.  The
# same goes for STARTTLS chosen on 993, 995 or 465: that rule reads the
# port number, which a test without privileges cannot listen on.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "servers"))
sys.path.insert(0, os.path.join(HERE, ".."))
import scripted  # noqa: E402
import test_connection as tc  # noqa: E402
import testca  # noqa: E402
import tap  # noqa: E402

HOST = testca.HOST
# As a person types them: the full address, the app password as Google
# shows it but without its spaces.
GMAIL_USER = "biuro.firmy@gmail.com"
APP_PASSWORD = "ksjoxxdsjqwafstv"
ACCOUNT = {"email": GMAIL_USER, "username": GMAIL_USER}

APP_PASSWORD_WORDS = "Application-specific password required"
BAD_CREDENTIALS_WORDS = {"imap": "[AUTHENTICATIONFAILED] Invalid credentials",
                         "pop3": "[AUTH] Username and password not accepted.",
                         "smtp": "535 5.7.8"}


def setup():
    # The Fixture of test_connection.py without its Dovecot: only the
    # scripted servers are needed here.
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not (runtime and os.access(runtime, os.W_OK)):
        runtime = None
    tc.Fixture.folder = tempfile.mkdtemp(prefix="skrzynka-test-google.", dir=runtime)
    tc.Fixture.ca = testca.TestCA(os.path.join(tc.Fixture.folder, "ca"))


def google(mode):
    return tc.Fixture.scripted("google-" + mode)


def secrets(password):
    """The password's forms with this test's user name (test_connection
    checks them with its own)."""
    raw = password.encode()
    user = GMAIL_USER.encode()
    return [raw, base64.b64encode(raw), base64.b64encode(b"\0" + user + b"\0" + raw),
            base64.b64encode(user + b"\0" + user + b"\0" + raw)]


def run(incoming, outgoing, account_type="imap", json_output=True):
    """Runs --test-file with the app password; incoming and outgoing are
    (server, security) or (host, port, security)."""
    def where(side):
        if isinstance(side[0], scripted.ScriptedServer):
            return (HOST, side[0].port, side[1])
        return side

    result = tc.run_test_file(where(incoming), where(outgoing), account_type=account_type,
                              extra=ACCOUNT, password=APP_PASSWORD, json_output=json_output)
    for secret in secrets(APP_PASSWORD):
        for name in ("stdout", "stderr"):
            assert secret not in getattr(result, name), \
                "the password (%r) is in %s" % (secret[:6], name)
    return result


def check(result, name, code, step, words, web_login_url=None):
    """One side: refused at the login, with the code, the guide step, the
    server's own words and (only for a web login) the sign-in address."""
    side = result.side(name)
    diagnosis = side["diagnosis"]
    description = "%s: %s\n%s" % (name, diagnosis, result.describe())
    assert diagnosis["code"] == code, description
    assert diagnosis["guide_step"] == step, description
    assert diagnosis.get("web_login_url") == web_login_url, description
    assert tc.failed_step(result, name) == "login", description
    assert words in (side["server_reply"] or ""), description
    assert not side["ok"] and not result.result["ok"], description


def assert_login_reached(server):
    """The password went to the server: the refusal was its answer to it."""
    commands = [line.split()[:2] for line in server.received()]
    assert any({"LOGIN", "AUTHENTICATE", "AUTH", "PASS"} & {w.upper() for w in words}
               for words in commands), server.log_text()


# The cases

def test_app_password_required():
    smtp = google("smtp-app-password-required")
    for protocol in ("imap", "pop3"):
        incoming = google(protocol + "-app-password-required")
        result = run((incoming, "ssl"), (smtp, "ssl"), account_type=protocol)
        check(result, "incoming", "app-password-required", 3, APP_PASSWORD_WORDS)
        check(result, "outgoing", "app-password-required", 3, "534 5.7.9")
        assert_login_reached(incoming)
    assert_login_reached(smtp)
    # The SMTP reply comes whole, both of its lines.
    reply = result.side("outgoing")["server_reply"]
    assert reply.startswith("534-5.7.9 " + APP_PASSWORD_WORDS) and "\n534 5.7.9 " in reply, reply


def test_app_password_required_in_words():
    # Without --json: the sentence a person reads names the guide step.
    incoming = google("imap-app-password-required")
    smtp = google("smtp-app-password-required")
    result = run((incoming, "ssl"), (smtp, "ssl"), json_output=False)
    assert result.status == 1, result.describe()
    assert "step 3 of the Gmail guide" in result.stdout.decode(), result.describe()


def test_bad_credentials():
    # Google's words from a server that is not Google's by name: the
    # plain diagnosis, no guide step (see the top of this file).
    smtp = google("smtp-bad-credentials")
    for protocol in ("imap", "pop3"):
        incoming = google(protocol + "-bad-credentials")
        result = run((incoming, "ssl"), (smtp, "ssl"), account_type=protocol)
        check(result, "incoming", "bad-credentials", None, BAD_CREDENTIALS_WORDS[protocol])
        check(result, "outgoing", "bad-credentials", None, BAD_CREDENTIALS_WORDS["smtp"])
        assert "Gmail" not in result.side("incoming")["diagnosis"]["message"]


def test_web_login_required():
    smtp = google("smtp-web-login-required")
    imap = google("imap-web-login-required")
    result = run((imap, "ssl"), (smtp, "ssl"))
    check(result, "incoming", "web-login-required", 1, "Please log in via your web browser",
          web_login_url=scripted.GOOGLE_SIGN_IN_URL)
    check(result, "outgoing", "web-login-required", 1, "Please log in via your web browser",
          web_login_url=scripted.GOOGLE_SIGN_IN_URL)
    # IMAP's address comes in an untagged line before the tagged refusal.
    assert "[WEBALERT " in result.side("incoming")["server_reply"], result.describe()

    # POP3 names only a help page, which is not the sign-in page.
    pop3 = google("pop3-web-login-required")
    result = run((pop3, "ssl"), (smtp, "ssl"), account_type="pop3")
    check(result, "incoming", "web-login-required", 1, "Web login required")
    assert "web_login_url" not in result.side("incoming")["diagnosis"], result.describe()


def test_protocol_disabled():
    smtp = google("smtp-app-password-required")
    messages = set()
    for mode, protocol, words in (
            ("imap-protocol-disabled", "imap", "not enabled for IMAP use"),
            ("imap-disabled-for-domain", "imap", "IMAP access is disabled for your domain"),
            ("pop3-protocol-disabled", "pop3", "not enabled for POP access")):
        incoming = google(mode)
        result = run((incoming, "ssl"), (smtp, "ssl"), account_type=protocol)
        check(result, "incoming", "protocol-disabled", None, words)
        check(result, "outgoing", "app-password-required", 3, "534 5.7.9")
        messages.add(result.side("incoming")["diagnosis"]["message"])
    # Switched off by the person or by the administrator: each its own advice.
    assert len(messages) == 3, messages


def test_temporary_failure():
    pop3 = google("pop3-temporary-failure")
    smtp = google("smtp-app-password-required")
    result = run((pop3, "ssl"), (smtp, "ssl"), account_type="pop3")
    check(result, "incoming", "temporary-failure", None, "[SYS/TEMP] Temporary system problem")


def test_starttls_first():
    # AUTH on a plain port: Google asks for STARTTLS first.  Security
    # None was confirmed in the key file, so the password did go out, in
    # the clear, on loopback.
    smtp = google("smtp-starttls-first")
    imap = google("imap-app-password-required")
    result = run((imap, "ssl"), (smtp, "none"))
    check(result, "outgoing", "starttls-required", 5, "530 5.7.0 Must issue a STARTTLS command first")
    assert_login_reached(smtp)


def test_ssl_on_starttls_port():
    # SSL/TLS chosen where Google's server greets in plain text first (as
    # on 587): the handshake fails, and the person is sent to step 5.
    smtp = google("smtp-starttls-first")
    imap = google("imap-app-password-required")
    result = run((imap, "ssl"), (smtp, "ssl"))
    diagnosis = result.side("outgoing")["diagnosis"]
    assert diagnosis["code"] == "tls-failed" and diagnosis["guide_step"] == 5, result.describe()
    assert tc.failed_step(result, "outgoing") == "tls", result.describe()
    tc.assert_no_credentials(smtp, APP_PASSWORD)


TESTS = [
    test_app_password_required,
    test_app_password_required_in_words,
    test_bad_credentials,
    test_web_login_required,
    test_protocol_disabled,
    test_temporary_failure,
    test_starttls_first,
    test_ssl_on_starttls_port,
]


def main():
    def end_servers():
        # A case's servers end with it.
        while tc.Fixture.started:
            tc.Fixture.started.pop().cleanup()

    return tap.run(TESTS, setup, tc.Fixture.teardown, after_each=end_servers)


if __name__ == "__main__":
    sys.exit(main())
