// Launcher lines in shell and sbatch scripts: `torchrun --nnodes 2 --nproc_per_node 8 … --job.config_file
// train.toml`, `accelerate launch --config_file fsdp.yaml …`, `deepspeed --num_gpus 8 … --deepspeed
// ds.json`, `axolotl train cfg.yml`, `tune run …`. The line gives the world size (and the sbatch
// header the GPU); the config file it passes gives the rest, read by that format's own reader with
// the line's world size. The script then carries the job's estimate on the launcher word, and its
// `--nproc_per_node` / `--nnodes` values are where a GPU-count problem is shown and fixed. The
// config file's own problems stay in that file (its reader shows them when it is opened); that it has
// errors is said on the script too, which then gets no estimate.
import type { SpecPath, Span } from '../spec/parse';
import type { Problem, TextEditAt } from '../validate/problem';
import { gpuFromName } from './gpuNames';
import { sbatchContext } from './shell';
import { tokenizeShell, type Word } from './shellWords';
import { hasTrainerArgs, readTrainerArgs, trainerDefaults, type LineArg, type LineTrainerArgs } from './trainerArgs';
import { torchtitanReader } from './torchtitan';
import { axolotlReader } from './axolotl';
import { deepspeedReader } from './deepspeed';
import { accelerateReader, unevenWorld } from './accelerate';
import { type ForeignDefaults, type ForeignSpec, type FormatReader, foreignLimit, MAX_FOREIGN_CHARS, type ReadContext, type SourceEntry, type TrainerDefaults } from './types';

export const SCRIPT_EXT = ['.sh', '.bash', '.sbatch', '.slurm', '.job', '.zsh'];
const LAUNCHERS = ['torchrun', 'accelerate', 'deepspeed', 'axolotl', 'tune', 'torch.distributed.run', 'axolotl.cli.train'];
const base = (f: string) => f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);

export const launcherReader: FormatReader = {
  id: 'launcher',
  claims(fileName, text) {
    const l = fileName.toLowerCase();
    const script = SCRIPT_EXT.some((e) => l.endsWith(e)) || (text.startsWith('#!') && text.slice(0, 80).indexOf('sh') >= 0);
    return script && LAUNCHERS.some((w) => text.indexOf(w) >= 0);
  },
  read(text, ctx) {
    const { commands } = tokenizeShell(text, { assignments: true });
    const sbatch = sbatchContext(text);
    const out: ForeignSpec[] = [];
    for (const c of commands) {
      const line = launcherLine(c.words);
      if (!line) continue;
      const spec = readLine(line, sbatch, ctx, text);
      if (spec) out.push(spec);
    }
    return out;
  },
};

interface LauncherLine {
  tool: string;
  /** The launcher's word (where the estimate is shown). */
  at: Word;
  nproc?: Word;
  /** accelerate's --num_processes: every process of every machine (per machine: ÷ --num_machines). */
  nprocTotal?: Word;
  nnodes?: Word;
  config?: Word;
  /** The training script's --model_name_or_path (Hugging Face Trainer and TRL scripts). */
  model?: Word;
  /** The Trainer / TRL arguments after the training script (trainerArgs.ts). */
  trainer?: LineTrainerArgs;
  /** The command's last word: a Trainer argument the line does not write is added after it. */
  last: Word;
}

const VALUE_OPTS: Record<string, keyof Pick<LauncherLine, 'nproc' | 'nprocTotal' | 'nnodes' | 'config' | 'model'>> = {
  '--nproc_per_node': 'nproc',
  '--nproc-per-node': 'nproc',
  '--num_gpus': 'nproc',
  '--num-gpus': 'nproc',
  '--num_processes': 'nprocTotal',
  '--num-processes': 'nprocTotal',
  '--model_name_or_path': 'model',
  '--model-name-or-path': 'model',
  '--nnodes': 'nnodes',
  '--num_nodes': 'nnodes',
  '--num-nodes': 'nnodes',
  '--num_machines': 'nnodes',
  '--num-machines': 'nnodes',
  '--config_file': 'config',
  '--config-file': 'config',
  '--job.config_file': 'config',
  '--job.config-file': 'config',
  '--deepspeed': 'config',
  '--deepspeed_config': 'config',
  '--config': 'config',
};

/** The launcher in a command's words, with its world-size options and the config file it passes. */
function launcherLine(words: Word[]): LauncherLine | undefined {
  let i = 0;
  // Prefixes: srun …, env A=B, python -m …
  while (i < words.length && ['srun', 'exec', 'env', 'time', 'nohup'].includes(base(words[i].value))) {
    // srun's own options (`srun -N 2 --ntasks-per-node=1 torchrun …`): the launcher is the first word that is one.
    if (base(words[i].value) === 'srun') {
      const k = words.findIndex((w, j) => j > i && j <= i + 40 && (LAUNCHERS.includes(base(w.value)) || base(w.value).startsWith('python')));
      if (k > 0) {
        i = k;
        break;
      }
    }
    i++;
  }
  while (i < words.length && words[i].value.includes('=') && !words[i].value.startsWith('-')) i++;
  const first = words[i];
  if (!first) return undefined;
  let tool = base(first.value);
  let at = first;
  if (tool.startsWith('python')) {
    const m = words.findIndex((w, k) => k > i && w.value === '-m');
    if (m < 0 || !words[m + 1]) return undefined;
    tool = words[m + 1].value;
    at = words[m + 1];
    i = m + 1;
  }
  if (tool === 'torch.distributed.run') tool = 'torchrun';
  if (tool === 'axolotl.cli.train') tool = 'axolotl';
  if (tool === 'accelerate' && words[i + 1]?.value !== 'launch') return undefined;
  if (tool === 'axolotl' && at === first && words[i + 1]?.value !== 'train') return undefined;
  if (!['torchrun', 'accelerate', 'deepspeed', 'axolotl', 'tune'].includes(tool)) return undefined;
  const line: LauncherLine = { tool, at, last: words[words.length - 1] };
  let script: number | undefined;
  for (let k = i + 1; k < words.length; k++) {
    const w = words[k];
    // The training script (`train.py`, or the module after -m / --module): its own arguments follow it.
    if (script === undefined && !w.value.startsWith('-') && (w.value.endsWith('.py') || words[k - 1].value === '-m' || words[k - 1].value === '--module')) script = k;
    const eq = w.value.indexOf('=');
    const name = eq > 0 && w.value.startsWith('--') ? w.value.slice(0, eq) : w.value;
    const slot = VALUE_OPTS[name];
    if (slot) {
      const v = eq > 0 && w.value.startsWith('--') ? part(w, eq + 1) : words[++k];
      if (v && line[slot] === undefined) line[slot] = v;
      continue;
    }
    // A positional config (`axolotl train cfg.yml`, `tune run … --config x.yaml`, a training script's first .toml).
    if (!line.config && !w.value.startsWith('-') && /\.(toml|ya?ml|json)$/i.test(w.value)) line.config = w;
  }
  if (script !== undefined && line.config) line.trainer = readTrainerArgs(words, script + 1);
  return line.config ? line : undefined;
}

/** The part of a word from `from` on (the value of `--x=4`), placed exactly when the word is written as is. */
function part(w: Word, from: number): Word {
  const value = w.value.slice(from);
  const span: Span = w.exact ? { offset: w.span.offset + from, length: value.length } : w.span;
  return { value, span, exact: w.exact, quote: '' };
}

function wholeNumber(w: Word | undefined): number | undefined {
  if (!w || w.unresolved) return undefined;
  // torchrun's elastic `--nnodes 1:4` counts the lower bound.
  const n = Number(w.value.split(':')[0]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** `scale`: the written value is the spec's times this (accelerate's --num_processes counts every machine's). */
function writable(w: Word, label: string, scale = 1): SourceEntry {
  const target = w.origin ?? { span: w.span, exact: w.exact };
  return {
    span: w.span,
    label,
    write: (v) => (typeof v === 'number' && Number.isInteger(v) && v > 0 && target.exact ? ({ offset: target.span.offset, length: target.span.length, newText: String(v * scale) } satisfies TextEditAt) : undefined),
  };
}

/**
 * The GPUs per node a line gives: --nproc_per_node / --num_gpus, else accelerate's --num_processes over
 * its machines: accelerate hands torchrun (and DeepSpeed's launcher) num_processes // num_machines
 * (accelerate/utils/launch.py prepare_multi_gpu_env), rounded down without a word, so 12 over 8
 * machines runs 1 per machine; 0 per machine gives none (unevenProcesses says so on the line).
 */
function perNode(line: LauncherLine): number | undefined {
  const direct = wholeNumber(line.nproc);
  if (direct) return direct;
  const total = wholeNumber(line.nprocTotal);
  const nodes = wholeNumber(line.nnodes) ?? 1;
  return total && Math.floor(total / nodes) >= 1 ? Math.floor(total / nodes) : undefined;
}

/** accelerate's --num_processes that does not divide over --num_machines: what runs instead, at the value. */
function unevenProcesses(line: LauncherLine): Problem | undefined {
  const total = wholeNumber(line.nprocTotal);
  const nodes = wholeNumber(line.nnodes);
  if (wholeNumber(line.nproc) || !total || !nodes) return undefined;
  const uneven = unevenWorld(total, nodes, '--num_processes', '--num_machines');
  if (!uneven) return undefined;
  const span = line.nprocTotal!.span;
  return { code: 'accelerate-world', severity: uneven.severity, offset: span.offset, length: Math.max(1, span.length), message: uneven.message };
}

/** The model the training script is given (`--model_name_or_path`), when the line writes it plainly. */
function modelOf(line: LauncherLine): string | undefined {
  const m = line.model;
  return m && !m.unresolved && m.value && !m.value.startsWith('-') && m.value.length <= 200 ? m.value : undefined;
}

const READERS: FormatReader[] = [torchtitanReader, axolotlReader, deepspeedReader, accelerateReader];

function readLine(line: LauncherLine, sbatch: ReturnType<typeof sbatchContext>, ctx: ReadContext, script: string): ForeignSpec | undefined {
  const cfg = line.config!;
  if (cfg.unresolved || !ctx.readFile) return undefined;
  const text = ctx.readFile(cfg.value);
  if (text === undefined || text.length > MAX_FOREIGN_CHARS) return undefined;
  const dir = cfg.value.includes('/') ? cfg.value.slice(0, cfg.value.lastIndexOf('/') + 1) : '';
  // GPUs per node written on the line itself (not the sbatch header's allocation).
  const onLine = perNode(line);
  const nproc = onLine ?? sbatch.count?.value;
  const nodes = wholeNumber(line.nnodes) ?? sbatch.nodes?.value;
  const gpu = sbatch.product ? gpuFromName(sbatch.product.name, sbatch.product.dialect).gpu?.id : undefined;
  // The line launches this very config: its model (a Trainer script's --model_name_or_path) wins over a context file's.
  const model = modelOf(line);
  // The training script's Trainer arguments fill what the config leaves "auto" (or to the script).
  const trainer = line.trainer ? trainerDefaults(line.trainer, `${quoteName(base(ctx.fileName))} line ${lineOf(script, line.at.span.offset)}`) : undefined;
  const defaults: ForeignDefaults = { ...ctx.defaults, ...(nproc ? { gpusPerNode: nproc } : {}), ...(nodes ? { nodes } : {}), ...(gpu ? { gpu } : {}), ...(model ? { model } : {}), ...(onLine ? { launchWorld: true } : {}), ...(trainer ? { trainer } : {}) };
  const inner: ReadContext = { fileName: cfg.value, readFile: (rel) => ctx.readFile?.(rel.startsWith('/') ? rel : dir + rel), defaults };
  const reader = READERS.find((r) => r.claims(cfg.value, text));
  // A config past its reader's limit is not read here either (its own check says so).
  if (text.length > foreignLimit(reader)) return undefined;
  const spec = reader?.read(text, inner)[0];
  if (!spec) return undefined;
  // A config its tool refuses: the script says so at the config it passes, and (being an error) gets
  // no estimate, as the config itself gets none (core/check/foreign.ts estimateWithheld).
  const errors = spec.problems.filter((p) => p.severity === 'error');
  const refused = errors.length
    ? [
        {
          code: 'launcher-config-error',
          severity: 'error' as const,
          offset: cfg.span.offset,
          length: Math.max(1, cfg.span.length),
          message: `${quoteName(cfg.value)} has ${errors.length === 1 ? 'an error' : `${errors.length} errors`} (line ${lineOf(text, errors[0].offset)}: ${errors[0].message.length > 120 ? `${errors[0].message.slice(0, 120)}…` : errors[0].message}): the run stops there, and nothing is estimated until the file is fixed.`,
        },
      ]
    : [];
  // The script's own places: the launcher word, and the world-size values it writes.
  const sources = new Map<string, SourceEntry>();
  if (line.nproc && wholeNumber(line.nproc)) sources.set('spec.resources.gpusPerNode', writable(line.nproc, `${line.tool} ${line.tool === 'deepspeed' ? '--num_gpus' : '--nproc_per_node'}`));
  else if (line.nprocTotal && onLine) sources.set('spec.resources.gpusPerNode', writable(line.nprocTotal, `${line.tool} --num_processes`, wholeNumber(line.nnodes) ?? 1));
  if (line.nnodes && wholeNumber(line.nnodes)) sources.set('spec.resources.nodes', writable(line.nnodes, `${line.tool} --nnodes`));
  // The values the config took from this line's Trainer arguments are shown, and rewritten, here.
  for (const [key, entry] of spec.sources) {
    const arg = entry.fromLaunch && line.trainer ? trainerArgAt(line.trainer, key) : undefined;
    if (arg) sources.set(key, typeof arg.value === 'number' ? writable(arg.word, arg.flag) : { span: arg.word.span, label: arg.flag, write: () => undefined });
  }
  const uneven = unevenProcesses(line);
  const own = [...(line.trainer?.problems ?? []), ...(uneven ? [uneven] : [])];
  const anchor = line.at.span;
  const assumptions = [`Launched by ${line.tool} with ${quoteName(cfg.value)} (${spec.label}); its values are read from that file and shown there.`, ...(model ? [`Model: ${quoteName(model)}, the training script's --model_name_or_path on this line.`] : []), ...spec.assumptions];
  return {
    ...spec,
    label: `${line.tool} with ${quoteName(cfg.value)}`,
    sources,
    clusterSources: new Map(),
    anchor,
    assumptions,
    insert: (path: SpecPath, value: unknown) => addTrainerArg(line, spec, path, value),
    problems: [...own, ...refused],
  };
}

/**
 * A quick fix's value that neither the config nor the line writes, added to a Trainer line as the
 * training script's argument (after the line's last word): full activation checkpointing
 * (`--gradient_checkpointing`), the accumulation and the micro-batch. Only for a DeepSpeed or
 * accelerate config, whose reader takes these from the line (trainerArgs.ts), and only on a line that
 * writes Trainer arguments already (so the script is one that reads them); never a value the config
 * itself writes (the Trainer would refuse the two that differ).
 */
function addTrainerArg(line: LauncherLine, spec: ForeignSpec, path: SpecPath, value: unknown): TextEditAt | undefined {
  if ((spec.format !== 'deepspeed' && spec.format !== 'accelerate') || !hasTrainerArgs(line.trainer)) return undefined;
  const key = path.join('.');
  const own = spec.sources.get(key);
  if (own && !own.fromLaunch) return undefined;
  let words: string | undefined;
  // Under FSDP the config's own fsdp_activation_checkpointing is the way (its fix writes it), and the Trainer refuses both at once.
  const fsdp = (spec.job.spec as { parallelism?: { fsdp?: unknown } }).parallelism?.fsdp;
  if (key === 'spec.activationCheckpointing' && value === 'full' && (fsdp === undefined || fsdp === 'none')) words = '--gradient_checkpointing';
  else if (key === 'spec.batch.gradientAccumulation' && Number.isInteger(value) && (value as number) >= 1) words = `--gradient_accumulation_steps ${value}`;
  else if (key === 'spec.batch.micro' && Number.isInteger(value) && (value as number) >= 1) words = `--per_device_train_batch_size ${value}`;
  if (!words) return undefined;
  const at = line.last.end ?? line.last.span.offset + line.last.span.length;
  return { offset: at, length: 0, newText: ` ${words}` };
}

/** The line's Trainer argument a config value (by spec path) was taken from. */
function trainerArgAt(t: LineTrainerArgs, key: string): LineArg<number | boolean> | undefined {
  if (key === 'spec.batch.micro') return t.micro;
  if (key === 'spec.batch.gradientAccumulation') return t.accumulation;
  if (key === 'spec.batch.sequenceLength') return t.seqLen;
  if (key === 'spec.activationCheckpointing') return t.checkpointing;
  if (key === 'spec.precision') return t.bf16?.value ? t.bf16 : t.fp16?.value ? t.fp16 : (t.bf16 ?? t.fp16);
  return undefined;
}

/** One launcher line of a script, as the reverse association reads it: the config it passes and the world size it gives. */
export interface LaunchedConfig {
  tool: string;
  /** The config as the line writes it (relative to the folder the script runs in). */
  config: string;
  /** The line's 1-based number, for people. */
  line: number;
  gpusPerNode?: number;
  nodes?: number;
  /** A catalog GPU id from the sbatch header. */
  gpu?: string;
  /** The training script's --model_name_or_path. */
  model?: string;
  /** gpusPerNode is written on the line itself (not taken from the sbatch header). */
  worldOnLine?: boolean;
  /** The training script's Trainer arguments (`from` is filled in by the caller, who knows the script's name). */
  trainer?: TrainerDefaults;
  /** accelerate's --num_processes and --num_machines when the one does not divide over the other (gpusPerNode is what accelerate runs). */
  uneven?: { total: number; machines: number };
}

/** Every launcher line of a script text that passes a config file, with what it says of the world size. */
export function launchedConfigs(text: string): LaunchedConfig[] {
  if (!LAUNCHERS.some((w) => text.indexOf(w) >= 0)) return [];
  const { commands } = tokenizeShell(text, { assignments: true });
  const sbatch = sbatchContext(text);
  const gpu = sbatch.product ? gpuFromName(sbatch.product.name, sbatch.product.dialect).gpu?.id : undefined;
  const out: LaunchedConfig[] = [];
  for (const c of commands) {
    const l = launcherLine(c.words);
    if (!l?.config || l.config.unresolved) continue;
    const gpusPerNode = perNode(l) ?? sbatch.count?.value;
    const nodes = wholeNumber(l.nnodes) ?? sbatch.nodes?.value;
    const model = modelOf(l);
    const trainer = l.trainer ? trainerDefaults(l.trainer, '') : undefined;
    const total = wholeNumber(l.nprocTotal);
    const machines = wholeNumber(l.nnodes);
    const uneven = unevenProcesses(l) && total && machines ? { total, machines } : undefined;
    out.push({
      tool: l.tool,
      config: l.config.value,
      line: lineOf(text, l.at.span.offset),
      ...(gpusPerNode ? { gpusPerNode } : {}),
      ...(nodes ? { nodes } : {}),
      ...(gpu ? { gpu } : {}),
      ...(model ? { model } : {}),
      ...(perNode(l) ? { worldOnLine: true } : {}),
      ...(trainer ? { trainer } : {}),
      ...(uneven ? { uneven } : {}),
    });
  }
  return out;
}

/** The 1-based line of `offset` in `text`. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function quoteName(s: string): string {
  return `'${s.length > 60 ? `${s.slice(0, 60)}…` : s}'`;
}
