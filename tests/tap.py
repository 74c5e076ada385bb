# tap.py — runs a test script's cases and reports them in TAP, for meson
#
# SPDX-License-Identifier: GPL-3.0-or-later

import signal
import sys
import time
import traceback


def run(tests, setup, teardown, after_each=None, always=()):
    """Runs tests (functions; those named on the command line, when any,
    plus those in always) between setup() and teardown(), after_each()
    after every case.  Returns the exit status: 1 when a case failed."""
    only = sys.argv[1:]
    tests = [t for t in tests if not only or t.__name__ in only or t in always]
    # A signal ends the run through SystemExit, so every server stops.
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda n, _f: sys.exit(128 + n))

    print("1..%d" % len(tests), flush=True)
    started = time.monotonic()
    failed = 0
    try:
        setup()
        for number, test in enumerate(tests, 1):
            case_started = time.monotonic()
            try:
                test()
                print("ok %d - %s" % (number, test.__name__), flush=True)
            except Exception:
                failed += 1
                print("not ok %d - %s" % (number, test.__name__), flush=True)
                for line in traceback.format_exc().splitlines():
                    print("# " + line, flush=True)
            print("# %s took %.2f s" % (test.__name__, time.monotonic() - case_started),
                  flush=True)
            if after_each is not None:
                after_each()
    finally:
        teardown()
    print("# all cases took %.2f s" % (time.monotonic() - started), flush=True)
    return 1 if failed else 0
