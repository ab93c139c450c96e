// One launch command per serving engine: the local plan, the Slurm batch script, `gantry run
// --dry-run`, the ▶ Run confirmation and Preview Batch Script all turn an InferenceService into argv
// here, so what runs is what was checked. Every spec field with a flag in the engine becomes that
// flag; a field the engine has no flag for is reported (engineUnsupported) instead of dropped.
// Flag names: vLLM engine args (docs.vllm.ai, serve --help), SGLang server args
// (docs.sglang.ai/backend/server_arguments), TGI launcher (huggingface.co/docs/text-generation-inference).
import type { Engine, InferenceServiceSpec } from '../spec/types';
import type { SpecPath } from '../spec/parse';

export interface EngineFlagGap {
  path: SpecPath;
  message: string;
}

type Field = keyof InferenceServiceSpec;
/** Flags for one field's value; undefined means the engine has no flag for that value. */
type FlagOf = (s: InferenceServiceSpec) => string[] | undefined;

const DTYPE: Record<string, string | undefined> = { bf16: 'bfloat16', fp16: 'float16', fp32: 'float32' };
const on = (flag: string) => (v: unknown) => (v ? [flag] : []);
const num = (flag: string) => (v: unknown) => (v === undefined ? [] : [flag, String(v)]);
const gt1 = (flag: string) => (v: unknown) => (typeof v === 'number' && v > 1 ? [flag, String(v)] : []);
const pick =
  (flag: string, table: Record<string, string | undefined>, defaults: string[] = ['auto', 'none']) =>
  (v: unknown) => {
    if (v === undefined || defaults.includes(String(v))) return [];
    const f = table[String(v)];
    return f === undefined ? undefined : [flag, f];
  };
const field = <K extends Field>(k: K, f: (v: InferenceServiceSpec[K], s: InferenceServiceSpec) => string[] | undefined): [Field, FlagOf] => [k, (s) => f(s[k], s)];
const loraModules = (s: InferenceServiceSpec) => (s.lora?.adapters ?? []).map((a) => `${a.name}=${a.path}`);

const FLAGS: Record<Engine, [Field, FlagOf][]> = {
  vllm: [
    field('dtype', pick('--dtype', DTYPE)),
    field('quantization', pick('--quantization', { fp8: 'fp8', awq: 'awq', gptq: 'gptq', 'bitsandbytes-4bit': 'bitsandbytes', 'bitsandbytes-8bit': 'bitsandbytes' })),
    field('kvCacheDtype', pick('--kv-cache-dtype', { fp8: 'fp8', 'fp8-e4m3': 'fp8_e4m3', 'fp8-e5m2': 'fp8_e5m2' })),
    field('pipelineParallel', gt1('--pipeline-parallel-size')),
    field('dataParallel', gt1('--data-parallel-size')),
    field('expertParallel', on('--enable-expert-parallel')),
    field('maxModelLen', num('--max-model-len')),
    field('maxNumSeqs', num('--max-num-seqs')),
    field('maxNumBatchedTokens', num('--max-num-batched-tokens')),
    field('gpuMemoryUtilization', num('--gpu-memory-utilization')),
    field('blockSize', num('--block-size')),
    field('enforceEager', on('--enforce-eager')),
    field('enablePrefixCaching', (v) => (v === undefined ? [] : [v ? '--enable-prefix-caching' : '--no-enable-prefix-caching'])),
    field('lora', (v, s) => (!v ? [] : ['--enable-lora', ...(v.adapters?.length ? ['--lora-modules', ...loraModules(s)] : []), ...num('--max-lora-rank')(v.maxRank), ...num('--max-loras')(v.maxLoras)])),
  ],
  sglang: [
    field('dtype', pick('--dtype', DTYPE)),
    field('quantization', pick('--quantization', { fp8: 'fp8', awq: 'awq', gptq: 'gptq', 'bitsandbytes-4bit': 'bitsandbytes', 'bitsandbytes-8bit': 'bitsandbytes' })),
    field('kvCacheDtype', pick('--kv-cache-dtype', { fp8: 'fp8_e4m3', 'fp8-e4m3': 'fp8_e4m3', 'fp8-e5m2': 'fp8_e5m2' })),
    field('pipelineParallel', gt1('--pp-size')),
    field('dataParallel', gt1('--dp-size')),
    field('expertParallel', (v, s) => (v ? ['--ep-size', String(s.tensorParallel ?? 1)] : [])),
    field('maxModelLen', num('--context-length')),
    field('maxNumSeqs', num('--max-running-requests')),
    field('maxNumBatchedTokens', num('--max-prefill-tokens')),
    field('gpuMemoryUtilization', num('--mem-fraction-static')),
    field('blockSize', num('--page-size')),
    field('enforceEager', on('--disable-cuda-graph')),
    // The radix (prefix) cache is on by default in SGLang.
    field('enablePrefixCaching', (v) => (v === false ? ['--disable-radix-cache'] : [])),
    field('lora', (v, s) => (!v ? [] : [...(v.adapters?.length ? ['--lora-paths', ...loraModules(s)] : []), ...num('--max-lora-rank')(v.maxRank), ...num('--max-loras-per-batch')(v.maxLoras)])),
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
    field('blockSize', (v) => (v === undefined ? [] : undefined)),
    field('enforceEager', (v) => (v ? ['--cuda-graphs', '0'] : [])),
    // TGI turns prefix caching on or off with the PREFIX_CACHING environment variable, not a flag.
    field('enablePrefixCaching', (v) => (v === undefined ? [] : undefined)),
    field('lora', (v, s) => (!v ? [] : v.maxRank !== undefined || v.maxLoras !== undefined ? undefined : v.adapters?.length ? ['--lora-adapters', loraModules(s).join(',')] : [])),
  ],
};

const ENGINE_NAME: Record<Engine, string> = { vllm: 'vLLM', sglang: 'SGLang', tgi: 'TGI' };

/** The fields this spec sets that its engine has no flag for (a warning on each field). */
export function engineUnsupported(s: InferenceServiceSpec): EngineFlagGap[] {
  const table = FLAGS[s.engine];
  if (!table || s.command?.length) return [];
  return table
    .filter(([, f]) => f(s) === undefined)
    .map(([k]) => ({
      path: ['spec', k],
      message: `${ENGINE_NAME[s.engine]} has no launch flag for ${k}${typeof s[k] === 'object' ? '' : ` ${String(s[k])}`}: it is not passed to the engine (set it with extraArgs or env if the engine has another way).`,
    }));
}

export interface EngineCommandOptions {
  /** The Hugging Face repo id or path to serve (servedModel()). */
  model: string;
  /** Address to bind: 127.0.0.1 on this machine, 0.0.0.0 on a Slurm node so the login node reaches it. */
  host: string;
}

/** The engine's argv for the spec, or undefined for an engine with no default command. */
export function engineArgv(s: InferenceServiceSpec, opts: EngineCommandOptions): string[] | undefined {
  const table = FLAGS[s.engine];
  if (!table) return undefined;
  const tp = String(s.tensorParallel ?? 1);
  const port = String(s.port ?? 8000);
  const head: Record<Engine, string[]> = {
    vllm: ['vllm', 'serve', opts.model, '--tensor-parallel-size', tp, '--host', opts.host, '--port', port],
    sglang: ['python3', '-m', 'sglang.launch_server', '--model-path', opts.model, '--tp-size', tp, '--host', opts.host, '--port', port],
    tgi: ['text-generation-launcher', '--model-id', opts.model, '--num-shard', tp, '--hostname', opts.host, '--port', port],
  };
  return [...head[s.engine], ...table.flatMap(([, f]) => f(s) ?? []), ...(s.extraArgs ?? [])];
}
