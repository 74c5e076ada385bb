#!/usr/bin/python3
# test-connection.py — Test connection on tab 2 of the Account properties
# dialog, driven through the accessibility tree of the real program against
# a real Dovecot on loopback.
#
# Runs inside tests/dovecot.py --print-env (the SK_DOVECOT_* variables) and
# tests/session.sh --x11 --keyring.  With SK_UI_SCREENSHOTS=DIR it also
# saves what the screen looked like at each stage, for a person to look at.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import os
import ssl
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "servers"))
import scripted  # noqa: E402

from atspi_driver import (App, UiError, button, click, entry,  # noqa: E402
                          find, find_all, get_text, import_key_file, label_texts, name_of,
                          open_advanced, open_tab, page, pyatspi, run_tests,
                          screenshot, sensitive, set_text, wait_for, walk)

ACCOUNTS = "E-mail Accounts"
DIALOG = "Account Properties"
DETAILS = "Connection Test Details"
CONFIG = os.path.join(os.environ["XDG_CONFIG_HOME"], "skrzynka", "accounts.conf")

HOST = os.environ["SK_DOVECOT_HOST"]
USER = os.environ["SK_DOVECOT_USER"]
PASSWORD = os.environ["SK_DOVECOT_PASSWORD"]
IMAPS = int(os.environ["SK_DOVECOT_IMAPS"])
SUBMISSIONS = int(os.environ["SK_DOVECOT_SUBMISSIONS"])
TIMEOUT = 20

EVERYTHING_WORKS = "Everything works: Skrzynka can receive and send mail"
BAD_CREDENTIALS = "does not accept this user name and password"


def shot(name):
    folder = os.environ.get("SK_UI_SCREENSHOTS")
    if folder:
        # What a person would see once the last change has been drawn.
        time.sleep(0.3)
        screenshot(os.path.join(folder, name + ".png"))


def server_fingerprint(port):
    """The SHA-256 of the certificate the server on port shows, as the
    application writes it: upper-case hex pairs joined by colons."""
    der = ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((HOST, port)))
    return ":".join("%02X" % byte for byte in hashlib.sha256(der).digest())


def import_account(name, pinned=None):
    """Makes an account for the Dovecot the only one, with `skrzynka
    --import` as IT support would; pinned: a certificate already trusted for
    both sides."""
    if os.path.exists(CONFIG):
        os.unlink(CONFIG)
    lines = [
        "[Account]",
        "name=%s" % name,
        "email=%s" % USER,
        "type=imap",
        "incoming-host=%s" % HOST,
        "incoming-port=%d" % IMAPS,
        "incoming-security=ssl",
        "username=%s" % USER,
        "outgoing-host=%s" % HOST,
        "outgoing-port=%d" % SUBMISSIONS,
        "outgoing-security=ssl",
        "outgoing-auth=true",
        "timeout=%d" % TIMEOUT,
    ]
    if pinned:
        lines += ["incoming-pinned-certificate=%s" % pinned,
                  "outgoing-pinned-certificate=%s" % pinned]
    import_key_file(lines)


def open_servers(name):
    """Starts the program, opens the account called name on tab 2, and
    returns the program, the dialog, tab 2 and its test panel."""
    app = App()
    window = app.window(ACCOUNTS)
    table = find(window, pyatspi.ROLE_TREE_TABLE, "Accounts")
    wait_for("%s in the list" % name, lambda: any(name_of(n) == name for n in walk(table)))
    click(button(window, "Edit"))
    dialog = app.window(DIALOG)
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    return app, dialog, servers, page(servers, "SkTestPanel")


def test_button(panel, name):
    """The panel's own button, whichever way it is labelled now."""
    return button(panel, name)


def wait_for_label(panel, text, timeout=30):
    return wait_for("“%s” on the panel" % text,
                    lambda: any(text in shown for shown in label_texts(panel)),
                    timeout)


def step_names(panel):
    """The accessible names of the step items ("Connect: done in 0.03 s")."""
    steps = ("Resolve name", "Connect", "Secure connection", "Server greeting", "Log in")
    return [name_of(n) for n in find_all(panel, pyatspi.ROLE_LABEL)
            if any(name_of(n).startswith(step + ": ") for step in steps)]


def grouped(fingerprint):
    """The fingerprint as the panel shows it: groups of four pairs."""
    pairs = fingerprint.split(":")
    lines = []
    for start in range(0, len(pairs), 16):
        line = pairs[start:start + 16]
        lines.append(" ".join(":".join(line[i:i + 4]) for i in range(0, len(line), 4)))
    return "\n".join(lines)


def shown_fingerprint(panel):
    for node in find_all(panel, pyatspi.ROLE_LABEL, "Fingerprint (SHA-256)"):
        text = get_text(node)
        if text != "Fingerprint (SHA-256)":
            return text
    return None


def dialog_button(dialog, name):
    """A button of the dialog's own bottom row, not the test panel's
    "Cancel test"."""
    return wait_for("the dialog's “%s”" % name,
                    lambda: next((b for b in find_all(dialog, pyatspi.ROLE_PUSH_BUTTON, name)
                                  if "test" not in name_of(b).lower()), None))


def test_trust_certificate_and_succeed():
    import_account("Dovecot")
    app, dialog, servers, panel = open_servers("Dovecot")

    # No test without a password; the panel says so.
    start = test_button(panel, "Test connection")
    assert not sensitive(start), "the test can start without a password"
    wait_for_label(panel, "Enter the password")
    shot("1-no-password")

    set_text(entry(servers, "Password"), PASSWORD)
    wait_for("the test to become possible", lambda: sensitive(start))
    wait_for_label(panel, "No message is sent")
    shot("2-idle")

    # The tests' own CA is not known to the system: the panel shows the
    # certificate so that it can be compared, and offers to trust it.
    click(start)
    trust = button(panel, "Trust this certificate")
    wait_for_label(panel, "not trusted")
    expected = server_fingerprint(IMAPS)
    assert expected == server_fingerprint(SUBMISSIONS), "Dovecot shows two certificates"
    got = shown_fingerprint(panel)
    assert got == grouped(expected), "the panel shows %r, the server %r" % (got, grouped(expected))
    texts = label_texts(panel)
    assert any("CN=" in t for t in texts), "no subject or issuer shown: %s" % texts
    names = step_names(panel)
    assert "Secure connection: failed" in " ".join(names), names
    shot("3-untrusted")

    click(trust)
    wait_for_label(panel, EVERYTHING_WORKS)
    names = step_names(panel)
    done = [n for n in names if ": done in " in n]
    assert len(done) == 10, "not every step is done: %s" % names
    assert not find_all(panel, pyatspi.ROLE_PUSH_BUTTON, "Trust this certificate")
    button(panel, "Test again")
    shot("4-success")

    # Details: the conversations, password-free, and a report to copy.
    click(button(panel, "Details"))
    details = app.window(DETAILS)
    transcripts = [get_text(n) for n in find_all(details, pyatspi.ROLE_TEXT)]
    assert transcripts and all(t.strip() for t in transcripts), transcripts
    for text in transcripts + label_texts(details):
        assert PASSWORD not in text, "the password is shown under Details"
    click(button(details, "Copy details"))
    find(details, pyatspi.ROLE_LABEL, "Copied")
    shot("5-details")
    click(button(details, "Close"))
    app.no_window(DETAILS)

    # The trusted certificate is saved with the account, for both sides.
    click(dialog_button(dialog, "OK"))
    app.no_window(DIALOG)
    with open(CONFIG, encoding="utf-8") as config:
        text = config.read()
    for side in ("incoming", "outgoing"):
        line = "%s-pinned-certificate=%s" % (side, expected)
        assert line in text, "%s is not in accounts.conf" % line
    assert PASSWORD not in text, "the password was written to accounts.conf"
    app.quit()


def test_wrong_password():
    import_account("Zle haslo", pinned=server_fingerprint(IMAPS))
    app, dialog, servers, panel = open_servers("Zle haslo")
    set_text(entry(servers, "Password"), "not the password")
    start = test_button(panel, "Test connection")
    wait_for("the test to become possible", lambda: sensitive(start))
    click(start)

    wait_for_label(panel, BAD_CREDENTIALS)
    assert not any(EVERYTHING_WORKS in t for t in label_texts(panel))
    names = step_names(panel)
    failed = [n for n in names if n.startswith("Log in: failed")]
    assert len(failed) == 2, "both logins should fail: %s" % names
    assert not find_all(panel, pyatspi.ROLE_PUSH_BUTTON, "Trust this certificate")
    shot("6-wrong-password")

    # A change after the result: the result stays, marked as out of date.
    set_text(entry(servers, "Password"), PASSWORD)
    wait_for_label(panel, "changed since this test")
    click(button(panel, "Test again"))
    wait_for_label(panel, EVERYTHING_WORKS)
    app.quit()


def test_cancel_and_close_mid_test():
    import_account("Cisza", pinned=server_fingerprint(IMAPS))
    with scripted.start("silent") as silent:
        app, dialog, servers, panel = open_servers("Cisza")
        set_text(entry(servers, "Password"), PASSWORD)
        open_advanced(servers)
        set_text(entry(servers, "Incoming port"), str(silent.port))

        click(test_button(panel, "Test connection"))
        cancel = button(panel, "Cancel test")
        # A server that keeps quiet: the panel says it is still waiting.
        wait_for_label(panel, "Waiting up to %d seconds" % TIMEOUT, timeout=10)
        shot("7-slow")

        click(cancel)
        started = time.monotonic()
        wait_for("the panel back at rest",
                 lambda: find_all(panel, pyatspi.ROLE_PUSH_BUTTON, "Test connection"), timeout=5)
        took = time.monotonic() - started
        assert took < 2, "cancelling took %.1f s" % took
        wait_for_label(panel, "The test was cancelled")
        assert not find_all(panel, pyatspi.ROLE_PUSH_BUTTON, "Cancel test")
        shot("8-cancelled")

        # Closing the dialog in the middle of a test is safe.
        click(test_button(panel, "Test connection"))
        button(panel, "Cancel test")
        click(dialog_button(dialog, "Cancel"))
        confirm = app.window("Discard")
        click(button(confirm, "Discard"))
        app.no_window(DIALOG)
        time.sleep(1)
        if app.process.poll() is not None:
            raise UiError("the program ended when its dialog closed mid-test")
        window = app.window(ACCOUNTS)
        click(button(window, "Edit"))
        app.window(DIALOG)
        app.quit()


if __name__ == "__main__":
    run_tests([test_trust_certificate_and_succeed, test_wrong_password,
               test_cancel_and_close_mid_test])
