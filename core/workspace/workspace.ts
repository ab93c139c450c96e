// The one cluster resolver's file side: finds the Cluster documents of a workspace on disk (files
// need not be open) and keeps the index current from open documents and file-watcher events. The
// server, `gantry check|estimate|run|script`, the ▶ Run flow and the Slurm backend all resolve a
// job's cluster through a ClusterIndex filled here and `ClusterIndex.scopedTo(file)`.
import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ClusterIndex, extractClusters, mayHoldCluster } from '../spec/clusters';
import { parseSpecFile, type ParsedDoc } from '../spec/parse';
import { clusterFor } from '../validate/estimates';
import type { ClusterDoc } from '../spec/types';
import type { ClusterEntry } from '../validate/rules';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.venv', 'venv', '__pycache__', '.gantry']);
const MAX_FILES = 20000;
const MAX_BYTES = 1024 * 1024;

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

export class Workspace {
  readonly clusters = new ClusterIndex();
  private openUris = new Set<string>();

  /** Walks the folders for YAML files that hold a Cluster. Returns the number of YAML files seen. */
  async scan(folders: string[], signal?: { cancelled: boolean }): Promise<number> {
    let seen = 0;
    const stack = folders.map((f) => uriToPath(f)).filter((p): p is string => !!p);
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
        } else if (e.isFile() && isSpecName(e.name)) {
          seen++;
          await this.readFromDisk(pathToUri(p));
        }
      }
    }
    return seen;
  }

  /** Re-reads a file that is not open (watcher event). Returns true when clusters changed. */
  async readFromDisk(uri: string): Promise<boolean> {
    if (this.openUris.has(uri)) return false;
    const p = uriToPath(uri);
    if (!p) return false;
    try {
      const st = await fs.stat(p);
      if (!st.isFile() || st.size > MAX_BYTES) return this.clusters.delete(uri);
      const text = await fs.readFile(p, 'utf8');
      if (!mayHoldCluster(text)) return this.clusters.delete(uri);
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
  const stack = [root];
  let seen = 0;
  while (stack.length && seen < MAX_FILES) {
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
      } else if (e.isFile() && isSpecName(e.name) && p !== own) {
        seen++;
        const text = opts.openText?.(p) ?? readSpecSync(p);
        if (text !== undefined) add(p, text);
      }
    }
  }
  const text = opts.openText?.(own) ?? readSpecSync(own);
  if (text !== undefined) add(own, text);
  return index;
}

/** A spec file's text, read only when it is a regular file of at most 1 MB; undefined when unreadable. */
export function readSpecSync(file: string): string | undefined {
  try {
    const st = fsSync.statSync(file);
    return st.isFile() && st.size <= MAX_BYTES ? fsSync.readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
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
