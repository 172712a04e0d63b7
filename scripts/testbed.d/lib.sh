# Shared helpers of scripts/testbed: state paths, pid bookkeeping, bounded waits, loud failures.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TB="${TESTBED_DIR:-$REPO_ROOT/.testbed}"
TB_PIDS="$TB/pids"
TB_LOGS="$TB/logs"
mkdir -p "$TB_PIDS" "$TB_LOGS"

log() { printf '[testbed] %s\n' "$*" >&2; }

die() {
  log "ERROR: $*"
  exit 1
}

# fail_component NAME LOGFILE MESSAGE: name what failed with the tail of its log.
fail_component() {
  log "ERROR: $1 failed to start: $3"
  if [[ -n "$2" && -f "$2" ]]; then
    log "---- last lines of $2 ----"
    tail -n 25 "$2" >&2
  fi
  exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds or the timeout passes.
wait_for() {
  local secs=$1 what=$2
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.2
  done
}

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# record_pid NAME PID: remember a process `up` started, so `down` stops exactly it.
record_pid() { echo "$2" >"$TB_PIDS/$1.pid"; }

# record_pidfile NAME FILE: copy the pid a daemon wrote itself.
record_pidfile() {
  local pid
  pid=$(cat "$2" 2>/dev/null || true)
  [[ -n "$pid" ]] && record_pid "$1" "$pid"
}

recorded_pid() { cat "$TB_PIDS/$1.pid" 2>/dev/null || true; }

component_running() { pid_alive "$(recorded_pid "$1")"; }

stop_recorded() {
  local name=$1 pid
  pid=$(recorded_pid "$name")
  if pid_alive "$pid"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do pid_alive "$pid" || break; sleep 0.1; done
    pid_alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    log "stopped $name (pid $pid)"
  fi
  rm -f "$TB_PIDS/$name.pid"
}

# A long step prints something so a fresh-machine run never looks hung.
step() { log "▶ $*"; }
