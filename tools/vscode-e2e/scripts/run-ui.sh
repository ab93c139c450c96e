#!/usr/bin/env bash
# UI tests: Playwright + headless Chromium driving the code-server workbench, with node:test.
# Exit code: 0 = pass, 1 = test failure(s), 2 = setup error.
#
# Env (all optional):
#   E2E_INSTALL_MODE=vsix (default: `code-server --install-extension` of $E2E_VSIX, or of a VSIX
#     packaged here) | dev (load from source via extensionDevelopmentPath; hides toasts, see README)
#   E2E_VSIX        an already packaged .vsix to install (scripts/test.sh passes the one it checked)
#   E2E_UI_TESTS    test files to run (default: every *.test.mjs under $E2E_UI_TESTS_DIR = test/ui)
#   E2E_EXT_DIR, E2E_WORKSPACE, E2E_ARTIFACTS, E2E_KEEP_TMP=1, VSCODE_E2E_CACHE
# Artifacts: $E2E_ARTIFACTS/ui/{screenshots/*.png, ui-junit.xml, browser-console.log, code-server.log}
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
e2e_install_traps
e2e_require_setup
e2e_ensure_ext_deps
: "${E2E_INSTALL_MODE:=vsix}"
export E2E_INSTALL_MODE E2E_EXT_DIR

UI_DIR="$E2E_ARTIFACTS/ui"
rm -rf "$UI_DIR"; mkdir -p "$UI_DIR/screenshots"
E2E_ARTIFACTS="$UI_DIR"
export E2E_SCREENSHOTS="$UI_DIR/screenshots"
e2e_new_tmp
e2e_copy_workspace
t0=$SECONDS

if [[ -n "${E2E_UI_TESTS:-}" ]]; then
  read -r -a tests <<<"$E2E_UI_TESTS"
else
  mapfile -t tests < <(find "$E2E_UI_TESTS_DIR" -name '*.test.mjs' -type f | sort)
fi
((${#tests[@]})) || e2e_die "no UI tests (*.test.mjs) under $E2E_UI_TESTS_DIR"

extra=()
if [[ "$E2E_INSTALL_MODE" == vsix ]]; then
  vsix="${E2E_VSIX:-}"
  [[ -n "$vsix" ]] || vsix="$("$E2E_SCRIPTS/package-vsix.sh" "$E2E_TMP/ext.vsix")"
  [[ -f "$vsix" ]] || e2e_die "VSIX not found: $vsix"
  t1=$SECONDS
  # Same flags as the server below, so the extension lands in the profile it will use.
  mkdir -p "$E2E_TMP/t"
  TMPDIR="$E2E_TMP/t" node "$CODE_SERVER_DIR/out/node/entry.js" --config /dev/null --user-data-dir "$E2E_TMP/user-data" \
    --extensions-dir "$E2E_TMP/extensions" --install-extension "$vsix" </dev/null >&2
  e2e_log "installed $vsix in $((SECONDS - t1))s"
elif [[ "$E2E_INSTALL_MODE" == dev ]]; then
  extra+=(--vscode-option enable-smoke-test-driver)
else
  e2e_die "E2E_INSTALL_MODE must be vsix or dev"
fi

e2e_start_code_server "${extra[@]}"

rc=0
# spec for people; junit for CI, and for scripts/test.sh's counts (its <!-- pass N --> / <!-- fail N --> lines).
e2e_spawn - node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination="$UI_DIR/ui-junit.xml" \
  "${tests[@]}"
wait "$E2E_LAST_PID" || rc=$?
[[ $rc -le 1 ]] || rc=1
e2e_log "UI tests finished: exit $rc in $((SECONDS - t0))s (artifacts: $UI_DIR)"
exit $rc
