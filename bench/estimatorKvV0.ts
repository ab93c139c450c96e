// vLLM V0 KV-cache sizes: bench/data/vllm-v0-kv.jsonl (published `# GPU blocks: N` from vLLM
// 0.2.4–0.6.x startups, with sources) against Gantry's estimate for the same configuration.
// Each row becomes an InferenceService with the row's engine version, model, dtype, quantization,
// tensor parallel, max_model_len, max_num_seqs, utilization, chunked prefill as the log states, on
// the row's GPU (with the device total the log printed, where it printed one). Nothing is fitted here.
// The rows carry their part, fixed in the data file before any estimate: 'tuned', 'held-out' (the
// first held-out set, evaluated once, spent) or 'examined' (V0-14..16: gathered for issue 12 as a
// fresh held-out set, evaluated once; what they showed steered the TP/interconnect model, so they
// are no longer held out).

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findGpu } from '../core/catalog/gpus';
import { findModel } from '../core/catalog/models';
import { estimateInferenceService } from '../core/estimate/index';
import type { ClusterDoc, InferenceServiceDoc } from '../core/spec/types';

export type KvV0Part = 'tuned' | 'held-out' | 'examined';

export interface KvV0Row {
  id: string;
  order: number;
  part: KvV0Part;
  vllm_version: string;
  model: string;
  hf_model: string;
  dtype: 'fp16' | 'bf16' | 'fp32';
  quantization: string;
  tp: number;
  max_model_len: number;
  max_num_batched_tokens: number | null;
  chunked_prefill: boolean;
  max_num_seqs: number;
  gpu_memory_utilization: number;
  enforce_eager: boolean | null;
  gpu: string;
  gpu_text: string;
  gpu_total_gib: number | null;
  block_size: number;
  gpu_blocks: number;
  kv_tokens: number;
  source_url: string;
}

export interface KvV0Result {
  id: string;
  part: KvV0Part;
  label: string;
  source: string;
  measured: number;
  predicted?: number;
  errorPct?: number;
  unmatched?: string;
}

/** The rows of a JSON-lines data file under the repository (none when it is absent). */
export function readJsonlRows<T>(repoRoot: string, rel: string): T[] {
  const file = path.join(repoRoot, rel);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function readKvV0Rows(repoRoot: string): KvV0Row[] {
  return readJsonlRows<KvV0Row>(repoRoot, 'bench/data/vllm-v0-kv.jsonl');
}

/** The first dotted number in the row's version text ("0.6.3.dev114+g…" → "0.6.3", "0.6.x …" → "0.6"). */
function versionOf(text: string): string | undefined {
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] >= '0' && text[i] <= '9') {
      start = i;
      break;
    }
  }
  if (start < 0) return undefined;
  let end = start;
  while (end < text.length && ((text[end] >= '0' && text[end] <= '9') || text[end] === '.')) end++;
  const v = text.slice(start, end).replace(/\.+$/, '');
  return v.includes('.') ? v : undefined;
}

export function kvV0Doc(r: KvV0Row): { doc: InferenceServiceDoc; cluster: ClusterDoc } {
  const doc: InferenceServiceDoc = {
    apiVersion: 'gantry/v1',
    kind: 'InferenceService',
    metadata: { name: r.id },
    spec: {
      engine: 'vllm',
      engineVersion: versionOf(r.vllm_version),
      model: { preset: r.model },
      dtype: r.dtype,
      quantization: (r.quantization === 'none' ? 'none' : r.quantization) as never,
      tensorParallel: r.tp,
      gpuMemoryUtilization: r.gpu_memory_utilization,
      maxModelLen: r.max_model_len,
      maxNumSeqs: r.max_num_seqs,
      ...(r.max_num_batched_tokens ? { maxNumBatchedTokens: r.max_num_batched_tokens } : {}),
      ...(r.enforce_eager ? { enforceEager: true } : {}),
      blockSize: r.block_size,
      extraArgs: [r.chunked_prefill ? '--enable-chunked-prefill' : '--no-enable-chunked-prefill'],
    },
  };
  const perNode = Math.min(r.tp, 8);
  const cluster: ClusterDoc = {
    apiVersion: 'gantry/v1',
    kind: 'Cluster',
    metadata: { name: 'bench' },
    spec: {
      nodes: { count: Math.max(1, Math.ceil(r.tp / perNode)), gpu: { model: r.gpu, count: perNode, ...(r.gpu_total_gib ? { memoryGiB: r.gpu_total_gib } : {}) } },
      interconnect: { interNode: { type: 'infiniband-ndr' as never } },
    },
  };
  return { doc, cluster };
}

export function evaluateKvV0(repoRoot: string, parts: ReadonlyArray<KvV0Part> = ['tuned', 'held-out', 'examined']): KvV0Result[] {
  const out: KvV0Result[] = [];
  for (const r of readKvV0Rows(repoRoot)) {
    if (!parts.includes(r.part)) continue;
    const res: KvV0Result = {
      id: r.id,
      part: r.part,
      label: `${r.hf_model.split(' ')[0].split('/').pop()} ${r.dtype}${r.quantization !== 'none' ? ` q=${r.quantization}` : ''} tp${r.tp} len ${r.max_model_len} util ${r.gpu_memory_utilization} on ${r.gpu}, vLLM ${versionOf(r.vllm_version) ?? r.vllm_version}`,
      source: r.source_url,
      measured: r.kv_tokens,
    };
    if (!findModel(r.model)) res.unmatched = `no catalog model '${r.model}'`;
    else if (!findGpu(r.gpu)) res.unmatched = `no catalog GPU '${r.gpu}'`;
    else {
      const { doc, cluster } = kvV0Doc(r);
      const e = estimateInferenceService(doc, cluster, { noFixes: true });
      if (!e.serving) res.unmatched = `estimator refused: ${e.findings.map((f) => f.message).join('; ')}`;
      else {
        res.predicted = e.serving.kvCacheTokens;
        res.errorPct = ((e.serving.kvCacheTokens - r.kv_tokens) / r.kv_tokens) * 100;
      }
    }
    out.push(res);
  }
  return out;
}

export interface KvV0Summary {
  n: number;
  medianAbs: number;
  maxAbs: number;
  worst?: string;
  within5: number;
}

export function summarizeKvV0(rows: KvV0Result[]): KvV0Summary {
  const vals = rows.filter((r) => typeof r.errorPct === 'number').map((r) => [r.id, Math.abs(r.errorPct as number)] as const);
  vals.sort((a, b) => a[1] - b[1]);
  if (!vals.length) return { n: 0, medianAbs: 0, maxAbs: 0, within5: 0 };
  const mid = vals.length >> 1;
  const median = vals.length % 2 ? vals[mid][1] : (vals[mid - 1][1] + vals[mid][1]) / 2;
  return { n: vals.length, medianAbs: median, maxAbs: vals[vals.length - 1][1], worst: vals[vals.length - 1][0], within5: vals.filter(([, v]) => v <= 5).length };
}
