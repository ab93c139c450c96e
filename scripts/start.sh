#!/usr/bin/env bash
# npm start: Gantry in a real VS Code in the browser, on the examples/ workspace, with the local
# backend. Builds and packages the VSIX, installs it into a code-server profile kept under
# ~/.cache/gantry (settings and state survive restarts), starts code-server on 127.0.0.1, prints
# the URL and stays in the foreground until Ctrl-C, then stops exactly the processes it started.
#
# Env: GANTRY_PORT (default 8080), GANTRY_WORKSPACE (default examples/),
#      GANTRY_STATE_DIR (default ~/.cache/gantry/code-server), VSCODE_E2E_CACHE (the toolchain).
source "$(dirname "${BASH_SOURCE[0]}")/../tools/vscode-e2e/scripts/env.sh"
cd "$GANTRY_ROOT"
e2e_install_traps

port="${GANTRY_PORT:-8080}"
workspace="$(realpath "${GANTRY_WORKSPACE:-$GANTRY_ROOT/examples}")"
state="${GANTRY_STATE_DIR:-$HOME/.cache/gantry/code-server}"
[[ -d "$workspace" ]] || e2e_die "workspace folder not found: $workspace"
if ! node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"127.0.0.1",()=>s.close())' "$port"; then
  e2e_die "port $port on 127.0.0.1 is in use; pick another with GANTRY_PORT=<port> npm start"
fi

"$E2E_SCRIPTS/setup.sh"
mkdir -p "$state/user-data" "$state/extensions"
vsix="$state/gantry.vsix"
bash scripts/package-vsix.sh "$vsix"
e2e_new_tmp
mkdir -p "$E2E_TMP/t"
# --force: replace the copy installed by the previous start, even at the same version.
TMPDIR="$E2E_TMP/t" node "$CODE_SERVER_DIR/out/node/entry.js" --config /dev/null \
  --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" \
  --install-extension "$vsix" --force </dev/null >&2
# The first start gets the quiet profile of the e2e harness; later starts keep the user's settings.
[[ -f "$state/user-data/User/settings.json" ]] || e2e_prepare_profile "$state/user-data"

printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$port" >"$E2E_TMP/code-server.yaml"
log="$state/code-server.log"
e2e_spawn "$log" env TMPDIR="$E2E_TMP/t" node "$CODE_SERVER_DIR/out/node/entry.js" \
  --config "$E2E_TMP/code-server.yaml" --bind-addr "127.0.0.1:$port" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" \
  "$workspace"
server_pid=$E2E_LAST_PID
url="http://127.0.0.1:$port/?folder=$(node -p 'encodeURIComponent(process.argv[1])' "$workspace")"
healthy=0
for _ in $(seq 1 120); do
  kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; e2e_die "code-server exited during startup"; }
  node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$port/healthz" && { healthy=1; break; }
  sleep 0.5
done
((healthy)) || e2e_die "code-server did not answer on 127.0.0.1:$port within 60s (log: $log)"

cat <<EOF

  Gantry is running in VS Code (code-server $E2E_CODE_SERVER_VERSION) on $workspace

    $url

  From another machine: ssh -L $port:127.0.0.1:$port <this host>, then open the URL there.
  Server log: $log
  Press Ctrl-C to stop.

EOF
wait "$server_pid"
