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
  host: string;
  gpu: number;
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
}

export interface XidEvent {
  t: number;
  host: string;
  gpu: number;
  code: number;
  summary: string;
}

type Field = 'util' | 'fbUsed' | 'fbFree' | 'powerW' | 'tempC' | 'smClockMHz' | 'smActive' | 'tensorActive' | 'dramActive' | 'xid';

export const DCGM_METRICS: readonly { field: Field; metric: string }[] = [
  { field: 'util', metric: 'DCGM_FI_DEV_GPU_UTIL' },
  { field: 'fbUsed', metric: 'DCGM_FI_DEV_FB_USED' },
  { field: 'fbFree', metric: 'DCGM_FI_DEV_FB_FREE' },
  { field: 'powerW', metric: 'DCGM_FI_DEV_POWER_USAGE' },
  { field: 'tempC', metric: 'DCGM_FI_DEV_GPU_TEMP' },
  { field: 'smClockMHz', metric: 'DCGM_FI_DEV_SM_CLOCK' },
  { field: 'smActive', metric: 'DCGM_FI_PROF_SM_ACTIVE' },
  { field: 'tensorActive', metric: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE' },
  { field: 'dramActive', metric: 'DCGM_FI_PROF_DRAM_ACTIVE' },
  { field: 'xid', metric: 'DCGM_FI_DEV_XID_ERRORS' },
];

/** Which GPUs: the run's hosts (exporter `Hostname`), or its Kubernetes pod(s) in a namespace. */
export interface DcgmScope {
  hosts?: string[];
  namespace?: string;
  pods?: string[];
}

/** A PromQL label matcher for `scope`, values escaped: `{Hostname=~"node\\-1|node\\-2"}`. */
export function dcgmSelector(scope: DcgmScope): string {
  const m: string[] = [];
  if (scope.hosts?.length) m.push(`Hostname=~"${scope.hosts.map(regexLiteral).join('|')}"`);
  if (scope.namespace) m.push(`namespace="${stringLiteral(scope.namespace)}"`);
  if (scope.pods?.length) m.push(`pod=~"${scope.pods.map(regexLiteral).join('|')}"`);
  return `{${m.join(',')}}`;
}

/** One query per field (the metric under the selector); the answers go to mergeDcgm. */
export function dcgmQueries(scope: DcgmScope): { field: Field; query: string }[] {
  const sel = dcgmSelector(scope);
  return DCGM_METRICS.map(({ field, metric }) => ({ field, query: `${metric}${sel}` }));
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

/** Joins the fields' series into one sample per GPU and time, ordered by time. */
export function mergeDcgm(answers: { field: Field; series: SeriesLike[] }[]): DcgmSample[] {
  const byKey = new Map<string, DcgmSample & { fbUsed?: number; fbFree?: number }>();
  for (const { field, series } of answers) {
    if (field === 'xid') continue;
    for (const s of series) {
      const host = s.labels.Hostname ?? s.labels.instance ?? '?';
      const gpu = Number(s.labels.gpu);
      if (!Number.isInteger(gpu)) continue;
      for (const [t, v] of s.points) {
        if (!Number.isFinite(v)) continue;
        const key = `${t}\0${host}\0${gpu}`;
        let x = byKey.get(key);
        if (!x) byKey.set(key, (x = { t, host, gpu, ...(s.labels.UUID ? { uuid: s.labels.UUID } : {}) }));
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
        }
      }
    }
  }
  const out: DcgmSample[] = [];
  for (const x of byKey.values()) {
    const { fbUsed, fbFree, ...rest } = x;
    const s: DcgmSample = rest;
    if (fbUsed !== undefined) {
      s.memUsedMiB = fbUsed;
      // dcgm-exporter has no total: FB_USED + FB_FREE (+ reserved, not exported by default) is close.
      if (fbFree !== undefined) s.memTotalMiB = fbUsed + fbFree;
    }
    out.push(s);
  }
  out.sort((a, b) => a.t - b.t || (a.host < b.host ? -1 : a.host > b.host ? 1 : a.gpu - b.gpu));
  return out;
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
