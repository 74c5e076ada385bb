#!/bin/bash
# test.sh — every check, as CI runs it
#
#   1. build-test: a fresh build; all test suites (unit, integration, ui)
#   2. build-asan: a fresh build with AddressSanitizer and UBSan; the same
#      suites, stopping at the first error each finds
#   3. build-fuzz (when clang is installed): the fuzz targets of tests/fuzz,
#      each for a short, fixed number of runs over its seeds
#
# The last line sums up all runs from meson's testlog.json:
# "N passed, N failed" (and ", N skipped" when some were).  The exit status
# is non-zero when anything failed, a build included.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

bash build-aux/deps.sh

passed=0
failed=0
skipped=0

# Adds the results of one run to the totals.
count_results ()
{
  # testlog.json, or testlog-WRAPPER.json for a run with --wrapper; check()
  # leaves only the latest run's.
  local logs=("$1"/meson-logs/testlog*.json) log counts p f s

  log=${logs[0]}
  if [[ ${#logs[@]} -ne 1 || ! -f $log ]]; then
    echo "test: no test results in $1" >&2
    failed=$((failed + 1))
    return
  fi
  # One JSON object per test and line.  A TAP test counts its cases; any
  # other test counts once.
  counts=$(/usr/bin/python3 - "$log" <<'PY'
import json, re, sys

counts = {"passed": 0, "failed": 0, "skipped": 0}
case = re.compile(r"^(not ok|ok)\b(.*)$", re.MULTILINE)
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        if not line.strip():
            continue
        test = json.loads(line)
        good = test["result"] in ("OK", "EXPECTEDFAIL")
        cases = case.findall(test.get("stdout") or "")
        if not cases:
            key = "passed" if good else "skipped" if test["result"] == "SKIP" else "failed"
            counts[key] += 1
            continue
        failed = 0
        for verdict, rest in cases:
            if "# SKIP" in rest.upper():
                counts["skipped"] += 1
            elif verdict == "ok":
                counts["passed"] += 1
            else:
                failed += 1
        # A test that crashed after its last case still failed.
        counts["failed"] += failed if failed or good else 1
print(counts["passed"], counts["failed"], counts["skipped"])
PY
)
  read -r p f s <<<"$counts"
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
}

# build BUILD_DIR "SETUP OPTIONS" [TARGETS…]: a fresh build; fails (and
# counts a failure) when it cannot be configured or built.
build ()
{
  local build=$1 options=$2 setup_log
  shift 2

  echo "test: ${build##*/}"
  rm -rf -- "$build"
  # The options are separate words on purpose.
  # shellcheck disable=SC2086
  if ! setup_log=$(meson setup $options "$build" 2>&1); then
    echo "$setup_log" >&2
    echo "test: ${build##*/} could not be configured" >&2
    failed=$((failed + 1))
    return 1
  fi
  if ! meson compile -C "$build" "$@"; then
    echo "test: ${build##*/} did not build" >&2
    failed=$((failed + 1))
    return 1
  fi
}

# check BUILD_DIR [MESON TEST OPTIONS…]: one meson test run, counted on
# its own.
check ()
{
  local build=$1
  shift

  rm -f -- "$build"/meson-logs/testlog*.json
  meson test -C "$build" --print-errorlogs "$@" || true
  count_results "$build"
}

if build "$PWD/build-test" ""; then
  check "$PWD/build-test"
fi

# Stop at the first report, with the whole stack that led to it: GLib is
# built without frame pointers, so only the slow unwinder sees through it
# (and only then can a suppression match a frame inside GLib).
# The timing checks (a cancel within 100 ms) allow for the slower build.
export SKRZYNKA_TEST_TIME_SCALE=5
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:fast_unwind_on_malloc=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
if build "$PWD/build-asan" "-Db_sanitize=address,undefined"; then
  LSAN_OPTIONS="suppressions=$PWD/build-aux/lsan.supp:print_suppressions=0" \
    check "$PWD/build-asan" --suite unit --suite integration --timeout-multiplier 3
  # The libraries under a window keep some memory to the end on purpose;
  # only the window tests may overlook that.  G_DEBUG loses fatal-warnings
  # here: slowed down as it is, the window answers the AT-SPI driver late,
  # and the driver's own dbind-WARNING about it would end the test (the
  # build-test run keeps fatal-warnings for the program).
  LSAN_OPTIONS="suppressions=$PWD/build-aux/lsan-ui.supp:print_suppressions=0" \
    check "$PWD/build-asan" --suite ui --timeout-multiplier 3 \
      --wrapper "env G_DEBUG=gc-friendly"
fi
unset ASAN_OPTIONS UBSAN_OPTIONS SKRZYNKA_TEST_TIME_SCALE

if command -v clang >/dev/null; then
  fuzz_targets=(fuzz-keyfile fuzz-transcript fuzz-certificate fuzz-providers
                fuzz-app-password fuzz-json fuzz-autoconfig fuzz-oauth2
                fuzz-redirect)
  # The program, its window and its tests are not needed here: only the
  # fuzz targets are built.
  if CC=clang build "$PWD/build-fuzz" "-Dfuzzing=true" "${fuzz_targets[@]}"; then
    check "$PWD/build-fuzz" --suite fuzz --no-rebuild
  fi
else
  echo "test: clang is not installed, so the fuzz targets were not run" >&2
fi

if ((skipped > 0)); then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
((failed == 0))
