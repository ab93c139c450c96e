// The supervisor program (see supervisor.ts): bundled on its own as dist/supervisor.js, started by
// the local backend as `node supervisor.js <launch.json>`, detached in its own process group. It
// loads nothing of Gantry but procInfo.ts, so it starts fast and stays small while the run lasts.
import * as fs from 'node:fs';
import * as cp from 'node:child_process';
import { groupMembers as membersOf } from './procInfo';
import { SUPERVISOR_EXIT, type ExitFile, type LaunchFile, type RankExit } from './supervisor';

const L = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as LaunchFile;
let terminated = false;
let timedOut = false;
let killedAfterGrace = false;
const children: (cp.ChildProcess | undefined)[] = [];
// A cancel sends SIGTERM to the whole group; the supervisor stays to record how the command ended.
// The time limit sends one too, which is not a cancel.
process.on('SIGTERM', () => {
  if (!timedOut) terminated = true;
});
process.on('SIGINT', () => {
  terminated = true;
});
process.on('SIGHUP', () => {});
const baseEnv: NodeJS.ProcessEnv = { ...process.env };
delete baseEnv.ELECTRON_RUN_AS_NODE;
const results: (RankExit | undefined)[] = L.ranks.map(() => undefined);
let pending = L.ranks.length;

/** The other live processes of the supervisor's group (it leads the group: pgid = its pid). */
function groupMembers(): number[] {
  try {
    return membersOf(process.pid).filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}

// A full or failing disk must not crash the supervisor (that would leave stray processes and no
// word of how the run ended): when exit.json cannot be written, its own exit code carries the
// outcome to the window that started it (see SUPERVISOR_EXIT).
function writeExit(leftovers: number): number {
  // finish() runs once every rank has ended: every entry is set.
  const exit: ExitFile = { ranks: results as RankExit[], endedAt: Date.now(), leftovers, terminated, timedOut, killedAfterGrace };
  const tmp = `${L.exitFile}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(exit));
    fs.renameSync(tmp, L.exitFile);
    return 0;
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {}
    return results.every((r) => r && r.code === 0) ? SUPERVISOR_EXIT.unrecordedSuccess : SUPERVISOR_EXIT.unrecordedFailure;
  }
}

function killGroup(signal: NodeJS.Signals): void {
  try {
    process.kill(-process.pid, signal);
  } catch {}
}

function finish(): void {
  const left = groupMembers();
  const code = writeExit(left.length);
  if (!left.length) process.exit(code);
  killGroup('SIGTERM');
  const deadline = Date.now() + L.graceMs;
  const tick = setInterval(() => {
    if (groupMembers().length === 0) {
      clearInterval(tick);
      process.exit(code);
    }
    if (Date.now() > deadline) {
      clearInterval(tick);
      killGroup('SIGKILL');
      process.exit(code);
    }
  }, 50);
}

const fds: number[][] = [];
function done(i: number, r: RankExit): void {
  if (results[i]) return;
  r.at = Date.now();
  results[i] = r;
  for (const fd of fds[i] ?? []) {
    try {
      fs.closeSync(fd);
    } catch {}
  }
  pending--;
  // One rank failing ends the others, as torchrun does: a half-alive job only hangs in a collective.
  if (r.code !== 0 && pending > 0) {
    for (const c of children) {
      if (c && c.exitCode === null) {
        try {
          c.kill('SIGTERM');
        } catch {}
      }
    }
  }
  if (pending === 0) finish();
}

// The time limit: SIGTERM to the group as a cancel does, then SIGKILL to each process still in it
// after the grace period (not to the group, which would take the supervisor and exit.json with it).
// Timers are re-armed in steps because setTimeout cannot wait longer than about 24.8 days.
const timeLimitMs = L.timeLimitMs ?? 0;
if (timeLimitMs > 0) {
  const deadline = Date.now() + timeLimitMs;
  const arm = (): void => {
    setTimeout(
      () => {
        if (Date.now() < deadline) return arm();
        if (pending === 0) return;
        timedOut = true;
        killGroup('SIGTERM');
        const killAt = Date.now() + L.graceMs;
        const tick = setInterval(() => {
          if (pending === 0) return clearInterval(tick);
          if (Date.now() < killAt) return;
          killedAfterGrace = true;
          for (const pid of groupMembers()) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {}
          }
        }, 50);
      },
      Math.min(deadline - Date.now(), 2147483647),
    );
  };
  arm();
}

let cwdError: string | undefined;
try {
  if (!fs.statSync(L.cwd).isDirectory()) cwdError = `working directory is not a directory: ${L.cwd}`;
} catch {
  cwdError = `working directory does not exist: ${L.cwd}`;
}

L.ranks.forEach((r, i) => {
  let out: number | undefined;
  let err: number;
  try {
    out = fs.openSync(r.stdout, 'a');
    err = r.stderr === r.stdout ? out : fs.openSync(r.stderr, 'a');
  } catch (e) {
    fds[i] = out === undefined ? [] : [out];
    done(i, { code: null, signal: null, error: `could not open the log file: ${(e as Error).message}` });
    return;
  }
  fds[i] = err === out ? [out] : [out, err];
  const fail = (msg: string): void => {
    try {
      fs.writeSync(err, `gantry: ${msg}\n`);
    } catch {}
    done(i, { code: null, signal: null, error: msg });
  };
  if (cwdError) return fail(cwdError);
  let child: cp.ChildProcess;
  try {
    child = cp.spawn(r.argv[0], r.argv.slice(1), { cwd: L.cwd, env: { ...baseEnv, ...r.env }, stdio: ['ignore', out, err] });
  } catch (e) {
    return fail(`could not start ${r.argv[0]}: ${(e as Error).message}`);
  }
  children[i] = child;
  child.on('error', (e: NodeJS.ErrnoException) => fail(e.code === 'ENOENT' ? `command not found: ${r.argv[0]}` : `could not start ${r.argv[0]}: ${e.message}`));
  child.on('exit', (code, signal) => done(i, { code, signal }));
});
