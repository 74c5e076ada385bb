#!/bin/bash
# deps.sh — installs what Skrzynka needs to build, run and test (Debian 12)
#
# As root: installs the missing packages (apt-get update once, then
# apt-get install), with apt's output in a log shown only on failure.
# As anyone else: installs nothing and says which packages are missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

packages=(
  # build
  meson ninja-build pkg-config gcc libc6-dev gettext
  libgtk-4-dev libglib2.0-dev libglib2.0-bin
  libcurl4-openssl-dev libssl-dev openssl libsecret-1-dev libpsl-dev libjson-glib-dev
  # packaging checks
  desktop-file-utils appstream
  # a private desktop session for the tests (tests/session.sh)
  xvfb xauth x11-utils dbus-daemon dbus-bin dbus-x11
  at-spi2-core python3-pyatspi gnome-keyring libsecret-tools
  fonts-dejavu-core adwaita-icon-theme librsvg2-common imagemagick
  # real mail servers for the integration tests
  dovecot-imapd dovecot-pop3d dovecot-submissiond python3-aiosmtpd
  # the fuzz targets (libFuzzer and the sanitizer runtimes of clang) and
  # readable sanitizer stacks
  clang libclang-rt-14-dev llvm
)

missing=()
for package in "${packages[@]}"; do
  if [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null) != ii* ]]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "deps: all ${#packages[@]} packages are installed"
  exit 0
fi

if ((EUID != 0)); then
  echo "deps: not root, so nothing was installed; missing: ${missing[*]}" >&2
  exit 0
fi

log=$(mktemp "${TMPDIR:-/tmp}/skrzynka-deps.XXXXXX.log")
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update &&
       apt-get install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "deps: installing failed; the log is in $log" >&2
  exit 1
fi
rm -f -- "$log"
echo "deps: installed ${#missing[@]} packages"
