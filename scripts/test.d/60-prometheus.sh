#!/usr/bin/env bash
# Stage "60-prometheus" of scripts/test.sh: Gantry's Prometheus client and DCGM source against a REAL
# Prometheus (Debian's `prometheus` package) scraping two dcgm-exporter replays on loopback
# (test/prometheus/harness.ts starts them on free ports with a config it writes, and stops them by PID).
# Runs the node:test files in out/test/prometheus (built by the build stage), whose summary
# ("ℹ pass N") test.sh counts: queries, whole-run history and per-host aggregation, XID / ECC /
# thermal-throttle health events, NVLink, and the faults a real Prometheus can give (bad query,
# missing series, 401). The Prometheus-backed panel in the real editor, with its screenshots, is
# test/ui/runPanelPrometheus.test.mjs (the ui stage starts its own Prometheus the same way).
#
# Needs `prometheus` on PATH (or GANTRY_PROMETHEUS): installed here with apt when missing and root
# (or passwordless sudo); otherwise the stage is skipped (exit 0).
# Exit: 0 pass or skipped, 1 a test failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
say() { printf '[60-prometheus] %s\n' "$*"; }

bin="${GANTRY_PROMETHEUS:-prometheus}"
if ! command -v "$bin" >/dev/null; then
  install=(apt-get install -y -qq --no-install-recommends prometheus)
  if [[ "$(id -u)" == 0 ]]; then
    say "installing Debian's prometheus package"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${install[@]}"; } >/dev/null 2>&1
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "installing Debian's prometheus package (sudo)"
    { sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive "${install[@]}"; } >/dev/null 2>&1
  fi
fi
if ! command -v "$bin" >/dev/null; then
  say "SKIPPED: no prometheus binary and no way to install it (apt-get install prometheus)"
  [[ -n "${GANTRY_STAGE_COUNTS:-}" ]] && printf 'pass 0\nfail 0\n' >"$GANTRY_STAGE_COUNTS"
  exit 0
fi
# Debian's package enables a prometheus.service; the tests start their own on free ports and never touch it.
say "$("$bin" --version 2>&1 | head -n 1)"

if [[ ! -d out/test/prometheus ]]; then
  say "out/test/prometheus is missing: run the build stage first (node scripts/build.mjs --tests)"
  exit 1
fi
node --test --test-reporter=spec out/test/prometheus/ </dev/null
