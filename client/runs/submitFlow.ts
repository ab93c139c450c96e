// From "▶ Run" to a submitted run: workspace trust, the spec's own errors (said with where), the
// plan, the confirmation that shows exactly what will run, and one submission per click however
// often the person clicks.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { findSpecDocs, isRunnable, type RunnableDoc } from '../../core/runs/specDocs';
import { resolveCluster, scanClustersSync } from '../../core/workspace/workspace';
import { planLaunch } from '../../core/runs/plan';
import { describePlan } from '../../core/runs/plan';
import type { LaunchPlan, RunRecord } from '../../core/runs/types';
import type { ClusterDoc } from '../../core/spec/types';
import { batchScriptFor, batchScriptOf, withBatchScript } from '../../core/runs/slurm/planScript';
import type { RunsController } from './controller';
import { runsConfig } from './config';
import { SubmitDiagnostics } from './submitDiagnostics';
import type { BatchScriptPreviews } from './batchPreview';

const SKIP_CONFIRM_KEY = 'gantry.runs.skipConfirmation';

export class SubmitFlow {
  /** `uri#doc` of submissions in progress: a second click while one is open does nothing. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: RunsController,
    private readonly onSubmitted: (run: RunRecord) => void,
    /** Slurm: where refusals go (at the spec) and where the batch script is previewed. */
    private readonly slurm?: { diagnostics: SubmitDiagnostics; previews: BatchScriptPreviews },
  ) {}

  /** Runs document `docIndex` of `uri` (or the one at the cursor of the active editor). */
  async run(uri?: vscode.Uri, docIndex?: number): Promise<RunRecord | undefined> {
    const editor = vscode.window.activeTextEditor;
    const target = uri ?? editor?.document.uri;
    if (!target) {
      void vscode.window.showErrorMessage('Gantry: open a spec with a TrainingJob or InferenceService to run it.');
      return undefined;
    }
    const key = `${target.toString()}#${docIndex ?? 'cursor'}`;
    if (this.inFlight.has(key)) return undefined;
    this.inFlight.add(key);
    try {
      return await this.runOnce(target, docIndex, editor);
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async runOnce(uri: vscode.Uri, docIndex: number | undefined, editor: vscode.TextEditor | undefined): Promise<RunRecord | undefined> {
    // Messages are not awaited: the command returns at once, and the buttons act when clicked.
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Gantry: running a spec starts processes on this machine, so it needs a trusted workspace.', 'Manage Workspace Trust').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return undefined;
    }
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(`Gantry: only specs saved on disk can be run (this one is ${uri.scheme}:).`);
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const text = document.getText();
    const runnable = findSpecDocs(text).filter(isRunnable);
    const doc = pickDoc(runnable, docIndex, editor?.document.uri.toString() === uri.toString() ? document.offsetAt(editor.selection.active) : undefined);
    if (!doc) {
      void vscode.window.showErrorMessage(runnable.length ? 'Gantry: put the cursor in the TrainingJob or InferenceService to run.' : 'Gantry: this file has no TrainingJob or InferenceService to run.');
      return undefined;
    }
    const refusal = specErrors(document, doc);
    if (refusal) {
      void vscode.window.showErrorMessage(refusal.message, 'Show Problem').then(async (pick) => {
        if (!pick) return;
        const ed = await vscode.window.showTextDocument(document);
        ed.selection = new vscode.Selection(refusal.range.start, refusal.range.start);
        ed.revealRange(refusal.range, vscode.TextEditorRevealType.InCenter);
      });
      return undefined;
    }
    const clusters = clustersOf(uri, doc);
    const planned = planLaunch({ doc: doc.value, docIndex: doc.docIndex, specFile: uri.fsPath, clusters });
    if (!planned.ok) {
      void vscode.window.showErrorMessage(`Gantry: ${doc.name} was not run: ${planned.errors.join('; ')}`);
      return undefined;
    }
    const plan = this.withScript(planned.plan, doc, clusters);
    if (!plan) return undefined;
    if (!(await this.confirm(plan))) return undefined;
    let rejection: unknown;
    const run = await this.controller.submit(plan, undefined, (err) => (rejection = err));
    this.onSubmitted(run);
    if (this.slurm && SubmitDiagnostics.isSpecRefusal(rejection)) void this.slurm.diagnostics.show(plan, rejection);
    else if (run.state === 'failed') void vscode.window.showErrorMessage(`Gantry: ${run.plan.name} failed to start: ${run.reason ?? 'unknown reason'}`);
    else this.slurm?.diagnostics.clear(plan);
    return run;
  }

  /**
   * A Slurm plan gets its batch script now, so the confirmation and the preview show exactly what
   * sbatch will receive. A value no script can carry is shown at the spec and nothing runs.
   */
  private withScript(plan: LaunchPlan, doc: RunnableDoc, clusters: ClusterDoc[]): LaunchPlan | undefined {
    if (plan.backend !== 'slurm') return plan;
    try {
      return withBatchScript(plan, batchScriptFor(plan, doc.value, clusters));
    } catch (err) {
      if (this.slurm && SubmitDiagnostics.isSpecRefusal(err)) void this.slurm.diagnostics.show(plan, err);
      else void vscode.window.showErrorMessage(`Gantry: ${plan.name} was not run: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Opens the batch script that ▶ Run would submit for document `docIndex` of `uri` (or the one at the cursor). */
  async previewScript(uri?: vscode.Uri, docIndex?: number): Promise<string | undefined> {
    const editor = vscode.window.activeTextEditor;
    const target = uri ?? editor?.document.uri;
    if (!target || target.scheme !== 'file' || !this.slurm) {
      void vscode.window.showErrorMessage('Gantry: open a saved spec with a TrainingJob or InferenceService on a Slurm cluster.');
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(target);
    const text = document.getText();
    const runnable = findSpecDocs(text).filter(isRunnable);
    const doc = pickDoc(runnable, docIndex, editor?.document.uri.toString() === target.toString() ? document.offsetAt(editor.selection.active) : undefined);
    if (!doc) {
      void vscode.window.showErrorMessage('Gantry: put the cursor in the TrainingJob or InferenceService whose batch script to preview.');
      return undefined;
    }
    const clusters = clustersOf(target, doc);
    const planned = planLaunch({ doc: doc.value, docIndex: doc.docIndex, specFile: target.fsPath, clusters });
    if (!planned.ok) {
      void vscode.window.showErrorMessage(`Gantry: no batch script for ${doc.name}: ${planned.errors.join('; ')}`);
      return undefined;
    }
    if (planned.plan.backend !== 'slurm') {
      void vscode.window.showInformationMessage(`Gantry: ${doc.name} runs on the ${planned.plan.backend} backend, which uses no batch script.`);
      return undefined;
    }
    const plan = this.withScript(planned.plan, doc, clusters);
    const script = plan && batchScriptOf(plan);
    if (!plan || !script) return undefined;
    await this.slurm.previews.show(plan.name, plan.specFile, script.text);
    return script.text;
  }

  /** Re-runs a past run's spec as it is on disk now (a changed spec runs as changed). */
  async rerun(runId: string): Promise<RunRecord | undefined> {
    const past = this.controller.store.get(runId);
    if (!past) return undefined;
    return this.run(vscode.Uri.file(past.plan.specFile), past.plan.docIndex);
  }

  private async confirm(plan: LaunchPlan): Promise<boolean> {
    if (!runsConfig.confirmBeforeRun || this.context.workspaceState.get<boolean>(SKIP_CONFIRM_KEY)) return true;
    const run = 'Run';
    const always = "Run, Don't Ask Again";
    const script = batchScriptOf(plan);
    const preview = 'Preview Batch Script';
    const detail = script ? `${describePlan(plan)}\n\nbatch script (submitted as is):\n${script.text}` : describePlan(plan);
    for (;;) {
      const pick = await vscode.window.showInformationMessage(`Run ${plan.name}?`, { modal: true, detail }, run, always, ...(script && this.slurm ? [preview] : []));
      if (pick === preview && script && this.slurm) {
        // The script opens in an editor; the question comes back, as the modal closed to show it.
        await this.slurm.previews.show(plan.name, plan.specFile, script.text);
        continue;
      }
      if (pick === always) await this.context.workspaceState.update(SKIP_CONFIRM_KEY, true);
      return pick === run || pick === always;
    }
  }
}

function pickDoc(docs: RunnableDoc[], docIndex: number | undefined, cursor: number | undefined): RunnableDoc | undefined {
  if (docIndex !== undefined) return docs.find((d) => d.docIndex === docIndex);
  if (cursor !== undefined) {
    const at = docs.find((d) => cursor >= d.start && cursor <= d.end);
    if (at) return at;
  }
  return docs.length === 1 ? docs[0] : undefined;
}

/** The first Gantry error inside the document, from the language server's diagnostics. */
function specErrors(document: vscode.TextDocument, doc: RunnableDoc): { message: string; range: vscode.Range } | undefined {
  const range = new vscode.Range(document.positionAt(doc.start), document.positionAt(doc.end));
  const errors = vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) => d.severity === vscode.DiagnosticSeverity.Error && (d.source ?? '').toLowerCase().startsWith('gantry') && range.intersection(d.range))
    .sort((a, b) => a.range.start.compareTo(b.range.start));
  if (!errors.length) return undefined;
  const first = errors[0];
  const where = `${path.basename(document.uri.fsPath)}:${first.range.start.line + 1}:${first.range.start.character + 1}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return { message: `Gantry: ${doc.name} was not run: the spec has errors. ${where}: ${first.message}${more}`, range: first.range };
}

/**
 * The Cluster a document runs on, by the one resolver over the file's workspace folder (the
 * editor's unsaved texts win over the disk), as a list for planLaunch.
 */
export function clustersOf(uri: vscode.Uri, doc: RunnableDoc): ClusterDoc[] {
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.fsPath, d]));
  const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
  const cluster = resolveCluster(scanClustersSync(uri.fsPath, { root, openText: (p) => open.get(p)?.getText(), clusterFolders: vscode.workspace.getConfiguration('gantry').get<string[]>('clusterFolders', []) }), uri.fsPath, doc.value.spec);
  return cluster ? [cluster] : [];
}
