// What a schema cannot say: the arithmetic between fields, the references between documents and
// the catalogs. Each rule reads only values that passed the schema (`num` and `str` return
// undefined where the schema already complained), so one mistake never yields two problems.
import { anchorOf, locate, type ParsedDoc, type SpecPath } from '../spec/parse';
import { setValueEdit, yamlScalar } from '../spec/edit';
import { nearest } from '../spec/suggest';
import { valueAt } from '../spec/valueAt';
import { findGpu, gpuGuess, GPUS, nearestGpu } from '../catalog/gpus';
import { resolveArchitecture } from './model';
import { checkEngineFlags, checkJobBackend, checkSchedulerBackend, type BackendProblem } from './backendRules';
import type { Fix, Problem, Severity } from './problem';
import type { Architecture, ClusterDoc, InferenceServiceSpec, Kind } from '../spec/types';
import { quote } from './problem';
import { recurrentLayersOf } from '../estimate/params';
import { engineVersionOf, envTrue, VLLM_MAX_MODEL_LEN_AUTO, vllmAcceptsAutoMaxModelLen } from '../estimate/engineVersion';

export interface ClusterEntry {
  name: string;
  /** Where it is written: a file path or URI, as the caller names files. */
  file: string;
  docIndex: number;
  /** File offset and length of the metadata.name value. */
  nameOffset: number;
  nameLength: number;
  doc: ClusterDoc;
}

export interface ClusterLookup {
  get(name: string): ClusterEntry | undefined;
  /** Every Cluster of that name (more than one is a mistake). */
  all(name: string): ClusterEntry[];
  names(): string[];
}

export interface RuleContext {
  fileText: string;
  doc: ParsedDoc;
  kind: Kind;
  value: Record<string, unknown>;
  /** Paths (joined with '.') that already have a schema problem. */
  flagged: Set<string>;
  /** The file's name as the cluster index knows it. */
  fileName?: string;
  clusters?: ClusterLookup;
  /** Reads a file relative to the spec (for model.config); undefined when it cannot be read. */
  readFile?: (relPath: string) => string | undefined;
}

class Rules {
  readonly problems: Problem[] = [];
  constructor(readonly ctx: RuleContext) {}

  private blocked(path: SpecPath): boolean {
    const key = path.join('.');
    for (const f of this.ctx.flagged) if (key === f || key.startsWith(f + '.') || f.startsWith(key + '.')) return true;
    return false;
  }

  raw(path: SpecPath): unknown {
    return valueAt(this.ctx.value, path);
  }

  num(path: SpecPath): number | undefined {
    const v = this.raw(path);
    return typeof v === 'number' && Number.isFinite(v) && !this.blocked(path) ? v : undefined;
  }

  str(path: SpecPath): string | undefined {
    const v = this.raw(path);
    return typeof v === 'string' && !this.blocked(path) ? v : undefined;
  }

  /** Whether the spec gives this field: written, or shadowed by a near-miss key (its value unknown, not its default). */
  has(path: SpecPath): boolean {
    return this.raw(path) !== undefined || this.blocked(path);
  }

  report(code: string, severity: Severity, path: SpecPath, message: string, fixes: Fix[] = [], prefer: 'key' | 'value' = 'value'): void {
    this.problems.push({ code, severity, message, path, fixes, ...anchorOf(this.ctx.doc, path, prefer) });
  }

  setFix(title: string, path: SpecPath, value: unknown, preferred = true): Fix[] {
    const edit = setValueEdit(this.ctx.fileText, this.ctx.doc, path, value);
    return edit ? [{ title, edits: [edit], preferred, sets: [{ path, value }] }] : [];
  }
}

export function checkRules(ctx: RuleContext): Problem[] {
  const r = new Rules(ctx);
  if (ctx.kind === 'Cluster') checkCluster(r);
  else {
    const cluster = checkClusterRef(r);
    const arch = checkModel(r);
    if (ctx.kind === 'TrainingJob') checkTraining(r, cluster, arch);
    else checkServing(r, cluster, arch);
    if (ctx.kind === 'InferenceService') reportBackend(r, checkEngineFlags((ctx.value.spec ?? {}) as Record<string, unknown>));
    // A job that names no cluster runs on the local backend; one whose cluster is unknown is reported above.
    const spec = (ctx.value.spec ?? {}) as Record<string, unknown>;
    if (cluster || spec.cluster === undefined) reportBackend(r, checkJobBackend(ctx.kind, spec, cluster));
  }
  return r.problems;
}

// ---------------------------------------------------------------- Cluster

function reportBackend(r: Rules, problems: BackendProblem[]): void {
  // One problem per field: a rule above may already have said why (serving-gpus on tensorParallel).
  const said = (p: BackendProblem) => r.problems.some((q) => q.severity === 'error' && q.path?.join('.') === p.path.join('.'));
  for (const p of problems) if (r.has(p.path) && !said(p)) r.report(p.code, p.severity, p.path, p.message, [], p.onKey ? 'key' : 'value');
}

function checkCluster(r: Rules): void {
  reportBackend(r, checkSchedulerBackend(r.ctx.value as unknown as ClusterDoc));
  const model = r.str(['spec', 'nodes', 'gpu', 'model']);
  // A GPU the catalog lacks may be described by memoryGiB (plus optional peaks); the estimate names what it assumed.
  if (model !== undefined && !findGpu(model) && r.num(['spec', 'nodes', 'gpu', 'memoryGiB']) === undefined) {
    const ids = GPUS.flatMap((g) => [g.id]);
    const target = nearestGpu(model)?.id;
    r.report(
      'unknown-gpu',
      'error',
      ['spec', 'nodes', 'gpu', 'model'],
      `Unknown GPU model ${quote(model)}.${target ? ` Did you mean '${target}'?` : ''} Known models include ${ids.slice(0, 8).join(', ')} and ${ids.length - 8} more (docs/catalog.md). To use a GPU the catalog lacks, give nodes.gpu.memoryGiB.`,
      target ? r.setFix(`Change to '${target}'`, ['spec', 'nodes', 'gpu', 'model'], target) : [],
    );
  }
  const guess = model !== undefined ? gpuGuess(model) : undefined;
  if (guess) {
    const a = guess.assumed;
    r.report(
      'gpu-guessed',
      'warning',
      ['spec', 'nodes', 'gpu', 'model'],
      `${quote(model)} could mean several GPUs; Gantry assumes ${a.id} (${a.memoryGiB} GiB). Also possible: ${guess.alternatives.map((g) => `${g.id} (${g.memoryGiB} GiB)`).join(', ')}. Name the card to make the estimates sure.`,
      r.setFix(`Change to '${a.id}'`, ['spec', 'nodes', 'gpu', 'model'], a.id),
    );
  }
  const sched = r.str(['spec', 'scheduler', 'type']);
  if (sched === 'local' && (r.num(['spec', 'nodes', 'count']) ?? 1) > 1) {
    r.report('local-multi-node', 'warning', ['spec', 'nodes', 'count'], 'A local scheduler runs on this machine only: nodes.count should be 1.', r.setFix('Set nodes.count to 1', ['spec', 'nodes', 'count'], 1));
  }
  if (sched !== 'slurm' && r.has(['spec', 'scheduler', 'login'])) {
    r.report('login-needs-slurm', 'warning', ['spec', 'scheduler', 'login'], `scheduler.login is used only by the slurm scheduler; this cluster's scheduler is ${quote(sched ?? 'local')}.`, [], 'key');
  }
  const name = r.str(['metadata', 'name']);
  const all = name ? (r.ctx.clusters?.all(name) ?? []) : [];
  const own = (e: ClusterEntry) => e.file === r.ctx.fileName && e.docIndex === r.ctx.doc.index;
  const other = all.find((e) => !own(e));
  if (other && all.some(own)) {
    r.report('duplicate-cluster', 'error', ['metadata', 'name'], `Another Cluster is also named ${quote(name)} (${other.file === r.ctx.fileName ? 'this file' : other.file}, document ${other.docIndex + 1}); jobs could not tell them apart.`);
  }
}

// ---------------------------------------------------------------- references

function checkClusterRef(r: Rules): ClusterDoc | undefined {
  const lookup = r.ctx.clusters;
  const name = r.str(['spec', 'cluster']);
  if (!lookup) return undefined;
  if (name === undefined) {
    const all = lookup.names();
    return all.length === 1 ? lookup.get(all[0])?.doc : undefined;
  }
  const hit = lookup.get(name);
  if (hit) return hit.doc;
  const names = lookup.names();
  const guess = nearest(name, names);
  const known = names.length ? ` Clusters in this workspace: ${names.slice(0, 10).map(quote).join(', ')}${names.length > 10 ? `, … (${names.length} in all)` : ''}.` : ' No Cluster document was found in this workspace.';
  r.report('unknown-cluster', 'error', ['spec', 'cluster'], `No Cluster named ${quote(name)}.${guess ? ` Did you mean '${guess}'?` : ''}${known}`, guess ? r.setFix(`Change to '${guess}'`, ['spec', 'cluster'], guess) : []);
  return undefined;
}

function checkModel(r: Rules): Architecture | undefined {
  const model = r.raw(['spec', 'model']);
  if (!model || typeof model !== 'object' || r.has(['spec', 'model']) === false) return undefined;
  const res = resolveArchitecture(model as Record<string, unknown>, r.ctx.readFile);
  if (res.problem) {
    const p = res.problem;
    if (r.has(p.path) && (p.path.length < 3 || !(p.path[2] === 'preset' && r.str(p.path) === undefined))) {
      const fixes = p.replacement ? r.setFix(`Change to '${p.replacement}'`, p.path, p.replacement) : [];
      r.report(p.code, 'error', p.path, p.message, fixes);
    }
  }
  return res.architecture;
}

function gpusOfCluster(c: ClusterDoc | undefined): { perNode?: number; nodes?: number } {
  const n = c?.spec?.nodes;
  const perNode = typeof n?.gpu?.count === 'number' ? n.gpu.count : undefined;
  const nodes = typeof n?.count === 'number' ? n.count : undefined;
  return { perNode, nodes };
}

// ---------------------------------------------------------------- TrainingJob

function checkTraining(r: Rules, cluster: ClusterDoc | undefined, arch: Architecture | undefined): void {
  const P = (k: string) => ['spec', 'parallelism', k];
  const nodes = r.num(['spec', 'resources', 'nodes']);
  const perNode = r.num(['spec', 'resources', 'gpusPerNode']);
  const gpus = nodes !== undefined && perNode !== undefined ? nodes * perNode : undefined;
  const tp = r.num(P('tensor')) ?? (r.has(P('tensor')) ? undefined : 1);
  const pp = r.num(P('pipeline')) ?? (r.has(P('pipeline')) ? undefined : 1);
  const cp = r.num(P('context')) ?? (r.has(P('context')) ? undefined : 1);
  const dp = r.num(P('data'));
  const ep = r.num(P('expert'));

  // Cluster capacity.
  const cap = gpusOfCluster(cluster);
  if (perNode !== undefined && cap.perNode !== undefined && perNode > cap.perNode) {
    r.report('cluster-gpus-per-node', 'error', ['spec', 'resources', 'gpusPerNode'], `The job asks for ${perNode} GPUs per node, but cluster ${quote(cluster?.metadata?.name)} has ${cap.perNode} per node.`, r.setFix(`Set gpusPerNode to ${cap.perNode}`, ['spec', 'resources', 'gpusPerNode'], cap.perNode, false));
  }
  if (nodes !== undefined && cap.nodes !== undefined && nodes > cap.nodes) {
    r.report('cluster-nodes', 'error', ['spec', 'resources', 'nodes'], `The job asks for ${nodes} nodes, but cluster ${quote(cluster?.metadata?.name)} has ${cap.nodes}.`, r.setFix(`Set nodes to ${cap.nodes}`, ['spec', 'resources', 'nodes'], cap.nodes, false));
  }

  // TP × PP × DP × CP = GPUs.
  if (gpus !== undefined && tp !== undefined && pp !== undefined && cp !== undefined) {
    const model = tp * pp * cp;
    const formula = `tensor ${tp} × pipeline ${pp}${cp > 1 ? ` × context ${cp}` : ''}`;
    if (dp !== undefined) {
      if (model * dp !== gpus) {
        const want = gpus / model;
        const fixes = Number.isInteger(want) && want >= 1 ? r.setFix(`Set data parallel to ${want}`, P('data'), want) : [];
        r.report('parallelism-product', 'error', P('data'), `${formula} × data ${dp} = ${model * dp} GPUs, but the job has ${nodes} nodes × ${perNode} GPUs = ${gpus}.` + (fixes.length ? ` Data parallel ${want} makes the product right.` : ` ${gpus} is not divisible by ${model}.`), fixes);
      }
    } else if (gpus % model !== 0) {
      // At the first degree written that is more than 1 (the product's factors), else the parallelism map.
      const at = (['tensor', 'pipeline', 'context'] as const).find((k) => r.has(P(k)) && (r.num(P(k)) ?? 1) > 1) ?? (r.has(P('tensor')) ? 'tensor' : undefined);
      r.report('parallelism-product', 'error', at ? P(at) : ['spec', 'parallelism'], `${formula} = ${model} does not divide the job's ${gpus} GPUs, so no whole data-parallel size fits.`);
    }
  }
  if (ep !== undefined && ep > 1 && dp !== undefined && cp !== undefined && (dp * cp) % ep !== 0) {
    r.report('expert-parallel', 'error', P('expert'), `expert parallel ${ep} must divide data × context parallel (${dp * cp}); experts are sharded across data-parallel ranks.`);
  }
  if (ep !== undefined && ep > 1 && arch && !arch.moe) {
    r.report('expert-parallel', 'warning', P('expert'), `expert parallel ${ep} has no effect: the model has no experts.`, r.setFix('Set expert parallel to 1', P('expert'), 1));
  }
  if (arch?.moe && ep !== undefined && arch.moe.experts % ep !== 0) {
    r.report('expert-parallel', 'error', P('expert'), `The model's ${arch.moe.experts} experts cannot be split evenly over expert parallel ${ep}.`);
  }

  // Heads and layers.
  if (arch && tp !== undefined && tp > 1) headsDivisible(r, arch, tp, P('tensor'), 'training');
  if (arch && pp !== undefined && pp > 1) {
    const vpp = r.num(P('virtualPipelineStages')) ?? 1;
    if (arch.layers % (pp * vpp) !== 0) {
      r.report('layers-divisible', 'error', P('pipeline'), `The model's ${arch.layers} layers do not split evenly into pipeline ${pp}${vpp > 1 ? ` × ${vpp} virtual stages` : ''} (${arch.layers} / ${pp * vpp} = ${(arch.layers / (pp * vpp)).toFixed(2)}).`);
    }
  }
  if (arch?.maxContext && tp !== undefined) {
    const seq = r.num(['spec', 'batch', 'sequenceLength']);
    if (seq !== undefined && seq > arch.maxContext) {
      r.report('sequence-too-long', 'warning', ['spec', 'batch', 'sequenceLength'], `sequenceLength ${seq} is longer than the model's context of ${arch.maxContext} tokens; positions past it are untrained.`);
    }
  }
  if (cp !== undefined && cp > 1) {
    const seq = r.num(['spec', 'batch', 'sequenceLength']);
    if (seq !== undefined && seq % (2 * cp) !== 0) {
      r.report('context-parallel-sequence', 'error', P('context'), `Context parallel ${cp} splits each sequence into ${2 * cp} chunks (load-balanced ring attention); sequenceLength ${seq} is not divisible by ${2 * cp}.`);
    }
  }

  // Sharding and sequence parallelism.
  const zero = r.num(P('zero'));
  const fsdp = r.str(P('fsdp'));
  if (zero !== undefined && zero > 0 && fsdp !== undefined && fsdp !== 'none') {
    r.report('zero-and-fsdp', 'error', P('fsdp'), `ZeRO stage ${zero} and FSDP ${quote(fsdp)} both shard the model; choose one.`, r.setFix('Remove FSDP (keep ZeRO)', P('fsdp'), 'none', false));
  }
  if (r.raw(P('sequenceParallel')) === true && tp === 1) {
    r.report('sequence-parallel-needs-tp', 'warning', P('sequenceParallel'), 'sequenceParallel splits activations across tensor-parallel ranks; with tensor 1 it does nothing.', r.setFix('Set sequenceParallel to false', P('sequenceParallel'), false));
  }

  // Batch arithmetic: global = micro × data × accumulation.
  const micro = r.num(['spec', 'batch', 'micro']);
  const global = r.num(['spec', 'batch', 'global']);
  const acc = r.num(['spec', 'batch', 'gradientAccumulation']);
  const dpEff = dp ?? (gpus !== undefined && tp !== undefined && pp !== undefined && cp !== undefined && gpus % (tp * pp * cp) === 0 ? gpus / (tp * pp * cp) : undefined);
  if (micro !== undefined && global !== undefined && micro > global) {
    r.report('global-batch', 'error', ['spec', 'batch', 'micro'], `The micro-batch (${micro}) is larger than the global batch (${global}).`);
  } else if (micro !== undefined && global !== undefined && dpEff !== undefined) {
    if (acc !== undefined) {
      const want = micro * dpEff * acc;
      if (want !== global) {
        r.report('global-batch', 'error', ['spec', 'batch', 'global'], `global ${global} ≠ micro ${micro} × data ${dpEff} × gradientAccumulation ${acc} = ${want}.`, r.setFix(`Set global batch to ${want}`, ['spec', 'batch', 'global'], want));
      }
    } else if (global % (micro * dpEff) !== 0) {
      const lower = Math.max(1, Math.floor(global / (micro * dpEff))) * micro * dpEff;
      r.report('global-batch', 'error', ['spec', 'batch', 'global'], `global ${global} is not a multiple of micro ${micro} × data ${dpEff} = ${micro * dpEff}, so no whole number of accumulation steps gives it.`, r.setFix(`Set global batch to ${lower}`, ['spec', 'batch', 'global'], lower));
    }
  }

  // Fine-tuning.
  const method = r.str(['spec', 'finetune', 'method']);
  const bits = r.num(['spec', 'finetune', 'baseBits']);
  if (method === 'qlora' && bits === 16) {
    r.report('qlora-bits', 'warning', ['spec', 'finetune', 'baseBits'], 'QLoRA quantizes the frozen base to 4 or 8 bits; with baseBits 16 this is plain LoRA.', r.setFix('Set baseBits to 4', ['spec', 'finetune', 'baseBits'], 4));
  }
  if (method === 'full' && r.has(['spec', 'finetune', 'rank'])) {
    r.report('finetune-rank-unused', 'warning', ['spec', 'finetune', 'rank'], 'rank applies to LoRA and QLoRA only; full fine-tuning ignores it.', [], 'key');
  }
}

function headsDivisible(r: Rules, arch: Architecture, tp: number, at: SpecPath, mode: 'training' | 'serving'): void {
  const heads = arch.heads;
  const kv = arch.kvHeads ?? arch.heads;
  const divisorsOf = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
  const suggest = (n: number) => {
    const ds = divisorsOf(n).filter((d) => d <= Math.max(tp, 1) * 2);
    return ds.reduce((b, d) => (Math.abs(d - tp) < Math.abs(b - tp) ? d : b), 1);
  };
  if (heads % tp !== 0) {
    const s = suggest(heads);
    r.report('heads-divisible', 'error', at, `The model's ${heads} attention heads do not split evenly over tensor parallel ${tp}.`, r.setFix(`Set tensor parallel to ${s}`, at, s, false));
    return;
  }
  const rec = recurrentLayersOf(arch);
  if (rec && rec.tpHeads.some((n) => n % tp !== 0)) {
    const s = suggest(rec.tpHeads[0]);
    const heads = rec.kind === 'gated-deltanet' ? `${rec.tpHeads[0]} key and ${rec.tpHeads[1]} value heads` : `${rec.tpHeads[0]} heads`;
    r.report('heads-divisible', 'error', at, `The model's ${rec.name} layers have ${heads}, which do not split evenly over tensor parallel ${tp}.`, r.setFix(`Set tensor parallel to ${s}`, at, s, false));
    return;
  }
  // Training (Megatron) needs query groups divisible by TP; vLLM also accepts TP a multiple of the KV heads (it replicates them).
  const ok = kv % tp === 0 || (mode === 'serving' && tp % kv === 0);
  if (!ok) {
    const s = suggest(kv);
    r.report('kv-heads-divisible', 'error', at, `The model's ${kv} KV heads do not split evenly over tensor parallel ${tp}` + (mode === 'serving' ? ` (and ${tp} is not a multiple of ${kv}).` : '.'), r.setFix(`Set tensor parallel to ${s}`, at, s, false));
  }
}

// ---------------------------------------------------------------- InferenceService

/**
 * The activation dtypes vLLM's kernels for a quantization method take (QuantizationConfig.
 * get_supported_act_dtypes): AWQ and GPTQ float16 (their Marlin kernels, awq_marlin / gptq_marlin,
 * also bfloat16), FP8 bfloat16 and float16. vLLM checks the model's dtype against them when it builds
 * its config and refuses to start ("torch.float32 is not supported for quantization method awq.
 * Supported dtypes: [torch.float16]"). The spec's `awq` stands for both awq and awq_marlin, so only
 * what neither kernel takes (float32) is known to be refused.
 */
const QUANT_ACT_DTYPES: Record<string, { name: string; dtypes: readonly string[]; use: string; words: string }> = {
  awq: { name: 'AWQ', dtypes: ['fp16', 'bf16'], use: 'fp16', words: 'float16 (awq_marlin also bfloat16)' },
  gptq: { name: 'GPTQ', dtypes: ['fp16', 'bf16'], use: 'fp16', words: 'float16 (gptq_marlin also bfloat16)' },
  fp8: { name: 'FP8', dtypes: ['bf16', 'fp16'], use: 'bf16', words: 'bfloat16 and float16' },
  nvfp4: { name: 'NVFP4', dtypes: ['bf16', 'fp16'], use: 'bf16', words: 'bfloat16 and float16' },
  mxfp4: { name: 'MXFP4', dtypes: ['bf16'], use: 'bf16', words: 'bfloat16 only' },
};
const TORCH_DTYPE: Record<string, string> = { fp32: 'float32', fp16: 'float16', bf16: 'bfloat16' };

/**
 * What vLLM refuses for the dtype and quantization a service states: a dtype the quantization
 * method's kernels do not take (QUANT_ACT_DTYPES), on any GPU; and, on GPUs before compute
 * capability 8.0 (V100 7.0, T4 7.5; in the catalog: no bf16 tensor cores), `--dtype bfloat16`
 * ("Bfloat16 is only supported on GPUs with compute capability of at least 8.0"), FP8 (its minimum
 * capability is 8.0), and AWQ below 7.5 (V100). With dtype auto vLLM picks a dtype that works by
 * itself (float16 there, and float32 checkpoints are cast down), so only a stated dtype is an error.
 */
function gpuDtypeSupport(r: Rules, cluster: ClusterDoc | undefined): void {
  const dtype = r.str(['spec', 'dtype']);
  const quantization = r.str(['spec', 'quantization']);
  const act = quantization ? QUANT_ACT_DTYPES[quantization] : undefined;
  const refused = act && dtype && dtype !== 'auto' && !act.dtypes.includes(dtype);
  if (r.str(['spec', 'engine']) !== 'vllm') {
    // Other engines: not known to refuse it, but the quantized layers compute in 16-bit whatever dtype says.
    if (refused && dtype === 'fp32') r.report('quantization-dtype', 'warning', ['spec', 'dtype'], `${quantization} quantization computes in 16-bit; dtype fp32 is ignored for the quantized weights.`, r.setFix(`Set dtype to ${act.use}`, ['spec', 'dtype'], act.use));
    return;
  }
  if (refused) {
    const torch = TORCH_DTYPE[dtype] ?? dtype;
    r.report('gpu-dtype', 'error', ['spec', 'dtype'], `vLLM's ${act.name} kernels take ${act.words} activations, not ${torch}: vLLM refuses to start ("torch.${torch} is not supported for quantization method …"). Use ${TORCH_DTYPE[act.use]}.`, r.setFix(`Set dtype to ${act.use}`, ['spec', 'dtype'], act.use));
  }
  const model = cluster?.spec?.nodes?.gpu?.model;
  const gpu = typeof model === 'string' ? findGpu(model) : undefined;
  if (!gpu || gpu.vendor !== 'nvidia' || gpu.tflops.bf16 !== undefined) return;
  const cc = gpu.id.startsWith('V100') ? '7.0' : '7.5';
  if (r.str(['spec', 'dtype']) === 'bf16') {
    r.report('gpu-dtype', 'error', ['spec', 'dtype'], `The ${gpu.name} (compute capability ${cc}) has no bfloat16: vLLM refuses it ("Bfloat16 is only supported on GPUs with compute capability of at least 8.0"). Use float16.`, r.setFix('Set dtype to fp16', ['spec', 'dtype'], 'fp16'));
  }
  const quant = r.str(['spec', 'quantization']);
  if (quant === 'fp8' || (quant === 'awq' && cc === '7.0')) {
    r.report(
      'gpu-dtype',
      'error',
      ['spec', 'quantization'],
      `${quant === 'fp8' ? 'FP8' : 'AWQ'} needs compute capability ${quant === 'fp8' ? '8.0' : '7.5'} or higher in vLLM; the ${gpu.name} has ${cc}, and vLLM refuses to start. Use an Ampere or newer GPU, or a ${quant === 'fp8' ? 'GPTQ or AWQ' : 'GPTQ'} checkpoint.`,
    );
  }
}

/**
 * maxModelLen auto: vLLM's `--max-model-len auto` / -1 from 0.13 (engineVersion.ts VLLM_MAX_MODEL_LEN_AUTO, PR #29431).
 * Earlier vLLM releases and the other engines read the flag as a number: their argument parser refuses the word
 * and the server does not start. The version is the spec's engineVersion (a foreign file's image tag or pip pin).
 */
function autoMaxModelLen(r: Rules): void {
  const engine = r.str(['spec', 'engine']) ?? 'vllm';
  const at = ['spec', 'maxModelLen'];
  if (engine !== 'vllm') {
    const flag = engine === 'sglang' ? "SGLang's --context-length" : "TGI's --max-total-tokens";
    r.report('max-model-len', 'error', at, `maxModelLen auto is vLLM's (--max-model-len auto, from vLLM ${VLLM_MAX_MODEL_LEN_AUTO.slice(0, 2).join('.')}); ${flag} takes a whole number of tokens, its argument parser refuses "auto" and the server does not start.`);
    return;
  }
  const ev = engineVersionOf({ engineVersion: r.str(['spec', 'engineVersion']), container: { image: r.str(['spec', 'container', 'image']) } } as InferenceServiceSpec);
  const version = ev.parts;
  const text = ev.text ?? '';
  if (version && !vllmAcceptsAutoMaxModelLen(version)) {
    r.report(
      'max-model-len',
      'error',
      at,
      `maxModelLen auto (auto or -1) fits the length to the KV cache from vLLM ${VLLM_MAX_MODEL_LEN_AUTO.slice(0, 2).join('.')} (PR #29431); vLLM ${quote(text, 20)} predates it: its argument parser refuses the word auto ("invalid … value"), and it takes -1 as a length, not as "fit to the KV cache". Give a number of tokens, or use vLLM ${VLLM_MAX_MODEL_LEN_AUTO.slice(0, 2).join('.')} or later.`,
    );
  }
}

function checkServing(r: Rules, cluster: ClusterDoc | undefined, arch: Architecture | undefined): void {
  const tp = r.num(['spec', 'tensorParallel']) ?? (r.has(['spec', 'tensorParallel']) ? undefined : 1);
  const pp = r.num(['spec', 'pipelineParallel']) ?? (r.has(['spec', 'pipelineParallel']) ? undefined : 1);
  const dpr = r.num(['spec', 'dataParallel']) ?? (r.has(['spec', 'dataParallel']) ? undefined : 1);
  const replicas = r.num(['spec', 'replicas']) ?? 1;
  const tpPath = r.has(['spec', 'tensorParallel']) ? ['spec', 'tensorParallel'] : ['spec', 'engine'];
  if (arch && tp !== undefined && tp > 1) headsDivisible(r, arch, tp, tpPath, 'serving');
  if (arch && pp !== undefined && pp > 1 && arch.layers < pp) {
    r.report('layers-divisible', 'error', ['spec', 'pipelineParallel'], `pipelineParallel ${pp} is more than the model's ${arch.layers} layers.`);
  }
  const maxLen = r.num(['spec', 'maxModelLen']);
  if (arch?.maxContext && maxLen !== undefined && maxLen > arch.maxContext) {
    const engine = r.str(['spec', 'engine']) ?? 'vllm';
    const allowVar = engine === 'sglang' ? 'SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN' : engine === 'vllm' ? 'VLLM_ALLOW_LONG_MAX_MODEL_LEN' : undefined;
    const set = allowVar ? r.raw(['spec', 'env', allowVar]) : undefined;
    const fix = r.setFix(`Set maxModelLen to ${arch.maxContext}`, ['spec', 'maxModelLen'], arch.maxContext);
    if (allowVar && envTrue(set)) {
      // The engine starts; past the trained context its positions are extrapolated (vLLM logs a warning that outputs may be incorrect).
      r.report('max-model-len', 'warning', ['spec', 'maxModelLen'], `maxModelLen ${maxLen} exceeds the model's context of ${arch.maxContext} tokens; ${allowVar} lets ${engine === 'sglang' ? 'SGLang' : 'vLLM'} start, but beyond the context it was trained for the model's output may be wrong.`, fix);
    } else {
      const refusal = allowVar ? `${engine === 'sglang' ? 'SGLang' : 'vLLM'} refuses to start (unless ${allowVar}=1)` : 'the engine refuses to start';
      r.report('max-model-len', 'error', ['spec', 'maxModelLen'], `maxModelLen ${maxLen} exceeds the model's context of ${arch.maxContext} tokens; ${refusal}.`, fix);
    }
  }
  if (r.raw(['spec', 'maxModelLen']) === 'auto') autoMaxModelLen(r);
  const cap = gpusOfCluster(cluster);
  if (tp !== undefined && pp !== undefined && dpr !== undefined && cap.perNode !== undefined && cap.nodes !== undefined) {
    const perReplica = tp * pp * dpr;
    const total = cap.perNode * cap.nodes;
    const name = cluster?.metadata?.name;
    if (perReplica > total) {
      r.report('serving-gpus', 'error', tpPath, `One replica needs tensor ${tp} × pipeline ${pp}${dpr > 1 ? ` × data ${dpr}` : ''} = ${perReplica} GPUs, but cluster ${quote(name)} has ${total}.`);
    } else if (tp > cap.perNode) {
      r.report(
        'serving-tp-spans-nodes',
        'warning',
        tpPath,
        `tensorParallel ${tp} is more than the ${cap.perNode} GPUs of one node (cluster ${quote(name)}): every layer's all-reduce would cross the inter-node network, which slows decoding, and the replica needs a multi-node launch (${r.str(['spec', 'engine']) === 'sglang' ? 'SGLang: --nnodes and --dist-init-addr' : 'vLLM: a Ray cluster across the nodes'}). Use tensor parallel within a node and pipeline parallel across nodes (tensorParallel ${cap.perNode}, pipelineParallel ${Math.ceil((tp * pp) / cap.perNode)}).`,
      );
    } else if (perReplica * replicas > total) {
      r.report(
        'serving-replicas',
        'warning',
        ['spec', 'replicas'],
        `${replicas} replicas × ${perReplica} GPUs = ${perReplica * replicas} GPUs, but cluster ${quote(name)} has ${total}; only ${Math.floor(total / perReplica)} can run at once.`,
        r.setFix(`Set replicas to ${Math.floor(total / perReplica)}`, ['spec', 'replicas'], Math.floor(total / perReplica), false),
      );
    }
  }
  gpuDtypeSupport(r, cluster);
  const util = r.num(['spec', 'gpuMemoryUtilization']);
  if (util !== undefined && util < 0.5) {
    r.report('low-memory-utilization', 'warning', ['spec', 'gpuMemoryUtilization'], `gpuMemoryUtilization ${util} leaves more than half of each GPU unused by vLLM; typical values are 0.85–0.95.`);
  }
  // Speculative decoding: what the engine needs to start the drafter.
  const method = r.str(['spec', 'speculative', 'method']);
  if ((method === 'eagle' || method === 'eagle3') && !r.str(['spec', 'speculative', 'draftModel'])) {
    r.report('speculative-draft', 'error', ['spec', 'speculative', 'method'], `${method} speculative decoding runs an EAGLE head: set speculative.draftModel to its Hugging Face id or path (vLLM refuses to start without one).`);
  }
  // vLLM's SpeculativeConfig raises "num_speculative_tokens must be provided … unless the draft model config contains an
  // n_predict parameter": always for ngram (no draft model); for an EAGLE head only if its config has no n_predict.
  if ((method === 'eagle' || method === 'eagle3' || method === 'ngram') && !r.has(['spec', 'speculative', 'tokens'])) {
    const ngram = method === 'ngram';
    r.report(
      'speculative-draft',
      ngram ? 'error' : 'warning',
      ['spec', 'speculative', 'method'],
      ngram ? "ngram speculative decoding needs speculative.tokens (vLLM's num_speculative_tokens): vLLM refuses to start without it." : `${method} speculative decoding needs speculative.tokens (vLLM's num_speculative_tokens): vLLM refuses to start without it unless the draft head's config gives n_predict.`,
      r.setFix('Propose 3 tokens per step', ['spec', 'speculative', 'tokens'], 3, false),
    );
  }
  if (method === 'mtp' && arch?.mtpLayers === 0) {
    r.report('speculative-draft', 'error', ['spec', 'speculative', 'method'], 'This model ships no multi-token-prediction layers (mtpLayers 0): mtp speculative decoding has nothing to load. Use eagle/eagle3 with a draft head, or ngram.');
  }
}

export { yamlScalar, locate };
