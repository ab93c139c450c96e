// Estimates in the editor: a code lens with the summary on each job and service, and the full
// breakdown on hover over its `kind` line. (The estimator's findings are diagnostics: diagnostics.ts.)
import { MarkupKind, type CodeLens, type Hover } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { renderMarkdown } from '../../core/estimate/index';
import { estimateDocCached, type DocEstimate } from '../../core/validate/estimates';
import type { ParsedDoc } from '../../core/spec/parse';
import type { FileState } from '../documents';
import type { Workspace } from '../workspace';
import { rangeOf } from './diagnostics';

export interface EstimateDeps {
  workspace: Workspace;
  readerFor: (uri: string) => (rel: string) => string | undefined;
}

export interface EstimateFeatures {
  codeLenses(doc: TextDocument, file: FileState): CodeLens[];
  hover(doc: TextDocument, file: FileState, offset: number): Hover | undefined;
}

export function estimateFeatures(deps: EstimateDeps): EstimateFeatures {
  /** A document's estimate as cached, and how far the document moved since (its offsets + delta). */
  const estimateOf = (file: FileState, d: ParsedDoc): { e: DocEstimate; delta: number } | undefined => {
    const { clusters } = deps.workspace;
    const hit = estimateDocCached(file.text, d, clusters.scopedTo(file.uri), deps.readerFor(file.uri), clusters.generation);
    return hit.result ? { e: hit.result, delta: d.start - hit.start } : undefined;
  };

  return {
    codeLenses: (doc, file) => {
      const out: CodeLens[] = [];
      for (const d of file.docs) {
        const hit = estimateOf(file, d);
        if (hit) out.push({ range: rangeOf(doc, hit.e.anchor.offset + hit.delta, hit.e.anchor.length), command: { title: `$(dashboard) ${hit.e.estimate.summary}`, command: '' } });
      }
      return out;
    },
    hover: (doc, file, offset) => {
      const line = doc.positionAt(offset).line;
      for (const d of file.docs) {
        const hit = estimateOf(file, d);
        if (!hit || doc.positionAt(hit.e.anchor.offset + hit.delta).line !== line) continue;
        return { contents: { kind: MarkupKind.Markdown, value: renderMarkdown(hit.e.estimate) }, range: rangeOf(doc, hit.e.anchor.offset + hit.delta, hit.e.anchor.length) };
      }
      return undefined;
    },
  };
}
