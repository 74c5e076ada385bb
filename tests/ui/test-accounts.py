#!/usr/bin/python3
# test-accounts.py — the Accounts window and the Account properties dialog,
# driven through the accessibility tree of the real program.
#
# Runs inside tests/session.sh --x11 --keyring: a private X server, D-Bus
# session, accessibility bus and unlocked keyring, and XDG folders of its
# own.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import stat
import subprocess

from atspi_driver import (App, UiError, KEY_ESCAPE, button, checked, choose,
                          click, dropdown_value, entry, find, find_all,
                          get_text, name_of, open_advanced, open_tab, page,
                          press_keys, pyatspi, run_tests, sensitive, set_text,
                          wait_for, walk)

ACCOUNTS = "E-mail Accounts"
DIALOG = "Account Properties"
CONFIG = os.path.join(os.environ["XDG_CONFIG_HOME"], "skrzynka", "accounts.conf")

INCOMING_PASSWORD = "tajne hasło 1"
OUTGOING_PASSWORD = "inne hasło 2"


def keyring(role):
    """The passwords the keyring holds for role, as secret-tool sees them."""
    result = subprocess.run(["secret-tool", "search", "--all", "--unlock",
                             "role", role],
                            capture_output=True, text=True, check=False)
    return [line.split(" = ", 1)[1] for line in result.stdout.splitlines()
            if line.startswith("secret = ")]


def check_box(root, name):
    return find(root, pyatspi.ROLE_CHECK_BOX, name)


def set_checked(acc, value):
    if checked(acc) != value:
        click(acc)
    wait_for("“%s” to be %s" % (name_of(acc), "ticked" if value else "clear"),
             lambda: checked(acc) == value)


def user_row(general, code):
    """The row of the users table that shows operator code."""
    table = find(general, pyatspi.ROLE_TREE_TABLE, "Account users")
    for row in walk(table):
        if row.getRole() != pyatspi.ROLE_TABLE_ROW:
            continue
        labels = [name_of(n) for n in walk(row) if n.getRole() == pyatspi.ROLE_LABEL]
        if code in labels:
            return row, labels
    return None


def user_checks(general, code):
    row, _ = wait_for("the user %s in the table" % code, lambda: user_row(general, code))
    boxes = [n for n in walk(row) if n.getRole() == pyatspi.ROLE_CHECK_BOX]
    if len(boxes) != 2:
        raise UiError("the row of %s has %d check boxes" % (code, len(boxes)))
    return boxes


def start():
    app = App()
    return app, app.window(ACCOUNTS)


def close_window(window):
    # The close button of the window's own title bar, as a person uses it.
    click(find_all(window, pyatspi.ROLE_PUSH_BUTTON, "Close", exact=True)[-1])


def fill_general(dialog):
    general = page(dialog, "SkGeneralPage")
    set_text(entry(general, "Name"), "Biuro")
    set_text(entry(general, "Full name / company"), "Firma Sp. z o.o.")
    set_text(entry(general, "E-mail address"), "biuro@firma.example")

    # Signing needs a certificate from tab 3: the box explains why it is off.
    sign = check_box(general, "signature")
    assert not sensitive(sign), "the signature box is usable without a certificate"
    find(general, pyatspi.ROLE_LABEL, "signature certificate on tab 3")

    for code, full_name in (("JK", "Jan Kowalski"), ("AN", "Anna Nowak")):
        set_text(entry(general, "Operator code"), code)
        set_text(entry(general, "Full name of the user"), full_name)
        click(button(general, "Add user"))
        wait_for("%s in the users table" % code, lambda: user_row(general, code))
    owner, default = user_checks(general, "JK")
    set_checked(owner, True)
    set_checked(default, True)

    set_checked(check_box(general, "Inactive"), True)


def fill_servers(dialog):
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    click(button(servers, "POP3"))
    wait_for("POP3 chosen", lambda: checked(button(servers, "POP3")))
    set_text(entry(servers, "Incoming mail server"), "pop.firma.example")
    set_text(entry(servers, "Outgoing mail server (SMTP)"), "smtp.firma.example")
    set_checked(check_box(servers, "Leave a copy"), True)
    set_checked(check_box(servers, "Deleted items"), True)
    set_text(entry(servers, "E-mail user name"), "biuro@firma.example")
    set_text(entry(servers, "Password"), INCOMING_PASSWORD)

    open_advanced(servers)
    port = entry(servers, "Incoming port")
    assert get_text(port) == "995", "POP3 over SSL/TLS proposes %s" % get_text(port)
    choose(find(servers, pyatspi.ROLE_COMBO_BOX, "Incoming security"), "STARTTLS")
    wait_for("the standard POP3 STARTTLS port", lambda: get_text(port) == "110")
    set_text(port, "1110")
    choose(find(servers, pyatspi.ROLE_COMBO_BOX, "Incoming authentication"),
           "Normal password (LOGIN)")

    choose(find(servers, pyatspi.ROLE_COMBO_BOX, "Outgoing security"), "STARTTLS")
    wait_for("the standard SMTP STARTTLS port",
             lambda: get_text(entry(servers, "Outgoing port")) == "587")
    set_checked(check_box(servers, "needs authentication"), True)
    set_checked(check_box(servers, "same user name"), False)
    set_text(entry(servers, "SMTP user name"), "wysylka@firma.example")
    set_text(entry(servers, "SMTP password"), OUTGOING_PASSWORD)
    choose(find(servers, pyatspi.ROLE_COMBO_BOX, "Outgoing authentication"),
           "Encrypted password (CRAM-MD5)")
    set_text(entry(servers, "Timeout"), "90")


def check_saved_values(dialog):
    general = page(dialog, "SkGeneralPage")
    assert get_text(entry(general, "Name")) == "Biuro"
    assert get_text(entry(general, "Full name / company")) == "Firma Sp. z o.o."
    assert get_text(entry(general, "E-mail address")) == "biuro@firma.example"
    owner, default = user_checks(general, "JK")
    assert checked(owner) and checked(default), "JK lost Owner or Default"
    owner, default = user_checks(general, "AN")
    assert not checked(owner) and not checked(default), "AN gained Owner or Default"
    assert "Anna Nowak" in user_row(general, "AN")[1]
    assert checked(check_box(general, "Inactive"))

    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    assert checked(button(servers, "POP3")) and not checked(button(servers, "IMAP"))
    assert get_text(entry(servers, "Incoming mail server")) == "pop.firma.example"
    assert get_text(entry(servers, "Outgoing mail server (SMTP)")) == "smtp.firma.example"
    assert checked(check_box(servers, "Leave a copy"))
    assert checked(check_box(servers, "Deleted items"))
    assert get_text(entry(servers, "E-mail user name")) == "biuro@firma.example"
    # The password comes back from the keyring, looked up in the background.
    password = entry(servers, "Password")
    wait_for("the password from the keyring",
             lambda: get_text(password) == "•" * len(INCOMING_PASSWORD)
             or get_text(password) == INCOMING_PASSWORD)
    open_advanced(servers)
    values = {
        "Incoming port": "1110",
        "Outgoing port": "587",
        "SMTP user name": "wysylka@firma.example",
        "Timeout": "90",
    }
    for name, value in values.items():
        got = get_text(entry(servers, name))
        assert got == value, "%s is “%s”, not “%s”" % (name, got, value)
    choices = {
        "Incoming security": "STARTTLS",
        "Incoming authentication": "Normal password (LOGIN)",
        "Outgoing security": "STARTTLS",
        "Outgoing authentication": "Encrypted password (CRAM-MD5)",
    }
    for name, value in choices.items():
        got = dropdown_value(find(servers, pyatspi.ROLE_COMBO_BOX, name))
        assert got == value, "%s is “%s”, not “%s”" % (name, got, value)
    assert checked(check_box(servers, "needs authentication"))
    assert not checked(check_box(servers, "same user name"))


def test_add_restart_edit_delete():
    app, window = start()
    click(button(window, "Add account"))
    dialog = app.window(DIALOG)
    ok = button(dialog, "OK")
    assert not sensitive(ok), "OK is usable on an empty form"

    fill_general(dialog)
    fill_servers(dialog)
    wait_for("OK to become usable", lambda: sensitive(ok))
    click(ok)
    app.no_window(DIALOG)

    table = find(window, pyatspi.ROLE_TREE_TABLE, "Accounts")
    wait_for("Biuro in the list",
             lambda: any(name_of(n) == "Biuro" for n in walk(table)))
    row_labels = [name_of(n) for n in walk(table) if n.getRole() == pyatspi.ROLE_LABEL]
    for shown in ("biuro@firma.example", "POP3", "Inactive"):
        assert shown in row_labels, "“%s” is not listed: %s" % (shown, row_labels)

    # The key file: readable by the user alone, and no password in it.
    mode = stat.S_IMODE(os.stat(CONFIG).st_mode)
    assert mode == 0o600, "accounts.conf has mode %o" % mode
    with open(CONFIG, encoding="utf-8") as config:
        text = config.read()
    for secret in (INCOMING_PASSWORD, OUTGOING_PASSWORD):
        assert secret not in text, "a password was written to accounts.conf"
    wait_for("the passwords in the keyring",
             lambda: keyring("incoming") == [INCOMING_PASSWORD]
             and keyring("outgoing") == [OUTGOING_PASSWORD])

    close_window(window)
    assert app.process.wait(timeout=20) == 0

    app, window = start()
    table = find(window, pyatspi.ROLE_TREE_TABLE, "Accounts")
    wait_for("Biuro listed after a restart",
             lambda: any(name_of(n) == "Biuro" for n in walk(table)))
    click(button(window, "Edit"))
    dialog = app.window(DIALOG)
    check_saved_values(dialog)
    # Nothing changed: Cancel closes without asking.
    click(button(dialog, "Cancel"))
    app.no_window(DIALOG)

    click(button(window, "Delete"))
    confirm = app.window("Delete the account")
    click(button(confirm, "Delete"))
    find(window, pyatspi.ROLE_LABEL, "No e-mail accounts yet")
    wait_for("the passwords gone from the keyring",
             lambda: keyring("incoming") == [] and keyring("outgoing") == [])
    close_window(window)
    assert app.process.wait(timeout=20) == 0


def test_invalid_port_blocks_ok():
    app, window = start()
    click(button(window, "Add account"))
    dialog = app.window(DIALOG)
    general = page(dialog, "SkGeneralPage")
    set_text(entry(general, "Name"), "Sklep")
    set_text(entry(general, "E-mail address"), "sklep@firma.example")
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    set_text(entry(servers, "Incoming mail server"), "imap.firma.example")
    set_text(entry(servers, "Outgoing mail server (SMTP)"), "smtp.firma.example")
    set_text(entry(servers, "E-mail user name"), "sklep@firma.example")
    ok = button(dialog, "OK")
    wait_for("OK to become usable", lambda: sensitive(ok))

    open_advanced(servers)
    port = entry(servers, "Incoming port")
    for bad in ("70000", "0", "abc"):
        set_text(port, bad)
        wait_for("OK to be refused for port %s" % bad, lambda: not sensitive(ok))
        find(servers, pyatspi.ROLE_LABEL, "port number from 1 to 65535")
    set_text(port, "993")
    wait_for("OK to come back", lambda: sensitive(ok))

    # Changes were made: Cancel asks before throwing them away.
    click(button(dialog, "Cancel"))
    confirm = app.window("Discard")
    click(button(confirm, "Discard"))
    app.no_window(DIALOG)
    assert not os.path.exists(CONFIG) or "Sklep" not in open(CONFIG, encoding="utf-8").read()
    close_window(window)
    app.process.wait(timeout=20)


def test_polish_tabs():
    app = App(env={"LANGUAGE": "pl", "LANG": "C.UTF-8"})
    window = app.window("Konta e-mail")
    click(find(window, pyatspi.ROLE_PUSH_BUTTON, "Dodaj konto"))
    dialog = app.window("Właściwości konta e-mail")
    tabs = [name_of(t) for t in find_all(dialog, pyatspi.ROLE_PAGE_TAB)]
    assert tabs == ["1 Ogólne", "2 Serwery", "3 Certyfikaty podpisów"], tabs
    press_keys(KEY_ESCAPE)
    app.no_window("Właściwości konta e-mail")
    app.quit()


if __name__ == "__main__":
    run_tests([test_add_restart_edit_delete, test_invalid_port_blocks_ok, test_polish_tabs])
