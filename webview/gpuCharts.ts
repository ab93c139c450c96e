// The GPU charts' render model: which series, their labels and colours, and one ChartSpec per chart,
// from the panel state alone (no DOM), so the benchmark and the tests build exactly what the panel
// draws. A whole-run history (Prometheus) spans the run from its start to its end or now; samples
// from nvidia-smi scroll in the configured window.
import type { CompareView, GpuPoint, RunView } from '../protocol/webview';
import type { ChartSpec, Series } from './chart';
import { gpuSeriesFor, type GpuSeries, type PanelState } from './state';

export interface GpuChartModel {
  series: GpuSeries[];
  hosts: string[];
  host: string;
  legend: { label: string; color: string }[];
  specs: [string, ChartSpec][];
  /** Points across every chart's series (what one redraw walks). */
  points: number;
  xMin: number;
  xMax: number;
}

export interface ChartColors {
  series: string[];
  muted: string;
  estimate: string;
}

/** A series' name: `GPU 3`, `node-1/3`, or an aggregate's `node-1 (8 GPUs)` / `all 512 GPUs`. */
export function seriesLabel(s: GpuSeries, oneHost: boolean): string {
  if (s.gpu < 0) {
    const n = s.points[s.points.length - 1]?.gpus;
    return s.host === 'all' ? `all ${n ?? ''} GPUs`.replace('  ', ' ') : `${s.host}${n ? ` (${n} GPUs)` : ' (mean)'}`;
  }
  return oneHost ? `GPU ${s.gpu}` : `${s.host}/${s.gpu}`;
}

/** The x range: the run's span for a whole-run history, else the rolling window (at least 30 s, from the first sample when later). */
export function chartRange(state: PanelState, run: Pick<RunView, 'startedAt' | 'submittedAt' | 'endedAt'> | undefined, now: number): { xMin: number; xMax: number } {
  let firstT = now;
  for (const s of Object.values(state.gpus)) if (s.points.length && s.points[0].t < firstT) firstT = s.points[0].t;
  if (state.telemetry.wholeRun && run) {
    const xMin = Math.min(run.startedAt ?? run.submittedAt, firstT);
    const xMax = Math.max(run.endedAt ?? now, xMin + 30_000);
    return { xMin, xMax };
  }
  const windowMs = Math.min(state.config.windowMs, Math.max(30_000, now - firstT));
  return { xMin: now - windowMs, xMax: now };
}

export function gpuChartModel(state: PanelState, run: RunView | undefined, now: number, colors: ChartColors): GpuChartModel {
  const { series, hosts, host } = gpuSeriesFor(state, run);
  const oneHost = host !== 'all' || hosts.length <= 1;
  const { xMin, xMax } = chartRange(state, run, now);
  const color = (i: number) => colors.series[i % colors.series.length];
  let points = 0;
  const mk = (pick: (p: GpuPoint) => number | undefined): Series[] =>
    series.map((s, i) => {
      const xs = new Float64Array(s.points.length);
      const ys: (number | undefined)[] = new Array(s.points.length);
      for (let j = 0; j < s.points.length; j++) {
        xs[j] = s.points[j].t;
        ys[j] = pick(s.points[j]);
      }
      points += s.points.length;
      return { label: seriesLabel(s, oneHost), color: color(i), xs, ys };
    });
  const legend = series.map((s, i) => ({ label: seriesLabel(s, oneHost), color: color(i) }));
  const specs: [string, ChartSpec][] = [];
  if (!series.length) return { series, hosts, host, legend, specs, points, xMin, xMax };
  const has = (f: (p: GpuPoint) => unknown) => series.some((s) => s.points.some((p) => f(p) !== undefined));
  const est = run?.estimatedDeviceBytesPerGpu;
  let totalMiB = 0;
  for (const s of series) totalMiB = Math.max(totalMiB, s.points[s.points.length - 1]?.memTotalMiB ?? 0);
  const totalGiB = totalMiB / 1024;
  const x = { xMin, xMax, xKind: 'time' as const };
  specs.push(['util', { title: 'GPU utilization', unit: '%', series: mk((p) => p.util), ...x, yMin: 0, yMax: 100 }]);
  // DCGM's profiling fields (Prometheus source): what nvidia-smi's "utilization" hides.
  if (has((p) => p.smActivePct)) {
    specs.push(['smActive', { title: 'SM activity (DCGM)', unit: '%', series: mk((p) => p.smActivePct), ...x, yMin: 0, yMax: 100 }]);
    specs.push(['tensorActive', { title: 'Tensor pipe activity (DCGM)', unit: '%', series: mk((p) => p.tensorActivePct), ...x, yMin: 0, yMax: 100 }]);
  }
  specs.push([
    'mem',
    {
      title: series.some((s) => s.gpu < 0) ? 'Memory used (largest GPU)' : 'Memory used',
      unit: 'GiB',
      series: mk((p) => (p.memUsedMiB === undefined ? undefined : p.memUsedMiB / 1024)),
      ...x,
      yMin: 0,
      refLines: [...(est ? [{ y: est / 2 ** 30, label: `estimate ${(est / 2 ** 30).toFixed(1)} GiB`, color: colors.estimate }] : []), ...(totalGiB ? [{ y: totalGiB, label: `total ${totalGiB.toFixed(0)} GiB`, color: colors.muted }] : [])],
    },
  ]);
  if (has((p) => p.nvlinkTxBps ?? p.nvlinkRxBps)) {
    specs.push(['nvlink', { title: 'NVLink TX+RX (DCGM)', unit: 'GB/s', series: mk((p) => (p.nvlinkTxBps === undefined && p.nvlinkRxBps === undefined ? undefined : ((p.nvlinkTxBps ?? 0) + (p.nvlinkRxBps ?? 0)) / 1e9)), ...x, yMin: 0 }]);
  }
  specs.push(['power', { title: 'Power', unit: 'W', series: mk((p) => p.powerW), ...x, yMin: 0 }]);
  specs.push(['temp', { title: 'Temperature', unit: '°C', series: mk((p) => p.tempC), ...x }]);
  specs.push(['sm', { title: 'SM clock', unit: 'MHz', series: mk((p) => p.smClockMHz), ...x, yMin: 0 }]);
  return { series, hosts, host, legend, specs, points, xMin, xMax };
}

/**
 * The comparison's charts: memory and utilisation of two runs over the time since each started
 * (seconds, minutes or hours), so runs of different days line up; each run's memory estimate as a dashed line.
 */
export function compareChartSpecs(view: CompareView, colors: ChartColors): [string, ChartSpec][] {
  const sides = [
    { s: view.a, name: `A ${view.a.run.name} (${view.a.run.id})`, color: colors.series[0] },
    { s: view.b, name: `B ${view.b.run.name} (${view.b.run.id})`, color: colors.series[1 % colors.series.length] },
  ];
  // One time unit for both runs: seconds, minutes or hours since each started, whichever reads best.
  let spanMs = 0;
  for (const { s } of sides) for (const p of s.gpu) spanMs = Math.max(spanMs, p.t - (s.run.startedAt ?? s.run.submittedAt));
  const [unitMs, unit] = spanMs < 120_000 ? [1000, 's'] : spanMs < 2 * 3_600_000 ? [60_000, 'min'] : [3_600_000, 'h'];
  const xMax = Math.max(spanMs / unitMs, 1);
  const mk = (pick: (p: GpuPoint) => number | undefined): Series[] =>
    sides.map(({ s, name, color }) => {
      const t0 = s.run.startedAt ?? s.run.submittedAt;
      return { label: name, color, xs: s.gpu.map((p) => (p.t - t0) / unitMs), ys: s.gpu.map(pick) };
    });
  const mem = mk((p) => (p.memUsedMiB === undefined ? undefined : p.memUsedMiB / 1024));
  const util = mk((p) => p.smActivePct ?? p.util);
  const smActive = sides.some(({ s }) => s.gpu.some((p) => p.smActivePct !== undefined));
  const notes = sides.map(({ s }) => s.gpuNote).filter(Boolean);
  const empty = notes.length ? notes.join(' · ') : 'no GPU history';
  const refLines = sides.flatMap(({ s, name, color }) => (s.run.estimatedDeviceBytesPerGpu ? [{ y: s.run.estimatedDeviceBytesPerGpu / 2 ** 30, label: `${name.slice(0, 1)} estimate ${(s.run.estimatedDeviceBytesPerGpu / 2 ** 30).toFixed(1)} GiB`, color }] : []));
  const x = { xMin: 0, xMax, xKind: 'step' as const };
  return [
    ['cmp-mem', { title: `Memory used, largest GPU (${unit} since start)`, unit: 'GiB', series: mem, ...x, yMin: 0, refLines, empty }],
    ['cmp-util', { title: `${smActive ? 'SM activity' : 'GPU utilization'}, mean of GPUs (${unit} since start)`, unit: '%', series: util, ...x, yMin: 0, yMax: 100, empty }],
  ];
}
