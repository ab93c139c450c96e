// A run's outcome: when it ends, its log files are read once for measured figures
// (core/logs/measured.ts), set beside the estimate kept at submission and what telemetry saw, and
// kept as `<run dir>/figures.json`. The `last run` code lens and the panel's summary read it back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MeasuredReader, MAX_LINE_CHARS, type Figure, type MeasuredFigures } from '../logs/measured';
import { sanitizeLine } from '../logs/sanitize';
import { UsageReader, type ServingUsage } from '../logs/usage';
import { storedOutcome, type RunOutcome, type TelemetryPeak } from '../logs/versus';
import { readJson, writeFileAtomic } from './fsAtomic';
import type { RunStore } from './store';
import { isTerminal, type LogSource, type RunRecord } from './types';

export const OUTCOME_FILE = 'figures.json';
/** Bytes read from one log file: the figures sit in the first lines (startup) and the last (OOM, summary). */
const HEAD_BYTES = 64 << 20;
const TAIL_BYTES = 16 << 20;
const CHUNK = 1 << 20;
const GiB = 1024 ** 3;

/** The measured figures of every log file of `run`, merged: for each figure the first file that has it, named in `file`. */
export async function measureRunLogs(run: Pick<RunRecord, 'logs'>): Promise<MeasuredFigures> {
  return (await readRunLogs(run)).figures;
}

/** The measured figures and, for a serving engine, the KV cache's peak usage (the first file that has stats lines). */
async function readRunLogs(run: Pick<RunRecord, 'logs'>): Promise<{ figures: MeasuredFigures; usage?: ServingUsage }> {
  const merged: MeasuredFigures = { nccl: [] };
  let usage: ServingUsage | undefined;
  // stdout before stderr, rank 0 first: the figures a person looks for first.
  const sources = [...run.logs].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0) || (a.stream === 'stderr' ? 1 : 0) - (b.stream === 'stderr' ? 1 : 0));
  for (const src of sources) {
    const read = await measureFile(src);
    if (!read) continue;
    mergeInto(merged, read.figures, path.basename(src.path));
    if (!usage && read.usage) usage = { ...read.usage, peakKvUsagePct: { ...read.usage.peakKvUsagePct, file: path.basename(src.path) } };
  }
  return { figures: merged, ...(usage ? { usage } : {}) };
}

function mergeInto(into: MeasuredFigures, from: MeasuredFigures, file: string): void {
  const target = into as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(from)) {
    if (k === 'nccl') continue;
    if (k === 'tool') {
      into.tool ??= from.tool;
      continue;
    }
    if (target[k] === undefined && v && typeof v === 'object') target[k] = { ...(v as Figure), file };
  }
  for (const e of from.nccl) if (into.nccl.length < 8 && !into.nccl.some((x) => x.summary === e.summary)) into.nccl.push({ ...e, file });
}

/** Reads one log file line by line: a regular file only (stat first), its head and, if long, its tail. */
async function measureFile(src: LogSource): Promise<{ figures: MeasuredFigures; usage?: ServingUsage } | undefined> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(src.path);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return undefined;
  const reader = new Both();
  const fh = await fs.promises.open(src.path, 'r');
  try {
    const headEnd = Math.min(st.size, HEAD_BYTES);
    let line = await readRange(fh, 0, headEnd, 0, reader);
    if (st.size > headEnd) {
      // Line numbers after the gap are unknown: count on from the head, marked by the jump.
      const tailStart = Math.max(headEnd, st.size - TAIL_BYTES);
      line = await readRange(fh, tailStart, st.size, line + 1_000_000, reader, true);
    }
  } finally {
    await fh.close();
  }
  const usage = reader.usage.usage;
  return { figures: reader.measured.figures, ...(usage ? { usage } : {}) };
}

/** One pass over the lines feeds both readers. */
class Both {
  readonly measured = new MeasuredReader();
  readonly usage = new UsageReader();
  add(line: string, n: number): void {
    this.measured.add(line, n);
    this.usage.add(line, n);
  }
}

async function readRange(fh: fs.promises.FileHandle, start: number, end: number, firstLine: number, reader: Both, skipPartial = false): Promise<number> {
  const buf = Buffer.alloc(CHUNK);
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let skipping = skipPartial;
  let n = firstLine;
  for (let pos = start; pos < end; ) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, end - pos), pos);
    if (!bytesRead) break;
    pos += bytesRead;
    const text = decoder.decode(buf.subarray(0, bytesRead), { stream: pos < end });
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const piece = pending + text.slice(from, nl);
      pending = '';
      from = nl + 1;
      if (skipping) {
        skipping = false;
        continue;
      }
      reader.add(sanitizeLine(piece.length > MAX_LINE_CHARS ? piece.slice(0, MAX_LINE_CHARS) : piece, MAX_LINE_CHARS), n++);
    }
    // A line longer than the cap keeps only its start.
    if (pending.length < MAX_LINE_CHARS) pending += text.slice(from, from + MAX_LINE_CHARS - pending.length);
  }
  if (pending && !skipping) reader.add(sanitizeLine(pending, MAX_LINE_CHARS), n++);
  return n;
}

/** Builds a run's outcome from its record, its logs and what telemetry saw. */
export async function buildOutcome(run: RunRecord, telemetry?: TelemetryPeak): Promise<RunOutcome> {
  const p = run.plan;
  const { figures, usage } = await readRunLogs(run);
  const cluster = p.backendOptions?.cluster;
  return {
    version: 1,
    runId: run.id,
    state: run.state,
    gpus: Math.max(1, p.nodes * p.gpusPerNode),
    ...(p.kind === 'TrainingJob' || p.kind === 'InferenceService' ? { kind: p.kind } : {}),
    ...(cluster ? { cluster } : {}),
    estimate: {
      ...(p.estimatedDeviceBytesPerGpu ? { deviceGiBPerGpu: Math.round((p.estimatedDeviceBytesPerGpu / GiB) * 100) / 100 } : {}),
      ...(p.estimatedTokensPerSecondPerGpu ? { tokensPerSecPerGpu: Math.round(p.estimatedTokensPerSecondPerGpu) } : {}),
      ...(p.estimatedStaticBytesPerGpu ? { staticGiBPerGpu: Math.round((p.estimatedStaticBytesPerGpu / GiB) * 100) / 100 } : {}),
      ...(p.estimatedKvCacheTokens ? { kvCacheTokens: Math.round(p.estimatedKvCacheTokens) } : {}),
      ...(p.estimatedCudaGraphBytesPerGpu ? { cudaGraphGiBPerGpu: Math.round((p.estimatedCudaGraphBytesPerGpu / GiB) * 100) / 100 } : {}),
      ...(typeof p.estimatedAvailableKvBytesPerGpu === 'number' && Number.isFinite(p.estimatedAvailableKvBytesPerGpu) ? { availableKvGiBPerGpu: Math.round((p.estimatedAvailableKvBytesPerGpu / GiB) * 100) / 100 } : {}),
      ...(p.estimatedRefusal === 'no-kv-memory' || p.estimatedRefusal === 'kv-below-one-sequence' ? { refusal: p.estimatedRefusal } : {}),
    },
    log: figures,
    ...(usage ? { usage } : {}),
    ...(telemetry ? { telemetry } : {}),
  };
}

export function saveOutcome(store: RunStore, outcome: RunOutcome): void {
  writeFileAtomic(path.join(store.runDir(outcome.runId), OUTCOME_FILE), JSON.stringify(outcome, null, 1));
}

/** The kept outcome of a run, if any (a small file Gantry wrote; anything else is ignored). */
export function loadOutcome(store: RunStore, runId: string): RunOutcome | undefined {
  const file = path.join(store.runDir(runId), OUTCOME_FILE);
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > 1 << 20) return undefined;
  } catch {
    return undefined;
  }
  return storedOutcome(readJson<unknown>(file), runId);
}

/** The newest ended run of document `name` in `specFile` that has an outcome. */
export function lastOutcome(store: RunStore, specFile: string, name: string): RunOutcome | undefined {
  const want = path.resolve(specFile);
  for (const s of store.list()) {
    if (s.name !== name || !isTerminal(s.state) || path.resolve(s.specFile) !== want) continue;
    const o = loadOutcome(store, s.id);
    if (o) return o;
  }
  return undefined;
}
