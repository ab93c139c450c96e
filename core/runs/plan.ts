// A spec document and its cluster → the LaunchPlan shown in the confirmation and handed to a
// backend. The target backend is the referenced Cluster's scheduler type (`local` when the spec
// names no cluster). Everything a person must see before it runs is resolved here: argv, the full
// set of variables Gantry adds to the environment, the working directory and the GPUs.
import * as path from 'node:path';
import type { BackendId, ClusterOptions, LaunchPlan } from './types';
import type { ClusterDoc, InferenceServiceDoc, InferenceServiceSpec, TrainingJobDoc, TrainingJobSpec } from '../spec/types';
import { estimateInferenceService, estimateTrainingJob, predictedRefusal, printedAvailableKvBytes, type RefusalKind } from '../estimate/index';
import { staticBytesOf } from '../estimate/terms';
import { DURATION_HINT, parseDurationSeconds } from './duration';
import { servedModel } from './servedModel';
import { engineArgv, trainingLauncherArgv } from './engineCommand';
import { configTool, configuredJob } from '../formats/trainingConfig';
import { readerBeside } from '../workspace/readBeside';
import { checkJobBackend } from '../validate/backendRules';

export interface PlanInput {
  doc: TrainingJobDoc | InferenceServiceDoc;
  docIndex: number;
  specFile: string; // absolute
  /** Clusters known to the caller (the spec's file and its neighbours); the one named by spec.cluster is used. */
  clusters?: ClusterDoc[];
  estimatedDeviceBytesPerGpu?: number;
}

export type PlanResult = { ok: true; plan: LaunchPlan } | { ok: false; errors: string[] };

export function planLaunch(input: PlanInput): PlanResult {
  const { doc, specFile } = input;
  const errors: string[] = [];
  const warnings: string[] = [];
  const spec = doc.spec ?? ({} as TrainingJobDoc['spec']);
  const name = doc.metadata?.name;
  if (!name) errors.push('metadata.name is missing');

  let cluster: ClusterDoc | undefined;
  if (spec.cluster) {
    cluster = input.clusters?.find((c) => c.metadata?.name === spec.cluster);
    if (!cluster) errors.push(`spec.cluster: no Cluster named '${spec.cluster}' was found in its file, its folder or the folders above it (up to the workspace root)`);
  }
  // The Cluster's scheduler picks the backend. One Gantry cannot submit to (kubernetes) is refused
  // below with checkJobBackend's scheduler-no-backend finding.
  const slurmCluster = cluster?.spec?.scheduler?.type === 'slurm' ? cluster : undefined;
  const backend: BackendId = slurmCluster ? 'slurm' : 'local';

  const specDir = path.dirname(specFile);
  const workingDir = doc.kind === 'TrainingJob' ? doc.spec.workingDir : undefined;
  // Locally the command starts in the spec's folder (or workingDir from there). A Slurm job starts
  // where sbatch ran, the home directory on the login node, and the batch script cds to workingDir.
  const cwd = backend === 'slurm' ? (workingDir ? (path.posix.isAbsolute(workingDir) ? workingDir : `~/${workingDir}`) : '~') : workingDir ? path.resolve(specDir, workingDir) : specDir;

  let command: string[] | undefined;
  let nodes = 1;
  let gpusPerNode = 0;
  if (doc.kind === 'TrainingJob') {
    const s = doc.spec;
    nodes = s.resources?.nodes ?? 1;
    gpusPerNode = s.resources?.gpusPerNode ?? 0;
    command = s.command?.length || !s.config ? s.command : configCommand(s, specFile, backend, cwd, errors);
    if (!command?.length && !s.config) errors.push('spec.command is missing: Gantry runs the command the spec gives (e.g. [torchrun, --nproc-per-node, "8", train.py]), or the tool\'s own launcher for spec.config');
  } else {
    const s = doc.spec;
    gpusPerNode = (s.tensorParallel ?? 1) * (s.pipelineParallel ?? 1) * (s.dataParallel ?? 1);
    nodes = 1;
    command = s.command?.length ? [...s.command, ...(s.extraArgs ?? [])] : engineCommand(s, backend, errors);
  }
  if (command?.some((a) => typeof a !== 'string')) errors.push('spec.command must be a list of strings');

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.env ?? {})) env[k] = String(v);

  let gpuIndices: number[] | undefined;
  // What the backend refuses, in the words and at the fields the editor and `gantry check` show.
  for (const p of checkJobBackend(doc.kind, spec as unknown as Record<string, unknown>, cluster)) {
    if (p.severity === 'error' || p.code === 'scheduler-no-backend') errors.push(`${p.path.join('.')}: ${p.message}`);
  }
  if (backend === 'local') {
    if (env.CUDA_VISIBLE_DEVICES !== undefined) {
      gpuIndices = env.CUDA_VISIBLE_DEVICES.split(',').filter(Boolean).map(Number).filter(Number.isInteger);
    } else if (gpusPerNode > 0) {
      gpuIndices = Array.from({ length: gpusPerNode }, (_, i) => i);
      env.CUDA_VISIBLE_DEVICES = gpuIndices.join(',');
    }
    const localGpus = cluster?.spec?.nodes?.gpu?.count;
    if (localGpus !== undefined && gpusPerNode > localGpus) errors.push(`the spec asks for ${gpusPerNode} GPUs and cluster '${cluster!.metadata.name}' has ${localGpus}`);
  }
  // The local backend's supervisor enforces the limit; Slurm gets it as `--time` from the batch script.
  let timeLimitSeconds: number | undefined;
  const timeLimit = doc.kind === 'TrainingJob' ? doc.spec.timeLimit : undefined;
  if (timeLimit !== undefined) {
    timeLimitSeconds = parseDurationSeconds(String(timeLimit));
    if (timeLimitSeconds === undefined && backend === 'local') errors.push(`spec.timeLimit: "${timeLimit}" is not a time limit: ${DURATION_HINT}`);
  }
  // Python buffers stdout when it is a file; unbuffered output is what makes the live log live.
  if (env.PYTHONUNBUFFERED === undefined) env.PYTHONUNBUFFERED = '1';

  if (errors.length || !command) return { ok: false, errors };
  // A job with `config:` is estimated with its file's values, as the editor shows it.
  const configured = doc.kind === 'TrainingJob' && doc.spec.config ? configuredJob(doc as unknown as Record<string, unknown>, readerBeside(specFile))?.value : undefined;
  const atSubmit = estimateAtSubmit((configured as TrainingJobDoc | undefined) ?? doc, cluster);
  const estimated = input.estimatedDeviceBytesPerGpu ?? atSubmit.deviceBytes;
  const base = {
    name: name!,
    kind: doc.kind,
    specFile,
    docIndex: input.docIndex,
    command,
    env,
    cwd,
    nodes,
    gpusPerNode,
    ...(gpuIndices ? { gpuIndices } : {}),
    ...(estimated ? { estimatedDeviceBytesPerGpu: estimated } : {}),
    ...(atSubmit.tokensPerSecondPerGpu ? { estimatedTokensPerSecondPerGpu: atSubmit.tokensPerSecondPerGpu } : {}),
    ...(atSubmit.staticBytes && estimated === atSubmit.deviceBytes ? { estimatedStaticBytesPerGpu: atSubmit.staticBytes } : {}),
    ...(atSubmit.kvCacheTokens ? { estimatedKvCacheTokens: atSubmit.kvCacheTokens } : {}),
    ...(atSubmit.cudaGraphBytes ? { estimatedCudaGraphBytesPerGpu: atSubmit.cudaGraphBytes } : {}),
    ...(atSubmit.availableKvBytes !== undefined ? { estimatedAvailableKvBytesPerGpu: atSubmit.availableKvBytes } : {}),
    ...(atSubmit.refusal ? { estimatedRefusal: atSubmit.refusal } : {}),
    ...(timeLimit !== undefined && timeLimitSeconds !== undefined && Number.isFinite(timeLimitSeconds) ? { timeLimit: String(timeLimit), timeLimitSeconds } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
  const plan: LaunchPlan = slurmCluster ? { ...base, backend: 'slurm', backendOptions: clusterOptions(slurmCluster) } : { ...base, backend: 'local', ...(cluster ? { backendOptions: clusterOptions(cluster) } : {}) };
  return { ok: true, plan };
}

/** What a plan records of its Cluster: the backend re-reads nothing else of it. */
function clusterOptions(cluster: ClusterDoc): ClusterOptions {
  return { cluster: cluster.metadata.name, scheduler: cluster.spec.scheduler ?? { type: 'local' } };
}

/**
 * The estimator's figures kept with the run, to be set against what the run measured when it ends:
 * per-GPU device memory (what nvidia-smi shows; also the memory chart's line); for training,
 * tokens/s per GPU; for serving, the KV cache in tokens and the CUDA graph pool.
 */
function estimateAtSubmit(doc: TrainingJobDoc | InferenceServiceDoc, cluster: ClusterDoc | undefined): { deviceBytes?: number; tokensPerSecondPerGpu?: number; staticBytes?: number; kvCacheTokens?: number; cudaGraphBytes?: number; availableKvBytes?: number; refusal?: RefusalKind } {
  try {
    const e = doc.kind === 'TrainingJob' ? estimateTrainingJob(doc, cluster) : estimateInferenceService(doc, cluster);
    const bytes = e.memory?.perGpu.deviceBytes;
    const tps = 'time' in e ? e.time?.tokensPerSecondPerGpu : undefined;
    const fixed = e.kind === 'TrainingJob' && e.memory ? staticBytesOf(e.memory) : undefined;
    const kv = e.kind === 'InferenceService' ? e.serving?.kvCacheTokens : undefined;
    const graphs = e.kind === 'InferenceService' ? e.serving?.cudaGraphBytes : undefined;
    // What vLLM would print as the memory left for the KV cache (negative: none), and the refusal the estimate predicts.
    const available = e.kind === 'InferenceService' && e.serving ? printedAvailableKvBytes(e.serving) : undefined;
    const refusal = predictedRefusal(e);
    return {
      ...(available !== undefined && Number.isFinite(available) ? { availableKvBytes: available } : {}),
      ...(refusal && e.kind === 'InferenceService' ? { refusal } : {}),
      ...(kv && Number.isFinite(kv) && kv > 0 ? { kvCacheTokens: kv } : {}),
      ...(graphs && Number.isFinite(graphs) && graphs > 0 ? { cudaGraphBytes: graphs } : {}),
      ...(fixed && Number.isFinite(fixed) && fixed > 0 ? { staticBytes: fixed } : {}),
      ...(bytes && Number.isFinite(bytes) && bytes > 0 ? { deviceBytes: bytes } : {}),
      ...(tps && Number.isFinite(tps) && tps > 0 ? { tokensPerSecondPerGpu: tps } : {}),
    };
  } catch {
    return {}; // an estimate is a nicety here; a spec the estimator cannot read still runs
  }
}

/**
 * The training tool's own launcher when a TrainingJob points at its config and gives no command:
 * which tool, from the file (core/formats/trainingConfig.ts configTool, read as the check reads
 * it: regular files, size cap); the argv from engineCommand.ts; the world size from resources.
 */
function configCommand(s: TrainingJobSpec, specFile: string, backend: BackendId, cwd: string, errors: string[]): string[] | undefined {
  const config = s.config!;
  const read = readerBeside(specFile);
  const text = read(config);
  if (text === undefined) {
    errors.push(`spec.config: cannot read '${config}' (${read.why?.(config) ?? 'unreadable'}), so Gantry cannot tell which launcher runs it`);
    return undefined;
  }
  const tool = configTool(config, text);
  if (!tool) {
    errors.push(`spec.config: '${config}' is not a torchtitan TOML, axolotl YAML, accelerate YAML or DeepSpeed JSON; give spec.command`);
    return undefined;
  }
  // Locally the command starts in cwd: name the file from there. On Slurm the files are the
  // cluster's, under workingDir, where the spec's relative path is taken as written.
  const rel = (p: string) => (backend === 'local' && !path.isAbsolute(p) ? path.relative(cwd, path.resolve(path.dirname(specFile), p)) || p : p);
  const r = trainingLauncherArgv({ tool, config: rel(config), script: s.script, nodes: s.resources?.nodes ?? 1, gpusPerNode: s.resources?.gpusPerNode ?? 1 });
  if (!r.ok) {
    errors.push(r.error);
    return undefined;
  }
  return r.argv;
}

/** The serving engine's own launcher when an InferenceService gives no command. */
function engineCommand(s: InferenceServiceSpec, backend: string, errors: string[]): string[] | undefined {
  const served = servedModel(s.model);
  if (!served.ok) {
    errors.push(`spec.command is missing and ${served.error}`);
    return undefined;
  }
  const argv = engineArgv(s, { model: served.model, host: backend === 'slurm' ? '0.0.0.0' : '127.0.0.1' });
  if (!argv) errors.push(`spec.engine '${String(s.engine)}' has no default command; give spec.command`);
  return argv;
}

/** The plan as a person reads it in a confirmation: one argv per line would hide nothing either. */
export function describePlan(plan: LaunchPlan): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  const lines = [
    `${plan.kind} ${plan.name} on ${plan.backend}`,
    `command: ${plan.command.map(quote).join(' ')}`,
    `cwd: ${plan.cwd}${plan.backend === 'slurm' ? ' (on the cluster: sbatch runs from the home directory on the login node)' : ''}`,
    describeGpus(plan),
    `env: ${
      Object.entries(plan.env)
        .map(([k, v]) => `${k}=${quote(v)}`)
        .join(' ') || '(inherited only)'
    }`,
  ];
  if (plan.timeLimit) lines.push(`time limit: ${plan.timeLimit}`);
  for (const w of plan.warnings ?? []) lines.push(`note: ${w}`);
  return lines.join('\n');
}

/** `GPU 0`, `GPUs 0,1`, `GPUs: 2 × 8` or `GPUs: none`; "GPUs: 0" read as "no GPUs" when it meant index 0. */
export function describeGpus(plan: Pick<LaunchPlan, 'gpuIndices' | 'gpusPerNode' | 'nodes'>): string {
  if (plan.gpuIndices) {
    if (!plan.gpuIndices.length) return 'GPUs: none';
    return `${plan.gpuIndices.length === 1 ? 'GPU' : 'GPUs'} ${plan.gpuIndices.join(',')}`;
  }
  return plan.gpusPerNode ? `GPUs: ${plan.nodes} × ${plan.gpusPerNode}` : 'GPUs: none';
}
