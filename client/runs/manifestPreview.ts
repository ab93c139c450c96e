// "Gantry: Preview Kubernetes Manifest": the Deployment, LeaderWorkerSet, JobSet, … the spec's
// InferenceService or TrainingJob becomes, in an untitled YAML editor beside the spec, to be saved
// into a GitOps repository or applied with kubectl. The writer (dist/kube.js, with its schema
// validators) is loaded on the first preview, not when the extension starts.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { findSpecDocs, isRunnable } from '../../core/runs/specDocs';
import type * as Kube from '../../core/kube/index';

let kube: typeof Kube | undefined;

/** Opens the manifest for document `docIndex` of `uri` (or the one at the cursor); returns its text. */
export async function previewManifest(version: string, uri?: vscode.Uri, docIndex?: number): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const target = uri ?? editor?.document.uri;
  if (!target || target.scheme !== 'file') {
    void vscode.window.showErrorMessage('Gantry: open a saved spec with an InferenceService or TrainingJob to preview its Kubernetes manifest.');
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(target);
  const text = document.getText();
  const runnable = findSpecDocs(text).filter(isRunnable);
  const cursor = editor?.document.uri.toString() === target.toString() ? document.offsetAt(editor.selection.active) : undefined;
  const picked = docIndex ?? (cursor !== undefined ? runnable.find((d) => cursor >= d.start && cursor <= d.end)?.docIndex : undefined) ?? (runnable.length === 1 ? runnable[0].docIndex : undefined);
  if (picked === undefined) {
    void vscode.window.showErrorMessage(runnable.length ? 'Gantry: put the cursor in the InferenceService or TrainingJob whose manifest to preview.' : 'Gantry: this file has no InferenceService or TrainingJob without errors.');
    return undefined;
  }
  kube ??= require(path.join(__dirname, 'kube.js')) as typeof Kube;
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.fsPath, d]));
  const root = vscode.workspace.getWorkspaceFolder(target)?.uri.fsPath ?? path.dirname(target.fsPath);
  const made = kube.manifestFile(target.fsPath, { docIndex: picked, text, root, openText: (p) => open.get(p)?.getText(), version });
  if (!made.ok) {
    void vscode.window.showErrorMessage(`Gantry: no Kubernetes manifest: ${made.errors.join('; ')}`);
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: made.text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  return made.text;
}
