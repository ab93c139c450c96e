// Which engine version an InferenceService runs: spec.engineVersion, else the tag of its container
// image (`vllm/vllm-openai:v0.6.3` → 0.6.3), else unknown (the estimator then assumes the current
// release and says so). Parsed by hand (split on '.', digits only): no regular expression on the text.

import type { InferenceServiceSpec } from '../spec/types';

export interface EngineVersion {
  /** [major, minor, patch]; undefined when unknown. */
  parts?: [number, number, number];
  text?: string;
  /** Where the version came from. */
  from: 'spec' | 'image' | 'default';
}

/** '0.6.3', 'v0.10.1', '0.6.3.post1', '0.8.5rc1' → [0, 6, 3] / [0, 10, 1] / …; undefined when not a version. */
export function parseVersion(text: string): [number, number, number] | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  let t = text.trim();
  if (t.startsWith('v') || t.startsWith('V')) t = t.slice(1);
  const fields = t.split('.');
  if (fields.length < 2) return undefined;
  const out: number[] = [];
  for (const f of fields.slice(0, 3)) {
    let digits = '';
    for (const c of f) {
      if (c >= '0' && c <= '9') digits += c;
      else break;
    }
    if (!digits || digits.length > 4) return out.length >= 2 ? undefined : undefined;
    out.push(Number(digits));
    if (digits.length !== f.length) break; // '3rc1', '3-cu121': the rest is a suffix
  }
  if (out.length < 2) return undefined;
  return [out[0], out[1], out[2] ?? 0];
}

/** The tag of an image reference (`repo/name:tag@sha256:…` → tag), or undefined. */
export function imageTag(image: string | undefined): string | undefined {
  if (typeof image !== 'string' || image.length > 500) return undefined;
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(colon + 1) : undefined;
}

export function engineVersionOf(spec: InferenceServiceSpec): EngineVersion {
  if (typeof spec.engineVersion === 'string') {
    const parts = parseVersion(spec.engineVersion);
    if (parts) return { parts, text: spec.engineVersion, from: 'spec' };
  }
  const tag = imageTag(spec.container?.image);
  if (tag) {
    const parts = parseVersion(tag);
    if (parts) return { parts, text: tag, from: 'image' };
  }
  return { from: 'default' };
}

export function atLeast(v: [number, number, number], major: number, minor: number, patch = 0): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

/**
 * The CUDA graph pool: the median of vLLM's own estimate ("Estimated CUDA graph memory: … GiB total") over
 * the 23 published startup logs on CUDA GPUs in bench/data/vllm-cudagraph-estimates.jsonl, 0.78 GiB (range
 * 0.17–4.99 GiB; left out: two that vLLM issues report as estimator bugs, 33 and 119 GiB, and the ROCm
 * builds). Neither tensor parallel nor layers × hidden explain the spread in those logs (13 single-GPU
 * logs: median 0.65; 10 with tensor parallel, mostly large MoE models: 1.77), so one figure is taken and
 * its range is stated. The pool vLLM captures after sizing is the same memory (the estimate is a trial
 * capture of it), so the figure serves every release.
 */
export const CUDA_GRAPHS = 0.78 * 2 ** 30;

/** How a vLLM V1 release sizes its KV cache around CUDA graphs, and its default utilization. */
export interface VllmSizing {
  /** --gpu-memory-utilization when the spec does not set it. */
  utilization: number;
  /** Which releases have that default, for the estimate's text. */
  utilizationOf: string;
  /** The CUDA graph estimate is taken off the KV budget before sizing (else the graphs are captured after, on top). */
  graphsInBudget: boolean;
  /** One line for the estimate, saying which rule applies and why. */
  note: string;
}

/**
 * The engine's environment variables Gantry's checks and estimate read (spec.env): what a foreign reader copies
 * from the variables a file sets for the serving command (a container's env, compose environment, exports).
 */
export const ENGINE_ENV_VARS: readonly string[] = ['VLLM_USE_V1', 'VLLM_ALLOW_LONG_MAX_MODEL_LEN', 'VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS', 'VLLM_USE_V2_MODEL_RUNNER', 'VLLM_DISABLE_COMPILE_CACHE', 'SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN'];

/** An environment variable set on, as vLLM's envs.py reads its switches: `1` or `true`, any case, stripped. */
export function envTrue(v: unknown): boolean {
  if (v === true || v === 1) return true;
  if (typeof v !== 'string' || v.length > 16) return false;
  const t = v.trim().toLowerCase();
  return t === '1' || t === 'true';
}

const envFlag = (env: Record<string, unknown> | undefined, key: string): boolean | undefined => {
  const v = env?.[key];
  if (v === undefined) return undefined;
  return envTrue(v);
};

/**
 * vLLM V1's sizing by release (docs/estimator.md "vLLM versions"):
 * - through 0.19: default utilization 0.9; CUDA graphs are captured after the KV cache is sized, so they
 *   come on top of the budget (the graph estimate was opt-in, VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=1);
 * - from 0.20 (vLLM PR #38284, "Enable CUDAGraph memory profiling by default", which "correspondingly
 *   increases the default --gpu-memory-utilization to 0.92"; its log line says "default since v0.21.0", but
 *   0.20.0 logs already print it): default 0.92, and the graph estimate comes off the budget;
 * - not on ROCm before PR #48526 (July 2026; 0.25 is taken as its first release), never with
 *   VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=0, with Model Runner V2 before 0.29 (vllmModelRunner: its
 *   estimate was 0) or without graphs (--enforce-eager).
 * An unknown version is taken as the current release.
 */
export function vllmSizing(version: [number, number, number] | undefined, o: { env?: Record<string, unknown>; enforceEager?: boolean; vendor?: string; runner?: VllmRunner }): VllmSizing {
  const modern = !version || atLeast(version, 0, 20);
  const utilization = modern ? 0.92 : 0.9;
  const flag = envFlag(o.env, 'VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS');
  let graphsInBudget = flag ?? modern;
  let reason = flag === undefined ? (modern ? 'the default since vLLM 0.20' : 'vLLM 0.19 and earlier') : `VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=${flag ? 1 : 0}`;
  if (o.enforceEager) {
    graphsInBudget = false;
    reason = 'enforceEager: no CUDA graphs';
  } else if (graphsInBudget && o.runner?.v2 && !o.runner.profilesGraphs) {
    graphsInBudget = false;
    reason = 'Model Runner V2 before vLLM 0.29 estimates no graph memory: its profile_cudagraph_memory returned 0 (issue #49224; PR #53306 reserves it)';
  } else if (graphsInBudget && o.vendor === 'amd' && version && !atLeast(version, 0, 25)) {
    graphsInBudget = false;
    reason = 'vLLM skipped the graph estimate on ROCm before 0.25';
  }
  const note = graphsInBudget ? `CUDA graph memory estimated during profiling and taken off the budget (${reason})` : `CUDA graphs captured after sizing, on top of the budget (${reason})`;
  return { utilization, utilizationOf: modern ? 'vLLM 0.20 and later' : 'vLLM 0.19 and earlier', graphsInBudget, note };
}

/**
 * Whether a first start of this vLLM release compiles the model with Inductor's compile-time kernel benchmarks inside
 * the memory-profiling window (serving.ts compileEmbeddingPeak): every V1 start under torch.compile (not
 * --enforce-eager) from vLLM PR #26682 (2025-10-14, benchmark_combo_kernel with torch 2.9), whose first release is
 * taken as 0.11.1, the first on torch 2.9, from the merge date, not a tag. An unknown version is the current release.
 * Only a first start compiles (compileCache 'cold'; a restart that loads the compile cache does not), and every start
 * does with VLLM_DISABLE_COMPILE_CACHE set.
 */
export function vllmCompilesInProfile(version: [number, number, number] | undefined, o: { enforceEager?: boolean; compileCache?: 'cold' | 'warm'; env?: Record<string, unknown> }): boolean {
  if (o.enforceEager || (version && !atLeast(version, 0, 11, 1))) return false;
  return o.compileCache === 'cold' || envFlag(o.env, 'VLLM_DISABLE_COMPILE_CACHE') === true;
}

/**
 * How vLLM V1 keeps a hybrid model's recurrent (Mamba, Gated DeltaNet) state per request (cache_config.mamba_cache_mode;
 * MambaSpec.max_memory_usage_bytes): 'none' one state block, 'align' two (the running state and the one saved at the last
 * block boundary, for prefix caching), 'all' a state per attention block of the request; each plus one per speculative
 * token (num_speculative_blocks). Prefix caching turns it on:
 * - a hybrid model gets prefix caching by default only from vLLM PR #50991 (2026-08-04, "[Mamba] enable prefix cache by
 *   default"), taken as 0.28.0 from the merge date (a 0.28.1rc1 build of 2026-08-28 is published); before it, only where
 *   the spec turns it on;
 * - with prefix caching on, 'align' (PR #30877, 2026-01-24, taken as 0.15.0) for Gated DeltaNet models, which support
 *   nothing else; Mamba2 models (supports_mamba_prefix_caching) took 'all' until PR #50991, or 'align' from PR #40454
 *   (2026-04-21, taken as 0.20.0) when speculative decoding is on. Before 0.15 a Gated DeltaNet model caches no prefix.
 * An unknown version is the current release.
 */
export function vllmMambaCacheMode(version: [number, number, number] | undefined, o: { prefixCaching?: boolean; speculative: boolean; mamba2: boolean }): { mode: 'none' | 'align' | 'all'; prefixCaching: boolean; byDefault: boolean } {
  const byDefault = o.prefixCaching === undefined;
  const prefixCaching = o.prefixCaching ?? (!version || atLeast(version, 0, 28));
  if (!prefixCaching) return { mode: 'none', prefixCaching, byDefault };
  if (version && !atLeast(version, 0, 15)) return { mode: o.mamba2 ? 'all' : 'none', prefixCaching, byDefault };
  if (o.mamba2 && version && !atLeast(version, 0, 28) && !(o.speculative && atLeast(version, 0, 20))) return { mode: 'all', prefixCaching, byDefault };
  return { mode: 'align', prefixCaching, byDefault };
}

/** Which of vLLM V1's two GPU model runners sizes the KV cache (vllmModelRunner), and why. */
export interface VllmRunner {
  /** Model Runner V2 (vllm/v1/worker/gpu/model_runner.py) rather than the V1 runner (gpu_model_runner.py). */
  v2: boolean;
  /** Model Runner V2 takes its CUDA graphs off the KV budget (vLLM 0.29 and later; MRV2_GRAPH_PROFILING). */
  profilesGraphs: boolean;
  /** One line for the estimate. */
  note: string;
}

/** What decides the runner: the model's kind and, in 0.22–0.24, its Hugging Face architecture class. */
export interface RunnerModel {
  /** The catalog id or Hugging Face id, lower case: where the architecture class is read from (llama, mistral, qwen3, …). */
  id?: string;
  moe: boolean;
  /** Linear-attention or Mamba layers. */
  hybrid: boolean;
  quantized: boolean;
}

/**
 * Model Runner V2 takes CUDA graph memory off the KV budget from this release on. Until then its
 * profile_cudagraph_memory was a stub returning 0 (PR #36520, "[Model Runner V2] Add dummy profile_cudagraph_memory
 * API"; still so on main of 2026-08-17), so from 0.25.1, when V2 became the default for dense models, the KV cache took
 * the graphs' share of the budget (vLLM issue #49224: graph capture then ran out of memory; issue #50159 measures
 * 0.89 GiB more "Available KV cache memory" under V2 than V1 on the same 0.26.0 start, the size of a graph
 * estimate). PR #53306 ("[Model Runner V2] Reserve CUDA graph memory") gave V2 a real estimate; it merged in the same
 * week as PR #53183 (MRV2 for every model, 0.29), so 0.29 is taken as its first release, from the merge dates, not a
 * tag. The pool is taken at the same published median as V1's (CUDA_GRAPHS).
 */
const MRV2_GRAPH_PROFILING: [number, number, number] = [0, 29, 0];

/** The architecture classes vLLM's oracle names, read from a model id (0.22–0.28; from 0.29 no list is consulted). */
function architectureClass(id: string | undefined, moe: boolean): string | undefined {
  const n = (id ?? '').toLowerCase();
  if (!n) return undefined;
  if (moe) {
    if (/deepseek-?v2/.test(n)) return 'DeepseekV2ForCausalLM';
    if (n.includes('qwen1.5-moe') || n.includes('qwen2-moe') || n.includes('qwen2-57b')) return 'Qwen2MoeForCausalLM';
    if (n.includes('granite') && n.includes('moe')) return 'GraniteMoeForCausalLM';
    return undefined;
  }
  if (n.includes('qwen3')) return 'Qwen3ForCausalLM';
  if (n.includes('llama')) return 'LlamaForCausalLM';
  if (n.includes('mistral')) return 'MistralForCausalLM';
  return undefined;
}

/**
 * Which GPU model runner a vLLM V1 release runs (issue 12; docs/estimator.md "Model Runner V2"). vLLM's oracle
 * (VllmConfig.use_v2_model_runner, vllm/config/vllm.py) chose Model Runner V2 by default in steps:
 * - 0.22 (PR #39337): Qwen3 dense models;
 * - 0.23: LlamaForCausalLM, MistralForCausalLM and Qwen3ForCausalLM, neither MoE nor quantized;
 * - 0.24: quantized too (PR #44446), and the MoE classes DeepseekV2 and Qwen2Moe (PR #42667) and GraniteMoe;
 * - 0.25 to 0.28: every dense model (PR #44443: "Enable by default for all dense models"); MoE only of the
 *   listed classes; hybrid (Mamba, linear attention) models stay on V1;
 * - 0.29 (PR #53183, "Use MRV2 for all models by default"): every model.
 * VLLM_USE_V2_MODEL_RUNNER=1 or 0 overrides it. Some features fall back to V1 in every release; the one a spec
 * says is n-gram speculative decoding ("Model Runner V2 does not yet support …; using the V1 model runner
 * instead"). An unknown version is taken as the current release. The 0.22 step is the least certain.
 */
export function vllmModelRunner(version: [number, number, number] | undefined, model: RunnerModel, o: { env?: Record<string, unknown>; speculative?: string }): VllmRunner {
  const profilesGraphs = !version || atLeast(version, ...MRV2_GRAPH_PROFILING);
  const v1 = (why: string): VllmRunner => ({ v2: false, profilesGraphs, note: `the V1 model runner (${why})` });
  const v2 = (why: string): VllmRunner => ({ v2: true, profilesGraphs, note: `Model Runner V2 (${why})` });
  const forced = envFlag(o.env, 'VLLM_USE_V2_MODEL_RUNNER');
  if (forced !== undefined) return forced ? v2('VLLM_USE_V2_MODEL_RUNNER=1') : v1('VLLM_USE_V2_MODEL_RUNNER=0');
  if (version && !atLeast(version, 0, 22)) return v1('vLLM 0.21 and earlier');
  if (o.speculative === 'ngram') return v1('n-gram speculative decoding is not supported by Model Runner V2');
  if (!version || atLeast(version, 0, 29)) return v2(version ? 'the default for every model since vLLM 0.29' : 'the default for every model in current releases (0.29 and later)');
  const cls = architectureClass(model.id, model.moe);
  const listedMoe = cls === 'DeepseekV2ForCausalLM' || cls === 'Qwen2MoeForCausalLM' || cls === 'GraniteMoeForCausalLM';
  if (atLeast(version, 0, 25)) {
    if (model.hybrid) return v1('hybrid models stay on V1 before vLLM 0.29');
    if (model.moe && !listedMoe) return v1("MoE models outside the oracle's list stay on V1 before vLLM 0.29");
    return v2(model.moe ? `${cls} is on the oracle's list (vLLM 0.24–0.28)` : 'the default for dense models in vLLM 0.25–0.28');
  }
  if (atLeast(version, 0, 24)) {
    if (listedMoe || (!model.moe && !model.hybrid && (cls === 'LlamaForCausalLM' || cls === 'MistralForCausalLM' || cls === 'Qwen3ForCausalLM'))) return v2(`${cls} is on vLLM 0.24's list`);
    return v1(cls ? `${cls} is not on vLLM 0.24's list` : "the model is not of a class on vLLM 0.24's list (Llama, Mistral, Qwen3, DeepseekV2, Qwen2Moe, GraniteMoe)");
  }
  const dense = !model.moe && !model.hybrid;
  if (atLeast(version, 0, 23)) {
    if (dense && !model.quantized && (cls === 'LlamaForCausalLM' || cls === 'MistralForCausalLM' || cls === 'Qwen3ForCausalLM')) return v2(`${cls}, not quantized: vLLM 0.23's list`);
    return v1(model.quantized && dense && cls ? 'quantized models stay on V1 in vLLM 0.23' : 'vLLM 0.23 runs only Llama, Mistral and Qwen3 dense models on V2');
  }
  if (dense && cls === 'Qwen3ForCausalLM') return v2('Qwen3 dense models, vLLM 0.22 (PR #39337)');
  return v1('vLLM 0.22 runs only Qwen3 dense models on V2');
}

/**
 * vLLM 0.26.0: a sliding-window layer reserves, per request, its window plus the tokens of every batch in flight
 * (SlidingWindowSpec.max_admission_blocks_per_request: min(window − 1 + max_in_flight_tokens, max_model_len) tokens,
 * then one block more), where earlier releases reserved one batch (window − 1 + max_num_batched_tokens). The change
 * follows PR #47728 (sliding-window blocks are freed only once their tokens are processed); 0.26.0 is taken from a
 * downstream project's note on that uplift and from published starts that split between 0.22.1 and 0.26.0, not from
 * the tag. max_in_flight_tokens = max_concurrent_batches × max_num_batched_tokens (config/vllm.py): with async
 * scheduling (the default) the V2 model runner keeps pp + 1 batches in flight and the V1 runner 2 at PP 1, else pp;
 * without it, pp. An unknown version is the current release.
 */
export const VLLM_SLIDING_IN_FLIGHT: [number, number, number] = [0, 26, 0];
export function vllmSlidingBatches(version: [number, number, number] | undefined, o: { pp: number; v2Runner: boolean; asyncScheduling: boolean }): number {
  if (version && !atLeast(version, ...VLLM_SLIDING_IN_FLIGHT)) return 1;
  const pp = Math.max(1, o.pp);
  if (!o.asyncScheduling) return pp;
  return o.v2Runner ? pp + 1 : pp <= 1 ? 2 : pp;
}

/**
 * vLLM 0.14: the default fused-MoE paths (Triton bf16 and fp8, Marlin, DeepGEMM) run as modular kernels (PRs #30825,
 * #31036, #31052, merged 2025-12-19..22), whose workspaces are sized by TritonExperts.workspace_shapes (PR #20725):
 * workspace13 of M × top-k × max(N / 2, K) holds the activation's output, workspace2 of M × top-k × max(N, K) the two
 * GEMM outputs in turn, so each expert copy takes max(N / 2, K) + max(N, K) elements where fused_experts() took
 * max(N, K) + N / 2. And the workspace comes from the workspace manager (PR #27532, 2025-12-12), which keeps it for the
 * life of the process: it is still held when the dummy sampler runs. The first release is taken as 0.14.0 from the
 * merge dates, not pinned by a tag; an unknown version is the current release. FlashInfer's MoE backends allocate
 * their workspaces inside FlashInfer and are taken as the same.
 */
export const VLLM_MODULAR_MOE: [number, number, number] = [0, 14, 0];
export function vllmModularMoe(version: [number, number, number] | undefined): boolean {
  return !version || atLeast(version, ...VLLM_MODULAR_MOE);
}

/**
 * Whether vLLM's fused-MoE kernel lays its two GEMM outputs over one buffer: `cache13` of
 * M × top-k × max(N, K) elements holds the first GEMM's gate/up output (N = 2 × the expert FFN per rank)
 * and, once that is consumed, the second GEMM's output (K = hidden), beside `cache2` (the activation's
 * output, M × top-k × N / 2). vLLM PR #13625 ("[Kernel] Optimize moe intermediate_cache usage", February
 * 2025) introduced it; before it the three were separate tensors (M × top-k × (N + N / 2 + K)). Its
 * first release is taken as 0.8.0 (from the merge date, not a tag). Unknown version: the current layout.
 */
export function fusedMoeSharesCache13(version: [number, number, number] | undefined): boolean {
  return !version || atLeast(version, 0, 8);
}

/** `vllm serve`'s default batch budget on one GPU (vllmBatchDefaults). */
export interface VllmBatchDefaults {
  tokens: number;
  seqs: number;
  /** The rule that gave them, for the estimate's text. */
  rule: string;
}

/**
 * `vllm serve`'s default max_num_batched_tokens and max_num_seqs on a GPU (EngineArgs.get_batch_defaults,
 * the OPENAI_API_SERVER context; docs/estimator.md "vLLM versions"):
 * - before 0.8.4: 8192 tokens on an H100/H200 (by name; PR #12369), else 2048; 1024 sequences everywhere;
 * - 0.8.4: the same, with 256 sequences off H100/H200 (PR #16158);
 * - 0.8.5: 8192 / 1024 on any GPU of 70 GiB or more (PR #17073), else 2048 / 256;
 * - 0.9 to 0.27: the same without the A100 80GB (PR #17885: "large max_num_batched_tokens for A100
 *   reduces throughput");
 * - 0.28 and later (PR #51726): 16384 / 1024 from 160 GiB (B200, B300, MI300X and up), else as before.
 * From 0.8.5 the size is the platform's (current_platform.get_device_total_memory), read in a try whose except takes
 * 0. On a unified-memory GPU (GB10) some builds read it through NVML, which reports no framebuffer memory there, and
 * so take a small GPU's defaults (a published analysis of one GB10 start); the published GB10 starts Gantry was checked
 * on fit the large defaults better (docs/estimator.md), so the size is taken as read, and the rule says the other case.
 * Then tokens ≤ max_num_seqs × max_model_len and sequences ≤ tokens. An unknown version is the current one.
 */
export function vllmBatchDefaults(version: [number, number, number] | undefined, gpu: { capacityBytes: number; id: string; name: string; unifiedMemory?: boolean }, maxModelLen: number): VllmBatchDefaults {
  const unified = gpu.unifiedMemory === true && (!version || atLeast(version, 0, 8, 5));
  const gib = gpu.capacityBytes / 2 ** 30;
  const name = `${gpu.id} ${gpu.name}`.toLowerCase();
  const hopperByName = name.includes('h100') || name.includes('h200');
  const a100 = name.includes('a100');
  const v = version;
  let tokens: number;
  let seqs: number;
  let rule: string;
  if (v && !atLeast(v, 0, 8, 4)) {
    tokens = hopperByName ? 8192 : 2048;
    seqs = 1024;
    rule = 'vLLM before 0.8.4: 8192 tokens on H100/H200, else 2048; 1024 sequences';
  } else if (v && !atLeast(v, 0, 8, 5)) {
    tokens = hopperByName ? 8192 : 2048;
    seqs = hopperByName ? 1024 : 256;
    rule = 'vLLM 0.8.4: 8192 tokens and 1024 sequences on H100/H200, else 2048 and 256';
  } else if (v && !atLeast(v, 0, 28)) {
    const big = gib >= 70 && (atLeast(v, 0, 9) ? !a100 : true);
    tokens = big ? 8192 : 2048;
    seqs = big ? 1024 : 256;
    rule = `vLLM ${atLeast(v, 0, 9) ? '0.9–0.27: GPUs of 70 GiB or more except the A100' : '0.8.5: GPUs of 70 GiB or more'} get 8192 tokens and 1024 sequences, others 2048 and 256`;
  } else {
    const huge = gib >= 160;
    const big = huge || (gib >= 70 && !a100);
    tokens = huge ? 16384 : big ? 8192 : 2048;
    seqs = big ? 1024 : 256;
    rule = `vLLM ${v ? '0.28 and later' : 'current release'}: 16384 tokens from 160 GiB, 8192 from 70 GiB (not the A100), else 2048; 1024 sequences from 70 GiB, else 256`;
  }
  if (unified && gib >= 70)
    rule += `; ${gpu.name} shares its memory with the CPU, and a vLLM build that reads its size through NVML (which reports none there) takes it for a small GPU: 2048 tokens and 256 sequences. The startup log's "max_num_batched_tokens=" says which; set maxNumBatchedTokens and maxNumSeqs to match`;
  tokens = Math.min(tokens, seqs * Math.max(1, maxModelLen));
  seqs = Math.min(seqs, tokens);
  return { tokens, seqs, rule };
}

/**
 * `--max-model-len auto` (or -1): vLLM PR #29431 ("Add `--max-model-len auto` to auto-fit context to available
 * memory", opened 25 November 2025). argparse reads the flag through `human_readable_int_or_auto`, which maps
 * "auto" (any case) and "-1" to -1; the engine then keeps the model's own context as the upper bound
 * (`original_max_model_len == -1`) and, after profiling, `_auto_fit_max_model_len` (v1/core/kv_cache_utils.py)
 * binary-searches the largest length whose KV cache for one request fits every worker's KV memory ("Auto-fit
 * max_model_len: reduced from C to L to fit in available GPU memory"); the full context when it fits. Earlier
 * releases read the flag with `human_readable_int`, which refuses "auto" ("invalid human_readable_int value").
 * The first release is taken as 0.13.0 from the PR's date, not pinned by a tag (0.12.0 was cut in the same
 * week); an unknown version is the current release, which accepts it.
 */
export const VLLM_MAX_MODEL_LEN_AUTO: [number, number, number] = [0, 13, 0];

/** Whether a vLLM release takes `--max-model-len auto` / -1 (VLLM_MAX_MODEL_LEN_AUTO); an unknown version does. */
export function vllmAcceptsAutoMaxModelLen(version: [number, number, number] | undefined): boolean {
  return !version || atLeast(version, ...VLLM_MAX_MODEL_LEN_AUTO);
}

/** vLLM's items per prompt for a modality --limit-mm-per-prompt leaves out (MultiModalConfig.get_limit_per_prompt), and the largest limit the schema takes. */
export const VLLM_MM_DEFAULT_LIMIT = 999;

/**
 * How vLLM's Qwen2-VL processor makes the profile run's dummy video (qwen2_vl.py get_num_frames_with_most_features,
 * which Qwen2.5-VL shares): at most `maxFrames` frames (_MAX_FRAMES_PER_VIDEO: 16 from PR #12128, 14 from PR #25557,
 * first released in 0.11.0), as many as fit max_model_len less, before 0.11.0, an image's tokens where images are on
 * (PR #24312 dropped that subtraction; merged 2025-09-06, in 0.11.0; whether 0.10.2 has it is not known, and it is
 * taken as not). An unknown version is taken as the current release.
 */
export const QWEN2VL_VIDEO_0_11: [number, number, number] = [0, 11, 0];
export function qwen2VlDummyVideo(version: [number, number, number] | undefined): { maxFrames: number; lessAnImage: boolean } {
  const current = !version || atLeast(version, ...QWEN2VL_VIDEO_0_11);
  return { maxFrames: current ? 14 : 16, lessAnImage: !current };
}

/**
 * vLLM 0.11.0 to 0.13.x (before PR #30475, merged 2025-12-16; whether 0.13.0 has it is not known, and it is taken as
 * not): the profile run padded each dummy encoder output with zeros to the whole encoder budget
 * (gpu_model_runner.profile_run: output.new_zeros((encoder_budget, hidden))), and Qwen3-VL's processor counted its
 * dummy video 12.5 times over (get_max_video_tokens: the timestamps' text around each frame). An unknown version is
 * taken as the current release.
 */
export const VLLM_PADDED_ENCODER_OUTPUTS: readonly [[number, number, number], [number, number, number]] = [
  [0, 11, 0],
  [0, 14, 0],
];
export function vllmPadsEncoderOutputs(version: [number, number, number] | undefined): boolean {
  return !!version && atLeast(version, ...VLLM_PADDED_ENCODER_OUTPUTS[0]) && !atLeast(version, ...VLLM_PADDED_ENCODER_OUTPUTS[1]);
}
