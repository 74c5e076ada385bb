#!/usr/bin/python3
# test-gmail.py — the Gmail guide beside the Account properties dialog, the
# servers detected from the address, Google's settings filled in with one
# click and app passwords pasted the way Google shows them, driven through
# the accessibility tree of the real program.
#
# Runs inside tests/session.sh --x11 --keyring.  With SK_UI_SCREENSHOTS=DIR
# it also saves what the screen looked like at each stage, for a person to
# look at.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "servers"))
import scripted  # noqa: E402

from atspi_driver import (App, button, checked, click, entry, find,  # noqa: E402
                          find_all, get_text, label_texts, name_of, open_advanced,
                          open_tab, page, press_keys, pyatspi, run_tests,
                          screenshot, sensitive, wait_for, walk)

ACCOUNTS = "E-mail Accounts"
DIALOG = "Account Properties"
CONFIG = os.path.join(os.environ["XDG_CONFIG_HOME"], "skrzynka", "accounts.conf")

ADDRESS = "biuro.firmy@gmail.com"
PASTED = "abcd efgh ijkl mnop"
APP_PASSWORD = "abcdefghijklmnop"
GO_BACK = "Go back to this step"
KEY_F1 = 0xffbe


def shot(name):
    folder = os.environ.get("SK_UI_SCREENSHOTS")
    if folder:
        # What a person would see once the last change has been drawn, with
        # no tooltip left over from the last click.
        pyatspi.Registry.generateMouseEvent(0, 0, pyatspi.MOUSE_ABS)
        time.sleep(0.5)
        screenshot(os.path.join(folder, name + ".png"))


def keyring(role):
    """The passwords the keyring holds for role, as secret-tool sees them."""
    result = subprocess.run(["secret-tool", "search", "--all", "--unlock", "role", role],
                            capture_output=True, text=True, check=False)
    return [line.split(" = ", 1)[1] for line in result.stdout.splitlines()
            if line.startswith("secret = ")]


def browser_registered():
    """Whether this machine would start a browser for an https address:
    the test must not open one."""
    result = subprocess.run(["gio", "mime", "x-scheme-handler/https"],
                            capture_output=True, text=True, check=False)
    return result.returncode == 0 and "No default" not in result.stdout


def guide_of(dialog):
    return find(dialog, pyatspi.ROLE_PANEL, "Gmail guide", exact=True)


def steps_of(guide):
    return [n for n in find_all(guide, pyatspi.ROLE_PANEL)
            if name_of(n).startswith("Step ")]


def step_box(guide, number):
    return find(guide, pyatspi.ROLE_CHECK_BOX, "Step %d done" % number, exact=True)


def description(acc):
    try:
        return acc.description or ""
    except Exception:
        return ""


def highlighted(guide):
    return [name_of(n) for n in steps_of(guide) if description(n) == GO_BACK]


def set_checked(acc, value):
    if checked(acc) != value:
        click(acc)
    wait_for("“%s” to be %s" % (name_of(acc), "ticked" if value else "clear"),
             lambda: checked(acc) == value)


def paste(field, text):
    """Puts text into field at once, as a paste does."""
    field.queryEditableText().setTextContents(text)


def password_shown(field, expected):
    """A password field shows dots, or the password when revealed."""
    shown = get_text(field)
    return shown in (expected, "•" * len(expected))


def new_account():
    app = App()
    window = app.window(ACCOUNTS)
    click(button(window, "Add account"))
    return app, window, app.window(DIALOG)


def test_guide_fill_in_and_app_password():
    if os.path.exists(CONFIG):
        os.unlink(CONFIG)
    app, window, dialog = new_account()
    general = page(dialog, "SkGeneralPage")
    assert not find_all(dialog, pyatspi.ROLE_PANEL, "Gmail guide", exact=True), \
        "the guide is open before any address is typed"

    entry(general, "Name").queryEditableText().setTextContents("Biuro firmy")
    paste(entry(general, "E-mail address"), ADDRESS)

    # A Gmail address opens the guide by itself, with its five steps.
    guide = guide_of(dialog)
    steps = wait_for("five steps", lambda: len(steps_of(guide)) == 5 and steps_of(guide))
    names = [name_of(s) for s in steps]
    for number, name in enumerate(names, 1):
        assert name.startswith("Step %d: " % number), names
    for number in range(1, 6):
        assert not checked(step_box(guide, number)), "step %d is ticked already" % number
    security = find(guide, pyatspi.ROLE_PUSH_BUTTON, "Open Google security settings", exact=True)
    find(guide, pyatspi.ROLE_PUSH_BUTTON, "Open app passwords", exact=True)
    find(guide, pyatspi.ROLE_PUSH_BUTTON, "Fill in Gmail settings", exact=True)
    assert checked(find(dialog, pyatspi.ROLE_PUSH_BUTTON, "Gmail guide")), \
        "the Gmail guide button does not show the guide as open"

    # The address also offers Google's servers right under it.
    wait_for("the offer of Gmail's servers",
             lambda: any("Gmail" in t and "Fill them in" in t for t in label_texts(general)))
    shot("1-guide")

    # No browser here: the button must say where to go instead of failing.
    if browser_registered():
        print("# a browser is registered for https: not clicking the link buttons", flush=True)
    else:
        click(security)
        wait_for("the address to open by hand",
                 lambda: any("myaccount.google.com/security" in t for t in label_texts(guide)))
        assert app.process.poll() is None, "the program ended when no browser could open"
        shot("1-no-browser")

    set_checked(step_box(guide, 1), True)
    set_checked(step_box(guide, 2), True)

    # One click fills in Google's servers on tab 2.
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    click(find(servers, pyatspi.ROLE_PUSH_BUTTON, "Fill in Gmail settings"))
    wait_for("the incoming server", lambda: get_text(entry(servers, "Incoming mail server"))
             == "imap.gmail.com")
    assert get_text(entry(servers, "Outgoing mail server (SMTP)")) == "smtp.gmail.com"
    assert get_text(entry(servers, "E-mail user name")) == ADDRESS
    wait_for("what was filled in, said",
             lambda: any("imap.gmail.com" in t and "smtp.gmail.com" in t
                         for t in label_texts(servers)))
    open_advanced(servers)
    assert get_text(entry(servers, "Incoming port")) == "993"
    assert get_text(entry(servers, "Outgoing port")) == "465"

    # Google shows the app password in four groups; the field keeps it whole.
    password = entry(servers, "Password")
    paste(password, "abcd efgh ijkl")
    wait_for("the hint about 16 letters",
             lambda: any("16 letters" in t for t in label_texts(servers)))
    shot("2-password-hint")
    paste(password, PASTED)
    wait_for("the spaces to go", lambda: password_shown(password, APP_PASSWORD))
    wait_for("the hint to go", lambda: not any("16 letters" in t for t in label_texts(servers)))
    shot("2-servers-filled")

    ok = find(dialog, pyatspi.ROLE_PUSH_BUTTON, "_OK")
    wait_for("OK to become usable", lambda: sensitive(ok))
    click(ok)
    app.no_window(DIALOG)
    wait_for("the app password in the keyring", lambda: keyring("incoming") == [APP_PASSWORD])
    with open(CONFIG, encoding="utf-8") as config:
        text = config.read()
    assert "guide-steps=1;2" in text, "the ticks are not saved:\n" + text
    assert APP_PASSWORD not in text, "the password was written to accounts.conf"

    # Opened again, the account remembers the ticks, and the guide opens.
    table = find(window, pyatspi.ROLE_TREE_TABLE, "Accounts")
    wait_for("the account in the list",
             lambda: any(name_of(n) == "Biuro firmy" for n in walk(table)))
    click(button(window, "Edit"))
    dialog = app.window(DIALOG)
    guide = guide_of(dialog)
    wait_for("steps 1 and 2 ticked",
             lambda: checked(step_box(guide, 1)) and checked(step_box(guide, 2)))
    for number in (3, 4, 5):
        assert not checked(step_box(guide, number)), "step %d is ticked" % number

    # F1 closes and opens the guide from the keyboard.
    press_keys(KEY_F1)
    wait_for("the guide to close",
             lambda: not find_all(dialog, pyatspi.ROLE_PANEL, "Gmail guide", exact=True))
    press_keys(KEY_F1)
    guide_of(dialog)
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    wait_for("the password from the keyring",
             lambda: password_shown(entry(servers, "Password"), APP_PASSWORD))
    app.quit()


def point_at(app, dialog, incoming, outgoing):
    """A new Gmail account whose servers are the scripted ones (Google's
    words, the tests' certificates), on tab 2; returns tab 2, its test
    panel and the guide."""
    general = page(dialog, "SkGeneralPage")
    entry(general, "Name").queryEditableText().setTextContents("Poczta")
    paste(entry(general, "E-mail address"), ADDRESS)
    guide = guide_of(dialog)

    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    click(find(servers, pyatspi.ROLE_PUSH_BUTTON, "Fill in Gmail settings"))
    wait_for("Google's servers", lambda: get_text(entry(servers, "Incoming mail server"))
             == "imap.gmail.com")
    paste(entry(servers, "Incoming mail server"), incoming.host)
    paste(entry(servers, "Outgoing mail server (SMTP)"), outgoing.host)
    open_advanced(servers)
    paste(entry(servers, "Incoming port"), str(incoming.port))
    paste(entry(servers, "Outgoing port"), str(outgoing.port))
    paste(entry(servers, "Password"), PASTED)
    return servers, page(servers, "SkTestPanel"), guide


def test_until_step(panel, guide, step):
    """Tests, trusting the tests' own certificates as they come up (as a
    person would after comparing them), until the guide marks step."""
    start = button(panel, "Test connection")
    wait_for("the test to become possible", lambda: sensitive(start))
    assert not highlighted(guide), "a step is marked before any test"
    click(start)

    def fingerprint():
        for node in find_all(panel, pyatspi.ROLE_LABEL, "Fingerprint (SHA-256)"):
            if get_text(node) != "Fingerprint (SHA-256)":
                return get_text(node)
        return None

    def trusting():
        return find_all(panel, pyatspi.ROLE_PUSH_BUTTON, "Trust this certificate")

    def marked():
        trust = trusting()
        if trust:
            # Each server has a certificate of its own: once one is trusted,
            # the other may be asked about next.
            shown = fingerprint()
            click(trust[0])
            wait_for("the test with the certificate trusted",
                     lambda: not trusting() or fingerprint() != shown)
            return False
        return [name[:7] for name in highlighted(guide)] == ["Step %d:" % step]
    wait_for("step %d marked" % step, marked, timeout=60)


def test_app_password_required_highlights_step_3():
    """Google's "Application-specific password required" sends the person
    back to step 3; the next test clears the mark."""
    with scripted.start("google-imap-app-password-required") as imap, \
            scripted.start("google-smtp-app-password-required") as smtp, \
            scripted.start("silent") as silent:
        app, window, dialog = new_account()
        servers, panel, guide = point_at(app, dialog, imap, smtp)
        test_until_step(panel, guide, 3)
        wait_for("Google's reason, in plain words",
                 lambda: any("app password" in t for t in label_texts(panel)))
        shot("3-step-highlighted")

        paste(entry(servers, "Incoming port"), str(silent.port))
        click(button(panel, "Test again"))
        cancel = button(panel, "Cancel test")
        wait_for("the mark to go", lambda: not highlighted(guide))
        click(cancel)
        app.quit()


def test_web_login_offers_google_sign_in():
    """Google's "Web login required" marks step 1 and offers its own
    sign-in page, and only that."""
    with scripted.start("google-imap-web-login-required") as imap, \
            scripted.start("google-smtp-web-login-required") as smtp:
        app, window, dialog = new_account()
        servers, panel, guide = point_at(app, dialog, imap, smtp)
        test_until_step(panel, guide, 1)
        sign_in = find(guide, pyatspi.ROLE_PUSH_BUTTON, "Sign in to Google in the browser",
                       exact=True)
        shot("4-web-login")
        if not browser_registered():
            click(sign_in)
            wait_for("Google's sign-in page to open by hand",
                     lambda: any("https://accounts.google.com/" in t
                                 for t in label_texts(guide)))
            assert app.process.poll() is None, "the program ended when no browser could open"
        app.quit()


def test_offer_under_the_address():
    """The servers the address suggests are offered, not forced."""
    app, window, dialog = new_account()
    general = page(dialog, "SkGeneralPage")
    paste(entry(general, "E-mail address"), "jan.nowak@googlemail.com")
    fill = wait_for("the offer", lambda: find_all(general, pyatspi.ROLE_PUSH_BUTTON, "Fill in"))[0]
    open_tab(dialog, 2)
    servers = page(dialog, "SkServersPage")
    assert get_text(entry(servers, "Incoming mail server")) == "", \
        "the servers were filled in without asking"

    open_tab(dialog, 1)
    click(fill)
    wait_for("what was filled in, said",
             lambda: any("Filled in" in t for t in label_texts(general)))
    assert not find_all(general, pyatspi.ROLE_PUSH_BUTTON, "Fill in"), "the offer stays"
    shot("5-offer-accepted")
    open_tab(dialog, 2)
    wait_for("Google's servers", lambda: get_text(entry(servers, "Incoming mail server"))
             == "imap.gmail.com")
    assert get_text(entry(servers, "E-mail user name")) == "jan.nowak@googlemail.com"

    # Servers the person typed are never offered to be replaced.
    paste(entry(servers, "Incoming mail server"), "poczta.firma.example")
    open_tab(dialog, 1)
    paste(entry(general, "E-mail address"), "jan.nowak@gmail.com")
    time.sleep(1.5)
    assert not find_all(general, pyatspi.ROLE_PUSH_BUTTON, "Fill in"), \
        "typed servers are offered to be replaced"
    app.quit()


if __name__ == "__main__":
    run_tests([test_guide_fill_in_and_app_password, test_app_password_required_highlights_step_3,
               test_web_login_offers_google_sign_in, test_offer_under_the_address])
