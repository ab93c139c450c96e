// A vLLM or SGLang launch command, as words (from any reader: a YAML args list, a shell script, a
// Dockerfile), turned into an InferenceService spec plus a source map. Recognised launchers:
//   vllm serve MODEL …                                   (vLLM's CLI)
//   python -m vllm.entrypoints.openai.api_server --model … (and the older vllm.entrypoints.api_server)
//   python -m sglang.launch_server --model-path …        (SGLang)
// anywhere in the command (after `srun …`, `exec`, `env A=b`, `uv run`, …). Flags are read through
// the same table Gantry launches with (core/runs/engineCommand.ts ENGINE_FLAGS), in both the split
// (`--x 4`) and joined (`--x=4`) forms, with `_` or `-` in their names as vLLM's parser accepts;
// flags that do not change memory or capacity are kept, in order, in extraArgs.
import { parseVersion, VLLM_MM_DEFAULT_LIMIT, vllmSizing } from '../estimate/engineVersion';
import { sglangMemFraction } from '../estimate/serving';
import { findModel, resolveModelName } from '../catalog/models';
import { ENGINE_FLAGS, PORT_FLAG, TP_FLAG, type EngineFlag } from '../runs/engineCommand';
import type { SpecPath, Span } from '../spec/parse';
import type { InferenceServiceSpec, SpeculativeMethod } from '../spec/types';
import { quote, type Problem, type TextEditAt } from '../validate/problem';
import type { SourceEntry } from './types';
import { allDigits, literalSpan, splitAssignment, type ShellCommand, type ShellVar, type Word } from './shellWords';
import { isPlainWord } from './yamlWords';
import { editDistance } from '../spec/suggest';
import { parse as parseYaml } from 'yaml';

export type ServeEngine = 'vllm' | 'sglang';

export interface ServeCommand {
  engine: ServeEngine;
  /** For people: `vllm serve`, `vLLM api_server`, `sglang.launch_server`. */
  launcher: string;
  /** The words after the launcher: flags, their values, and `vllm serve`'s model. */
  args: Word[];
  /** The launcher's words (`vllm serve`, `python3 -m sglang.launch_server`): where the lens goes. */
  anchor: Span;
  /** For an image's own entrypoint (IMAGE_LAUNCHER): the image reference, whose tag says which entrypoint it has. */
  image?: string;
}

/** A cheap look: does the text mention a launcher at all (claims(), before any parse)? */
export function mentionsServe(text: string): boolean {
  return text.indexOf('vllm') >= 0 || text.indexOf('sglang') >= 0;
}

const basename = (s: string) => s.slice(s.lastIndexOf('/') + 1);

/**
 * Commands that name a launcher without running it (`echo Starting vllm serve`, `pkill -f vllm serve`,
 * `which vllm serve`): a launch after one of these words is text, not a launch.
 */
const NOT_LAUNCHING = new Set(['echo', 'printf', 'logger', 'pkill', 'pgrep', 'kill', 'killall', 'grep', 'egrep', 'fgrep', 'ps', 'which', 'type', 'whereis', 'man', 'cat', 'tee', 'test', '[', '[[', ':', '#']);

/** The first vLLM or SGLang launch in a command's words, or undefined. */
export function findServeCommand(words: Word[]): ServeCommand | undefined {
  if (NOT_LAUNCHING.has(basename(commandWord(words)))) return undefined;
  for (let k = 0; k < words.length; k++) {
    const w = words[k].value;
    const base = basename(w);
    if (base === 'vllm' && words[k + 1]?.value === 'serve') return make('vllm', 'vllm serve', words, k, k + 2);
    if (w === '-m' && words[k + 1]) {
      const mod = words[k + 1].value;
      const from = k > 0 && basename(words[k - 1].value).startsWith('python') ? k - 1 : k;
      if (mod === 'vllm.entrypoints.openai.api_server' || mod === 'vllm.entrypoints.api_server') return make('vllm', 'vLLM api_server', words, from, k + 2);
      if (mod === 'sglang.launch_server') return make('sglang', 'sglang.launch_server', words, from, k + 2);
    }
  }
  return undefined;
}

/** Words that run the command after them (`exec`, `env A=b`, `nohup`, …). */
const PASS_THROUGH = new Set(['exec', 'env', 'nohup', 'sudo', 'time', 'command', 'builtin']);

/** The word that names the program a command runs: past env assignments (`A=b`) and pass-through words. */
function commandWord(words: Word[]): string {
  for (const { value } of words) {
    const eq = value.indexOf('=');
    if (eq > 0 && !value.startsWith('-') && value.slice(0, eq).indexOf('/') < 0) continue;
    if (PASS_THROUGH.has(basename(value))) continue;
    return value;
  }
  return '';
}

/** The variables a command's own words set for the program it runs: `A=b vllm serve …`, `env A=b …`, `exec A=b …`. */
export function commandAssignments(words: readonly Word[]): Map<string, ShellVar> {
  const out = new Map<string, ShellVar>();
  for (const w of words) {
    const a = w.quote === '' ? splitAssignment(w) : undefined;
    if (a) out.set(a.name, a.v);
    else if (!PASS_THROUGH.has(basename(w.value))) break;
  }
  return out;
}

/** The variables a script's command sees: those the script exports (anywhere in it), then the command's own. */
export function scriptCommandEnv(vars: ReadonlyMap<string, ShellVar>, words: readonly Word[]): Map<string, ShellVar> {
  const env = new Map<string, ShellVar>();
  for (const [k, v] of vars) if (v.exported) env.set(k, v);
  for (const [k, v] of commandAssignments(words)) env.set(k, v);
  return env;
}

function make(engine: ServeEngine, launcher: string, words: Word[], from: number, to: number): ServeCommand {
  const a = words[from].span;
  const b = words[to - 1].span;
  const anchor = b.offset >= a.offset ? { offset: a.offset, length: b.offset + b.length - a.offset } : a;
  return { engine, launcher, args: words.slice(to), anchor };
}

/** The image's own entrypoint runs the API server (vllm/vllm-openai): a container's args are its flags. */
export function imageEngine(image: string | undefined): ServeEngine | undefined {
  if (!image) return undefined;
  const name = image.split('@')[0].split(':')[0];
  // Images built on it keep its name with a suffix (vllm-openai-rocm, Red Hat's vllm-openai-ubi9) and its entrypoint.
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (name.endsWith('vllm-openai') || base.startsWith('vllm-openai-')) return 'vllm';
  return undefined;
}

/**
 * The launcher of a command that is an image's own entrypoint (a container's args, `docker run IMAGE ARGS`).
 * imageServeCommand picks it by the image's tag; a reader that builds the command itself with this label and no
 * image gets the api_server's reading (no positional model), as before.
 */
export const IMAGE_LAUNCHER = 'vLLM api_server (image entrypoint)';
const IMAGE_SERVE_LAUNCHER = 'vllm serve (image entrypoint)';

/**
 * The first vLLM release whose vllm/vllm-openai image has `ENTRYPOINT ["vllm", "serve"]` (vLLM PR #25967, merged
 * October 2025, first released in 0.11.1): before it the entrypoint was `python3 -m vllm.entrypoints.openai.api_server`,
 * which takes the model only as --model.
 */
const VLLM_SERVE_ENTRYPOINT: [number, number, number] = [0, 11, 1];

/** Whether the image's entrypoint is the older api_server: only when its tag names a release before 0.11.1 (`latest`, no tag or a tag that is no version: the current `vllm serve`). */
function olderEntrypoint(image: string | undefined): string | undefined {
  const v = imageVersion(image, 'vllm');
  const parts = v ? parseVersion(v) : undefined;
  if (!parts) return undefined;
  const [a, b, c] = VLLM_SERVE_ENTRYPOINT;
  const older = parts[0] !== a ? parts[0] < a : parts[1] !== b ? parts[1] < b : parts[2] < c;
  return older ? v : undefined;
}

/** An image's own entrypoint as a launch command: `vllm serve` from vLLM 0.11.1 (and for `latest`), the api_server before. */
export function imageServeCommand(engine: ServeEngine, image: string, args: Word[], anchor: Span): ServeCommand {
  return { engine, launcher: olderEntrypoint(image) ? IMAGE_LAUNCHER : IMAGE_SERVE_LAUNCHER, args, anchor, image };
}

/** `docker run` / `podman run` options that take no value (the others take the next word unless written `--opt=value`). */
const RUN_SWITCHES = new Set(['-d', '--detach', '--rm', '-i', '--interactive', '-t', '--tty', '-it', '-ti', '-itd', '-dit', '--privileged', '--init', '-P', '--publish-all', '--read-only', '--sig-proxy', '--no-healthcheck', '-q', '--quiet', '--oom-kill-disable']);

/**
 * `docker run … IMAGE ARGS…` (or podman) with an engine's image and no --entrypoint: the image's entrypoint is the API
 * server, so ARGS are its flags (the form vLLM's docs give: `docker run --gpus all … vllm/vllm-openai:latest --model …`).
 * The image word, for the anchor and the engine version its tag names, and the variables `-e NAME=value` gives the
 * container; or undefined.
 */
export function findImageRun(words: readonly Word[]): { cmd: ServeCommand; image: Word; env: Map<string, ShellVar> } | undefined {
  const env = new Map<string, ShellVar>();
  let k = 0;
  while (k < words.length && (PASS_THROUGH.has(basename(words[k].value)) || (words[k].quote === '' && splitAssignment(words[k])))) k++;
  const tool = basename(words[k]?.value ?? '');
  if ((tool !== 'docker' && tool !== 'podman') || words[k + 1]?.value !== 'run') return undefined;
  for (let j = k + 2; j < words.length; j++) {
    const w = words[j].value;
    if (w === '--') continue;
    if (w.startsWith('-')) {
      if (w === '--entrypoint' || w.startsWith('--entrypoint=')) return undefined;
      const eq = w.indexOf('=');
      const value = w === '-e' || w === '--env' ? words[j + 1] : w.startsWith('--env=') ? { ...words[j], value: w.slice(eq + 1), exact: false } : undefined;
      const a = value ? splitAssignment(value) : undefined;
      if (a) env.set(a.name, { ...a.v, exported: true });
      if (!RUN_SWITCHES.has(w) && eq < 0) j++;
      continue;
    }
    const engine = imageEngine(w);
    if (!engine) return undefined;
    const image = words[j];
    return { cmd: imageServeCommand(engine, image.value, words.slice(j + 1), image.span), image, env };
  }
  return undefined;
}

/**
 * The engine version an image tag names (`vllm/vllm-openai:v0.19.0` → 0.19.0, `lmsysorg/sglang:v0.5.2`
 * → 0.5.2): only an image of that engine (its name says so); `python:3.11-slim` or
 * `nvcr.io/nvidia/pytorch:24.05-py3` name their own versions, not the engine's.
 */
export function imageVersion(ref: string | undefined, engine: ServeEngine): string | undefined {
  if (!ref) return undefined;
  // `name:tag@sha256:…`: the digest is not the tag.
  const image = ref.split('@')[0];
  const at = image.lastIndexOf(':');
  if (at < 0 || image.indexOf('/', at) >= 0) return undefined;
  const name = image.slice(0, at).toLowerCase();
  if (name.slice(name.lastIndexOf('/') + 1).indexOf(engine) < 0) return undefined;
  const tag = image.slice(at + 1);
  const v = tag.startsWith('v') ? tag.slice(1) : tag;
  // A release number, X.Y at least (`0.10.2-cu126`, `0.8.5.post1`); a tag that is none (`3`, `2025-05-05-v1`, `latest`)
  // is not the engine's version. Both engines are 0.x releases (1.x allowed for what comes next): a larger major is a
  // vendor's own numbering (Red Hat AI Inference Server's `vllm-cuda-rhel9:3.0.0`), not vLLM's.
  const parts = parseVersion(v);
  return parts && parts[0] <= 1 && v[0] >= '0' && v[0] <= '9' ? v : undefined;
}

/**
 * The engine version a script pins with a package install (`pip install vllm==0.19.0`, `uv pip install
 * "sglang[all]==0.5.2"`, `pip3 install -U vllm==0.10.1.1`): the last such pin among the commands, for the
 * engine a serve command runs. Words only, no pattern on the text.
 */
export function pinnedVersion(commands: readonly { words: readonly { value: string }[] }[], engine: ServeEngine): string | undefined {
  return lastPin(commands, engine)?.value;
}

/** The last pin of `engine` among the commands: its version and the word that writes it. */
function lastPin<W extends { value: string }>(commands: readonly { words: readonly W[] }[], engine: ServeEngine): { value: string; word: W } | undefined {
  let found: { value: string; word: W } | undefined;
  for (const c of commands) {
    const pip = c.words.findIndex((x) => x.value === 'pip' || x.value === 'pip3' || x.value.endsWith('/pip') || x.value.endsWith('/pip3'));
    if (pip < 0 || !c.words.slice(pip + 1).some((x) => x.value === 'install')) continue;
    for (const word of c.words.slice(pip + 1, pip + 200)) {
      const eq = word.value.indexOf('==');
      if (eq <= 0 || word.value.length > 80) continue;
      let name = word.value.slice(0, eq).toLowerCase();
      const extras = name.indexOf('[');
      if (extras > 0) name = name.slice(0, extras);
      const v = word.value.slice(eq + 2);
      if (name === engine && v.length > 0 && v[0] >= '0' && v[0] <= '9') found = { value: v, word };
    }
  }
  return found;
}

/**
 * The engine version a file names, for every reader: a `pip install vllm==X` among the commands it
 * runs (a script, a Dockerfile's RUN lines, a container's `sh -c` string), which replaces whatever
 * the image holds, else the tag of the engine's own image.
 */
export function namedEngineVersion(engine: ServeEngine, from: { image?: string; commands?: readonly { words: readonly { value: string }[] }[] }): string | undefined {
  return (from.commands ? pinnedVersion(from.commands, engine) : undefined) ?? imageVersion(from.image, engine);
}

/**
 * namedEngineVersion with where the file writes it, for the hover: the version part of the pin's word
 * (`vllm==0.19.0`) when the commands are placed in the file (`placed`), or of the image's tag when the
 * image is a word of the file. The same rule (the pin wins), one place.
 */
export function namedEngineVersionAt(engine: ServeEngine, from: { image?: Word; commands?: readonly ShellCommand[]; placed?: boolean }): { value: string; span?: Span; label: string } | undefined {
  const pin = from.commands ? lastPin(from.commands, engine) : undefined;
  if (pin) {
    const label = `the pip pin ${engine}==${pin.value}`;
    const at = from.placed ? literalSpan(pin.word, pin.word.value.length - pin.value.length) : undefined;
    return { value: pin.value, label, ...(at ? { span: at } : {}) };
  }
  const image = from.image;
  const value = imageVersion(image?.value, engine);
  if (value === undefined || !image) return undefined;
  const end = image.value.indexOf('@') >= 0 ? image.value.indexOf('@') : image.value.length;
  const span = literalSpan(image, end - value.length, end);
  return { value, label: 'the image tag', ...(span ? { span } : {}) };
}

// ---------------------------------------------------------------- flags

type Field = keyof InferenceServiceSpec;
type Kind = 'int' | 'float' | 'on' | 'off' | 'pick' | 'model' | 'lora-on' | 'lora-sharded' | 'lora-rank' | 'lora-max' | 'lora-list' | 'ep-size' | 'spec-config' | 'spec-model' | 'spec-tokens' | 'spec-algo' | 'spec-draft' | 'mm-limit' | 'nodes' | 'config';

interface ReadFlag {
  /** The name as the table writes it (for labels and new flags). */
  flag: string;
  field?: Field;
  /** The key inside an object field the flag sets (multimodal's skipProfiling): the table's `parts`. */
  sub?: string;
  kind: Kind;
  /** Engine word → spec value. */
  values?: Record<string, string>;
}

const DTYPE_WORDS: Record<string, string> = { auto: 'auto', half: 'fp16', float16: 'fp16', bfloat16: 'bf16', float: 'fp32', float32: 'fp32' };
// modelopt / modelopt_fp4: NVIDIA ModelOpt FP8 / NVFP4 checkpoints; auto-round (vLLM also calls it inc): Intel AutoRound int4.
const QUANT_WORDS: Record<string, string> = {
  none: 'none',
  fp8: 'fp8',
  awq: 'awq',
  awq_marlin: 'awq',
  gptq: 'gptq',
  gptq_marlin: 'gptq',
  bitsandbytes: 'bitsandbytes-4bit',
  modelopt: 'fp8',
  modelopt_fp4: 'nvfp4',
  mxfp4: 'mxfp4',
  'auto-round': 'int4',
  auto_round: 'int4',
  inc: 'int4',
};

/** The spec's quantization for a word of vLLM's --quantization (`awq_marlin` → awq, `bitsandbytes` → bitsandbytes-4bit), if it has one. */
export function quantizationOfVllmWord(word: string): string | undefined {
  return Object.hasOwn(QUANT_WORDS, word) ? QUANT_WORDS[word] : undefined;
}

// fp8_ds_mla: the fp8 latent layout vLLM gives a DeepSeek Sparse Attention model's fp8 cache (sparseAttention.ts), which it
// also accepts by that name; it is the spec's fp8.
const KV_WORDS: Record<string, string> = { auto: 'auto', bfloat16: 'bf16', float16: 'fp16', fp8: 'fp8', fp8_e4m3: 'fp8-e4m3', fp8_e5m2: 'fp8-e5m2', fp8_ds_mla: 'fp8' };
const FLOAT_FIELDS = new Set<Field>(['gpuMemoryUtilization', 'cpuOffloadGiB']);

/** The spec's kvCacheDtype for a word of vLLM's --kv-cache-dtype (`fp8_e4m3` → fp8-e4m3, `fp8_ds_mla` → fp8), if it has one. */
export function kvCacheDtypeOfVllmWord(word: string): string | undefined {
  return Object.hasOwn(KV_WORDS, word) ? KV_WORDS[word] : undefined;
}

/** Reverse of a pick table, with the engine's other spellings of the same values. */
function reverse(e: EngineFlag): Record<string, string> {
  const out: Record<string, string> = e.field === 'dtype' ? { ...DTYPE_WORDS } : e.field === 'quantization' ? { ...QUANT_WORDS } : e.field === 'kvCacheDtype' ? { ...KV_WORDS } : {};
  for (const [spec, word] of Object.entries(e.values ?? {})) if (word !== undefined && !(word in out)) out[word] = spec;
  return out;
}

/** The long flags the reader takes for an engine, each with the spec field it sets (none for the model and LoRA flags) and, for a pick, its words. */
export function readFlags(engine: ServeEngine): { flag: string; field?: string; values?: string[] }[] {
  const out = new Map<string, { flag: string; field?: string; values?: string[] }>();
  for (const f of TABLES[engine].values()) {
    if (!f.flag.startsWith('--') || out.has(f.flag)) continue;
    const values = f.values ? Object.keys(f.values) : undefined;
    const field = f.field && f.sub ? `${f.field}.${f.sub}` : f.field;
    out.set(f.flag, { flag: f.flag, ...(field ? { field } : {}), ...(values?.length ? { values } : {}) });
  }
  return [...out.values()];
}

function table(engine: ServeEngine): Map<string, ReadFlag> {
  const t = new Map<string, ReadFlag>();
  const put = (names: string[], f: ReadFlag) => {
    for (const n of names) t.set(n, f);
  };
  for (const e of ENGINE_FLAGS[engine]) {
    if (!e.flag) continue;
    if (e.kind === 'num') put([e.flag], { flag: e.flag, field: e.field, kind: FLOAT_FIELDS.has(e.field) ? 'float' : 'int' });
    else if (e.kind === 'on') put([e.flag], { flag: e.flag, field: e.field, kind: 'on' });
    else if (e.kind === 'pick') put([e.flag], { flag: e.flag, field: e.field, kind: 'pick', values: reverse(e) });
  }
  // Fields inside an object field, each a flag of its own (vLLM's multimodal options).
  for (const e of ENGINE_FLAGS[engine]) for (const p of e.parts ?? []) put([p.flag], { flag: p.flag, field: e.field, sub: p.key, kind: p.kind === 'on' ? 'on' : 'mm-limit' });
  put([TP_FLAG[engine]], { flag: TP_FLAG[engine], field: 'tensorParallel', kind: 'int' });
  put([PORT_FLAG[engine]], { flag: PORT_FLAG[engine], field: 'port', kind: 'int' });
  if (engine === 'vllm') {
    put(['-tp'], t.get('--tensor-parallel-size')!);
    put(['-pp'], t.get('--pipeline-parallel-size')!);
    put(['-dp'], t.get('--data-parallel-size')!);
    put(['-q'], t.get('--quantization')!);
    put(['--model'], { flag: '--model', kind: 'model' });
    put(['--enable-prefix-caching'], { flag: '--enable-prefix-caching', field: 'enablePrefixCaching', kind: 'on' });
    put(['--no-enable-prefix-caching'], { flag: '--no-enable-prefix-caching', field: 'enablePrefixCaching', kind: 'off' });
    put(['--enable-lora'], { flag: '--enable-lora', kind: 'lora-on' });
    put(['--max-lora-rank'], { flag: '--max-lora-rank', kind: 'lora-rank' });
    put(['--max-loras'], { flag: '--max-loras', kind: 'lora-max' });
    put(['--lora-modules'], { flag: '--lora-modules', kind: 'lora-list' });
    put(['--fully-sharded-loras'], { flag: '--fully-sharded-loras', kind: 'lora-sharded' });
    put(['--speculative-config'], { flag: '--speculative-config', kind: 'spec-config' });
    put(['--speculative-model'], { flag: '--speculative-model', kind: 'spec-model' });
    put(['--num-speculative-tokens'], { flag: '--num-speculative-tokens', kind: 'spec-tokens' });
    // vLLM's boolean options are argparse BooleanOptionalAction: each has its --no- form.
    put(['--no-skip-mm-profiling'], { flag: '--no-skip-mm-profiling', field: 'multimodal', sub: 'skipProfiling', kind: 'off' });
    put(['--no-language-model-only'], { flag: '--no-language-model-only', field: 'multimodal', sub: 'languageModelOnly', kind: 'off' });
    // Multi-node serving without Ray (vLLM PR #23691, `vllm serve … --nnodes N --node-rank R --master-addr …`): arg_utils' `--nnodes`, `-n`.
    put(['--nnodes', '-n'], { flag: '--nnodes', kind: 'nodes' });
  } else {
    // server_args.py declares the long names as aliases of the short ones (`tp_size: … aliases=["--tensor-parallel-size"]`,
    // and the same for pp, dp; `--expert-parallel-size`, `--ep-size`); `--tp` is argparse's unique prefix of `--tp-size`.
    put(['--tp', '--tensor-parallel-size'], t.get('--tp-size')!);
    put(['--dp', '--data-parallel-size'], t.get('--dp-size')!);
    put(['--pp', '--pipeline-parallel-size'], t.get('--pp-size')!);
    put(['--model-path', '--model'], { flag: '--model-path', kind: 'model' });
    put(['--ep-size', '--ep', '--expert-parallel-size'], { flag: '--ep-size', field: 'expertParallel', kind: 'ep-size' });
    put(['--nnodes'], { flag: '--nnodes', kind: 'nodes' });
    put(['--enable-ep-moe'], { flag: '--enable-ep-moe', field: 'expertParallel', kind: 'on' });
    put(['--disable-radix-cache'], { flag: '--disable-radix-cache', field: 'enablePrefixCaching', kind: 'off' });
    put(['--max-lora-rank'], { flag: '--max-lora-rank', kind: 'lora-rank' });
    put(['--max-loras-per-batch'], { flag: '--max-loras-per-batch', kind: 'lora-max' });
    put(['--lora-paths'], { flag: '--lora-paths', kind: 'lora-list' });
    put(['--speculative-algorithm', '--speculative-algo'], { flag: '--speculative-algorithm', kind: 'spec-algo' });
    put(['--speculative-num-steps'], { flag: '--speculative-num-steps', kind: 'spec-tokens' });
    put(['--speculative-draft-model-path', '--speculative-draft-model'], { flag: '--speculative-draft-model-path', kind: 'spec-draft' });
  }
  // A YAML file of the server's arguments (vLLM's documented `vllm serve --config config.yaml`, SGLang's `--config`), the model among them.
  put(['--config'], { flag: '--config', kind: 'config' });
  return t;
}

const TABLES: Record<ServeEngine, Map<string, ReadFlag>> = { vllm: table('vllm'), sglang: table('sglang') };

/** `auto` (any case) or `-1`, as vLLM's human_readable_int_or_auto reads them for --max-model-len (after strip()). */
export function isAutoLength(s: string): boolean {
  if (s.length > 12) return false;
  const t = s.trim();
  return t === '-1' || t.toLowerCase() === 'auto';
}

/** A number as engines parse it: digits with an optional fraction; vLLM's integers also take k/m/g (×1000) and K/M/G (×1024). */
export function parseNumber(s: string, int: boolean): number | undefined {
  const v = numberSyntax(s, int);
  return v !== undefined && Number.isFinite(v) && (!int || Number.isInteger(v)) ? v : undefined;
}

/**
 * Whether Python's float() takes `s` and makes it infinite or NaN (`1e309`, `inf`, `-Infinity`, `nan`):
 * argparse accepts such a value, and the server refuses it only when it checks the setting.
 */
function pythonNonFinite(s: string): boolean {
  const t = (s[0] === '+' || s[0] === '-' ? s.slice(1) : s).toLowerCase();
  if (t === 'inf' || t === 'infinity' || t === 'nan') return true;
  const v = numberSyntax(t, false);
  return v !== undefined && !Number.isFinite(v);
}

/** `s` read as parseNumber reads it, without the finite and whole-number checks; undefined when it is not written as a number. */
function numberSyntax(signed: string, int: boolean): number | undefined {
  if (!signed.length || signed.length > 32) return undefined;
  // A sign, as Python's int() and float() take it (argparse passes `-2` to them: no flag looks like a number).
  const sign = signed[0] === '-' ? -1 : 1;
  const s = signed[0] === '-' || signed[0] === '+' ? signed.slice(1) : signed;
  if (!s.length) return undefined;
  let mult = 1;
  let body = s;
  if (int) {
    const last = s[s.length - 1];
    const dec: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
    if (dec[last]) {
      mult = dec[last];
      body = s.slice(0, -1);
    }
  }
  // A float as Python's float() takes it also carries an exponent (0.9e0, 1e-1).
  let exp = '';
  if (!int) {
    const e = Math.max(body.indexOf('e'), body.indexOf('E'));
    if (e > 0) {
      exp = body.slice(e + 1);
      body = body.slice(0, e);
      const digits = exp[0] === '+' || exp[0] === '-' ? exp.slice(1) : exp;
      if (!digits.length || [...digits].some((c) => c < '0' || c > '9')) return undefined;
    }
  }
  let dots = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '.') dots++;
    else if (c < '0' || c > '9') return undefined;
  }
  if (!body.length || dots > 1 || body === '.') return undefined;
  return sign * Number(exp ? `${body}e${exp}` : body) * mult;
}

// ---------------------------------------------------------------- reading

/** How the words of this command are written and extended in the file. */
export interface ArgsIo {
  /** Appends new words at the end of the command (new list items; ` --x 4` in a script). */
  append?(words: string[]): TextEditAt | undefined;
  /** Reads a file named relative to the one being read (ReadContext.readFile), for `--config FILE`; undefined when it cannot be read. */
  readFile?(rel: string): string | undefined;
}

export interface ServeRead {
  spec: Partial<InferenceServiceSpec> & { engine: ServeEngine };
  sources: Map<string, SourceEntry>;
  problems: Problem[];
  assumptions: string[];
  /** The model as written (repo id or path), and whether the catalog knows it. */
  model?: { word: Word; name: string; known: boolean };
  /** `--nnodes N`: the nodes (pods) one replica spans; no value where the file does not set it (`$(LWS_GROUP_SIZE)`). */
  nodes?: { value?: number; word: Word; label: string };
  /** Spec fields whose flag the command writes with a value the file does not set (`--tensor-parallel-size $TP`): the engine's default stands in. */
  unresolved?: { field: string; word: Word; label: string }[];
  insert(path: SpecPath, value: unknown): TextEditAt | undefined;
}

/** The catalog model an engine's model argument names (HF repo id, a local path ending in one), or undefined. One call, so a richer lookup can replace it. */
export function catalogModelFor(name: string): { id: string; repo: string | undefined } | undefined {
  const m = findModel(name);
  if (m) return { id: m.id, repo: m.aliases.find((a) => a.indexOf('/') > 0) };
  // A derivative of a catalog model (an -FP8-dynamic, -quantized.w4a16, -AWQ repo): the name itself
  // is the preset, so the estimator (resolveModelName) picks the base and the weight format.
  const d = resolveModelName(name);
  return d ? { id: name, repo: name } : undefined;
}

/** The plain edit of a word: in place when it is written exactly, at its variable's value when it is one, else none. */
export function wordEdit(w: Word, value: string): TextEditAt | undefined {
  if (w.write) return w.write(value);
  if (!isPlainWord(value)) return undefined;
  if (w.exact) return { offset: w.span.offset, length: w.span.length, newText: value };
  if (w.origin?.exact) return { offset: w.origin.span.offset, length: w.origin.span.length, newText: value };
  return undefined;
}

/** A flag's value inside its `--x=4` word, as a word of its own. */
function joinedValue(w: Word, eq: number): Word {
  const value = w.value.slice(eq + 1);
  // Written as it is, or as one quoted stretch (`--x="4"`, `--x='4'`): the value's own characters.
  const placed = literalSpan(w, eq + 1);
  if (placed) return { value, span: placed, exact: true, quote: '' };
  // `--x=$(NAME)` / `--x=$NAME`: the value is the variable's, written where the variable is set.
  const origin = w.origin && w.value.length > eq ? w.origin : undefined;
  return { value, span: w.span, exact: false, quote: '', unresolved: w.unresolved, ...(origin ? { origin } : {}) };
}

/**
 * An unknown flag that is a slip of one Gantry reads (`--tensor-paralel-size`, `--max-modle-len`):
 * the engine's argparse stops on it ("unrecognized arguments"), and the value the user meant is
 * silently not what the estimate uses. Only names of 10 letters or more within 2 edits of a known
 * one (or a known one with up to 3 letters added) count (a real flag of the engine that Gantry does not read is left alone; short names like
 * SGLang's --tp-size and --dp-size are one letter apart and both real). A flag and its value in one
 * word (`"--max-model-len 8192"` as one list item) is said as such.
 */
function unknownFlagProblem(w: Word, rawName: string, eq: number, table: Map<string, ReadFlag>, engineName: string): Problem | undefined {
  if (eq < 0 && (rawName.indexOf(' ') > 0 || rawName.indexOf('\t') > 0)) {
    return problem('foreign-flag-value', 'error', w.span, `${quote(rawName, 40)} is one word with a space in it: ${engineName} does not split it into a flag and its value and refuses the command. Write them as two words (two list items).`);
  }
  if (!rawName.startsWith('--') || rawName.length > 80) return undefined;
  const bare = (n: string) => n.slice(2).split('_').join('').split('-').join('').toLowerCase();
  const b = bare(rawName);
  if (b.length < 10) return undefined;
  let best: string | undefined;
  let bestD = 3;
  for (const known of table.keys()) {
    if (!known.startsWith('--')) continue;
    const k = bare(known);
    if (k === b) return undefined; // the same flag spelled with other separators
    if (k.length < 10) continue;
    // A known flag with up to 3 letters more (`--max-model-length`) is a slip too.
    const d = b.startsWith(k) && b.length - k.length <= 3 ? Math.min(2, b.length - k.length) : editDistance(b, k, 2);
    if (d < bestD) (bestD = d), (best = known);
  }
  if (!best) return undefined;
  // The name alone when it is written as it is (`--max-model-length="8192"` keeps its quoted value).
  const nameAt = literalSpan(w, 0, rawName.length);
  const edit = nameAt ? { ...nameAt, newText: best } : wordEdit(w, eq > 0 ? `${best}${w.value.slice(eq)}` : best);
  return {
    ...problem('foreign-unknown-flag', 'warning', nameAt ?? w.span, `${quote(rawName, 60)} is not a flag of ${engineName} that Gantry knows; did you mean ${best}? ${engineName} refuses arguments it does not know ("unrecognized arguments"), and the estimate leaves this one out.`),
    ...(edit ? { fixes: [{ title: `Change to ${best}`, edits: [edit], preferred: true }] } : {}),
  };
}

/**
 * A word after a flag that argparse takes for another option rather than the flag's value: it starts
 * with `-` and is not a negative number (`--max-model-len --port 8000` leaves --max-model-len without one).
 */
function looksLikeOption(s: string): boolean {
  if (!s.startsWith('-') || s.length < 2) return false;
  const c = s[1];
  return !((c >= '0' && c <= '9') || c === '.');
}

/**
 * A value argparse's `type=int` / `type=float` (vLLM's human_readable_int) cannot convert: "argument
 * --port: invalid int value", and the server exits, so an error at the value.
 */
function notANumber(rawName: string, val: Word, what: string, engineName: string): Problem {
  // A shell expansion the reader does not evaluate (`${A:-${B}}`, `$(( … ))`): its value is known when the script runs.
  if (val.unresolved || val.value.includes('$')) return problem('foreign-unresolved', 'warning', val.span, `${rawName} ${quote(val.value)} is computed when the script runs (a shell expansion Gantry does not evaluate); ${engineName}'s default is assumed for it.`);
  // All digits, only too many of them for any length or count a server takes: said as such (it is a whole number).
  if (val.value.length > 32 && allDigits(val.value)) {
    return problem('foreign-flag-value', 'error', val.span, `${rawName} ${quote(val.value)} is far too large (${val.value.length} digits): no ${engineName} server starts with it, and Gantry does not read it.`);
  }
  if (what === 'a number' && pythonNonFinite(val.value)) {
    const nan = val.value.toLowerCase().endsWith('nan');
    return problem('foreign-flag-value', 'error', val.span, `${rawName} ${quote(val.value)} is ${nan ? 'NaN' : 'infinite'} as Python's float() reads it: the argument parser takes it, but ${engineName} refuses the setting when it checks it, and the server does not start.`);
  }
  const p = problem('foreign-flag-value', 'error', val.span, `${rawName} ${quote(val.value)} is not ${what}; ${engineName}'s argument parser refuses it ("invalid … value") and the server does not start.`);
  // `--max-model-len="8192"` as a list item (Kubernetes, compose, exec-form CMD): no shell removes the quotes.
  const q = val.value[0];
  const inner = val.value.slice(1, -1);
  if (val.value.length < 3 || (q !== '"' && q !== "'") || val.value[val.value.length - 1] !== q || parseNumber(inner, what === 'a whole number') === undefined) return p;
  const edit = wordEdit(val, inner);
  return {
    ...p,
    message: `${rawName} ${quote(val.value)} is not ${what}: the quotes are part of the value ${engineName} receives (no shell removes them from a list item), and its argument parser refuses it ("invalid … value"); the server does not start.`,
    ...(edit ? { fixes: [{ title: `Write ${inner} without quotes`, edits: [edit], preferred: true }] } : {}),
  };
}

function problem(code: string, severity: Problem['severity'], at: Span, message: string): Problem {
  return { code, severity, message, offset: at.offset, length: at.length };
}

/** The speculative-decoding method Gantry models for an engine's word, or undefined (another method). */
function speculativeMethod(word: string): SpeculativeMethod | undefined {
  const w = word.toLowerCase();
  // vLLM spells MTP per model family (deepseek_mtp, qwen3_next_mtp, …) and normalises them to mtp; SGLang calls it NEXTN.
  if (w === 'mtp' || w.endsWith('_mtp') || w === 'nextn') return 'mtp';
  if (w === 'eagle' || w === 'eagle3' || w === 'ngram') return w;
  return undefined;
}

/** vLLM infers the method from the draft model's name when the config names none (eagle3 / eagle heads, else a draft model). */
function methodFromDraftName(name: string): SpeculativeMethod | undefined {
  const n = name.toLowerCase();
  if (n === '[ngram]') return 'ngram';
  if (n.indexOf('eagle3') >= 0) return 'eagle3';
  if (n.indexOf('eagle') >= 0) return 'eagle';
  return undefined;
}

type MmLimits = NonNullable<NonNullable<InferenceServiceSpec['multimodal']>['limitPerPrompt']>;
const MODALITIES = new Set(['image', 'video', 'audio']);
/** vLLM's default count per modality, and the schema's largest limit. */
const MAX_MM_LIMIT = VLLM_MM_DEFAULT_LIMIT;

/**
 * vLLM's --limit-mm-per-prompt value, as its MultiModalConfig takes it: a JSON object of modality →
 * count or → options with a `count` ({"image": 2, "video": {"count": 1, "num_frames": 32}}; options
 * without one count 999, vLLM's default), or the older `image=2,video=1`. The counts of the modalities
 * Gantry models, the other keys, whether it was the older form; or why it is not read (`sure`: vLLM
 * refuses it too). Character scans and JSON.parse only, no pattern on the text.
 */
export function readMmLimits(value: string): { limits: MmLimits; other: string[]; legacy: boolean; capped: boolean; sized?: string[] } | { error: string; sure: boolean } {
  const limits: Record<string, number> = {};
  const other: string[] = [];
  let capped = false;
  // Modalities given dummy-size options (width, height, num_frames): vLLM profiles a smaller item; Gantry takes the largest.
  const sized: string[] = [];
  const put = (key: string, n: number) => {
    // Above vLLM's own default (999 per modality) is no limit: read as 999, which the schema allows.
    if (n > MAX_MM_LIMIT) capped = true;
    if (MODALITIES.has(key)) limits[key] = Math.min(n, MAX_MM_LIMIT);
    else if (!other.includes(key.slice(0, 40))) other.push(key.slice(0, 40));
  };
  const bad = 'is not a JSON object of counts per modality (e.g. \'{"image": 2, "video": 0}\'); vLLM refuses it and the server does not start.';
  const t = value.trim();
  if (t[0] === '{' || t[0] === '[') {
    if (t.length > 4000) return { error: "is longer than Gantry reads (4,000 characters): the estimate assumes vLLM's default limits.", sure: false };
    let cfg: unknown;
    try {
      cfg = JSON.parse(t);
    } catch {
      return { error: bad, sure: true };
    }
    if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) return { error: bad, sure: true };
    for (const [key, v] of Object.entries(cfg as Record<string, unknown>)) {
      const options = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
      const count = options ? (options.count ?? MAX_MM_LIMIT) : v;
      if (options && MODALITIES.has(key) && (options.width !== undefined || options.height !== undefined || options.num_frames !== undefined || options.length !== undefined)) sized.push(key);
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return { error: `gives ${quote(key, 24)} ${quote(JSON.stringify(count) ?? String(count), 24)}, not a count (a whole number, 0 or more); vLLM refuses it and the server does not start.`, sure: true };
      put(key, count);
    }
    return { limits, other, legacy: false, capped, ...(sized.length ? { sized } : {}) };
  }
  // The older form: modality=count pairs, comma-separated.
  if (!t.length || t.length > 400) return { error: bad, sure: true };
  for (const pair of t.split(',')) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    const n = eq > 0 ? pair.slice(eq + 1).trim() : '';
    if (!key.length || !allDigits(n) || n.length > 9) return { error: 'is neither a JSON object of counts per modality (e.g. \'{"image": 2, "video": 0}\') nor modality=count pairs (image=2,video=1); vLLM refuses it and the server does not start.', sure: true };
    put(key, Number(n));
  }
  return { limits, other, legacy: true, capped };
}

/** The --limit-mm-per-prompt word for a limits object: JSON, or the older pairs where the file wrote those. */
function limitsWord(v: unknown, legacy: boolean): string | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const entries = Object.entries(v as Record<string, unknown>);
  if (!entries.length || entries.some(([k, n]) => !MODALITIES.has(k) || typeof n !== 'number' || !Number.isInteger(n) || n < 0)) return undefined;
  return legacy ? entries.map(([k, n]) => `${k}=${n}`).join(',') : JSON.stringify(v);
}

/** Reads the flags of a launch command into spec fields with their sources; never throws. */
export function readServeArgs(cmd: ServeCommand, io: ArgsIo = {}): ServeRead {
  const engine = cmd.engine;
  const t = TABLES[engine];
  const spec: ServeRead['spec'] = { engine };
  const sources = new Map<string, SourceEntry>();
  const problems: Problem[] = [];
  const assumptions: string[] = [];
  const extra: string[] = [];
  const lora: NonNullable<InferenceServiceSpec['lora']> = {};
  let loraOn = false;
  let modelWord: Word | undefined;
  // Speculative decoding, from one JSON flag (vLLM) or several (vLLM's older flags, SGLang's).
  const sd: { method?: SpeculativeMethod; other?: string; tokens?: number; draftModel?: string; at?: Word } = {};
  const engineName = engine === 'vllm' ? 'vLLM' : 'SGLang';
  // The flags the command writes, under any of their names (aliases share one ReadFlag): a fix edits those in place, never appends a second.
  const written = new Set<ReadFlag>();
  let nodes: ServeRead['nodes'];
  const unresolved: NonNullable<ServeRead['unresolved']> = [];
  // `--config FILE`: its arguments come first, so the command's own flags win, as the engines merge them.
  const config = configArgs(cmd.args, io.readFile, engineName);
  if (config.problem) problems.push(config.problem);
  if (config.note) assumptions.push(config.note);
  const args = [...config.words, ...cmd.args];
  const first = config.words.length;
  if (config.model) modelWord = config.model;

  const source = (path: string, w: Word, label: string, write?: (v: unknown) => TextEditAt | undefined) => sources.set(path, { span: w.span, label, write });
  // A key inside an object field (multimodal.skipProfiling), set by its own flag; the field's first such word is where the field is.
  let partsAt: Word | undefined;
  const setPart = (field: Field, key: string, value: unknown, w: Word, label: string, write?: (v: unknown) => TextEditAt | undefined) => {
    const cur = spec[field];
    spec[field] = { ...(cur && typeof cur === 'object' ? cur : {}), [key]: value } as never;
    source(`spec.${field}.${key}`, w, label, write);
    partsAt ??= w;
  };
  const writerFor = (f: ReadFlag, w: Word) => (v: unknown) => {
    const word = engineWord(f, v);
    return word === undefined ? undefined : wordEdit(w, word);
  };

  for (let k = 0; k < args.length; k++) {
    const w = args[k];
    const s = w.value;
    if (!s.startsWith('-') || s === '-' || s === '--') {
      // The image's entrypoint as imageServeCommand made it: `vllm serve` takes the model first; the older api_server none.
      const positional = k === first && engine === 'vllm' && (cmd.launcher === 'vllm serve' || cmd.launcher === IMAGE_SERVE_LAUNCHER || (cmd.launcher === IMAGE_LAUNCHER && cmd.image !== undefined));
      if (positional && cmd.launcher === IMAGE_LAUNCHER) {
        // The image's entrypoint before 0.11.1 is the api_server, which has no positional argument.
        const edit = wordEdit(w, `--model=${s}`);
        problems.push({
          ...problem(
            'foreign-flag-value',
            'error',
            w.span,
            `vLLM ${olderEntrypoint(cmd.image)}'s image runs python3 -m vllm.entrypoints.openai.api_server, which takes the model only as --model: its argument parser refuses ${quote(s, 60)} ("unrecognized arguments") and the server does not start. Write --model ${quote(s, 60)} (from vLLM 0.11.1 the image runs vllm serve, which takes the model first, as written here).`,
          ),
          ...(edit ? { fixes: [{ title: `Write --model=${s.slice(0, 60)}`, edits: [edit], preferred: true }] } : {}),
        });
        modelWord ??= w;
      } else if (positional) modelWord = w;
      else extra.push(s);
      continue;
    }
    const eq = s.indexOf('=');
    const rawName = eq > 0 ? s.slice(0, eq) : s;
    const name = rawName.startsWith('--') ? `--${rawName.slice(2).split('_').join('-')}` : rawName;
    let f = t.get(name);
    if (!f) {
      // argparse takes an unambiguous prefix of a long option (allow_abbrev, its default: neither vLLM's
      // FlexibleArgumentParser nor SGLang's parser turns it off): `--max-num-seq` is --max-num-seqs.
      const full = uniquePrefix(name, t);
      if (full) {
        f = t.get(full)!;
        assumptions.push(`${quote(rawName, 60)} read as ${full}: ${engineName}'s argument parser takes a flag's unambiguous prefix (argparse's allow_abbrev), assuming no other ${engineName} flag starts with it.`);
      }
    }
    if (f) written.add(f);
    if (!f) {
      const slip = unknownFlagProblem(w, rawName, eq, t, engineName);
      if (slip) problems.push(slip);
      extra.push(s);
      // An unknown flag's value, when it has one written apart, stays with it.
      if (eq < 0 && args[k + 1] && !args[k + 1].value.startsWith('-') && !(k === first && cmd.launcher === 'vllm serve')) extra.push(args[++k].value);
      continue;
    }
    // --fully-sharded-loras: a LoRA setting, which counts only beside --enable-lora (spec.lora is set where that is).
    if (f.kind === 'lora-sharded') {
      lora.fullyShardedLoras = true;
      source('spec.lora.fullyShardedLoras', w, f.flag);
      continue;
    }
    if (f.kind === 'on' || f.kind === 'off' || f.kind === 'lora-on') {
      if (f.kind === 'lora-on') loraOn = true;
      else if (f.field && f.sub) {
        // BooleanOptionalAction takes no value: argparse stops on `--skip-mm-profiling=true` ("ignored explicit argument").
        if (eq > 0)
          problems.push(
            problem(
              'foreign-flag-value',
              'error',
              joinedValue(w, eq).span,
              `${rawName} is a switch and takes no value (${quote(s.slice(eq + 1))}); ${engineName}'s argument parser refuses it ("ignored explicit argument") and the server does not start. Write ${rawName} alone${f.kind === 'on' ? `, or --no-${rawName.slice(2)} for false` : ''}.`,
            ),
          );
        else setPart(f.field, f.sub, f.kind === 'on', w, f.flag);
      } else if (f.field) {
        spec[f.field] = (f.kind === 'on') as never;
        source(`spec.${f.field}`, w, f.flag);
      }
      continue;
    }
    let val: Word | undefined;
    if (eq > 0) val = joinedValue(w, eq);
    else if (args[k + 1] && !looksLikeOption(args[k + 1].value)) val = args[++k];
    if (!val) {
      // argparse: "argument --max-model-len: expected one argument", and the server exits.
      problems.push(problem('foreign-flag-value', 'error', w.span, `${rawName} needs a value and has none; ${engineName}'s argument parser exits with "expected one argument", so the server does not start.`));
      continue;
    }
    if (f.kind === 'nodes') {
      extra.push(s);
      if (eq < 0) extra.push(val.value);
      // Read at run time in a multi-pod group (`--nnodes $(LWS_GROUP_SIZE)`): the group says how many; no warning.
      if (val.unresolved || val.value.includes('$')) nodes = { word: val, label: rawName };
      else {
        const v = parseNumber(val.value, true);
        if (v === undefined) problems.push(notANumber(rawName, val, 'a whole number', engineName));
        else if (v >= 1) nodes = { value: v, word: val, label: rawName };
      }
      continue;
    }
    if (f.kind === 'config') {
      extra.push(s);
      if (eq < 0) extra.push(val.value);
      continue;
    }
    if (val.unresolved && f.kind !== 'model') {
      if (f.field) unresolved.push({ field: f.field, word: val, label: rawName });
      problems.push(problem('foreign-unresolved', 'warning', val.span, `${rawName} is ${quote(val.unresolved)}, which this file does not set: the estimate assumes ${engineName}'s default.`));
      continue;
    }
    switch (f.kind) {
      case 'model':
        modelWord = val;
        break;
      case 'int':
      case 'float': {
        // vLLM's --max-model-len also takes auto (any case) and -1 (human_readable_int_or_auto, PR #29431): the
        // longest length the KV cache holds. Which releases accept it is the max-model-len rule's to say.
        if (engine === 'vllm' && f.field === 'maxModelLen' && isAutoLength(val.value)) {
          spec.maxModelLen = 'auto';
          source('spec.maxModelLen', val, rawName, writerFor(f, val));
          break;
        }
        const v = parseNumber(val.value, f.kind === 'int');
        if (v === undefined || !f.field) {
          problems.push(notANumber(rawName, val, f.kind === 'int' ? 'a whole number' : 'a number', engineName));
          if (f.field && val.value.includes('$')) unresolved.push({ field: f.field, word: val, label: rawName });
          break;
        }
        spec[f.field] = v as never;
        source(`spec.${f.field}`, val, rawName, writerFor(f, val));
        break;
      }
      case 'pick': {
        const v = f.values?.[val.value];
        if (v === undefined && f.field === 'dtype') {
          // --dtype is an argparse choice, and DTYPE_WORDS holds every one (vLLM's ModelDType, SGLang's --dtype choices).
          problems.push(problem('foreign-flag-value', 'error', val.span, `${rawName} ${quote(val.value)} is not one of ${engineName}'s choices (${Object.keys(DTYPE_WORDS).join(', ')}); its argument parser refuses it ("invalid choice") and the server does not start.`));
          break;
        }
        if (v === undefined || !f.field) {
          problems.push(problem('foreign-flag-value', 'warning', val.span, `${rawName} ${quote(val.value)} is not a value Gantry models (${Object.keys(f.values ?? {}).join(', ')}): the estimate assumes ${f.field === 'quantization' ? 'unquantized weights' : 'the default'}.`));
          extra.push(rawName, val.value);
          break;
        }
        spec[f.field] = v as never;
        source(`spec.${f.field}`, val, rawName, writerFor(f, val));
        if (f.field === 'quantization' && v === 'bitsandbytes-4bit') assumptions.push(`${rawName} bitsandbytes: 4-bit NF4 weights assumed (the in-flight default).`);
        break;
      }
      case 'spec-config': {
        sd.at = val;
        let cfg: unknown;
        try {
          cfg = val.value.length <= 4000 ? JSON.parse(val.value) : undefined;
        } catch {
          cfg = undefined;
        }
        if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) {
          // vLLM parses the flag with json.loads (argparse) into its SpeculativeConfig: anything else stops the server.
          // A value too long for Gantry to parse is not known to be wrong: a warning.
          const read = val.value.length <= 4000;
          problems.push(problem('foreign-flag-value', read ? 'error' : 'warning', val.span, `${rawName} ${quote(val.value)} is not a JSON object${read ? `; ${engineName} refuses it and the server does not start.` : ' Gantry reads (longer than 4,000 characters): the estimate leaves speculative decoding out.'}`));
          break;
        }
        const c = cfg as Record<string, unknown>;
        const draft = typeof c.model === 'string' && c.model.length <= 500 ? c.model : undefined;
        if (draft) sd.draftModel = draft;
        if (typeof c.num_speculative_tokens === 'number' && Number.isInteger(c.num_speculative_tokens) && c.num_speculative_tokens > 0) sd.tokens = c.num_speculative_tokens;
        const word = typeof c.method === 'string' ? c.method.slice(0, 40) : undefined;
        sd.method = word ? speculativeMethod(word) : draft ? methodFromDraftName(draft) : undefined;
        if (!sd.method) sd.other = word ?? (draft ? 'a draft model' : 'none named');
        break;
      }
      case 'mm-limit': {
        if (!f.field || !f.sub) break;
        const r = readMmLimits(val.value);
        if ('error' in r) {
          problems.push(problem('foreign-flag-value', r.sure ? 'error' : 'warning', val.span, `${rawName} ${quote(val.value)} ${r.error}`));
          break;
        }
        if (r.other.length) {
          const named =
            r.other
              .slice(0, 3)
              .map((x) => quote(x, 24))
              .join(', ') + (r.other.length > 3 ? ` and ${r.other.length - 3} more` : '');
          problems.push(problem('foreign-flag-value', 'warning', val.span, `${rawName} limits ${named}, which Gantry does not model (image, video, audio): the estimate leaves ${r.other.length === 1 ? 'it' : 'them'} out.`));
        }
        if (r.capped) assumptions.push(`${rawName}: a count above 999 (vLLM's default, no practical limit) is read as 999.`);
        if (r.sized) assumptions.push(`${rawName}: the dummy-size options of ${r.sized.join(' and ')} (width, height, num_frames) are not modelled: the estimate profiles the encoder on the processor's largest item, which takes at least as much memory.`);
        const at = val;
        const legacy = r.legacy;
        setPart(f.field, f.sub, r.limits, val, rawName, (x) => {
          const word = limitsWord(x, legacy);
          return word === undefined ? undefined : wordEdit(at, word);
        });
        break;
      }
      case 'spec-model':
        sd.at ??= val;
        sd.draftModel = val.value.slice(0, 500);
        sd.method = methodFromDraftName(val.value);
        if (!sd.method) sd.other = 'a draft model';
        break;
      case 'spec-draft':
        sd.draftModel = val.value.slice(0, 500);
        break;
      case 'spec-algo':
        sd.at = val;
        sd.method = speculativeMethod(val.value);
        if (!sd.method) sd.other = val.value.slice(0, 40);
        break;
      case 'spec-tokens': {
        const v = parseNumber(val.value, true);
        if (v === undefined) problems.push(notANumber(rawName, val, 'a whole number', engineName));
        else if (v < 1) problems.push(problem('foreign-flag-value', 'warning', val.span, `${rawName} ${quote(val.value)} is not a whole number above 0.`));
        else sd.tokens = v;
        break;
      }
      case 'ep-size': {
        const v = parseNumber(val.value, true);
        if (v === undefined) problems.push(notANumber(rawName, val, 'a whole number', engineName));
        else {
          spec.expertParallel = v > 1;
          source('spec.expertParallel', val, rawName);
        }
        break;
      }
      case 'lora-rank':
      case 'lora-max': {
        const v = parseNumber(val.value, true);
        if (v === undefined) problems.push(notANumber(rawName, val, 'a whole number', engineName));
        else {
          const key = f.kind === 'lora-rank' ? 'maxRank' : 'maxLoras';
          lora[key] = v;
          source(`spec.lora.${key}`, val, rawName, (x) => (typeof x === 'number' ? wordEdit(val!, String(x)) : undefined));
        }
        loraOn = true;
        break;
      }
      case 'lora-list': {
        // name=path words (or JSON objects, kept as they are) until the next flag.
        const adapters: { name: string; path: string }[] = [];
        let cur: Word | undefined = val;
        while (cur) {
          const e = cur.value.indexOf('=');
          if (e > 0 && cur.value[0] !== '{') adapters.push({ name: cur.value.slice(0, e), path: cur.value.slice(e + 1) });
          else adapters.push({ name: cur.value, path: cur.value });
          if (args[k + 1] && !args[k + 1].value.startsWith('-')) cur = args[++k];
          else cur = undefined;
        }
        lora.adapters = adapters;
        loraOn = true;
        break;
      }
    }
  }
  if (loraOn) spec.lora = lora;
  if (sd.at && sd.method) {
    spec.speculative = { method: sd.method, ...(sd.tokens ? { tokens: sd.tokens } : {}), ...(sd.draftModel && sd.method !== 'mtp' && sd.method !== 'ngram' ? { draftModel: sd.draftModel } : {}) };
    source('spec.speculative', sd.at, 'speculative decoding');
  } else if (sd.at && sd.other) {
    problems.push(problem('foreign-flag-value', 'warning', sd.at.span, `Speculative decoding with ${quote(sd.other)} is not a method Gantry models (mtp, eagle, eagle3, ngram): the estimate leaves the drafter's weights and KV layers out.`));
  }
  if (partsAt) for (const e of ENGINE_FLAGS[engine]) if (e.parts && spec[e.field] !== undefined && !sources.has(`spec.${e.field}`)) source(`spec.${e.field}`, partsAt, `${engineName}'s ${e.field} flags`);
  if (extra.length) spec.extraArgs = extra;

  let model: ServeRead['model'];
  if (modelWord) {
    const name = modelWord.value;
    const hit = modelWord.unresolved ? undefined : catalogModelFor(name);
    const mw = modelWord;
    const write = (v: unknown) => {
      if (typeof v !== 'string') return undefined;
      const repo = catalogModelFor(v)?.repo;
      return repo ? wordEdit(mw, repo) : undefined;
    };
    if (modelWord.unresolved) {
      // A model read at run time ($1, a ConfigMap or Secret) is a valid launch: said once, no estimate.
      problems.push(problem('foreign-unresolved', 'warning', modelWord.span, `The model is ${quote(modelWord.unresolved)}, which this file does not set (an argument, a ConfigMap or Secret): Gantry cannot tell which model is served, so nothing is estimated. Set it in the file (or its env) to get an estimate.`));
    } else if (hit) {
      spec.model = { preset: hit.id, weights: name };
      if (hit.repo !== name) assumptions.push(`Model ${quote(name)} read as the catalog's ${hit.id}${hit.repo ? ` (${hit.repo})` : ''}.`);
    } else {
      spec.model = { preset: name };
    }
    if (spec.model) {
      source('spec.model.preset', modelWord, 'model', write);
      source('spec.model', modelWord, 'model', write);
    }
    model = { word: modelWord, name, known: !!hit };
  } else if (config.word) {
    // The model is in the --config file, which was not read here: nothing to estimate, and no claim that the engine loads a default.
    problems.push(
      problem(
        'foreign-unresolved',
        'warning',
        config.word.span,
        `The model comes from --config ${quote(config.word.value, 60)}, which Gantry does not read here${config.why ? ` (${config.why})` : ''}: it cannot tell which model is served, so nothing is estimated. Name the model in the command (${engine === 'vllm' ? 'vllm serve MODEL' : '--model-path'}) to get an estimate.`,
      ),
    );
  } else {
    const def = engine === 'vllm' ? 'its default model' : 'no model';
    problems.push(problem('foreign-no-model', 'error', cmd.anchor, `This ${cmd.launcher} command names no model (${engine === 'vllm' ? 'vllm serve MODEL or --model' : '--model-path'}): ${engineName} would load ${def}, and Gantry cannot estimate it.`));
  }

  // SGLang's DP attention (--enable-dp-attention) runs its --dp-size attention replicas inside the --tp-size
  // GPUs (data parallel for attention, tensor parallel for the FFN): the replica has TP GPUs, not TP × DP.
  const dpAttention = engine === 'sglang' && args.some((a) => a.value === '--enable-dp-attention' || a.value.startsWith('--enable-dp-attention='));
  if (dpAttention && typeof spec.dataParallel === 'number') {
    const dp = spec.dataParallel;
    delete spec.dataParallel;
    sources.delete('spec.dataParallel');
    // Kept beside --enable-dp-attention in extraArgs, where the estimator reads them (serving.ts sglangAttentionDp)
    // and the launcher passes them on.
    spec.extraArgs = [...(spec.extraArgs ?? []), '--dp-size', String(dp)];
    assumptions.push(
      `--enable-dp-attention: the ${dp} data-parallel attention ranks share the ${TP_FLAG[engine]} GPUs (DP for attention, TP for the FFN), so the replica has TP GPUs, not TP × DP; each rank keeps the KV cache of its own requests. Each rank holds its attention weights at TP / DP, which the estimate counts as sharded over TP: the weights per GPU come out a little low.`,
    );
  }

  const insert = (path: SpecPath, value: unknown): TextEditAt | undefined => {
    if (io.append && path.length === 3 && path[0] === 'spec') {
      // A key inside an object field with a flag of its own (multimodal.skipProfiling → --skip-mm-profiling).
      const part = ENGINE_FLAGS[engine].find((e) => e.field === path[1])?.parts?.find((p) => p.key === path[2]);
      if (!part) return undefined;
      if (part.kind === 'on') return value === true ? io.append([part.flag]) : undefined;
      const word = limitsWord(value, false);
      return word === undefined ? undefined : io.append([part.flag, word]);
    }
    if (!io.append || path.length !== 2 || path[0] !== 'spec') return undefined;
    const field = path[1] as Field;
    const flag = field === 'tensorParallel' ? TP_FLAG[engine] : ENGINE_FLAGS[engine].find((e) => e.field === field && e.flag)?.flag;
    if (!flag) return undefined;
    const f = TABLES[engine].get(flag);
    // A flag the command already writes (with a value the file does not set, or under another name): a second one would be a duplicate.
    if (!f || written.has(f)) return undefined;
    if (f.kind === 'on') return value === true ? io.append([flag]) : undefined;
    const word = engineWord(f, value);
    return word === undefined ? undefined : io.append([flag, word]);
  };
  return { spec, sources, problems, assumptions, model, ...(nodes ? { nodes } : {}), ...(unresolved.length ? { unresolved } : {}), insert };
}

/**
 * The one flag of the table that `name` is a prefix of (`--max-num-seq` → --max-num-seqs), as argparse resolves an
 * abbreviation; undefined when none or several (argparse: "ambiguous option"). Names of 10 letters or more only: a
 * shorter one is as likely another flag of the engine's that Gantry does not read (`--kv-cache` could be
 * --kv-cache-dtype or --kv-cache-memory-bytes).
 */
function uniquePrefix(name: string, table: Map<string, ReadFlag>): string | undefined {
  if (!name.startsWith('--') || name.length < 12 || name.length > 80) return undefined;
  let hit: string | undefined;
  let flag: ReadFlag | undefined;
  for (const [key, f] of table) {
    if (!key.startsWith(name) || key === name) continue;
    if (flag && f !== flag) return undefined;
    if (!flag) (flag = f), (hit = key);
  }
  return hit;
}

/** The most of a --config file Gantry reads: a YAML file of server arguments is a few hundred bytes. */
const MAX_CONFIG_CHARS = 64 * 1024;

/**
 * `--config FILE` (vLLM's documented YAML file of `vllm serve` arguments, SGLang's the same): its keys as flags
 * (`max-model-len: 8192` → `--max-model-len 8192`, `true` a switch, a list its values, an object its JSON), placed
 * on the FILE word and not editable there, and its `model` (SGLang: `model-path`) as the model. Read only through
 * `readFile` (a file beside the one being read); otherwise `word` is the FILE word and `why` says what stopped it.
 */
function configArgs(args: readonly Word[], readFile: ArgsIo['readFile'], engineName: string): { words: Word[]; model?: Word; word?: Word; why?: string; note?: string; problem?: Problem } {
  let val: Word | undefined;
  for (let k = 0; k < args.length && !val; k++) {
    const s = args[k].value;
    if (s === '--config') val = args[k + 1] && !args[k + 1].value.startsWith('-') ? args[k + 1] : undefined;
    else if (s.startsWith('--config=')) val = joinedValue(args[k], 8);
  }
  if (!val) return { words: [] };
  if (val.unresolved || val.value.includes('$')) return { words: [], word: val, why: 'its name is set when the command runs' };
  // Only a path relative to the file (beside it): an absolute one names the serving machine's file system, not this one's.
  if (!readFile || val.value.startsWith('/') || val.value.startsWith('~')) return { words: [], word: val };
  const text = val.value.length <= 500 ? readFile(val.value) : undefined;
  if (text === undefined) return { words: [], word: val, why: 'no such file beside this one' };
  if (text.length > MAX_CONFIG_CHARS) return { words: [], word: val, why: 'longer than 64 KB' };
  let cfg: unknown;
  try {
    cfg = parseYaml(text, { maxAliasCount: 0, prettyErrors: false });
  } catch {
    cfg = undefined;
  }
  if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) return { words: [], word: val, why: 'not a YAML mapping of arguments' };
  const at = val;
  const word = (value: string): Word => ({ value, span: at.span, exact: false, quote: '', write: () => undefined });
  const words: Word[] = [];
  let model: Word | undefined;
  const keys: string[] = [];
  for (const [key, v] of Object.entries(cfg as Record<string, unknown>).slice(0, 200)) {
    const k = key.split('_').join('-');
    if ((k === 'model' || k === 'model-path' || k === 'model-tag') && typeof v === 'string') {
      model = word(v.slice(0, 500));
      keys.push(key);
      continue;
    }
    if (v === false || v === null || v === undefined) continue;
    const flag = `--${k}`;
    const values = v === true ? [] : Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))) : [typeof v === 'object' ? JSON.stringify(v) : String(v)];
    words.push(word(flag), ...values.map(word));
    keys.push(key);
  }
  const named = keys.slice(0, 8).join(', ') + (keys.length > 8 ? ` and ${keys.length - 8} more` : '');
  return { words, ...(model ? { model } : {}), note: `--config ${val.value.slice(0, 60)} read: ${named || 'no arguments'} (the command's own flags win over it, as ${engineName} merges them).` };
}

/** The engine's word for a spec value of this flag (a number as written; an enum through the table). */
function engineWord(f: ReadFlag, v: unknown): string | undefined {
  if (f.kind === 'int' || f.kind === 'float') return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
  if (f.kind === 'pick') {
    if (typeof v !== 'string') return undefined;
    const e = ENGINE_FLAGS.vllm.concat(ENGINE_FLAGS.sglang).find((x) => x.flag === f.flag && x.field === f.field);
    const fromTable = e?.values?.[v];
    if (fromTable) return fromTable;
    // The spec's value the engine spells another way (auto, bf16 → bfloat16): the first spelling that reads back to it.
    for (const [word, spec] of Object.entries(f.values ?? {})) if (spec === v) return word;
  }
  return undefined;
}

/** The GPUs SGLang's mem_fraction_static default is chosen by: tensor × pipeline parallel. */
const sglangWorld = (spec: ServeRead['spec']): number => (typeof spec.tensorParallel === 'number' ? spec.tensorParallel : 1) * (typeof spec.pipelineParallel === 'number' ? spec.pipelineParallel : 1);

/** The engine's documented defaults the estimate takes where the command is silent, for the hover. */
export function engineDefaults(spec: ServeRead['spec'], version: string | undefined): string[] {
  const out: string[] = [];
  const e = spec.engine === 'vllm' ? 'vLLM' : 'SGLang';
  out.push(`Engine: ${e} ${version ?? `(version not named in the file; the defaults of recent ${spec.engine === 'vllm' ? 'V1 releases' : 'releases'} assumed)`}.`);
  const d: string[] = [];
  if (spec.tensorParallel === undefined) d.push(`${TP_FLAG[spec.engine]} 1`);
  if (spec.gpuMemoryUtilization === undefined)
    d.push(spec.engine === 'vllm' ? `--gpu-memory-utilization ${vllmSizing(version ? parseVersion(version) : undefined, {}).utilization}` : `--mem-fraction-static ${sglangMemFraction(sglangWorld(spec))} (its default at ${sglangWorld(spec)} GPU${sglangWorld(spec) === 1 ? '' : 's'})`);
  if (spec.dtype === undefined) d.push('--dtype auto (the model’s bf16)');
  if (spec.kvCacheDtype === undefined) d.push('--kv-cache-dtype auto (= dtype)');
  if (spec.blockSize === undefined) d.push(spec.engine === 'vllm' ? '--block-size 16 (64 for a sparse-attention model)' : '--page-size 1 (KV tokens counted in 16-token blocks)');
  if (d.length) out.push(`${e} defaults where the command is silent: ${d.join(', ')}.`);
  return out;
}
