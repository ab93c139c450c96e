// How a checkpoint stores its weights, from a config.json's `quantization_config` or from the
// repo's name (`-FP8-dynamic`, `-quantized.w4a16`, `-AWQ`, `-GPTQ-Int4`, `-bnb-4bit`). Bits per
// weight include the scales (and zero points) that ship with each group:
// - compressed-tensors / GPTQ / AWQ int4 with group g: 4 + (16-bit scale [+ zero point]) / g;
// - fp8 (dynamic, per-channel or 128×128 blocks) and int8 per-channel (w8a8): 8 bits, scales negligible;
// - bitsandbytes NF4 with double quantization: 4.127 bits (QLoRA paper: 0.127 bits of constants);
//   LLM.int8(): 8 bits plus fp32 per-row scales (negligible);
// - mxfp4 (gpt-oss): 4 bits + one 8-bit E8M0 scale per 32 weights = 4.25 bits, experts only;
//   in a compressed-tensors checkpoint (float, 4 bits, group 32) it covers every linear layer;
// - NVFP4 (ModelOpt `quant_algo: NVFP4`, compressed-tensors float 4-bit group 16): 4 bits + one FP8
//   E4M3 scale per 16 weights = 4.5 bits (the per-tensor FP32 global scale is negligible); MXFP8:
//   8 bits + an E8M0 scale per 32 = 8.25 bits;
// - AutoRound (Intel, `quant_method: auto-round`): GPTQ-style packing, bits + fp16 scale (+ zero
//   point when asymmetric) per group, like GPTQ.
// Embeddings and the output layer stay in the model dtype (every format above leaves lm_head alone).
//
// `family` groups the formats the way a launch flag names them (`--quantization awq` and an AWQ
// checkpoint with group 64 are the same family): a spec's quantization of the checkpoint's own
// family takes the checkpoint's exact bits.

import type { Architecture, Quantization } from '../spec/types';

export type WeightFamily = 'fp8' | 'int8' | 'int4' | 'nf4' | 'nvfp4' | 'mxfp4' | 'mxfp8';

/** Kinds of block module a checkpoint's ignore list can leave unquantized (in the model dtype). */
export type ModuleKind = 'attention' | 'recurrent' | 'mlp' | 'experts' | 'shared' | 'mtp';

export interface WeightFormat {
  /** One line for the estimate, e.g. "int4 (GPTQ, group 128): 4.25 bits per weight". */
  label: string;
  family: WeightFamily;
  /** Block modules the config's ignore list (`ignore`, `exclude_modules`, `modules_to_not_convert`) leaves in the model dtype. */
  kept?: ModuleKind[];
  bitsPerWeight: number;
  /** Block modules stored at another precision than `bitsPerWeight` that is not the model dtype either (a hybrid's token mixers in FP8 under NVFP4). */
  higher?: { kinds: ModuleKind[]; bitsPerWeight: number };
  /** Known from a repo name only (no quantization_config): which modules the checkpoint keeps at higher precision is not known. */
  fromName?: boolean;
  /** Which weights it applies to: every linear layer of the blocks, or the MoE experts only (mxfp4). */
  scope: 'linear' | 'experts';
  /** The checkpoint quantizes the KV cache to FP8 (hf_quant_config.json kv_cache_quant_algo), as NVIDIA's NVFP4 releases do. */
  kvFp8?: boolean;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

function grouped(bits: number, group: number | undefined, zeroPoints: boolean, scaleBits = 16): number {
  if (!group || group <= 0) return bits; // per-channel: one scale per output row, negligible
  return bits + (scaleBits + (zeroPoints ? bits : 0)) / group;
}

const NVFP4: WeightFormat = { label: 'NVFP4 (4-bit E2M1 + an FP8 scale per 16): 4.5 bits per weight', family: 'nvfp4', bitsPerWeight: 4.5, scope: 'linear' };
const MXFP8: WeightFormat = { label: 'MXFP8 (8 bits + an E8M0 scale per 32): 8.25 bits per weight', family: 'mxfp8', bitsPerWeight: 8.25, scope: 'linear' };
const GPT_OSS_MXFP4: WeightFormat = { label: 'mxfp4 (MoE experts: 4 bits + an 8-bit scale per 32): 4.25 bits per expert weight; attention and router in bf16', family: 'mxfp4', bitsPerWeight: 4.25, scope: 'experts' };

/** ModelOpt's `quant_algo` (config.json's quantization_config, or hf_quant_config.json's `quantization`). */
function modelOpt(c: Json): WeightFormat | string {
  const algo = typeof c.quant_algo === 'string' ? c.quant_algo : typeof obj(c.quantization)?.quant_algo === 'string' ? (obj(c.quantization)!.quant_algo as string) : undefined;
  const a = (algo ?? 'FP8').toUpperCase();
  if (a === 'NVFP4' || a === 'NVFP4_AWQ') return { ...NVFP4, label: `NVFP4 (ModelOpt ${a}: 4-bit E2M1 + an FP8 scale per 16): 4.5 bits per weight` };
  if (a === 'MXFP8') return { ...MXFP8, label: 'MXFP8 (ModelOpt: 8 bits + an E8M0 scale per 32): 8.25 bits per weight' };
  if (a.startsWith('FP8')) return { label: `fp8 (ModelOpt ${a}): 8 bits per weight`, family: 'fp8', bitsPerWeight: 8, scope: 'linear' };
  if (a === 'W4A8_AWQ' || a === 'W4A16_AWQ' || a === 'INT4_AWQ') {
    const group = num(c.group_size) ?? num(obj(c.quantization)?.group_size) ?? 128;
    const bpw = round(grouped(4, group, false));
    return { label: `int4 (ModelOpt ${a}, group ${group}): ${bpw} bits per weight`, family: 'int4', bitsPerWeight: bpw, scope: 'linear' };
  }
  if (a === 'W8A8_SQ_PER_CHANNEL' || a === 'INT8_SQ') return { label: `int8 (ModelOpt ${a}): 8 bits per weight`, family: 'int8', bitsPerWeight: 8, scope: 'linear' };
  return `ModelOpt quant_algo ${JSON.stringify(algo).slice(0, 40)} (mixed or unknown per-layer formats)`;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

const has = (s: string, t: string) => s.indexOf(t) >= 0;

/**
 * The block modules an ignore list leaves unquantized, by kind. Entries are module names, globs
 * (`*linear_attn*`) or compressed-tensors `re:` patterns (`re:.*linear_attn.*`); they are read by the module
 * names they mention (substrings, no pattern is run), and an entry that names one layer (`layers.3.`) is
 * counted apart, not generalised. The embedding, lm_head, vision tower and router stay in the model dtype
 * in Gantry's count anyway.
 */
export function keptModules(list: unknown): { kept: ModuleKind[]; layerSpecific: number } {
  const kept = new Set<ModuleKind>();
  let layerSpecific = 0;
  if (!Array.isArray(list)) return { kept: [], layerSpecific };
  for (const entry of list.slice(0, 10000)) {
    if (typeof entry !== 'string' || !entry.length || entry.length > 300) continue;
    const e = entry.toLowerCase();
    // The vision tower, embedding and lm_head are counted in the model dtype already.
    if (has(e, 'visual') || has(e, 'vision') || has(e, 'lm_head') || has(e, 'embed')) continue;
    const at = e.indexOf('layers.');
    if (at >= 0 && e.charCodeAt(at + 7) >= 48 && e.charCodeAt(at + 7) <= 57) {
      layerSpecific++;
      continue;
    }
    if (has(e, 'mtp')) kept.add('mtp');
    if (has(e, 'linear_attn') || has(e, 'mamba') || (has(e, 'attn') && !has(e, 'self_attn') && !has(e, 'linear_attn'))) kept.add('recurrent');
    if (has(e, 'self_attn') || (has(e, 'attn') && !has(e, 'linear_attn'))) kept.add('attention');
    if (has(e, 'shared_expert')) kept.add('shared');
    else if (has(e, 'experts')) kept.add('experts');
    else if (has(e, 'mlp')) {
      const rest = e.slice(e.indexOf('mlp') + 3);
      // `mlp.gate` alone is the MoE router (tiny, left out); `mlp`, `mlp.*`, `*mlp*` is the whole MLP, experts included.
      if (rest.startsWith('.gate') && !rest.startsWith('.gate_')) continue;
      kept.add('mlp');
      if (!rest.length || rest[0] === '*' || rest.startsWith('.*') || rest === '$') {
        kept.add('experts');
        kept.add('shared');
      }
    }
  }
  return { kept: [...kept], layerSpecific };
}

const KIND_WORDS: Record<ModuleKind, string> = { attention: 'attention', recurrent: 'linear attention / Mamba', mlp: 'MLP', experts: 'experts', shared: 'shared experts', mtp: 'MTP' };

/** Adds what the ignore list leaves in 16 bits to a format and its label. */
function withKept(f: WeightFormat, list: unknown): WeightFormat {
  const { kept, layerSpecific } = keptModules(list);
  if (!kept.length && !layerSpecific) return f;
  const words = kept.map((k) => KIND_WORDS[k]).join(', ');
  const extra = `${words ? `; ${words} left unquantized (ignore list)` : ''}${layerSpecific ? `; ${layerSpecific} layer-specific ignore entr${layerSpecific === 1 ? 'y' : 'ies'} not counted` : ''}`;
  return { ...f, label: f.label + extra, ...(kept.length ? { kept } : {}) };
}

/**
 * An NVFP4 checkpoint of a hybrid model (Gated DeltaNet or Mamba layers) known by its repo name only:
 * the published ones keep the token mixers out of 4 bits. NVIDIA's ModelOpt mixed-precision
 * checkpoints of Qwen3.6 store the MLP in NVFP4, the attention projections in FP8 and the MTP layer
 * unquantized; llm-compressor's Qwen3.5 recipe and RedHatAI's Qwen3.6 NVFP4 keep `linear_attn` in
 * bf16 (4-bit zeroes its small early-layer weights: ollama#15866). Gantry takes the middle: attention
 * and recurrent projections at 8 bits, the MTP layer in the model dtype, and says so. A config.json's
 * own quantization_config (weightFormatFromQuantConfig) is read as written instead.
 */
export function hybridNamedFormat(f: WeightFormat, a: Architecture, modelId?: string, org?: string): WeightFormat {
  // NVIDIA's own NVFP4 releases (an `nvidia/` repo; hf_quant_config.json exclude_modules, as vendored in
  // ai-dynamo/aiconfigurator) keep more than the blocks' linear layers out of 4 bits; other exporters' recipes differ
  // (llm-compressor's NVFP4 scheme quantizes every linear layer but lm_head), so only NVIDIA's names are read so.
  const nvidia = org?.toLowerCase() === 'nvidia';
  // Gemma 4: the 26B-A4B's experts alone in NVFP4 (attention, the dense MLP beside them and the router stay bf16), the
  // 31B's MLP (attention stays bf16).
  if (nvidia && f.family === 'nvfp4' && f.scope === 'linear' && !f.higher && modelId?.startsWith('gemma-4') && !f.kept?.includes('attention')) {
    const kept: ModuleKind[] = a.moe ? ['attention', 'shared', 'mlp'] : ['attention'];
    return {
      ...f,
      kvFp8: true,
      kept: [...new Set([...(f.kept ?? []), ...kept])],
      label: `${f.label}; ${a.moe ? 'the experts alone' : 'the MLP alone'} taken in NVFP4 (attention${a.moe ? ' and the dense MLP beside the experts' : ''} unquantized), as NVIDIA's NVFP4 releases of Gemma 4 store them (the checkpoint's config.json in the Hugging Face cache says which)`,
    };
  }
  // A sparse-attention model (DeepSeek-V3.2, GLM-5): every attention and indexer projection and the MTP layer in bf16;
  // GLM-5.1's and 5.2's also the shared experts and the three dense layers, which is not counted.
  if (nvidia && f.family === 'nvfp4' && f.scope === 'linear' && a.mla?.indexer && !f.higher && !f.kept?.includes('attention')) {
    return {
      ...f,
      kvFp8: true,
      kept: [...new Set([...(f.kept ?? []), 'attention' as const, 'mtp' as const])],
      label: `${f.label}; attention, the sparse-attention indexer and the MTP layer taken as unquantized, as NVIDIA's NVFP4 releases of DeepSeek-V3.2 and GLM-5 store them (GLM-5.1's and 5.2's also keep the shared experts and dense layers, not counted; the checkpoint's config.json in the Hugging Face cache says which)`,
    };
  }
  if (f.family !== 'nvfp4' || f.scope !== 'linear' || !(a.linearAttention || a.mamba) || f.higher) return f;
  const mixer = a.linearAttention ? 'Gated DeltaNet' : 'Mamba';
  return {
    ...f,
    higher: { kinds: ['attention', 'recurrent'], bitsPerWeight: 8 },
    kept: [...new Set([...(f.kept ?? []), 'mtp' as const])],
    label: `${f.label}; on this hybrid model the attention and ${mixer} projections taken as FP8 and the MTP layer as unquantized, as NVIDIA's NVFP4 checkpoints of such models store them (RedHatAI's and llm-compressor's keep the ${mixer} layers in bf16; the checkpoint's config.json in the Hugging Face cache says which)`,
  };
}

/** The weight format a `quantization_config` describes; undefined when there is none; a string when it cannot be read. */
export function weightFormatFromQuantConfig(q: unknown): WeightFormat | string | undefined {
  const c = obj(q);
  if (!c) return undefined;
  const f = formatOf(c);
  if (typeof f !== 'object' || f.scope !== 'linear') return f;
  const list = [c.ignore, c.exclude_modules, c.modules_to_not_convert, obj(c.quantization)?.exclude_modules].filter(Array.isArray).flat();
  return withKept(f, list);
}

function formatOf(c: Json): WeightFormat | string | undefined {
  const method = typeof c.quant_method === 'string' ? c.quant_method.toLowerCase() : undefined;
  if (method === 'compressed-tensors') {
    const groups = obj(c.config_groups);
    const first = groups ? obj(Object.values(groups).find((g) => obj(obj(g)?.weights))) : undefined;
    const w = obj(first?.weights);
    const bits = num(w?.num_bits);
    if (!w || !bits) return 'compressed-tensors quantization_config without config_groups.*.weights.num_bits';
    const type = w.type === 'float' ? 'fp' : 'int';
    const group = w.strategy === 'group' || w.strategy === 'tensor_group' || num(w.group_size) ? num(w.group_size) : undefined;
    const zero = w.symmetric === false;
    const acts = obj(first?.input_activations);
    const a = num(acts?.num_bits);
    const scheme = `w${bits}a${a ?? 16}`;
    if (type === 'fp' && bits === 4) {
      // NVFP4 (group 16, FP8 E4M3 scales) or MXFP4 (group 32, E8M0 scales): 8-bit scales either way.
      const g = group ?? 16;
      const bpw = round(grouped(4, g, false, 8));
      const name = g === 16 ? 'NVFP4' : 'MXFP4';
      return { label: `${name} (compressed-tensors ${scheme}, group ${g}, 8-bit scales): ${bpw} bits per weight`, family: g === 16 ? 'nvfp4' : 'mxfp4', bitsPerWeight: bpw, scope: 'linear' };
    }
    const bpw = round(grouped(bits, group, zero));
    const family = type === 'fp' ? 'fp8' : bits <= 4 ? 'int4' : 'int8';
    return { label: `${type}${bits} (compressed-tensors ${scheme}${group ? `, group ${group}` : ''}): ${bpw} bits per weight`, family, bitsPerWeight: bpw, scope: 'linear' };
  }
  const autoRound = method === 'auto-round' || method === 'auto_round' || method === 'intel/auto-round';
  if (method === 'gptq' || method === 'awq' || autoRound) {
    const bits = num(c.bits) ?? num(c.w_bit) ?? 4;
    const group = num(c.group_size) ?? num(c.q_group_size) ?? 128;
    const zero = method === 'awq' ? c.zero_point !== false : c.sym === false || c.sym === undefined;
    const bpw = round(grouped(bits, c.group_size === -1 ? undefined : group, zero));
    const name = autoRound ? 'AutoRound' : method.toUpperCase();
    return { label: `int${bits} (${name}, group ${c.group_size === -1 ? 'none' : group}): ${bpw} bits per weight`, family: bits <= 4 ? 'int4' : 'int8', bitsPerWeight: bpw, scope: 'linear' };
  }
  if (method === 'bitsandbytes') {
    if (c.load_in_4bit === true || c._load_in_4bit === true) {
      const nf4 = c.bnb_4bit_quant_type !== 'fp4';
      const dq = c.bnb_4bit_use_double_quant === true;
      const bpw = dq ? 4.127 : 4.5; // fp32 absmax per 64 weights without double quantization
      return { label: `${nf4 ? 'NF4' : 'FP4'} (bitsandbytes${dq ? ', double quantization' : ''}): ${bpw} bits per weight`, family: 'nf4', bitsPerWeight: bpw, scope: 'linear' };
    }
    return { label: 'int8 (bitsandbytes LLM.int8()): 8 bits per weight', family: 'int8', bitsPerWeight: 8, scope: 'linear' };
  }
  if (method === 'modelopt' || method === 'modelopt_fp4') return modelOpt(c);
  if (method === 'fp8' || method === 'fbgemm_fp8') {
    return { label: `fp8 (${method}${Array.isArray(c.weight_block_size) ? `, ${c.weight_block_size.join('×')} blocks` : ''}): 8 bits per weight`, family: 'fp8', bitsPerWeight: 8, scope: 'linear' };
  }
  if (method === 'mxfp4') return GPT_OSS_MXFP4;
  return `unknown quant_method ${JSON.stringify(method ?? c.quant_method ?? null).slice(0, 40)}`;
}

/**
 * The format a spec's `quantization` names when the checkpoint does not set one (`--quantization fp8`
 * on a bf16 checkpoint quantizes it on load): fp8 / int8 per channel, 8 bits; AWQ / GPTQ / int4 with
 * group-128 fp16 scales and zero points, 4.25 bits; bitsandbytes NF4 with double quantization, 4.127;
 * NVFP4 4.5; MXFP4 4.25. Every linear layer of the blocks; undefined for `none`.
 */
export function formatOfQuantization(q: Quantization | undefined): WeightFormat | undefined {
  // Own keys only: a document's 'constructor' or '__proto__' is no format.
  return typeof q === 'string' && q !== 'none' && Object.hasOwn(SPEC_FORMATS, q) ? SPEC_FORMATS[q] : undefined;
}
const spec = (label: string, family: WeightFamily, bitsPerWeight: number): WeightFormat => ({ label: `${label}: ${bitsPerWeight} bits per weight`, family, bitsPerWeight, scope: 'linear' });
const SPEC_FORMATS: Record<Exclude<Quantization, 'none'>, WeightFormat> = {
  fp8: spec('fp8', 'fp8', 8),
  int8: spec('int8', 'int8', 8),
  'bitsandbytes-8bit': spec('int8 (bitsandbytes LLM.int8())', 'int8', 8),
  awq: spec('int4 (AWQ, group 128)', 'int4', 4.25),
  gptq: spec('int4 (GPTQ, group 128)', 'int4', 4.25),
  int4: spec('int4 (group 128)', 'int4', 4.25),
  'bitsandbytes-4bit': spec('NF4 (bitsandbytes, double quantization)', 'nf4', 4.127),
  nvfp4: NVFP4,
  mxfp4: spec('MXFP4 (4 bits + an E8M0 scale per 32)', 'mxfp4', 4.25),
};

/** Name tokens that mark a quantized derivative repo, longest first; matched on '-'-separated tokens. */
const named = (label: string, family: WeightFamily, bitsPerWeight: number): WeightFormat => ({
  label: `${label} (from the repo name${bitsPerWeight === 4.125 || bitsPerWeight === 4.25 || bitsPerWeight === 8.19 ? '; group 128 assumed' : ''}): ${bitsPerWeight} bits per weight`,
  family,
  bitsPerWeight,
  scope: 'linear',
  fromName: true,
});
const NAME_FORMATS: [string[], WeightFormat][] = [
  [['fp8', 'dynamic'], named('fp8 dynamic', 'fp8', 8)],
  [['quantized.w8a8'], named('int8 w8a8', 'int8', 8)],
  [['quantized.w8a16'], named('int8 w8a16', 'int8', 8)],
  [['quantized.w4a16'], named('int4 w4a16', 'int4', 4.125)],
  [['gptq', 'int4'], named('int4 GPTQ', 'int4', 4.25)],
  [['gptq', 'int8'], named('int8 GPTQ', 'int8', 8.19)],
  [['autoround', 'int4'], named('int4 AutoRound', 'int4', 4.25)],
  [['bnb', '4bit'], named('NF4 bitsandbytes', 'nf4', 4.127)],
  // A bit width spelled after the method (cyankiwi's `-AWQ-4bit`, `-GPTQ-8bit`).
  [['awq', '4bit'], named('int4 AWQ', 'int4', 4.25)],
  [['gptq', '4bit'], named('int4 GPTQ', 'int4', 4.25)],
  [['gptq', '8bit'], named('int8 GPTQ', 'int8', 8.19)],
  [['nvfp4'], named('NVFP4', 'nvfp4', 4.5)],
  [['fp4'], named('NVFP4 (FP4 read as NVFP4)', 'nvfp4', 4.5)],
  [['mxfp4'], named('MXFP4', 'mxfp4', 4.25)],
  [['fp8'], named('fp8', 'fp8', 8)],
  [['w8a8'], named('int8 w8a8', 'int8', 8)],
  [['w4a16'], named('int4 w4a16', 'int4', 4.125)],
  [['awq'], named('int4 AWQ', 'int4', 4.25)],
  [['gptq'], named('int4 GPTQ', 'int4', 4.25)],
  [['autoround'], named('int4 AutoRound', 'int4', 4.25)],
  [['int4'], named('int4', 'int4', 4.25)],
  [['int8'], named('int8', 'int8', 8)],
];

/** Tokens after the base name that change nothing about the architecture. */
const NEUTRAL = new Set(['instruct', 'it', 'hf', 'chat', 'base', 'pt', 'thinking', 'dynamic', 'block', 'channel', 'pertensor', 'sym', 'asym', 'qat', 'ct']);
/** `qat` (quantization-aware trained) and `ct` (packed as compressed-tensors) say how quantized weights were made and
 *  stored: neutral only beside a format token that names them; alone, the weights' format is not known. */
const NEEDS_FORMAT = new Set(['qat', 'ct']);

/**
 * Splits a repo's short name into the base it derives from and the weight format its suffix names:
 * `Meta-Llama-3.1-8B-Instruct-FP8-dynamic` → base `Meta-Llama-3.1-8B-Instruct`, fp8. Works on
 * '-'-separated tokens from the end (no regular expression on the name), at most 6 tokens deep.
 */
export function splitDerivativeName(shortName: string): { base: string; format?: WeightFormat; stripped: string[] } {
  const tokens = shortName.split('-');
  const stripped: string[] = [];
  let format: WeightFormat | undefined;
  for (let guard = 0; guard < 6 && tokens.length > 1; guard++) {
    const lower = tokens.map((t) => t.toLowerCase());
    let hit = false;
    for (const [suffix, f] of NAME_FORMATS) {
      if (suffix.length >= lower.length) continue;
      const tail = lower.slice(lower.length - suffix.length);
      if (tail.every((t, i) => t === suffix[i])) {
        format ??= f;
        stripped.unshift(...tokens.splice(tokens.length - suffix.length));
        hit = true;
        break;
      }
    }
    if (hit) continue;
    const last = lower[lower.length - 1];
    // Neutral words and date stamps (`-Instruct`, `-2503`, `-0528`) of a derivative, with or without a format
    // suffix; the caller keeps the result only when what is left is a catalog model.
    if (NEUTRAL.has(last) || /^\d{4}$/.test(last)) {
      stripped.unshift(tokens.pop()!);
      continue;
    }
    break;
  }
  if (!format && stripped.some((t) => NEEDS_FORMAT.has(t.toLowerCase()))) return { base: shortName, stripped: [] };
  return { base: tokens.join('-'), format, stripped };
}
