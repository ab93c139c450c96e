// `gantry check [files|folders]`: the editor's diagnostics for CI pipelines and pre-commit hooks.
// Compiler-style lines or --format json; exit 0 without errors, 1 with errors, 2 on bad usage.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { checkFile, summarize } from '../../core/check/checkFile';
import { parseSpecFile, type ParsedDoc } from '../../core/spec/parse';
import { availableParallelism, loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { onlyClusters, type ClusterIndex } from '../../core/spec/clusters';
import type { ClusterEntry } from '../../core/validate/rules';
import { PROJECT_FILE, Workspace, pathToUri, uriToPath } from '../../core/workspace/workspace';
import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readerBeside, type ReadFile } from '../../core/workspace/readBeside';
import { foreignDefaults } from '../../core/formats/context';
import { launcherDefaults } from '../../core/formats/launcherLink';
import { folderNames } from '../folderNames';
import { isGantryFile } from '../../core/validate/validate';
import type { ForeignDefaults } from '../../core/formats/types';
import { gpuOptionError, parseCommandArgs } from '../args';
import { quote } from '../../core/validate/problem';
import { buildDigest, CheckCache, defaultCacheFile, digest, recording, runKey, stillValid, type CheckDeps } from '../checkCache';

export const summary = 'check specs for errors (compiler-style output or --format json)';

const USAGE = `usage: gantry check [options] [files|folders…]

Checks every Gantry spec (files with apiVersion: gantry/… or named *.gantry.yaml) and every foreign
config Gantry recognises (a vllm serve / SGLang command in a Kubernetes manifest, compose file,
Dockerfile, script or SkyPilot task; a torchtitan TOML, axolotl YAML, DeepSpeed JSON or accelerate
YAML) in the given files and folders (default: the current folder); '-' reads standard input, e.g.
'helm template chart | gantry check -'. Cluster references resolve against every Cluster found
under --workspace and the given paths. The workspace is the current folder when every path lies in it;
otherwise the nearest folder above the paths that holds a gantry.yaml or .git (else the folder that holds
them all), so checking a path elsewhere never walks the current folder.

options:
  --format text|json   output format (default text: file:line:col: severity code: message)
  --workspace DIR      where to look for Cluster documents (default: see above)
  --max-warnings N     exit 1 when there are more than N warnings
  --gpu ID             the GPU (catalog id) foreign configs run on where neither they nor a
                       gantry.context.yaml beside them say
  --stdin-name NAME    the file name standard input ('-') stands for (default stdin.yaml)
  -j, --jobs N         threads that check files (default: one per free core less one, up to 4,
                       from 200 files; the output is the same whatever N)
  --cache              keep each file's outcome for the next run, which re-checks only the files
                       whose text, Cluster lookups or referenced files read differently (the output
                       is the same); kept in $XDG_CACHE_HOME/gantry (else ~/.cache/gantry), one
                       file per workspace
  --cache-location F   keep it in file F instead (implies --cache)
  -q, --quiet          print errors only
  -h, --help           this help

exit status: 0 no errors, 1 errors found (or more warnings than --max-warnings, or no Gantry spec
checked), 2 bad usage or unreadable input. A file named explicitly that holds no Gantry document is
reported as skipped ("not a Gantry spec"; in --format json an entry with severity "info", code
"skipped").`;

export interface CheckResult {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
  /** The titles of the quick fixes for this problem, when there are any. */
  fixes?: string[];
}

interface Options {
  format: 'text' | 'json';
  /** --workspace; without it, defaultWorkspace(paths). */
  workspace?: string;
  maxWarnings?: number;
  quiet: boolean;
  paths: string[];
  stdinName?: string;
  gpu?: string;
  threads?: number;
  /** --cache / --cache-location: the cache file (absolute), or true for the default one. */
  cache?: string | true;
}

function parseArgs(argv: string[]): Options | string {
  const a = parseCommandArgs(argv, {
    format: { type: 'string' },
    workspace: { type: 'string' },
    'max-warnings': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    gpu: { type: 'string' },
    'stdin-name': { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    cache: { type: 'boolean' },
    'cache-location': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if ('error' in a) return a.error;
  const { values: v } = a;
  if (v.help) return 'help';
  if (v.format !== undefined && v.format !== 'text' && v.format !== 'json') return '--format must be text or json';
  if (v.workspace === '') return '--workspace needs a folder';
  const maxWarnings = v['max-warnings'] === undefined ? undefined : Number(v['max-warnings']);
  if (maxWarnings !== undefined && (!Number.isInteger(maxWarnings) || maxWarnings < 0 || v['max-warnings'] === '')) return '--max-warnings needs a whole number';
  const jobs = v.jobs === undefined ? undefined : Number(v.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || v.jobs === '')) return '--jobs needs a whole number of at least 1';
  const gpuError = gpuOptionError(v.gpu);
  if (gpuError) return gpuError;
  if (v['cache-location'] === '') return '--cache-location needs a file';
  const cache = v['cache-location'] !== undefined ? path.resolve(v['cache-location']) : v.cache ? true : undefined;
  return {
    format: v.format ?? 'text',
    ...(v.workspace !== undefined ? { workspace: v.workspace } : {}),
    ...(maxWarnings !== undefined ? { maxWarnings } : {}),
    quiet: !!v.quiet,
    paths: a.positionals.length ? a.positionals : ['.'],
    ...(v['stdin-name'] ? { stdinName: v['stdin-name'] } : {}),
    ...(v.gpu ? { gpu: v.gpu } : {}),
    ...(jobs ? { threads: jobs } : {}),
    ...(cache ? { cache } : {}),
  };
}

/**
 * Adds the files to check under `p` to `out`. Synchronous, like the workspace walk after it: a batch
 * command has nothing else to do meanwhile, and a directory listing through the thread pool costs a
 * round trip per folder (500 folders: some 150 ms against 15). Only directory entries are listed
 * here; no file is opened.
 */
function collect(p: string, out: Set<string>, explicit: boolean, errors: string[]): void {
  let st;
  try {
    st = statSync(p);
  } catch {
    errors.push(`cannot read ${shownPath(p)}: no such file or folder`);
    return;
  }
  if (st.isFile()) {
    if (explicit || candidate(path.basename(p))) out.add(path.resolve(p));
    return;
  }
  if (st.isDirectory()) collectFolder(p, out, errors);
  // A named device, pipe or socket is never opened: a read could block for good (a FIFO) or never end (/dev/zero).
  else errors.push(`cannot read ${shownPath(p)}: not a regular file or folder`);
}

/** A path in a message: whole up to a length no real path reaches (quote escapes control characters). */
const shownPath = (p: string): string => quote(p, 512);

/** The candidate files under a folder, depth first in listing order (dot folders and node_modules skipped). */
function collectFolder(dir: string, out: Set<string>, errors: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    errors.push(`cannot read folder ${shownPath(dir)}: ${(e as Error).message}`);
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const child = path.join(dir, e.name);
    if (e.isDirectory()) collectFolder(child, out, errors);
    else if (e.isFile() && candidate(e.name)) out.add(path.resolve(child));
  }
}

/**
 * The files a folder walk looks at: YAML (Gantry specs, manifests, compose, SkyPilot, axolotl,
 * accelerate) and the other files foreign configs live in (scripts, Dockerfiles, TOML, JSON). Each
 * is then read and checked only when it is a Gantry spec or a foreign reader recognises it.
 */
function candidate(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower === 'dockerfile' || lower === 'containerfile' || lower.startsWith('dockerfile.')) return true;
  const dot = lower.lastIndexOf('.');
  return dot > 0 && FOREIGN_EXTENSIONS.has(lower.slice(dot + 1));
}
const FOREIGN_EXTENSIONS = new Set(['yaml', 'yml', 'toml', 'json', 'sh', 'bash', 'sbatch', 'slurm']);

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

export interface CheckPathsOptions {
  stdinName?: string;
  settings?: ForeignDefaults;
  /** Threads that check files (this one included); default: defaultThreads (one per free core less one, up to MAX_THREADS, from PARALLEL_MIN_FILES files). */
  threads?: number;
  /** The bundle a worker thread loads (it exports checkWorker); default: this bundle when it is dist/cli-commands.js, else no workers. */
  workerScript?: string;
  /** Keep outcomes between runs in this file (cli/checkCache.ts); `build` overrides the digest of Gantry's own code (tests). */
  cache?: { file: string; build?: string };
}

/** What --cache did in one run. */
export interface CacheReport {
  file: string;
  /** Files whose stored outcome was used, and files checked afresh. */
  hits: number;
  misses: number;
  /** Why the stored cache could not be used (it was rebuilt, unless `unwritable` says why not). */
  unusable?: string;
  /** Why the cache could not be written. */
  unwritable?: string;
}

export async function checkPaths(paths: string[], workspaceDir: string, opts: CheckPathsOptions = {}): Promise<{ results: CheckResult[]; unreadable: string[]; skipped: string[]; checked: number; threads: number; cache?: CacheReport }> {
  const files = new Set<string>();
  const explicit = new Set<string>();
  const texts = new Map<string, string>();
  const unreadable: string[] = [];
  // '-': standard input, as the file it stands for (its name helps recognise a format).
  const stdin = paths.includes('-') ? path.resolve(opts.stdinName ?? 'stdin.yaml') : undefined;
  if (stdin) {
    try {
      texts.set(stdin, readFileSync(0, 'utf8'));
      explicit.add(stdin);
    } catch (e) {
      unreadable.push(`cannot read standard input: ${(e as Error).message}`);
    }
  }
  paths = paths.filter((p) => p !== '-');
  for (const p of paths) explicit.add(path.resolve(p));
  for (const p of paths) collect(p, files, true, unreadable);
  const cwd = process.cwd();
  const root = pathToUri(path.resolve(workspaceDir));
  const script = opts.workerScript ?? (path.basename(__filename) === 'cli-commands.js' ? __filename : undefined);
  const cache = opts.cache ? new CheckCache<FileOutcome>(opts.cache.file, runKey({ build: opts.cache.build ?? buildDigest(), cwd, root, settings: opts.settings }), isFileOutcome) : undefined;
  const record = !!cache;
  let threads = 1;
  const startPool = (count: number): CheckPool | undefined => {
    threads = Math.min(opts.threads ?? defaultThreads(count), MAX_THREADS);
    return threads > 1 && script && count > 1 ? new CheckPool(threads - 1, { gantryCheckWorker: true, script, root, settings: opts.settings, cwd, record }) : undefined;
  };
  // Worker threads start now: loading the bundle (some 50 ms each) overlaps the walk and the index
  // below. With --cache, only once the files to check afresh are known (after a small change, none).
  let pool = cache ? undefined : startPool(files.size + texts.size);
  try {
    return await checkAll();
  } finally {
    pool?.close();
  }

  async function checkAll() {
    // One synchronous walk of the workspace indexes its Clusters and reads the files to check that lie
    // in it (a batch command has nothing else to do meanwhile); the others are read after it.
    const ws = new Workspace();
    ws.configureSync([root]);
    // Standard input is not on disk: its Clusters count as an open file's.
    if (stdin && texts.has(stdin)) ws.updateOpen(pathToUri(stdin), parseSpecFile(texts.get(stdin)!));
    const fromScan = new Map<string, string>();
    // With --cache: each text's digest, once (the cache's key for the file's outcome and its Clusters).
    const digests = new Map<string, string>();
    const digestOf = (p: string, text: string): string => {
      let d = digests.get(p);
      if (d === undefined) digests.set(p, (d = digest(text)));
      return d;
    };
    // A file of Clusters only is checked as soon as its folder is indexed, on the walk's own parse
    // (onlyClusters: its check needs no other folder's Clusters), rather than parsed a second time;
    // only one folder's parses are held at once.
    const early = new Map<string, FileOutcome>();
    let folder: [string, string, ParsedDoc[]][] = [];
    const onText = (p: string, text: string, docs?: ParsedDoc[]) => {
      if (!files.has(p)) return;
      fromScan.set(p, text);
      if (docs && onlyClusters(docs)) folder.push([p, text, docs]);
    };
    const onFolderDone = () => {
      for (const [p, text, docs] of folder) early.set(p, checkOne(p, text, ws.clusters, opts.settings, cwd, docs, record));
      folder = [];
    };
    const stored = cache && {
      get: (p: string, text: string) => cache.clusters(p, digestOf(p, text)),
      set: (p: string, text: string, entries: ClusterEntry[]) => cache.storeClusters(p, digestOf(p, text), entries),
    };
    ws.scanSync([root], onText, onFolderDone, stored);
    folder = [];
    for (const f of files) {
      const text = fromScan.get(f);
      if (text !== undefined) {
        texts.set(f, text);
        continue;
      }
      try {
        texts.set(f, await fs.readFile(f, 'utf8'));
        const uri = pathToUri(f);
        if (/\.ya?ml$/i.test(f) && !ws.scanned.has(uri)) await ws.readFromDisk(uri);
      } catch (e) {
        unreadable.push(`cannot read ${shownPath(f)}: ${(e as Error).message}`);
      }
    }
    const items = [...texts];
    const here = (f: string, text: string) => checkOne(f, text, ws.clusters, opts.settings, cwd, undefined, record);
    // A stored outcome is used when the file's text and everything its check read are unchanged.
    const reused = new Map<string, FileOutcome>();
    if (cache) {
      for (const [f, text] of items) {
        if (f === stdin || early.has(f)) continue;
        const valid = (deps: CheckDeps) => stillValid(deps, readerBeside(f), () => folderNames(f), ws.clusters.scopedTo(pathToUri(f)));
        const o = cache.outcome(f, digestOf(f, text), valid);
        if (o) reused.set(f, o);
      }
    }
    const rest = items.filter(([f]) => !early.has(f) && !reused.has(f));
    if (cache) pool = startPool(rest.length);
    const restOutcomes = pool ? await pool.check(rest, ws.clusters, here) : rest.map(([f, text]) => here(f, text));
    let k = 0;
    const outcomes = items.map(([f]) => early.get(f) ?? reused.get(f) ?? restOutcomes[k++]);
    let report: CacheReport | undefined;
    if (cache) {
      items.forEach(([f, text], i) => {
        const { deps, ...outcome } = outcomes[i];
        if (deps && f !== stdin && !reused.has(f)) cache.store(f, digestOf(f, text), outcome, deps);
      });
      report = { file: cache.file, hits: cache.hits, misses: items.length - cache.hits - (stdin && texts.has(stdin) ? 1 : 0), ...(cache.unusable ? { unusable: cache.unusable } : {}) };
      const walked = paths.map((p) => path.resolve(p));
      const unwritable = cache.save((f) => walked.some((w) => within(w, f)));
      if (unwritable) report.unwritable = unwritable;
    }
    const results: CheckResult[] = [];
    const skipped: string[] = [];
    let checked = 0;
    items.forEach(([f], i) => {
      const o = outcomes[i];
      if (o.gantry) {
        checked++;
        results.push(...o.results);
      } else if (explicit.has(f)) {
        // A file named explicitly that holds no Gantry document is said to be skipped; folders' other YAML is not.
        const rel = path.relative(cwd, f) || f;
        skipped.push(rel);
        results.push({ file: rel, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'info', code: 'skipped', message: 'not a Gantry spec: skipped' });
      }
    });
    return { results, unreadable, skipped, checked, threads: pool ? threads : 1, ...(report ? { cache: report } : {}) };
  }
}

/** One file's check: whether Gantry checked it, and its problems as output lines. */
export interface FileOutcome {
  gantry: boolean;
  results: CheckResult[];
  /** What the check read (when asked to record it, for --cache); absent when it failed. */
  deps?: CheckDeps;
}

/** Whether a value read back from --cache's file is an outcome. */
function isFileOutcome(x: unknown): x is FileOutcome {
  const o = x as FileOutcome | undefined;
  return (
    !!o &&
    typeof o.gantry === 'boolean' &&
    Array.isArray(o.results) &&
    o.results.every(
      (r) =>
        !!r &&
        typeof r.file === 'string' &&
        typeof r.message === 'string' &&
        typeof r.severity === 'string' &&
        typeof r.code === 'string' &&
        Number.isInteger(r.line) &&
        Number.isInteger(r.column) &&
        Number.isInteger(r.endLine) &&
        Number.isInteger(r.endColumn) &&
        (r.fixes === undefined || (Array.isArray(r.fixes) && r.fixes.every((f) => typeof f === 'string'))),
    )
  );
}

/** `docs`: the file's documents when the caller has parsed `text` already; `record`: say what the check read (`deps`). */
export function checkOne(f: string, text: string, index: ClusterIndex, settings: ForeignDefaults | undefined, cwd: string, docs?: ParsedDoc[], record = false): FileOutcome {
  const rel = path.relative(cwd, f) || f;
  try {
    return checkOneOrThrow(f, rel, text, index, settings, docs, record);
  } catch (e) {
    // A failure of Gantry's own on one file is that file's error: the other files are still checked.
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    const message = `Gantry failed while checking this file (${why.length > 200 ? `${why.slice(0, 200)}…` : why}). This is a bug in Gantry; please report it with the file.`;
    return { gantry: true, results: [{ file: rel, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'check-failed', message }] };
  }
}

function checkOneOrThrow(f: string, rel: string, text: string, index: ClusterIndex, settings: ForeignDefaults | undefined, docs: ParsedDoc[] | undefined, record: boolean): FileOutcome {
  const uri = pathToUri(f);
  let readFile: ReadFile = readerBeside(f);
  let listFolder: () => readonly string[] | undefined = () => folderNames(f);
  let clusters = index.scopedTo(uri);
  const rec = record ? recording(readFile, listFolder, clusters) : undefined;
  if (rec) ({ readFile, listFolder, clusters } = rec);
  // What foreign configs do not say (gantry.context.yaml, --gpu): looked up for those files only.
  const defaults = isGantryFile(text, uri) ? undefined : launcherDefaults(uri, text, foreignDefaults(readFile, settings), listFolder, readFile);
  const c = checkFile(text, { fileName: uri, clusters, readFile, defaults, docs });
  const deps = rec ? { deps: rec.deps() } : {};
  if (!c.gantry) return { gantry: false, results: [], ...deps };
  const starts = lineStarts(text);
  const results = c.problems.map((p): CheckResult => {
    const s = position(starts, p.offset);
    const e = position(starts, p.offset + p.length);
    return { file: rel, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, severity: p.severity, code: p.code, message: p.message, ...(p.fixes?.length ? { fixes: p.fixes.map((x) => x.title) } : {}) };
  });
  return { gantry: true, results, ...deps };
}

// ---------------------------------------------------------------- worker threads
//
// Parsing and checking are independent per file once the cluster index is built, so a large tree is
// checked by this thread and up to MAX_THREADS - 1 workers. Each worker loads this bundle, rebuilds
// the same index from its entries, and takes chunks of files from a queue this thread hands out;
// each outcome is stored at its file's index, so the output is in the same order, and the same, as
// one thread's. This thread checks files from the queue's far end meanwhile.

/** Below this many files a worker's start-up (loading the bundle: some 50 ms) is not worth it. */
export const PARALLEL_MIN_FILES = 200;
/** Each worker holds some 35 MB more and spends some 0.6 s of CPU on its own start and JIT warm-up; the walk stays on one thread. */
export const MAX_THREADS = 4;
const CHUNK = 24;
/**
 * A worker's young generation (V8's default is 16 MB or more): a worker lives for one command, so
 * more frequent scavenges cost little, and each worker holds some 10 MB less (bench:monorepo).
 */
const WORKER_YOUNG_MB = 4;

/**
 * The threads `gantry check` uses unless -j says: one per free core (the last minute's load average
 * says how many are busy) less one, up to MAX_THREADS, and one below PARALLEL_MIN_FILES files. The core
 * left over is V8's: its optimising compiler and garbage collector run on threads of their own, and a
 * one-thread check already keeps a second core about half busy with them (3,000 files, 2 idle cores:
 * 2.0 s wall, 2.85 s of CPU). Each worker brings its own compiler work (it warms up its own copy of the
 * parser), so on two cores a worker bought nothing (2.05 s against 2.07) and cost 22 MB and 0.6 s of
 * CPU (docs/performance.md); on a machine whose cores are busy already it only adds its start-up.
 */
export function defaultThreads(files: number, cores = availableParallelism(), load = loadavg()[0]): number {
  if (files < PARALLEL_MIN_FILES) return 1;
  const free = Math.floor(cores - load + 0.5);
  return Math.max(1, Math.min(cores - 1, free - 1, MAX_THREADS));
}

interface WorkerInit {
  gantryCheckWorker: true;
  script: string;
  root: string;
  settings?: ForeignDefaults;
  cwd: string;
  /** Record what each check read (--cache). */
  record: boolean;
}
type Chunk = [index: number, file: string, text: string][];
/** This thread to a worker: the cluster index (first, once), then chunks of files. */
type ToWorker = { clusters: [string, ClusterEntry[]][] } | { id: number; chunk: Chunk };

/** A cluster index's files and entries, in its own order, to build the same index elsewhere. */
function indexEntries(index: ClusterIndex): [string, ClusterEntry[]][] {
  const byFile = new Map<string, ClusterEntry[]>(index.files().map((f) => [f, []]));
  for (const name of index.names()) for (const e of index.all(name)) byFile.get(e.file)?.push(e);
  for (const list of byFile.values()) list.sort((a, b) => a.docIndex - b.docIndex || a.nameOffset - b.nameOffset);
  return [...byFile];
}

/**
 * Worker threads that check files beside this one. They are started before the walk, so that
 * loading the bundle overlaps it; `check` sends them the cluster index once it is complete, then
 * hands out chunks of files from a queue while this thread checks from the queue's far end.
 */
class CheckPool {
  private readonly workers: Worker[] = [];

  constructor(n: number, init: WorkerInit) {
    for (let w = 0; w < n; w++) this.workers.push(new Worker("require(require('node:worker_threads').workerData.script).checkWorker()", { eval: true, workerData: init, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } }));
  }

  async check(items: [string, string][], index: ClusterIndex, checkHere: (file: string, text: string) => FileOutcome): Promise<FileOutcome[]> {
    const outcomes: FileOutcome[] = new Array(items.length);
    const queue = items.map((_, i) => i);
    let head = 0;
    let tail = queue.length;
    let pending = items.length;
    let wake: (() => void) | undefined;
    const store = (i: number, out: FileOutcome) => {
      outcomes[i] = out;
      if (--pending === 0) wake?.();
    };
    const clusters = indexEntries(index);
    for (const worker of this.workers) {
      const inFlight = new Map<number, Chunk>();
      let next = 0;
      const give = (): void => {
        if (head >= tail) return;
        const end = Math.min(head + CHUNK, tail);
        const chunk: Chunk = [];
        for (; head < end; head++) chunk.push([queue[head], ...items[queue[head]]]);
        inFlight.set(next, chunk);
        worker.postMessage({ id: next++, chunk } satisfies ToWorker);
      };
      worker.on('message', (m: { id: number; out: FileOutcome[] }) => {
        const chunk = inFlight.get(m.id)!;
        inFlight.delete(m.id);
        chunk.forEach(([i], k) => store(i, m.out[k]));
        give();
      });
      // A worker that fails hands its files back to this thread.
      const fail = (): void => {
        for (const chunk of inFlight.values()) for (const [i, f, text] of chunk) if (!outcomes[i]) store(i, checkHere(f, text));
        inFlight.clear();
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      worker.postMessage({ clusters } satisfies ToWorker);
      // Two chunks each, so a worker need not wait for this thread between them.
      give();
      give();
    }
    const yieldNow = () => new Promise<void>((r) => setImmediate(r));
    while (head < tail) {
      const end = Math.max(head, tail - CHUNK);
      for (; tail > end; ) {
        const i = queue[--tail];
        store(i, checkHere(items[i][0], items[i][1]));
      }
      await yieldNow();
    }
    if (pending) await new Promise<void>((r) => (wake = r));
    return outcomes;
  }

  /** Stops the workers (after `check`, or when the command fails before it). */
  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}

/** A worker thread's side: builds the cluster index it is sent, then checks the chunks it is sent (cli/commands/index.ts checkWorker starts it). */
export function checkWorkerMain(): void {
  if (isMainThread || !parentPort || !(workerData as WorkerInit | undefined)?.gantryCheckWorker) return;
  const init = workerData as WorkerInit;
  const ws = new Workspace();
  ws.configureSync([init.root]);
  const port = parentPort;
  port.on('message', (m: ToWorker) => {
    if ('clusters' in m) {
      for (const [file, entries] of m.clusters) ws.clusters.set(file, entries);
      return;
    }
    port.postMessage({ id: m.id, out: m.chunk.map(([, f, text]) => checkOne(f, text, ws.clusters, init.settings, init.cwd, undefined, init.record)) });
  });
}

/**
 * The workspace a check without --workspace resolves Clusters in: `cwd` when every path lies in it (or only
 * standard input is read); otherwise the nearest folder at or above the paths' common folder that holds a
 * gantry.yaml or a .git (a project root, as an editor's workspace folder would be), else that common folder.
 * A path elsewhere therefore never makes the check walk the current folder (a home directory, `/`).
 */
export function defaultWorkspace(paths: readonly string[], cwd: string, isProjectRoot: (dir: string) => boolean = projectRoot): string {
  const abs = paths.filter((p) => p !== '-').map((p) => path.resolve(cwd, p));
  const inside = (p: string) => within(cwd, p);
  if (abs.every(inside)) return cwd;
  // The common folder: a path that is not a folder counts by its parent (a file, or a name that does not exist).
  const dirs = abs.map((p) => (isDirectory(p) ? p : path.dirname(p)));
  let common = dirs[0];
  for (const d of dirs.slice(1)) {
    while (common !== path.dirname(common) && !within(common, d)) common = path.dirname(common);
  }
  for (let d = common; ; d = path.dirname(d)) {
    if (isProjectRoot(d)) return d;
    if (d === path.dirname(d)) return common;
  }
}

/** Whether `p` is `dir` or lies inside it. */
function within(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function projectRoot(dir: string): boolean {
  return existsSync(path.join(dir, PROJECT_FILE)) || existsSync(path.join(dir, '.git'));
}

export async function run(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  if (o === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (typeof o === 'string') {
    process.stderr.write(`gantry check: ${o}\n\n${USAGE}\n`);
    return 2;
  }
  const workspace = o.workspace ?? defaultWorkspace(o.paths, process.cwd());
  const cache = o.cache === true ? defaultCacheFile(pathToUri(path.resolve(workspace))) : o.cache;
  const { results, unreadable, skipped, checked, cache: cached } = await checkPaths(o.paths, workspace, { stdinName: o.stdinName, settings: o.gpu ? { gpu: o.gpu } : {}, threads: o.threads, ...(cache ? { cache: { file: cache } } : {}) });
  for (const u of unreadable) process.stderr.write(`gantry check: ${u}\n`);
  if (cached?.unusable) process.stderr.write(`gantry check: the cache ${shownPath(cached.file)} could not be used (${cached.unusable})${cached.unwritable ? '' : '; it is rebuilt'}\n`);
  if (cached?.unwritable) process.stderr.write(`gantry check: the cache ${shownPath(cached.file)} was not written (${cached.unwritable})\n`);
  const problems = results.filter((r) => r.severity !== 'info');
  // -q: errors, and the files named explicitly that were skipped (an information finding is not an error).
  const isSkip = (r: CheckResult) => r.code === 'skipped' && r.severity === 'info';
  const shown = o.quiet ? results.filter((r) => r.severity === 'error' || isSkip(r)) : results;
  if (o.format === 'json') process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
  else {
    for (const r of shown) {
      if (isSkip(r)) process.stderr.write(`${r.file}: skipped: not a Gantry spec\n`);
      else process.stdout.write(`${r.file}:${r.line}:${r.column}: ${r.severity} ${r.code}: ${r.message}\n`);
      for (const fix of r.fixes ?? []) process.stdout.write(`    fix: ${fix}\n`);
    }
    const fromCache = cached ? `, ${cached.hits} of ${cached.hits + cached.misses} files' outcomes reused from the cache` : '';
    process.stderr.write(`${summarize(problems)}${skipped.length ? `, ${skipped.length} skipped` : ''}${fromCache}\n`);
  }
  if (unreadable.length) return 2;
  if (!checked) {
    process.stderr.write('gantry check: no Gantry spec was checked\n');
    return 1;
  }
  const errors = problems.some((r) => r.severity === 'error');
  const warnings = problems.filter((r) => r.severity === 'warning').length;
  return errors || (o.maxWarnings !== undefined && warnings > o.maxWarnings) ? 1 : 0;
}

export { uriToPath };
