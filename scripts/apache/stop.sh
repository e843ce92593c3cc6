#!/usr/bin/env bash
# Stop the Apache RocketMQ NameServer and broker (and slave) that scripts/apache/start.sh
# started, and check that none of their ports is still listening.
#
# Usage: scripts/apache/stop.sh [RUN_DIR]
#   RUN_DIR defaults to $BOOSTER_APACHE_RUN_DIR, else the last run dir
#   start.sh recorded in ${TMPDIR:-/tmp}/booster-apache.last.
# The run dir (logs, store) is removed when start.sh made it with mktemp,
# unless BOOSTER_APACHE_KEEP=1.
set -uo pipefail

say() { printf '[apache] %s\n' "$*" >&2; }
last="${TMPDIR:-/tmp}/booster-apache.last"
run="${1:-${BOOSTER_APACHE_RUN_DIR:-}}"
if [[ -z "$run" && -f "$last" ]]; then run="$(cat "$last")"; fi
if [[ -z "$run" || ! -f "$run/state" ]]; then
  say "nothing to stop (no run dir with a state file${run:+: $run})"
  exit 0
fi

NAMESRV_PID="" BROKER_PID="" SLAVE_PID="" PORTS="" MADE_RUN_DIR=0
# shellcheck disable=SC1091
source "$run/state"

# The JVMs were started with setsid, so each PID leads its own process
# group; signal exactly those groups (and nothing else).
alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }
is_ours() { # the PID still runs one of our JVMs (not a reused PID)
  [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$run"
}

stop_pid() { # stop_pid NAME PID: TERM, wait up to 30 s, then KILL
  local name=$1 pid=$2 i
  alive "$pid" || return 0
  if ! is_ours "$pid"; then
    say "pid $pid is no longer our $name; leaving it alone"
    return 0
  fi
  say "stopping $name (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 150); do
    alive "$pid" || { say "$name stopped"; return 0; }
    sleep 0.2
  done
  say "$name did not stop within 30 s; killing it"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  for i in $(seq 1 50); do alive "$pid" || return 0; sleep 0.2; done
  say "error: $name (pid $pid) survived SIGKILL"
  return 1
}

rc=0
# The brokers first (a slave before its master), so they unregister from a
# NameServer that is still up.
stop_pid slave "$SLAVE_PID" || rc=1
stop_pid broker "$BROKER_PID" || rc=1
stop_pid NameServer "$NAMESRV_PID" || rc=1

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in $PORTS; do
  if listening "$p"; then
    say "error: something still listens on 127.0.0.1:$p"
    rc=1
  fi
done

if [[ $rc -eq 0 ]]; then
  if [[ "${BOOSTER_APACHE_KEEP:-0}" == 1 || "$MADE_RUN_DIR" != 1 ]]; then
    say "kept $run"
  else
    rm -rf "$run"
  fi
  [[ -f "$last" && "$(cat "$last")" == "$run" ]] && rm -f "$last"
fi
exit $rc
