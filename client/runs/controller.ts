// The runs context of one window: the store of the workspace, the backends, the log buffers the host
// keeps for the panel (so a reopened or re-shown panel gets every line again), the GPU sampler, and
// events for the panel and the status bar. Lifetime: the extension's.
import * as vscode from 'vscode';
import * as path from 'node:path';
import * as os from 'node:os';
import * as fs from 'node:fs';
import { unusable } from '../../core/workspace/readBeside';
import { RunStore, findStoreRoot } from '../../core/runs/store';
import { isSlurmRun, isTerminal, withOutputHint, type LaunchPlan, type LogSource, type RunRecord } from '../../core/runs/types';
import { cancelRun, reattachRuns, submitRun } from '../../core/runs/submit';
import { configureLocalBackend, disposeBackends, getBackend } from '../../core/runs/backends';
import { registerDefaultBackends } from '../../core/runs/defaultBackends';
import { SlurmBackend, type SlurmGpuMetrics } from '../../core/runs/slurm/index';
import { followRunLogs, type RunLogs } from '../../core/runs/runLogs';
import { detectError } from '../../core/logs/errors';
import { splitByRank } from '../../core/logs/prefix';
import { compileMetricPattern, parseTrainingLine } from '../../core/logs/metrics';
import { GpuSampler } from '../../core/telemetry/sampler';
import type { GpuPoint, HealthEvent, LogChunk, LogMark, TelemetryStatus, TrainPoint } from '../../protocol/webview';
import { keepSpecSnapshot } from '../../core/runs/compare';
import { runsConfig } from './config';
import { logDiskProblem, logWriteNote } from '../../core/runs/logDisk';
import { buildOutcome, lastOutcome, loadOutcome, saveOutcome } from '../../core/runs/outcome';
import type { RunOutcome } from '../../core/logs/versus';
import { PeakTracker } from '../../core/telemetry/peak';
import { PrometheusGpuSource } from '../../core/telemetry/promSource';
import { hostsOf, prometheusOf } from './promMetrics';

/** How often the file system under a live local run's logs is checked (a statfs, no write). */
const LOG_DISK_CHECK_MS = 5000;

/** A run's log as the host keeps it: every line (display form), its source, marks and metrics. */
export class RunBuffer {
  readonly chunks: LogChunk[] = [];
  length = 0;
  readonly marks: LogMark[] = [];
  readonly points: TrainPoint[] = [];
  private follower?: RunLogs;
  readonly onAppend = new vscode.EventEmitter<{ start: number; marks: LogMark[]; points: TrainPoint[] }>();
  private readonly lastRank = new Map<string, number | undefined>();

  constructor(
    readonly runId: string,
    store: RunStore,
    pattern: RegExp | undefined,
  ) {
    this.follower = followRunLogs(store, runId, (src: LogSource, lines) => {
      const start = this.length;
      const marks: LogMark[] = [];
      const points: TrainPoint[] = [];
      const t = Date.now();
      for (let i = 0; i < lines.length; i++) {
        const e = detectError(lines[i]);
        if (e) marks.push({ line: start + i, kind: e.kind, summary: e.summary });
        const p = parseTrainingLine(lines[i], pattern);
        if (p) points.push({ line: start + i, t, ...p });
      }
      const stream = src.stream === 'stderr' ? 'stderr' : 'stdout';
      // One file per rank carries its rank; a launcher's combined output carries it in prefixes.
      const parts = src.rank !== undefined ? [{ rank: src.rank, lines }] : splitByRank(lines, this.lastRank.get(src.path));
      for (const part of parts) {
        const chunk: LogChunk = { stream, ...(part.rank !== undefined ? { rank: part.rank } : {}), lines: part.lines };
        this.chunks.push(chunk);
      }
      if (src.rank === undefined && parts.length) this.lastRank.set(src.path, parts[parts.length - 1].rank);
      this.length += lines.length;
      this.marks.push(...marks);
      this.points.push(...points);
      this.onAppend.fire({ start, marks, points });
    });
  }

  dispose(): void {
    this.follower?.stop();
    this.onAppend.dispose();
  }
}

export class RunsController implements vscode.Disposable {
  readonly store: RunStore;
  readonly onRunChange = new vscode.EventEmitter<RunRecord>();
  readonly onGpuSamples = new vscode.EventEmitter<GpuPoint[]>();
  readonly onTelemetryStatus = new vscode.EventEmitter<TelemetryStatus>();
  private readonly buffers = new Map<string, RunBuffer>();
  private sampler?: GpuSampler;
  private samplerStopTimer?: NodeJS.Timeout;
  telemetry: TelemetryStatus = { state: 'off', source: 'live' };
  private noGpu = false;
  /** The overlapping srun step sampling the GPUs of the Slurm run the panel shows, if any. */
  private slurmMetrics?: { runId: string; metrics: SlurmGpuMetrics };
  private readonly disposables: vscode.Disposable[] = [];
  /** Live local runs whose logs cannot be written, with the panel's note (kept in memory: the disk may be full). */
  private readonly logNotes = new Map<string, string>();
  private logDiskTimer?: NodeJS.Timeout;
  /** What telemetry saw of each live run's GPUs, kept into its outcome when it ends. */
  private readonly peaks = new Map<string, PeakTracker>();
  /** Runs whose outcome this window is building or has built. */
  private readonly outcomes = new Map<string, RunOutcome | null>();
  /** A run's outcome was kept (figures.json written): the `last run` lens and the panel refresh. */
  readonly onOutcome = new vscode.EventEmitter<RunOutcome>();
  private readonly lastByDoc = new Map<string, RunOutcome | null>();
  /** GPU health events (XID…) of the run the metrics source watches. */
  readonly onHealth = new vscode.EventEmitter<HealthEvent[]>();

  constructor(storeRoot: string) {
    this.store = new RunStore(storeRoot);
    configureLocalBackend({ graceMs: runsConfig.cancelGraceSeconds * 1000 });
    registerDefaultBackends();
    this.store.on('change', (run) => {
      this.lastByDoc.clear();
      if (isTerminal(run.state)) this.keepOutcome(run);
      this.onRunChange.fire(this.withLogNote(run));
      this.updateSampler();
      this.updateLogDiskCheck();
      if (this.slurmMetrics?.runId === run.id && isTerminal(run.state)) this.watchSlurmGpus(undefined);
    });
  }

  static forWorkspace(context: vscode.ExtensionContext): RunsController {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const root = folder?.scheme === 'file' ? findStoreRoot(folder.fsPath) : path.join(context.globalStorageUri.fsPath || os.tmpdir(), '.gantry');
    return new RunsController(root);
  }

  /** Watches the store (other windows, the CLI) and picks up runs that were live before a reload. */
  async start(): Promise<void> {
    this.store.watch(500);
    await reattachRuns(this.store);
    this.updateSampler();
    this.updateLogDiskCheck();
  }

  runs(): RunRecord[] {
    return this.store
      .list()
      .map((s) => this.store.get(s.id))
      .filter((r): r is RunRecord => !!r)
      .map((r) => this.withLogNote(r));
  }

  /** The kept outcome of a run (measured figures beside the estimate), once it has ended. */
  outcome(runId: string): RunOutcome | undefined {
    const known = this.outcomes.get(runId);
    if (known !== undefined) return known ?? undefined;
    const o = loadOutcome(this.store, runId);
    if (o) this.outcomes.set(runId, o);
    return o;
  }

  /** The newest ended run of document `name` in `specFile` with kept figures (the `last run` lens). */
  lastOutcome(specFile: string, name: string): RunOutcome | undefined {
    // Lenses are asked for on every edit: the answer is kept until a run changes.
    const key = `${specFile}\0${name}`;
    if (!this.lastByDoc.has(key)) this.lastByDoc.set(key, lastOutcome(this.store, specFile, name) ?? null);
    return this.lastByDoc.get(key) ?? undefined;
  }

  /** Reads the ended run's logs once for measured figures and keeps them beside the run. */
  private keepOutcome(run: RunRecord): void {
    if (this.outcomes.has(run.id) || loadOutcome(this.store, run.id)) return;
    this.outcomes.set(run.id, null);
    const peak = this.peaks.get(run.id)?.result(this.telemetrySourceName());
    this.peaks.delete(run.id);
    void buildOutcome(run, peak)
      .then((o) => {
        saveOutcome(this.store, o);
        this.outcomes.set(run.id, o);
        this.lastByDoc.clear();
        this.onOutcome.fire(o);
        this.onRunChange.fire(this.withLogNote(this.store.get(run.id) ?? run));
      })
      .catch(() => this.outcomes.delete(run.id));
  }

  private telemetrySourceName(): string {
    return this.telemetry.via ?? (this.telemetry.source === 'replay' ? 'nvidia-smi (replayed)' : 'nvidia-smi');
  }

  /** Attributes a batch of GPU samples to live runs: a Slurm run's own step, or the local runs whose GPUs they are. */
  private notePeaks(batch: GpuPoint[], runId?: string, source?: string): void {
    const track = (id: string, pick: (p: GpuPoint) => boolean) => {
      let t = this.peaks.get(id);
      for (const p of batch) {
        if (!pick(p)) continue;
        t ??= new PeakTracker();
        t.add(p, source);
      }
      if (t) this.peaks.set(id, t);
    };
    if (runId) {
      track(runId, () => true);
      return;
    }
    for (const s of this.store.list()) {
      if (s.backend !== 'local' || isTerminal(s.state)) continue;
      const gpus = this.store.get(s.id)?.plan.gpuIndices;
      track(s.id, (p) => !gpus?.length || gpus.includes(p.gpu));
    }
  }

  /** The run as the panel shows it: a live local run whose logs cannot be written carries a note. */
  private withLogNote(run: RunRecord): RunRecord {
    const note = isTerminal(run.state) ? undefined : this.logNotes.get(run.id);
    return note ? withOutputHint(run, note) : run;
  }

  /** Checks the log file systems of live local runs while there are any; a change of note re-sends the run. */
  private updateLogDiskCheck(): void {
    const live = this.store.list().filter((r) => r.backend === 'local' && !isTerminal(r.state));
    for (const id of [...this.logNotes.keys()]) if (!live.some((r) => r.id === id)) this.logNotes.delete(id);
    if (!live.length) {
      clearInterval(this.logDiskTimer);
      this.logDiskTimer = undefined;
      return;
    }
    this.logDiskTimer ??= setInterval(() => this.checkLogDisks(), LOG_DISK_CHECK_MS);
  }

  private checkLogDisks(): void {
    for (const s of this.store.list()) {
      if (s.backend !== 'local' || isTerminal(s.state)) continue;
      const problem = logDiskProblem(this.store.runDir(s.id));
      const note = problem ? logWriteNote(problem) : undefined;
      if (note === this.logNotes.get(s.id)) continue;
      if (note) this.logNotes.set(s.id, note);
      else this.logNotes.delete(s.id);
      const run = this.store.get(s.id);
      if (run) this.onRunChange.fire(this.withLogNote(run));
    }
  }

  runningCount(): number {
    return this.store.list().filter((r) => !isTerminal(r.state)).length;
  }

  async submit(plan: LaunchPlan, rerunOf?: string, onRejected?: (err: unknown) => void): Promise<RunRecord> {
    // The spec as it is now (the editor's buffer when open): what "Compare Runs" diffs later.
    const text = specText(plan.specFile);
    const run = await submitRun(this.store, plan, { ...(rerunOf ? { rerunOf } : {}), ...(onRejected ? { onRejected } : {}) });
    try {
      if (text !== undefined) keepSpecSnapshot(this.store, run, text);
    } catch {
      // a comparison then falls back to the plan
    }
    this.updateSampler();
    return run;
  }

  /**
   * A compared run's GPU history from its Cluster's Prometheus, as one series (mean of its GPUs,
   * memory of the largest), or why there is none. Never rejects.
   */
  async compareGpu(runId: string): Promise<{ samples: GpuPoint[]; note?: string }> {
    const run = this.store.get(runId);
    const cfg = run ? prometheusOf(run) : undefined;
    if (!run || !cfg) return { samples: [], note: 'no GPU history: its Cluster names no Prometheus (nvidia-smi samples are not kept after a run)' };
    const token = await this.prometheusToken(cfg.url);
    const hosts = hostsOf(run, (r) => (getBackend('slurm') as SlurmBackend | undefined)?.hostsOf?.(r) ?? []);
    const src = new PrometheusGpuSource({
      target: { url: cfg.url, ...(token ? { token } : {}) },
      scope: { hosts },
      sinceMs: run.startedAt ?? run.submittedAt,
      untilMs: run.endedAt ?? Date.now(),
      scrapeStepS: cfg.scrapeIntervalSeconds ?? 15,
      maxPoints: 300,
      maxSeries: 0, // one series per run
      backoffBaseMs: 1000,
    });
    return new Promise((resolve) => {
      const samples: GpuPoint[] = [];
      src.on('samples', (b) => samples.push(...b.map(({ uuid: _u, ...p }) => p)));
      src.on('state', (st) => {
        if (st.kind === 'sampling') resolve({ samples, ...(st.message ? { note: st.message } : {}) });
        else if (st.kind === 'error') resolve({ samples: [], note: st.message });
        else return;
        src.stop();
      });
      src.start();
    });
  }

  async cancel(id: string): Promise<RunRecord | undefined> {
    const run = this.store.get(id);
    if (!run) return undefined;
    return cancelRun(this.store, run);
  }

  /** The host-side buffer of a run's log, started on first use. Keeps the most recent few. */
  buffer(id: string): RunBuffer {
    let b = this.buffers.get(id);
    if (b) {
      this.buffers.delete(id);
      this.buffers.set(id, b); // most recently used last
      return b;
    }
    b = new RunBuffer(id, this.store, compileMetricPattern(runsConfig.logPattern));
    this.buffers.set(id, b);
    while (this.buffers.size > 4) {
      const [oldest, buf] = this.buffers.entries().next().value as [string, RunBuffer];
      buf.dispose();
      this.buffers.delete(oldest);
    }
    return b;
  }

  /** One sampler while any local run is live; stopped a little after the last one ends. */
  private updateSampler(): void {
    const live = this.store.list().some((r) => r.backend === 'local' && !isTerminal(r.state));
    if (live && runsConfig.telemetryEnabled && !this.noGpu) {
      clearTimeout(this.samplerStopTimer);
      this.samplerStopTimer = undefined;
      if (!this.sampler) this.startSampler();
    } else if (this.sampler && !this.samplerStopTimer) {
      this.samplerStopTimer = setTimeout(() => {
        this.samplerStopTimer = undefined;
        this.sampler?.stop();
        this.sampler = undefined;
      }, 10_000);
    }
  }

  /**
   * Samples the GPUs of `runId` while it is a running Slurm run (srun --overlap on its nodes), into
   * onGpuSamples like the local sampler's, tagged by node. undefined, another run, or the run's end
   * stops the sampling step; the job itself is never touched.
   */
  watchSlurmGpus(runId: string | undefined, opts: { again?: boolean } = {}): void {
    // A Cluster with Prometheus: its dcgm-exporter metrics, no srun step.
    if (this.watchPrometheus(runId, opts)) return;
    const run = runId ? this.store.get(runId) : undefined;
    const wanted = !!run && isSlurmRun(run) && run.state === 'running' && !!run.handle.jobId && runsConfig.telemetryEnabled;
    if (this.slurmMetrics && (!wanted || this.slurmMetrics.runId !== runId)) {
      this.slurmMetrics.metrics.stop();
      this.slurmMetrics = undefined;
      this.setTelemetry({ state: 'stopped', source: 'live' });
    }
    if (!wanted || this.slurmMetrics) return;
    const backend = getBackend('slurm');
    if (!(backend instanceof SlurmBackend)) return;
    this.setTelemetry({ state: 'starting', source: 'live' });
    const metrics = backend.startGpuMetrics(run, {
      nvidiaSmi: runsConfig.telemetryCommand,
      intervalMs: runsConfig.telemetryIntervalMs,
      onSamples: (batch) => {
        if (this.telemetry.state !== 'sampling') this.setTelemetry({ state: 'sampling', source: 'live' });
        const points = batch.map((p) => ({ t: p.t, host: p.host, gpu: p.gpu, util: p.utilGpuPct, memUsedMiB: p.memUsedMiB, memTotalMiB: p.memTotalMiB, powerW: p.powerW, tempC: p.tempC, smClockMHz: p.smClockMHz }));
        this.notePeaks(points, run.id);
        this.onGpuSamples.fire(points);
      },
      onState: (state, message) => {
        if (this.slurmMetrics?.metrics !== metrics) return;
        this.setTelemetry({ state, source: 'live', ...(message ? { message } : {}) });
      },
    });
    this.slurmMetrics = { runId: run.id, metrics };
  }

  /** Where the Prometheus token comes from (the extension's secret storage; set in activateRuns). */
  prometheusToken: (url: string) => Thenable<string | undefined> = async () => undefined;
  /** The Prometheus source of the run the panel shows, when its Cluster names one. */
  private prom?: { runId: string; source: PrometheusGpuSource };
  private promWanted?: string;

  /**
   * Reads the GPU metrics of `runId` from its Cluster's Prometheus (dcgm-exporter) instead of
   * sampling them: its history since it started, then live until it ends. True when it does.
   */
  watchPrometheus(runId: string | undefined, opts: { again?: boolean } = {}): boolean {
    const run = runId ? this.store.get(runId) : undefined;
    // `again`: a panel that (re)loads has no samples: fetch the run's history from its start again.
    if (runId && !opts.again && (this.prom?.runId === runId || this.promWanted === runId)) return true;
    this.promWanted = undefined;
    if (this.prom) {
      this.prom.source.stop();
      this.prom = undefined;
      this.setTelemetry({ state: 'stopped', source: 'live' });
    }
    const cfg = run && runsConfig.telemetryEnabled ? prometheusOf(run) : undefined;
    if (!run || !cfg) return false;
    const hosts = hostsOf(run, (r) => (getBackend('slurm') as SlurmBackend | undefined)?.hostsOf?.(r) ?? []);
    const source = cfg.replayed ? 'replay' : 'live';
    const via = `Prometheus (DCGM) at ${hostOf(cfg.url)}`;
    const runIdNow = run.id;
    this.promWanted = runIdNow;
    void this.prometheusToken(cfg.url).then((token) => {
      if (this.prom || this.promWanted !== runIdNow) return;
      const src = new PrometheusGpuSource({
        target: { url: cfg.url, ...(token ? { token } : {}) },
        scope: { hosts },
        sinceMs: run.startedAt ?? run.submittedAt,
        ...(run.endedAt ? { untilMs: run.endedAt } : {}),
        intervalMs: Math.max(runsConfig.telemetryIntervalMs, (cfg.scrapeIntervalSeconds ?? 15) * 1000),
        scrapeStepS: cfg.scrapeIntervalSeconds ?? 15,
        maxPoints: 600,
      });
      this.prom = { runId: runIdNow, source: src };
      src.on('samples', (batch) => {
        const points: GpuPoint[] = batch.map(({ uuid: _uuid, ...p }) => p);
        // The figures name where they came from, whatever the panel shows when the run ends.
        if (!isTerminal(this.store.get(runIdNow)?.state ?? 'lost')) this.notePeaks(points, runIdNow, source === 'replay' ? `${via} (replayed)` : via);
        this.onGpuSamples.fire(points);
      });
      src.on('health', (events) => this.onHealth.fire(events.map((e) => ({ t: e.t, host: e.host, gpu: e.gpu, kind: e.kind, ...(e.code !== undefined ? { code: e.code } : {}), summary: e.summary }))));
      src.on('state', (st) => {
        if (this.prom?.source !== src) return;
        // The samples are the run's history from its start: the charts span the run.
        const base = { source, via, wholeRun: true } as const;
        if (st.kind === 'starting') this.setTelemetry({ state: 'starting', ...base });
        else if (st.kind === 'sampling') {
          const agg = st.level === 'host' ? `${st.gpus} GPUs, mean per host` : st.level === 'all' ? `${st.gpus} GPUs, mean of all` : undefined;
          const message = [st.message, agg].filter(Boolean).join(' · ');
          this.setTelemetry({ state: 'sampling', ...base, ...(message ? { message } : {}) });
        } else if (st.kind === 'error') this.setTelemetry({ state: 'error', ...base, message: st.message });
        else this.setTelemetry({ state: 'stopped', ...base });
      });
      src.start();
    });
    return true;
  }

  /** Reads the shown run's Prometheus again from the start (after "Set Prometheus Token"). */
  retryPrometheus(): void {
    const id = this.prom?.runId ?? this.promWanted;
    if (id) this.watchPrometheus(id, { again: true });
  }

  /** True while an srun step samples the GPUs of `runId` (tests). */
  samplingSlurmGpus(runId: string): boolean {
    return this.slurmMetrics?.runId === runId;
  }

  private setTelemetry(status: TelemetryStatus): void {
    this.telemetry = status;
    this.onTelemetryStatus.fire(status);
  }

  private startSampler(): void {
    const s = new GpuSampler({ command: runsConfig.telemetryCommand, intervalMs: runsConfig.telemetryIntervalMs });
    this.sampler = s;
    s.on('state', (st) => {
      // A host without GPUs stays that way: do not start a sampler again for every run.
      if (st.kind === 'no-gpu') this.noGpu = true;
      // While the panel's run reads Prometheus, that is the source the panel names.
      if (this.prom || this.promWanted) return;
      this.telemetry = { state: st.kind, source: st.source, ...('message' in st && st.message ? { message: st.message } : {}) };
      this.onTelemetryStatus.fire(this.telemetry);
    });
    s.on('samples', (batch) => {
      const points = batch.map((p) => ({ t: p.t, host: p.host, gpu: p.gpu, util: p.utilGpuPct, memUsedMiB: p.memUsedMiB, memTotalMiB: p.memTotalMiB, powerW: p.powerW, tempC: p.tempC, smClockMHz: p.smClockMHz }));
      this.notePeaks(points);
      if (!this.prom && !this.promWanted) this.onGpuSamples.fire(points);
    });
    void s.start();
  }

  dispose(): void {
    this.store.unwatch();
    this.store.removeAllListeners();
    clearTimeout(this.samplerStopTimer);
    clearInterval(this.logDiskTimer);
    this.sampler?.stop();
    this.slurmMetrics?.metrics.stop();
    this.slurmMetrics = undefined;
    this.prom?.source.stop();
    this.prom = undefined;
    for (const b of this.buffers.values()) b.dispose();
    this.buffers.clear();
    // Runs go on after the window closes; the next window or `gantry ps` reattaches.
    disposeBackends();
    this.onRunChange.dispose();
    this.onGpuSamples.dispose();
    this.onTelemetryStatus.dispose();
    this.onOutcome.dispose();
    this.onHealth.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** The spec's text: the editor's buffer when it is open, else the file (a regular file within the size limit). */
function specText(file: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (open) return open.getText();
  try {
    const st = fs.statSync(file);
    return unusable(st) ? undefined : fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 80);
  }
}
