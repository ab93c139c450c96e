// A TrainingJob that points at a training tool's own config (`config: train.toml`): the file stays
// the source of truth. Its values are read by that format's own reader (torchtitan.ts, axolotl.ts,
// accelerate.ts, deepspeed.ts) with the job's resources as the world size, and put in place of the
// job's for the check and the estimate (core/validate: validate.ts, estimates.ts call this). What
// the job itself says about the run (resources, cluster, env, command, …) stays the job's. A value
// both give and that differs is a contradiction, shown at the job's key; a problem about a value
// that comes from the file is shown at `config` (or, when it is about the GPU count, at
// resources.gpusPerNode), naming the file's key.
import { anchorOf, locate, type ParsedDoc, type SpecPath } from '../spec/parse';
import { valueAt } from '../spec/valueAt';
import { READ_PENDING, type ReadFile } from '../validate/model';
import { sizeText, type Problem } from '../validate/problem';
import { accelerateReader } from './accelerate';
import { axolotlReader } from './axolotl';
import { deepspeedReader } from './deepspeed';
import { torchtitanReader } from './torchtitan';
import { type ForeignSpec, type FormatReader, foreignLimit } from './types';

export type TrainingTool = 'torchtitan' | 'axolotl' | 'accelerate' | 'deepspeed';

const READERS: FormatReader[] = [torchtitanReader, axolotlReader, deepspeedReader, accelerateReader];
const TOOL_NAMES: Record<TrainingTool, string> = { torchtitan: 'torchtitan TOML', axolotl: 'axolotl YAML', accelerate: 'accelerate YAML', deepspeed: 'DeepSpeed JSON' };

/** The tool whose config this is (by name and content, as the editor decides), or undefined. */
export function configTool(fileName: string, text: string): TrainingTool | undefined {
  return READERS.find((r) => r.claims(fileName, text))?.id as TrainingTool | undefined;
}

/** What the job says about the run itself: never taken from the file. */
const JOB_OWN = new Set(['config', 'script', 'cluster', 'resources', 'command', 'workingDir', 'env', 'timeLimit', 'maxRestarts', 'container']);

/** Rule and estimate findings about the world size: shown at the job's GPU count, which sets it. */
const WORLD_CODES = new Set(['parallelism-product', 'global-batch', 'torchtitan-mesh', 'deepspeed-batch', 'deepspeed-zero3-one-gpu', 'accelerate-world']);

export interface ConfigFinding {
  code: string;
  severity: Problem['severity'];
  /** The TrainingJob's path the finding is shown at. */
  path: SpecPath;
  message: string;
}

export interface ConfiguredJob {
  tool?: TrainingTool;
  /** The config path as the job writes it. */
  config: string;
  /** The job with the file's values in place (what is checked and estimated); the job as written when the file cannot be read. */
  value: Record<string, unknown>;
  /** Spec paths (joined with '.') whose value comes from the file → how the file names it (`[training] seq_len`). */
  fromFile: Map<string, string>;
  /** The file's own reading, when it could be read. */
  foreign?: ForeignSpec;
  findings: ConfigFinding[];
}

/** `reads`: what the file's reader read beside it (a DeepSpeed config, a model folder), with why a read gave nothing; re-read on every hit. */
const cache = new Map<string, { text: string; job: string; reads: [string, string | undefined, string | undefined][]; result: ConfiguredJob }>();
const CACHE_MAX = 64;

/**
 * The job with its config file's values, or undefined for a job without `config`. `readFile` reads
 * relative to the spec (regular files, size-capped: core/workspace/readBeside.ts or the server's
 * non-blocking reader). Cached per file text and job; a hit reads again, through `readFile`, each
 * file the reading read beside the config (a DeepSpeed config, a model folder's config.json), and
 * is used only when each reads the same: two specs in different folders may name the same relative
 * config, and a caller that records what a check read (gantry check --cache) sees every read.
 */
export function configuredJob(value: Record<string, unknown>, readFile: ReadFile | undefined): ConfiguredJob | undefined {
  const spec = value.spec as Record<string, unknown> | undefined;
  const config = spec?.config;
  if (typeof config !== 'string' || !config) return undefined;
  const text = readFile?.(config);
  if (text === undefined) {
    // The editor reads it in the background: nothing to say until it has (then the job is re-checked).
    const why = readFile?.why?.(config);
    if (why === READ_PENDING) return { config, value, fromFile: new Map(), findings: [] };
    return { config, value, fromFile: new Map(), findings: [{ code: 'config-file', severity: 'error', path: ['spec', 'config'], message: `Cannot read ${quoteName(config)}${why ? ` (${why})` : ' (missing, not a regular file, or larger than 1 MB)'}: the job's model and batch come from it.` }] };
  }
  // One entry per config path: the same file text (the readers hand back the string they cached) and the same job.
  const job = JSON.stringify(value);
  const hit = cache.get(config);
  // What the reader answers for a path: its text, or why there is none.
  const answer = (rel: string): [string | undefined, string | undefined] => {
    const t = readFile!(rel);
    return [t, t === undefined ? readFile!.why?.(rel) : undefined];
  };
  const readsAgain = ([rel, was, why]: [string, string | undefined, string | undefined]) => {
    const [now, whyNow] = answer(rel);
    return now === was && whyNow === why;
  };
  if (hit && hit.text === text && hit.job === job && hit.reads.every(readsAgain)) return hit.result;
  const reads: [string, string | undefined, string | undefined][] = [];
  const read = (rel: string): string | undefined => {
    const [t, why] = answer(rel);
    reads.push([rel, t, why]);
    return t;
  };
  const result = build(value, spec!, config, text, Object.assign(read, { why: readFile!.why }));
  cache.delete(config);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(config, { text, job, reads, result });
  return result;
}

function build(value: Record<string, unknown>, spec: Record<string, unknown>, config: string, text: string, readFile: ReadFile): ConfiguredJob {
  const reader = READERS.find((r) => r.claims(config, text));
  if (!reader) {
    const message = `${quoteName(config)} is not a training config Gantry reads (${Object.values(TOOL_NAMES).join(', ')}); give model and batch here, or point at one of those.`;
    return { config, value, fromFile: new Map(), findings: [{ code: 'config-format', severity: 'error', path: ['spec', 'config'], message }] };
  }
  const tool = reader.id as TrainingTool;
  if (text.length > foreignLimit(reader)) {
    const message = `${quoteName(config)} is too large for Gantry to read: ${sizeText(text.length)} (limit ${foreignLimit(reader) / 1024} KB, where a ${TOOL_NAMES[tool]} config is a few KB); give model and batch here.`;
    return { tool, config, value, fromFile: new Map(), findings: [{ code: 'config-format', severity: 'error', path: ['spec', 'config'], message }] };
  }
  const resources = spec.resources as { nodes?: unknown; gpusPerNode?: unknown } | undefined;
  const model = spec.model as { preset?: unknown } | undefined;
  const dir = config.includes('/') ? config.slice(0, config.lastIndexOf('/') + 1) : '';
  const besideConfig = (rel: string) => (rel.startsWith('/') ? rel : dir + rel);
  const foreign = reader.read(text, {
    fileName: config,
    // Relative to the config's folder; `why` goes along, so a file the editor is still reading is not called missing.
    readFile: Object.assign((rel: string) => readFile(besideConfig(rel)), { why: (rel: string) => readFile.why?.(besideConfig(rel)) }),
    defaults: {
      ...(typeof resources?.gpusPerNode === 'number' ? { gpusPerNode: resources.gpusPerNode } : {}),
      ...(typeof resources?.nodes === 'number' ? { nodes: resources.nodes } : {}),
      ...(typeof model?.preset === 'string' ? { model: model.preset } : {}),
      worldFrom: "the TrainingJob's resources",
    },
  })[0];
  const findings: ConfigFinding[] = [];
  if (!foreign) {
    findings.push({ code: 'config-format', severity: 'error', path: ['spec', 'config'], message: `${quoteName(config)} holds no ${TOOL_NAMES[tool]} training job Gantry can read; give model and batch here.` });
    return { tool, config, value, fromFile: new Map(), findings };
  }
  const file = foreign.job.spec;
  const fromFile = new Map<string, string>();
  const merged: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(file)) if (!JOB_OWN.has(k)) merged[k] = structuredClone(v);
  for (const [k, v] of Object.entries(spec)) {
    if (JOB_OWN.has(k) || merged[k] === undefined) merged[k] = v;
    else contradictions(['spec', k], v, merged[k], foreign, config, findings);
  }
  // A local model folder the file names is relative to the file, and the rules read it relative to the spec.
  const modelConfig = valueAt(merged, ['model', 'config']);
  if (typeof modelConfig === 'string' && dir && !modelConfig.startsWith('/') && file.model === merged.model) merged.model = { ...(merged.model as object), config: dir + modelConfig };
  for (const path of leaves(file, ['spec'])) {
    const k = path.join('.');
    if (JOB_OWN.has(String(path[1]))) continue;
    fromFile.set(k, foreign.sources.get(k)?.label ?? labelAbove(foreign, path));
  }
  // The file's GPU count (accelerate's num_processes) against the job's: the launcher passes the job's.
  const fileRes = file.resources as { nodes?: number; gpusPerNode?: number } | undefined;
  for (const k of ['gpusPerNode', 'nodes'] as const) {
    const src = foreign.sources.get(`spec.resources.${k}`);
    if (src && fileRes?.[k] !== undefined && typeof resources?.[k] === 'number' && fileRes[k] !== resources[k]) {
      findings.push({
        code: 'config-contradiction',
        severity: 'warning',
        path: ['spec', 'resources', k],
        message: `${quoteName(config)} says ${src.label} → ${fileRes[k]} ${k === 'nodes' ? 'nodes' : 'GPUs per node'}, but resources.${k} is ${resources[k]}; Gantry launches with resources' count, overriding the file. Make them agree.`,
      });
    }
  }
  // The reader's own findings: those about the world size at the GPU count, errors at `config`, and
  // what the estimate leaves out because a file is missing (the model, the DeepSpeed config: without
  // it a ZeRO-3 job would read as out of memory with no word why).
  for (const p of foreign.problems) {
    if (WORLD_CODES.has(p.code)) findings.push({ code: p.code, severity: p.severity, path: ['spec', 'resources', 'gpusPerNode'], message: `${quoteName(config)}: ${p.message}` });
    else if (p.severity === 'error' || p.code === 'unknown-model' || p.code === 'deepspeed-file') findings.push({ code: p.code, severity: p.severity, path: ['spec', 'config'], message: `${quoteName(config)}: ${p.message}` });
  }
  const job = { ...value, spec: merged };
  return { tool, config, value: job, fromFile, foreign, findings };
}

/** Each leaf the job writes that the file writes differently: a warning at the job's key (the file's value is used). */
function contradictions(path: SpecPath, mine: unknown, theirs: unknown, foreign: ForeignSpec, config: string, out: ConfigFinding[]): void {
  if (mine && theirs && typeof mine === 'object' && typeof theirs === 'object' && !Array.isArray(mine) && !Array.isArray(theirs)) {
    for (const [k, v] of Object.entries(mine)) {
      const t = (theirs as Record<string, unknown>)[k];
      if (t === undefined) (theirs as Record<string, unknown>)[k] = v;
      else contradictions([...path, k], v, t, foreign, config, out);
    }
    return;
  }
  if (JSON.stringify(mine) === JSON.stringify(theirs)) return;
  const label = foreign.sources.get(path.join('.'))?.label ?? labelAbove(foreign, path);
  out.push({ code: 'config-contradiction', severity: 'warning', path, message: `${quoteName(config)} gives ${show(theirs)} (${label}); the file is what runs and what is estimated. Remove ${path.slice(1).join('.')} here or change the file.` });
}

function labelAbove(foreign: ForeignSpec, path: SpecPath): string {
  for (let n = path.length - 1; n >= 2; n--) {
    const s = foreign.sources.get(path.slice(0, n).join('.'));
    if (s) return s.label;
  }
  return 'its default or what it implies';
}

function leaves(v: unknown, path: SpecPath): SpecPath[] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [path];
  return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
}

/**
 * A rule's or the estimator's problem on the configured job, placed in the job's YAML: where the
 * job writes the value, as is; where the value came from the file, at `config` (or the GPU count,
 * for world-size problems) with the file's key named, and without fixes (they would write the
 * job, not the file).
 */
export function placeOnJob(p: Problem, doc: ParsedDoc, job: ConfiguredJob): Problem {
  const path = p.path;
  if (!path || locate(doc, path).exact) return p;
  const k = path.join('.');
  const fromFile = job.fromFile.get(k) ?? [...job.fromFile].find(([f]) => f.startsWith(`${k}.`))?.[1];
  if (fromFile === undefined) return p;
  const label = job.foreign?.sources.get(k)?.label ?? fromFile;
  const at: SpecPath = WORLD_CODES.has(p.code) && locate(doc, ['spec', 'resources', 'gpusPerNode']).exact ? ['spec', 'resources', 'gpusPerNode'] : ['spec', 'config'];
  return { ...p, path: at, message: `${quoteName(job.config)} (${label}): ${p.message}`, fixes: [], ...anchorOf(doc, at) };
}

/** What the hover says of a configured job: where its values come from, and what the file's reader assumed. */
export function configAssumptions(job: ConfiguredJob): string[] {
  if (!job.foreign) return [];
  return [`Model, batch, precision and parallelism from ${quoteName(job.config)} (${job.foreign.label}); the file is the source of truth.`, ...job.foreign.assumptions];
}

/** The job's config findings as problems in the job's YAML. */
export function configProblems(job: ConfiguredJob, doc: ParsedDoc): Problem[] {
  return job.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, path: f.path, ...anchorOf(doc, f.path) }));
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

function quoteName(s: string): string {
  return `'${s.length > 60 ? `${s.slice(0, 60)}…` : s}'`;
}
