// Quick fixes: the fixes the core attached to each diagnostic, as workspace edits.
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import type { DiagnosticData } from '../../protocol/lsp';

export function codeActions(params: CodeActionParams): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'gantry') continue;
    const data = d.data as DiagnosticData | undefined;
    for (const f of data?.fixes ?? []) {
      out.push({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: f.preferred,
        edit: { changes: { [params.textDocument.uri]: f.edits } },
      });
    }
  }
  return out;
}
