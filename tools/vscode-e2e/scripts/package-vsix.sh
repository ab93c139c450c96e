#!/usr/bin/env bash
# Packages $E2E_EXT_DIR as a .vsix with @vscode/vsce (cached tool, Node 24). Prints the path.
# Usage: package-vsix.sh [OUT.vsix]   (default: $E2E_ARTIFACTS/<name>.vsix)
# The extension must be built already; Gantry's scripts/package-vsix.sh builds and then calls this.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
e2e_require_setup
name=$(node -p 'require(process.argv[1]).name' "$E2E_EXT_DIR/package.json")
out="${1:-$E2E_ARTIFACTS/$name.vsix}"
mkdir -p "$(dirname "$out")"
t0=$SECONDS
# vsce must never prompt (CI has no stdin):
#   --skip-license: otherwise it asks "LICENSE not found. Do you want to continue? [y/N]";
#   --allow-missing-repository: otherwise it asks about the missing repository field;
#   --no-dependencies: everything the extension needs at run time is bundled by esbuild, so
#     node_modules is not shipped and `npm list` is not run.
#   E2E_VSCE_BASE_URL: the repository's web address, for relative links and images in the README
#     when the repository is not on GitHub/GitLab (otherwise vsce fails: "Couldn't detect the
#     repository where this extension is published. The image '…' will be broken in README.md").
#     Defaults to package.json's repository URL, so run-ui.sh's own packaging works too.
: "${E2E_VSCE_BASE_URL:=$(node -p 'const r = require(process.argv[1]).repository; (typeof r === "string" ? r : (r && r.url) || "").replace(/^git\+/, "").replace(/\.git$/, "")' "$E2E_EXT_DIR/package.json")}"
base=()
if [[ -n "${E2E_VSCE_BASE_URL:-}" ]]; then
  base=(--baseContentUrl "${E2E_VSCE_BASE_URL%/}/blob/HEAD" --baseImagesUrl "${E2E_VSCE_BASE_URL%/}/raw/HEAD")
fi
(cd "$E2E_EXT_DIR" && node "$E2E_TOOLS_DIR/node_modules/@vscode/vsce/vsce" package \
   --skip-license --allow-missing-repository --no-dependencies --no-update-package-json "${base[@]}" --out "$out") </dev/null >&2
e2e_log "packaged $out in $((SECONDS - t0))s"
echo "$out"
