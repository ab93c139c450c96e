// The run panel's host: one webview panel, restored after a reload by a serializer, with a strict CSP
// and resources only from dist/. Messages wait until the webview says `ready`, and everything
// queued within one 100 ms tick goes as one message (≤ 10 a second). The run's log lives in the
// controller's buffer, so when the panel is re-shown or re-created it gets every line again.
import * as vscode from 'vscode';
import * as crypto from 'node:crypto';
import { diffConfig, runConfig } from '../../core/runs/compare';
import { MAX_MESSAGES_PER_SECOND, assertNever, type CompareView, type HostMessage, type RunView, type WebviewMessage } from '../../protocol/webview';
import { summarizeRun, type RunRecord } from '../../core/runs/types';
import type { RunBuffer, RunsController } from './controller';
import { runsConfig } from './config';
import { summaryLines, type RunOutcome } from '../../core/logs/versus';

export const PANEL_VIEW_TYPE = 'gantry.runPanel';
const TICK_MS = 1000 / MAX_MESSAGES_PER_SECOND;
/** Lines per tick when replaying a long log, so one message stays a few MB. */
const REPLAY_LINES_PER_TICK = 200_000;

export function toView(r: RunRecord, outcome?: RunOutcome): RunView {
  const summary = outcome ? summaryLines(outcome) : [];
  return {
    ...summarizeRun(r),
    estimatedDeviceBytesPerGpu: r.plan.estimatedDeviceBytesPerGpu,
    gpuIndices: r.plan.gpuIndices,
    ...(typeof r.handle.outputHint === 'string' && r.handle.outputHint ? { outputHint: r.handle.outputHint } : {}),
    ...(summary.length ? { summary } : {}),
  };
}

export interface PanelActions {
  rerun(runId: string): void;
  /** Compare a run with another of its spec (asks which). */
  compare(runId: string): void;
}

export class RunPanel implements vscode.Disposable {
  private static current?: RunPanel;
  private ready = false;
  private queue: HostMessage[] = [];
  private timer?: NodeJS.Timeout;
  private selectedId?: string;
  private bufferSub?: vscode.Disposable;
  /** Lines of the selected run's buffer already queued for the webview. */
  private sent = 0;
  /** The comparison shown (sent again when the webview reloads). */
  private pendingCompare?: { aId: string; bId: string };
  private readonly disposables: vscode.Disposable[] = [];

  /** Shows the one panel (creating it if needed), optionally on a run. */
  static show(context: vscode.ExtensionContext, controller: RunsController, actions: PanelActions, runId?: string): RunPanel {
    if (RunPanel.current) {
      RunPanel.current.panel.reveal(undefined, true);
      if (runId) RunPanel.current.select(runId, true);
      return RunPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Gantry Runs', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, RunPanel.options(context));
    RunPanel.current = new RunPanel(panel, context, controller, actions, runId);
    return RunPanel.current;
  }

  static get instance(): RunPanel | undefined {
    return RunPanel.current;
  }

  static options(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')] };
  }

  static registerSerializer(context: vscode.ExtensionContext, controller: RunsController, actions: PanelActions): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        panel.webview.options = RunPanel.options(context);
        RunPanel.current?.dispose();
        const selectedId = (state as { selectedId?: string } | undefined)?.selectedId;
        RunPanel.current = new RunPanel(panel, context, controller, actions, selectedId);
      },
    });
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly controller: RunsController,
    private readonly actions: PanelActions,
    runId?: string,
  ) {
    this.selectedId = runId;
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      // A hidden webview is torn down (retainContextWhenHidden is off); on show it loads again,
      // says `ready`, and gets the snapshot and the buffered log again.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      controller.onRunChange.event((run) => {
        this.post({ type: 'run/state', runs: [toView(run, controller.outcome(run.id))] });
        // A compared run that ends or gets its figures: the comparison says so (its GPU history stays).
        const c = this.pendingCompare;
        if (c && (c.aId === run.id || c.bId === run.id)) {
          const view = compareView(controller, c.aId, c.bId);
          if (view) this.post({ type: 'compare/show', compare: view });
        }
        if (run.id === this.selectedId) controller.watchSlurmGpus(run.id);
      }),
      controller.onGpuSamples.event((samples) => this.post({ type: 'telemetry/append', samples })),
      controller.onTelemetryStatus.event((status) => this.post({ type: 'telemetry/status', status })),
      controller.onHealth.event((events) => this.post({ type: 'health/append', events })),
    );
  }

  /** Queues a message; sent on the next tick once the webview is ready. */
  post(m: HostMessage): void {
    if (!this.ready) return; // everything is re-sent from the snapshot on `ready`
    this.queue.push(m);
    if (!this.timer) this.timer = setTimeout(() => this.flush(), TICK_MS);
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.ready) return;
    this.pumpLog();
    const batch = coalesce(this.queue);
    this.queue = [];
    if (!batch.length) return;
    void this.panel.webview.postMessage(batch.length === 1 ? batch[0] : { type: 'batch', messages: batch });
    if (this.sent < (this.selectedBuffer()?.length ?? 0)) this.timer = setTimeout(() => this.flush(), TICK_MS);
  }

  private selectedBuffer(): RunBuffer | undefined {
    return this.selectedId ? this.controller.buffer(this.selectedId) : undefined;
  }

  /** Moves the next lines of the selected run's buffer into the queue (bounded per tick). */
  private pumpLog(): void {
    const buf = this.selectedBuffer();
    if (!buf || this.sent >= buf.length) return;
    let line = 0;
    let budget = REPLAY_LINES_PER_TICK;
    const chunks = [];
    for (const c of buf.chunks) {
      const end = line + c.lines.length;
      if (end > this.sent && budget > 0) {
        const from = Math.max(0, this.sent - line);
        const to = Math.min(c.lines.length, from + budget);
        chunks.push({ ...c, lines: from === 0 && to === c.lines.length ? c.lines : c.lines.slice(from, to) });
        budget -= to - from;
      }
      line = end;
      if (budget <= 0) break;
    }
    const start = this.sent;
    const count = chunks.reduce((n, c) => n + c.lines.length, 0);
    const endLine = start + count;
    const marks = buf.marks.filter((m) => m.line >= start && m.line < endLine);
    const points = buf.points.filter((p) => p.line >= start && p.line < endLine);
    this.sent = endLine;
    this.queue.push({ type: 'log/append', runId: buf.runId, start, chunks, marks });
    if (points.length) this.queue.push({ type: 'metrics/append', runId: buf.runId, points });
  }

  /** Shows `runId`; `fresh`: the webview has just (re)loaded, so a Prometheus history is fetched again. */
  select(runId: string, tellWebview: boolean, fresh = false): void {
    this.selectedId = runId;
    // A Slurm run's GPUs are sampled only while the panel shows it (an srun step per sampled job).
    this.controller.watchSlurmGpus(runId, { again: fresh });
    this.bufferSub?.dispose();
    const buf = this.controller.buffer(runId);
    this.sent = 0;
    this.bufferSub = buf.onAppend.event(() => {
      if (this.ready && !this.timer) this.timer = setTimeout(() => this.flush(), TICK_MS);
    });
    if (tellWebview) this.post({ type: 'run/show', runId });
    this.post({ type: 'log/reset', runId });
    if (this.ready && !this.timer) this.timer = setTimeout(() => this.flush(), TICK_MS);
  }

  private onMessage(m: WebviewMessage): void {
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        this.queue = [];
        const runs = this.controller.runs();
        const selectedId = this.selectedId ?? m.selectedId ?? runs[0]?.id;
        this.queue.push({ type: 'runs/snapshot', runs: runs.map((r) => toView(r, this.controller.outcome(r.id))), selectedId, config: { windowMs: runsConfig.chartWindowMinutes * 60_000 } });
        this.queue.push({ type: 'telemetry/status', status: this.controller.telemetry });
        if (selectedId) this.select(selectedId, false, true);
        this.flush();
        if (this.pendingCompare) this.showCompare(this.pendingCompare.aId, this.pendingCompare.bId);
        break;
      }
      case 'run/select':
        this.select(m.runId, false);
        break;
      case 'run/cancel':
        void this.controller.cancel(m.runId).catch((e: Error) => vscode.window.showErrorMessage(`Gantry: could not cancel: ${e.message}`));
        break;
      case 'run/rerun':
        this.actions.rerun(m.runId);
        break;
      case 'spec/open': {
        const run = this.controller.store.get(m.runId);
        if (run) void vscode.window.showTextDocument(vscode.Uri.file(run.plan.specFile), { viewColumn: vscode.ViewColumn.One });
        break;
      }
      case 'log/openRaw': {
        const run = this.controller.store.get(m.runId);
        const src = run?.logs.find((l) => l.stream === m.stream) ?? run?.logs[0];
        if (src) void vscode.window.showTextDocument(vscode.Uri.file(src.path), { viewColumn: vscode.ViewColumn.One, preview: true });
        else void vscode.window.showInformationMessage('Gantry: this run has no log file yet.');
        break;
      }
      case 'log/copy':
        void vscode.env.clipboard.writeText(m.text);
        break;
      case 'compare/pick':
        this.actions.compare(m.runId);
        break;
      case 'compare/close':
        this.pendingCompare = undefined;
        break;
      default:
        assertNever(m);
    }
  }

  /** Shows two runs side by side; their GPU histories follow as they arrive. */
  showCompare(aId: string, bId: string): void {
    const view = compareView(this.controller, aId, bId);
    if (!view) return;
    this.pendingCompare = { aId, bId };
    this.post({ type: 'compare/show', compare: view });
    for (const side of [view.a, view.b]) {
      void this.controller.compareGpu(side.run.id).then((r) => {
        if (this.pendingCompare?.aId === aId && this.pendingCompare.bId === bId) this.post({ type: 'compare/gpu', runId: side.run.id, samples: r.samples, ...(r.note ? { note: r.note } : {}) });
      });
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = crypto.randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.css'));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Gantry Runs</title>
</head>
<body>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (RunPanel.current === this) RunPanel.current = undefined;
    this.controller.watchSlurmGpus(undefined);
    clearTimeout(this.timer);
    this.bufferSub?.dispose();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

/** Two runs side by side: configurations key by key (changes first), figures; the GPU histories come later. */
export function compareView(controller: RunsController, aId: string, bId: string): CompareView | undefined {
  const a = controller.store.get(aId);
  const b = controller.store.get(bId);
  if (!a || !b) return undefined;
  const ca = runConfig(controller.store, a);
  const cb = runConfig(controller.store, b);
  const side = (r: RunRecord, from: 'spec' | 'plan') => {
    const o = controller.outcome(r.id);
    return { run: toView(r, o), configFrom: from, figures: o ? summaryLines(o) : [], gpu: [], gpuNote: 'loading…' };
  };
  return { a: side(a, ca.from), b: side(b, cb.from), rows: diffConfig(ca.doc, cb.doc, { changedFirst: true }) };
}

/** Merges consecutive messages of one kind so a tick sends one of each. */
function coalesce(queue: HostMessage[]): HostMessage[] {
  const out: HostMessage[] = [];
  for (const m of queue) {
    const last = out[out.length - 1];
    if (last?.type === 'run/state' && m.type === 'run/state') {
      const byId = new Map(last.runs.map((r) => [r.id, r]));
      for (const r of m.runs) byId.set(r.id, r);
      out[out.length - 1] = { type: 'run/state', runs: [...byId.values()] };
    } else if (last?.type === 'telemetry/append' && m.type === 'telemetry/append') {
      out[out.length - 1] = { type: 'telemetry/append', samples: last.samples.concat(m.samples) };
    } else out.push(m);
  }
  return out;
}
