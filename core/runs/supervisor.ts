// The supervisor: a small Node program that the local backend starts detached (its own session and
// process group) to run the spec's processes. It outlives the window or CLI that started it, so a
// reload reattaches to it, and it records how each process ended in `exit.json`, which a process
// that is not the parent could not learn otherwise. It reads its orders from `launch.json` (argv
// arrays, env, log paths): no spec value ever passes through a shell.
//
// It runs as `node -e SUPERVISOR_SOURCE <launch.json>` so that it needs no file of its own beside
// the bundles; the source therefore uses only Node built-ins and plain ES2020.

export interface LaunchFile {
  cwd: string;
  exitFile: string;
  /** Grace between SIGTERM and SIGKILL for processes left in the group after the command ended. */
  graceMs: number;
  /** Wall-clock limit from the supervisor's start: then SIGTERM to the group, graceMs, SIGKILL. */
  timeLimitMs?: number;
  ranks: { argv: string[]; env: Record<string, string>; stdout: string; stderr: string }[];
}

export interface RankExit {
  code: number | null;
  signal: string | null;
  /** Set when the process could not be started (command not found, bad working directory). */
  error?: string;
  /** Epoch ms it ended: the first rank to fail is the cause, the others were ended because of it. */
  at?: number;
}

export interface ExitFile {
  ranks: RankExit[];
  endedAt: number;
  /** Processes still in the group after the command ended (children that outlived it). */
  leftovers: number;
  /** The supervisor got SIGTERM (a cancel) while the command ran. */
  terminated: boolean;
  /** The time limit passed and the supervisor ended the command. */
  timedOut?: boolean;
  /** …and it had to use SIGKILL after the grace period. */
  killedAfterGrace?: boolean;
}

/** The supervisor's own exit codes when it could not write exit.json: how the command ended. */
export const SUPERVISOR_EXIT = { unrecordedSuccess: 10, unrecordedFailure: 11 } as const;

export const SUPERVISOR_SOURCE = String.raw`
'use strict';
const fs = require('fs');
const cp = require('child_process');
const L = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
let terminated = false;
let timedOut = false;
let killedAfterGrace = false;
const children = [];
// A cancel sends SIGTERM to the whole group; the supervisor stays to record how the command ended.
// The time limit sends one too, which is not a cancel.
process.on('SIGTERM', () => { if (!timedOut) terminated = true; });
process.on('SIGINT', () => { terminated = true; });
process.on('SIGHUP', () => {});
const baseEnv = Object.assign({}, process.env);
delete baseEnv.ELECTRON_RUN_AS_NODE;
const results = L.ranks.map(() => undefined);
let pending = L.ranks.length;

function groupMembers() {
  const me = process.pid;
  const out = [];
  try {
    if (process.platform === 'linux') {
      for (const name of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(name) || Number(name) === me) continue;
        try {
          const s = fs.readFileSync('/proc/' + name + '/stat', 'utf8');
          const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
          if (f[0] !== 'Z' && Number(f[2]) === me) out.push(Number(name));
        } catch (e) {}
      }
    } else {
      const t = cp.execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' });
      for (const line of t.split('\n')) {
        const f = line.trim().split(/\s+/);
        if (Number(f[1]) === me && Number(f[0]) !== me && !(f[2] || '').startsWith('Z')) out.push(Number(f[0]));
      }
    }
  } catch (e) {}
  return out;
}

// A full or failing disk must not crash the supervisor (that would leave stray processes and no
// word of how the run ended): when exit.json cannot be written, its own exit code carries the
// outcome to the window that started it (see SUPERVISOR_EXIT).
function writeExit(leftovers) {
  const data = JSON.stringify({ ranks: results, endedAt: Date.now(), leftovers, terminated, timedOut, killedAfterGrace });
  const tmp = L.exitFile + '.tmp';
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, L.exitFile);
    return 0;
  } catch (e) {
    try { fs.rmSync(tmp, { force: true }); } catch (e2) {}
    return results.every((r) => r && r.code === 0) ? 10 : 11;
  }
}

function finish() {
  const left = groupMembers();
  const code = writeExit(left.length);
  if (!left.length) process.exit(code);
  try { process.kill(-process.pid, 'SIGTERM'); } catch (e) {}
  const deadline = Date.now() + L.graceMs;
  const tick = setInterval(() => {
    if (groupMembers().length === 0) { clearInterval(tick); process.exit(code); }
    if (Date.now() > deadline) { clearInterval(tick); try { process.kill(-process.pid, 'SIGKILL'); } catch (e) {} process.exit(code); }
  }, 50);
}

const fds = [];
function done(i, r) {
  if (results[i]) return;
  r.at = Date.now();
  results[i] = r;
  for (const fd of fds[i] || []) try { fs.closeSync(fd); } catch (e) {}
  pending--;
  // One rank failing ends the others, as torchrun does: a half-alive job only hangs in a collective.
  if (r.code !== 0 && pending > 0) for (const c of children) if (c && c.exitCode === null) try { c.kill('SIGTERM'); } catch (e) {}
  if (pending === 0) finish();
}

// The time limit: SIGTERM to the group as a cancel does, then SIGKILL to each process still in it
// after the grace period (not to the group, which would take the supervisor and exit.json with it).
// Timers are re-armed in steps because setTimeout cannot wait longer than about 24.8 days.
if (L.timeLimitMs > 0) {
  const deadline = Date.now() + L.timeLimitMs;
  const arm = () => setTimeout(() => {
    if (Date.now() < deadline) { arm(); return; }
    if (pending === 0) return;
    timedOut = true;
    try { process.kill(-process.pid, 'SIGTERM'); } catch (e) {}
    const killAt = Date.now() + L.graceMs;
    const tick = setInterval(() => {
      if (pending === 0) { clearInterval(tick); return; }
      if (Date.now() < killAt) return;
      killedAfterGrace = true;
      for (const pid of groupMembers()) try { process.kill(pid, 'SIGKILL'); } catch (e) {}
    }, 50);
  }, Math.min(deadline - Date.now(), 2147483647));
  arm();
}

let cwdError;
try { if (!fs.statSync(L.cwd).isDirectory()) cwdError = 'working directory is not a directory: ' + L.cwd; }
catch (e) { cwdError = 'working directory does not exist: ' + L.cwd; }

L.ranks.forEach((r, i) => {
  let out, err;
  try {
    out = fs.openSync(r.stdout, 'a');
    err = r.stderr === r.stdout ? out : fs.openSync(r.stderr, 'a');
  } catch (e) {
    fds[i] = out === undefined ? [] : [out];
    done(i, { code: null, signal: null, error: 'could not open the log file: ' + e.message });
    return;
  }
  fds[i] = err === out ? [out] : [out, err];
  const fail = (msg) => {
    try { fs.writeSync(err, 'gantry: ' + msg + '\n'); } catch (e) {}
    done(i, { code: null, signal: null, error: msg });
  };
  if (cwdError) { fail(cwdError); return; }
  let child;
  try {
    child = cp.spawn(r.argv[0], r.argv.slice(1), { cwd: L.cwd, env: Object.assign({}, baseEnv, r.env), stdio: ['ignore', out, err] });
  } catch (e) {
    fail('could not start ' + r.argv[0] + ': ' + e.message);
    return;
  }
  children[i] = child;
  child.on('error', (e) => fail(e.code === 'ENOENT' ? 'command not found: ' + r.argv[0] : 'could not start ' + r.argv[0] + ': ' + e.message));
  child.on('exit', (code, signal) => done(i, { code, signal }));
});
`;
