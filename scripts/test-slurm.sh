#!/usr/bin/env bash
# Runs the Slurm backend's tests against a real Slurm: starts the test cluster (one slurmctld, two
# slurmd nodes × 8 fake H100, a loopback sshd; test/slurm/start.sh), builds and runs
# out/test/slurm/*.test.js with node:test, then stops everything it started (by PID).
#
# Contract: needs root (the daemons run as root; packages are apt-installed when missing); reads no
# stdin. Prints node:test's summary (spec reporter: "ℹ tests N … ℹ pass N ℹ fail N").
#   exit 0  all tests passed
#   exit 1  a test failed
#   exit 2  the test cluster could not be started (its log tail is printed)
# Env: GANTRY_SLURM_DIR, GANTRY_SLURM_PORT (see test/slurm/start.sh); GANTRY_SLURM_KEEP=1 leaves
# the cluster running afterwards; GANTRY_SLURM_SKIP_BUILD=1 when out/ is already built.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export GANTRY_SLURM_DIR="${GANTRY_SLURM_DIR:-${TMPDIR:-/tmp}/gantry-slurm-test}"

stop() { [ "${GANTRY_SLURM_KEEP:-0}" = 1 ] || bash test/slurm/stop.sh </dev/null; }
trap stop EXIT

if ! envs=$(bash test/slurm/start.sh </dev/null); then
  echo "test-slurm: the test Slurm could not be started" >&2
  tail -n 20 "$GANTRY_SLURM_DIR"/log/*.log 2>/dev/null >&2
  exit 2
fi
while IFS= read -r line; do [[ "$line" == *=* ]] && export "${line?}"; done <<<"$envs"

if [ "${GANTRY_SLURM_SKIP_BUILD:-0}" != 1 ]; then
  node scripts/build.mjs --tests >/dev/null || { echo "test-slurm: build failed" >&2; exit 1; }
fi
# One file at a time: restart.test.ts stops slurmctld, which the other files must not see.
node --test --test-concurrency=1 --test-reporter=spec out/test/slurm/ </dev/null
code=$?
[ "$code" = 0 ] || code=1
exit "$code"
