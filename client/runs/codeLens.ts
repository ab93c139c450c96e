// `▶ Run` above each TrainingJob and InferenceService in a YAML file, and beside it, once a run of
// that document has ended, `last run: 61.2 GiB peak (est. 57.7, −6 %) · …` (core/logs/versus.ts).
import * as vscode from 'vscode';
import { findSpecDocs, isRunnable } from '../../core/runs/specDocs';
import { compareRun, lastRunTitle, summaryLines, type RunOutcome } from '../../core/logs/versus';

/** The newest kept outcome of document `name` in `file` (the controller reads the run store). */
export type LastOutcome = (file: string, name: string) => RunOutcome | undefined;

export class RunCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly lastOutcome?: LastOutcome) {}

  /** A run ended and its figures were kept: the `last run` lenses change. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    // Cheap rejection of the many YAML files that are not specs.
    if (!/^\s*kind:\s*["']?(TrainingJob|InferenceService)\b/m.test(text)) return [];
    return findSpecDocs(text)
      .filter(isRunnable)
      .flatMap((d) => {
        const pos = document.positionAt(d.offset);
        const range = new vscode.Range(pos, pos);
        const lenses = [
          new vscode.CodeLens(range, {
            title: '▶ Run',
            tooltip: `Run ${d.kind} ${d.name || '(unnamed)'}`,
            command: 'gantry.run',
            arguments: [document.uri, d.docIndex],
          }),
        ];
        const outcome = document.uri.scheme === 'file' && d.name ? this.lastOutcome?.(document.uri.fsPath, d.name) : undefined;
        const title = outcome ? lastRunTitle(compareRun(outcome)) : undefined;
        if (outcome && title) {
          lenses.push(
            new vscode.CodeLens(range, {
              title,
              tooltip: summaryLines(outcome).join('\n'),
              command: 'gantry.showRuns',
              arguments: [outcome.runId],
            }),
          );
        }
        return lenses;
      });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
