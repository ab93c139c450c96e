// The server's view of each open file: its parsed YAML documents (cached per document text) and
// whether it is Gantry's at all.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentCache, type ParsedDoc } from '../core/spec/parse';
import { isGantryFile, MAX_FILE_BYTES } from '../core/validate/validate';

export interface FileState {
  uri: string;
  version: number;
  text: string;
  docs: ParsedDoc[];
  gantry: boolean;
  tooLarge: boolean;
}

export class ParsedFiles {
  private caches = new Map<string, DocumentCache>();
  private states = new Map<string, FileState>();

  get(doc: TextDocument): FileState {
    const hit = this.states.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    const text = doc.getText();
    const gantry = isGantryFile(text, doc.uri);
    const tooLarge = text.length > MAX_FILE_BYTES;
    let docs: ParsedDoc[] = [];
    if (gantry && !tooLarge) {
      let cache = this.caches.get(doc.uri);
      if (!cache) this.caches.set(doc.uri, (cache = new DocumentCache()));
      docs = cache.parse(text);
    }
    const state = { uri: doc.uri, version: doc.version, text, docs, gantry, tooLarge };
    this.states.set(doc.uri, state);
    return state;
  }

  drop(uri: string): void {
    this.caches.delete(uri);
    this.states.delete(uri);
  }
}
