// DeepSpeed's JSON config (ds_config.json, axolotl's deepspeed_configs/zero*.json): the ZeRO stage,
// offload, precision and the three batch numbers DeepSpeed asserts agree (train_batch_size =
// micro × gradient_accumulation_steps × world size). On its own it names no model, so it gets the
// batch arithmetic and its contradictions; with a model from the context (ForeignDefaults.model) or
// from the axolotl / accelerate file that names it, the full estimate.
import type { SpecPath } from '../spec/parse';
import { duplicateJsonKeys, jsonAt, jsonEntry, jsonInsert, jsonKeys, parseJson, type JsonDoc, type JsonValue } from './jsonDoc';
import { applyDeepSpeed, ASSUMED_GPUS_PER_NODE, finish, got, modelRef, newDraft, positiveInt, problem, put, pydanticBool, pydanticInt, readOnly, slipOf, wholeNumberMessage, worldSource, type DeepSpeedSettings, type TrainingDraft } from './trainingDraft';
import { applyTrainerArgs } from './trainerArgs';
import { type FormatReader, MAX_FOREIGN_CHARS, type ReadContext, type SourceEntry } from './types';
import { quote, sizeText, type Problem } from '../validate/problem';

const MARKERS = ['"zero_optimization"', '"train_micro_batch_size_per_gpu"', '"train_batch_size"', '"gradient_accumulation_steps"', '"zero_allow_untested_optimizer"'];

/** DeepSpeed's sequence length is the data loader's: not in its config. The estimate assumes this, and says so. */
const ASSUMED_SEQ_LEN = 2048;

export const deepspeedReader: FormatReader = {
  id: 'deepspeed',
  claims(fileName, text) {
    const n = fileName.toLowerCase();
    if (!(n.endsWith('.json') || n.endsWith('.jsonc'))) return false;
    const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
    return MARKERS.some((m) => head.includes(m));
  },
  read(text, ctx) {
    const doc = parseJson(text);
    const d = newDraft();
    const anchor = doc.root ? { offset: doc.root.offset, length: 1 } : { offset: 0, length: Math.min(1, text.length) };
    if (doc.error) {
      d.problems.push(problem('json-syntax', 'error', doc.error, `Not valid JSON: ${doc.error.message}. DeepSpeed would not start; Gantry checks the rest once it parses.`));
      return [finish(d, { format: 'deepspeed', label: 'DeepSpeed config (unreadable)', name: ctx.fileName, anchor })];
    }
    for (const dup of duplicateJsonKeys(doc)) {
      d.problems.push(problem('json-duplicate-key', 'warning', dup.span, `${quote(dup.key, 60)} is written twice in this object: DeepSpeed refuses the file when it reads it itself ("Duplicate key in DeepSpeed config"); Python's json (Hugging Face Trainer, accelerate) keeps the last, which Gantry reads.`));
    }
    slippedKeys(doc, d);
    const ds = readDeepSpeedSettings(doc, (v, convert) => jsonEntry(v, convert), d);
    if (!ds.stage && !ds.micro && !ds.trainBatch && !ds.accumulation && !ds.autos.length && !d.problems.length) return [];
    return [buildAlone(doc, ds, d, ctx, anchor)];
  },
};

/**
 * The settings of a DeepSpeed config; `entryFor` says where a value is written (this file's own
 * place and syntax, or the referencing file's `deepspeed:` key). Invalid values become problems in `d`
 * when `d` is this file's own draft.
 */
export function readDeepSpeedSettings(doc: JsonDoc, entryFor: (v: JsonValue, convert?: (x: unknown) => unknown) => SourceEntry, own?: TrainingDraft): DeepSpeedSettings {
  const ds: DeepSpeedSettings = { autos: [] };
  const at = (...p: string[]) => jsonAt(doc, p);
  const num = (v: JsonValue | undefined, key: string) => {
    if (!v) return undefined;
    if (v.value === 'auto') {
      ds.autos.push(key);
      return undefined;
    }
    const n = positiveInt(v.value);
    if (n === undefined) own?.problems.push(problem('deepspeed-value', 'error', v.span, `${wholeNumberMessage(key, v.value, 'a whole number ≥ 1 or "auto"')}.`));
    return n === undefined ? undefined : { value: n, entry: entryFor(v) };
  };
  ds.micro = num(at('train_micro_batch_size_per_gpu'), 'train_micro_batch_size_per_gpu');
  ds.accumulation = num(at('gradient_accumulation_steps'), 'gradient_accumulation_steps');
  ds.trainBatch = num(at('train_batch_size'), 'train_batch_size');
  const stage = at('zero_optimization', 'stage');
  if (stage?.value === 'auto') ds.autos.push('zero_optimization.stage');
  else if (stage) {
    // DeepSpeedZeroConfig.stage is a pydantic int enum (ZeroStageEnum): lax mode reads "2" as 2.
    const n = pydanticInt(stage.value);
    if (n === 0 || n === 1 || n === 2 || n === 3) ds.stage = { value: n, entry: entryFor(stage) };
    else own?.problems.push(problem('deepspeed-value', 'error', stage.span, `zero_optimization.stage must be 0, 1, 2 or 3; ${quote(stage.value, 20)} is none: DeepSpeed refuses the config.`));
  }
  for (const [key, field] of [
    ['offload_optimizer', 'offloadOptimizer'],
    ['offload_param', 'offloadParam'],
  ] as const) {
    const dev = at('zero_optimization', key, 'device');
    if (!dev) continue;
    if (dev.value === 'none' || dev.value === 'cpu' || dev.value === 'nvme') ds[field] = { value: dev.value, entry: entryFor(dev, () => undefined) };
    else if (dev.value !== 'auto') own?.problems.push(problem('deepspeed-value', 'error', dev.span, `zero_optimization.${key}.device must be "none", "cpu" or "nvme".`));
  }
  if (ds.offloadParam && ds.offloadParam.value !== 'none' && ds.stage && ds.stage.value !== 3) {
    own?.problems.push(problem('deepspeed-offload-param', 'warning', ds.offloadParam.entry.span, `offload_param works with ZeRO stage 3 only; stage ${ds.stage.value} ignores it.`));
  }
  for (const [key, field] of [
    ['bf16', 'bf16'],
    ['fp16', 'fp16'],
  ] as const) {
    const en = at(key, 'enabled');
    if (!en) continue;
    // bf16 and fp16 are pydantic sections (DeepSpeedBF16Config, DeepSpeedFP16Config): `enabled` is read as pydantic reads a bool.
    const on = pydanticBool(en.value);
    if (en.value === 'auto') ds.autos.push(`${key}.enabled`);
    else if (on !== undefined) ds[field] = { value: on, entry: entryFor(en, () => undefined) };
    else own?.problems.push(problem('deepspeed-value', 'error', en.span, `${key}.enabled ${quote(en.value, 20)} is not a boolean: DeepSpeed refuses the config (it takes true or false; as strings also "true"/"false", "yes"/"no", "on"/"off", "1"/"0", "t"/"f", "y"/"n").`));
  }
  if (ds.bf16?.value && ds.fp16?.value) own?.problems.push(problem('deepspeed-precision', 'error', ds.fp16.entry.span, 'bf16 and fp16 are both enabled; DeepSpeed accepts one.'));
  return ds;
}

/** The top-level keys this reader reads. */
const READ_KEYS = ['train_micro_batch_size_per_gpu', 'gradient_accumulation_steps', 'train_batch_size', 'zero_optimization', 'bf16', 'fp16'];

/**
 * A top-level key that is a slip of one this reader reads (`gradient_acumulation_steps`): DeepSpeed
 * reads its top level key by key and passes over any other, so the value meant is not used (its
 * default is, and so is Gantry's estimate). A warning at the key, with the fix that renames it
 * unless the key meant is written too. Near misses only (slipOf): a real key Gantry does not read is left alone.
 */
function slippedKeys(doc: JsonDoc, d: TrainingDraft): void {
  const keys = jsonKeys(doc, []);
  const written = new Set(keys.map((k) => k.key));
  let said = 0;
  for (const { key, span } of keys) {
    const near = slipOf(key, READ_KEYS);
    if (!near || said++ >= 20) continue;
    const fixes = written.has(near) ? undefined : [{ title: `Rename to "${near}"`, edits: [{ offset: span.offset, length: span.length, newText: near }], preferred: true }];
    d.problems.push(problem('deepspeed-value', 'warning', span, `${quote(key, 60)} is not a key DeepSpeed reads; did you mean ${near}? DeepSpeed passes over keys it does not know, so ${near} keeps its default (and the estimate uses it).`, fixes));
  }
}

/**
 * DeepSpeed's batch assertion, train_batch_size = micro × gradient_accumulation_steps × world size,
 * where the config gives all three (the world size where known): the one place it is said, for the
 * config on its own and for the accelerate file that names it. The fix is there only where the value
 * can be written in the file being checked.
 */
export function deepSpeedBatchProblem(ds: DeepSpeedSettings, world: number | undefined): Problem | undefined {
  const micro = ds.micro?.value;
  const acc = ds.accumulation?.value;
  const tbs = ds.trainBatch?.value;
  if (tbs === undefined || micro === undefined) return undefined;
  const entry = ds.trainBatch!.entry;
  const fix = (to: number, preferred: boolean) => {
    const edit = entry.write?.(to);
    return edit ? [{ title: `Set train_batch_size to ${to}`, edits: [edit], ...(preferred ? { preferred } : {}) }] : undefined;
  };
  if (acc === undefined) {
    // No gradient_accumulation_steps (not "auto" either): DeepSpeed derives it as train_batch_size //
    // micro // world and then asserts the product, so a train_batch_size that is not a multiple of
    // micro × world (or is smaller) refuses to start.
    if (ds.accumulation || ds.autos.includes('gradient_accumulation_steps') || world === undefined) return undefined;
    const step = micro * world;
    if (tbs % step === 0) return undefined;
    const derived = Math.floor(tbs / step);
    const lower = step * Math.max(1, derived);
    const higher = step * (derived + 1);
    const fixes = [...(fix(lower, true) ?? []), ...(higher !== lower ? (fix(higher, false) ?? []) : [])];
    return problem(
      'deepspeed-batch',
      'error',
      entry.span,
      `train_batch_size ${tbs} is not a multiple of train_micro_batch_size_per_gpu ${micro} × ${world} GPUs = ${step}: DeepSpeed takes gradient_accumulation_steps = ${tbs} // ${step} = ${derived}, and ${micro} × ${derived} × ${world} = ${step * derived} ≠ ${tbs}; DeepSpeed refuses to start.`,
      fixes.length ? fixes : undefined,
    );
  }
  const implied = tbs / (micro * acc);
  // With the world size known, the value it needs (a fraction of GPUs is wrong for that world too).
  if (world !== undefined && implied !== world) {
    const want = micro * acc * world;
    return problem('deepspeed-batch', 'error', entry.span, `train_batch_size ${tbs} ≠ train_micro_batch_size_per_gpu ${micro} × gradient_accumulation_steps ${acc} × ${world} GPUs = ${want}; DeepSpeed refuses to start.`, fix(want, true));
  }
  if (!Number.isInteger(implied)) {
    const lower = micro * acc * Math.max(1, Math.floor(implied));
    return problem('deepspeed-batch', 'error', entry.span, `train_batch_size ${tbs} is not train_micro_batch_size_per_gpu ${micro} × gradient_accumulation_steps ${acc} × a whole number of GPUs (${tbs} / ${micro * acc} = ${implied.toFixed(2)}); DeepSpeed refuses to start.`, fix(lower, false));
  }
  return undefined;
}

function buildAlone(doc: JsonDoc, read: DeepSpeedSettings, d: TrainingDraft, ctx: ReadContext, anchor: { offset: number; length: number }) {
  let ds = read;
  const model = ctx.defaults?.model;
  const hasModel = typeof model === 'string' && model.length > 0 && modelRef(model, anchor, 'model (from the association)', ctx, d);
  // The world size: the context's, or what train_batch_size = micro × accumulation × world implies.
  const ctxGpus = positiveInt(ctx.defaults?.gpusPerNode);
  const nodes = positiveInt(ctx.defaults?.nodes) ?? 1;
  const micro = ds.micro?.value;
  const acc = ds.accumulation?.value;
  const tbs = ds.trainBatch?.value;
  let world: number | undefined = ctxGpus ? ctxGpus * nodes : undefined;
  // DeepSpeed's own batch assertion, in its own terms, with a model or without (Gantry's global-batch
  // rule would say it in Gantry's: batch.global is put below only where it agrees).
  // A launch line of Trainer arguments: the Hugging Face integration fills and compares these keys
  // itself, with the line's values or TrainingArguments' defaults (deepspeed-mismatch, in
  // applyTrainerArgs); DeepSpeed's assertion on the config's own numbers would propose a fix that the
  // mismatch's fixes undo.
  const trainerBatch = !!ctx.defaults?.trainer;
  const derived = trainerBatch ? undefined : derivedMicro(doc, ds, world, hasModel);
  if (derived && 'problem' in derived) d.problems.push(derived.problem);
  else if (derived) {
    if (derived.micro) ds = { ...ds, micro: derived.micro };
    d.assumptions.push(derived.said);
  }
  const batch = trainerBatch || derived ? undefined : deepSpeedBatchProblem(ds, world);
  if (batch) d.problems.push(batch);
  if (!hasModel && world === undefined && tbs !== undefined && micro !== undefined && acc !== undefined && Number.isInteger(tbs / (micro * acc))) {
    world = tbs / (micro * acc);
    d.problems.push(problem('deepspeed-world', 'hint', ds.trainBatch!.entry.span, `train_batch_size ${tbs} = train_micro_batch_size_per_gpu ${micro} × gradient_accumulation_steps ${acc} × ${world} GPUs: this config runs on ${world} GPU${world === 1 ? '' : 's'}.`));
  }
  const trainer = ctx.defaults?.trainer;
  const batchAutos = ds.autos.filter((k) => k.includes('batch') || k.includes('accumulation'));
  // Without a model there is nothing to estimate: say where the batch comes from. With one, the estimate says what it assumed.
  if (!hasModel && !ds.micro && !ds.accumulation && !ds.trainBatch && batchAutos.length && !trainer?.micro && !trainer?.accumulation) {
    d.problems.push(problem('deepspeed-auto', 'info', anchor, `The batch sizes are "auto" (${batchAutos.join(', ')}): the program that loads this config (Hugging Face Trainer, axolotl, accelerate) fills them in. Open that program's config for the estimate.`));
  }
  if (ds.stage?.value === 3 && world === 1 && !(ds.offloadParam?.value && ds.offloadParam.value !== 'none') && !(ds.offloadOptimizer?.value && ds.offloadOptimizer.value !== 'none')) {
    d.problems.push(problem('deepspeed-zero3-one-gpu', 'warning', ds.stage.entry.span, 'ZeRO stage 3 on one GPU has nothing to shard: it only adds gather and partition work. Use stage 0, or offload to CPU/NVMe.'));
  }
  applyDeepSpeed(d, ds);
  memoryKeys(doc, ds, d, { model: hasModel, where: '' });
  const placeOf = (key: string) => jsonAt(doc, key.split('.'))?.span ?? anchor;
  if (!hasModel) {
    applyTrainerArgs(d, ctx.defaults, { ds, placeOf, world, estimate: false, json: true, what: 'a DeepSpeed config', assumedSeqLen: ASSUMED_SEQ_LEN, precisionFrom: 'deepspeed' });
  } else {
    if (world === undefined && tbs !== undefined && micro !== undefined && acc !== undefined && Number.isInteger(tbs / (micro * acc))) world = tbs / (micro * acc);
    const gpusPerNode = ctxGpus ?? (world && world <= ASSUMED_GPUS_PER_NODE ? world : ASSUMED_GPUS_PER_NODE);
    const nodeCount = ctxGpus ? nodes : world && world > ASSUMED_GPUS_PER_NODE && world % ASSUMED_GPUS_PER_NODE === 0 ? world / ASSUMED_GPUS_PER_NODE : 1;
    put(d, ['resources'], { nodes: nodeCount, gpusPerNode });
    if (ctxGpus) d.assumptions.push(`World size: ${nodeCount} node${nodeCount === 1 ? '' : 's'} × ${gpusPerNode} GPUs, from ${worldSource(ctx.defaults)}.`);
    else {
      d.assumptions.push(world ? `World size: ${nodeCount * gpusPerNode} GPUs, as train_batch_size implies.` : `World size: assumed one node of ${ASSUMED_GPUS_PER_NODE} GPUs (the config does not say).`);
      if (!world) d.assumedWorld = `one node of ${ASSUMED_GPUS_PER_NODE} GPUs`;
    }
    applyTrainerArgs(d, ctx.defaults, { ds, placeOf, world: nodeCount * gpusPerNode, estimate: true, json: true, what: 'a DeepSpeed config', assumedSeqLen: ASSUMED_SEQ_LEN, precisionFrom: 'deepspeed' });
    // train_batch_size where it agrees with the rest (or gives the accumulation, when that is unsaid);
    // a train_batch_size that disagrees is DeepSpeed's or the Trainer's error above, in their terms.
    const m = got(d, ['batch', 'micro']) as number;
    const a = got(d, ['batch', 'gradientAccumulation']) as number | undefined;
    const perStep = m * nodeCount * gpusPerNode;
    if (tbs && (a === undefined ? tbs % perStep === 0 : tbs === perStep * a)) put(d, ['batch', 'global'], tbs, ds.trainBatch?.entry);
    const half = d.spec.precision === 'bf16-mixed' || d.spec.precision === 'fp16-mixed';
    const tensor = (got(d, ['parallelism', 'tensor']) as number | undefined) ?? 1;
    if ((ds.stage?.value ?? 0) === 0 && half && tensor === 1 && (ds.bf16?.value || ds.fp16?.value)) {
      // engine.py _configure_distributed_model casts the module to bf16/fp16, and the FP16_Optimizer /
      // BF16_Optimizer wrapper keeps the fp32 master copy: no autocast, no DDP buckets. Gantry's fields have no
      // word for that at ZeRO stage 0, so the estimate is the autocast one; said, with which way it errs.
      d.assumptions.push(
        `ZeRO stage 0 with ${ds.bf16?.value ? 'bf16' : 'fp16'}: DeepSpeed casts the model to ${ds.bf16?.value ? 'bf16' : 'fp16'} and keeps an fp32 master copy in its optimizer wrapper; the estimate counts PyTorch autocast over fp32 weights instead (fp32 weights and gradients, a DDP bucket copy, an fp32 residual stream), which is higher than DeepSpeed's.`,
      );
    }
  }
  const insert = (path: SpecPath, value: unknown) => {
    const key = path.join('.');
    // Launched by a Trainer line, the batch sizes are the Trainer's arguments: a number written here that
    // the line does not say is refused at start (deepspeed-mismatch); the script's fix writes the line.
    if (ctx.defaults?.trainer && key.startsWith('spec.batch.')) return undefined;
    const to = DS_PATHS[key];
    return to ? jsonInsert(doc, to, value) : undefined;
  };
  const label = `DeepSpeed${ds.stage ? ` ZeRO-${ds.stage.value}` : ''} config`;
  return finish(d, { format: 'deepspeed', label, name: ctx.fileName, anchor, defaults: ctx.defaults, insert });
}

/**
 * The micro-batch DeepSpeed derives when train_micro_batch_size_per_gpu is not written
 * (runtime/config.py _set_batch_related_parameters): train_batch_size // world // gradient_accumulation_steps
 * (accumulation 1 when that is not written either), then _batch_assertion: micro > 0 and
 * train_batch_size == micro × accumulation × world. On a world size that is given, a split that fails is
 * DeepSpeed's refusal; on the assumed one (a model and no world size), it is said and the micro-batch is
 * left assumed. "auto" leaves the numbers to the program that loads the config: nothing is derived.
 */
function derivedMicro(doc: JsonDoc, ds: DeepSpeedSettings, world: number | undefined, hasModel: boolean): { micro?: NonNullable<DeepSpeedSettings['micro']>; said: string } | { problem: Problem } | undefined {
  const tbs = ds.trainBatch;
  if (!tbs || jsonAt(doc, ['train_micro_batch_size_per_gpu'])) return undefined;
  if (!ds.accumulation && jsonAt(doc, ['gradient_accumulation_steps'])) return undefined; // "auto", or a value already refused
  const acc = ds.accumulation?.value ?? 1;
  const gpus = world ?? (hasModel ? ASSUMED_GPUS_PER_NODE : undefined);
  if (gpus === undefined) return undefined;
  const micro = Math.floor(Math.floor(tbs.value / gpus) / acc);
  const accWords = ds.accumulation ? `gradient_accumulation_steps ${acc}` : 'gradient_accumulation_steps 1 (DeepSpeed sets it when only train_batch_size is given)';
  const on = world === undefined ? `the assumed ${gpus} GPUs` : `${gpus} GPUs`;
  if (micro >= 1 && micro * acc * gpus === tbs.value) {
    return {
      micro: {
        value: micro,
        entry: {
          span: tbs.entry.span,
          label: 'train_micro_batch_size_per_gpu (derived from train_batch_size)',
          write: (x) => (typeof x === 'number' && Number.isInteger(x) && x >= 1 ? jsonInsert(doc, ['train_micro_batch_size_per_gpu'], x) : undefined),
        },
      },
      said: `Micro-batch: ${micro} per GPU, as DeepSpeed derives it: train_batch_size ${tbs.value} / (${accWords} × ${on}).`,
    };
  }
  const why = micro < 1 ? `${tbs.value} // ${gpus} // ${acc} = 0, and DeepSpeed asserts "Micro batch size per gpu: 0 has to be greater than 0"` : `${tbs.value} // ${gpus} // ${acc} = ${micro}, and ${micro} × ${acc} × ${gpus} = ${micro * acc * gpus} ≠ ${tbs.value}`;
  if (world === undefined) return { said: `train_batch_size ${tbs.value} does not split over ${accWords} × ${on} (${why}): the micro-batch is assumed below; give the world size for DeepSpeed's own numbers.` };
  const step = acc * gpus;
  const lower = step * Math.max(1, micro);
  const higher = step * (micro + 1);
  const fixes = [lower, ...(higher !== lower ? [higher] : [])]
    .map((to, k) => {
      const edit = tbs.entry.write?.(to);
      return edit ? { title: `Set train_batch_size to ${to}`, edits: [edit], ...(k === 0 ? { preferred: true } : {}) } : undefined;
    })
    .filter((f): f is NonNullable<typeof f> => !!f);
  return {
    problem: problem(
      'deepspeed-batch',
      'error',
      tbs.entry.span,
      `train_micro_batch_size_per_gpu is not given, so DeepSpeed derives it as train_batch_size // ${gpus} GPUs // ${accWords}: ${why}; DeepSpeed refuses to start. Use a multiple of ${step}, or give train_micro_batch_size_per_gpu.`,
      fixes.length ? fixes : undefined,
    ),
  };
}

/** Where a Gantry value goes in a DeepSpeed config that does not write it yet. */
export const DS_PATHS: Record<string, string[]> = {
  'spec.parallelism.zero': ['zero_optimization', 'stage'],
  'spec.batch.micro': ['train_micro_batch_size_per_gpu'],
  'spec.batch.gradientAccumulation': ['gradient_accumulation_steps'],
  'spec.batch.global': ['train_batch_size'],
};

/**
 * The DeepSpeed config another file names (axolotl's `deepspeed:`, accelerate's
 * `deepspeed_config_file`), read through the context (stat first, regular files only, size cap:
 * the caller's readFile). Its values point at the naming key, which cannot rewrite them; a file
 * that cannot be read or parsed is one problem there.
 */
export function referencedDeepSpeed(rel: string, at: { span: { offset: number; length: number }; label: string }, ctx: ReadContext, d: TrainingDraft): DeepSpeedSettings | undefined {
  const read = ctx.readFile as (((p: string) => string | undefined) & { why?: (p: string) => string | undefined }) | undefined;
  const text = read?.(rel);
  if (text === undefined) {
    const why = read?.why?.(rel);
    if (why === 'pending') return undefined;
    d.problems.push(problem('deepspeed-file', 'warning', at.span, `Cannot read the DeepSpeed config ${quoteName(rel)}${why ? `: ${why}` : read ? ' (missing, not a regular file, or too large)' : ''}; its ZeRO stage and offload are left out of the estimate.`));
    return undefined;
  }
  if (text.length > MAX_FOREIGN_CHARS) {
    d.problems.push(problem('deepspeed-file', 'warning', at.span, `${quoteName(rel)} is too large for Gantry to read: ${sizeText(text.length)} (limit ${MAX_FOREIGN_CHARS / 1024} KB, where a DeepSpeed config is a few KB); its ZeRO stage and offload are left out of the estimate.`));
    return undefined;
  }
  const doc = parseJson(text);
  if (doc.error) {
    d.problems.push(problem('deepspeed-file', 'warning', at.span, `${quoteName(rel)} is not valid JSON (${doc.error.message} at offset ${doc.error.offset}); its ZeRO stage and offload are left out of the estimate.`));
    return undefined;
  }
  const ds = readDeepSpeedSettings(doc, (v) => ({ span: at.span, label: `${v.label} in ${rel}`, write: () => undefined }));
  memoryKeys(doc, ds, d, { model: false, where: ` in ${rel}` });
  return ds;
}

function quoteName(s: string): string {
  return `'${s.length > 60 ? `${s.slice(0, 60)}…` : s}'`;
}

/**
 * DeepSpeed keys that change memory and that Gantry's fields model only in part: tensor_parallel.autotp_size
 * (AutoTP training, as tensor parallel where the estimate is this file's own), bf16_master_weights_and_grads
 * with bf16_optimizer_states (pure bf16), and ZeRO++ zero_hpz_partition_size (not modelled). Each is said:
 * never a value that changes memory and is passed over in silence.
 */
function memoryKeys(doc: JsonDoc, ds: DeepSpeedSettings, d: TrainingDraft, o: { model: boolean; where: string }): void {
  const at = (...p: string[]) => jsonAt(doc, p);
  const autotp = at('tensor_parallel', 'autotp_size');
  const tp = autotp ? positiveInt(pydanticInt(autotp.value)) : undefined;
  if (autotp && tp !== undefined && tp > 1) {
    if (o.model) {
      // deepspeed/__init__.py: autotp_size > 0 turns on AutoTP training; engine._configure_tensor_parallel shards
      // the linear layers over tp ranks (no sequence parallel: the norms and the residual stream are whole).
      put(d, ['parallelism', 'tensor'], tp, jsonEntry(autotp));
      d.assumptions.push(`tensor_parallel.autotp_size ${tp} (DeepSpeed AutoTP): estimated as tensor parallel ${tp}, the linear layers split over ${tp} GPUs, the norms and the residual stream whole on each.`);
    } else d.assumptions.push(`Not read: tensor_parallel.autotp_size = ${tp}${o.where} (DeepSpeed AutoTP): the estimate keeps every layer whole on each GPU.`);
  }
  const master = at('bf16', 'bf16_master_weights_and_grads');
  const states = at('bf16', 'bf16_optimizer_states');
  const masterOn = master ? pydanticBool(master.value) === true : false;
  const statesOn = states ? pydanticBool(states.value) === true : false;
  if ((masterOn || statesOn) && ds.bf16?.value === true) {
    // DeepSpeed's config asserts both are ZeRO 1-3 only, and bf16_optimizer_states needs the other (runtime/config.py _do_error_check).
    const stage = ds.stage?.value ?? 0;
    const own = o.where === '';
    if (stage === 0 && own) d.problems.push(problem('deepspeed-value', 'error', (master ?? states)!.span, `${masterOn ? 'bf16.bf16_master_weights_and_grads' : 'bf16.bf16_optimizer_states'} is only supported with ZeRO stage 1, 2 or 3: DeepSpeed refuses the config at stage ${stage}.`));
    else if (statesOn && !masterOn && own) d.problems.push(problem('deepspeed-value', 'error', states!.span, 'bf16.bf16_optimizer_states needs bf16.bf16_master_weights_and_grads to be true: DeepSpeed refuses the config.'));
    else if (masterOn && statesOn && o.model) {
      put(d, ['precision'], 'bf16', readOnly(states!.span, states!.label));
      d.assumptions.push('bf16.bf16_master_weights_and_grads and bf16_optimizer_states: the master weights, gradients and Adam states are bf16, with no fp32 copy; estimated as pure bf16 training.');
    } else if (masterOn && !statesOn) d.assumptions.push(`Not modelled: bf16.bf16_master_weights_and_grads${o.where} keeps the master weights and gradients in bf16 (the estimate counts them in fp32; the Adam states stay fp32 in both).`);
    else d.assumptions.push(`Not read: bf16.bf16_master_weights_and_grads and bf16_optimizer_states${o.where} (bf16 master weights, gradients and Adam states): the estimate counts them in fp32.`);
  }
  const hpz = at('zero_optimization', 'zero_hpz_partition_size');
  const hpzN = hpz ? positiveInt(pydanticInt(hpz.value)) : undefined;
  if (hpzN !== undefined && hpzN > 1 && ds.stage?.value === 3) {
    d.assumptions.push(`Not modelled: zero_optimization.zero_hpz_partition_size = ${hpzN}${o.where} (ZeRO++ hpZ): each GPU also keeps a secondary copy of the weights sharded over ${hpzN} ranks, about 2 bytes × parameters / ${hpzN} more than estimated.`);
  }
}
