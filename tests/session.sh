#!/bin/bash
# session.sh — runs a command in a private desktop session of its own
#
#   tests/session.sh [--x11] [--keyring|--no-keyring] -- CMD ARGS…
#
#   --x11         an Xvfb server on a free display (DISPLAY and
#                 GDK_BACKEND=x11 are exported) and the accessibility bus,
#                 so that a real window can be shown and driven
#   --keyring     an unlocked gnome-keyring answering on the session bus
#   --no-keyring  a session bus that can start no service at all, so that
#                 no keyring can be started on demand either
#
# Every run gets fresh HOME and XDG folders and its own D-Bus session bus,
# and leaves no process and no folder behind.  Test suites run this in
# parallel, so nothing here may use a fixed path or display number.  The
# exit status is CMD's.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

usage ()
{
  echo "usage: $0 [--x11] [--keyring|--no-keyring] -- CMD [ARGS…]" >&2
  exit 2
}

# Waits until NAME has an owner on the session bus: a daemon that forks
# into the background claims its name a little after the fork returns.
wait_for_bus_name ()
{
  local name=$1 tries
  for ((tries = 0; tries < 200; tries++)); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus \
         /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
         "string:$name" 2>/dev/null | grep -q 'boolean true'; then
      return 0
    fi
    sleep 0.05
  done
  echo "session.sh: $name did not appear on the session bus" >&2
  return 1
}

# The second half runs inside dbus-run-session, which ends the bus (and
# with it gnome-keyring) when this shell exits.
inside_session ()
{
  local x11=$1 keyring=$2 line status cmd_env=()
  shift 2
  while [[ $1 != -- ]]; do
    cmd_env+=("$1")
    shift
  done
  shift

  if [[ $x11 == yes ]]; then
    /usr/libexec/at-spi-bus-launcher --launch-immediately &
    at_spi_pid=$!
    trap 'kill "$at_spi_pid" 2>/dev/null; wait' EXIT
    wait_for_bus_name org.a11y.Bus
  fi

  if [[ $keyring == yes ]]; then
    # The daemon prints the variables (if any) its clients need.
    while IFS= read -r line; do
      if [[ $line == [A-Z_]*=* ]]; then
        export "${line?}"
      fi
    done < <(printf '%s' pw |
             gnome-keyring-daemon --unlock --components=secrets --daemonize)
    wait_for_bus_name org.freedesktop.secrets
  fi

  # Run in the background so that a signal interrupts `wait` at once
  # instead of waiting for CMD; keep stdin, which `&` would otherwise close.
  env "${cmd_env[@]}" "$@" <&0 >&3 3>&- &
  status=0
  wait "$!" || status=$?
  return "$status"
}

if [[ ${1-} == --inside-session ]]; then
  shift
  inside_session "$@"
  exit
fi

x11=no
keyring=default
while (($#)); do
  case $1 in
    --x11) x11=yes ;;
    --keyring) keyring=yes ;;
    --no-keyring) keyring=no ;;
    --) shift; break ;;
    *) usage ;;
  esac
  shift
done
(($#)) || usage

self=$(readlink -f -- "${BASH_SOURCE[0]}")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skrzynka-session.XXXXXX")
xvfb_pid=

# Ends whatever still runs with this session's runtime folder in its
# environment: services the bus started on demand and daemons that left
# their parent (gnome-keyring) are nobody's child and cannot be waited for.
kill_leftovers ()
{
  local marker="XDG_RUNTIME_DIR=$tmp/run" pids=() proc var pid round

  for round in TERM TERM TERM TERM TERM KILL; do
    pids=()
    for proc in /proc/[0-9]*; do
      pid=${proc#/proc/}
      [[ $pid == "$$" ]] && continue
      # Plain shell reading on purpose: a helper program started from here
      # would carry the marker itself.
      { while IFS= read -r -d '' var; do
          if [[ $var == "$marker" ]]; then
            pids+=("$pid")
            break
          fi
        done < "$proc/environ"; } 2>/dev/null || true
    done
    ((${#pids[@]})) || return 0
    kill "-$round" "${pids[@]}" 2>/dev/null || true
    sleep 0.1
  done
}

cleanup ()
{
  local status=$?
  trap - EXIT INT TERM HUP
  if [[ -n $xvfb_pid ]]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  kill_leftovers
  rm -rf -- "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

export HOME="$tmp/home"
export XDG_RUNTIME_DIR="$tmp/run"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CACHE_HOME="$HOME/.cache"
export XDG_STATE_HOME="$HOME/.local/state"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" \
  "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
# The runtime folder must be private; mktemp made the rest so already.
chmod 700 "$XDG_RUNTIME_DIR"

# Nothing of the caller's own desktop session may leak in.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS \
  GNOME_KEYRING_CONTROL SSH_AUTH_SOCK XAUTHORITY

if [[ $x11 == yes ]]; then
  # -displayfd lets Xvfb pick a free display and write its number once it
  # accepts connections.
  Xvfb -displayfd 3 -nolisten tcp -noreset -screen 0 1280x1024x24 \
    3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for ((tries = 0; tries < 400; tries++)); do
    [[ -s $tmp/display ]] && break
    if ! kill -0 "$xvfb_pid" 2>/dev/null; then
      break
    fi
    sleep 0.05
  done
  if [[ ! -s $tmp/display ]]; then
    echo "session.sh: Xvfb did not start:" >&2
    cat "$tmp/xvfb.log" >&2
    exit 1
  fi
  DISPLAY=":$(<"$tmp/display")"
  export DISPLAY
  export GDK_BACKEND=x11
fi

# The standard session configuration, listening inside the temp folder.
# Without --no-keyring it keeps the standard service folders; with it the
# bus can start no service at all, gnome-keyring included.
servicedirs='<standard_session_servicedirs/>'
if [[ $keyring == no ]]; then
  servicedirs=
fi
mkdir -m 700 "$tmp/bus"
cat >"$tmp/bus/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=$tmp/bus/socket</listen>
  <auth>EXTERNAL</auth>
  $servicedirs
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF

# Debugging settings meant for the program under test would make the
# session's daemons abort on their own harmless warnings (gnome-keyring
# warns each time an item is replaced): only CMD gets them.
cmd_env=()
for name in G_DEBUG G_SLICE MALLOC_CHECK_ MALLOC_PERTURB_; do
  if [[ -v $name ]]; then
    cmd_env+=("$name=${!name}")
    unset "$name"
  fi
done

status=0
dbus-run-session --config-file="$tmp/bus/session.conf" -- \
  "$BASH" "$self" --inside-session "$x11" "$keyring" "${cmd_env[@]}" -- \
  "$@" <&0 3>&1 >&2 &
wait "$!" || status=$?
exit "$status"
