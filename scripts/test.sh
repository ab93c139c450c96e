#!/usr/bin/env bash
# Every test, in stages (npm test). Every stage runs even when an earlier one failed, except that a
# stage whose prerequisite failed is reported as skipped (and counted as a failure). At the end: a
# table of the stages, then, as the very last line, "N passed, N failed" over all stages' tests,
# which CI reads. Exit status 1 when any stage failed.
#
# Stages, in order:
#   build        node scripts/build.mjs --tests (bundles + test bundles in out/test)
#   typecheck    node scripts/typecheck.mjs (strict tsc -b over tsconfig.json: one project per runtime)
#   lint         npm run lint: Biome's linter and format check over the sources (biome.json)
#   unit         node --test over out/test/unit/**/*.test.js
#   e2e-setup    tools/vscode-e2e/scripts/setup.sh (apt as root; Node 24, code-server, Playwright,
#                vsce cached under ~/.cache/vscode-e2e)
#   integration  mocha suites out/test/integration/**/*.test.js in code-server's extension host
#   package      scripts/package-vsix.sh: production VSIX + size check (<= 1.5 MB)
#   ui           Playwright UI tests test/ui/**/*.test.mjs against the packaged VSIX
#   <hooks>      scripts/test.d/*.sh, in name order (e.g. 50-slurm.sh, 80-bench-smoke.sh): each is
#                a stage named after its file. Its tests are counted from the summary lines of
#                node:test (spec "ℹ pass N", TAP "# pass N", junit "<!-- pass N -->") or mocha
#                ("N passing", "N failing") in its output, or from "pass N" / "fail N" lines it
#                writes to $GANTRY_STAGE_COUNTS; a hook without any counts as one test (its exit
#                status). Hooks get GANTRY_ROOT, E2E_ARTIFACTS and GANTRY_STAGE_DIR (a folder of
#                their own under .e2e-artifacts/stages) in the environment.
#
# Env: GANTRY_STAGES="build unit ..." runs only those stages (prerequisites are not added);
#      GANTRY_STAGE_TIMEOUT_S (default 1800) bounds each stage.
# Logs: .e2e-artifacts/stages/<stage>.log; summary: .e2e-artifacts/summary.txt.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export GANTRY_ROOT="$root"
export E2E_ARTIFACTS="${E2E_ARTIFACTS:-$root/.e2e-artifacts}"
STAGES_DIR="$E2E_ARTIFACTS/stages"
rm -rf "$STAGES_DIR" "$E2E_ARTIFACTS/unit" "$E2E_ARTIFACTS/summary.txt"
mkdir -p "$STAGES_DIR"
STAGE_TIMEOUT_S="${GANTRY_STAGE_TIMEOUT_S:-1800}"
VSIX="$E2E_ARTIFACTS/gantry.vsix"
VSIX_REPORT="$E2E_ARTIFACTS/vsix-size.txt"
rm -f "$VSIX" "$VSIX_REPORT"

mapfile -t hooks < <(find scripts/test.d -maxdepth 1 -name '*.sh' -type f 2>/dev/null | sort)
all_stages=(build typecheck lint unit e2e-setup integration package ui)
for h in "${hooks[@]}"; do all_stages+=("$(basename "$h" .sh)"); done
if [[ -n "${GANTRY_STAGES:-}" ]]; then read -r -a selected <<<"$GANTRY_STAGES"; else selected=("${all_stages[@]}"); fi

declare -A status passed failed seconds note
order=()
total_pass=0 total_fail=0 any_failed=0
current_pid=

# Ctrl-C / TERM: stop the running stage by its PID. `timeout` runs each stage in a process group of
# its own and forwards the signal to it; the e2e scripts then clean up their own processes by PID.
on_signal() {
  [[ -n "$current_pid" ]] && kill -TERM "$current_pid" 2>/dev/null
  wait 2>/dev/null
  echo "interrupted" >&2
  exit 130
}
trap on_signal INT TERM

if [[ -t 1 ]]; then log() { printf '\n\033[1m==== %s\033[0m\n' "$*"; }; else log() { printf '\n==== %s\n' "$*"; }; fi

is_selected() { local s; for s in "${selected[@]}"; do [[ "$s" == "$1" ]] && return 0; done; return 1; }

# Sum of the node:test / mocha summary numbers of one kind (pass|fail) found in a file.
count_in() { # count_in pass|fail FILE
  local kind="$1" file="$2"
  [[ -f "$file" ]] || { echo 0; return; }
  local mocha_word; [[ "$kind" == pass ]] && mocha_word=passing || mocha_word=failing
  sed -E 's/\x1b\[[0-9;]*m//g' "$file" | awk -v k="$kind" -v m="$mocha_word" '
    $0 ~ "^[[:space:]]*(# |ℹ |<!-- )" k " [0-9]+" { for (i = 1; i <= NF; i++) if ($i == k) { n += $(i + 1); break } ; found = 1 }
    k == "fail" && $0 ~ "^[[:space:]]*(# |ℹ |<!-- )cancelled [0-9]+" { for (i = 1; i <= NF; i++) if ($i == "cancelled") { n += $(i + 1); break } }
    $0 ~ "^[[:space:]]*[0-9]+ " m "( |$)" { n += $1; found = 1 }
    END { print n + 0 }'
}
has_counts() { # has_counts FILE: does it hold any node:test / mocha summary line?
  [[ -f "$1" ]] && sed -E 's/\x1b\[[0-9;]*m//g' "$1" | grep -Eq '^[[:space:]]*((# |ℹ |<!-- )(pass|fail) [0-9]+|[0-9]+ (passing|failing))'
}

# record NAME STATUS PASS FAIL [NOTE]
record() {
  status[$1]=$2 passed[$1]=$3 failed[$1]=$4 note[$1]="${5:-}"
  total_pass=$((total_pass + $3)) total_fail=$((total_fail + $4))
  [[ "$2" == ok ]] || any_failed=1
}

skip_unless() { # skip_unless NAME PREREQ...: records a skip and returns 1 if a prerequisite failed
  local name="$1" p; shift
  for p in "$@"; do
    if [[ -n "${status[$p]:-}" && "${status[$p]}" != ok ]]; then
      order+=("$name"); seconds[$name]=0
      record "$name" skipped 0 1 "needs $p"
      log "$name: skipped ($p did not pass)"
      return 1
    fi
  done
}

# run_stage NAME COUNTS_FROM CMD...: COUNTS_FROM is a file with summary lines (or "-": the log).
# Tests = the summary numbers found there; a stage with none counts as zero tests when it passed
# and one failure when it did not. A non-zero exit with no failing test counts one failure.
run_stage() {
  local name="$1" counts_from="$2"; shift 2
  local stage_log="$STAGES_DIR/$name.log" t0=$SECONDS rc=0 tee_fd tee_pid waited=0
  order+=("$name")
  log "$name: $*"
  export GANTRY_STAGE_DIR="$STAGES_DIR/$name" GANTRY_STAGE_COUNTS="$STAGES_DIR/$name/counts.txt"
  mkdir -p "$GANTRY_STAGE_DIR"
  # The stage writes into a pipe that tee copies to the terminal and the log. `wait` does not wait for a
  # process substitution, so tee's own PID is kept and waited for below: without that, on a busy machine
  # the log could still be short of its last lines (the test summaries) when it is counted.
  exec {tee_fd}> >(tee "$stage_log")
  tee_pid=$!
  timeout -k 30 "$STAGE_TIMEOUT_S" "$@" </dev/null >&"$tee_fd" 2>&1 &
  current_pid=$!
  wait "$current_pid" || rc=$?
  current_pid=
  exec {tee_fd}>&-
  # tee ends when every writer has closed the pipe. A daemon the stage left running could still hold
  # it, so the wait is bounded (30 s only catches that; tee drains in milliseconds otherwise).
  while kill -0 "$tee_pid" 2>/dev/null && ((waited < 600)); do
    sleep 0.05
    waited=$((waited + 1))
  done
  seconds[$name]=$((SECONDS - t0))
  [[ "$counts_from" == - ]] && counts_from="$stage_log"
  local p=0 f=0 how=""
  if [[ -s "$GANTRY_STAGE_COUNTS" ]]; then
    p=$(awk '$1 == "pass" { n += $2 } END { print n + 0 }' "$GANTRY_STAGE_COUNTS")
    f=$(awk '$1 == "fail" { n += $2 } END { print n + 0 }' "$GANTRY_STAGE_COUNTS")
  elif has_counts "$counts_from"; then
    p=$(count_in pass "$counts_from") f=$(count_in fail "$counts_from")
  fi
  ((rc == 124 || rc == 137)) && how="timed out after ${STAGE_TIMEOUT_S}s"
  if ((rc != 0 && f == 0)); then f=1; fi
  if ((rc == 0 && f > 0)); then rc=1; fi
  record "$name" "$( ((rc == 0)) && echo ok || echo FAILED)" "$p" "$f" "$how"
  log "$name: $( ((rc == 0)) && echo ok || echo "FAILED (exit $rc)") in ${seconds[$name]}s"
}

t_all=$SECONDS
for stage in "${all_stages[@]}"; do
  is_selected "$stage" || continue
  case "$stage" in
    build) run_stage build - node scripts/build.mjs --tests ;;
    typecheck) run_stage typecheck - node scripts/typecheck.mjs ;;
    lint) run_stage lint - npm run -s lint ;;
    unit)
      skip_unless unit build || continue
      mapfile -t unit_files < <(find out/test/unit -name '*.test.js' -type f 2>/dev/null | sort)
      mkdir -p "$E2E_ARTIFACTS/unit"
      if ((${#unit_files[@]} == 0)); then
        order+=(unit); seconds[unit]=0; record unit FAILED 0 1 "no out/test/unit/**/*.test.js"
        log "unit: FAILED (no test files)"
        continue
      fi
      # Node 20's --test takes no globs, so the files are listed. spec for people, junit for counts.
      run_stage unit "$E2E_ARTIFACTS/unit/unit-junit.xml" node --enable-source-maps --test \
        --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=junit --test-reporter-destination="$E2E_ARTIFACTS/unit/unit-junit.xml" \
        "${unit_files[@]}"
      ;;
    e2e-setup) run_stage e2e-setup - bash tools/vscode-e2e/scripts/setup.sh ;;
    integration)
      skip_unless integration build e2e-setup || continue
      run_stage integration "$E2E_ARTIFACTS/integration/mocha.log" bash tools/vscode-e2e/scripts/run-integration.sh
      ;;
    package)
      skip_unless package e2e-setup || continue
      GANTRY_VSIX_REPORT="$VSIX_REPORT" run_stage package - bash scripts/package-vsix.sh "$VSIX"
      ;;
    ui)
      skip_unless ui package || continue
      E2E_VSIX="$VSIX" E2E_INSTALL_MODE=vsix run_stage ui "$E2E_ARTIFACTS/ui/ui-junit.xml" bash tools/vscode-e2e/scripts/run-ui.sh
      ;;
    *)
      hook="scripts/test.d/$stage.sh"
      [[ -f "$hook" ]] || { order+=("$stage"); seconds[$stage]=0; record "$stage" FAILED 0 1 "unknown stage"; continue; }
      run_stage "$stage" - bash "$hook"
      ;;
  esac
done

{
  echo
  echo "==== test summary ($((SECONDS - t_all))s) ===="
  printf '%-14s %-8s %6s %6s %6s  %s\n' stage result passed failed time note
  for s in "${order[@]}"; do
    printf '%-14s %-8s %6s %6s %5ss  %s\n' "$s" "${status[$s]}" "${passed[$s]}" "${failed[$s]}" "${seconds[$s]}" "${note[$s]}"
  done
  [[ -f "$VSIX_REPORT" ]] && cat "$VSIX_REPORT"
  echo "artifacts: $E2E_ARTIFACTS (stage logs in stages/, screenshots in ui/screenshots/)"
  echo "$total_pass passed, $total_fail failed"
} | tee "$E2E_ARTIFACTS/summary.txt"
exit $any_failed
