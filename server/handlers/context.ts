// What every request handler reads: the open documents, their parsed state and the workspace.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileState } from '../documents';
import type { Workspace } from '../workspace';

export interface HandlerContext {
  workspace: Workspace;
  /** An open document. */
  document(uri: string): TextDocument | undefined;
  /** An open document that is Gantry's, with its parsed state; undefined otherwise. */
  gantryFile(uri: string): { doc: TextDocument; file: FileState } | undefined;
  /** Any open document with its parsed state (a foreign file's `file.gantry` is false). */
  openFile(uri: string): { doc: TextDocument; file: FileState } | undefined;
}
