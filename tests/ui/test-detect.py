#!/usr/bin/python3
# test-detect.py — the settings found for an address, offered under it on
# tab 1 and put on tab 2 only with "Use these settings", driven through the
# accessibility tree of the real program.  The settings come from IT
# support's files in the session's XDG_CONFIG_HOME: no network is needed.
#
# Runs inside tests/session.sh --x11 --keyring.  With SK_UI_SCREENSHOTS=DIR
# it also saves what the screen looked like, in English and in Polish.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import socket
import threading
import time

from atspi_driver import (App, button, checked, click, entry, find,  # noqa: E402
                          find_all, get_text, import_key_file, label_texts, name_of, open_advanced,
                          open_tab, page, press_mnemonic, pyatspi, run_tests, screenshot,
                          wait_for, walk)

ACCOUNTS = ("E-mail Accounts", "Konta e-mail")
DIALOG = ("Account Properties", "Właściwości konta")
ADD = ("Add account", "Dodaj konto")
AUTOCONFIG = os.path.join(os.environ["XDG_CONFIG_HOME"], "skrzynka", "autoconfig")
CONFIG = os.path.join(os.environ["XDG_CONFIG_HOME"], "skrzynka", "accounts.conf")

COMPANY = """<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="biuro.test">
    <domain>biuro.test</domain>
    <displayName>Biuro Rachunkowe</displayName>
    <incomingServer type="imap">
      <hostname>imap.biuro.test</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop3.biuro.test</hostname>
      <port>995</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.biuro.test</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </outgoingServer>
    <documentation url="https://biuro.test/poczta">
      <descr lang="en">The password is the one of the office computer.</descr>
    </documentation>
  </emailProvider>
</clientConfig>
"""

MICROSOFT = """<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="chmura.test">
    <domain>chmura.test</domain>
    <displayName>Microsoft 365</displayName>
    <incomingServer type="imap">
      <hostname>outlook.office365.com</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>OAuth2</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.office365.com</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <authentication>OAuth2</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"""


PLAIN = COMPANY.replace("biuro.test", "stary.test").replace(
    "<socketType>SSL</socketType>", "<socketType>plain</socketType>").replace(
    "<socketType>STARTTLS</socketType>", "<socketType>plain</socketType>").replace(
    "<port>993</port>", "<port>143</port>").replace("<port>995</port>", "<port>110</port>")


def write_files():
    os.makedirs(AUTOCONFIG, exist_ok=True)
    for domain, text in (("biuro.test", COMPANY), ("chmura.test", MICROSOFT),
                         ("stary.test", PLAIN)):
        with open(os.path.join(AUTOCONFIG, domain + ".xml"), "w") as out:
            out.write(text)


def shot(name):
    folder = os.environ.get("SK_UI_SCREENSHOTS")
    if folder:
        pyatspi.Registry.generateMouseEvent(0, 0, pyatspi.MOUSE_ABS)
        time.sleep(0.5)
        screenshot(os.path.join(folder, name + ".png"))


def paste(field, text):
    field.queryEditableText().setTextContents(text)


def new_account(language="en", env=None):
    # No web lookups: the ISP database off, IT's file answers first.
    app = App(env=dict({"SKRZYNKA_ISPDB_URL": "", "LANGUAGE": language, "LANG": "C.UTF-8"},
                       **(env or {})))
    index = 0 if language == "en" else 1
    window = app.window(ACCOUNTS[index])
    # The header's button, by its whole name: the empty page's own
    # "Dodaj konto…" would match a part of it.
    click(find(window, pyatspi.ROLE_PUSH_BUTTON, ADD[index], exact=True))
    return app, app.window(DIALOG[index])


def choice(root, name):
    """One of a group of check buttons: GTK 4.8 shows them as check boxes."""
    return (find_all(root, pyatspi.ROLE_RADIO_BUTTON, name)
            or find_all(root, pyatspi.ROLE_CHECK_BOX, name))


def texts_with(root, *words):
    return [t for t in label_texts(root) if all(w in t for w in words)]


def test_offer_and_use():
    write_files()
    app, dialog = new_account()
    general = page(dialog, "SkGeneralPage")
    paste(entry(general, "E-mail address"), "jan.kowalski@biuro.test")

    use = wait_for("the offer", lambda: find_all(general, pyatspi.ROLE_PUSH_BUTTON,
                                                 "Use these settings"))[0]
    assert texts_with(general, "biuro.test (Biuro Rachunkowe)", "IT support"), \
        label_texts(general)
    assert texts_with(general, "IMAP imap.biuro.test:993 SSL/TLS",
                      "SMTP smtp.biuro.test:587 STARTTLS", "user name: jan.kowalski"), \
        label_texts(general)
    assert texts_with(general, "office computer", "https://biuro.test/poczta")
    imap = choice(general, "IMAP: mail")
    pop3 = choice(general, "POP3: mail")
    assert imap and pop3, ("no choice between IMAP and POP3",
                           [(n.getRoleName(), name_of(n)) for n in walk(general)
                            if "IMAP" in name_of(n) or "POP3" in name_of(n)])
    assert checked(imap[0]) and not checked(pop3[0])
    shot("detect-1-offer")

    # Nothing is filled in before the click.
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    assert get_text(entry(servers, "Incoming mail server")) == ""
    open_tab(dialog, 1)

    click(pop3[0])
    wait_for("the POP3 server offered",
             lambda: texts_with(general, "POP3 pop3.biuro.test:995 SSL/TLS"))
    click(use)
    wait_for("what was filled in, said",
             lambda: texts_with(general, "Filled in on tab 2", "pop3.biuro.test"))
    assert not find_all(general, pyatspi.ROLE_PUSH_BUTTON, "Use these settings")
    shot("detect-2-used")

    open_tab(dialog, 2)
    assert get_text(entry(servers, "Incoming mail server")) == "pop3.biuro.test"
    assert get_text(entry(servers, "Outgoing mail server (SMTP)")) == "smtp.biuro.test"
    assert get_text(entry(servers, "E-mail user name")) == "jan.kowalski"
    assert checked(button(servers, "POP3")) and not checked(button(servers, "IMAP"))
    open_advanced(servers)
    assert get_text(entry(servers, "Incoming port")) == "995"
    assert get_text(entry(servers, "Outgoing port")) == "587"
    app.quit()


def test_typed_servers_are_kept():
    write_files()
    app, dialog = new_account()
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    paste(entry(servers, "Incoming mail server"), "poczta.moja.example")
    open_tab(dialog, 1)
    general = page(dialog, "SkGeneralPage")
    paste(entry(general, "E-mail address"), "jan@biuro.test")
    time.sleep(2)
    assert not find_all(general, pyatspi.ROLE_PUSH_BUTTON, "Use these settings"), \
        "typed servers are offered to be replaced"
    open_tab(dialog, 2)
    assert get_text(entry(servers, "Incoming mail server")) == "poczta.moja.example"
    app.quit()


class Listener:
    """A port on 127.0.0.1 that counts who connects to it, as the ISP
    database: any lookup of the settings asks it first, whatever the
    domain."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    @property
    def url(self):
        return "https://127.0.0.1:%d/v1.1/" % self.socket.getsockname()[1]

    def close(self):
        self.socket.close()


def test_saved_account_looks_nothing_up():
    """Opening a saved account whose servers are set asks no source and
    tries no server: nothing found could be offered in place of its own."""
    listener = Listener()
    import_key_file(["[Account]", "name=Zapisane", "email=jan@nikt.invalid", "type=imap",
                    "incoming-host=poczta.moja.example", "outgoing-host=poczta.moja.example",
                    "username=jan"])
    try:
        app = App(env={"SKRZYNKA_ISPDB_URL": listener.url, "LANGUAGE": "en",
                       "LANG": "C.UTF-8"})
        window = app.window(ACCOUNTS[0])
        table = find(window, pyatspi.ROLE_TREE_TABLE, "Accounts")
        wait_for("the account in the list",
                 lambda: any(name_of(n) == "Zapisane" for n in walk(table)))
        click(button(window, "Edit"))
        dialog = app.window(DIALOG[0])
        general = page(dialog, "SkGeneralPage")
        time.sleep(2)
        assert listener.connections == 0, "a saved account's settings were looked up"
        assert not texts_with(general, "Looking for the settings"), label_texts(general)
        app.quit()

        # The same address in a new account is looked up: the listener
        # would have seen it.
        app, dialog = new_account(env={"SKRZYNKA_ISPDB_URL": listener.url})
        general = page(dialog, "SkGeneralPage")
        paste(entry(general, "E-mail address"), "jan@nikt.invalid")
        wait_for("the lookup", lambda: listener.connections > 0, timeout=30)
        app.quit()
    finally:
        listener.close()
        # The tests after this one start from an empty list.
        os.unlink(CONFIG)


def test_nothing_found_says_nothing():
    write_files()
    app, dialog = new_account()
    general = page(dialog, "SkGeneralPage")
    paste(entry(general, "E-mail address"), "jan@nikt.invalid")
    wait_for("the search to end", lambda: not texts_with(general, "Looking for the settings"),
             timeout=30)
    assert not find_all(general, pyatspi.ROLE_PUSH_BUTTON, "Use these settings")
    assert not texts_with(general, "Settings for"), label_texts(general)
    app.quit()


def test_microsoft_signs_in():
    write_files()
    app, dialog = new_account()
    general = page(dialog, "SkGeneralPage")
    paste(entry(general, "E-mail address"), "anna@chmura.test")
    wait_for("the sign-in sentence",
             lambda: texts_with(general, "This account signs in with Microsoft"))
    assert texts_with(general, "outlook.office365.com:993", "smtp.office365.com:587")
    # Filled in as a sign-in, never as a password login the server refuses.
    # This build has no client ID for Microsoft: the offer says so for IT
    # support instead of showing a button that cannot work.
    click(button(general, "Use these settings"))
    wait_for("the sentence for IT support",
             lambda: texts_with(general, "Signing in with Microsoft is not set up"))
    assert not find_all(general, pyatspi.ROLE_PUSH_BUTTON, "Sign in with Microsoft")
    shot("detect-3-microsoft")
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    wait_for("the sign-in row", lambda: texts_with(servers, "Signing in with Microsoft is not set up"))
    assert not find_all(servers, pyatspi.ROLE_PASSWORD_TEXT, "Password")
    app.quit()


def test_unencrypted_warns():
    write_files()
    app, dialog = new_account()
    general = page(dialog, "SkGeneralPage")
    paste(entry(general, "E-mail address"), "jan@stary.test")
    wait_for("the warning", lambda: texts_with(general, "send the password unencrypted"))
    assert texts_with(general, "IMAP imap.stary.test:143 no encryption")
    # Offered with the warning, never filled in without the click.
    assert find_all(general, pyatspi.ROLE_PUSH_BUTTON, "these settings")
    servers = page(dialog, "SkServersPage")
    open_tab(dialog, 2)
    assert get_text(entry(servers, "Incoming mail server")) == ""

    # The keyboard reaches the button: Alt+T, "Use _these settings".
    open_tab(dialog, 1)
    press_mnemonic("t")
    wait_for("what was filled in, said", lambda: texts_with(general, "Filled in on tab 2"))
    open_tab(dialog, 2)
    assert get_text(entry(servers, "Incoming mail server")) == "imap.stary.test"
    app.quit()


def test_polish():
    write_files()
    app, dialog = new_account("pl")
    general = page(dialog, "SkGeneralPage")
    paste(entry(general, "Adres e-mail"), "jan.kowalski@biuro.test")
    wait_for("the offer in Polish",
             lambda: texts_with(general, "biuro.test (Biuro Rachunkowe)", "działu IT"))
    assert find_all(general, pyatspi.ROLE_PUSH_BUTTON, "tych ustawień")
    shot("detect-4-offer-pl")
    app.quit()


if __name__ == "__main__":
    run_tests([test_offer_and_use, test_typed_servers_are_kept,
               test_saved_account_looks_nothing_up, test_nothing_found_says_nothing,
               test_microsoft_signs_in, test_unencrypted_warns, test_polish])
