// `gantry check --cache`: each file's outcome kept between runs, with what its check read, so that a
// later run re-checks only the files whose result could have changed (as ESLint's and Prettier's
// --cache, ruff's cache, tsc's .tsbuildinfo do). Parsing is most of a check (bench:monorepo: the
// `yaml` package alone takes half of a cold run), so a warm run parses only what changed.
//
// What a file's outcome depends on, and how each is checked before a stored outcome is used:
// - the whole run: Gantry's own build (a digest of the running bundle), Node's version, the current
//   folder (paths in the output are relative to it), the workspace root, --gpu and the Hugging Face
//   cache folder the estimator looks in: any change empties the cache (`runKey`);
// - the file: its path and a digest of its text;
// - every Cluster lookup its check made (`get`, `all`, `names`, as the file's scope answers them):
//   replayed against this run's index, and each answer's digest compared, so a Cluster edited,
//   added or removed anywhere re-checks the files whose lookups it answers differently, not the rest;
// - every file its check read beside it (a model's config.json, gantry.context.yaml, a launcher
//   script, a Hugging Face cache config): read again and its digest compared (or its failure);
// - its folder's names, when its check listed them (core/formats/launcherLink.ts).
// A file whose check failed (check-failed) is never stored. Standard input is never stored.
//
// The Clusters each YAML file defines are kept too (per path and text digest), so a warm run builds
// the index without parsing the files that did not change.
//
// The cache is one file, written atomically (a temporary file renamed over it), read only when it is
// a regular file of at most MAX_CACHE_BYTES. Only an absent or empty file, or one that is a Gantry
// check cache (of this layout or another), is ever replaced: anything else at that path (a file of
// the user's named by mistake, one too large or unreadable, a device such as /dev/null, a FIFO, a
// folder) is said so and left as it is, and nothing is kept. Whoever can write the cache file can make a run skip checks, as
// with any linter's cache: keep it where only you write (the default is under your home folder).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { hfHubCacheDir } from '../core/catalog/hfCache';
import { writeFileAtomic } from '../core/runs/fsAtomic';
import type { ClusterEntry, ClusterLookup } from '../core/validate/rules';
import { readRegularBytesSync, type ReadFile } from '../core/workspace/readBeside';

/** The cache file's layout; a file of another format is rebuilt. */
const FORMAT = 1;
/** The largest cache file read (100,000 files' outcomes are some 60 MB). */
export const MAX_CACHE_BYTES = 256 * 1024 * 1024;
/**
 * Stored outcomes of files outside a run's paths are carried over up to this many entries in all (with
 * the run's own, a cache of some 400,000 files would pass MAX_CACHE_BYTES and be left alone: a limit
 * far past MAX_FILES, the walk's).
 */
const MAX_ENTRIES = 200_000;

/** What a file's check read: replayed (`stillValid`) before its stored outcome is used. */
export interface CheckDeps {
  /** [the path as the check asked for it (relative to the file's folder, or absolute), digest of the text or '!' and why it could not be read]. */
  reads: [string, string][];
  /** Digest of the file's folder's names, when the check listed them. */
  folder?: string;
  /** ['get' | 'all' | 'names', name ('' for names), digest of the answer]. */
  lookups: [string, string, string][];
}

/** One file's stored outcome. `T` is the outcome (cli/commands/check.ts FileOutcome). */
interface FileEntry<T> {
  textDigest: string;
  outcome: T;
  deps: CheckDeps;
}

interface ClusterFileEntry {
  textDigest: string;
  entries: ClusterEntry[];
}

interface CacheContent<T> {
  format: number;
  key: string;
  files: Map<string, FileEntry<T>>;
  clusters: Map<string, ClusterFileEntry>;
}

export const digest = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('base64url');

/**
 * The run's key: what every stored outcome depends on. `build` is a digest of Gantry's own code
 * (buildDigest); `hfHub` the Hugging Face cache folder (its config.json reads are recorded per file,
 * but which folder they come from is decided here).
 */
export function runKey(parts: { build: string; cwd: string; root: string; settings?: unknown; hfHub?: string }): string {
  // Node's version too: nothing in a check is known to depend on it, but a cache outlives the runtime it was made by.
  return digest(JSON.stringify([FORMAT, parts.build, process.version, parts.cwd, parts.root, parts.settings ?? null, parts.hfHub ?? hfHubCacheDir() ?? null]));
}

/** A digest of the bundle this code runs from (so a rebuilt Gantry never uses another build's outcomes). */
export function buildDigest(file: string = __filename): string {
  try {
    return digest(readFileSync(file));
  } catch {
    // No file to read (an unusual loader): no cache can be trusted across runs.
    return `unknown-${process.pid}-${Date.now()}`;
  }
}

/**
 * Where `gantry check --cache` keeps a workspace's cache without --cache-location:
 * $XDG_CACHE_HOME/gantry (else ~/.cache/gantry), one file per workspace root.
 */
export function defaultCacheFile(root: string, env: Record<string, string | undefined> = process.env, home = os.homedir()): string {
  const xdg = env.XDG_CACHE_HOME?.trim();
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache');
  return path.join(base, 'gantry', `check-${digest(root).slice(0, 16)}.bin`);
}

const entryDigests = new WeakMap<ClusterEntry, string>();
/** A Cluster entry's digest: what a check can see of it (name, where it is written, its document). */
function entryDigest(e: ClusterEntry): string {
  let d = entryDigests.get(e);
  if (d === undefined) {
    d = digest(serialize([e.name, e.file, e.docIndex, e.nameOffset, e.nameLength, e.doc]));
    entryDigests.set(e, d);
  }
  return d;
}

const entriesDigest = (entries: readonly (ClusterEntry | undefined)[]): string => entries.map((e) => (e ? entryDigest(e) : '-')).join(',');
const namesDigest = (names: readonly string[]): string => digest(JSON.stringify(names));
const readDigest = (text: string | undefined, why: string | undefined): string => (text === undefined ? `!${why ?? ''}` : digest(text));

/** The answer of one recorded lookup, as `lookup` gives it now. */
function lookupDigest(lookup: ClusterLookup, kind: string, name: string): string {
  if (kind === 'get') return entriesDigest([lookup.get(name)]);
  if (kind === 'all') return entriesDigest(lookup.all(name));
  return namesDigest(lookup.names());
}

/** A check's reader, folder listing and Cluster lookup, wrapped so that what they answered is recorded. */
export function recording(readFile: ReadFile, listFolder: () => readonly string[] | undefined, clusters: ClusterLookup): { readFile: ReadFile; listFolder: () => readonly string[] | undefined; clusters: ClusterLookup; deps: () => CheckDeps } {
  const reads = new Map<string, string>();
  const lookups = new Map<string, [string, string, string]>();
  let folder: string | undefined;
  const read = (rel: string): string | undefined => {
    const text = readFile(rel);
    reads.set(rel, readDigest(text, readFile.why?.(rel)));
    return text;
  };
  const note = (kind: string, name: string, answer: string) => lookups.set(`${kind}\u0000${name}`, [kind, name, answer]);
  return {
    readFile: Object.assign(read, { why: readFile.why }),
    listFolder: () => {
      const names = listFolder();
      folder = names ? namesDigest(names) : '!';
      return names;
    },
    clusters: {
      get: (name) => {
        const e = clusters.get(name);
        note('get', name, entriesDigest([e]));
        return e;
      },
      all: (name) => {
        const list = clusters.all(name);
        note('all', name, entriesDigest(list));
        return list;
      },
      names: () => {
        const list = clusters.names();
        note('names', '', namesDigest(list));
        return list;
      },
    },
    deps: () => ({ reads: [...reads], ...(folder !== undefined ? { folder } : {}), lookups: [...lookups.values()] }),
  };
}

/** Whether what a check read still reads the same: every lookup, file and folder listing replayed now. */
export function stillValid(deps: CheckDeps, readFile: ReadFile, listFolder: () => readonly string[] | undefined, clusters: ClusterLookup): boolean {
  for (const [kind, name, answer] of deps.lookups) if (lookupDigest(clusters, kind, name) !== answer) return false;
  for (const [rel, answer] of deps.reads) if (readDigest(readFile(rel), readFile.why?.(rel)) !== answer) return false;
  if (deps.folder !== undefined) {
    const names = listFolder();
    if ((names ? namesDigest(names) : '!') !== deps.folder) return false;
  }
  return true;
}

/**
 * One run's cache: what the last run stored (`file` under `key`) and what this run stores for next
 * time (`save`). A stored file that this run's paths cover but did not find is dropped (it was
 * deleted or renamed), so the cache stays the size of the workspace; one outside them is kept (a
 * pre-commit run over a few files does not empty a full run's cache).
 */
export class CheckCache<T> {
  private readonly old: CacheContent<T>;
  private readonly next: CacheContent<T>;
  private changed = false;
  /** Why the file at the path could not be used, when there was one (`leaveAlone`: and why it is not replaced). */
  readonly unusable?: string;
  /** Something other than a Gantry check cache is at the path: it is not replaced. */
  private readonly leaveAlone: boolean = false;
  /** Files whose stored outcome was used. */
  hits = 0;

  /** `isOutcome`: whether a stored value is an outcome (a cache file is data from outside this run). */
  constructor(
    readonly file: string,
    readonly key: string,
    private readonly isOutcome: (x: unknown) => x is T,
  ) {
    const empty = (): CacheContent<T> => ({ format: FORMAT, key, files: new Map(), clusters: new Map() });
    this.next = empty();
    this.old = empty();
    this.changed = true;
    const loaded = readCacheFile(file);
    if (loaded && 'why' in loaded) {
      this.unusable = loaded.why;
      this.leaveAlone = loaded.leave;
    } else if (loaded && loaded.content.key === key) {
      this.old = loaded.content as CacheContent<T>;
      this.changed = false;
    }
    // Else none yet, another layout, or another build, folder or setting: started afresh.
  }

  /** The stored outcome of `file` with this text, when its digest and deps (`valid`) still hold. */
  outcome(file: string, textDigest: string, valid: (deps: CheckDeps) => boolean): T | undefined {
    const e = this.old.files.get(file);
    if (!e || e.textDigest !== textDigest || !isDeps(e.deps) || !this.isOutcome(e.outcome)) return undefined;
    try {
      if (!valid(e.deps)) return undefined;
    } catch {
      return undefined;
    }
    this.hits++;
    this.next.files.set(file, e);
    return e.outcome;
  }

  /** Stores a fresh outcome. */
  store(file: string, textDigest: string, outcome: T, deps: CheckDeps): void {
    this.next.files.set(file, { textDigest, outcome, deps });
    this.changed = true;
  }

  /** The Clusters a file defines, as stored for this text; undefined when unknown. */
  clusters(file: string, textDigest: string): ClusterEntry[] | undefined {
    const e = this.old.clusters.get(file);
    if (!e || e.textDigest !== textDigest || !isEntries(e.entries)) return undefined;
    this.next.clusters.set(file, e);
    return e.entries;
  }

  storeClusters(file: string, textDigest: string, entries: ClusterEntry[]): void {
    if (this.old.clusters.get(file)?.textDigest !== textDigest) this.changed = true;
    this.next.clusters.set(file, { textDigest, entries });
  }

  /**
   * Writes the cache when anything changed (a file checked afresh, one gone, another build); stored
   * outcomes of files outside this run's paths (`covered`) are kept. Returns why it was not written,
   * if it was not.
   */
  save(covered: (file: string) => boolean): string | undefined {
    if (this.leaveAlone) return `${this.unusable}: left as it is`;
    for (const [file, e] of this.old.files) if (this.next.files.size < MAX_ENTRIES && !this.next.files.has(file) && !covered(file)) this.next.files.set(file, e);
    if (!this.changed && this.next.files.size === this.old.files.size && this.next.clusters.size === this.old.clusters.size) return undefined;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileAtomic(this.file, serialize(this.next));
      return undefined;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    }
  }
}

const isStrings = (x: unknown, n: number): boolean => Array.isArray(x) && x.length === n && x.every((s) => typeof s === 'string');

function isDeps(d: unknown): d is CheckDeps {
  const x = d as CheckDeps | undefined;
  return !!x && Array.isArray(x.reads) && x.reads.every((r) => isStrings(r, 2)) && Array.isArray(x.lookups) && x.lookups.every((l) => isStrings(l, 3)) && (x.folder === undefined || typeof x.folder === 'string');
}

function isEntries(x: unknown): x is ClusterEntry[] {
  return Array.isArray(x) && x.every((e) => !!e && typeof e === 'object' && typeof e.name === 'string' && typeof e.file === 'string' && Number.isInteger(e.docIndex) && Number.isInteger(e.nameOffset) && Number.isInteger(e.nameLength) && !!e.doc && typeof e.doc === 'object');
}

/**
 * The stored cache; undefined when there is none to use but the path may be written (absent, empty, a
 * Gantry cache of another layout); else why not, and whether the file must be left as it is.
 */
function readCacheFile(file: string): { content: CacheContent<unknown> } | { why: string; leave: boolean } | undefined {
  // Non-blocking and stat first, as every file a user names (a FIFO is never read).
  const data = readRegularBytesSync(file, MAX_CACHE_BYTES);
  if (!Buffer.isBuffer(data)) return data.why === 'no such file' ? undefined : { why: data.why, leave: true };
  if (!data.length) return undefined;
  let v: unknown;
  try {
    v = deserialize(data);
  } catch {
    return { why: 'not a Gantry check cache', leave: true };
  }
  const c = v as CacheContent<unknown> | undefined;
  // Gantry's own, of any layout: its format number and run key.
  if (!c || typeof c !== 'object' || typeof c.format !== 'number' || typeof c.key !== 'string') return { why: 'not a Gantry check cache', leave: true };
  if (c.format !== FORMAT) return undefined;
  if (!(c.files instanceof Map) || !(c.clusters instanceof Map)) return { why: 'a damaged Gantry check cache', leave: false };
  return { content: c };
}
