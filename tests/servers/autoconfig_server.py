#!/usr/bin/python3
# autoconfig_server.py — the web side of finding the settings for an
# address, on loopback: providers' autoconfig.DOMAIN and DOMAIN/.well-known
# files, an ISP database, and a few misbehaving pages.
#
#   autoconfig_server.py FOLDER
#
# Makes a test CA in FOLDER (testca.py) and a certificate for every host
# name below, listens for HTTPS and plain HTTP on free ports of 127.0.0.1,
# prints one line "HTTPS-PORT HTTP-PORT CA-FILE" and serves until its
# standard input closes.  Clients reach it by name with
# libcurl's CURLOPT_CONNECT_TO.  Every request is appended to
# FOLDER/requests.jsonl (scheme, host, path with query, User-Agent).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import http.server
import json
import os
import ssl
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testca  # noqa: E402

AUTOCONFIG_PATH = "/mail/config-v1.1.xml"
WELL_KNOWN_PATH = "/.well-known/autoconfig/mail/config-v1.1.xml"
ISPDB_HOST = "ispdb.test"
ISPDB_PREFIX = "/v1.1/"
WWW_HOST = "www.test"

# What each lookup of each test domain answers: ("config", delay in
# seconds), ("html", 0) for a page that is not a settings file, or None
# for 404.
DOMAINS = {
    # The best source answers last and still wins; the ISP database, slower
    # than .well-known, is cancelled when that answers.
    "firma.test": {"autoconfig": ("config", 0.6), "well-known": ("config", 0),
                   "ispdb": ("config", 0.3)},
    # Only the ISP database knows it.
    "nic.test": {"autoconfig": None, "well-known": None, "ispdb": ("config", 0)},
    # The provider's file is junk: the next source takes over.
    "zly.test": {"autoconfig": ("html", 0), "well-known": ("config", 0.2),
                 "ispdb": ("config", 0)},
    # The provider's server does not answer within 5 s.
    "wolny.test": {"autoconfig": ("config", 8), "well-known": ("config", 0),
                   "ispdb": None},
    # Only over plain http, for which the person must agree.
    "plain.test": {"autoconfig": None, "well-known": None, "ispdb": None,
                   "http-autoconfig": ("config", 0)},
}

HOST_NAMES = [WWW_HOST, ISPDB_HOST]
for _domain in DOMAINS:
    HOST_NAMES += [_domain, "autoconfig." + _domain]

CONFIG = """<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="{domain}">
    <domain>{domain}</domain>
    <displayName>{source}</displayName>
    <incomingServer type="imap">
      <hostname>imap.{source}.{domain}</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.{source}.{domain}</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"""

HTML = "<!DOCTYPE html><html><body><p>Nie ma takiej strony</p></body></html>\n"
BIG_SIZE = 300 * 1024


def issue_certificate(ca):
    """A certificate of ca for every host name the server answers as."""
    cert = os.path.join(ca.folder, "autoconfig.pem")
    key = os.path.join(ca.folder, "autoconfig.key")
    csr = os.path.join(ca.folder, "autoconfig.csr")
    names = ",".join("DNS:" + name for name in HOST_NAMES)
    subprocess.run(["openssl", "req", "-new", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", csr,
                    "-subj", "/O=Skrzynka tests/CN=" + WWW_HOST],
                   check=True, capture_output=True)
    subprocess.run(["openssl", "ca", "-batch", "-notext",
                    "-config", os.path.join(ca.folder, "ca.cnf"),
                    "-extensions", "server", "-in", csr, "-out", cert, "-days", "2"],
                   check=True, capture_output=True,
                   env=dict(os.environ, SK_TESTCA_NAMES=names))
    os.unlink(csr)
    return cert, key


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "autoconfig-test"
    log_lock = threading.Lock()
    log_path = None

    def setup(self):
        # The handshake in this request's own thread, not in the one that
        # accepts: a slow client must not hold up the others.
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def log_message(self, format, *args):
        pass

    def record(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        entry = {"scheme": self.server.scheme, "host": host, "path": self.path,
                 "user_agent": self.headers.get("User-Agent"),
                 "accept": self.headers.get("Accept")}
        with self.log_lock, open(self.log_path, "a") as log:
            log.write(json.dumps(entry) + "\n")
        return host

    def send_body(self, body, content_type="application/xml", length=True):
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_missing(self):
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        host = self.record()
        path = self.path.split("?")[0]
        if host == WWW_HOST:
            self.www(path)
        elif host == ISPDB_HOST and path.startswith(ISPDB_PREFIX):
            domain = path[len(ISPDB_PREFIX):]
            self.lookup(domain, "ispdb")
        elif host.startswith("autoconfig.") and path == AUTOCONFIG_PATH:
            kind = "autoconfig" if self.server.scheme == "https" else "http-autoconfig"
            self.lookup(host[len("autoconfig."):], kind)
        elif path == WELL_KNOWN_PATH:
            kind = "well-known" if self.server.scheme == "https" else "http-well-known"
            self.lookup(host, kind)
        else:
            self.send_missing()

    def lookup(self, domain, kind):
        answer = DOMAINS.get(domain, {}).get(kind)
        if answer is None:
            self.send_missing()
            return
        what, delay = answer
        time.sleep(delay)
        if what == "html":
            self.send_body(HTML, "text/html")
        else:
            self.send_body(CONFIG.format(domain=domain, source=kind))

    def www(self, path):
        if path == "/file":
            self.send_body(CONFIG.format(domain="www.test", source="www"))
        elif path == "/redirect/https":
            self.send_redirect("https://%s/file" % WWW_HOST)
        elif path == "/redirect/http":
            self.send_redirect("http://%s/file" % WWW_HOST)
        elif path.startswith("/redirect/loop/"):
            step = int(path.rsplit("/", 1)[1])
            self.send_redirect("/redirect/loop/%d" % (step + 1))
        elif path == "/big":
            self.send_body("x" * BIG_SIZE)
        elif path == "/big-unannounced":
            # No length: the client only finds out while reading.
            self.send_body("x" * BIG_SIZE, length=False)
            self.close_connection = True
        elif path == "/slow":
            time.sleep(30)
            self.send_body("late")
        else:
            self.send_missing()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, scheme, context=None):
        super().__init__((testca.HOST, 0), Handler)
        self.scheme = scheme
        if context is not None:
            self.socket = context.wrap_socket(self.socket, server_side=True,
                                              do_handshake_on_connect=False)

    def handle_error(self, request, client_address):
        # Clients that were cancelled or refused the certificate hang up
        # mid-answer: expected here, and asserted on by the tests.
        pass


def main():
    folder = sys.argv[1]
    ca = testca.TestCA(folder)
    cert, key = issue_certificate(ca)
    Handler.log_path = os.path.join(folder, "requests.jsonl")
    open(Handler.log_path, "w").close()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    servers = [Server("https", context), Server("http")]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()

    print(servers[0].server_address[1], servers[1].server_address[1], ca.cafile, flush=True)
    # Stops with the test that started it, however that ends.
    sys.stdin.read()
    for server in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
