// Per-step communication and compute time of a training job.
//
// - Collective times: t = bytes × factor(n) / busbw (nccl-tests doc/PERFORMANCE.md): all-reduce
//   2(n−1)/n, reduce-scatter / all-gather / all-to-all (n−1)/n, point-to-point 1.
// - Volumes: DDP all-reduces the gradients once per step (2Ψ-equivalent); ZeRO-1/2 reduce-scatter
//   gradients and all-gather parameters (same volume); ZeRO-3/FSDP all-gather parameters in forward
//   and again in backward and reduce-scatter gradients, every micro-batch (3Ψ, ZeRO paper).
//   Megatron TP: 2 all-reduces of s·b·h activations per layer in forward and 2 in backward (with
//   sequence parallelism each becomes all-gather + reduce-scatter of the same volume). PP: s·b·h
//   activations forward and gradients back per micro-batch per stage boundary. CP (ring
//   attention): K and V pass around the ring each layer, forward and backward. EP: all-to-all
//   dispatch and combine of top-k token copies per MoE layer, forward and backward.
// - Compute: model FLOPs 6 × active params × tokens + attention 12·L·s·(heads·headDim) per token
//   (llm-foundry's MFU accounting); the time charges causal attention at half its FLOPs (flash/SDPA
//   kernels skip the masked blocks) at half the GEMMs' efficiency, cuDNN's on Hopper/Blackwell at 0.81 of it
//   (efficiency.ts causalAttentionFlops, attentionEfficiencyRatio;
//   eager computes the full matrix) and adds what recomputation re-runs, at the GPU's
//   dense half-precision peak × the efficiency table (efficiency.ts); under fp8-mixed only the block
//   linears' share of that time speeds up (fp8StepFactor). MoE: grouped GEMMs with few rows per expert run
//   below large-GEMM speed (groupedGemmEfficiency), and each MoE layer adds host time per micro-batch that the
//   GPU waits for (moeHostSeconds; two fitted constants, docs/estimator.md "MoE host time").
// - Overlap: data-parallel traffic (DDP buckets, ZeRO, FSDP prefetch) overlaps with compute;
//   TP, CP and EP collectives sit on the critical path — except TP and PP traffic under the Hopper figure,
//   which comes from Megatron runs that overlapped it (efficiency.ts commOverlapInFigure); PP bubble (p−1)/(m·v).

import { peakTflops } from '../catalog/gpus';
import { attentionEfficiencyRatio, causalAttentionFlops, computeEfficiency, eagerScoreSeconds, ELEMENTWISE_BANDWIDTH_SHARE, fp8StepFactor, GEMM_EFFICIENCY, groupedGemmEfficiency, moeHostSeconds } from './efficiency';
import { collectiveSeconds, findLink, type Collective } from '../catalog/links';
import type { AttentionImpl, Checkpointing, Precision } from '../spec/types';
import { attentionShapeOf, fullAttentionLayers } from './params';
import type { TrainingLayout } from './layout';
import type { ResolvedCluster, ResolvedModel } from './resolve';
import type { CollectiveTraffic, InterconnectEstimate, TimeEstimate } from './types';

/** The former single default (typical MFU 35–58 %); the efficiency now comes from efficiency.ts's table. */
export const DEFAULT_COMPUTE_EFFICIENCY = 0.45;
/** Share of data-parallel communication that can hide behind compute (bucketed/prefetched collectives). */
const DP_OVERLAP = 0.9;

interface Link {
  name: string;
  busGBps: number;
}

function pickLink(c: ResolvedCluster, spansNodes: boolean): Link {
  if (!spansNodes) return { name: c.intra.type, busGBps: c.intraBusGBps };
  if (!c.inter || c.interBusGBps <= 0) return { name: 'none', busGBps: 0 };
  return { name: c.inter.type, busGBps: Math.min(c.intraBusGBps, c.interBusGBps) };
}

export interface TimeInput {
  model: ResolvedModel;
  cluster: ResolvedCluster;
  layout: TrainingLayout;
  precision: Precision;
  checkpointing: Checkpointing;
  /** Layers recomputed (Megatron recompute_num_layers; the rest keep their activations); default all. */
  checkpointLayers?: number;
  /** Attention kernel: eager computes the full score matrix, the others skip the causal upper half. */
  attention?: AttentionImpl;
  /** float8 FSDP all-gather of the block linears (torchao enable_fsdp_float8_all_gather). */
  float8AllGather?: boolean;
  localParams: number;
  trainableParams: number;
  frozenBase: boolean;
  mfu?: number;
  totalTokens?: number;
  steps?: number;
}

/** FLOPs per token that activation recomputation adds (forward only: 2 per multiply-add weight). */
export function recomputeFlopsPerToken(m: ResolvedModel, checkpointing: Checkpointing, attnFlopsPerToken: number): number {
  if (checkpointing === 'none') return 0;
  const p = m.params;
  const blocksActive = Math.max(0, p.active - p.embedding - p.output - p.extra);
  if (checkpointing === 'full') return 2 * blocksActive + attnFlopsPerToken / 3;
  const a = m.arch;
  const { hd, kv } = attentionShapeOf(a);
  const f = a.moe ? (a.moe.expertFfn ?? a.ffn) * (a.moe.activeExperts + (a.moe.sharedExperts ?? 0)) : a.ffn;
  const perLayer = a.hidden * kv * hd + a.heads * hd * a.hidden + ((a.gatedMlp ?? true) ? a.hidden * f : 0);
  return 2 * a.layers * perLayer;
}

/** Parameters of the transformer blocks' linear layers per token (active experts only): what float8 converts. */
export function blockLinearParams(m: ResolvedModel): number {
  const p = m.params;
  return Math.max(0, p.active - p.embedding - p.output - p.extra);
}

/** The part of recomputeFlopsPerToken that is linear-layer matmuls (all of it for selective; full adds attention). */
export function recomputeLinearFlopsPerToken(m: ResolvedModel, checkpointing: Checkpointing): number {
  if (checkpointing === 'none') return 0;
  if (checkpointing === 'full') return 2 * blockLinearParams(m);
  return recomputeFlopsPerToken(m, checkpointing, 0);
}

/**
 * Token copies per token that one EP all-to-all moves, by link. The EP group's ranks sit expertTensor apart, so
 * floor(domain / expertTensor) of them share an NVLink domain. A token goes to top-k experts spread evenly over
 * the group. Inside the domain each remote copy crosses NVLink once. Across domains, a deduplicating dispatcher
 * (DeepEP, HybridEP; DeepSeek-V3 report §3.2.2: a token is sent over IB once to each target node, then
 * forwarded over NVLink) sends one copy per distinct remote domain: (d − 1)(1 − (1 − 1/d)^k) expected with d
 * domains; the forwarded copies then cross NVLink in the target domain.
 */
export function expertAllToAllCopies(expert: number, expertTensor: number, domain: number, topK: number): { intra: number; inter: number; domains: number } {
  const g = Math.max(1, Math.min(expert, Math.floor(domain / Math.max(1, expertTensor))));
  const d = Math.ceil(expert / g);
  const k = Math.max(1, topK);
  const local = (k * (g - 1)) / expert;
  if (d <= 1) return { intra: local, inter: 0, domains: 1 };
  const remote = (k * (expert - g)) / expert;
  const inter = (d - 1) * (1 - (1 - 1 / d) ** k);
  return { intra: local + remote * ((g - 1) / g), inter: Math.min(inter, remote), domains: d };
}

/** Rows (tokens) of each local expert's GEMM per micro-batch: the EP group's tokens × top-k ÷ experts. */
export function expertGemmRows(moe: { experts: number; activeExperts: number }, tokensPerRank: number, expert: number): number {
  return (tokensPerRank * Math.max(1, expert) * moe.activeExperts) / Math.max(1, moe.experts);
}

/** Routed-expert weights a token passes through (top-k experts in every MoE layer): the grouped-GEMM part. */
export function routedExpertParamsPerToken(m: ResolvedModel): number {
  const a = m.arch;
  if (!a.moe) return 0;
  const mats = (a.gatedMlp ?? true) ? 3 : 2;
  return (a.layers - (a.moe.denseLayers ?? 0)) * a.moe.activeExperts * mats * a.hidden * (a.moe.expertFfn ?? a.ffn);
}

export function estimateTrainingTime(x: TimeInput): { interconnect: InterconnectEstimate; time: TimeEstimate; notes: string[] } {
  const { model: m, cluster: c, layout: l } = x;
  const notes: string[] = [];
  const a = m.arch;
  const e = x.precision === 'fp32' ? 4 : 2;
  const tokensMicro = (l.micro * l.seq) / l.context; // per GPU per micro-batch
  const m_ = l.microBatches;
  const perNode = l.gpusPerNode;
  const multiNode = l.nodes > 1;

  // Rank order (Megatron): tensor innermost, then context, then data, pipeline outermost. A group "spans" when
  // it leaves the NVLink domain: one node, or a multi-node NVLink rack (cluster interconnect.nvlinkDomain).
  const domain = Math.max(perNode, c.nvlinkDomain ?? perNode);
  const tpSpans = l.tensor > domain;
  const cpSpans = l.tensor * l.context > domain;
  const dpSpans = multiNode && l.tensor * l.context * l.data > domain;
  const ppSpans = multiNode && l.pipeline > 1 && l.tensor * l.context * l.data * l.pipeline > domain;

  const out: CollectiveTraffic[] = [];
  const add = (name: string, collective: Collective, bytes: number, ranks: number, link: Link, times: number, overlappable: boolean) => {
    if (!(bytes > 0) || (ranks <= 1 && collective !== 'p2p')) return;
    const one = link.busGBps > 0 ? collectiveSeconds(collective, bytes, ranks, link.busGBps) : 0;
    const seconds = one * times;
    const factor = collective === 'all-reduce' ? (2 * (ranks - 1)) / ranks : collective === 'p2p' ? 1 : (ranks - 1) / ranks;
    out.push({ name, collective, bytesPerGpu: bytes * factor * times, ranks, link: link.name, busGBps: link.busGBps, seconds, overlappedSeconds: overlappable ? seconds : 0 });
  };

  // ---- data parallel
  const dpRanks = l.data * l.context;
  const dpLink = pickLink(c, dpSpans);
  const trainable = x.frozenBase ? x.trainableParams : x.localParams;
  // Gradient bytes on the wire: fp32 under fp32 and autocast DDP, half precision when the parameters are (pure bf16, FSDP/ZeRO mixed precision).
  const gradBytes = x.precision === 'fp32' ? 4 : x.precision === 'bf16' || x.precision === 'fp16' || l.fsdp !== 'none' || l.zero > 0 ? 2 : 4;
  if (dpRanks > 1) {
    if (l.fsdp === 'full' || l.fsdp === 'hybrid' || l.zero === 3) {
      const shardRanks = l.fsdp === 'hybrid' ? Math.max(1, Math.min(dpRanks, Math.floor(perNode / l.tensor))) : dpRanks;
      const shardLink = pickLink(c, l.fsdp === 'hybrid' ? false : dpSpans);
      // float8 all-gather: the block linears travel as fp8 (1 B); embedding and output stay bf16.
      const vocabLocal = l.pipeline === 1 ? Math.min(x.localParams, (m.params.embedding + m.params.output + m.params.extra) / l.tensor) : 0;
      const gatherBytes = x.float8AllGather && x.precision === 'fp8-mixed' ? vocabLocal * 2 + (x.localParams - vocabLocal) : x.localParams * 2;
      add(`FSDP/ZeRO-3 parameter all-gather (forward + backward${x.float8AllGather && x.precision === 'fp8-mixed' ? ', float8' : ''})`, 'all-gather', gatherBytes, shardRanks, shardLink, 2 * m_, true);
      add('FSDP/ZeRO-3 gradient reduce-scatter', 'reduce-scatter', trainable * gradBytes, shardRanks, shardLink, m_, true);
      if (l.fsdp === 'hybrid' && dpRanks > shardRanks) {
        add('HSDP gradient all-reduce across replicas', 'all-reduce', (trainable * gradBytes) / shardRanks, dpRanks / shardRanks, pickLink(c, true), 1, true);
      }
    } else if (l.zero === 1 || l.zero === 2 || l.fsdp === 'grad-op') {
      add('ZeRO gradient reduce-scatter', 'reduce-scatter', trainable * gradBytes, dpRanks, dpLink, 1, true);
      add('ZeRO parameter all-gather after the step', 'all-gather', trainable * 2, dpRanks, dpLink, 1, true);
    } else {
      add('DDP gradient all-reduce', 'all-reduce', trainable * gradBytes, dpRanks, dpLink, 1, true);
    }
  }

  // ---- CPU offload: host ↔ GPU over PCIe, this GPU's shard. optimizer: gradients down and updated
  // half-precision weights up once per step; params: the shard up for forward and again for backward
  // every micro-batch, gradients down. Overlappable (ZeRO-Offload and FSDP prefetch overlap it).
  if (l.offload !== 'none') {
    const host = findLink(`pcie${c.gpu.pcieGen}`) ?? findLink('pcie4')!;
    const shard = l.fsdp !== 'none' || l.zero > 0 ? Math.max(1, dpRanks) : 1;
    // A frozen (LoRA/QLoRA) base has no gradients to send down; only the adapters' do, which is negligible.
    const down = x.frozenBase ? 0 : gradBytes;
    const bytes = l.offload === 'params' ? ((2 * 2 + down) * x.localParams * m_) / shard : ((down + (x.frozenBase ? 0 : 2)) * x.localParams) / shard;
    add(`CPU offload (${l.offload}) over PCIe ${c.gpu.pcieGen}`, 'p2p', bytes, 1, { name: host.type, busGBps: host.effectiveBusGBps }, 1, true);
  }

  const table = computeEfficiency(c.gpu, x.precision, m.params.active);
  // A stated utilisation (training.mfu) replaces the table and what the table's figure implies.
  const statedMfu = x.mfu && x.mfu > 0 && x.mfu <= 1 ? x.mfu : undefined;
  // With the Megatron-LM H100 figure, TP and PP traffic overlap with compute as in the runs it comes from.
  const mpOverlap = table.commOverlapInFigure && !statedMfu;
  // Tokens of one micro-batch on one rank of the expert layers (sequence parallel splits them over TP).
  const tokensRank = tokensMicro / (l.sequenceParallel ? l.tensor : 1);
  // ---- tensor parallel: 4 all-reduce-equivalents of s·b·h per layer per micro-batch (2 fwd, 2 bwd)
  const layersHere = Math.ceil(a.layers / l.pipeline);
  if (l.tensor > 1) {
    const actBytes = tokensMicro * a.hidden * e;
    const recompute = x.checkpointing === 'full' ? 6 / 4 : 1; // recomputed forward repeats its 2 collectives
    add(l.sequenceParallel ? 'TP all-gather + reduce-scatter (sequence parallel)' : 'TP activation all-reduce', 'all-reduce', actBytes, l.tensor, pickLink(c, tpSpans), 4 * layersHere * m_ * recompute, mpOverlap);
  }
  // ---- pipeline: activations forward, gradients back, per micro-batch
  if (l.pipeline > 1) {
    const p2pBytes = (tokensMicro * a.hidden * e) / (l.sequenceParallel ? l.tensor : 1);
    add('PP point-to-point activations and gradients', 'p2p', p2pBytes, 2, pickLink(c, ppSpans), 2 * m_, mpOverlap);
  }
  // ---- context parallel (ring attention): K and V around the ring, forward and backward (grads)
  if (l.context > 1) {
    const shape = attentionShapeOf(a);
    const kvBytes = (2 * tokensMicro * shape.kv * shape.hd * e) / l.tensor;
    add('CP ring attention K/V exchange', 'all-gather', kvBytes * l.context, l.context, pickLink(c, cpSpans), 2 * layersHere * m_, false);
  }
  // ---- expert parallel: dispatch + combine, forward and backward, split by the link each token copy takes
  if (a.moe && l.expert > 1) {
    const moeLayersHere = Math.ceil((a.layers - (a.moe.denseLayers ?? 0)) / l.pipeline);
    const split = expertAllToAllCopies(l.expert, l.expertTensor, domain, a.moe.activeExperts);
    const intraLink = pickLink(c, false);
    const interLink = pickLink(c, true);
    const times = 4 * moeLayersHere * m_;
    const intraBytes = tokensRank * split.intra * a.hidden * e;
    const interBytes = tokensRank * split.inter * a.hidden * e;
    // The NVLink and the network part of one all-to-all run at the same time: the slower one sets its time.
    const one = Math.max(intraLink.busGBps > 0 ? intraBytes / (intraLink.busGBps * 1e9) : 0, interBytes > 0 && interLink.busGBps > 0 ? interBytes / (interLink.busGBps * 1e9) : 0);
    if (one > 0) {
      const name = split.domains > 1 ? `EP all-to-all dispatch/combine (${split.domains} NVLink domains; ${split.inter.toFixed(2)} copies per token cross ${interLink.name}, ${split.intra.toFixed(2)} on ${intraLink.name})` : 'EP all-to-all token dispatch/combine';
      const link = split.domains > 1 ? `${intraLink.name} + ${interLink.name}` : intraLink.name;
      out.push({ name, collective: 'all-to-all', bytesPerGpu: (intraBytes + interBytes) * times, ranks: l.expert, link, busGBps: split.domains > 1 ? interLink.busGBps : intraLink.busGBps, seconds: one * times, overlappedSeconds: 0 });
    }
  }

  // ---- compute
  const tokensPerStep = l.globalBatch * l.seq;
  // Model FLOPs (what MFU counts, by torchtitan's, llm-foundry's and PaLM's definition): attention
  // 12·L·s·(heads·headDim) per token, the full score matrix — over the full-attention layers only: a hybrid
  // model's Gated DeltaNet layers cost their projections (in the parameters) and a chunked recurrence of
  // some (64·(dk + dv) + 4·dk·dv)·heads FLOPs per token, under 2 % of their projections', not counted.
  const attnFlopsPerToken = 12 * fullAttentionLayers(a) * l.seq * a.heads * attentionShapeOf(a).hd;
  // Hardware FLOPs: a causal kernel (FlashAttention, cuDNN/SDPA) skips the blocks above the diagonal
  // and does about half of that, at its own speed against the GEMMs (efficiency.ts attentionEfficiencyRatio:
  // cuDNN's kernel on Hopper/Blackwell is faster); eager attention computes the whole matrix and then masks it.
  // An encoder's attention is bidirectional: a fused kernel computes the whole matrix too, at its own speed.
  const ratio = attentionEfficiencyRatio(c.gpu, x.attention);
  const attnHwPerToken = x.attention === 'eager' ? attnFlopsPerToken : m.extras.encoderOnly ? attnFlopsPerToken / ratio : causalAttentionFlops(attnFlopsPerToken, ratio);
  const dense = x.frozenBase ? 4 : 6; // frozen base: forward 2Ψ + data-gradient 2Ψ, no weight gradients
  const flopsPerStep = (dense * m.params.active + attnFlopsPerToken) * tokensPerStep;
  const hwFlops = (dense * m.params.active + attnHwPerToken) * tokensPerStep;
  // Recomputation, counted by what each policy re-runs (HFU − MFU, Korthikanti et al. 2022 §5; llm-foundry's
  // HFU adds one forward of the checkpointed blocks). full: one forward of every block (matmuls 2Ψ_blocks
  // and attention), not of the embedding/output layers, which are not checkpointed; selective (PyTorch
  // op-level SAC, torchtitan's policy: every other aten.mm output saved): the unsaved projections whose
  // outputs backward needs again — K (for RoPE/attention), the attention output projection (for the
  // residual that the MLP norm needs) and, in a gated MLP, the up projection (for the product).
  // checkpointLayers (Megatron recompute_num_layers, torchtitan's every-Nth-layer AC): that share of the layers.
  const layerShare = x.checkpointing !== 'none' && x.checkpointLayers ? Math.min(1, x.checkpointLayers / a.layers) : 1;
  const recomputePerToken = recomputeFlopsPerToken(m, x.checkpointing, attnHwPerToken) * layerShare;
  const recomputeFlops = recomputePerToken * tokensPerStep;
  const dtype = x.precision === 'fp8-mixed' ? 'fp8' : x.precision === 'fp32' ? 'fp32' : x.precision.startsWith('fp16') ? 'fp16' : 'bf16';
  const peak = peakTflops(c.gpu, dtype) * 1e12;
  let efficiency: number;
  let computeSeconds: number;
  let fp8Note = '';
  if (statedMfu) {
    // A stated utilisation is taken against the precision's own peak, as before.
    efficiency = statedMfu;
    computeSeconds = (hwFlops + recomputeFlops) / (l.gpus * peak * efficiency);
  } else {
    // The table's efficiency is a half-precision one; fp8 speeds up only the block linears (see efficiency.ts).
    const halfPeak = (dtype === 'fp8' ? peakTflops(c.gpu, 'bf16') : peakTflops(c.gpu, dtype)) * 1e12;
    efficiency = table.value;
    const halfSeconds = (hwFlops + recomputeFlops) / (l.gpus * halfPeak * efficiency);
    if (dtype === 'fp8') {
      const linearFlops = (dense * blockLinearParams(m) + recomputeLinearFlopsPerToken(m, x.checkpointing) * layerShare) * tokensPerStep;
      const f8 = fp8StepFactor(c.gpu, efficiency, linearFlops / (hwFlops + recomputeFlops));
      computeSeconds = halfSeconds * f8.factor;
      fp8Note = ` fp8: block linears ${(f8.linearTimeShare * 100).toFixed(0)} % of the bf16 compute time, ${f8.gemmSpeedup.toFixed(2)}× faster there → ${(1 / f8.factor).toFixed(2)}× overall.`;
    } else computeSeconds = halfSeconds;
  }
  // MoE expert layers: grouped GEMMs with few tokens per expert run below large-GEMM efficiency (efficiency.ts).
  let moeNote = '';
  if (a.moe && !statedMfu) {
    const rows = expertGemmRows(a.moe, tokensRank, l.expert);
    const eff = groupedGemmEfficiency(c.gpu, rows);
    if (eff < 1) {
      const expertFlops = dense * routedExpertParamsPerToken(m) * tokensPerStep;
      const share = Math.min(1, ((expertFlops / (hwFlops + recomputeFlops)) * efficiency) / GEMM_EFFICIENCY);
      const factor = 1 + share * (1 / eff - 1);
      computeSeconds *= factor;
      moeNote = ` MoE: ${Math.round(rows)} tokens per expert GEMM per micro-batch → grouped GEMMs at ${(eff * 100).toFixed(0)} % of large-GEMM speed (${(share * 100).toFixed(0)} % of the compute time) → ×${factor.toFixed(2)}.`;
    }
  }
  // Eager attention: the score matrices' trips through memory (efficiency.ts EAGER_SCORE_BYTES), which its FLOPs miss.
  let eagerNote = '';
  if (x.attention === 'eager' && !statedMfu) {
    // Every query token against every key of its sequence, per head and attention layer; spread over the GPUs as the FLOPs are.
    const elements = (tokensPerStep * l.seq * a.heads * fullAttentionLayers(a)) / l.gpus;
    const recomputeShare = x.checkpointing === 'none' ? 0 : layerShare;
    const seconds = eagerScoreSeconds(c.gpu, elements, { recomputeShare, dropout: m.extras.hasDropout });
    computeSeconds += seconds;
    eagerNote = ` Eager attention: the ${l.seq}×${l.seq} score matrices pass through memory op by op (${((elements * 1e-9) / m_).toFixed(1)} G elements per GPU per micro-batch) → +${(seconds * 1e3).toFixed(0)} ms per step at ${ELEMENTWISE_BANDWIDTH_SHARE * 100} % of ${c.gpu.memoryBandwidthGBps} GB/s (an assumption).`;
  }
  // MoE layers: host time the GPU waits for (routing, the dropless sync, per-expert launches), per micro-batch on this stage.
  let moeHost = 0;
  if (a.moe && !statedMfu) {
    const moeLayersHere = Math.ceil((a.layers - (a.moe.denseLayers ?? 0)) / l.pipeline);
    const localExperts = a.moe.experts / Math.max(1, l.expert);
    moeHost = m_ * moeHostSeconds(moeLayersHere, localExperts);
    moeNote += ` MoE host time: ${moeLayersHere} MoE layers × ${Number.isInteger(localExperts) ? localExperts : localExperts.toFixed(1)} local experts → ${(moeHostSeconds(moeLayersHere, localExperts) * 1e3).toFixed(0)} ms per micro-batch (${m_} per step) that the GPU waits for.`;
  }
  const bubble = l.pipeline > 1 ? (l.pipeline - 1) / (m_ * l.virtualStages) : 0;
  const pipelineSeconds = (computeSeconds + moeHost) * (1 + bubble);

  const dpComm = out.filter((t) => t.overlappedSeconds > 0).reduce((s, t) => s + t.seconds, 0);
  const critical = out.filter((t) => t.overlappedSeconds === 0).reduce((s, t) => s + t.seconds, 0);
  // At most DP_OVERLAP of it hides, and no more than the compute it hides behind.
  const dpExposed = dpComm - Math.min(dpComm * DP_OVERLAP, computeSeconds);
  // Mark what was hidden, proportionally.
  for (const t of out) if (t.overlappedSeconds > 0) t.overlappedSeconds = dpComm > 0 ? Math.max(0, t.seconds * (1 - dpExposed / dpComm)) : 0;
  const exposed = critical + dpExposed;
  const stepSeconds = pipelineSeconds + exposed;
  const commSeconds = dpComm + critical;
  const modelFlops = (6 * m.params.active + attnFlopsPerToken) * tokensPerStep;
  const time: TimeEstimate = {
    flopsPerStep,
    recomputeFlopsPerStep: recomputeFlops,
    computeSeconds,
    ...(moeHost > 0 ? { moeHostSeconds: moeHost } : {}),
    pipelineBubbleFraction: bubble / (1 + bubble),
    stepSeconds,
    tokensPerStep,
    tokensPerSecondPerGpu: tokensPerStep / stepSeconds / l.gpus,
    commFraction: stepSeconds > 0 ? exposed / stepSeconds : 0,
    mfu: modelFlops / (stepSeconds * l.gpus * peak),
    assumedComputeEfficiency: efficiency,
  };
  if (x.totalTokens && x.totalTokens > 0) {
    time.totalTokens = x.totalTokens;
    time.steps = Math.ceil(x.totalTokens / tokensPerStep);
    time.totalSeconds = time.steps * stepSeconds;
  } else if (x.steps && x.steps > 0) {
    time.steps = x.steps;
    time.totalTokens = x.steps * tokensPerStep;
    time.totalSeconds = x.steps * stepSeconds;
  }
  notes.push(
    `Compute at ${(efficiency * 100).toFixed(0)} % of the ${c.gpu.name} dense ${dtype} peak (${(peak / 1e12).toFixed(0)} TFLOPS)${x.mfu ? ' (training.mfu)' : ` (${table.source})`}; ${DP_OVERLAP * 100} % of data-parallel communication can overlap with compute; ${mpOverlap ? 'TP and PP traffic overlaps with compute (as in the Megatron-LM runs the figure comes from); CP/EP traffic is' : 'TP/CP/EP/PP traffic is'} on the critical path.${fp8Note}${moeNote}${eagerNote}`,
  );
  const interconnect: InterconnectEstimate = {
    collectives: out,
    bytesPerGpuPerStep: out.reduce((s, t) => s + t.bytesPerGpu, 0),
    commSeconds,
    exposedCommSeconds: exposed,
    intraNode: { link: c.intra.type, busGBps: c.intraBusGBps },
    interNode: c.inter ? { link: c.inter.type, busGBps: c.interBusGBps } : undefined,
  };
  return { interconnect, time, notes };
}
