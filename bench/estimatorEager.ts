// Eager attention against SDPA, in training (EA-*, bench/data/eager-attention.jsonl): published pairs of step
// times on the same model, GPU, batch and sequence length, gathered 2026-12-07 by a helper that computed no
// estimate, as the held-out set for the eager-attention step-time term (efficiency.ts EAGER_SCORE_BYTES, e0a2fe9),
// and evaluated once after it. What is compared is the ratio eager / SDPA (how much slower eager is), and each
// side's step time. The rows' peak memory (each side's max_memory_allocated) was evaluated once with no memory change
// pending, and then prompted one (eager softmax in fp32 in half precision, trainingMemory.ts): examined since.
//
// Mapping, written from the rows alone before any was evaluated:
// - model: bert-base-uncased and gpt2-large from the catalog; pythia-410m-deduped and opt-350m as architectures
//   from their config.json (the rows name the checkpoints; neither is in the catalog). nanoGPT (EA-40) is a gap:
//   the blog states no batch, sequence length or precision.
// - precision: fp16, pure (the harness loads the weights in float16, no autocast).
// - the timed loop is zero_grad, forward, logits.sum().backward(): no optimizer step (Gantry's step time has no
//   optimizer term to drop) and no cross-entropy; one GPU, no checkpointing, no compile.
// - GPU: 'A100-80GB' (form factor not stated) as the SXM card; L40S as the catalog's; 'rtx3080ti-16GB' is the
//   16 GB laptop RTX 3080 Ti (the desktop card has 12 GB), described in the Cluster by NVIDIA's published figures:
//   256-bit GDDR6 at 16 Gbps (512 GB/s) and 58 SMs at up to 1590 MHz, fp16 tensor with fp32 accumulate at the
//   GA102 rate per SM per clock (the RTX 3090's 71 TFLOPS over 82 SMs at 1695 MHz): 47 TFLOPS. Laptops run below
//   that clock at lower power limits, so its absolute step times are optimistic by design; the ratio much less so.
//
// The second set (EB-*, bench/data/eager-attention2.jsonl): 28 more pairs from the same harness (DistilBERT, ALBERT,
// BioGPT on an 'RTX 2060-8GB'), gathered by a helper that computed no estimate after the encoder change (424d3a9) and
// the half-precision eager softmax change (ee7b200), which the EA rows prompted: held out for those two and evaluated
// once after them. Its mapping, written from the rows alone before any was evaluated:
// - model: DistilBERT base and BioGPT from the catalog (both entered it for these rows, from their config.json);
//   ALBERT is a gap: it shares one layer's weights across its 12 and factorizes its embeddings (128 wide), which a
//   spec's architecture cannot say.
// - GPU: 'RTX 2060-8GB': 8 GB is the RTX 2060 SUPER's memory (the RTX 2060 has 6 or 12 GB), described in the Cluster by
//   its published figures: 256-bit GDDR6 at 14 Gbps (448 GB/s) and 34 SMs at up to 1650 MHz, fp16 tensor with fp32
//   accumulate at Turing GeForce's rate (the RTX 2080 Ti's 53.8 TFLOPS over 68 SMs at 1545 MHz): 28.7 TFLOPS.
// - the rest as for EA-*.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { estimateTrainingJob } from '../core/estimate/index';
import type { ClusterDoc, GpuSpec, TrainingJobDoc, TrainingJobSpec } from '../core/spec/types';

export const EAGER_FILE = 'bench/data/eager-attention.jsonl';
export const EAGER_FILE2 = 'bench/data/eager-attention2.jsonl';

interface Side {
  seconds_per_step: number | null;
  peak_memory_mb: number | null;
}
interface PublishedEagerRow {
  id: string;
  source_url: string;
  model: string;
  gpu: string;
  gpus: number | null;
  micro_batch: number | null;
  seq_len: number | null;
  measurements: { eager: Side | null; sdpa: Side | null };
}

export interface EagerResult {
  id: string;
  label: string;
  source: string;
  measured: { eager: number; sdpa: number; ratio: number };
  predicted?: { eager: number; sdpa: number; ratio: number };
  /** (predicted ratio / measured ratio − 1) × 100. */
  ratioErrorPct?: number;
  eagerErrorPct?: number;
  sdpaErrorPct?: number;
  /** Peak memory as published (MB = 10^6 bytes, the harness's max_memory_allocated) against the estimate's allocated bytes. */
  memory?: { eager: { measured: number; predicted: number; errorPct: number }; sdpa: { measured: number; predicted: number; errorPct: number } };
  unmatched?: string;
}

const PYTHIA_410M: TrainingJobSpec['model'] = { architecture: { layers: 24, hidden: 1024, heads: 16, kvHeads: 16, ffn: 4096, vocab: 50304, gatedMlp: false, tiedEmbeddings: false, maxContext: 2048 } };
const OPT_350M: TrainingJobSpec['model'] = { architecture: { layers: 24, hidden: 1024, heads: 16, kvHeads: 16, ffn: 4096, vocab: 50272, gatedMlp: false, tiedEmbeddings: true, maxContext: 2048 } };

function modelOf(text: string): TrainingJobSpec['model'] | undefined {
  if (text.startsWith('google-bert/bert-base-uncased')) return { preset: 'bert-base-uncased' };
  if (text.startsWith('openai-community/gpt2-large')) return { preset: 'gpt2-large' };
  if (text.startsWith('EleutherAI/pythia-410m')) return PYTHIA_410M;
  if (text.startsWith('facebook/opt-350m')) return OPT_350M;
  if (text.startsWith('distilbert/distilbert-base-uncased')) return { preset: 'distilbert-base-uncased' };
  if (text.startsWith('microsoft/biogpt')) return { preset: 'biogpt' };
  return undefined;
}

type Gpu = GpuSpec;
function gpuOf(text: string): { gpu: Gpu; name: string } | undefined {
  if (/rtx 3080 ti/i.test(text)) return { gpu: { model: 'RTX-3080-Ti-Laptop-16GB', count: 1, memoryGiB: 16, peakBf16Tflops: 47, memoryBandwidthGBps: 512 }, name: 'RTX 3080 Ti Laptop (described)' };
  if (/rtx 2060 8gb/i.test(text)) return { gpu: { model: 'RTX-2060-SUPER-8GB', count: 1, memoryGiB: 8, peakBf16Tflops: 28.7, memoryBandwidthGBps: 448 }, name: 'RTX 2060 8GB (described as the SUPER)' };
  if (/l40s/i.test(text)) return { gpu: { model: 'L40S-48GB', count: 1 }, name: 'L40S' };
  if (/a100/i.test(text)) return { gpu: { model: 'A100-SXM-80GB', count: 1 }, name: 'A100 80GB' };
  return undefined;
}

function docs(model: TrainingJobSpec['model'], gpu: Gpu, micro: number, seq: number, attention: 'eager' | 'sdpa'): { doc: TrainingJobDoc; cluster: ClusterDoc } {
  return {
    doc: {
      apiVersion: 'gantry/v1',
      kind: 'TrainingJob',
      metadata: { name: 'ea' },
      spec: { resources: { nodes: 1, gpusPerNode: 1 }, model, precision: 'fp16', optimizer: { type: 'sgd' }, activationCheckpointing: 'none', attention, batch: { micro, sequenceLength: seq } },
    },
    cluster: { apiVersion: 'gantry/v1', kind: 'Cluster', metadata: { name: 'ea' }, spec: { nodes: { count: 1, gpu } } },
  };
}

export function evaluateEager(repoRoot: string, file = EAGER_FILE): EagerResult[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const out: EagerResult[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as PublishedEagerRow;
    const e = r.measurements.eager?.seconds_per_step;
    const s = r.measurements.sdpa?.seconds_per_step;
    const model = modelOf(r.model);
    const gpu = gpuOf(r.gpu);
    const res: EagerResult = {
      id: r.id,
      label: `${r.model.split(' ')[0]} fp16 mb${r.micro_batch ?? '?'} s${r.seq_len ?? '?'} on ${gpu?.name ?? r.gpu.split(' (')[0]}`,
      source: r.source_url.split(' ')[0],
      measured: { eager: e ?? Number.NaN, sdpa: s ?? Number.NaN, ratio: e && s ? e / s : Number.NaN },
    };
    if (!e || !s || !r.micro_batch || !r.seq_len) res.unmatched = 'batch, sequence length or a step time not stated';
    else if (/albert/i.test(r.model)) res.unmatched = "ALBERT shares one layer's weights across its 12 and factorizes its embeddings, which a spec's architecture cannot say";
    else if (!model) res.unmatched = 'model not expressible';
    else if (!gpu) res.unmatched = 'GPU not named';
    else {
      const estimate = (attention: 'eager' | 'sdpa') => {
        const d = docs(model, gpu.gpu, r.micro_batch!, r.seq_len!, attention);
        return estimateTrainingJob(d.doc, d.cluster);
      };
      const ee = estimate('eager');
      const es = estimate('sdpa');
      const pe = ee.time?.stepSeconds;
      const ps = es.time?.stepSeconds;
      const me = r.measurements.eager?.peak_memory_mb;
      const ms = r.measurements.sdpa?.peak_memory_mb;
      if (me && ms && ee.memory && es.memory) {
        const side = (measured: number, bytes: number) => ({ measured, predicted: bytes / 1e6, errorPct: (bytes / 1e6 / measured - 1) * 100 });
        res.memory = { eager: side(me, ee.memory.perGpu.allocatedBytes), sdpa: side(ms, es.memory.perGpu.allocatedBytes) };
      }
      if (!pe || !ps) res.unmatched = 'no time estimate';
      else {
        res.predicted = { eager: pe, sdpa: ps, ratio: pe / ps };
        res.ratioErrorPct = (pe / ps / (e / s) - 1) * 100;
        res.eagerErrorPct = (pe / e - 1) * 100;
        res.sdpaErrorPct = (ps / s - 1) * 100;
      }
    }
    out.push(res);
  }
  return out;
}
