// Measured figures from a run's own log: the lines serving engines and trainers print about memory,
// KV cache and throughput, and the errors that end a run (CUDA OOM with its figures, NCCL). Each
// figure keeps the 0-based log line it came from, so the panel can jump to it.
//
// Recognised lines (docs/metrics.md lists them with their sources; fixtures in test/fixtures/logs):
//   vLLM      `Loading model weights took 14.99 GB` (V0), `Model loading took 14.99 GiB and 4.2 seconds` (V1),
//             `model weights take 14.99GiB; … the rest of the memory reserved for KV Cache is 54.79GiB.`,
//             `total_gpu_memory (79.19GiB) x gpu_memory_utilization (0.90) = 71.27GiB`,
//             `Available KV cache memory: 54.79 GiB`, `# GPU blocks: 28049` / `# CUDA blocks: 28049, # CPU blocks: 2048`,
//             `GPU KV cache size: 448,880 tokens`, `Maximum concurrency for 8,192 tokens per request: 54.79x`,
//             `Estimated CUDA graph memory: 0.58 GiB total` (0.20+: taken off the KV budget),
//             `Graph capturing finished in 3 secs, took 0.62 GiB` (the pool captured after sizing)
//   SGLang    `Load weight end. … avail mem=63.38 GB, mem usage=14.99 GB.`,
//             `KV Cache is allocated. #tokens: 413371, K size: 25.23 GB, V size: 25.23 GB` (or `KV size: …`),
//             `max_total_num_tokens=413371, … max_running_requests=4097, context_len=131072`
//   torchtitan `step: 10  loss:  7.9876  memory: 30.12GiB(38.05%)  tps: 5,432  tflops: 123.45  mfu: 12.34%`
//   HF Trainer / accelerate  `{'train_runtime': 312.4, 'train_samples_per_second': 12.8, 'train_tokens_per_second': …, 'train_loss': 1.9}`
//   PyTorch   `CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.19 GiB of which
//             1.06 GiB is free. … this process has 78.12 GiB memory in use. …` and the older
//             `Tried to allocate 20.00 MiB (GPU 0; 15.78 GiB total capacity; 14.56 GiB already allocated; 3.19 MiB free; …)`
//   NCCL      `NCCL error in: …, unhandled system error …, NCCL version 2.21.5`, `NCCL WARN …`,
//             `ncclUnhandledCudaError`, `Watchdog caught collective operation timeout: WorkNCCL(… OpType=ALLREDUCE … Timeout(ms)=600000) ran for 600021 milliseconds`
//
// Parsing is by `indexOf` and a hand-written number reader: no regular expression, linear in the
// line, and every line is cut at MAX_LINE_CHARS first. SGLang and vLLM V0 print "GB" for 2^30 bytes
// (their `GB` constant and `/ float(2**30)`); those figures are read as GiB.

/** Longer lines are cut before they are looked at: every recognised line is far shorter. */
import type { RefusalKind } from '../estimate/types';
export const MAX_LINE_CHARS = 4096;
/** At most this many NCCL events are kept (a failing job prints one per rank, and repeats). */
const MAX_NCCL_EVENTS = 8;

export type MeasuredTool = 'vllm' | 'sglang' | 'torchtitan' | 'hf-trainer';

/** One figure and the 0-based log line it was read from. */
export interface Figure {
  value: number;
  line: number;
  /** The log file it was read from, when a run has several (set by core/runs/outcome.ts). */
  file?: string;
}

export interface OomFigures {
  line: number;
  gpu?: number;
  triedGiB: number;
  totalGiB?: number;
  freeGiB?: number;
  /** What this process held (new format), or what PyTorch had allocated (old format). */
  inUseGiB?: number;
  allocatedByPytorchGiB?: number;
  reservedUnallocatedGiB?: number;
  /** What the process needed at the failing allocation: in use + tried, or total − free + tried. */
  neededGiB: number;
  /** The log file it was read from, when a run has several (set by core/runs/outcome.ts). */
  file?: string;
}

export interface NcclEvent {
  line: number;
  summary: string;
  /** The log file it was read from (set by core/runs/outcome.ts). */
  file?: string;
}

export interface MeasuredFigures {
  /** The tool whose lines were seen first. */
  tool?: MeasuredTool;
  weightsGiB?: Figure;
  /** vLLM: total × gpu_memory_utilization, the memory the engine allows itself per GPU. */
  requestedGiB?: Figure;
  kvCacheGiB?: Figure;
  /** vLLM's "Available KV cache memory" as printed, below 0 where it refused to start for none (kvCacheGiB is only ever ≥ 0). */
  availableKvGiB?: Figure;
  /**
   * A start vLLM refused for memory: "No available memory for the cache blocks" (`no-kv-memory`), or a KV cache below one
   * request of max_model_len (`kv-below-one-sequence`: the V0 engine's "… is larger than the maximum number of tokens that
   * can be stored in KV cache (Y)", or the V1 engine's "… (Z GiB KV cache is needed, which is larger than the available KV
   * cache memory (W GiB)").
   */
  refusal?: { kind: RefusalKind; line: number; file?: string; kvTokens?: number; neededGiB?: number; availableGiB?: number };
  kvCacheTokens?: Figure;
  gpuBlocks?: Figure;
  /** vLLM 0.20+: its own estimate of the CUDA graph pool, taken off the KV budget before sizing. */
  cudaGraphEstimateGiB?: Figure;
  /** vLLM: the CUDA graph pool it captured ("Graph capturing finished in N secs, took X GiB"). */
  cudaGraphGiB?: Figure;
  maxConcurrency?: Figure & { tokensPerRequest?: number };
  maxRunningRequests?: Figure;
  contextLen?: Figure;
  /**
   * The GPU's memory as CUDA reports it (PyTorch's total_memory, vLLM's total_gpu_memory): vLLM's
   * `total_gpu_memory (X)`, a CUDA OOM's `total capacity`, or torchtitan's reserved GiB over its share of the
   * device. Right-sizing sets it beside the capacity the estimate took (an ECC mode or memoryGiB to correct).
   */
  deviceTotalGiB?: Figure & { source: string };
  /** torchtitan: the largest per-step peak of memory PyTorch reserved (max_reserved), and its share of the device. */
  peakReservedGiB?: Figure & { pct?: number };
  /** Per-GPU tokens/s: torchtitan's `tps` (already per device), mean over logged steps after the first. */
  tokensPerSecPerGpu?: Figure & { samples: number };
  tflopsPerGpu?: Figure & { samples: number };
  mfuPct?: Figure & { samples: number };
  lastStep?: Figure;
  /** HF Trainer's end-of-training summary (whole job, not per GPU). */
  trainRuntimeS?: Figure;
  trainSamplesPerSec?: Figure;
  trainTokensPerSec?: Figure;
  trainLoss?: Figure;
  oom?: OomFigures;
  nccl: NcclEvent[];
}

/** Reads figures line by line; feed it every line of a run's log in order, then read `figures`. */
export class MeasuredReader {
  readonly figures: MeasuredFigures = { nccl: [] };
  private tps = new Mean();
  private tflops = new Mean();
  private mfu = new Mean();
  private steps = 0;

  /** `lineNo`: the line's 0-based index in the run's log. */
  add(rawLine: string, lineNo: number): void {
    const line = rawLine.length > MAX_LINE_CHARS ? rawLine.slice(0, MAX_LINE_CHARS) : rawLine;
    // Cheap gate: every recognised line has one of these.
    if (!(line.includes('GiB') || line.includes('GB') || line.includes('MiB') || line.includes('tokens') || line.includes('blocks') || line.includes('NCCL') || line.includes('nccl') || line.includes("'train_") || line.includes('step:'))) return;
    if (line.includes('out of memory')) this.oomLine(line, lineNo);
    else if ((line.includes('NCCL') || line.includes('nccl')) && this.ncclLine(line, lineNo)) return;
    else if (line.includes('step:') && (line.includes('memory:') || line.includes('tps:') || line.includes('wps:'))) this.titanLine(line, lineNo);
    else if (line.includes("'train_runtime'") || line.includes("'train_loss'")) this.hfLine(line, lineNo);
    else {
      this.vllmLine(line, lineNo);
      this.sglangLine(line, lineNo);
    }
  }

  private setOnce<K extends keyof MeasuredFigures>(key: K, value: MeasuredFigures[K], tool: MeasuredTool): void {
    if (this.figures[key] === undefined) this.figures[key] = value;
    this.figures.tool ??= tool;
  }

  private vllmLine(line: string, n: number): void {
    let v = sizeAfter(line, 'Loading model weights took ') ?? sizeAfter(line, 'Model loading took ');
    if (v !== undefined) this.setOnce('weightsGiB', { value: v, line: n }, 'vllm');
    v = sizeAfter(line, 'model weights take ');
    if (v !== undefined) this.setOnce('weightsGiB', { value: v, line: n }, 'vllm');
    v = sizeAfter(line, 'reserved for KV Cache is ') ?? sizeAfter(line, 'Available KV cache memory: ');
    if (v !== undefined) {
      // Each rank prints its own: the tightest one is what the engine refuses on (and what the estimate describes).
      const seen = this.figures.availableKvGiB;
      if (!seen || v < seen.value) this.figures.availableKvGiB = { value: v, line: n };
      this.figures.tool ??= 'vllm';
      if (v >= 0) this.setOnce('kvCacheGiB', { value: v, line: n }, 'vllm');
    }
    this.refusalLine(line, n);
    v = sizeAfter(line, 'total_gpu_memory (');
    if (v !== undefined) this.setOnce('deviceTotalGiB', { value: v, line: n, source: 'vLLM total_gpu_memory' }, 'vllm');
    const util = line.indexOf('gpu_memory_utilization (');
    if (util >= 0) {
      v = sizeAfter(line, ') = ', util);
      if (v !== undefined) this.setOnce('requestedGiB', { value: v, line: n }, 'vllm');
    }
    v = sizeAfter(line, 'Estimated CUDA graph memory: ');
    if (v !== undefined) this.setOnce('cudaGraphEstimateGiB', { value: v, line: n }, 'vllm');
    if (line.includes('Graph capturing finished in ')) {
      v = sizeAfter(line, ', took ');
      if (v !== undefined) this.setOnce('cudaGraphGiB', { value: v, line: n }, 'vllm');
    }
    let c = numberAfter(line, '# GPU blocks: ') ?? numberAfter(line, '# CUDA blocks: ');
    if (c) this.setOnce('gpuBlocks', { value: c.value, line: n }, 'vllm');
    c = numberAfter(line, 'KV cache size: ');
    if (c && line.startsWith(' tokens', c.end)) this.setOnce('kvCacheTokens', { value: c.value, line: n }, 'vllm');
    const mc = numberAfter(line, 'Maximum concurrency for ');
    if (mc && line.startsWith(' tokens per request: ', mc.end)) {
      const x = readNumber(line, mc.end + ' tokens per request: '.length);
      if (x && line[x.end] === 'x') this.setOnce('maxConcurrency', { value: x.value, line: n, tokensPerRequest: mc.value }, 'vllm');
    }
  }

  /** vLLM's refusals for memory (the first one counts). */
  private refusalLine(line: string, n: number): void {
    if (this.figures.refusal) return;
    if (line.includes('No available memory for the cache blocks')) {
      this.figures.refusal = { kind: 'no-kv-memory', line: n, ...(this.figures.availableKvGiB ? { availableGiB: this.figures.availableKvGiB.value } : {}) };
      this.figures.tool ??= 'vllm';
      return;
    }
    const over = 'is larger than the maximum number of tokens that can be stored in KV cache (';
    const at = line.indexOf(over);
    if (at >= 0) {
      const y = readNumber(line, at + over.length);
      this.figures.refusal = { kind: 'kv-below-one-sequence', line: n, ...(y && y.value >= 0 ? { kvTokens: y.value } : {}) };
      this.figures.tool ??= 'vllm';
      return;
    }
    const needed = 'KV cache is needed, which is larger than the available KV cache memory (';
    const k = line.indexOf(needed);
    if (k >= 0) {
      const open = line.lastIndexOf('(', k);
      const z = open >= 0 ? sizeAt(line, open + 1) : undefined;
      const w = sizeAt(line, k + needed.length);
      this.figures.refusal = { kind: 'kv-below-one-sequence', line: n, ...(z !== undefined ? { neededGiB: z } : {}), ...(w !== undefined ? { availableGiB: w } : {}) };
      this.figures.tool ??= 'vllm';
    }
  }

  private sglangLine(line: string, n: number): void {
    if (line.includes('Load weight end.')) {
      const v = sizeAfter(line, 'mem usage=');
      if (v !== undefined) this.setOnce('weightsGiB', { value: v, line: n }, 'sglang');
    }
    if (line.includes('KV Cache is allocated.')) {
      const t = numberAfter(line, '#tokens: ');
      if (t) this.setOnce('kvCacheTokens', { value: t.value, line: n }, 'sglang');
      const kv = sizeAfter(line, 'KV size: ');
      const k = sizeAfter(line, 'K size: ');
      const vv = sizeAfter(line, 'V size: ');
      // "KV size: " also contains "V size: ": take the combined figure when it is there.
      const total = kv ?? (k !== undefined && vv !== undefined ? k + vv : undefined);
      if (total !== undefined) this.setOnce('kvCacheGiB', { value: round(total, 2), line: n }, 'sglang');
    }
    if (line.includes('max_total_num_tokens=')) {
      const t = numberAfter(line, 'max_total_num_tokens=');
      if (t) this.setOnce('kvCacheTokens', { value: t.value, line: n }, 'sglang');
      const r = numberAfter(line, 'max_running_requests=');
      if (r) this.setOnce('maxRunningRequests', { value: r.value, line: n }, 'sglang');
      const cl = numberAfter(line, 'context_len=');
      if (cl) this.setOnce('contextLen', { value: cl.value, line: n }, 'sglang');
    }
  }

  private titanLine(line: string, n: number): void {
    const step = numberAfter(line, 'step:');
    if (!step) return;
    this.figures.tool ??= 'torchtitan';
    this.figures.lastStep = { value: step.value, line: n };
    this.steps++;
    const mem = numberAfter(line, 'memory:');
    if (mem && line.startsWith('GiB', mem.end)) {
      const pct = line[mem.end + 3] === '(' ? readNumber(line, mem.end + 4) : undefined;
      const prev = this.figures.peakReservedGiB;
      if (!prev || mem.value > prev.value) this.figures.peakReservedGiB = { value: mem.value, line: n, ...(pct ? { pct: pct.value } : {}) };
      // torchtitan prints max_reserved and its share of the device's total_memory, two decimals each: from a
      // share of 10 % up, the total follows within 0.1 %.
      if (pct && pct.value >= 10 && pct.value <= 100 && !this.figures.deviceTotalGiB) this.figures.deviceTotalGiB = { value: round((mem.value * 100) / pct.value, 2), line: n, source: 'torchtitan memory share' };
    }
    // The first logged step carries compilation and warm-up: it is left out of the means when
    // later steps exist (torchtitan's own docs say to read throughput after warm-up).
    const tps = numberAfter(line, 'tps:') ?? numberAfter(line, 'wps:');
    const tflops = numberAfter(line, 'tflops:');
    const mfu = numberAfter(line, 'mfu:');
    if (tps) this.tps.add(tps.value, n, this.steps === 1);
    if (tflops) this.tflops.add(tflops.value, n, this.steps === 1);
    if (mfu) this.mfu.add(mfu.value, n, this.steps === 1);
    const t = this.tps.figure();
    if (t) this.figures.tokensPerSecPerGpu = t;
    const f = this.tflops.figure();
    if (f) this.figures.tflopsPerGpu = f;
    const m = this.mfu.figure();
    if (m) this.figures.mfuPct = m;
  }

  private hfLine(line: string, n: number): void {
    const get = (key: string) => numberAfter(line, `'${key}': `)?.value;
    const pairs: [keyof MeasuredFigures, string][] = [
      ['trainRuntimeS', 'train_runtime'],
      ['trainSamplesPerSec', 'train_samples_per_second'],
      ['trainTokensPerSec', 'train_tokens_per_second'],
      ['trainLoss', 'train_loss'],
    ];
    let any = false;
    for (const [key, name] of pairs) {
      const v = get(name);
      if (v === undefined) continue;
      (this.figures as unknown as Record<string, Figure>)[key] = { value: v, line: n };
      any = true;
    }
    if (any) this.figures.tool ??= 'hf-trainer';
  }

  private oomLine(line: string, n: number): void {
    if (this.figures.oom || !line.includes('CUDA out of memory')) return;
    const tried = sizeAfter(line, 'Tried to allocate ');
    if (tried === undefined) return;
    const gpuAt = line.indexOf('GPU ', line.indexOf('Tried to allocate '));
    const gpu = gpuAt >= 0 ? readNumber(line, gpuAt + 4) : undefined;
    let totalGiB = sizeAfter(line, 'has a total capacity of ');
    let freeGiB = sizeAfter(line, 'of which ');
    let inUseGiB = sizeAfter(line, 'this process has ');
    const allocatedByPytorchGiB = sizeAfter(line, 'Of the allocated memory ');
    let reservedUnallocatedGiB: number | undefined;
    const andAt = line.indexOf('is allocated by PyTorch, and ');
    if (andAt >= 0) reservedUnallocatedGiB = sizeAt(line, andAt + 'is allocated by PyTorch, and '.length);
    if (totalGiB === undefined) {
      // Older PyTorch: `(GPU 0; 15.78 GiB total capacity; 14.56 GiB already allocated; 3.19 MiB free; …)`.
      const open = line.indexOf('(GPU ');
      if (open >= 0) {
        const parts = line.slice(open + 1, closing(line, open)).split('; ');
        for (const p of parts) {
          const size = sizeAt(p, 0);
          if (size === undefined) continue;
          if (p.endsWith(' total capacity')) totalGiB = size;
          else if (p.endsWith(' already allocated')) inUseGiB = size;
          else if (p.endsWith(' free')) freeGiB = size;
        }
      }
    }
    if (totalGiB !== undefined && totalGiB > 0 && !this.figures.deviceTotalGiB) this.figures.deviceTotalGiB = { value: totalGiB, line: n, source: 'CUDA out-of-memory message' };
    const needed = inUseGiB !== undefined ? inUseGiB + tried : totalGiB !== undefined && freeGiB !== undefined ? totalGiB - freeGiB + tried : tried;
    this.figures.oom = {
      line: n,
      ...(gpu ? { gpu: gpu.value } : {}),
      triedGiB: tried,
      ...(totalGiB !== undefined ? { totalGiB } : {}),
      ...(freeGiB !== undefined ? { freeGiB } : {}),
      ...(inUseGiB !== undefined ? { inUseGiB } : {}),
      ...(allocatedByPytorchGiB !== undefined ? { allocatedByPytorchGiB } : {}),
      ...(reservedUnallocatedGiB !== undefined ? { reservedUnallocatedGiB } : {}),
      neededGiB: round(needed, 2),
    };
  }

  /** True when the line was an NCCL event. */
  private ncclLine(line: string, n: number): boolean {
    const summary = ncclSummary(line);
    if (!summary) return false;
    if (this.figures.nccl.length < MAX_NCCL_EVENTS && !this.figures.nccl.some((e) => e.summary === summary)) this.figures.nccl.push({ line: n, summary });
    return true;
  }
}

/** Reads every line (0-based numbering from `firstLine`). */
export function measureLines(lines: Iterable<string>, firstLine = 0): MeasuredFigures {
  const r = new MeasuredReader();
  let n = firstLine;
  for (const l of lines) r.add(l, n++);
  return r.figures;
}

const NCCL_ERRORS = ['ncclUnhandledCudaError', 'ncclSystemError', 'ncclInternalError', 'ncclInvalidArgument', 'ncclInvalidUsage', 'ncclRemoteError'];

/** A short account of an NCCL failure line, or undefined for NCCL's ordinary INFO chatter. */
function ncclSummary(line: string): string | undefined {
  const wd = line.indexOf('Watchdog caught collective operation timeout');
  if (wd >= 0) {
    const op = textAfter(line, 'OpType=', ',)');
    const ms = numberAfter(line, 'Timeout(ms)=');
    return `collective timeout${op ? ` in ${op}` : ''}${ms ? ` after ${Math.round(ms.value / 1000)} s` : ''}`;
  }
  const err = line.indexOf('NCCL error');
  if (err >= 0) {
    // `NCCL error in: ../ProcessGroupNCCL.cpp:1970, unhandled system error (run with NCCL_DEBUG=INFO…), NCCL version 2.21.5`
    const afterIn = line.indexOf(', ', err);
    let what = afterIn >= 0 ? line.slice(afterIn + 2) : line.slice(err + 'NCCL error'.length);
    const cut = what.indexOf(' (run with');
    if (cut >= 0) what = what.slice(0, cut);
    const comma = what.indexOf(', NCCL version');
    if (comma >= 0) what = what.slice(0, comma);
    const version = textAfter(line, 'NCCL version ', ' \n');
    return `NCCL error: ${what.trim().slice(0, 120)}${version ? ` (NCCL ${version})` : ''}`;
  }
  for (const e of NCCL_ERRORS) if (line.includes(e)) return e;
  const warn = line.indexOf('NCCL WARN ');
  if (warn >= 0)
    return `NCCL WARN ${line
      .slice(warn + 'NCCL WARN '.length)
      .trim()
      .slice(0, 120)}`;
  return undefined;
}

// ---------------------------------------------------------------- readers

interface Num {
  value: number;
  end: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** A decimal number at `i` (after spaces): digits with `,` thousands separators, a fraction, an exponent. */
export function readNumber(s: string, start: number): Num | undefined {
  let i = start;
  while (s.charCodeAt(i) === 32) i++;
  const from = i;
  if (s[i] === '-' || s[i] === '+') i++;
  let digits = 0;
  let text = s.slice(from, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      text += s[i];
      digits++;
    } else if (!(s[i] === ',' && digits > 0 && isDigit(s.charCodeAt(i + 1)) && isDigit(s.charCodeAt(i + 2)) && isDigit(s.charCodeAt(i + 3)) && !isDigit(s.charCodeAt(i + 4)))) {
      break; // not a thousands separator (exactly three digits follow one)
    }
  }
  if (s[i] === '.' && isDigit(s.charCodeAt(i + 1))) {
    text += '.';
    for (i++; i < s.length && isDigit(s.charCodeAt(i)); i++) {
      text += s[i];
      digits++;
    }
  }
  if (!digits) return undefined;
  if ((s[i] === 'e' || s[i] === 'E') && (isDigit(s.charCodeAt(i + 1)) || ((s[i + 1] === '-' || s[i + 1] === '+') && isDigit(s.charCodeAt(i + 2))))) {
    let j = i + 1;
    let exp = s[j] === '-' || s[j] === '+' ? s[j++] : '';
    for (; j < s.length && isDigit(s.charCodeAt(j)); j++) exp += s[j];
    text += `e${exp}`;
    i = j;
  }
  const value = Number(text);
  return Number.isFinite(value) ? { value, end: i } : undefined;
}

/** The number right after the first `marker` at or after `from`. */
export function numberAfter(s: string, marker: string, from = 0): Num | undefined {
  const at = s.indexOf(marker, from);
  return at < 0 ? undefined : readNumber(s, at + marker.length);
}

const UNIT_GIB: [string, number][] = [
  ['GiB', 1],
  ['GB', 1], // SGLang and vLLM V0 print GB for 2^30 bytes (see the header)
  ['MiB', 1 / 1024],
  ['MB', 1 / 1024],
  ['KiB', 1 / 1024 / 1024],
  ['bytes', 1 / 1024 ** 3],
  ['B', 1 / 1024 ** 3],
];

/** A size at `i` (`14.99GiB`, `2.00 GiB`, `20.00 MiB`, `512 bytes`) in GiB. */
function sizeAt(s: string, i: number): number | undefined {
  const num = readNumber(s, i);
  if (!num) return undefined;
  let j = num.end;
  if (s[j] === ' ') j++;
  for (const [unit, f] of UNIT_GIB) if (s.startsWith(unit, j)) return round(num.value * f, 4);
  return undefined;
}

function sizeAfter(s: string, marker: string, from = 0): number | undefined {
  const at = s.indexOf(marker, from);
  return at < 0 ? undefined : sizeAt(s, at + marker.length);
}

/** The text after `marker` up to the first of `stops` (or the end). */
function textAfter(s: string, marker: string, stops: string): string | undefined {
  const at = s.indexOf(marker);
  if (at < 0) return undefined;
  let end = at + marker.length;
  while (end < s.length && !stops.includes(s[end])) end++;
  const t = s.slice(at + marker.length, end).trim();
  return t || undefined;
}

function closing(s: string, open: number): number {
  const c = s.indexOf(')', open);
  return c < 0 ? s.length : c;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

class Mean {
  private sum = 0;
  private n = 0;
  private first?: { value: number; line: number };
  private lastLine = 0;

  add(value: number, line: number, isFirst: boolean): void {
    if (isFirst) this.first = { value, line };
    else {
      this.sum += value;
      this.n++;
    }
    this.lastLine = line;
  }

  figure(): (Figure & { samples: number }) | undefined {
    if (this.n) return { value: round(this.sum / this.n, 2), line: this.lastLine, samples: this.n };
    return this.first ? { ...this.first, samples: 1 } : undefined;
  }
}
