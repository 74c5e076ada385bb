#!/bin/bash
# test.sh — every check, as CI runs it
#
#   1. build-test: a fresh build; all test suites (unit, integration, ui)
#   2. build-asan: a fresh build with AddressSanitizer and UBSan; the unit
#      suite, stopping at the first error each finds
#
# The last line sums up both runs from meson's testlog.json:
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
  local log=$1/meson-logs/testlog.json counts p f s

  if [[ ! -f $log ]]; then
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

# run BUILD_DIR "SETUP OPTIONS" [MESON TEST OPTIONS…]
run ()
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
    return
  fi
  if ! meson compile -C "$build"; then
    echo "test: ${build##*/} did not build" >&2
    failed=$((failed + 1))
    return
  fi
  meson test -C "$build" --print-errorlogs "$@" || true
  count_results "$build"
}

run "$PWD/build-test" ""

# Stop at the first report, with the whole stack that led to it: GLib is
# built without frame pointers, so only the slow unwinder sees through it
# (and only then can lsan.supp match a frame inside GLib).
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$PWD/build-aux/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
run "$PWD/build-asan" "-Db_sanitize=address,undefined" \
  --suite unit --timeout-multiplier 3

if ((skipped > 0)); then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
((failed == 0))
