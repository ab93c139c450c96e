// The model catalog: every model of ../shared/estimator-data/model_configs.json (converted here so
// nothing reads the shared folder at run time), plus a few popular ones read from their Hugging Face
// config.json. Ids are lower-case (`llama-3.1-8b`); aliases include the Hugging Face repo ids, and a
// lookup also ignores a trailing -instruct/-it/-hf/-chat/-base.

import type { Architecture, VisionEncoder } from '../spec/types';
import { hybridNamedFormat, splitDerivativeName, weightFormatFromQuantConfig, type WeightFormat } from './weightFormat';

export interface ModelInfo {
  id: string;
  aliases: string[];
  name: string;
  /** The size in the model's name, billions of parameters; for display only. */
  nominalParamsB: number;
  architecture: Architecture;
  norm: 'rmsnorm' | 'layernorm';
  /** Learned absolute position embeddings (GPT-2, BERT): rows in that table. */
  learnedPositions?: number;
  encoderOnly?: boolean;
  /** Parameters the architecture formula does not see (vision tower, token-type table, pooler). */
  extraParams?: number;
  /**
   * The multimodal towers' parameters within extraParams, where known apart (vision 0: the model has a vision tower whose
   * size the catalog does not know, so it is multimodal but its tower is not counted) (architecture.vision.params says the
   * vision tower's where the entry has one): vLLM does not load a tower whose every modality is off
   * (--language-model-only, or --limit-mm-per-prompt at 0 from 0.10.1), and the estimate leaves it out then. `video`:
   * whether the vision tower serves video too (Gemma 4: true, so images at 0 alone keep it; Mistral Small 3.1: false);
   * not known, it may, and video must be 0 too.
   */
  towers?: { vision?: number; audio?: number; video?: boolean };
  /** Published totals, used instead of the formula where it is known to be approximate (MLA). */
  totalParams?: number;
  activeParams?: number;
  /** Which layers use `architecture.slidingWindow`: every layer, or every other one (Gemma 2), or 5 of 6 (Gemma 3). */
  slidingWindowLayers?: 'all' | 'alternate' | 'five-of-six';
  /** How the released checkpoint stores its weights, where not in the model dtype (gpt-oss: mxfp4 experts). */
  weightFormat?: WeightFormat;
  source: string;
  summary: string;
}

type ModelInput = Omit<ModelInfo, 'summary'>;

function model(e: ModelInput): ModelInfo {
  const a = e.architecture;
  const attn = a.mla ? 'MLA' : (a.kvHeads ?? a.heads) === a.heads ? 'MHA' : (a.kvHeads ?? a.heads) === 1 ? 'MQA' : `GQA ${a.kvHeads} KV heads`;
  const moe = a.moe ? `, MoE ${a.moe.experts} experts top-${a.moe.activeExperts}` : '';
  const global = a.globalAttention?.headDim ? `, ${a.globalAttention.layers} of them global with ${a.globalAttention.headDim}-wide heads` : '';
  const hybrid = a.linearAttention ? `, ${a.linearAttention.layers} of them Gated DeltaNet (linear attention)` : a.mamba ? `, ${a.mamba.layers} of them Mamba2` : global;
  const ctx = a.maxContext ? `, context ${a.maxContext}` : '';
  return { ...e, summary: `${e.name}: ~${e.nominalParamsB}B params, ${a.layers} layers${hybrid}, hidden ${a.hidden}, ${a.heads} heads (${attn})${moe}, vocab ${a.vocab}${ctx}` };
}

/**
 * Qwen3.5's dense hybrids (Qwen3_5ForConditionalGeneration) share their text config's shape apart from the sizes:
 * 256-wide heads, vocab 248,320, context 262,144, a gated full-attention layer every fourth (full_attention_interval 4)
 * and Gated DeltaNet layers between with 16 key heads of 128 and an fp32 state, an output gate, one MTP layer; the
 * vision tower's parameters are the extra ones.
 */
function qwen35Dense(
  e: Pick<ModelInput, 'id' | 'aliases' | 'name' | 'nominalParamsB' | 'source'> & {
    shape: { layers: number; hidden: number; heads: number; kvHeads: number; ffn: number; linearValueHeads: number; tiedEmbeddings: boolean };
    vision: VisionEncoder;
  },
): ModelInfo {
  const { layers, hidden, heads, kvHeads, ffn, linearValueHeads, tiedEmbeddings } = e.shape;
  return model({
    id: e.id,
    aliases: e.aliases,
    name: e.name,
    nominalParamsB: e.nominalParamsB,
    architecture: {
      layers,
      hidden,
      heads,
      kvHeads,
      headDim: 256,
      ffn,
      vocab: 248320,
      gatedMlp: true,
      tiedEmbeddings,
      maxContext: 262144,
      linearAttention: { layers: (layers * 3) / 4, keyHeads: 16, valueHeads: linearValueHeads, keyHeadDim: 128, valueHeadDim: 128, convKernel: 4, stateDtype: 'fp32' },
      attentionOutputGate: true,
      mtpLayers: 1,
      vision: e.vision,
    },
    norm: 'rmsnorm',
    extraParams: e.vision.params,
    source: e.source,
  });
}

const HF = 'Hugging Face config.json of';

/**
 * Qwen3.5's vision transformer as vLLM profiles it (Qwen3-VL's, vllm qwen3_5.py): 27 layers 1152 wide, GELU MLP of
 * 4304, patch 16 over 2 frames, 2 × 2 patches merged to a token, no deepstack; its processor's largest image is
 * 16,777,216 pixels (longest_edge), 65,536 patches and 16,384 tokens. Tower and merger ≈ 0.46 B by the ViT count.
 */
const QWEN35_VISION: VisionEncoder = { hidden: 1152, ffn: 4304, gatedMlp: false, patchesPerItem: 65536, tokensPerItem: 16384, patchInput: 1536, video: true, dummyVideo: 'qwen3-vl', params: 0.46e9 };
/** Gemma 3's SigLIP (vision_config: 1152 wide, MLP 4304, 896-pixel images in 14-pixel patches: 4,096), pooled to 256 tokens (mm_tokens_per_image); ~417 M parameters. */
const GEMMA3_VISION: VisionEncoder = { hidden: 1152, ffn: 4304, gatedMlp: false, patchesPerItem: 4096, tokensPerItem: 256, patchInput: 588, params: 0.417e9 };

/** Qwen3-VL's vision transformer as its configs give it (27 layers 1152 wide, MLP 4304, patch 16 over 2 frames, 2 × 2
 *  merge, deepstack at layers 8/16/24) and its processor's largest image (longest_edge 16,777,216 pixels: 65,536 patches,
 *  16,384 tokens); params by Gantry's count of the config (hfConfig visionParams), which depends on the merger's width. */
const qwen3VlVision = (params: number, v: Partial<VisionEncoder> = {}): VisionEncoder => ({ hidden: 1152, ffn: 4304, gatedMlp: false, patchesPerItem: 65536, tokensPerItem: 16384, patchInput: 1536, video: true, dummyVideo: 'qwen3-vl', deepstack: 3, params, ...v });

/**
 * The Qwen2-VL and Qwen2.5-VL vision transformer (vision_config: 32 layers 1280 wide, patch 14 over 2 frames, 2 × 2
 * merge; Qwen2-VL a GELU MLP of 4 × 1280, Qwen2.5-VL a SiLU-gated one of 3420 (3B, 7B) or 3456 (32B, 72B)) and their
 * processor's largest image (max_pixels 12,845,056: 65,536 patches, 16,384 tokens); vLLM's dummy video is frames of
 * that image (dummyVideo 'qwen2-vl'). params by Gantry's count of the config (hfConfig visionParams), which gives Qwen2.5-VL-7B's
 * published 676.6 M.
 */
const qwen2VlVision = (params: number, v: Partial<VisionEncoder> = {}): VisionEncoder => ({ hidden: 1280, ffn: 3420, gatedMlp: true, patchesPerItem: 65536, tokensPerItem: 16384, patchInput: 1176, video: true, dummyVideo: 'qwen2-vl', params, ...v });
const QWEN25_VL_SOURCE = `${HF} the Qwen2.5-VL Instruct models (Qwen2_5_VLForConditionalGeneration), from verbatim copies of the published files in a public repository (the 7B's also checked against its Hugging Face blame page); preprocessor max_pixels 12845056`;
const QWEN2_VL_SOURCE = `${HF} the Qwen2-VL Instruct models (Qwen2VLForConditionalGeneration), as tabulated from the published files in a public audit, with transformers' Qwen2VLVisionConfig defaults for the fields they omit (hidden_act quick_gelu); the 7B's vision_config also seen verbatim in public code`;

/** GLM-4.5's MoE layout (GLM-4.6 and 4.7 keep it and raise the context). */
const GLM45: Architecture = { layers: 92, hidden: 5120, heads: 96, kvHeads: 8, headDim: 128, ffn: 12288, vocab: 151552, gatedMlp: true, tiedEmbeddings: false, maxContext: 131072, moe: { experts: 160, activeExperts: 8, sharedExperts: 1, expertFfn: 1536, denseLayers: 3 }, mtpLayers: 1 };
/** MiniMax-M2's MoE layout (M2.1, M2.5 and M2.7 keep it). */
const MINIMAX_M2: Architecture = { layers: 62, hidden: 3072, heads: 48, kvHeads: 8, headDim: 128, ffn: 1536, vocab: 200064, gatedMlp: true, tiedEmbeddings: false, maxContext: 196608, moe: { experts: 256, activeExperts: 8, expertFfn: 1536 }, mtpLayers: 3 };

/** DeepSeek-V3's architecture (V3, R1, V3.1; V3.2 adds the query's low rank to its count and the sparse-attention indexer). */
const DEEPSEEK_V3: Architecture = {
  layers: 61,
  hidden: 7168,
  heads: 128,
  kvHeads: 128,
  ffn: 18432,
  vocab: 129280,
  gatedMlp: true,
  headDim: 128,
  tiedEmbeddings: false,
  maxContext: 163840,
  moe: { experts: 256, activeExperts: 8, sharedExperts: 1, expertFfn: 2048, denseLayers: 3 },
  mla: { kvLoraRank: 512, qkRopeHeadDim: 64 },
  mtpLayers: 1,
};

/** GLM-5 and 5.1's architecture (glm_moe_dsa; GLM-5.2 adds IndexShare and a longer context). */
const GLM5: Architecture = {
  layers: 78,
  hidden: 6144,
  heads: 64,
  kvHeads: 64,
  headDim: 256,
  ffn: 12288,
  vocab: 154880,
  gatedMlp: true,
  tiedEmbeddings: false,
  maxContext: 202752,
  moe: { experts: 256, activeExperts: 8, sharedExperts: 1, expertFfn: 2048, denseLayers: 3 },
  mla: { kvLoraRank: 512, qkRopeHeadDim: 64, qLoraRank: 2048, qkNopeHeadDim: 192, indexer: { heads: 32, headDim: 128, topk: 2048 } },
  mtpLayers: 1,
};
/** Kimi K2's architecture (the Instruct and Thinking releases share it; Thinking extends the context). */
const KIMI_K2: Architecture = { layers: 61, hidden: 7168, heads: 64, kvHeads: 64, headDim: 128, ffn: 18432, vocab: 163840, gatedMlp: true, tiedEmbeddings: false, maxContext: 131072, moe: { experts: 384, activeExperts: 8, sharedExperts: 1, expertFfn: 2048, denseLayers: 1 }, mla: { kvLoraRank: 512, qkRopeHeadDim: 64 } };

/** What Gemma 4 E2B and E4B share (text_config): 256-wide sliding heads over 512 tokens, the 262,144-token vocabulary, tied embeddings, a 128K context. */
const GEMMA4_E = { headDim: 256, vocab: 262144, gatedMlp: true, tiedEmbeddings: true, maxContext: 131072, slidingWindow: 512 } satisfies Partial<Architecture>;

/**
 * Gemma 4's MTP assistant drafters (google/gemma-4-*-assistant, gemma4_assistant): four layers, three sliding and one full
 * (head_dim 256, global_head_dim 512), query-only, with an lm_head of 262,144 rows of their own. E2B's config.json as
 * published (a verbatim copy of the Hub snapshot in public code); the others' sizes as quoted from their configs in public
 * tables and test fixtures, which give 78 M (E2B/E4B), 0.42 B (12B, 26B-A4B) and 0.47 B (31B) parameters, as Gantry counts them.
 */
const gemma4Assistant = (hidden: number, ffn: number, heads: number) => ({ layers: 4, hidden, ffn, heads, headDim: 256, globalLayers: 1, globalHeadDim: 512, vocab: 262144 });

/** Qwen3's MoE architectures; the 2507 releases (and Qwen3-Coder-30B-A3B) keep them with a 262,144-token context. */
const QWEN3_30B_A3B: Architecture = { layers: 48, hidden: 2048, heads: 32, kvHeads: 4, ffn: 6144, vocab: 151936, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 40960, moe: { experts: 128, activeExperts: 8, expertFfn: 768 } };
const QWEN3_235B_A22B: Architecture = { layers: 94, hidden: 4096, heads: 64, kvHeads: 4, ffn: 12288, vocab: 151936, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 40960, moe: { experts: 128, activeExperts: 8, expertFfn: 1536 } };
const QWEN3_2507 = 'Qwen model cards of the 2507 releases ("Context Length: 262,144 natively"; config.json max_position_embeddings 262144); the architecture is the original release\'s';

/** The Instruct entry of a Qwen2.5 base entry (MODELS below): its own id, names and published context of 32768. */
const QWEN25_INSTRUCT = ['1.5b', '7b', '14b', '32b', '72b'] as const;
function qwen25Instruct(base: ModelInfo, size: string): ModelInfo {
  const repo = `Qwen/Qwen2.5-${size.toUpperCase()}-Instruct`;
  return model({
    ...base,
    id: `qwen2.5-${size}-instruct`,
    aliases: [repo],
    name: `${base.name} Instruct`,
    architecture: { ...base.architecture, maxContext: 32768 },
    source: `${base.source}; ${repo}'s config.json: max_position_embeddings 32768 (seen verbatim in published logs of transformers loading it, e.g. the 1.5B's; the Instruct model cards give 32,768 tokens native)`,
  });
}

const ENTRIES: ModelInfo[] = [
  model({
    id: 'llama-2-7b',
    aliases: ['meta-llama/Llama-2-7b-hf', 'meta-llama/Llama-2-7b-chat-hf', 'llama2-7b'],
    name: 'Llama 2 7B',
    nominalParamsB: 7.0,
    architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008, vocab: 32000, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 4096 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'llama-2-13b',
    aliases: ['meta-llama/Llama-2-13b-hf', 'meta-llama/Llama-2-13b-chat-hf', 'llama2-13b'],
    name: 'Llama 2 13B',
    nominalParamsB: 13.0,
    architecture: { layers: 40, hidden: 5120, heads: 40, kvHeads: 40, ffn: 13824, vocab: 32000, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 4096 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'llama-2-70b',
    aliases: ['meta-llama/Llama-2-70b-hf', 'meta-llama/Llama-2-70b-chat-hf', 'llama2-70b'],
    name: 'Llama 2 70B',
    nominalParamsB: 70.0,
    architecture: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 32000, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 4096 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'llama-3-8b',
    aliases: ['meta-llama/Meta-Llama-3-8B', 'meta-llama/Meta-Llama-3-8B-Instruct', 'llama3-8b'],
    name: 'Llama 3 8B',
    nominalParamsB: 8.0,
    architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 128256, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 8192 },
    norm: 'rmsnorm',
    source:
      'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values); HF config.json of meta-llama/Meta-Llama-3-8B seen via derivative repos (e.g. huggingface.co/Magpie-Align/Llama-3-8B-Magpie-Air-SFT-v0.1/config.json with _name_or_path meta-llama/Meta-Llama-3-8B): hidden 4096, 32 layers, 32 heads, 8 KV heads, intermediate 14336, max_position_embeddings 8192, rope_theta 500000, vocab 128256, tie_word_embeddings false',
  }),
  model({
    id: 'llama-3-70b',
    aliases: ['meta-llama/Meta-Llama-3-70B', 'meta-llama/Meta-Llama-3-70B-Instruct', 'llama3-70b'],
    name: 'Llama 3 70B',
    nominalParamsB: 70.0,
    architecture: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 128256, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 8192 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'llama-3.1-8b',
    aliases: ['meta-llama/Llama-3.1-8B', 'meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Meta-Llama-3.1-8B', 'meta-llama/Meta-Llama-3.1-8B-Instruct', 'llama3.1-8b'],
    name: 'Llama 3.1 8B',
    nominalParamsB: 8.0,
    architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 128256, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 131072 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values); HF config of Llama-3.1-8B-Instruct seen via quantized derivative (stan-hua/...SmoothQuant..., _name_or_path meta-llama/Llama-3.1-8B-Instruct): head_dim 128, max_position_embeddings 131072, rope_scaling llama3 factor 8',
  }),
  model({
    id: 'llama-3.1-70b',
    aliases: ['meta-llama/Llama-3.1-70B', 'meta-llama/Llama-3.1-70B-Instruct', 'meta-llama/Meta-Llama-3.1-70B', 'meta-llama/Meta-Llama-3.1-70B-Instruct', 'llama3.1-70b'],
    name: 'Llama 3.1 70B',
    nominalParamsB: 70.0,
    architecture: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 128256, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 131072 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'llama-3.1-405b',
    aliases: ['meta-llama/Llama-3.1-405B', 'meta-llama/Llama-3.1-405B-Instruct', 'meta-llama/Meta-Llama-3.1-405B', 'llama3.1-405b'],
    name: 'Llama 3.1 405B',
    nominalParamsB: 405.0,
    architecture: { layers: 126, hidden: 16384, heads: 128, kvHeads: 8, ffn: 53248, vocab: 128256, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 131072 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'llama-3.3-70b',
    aliases: ['meta-llama/Llama-3.3-70B-Instruct', 'llama3.3-70b'],
    name: 'Llama 3.3 70B',
    nominalParamsB: 70.0,
    architecture: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 128256, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 131072 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'llama-3.2-1b',
    aliases: ['meta-llama/Llama-3.2-1B', 'meta-llama/Llama-3.2-1B-Instruct', 'llama3.2-1b'],
    name: 'Llama 3.2 1B',
    nominalParamsB: 1.2,
    architecture: { layers: 16, hidden: 2048, heads: 32, kvHeads: 8, ffn: 8192, vocab: 128256, gatedMlp: true, headDim: 64, tiedEmbeddings: true, maxContext: 131072 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'llama-3.2-3b',
    aliases: ['meta-llama/Llama-3.2-3B', 'meta-llama/Llama-3.2-3B-Instruct', 'llama3.2-3b'],
    name: 'Llama 3.2 3B',
    nominalParamsB: 3.2,
    architecture: { layers: 28, hidden: 3072, heads: 24, kvHeads: 8, ffn: 8192, vocab: 128256, gatedMlp: true, headDim: 128, tiedEmbeddings: true, maxContext: 131072 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'mistral-7b-v0.1',
    aliases: ['mistralai/Mistral-7B-v0.1', 'mistralai/Mistral-7B-Instruct-v0.1', 'mistral-7b'],
    name: 'Mistral 7B v0.1',
    nominalParamsB: 7.2,
    architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 32000, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 32768, slidingWindow: 4096 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values); HF config of mistralai/Mistral-7B-Instruct-v0.1 (duplicate repo Capstone-lpx/mistral7b_instruct) : max_position_embeddings 32768, sliding_window 4096, 8 KV heads, intermediate 14336, vocab 32000',
  }),
  model({
    id: 'mistral-7b-v0.2',
    aliases: ['mistralai/Mistral-7B-Instruct-v0.2', 'mistralai/Mistral-7B-v0.2'],
    name: 'Mistral 7B v0.2',
    nominalParamsB: 7.2,
    architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 32000, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 32768 },
    norm: 'rmsnorm',
    source: "litgpt/config.py's Mistral-7B-Instruct-v0.2 entry, from mistralai/Mistral-7B-Instruct-v0.2 config.json (padded_vocab_size 32000, block_size 32768, 32 layers, 8 query groups, intermediate 14336); v0.1's shapes without its sliding window (sliding_window null, rope_theta 1e6)",
  }),
  model({
    id: 'mistral-7b-v0.3',
    aliases: ['mistralai/Mistral-7B-v0.3', 'mistralai/Mistral-7B-Instruct-v0.3'],
    name: 'Mistral 7B v0.3',
    nominalParamsB: 7.2,
    architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 32768, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 32768 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'mixtral-8x7b',
    aliases: ['mistralai/Mixtral-8x7B-v0.1', 'mistralai/Mixtral-8x7B-Instruct-v0.1'],
    name: 'Mixtral 8x7B',
    nominalParamsB: 46.7,
    architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 32000, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 32768, moe: { experts: 8, activeExperts: 2 } },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'mixtral-8x22b',
    aliases: ['mistralai/Mixtral-8x22B-v0.1', 'mistralai/Mixtral-8x22B-Instruct-v0.1'],
    name: 'Mixtral 8x22B',
    nominalParamsB: 141.0,
    architecture: { layers: 56, hidden: 6144, heads: 48, kvHeads: 8, ffn: 16384, vocab: 32768, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 65536, moe: { experts: 8, activeExperts: 2 } },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen2.5-0.5b',
    aliases: ['Qwen/Qwen2.5-0.5B', 'Qwen/Qwen2.5-0.5B-Instruct'],
    name: 'Qwen2.5 0.5B',
    nominalParamsB: 0.5,
    architecture: { layers: 24, hidden: 896, heads: 14, kvHeads: 2, ffn: 4864, vocab: 151936, gatedMlp: true, headDim: 64, tiedEmbeddings: true, maxContext: 32768 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen2.5-1.5b',
    aliases: ['Qwen/Qwen2.5-1.5B'],
    name: 'Qwen2.5 1.5B',
    nominalParamsB: 1.5,
    architecture: { layers: 28, hidden: 1536, heads: 12, kvHeads: 2, ffn: 8960, vocab: 151936, gatedMlp: true, headDim: 128, tiedEmbeddings: true, maxContext: 131072 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen2.5-3b',
    aliases: ['Qwen/Qwen2.5-3B', 'Qwen/Qwen2.5-3B-Instruct'],
    name: 'Qwen2.5 3B',
    nominalParamsB: 3.1,
    architecture: { layers: 36, hidden: 2048, heads: 16, kvHeads: 2, ffn: 11008, vocab: 151936, gatedMlp: true, headDim: 128, tiedEmbeddings: true, maxContext: 32768 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen2.5-7b',
    aliases: ['Qwen/Qwen2.5-7B'],
    name: 'Qwen2.5 7B',
    nominalParamsB: 7.6,
    architecture: { layers: 28, hidden: 3584, heads: 28, kvHeads: 4, ffn: 18944, vocab: 152064, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 131072 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen2.5-14b',
    aliases: ['Qwen/Qwen2.5-14B'],
    name: 'Qwen2.5 14B',
    nominalParamsB: 14.7,
    architecture: { layers: 48, hidden: 5120, heads: 40, kvHeads: 8, ffn: 13824, vocab: 152064, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 131072 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen2.5-32b',
    aliases: ['Qwen/Qwen2.5-32B'],
    name: 'Qwen2.5 32B',
    nominalParamsB: 32.5,
    architecture: { layers: 64, hidden: 5120, heads: 40, kvHeads: 8, ffn: 27648, vocab: 152064, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 131072 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen2.5-72b',
    aliases: ['Qwen/Qwen2.5-72B'],
    name: 'Qwen2.5 72B',
    nominalParamsB: 72.7,
    architecture: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 29568, vocab: 152064, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 131072 },
    norm: 'rmsnorm',
    source:
      "estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values); HF config.json of Qwen/Qwen2.5-72B-Instruct dumped in vllm-project/vllm issue #8691 (hidden 8192, intermediate 29568, 64 heads, 80 layers, 8 KV heads, vocab 152064, tie false); the base model's context 131072 as the 7B to 32B base configs (the Instruct entry below has its own)",
  }),
  model({
    id: 'qwen3-8b',
    aliases: ['Qwen/Qwen3-8B', 'Qwen/Qwen3-8B-Base'],
    name: 'Qwen3 8B',
    nominalParamsB: 8.2,
    architecture: { layers: 36, hidden: 4096, heads: 32, kvHeads: 8, ffn: 12288, vocab: 151936, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 40960 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen3-14b',
    aliases: ['Qwen/Qwen3-14B', 'Qwen/Qwen3-14B-Base'],
    name: 'Qwen3 14B',
    nominalParamsB: 14.8,
    architecture: { layers: 40, hidden: 5120, heads: 40, kvHeads: 8, ffn: 17408, vocab: 151936, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 40960 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen3-32b',
    aliases: ['Qwen/Qwen3-32B'],
    name: 'Qwen3 32B',
    nominalParamsB: 32.8,
    architecture: { layers: 64, hidden: 5120, heads: 64, kvHeads: 8, ffn: 25600, vocab: 151936, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 40960 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen3-30b-a3b',
    aliases: ['Qwen/Qwen3-30B-A3B', 'Qwen/Qwen3-30B-A3B-Base'],
    name: 'Qwen3 30B-A3B (MoE)',
    nominalParamsB: 30.5,
    architecture: QWEN3_30B_A3B,
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen3-30b-a3b-2507',
    aliases: ['Qwen/Qwen3-30B-A3B-Instruct-2507', 'Qwen/Qwen3-30B-A3B-Thinking-2507', 'Qwen/Qwen3-Coder-30B-A3B-Instruct'],
    name: 'Qwen3 30B-A3B 2507 (MoE, 256K context)',
    nominalParamsB: 30.5,
    architecture: { ...QWEN3_30B_A3B, maxContext: 262144 },
    norm: 'rmsnorm',
    source: `${QWEN3_2507}; Qwen3-Coder-30B-A3B-Instruct likewise`,
  }),
  model({
    id: 'qwen3-235b-a22b',
    aliases: ['Qwen/Qwen3-235B-A22B'],
    name: 'Qwen3 235B-A22B (MoE)',
    nominalParamsB: 235.0,
    architecture: QWEN3_235B_A22B,
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'qwen3-235b-a22b-2507',
    aliases: ['Qwen/Qwen3-235B-A22B-Instruct-2507', 'Qwen/Qwen3-235B-A22B-Thinking-2507'],
    name: 'Qwen3 235B-A22B 2507 (MoE, 256K context)',
    nominalParamsB: 235.0,
    architecture: { ...QWEN3_235B_A22B, maxContext: 262144 },
    norm: 'rmsnorm',
    source: QWEN3_2507,
  }),
  model({
    id: 'qwen3-next-80b-a3b',
    aliases: ['Qwen/Qwen3-Next-80B-A3B-Instruct', 'Qwen/Qwen3-Next-80B-A3B-Thinking', 'qwen3-next'],
    name: 'Qwen3-Next 80B-A3B (hybrid MoE)',
    nominalParamsB: 80,
    architecture: {
      layers: 48,
      hidden: 2048,
      heads: 16,
      kvHeads: 2,
      headDim: 256,
      ffn: 5120,
      vocab: 151936,
      gatedMlp: true,
      tiedEmbeddings: false,
      maxContext: 262144,
      moe: { experts: 512, activeExperts: 10, expertFfn: 512, sharedExperts: 1 },
      linearAttention: { layers: 36, keyHeads: 16, valueHeads: 32, keyHeadDim: 128, valueHeadDim: 128, convKernel: 4 },
      attentionOutputGate: true,
      mtpLayers: 1,
    },
    norm: 'rmsnorm',
    source: `${HF} Qwen/Qwen3-Next-80B-A3B-Instruct (full_attention_interval 4: 36 Gated DeltaNet + 12 gated-attention layers; linear_* 16 key / 32 value heads × 128, conv 4; 512 experts top-10 + 1 shared of 512)`,
  }),
  // Qwen3.5's dense hybrids (qwen35Dense). The small sizes entered 2026-12-07 to close gaps of held-out starts: text_config
  // and vision_config from public copies of their configs (per-file lock records with sizes, spec tables, model cards
  // and fixtures; two sources or more each). Each has a smaller vision tower than the 9B/27B: 0.8B 12 layers 768 wide
  // (MLP 3072), 2B/4B 24 layers 1024 wide (MLP 4096), params by the same ViT count as QWEN35_VISION. The 2B's
  // mamba_ssm_dtype was not found: its siblings' float32 is taken.
  qwen35Dense({
    id: 'qwen3.5-0.8b',
    aliases: ['Qwen/Qwen3.5-0.8B', 'Qwen/Qwen3.5-0.8B-Base'],
    name: 'Qwen3.5 0.8B (hybrid, vision-language)',
    nominalParamsB: 0.8,
    shape: { layers: 24, hidden: 1024, heads: 8, kvHeads: 2, ffn: 3584, linearValueHeads: 16, tiedEmbeddings: true },
    vision: { ...QWEN35_VISION, hidden: 768, ffn: 3072, params: 0.1e9 },
    source: `${HF} Qwen/Qwen3.5-0.8B (text_config: 24 layers, full_attention_interval 4: 18 Gated DeltaNet + 6 gated-attention layers; 8 heads / 2 KV heads × 256; linear_* 16 key / 16 value heads × 128, conv 4; intermediate 3584; vocab 248320, tied; mamba_ssm_dtype float32; mtp 1); vision_config depth 12, hidden 768, MLP 3072, out 1024 ≈ 0.10 B; checkpoint 1,746,942,600 bytes (bf16)`,
  }),
  qwen35Dense({
    id: 'qwen3.5-2b',
    aliases: ['Qwen/Qwen3.5-2B', 'Qwen/Qwen3.5-2B-Base'],
    name: 'Qwen3.5 2B (hybrid, vision-language)',
    nominalParamsB: 2,
    shape: { layers: 24, hidden: 2048, heads: 8, kvHeads: 2, ffn: 6144, linearValueHeads: 16, tiedEmbeddings: true },
    vision: { ...QWEN35_VISION, hidden: 1024, ffn: 4096, params: 0.33e9 },
    source: `${HF} Qwen/Qwen3.5-2B (text_config: 24 layers, 18 Gated DeltaNet + 6 gated-attention; 8 heads / 2 KV heads × 256; linear_* 16 / 16 heads × 128; intermediate 6144; vocab 248320, tied; mtp 1; the state dtype not found, float32 as its siblings); vision_config depth 24, hidden 1024, MLP 4096, out 2048 ≈ 0.33 B; checkpoint 4,548,221,488 bytes (bf16)`,
  }),
  qwen35Dense({
    id: 'qwen3.5-4b',
    aliases: ['Qwen/Qwen3.5-4B', 'Qwen/Qwen3.5-4B-Base'],
    name: 'Qwen3.5 4B (hybrid, vision-language)',
    nominalParamsB: 4,
    shape: { layers: 32, hidden: 2560, heads: 16, kvHeads: 4, ffn: 9216, linearValueHeads: 32, tiedEmbeddings: true },
    vision: { ...QWEN35_VISION, hidden: 1024, ffn: 4096, params: 0.33e9 },
    source: `${HF} Qwen/Qwen3.5-4B (text_config: 32 layers, 24 Gated DeltaNet + 8 gated-attention; 16 heads / 4 KV heads × 256; linear_* 16 key / 32 value heads × 128, conv 4; intermediate 9216; vocab 248320, tied; mamba_ssm_dtype float32; mtp 1); vision_config depth 24, hidden 1024, MLP 4096, out 2560 ≈ 0.33 B; checkpoint 9,319,828,096 bytes (bf16, two shards)`,
  }),
  qwen35Dense({
    id: 'qwen3.5-9b',
    aliases: ['Qwen/Qwen3.5-9B', 'Qwen/Qwen3.5-9B-Base'],
    name: 'Qwen3.5 9B (hybrid, vision-language)',
    nominalParamsB: 9,
    shape: { layers: 32, hidden: 4096, heads: 16, kvHeads: 4, ffn: 12288, linearValueHeads: 32, tiedEmbeddings: false },
    vision: QWEN35_VISION,
    source: `${HF} Qwen/Qwen3.5-9B (text_config: layer_types 3 linear : 1 full, mamba_ssm_dtype float32, attn_output_gate); vision tower (27 layers, 1152 wide, MLP 4304) and merger ≈ 0.46B by the ViT count; the 1-layer MTP head is loaded only under speculative decoding (mtp_num_hidden_layers 1)`,
  }),
  qwen35Dense({
    id: 'qwen3.5-27b',
    aliases: ['Qwen/Qwen3.5-27B', 'Qwen/Qwen3.6-27B', 'Qwen/Qwen3.8-27B', 'qwen3.6-27b', 'qwen3.8-27b'],
    name: 'Qwen3.5/3.6/3.8 27B (hybrid, vision-language)',
    nominalParamsB: 27,
    shape: { layers: 64, hidden: 5120, heads: 24, kvHeads: 4, ffn: 17408, linearValueHeads: 48, tiedEmbeddings: false },
    vision: QWEN35_VISION,
    source: `Qwen3_5ForConditionalGeneration text_config as published for Qwen3.8-27B (hidden 5120, intermediate 17408, 64 layers with full_attention_interval 4, 24 heads / 4 KV heads × 256, linear_* 16 key / 48 value heads × 128, conv 4, mamba_ssm_dtype float32, mtp_num_hidden_layers 1, vocab 248320, untied; seen in public configs and test fixtures); Qwen3.5-27B and Qwen3.6-27B share the class and, as far as the public configs seen show, these sizes; vision tower as Qwen3.5-9B's (≈ 0.46B). bf16 checkpoint 51.7 GiB published for Qwen3.8-27B`,
  }),
  model({
    id: 'qwen3.5-35b-a3b',
    aliases: ['Qwen/Qwen3.5-35B-A3B', 'Qwen/Qwen3.6-35B-A3B', 'qwen3.6-35b-a3b'],
    name: 'Qwen3.5/3.6 35B-A3B (hybrid MoE, vision-language)',
    nominalParamsB: 35,
    architecture: {
      layers: 40,
      hidden: 2048,
      heads: 16,
      kvHeads: 2,
      headDim: 256,
      ffn: 512,
      vocab: 248320,
      gatedMlp: true,
      tiedEmbeddings: false,
      maxContext: 262144,
      moe: { experts: 256, activeExperts: 8, expertFfn: 512, sharedExperts: 1 },
      linearAttention: { layers: 30, keyHeads: 16, valueHeads: 32, keyHeadDim: 128, valueHeadDim: 128, convKernel: 4, stateDtype: 'fp32' },
      attentionOutputGate: true,
      mtpLayers: 1,
      vision: QWEN35_VISION,
    },
    norm: 'rmsnorm',
    extraParams: 0.46e9,
    source: `Qwen3_5MoeForConditionalGeneration text_config (qwen3_5_moe_text) as published for Qwen3.5-35B-A3B and Qwen3.6-35B-A3B (hidden 2048, 40 layers with full_attention_interval 4, 16 heads / 2 KV heads × 256, linear_* 16 key / 32 value heads × 128, conv 4, 256 experts top-8 of 512 + a 512 shared expert, mtp_num_hidden_layers 1, vocab 248320, untied); mamba_ssm_dtype float32 assumed as in the family's 9B and 27B configs; vision tower as Qwen3.5-9B's (≈ 0.46B)`,
  }),
  model({
    id: 'nemotron-3-nano-30b-a3b',
    aliases: ['nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16', 'nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B', 'NVIDIA-Nemotron-3-Nano-30B-A3B-BF16'],
    name: 'NVIDIA Nemotron 3 Nano 30B-A3B (hybrid Mamba2 MoE)',
    nominalParamsB: 30,
    // NemotronH blocks are a mixer or an MLP, Gantry's layers both (hfConfig.ts nemotronH): the 29 mixer
    // blocks are the layers, the 23 MoE blocks the MoE layers; the 6 others carry an MLP of 1856 in this
    // count (+60 M parameters, 0.2 %).
    architecture: {
      layers: 29,
      hidden: 2688,
      heads: 32,
      kvHeads: 2,
      headDim: 128,
      ffn: 1856,
      vocab: 131072,
      gatedMlp: false,
      tiedEmbeddings: false,
      maxContext: 262144,
      moe: { experts: 128, activeExperts: 6, expertFfn: 1856, sharedExperts: 2, denseLayers: 6 },
      mamba: { layers: 23, heads: 64, headDim: 64, stateSize: 128, groups: 8, convKernel: 4, stateDtype: 'fp32' },
    },
    norm: 'rmsnorm',
    source: `NemotronH config.json of nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16 as copied in jax-ml/jax-llm-examples nemotron3/tests/test_model.py (commit 8b4b246): 52 blocks, hybrid_override_pattern of 23 Mamba2 (M), 23 MoE (E) and 6 attention (*); hidden 2688; 32 heads / 2 KV heads × 128; 128 routed experts top-6 of moe_intermediate_size 1856 and one shared expert of 3712 (= 2 expert widths); relu² (non-gated) MLP; Mamba2 64 heads × 64, state 128, 8 groups, conv 4, mamba_ssm_cache_dtype float32; vocab 131072, untied; max_position_embeddings 262144. Model card: 30B total, 3.5B active`,
  }),
  model({
    id: 'nemotron-3-super-120b-a12b',
    aliases: ['nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16', 'nvidia/NVIDIA-Nemotron-3-Super-120B-A12B', 'NVIDIA-Nemotron-3-Super-120B-A12B-BF16', 'nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-Base-BF16'],
    name: 'NVIDIA Nemotron 3 Super 120B-A12B (hybrid Mamba2 LatentMoE)',
    nominalParamsB: 120,
    // As the Nano 30B-A3B (hfConfig.ts nemotronH): the 48 mixer blocks are the layers, the 40 MoE blocks the MoE
    // layers; the 8 others carry an MLP of 2688 in this count (+176 M). LatentMoE: each routed expert is 2688 wide on
    // the 1024-wide latent, counted as 672 on the hidden 4096 (the same parameters and FLOPs per token), the shared
    // expert of 5376 as 8 such widths; the latent projections (336 M) are not counted. The MTP layer (mtpLayers) is
    // loaded only for speculative decoding.
    architecture: {
      layers: 48,
      hidden: 4096,
      heads: 32,
      kvHeads: 2,
      headDim: 128,
      ffn: 2688,
      vocab: 131072,
      gatedMlp: false,
      tiedEmbeddings: false,
      maxContext: 262144,
      moe: { experts: 512, activeExperts: 22, expertFfn: 672, sharedExperts: 8, denseLayers: 8 },
      mamba: { layers: 40, heads: 128, headDim: 64, stateSize: 128, groups: 8, convKernel: 4, stateDtype: 'fp32' },
      mtpLayers: 1,
    },
    norm: 'rmsnorm',
    source: `NemotronH config.json of nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-FP8 and -NVFP4, the copy vendored in ai-dynamo/aiconfigurator (aic-core/src/aiconfigurator_core/model_configs, commit 095f58a): 88 blocks, hybrid_override_pattern of 40 Mamba2 (M), 40 MoE (E) and 8 attention (*); hidden 4096; 32 heads / 2 KV heads × 128; 512 routed experts top-22 of moe_intermediate_size 2688 on moe_latent_size 1024, one shared expert of 5376; relu² (non-gated) MLP; Mamba2 128 heads × 64, state 128, 8 groups, conv 4, mamba_ssm_cache_dtype float32; vocab 131072, untied; max_position_embeddings 262144; one MTP layer (mtp_hybrid_override_pattern *E). 120.5 B by Gantry's count (12.6 B active) against the model card's 120B total, 12B active`,
  }),
  model({
    id: 'nemotron-3-nano-4b',
    aliases: ['nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16', 'nvidia/NVIDIA-Nemotron-3-Nano-4B', 'NVIDIA-Nemotron-3-Nano-4B-BF16'],
    name: 'NVIDIA Nemotron 3 Nano 4B (hybrid Mamba2)',
    nominalParamsB: 4,
    // 42 blocks: the 25 mixer blocks are the layers; the 17 MLP blocks of 12544 spread over them (12544 × 17 / 25).
    architecture: {
      layers: 25,
      hidden: 3136,
      heads: 40,
      kvHeads: 8,
      headDim: 128,
      ffn: 8530,
      vocab: 131072,
      gatedMlp: false,
      tiedEmbeddings: false,
      maxContext: 262144,
      mamba: { layers: 21, heads: 96, headDim: 80, stateSize: 128, groups: 8, convKernel: 4 },
    },
    norm: 'rmsnorm',
    source: `NemotronH config.json of nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16 as several public test fixtures copy it (they agree; the index names no repository): 42 blocks, hybrid_override_pattern of 21 Mamba2, 4 attention and 17 MLP (intermediate_size 12544, relu², non-gated); hidden 3136; 40 heads / 8 KV heads × 128; Mamba2 96 heads × 80, state 128, 8 groups, conv 4 (the SSM cache dtype not seen: the model's); vocab 131072, untied; max_position_embeddings 262144. Model card: 3.97 × 10⁹ parameters`,
  }),
  model({
    id: 'gemma-2b',
    aliases: ['google/gemma-2b', 'google/gemma-2b-it'],
    name: 'Gemma 2B',
    nominalParamsB: 2.5,
    architecture: { layers: 18, hidden: 2048, heads: 8, kvHeads: 1, ffn: 16384, vocab: 256000, gatedMlp: true, headDim: 256, tiedEmbeddings: true, maxContext: 8192 },
    norm: 'rmsnorm',
    source: "estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values); context 8192 as the published config.json gives max_position_embeddings (google/gemma-7b and -7b-it printed by transformers in public logs; the litgpt block size of 4096 was not the model's)",
  }),
  model({
    id: 'gemma-7b',
    aliases: ['google/gemma-7b', 'google/gemma-7b-it'],
    name: 'Gemma 7B',
    nominalParamsB: 8.5,
    architecture: { layers: 28, hidden: 3072, heads: 16, kvHeads: 16, ffn: 24576, vocab: 256000, gatedMlp: true, headDim: 256, tiedEmbeddings: true, maxContext: 8192 },
    norm: 'rmsnorm',
    source: "estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values); context 8192 as the published config.json gives max_position_embeddings (google/gemma-7b and -7b-it printed by transformers in public logs; the litgpt block size of 4096 was not the model's)",
  }),
  model({
    id: 'gemma-2-2b',
    aliases: ['google/gemma-2-2b', 'google/gemma-2-2b-it'],
    name: 'Gemma 2 2B',
    nominalParamsB: 2.6,
    architecture: { layers: 26, hidden: 2304, heads: 8, kvHeads: 4, ffn: 9216, vocab: 256000, gatedMlp: true, headDim: 256, tiedEmbeddings: true, maxContext: 8192, slidingWindow: 4096 },
    norm: 'rmsnorm',
    slidingWindowLayers: 'alternate',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'gemma-2-9b',
    aliases: ['google/gemma-2-9b', 'google/gemma-2-9b-it'],
    name: 'Gemma 2 9B',
    nominalParamsB: 9.2,
    architecture: { layers: 42, hidden: 3584, heads: 16, kvHeads: 8, ffn: 14336, vocab: 256000, gatedMlp: true, headDim: 256, tiedEmbeddings: true, maxContext: 8192, slidingWindow: 4096 },
    norm: 'rmsnorm',
    slidingWindowLayers: 'alternate',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'gemma-2-27b',
    aliases: ['google/gemma-2-27b', 'google/gemma-2-27b-it'],
    name: 'Gemma 2 27B',
    nominalParamsB: 27.2,
    architecture: { layers: 46, hidden: 4608, heads: 32, kvHeads: 16, ffn: 36864, vocab: 256000, gatedMlp: true, headDim: 128, tiedEmbeddings: true, maxContext: 8192, slidingWindow: 4096 },
    norm: 'rmsnorm',
    slidingWindowLayers: 'alternate',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'phi-3-mini-4k',
    aliases: ['microsoft/Phi-3-mini-4k-instruct', 'phi-3-mini'],
    name: 'Phi-3 mini 4k',
    nominalParamsB: 3.8,
    architecture: { layers: 32, hidden: 3072, heads: 32, kvHeads: 32, ffn: 8192, vocab: 32064, gatedMlp: true, headDim: 96, tiedEmbeddings: false, maxContext: 4096, slidingWindow: 2048 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'phi-2',
    aliases: ['microsoft/phi-2'],
    name: 'Phi-2',
    nominalParamsB: 2.7,
    architecture: { layers: 32, hidden: 2560, heads: 32, kvHeads: 32, ffn: 10240, vocab: 51200, gatedMlp: false, headDim: 80, tiedEmbeddings: false, maxContext: 2048 },
    norm: 'layernorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'phi-4',
    aliases: ['microsoft/phi-4'],
    name: 'Phi-4',
    nominalParamsB: 14.7,
    architecture: { layers: 40, hidden: 5120, heads: 40, kvHeads: 10, ffn: 17920, vocab: 100352, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 16384 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'falcon-7b',
    aliases: ['tiiuae/falcon-7b', 'tiiuae/falcon-7b-instruct'],
    name: 'Falcon 7B',
    nominalParamsB: 7.2,
    architecture: { layers: 32, hidden: 4544, heads: 71, kvHeads: 1, ffn: 18176, vocab: 65024, gatedMlp: false, headDim: 64, tiedEmbeddings: false, maxContext: 2048 },
    norm: 'layernorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'falcon-40b',
    aliases: ['tiiuae/falcon-40b', 'tiiuae/falcon-40b-instruct'],
    name: 'Falcon 40B',
    nominalParamsB: 41.8,
    architecture: { layers: 60, hidden: 8192, heads: 128, kvHeads: 8, ffn: 32768, vocab: 65024, gatedMlp: false, headDim: 64, tiedEmbeddings: false, maxContext: 2048 },
    norm: 'layernorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'falcon-180b',
    aliases: ['tiiuae/falcon-180B'],
    name: 'Falcon 180B',
    nominalParamsB: 180.0,
    architecture: { layers: 80, hidden: 14848, heads: 232, kvHeads: 8, ffn: 59392, vocab: 65024, gatedMlp: false, headDim: 64, tiedEmbeddings: false, maxContext: 2048 },
    norm: 'layernorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'tinyllama-1.1b',
    aliases: ['TinyLlama/TinyLlama-1.1B-Chat-v1.0', 'TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T'],
    name: 'TinyLlama 1.1B',
    nominalParamsB: 1.1,
    architecture: { layers: 22, hidden: 2048, heads: 32, kvHeads: 4, ffn: 5632, vocab: 32000, gatedMlp: true, headDim: 64, tiedEmbeddings: false, maxContext: 2048 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'codellama-7b',
    aliases: ['codellama/CodeLlama-7b-hf', 'codellama/CodeLlama-7b-Instruct-hf', 'code-llama-7b'],
    name: 'Code Llama 7B',
    nominalParamsB: 6.7,
    architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008, vocab: 32016, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 16384 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'codellama-34b',
    aliases: ['codellama/CodeLlama-34b-hf', 'codellama/CodeLlama-34b-Instruct-hf', 'code-llama-34b'],
    name: 'Code Llama 34B',
    nominalParamsB: 33.7,
    architecture: { layers: 48, hidden: 8192, heads: 64, kvHeads: 8, ffn: 22016, vocab: 32000, gatedMlp: true, headDim: 128, tiedEmbeddings: false, maxContext: 16384 },
    norm: 'rmsnorm',
    source: 'estimator-data model_configs.json: litgpt/config.py @26857050 (HF config.json values)',
  }),
  model({
    id: 'gpt2',
    aliases: ['openai-community/gpt2', 'gpt2-small', 'gpt-2'],
    name: 'GPT-2 124M',
    nominalParamsB: 0.124,
    architecture: { layers: 12, hidden: 768, heads: 12, kvHeads: 12, ffn: 3072, vocab: 50257, gatedMlp: false, headDim: 64, tiedEmbeddings: true, maxContext: 1024 },
    norm: 'layernorm',
    learnedPositions: 1024,
    source: 'estimator-data model_configs.json: HF config.json: huggingface.co/openai-community/gpt2/blob/b57efa2c.../config.json',
  }),
  model({
    id: 'gpt2-medium',
    aliases: ['openai-community/gpt2-medium', 'gpt-2-medium'],
    name: 'GPT-2 medium 355M',
    nominalParamsB: 0.355,
    architecture: { layers: 24, hidden: 1024, heads: 16, kvHeads: 16, ffn: 4096, vocab: 50257, gatedMlp: false, headDim: 64, tiedEmbeddings: true, maxContext: 1024 },
    norm: 'layernorm',
    learnedPositions: 1024,
    source: 'estimator-data model_configs.json: HF config.json: huggingface.co/openai-community/gpt2-medium/blob/0a83037e.../config.json',
  }),
  model({
    id: 'gpt2-large',
    aliases: ['openai-community/gpt2-large', 'gpt-2-large'],
    name: 'GPT-2 large 774M',
    nominalParamsB: 0.774,
    architecture: { layers: 36, hidden: 1280, heads: 20, kvHeads: 20, ffn: 5120, vocab: 50257, gatedMlp: false, headDim: 64, tiedEmbeddings: true, maxContext: 1024 },
    norm: 'layernorm',
    learnedPositions: 1024,
    source: 'estimator-data model_configs.json: HF config.json: huggingface.co/openai-community/gpt2-large/blob/refs%2Fpr%2F1/config.json',
  }),
  model({
    id: 'gpt2-xl',
    aliases: ['openai-community/gpt2-xl', 'gpt-2-xl'],
    name: 'GPT-2 XL 1.5B',
    nominalParamsB: 1.5,
    architecture: { layers: 48, hidden: 1600, heads: 25, kvHeads: 25, ffn: 6400, vocab: 50257, gatedMlp: false, headDim: 64, tiedEmbeddings: true, maxContext: 1024 },
    norm: 'layernorm',
    learnedPositions: 1024,
    source: 'estimator-data model_configs.json: HF config.json: huggingface.co/openai-community/gpt2-xl/blob/main/config.json',
  }),
  model({
    id: 'gpt3-175b',
    aliases: ['gpt-3-175b', 'gpt3'],
    name: 'GPT-3 175B (Megatron example)',
    nominalParamsB: 175.0,
    architecture: { layers: 96, hidden: 12288, heads: 96, kvHeads: 96, ffn: 49152, vocab: 50257, gatedMlp: false, headDim: 128, tiedEmbeddings: true, maxContext: 2048 },
    norm: 'layernorm',
    learnedPositions: 2048,
    source: 'estimator-data model_configs.json: NVIDIA/Megatron-LM examples/gpt3/train_gpt3_175b_distributed.sh: --num-layers 96 --hidden-size 12288 --num-attention-heads 96 --seq-length 2048 --max-position-embeddings 2048 (TP 8, PP 16, micro-batch 1, global batch 1536, fp16)',
  }),
  model({
    id: 'distilbert-base-uncased',
    aliases: ['distilbert/distilbert-base-uncased', 'distilbert-base'],
    name: 'DistilBERT base (uncased)',
    nominalParamsB: 0.066,
    architecture: { layers: 6, hidden: 768, heads: 12, kvHeads: 12, ffn: 3072, vocab: 30522, gatedMlp: false, headDim: 64, tiedEmbeddings: true, maxContext: 512 },
    norm: 'layernorm',
    learnedPositions: 512,
    encoderOnly: true,
    source: 'HF config.json huggingface.co/distilbert/distilbert-base-uncased: dim 768, n_layers 6, n_heads 12, hidden_dim 3072, vocab_size 30522, max_position_embeddings 512, attention_dropout 0.1 (66.4M parameters)',
  }),
  model({
    id: 'biogpt',
    aliases: ['microsoft/biogpt'],
    name: 'BioGPT 347M',
    nominalParamsB: 0.347,
    architecture: { layers: 24, hidden: 1024, heads: 16, kvHeads: 16, ffn: 4096, vocab: 42384, gatedMlp: false, headDim: 64, tiedEmbeddings: true, maxContext: 1024 },
    norm: 'layernorm',
    learnedPositions: 1024,
    source: 'HF config.json huggingface.co/microsoft/biogpt: hidden_size 1024, num_hidden_layers 24, num_attention_heads 16, intermediate_size 4096, vocab_size 42384, max_position_embeddings 1024, attention_probs_dropout_prob 0.1 (BioGPT paper: 347M parameters)',
  }),
  model({
    id: 'bert-base-uncased',
    aliases: ['google-bert/bert-base-uncased', 'bert-base'],
    name: 'BERT base (uncased)',
    nominalParamsB: 0.11,
    architecture: { layers: 12, hidden: 768, heads: 12, kvHeads: 12, ffn: 3072, vocab: 30522, gatedMlp: false, headDim: 64, tiedEmbeddings: true, maxContext: 512 },
    norm: 'layernorm',
    learnedPositions: 512,
    encoderOnly: true,
    // token-type embeddings (2 × hidden), the pooler (hidden² + hidden) and one more hidden vector, as bert-large's figure counts them
    extraParams: 592896,
    source: 'HF config.json huggingface.co/google-bert/bert-base-uncased: hidden_size 768, num_hidden_layers 12, num_attention_heads 12, intermediate_size 3072, vocab_size 30522, max_position_embeddings 512, type_vocab_size 2, attention_probs_dropout_prob 0.1',
  }),
  model({
    id: 'bert-large-uncased',
    aliases: ['google-bert/bert-large-uncased', 'bert-large'],
    name: 'BERT large (uncased)',
    nominalParamsB: 0.335,
    architecture: { layers: 24, hidden: 1024, heads: 16, kvHeads: 16, ffn: 4096, vocab: 30522, gatedMlp: false, headDim: 64, tiedEmbeddings: true, maxContext: 512 },
    norm: 'layernorm',
    learnedPositions: 512,
    encoderOnly: true,
    extraParams: 1052672,
    source: 'estimator-data model_configs.json: HF config.json huggingface.co/google-bert/bert-large-uncased/blob/33c39800.../config.json',
  }),
  model({
    id: 'deepseek-v3',
    aliases: ['deepseek-ai/DeepSeek-V3', 'deepseek-ai/DeepSeek-V3-Base', 'deepseek-ai/DeepSeek-R1', 'deepseek-r1', 'deepseek-ai/DeepSeek-V3.1', 'deepseek-ai/DeepSeek-V3.1-Base', 'deepseek-ai/DeepSeek-V3.1-Terminus'],
    name: 'DeepSeek-V3 671B (MoE, MLA)',
    nominalParamsB: 671.0,
    architecture: DEEPSEEK_V3,
    norm: 'rmsnorm',
    totalParams: 671e9,
    activeParams: 37e9,
    // Released in fp8: config.json quantization_config { quant_method: fp8, fmt: e4m3, activation_scheme: dynamic, weight_block_size: [128, 128] }.
    weightFormat: weightFormatFromQuantConfig({ quant_method: 'fp8', fmt: 'e4m3', activation_scheme: 'dynamic', weight_block_size: [128, 128] }) as WeightFormat,
    source:
      'estimator-data model_configs.json: HF config.json of deepseek-ai/DeepSeek-V3 seen via duplicates in docs corpus (huggingface.co/JPAdams12th/dormant-model-2/blob/main/config.json and gitcode.com/cann/cann-recipes-train/.../config.json, both DeepseekV3ForCausalLM with identical values); vocab 129280 from vLLM DeepseekV3Config defaults (docs.vllm.ai v0.11.0)',
  }),
  // DeepSeek Sparse Attention (DSA): DeepSeek-V3.2 and GLM-5 cache an indexer key beside the MLA latent (sparseAttention.ts).
  model({
    id: 'deepseek-v3.2',
    aliases: ['deepseek-ai/DeepSeek-V3.2', 'deepseek-ai/DeepSeek-V3.2-Exp', 'deepseek-ai/DeepSeek-V3.2-Speciale', 'deepseek-ai/DeepSeek-V3.2-Exp-Base', 'deepseek-v3.2-exp'],
    name: 'DeepSeek-V3.2 671B (MoE, MLA, sparse attention)',
    nominalParamsB: 671.0,
    architecture: { ...DEEPSEEK_V3, mla: { kvLoraRank: 512, qkRopeHeadDim: 64, qLoraRank: 1536, indexer: { heads: 64, headDim: 128, topk: 2048 } } },
    norm: 'rmsnorm',
    weightFormat: weightFormatFromQuantConfig({ quant_method: 'fp8', fmt: 'e4m3', activation_scheme: 'dynamic', weight_block_size: [128, 128], scale_fmt: 'ue8m0' }) as WeightFormat,
    source: `${HF} deepseek-ai/DeepSeek-V3.2 (DeepseekV32ForCausalLM, as vendored in ai-dynamo/aiconfigurator aic-core/src/aiconfigurator_core/model_configs at 0b077da: DeepSeek-V3's 61 layers, hidden 7168, 128 heads, q_lora_rank 1536, kv_lora_rank 512, qk_nope/rope/v 128/64/128, 256 routed experts of 2048 top-8 + 1 shared, first_k_dense_replace 3, vocab 129280, max_position_embeddings 163840, num_nextn_predict_layers 1; index_n_heads 64, index_head_dim 128, index_topk 2048; released in fp8 128×128 blocks with ue8m0 scales); V3.2-Exp as DeepSeek's inference/config_671B_v3.2.json gives the same sizes; Speciale's config.json was not seen (its model page names the same class and size)`,
  }),
  // ---- beyond model_configs.json (values from each model's Hugging Face config.json; text_config for multimodal ones)
  model({
    id: 'gemma-3-1b',
    aliases: ['google/gemma-3-1b-it', 'google/gemma-3-1b-pt'],
    name: 'Gemma 3 1B (text only)',
    nominalParamsB: 1,
    architecture: { layers: 26, hidden: 1152, heads: 4, kvHeads: 1, headDim: 256, ffn: 6912, vocab: 262144, gatedMlp: true, tiedEmbeddings: true, maxContext: 32768, slidingWindow: 512 },
    norm: 'rmsnorm',
    slidingWindowLayers: 'five-of-six',
    source: `${HF} google/gemma-3-1b-it (Gemma3ForCausalLM, text only: 26 layers, hidden 1152, 4 heads / 1 KV head × 256, intermediate 6912, vocab 262144, tied (no lm_head in the checkpoint), sliding_window 512, sliding_window_pattern 6, max_position_embeddings 32768; entered 2026-12-07 from two public copies of its config)`,
  }),
  model({
    id: 'gemma-3-4b',
    aliases: ['google/gemma-3-4b-it', 'google/gemma-3-4b-pt'],
    name: 'Gemma 3 4B',
    nominalParamsB: 4.3,
    architecture: { layers: 34, hidden: 2560, heads: 8, kvHeads: 4, headDim: 256, ffn: 10240, vocab: 262208, gatedMlp: true, tiedEmbeddings: true, maxContext: 131072, slidingWindow: 1024, vision: GEMMA3_VISION },
    norm: 'rmsnorm',
    extraParams: 0.417e9,
    slidingWindowLayers: 'five-of-six',
    source: `${HF} google/gemma-3-4b-it (text_config; sliding_window 1024, sliding_window_pattern 6); vision tower SigLIP ~417M params (Gemma 3 technical report)`,
  }),
  model({
    id: 'gemma-3-12b',
    aliases: ['google/gemma-3-12b-it', 'google/gemma-3-12b-pt'],
    name: 'Gemma 3 12B',
    nominalParamsB: 12.2,
    architecture: { layers: 48, hidden: 3840, heads: 16, kvHeads: 8, headDim: 256, ffn: 15360, vocab: 262208, gatedMlp: true, tiedEmbeddings: true, maxContext: 131072, slidingWindow: 1024, vision: GEMMA3_VISION },
    norm: 'rmsnorm',
    extraParams: 0.417e9,
    slidingWindowLayers: 'five-of-six',
    source: `${HF} google/gemma-3-12b-it (text_config); vision tower SigLIP ~417M params`,
  }),
  model({
    id: 'gemma-3-27b',
    aliases: ['google/gemma-3-27b-it', 'google/gemma-3-27b-pt'],
    name: 'Gemma 3 27B',
    nominalParamsB: 27.4,
    architecture: { layers: 62, hidden: 5376, heads: 32, kvHeads: 16, headDim: 128, ffn: 21504, vocab: 262208, gatedMlp: true, tiedEmbeddings: true, maxContext: 131072, slidingWindow: 1024, vision: GEMMA3_VISION },
    norm: 'rmsnorm',
    extraParams: 0.417e9,
    slidingWindowLayers: 'five-of-six',
    source: `${HF} google/gemma-3-27b-it (text_config); vision tower SigLIP ~417M params`,
  }),
  model({
    id: 'gemma-4-12b',
    aliases: ['google/gemma-4-12B-it', 'google/gemma-4-12B'],
    name: 'Gemma 4 12B',
    nominalParamsB: 11.95,
    architecture: {
      mtpAssistant: gemma4Assistant(1024, 8192, 16),
      layers: 48,
      hidden: 3840,
      heads: 16,
      kvHeads: 8,
      headDim: 256,
      ffn: 15360,
      vocab: 262144,
      gatedMlp: true,
      tiedEmbeddings: true,
      maxContext: 262144,
      slidingWindow: 1024,
      globalAttention: { layers: 8, headDim: 512, kvHeads: 1, kEqV: true },
    },
    norm: 'rmsnorm',
    // Encoder-free: patch and audio-frame embedders of some 50 M parameters in all, no vision or audio tower.
    extraParams: 0.053e9,
    towers: { vision: 0.05e9, audio: 0.0025e9, video: true },
    slidingWindowLayers: 'five-of-six',
    source: `${HF} google/gemma-4-12B-it (Gemma4UnifiedForConditionalGeneration, text_config as committed in cofin/mogemma src/py/tests/unit/test_gemma4_12b_config.py @34005c22 and transformers configuration_gemma4_unified.py @008e5743: 48 layers, five sliding to one full_attention, sliding_window 1024, head_dim 256 with 8 KV heads, global_head_dim 512 with num_global_key_value_heads 1, attention_k_eq_v, no KV sharing, no per-layer inputs); context 256K and 11.95 B parameters (model card; the Hub reports 11,959,730,224), of which some 53 M are the encoder-free vision and audio embedders`,
  }),
  model({
    id: 'gemma-4-31b',
    aliases: ['google/gemma-4-31B-it', 'google/gemma-4-31B'],
    name: 'Gemma 4 31B',
    nominalParamsB: 30.7,
    architecture: {
      mtpAssistant: gemma4Assistant(1024, 8192, 32),
      layers: 60,
      hidden: 5376,
      heads: 32,
      kvHeads: 16,
      headDim: 256,
      ffn: 21504,
      vocab: 262144,
      gatedMlp: true,
      tiedEmbeddings: true,
      maxContext: 262144,
      slidingWindow: 1024,
      globalAttention: { layers: 10, headDim: 512, kvHeads: 4, kEqV: true },
    },
    norm: 'rmsnorm',
    extraParams: 0.45e9,
    towers: { vision: 0.45e9, video: true },
    slidingWindowLayers: 'five-of-six',
    source: `${HF} google/gemma-4-31B (text_config, as copied in jax-ml/jax-llm-examples gemma4/gemma4_jax/hf_configs.py @8b4b246: 60 layers, every sixth full_attention, sliding_window 1024, head_dim 256 with 16 KV heads, global_head_dim 512 with num_global_key_value_heads 4, attention_k_eq_v); context 256K and 30.7 B parameters (model card; that copy says max_position_embeddings 131072); vision tower ~0.45 B by Gantry's ViT count of its vision_config (27 layers, 1152 wide, MLP 4304)`,
  }),
  model({
    id: 'gemma-4-26b-a4b',
    aliases: ['google/gemma-4-26B-A4B-it', 'google/gemma-4-26B-A4B'],
    name: 'Gemma 4 26B-A4B (MoE)',
    nominalParamsB: 25.2,
    architecture: {
      mtpAssistant: gemma4Assistant(1024, 8192, 16),
      layers: 30,
      hidden: 2816,
      heads: 16,
      kvHeads: 8,
      headDim: 256,
      ffn: 2112,
      vocab: 262144,
      gatedMlp: true,
      tiedEmbeddings: true,
      maxContext: 262144,
      slidingWindow: 1024,
      globalAttention: { layers: 5, headDim: 512, kvHeads: 2, kEqV: true },
      moe: { experts: 128, activeExperts: 8, sharedExperts: 3, expertFfn: 704 },
    },
    norm: 'rmsnorm',
    extraParams: 0.44e9,
    towers: { vision: 0.44e9, video: true },
    slidingWindowLayers: 'five-of-six',
    source: `${HF} google/gemma-4-26B-A4B (text_config, as copied in jax-ml/jax-llm-examples gemma4/gemma4_jax/hf_configs.py @8b4b246: 30 layers, every sixth full_attention, sliding_window 1024, head_dim 256 with 8 KV heads, global_head_dim 512 with num_global_key_value_heads 2, attention_k_eq_v; enable_moe_block: 128 experts of 704 top-8 beside a dense MLP of 2112, counted as 3 shared expert widths); context 256K, 25.2 B total and 3.8 B active parameters (model card); vision tower ~0.44 B by Gantry's ViT count of its vision_config (27 layers, 1152 wide, MLP 4304)`,
  }),
  model({
    id: 'gemma-4-e4b',
    aliases: ['google/gemma-4-E4B-it', 'google/gemma-4-E4B'],
    name: 'Gemma 4 E4B',
    nominalParamsB: 8,
    architecture: { ...GEMMA4_E, layers: 42, hidden: 2560, heads: 8, kvHeads: 2, ffn: 10240, globalAttention: { layers: 7, headDim: 512 }, kvShared: { layers: 18, global: 3 }, mtpAssistant: gemma4Assistant(256, 2048, 4) },
    norm: 'rmsnorm',
    // Per-layer embeddings 42 × 256 × (262,144 + 3 × 2,560) = 2.90 B, vision tower 0.12 B (Gantry's ViT count), audio tower ~0.3 B (model card).
    extraParams: 3.32e9,
    towers: { vision: 0.12e9, audio: 0.3e9, video: true },
    source: `${HF} google/gemma-4-E4B (text_config, as copied in jax-ml/jax-llm-examples gemma4/gemma4_jax/hf_configs.py @8b4b246: 42 layers, every sixth full_attention, sliding_window 512, head_dim 256 and global_head_dim 512 with 2 KV heads, no k_eq_v, num_kv_shared_layers 18, hidden_size_per_layer_input 256; vision_config 16 layers of 768; audio_config 12 conformer layers of 1024); context 128K and 8 B parameters (model card)`,
  }),
  model({
    id: 'gemma-4-e2b',
    aliases: ['google/gemma-4-E2B-it', 'google/gemma-4-E2B'],
    name: 'Gemma 4 E2B',
    nominalParamsB: 5.1,
    // use_double_wide_mlp: the 20 KV-shared layers' MLP is 2 × 6144, averaged over the 35 layers (ffn 9655).
    architecture: { ...GEMMA4_E, layers: 35, hidden: 1536, heads: 8, kvHeads: 1, ffn: 9655, globalAttention: { layers: 7, headDim: 512 }, kvShared: { layers: 20, global: 4 }, mtpAssistant: gemma4Assistant(256, 2048, 4) },
    norm: 'rmsnorm',
    // Per-layer embeddings 35 × 256 × (262,144 + 3 × 1,536) = 2.39 B, vision tower 0.12 B (Gantry's ViT count), audio tower ~0.3 B (model card).
    extraParams: 2.81e9,
    towers: { vision: 0.12e9, audio: 0.3e9, video: true },
    source: `${HF} google/gemma-4-E2B (text_config, as copied in jax-ml/jax-llm-examples gemma4/gemma4_jax/hf_configs.py @8b4b246: 35 layers, every fifth full_attention, sliding_window 512, head_dim 256 and global_head_dim 512 with 1 KV head, no k_eq_v, num_kv_shared_layers 20 with use_double_wide_mlp, hidden_size_per_layer_input 256; vision_config 16 layers of 768; audio_config 12 conformer layers of 1024); context 128K and 5.1 B parameters (model card)`,
  }),
  model({
    id: 'llama-4-scout-17b-16e',
    aliases: ['meta-llama/Llama-4-Scout-17B-16E-Instruct', 'meta-llama/Llama-4-Scout-17B-16E', 'llama-4-scout'],
    name: 'Llama 4 Scout 17B-16E',
    nominalParamsB: 109,
    architecture: { layers: 48, hidden: 5120, heads: 40, kvHeads: 8, headDim: 128, ffn: 16384, vocab: 202048, gatedMlp: true, tiedEmbeddings: false, maxContext: 10485760, moe: { experts: 16, activeExperts: 1, sharedExperts: 1, expertFfn: 8192 } },
    norm: 'rmsnorm',
    // Natively multimodal (images, no video): its tower's size is not in the catalog (towers.vision 0).
    towers: { vision: 0, video: false },
    source: `${HF} meta-llama/Llama-4-Scout-17B-16E-Instruct (text_config: 16 routed experts top-1 + 1 shared, intermediate_size 8192, intermediate_size_mlp 16384); 109B total / 17B active (Meta model card); vision tower not counted`,
  }),
  model({
    id: 'mistral-small-3.1-24b',
    aliases: ['mistralai/Mistral-Small-3.1-24B-Instruct-2503', 'mistralai/Mistral-Small-3.1-24B-Base-2503', 'mistral-small-3.1'],
    name: 'Mistral Small 3.1 24B',
    nominalParamsB: 24,
    architecture: { layers: 40, hidden: 5120, heads: 32, kvHeads: 8, headDim: 128, ffn: 32768, vocab: 131072, gatedMlp: true, tiedEmbeddings: false, maxContext: 131072 },
    norm: 'rmsnorm',
    extraParams: 0.44e9,
    towers: { vision: 0.44e9, video: false },
    source: `${HF} mistralai/Mistral-Small-3.1-24B-Instruct-2503 (text_config); Pixtral vision encoder + projector ~0.44B`,
  }),
  model({
    id: 'deepseek-v2-lite',
    aliases: ['deepseek-ai/DeepSeek-V2-Lite', 'deepseek-ai/DeepSeek-V2-Lite-Chat'],
    name: 'DeepSeek-V2-Lite 16B',
    nominalParamsB: 15.7,
    architecture: { layers: 27, hidden: 2048, heads: 16, kvHeads: 16, headDim: 128, ffn: 10944, vocab: 102400, gatedMlp: true, tiedEmbeddings: false, maxContext: 163840, moe: { experts: 64, activeExperts: 6, sharedExperts: 2, expertFfn: 1408, denseLayers: 1 }, mla: { kvLoraRank: 512, qkRopeHeadDim: 64 } },
    norm: 'rmsnorm',
    totalParams: 15.7e9,
    activeParams: 2.4e9,
    source: `${HF} deepseek-ai/DeepSeek-V2-Lite (kv_lora_rank 512, qk_rope_head_dim 64, 64 routed + 2 shared experts top-6, first_k_dense_replace 1); 15.7B total / 2.4B active (model card)`,
  }),
  // ---- issue 12: granite, gpt-oss, Kimi, Qwen1.5-MoE (values from each model's Hugging Face config.json)
  model({
    id: 'granite-3.1-8b',
    aliases: ['ibm-granite/granite-3.1-8b-instruct', 'ibm-granite/granite-3.1-8b-base', 'ibm-granite/granite-3.3-8b-instruct', 'granite-3.1-8b-instruct'],
    name: 'IBM Granite 3.1 8B',
    nominalParamsB: 8.2,
    architecture: { layers: 40, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 12800, vocab: 49155, gatedMlp: true, tiedEmbeddings: true, maxContext: 131072 },
    norm: 'rmsnorm',
    source: `${HF} ibm-granite/granite-3.x-8b (GraniteForCausalLM: hidden 4096, 40 layers, 32 heads, 8 KV heads, intermediate 12800, max_position_embeddings 131072, tie_word_embeddings true; vocab 49155 — 49152 to 49159 across 3.x releases)`,
  }),
  model({
    id: 'granite-3.1-2b',
    aliases: ['ibm-granite/granite-3.1-2b-instruct', 'ibm-granite/granite-3.1-2b-base', 'granite-3.1-2b-instruct'],
    name: 'IBM Granite 3.1 2B',
    nominalParamsB: 2.5,
    architecture: { layers: 40, hidden: 2048, heads: 32, kvHeads: 8, headDim: 64, ffn: 8192, vocab: 49155, gatedMlp: true, tiedEmbeddings: true, maxContext: 131072 },
    norm: 'rmsnorm',
    source: `${HF} ibm-granite/granite-3.1-2b (hidden 2048, 40 layers, intermediate 8192, vocab 49155, tied; 2.53 B parameters)`,
  }),
  model({
    id: 'gpt-oss-20b',
    aliases: ['openai/gpt-oss-20b', 'gpt-oss-20b'],
    name: 'gpt-oss 20B (MoE, mxfp4 experts)',
    nominalParamsB: 20.9,
    architecture: { layers: 24, hidden: 2880, heads: 64, kvHeads: 8, headDim: 64, ffn: 2880, vocab: 201088, gatedMlp: true, tiedEmbeddings: false, maxContext: 131072, slidingWindow: 128, moe: { experts: 32, activeExperts: 4, expertFfn: 2880 } },
    norm: 'rmsnorm',
    totalParams: 20.9e9,
    activeParams: 3.6e9,
    slidingWindowLayers: 'alternate',
    weightFormat: weightFormatFromQuantConfig({ quant_method: 'mxfp4' }) as WeightFormat,
    source: `${HF} openai/gpt-oss-20b (GptOssForCausalLM: 24 layers alternating sliding_attention (window 128) and full_attention, hidden 2880, 64 heads, 8 KV heads, head_dim 64, 32 local experts top-4 of intermediate 2880, quantization_config mxfp4); 20.9 B total / 3.6 B active (model card)`,
  }),
  model({
    id: 'gpt-oss-120b',
    aliases: ['openai/gpt-oss-120b', 'gpt-oss-120b'],
    name: 'gpt-oss 120B (MoE, mxfp4 experts)',
    nominalParamsB: 116.8,
    architecture: { layers: 36, hidden: 2880, heads: 64, kvHeads: 8, headDim: 64, ffn: 2880, vocab: 201088, gatedMlp: true, tiedEmbeddings: false, maxContext: 131072, slidingWindow: 128, moe: { experts: 128, activeExperts: 4, expertFfn: 2880 } },
    norm: 'rmsnorm',
    totalParams: 116.8e9,
    activeParams: 5.1e9,
    slidingWindowLayers: 'alternate',
    weightFormat: weightFormatFromQuantConfig({ quant_method: 'mxfp4' }) as WeightFormat,
    source: `${HF} openai/gpt-oss-120b (as the 20B with 36 layers and 128 experts top-4, mxfp4 experts); 116.8 B total / 5.1 B active (model card)`,
  }),
  model({
    id: 'kimi-k2',
    aliases: ['moonshotai/Kimi-K2-Instruct', 'moonshotai/Kimi-K2-Base', 'moonshotai/Kimi-K2-Instruct-0905', 'kimi-k2-instruct'],
    name: 'Kimi K2 1T (MoE, MLA)',
    nominalParamsB: 1040,
    architecture: KIMI_K2,
    norm: 'rmsnorm',
    totalParams: 1.04e12,
    activeParams: 32.6e9,
    weightFormat: { label: 'fp8 (128×128 blocks, as released): 8 bits per weight', family: 'fp8', bitsPerWeight: 8, scope: 'linear' },
    source: `${HF} moonshotai/Kimi-K2 (DeepSeek-V3 layout: hidden 7168, 61 layers, 64 heads, kv_lora_rank 512, qk_rope_head_dim 64, v_head_dim 128, 384 routed + 1 shared experts top-8 of 2048, first_k_dense_replace 1, vocab 163840; the 0905/Thinking releases extend max_position_embeddings to 262144); 1.04 T total / 32.6 B active (Kimi K2 report); released as fp8 blocks`,
  }),
  model({
    id: 'kimi-k2-thinking',
    aliases: ['moonshotai/Kimi-K2-Thinking', 'kimi-k2-thinking'],
    name: 'Kimi K2 Thinking 1T (MoE, MLA; int4 routed experts)',
    nominalParamsB: 1040,
    architecture: { ...KIMI_K2, maxContext: 262144 },
    norm: 'rmsnorm',
    totalParams: 1.04e12,
    activeParams: 32.6e9,
    // The release's quantization_config (quantization-aware trained): compressed-tensors pack-quantized, symmetric int4, group 32,
    // targets Linear, ignore lm_head, self_attn, shared_experts and the dense layer's MLP: only the routed experts are int4.
    weightFormat: weightFormatFromQuantConfig({
      quant_method: 'compressed-tensors',
      format: 'pack-quantized',
      config_groups: { group_0: { targets: ['Linear'], weights: { num_bits: 4, group_size: 32, strategy: 'group', symmetric: true, type: 'int', dynamic: false } } },
      ignore: ['lm_head', 're:.*self_attn.*', 're:.*shared_experts.*', 're:.*mlp\\.(gate|up|gate_up|down)_proj.*'],
    }) as WeightFormat,
    source: `${HF} moonshotai/Kimi-K2-Thinking (the Kimi K2 architecture, max_position_embeddings 262144; released with int4 QAT routed experts: compressed-tensors int4 group 32, attention, shared experts, the dense layer and lm_head in bf16, some 594 GB)`,
  }),
  model({
    id: 'qwen1.5-moe-a2.7b',
    aliases: ['Qwen/Qwen1.5-MoE-A2.7B', 'Qwen/Qwen1.5-MoE-A2.7B-Chat', 'qwen1.5-moe'],
    name: 'Qwen1.5-MoE-A2.7B (14.3B MoE)',
    nominalParamsB: 14.3,
    architecture: { layers: 24, hidden: 2048, heads: 16, kvHeads: 16, headDim: 128, ffn: 5632, vocab: 151936, gatedMlp: true, tiedEmbeddings: false, maxContext: 8192, moe: { experts: 60, activeExperts: 4, sharedExperts: 4, expertFfn: 1408 } },
    norm: 'rmsnorm',
    totalParams: 14.3e9,
    activeParams: 2.7e9,
    source: `${HF} Qwen/Qwen1.5-MoE-A2.7B (Qwen2MoeForCausalLM: 24 layers, hidden 2048, 16 heads, 60 experts top-4 of moe_intermediate_size 1408, shared_expert_intermediate_size 5632 = 4 expert widths, max_position_embeddings 8192; 32768 in the Chat release); 14.3 B total / 2.7 B active (model card)`,
  }),
  // Entered 2026-12-07 to close KV13-01..05's gaps (rows whose model the catalog lacked), from their published configs.
  model({
    id: 'glm-4.6',
    aliases: ['zai-org/GLM-4.6', 'zai-org/GLM-4.7', 'glm-4.7'],
    name: 'GLM-4.6 355B-A32B (MoE)',
    nominalParamsB: 355,
    architecture: { ...GLM45, maxContext: 202752 },
    norm: 'rmsnorm',
    source: `${HF} zai-org/GLM-4.7 (Glm4MoeForCausalLM, as dumped at revision 602d01e in rengzhengcodes/SmolBench scripts/arch/arch_configs_raw.json: 92 layers, hidden 5120, 96 heads / 8 KV heads × 128, intermediate_size 12288 for the first_k_dense_replace 3 dense layers, 160 routed experts of moe_intermediate_size 1536 top-8 + 1 shared, vocab 151552, num_nextn_predict_layers 1, max_position_embeddings 202752); GLM-4.5, 4.6 and 4.7 differ only in max_position_embeddings (131072 → 202752, a diff quoted in the same project); 355 B total / 32 B active (GLM-4.5 report)`,
  }),
  model({
    id: 'glm-4.5',
    aliases: ['zai-org/GLM-4.5', 'zai-org/GLM-4.5-Base'],
    name: 'GLM-4.5 355B-A32B (MoE)',
    nominalParamsB: 355,
    architecture: GLM45,
    norm: 'rmsnorm',
    source: `${HF} zai-org/GLM-4.5 (GLM-4.6's layout with max_position_embeddings 131072); 355 B total / 32 B active (GLM-4.5 report, arXiv 2508.06471)`,
  }),
  // GLM-5 (GlmMoeDsaForCausalLM): MLA with DeepSeek Sparse Attention's indexer; 5.1 has the same config.json.
  model({
    id: 'glm-5',
    aliases: ['zai-org/GLM-5', 'zai-org/GLM-5.1', 'glm-5.1'],
    name: 'GLM-5 744B-A40B (MoE, MLA, sparse attention)',
    nominalParamsB: 744,
    architecture: GLM5,
    norm: 'rmsnorm',
    source: `${HF} zai-org/GLM-5 and zai-org/GLM-5.1 (glm_moe_dsa, as vendored in ai-dynamo/aiconfigurator aic-core/src/aiconfigurator_core/model_configs at 0b077da and e418fe2; the two differ only in transformers_version): 78 layers + 1 MTP, hidden 6144, 64 heads, q_lora_rank 2048, kv_lora_rank 512, qk_nope/rope 192/64, v_head_dim 256, intermediate_size 12288 for the first_k_dense_replace 3 dense layers, 256 routed experts of 2048 top-8 + 1 shared, vocab 154880, untied, max_position_embeddings 202752; index_n_heads 32, index_head_dim 128, index_topk 2048; bf16 (the -FP8 releases: fp8 128×128 blocks); 744 B total / 40 B active (zai-org/GLM-5 README). NVIDIA's NVFP4 releases keep attention and the indexer in bf16 (hybridNamedFormat)`,
  }),
  model({
    id: 'glm-5.2',
    aliases: ['zai-org/GLM-5.2', 'zai-org/GLM-5.3', 'glm-5.3'],
    name: 'GLM-5.2 744B-A40B (MoE, MLA, sparse attention with IndexShare)',
    nominalParamsB: 744,
    architecture: { ...GLM5, maxContext: 1048576, mla: { ...GLM5.mla!, indexer: { ...GLM5.mla!.indexer!, layers: 21 } } },
    norm: 'rmsnorm',
    source: `${HF} zai-org/GLM-5.2 (as vendored in ai-dynamo/aiconfigurator at e418fe2): GLM-5's sizes with max_position_embeddings 1048576 (rope_theta 8e6) and IndexShare: indexer_types gives 21 of the 78 layers an indexer of their own ("full"), the other 57 reuse an earlier layer's top-k ("shared"; the FP8 release carries indexer weights for 22 layers, with the MTP layer's); GLM-5.3 is published as byte-compatible with 5.2 (its configs in aiconfigurator PR #1557 are copies of 5.2's)`,
  }),
  model({
    id: 'minimax-m2',
    aliases: ['MiniMaxAI/MiniMax-M2', 'MiniMaxAI/MiniMax-M2.1', 'MiniMaxAI/MiniMax-M2.5'],
    name: 'MiniMax-M2 230B-A10B (MoE)',
    nominalParamsB: 230,
    architecture: MINIMAX_M2,
    norm: 'rmsnorm',
    // Released in fp8: quantization_config { quant_method: fp8, fmt: float8_e4m3fn, weight_block_size: [128, 128] }, gate and lm_head kept.
    weightFormat: weightFormatFromQuantConfig({ quant_method: 'fp8', fmt: 'float8_e4m3fn', activation_scheme: 'dynamic', weight_block_size: [128, 128] }) as WeightFormat,
    source: `${HF} MiniMaxAI/MiniMax-M2 (MiniMaxM2ForCausalLM: 62 layers, hidden 3072, 48 heads / 8 KV heads × 128, rotary_dim 64, 256 local experts of intermediate_size 1536 top-8, no shared expert, vocab 200064, 3 MTP modules of one layer, max_position_embeddings 196608, released in fp8 128×128 blocks; M2.1 and M2.5 the same layout, as copied in public configs and tests); 230 B total / 10 B active (transformers docs model_doc/minimax_m2.md)`,
  }),
  model({
    id: 'minimax-m2.7',
    aliases: ['MiniMaxAI/MiniMax-M2.7'],
    name: 'MiniMax-M2.7 230B-A10B (MoE)',
    nominalParamsB: 230,
    architecture: { ...MINIMAX_M2, maxContext: 204800 },
    norm: 'rmsnorm',
    weightFormat: weightFormatFromQuantConfig({ quant_method: 'fp8', fmt: 'float8_e4m3fn', activation_scheme: 'dynamic', weight_block_size: [128, 128] }) as WeightFormat,
    source: `${HF} MiniMaxAI/MiniMax-M2.7 (as dumped in a public model report: MiniMax-M2's layout with max_position_embeddings 204800, fp8 128×128 blocks); safetensors total 228.7 B (same report)`,
  }),
  model({
    id: 'seed-oss-36b',
    aliases: ['ByteDance-Seed/Seed-OSS-36B-Instruct', 'ByteDance-Seed/Seed-OSS-36B-Base', 'ByteDance-Seed/Seed-OSS-36B-Base-woSyn'],
    name: 'Seed-OSS 36B',
    nominalParamsB: 36,
    architecture: { layers: 64, hidden: 5120, heads: 80, kvHeads: 8, headDim: 128, ffn: 27648, vocab: 155136, gatedMlp: true, tiedEmbeddings: false, maxContext: 524288 },
    norm: 'rmsnorm',
    source: `${HF} ByteDance-Seed/Seed-OSS-36B-Instruct (SeedOssForCausalLM: 64 layers, hidden 5120, 80 heads / 8 KV heads × 128, intermediate_size 27648, vocab 155136, max_position_embeddings 524288, untied; Base and Base-woSyn the same, as summarised from the raw configs in a public snapshot); 36.15 B parameters (its safetensors index)`,
  }),
  // Entered 2026-12-07 from their published configs: the most served open vision-language line, whose dummy video vLLM's
  // profile run makes frames of the largest image (VisionEncoder.dummyVideo). Totals by Gantry's count, checked
  // against the published checkpoints (Qwen2.5-VL-7B 8,292,166,656 parameters, Qwen2-VL-7B 8,291,375,616, Qwen2-VL-2B 2.21 B).
  model({
    id: 'qwen2.5-vl-3b',
    aliases: ['Qwen/Qwen2.5-VL-3B-Instruct'],
    name: 'Qwen2.5-VL 3B (vision-language)',
    nominalParamsB: 3.75,
    architecture: { layers: 36, hidden: 2048, heads: 16, kvHeads: 2, headDim: 128, ffn: 11008, vocab: 151936, gatedMlp: true, tiedEmbeddings: true, maxContext: 128000, vision: qwen2VlVision(0.669e9) },
    norm: 'rmsnorm',
    extraParams: 0.669e9,
    source: `${QWEN25_VL_SOURCE}: 3B text 36 layers, hidden 2048, 16 heads / 2 KV heads × 128, intermediate 11008, vocab 151936, tied, max_position_embeddings 128000; vision intermediate 3420, out_hidden_size 2048`,
  }),
  model({
    id: 'qwen2.5-vl-7b',
    aliases: ['Qwen/Qwen2.5-VL-7B-Instruct'],
    name: 'Qwen2.5-VL 7B (vision-language)',
    nominalParamsB: 8.29,
    architecture: { layers: 28, hidden: 3584, heads: 28, kvHeads: 4, headDim: 128, ffn: 18944, vocab: 152064, gatedMlp: true, tiedEmbeddings: false, maxContext: 128000, vision: qwen2VlVision(0.677e9) },
    norm: 'rmsnorm',
    extraParams: 0.677e9,
    source: `${QWEN25_VL_SOURCE}: 7B text 28 layers, hidden 3584, 28 heads / 4 KV heads × 128, intermediate 18944, vocab 152064, untied, max_position_embeddings 128000; vision intermediate 3420, out_hidden_size 3584; 8.292 B by its checkpoint (676.6 M vision)`,
  }),
  model({
    id: 'qwen2.5-vl-32b',
    aliases: ['Qwen/Qwen2.5-VL-32B-Instruct'],
    name: 'Qwen2.5-VL 32B (vision-language)',
    nominalParamsB: 33.5,
    architecture: { layers: 64, hidden: 5120, heads: 40, kvHeads: 8, headDim: 128, ffn: 27648, vocab: 152064, gatedMlp: true, tiedEmbeddings: false, maxContext: 128000, vision: qwen2VlVision(0.689e9, { ffn: 3456 }) },
    norm: 'rmsnorm',
    extraParams: 0.689e9,
    source: `${QWEN25_VL_SOURCE}: 32B text 64 layers, hidden 5120, 40 heads / 8 KV heads × 128, intermediate 27648, vocab 152064, untied, max_position_embeddings 128000; vision intermediate 3456, out_hidden_size 5120 (its re-saved vision_config omits the rest: transformers' defaults)`,
  }),
  model({
    id: 'qwen2.5-vl-72b',
    aliases: ['Qwen/Qwen2.5-VL-72B-Instruct'],
    name: 'Qwen2.5-VL 72B (vision-language)',
    nominalParamsB: 73.4,
    architecture: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, headDim: 128, ffn: 29568, vocab: 152064, gatedMlp: true, tiedEmbeddings: false, maxContext: 128000, vision: qwen2VlVision(0.705e9, { ffn: 3456 }) },
    norm: 'rmsnorm',
    extraParams: 0.705e9,
    source: `${QWEN25_VL_SOURCE}: 72B text 80 layers, hidden 8192, 64 heads / 8 KV heads × 128, intermediate 29568, vocab 152064, untied, max_position_embeddings 128000; vision intermediate 3456, out_hidden_size 8192`,
  }),
  model({
    id: 'qwen2-vl-2b',
    aliases: ['Qwen/Qwen2-VL-2B-Instruct'],
    name: 'Qwen2-VL 2B (vision-language)',
    nominalParamsB: 2.21,
    architecture: { layers: 28, hidden: 1536, heads: 12, kvHeads: 2, headDim: 128, ffn: 8960, vocab: 151936, gatedMlp: true, tiedEmbeddings: true, maxContext: 32768, vision: qwen2VlVision(0.665e9, { ffn: 5120, gatedMlp: false }) },
    norm: 'rmsnorm',
    extraParams: 0.665e9,
    source: `${QWEN2_VL_SOURCE}: 2B text 28 layers, hidden 1536, 12 heads / 2 KV heads × 128, intermediate 8960, vocab 151936, tied, max_position_embeddings 32768; vision embed_dim 1280, mlp_ratio 4; 2.21 B as Hugging Face gives its derivatives`,
  }),
  model({
    id: 'qwen2-vl-7b',
    aliases: ['Qwen/Qwen2-VL-7B-Instruct'],
    name: 'Qwen2-VL 7B (vision-language)',
    nominalParamsB: 8.29,
    architecture: { layers: 28, hidden: 3584, heads: 28, kvHeads: 4, headDim: 128, ffn: 18944, vocab: 152064, gatedMlp: true, tiedEmbeddings: false, maxContext: 32768, vision: qwen2VlVision(0.676e9, { ffn: 5120, gatedMlp: false }) },
    norm: 'rmsnorm',
    extraParams: 0.676e9,
    source: `${QWEN2_VL_SOURCE}: 7B text 28 layers, hidden 3584, 28 heads / 4 KV heads × 128, intermediate 18944, vocab 152064, untied, max_position_embeddings 32768; vision embed_dim 1280, mlp_ratio 4; 8.291 B by its checkpoint's size`,
  }),
  model({
    id: 'qwen2-vl-72b',
    aliases: ['Qwen/Qwen2-VL-72B-Instruct'],
    name: 'Qwen2-VL 72B (vision-language)',
    nominalParamsB: 73.4,
    architecture: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, headDim: 128, ffn: 29568, vocab: 152064, gatedMlp: true, tiedEmbeddings: false, maxContext: 32768, vision: qwen2VlVision(0.699e9, { ffn: 5120, gatedMlp: false }) },
    norm: 'rmsnorm',
    extraParams: 0.699e9,
    source: `${QWEN2_VL_SOURCE}: 72B text 80 layers, hidden 8192, 64 heads / 8 KV heads × 128, intermediate 29568, vocab 152064, untied, max_position_embeddings 32768; vision embed_dim 1280, mlp_ratio 4`,
  }),
  // Entered 2026-12-07 to close KV16-05/09/10's gaps, from copies of their published configs (vision parameters by
  // Gantry's count of each vision_config: Qwen3-VL-8B's 0.576 B is its checkpoint's 576.4 M).
  model({
    id: 'qwen3-vl-8b',
    aliases: ['Qwen/Qwen3-VL-8B-Instruct', 'Qwen/Qwen3-VL-8B-Thinking'],
    name: 'Qwen3-VL 8B (vision-language)',
    nominalParamsB: 8.8,
    architecture: { layers: 36, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 12288, vocab: 151936, gatedMlp: true, tiedEmbeddings: false, maxContext: 262144, vision: qwen3VlVision(0.576e9) },
    norm: 'rmsnorm',
    extraParams: 0.576e9,
    source: `${HF} Qwen/Qwen3-VL-8B-Instruct (Qwen3VLForConditionalGeneration, as copied in a TensorRT-LLM test and matching its GGUF metadata: text 36 layers, hidden 4096, 32 heads / 8 KV heads × 128, intermediate 12288, vocab 151936, untied, max_position_embeddings 262144; vision_config depth 27, hidden 1152, intermediate 4304, patch 16, temporal 2, merge 2, out_hidden_size 4096, deepstack_visual_indexes [8, 16, 24]; preprocessor longest_edge 16777216); 8.77 B by its checkpoint (0.576 B vision + 8.19 B language model)`,
  }),
  model({
    id: 'qwen3-vl-4b',
    aliases: ['Qwen/Qwen3-VL-4B-Instruct', 'Qwen/Qwen3-VL-4B-Thinking'],
    name: 'Qwen3-VL 4B (vision-language)',
    nominalParamsB: 4.4,
    architecture: { layers: 36, hidden: 2560, heads: 32, kvHeads: 8, headDim: 128, ffn: 9728, vocab: 151936, gatedMlp: true, tiedEmbeddings: true, maxContext: 262144, vision: qwen3VlVision(0.415e9, { hidden: 1024, ffn: 4096 }) },
    norm: 'rmsnorm',
    extraParams: 0.415e9,
    source: `${HF} Qwen/Qwen3-VL-4B-Instruct (as copied in a public port: text 36 layers, hidden 2560, 32 heads / 8 KV heads × 128, intermediate 9728, vocab 151936, tied, max_position_embeddings 262144; vision_config depth 24, hidden 1024, intermediate 4096, out_hidden_size 2560, deepstack [5, 11, 17])`,
  }),
  model({
    id: 'qwen3-vl-2b',
    aliases: ['Qwen/Qwen3-VL-2B-Instruct', 'Qwen/Qwen3-VL-2B-Thinking'],
    name: 'Qwen3-VL 2B (vision-language)',
    nominalParamsB: 2.1,
    architecture: { layers: 28, hidden: 2048, heads: 16, kvHeads: 8, headDim: 128, ffn: 6144, vocab: 151936, gatedMlp: true, tiedEmbeddings: true, maxContext: 262144, vision: qwen3VlVision(0.407e9, { hidden: 1024, ffn: 4096 }) },
    norm: 'rmsnorm',
    extraParams: 0.407e9,
    source: `${HF} Qwen/Qwen3-VL-2B-Instruct, the copy vendored in ai-dynamo/aiconfigurator (aic-core/src/aiconfigurator_core/model_configs, commit 095f58a): text 28 layers, hidden 2048, 16 heads / 8 KV heads × 128, intermediate 6144, vocab 151936, tied, max_position_embeddings 262144; vision_config depth 24, hidden 1024, intermediate 4096, patch 16, temporal 2, merge 2, out_hidden_size 2048, deepstack [5, 11, 17]); 2.13 B by Gantry's count (0.407 B vision), as its 4.26 GB bf16 model.safetensors`,
  }),
  model({
    id: 'qwen3-vl-30b-a3b',
    aliases: ['Qwen/Qwen3-VL-30B-A3B-Instruct', 'Qwen/Qwen3-VL-30B-A3B-Thinking'],
    name: 'Qwen3-VL 30B-A3B (MoE, vision-language)',
    nominalParamsB: 31,
    architecture: { layers: 48, hidden: 2048, heads: 32, kvHeads: 4, headDim: 128, ffn: 6144, vocab: 151936, gatedMlp: true, tiedEmbeddings: false, maxContext: 262144, moe: { experts: 128, activeExperts: 8, expertFfn: 768 }, vision: qwen3VlVision(0.538e9) },
    norm: 'rmsnorm',
    extraParams: 0.538e9,
    source: `${HF} Qwen/Qwen3-VL-30B-A3B-Instruct (Qwen3VLMoeForConditionalGeneration at commit 1fc78ad, as transcribed in a public test: text 48 layers, hidden 2048, 32 heads / 4 KV heads × 128, 128 experts of moe_intermediate_size 768 top-8, no shared expert, vocab 151936, untied, max_position_embeddings 262144; vision_config as the 8B's with out_hidden_size 2048)`,
  }),
  model({
    id: 'qwen3-vl-32b',
    aliases: ['Qwen/Qwen3-VL-32B-Instruct', 'Qwen/Qwen3-VL-32B-Thinking'],
    name: 'Qwen3-VL 32B (vision-language)',
    nominalParamsB: 33,
    architecture: { layers: 64, hidden: 5120, heads: 64, kvHeads: 8, headDim: 128, ffn: 25600, vocab: 151936, gatedMlp: true, tiedEmbeddings: false, maxContext: 262144, vision: qwen3VlVision(0.595e9) },
    norm: 'rmsnorm',
    extraParams: 0.595e9,
    source: `${HF} Qwen/Qwen3-VL-32B-Instruct (as copied in a public crate: text 64 layers, hidden 5120, 64 heads / 8 KV heads × 128, intermediate 25600, vocab 151936, max_position_embeddings 262144; vision_config as the 8B's with out_hidden_size 5120; tie_word_embeddings not in that copy, taken as the 8B's, untied)`,
  }),
  model({
    id: 'qwen3-vl-235b-a22b',
    aliases: ['Qwen/Qwen3-VL-235B-A22B-Instruct', 'Qwen/Qwen3-VL-235B-A22B-Thinking'],
    name: 'Qwen3-VL 235B-A22B (MoE, vision-language)',
    nominalParamsB: 236,
    architecture: { layers: 94, hidden: 4096, heads: 64, kvHeads: 4, headDim: 128, ffn: 12288, vocab: 151936, gatedMlp: true, tiedEmbeddings: false, maxContext: 262144, moe: { experts: 128, activeExperts: 8, expertFfn: 1536 }, vision: qwen3VlVision(0.576e9) },
    norm: 'rmsnorm',
    extraParams: 0.576e9,
    source: `${HF} Qwen/Qwen3-VL-235B-A22B-Instruct, the copy vendored in ai-dynamo/aiconfigurator (aic-core/src/aiconfigurator_core/model_configs, commit 095f58a): text 94 layers, hidden 4096, 64 heads / 4 KV heads × 128, 128 experts of moe_intermediate_size 1536 top-8, no shared expert, vocab 151936, untied, max_position_embeddings 262144; vision_config as the 8B's with out_hidden_size 4096); 235.7 B by Gantry's count (22.2 B active), as its published 235B-A22B`,
  }),
  model({
    id: 'qwen3.5-122b-a10b',
    aliases: ['Qwen/Qwen3.5-122B-A10B'],
    name: 'Qwen3.5 122B-A10B (hybrid MoE, vision-language)',
    nominalParamsB: 122,
    architecture: {
      layers: 48,
      hidden: 3072,
      heads: 32,
      kvHeads: 2,
      headDim: 256,
      ffn: 1024,
      vocab: 248320,
      gatedMlp: true,
      tiedEmbeddings: false,
      maxContext: 262144,
      moe: { experts: 256, activeExperts: 8, expertFfn: 1024, sharedExperts: 1 },
      linearAttention: { layers: 36, keyHeads: 16, valueHeads: 64, keyHeadDim: 128, valueHeadDim: 128, convKernel: 4, stateDtype: 'fp32' },
      attentionOutputGate: true,
      mtpLayers: 1,
      vision: { ...QWEN35_VISION, params: 0.451e9 },
    },
    norm: 'rmsnorm',
    extraParams: 0.451e9,
    source: `Qwen3_5MoeForConditionalGeneration text_config as an adapter pinned to the 122B checkpoint checks it (48 layers with full_attention_interval 4, hidden 3072, 32 heads / 2 KV heads × 256, linear_* 16 key / 64 value heads × 128, conv 4, attn_output_gate, 256 experts of moe_intermediate_size 1024 top-8 + a shared expert of 1024, vocab 248320, mtp_num_hidden_layers 1) and a spec keyed to Qwen/Qwen3.5-122B-A10B; vision 27 layers of 1152 with out_hidden_size 3072; context 262,144 and 122 B total / 10 B active (deployment pages; the config.json itself not seen; untied embeddings taken as the 35B-A3B's)`,
  }),
  model({
    id: 'exaone-4.0-32b',
    aliases: ['LGAI-EXAONE/EXAONE-4.0-32B', 'exaone-4.0'],
    name: 'EXAONE 4.0 32B',
    nominalParamsB: 32,
    // layer_types: three sliding_attention (window 4096) then one full_attention, 16 times.
    architecture: { layers: 64, hidden: 5120, heads: 40, kvHeads: 8, headDim: 128, ffn: 27392, vocab: 102400, gatedMlp: true, tiedEmbeddings: false, maxContext: 131072, slidingWindow: 4096, globalAttention: { layers: 16 } },
    norm: 'rmsnorm',
    source: `${HF} LGAI-EXAONE/EXAONE-4.0-32B (Exaone4ForCausalLM at revision a1d54d1, as dumped in rengzhengcodes/SmolBench scripts/arch/arch_configs_raw.json: 64 layers, hidden 5120, 40 heads / 8 KV heads × 128, intermediate_size 27392, vocab 102400, sliding_window 4096 with sliding_window_pattern "LLLG", max_position_embeddings 131072); 30.95 B parameters without embeddings (model card)`,
  }),
];

// The Qwen2.5 Instruct releases of 1.5B to 72B publish max_position_embeddings 32768 where their base models have 131072
// (the Instruct model cards: 32,768 native, YaRN beyond): vLLM and SGLang take that as the default context and refuse a
// longer --max-model-len without VLLM_ALLOW_LONG_MAX_MODEL_LEN. Same weights and shape as the base entry, each after it.
export const MODELS: readonly ModelInfo[] = ENTRIES.flatMap((m) => {
  const size = QWEN25_INSTRUCT.find((x) => m.id === `qwen2.5-${x}`);
  return size ? [m, qwen25Instruct(m, size)] : [m];
});

const SUFFIXES = /-(instruct|it|hf|chat|base|pt)(-\d+)?$/;

function normalize(s: string): string {
  return s
    .toLowerCase()
    .trim()
    .replace(/[\s_]+/g, '-');
}

const MODEL_INDEX = new Map<string, ModelInfo>();
for (const m of MODELS) {
  for (const k of [m.id, ...m.aliases]) {
    MODEL_INDEX.set(normalize(k), m);
    const short = normalize(k).split('/').pop()!;
    if (!MODEL_INDEX.has(short)) MODEL_INDEX.set(short, m);
  }
}

/** Finds a model by id, alias or Hugging Face repo id (case-insensitive; an org prefix and an -instruct/-it/-hf suffix are optional). */
export function findModel(idOrAlias: string): ModelInfo | undefined {
  if (typeof idOrAlias !== 'string' || !idOrAlias.trim()) return undefined;
  const k = normalize(idOrAlias);
  const short = k.split('/').pop()!;
  return MODEL_INDEX.get(k) ?? MODEL_INDEX.get(short) ?? MODEL_INDEX.get(short.replace(SUFFIXES, ''));
}

/**
 * A model name resolved through the catalog, derivatives included: `RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic`
 * is Llama 3.1 8B with fp8 weights. `derivedFrom` is set when the name was not a catalog name itself.
 */
export interface ResolvedName {
  model: ModelInfo;
  weightFormat?: WeightFormat;
  derivedFrom?: string;
}

export function resolveModelName(name: string): ResolvedName | undefined {
  if (typeof name !== 'string' || name.length > 300) return undefined;
  // A folder named with a trailing slash (`/models/Qwen3-8B/`) is that folder.
  let end = name.trim();
  while (end.endsWith('/')) end = end.slice(0, -1);
  const direct = findModel(end);
  if (direct) return { model: direct, weightFormat: direct.weightFormat };
  const short = end.split('/').pop() ?? '';
  const { base, format, stripped } = splitDerivativeName(short);
  if (!stripped.length) return undefined;
  // The longest name the catalog has: a dated revision with an entry of its own (`-Instruct-2507` of `-Instruct-2507-FP8`) before the base.
  let model: ModelInfo | undefined;
  for (let k = stripped.length - 1; k >= 0 && !model; k--) model = findModel([base, ...stripped.slice(0, k)].join('-'));
  if (!model) return undefined;
  const named = format ? hybridNamedFormat(format, model.architecture, model.id, end.includes('/') ? end.split('/')[0] : undefined) : undefined;
  return { model, weightFormat: named ?? model.weightFormat, derivedFrom: `${name} read as ${model.name} (${model.id})${named ? `, weights ${named.label}` : ''}` };
}

export const MODEL_IDS: readonly string[] = MODELS.map((m) => m.id);

/** The Hugging Face repo id an engine loads for a catalog model (`meta-llama/Llama-3.1-70B`): its first org/name alias. */
export function huggingFaceRepo(m: ModelInfo): string | undefined {
  return m.aliases.find((a) => /^[\w.-]+\/[\w.-]+$/.test(a));
}

let CATALOG_NAMES: Set<string> | undefined;

/** The catalog's models, then the local Hugging Face cache's repos the catalog does not name itself. */
export function modelChoices(localModels: (() => readonly string[]) | undefined): { label: string; detail?: string; doc?: string }[] {
  const catalog = MODELS.map((m) => ({ label: m.id, detail: `${m.nominalParamsB}B`, doc: m.summary }));
  const names = (CATALOG_NAMES ??= new Set(MODELS.flatMap((m) => [m.id, ...m.aliases])));
  const local = (localModels?.() ?? []).filter((id) => !names.has(id));
  return [
    ...catalog,
    ...local.map((id) => {
      const r = resolveModelName(id);
      return { label: id, detail: 'Hugging Face cache', doc: r ? `${r.model.summary}${r.derivedFrom ? `\n\n${r.derivedFrom}` : ''}` : 'In the local Hugging Face cache: its config.json gives the architecture.' };
    }),
  ];
}
