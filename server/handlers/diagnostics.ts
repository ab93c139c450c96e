// The one place that turns core problems (offsets) into LSP diagnostics (ranges).
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

export function toDiagnostic(doc: TextDocument, p: Problem): Diagnostic {
  const data: DiagnosticData | undefined = p.fixes?.length
    ? { fixes: p.fixes.map((f) => ({ title: f.title, preferred: f.preferred, edits: f.edits.map((e) => ({ range: rangeOf(doc, e.offset, e.length), newText: e.newText })) })) }
    : undefined;
  return {
    range: rangeOf(doc, p.offset, p.length),
    severity: SEVERITY[p.severity],
    code: p.code,
    codeDescription: { href: docsUrl(p.code) },
    source: 'gantry',
    message: p.message,
    data,
  };
}
