// `▶ Run` above each TrainingJob and InferenceService in a YAML file, and beside it, once a run of
// that document has ended, `last run: 61.2 GiB peak (est. 57.7, −6 %) · …` (core/logs/versus.ts);
// with gantry.estimates.calibrate on, a TrainingJob's calibrated estimate beside the raw one
// (`calibrated from 3 runs on h100-pod: …`, core/calibrate/calibrate.ts).
import * as vscode from 'vscode';
import { findSpecDocs, isRunnable, type RunnableDoc } from '../../core/runs/specDocs';
import { mayHoldRunnable } from '../../core/runs/kindScan';
import { compareRun, lastRunTitle, summaryLines, type RunOutcome } from '../../core/logs/versus';
import { calibratedTitle, calibrationLines, type Calibration } from '../../core/calibrate/calibrate';
import { estimateTrainingJob } from '../../core/estimate/index';
import { staticBytesOf } from '../../core/estimate/terms';
import type { ClusterDoc } from '../../core/spec/types';

/** The newest kept outcome of document `name` in `file` (the controller reads the run store). */
export type LastOutcome = (file: string, name: string) => RunOutcome | undefined;

/** What the calibrated lens needs: the setting, the document's Cluster, and that Cluster's factors from the run store. */
export interface CalibrationSource {
  enabled(): boolean;
  clusterOf(uri: vscode.Uri, doc: RunnableDoc): ClusterDoc | undefined;
  of(cluster: string): Calibration;
}

export const calibrateSetting = (): boolean => vscode.workspace.getConfiguration('gantry.estimates').get<boolean>('calibrate', false);

export class RunCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  private calibrations = new Map<string, Calibration>();
  private clusters = new Map<string, { version: number; cluster: ClusterDoc | undefined }>();

  constructor(
    private readonly lastOutcome?: LastOutcome,
    private readonly calibration?: CalibrationSource,
  ) {}

  /** A run ended and its figures were kept (or the setting changed): the `last run` and calibrated lenses change. */
  refresh(): void {
    this.calibrations.clear();
    this.clusters.clear();
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    // Cheap rejection of the many YAML files that are not specs.
    if (!mayHoldRunnable(text)) return [];
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
        const calibrated = d.value.kind === 'TrainingJob' && this.calibration?.enabled() ? this.calibratedLens(document.uri, d, range) : undefined;
        if (calibrated) lenses.push(calibrated);
        return lenses;
      });
  }

  private calibratedLens(uri: vscode.Uri, d: RunnableDoc, range: vscode.Range): vscode.CodeLens | undefined {
    if (d.value.kind !== 'TrainingJob' || !this.calibration) return undefined;
    // The workspace scan for the Cluster runs once per document version, not on every lens request.
    const key = `${uri.toString()}#${d.docIndex}`;
    const version = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString())?.version ?? -1;
    let known = this.clusters.get(key);
    if (!known || known.version !== version) {
      known = { version, cluster: this.calibration.clusterOf(uri, d) };
      this.clusters.set(key, known);
    }
    const cluster = known.cluster;
    if (!cluster) return undefined;
    const name = cluster.metadata.name;
    let cal = this.calibrations.get(name);
    if (!cal) {
      cal = this.calibration.of(name);
      this.calibrations.set(name, cal);
    }
    let raw: { deviceBytes?: number; staticBytes?: number; tokensPerSecondPerGpu?: number };
    try {
      const e = estimateTrainingJob(d.value, cluster, { noFixes: true });
      raw = { ...(e.memory ? { deviceBytes: e.memory.perGpu.deviceBytes, staticBytes: staticBytesOf(e.memory) } : {}), ...(e.time ? { tokensPerSecondPerGpu: e.time.tokensPerSecondPerGpu } : {}) };
    } catch {
      return undefined; // the language server shows what is wrong with the spec
    }
    // A click opens the setting that turns it off.
    return new vscode.CodeLens(range, { title: calibratedTitle(raw, cal), tooltip: calibrationLines(cal).join('\n'), command: 'workbench.action.openSettings', arguments: ['gantry.estimates.calibrate'] });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
