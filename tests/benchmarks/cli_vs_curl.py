#!/usr/bin/python3
# cli_vs_curl.py — how much the whole command-line test costs over the bare
# logins it is built on, on a slow link
#
#   cli_vs_curl.py SKRZYNKA CURL_LOGINS [--runs N] [--delay-ms MS]
#
# A real Dovecot (tests/servers/dovecot.py) stands behind delay_proxy.py,
# which holds every chunk 25 ms in each direction, so that the round trips
# of the logins dominate, as they do against a real server.  Through it,
# in the same run and interleaved (the order alternating), N times each:
#   (a) skrzynka --test-file F --password-stdin --cafile CA --json
#       (IMAP over SSL/TLS and SMTP over SSL/TLS, tested in parallel);
#   (b) curl-logins: the same two logins with bare libcurl, on two threads.
# Both are whole processes, timed from start to exit.  Target: median (a)
# / median (b) <= 1.10.  A benchmark reports: a machine too slow for the
# target gets "not ok … # TODO", which does not fail the run; only a test
# that did not log in, or a proxy or server that did not start, fails.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "servers"))

TARGET_RATIO = 1.10
RUN_LIMIT = 30.0


class Tap:
    def __init__(self, plan):
        self.number = 0
        print("TAP version 13\n1..%d" % plan, flush=True)

    def result(self, ok, name, todo=None):
        self.number += 1
        directive = " # TODO %s" % todo if todo and not ok else ""
        print("%s %d - %s%s" % ("ok" if ok else "not ok", self.number, name, directive),
              flush=True)

    @staticmethod
    def note(text=""):
        for line in text.splitlines() or [""]:
            print(("# " + line).rstrip(), flush=True)


class DelayProxy:
    """delay_proxy.py in front of some ports, as long as we hold it."""

    def __init__(self, upstream_ports, delay_ms):
        self.process = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HERE, "delay_proxy.py"),
             "--delay-ms", str(delay_ms), "--lifetime", "300"]
            + [str(port) for port in upstream_ports],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ports = {}
        for line in self.process.stdout:
            if line.strip() == "READY":
                break
            upstream, local = line.split()
            self.ports[int(upstream)] = int(local)
        if len(self.ports) != len(upstream_ports):
            self.stop()
            raise RuntimeError("delay_proxy.py did not start")

    def stop(self):
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def timed(args, stdin, env):
    started = time.perf_counter()
    run = subprocess.run(args, input=stdin, capture_output=True, env=env,
                         timeout=RUN_LIMIT)
    return time.perf_counter() - started, run


def describe(run):
    return ("exit status %d\nstdout: %s\nstderr: %s"
            % (run.returncode, run.stdout.decode(errors="replace")[:2000],
               run.stderr.decode(errors="replace")[:2000]))


def write_account(folder, host, imaps, smtps, user):
    path = os.path.join(folder, "account.conf")
    with open(path, "w", encoding="utf-8") as key_file:
        key_file.write("[Account]\n"
                       "name=Benchmark\n"
                       "email=%(user)s\n"
                       "type=imap\n"
                       "incoming-host=%(host)s\n"
                       "incoming-port=%(imaps)d\n"
                       "incoming-security=ssl\n"
                       "username=%(user)s\n"
                       "outgoing-host=%(host)s\n"
                       "outgoing-port=%(smtps)d\n"
                       "outgoing-security=ssl\n"
                       "outgoing-auth=true\n"
                       "timeout=60\n" % dict(host=host, imaps=imaps, smtps=smtps, user=user))
    return path


def figures(values):
    return ("median %6.1f ms   min %6.1f ms   max %6.1f ms"
            % (statistics.median(values) * 1000, min(values) * 1000, max(values) * 1000))


def main():
    parser = argparse.ArgumentParser(description="The CLI test against bare libcurl logins.")
    parser.add_argument("skrzynka")
    parser.add_argument("curl_logins")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--delay-ms", type=float, default=25.0)
    args = parser.parse_args()

    if shutil.which("dovecot") is None:
        print("1..0 # SKIP dovecot is not installed")
        return 0

    import dovecot

    tap = Tap(3)
    folder = tempfile.mkdtemp(prefix="skrzynka-bench.")
    proxy = None
    try:
        with dovecot.start() as server:
            proxy = DelayProxy([server.ports["imaps"], server.ports["submissions"]],
                               args.delay_ms)
            imaps = proxy.ports[server.ports["imaps"]]
            smtps = proxy.ports[server.ports["submissions"]]
            account = write_account(folder, server.host, imaps, smtps, server.user)
            config_home = os.path.join(folder, "config")
            os.mkdir(config_home)
            env = dict(os.environ, XDG_CONFIG_HOME=config_home, LANG="C.UTF-8")
            env.pop("LANGUAGE", None)
            password = (server.password + "\n").encode()

            cli = [args.skrzynka, "--test-file", account, "--password-stdin",
                   "--cafile", server.cafile, "--json"]
            bare = [args.curl_logins, server.host, str(imaps), str(smtps),
                    server.user, server.cafile]

            tap.note("Dovecot on %s, IMAPS %d and SMTPS %d behind a proxy delaying "
                     "every chunk %g ms each way"
                     % (server.host, server.ports["imaps"], server.ports["submissions"],
                        args.delay_ms))

            cli_times, bare_times, engine_sides, bare_sides = [], [], [], []
            cli_failure = bare_failure = None
            # One unmeasured run each: the first start of a program pays for
            # loading it from disk.
            for i in range(-1, args.runs):
                order = ((cli, cli_times), (bare, bare_times))
                if i % 2:
                    order = order[::-1]
                for command, times in order:
                    seconds, run = timed(command, password, env)
                    if command is cli:
                        try:
                            result = json.loads(run.stdout.decode())
                        except ValueError:
                            result = None
                        if run.returncode != 0 or not result or result.get("ok") is not True:
                            cli_failure = cli_failure or describe(run)
                            continue
                        sides = (result["incoming"]["seconds"], result["outgoing"]["seconds"])
                    else:
                        if run.returncode != 0:
                            bare_failure = bare_failure or describe(run)
                            continue
                        sides = tuple(float(line.split()[1])
                                      for line in run.stdout.decode().splitlines()[:2])
                    if i >= 0:
                        times.append(seconds)
                        (engine_sides if command is cli else bare_sides).append(max(sides))
            # What each program costs before it does anything: both end at
            # once on bad usage.
            startup = {"cli": [], "bare": []}
            for _ in range(args.runs):
                startup["cli"].append(timed([args.skrzynka, "--test-file",
                                             os.path.join(folder, "missing.conf"),
                                             "--password-stdin", "--json"], password, env)[0])
                startup["bare"].append(timed([args.curl_logins], b"", env)[0])
    finally:
        if proxy:
            proxy.stop()
        shutil.rmtree(folder, ignore_errors=True)

    tap.result(cli_failure is None and len(cli_times) == args.runs,
               "the command-line test logged in on both sides, %d of %d runs"
               % (len(cli_times), args.runs))
    if cli_failure:
        tap.note("first failed run of the command line:\n" + cli_failure)
    tap.result(bare_failure is None and len(bare_times) == args.runs,
               "the bare libcurl logins succeeded, %d of %d runs"
               % (len(bare_times), args.runs))
    if bare_failure:
        tap.note("first failed run of curl-logins:\n" + bare_failure)

    if not cli_times or not bare_times:
        tap.result(False, "no ratio: nothing to compare")
        tap.note("verdict: not measured")
        return 0

    ratio = statistics.median(cli_times) / statistics.median(bare_times)
    tap.note()
    tap.note("whole process, start to exit (%d runs each, interleaved):" % args.runs)
    tap.note("  skrzynka --test-file --json   " + figures(cli_times))
    tap.note("  curl-logins (2 threads)       " + figures(bare_times))
    tap.note("slower side, as each program measured it itself:")
    tap.note("  engine (JSON \"seconds\")       " + figures(engine_sides))
    tap.note("  bare libcurl                  " + figures(bare_sides))
    tap.note("start-up alone (bad usage, exit at once):")
    tap.note("  skrzynka                      " + figures(startup["cli"]))
    tap.note("  curl-logins                   " + figures(startup["bare"]))
    tap.note()
    met = ratio <= TARGET_RATIO
    tap.result(met, "ratio of medians %.3f (target <= %.2f)" % (ratio, TARGET_RATIO),
               todo="target not met on this machine")
    tap.note("verdict: ratio %.3f, target <= %.2f %s"
             % (ratio, TARGET_RATIO, "met" if met else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
