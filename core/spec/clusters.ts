// The Cluster documents of a workspace, by name, so a job's `cluster:` can be checked, completed,
// hovered and followed to its definition. The server and `gantry check` fill it from files; a
// generation number tells validation caches when any cluster changed.
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
}

function fingerprint(entries: ClusterEntry[]): string {
  return JSON.stringify(entries.map((e) => [e.name, e.docIndex, e.doc.spec]));
}
