// The check of a foreign file (a Kubernetes manifest with a `vllm serve` command, a torchtitan TOML,
// …): its reader turns it into Gantry documents with a source map (core/formats/types.ts); those are
// checked as a Gantry spec would be (core/check/gantryText.ts: the same schema, rules and
// estimator) and every finding is put back where the foreign file writes that value — its quick
// fixes written in the file's own syntax by the reader. A finding about a value the file does not
// write goes to the command (the spec's anchor), with a fix that adds it when the reader can.
import { stringify } from 'yaml';
import { claimingReaders, readForeignSteps } from '../formats/index';
import { foreignLimit, MAX_FOREIGN_CHARS, type ForeignDefaults, type ForeignSpec, type FormatId, type FormatReader, type PlainDoc, type SourceEntry } from '../formats/types';
import { DEFAULT_GPU, DEFAULT_INTER_NODE, DEFAULT_INTER_NODE_NOTE } from '../estimate/resolve';
import { estimateDoc, type DocEstimate } from '../validate/estimates';
import { quote, sizeText, type Fix, type Problem, type TextEditAt } from '../validate/problem';
import { findGpu, nearestGpu } from '../catalog/gpus';
import { MODEL_IDS } from '../catalog/models';
import { nearest } from '../spec/suggest';
import type { ClusterEntry, ClusterLookup } from '../validate/rules';
import type { ClusterDoc } from '../spec/types';
import { checkGantryText, type CheckFileOptions, type FileCheck } from './gantryText';
import { parseSpecFileSteps } from '../spec/parse';
import { MAX_FILE_BYTES } from '../validate/validate';

/**
 * Codes about launching a spec through Gantry's own backends (local, Slurm): a foreign file is
 * launched by its own tool (kubectl, sbatch, docker compose), so they do not apply there.
 */
const LAUNCH_ONLY = new Set(['scheduler-no-backend', 'slurm-one-replica', 'slurm-one-node-serving', 'local-no-container', 'local-one-node', 'local-multi-node', 'engine-no-flag']);

/** The name of the synthetic Cluster that holds what a foreign file says about its GPUs. */
const CONTEXT_CLUSTER = 'from-file';

export interface ForeignCheckOptions extends CheckFileOptions {
  defaults?: ForeignDefaults;
}

export function checkForeign(text: string, opts: ForeignCheckOptions): FileCheck {
  const steps = checkForeignSteps(text, opts);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/**
 * `checkForeign` in steps, for the language server, which runs a check a few milliseconds at a time
 * and answers other requests between: reading the file is one step; then, for each job or service
 * the file holds, writing it as Gantry YAML, parsing that (in steps: parseSpecFileSteps), and its checks.
 */
export function* checkForeignSteps(text: string, given: ForeignCheckOptions): Generator<void, FileCheck> {
  const opts = withClusterWorld(given);
  const first = claimingReaders(opts.fileName ?? '', text)[0];
  if (first && text.length > foreignLimit(first)) return tooLarge(text, first);
  const specs = yield* readForeignSteps(text, { fileName: opts.fileName, readFile: opts.readFile, defaults: opts.defaults, maxDocChars: MAX_FOREIGN_CHARS });
  // Documents of a long manifest that were passed over, each past the per-document limit: one notice each.
  // (Only a file past the limit can hold such a document: no second pass over every keystroke's text.)
  const skipped = first?.oversized && text.length > MAX_FOREIGN_CHARS ? first.oversized(text).map((span) => tooLargeDocument(span, first)) : [];
  if (!specs.length) return { gantry: skipped.length > 0, docs: [], problems: skipped, estimates: [], invalid: new Set() };
  const problems: Problem[] = [...skipped];
  const estimates: DocEstimate[] = [];
  const invalid = new Set<number | undefined>();
  for (const [i, spec] of specs.entries()) {
    yield;
    const one = yield* checkOneSteps(spec, i, opts);
    problems.push(...one.problems);
    if (one.estimate) estimates.push(one.estimate);
    if (one.problems.some((p) => p.severity === 'error')) invalid.add(i);
  }
  problems.sort((a, b) => a.offset - b.offset);
  return { gantry: true, docs: [], problems, estimates, invalid, foreign: specs };
}

const FORMAT_NAMES: Record<FormatId, string> = {
  'vllm-args': 'a vLLM command',
  'sglang-args': 'an SGLang command',
  kubernetes: 'a Kubernetes manifest',
  shell: 'a script',
  compose: 'a Compose file',
  dockerfile: 'a Dockerfile',
  skypilot: 'a SkyPilot task',
  torchtitan: 'a torchtitan config',
  axolotl: 'an axolotl config',
  deepspeed: 'a DeepSpeed config',
  accelerate: 'an accelerate config',
  launcher: 'a launch script',
};

/** One document of a multi-document file that its reader passed over (FormatReader.oversized). */
function tooLargeDocument(span: { offset: number; length: number }, reader: FormatReader): Problem {
  const message = `This document is too large for Gantry to read as ${FORMAT_NAMES[reader.id]}: ${sizeText(span.length)} (limit ${MAX_FOREIGN_CHARS / 1024} KB per document, where one such resource is a few KB). Gantry does not check it; the file's other documents are checked.`;
  return { code: 'foreign-file-too-large', severity: 'warning', message, offset: span.offset, length: 1 };
}

/** A claimed foreign file past its reader's limit (foreignLimit): one notice, nothing read. */
function tooLarge(text: string, reader: FormatReader): FileCheck {
  const message = `This file is too large for Gantry to read as ${FORMAT_NAMES[reader.id]}: ${sizeText(text.length)} (limit ${foreignLimit(reader) / 1024} KB, where such a config is a few KB). Gantry does not check it.`;
  return { gantry: true, docs: [], estimates: [], invalid: new Set(), problems: [{ code: 'foreign-file-too-large', severity: 'warning', message, offset: 0, length: Math.min(1, text.length) }] };
}

/**
 * A Cluster the user associated with the file (gantry.context.yaml `cluster:`, the setting) gives a training config
 * its world size too, where nothing nearer does (a launcher line, `gpusPerNode`): its nodes × GPUs per node. Without
 * this, the reader assumed one node of 8 and the job then disagreed with its own Cluster.
 */
function withClusterWorld(opts: ForeignCheckOptions): ForeignCheckOptions {
  const d = opts.defaults;
  if (!d?.cluster || d.gpusPerNode !== undefined || !opts.clusters) return opts;
  const nodes = opts.clusters.get(d.cluster)?.doc?.spec?.nodes as { count?: unknown; gpu?: { count?: unknown } } | undefined;
  const whole = (v: unknown, max: number) => (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= max ? v : undefined);
  const perNode = whole(nodes?.gpu?.count, 1024);
  if (!perNode) return opts;
  const count = whole(nodes?.count, 100_000) ?? 1;
  return { ...opts, defaults: { ...d, gpusPerNode: perNode, ...(d.nodes === undefined ? { nodes: count } : {}), worldFrom: d.worldFrom ?? `the associated Cluster ${quote(d.cluster)}` } };
}

/** The Gantry YAML a foreign spec stands for: its Cluster (when the file names GPUs) and its job. */
export function foreignAsYaml(spec: ForeignSpec, defaults?: ForeignDefaults): { text: string; clusterDoc?: number; jobDoc: number } {
  const job = jobWithCluster(spec, defaults);
  const parts = spec.cluster ? [spec.cluster, job] : [job];
  return { text: parts.map((d) => stringify(d, { lineWidth: 0 })).join('---\n'), clusterDoc: spec.cluster ? 0 : undefined, jobDoc: parts.length - 1 };
}

function jobWithCluster(spec: ForeignSpec, defaults?: ForeignDefaults): PlainDoc {
  const name = spec.cluster?.metadata.name ?? defaults?.cluster;
  if (!name || spec.job.spec.cluster !== undefined) return spec.job;
  return { ...spec.job, spec: { ...spec.job.spec, cluster: name } };
}

/**
 * A reader that found no GPU in the file leaves the cluster out; where the user named a GPU for
 * foreign files (gantry.context.yaml, the gantry.foreign.gpu setting) and no Cluster, it is this
 * the job's nodes of those GPUs, as many per node as the job asks for (every format: one place).
 */
export function withDefaultGpu(spec: ForeignSpec, defaults: ForeignDefaults | undefined): ForeignSpec {
  if (spec.cluster || defaults?.cluster || !defaults?.gpu) return spec;
  const s = spec.job.spec as Record<string, unknown>;
  const size = (v: unknown) => (typeof v === 'number' && v > 0 ? v : 1);
  const res = s.resources as { nodes?: unknown; gpusPerNode?: unknown } | undefined;
  const training = spec.job.kind === 'TrainingJob';
  const count = training ? size(res?.gpusPerNode) : size(s.tensorParallel) * size(s.pipelineParallel) * size(s.dataParallel);
  const nodes = training ? size(res?.nodes) : 1;
  // Several nodes and no word on their fabric: the one a job without a Cluster is estimated on
  // (resolveCluster), said as assumed, rather than no link at all (communication at 0 GB/s).
  const fabric = nodes > 1 ? { interconnect: { interNode: { type: DEFAULT_INTER_NODE } } } : {};
  const cluster: PlainDoc = { apiVersion: 'gantry/v1', kind: 'Cluster', metadata: { name: CONTEXT_CLUSTER }, spec: { nodes: { count: nodes, gpu: { model: defaults.gpu, count: defaults.gpusPerNode ?? count } }, ...fabric } };
  const assumed = [`GPU: ${defaults.gpu} × ${defaults.gpusPerNode ?? count} (from gantry.context.yaml, the launching script or the gantry.foreign.gpu setting; the file does not say)`];
  if (nodes > 1) assumed.push(DEFAULT_INTER_NODE_NOTE);
  return { ...spec, cluster, clusterSources: spec.clusterSources ?? new Map(), assumptions: [...assumed, ...spec.assumptions] };
}

function* checkOneSteps(given: ForeignSpec, index: number, opts: ForeignCheckOptions): Generator<void, { problems: Problem[]; estimate?: DocEstimate }> {
  const spec = withDefaultGpu(given, opts.defaults);
  // A job without a model (a DeepSpeed or accelerate config on its own, a file that does not parse, a
  // command that names none or reads it at run time): only its reader's findings, which say so; the
  // Gantry check would only add that the model is missing.
  if (spec.job.spec.model === undefined) return { problems: spec.problems.map((x) => ({ ...x, docIndex: index })) };
  const synth = foreignAsYaml(spec, opts.defaults);
  const clusters = spec.cluster ? withCluster(opts.clusters, spec.cluster, opts.fileName) : opts.clusters;
  yield;
  const docs = synth.text.length > MAX_FILE_BYTES ? undefined : yield* parseSpecFileSteps(synth.text);
  const c = checkGantryText(synth.text, { fileName: `${CONTEXT_CLUSTER}.gantry.yaml`, clusters, readFile: opts.readFile, docs });
  const place = (p: Problem): Problem | undefined => {
    if (LAUNCH_ONLY.has(p.code)) return undefined;
    const sources = p.docIndex === synth.clusterDoc ? spec.clusterSources : p.docIndex === synth.jobDoc ? spec.sources : undefined;
    if (!sources) return undefined;
    const at = p.path ? lookup(sources, p.path) : undefined;
    // A schema bound broken by a Cluster value the reader computed (nodes for a tensor size of 10^20)
    // and the file does not write: a consequence of the job's own value, which has its own problem.
    if (p.docIndex === synth.clusterDoc && p.code.startsWith('schema') && !at?.exact) return undefined;
    // At the value the path names, else the nearest one the file writes above it (a field inside --speculative-config's
    // JSON at that flag's value), else the command.
    const span = at ? at.entry.span : spec.anchor;
    const fixes = (p.fixes ?? []).map((f) => foreignFix(f, spec, p.docIndex === synth.clusterDoc ? spec.clusterSources : spec.sources)).filter((f): f is Fix => !!f);
    // A GPU the file does not name came from the defaults: the message says where, not how to edit a Cluster the user never wrote.
    const fromDefaults = p.code === 'unknown-gpu' && p.docIndex === synth.clusterDoc && !at?.exact && opts.defaults?.gpu;
    // A model Gantry does not know is no error of the file's (the server may well start): a warning that nothing is estimated, in the file's terms.
    if ((p.code === 'bad-estimate-input' || p.code === 'unknown-model') && p.path?.join('.') === 'spec.model.preset') {
      return { code: 'unknown-model', severity: 'warning', message: unknownForeignModel(spec, p.reason), offset: span.offset, length: span.length, path: p.path, docIndex: index };
    }
    let message = fromDefaults ? unknownDefaultGpu(opts.defaults!.gpu!) : withoutMadeUpCluster(inFileTerms(p.message, sources, spec.terms), spec);
    // Does not fit on a GPU, or a world size, the file never named: say whose assumption that is.
    if (p.severity === 'error' && RESTS_ON_GPU.has(p.code)) {
      const gpu = spec.assumedGpu ?? (spec.job.kind === 'TrainingJob' && !spec.cluster && !opts.defaults?.gpu && !opts.defaults?.cluster ? findGpu(DEFAULT_GPU)?.name : undefined);
      const assumed = [gpu ? `the ${gpu}` : '', spec.assumedWorld ? `a world of ${spec.assumedWorld}` : ''].filter(Boolean);
      const how =
        gpu && spec.assumedWorld
          ? 'the GPU and the world size (gpu:, gpusPerNode: and nodes:) in a gantry.context.yaml beside the file, or --gpu and a launcher line'
          : gpu
            ? 'the GPU (gpu:) in a gantry.context.yaml beside the file, or --gpu'
            : 'the world size (gpusPerNode: and nodes:) in a gantry.context.yaml beside the file, or a launcher line';
      if (assumed.length) message += ` (On ${assumed.join(' and ')}, which Gantry assumed: the file does not say. Name ${how}.)`;
    }
    return { code: p.code, severity: p.severity, message, offset: span.offset, length: span.length, path: p.path, docIndex: index, ...(fixes.length && !fromDefaults ? { fixes } : {}) };
  };
  // A launch-only error (the local backend runs one node) withholds the Gantry estimate, but a foreign
  // file is launched by its own tool: estimate it when that is its only error, and its findings
  // (does not fit, slow links) are the file's like any other.
  // (A GPU the catalog lacks is no launch matter: nothing can be estimated on it.)
  const launchOnly = (p: Problem) => (p.docIndex !== synth.jobDoc && p.code !== 'unknown-gpu') || p.severity !== 'error' || LAUNCH_ONLY.has(p.code);
  const jobDoc = c.docs.find((d) => d.index === synth.jobDoc);
  const withheld = estimateWithheld(spec);
  const ownEstimate = withheld ? undefined : c.estimates.find((x) => x.docIndex === synth.jobDoc);
  const e = withheld ? undefined : (ownEstimate ?? (jobDoc && c.problems.every(launchOnly) ? estimateDoc(synth.text, jobDoc, clusters, opts.readFile) : undefined));
  // A withheld estimate's findings go with it (checkGantryText put them among the problems).
  const dropped = new Set(withheld ? c.estimates.flatMap((x) => x.problems) : []);
  // The estimate's findings as placed in the file (its own problems below are these, by place).
  const placedEstimate = e ? e.problems.map((p) => place({ ...p, docIndex: synth.jobDoc })) : [];
  const fromEstimate = ownEstimate ? [] : placedEstimate;
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const all = [...spec.problems.map((x) => ({ ...x, docIndex: index })), ...c.problems.filter((x) => !dropped.has(x)).map(place), ...fromEstimate];
  // The job's "cannot estimate" on a GPU the catalog lacks repeats the unknown-gpu error, at the same place in a foreign file.
  const unknownGpu = all.some((p) => p?.code === 'unknown-gpu');
  for (const p of all) {
    if (!p || (unknownGpu && p.code === 'bad-estimate-input')) continue;
    const key = `${p.code}@${p.offset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  if (!e) return { problems };
  // The estimate's own assumptions name Gantry's fields (maxModelLen, engineVersion): in the file's words, as its problems are.
  const estimate = { ...e.estimate, assumptions: [...spec.assumptions, ...e.estimate.assumptions.map((a) => inFileTerms(a, spec.sources, spec.terms))] };
  // By code and place: the message was rewritten in the file's terms, so it no longer matches the estimate's.
  const own = new Set(placedEstimate.map((p) => p && `${p.code}@${p.offset}`));
  return { problems, estimate: { docIndex: index, estimate, anchor: spec.anchor, problems: problems.filter((p) => own.has(`${p.code}@${p.offset}`)) } };
}

/**
 * Whether a foreign file's estimate is withheld: its reader found an error in it (a value the
 * tool refuses, such as `micro_batch_size: two` or `--max-model-len 1e999`, for which the reader stood
 * in a default; a microbatch that does not divide the batch; a serving flag the engine's argument parser
 * rejects), so the estimate would be of a run that cannot start and its findings ("needs 90 GiB at micro
 * batch 1", "the KV cache does not hold the 262,144-token default") would mislead. The reader's errors are
 * shown instead. The one rule for the editor and for `gantry check` and `gantry estimate`, which all take
 * a foreign file's estimates from checkForeign. (A Gantry document with an error is not estimated
 * either: core/check/gantryText.ts.)
 */
export function estimateWithheld(spec: ForeignSpec): boolean {
  return spec.problems.some((p) => p.severity === 'error');
}

/** The message for a default GPU (gantry.context.yaml, --gpu, gantry.foreign.gpu) that the catalog lacks. */
function unknownDefaultGpu(gpu: string): string {
  const meant = nearestGpu(gpu);
  return `The GPU ${quote(gpu)} that gantry.context.yaml, --gpu or the gantry.foreign.gpu setting gives this file is not in Gantry's catalog${meant ? ` (did you mean '${meant.id}'?)` : ''}, so nothing is estimated. Fix the name where it is given, or describe the GPU in a Cluster (nodes.gpu.memoryGiB) and name it with gantry.context.yaml's cluster:.`;
}

/**
 * A foreign file's model that neither the catalog nor the local Hugging Face cache gives: no estimate, and how to give
 * one. `cache` is what the estimator found in the cache where it had something to say (Finding.reason: resolve.ts
 * fromHfCache), absent when the cache has no refs/main for the model.
 */
/** Findings whose verdict is the GPU's memory: on an assumed GPU they say so. */
const RESTS_ON_GPU = new Set(['memory-exceeds-capacity', 'kv-cache-too-small']);

function unknownForeignModel(spec: ForeignSpec, cache?: string): string {
  const model = (spec.job.spec.model as { preset?: unknown } | undefined)?.preset;
  const name = quote(typeof model === 'string' ? model : '?');
  // The cache could not say (an unreadable refs/main) or holds the model without a usable config.json: say what stopped it.
  if (cache) return `Gantry does not know the model ${name}: it is not in the catalog, and ${cache}, so nothing is estimated. Fix that file, or use a catalog model (docs/catalog.md).`;
  // The nearest catalog id, as the estimator's own message gives it (resolve.ts), not read back from that message.
  const near = typeof model === 'string' ? nearest(model, MODEL_IDS) : undefined;
  const hint = near ? ` (did you mean '${near}'?)` : '';
  // A folder on the machine that serves it (`/models/my-finetune`, `./ckpt`): read by its last name, as a repo id's.
  if (typeof model === 'string' && (model.startsWith('/') || model.startsWith('./') || model.startsWith('../') || model.startsWith('~'))) {
    return `Gantry does not know the model in the folder ${name}: its last name is no catalog model or Hugging Face repo Gantry knows${hint}, so nothing is estimated. A folder named after its model's repo (…/Qwen3-8B, …/Llama-3.1-8B-Instruct-FP8) is read as that model (docs/catalog.md).`;
  }
  return `Gantry does not know the model ${name}${hint}: it is neither in the catalog nor in the local Hugging Face cache, so nothing is estimated. For an estimate, have it in the cache (a Hugging Face download writes refs/main and snapshots/<commit>/config.json under HF_HUB_CACHE, HF_HOME/hub or ~/.cache/huggingface/hub), or use a catalog model (docs/catalog.md).`;
}

/**
 * The Cluster a reader made up for the file (`pod`, `compose-service`, `from-file`) is not the
 * user's: a message names what the file says about its GPUs instead (the pod's GPU limit), or where
 * the GPUs were assumed from.
 */
function withoutMadeUpCluster(message: string, spec: ForeignSpec): string {
  const name = spec.cluster?.metadata?.name;
  if (typeof name !== 'string') return message;
  const phrase = `cluster '${name}'`;
  if (message.indexOf(phrase) < 0) return message;
  const count = spec.clusterSources?.get('spec.nodes.gpu.count')?.label;
  // A phrase that may sit inside parentheses of the message: none of its own.
  return message.split(phrase).join(count ?? 'the GPUs assumed for this file, from gantry.context.yaml, the launching script or the gantry.foreign.gpu setting');
}

/**
 * A message or fix title in the file's own terms: each Gantry field name the file writes
 * (`maxModelLen`, `tensorParallel`) becomes what the file calls it (`--max-model-len`,
 * `[training] seq_len`). Only camelCase names are replaced, whole words, so plain words stay.
 */
export function inFileTerms(text: string, sources: Map<string, SourceEntry>, terms?: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [key, entry] of sources) {
    const name = key.slice(key.lastIndexOf('.') + 1);
    if (!out.includes(name)) continue;
    // The dotted path first (`batch.sequenceLength`, `nodes.gpu.count` in a schema message), whatever its last name;
    // then the name alone where it cannot be an ordinary word (camelCase, 5 letters or more).
    const rel = key.startsWith('spec.') ? key.slice(5) : key;
    for (const form of [key, rel]) if (form !== name && out.includes(form)) out = replaceWord(out, form, entry.label);
    if (name.length >= 5 && name.toLowerCase() !== name) out = replaceWord(out, name, entry.label);
  }
  // Fields the file does not write, by what its format calls them.
  // A dotted path (`speculative.tokens`) cannot be an ordinary word either; the longer names go first.
  for (const [name, term] of terms ?? []) if (((name.length >= 5 && name.toLowerCase() !== name) || name.includes('.')) && out.includes(name)) out = replaceWord(out, name, term);
  return out;
}

function isWordChar(c: string | undefined): boolean {
  return !!c && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_');
}

/** `word` replaced where it stands alone (not inside a longer name), by a plain scan. */
function replaceWord(text: string, word: string, by: string): string {
  let out = '';
  let from = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
    if (isWordChar(text[i - 1]) || isWordChar(text[i + word.length])) continue;
    out += text.slice(from, i) + by;
    from = i + word.length;
  }
  return out + text.slice(from);
}

/** The source entry of a path: the exact one, or the nearest written ancestor. */
function lookup(sources: Map<string, SourceEntry>, path: readonly (string | number)[]): { entry: SourceEntry; exact: boolean } | undefined {
  for (let n = path.length; n > 0; n--) {
    const entry = sources.get(path.slice(0, n).join('.'));
    if (entry) return { entry, exact: n === path.length };
  }
  return undefined;
}

/** A fix found on the Gantry documents, written in the foreign file's syntax; undefined when one of its values cannot be. */
function foreignFix(f: Fix, spec: ForeignSpec, sources: Map<string, SourceEntry> | undefined): Fix | undefined {
  if (!f.sets?.length) return undefined;
  const edits: TextEditAt[] = [];
  for (const s of f.sets) {
    const entry = sources?.get(s.path.join('.'));
    const edit = entry ? (entry.write ? entry.write(s.value) : plainWrite(entry, s.value)) : sources === spec.sources ? spec.insert?.(s.path, s.value) : undefined;
    if (!edit) return undefined;
    edits.push(edit);
  }
  const gpus = sources === spec.sources ? followGpuCount(spec, f.sets) : undefined;
  if (gpus === null) return undefined;
  // The reader may have written the count already, in one edit with the tensor-parallel size (serving.ts withLimit).
  const covered = (e: TextEditAt, by: TextEditAt) => by.offset <= e.offset && e.offset + e.length <= by.offset + by.length;
  if (gpus && !edits.some((e) => covered(gpus, e))) edits.push(gpus);
  // Never an edit that overlaps another: an editor refuses the whole fix (LSP: edits must not overlap).
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  if (sorted.some((e, k) => k > 0 && e.offset < sorted[k - 1].offset + sorted[k - 1].length)) return undefined;
  return { title: sources ? inFileTerms(f.title, sources, spec.terms) : f.title, edits, preferred: f.preferred };
}

/**
 * A fix that changes a service's parallel sizes also changes how many GPUs it needs: where the file
 * itself says how many GPUs it gets (a pod's `nvidia.com/gpu` limit), the fix sets that too, so
 * the file stays consistent. Null when the count would need writing and the reader cannot.
 */
function followGpuCount(spec: ForeignSpec, sets: NonNullable<Fix['sets']>): TextEditAt | undefined | null {
  if (spec.job.kind !== 'InferenceService') return undefined;
  const entry = spec.clusterSources?.get('spec.nodes.gpu.count');
  if (!entry) return undefined;
  const s = { ...spec.job.spec };
  for (const x of sets) if (x.path.length === 2 && x.path[0] === 'spec') s[String(x.path[1])] = x.value;
  const size = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 1);
  const need = size('tensorParallel') * size('pipelineParallel') * size('dataParallel');
  const gpu = (spec.cluster?.spec.nodes as { gpu?: { count?: unknown } } | undefined)?.gpu;
  if (gpu?.count === need) return undefined;
  return (entry.write ? entry.write(need) : plainWrite(entry, need)) ?? null;
}

/** A number replaces the value in place; anything else needs the reader's own writer. */
function plainWrite(entry: SourceEntry, value: unknown): TextEditAt | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? { offset: entry.span.offset, length: entry.span.length, newText: String(value) } : undefined;
}

/** The workspace's Clusters with the file's own context Cluster in front. */
function withCluster(base: ClusterLookup | undefined, doc: PlainDoc, fileName: string): ClusterLookup {
  const entry: ClusterEntry = { name: doc.metadata.name, file: fileName, docIndex: 0, nameOffset: 0, nameLength: 0, doc: doc as unknown as ClusterDoc };
  return {
    get: (n) => (n === entry.name ? entry : base?.get(n)),
    all: (n) => (n === entry.name ? [entry] : (base?.all(n) ?? [])),
    names: () => [entry.name, ...(base?.names() ?? []).filter((x) => x !== entry.name)],
  };
}

export { CONTEXT_CLUSTER };
