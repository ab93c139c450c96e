// Finds the Cluster documents of the workspace on disk (files need not be open) and keeps the index
// current from open documents and file-watcher events.
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ClusterIndex, extractClusters, mayHoldCluster } from '../core/spec/clusters';
import { parseSpecFile, type ParsedDoc } from '../core/spec/parse';

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

/**
 * Reads the files a spec refers to (`model.config: ./config.json`), relative to the spec's folder;
 * undefined when there is no such file (or no spec path, for an untitled buffer). At most
 * `maxChars` characters of each.
 */
export function readerBeside(specFile: string | undefined, maxChars = Infinity): (rel: string) => string | undefined {
  return (rel) => {
    if (!specFile) return undefined;
    try {
      return readFileSync(path.resolve(path.dirname(specFile), rel), 'utf8').slice(0, maxChars);
    } catch {
      return undefined;
    }
  };
}

export class Workspace {
  readonly clusters = new ClusterIndex();
  private openUris = new Set<string>();

  /** Walks the folders for YAML files that hold a Cluster. Returns the number of YAML files seen. */
  async scan(folders: string[], signal?: { cancelled: boolean }): Promise<number> {
    let seen = 0;
    const stack = folders.map((f) => uriToPath(f)).filter((p): p is string => !!p);
    while (stack.length && seen < MAX_FILES && !signal?.cancelled) {
      const dir = stack.pop()!;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(p);
        } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) {
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
