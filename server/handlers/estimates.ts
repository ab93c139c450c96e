// Estimates in the editor: a code lens with the summary on each job and service, the full breakdown
// on hover over its `kind` line, and the estimator's findings as diagnostics with quick fixes.
import { MarkupKind, type CodeLens, type Connection, type Hover } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { renderMarkdown } from '../../core/estimate/index';
import { estimateDoc, type DocEstimate } from '../../core/validate/estimates';
import type { Problem } from '../../core/validate/problem';
import type { FileState } from '../documents';
import type { Workspace } from '../workspace';
import { rangeOf } from './diagnostics';
import { EstimateRequest, type EstimateParams, type EstimateResult } from '../../protocol/lsp';

export interface EstimateDeps {
  connection: Connection;
  workspace: Workspace;
  readerFor: (uri: string) => (rel: string) => string | undefined;
  fileState: (uri: string) => FileState | undefined;
}

export interface EstimateFeatures {
  /** `invalid`: documents with errors already; their estimates would repeat those errors. */
  problems(doc: TextDocument, file: FileState, invalid: Set<number>): Problem[];
  codeLenses(doc: TextDocument, file: FileState): CodeLens[];
  hover(doc: TextDocument, file: FileState, offset: number): Hover | undefined;
}

export function estimateFeatures(deps: EstimateDeps): EstimateFeatures {
  const all = (file: FileState): DocEstimate[] => {
    const read = deps.readerFor(file.uri);
    return file.docs.map((d) => estimateDoc(file.text, d, deps.workspace.clusters, read, deps.workspace.clusters.generation)).filter((e): e is DocEstimate => !!e);
  };

  deps.connection.onRequest(EstimateRequest, (p: EstimateParams): EstimateResult => {
    const file = deps.fileState(p.uri);
    const e = file ? all(file).find((x) => x.docIndex === p.docIndex) : undefined;
    return { summary: e?.estimate.summary, deviceBytesPerGpu: e?.estimate.memory?.perGpu.deviceBytes, capacityBytes: e?.estimate.memory?.capacityBytes };
  });

  return {
    problems: (_doc, file, invalid) => all(file).flatMap((e) => (invalid.has(e.docIndex) ? [] : e.problems)),
    codeLenses: (doc, file) => all(file).map((e) => ({
      range: rangeOf(doc, e.anchor.offset, e.anchor.length),
      command: { title: `$(dashboard) ${e.estimate.summary}`, command: '' },
    })),
    hover: (doc, file, offset) => {
      const line = doc.positionAt(offset).line;
      const e = all(file).find((x) => doc.positionAt(x.anchor.offset).line === line);
      if (!e) return undefined;
      return { contents: { kind: MarkupKind.Markdown, value: renderMarkdown(e.estimate) }, range: rangeOf(doc, e.anchor.offset, e.anchor.length) };
    },
  };
}
