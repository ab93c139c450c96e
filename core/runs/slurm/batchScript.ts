// Renders the sbatch script for a TrainingJob or InferenceService on a Slurm Cluster. The text is
// what the "preview" command shows and exactly what `sbatch --parsable` receives on stdin, so it
// depends only on the spec, the cluster and the options: no run id, no absolute path of this
// machine. Output paths use Slurm's `%j`, relative to the submitting user's home directory (both
// transports run sbatch there), and scontrol later reports them expanded.
//
// Spec values reach the script in two ways only: `#SBATCH` lines through sbatchDirectiveQuote
// (sbatch parses those itself) and the body through shQuote (bash parses it). See quote.ts.
import type { ClusterDoc, InferenceServiceDoc, TrainingJobDoc } from '../../spec/types';
import { sbatchDirectiveQuote, shQuote, slurmPatternLiteral, UnquotableError } from './quote';
import { DURATION_HINT, parseDurationSeconds } from '../duration';
import { checkJobBackend } from '../../validate/backendRules';
import { servedModel } from '../servedModel';
import { engineArgv } from '../engineCommand';
import type { BatchScript } from '../types';

export type SlurmJobDoc = TrainingJobDoc | InferenceServiceDoc;

export interface BatchScriptOptions {
  /**
   * Where Slurm writes the job's output, as seen from the Slurm side. A relative path is relative
   * to the submitting user's home directory. Default `.gantry/slurm`. The backend creates it.
   */
  logDir?: string;
  /** The gres type in `--gpus-per-node=TYPE:N`; default derived from the GPU model (H100-SXM-80GB → h100); null: no type. */
  gresType?: string | null;
  /** One log file per rank (`srun --output=…/%j-rank-%t.log`) instead of one stream with `srun --label` prefixes. */
  perRankLogs?: boolean;
}

/** A spec value that cannot go into a batch script, with the spec path to show it at. */
export class BatchScriptError extends Error {
  constructor(
    message: string,
    /** Path in the spec document, e.g. ['spec', 'env', 'MY VAR']. */
    readonly path: (string | number)[],
  ) {
    super(message);
    this.name = 'BatchScriptError';
  }
}

// The script's type lives with the run model (a Slurm plan carries it): core/runs/types.ts.
export type { BatchScript } from '../types';

export const DEFAULT_LOG_DIR = '.gantry/slurm';

export function renderBatchScript(doc: SlurmJobDoc, cluster: ClusterDoc, options: BatchScriptOptions = {}): BatchScript {
  const sched = cluster.spec.scheduler ?? { type: 'local' as const };
  const logDir = (options.logDir ?? DEFAULT_LOG_DIR).replace(/\/+$/, '') || '/';
  const perRankLogs = options.perRankLogs ?? false;
  const directives: string[] = [];
  const directive = (opt: string, value: string | number | undefined, path: (string | number)[]) => {
    if (value === undefined || value === '') return;
    directives.push(`#SBATCH --${opt}=${typeof value === 'number' ? value : quoteOr(() => sbatchDirectiveQuote(value), path)}`);
  };

  // A job name is a label: a line break in it is turned into a space rather than refused.
  const jobName = doc.metadata.name.replace(/[\r\n\0]+/g, ' ');
  const shape = jobShape(doc, cluster);
  const command = launchCommand(doc, shape);

  directive('job-name', jobName, ['metadata', 'name']);
  directive('nodes', shape.nodes, []);
  directive('ntasks-per-node', command.tasksPerNode, []);
  if (shape.gpusPerNode > 0) {
    const type = options.gresType === undefined ? gresTypeFor(cluster.spec.nodes.gpu.model) : options.gresType;
    directive('gpus-per-node', type ? `${type}:${shape.gpusPerNode}` : String(shape.gpusPerNode), ['spec', 'resources', 'gpusPerNode']);
  }
  if (shape.cpusPerRank !== undefined) {
    // torchrun runs all of a node's workers inside one task, so that task needs every worker's CPUs.
    directive('cpus-per-task', shape.cpusPerRank * (command.launcher === 'torchrun' ? shape.gpusPerNode || 1 : 1), ['spec', 'resources', 'cpusPerTask']);
  }
  if (shape.memory !== undefined) directive('mem', `${slurmMemoryMiB(shape.memory, ['spec', 'resources', 'memory'])}M`, ['spec', 'resources', 'memory']);
  if (shape.timeLimit !== undefined) directive('time', slurmTimeLimit(shape.timeLimit, ['spec', 'timeLimit']), ['spec', 'timeLimit']);
  directive('partition', sched.partition, ['spec', 'scheduler', 'partition']);
  directive('account', sched.account, ['spec', 'scheduler', 'account']);
  directive('qos', sched.qos, ['spec', 'scheduler', 'qos']);
  directive('reservation', sched.reservation, ['spec', 'scheduler', 'reservation']);
  directive('constraint', sched.constraint, ['spec', 'scheduler', 'constraint']);
  if (sched.exclusive) directives.push('#SBATCH --exclusive');
  const outFile = `${slurmPatternLiteral(logDir)}/slurm-%j.out`;
  directive('output', outFile, []);
  directive('error', outFile, []);

  const body: string[] = [];
  body.push('set -eu');
  // Absolute before any `cd`: relative output paths are resolved against the submit directory.
  body.push(logDir.startsWith('/') ? `GANTRY_LOG_DIR=${shQuote(logDir)}` : `GANTRY_LOG_DIR="$SLURM_SUBMIT_DIR"/${quoteOr(() => shQuote(logDir), [])}`);
  body.push('');
  body.push('# Unbuffered Python output, so log lines show as they are written (the spec can override it).');
  body.push('export PYTHONUNBUFFERED=1');
  for (const [key, value] of Object.entries(envOf(doc))) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new BatchScriptError(`"${key}" is not a valid environment variable name`, ['spec', 'env', key]);
    body.push(`export ${key}=${quoteOr(() => shQuote(String(value)), ['spec', 'env', key])}`);
  }
  body.push('');
  body.push('# Rendezvous on the first node of the allocation; the port is derived from the job id so that');
  body.push('# two jobs sharing a node do not collide.');
  body.push('export MASTER_ADDR="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)"');
  body.push('export MASTER_PORT=$((20000 + SLURM_JOB_ID % 20000))');
  const workdir = doc.kind === 'TrainingJob' ? doc.spec.workingDir : undefined;
  if (workdir) body.push(`cd -- ${quoteOr(() => shQuote(workdir), ['spec', 'workingDir'])}`);
  body.push('');

  const srun: string[] = ['srun', `--ntasks-per-node=${command.tasksPerNode}`];
  if (perRankLogs) srun.push('--output="$GANTRY_LOG_DIR/%j-rank-%t.log"');
  else srun.push('--label');
  srun.push(...containerFlags(doc));
  const line = `${srun.join(' ')} ${command.shell}`;
  body.push(line);

  const header = ['#!/bin/bash', `# Rendered by Gantry from ${doc.kind} ${oneLine(doc.metadata.name)} for Cluster ${oneLine(cluster.metadata.name)}.`, '# Gantry submits exactly this text with `sbatch --parsable`.'];
  return {
    text: [...header, ...directives, '', ...body, ''].join('\n'),
    jobName,
    nodes: shape.nodes,
    tasksPerNode: command.tasksPerNode,
    gpusPerNode: shape.gpusPerNode,
    launcher: command.launcher,
    ranks: shape.nodes * command.tasksPerNode,
    perRankLogs,
    logDir,
  };
}

// ---------------------------------------------------------------- shape and launcher

interface JobShape {
  nodes: number;
  gpusPerNode: number;
  cpusPerRank?: number;
  memory?: string;
  timeLimit?: string;
}

function jobShape(doc: SlurmJobDoc, cluster: ClusterDoc): JobShape {
  if (doc.kind === 'TrainingJob') {
    const r = doc.spec.resources;
    return { nodes: r.nodes, gpusPerNode: r.gpusPerNode, cpusPerRank: r.cpusPerTask, memory: r.memory, timeLimit: doc.spec.timeLimit };
  }
  const s = doc.spec;
  const refused = checkJobBackend(doc.kind, s as unknown as Record<string, unknown>, cluster).find((p) => p.severity === 'error');
  if (refused) throw new BatchScriptError(refused.message, [...refused.path]);
  const gpus = (s.tensorParallel ?? 1) * (s.pipelineParallel ?? 1) * (s.dataParallel ?? 1);
  return { nodes: 1, gpusPerNode: gpus };
}

interface LaunchCommand {
  launcher: 'torchrun' | 'srun';
  tasksPerNode: number;
  /** The words after `srun …`, already quoted for bash. */
  shell: string;
}

function launchCommand(doc: SlurmJobDoc, shape: JobShape): LaunchCommand {
  const argv = doc.spec.command?.length ? [...doc.spec.command] : defaultServeCommand(doc);
  if (argv[0].startsWith('-')) throw new BatchScriptError('the command must start with a program, not an option', ['spec', 'command', 0]);
  const words = argv.map((a, i) => quoteOr(() => shQuote(a), ['spec', 'command', i]));
  if (doc.kind === 'InferenceService') return { launcher: 'srun', tasksPerNode: 1, shell: words.join(' ') };

  const isTorchrun = argv[0] === 'torchrun' || argv[0].endsWith('/torchrun');
  if (isTorchrun) {
    // One torchrun per node; the c10d rendezvous on MASTER_ADDR needs no node rank. Flags the spec
    // already gives are kept as written.
    const given = (flag: string) => argv.some((a) => a === flag || a.startsWith(`${flag}=`));
    const has = (...flags: string[]) => flags.some(given);
    const add: string[] = [];
    if (!has('--nnodes')) add.push(`--nnodes=${shape.nodes}`);
    if (!has('--nproc-per-node', '--nproc_per_node')) add.push(`--nproc-per-node=${Math.max(1, shape.gpusPerNode)}`);
    if (!has('--standalone')) {
      if (!has('--rdzv-backend', '--rdzv_backend')) add.push('--rdzv-backend=c10d');
      if (!has('--rdzv-endpoint', '--rdzv_endpoint')) add.push('"--rdzv-endpoint=$MASTER_ADDR:$MASTER_PORT"');
      if (!has('--rdzv-id', '--rdzv_id')) add.push('"--rdzv-id=$SLURM_JOB_ID"');
    }
    return { launcher: 'torchrun', tasksPerNode: 1, shell: [words[0], ...add, ...words.slice(1)].join(' ') };
  }
  // accelerate launch and the deepspeed launcher start the per-GPU processes themselves: one per node.
  const tool = argv[0].slice(argv[0].lastIndexOf('/') + 1);
  if ((tool === 'accelerate' && argv[1] === 'launch') || tool === 'deepspeed') return { launcher: 'srun', tasksPerNode: 1, shell: words.join(' ') };
  // Any other command runs once per GPU, with the variables torch.distributed's env:// init reads.
  const rankEnv = `bash -c 'export RANK="$SLURM_PROCID" LOCAL_RANK="$SLURM_LOCALID" WORLD_SIZE="$SLURM_NTASKS"` + ` LOCAL_WORLD_SIZE="$SLURM_NTASKS_PER_NODE"; exec "$@"' gantry-rank`;
  return { launcher: 'srun', tasksPerNode: Math.max(1, shape.gpusPerNode), shell: `${rankEnv} ${words.join(' ')}` };
}

function defaultServeCommand(doc: SlurmJobDoc): string[] {
  if (doc.kind === 'TrainingJob') throw new BatchScriptError('a TrainingJob needs a command to run on Slurm', ['spec', 'command']);
  const s = doc.spec;
  const served = servedModel(s.model);
  if (!served.ok) throw new BatchScriptError(`${served.error} (or give a command)`, ['spec', 'model']);
  // Bound to every address: the job runs on a compute node and is reached from the login node.
  const argv = engineArgv(s, { model: served.model, host: '0.0.0.0' });
  if (!argv) throw new BatchScriptError(`spec.engine '${String(s.engine)}' has no default command; give spec.command`, ['spec', 'engine']);
  return argv;
}

function containerFlags(doc: SlurmJobDoc): string[] {
  const c = doc.spec.container;
  if (!c?.image) return [];
  const flags = [`--container-image=${quoteOr(() => shQuote(c.image), ['spec', 'container', 'image'])}`];
  if (c.mounts?.length) {
    // pyxis: SRC:DST[:ro], comma separated; a comma or colon inside a path cannot be expressed.
    const parts = c.mounts.map((m, i) => {
      for (const p of [m.source, m.target]) {
        if (/[,:]/.test(p)) throw new BatchScriptError('a container mount path cannot contain "," or ":" (pyxis separators)', ['spec', 'container', 'mounts', i]);
      }
      return `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`;
    });
    flags.push(`--container-mounts=${quoteOr(() => shQuote(parts.join(',')), ['spec', 'container', 'mounts'])}`);
  }
  if (c.workdir) flags.push(`--container-workdir=${quoteOr(() => shQuote(c.workdir!), ['spec', 'container', 'workdir'])}`);
  return flags;
}

function envOf(doc: SlurmJobDoc): Record<string, string | number | boolean> {
  return doc.spec.env ?? {};
}

// ---------------------------------------------------------------- units

/** H100-SXM-80GB → h100, A100-SXM-40GB → a100, L40S-48GB → l40s: the usual gres type names. */
export function gresTypeFor(model: string): string {
  return model.split(/[-_\s]/)[0].toLowerCase();
}

/**
 * A Gantry duration (`24h`, `90m`, `2d12h`, `45s`) or a Slurm time (`1-00:00:00`, `30:00`, `60`)
 * → Slurm's `D-HH:MM:SS`. Slurm rounds seconds up to whole minutes itself.
 */
export function slurmTimeLimit(value: string, path: (string | number)[] = []): string {
  const seconds = parseDurationSeconds(value);
  if (seconds === Infinity) return 'UNLIMITED';
  if (seconds === undefined) throw new BatchScriptError(`"${value}" is not a time limit: ${DURATION_HINT}`, path);
  const d = Math.floor(seconds / 86400);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d}-${pad(Math.floor((seconds % 86400) / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

const BYTES: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
  // Slurm's own suffixes are binary.
  K: 2 ** 10,
  M: 2 ** 20,
  G: 2 ** 30,
  T: 2 ** 40,
};

/** A quantity (`512GiB`, `2TiB`, `64G`, `500GB`) → whole MiB, rounded up, for `--mem=…M`. */
export function slurmMemoryMiB(value: string, path: (string | number)[] = []): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B?|B)\s*$/i.exec(value);
  const unit = m?.[2].toUpperCase();
  if (!m || !unit || !(unit in BYTES)) throw new BatchScriptError(`"${value}" is not a memory quantity: use e.g. 512GiB or 64G`, path);
  return Math.ceil((Number(m[1]) * BYTES[unit]) / 2 ** 20);
}

function quoteOr(quote: () => string, path: (string | number)[]): string {
  try {
    return quote();
  } catch (e) {
    if (e instanceof UnquotableError) throw new BatchScriptError(e.message, path);
    throw e;
  }
}

function oneLine(s: string): string {
  return s.replace(/[\r\n\0]+/g, ' ');
}
