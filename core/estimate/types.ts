// Result shapes of the estimator. Every byte count is per GPU unless its name says otherwise.

export type Severity = 'error' | 'warning' | 'info';

export type FindingCode =
  | 'memory-exceeds-capacity'
  | 'memory-near-capacity'
  | 'kv-cache-too-small'
  | 'tp-spans-nodes'
  | 'comm-bound'
  | 'slow-inter-node'
  | 'pipeline-bubble'
  | 'moe-host-bound'
  | 'bad-estimate-input'
  | 'concurrency-below-max-seqs'
  | 'tp-over-pcie'
  | 'vision-profile-skipped'
  | 'vision-video-profile'
  | 'multimodal-text-model'
  | 'hybrid-kv-manager-off';

export interface FixEdit {
  /** Spec path to set, e.g. ['spec', 'parallelism', 'tensor']. */
  path: string[];
  value: unknown;
}

export interface Fix {
  /** Includes the new estimate, e.g. "Set tensor parallel to 4 (≈ 52.1 GiB / 80 GiB)". */
  title: string;
  edits: FixEdit[];
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** Where a person would look, as a spec path; the language server turns it into a range. */
  path: string[];
  fixes?: Fix[];
  /** Why, in words another message may continue with (a model the local Hugging Face cache holds but could not give: what stopped it). */
  reason?: string;
}

/**
 * Three different quantities, which published measurements mix:
 * - allocatedBytes: peak of live tensors (torch.cuda.max_memory_allocated);
 * - reservedBytes: peak held by PyTorch's caching allocator (max_memory_reserved), ≥ allocated;
 * - deviceBytes: what nvidia-smi / NVML shows: reserved + CUDA context + non-torch (NCCL, cuBLAS).
 */
export interface PerGpuMemory {
  allocatedBytes: number;
  reservedBytes: number;
  deviceBytes: number;
}

export interface MemoryEstimate {
  perGpu: PerGpuMemory;
  capacityBytes: number;
  /** Named parts, bytes per GPU. Their sum with `allocatorSlack` and the non-torch parts is deviceBytes. */
  breakdown: Record<string, number>;
}

export interface CollectiveTraffic {
  /** What moves, e.g. 'data-parallel gradient all-reduce'. */
  name: string;
  collective: string;
  /** Bytes each GPU sends per optimizer step. */
  bytesPerGpu: number;
  ranks: number;
  link: string;
  busGBps: number;
  seconds: number;
  /** Seconds hidden behind compute. */
  overlappedSeconds: number;
}

export interface InterconnectEstimate {
  collectives: CollectiveTraffic[];
  bytesPerGpuPerStep: number;
  commSeconds: number;
  exposedCommSeconds: number;
  intraNode: { link: string; busGBps: number };
  interNode?: { link: string; busGBps: number };
}

export interface TimeEstimate {
  /** Model FLOPs per step (6Ψ + attention; 4Ψ + attention with a frozen base): what MFU counts. */
  flopsPerStep: number;
  /** FLOPs activation recomputation adds per step (hardware FLOPs = flopsPerStep + this). */
  recomputeFlopsPerStep: number;
  computeSeconds: number;
  /** MoE: host time per step the GPU waits for (routing, the dropless sync, per-expert launches), outside computeSeconds. */
  moeHostSeconds?: number;
  pipelineBubbleFraction: number;
  stepSeconds: number;
  tokensPerStep: number;
  tokensPerSecondPerGpu: number;
  /** exposed communication / step time. */
  commFraction: number;
  /** Model FLOPs utilisation the estimate implies (end to end). */
  mfu: number;
  assumedComputeEfficiency: number;
  totalTokens?: number;
  steps?: number;
  totalSeconds?: number;
}

/** A start the engine refuses for memory: no room left for the KV cache, or less than one request of max_model_len. */
export type RefusalKind = 'no-kv-memory' | 'kv-below-one-sequence';

export interface ServingFigures {
  weightsBytes: number;
  kvCacheBytes: number;
  kvCacheTokens: number;
  kvBytesPerToken: number;
  maxConcurrency: number;
  /** Hybrid models: the recurrent layers' state one sequence holds on a GPU (bytes), on top of its KV per token. */
  stateBytesPerSequence?: number;
  /** The longest request the pool holds (tokens): kvCacheTokens, except for a hybrid model under vLLM, whose printed figure is a quarter or so of it. */
  longestRequestTokens: number;
  maxModelLen: number;
  activationPeakBytes: number;
  /** A vision-language model under vLLM V1: what the encoder's profile run adds to the activation peak (bytes per GPU on the first stage). */
  visionProfileBytes?: number;
  /** vLLM V1 profiles the processor's dummy video over images (Qwen2-VL at a long max_model_len, Qwen3-VL in 0.11–0.13): the tokens it counts the item as, and its frames (Qwen2-VL). */
  visionVideo?: { countedTokens: number; frames?: number };
  /** The multimodal towers' weights (bytes per GPU on the first stage) whose count is known apart: what --language-model-only leaves out. */
  towerWeightBytes?: number;
  /** The memory left for the KV cache on the tightest stage (bytes per GPU), 0 where none is: under vLLM what it prints as
   *  "Available KV cache memory" (the budget less weights, activation peak, non-torch memory and, where they count, CUDA
   *  graphs); under SGLang its static fraction less weights and the CUDA context; under TGI the share of the free memory
   *  its warm-up leaves (plus the warm-up batch's KV). */
  availableKvBytes: number;
  /** Where the budget does not cover them (vLLM then prints a negative "Available KV cache memory" and refuses to start, "No
   *  available memory for the cache blocks"): by how much, bytes per GPU. Absent otherwise (the estimator hands out no negative number). */
  kvShortfallBytes?: number;
  /** vLLM's LoRA slots (spec.lora): bytes per GPU on the first stage, within weightsBytes. */
  loraBytes?: number;
  /** vLLM --kv-cache-memory-bytes (spec.kvCacheMemoryBytes): the cache per GPU as given, and the most that fits beside the weights, activation peak, non-torch memory, CUDA graphs and context (bytes, ≤ 0 when they alone overflow). */
  fixedKv?: { bytes: number; roomBytes: number };
  /** vLLM V1, estimated as a restart (compileCache unset or warm): what a first start's compile would add to the
   *  activation peak (bytes per GPU, the most on any stage), where it would (serving.ts compileEmbeddingPeak). */
  firstStartExtraBytes?: number;
  /** The towers the estimate counts as loaded (vLLM leaves out one whose every modality is off). */
  towersLoaded?: ('vision' | 'audio')[];
  nonTorchBytes: number;
  cudaGraphBytes: number;
  budgetBytes: number;
}

interface EstimateBase {
  ok: boolean;
  gpu?: { id: string; name: string };
  model?: { id?: string; params: number; activeParams: number };
  memory?: MemoryEstimate;
  assumptions: string[];
  findings: Finding[];
  summary: string;
}

export interface TrainingEstimate extends EstimateBase {
  kind: 'TrainingJob';
  interconnect?: InterconnectEstimate;
  time?: TimeEstimate;
  layout?: { gpus: number; nodes: number; gpusPerNode: number; tensor: number; pipeline: number; context: number; data: number; expert: number; microBatches: number };
}

export interface ServingEstimate extends EstimateBase {
  kind: 'InferenceService';
  serving?: ServingFigures;
  gpusPerReplica?: number;
}

export interface EstimateOptions {
  /** Reads a config.json named by spec.model.config (relative to the spec file); undefined when absent. */
  resolveConfig?: (path: string) => string | undefined;
  /** The local Hugging Face hub cache folder (default: HF_HUB_CACHE / HF_HOME/hub / ~/.cache/huggingface/hub). */
  hfHubCache?: string;
  /** Internal: skip computing quick fixes (used when a fix re-runs the estimate). */
  noFixes?: boolean;
}
