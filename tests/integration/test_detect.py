#!/usr/bin/python3
# test_detect.py — `skrzynka --detect` end to end: IT support's files in
# the XDG folders, and the provider's autoconfig, .well-known and the ISP
# database from tests/servers/autoconfig_server.py on loopback, reached by
# name through the SKRZYNKA_CONNECT_TO test hook.  Speaks TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "servers"))
sys.path.insert(0, os.path.join(HERE, ".."))
import tap  # noqa: E402

BINARY = os.environ.get("SKRZYNKA_BINARY", "skrzynka")
RUN_LIMIT = 40
ISPDB_URL = "https://ispdb.test/v1.1/"

LOCAL_CONFIG = """<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="{domain}">
    <domain>{domain}</domain>
    <displayName>{name}</displayName>
    <incomingServer type="imap">
      <hostname>poczta.{domain}</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>poczta.{domain}</hostname>
      <port>995</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.{domain}</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </outgoingServer>
    <documentation url="https://{domain}/poczta">
      <descr lang="en">Ask IT support for your password.</descr>
    </documentation>
  </emailProvider>
</clientConfig>
"""


class Fixture:
    folder = None
    server = None
    cafile = None
    connect_to = None
    requests = None
    config_home = None
    config_dir = None


def setup():
    Fixture.folder = tempfile.mkdtemp(prefix="skrzynka-detect.")
    Fixture.server = subprocess.Popen(
        ["/usr/bin/python3", os.path.join(HERE, "..", "servers", "autoconfig_server.py"),
         os.path.join(Fixture.folder, "web")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    https_port, http_port, Fixture.cafile = Fixture.server.stdout.readline().split()
    Fixture.connect_to = ":443:127.0.0.1:%s;:80:127.0.0.1:%s" % (https_port, http_port)
    Fixture.requests = os.path.join(Fixture.folder, "web", "requests.jsonl")
    Fixture.config_home = os.path.join(Fixture.folder, "home")
    Fixture.config_dir = os.path.join(Fixture.folder, "xdg")
    write_local(Fixture.config_home, "dom.test", "Home folder")
    write_local(Fixture.config_dir, "biuro.test", "Company folder")
    # The company file loses to a personal one for the same domain.
    write_local(Fixture.config_dir, "dom.test", "Company folder")


def teardown():
    if Fixture.server is not None:
        Fixture.server.stdin.close()
        Fixture.server.wait(10)
    shutil.rmtree(Fixture.folder, ignore_errors=True)


def write_local(root, domain, name):
    folder = os.path.join(root, "skrzynka", "autoconfig")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, domain + ".xml"), "w") as out:
        out.write(LOCAL_CONFIG.format(domain=domain, name=name))


def detect(address, json_output=True, cafile=True, extra_env=None):
    """Runs --detect; returns (exit status, stdout, stderr)."""
    args = [BINARY, "--detect", address]
    if json_output:
        args.append("--json")
    if cafile:
        args += ["--cafile", Fixture.cafile]
    env = dict(os.environ, LANG="C.UTF-8", LANGUAGE="en",
               XDG_CONFIG_HOME=Fixture.config_home,
               XDG_CONFIG_DIRS="%s:/nonexistent" % Fixture.config_dir,
               SKRZYNKA_ISPDB_URL=ISPDB_URL,
               SKRZYNKA_CONNECT_TO=Fixture.connect_to)
    env.update(extra_env or {})
    process = subprocess.run(args, capture_output=True, text=True, env=env,
                             timeout=RUN_LIMIT)
    return process.returncode, process.stdout, process.stderr


def detect_json(address, expected_status=0, **kwargs):
    status, out, err = detect(address, **kwargs)
    assert status == expected_status, (status, out, err)
    assert err == "", err
    assert out.endswith("}\n") and out.count("\n") == 1, out
    return json.loads(out)


def requests():
    with open(Fixture.requests) as log:
        return [json.loads(line) for line in log]


def lookup(result, source):
    return [entry for entry in result["lookups"] if entry["source"] == source]


def check_web(result, address, source):
    domain = address.split("@")[1]
    assert result["address"] == address
    assert result["domain"] == domain
    assert result["found"] is True
    assert result["source"] == source, result["source"]
    assert result["provider"] == source
    assert result["incoming"] == [{
        "protocol": "imap", "host": "imap.%s.%s" % (source, domain), "port": 993,
        "security": "ssl", "username": address, "authentication": "password"}]
    assert result["outgoing"] == [{
        "protocol": "smtp", "host": "smtp.%s.%s" % (source, domain), "port": 465,
        "security": "ssl", "username": address, "authentication": "password"}]
    assert [entry["result"] for entry in lookup(result, source)] == ["found"]


def test_local_home():
    result = detect_json("jan@dom.test")
    assert result["source"] == "local"
    assert result["provider"] == "Home folder"
    assert result["url"] == os.path.join(Fixture.config_home, "skrzynka", "autoconfig",
                                         "dom.test.xml")
    assert [s["protocol"] for s in result["incoming"]] == ["imap", "pop3"]
    assert result["incoming"][0] == {
        "protocol": "imap", "host": "poczta.dom.test", "port": 993, "security": "ssl",
        "username": "jan", "authentication": "password"}
    assert result["outgoing"] == [{
        "protocol": "smtp", "host": "smtp.dom.test", "port": 587, "security": "starttls",
        "username": "jan", "authentication": "password"}]
    assert result["notes"] == ["Ask IT support for your password. https://dom.test/poczta"]
    assert isinstance(result["seconds"], float)


def test_local_company():
    result = detect_json("ala@biuro.test")
    assert result["source"] == "local"
    assert result["provider"] == "Company folder"
    assert result["url"].startswith(Fixture.config_dir)
    assert result["incoming"][0]["host"] == "poczta.biuro.test"


def test_autoconfig():
    result = detect_json("jan@firma.test")
    check_web(result, "jan@firma.test", "autoconfig")
    assert result["url"] == "https://autoconfig.firma.test/mail/config-v1.1.xml"
    # .well-known answered first but ranks lower: cancelled when the
    # provider's own file came.
    assert lookup(result, "well-known")[0]["result"] in ("found", "cancelled")


def test_well_known():
    result = detect_json("jan@zly.test")
    check_web(result, "jan@zly.test", "well-known")
    assert result["url"] == "https://zly.test/.well-known/autoconfig/mail/config-v1.1.xml"
    assert lookup(result, "autoconfig")[0]["result"] == "error"


def test_ispdb():
    result = detect_json("jan.kowalski@nic.test")
    check_web(result, "jan.kowalski@nic.test", "ispdb")
    assert result["url"] == ISPDB_URL + "nic.test"
    assert lookup(result, "autoconfig")[0]["result"] == "none"
    assert lookup(result, "well-known")[0]["result"] == "none"


def test_address_not_sent_to_ispdb():
    detect_json("tajny.adres@nic.test")
    asked = [r for r in requests() if r["host"] == "ispdb.test"]
    assert asked, "the ISP database was not asked"
    for request in asked:
        assert "tajny" not in request["path"] and "%40" not in request["path"] \
            and "@" not in request["path"], request
    # The provider's own file is asked with the address, over https only.
    provider = [r for r in requests() if r["host"] == "autoconfig.nic.test"]
    assert provider and all(r["scheme"] == "https" for r in provider)
    assert any("tajny.adres%40nic.test" in r["path"] or "tajny.adres@nic.test" in r["path"]
               for r in provider), provider


def test_builtin():
    # The table answers for its providers without asking the network.
    result = detect_json("jan@wp.pl")
    assert result["found"] is True and result["source"] == "builtin", result
    assert result["provider"] == "WP", result
    assert result["url"].startswith("https://"), result
    first = result["incoming"][0]
    assert (first["protocol"], first["host"], first["port"], first["security"]) == \
        ("imap", "imap.wp.pl", 993, "ssl"), result
    assert first["authentication"] == "password"
    assert result["outgoing"][0]["host"] == "smtp.wp.pl"
    assert lookup(result, "builtin")[0]["result"] == "found"


def test_gmail_and_outlook():
    result = detect_json("biuro.firmy@gmail.com")
    assert result["source"] == "gmail", result
    assert result["incoming"][0]["host"] == "imap.gmail.com"
    # Outlook.com takes no password from mail programs: sign-in only.
    result = detect_json("jan.kowalski@outlook.com")
    assert result["source"] == "builtin", result
    assert all(s["authentication"] == "oauth2" for s in result["incoming"] + result["outgoing"]), result


def test_none():
    result = detect_json("jan@plain.test", expected_status=1)
    assert result["found"] is False
    assert result["source"] == "none"
    assert result["provider"] is None and result["url"] is None
    assert result["incoming"] == [] and result["outgoing"] == []
    assert {entry["result"] for entry in result["lookups"]} <= {"none", "error"}
    # Plain http copies are not asked without the person's consent.
    assert not [r for r in requests() if r["scheme"] == "http"]


def test_untrusted_without_cafile():
    # Without the test CA, the server's certificate does not verify: the
    # lookups fail, and nothing is found rather than something unverified.
    result = detect_json("jan@nic.test", expected_status=1, cafile=False)
    assert result["found"] is False
    assert lookup(result, "ispdb")[0]["result"] == "error"


def test_ispdb_turned_off():
    result = detect_json("jan@nic.test", expected_status=1,
                         extra_env={"SKRZYNKA_ISPDB_URL": ""})
    assert not lookup(result, "ispdb")


def test_human_output():
    status, out, err = detect("jan@dom.test", json_output=False)
    assert status == 0, (status, out, err)
    lines = out.splitlines()
    assert lines[0] == "Settings for jan@dom.test from local: %s" % os.path.join(
        Fixture.config_home, "skrzynka", "autoconfig", "dom.test.xml"), lines
    assert "Provider: Home folder" in lines
    incoming = lines.index("Incoming, best first:")
    assert lines[incoming + 1] == "  IMAP poczta.dom.test:993 SSL/TLS, user name jan"
    assert lines[incoming + 2] == "  POP3 poczta.dom.test:995 SSL/TLS, user name jan"
    outgoing = lines.index("Outgoing, best first:")
    assert lines[outgoing + 1] == "  SMTP smtp.dom.test:587 STARTTLS, user name jan"
    assert "Note: Ask IT support for your password. https://dom.test/poczta" in lines
    assert "local: looking at %s" % os.path.join(
        Fixture.config_home, "skrzynka", "autoconfig", "dom.test.xml") in err.splitlines()
    assert any(line.startswith("local: found (") for line in err.splitlines()), err


def test_steps_as_they_happen():
    # .well-known answers at once, the provider's file after 0.6 s: the
    # first step is on stderr before the command has finished.
    process = subprocess.Popen(
        [BINARY, "--detect", "jan@firma.test", "--cafile", Fixture.cafile],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, LANG="C.UTF-8", LANGUAGE="en",
                 XDG_CONFIG_HOME=Fixture.config_home, XDG_CONFIG_DIRS=Fixture.config_dir,
                 SKRZYNKA_ISPDB_URL=ISPDB_URL, SKRZYNKA_CONNECT_TO=Fixture.connect_to))
    first = process.stderr.readline()
    assert first.startswith("local: looking at "), first
    assert process.poll() is None, "the steps came only at the end"
    out, err = process.communicate(timeout=RUN_LIMIT)
    assert process.returncode == 0, (out, err)
    assert "autoconfig: found (" in err, err
    assert out.startswith("Settings for jan@firma.test from autoconfig: "
                          "https://autoconfig.firma.test/mail/config-v1.1.xml\n"), out


def test_human_none():
    status, out, err = detect("jan@plain.test", json_output=False)
    assert status == 1, (status, out, err)
    assert out == "No settings were found for plain.test.\n", out
    assert "autoconfig: nothing there (" in err, err


def test_bad_address():
    for address in ("jan", "jan@", "@firma.test", "jan@firma"):
        status, out, err = detect(address)
        assert status == 2, (address, status, out, err)
        assert out == "", out
        assert err.startswith("skrzynka: "), err
        assert len(err.splitlines()) == 1, err


def test_bad_usage():
    for extra, problem in ((["--password-stdin"], "--detect takes no password"),
                           (["--list"], "Give only one of")):
        process = subprocess.run([BINARY, "--detect", "jan@dom.test"] + extra,
                                 capture_output=True, text=True, timeout=RUN_LIMIT,
                                 env=dict(os.environ, LANG="C.UTF-8", LANGUAGE="en"))
        assert process.returncode == 2, (extra, process.returncode)
        assert process.stdout == ""
        assert process.stderr.startswith("skrzynka: " + problem), process.stderr


if __name__ == "__main__":
    sys.exit(tap.run([test_local_home, test_local_company, test_autoconfig, test_builtin,
                      test_gmail_and_outlook, test_well_known, test_ispdb, test_address_not_sent_to_ispdb,
                      test_none, test_untrusted_without_cafile, test_ispdb_turned_off,
                      test_human_output, test_steps_as_they_happen, test_human_none,
                      test_bad_address, test_bad_usage],
                     setup, teardown))
