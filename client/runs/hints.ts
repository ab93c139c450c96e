// Hints the run features put on a spec from outside the language server (right-sizing after a run,
// this machine's GPUs): core problems (file offsets, text edits) turned into hint diagnostics of one
// source, and their fixes into quick fixes for the light bulb.
import * as vscode from 'vscode';
import type { Problem } from '../../core/validate/problem';

/** The problems as hint diagnostics of `source`, each with its problem's code. */
export function hintDiagnostics(document: vscode.TextDocument, problems: readonly Problem[], source: string): vscode.Diagnostic[] {
  return problems.map((p) => {
    const d = new vscode.Diagnostic(new vscode.Range(document.positionAt(p.offset), document.positionAt(p.offset + p.length)), p.message, vscode.DiagnosticSeverity.Hint);
    d.source = source;
    d.code = p.code;
    return d;
  });
}

/** The quick fixes of the problems behind the context's diagnostics of `source` (matched by code and start). */
export function hintFixes(document: vscode.TextDocument, problems: readonly Problem[], context: vscode.CodeActionContext, source: string, preferred = false): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  for (const d of context.diagnostics) {
    if (d.source !== source) continue;
    const p = problems.find((x) => x.code === d.code && document.positionAt(x.offset).isEqual(d.range.start));
    for (const f of p?.fixes ?? []) {
      const action = new vscode.CodeAction(f.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      if (preferred) action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      for (const e of f.edits) action.edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.newText);
      out.push(action);
    }
  }
  return out;
}

/** One pending call per key, run `ms` after the last request for that key (an edit burst checks once). */
export class Debounce implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ms: number) {}

  run(key: string, fn: () => void): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        fn();
      }, this.ms),
    );
  }

  cancel(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
