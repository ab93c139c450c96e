// The local backend: runs a plan on this machine under a detached supervisor (see supervisor.ts),
// with stdout and stderr going straight from the processes to files in the run directory. Neither
// a window reload nor the CLI exiting interrupts a run or loses a line; whoever looks next reads
// `exit.json` to learn how it ended.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { spawn } from 'node:child_process';
import type { Backend, BackendContext, LocalHandle, LocalRun, LogSource, RunRecord, RunUpdate } from './types';
import { SUPERVISOR_EXIT, type ExitFile, type LaunchFile } from './supervisor';
import { logDiskProblem } from './logDisk';
import { groupMembers, processStartTime, signalGroup } from './procInfo';
import { readJson, isPidAlive } from './fsAtomic';
import { writeFileAtomic } from './fsAtomic';

export interface LocalBackendOptions {
  /** SIGTERM → SIGKILL grace on cancel, and for processes left behind after the command ends. */
  graceMs?: number;
  /** How often to check a reattached run's supervisor. */
  pollMs?: number;
  /** The Node executable for the supervisor; default this process's (Electron runs as Node through ELECTRON_RUN_AS_NODE). */
  nodePath?: string;
  /** The supervisor program (supervisorMain.ts, bundled); default supervisor.js beside this bundle (dist/). */
  supervisorPath?: string;
  /** What is wrong with the disk under a run's logs (default: a statfs of the run directory); tests inject a full disk. */
  logDiskProblem?: (dir: string) => string | undefined;
}

const CANCEL_FILE = 'cancel.json';
/** A queued local run without a supervisor pid younger than this is being submitted by another process. */
const SUBMITTING_MS = 60_000;
const EXIT_FILE = 'exit.json';
/** The supervisor's bundle (scripts/build.mjs), beside the bundle that holds this backend. */
export const SUPERVISOR_BUNDLE = 'supervisor.js';

type LocalContext = BackendContext<LocalRun['handle']>;

export class LocalBackend implements Backend<LocalRun> {
  readonly id = 'local' as const;
  private readonly graceMs: number;
  private readonly pollMs: number;
  private readonly nodePath: string;
  private readonly supervisorPath: string;
  private readonly diskProblem: (dir: string) => string | undefined;
  private timers = new Set<NodeJS.Timeout>();
  private watched = new Set<string>();
  private children = new Set<import('node:child_process').ChildProcess>();

  constructor(opts: LocalBackendOptions = {}) {
    this.graceMs = opts.graceMs ?? 10_000;
    this.pollMs = opts.pollMs ?? 500;
    this.nodePath = opts.nodePath ?? process.execPath;
    this.supervisorPath = opts.supervisorPath ?? path.join(__dirname, SUPERVISOR_BUNDLE);
    this.diskProblem = opts.logDiskProblem ?? logDiskProblem;
  }

  async submit(run: LocalRun, ctx: LocalContext): Promise<RunUpdate<LocalRun['handle']>> {
    const { plan } = run;
    if (!plan.command.length) throw new Error('the spec has no command to run');
    if (!fs.existsSync(this.supervisorPath)) throw new Error(`the run supervisor is missing: ${this.supervisorPath} (rebuild Gantry: npm run build)`);
    const ranks = Math.max(1, plan.ranks ?? 1);
    const masterPort = ranks > 1 ? await freeLoopbackPort() : 0;
    const logs: LogSource[] = [];
    const launch: LaunchFile = {
      cwd: plan.cwd,
      exitFile: path.join(ctx.runDir, EXIT_FILE),
      graceMs: this.graceMs,
      ...(plan.timeLimitSeconds && Number.isFinite(plan.timeLimitSeconds) ? { timeLimitMs: plan.timeLimitSeconds * 1000 } : {}),
      ranks: [],
    };
    for (let rank = 0; rank < ranks; rank++) {
      const stem = ranks > 1 ? `rank${rank}.` : '';
      const stdout = path.join(ctx.runDir, `${stem}stdout.log`);
      const stderr = path.join(ctx.runDir, `${stem}stderr.log`);
      fs.writeFileSync(stdout, '', { flag: 'a' });
      fs.writeFileSync(stderr, '', { flag: 'a' });
      logs.push({ path: stdout, stream: 'stdout', ...(ranks > 1 ? { rank } : {}) }, { path: stderr, stream: 'stderr', ...(ranks > 1 ? { rank } : {}) });
      const rankEnv: Record<string, string> = ranks > 1 ? { RANK: String(rank), LOCAL_RANK: String(rank), WORLD_SIZE: String(ranks), LOCAL_WORLD_SIZE: String(ranks), MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(masterPort) } : {};
      launch.ranks.push({ argv: plan.command, env: { ...plan.env, ...rankEnv }, stdout, stderr });
    }
    const launchFile = path.join(ctx.runDir, 'launch.json');
    writeFileAtomic(launchFile, JSON.stringify(launch, null, 2));

    const child = spawn(this.nodePath, [this.supervisorPath, launchFile], {
      detached: true, // its own session and process group: cancel signals the group, a reload leaves it running
      stdio: 'ignore',
      cwd: ctx.runDir,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (e) => reject(new Error(`could not start the run supervisor (${this.nodePath}): ${e.message}`)));
    });
    child.unref();
    const pid = child.pid!;
    const handle: LocalHandle = { pid, pgid: pid, startTime: processStartTime(pid) ?? '', host: os.hostname() };
    const startedAt = Date.now();
    ctx.update({ id: run.id, state: 'running', startedAt, logs, handle });
    const live: LocalRun = { ...run, state: 'running', startedAt, logs, handle };
    this.watched.add(run.id);
    this.children.add(child);
    child.once('exit', (code) => {
      this.children.delete(child);
      this.finalize(live, ctx, code ?? undefined);
    });
    return { id: run.id, state: 'running', startedAt, logs, handle };
  }

  async cancel(run: LocalRun, ctx: LocalContext): Promise<void> {
    const h = run.handle;
    if (!h.pgid || !this.isOurs(run)) {
      this.finalize(run, ctx);
      return;
    }
    writeFileAtomic(path.join(ctx.runDir, CANCEL_FILE), JSON.stringify({ at: Date.now(), by: process.pid }));
    signalGroup(h.pgid, 'SIGTERM');
    const gone = await waitUntil(() => groupMembers(h.pgid!).length === 0, this.graceMs);
    if (!gone) {
      writeFileAtomic(path.join(ctx.runDir, CANCEL_FILE), JSON.stringify({ at: Date.now(), by: process.pid, killed: true }));
      signalGroup(h.pgid, 'SIGKILL');
      await waitUntil(() => groupMembers(h.pgid!).length === 0, 5000);
    }
    this.finalize(run, ctx);
  }

  async reattach(runs: LocalRun[], ctxFor: (run: LocalRun) => LocalContext): Promise<void> {
    for (const run of runs) {
      if (run.plan.backend !== 'local' || this.watched.has(run.id)) continue;
      // Another window or the CLI is submitting it right now (created, supervisor not yet started):
      // it is theirs to start, not a run that died. Only one queued for long without a pid is lost.
      if (!run.handle.pid && run.state === 'queued' && Date.now() - run.submittedAt < SUBMITTING_MS) continue;
      const ctx = ctxFor(run);
      if (!this.isOurs(run)) {
        this.finalize(run, ctx);
        continue;
      }
      this.watched.add(run.id);
      const timer = setInterval(() => {
        if (this.isOurs(run)) return;
        clearInterval(timer);
        this.timers.delete(timer);
        this.finalize(run, ctx);
      }, this.pollMs);
      this.timers.add(timer);
    }
  }

  /** Stops watching; the runs go on (the next window or CLI reattaches). */
  dispose(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    for (const c of this.children) c.removeAllListeners('exit');
    this.children.clear();
    this.watched.clear();
  }

  /** True while the run's supervisor is alive and is the very process we started (not a reused pid). */
  private isOurs(run: LocalRun): boolean {
    const h = run.handle;
    if (!h.pid || !isPidAlive(h.pid)) return false;
    if (h.host && h.host !== os.hostname()) return false;
    return !h.startTime || processStartTime(h.pid) === h.startTime;
  }

  /** Reads how the run ended and reports its final state (idempotent: the store keeps the first). */
  private finalize(run: LocalRun, ctx: LocalContext, supervisorCode?: number): void {
    this.watched.delete(run.id);
    ctx.update(outcome(run, ctx.runDir, supervisorCode, this.diskProblem));
  }
}

/**
 * The final state of a run whose supervisor has exited, from what it left in the run directory (and
 * the supervisor's exit code, known only to the window that started it). A run that failed or was
 * lost while its logs could not be written says so: its own last words were lost with them.
 */
export function outcome(run: RunRecord, runDir: string, supervisorCode?: number, diskProblem: (dir: string) => string | undefined = logDiskProblem): RunUpdate {
  const u = endState(run, runDir, supervisorCode, diskProblem);
  if (u.state !== 'failed' && u.state !== 'lost') return u;
  const problem = diskProblem(runDir);
  return problem && !u.reason?.includes(problem) ? { ...u, reason: `${u.reason}; log writes were failing: ${problem}` } : u;
}

function endState(run: RunRecord, runDir: string, supervisorCode: number | undefined, diskProblem: (dir: string) => string | undefined): RunUpdate {
  const exit = readJson<ExitFile>(path.join(runDir, EXIT_FILE));
  const cancel = readJson<{ at: number; killed?: boolean }>(path.join(runDir, CANCEL_FILE));
  const endedAt = exit?.endedAt ?? Date.now();
  const base = { id: run.id, endedAt };
  if (!exit) {
    if (cancel) return { ...base, state: 'cancelled', reason: cancel.killed ? 'killed by SIGKILL after the grace period' : 'cancelled' };
    const problem = diskProblem(runDir);
    const unrecorded = `its exit status could not be written to the run directory${problem ? ` (${problem})` : ''}`;
    if (supervisorCode === SUPERVISOR_EXIT.unrecordedSuccess) return { ...base, state: 'succeeded', exitCode: 0, reason: `exit code 0; ${unrecorded}` };
    if (supervisorCode === SUPERVISOR_EXIT.unrecordedFailure) return { ...base, state: 'failed', reason: `the command failed; ${unrecorded}` };
    if (problem) return { ...base, state: 'lost', reason: `the run ended, but ${unrecorded}` };
    return { ...base, state: 'lost', reason: 'the run ended without recording an exit status (its supervisor was killed)' };
  }
  const leftover = exit.leftovers > 0 ? `; ${exit.leftovers} process(es) it left running were stopped` : '';
  const started = exit.ranks.find((r) => r?.error);
  if (started?.error) return { ...base, state: 'failed', exitCode: 127, reason: started.error };
  const bad = exit.ranks
    .map((r, rank) => ({ ...r, rank }))
    .filter((r) => r.code !== 0)
    .sort((a, b) => (a.at ?? 0) - (b.at ?? 0))[0];
  if (exit.timedOut) {
    const limit = run.plan.timeLimit ?? `${run.plan.timeLimitSeconds}s`;
    return { ...base, state: 'timeout', exitCode: bad?.code ?? undefined, reason: `time limit ${limit} reached${exit.killedAfterGrace ? '; killed by SIGKILL after the grace period' : ''}` };
  }
  if (!bad) return { ...base, state: 'succeeded', exitCode: 0, reason: `exit code 0${leftover}` };
  const who = exit.ranks.length > 1 ? `rank ${bad.rank} ` : '';
  if (cancel || exit.terminated) {
    return { ...base, state: 'cancelled', exitCode: bad.code ?? undefined, reason: cancel?.killed ? 'killed by SIGKILL after the grace period' : `${who}${bad.signal ? `ended by ${bad.signal}` : `exit code ${bad.code}`} after a cancel` };
  }
  if (bad.signal) return { ...base, state: 'failed', reason: `${who}killed by ${bad.signal}${leftover}` };
  return { ...base, state: 'failed', exitCode: bad.code ?? undefined, reason: `${who}exit code ${bad.code}${leftover}` };
}

function waitUntil(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (pred()) return resolve(true);
    const deadline = Date.now() + timeoutMs;
    const t = setInterval(() => {
      if (pred()) {
        clearInterval(t);
        resolve(true);
      } else if (Date.now() > deadline) {
        clearInterval(t);
        resolve(false);
      }
    }, 50);
  });
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
