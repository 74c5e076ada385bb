#!/usr/bin/python3
# test-certificates.py — tab 3 Signature certificates, the signature box on
# tab 1 and "Send a test message to myself" on tab 2, driven through the
# accessibility tree of the real program: certificates made with the
# openssl command at test time, imported through the real file chooser,
# kept in the real keyring, and a message sent through a real Dovecot.
#
# Runs inside tests/dovecot.py --print-env (the SK_DOVECOT_* variables) and
# tests/session.sh --x11 --keyring; with --no-keyring (and session.sh
# --no-keyring, no Dovecot) it checks instead that no private key is kept
# without a keyring.  With SK_UI_SCREENSHOTS=DIR it also saves what the
# screen looked like at each stage, for a person to look at.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import glob
import hashlib
import os
import ssl
import stat
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "unit"))
sys.path.insert(0, os.path.join(HERE, "..", "servers"))
import certs  # noqa: E402
import scripted  # noqa: E402

from atspi_driver import (App, button, checked, click, entry,  # noqa: E402
                          find, find_all, get_text, import_key_file, label_texts, name_of,
                          open_advanced, open_tab, page, press_keys, pyatspi, run_tests,
                          screenshot, sensitive, toplevel, wait_for, walk, window_origin)

ACCOUNTS = "E-mail Accounts"
DIALOG = "Account Properties"
CHOOSER = "Import a Signature Certificate"
PROMPT = "Certificate Password"
CONFIG = os.path.join(os.environ["XDG_CONFIG_HOME"], "skrzynka", "accounts.conf")
STORE = os.path.join(os.environ["XDG_DATA_HOME"], "skrzynka", "certificates")

# Without Dovecot the servers are only names: nothing connects to them.
DOVECOT = "SK_DOVECOT_HOST" in os.environ
HOST = os.environ.get("SK_DOVECOT_HOST", "poczta.firma.example")
USER = os.environ.get("SK_DOVECOT_USER", certs.ADDRESS)
PASSWORD = os.environ.get("SK_DOVECOT_PASSWORD")
SUBMISSIONS = int(os.environ.get("SK_DOVECOT_SUBMISSIONS", "465"))
IMAPS = int(os.environ.get("SK_DOVECOT_IMAPS", "993"))

NAME = "Podpisy"
# The account sends as the address the test certificates are for, and logs
# in to Dovecot as its user.
ADDRESS = certs.ADDRESS
OWNER = "Biuro Firmy"
OLD = "Biuro Stare"
OTHER = "Jan Kowalski"
NO_CERTIFICATE = "Import a signature certificate on tab 3 first."
CANNOT_USE = "The default certificate cannot be used:"
WRONG_PASSWORD = "This password does not open the file"
SIGN_BOX = "signature to sent messages"
COLUMNS = ["Subject", "E-mail address", "Issuer", "Valid to", "Status", "Default"]

KEY_SLASH = 0x2f
KEY_RETURN = 0xff0d
KEY_DELETE = 0xffff

# The certificates, made once for the whole run in a folder of their own.
FILES = {}


def shot(name):
    folder = os.environ.get("SK_UI_SCREENSHOTS")
    if folder:
        # What a person would see once the last change has been drawn, with
        # no tooltip left over from the last click.
        pyatspi.Registry.generateMouseEvent(0, 0, pyatspi.MOUSE_ABS)
        time.sleep(0.5)
        screenshot(os.path.join(folder, name + ".png"))


def make_certificates():
    """The tests' certificates (tests/unit/certs.py), in a folder that goes
    with the session."""
    folder = os.path.join(os.environ["HOME"], "certificates")
    maker = certs.Maker(folder)
    maker.make()
    FILES["valid.p12"] = maker.path("valid.p12")
    FILES["valid"] = maker.path("valid.pem")
    # A PEM holding the certificate and its key, as some authorities give
    # it: no password asked.
    for name in ("expired", "other-address"):
        FILES[name] = maker.path(name + ".pem")
        FILES[name + "-full.pem"] = maker.path(name + "-full.pem")
        with open(FILES[name + "-full.pem"], "w", encoding="ascii") as out:
            for part in (maker.path(name + ".pem"), maker.path(name + ".key")):
                with open(part, encoding="ascii") as source:
                    out.write(source.read())


def fingerprint(certfile):
    """The SHA-256 of a certificate as the application writes it."""
    with open(certfile, encoding="ascii") as pem:
        der = ssl.PEM_cert_to_DER_cert(pem.read())
    return ":".join("%02X" % byte for byte in hashlib.sha256(der).digest())


def stored_names(sha256):
    stem = sha256.replace(":", "").upper()
    return [path for path in glob.glob(os.path.join(STORE, "*"))
            if os.path.basename(path).upper().startswith(stem)]


def server_fingerprint(port):
    der = ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((HOST, port)))
    return ":".join("%02X" % byte for byte in hashlib.sha256(der).digest())


def import_account():
    """The Dovecot account, the only one, with its server trusted by
    fingerprint, added as IT support would with `skrzynka --import`."""
    if os.path.exists(CONFIG):
        os.unlink(CONFIG)
    pinned = server_fingerprint(IMAPS) if DOVECOT else ""
    lines = [
        "[Account]",
        "name=%s" % NAME,
        "full-name=Firma Testowa",
        "email=%s" % ADDRESS,
        "type=imap",
        "incoming-host=%s" % HOST,
        "incoming-port=%d" % IMAPS,
        "incoming-security=ssl",
        "username=%s" % USER,
        "outgoing-host=%s" % HOST,
        "outgoing-port=%d" % SUBMISSIONS,
        "outgoing-security=ssl",
        "outgoing-auth=true",
        "timeout=20",
        "incoming-pinned-certificate=%s" % pinned,
        "outgoing-pinned-certificate=%s" % pinned,
    ]
    import_key_file(lines)


def open_dialog():
    app = App()
    window = app.window(ACCOUNTS)
    table = find(window, pyatspi.ROLE_TREE_TABLE, "Accounts")
    wait_for("%s in the list" % NAME, lambda: any(name_of(n) == NAME for n in walk(table)))
    click(button(window, "Edit"))
    return app, app.window(DIALOG)


def finish(app):
    """Ends the program, which must still be running: a warning made fatal
    (G_DEBUG) would have ended it early, unseen."""
    assert app.process.poll() is None, "the program ended with %d" % app.process.returncode
    app.quit()


def dialog_button(dialog, name):
    """A button of the dialog's own bottom row."""
    return wait_for("the dialog's “%s”" % name,
                    lambda: next((b for b in find_all(dialog, pyatspi.ROLE_PUSH_BUTTON, name)
                                  if "test" not in name_of(b).lower()
                                  and "certificate" not in name_of(b).lower()), None))


def sign_box(dialog):
    open_tab(dialog, 1)
    return find(page(dialog, "SkGeneralPage"), pyatspi.ROLE_CHECK_BOX, SIGN_BOX)


def certificates_tab(dialog):
    open_tab(dialog, 3)
    return page(dialog, "SkCertificatesPage")


def rows(tab):
    """The lines of the list, each as the texts of its cells."""
    table = find_all(tab, pyatspi.ROLE_TREE_TABLE, "Signature certificates")
    if not table:
        return []
    found = []
    for row in walk(table[0]):
        if row.getRole() != pyatspi.ROLE_TABLE_ROW:
            continue
        texts = [name_of(n) for n in walk(row)
                 if n.getRole() in (pyatspi.ROLE_LABEL, pyatspi.ROLE_IMAGE) and name_of(n)]
        # The column titles come as a row of their own.
        if texts and texts != COLUMNS:
            found.append(texts)
    return found


def row_of(tab, who):
    return wait_for("the row of %s" % who,
                    lambda: next((r for r in rows(tab) if who in r), None))


def mouse_click(acc):
    """A click with the mouse in the middle of acc, as a person selects a
    line of a list (GTK 4.8 offers no selection interface for it)."""
    x, y, width, height = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    left, top = window_origin(name_of(toplevel(acc)))
    pyatspi.Registry.generateMouseEvent(left + x + width // 2, top + y + height // 2,
                                        pyatspi.MOUSE_B1C)


def select_row(tab, who):
    """Selects the line of who; the details under the list follow."""
    table = find(tab, pyatspi.ROLE_TREE_TABLE, "Signature certificates")
    cell = wait_for("the name %s in the list" % who,
                    lambda: next((n for n in walk(table) if n.getRole() == pyatspi.ROLE_LABEL
                                  and name_of(n) == who), None))
    mouse_click(cell)
    wait_for("%s selected" % who,
             lambda: any("CN=%s" % who in t for t in label_texts(tab)))


def focused_text(root):
    for node in walk(root):
        if node.getRole() == pyatspi.ROLE_TEXT and node.getState().contains(pyatspi.STATE_FOCUSED):
            return node
    return None


def choose_file(app, tab, path):
    """Import…, then the path typed into the file chooser as a person
    would: "/" opens the location field."""
    click(button(tab, "Import"))
    chooser = app.window(CHOOSER)
    time.sleep(0.5)
    press_keys(KEY_SLASH)
    location = wait_for("the location field", lambda: focused_text(chooser))
    location.queryEditableText().setTextContents(path)
    wait_for("the path typed", lambda: get_text(location) == path, timeout=5)
    press_keys(KEY_RETURN)
    app.no_window(CHOOSER)


def type_password(prompt, password):
    field = find(prompt, pyatspi.ROLE_PASSWORD_TEXT, "Certificate password")
    field.queryEditableText().setTextContents(password)
    ok = button(prompt, "OK")
    wait_for("OK to become usable", lambda: sensitive(ok))
    click(ok)


def secret_files():
    """Every file of the store, with what it holds."""
    found = {}
    for path in glob.glob(os.path.join(STORE, "*")):
        with open(path, "rb") as data:
            found[path] = data.read()
    return found


def check_store_is_private():
    mode = stat.S_IMODE(os.stat(STORE).st_mode)
    assert mode == 0o700, "the certificate folder has mode %o" % mode
    for path, data in secret_files().items():
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == 0o600, "%s has mode %o" % (path, mode)
        for marker in (b"BEGIN PRIVATE KEY", b"BEGIN RSA PRIVATE KEY", b"BEGIN EC PRIVATE KEY"):
            assert marker not in data, "%s holds a private key in the clear" % path
        if path.endswith(".p12"):
            # Not readable without the passphrase the keyring holds.
            for tried in ("", certs.PASSWORD):
                opened = subprocess.run(["openssl", "pkcs12", "-in", path, "-nodes",
                                         "-passin", "pass:" + tried],
                                        capture_output=True, check=False)
                assert b"PRIVATE KEY" not in opened.stdout, \
                    "%s opens with the password %r" % (path, tried)


def test_no_certificate_explains():
    make_certificates()
    import_account()
    app, dialog = open_dialog()

    box = sign_box(dialog)
    assert not sensitive(box), "the signature box can be ticked without a certificate"
    assert not checked(box)
    general = page(dialog, "SkGeneralPage")
    wait_for("the reason beside the box",
             lambda: any(NO_CERTIFICATE in t for t in label_texts(general)))
    shot("1-no-certificate")

    tab = certificates_tab(dialog)
    texts = label_texts(tab)
    assert any("proves to the people who receive your messages" in t for t in texts), texts
    assert not sensitive(button(tab, "Remove"))
    assert not sensitive(button(tab, "Set as default"))
    shot("2-empty")
    finish(app)


def test_import_set_default_and_sign():
    app, dialog = open_dialog()
    tab = certificates_tab(dialog)

    # A PEM with its key needs no password: it comes in at once, as the
    # default, and it has expired.
    choose_file(app, tab, FILES["expired-full.pem"])
    old = row_of(tab, OLD)
    assert "Expired" in old, old
    assert "Default" in old, "the first certificate is not the default: %s" % old

    box = sign_box(dialog)
    general = page(dialog, "SkGeneralPage")
    wait_for("why the expired default cannot sign",
             lambda: any(CANNOT_USE in t for t in label_texts(general)))
    assert not sensitive(box), "an expired certificate lets the box be ticked"

    # The PKCS#12: a wrong password first.  The prompt says so and stays,
    # with what was typed still there.
    tab = certificates_tab(dialog)
    choose_file(app, tab, FILES["valid.p12"])
    prompt = app.window(PROMPT)
    assert any("valid.p12" in t for t in label_texts(prompt)), label_texts(prompt)
    type_password(prompt, "not the password")
    wait_for("the prompt to say the password is wrong",
             lambda: any(WRONG_PASSWORD in t for t in label_texts(prompt)))
    prompt = app.window(PROMPT)
    field = find(prompt, pyatspi.ROLE_PASSWORD_TEXT, "Certificate password")
    assert get_text(field) in ("not the password", "•" * len("not the password")), \
        "what was typed is gone"
    shot("3-wrong-password")

    type_password(prompt, certs.PASSWORD)
    app.no_window(PROMPT)
    good = row_of(tab, OWNER)
    assert "Valid" in good, good
    assert ADDRESS in good, good
    assert "Default" not in good, "a second certificate took the default: %s" % good

    # Set as default: now tab 1's box may be ticked.
    select_row(tab, OWNER)
    set_default = button(tab, "Set as default")
    wait_for("Set as default to become usable", lambda: sensitive(set_default))
    click(set_default)
    wait_for("the new default", lambda: "Default" in row_of(tab, OWNER))
    assert "Default" not in row_of(tab, OLD)
    shot("4-certificates")

    # The old one goes, from the keyboard: Delete asks first.
    select_row(tab, OLD)
    press_keys(KEY_DELETE)
    confirm = app.window("Remove the certificate")
    click(button(confirm, "Remove"))
    wait_for("the old certificate to leave the list",
             lambda: not any(OLD in r for r in rows(tab)))
    # Only the account changed: the files go when the dialog is saved.
    assert stored_names(fingerprint(FILES["expired"])), "removed before OK"

    box = sign_box(dialog)
    wait_for("the box to become usable", lambda: sensitive(box))
    click(box)
    wait_for("the box ticked", lambda: checked(box))
    shot("5-sign-ticked")

    # With the mouse, as a person does: the button takes the focus from the
    # text field (GTK 4.8 leaves a field that loses it to a window turned
    # insensitive blinking, and warning about it).
    mouse_click(dialog_button(dialog, "OK"))
    app.no_window(DIALOG)
    with open(CONFIG, encoding="utf-8") as config:
        text = config.read()
    good_sha256 = fingerprint(FILES["valid"])
    assert "sign=true" in text, text
    assert good_sha256 in text, text
    assert fingerprint(FILES["expired"]) not in text, text
    wait_for("the removed certificate's files to go",
             lambda: not stored_names(fingerprint(FILES["expired"])))
    assert stored_names(good_sha256), "the saved certificate is not in the store"
    check_store_is_private()
    finish(app)

    # Opened again, everything is as it was saved.
    app, dialog = open_dialog()
    box = sign_box(dialog)
    wait_for("the box ticked after reopening", lambda: checked(box) and sensitive(box))
    tab = certificates_tab(dialog)
    row = row_of(tab, OWNER)
    assert "Valid" in row and "Default" in row, row
    finish(app)


def test_address_decides_status():
    app, dialog = open_dialog()
    general = page(dialog, "SkGeneralPage")
    open_tab(dialog, 1)
    address = entry(general, "E-mail address")
    address.queryEditableText().setTextContents("inny@skrzynka.test")

    # Shown off with the reason, while the saved setting stays on.
    box = sign_box(dialog)
    wait_for("the box to go off", lambda: not sensitive(box) and not checked(box))
    wait_for("the reason", lambda: any(CANNOT_USE in t and "without a signature" in t
                                       for t in label_texts(general)))
    tab = certificates_tab(dialog)
    wait_for("the status to follow the address", lambda: "Valid" not in row_of(tab, OWNER))
    shot("6-other-address")

    open_tab(dialog, 1)
    address.queryEditableText().setTextContents(ADDRESS)
    box = sign_box(dialog)
    wait_for("the box back on", lambda: sensitive(box) and checked(box))
    finish(app)


def test_cancel_forgets_import():
    app, dialog = open_dialog()
    tab = certificates_tab(dialog)
    choose_file(app, tab, FILES["other-address-full.pem"])
    row = row_of(tab, OTHER)
    assert "Different address" in row, row
    other_sha256 = fingerprint(FILES["other-address"])
    assert stored_names(other_sha256), "the import wrote nothing"

    click(dialog_button(dialog, "Cancel"))
    confirm = app.window("Discard")
    click(button(confirm, "Discard"))
    app.no_window(DIALOG)
    wait_for("the cancelled import to leave the store", lambda: not stored_names(other_sha256))
    assert stored_names(fingerprint(FILES["valid"])), "the saved certificate went too"
    with open(CONFIG, encoding="utf-8") as config:
        assert other_sha256 not in config.read()
    finish(app)


def servers_of(dialog):
    """Tab 2 with the password typed, and its test panel."""
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    entry(servers, "Password").queryEditableText().setTextContents(PASSWORD)
    return servers, page(servers, "SkTestPanel")


def test_send_signed_message():
    app, dialog = open_dialog()
    servers, panel = servers_of(dialog)

    send = button(panel, "Send a test message to myself")
    wait_for("sending to become possible", lambda: sensitive(send))
    click(send)
    wait_for("the server's answer",
             lambda: any("The server accepted the message: 250" in t for t in label_texts(panel)),
             timeout=40)
    texts = label_texts(panel)
    assert any("Signed with the certificate of %s." % OWNER in t for t in texts), texts
    # Only the outgoing server takes part.
    steps = [name_of(n) for n in find_all(panel, pyatspi.ROLE_LABEL)
             if name_of(n).startswith("Log in: ")]
    assert len(steps) == 1 and "done" in steps[0], steps
    shot("7-sent")
    finish(app)


def test_cancel_sending():
    with scripted.start("silent") as silent:
        app, dialog = open_dialog()
        servers, panel = servers_of(dialog)
        open_advanced(servers)
        entry(servers, "Outgoing port").queryEditableText().setTextContents(str(silent.port))

        send = button(panel, "Send a test message to myself")
        wait_for("sending to become possible", lambda: sensitive(send))
        click(send)
        cancel = button(panel, "Cancel sending")
        test = button(panel, "Test connection")
        assert not sensitive(test), "a test can start while a message is being sent"

        click(cancel)
        started = time.monotonic()
        wait_for("sending to stop",
                 lambda: any("Sending was cancelled." in t for t in label_texts(panel)),
                 timeout=5)
        took = time.monotonic() - started
        assert took < 2, "cancelling took %.1f s" % took
        wait_for("both buttons back", lambda: sensitive(button(panel, "Send a test message"))
                 and sensitive(button(panel, "Test connection")))
        assert not any("accepted the message" in t for t in label_texts(panel))
        finish(app)


def test_delete_account_removes_certificates():
    sha256 = fingerprint(FILES["valid"])
    assert stored_names(sha256), "nothing stored to begin with"
    app = App()
    window = app.window(ACCOUNTS)
    table = find(window, pyatspi.ROLE_TREE_TABLE, "Accounts")
    wait_for("%s in the list" % NAME, lambda: any(name_of(n) == NAME for n in walk(table)))
    click(button(window, "Delete"))
    confirm = app.window("Delete the account")
    click(button(confirm, "Delete"))
    wait_for("the certificate's files to go with the account",
             lambda: not stored_names(sha256))
    finish(app)


def test_no_keyring_keeps_no_key():
    make_certificates()
    import_account()
    app, dialog = open_dialog()
    tab = certificates_tab(dialog)

    choose_file(app, tab, FILES["expired-full.pem"])
    wait_for("the reason nothing was imported",
             lambda: any("no keyring is running" in t for t in label_texts(tab)))
    assert not rows(tab), "a certificate was listed: %s" % rows(tab)
    assert not os.path.isdir(STORE) or not os.listdir(STORE), \
        "files were stored: %s" % os.listdir(STORE)
    shot("8-no-keyring")
    finish(app)


if __name__ == "__main__":
    if sys.argv[1:] == ["--no-keyring"]:
        run_tests([test_no_keyring_keeps_no_key])
    run_tests([test_no_certificate_explains, test_import_set_default_and_sign,
               test_address_decides_status, test_cancel_forgets_import,
               test_send_signed_message, test_cancel_sending,
               test_delete_account_removes_certificates])
