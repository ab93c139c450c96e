// axolotl's training config (examples/*/lora-8b.yml, qlora.yml, fft with deepspeed, fsdp): the base
// model, the adapter and its rank, 4/8-bit base weights, batch, optimizer (8-bit and paged variants),
// precision, gradient checkpointing, attention, and the ZeRO settings of the DeepSpeed JSON that
// `deepspeed:` names, or FSDP, and the N-D parallel sizes (tensor, context, dp shard/replicate). The
// world size is the launcher's (accelerate launch / torchrun): from the context, else one GPU without
// sharding and one node of 8 with DeepSpeed or FSDP (or the N-D sizes' product), said.
import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import type { SpecPath } from '../spec/parse';
import { quote, type TextEditAt } from '../validate/problem';
import { referencedDeepSpeed } from './deepspeed';
import { applyDeepSpeed, ASSUMED_GPUS_PER_NODE, finish, MAX_WHOLE, modelRef, newDraft, positiveInt, problem, put, pydanticBool, pydanticInt, readOnly, safeLoadDuplicates, wholeNumberMessage, worldSource, type TrainingDraft } from './trainingDraft';
import type { ForeignSpec, FormatReader, ReadContext, SourceEntry } from './types';
import { lineEndOf, parseYaml, parseYamlDocSteps, pyYamlInt, yamlAppend, yamlAt, yamlEntry, yamlKeySpan, type YamlDoc, type YamlValue } from './yamlDoc';

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
  adamw_torch_8bit: { type: 'adamw-8bit', note: 'adamw_torch_8bit (torchao AdamW8bit): two 8-bit states, estimated as 8-bit AdamW.' },
  adamw_torch_4bit: { type: 'adamw-8bit', note: 'adamw_torch_4bit (torchao AdamW4bit): two 4-bit states; Gantry has no 4-bit optimizer, so estimated as 8-bit AdamW (an upper bound).' },
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
  const entry = (v: YamlValue, convert?: (value: unknown) => unknown) => placeholderEntry(y, v, convert);
  const anchor = yamlKeySpan(y, ['base_model']) ?? base.span;
  safeLoadDuplicates(d, y.duplicates, 'axolotl');
  // A batch or length that is not a whole number: axolotl's schema refuses the config (the default is not used).
  // (pydantic's lax mode takes a string of digits as the number; PyYAML reads `500_000` as one.)
  const whole = (v: YamlValue | undefined, key: string): number | undefined => {
    if (!v || v.value === null) return undefined;
    const value = pydanticInt(pyYamlInt(y, v));
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
    d.problems.push(problem('axolotl-value', 'warning', adapter.span, `adapter ${quote(adapter.value, 20)}: Gantry estimates lora and qlora adapters; this one is estimated as a full fine-tune.`));
  }
  if (method) {
    put(
      d,
      ['finetune', 'method'],
      method,
      entry(adapter!, (x) => (x === 'lora' || x === 'qlora' ? x : undefined)),
    );
    const bits = truthy(four) ? 4 : truthy(eight) ? 8 : method === 'qlora' ? 4 : 16;
    if (bits !== 16 || method === 'qlora') put(d, ['finetune', 'baseBits'], bits, readOnly((bits === 4 ? four : eight)?.span ?? adapter!.span, bits === 4 ? 'load_in_4bit' : 'load_in_8bit'));
    // axolotl's schema (utils/schemas/peft.py validate_qlora) raises on both; a merge (merge_lora) is exempt.
    if (method === 'qlora' && !truthy(at('merge_lora'))) {
      if (truthy(eight)) d.problems.push(problem('axolotl-qlora-4bit', 'error', eight!.span, 'adapter: qlora with load_in_8bit: axolotl refuses the config ("Can\'t load qlora in 8bit"). Set load_in_8bit: false and load_in_4bit: true.'));
      else if (!truthy(four)) d.problems.push(problem('axolotl-qlora-4bit', 'error', (four ?? adapter!).span, 'adapter: qlora needs load_in_4bit: true: axolotl refuses the config otherwise ("Require cfg.load_in_4bit to be True for qlora").'));
    }
    const r = at('lora_r');
    const rank = r ? whole(r, 'lora_r') : undefined;
    if (rank) put(d, ['finetune', 'rank'], rank, entry(r!));
    else d.assumptions.push("lora_r: 16 (Gantry's default; axolotl requires it).");
    const alpha = at('lora_alpha');
    const alphaValue = alpha ? pyYamlInt(y, alpha) : undefined;
    if (alpha && typeof alphaValue === 'number') put(d, ['finetune', 'alpha'], alphaValue, entry(alpha));
    const targets = at('lora_target_modules');
    if (truthy(at('lora_target_linear'))) d.assumptions.push('lora_target_linear: adapters on every linear layer (attention and MLP projections).');
    else if (Array.isArray(targets?.value) && targets.value.length && targets.value.every((t) => typeof t === 'string')) put(d, ['finetune', 'targetModules'], [...new Set(targets.value as string[])], readOnly(targets.span, 'lora_target_modules'));
    const toSave = at('lora_modules_to_save');
    if (given(toSave)) d.assumptions.push(`lora_modules_to_save${Array.isArray(toSave.value) ? ` (${quote(toSave.value.slice(0, 4).map(String).join(', '), 40)})` : ''}: PEFT trains full copies of these modules; their weights, gradients and optimizer states are not counted (not modelled).`);
  } else if (truthy(four) || truthy(eight)) {
    // axolotl's schema (utils/schemas/peft.py validate_adapter) raises: "load_in_8bit and load_in_4bit are not supported without setting an adapter".
    const key = truthy(four) ? 'load_in_4bit' : 'load_in_8bit';
    d.problems.push(
      problem(
        'axolotl-quantized-full',
        'error',
        (truthy(four) ? four : eight)!.span,
        `${key} without an adapter: axolotl refuses the config ("load_in_8bit and load_in_4bit are not supported without setting an adapter"); quantized weights cannot be trained in full. Set adapter: ${truthy(four) ? 'qlora' : 'lora'}, or ${key}: false.`,
      ),
    );
  }

  // ---- batch
  const micro = at('micro_batch_size');
  put(d, ['batch', 'micro'], whole(micro, 'micro_batch_size') ?? 1, micro ? entry(micro) : undefined);
  if (!micro) d.assumptions.push("micro_batch_size: 1 (axolotl's default).");
  const acc = at('gradient_accumulation_steps');
  put(d, ['batch', 'gradientAccumulation'], whole(acc, 'gradient_accumulation_steps') ?? 1, acc ? entry(acc) : undefined);
  const seq = at('sequence_len');
  put(d, ['batch', 'sequenceLength'], whole(seq, 'sequence_len') ?? DEFAULT_SEQ_LEN, seq ? entry(seq) : undefined);
  if (!seq) d.assumptions.push(`sequence_len: ${DEFAULT_SEQ_LEN} (axolotl's default).`);
  d.assumptions.push(truthy(at('sample_packing')) ? 'sample_packing: every micro-batch is packed full to sequence_len.' : 'No sample packing: estimated with every sequence padded to sequence_len (an upper bound for short samples).');
  const maxSteps = at('max_steps');
  const steps = maxSteps ? positiveInt(pydanticInt(pyYamlInt(y, maxSteps))) : undefined;
  if (steps) put(d, ['training', 'steps'], steps, entry(maxSteps!));

  // ---- optimizer
  const opt = at('optimizer');
  const name = typeof opt?.value === 'string' ? opt.value : 'adamw_torch';
  const known = OPTIMIZERS[name];
  if (!opt) d.assumptions.push("optimizer: adamw_torch (the Hugging Face Trainer's default).");
  if (known) {
    put(d, ['optimizer', 'type'], known.type, opt ? entry(opt, (x) => (x === 'adamw-8bit' ? (name.startsWith('paged_') ? 'paged_adamw_8bit' : 'adamw_bnb_8bit') : x === 'adamw' ? 'adamw_torch' : undefined)) : undefined);
    if (known.note) d.assumptions.push(known.note);
    if (name.startsWith('paged_') && opt) put(d, ['optimizer', 'paged'], true, readOnly(opt.span, 'optimizer'));
    if (name.endsWith('_fused') && opt) put(d, ['optimizer', 'implementation'], 'fused', readOnly(opt.span, 'optimizer'));
  } else {
    put(d, ['optimizer', 'type'], 'adamw', opt ? entry(opt, (x) => (x === 'adamw-8bit' ? 'adamw_bnb_8bit' : undefined)) : undefined);
    d.assumptions.push(`optimizer ${quote(name, 40)}: estimated as AdamW (two fp32 states per trainable parameter).`);
  }

  // ---- sharding: DeepSpeed or FSDP. axolotl tests each key's truthiness, so a placeholder written
  // with nothing (`deepspeed:`, `fsdp:`, `fsdp_config:`, as its older templates end) turns nothing on.
  const dsKey = at('deepspeed');
  const fsdpKey = at('fsdp');
  const fsdpConfig = at('fsdp_config');
  const dsOn = given(dsKey) && typeof dsKey.value === 'string';
  const fsdpListOn = given(fsdpKey);
  // fsdp_config is axolotl's canonical FSDP switch (schemas/config.py; the `fsdp:` list is deprecated);
  // fsdp_config.fsdp_version / version is lifted to the top level (validation.py check_fsdp_version_in_fsdp_config).
  const fsdpOn = fsdpListOn || (given(fsdpConfig) && isPlainMap(fsdpConfig.value));
  // A key of fsdp_config in axolotl's form (`offload_params`) or the older prefixed one (`fsdp_offload_params`),
  // which axolotl strips (validation.py check_fsdp_config_kwargs_prefix).
  const fsdpAt = (key: string) => yamlAt(y, ['fsdp_config', key]) ?? yamlAt(y, ['fsdp_config', `fsdp_${key}`]);
  if (fsdpListOn && dsOn) {
    // axolotl's config validation (check_fsdp_deepspeed): "deepspeed and fsdp cannot be used together."
    d.problems.push(problem('axolotl-value', 'error', fsdpKey!.span, 'deepspeed and fsdp are both set: axolotl refuses the config ("deepspeed and fsdp cannot be used together"). Keep one; Gantry estimates the DeepSpeed one.'));
  }
  let sharded = false;
  let fsdpAc = false;
  if (dsOn) {
    sharded = true;
    const ds = referencedDeepSpeed(dsKey.value as string, { span: dsKey.span, label: 'deepspeed' }, ctx, d);
    if (ds) {
      applyDeepSpeed(d, ds);
      // The Trainer fills "auto" from these arguments and refuses values that disagree with them.
      for (const [v, mine, key] of [
        [ds.micro, micro, 'train_micro_batch_size_per_gpu'],
        [ds.accumulation, acc, 'gradient_accumulation_steps'],
      ] as const) {
        const own = positiveInt(pydanticInt(mine ? pyYamlInt(y, mine) : undefined)) ?? 1;
        if (v && v.value !== own) d.problems.push(problem('deepspeed-mismatch', 'error', (mine ?? dsKey).span, `${key} is ${v.value} in ${quote(dsKey.value, 60)} but ${own} here; the Trainer refuses to start (set it to "auto" there).`));
      }
    }
  } else if (fsdpOn) {
    sharded = true;
    const words = Array.isArray(fsdpKey?.value) ? (fsdpKey.value as unknown[]).map(String) : fsdpListOn && typeof fsdpKey?.value === 'string' ? fsdpKey.value.split(' ') : [];
    const strategy = String(fsdpAt('sharding_strategy')?.value ?? '').toUpperCase();
    const reshard = fsdpAt('reshard_after_forward')?.value;
    const fsdp = words.includes('hybrid_shard') || strategy.startsWith('HYBRID') ? 'hybrid' : words.includes('shard_grad_op') || strategy === 'SHARD_GRAD_OP' || reshard === false ? 'grad-op' : 'full';
    const where = fsdpListOn ? fsdpKey! : fsdpConfig!;
    put(d, ['parallelism', 'fsdp'], fsdp, readOnly(where.span, fsdpListOn ? 'fsdp' : 'fsdp_config'));
    const offKey = fsdpAt('offload_params');
    if (offKey && pydanticBool(offKey.value) === true) {
      put(d, ['parallelism', 'offload'], 'params', readOnly(offKey.span, 'fsdp_config offload_params'));
      d.assumptions.push('FSDP offload_params: estimated as CPU offload of the parameters (FSDP CPUOffload).');
    }
    // FSDP's own activation checkpointing (utils/trainer.py setup_fsdp_envs: FSDP_ACTIVATION_CHECKPOINTING) wraps every decoder layer.
    const acKey = fsdpAt('activation_checkpointing');
    if (acKey && pydanticBool(acKey.value) === true) {
      fsdpAc = true;
      put(
        d,
        ['activationCheckpointing'],
        'full',
        entry(acKey, (x) => (x === 'full' ? true : x === 'none' ? false : undefined)),
      );
      d.assumptions.push('FSDP activation_checkpointing: every decoder layer is recomputed in backward (full checkpointing).');
    }
  }

  // ---- precision, checkpointing, attention
  // axolotl's bf16 defaults to "auto" (schemas/config.py, since 0.4): a file that writes neither bf16 nor fp16 trains in bf16 where the GPU has it.
  // resolve_dtype: an fp16: true over bf16 "auto" turns bf16 off; an explicit bf16: true wins over fp16.
  const bf16 = at('bf16');
  const fp16 = at('fp16');
  const bf16Auto = !bf16 || bf16.value === 'auto';
  const bf16On = bf16Auto ? !truthy(fp16) : truthy(bf16);
  const fullFinetune = !method;
  if (bf16On) {
    // resolve_dtype sets torch_dtype bfloat16 and the model loads in it (loaders/model.py). Under FSDP accelerate upcasts
    // the parameters to fp32 when mixed precision is on (fsdp2_prepare_model; FSDP1 in Accelerator.prepare_model), and
    // DeepSpeed's bf16 engine keeps an fp32 master copy: mixed precision. Without either the bf16 weights are what the
    // optimizer steps, so weights, gradients and optimizer states are all bf16. (Adapters stay fp32: PEFT upcasts them.)
    const pure = fullFinetune && !sharded;
    put(d, ['precision'], pure ? 'bf16' : 'bf16-mixed', bf16 ? readOnly(bf16.span, 'bf16') : undefined);
    if (!bf16) d.assumptions.push("bf16: auto (axolotl's default): bf16 on GPUs that support it (Ampere and later).");
    if (pure) {
      const attnOf = attentionOf(y);
      const fp32Embeddings = attnOf.impl === undefined || attnOf.impl === 'sdpa' || attnOf.impl === 'eager';
      d.assumptions.push(
        `Pure bf16: a full fine-tune without DeepSpeed or FSDP loads the model in bf16 (axolotl's resolve_dtype: torch_dtype bfloat16), so weights, gradients and optimizer states are bf16${fp32Embeddings ? '; axolotl keeps the embeddings and lm_head in fp32 under sdpa or eager attention, which is not modelled (counted in bf16)' : ''}.`,
      );
    }
  } else if (truthy(fp16)) put(d, ['precision'], 'fp16-mixed', readOnly(fp16!.span, 'fp16'));
  else {
    put(d, ['precision'], 'fp32', bf16 ? readOnly(bf16.span, 'bf16') : undefined);
    d.assumptions.push('bf16 and fp16 are off: axolotl trains in fp32.');
  }
  if (bf16?.value === 'auto') d.assumptions.push('bf16: auto — bf16 on GPUs that support it (Ampere and later).');
  if (truthy(at('tf32'))) d.assumptions.push('tf32: fp32 matmuls on TF32 tensor cores (does not change memory).');
  const gc = at('gradient_checkpointing');
  const gcOn = gc?.value === true || gc?.value === 'offload' || gc?.value === 'offload_disk';
  if (!fsdpAc || gcOn) put(d, ['activationCheckpointing'], gcOn ? 'full' : 'none', gc ? entry(gc, (x) => (x === 'full' ? true : x === 'none' ? false : undefined)) : undefined);
  if (gcOn) d.assumptions.push(`gradient_checkpointing${gc?.value === true ? '' : `: ${String(gc?.value)}`}: every decoder layer is recomputed in backward (full checkpointing)${gc?.value === true ? '' : '; the offload of checkpoints to CPU is not modelled'}.`);
  const attn = attentionOf(y);
  put(d, ['attention'], attn.attention, attn.at ? readOnly(attn.at.span, attn.label) : undefined);
  if (attn.note) d.assumptions.push(attn.note);
  // torch_compile: HF Trainer compiles the whole model, whose forward computes the loss from the labels,
  // so the loss is compiled too (compileLoss defaults to compile). "auto" compiles where torch supports it.
  const compileKey = at('torch_compile');
  if (truthy(compileKey)) {
    put(d, ['compile'], true, readOnly(compileKey!.span, 'torch_compile'));
    if (compileKey!.value === 'auto') d.assumptions.push('torch_compile: auto — estimated as compiled (the model and its loss).');
  }
  notModelled(y, d, fullFinetune);

  // ---- N-D parallelism (axolotl passes these to accelerate's ParallelismConfig: utils/distributed.py _get_parallel_config_kwargs)
  const size = (key: string) => {
    const v = at(key);
    return v && v.value !== null ? positiveInt(pydanticInt(pyYamlInt(y, v))) : undefined;
  };
  const tpKey = at('tensor_parallel_size');
  const cpName = at('context_parallel_size') ? 'context_parallel_size' : 'sequence_parallel_degree';
  const cpKey = at(cpName);
  const tp = size('tensor_parallel_size') ?? 1;
  const cp = size(cpName) ?? 1;
  const dpShard = size('dp_shard_size');
  const dpReplicate = size('dp_replicate_size');
  if (tp > 1) put(d, ['parallelism', 'tensor'], tp, entry(tpKey!));
  if (cp > 1) {
    put(d, ['parallelism', 'context'], cp, entry(cpKey!));
    d.assumptions.push(`${cpName} ${cp}: each sequence is split over ${cp} GPUs (context parallel).`);
  }
  if (dpReplicate !== undefined && dpReplicate > 1) {
    if (fsdpOn && !dsOn) {
      put(d, ['parallelism', 'fsdp'], 'hybrid', readOnly(at('dp_replicate_size')!.span, 'dp_replicate_size'));
      d.assumptions.push(`dp_replicate_size ${dpReplicate}${dpShard ? ` × dp_shard_size ${dpShard}` : ''}: estimated as hybrid FSDP (Gantry shards inside a node and replicates across nodes, not over dp_shard_size GPUs exactly).`);
    } else d.assumptions.push(`dp_replicate_size ${dpReplicate}: not read (without FSDP it is plain data parallel, which the world size gives).`);
  }
  const ep = at('expert_parallel_size');
  if (ep && ep.value !== null && (positiveInt(pydanticInt(pyYamlInt(y, ep))) ?? 1) > 1) d.assumptions.push(`expert_parallel_size ${quote(ep.value, 10)}: not read (estimated without expert parallelism).`);

  // ---- world size
  const ctxGpus = positiveInt(ctx.defaults?.gpusPerNode);
  const nodes = positiveInt(ctx.defaults?.nodes) ?? 1;
  const mesh = tp * cp;
  if (ctxGpus) {
    put(d, ['resources'], { nodes, gpusPerNode: ctxGpus });
    d.assumptions.push(`World size: ${nodes} node${nodes === 1 ? '' : 's'} × ${ctxGpus} GPUs, from ${worldSource(ctx.defaults)}.`);
  } else if (dpShard !== undefined || mesh > 1) {
    // The sizes name a mesh: its product (with dp_shard_size written) or the assumed node rounded up to a multiple of tp × cp.
    const assumed = sharded ? ASSUMED_GPUS_PER_NODE : 1;
    const world = dpShard !== undefined ? mesh * dpShard * (dpReplicate ?? 1) : Math.ceil(Math.max(assumed, mesh * (dpReplicate ?? 1)) / mesh) * mesh;
    const perNode = world > ASSUMED_GPUS_PER_NODE && world % ASSUMED_GPUS_PER_NODE === 0 ? ASSUMED_GPUS_PER_NODE : world;
    put(d, ['resources'], { nodes: world / perNode, gpusPerNode: perNode });
    if (dpShard === undefined && sharded) d.assumedWorld = `${world} GPUs`;
    d.assumptions.push(
      `World size: assumed ${world} GPUs, from ${[tp > 1 ? `tensor_parallel_size ${tp}` : '', cp > 1 ? `${cpName} ${cp}` : '', dpShard !== undefined ? `dp_shard_size ${dpShard}` : '', dpReplicate !== undefined ? `dp_replicate_size ${dpReplicate}` : ''].filter(Boolean).join(' × ')}${dpShard === undefined ? ` over ${sharded ? `one node of ${ASSUMED_GPUS_PER_NODE}` : 'the fewest GPUs that hold them'}` : ''} (the launcher sets the real count).`,
    );
  } else {
    const g = sharded ? ASSUMED_GPUS_PER_NODE : 1;
    put(d, ['resources'], { nodes: 1, gpusPerNode: g });
    // Sharded states per GPU rest on the world size; a single GPU's memory does not.
    if (sharded) d.assumedWorld = `one node of ${g} GPUs`;
    d.assumptions.push(sharded ? `World size: assumed one node of ${g} GPUs (DeepSpeed/FSDP; the launcher sets the real count).` : 'World size: assumed one GPU (no DeepSpeed or FSDP; accelerate launch on more GPUs runs plain data parallel).');
  }

  const insert = (path: SpecPath, value: unknown) => insertAxolotl(y, path, value, dsOn);
  const label = `axolotl ${method ? `${method === 'qlora' ? 'QLoRA' : 'LoRA'} of` : 'fine-tune of'} ${String(base.value).slice(0, 60)}`;
  return finish(d, { format: 'axolotl', label, name: ctx.fileName, anchor, defaults: ctx.defaults, insert });
}

/**
 * The attention kernel: `attn_implementation` (axolotl's canonical key; normalize_attn_implementation
 * maps the deprecated booleans onto it), else the legacy flags, else transformers' own default, SDPA
 * (eager only on a model without SDPA support), said.
 */
function attentionOf(y: YamlDoc): { attention: 'flash' | 'sdpa' | 'eager'; impl?: string; at?: YamlValue; label: string; note?: string } {
  const pyTrue = (v: YamlValue | undefined) => v !== undefined && pydanticBool(v.value) === true;
  const implKey = yamlAt(y, ['attn_implementation']);
  if (implKey && typeof implKey.value === 'string' && implKey.value) {
    const impl = implKey.value;
    const label = 'attn_implementation';
    if (impl === 'sdpa' || impl === 'eager') return { attention: impl, impl, at: implKey, label };
    if (impl === 'flash_attention_2' || impl === 'flash_attention_3' || impl.includes('flash-attn') || impl.includes('flash_attn')) return { attention: 'flash', impl, at: implKey, label };
    // flex, xformers and sage attention are tiled: no s×s score matrix is kept, as with FlashAttention.
    if (impl === 'flex_attention' || impl === 'xformers' || impl === 'sage' || impl.includes('sage')) return { attention: 'flash', impl, at: implKey, label, note: `attn_implementation ${quote(impl, 30)}: estimated as flash attention (no s×s scores kept).` };
    return { attention: 'sdpa', impl, at: implKey, label, note: `attn_implementation ${quote(impl, 30)}: a kernel Gantry does not know; estimated as sdpa.` };
  }
  for (const [flag, attention, impl] of [
    ['flash_attention', 'flash', 'flash_attention_2'],
    ['xformers_attention', 'flash', 'xformers'],
    ['flex_attention', 'flash', 'flex_attention'],
    ['sage_attention', 'flash', 'sage'],
    ['sdp_attention', 'sdpa', 'sdpa'],
    ['eager_attention', 'eager', 'eager'],
  ] as const) {
    const v = yamlAt(y, [flag]);
    if (pyTrue(v)) return { attention, impl, at: v, label: flag };
  }
  return { attention: 'sdpa', label: 'attn_implementation', note: "Attention: neither attn_implementation nor a flash/sdp flag is set, so transformers' default, sdpa (eager only for a model without SDPA support)." };
}

/** Keys that change memory but that the estimate does not model: each named in an assumption, never passed over in silence. */
function notModelled(y: YamlDoc, d: TrainingDraft, fullFinetune: boolean): void {
  const v = (key: string) => yamlAt(y, [key]);
  const rl = v('rl');
  if (given(rl)) d.assumptions.push(`rl: ${quote(rl.value, 20)} — not modelled: the estimate is of supervised fine-tuning (preference training such as DPO forwards chosen and rejected sequences together, and may run a reference model).`);
  const plugins = v('plugins');
  const cce = Array.isArray(plugins?.value) && plugins.value.some((p) => typeof p === 'string' && p.includes('CutCrossEntropy'));
  if (given(v('liger_fused_linear_cross_entropy')) && pydanticBool(v('liger_fused_linear_cross_entropy')!.value) === true) d.assumptions.push('liger_fused_linear_cross_entropy: the full logits are never materialised; not modelled, so the logits are counted in full (an upper bound).');
  else if (cce || pydanticBool(v('cut_cross_entropy')?.value) === true) d.assumptions.push('Cut Cross Entropy: the full logits are never materialised; not modelled, so the logits are counted in full (an upper bound).');
  if (given(v('unfrozen_parameters')) && fullFinetune) d.assumptions.push('unfrozen_parameters: only the listed parameters train; not modelled, so estimated as a full fine-tune of every weight (an upper bound).');
  const offload = v('activation_offloading');
  if (given(offload)) d.assumptions.push(`activation_offloading${offload.value === true ? '' : `: ${quote(offload.value, 20)}`}: activations moved to CPU memory; not modelled, so counted in GPU memory (an upper bound).`);
  if (given(v('tiled_mlp'))) d.assumptions.push('tiled_mlp: the MLP runs in tiles along the sequence; not modelled (its activations are counted whole).');
}

/** A value written with nothing, or with what Python reads as false (`fsdp:`, `deepspeed: ''`, `fsdp: []`, `fsdp_config: {}`): axolotl tests its keys' truthiness. */
function given(v: YamlValue | undefined): v is YamlValue {
  if (!v) return false;
  const x = v.value;
  if (x === null || x === undefined || x === '' || x === false || x === 0) return false;
  if (Array.isArray(x)) return x.length > 0;
  if (typeof x === 'object') return Object.keys(x).length > 0;
  return true;
}

function isPlainMap(x: unknown): boolean {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

/**
 * yamlEntry, and for a key written with no value (`gradient_checkpointing:`) a space after its colon,
 * so that the rewrite reads `key: value` and not the one plain string `key:value`.
 */
function placeholderEntry(y: YamlDoc, v: YamlValue, convert?: (value: unknown) => unknown): SourceEntry {
  const e = yamlEntry(v, convert);
  if (v.value !== null || v.token.length > 0) return e;
  return {
    ...e,
    write(value) {
      const edit = e.write?.(value);
      return edit && y.text[edit.offset - 1] === ':' ? { ...edit, newText: ` ${edit.newText}` } : edit;
    },
  };
}

/**
 * One edit that sets top-level keys, each given as its YAML lines (`key: value`, or `key:` and indented
 * lines): a key the file already has — a placeholder written with no value, or any other — is rewritten
 * where it stands, the rest appended at the end. Never a second copy of a key (PyYAML would keep the
 * last silently, and Gantry warns of it). Undefined where the file's layout is not plain block YAML.
 */
function setTopLevel(y: YamlDoc, blocks: { key: string; lines: string[] }[]): TextEditAt | undefined {
  if (!y.doc || y.error || !isMap(y.doc.contents)) return undefined;
  const text = y.text;
  const items = y.doc.contents.items;
  const parts: { offset: number; end: number; newText: string }[] = [];
  const appended: string[] = [];
  for (const b of blocks) {
    const pair = items.find((p) => isScalar(p.key) && p.key.value === b.key);
    const keyRange = (pair?.key as YamlNode | undefined)?.range;
    if (!pair || !keyRange) {
      appended.push(...b.lines);
      continue;
    }
    if (keyRange[0] > 0 && text[keyRange[0] - 1] !== '\n') return undefined;
    const valueEnd = (pair.value as YamlNode | null)?.range?.[1] ?? keyRange[1];
    parts.push({ offset: keyRange[0], end: lineEndOf(text, Math.max(valueEnd, keyRange[1])), newText: b.lines.join('\n') });
  }
  if (!parts.length) return yamlAppend(y, appended);
  parts.sort((a, b) => a.offset - b.offset);
  if (parts.some((p, k) => k > 0 && p.offset < parts[k - 1].end)) return undefined;
  let out = '';
  let from = parts[0].offset;
  for (const p of parts) {
    out += text.slice(from, p.offset) + p.newText;
    from = p.end;
  }
  if (!appended.length) return { offset: parts[0].offset, length: from - parts[0].offset, newText: out };
  const rest = text.slice(from);
  out += `${rest}${rest === '' || rest.endsWith('\n') ? '' : '\n'}${appended.join('\n')}\n`;
  return { offset: parts[0].offset, length: text.length - parts[0].offset, newText: out };
}

function insertAxolotl(y: YamlDoc, path: SpecPath, value: unknown, deepspeed: boolean) {
  const key = path.join('.');
  const set = (k: string, v: string | number | boolean) => setTopLevel(y, [{ key: k, lines: [`${k}: ${v}`] }]);
  if (key === 'spec.activationCheckpointing') return value === 'full' ? set('gradient_checkpointing', true) : undefined;
  if (key === 'spec.optimizer.type') return value === 'adamw-8bit' ? set('optimizer', 'adamw_bnb_8bit') : undefined;
  if (key === 'spec.batch.micro' && typeof value === 'number') return set('micro_batch_size', value);
  if (key === 'spec.batch.gradientAccumulation' && typeof value === 'number') return set('gradient_accumulation_steps', value);
  if (key === 'spec.finetune.rank' && typeof value === 'number') return set('lora_r', value);
  if (key === 'spec.finetune' && value && typeof value === 'object') {
    const f = value as { method?: string; rank?: number };
    if (f.method !== 'lora' && f.method !== 'qlora') return undefined;
    const r = positiveInt(f.rank) ?? 16;
    const keys: [string, string | number | boolean][] = [
      ['adapter', f.method],
      ['lora_r', r],
      ['lora_alpha', 2 * r],
      ['lora_dropout', 0.05],
      ['lora_target_linear', true],
      // axolotl refuses qlora without 4-bit weights or with 8-bit ones.
      ...(f.method === 'qlora' ? ([['load_in_4bit', true]] as [string, boolean][]) : []),
      ...(f.method === 'qlora' && yamlAt(y, ['load_in_8bit']) ? ([['load_in_8bit', false]] as [string, boolean][]) : []),
    ];
    return setTopLevel(
      y,
      keys.map(([k, v]) => ({ key: k, lines: [`${k}: ${v}`] })),
    );
  }
  // Not with DeepSpeed: axolotl refuses both together (a ZeRO stage lives in the DeepSpeed JSON, which Gantry does not rewrite).
  // axolotl's current form: fsdp_config with fsdp_version 2 and unprefixed keys (the `fsdp:` list is deprecated).
  if (key === 'spec.parallelism.fsdp' && value === 'full' && !deepspeed) {
    return setTopLevel(y, [{ key: 'fsdp_config', lines: ['fsdp_config:', '  fsdp_version: 2', '  offload_params: false', '  auto_wrap_policy: TRANSFORMER_BASED_WRAP', '  state_dict_type: FULL_STATE_DICT', '  reshard_after_forward: true'] }]);
  }
  return undefined;
}

export type { SourceEntry };
