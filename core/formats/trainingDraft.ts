// What the training-config readers (torchtitan TOML, axolotl YAML, DeepSpeed JSON, accelerate YAML)
// share: a draft TrainingJob filled value by value with where each value is written, the world size
// and GPU from the reader's context (or a stated assumption), and the DeepSpeed settings that an
// axolotl or accelerate file may take from a JSON file of their own.
import type { Span, SpecPath } from '../spec/parse';
import { findModel } from '../catalog/models';
import { editDistance } from '../spec/suggest';
import { quote, type Problem, type TextEditAt } from '../validate/problem';
import type { ForeignDefaults, ForeignSpec, FormatId, PlainDoc, ReadContext, SourceEntry } from './types';

/** Gantry's own GPU count where neither the file nor its context says: one node of 8. */
export const ASSUMED_GPUS_PER_NODE = 8;

export interface TrainingDraft {
  spec: Record<string, unknown>;
  sources: Map<string, SourceEntry>;
  assumptions: string[];
  problems: Problem[];
  /** The world size in words where Gantry assumed it (nothing says how many GPUs run the file). */
  assumedWorld?: string;
}

export function newDraft(): TrainingDraft {
  return { spec: {}, sources: new Map(), assumptions: [], problems: [] };
}

/** Sets spec.<path> = value, remembering where the file writes it (when it does). */
export function put(d: TrainingDraft, path: readonly string[], value: unknown, entry?: SourceEntry): void {
  let o = d.spec;
  for (const k of path.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== 'object') o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[path[path.length - 1]] = value;
  if (entry) d.sources.set(['spec', ...path].join('.'), entry);
}

export function got(d: TrainingDraft, path: readonly string[]): unknown {
  let o: unknown = d.spec;
  for (const k of path) o = o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  return o;
}

/** A source entry whose value cannot be rewritten from here (it lives in another file, or is derived). */
export function readOnly(span: Span, label: string): SourceEntry {
  return { span, label, write: () => undefined };
}

/**
 * A key written twice in a YAML config that its tool loads with PyYAML's safe_load (axolotl, accelerate),
 * which keeps the last value silently: a warning at each later key (parseYaml with lastKeyWins reads the last).
 */
export function safeLoadDuplicates(d: TrainingDraft, duplicates: readonly { key: string; span: Span }[] | undefined, tool: string): void {
  for (const dup of duplicates ?? []) {
    d.problems.push(problem('yaml-duplicate-key', 'warning', dup.span, `${quote(dup.key, 60)} is written twice in this mapping: ${tool} loads the file with PyYAML's safe_load, which keeps the last value without a word; Gantry reads the last too. Remove one.`));
  }
}

export function problem(code: string, severity: Problem['severity'], span: Span, message: string, fixes?: Problem['fixes']): Problem {
  return { code, severity, message, offset: span.offset, length: Math.max(1, span.length), ...(fixes?.length ? { fixes } : {}) };
}

/** The largest batch, length or degree a reader takes: no real run comes near it, and past it the estimate's arithmetic is meaningless. */
export const MAX_WHOLE = 1e9;

export function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_WHOLE ? v : undefined;
}

/**
 * What is wrong with a value positiveInt refused, for a reader's message: a number past MAX_WHOLE is
 * out of range (10^14 is a whole number, only too large), anything else is not `allowed`.
 */
export function wholeNumberMessage(label: string, value: unknown, allowed = 'a whole number ≥ 1'): string {
  if (typeof value === 'number' && value > MAX_WHOLE) return `${label} ${String(value)} is out of range: Gantry reads at most 10^9 (no real run comes near it)`;
  return `${label} must be ${allowed}`;
}

/** pydantic's words for a boolean (lax mode), compared in lower case. */
const PYDANTIC_TRUE = new Set(['true', 'yes', 'on', '1', 't', 'y']);
const PYDANTIC_FALSE = new Set(['false', 'no', 'off', '0', 'f', 'n']);

/**
 * A boolean as a pydantic model reads it in its default (lax) mode — axolotl's config and
 * DeepSpeed's sections (bf16, fp16) are pydantic models: true/false, 1/0, and the strings above in
 * any case. Undefined: pydantic refuses it ("Input should be a valid boolean").
 */
export function pydanticBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  if (typeof v !== 'string' || v.length > 5) return undefined;
  const w = v.toLowerCase();
  return PYDANTIC_TRUE.has(w) ? true : PYDANTIC_FALSE.has(w) ? false : undefined;
}

/**
 * A number as a pydantic int field reads it in lax mode: a string of digits is that number; any
 * other value is returned as it is (for positiveInt or a range check to judge).
 */
export function pydanticInt(v: unknown): unknown {
  if (typeof v !== 'string' || !v.length || v.length > 10) return v;
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) < 48 || v.charCodeAt(i) > 57) return v;
  return Number(v);
}

/**
 * The key a slipped one was meant to be (`local_batch_sise` → `local_batch_size`), among the keys a
 * reader reads: within 2 edits, names of 6 letters or more (shorter ones are too close to other real
 * keys to guess). Undefined for a key that is one of them or near none: a real key of the tool
 * that Gantry does not read is left alone.
 */
export function slipOf(key: string, known: readonly string[]): string | undefined {
  if (key.length < 6 || key.length > 80 || known.includes(key)) return undefined;
  return known.find((k) => k.length >= 6 && editDistance(key, k, 2) <= 2);
}

/**
 * The nodes and GPUs per node of a job whose file does not give its world size: the context's
 * (launcher line, association, setting), else one node of ASSUMED_GPUS_PER_NODE, said once.
 */
export function worldFromContext(d: TrainingDraft, defaults: ForeignDefaults | undefined, what: string): { nodes: number; gpusPerNode: number } {
  const gpusPerNode = positiveInt(defaults?.gpusPerNode);
  const nodes = positiveInt(defaults?.nodes) ?? 1;
  if (gpusPerNode) {
    d.assumptions.push(`World size: ${nodes} node${nodes === 1 ? '' : 's'} × ${gpusPerNode} GPUs, from ${worldSource(defaults)} (${what} does not say).`);
    return { nodes, gpusPerNode };
  }
  d.assumptions.push(`World size: assumed one node of ${ASSUMED_GPUS_PER_NODE} GPUs — ${what} does not say how many GPUs run it (give a launcher line, a Cluster or the gpusPerNode setting).`);
  d.assumedWorld = `one node of ${ASSUMED_GPUS_PER_NODE} GPUs`;
  return { nodes, gpusPerNode: ASSUMED_GPUS_PER_NODE };
}

/** Where the context's world size comes from, in words: the script that launches the file, or the association. */
export function worldSource(defaults: ForeignDefaults | undefined): string {
  return defaults?.worldFrom ?? 'the launcher or association';
}

/**
 * The model a name stands for: a catalog preset (Hugging Face id or Gantry id), else a
 * config.json beside the file or in the named local folder, else undefined and one problem.
 */
export function modelRef(name: string, span: Span, label: string, ctx: ReadContext, d: TrainingDraft, write?: SourceEntry['write']): boolean {
  const hit = findModel(name);
  if (hit) {
    put(d, ['model', 'preset'], hit.id, { span, label, write });
    if (hit.id !== name) d.assumptions.push(`Model: ${quoteName(name)} is the catalog's ${hit.id} (${hit.summary}).`);
    return true;
  }
  // A local checkpoint folder with a config.json (a path, not an org/name repo id).
  if ((name.startsWith('.') || name.startsWith('/')) && ctx.readFile) {
    const rel = `${name.replace(/\/+$/, '')}/config.json`;
    if (ctx.readFile(rel) !== undefined) {
      put(d, ['model', 'config'], rel, readOnly(span, label));
      return true;
    }
  }
  d.problems.push(problem('unknown-model', 'warning', span, `Gantry does not know the model ${quoteName(name)}: no estimate. Use a Hugging Face id from the catalog (e.g. meta-llama/Llama-3.1-8B) or a local folder with a config.json.`));
  return false;
}

function quoteName(s: string): string {
  return `'${s.length > 60 ? `${s.slice(0, 60)}…` : s}'`;
}

/** The finished ForeignSpec: the TrainingJob, and a Cluster when the context names a GPU. */
export function finish(d: TrainingDraft, o: { format: FormatId; label: string; name: string; anchor: Span; defaults?: ForeignDefaults; insert?: (path: SpecPath, value: unknown) => TextEditAt | undefined }): ForeignSpec {
  // The estimator puts "will not fit" at spec.parallelism (when the job has one): in these files that
  // is the batch key, the number a person lowers first.
  const micro = d.sources.get('spec.batch.micro');
  if (micro && !d.sources.has('spec.parallelism') && d.spec.parallelism) d.sources.set('spec.parallelism', readOnly(micro.span, micro.label));
  const job: PlainDoc = { apiVersion: 'gantry/v1', kind: 'TrainingJob', metadata: { name: jobName(o.name) }, spec: d.spec };
  // A GPU named outside the file (context file, setting, sbatch header) becomes the Cluster in one
  // place for every format: core/check/foreign.ts withDefaultGpu.
  return { format: o.format, label: o.label, job, sources: d.sources, anchor: o.anchor, assumptions: d.assumptions, insert: o.insert, problems: d.problems, ...(d.assumedWorld ? { assumedWorld: d.assumedWorld } : {}) };
}

/** A metadata.name Gantry accepts (lower-case letters, digits, dashes) from a file name. */
function jobName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? 'job';
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  const n = stem
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return n || 'training-job';
}

// ---------------------------------------------------------------- DeepSpeed settings

/** One DeepSpeed value: what it says, and where (in the file being read, or in another one). */
export interface DsValue<T> {
  value: T;
  entry: SourceEntry;
}

/** What a DeepSpeed config says that Gantry reads; "auto" leaves a value to the caller (HF Trainer, axolotl). */
export interface DeepSpeedSettings {
  stage?: DsValue<0 | 1 | 2 | 3>;
  offloadOptimizer?: DsValue<string>;
  offloadParam?: DsValue<string>;
  bf16?: DsValue<boolean>;
  fp16?: DsValue<boolean>;
  micro?: DsValue<number>;
  accumulation?: DsValue<number>;
  trainBatch?: DsValue<number>;
  /** Keys whose value is "auto". */
  autos: string[];
}

/** Puts a DeepSpeed config's ZeRO stage, offload and precision into the draft, with the assumptions they imply. */
export function applyDeepSpeed(d: TrainingDraft, ds: DeepSpeedSettings): void {
  if (ds.stage) put(d, ['parallelism', 'zero'], ds.stage.value, ds.stage.entry);
  // ZeRO-Offload: the estimator's parallelism.offload (optimizer: states, fp32 master and gradients in
  // host memory; params: the sharded weights too, ZeRO-3 only), whose own note says what it counts.
  // NVMe frees the GPU as the CPU does; its transfers are slower than the PCIe figure.
  const optimizerOff = ds.offloadOptimizer?.value && ds.offloadOptimizer.value !== 'none' ? ds.offloadOptimizer : undefined;
  const paramOff = ds.offloadParam?.value && ds.offloadParam.value !== 'none' ? ds.offloadParam : undefined;
  if (paramOff && ds.stage?.value === 3) {
    put(d, ['parallelism', 'offload'], 'params', paramOff.entry);
    d.assumptions.push(`ZeRO-3 offload_param to ${paramOff.value}${optimizerOff ? ` (and offload_optimizer to ${optimizerOff.value})` : ''}: estimated as CPU offload of the parameters${paramOff.value === 'nvme' ? ' (the GPU memory is the same; NVMe is slower than the PCIe transfers counted)' : ''}.`);
  } else if (optimizerOff) {
    put(d, ['parallelism', 'offload'], 'optimizer', optimizerOff.entry);
    d.assumptions.push(`ZeRO offload_optimizer to ${optimizerOff.value}: estimated as CPU offload of the optimizer${optimizerOff.value === 'nvme' ? ' (the GPU memory is the same; NVMe is slower than the PCIe transfers counted)' : ''}.`);
  }
  if (paramOff && ds.stage?.value !== 3) d.assumptions.push(`offload_param (${paramOff.value}) applies to ZeRO stage 3 only: not used at stage ${ds.stage?.value ?? 0}.`);
  if (ds.bf16?.value === true) put(d, ['precision'], 'bf16-mixed', ds.bf16.entry);
  else if (ds.fp16?.value === true) put(d, ['precision'], 'fp16-mixed', ds.fp16.entry);
}
