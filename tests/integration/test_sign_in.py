#!/usr/bin/python3
# test_sign_in.py — signing in with a provider (sk-sign-in.h, through
# sign-in-driver) against the tests' own authorization server on loopback
# (tests/servers/oauth2_server.py), which a provider file in the private
# XDG_CONFIG_HOME points at.  This script plays the person's browser.
# Then the tokens it hands out log in to a real Dovecot that checks them
# with the server's introspection endpoint, as Gmail and Microsoft 365 do.
# Speaks TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "servers"))
sys.path.insert(0, os.path.join(HERE, ".."))
import oauth2_server  # noqa: E402
import testca  # noqa: E402
import tap  # noqa: E402

DRIVER = sys.argv.pop(1)
RUN_LIMIT = 60
USER = oauth2_server.DEFAULT_USER


class Fixture:
    folder = None
    ca = None
    server = None


def setup():
    Fixture.folder = tempfile.mkdtemp(prefix="skrzynka-sign-in.")
    Fixture.ca = testca.TestCA(os.path.join(Fixture.folder, "ca"))
    Fixture.server = oauth2_server.start(Fixture.ca)
    folder = os.path.join(os.environ["XDG_CONFIG_HOME"], "skrzynka", "oauth2")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "test.conf"), "w") as conf:
        conf.write(Fixture.server.provider_file())


def teardown():
    if Fixture.server is not None:
        Fixture.server.stop()


def after_each():
    Fixture.server.behaviour = "approve"


def sign_in(browse=True, timeout=None):
    """Runs a sign-in; the browser follows the address the driver opens.
    Returns (the driver's JSON, the browser's (status, page))."""
    args = [DRIVER, "sign-in", "test", USER, "--cafile", Fixture.ca.cafile]
    if timeout:
        args += ["--timeout", str(timeout)]
    driver = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    browser = {}
    try:
        line = driver.stdout.readline()
        assert line.startswith("OPEN "), line
        uri = line[5:].strip()
        browser["uri"] = uri
        if browse:
            browser["answer"] = oauth2_server.follow(uri, Fixture.ca.cafile)
        out, _ = driver.communicate(timeout=RUN_LIMIT)
    finally:
        if driver.poll() is None:
            driver.kill()
    assert driver.returncode == 0, out
    return json.loads(out), browser


def refresh(token):
    run = subprocess.run([DRIVER, "refresh", "test", token, "--cafile", Fixture.ca.cafile],
                         capture_output=True, text=True, timeout=RUN_LIMIT, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_sign_in_gives_tokens():
    result, browser = sign_in()
    assert "error" not in result, result
    assert result["access_token"] and result["refresh_token"], result
    assert 3500 < result["expires_in"] <= 3600, result
    status, page = browser["answer"]
    assert status == 200 and "go back to Skrzynka" in page, page
    # What went to the provider: PKCE S256, a state, the redirect on
    # 127.0.0.1, the login hint; the verifier only to the token endpoint.
    authorize = [r for r in Fixture.server.requests if r["path"] == "/authorize"][-1]
    token = [r for r in Fixture.server.requests if r["path"] == "/token"][-1]
    assert authorize["params"]["code_challenge_method"] == "S256"
    assert authorize["params"]["login_hint"] == USER
    assert authorize["params"]["redirect_uri"].startswith("http://127.0.0.1:")
    assert len(authorize["params"]["state"]) >= 22
    assert "code_verifier" not in authorize["params"]
    assert token["params"]["grant_type"] == "authorization_code"
    assert len(token["params"]["code_verifier"]) == 43
    assert token["headers"].get("User-Agent", "").startswith("Skrzynka/")


def test_refresh():
    result, _ = sign_in()
    refreshed = refresh(result["refresh_token"])
    assert "error" not in refreshed, refreshed
    assert refreshed["access_token"] != result["access_token"]
    # The server sent no new refresh token: the old one stays.
    assert refreshed["refresh_token"] == result["refresh_token"]


def test_revoked_refresh_token():
    result, _ = sign_in()
    Fixture.server.revoke_refresh_tokens()
    refreshed = refresh(result["refresh_token"])
    assert refreshed["error"] == "sign-in-required", refreshed
    assert "expired or revoked" in refreshed["message"], refreshed


def test_declined():
    Fixture.server.behaviour = "decline"
    result, browser = sign_in()
    assert result["error"] == "denied", result
    assert "not completed" in browser["answer"][1]


def test_admin_approval():
    Fixture.server.behaviour = "admin-approval"
    result, _ = sign_in()
    assert result["error"] == "admin-approval", result
    assert "AADSTS90094" in result["message"], result


def test_browser_never_comes_back():
    result, _ = sign_in(browse=False, timeout=1)
    assert result["error"] == "timed-out", result


def test_not_configured():
    run = subprocess.run([DRIVER, "sign-in", "microsoft", USER], capture_output=True,
                         text=True, timeout=RUN_LIMIT, check=False)
    result = json.loads(run.stdout)
    assert result["error"] == "not-configured", result
    assert "client-id=" in result["message"], result
    assert "OPEN" not in run.stdout


sys.exit(tap.run([test_sign_in_gives_tokens, test_refresh, test_revoked_refresh_token,
                  test_declined, test_admin_approval, test_browser_never_comes_back,
                  test_not_configured],
                 setup, teardown, after_each))
