// GPU samples of one run from Prometheus (dcgm-exporter): first the run's whole history, downsampled
// on the query side to about `maxPoints` per series, then the newest samples every `intervalMs`.
// Failures are states the panel shows (down, slow, refused token, bad query, missing series), with
// retries on a doubling backoff; a refused token stops polling until the token changes.
import { EventEmitter, setMaxListeners } from 'node:events';
import { chooseStepS, isRetryable, promQuery, promQueryRange, type PromFailure, type PromTarget } from './prometheus';
import { chooseLevel, dcgmCountQuery, dcgmQueries, healthEvents, mergeDcgm, MAX_CHART_SERIES, type DcgmHealthEvent, type DcgmLevel, type DcgmSample, type DcgmScope, type XidEvent } from './dcgm';

export type PromSourceState = { kind: 'starting' } | { kind: 'sampling'; message?: string; level?: DcgmLevel; gpus?: number } | { kind: 'error'; failure: PromFailure; retryInMs?: number; message: string } | { kind: 'stopped' };

export interface PromSourceOptions {
  target: PromTarget;
  scope: DcgmScope;
  /** History from here (the run's start), epoch ms. */
  sinceMs: number;
  /** Until here for an ended run; absent: follow. */
  untilMs?: number;
  intervalMs?: number;
  /** Points per series for the history (query-side downsampling); default 600. */
  maxPoints?: number;
  /** More GPUs than this are aggregated in Prometheus (per host, or over all); default 64. */
  maxSeries?: number;
  /** The exporter's scrape interval, the finest step worth asking for (s). */
  scrapeStepS?: number;
  /** Backoff after a failure: first delay and cap. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** The clock (tests pass their own). */
  now?: () => number;
}

interface PromSourceEvents {
  samples: [DcgmSample[]];
  xid: [XidEvent[]];
  /** XID, ECC and thermal/power throttling events (the XIDs also go to `xid`). */
  health: [DcgmHealthEvent[]];
  state: [PromSourceState];
}

export class PrometheusGpuSource extends EventEmitter<PromSourceEvents> {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private abort = new AbortController();
  /** The end of what has been fetched, epoch ms. */
  private fetchedTo?: number;
  private failures = 0;
  private readonly lastHealth = new Map<string, number>();
  /** Chosen on the first poll from the GPU count, then kept (the series keep their keys). */
  private level?: DcgmLevel;
  private gpusOf?: Map<string, number>;
  private _state: PromSourceState = { kind: 'starting' };
  /** Polls done (tests wait on this, not on time). */
  polls = 0;

  constructor(private readonly opts: PromSourceOptions) {
    super();
    // One poll runs 16 queries in parallel on the one abort signal.
    setMaxListeners(64, this.abort.signal);
  }

  get state(): PromSourceState {
    return this._state;
  }

  /** True while a next poll is scheduled (a refused token leaves none: no error loop). */
  get scheduled(): boolean {
    return this.timer !== undefined && !this.stopped;
  }

  start(): void {
    this.setState({ kind: 'starting' });
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    this.setState({ kind: 'stopped' });
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Counts the run's GPUs per host and picks how finely to ask; a failure is the poll's failure. */
  private async chooseLevel(end: number, rangeMs: number): Promise<PromFailure | undefined> {
    const r = await promQuery(this.opts.target, dcgmCountQuery(this.opts.scope, Math.min(3600, rangeMs / 1000)), end, this.abort.signal);
    if (!r.ok) return r;
    this.gpusOf = new Map(r.series.map((s) => [s.labels.Hostname ?? '?', s.points[0]?.[1] ?? 0]));
    let gpus = 0;
    for (const n of this.gpusOf.values()) gpus += n;
    this.level = chooseLevel(gpus, this.gpusOf.size, this.opts.maxSeries ?? MAX_CHART_SERIES);
    return undefined;
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    const end = Math.min(this.opts.untilMs ?? Number.POSITIVE_INFINITY, this.now());
    const start = this.fetchedTo !== undefined ? this.fetchedTo + 1 : this.opts.sinceMs;
    const scrape = this.opts.scrapeStepS ?? 1;
    if (this.level === undefined) {
      const failed = await this.chooseLevel(end, end - this.opts.sinceMs);
      if (this.stopped) return;
      if (failed) {
        this.polls++;
        return this.onFailure(failed);
      }
    }
    const level = this.level ?? 'gpu';
    // History: downsampled to maxPoints; afterwards, the newest points at the scrape step.
    const step = this.fetchedTo === undefined ? chooseStepS(start, end, this.opts.maxPoints ?? 600, scrape) : Math.max(scrape, Math.round((this.opts.intervalMs ?? 5000) / 1000));
    const queries = dcgmQueries(this.opts.scope, level, step);
    const answers = await Promise.all(queries.map((q) => promQueryRange(this.opts.target, q.query, start, end, step, this.abort.signal).then((r) => ({ field: q.field, r }))));
    this.polls++;
    if (this.stopped) return;
    const failed = answers.find((a) => !a.r.ok)?.r as PromFailure | undefined;
    if (failed) return this.onFailure(failed);
    this.failures = 0;
    const ok = answers.map((a) => ({ field: a.field, series: a.r.ok ? a.r.series : [] }));
    const samples = mergeDcgm(ok, level, this.gpusOf);
    const health = healthEvents(ok, this.lastHealth);
    this.fetchedTo = end;
    if (samples.length) this.emit('samples', samples);
    if (health.length) {
      this.emit('health', health);
      const xid = health.filter((e) => e.kind === 'xid').map(({ kind: _k, ...e }) => ({ ...e, code: e.code ?? 0 }));
      if (xid.length) this.emit('xid', xid);
    }
    const anySeries = samples.length > 0 || (this.gpusOf?.size ?? 0) > 0;
    let gpus = 0;
    for (const n of this.gpusOf?.values() ?? []) gpus += n;
    // No series at all for the run's GPUs is a state of its own: the exporter does not see them.
    const sel = queries[0].query.slice(queries[0].query.indexOf('{'));
    this.setState({ kind: 'sampling', level, ...(gpus ? { gpus } : {}), ...(anySeries ? {} : { message: `no DCGM series match ${sel.slice(0, sel.indexOf('}') + 1)} yet` }) });
    if (this.opts.untilMs !== undefined && end >= this.opts.untilMs) return; // an ended run: its history is all there is
    // A run whose GPUs were not there at first (queued, exporter late) is counted again next time.
    if (!gpus) this.level = undefined;
    this.timer = setTimeout(() => void this.poll(), this.opts.intervalMs ?? 5000);
  }

  private onFailure(f: PromFailure): void {
    if (!isRetryable(f)) {
      // A refused token or a bad query does not get better by asking again.
      this.setState({ kind: 'error', failure: f, message: f.message });
      return;
    }
    this.failures++;
    const base = this.opts.backoffBaseMs ?? 1000;
    const delay = Math.min(this.opts.backoffMaxMs ?? 60_000, base * 2 ** (this.failures - 1));
    const what = f.kind === 'down' ? 'Prometheus is not reachable' : f.kind === 'slow' ? 'Prometheus is slow' : 'Prometheus failed';
    this.setState({ kind: 'error', failure: f, retryInMs: delay, message: `${what} (${f.message}); retrying in ${Math.max(1, Math.round(delay / 1000))} s` });
    this.timer = setTimeout(() => void this.poll(), delay);
  }

  private setState(s: PromSourceState): void {
    this._state = s;
    this.emit('state', s);
  }
}
