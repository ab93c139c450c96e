// GPU metrics of a running Slurm job: nvidia-smi on every node of the job in ONE overlapping srun
// step (`srun --jobid=ID --overlap --ntasks-per-node=1 --label`), lines tagged with the node by
// srun's task label. Field probing and parsing are core/telemetry's; this adapter only supplies the
// transport, because telemetry's GpuSampler spawns locally and its probe cannot read `--label`
// prefixed help text. Stopping ends the step, never the job (srun forwards the signal to its step).
import type { GpuSample } from '../../telemetry/nvidiaSmi';
import { parseHelpQueryGpu, parseQueryLine, planQuery } from '../../telemetry/nvidiaSmi';
import { LineSplitter } from '../../text/lines';
import type { CommandTransport, StreamProcess } from './transport';

export interface SlurmGpuMetricsOptions {
  transport: CommandTransport;
  jobId: string;
  /**
   * The job's nodes in order (expanded NodeList): task label i ran on hosts[i]. Asked again when
   * the step starts and for each line: a job just seen running may not have its node list yet.
   */
  hosts: () => string[];
  /** How long to wait for the node list before sampling one node (default 30 s). */
  hostsWaitMs?: number;
  onSamples: (samples: GpuSample[]) => void;
  onState?: (state: 'sampling' | 'no-gpu' | 'stopped' | 'error', message?: string) => void;
  /** argv of nvidia-smi on the compute nodes. Default ['nvidia-smi']. */
  nvidiaSmi?: string[];
  intervalMs?: number;
}

export interface SlurmGpuMetrics {
  stop(): void;
  /** Resolves once the sampling step has ended. */
  readonly ended: Promise<void>;
}

export function startSlurmGpuMetrics(opts: SlurmGpuMetricsOptions): SlurmGpuMetrics {
  const smi = opts.nvidiaSmi?.length ? opts.nvidiaSmi : ['nvidia-smi'];
  const step = ['srun', `--jobid=${opts.jobId}`, '--overlap', '--quiet'];
  let proc: StreamProcess | undefined;
  let stopped = false;
  let endResolve!: () => void;
  const ended = new Promise<void>((r) => (endResolve = r));

  void (async () => {
    // Which fields this driver knows, asked once on the first node.
    const probe = await opts.transport.exec([...step, '--nodes=1', '--ntasks=1', ...smi, '--help-query-gpu'], { timeoutMs: 20_000 }).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
    const known = parseHelpQueryGpu(probe.stdout);
    if (stopped) return endResolve();
    if (!known.size) {
      opts.onState?.('no-gpu', `no NVIDIA GPU visible to job ${opts.jobId} (${(probe.stderr || probe.stdout).trim().split('\n')[0] || `exit code ${probe.code}`})`);
      return endResolve();
    }
    const plan = planQuery(known);
    // The step runs one task per node of the job, so it needs the node count: wait for the list.
    for (const until = Date.now() + (opts.hostsWaitMs ?? 30_000); !opts.hosts().length && Date.now() < until && !stopped; ) await new Promise((r) => setTimeout(r, 250));
    if (stopped) return endResolve();
    const nodes = Math.max(1, opts.hosts().length);
    const argv = [...step, `--nodes=${nodes}`, '--ntasks-per-node=1', '--label', ...smi, `--query-gpu=${plan.fields.join(',')}`, '--format=csv,noheader,nounits', '-lms', String(opts.intervalMs ?? 1000)];
    const p = opts.transport.spawnStream(argv);
    proc = p;
    const splitter = new LineSplitter();
    let started = false;
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (chunk: string) => {
      const lines = splitter.push(chunk);
      const t = Date.now();
      const batch: GpuSample[] = [];
      for (const line of lines) {
        const m = /^\s*(\d+): (.*)$/.exec(line);
        if (!m) continue;
        const s = parseQueryLine(m[2], plan, opts.hosts()[Number(m[1])] ?? `task${m[1]}`, t);
        if (s) batch.push(s);
      }
      if (batch.length) {
        if (!started) opts.onState?.('sampling');
        started = true;
        opts.onSamples(batch);
      }
    });
    let err = '';
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (c: string) => {
      if (err.length < 2000) err += c;
    });
    const r = await p.exited;
    if (stopped) opts.onState?.('stopped');
    else opts.onState?.(started ? 'stopped' : 'error', err.trim().split('\n')[0] || `the sampling step ended (code ${r.code})`);
    endResolve();
  })();

  return {
    ended,
    stop() {
      stopped = true;
      proc?.kill();
      if (!proc) endResolve();
    },
  };
}
