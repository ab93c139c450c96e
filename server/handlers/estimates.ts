// Estimates in the editor: a code lens summary on each job and service, the full breakdown on hover,
// and the estimator's findings as diagnostics with quick fixes. Filled in when the estimator lands.
import type { CodeLens, Connection, Hover } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Problem } from '../../core/validate/problem';
import type { FileState } from '../documents';
import type { Workspace } from '../workspace';

export interface EstimateDeps {
  connection: Connection;
  workspace: Workspace;
  readerFor: (uri: string) => (rel: string) => string | undefined;
  fileState: (uri: string) => FileState | undefined;
}

export interface EstimateFeatures {
  problems(doc: TextDocument, file: FileState): Problem[];
  codeLenses(doc: TextDocument, file: FileState): CodeLens[];
  hover(doc: TextDocument, file: FileState, offset: number): Hover | undefined;
}

export function estimateFeatures(_deps: EstimateDeps): EstimateFeatures {
  return { problems: () => [], codeLenses: () => [], hover: () => undefined };
}
