# atspi_driver.py — drives the real Skrzynka window through the
# accessibility tree, the way a screen reader or a person would.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback

# G_DEBUG=fatal-warnings is meant for the program under test.  GLib reads it
# once, when it is loaded: hidden from this driver's own GLib, it still
# reaches every program the tests start.  Otherwise the AT-SPI library's
# warnings about a tree that changed under it (dbind-WARNING, common under
# load) would abort the driver midway.
_G_DEBUG = os.environ.pop("G_DEBUG", None)
import pyatspi  # noqa: E402
if _G_DEBUG is not None:
    os.environ["G_DEBUG"] = _G_DEBUG

TIMEOUT = float(os.environ.get("SK_UI_TIMEOUT", "20"))


class UiError(AssertionError):
    pass


def wait_for(what, predicate, timeout=TIMEOUT):
    """Polls predicate until it returns something true, and returns that."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = predicate()
            if result:
                return result
        except Exception as error:  # the tree changes under our feet
            last_error = error
        time.sleep(0.1)
    raise UiError("timed out waiting for %s%s" %
                  (what, " (%s)" % last_error if last_error else ""))


def name_of(acc):
    try:
        return acc.name or ""
    except Exception:
        return ""


def states(acc):
    return acc.getState()


def showing(acc):
    # GTK 4.8 reports "visible" but never "showing"; a hidden stack or
    # notebook page still says "visible", so look in the right page.
    s = states(acc)
    return s.contains(pyatspi.STATE_SHOWING) or s.contains(pyatspi.STATE_VISIBLE)


def sensitive(acc):
    return states(acc).contains(pyatspi.STATE_SENSITIVE)


def checked(acc):
    s = states(acc)
    return s.contains(pyatspi.STATE_CHECKED) or s.contains(pyatspi.STATE_PRESSED)


def children(acc):
    try:
        return [acc.getChildAtIndex(i) for i in range(acc.childCount)]
    except Exception:
        return []


def walk(acc):
    stack = [acc]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        yield node
        stack.extend(reversed(children(node)))


def find_all(root, role=None, name=None, exact=False, visible=True):
    """Every descendant with role whose accessible name holds name.

    GTK 4.8 may double a mnemonic label's name ("_Name Name"), so names
    match by containment unless exact is set."""
    found = []
    for node in walk(root):
        if role is not None and node.getRole() != role:
            continue
        if name is not None:
            node_name = name_of(node)
            if exact and node_name != name:
                continue
            if not exact and name not in node_name:
                continue
        if visible and not showing(node):
            continue
        found.append(node)
    return found


def find(root, role=None, name=None, exact=False, visible=True):
    return wait_for("%s “%s”" % (pyatspi.Role(role) if role is not None else "widget", name),
                    lambda: (find_all(root, role, name, exact, visible) or [None])[0])


def toplevel(acc):
    node = acc
    while node.parent is not None and node.parent.getRole() != pyatspi.ROLE_APPLICATION:
        node = node.parent
    return node


def window_origin(title):
    """Where the X window titled title sits on the screen."""
    info = subprocess.run(["xwininfo", "-name", title], capture_output=True,
                          text=True, check=True).stdout
    fields = dict(line.strip().split(":", 1) for line in info.splitlines()
                  if line.strip().startswith("Absolute upper-left"))
    return (int(fields["Absolute upper-left X"]), int(fields["Absolute upper-left Y"]))


def click(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "press", "activate", "toggle"):
            action.doAction(i)
            return
    # GTK 4.8 gives check buttons no accessible action: use the mnemonic
    # of the label (Alt+letter) as a keyboard user would, or else click
    # with the mouse where the widget is.
    name = name_of(acc)
    mnemonic = name.find("_")
    if 0 <= mnemonic < len(name) - 1 and name[mnemonic + 1].isalnum():
        press_mnemonic(name[mnemonic + 1].lower())
        return
    x, y, width, height = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    left, top = window_origin(name_of(toplevel(acc)))
    pyatspi.Registry.generateMouseEvent(left + x + width // 2, top + y + height // 2,
                                        pyatspi.MOUSE_B1C)


def set_text(acc, text):
    acc.queryEditableText().setTextContents(text)
    wait_for("text “%s” to be set" % text, lambda: get_text(acc) == text, timeout=5)


def get_text(acc):
    t = acc.queryText()
    return t.getText(0, t.characterCount)


def labels_text(root):
    return [name_of(n) or get_text(n) for n in find_all(root, pyatspi.ROLE_LABEL)]


class App:
    """One run of the real program, under the AT-SPI bus of the session."""

    running = []

    def __init__(self, env=None, args=()):
        binary = os.environ["SKRZYNKA_BINARY"]
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.process = subprocess.Popen([binary] + list(args), env=self.env)
        App.running.append(self)
        self.app = wait_for("the application on the accessibility bus", self._find_app)

    def _find_app(self):
        desktop = pyatspi.Registry.getDesktop(0)
        for app in children(desktop):
            try:
                if app.get_process_id() == self.process.pid:
                    return app
            except Exception:
                continue
        if self.process.poll() is not None:
            raise UiError("the program exited with status %d" % self.process.returncode)
        return None

    def window(self, title, timeout=TIMEOUT):
        def look():
            for win in children(self.app):
                if title in name_of(win) and showing(win):
                    return win
            return None
        return wait_for("the window “%s”" % title, look, timeout)

    def no_window(self, title, timeout=TIMEOUT):
        def gone():
            return not any(title in name_of(w) and showing(w) for w in children(self.app))
        wait_for("the window “%s” to close" % title, gone, timeout)

    def quit(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def run_tests(tests):
    """Runs the test functions and speaks TAP, which meson reads."""
    print("1..%d" % len(tests), flush=True)
    failed = 0
    for number, test in enumerate(tests, 1):
        name = test.__name__
        try:
            test()
            print("ok %d - %s" % (number, name), flush=True)
        except Exception:
            failed += 1
            print("not ok %d - %s" % (number, name), flush=True)
            for line in traceback.format_exc().splitlines():
                print("# " + line, flush=True)
        finally:
            # A failed test must not leave its program to answer the next
            # one's start (the application is single-instance).
            while App.running:
                App.running.pop().quit()
    sys.exit(1 if failed else 0)


def press_keys(*keysyms):
    """Types keys into whatever has the keyboard focus (XTest, via AT-SPI)."""
    for keysym in keysyms:
        pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
        time.sleep(0.15)


def press_mnemonic(letter):
    """Alt+letter: holds Mod1 (Alt) locked while the letter is typed."""
    from gi.repository import Atspi
    mod1 = 1 << 3
    Atspi.generate_keyboard_event(mod1, None, Atspi.KeySynthType.LOCKMODIFIERS)
    pyatspi.Registry.generateKeyboardEvent(ord(letter), None, pyatspi.KEY_SYM)
    Atspi.generate_keyboard_event(mod1, None, Atspi.KeySynthType.UNLOCKMODIFIERS)
    time.sleep(0.15)


KEY_HOME = 0xff50
KEY_DOWN = 0xff54
KEY_RETURN = 0xff0d
KEY_ESCAPE = 0xff1b


def dropdown_value(combo):
    """The text a GtkDropDown shows for its selected item."""
    for node in walk(combo):
        if node.getRole() == pyatspi.ROLE_LABEL and name_of(node) != "(None)":
            return name_of(node)
    return None


def choose(combo, item):
    """Opens a GtkDropDown and picks item by keyboard, as a person would.

    GTK 4.8 offers no action on the popup's rows, so the keyboard is the
    honest way in."""
    click(combo.getChildAtIndex(0))

    def popup_rows():
        for node in walk(combo):
            if node.getRole() == pyatspi.ROLE_LIST and name_of(node) == "GtkListView":
                rows = [name_of(label) for row in children(node)
                        for label in walk(row) if label.getRole() == pyatspi.ROLE_LABEL]
                if rows:
                    return rows
        return None
    rows = wait_for("the list of %s" % name_of(combo), popup_rows)
    if item not in rows:
        raise UiError("“%s” is not among %s" % (item, rows))
    press_keys(KEY_HOME, *([KEY_DOWN] * rows.index(item)), KEY_RETURN)
    wait_for("%s to show “%s”" % (name_of(combo), item),
             lambda: dropdown_value(combo) == item)


def import_key_file(lines):
    """Adds the account the key-file lines describe ("[Account]" first),
    as IT support would with `skrzynka --import`."""
    with tempfile.NamedTemporaryFile("w", suffix=".conf", encoding="utf-8",
                                     delete=False) as export:
        export.write("\n".join(lines) + "\n")
    try:
        # Its report on standard output would break the TAP stream.
        result = subprocess.run([os.environ["SKRZYNKA_BINARY"], "--import", export.name],
                                capture_output=True, text=True, check=False)
    finally:
        os.unlink(export.name)
    if result.returncode != 0:
        raise UiError("--import failed: %s%s" % (result.stdout, result.stderr))


# Helpers for the Account properties dialog, shared by the tests that open it.

def button(root, name):
    return find(root, pyatspi.ROLE_PUSH_BUTTON, name)


def entry(root, name):
    """A text field by its accessible name: plain, password or spin button."""
    for role in (pyatspi.ROLE_TEXT, pyatspi.ROLE_PASSWORD_TEXT,
                 pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_ENTRY):
        found = find_all(root, role, name)
        if found:
            return found[0]
    return find(root, pyatspi.ROLE_TEXT, name)


def open_tab(dialog, number):
    tabs = find(dialog, pyatspi.ROLE_PAGE_TAB_LIST)
    tabs.querySelection().selectChild(number - 1)
    return wait_for("tab %d" % number,
                    lambda: children(tabs)[number - 1].getState().contains(pyatspi.STATE_SELECTED))


def page(dialog, type_name):
    return find(dialog, pyatspi.ROLE_FILLER, type_name)


def open_advanced(servers):
    if not find_all(servers, pyatspi.ROLE_TEXT, "Incoming port"):
        click(button(servers, "Advanced settings"))
    return wait_for("the advanced settings",
                    lambda: find_all(servers, pyatspi.ROLE_TEXT, "Incoming port"))


def label_texts(root):
    """What every label under root shows (not its accessible name)."""
    texts = []
    for node in find_all(root, pyatspi.ROLE_LABEL):
        try:
            texts.append(get_text(node))
        except Exception:
            continue
    return texts


def screenshot(path):
    """The whole X screen as a PNG (imagemagick), for a person to look at."""
    subprocess.run(["import", "-display", os.environ["DISPLAY"], "-window", "root", path],
                   check=True)
