// Completion: the core's items (keys, values, cluster names) as LSP completion items, for Gantry's
// specs, for a gantry.context.yaml (its keys, catalog GPUs and models, cluster names), and for a
// serving command in a foreign file (the engine's flags).
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionParams, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { schemaIndex } from '../../core/validate/schema';
import { complete, type CompletionEntry, type CompletionKind } from '../../core/spec/complete';
import { foreignFlagCompletion } from '../../core/check/foreignComplete';
import type { ForeignSpec } from '../../core/formats/types';
import { isContextFile } from '../../core/check/checkFile';
import { contextCompletion } from '../../core/formats/context';
import { rangeOf } from './diagnostics';
import { localModelIds } from '../hfModels';
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
    const localModels = localModelIds;
    return items(doc, open ? complete(open.file.text, open.file.docs, offset, { schemas: schemaIndex, clusterNames, localModels }) : contextCompletion(doc.getText(), offset, clusterNames, localModels));
  };
}

/** In a foreign file: the engine's flags inside a serving command (core/check/foreignComplete.ts), from the file's check. */
export function foreignCompletion(doc: TextDocument, position: Position, specs: readonly ForeignSpec[] | undefined): CompletionItem[] {
  return specs?.length ? items(doc, foreignFlagCompletion(doc.getText(), doc.offsetAt(position), specs, schemaIndex)) : [];
}

function items(doc: TextDocument, entries: CompletionEntry[]): CompletionItem[] {
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
}
