// Gantry's custom LSP messages, shared by the server and the client. Each has a literal method name
// and typed params; the comment says who sends it and when.

/** Server → client notification: the workspace scan for Cluster documents finished. */
export const IndexedNotification = 'gantry/indexed';
export interface IndexedParams {
  clusters: string[];
  files: number;
  ms: number;
}

// Diagnostics (textDocument/publishDiagnostics) carry no `data`. Quick fixes are computed by the
// server on textDocument/codeAction from its own latest results for the document's current text,
// matched to the request's diagnostics by code and range (message when several match), so a client
// must send back the diagnostics it was given (as LSP clients do) for fixes to be offered.
