// Reads a Hugging Face config.json (its text) into an Architecture. Field names differ by family:
// llama/mistral/qwen2/qwen3/gemma use num_hidden_layers/hidden_size/num_attention_heads; GPT-2 uses
// n_layer/n_embd/n_head; Falcon num_kv_heads/multi_query; Mixtral num_local_experts; Qwen-MoE
// num_experts + moe_intermediate_size; DeepSeek V2/V3 n_routed_experts, first_k_dense_replace and the
// MLA ranks; Qwen3-Next / Qwen3.5 hybrids their Gated DeltaNet layers (layer_types or
// full_attention_interval, and the linear_* sizes); granite-4.0-h its Mamba2 layers (layer_types
// "mamba", mamba_* sizes); sliding-window models which of their layers are global (layer_types), Gemma 4 the
// global layers' own head width, KV heads and k_eq_v. Multimodal configs (Gemma 3, Llama 4, Mistral 3) keep the language model under text_config;
// their vision_config is counted as a ViT (see `visionParams`). A `quantization_config` (at the top or
// under text_config) sets the weight format (weightFormat.ts).

import type { Architecture, MtpAssistant, VisionEncoder } from '../spec/types';
import { createScanner, type SyntaxKind } from 'jsonc-parser/lib/esm/main.js'; // the ESM build, as core/formats/jsonDoc.ts takes it
import { weightFormatFromQuantConfig, type WeightFormat } from './weightFormat';

export interface HfConfigError {
  message: string;
  /** The config.json field at fault, where there is one. */
  field?: string;
}

export type HfConfigResult =
  | {
      ok: true;
      architecture: Architecture;
      modelType?: string;
      warnings: string[];
      /** The checkpoint's weight format, from quantization_config. */
      weightFormat?: WeightFormat;
      /** Parameters of the vision tower and projector (vision_config), counted on top of the language model. */
      visionParams?: number;
      /** Parameters of Gemma 4's per-layer embeddings (hidden_size_per_layer_input), counted on top of the language model. */
      perLayerEmbeddingParams?: number;
      /** The config has a vision_config (a vision-language model), whether or not its values could be used. */
      hasVision?: boolean;
    }
  | { ok: false; errors: HfConfigError[] };

/**
 * A ViT's parameters from a vision_config: per layer 4·h² (QKV + output) + 2·h·ffn (MLP, 3·h·ffn when
 * gated) + norms, the patch embedding, plus a two-layer projector to the language model's width
 * (LLaVA's mlp2x: h_v·h_t + h_t·h_t). SigLIP-So400m (Gemma 3: 27 layers, 1152, 4304) gives 0.41 B.
 * The Qwen VL line (`qwenMerger`: the model types of QWEN_MAX_PIXELS) projects through its patch merger instead: m² patches of width h
 * concatenated, then m²·h → m²·h → out_hidden_size, once more for each deepstack layer (Qwen3-VL), with a
 * patch embedding over temporal_patch_size frames and a learned position table (num_position_embeddings):
 * Qwen3-VL-8B's vision_config gives 0.576 B, its checkpoint's tower 576.4 M.
 */
export function visionParams(v: Record<string, unknown>, textHidden: number, qwenMerger = false): number | undefined {
  // The first of the keys that is present; a present value that is not a whole number in (0, max] makes the config unusable (NaN).
  const n = (k: string[], max: number) => {
    for (const key of k) {
      const x = v[key];
      if (x === undefined || x === null) continue;
      return typeof x === 'number' && Number.isInteger(x) && x > 0 && x <= max ? x : Number.NaN;
    }
    return undefined;
  };
  const layers = n(['num_hidden_layers', 'depth', 'num_layers'], 1000);
  // Qwen2-VL's vision_config names the ViT's width embed_dim; its hidden_size is the language model's.
  const h = n(['embed_dim', 'hidden_size', 'width'], 65536);
  const ffn = n(['intermediate_size', 'mlp_dim'], 262144) ?? (h ?? 0) * 4;
  const image = n(['image_size'], 16384);
  const patch = n(['patch_size'], Math.min(1024, image ?? 1024)) ?? 14;
  const channels = n(['num_channels', 'in_chans', 'in_channels'], 16) ?? 3;
  if (!layers || !h || [ffn, patch, channels].some((x) => Number.isNaN(x))) return undefined;
  const gated = v.hidden_act === 'silu' || v.hidden_act === 'swiglu';
  const perLayer = 4 * h * h + (gated ? 3 : 2) * h * ffn + 4 * h;
  const outHidden = n(['out_hidden_size', 'projection_dim'], 262144) ?? textHidden;
  if (Number.isNaN(outHidden)) return undefined;
  // The same bound on the merge as the encoder's profile takes (visionEncoderOf).
  const merge = qwenMerger ? (n(['spatial_merge_size'], 64) ?? 2) : undefined;
  if (merge !== undefined) {
    const temporal = n(['temporal_patch_size'], 16) ?? 1;
    const positions = n(['num_position_embeddings'], 1 << 20) ?? 0;
    if ([merge, temporal, positions].some((x) => Number.isNaN(x))) return undefined;
    const deepstack = Array.isArray(v.deepstack_visual_indexes) ? Math.min(v.deepstack_visual_indexes.length, layers) : 0;
    const merged = merge * merge * h;
    const merger = merged * merged + merged * outHidden;
    return layers * perLayer + temporal * patch * patch * channels * h + positions * h + (1 + deepstack) * merger;
  }
  return layers * perLayer + patch * patch * channels * h + h * outHidden + outHidden * textHidden;
}

type Json = Record<string, unknown>;

/**
 * The largest image each family's processor makes, in pixels (its max_pixels or longest_edge default; not in
 * config.json): vLLM profiles the encoder with images of this size. Qwen2-VL and Qwen2.5-VL: 12,845,056 = 16,384 ×
 * 28²; Qwen3-VL and Qwen3.5 (which use Qwen3-VL's processor and vision transformer): 16,777,216 = 16,384 × 32².
 */
const QWEN_MAX_PIXELS: Record<string, number> = {
  qwen2_vl: 12845056,
  qwen2_5_vl: 12845056,
  qwen3_vl: 16777216,
  qwen3_vl_moe: 16777216,
  qwen3_5: 16777216,
  qwen3_5_moe: 16777216,
};

/**
 * transformers' defaults for the Qwen2-VL and Qwen2.5-VL vision configs (Qwen2VLVisionConfig, Qwen2_5_VLVisionConfig):
 * a config.json re-saved by transformers (to_diff_dict, as Qwen's own AWQ repos are) leaves out every field equal to
 * them, so they stand for what is left out. Qwen2.5-VL's default width (3584) and output width are never a real tower's:
 * a tower of 1280 always writes hidden_size.
 */
const QWEN2VL_VISION_DEFAULTS: Record<string, Json> = {
  qwen2_vl: { depth: 32, embed_dim: 1280, hidden_act: 'quick_gelu', mlp_ratio: 4, num_heads: 16, in_chans: 3, patch_size: 14, spatial_merge_size: 2, temporal_patch_size: 2 },
  qwen2_5_vl: { depth: 32, hidden_size: 3584, hidden_act: 'silu', intermediate_size: 3420, num_heads: 16, in_chans: 3, patch_size: 14, spatial_merge_size: 2, temporal_patch_size: 2, out_hidden_size: 3584 },
};

/** How each Qwen VL family's processor makes vLLM's dummy video (VisionEncoder.dummyVideo): Qwen2-VL's, or Qwen3-VL's (which Qwen3.5 reuses). */
const DUMMY_VIDEO: Record<string, 'qwen2-vl' | 'qwen3-vl'> = { qwen2_vl: 'qwen2-vl', qwen2_5_vl: 'qwen2-vl', qwen3_vl: 'qwen3-vl', qwen3_vl_moe: 'qwen3-vl', qwen3_5: 'qwen3-vl', qwen3_5_moe: 'qwen3-vl' };

/**
 * The vision encoder as vLLM's profile run sees it (VisionEncoder), for the families whose largest item Gantry
 * knows: the Qwen VL line (patches at the processor's max_pixels, merged spatial_merge_size² to a token; Qwen2-VL
 * names its width embed_dim, hidden_size there being the language model's) and Gemma 3 (SigLIP at image_size,
 * pooled to mm_tokens_per_image). Otherwise a reason, which the estimate states.
 */
export function visionEncoderOf(modelType: string | undefined, v: Json, outer: Json): VisionEncoder | string {
  const n = (k: string[], from: Json = v) => {
    for (const key of k) {
      const x = from[key];
      if (typeof x === 'number' && Number.isInteger(x) && x > 0 && x <= 16777216) return x;
    }
    return undefined;
  };
  const type = modelType ?? '';
  const qwen = QWEN_MAX_PIXELS[type];
  if (qwen) {
    const hidden = type === 'qwen2_vl' ? n(['embed_dim']) : n(['hidden_size']);
    const ffn = type === 'qwen2_vl' ? (hidden && typeof v.mlp_ratio === 'number' && v.mlp_ratio > 0 && v.mlp_ratio <= 64 ? Math.round(hidden * v.mlp_ratio) : undefined) : n(['intermediate_size']);
    const patch = n(['patch_size', 'spatial_patch_size']);
    const merge = n(['spatial_merge_size']) ?? 2;
    const temporal = n(['temporal_patch_size']) ?? 2;
    const channels = n(['in_channels', 'in_chans']) ?? 3;
    if (!hidden || !ffn || !patch || patch > 1024 || merge > 64) return `vision_config of ${type} without a usable width, MLP width or patch size`;
    const side = Math.floor(Math.sqrt(qwen) / (patch * merge)) * merge;
    const patches = side * side;
    if (!plausible(patches, patches / (merge * merge))) return `vision_config of ${type} gives ${patches} patches per image (patch_size ${patch}): not plausible`;
    const deepstack = Array.isArray(v.deepstack_visual_indexes) ? v.deepstack_visual_indexes.length : 0;
    const depth = n(['depth', 'num_hidden_layers']);
    const most = Math.min(64, depth ?? 64);
    if (deepstack > most) return `vision_config deepstack_visual_indexes lists ${deepstack} layers, more than ${most}${depth !== undefined && depth <= 64 ? ` (the tower's depth)` : ''}`;
    return {
      hidden,
      ffn,
      gatedMlp: v.hidden_act === 'silu',
      patchesPerItem: patches,
      tokensPerItem: Math.max(1, Math.floor(patches / (merge * merge))),
      patchInput: channels * temporal * patch * patch,
      video: true,
      ...(Object.hasOwn(DUMMY_VIDEO, type) ? { dummyVideo: DUMMY_VIDEO[type] } : {}),
      ...(deepstack ? { deepstack } : {}),
    };
  }
  if (type === 'gemma3') {
    const hidden = n(['hidden_size']);
    const ffn = n(['intermediate_size']);
    const image = n(['image_size']);
    const patch = n(['patch_size']);
    const tokens = n(['mm_tokens_per_image'], outer) ?? 256;
    if (!hidden || !ffn || !image || !patch || patch > image) return 'vision_config of gemma3 without a usable width, MLP width, image or patch size';
    const side = Math.floor(image / patch);
    if (!plausible(side * side, tokens)) return `vision_config of gemma3 gives ${side * side} patches and ${tokens} tokens per image: not plausible`;
    return { hidden, ffn, gatedMlp: false, patchesPerItem: side * side, tokensPerItem: tokens, patchInput: (n(['num_channels']) ?? 3) * patch * patch };
  }
  return `Gantry does not know the largest image ${type ? `the processor of a '${String(type).slice(0, 40)}' model` : "this model's processor"} makes`;
}

/** A config-derived largest item within reason: at least one patch per embedding, and no more than 2^20 patches (a Qwen image at max_pixels has 65,536). */
function plausible(patches: number, tokens: number): boolean {
  return patches >= 1 && patches <= 1048576 && tokens >= 1 && tokens <= patches;
}

const NON_GATED_TYPES = new Set(['gpt2', 'gpt_neox', 'gptj', 'bert', 'roberta', 'opt', 'phi', 'falcon', 'bloom', 'gpt_bigcode', 'starcoder2', 'mpt']);
const TIED_BY_DEFAULT = new Set(['gpt2', 'gemma', 'gemma2', 'gemma3', 'gemma3_text', 'gemma4', 'gemma4_text', 'bert', 'roberta', 'opt', 'bloom', 'gpt_bigcode', 'starcoder2', 'mpt']);

/** Upper bounds beyond which a value is certainly not a real transformer config. */
const LIMITS: Record<string, number> = {
  layers: 2000,
  hidden: 262144,
  heads: 4096,
  ffn: 4194304,
  vocab: 16777216,
  maxContext: 1 << 30,
};

function pick(cfg: Json, names: string[]): { name: string; value: unknown } | undefined {
  for (const n of names) if (cfg[n] !== undefined && cfg[n] !== null) return { name: n, value: cfg[n] };
  return undefined;
}

/**
 * `text` with Python's non-standard JSON numbers (`NaN`, `Infinity`, `-Infinity`, which Python's json module writes
 * and reads) made standard: `1e999` and `-1e999` (which JSON.parse reads as ±Infinity) and `null`. Undefined when the
 * text has none. One pass of jsonc-parser's scanner, so a word inside a string is left as it is.
 */
function withPythonNumbers(text: string): string | undefined {
  // jsonc-parser's SyntaxKind values (a const enum its typings declare, which isolatedModules cannot read).
  const [unknown, eof] = [16, 17] as SyntaxKind[];
  const scan = createScanner(text, true);
  const parts: string[] = [];
  let from = 0;
  let minusAt = -1;
  for (let t = scan.scan(); t !== eof; t = scan.scan()) {
    if (t !== unknown) {
      minusAt = -1;
      continue;
    }
    const word = scan.getTokenValue();
    const at = scan.getTokenOffset();
    if (word === '-') {
      minusAt = at;
      continue;
    }
    const number = word === 'Infinity' ? '1e999' : word === 'NaN' ? 'null' : undefined;
    if (number === undefined) return undefined;
    const start = minusAt >= 0 && minusAt === at - 1 ? minusAt : at;
    parts.push(text.slice(from, start), start < at ? `-${number}` : number);
    from = at + word.length;
    minusAt = -1;
  }
  if (!parts.length) return undefined;
  parts.push(text.slice(from));
  return parts.join('');
}

/** model_type of Gemma 4's MTP assistant drafters (google/gemma-4-*-assistant). */
const ASSISTANT_TYPES = new Set(['gemma4_assistant', 'gemma4_unified_assistant']);

/**
 * The shape of an MTP assistant drafter from its own config.json (Gemma 4's `gemma4_assistant`, at the top level or in
 * text_config): its layers, width, MLP, query heads and head widths, and lm_head rows. Undefined for any other config.
 */
export function mtpAssistantFromConfig(text: string): MtpAssistant | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const outer = raw as Json;
  const inner = outer.text_config && typeof outer.text_config === 'object' && !Array.isArray(outer.text_config) ? (outer.text_config as Json) : undefined;
  const type = [outer.model_type, inner?.model_type].find((t) => typeof t === 'string' && ASSISTANT_TYPES.has(t));
  if (!type) return undefined;
  const cfg = inner && typeof inner.num_hidden_layers === 'number' ? { ...outer, ...inner } : outer;
  const layers = sizeField(cfg, 'num_hidden_layers');
  const hidden = sizeField(cfg, 'hidden_size');
  const ffn = sizeField(cfg, 'intermediate_size');
  const heads = sizeField(cfg, 'num_attention_heads');
  const vocab = typeof cfg.vocab_size === 'number' && Number.isInteger(cfg.vocab_size) && cfg.vocab_size > 0 && cfg.vocab_size <= 1e7 ? cfg.vocab_size : undefined;
  if (!layers || !hidden || !ffn || !heads || !vocab) return undefined;
  const headDim = sizeField(cfg, 'head_dim') ?? Math.floor(hidden / heads);
  const globalHeadDim = sizeField(cfg, 'global_head_dim');
  const types = cfg.layer_types;
  const globalLayers = Array.isArray(types) ? types.slice(0, layers).filter((t) => t === 'full_attention').length : undefined;
  return { layers, hidden, ffn, heads, headDim, vocab, ...(globalLayers ? { globalLayers } : {}), ...(globalHeadDim ? { globalHeadDim } : {}) };
}

export function parseHfConfig(text: string): HfConfigResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    // transformers writes config.json with Python's json module, which writes NaN and ±Infinity as bare words
    // (NemotronH's and Mamba2's `time_step_limit: [0.0, Infinity]`): read them as those numbers, as Python does.
    const python = withPythonNumbers(text);
    try {
      if (python === undefined) throw e;
      raw = JSON.parse(python);
    } catch {
      return { ok: false, errors: [{ message: `not JSON: ${e instanceof Error ? e.message : String(e)}` }] };
    }
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: [{ message: 'not a Hugging Face config.json: expected a JSON object' }] };
  }
  let cfg = raw as Json;
  const outer = cfg;
  const outerType = typeof cfg.model_type === 'string' ? cfg.model_type : undefined;
  if (cfg.text_config && typeof cfg.text_config === 'object' && !Array.isArray(cfg.text_config)) {
    cfg = { ...(cfg.text_config as Json), tie_word_embeddings: (cfg.text_config as Json).tie_word_embeddings ?? cfg.tie_word_embeddings };
  }
  const modelType = typeof cfg.model_type === 'string' ? cfg.model_type : outerType;
  const errors: HfConfigError[] = [];
  const warnings: string[] = [];

  const int = (key: keyof typeof LIMITS | string, names: string[], required: boolean): number | undefined => {
    const f = pick(cfg, names);
    if (!f) {
      if (required) errors.push({ message: `missing field ${names[0]}${names.length > 1 ? ` (or ${names.slice(1).join(', ')})` : ''}`, field: names[0] });
      return undefined;
    }
    const v = f.value;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      errors.push({ message: `${f.name} must be a positive integer, got ${JSON.stringify(v)}`, field: f.name });
      return undefined;
    }
    const limit = LIMITS[key];
    if (limit !== undefined && v > limit) {
      errors.push({ message: `${f.name} = ${v} is not plausible (more than ${limit})`, field: f.name });
      return undefined;
    }
    return v;
  };

  const layers = int('layers', ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers'], true);
  const hidden = int('hidden', ['hidden_size', 'n_embd', 'd_model', 'dim'], true);
  const heads = int('heads', ['num_attention_heads', 'n_head', 'num_heads', 'n_heads'], true);
  const vocab = int('vocab', ['vocab_size', 'padded_vocab_size'], true);
  let kvHeads = int('heads', ['num_key_value_heads', 'num_kv_heads', 'n_head_kv', 'multi_query_group_num'], false);
  if (kvHeads === undefined && cfg.multi_query === true) kvHeads = 1;
  const headDimField = int('hidden', ['head_dim', 'kv_channels'], false);
  let ffn = int('ffn', ['intermediate_size', 'n_inner', 'ffn_dim', 'ffn_hidden_size'], false);
  const maxContext = int('maxContext', ['max_position_embeddings', 'n_positions', 'max_sequence_length', 'seq_length'], false);

  if (errors.length || layers === undefined || hidden === undefined || heads === undefined || vocab === undefined) {
    return { ok: false, errors: errors.length ? errors : [{ message: 'incomplete config.json' }] };
  }
  // granite-4.0-h without experts: the dense MLP is its shared_intermediate_size.
  const noExperts = !(typeof cfg.num_local_experts === 'number' && cfg.num_local_experts > 1);
  if (noExperts && typeof cfg.shared_intermediate_size === 'number' && cfg.shared_intermediate_size > 0 && cfg.shared_intermediate_size <= LIMITS.ffn) ffn = cfg.shared_intermediate_size;
  if (ffn === undefined) {
    ffn = 4 * hidden;
    warnings.push(`no intermediate_size: assuming 4 × hidden = ${ffn}`);
  }
  if (kvHeads !== undefined && (kvHeads > heads || heads % kvHeads !== 0)) {
    errors.push({ message: `num_key_value_heads (${kvHeads}) must divide num_attention_heads (${heads})`, field: 'num_key_value_heads' });
  }
  if (headDimField === undefined && hidden % heads !== 0) {
    errors.push({ message: `hidden_size (${hidden}) is not a multiple of num_attention_heads (${heads}) and no head_dim is given`, field: 'hidden_size' });
  }
  if (errors.length) return { ok: false, errors };

  const arch: Architecture = { layers, hidden, heads, ffn, vocab };
  if (kvHeads !== undefined) arch.kvHeads = kvHeads;
  if (headDimField !== undefined) arch.headDim = headDimField;
  if (maxContext !== undefined) arch.maxContext = maxContext;
  arch.gatedMlp = modelType ? !NON_GATED_TYPES.has(modelType) : true;
  if (typeof cfg.tie_word_embeddings === 'boolean') arch.tiedEmbeddings = cfg.tie_word_embeddings;
  else arch.tiedEmbeddings = modelType ? TIED_BY_DEFAULT.has(modelType) : false;

  const sw = cfg.sliding_window;
  if (typeof sw === 'number' && sw > 0 && cfg.use_sliding_window !== false) arch.slidingWindow = sw;

  const experts = pick(cfg, ['num_local_experts', 'n_routed_experts', 'num_experts']);
  if (experts && typeof experts.value === 'number' && experts.value > 1) {
    const top = pick(cfg, ['num_experts_per_tok', 'num_experts_per_token', 'moe_top_k', 'top_k_experts']);
    if (!top || typeof top.value !== 'number' || top.value < 1) {
      return { ok: false, errors: [{ message: `${experts.name} is set but num_experts_per_tok is missing`, field: 'num_experts_per_tok' }] };
    }
    const moe: NonNullable<Architecture['moe']> = { experts: experts.value, activeExperts: top.value };
    const shared = cfg.n_shared_experts;
    if (typeof shared === 'number' && shared > 0) moe.sharedExperts = shared;
    const eFfn = pick(cfg, ['moe_intermediate_size', 'expert_intermediate_size']);
    if (eFfn && typeof eFfn.value === 'number') moe.expertFfn = eFfn.value;
    // Qwen2-MoE / Qwen3-Next: one shared expert of shared_expert_intermediate_size, counted in expert widths
    // (Qwen1.5-MoE-A2.7B: 5632 = 4 × 1408).
    const sharedSize = cfg.shared_expert_intermediate_size ?? cfg.shared_intermediate_size;
    if (typeof sharedSize === 'number' && sharedSize > 0 && moe.sharedExperts === undefined) {
      moe.sharedExperts = Math.max(1, Math.round(sharedSize / (moe.expertFfn ?? ffn)));
    }
    // Gemma 4 (enable_moe_block): a dense MLP of intermediate_size runs beside the experts on every layer, counted in
    // expert widths as shared experts (26B-A4B: 2112 = 3 × 704).
    if ((cfg.enable_moe_block === true || cfg.use_second_mlp_block === true) && moe.sharedExperts === undefined && moe.expertFfn) {
      moe.sharedExperts = Math.max(1, Math.round(ffn / moe.expertFfn));
      if (moe.sharedExperts * moe.expertFfn !== ffn) warnings.push(`the dense MLP beside the experts (intermediate_size ${ffn}) is counted as ${moe.sharedExperts} expert widths of ${moe.expertFfn}`);
    }
    if (typeof cfg.first_k_dense_replace === 'number' && cfg.first_k_dense_replace > 0) moe.denseLayers = cfg.first_k_dense_replace;
    if (moe.activeExperts > moe.experts) {
      return { ok: false, errors: [{ message: `num_experts_per_tok (${moe.activeExperts}) exceeds the number of experts (${moe.experts})`, field: 'num_experts_per_tok' }] };
    }
    arch.moe = moe;
  }
  if (typeof cfg.kv_lora_rank === 'number' && cfg.kv_lora_rank > 0) {
    const rope = typeof cfg.qk_rope_head_dim === 'number' ? cfg.qk_rope_head_dim : 64;
    arch.mla = { kvLoraRank: cfg.kv_lora_rank, qkRopeHeadDim: rope };
    const qLora = sizeField(cfg, 'q_lora_rank');
    if (qLora) arch.mla.qLoraRank = qLora;
    if (typeof cfg.v_head_dim === 'number') arch.headDim = cfg.v_head_dim;
    const nope = sizeField(cfg, 'qk_nope_head_dim');
    if (nope && nope !== arch.headDim) arch.mla.qkNopeHeadDim = nope;
    // DeepSeek Sparse Attention (deepseek_v32, glm_moe_dsa): index_topk marks it, as vLLM's config handling reads it.
    const topk = sizeField(cfg, 'index_topk');
    if (topk) {
      const heads = sizeField(cfg, 'index_n_heads') ?? 64;
      const headDim = sizeField(cfg, 'index_head_dim') ?? 128;
      arch.mla.indexer = { heads, headDim, topk };
      // IndexShare (GLM-5.2): only the layers whose indexer_types entry is "full" carry an indexer.
      const types = cfg.indexer_types;
      if (Array.isArray(types) && types.length === layers) {
        const own = types.filter((t) => t === 'full').length;
        if (own > 0 && own < layers) arch.mla.indexer.layers = own;
      }
    }
  }
  const linear = linearAttentionOf(cfg, layers);
  if (typeof linear === 'string') warnings.push(linear);
  else if (linear) arch.linearAttention = linear;
  const nemotron = linear ? undefined : nemotronH(cfg, arch, ffn);
  if (typeof nemotron === 'string') warnings.push(nemotron);
  const mamba = linear || arch.mamba ? undefined : mambaOf(cfg, layers);
  if (typeof mamba === 'string') warnings.push(mamba);
  else if (mamba) arch.mamba = mamba;
  for (const k of ['hybrid_override_pattern', 'layers_block_type', 'attn_type_list']) {
    if (cfg[k] !== undefined && !arch.linearAttention && !arch.mamba) warnings.push(`${k} describes a hybrid layout Gantry does not read: every layer is counted as full attention`);
  }
  if (cfg.attn_output_gate === true) arch.attentionOutputGate = true;
  if (arch.slidingWindow && !arch.linearAttention && !arch.mamba && !arch.mla) {
    const global = globalAttentionFrom(cfg, arch, warnings);
    if (global) arch.globalAttention = global;
  }
  // Gemma 4 E2B/E4B: the last num_kv_shared_layers layers reuse the cache of the last earlier layer of their kind;
  // with use_double_wide_mlp their MLP is twice intermediate_size, averaged into ffn.
  const shared = sizeField(cfg, 'num_kv_shared_layers');
  if (shared && shared < arch.layers && !arch.linearAttention && !arch.mamba && !arch.mla) {
    const types = cfg.layer_types;
    const global = Array.isArray(types) && types.length === arch.layers ? types.slice(arch.layers - shared).filter((t) => t === 'full_attention').length : 0;
    arch.kvShared = global ? { layers: shared, global } : { layers: shared };
    if (cfg.use_double_wide_mlp === true) {
      arch.ffn = Math.round((ffn * (arch.layers + shared)) / arch.layers);
      warnings.push(`use_double_wide_mlp: the ${shared} KV-shared layers' MLP is 2 × ${ffn}, counted as an average width of ${arch.ffn} over the ${arch.layers} layers`);
    }
  } else if (shared) warnings.push(shared >= arch.layers ? `num_kv_shared_layers (${shared}) leaves no layer of the ${arch.layers} with a KV cache of its own: not read` : `num_kv_shared_layers (${shared}) is not read for this model: every layer is counted with a KV cache of its own`);
  // Multi-token-prediction layers (Qwen3.5/3-Next mtp_num_hidden_layers, DeepSeek-V3/GLM num_nextn_predict_layers).
  const mtp = cfg.mtp_num_hidden_layers ?? cfg.num_nextn_predict_layers;
  if (typeof mtp === 'number' && Number.isInteger(mtp) && mtp > 0 && mtp <= 16) arch.mtpLayers = mtp;
  const result: HfConfigResult = { ok: true, architecture: arch, modelType, warnings };
  // Gemma 4's per-layer embeddings: a table of vocab_size_per_layer_input × (layers × width), its projection from
  // the hidden state, and each layer's gate and projection.
  const ple = sizeField(cfg, 'hidden_size_per_layer_input');
  const pleRaw = cfg.hidden_size_per_layer_input;
  if (!ple && pleRaw !== undefined && pleRaw !== null && pleRaw !== 0) warnings.push(`hidden_size_per_layer_input must be a whole number from 1 to 65536 (got ${String(JSON.stringify(pleRaw)).slice(0, 40)}): per-layer embeddings not counted`);
  if (ple) {
    const pleVocab = typeof cfg.vocab_size_per_layer_input === 'number' && cfg.vocab_size_per_layer_input > 0 && cfg.vocab_size_per_layer_input <= LIMITS.vocab ? cfg.vocab_size_per_layer_input : vocab;
    result.perLayerEmbeddingParams = layers * ple * (pleVocab + 3 * hidden);
  }
  const q = outer.quantization_config ?? cfg.quantization_config;
  const wf = weightFormatFromQuantConfig(q);
  if (typeof wf === 'string') warnings.push(`quantization_config not understood (${wf}): weights assumed in the model dtype`);
  else if (wf) result.weightFormat = wf;
  const visionRaw = outer.vision_config;
  if (visionRaw && typeof visionRaw === 'object' && !Array.isArray(visionRaw)) {
    result.hasVision = true;
    // A re-saved config (transformers' to_diff_dict: Qwen's own AWQ repos) leaves out every vision field equal to the class default.
    const defaults = outerType !== undefined && Object.hasOwn(QWEN2VL_VISION_DEFAULTS, outerType) ? QWEN2VL_VISION_DEFAULTS[outerType] : undefined;
    const missing = defaults ? Object.keys(defaults).filter((k) => !Object.hasOwn(visionRaw, k) && !(k === 'in_chans' && Object.hasOwn(visionRaw, 'in_channels')) && !(k === 'patch_size' && Object.hasOwn(visionRaw, 'spatial_patch_size'))) : [];
    const vision: Json = defaults ? { ...defaults, ...(visionRaw as Json) } : (visionRaw as Json);
    if (missing.length) warnings.push(`vision_config leaves out ${missing.join(', ')}: taken at transformers' ${outerType === 'qwen2_vl' ? 'Qwen2VLVisionConfig' : 'Qwen2_5_VLVisionConfig'} defaults (a re-saved config keeps only the fields that differ from them)`);
    // GLM-4.1V and others also give a spatial_merge_size, with another merger (its intermediate_size): the Qwen count is the Qwen line's.
    const vp = visionParams(vision as Json, hidden, outerType !== undefined && Object.hasOwn(QWEN_MAX_PIXELS, outerType));
    if (vp !== undefined) result.visionParams = vp;
    else warnings.push('vision_config without a usable depth (num_hidden_layers or depth), width (hidden_size or embed_dim), MLP width or patch size (or, for the Qwen VL line, merge size, temporal patch size or position table): the vision tower is not counted');
    const enc = visionEncoderOf(outerType, vision as Json, outer);
    if (typeof enc === 'string') warnings.push(`${enc}: the encoder's profile run (vLLM V1 sizes its KV cache after it) is not counted`);
    else arch.vision = { ...enc, ...(vp !== undefined ? { params: vp } : {}) };
  }
  if (outer.audio_config && typeof outer.audio_config === 'object' && !Array.isArray(outer.audio_config)) warnings.push('audio_config: the audio tower is not counted');
  return result;
}

/**
 * NemotronH (Nemotron-H, Nemotron Nano 2 and 3): `hybrid_override_pattern` names each of the
 * num_hidden_layers blocks: `M` a Mamba2 mixer, `*` attention, `-` an MLP, `E` a MoE. A block is a mixer or
 * an MLP, where Gantry's layer is both; so the mixer blocks (M + *) are the layers, Mamba2 on the M of
 * them, and the MLP blocks' parameters are spread over those layers: the MoE blocks are the MoE layers
 * (the other layers dense), and the dense MLP blocks' width is scaled so the total matches
 * (intermediate_size × MLP blocks ÷ the layers that hold them). Totals match the checkpoint; the
 * per-layer activation widths are those of the spread, which the returned note says. Sets `arch` and
 * returns that note, or undefined when the config is not NemotronH.
 */
function nemotronH(cfg: Json, arch: Architecture, ffn: number): string | undefined {
  const p = cfg.hybrid_override_pattern;
  if (typeof p !== 'string' || !p.length || p.length > 1024) return undefined;
  let m = 0;
  let attn = 0;
  let dense = 0;
  let moe = 0;
  for (const c of p) {
    if (c === 'M') m++;
    else if (c === '*') attn++;
    else if (c === '-') dense++;
    else if (c === 'E') moe++;
    else return `hybrid_override_pattern has '${c}', a block Gantry does not know: every layer is counted as full attention`;
  }
  const size = (k: string) => sizeField(cfg, k);
  const heads = size('mamba_num_heads');
  const headDim = size('mamba_head_dim');
  const stateSize = size('ssm_state_size');
  if (!m || !attn) return undefined;
  if (!heads || !headDim || !stateSize) return `hybrid_override_pattern names ${m} Mamba2 blocks but mamba_num_heads, mamba_head_dim or ssm_state_size is missing: every layer is counted as full attention`;
  const layers = m + attn;
  if (moe > layers || (moe && !arch.moe)) return `hybrid_override_pattern has ${moe} MoE blocks and ${layers} mixer blocks, which Gantry cannot lay out: every layer is counted as full attention`;
  arch.layers = layers;
  const mamba: NonNullable<Architecture['mamba']> = { layers: m, heads, headDim, stateSize };
  const groups = size('n_groups');
  if (groups) mamba.groups = groups;
  const kernel = size('conv_kernel');
  if (kernel) mamba.convKernel = kernel;
  if (cfg.mamba_ssm_cache_dtype === 'float32') mamba.stateDtype = 'fp32';
  arch.mamba = mamba;
  if (cfg.mlp_hidden_act === 'relu2') arch.gatedMlp = false;
  let latentNote = '';
  if (arch.moe) {
    arch.moe.denseLayers = layers - moe;
    // LatentMoE (Nemotron 3 Super): the routed experts work in a moe_latent_size-wide space, between a projection
    // from the hidden size and one back. An expert of width F on the latent size L holds the parameters and does
    // the FLOPs per token of one of width F × L / hidden on the hidden size, which is how Gantry counts it.
    const latent = size('moe_latent_size');
    if (latent && latent < arch.hidden && arch.moe.expertFfn) {
      const width = arch.moe.expertFfn;
      arch.moe.expertFfn = Math.max(1, Math.round((width * latent) / arch.hidden));
      latentNote = `; LatentMoE: the routed experts' width ${width} on moe_latent_size ${latent} is counted as ${arch.moe.expertFfn} on the hidden size ${arch.hidden} (the same parameters and FLOPs per token; the two latent projections, ${fmtMillions(2 * arch.hidden * latent * moe)} parameters, are not counted)`;
    }
    // The shared expert's width in expert widths (moe_shared_expert_intermediate_size = 2 × 1856 on Nano 30B-A3B).
    const shared = size('moe_shared_expert_intermediate_size');
    const eFfn = arch.moe.expertFfn ?? ffn;
    if (shared && eFfn) arch.moe.sharedExperts = Math.max(1, Math.round(shared / eFfn)) * (typeof cfg.n_shared_experts === 'number' && cfg.n_shared_experts > 0 ? cfg.n_shared_experts : 1);
  }
  const holders = arch.moe ? layers - moe : layers;
  if (dense && holders > 0) arch.ffn = Math.max(1, Math.round((ffn * dense) / holders));
  const spread = arch.moe ? `${moe} MoE blocks as MoE layers${dense ? `, ${dense} MLP blocks spread over the other ${holders}` : `, the other ${holders} layers with an MLP of intermediate_size in Gantry's count`}` : `${dense} MLP blocks spread over the ${layers} layers (width ${arch.ffn})`;
  return `NemotronH: ${p.length} blocks (${m} Mamba2, ${attn} attention, ${dense + moe} MLP/MoE) read as ${layers} layers of a mixer and an MLP: ${spread}; per-layer activation widths are approximate${latentNote}`;
}

/** 335544320 → '336 M'. */
const fmtMillions = (n: number): string => `${Math.round(n / 1e6).toLocaleString('en-US')} M`;

/**
 * The full-attention layers of a sliding-window model: layer_types' "full_attention" entries among
 * "sliding_attention" ones (else every sliding_window_pattern-th layer), and Gemma 4's own shape for them:
 * global_head_dim, and, on attention_k_eq_v layers, num_global_key_value_heads (the KV heads vLLM's gemma4.py
 * gives them; other layers keep num_key_value_heads). Undefined when nothing says which layers slide.
 */
function globalAttentionFrom(cfg: Json, arch: Architecture, warnings: string[]): Architecture['globalAttention'] {
  let full: number | undefined;
  const types = cfg.layer_types;
  if (Array.isArray(types) && types.length === arch.layers && types.includes('sliding_attention')) {
    full = types.filter((t) => t === 'full_attention').length;
    if (!full) warnings.push('layer_types names no full_attention layer: the sliding-window layers are counted as full attention');
  } else {
    if (types !== undefined && types !== null && !(Array.isArray(types) && types.length === arch.layers)) warnings.push(`layer_types is not a list of ${arch.layers} entries (num_hidden_layers): not read`);
    const every = sizeField(cfg, 'sliding_window_pattern') ?? sizeField(cfg, '_sliding_window_pattern');
    if (every) full = Math.floor(arch.layers / every);
  }
  if (full === undefined || full < 1) return undefined;
  const out: NonNullable<Architecture['globalAttention']> = { layers: full };
  const unread = (k: string, why: string) => {
    if (cfg[k] !== undefined && cfg[k] !== null) warnings.push(`${k} ${why} (got ${String(JSON.stringify(cfg[k])).slice(0, 40)}): not read`);
  };
  const hd = sizeField(cfg, 'global_head_dim');
  if (hd && hd !== (arch.headDim ?? arch.hidden / arch.heads)) out.headDim = hd;
  else if (!hd) unread('global_head_dim', 'must be a whole number from 1 to 65536');
  if (cfg.attention_k_eq_v === true) {
    out.kEqV = true;
    const kv = sizeField(cfg, 'num_global_key_value_heads');
    if (kv && kv <= arch.heads && arch.heads % kv === 0) out.kvHeads = kv;
    else if (kv) warnings.push(`num_global_key_value_heads (${kv}) must divide num_attention_heads (${arch.heads}): the global layers are counted with num_key_value_heads`);
    else unread('num_global_key_value_heads', 'must be a whole number that divides num_attention_heads');
  } else if (cfg.attention_k_eq_v !== false) unread('attention_k_eq_v', 'must be true or false');
  return out;
}

/** A config.json size field: a whole number from 1 to 65536, else undefined. */
function sizeField(cfg: Json, k: string): number | undefined {
  const v = cfg[k];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 65536 ? v : undefined;
}

/**
 * A hybrid model's Gated DeltaNet layers: how many there are (layer_types "linear_attention", else all but
 * every full_attention_interval-th layer) and their sizes. A string says why a config that names linear
 * layers cannot be read (the layers are then counted as full attention).
 */
function linearAttentionOf(cfg: Json, layers: number): NonNullable<Architecture['linearAttention']> | string | undefined {
  let count: number | undefined;
  const types = cfg.layer_types;
  if (Array.isArray(types)) count = types.filter((t) => t === 'linear_attention').length;
  else if (typeof cfg.full_attention_interval === 'number' && cfg.full_attention_interval >= 1 && cfg.linear_num_value_heads !== undefined) {
    count = layers - Math.floor(layers / cfg.full_attention_interval);
  }
  if (!count) return undefined;
  if (count >= layers) return `layer_types names every layer linear attention (no full-attention layer): not supported, the layers are counted as full attention`;
  const size = (k: string) => sizeField(cfg, k);
  const keyHeads = size('linear_num_key_heads');
  const valueHeads = size('linear_num_value_heads');
  const keyHeadDim = size('linear_key_head_dim');
  const valueHeadDim = size('linear_value_head_dim');
  if (!keyHeads || !valueHeads || !keyHeadDim || !valueHeadDim) {
    return `layer_types names ${count} linear-attention layers but linear_num_key_heads, linear_num_value_heads, linear_key_head_dim or linear_value_head_dim is missing: they are counted as full attention`;
  }
  const out: NonNullable<Architecture['linearAttention']> = { layers: count, keyHeads, valueHeads, keyHeadDim, valueHeadDim };
  const kernel = size('linear_conv_kernel_dim');
  if (kernel) out.convKernel = kernel;
  if (cfg.mamba_ssm_dtype === 'float32') out.stateDtype = 'fp32';
  return out;
}

/** A Mamba2 hybrid's layers (granite-4.0-h: layer_types "mamba" / "attention" and the mamba_* sizes); a string says why not. */
function mambaOf(cfg: Json, layers: number): NonNullable<Architecture['mamba']> | string | undefined {
  const types = cfg.layer_types;
  if (!Array.isArray(types)) return undefined;
  const count = types.filter((t) => t === 'mamba').length;
  if (!count) return undefined;
  if (count >= layers) return 'layer_types names every layer mamba (no attention layer): not supported, the layers are counted as full attention';
  const size = (k: string) => sizeField(cfg, k);
  const heads = size('mamba_n_heads');
  const headDim = size('mamba_d_head');
  const stateSize = size('mamba_d_state');
  if (!heads || !headDim || !stateSize) return `layer_types names ${count} mamba layers but mamba_n_heads, mamba_d_head or mamba_d_state is missing: they are counted as full attention`;
  const out: NonNullable<Architecture['mamba']> = { layers: count, heads, headDim, stateSize };
  const groups = size('mamba_n_groups');
  if (groups) out.groups = groups;
  const kernel = size('mamba_d_conv');
  if (kernel) out.convKernel = kernel;
  return out;
}
