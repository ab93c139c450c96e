// A problem found in a spec, in file offsets. The language server and the CLI turn these into
// ranges and lines; nothing here knows about either.

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEditAt {
  offset: number;
  length: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEditAt[];
  /** The fix is certain: editors may mark it preferred (applied by "auto fix"). */
  preferred?: boolean;
  /**
   * What the fix means in spec terms: the values it sets. A foreign format (core/formats) writes
   * the same values in its own syntax; the edits above are for the Gantry YAML they were found in.
   */
  sets?: { path: readonly (string | number)[]; value: unknown }[];
}

export interface Problem {
  code: string;
  message: string;
  severity: Severity;
  offset: number;
  length: number;
  fixes?: Fix[];
  /** Index of the YAML document in its file. */
  docIndex?: number;
  /** A spec path the problem is about (for tests and tools). */
  path?: readonly (string | number)[];
  /**
   * An unknown key that is a near miss of a field (`commnd` for `command`): that field's path. Its
   * value is unknown until the key is fixed, so rules that read it wait; every other rule runs.
   */
  shadows?: readonly (string | number)[];
  /** An estimate finding's reason (Finding.reason), for an adapter that words the problem its own way (a foreign file's unknown model). */
  reason?: string;
}

/** How many characters of a user's value a message shows. */
export const QUOTE_CHARS = 40;

/**
 * A user's value as a message shows it: in single quotes, at most `max` characters (QUOTE_CHARS;
 * more for a path) then '…', line breaks escaped, other control and bidirectional-override characters shown as '?'. Every message that
 * echoes a value uses this, so a 1 MB value costs a short message.
 */
export function quote(value: unknown, max = QUOTE_CHARS): string {
  let s = typeof value === 'string' ? value : safeString(value);
  const long = s.length > max;
  if (long) s = s.slice(0, max);
  // C0 and C1 controls, the line and paragraph separators, and the bidirectional overrides and isolates, which
  // can make a message read other than it is (a value that reorders the text after it): each shown as '?'.
  s = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : '?'));
  return `'${s}${long ? '…' : ''}'`;
}

function safeString(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'string' && v.length > QUOTE_CHARS ? v.slice(0, QUOTE_CHARS + 1) : v)) ?? String(value);
  } catch {
    return Array.isArray(value) ? '[…]' : '{…}';
  }
}

/** The link for a code, given where docs/diagnostics.md is (a file: URI in the installed extension). */
export const docsUrl = (diagnosticsDoc: string, code: string): string => `${diagnosticsDoc}#${code}`;

/** The same problem in a document that moved by `delta` characters (its fixes move with it). */
export function shiftProblem(p: Problem, delta: number): Problem {
  if (!delta) return p;
  return {
    ...p,
    offset: p.offset + delta,
    fixes: p.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, offset: e.offset + delta })) })),
  };
}

/** The same problem in a document that moved by `delta` characters and is now document `docIndex` of its file. */
export function moveProblem(p: Problem, delta: number, docIndex: number): Problem {
  const q = shiftProblem(p, delta);
  if (q.docIndex === docIndex || q.docIndex === undefined) return q;
  return q === p ? { ...p, docIndex } : Object.assign(q, { docIndex });
}

/** The size of a text as a message gives it: '98 KB', or '1.2 MB' from 1 MB. */
export function sizeText(chars: number): string {
  return chars >= 1048576 ? `${(chars / 1048576).toFixed(1)} MB` : `${Math.round(chars / 1024)} KB`;
}
