// The panel's state and its pure reducer: `reduce(state, msg)` for every message from the host and
// for the person's own actions. No DOM here, so tests and the benchmark drive it in Node.
//
// One deliberate exception to immutability: a run's log is an append-only buffer (millions of lines
// would otherwise be copied on every batch). `reduce` appends to it and bumps `version`; nothing
// ever changes a line already in it, so a view can compare versions to know what to redraw.
import { assertNever, type CompareView, type GpuPoint, type HealthEvent, type HostMessage, type LogMark, type PanelConfig, type RunStateName, type RunView, type TelemetryStatus, type TrainPoint } from '../protocol/webview';

export class LogBuffer {
  lines: string[] = [];
  /** Per line: 0 stdout, 1 stderr. */
  streams = new Uint8Array(1024);
  /** Per line: rank + 1 (0 = no rank). */
  ranks = new Int32Array(1024);
  marks: LogMark[] = [];
  ranksSeen = new Set<number>();
  version = 0;
  /** Set when a batch did not start where the last one ended: lines were lost or repeated. */
  gap?: { expected: number; got: number };

  constructor(readonly runId: string) {}

  get length(): number {
    return this.lines.length;
  }

  append(start: number, chunks: { stream: 'stdout' | 'stderr'; rank?: number; lines: string[] }[], marks: LogMark[]): void {
    if (start !== this.lines.length && !this.gap) this.gap = { expected: this.lines.length, got: start };
    let n = this.lines.length;
    for (const c of chunks) n += c.lines.length;
    if (n > this.streams.length) {
      let cap = this.streams.length;
      while (cap < n) cap *= 2;
      const s = new Uint8Array(cap);
      s.set(this.streams);
      this.streams = s;
      const r = new Int32Array(cap);
      r.set(this.ranks);
      this.ranks = r;
    }
    for (const c of chunks) {
      const base = this.lines.length;
      const st = c.stream === 'stderr' ? 1 : 0;
      const rk = c.rank === undefined ? 0 : c.rank + 1;
      if (c.rank !== undefined) this.ranksSeen.add(c.rank);
      for (let i = 0; i < c.lines.length; i++) {
        this.lines.push(c.lines[i]);
        this.streams[base + i] = st;
        this.ranks[base + i] = rk;
      }
    }
    for (const m of marks) this.marks.push(m);
    this.version++;
  }
}

export interface LogViewState {
  follow: boolean;
  search: string;
  rank: number | 'all';
  stream: 'all' | 'stdout' | 'stderr';
  /** Show only lines that match the search. */
  onlyMatches: boolean;
}

export interface GpuSeries {
  key: string; // host/gpu
  host: string;
  gpu: number;
  points: GpuPoint[];
}

export interface PanelState {
  runs: RunView[];
  selectedId?: string;
  runFilter: RunStateName | 'all';
  log?: LogBuffer;
  logView: LogViewState;
  train: { runId?: string; points: TrainPoint[] };
  gpus: Record<string, GpuSeries>;
  /** The host whose GPUs the charts show ('all': every host). */
  gpuHost: string;
  telemetry: TelemetryStatus;
  config: PanelConfig;
  /** Bumped when GPU or training data change, for the charts. */
  chartVersion: number;
  /** GPU health events (XID…) of the shown run, oldest first, at most MAX_HEALTH_EVENTS. */
  health: HealthEvent[];
  /** Two runs side by side, while the comparison is open. */
  compare?: CompareView;
  /** The comparison shows the keys that are the same in both runs too. */
  compareAll: boolean;
}

/** Actions of the person in the panel (not sent to the host; see WebviewMessage for those). */
export type UiAction = { type: 'ui/compareClose' } | { type: 'ui/compareAll'; on: boolean } | { type: 'ui/select'; runId: string } | { type: 'ui/runFilter'; filter: RunStateName | 'all' } | { type: 'ui/gpuHost'; host: string } | { type: 'ui/logView'; patch: Partial<LogViewState> };

/** What the panel keeps through a reload (vscode.setState): choices, not data; data comes from the host. */
export interface PersistedState {
  selectedId?: string;
  runFilter?: RunStateName | 'all';
  logView?: Partial<LogViewState>;
  gpuHost?: string;
}

export function initialState(saved?: PersistedState): PanelState {
  return {
    runs: [],
    selectedId: saved?.selectedId,
    runFilter: saved?.runFilter ?? 'all',
    logView: { follow: true, search: '', rank: 'all', stream: 'all', onlyMatches: false, ...saved?.logView },
    train: { points: [] },
    gpus: {},
    gpuHost: saved?.gpuHost ?? 'all',
    telemetry: { state: 'off', source: 'live' },
    config: { windowMs: 5 * 60_000 },
    chartVersion: 0,
    health: [],
    compareAll: false,
  };
}

export function persisted(s: PanelState): PersistedState {
  return { selectedId: s.selectedId, runFilter: s.runFilter, logView: s.logView, gpuHost: s.gpuHost };
}

const MAX_TRAIN_POINTS = 200_000;
const MAX_HEALTH_EVENTS = 500;
/** Points per GPU series kept of a whole-run history (Prometheus sends ≤ 600, live polls add more). */
export const MAX_SERIES_POINTS = 2000;

/** Every other point of the older half, the newer half as it is: the series keeps its span and recent detail. */
export function thinOlderHalf<T>(pts: T[]): T[] {
  const half = pts.length >> 1;
  const out: T[] = [];
  for (let i = 0; i < half; i += 2) out.push(pts[i]);
  for (let i = half; i < pts.length; i++) out.push(pts[i]);
  return out;
}

/**
 * The panel's state after one message. Pure and deterministic: the time is an input (`now`, epoch
 * ms, which the panel passes as Date.now() and tests as any number), never read from a clock.
 */
export function reduce(state: PanelState, msg: HostMessage | UiAction, now: number): PanelState {
  switch (msg.type) {
    case 'batch': {
      let s = state;
      for (const m of msg.messages) s = reduce(s, m, now);
      return s;
    }
    case 'runs/snapshot': {
      const selectedId = msg.selectedId ?? (state.selectedId && msg.runs.some((r) => r.id === state.selectedId) ? state.selectedId : msg.runs[0]?.id);
      return { ...state, runs: sortRuns(msg.runs), selectedId, config: msg.config };
    }
    case 'run/state': {
      const byId = new Map(state.runs.map((r) => [r.id, r]));
      for (const r of msg.runs) byId.set(r.id, r);
      return { ...state, runs: sortRuns([...byId.values()]), selectedId: state.selectedId ?? msg.runs[0]?.id };
    }
    case 'run/show':
    case 'ui/select':
      if (state.selectedId === msg.runId && state.log?.runId === msg.runId) return state;
      return { ...state, selectedId: msg.runId, log: undefined, train: { points: [] }, health: [], logView: { ...state.logView, follow: true } };
    case 'log/reset':
      if (msg.runId !== state.selectedId) return state;
      return { ...state, log: new LogBuffer(msg.runId), train: { runId: msg.runId, points: [] } };
    case 'log/append': {
      if (msg.runId !== state.selectedId) return state;
      const log = state.log?.runId === msg.runId ? state.log : new LogBuffer(msg.runId);
      log.append(msg.start, msg.chunks, msg.marks);
      return { ...state, log };
    }
    case 'metrics/append': {
      if (msg.runId !== state.selectedId) return state;
      const prev = state.train.runId === msg.runId ? state.train.points : [];
      let points = prev.concat(msg.points);
      if (points.length > MAX_TRAIN_POINTS) points = points.slice(points.length - MAX_TRAIN_POINTS);
      return { ...state, train: { runId: msg.runId, points }, chartVersion: state.chartVersion + 1 };
    }
    case 'telemetry/append': {
      const gpus = { ...state.gpus };
      const whole = state.telemetry.wholeRun === true;
      const horizon = now - state.config.windowMs * 2;
      for (const p of msg.samples) {
        const key = `${p.host}/${p.gpu}`;
        const series = gpus[key] && gpus[key] === state.gpus[key] ? { ...gpus[key], points: gpus[key].points.slice() } : (gpus[key] ?? { key, host: p.host, gpu: p.gpu, points: [] });
        series.points.push(p);
        gpus[key] = series;
      }
      for (const k of Object.keys(gpus)) {
        const pts = gpus[k].points;
        if (whole) {
          // The run's whole history: bounded by halving the older half, never by dropping its start.
          if (pts.length > MAX_SERIES_POINTS) gpus[k] = { ...gpus[k], points: thinOlderHalf(pts) };
        } else if (pts.length && pts[0].t < horizon) {
          let i = 0;
          while (i < pts.length && pts[i].t < horizon) i++;
          gpus[k] = { ...gpus[k], points: pts.slice(i) };
        }
      }
      return { ...state, gpus, chartVersion: state.chartVersion + 1 };
    }
    case 'telemetry/status':
      return { ...state, telemetry: msg.status, ...(msg.status.state === 'starting' ? { gpus: {} } : {}), chartVersion: state.chartVersion + 1 };
    case 'health/append': {
      const health = state.health.concat(msg.events);
      return { ...state, health: health.length > MAX_HEALTH_EVENTS ? health.slice(health.length - MAX_HEALTH_EVENTS) : health };
    }
    case 'compare/show': {
      // The same pair again (a run ended, its figures were kept): keep the GPU histories already here.
      const prev = state.compare;
      if (!prev || prev.a.run.id !== msg.compare.a.run.id || prev.b.run.id !== msg.compare.b.run.id) return { ...state, compare: msg.compare };
      const keep = (next: CompareView['a'], old: CompareView['a']) => (next.gpu.length || old.gpu.length === 0 ? next : { ...next, gpu: old.gpu, gpuNote: old.gpuNote });
      return { ...state, compare: { ...msg.compare, a: keep(msg.compare.a, prev.a), b: keep(msg.compare.b, prev.b) } };
    }
    case 'compare/gpu': {
      const c = state.compare;
      if (!c) return state;
      const side = c.a.run.id === msg.runId ? 'a' : c.b.run.id === msg.runId ? 'b' : undefined;
      if (!side) return state;
      return { ...state, compare: { ...c, [side]: { ...c[side], gpu: msg.samples, gpuNote: msg.note } } };
    }
    case 'ui/compareClose':
      return { ...state, compare: undefined };
    case 'ui/compareAll':
      return { ...state, compareAll: msg.on };
    case 'ui/runFilter':
      return { ...state, runFilter: msg.filter };
    case 'ui/gpuHost':
      return { ...state, gpuHost: msg.host, chartVersion: state.chartVersion + 1 };
    case 'ui/logView':
      return { ...state, logView: { ...state.logView, ...msg.patch } };
    default:
      return assertNever(msg);
  }
}

function sortRuns(runs: RunView[]): RunView[] {
  return runs.sort((a, b) => b.submittedAt - a.submittedAt);
}

export function visibleRuns(s: PanelState): RunView[] {
  return s.runFilter === 'all' ? s.runs : s.runs.filter((r) => r.state === s.runFilter);
}

/**
 * The indices of the log lines the view shows under its rank/stream/search filters, or undefined
 * when every line shows (the common case costs nothing).
 */
export function filterLines(log: LogBuffer, v: LogViewState): Int32Array | undefined {
  const needle = v.onlyMatches && v.search ? v.search.toLowerCase() : '';
  if (v.rank === 'all' && v.stream === 'all' && !needle) return undefined;
  const out = new Int32Array(log.length);
  let n = 0;
  const wantRank = v.rank === 'all' ? -1 : v.rank + 1;
  const wantStream = v.stream === 'all' ? -1 : v.stream === 'stderr' ? 1 : 0;
  for (let i = 0; i < log.length; i++) {
    if (wantStream >= 0 && log.streams[i] !== wantStream) continue;
    if (wantRank >= 0 && log.ranks[i] !== wantRank) continue;
    if (needle && !log.lines[i].toLowerCase().includes(needle)) continue;
    out[n++] = i;
  }
  return out.subarray(0, n);
}

/** Lines per search block: full blocks are joined once and kept (the log is append-only). */
const SEARCH_BLOCK = 4096;
const blockCache = new WeakMap<LogBuffer, string[]>();

function blockText(log: LogBuffer, b: number): string {
  const from = b * SEARCH_BLOCK;
  const to = Math.min(log.length, from + SEARCH_BLOCK);
  if (to - from < SEARCH_BLOCK) return log.lines.slice(from, to).join('\n');
  let cache = blockCache.get(log);
  if (!cache) blockCache.set(log, (cache = []));
  return (cache[b] ??= log.lines.slice(from, to).join('\n'));
}

/** Joins full search blocks ahead of the first search, for up to `budgetMs`; true when all are done. */
export function warmSearch(log: LogBuffer, budgetMs: number): boolean {
  const t0 = performance.now();
  const full = Math.floor(log.length / SEARCH_BLOCK);
  for (let b = 0; b < full; b++) {
    if (blockCache.get(log)?.[b] !== undefined) continue;
    blockText(log, b);
    if (performance.now() - t0 > budgetMs) return false;
  }
  return true;
}

/**
 * Indices of lines containing `needle` (case-insensitive), within `among` when given. One regex
 * scan over blocks of joined lines is an order of magnitude faster than testing a million strings.
 */
export function searchLines(log: LogBuffer, needle: string, among?: Int32Array): Int32Array {
  if (!needle) return new Int32Array(0);
  const re = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  const out: number[] = [];
  const blocks = Math.ceil(log.length / SEARCH_BLOCK);
  for (let b = 0; b < blocks; b++) {
    const text = blockText(log, b);
    let line = b * SEARCH_BLOCK;
    let pos = 0;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      for (let nl = text.indexOf('\n', pos); nl !== -1 && nl < m.index; nl = text.indexOf('\n', nl + 1)) line++, (pos = nl + 1);
      out.push(line);
      const next = text.indexOf('\n', m.index + Math.max(1, m[0].length));
      if (next < 0) break;
      re.lastIndex = pos = next + 1;
      line++;
    }
  }
  if (!among) return Int32Array.from(out);
  // Both are ascending: keep the hits that are among the shown rows.
  const kept: number[] = [];
  let j = 0;
  for (const h of out) {
    while (j < among.length && among[j] < h) j++;
    if (j < among.length && among[j] === h) kept.push(h);
  }
  return Int32Array.from(kept);
}

/**
 * The GPU series the charts show, in a stable order (host, then index), and the hosts to choose
 * from. A local run shows its own GPUs (CUDA_VISIBLE_DEVICES) when the sampler sees them; with
 * several hosts, `state.gpuHost` narrows to one (a host that is gone counts as 'all').
 */
export function gpuSeriesFor(state: PanelState, run: Pick<RunView, 'backend' | 'gpuIndices'> | undefined): { series: GpuSeries[]; hosts: string[]; host: string } {
  let series = Object.values(state.gpus);
  if (run?.backend === 'local' && run.gpuIndices?.length) {
    const mine = series.filter((x) => run.gpuIndices!.includes(x.gpu));
    if (mine.length) series = mine;
  }
  const hosts = [...new Set(series.map((x) => x.host))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const host = hosts.length > 1 && hosts.includes(state.gpuHost) ? state.gpuHost : 'all';
  if (host !== 'all') series = series.filter((x) => x.host === host);
  series.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.gpu - b.gpu));
  return { series, hosts, host };
}
