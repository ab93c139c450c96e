// The GPU sampler: one long-lived `nvidia-smi --query-gpu=… --format=csv,noheader,nounits -lms N`
// per host, its lines parsed into samples tagged with host and GPU. The command is injectable: the
// Slurm backend runs it through `srun --jobid=… --overlap --label`, tests through the replay
// executable. No nvidia-smi or no GPU is a state ("no NVIDIA GPU on this host"), not an error
// to retry forever.
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { parseHelpQueryGpu, parseQueryLine, planQuery, type GpuSample, type QueryPlan } from './nvidiaSmi';
import { LineSplitter } from '../text/lines';

/** Where samples come from: a real nvidia-smi, or a replay of a recording (never shown as live). */
export type TelemetrySource = 'live' | 'replay';

/** A command whose executable (or last word, after `env VAR=…`) is named *replay* plays a recording back. */
export function telemetrySourceOf(command: readonly string[]): TelemetrySource {
  const first = command[0] ?? '';
  const last = command[command.length - 1] ?? '';
  return /replay/i.test(path.basename(last)) || /replay/i.test(path.basename(first)) ? 'replay' : 'live';
}

export type SamplerState =
  | { kind: 'starting'; source: TelemetrySource }
  | { kind: 'sampling'; source: TelemetrySource; fields: string[]; missing: string[] }
  | { kind: 'no-gpu'; source: TelemetrySource; message: string }
  | { kind: 'error'; source: TelemetrySource; message: string }
  | { kind: 'stopped'; source: TelemetrySource; message?: string };

export interface SamplerOptions {
  /** argv prefix that runs nvidia-smi, e.g. ['nvidia-smi'] or ['srun', '--jobid=42', '--overlap', '--label', 'nvidia-smi']. */
  command?: string[];
  /** Default: 'replay' when the executable's name says so, else 'live'. */
  source?: TelemetrySource;
  intervalMs?: number;
  /** Host for unlabeled lines. */
  host?: string;
  /** With `srun --label`: the host of each task label (`0: …` → labels[0]). */
  labelHosts?: string[];
  /** Longest wait for the probe (`--help-query-gpu`). */
  probeTimeoutMs?: number;
}

interface SamplerEvents {
  samples: [GpuSample[]];
  state: [SamplerState];
}

const NO_GPU = 'no NVIDIA GPU on this host';

export class GpuSampler extends EventEmitter<SamplerEvents> {
  private readonly command: string[];
  readonly source: TelemetrySource;
  private readonly intervalMs: number;
  private readonly host: string;
  private child?: ChildProcess;
  private stopped = false;
  private _state: SamplerState;

  constructor(private readonly opts: SamplerOptions = {}) {
    super();
    this.command = opts.command?.length ? opts.command : ['nvidia-smi'];
    this.source = opts.source ?? telemetrySourceOf(this.command);
    this.intervalMs = Math.max(100, opts.intervalMs ?? 1000);
    this.host = opts.host ?? os.hostname();
    this._state = { kind: 'starting', source: this.source };
  }

  get state(): SamplerState {
    return this._state;
  }

  /** Probes the driver's fields, then starts the one long-lived query process. */
  async start(): Promise<SamplerState> {
    this.setState({ kind: 'starting', source: this.source });
    const probe = await this.runOnce(['--help-query-gpu'], this.opts.probeTimeoutMs ?? 10_000);
    if (this.stopped) return this._state;
    if (probe.error) {
      const message = probe.error === 'ENOENT' ? `${NO_GPU} (${this.command[0]} not found)` : `${NO_GPU} (${this.command[0]}: ${probe.error})`;
      return this.setState({ kind: 'no-gpu', source: this.source, message });
    }
    const known = parseHelpQueryGpu(probe.stdout);
    if (!known.size) {
      const why = firstLine(probe.stdout + probe.stderr) || `exit code ${probe.code}`;
      return this.setState({ kind: 'no-gpu', source: this.source, message: `${NO_GPU} (${why})` });
    }
    return this.stream(planQuery(known), 0);
  }

  stop(): void {
    this.stopped = true;
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
    this.child = undefined;
    if (this._state.kind === 'sampling' || this._state.kind === 'starting') this.setState({ kind: 'stopped', source: this.source });
  }

  private stream(plan: QueryPlan, attempt: number): Promise<SamplerState> {
    return new Promise((resolve) => {
      const args = [`--query-gpu=${plan.fields.join(',')}`, '--format=csv,noheader,nounits', '-lms', String(this.intervalMs)];
      const child = spawn(this.command[0], [...this.command.slice(1), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      let settled = false;
      let rows = 0;
      let text = ''; // the first non-data output, to explain an early exit
      const splitter = new LineSplitter();
      const settle = (s: SamplerState) => {
        if (!settled) {
          settled = true;
          resolve(s);
        }
      };
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        const lines = splitter.push(chunk);
        const t = Date.now();
        const batch: GpuSample[] = [];
        for (const raw of lines) {
          const line = raw.trimEnd();
          if (!line) continue;
          const s = this.parseLabelled(line, plan, t);
          if (s) batch.push(s);
          else if (text.length < 2000) text += line + '\n';
        }
        if (batch.length) {
          if (rows === 0) {
            clearTimeout(quiet);
            settle(this.setState({ kind: 'sampling', source: this.source, fields: plan.fields, missing: plan.missing }));
          }
          rows += batch.length;
          this.emit('samples', batch);
        }
      });
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (c: string) => {
        if (text.length < 2000) text += c;
      });
      let failed = false;
      // A stream that neither prints nor ends is reported as still starting, not awaited forever.
      const quiet = setTimeout(() => settle(this._state), this.intervalMs * 5 + 10_000);
      child.on('error', (e: NodeJS.ErrnoException) => {
        failed = true;
        clearTimeout(quiet);
        settle(this.setState({ kind: 'no-gpu', source: this.source, message: `${NO_GPU} (${e.code === 'ENOENT' ? `${this.command[0]} not found` : e.message})` }));
      });
      child.on('close', (code) => {
        clearTimeout(quiet);
        if (this.child === child) this.child = undefined;
        if (this.stopped || failed) return settle(this._state);
        // A driver that rejects a field it listed: drop that field and try once more per field.
        const bad = /Field "([^"]+)" is not a valid field/i.exec(text)?.[1];
        if (bad && rows === 0 && attempt < 5 && plan.fields.includes(bad) && bad !== 'index') {
          const i = plan.fields.indexOf(bad);
          const next: QueryPlan = {
            fields: plan.fields.filter((_, j) => j !== i),
            keys: plan.keys.filter((_, j) => j !== i),
            kinds: plan.kinds.filter((_, j) => j !== i),
            missing: [...plan.missing, ...(plan.keys[i] ? [plan.keys[i]!] : [])],
          };
          this.stream(next, attempt + 1).then(settle);
          return;
        }
        if (rows === 0 && /No devices were found|couldn't communicate with the NVIDIA driver|NVIDIA-SMI has failed/i.test(text)) {
          return settle(this.setState({ kind: 'no-gpu', source: this.source, message: `${NO_GPU} (${firstLine(text)})` }));
        }
        const why = firstLine(text) || `exit code ${code}`;
        const message = rows ? `nvidia-smi ended after ${rows} samples: ${why}` : `nvidia-smi gave no samples: ${why}`;
        // Ended is final: the run panel shows it, and the owner may start a new sampler.
        settle(this.setState(rows ? { kind: 'stopped', source: this.source, message } : { kind: 'error', source: this.source, message }));
      });
    });
  }

  private parseLabelled(line: string, plan: QueryPlan, t: number): GpuSample | undefined {
    if (this.opts.labelHosts) {
      const m = /^\s*(\d+): (.*)$/.exec(line);
      if (m) return parseQueryLine(m[2], plan, this.opts.labelHosts[Number(m[1])] ?? `task${m[1]}`, t);
    }
    return parseQueryLine(line, plan, this.host, t);
  }

  private runOnce(args: string[], timeoutMs: number): Promise<OnceResult> {
    return runOnce(this.command, args, timeoutMs);
  }

  private setState(s: SamplerState): SamplerState {
    this._state = s;
    this.emit('state', s);
    return s;
  }
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? ''
  );
}

export interface OnceResult {
  stdout: string;
  stderr: string;
  code: number | null;
  /** Why there is no exit code: the spawn error's code (ENOENT…), 'timeout', or 'output limit'. */
  error?: string;
}

/**
 * Runs `command` + `args` once (an argument list, no shell) and collects its output, at most `maxBytes` of both streams together.
 * Past `timeoutMs` (or the output limit) its process group is killed (SIGKILL: nvidia-smi stuck in the driver, a
 * wrapper's children) and the answer comes at once, without waiting for a process that may never close.
 */
export function runOnce(command: readonly string[], args: readonly string[], timeoutMs: number, maxBytes = 1024 * 1024): Promise<OnceResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let done = false;
    let child: ChildProcess;
    const finish = (r: Omit<OnceResult, 'stdout' | 'stderr'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ stdout, stderr, ...r });
    };
    const kill = (why: string) => {
      try {
        if (child?.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child?.kill('SIGKILL');
      } catch {
        child?.kill('SIGKILL');
      }
      finish({ code: null, error: why });
    };
    const timer = setTimeout(() => kill('timeout'), timeoutMs);
    try {
      child = spawn(command[0], [...command.slice(1), ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
    } catch (e) {
      return finish({ code: null, error: (e as Error).message });
    }
    const take = (c: Buffer, into: 'out' | 'err') => {
      if (into === 'out') stdout += c.toString('utf8');
      else stderr += c.toString('utf8');
      if (stdout.length + stderr.length > maxBytes) kill('output limit');
    };
    child.stdout!.on('data', (c: Buffer) => take(c, 'out'));
    child.stderr!.on('data', (c: Buffer) => take(c, 'err'));
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: null, error: e.code ?? e.message }));
    child.on('close', (code) => finish({ code }));
  });
}
