// The language server: LSP wiring over the core. Each handler finds the document, calls the core and
// converts offsets to ranges; every handler is wrapped so one bad document never stops the server.
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CompletionItem,
  type Connection,
  type InitializeResult,
  type Location,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFileSync } from 'node:fs';
import { schemaIndex, warmUpSchemas } from '../core/validate/schema';
import { complete, hover, type CompletionKind } from '../core/spec/complete';
import { cursorAt } from '../core/spec/cursor';
import { findGpu } from '../core/catalog/gpus';
import { ParsedFiles, type FileState } from './documents';
import { Workspace, readerBeside, uriToPath } from './workspace';
import { FileDiagnostics, rangeOf, type CheckContext } from './handlers/diagnostics';
import { codeActions } from './handlers/codeActions';
import { documentSymbols } from './handlers/symbols';
import { IndexedNotification, type IndexedParams } from '../protocol/lsp';
import { estimateFeatures, type EstimateFeatures } from './handlers/estimates';
import { warmUp } from './warmUp';

export interface ServerOptions {
  /** Milliseconds to wait after a change before validating; 0 coalesces only what arrived together. */
  debounceMs?: number;
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
};

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const files = new ParsedFiles();
  const workspace = new Workspace();
  const pending = new Map<string, NodeJS.Timeout | NodeJS.Immediate>();
  let debounceMs = options.debounceMs ?? 0;
  let folders: string[] = [];
  let codeLensRefresh = false;
  let estimates: EstimateFeatures | undefined;
  const diagnostics = new FileDiagnostics();

  const log = (msg: string) => connection.console.log(msg);
  function safe<A extends unknown[], R>(name: string, fallback: R, fn: (...a: A) => R): (...a: A) => R {
    return (...a: A) => {
      try {
        return fn(...a);
      } catch (err) {
        connection.console.error(`gantry: ${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        return fallback;
      }
    };
  }

  /** Reads files a spec refers to (relative to it); one reader per uri (fileURLToPath is not free). */
  const readers = new Map<string, (rel: string) => string | undefined>();
  const readerFor = (uri: string) => {
    let reader = readers.get(uri);
    if (reader) return reader;
    reader = readerBeside(uriToPath(uri), 1024 * 1024);
    readers.set(uri, reader);
    return reader;
  };

  function fileState(uri: string): FileState | undefined {
    const doc = documents.get(uri);
    return doc ? files.get(doc) : undefined;
  }

  const checkContext = (uri: string): CheckContext => ({
    fileName: uri,
    clusters: workspace.clusters.scopedTo(uri),
    generation: workspace.clusters.generation,
    readFile: readerFor(uri),
  });

  const timing = process.env.GANTRY_TIMING === '1';
  const validate = safe('validate', undefined, (uri: string) => {
    const t0 = timing ? performance.now() : 0;
    const doc = documents.get(uri);
    if (!doc) return;
    const file = files.get(doc);
    if (!file.gantry) {
      // Foreign YAML: not one diagnostic. Clear what an earlier Gantry version of the text left.
      connection.sendDiagnostics({ uri, version: doc.version, diagnostics: [] });
      return;
    }
    if (workspace.updateOpen(uri, file.docs)) scheduleAll(uri);
    connection.sendDiagnostics({ uri, version: doc.version, diagnostics: diagnostics.diagnostics(doc, file, checkContext(uri)) });
    if (timing) process.stderr.write(`gantry: validated v${doc.version} in ${(performance.now() - t0).toFixed(2)} ms\n`);
  });

  /**
   * Validates after the changes that arrived together. With no debounce this is setImmediate: it
   * runs as soon as the messages already read are handled (setTimeout(0) would add a 1 ms clamp).
   */
  function schedule(uri: string): void {
    const t = pending.get(uri);
    if (t) cancel(t);
    const run = () => {
      pending.delete(uri);
      validate(uri);
    };
    pending.set(uri, debounceMs > 0 ? setTimeout(run, debounceMs) : setImmediate(run));
  }

  function cancel(t: NodeJS.Timeout | NodeJS.Immediate): void {
    if ('refresh' in t) clearTimeout(t);
    else clearImmediate(t as NodeJS.Immediate);
  }

  /** A cluster changed: re-check every other open Gantry file (jobs that name it). */
  function scheduleAll(except?: string): void {
    for (const d of documents.all()) if (d.uri !== except) schedule(d.uri);
    if (codeLensRefresh) connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  connection.onInitialize((params): InitializeResult => {
    folders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!folders.length && params.rootUri) folders = [params.rootUri];
    codeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    const init = params.initializationOptions as { debounceMs?: number } | undefined;
    if (typeof init?.debounceMs === 'number') debounceMs = Math.max(0, init.debounceMs);
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
    setImmediate(safe('warm-up', undefined, () => {
      warmUpSchemas();
      warmUp();
    }));
    const t0 = Date.now();
    void workspace.scan(folders).then((n) => {
      connection.sendNotification(IndexedNotification, { clusters: workspace.clusters.names(), files: n, ms: Date.now() - t0 } satisfies IndexedParams);
      log(`gantry: indexed ${n} YAML files, clusters: ${workspace.clusters.names().join(', ') || 'none'} (${Date.now() - t0} ms)`);
      scheduleAll();
    });
  });

  estimates = estimateFeatures({ connection, workspace, readerFor, fileState });

  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    const t = pending.get(e.document.uri);
    if (t) cancel(t);
    pending.delete(e.document.uri);
    files.drop(e.document.uri);
    readers.delete(e.document.uri);
    connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    void workspace.closed(e.document.uri).then((changed) => changed && scheduleAll());
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    let changed = false;
    for (const c of params.changes) {
      if (!/\.(ya?ml|json)$/i.test(c.uri)) continue;
      changed = (c.type === 3 ? workspace.deleted(c.uri) : await workspace.readFromDisk(c.uri)) || changed;
      // A config.json a spec points to may have changed: re-check open specs.
      if (/\.json$/i.test(c.uri)) workspace.clusters.generation++, (changed = true);
    }
    if (changed) scheduleAll();
  });

  connection.onCompletion(safe('completion', [] as CompletionItem[], (params) => {
    const doc = documents.get(params.textDocument.uri);
    const file = fileState(params.textDocument.uri);
    if (!doc || !file?.gantry) return [];
    const offset = doc.offsetAt(params.position);
    return complete(file.text, file.docs, offset, { schemas: schemaIndex, clusterNames: () => workspace.clusters.scopedTo(doc.uri).names() }).map((c) => ({
      label: c.label,
      kind: COMPLETION_KIND[c.kind],
      detail: c.detail,
      documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
      insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: rangeOf(doc, c.replace.offset, c.replace.length), newText: c.insertText },
      sortText: c.sortText,
      preselect: c.preselect,
      filterText: c.label,
    }));
  }));

  connection.onHover(safe('hover', null, (params) => {
    const doc = documents.get(params.textDocument.uri);
    const file = fileState(params.textDocument.uri);
    if (!doc || !file?.gantry) return null;
    const offset = doc.offsetAt(params.position);
    const est = estimates?.hover(doc, file, offset);
    if (est) return est;
    const h = hover(file.text, file.docs, offset, {
      schemas: schemaIndex,
      clusterNames: () => workspace.clusters.scopedTo(doc.uri).names(),
      describeCluster: (name) => describeCluster(workspace, name, doc.uri),
    });
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: rangeOf(doc, h.offset, h.length) } : null;
  }));

  connection.onDocumentSymbol(safe('symbols', [], (params) => {
    const doc = documents.get(params.textDocument.uri);
    const file = fileState(params.textDocument.uri);
    return doc && file?.gantry ? documentSymbols(doc, file) : [];
  }));

  connection.onDefinition(safe('definition', null as Location | null, (params) => {
    const doc = documents.get(params.textDocument.uri);
    const file = fileState(params.textDocument.uri);
    if (!doc || !file?.gantry) return null;
    const cur = cursorAt(file.text, file.docs, doc.offsetAt(params.position));
    if (!cur || cur.position !== 'value' || cur.path.join('.') !== 'spec.cluster') return null;
    const entry = workspace.clusters.scopedTo(doc.uri).get(cur.word.text.replace(/^["']|["']$/g, ''));
    if (!entry) return null;
    const target = documents.get(entry.file) ?? loadText(entry.file);
    if (!target) return null;
    return { uri: entry.file, range: rangeOf(target, entry.nameOffset, entry.nameLength) };
  }));

  connection.onCodeAction(safe('codeAction', [], (params) => {
    const doc = documents.get(params.textDocument.uri);
    const file = fileState(params.textDocument.uri);
    if (!doc || !file?.gantry) return [];
    const ctx = checkContext(doc.uri);
    return codeActions(params, (d) => diagnostics.fixes(doc, file, ctx, d));
  }));
  connection.onCodeLens(safe('codeLens', [], (params) => {
    const doc = documents.get(params.textDocument.uri);
    const file = fileState(params.textDocument.uri);
    return doc && file?.gantry ? estimates?.codeLenses(doc, file) ?? [] : [];
  }));

  documents.listen(connection);
  connection.listen();
}

function loadText(uri: string): TextDocument | undefined {
  const p = uriToPath(uri);
  if (!p) return undefined;
  try {
    return TextDocument.create(uri, 'yaml', 0, readFileSync(p, 'utf8'));
  } catch {
    return undefined;
  }
}

function describeCluster(workspace: Workspace, name: string, fromUri: string): string | undefined {
  const e = workspace.clusters.scopedTo(fromUri).get(name);
  if (!e) return undefined;
  const s = e.doc.spec ?? ({} as never);
  const gpu = s.nodes?.gpu;
  const g = gpu?.model ? findGpu(gpu.model) : undefined;
  const lines = [
    `**Cluster ${name}** — ${s.scheduler?.type ?? 'local'} scheduler${s.scheduler?.partition ? `, partition ${s.scheduler.partition}` : ''}`,
    `${s.nodes?.count ?? '?'} nodes × ${gpu?.count ?? '?'} × ${gpu?.model ?? '?'}${g ? ` (${g.memoryGiB} GiB each)` : ''}`,
  ];
  if (s.interconnect?.intraNode || s.interconnect?.interNode) {
    lines.push(`Interconnect: ${s.interconnect.intraNode?.type ?? '—'} inside a node, ${s.interconnect.interNode?.type ?? '—'}${s.interconnect.interNode?.gbpsPerGpu ? ` ${s.interconnect.interNode.gbpsPerGpu} Gb/s per GPU` : ''} between nodes`);
  }
  return lines.join('\n\n');
}

declare const VERSION: string;
