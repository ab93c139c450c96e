// The Cluster documents of a workspace, by name, so a job's `cluster:` can be checked, completed,
// hovered and followed to its definition. The server, the CLI and the run path fill it from files
// (core/workspace/workspace.ts); a generation number tells validation caches when any cluster changed.
//
// Scoping (the one rule, used by every consumer through `scopedTo(file)`): a job's `cluster:`
// resolves to the nearest definition — its own file, its folder, then each parent folder's subtree
// up to the workspace root; past the root's own level, the shared cluster folders (`gantry.clusterFolders`,
// `gantry.yaml`'s `clusterFolders`) come before the rest of the workspace. Two Clusters of one name
// are a mistake only within one folder. Lookups are cached per (name, folder) and the name map is
// updated per file, so a workspace of thousands of files costs linear time to index and check.
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

/**
 * Whether a file's check needs no Cluster outside its own folder: every document is a Cluster or blank.
 * A Cluster's one lookup (`duplicate-cluster`) is of its own name, which resolves to its own folder
 * first; only jobs and services resolve names across folders. So `gantry check` can check such a file
 * as soon as its folder is indexed, on the documents the index was read from.
 */
export function onlyClusters(docs: readonly ParsedDoc[]): boolean {
  return docs.every((d) => d.empty || (!!d.value && typeof d.value === 'object' && (d.value as { kind?: unknown }).kind === 'Cluster'));
}

/** Quick test before parsing a file from disk: could it hold a Cluster at all? */
export const mayHoldCluster = (text: string): boolean => /^kind[ \t]*:[ \t]*["']?Cluster\b/m.test(text);

/** Where shared cluster folders rank: settings and `gantry.yaml` (core/workspace/workspace.ts) fill it. */
export interface ClusterScope {
  /** The workspace roots, named as the index names files (paths or URIs). */
  roots?: string[];
  /** Shared cluster folders (`gantry.clusterFolders`, `gantry.yaml` clusterFolders), named likewise, first listed first. */
  shared?: string[];
}

/** Own folder: above every other folder's rank (ranks are path depths, a few dozen at most). */
const OWN_FOLDER = 1e9;

export class ClusterIndex implements ClusterLookup {
  private byFile = new Map<string, ClusterEntry[]>();
  /** name → folder → the entries of that name written in that folder. Kept up to date by `set`, never rebuilt. */
  private byName = new Map<string, Map<string, ClusterEntry[]>>();
  /** The folder that a name resolves to from a folder, and a folder's scoped names; cleared when any name or folder changes. */
  private folderCache = new Map<string, string>();
  private namesCache = new Map<string, string[]>();
  private scope: { roots: string[]; shared: string[] } = { roots: [], shared: [] };
  generation = 0;

  /**
   * Sets the workspace roots and the shared cluster folders. Past the nearest scopes below the
   * workspace root (own file, own folder, parent folders' subtrees), a shared folder's Clusters
   * come before the rest of the workspace. Returns true (and bumps the generation) when it changed.
   */
  configure(scope: ClusterScope): boolean {
    const next = { roots: (scope.roots ?? []).map(trimSep), shared: (scope.shared ?? []).map(trimSep) };
    if (JSON.stringify(next) === JSON.stringify(this.scope)) return false;
    this.scope = next;
    this.changed();
    return true;
  }

  /** Replaces a file's clusters; returns true (and bumps the generation) when anything changed. */
  set(file: string, entries: ClusterEntry[]): boolean {
    const before = this.byFile.get(file);
    if (!before && !entries.length) return false;
    const same = !!before && fingerprint(before) === fingerprint(entries);
    if (before) this.remove(file, before);
    if (entries.length) {
      this.byFile.set(file, entries);
      const folder = folderOf(file);
      for (const e of entries) {
        let folders = this.byName.get(e.name);
        if (!folders) this.byName.set(e.name, (folders = new Map()));
        const list = folders.get(folder);
        if (list) list.push(e);
        else folders.set(folder, [e]);
      }
    }
    // Same clusters: the new entries keep offsets current for go-to-definition; nothing to re-check.
    if (same) return false;
    this.changed();
    return true;
  }

  delete(file: string): boolean {
    return this.set(file, []);
  }

  private remove(file: string, entries: ClusterEntry[]): void {
    this.byFile.delete(file);
    const folder = folderOf(file);
    for (const name of new Set(entries.map((e) => e.name))) {
      const folders = this.byName.get(name);
      const list = folders?.get(folder)?.filter((e) => e.file !== file);
      if (!folders || !list) continue;
      if (list.length) folders.set(folder, list);
      else if (folders.delete(folder) && !folders.size) this.byName.delete(name);
    }
  }

  private changed(): void {
    this.folderCache.clear();
    this.namesCache.clear();
    this.generation++;
  }

  get(name: string): ClusterEntry | undefined {
    return this.all(name)[0];
  }

  all(name: string): ClusterEntry[] {
    const folders = this.byName.get(name);
    return folders ? [...folders.values()].flat() : [];
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
      get: (name) => this.nearest(name, file)[0],
      all: (name) => this.nearest(name, file),
      names: () => this.scopedNames(file),
    };
  }

  /**
   * Of the entries of one name, those in the nearest scope from `file`: the ones in `file` itself
   * first, then the rest of its folder; else those of the best-ranked folder (`rank`).
   * Only entries of one folder are returned, so `length > 1` means a duplicate within that folder.
   */
  private nearest(name: string, file: string): ClusterEntry[] {
    const folders = this.byName.get(name);
    if (!folders) return [];
    const own = folderOf(file);
    let folder: string | undefined;
    if (folders.size === 1) folder = folders.keys().next().value;
    else if (folders.has(own)) folder = own;
    else {
      const key = `${name}\u0000${own}`;
      folder = this.folderCache.get(key);
      if (folder === undefined || !folders.has(folder)) {
        const from = this.from(own);
        let best = -Infinity;
        for (const f of folders.keys()) {
          const r = this.rank(f, from);
          if (r > best || (r === best && f < folder!)) (best = r), (folder = f);
        }
        this.folderCache.set(key, folder!);
      }
    }
    const out = folders.get(folder!) ?? [];
    if (out.length === 1) return out;
    return [...out].sort((a, b) => Number(b.file === file) - Number(a.file === file) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.docIndex - b.docIndex));
  }

  /** The names of the nearest scope that has any cluster (so "the only cluster" of a job that names none is local). */
  private scopedNames(file: string): string[] {
    const mine = this.byFile.get(file);
    if (mine) return [...new Set(mine.map((e) => e.name))].sort();
    const own = folderOf(file);
    let names = this.namesCache.get(own);
    if (!names) {
      const from = this.from(own);
      let best = -Infinity;
      names = [];
      for (const [name, folders] of this.byName) {
        for (const f of folders.keys()) {
          const r = this.rank(f, from);
          if (r > best) (best = r), (names = [name]);
          else if (r === best && !names.includes(name)) names.push(name);
        }
      }
      names.sort();
      this.namesCache.set(own, names);
    }
    return names;
  }

  /** The querying folder and the depth of its workspace root (-1: none known). */
  private from(own: string): { own: string; root: number; rootFolder?: string } {
    let rootFolder: string | undefined;
    for (const r of this.scope.roots) if (within(own, r) && (!rootFolder || r.length > rootFolder.length)) rootFolder = r;
    return { own, root: rootFolder === undefined ? -1 : depthOf(rootFolder), rootFolder };
  }

  /**
   * How near a folder's Clusters are to a file in `from.own` (higher is nearer): its own folder;
   * then by how many leading folder names they share (its subfolders, then each parent's subtree);
   * past the workspace root's level, the root folder itself, then the shared cluster folders in
   * the order listed, then the rest of the workspace.
   */
  private rank(folder: string, from: { own: string; root: number; rootFolder?: string }): number {
    if (folder === from.own) return OWN_FOLDER;
    const d = sharedDepth(folder, from.own);
    if (d > from.root || from.root < 0) return d;
    if (folder === from.rootFolder) return from.root + 0.75;
    const shared = this.scope.shared;
    for (let i = 0; i < shared.length; i++) if (within(folder, shared[i])) return from.root + 0.5 - (i + 1) / (shared.length + 1) / 4;
    return d;
  }
}

/** A file's folder, for paths and URIs with either separator. */
export function folderOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '' : file.slice(0, i);
}

const isSep = (c: number): boolean => c === 47 || c === 92;

/** How many leading folder names two folders share (split at either separator), without splitting. */
export function sharedDepth(a: string, b: string): number {
  const len = Math.min(a.length, b.length);
  let n = 0;
  let i = 0;
  for (; i < len; i++) {
    const c = a.charCodeAt(i);
    const d = b.charCodeAt(i);
    if (isSep(c) && isSep(d)) n++;
    else if (c !== d) return n;
  }
  const endA = i === a.length || isSep(a.charCodeAt(i));
  const endB = i === b.length || isSep(b.charCodeAt(i));
  return endA && endB ? n + 1 : n;
}

/** How many folder names a folder has. */
const depthOf = (folder: string): number => sharedDepth(folder, folder);

/** Whether `folder` is `dir` or inside it. */
function within(folder: string, dir: string): boolean {
  return folder === dir || (folder.startsWith(dir) && isSep(folder.charCodeAt(dir.length)));
}

const trimSep = (folder: string): string => (folder.length > 1 && isSep(folder.charCodeAt(folder.length - 1)) ? folder.slice(0, -1) : folder);

function fingerprint(entries: ClusterEntry[]): string {
  return JSON.stringify(entries.map((e) => [e.name, e.docIndex, e.doc.spec]));
}
