// Per-GPU training memory: model states, activations, logits and loss, transient buffers and
// fixed overheads, reported as peak allocated, peak reserved and device-level bytes.
//
// Sources (details in docs/estimator.md):
// - bytes per parameter: HF "Model training anatomy" (18 B/param mixed-precision AdamW: 6 weights
//   incl. the fp32 master, 4 fp32 grads, 8 Adam moments), ZeRO (Rajbhandari et al. 2019) stages,
//   Megatron distributed optimizer table; pure bf16 = 2 + 2 + 4 (litgpt bf16-true, torchtune);
// - activations: Korthikanti et al. 2022 (arXiv:2205.05198) Table 2, counted tensor by tensor so
//   that GQA, gated MLPs, MoE and dtype are explicit (reduces to 34·sbh + 5·as²b for GPT-style);
// - pipeline: 1F1B keeps `pipeline` micro-batches in flight on the first stage (Megatron
//   theoretical_memory_usage.py), interleaving adds (p−1)/(p·v);
// - overheads: CUDA context (HF anatomy: 1343 MiB on V100 with eager kernel loading; ~0.5 GiB with
//   lazy loading on H100 per vLLM logs), caching-allocator slack (reserved ≈ allocated + 2–10 %).

import type { AttentionImpl, Checkpointing, Finetune, OptimizerType, Precision } from '../spec/types';
import { attentionShapeOf, recurrentLayersOf } from './params';
import type { TrainingLayout } from './layout';
import { GIB, type ResolvedCluster, type ResolvedModel } from './resolve';
import type { MemoryEstimate } from './types';

export interface TrainingMemoryInput {
  model: ResolvedModel;
  cluster: ResolvedCluster;
  layout: TrainingLayout;
  precision: Precision;
  optimizer: OptimizerType;
  checkpointing: Checkpointing;
  /** Layers checkpointed (the rest keep all activations); default all. */
  checkpointedLayers?: number;
  attention: AttentionImpl;
  finetune?: Finetune;
  /** Issue 12 regimes; each defaults to the behaviour before it was modelled. */
  optimizerImpl?: OptimizerImpl;
  pagedOptimizer?: boolean;
  lossParallel?: boolean;
  pipelineSchedule?: PipelineSchedule;
  compile?: boolean;
  /** The loss is inside the compiled region (default false here; training.ts defaults it to compile). */
  compileLoss?: boolean;
  float8?: { allGather?: boolean; saveActivations?: 'bf16' | 'fp8' };
}

export type OptimizerImpl = 'foreach' | 'fused' | 'for-loop';
export type PipelineSchedule = 'gpipe' | '1f1b' | 'interleaved-1f1b';

/**
 * PyTorch's optimizer step when the spec does not say: foreach is torch.optim's default on CUDA
 * (torch/optim/optimizer.py _default_to_fused_or_foreach); DeepSpeed (FusedAdam) and Megatron
 * (Apex/TE FusedAdam) step in place.
 */
export function defaultOptimizerImpl(l: TrainingLayout, legacyStack = false): OptimizerImpl {
  if (legacyStack) return 'for-loop'; // PyTorch < 2.0 stepped one tensor at a time unless foreach was asked for
  return l.zero > 0 || l.tensor > 1 || l.pipeline > 1 ? 'fused' : 'foreach';
}

/** bitsandbytes 8-bit optimizers: block-wise quantized states, one fp32 absmax per 256 values (bnb functional BLOCKSIZE for optimizer updates). */
const BNB_BLOCK = 256;

/** CUDA context + kernel images: lazy module loading (CUDA ≥ 11.7, default from 12.2) keeps it ~0.5 GiB. */
const CUDA_CONTEXT_LAZY = 0.5 * GIB;
/** Eager kernel loading, as on the V100-era stacks: 1343 MiB measured (HF model_memory_anatomy). */
const CUDA_CONTEXT_EAGER = 1343 * 1024 ** 2;
/** NCCL communicator buffers: NCCL_BUFFSIZE 4 MiB × channels × peers; ~0.5 GiB per busy communicator. */
const NCCL_PER_GROUP = 0.5 * GIB;
/** Caching-allocator slack: reserved ≈ allocated + 2–10 % (FORMULAS §4). Per-step tensors vary in size and fragment the pool; long-lived states do not. */
const SLACK_DYNAMIC = 0.1;
const SLACK_STATIC = 0.02;
/** DeepSpeed ZeRO-1/2 defaults: reduce_bucket_size = allgather_bucket_size = 5e8 elements. */
const ZERO_BUCKET_ELEMENTS = 5e8;
/** bitsandbytes NF4 with double quantization: 4 bits + ~0.127 bits of block constants per weight (QLoRA paper). */
const NF4_BITS = 4.127;

export function isMixed(p: Precision): boolean {
  return p === 'bf16-mixed' || p === 'fp16-mixed' || p === 'fp8-mixed';
}

/** Whether the job uses PyTorch AMP-style autocast over fp32 weights (plain single-GPU/DDP), which keeps the residual stream in fp32. */
export function usesAutocast(x: { precision: Precision; layout: TrainingLayout; finetune?: Finetune }): boolean {
  const l = x.layout;
  // LoRA/QLoRA load the frozen base in 16 bits (or 4/8), so its residual stream is half precision.
  return isMixed(x.precision) && l.zero === 0 && l.fsdp === 'none' && l.tensor === 1 && l.pipeline === 1 && !(x.finetune && x.finetune.method !== 'full');
}

function optimizerBytesPerParam(opt: OptimizerType, precision: Precision, hidden: number): number {
  const pure = precision === 'bf16' || precision === 'fp16';
  switch (opt) {
    case 'adamw':
    case 'adam':
      return pure ? 4 : 8; // two moments, fp32 (bf16 under pure-bf16 training)
    case 'adamw-8bit':
      return 2 * (1 + 4 / BNB_BLOCK); // bitsandbytes: two 8-bit moments (HF anatomy: 2 B/param) + an fp32 absmax per 256-value block
    case 'sgd':
      return 0; // torch.optim.SGD's default momentum=0 keeps no state
    case 'sgd-momentum':
    case 'lion':
      return pure ? 2 : 4; // one momentum buffer (SGD with momentum, Lion)
    case 'adafactor':
      return (pure ? 2 : 4) * (2 / hidden); // factored second moment: rows + columns of each matrix
  }
}

interface ParamSplit {
  /** Parameters on this GPU (before ZeRO/FSDP sharding). */
  local: number;
  /** Linear-layer parameters on this GPU (quantizable in QLoRA). */
  linear: number;
  /** Routed-expert parameters on this GPU (already split over expert parallel ranks). */
  experts: number;
  /** Largest single layer on this GPU. */
  layer: number;
  /** Embedding or output matrix on this GPU. */
  vocabMatrix: number;
}

/**
 * What the expert weights are divided by before the (later) division by tensor: expert parallel, and under
 * MoE parallel folding (Megatron expert_tensor_parallel_size ≠ tensor) the expert layers' own tensor split
 * in place of the dense layers' — so experts end up split expert × expertTensor ways.
 */
function expertShare(l: TrainingLayout): number {
  return (l.expert * l.expertTensor) / l.tensor;
}

function stageParams(m: ResolvedModel, l: TrainingLayout, stage: 'first' | 'last'): ParamSplit {
  const p = m.params;
  const L = m.arch.layers;
  const perLayerAvg = (p.denseLayers * p.denseLayer + p.moeLayers * (p.moeLayerShared + p.moeLayerExperts / expertShare(l))) / L;
  const layersHere = Math.ceil(L / l.pipeline);
  const blocks = (perLayerAvg * layersHere) / l.tensor;
  let vocab = 0;
  if (l.pipeline === 1) vocab = p.embedding + p.output + p.extra;
  else if (stage === 'first') vocab = p.embedding + p.extra;
  else vocab = p.output || p.embedding; // a tied embedding is replicated on the last stage (Megatron)
  vocab /= l.tensor;
  const layer = Math.max(p.denseLayers ? p.denseLayer : 0, p.moeLayers ? p.moeLayerShared + p.moeLayerExperts / expertShare(l) : 0) / l.tensor;
  const experts = (p.moeLayers * (p.moeLayerExperts / expertShare(l)) * layersHere) / L / l.tensor;
  return { local: blocks + vocab, linear: blocks, experts, layer, vocabMatrix: (p.output || p.embedding) / l.tensor };
}

function loraAdapterParams(m: ResolvedModel, l: TrainingLayout, ft: Finetune): number {
  const a = m.arch;
  const r = ft.rank && ft.rank > 0 ? ft.rank : 16;
  const { hd, kv } = attentionShapeOf(a);
  const f = a.moe ? (a.moe.expertFfn ?? a.ffn) : a.ffn;
  const mats: Record<string, number> = {
    q: a.hidden + a.heads * hd,
    k: a.hidden + kv * hd,
    v: a.hidden + kv * hd,
    o: a.heads * hd + a.hidden,
    gate: a.gatedMlp === false ? 0 : a.hidden + f,
    up: a.hidden + f,
    down: f + a.hidden,
  };
  const targets = ft.targetModules?.length ? ft.targetModules.map((t) => t.toLowerCase()) : undefined;
  let perLayer = 0;
  for (const [name, size] of Object.entries(mats)) {
    const hit = !targets || targets.some((t) => t === name || t.startsWith(`${name}_`) || t === `${name}_proj` || (name === 'o' && t.includes('o_proj')) || t === 'all-linear' || t === 'all');
    if (hit) perLayer += r * size;
  }
  return (perLayer * Math.ceil(a.layers / l.pipeline)) / l.tensor;
}

/** Activation bytes stored for backward by one layer, per token on this GPU. */
function layerBytesPerToken(x: TrainingMemoryInput, mode: Checkpointing, keyTokens: number): number {
  const { arch: a, extras } = x.model;
  const l = x.layout;
  const t = l.tensor;
  const split = (n: number) => n / t;
  const rep = (n: number) => (l.sequenceParallel ? n / t : n);
  const e = x.precision === 'fp32' ? 4 : 2;
  const eRes = usesAutocast(x) ? 4 : e;
  const { hd, kv } = attentionShapeOf(a);
  const h = a.hidden;
  const gated = a.gatedMlp ?? true;
  let f = a.ffn;
  let moeExtra = 0;
  if (a.moe) {
    const eFfn = a.moe.expertFfn ?? a.ffn;
    f = (a.moe.activeExperts + (a.moe.sharedExperts ?? 0)) * eFfn;
    moeExtra = 2 * a.moe.activeExperts * h * e + a.moe.experts * 4; // permuted tokens in/out, fp32 router logits
  }
  // float8 with fp8-saved activations (Transformer Engine): the inputs of the linear layers are kept as
  // their fp8 casts (1 B); torchao's Float8Linear keeps them in bf16 (its default).
  const eLin = x.precision === 'fp8-mixed' && x.float8?.saveActivations === 'fp8' ? 1 : e;
  // torch.compile: AOTAutograd's min-cut partitioner saves one of a fused pointwise chain's ends and
  // recomputes the rest in backward (norm outputs, activation functions, products, dropout masks from
  // the Philox seed) — functorch partitioners.py min_cut_rematerialization_partition.
  const compiled = x.compile === true;
  if (mode === 'full') return rep(h * eRes); // only the layer input survives
  if (mode === 'selective') {
    // PyTorch op-level selective checkpointing (torchtitan's default 'op' policy): keeps the layer
    // input, every other matmul output (Q, V, the first MLP projection, the MLP output) and the
    // attention output; norms, activations and the other matmuls are recomputed.
    return rep(2 * h * eRes) + split((2 * a.heads * hd + kv * hd + f) * e + moeExtra);
  }
  // No recomputation: everything autograd saves.
  const norms = compiled
    ? rep(2 * h * eRes) // norm inputs only: the normalised output is recomputed inside the fused kernel
    : rep(2 * h * eRes + 2 * h * eLin + (extras.hasDropout ? 2 * h : 0)); // norm inputs, norm outputs (= matmul inputs), dropout masks
  // Q, K, V and the attention output; SDPA returns [b, heads, s, d], so the output projection saves a
  // transposed contiguous copy as well (flash-attn's [b, s, heads, d] layout needs none).
  // The attention output is the output projection's input (fp8-saveable).
  const fullAttn = (a.heads * (a.attentionOutputGate ? 2 : 1) + 2 * kv) * hd * e + a.heads * hd * eLin * (x.attention === 'sdpa' ? 2 : 1);
  // A hybrid model's recurrent layers save their in_proj outputs, the conv outputs and the gated norm's output
  // (out_proj's input; recurrentLayersOf); the per-layer figure is the average of the two kinds.
  const rec = recurrentLayersOf(a);
  const fullShare = rec ? (a.layers - rec.layers) / a.layers : 1;
  const linAttn = rec ? rec.saved.wide * e + rec.saved.outInput * eLin : 0;
  const attn = fullShare * fullAttn + (1 - fullShare) * linAttn;
  // gated: gate, up, act(gate), product (the down projection's input); plain: fc1 output, activation output.
  // Compiled: gate and up (plain: fc1 output) only; the activation and product are recomputed.
  const mlp = compiled ? (gated ? 2 : 1) * f * e : gated ? 3 * f * e + f * eLin : f * e + f * eLin;
  let scores = 0;
  if (x.attention === 'eager') {
    // softmax output (fp32 under autocast, plus its half-precision copy for the next matmul), dropout mask and output.
    // In half precision without autocast, transformers' eager_attention_forward (and GPT-NeoX's and OPT's own) still
    // runs softmax in fp32 (`softmax(..., dtype=torch.float32).to(query.dtype)`): the same fp32 output and half copy.
    // GPT-2 and BERT (the catalog's learned-position models, the ones with attention dropout) keep it in the model's dtype.
    const perScore = usesAutocast(x) ? (extras.hasDropout ? 4 + 1 + 4 + 2 : 4 + 2) : extras.hasDropout ? 2 * e + 1 : e === 2 ? 4 + e : e;
    scores = a.heads * keyTokens * perScore * fullShare;
  }
  return norms + split(attn + mlp + scores + moeExtra);
}

export interface TrainingMemoryResult {
  memory: MemoryEstimate;
  notes: string[];
  trainableParams: number;
  localParams: number;
}

export function estimateTrainingMemory(x: TrainingMemoryInput): TrainingMemoryResult {
  const { model: m, layout: l, cluster: c } = x;
  const notes: string[] = [];
  const mixed = isMixed(x.precision);
  const pure = x.precision === 'bf16' || x.precision === 'fp16';
  const ft = x.finetune && x.finetune.method !== 'full' ? x.finetune : undefined;

  // Data-parallel sharding group: ZeRO and FSDP shard over data × context ranks (torchtitan's
  // dp_shard × cp mesh; Megatron's distributed optimizer shards over DP × CP). Hybrid FSDP shards
  // inside a node and replicates across nodes.
  const dpGroup = l.data * l.context;
  const shardGroup = l.fsdp === 'hybrid' ? Math.max(1, Math.min(dpGroup, Math.floor(l.gpusPerNode / (l.tensor * l.context)) * l.context)) : dpGroup;
  const shardOpt = l.zero >= 1 || l.fsdp !== 'none' ? shardGroup : 1;
  const shardGrad = l.zero >= 2 || l.fsdp !== 'none' ? shardGroup : 1;
  const shardW = l.zero >= 3 || l.fsdp === 'full' || l.fsdp === 'hybrid' ? shardGroup : 1;

  const first = stageParams(m, l, 'first');
  const last = stageParams(m, l, 'last');
  const worst = first.local >= last.local ? first : last;
  // Parameters left on this GPU after sharding over S data-parallel ranks: expert weights are
  // already split over the expert-parallel group, so they shard only over the remaining S / ep.
  const sh = (S: number, n = worst.local) => (S <= 1 ? n : (n - worst.experts) / S + worst.experts / Math.max(1, S / expertShare(l)));

  // Software era: Volta GPUs (V100) are not supported by current CUDA releases, so their stacks are
  // pre-PyTorch-2.0: eager kernel loading (HF measured 1343 MiB of context on V100) and
  // optimizer.zero_grad() that zeroes gradients in place instead of freeing them.
  const legacyStack = c.gpu.id.startsWith('V100');
  const autocast = usesAutocast(x);

  let weights: number;
  let master = 0;
  let grads: number;
  let optimizer: number;
  let trainable: number;
  let autocastCopies = 0;
  const wBytes = x.precision === 'fp32' ? 4 : 2;
  if (ft) {
    const bits = ft.baseBits ?? (ft.method === 'qlora' ? 4 : 16);
    const linearBytes = bits === 4 ? NF4_BITS / 8 : bits / 8;
    const nonLinear = worst.local - worst.linear;
    // The frozen base: quantized linears, 16-bit embeddings/norms/output (bitsandbytes skips lm_head).
    weights = (worst.linear * (bits === 16 ? wBytes : linearBytes) + nonLinear * wBytes) / shardW;
    trainable = loraAdapterParams(m, l, ft);
    // PEFT keeps adapters in fp32 under mixed precision: weights, grads and Adam moments.
    const aW = pure ? 2 : 4;
    weights += (trainable * aW) / shardW;
    grads = (trainable * aW) / shardGrad;
    optimizer = (trainable * optimizerBytesPerParam(x.optimizer, x.precision, m.arch.hidden)) / shardOpt;
    notes.push(`${ft.method === 'qlora' ? 'QLoRA' : 'LoRA'}: frozen base linears at ${bits === 4 ? 'NF4 (4.127 bits)' : `${bits} bits`}, rank-${ft.rank ?? 16} adapters (${(trainable / 1e6).toFixed(1)} M params per GPU) in ${pure ? 'bf16' : 'fp32'} with their optimizer states.`);
  } else {
    trainable = worst.local;
    if (autocast) {
      // fp32 parameters are the master copy; autocast caches a half-precision copy of each weight for
      // the forward, which backward keeps alive unless the layer is recomputed (checkpointing).
      weights = worst.local * 4;
      if (x.checkpointing === 'none') autocastCopies = worst.local * 2;
    } else {
      weights = sh(shardW) * wBytes;
      if (mixed) master = sh(shardOpt) * 4; // fp32 master copy lives with the optimizer
    }
    // Gradients: fp32 under mixed precision (HF anatomy, Megatron's 18 B/param); DeepSpeed ZeRO keeps them in half precision (ZeRO paper: 2 + 2 + K).
    const gBytes = x.precision === 'fp32' ? 4 : pure ? 2 : l.zero > 0 ? 2 : 4;
    grads = sh(shardGrad) * gBytes;
    optimizer = sh(shardOpt) * optimizerBytesPerParam(x.optimizer, x.precision, m.arch.hidden);
  }
  // CPU offload: optimizer states, the fp32 master copy and the gradients' home are in host memory
  // (ZeRO-Offload keeps only half-precision weights and gradient buckets on the GPU); with params
  // offloaded the sharded weights leave too and only the gathered layers (buffers below) remain.
  if (l.offload !== 'none') {
    optimizer = 0;
    master = 0;
    grads = 0;
    if (l.offload === 'params') weights = 0;
    notes.push(`CPU offload (${l.offload}): optimizer states, fp32 master weights and gradients${l.offload === 'params' ? ', and the sharded weights' : ''} held in host memory; the optimizer step runs on the CPU (its time is not modelled).`);
  }
  // Gradients outlive the step when accumulated over micro-batches, in Megatron's (TP/PP) and
  // DeepSpeed's persistent gradient buffers, and on pre-2.0 stacks; otherwise zero_grad(set_to_none=True)
  // frees them and they only build up during backward as activations are released.
  const persistentGrads = l.microBatches > 1 || l.zero > 0 || l.tensor > 1 || l.pipeline > 1 || legacyStack;

  // ---- activations
  const tokens = (l.micro * l.seq) / l.context;
  const keyTokens = l.seq; // eager attention scores span the whole sequence
  const L = m.arch.layers;
  const layersPerStage = Math.ceil(L / l.pipeline);
  const layerFull = layerBytesPerToken(x, 'none', keyTokens) * tokens;
  // Partial recomputation: the average layer keeps the checkpointed share at the policy's bytes, the rest in full.
  const ckptShare = x.checkpointing !== 'none' && x.checkpointedLayers ? Math.min(1, x.checkpointedLayers / L) : 1;
  const stored = layerBytesPerToken(x, x.checkpointing, keyTokens) * tokens * ckptShare + layerFull * (1 - ckptShare);
  // 1F1B: the first stage holds activations of `pipeline` micro-batches for its L/p layers (= L
  // layers of one micro-batch); fewer when there are fewer micro-batches; interleaving adds (p−1)/(p·v).
  // GPipe: every stage keeps all m micro-batches until their backward (Huang et al. 2019).
  let inFlight = 1;
  const schedule = x.pipelineSchedule ?? (l.virtualStages > 1 ? 'interleaved-1f1b' : '1f1b');
  if (l.pipeline > 1) {
    if (schedule === 'gpipe') inFlight = l.microBatches;
    else {
      inFlight = Math.min(l.microBatches, l.pipeline);
      if (l.virtualStages > 1) inFlight *= 1 + (l.pipeline - 1) / (l.pipeline * l.virtualStages);
    }
  }
  const activationsFirst = stored * layersPerStage * inFlight;
  const activationsLast = stored * layersPerStage * (l.pipeline > 1 && schedule === 'gpipe' ? l.microBatches : 1);
  // Working set while back-propagating one layer: the recomputed layer under checkpointing.
  const workingSet = x.checkpointing === 'full' ? layerFull : x.checkpointing === 'selective' ? layerFull - stored : 0;

  // Logits and loss on the last stage: logits (model dtype), their fp32 upcast saved by
  // log-softmax, and in backward the gradients of the log-probabilities and of the logits (fp32):
  // e + 4 + 4 + 4 bytes per token per vocab entry (vocab split over TP).
  // A compiled loss (torch.compile over a forward that returns the loss, or over the loss function)
  // fuses the upcast, log-softmax and NLL: forward keeps only the logits (and one fp32
  // log-sum-exp per token), backward adds one fp32 gradient: e + 4, and e at the end of the forward.
  // Measured on an H200 (bench/data/h200-compile-probe.jsonl, torch 2.11): F.cross_entropy(x.float())
  // alone holds 4 / 8 / 12 B per logit beyond the logits after forward / at its forward peak / in
  // backward eager, 0 / 0 / 2 compiled; in a whole Llama step (HF loss, autocast) the compiled
  // backward adds 4.2 B per logit, the eager one 8.0, and the compiled forward 0 transient.
  const eLogit = x.precision === 'fp32' ? 4 : 2;
  const compiledLoss = x.compileLoss === true;
  // Loss parallel (default): the cross-entropy runs on vocabulary-sharded logits. Without it the
  // output projection gathers the full logits on every TP rank (torchtitan ColwiseParallel with
  // use_local_output=False; Megatron always uses its vocab-parallel cross entropy).
  const vocabHere = m.arch.vocab / (x.lossParallel === false ? 1 : l.tensor);
  const logits = m.extras.encoderOnly ? 0 : tokens * vocabHere * (eLogit + (compiledLoss ? 4 : 12));

  // ---- buffers
  let gathered = 0; // during forward/backward
  let buckets = 0; // always
  if (shardW > 1 || l.offload === 'params') {
    // FSDP/ZeRO-3: the gathered half-precision layer being computed plus the prefetched next one, and
    // that layer's unsharded gradients before reduce-scatter; or the gathered output layer at the loss.
    const gradB = ft ? 0 : 4; // a frozen base has no weight gradients to reduce-scatter
    // float8 all-gather (torchao enable_fsdp_float8_all_gather): the block linears arrive as fp8 (1 B).
    const gW = x.precision === 'fp8-mixed' && x.float8?.allGather ? 1 : wBytes;
    gathered = Math.max(2 * first.layer * gW + first.layer * gradB, last.vocabMatrix * (wBytes + gradB));
    notes.push('FSDP/ZeRO-3: two gathered layers (current + prefetch) and one layer of unsharded gradients are counted as transient buffers.');
  } else if (l.zero >= 1 && dpGroup > 1) {
    buckets = Math.min(2 * ZERO_BUCKET_ELEMENTS * 2, worst.local * 4);
    notes.push('DeepSpeed ZeRO-1/2: default reduce and all-gather buckets (5e8 elements each) counted.');
  } else if (dpGroup > 1 && l.fsdp === 'none' && !ft) {
    // PyTorch DDP's gradient buckets hold a second copy of the gradients unless gradient_as_bucket_view=True.
    buckets = worst.local * (x.precision === 'fp32' || mixed ? 4 : 2);
    notes.push('DDP: gradient buckets hold a copy of the gradients (gradient_as_bucket_view=False, the default).');
  }

  // Optimizer step temporaries. foreach Adam/AdamW (torch/optim/adam.py _multi_tensor_adam):
  // torch._foreach_sqrt(exp_avg_sqs) allocates one second-moment-sized list for the whole group before
  // the in-place addcdiv; the for-loop step allocates it one tensor at a time (the largest); fused
  // kernels update in place. bitsandbytes 8-bit optimizers run their own per-tensor kernels.
  const impl = x.optimizerImpl ?? defaultOptimizerImpl(l, legacyStack);
  const adamLike = x.optimizer === 'adamw' || x.optimizer === 'adam';
  const stateElem = pure ? 2 : 4;
  const shardedTrainable = ft ? trainable / shardOpt : sh(shardOpt);
  let stepTemp = 0;
  if (adamLike && l.offload === 'none') {
    const largestTensor = ft ? 0 : Math.min(shardedTrainable, worst.vocabMatrix / shardOpt);
    stepTemp = (impl === 'foreach' ? shardedTrainable : impl === 'for-loop' ? largestTensor : 0) * stateElem;
  }
  if (x.optimizerImpl || adamLike) notes.push(`Optimizer step: ${impl}${x.optimizerImpl ? '' : ` (assumed: PyTorch's default on CUDA${legacyStack ? ' before 2.0' : ''}, fused under DeepSpeed/Megatron)`}${stepTemp > 0 ? `, a ${(stepTemp / GIB).toFixed(2)} GiB temporary at the step` : ', in place'}.`);
  // Paged optimizers (bitsandbytes PagedAdamW/PagedAdamW8bit): states in CUDA unified memory
  // (cudaMallocManaged), invisible to torch.cuda.max_memory_* and paged out to host memory under
  // pressure; they count at device level while resident.
  const paged = x.pagedOptimizer === true && l.offload === 'none' ? optimizer : 0;
  if (paged > 0) {
    optimizer = 0;
    notes.push(`Paged optimizer: ${(paged / GIB).toFixed(2)} GiB of states in CUDA unified memory, outside PyTorch's allocator; counted at device level, pageable to host memory under pressure.`);
  }
  const staticBytes = weights + master + optimizer + buckets + (persistentGrads ? grads : 0);
  // Phase A, start of backward: stored activations, loss (or a recomputed layer), gathered
  // parameters, autocast weight copies; with pipelining, on the first stage or on the last (logits).
  // Autocast caches a half-precision copy of every weight until the forward's autocast region
  // exits: at the end of the forward they coexist with the forward part of the loss (logits, fp32
  // upcast, log-softmax output: e + 8 bytes; compiled, e); without checkpointing backward keeps them alive.
  const castCache = autocast && !ft ? worst.local * 2 : 0;
  const lossForward = m.extras.encoderOnly ? 0 : tokens * vocabHere * (eLogit + (compiledLoss ? 0 : 8));
  const stages = [{ acts: activationsFirst, logits: l.pipeline === 1 ? logits : 0, fwd: l.pipeline === 1 ? lossForward : 0 }];
  if (l.pipeline > 1) stages.push({ acts: activationsLast, logits, fwd: lossForward });
  let best = { acts: 0, logits: 0, working: 0, copies: 0, total: -1 };
  for (const s of stages) {
    const startOfBackward = Math.max(s.logits, workingSet) + autocastCopies;
    const endOfForward = s.fwd + castCache;
    const total = s.acts + Math.max(startOfBackward, endOfForward);
    if (total <= best.total) continue;
    if (endOfForward > startOfBackward) best = { acts: s.acts, logits: s.fwd, working: 0, copies: castCache, total };
    else best = { acts: s.acts, logits: s.logits >= workingSet ? s.logits : 0, working: s.logits >= workingSet ? 0 : workingSet, copies: autocastCopies, total };
  }
  const phaseA = best.total + gathered;
  // Phase B, end of backward / optimizer step: all gradients present, activations gone.
  const phaseB = (persistentGrads ? 0 : grads) + stepTemp;
  const atStep = phaseB > phaseA;
  const activations = atStep ? 0 : best.acts;
  const logitsHere = atStep ? 0 : best.logits;
  const working = atStep ? 0 : best.working;
  const dynamicPeak = Math.max(phaseA, phaseB);
  const allocated = staticBytes + dynamicPeak;
  const slack = SLACK_DYNAMIC * dynamicPeak + SLACK_STATIC * staticBytes;
  const reserved = allocated + slack;

  const context = legacyStack ? CUDA_CONTEXT_EAGER : CUDA_CONTEXT_LAZY;
  const groups = [l.data * l.context > 1, l.tensor > 1, l.pipeline > 1, l.context > 1, l.expert > 1].filter(Boolean).length;
  const nccl = groups * NCCL_PER_GROUP;
  const device = reserved + context + nccl + paged;
  notes.push(`CUDA context ${(context / GIB).toFixed(2)} GiB (${legacyStack ? 'pre-2.0 PyTorch stack assumed on Volta: eager kernel loading, as HF measured on V100' : 'lazy module loading'}); NCCL ~${(NCCL_PER_GROUP / GIB).toFixed(1)} GiB per communicator in use (${groups}).`);
  notes.push(persistentGrads ? 'Gradients persist between steps (accumulation, Megatron/DeepSpeed buffers or pre-2.0 zero_grad).' : 'Gradients are freed after each step (zero_grad(set_to_none=True)); the peak is the larger of start-of-backward and end-of-backward.');
  if (autocast) notes.push('Mixed precision via autocast over fp32 weights (no sharding): residual stream and norms in fp32, matmul outputs in half precision.');

  const breakdown: Record<string, number> = {
    weights,
    masterWeights: master,
    gradients: persistentGrads || atStep ? grads : 0,
    optimizerStates: optimizer,
    pagedOptimizerStates: paged,
    optimizerStepTemporaries: atStep ? stepTemp : 0,
    activations,
    logitsAndLoss: logitsHere,
    backwardWorkingSet: working,
    autocastWeightCopies: atStep ? 0 : best.copies,
    transientBuffers: (atStep ? 0 : gathered) + buckets,
    allocatorSlack: slack,
    cudaContext: context,
    ncclBuffers: nccl,
  };
  return {
    memory: { perGpu: { allocatedBytes: allocated, reservedBytes: reserved, deviceBytes: device }, capacityBytes: c.capacityBytes, breakdown },
    notes,
    trainableParams: trainable,
    localParams: worst.local,
  };
}
