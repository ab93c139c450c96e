// axolotl's training config (examples/*/lora-8b.yml, qlora.yml, fft with deepspeed, fsdp): the base
// model, the adapter and its rank, 4/8-bit base weights, batch, optimizer (8-bit and paged variants),
// precision, gradient checkpointing, attention, and the ZeRO settings of the DeepSpeed JSON that
// `deepspeed:` names, or FSDP. The world size is the launcher's (accelerate launch / torchrun): from
// the context, else one GPU without sharding and one node of 8 with DeepSpeed or FSDP, said.
import type { SpecPath } from '../spec/parse';
import { referencedDeepSpeed } from './deepspeed';
import { applyDeepSpeed, ASSUMED_GPUS_PER_NODE, finish, MAX_WHOLE, modelRef, newDraft, positiveInt, problem, put, pydanticBool, pydanticInt, readOnly, safeLoadDuplicates, wholeNumberMessage, worldSource, type TrainingDraft } from './trainingDraft';
import type { ForeignSpec, FormatReader, ReadContext, SourceEntry } from './types';
import { parseYaml, parseYamlDocSteps, yamlAppend, yamlAt, yamlEntry, yamlKeySpan, type YamlDoc, type YamlValue } from './yamlDoc';

/** Keys only an axolotl config has next to base_model (one of them must be there). */
const MARKERS = ['\nmicro_batch_size:', '\nsequence_len:', '\nadapter:', '\ndatasets:', '\nlora_r:', '\ngradient_accumulation_steps:', '\nnum_epochs:'];

/** axolotl's defaults (src/axolotl/utils/schemas/config.py) for what a file leaves out. */
const DEFAULT_SEQ_LEN = 2048;

/** axolotl / Hugging Face optimizer names → Gantry's, with what they imply. */
const OPTIMIZERS: Record<string, { type: string; note?: string }> = {
  adamw_torch: { type: 'adamw' },
  adamw_torch_fused: { type: 'adamw' },
  adamw_hf: { type: 'adamw' },
  adamw_apex_fused: { type: 'adamw' },
  adamw_anyprecision: { type: 'adamw' },
  adamw_bnb_8bit: { type: 'adamw-8bit' },
  adamw_8bit: { type: 'adamw-8bit' },
  ademamix_8bit: { type: 'adamw-8bit', note: 'AdEMAMix keeps three states; estimated as 8-bit AdamW (two).' },
  paged_adamw_8bit: { type: 'adamw-8bit', note: 'Paged 8-bit AdamW (bitsandbytes): the states live in unified memory, which the driver can page out to CPU memory under pressure; they are counted in device memory but not in what PyTorch reserves.' },
  paged_adamw_32bit: { type: 'adamw', note: 'Paged 32-bit AdamW (bitsandbytes): the states live in unified memory, which the driver can page out to CPU memory under pressure; they are counted in device memory but not in what PyTorch reserves.' },
  adafactor: { type: 'adafactor' },
  sgd: { type: 'sgd' },
  lion_8bit: { type: 'lion', note: '8-bit Lion: estimated as Lion with one fp32 state.' },
  lion_32bit: { type: 'lion' },
  paged_lion_8bit: { type: 'lion', note: 'Paged 8-bit Lion: estimated as Lion with one fp32 state.' },
  paged_lion_32bit: { type: 'lion' },
};

export const axolotlReader: FormatReader = {
  id: 'axolotl',
  claims(fileName, text) {
    const n = fileName.toLowerCase();
    if (!(n.endsWith('.yml') || n.endsWith('.yaml')) || n.endsWith('.gantry.yaml') || n.endsWith('.gantry.yml')) return false;
    const head = `\n${text.length > 200_000 ? text.slice(0, 200_000) : text}`;
    return head.includes('\nbase_model:') && MARKERS.some((m) => head.includes(m));
  },
  read(text, ctx) {
    return readParsed(parseYaml(text, { lastKeyWins: true }), ctx);
  },
  *readSteps(text, ctx) {
    return readParsed(yield* parseYamlDocSteps(text, { lastKeyWins: true }), ctx);
  },
};

function readParsed(y: YamlDoc, ctx: ReadContext): ForeignSpec[] {
  if (y.error) {
    const d = newDraft();
    d.problems.push(problem('yaml-syntax', 'error', y.error, `Not valid YAML: ${y.error.message}. axolotl would not start; Gantry checks the rest once it parses.`));
    return [finish(d, { format: 'axolotl', label: 'axolotl config (unreadable)', name: ctx.fileName, anchor: y.error })];
  }
  const base = yamlAt(y, ['base_model']);
  if (!base || typeof base.value !== 'string') return [];
  return [readJob(y, ctx, base)];
}

function readJob(y: YamlDoc, ctx: ReadContext, base: YamlValue) {
  const d = newDraft();
  const at = (...p: string[]) => yamlAt(y, p);
  const anchor = yamlKeySpan(y, ['base_model']) ?? base.span;
  safeLoadDuplicates(d, y.duplicates, 'axolotl');
  // A batch or length that is not a whole number: axolotl's schema refuses the config (the default is not used).
  // (pydantic's lax mode takes a string of digits as the number.)
  const whole = (v: YamlValue | undefined, key: string): number | undefined => {
    if (!v || v.value === null) return undefined;
    const value = pydanticInt(v.value);
    const n = positiveInt(value);
    if (n !== undefined) return n;
    // Past Gantry's bound the number is axolotl's to take; below 1 or not a number, axolotl refuses it.
    const huge = typeof value === 'number' && value > MAX_WHOLE;
    d.problems.push(problem('axolotl-value', 'error', v.span, `${wholeNumberMessage(key, value)}${huge ? '' : ': axolotl refuses the config'}.`));
    return undefined;
  };
  // axolotl's schema is pydantic: a boolean is read as pydantic reads one (and bf16, torch_compile also take "auto").
  const truthy = (v: YamlValue | undefined) => v !== undefined && (v.value === 'auto' || pydanticBool(v.value) === true);
  modelRef(base.value as string, base.span, 'base_model', ctx, d, () => undefined);

  // ---- adapter
  const adapter = at('adapter');
  const four = at('load_in_4bit');
  const eight = at('load_in_8bit');
  const method = adapter?.value === 'lora' || adapter?.value === 'qlora' ? adapter.value : undefined;
  if (adapter && adapter.value !== null && adapter.value !== '' && !method) {
    d.problems.push(problem('axolotl-value', 'warning', adapter.span, `adapter ${String(adapter.value).slice(0, 40)}: Gantry estimates lora and qlora adapters; this one is estimated as a full fine-tune.`));
  }
  if (method) {
    put(
      d,
      ['finetune', 'method'],
      method,
      yamlEntry(adapter!, (x) => (x === 'lora' || x === 'qlora' ? x : undefined)),
    );
    const bits = truthy(four) ? 4 : truthy(eight) ? 8 : method === 'qlora' ? 4 : 16;
    if (bits !== 16 || method === 'qlora') put(d, ['finetune', 'baseBits'], bits, readOnly((bits === 4 ? four : eight)?.span ?? adapter!.span, bits === 4 ? 'load_in_4bit' : 'load_in_8bit'));
    if (method === 'qlora' && !truthy(four)) d.problems.push(problem('axolotl-qlora-4bit', 'warning', adapter!.span, 'adapter: qlora needs load_in_4bit: true (axolotl refuses it otherwise).'));
    const r = at('lora_r');
    const rank = r ? whole(r, 'lora_r') : undefined;
    if (rank) put(d, ['finetune', 'rank'], rank, yamlEntry(r!));
    else d.assumptions.push("lora_r: 16 (Gantry's default; axolotl requires it).");
    const alpha = at('lora_alpha');
    if (alpha && typeof alpha.value === 'number') put(d, ['finetune', 'alpha'], alpha.value, yamlEntry(alpha));
    const targets = at('lora_target_modules');
    if (truthy(at('lora_target_linear'))) d.assumptions.push('lora_target_linear: adapters on every linear layer (attention and MLP projections).');
    else if (Array.isArray(targets?.value) && targets.value.length && targets.value.every((t) => typeof t === 'string')) put(d, ['finetune', 'targetModules'], [...new Set(targets.value as string[])], readOnly(targets.span, 'lora_target_modules'));
  } else if (truthy(four) || truthy(eight)) {
    d.problems.push(problem('axolotl-quantized-full', 'warning', (truthy(four) ? four : eight)!.span, `${truthy(four) ? 'load_in_4bit' : 'load_in_8bit'} without an adapter: quantized weights cannot be trained in full; set adapter: ${truthy(four) ? 'qlora' : 'lora'}.`));
  }

  // ---- batch
  const micro = at('micro_batch_size');
  put(d, ['batch', 'micro'], whole(micro, 'micro_batch_size') ?? 1, micro ? yamlEntry(micro) : undefined);
  if (!micro) d.assumptions.push("micro_batch_size: 1 (axolotl's default).");
  const acc = at('gradient_accumulation_steps');
  put(d, ['batch', 'gradientAccumulation'], whole(acc, 'gradient_accumulation_steps') ?? 1, acc ? yamlEntry(acc) : undefined);
  const seq = at('sequence_len');
  put(d, ['batch', 'sequenceLength'], whole(seq, 'sequence_len') ?? DEFAULT_SEQ_LEN, seq ? yamlEntry(seq) : undefined);
  if (!seq) d.assumptions.push(`sequence_len: ${DEFAULT_SEQ_LEN} (axolotl's default).`);
  d.assumptions.push(truthy(at('sample_packing')) ? 'sample_packing: every micro-batch is packed full to sequence_len.' : 'No sample packing: estimated with every sequence padded to sequence_len (an upper bound for short samples).');
  const maxSteps = at('max_steps');
  if (maxSteps && positiveInt(maxSteps.value)) put(d, ['training', 'steps'], maxSteps.value, yamlEntry(maxSteps));

  // ---- optimizer
  const opt = at('optimizer');
  const name = typeof opt?.value === 'string' ? opt.value : 'adamw_torch';
  const known = OPTIMIZERS[name];
  if (!opt) d.assumptions.push("optimizer: adamw_torch (the Hugging Face Trainer's default).");
  if (known) {
    put(d, ['optimizer', 'type'], known.type, opt ? yamlEntry(opt, (x) => (x === 'adamw-8bit' ? (name.startsWith('paged_') ? 'paged_adamw_8bit' : 'adamw_bnb_8bit') : x === 'adamw' ? 'adamw_torch' : undefined)) : undefined);
    if (known.note) d.assumptions.push(known.note);
    if (name.startsWith('paged_') && opt) put(d, ['optimizer', 'paged'], true, readOnly(opt.span, 'optimizer'));
    if (name.endsWith('_fused') && opt) put(d, ['optimizer', 'implementation'], 'fused', readOnly(opt.span, 'optimizer'));
  } else {
    put(d, ['optimizer', 'type'], 'adamw', opt ? yamlEntry(opt, (x) => (x === 'adamw-8bit' ? 'adamw_bnb_8bit' : undefined)) : undefined);
    d.assumptions.push(`optimizer ${name.slice(0, 40)}: estimated as AdamW (two fp32 states per trainable parameter).`);
  }

  // ---- precision, checkpointing, attention
  const bf16 = at('bf16');
  const fp16 = at('fp16');
  if (truthy(bf16)) put(d, ['precision'], 'bf16-mixed', readOnly(bf16!.span, 'bf16'));
  else if (truthy(fp16)) put(d, ['precision'], 'fp16-mixed', readOnly(fp16!.span, 'fp16'));
  else {
    put(d, ['precision'], 'fp32');
    d.assumptions.push('Neither bf16 nor fp16 is set: axolotl trains in fp32.');
  }
  if (bf16?.value === 'auto') d.assumptions.push('bf16: auto — bf16 on GPUs that support it (Ampere and later).');
  if (truthy(at('tf32'))) d.assumptions.push('tf32: fp32 matmuls on TF32 tensor cores (does not change memory).');
  const gc = at('gradient_checkpointing');
  const gcOn = gc?.value === true || gc?.value === 'offload' || gc?.value === 'offload_disk';
  put(d, ['activationCheckpointing'], gcOn ? 'full' : 'none', gc ? yamlEntry(gc, (x) => (x === 'full' ? true : x === 'none' ? false : undefined)) : undefined);
  if (gcOn) d.assumptions.push(`gradient_checkpointing${gc?.value === true ? '' : `: ${String(gc?.value)}`}: every decoder layer is recomputed in backward (full checkpointing)${gc?.value === true ? '' : '; the offload of checkpoints to CPU is not modelled'}.`);
  if (truthy(at('flash_attention')) || truthy(at('xformers_attention')) || truthy(at('flex_attention'))) put(d, ['attention'], 'flash', readOnly((at('flash_attention') ?? at('xformers_attention') ?? at('flex_attention'))!.span, 'flash_attention'));
  else if (truthy(at('sdp_attention'))) put(d, ['attention'], 'sdpa', readOnly(at('sdp_attention')!.span, 'sdp_attention'));
  else put(d, ['attention'], 'eager');
  // torch_compile: HF Trainer compiles the whole model, whose forward computes the loss from the labels,
  // so the loss is compiled too (compileLoss defaults to compile). "auto" compiles where torch supports it.
  const compileKey = at('torch_compile');
  if (truthy(compileKey)) {
    put(d, ['compile'], true, readOnly(compileKey!.span, 'torch_compile'));
    if (compileKey!.value === 'auto') d.assumptions.push('torch_compile: auto — estimated as compiled (the model and its loss).');
  }

  // ---- sharding: DeepSpeed or FSDP
  const dsKey = at('deepspeed');
  const fsdpKey = at('fsdp');
  const fsdpConfig = at('fsdp_config');
  const fsdpVersion = at('fsdp_version');
  let sharded = false;
  const fsdpOn = fsdpKey && (Array.isArray(fsdpKey.value) ? fsdpKey.value.length > 0 : typeof fsdpKey.value === 'string' && fsdpKey.value !== '');
  if (fsdpOn && dsKey && typeof dsKey.value === 'string' && dsKey.value) {
    // axolotl's config validation: "deepspeed and fsdp cannot be used together."
    d.problems.push(problem('axolotl-value', 'error', fsdpKey.span, 'deepspeed and fsdp are both set: axolotl refuses the config ("deepspeed and fsdp cannot be used together"). Keep one; Gantry estimates the DeepSpeed one.'));
  }
  if (dsKey && typeof dsKey.value === 'string' && dsKey.value) {
    sharded = true;
    const ds = referencedDeepSpeed(dsKey.value, { span: dsKey.span, label: 'deepspeed' }, ctx, d);
    if (ds) {
      applyDeepSpeed(d, ds);
      // The Trainer fills "auto" from these arguments and refuses values that disagree with them.
      for (const [v, mine, key] of [
        [ds.micro, micro, 'train_micro_batch_size_per_gpu'],
        [ds.accumulation, acc, 'gradient_accumulation_steps'],
      ] as const) {
        const own = positiveInt(mine?.value) ?? 1;
        if (v && v.value !== own) d.problems.push(problem('deepspeed-mismatch', 'error', (mine ?? dsKey).span, `${key} is ${v.value} in ${dsKey.value.slice(0, 60)} but ${own} here; the Trainer refuses to start (set it to "auto" there).`));
      }
    }
  } else if (fsdpKey || (fsdpConfig && fsdpVersion)) {
    sharded = true;
    const words = Array.isArray(fsdpKey?.value) ? (fsdpKey.value as unknown[]).map(String) : typeof fsdpKey?.value === 'string' ? fsdpKey.value.split(' ') : [];
    const strategy = String(yamlAt(y, ['fsdp_config', 'fsdp_sharding_strategy'])?.value ?? yamlAt(y, ['fsdp_config', 'sharding_strategy'])?.value ?? '').toUpperCase();
    const reshard = yamlAt(y, ['fsdp_config', 'reshard_after_forward'])?.value ?? yamlAt(y, ['fsdp_config', 'fsdp_reshard_after_forward'])?.value;
    const fsdp = words.includes('hybrid_shard') || strategy.startsWith('HYBRID') ? 'hybrid' : words.includes('shard_grad_op') || strategy === 'SHARD_GRAD_OP' || reshard === false ? 'grad-op' : 'full';
    const where = fsdpKey ?? fsdpConfig!;
    put(d, ['parallelism', 'fsdp'], fsdp, readOnly(where.span, fsdpKey ? 'fsdp' : 'fsdp_config'));
    const offKey = yamlAt(y, ['fsdp_config', 'fsdp_offload_params']) ?? yamlAt(y, ['fsdp_config', 'offload_params']);
    if (offKey?.value === true) {
      put(d, ['parallelism', 'offload'], 'params', readOnly(offKey.span, 'fsdp_config offload_params'));
      d.assumptions.push('FSDP offload_params: estimated as CPU offload of the parameters (FSDP CPUOffload).');
    }
  }

  // ---- world size
  const ctxGpus = positiveInt(ctx.defaults?.gpusPerNode);
  const nodes = positiveInt(ctx.defaults?.nodes) ?? 1;
  if (ctxGpus) {
    put(d, ['resources'], { nodes, gpusPerNode: ctxGpus });
    d.assumptions.push(`World size: ${nodes} node${nodes === 1 ? '' : 's'} × ${ctxGpus} GPUs, from ${worldSource(ctx.defaults)}.`);
  } else {
    const g = sharded ? ASSUMED_GPUS_PER_NODE : 1;
    put(d, ['resources'], { nodes: 1, gpusPerNode: g });
    d.assumptions.push(sharded ? `World size: assumed one node of ${g} GPUs (DeepSpeed/FSDP; the launcher sets the real count).` : 'World size: assumed one GPU (no DeepSpeed or FSDP; accelerate launch on more GPUs runs plain data parallel).');
  }

  const insert = (path: SpecPath, value: unknown) => insertAxolotl(y, d, path, value);
  const label = `axolotl ${method ? `${method === 'qlora' ? 'QLoRA' : 'LoRA'} of` : 'fine-tune of'} ${String(base.value).slice(0, 60)}`;
  return finish(d, { format: 'axolotl', label, name: ctx.fileName, anchor, defaults: ctx.defaults, insert });
}

function insertAxolotl(y: YamlDoc, d: TrainingDraft, path: SpecPath, value: unknown) {
  const key = path.join('.');
  void d;
  if (key === 'spec.activationCheckpointing') return value === 'full' ? yamlAppend(y, ['gradient_checkpointing: true']) : undefined;
  if (key === 'spec.optimizer.type') return value === 'adamw-8bit' ? yamlAppend(y, ['optimizer: adamw_bnb_8bit']) : undefined;
  if (key === 'spec.batch.micro' && typeof value === 'number') return yamlAppend(y, [`micro_batch_size: ${value}`]);
  if (key === 'spec.batch.gradientAccumulation' && typeof value === 'number') return yamlAppend(y, [`gradient_accumulation_steps: ${value}`]);
  if (key === 'spec.finetune.rank' && typeof value === 'number') return yamlAppend(y, [`lora_r: ${value}`]);
  if (key === 'spec.finetune' && value && typeof value === 'object') {
    const f = value as { method?: string; rank?: number };
    if (f.method !== 'lora' && f.method !== 'qlora') return undefined;
    const r = positiveInt(f.rank) ?? 16;
    return yamlAppend(y, [`adapter: ${f.method}`, `lora_r: ${r}`, `lora_alpha: ${2 * r}`, 'lora_dropout: 0.05', 'lora_target_linear: true', ...(f.method === 'qlora' ? ['load_in_4bit: true'] : [])]);
  }
  if (key === 'spec.parallelism.fsdp' && value === 'full') return yamlAppend(y, ['fsdp:', '  - full_shard', '  - auto_wrap', 'fsdp_config:', '  fsdp_offload_params: false', '  fsdp_state_dict_type: FULL_STATE_DICT', '  fsdp_auto_wrap_policy: TRANSFORMER_BASED_WRAP']);
  return undefined;
}

export type { SourceEntry };
