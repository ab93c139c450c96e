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

/** Above this many characters a first parse is left to the time-sliced check (server/handlers/publish.ts). */
export const SYNC_PARSE_MAX_CHARS = 64 * 1024;

export class ParsedFiles {
  private caches = new Map<string, DocumentCache>();
  private states = new Map<string, FileState>();

  get(doc: TextDocument): FileState {
    const steps = this.getSteps(doc);
    for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
  }

  /** `get` one parsed document at a time (DocumentCache.parseSteps): the server spreads a huge file over several turns. */
  *getSteps(doc: TextDocument): Generator<void, FileState> {
    const hit = this.states.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    // The version of the text read now: TextDocuments updates the document object in place, so
    // doc.version after a yield may be that of a newer text than the one parsed here.
    const version = doc.version;
    const text = doc.getText();
    const gantry = isGantryFile(text, doc.uri);
    const tooLarge = text.length > MAX_FILE_BYTES;
    let docs: ParsedDoc[] = [];
    if (gantry && !tooLarge) {
      let cache = this.caches.get(doc.uri);
      if (!cache) this.caches.set(doc.uri, (cache = new DocumentCache()));
      docs = yield* cache.parseSteps(text);
    }
    const state = { uri: doc.uri, version, text, docs, gantry, tooLarge };
    this.states.set(doc.uri, state);
    return state;
  }

  /** The parsed file for this version when it is already there; nothing is parsed. */
  ready(doc: TextDocument): FileState | undefined {
    const hit = this.states.get(doc.uri);
    return hit && hit.version === doc.version ? hit : undefined;
  }

  /**
   * Whether `get` would have to parse this version from scratch and that would take long: no earlier
   * version was parsed (so no document can be reused) and the text is over SYNC_PARSE_MAX_CHARS.
   */
  coldAndLarge(doc: TextDocument): boolean {
    return !this.ready(doc) && !this.states.has(doc.uri) && doc.getText().length > SYNC_PARSE_MAX_CHARS;
  }

  /** Documents of the file's text parsed for a first publish (publish.ts), reused by the next `get`. */
  seed(uri: string, docs: ParsedDoc[]): void {
    if (this.states.has(uri)) return;
    let cache = this.caches.get(uri);
    if (!cache) this.caches.set(uri, (cache = new DocumentCache()));
    cache.seed(docs);
  }

  drop(uri: string): void {
    this.caches.delete(uri);
    this.states.delete(uri);
  }
}
