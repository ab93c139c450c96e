// `▶ Run` above each TrainingJob and InferenceService in a YAML file.
import * as vscode from 'vscode';
import { findSpecDocs, isRunnable } from '../../core/runs/specDocs';

export class RunCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    // Cheap rejection of the many YAML files that are not specs.
    if (!/^\s*kind:\s*["']?(TrainingJob|InferenceService)\b/m.test(text)) return [];
    return findSpecDocs(text)
      .filter(isRunnable)
      .map((d) => {
        const pos = document.positionAt(d.offset);
        return new vscode.CodeLens(new vscode.Range(pos, pos), {
          title: '▶ Run',
          tooltip: `Run ${d.kind} ${d.name || '(unnamed)'}`,
          command: 'gantry.run',
          arguments: [document.uri, d.docIndex],
        });
      });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
