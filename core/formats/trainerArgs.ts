// Hugging Face Trainer and TRL arguments on a launch line (`deepspeed --num_gpus 8 train.py --deepspeed
// ds.json --per_device_train_batch_size 4 --gradient_accumulation_steps 8 --max_seq_length 4096
// --gradient_checkpointing --bf16`): the training script's own arguments, after the script, which
// HfArgumentParser (argparse) reads. A DeepSpeed JSON whose batch sizes are "auto", or an accelerate
// YAML, leaves these to the script, so the line that launches the config is where they are said.
// launcher.ts reads the line's words (from shellWords.ts, no regex on the text); the readers of the
// config (deepspeed.ts, accelerate.ts) take them through ForeignDefaults.trainer and apply them here
// (applyTrainerArgs), with the one rule of the Trainer's DeepSpeed integration
// (transformers/integrations/deepspeed.py HfTrainerDeepSpeedConfig.trainer_config_process): an
// "auto" value is filled from the arguments; a number that differs is refused at start ("Please
// correct the following DeepSpeed config values that mismatch TrainingArguments values").
import type { Span } from '../spec/parse';
import { quote, type Problem } from '../validate/problem';
import { allDigits, literalSpan, type Word } from './shellWords';
import { MAX_WHOLE, problem, put, type DeepSpeedSettings, type DsValue, type TrainingDraft } from './trainingDraft';
import type { ForeignDefaults, SourceEntry, TrainerDefaults, TrainerValue } from './types';

type NumberKey = 'micro' | 'accumulation' | 'seqLen';
type BoolKey = 'checkpointing' | 'bf16' | 'fp16';

/**
 * The arguments read, by their name with `_` (HfArgumentParser also takes the `-` spelling). The
 * sequence length has several names, one per family of scripts, in this order when a line writes
 * more than one: TRL's SFTConfig `max_length` (TRL ≥ 0.16) and `max_seq_length` (before), the
 * `model_max_length` of the Alpaca / FastChat / LLaVA train.py TrainingArguments, transformers'
 * run_clm.py `block_size`, LLaMA-Factory's `cutoff_len`. (`max_source_length`, a seq2seq encoder's
 * input, is not a decoder's sequence length and is not read.)
 */
const NUMBER_ARGS: Record<string, NumberKey> = {
  per_device_train_batch_size: 'micro',
  gradient_accumulation_steps: 'accumulation',
  max_length: 'seqLen',
  max_seq_length: 'seqLen',
  model_max_length: 'seqLen',
  block_size: 'seqLen',
  cutoff_len: 'seqLen',
};
const SEQ_ORDER = ['max_length', 'max_seq_length', 'model_max_length', 'block_size', 'cutoff_len'];
const BOOL_ARGS: Record<string, BoolKey> = { gradient_checkpointing: 'checkpointing', bf16: 'bf16', fp16: 'fp16' };

/**
 * TrainingArguments' `per_device_train_batch_size` default (and TRL's configs', which extend it): the
 * micro-batch of a Trainer line that does not write the flag, unless the script sets it in code.
 */
export const TRAINER_DEFAULT_MICRO = 8;

/** HfArgumentParser's string_to_bool: these words, in any case; anything else is refused. */
const TRUE_WORDS = ['yes', 'true', 't', 'y', '1'];
const FALSE_WORDS = ['no', 'false', 'f', 'n', '0'];

/** One argument as the line writes it: the value, the flag's name as written, and the word that holds the value. */
export interface LineArg<T> {
  value: T;
  flag: string;
  /** The value's word (the flag's own word for a bare `--bf16`). */
  word: Word;
  /** The value is written in the flag's word, after `=`. */
  inFlag?: boolean;
}

export interface LineTrainerArgs {
  micro?: LineArg<number>;
  accumulation?: LineArg<number>;
  seqLen?: LineArg<number>;
  checkpointing?: LineArg<boolean>;
  bf16?: LineArg<boolean>;
  fp16?: LineArg<boolean>;
  /** Values the script's argument parser refuses: errors at the value (the run does not start). */
  problems: Problem[];
  /** Values Gantry cannot read (a variable the script does not set), for the config's assumptions. */
  unread: string[];
  /** --per_device_train_batch_size is written with a value Gantry cannot read (so the Trainer's default is not what runs). */
  microUnread?: true;
}

/** The part of a word from `from` on (the value of `--x=4`), placed exactly where it is written as is. */
function valuePart(w: Word, from: number): Word {
  const value = w.value.slice(from);
  const span: Span = literalSpan(w, from) ?? w.span;
  return { value, span, exact: w.exact && span !== w.span, quote: '' };
}

function wholeNumber(s: string): number | undefined {
  if (s.length > 10 || !allDigits(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= MAX_WHOLE ? n : undefined;
}

/** A value Gantry cannot read; argparse keeps the last of a flag written twice, so an earlier value of the same flag is dropped. */
function unread(out: LineTrainerArgs, key: NumberKey, name: string, text: string): void {
  out.unread.push(text);
  const earlier = out[key];
  if (earlier && earlier.flag.slice(2).split('-').join('_') === name) delete out[key];
  if (key === 'micro') out.microUnread = true;
}

/**
 * The Trainer arguments among `words[from…]` (the words after the training script). argparse keeps
 * the last of a flag written twice, and so does this; a value it refuses is an error at the value.
 */
export function readTrainerArgs(words: readonly Word[], from: number): LineTrainerArgs {
  const out: LineTrainerArgs = { problems: [], unread: [] };
  let seqRank = SEQ_ORDER.length;
  for (let k = from; k < words.length; k++) {
    const w = words[k];
    if (!w.value.startsWith('--') || w.unresolved) continue;
    const eq = w.value.indexOf('=');
    const flag = eq > 0 ? w.value.slice(0, eq) : w.value;
    const name = flag.slice(2).split('-').join('_');
    const numKey = NUMBER_ARGS[name];
    const boolKey = BOOL_ARGS[name];
    if (!numKey && !boolKey) continue;
    let v: Word | undefined;
    if (eq > 0) v = valuePart(w, eq + 1);
    else if (words[k + 1] && !words[k + 1].value.startsWith('--')) v = words[++k];
    if (numKey) {
      if (!v) {
        out.problems.push(problem('foreign-flag-value', 'error', w.span, `${flag} needs a value: the training script's argument parser stops ("expected one argument") and the run does not start.`));
        unread(out, numKey, name, `${flag} (no value: the run stops there)`);
        continue;
      }
      if (v.unresolved) {
        unread(out, numKey, name, `${flag} ${quote(v.value, 20)} (a variable Gantry does not know)`);
        out.problems.push(problem('foreign-unresolved', 'warning', v.span, `${flag} is ${quote(v.value, 20)}, which this script does not set: Gantry cannot read it, and the estimate assumes the config's value or its default.`));
        continue;
      }
      const n = wholeNumber(v.value);
      if (n === undefined) {
        // All digits but past what Gantry reads: a whole number, only far too large (no run comes near 10^9).
        const big = allDigits(v.value) && v.value.replace(/^0+/, '').length > 9;
        const what = big ? `is far too large (Gantry reads at most 10^9; no run comes near it)` : `is not a whole number ≥ 1: the training script's argument parser (HfArgumentParser, int) refuses it or the Trainer cannot run it`;
        out.problems.push(problem('foreign-flag-value', 'error', v.span, `${flag} ${quote(v.value, 20)} ${what}.`));
        unread(out, numKey, name, `${flag} ${quote(v.value, 20)} (${big ? 'far too large' : 'not a whole number ≥ 1: the run stops there'})`);
        continue;
      }
      if (numKey === 'seqLen') {
        const rank = SEQ_ORDER.indexOf(name);
        if (rank > seqRank) continue;
        seqRank = rank;
      }
      out[numKey] = { value: n, flag, word: v, ...(eq > 0 ? { inFlag: true } : {}) };
      continue;
    }
    // A boolean: bare (`--bf16` is True) or with a value HfArgumentParser's string_to_bool reads.
    if (v?.unresolved) {
      out.unread.push(`${flag} ${quote(v.value, 20)} (a variable Gantry does not know)`);
      continue;
    }
    const word = v ? v.value.toLowerCase() : 'true';
    const on = TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : undefined;
    if (on === undefined) {
      out.problems.push(problem('foreign-flag-value', 'error', v!.span, `${flag} ${quote(v!.value, 20)} is not a boolean: the training script's argument parser refuses it ("Truthy value expected": yes/no, true/false, t/f, y/n, 1/0).`));
      out.unread.push(`${flag} ${quote(v!.value, 20)} (not a boolean: the run stops there)`);
      continue;
    }
    out[boolKey!] = { value: on, flag, word: v ?? w, ...(eq > 0 ? { inFlag: true } : {}) };
  }
  if (out.bf16?.value && out.fp16?.value) {
    const later = out.bf16.word.span.offset > out.fp16.word.span.offset ? out.bf16 : out.fp16;
    out.problems.push(problem('foreign-flag-value', 'error', later.word.span, 'Both --bf16 and --fp16 are on: the Trainer refuses to start ("At most one of fp16 and bf16 can be True, but not both").'));
  }
  return out;
}

/** Whether the line writes any Trainer argument Gantry reads. */
export function hasTrainerArgs(a: LineTrainerArgs | undefined): boolean {
  return !!a && !!(a.micro || a.accumulation || a.seqLen || a.checkpointing || a.bf16 || a.fp16 || a.unread.length);
}

/** What a config's reader takes from the line (no places in the script: the config cannot point into it). */
export function trainerDefaults(a: LineTrainerArgs, from: string): TrainerDefaults | undefined {
  if (!hasTrainerArgs(a)) return undefined;
  const plain = <T>(x: LineArg<T> | undefined): TrainerValue<T> | undefined => (x ? { value: x.value, flag: x.flag } : undefined);
  const t: TrainerDefaults = { from };
  for (const k of ['micro', 'accumulation', 'seqLen'] as const) if (a[k]) t[k] = plain(a[k]);
  if (a.checkpointing) t.checkpointing = plain(a.checkpointing);
  if (a.bf16?.value) t.precision = { value: 'bf16', flag: a.bf16.flag };
  else if (a.fp16?.value) t.precision = { value: 'fp16', flag: a.fp16.flag };
  // Written and off (`--bf16 False`): the Trainer's own default, fp32, fills an "auto" precision.
  else if (a.bf16 || a.fp16) t.precision = { value: 'fp32', flag: (a.bf16 ?? a.fp16)!.flag };
  // Neither written on a line of Trainer arguments: TrainingArguments' bf16 and fp16 default to False,
  // which the DeepSpeed integration fills into "auto" (fill_match) — fp32.
  else t.precision = { value: 'fp32', flag: '--bf16 or --fp16', absent: true };
  if (a.unread.length) t.unread = a.unread;
  if (a.microUnread) t.microUnread = true;
  return t;
}

/** A config's value that is the line's: not written in the config (or "auto"), shown at `span`; the launcher puts it on the line. */
export function lineEntry(span: Span, v: TrainerValue<unknown>, from: string): SourceEntry {
  return { span, label: `${v.flag} on ${from}`, write: () => undefined, fromLaunch: v.flag };
}

/** "Micro-batch 4 from 'run.sh' line 12 (--per_device_train_batch_size)". */
export function fromLine(what: string, v: TrainerValue<unknown>, t: TrainerDefaults): string {
  return `${what} ${String(v.value)} from ${t.from} (${v.flag})`;
}

/**
 * A DeepSpeed value the Trainer fills from its arguments (trainer_config_process' fill_match): "auto"
 * or absent takes the line's; a number that differs is the Trainer's mismatch error, at the value,
 * with the fixes "auto" (preferred: the Trainer fills it) and the line's value, where the value is
 * this file's own.
 */
function dsMismatch(d: TrainingDraft, key: string, own: DsValue<number> | undefined, line: TrainerValue<number> | undefined, t: TrainerDefaults, json: boolean): void {
  if (!own || !line || own.value === line.value) return;
  const auto = json ? own.entry.write?.('auto') : undefined;
  const same = own.entry.write?.(line.value);
  const fixes = [...(auto ? [{ title: `Set ${key} to "auto"`, edits: [auto], preferred: true }] : []), ...(same ? [{ title: `Set ${key} to ${line.value}`, edits: [same] }] : [])];
  // The line does not write the flag: the Trainer compares with its default, unless the script sets it in code (a warning).
  const says = line.absent ? `${t.from} writes no ${line.flag}, so the Trainer compares it with its default, ${line.value}` : `${line.flag} is ${line.value} on ${t.from}`;
  d.problems.push(
    problem(
      'deepspeed-mismatch',
      line.absent ? 'warning' : 'error',
      own.entry.span,
      `${key} is ${own.value} here but ${says}: the Hugging Face Trainer refuses to start ("Please correct the following DeepSpeed config values that mismatch TrainingArguments values")${line.absent ? ', unless the script sets it in code' : ''}. ${json ? `Set it to "auto" (the Trainer fills it in) or to ${line.value}.` : `Set it to ${line.value}.`}`,
      fixes,
    ),
  );
}

/** The line's micro-batch and accumulation, or TrainingArguments' defaults (`absent`) where the line writes none. */
function lineBatch(t: TrainerDefaults): { micro?: TrainerValue<number>; accumulation: TrainerValue<number> } {
  const micro = t.micro ?? (t.microUnread ? undefined : { value: TRAINER_DEFAULT_MICRO, flag: '--per_device_train_batch_size', absent: true });
  return { micro, accumulation: t.accumulation ?? { value: 1, flag: '--gradient_accumulation_steps', absent: true } };
}

export interface TrainerApply {
  /** The DeepSpeed settings the config gives (its own JSON, or the one an accelerate config names). */
  ds?: DeepSpeedSettings;
  /** Where a key the config leaves "auto" or unsaid is shown (the "auto" value, or the config's anchor). */
  placeOf(key: string): Span;
  /** The DeepSpeed settings are this file's own JSON: a fix may write "auto" there. */
  json?: boolean;
  /** The world size the Trainer runs on, where known (for train_batch_size). */
  world?: number;
  /** The estimate is made (a model is known): put the batch, sequence length, checkpointing and precision. */
  estimate: boolean;
  /** What the config is called in a note: "a DeepSpeed config", "an accelerate config". */
  what: string;
  /** The sequence length assumed where nothing says. */
  assumedSeqLen: number;
  /**
   * How the line's --bf16 / --fp16 reach the precision: `deepspeed`, they fill bf16.enabled /
   * fp16.enabled where the JSON does not enable one itself; `accelerate` (no DeepSpeed JSON),
   * TrainingArguments sets ACCELERATE_MIXED_PRECISION from them over the config's mixed_precision.
   */
  precisionFrom: 'deepspeed' | 'accelerate';
}

/**
 * The launch line's Trainer arguments applied to a DeepSpeed or accelerate config's draft: the
 * mismatches the Trainer refuses (always), and with a model the micro-batch, accumulation,
 * sequence length, checkpointing and precision the run uses, each said with where it came from.
 * The one place these rules live.
 */
export function applyTrainerArgs(d: TrainingDraft, defaults: ForeignDefaults | undefined, o: TrainerApply): void {
  const t = defaults?.trainer;
  const ds = o.ds;
  if (t) {
    const line = lineBatch(t);
    dsMismatch(d, 'train_micro_batch_size_per_gpu', ds?.micro, line.micro, t, !!o.json);
    dsMismatch(d, 'gradient_accumulation_steps', ds?.accumulation, line.accumulation, t, !!o.json);
    // train_batch_size: the Trainer compares it with world × per-device batch × accumulation (when it is not "auto").
    if (ds?.trainBatch && o.world && line.micro && (!ds.micro || !ds.accumulation)) {
      const micro = ds.micro ? undefined : line.micro;
      const acc = ds.accumulation ? undefined : line.accumulation;
      const want = o.world * (ds.micro?.value ?? line.micro.value) * (ds.accumulation?.value ?? line.accumulation.value);
      if (want !== ds.trainBatch.value) {
        const auto = o.json ? ds.trainBatch.entry.write?.('auto') : undefined;
        const word = (v: TrainerValue<number> | undefined) => (v ? (v.absent ? `${v.value} (the Trainer's default: no ${v.flag})` : `${v.flag} ${v.value}`) : '');
        const words = [word(micro), word(acc)].filter(Boolean).join(' and ');
        const byDefault = !!(micro?.absent || acc?.absent);
        d.problems.push(
          problem(
            'deepspeed-mismatch',
            byDefault ? 'warning' : 'error',
            ds.trainBatch.entry.span,
            `train_batch_size is ${ds.trainBatch.value} here, but the Hugging Face Trainer computes ${want} (${o.world} GPUs × train_micro_batch_size_per_gpu × gradient_accumulation_steps, with ${words} on ${t.from}) and refuses to start on the mismatch${byDefault ? ', unless the script sets its arguments in code' : ''}. Set it to "auto".`,
            auto ? [{ title: 'Set train_batch_size to "auto"', edits: [auto], preferred: true }] : undefined,
          ),
        );
      }
    }
    for (const [key, on] of [
      ['bf16', t.precision?.value === 'bf16'],
      ['fp16', t.precision?.value === 'fp16'],
    ] as const) {
      const own = ds?.[key];
      // The entry writes a precision (true/false); "auto" is written over the JSON value itself.
      const auto = o.json && own ? { offset: own.entry.span.offset, length: own.entry.span.length, newText: '"auto"' } : undefined;
      const fixes = auto ? [{ title: `Set ${key}.enabled to "auto"`, edits: [auto], preferred: true }] : undefined;
      if (own && own.value === false && on) {
        d.problems.push(
          problem('deepspeed-mismatch', 'error', own.entry.span, `${key}.enabled is false here but ${t.precision!.flag} is on on ${t.from}: the Hugging Face Trainer refuses to start ("Please correct the following DeepSpeed config values that mismatch TrainingArguments values"). Set it to "auto".`, fixes),
        );
      } else if (own && own.value === true && t.precision && !on && (o.precisionFrom === 'deepspeed' || !t.precision.absent)) {
        const says = t.precision.absent ? `writes no --${key}` : t.precision.value === 'fp32' ? `turns ${t.precision.flag} off` : `has ${t.precision.flag}`;
        // No flag on the line: the Trainer's default (False) is compared, unless the script sets it in code (a warning, as for the batch sizes).
        d.problems.push(
          problem(
            'deepspeed-mismatch',
            t.precision.absent ? 'warning' : 'error',
            own.entry.span,
            `${key}.enabled is true here but ${t.from} ${says} (the Trainer's ${key} is False): the Hugging Face Trainer refuses to start ("Please correct the following DeepSpeed config values that mismatch TrainingArguments values")${t.precision.absent ? ', unless the script sets it in code' : ''}. Set it to "auto", or add --${key} to the line.`,
            fixes,
          ),
        );
      }
    }
  }
  if (!o.estimate) return;
  const micro = ds?.micro?.value ?? t?.micro?.value;
  // No readable flag: TrainingArguments' default, or 1 (assumed) when the line writes one Gantry cannot read.
  const byDefault = micro === undefined && t ? (lineBatch(t).micro?.value ?? 1) : undefined;
  put(d, ['batch', 'micro'], micro ?? byDefault ?? 1, ds?.micro?.entry ?? (t?.micro ? lineEntry(o.placeOf('train_micro_batch_size_per_gpu'), t.micro, t.from) : undefined));
  if (ds?.micro) {
    // the config's own number (a line that disagrees is the error above)
  } else if (t?.micro) d.assumptions.push(`${fromLine('Micro-batch', t.micro, t)}: ${o.what} leaves it to the training script.`);
  else if (byDefault !== undefined && byDefault > 1)
    d.assumptions.push(`Micro-batch: ${byDefault} per GPU, the Hugging Face Trainer's default per_device_train_batch_size (${o.what} leaves it to the training script, and ${t!.from} writes no --per_device_train_batch_size; a script that sets it in code runs with its own).`);
  else d.assumptions.push(`Micro-batch: assumed 1 per GPU (${o.what} does not say; the training script does${t ? `, and ${t.from} writes --per_device_train_batch_size with a value Gantry cannot read` : ''}).`);
  const acc = ds?.accumulation ?? (t?.accumulation ? { value: t.accumulation.value, entry: lineEntry(o.placeOf('gradient_accumulation_steps'), t.accumulation, t.from) } : undefined);
  if (acc) put(d, ['batch', 'gradientAccumulation'], acc.value, acc.entry);
  if (!ds?.accumulation && t?.accumulation) d.assumptions.push(`${fromLine('Gradient accumulation', t.accumulation, t)}.`);
  if (t?.seqLen) {
    put(d, ['batch', 'sequenceLength'], t.seqLen.value, lineEntry(o.placeOf('sequence length'), t.seqLen, t.from));
    d.assumptions.push(`${fromLine('Sequence length', t.seqLen, t)}: the longest a sample is cut to; the memory shown is for samples that long.`);
  } else {
    put(d, ['batch', 'sequenceLength'], o.assumedSeqLen);
    d.assumptions.push(`Sequence length: assumed ${o.assumedSeqLen} tokens (${o.what} does not say; the training script does${t ? ', and its launch line writes none of --max_length, --max_seq_length, --model_max_length, --block_size, --cutoff_len' : ''}).`);
  }
  if (t?.checkpointing?.value && d.spec.activationCheckpointing === undefined) {
    put(d, ['activationCheckpointing'], 'full', lineEntry(o.placeOf('gradient checkpointing'), t.checkpointing, t.from));
    d.assumptions.push(`Activation checkpointing: full, from ${t.from} (${t.checkpointing.flag}: the Trainer checkpoints every layer).`);
  }
  const p = t?.precision;
  if (t && p) {
    const precision = p.value === 'bf16' ? 'bf16-mixed' : p.value === 'fp16' ? 'fp16-mixed' : 'fp32';
    const dsSets = !!(ds?.bf16?.value || ds?.fp16?.value);
    const applies = o.precisionFrom === 'deepspeed' || ds ? !dsSets : p.value !== 'fp32';
    if (applies) {
      const before = d.spec.precision;
      put(d, ['precision'], precision, lineEntry(o.placeOf(p.value === 'fp16' ? 'fp16.enabled' : 'bf16.enabled'), p, t.from));
      d.assumptions.push(`Precision: ${precision}, from ${t.from} (${p.absent ? `no ${p.flag}: the Trainer's default` : `${p.flag}${p.value === 'fp32' ? ' off' : ''}`})${before !== undefined && before !== precision ? `, over this file's ${String(before)} (the Trainer's arguments win)` : ''}.`);
    }
  }
  for (const u of t?.unread ?? []) d.assumptions.push(`Not read from ${t!.from}: ${u.length > 160 ? `${u.slice(0, 160)}…` : u}.`);
}
