// Run features: the ▶ Run code lens, the run commands, the run panel and the status-bar item. One
// RunsController per window holds the store, backends, log buffers and the GPU sampler.
import * as vscode from 'vscode';
import { RunsController } from './controller';
import { calibrateSetting, RunCodeLensProvider } from './codeLens';
import { RightSizing } from './rightSizing';
import { LocalMachine } from './localMachine';
import { calibrate, outcomesOnCluster } from '../../core/calibrate/calibrate';
import { RunPanel } from './panel';
import { clustersOf, SubmitFlow } from './submitFlow';
import { prometheusToken, setPrometheusToken } from './promMetrics';
import { createStatusBar } from './statusBar';
import { SubmitDiagnostics } from './submitDiagnostics';
import { BatchScriptPreviews } from './batchPreview';
import { previewManifest } from './manifestPreview';
import { isTerminal, type Backend, type BackendId, type RunRecord } from '../../core/runs/types';
import { getBackend } from '../../core/runs/backends';
import { onStoreError } from '../../core/runs/submit';
import { pickRunsToCompare } from './compare';

/** What the run features expose to tests (returned by activateRuns; the extension ignores it). */
export interface RunsApi {
  controller: RunsController;
  submit: SubmitFlow;
  /** The backend instance serving `id` in this extension host (tests read the Slurm backend's squeue count). */
  backend(id: BackendId): Backend | undefined;
}

export function activateRuns(context: vscode.ExtensionContext): RunsApi {
  const controller = RunsController.forWorkspace(context);
  controller.prometheusToken = (url) => prometheusToken(context.secrets, url);
  onStoreError((err, runId) => void vscode.window.showErrorMessage(`Gantry: could not record the state of run ${runId} in ${controller.store.runsDir}: ${err.message}`));
  context.subscriptions.push(controller);
  const compare = async (firstId?: string) => {
    const pair = await pickRunsToCompare(controller, firstId);
    if (pair) showPanel().showCompare(pair[0], pair[1]);
  };
  const actions = { rerun: (id: string) => void flow.rerun(id), compare: (id: string) => void compare(id) };
  const showPanel = (runId?: string) => RunPanel.show(context, controller, actions, runId);
  const slurm = { diagnostics: new SubmitDiagnostics(), previews: new BatchScriptPreviews() };
  context.subscriptions.push(slurm.diagnostics, slurm.previews);
  const flow = new SubmitFlow(context, controller, (run) => showPanel(run.id), slurm);
  const lastOutcome = (file: string, name: string) => controller.lastOutcome(file, name);
  const lens = new RunCodeLensProvider(lastOutcome, {
    enabled: calibrateSetting,
    clusterOf: (uri, doc) => clustersOf(uri, doc)[0],
    of: (cluster) => calibrate(cluster, outcomesOnCluster(controller.store, cluster)),
  });
  const rightSizing = new RightSizing(lastOutcome);
  const machine = new LocalMachine();
  const specs = [{ language: 'yaml' }, { pattern: '**/*.gantry.{yaml,yml}' }];

  context.subscriptions.push(
    lens,
    rightSizing,
    controller.onOutcome.event(() => {
      lens.refresh();
      rightSizing.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gantry.estimates.calibrate')) lens.refresh();
    }),
    vscode.languages.registerCodeActionsProvider(specs, rightSizing, RightSizing.metadata),
    machine,
    vscode.languages.registerCodeActionsProvider(specs, machine, LocalMachine.metadata),
    vscode.languages.registerCodeLensProvider(specs, lens),
    RunPanel.registerSerializer(context, controller, actions),
    createStatusBar(controller),
    vscode.commands.registerCommand('gantry.run', (uri?: vscode.Uri, docIndex?: number) => flow.run(uri instanceof vscode.Uri ? uri : undefined, typeof docIndex === 'number' ? docIndex : undefined)),
    vscode.commands.registerCommand('gantry.previewBatchScript', (uri?: vscode.Uri, docIndex?: number) => flow.previewScript(uri instanceof vscode.Uri ? uri : undefined, typeof docIndex === 'number' ? docIndex : undefined)),
    vscode.commands.registerCommand('gantry.previewKubernetesManifest', (uri?: vscode.Uri, docIndex?: number) => previewManifest(String(context.extension.packageJSON.version ?? ''), uri instanceof vscode.Uri ? uri : undefined, typeof docIndex === 'number' ? docIndex : undefined)),
    vscode.commands.registerCommand('gantry.setPrometheusToken', async (url?: string) => {
      await setPrometheusToken(context, typeof url === 'string' ? url : undefined);
      // A refused token stopped the reading: try again with the new one.
      controller.retryPrometheus();
    }),
    vscode.commands.registerCommand('gantry.compareRuns', (runId?: string) => compare(typeof runId === 'string' ? runId : undefined)),
    vscode.commands.registerCommand('gantry.showRuns', (runId?: string) => {
      showPanel(typeof runId === 'string' ? runId : undefined);
    }),
    vscode.commands.registerCommand('gantry.cancelRun', async (runId?: string) => {
      const id = typeof runId === 'string' ? runId : await pickRun(controller, 'Cancel which run?', (r) => !isTerminal(r.state));
      if (!id) return undefined;
      return controller.cancel(id);
    }),
    vscode.commands.registerCommand('gantry.rerun', async (runId?: string) => {
      const id = typeof runId === 'string' ? runId : await pickRun(controller, 'Re-run which run?', () => true);
      return id ? flow.rerun(id) : undefined;
    }),
    vscode.commands.registerCommand('gantry.openRunLog', async (runId?: string) => {
      const id = typeof runId === 'string' ? runId : await pickRun(controller, 'Open the log of which run?', () => true);
      const run = id ? controller.store.get(id) : undefined;
      if (run?.logs[0]) await vscode.window.showTextDocument(vscode.Uri.file(run.logs[0].path));
    }),
  );
  void controller.start().catch((e: Error) => vscode.window.showWarningMessage(`Gantry: could not read the runs in ${controller.store.runsDir}: ${e.message}`));
  return { controller, submit: flow, backend: getBackend };
}

async function pickRun(controller: RunsController, title: string, filter: (r: RunRecord) => boolean): Promise<string | undefined> {
  const items = controller
    .runs()
    .filter(filter)
    .map((r) => ({ label: r.plan.name, description: `${r.state} · ${r.plan.backend}`, detail: r.id, id: r.id }));
  if (!items.length) {
    void vscode.window.showInformationMessage('Gantry: no such runs.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title }))?.id;
}
