#!/usr/bin/env bash
# Runs the extension's mocha suites inside VS Code's real extension host (code-server),
# driven by headless Chromium. Exit code: 0 = all tests passed, 1 = test failures,
# 2 = setup error, 3 = timeout, 4 = launcher error.
#
# The workbench opens a temporary copy of $E2E_WORKSPACE (tests may write into it).
# Results: $E2E_ARTIFACTS/integration/{mocha.log,results.json,browser-console.log,code-server.log,window-logs/}
#
# Env (all optional): E2E_EXT_DIR, E2E_WORKSPACE, E2E_TESTS_PATH, E2E_ARTIFACTS,
#   E2E_TIMEOUT_S, E2E_GREP (mocha grep), E2E_VERBOSE=1 (echo browser console), E2E_KEEP_TMP=1,
#   E2E_EXTENSION_ENV='{"K":"V"}' (extra env for the extension host),
#   VSCODE_E2E_CACHE (default ~/.cache/vscode-e2e)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
e2e_install_traps
e2e_require_setup
e2e_ensure_ext_deps

[[ -f "$E2E_TESTS_PATH" ]] || e2e_die "tests entry point not found: $E2E_TESTS_PATH (run: node scripts/build.mjs --tests)"
e2e_new_tmp
e2e_copy_workspace
RESULTS_DIR="$E2E_ARTIFACTS/integration"
rm -rf "$RESULTS_DIR"; mkdir -p "$RESULTS_DIR"
export E2E_EXT_DIR E2E_WORKSPACE E2E_TESTS_PATH E2E_TIMEOUT_S
# The extension host inherits code-server's environment: the suite writes
# mocha.log + results.json there (test/integration/index.ts).
export E2E_RESULTS_DIR="$RESULTS_DIR"
[[ -z "${E2E_GREP:-}" ]] || export E2E_GREP
E2E_ARTIFACTS="$RESULTS_DIR"

t0=$SECONDS
e2e_start_code_server --vscode-option enable-smoke-test-driver
rc=0
e2e_spawn - node "$E2E_SCRIPTS/integration-launcher.mjs"
wait "$E2E_LAST_PID" || rc=$?

echo "----- mocha output (extension host) -----"
cat "$RESULTS_DIR/mocha.log" 2>/dev/null || echo "(no mocha.log written)"
echo "-----------------------------------------"
# Cross-check the launcher's exit code with the results file the suite wrote.
if [[ $rc -eq 0 ]]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (r.error || r.failures !== 0 || r.passes === 0) { console.error("results.json disagrees:", JSON.stringify(r).slice(0, 500)); process.exit(1); }
  ' "$RESULTS_DIR/results.json" || rc=1
fi
e2e_log "integration tests finished: exit $rc in $((SECONDS - t0))s (artifacts: $RESULTS_DIR)"
exit $rc
