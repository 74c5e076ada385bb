#!/bin/bash
# run.sh — builds Skrzynka and starts it from a private install
#
#   build-aux/run.sh [ARGS…]      e.g. build-aux/run.sh --list
#
# Installs into build-run/prefix, where the program finds its settings
# schema, icon and translations as it would on a real system (set
# LANGUAGE=pl for Polish), then runs it with ARGS.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

bash build-aux/deps.sh

build=$PWD/build-run
prefix=$build/prefix

if [[ ! -f $build/build.ninja ]]; then
  meson setup --prefix "$prefix" "$build"
fi
meson compile -C "$build"
meson install -C "$build" --quiet

export XDG_DATA_DIRS="$prefix/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export GSETTINGS_SCHEMA_DIR="$prefix/share/glib-2.0/schemas"
exec "$prefix/bin/skrzynka" "$@"
