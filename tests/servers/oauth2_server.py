#!/usr/bin/python3
# oauth2_server.py — an OAuth 2.0 authorization server of the tests' own,
# on 127.0.0.1: what Google's and Microsoft's do for a mail program, small
# enough to read.
#
#   https://127.0.0.1:PORT/authorize   the sign-in page: answers at once by
#                                      redirecting to the redirect_uri, as a
#                                      person who approves (or declines, or
#                                      whose organisation must approve) would
#   https://127.0.0.1:PORT/token       authorization_code with PKCE S256, and
#                                      refresh_token (RFC 6749, RFC 7636)
#   http://127.0.0.1:PORT2/introspect  what Dovecot's oauth2 passdb asks
#                                      (RFC 7662, "post" mode): is this
#                                      access token good, and whose is it
#
# As a module:
#
#     with oauth2_server.start(ca) as server:
#         server.authorization_url, server.token_url, server.introspection_url
#         server.behaviour = "approve" | "decline" | "admin-approval"
#         server.revoke_refresh_tokens(); server.expire_access_tokens()
#         server.requests   # what came in, for the tests to check
#
# Everything is bounded: the server lives at most `lifetime` seconds and its
# threads are daemons, so a test that dies leaves nothing behind.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import hashlib
import http.server
import json
import os
import secrets
import socketserver
import ssl
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testca  # noqa: E402

HOST = testca.HOST
CLIENT_ID = "skrzynka-test-client"
DEFAULT_USER = "biuro@skrzynka.test"
DEFAULT_LIFETIME = 300.0
# Microsoft's words when an organisation has not approved a program
# (facts/oauth2.md).
ADMIN_APPROVAL = ("AADSTS90094: The grant requires admin permission. Your organization's "
                  "administrator must approve this application.")


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class OAuth2Server:
    """One authorization server; see start()."""

    def __init__(self, ca, user=DEFAULT_USER, lifetime=DEFAULT_LIFETIME,
                 access_token_seconds=3600):
        self.user = user
        self.behaviour = "approve"
        self.access_token_seconds = access_token_seconds
        self.requests = []
        self._lock = threading.Lock()
        self._codes = {}           # code -> (challenge, redirect_uri, client_id)
        self._access = {}          # access token -> (user, expires at)
        self._refresh = {}         # refresh token -> user
        self._folder = tempfile.mkdtemp(prefix="skrzynka-oauth2.")

        cert, key = ca.issue(testca.GOOD, name="oauth2-%d-%d" % (os.getpid(), id(self)))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(cert, key)

        handler = self._handler()
        self._https = _Server((HOST, 0), handler)
        self._https.socket = context.wrap_socket(self._https.socket, server_side=True)
        self._http = _Server((HOST, 0), handler)
        port = self._https.server_address[1]
        self.authorization_url = "https://%s:%d/authorize" % (HOST, port)
        self.token_url = "https://%s:%d/token" % (HOST, port)
        self.introspection_url = "http://%s:%d/introspect" % (HOST, self._http.server_address[1])

        self._threads = [threading.Thread(target=s.serve_forever, daemon=True)
                         for s in (self._https, self._http)]
        for thread in self._threads:
            thread.start()
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()

    # What a test can change

    def revoke_refresh_tokens(self):
        with self._lock:
            self._refresh.clear()

    def expire_access_tokens(self):
        with self._lock:
            self._access = {t: (u, 0) for t, (u, _) in self._access.items()}

    def stop(self):
        self._timer.cancel()
        for server in (self._https, self._http):
            server.shutdown()
            server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def provider_file(self, name="Test"):
        """The contents of a skrzynka/oauth2/ID.conf that points here."""
        return ("[OAuth2]\nname=%s\nclient-id=%s\nauthorization-url=%s\ntoken-url=%s\n"
                "scopes=offline_access mail\nhosts=%s\n"
                % (name, CLIENT_ID, self.authorization_url, self.token_url, HOST))

    # The endpoints

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body, content_type="application/json", headers=()):
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _json(self, status, obj):
                self._answer(status, json.dumps(obj))

            def _form(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, 65536)).decode("utf-8", "replace")
                return body, {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
                server._record("GET", url.path, query, dict(self.headers))
                if url.path != "/authorize":
                    self._answer(404, "not found", "text/plain")
                    return
                self._answer(*server._authorize(query))

            def do_POST(self):
                url = urllib.parse.urlsplit(self.path)
                body, form = self._form()
                server._record("POST", url.path, form, dict(self.headers), body)
                if url.path == "/token":
                    self._json(*server._token(form))
                elif url.path == "/introspect":
                    self._json(*server._introspect(form))
                else:
                    self._answer(404, "not found", "text/plain")

        return Handler

    def _record(self, method, path, params, headers, body=None):
        with self._lock:
            self.requests.append({"method": method, "path": path, "params": params,
                                  "headers": headers, "body": body})

    def _authorize(self, query):
        redirect = query.get("redirect_uri", "")
        state = query.get("state", "")
        if (query.get("client_id") != CLIENT_ID or query.get("response_type") != "code"
                or not redirect.startswith("http://127.0.0.1:")
                or query.get("code_challenge_method") != "S256"
                or len(query.get("code_challenge", "")) != 43):
            return 400, "bad authorization request", "text/plain", ()

        if self.behaviour == "decline":
            params = {"error": "access_denied",
                      "error_description": "The user has denied access to the scope requested by the client application.",
                      "state": state}
        elif self.behaviour == "admin-approval":
            params = {"error": "access_denied", "error_description": ADMIN_APPROVAL,
                      "state": state}
        else:
            code = secrets.token_urlsafe(24)
            with self._lock:
                self._codes[code] = (query["code_challenge"], redirect, query["client_id"])
            params = {"code": code, "state": state}
        location = redirect + "?" + urllib.parse.urlencode(params)
        return 302, "", "text/plain", (("Location", location),)

    def _issue(self, user):
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(32)
        with self._lock:
            self._access[access] = (user, time.time() + self.access_token_seconds)
            self._refresh[refresh] = user
        return {"access_token": access, "token_type": "Bearer",
                "expires_in": self.access_token_seconds, "refresh_token": refresh,
                "scope": "offline_access mail"}

    def _token(self, form):
        if form.get("client_id") != CLIENT_ID:
            return 401, {"error": "invalid_client"}
        grant = form.get("grant_type")
        if grant == "authorization_code":
            with self._lock:
                known = self._codes.pop(form.get("code", ""), None)
            if known is None:
                return 400, {"error": "invalid_grant", "error_description": "Unknown code."}
            challenge, redirect, _ = known
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            if digest.rstrip(b"=").decode() != challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed."}
            if form.get("redirect_uri") != redirect:
                return 400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch."}
            return 200, self._issue(self.user)
        if grant == "refresh_token":
            with self._lock:
                user = self._refresh.get(form.get("refresh_token", ""))
            if user is None:
                return 400, {"error": "invalid_grant",
                             "error_description": "Token has been expired or revoked."}
            token = self._issue(user)
            del token["refresh_token"]
            return 200, token
        return 400, {"error": "unsupported_grant_type"}

    def _introspect(self, form):
        with self._lock:
            user, expires = self._access.get(form.get("token", ""), (None, 0))
        if user is None or expires < time.time():
            return 401, {"active": False}
        return 200, {"active": True, "email": user, "scope": "mail"}


def start(ca, user=DEFAULT_USER, lifetime=DEFAULT_LIFETIME, access_token_seconds=3600):
    """Starts a server whose certificate ca signs; user is whose tokens it
    gives out."""
    return OAuth2Server(ca, user=user, lifetime=lifetime,
                        access_token_seconds=access_token_seconds)


def follow(authorization_uri, cafile, timeout=10):
    """Acts as the browser: opens the sign-in page and follows its redirect
    to the program's loopback listener.  Returns (status, page) of the
    listener's answer."""
    import http.client

    url = urllib.parse.urlsplit(authorization_uri)
    context = ssl.create_default_context(cafile=cafile)
    connection = http.client.HTTPSConnection(url.hostname, url.port, context=context,
                                             timeout=timeout)
    connection.request("GET", url.path + "?" + url.query)
    response = connection.getresponse()
    response.read()
    location = response.getheader("Location")
    connection.close()
    if response.status != 302 or not location:
        return response.status, ""
    back = urllib.parse.urlsplit(location)
    connection = http.client.HTTPConnection(back.hostname, back.port, timeout=timeout)
    connection.request("GET", back.path + "?" + back.query)
    response = connection.getresponse()
    page = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, page


if __name__ == "__main__":
    # A browser for x-scheme-handler/http in the window tests: the sign-in
    # address is the one argument; the CA comes from SK_OAUTH2_CAFILE.
    status, _ = follow(sys.argv[1], os.environ["SK_OAUTH2_CAFILE"])
    sys.exit(0 if status == 200 else 1)
