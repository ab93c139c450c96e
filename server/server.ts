// The language server: LSP wiring only. Each feature is a handler in handlers/ that finds the
// document, calls the core and converts offsets to ranges; every handler is wrapped so one bad
// document never stops the server.
import { FileChangeType, TextDocumentSyncKind, TextDocuments, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { warmUpSchemas } from '../core/validate/schema';
import { ParsedFiles } from './documents';
import { Workspace } from './workspace';
import { DiagnosticsPublisher } from './handlers/publish';
import { codeActionHandler } from './handlers/codeActions';
import { completion } from './handlers/completion';
import { definition } from './handlers/definition';
import { hover } from './handlers/hover';
import { codeLenses } from './handlers/lenses';
import { documentSymbols } from './handlers/symbols';
import { estimateFeatures } from './handlers/estimates';
import type { HandlerContext } from './handlers/context';
import { IndexedNotification, type IndexedParams } from '../protocol/lsp';
import { warmUp } from './warmUp';
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

  const publisher = new DiagnosticsPublisher({ connection, documents, files, workspace, safe });
  publisher.debounceMs = options.debounceMs ?? 0;
  const ctx: HandlerContext = {
    workspace,
    document: (uri) => documents.get(uri),
    gantryFile: (uri) => {
      const doc = documents.get(uri);
      if (!doc) return undefined;
      const file = files.get(doc);
      return file.gantry ? { doc, file } : undefined;
    },
    openFile: (uri) => {
      const doc = documents.get(uri);
      return doc ? { doc, file: files.get(doc) } : undefined;
    },
  };
  const estimates = estimateFeatures({ workspace, readerFor: (uri) => publisher.readerFor(uri) });

  connection.onInitialize((params): InitializeResult => {
    folders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!folders.length && params.rootUri) folders = [params.rootUri];
    publisher.codeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    const init = params.initializationOptions as { debounceMs?: number; foreign?: unknown } | undefined;
    if (typeof init?.debounceMs === 'number') publisher.debounceMs = Math.max(0, init.debounceMs);
    if (init?.foreign) publisher.foreignSettings = defaultsFromSettings(init.foreign);
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
      }),
    );
    const t0 = Date.now();
    void workspace.scan(folders).then((n) => {
      connection.sendNotification(IndexedNotification, { clusters: workspace.clusters.names(), files: n, ms: Date.now() - t0 } satisfies IndexedParams);
      log(`gantry: indexed ${n} YAML files, clusters: ${workspace.clusters.names().join(', ') || 'none'} (${Date.now() - t0} ms)`);
      publisher.scheduleAll();
    });
  });

  documents.onDidChangeContent((e) => publisher.schedule(e.document.uri));
  documents.onDidClose((e) => {
    publisher.closed(e.document.uri);
    void workspace.closed(e.document.uri).then((changed) => changed && publisher.scheduleAll());
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    let changed = false;
    for (const c of params.changes) {
      if (!/\.(ya?ml|json)$/i.test(c.uri)) continue;
      changed = (c.type === FileChangeType.Deleted ? workspace.deleted(c.uri) : await workspace.readFromDisk(c.uri)) || changed;
      // A config.json a spec points to may have changed: re-check open specs.
      if (/\.json$/i.test(c.uri)) workspace.clusters.generation++, (changed = true);
    }
    if (changed) publisher.scheduleAll();
  });

  // The client sends the `gantry` settings section when it changes (synchronize.configurationSection).
  connection.onDidChangeConfiguration(
    safe('configuration', undefined, (params) => {
      const foreign = (params.settings as { gantry?: { foreign?: unknown } } | undefined)?.gantry?.foreign;
      if (foreign !== undefined) publisher.setForeignSettings(foreign);
    }),
  );

  connection.onCompletion(safe('completion', [], completion(ctx)));
  connection.onHover(
    safe('hover', null, (params: Parameters<ReturnType<typeof hover>>[0]) => {
      const doc = ctx.gantryFile(params.textDocument.uri) ? undefined : documents.get(params.textDocument.uri);
      return doc ? (publisher.foreign.hover(doc, doc.offsetAt(params.position)) ?? null) : hover(ctx, estimates)(params);
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
      codeActionHandler(ctx, (doc, file, d) => (file.gantry ? publisher.diagnostics.fixes(doc, file, publisher.checkContext(doc.uri), d) : publisher.foreign.fixes(doc, d))),
    ),
  );
  connection.onCodeLens(
    safe('codeLens', [], (params: Parameters<ReturnType<typeof codeLenses>>[0]) => {
      const doc = ctx.gantryFile(params.textDocument.uri) ? undefined : documents.get(params.textDocument.uri);
      return doc ? publisher.foreign.codeLenses(doc) : codeLenses(ctx, estimates)(params);
    }),
  );

  documents.listen(connection);
  connection.listen();
}

declare const VERSION: string;
