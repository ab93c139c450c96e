// The estimator must never hand NaN, Infinity or a negative byte count to an editor. Every result
// passes through `sanitizeNumbers`; any number it had to repair is reported, so a test can assert
// that none ever needs repairing.

export function sanitizeNumbers<T>(value: T, repaired: string[] = []): T {
  const stack: (string | number)[] = [];
  const fix = (v: unknown): unknown => {
    if (typeof v === 'number') {
      if (v >= 0 && v !== Infinity) return v; // NaN fails the comparison
      repaired.push(`${stack.join('.') || '(root)'} = ${v}`);
      return 0;
    }
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        stack.push(i);
        v[i] = fix(v[i]);
        stack.pop();
      }
      return v;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) {
      // Fix edits carry spec values (the user's own numbers); leave them alone.
      if (k === 'edits') continue;
      const x = o[k];
      if (typeof x === 'number' ? x >= 0 && x !== Infinity : x === null || typeof x !== 'object') continue;
      stack.push(k);
      o[k] = fix(x);
      stack.pop();
    }
    return o;
  };
  return fix(value) as T;
}

/** Every numeric leaf of a result, with its path (for tests). */
export function numericLeaves(value: unknown, path = '', out: [string, number][] = []): [string, number][] {
  if (typeof value === 'number') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => numericLeaves(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== 'edits') numericLeaves(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

/**
 * Runs an estimate so that it can never throw or return a bad number: non-finite or negative numbers
 * are repaired (and said so in the assumptions), and an exception becomes a finding via `fail`.
 */
export function guarded<T extends { assumptions: string[] }>(estimate: () => T, fail: (message: string) => T): T {
  try {
    const repaired: string[] = [];
    const e = sanitizeNumbers(estimate(), repaired);
    // Never expected: say so rather than hide it (the fuzz test asserts this never appears).
    if (repaired.length) e.assumptions.push(`internal: ${repaired.length} non-finite or negative numbers were replaced by 0 (${repaired.slice(0, 3).join(', ')})`);
    return e;
  } catch (err) {
    // A bug must not take the editor down: report it as a finding.
    return fail(`internal estimator error: ${err instanceof Error ? err.message : String(err)}`);
  }
}
