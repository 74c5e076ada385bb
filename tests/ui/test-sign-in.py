#!/usr/bin/python3
# test-sign-in.py — an account that signs in with Microsoft (OAuth 2.0),
# set up in the window through the accessibility tree of the real program:
# the address finds settings that sign in, the sign-in row stands where the
# password would, "Sign in with Microsoft" opens the browser, the test logs
# in with the token, and Sign out removes it from the keyring.
#
# Everything is local: the tests' own authorization server stands in for
# Microsoft (a provider file microsoft.conf in the session's
# XDG_CONFIG_HOME points at it), a real Dovecot checks the access tokens
# with that server's introspection endpoint, the session's CA store is the
# test CA, and "the browser" is oauth2_server.py, named as the handler of
# https addresses by a desktop entry in the session's XDG_DATA_HOME.
#
# Runs inside tests/session.sh --x11 --keyring.  With SK_UI_SCREENSHOTS=DIR
# it also saves what the screen looked like.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVERS = os.path.join(HERE, "..", "servers")
sys.path.insert(0, SERVERS)
import dovecot  # noqa: E402
import oauth2_server  # noqa: E402
import testca  # noqa: E402

from atspi_driver import (App, button, checked, click, dropdown_value, entry,  # noqa: E402
                          find, find_all, get_text, label_texts, open_advanced, open_tab, page,
                          pyatspi, run_tests, screenshot, showing, wait_for)

ACCOUNTS = "E-mail Accounts"
DIALOG = "Account Properties"
ADDRESS = oauth2_server.DEFAULT_USER
DOMAIN = ADDRESS.split("@")[1]
CONFIG_HOME = os.environ["XDG_CONFIG_HOME"]
DATA_HOME = os.environ["XDG_DATA_HOME"]
ACCOUNTS_FILE = os.path.join(CONFIG_HOME, "skrzynka", "accounts.conf")
EVERYTHING_WORKS = "Everything works: Skrzynka can receive and send mail"

AUTOCONFIG = """<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="{domain}">
    <domain>{domain}</domain>
    <displayName>Microsoft 365</displayName>
    <incomingServer type="imap">
      <hostname>{host}</hostname>
      <port>{imaps}</port>
      <socketType>SSL</socketType>
      <authentication>OAuth2</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>{host}</hostname>
      <port>{submission}</port>
      <socketType>STARTTLS</socketType>
      <authentication>OAuth2</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"""

BROWSER = """[Desktop Entry]
Type=Application
Name=Test browser
Exec=/usr/bin/python3 {script} %u
MimeType=x-scheme-handler/https;x-scheme-handler/http;
NoDisplay=true
"""


class Servers:
    folder = None
    ca = None
    oauth = None
    dovecot = None

    @classmethod
    def start(cls):
        cls.folder = tempfile.mkdtemp(prefix="skrzynka-ui-sign-in.",
                                      dir=os.environ.get("XDG_RUNTIME_DIR"))
        cls.ca = testca.TestCA(os.path.join(cls.folder, "ca"))
        cls.oauth = oauth2_server.start(cls.ca)
        cls.dovecot = dovecot.start(ca=cls.ca, user=ADDRESS,
                                    introspection=cls.oauth.introspection_url)

    @classmethod
    def stop(cls):
        for server in (cls.dovecot, cls.oauth):
            if server is not None:
                server.stop()
        if cls.folder:
            shutil.rmtree(cls.folder, ignore_errors=True)


def microsoft_file(client=True):
    """Microsoft's endpoints moved to the local server; its own hosts stay
    Microsoft's (the built-in table names them), the local one is added."""
    text = Servers.oauth.provider_file(name="Microsoft").replace(
        "hosts=%s" % testca.HOST,
        "hosts=outlook.office365.com;smtp.office365.com;smtp-mail.outlook.com;%s" % testca.HOST)
    if not client:
        text = text.replace("client-id=%s" % oauth2_server.CLIENT_ID, "client-id=")
    return text


def write_files():
    """Microsoft's provider file pointing at the local server, IT's settings
    for the domain, and the browser."""
    providers = os.path.join(CONFIG_HOME, "skrzynka", "oauth2")
    os.makedirs(providers, exist_ok=True)
    with open(os.path.join(providers, "microsoft.conf"), "w") as conf:
        conf.write(microsoft_file())

    autoconfig = os.path.join(CONFIG_HOME, "skrzynka", "autoconfig")
    os.makedirs(autoconfig, exist_ok=True)
    with open(os.path.join(autoconfig, DOMAIN + ".xml"), "w") as xml:
        xml.write(AUTOCONFIG.format(domain=DOMAIN, host=testca.HOST,
                                    imaps=Servers.dovecot.ports["imaps"],
                                    submission=Servers.dovecot.ports["submission"]))

    applications = os.path.join(DATA_HOME, "applications")
    os.makedirs(applications, exist_ok=True)
    with open(os.path.join(applications, "skrzynka-test-browser.desktop"), "w") as entry_file:
        entry_file.write(BROWSER.format(script=os.path.join(SERVERS, "oauth2_server.py")))
    with open(os.path.join(CONFIG_HOME, "mimeapps.list"), "w") as mimeapps:
        mimeapps.write("[Default Applications]\n"
                       "x-scheme-handler/https=skrzynka-test-browser.desktop\n"
                       "x-scheme-handler/http=skrzynka-test-browser.desktop\n")


def program():
    # The test CA is the computer's CA store for this run: the provider's
    # token endpoint and Dovecot are trusted as a real provider would be.
    return App(env={"SKRZYNKA_ISPDB_URL": "",
                    "SSL_CERT_FILE": Servers.ca.cafile,
                    "SSL_CERT_DIR": os.path.join(Servers.folder, "no-such-folder"),
                    "SK_OAUTH2_CAFILE": Servers.ca.cafile,
                    "LANG": "C.UTF-8", "LANGUAGE": "en"})


def shot(name):
    folder = os.environ.get("SK_UI_SCREENSHOTS")
    if folder:
        pyatspi.Registry.generateMouseEvent(0, 0, pyatspi.MOUSE_ABS)
        time.sleep(0.5)
        screenshot(os.path.join(folder, name + ".png"))


def texts_with(root, *words):
    return [t for t in label_texts(root) if all(w in t for w in words)]


def wait_text(root, *words, timeout=30):
    return wait_for("a text with %s" % " … ".join(words),
                    lambda: texts_with(root, *words), timeout)


def shown_buttons(root, name):
    return [b for b in find_all(root, pyatspi.ROLE_PUSH_BUTTON, name) if showing(b)]


def highlighted(node):
    """Whether a part of a guide is marked as the one to act on: its
    accessible description says so."""
    return node.description == "What to do now"


def keyring_token():
    run = subprocess.run(["secret-tool", "lookup", "role", "sign-in-microsoft"],
                         capture_output=True, text=True, check=False)
    return run.stdout.strip()


def new_account():
    app = program()
    window = app.window(ACCOUNTS)
    click(button(window, "Add account"))
    dialog = app.window(DIALOG)
    general = page(dialog, "SkGeneralPage")
    entry(general, "E-mail address").queryEditableText().setTextContents(ADDRESS)
    entry(general, "Name").queryEditableText().setTextContents("Kancelaria")
    wait_text(general, "This account signs in with Microsoft")
    return app, dialog, general


def use_settings(general):
    click(button(general, "Use these settings"))
    return wait_for("Sign in with Microsoft on tab 1",
                    lambda: next(iter(shown_buttons(general, "Sign in with Microsoft")), None))


# Cases

def test_sign_in_test_and_sign_out():
    write_files()
    app, dialog, general = new_account()
    shot("sign-in-1-found")
    sign_in = use_settings(general)

    # Tab 2 asks for no password: the sign-in row stands in its place.
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    wait_text(servers, "Not signed in")
    assert not [e for e in find_all(servers, pyatspi.ROLE_PASSWORD_TEXT, "Password")
                if showing(e)], "a password field for an account that signs in"
    open_advanced(servers)
    for name in ("Incoming authentication", "Outgoing authentication"):
        combo = find(servers, pyatspi.ROLE_COMBO_BOX, name)
        assert dropdown_value(combo) == "Sign in with Microsoft", (name, dropdown_value(combo))
    shot("sign-in-2-row")

    open_tab(dialog, 1)
    click(sign_in)
    # Tab 2 shows how it goes; the browser (the test script) answers.
    wait_text(servers, "Signed in as %s." % ADDRESS, timeout=60)
    assert keyring_token(), "no sign-in in the keyring"
    assert shown_buttons(servers, "Sign out")
    assert shown_buttons(servers, "Sign in again")
    shot("sign-in-3-signed-in")

    panel = page(servers, "SkTestPanel")
    click(button(panel, "Test connection"))
    wait_text(panel, EVERYTHING_WORKS, timeout=60)
    shot("sign-in-4-tested")

    # OK keeps the settings; the token stays in the keyring only.
    token = keyring_token()
    click(next(b for b in find_all(dialog, pyatspi.ROLE_PUSH_BUTTON, "OK") if showing(b)))
    app.no_window(DIALOG)
    with open(ACCOUNTS_FILE, encoding="utf-8") as saved:
        text = saved.read()
    assert "incoming-auth=oauth2" in text and "oauth2-provider=microsoft" in text, text
    assert token not in text
    for folder, _, names in os.walk(os.environ["HOME"]):
        for name in names:
            path = os.path.join(folder, name)
            if "keyrings" in path:
                continue
            try:
                with open(path, "rb") as f:
                    assert token.encode() not in f.read(), "the token is in %s" % path
            except OSError:
                pass

    # Opened again, the account is still signed in; Sign out forgets it.
    window = app.window(ACCOUNTS)
    click(button(window, "Edit"))
    dialog = app.window(DIALOG)
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    wait_text(servers, "Signed in as %s." % ADDRESS)
    click(shown_buttons(servers, "Sign out")[0])
    wait_text(servers, "Not signed in")
    assert keyring_token() == "", "Sign out left the token in the keyring"
    app.quit()


def test_admin_approval_says_what_to_ask():
    write_files()
    Servers.oauth.behaviour = "admin-approval"
    try:
        app, dialog, general = new_account()
        click(use_settings(general))
        servers = page(dialog, "SkServersPage")
        wait_text(servers, "administrator", timeout=60)
        assert keyring_token() == ""
        # The guide beside the tabs has the words for IT support.
        wait_for("the Microsoft 365 guide",
                 lambda: find_all(dialog, pyatspi.ROLE_PANEL, "Microsoft 365 guide", exact=True))
        assert checked(find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Microsoft 365 guide"))
        # The part to act on is marked.
        approval = find(dialog, pyatspi.ROLE_PANEL, "If your organisation must approve")
        wait_for("the approval part marked", lambda: highlighted(approval))
        wait_text(dialog, "please approve the mail program Skrzynka", ADDRESS)
        assert shown_buttons(dialog, "Copy the message for IT support")
        shot("sign-in-5-approval")
        app.quit()
    finally:
        Servers.oauth.behaviour = "approve"


def test_cancelled_account_keeps_no_sign_in():
    write_files()
    app, dialog, general = new_account()
    click(use_settings(general))
    servers = page(dialog, "SkServersPage")
    wait_text(servers, "Signed in as %s." % ADDRESS, timeout=60)
    assert keyring_token(), "no sign-in in the keyring"
    click(next(b for b in find_all(dialog, pyatspi.ROLE_PUSH_BUTTON, "Cancel") if showing(b)))
    discard = app.window("Discard")
    click(button(discard, "Discard"))
    app.no_window(DIALOG)
    wait_for("the sign-in to leave the keyring", lambda: keyring_token() == "")
    app.quit()


def test_google_account_signs_in_instead_of_an_app_password():
    """The Gmail guide's other way in: Google's servers, signed in to with
    the local server standing in for Google."""
    write_files()
    providers = os.path.join(CONFIG_HOME, "skrzynka", "oauth2")
    with open(os.path.join(providers, "google.conf"), "w") as conf:
        conf.write(Servers.oauth.provider_file(name="Google").replace(
            "hosts=%s" % testca.HOST,
            "hosts=imap.gmail.com;pop.gmail.com;smtp.gmail.com;imap.googlemail.com;"
            "pop.googlemail.com;smtp.googlemail.com"))
    try:
        app = program()
        click(button(app.window(ACCOUNTS), "Add account"))
        dialog = app.window(DIALOG)
        general = page(dialog, "SkGeneralPage")
        entry(general, "E-mail address").queryEditableText().setTextContents("biuro@gmail.com")
        guide = find(dialog, pyatspi.ROLE_PANEL, "Gmail guide", exact=True)
        wait_text(guide, "Until Google has verified Skrzynka")
        click(button(guide, "Sign in with Google instead"))

        servers = page(dialog, "SkServersPage")
        wait_text(servers, "Signed in as biuro@gmail.com.", timeout=60)
        open_advanced(servers)
        for name in ("Incoming authentication", "Outgoing authentication"):
            combo = find(servers, pyatspi.ROLE_COMBO_BOX, name)
            assert dropdown_value(combo) == "Sign in with Google", (name, dropdown_value(combo))
        incoming = get_text(entry(servers, "Incoming mail server"))
        assert incoming == "imap.gmail.com", incoming
        shot("sign-in-6-google")
        app.quit()
    finally:
        os.unlink(os.path.join(providers, "google.conf"))


def test_unconfigured_provider_has_no_button():
    write_files()
    with open(os.path.join(CONFIG_HOME, "skrzynka", "oauth2", "microsoft.conf"), "w") as conf:
        conf.write(microsoft_file(client=False))
    app, dialog, general = new_account()
    click(button(general, "Use these settings"))
    wait_text(general, "Signing in with Microsoft is not set up")
    assert not shown_buttons(general, "Sign in with Microsoft")
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    wait_text(servers, "Signing in with Microsoft is not set up")
    assert not shown_buttons(servers, "Sign in with Microsoft")
    app.quit()


if __name__ == "__main__":
    Servers.start()
    try:
        run_tests([test_sign_in_test_and_sign_out, test_admin_approval_says_what_to_ask,
                   test_cancelled_account_keeps_no_sign_in,
                   test_google_account_signs_in_instead_of_an_app_password,
                   test_unconfigured_provider_has_no_button])
    finally:
        Servers.stop()
