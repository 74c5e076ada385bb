#!/usr/bin/python3
# dovecot.py — a real Dovecot 2.3 of the tests' own on 127.0.0.1: IMAP, POP3
# and SMTP submission, each with a STARTTLS port and an implicit-TLS port,
# a certificate from a test CA made at start, one user with a password.
#
# As a module:
#
#     with dovecot.start() as server:            # or start(cert="expired")
#         server.ports["imaps"], server.cafile, server.user, server.password
#         server.messages()     # what submission relayed to the sink, as bytes
#
# From a shell (the variables go to CMD, which runs while Dovecot does):
#
#     dovecot.py [--cert good|expired|wrong-host] --print-env -- CMD ARGS…
#
# SK_DOVECOT_HOST, SK_DOVECOT_IMAP, SK_DOVECOT_IMAPS, SK_DOVECOT_POP3,
# SK_DOVECOT_POP3S, SK_DOVECOT_SUBMISSION, SK_DOVECOT_SUBMISSIONS,
# SK_DOVECOT_CAFILE, SK_DOVECOT_USER, SK_DOVECOT_PASSWORD, SK_DOVECOT_LOG,
# SK_DOVECOT_RECEIVED (the folder where the sink keeps each message).
# Without CMD, --print-env prints them as shell assignments and keeps
# Dovecot running until standard input ends or a signal comes.
#
# The system's own Dovecot (its configuration, its folders, its service) is
# never touched: everything lives in a temp folder that goes at stop.  What
# is started here stops with the process that started it, however that
# process ends: stop(), atexit, and a watchdog process that outlives a
# killed parent just long enough to clean up.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import atexit
import ctypes
import os
import pwd
import grp
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testca  # noqa: E402

HOST = testca.HOST
DEFAULT_USER = "biuro@skrzynka.test"
# Distinctive and not ASCII, so that a leak is easy to find in any output.
DEFAULT_PASSWORD = "Zx9-unikalne-hasło"
START_TIMEOUT = 20.0

# (service, listener, implicit TLS)
LISTENERS = (
    ("imap-login", "imap", False),
    ("imap-login", "imaps", True),
    ("pop3-login", "pop3", False),
    ("pop3-login", "pop3s", True),
    ("submission-login", "submission", False),
    ("submission-login", "submissions", True),
)

CONFIG = """\
# Written by tests/servers/dovecot.py; nothing outside {dir} is used.
instance_name = skrzynka-test-{instance}
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
info_log_path = {dir}/dovecot.log
auth_verbose = yes
auth_debug_passwords = no
hostname = localhost

listen = {host}
protocols = imap pop3 submission
{users}
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain login{oauth2_mechanisms}
auth_failure_delay = 0
disable_plaintext_auth = yes
{oauth2_passdb}
passdb {{
  driver = passwd-file
  args = scheme=SHA512-CRYPT {dir}/passwd{password_mechanisms}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={dir}/mail/%n
}}
mail_location = maildir:{dir}/mail/%n/Maildir

submission_relay_host = {host}
submission_relay_port = {relay_port}
submission_relay_trusted = yes
submission_relay_ssl = no

{services}
"""


# Bearer tokens (XOAUTH2, OAUTHBEARER) checked against an introspection
# endpoint (NOTES.md "OAuth 2.0 against real Dovecot"); passwords still
# work through PLAIN and LOGIN.
OAUTH2_PASSDB = """
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {dir}/oauth2.conf.ext
}}
"""

OAUTH2_CONFIG = """\
introspection_url = {url}
introspection_mode = post
username_attribute = email
active_attribute = active
active_value = true
timeout_msecs = 5000
"""


def free_ports(count):
    """count distinct ports nobody listens on now (bound, then released)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((HOST, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def accepts(port):
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def _die_with_parent():
    # Runs in the child between fork and exec: SIGTERM when the parent
    # thread ends, however it ends.
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _spawn(args, **kwargs):
    """Starts args in a process group of its own (so that the whole group
    can be ended at once, and a Ctrl+C or a test runner's signal to our
    group does not reach it before we are ready)."""
    if threading.current_thread() is threading.main_thread():
        # PDEATHSIG follows the thread that forked, not the process.
        kwargs["preexec_fn"] = _die_with_parent
    return subprocess.Popen(args, start_new_session=True, stdin=subprocess.DEVNULL,
                            **kwargs)


WATCHDOG = """
import os, shutil, signal, sys, time
groups = [int(g) for g in sys.argv[2:]]
folder = sys.argv[1]
def clean(*_):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = []
        for group in groups:
            try:
                os.killpg(group, sig)
                alive.append(group)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 3
        while alive and time.monotonic() < deadline:
            time.sleep(0.05)
            alive = [g for g in alive if _exists(g)]
        if not alive:
            break
    shutil.rmtree(folder, ignore_errors=True)
    os._exit(0)
def _exists(group):
    try:
        os.killpg(group, 0)
        return True
    except ProcessLookupError:
        return False
signal.signal(signal.SIGTERM, clean)
signal.signal(signal.SIGINT, signal.SIG_IGN)
if sys.stdin.buffer.read() != b"stopped":
    clean()
"""


class Watchdog:
    """A process that ends the given process groups and removes folder
    when the pipe from us closes without a word: our process died."""

    def __init__(self, folder, groups):
        read_end, self._pipe = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", WATCHDOG, folder] + [str(g) for g in groups],
                stdin=read_end, start_new_session=True)
        finally:
            os.close(read_end)

    def release(self):
        """Everything was stopped in order: the watchdog leaves quietly."""
        if self._pipe is None:
            return
        os.write(self._pipe, b"stopped")
        os.close(self._pipe)
        self._pipe = None
        self.process.wait()


class Dovecot:
    """One running Dovecot; see start()."""

    def __init__(self, cert=testca.GOOD, ca=None, user=DEFAULT_USER,
                 password=DEFAULT_PASSWORD, sink=True, names=None, introspection=None):
        self.host = HOST
        self.user = user
        self.password = password
        self.ports = {}
        self.sink_port = None
        self.received = None
        self._processes = []
        self._watchdog = None
        self._stopped = False

        self.folder = tempfile.mkdtemp(prefix="skrzynka-dovecot.")
        atexit.register(self.stop)
        try:
            self._start(cert, ca, sink, names, introspection)
        except BaseException:
            self.stop()
            raise

    def _start(self, cert_kind, ca, sink, names, introspection):
        # Dovecot's auth process runs as an unprivileged user and must be
        # able to walk down to the passwd-file.
        path = self.folder
        while path not in ("/", ""):
            if os.stat(path).st_mode & 0o005 != 0o005 and os.access(path, os.W_OK):
                os.chmod(path, os.stat(path).st_mode | 0o755)
            path = os.path.dirname(path)

        ca = ca or testca.TestCA(os.path.join(self.folder, "ca"))
        self.ca = ca
        self.cafile = ca.cafile
        self.cert, key = ca.issue(cert_kind, names=names,
                                  name="dovecot-%s-%d-%d" % (cert_kind, os.getpid(), id(self)))
        self.log = os.path.join(self.folder, "dovecot.log")

        ports = free_ports(len(LISTENERS) + 1)
        self.ports = {name: port for (_, name, _), port in zip(LISTENERS, ports)}
        relay_port = ports[-1]

        mail = os.path.join(self.folder, "mail")
        os.mkdir(mail)
        if os.geteuid() == 0:
            uid, gid = "nobody", "nogroup"
            os.chown(mail, pwd.getpwnam(uid).pw_uid, grp.getgrnam(gid).gr_gid)
            users = ""
        else:
            me = pwd.getpwuid(os.getuid()).pw_name
            group = grp.getgrgid(os.getgid()).gr_name
            uid, gid = me, group
            users = ("default_login_user = %s\ndefault_internal_user = %s\n"
                     "default_internal_group = %s\n" % (me, me, group))

        services = []
        for service in dict.fromkeys(s for s, _, _ in LISTENERS):
            lines = ["service %s {" % service]
            if os.geteuid() != 0:
                lines.append("  chroot =")
            for owner, name, implicit in LISTENERS:
                if owner != service:
                    continue
                # A listener's block must span several lines.
                lines += ["  inet_listener %s {" % name,
                          "    address = %s" % HOST,
                          "    port = %d" % self.ports[name]]
                if implicit:
                    lines.append("    ssl = yes")
                lines.append("  }")
            lines.append("}")
            services.append("\n".join(lines))
        # Without the anvil's penalty socket the auth process keeps no
        # penalty: a wrong password in one test would slow down every later
        # login from 127.0.0.1 by up to 15 s.
        services.append("service anvil {\n%s"
                        "  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}"
                        % ("  chroot =\n" if os.geteuid() != 0 else ""))

        if introspection:
            oauth2_config = os.path.join(self.folder, "oauth2.conf.ext")
            with open(oauth2_config, "w") as config:
                config.write(OAUTH2_CONFIG.format(url=introspection))
            os.chmod(oauth2_config, 0o644)

        self.config = os.path.join(self.folder, "dovecot.conf")
        with open(self.config, "w") as config:
            config.write(CONFIG.format(
                dir=self.folder, instance=os.path.basename(self.folder), host=HOST,
                users=users, cert=self.cert, key=key, uid=uid, gid=gid,
                oauth2_mechanisms=" xoauth2 oauthbearer" if introspection else "",
                oauth2_passdb=OAUTH2_PASSDB.format(dir=self.folder) if introspection else "",
                password_mechanisms="\n  mechanisms = plain login" if introspection else "",
                relay_port=relay_port, services="\n".join(services)))

        # The password goes to doveadm on its command line: a test password,
        # on a test machine, and doveadm offers no other way but a terminal.
        hashed = subprocess.run(
            ["doveadm", "-c", self.config, "pw", "-s", "SHA512-CRYPT", "-p", self.password],
            capture_output=True, text=True, check=True).stdout.strip()
        passwd = os.path.join(self.folder, "passwd")
        with open(passwd, "w") as passwd_file:
            passwd_file.write("%s:%s::::::\n" % (self.user, hashed))
        os.chmod(passwd, 0o644)

        self._dovecot_out = open(os.path.join(self.folder, "dovecot.out"), "w")
        dovecot = _spawn(["dovecot", "-F", "-c", self.config],
                         stdout=self._dovecot_out, stderr=subprocess.STDOUT)
        self._processes.append(dovecot)
        if sink:
            # Submission relays a message here; it is kept as a file
            # (sink.py), for messages() to read.
            self.sink_port = relay_port
            self.received = os.path.join(self.folder, "received")
            here = os.path.dirname(os.path.abspath(__file__))
            sink = _spawn(["/usr/bin/python3", "-m", "aiosmtpd", "-n",
                           "-l", "%s:%d" % (HOST, relay_port),
                           "-c", "sink.Keep", self.received],
                          env=dict(os.environ, PYTHONPATH=here),
                          stdout=self._dovecot_out, stderr=subprocess.STDOUT)
            self._processes.append(sink)
        self._watchdog = Watchdog(self.folder, [p.pid for p in self._processes])

        waiting = list(self.ports.values()) + ([relay_port] if sink else [])
        deadline = time.monotonic() + START_TIMEOUT
        while waiting:
            for process in self._processes:
                if process.poll() is not None:
                    raise RuntimeError("%s exited with status %d:\n%s"
                                       % (process.args[0], process.returncode,
                                          self.diagnostics()))
            waiting = [port for port in waiting if not accepts(port)]
            if waiting and time.monotonic() > deadline:
                raise RuntimeError("ports %s did not open within %.0f s:\n%s"
                                   % (waiting, START_TIMEOUT, self.diagnostics()))
            if waiting:
                time.sleep(0.05)

    def diagnostics(self):
        """Dovecot's log and output, for a failure message."""
        text = []
        for name in ("dovecot.out", "dovecot.log"):
            try:
                with open(os.path.join(self.folder, name), errors="replace") as f:
                    text.append(f.read())
            except OSError:
                pass
        return "".join(text)

    def log_text(self):
        """What Dovecot logged so far (passwords are never logged)."""
        try:
            with open(self.log, errors="replace") as log:
                return log.read()
        except OSError:
            return ""

    def messages(self):
        """Every message the sink received so far, oldest first, each as
        the bytes that came over the wire."""
        if self.received is None or not os.path.isdir(self.received):
            return []
        found = []
        for name in sorted(os.listdir(self.received)):
            if name.endswith(".eml") and not name.startswith("."):
                with open(os.path.join(self.received, name), "rb") as message:
                    found.append(message.read())
        return found

    def env(self):
        """The SK_DOVECOT_* variables describing this server."""
        variables = {"SK_DOVECOT_" + name.upper(): str(port)
                     for name, port in self.ports.items()}
        variables.update(SK_DOVECOT_HOST=self.host, SK_DOVECOT_CAFILE=self.cafile,
                         SK_DOVECOT_USER=self.user, SK_DOVECOT_PASSWORD=self.password,
                         SK_DOVECOT_LOG=self.log)
        if self.received is not None:
            variables.update(SK_DOVECOT_RECEIVED=self.received)
        return variables

    def stop(self):
        """Ends Dovecot and the sink, every process of theirs, and removes
        the temp folder.  Safe to call more than once."""
        if self._stopped:
            return
        self._stopped = True
        atexit.unregister(self.stop)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for process in self._processes:
                try:
                    os.killpg(process.pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 5
            for process in self._processes:
                try:
                    process.wait(timeout=max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    pass
            # The master is gone: wait for the rest of its group, too.
            while time.monotonic() < deadline and any(_group_alive(p.pid) for p in self._processes):
                time.sleep(0.05)
            if not any(_group_alive(p.pid) for p in self._processes):
                break
        if getattr(self, "_dovecot_out", None):
            self._dovecot_out.close()
        if self._watchdog:
            self._watchdog.release()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _group_alive(group):
    try:
        os.killpg(group, 0)
        return True
    except ProcessLookupError:
        return False


def start(cert=testca.GOOD, ca=None, user=DEFAULT_USER, password=DEFAULT_PASSWORD,
          sink=True, names=None, introspection=None):
    """Starts a Dovecot and returns it once every port accepts connections.

    cert: "good", "expired" or "wrong-host" (see testca); ca: a
    testca.TestCA to sign with (one of its own otherwise); sink: relay
    submitted mail to an aiosmtpd sink (else submission accepts logins but
    cannot send); names: the certificate's subjectAltName in place of the
    kind's ("DNS:firma.test,DNS:*.firma.test"); introspection: an OAuth 2.0
    introspection URL, to accept bearer tokens (XOAUTH2, OAUTHBEARER) it
    vouches for besides the password."""
    return Dovecot(cert=cert, ca=ca, user=user, password=password, sink=sink, names=names,
                   introspection=introspection)


def main():
    parser = argparse.ArgumentParser(
        description="Runs a Dovecot of its own on %s for tests." % HOST)
    parser.add_argument("--cert", choices=testca.KINDS, default=testca.GOOD,
                        help="the server certificate (default: good)")
    parser.add_argument("--user", default=DEFAULT_USER)
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--no-sink", action="store_true",
                        help="start no SMTP sink for submission to relay to")
    parser.add_argument("--print-env", action="store_true",
                        help="give the SK_DOVECOT_* variables to CMD, or print them")
    parser.add_argument("command", nargs=argparse.REMAINDER,
                        help="-- CMD ARGS…: run CMD while Dovecot runs")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not args.print_env:
        parser.error("--print-env is required")

    # A signal ends us through SystemExit, so that stop() runs.
    child = None

    def on_signal(number, _frame):
        if child is not None and child.poll() is None:
            child.send_signal(number)
        raise SystemExit(128 + number)
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, on_signal)

    with start(cert=args.cert, user=args.user, password=args.password,
               sink=not args.no_sink) as server:
        if not command:
            for name, value in sorted(server.env().items()):
                print("%s=%s" % (name, shlex.quote(value)), flush=True)
            sys.stdin.read()
            return 0
        child = subprocess.Popen(command, env=dict(os.environ, **server.env()))
        while True:
            try:
                return child.wait()
            except SystemExit:
                child.wait()
                raise


if __name__ == "__main__":
    sys.exit(main())
