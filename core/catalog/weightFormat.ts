// How a checkpoint stores its weights, from a config.json's `quantization_config` or from the
// repo's name (`-FP8-dynamic`, `-quantized.w4a16`, `-AWQ`, `-GPTQ-Int4`, `-bnb-4bit`). Bits per
// weight include the scales (and zero points) that ship with each group:
// - compressed-tensors / GPTQ / AWQ int4 with group g: 4 + (16-bit scale [+ zero point]) / g;
// - fp8 (dynamic, per-channel or 128×128 blocks) and int8 per-channel (w8a8): 8 bits, scales negligible;
// - bitsandbytes NF4 with double quantization: 4.127 bits (QLoRA paper: 0.127 bits of constants);
//   LLM.int8(): 8 bits plus fp32 per-row scales (negligible);
// - mxfp4 (gpt-oss): 4 bits + one 8-bit E8M0 scale per 32 weights = 4.25 bits, experts only.
// Embeddings and the output layer stay in the model dtype (every format above leaves lm_head alone).

export interface WeightFormat {
  /** One line for the estimate, e.g. "int4 (GPTQ, group 128): 4.25 bits per weight". */
  label: string;
  bitsPerWeight: number;
  /** Which weights it applies to: every linear layer of the blocks, or the MoE experts only (mxfp4). */
  scope: 'linear' | 'experts';
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

function grouped(bits: number, group: number | undefined, zeroPoints: boolean): number {
  if (!group || group <= 0) return bits; // per-channel: one scale per output row, negligible
  return bits + (16 + (zeroPoints ? bits : 0)) / group;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** The weight format a `quantization_config` describes; undefined when there is none; a string when it cannot be read. */
export function weightFormatFromQuantConfig(q: unknown): WeightFormat | string | undefined {
  const c = obj(q);
  if (!c) return undefined;
  const method = typeof c.quant_method === 'string' ? c.quant_method.toLowerCase() : undefined;
  if (method === 'compressed-tensors') {
    const groups = obj(c.config_groups);
    const first = groups ? obj(Object.values(groups).find((g) => obj(obj(g)?.weights))) : undefined;
    const w = obj(first?.weights);
    const bits = num(w?.num_bits);
    if (!w || !bits) return 'compressed-tensors quantization_config without config_groups.*.weights.num_bits';
    const type = w.type === 'float' ? 'fp' : 'int';
    const group = w.strategy === 'group' || num(w.group_size) ? num(w.group_size) : undefined;
    const zero = w.symmetric === false;
    const acts = obj(first?.input_activations);
    const a = num(acts?.num_bits);
    const scheme = `w${bits}a${a ?? 16}`;
    const bpw = round(grouped(bits, group, zero));
    return { label: `${type}${bits} (compressed-tensors ${scheme}${group ? `, group ${group}` : ''}): ${bpw} bits per weight`, bitsPerWeight: bpw, scope: 'linear' };
  }
  if (method === 'gptq' || method === 'awq') {
    const bits = num(c.bits) ?? num(c.w_bit) ?? 4;
    const group = num(c.group_size) ?? num(c.q_group_size) ?? 128;
    const zero = method === 'awq' ? c.zero_point !== false : c.sym === false || c.sym === undefined;
    const bpw = round(grouped(bits, c.group_size === -1 ? undefined : group, zero));
    return { label: `int${bits} (${method.toUpperCase()}, group ${c.group_size === -1 ? 'none' : group}): ${bpw} bits per weight`, bitsPerWeight: bpw, scope: 'linear' };
  }
  if (method === 'bitsandbytes') {
    if (c.load_in_4bit === true || c._load_in_4bit === true) {
      const nf4 = c.bnb_4bit_quant_type !== 'fp4';
      const dq = c.bnb_4bit_use_double_quant === true;
      const bpw = dq ? 4.127 : 4.5; // fp32 absmax per 64 weights without double quantization
      return { label: `${nf4 ? 'NF4' : 'FP4'} (bitsandbytes${dq ? ', double quantization' : ''}): ${bpw} bits per weight`, bitsPerWeight: bpw, scope: 'linear' };
    }
    return { label: 'int8 (bitsandbytes LLM.int8()): 8 bits per weight', bitsPerWeight: 8, scope: 'linear' };
  }
  if (method === 'fp8' || method === 'fbgemm_fp8' || method === 'modelopt') {
    return { label: `fp8 (${method}${Array.isArray(c.weight_block_size) ? `, ${c.weight_block_size.join('×')} blocks` : ''}): 8 bits per weight`, bitsPerWeight: 8, scope: 'linear' };
  }
  if (method === 'mxfp4') {
    return { label: 'mxfp4 (MoE experts: 4 bits + an 8-bit scale per 32): 4.25 bits per expert weight; attention and router in bf16', bitsPerWeight: 4.25, scope: 'experts' };
  }
  return `unknown quant_method ${JSON.stringify(method ?? c.quant_method ?? null).slice(0, 40)}`;
}

/** Name tokens that mark a quantized derivative repo, longest first; matched on '-'-separated tokens. */
const NAME_FORMATS: [string[], WeightFormat][] = [
  [['fp8', 'dynamic'], { label: 'fp8 (dynamic, from the repo name): 8 bits per weight', bitsPerWeight: 8, scope: 'linear' }],
  [['quantized.w8a8'], { label: 'int8 w8a8 (from the repo name): 8 bits per weight', bitsPerWeight: 8, scope: 'linear' }],
  [['quantized.w8a16'], { label: 'int8 w8a16 (from the repo name): 8 bits per weight', bitsPerWeight: 8, scope: 'linear' }],
  [['quantized.w4a16'], { label: 'int4 w4a16 (from the repo name; group 128 assumed): 4.125 bits per weight', bitsPerWeight: 4.125, scope: 'linear' }],
  [['gptq', 'int4'], { label: 'int4 GPTQ (from the repo name; group 128 assumed): 4.25 bits per weight', bitsPerWeight: 4.25, scope: 'linear' }],
  [['gptq', 'int8'], { label: 'int8 GPTQ (from the repo name; group 128 assumed): 8.19 bits per weight', bitsPerWeight: 8.19, scope: 'linear' }],
  [['bnb', '4bit'], { label: 'NF4 bitsandbytes (from the repo name): 4.127 bits per weight', bitsPerWeight: 4.127, scope: 'linear' }],
  [['fp8'], { label: 'fp8 (from the repo name): 8 bits per weight', bitsPerWeight: 8, scope: 'linear' }],
  [['w8a8'], { label: 'int8 w8a8 (from the repo name): 8 bits per weight', bitsPerWeight: 8, scope: 'linear' }],
  [['w4a16'], { label: 'int4 w4a16 (from the repo name; group 128 assumed): 4.125 bits per weight', bitsPerWeight: 4.125, scope: 'linear' }],
  [['awq'], { label: 'int4 AWQ (from the repo name; group 128 assumed): 4.25 bits per weight', bitsPerWeight: 4.25, scope: 'linear' }],
  [['gptq'], { label: 'int4 GPTQ (from the repo name; group 128 assumed): 4.25 bits per weight', bitsPerWeight: 4.25, scope: 'linear' }],
  [['int4'], { label: 'int4 (from the repo name; group 128 assumed): 4.25 bits per weight', bitsPerWeight: 4.25, scope: 'linear' }],
  [['int8'], { label: 'int8 (from the repo name): 8 bits per weight', bitsPerWeight: 8, scope: 'linear' }],
];

/** Tokens after the base name that change nothing about the architecture. */
const NEUTRAL = new Set(['instruct', 'it', 'hf', 'chat', 'base', 'pt', 'dynamic', 'block', 'channel', 'pertensor', 'sym', 'asym']);

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
    // Neutral words and date/version stamps (`-2503`, `-v0.1`) of a derivative.
    if (format && (NEUTRAL.has(last) || /^\d{4}$/.test(last))) {
      stripped.unshift(tokens.pop()!);
      continue;
    }
    break;
  }
  return { base: tokens.join('-'), format, stripped };
}
