// Quick fixes re-run the estimate on a modified spec: the document with `edits` applied, copying
// only the objects along each edited path (the original is left untouched).
export function withEdits<T>(doc: T, edits: { path: string[]; value: unknown }[]): T {
  const root = { ...(doc as Record<string, unknown>) };
  for (const { path, value } of edits) {
    let o: Record<string, unknown> = root;
    for (const k of path.slice(0, -1)) {
      const next = o[k];
      o[k] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
      o = o[k] as Record<string, unknown>;
    }
    o[path[path.length - 1]] = value;
  }
  return root as T;
}
