import type { SpecPath } from './parse';

/** The value at `path` inside a parsed spec value, or undefined where the path leaves the tree. */
export function valueAt(value: unknown, path: SpecPath): unknown {
  let v = value;
  for (const s of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(s)];
  }
  return v;
}
