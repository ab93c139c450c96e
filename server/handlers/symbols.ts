// The outline: one symbol per Gantry document (its name and kind), with its top-level spec fields.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isMap, isScalar, locate } from '../../core/spec/parse';
import { isGantryDoc } from '../../core/validate/validate';
import type { FileState } from '../documents';
import { rangeOf } from './diagnostics';

const KIND_SYMBOL: Record<string, SymbolKind> = { Cluster: SymbolKind.Module, TrainingJob: SymbolKind.Class, InferenceService: SymbolKind.Interface };

export function documentSymbols(doc: TextDocument, file: FileState): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const d of file.docs) {
    if (d.empty || !isGantryDoc(d, file.uri)) continue;
    const v = (d.value ?? {}) as Record<string, unknown>;
    const kind = typeof v.kind === 'string' ? v.kind : 'Document';
    const name = typeof (v.metadata as { name?: unknown } | undefined)?.name === 'string' ? String((v.metadata as { name: string }).name) : `(unnamed ${kind})`;
    const end = d.start + d.text.trimEnd().length;
    const range = rangeOf(doc, d.start, Math.max(1, end - d.start));
    const sel = locate(d, ['metadata', 'name']);
    const selection = sel.exact ? rangeOf(doc, sel.value.offset, sel.value.length) : range;
    const children: DocumentSymbol[] = [];
    const spec = locate(d, ['spec']);
    if (spec.exact && isMap(spec.node)) {
      for (const item of spec.node.items) {
        const key = isScalar(item.key) ? String(item.key.value) : undefined;
        const kr = (item.key as { range?: [number, number, number] } | null)?.range;
        const vr = (item.value as { range?: [number, number, number] } | null)?.range ?? kr;
        if (!key || !kr || !vr) continue;
        const r = rangeOf(doc, d.start + kr[0], Math.max(1, vr[1] - kr[0]));
        children.push({ name: key, kind: isMap(item.value) ? SymbolKind.Object : SymbolKind.Property, range: r, selectionRange: rangeOf(doc, d.start + kr[0], kr[1] - kr[0]) });
      }
    }
    out.push({ name, detail: kind, kind: KIND_SYMBOL[kind] ?? SymbolKind.Namespace, range, selectionRange: clamp(selection, range), children });
  }
  return out;
}

function clamp<T extends { start: { line: number; character: number }; end: { line: number; character: number } }>(sel: T, range: T): T {
  const before = (a: T['start'], b: T['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);
  return before(sel.start, range.start) || before(range.end, sel.end) ? range : sel;
}
