// The memory floor for bench:lsp: a vscode-languageserver connection over stdio that does no work
// (it publishes empty diagnostics, with the version, after each open and change). Its peak RSS is
// what Node plus the LSP library cost before any Gantry code runs.
const { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, completionProvider: {}, hoverProvider: true } }));
connection.onCompletion(() => []);
connection.onHover(() => null);
documents.onDidChangeContent((e) => connection.sendDiagnostics({ uri: e.document.uri, version: e.document.version, diagnostics: [] }));
documents.listen(connection);
connection.listen();
