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
