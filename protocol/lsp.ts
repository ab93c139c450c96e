// Gantry's custom LSP messages, shared by the server and the client. Each has a literal method name
// and typed params; the comment says who sends it and when.

/** Client → server request: the estimate summary of one document (the run panel's memory line). */
export const EstimateRequest = 'gantry/estimate';
export interface EstimateParams {
  uri: string;
  docIndex: number;
}
export interface EstimateResult {
  summary?: string;
  deviceBytesPerGpu?: number;
  capacityBytes?: number;
}

/** Server → client notification: the workspace scan for Cluster documents finished. */
export const IndexedNotification = 'gantry/indexed';
export interface IndexedParams {
  clusters: string[];
  files: number;
  ms: number;
}

/** Data attached to each diagnostic: its fixes, already converted to ranges. */
export interface DiagnosticData {
  fixes?: { title: string; preferred?: boolean; edits: { range: LspRange; newText: string }[] }[];
}
export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
