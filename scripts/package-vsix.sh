#!/usr/bin/env bash
# Packages Gantry as a VSIX: production bundles (minified, no source maps), then vsce from the e2e
# cache (Node 24, never prompts; it prints the file tree), then the size against the 1.5 MB target.
# Usage: scripts/package-vsix.sh [OUT.vsix]   (default: ./gantry-<version>.vsix)
# Env: GANTRY_VSIX_MAX_BYTES (default 1500000): exit 1 when the VSIX is larger.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version=$(node -p 'require("./package.json").version')
out="$(realpath -m "${1:-$root/gantry-$version.vsix}")"
max_bytes="${GANTRY_VSIX_MAX_BYTES:-1500000}"

node scripts/build.mjs --production
# README links and images are relative; vsce turns them into addresses under the repository.
E2E_VSCE_BASE_URL="$(node -p 'const r = require("./package.json").repository; (typeof r === "string" ? r : r?.url ?? "").replace(/^git\+/, "").replace(/\.git$/, "")')" \
  bash tools/vscode-e2e/scripts/package-vsix.sh "$out" >/dev/null

bytes=$(stat -c %s "$out")
report="VSIX size: $bytes bytes ($(awk -v b="$bytes" 'BEGIN{printf "%.2f", b/1e6}') MB; target <= $(awk -v b="$max_bytes" 'BEGIN{printf "%.2f", b/1e6}') MB): $out"
echo "$report"
if [[ -n "${GANTRY_VSIX_REPORT:-}" ]]; then echo "$report" >"$GANTRY_VSIX_REPORT"; fi
if ((bytes > max_bytes)); then
  echo "ERROR: the VSIX is larger than $max_bytes bytes" >&2
  exit 1
fi
