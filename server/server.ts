// The language server: LSP wiring only. Each feature is a handler in handlers/ that finds the
// document, calls the core and converts offsets to ranges; every handler is wrapped so one bad
// document never stops the server.
import { FileChangeType, TextDocumentSyncKind, TextDocuments, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { warmUpSchemas } from '../core/validate/schema';
import { ParsedFiles } from './documents';
import { PROJECT_FILE, Workspace } from './workspace';
import { DiagnosticsPublisher } from './handlers/publish';
import { codeActionHandler } from './handlers/codeActions';
import { completion, foreignCompletion } from './handlers/completion';
import { isContextFile } from '../core/check/checkFile';
import { definition } from './handlers/definition';
import { hover } from './handlers/hover';
import { codeLenses } from './handlers/lenses';
import { documentSymbols } from './handlers/symbols';
import { estimateFeatures } from './handlers/estimates';
import type { HandlerContext } from './handlers/context';
import { IndexedNotification, type IndexedParams } from '../protocol/lsp';
import { warmUp } from './warmUp';
import { refreshLocalModels } from './hfModels';
import { defaultsFromSettings } from '../core/formats/context';

export interface ServerOptions {
  /** Milliseconds to wait after a change before validating; 0 coalesces only what arrived together. */
  debounceMs?: number;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const files = new ParsedFiles();
  const workspace = new Workspace();
  let folders: string[] = [];
  /** `gantry.clusterFolders`: shared cluster folders, relative to each workspace folder. */
  let clusterFolders: string[] = [];

  const log = (msg: string) => connection.console.log(msg);
  function safe<A extends unknown[], R>(name: string, fallback: R, fn: (...a: A) => R): (...a: A) => R {
    return (...a: A) => {
      try {
        return fn(...a);
      } catch (err) {
        connection.console.error(`gantry: ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return fallback;
      }
    };
  }

  /**
   * A huge file's first parse is the time-sliced check's work: a request on it meanwhile gets no
   * answer rather than a parse of the whole file in one go (later versions reuse its documents).
   */
  const deferred = (uri: string): boolean => {
    const doc = documents.get(uri);
    return !!doc && files.coldAndLarge(doc) && publisher.busy(uri);
  };
  const publisher = new DiagnosticsPublisher({ connection, documents, files, workspace, safe });
  /**
   * A request on a foreign file (a manifest, a script, a config) is answered from its check. While
   * the time-sliced check of the file is scheduled or under way, the request waits for it, other
   * requests being answered meanwhile, rather than checking the whole file again in one go.
   */
  const afterForeignCheck = <R>(name: string, fallback: R, doc: TextDocument, answer: () => R): R | Promise<R> => {
    if (publisher.foreign.ready(doc) || !publisher.busy(doc.uri)) return answer();
    const version = doc.version;
    return publisher.idle(doc.uri).then(
      // Closed or changed meanwhile: the client has asked again for the new text.
      safe(name, fallback, () => (documents.get(doc.uri) === doc && doc.version === version ? answer() : fallback)),
    );
  };
  publisher.debounceMs = options.debounceMs ?? 0;
  const ctx: HandlerContext = {
    workspace,
    document: (uri) => documents.get(uri),
    gantryFile: (uri) => {
      const doc = documents.get(uri);
      if (!doc || deferred(uri)) return undefined;
      const file = files.get(doc);
      return file.gantry ? { doc, file } : undefined;
    },
    openFile: (uri) => {
      const doc = documents.get(uri);
      return doc && !deferred(uri) ? { doc, file: files.get(doc) } : undefined;
    },
  };
  const estimates = estimateFeatures({ workspace, readerFor: (uri) => publisher.readerFor(uri) });

  connection.onInitialize((params): InitializeResult => {
    folders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!folders.length && params.rootUri) folders = [params.rootUri];
    publisher.codeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    const init = params.initializationOptions as { debounceMs?: number; foreign?: unknown; clusterFolders?: unknown } | undefined;
    if (typeof init?.debounceMs === 'number') publisher.debounceMs = Math.max(0, init.debounceMs);
    if (init?.foreign) publisher.foreignSettings = defaultsFromSettings(init.foreign);
    clusterFolders = stringList(init?.clusterFolders);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [':', ' ', '-'], resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: false,
      },
      serverInfo: { name: 'gantry', version: typeof VERSION === 'string' ? VERSION : '0.0.0' },
    };
  });

  connection.onInitialized(() => {
    // Compile the schemas while the editor is still opening files.
    setImmediate(
      safe('warm-up', undefined, () => {
        warmUpSchemas();
        warmUp();
        // The local Hugging Face cache's models, for completion (a readdir in the background).
        void refreshLocalModels();
      }),
    );
    const t0 = Date.now();
    void workspace
      .configure(folders, clusterFolders)
      .then(() => workspace.scan(folders))
      .then((n) => {
        connection.sendNotification(IndexedNotification, { clusters: workspace.clusters.names(), files: n, ms: Date.now() - t0 } satisfies IndexedParams);
        log(`gantry: indexed ${n} YAML files, clusters: ${workspace.clusters.names().join(', ') || 'none'} (${Date.now() - t0} ms)`);
        publisher.scheduleAll();
        // The editor's file watcher starts after the server does: a file created after the scan
        // listed its folder, and before the watcher was up, sends no event. One catch-up walk, once
        // the watcher has had time to start, reads the files no scan has read.
        setTimeout(() => {
          const before = workspace.clusters.generation;
          void workspace
            .scan(folders, undefined, true)
            .then(() => workspace.clusters.generation !== before && publisher.scheduleAll())
            .catch(() => undefined);
        }, CATCH_UP_MS).unref();
      });
  });

  /** The shared cluster folders changed (the setting, or a root's gantry.yaml): re-check open files. */
  const reconfigure = () => void workspace.configure(folders, clusterFolders).then((changed) => changed && publisher.scheduleAll());

  documents.onDidChangeContent((e) => publisher.schedule(e.document.uri));
  documents.onDidClose((e) => {
    publisher.closed(e.document.uri);
    void workspace.closed(e.document.uri).then((changed) => changed && publisher.scheduleAll());
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    let changed = false;
    for (const c of params.changes) {
      // Read by open files (a context file, a launching script, a DeepSpeed JSON): they are re-checked when its text changed.
      publisher.fileChanged(c.uri);
      if (!/\.(ya?ml|json)$/i.test(c.uri)) continue;
      if (folders.some((f) => c.uri === `${f.replace(/\/$/, '')}/${PROJECT_FILE}`)) reconfigure();
      changed = (c.type === FileChangeType.Deleted ? workspace.deleted(c.uri) : await workspace.readFromDisk(c.uri)) || changed;
      // A config.json a spec points to may have changed: re-check open specs.
      if (/\.json$/i.test(c.uri)) workspace.clusters.generation++, (changed = true);
    }
    if (changed) publisher.scheduleAll();
  });

  // The client sends the `gantry` settings section when it changes (synchronize.configurationSection).
  // One handler (a second registration would replace the first): gantry.foreign.* and gantry.clusterFolders.
  connection.onDidChangeConfiguration(
    safe('configuration', undefined, (params) => {
      const gantry = (params.settings as { gantry?: { foreign?: unknown; clusterFolders?: unknown } } | undefined)?.gantry;
      if (gantry?.foreign !== undefined) publisher.setForeignSettings(gantry.foreign);
      if (gantry && 'clusterFolders' in gantry) {
        clusterFolders = stringList(gantry.clusterFolders);
        reconfigure();
      }
    }),
  );

  connection.onCompletion(
    safe('completion', [], (params: Parameters<ReturnType<typeof completion>>[0]) => {
      const uri = params.textDocument.uri;
      // A foreign file (not a spec, not a context file): the engine's flags in a serving command, from its check.
      const doc = ctx.gantryFile(uri) || isContextFile(uri) || deferred(uri) ? undefined : documents.get(uri);
      return doc ? afterForeignCheck('completion', [], doc, () => foreignCompletion(doc, params.position, publisher.foreign.check(doc)?.check.foreign)) : completion(ctx)(params);
    }),
  );
  connection.onHover(
    safe('hover', null, (params: Parameters<ReturnType<typeof hover>>[0]) => {
      if (deferred(params.textDocument.uri)) return null;
      const doc = ctx.gantryFile(params.textDocument.uri) ? undefined : documents.get(params.textDocument.uri);
      return doc ? afterForeignCheck('hover', null, doc, () => publisher.foreign.hover(doc, doc.offsetAt(params.position)) ?? null) : hover(ctx, estimates)(params);
    }),
  );
  connection.onDocumentSymbol(
    safe('symbols', [], (params) => {
      const open = ctx.gantryFile(params.textDocument.uri);
      return open ? documentSymbols(open.doc, open.file) : [];
    }),
  );
  connection.onDefinition(safe('definition', null, definition(ctx)));
  connection.onCodeAction(
    safe(
      'codeAction',
      [],
      codeActionHandler(ctx, (doc, file, d) => (file.gantry ? publisher.diagnostics.fixes(doc, file, publisher.checkContext(doc.uri), d) : publisher.foreign.ready(doc) || !publisher.busy(doc.uri) ? publisher.foreign.fixes(doc, d) : [])),
    ),
  );
  connection.onCodeLens(
    safe('codeLens', [], (params: Parameters<ReturnType<typeof codeLenses>>[0]) => {
      if (deferred(params.textDocument.uri)) return [];
      const doc = ctx.gantryFile(params.textDocument.uri) ? undefined : documents.get(params.textDocument.uri);
      return doc ? afterForeignCheck('codeLens', [], doc, () => publisher.foreign.codeLenses(doc)) : codeLenses(ctx, estimates)(params);
    }),
  );

  documents.listen(connection);
  connection.listen();
}

/** How long after the first scan the catch-up walk runs (VS Code's file watcher starts within a few seconds). */
const CATCH_UP_MS = 5000;

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : []);

declare const VERSION: string;
