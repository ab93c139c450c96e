// The run store on disk: `<root>/runs/<id>/run.json` (the truth for one run, with its log files
// beside it) and `<root>/runs/index.json` (one summary per run, for quick listing). Every write is
// atomic and done under one lock, so two windows on one workspace and the CLI can share a store.
// Other processes' changes are seen by watching the index.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { isTerminal, summarizeRun, type LaunchPlan, type LocalLaunchPlan, type LocalRun, type RunRecord, type RunSummary, type RunUpdate, type SlurmLaunchPlan, type SlurmRun } from './types';
import { readJson, withLock, writeFileAtomic } from './fsAtomic';

interface IndexFile {
  version: 1;
  runs: RunSummary[];
}

export interface StoreEvents {
  /** A run changed, in this process or another. */
  change: [RunRecord];
}

export class RunStore extends EventEmitter<StoreEvents> {
  readonly runsDir: string;
  private readonly indexFile: string;
  private readonly lockDir: string;
  private known = new Map<string, string>(); // id → JSON of its summary, to tell what changed
  private watching = false;
  private sweep: NodeJS.Timeout | undefined;

  /** `root` is the `.gantry` directory of a workspace. */
  constructor(readonly root: string) {
    super();
    this.runsDir = path.join(root, 'runs');
    this.indexFile = path.join(this.runsDir, 'index.json');
    this.lockDir = path.join(this.runsDir, '.lock');
  }

  runDir(id: string): string {
    return path.join(this.runsDir, id);
  }

  private ensureDir(): void {
    fs.mkdirSync(this.runsDir, { recursive: true });
  }

  /** Creates a queued run for `plan` with its directory. */
  create(plan: LocalLaunchPlan, extra?: Partial<Pick<RunRecord, 'rerunOf'>>): LocalRun;
  create(plan: SlurmLaunchPlan, extra?: Partial<Pick<RunRecord, 'rerunOf'>>): SlurmRun;
  create(plan: LaunchPlan, extra?: Partial<Pick<RunRecord, 'rerunOf'>>): RunRecord;
  create(plan: LaunchPlan, extra: Partial<Pick<RunRecord, 'rerunOf'>> = {}): RunRecord {
    this.ensureDir();
    return withLock(this.lockDir, () => {
      let id = makeRunId(plan.name, new Date());
      while (fs.existsSync(this.runDir(id))) id = makeRunId(plan.name, new Date());
      fs.mkdirSync(this.runDir(id));
      const fields = { id, state: 'queued' as const, submittedAt: Date.now(), logs: [], handle: {}, ...extra };
      // Each backend's plan with its own (still empty) handle: the union is keyed on plan.backend.
      const run: RunRecord = plan.backend === 'slurm' ? { ...fields, plan } : { ...fields, plan };
      writeFileAtomic(path.join(this.runDir(id), 'run.json'), JSON.stringify(run, null, 2));
      this.writeIndexEntry(run);
      this.noteLocal(run);
      return run;
    });
  }

  get(id: string): RunRecord | undefined {
    return readJson<RunRecord>(path.join(this.runDir(id), 'run.json'));
  }

  /**
   * Applies a backend's update. A terminal state is final: a later update cannot move a run out of
   * it (two windows may both see a process end), but it may add detail (logs, handle).
   */
  update(u: RunUpdate): RunRecord | undefined {
    const file = path.join(this.runDir(u.id), 'run.json');
    const next = withLock(this.lockDir, () => {
      const run = readJson<RunRecord>(file);
      if (!run) return undefined;
      const final = isTerminal(run.state);
      const merged = applyUpdate(run, u, final);
      if (JSON.stringify(merged) === JSON.stringify(run)) return run;
      writeFileAtomic(file, JSON.stringify(merged, null, 2));
      this.writeIndexEntry(merged);
      return merged;
    });
    if (next) this.noteLocal(next);
    return next;
  }

  /** All runs, newest first. Rebuilds the index from the run directories when it is missing or unreadable. */
  list(): RunSummary[] {
    const index = readJson<IndexFile>(this.indexFile);
    if (index?.version === 1 && Array.isArray(index.runs)) return [...index.runs].sort(newestFirst);
    return this.rebuildIndex();
  }

  rebuildIndex(): RunSummary[] {
    if (!fs.existsSync(this.runsDir)) return [];
    return withLock(this.lockDir, () => {
      const runs: RunSummary[] = [];
      for (const name of fs.readdirSync(this.runsDir)) {
        const run = readJson<RunRecord>(path.join(this.runsDir, name, 'run.json'));
        if (run?.id) runs.push(summarizeRun(run));
      }
      runs.sort(newestFirst);
      writeFileAtomic(this.indexFile, JSON.stringify({ version: 1, runs } satisfies IndexFile, null, 1));
      return runs;
    });
  }

  /** Finds a run by id, unique id prefix, or name (the newest run of that name). */
  resolve(ref: string): RunRecord | undefined {
    const all = this.list();
    const exact = all.find((r) => r.id === ref);
    if (exact) return this.get(exact.id);
    const byPrefix = all.filter((r) => r.id.startsWith(ref));
    if (byPrefix.length === 1) return this.get(byPrefix[0].id);
    const byName = all.find((r) => r.name === ref);
    return byName ? this.get(byName.id) : undefined;
  }

  /** Emits `change` for runs that other processes (another window, the CLI) change. */
  watch(intervalMs = 500): void {
    if (this.watching) return;
    this.watching = true;
    this.ensureDir();
    for (const r of this.list()) this.known.set(r.id, JSON.stringify(r));
    // Stat polling rather than fs.watch: it works the same on every platform and on network mounts,
    // and the rename of an atomic write is a change of mtime and inode.
    fs.watchFile(this.indexFile, { interval: intervalMs }, () => this.scan());
    // A stat poll can miss a write: two atomic renames within one timestamp tick that reuse the
    // freed inode and keep the size (`queued` → `running`) look like no change, and if nothing is
    // written after them the other window never hears of it. So read the index every few polls too.
    this.sweep = setInterval(() => this.scan(), Math.max(1000, intervalMs * 10));
    this.sweep.unref?.();
  }

  unwatch(): void {
    if (!this.watching) return;
    this.watching = false;
    fs.unwatchFile(this.indexFile);
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = undefined;
  }

  private scan(): void {
    for (const s of this.list()) {
      const json = JSON.stringify(s);
      if (this.known.get(s.id) === json) continue;
      this.known.set(s.id, json);
      const run = this.get(s.id);
      if (run) this.emit('change', run);
    }
  }

  private noteLocal(run: RunRecord): void {
    this.known.set(run.id, JSON.stringify(summarizeRun(run)));
    this.emit('change', run);
  }

  private writeIndexEntry(run: RunRecord): void {
    const index = readJson<IndexFile>(this.indexFile);
    const runs = index?.version === 1 && Array.isArray(index.runs) ? index.runs.filter((r) => r.id !== run.id) : [];
    runs.push(summarizeRun(run));
    runs.sort(newestFirst);
    writeFileAtomic(this.indexFile, JSON.stringify({ version: 1, runs } satisfies IndexFile, null, 1));
  }
}

/**
 * `run` with an update applied (the fields of a run in a terminal state stay as they are). The
 * update's handle fields come from the run's own backend (BackendContext<R['handle']>).
 */
function applyUpdate<R extends RunRecord>(run: R, u: RunUpdate, final: boolean): R {
  return {
    ...run,
    ...(u.logs ? { logs: u.logs } : {}),
    ...(u.handle ? { handle: { ...run.handle, ...u.handle } } : {}),
    ...(final ? {} : pick(u, ['state', 'reason', 'exitCode', 'startedAt', 'endedAt'])),
  };
}

const newestFirst = (a: RunSummary, b: RunSummary) => b.submittedAt - a.submittedAt || (a.id < b.id ? 1 : -1);

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** `20261122-163000-llama3-8b-a1b2`: UTC time, so ids sort by submission on every machine. */
export function makeRunId(name: string, at: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}-${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}`;
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'run';
  return `${stamp}-${slug}-${Math.random().toString(16).slice(2, 6).padEnd(4, '0')}`;
}

/**
 * The `.gantry` directory for a path: the nearest ancestor that already has one, else the nearest
 * with `.git` or `.vscode`, else `start` itself. The CLI and the extension (which passes the
 * workspace folder) then agree on one store.
 */
export function findStoreRoot(start: string): string {
  const markers = [['.gantry'], ['.git', '.vscode']];
  for (const names of markers) {
    let dir = path.resolve(start);
    for (;;) {
      if (names.some((n) => fs.existsSync(path.join(dir, n)))) return path.join(dir, '.gantry');
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return path.join(path.resolve(start), '.gantry');
}
