// The one place that turns core problems (offsets) into LSP diagnostics (ranges).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { docsUrl, type Problem, type Severity } from '../../core/validate/problem';
import type { DiagnosticData } from '../../protocol/lsp';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function rangeOf(doc: TextDocument, offset: number, length: number) {
  return { start: doc.positionAt(offset), end: doc.positionAt(offset + length) };
}

/** docs/diagnostics.md beside the bundle (dist/../docs), which the VSIX ships; GANTRY_DOCS_URL overrides. */
const DIAGNOSTICS_DOC = process.env.GANTRY_DOCS_URL ?? pathToFileURL(path.resolve(__dirname, '..', 'docs', 'diagnostics.md')).href;

export function toDiagnostic(doc: TextDocument, p: Problem): Diagnostic {
  const data: DiagnosticData | undefined = p.fixes?.length
    ? { fixes: p.fixes.map((f) => ({ title: f.title, preferred: f.preferred, edits: f.edits.map((e) => ({ range: rangeOf(doc, e.offset, e.length), newText: e.newText })) })) }
    : undefined;
  return {
    range: rangeOf(doc, p.offset, p.length),
    severity: SEVERITY[p.severity],
    code: p.code,
    codeDescription: { href: docsUrl(DIAGNOSTICS_DOC, p.code) },
    source: 'gantry',
    message: p.message,
    data,
  };
}
