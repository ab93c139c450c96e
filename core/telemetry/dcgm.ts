// NVIDIA dcgm-exporter's metrics as Prometheus holds them, turned into the same per-GPU samples the
// nvidia-smi sampler gives (so the panel draws one set of charts from either), plus XID events.
//
// Fields (dcgm-exporter's default counters, docs/metrics.md): DCGM_FI_DEV_GPU_UTIL (%),
// DCGM_FI_DEV_FB_USED / _FREE (MiB), DCGM_FI_DEV_POWER_USAGE (W), DCGM_FI_DEV_GPU_TEMP (°C),
// DCGM_FI_DEV_SM_CLOCK (MHz), DCGM_FI_PROF_SM_ACTIVE, _PIPE_TENSOR_ACTIVE, _DRAM_ACTIVE (ratios 0–1,
// shown as %), DCGM_FI_DEV_XID_ERRORS (the last XID seen). A GPU is told apart by the exporter's
// `Hostname` and `gpu` labels (`UUID` kept); on Kubernetes the exporter adds `pod` and `namespace`
// of the container using the GPU, which attribute it to a job.
import { xidMeaning } from './xid';

export interface DcgmSample {
  t: number;
  /** The exporter's `Hostname`; `all` for a cluster-wide aggregate. */
  host: string;
  /** The GPU index; -1 for an aggregate (host or cluster), whose `gpus` says of how many. */
  gpu: number;
  /** An aggregate of this many GPUs (query-side: activity is the mean, memory the largest GPU). */
  gpus?: number;
  uuid?: string;
  util?: number;
  memUsedMiB?: number;
  memTotalMiB?: number;
  powerW?: number;
  tempC?: number;
  smClockMHz?: number;
  smActivePct?: number;
  tensorActivePct?: number;
  dramActivePct?: number;
  /** NVLink bytes per second (DCGM_FI_PROF_NVLINK_TX_BYTES / _RX_BYTES, all links of the GPU). */
  nvlinkTxBps?: number;
  nvlinkRxBps?: number;
}

export interface XidEvent {
  t: number;
  host: string;
  gpu: number;
  code: number;
  summary: string;
}

/** A GPU health event from DCGM: an XID, ECC errors or retired pages, or thermal/power throttling. */
export interface DcgmHealthEvent {
  t: number;
  host: string;
  gpu: number;
  kind: 'xid' | 'ecc' | 'throttle';
  /** The XID code, the ECC error count, or the throttle-reason bitmask. */
  code?: number;
  summary: string;
}

type SampleField = 'util' | 'fbUsed' | 'fbFree' | 'powerW' | 'tempC' | 'smClockMHz' | 'smActive' | 'tensorActive' | 'dramActive' | 'nvlinkTx' | 'nvlinkRx';
type HealthField = 'xid' | 'eccDbe' | 'eccSbe' | 'retired' | 'throttle';
type Field = SampleField | HealthField;

/** How an aggregate combines GPUs: memory by its largest GPU (what an OOM cares about), the rest by the mean. */
const AGG: Record<SampleField, 'avg' | 'max' | 'min'> = { util: 'avg', fbUsed: 'max', fbFree: 'min', powerW: 'avg', tempC: 'avg', smClockMHz: 'avg', smActive: 'avg', tensorActive: 'avg', dramActive: 'avg', nvlinkTx: 'avg', nvlinkRx: 'avg' };

export const DCGM_METRICS: readonly { field: SampleField; metric: string }[] = [
  { field: 'util', metric: 'DCGM_FI_DEV_GPU_UTIL' },
  { field: 'fbUsed', metric: 'DCGM_FI_DEV_FB_USED' },
  { field: 'fbFree', metric: 'DCGM_FI_DEV_FB_FREE' },
  { field: 'powerW', metric: 'DCGM_FI_DEV_POWER_USAGE' },
  { field: 'tempC', metric: 'DCGM_FI_DEV_GPU_TEMP' },
  { field: 'smClockMHz', metric: 'DCGM_FI_DEV_SM_CLOCK' },
  { field: 'smActive', metric: 'DCGM_FI_PROF_SM_ACTIVE' },
  { field: 'tensorActive', metric: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE' },
  { field: 'dramActive', metric: 'DCGM_FI_PROF_DRAM_ACTIVE' },
  { field: 'nvlinkTx', metric: 'DCGM_FI_PROF_NVLINK_TX_BYTES' },
  { field: 'nvlinkRx', metric: 'DCGM_FI_PROF_NVLINK_RX_BYTES' },
];

/**
 * Health fields, always per GPU but only where something happened (the `> 0` filter runs in
 * Prometheus, so 512 healthy GPUs return nothing). `max_over_time` over at least the step keeps an
 * event that falls between two steps of a downsampled range; the ECC and retired-page counters only
 * grow, so their max is their value. With several metrics, the first one the exporter has wins.
 */
export const DCGM_HEALTH: readonly { field: HealthField; metrics: string[] }[] = [
  { field: 'xid', metrics: ['DCGM_FI_DEV_XID_ERRORS'] },
  { field: 'eccDbe', metrics: ['DCGM_FI_DEV_ECC_DBE_VOL_TOTAL'] },
  { field: 'eccSbe', metrics: ['DCGM_FI_DEV_ECC_SBE_VOL_TOTAL'] },
  { field: 'retired', metrics: ['DCGM_FI_DEV_RETIRED_DBE', 'DCGM_FI_DEV_RETIRED_PENDING', 'DCGM_FI_DEV_RETIRED_SBE'] },
  // Renamed in DCGM 3.3 (CLOCK_THROTTLE_REASONS → CLOCKS_EVENT_REASONS): whichever the exporter has.
  { field: 'throttle', metrics: ['DCGM_FI_DEV_CLOCK_THROTTLE_REASONS', 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS'] },
];

/** The health window: the step, but never under 30 s, so a window always holds a scrape. */
const healthWindowS = (stepS: number) => Math.max(30, Math.round(stepS));

/** Which GPUs: the run's hosts (exporter `Hostname`), or its Kubernetes pod(s) in a namespace. */
export interface DcgmScope {
  hosts?: string[];
  namespace?: string;
  pods?: string[];
}

/** Per GPU; per host (`by (Hostname)`); or one series for all the run's GPUs. */
export type DcgmLevel = 'gpu' | 'host' | 'all';

/** Beyond this many series a chart is a blur and the answer megabytes: aggregate in Prometheus. */
export const MAX_CHART_SERIES = 64;

/** The finest level whose series count stays within `max`: per GPU, else per host, else one. */
export function chooseLevel(gpus: number, hosts: number, max = MAX_CHART_SERIES): DcgmLevel {
  if (gpus <= max) return 'gpu';
  return hosts <= max ? 'host' : 'all';
}

/** A PromQL label matcher for `scope`, values escaped: `{Hostname=~"node\\-1|node\\-2"}`. */
export function dcgmSelector(scope: DcgmScope): string {
  const m: string[] = [];
  if (scope.hosts?.length) m.push(`Hostname=~"${scope.hosts.map(regexLiteral).join('|')}"`);
  if (scope.namespace) m.push(`namespace="${stringLiteral(scope.namespace)}"`);
  if (scope.pods?.length) m.push(`pod=~"${scope.pods.map(regexLiteral).join('|')}"`);
  return `{${m.join(',')}}`;
}

/** The instant query that counts the run's GPUs per host (its answer picks the level). */
export function dcgmCountQuery(scope: DcgmScope, lookbackS: number): string {
  return `count by (Hostname) (last_over_time(DCGM_FI_DEV_FB_USED${dcgmSelector(scope)}[${Math.max(60, Math.round(lookbackS))}s]))`;
}

/**
 * One query per field; the answers go to mergeDcgm and healthEvents. `level` aggregates the sample
 * fields server-side; `stepS` is the range step the health windows cover.
 */
export function dcgmQueries(scope: DcgmScope, level: DcgmLevel = 'gpu', stepS = 60): { field: Field; query: string }[] {
  const sel = dcgmSelector(scope);
  const out: { field: Field; query: string }[] = DCGM_METRICS.map(({ field, metric }) => ({
    field,
    query: level === 'gpu' ? `${metric}${sel}` : level === 'host' ? `${AGG[field]} by (Hostname) (${metric}${sel})` : `${AGG[field]}(${metric}${sel})`,
  }));
  const w = `[${healthWindowS(stepS)}s]`;
  for (const h of DCGM_HEALTH) {
    const parts = h.metrics.map((m) => `max_over_time(${m}${sel}${w})`);
    out.push({ field: h.field, query: `(${parts.join(' or ')}) > 0` });
  }
  return out;
}

const RE_SPECIAL = '\\^$.|?*+()[]{}-/';

/** A label value as an RE2 literal inside a PromQL double-quoted string (PromQL anchors =~ itself). */
function regexLiteral(v: string): string {
  let out = '';
  for (const c of v) out += RE_SPECIAL.includes(c) ? `\\\\${c}` : c === '"' ? '\\"' : c;
  return out;
}

function stringLiteral(v: string): string {
  let out = '';
  for (const c of v) out += c === '\\' ? '\\\\' : c === '"' ? '\\"' : c === '\n' ? '\\n' : c;
  return out;
}

interface SeriesLike {
  labels: Record<string, string>;
  points: [number, number][];
}

/** Where a series belongs: its host and GPU, or its host's / the run's aggregate (gpu -1). */
function whose(labels: Record<string, string>, level: DcgmLevel): { host: string; gpu: number } | undefined {
  if (level === 'all') return { host: 'all', gpu: -1 };
  const host = labels.Hostname ?? labels.instance ?? '?';
  if (level === 'host') return { host, gpu: -1 };
  const gpu = Number(labels.gpu);
  return labels.gpu !== undefined && Number.isInteger(gpu) ? { host, gpu } : undefined;
}

type Building = DcgmSample & { fbUsed?: number; fbFree?: number };

function setField(x: Building, field: SampleField, v: number): void {
  switch (field) {
    case 'util':
      x.util = v;
      break;
    case 'fbUsed':
      x.fbUsed = v;
      break;
    case 'fbFree':
      x.fbFree = v;
      break;
    case 'powerW':
      x.powerW = v;
      break;
    case 'tempC':
      x.tempC = v;
      break;
    case 'smClockMHz':
      x.smClockMHz = v;
      break;
    case 'smActive':
      x.smActivePct = v * 100;
      break;
    case 'tensorActive':
      x.tensorActivePct = v * 100;
      break;
    case 'dramActive':
      x.dramActivePct = v * 100;
      break;
    case 'nvlinkTx':
      x.nvlinkTxBps = v;
      break;
    case 'nvlinkRx':
      x.nvlinkRxBps = v;
      break;
  }
}

const isSampleField = (f: Field): f is SampleField => f in AGG;

/**
 * Joins the fields' series into one sample per GPU (or aggregate) and time, ordered by time.
 * `gpusOf` (host → GPU count, from dcgmCountQuery) labels aggregates with how many GPUs they stand for.
 */
export function mergeDcgm(answers: { field: Field; series: SeriesLike[] }[], level: DcgmLevel = 'gpu', gpusOf?: ReadonlyMap<string, number>): DcgmSample[] {
  // Per series, then per time: a Map of numbers, not one string key per point.
  const bySeries = new Map<string, Map<number, Building>>();
  let allGpus = 0;
  for (const n of gpusOf?.values() ?? []) allGpus += n;
  for (const { field, series } of answers) {
    if (!isSampleField(field)) continue;
    for (const s of series) {
      const who = whose(s.labels, level);
      if (!who) continue;
      const key = `${who.host}\0${who.gpu}`;
      let byT = bySeries.get(key);
      if (!byT) bySeries.set(key, (byT = new Map()));
      const gpus = level === 'all' ? allGpus : level === 'host' ? gpusOf?.get(who.host) : undefined;
      for (const [t, v] of s.points) {
        if (!Number.isFinite(v)) continue;
        let x = byT.get(t);
        if (!x) byT.set(t, (x = { t, host: who.host, gpu: who.gpu, ...(gpus ? { gpus } : {}), ...(s.labels.UUID && level === 'gpu' ? { uuid: s.labels.UUID } : {}) }));
        setField(x, field, v);
      }
    }
  }
  const out: DcgmSample[] = [];
  for (const byT of bySeries.values()) {
    for (const x of byT.values()) {
      const { fbUsed, fbFree, ...rest } = x;
      const s: DcgmSample = rest;
      if (fbUsed !== undefined) {
        s.memUsedMiB = fbUsed;
        // dcgm-exporter has no total: FB_USED + FB_FREE (+ reserved, not exported by default) is close.
        if (fbFree !== undefined) s.memTotalMiB = fbUsed + fbFree;
      }
      out.push(s);
    }
  }
  out.sort((a, b) => a.t - b.t || (a.host < b.host ? -1 : a.host > b.host ? 1 : a.gpu - b.gpu));
  return out;
}

/**
 * NVML's clock throttle ("clocks event") reasons, the bits of DCGM_FI_DEV_CLOCK_THROTTLE_REASONS /
 * DCGM_FI_DEV_CLOCKS_EVENT_REASONS (nvml.h, nvmlClocksThrottleReasons). Only the thermal and power
 * ones are health events; idle, application clocks, sync boost and display clocks are not.
 */
export const THROTTLE_REASONS: readonly { bit: number; name: string; health: boolean }[] = [
  { bit: 0x1, name: 'GPU idle', health: false },
  { bit: 0x2, name: 'applications clocks setting', health: false },
  { bit: 0x4, name: 'software power cap', health: true },
  { bit: 0x8, name: 'hardware slowdown', health: true },
  { bit: 0x10, name: 'sync boost', health: false },
  { bit: 0x20, name: 'software thermal slowdown', health: true },
  { bit: 0x40, name: 'hardware thermal slowdown', health: true },
  { bit: 0x80, name: 'hardware power brake slowdown', health: true },
  { bit: 0x100, name: 'display clock setting', health: false },
];

/** The thermal/power reasons in a bitmask, by name (empty: nothing a person needs to know). */
export function throttleHealth(mask: number): string[] {
  const m = Math.trunc(mask);
  // Bits above 2^31 do not survive `&`; the reasons that matter are all below 0x200.
  return THROTTLE_REASONS.filter((r) => r.health && m % (r.bit * 2) >= r.bit).map((r) => r.name);
}

/**
 * Health events from the health fields' answers: a GPU's XID code, its throttle reasons or its ECC
 * counts changing to something that matters. `last` carries each GPU's value per field between
 * polls, so one event is reported once.
 */
export function healthEvents(answers: { field: Field; series: SeriesLike[] }[], last: Map<string, number>): DcgmHealthEvent[] {
  const out: DcgmHealthEvent[] = [];
  for (const { field, series } of answers) {
    if (isSampleField(field)) continue;
    if (field === 'xid') {
      for (const e of xidEvents(series, last)) out.push({ ...e, kind: 'xid' });
      continue;
    }
    for (const s of series) {
      const who = whose(s.labels, 'gpu');
      if (!who) continue;
      const key = `${field}:${who.host}/${who.gpu}`;
      for (const [t, raw] of s.points) {
        if (!Number.isFinite(raw)) continue;
        const v = Math.round(raw);
        const seen = last.get(key);
        const prev = seen ?? 0;
        last.set(key, v);
        if (v <= 0) continue;
        if (field === 'throttle') {
          const reasons = throttleHealth(v);
          if (!reasons.length || throttleHealth(prev).join() === reasons.join()) continue;
          out.push({ t, ...who, kind: 'throttle', code: v, summary: `clocks throttled: ${reasons.join(', ')}` });
        } else if (v > prev) {
          // A counter: its first value is what the GPU has counted (volatile: since the driver loaded); then each rise.
          const what = field === 'eccDbe' ? 'double-bit ECC error' : field === 'eccSbe' ? 'single-bit ECC error' : 'retired memory page';
          const n = v - prev;
          out.push({ t, ...who, kind: 'ecc', code: n, summary: seen === undefined ? `${v} ${what}${v === 1 ? '' : 's'} (${field === 'retired' ? 'retired so far' : 'volatile count'})` : `+${n} ${what}${n === 1 ? '' : 's'} (${v} in all)` });
        }
      }
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

/**
 * XID events: DCGM_FI_DEV_XID_ERRORS holds the last XID a GPU reported, so an event is a change to
 * a non-zero value. `last` carries each GPU's value between calls (polls), so a code is reported once.
 */
export function xidEvents(series: SeriesLike[], last: Map<string, number>): XidEvent[] {
  const out: XidEvent[] = [];
  for (const s of series) {
    const host = s.labels.Hostname ?? s.labels.instance ?? '?';
    const gpu = Number(s.labels.gpu);
    if (!Number.isInteger(gpu)) continue;
    const key = `${host}/${gpu}`;
    for (const [t, v] of s.points) {
      if (!Number.isFinite(v)) continue;
      const prev = last.get(key) ?? 0;
      last.set(key, v);
      if (v !== 0 && v !== prev) {
        const meaning = xidMeaning(v);
        out.push({ t, host, gpu, code: v, summary: `XID ${v}${meaning ? ` (${meaning})` : ''}` });
      }
    }
  }
  return out.sort((a, b) => a.t - b.t);
}
