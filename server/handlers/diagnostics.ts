// The one place that turns core problems (offsets) into LSP diagnostics (ranges), per YAML document.
//
// An edit inside one document of a 200-document file must not cost work per document: the core
// caches each document's problems and estimate per document text, in the offsets of the text they
// were computed on, and this module keeps the converted diagnostics per cached core result. A
// document that did not change is reused as it is when its first line did not move (documents
// before the edit) and re-based by a line delta when it did (documents after an edit that added or
// removed lines); only the edited document is converted anew.
//
// Diagnostics carry no `data`: quick fixes are looked up here, on `textDocument/codeAction`, from
// the same cached results (matched by code and range), so a publish holds only what is shown.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedDoc } from '../../core/spec/parse';
import { docsUrl, type Problem, type Severity } from '../../core/validate/problem';
import { fileProblem, limitProblem, type DocProblems, type ValidateOptions } from '../../core/validate/validate';
import type { CachedEstimate } from '../../core/validate/estimates';
import { checkDocCached } from '../../core/check/checkFile';
import type { FileState } from '../documents';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function rangeOf(doc: TextDocument, offset: number, length: number): Range {
  return { start: doc.positionAt(offset), end: doc.positionAt(offset + length) };
}

/** docs/diagnostics.md beside the bundle (dist/../docs), which the VSIX ships; GANTRY_DOCS_URL overrides. */
const DIAGNOSTICS_DOC = process.env.GANTRY_DOCS_URL ?? pathToFileURL(path.resolve(__dirname, '..', 'docs', 'diagnostics.md')).href;

/** One link object per code, shared by every diagnostic with that code. */
const descriptions = new Map<string, { href: string }>();
function codeDescription(code: string): { href: string } {
  let d = descriptions.get(code);
  if (!d) descriptions.set(code, (d = { href: docsUrl(DIAGNOSTICS_DOC, code) }));
  return d;
}

/** A problem as an LSP diagnostic, `delta` characters further on than its offsets say. */
export function toDiagnostic(doc: TextDocument, p: Problem, delta = 0): Diagnostic {
  return {
    range: rangeOf(doc, p.offset + delta, p.length),
    severity: SEVERITY[p.severity],
    code: p.code,
    codeDescription: codeDescription(p.code),
    source: 'gantry',
    message: p.message,
  };
}

/** What the checks of a file read besides its text (the core's options, all given). */
export type CheckContext = Required<Pick<ValidateOptions, 'fileName' | 'clusters' | 'generation' | 'readFile'>> & Pick<ValidateOptions, 'yamlOnly'>;

/** One cached core result (a document's problems, or its estimate's findings) as diagnostics. */
interface Converted {
  /** The core result's problems, in its offsets (the document then started at `start`). */
  problems: readonly Problem[];
  start: number;
  /** Where the document started when `diagnostics` were made; they hold for a document starting there. */
  line: number;
  character: number;
  diagnostics: Diagnostic[];
}

/** A quick fix for one published diagnostic, its edits as ranges in the current text. */
export interface QuickFix {
  title: string;
  preferred?: boolean;
  edits: TextEdit[];
}

export class FileDiagnostics {
  private converted = new WeakMap<DocProblems | CachedEstimate, Converted>();
  private stopped = new WeakMap<FileState, Problem | undefined>();

  /** Every diagnostic of the file, in the order the checks report them: validation, then estimates. */
  diagnostics(doc: TextDocument, file: FileState, ctx: CheckContext): Diagnostic[] {
    const steps = this.diagnosticSteps(doc, file, ctx);
    for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
  }

  /**
   * `diagnostics`, yielding after each document, so a huge file can be spread over several turns.
   * For a first publish of only the first documents of a file (`file.docs`; publish.ts), `head` gives
   * the number of documents in the whole file and says, after each document's check, whether to
   * leave that document out (what it read may change once the rest of the file is read).
   */
  *diagnosticSteps(doc: TextDocument, file: FileState, ctx: CheckContext, head?: { documents: number; leaveOut(): boolean }): Generator<void, Diagnostic[]> {
    const out: Diagnostic[] = [];
    const estimates: Diagnostic[] = [];
    const stop = this.fileProblem(file);
    if (stop) out.push(toDiagnostic(doc, stop));
    // Past the full-check limits: YAML-level problems only, and no estimates.
    const limited = stop ? undefined : limitProblem(file.text, head?.documents ?? file.docs.length);
    if (limited) out.push(toDiagnostic(doc, limited));
    const c = limited ? { ...ctx, yamlOnly: true } : ctx;
    for (const d of file.docs) {
      const parts = this.parts(doc, file, d, c, !!stop);
      if (head?.leaveOut()) {
        yield;
        continue;
      }
      if (parts.validation) for (const x of parts.validation.diagnostics) out.push(x);
      if (parts.estimate) for (const x of parts.estimate.diagnostics) estimates.push(x);
      yield;
    }
    for (const x of estimates) out.push(x);
    return capped(out);
  }

  /**
   * The quick fixes of a diagnostic this module published for the current text: the document that
   * holds its range is checked (cached) and the problem with the same code and range gives its
   * fixes. A diagnostic of an older text that no longer matches gets none.
   */
  fixes(doc: TextDocument, file: FileState, ctx: CheckContext, diagnostic: Pick<Diagnostic, 'code' | 'range' | 'message'>): QuickFix[] {
    if (!file.docs.length) return [];
    const stopped = !!this.fileProblem(file);
    if (!stopped && limitProblem(file.text, file.docs.length)) ctx = { ...ctx, yamlOnly: true };
    // The document that holds the range reported it; the others are looked at only when it did not
    // (a diagnostic at the very end of its document, or of an older text).
    const first = docAt(file.docs, doc.offsetAt(diagnostic.range.start));
    for (let n = -1; n < file.docs.length; n++) {
      if (n === first) continue;
      const d = file.docs[n < 0 ? first : n];
      const parts = this.parts(doc, file, d, ctx, stopped);
      for (const part of [parts.validation, parts.estimate]) {
        const hit = part ? match(part, diagnostic) : -1;
        if (!part || hit < 0) continue;
        const delta = d.start - part.start;
        return (part.problems[hit].fixes ?? []).map((f) => ({
          title: f.title,
          preferred: f.preferred,
          edits: f.edits.map((e) => ({ range: rangeOf(doc, e.offset + delta, e.length), newText: e.newText })),
        }));
      }
    }
    return [];
  }

  /** The problem that stops per-document checks of this text (too large, binary), if any. */
  private fileProblem(file: FileState): Problem | undefined {
    if (this.stopped.has(file)) return this.stopped.get(file);
    const problem = fileProblem(file.text);
    this.stopped.set(file, problem);
    return problem;
  }

  /**
   * A document's two parts as diagnostics for where it starts now. Which parts there are (no
   * estimate for a document with errors) is core's rule: checkDocCached (core/check/checkFile.ts).
   */
  private parts(doc: TextDocument, file: FileState, d: ParsedDoc, ctx: CheckContext, stopped: boolean): { validation?: Converted; estimate?: Converted } {
    const c = checkDocCached(file.text, d, ctx, stopped);
    return {
      validation: c.validation && this.convert(doc, d, c.validation),
      estimate: c.estimate?.result ? this.convert(doc, d, c.estimate, c.estimate.result.problems) : undefined,
    };
  }

  private convert(doc: TextDocument, d: ParsedDoc, result: DocProblems | CachedEstimate, problems: readonly Problem[] = (result as DocProblems).problems): Converted {
    let c = this.converted.get(result);
    if (!c) {
      const delta = d.start - result.start;
      const pos = problems.length ? doc.positionAt(d.start) : { line: 0, character: 0 };
      c = {
        problems,
        start: result.start,
        line: pos.line,
        character: pos.character,
        diagnostics: problems.map((p) => toDiagnostic(doc, p, delta)),
      };
      this.converted.set(result, c);
      return c;
    }
    if (!c.diagnostics.length) return c;
    const pos = doc.positionAt(d.start);
    if (pos.line === c.line && pos.character === c.character) return c;
    // The document moved. Its text is the same, so when it still starts at the same column every
    // position moves by whole lines; otherwise convert its offsets again.
    const lines = pos.line - c.line;
    c.diagnostics =
      pos.character === c.character ? c.diagnostics.map((x) => ({ ...x, range: { start: { line: x.range.start.line + lines, character: x.range.start.character }, end: { line: x.range.end.line + lines, character: x.range.end.character } } })) : c.problems.map((p) => toDiagnostic(doc, p, d.start - c!.start));
    c.line = pos.line;
    c.character = pos.character;
    return c;
  }
}

/** The most diagnostics one file publishes: 5,000 duplicate Clusters once made a 1.7 MB notification. */
export const MAX_DIAGNOSTICS_PER_FILE = 500;

/** The first MAX_DIAGNOSTICS_PER_FILE diagnostics, then one (on the first one left out) that says how many more there are. */
function capped(all: Diagnostic[]): Diagnostic[] {
  if (all.length <= MAX_DIAGNOSTICS_PER_FILE) return all;
  const more = all.length - MAX_DIAGNOSTICS_PER_FILE;
  const first = all[MAX_DIAGNOSTICS_PER_FILE];
  return [
    ...all.slice(0, MAX_DIAGNOSTICS_PER_FILE),
    {
      range: first.range,
      severity: DiagnosticSeverity.Information,
      code: 'too-many-problems',
      codeDescription: codeDescription('too-many-problems'),
      source: 'gantry',
      message: `${more} more problem${more === 1 ? '' : 's'} in this file not shown (Gantry shows the first ${MAX_DIAGNOSTICS_PER_FILE}); fix these to see the rest.`,
    },
  ];
}

/** The index of the document whose text holds `offset` (the last one starting at or before it). */
function docAt(docs: readonly ParsedDoc[], offset: number): number {
  let lo = 0;
  let hi = docs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (docs[mid].start <= offset) (found = mid), (lo = mid + 1);
    else hi = mid - 1;
  }
  return found;
}

/** The index of the diagnostic with this code and range (and message, when several have both). */
function match(part: Converted, want: Pick<Diagnostic, 'code' | 'range' | 'message'>): number {
  let first = -1;
  for (let i = 0; i < part.diagnostics.length; i++) {
    const x = part.diagnostics[i];
    if (x.code !== want.code || !sameRange(x.range, want.range)) continue;
    if (x.message === want.message) return i;
    if (first < 0) first = i;
  }
  return first;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
