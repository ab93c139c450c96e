// Two configurations key by key: the pure part of comparing runs (core/runs/compare.ts keeps and
// reads the documents). No Node imports: the panel's protocol takes its row type from here.
import { quote } from '../validate/problem';

export type DiffChange = 'same' | 'changed' | 'added' | 'removed';

/** One leaf of either document: its dotted path, its value in each (as written, bounded), and what changed. */
export interface ConfigDiffRow {
  path: string;
  a?: string;
  b?: string;
  change: DiffChange;
}

/** The paths of a document's leaves, `spec.resources.gpusPerNode`, `spec.command[2]`; an empty map or list is a leaf. */
export function flattenDoc(doc: unknown, prefix = '', out = new Map<string, unknown>(), depth = 0): Map<string, unknown> {
  if (depth > 32) {
    out.set(prefix, '…');
    return out;
  }
  if (Array.isArray(doc)) {
    if (!doc.length) out.set(prefix, []);
    doc.forEach((v, i) => flattenDoc(v, `${prefix}[${i}]`, out, depth + 1));
  } else if (doc !== null && typeof doc === 'object') {
    const keys = Object.keys(doc);
    if (!keys.length) out.set(prefix, {});
    for (const k of keys) flattenDoc((doc as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out, depth + 1);
  } else out.set(prefix, doc);
  return out;
}

const show = (v: unknown): string => (typeof v === 'string' ? quote(v) : v === undefined ? '' : quote(JSON.stringify(v)).slice(1, -1));

/**
 * The two documents key by key, in the order of `a`'s keys then the keys only `b` has. Changed,
 * added and removed rows first when `changedFirst`; values bounded (problem.ts quote()).
 */
export function diffConfig(a: unknown, b: unknown, opts: { changedFirst?: boolean } = {}): ConfigDiffRow[] {
  const fa = flattenDoc(a);
  const fb = flattenDoc(b);
  const rows: ConfigDiffRow[] = [];
  for (const [p, va] of fa) {
    if (!fb.has(p)) rows.push({ path: p, a: show(va), change: 'removed' });
    else {
      const vb = fb.get(p);
      rows.push({ path: p, a: show(va), b: show(vb), change: JSON.stringify(va) === JSON.stringify(vb) ? 'same' : 'changed' });
    }
  }
  for (const [p, vb] of fb) if (!fa.has(p)) rows.push({ path: p, b: show(vb), change: 'added' });
  if (!opts.changedFirst) return rows;
  return [...rows.filter((r) => r.change !== 'same'), ...rows.filter((r) => r.change === 'same')];
}
