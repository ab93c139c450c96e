// torchtitan's job config (train_configs/*.toml): `[model] name/flavor` picks an architecture,
// `[training]` the batch and precision, `[parallelism]` the mesh, `[activation_checkpoint]`,
// `[compile]`, float8 converters and `[optimizer]`. Older torchtitan files keep the parallel degrees
// and `batch_size` under `[training]`; both layouts are read. The world size is not in the file
// (torchrun's --nproc_per_node sets it): it comes from the context, or one node of 8 GPUs, said.
import { findModel } from '../catalog/models';
import type { SpecPath } from '../spec/parse';
import type { Architecture } from '../spec/types';
import { parseToml, tomlEntry, tomlInsert, type TomlDoc, type TomlValue } from './tomlDoc';
import { ASSUMED_GPUS_PER_NODE, finish, got, modelRef, newDraft, positiveInt, problem, put, readOnly, slipOf, wholeNumberMessage, worldFromContext, type TrainingDraft } from './trainingDraft';
import type { ForeignSpec, FormatReader, ReadContext } from './types';

/**
 * torchtitan's model flavors (torchtitan/models/<name>/__init__.py) as catalog presets: the
 * architectures are the released checkpoints' (Llama 3 8B/70B/405B are those of Llama 3.1, whose
 * rope scaling does not change memory or FLOPs).
 */
const FLAVORS: Record<string, Record<string, string>> = {
  llama3: { '1b': 'llama-3.2-1b', '3b': 'llama-3.2-3b', '8b': 'llama-3.1-8b', '70b': 'llama-3.1-70b', '405b': 'llama-3.1-405b' },
  llama4: { '17bx16e': 'llama-4-scout-17b-16e' },
  deepseek_v3: { '16b': 'deepseek-v2-lite', '671b': 'deepseek-v3' },
  qwen3: { '8b': 'qwen3-8b', '14b': 'qwen3-14b', '32b': 'qwen3-32b', '30b-a3b': 'qwen3-30b-a3b', '235b-a22b': 'qwen3-235b-a22b' },
};

/** torchtitan's llama3 "debugmodel" (dim 256, 6 layers, 16 heads, vocab 2000; FFN 768 from its multiple_of 256 rule). */
const DEBUG_MODEL: Architecture = { layers: 6, hidden: 256, heads: 16, kvHeads: 16, ffn: 768, vocab: 2000, gatedMlp: true, tiedEmbeddings: false };

/** torchtitan's defaults (torchtitan/config/job_config.py) for what a file leaves out. */
/** The largest world a file's degrees are taken to imply (beyond it, an assumed one node stays). */
const MAX_IMPLIED_GPUS = 1 << 17;
const DEFAULT_LOCAL_BATCH = 8;
const DEFAULT_SEQ_LEN = 2048;

/**
 * The largest torchtitan TOML that is read (torchtitan's own configs are 2 to 4 KB). The TOML parser
 * runs in one step, and under the language server's flags it is the slowest of the readers: a 64 KB
 * TOML of 5,000 one-line keys took 150 to 240 ms, in which no other request was answered; 16 KB
 * takes 35 to 65 ms.
 */
export const MAX_TOML_CHARS = 16 * 1024;

export const torchtitanReader: FormatReader = {
  id: 'torchtitan',
  maxChars: MAX_TOML_CHARS,
  claims(fileName, text) {
    if (!fileName.toLowerCase().endsWith('.toml')) return false;
    const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
    return head.includes('[model]') && head.includes('flavor') && (head.includes('[training') || head.includes('[parallelism') || head.includes('[job') || head.includes('[activation_checkpoint'));
  },
  read(text, ctx) {
    const doc = parseToml(text);
    if (doc.error) {
      // Claimed by its name and content, so say why nothing more can be said.
      const at = { offset: Math.min(doc.error.offset, Math.max(0, text.length - 1)), length: 1 };
      const d = newDraft();
      d.problems.push(problem('toml-syntax', 'error', at, `Not valid TOML: ${doc.error.message.slice(0, 200)}. torchtitan would not start; Gantry checks the rest once it parses.`));
      return [finish(d, { format: 'torchtitan', label: 'torchtitan config (unreadable)', name: ctx.fileName, anchor: at })];
    }
    const name = doc.values.get('model.name');
    const flavor = doc.values.get('model.flavor');
    if (!flavor && !name) return [];
    return [readJob(doc, ctx, name, flavor)];
  },
};

function readJob(doc: TomlDoc, ctx: ReadContext, name: TomlValue | undefined, flavor: TomlValue | undefined): ForeignSpec {
  const d = newDraft();
  const v = (k: string) => doc.values.get(k);
  const anchor = doc.tableSpans.get('model') ?? { offset: 0, length: 1 };
  const modelName = typeof name?.value === 'string' ? name.value : 'llama3';
  const flavorName = typeof flavor?.value === 'string' ? flavor.value : 'debugmodel';
  if (!name) d.assumptions.push("[model] name: 'llama3' (torchtitan's default).");

  // ---- model
  const preset = FLAVORS[modelName]?.[flavorName.toLowerCase()];
  const flavorSpan = flavor?.span ?? name?.span ?? anchor;
  const flavorLabel = flavor?.label ?? '[model] flavor';
  if (preset) {
    put(d, ['model', 'preset'], preset, readOnly(flavorSpan, flavorLabel));
    d.assumptions.push(`Model: torchtitan ${modelName} ${flavorName} has the architecture of the catalog's ${preset}.`);
  } else if (modelName === 'llama3' && flavorName === 'debugmodel') {
    put(d, ['model', 'architecture'], DEBUG_MODEL, readOnly(flavorSpan, flavorLabel));
    d.assumptions.push('Model: torchtitan llama3 debugmodel (dim 256, 6 layers, 16 heads, vocab 2000).');
  } else {
    const assets = v('model.hf_assets_path');
    const local = typeof assets?.value === 'string' ? assets.value : undefined;
    if (!(local && modelRef(local, assets!.span, assets!.label, ctx, d))) {
      if (local) d.problems.pop(); // one problem for the model: at the flavor
      d.problems.push(
        problem(
          'unknown-model',
          'warning',
          flavorSpan,
          `Gantry does not know torchtitan's ${quoteWord(modelName)} flavor ${quoteWord(flavorName)}: no estimate. Known: ${Object.entries(FLAVORS)
            .map(([m, f]) => `${m} ${Object.keys(f).join('/')}`)
            .join('; ')}.`,
        ),
      );
    }
  }

  // ---- world size and mesh (the parallel degrees sit under [parallelism], or [training] in older files)
  const parTable = [...doc.values.keys()].some((k) => k.startsWith('parallelism.')) ? 'parallelism' : [...doc.values.keys()].some((k) => k.startsWith('training.') && k.endsWith('_degree')) ? 'training' : 'parallelism';
  // From 2024-05 to 2025-03 torchtitan kept pipeline and context parallel under [experimental]
  // (config_manager.py --experimental.pipeline_parallel_degree, --experimental.context_parallel_degree,
  // --experimental.pipeline_parallel_microbatches; moved to [parallelism] in 785c34c9): read there when
  // the newer table does not write them.
  const par = (k: string) => v(`${parTable}.${k}`) ?? (EXPERIMENTAL_KEYS.includes(k) ? v(`experimental.${k}`) : undefined);
  const world = worldFromContext(d, ctx.defaults, 'a torchtitan config');
  const worldAssumed = positiveInt(ctx.defaults?.gpusPerNode) === undefined;
  put(d, ['resources'], { nodes: world.nodes, gpusPerNode: world.gpusPerNode });
  const gpus = world.nodes * world.gpusPerNode;
  const degree = (key: string, path: string[] | undefined): number => {
    const e = par(key);
    if (!e) return 1;
    const n = positiveInt(e.value);
    if (n === undefined) {
      d.problems.push(problem('torchtitan-value', 'error', e.span, `${wholeNumberMessage(e.label, e.value, 'a whole number ≥ 1 (torchtitan: 1 means disabled)')}.`));
      return 1;
    }
    if (path) put(d, ['parallelism', ...path], n, tomlEntry(e));
    return n;
  };
  const tp = degree('tensor_parallel_degree', ['tensor']);
  if (tp > 1) {
    // torchtitan's tensor-parallel plans always shard the norms and the residual stream by sequence.
    put(d, ['parallelism', 'sequenceParallel'], true);
    d.assumptions.push("Sequence parallel: torchtitan's tensor-parallel plan shards the norms and the residual stream by sequence (SequenceParallel), so the activations saved between its TP regions are split over the tensor ranks.");
  }
  const pp = degree('pipeline_parallel_degree', ['pipeline']);
  const cp = degree('context_parallel_degree', ['context']);
  const ep = degree('expert_parallel_degree', ['expert']);
  void ep;
  const replicate = degree('data_parallel_replicate_degree', undefined);
  const shardEntry = par('data_parallel_shard_degree');
  let shard: number;
  if (!shardEntry || shardEntry.value === -1) {
    // -1: the ranks left after replicate × tensor × pipeline × context (the default).
    const rest = gpus / (replicate * tp * pp * cp);
    shard = Number.isInteger(rest) && rest >= 1 ? rest : 1;
    if (!Number.isInteger(rest) || rest < 1) {
      // On a world size Gantry assumed (nothing says how many GPUs run the file), the mismatch may be the
      // assumption's: a warning that says so, and the estimate stays.
      const on = worldAssumed ? `the assumed ${world.nodes} node${world.nodes === 1 ? '' : 's'} × ${world.gpusPerNode} GPUs` : `${gpus} GPUs`;
      const tail = worldAssumed ? ' Give the world size (a launcher line, or gpusPerNode in gantry.context.yaml) if the job runs on more.' : '';
      d.problems.push(problem('torchtitan-mesh', worldAssumed ? 'warning' : 'error', shardEntry?.span ?? anchor, `data_parallel_shard_degree -1 takes the GPUs left after replicate ${replicate} × tensor ${tp} × pipeline ${pp} × context ${cp} = ${replicate * tp * pp * cp}, but ${on} do not divide by that.${tail}`));
    }
    if (replicate > 1) put(d, ['parallelism', 'data'], replicate * shard, readOnly(par('data_parallel_replicate_degree')!.span, par('data_parallel_replicate_degree')!.label));
  } else {
    const n = positiveInt(shardEntry.value);
    shard = n ?? 1;
    // Every degree written and no world size given: torchtitan requires their product to be the world size (ParallelDims
    // validates it), so that product is the world the file is written for (a 64-node config is not one node of 8).
    const implied = n !== undefined ? replicate * n * tp * pp * cp : undefined;
    if (worldAssumed && implied !== undefined && implied !== gpus && implied <= MAX_IMPLIED_GPUS) {
      const perNode = implied % ASSUMED_GPUS_PER_NODE === 0 ? ASSUMED_GPUS_PER_NODE : implied < ASSUMED_GPUS_PER_NODE ? implied : undefined;
      if (perNode) {
        const nodes = implied / perNode;
        put(d, ['resources'], { nodes, gpusPerNode: perNode });
        const i = d.assumptions.findIndex((a) => a.startsWith('World size: assumed'));
        const said = `World size: ${implied} GPUs (${nodes} node${nodes === 1 ? '' : 's'} × ${perNode}), the product of the degrees the file writes (replicate ${replicate} × shard ${n} × tensor ${tp} × pipeline ${pp} × context ${cp}), which torchtitan requires to be the world size; nothing else says how many GPUs run it (a launcher line or gpusPerNode in gantry.context.yaml would).`;
        if (i >= 0) d.assumptions[i] = said;
        else d.assumptions.push(said);
        d.assumedWorld = `${implied} GPUs, the product of the file's parallel degrees`;
      }
    }
    if (n === undefined) d.problems.push(problem('torchtitan-value', 'error', shardEntry.span, `${wholeNumberMessage(shardEntry.label, shardEntry.value, '-1 (the rest) or a whole number ≥ 1')}.`));
    else
      put(
        d,
        ['parallelism', 'data'],
        replicate * n,
        tomlEntry(shardEntry, (x) => (typeof x === 'number' && x % replicate === 0 ? x / replicate : undefined)),
      );
  }
  // FSDP2 shards over data_parallel_shard × context; replicate > 1 on top is HSDP.
  const sharded = shard * cp > 1;
  // Gantry's hybrid sharding shards within a node (FSDP HYBRID_SHARD); torchtitan's HSDP shards over data_parallel_shard
  // ranks wherever they sit. Where that group is not one node's, FSDP over every data rank is the nearer reading (the
  // sharded states then counted over replicate × shard ranks, not shard: optimistic on them), said.
  const perNode = positiveInt((got(d, ['resources']) as { gpusPerNode?: unknown } | undefined)?.gpusPerNode) ?? ASSUMED_GPUS_PER_NODE;
  const nodeShard = Math.max(1, Math.floor(perNode / (tp * cp))) * cp;
  const hsdpInNode = replicate > 1 && nodeShard === shard * cp;
  const fsdp = sharded ? (replicate > 1 && hsdpInNode ? 'hybrid' : 'full') : 'none';
  if (sharded && replicate > 1 && !hsdpInNode)
    d.assumptions.push(
      `HSDP (replicate ${replicate} × shard ${shard}): a shard group of ${shard * cp} ranks is not one node's ${nodeShard}, which Gantry's hybrid sharding assumes, so it is estimated as FSDP over all ${replicate * shard * cp} data ranks: the sharded weights, gradients and optimizer states are counted over ${replicate}× more ranks than torchtitan shards them over (optimistic on those).`,
    );
  put(d, ['parallelism', 'fsdp'], fsdp, {
    span: shardEntry?.span ?? anchor,
    label: shardEntry?.label ?? `[${parTable}] data_parallel_shard_degree`,
    write: (x) => (x === 'full' && shardEntry && shardEntry.value !== -1 && replicate === 1 ? { offset: shardEntry.token.offset, length: shardEntry.token.length, newText: '-1' } : undefined),
  });
  if (sharded) d.assumptions.push(`FSDP2 over ${shard * cp} ranks (data_parallel_shard ${shard}${cp > 1 ? ` × context ${cp}` : ''})${replicate > 1 ? `, replicated ${replicate}× (HSDP)` : ''}; torchtitan's FSDP mixed precision: bf16 parameters and compute, fp32 gradient reduction.`);

  // ---- batch
  const trainKey = (a: string, b?: string) => v(`training.${a}`) ?? (b ? v(`training.${b}`) : undefined);
  const local = trainKey('local_batch_size', 'batch_size');
  const localN = local ? positiveInt(local.value) : DEFAULT_LOCAL_BATCH;
  if (!local) d.assumptions.push(`[training] local_batch_size: ${DEFAULT_LOCAL_BATCH} (torchtitan's default).`);
  if (local && localN === undefined) d.problems.push(problem('torchtitan-value', 'error', local.span, `${wholeNumberMessage(local.label, local.value)}.`));
  const micro = localN ?? 1;
  const ppMicroEntry = par('pipeline_parallel_microbatch_size');
  const ppCountEntry = par('pipeline_parallel_microbatches');
  const ppExperimental = !v(`${parTable}.pipeline_parallel_degree`) && !!v('experimental.pipeline_parallel_degree');
  if (pp > 1 && !ppMicroEntry && (ppCountEntry || ppExperimental)) {
    // torchtitan before 2025-04 (#1073): the local batch is split into pipeline_parallel_microbatches
    // microbatches, by default as many as pipeline stages (pipelining_utils.py build_pipeline_schedule).
    const countN = ppCountEntry ? positiveInt(ppCountEntry.value) : pp;
    if (ppCountEntry && countN === undefined) d.problems.push(problem('torchtitan-value', 'error', ppCountEntry.span, `${wholeNumberMessage(ppCountEntry.label, ppCountEntry.value)}.`));
    const n = countN ?? pp;
    const mb = Math.max(1, Math.ceil(micro / n));
    put(d, ['batch', 'micro'], mb, local ? tomlEntry(local, (x) => (typeof x === 'number' ? x * n : undefined)) : undefined);
    const from = ppCountEntry ?? local ?? par('pipeline_parallel_degree')!;
    put(d, ['batch', 'gradientAccumulation'], n, readOnly(from.span, from.label));
    d.assumptions.push(`Pipeline microbatches: ${n}${ppCountEntry ? '' : " (torchtitan's default then: one per pipeline stage)"} of ${micro % n === 0 ? micro / n : `about ${mb}`} sequences each, from the local batch ${micro}.`);
  } else if (pp > 1) {
    // Pipeline: local_batch_size is split into microbatches of pipeline_parallel_microbatch_size.
    const mbN = ppMicroEntry ? positiveInt(ppMicroEntry.value) : 1;
    if (ppMicroEntry && mbN === undefined) d.problems.push(problem('torchtitan-value', 'error', ppMicroEntry.span, `${wholeNumberMessage(ppMicroEntry.label, ppMicroEntry.value)}.`));
    const mb = mbN ?? 1;
    put(d, ['batch', 'micro'], mb, ppMicroEntry ? tomlEntry(ppMicroEntry) : undefined);
    if (micro % mb === 0) put(d, ['batch', 'gradientAccumulation'], micro / mb, local ? readOnly(local.span, local.label) : undefined);
    else if (ppMicroEntry && localN !== undefined) {
      // torchtitan's pipeline schedule splits the local batch into local / microbatch microbatches and
      // raises when that is not whole ("must be divisible by the microbatch size").
      const localLabel = local?.label ?? `[training] local_batch_size (default ${DEFAULT_LOCAL_BATCH})`;
      d.problems.push(problem('torchtitan-value', 'error', ppMicroEntry.span, `${ppMicroEntry.label} ${mb} does not divide ${localLabel} ${micro}: torchtitan refuses the config (the local batch must split into whole microbatches). Use ${orList(divisors(micro))}.`));
    }
  } else {
    put(d, ['batch', 'micro'], micro, local ? tomlEntry(local) : undefined);
  }
  const seq = trainKey('seq_len');
  const seqN = seq ? positiveInt(seq.value) : DEFAULT_SEQ_LEN;
  if (!seq) d.assumptions.push(`[training] seq_len: ${DEFAULT_SEQ_LEN} (torchtitan's default).`);
  if (seq && seqN === undefined) d.problems.push(problem('torchtitan-value', 'error', seq.span, `${wholeNumberMessage(seq.label, seq.value)}.`));
  put(d, ['batch', 'sequenceLength'], seqN ?? DEFAULT_SEQ_LEN, seq ? tomlEntry(seq) : undefined);
  const global = trainKey('global_batch_size');
  if (global && global.value !== -1) {
    const g = positiveInt(global.value);
    if (g === undefined) d.problems.push(problem('torchtitan-value', 'error', global.span, `${wholeNumberMessage(global.label, global.value, '-1 (local × data parallel) or a whole number ≥ 1')}.`));
    else put(d, ['batch', 'global'], g, tomlEntry(global));
  }
  const steps = trainKey('steps');
  if (steps && positiveInt(steps.value)) put(d, ['training', 'steps'], steps.value, tomlEntry(steps));

  // ---- precision, float8, compile, offload
  const param = trainKey('mixed_precision_param');
  const converters = v('model.converters');
  const convList = Array.isArray(converters?.value) ? (converters.value as unknown[]) : typeof converters?.value === 'string' ? (converters.value as string).split(',') : [];
  // Before the converters (#823, 2025-02) float8 was a switch: [float8] enable_float8_linear (from
  // 2024-07, #466), and before that [training] enable_fp8_linear; each swaps nn.Linear for torchao's Float8Linear.
  const oldSwitch = [v('float8.enable_float8_linear'), trainKey('enable_fp8_linear')].find((e) => e?.value === true);
  const float8Entry = convList.some((c) => typeof c === 'string' && (c.includes('float8') || c.includes('mx'))) ? converters : oldSwitch;
  const float8 = !!float8Entry;
  if (float8Entry) {
    put(d, ['precision'], 'fp8-mixed', readOnly(float8Entry.span, float8Entry.label));
    d.assumptions.push(`Float8 linears (torchao${float8Entry === converters ? ' converter' : `, ${float8Entry.label}`}): estimated as fp8 mixed precision (fp8 matmuls); FSDP all-gathers the weights in fp8 only with enable_fsdp_float8_all_gather.`);
  } else if (param) {
    const p = param.value === 'float32' ? 'fp32' : param.value === 'bfloat16' ? 'bf16-mixed' : undefined;
    if (p)
      put(
        d,
        ['precision'],
        p,
        tomlEntry(param, (x) => (x === 'fp32' ? 'float32' : x === 'bf16-mixed' ? 'bfloat16' : undefined)),
      );
    else d.problems.push(problem('torchtitan-value', 'error', param.span, `${param.label} must be "bfloat16" or "float32".`));
  } else {
    put(d, ['precision'], 'bf16-mixed');
    d.assumptions.push('[training] mixed_precision_param: "bfloat16" (torchtitan\'s default).');
  }
  const enable = v('compile.enable');
  const compiled = enable ?? trainKey('compile');
  // Whether torchtitan compiles the model: enable with "model" in components (torchtitan's parallelize.py:
  // model_compile_enabled = compile.enable and "model" in compile.components); memory_budget needs it.
  let modelCompiled = false;
  if (compiled?.value === true) {
    // [compile] components (default ["model", "loss"]) says what is compiled: the model, the loss (the
    // loss is compiled when "loss" is in it, components/loss.py), or both; the older [training] compile
    // compiled each transformer block and left the loss eager.
    const components = v('compile.components');
    const newer = enable !== undefined;
    const has = (word: string) => components === undefined || (Array.isArray(components.value) && components.value.includes(word));
    modelCompiled = !newer || has('model');
    const withLoss = newer && has('loss');
    put(d, ['compile'], modelCompiled, readOnly((modelCompiled ? compiled : (components ?? compiled)).span, modelCompiled ? compiled.label : (components?.label ?? compiled.label)));
    put(d, ['compileLoss'], withLoss, readOnly((components ?? compiled).span, components?.label ?? compiled.label));
    if (newer && components === undefined) d.assumptions.push('[compile] components: ["model", "loss"] (torchtitan\'s default): the loss is compiled too.');
    if (newer && !modelCompiled) d.assumptions.push(`[compile] components has no "model": the model runs eagerly${withLoss ? '; only the loss is compiled' : ''}.`);
    if (!newer) d.assumptions.push('[training] compile: the transformer blocks are compiled; the loss runs eagerly (torchtitan before the [compile] section).');
  }
  // fp8 all-gather of FSDP weights: [float8] in older torchtitan, [quantize.linear.float8] in newer,
  // [training] enable_fsdp_fp8_all_gather before 2024-07.
  const fp8Gather = v('float8.enable_fsdp_float8_all_gather') ?? v('quantize.linear.float8.enable_fsdp_float8_all_gather') ?? trainKey('enable_fsdp_fp8_all_gather');
  if (float8 && fp8Gather?.value === true) put(d, ['float8', 'allGather'], true, readOnly(fp8Gather.span, fp8Gather.label));
  const cpuOffload = trainKey('enable_cpu_offload');
  if (cpuOffload?.value === true) {
    put(d, ['parallelism', 'offload'], 'params', readOnly(cpuOffload.span, cpuOffload.label));
    d.assumptions.push('[training] enable_cpu_offload: estimated as CPU offload of the parameters (FSDP2 CPUOffloadPolicy).');
  }

  // ---- activation checkpointing
  readCheckpointing(d, v, anchor, layerCount(preset, modelName, flavorName), modelCompiled);

  // ---- optimizer
  const impl = v('optimizer.implementation');
  if (impl && typeof impl.value === 'string' && ['fused', 'foreach', 'for-loop'].includes(impl.value)) put(d, ['optimizer', 'implementation'], impl.value, readOnly(impl.span, impl.label));
  else {
    put(d, ['optimizer', 'implementation'], 'fused');
    if (!impl) d.assumptions.push('[optimizer] implementation: "fused" (torchtitan\'s default: no step temporaries).');
    else d.problems.push(problem('torchtitan-value', 'error', impl.span, `${impl.label} must be "fused", "foreach" or "for-loop".`));
  }
  const optName = v('optimizer.name');
  const optWord = typeof optName?.value === 'string' ? optName.value.toLowerCase() : 'adamw';
  const opt = optWord === 'adamw' ? 'adamw' : optWord === 'adam' ? 'adam' : undefined;
  if (opt) put(d, ['optimizer', 'type'], opt, optName ? tomlEntry(optName, (x) => (x === 'adamw' ? 'AdamW' : x === 'adam' ? 'Adam' : undefined)) : undefined);
  else {
    put(d, ['optimizer', 'type'], 'adamw');
    d.assumptions.push(`Optimizer ${quoteWord(String(optName?.value))}: estimated as AdamW (two fp32 states per parameter).`);
  }

  const insert = (path: SpecPath, value: unknown) => insertAt(doc, d, parTable, path, value, micro * shard * replicate);
  const label = `torchtitan ${modelName} ${flavorName}`;
  slippedKeys(doc, d);
  return finish(d, { format: 'torchtitan', label, name: ctx.fileName, anchor, defaults: ctx.defaults, insert });
}

/** A value the file does not write, added in torchtitan's own table and key. */
function insertAt(doc: TomlDoc, d: TrainingDraft, parTable: string, path: SpecPath, value: unknown, globalNow: number) {
  const key = path.join('.');
  if (key === 'spec.activationCheckpointing' && typeof value === 'string') return tomlInsert(doc, 'activation_checkpoint', 'mode', value);
  if (key === 'spec.batch.micro' && typeof value === 'number') return tomlInsert(doc, 'training', 'local_batch_size', value);
  if (key === 'spec.parallelism.tensor' && typeof value === 'number') return tomlInsert(doc, parTable, 'tensor_parallel_degree', value);
  if (key === 'spec.parallelism.pipeline' && typeof value === 'number') return tomlInsert(doc, parTable, 'pipeline_parallel_degree', value);
  // "Lower the micro-batch (same global batch)": torchtitan accumulates when global_batch_size is
  // larger than local × data parallel, so the global batch is what keeps it.
  if (key === 'spec.batch.gradientAccumulation' && ((got(d, ['parallelism', 'pipeline']) as number | undefined) ?? 1) === 1) return tomlInsert(doc, 'training', 'global_batch_size', globalNow);
  return undefined;
}

/** The microbatch sizes that split a local batch of `n` into whole microbatches, the smallest eight (pairs up to √n: a prime near 10^9 costs 31,623 steps, not 10^9). */
function divisors(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let k = 1; k * k <= n; k++) {
    if (n % k !== 0) continue;
    small.push(k);
    if (k * k !== n) large.unshift(n / k);
  }
  return [...small, ...large].slice(0, 8);
}

function orList(xs: number[]): string {
  return xs.length > 1 ? `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}` : String(xs[0]);
}

function quoteWord(s: string): string {
  return `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
}

/** selective_ac_option as torchtitan reads it: a string of digits (or a whole number) is a layer frequency; "op" and anything else is not. */
function layerFrequency(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !value.length || value.length > 9) return undefined;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) < 48 || value.charCodeAt(i) > 57) return undefined;
  return Number(value);
}

/** torchtitan's [activation_checkpoint] defaults (config_manager.py in 2024, job_config.py ActivationCheckpoint to v0.2.2): mode "selective", selective_ac_option "2" (every 2nd layer), memory_budget 0.5. */
const DEFAULT_AC_OPTION = '2';
const DEFAULT_MEMORY_BUDGET = 0.5;

/** [activation_checkpoint] mode, selective_ac_option and memory_budget, as torchtitan applies them (torchtitan/distributed/activation_checkpoint.py). */
function readCheckpointing(d: TrainingDraft, v: (k: string) => TomlValue | undefined, anchor: { offset: number; length: number }, layers: number | undefined, modelCompiled: boolean): void {
  const mode = v('activation_checkpoint.mode');
  const acOption = v('activation_checkpoint.selective_ac_option');
  const modeWord = mode ? mode.value : 'selective';
  if (!mode) d.assumptions.push('[activation_checkpoint] mode: "selective" (torchtitan\'s default).');
  if (modeWord === 'memory_budget') {
    readMemoryBudget(d, v, mode!, layers, modelCompiled);
    return;
  }
  const every = modeWord === 'selective' ? layerFrequency(acOption ? acOption.value : DEFAULT_AC_OPTION) : undefined;
  if (every !== undefined) {
    // torchtitan's layer-level selective AC: a counter over the transformer blocks (1, 2, …) wraps
    // block k in full checkpointing when k % N == 0 (every block when N is 0), the others keep all
    // their activations: full checkpointing of ⌊layers / N⌋ layers (torchtitan/distributed/activation_checkpoint.py).
    if (!acOption) d.assumptions.push(`[activation_checkpoint] selective_ac_option: "${DEFAULT_AC_OPTION}" (torchtitan's default: every 2nd layer is fully checkpointed, the others keep their activations; "op" would be op-level selective checkpointing).`);
    const optionAt = acOption ?? mode;
    const wrapped = layers === undefined ? undefined : every === 0 ? layers : Math.floor(layers / every);
    if (wrapped === 0) {
      put(d, ['activationCheckpointing'], 'none', mode ? readOnly(mode.span, mode.label) : undefined);
      d.problems.push(problem('torchtitan-value', 'warning', acOption?.span ?? anchor, `${acOption?.label ?? '[activation_checkpoint] selective_ac_option'} = ${every} is more than the model's ${layers} layers: no layer is checkpointed (torchtitan wraps block k when k % ${every} == 0).`));
    } else {
      put(d, ['activationCheckpointing'], 'full', mode ? readOnly(mode.span, mode.label) : undefined);
      if (wrapped !== undefined) put(d, ['checkpointedLayers'], wrapped, optionAt ? readOnly(optionAt.span, optionAt.label) : undefined);
      else d.assumptions.push(`Selective checkpointing every ${every} layers (selective_ac_option): the model's layer count is unknown, estimated as full checkpointing of every layer.`);
    }
  } else if (mode && typeof mode.value === 'string' && ['none', 'selective', 'full'].includes(mode.value)) {
    put(d, ['activationCheckpointing'], mode.value, tomlEntry(mode));
    if (mode.value === 'selective' && acOption && acOption.value !== 'op') d.problems.push(problem('torchtitan-value', 'error', acOption.span, `${acOption.label} must be "op" or a whole number of layers (every N-th layer is checkpointed).`));
  } else if (mode) {
    d.problems.push(problem('torchtitan-value', 'error', mode.span, `${mode.label} must be one of "none", "selective", "full", "memory_budget".`));
  }
}

/**
 * mode = "memory_budget" (torchtitan #1731, 2025-10): no per-layer wrapping; the compiler's min-cut
 * partitioner keeps activation memory at memory_budget of the way from full checkpointing (0.0) to
 * the compiled model's own saved activations (1.0) — torch._functorch.config.activation_memory_budget.
 * Gantry has no such policy; the nearest is full checkpointing of (1 − budget) of the layers, whose
 * activations land at the same share, said. torchtitan asserts the model is compiled.
 */
function readMemoryBudget(d: TrainingDraft, v: (k: string) => TomlValue | undefined, mode: TomlValue, layers: number | undefined, modelCompiled: boolean): void {
  const budgetEntry = v('activation_checkpoint.memory_budget');
  const raw = budgetEntry ? budgetEntry.value : DEFAULT_MEMORY_BUDGET;
  const budget = typeof raw === 'number' && raw >= 0 && raw <= 1 ? raw : undefined;
  if (budgetEntry && budget === undefined) d.problems.push(problem('torchtitan-value', 'error', budgetEntry.span, `${budgetEntry.label} must be a number from 0.0 (activation memory of full checkpointing) to 1.0 (none).`));
  if (!modelCompiled) {
    d.problems.push(problem('torchtitan-value', 'error', mode.span, `${mode.label} "memory_budget" needs the model compiled: torchtitan asserts "Memory budget mode requires model to be compiled" ([compile] enable = true with "model" in components).`));
  }
  const b = budget ?? DEFAULT_MEMORY_BUDGET;
  const at = readOnly((budgetEntry ?? mode).span, (budgetEntry ?? mode).label);
  const wrapped = layers === undefined ? undefined : Math.round((1 - b) * layers);
  const said = `[activation_checkpoint] mode "memory_budget" with memory_budget ${b}${budgetEntry ? '' : " (torchtitan's default)"}: the compiler recomputes until activation memory is ${b} of the way from full checkpointing to none`;
  if (wrapped === 0) {
    put(d, ['activationCheckpointing'], 'none', at);
    d.assumptions.push(`${said}; estimated as no checkpointing.`);
  } else if (wrapped === undefined) {
    put(d, ['activationCheckpointing'], 'selective', at);
    d.assumptions.push(`${said}; the model's layer count is unknown, so estimated as op-level selective checkpointing.`);
  } else {
    put(d, ['activationCheckpointing'], 'full', at);
    put(d, ['checkpointedLayers'], wrapped, at);
    d.assumptions.push(`${said}; estimated as full checkpointing of ${wrapped} of ${layers} layers, which keeps that share.`);
  }
}

/** The transformer blocks of a flavor: the catalog preset's, or the debug model's. */
function layerCount(preset: string | undefined, modelName: string, flavorName: string): number | undefined {
  if (preset) return findModel(preset)?.architecture.layers;
  return modelName === 'llama3' && flavorName === 'debugmodel' ? DEBUG_MODEL.layers : undefined;
}

/** The keys this reader reads, by table (the parallel degrees sit under [training] in older files). */
const DEGREES = ['data_parallel_shard_degree', 'data_parallel_replicate_degree', 'tensor_parallel_degree', 'pipeline_parallel_degree', 'context_parallel_degree', 'expert_parallel_degree', 'pipeline_parallel_microbatch_size', 'pipeline_parallel_microbatches'];
/** The keys torchtitan kept under [experimental] from 2024-05 to 2025-03 that this reader reads. */
const EXPERIMENTAL_KEYS: readonly string[] = ['pipeline_parallel_degree', 'context_parallel_degree', 'pipeline_parallel_microbatches'];
const READ_KEYS: Record<string, readonly string[]> = {
  model: ['name', 'flavor', 'hf_assets_path', 'converters'],
  training: ['local_batch_size', 'batch_size', 'seq_len', 'global_batch_size', 'steps', 'mixed_precision_param', 'compile', 'enable_cpu_offload', 'enable_fp8_linear', 'enable_fsdp_fp8_all_gather', ...DEGREES],
  parallelism: DEGREES,
  experimental: EXPERIMENTAL_KEYS,
  float8: ['enable_float8_linear', 'enable_fsdp_float8_all_gather'],
  activation_checkpoint: ['mode', 'selective_ac_option', 'memory_budget'],
  compile: ['enable', 'components'],
  optimizer: ['name', 'implementation'],
};

/**
 * A key that is a slip of one this reader reads (`[training] local_batch_sise`): torchtitan refuses
 * the file ("Invalid field names"), and the value meant is not the one estimated (the default is).
 * Only near misses (2 edits at most, names of 6 letters or more) are said: Gantry does not read
 * every key torchtitan has, and a real one it does not read is left alone.
 */
function slippedKeys(doc: TomlDoc, d: TrainingDraft): void {
  let said = 0;
  for (const [dotted, val] of doc.values) {
    const dot = dotted.indexOf('.');
    if (dot < 0 || dotted.indexOf('.', dot + 1) >= 0) continue;
    const known = READ_KEYS[dotted.slice(0, dot)];
    const near = known && slipOf(dotted.slice(dot + 1), known);
    if (!near || said++ >= 20) continue;
    d.problems.push(problem('torchtitan-value', 'warning', val.span, `${val.label} is not a key torchtitan has; did you mean ${near}? torchtitan refuses the file ("Invalid field names"), and the estimate uses ${near}'s default.`));
  }
}
