// Completion: the core's items (keys, values, cluster names) as LSP completion items, for Gantry's
// specs and for a gantry.context.yaml (its keys, catalog GPUs and models, cluster names).
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionParams } from 'vscode-languageserver/node';
import { schemaIndex } from '../../core/validate/schema';
import { complete, type CompletionKind } from '../../core/spec/complete';
import { isContextFile } from '../../core/check/checkFile';
import { contextCompletion } from '../../core/formats/context';
import { rangeOf } from './diagnostics';
import type { HandlerContext } from './context';

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
};

export function completion(ctx: HandlerContext): (params: CompletionParams) => CompletionItem[] {
  return (params) => {
    const uri = params.textDocument.uri;
    const clusterNames = () => ctx.workspace.clusters.scopedTo(uri).names();
    const open = ctx.gantryFile(uri);
    const context = open ? undefined : isContextFile(uri) ? ctx.document(uri) : undefined;
    if (!open && !context) return [];
    const doc = open?.doc ?? context!;
    const offset = doc.offsetAt(params.position);
    const entries = open ? complete(open.file.text, open.file.docs, offset, { schemas: schemaIndex, clusterNames }) : contextCompletion(doc.getText(), offset, clusterNames);
    return entries.map((c) => ({
      label: c.label,
      kind: COMPLETION_KIND[c.kind],
      detail: c.detail,
      documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
      insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: rangeOf(doc, c.replace.offset, c.replace.length), newText: c.insertText },
      sortText: c.sortText,
      preselect: c.preselect,
      filterText: c.label,
    }));
  };
}
