// One serving command found in a foreign file, with what the file says about its GPUs, as the
// ForeignSpec every reader returns (core/formats/types.ts): the InferenceService, the Cluster the
// file's context gives (GPU product, GPUs per pod or node, nodes), their source maps, and every
// assumption in words. The order of what decides the GPU (issue 10): the file itself, then the
// Cluster the user associated with it (defaults.cluster), then the default GPU setting, then the
// estimator's own default — each named in the hover.
import { findGpu } from '../catalog/gpus';
import { ENGINE_ENV_VARS } from '../estimate/engineVersion';
import { DEFAULT_INTER_NODE, DEFAULT_INTER_NODE_NOTE, SERVER_GPUS } from '../estimate/resolve';
import type { ShellVar } from './shellWords';
import type { Span, SpecPath } from '../spec/parse';
import { quote, type Fix, type Problem, type TextEditAt } from '../validate/problem';
import type { ForeignDefaults, ForeignSpec, FormatId, PlainDoc, SourceEntry } from './types';
import { gpuFromName, type GpuDialect } from './gpuNames';
import { engineDefaults, wordEdit, type ServeCommand, type ServeRead } from './vllmArgs';
import { parseVersion } from '../estimate/engineVersion';
import { mergeEdits } from './yamlWords';
import { ENGINE_FLAGS, SGLANG_SPECULATIVE_FLAGS, SPECULATIVE_KEYS, TP_FLAG } from '../runs/engineCommand';

const SPECULATIVE_TERMS: Record<ServeCommand['engine'], Record<string, string>> = {
  vllm: Object.fromEntries(Object.entries(SPECULATIVE_KEYS).map(([k, key]) => [k, `"${key}" in --speculative-config`])),
  sglang: SGLANG_SPECULATIVE_FLAGS,
};

/** Each field's flag in an engine's command line (the table Gantry launches with): the file's terms for fields it does not write. Built once per engine. */
const FLAG_TERMS = new Map<ServeCommand['engine'], ReadonlyMap<string, string>>();
function flagTerms(engine: ServeCommand['engine']): ReadonlyMap<string, string> {
  let terms = FLAG_TERMS.get(engine);
  if (!terms) {
    const t = new Map<string, string>([['tensorParallel', TP_FLAG[engine]]]);
    for (const f of ENGINE_FLAGS[engine]) if (f.flag) t.set(f.field, f.flag);
    // Fields inside an object field with flags of their own (multimodal.skipProfiling): the dotted path first, then the name alone.
    for (const f of ENGINE_FLAGS[engine]) for (const p of f.parts ?? []) t.set(`${f.field}.${p.key}`, p.flag).set(p.key, p.flag);
    // Speculative decoding's parts: keys of vLLM's --speculative-config JSON, SGLang's flags (engineCommand.ts writes the same).
    for (const [key, term] of Object.entries(SPECULATIVE_TERMS[engine])) t.set(`speculative.${key}`, term);
    FLAG_TERMS.set(engine, (terms = t));
  }
  return terms;
}

/** What the file around the command says about the GPUs it runs on. */
export interface GpuContext {
  scheduler: 'kubernetes' | 'slurm' | 'local';
  /** The synthetic Cluster's name, as messages show it (`pod`, `sbatch`, `compose-service`, `skypilot-task`). */
  clusterName: string;
  /** GPUs per pod or node, where the file says. */
  count?: { value: number; entry: SourceEntry };
  /** The GPU product, as written. */
  product?: { name: string; dialect: GpuDialect; entry: SourceEntry };
  /** Nodes (pods of an LWS group, sbatch --nodes, SkyPilot num_nodes). */
  nodes?: { value: number; entry?: SourceEntry };
  /**
   * The nodes are one group whose GPUs all serve this replica (a LeaderWorkerSet: `count` is the
   * leader pod's, `workers` what each of the other nodes − 1 pods asks for, and how to write it).
   */
  group?: { workers?: { value: number; write?: (v: unknown) => TextEditAt | undefined }; name?: string };
  notes?: string[];
}

export interface ServingSpecInput {
  format: FormatId;
  label: string;
  /** The service's name (a DNS label is made of it). */
  name: string;
  text: string;
  cmd: ServeCommand;
  read: ServeRead;
  gpu: GpuContext;
  defaults?: ForeignDefaults;
  /** The engine version the file names (an image tag). */
  version?: string;
  /** Where the file writes that version (the tag, the pin) and what it is, when it is placed: the hover shows it there. */
  versionAt?: { span: Span; label: string };
  /** The reader's own findings about this command (shell problems, env). */
  problems?: Problem[];
  /** The environment the command runs with, as far as the file says (a container's env, exports, `A=b cmd`). */
  env?: ReadonlyMap<string, ShellVar>;
}

const DEFAULT_GPU = 'H100-SXM-80GB';

/** A DNS-1123 label made of any name (metadata.name of the synthetic documents). */
export function dnsLabel(s: string): string {
  let out = '';
  for (const ch of s.toLowerCase()) {
    const ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (ok) out += ch;
    else if (out && !out.endsWith('-')) out += '-';
    if (out.length >= 63) break;
  }
  out = out.slice(0, 63);
  while (out.endsWith('-')) out = out.slice(0, -1);
  return out || 'service';
}

/** A reader's named engine version (namedEngineVersionAt) as servingSpec takes it. */
export function versionOf(v: { value: string; span?: Span; label: string } | undefined): Pick<ServingSpecInput, 'version' | 'versionAt'> {
  return v ? { version: v.value, ...(v.span ? { versionAt: { span: v.span, label: v.label } } : {}) } : {};
}

/**
 * The release an engine version names, as the estimate takes it: `0.10.1.1` and `v0.19.0` as written (without the
 * v), a suffixed tag or pin as its X.Y.Z (`0.8.5.post1`, `0.10.2-cu126`, `0.9.1rc1` → 0.8.5, 0.10.2, 0.9.1), so the
 * hover's "Engine: vLLM 0.8.5.post1" and the figures are of one release; undefined for what names none.
 */
function releaseOf(version: string): string | undefined {
  const v = version.startsWith('v') ? version.slice(1) : version;
  const parts = parseVersion(v);
  if (!parts) return undefined;
  const fields = v.split('.');
  const plain = fields.length <= 4 && fields.every((f) => f.length > 0 && f.length <= 6 && [...f].every((c) => c >= '0' && c <= '9'));
  return plain ? v : parts.join('.');
}

export function servingSpec(x: ServingSpecInput): ForeignSpec {
  const { read, gpu, defaults } = x;
  const spec: Record<string, unknown> = { ...read.spec };
  // The version the image tag or the user names is the estimate's (vLLM V0 vs V1 profiling, …).
  const version = x.version ?? defaults?.engineVersion;
  const release = version ? releaseOf(version) : undefined;
  if (release && spec.engineVersion === undefined) spec.engineVersion = release;
  const assumptions = [...read.assumptions];
  // The engine's defaults and the file's notes go here, once the sizes the file leaves open have their stand-ins (below).
  const defaultsAt = assumptions.length;
  // The reader's own problems follow, once the stand-ins below have had their say in them.
  const problems: Problem[] = [...(x.problems ?? [])];
  const sources = new Map(read.sources);
  if (x.versionAt && x.version && release && spec.engineVersion === release && !sources.has('spec.engineVersion')) {
    sources.set('spec.engineVersion', { span: x.versionAt.span, label: x.versionAt.label, write: () => undefined });
  }
  // The engine's own switches among the command's variables (VLLM_USE_V1, VLLM_ALLOW_LONG_MAX_MODEL_LEN, …) are spec.env.
  const env: Record<string, string> = {};
  for (const k of ENGINE_ENV_VARS) {
    const v = x.env?.get(k);
    if (!v || v.value.length > 64) continue;
    env[k] = v.value;
    if (v.span) sources.set(`spec.env.${k}`, { span: v.span, label: k });
  }
  if (Object.keys(env).length && spec.env === undefined) spec.env = env;
  const clusterSources = new Map<string, SourceEntry>();
  let assumedGpu: string | undefined;
  const unit = gpu.scheduler === 'kubernetes' ? 'pod' : 'node';
  const pp = typeof spec.pipelineParallel === 'number' ? spec.pipelineParallel : 1;
  const dp = typeof spec.dataParallel === 'number' ? spec.dataParallel : 1;
  let nodes = gpu.nodes?.value ?? 1;
  // The command's own --nnodes N (SGLang; vLLM's multi-node launch without Ray, PR #23691) where the file's context
  // says nothing of nodes: one replica spans N pods (nodes) that each run it with the same GPUs, as a LeaderWorkerSet group's do.
  let group = gpu.group;
  let groupName = `The ${gpu.group?.name ?? 'LeaderWorkerSet group'}`;
  const cmdNodes = gpu.nodes ? undefined : read.nodes;
  if (cmdNodes?.value !== undefined && cmdNodes.value > 1) {
    nodes = cmdNodes.value;
    group = { workers: gpu.count ? { value: gpu.count.value, write: gpu.count.entry.write } : undefined };
    groupName = `The ${cmdNodes.label} ${nodes} replica`;
    assumptions.push(`Nodes: ${nodes}, from ${cmdNodes.label} ${nodes}: one replica spans ${nodes} ${unit}s, each running the command with its own GPUs.`);
  }
  // A parallel size the file does not set (`--tensor-parallel-size $SLURM_GPUS_ON_NODE`, `$(nvidia-smi -L | wc -l)`):
  // such a value is the GPUs the job was given, so tensor parallel stands in as every GPU the file asks for, said as
  // assumed; never a fix of the engine's default 1 against the file's own count (foreign-gpus-idle, "Request 1 GPU").
  const problems0 = [...read.problems];
  const tpVar = spec.tensorParallel === undefined ? read.unresolved?.find((u) => u.field === 'tensorParallel') : undefined;
  if (tpVar && gpu.count && gpu.count.value > 0) {
    const all = gpu.count.value * nodes;
    const stand = all % (pp * dp) === 0 ? all / (pp * dp) : 0;
    if (stand >= 1) {
      spec.tensorParallel = stand;
      // Placed on the variable, which no fix rewrites (the file computes it).
      sources.set('spec.tensorParallel', { span: tpVar.word.span, label: tpVar.label, write: () => undefined });
      const said = `${tpVar.label} is ${quote(tpVar.word.unresolved ?? tpVar.word.value, 40)}, which this file does not set: taken as ${stand}, every GPU the file gives (${gpu.count.entry.label} ${gpu.count.value}${nodes > 1 ? ` × ${nodes} ${unit}s` : ''}${pp * dp > 1 ? ` over pipeline ${pp}${dp > 1 ? ` × data ${dp}` : ''}` : ''}).`;
      assumptions.push(said);
      for (let i = 0; i < problems0.length; i++) if (problems0[i].code === 'foreign-unresolved' && problems0[i].offset === tpVar.word.span.offset) problems0[i] = { ...problems0[i], message: said };
    }
  }
  const tp = typeof spec.tensorParallel === 'number' ? spec.tensorParallel : 1;
  const perReplica = tp * pp * dp;
  // A size still unset: the idle-GPU finding would rest on the engine's default, not on the file.
  const sizesKnown = !read.unresolved?.some((u) => (u.field === 'tensorParallel' && spec.tensorParallel === undefined) || u.field === 'pipelineParallel' || u.field === 'dataParallel');
  // --nnodes the file does not set (and no group that says): as many pods as the replica needs, said as assumed.
  if (cmdNodes && cmdNodes.value === undefined && gpu.count && gpu.count.value > 0 && perReplica > gpu.count.value) {
    nodes = Math.ceil(perReplica / gpu.count.value);
    assumptions.push(`Nodes: ${nodes}, as many ${unit}s of ${gpu.count.value} GPUs as tensor ${tp} × pipeline ${pp}${dp > 1 ? ` × data ${dp}` : ''} needs (${cmdNodes.label} is ${quote(cmdNodes.word.unresolved ?? cmdNodes.word.value, 40)}, which this file does not set).`);
  }
  const haveNodes = !!gpu.nodes || nodes > 1;
  problems.push(...problems0);
  assumptions.splice(defaultsAt, 0, ...engineDefaults(spec as ServeRead['spec'], x.version ?? defaults?.engineVersion), ...(gpu.notes ?? []));

  // The GPU: the file's product, else the associated Cluster, else the default GPU setting, else the estimator's default.
  let model: string | undefined;
  if (gpu.product) {
    const g = gpuFromName(gpu.product.name, gpu.product.dialect);
    if (g.gpu) {
      model = g.gpu.id;
      assumptions.push(`GPU: ${g.gpu.name}, from ${gpu.product.entry.label} ${quote(gpu.product.name)}.`);
    } else {
      // Unknown: the Cluster carries the name as written, so the check says so at the label and estimates nothing.
      model = gpu.product.name;
    }
    if (g.note) assumptions.push(`GPU: ${g.note}.`);
    clusterSources.set('spec.nodes.gpu.model', { span: gpu.product.entry.span, label: gpu.product.entry.label });
    sources.set('spec.cluster', { span: gpu.product.entry.span, label: gpu.product.entry.label });
  }
  let cluster: PlainDoc | undefined;
  if (model || !defaults?.cluster) {
    if (!model && defaults?.gpu && !findGpu(defaults.gpu)) {
      // A default GPU the catalog lacks: the Cluster carries it as written, so the check says so (as for a
      // training config) rather than estimating on another GPU.
      model = defaults.gpu;
    } else if (!model) {
      const d = defaults?.gpu ? findGpu(defaults.gpu)! : findGpu(DEFAULT_GPU)!;
      model = d.id;
      if (!defaults?.gpu) assumedGpu = d.name;
      assumptions.push(defaults?.gpu ? `GPU: ${d.name}, from gantry.context.yaml, --gpu or the gantry.foreign.gpu setting (the file does not name one).` : `GPU: the file does not name one; ${d.name} assumed (gpu: or cluster: in a gantry.context.yaml beside it, or the gantry.foreign.gpu setting, changes it).`);
    }
    let count = gpu.count?.value;
    if (count === undefined) {
      // The file says neither: the default setting, else as many as the command uses on one server, at most
      // SERVER_GPUS; a replica larger than that runs on several (its pipeline stages across them).
      const want = Math.max(1, Math.ceil(perReplica / nodes));
      count = defaults?.gpusPerNode ?? (haveNodes ? want : Math.min(want, SERVER_GPUS));
      assumptions.push(`GPUs per ${unit}: ${count}, ${defaults?.gpusPerNode ? `from ${defaults.worldFrom ?? 'the settings'}` : count < want ? `an ${SERVER_GPUS}-GPU server's` : 'as many as the command uses'} (the file does not say).`);
      if (!haveNodes && perReplica > count) {
        nodes = Math.ceil(perReplica / count);
        assumptions.push(
          `Nodes: ${nodes}, for tensor ${tp} × pipeline ${pp}${dp > 1 ? ` × data ${dp}` : ''} = ${perReplica} GPUs on ${count}-GPU ${unit}s (the file does not say how many${gpu.scheduler === 'kubernetes' ? ' pods; a LeaderWorkerSet group would' : ''}); ${tp <= count ? 'each tensor-parallel group inside one, the pipeline stages across them' : 'tensor parallel itself spans them'}.`,
        );
      }
    } else clusterSources.set('spec.nodes.gpu.count', gpu.count!.entry);
    if (gpu.nodes?.entry) clusterSources.set('spec.nodes.count', gpu.nodes.entry);
    else if (cmdNodes?.value !== undefined && nodes === cmdNodes.value) {
      const at = cmdNodes.word;
      clusterSources.set('spec.nodes.count', { span: at.span, label: cmdNodes.label, write: (v) => (typeof v === 'number' ? wordEdit(at, String(v)) : undefined) });
    }
    cluster = {
      apiVersion: 'gantry/v1',
      kind: 'Cluster',
      metadata: { name: gpu.clusterName },
      // Several nodes and no word on their network: the fabric a job without a Cluster is estimated
      // on (core/check/foreign.ts withDefaultGpu does the same), said as assumed.
      spec: { scheduler: { type: gpu.scheduler }, nodes: { count: nodes, gpu: { model, count } }, ...(nodes > 1 ? { interconnect: { interNode: { type: DEFAULT_INTER_NODE } } } : {}) },
    };
    if (nodes > 1) assumptions.push(DEFAULT_INTER_NODE_NOTE);
  } else {
    assumptions.push(`GPU: from the associated Cluster ${quote(defaults.cluster)} (the file does not name one).`);
  }

  // GPUs the pod (or the LeaderWorkerSet group) asks for but the command does not use start fine and stay idle.
  const idle = gpu.count && sizesKnown ? idleGpus(gpu.count, nodes, group, perReplica, tp, groupName) : undefined;
  if (gpu.count && idle) {
    problems.push({
      code: 'foreign-gpus-idle',
      severity: 'warning',
      message: `${idle.asked}, but the command uses tensor ${tp} × pipeline ${pp}${dp > 1 ? ` × data ${dp}` : ''} = ${perReplica}: ${idle.total - perReplica} stay idle.`,
      offset: gpu.count.entry.span.offset,
      length: gpu.count.entry.span.length,
      ...(idle.fixes.length ? { fixes: idle.fixes } : {}),
    });
  }

  // A new tensor-parallel size also sets the pod's GPU count when one pod holds the replica.
  const withLimit = (tpEdit: TextEditAt | undefined, newTp: unknown): TextEditAt | undefined => {
    if (!tpEdit || typeof newTp !== 'number' || !gpu.count?.entry.write || nodes !== 1) return tpEdit;
    // The tensor-parallel size is the GPU count itself (`$SKYPILOT_NUM_GPUS_PER_NODE`): one edit does both.
    if (tpEdit.offset === gpu.count.entry.span.offset) return tpEdit;
    const want = newTp * pp * dp;
    if (want <= gpu.count.value) return tpEdit;
    const limit = gpu.count.entry.write(want);
    return limit ? mergeEdits(x.text, [tpEdit, limit]) : undefined;
  };
  const tpEntry = sources.get('spec.tensorParallel');
  if (tpEntry?.write) {
    const w = tpEntry.write.bind(tpEntry);
    sources.set('spec.tensorParallel', { ...tpEntry, write: (v) => withLimit(w(v), v) });
  }
  const insert = (path: SpecPath, value: unknown) => {
    const e = read.insert(path, value);
    return path.join('.') === 'spec.tensorParallel' ? withLimit(e, value) : e;
  };

  const job: PlainDoc = { apiVersion: 'gantry/v1', kind: 'InferenceService', metadata: { name: dnsLabel(x.name) }, spec };
  if (cluster) spec.cluster = gpu.clusterName;
  const last = x.cmd.args[x.cmd.args.length - 1]?.span;
  const end = Math.max(x.cmd.anchor.offset + x.cmd.anchor.length, last ? last.offset + last.length : 0);
  const serveCommand = { engine: x.cmd.engine, extent: { offset: x.cmd.anchor.offset, length: end - x.cmd.anchor.offset } };
  // The engine version the file names (image tag, pip pin) or the context gives: what messages and
  // the estimate's assumptions call engineVersion, in the file's words.
  const terms = new Map(flagTerms(x.cmd.engine));
  if (spec.engineVersion !== undefined) terms.set('engineVersion', x.version ? 'the image tag or pip pin the file names' : "gantry.context.yaml's engineVersion (or the gantry.foreign.engineVersion setting)");
  return { format: x.format, label: x.label, job, cluster, sources, clusterSources, ...(assumedGpu ? { assumedGpu } : {}), anchor: x.cmd.anchor, assumptions, insert, terms, problems, serveCommand };
}

/**
 * The GPUs a pod asks for beyond what one replica uses (tensor × pipeline × data parallel): on one
 * node, its count; in a LeaderWorkerSet group, the leader's plus each worker's. Several nodes of
 * another kind (sbatch --nodes, SkyPilot num_nodes) are not counted: the command may run on each.
 */
function idleGpus(count: NonNullable<GpuContext['count']>, nodes: number, group: GpuContext['group'], perReplica: number, tp: number, groupName: string): { asked: string; total: number; fixes: Fix[] } | undefined {
  const plural = (n: number) => `${n} GPU${n === 1 ? '' : 's'}`;
  if (nodes === 1) {
    if (perReplica >= count.value) return undefined;
    const fix = count.entry.write?.(perReplica);
    return { asked: `${count.entry.label} asks for ${plural(count.value)}`, total: count.value, fixes: fix ? [{ title: `Request ${plural(perReplica)}`, edits: [fix] }] : [] };
  }
  const workers = group?.workers;
  if (!workers) return undefined;
  const total = count.value + (nodes - 1) * workers.value;
  if (perReplica >= total) return undefined;
  const same = workers.value === count.value;
  const asked = same ? `${groupName}'s ${nodes} pods ask for ${plural(count.value)} each (${count.entry.label}) = ${total}` : `${groupName} asks for ${total} GPUs: ${count.value} for the leader (${count.entry.label}) and ${workers.value} for ${nodes === 2 ? 'its worker' : `each of its ${nodes - 1} workers`}`;
  // The fix spreads the replica evenly over the group's pods, when it divides and keeps each tensor-parallel group inside a pod.
  const even = perReplica % nodes === 0 ? perReplica / nodes : 0;
  const perPod = even >= tp && even % tp === 0 ? even : undefined;
  const edits = perPod ? [count.entry.write?.(perPod), workers.write === count.entry.write ? undefined : workers.write?.(perPod)] : [];
  const fixes: Fix[] = perPod && edits[0] && (edits[1] || workers.write === count.entry.write) ? [{ title: `Request ${plural(perPod)} per pod`, edits: edits.filter((e): e is TextEditAt => !!e) }] : [];
  return { asked, total, fixes };
}

export function problemAt(code: string, severity: Problem['severity'], at: Span, message: string): Problem {
  return { code, severity, message, offset: at.offset, length: at.length };
}
