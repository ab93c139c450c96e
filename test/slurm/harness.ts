// Shared helpers for the tests against the real test Slurm (started by test/slurm/start.sh; see
// scripts/test-slurm.sh). Everything waits on events or on polls with a deadline, never on a fixed
// sleep.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { spawnSync } from 'node:child_process';
import type { ClusterDoc, Scheduler, TrainingJobDoc } from '../../core/spec/types';
import type { BackendContext, RunUpdate, SlurmRun } from '../../core/runs/types';
import { renderBatchScript, type BatchScriptOptions } from '../../core/runs/slurm/batchScript';
import type { SlurmBackendOptions } from '../../core/runs/slurm/backend';

export const env = {
  slurmConf: process.env.SLURM_CONF ?? '',
  dir: process.env.GANTRY_SLURM_DIR ?? '',
  sshPort: Number(process.env.GANTRY_SSH_PORT ?? 0),
  sshKey: process.env.GANTRY_SSH_KEY ?? '',
  sshWrongKey: process.env.GANTRY_SSH_WRONG_KEY ?? '',
  knownHosts: process.env.GANTRY_SSH_KNOWN_HOSTS ?? '',
  fakeNvidiaSmi: process.env.GANTRY_FAKE_NVIDIA_SMI ?? '',
};
/** Why the tests cannot run here, or undefined. */
export const skipReason = !env.slurmConf || !env.dir ? 'the test Slurm is not running (use scripts/test-slurm.sh)' : undefined;

export const repoRoot = path.resolve(__dirname, '../../..');
export const scripts = { start: path.join(repoRoot, 'test/slurm/start.sh'), stop: path.join(repoRoot, 'test/slurm/stop.sh') };

export function tmpDir(prefix: string): string {
  const base = path.join(env.dir || os.tmpdir(), 'tests');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${prefix}-`));
}

/**
 * The limit of every wait in these tests: it only catches a hang. Tests synchronise on events (run
 * updates, log data, squeue's answer), never on how fast they come; speed is for the benchmarks.
 */
export const HANG_MS = 120_000;

export type Via = 'local' | 'ssh';

export function scheduler(via: Via, extra: Partial<Scheduler> = {}): Scheduler {
  return via === 'local' ? { type: 'slurm', partition: 'gpu', ...extra } : { type: 'slurm', partition: 'gpu', login: { host: '127.0.0.1', port: env.sshPort, user: 'root', identityFile: env.sshKey }, ...extra };
}

/** ssh options for the throwaway sshd: its own known_hosts, only the given key. */
export const sshOptions = (): SlurmBackendOptions['ssh'] => ({
  connectTimeoutS: 3,
  sshArgs: ['-o', `UserKnownHostsFile=${env.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'IdentitiesOnly=yes', '-F', '/dev/null'],
});

export function cluster(sched: Scheduler): ClusterDoc {
  return { apiVersion: 'gantry/v1', kind: 'Cluster', metadata: { name: 'testpod' }, spec: { scheduler: sched, nodes: { count: 2, gpu: { model: 'H100-SXM-80GB', count: 8 } } } };
}

export function trainingJob(name: string, command: string[], spec: Partial<TrainingJobDoc['spec']> = {}): TrainingJobDoc {
  return {
    apiVersion: 'gantry/v1',
    kind: 'TrainingJob',
    metadata: { name },
    spec: { cluster: 'testpod', resources: { nodes: 1, gpusPerNode: 1 }, model: { preset: 'llama-3-8b' }, batch: { micro: 1, sequenceLength: 128 }, command, ...spec },
  };
}

export interface Recorded {
  run: SlurmRun;
  ctx: BackendContext<SlurmRun['handle']>;
  updates: { at: number; u: RunUpdate<SlurmRun['handle']> }[];
  /** Resolves with the first run state that satisfies pred (checked on every update), or rejects at the deadline. */
  until(pred: (r: SlurmRun) => boolean, timeoutMs: number, what: string): Promise<SlurmRun>;
}

/** A run record kept up to date the way the store would (merge), with every update timestamped. */
export function makeRun(doc: TrainingJobDoc, sched: Scheduler, scriptOptions: BatchScriptOptions = {}, runDir = tmpDir('run')): Recorded {
  const c = cluster(sched);
  const script = renderBatchScript(doc, c, { logDir: path.join(env.dir, 'joblogs'), ...scriptOptions });
  const run: SlurmRun = {
    id: `${doc.metadata.name.replace(/[^\w-]/g, '_').slice(0, 20)}-${Math.random().toString(36).slice(2, 8)}`,
    plan: {
      name: doc.metadata.name,
      kind: 'TrainingJob',
      specFile: '/nonexistent.gantry.yaml',
      docIndex: 0,
      backend: 'slurm',
      command: doc.spec.command ?? [],
      env: {},
      cwd: '/',
      nodes: doc.spec.resources.nodes,
      gpusPerNode: doc.spec.resources.gpusPerNode,
      backendOptions: { cluster: c.metadata.name, scheduler: sched, batchScript: script },
    },
    state: 'queued',
    submittedAt: Date.now(),
    logs: [],
    handle: {},
  };
  return record(run, runDir);
}

export function record(run: SlurmRun, runDir: string): Recorded {
  const events = new EventEmitter();
  const updates: Recorded['updates'] = [];
  const ctx: Recorded['ctx'] = {
    runDir,
    update(u) {
      updates.push({ at: Date.now(), u });
      apply(run, u);
      events.emit('update');
    },
  };
  return {
    run,
    ctx,
    updates,
    until(pred, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pred(run)) return false;
          clearTimeout(timer);
          events.off('update', check);
          resolve(run);
          return true;
        };
        const timer = setTimeout(() => {
          events.off('update', check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; run is ${run.state} (${run.reason ?? ''}); updates: ${JSON.stringify(updates.map((x) => x.u))}`));
        }, timeoutMs);
        if (!check()) events.on('update', check);
      });
    },
  };
}

/** Applies an update like RunStore.update: terminal states are final. */
export function apply(run: SlurmRun, u: RunUpdate<SlurmRun['handle']>): void {
  const final = ['succeeded', 'failed', 'cancelled', 'timeout', 'lost'].includes(run.state);
  if (u.logs) run.logs = u.logs;
  if (u.handle) run.handle = { ...run.handle, ...u.handle };
  if (final) return;
  for (const k of ['state', 'reason', 'exitCode', 'startedAt', 'endedAt'] as const) if (u[k] !== undefined) (run as unknown as Record<string, unknown>)[k] = u[k];
}

/** Polls `check` every 100 ms until it returns a value, or fails at the deadline. */
export async function poll<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Slurm's own view of a job, straight from scontrol (for assertions). */
export function scontrolField(jobId: string, key: string): string | undefined {
  const r = spawnSync('scontrol', ['show', 'job', '-o', jobId], { encoding: 'utf8' });
  const m = new RegExp(`(?:^| )${key}=(\\S*)`).exec(r.stdout);
  return m?.[1];
}

export function runScript(script: string, args: string[] = []): { code: number | null; out: string } {
  const r = spawnSync('bash', [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
