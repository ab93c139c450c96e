// Hugging Face accelerate's config (`accelerate config` → default_config.yaml, the files passed to
// `accelerate launch --config_file`): the world size (num_processes over num_machines), mixed
// precision, and FSDP or DeepSpeed settings. It names no model: on its own it gets the checks of
// its own numbers; with a model from the context (ForeignDefaults.model), the full estimate.
import type { SpecPath } from '../spec/parse';
import { deepSpeedBatchProblem, referencedDeepSpeed } from './deepspeed';
import { applyDeepSpeed, finish, modelRef, newDraft, positiveInt, problem, put, readOnly, safeLoadDuplicates, wholeNumberMessage, worldSource, type DeepSpeedSettings, type TrainingDraft } from './trainingDraft';
import type { ForeignSpec, FormatReader, ReadContext } from './types';
import { applyTrainerArgs } from './trainerArgs';
import { parseYaml, parseYamlDocSteps, pyYamlInt, yamlAt, yamlEntry, yamlInsertIn, yamlKeySpan, type YamlDoc, type YamlValue } from './yamlDoc';

const DISTRIBUTED = ['NO', 'MULTI_GPU', 'MULTI_CPU', 'MULTI_NPU', 'MULTI_XPU', 'MULTI_MLU', 'MULTI_MUSA', 'MULTI_HPU', 'FSDP', 'DEEPSPEED', 'MEGATRON_LM', 'XLA', 'TPU'];
const ASSUMED_SEQ_LEN = 2048;

/** accelerate's FSDP sharding strategies (names or their 1-based numbers) → Gantry's. */
function fsdpOf(v: unknown): 'full' | 'grad-op' | 'none' | 'hybrid' | undefined {
  const s = String(v).toUpperCase();
  if (s === 'FULL_SHARD' || s === '1') return 'full';
  if (s === 'SHARD_GRAD_OP' || s === '2') return 'grad-op';
  if (s === 'NO_SHARD' || s === '3') return 'none';
  if (s === 'HYBRID_SHARD' || s === '4' || s === 'HYBRID_SHARD_ZERO2' || s === '5') return 'hybrid';
  return undefined;
}

export const accelerateReader: FormatReader = {
  id: 'accelerate',
  claims(fileName, text) {
    const n = fileName.toLowerCase();
    if (!(n.endsWith('.yml') || n.endsWith('.yaml')) || n.endsWith('.gantry.yaml') || n.endsWith('.gantry.yml')) return false;
    const head = `\n${text.length > 200_000 ? text.slice(0, 200_000) : text}`;
    // `accelerate config` writes these next to distributed_type; a hand-written file for a launcher that passes
    // --num_processes itself (accelerate's examples/slurm) may have only its fsdp_config or deepspeed_config block.
    return head.includes('\ndistributed_type:') && ['\nnum_processes:', '\ncompute_environment:', '\nmixed_precision:', '\nfsdp_config:', '\ndeepspeed_config:'].some((m) => head.includes(m));
  },
  read(text, ctx) {
    return readParsed(parseYaml(text, { lastKeyWins: true }), ctx);
  },
  *readSteps(text, ctx) {
    return readParsed(yield* parseYamlDocSteps(text, { lastKeyWins: true }), ctx);
  },
};

function readParsed(y: YamlDoc, ctx: ReadContext): ForeignSpec[] {
  const d = newDraft();
  if (y.error) {
    d.problems.push(problem('yaml-syntax', 'error', y.error, `Not valid YAML: ${y.error.message}. accelerate would not start; Gantry checks the rest once it parses.`));
    return [finish(d, { format: 'accelerate', label: 'accelerate config (unreadable)', name: ctx.fileName, anchor: y.error })];
  }
  const at = (...p: string[]) => yamlAt(y, p);
  safeLoadDuplicates(d, y.duplicates, 'accelerate');
  const dist = at('distributed_type');
  if (!dist || typeof dist.value !== 'string') return [];
  const anchor = yamlKeySpan(y, ['distributed_type']) ?? dist.span;
  const kind = dist.value.toUpperCase();
  if (!DISTRIBUTED.includes(kind)) d.problems.push(problem('accelerate-value', 'error', dist.span, `distributed_type ${dist.value.slice(0, 40)} is not one of accelerate's (${DISTRIBUTED.slice(0, 9).join(', ')}, …).`));

  // ---- world size: num_processes is every process of every machine.
  const procs = at('num_processes');
  const machines = at('num_machines');
  // accelerate loads the file with PyYAML (YAML 1.1: `1_024` is a number).
  const procsValue = procs ? pyYamlInt(y, procs) : undefined;
  const nProcs = procs ? positiveInt(procsValue) : undefined;
  if (procs && nProcs === undefined && procsValue !== -1) d.problems.push(problem('accelerate-value', 'error', procs.span, `${wholeNumberMessage('num_processes', procs.value, 'a whole number ≥ 1 (or -1: every visible GPU)')}.`));
  const nMachines = positiveInt(machines ? pyYamlInt(y, machines) : undefined) ?? 1;
  let gpusPerNode = nProcs ?? positiveInt(ctx.defaults?.gpusPerNode) ?? 1;
  let nodes = nMachines;
  // `accelerate launch --num_processes N` on the launching line wins over this file's num_processes (accelerate's command line does).
  const launched = ctx.defaults?.launchWorld ? positiveInt(ctx.defaults.gpusPerNode) : undefined;
  if (launched !== undefined) {
    gpusPerNode = launched;
    nodes = positiveInt(ctx.defaults?.nodes) ?? nMachines;
    d.assumptions.push(`World size: ${nodes} × ${launched} processes, from ${worldSource(ctx.defaults)}; accelerate's command line wins over this file's num_processes${nProcs !== undefined ? ` (${nProcs})` : ''}.`);
  } else if (nProcs !== undefined) {
    const uneven = unevenWorld(nProcs, nMachines, 'num_processes', 'num_machines');
    if (uneven) d.problems.push(problem('accelerate-world', uneven.severity, procs!.span, uneven.message));
    // What accelerate runs: num_processes // num_machines on each machine (none: the estimate is of one process per machine).
    gpusPerNode = Math.max(1, Math.floor(nProcs / nMachines));
    d.assumptions.push(`World size: ${nodes} machine${nodes === 1 ? '' : 's'} × ${gpusPerNode} process${gpusPerNode === 1 ? '' : 'es'}, from num_machines and num_processes${uneven ? ` (${nProcs} // ${nMachines} each)` : ''}.`);
  } else if (procsValue === -1) d.assumptions.push('num_processes: -1 (every visible GPU).');
  if (launched === undefined && nProcs === undefined && positiveInt(ctx.defaults?.gpusPerNode)) d.assumptions.push(`World size: ${gpusPerNode} GPUs per machine, from ${worldSource(ctx.defaults)} (num_processes does not say).`);
  if (kind === 'NO' && (nProcs ?? 1) > 1) d.problems.push(problem('accelerate-world', 'warning', dist.span, `distributed_type NO runs one process, but num_processes is ${nProcs}; use MULTI_GPU, FSDP or DEEPSPEED.`));
  const perNodeEntry = procs && launched === undefined ? yamlEntry(procs, (x) => (typeof x === 'number' ? x * nodes : undefined)) : undefined;
  put(d, ['resources'], { nodes, gpusPerNode });
  if (perNodeEntry) d.sources.set('spec.resources.gpusPerNode', perNodeEntry);
  if (machines) d.sources.set('spec.resources.nodes', readOnly(machines.span, 'num_machines'));

  // ---- precision
  // accelerate lower-cases the value (utils/launch.py: PrecisionType(args.mixed_precision.lower())); null is "not set".
  const mpKey = at('mixed_precision');
  const mp = mpKey && mpKey.value !== null ? mpKey : undefined;
  const mpWord = typeof mp?.value === 'string' ? mp.value.toLowerCase() : mp?.value;
  const precision = mpWord === 'bf16' ? 'bf16-mixed' : mpWord === 'fp16' ? 'fp16-mixed' : mpWord === 'fp8' ? 'fp8-mixed' : mpWord === 'no' || mpWord === false ? 'fp32' : undefined;
  if (precision)
    put(
      d,
      ['precision'],
      precision,
      yamlEntry(mp!, (x) => (x === 'bf16-mixed' ? 'bf16' : x === 'fp16-mixed' ? 'fp16' : x === 'fp32' ? 'no' : undefined)),
    );
  else if (mp) d.problems.push(problem('accelerate-value', 'error', mp.span, 'mixed_precision must be no, fp16, bf16 or fp8.'));
  const oldFp16 = !mp ? at('fp16') : undefined;

  // ---- FSDP / DeepSpeed
  let ds: DeepSpeedSettings | undefined;
  if (kind === 'FSDP') {
    const strategy = at('fsdp_config', 'fsdp_sharding_strategy');
    const reshard = at('fsdp_config', 'fsdp_reshard_after_forward');
    const fsdp = strategy ? fsdpOf(strategy.value) : reshard ? (reshard.value === false || fsdpOf(reshard.value) === 'grad-op' ? 'grad-op' : 'full') : 'full';
    const src = strategy ?? reshard;
    if (fsdp) put(d, ['parallelism', 'fsdp'], fsdp, src ? yamlEntry(src, (x) => (strategy ? { full: 'FULL_SHARD', 'grad-op': 'SHARD_GRAD_OP', none: 'NO_SHARD', hybrid: 'HYBRID_SHARD' }[String(x)] : x === 'full' ? true : x === 'grad-op' ? false : undefined)) : undefined);
    else d.problems.push(problem('accelerate-value', 'error', strategy!.span, 'fsdp_sharding_strategy must be FULL_SHARD, SHARD_GRAD_OP, NO_SHARD, HYBRID_SHARD or HYBRID_SHARD_ZERO2.'));
    if (!src) d.assumptions.push("FSDP sharding: FULL_SHARD (accelerate's default).");
    const offload = at('fsdp_config', 'fsdp_offload_params');
    if (offload?.value === true) {
      put(d, ['parallelism', 'offload'], 'params', readOnly(offload.span, 'fsdp_offload_params'));
      d.assumptions.push('fsdp_offload_params: estimated as CPU offload of the parameters (FSDP CPUOffload).');
    }
    const ac = at('fsdp_config', 'fsdp_activation_checkpointing');
    if (ac?.value === true)
      put(
        d,
        ['activationCheckpointing'],
        'full',
        yamlEntry(ac, (x) => (x === 'full' ? true : x === 'none' ? false : undefined)),
      );
  } else if (kind === 'DEEPSPEED') {
    const file = at('deepspeed_config', 'deepspeed_config_file');
    if (file && typeof file.value === 'string' && file.value) ds = referencedDeepSpeed(file.value, { span: file.span, label: 'deepspeed_config_file' }, ctx, d);
    else ds = deepSpeedInline(at, d);
    if (ds) {
      applyDeepSpeed(d, ds);
      // Without a model there is no Gantry check of the batch: DeepSpeed's own assertion, over this file's processes.
      if (!(typeof ctx.defaults?.model === 'string' && ctx.defaults.model)) {
        const batch = deepSpeedBatchProblem(ds, nProcs);
        if (batch) d.problems.push(batch);
      }
      if (ds.stage?.value === 3 && gpusPerNode * nodes === 1 && !(ds.offloadParam && ds.offloadParam.value !== 'none') && !(ds.offloadOptimizer && ds.offloadOptimizer.value !== 'none')) {
        d.problems.push(problem('deepspeed-zero3-one-gpu', 'warning', ds.stage.entry.span, 'ZeRO stage 3 on one process has nothing to shard: it only adds gather and partition work. Use stage 0, or offload to CPU/NVMe.'));
      }
    }
  }
  // ---- N-D parallelism: accelerate's ParallelismConfig (parallelism_config_{tp,cp,dp_shard,dp_replicate}_size).
  const pcSize = (k: string) => {
    const v = at('parallelism_config', `parallelism_config_${k}_size`);
    return v ? { n: positiveInt(pyYamlInt(y, v)) ?? 1, v } : undefined;
  };
  const pcTp = pcSize('tp');
  const pcCp = pcSize('cp');
  const pcReplicate = pcSize('dp_replicate');
  if (pcTp && pcTp.n > 1) put(d, ['parallelism', 'tensor'], pcTp.n, yamlEntry(pcTp.v));
  if (pcCp && pcCp.n > 1) {
    put(d, ['parallelism', 'context'], pcCp.n, yamlEntry(pcCp.v));
    d.assumptions.push(`parallelism_config_cp_size ${pcCp.n}: each sequence is split over ${pcCp.n} GPUs (context parallel).`);
  }
  if (pcReplicate && pcReplicate.n > 1) {
    if (kind === 'FSDP') {
      put(d, ['parallelism', 'fsdp'], 'hybrid', readOnly(pcReplicate.v.span, 'parallelism_config_dp_replicate_size'));
      d.assumptions.push(`parallelism_config_dp_replicate_size ${pcReplicate.n}: estimated as hybrid FSDP (Gantry shards inside a node and replicates across nodes, not over parallelism_config_dp_shard_size GPUs exactly).`);
    } else d.assumptions.push(`parallelism_config_dp_replicate_size ${pcReplicate.n}: not read (without FSDP it is plain data parallel, which the world size gives).`);
  }

  if (!mp && d.spec.precision === undefined) {
    // Not set: accelerate's default is "no" (commands/launch.py; an older config's `fp16: true` is fp16, config_args.py).
    // The training script's --bf16 / --fp16 (TrainingArguments) still sets it: applyTrainerArgs below.
    if (oldFp16?.value === true) put(d, ['precision'], 'fp16-mixed', readOnly(oldFp16.span, 'fp16'));
    else {
      put(d, ['precision'], 'fp32');
      d.assumptions.push("mixed_precision: not set — accelerate's default is no (fp32), unless the training script turns on bf16 or fp16.");
    }
  }
  if (mpWord === 'fp8') d.assumptions.push('mixed_precision fp8 (Transformer Engine / torchao): estimated as fp8 matmuls with bf16 master weights.');

  // ---- the model: not in an accelerate config; the batch and sequence length: the training script's (its launch line's Trainer arguments).
  const model = ctx.defaults?.model;
  const hasModel = typeof model === 'string' && !!model && modelRef(model, anchor, 'model (from the association)', ctx, d);
  const trainer = ctx.defaults?.trainer;
  const ac = kind === 'FSDP' ? at('fsdp_config', 'fsdp_activation_checkpointing') : undefined;
  if (ac?.value === true && trainer?.checkpointing?.value) {
    d.problems.push(
      problem(
        'launch-trainer-conflict',
        'error',
        ac.span,
        `fsdp_activation_checkpointing is true here and ${trainer.checkpointing.flag} is on on ${trainer.from}: the Hugging Face Trainer refuses to start ("The activation_checkpointing in FSDP config and the gradient_checkpointing in training arg can't be set to True simultaneously"). Keep one: FSDP's, here.`,
      ),
    );
  }
  const placeOf = (key: string) => (key.endsWith('.enabled') && mp ? mp.span : key === 'gradient checkpointing' && ac ? ac.span : anchor);
  applyTrainerArgs(d, ctx.defaults, { ds, placeOf, world: gpusPerNode * nodes, estimate: hasModel, what: 'an accelerate config', assumedSeqLen: ASSUMED_SEQ_LEN, precisionFrom: ds ? 'deepspeed' : 'accelerate' });

  const insert = (path: SpecPath, value: unknown) => {
    const key = path.join('.');
    if (key === 'spec.parallelism.zero' && kind === 'DEEPSPEED' && !at('deepspeed_config', 'deepspeed_config_file') && typeof value === 'number') return yamlInsertIn(y, 'deepspeed_config', 'zero_stage', value);
    if (key === 'spec.activationCheckpointing' && kind === 'FSDP' && value === 'full') return yamlInsertIn(y, 'fsdp_config', 'fsdp_activation_checkpointing', true);
    if (key === 'spec.parallelism.fsdp' && kind === 'FSDP' && typeof value === 'string') {
      const word = { full: 'FULL_SHARD', 'grad-op': 'SHARD_GRAD_OP', none: 'NO_SHARD', hybrid: 'HYBRID_SHARD' }[value];
      return word ? yamlInsertIn(y, 'fsdp_config', 'fsdp_sharding_strategy', word) : undefined;
    }
    return undefined;
  };
  // The processes that run (num_processes // num_machines on each machine), as the estimate counts them.
  const processes = launched !== undefined ? launched * nodes : nProcs !== undefined ? gpusPerNode * nodes : undefined;
  const label = `accelerate ${kind}${processes ? ` on ${processes} process${processes === 1 ? '' : 'es'}` : ''}`;
  return [finish(d, { format: 'accelerate', label, name: ctx.fileName, anchor, defaults: ctx.defaults, insert })];
}

/** accelerate's own DeepSpeed keys (`deepspeed_config:` without a JSON file). */
function deepSpeedInline(at: (...p: string[]) => YamlValue | undefined, d: TrainingDraft): DeepSpeedSettings {
  const ds: DeepSpeedSettings = { autos: [] };
  const stage = at('deepspeed_config', 'zero_stage');
  if (stage && (stage.value === 0 || stage.value === 1 || stage.value === 2 || stage.value === 3)) ds.stage = { value: stage.value, entry: yamlEntry(stage) };
  // DeepSpeed asserts the stage is one of its ZeroStageEnum values; accelerate passes it through.
  else if (stage) d.problems.push(problem('accelerate-value', 'error', stage.span, `deepspeed_config.zero_stage must be 0, 1, 2 or 3${typeof stage.value === 'string' ? ' (a number, not a string)' : ''}: DeepSpeed refuses any other stage.`));
  for (const [key, field] of [
    ['offload_optimizer_device', 'offloadOptimizer'],
    ['offload_param_device', 'offloadParam'],
  ] as const) {
    const v = at('deepspeed_config', key);
    if (v && typeof v.value === 'string') ds[field] = { value: v.value, entry: yamlEntry(v, () => undefined) };
  }
  const acc = at('deepspeed_config', 'gradient_accumulation_steps');
  const n = positiveInt(acc?.value);
  if (n) ds.accumulation = { value: n, entry: yamlEntry(acc!) };
  return ds;
}

/**
 * accelerate's process count (every machine's together) that does not divide over the machines:
 * accelerate gives each machine `total // machines` processes and says nothing (accelerate/utils/launch.py),
 * so fewer run than written — a warning; none per machine is an error. Undefined when it divides.
 * `procs` and `machines` name the two values as the file writes them (`--num_processes`, `num_machines`).
 */
export function unevenWorld(total: number, machines: number, procs: string, machinesName: string): { severity: 'error' | 'warning'; message: string } | undefined {
  if (!(total > 0) || !(machines > 0) || total % machines === 0) return undefined;
  const each = Math.floor(total / machines);
  if (each < 1) return { severity: 'error', message: `${procs} ${total} counts the processes of all ${machines} machines together (${machinesName}): accelerate gives each machine ${total} // ${machines} = 0, so none runs. Give at least one per machine (${procs} ${machines}).` };
  return {
    severity: 'warning',
    message: `${procs} ${total} counts the processes of all ${machines} machines together (${machinesName}) and does not divide over them: accelerate gives each machine ${total} // ${machines} = ${each}, so ${each * machines} processes run, not ${total}. Write a multiple of ${machines} (${procs} ${each * machines} or ${(each + 1) * machines}).`,
  };
}
