#!/usr/bin/python3
# test_guess.py — guessing a domain's servers (sk_guess_async, through
# guess-driver) against a real Dovecot and scripted servers on loopback.
# The usual names (imap.D, mail.D, …) are pointed at them with libcurl's
# CONNECT_TO; every name not pointed at a server goes to a closed port.
# Speaks TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "servers"))
sys.path.insert(0, os.path.join(HERE, ".."))
import dovecot  # noqa: E402
import scripted  # noqa: E402
import testca  # noqa: E402
import tap  # noqa: E402

DRIVER = sys.argv.pop(1)
HOST = testca.HOST
RUN_LIMIT = 60

INCOMING = {"imap": ("imap.", "mail.", ""), "pop3": ("pop3.", "pop.", "mail.", "")}
OUTGOING = ("smtp.", "mail.", "")
# The company's domain: its certificate is good for every name under it.
DOMAIN = "firma.test"
GOOD_NAMES = "DNS:%s,DNS:*.%s" % (DOMAIN, DOMAIN)
EMAIL = "biuro@" + DOMAIN
PORTS = {993: "imaps", 143: "imap", 995: "pop3s", 110: "pop3", 465: "submissions",
         587: "submission"}


class Fixture:
    folder = None
    ca = None
    good = None       # Dovecot whose certificate names DOMAIN and *.DOMAIN
    hosting = None    # Dovecot whose certificate names mail.example.invalid
    closed = None     # a bound socket that never listens: connections refused


def setup():
    Fixture.folder = tempfile.mkdtemp(prefix="skrzynka-guess.")
    Fixture.ca = testca.TestCA(os.path.join(Fixture.folder, "ca"))
    Fixture.good = dovecot.start(ca=Fixture.ca, sink=False, names=GOOD_NAMES)
    Fixture.hosting = dovecot.start(cert=testca.WRONG_HOST, ca=Fixture.ca, sink=False)
    Fixture.closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    Fixture.closed.bind((HOST, 0))


def teardown():
    for server in (Fixture.good, Fixture.hosting):
        if server is not None:
            server.stop()
    if Fixture.closed is not None:
        Fixture.closed.close()


def closed_port():
    return Fixture.closed.getsockname()[1]


def every_name(domain):
    """Every host:port the guess tries for domain."""
    names = set()
    for port in (993, 143):
        names |= {(p + domain, port) for p in INCOMING["imap"]}
    for port in (995, 110):
        names |= {(p + domain, port) for p in INCOMING["pop3"]}
    for port in (465, 587):
        names |= {(p + domain, port) for p in OUTGOING}
    return names


def guess(email, routes, cafile=True, timeout=None, extra_names=()):
    """Runs the driver; routes maps (host, port) to a port on 127.0.0.1,
    every other name it tries goes to a closed port."""
    domain = email.split("@", 1)[1]
    args = [DRIVER, email]
    if cafile:
        args += ["--cafile", Fixture.ca.cafile]
    if timeout is not None:
        args += ["--timeout", str(timeout)]
    for host, port in sorted(every_name(domain) | set(extra_names) | set(routes)):
        args += ["--connect-to", "%s:%d:%s:%d" % (host, port, HOST,
                                                  routes.get((host, port), closed_port()))]
    started = time.monotonic()
    run = subprocess.run(args, capture_output=True, text=True, timeout=RUN_LIMIT, check=False)
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout), seconds


def to_dovecot(server, domain, hosts=("",), ports=PORTS):
    return {(prefix + domain, port): server.ports[name]
            for prefix in hosts for port, name in ports.items()}


def first(servers):
    assert servers, "nothing found"
    s = servers[0]
    return (s["protocol"], s["host"], s["port"], s["security"])


def assert_no_login(log_text, user):
    """Dovecot logs every login attempt; a guess must make none."""
    assert user not in log_text, "the user name reached the server"
    for line in log_text.splitlines():
        if "-login:" in line and "Disconnected" in line:
            assert "no auth attempts" in line, line


def test_ssl_before_starttls_imap_before_pop3():
    result, _ = guess(EMAIL, to_dovecot(Fixture.good, DOMAIN))
    assert first(result["incoming"]) == ("imap", DOMAIN, 993, "ssl"), result
    assert first(result["outgoing"]) == ("smtp", DOMAIN, 465, "ssl"), result
    protocols = [s["protocol"] for s in result["incoming"]]
    # The other protocol is offered too, after the best one.
    assert "pop3" in protocols, result
    assert all(s["username"] == EMAIL for s in result["incoming"] + result["outgoing"])
    assert result["notes"] == [], result


def test_starttls_when_no_ssl():
    ports = {143: "imap", 110: "pop3", 587: "submission"}
    result, _ = guess(EMAIL, to_dovecot(Fixture.good, DOMAIN, ports=ports))
    assert first(result["incoming"]) == ("imap", DOMAIN, 143, "starttls"), result
    assert first(result["outgoing"]) == ("smtp", DOMAIN, 587, "starttls"), result


def test_host_order_kept_within_a_rank():
    # imap.D and mail.D both answer: imap.D comes first, whichever is
    # quicker; without imap.D, mail.D.
    routes = to_dovecot(Fixture.good, DOMAIN, hosts=("mail.", "imap."), ports={993: "imaps"})
    result, _ = guess(EMAIL, routes)
    hosts = [s["host"] for s in result["incoming"]]
    assert hosts[0] == "imap." + DOMAIN and hosts.count("mail." + DOMAIN) <= 1, result
    del routes[("imap." + DOMAIN, 993)]
    result, _ = guess(EMAIL, routes)
    assert first(result["incoming"]) == ("imap", "mail." + DOMAIN, 993, "ssl"), result


def test_no_password_ever_sent():
    before = open(Fixture.good.log, encoding="utf-8", errors="replace").read()
    guess("tajny.uzytkownik@" + DOMAIN, to_dovecot(Fixture.good, DOMAIN))
    time.sleep(0.5)  # Dovecot logs a disconnect a moment after it
    after = open(Fixture.good.log, encoding="utf-8", errors="replace").read()
    assert_no_login(after[len(before):], "tajny.uzytkownik")


def test_starttls_not_offered_counts_as_plain():
    with scripted.start("imap-no-starttls", tls=False) as server:
        result, _ = guess(EMAIL, {("imap." + DOMAIN, 143): server.port})
        commands = [line.split(" ", 1)[1].split(" ", 1)[0].upper()
                    for line in server.received() if " " in line]
    assert first(result["incoming"]) == ("imap", "imap." + DOMAIN, 143, "none"), result
    assert any("imap." + DOMAIN in note and "encrypted" in note for note in result["notes"]), result
    assert "CAPABILITY" in commands, commands
    for forbidden in ("LOGIN", "AUTHENTICATE"):
        assert forbidden not in commands, commands


def test_hosting_certificate_followed():
    domain = "firma.test"
    other = testca.WRONG_NAME
    routes = to_dovecot(Fixture.hosting, domain, hosts=("mail.",))
    routes.update(to_dovecot(Fixture.hosting, other))
    result, _ = guess("jan@" + domain, routes,
                      extra_names=[(other, port) for port in PORTS])
    assert first(result["incoming"]) == ("imap", other, 993, "ssl"), result
    assert first(result["outgoing"]) == ("smtp", other, 465, "ssl"), result
    tried = {(p["host"], p["port"]): p for p in result["probes"]}
    assert tried[("mail." + domain, 993)]["certificate_host"] == other
    assert tried[("mail." + domain, 993)]["outcome"] == "error"
    assert any("mail." + domain in note and other in note for note in result["notes"]), result


def test_untrusted_certificate_fails():
    result, _ = guess(EMAIL, to_dovecot(Fixture.good, DOMAIN), cafile=False)
    assert result["incoming"] == [] and result["outgoing"] == [], result
    tried = {(p["host"], p["port"]): p for p in result["probes"]}
    assert tried[(DOMAIN, 993)]["outcome"] == "error"
    assert tried[(DOMAIN, 993)]["certificate_host"] is None


def test_nothing_there():
    result, seconds = guess(EMAIL, {})
    assert result["incoming"] == [] and result["outgoing"] == [], result
    assert all(p["outcome"] == "none" for p in result["probes"]), result
    assert seconds < 10, seconds


def test_silent_server_times_out():
    with scripted.start("silent") as server:
        result, seconds = guess(EMAIL, {("imap." + DOMAIN, 993): server.port},
                                timeout=2)
    tried = {(p["host"], p["port"]): p for p in result["probes"]}
    assert tried[("imap." + DOMAIN, 993)]["outcome"] == "timeout", result
    assert seconds < 2 + 6, seconds


def test_better_answer_ends_the_wait():
    # A silent imap.D:993 holds the best rank; once it times out, the
    # answers already in decide. A quick answer of the best rank needs no
    # waiting for slower, worse ones.
    with scripted.start("silent") as server:
        routes = to_dovecot(Fixture.good, DOMAIN)
        routes[("mail." + DOMAIN, 143)] = server.port
        routes[("smtp." + DOMAIN, 587)] = server.port
        result, seconds = guess(EMAIL, routes, timeout=8)
    assert first(result["incoming"]) == ("imap", DOMAIN, 993, "ssl"), result
    assert seconds < 5, seconds
    tried = {(p["host"], p["port"]): p for p in result["probes"]}
    assert tried[("mail." + DOMAIN, 143)]["outcome"] == "cancelled", result


sys.exit(tap.run([test_ssl_before_starttls_imap_before_pop3,
                  test_starttls_when_no_ssl,
                  test_host_order_kept_within_a_rank,
                  test_no_password_ever_sent,
                  test_starttls_not_offered_counts_as_plain,
                  test_hosting_certificate_followed,
                  test_untrusted_certificate_fails,
                  test_nothing_there,
                  test_silent_server_times_out,
                  test_better_answer_ends_the_wait],
                 setup, teardown))
