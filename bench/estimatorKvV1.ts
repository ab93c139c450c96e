// vLLM V1 KV-cache sizes: bench/data/vllm-v1-kv-heldout.jsonl (published `GPU KV cache size: N
// tokens` from vLLM ≥ 0.10 V1-engine startups, with sources) against Gantry's estimate for the same
// configuration. Parts: 'examined' (KV1-*: gathered as held out, evaluated once, then looked at while
// the TP/interconnect allowance was changed, so no longer held out) and 'held-out' (KV2-*: a fresh
// set gathered and committed before that change; bench/estimator.mjs kept it out until
// GANTRY_EVAL_KV_HELDOUT=1 was run once, and shows it since). No formula is tuned on either (the tuned V1 rows are SV-* in
// ../shared/estimator-data/serving_kv.csv). Each row becomes an InferenceService with the row's
// engine version, model (catalog preset, or the architecture from its config.json), dtype,
// quantization, KV dtype, tensor/pipeline parallel, expert parallel, max_model_len, max_num_seqs,
// max_num_batched_tokens, utilization, eager mode and block size as the log or command states, on
// the row's GPU (with the device total vLLM printed, where it printed one; a GPU the catalog lacks
// is described by that total). A row that cannot be expressed carries its reason ('not matched').

import { findGpu } from '../core/catalog/gpus';
import { resolveModelName } from '../core/catalog/models';
import { formatOfQuantization } from '../core/catalog/weightFormat';
import { estimateInferenceService, predictedRefusal, printedAvailableKvBytes } from '../core/estimate/index';
import { kvCacheDtypeOfVllmWord, quantizationOfVllmWord, readMmLimits } from '../core/formats/vllmArgs';
import type { Architecture, ClusterDoc, InferenceServiceDoc, InferenceServiceSpec, Quantization, SpeculativeMethod } from '../core/spec/types';
import { readJsonlRows } from './estimatorKvV0';

export type KvV1Part = 'held-out' | 'examined' | 'reserve';

export interface KvV1Row {
  id: string;
  order: number;
  part: KvV1Part;
  vllm_version: string | null;
  /** The version given to Gantry (null: not stated, Gantry's default version is used). */
  engine_version: string | null;
  model: string | null;
  /** The architecture to estimate with; a string is a Hugging Face class name a gatherer wrote (KV9-*), not read. */
  architecture: Architecture | string | null;
  hf_model: string;
  /** null where the log does not state it (reserve rows): the spec leaves it out and the engine's default applies. */
  dtype: 'fp16' | 'bf16' | 'fp32' | null;
  quantization: string | null;
  kv_cache_dtype: string | null;
  tp: number | null;
  pp: number | null;
  expert_parallel: boolean;
  max_model_len: number | null;
  max_num_seqs: number | null;
  max_num_batched_tokens: number | null;
  gpu_memory_utilization: number | null;
  enforce_eager: boolean;
  prefix_caching: boolean | null;
  block_size: number;
  gpu: string;
  gpu_text: string;
  gpu_total_gib: number | null;
  /** null where the source printed the pool but no token figure (KV10-01/02): the row is then compared on the pool only. */
  kv_tokens: number | null;
  available_kv_gib: number | null;
  max_concurrency: number | null;
  /** Speculative decoding as the source states it (null: none). */
  speculative?: { method: 'mtp' | 'eagle' | 'eagle3' | 'ngram'; tokens?: number; draftModel?: string } | null;
  /** Whether the start compiled the model (cold) or loaded vLLM's compile cache (warm), where its log says (a quoted line). */
  compile_cache?: 'cold' | 'warm' | null;
  /** Multi-LoRA serving as the source states it (KV30-* on): --enable-lora's slots; null where a value was not passed (vLLM's default). */
  lora?: { enable_lora: boolean; max_loras: number | null; max_lora_rank: number | null; max_cpu_loras?: number | null; lora_dtype?: string | null; fully_sharded_loras?: boolean | null; adapters?: number | null } | null;
  /** --kv-cache-memory-bytes as passed (KV30-* on). */
  kv_cache_memory_bytes?: number | null;
  /** --disable-hybrid-kv-cache-manager (KV30-* on): every layer provisioned for the whole sequence (spec.disableHybridKvCacheManager). */
  disable_hybrid_kv_cache_manager?: boolean | null;
  /** Set in the data file when the row is known to be inexpressible (a gap, kept in the report). */
  unmatched: string | null;
  /** Vision-language models (KV9-*): vLLM's multimodal options as the source states them, and the encoder line it printed. */
  mm?: {
    budget_tokens: number | null;
    items: number | null;
    modality: string | null;
    limit_mm_per_prompt: string | Record<string, unknown> | null;
    skip_mm_profiling: boolean;
    language_model_only: boolean;
    mm_processor_kwargs: unknown;
    encoder_line: string | null;
  } | null;
  source_url: string;
  where: string;
  notes: string;
}

export interface KvV1Result {
  id: string;
  part: KvV1Part;
  label: string;
  source: string;
  /** vLLM's token figure (null: not printed; the row then has no token error, only its pool). */
  measured: number | null;
  predicted?: number;
  errorPct?: number;
  /** vLLM's "Available KV cache memory" and Gantry's KV pool, GiB per GPU. */
  poolGiB?: { measured: number | null; predicted: number };
  /** vLLM's "Maximum concurrency" and Gantry's, at max_model_len (context, not in the error). */
  concurrency?: { measured: number | null; predicted: number };
  unmatched?: string;
  /** Gantry predicts that this start, which succeeded, is refused (a false refusal). */
  refused?: 'no-kv-memory' | 'kv-below-one-sequence';
}

export function readKvV1Rows(repoRoot: string): KvV1Row[] {
  return readJsonlRows<KvV1Row>(repoRoot, 'bench/data/vllm-v1-kv-heldout.jsonl');
}

/**
 * A reserve set, gathered before a change to V1 sizing and kept unevaluated until it lands: KV3-* (the
 * vLLM-version change, bench/data/vllm-v1-kv-reserve.jsonl) and KV4-* (the MoE profile-activation change,
 * bench/data/vllm-v1-kv-reserve2.jsonl).
 */
export function readKvV1Reserve(repoRoot: string, file = 'bench/data/vllm-v1-kv-reserve.jsonl'): KvV1Row[] {
  return readJsonlRows<KvV1Row>(repoRoot, file);
}

/** vLLM's --quantization words that say "as the checkpoint is" (its quantization_config): the spec leaves the field out, as a user would. */
const CHECKPOINT_QUANT = new Set(['compressed-tensors', 'modelopt', 'modelopt_mixed']);

/**
 * A row's quantization as the spec says it: a spec value as is, a word of vLLM's --quantization through the vllm serve
 * reader's own table (`bitsandbytes` → bitsandbytes-4bit, `awq_marlin` → awq), none for a word that says "as the
 * checkpoint is"; undefined (not expressible) for anything else.
 */
function specQuantization(q: string | null): Quantization | 'checkpoint' | undefined {
  if (!q || q === 'none') return 'none';
  if (CHECKPOINT_QUANT.has(q)) return 'checkpoint';
  if (formatOfQuantization(q as Quantization)) return q as Quantization;
  const word = quantizationOfVllmWord(q);
  return word ? (word as Quantization) : undefined;
}
const SPECULATIVE_METHODS: ReadonlySet<string> = new Set<SpeculativeMethod>(['mtp', 'eagle', 'eagle3', 'ngram']);

/** --limit-mm-per-prompt as a source states it (JSON text or an object), read by the vllm serve reader's own rule. */
function mmLimits(raw: unknown): NonNullable<InferenceServiceSpec['multimodal']>['limitPerPrompt'] | undefined {
  if (raw === null || raw === undefined) return undefined;
  const r = readMmLimits(typeof raw === 'string' ? raw : JSON.stringify(raw));
  return 'error' in r || !Object.keys(r.limits).length ? undefined : r.limits;
}

function multimodalOf(r: KvV1Row): InferenceServiceSpec['multimodal'] | undefined {
  if (!r.mm) return undefined;
  const limitPerPrompt = mmLimits(r.mm.limit_mm_per_prompt);
  const mm = { ...(limitPerPrompt ? { limitPerPrompt } : {}), ...(r.mm.skip_mm_profiling ? { skipProfiling: true } : {}), ...(r.mm.language_model_only ? { languageModelOnly: true } : {}) };
  return Object.keys(mm).length ? mm : undefined;
}

export function kvV1Doc(r: KvV1Row): { doc: InferenceServiceDoc; cluster: ClusterDoc } {
  const multimodal = GAPS_CLOSED[r.id]?.multimodal ?? multimodalOf(r);
  const doc: InferenceServiceDoc = {
    apiVersion: 'gantry/v1',
    kind: 'InferenceService',
    metadata: { name: r.id },
    spec: {
      engine: 'vllm',
      ...(r.engine_version ? { engineVersion: r.engine_version } : {}),
      // A class name in `architecture` (a string) is no architecture: prepareRow drops it before a row gets here.
      model: r.model ? { preset: r.model } : { architecture: typeof r.architecture === 'object' && r.architecture ? r.architecture : undefined },
      // A field the log does not state (null) is left out: the estimate takes the engine's default.
      ...(r.dtype ? { dtype: r.dtype } : {}),
      ...(r.quantization && specQuantization(r.quantization) !== 'checkpoint' ? { quantization: specQuantization(r.quantization) as never } : {}),
      // vLLM's words for the cache dtype, read by the vllm serve reader's table (fp8_e4m3 → fp8-e4m3, fp8_ds_mla → fp8).
      ...(r.kv_cache_dtype ? { kvCacheDtype: (kvCacheDtypeOfVllmWord(r.kv_cache_dtype) ?? r.kv_cache_dtype) as never } : {}),
      tensorParallel: r.tp ?? 1,
      pipelineParallel: r.pp ?? 1,
      ...(r.expert_parallel ? { expertParallel: true } : {}),
      ...(r.gpu_memory_utilization ? { gpuMemoryUtilization: r.gpu_memory_utilization } : {}),
      ...(r.max_model_len ? { maxModelLen: r.max_model_len } : {}),
      ...(r.max_num_seqs ? { maxNumSeqs: r.max_num_seqs } : {}),
      ...(r.max_num_batched_tokens ? { maxNumBatchedTokens: r.max_num_batched_tokens } : {}),
      ...(r.enforce_eager ? { enforceEager: true } : {}),
      ...(r.compile_cache === 'warm' || r.compile_cache === 'cold' ? { compileCache: r.compile_cache } : {}),
      ...(r.speculative ? { speculative: r.speculative } : {}),
      ...(multimodal ? { multimodal } : {}),
      ...(GAPS_CLOSED[r.id]?.lora ? { lora: GAPS_CLOSED[r.id].lora } : r.lora?.enable_lora ? { lora: { ...(r.lora.max_loras ? { maxLoras: r.lora.max_loras } : {}), ...(r.lora.max_lora_rank ? { maxRank: r.lora.max_lora_rank } : {}) } } : {}),
      ...(r.kv_cache_memory_bytes ? { kvCacheMemoryBytes: r.kv_cache_memory_bytes } : {}),
      ...(r.disable_hybrid_kv_cache_manager ? { disableHybridKvCacheManager: true } : {}),
      ...(GAPS_CLOSED[r.id]?.cpuOffloadGiB ? { cpuOffloadGiB: GAPS_CLOSED[r.id].cpuOffloadGiB } : {}),
      ...(r.prefix_caching !== null ? { enablePrefixCaching: r.prefix_caching } : {}),
      blockSize: r.block_size,
    },
  };
  const gpus = (r.tp ?? 1) * (r.pp ?? 1);
  const perNode = Math.min(gpus, 8);
  const cluster: ClusterDoc = {
    apiVersion: 'gantry/v1',
    kind: 'Cluster',
    metadata: { name: 'bench' },
    spec: {
      nodes: { count: Math.max(1, Math.ceil(gpus / perNode)), gpu: { model: r.gpu, count: perNode, ...(r.gpu_total_gib ? { memoryGiB: r.gpu_total_gib } : {}) } },
      interconnect: { interNode: { type: 'infiniband-ndr' as never } },
    },
  };
  return { doc, cluster };
}

function label(r: KvV1Row): string {
  const name = r.hf_model.split(' ')[0].split('/').pop();
  const par = `tp${r.tp ?? 1}${(r.pp ?? 1) > 1 ? ` pp${r.pp}` : ''}${r.expert_parallel ? ' ep' : ''}`;
  const q = r.quantization && r.quantization !== 'none' ? ` q=${r.quantization}` : '';
  const kv = r.kv_cache_dtype && r.kv_cache_dtype !== 'auto' ? ` kv=${r.kv_cache_dtype}` : '';
  const v = r.engine_version ?? 'version not stated';
  const start = r.compile_cache ? `, ${r.compile_cache} compile cache` : '';
  return `${name} ${r.dtype ?? 'dtype n/s'}${q}${kv} ${par} len ${r.max_model_len ?? 'default'} util ${r.gpu_memory_utilization ?? 'n/s'} on ${r.gpu}, vLLM ${v}${start}`;
}

const GIB = 1024 ** 3;

export function evaluateKvV1(repoRoot: string, parts: readonly KvV1Part[] = ['held-out', 'examined']): KvV1Result[] {
  return evaluateKvV1Rows(readKvV1Rows(repoRoot), parts);
}

/**
 * Rows whose gatherer's `unmatched` note does not hold: they are expressed as a user would express them (a catalog
 * card, or a Cluster that gives the GPU's memory), and are evaluated once from then on (docs/estimator.md). `how`
 * says how; `gpuTotalGiB` is the device memory the row is given when its source printed no vLLM device total; `model`
 * the catalog entry a row's checkpoint (hf_model) is when the catalog gained it after the row was gathered.
 */
export const GAPS_CLOSED: Readonly<Record<string, { how: string; gpuTotalGiB?: number; model?: string; multimodal?: InferenceServiceSpec['multimodal']; row?: Partial<KvV1Row>; lora?: InferenceServiceSpec['lora']; cpuOffloadGiB?: number }>> = {
  // Closed 2026-12-06, after KV5-*'s evaluation.
  'KV5-08': { how: "device total not quoted: the catalog's RTX 5060 Ti 16GB (usable memory by the GDDR rule) stands in for it" },
  'KV5-09': { how: "device total not quoted: the catalog's RTX 5060 Ti 16GB (usable memory by the GDDR rule) stands in for it" },
  'KV5-11': { how: 'GPU not named: described by the device total vLLM printed (15.55 GiB), as a Cluster may describe a GPU the catalog lacks' },
  // Closed 2026-12-06 before KV6-*'s evaluation: nvidia-smi's total is the CUDA device total vLLM prints (an RTX 4090's 24,564 MiB is its 23.99 GiB).
  'KV6-11': { how: "card not in the catalog: described by nvidia-smi's total, 24,467 MiB = 23.89 GiB", gpuTotalGiB: 24467 / 1024 },
  'KV6-15': { how: "card not in the catalog: described by nvidia-smi's total, 32,760 MiB = 31.99 GiB; --language-model-only as multimodal.languageModelOnly", gpuTotalGiB: 32760 / 1024, multimodal: { languageModelOnly: true } },
  'KV6-16': { how: "card not in the catalog: described by nvidia-smi's total, 32,760 MiB = 31.99 GiB; --language-model-only as multimodal.languageModelOnly", gpuTotalGiB: 32760 / 1024, multimodal: { languageModelOnly: true } },
  // Closed 2026-12-06 when Gemma 4 E2B entered the catalog (architecture.globalAttention and kvShared), evaluated once then.
  'KV6-17': { how: 'Gemma 4 E2B entered the catalog from its published config after this row was gathered', model: 'gemma-4-e2b' },
  // 2026-12-06, with the vision-encoder profile change: the source's --language-model-only, which the spec could not say before it
  // (KV6-15/16 above too; KV7-11 also ran language_model_only but stays a gap, for its DFlash speculative decoding).
  'KV8-07': { how: 'language_model_only as multimodal.languageModelOnly', multimodal: { languageModelOnly: true } },
  // 2026-12-07: KV12-01's gatherer took --language-model-only for a gap; multimodal.languageModelOnly has said it since
  // KV8-07. Expressed and evaluated once, with no formula change pending.
  'KV12-01': { how: '--language-model-only as multimodal.languageModelOnly', multimodal: { languageModelOnly: true } },
  // 2026-12-07: KV12-02 was first evaluated (−32.4 %) with its gatherer's quantization text, which is no spec value and which
  // the bench then dropped without a word: an unquantized estimate. Such a row is now unmatched; this one is given as a user
  // gives it, by its checkpoint's name, which resolves since 'qat' and 'ct' are read as neutral words (evaluated since).
  'KV12-02': {
    how: "the checkpoint by its name: int4 w4a16 from 'google/gemma-4-E2B-it-qat-w4a16-ct'",
    row: { model: 'google/gemma-4-E2B-it-qat-w4a16-ct', quantization: null },
  },
  // KV14-03's gatherer took LoRA serving for a gap; spec.lora says it (--enable-lora --max-loras 3 --max-lora-rank 16).
  'KV14-03': { how: '--max-loras 3 --max-lora-rank 16 as spec.lora', lora: { maxLoras: 3, maxRank: 16 } },
  // KV19-05's gatherer took the missing catalog preset for a gap; Qwen3-VL 2B entered the catalog 2026-12-07 from its
  // published config (as vendored in ai-dynamo/aiconfigurator). Evaluated once then, with no formula change pending.
  'KV19-05': { how: 'Qwen3-VL 2B from the catalog (entered 2026-12-07)', model: 'Qwen/Qwen3-VL-2B-Instruct' },
  // KV22-08..11 and KV23-04: their gatherers took Gemma 4 12B for a gap; it entered the catalog 2026-12-07 from its published
  // config (as committed in public code: 48 layers, 40 sliding and 8 full). Evaluated once then, with no formula change pending.
  'KV22-08': { how: 'Gemma 4 12B from the catalog (entered 2026-12-07)', model: 'google/gemma-4-12B-it' },
  'KV22-09': { how: 'Gemma 4 12B from the catalog (entered 2026-12-07)', model: 'google/gemma-4-12B-it' },
  'KV22-10': { how: 'Gemma 4 12B from the catalog (entered 2026-12-07)', model: 'google/gemma-4-12B-it' },
  'KV22-11': { how: 'Gemma 4 12B from the catalog (entered 2026-12-07)', model: 'google/gemma-4-12B-it' },
  // NVFP4 Gemma 4 rows whose gatherers gave the catalog preset and `nvfp4` where the start served a named checkpoint: since
  // 2026-12-07 the checkpoint's exporter decides which modules stay unquantized (hybridNamedFormat), so they are given by
  // the checkpoint's name, as a user gives it (all examined).
  'KV8-08': { how: "the checkpoint by its name, 'RedHatAI/gemma-4-26B-A4B-it-NVFP4'", row: { model: 'RedHatAI/gemma-4-26B-A4B-it-NVFP4', quantization: null } },
  'KV8-09': { how: "the checkpoint by its name, 'nvidia/Gemma-4-31B-IT-NVFP4'", row: { model: 'nvidia/Gemma-4-31B-IT-NVFP4', quantization: null } },
  'KV22-01': { how: "the checkpoint by its name, 'nvidia/Gemma-4-26B-A4B-NVFP4'", row: { model: 'nvidia/Gemma-4-26B-A4B-NVFP4', quantization: null } },
  'KV22-03': { how: "the checkpoint by its name, 'nvidia/Gemma-4-26B-A4B-NVFP4'", row: { model: 'nvidia/Gemma-4-26B-A4B-NVFP4', quantization: null } },
  // KV24-01/02 and 09..13: their weights offloaded to Grace memory, which spec.cpuOffloadGiB says since 2026-12-07 (before
  // any estimate was made on them). KV24-01/02 offload the experts alone (--cpu-offload-params experts), taken as whole
  // layers, of which the experts are nearly all.
  'KV24-01': { how: '--cpu-offload-gb 40 as cpuOffloadGiB (the experts-only filter taken as whole layers)', cpuOffloadGiB: 40 },
  'KV24-02': { how: '--cpu-offload-gb 40 as cpuOffloadGiB (the experts-only filter taken as whole layers)', cpuOffloadGiB: 40 },
  'KV24-09': { how: '--cpu-offload-gb 40 as cpuOffloadGiB', cpuOffloadGiB: 40 },
  'KV24-10': { how: '--cpu-offload-gb 40 as cpuOffloadGiB', cpuOffloadGiB: 40 },
  'KV24-11': { how: '--cpu-offload-gb 55 as cpuOffloadGiB', cpuOffloadGiB: 55 },
  'KV24-12': { how: '--cpu-offload-gb 40 as cpuOffloadGiB', cpuOffloadGiB: 40 },
  'KV24-13': { how: '--cpu-offload-gb 40 as cpuOffloadGiB', cpuOffloadGiB: 40 },
  // KV24-03/04/07: their gatherer wrote the GPU as 'H200-141GB', which is no catalog name (the catalog's is H200-SXM-141GB);
  // a user writes H200. Named so after KV24-05/06 were evaluated, before any estimate was made on these three, with no
  // formula change pending.
  'KV24-03': { how: "'H200-141GB' as the catalog's H200", row: { gpu: 'H200' } },
  'KV24-04': { how: "'H200-141GB' as the catalog's H200", row: { gpu: 'H200' } },
  'KV24-07': { how: "'H200-141GB' as the catalog's H200", row: { gpu: 'H200' } },
  // Restarts that loaded vLLM's compile cache, as their sources quote it, given as compileCache: warm (2026-12-07, with the
  // first-start compile peak; a user restarting a server says so). All were evaluated before as first starts would be.
  // 2026-12-08, closed before KV30-*/KV31-* were evaluated: Mistral 7B v0.2 entered the catalog from its published config;
  // a checkpoint whose name says NVFP4 is given by its name, as a user writes it (the gatherer's words for the format are prose).
  'KV30-01': { how: 'Mistral 7B v0.2 entered the catalog from its published config', model: 'mistral-7b-v0.2' },
  'KV30-02': { how: 'Mistral 7B v0.2 entered the catalog from its published config', model: 'mistral-7b-v0.2' },
  'KV30-04': { how: 'the checkpoint by its name (qwen3.8-27b-nvfp4), its format read from the name', row: { quantization: null } },
  'KV30-05': { how: 'the checkpoint by its name (qwen3.8-27b-nvfp4), its format read from the name', row: { quantization: null } },
  'KV31-03': { how: 'the checkpoint by its name (nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-NVFP4), its format read from the name', row: { quantization: null } },
  // 2026-12-08, with spec.kvCacheMemoryBytes (vLLM --kv-cache-memory-bytes): the fixed KV budget their gatherer took for a gap.
  'KV23-05': { how: '--kv-cache-memory-bytes 55834574848 as spec.kvCacheMemoryBytes', row: { kv_cache_memory_bytes: 55834574848 } },
  // 2026-12-08, with spec.disableHybridKvCacheManager: the switch its gatherer took for a gap.
  'KV22-13': { how: '--disable-hybrid-kv-cache-manager as spec.disableHybridKvCacheManager', row: { disable_hybrid_kv_cache_manager: true } },
  'KV23-06': { how: '--kv-cache-memory-bytes 53687091200 as spec.kvCacheMemoryBytes', row: { kv_cache_memory_bytes: 53687091200 } },
  'KV3-07': { how: 'a restart that loaded the compile cache (compileCache: warm)', row: { compile_cache: 'warm' } },
  'KV5-10': { how: 'a restart that loaded the compile cache (compileCache: warm)', row: { compile_cache: 'warm' } },
  'KV6-02': { how: 'a restart that loaded the compile cache (compileCache: warm)', row: { compile_cache: 'warm' } },
  'KV22-04': { how: "the checkpoint by its name, 'nvidia/Gemma-4-26B-A4B-NVFP4'; a restart that loaded the saved AOT compilation (compileCache: warm)", row: { model: 'nvidia/Gemma-4-26B-A4B-NVFP4', quantization: null, compile_cache: 'warm' } },
  'KV26-06': { how: 'a restart that loaded the compile cache (compileCache: warm)', row: { compile_cache: 'warm' } },
  'KV26-11': { how: 'a restart that loaded the compile cache (compileCache: warm)', row: { compile_cache: 'warm' } },
  'KV27-04': {
    how: "'RTX-5070Ti-16GB' as the catalog's RTX 5070 Ti 16GB (usable memory by the GDDR rule); --quantization awq_marlin; the cache dtype left unset, as the row says; a warm restart (compileCache: warm)",
    row: { gpu: 'RTX-5070-Ti-16GB', kv_cache_dtype: null, quantization: 'awq_marlin', compile_cache: 'warm' },
  },
  // First starts whose sources quote the compile (a torch.compile time, or the author saying so): compileCache: cold.
  'KV3-06': { how: 'a first start that compiled the model (compileCache: cold)', row: { compile_cache: 'cold' } },
  'KV6-03': { how: 'a first start that compiled the model (compileCache: cold)', row: { compile_cache: 'cold' } },
  'KV26-07': { how: 'a first start that compiled the model (compileCache: cold)', row: { compile_cache: 'cold' } },
  // KV28-02 quotes 'torch.compile took 21.53 s in total': given as cold before any estimate on it.
  'KV28-02': { how: 'a first start that compiled the model (compileCache: cold)', row: { compile_cache: 'cold' } },
  // Qwen3.5 0.8B, 2B and 4B entered the catalog 2026-12-07 from public copies of their configs, to close these gaps; each
  // row evaluated once then, with no formula change pending.
  'KV6-04': { how: 'Qwen3.5 4B from the catalog (entered 2026-12-07)', model: 'Qwen/Qwen3.5-4B' },
  'KV21-11': { how: 'Qwen3.5 4B from the catalog (entered 2026-12-07)', model: 'Qwen/Qwen3.5-4B' },
  'KV21-13': { how: "Qwen3.5 4B from the catalog (entered 2026-12-07); the checkpoint by its name, 'cyankiwi/Qwen3.5-4B-AWQ-4bit'", row: { model: 'cyankiwi/Qwen3.5-4B-AWQ-4bit' } },
  // KV28-01 quotes 'Directly load the compiled graph(s) ... from the cache': given as warm before any estimate on it.
  'KV28-01': { how: 'a restart that loaded the compile cache (compileCache: warm)', row: { compile_cache: 'warm' } },
  // KV27-*: named as a user names them before any estimate was made on these rows (the gatherer's 'RTX-5070Ti-16GB' is no
  // catalog name, its quantization text for KV27-08 no spec value; the checkpoint name says AutoRound int4).
  'KV27-01': {
    how: "'RTX-5070Ti-16GB' as the catalog's RTX 5070 Ti 16GB (usable memory by the GDDR rule); --quantization awq_marlin; the cache dtype left unset, as the row says; a cold start (compileCache: cold)",
    row: { gpu: 'RTX-5070-Ti-16GB', kv_cache_dtype: null, quantization: 'awq_marlin', compile_cache: 'cold' },
  },
  'KV27-02': {
    how: "'RTX-5070Ti-16GB' as the catalog's RTX 5070 Ti 16GB (usable memory by the GDDR rule); --quantization awq_marlin; the cache dtype left unset, as the row says; a cold start (compileCache: cold)",
    row: { gpu: 'RTX-5070-Ti-16GB', kv_cache_dtype: null, quantization: 'awq_marlin', compile_cache: 'cold' },
  },
  'KV27-03': {
    how: "'RTX-5070Ti-16GB' as the catalog's RTX 5070 Ti 16GB (usable memory by the GDDR rule); --quantization awq_marlin; the cache dtype left unset, as the row says; a cold start (compileCache: cold)",
    row: { gpu: 'RTX-5070-Ti-16GB', kv_cache_dtype: null, quantization: 'awq_marlin', compile_cache: 'cold' },
  },
  'KV27-08': { how: 'AutoRound int4 as the checkpoint name says (int4)', row: { quantization: 'int4' } },
  'KV23-04': { how: "Gemma 4 12B from the catalog (entered 2026-12-07): an abliterated fine-tune keeps the base's shapes; fp8 as the row states", row: { model: 'google/gemma-4-12B-it' } },
};

/**
 * Rows left out of the figures though their gatherer left them open: starts the spec cannot express, judged on their
 * configuration alone before any estimate was made on them, and starts an earlier set already holds.
 */
export const NOT_EXPRESSIBLE: Readonly<Record<string, string>> = {
  'KV30-06': '--kv-cache-memory-bytes was passed but its value is not quoted (the source gives only the resulting pool)',
  // Their --mamba-ssm-cache-dtype float16 is spec.mambaSsmCacheDtype since 2026-12-08; the checkpoint's run is not expressible.
  'KV31-05': 'a W4A16 checkpoint run as W4A8 Marlin (VLLM_MARLIN_INPUT_DTYPE=int8) by a forked vLLM 0.29.1.dev0, which spec.quantization cannot say',
  'KV31-06': 'a W4A16 checkpoint run as W4A8 Marlin by a forked vLLM 0.29.1.dev0, and --cpu-offload-params visual (the vision tower alone offloaded), which spec.cpuOffloadGiB cannot say',
  'KV31-07': 'a W4A16 checkpoint run as W4A8 Marlin (VLLM_MARLIN_INPUT_DTYPE=int8) by a forked vLLM 0.29.1.dev0, which spec.quantization cannot say',
  // Found again by KV24-*'s gatherer (same log, same figures), after their first evaluation: counted once, in the earlier set.
  'KV24-05': 'the same start as KV23-08 (one GB200 log gathered twice): counted there',
  'KV24-06': 'the same start as KV21-01 (one H100 log gathered twice): counted there',
  // KV24-* (2026-12-07): a forked vLLM with its own sparse-attention backend (the seven that offloaded weights to host
  // memory were gaps until spec.cpuOffloadGiB said it; GAPS_CLOSED).
  'KV24-14': "a forked vLLM stack (B12X_MLA_SPARSE attention and B12X MoE backends, index_topk_pattern overrides) on sm_120, where upstream vLLM has no sparse-attention backend: its cache layout is the fork's",
  'KV24-15': "a forked vLLM stack (B12X_MLA_SPARSE attention and B12X MoE backends) on sm_120, where upstream vLLM has no sparse-attention backend: its cache layout is the fork's",
  'KV24-16': 'a forked vLLM stack (B12X_MLA_SPARSE) on sm_120 with decode context parallel, which the spec does not say',
  'KV24-17': 'a forked vLLM stack (B12X_MLA_SPARSE, --decode-context-parallel-size 8), which the spec does not say',
  'KV24-18': "a forked vLLM stack (B12X_MLA_SPARSE) on sm_120, where upstream vLLM has no sparse-attention backend: its cache layout is the fork's",
  'KV24-19': 'a forked vLLM stack (B12X) with EXL3 weights and an nvfp4_ds_mla cache, neither of which the spec says',
  'KV24-20': 'a forked vLLM stack (B12X) with EXL3 weights and an nvfp4_ds_mla cache, neither of which the spec says',
  // KV25-* and KV26-* (2026-12-07), judged on their configuration before any estimate.
  'KV25-06': 'an LMCache KV connector (--kv-transfer-config), which the spec does not say; it turned the hybrid KV cache manager off',
  'KV26-15': 'an Intel Arc (XPU) start whose pool was fixed by --kv-cache-memory-bytes: no profiled pool to compare',
  'KV26-16': 'an Intel Arc (XPU) start whose pool was fixed by --kv-cache-memory-bytes: no profiled pool to compare',
  'KV26-17': 'an Intel Arc (XPU) start whose pool was fixed by --kv-cache-memory-bytes: no profiled pool to compare',
  'KV26-18': 'an Intel Arc (XPU) start whose pool was fixed by --kv-cache-memory-bytes: no profiled pool to compare',
  'KV27-09': 'GPU not named; its device total only from rounded log figures (0.37 GiB over a 0.0083 utilization step: 44–45 GiB), too loose for the pool',
  'KV27-10': 'GPU not named: its device total only from rounded log figures (about 44 GiB)',
  'KV27-11': 'GPU not named: an A10G or an L4 (22.5 or 22.0 GiB), which the source does not say',
  'KV26-19': "figures given only as approximations ('~4.28M' tokens) from an image tag with no release number",
};

/** Rows whose gatherer's `unmatched` reason no longer holds, though another does: the reason as it stands now. */
export const STILL_UNMATCHED: Readonly<Record<string, string>> = {
  'KV2-04': 'Qwen3-VL-30B-A3B has been in the catalog since 2026-12-07, but the row states neither its vLLM version nor its gpu_memory_utilization (and its encoder was profiled with a video item, which Gantry does not model)',
};

/**
 * A row as a user would give it (GAPS_CLOSED, a checkpoint named as its preset), with the reason it cannot be expressed,
 * if any. Shared by the KV rows and the refusals.
 */
export function prepareRow(row: KvV1Row): { r: KvV1Row; label: string; unmatched?: string } {
  let r = row;
  const closed = GAPS_CLOSED[r.id];
  if (closed?.gpuTotalGiB && !r.gpu_total_gib) r = { ...r, gpu_total_gib: closed.gpuTotalGiB };
  if (closed?.model && !r.model) r = { ...r, model: closed.model };
  if (closed?.row) r = { ...r, ...closed.row };
  // A reserve row that names only its checkpoint is given the checkpoint as the preset where the catalog resolves that
  // name, as a user would write it (KV9-*, KV10-*). A Hugging Face class name in `architecture` (a string, KV9-*'s
  // gatherer wrote one) is not an architecture and is not read.
  if (typeof r.architecture === 'string') r = { ...r, architecture: null };
  // The repo id is the field's first word: a gatherer may add a parenthetical (KV13-11: where the weights were mounted from).
  const repo = r.hf_model.split(' ')[0];
  if (!r.model && !r.architecture && r.part === 'reserve' && resolveModelName(repo)) r = { ...r, model: repo };
  const lbl = closed ? `${label(r)} (${closed.how})` : label(r);
  let unmatched: string | undefined;
  if (STILL_UNMATCHED[r.id]) unmatched = STILL_UNMATCHED[r.id];
  else if (NOT_EXPRESSIBLE[r.id]) unmatched = NOT_EXPRESSIBLE[r.id];
  else if (r.unmatched && !closed) unmatched = r.unmatched;
  else if (r.model && !resolveModelName(r.model)) unmatched = `no catalog model '${r.model}'`;
  else if (!r.model && !r.architecture) unmatched = `no catalog model for '${repo.slice(0, 80)}' (a user with its config.json gets an estimate from it)`;
  else if (!findGpu(r.gpu) && !r.gpu_total_gib) unmatched = `no catalog GPU '${r.gpu}' and no device total`;
  // A quantization the spec cannot say is a gap, not a flag to leave out: the estimate would be of another checkpoint.
  else if (r.kv_cache_dtype && kvCacheDtypeOfVllmWord(r.kv_cache_dtype) === undefined) unmatched = `kv_cache_dtype '${r.kv_cache_dtype.slice(0, 40)}' is no word of vLLM's --kv-cache-dtype the spec says`;
  else if (r.quantization && specQuantization(r.quantization) === undefined) unmatched = `quantization '${r.quantization.slice(0, 60)}' is no value of spec.quantization nor a word of vLLM's --quantization`;
  // So is a speculative method the spec cannot say (DFlash, DSpark): its drafter would be left out without a word.
  else if (r.lora?.fully_sharded_loras) unmatched = '--fully-sharded-loras: no spec field says the LoRA slots are sharded further';
  else if (r.speculative && !SPECULATIVE_METHODS.has(r.speculative.method)) unmatched = `speculative method '${String(r.speculative.method).slice(0, 40)}' is no value of spec.speculative.method`;
  return { r, label: lbl, ...(unmatched ? { unmatched } : {}) };
}

export function evaluateKvV1Rows(rows: readonly KvV1Row[], parts: readonly KvV1Part[]): KvV1Result[] {
  const out: KvV1Result[] = [];
  for (const row of rows) {
    if (!parts.includes(row.part)) continue;
    const { r, label: lbl, unmatched } = prepareRow(row);
    const res: KvV1Result = { id: r.id, part: r.part, label: lbl, source: r.source_url, measured: r.kv_tokens };
    if (unmatched) res.unmatched = unmatched;
    else {
      const { doc, cluster } = kvV1Doc(r);
      const e = estimateInferenceService(doc, cluster, { noFixes: true });
      if (!e.serving) res.unmatched = `estimator refused: ${e.findings.map((f) => f.message).join('; ')}`;
      else {
        res.predicted = e.serving.kvCacheTokens;
        if (typeof r.kv_tokens === 'number' && r.kv_tokens > 0) res.errorPct = ((e.serving.kvCacheTokens - r.kv_tokens) / r.kv_tokens) * 100;
        res.poolGiB = { measured: r.available_kv_gib, predicted: e.serving.kvCacheBytes / GIB };
        res.concurrency = { measured: r.max_concurrency, predicted: e.serving.maxConcurrency };
        const refused = predictedRefusal(e);
        if (refused) res.refused = refused;
      }
    }
    out.push(res);
  }
  return out;
}

/** A published start that failed for memory (bench/data/vllm-v1-refusals.jsonl): what the engine refused with. */
export interface RefusalRow extends KvV1Row {
  refusal: 'kv-below-one-sequence' | 'no-kv-memory' | 'oom-at-load' | 'oom-at-profile';
  error_line: string;
  needed_kv_gib: number | null;
}

export interface RefusalResult {
  id: string;
  label: string;
  source: string;
  refusal: RefusalRow['refusal'];
  /** What Gantry predicts: a refusal of one of its two kinds, or a start. */
  predicted?: 'no-kv-memory' | 'kv-below-one-sequence' | 'starts';
  /** The KV tokens vLLM printed in its refusal ("… stored in KV cache (Y)") and Gantry's. */
  tokens?: { measured: number; predicted: number; errorPct: number };
  /** "Available KV cache memory" as printed (negative where it refused for none) and as predicted, GiB per GPU. */
  availableGiB?: { measured: number; predicted: number };
  unmatched?: string;
}

/**
 * Startup refusals: does Gantry predict that the engine refuses, where it did? A CUDA out-of-memory at load or in the
 * profile run is matched by either refusal Gantry names (it has no separate out-of-memory prediction); the other two
 * kinds by the same kind.
 */
export function evaluateRefusalRows(rows: readonly RefusalRow[]): RefusalResult[] {
  return rows.map((row) => {
    const { r, label: lbl, unmatched } = prepareRow(row);
    const res: RefusalResult = { id: r.id, label: lbl, source: r.source_url, refusal: row.refusal };
    if (unmatched) return { ...res, unmatched };
    const { doc, cluster } = kvV1Doc(r);
    const e = estimateInferenceService(doc, cluster, { noFixes: true });
    if (!e.serving) return { ...res, unmatched: `estimator gave no estimate: ${e.findings.map((f) => f.message.slice(0, 120)).join('; ')}` };
    res.predicted = predictedRefusal(e) ?? 'starts';
    if (typeof r.kv_tokens === 'number' && r.kv_tokens > 0) res.tokens = { measured: r.kv_tokens, predicted: e.serving.kvCacheTokens, errorPct: ((e.serving.kvCacheTokens - r.kv_tokens) / r.kv_tokens) * 100 };
    if (typeof r.available_kv_gib === 'number') res.availableGiB = { measured: r.available_kv_gib, predicted: printedAvailableKvBytes(e.serving) / GIB };
    return res;
  });
}

/** A refusal predicted where the engine refused, and of the same kind (an out-of-memory is matched by either). */
export function refusalMatched(x: RefusalResult): { predicted: boolean; kind: boolean } {
  const predicted = x.predicted !== undefined && x.predicted !== 'starts';
  return { predicted, kind: predicted && (x.refusal === 'oom-at-load' || x.refusal === 'oom-at-profile' || x.refusal === x.predicted) };
}

export interface KvV1Summary {
  n: number;
  medianAbs: number;
  maxAbs: number;
  worst?: string;
  within2: number;
  within5: number;
}

export function summarizeKvV1(rows: KvV1Result[]): KvV1Summary {
  const vals = rows.filter((r) => typeof r.errorPct === 'number').map((r) => [r.id, Math.abs(r.errorPct as number)] as const);
  vals.sort((a, b) => a[1] - b[1]);
  if (!vals.length) return { n: 0, medianAbs: 0, maxAbs: 0, within2: 0, within5: 0 };
  const mid = vals.length >> 1;
  const median = vals.length % 2 ? vals[mid][1] : (vals[mid - 1][1] + vals[mid][1]) / 2;
  return { n: vals.length, medianAbs: median, maxAbs: vals[vals.length - 1][1], worst: vals[vals.length - 1][0], within2: vals.filter(([, v]) => v <= 2).length, within5: vals.filter(([, v]) => v <= 5).length };
}

/** One published vLLM CUDA graph estimate (bench/data/vllm-cudagraph-estimates.jsonl); only the fields the summary reads. */
interface CudaGraphRow {
  gpu: string | null;
  tp: number | null;
  vllm_version: string | null;
  estimate_gib: number | null;
  notes: string | null;
}

/**
 * The figure core/estimate/engineVersion.ts CUDA_GRAPHS takes: the median of vLLM's published estimates on CUDA
 * GPUs, without the ROCm builds and the two estimates vLLM issues report as estimator bugs (over 10 GiB).
 */
export function summarizeCudaGraphEstimates(repoRoot: string): { rows: number; kept: number; median: number; min: number; max: number; oneGpu: { n: number; median: number }; tensorParallel: { n: number; median: number } } {
  const rows = readJsonlRows<CudaGraphRow>(repoRoot, 'bench/data/vllm-cudagraph-estimates.jsonl');
  const rocm = (r: CudaGraphRow) => {
    const t = `${r.gpu ?? ''} ${r.notes ?? ''} ${r.vllm_version ?? ''}`.toLowerCase();
    return ['amd', 'rocm', 'mi50', 'mi300', 'mi355'].some((w) => t.includes(w));
  };
  const kept = rows.filter((r) => typeof r.estimate_gib === 'number' && r.estimate_gib < 10 && !rocm(r));
  const med = (xs: number[]) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length === 0 ? 0 : v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const gib = (r: CudaGraphRow) => r.estimate_gib as number;
  const all = kept.map(gib);
  const one = kept.filter((r) => (r.tp ?? 1) === 1).map(gib);
  const many = kept.filter((r) => (r.tp ?? 1) > 1).map(gib);
  return { rows: rows.length, kept: kept.length, median: med(all), min: Math.min(...all), max: Math.max(...all), oneGpu: { n: one.length, median: med(one) }, tensorParallel: { n: many.length, median: med(many) } };
}
