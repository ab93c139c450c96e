// Slurm's refusals shown at the spec: a 'gantry-submit' diagnostic with Slurm's own message on the
// field it concerns (in the job's file or its Cluster's), plus an error notification whose "Show"
// reveals it. A file's diagnostics go when it is edited or when a later submission of the same
// spec is accepted.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { locateSpecTarget, targetOfScriptPath, type SpecTarget } from '../../core/runs/slurm/specLocation';
import { BatchScriptError, SlurmSubmitError } from '../../core/runs/slurm/index';
import type { LaunchPlan } from '../../core/runs/types';
import { findSpecDocs } from '../../core/runs/specDocs';
import { readSpecSync, resolveClusterEntry, scanClustersSync } from '../../core/workspace/workspace';

export const SUBMIT_DIAGNOSTICS = 'gantry-submit';

export class SubmitDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SUBMIT_DIAGNOSTICS);
  /** Spec file → the files that hold diagnostics from its last refusal. */
  private readonly bySpec = new Map<string, string[]>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
      }),
    );
  }

  /** Whether `err` is a refusal that belongs at the spec (Slurm's, or a value no batch script can carry). */
  static isSpecRefusal(err: unknown): err is SlurmSubmitError | BatchScriptError {
    return err instanceof SlurmSubmitError || err instanceof BatchScriptError;
  }

  /** Puts the refusal on its field and tells the person, with a "Show" that goes there. */
  async show(plan: LaunchPlan, err: SlurmSubmitError | BatchScriptError): Promise<void> {
    this.clear(plan);
    const target: SpecTarget | undefined = err instanceof SlurmSubmitError ? err.specPath : targetOfScriptPath(err.path);
    const located = locateSpecTarget(plan, specFiles(plan.specFile, plan.docIndex), target);
    const text = err instanceof SlurmSubmitError ? `Slurm rejected the job: ${err.slurmMessage}` : err.message;
    let where: vscode.Location | undefined;
    if (located) {
      const uri = vscode.Uri.file(located.file);
      const doc = await vscode.workspace.openTextDocument(uri);
      const range = new vscode.Range(doc.positionAt(located.offset), doc.positionAt(located.offset + located.length));
      const d = new vscode.Diagnostic(range, text, vscode.DiagnosticSeverity.Error);
      d.source = SUBMIT_DIAGNOSTICS;
      if (located.file !== plan.specFile) d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(plan.specFile), new vscode.Position(0, 0)), `submitting ${plan.name}`)];
      this.collection.set(uri, [...(this.collection.get(uri) ?? []), d]);
      this.bySpec.set(plan.specFile, [located.file]);
      where = new vscode.Location(uri, range);
    }
    const label = where ? ` (${path.basename(where.uri.fsPath)}:${where.range.start.line + 1})` : '';
    void vscode.window.showErrorMessage(`Gantry: ${plan.name} was not submitted: ${text}${label}`, ...(where ? ['Show'] : [])).then(async (pick) => {
      if (pick !== 'Show' || !where) return;
      const editor = await vscode.window.showTextDocument(where.uri);
      editor.selection = new vscode.Selection(where.range.start, where.range.end);
      editor.revealRange(where.range, vscode.TextEditorRevealType.InCenter);
    });
  }

  /** Drops what the last refusal of this spec left (after an accepted submission). */
  clear(plan: LaunchPlan): void {
    for (const f of this.bySpec.get(plan.specFile) ?? []) this.collection.delete(vscode.Uri.file(f));
    this.bySpec.delete(plan.specFile);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The spec file and the file of the Cluster it runs on (the one resolver), as the editor has them (unsaved text included). */
function specFiles(specFile: string, docIndex: number): { path: string; text: string }[] {
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.fsPath, d]));
  const openText = (p: string): string | undefined => open.get(p)?.getText();
  const own = openText(specFile) ?? readSpecSync(specFile);
  if (own === undefined) return [];
  const out = [{ path: specFile, text: own }];
  const job = findSpecDocs(own).find((d) => d.docIndex === docIndex);
  if (!job) return out;
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(specFile))?.uri.fsPath ?? path.dirname(specFile);
  const entry = resolveClusterEntry(scanClustersSync(specFile, { root, openText, clusterFolders: vscode.workspace.getConfiguration('gantry').get<string[]>('clusterFolders', []) }), specFile, (job.value as { spec?: unknown } | undefined)?.spec);
  if (entry && entry.file !== specFile) {
    const text = openText(entry.file) ?? readSpecSync(entry.file);
    if (text !== undefined) out.push({ path: entry.file, text });
  }
  return out;
}
