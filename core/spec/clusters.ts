// The Cluster documents of a workspace, by name, so a job's `cluster:` can be checked, completed,
// hovered and followed to its definition. The server, the CLI and the run path fill it from files
// (core/workspace/workspace.ts); a generation number tells validation caches when any cluster changed.
//
// Scoping (the one rule, used by every consumer through `scopedTo(file)`): a job's `cluster:`
// resolves to the nearest definition — its own file, its folder, then each parent folder's subtree
// up to the workspace root. Two Clusters of one name are a mistake only within one folder.
import { locate, type ParsedDoc } from './parse';
import type { ClusterDoc } from './types';
import type { ClusterEntry, ClusterLookup } from '../validate/rules';

export function extractClusters(file: string, docs: ParsedDoc[]): ClusterEntry[] {
  const out: ClusterEntry[] = [];
  for (const d of docs) {
    const v = d.value as Partial<ClusterDoc> | undefined;
    if (!v || typeof v !== 'object' || v.kind !== 'Cluster') continue;
    if (typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('gantry/')) continue;
    const name = v.metadata?.name;
    if (typeof name !== 'string' || !name) continue;
    const at = locate(d, ['metadata', 'name']).value;
    out.push({ name, file, docIndex: d.index, nameOffset: at.offset, nameLength: at.length, doc: v as ClusterDoc });
  }
  return out;
}

/** Quick test before parsing a file from disk: could it hold a Cluster at all? */
export const mayHoldCluster = (text: string): boolean => /^kind[ \t]*:[ \t]*["']?Cluster\b/m.test(text);

export class ClusterIndex implements ClusterLookup {
  private byFile = new Map<string, ClusterEntry[]>();
  private byName = new Map<string, ClusterEntry[]>();
  generation = 0;

  /** Replaces a file's clusters; returns true (and bumps the generation) when anything changed. */
  set(file: string, entries: ClusterEntry[]): boolean {
    const before = this.byFile.get(file) ?? [];
    if (fingerprint(before) === fingerprint(entries)) {
      // Same clusters; keep offsets current for go-to-definition.
      if (entries.length) this.byFile.set(file, entries);
      this.rebuild();
      return false;
    }
    if (entries.length) this.byFile.set(file, entries);
    else this.byFile.delete(file);
    this.rebuild();
    this.generation++;
    return true;
  }

  delete(file: string): boolean {
    return this.set(file, []);
  }

  private rebuild(): void {
    this.byName.clear();
    for (const entries of this.byFile.values()) for (const e of entries) this.byName.set(e.name, [...(this.byName.get(e.name) ?? []), e]);
  }

  get(name: string): ClusterEntry | undefined {
    return this.byName.get(name)?.[0];
  }

  all(name: string): ClusterEntry[] {
    return this.byName.get(name) ?? [];
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }

  /** The lookup as seen from `file` (a path or URI, as the index names files): nearest definitions first. */
  scopedTo(file: string): ClusterLookup {
    return {
      get: (name) => nearest(this.all(name), file)[0],
      all: (name) => nearest(this.all(name), file),
      names: () => {
        // The names of the nearest scope that has any cluster (so "the only cluster" of a job that names none is local).
        let best = -1;
        let names: string[] = [];
        for (const [name, entries] of this.byName) {
          for (const e of entries) {
            const d = e.file === file ? Infinity : sharedDepth(folderOf(e.file), folderOf(file));
            if (d > best) (best = d), (names = [name]);
            else if (d === best && !names.includes(name)) names.push(name);
          }
        }
        return names.sort();
      },
    };
  }
}

/** A file's folder, for paths and URIs with either separator. */
export function folderOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '' : file.slice(0, i);
}

/** How many leading folder names two folders share. */
function sharedDepth(a: string, b: string): number {
  const x = a.split(/[\\/]/);
  const y = b.split(/[\\/]/);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/**
 * Of the entries of one name, those in the nearest scope from `file`: the ones in `file` itself
 * first, then the rest of its folder; else those of the nearest folder whose subtree holds one.
 * Only entries of one folder are returned, so `length > 1` means a duplicate within that folder.
 */
function nearest(entries: ClusterEntry[], file: string): ClusterEntry[] {
  if (entries.length <= 1) return entries;
  const own = folderOf(file);
  let best = -1;
  let folder = '';
  for (const e of entries) {
    const f = folderOf(e.file);
    const d = f === own ? Infinity : sharedDepth(f, own);
    if (d > best || (d === best && f < folder)) (best = d), (folder = f);
  }
  const out = entries.filter((e) => folderOf(e.file) === folder);
  return out.sort((a, b) => Number(b.file === file) - Number(a.file === file) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.docIndex - b.docIndex));
}

function fingerprint(entries: ClusterEntry[]): string {
  return JSON.stringify(entries.map((e) => [e.name, e.docIndex, e.doc.spec]));
}
