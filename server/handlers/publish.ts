// Publishing diagnostics: each open Gantry file is checked after the changes that arrived together
// (or after a debounce), and again when something its checks read changes — a Cluster in another
// file, or a file it refers to (read in the background: ReferencedFiles).
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileState, ParsedFiles } from '../documents';
import { FolderNames, ReferencedFiles, type Workspace } from '../workspace';
import { FileDiagnostics, type CheckContext } from './diagnostics';
import { ForeignFiles } from './foreign';
import { defaultsFromSettings } from '../../core/formats/context';
import { siblingScripts } from '../../core/formats/launcherLink';
import type { ForeignDefaults } from '../../core/formats/types';
import { parseHeadSteps } from '../../core/spec/parse';
import { isGantryFile, MAX_FILE_BYTES } from '../../core/validate/validate';
import type { ClusterLookup } from '../../core/validate/rules';
import { uriToPath } from '../../core/workspace/workspace';

/** How long a check runs before it lets other requests in (milliseconds). */
const SLICE_MS = 5;
/**
 * A large file opened cold (files.coldAndLarge) gets the diagnostics of its first documents, at
 * least this many characters of them (some 120 lines, more than a screen), before the rest is read.
 */
export const HEAD_CHARS = 4 * 1024;

export interface PublishDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  files: ParsedFiles;
  workspace: Workspace;
  /** Wraps a function so that a throw is logged and ends in the fallback. */
  safe<A extends unknown[], R>(name: string, fallback: R, fn: (...a: A) => R): (...a: A) => R;
}

export class DiagnosticsPublisher {
  readonly diagnostics = new FileDiagnostics();
  /** The `gantry.foreign` settings: what foreign files run on where they and their context file are silent. */
  foreignSettings: ForeignDefaults = {};
  /** Foreign files (manifests, scripts, training configs) that a reader claims. */
  readonly foreign: ForeignFiles;
  debounceMs = 0;
  /** Ask the client to refresh code lenses when Clusters change (it said it supports it). */
  codeLensRefresh = false;
  private pending = new Map<string, NodeJS.Timeout | NodeJS.Immediate>();
  /** The check in progress per uri (a token): an older one stops at its next step. */
  private running = new Map<string, object>();
  private readers = new Map<string, ReturnType<ReferencedFiles['readerFor']>>();
  /** Requests waiting for the check of a uri to end (idle). */
  private waiters = new Map<string, (() => void)[]>();
  private readonly timing = process.env.GANTRY_TIMING === '1';
  /** Open files with a publish since they were opened: no more first-documents-first (head) for them. */
  private headDone = new Set<string>();
  /**
   * Reads files a spec refers to (relative to it) in the background. When a file's text arrives or
   * changes, the check caches are invalidated and the specs that read it are checked again.
   */
  private referenced = new ReferencedFiles((uris) => {
    this.deps.workspace.clusters.generation++;
    for (const u of uris) if (this.deps.documents.get(u)) this.schedule(u);
  });
  /** The names beside open foreign files (a training config's launching script), listed in the background; only the scripts among them matter. */
  private folders = new FolderNames((uris) => {
    this.deps.workspace.clusters.generation++;
    for (const u of uris) if (this.deps.documents.get(u)) this.schedule(u);
  }, siblingScripts);
  private readonly validate: (uri: string) => void;

  constructor(private readonly deps: PublishDeps) {
    this.validate = deps.safe('validate', undefined, (uri: string) => this.publish(uri));
    this.foreign = new ForeignFiles({
      clusters: (uri) => deps.workspace.clusters.scopedTo(uri),
      generation: () => deps.workspace.clusters.generation,
      readerFor: (uri) => this.readerFor(uri),
      settings: () => this.foreignSettings,
      folderNames: (uri) => this.folders.namesFor(uri),
    });
  }

  /** New `gantry.foreign` settings: re-check every open file. */
  setForeignSettings(v: unknown): void {
    this.foreignSettings = defaultsFromSettings(v);
    this.deps.workspace.clusters.generation++;
    this.scheduleAll();
  }

  /** A file changed on disk: the open files that read it are re-checked once its new text is in (ReferencedFiles.touched). */
  fileChanged(uri: string): void {
    const p = uriToPath(uri);
    if (p) this.referenced.touched(p);
  }

  /** The reader of files the spec at `uri` refers to; one per uri (fileURLToPath is not free). */
  readerFor(uri: string): ReturnType<ReferencedFiles['readerFor']> {
    let reader = this.readers.get(uri);
    if (!reader) this.readers.set(uri, (reader = this.referenced.readerFor(uri)));
    return reader;
  }

  checkContext(uri: string): CheckContext {
    const clusters = this.deps.workspace.clusters;
    return { fileName: uri, clusters: clusters.scopedTo(uri), generation: clusters.generation, readFile: this.readerFor(uri) };
  }

  /**
   * Checks an open document and publishes its diagnostics. A small file is done in one go; a huge
   * one is checked a document at a time, yielding to the event loop every SLICE_MS so that other
   * requests are answered meanwhile, and the check is dropped when a newer one for the same
   * document starts (a newer version, or a re-check) or the document is closed.
   */
  private publish(uri: string): void {
    const doc = this.deps.documents.get(uri);
    if (!doc) {
      this.checked(uri);
      return;
    }
    const token = {};
    this.running.set(uri, token);
    const steps = this.check(doc);
    // TextDocuments changes the document object in place: a new version makes this check stale too.
    const version = doc.version;
    const stale = () => this.running.get(uri) !== token || this.deps.documents.get(uri) !== doc || doc.version !== version;
    // GANTRY_TIMING=1: the longest slice, how long the check kept other requests waiting at most.
    let longest = 0;
    const slice = () => {
      const begin = performance.now();
      const end = begin + SLICE_MS;
      try {
        for (;;) {
          if (stale()) return;
          if (steps.next().done) {
            this.running.delete(uri);
            this.checked(uri);
            if (this.timing) process.stderr.write(`gantry: v${doc.version} longest slice ${Math.max(longest, performance.now() - begin).toFixed(1)} ms\n`);
            return;
          }
          const now = performance.now();
          if (now >= end) {
            longest = Math.max(longest, now - begin);
            setImmediate(slice);
            return;
          }
        }
      } catch (err) {
        this.running.delete(uri);
        this.checked(uri);
        this.deps.connection.console.error(`gantry: validate failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    };
    slice();
  }

  private *check(doc: TextDocument): Generator<void, void> {
    const { connection, files, workspace } = this.deps;
    const uri = doc.uri;
    const t0 = this.timing ? performance.now() : 0;
    // Only before anything of this opening was published: after that (an edit before the whole file
    // was read), a check publishes the whole file, never only its top.
    if (files.coldAndLarge(doc) && !this.headDone.has(uri)) yield* this.head(doc);
    const file = yield* files.getSteps(doc);
    if (!file.gantry) {
      // Not a Gantry spec: a foreign config that a reader claims gets its check; anything else not
      // one diagnostic (and what an earlier Gantry version of the text left is cleared).
      const foreign = yield* this.foreign.checkSteps(doc);
      connection.sendDiagnostics({ uri, version: file.version, diagnostics: foreign?.diagnostics ?? [] });
      return;
    }
    if (workspace.updateOpen(uri, file.docs)) this.scheduleAll(uri);
    const diagnostics = yield* this.diagnostics.diagnosticSteps(doc, file, this.checkContext(uri));
    this.headDone.add(uri);
    connection.sendDiagnostics({ uri, version: file.version, diagnostics });
    if (this.timing) process.stderr.write(`gantry: validated v${doc.version} in ${(performance.now() - t0).toFixed(2)} ms\n`);
  }

  /**
   * The first publish of a large file opened cold: the diagnostics of its first documents (HEAD_CHARS),
   * the same as the whole file's check will give them, before the rest is read; the parsed documents
   * are kept for that check. What the rest of the file could change is left out: when the rest may
   * define a Cluster (its text says `Cluster` anywhere), a document whose checks looked up a Cluster
   * waits for the whole file; when it cannot, the first documents' Clusters are all of the file's,
   * and the index gets them now, as it would after the whole parse.
   */
  private *head(doc: TextDocument): Generator<void, void> {
    const { connection, files, workspace } = this.deps;
    const uri = doc.uri;
    const version = doc.version;
    const text = doc.getText();
    if (text.length > MAX_FILE_BYTES || !isGantryFile(text, uri)) return;
    const head = yield* parseHeadSteps(text, HEAD_CHARS);
    files.seed(uri, head.docs);
    if (head.docs.length >= head.total) return;
    let ctx = this.checkContext(uri);
    let looked = false;
    if (text.indexOf('Cluster', head.end) >= 0) {
      const inner = ctx.clusters;
      const clusters: ClusterLookup = {
        get: (name) => ((looked = true), inner.get(name)),
        all: (name) => ((looked = true), inner.all(name)),
        names: () => ((looked = true), inner.names()),
      };
      // Cached under a generation no whole-file check uses: these results are not kept for it.
      ctx = { ...ctx, clusters, generation: -1 };
    } else if (workspace.updateOpen(uri, head.docs)) {
      this.scheduleAll(uri);
      ctx = this.checkContext(uri);
    }
    const part: FileState = { uri, version, text, docs: head.docs, gantry: true, tooLarge: false };
    let left = 0;
    const leaveOut = () => {
      const l = looked;
      looked = false;
      if (l) left++;
      return l;
    };
    // Positions come from the first documents' text alone (the same lines and columns as in the whole
    // text): the whole file's line table, some 10 ms of interpreted work at 12,000 lines, waits for the whole check.
    // Up to the end of the line where they end: a problem at a document's very end reaches one character on.
    const eol = text.indexOf('\n', head.end);
    const top = TextDocument.create(uri, doc.languageId, version, eol < 0 ? text : text.slice(0, eol + 1));
    const diagnostics = yield* this.diagnostics.diagnosticSteps(top, part, ctx, { documents: head.total, leaveOut });
    // Nothing to show while documents wait for the whole file: no publish (an empty one would say "no problems").
    if (diagnostics.length || !left) {
      this.headDone.add(uri);
      connection.sendDiagnostics({ uri, version, diagnostics });
    }
  }

  /** A check of `uri` is scheduled or under way (a huge file's spans many turns of the event loop). */
  busy(uri: string): boolean {
    return this.pending.has(uri) || this.running.has(uri);
  }

  /**
   * Resolves once no check of `uri` is scheduled or under way any more (at once when none is): a
   * request on a foreign file waits for the time-sliced check rather than doing it again in one go.
   */
  idle(uri: string): Promise<void> {
    if (!this.busy(uri)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(uri);
      if (list) list.push(resolve);
      else this.waiters.set(uri, [resolve]);
    });
  }

  /** A check of `uri` ended (or was dropped with its document): wake the requests that wait, unless another check is due. */
  private checked(uri: string): void {
    if (this.busy(uri)) return;
    const list = this.waiters.get(uri);
    this.waiters.delete(uri);
    for (const wake of list ?? []) wake();
  }

  /**
   * Validates after the changes that arrived together. With no debounce this is setImmediate: it
   * runs as soon as the messages already read are handled (setTimeout(0) would add a 1 ms clamp).
   */
  schedule(uri: string): void {
    this.cancel(uri);
    const run = () => {
      this.pending.delete(uri);
      this.validate(uri);
    };
    this.pending.set(uri, this.debounceMs > 0 ? setTimeout(run, this.debounceMs) : setImmediate(run));
  }

  /** A cluster changed: re-check every other open Gantry file (jobs that name it). */
  scheduleAll(except?: string): void {
    for (const d of this.deps.documents.all()) if (d.uri !== except) this.schedule(d.uri);
    if (this.codeLensRefresh) this.deps.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  /** A document was closed: forget it and clear its diagnostics. */
  closed(uri: string): void {
    this.cancel(uri);
    this.running.delete(uri);
    this.headDone.delete(uri);
    this.deps.files.drop(uri);
    this.readers.delete(uri);
    this.referenced.forget(uri);
    this.foreign.closed(uri);
    this.checked(uri);
    this.deps.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private cancel(uri: string): void {
    const t = this.pending.get(uri);
    if (!t) return;
    if ('refresh' in t) clearTimeout(t);
    else clearImmediate(t as NodeJS.Immediate);
    this.pending.delete(uri);
  }
}
