// "Gantry: Preview Batch Script": the exact script a Slurm run submits, in a read-only editor (a
// content provider's document cannot be edited, unlike an untitled one, so nobody mistakes an edit
// there for a change to what runs).
import * as vscode from 'vscode';

export const BATCH_SCRIPT_SCHEME = 'gantry-batch-script';

export class BatchScriptPreviews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(BATCH_SCRIPT_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Opens (or refreshes) the preview of `name`'s script beside the spec. */
  async show(name: string, specFile: string, text: string): Promise<vscode.TextEditor> {
    const safe = name.replace(/[^\w.-]+/g, '_') || 'job';
    const uri = vscode.Uri.from({ scheme: BATCH_SCRIPT_SCHEME, path: `/${safe}.sbatch`, query: specFile });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'shellscript').then(undefined, () => doc);
    return vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
