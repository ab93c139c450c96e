// Shell and sbatch scripts that launch vLLM or SGLang: variables set earlier in the script
// (`MODEL=…`, `export TP=4`) and their `$VAR` / `${VAR:-default}` uses, line continuations,
// `srun …`/`exec`/`env` prefixes, and the allocation an sbatch script asks for in its `#SBATCH`
// lines (`--gres=gpu:h100:4`, `--gpus-per-node=8`, `--nodes=2`). A fix edits the word on the
// command line, or the variable's value where the word is `$VAR`, or the count in `--gres`.
import type { Span } from '../spec/parse';
import type { TextEditAt } from '../validate/problem';
import { servingSpec, problemAt, versionOf, type GpuContext } from './serving';
import { allDigits, tokenizeShell, type ShellCommand, type ShellVar, type Word } from './shellWords';
import type { ForeignSpec, FormatReader } from './types';
import { findImageRun, findServeCommand, mentionsServe, namedEngineVersionAt, readServeArgs, scriptCommandEnv, type ServeCommand } from './vllmArgs';
import { appendAfter, shellDashC } from './yamlWords';

const SCRIPT_EXT = ['.sh', '.bash', '.sbatch', '.slurm', '.job', '.zsh'];
const base = (f: string) => f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);

export const shellReader: FormatReader = {
  id: 'shell',
  claims(fileName, text) {
    const l = fileName.toLowerCase();
    const script = SCRIPT_EXT.some((e) => l.endsWith(e)) || (text.startsWith('#!') && text.slice(0, 80).indexOf('sh') >= 0);
    return script && mentionsServe(text);
  },
  read(text, ctx) {
    const sbatch = readSbatch(text);
    const gpu = sbatch.gpu;
    const slurm = slurmGpuVars(sbatch);
    const { commands, problems, vars } = tokenizeShell(text, { assignments: true, vars: slurm.vars, gpus: slurm.gpus });
    const out: ForeignSpec[] = [];
    const shellProblems = problems.map((p) => problemAt('foreign-shell', 'warning', p, p.message));
    // A command of its own, `docker run … vllm/vllm-openai …` (the image's server takes the args), or `bash -c "…"`.
    // Each with the environment its process sees.
    const launches = commands.flatMap((c): { c: ShellCommand; cmd: ServeCommand; image?: Word; env: Map<string, ShellVar> }[] => {
      const cmd = findServeCommand(c.words);
      if (cmd) return [{ c, cmd, env: scriptCommandEnv(vars, c.words) }];
      const run = findImageRun(c.words);
      // The container's environment is -e's, not the script's.
      if (run) return [{ c, cmd: run.cmd, image: run.image, env: run.env }];
      const inner = shellDashC(text, c.words, [], 0, { vars, assignments: true, gpus: slurm.gpus });
      for (const ic of inner?.commands ?? []) {
        const cmd2 = findServeCommand(ic.words);
        if (cmd2) return [{ c: ic, cmd: cmd2, env: scriptCommandEnv(inner?.vars ?? vars, ic.words) }];
      }
      return [];
    });
    for (const { c, cmd, image, env } of launches) {
      const last = c.words[c.words.length - 1];
      const read = readServeArgs(cmd, { append: (ws) => appendAfter(last, ws), readFile: ctx.readFile });
      const name = base(ctx.fileName);
      const dot = name.lastIndexOf('.');
      out.push(
        servingSpec({
          format: 'shell',
          label: `${cmd.launcher} in ${name}`,
          name: dot > 0 ? name.slice(0, dot) : name,
          text,
          cmd,
          read,
          gpu,
          defaults: ctx.defaults,
          ...versionOf(namedEngineVersionAt(cmd.engine, { image, commands, placed: true })),
          problems: out.length ? [] : shellProblems,
          env,
        }),
      );
    }
    return out;
  },
};

/**
 * The GPUs an sbatch script's `#SBATCH` lines ask for (per node), and its nodes. `--gpus`/`-G` is
 * the job's total: on one node that is the node's count, on several it is split evenly over them
 * where it divides (Slurm may place it otherwise; `--gpus-per-node` or `--gres` wins where given).
 */
export function sbatchContext(text: string): GpuContext {
  return readSbatch(text).gpu;
}

/** What the `#SBATCH` options ask for: besides the GpuContext, whether `--gpus-per-node` gives a plain count. */
interface SbatchRead {
  gpu: GpuContext;
  /** `--gpus-per-node=N` (no type): Slurm sets SLURM_GPUS_PER_NODE to it. */
  perNode?: boolean;
  /** The count is `--gpus`/`-G` split over several nodes: a fix of the per-node count is not written as is. */
  split?: boolean;
}

function readSbatch(text: string): SbatchRead {
  const gpu: GpuContext = { scheduler: 'local', clusterName: 'this-machine' };
  const total: State = {};
  let from = 0;
  while (from < text.length) {
    let eol = text.indexOf('\n', from);
    if (eol < 0) eol = text.length;
    if (text.startsWith('#SBATCH', from)) {
      gpu.scheduler = 'slurm';
      gpu.clusterName = 'sbatch';
      const start = from + 7;
      const { commands } = tokenizeShell(text.slice(start, eol), { offsetOf: (i) => start + i });
      const words = commands[0]?.words ?? [];
      for (let k = 0; k < words.length; k++) sbatchOption(words, k, gpu, total);
    }
    from = eol + 1;
  }
  const t = total.gpus;
  const nodes = gpu.nodes?.value ?? 1;
  if (t && !gpu.count && t.value % nodes === 0) {
    const per = t.value / nodes;
    const write = t.countAt >= 0 ? (x: unknown) => (typeof x === 'number' ? writeWord(t.word, x * nodes) : undefined) : undefined;
    gpu.count = { value: per, entry: { span: t.word.span, label: t.label, write } };
    if (nodes > 1) (gpu.notes ??= []).push(`GPUs per node: ${per}, ${t.label}=${t.value} over ${nodes} nodes (Slurm may place them unevenly).`);
    return { gpu, split: nodes > 1 };
  }
  return { gpu, perNode: total.perNode && gpu.count?.entry.label === '#SBATCH --gpus-per-node' };
}

interface State {
  gpus?: Total;
  perNode?: boolean;
}

/**
 * What Slurm sets in the job's environment from its GPU request: SLURM_GPUS_ON_NODE (the GPUs allocated on
 * the node) wherever the count is known, SLURM_GPUS_PER_NODE only where `--gpus-per-node` gives it ("Only set
 * if the --gpus-per-node option is specified", sbatch's OUTPUT ENVIRONMENT VARIABLES; a typed value such as
 * `h100:4` is left out). Each is written where the count is, so a fix of one edits the `#SBATCH` count.
 */
function slurmGpuVars(sbatch: SbatchRead): { vars: Map<string, ShellVar>; gpus?: { name: string; v: ShellVar } } {
  const vars = new Map<string, ShellVar>();
  const c = sbatch.gpu.count;
  if (sbatch.gpu.scheduler !== 'slurm' || !c) return { vars };
  const v: ShellVar = { value: String(c.value), span: c.entry.span, exact: !!c.entry.write && !sbatch.split, exported: true };
  vars.set('SLURM_GPUS_ON_NODE', v);
  if (sbatch.perNode) vars.set('SLURM_GPUS_PER_NODE', v);
  return { vars, gpus: { name: 'SLURM_GPUS_ON_NODE', v } };
}

/** A job's total GPUs (`--gpus`, `-G`): its count, the count's word and where it is in the option's value. */
interface Total {
  value: number;
  word: Word;
  countAt: number;
  label: string;
}

/** One `#SBATCH` option, in its `--x=v`, `--x v` or `-N v` form. */
function sbatchOption(words: Word[], k: number, gpu: GpuContext, total: State): void {
  const w = words[k];
  const eq = w.value.indexOf('=');
  // `-G2`, `-N2`: a short option with its value attached.
  const short = eq < 0 && w.value.length > 2 && (w.value.startsWith('-G') || w.value.startsWith('-N'));
  const name = eq > 0 ? w.value.slice(0, eq) : short ? w.value.slice(0, 2) : w.value;
  const valueWord = eq > 0 ? sub(w, eq + 1, w.value.length - eq - 1) : short ? sub(w, 2, w.value.length - 2) : words[k + 1];
  if (!valueWord) return;
  const v = valueWord.value;
  if (name === '--gres' || name === '--gpus-per-node' || name === '--gpus' || name === '-G') {
    // gres: gpu[:type][:count][,…]; gpus-per-node / gpus: [type:]count.
    let item = v;
    let off = 0;
    if (name === '--gres') {
      const at = v.indexOf('gpu');
      if (at < 0) return;
      off = at;
      const comma = v.indexOf(',', at);
      item = v.slice(at, comma < 0 ? v.length : comma);
    }
    const parts = item.split(':');
    const lead = name === '--gres' ? 1 : 0;
    const rest = parts.slice(lead);
    let count: number | undefined;
    let countAt = -1;
    let type: string | undefined;
    let typeAt = -1;
    let pos = off + (lead ? parts[0].length + 1 : 0);
    for (const p of rest) {
      if (p && allDigits(p)) {
        count = Number(p);
        countAt = pos;
      } else if (p) {
        type = p;
        typeAt = pos;
      }
      pos += p.length + 1;
    }
    if (name === '--gres' && count === undefined && rest.length) count = 1;
    const label = `#SBATCH ${name}`;
    if (count !== undefined) {
      const cw = countAt >= 0 ? sub(valueWord, countAt, String(count).length) : valueWord;
      if (name === '--gpus' || name === '-G') total.gpus = { value: count, word: cw, countAt, label };
      else gpu.count = { value: count, entry: { span: cw.span, label, write: countAt >= 0 ? (x) => writeWord(cw, x) : undefined } };
      if (name === '--gpus-per-node') total.perNode = !type;
    }
    if (type) gpu.product = { name: type, dialect: 'slurm', entry: { span: sub(valueWord, typeAt, type.length).span, label } };
  } else if (name === '--nodes' || name === '-N') {
    const n = Number(v.split('-')[0]);
    if (Number.isInteger(n) && n > 0) gpu.nodes = { value: n, entry: { span: valueWord.span, label: `#SBATCH ${name}` } };
  }
}

/** Part of a word, placed when the word is written as is. */
function sub(w: Word, from: number, length: number): Word {
  const value = w.value.slice(from, from + length);
  const span: Span = w.exact ? { offset: w.span.offset + from, length } : w.span;
  return { value, span, exact: w.exact, quote: '' };
}

function writeWord(w: Word, v: unknown): TextEditAt | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || !w.exact) return undefined;
  return { offset: w.span.offset, length: w.span.length, newText: String(v) };
}
