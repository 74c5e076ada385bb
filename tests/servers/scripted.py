#!/usr/bin/python3
# scripted.py — small mail servers that misbehave on purpose, for what a
# real Dovecot cannot be made to do.  Each mode listens on a free port of
# 127.0.0.1, optionally behind TLS with a certificate from the tests' CA,
# and writes everything it receives and sends to a log file, so that a test
# can prove what a client did (above all, that it sent no password).
#
#   imap-no-starttls       IMAP whose CAPABILITY has no STARTTLS (plain)
#   pop3-no-stls           POP3 whose CAPA has no STLS (plain)
#   smtp-no-auth           SMTP whose EHLO offers no AUTH (TLS)
#   smtp-starttls-offered  SMTP offering STARTTLS and AUTH on a plain port
#   imap-preauth           IMAP greeting "* PREAUTH": no login at all (TLS)
#   plain-on-tls-port      plain "* OK" where the client expects TLS
#   endless-capabilities   IMAP CAPABILITY lines that never end (TLS)
#   long-line              an IMAP greeting 10 MB long, one line (TLS)
#   silent                 accepts connections and never says a word
#
# and Google's refusals of a login, word for word, behind Google's own
# greetings and capabilities (TLS unless said otherwise):
#
#   google-imap-app-password-required   google-pop3-app-password-required
#   google-smtp-app-password-required   google-imap-bad-credentials
#   google-pop3-bad-credentials         google-smtp-bad-credentials
#   google-imap-web-login-required      google-pop3-web-login-required
#   google-smtp-web-login-required      google-imap-protocol-disabled
#   google-imap-disabled-for-domain     google-pop3-protocol-disabled
#   google-pop3-temporary-failure
#   google-smtp-starttls-first          plain: "530 5.7.0 Must issue a
#                                       STARTTLS command first" to AUTH
#
# As a module:
#
#     with scripted.start("silent") as server:
#         server.port, server.log_text()
#
# From a shell: scripted.py MODE [--tls|--plain] [--cafile-dir DIR]; prints
# "PORT=n" and "LOG=path", serves until standard input ends.
#
# Everything is bounded: a server lives at most `lifetime` seconds, takes
# at most MAX_CONNECTIONS, answers at most MAX_COMMANDS a connection, and
# its threads are daemons, so a test that dies leaves nothing behind.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import atexit
import os
import shutil
import socket
import ssl
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testca  # noqa: E402

HOST = testca.HOST
MAX_CONNECTIONS = 50
MAX_COMMANDS = 200
MAX_LINE = 8192
MAX_ENDLESS_LINES = 2000000
LONG_LINE = 10 * 1024 * 1024
DEFAULT_LIFETIME = 120.0

# mode: (protocol, TLS from the first byte by default)
MODES = {
    "imap-no-starttls": ("imap", False),
    "pop3-no-stls": ("pop3", False),
    "smtp-no-auth": ("smtp", True),
    "smtp-starttls-offered": ("smtp", False),
    "imap-preauth": ("imap", True),
    "plain-on-tls-port": ("imap", False),
    "endless-capabilities": ("imap", True),
    "long-line": ("imap", True),
    "silent": (None, False),
    "microsoft-smtp-auth-disabled": ("smtp", False),
}

# Microsoft 365's smtp.office365.com on port 587 with SMTP AUTH turned off
# for the tenant: it still offers AUTH after STARTTLS, then refuses any
# login, a password or a token (facts/oauth2.md).
MICROSOFT_SMTP_EHLO = ["SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES",
                       "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8"]
MICROSOFT_SMTP_AUTH_DISABLED = (
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
    "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. "
    "[WA2P291CA0001.POLP291.PROD.OUTLOOK.COM 2026-12-06T01:00:00.000Z 08DE1A2B3C4D5E6F]")

# Google's servers, as they greet and what they offer.  Each ends its
# lines with a session code of its own, like this one.
GOOGLE_SESSION = "a1-20020a05600c3ac100b003f7a2b4c1d2sm1234567wmq.12"
GOOGLE_IMAP_GREETING = "* OK Gimap ready for requests from 127.0.0.1 a1mb12345678wmq"
GOOGLE_IMAP_CAPABILITY = ("IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 "
                          "XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN "
                          "AUTH=OAUTHBEARER AUTH=XOAUTH")
GOOGLE_POP3_GREETING = "+OK Gpop ready for requests from 127.0.0.1 a1mb12345678wmq"
GOOGLE_POP3_CAPA = ["USER", "RESP-CODES", "EXPIRE 0", "LOGIN-DELAY 300", "TOP", "UIDL",
                    "X-GOOGLE-RICO", "SASL PLAIN XOAUTH2 OAUTHBEARER"]
GOOGLE_SMTP_GREETING = "220 smtp.gmail.com ESMTP %s - gsmtp" % GOOGLE_SESSION
GOOGLE_SMTP_EHLO = ["smtp.gmail.com at your service, [127.0.0.1]", "SIZE 35882577", "8BITMIME",
                    "AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH",
                    "ENHANCEDSTATUSCODES", "PIPELINING", "CHUNKING", "SMTPUTF8"]
# Where a web login sends the person; the token differs every time.
GOOGLE_SIGN_IN_URL = ("https://accounts.google.com/signin/continue?sarp=1&scc=1"
                      "&plt=AKgnsbtR7x-Q2vZk_9LmW3pYcE4fH0jN6sUdTq8wVbXaI1oL5gM")

# mode: Google's answer to a login, line by line; {tag} is the IMAP
# command's tag.
GOOGLE_REFUSALS = {
    "google-imap-app-password-required": [
        "{tag} NO [ALERT] Application-specific password required: "
        "https://support.google.com/accounts/answer/185833 (Failure)"],
    "google-pop3-app-password-required": [
        "-ERR [AUTH] Application-specific password required: "
        "https://support.google.com/accounts/answer/185833"],
    "google-smtp-app-password-required": [
        "534-5.7.9 Application-specific password required. Learn more at",
        "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor %s - gsmtp"
        % GOOGLE_SESSION],
    "google-imap-bad-credentials": [
        "{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"],
    "google-pop3-bad-credentials": [
        "-ERR [AUTH] Username and password not accepted."],
    "google-smtp-bad-credentials": [
        "535-5.7.8 Username and Password not accepted. Learn more at",
        "535 5.7.8  https://support.google.com/mail/?p=BadCredentials %s - gsmtp"
        % GOOGLE_SESSION],
    "google-imap-web-login-required": [
        "* NO [WEBALERT %s] Web login required." % GOOGLE_SIGN_IN_URL,
        "{tag} NO [ALERT] Please log in via your web browser: "
        "https://support.google.com/mail/accounts/answer/78754 (Failure)"],
    "google-pop3-web-login-required": [
        "-ERR [AUTH] Web login required: https://support.google.com/mail/answer/78754"],
    "google-smtp-web-login-required": [
        "534-5.7.14 <%s> Please log in via your web browser and" % GOOGLE_SIGN_IN_URL,
        "534-5.7.14 then try again.",
        "534-5.7.14  Learn more at",
        "534 5.7.14  https://support.google.com/mail/answer/78754 %s - gsmtp" % GOOGLE_SESSION],
    "google-imap-protocol-disabled": [
        "{tag} NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail "
        "settings page and enable your account for IMAP access. (Failure)"],
    "google-imap-disabled-for-domain": [
        "{tag} NO [ALERT] IMAP access is disabled for your domain. Please contact your domain "
        "administrator for questions about this feature. (Failure)"],
    "google-pop3-protocol-disabled": [
        "-ERR [SYS/PERM] Your account is not enabled for POP access. Please visit your Gmail "
        "settings page and enable your account for POP access."],
    "google-pop3-temporary-failure": [
        "-ERR [SYS/TEMP] Temporary system problem. Please try again later."],
    "google-smtp-starttls-first": [
        "530 5.7.0 Must issue a STARTTLS command first. %s - gsmtp" % GOOGLE_SESSION],
}

MODES.update({mode: (mode.split("-")[1], mode != "google-smtp-starttls-first")
              for mode in GOOGLE_REFUSALS})


class Closed(Exception):
    """The client went away, or the server's time is up."""


class Connection:
    """One client: line I/O with deadlines, every byte logged."""

    def __init__(self, server, sock, number):
        self.server = server
        self.sock = sock
        self.number = number
        self.buffer = b""
        self.tls = False

    def log(self, text):
        self.server.write_log("%d %s" % (self.number, text))

    def send(self, *lines):
        data = b"".join(line.encode() + b"\r\n" for line in lines)
        for line in lines:
            self.log("S: " + line)
        self.write(data)

    def write(self, data):
        """Sends all of data, however slowly the client reads."""
        view = memoryview(data)
        sent = 0
        while sent < len(data):
            if self.server.stopping.is_set():
                raise Closed("server stopping")
            try:
                sent += self.sock.send(view[sent:])
            except socket.timeout:
                # Nothing was written (for TLS too): the same bytes again.
                continue
            except (OSError, ssl.SSLError) as error:
                raise Closed(str(error))

    def read_line(self):
        while b"\n" not in self.buffer:
            if len(self.buffer) > MAX_LINE:
                raise Closed("line too long")
            self.buffer += self.read_some()
        line, self.buffer = self.buffer.split(b"\n", 1)
        text = line.rstrip(b"\r").decode("utf-8", "backslashreplace")
        self.log("C: " + text)
        return text

    def read_some(self):
        """Some bytes from the client; Closed at end of data or time."""
        while True:
            if self.server.stopping.is_set():
                raise Closed("server stopping")
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            except (OSError, ssl.SSLError) as error:
                raise Closed(str(error))
            if not data:
                raise Closed("client closed")
            return data

    def start_tls(self):
        self.sock = self.server.tls_context.wrap_socket(self.sock, server_side=True,
                                                        do_handshake_on_connect=False)
        # In short slices, so that a client that never sends its hello
        # does not keep stop() waiting.
        while True:
            if self.server.stopping.is_set():
                raise Closed("server stopping")
            try:
                self.sock.do_handshake()
                break
            except socket.timeout:
                continue
        self.tls = True
        self.log("# TLS established (%s)" % self.sock.version())


class ScriptedServer:
    """One mode on one port; see start()."""

    def __init__(self, mode, ca=None, tls=None, lifetime=DEFAULT_LIFETIME, folder=None):
        if mode not in MODES:
            raise ValueError("unknown mode %r; the modes are %s" % (mode, ", ".join(MODES)))
        self.mode = mode
        self.protocol, default_tls = MODES[mode]
        self.implicit_tls = default_tls if tls is None else tls
        self.host = HOST
        self.lifetime = lifetime
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._threads = []
        self._connections = []
        # The log, and the CA when none is given, live here until cleanup().
        self._own_folder = tempfile.mkdtemp(prefix="skrzynka-scripted.", dir=folder)

        self.tls_context = None
        if ca is None and (self.implicit_tls or mode in ("smtp-starttls-offered",
                                                         "microsoft-smtp-auth-disabled")):
            ca = testca.TestCA(os.path.join(self._own_folder, "ca"))
        self.cafile = ca.cafile if ca else None
        if ca is not None:
            cert, key = ca.issue(testca.GOOD, name="scripted-%s-%d-%d"
                                 % (mode, os.getpid(), id(self)))
            self.tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls_context.minimum_version = ssl.TLSVersion.TLSv1_2
            self.tls_context.load_cert_chain(cert, key)

        self.log = os.path.join(self._own_folder, mode + ".log")
        self._log_file = open(self.log, "w", encoding="utf-8")

        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((HOST, 0))
        self._listener.listen(8)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.write_log("# %s on %s:%d%s" % (mode, HOST, self.port,
                                            ", TLS" if self.implicit_tls else ""))

        atexit.register(self.stop)
        self._deadline = time.monotonic() + lifetime
        self._spawn(self._accept_loop)

    def _spawn(self, target, *args):
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def write_log(self, line):
        with self._lock:
            if not self._log_file.closed:
                self._log_file.write("%.3f %s\n" % (time.monotonic(), line))
                self._log_file.flush()

    def log_text(self):
        """Everything logged so far: one line per event, "C:" for what a
        client sent, "S:" for what the server sent, "#" for the rest."""
        with open(self.log, encoding="utf-8", errors="replace") as log:
            return log.read()

    def received(self):
        """Only the lines the clients sent."""
        return [line.split(" C: ", 1)[1] for line in self.log_text().splitlines()
                if " C: " in line]

    def _accept_loop(self):
        count = 0
        while not self.stopping.is_set() and count < MAX_CONNECTIONS:
            if time.monotonic() > self._deadline:
                self.write_log("# lifetime over")
                self.stop_async()
                return
            try:
                sock, peer = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            count += 1
            sock.settimeout(0.1)
            with self._lock:
                self._connections.append(sock)
            self._spawn(self._serve, sock, peer, count)

    def _serve(self, sock, peer, number):
        conn = Connection(self, sock, number)
        conn.log("# connected from %s:%d" % peer)
        try:
            if self.implicit_tls:
                try:
                    conn.start_tls()
                except (OSError, ssl.SSLError) as error:
                    raise Closed("TLS handshake failed: %s" % error)
            if self.mode in GOOGLE_REFUSALS:
                getattr(self, "_google_" + self.protocol)(conn, GOOGLE_REFUSALS[self.mode])
            else:
                getattr(self, "_mode_" + self.mode.replace("-", "_"))(conn)
        except Closed as why:
            conn.log("# closed: %s" % why)
        finally:
            try:
                conn.sock.close()
            except OSError:
                pass

    # IMAP

    def _imap(self, conn, greeting, capabilities, starttls=False):
        conn.send(greeting)
        for _ in range(MAX_COMMANDS):
            parts = conn.read_line().split(" ", 2)
            tag = parts[0]
            command = parts[1].upper() if len(parts) > 1 else ""
            if command == "CAPABILITY":
                if self.mode == "endless-capabilities":
                    self._endless(conn)
                caps = capabilities + (" STARTTLS" if starttls and not conn.tls else "")
                conn.send("* CAPABILITY " + caps, tag + " OK CAPABILITY completed")
            elif command == "STARTTLS" and starttls and self.tls_context:
                conn.send(tag + " OK Begin TLS negotiation now")
                conn.start_tls()
            elif command == "LOGIN":
                # Accepts anything: a client that should not have sent a
                # password would then even believe it logged in.
                conn.send(tag + " OK LOGIN completed")
            elif command == "AUTHENTICATE":
                if len(parts) < 3 or " " not in parts[2]:
                    conn.send("+ ")
                    conn.read_line()
                conn.send(tag + " OK AUTHENTICATE completed")
            elif command == "LOGOUT":
                conn.send("* BYE Logging out", tag + " OK LOGOUT completed")
                raise Closed("logout")
            elif command == "NOOP":
                conn.send(tag + " OK NOOP completed")
            else:
                conn.send(tag + " BAD Command not understood")
        raise Closed("too many commands")

    def _endless(self, conn):
        """Capability lines for as long as the client reads them, in
        bursts, never the tagged reply that would end them."""
        line = 0
        try:
            while line < MAX_ENDLESS_LINES:
                burst = []
                for _ in range(50):
                    line += 1
                    burst.append("* CAPABILITY IMAP4rev1 X-FILLER-%d X-MORE-%d" % (line, line))
                # Not logged line by line: the log is for the client's side.
                conn.write(b"".join(s.encode() + b"\r\n" for s in burst))
                time.sleep(0.01)
        finally:
            conn.log("# sent %d capability lines" % line)
        raise Closed("enough capability lines")

    def _mode_imap_no_starttls(self, conn):
        self._imap(conn, "* OK IMAP4rev1 Service Ready",
                   "IMAP4rev1 AUTH=PLAIN AUTH=LOGIN")

    def _mode_imap_preauth(self, conn):
        self._imap(conn, "* PREAUTH IMAP4rev1 Logged in as nobody", "IMAP4rev1")

    def _mode_endless_capabilities(self, conn):
        self._imap(conn, "* OK IMAP4rev1 Service Ready", "IMAP4rev1 AUTH=PLAIN")

    def _mode_long_line(self, conn):
        """A greeting of LONG_LINE bytes before its CRLF, in 64 KiB
        pieces, then an ordinary server if the client is still there."""
        piece = b"x" * 65536
        conn.write(b"* OK ")
        for _ in range(LONG_LINE // len(piece)):
            conn.write(piece)
        conn.write(b"\r\n")
        conn.log("# sent a greeting of %d bytes" % LONG_LINE)
        self._imap(conn, "* OK IMAP4rev1 Service Ready", "IMAP4rev1 AUTH=PLAIN")

    def _mode_plain_on_tls_port(self, conn):
        conn.send("* OK IMAP4rev1 Service Ready")
        # What comes back is a TLS ClientHello: logged, never answered.
        for _ in range(MAX_COMMANDS):
            data = conn.read_some()
            conn.log("C: <%d bytes> %r" % (len(data), data[:16]))
        raise Closed("too much data")

    def _mode_silent(self, conn):
        for _ in range(100000):
            data = conn.read_some()
            conn.log("C: <%d bytes> %r" % (len(data), data[:16]))
        raise Closed("too much data")

    # POP3

    def _mode_pop3_no_stls(self, conn):
        conn.send("+OK POP3 ready")
        for _ in range(MAX_COMMANDS):
            command = conn.read_line().split(" ", 1)[0].upper()
            if command == "CAPA":
                conn.send("+OK Capability list follows", "USER", "SASL PLAIN LOGIN", ".")
            elif command in ("USER", "PASS", "NOOP"):
                conn.send("+OK")
            elif command == "AUTH":
                conn.send("+ ")
                conn.read_line()
                conn.send("+OK Logged in")
            elif command == "QUIT":
                conn.send("+OK Bye")
                raise Closed("quit")
            else:
                conn.send("-ERR Unknown command")
        raise Closed("too many commands")

    # SMTP

    def _smtp(self, conn, extensions, starttls=False):
        conn.send("220 localhost ESMTP ready")
        for _ in range(MAX_COMMANDS):
            line = conn.read_line()
            command = line.split(" ", 1)[0].upper()
            if command == "EHLO":
                offered = list(extensions)
                if starttls and not conn.tls:
                    offered.insert(0, "STARTTLS")
                elif starttls:
                    offered.insert(0, "AUTH PLAIN LOGIN")
                lines = ["250-localhost"] + ["250-" + e for e in offered[:-1]]
                conn.send(*lines, "250 " + offered[-1])
            elif command == "HELO":
                conn.send("250 localhost")
            elif command == "STARTTLS" and starttls and self.tls_context and not conn.tls:
                conn.send("220 2.0.0 Ready to start TLS")
                conn.start_tls()
            elif command == "AUTH":
                # Accepts anything, as IMAP LOGIN above does.
                if len(line.split()) < 3:
                    conn.send("334 ")
                    conn.read_line()
                conn.send("235 2.7.0 Authentication successful")
            elif command in ("MAIL", "RCPT", "RSET", "NOOP"):
                conn.send("250 2.0.0 OK")
            elif command == "QUIT":
                conn.send("221 2.0.0 Bye")
                raise Closed("quit")
            else:
                conn.send("502 5.5.2 Command not recognised")
        raise Closed("too many commands")

    def _mode_smtp_no_auth(self, conn):
        self._smtp(conn, ["SIZE 10240000", "8BITMIME"])

    def _mode_smtp_starttls_offered(self, conn):
        self._smtp(conn, ["AUTH PLAIN LOGIN", "8BITMIME"], starttls=True)

    def _mode_microsoft_smtp_auth_disabled(self, conn):
        conn.send("220 WA2P291CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready")
        for _ in range(MAX_COMMANDS):
            words = conn.read_line().split()
            command = words[0].upper() if words else ""
            if command == "EHLO":
                offered = (["AUTH LOGIN XOAUTH2"] if conn.tls else ["STARTTLS"]) \
                    + MICROSOFT_SMTP_EHLO
                conn.send("250-WA2P291CA0001.outlook.office365.com Hello [127.0.0.1]",
                          *["250-" + e for e in offered[:-1]], "250 " + offered[-1])
            elif command == "STARTTLS" and not conn.tls:
                conn.send("220 2.0.0 SMTP server ready")
                conn.start_tls()
            elif command == "AUTH":
                if len(words) < 3:
                    conn.send("334 ")
                    conn.read_line()
                conn.send(MICROSOFT_SMTP_AUTH_DISABLED)
            elif command == "QUIT":
                conn.send("221 2.0.0 Service closing transmission channel")
                raise Closed("quit")
            else:
                conn.send("500 5.3.3 Unrecognized command")
        raise Closed("too many commands")

    # Google

    def _google_imap(self, conn, refusal):
        conn.send(GOOGLE_IMAP_GREETING)
        for _ in range(MAX_COMMANDS):
            parts = conn.read_line().split(" ", 2)
            tag = parts[0]
            command = parts[1].upper() if len(parts) > 1 else ""
            if command == "CAPABILITY":
                conn.send("* CAPABILITY " + GOOGLE_IMAP_CAPABILITY,
                          tag + " OK Thats all she wrote! a1mb12345678wmq")
            elif command in ("LOGIN", "AUTHENTICATE"):
                if command == "AUTHENTICATE" and (len(parts) < 3 or " " not in parts[2]):
                    conn.send("+ ")
                    conn.read_line()
                conn.send(*[line.format(tag=tag) for line in refusal])
            elif command == "LOGOUT":
                conn.send("* BYE LOGOUT Requested", tag + " OK 73 good day (Success)")
                raise Closed("logout")
            else:
                conn.send(tag + " BAD Unknown command a1mb12345678wmq")
        raise Closed("too many commands")

    def _google_pop3(self, conn, refusal):
        conn.send(GOOGLE_POP3_GREETING)
        for _ in range(MAX_COMMANDS):
            line = conn.read_line()
            command = line.split(" ", 1)[0].upper()
            if command == "CAPA":
                conn.send("+OK Capability list follows", *GOOGLE_POP3_CAPA, ".")
            elif command == "USER":
                conn.send("+OK send PASS")
            elif command == "PASS":
                conn.send(*refusal)
            elif command == "AUTH":
                if len(line.split()) < 3:
                    conn.send("+ ")
                    conn.read_line()
                conn.send(*refusal)
            elif command == "QUIT":
                conn.send("+OK Farewell.")
                raise Closed("quit")
            else:
                conn.send("-ERR bad command a1mb12345678wmq")
        raise Closed("too many commands")

    def _google_smtp(self, conn, refusal):
        conn.send(GOOGLE_SMTP_GREETING)
        for _ in range(MAX_COMMANDS):
            line = conn.read_line()
            words = line.split()
            command = words[0].upper() if words else ""
            if command == "EHLO":
                # Google's answer on port 465.  On its plain port 587 it
                # offers STARTTLS instead of AUTH; starttls-first keeps AUTH,
                # so that a client goes as far as the reply Google gives to
                # an AUTH sent there anyway.
                conn.send(*["250-" + e for e in GOOGLE_SMTP_EHLO[:-1]],
                          "250 " + GOOGLE_SMTP_EHLO[-1])
            elif command == "AUTH":
                mechanism = words[1].upper() if len(words) > 1 else ""
                # SASL LOGIN asks for the user name, then the password;
                # PLAIN takes both at once, with the command or after it.
                if mechanism == "LOGIN" and len(words) < 3:
                    conn.send("334 VXNlcm5hbWU6")
                    conn.read_line()
                if mechanism == "LOGIN":
                    conn.send("334 UGFzc3dvcmQ6")
                    conn.read_line()
                elif len(words) < 3:
                    conn.send("334 ")
                    conn.read_line()
                conn.send(*refusal)
            elif command == "QUIT":
                conn.send("221 2.0.0 closing connection %s - gsmtp" % GOOGLE_SESSION)
                raise Closed("quit")
            else:
                conn.send("502 5.5.1 Unrecognized command. %s - gsmtp" % GOOGLE_SESSION)
        raise Closed("too many commands")

    # Ending

    def stop_async(self):
        self.stopping.set()
        try:
            self._listener.close()
        except OSError:
            pass

    def stop(self):
        """Closes the port and every connection and waits for the threads
        (each notices within 0.1 s).  Safe to call more than once."""
        if self.stopping.is_set() and self._log_file.closed:
            return
        atexit.unregister(self.stop)
        self.stop_async()
        with self._lock:
            connections = list(self._connections)
            threads = list(self._threads)
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(timeout=2)
        with self._lock:
            self._log_file.close()

    def cleanup(self):
        """stop(), and the log and certificates go too."""
        self.stop()
        shutil.rmtree(self._own_folder, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()


def start(mode, ca=None, tls=None, lifetime=DEFAULT_LIFETIME, folder=None):
    """Starts mode on a free port of 127.0.0.1 and returns the server.

    ca: the testca.TestCA whose certificate the TLS modes show (one of its
    own otherwise, in .cafile); tls: force TLS from the first byte on or
    off (each mode has its natural choice); lifetime: seconds after which
    the server closes whatever it still has open; folder: where its own
    temp folder goes (the system's temp folder otherwise)."""
    return ScriptedServer(mode, ca=ca, tls=tls, lifetime=lifetime, folder=folder)


def main():
    parser = argparse.ArgumentParser(description="Runs one misbehaving mail server.")
    parser.add_argument("mode", choices=sorted(MODES))
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--tls", dest="tls", action="store_true", default=None)
    group.add_argument("--plain", dest="tls", action="store_false")
    parser.add_argument("--ca-dir", help="the test CA's folder (made if missing)")
    parser.add_argument("--lifetime", type=float, default=DEFAULT_LIFETIME)
    args = parser.parse_args()

    ca = testca.TestCA(args.ca_dir) if args.ca_dir else None
    with start(args.mode, ca=ca, tls=args.tls, lifetime=args.lifetime) as server:
        print("PORT=%d" % server.port)
        print("LOG=%s" % server.log)
        if server.cafile:
            print("CAFILE=%s" % server.cafile)
        sys.stdout.flush()
        reader = threading.Thread(target=sys.stdin.read, daemon=True)
        reader.start()
        reader.join(timeout=args.lifetime)
    return 0


if __name__ == "__main__":
    sys.exit(main())
