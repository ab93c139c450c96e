#!/usr/bin/env bash
# Stop what test/slurm/start.sh started: only the PIDs recorded in $D/run/NAME.pid, each after
# checking /proc/PID/cmdline still names that daemon. Never kills by name.
#   stop.sh              cancel all jobs, then stop every daemon
#   stop.sh NAME...      stop only those daemons (e.g. `stop.sh slurmctld`), jobs left alone
# Env: GANTRY_SLURM_DIR as for start.sh. GANTRY_SLURM_PURGE=1 also deletes the directory.
set -uo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
D="${GANTRY_SLURM_DIR:-${TMPDIR:-/tmp}/gantry-slurm-test}"
export SLURM_CONF="$D/etc/slurm.conf"
log() { printf '[gantry-slurm] %s\n' "$*" >&2; }
[ -d "$D/run" ] || { log "nothing to stop"; exit 0; }

pid_of() {
  local f="$D/run/$1.pid" pid cmd
  [ -s "$f" ] || return 1
  pid=$(cat "$f") || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ "$cmd" == *"$2"* ]] || return 1
  echo "$pid"
}
stop_names() { # TERM them all, wait up to 10 s, then KILL what is left
  local name pid pids=()
  for name in "$@"; do
    if pid=$(pid_of "$name" "${name%%-*}"); then kill -TERM "$pid" 2>/dev/null; pids+=("$pid"); fi
    rm -f "$D/run/$name.pid"
  done
  [ "${#pids[@]}" -gt 0 ] || return 0
  for _ in $(seq 1 100); do
    local left=0; for pid in "${pids[@]}"; do [ -d "/proc/$pid" ] && left=1; done
    [ "$left" = 0 ] && break; sleep 0.1
  done
  for pid in "${pids[@]}"; do [ -d "/proc/$pid" ] && { log "pid $pid ignored TERM; KILL"; kill -KILL "$pid" 2>/dev/null; }; done
  log "stopped $* (pids ${pids[*]})"
}

if [ "$#" -gt 0 ]; then stop_names "$@"; exit 0; fi

if pid_of slurmctld slurmctld >/dev/null && timeout 10 scontrol ping >/dev/null 2>&1; then
  ids=$(timeout 10 squeue -h -o %A 2>/dev/null | sort -u)
  if [ -n "$ids" ]; then
    # shellcheck disable=SC2086
    timeout 10 scancel $ids >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do [ -z "$(timeout 5 squeue -h -t R,CG,S -o %i 2>/dev/null)" ] && break; sleep 0.5; done
  fi
fi
names=(sshd slurmctld)
for f in "$D"/run/slurmd-*.pid; do [ -e "$f" ] && names+=("$(basename "$f" .pid)"); done
stop_names "${names[@]}"
stop_names munged
if [ "${GANTRY_SLURM_PURGE:-0}" = 1 ]; then rm -rf "$D"; log "removed $D"; fi
exit 0
