// The one cluster resolver's file side: finds the Cluster documents of a workspace on disk (files
// need not be open) and keeps the index current from open documents and file-watcher events. The
// server, `gantry check|estimate|run|script`, the ▶ Run flow and the Slurm backend all resolve a
// job's cluster through a ClusterIndex filled here and `ClusterIndex.scopedTo(file)`.
import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ClusterIndex, extractClusters, mayHoldCluster } from '../spec/clusters';
import { parseSpecFile, type ParsedDoc } from '../spec/parse';
import { clusterFor } from '../validate/estimates';
import { readRegularFile, readRegularFileSync } from './readBeside';
import type { ClusterDoc } from '../spec/types';
import type { ClusterEntry } from '../validate/rules';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.venv', 'venv', '__pycache__', '.gantry']);
const MAX_FILES = 20000;
/** How many files the async scan reads at once (the libuv pool has 4 threads; more only queues). */
const SCAN_CONCURRENCY = 8;
/** The project file at a workspace root, and the most of it that is read. */
export const PROJECT_FILE = 'gantry.yaml';
const MAX_PROJECT_BYTES = 64 * 1024;

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export const pathToUri = (p: string): string => pathToFileURL(p).href;

const isSpecName = (name: string): boolean => /\.ya?ml$/i.test(name);
const skipDir = (name: string): boolean => SKIP_DIRS.has(name) || name.startsWith('.');

/** The Clusters of files as a previous scan found them, keyed by path and text (`Workspace.scanSync`). */
export interface StoredClusters {
  /** The Clusters `text` at `p` was found to define, or undefined when not known. */
  get(p: string, text: string): ClusterEntry[] | undefined;
  /** Told the Clusters a parsed text defines. */
  set(p: string, text: string, entries: ClusterEntry[]): void;
}

export class Workspace {
  readonly clusters = new ClusterIndex();
  private openUris = new Set<string>();
  /** The files (uris) the last scans read, so a caller that reads them again can skip them. */
  readonly scanned = new Set<string>();

  /**
   * Walks the folders for YAML files that hold a Cluster, a few files at a time (awaiting each
   * read in turn costs a round trip to the thread pool per file). With `onlyNew`, reads only the
   * files no scan has read (the server's catch-up walk). Returns the number of YAML files seen.
   */
  async scan(folders: string[], signal?: { cancelled: boolean }, onlyNew = false): Promise<number> {
    let seen = 0;
    const stack = folders.map((f) => uriToPath(f)).filter((p): p is string => !!p);
    // Up to SCAN_CONCURRENCY reads in flight; the walk goes on as each one ends.
    const inFlight = new Set<Promise<void>>();
    const read = async (uri: string) => {
      const done = this.readFromDisk(uri).then(() => void this.scanned.add(uri));
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
      if (inFlight.size >= SCAN_CONCURRENCY) await Promise.race(inFlight);
    };
    while (stack.length && seen < MAX_FILES && !signal?.cancelled) {
      const dir = stack.pop()!;
      let entries: fsSync.Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!skipDir(e.name)) stack.push(p);
        } else if (e.isFile() && isSpecName(e.name) && seen < MAX_FILES) {
          seen++;
          const uri = pathToUri(p);
          if (!onlyNew || !this.scanned.has(uri)) await read(uri);
          if (signal?.cancelled) return seen;
        }
      }
    }
    await Promise.all(inFlight);
    return seen;
  }

  /**
   * `scan`, read synchronously, for a batch command (`gantry check`) that has nothing else to do
   * meanwhile: far cheaper per file than the thread pool's round trips. Each YAML file's text goes
   * to `onText` too, so the caller need not read it again, with its documents when the walk parsed
   * them for the index. `onFolderDone` is called once every YAML file of a folder has been indexed
   * (not for a folder the MAX_FILES limit cut short). `stored` (gantry check --cache) gives the
   * Clusters a file's text was found to define before, so that text is not parsed again, and is told
   * those of each text it parses. Returns the number of YAML files seen.
   */
  scanSync(folders: string[], onText?: (p: string, text: string, docs?: ParsedDoc[]) => void, onFolderDone?: () => void, stored?: StoredClusters): number {
    let seen = 0;
    for (const root of folders.map((f) => uriToPath(f)).filter((p): p is string => !!p)) {
      const visit = (p: string) => {
        const text = readSpecSync(p);
        const uri = pathToUri(p);
        if (text === undefined) return void this.clusters.delete(uri);
        this.scanned.add(uri);
        if (this.openUris.has(uri) || !mayHoldCluster(text)) {
          onText?.(p, text);
          if (!this.openUris.has(uri)) this.clusters.delete(uri);
          return;
        }
        const known = stored?.get(p, text);
        if (known) {
          this.clusters.set(uri, known);
          onText?.(p, text);
          return;
        }
        const docs = parseSpecFile(text);
        const entries = extractClusters(uri, docs);
        this.clusters.set(uri, entries);
        stored?.set(p, text, entries);
        onText?.(p, text, docs);
      };
      seen += walkSpecsSync(root, MAX_FILES - seen, visit, onFolderDone);
    }
    return seen;
  }

  /** `configure`, read synchronously (the CLI). */
  configureSync(roots: string[], settingFolders: readonly string[] = []): boolean {
    const paths = roots.map((r) => uriToPath(r)).filter((p): p is string => !!p);
    const shared = paths.flatMap((root) => [...settingFolders, ...readProjectConfigSync(root).clusterFolders].map((rel) => pathToUri(path.resolve(root, rel))));
    return this.clusters.configure({ roots: paths.map(pathToUri), shared: [...new Set(shared)] });
  }

  /**
   * Sets the workspace roots and the shared cluster folders: `settingFolders` (the editor's
   * `gantry.clusterFolders`) and each root's gantry.yaml `clusterFolders`, relative to that root.
   * Returns true when the scope changed (open files' checks must be redone).
   */
  async configure(roots: string[], settingFolders: readonly string[] = []): Promise<boolean> {
    const paths = roots.map((r) => uriToPath(r)).filter((p): p is string => !!p);
    const shared: string[] = [];
    for (const root of paths) {
      const fromFile = (await readProjectConfig(root)).clusterFolders;
      for (const rel of [...settingFolders, ...fromFile]) shared.push(pathToUri(path.resolve(root, rel)));
    }
    return this.clusters.configure({ roots: paths.map(pathToUri), shared: [...new Set(shared)] });
  }

  /** Re-reads a file that is not open (watcher event). Returns true when clusters changed. */
  async readFromDisk(uri: string): Promise<boolean> {
    if (this.openUris.has(uri)) return false;
    const p = uriToPath(uri);
    if (!p) return false;
    // A regular file of at most 1 MB, opened non-blocking: the rule readSpecSync reads by too.
    const text = await readRegularFile(p);
    if (typeof text !== 'string' || !mayHoldCluster(text)) return this.clusters.delete(uri);
    try {
      return this.clusters.set(uri, extractClusters(uri, parseSpecFile(text)));
    } catch {
      return this.clusters.delete(uri);
    }
  }

  deleted(uri: string): boolean {
    return this.clusters.delete(uri);
  }

  /** An open document's text wins over the disk. */
  updateOpen(uri: string, docs: ParsedDoc[]): boolean {
    this.openUris.add(uri);
    return this.clusters.set(uri, extractClusters(uri, docs));
  }

  async closed(uri: string): Promise<boolean> {
    this.openUris.delete(uri);
    return this.readFromDisk(uri);
  }
}

/**
 * The workspace root of a spec file when no editor names one: the current folder when the file is
 * inside it, else the file's own folder.
 */
export function workspaceRootOf(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? cwd : path.dirname(file);
}

export interface ClusterScanOptions {
  /** The workspace root; default workspaceRootOf(file). */
  root?: string;
  /** An editor's unsaved text for a path, which wins over the disk. */
  openText?: (p: string) => string | undefined;
  /** Shared cluster folders from the editor's `gantry.clusterFolders`, relative to the root (the root's gantry.yaml adds its own). */
  clusterFolders?: readonly string[];
}

/**
 * The clusters of the workspace around `file`, read synchronously (for the run path, which plans
 * in one step): every *.yaml / *.yml under the root (regular files up to 1 MB, stat first), keyed
 * by absolute path. `file` itself is always included (with its open text when given).
 */
export function scanClustersSync(file: string, opts: ClusterScanOptions = {}): ClusterIndex {
  const index = new ClusterIndex();
  const own = path.resolve(file);
  const add = (p: string, text: string): void => {
    if (mayHoldCluster(text)) index.set(p, extractClusters(p, parseSpecFile(text)));
  };
  const root = path.resolve(opts.root ?? workspaceRootOf(own));
  const shared = [...(opts.clusterFolders ?? []), ...readProjectConfigSync(root).clusterFolders].map((rel) => path.resolve(root, rel));
  index.configure({ roots: [root], shared: [...new Set(shared)] });
  walkSpecsSync(root, MAX_FILES, (p) => {
    if (p === own) return;
    const text = opts.openText?.(p) ?? readSpecSync(p);
    if (text !== undefined) add(p, text);
  });
  const text = opts.openText?.(own) ?? readSpecSync(own);
  if (text !== undefined) add(own, text);
  return index;
}

/** A spec file's text, read only when it is a regular file of at most 1 MB (opened non-blocking: readRegularFileSync); undefined when unreadable. */
export function readSpecSync(file: string): string | undefined {
  const text = readRegularFileSync(file);
  return typeof text === 'string' ? text : undefined;
}

/** The Cluster a job in `file` runs on, by the one scoping rule (`spec` is the job's spec). */
export function resolveCluster(index: ClusterIndex, file: string, spec: unknown): ClusterDoc | undefined {
  return clusterFor(spec, index.scopedTo(file));
}

/** Where that Cluster is written (file, document, name offset). */
export function resolveClusterEntry(index: ClusterIndex, file: string, spec: unknown): ClusterEntry | undefined {
  const doc = resolveCluster(index, file, spec);
  const lookup = index.scopedTo(file);
  return doc ? lookup.all(doc.metadata.name).find((e) => e.doc === doc) : undefined;
}

/** What a workspace root's gantry.yaml says (only `clusterFolders` so far); empty when there is none. */
export interface ProjectConfig {
  /** Shared cluster folders, relative to the root. */
  clusterFolders: string[];
}

/** Reads `<root>/gantry.yaml` (a regular file of at most 64 KB, stat first). */
export async function readProjectConfig(root: string): Promise<ProjectConfig> {
  const file = path.join(root, PROJECT_FILE);
  try {
    const st = await fs.stat(file);
    return st.isFile() && st.size <= MAX_PROJECT_BYTES ? projectConfigOf(await fs.readFile(file, 'utf8')) : { clusterFolders: [] };
  } catch {
    return { clusterFolders: [] };
  }
}

export function readProjectConfigSync(root: string): ProjectConfig {
  const file = path.join(root, PROJECT_FILE);
  try {
    const st = fsSync.statSync(file);
    return st.isFile() && st.size <= MAX_PROJECT_BYTES ? projectConfigOf(fsSync.readFileSync(file, 'utf8')) : { clusterFolders: [] };
  } catch {
    return { clusterFolders: [] };
  }
}

/** The settings of a gantry.yaml's text; anything unreadable or of the wrong type is left out. */
export function projectConfigOf(text: string): ProjectConfig {
  let v: unknown;
  try {
    // uniqueKeys off: the parser's own test compares every pair of keys (quadratic in a 64 KB file).
    v = parseYaml(text, { maxAliasCount: 10, uniqueKeys: false });
  } catch {
    return { clusterFolders: [] };
  }
  const folders = v && typeof v === 'object' ? (v as { clusterFolders?: unknown }).clusterFolders : undefined;
  return { clusterFolders: Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string' && f.length > 0) : [] };
}

/**
 * Calls `visit` with each *.yaml / *.yml file under `root` (a regular directory entry; dot folders,
 * node_modules, build output skipped), at most `max` of them, and `folderDone` after each folder whose
 * files were all visited (folders are visited parents first). Returns how many files it visited.
 */
function walkSpecsSync(root: string, max: number, visit: (p: string) => void, folderDone?: () => void): number {
  const stack = [root];
  let seen = 0;
  while (stack.length && seen < max) {
    const dir = stack.pop()!;
    let entries: fsSync.Dirent[];
    try {
      entries = fsSync.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!skipDir(e.name)) stack.push(p);
      } else if (e.isFile() && isSpecName(e.name)) {
        if (seen >= max) return seen;
        seen++;
        visit(p);
      }
    }
    folderDone?.();
  }
  return seen;
}
