// The estimator must never hand NaN, Infinity or a negative byte count to an editor. Every result
// passes through `sanitizeNumbers`; any number it had to repair is reported, so a test can assert
// that none ever needs repairing.

export function sanitizeNumbers<T>(value: T, repaired: string[] = [], path = ''): T {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      repaired.push(`${path || '(root)'} = ${value}`);
      return 0 as unknown as T;
    }
    return value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = sanitizeNumbers(value[i], repaired, `${path}[${i}]`);
    return value;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      // Fix edits carry spec values (the user's own numbers); leave them alone.
      if (k === 'edits') continue;
      o[k] = sanitizeNumbers(o[k], repaired, path ? `${path}.${k}` : k);
    }
  }
  return value;
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
