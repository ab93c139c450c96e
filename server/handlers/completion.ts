// Completion: the core's items (keys, values, cluster names) as LSP completion items.
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionParams } from 'vscode-languageserver/node';
import { schemaIndex } from '../../core/validate/schema';
import { complete, type CompletionKind } from '../../core/spec/complete';
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
    const open = ctx.gantryFile(params.textDocument.uri);
    if (!open) return [];
    const { doc, file } = open;
    const offset = doc.offsetAt(params.position);
    return complete(file.text, file.docs, offset, { schemas: schemaIndex, clusterNames: () => ctx.workspace.clusters.scopedTo(doc.uri).names() }).map((c) => ({
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
