// One launch command per serving engine: the local plan, the Slurm batch script, `gantry run
// --dry-run`, the ▶ Run confirmation and Preview Batch Script all turn an InferenceService into argv
// here, so what runs is what was checked. Every spec field with a flag in the engine becomes that
// flag; a field the engine has no flag for is reported (engineUnsupported) instead of dropped.
// Flag names: vLLM engine args (docs.vllm.ai, serve --help), SGLang server args
// (docs.sglang.ai/backend/server_arguments), TGI launcher (huggingface.co/docs/text-generation-inference).
import type { Engine, InferenceServiceSpec } from '../spec/types';
import { atLeast, engineVersionOf } from '../estimate/engineVersion';
import type { SpecPath } from '../spec/parse';
import type { TrainingTool } from '../formats/trainingConfig';

export interface EngineFlagGap {
  path: SpecPath;
  message: string;
}

type Field = keyof InferenceServiceSpec;
/** Flags for one field's value; undefined means the engine has no flag for that value. */
type FlagOf = (s: InferenceServiceSpec) => string[] | undefined;

/**
 * One spec field's flag in one engine: how the field becomes argv (`argv`), and, for the foreign
 * readers that go the other way (core/formats/vllmArgs.ts), the flag's name, whether it takes a
 * number, is a switch or picks from `values` (spec value → engine word). One table both ways, so
 * what Gantry launches and what it reads from a user's command line cannot drift apart.
 */
export interface EngineFlag {
  field: Field;
  /** The flag's name; absent for fields written as several flags (LoRA) or none. */
  flag?: string;
  kind: 'num' | 'on' | 'pick' | 'special';
  values?: Record<string, string | undefined>;
  /**
   * Flags of the fields inside an object field, each its own flag (multimodal.skipProfiling →
   * --skip-mm-profiling): `on` a switch, `json` a JSON value. For the readers and the file's terms.
   */
  parts?: readonly { key: string; flag: string; kind: 'on' | 'json'; since?: FlagSince }[];
  /** The first release whose argument parser takes the flag (an earlier named release refuses it). */
  since?: FlagSince;
  argv: FlagOf;
}

/** The first release of an engine with a flag, and where that is read from. */
export type FlagSince = { version: [number, number, number]; source: string };

type FlagRule = { flag?: string; kind: EngineFlag['kind']; values?: Record<string, string | undefined>; parts?: EngineFlag['parts']; since?: FlagSince; fn: (v: unknown, s: InferenceServiceSpec) => string[] | undefined };

const DTYPE: Record<string, string | undefined> = { bf16: 'bfloat16', fp16: 'float16', fp32: 'float32' };
const on = (flag: string): FlagRule => ({ flag, kind: 'on', fn: (v) => (v ? [flag] : []) });
const num = (flag: string, since?: FlagSince): FlagRule => ({ flag, kind: 'num', ...(since ? { since } : {}), fn: (v) => (v === undefined ? [] : [flag, String(v)]) });
const gt1 = (flag: string): FlagRule => ({ flag, kind: 'num', fn: (v) => (typeof v === 'number' && v > 1 ? [flag, String(v)] : []) });
const pick = (flag: string, values: Record<string, string | undefined>, defaults: string[] = ['auto', 'none'], since?: FlagSince): FlagRule => ({
  flag,
  kind: 'pick',
  values,
  ...(since ? { since } : {}),
  fn: (v) => {
    if (v === undefined || defaults.includes(String(v))) return [];
    const f = values[String(v)];
    return f === undefined ? undefined : [flag, f];
  },
});
const special = (fn: FlagRule['fn'], flag?: string): FlagRule => ({ flag, kind: 'special', fn });
const field = <K extends Field>(k: K, r: FlagRule | ((v: InferenceServiceSpec[K], s: InferenceServiceSpec) => string[] | undefined)): EngineFlag => {
  const rule = typeof r === 'function' ? special(r as FlagRule['fn']) : r;
  return { field: k, flag: rule.flag, kind: rule.kind, values: rule.values, ...(rule.parts ? { parts: rule.parts } : {}), ...(rule.since ? { since: rule.since } : {}), argv: (s) => rule.fn(s[k], s) };
};
const loraModules = (s: InferenceServiceSpec) => (s.lora?.adapters ?? []).map((a) => `${a.name}=${a.path}`);
const QUANT = { fp8: 'fp8', awq: 'awq', gptq: 'gptq', 'bitsandbytes-4bit': 'bitsandbytes', 'bitsandbytes-8bit': 'bitsandbytes' };
/** Formats that only come in a pre-quantized checkpoint: vLLM and SGLang read them from its config, and a flag that names another method than the checkpoint's is refused. */
const FROM_CHECKPOINT = ['auto', 'none', 'nvfp4', 'mxfp4'];

type SpeculativeSpec = NonNullable<InferenceServiceSpec['speculative']>;
/** Each part of spec.speculative as vLLM's --speculative-config (a JSON key) and SGLang's flags name it; the readers' messages use the same. */
export const SPECULATIVE_KEYS = { method: 'method', draftModel: 'model', tokens: 'num_speculative_tokens' } as const;
export const SGLANG_SPECULATIVE_FLAGS = { method: '--speculative-algorithm', draftModel: '--speculative-draft-model-path', tokens: '--speculative-num-steps' } as const;
/** vLLM's --speculative-config: one JSON word (argv, no shell), the fields vLLM's SpeculativeConfig takes. */
const vllmSpeculative = (v: InferenceServiceSpec['speculative']): string[] => {
  if (!v) return [];
  const cfg: Record<string, unknown> = { [SPECULATIVE_KEYS.method]: v.method };
  if (v.draftModel) cfg[SPECULATIVE_KEYS.draftModel] = v.draftModel;
  if (typeof v.tokens === 'number') cfg[SPECULATIVE_KEYS.tokens] = v.tokens;
  return ['--speculative-config', JSON.stringify(cfg)];
};
/**
 * vLLM's multimodal options: --limit-mm-per-prompt as one JSON word (argv, no shell; vLLM parses it with
 * json.loads, as --speculative-config), --skip-mm-profiling and --language-model-only as switches.
 */
const vllmMultimodal = (v: InferenceServiceSpec['multimodal']): string[] => {
  if (!v) return [];
  const limits = v.limitPerPrompt && Object.keys(v.limitPerPrompt).length ? ['--limit-mm-per-prompt', JSON.stringify(v.limitPerPrompt)] : [];
  return [...limits, ...(v.skipProfiling ? ['--skip-mm-profiling'] : []), ...(v.languageModelOnly ? ['--language-model-only'] : [])];
};
const VLLM_MULTIMODAL: FlagRule = {
  kind: 'special',
  parts: [
    { key: 'limitPerPrompt', flag: '--limit-mm-per-prompt', kind: 'json' },
    // PR #22950, merged 2025-08-15: not in 0.10.0 or earlier.
    { key: 'skipProfiling', flag: '--skip-mm-profiling', kind: 'on', since: { version: [0, 10, 1], source: 'PR #22950, August 2025' } },
    { key: 'languageModelOnly', flag: '--language-model-only', kind: 'on' },
  ],
  fn: (v) => vllmMultimodal(v as InferenceServiceSpec['multimodal']),
};
/** An engine with none of vLLM's multimodal flags: a multimodal field that asks for anything is not passed (undefined), one that asks for vLLM's defaults costs nothing. */
const noMultimodal = (v: InferenceServiceSpec['multimodal']): string[] | undefined => (vllmMultimodal(v).length ? undefined : []);
const SGLANG_ALGORITHM: Record<SpeculativeSpec['method'], string> = { mtp: 'NEXTN', eagle: 'EAGLE', eagle3: 'EAGLE3', ngram: 'NGRAM' };
/** SGLang: --speculative-algorithm, the draft model, and a chain of `tokens` steps (top-k 1, tokens + 1 draft tokens). */
const sglangSpeculative = (v: InferenceServiceSpec['speculative']): string[] | undefined => {
  if (!v) return [];
  const algo = SGLANG_ALGORITHM[v.method];
  if (!algo) return undefined;
  const f = SGLANG_SPECULATIVE_FLAGS;
  const steps = typeof v.tokens === 'number' ? [f.tokens, String(v.tokens), '--speculative-eagle-topk', '1', '--speculative-num-draft-tokens', String(v.tokens + 1)] : [];
  return [f.method, algo, ...(v.draftModel ? [f.draftModel, v.draftModel] : []), ...steps];
};

/** The tensor-parallel flag, which every launch command carries (engineArgv's head). */
export const TP_FLAG: Record<Engine, string> = { vllm: '--tensor-parallel-size', sglang: '--tp-size', tgi: '--num-shard' };
export const PORT_FLAG: Record<Engine, string> = { vllm: '--port', sglang: '--port', tgi: '--port' };

export const ENGINE_FLAGS: Record<Engine, readonly EngineFlag[]> = {
  vllm: [
    field('dtype', pick('--dtype', DTYPE)),
    field('quantization', pick('--quantization', QUANT, FROM_CHECKPOINT)),
    field('kvCacheDtype', pick('--kv-cache-dtype', { fp8: 'fp8', 'fp8-e4m3': 'fp8_e4m3', 'fp8-e5m2': 'fp8_e5m2' })),
    field('pipelineParallel', gt1('--pipeline-parallel-size')),
    field('dataParallel', gt1('--data-parallel-size')),
    field('expertParallel', on('--enable-expert-parallel')),
    field('maxModelLen', num('--max-model-len')),
    field('maxNumSeqs', num('--max-num-seqs')),
    field('maxNumBatchedTokens', num('--max-num-batched-tokens')),
    field('gpuMemoryUtilization', num('--gpu-memory-utilization')),
    field('cpuOffloadGiB', num('--cpu-offload-gb')),
    field('kvCacheMemoryBytes', num('--kv-cache-memory-bytes', { version: [0, 11, 0], source: 'PR #21489' })),
    field('disableHybridKvCacheManager', on('--disable-hybrid-kv-cache-manager')),
    field('mambaSsmCacheDtype', pick('--mamba-ssm-cache-dtype', { float32: 'float32', bfloat16: 'bfloat16', float16: 'float16' }, ['auto'], { version: [0, 10, 2], source: 'PR #22928' })),
    field('blockSize', num('--block-size')),
    field('enforceEager', on('--enforce-eager')),
    field(
      'enablePrefixCaching',
      special((v) => (v === undefined ? [] : [v ? '--enable-prefix-caching' : '--no-enable-prefix-caching']), '--enable-prefix-caching'),
    ),
    field('speculative', vllmSpeculative),
    field('multimodal', VLLM_MULTIMODAL),
    field('lora', (v, s) => (!v ? [] : ['--enable-lora', ...(v.adapters?.length ? ['--lora-modules', ...loraModules(s)] : []), ...(num('--max-lora-rank').fn(v.maxRank, s) ?? []), ...(num('--max-loras').fn(v.maxLoras, s) ?? []), ...(v.fullyShardedLoras ? ['--fully-sharded-loras'] : [])])),
  ],
  sglang: [
    field('dtype', pick('--dtype', DTYPE)),
    field('quantization', pick('--quantization', QUANT, FROM_CHECKPOINT)),
    field('kvCacheDtype', pick('--kv-cache-dtype', { fp8: 'fp8_e4m3', 'fp8-e4m3': 'fp8_e4m3', 'fp8-e5m2': 'fp8_e5m2' })),
    field('pipelineParallel', gt1('--pp-size')),
    field('dataParallel', gt1('--dp-size')),
    field('expertParallel', (v, s) => (v ? ['--ep-size', String(s.tensorParallel ?? 1)] : [])),
    field('maxModelLen', num('--context-length')),
    field('maxNumSeqs', num('--max-running-requests')),
    field('maxNumBatchedTokens', num('--max-prefill-tokens')),
    field('gpuMemoryUtilization', num('--mem-fraction-static')),
    field('cpuOffloadGiB', num('--cpu-offload-gb')),
    // SGLang sizes its KV pool by --mem-fraction-static (or --max-total-tokens), not a byte count.
    field('kvCacheMemoryBytes', (v) => (v === undefined ? [] : undefined)),
    // SGLang lays sliding-window layers out its own way; it has no such switch.
    field('disableHybridKvCacheManager', (v) => (v ? undefined : [])),
    // SGLang's recurrent state dtype takes float32 or bfloat16.
    field('mambaSsmCacheDtype', pick('--mamba-ssm-dtype', { float32: 'float32', bfloat16: 'bfloat16' }, ['auto'])),
    field('blockSize', num('--page-size')),
    field('enforceEager', on('--disable-cuda-graph')),
    // The radix (prefix) cache is on by default in SGLang.
    field(
      'enablePrefixCaching',
      special((v) => (v === false ? ['--disable-radix-cache'] : [])),
    ),
    field('speculative', sglangSpeculative),
    // SGLang has no flag that limits items per prompt, skips the encoder's profile run or leaves the tower out.
    field('multimodal', noMultimodal),
    // SGLang has no fully-sharded adapter mode: a spec asking for one is reported.
    field('lora', (v, s) => (!v ? [] : v.fullyShardedLoras ? undefined : [...(v.adapters?.length ? ['--lora-paths', ...loraModules(s)] : []), ...(num('--max-lora-rank').fn(v.maxRank, s) ?? []), ...(num('--max-loras-per-batch').fn(v.maxLoras, s) ?? [])])),
  ],
  tgi: [
    field('dtype', pick('--dtype', { bf16: 'bfloat16', fp16: 'float16' })),
    field('quantization', pick('--quantize', { fp8: 'fp8', awq: 'awq', gptq: 'gptq', 'bitsandbytes-8bit': 'bitsandbytes', 'bitsandbytes-4bit': 'bitsandbytes-nf4' })),
    field('kvCacheDtype', pick('--kv-cache-dtype', { fp8: 'fp8_e4m3fn', 'fp8-e4m3': 'fp8_e4m3fn', 'fp8-e5m2': 'fp8_e5m2' })),
    field('pipelineParallel', (v) => (typeof v === 'number' && v > 1 ? undefined : [])),
    field('dataParallel', (v) => (typeof v === 'number' && v > 1 ? undefined : [])),
    field('expertParallel', (v) => (v ? undefined : [])),
    field('maxModelLen', num('--max-total-tokens')),
    field('maxNumSeqs', num('--max-concurrent-requests')),
    field('maxNumBatchedTokens', num('--max-batch-prefill-tokens')),
    field('gpuMemoryUtilization', num('--cuda-memory-fraction')),
    // TGI has no weight offload to host memory.
    field('cpuOffloadGiB', (v) => (typeof v === 'number' && v > 0 ? undefined : [])),
    field('kvCacheMemoryBytes', (v) => (v === undefined ? [] : undefined)),
    field('disableHybridKvCacheManager', (v) => (v ? undefined : [])),
    field('mambaSsmCacheDtype', (v) => (v === undefined || v === 'auto' ? [] : undefined)),
    field('blockSize', (v) => (v === undefined ? [] : undefined)),
    field('enforceEager', (v) => (v ? ['--cuda-graphs', '0'] : [])),
    // TGI turns prefix caching on or off with the PREFIX_CACHING environment variable, not a flag.
    field('enablePrefixCaching', (v) => (v === undefined ? [] : undefined)),
    // TGI speculates with Medusa heads a checkpoint ships, else n-gram lookup (--speculate N); no MTP or EAGLE.
    field('speculative', (v) => (!v ? [] : v.method === 'ngram' ? ['--speculate', String(v.tokens ?? 2)] : undefined)),
    // TGI neither: its launcher has no multimodal limits or profiling switches.
    field('multimodal', noMultimodal),
    field('lora', (v, s) => (!v ? [] : v.maxRank !== undefined || v.maxLoras !== undefined || v.fullyShardedLoras ? undefined : v.adapters?.length ? ['--lora-adapters', loraModules(s).join(',')] : [])),
  ],
};

const ENGINE_NAME: Record<Engine, string> = { vllm: 'vLLM', sglang: 'SGLang', tgi: 'TGI' };

/** The fields this spec sets that its engine has no flag for (a warning on each field). */
export function engineUnsupported(s: InferenceServiceSpec): EngineFlagGap[] {
  const table = ENGINE_FLAGS[s.engine];
  if (!table || s.command?.length) return [];
  const gap = (path: SpecPath, what: string): EngineFlagGap => ({ path, message: `${ENGINE_NAME[s.engine]} has no launch flag for ${what}: it is not passed to the engine (set it with extraArgs or env if the engine has another way).` });
  // A field or a part whose flag a named release predates: the launch command writes it, and that release's argument
  // parser refuses it.
  const version = engineVersionOf(s);
  const tooOld = (at: string[], flag: string, since: FlagSince): EngineFlagGap | undefined =>
    version.parts && !atLeast(version.parts, ...since.version)
      ? {
          path: ['spec', ...at] as SpecPath,
          message: `${ENGINE_NAME[s.engine]} ${version.text?.slice(0, 20)} has no ${flag} (from ${since.version.join('.')}, ${since.source}): its argument parser refuses the flag and the server does not start. Drop ${at.join('.')}, or use a later release.`,
        }
      : undefined;
  const older = table
    .flatMap((f) => [...(f.since && f.flag && (f.argv(s)?.length ?? 0) > 0 ? [tooOld([f.field], f.flag, f.since)] : []), ...(f.parts ?? []).filter((p) => p.since && p.kind === 'on' && (s[f.field] as Record<string, unknown> | undefined)?.[p.key] === true).map((p) => tooOld([f.field, p.key], p.flag, p.since!))])
    .filter((g): g is EngineFlagGap => g !== undefined);
  return older.concat(
    table
      .filter((f) => f.argv(s) === undefined)
      .flatMap(({ field: k }) => {
        // An object field whose parts are flags of another engine (multimodal): each part the spec sets, at that part, with the flag it would be.
        const parts = PARTS.get(k);
        const v = s[k] as Record<string, unknown> | undefined;
        if (parts && v && typeof v === 'object') {
          // A part is set where the engine that has its flag would write something for it alone.
          const owner = ENGINE_FLAGS[parts.engine].find((f) => f.field === k)!;
          const set = parts.list.filter((p) => (owner.argv({ ...s, [k]: { [p.key]: v[p.key] } }) ?? []).length > 0);
          if (set.length) return set.map((p) => gap(['spec', k, p.key], `${k}.${p.key} (${ENGINE_NAME[parts.engine]}'s ${p.flag})`));
        }
        return [gap(['spec', k], `${k}${typeof s[k] === 'object' ? '' : ` ${String(s[k])}`}`)];
      }),
  );
}

/** The parts of object fields that are flags of their own, by field, from whichever engine has them. */
const PARTS = new Map<Field, { engine: Engine; list: NonNullable<EngineFlag['parts']> }>((Object.keys(ENGINE_FLAGS) as Engine[]).flatMap((engine) => ENGINE_FLAGS[engine].flatMap((f) => (f.parts ? [[f.field, { engine, list: f.parts }] as const] : []))));

export interface EngineCommandOptions {
  /** The Hugging Face repo id or path to serve (servedModel()). */
  model: string;
  /** Address to bind: 127.0.0.1 on this machine, 0.0.0.0 on a Slurm node so the login node reaches it. */
  host: string;
}

/** The engine's argv for the spec, or undefined for an engine with no default command. */
export function engineArgv(s: InferenceServiceSpec, opts: EngineCommandOptions): string[] | undefined {
  const table = ENGINE_FLAGS[s.engine];
  if (!table) return undefined;
  const tp = String(s.tensorParallel ?? 1);
  const port = String(s.port ?? 8000);
  const head: Record<Engine, string[]> = {
    vllm: ['vllm', 'serve', opts.model, TP_FLAG.vllm, tp, '--host', opts.host, PORT_FLAG.vllm, port],
    sglang: ['python3', '-m', 'sglang.launch_server', '--model-path', opts.model, TP_FLAG.sglang, tp, '--host', opts.host, PORT_FLAG.sglang, port],
    tgi: ['text-generation-launcher', '--model-id', opts.model, TP_FLAG.tgi, tp, '--hostname', opts.host, PORT_FLAG.tgi, port],
  };
  return [...head[s.engine], ...table.flatMap((f) => f.argv(s) ?? []), ...(s.extraArgs ?? [])];
}

// ---------------------------------------------------------------- training tools' own launchers

export type { TrainingTool };

export interface TrainingLaunch {
  tool: TrainingTool;
  /** The config file as the spec writes it (relative to the working directory the command starts in). */
  config: string;
  /** The training script (accelerate, deepspeed). */
  script?: string;
  /** World size: the TrainingJob's resources. */
  nodes: number;
  gpusPerNode: number;
}

export type TrainingArgv = { ok: true; argv: string[] } | { ok: false; path: SpecPath; error: string };

/**
 * The one launch command of a TrainingJob that points at its tool's config, as argv (no shell):
 * - torchtitan: `torchrun … -m torchtitan.train --job.config_file F` (torchtitan's run_train.sh);
 * - axolotl: `torchrun … -m axolotl.cli.train F` (axolotl's multi-node guide; the `axolotl train`
 *   CLI would pick its launcher and world size itself, torchrun takes them from the job);
 * - accelerate: `accelerate launch --config_file F --num_machines N --num_processes N×G SCRIPT`;
 * - DeepSpeed: `deepspeed --num_gpus G SCRIPT --deepspeed F` (HF Trainer's flag).
 * torchrun gets --standalone on one node; on several the Slurm batch script adds the c10d
 * rendezvous on the first node. accelerate and deepspeed start one launcher per node that needs its
 * node's rank (accelerate) or a hostfile (deepspeed): one node only here.
 */
export function trainingLauncherArgv(l: TrainingLaunch): TrainingArgv {
  const { nodes, gpusPerNode: g } = l;
  const torchrun = ['torchrun', `--nnodes=${nodes}`, `--nproc-per-node=${g}`, ...(nodes === 1 ? ['--standalone'] : [])];
  const needScript = (): TrainingArgv | undefined => (l.script ? undefined : { ok: false, path: ['spec', 'script'], error: `spec.script is missing: ${l.tool === 'accelerate' ? 'accelerate launch' : 'deepspeed'} runs a training script with ${l.config} (e.g. script: train.py)` });
  const oneNode = (): TrainingArgv | undefined =>
    nodes === 1 ? undefined : { ok: false, path: ['spec', 'resources', 'nodes'], error: `${l.tool === 'accelerate' ? 'accelerate launch' : 'deepspeed'} needs one launcher per node with its own rank or a hostfile; Gantry launches it on one node (give spec.command for ${nodes} nodes)` };
  switch (l.tool) {
    case 'torchtitan':
      return { ok: true, argv: [...torchrun, '-m', 'torchtitan.train', '--job.config_file', l.config] };
    case 'axolotl':
      return { ok: true, argv: [...torchrun, '-m', 'axolotl.cli.train', l.config] };
    case 'accelerate':
      return needScript() ?? oneNode() ?? { ok: true, argv: ['accelerate', 'launch', '--config_file', l.config, '--num_machines', String(nodes), '--num_processes', String(nodes * g), l.script!] };
    case 'deepspeed':
      return needScript() ?? oneNode() ?? { ok: true, argv: ['deepspeed', '--num_gpus', String(g), l.script!, '--deepspeed', l.config] };
  }
}
