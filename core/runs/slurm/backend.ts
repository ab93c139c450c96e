// The Slurm backend: submits the rendered batch script with sbatch, follows every run with ONE
// squeue per poll interval per connection (whatever the number of runs), finishes runs with sacct
// or scontrol, mirrors their output, and samples their GPUs with an overlapping srun step.
//
// A connection is a transport to one place where Slurm's commands run: this machine, or one SSH
// login host. The backend keeps one per place, so one backend instance serves every Cluster.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClusterDoc, Scheduler } from '../../spec/types';
import { isTerminal, type Backend, type BackendContext, type LogSource, type RunState, type RunUpdate, type SlurmHandle, type SlurmRun } from '../types';
import { findSpecDocs, isRunnable } from '../specDocs';
import { readSpecSync, resolveCluster, scanClustersSync } from '../../workspace/workspace';
import { renderBatchScript, DEFAULT_LOG_DIR, type BatchScript, type BatchScriptOptions, type SlurmJobDoc } from './batchScript';
import { withPlanCommand } from './planScript';
import { createSlurmCommands, SlurmSubmitError, SlurmUnavailableError, type FileStamp, type SlurmCommands } from './commands';
import { expandHostList, isSlurmFinal, mapSlurmState, type MappedState } from './parse';
import { createLocalTransport, createSshTransport, TransportError, type CommandTransport, type LocalTransportOptions, type SshTransportOptions } from './transport';
import { BufferingDetector, followRemote, isStaleOutput, type RemoteFollower } from './follow';
import { startSlurmGpuMetrics, type SlurmGpuMetrics, type SlurmGpuMetricsOptions } from './metrics';

export interface SlurmBackendOptions {
  /** Poll period; one squeue per period per connection. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Limit for each Slurm command. Default 15 s. */
  commandTimeoutMs?: number;
  /** How scripts are rendered when the plan carries none (see previewBatchScript). */
  script?: BatchScriptOptions;
  ssh?: SshTransportOptions;
  local?: LocalTransportOptions;
  /** Replaces the transport choice (tests; a custom remote). */
  transportFor?: (scheduler: Scheduler) => CommandTransport;
  /** Every chunk of job output as it arrives (live consumers; the latency test). */
  onLogData?: (runId: string, source: LogSource, chunk: Buffer, at: number) => void;
  /** Silence after start before the block-buffering hint. Default 60 s. */
  bufferingSilenceMs?: number;
}

/** One output file of a job: where Slurm writes it, what the run shows, and whether it is followed yet. */
interface JobOutput {
  remotePath: string;
  source: LogSource;
  /** Login node: where the follower starts (0 for a fresh submission; undefined: the file's size then). */
  offset?: number;
  followed: boolean;
  /** The file as first seen, when it was an earlier job's. */
  staleStamp?: FileStamp;
}

/** After this many failed `stat` calls, files are followed without the check (the old behaviour). */
const MAX_STAT_FAILURES = 3;

// What the backend keeps in RunRecord.handle: SlurmHandle (core/runs/types.ts).
export type { SlurmHandle } from '../types';

type SlurmContext = BackendContext<SlurmRun['handle']>;

interface Tracked {
  run: SlurmRun;
  ctx: SlurmContext;
  jobId: string;
  state: RunState;
  reason?: string;
  startedAt?: number;
  nodeList?: string;
  followers: RemoteFollower[];
  /** The job's output files, followed or not yet (see checkOutputs). */
  outputs: JobOutput[];
  /** The run's LogSources as published: over SSH every mirror at once, on a login node each file once it is this job's. */
  logs: LogSource[];
  logsResolved: boolean;
  /** SlurmHandle.sbatchAtS: files older than this and unchanged are an earlier job's. */
  sbatchAtS?: number;
  /** The check of the outputs in flight, shared by whoever asks meanwhile. */
  outputCheck?: Promise<boolean>;
  statFailures: number;
  perRankLogs: boolean;
  ranks: number;
  detector: BufferingDetector;
  finalizing: boolean;
}

interface Connection {
  key: string;
  transport: CommandTransport;
  commands: SlurmCommands;
  tracked: Map<string, Tracked>; // by job id
  timer?: NodeJS.Timeout;
  polling: boolean;
  squeueCalls: number;
  unavailable?: string;
}

export class SlurmBackend implements Backend<SlurmRun> {
  readonly id = 'slurm' as const;
  private readonly connections = new Map<string, Connection>();
  private readonly pollIntervalMs: number;
  private disposed = false;

  constructor(
    private readonly defaultCluster: ClusterDoc | undefined,
    private readonly options: SlurmBackendOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  // ---------------------------------------------------------------- Backend

  async submit(run: SlurmRun, ctx: SlurmContext): Promise<RunUpdate<SlurmRun['handle']>> {
    const { script, scheduler } = this.resolveScript(run);
    fs.writeFileSync(path.join(ctx.runDir, 'job.sbatch'), script.text);
    const conn = this.connection(scheduler);
    await this.slurm(conn, () => conn.commands.mkdirp(script.logDir));
    // The Slurm side's clock before the job exists, to tell its output files from an earlier job's.
    const sbatchAtS = await conn.commands.now().catch(() => undefined);
    const jobId = await this.slurm(conn, () => conn.commands.submit(script.text));
    const t: Tracked = {
      run,
      ctx,
      jobId,
      state: 'pending',
      followers: [],
      outputs: [],
      logs: [],
      logsResolved: false,
      sbatchAtS,
      statFailures: 0,
      perRankLogs: script.perRankLogs,
      ranks: script.ranks,
      detector: new BufferingDetector(this.options.bufferingSilenceMs),
      finalizing: false,
    };
    conn.tracked.set(jobId, t);
    const handle: SlurmHandle = { jobId, where: conn.transport.where, ...(sbatchAtS !== undefined ? { sbatchAtS } : {}) };
    const info = await conn.commands.showJob(jobId).catch(() => undefined);
    if (info) await this.resolveLogs(conn, t, info, 0);
    this.schedulePoll(conn, 0);
    const mapped = info ? mapSlurmState(info.JobState ?? 'PENDING', info.Reason) : undefined;
    const state: RunState = mapped && !isTerminal(mapped.state) ? mapped.state : 'pending';
    t.state = state;
    t.reason = mapped?.reason;
    if (state === 'running') t.startedAt = Date.now();
    return {
      id: run.id,
      state,
      ...(t.reason ? { reason: t.reason } : {}),
      ...(t.startedAt ? { startedAt: t.startedAt } : {}),
      handle: { ...handle, stdout: info?.StdOut, stderr: info?.StdErr },
      ...(t.logs.length ? { logs: t.logs } : {}),
    };
  }

  async cancel(run: SlurmRun, ctx: SlurmContext): Promise<void> {
    const jobId = String(run.handle.jobId ?? '');
    if (!jobId) throw new Error('this run has no Slurm job id');
    const conn = this.connection(this.schedulerOf(run));
    if (!conn.tracked.has(jobId) && !isTerminal(run.state)) this.track(conn, run, ctx);
    await this.slurm(conn, () => conn.commands.cancel(jobId));
    this.schedulePoll(conn, 0);
  }

  async reattach(runs: SlurmRun[], ctxFor: (run: SlurmRun) => SlurmContext): Promise<void> {
    for (const run of runs) {
      if (run.plan.backend !== 'slurm' || isTerminal(run.state) || !run.handle.jobId) continue;
      const conn = this.connection(this.schedulerOf(run));
      if (conn.tracked.has(String(run.handle.jobId))) continue;
      this.track(conn, run, ctxFor(run));
      this.schedulePoll(conn, 0);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const conn of this.connections.values()) {
      clearTimeout(conn.timer);
      for (const t of conn.tracked.values()) for (const f of t.followers) f.stop();
      void conn.transport.dispose();
    }
    this.connections.clear();
  }

  // ---------------------------------------------------------------- extras for the panel and tests

  /** The nodes of a tracked job (squeue's node list, expanded), for metrics sources that select by host. */
  hostsOf(run: SlurmRun): string[] {
    return expandHostList(this.connection(this.schedulerOf(run)).tracked.get(String(run.handle.jobId ?? ''))?.nodeList);
  }

  /** GPU samples from every node of a running job; stop() ends only the sampling step. */
  startGpuMetrics(run: SlurmRun, opts: Omit<SlurmGpuMetricsOptions, 'transport' | 'jobId' | 'hosts'>): SlurmGpuMetrics {
    const conn = this.connection(this.schedulerOf(run));
    const jobId = String(run.handle.jobId ?? '');
    // Looked up when needed: squeue may report the job running before it reports its nodes.
    return startSlurmGpuMetrics({ ...opts, transport: conn.transport, jobId, hosts: () => expandHostList(conn.tracked.get(jobId)?.nodeList) });
  }

  /** squeue calls made so far, per connection (the "one per interval" figure). */
  squeueCalls(): number {
    let n = 0;
    for (const c of this.connections.values()) n += c.squeueCalls;
    return n;
  }

  /** Runs being followed right now, over all connections. */
  trackedCount(): number {
    let n = 0;
    for (const c of this.connections.values()) n += c.tracked.size;
    return n;
  }

  // ---------------------------------------------------------------- internals

  private resolveScript(run: SlurmRun): { script: BatchScript; scheduler: Scheduler } {
    const given = run.plan.backendOptions?.batchScript;
    if (given?.text) return { script: given, scheduler: this.schedulerOf(run) };
    // No script in the plan: render it from the spec file, as the preview would.
    const { doc, cluster } = loadSpec(run.plan.specFile, run.plan.docIndex, this.defaultCluster);
    return { script: renderBatchScript(withPlanCommand(run.plan, doc), cluster, this.options.script), scheduler: cluster.spec.scheduler ?? { type: 'slurm' } };
  }

  // Plans always carry their Cluster's scheduler (planLaunch); `?.` keeps a hand-made record working.
  private schedulerOf(run: SlurmRun): Scheduler {
    return run.plan.backendOptions?.scheduler ?? this.defaultCluster?.spec.scheduler ?? { type: 'slurm' };
  }

  private connection(scheduler: Scheduler): Connection {
    const login = scheduler.login;
    const key = login ? `ssh:${login.user ?? ''}@${login.host}:${login.port ?? 22}:${login.identityFile ?? ''}:${login.proxyJump ?? ''}` : 'local';
    let conn = this.connections.get(key);
    if (!conn) {
      const transport = this.options.transportFor?.(scheduler) ?? (login ? createSshTransport(login, this.options.ssh) : createLocalTransport(this.options.local));
      conn = { key, transport, commands: createSlurmCommands(transport, { timeoutMs: this.options.commandTimeoutMs }), tracked: new Map(), polling: false, squeueCalls: 0 };
      this.connections.set(key, conn);
    }
    return conn;
  }

  /** Runs a Slurm call; transport failures become messages about the connection. */
  private async slurm<T>(conn: Connection, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof SlurmSubmitError || e instanceof SlurmUnavailableError) throw e;
      if (e instanceof TransportError) throw new SlurmUnavailableError(e.message, e.detail);
      throw e;
    }
  }

  private track(conn: Connection, run: SlurmRun, ctx: SlurmContext): Tracked {
    const jobId = String(run.handle.jobId ?? '');
    const t: Tracked = {
      run,
      ctx,
      jobId,
      state: run.state,
      reason: run.reason,
      startedAt: run.startedAt,
      followers: [],
      outputs: [],
      logs: run.logs,
      logsResolved: false,
      sbatchAtS: run.handle.sbatchAtS,
      statFailures: 0,
      perRankLogs: Boolean(run.plan.backendOptions?.batchScript?.perRankLogs),
      ranks: run.plan.backendOptions?.batchScript?.ranks ?? 1,
      detector: new BufferingDetector(this.options.bufferingSilenceMs),
      finalizing: false,
    };
    conn.tracked.set(jobId, t);
    if (typeof run.handle.stdout === 'string') {
      // A file that became this job's while nobody watched is published now.
      const shown = (logs: LogSource[]) => logs.map((l) => l.path).join('\n');
      void this.resolveLogs(conn, t, { StdOut: run.handle.stdout, StdErr: run.handle.stderr ?? run.handle.stdout }, undefined).then(() => {
        if (shown(t.logs) !== shown(run.logs)) t.ctx.update({ id: run.id, logs: t.logs });
      });
    }
    return t;
  }

  /**
   * The job's files (scontrol's StdOut/StdErr, and per-rank files beside them) → LogSources and
   * followers. Over SSH each file is mirrored into the run directory; the mirror's size is where a
   * restart resumes. On a login node the job's files are read where they are.
   */
  private async resolveLogs(conn: Connection, t: Tracked, info: Record<string, string>, startOffset: number | undefined): Promise<void> {
    if (t.logsResolved || !info.StdOut) return;
    t.logsResolved = true;
    const mirror = conn.transport.kind === 'ssh';
    const remote: { path: string; stream: LogSource['stream']; rank?: number }[] = [];
    const combined = !info.StdErr || info.StdErr === info.StdOut;
    remote.push({ path: info.StdOut, stream: combined ? 'combined' : 'stdout' });
    if (!combined) remote.push({ path: info.StdErr, stream: 'stderr' });
    if (t.perRankLogs) {
      const dir = path.posix.dirname(info.StdOut);
      for (let rank = 0; rank < t.ranks; rank++) remote.push({ path: `${dir}/${t.jobId}-rank-${rank}.log`, stream: 'combined', rank });
    }
    t.outputs = remote.map((r) => ({
      remotePath: r.path,
      source: { path: mirror ? path.join(t.ctx.runDir, path.posix.basename(r.path)) : r.path, stream: r.stream, ...(r.rank !== undefined ? { rank: r.rank } : {}) },
      offset: mirror ? undefined : startOffset,
      followed: false,
    }));
    this.publishLogs(conn, t);
    await this.checkOutputs(conn, t);
  }

  /** A mirror holds only what its follower copied, so it is shown at once; a job's own file once it is this job's. */
  private publishLogs(conn: Connection, t: Tracked): void {
    const mirror = conn.transport.kind === 'ssh';
    t.logs = t.outputs.filter((o) => mirror || o.followed).map((o) => o.source);
  }

  /**
   * Starts following each output file that holds nothing of an earlier job with the same id (see
   * isStaleOutput): one `stat` for all the files still waiting. Resolves to whether t.logs changed.
   */
  private checkOutputs(conn: Connection, t: Tracked): Promise<boolean> {
    if (!t.outputs.some((o) => !o.followed)) return Promise.resolve(false);
    t.outputCheck ??= this.checkOutputsNow(conn, t).finally(() => {
      t.outputCheck = undefined;
    });
    return t.outputCheck;
  }

  private async checkOutputsNow(conn: Connection, t: Tracked): Promise<boolean> {
    const waiting = t.outputs.filter((o) => !o.followed);
    let stamps: Map<string, FileStamp> | undefined;
    if (t.sbatchAtS !== undefined && t.statFailures < MAX_STAT_FAILURES) {
      stamps = await conn.commands.stat(waiting.map((o) => o.remotePath)).catch(() => undefined);
      if (!stamps && ++t.statFailures < MAX_STAT_FAILURES) return false; // asked again on the next poll
    }
    if (this.disposed || !conn.tracked.has(t.jobId)) return false;
    const before = t.logs.length;
    for (const o of waiting) {
      if (stamps && t.sbatchAtS !== undefined) {
        const stamp = stamps.get(o.remotePath);
        if (isStaleOutput(stamp, t.sbatchAtS, o.staleStamp)) {
          o.staleStamp ??= stamp;
          continue;
        }
      }
      o.followed = true;
      t.followers.push(this.follow(conn, t, o));
    }
    this.publishLogs(conn, t);
    return t.logs.length !== before;
  }

  private follow(conn: Connection, t: Tracked, o: JobOutput): RemoteFollower {
    const mirror = conn.transport.kind === 'ssh';
    return followRemote({
      transport: conn.transport,
      remotePath: o.remotePath,
      mirrorPath: mirror ? o.source.path : undefined,
      offset: mirror ? undefined : (o.offset ?? localSize(o.remotePath)),
      onData: (chunk, at) => {
        this.options.onLogData?.(t.run.id, o.source, chunk, at);
        const hint = t.detector.onData(chunk.length, at);
        if (hint) t.ctx.update({ id: t.run.id, handle: { outputHint: hint } });
      },
    });
  }

  private schedulePoll(conn: Connection, delayMs: number): void {
    if (this.disposed || !conn.tracked.size) return;
    if (conn.polling) return; // the running poll schedules the next one
    clearTimeout(conn.timer);
    conn.timer = setTimeout(() => void this.poll(conn), delayMs);
  }

  private async poll(conn: Connection): Promise<void> {
    if (this.disposed || conn.polling) return;
    conn.polling = true;
    const t0 = Date.now();
    try {
      await this.pollOnce(conn);
    } finally {
      conn.polling = false;
      if (!this.disposed && conn.tracked.size) {
        clearTimeout(conn.timer);
        conn.timer = setTimeout(() => void this.poll(conn), Math.max(0, this.pollIntervalMs - (Date.now() - t0)));
      }
    }
  }

  private async pollOnce(conn: Connection): Promise<void> {
    let rows;
    try {
      conn.squeueCalls++;
      rows = await this.slurm(conn, () => conn.commands.queue());
    } catch (e) {
      // Slurm or the host is not answering: every run keeps its state and says why it is stale.
      const message = `${(e as Error).message} — retrying every ${Math.round(this.pollIntervalMs / 100) / 10} s`;
      if (conn.unavailable !== message) {
        conn.unavailable = message;
        for (const t of conn.tracked.values()) t.ctx.update({ id: t.run.id, reason: message });
      }
      return;
    }
    const recovered = conn.unavailable !== undefined;
    conn.unavailable = undefined;
    const byId = new Map(rows.map((r) => [r.jobId, r]));
    const now = Date.now();
    for (const t of [...conn.tracked.values()]) {
      if (t.finalizing) continue;
      const row = byId.get(t.jobId);
      if (!t.logsResolved) {
        const info = await conn.commands.showJob(t.jobId).catch(() => undefined);
        if (info) await this.resolveLogs(conn, t, info, 0);
        if (t.logsResolved) t.ctx.update({ id: t.run.id, logs: t.logs, handle: { stdout: info?.StdOut, stderr: info?.StdErr } });
      } else if (await this.checkOutputs(conn, t)) t.ctx.update({ id: t.run.id, logs: t.logs });
      if (!row || isSlurmFinal(row.state)) {
        void this.finalize(conn, t, row ? mapSlurmState(row.state, row.reason) : undefined);
        continue;
      }
      const m = mapSlurmState(row.state, row.reason);
      t.nodeList = row.nodeList ?? t.nodeList;
      const update: RunUpdate = { id: t.run.id };
      if (m.state === 'running' && t.startedAt === undefined) {
        t.startedAt = now;
        update.startedAt = now;
      }
      if (m.state !== t.state || (m.reason ?? '') !== (t.reason ?? '') || recovered) {
        t.state = m.state;
        t.reason = m.reason;
        update.state = m.state;
        update.reason = m.reason ?? '';
      }
      if (Object.keys(update).length > 1) t.ctx.update(update);
      if (m.state === 'running') {
        const hint = t.detector.onTick(t.startedAt, now);
        if (hint) t.ctx.update({ id: t.run.id, handle: { outputHint: hint } });
      }
    }
  }

  /** The job has left the queue or reached a final state: read how it ended, copy the rest of its output, report. */
  private async finalize(conn: Connection, t: Tracked, fromQueue: MappedState | undefined): Promise<void> {
    t.finalizing = true;
    let mapped: MappedState | undefined;
    try {
      if (await conn.commands.hasAccounting()) {
        const row = (await conn.commands.sacct([t.jobId])).find((r) => r.jobId === t.jobId);
        if (row && isSlurmFinal(row.state)) mapped = mapSlurmState(row.state, undefined, row.exitCode);
      }
      if (!mapped) {
        const info = await conn.commands.showJob(t.jobId);
        if (info?.JobState) mapped = mapSlurmState(info.JobState, info.Reason, info.ExitCode);
      }
    } catch {
      t.finalizing = false; // Slurm is not answering: the next poll tries again
      return;
    }
    mapped ??= fromQueue ?? { state: 'lost', reason: `Slurm no longer knows job ${t.jobId} and keeps no accounting to ask` };
    if (!isTerminal(mapped.state)) {
      t.finalizing = false;
      return;
    }
    // A file that changed since the last poll is this job's: copy it too. One still unchanged is an
    // earlier job's (this one was cancelled while pending, or never wrote): it is not shown.
    if (await this.checkOutputs(conn, t)) t.ctx.update({ id: t.run.id, logs: t.logs });
    await Promise.all(t.followers.map((f) => f.finish().catch(() => undefined)));
    conn.tracked.delete(t.jobId);
    const endedAt = Date.now();
    t.ctx.update({
      id: t.run.id,
      state: mapped.state,
      reason: mapped.reason ?? '',
      ...(mapped.exitCode !== undefined ? { exitCode: mapped.exitCode } : {}),
      ...(t.startedAt === undefined && mapped.state !== 'cancelled' ? { startedAt: endedAt } : {}),
      endedAt,
    });
  }
}

/** Reads a spec file's document (the one reader) and the Cluster it names (the one resolver, as planFile does). */
function loadSpec(specFile: string, docIndex: number, fallback: ClusterDoc | undefined): { doc: SlurmJobDoc; cluster: ClusterDoc } {
  const text = readSpecSync(specFile);
  if (text === undefined) throw new Error(`cannot read ${specFile}`);
  const found = findSpecDocs(text).find((d) => d.docIndex === docIndex);
  if (!found || !isRunnable(found)) throw new Error(`no runnable TrainingJob or InferenceService at document ${docIndex} of ${specFile}`);
  const doc = found.value as SlurmJobDoc;
  const cluster = resolveCluster(scanClustersSync(specFile, { openText: (p) => (p === specFile ? text : undefined) }), specFile, doc.spec) ?? fallback;
  if (!cluster) throw new Error(`spec.cluster: no Cluster named '${doc.spec.cluster ?? ''}' was found`);
  return { doc, cluster };
}

function localSize(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}

/** The backend for one or many Slurm clusters; `cluster` is used for plans that name none. */
export function createSlurmBackend(cluster?: ClusterDoc, options: SlurmBackendOptions = {}): SlurmBackend {
  return new SlurmBackend(cluster, options);
}

/** The exact script ▶ Run would submit for this document, for the preview command. */
export function previewBatchScript(doc: SlurmJobDoc, cluster: ClusterDoc, options?: BatchScriptOptions): BatchScript {
  return renderBatchScript(doc, cluster, options);
}

export { DEFAULT_LOG_DIR };
