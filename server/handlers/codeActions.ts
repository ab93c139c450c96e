// Quick fixes: for each of the client's Gantry diagnostics, the fixes the core found for the same
// problem in the current text, as workspace edits (looked up by code and range; see diagnostics.ts).
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileState } from '../documents';
import type { QuickFix } from './diagnostics';
import type { HandlerContext } from './context';

export function codeActions(params: CodeActionParams, fixesOf: (d: Diagnostic) => QuickFix[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'gantry') continue;
    for (const f of fixesOf(d)) {
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

/** The code-action request: the fixes of the client's diagnostics for an open Gantry or foreign document. */
export function codeActionHandler(ctx: HandlerContext, fixes: (doc: TextDocument, file: FileState, d: Diagnostic) => QuickFix[]): (params: CodeActionParams) => CodeAction[] {
  return (params) => {
    const open = ctx.openFile(params.textDocument.uri);
    return open ? codeActions(params, (d) => fixes(open.doc, open.file, d)) : [];
  };
}
