// Calibration with provenance: the kept outcomes of runs on one Cluster (figures.json, see
// core/runs/outcome.ts) correct that Cluster's estimates, one factor per term, and every corrected
// figure says where its factor came from ("calibrated from 3 runs on h100-pod"). Off unless the
// user turns it on (gantry.estimates.calibrate); the raw estimate is always shown beside it.
//
// Terms (docs/right-sizing.md):
//   memory      the estimate's activations and overhead, i.e. device memory less the terms counted
//               exactly (weights, master weights, gradients, optimizer states: core/estimate/terms.ts).
//               A run's ratio: (measured peak − static) / (estimated − static).
//   throughput  the compute efficiency the estimate assumed (core/estimate/efficiency.ts). A run's
//               ratio: measured tokens/s per GPU / estimated; tokens/s scales with efficiency when
//               compute bound, which is the estimate's own model of a step.
// Robust by construction: the median of the runs' ratios, bounded to [1/2, 2], and nothing from
// fewer than two runs. Only TrainingJobs: a serving engine's memory is its own budget
// (gpuMemoryUtilization), not a figure to correct.
import { compareRun, type RunOutcome } from '../logs/versus';
import { loadOutcome } from '../runs/outcome';
import type { RunStore } from '../runs/store';
import { isTerminal } from '../runs/types';

export const MIN_RUNS = 2;
export const FACTOR_BOUNDS: readonly [number, number] = [0.5, 2];
/** The newest runs looked at: old runs of a cluster whose software changed say less. */
export const MAX_RUNS = 20;
/** Ended runs whose figures are read looking for them (each a small file read): a bound for big stores. */
const MAX_SCANNED = 200;
const GiB = 1024 ** 3;

export interface TermFactor {
  /** What the estimate's term is multiplied by. */
  factor: number;
  /** The median before bounding (equal to factor unless `bounded`). */
  median: number;
  bounded: boolean;
  /** The runs it is the median of, newest first. */
  runIds: string[];
}

export interface Calibration {
  cluster: string;
  /** Distinct runs that measured at least one term (a term needs MIN_RUNS of them for a factor). */
  runs: number;
  memory?: TermFactor;
  throughput?: TermFactor;
}

/** What one run says about each term, or nothing when it measured too little. */
export function ratiosOf(o: RunOutcome): { memory?: number; throughput?: number } {
  if (o.kind !== 'TrainingJob' || o.state !== 'succeeded') return {};
  const c = compareRun(o);
  const out: { memory?: number; throughput?: number } = {};
  const est = o.estimate.deviceGiBPerGpu;
  const fixed = o.estimate.staticGiBPerGpu;
  if (c.peakGiB && est !== undefined && fixed !== undefined) {
    const variable = est - fixed;
    const measured = c.peakGiB.measured - fixed;
    // A variable part under 0.1 GiB would turn noise into a large factor.
    if (variable >= 0.1 && measured > 0) out.memory = measured / variable;
  }
  if (c.tokensPerSecPerGpu?.estimated) out.throughput = c.tokensPerSecPerGpu.measured / c.tokensPerSecPerGpu.estimated;
  return out;
}

/** The factors of `cluster` from `outcomes` (newest first); undefined terms had fewer than MIN_RUNS runs. */
export function calibrate(cluster: string, outcomes: readonly RunOutcome[]): Calibration {
  const mem: { id: string; r: number }[] = [];
  const thr: { id: string; r: number }[] = [];
  for (const o of outcomes) {
    if (o.cluster !== cluster) continue;
    const r = ratiosOf(o);
    if (r.memory !== undefined && mem.length < MAX_RUNS) mem.push({ id: o.runId, r: r.memory });
    if (r.throughput !== undefined && thr.length < MAX_RUNS) thr.push({ id: o.runId, r: r.throughput });
  }
  const memory = factorOf(mem);
  const throughput = factorOf(thr);
  const ids = new Set([...mem, ...thr].map((x) => x.id));
  return { cluster, runs: ids.size, ...(memory ? { memory } : {}), ...(throughput ? { throughput } : {}) };
}

function factorOf(xs: { id: string; r: number }[]): TermFactor | undefined {
  if (xs.length < MIN_RUNS) return undefined;
  const sorted = xs.map((x) => x.r).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const factor = Math.min(FACTOR_BOUNDS[1], Math.max(FACTOR_BOUNDS[0], median));
  return { factor, median, bounded: factor !== median, runIds: xs.map((x) => x.id) };
}

/** The kept outcomes of ended runs on `cluster` in a store, newest first (at most MAX_RUNS). */
export function outcomesOnCluster(store: RunStore, cluster: string): RunOutcome[] {
  const out: RunOutcome[] = [];
  let scanned = 0;
  for (const s of store.list()) {
    if (!isTerminal(s.state) || s.kind !== 'TrainingJob') continue;
    if (++scanned > MAX_SCANNED) break;
    const o = loadOutcome(store, s.id);
    if (o?.cluster === cluster) out.push(o);
    if (out.length >= MAX_RUNS) break;
  }
  return out;
}

export interface RawFigures {
  deviceBytes?: number;
  staticBytes?: number;
  tokensPerSecondPerGpu?: number;
}

/** The raw estimate with the factors applied; a figure without a factor is left out. */
export function applyCalibration(raw: RawFigures, cal: Calibration): RawFigures {
  const out: RawFigures = {};
  if (cal.memory && raw.deviceBytes !== undefined && raw.staticBytes !== undefined) {
    out.deviceBytes = raw.staticBytes + cal.memory.factor * (raw.deviceBytes - raw.staticBytes);
    out.staticBytes = raw.staticBytes;
  }
  if (cal.throughput && raw.tokensPerSecondPerGpu !== undefined) out.tokensPerSecondPerGpu = raw.tokensPerSecondPerGpu * cal.throughput.factor;
  return out;
}

const runsWord = (n: number) => `${n} run${n === 1 ? '' : 's'}`;
const rate = (x: number) => Math.round(x).toLocaleString('en-US');

/**
 * The lens line: `calibrated from 3 runs on h100-pod: 61.0 GiB/GPU (raw 57.7) · 812 tok/s/GPU (raw 967)`,
 * or why there is no calibration yet (never silent when the setting is on).
 */
export function calibratedTitle(raw: RawFigures, cal: Calibration): string {
  if (!cal.memory && !cal.throughput) {
    return `not calibrated: ${cal.runs ? runsWord(cal.runs) : 'no measured runs'} on ${cal.cluster} (needs ${MIN_RUNS} measured runs of a TrainingJob)`;
  }
  const c = applyCalibration(raw, cal);
  const parts: string[] = [];
  if (c.deviceBytes !== undefined && raw.deviceBytes !== undefined) parts.push(`${(c.deviceBytes / GiB).toFixed(1)} GiB/GPU (raw ${(raw.deviceBytes / GiB).toFixed(1)})`);
  if (c.tokensPerSecondPerGpu !== undefined && raw.tokensPerSecondPerGpu !== undefined) parts.push(`${rate(c.tokensPerSecondPerGpu)} tok/s/GPU (raw ${rate(raw.tokensPerSecondPerGpu)})`);
  return `calibrated from ${runsWord(cal.runs)} on ${cal.cluster}: ${parts.length ? parts.join(' · ') : 'no figure of this estimate has a factor'}`;
}

/** The hover/tooltip: each factor with the runs it came from. */
export function calibrationLines(cal: Calibration): string[] {
  const line = (name: string, f: TermFactor) => `${name} ×${f.factor.toFixed(2)}: median of ${runsWord(f.runIds.length)} (${f.runIds.slice(0, 5).join(', ')}${f.runIds.length > 5 ? ', …' : ''})${f.bounded ? `, bounded from ×${f.median.toFixed(2)}` : ''}`;
  const out: string[] = [];
  if (cal.memory) out.push(line('Activations and overhead', cal.memory));
  if (cal.throughput) out.push(line('Compute efficiency (tokens/s)', cal.throughput));
  out.push('Raw: the estimator alone. Calibrated: the raw terms times the factors measured on this cluster (gantry.estimates.calibrate).');
  return out;
}
