#!/usr/bin/env bash
# Stage "50-slurm" of scripts/test.sh: Gantry on a REAL Slurm (one slurmctld, two slurmd nodes × 8
# fake H100, a loopback sshd; test/slurm/start.sh).
#   1. scripts/test-slurm.sh: the backend's and the CLI's node:test files (out/test/slurm), with the
#      cluster kept up afterwards;
#   2. the "slurm" mocha suite (test/integration/slurm.test.ts) in a real VS Code extension host
#      (tools/vscode-e2e/scripts/run-integration.sh, E2E_GREP=slurm), with GANTRY_SLURM_E2E=1 and the
#      cluster's variables (SLURM_CONF, …) in the environment code-server — and so the extension —
#      inherits. The fake nvidia-smi stands in on the nodes (GANTRY_NVIDIA_SMI).
# Both print their summaries (node:test "ℹ pass N", mocha "N passing"), which test.sh counts.
# The cluster is stopped at the end by test/slurm/stop.sh (recorded PIDs only), unless it was already
# running before this stage began (then it is someone else's and is left alone).
#
# Needs root (the daemons run as root; test-slurm.sh apt-installs slurm-wlm etc. on a cold machine).
# Not root: re-runs itself with passwordless sudo when there is one, else is skipped (exit 0).
# Exit: 0 pass or skipped, 1 a test failed, 2 the cluster could not be started.
# Env: GANTRY_SLURM_DIR, GANTRY_SLURM_PORT as for test/slurm/start.sh.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
say() { printf '[50-slurm] %s\n' "$*"; }

if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "not root: re-running with passwordless sudo"
    exec sudo -n -E env "PATH=$PATH" bash "$0" "$@"
  fi
  say "SKIPPED: the test Slurm needs root (its daemons run as root) and there is no passwordless sudo"
  [[ -n "${GANTRY_STAGE_COUNTS:-}" ]] && printf 'pass 0\nfail 0\n' >"$GANTRY_STAGE_COUNTS"
  exit 0
fi

export GANTRY_SLURM_DIR="${GANTRY_SLURM_DIR:-${TMPDIR:-/tmp}/gantry-slurm-test}"
D="$GANTRY_SLURM_DIR"
artifacts="${GANTRY_STAGE_DIR:-${E2E_ARTIFACTS:-$root/.e2e-artifacts}/stages/50-slurm}"
mkdir -p "$artifacts"

# Was a test cluster already up (a colleague's GANTRY_SLURM_KEEP=1)? Then it is not ours to stop.
preexisting=0
if [[ -s "$D/run/slurmctld.pid" ]] && tr '\0' ' ' <"/proc/$(cat "$D/run/slurmctld.pid")/cmdline" 2>/dev/null | grep -q slurmctld; then
  preexisting=1
  say "a test cluster is already running in $D: using it, and leaving it running"
fi
stop_cluster() { [[ "$preexisting" == 1 ]] || bash test/slurm/stop.sh </dev/null; }
trap stop_cluster EXIT

t0=$SECONDS
say "1/2 node:test against the real Slurm (scripts/test-slurm.sh)"
GANTRY_SLURM_KEEP=1 bash scripts/test-slurm.sh </dev/null
rc_node=$?
say "scripts/test-slurm.sh: exit $rc_node in $((SECONDS - t0))s"
if [[ "$rc_node" == 2 ]]; then
  say "the test Slurm could not be started; the VS Code suite cannot run"
  exit 2
fi

# The variables start.sh printed (SLURM_CONF, GANTRY_SSH_*, GANTRY_FAKE_NVIDIA_SMI).
if [[ ! -s "$D/env.sh" ]]; then say "no $D/env.sh: the cluster did not record its variables"; exit 2; fi
while IFS= read -r line; do [[ "$line" == *=* ]] && export "${line?}"; done <"$D/env.sh"

t1=$SECONDS
say "2/2 the slurm suite in VS Code (code-server) against the real Slurm"
rc_e2e=0
bash tools/vscode-e2e/scripts/setup.sh </dev/null >"$artifacts/e2e-setup.log" 2>&1 || {
  say "tools/vscode-e2e/scripts/setup.sh failed:"; tail -n 20 "$artifacts/e2e-setup.log"; rc_e2e=1
}
if [[ "$rc_e2e" == 0 ]]; then
  GANTRY_SLURM_E2E=1 GANTRY_NVIDIA_SMI="$GANTRY_FAKE_NVIDIA_SMI" E2E_GREP=slurm E2E_ARTIFACTS="$artifacts/e2e" \
    bash tools/vscode-e2e/scripts/run-integration.sh </dev/null
  rc_e2e=$?
fi
say "slurm suite in VS Code: exit $rc_e2e in $((SECONDS - t1))s"
sed 's/^/[50-slurm] /' "$artifacts/e2e/integration/slurm-figures.txt" 2>/dev/null

[[ "$rc_node" == 0 && "$rc_e2e" == 0 ]] && exit 0
exit 1
