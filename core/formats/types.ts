// The contract between a foreign config format and the rest of Gantry. A reader (one per format:
// vllmArgs.ts, kubernetes.ts, shell.ts, torchtitan.ts, …) turns a file into the same gantry/v1
// documents a user could have written by hand — an InferenceService or TrainingJob, and a Cluster
// when the file says which GPUs it runs on — plus a source map: for each value, where it is written
// in the foreign file and how to write a new one there in the file's own syntax. Validation,
// estimation, quick fixes, lenses and the CLI then run on those documents unchanged
// (core/formats/check.ts) and their findings are put back at the foreign file's own places.
import type { Span, SpecPath } from '../spec/parse';
import type { Problem, TextEditAt } from '../validate/problem';

export type FormatId = 'vllm-args' | 'sglang-args' | 'kubernetes' | 'shell' | 'compose' | 'dockerfile' | 'skypilot' | 'torchtitan' | 'axolotl' | 'deepspeed' | 'accelerate' | 'launcher';

/** One value of the foreign file that a spec path was read from. */
export interface SourceEntry {
  /** The value as written (inside its quotes): what a problem about it underlines. */
  span: Span;
  /** How the file names it, for people: `--tensor-parallel-size`, `resources.limits["nvidia.com/gpu"]`, `[training] seq_len`. */
  label: string;
  /**
   * The edit that makes the file say `value` here, in its own syntax (the list item, the `--x=4`
   * form, the script word, the TOML value); undefined when it cannot be written safely. Absent:
   * the span is replaced by the value's plain text when that is a number, a boolean or a word.
   */
  write?(value: unknown): TextEditAt | undefined;
  /**
   * The value is not the file's but its launch line's Trainer argument (this flag, e.g.
   * `--per_device_train_batch_size`): a script that launches the file shows and rewrites it there
   * (launcher.ts); in the file itself it cannot be rewritten (the Trainer would refuse a number that
   * differs from the line's).
   */
  fromLaunch?: string;
}

/** A Hugging Face Trainer / TRL argument read from a launch line: its value and the flag as written. */
export interface TrainerValue<T> {
  value: T;
  flag: string;
  /** Not written on the line: the Trainer's own default (no --bf16 or --fp16: fp32). */
  absent?: boolean;
}

/**
 * The training script's Trainer arguments on the line that launches a config (trainerArgs.ts): what a
 * DeepSpeed JSON leaves "auto" and an accelerate YAML leaves to the script.
 */
export interface TrainerDefaults {
  /** Where the line is, for people: `'run.sh' line 12`. */
  from: string;
  /** --per_device_train_batch_size */
  micro?: TrainerValue<number>;
  /** --gradient_accumulation_steps */
  accumulation?: TrainerValue<number>;
  /** --max_length, --max_seq_length, --model_max_length, --block_size or --cutoff_len */
  seqLen?: TrainerValue<number>;
  /** --gradient_checkpointing */
  checkpointing?: TrainerValue<boolean>;
  /** --bf16 / --fp16 (fp32: written and off) */
  precision?: TrainerValue<'bf16' | 'fp16' | 'fp32'>;
  /** Arguments the line writes that Gantry could not read (a variable, a value the parser refuses), in words. */
  unread?: string[];
  /** --per_device_train_batch_size is on the line with a value Gantry cannot read: the micro-batch is unknown, not the Trainer's default. */
  microUnread?: true;
}

/** A gantry/v1 document as plain data (what the YAML reader would have produced). */
export interface PlainDoc {
  apiVersion: 'gantry/v1';
  kind: 'Cluster' | 'TrainingJob' | 'InferenceService';
  metadata: { name: string; [k: string]: unknown };
  spec: Record<string, unknown>;
}

/** One job or service found in a foreign file: a serving command, a training config. */
export interface ForeignSpec {
  format: FormatId;
  /** What it is, for people: "vllm serve in Deployment llama (container vllm)". */
  label: string;
  /** The equivalent TrainingJob or InferenceService. When `cluster` is given, spec.cluster names it. */
  job: PlainDoc;
  /** The Cluster the file's context gives (GPU product and count), when it gives one. */
  cluster?: PlainDoc;
  /** Where each of the job's values came from, keyed by the spec path joined with '.' (`spec.tensorParallel`). */
  sources: Map<string, SourceEntry>;
  /** The same for the cluster's values (`spec.nodes.gpu.count`). */
  clusterSources?: Map<string, SourceEntry>;
  /** The GPU's name where Gantry assumed it (neither the file, a gantry.context.yaml nor a setting names one): a
   *  finding that rests on it (does not fit) says so. */
  assumedGpu?: string;
  /** The same for a training config's world size (`one node of 8 GPUs`). */
  assumedWorld?: string;
  /** The command or section: where the lens, the hover and any problem without a place of its own go. */
  anchor: Span;
  /** Every assumption behind the documents (GPU, count, engine version, defaults the tool applies), for the hover. */
  assumptions: string[];
  /**
   * The edit that adds a value the file does not give (appends `--kv-cache-dtype fp8` to the
   * command, adds a TOML key); undefined when it cannot.
   */
  insert?(path: SpecPath, value: unknown): TextEditAt | undefined;
  /**
   * What the file's format calls a Gantry field it does not write (`tensorParallel` →
   * `--tensor-parallel-size`), for messages and fix titles; the fields it writes use their labels.
   */
  terms?: ReadonlyMap<string, string>;
  /** The reader's own findings (unterminated quote, unknown flag value, …), in file offsets. */
  problems: Problem[];
  /** A serving command's engine and the text from its launcher to its last word (flag completion). */
  serveCommand?: { engine: 'vllm' | 'sglang'; extent: Span };
}

/** What a reader may use besides the text. */
export interface ReadContext {
  /** The file's path or URI. */
  fileName: string;
  /** Reads a file named relative to this one (a DeepSpeed JSON an axolotl YAML names); undefined when it cannot be read. */
  readFile?(rel: string): string | undefined;
  /** Stated by the user outside the file (setting, association file): used where the file is silent. */
  defaults?: ForeignDefaults;
  /** A reader that reads a document at a time passes over documents longer than this (the check: MAX_FOREIGN_CHARS; FormatReader.oversized). */
  maxDocChars?: number;
}

export interface ForeignDefaults {
  /** A Gantry Cluster's name: the GPUs of every job and service in the file. */
  cluster?: string;
  /** A catalog GPU id, and the count per node, where the file and the association say nothing. */
  gpu?: string;
  gpusPerNode?: number;
  /** Nodes the job runs on (a launcher's --nnodes), where the file does not say; default 1. */
  nodes?: number;
  /** The model a config without one trains (a DeepSpeed JSON on its own): a catalog id or Hugging Face id. */
  model?: string;
  /** Where gpusPerNode and nodes come from, for the hover: `run.sh line 12 (torchrun --nproc_per_node 8)` (launcherLink.ts). */
  worldFrom?: string;
  /**
   * gpusPerNode is written on the launching command itself (`accelerate launch --num_processes 4`, not an
   * sbatch header): where the tool's command line wins over its config file (accelerate), it wins here too.
   */
  launchWorld?: boolean;
  /** The Hugging Face Trainer / TRL arguments on the line that launches the file (launcherLink.ts). */
  trainer?: TrainerDefaults;
  /** The engine version an estimate assumes, e.g. 0.8.5. */
  engineVersion?: string;
}

export interface FormatReader {
  id: FormatId;
  /**
   * Whether the file may hold this format's config, from its name and a cheap look at its text
   * (no parse). False for most files: a file no reader claims gets nothing from Gantry, at no cost.
   */
  claims(fileName: string, text: string): boolean;
  /** Every job or service in the file; none when, after all, it holds no such config. */
  read(text: string, ctx: ReadContext): ForeignSpec[];
  /**
   * `read` in steps, for a format whose files can be long (a rendered multi-document manifest): the
   * language server runs it a few milliseconds at a time (core/check/foreign.ts checkForeignSteps).
   */
  readSteps?(text: string, ctx: ReadContext): Generator<void, ForeignSpec[]>;
  /** The largest such file that is read (characters); default MAX_FOREIGN_CHARS. Lower for a format whose parser cannot run in steps. */
  maxChars?: number;
  /**
   * For a format read a document at a time (a rendered multi-document manifest, whose file may be far
   * past MAX_FOREIGN_CHARS): the documents `read` passes over because each is past MAX_FOREIGN_CHARS.
   */
  oversized?(text: string): Span[];
}

/** The largest file `reader` reads: its own limit, else MAX_FOREIGN_CHARS. */
export const foreignLimit = (reader: FormatReader | undefined): number => reader?.maxChars ?? MAX_FOREIGN_CHARS;

/** A token of a command line with its place in the file: `value` is the word after quote removal and expansion. */
export interface ArgToken {
  value: string;
  /** The characters of the word in the file (inside its quotes, when it is quoted as a whole). */
  span: Span;
  /** Writes a new word in place of this one, in the file's syntax; absent: replace `span` with a plain word. */
  write?(value: string): TextEditAt | undefined;
}

/**
 * The largest foreign file Gantry reads (characters). A training or serving config is a few KB (a
 * torchtitan TOML some 3, a DeepSpeed JSON 1 to 3, a Kubernetes manifest 2 to 20). In the editor
 * the YAML readers parse in steps (readSteps); the other parsers run in one step, some 20 to 40 ms
 * for the slowest 64 KB file of each format under the language server's flags, except TOML's
 * (torchtitanReader.maxChars). A 280 KB TOML of 20,000 keys was 3.4 s in which no other request
 * was answered. Larger files get one `foreign-file-too-large` notice (a Kubernetes manifest, read a
 * document at a time, is read up to MAX_FILE_BYTES and the notice goes to a document past this), and a config another file
 * names (`config:`, axolotl's `deepspeed:`, a launch line's config, a script beside a training
 * config) is not read past it. The same limit as one Gantry document (core/spec/parse.ts).
 */
export const MAX_FOREIGN_CHARS = 64 * 1024;
