// Right-sizing on the spec: once a run of a document has ended with kept figures, the rules of
// core/logs/rightSize.ts put a hint at the key they are about (with the numbers behind it) and
// their quick fixes, with the new estimate in each title, in the light bulb. This file only turns
// the core's offsets into ranges and keeps the hints current.
import * as vscode from 'vscode';
import { parseSpecFile } from '../../core/spec/parse';
import { findSpecDocs, isRunnable } from '../../core/runs/specDocs';
import { mayHoldRunnable } from '../../core/runs/kindScan';
import { rightSizeInText } from '../../core/logs/rightSize';
import type { Problem } from '../../core/validate/problem';
import type { LastOutcome } from './codeLens';
import { clustersOf } from './submitFlow';
import { Debounce, hintDiagnostics, hintFixes } from './hints';

/** Diagnostics of this provider carry this source (the language server's are `gantry`). */
export const RIGHT_SIZE_SOURCE = 'gantry runs';
const DEBOUNCE_MS = 300;

export class RightSizing implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly collection = vscode.languages.createDiagnosticCollection(RIGHT_SIZE_SOURCE);
  private readonly byUri = new Map<string, { version: number; problems: Problem[] }>();
  private readonly debounce = new Debounce(DEBOUNCE_MS);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly lastOutcome: LastOutcome) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
    this.refresh();
  }

  /** A run ended and its figures were kept: every open spec is looked at again. */
  refresh(): void {
    this.byUri.clear();
    for (const d of vscode.workspace.textDocuments) this.update(d);
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return hintFixes(document, this.problemsOf(document), context, RIGHT_SIZE_SOURCE);
  }

  private schedule(document: vscode.TextDocument): void {
    this.debounce.run(document.uri.toString(), () => this.update(document));
  }

  private update(document: vscode.TextDocument): void {
    const problems = this.problemsOf(document);
    if (!problems.length) {
      this.collection.delete(document.uri);
      return;
    }
    this.collection.set(document.uri, hintDiagnostics(document, problems, RIGHT_SIZE_SOURCE));
  }

  /** The right-sizing problems of a document at its current version (computed once per version). */
  private problemsOf(document: vscode.TextDocument): Problem[] {
    if (document.uri.scheme !== 'file' || document.isClosed || !(document.languageId === 'yaml' || /\.gantry\.ya?ml$/.test(document.uri.path))) return [];
    const key = document.uri.toString();
    const hit = this.byUri.get(key);
    if (hit && hit.version === document.version) return hit.problems;
    const problems = this.compute(document);
    this.byUri.set(key, { version: document.version, problems });
    return problems;
  }

  private compute(document: vscode.TextDocument): Problem[] {
    const text = document.getText();
    if (!mayHoldRunnable(text)) return [];
    const parsed = parseSpecFile(text);
    const out: Problem[] = [];
    for (const d of findSpecDocs(text, parsed).filter(isRunnable)) {
      const outcome = d.name ? this.lastOutcome(document.uri.fsPath, d.name) : undefined;
      const doc = parsed.find((p) => p.index === d.docIndex);
      if (!outcome || !doc) continue;
      try {
        out.push(...rightSizeInText(text, doc, { doc: d.value, cluster: clustersOf(document.uri, d)[0], outcome }));
      } catch {
        // A spec the estimator cannot read gets no advice; its problems are the language server's to show.
      }
    }
    return out;
  }

  private forget(uri: vscode.Uri): void {
    this.byUri.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    this.debounce.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
