// The shapes of Gantry's three spec kinds after parsing. The JSON Schemas in schemas/ are the one
// source of structure (with descriptions, units, defaults and enums); these types mirror them so the
// core can read a spec that passed schema validation. Every field the schema marks optional is
// optional here; semantic rules must cope with any of them missing.

export const API_VERSION = 'gantry/v1';
export type Kind = 'Cluster' | 'TrainingJob' | 'InferenceService';
export const KINDS: readonly Kind[] = ['Cluster', 'TrainingJob', 'InferenceService'];

export interface Metadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  description?: string;
}

export interface SpecDocument<K extends Kind = Kind, S = unknown> {
  apiVersion: string;
  kind: K;
  metadata: Metadata;
  spec: S;
}

// ---------------------------------------------------------------- Cluster

export type SchedulerType = 'local' | 'slurm' | 'kubernetes';

/** An SSH login host for Slurm, reached from a laptop. Keys come from the user's ssh config and agent. */
export interface SshLogin {
  host: string;
  user?: string;
  port?: number; // default 22
  identityFile?: string;
  proxyJump?: string;
}

export interface Scheduler {
  type: SchedulerType;
  // slurm
  partition?: string;
  account?: string;
  qos?: string;
  reservation?: string;
  constraint?: string;
  exclusive?: boolean;
  login?: SshLogin; // absent: Slurm's commands run where the extension runs (a login node)
  // kubernetes
  context?: string;
  namespace?: string;
  queue?: string;
  /** What a TrainingJob becomes in a Kubernetes manifest; default jobset. */
  trainer?: 'jobset' | 'indexed-job' | 'trainjob';
}

export interface GpuSpec {
  model: string; // a GPU id from the catalog, e.g. H100-SXM-80GB
  count: number; // GPUs per node
  memoryGiB?: number; // overrides the catalog; with an id the catalog lacks, describes a custom GPU
  ecc?: boolean; // ECC on or off, for a card with switchable GDDR ECC (GpuInfo.ecc); default: the card's
  peakBf16Tflops?: number; // dense bf16 TFLOPS; overrides the catalog (custom GPU default: an H100's)
  peakFp8Tflops?: number; // dense fp8 TFLOPS; custom GPU default: 2 × bf16
  memoryBandwidthGBps?: number; // GB/s; overrides the catalog
}

export type IntraNodeLinkType = 'nvlink2' | 'nvlink3' | 'nvlink4' | 'nvlink5' | 'pcie3' | 'pcie4' | 'pcie5' | 'infinity-fabric' | 'gaudi-roce';
export type InterNodeLinkType = 'infiniband-hdr' | 'infiniband-ndr' | 'infiniband-xdr' | 'roce' | 'ethernet' | 'efa' | 'none';

export interface Interconnect {
  /** Inside a node. bandwidthGBps: GB/s per GPU, one direction; from the catalog unless given. */
  intraNode?: { type: IntraNodeLinkType; bandwidthGBps?: number };
  /** Between nodes. gbpsPerGpu: Gbit/s per GPU (one NIC per GPU is 400 for NDR). */
  interNode?: { type: InterNodeLinkType; gbpsPerGpu?: number };
  /** GPUs in one NVLink domain (GB200 NVL72: 72); groups inside it use intraNode's link. Default: one node. */
  nvlinkDomain?: number;
}

export interface ClusterSpec {
  scheduler?: Scheduler; // default { type: local }
  nodes: {
    count: number;
    gpu: GpuSpec;
    cpus?: number;
    memory?: string; // quantity, e.g. 2TiB, 512GiB
  };
  interconnect?: Interconnect;
  /** Where the cluster's GPU metrics already are (Prometheus scraping dcgm-exporter). */
  metrics?: ClusterMetrics;
}

export interface ClusterMetrics {
  prometheus: {
    url: string; // http(s) base URL; a bearer token lives in VS Code's secret storage, never here
    scrapeIntervalSeconds?: number; // default 15
    replayed?: boolean; // the exporter replays recorded output: shown as REPLAY
  };
}

// ---------------------------------------------------------------- models

export interface MoeArchitecture {
  experts: number; // routed experts per MoE layer
  activeExperts: number; // experts per token (top-k)
  sharedExperts?: number;
  expertFfn?: number; // FFN size of one expert; defaults to ffn
  denseLayers?: number; // leading layers that are dense (DeepSeek style)
}

export interface Architecture {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads?: number; // default heads (MHA)
  headDim?: number; // default hidden / heads
  ffn: number; // intermediate size of the MLP
  vocab: number;
  gatedMlp?: boolean; // SwiGLU-style three matrices; default true
  tiedEmbeddings?: boolean; // default false
  maxContext?: number; // max_position_embeddings
  slidingWindow?: number; // tokens, for layers that use it
  moe?: MoeArchitecture;
  /** Multi-head latent attention (DeepSeek): KV cache holds kvLoraRank + qkRopeHeadDim per token per layer. */
  mla?: {
    kvLoraRank: number;
    qkRopeHeadDim: number;
    /** The query's low-rank compression (Hugging Face q_lora_rank; DeepSeek-V3 1536); absent: a full-rank query projection. */
    qLoraRank?: number;
    /** The query and key's non-rotary head width (qk_nope_head_dim) where it differs from the value head (GLM-5: 192 against 256). */
    qkNopeHeadDim?: number;
    /**
     * DeepSeek Sparse Attention's lightning indexer (DeepSeek-V3.2, GLM-5: index_n_heads, index_head_dim, index_topk): each
     * layer keeps an fp8 key of headDim per token beside the MLA latent, and attention reads the top `topk` tokens it picks.
     */
    indexer?: { heads: number; headDim: number; topk: number; layers?: number };
  };
  /** Added for issue 12: hybrid models (Qwen3-Next, Qwen3.5): `layers` of the `layers` are Gated DeltaNet
   *  linear-attention layers with a fixed recurrent state per sequence instead of a KV cache. */
  linearAttention?: LinearAttention;
  /** Added for issue 12: Mamba2 hybrids (granite-4.0-h, Bamba): `layers` of the `layers` are Mamba2 (SSD)
   *  layers with a fixed state per sequence instead of a KV cache. Not together with linearAttention. */
  mamba?: MambaLayers;
  /** Added for issue 12: the full-attention layers gate their output with a second query-sized projection (attn_output_gate). */
  attentionOutputGate?: boolean;
  /** Added for issue 12: the full-attention layers of a sliding-window model (layer_types "full_attention"; the
   *  other layers use `slidingWindow`), with their own head width and KV heads where these differ from the other
   *  layers' (Gemma 4: global_head_dim, num_global_key_value_heads). kEqV: they project no V, the attention reads
   *  K as V (attention_k_eq_v). */
  globalAttention?: GlobalAttention;
  /** Added for issue 12: the last `layers` layers reuse the KV cache of an earlier layer of their kind and cache
   *  nothing of their own (Gemma 4 E2B/E4B num_kv_shared_layers); `global` of them are full-attention layers. */
  kvShared?: { layers: number; global?: number };
  /** Multi-token-prediction layers the checkpoint ships (config mtp_num_hidden_layers / num_nextn_predict_layers): loaded only under MTP speculative decoding. */
  mtpLayers?: number;
  /**
   * A multi-token-prediction drafter published as a checkpoint of its own (Gemma 4's "-assistant" models): `layers`
   * query-only layers of `hidden` width that read the target's KV cache (they cache nothing), a gated MLP of `ffn`,
   * and its own lm_head of `vocab` rows; it takes the target's embedding and last hidden state (speculative.method mtp).
   */
  mtpAssistant?: MtpAssistant;
  /** Added for issue 12: the vision encoder of a vision-language model, which vLLM runs on dummy images before it sizes the KV cache. */
  vision?: VisionEncoder;
}

export interface MtpAssistant {
  layers: number;
  hidden: number;
  ffn: number;
  heads: number;
  headDim: number;
  /** Layers of the full-attention kind and their head width (Gemma 4's global_head_dim), where it differs. */
  globalLayers?: number;
  globalHeadDim?: number;
  vocab: number;
}

/**
 * The vision encoder (ViT) of a vision-language model: what vLLM's profile run feeds it (the largest item its
 * processor makes, as many as the encoder budget holds) and the widths that set the memory that run takes.
 */
export interface VisionEncoder {
  hidden: number; // vision_config hidden_size
  ffn: number; // vision_config intermediate_size
  gatedMlp?: boolean; // SwiGLU-style MLP of three matrices; default false (two, GELU)
  patchesPerItem: number; // patches the encoder runs on for the largest item (an image at the processor's max_pixels)
  tokensPerItem: number; // embeddings that item gives the language model (patches / spatial merge², or a pooled count)
  patchInput?: number; // pixel values per patch (channels × temporal patch × patch²); default 3 × 14 × 14
  deepstack?: number; // encoder layers whose features also feed the language model (Qwen3-VL deepstack_visual_indexes); default 0
  video?: boolean; // the processor takes video too (the Qwen VL line): with images off, vLLM profiles a video; default false
  dummyVideo?: 'qwen2-vl' | 'qwen3-vl'; // how vLLM's processor makes the profile's dummy video: Qwen2-VL's (Qwen2-VL, Qwen2.5-VL: frames of the largest image, as many as max_model_len holds) or Qwen3-VL's (Qwen3-VL, Qwen3.5: two frames within the video processor's pixel volume); absent: a video item taken at an image's size
  params?: number; // parameters of the tower and its projector: not loaded under --language-model-only
}

/** The full-attention layers of a model whose other layers slide (Gemma 2/3/4 and gpt-oss layer_types). */
export interface GlobalAttention {
  layers: number; // how many of the model's layers attend to the whole context; the rest use slidingWindow
  headDim?: number; // global_head_dim; default the model's headDim
  kvHeads?: number; // num_global_key_value_heads; default the model's kvHeads
  kEqV?: boolean; // attention_k_eq_v: no V projection, K serves as V; default false
}

/** Mamba2 layers of a hybrid model (Hugging Face mamba_* fields; layer_types "mamba"). */
export interface MambaLayers {
  layers: number; // how many of the model's layers are Mamba2; the rest are full attention
  heads: number; // mamba_n_heads
  headDim: number; // mamba_d_head (heads × headDim is the inner width)
  stateSize: number; // mamba_d_state
  groups?: number; // mamba_n_groups; default 1
  convKernel?: number; // mamba_d_conv; default 4
  stateDtype?: 'fp32' | 'bf16'; // the SSM state's element type; default: the model's dtype
}

/** Gated DeltaNet layers of a hybrid model (Hugging Face linear_* fields; layer_types "linear_attention"). */
export interface LinearAttention {
  layers: number; // how many of the model's layers are linear attention; the rest are full attention
  keyHeads: number; // linear_num_key_heads
  valueHeads: number; // linear_num_value_heads
  keyHeadDim: number; // linear_key_head_dim
  valueHeadDim: number; // linear_value_head_dim
  convKernel?: number; // linear_conv_kernel_dim; default 4
  stateDtype?: 'fp32' | 'bf16'; // the recurrent state's element type (mamba_ssm_dtype); default: the model's dtype
}

export interface ModelRef {
  preset?: string; // a model id from the catalog
  architecture?: Architecture;
  config?: string; // path to a Hugging Face config.json, relative to the spec file
  /** Added with the schemas: the HF repo id or cluster path the weights load from (vLLM --model, a
   *  fine-tune's base checkpoint); default the preset's repo or config's directory. Not one of the
   *  "exactly one of" three: it may accompany any of them. */
  weights?: string;
}

// ---------------------------------------------------------------- TrainingJob

export type Precision = 'bf16-mixed' | 'fp16-mixed' | 'fp8-mixed' | 'bf16' | 'fp16' | 'fp32';
export type OptimizerType = 'adamw' | 'adam' | 'adamw-8bit' | 'adafactor' | 'sgd' | 'sgd-momentum' | 'lion';
export type Checkpointing = 'none' | 'selective' | 'full';
export type FsdpStrategy = 'none' | 'full' | 'hybrid' | 'grad-op';
/** cudnn (added for issue 12): cuDNN's fused flash attention, which Transformer Engine (NeMo, Megatron) prefers on Hopper and newer, and MaxText's cudnn_flash_te. */
export type AttentionImpl = 'flash' | 'sdpa' | 'cudnn' | 'eager';

export interface Parallelism {
  tensor?: number; // default 1
  pipeline?: number; // default 1
  data?: number; // default: GPUs / (tensor × pipeline × context)
  context?: number; // default 1
  expert?: number; // default 1
  sequenceParallel?: boolean; // default false
  zero?: 0 | 1 | 2 | 3; // DeepSpeed ZeRO stage; default 0
  fsdp?: FsdpStrategy; // PyTorch FSDP sharding; default none
  virtualPipelineStages?: number; // interleaved 1F1B; default 1
  /** Added for issue 12: tensor-parallel size of the expert layers (Megatron-Core expert_tensor_parallel_size, MoE parallel folding); default = tensor. expert × expertTensor spans tensor × context × data. */
  expertTensor?: number;
  offload?: 'none' | 'optimizer' | 'params'; // CPU offload (ZeRO-Offload / FSDP CPUOffload); default none
  /** Added for issue 12: cross-entropy on vocabulary-sharded logits under TP (torchtitan loss_parallel, Megatron); default true. */
  lossParallel?: boolean;
  /** Added for issue 12: pipeline schedule; default 1f1b (interleaved-1f1b when virtualPipelineStages > 1). */
  pipelineSchedule?: 'gpipe' | '1f1b' | 'interleaved-1f1b';
}

export interface Batch {
  micro: number; // sequences per GPU per micro-step
  global?: number; // sequences per optimizer step
  gradientAccumulation?: number; // micro-steps per optimizer step
  sequenceLength: number; // tokens
}

export interface Finetune {
  method: 'full' | 'lora' | 'qlora';
  rank?: number; // LoRA rank; default 16
  alpha?: number;
  targetModules?: string[]; // default attention + MLP projections
  baseBits?: 4 | 8 | 16; // frozen base weights; qlora defaults to 4
  dropout?: number; // added with the schemas: LoRA dropout (PEFT lora_dropout), [0, 1); default 0
}

export interface Container {
  image: string;
  mounts?: { source: string; target: string; readOnly?: boolean }[];
  workdir?: string;
}

export interface TrainingJobSpec {
  /** A training tool's own config file (torchtitan TOML, axolotl YAML, accelerate YAML, DeepSpeed JSON), relative to the spec:
   *  its values stand in for model, batch, precision and parallelism (core/formats/trainingConfig.ts), and a job with no
   *  command runs the tool's launcher with it (core/runs/engineCommand.ts trainingLauncherArgv). */
  config?: string;
  /** The training script accelerate launch or deepspeed runs with the config. */
  script?: string;
  cluster?: string;
  resources: { nodes: number; gpusPerNode: number; cpusPerTask?: number; memory?: string };
  model: ModelRef;
  finetune?: Finetune;
  precision?: Precision; // default bf16-mixed
  /** paged and implementation added for issue 12: bitsandbytes paged optimizers; PyTorch's foreach/fused/for-loop step. */
  optimizer?: { type: OptimizerType; learningRate?: number; weightDecay?: number; paged?: boolean; implementation?: 'foreach' | 'fused' | 'for-loop' };
  parallelism?: Parallelism;
  batch: Batch;
  activationCheckpointing?: Checkpointing; // default none
  /** Added for issue 12: layers checkpointed under activationCheckpointing (Megatron recompute_num_layers × PP stages, torchtitan every-Nth-layer); default all. */
  checkpointedLayers?: number;
  attention?: AttentionImpl; // default flash
  /** Added for issue 12: torch.compile over the model (AOTAutograd recomputes fused pointwise ops instead of saving them); default false. */
  compile?: boolean;
  /** Added for issue 12: the loss (fp32 upcast and cross-entropy) runs inside the compiled region, so its fp32 copies
   *  are fused away (torch.compile(model) with the loss in forward, HF Trainer's torch_compile, torchtitan
   *  [compile] components with "loss"); default = compile. False when only the blocks are compiled. */
  compileLoss?: boolean;
  /** Added for issue 12: float8 training details under precision fp8-mixed (torchao / Transformer Engine). */
  float8?: { allGather?: boolean; saveActivations?: 'bf16' | 'fp8' };
  training?: { tokens?: number; steps?: number; mfu?: number };
  container?: Container;
  command?: string[];
  workingDir?: string;
  env?: Record<string, string | number | boolean>;
  timeLimit?: string; // e.g. 24h, 90m, 2d12h, 1-00:00:00
  /** Added with the schemas: resubmissions after a failure (dstack retry, SkyPilot max_restarts_on_errors,
   *  Kubeflow backoffLimit); default 0. */
  maxRestarts?: number;
}

// ---------------------------------------------------------------- InferenceService

export type Engine = 'vllm' | 'sglang' | 'tgi';
export type ServingDtype = 'auto' | 'bf16' | 'fp16' | 'fp32';
/** mtp: the checkpoint's own multi-token-prediction layers; eagle / eagle3: an EAGLE head (draftModel); ngram: prompt lookup, no drafter. */
export type SpeculativeMethod = 'mtp' | 'eagle' | 'eagle3' | 'ngram';
export interface Speculative {
  method: SpeculativeMethod;
  /** Tokens proposed per step (vLLM num_speculative_tokens, SGLang --speculative-num-steps). */
  tokens?: number;
  /** The EAGLE head's Hugging Face id or path (eagle, eagle3). */
  draftModel?: string;
}

export type Quantization = 'none' | 'fp8' | 'awq' | 'gptq' | 'int8' | 'int4' | 'nvfp4' | 'mxfp4' | 'bitsandbytes-4bit' | 'bitsandbytes-8bit';
export type KvCacheDtype = 'auto' | 'bf16' | 'fp16' | 'fp8' | 'fp8-e4m3' | 'fp8-e5m2';

export interface InferenceServiceSpec {
  cluster?: string;
  engine: Engine;
  engineVersion?: string; // e.g. 0.6.3; default: container.image's tag, else the current version
  model: ModelRef;
  dtype?: ServingDtype; // default auto (the model's dtype, bf16)
  quantization?: Quantization; // default none
  kvCacheDtype?: KvCacheDtype; // default auto (= dtype)
  tensorParallel?: number; // default 1
  pipelineParallel?: number; // default 1
  dataParallel?: number; // engine-level data parallel ranks per replica; default 1
  expertParallel?: boolean; // default false
  replicas?: number; // default 1
  maxModelLen?: number | 'auto'; // tokens; default the model's context; auto: the longest length the KV cache holds (vLLM 0.13+)
  maxNumSeqs?: number; // default 256 (vLLM)
  maxNumBatchedTokens?: number;
  gpuMemoryUtilization?: number; // (0, 1]; default 0.9
  blockSize?: number; // tokens per KV block; default 16
  enforceEager?: boolean; // default false (CUDA graphs captured)
  /** vLLM V1: whether its torch.compile cache already holds this configuration. A first start (cold) compiles inside
   *  the memory-profiling window, whose peak vLLM then takes off the KV cache; a restart that loads the cache (warm)
   *  does not (serving.ts compileEmbeddingPeak). Unset: estimated warm, with the first start checked for a refusal.
   *  VLLM_DISABLE_COMPILE_CACHE=1 makes every start cold. */
  compileCache?: 'cold' | 'warm';
  enablePrefixCaching?: boolean;
  /** vLLM --kv-cache-memory-bytes (from 0.11.0): the KV cache of each GPU in bytes. vLLM then skips its memory check:
   *  gpuMemoryUtilization no longer sizes the cache, and nothing checks that the rest fits beside it. Unset: sized by
   *  gpuMemoryUtilization. */
  kvCacheMemoryBytes?: number;
  /** vLLM --disable-hybrid-kv-cache-manager: every layer gets a cache for the whole sequence, a sliding-window layer
   *  too (no window groups); a model with Mamba or linear-attention layers does not start without the manager. */
  disableHybridKvCacheManager?: boolean;
  /** vLLM --mamba-ssm-cache-dtype (from 0.10.2), SGLang --mamba-ssm-dtype: the element type of a hybrid model's
   *  recurrent (Mamba, Gated DeltaNet) temporal state. auto (default): the model config's (mamba_ssm_dtype; float32 for
   *  Nemotron-H), else the model dtype. */
  mambaSsmCacheDtype?: 'auto' | 'float32' | 'bfloat16' | 'float16';
  /** Weights kept in host memory, GiB per GPU (vLLM and SGLang --cpu-offload-gb): whole decoder layers, read through
   *  unified addressing each step; the GPU holds the rest. Default 0. */
  cpuOffloadGiB?: number;
  /** Added with the schemas: multi-LoRA serving (vLLM --enable-lora, --lora-modules, --max-lora-rank,
   *  --max-loras); the reserved adapter slots cost GPU memory. */
  lora?: { adapters?: { name: string; path: string }[]; maxRank?: number; maxLoras?: number; fullyShardedLoras?: boolean };
  /** Speculative decoding (vLLM --speculative-config, SGLang --speculative-algorithm): its drafter's weights and KV layers. */
  speculative?: Speculative;
  /** Added for issue 12: how a vision-language model's encoder is served (vLLM --limit-mm-per-prompt, --skip-mm-profiling, --language-model-only). */
  multimodal?: MultimodalServing;
  port?: number; // default 8000
  container?: Container;
  command?: string[];
  extraArgs?: string[];
  env?: Record<string, string | number | boolean>;
}

/** vLLM's multimodal options that change the memory a vision-language model takes at start. */
export interface MultimodalServing {
  /** Items per prompt by modality (--limit-mm-per-prompt); 0 turns a modality off, and with every modality off the encoder is not profiled. */
  limitPerPrompt?: { image?: number; video?: number; audio?: number };
  /** --skip-mm-profiling: the encoder is not run before the KV cache is sized (its memory is then the user's to leave). */
  skipProfiling?: boolean;
  /** --language-model-only: the multimodal towers (vision, audio) are neither loaded nor profiled; the model serves text only. */
  languageModelOnly?: boolean;
}

export type ClusterDoc = SpecDocument<'Cluster', ClusterSpec>;
export type TrainingJobDoc = SpecDocument<'TrainingJob', TrainingJobSpec>;
export type InferenceServiceDoc = SpecDocument<'InferenceService', InferenceServiceSpec>;
export type AnySpecDoc = ClusterDoc | TrainingJobDoc | InferenceServiceDoc;
