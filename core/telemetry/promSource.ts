// GPU samples of one run from Prometheus (dcgm-exporter): first the run's whole history, downsampled
// on the query side to about `maxPoints` per series, then the newest samples every `intervalMs`.
// Failures are states the panel shows (down, slow, refused token, bad query, missing series), with
// retries on a doubling backoff; a refused token stops polling until the token changes.
import { EventEmitter } from 'node:events';
import { chooseStepS, isRetryable, promQueryRange, type PromFailure, type PromTarget } from './prometheus';
import { dcgmQueries, mergeDcgm, xidEvents, type DcgmSample, type DcgmScope, type XidEvent } from './dcgm';

export type PromSourceState = { kind: 'starting' } | { kind: 'sampling'; message?: string } | { kind: 'error'; failure: PromFailure; retryInMs?: number; message: string } | { kind: 'stopped' };

export interface PromSourceOptions {
  target: PromTarget;
  scope: DcgmScope;
  /** History from here (the run's start), epoch ms. */
  sinceMs: number;
  /** Until here for an ended run; absent: follow. */
  untilMs?: number;
  intervalMs?: number;
  /** Points per series for the history (query-side downsampling). */
  maxPoints?: number;
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
  state: [PromSourceState];
}

export class PrometheusGpuSource extends EventEmitter<PromSourceEvents> {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private abort = new AbortController();
  /** The end of what has been fetched, epoch ms. */
  private fetchedTo?: number;
  private failures = 0;
  private readonly lastXid = new Map<string, number>();
  private _state: PromSourceState = { kind: 'starting' };
  /** Polls done (tests wait on this, not on time). */
  polls = 0;

  constructor(private readonly opts: PromSourceOptions) {
    super();
  }

  get state(): PromSourceState {
    return this._state;
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

  private async poll(): Promise<void> {
    if (this.stopped) return;
    const end = Math.min(this.opts.untilMs ?? Number.POSITIVE_INFINITY, this.now());
    const start = this.fetchedTo !== undefined ? this.fetchedTo + 1 : this.opts.sinceMs;
    const scrape = this.opts.scrapeStepS ?? 1;
    // History: downsampled to maxPoints; afterwards, the newest points at the scrape step.
    const step = this.fetchedTo === undefined ? chooseStepS(start, end, this.opts.maxPoints ?? 1000, scrape) : Math.max(scrape, Math.round((this.opts.intervalMs ?? 5000) / 1000));
    const queries = dcgmQueries(this.opts.scope);
    const answers = await Promise.all(queries.map((q) => promQueryRange(this.opts.target, q.query, start, end, step, this.abort.signal).then((r) => ({ field: q.field, r }))));
    this.polls++;
    if (this.stopped) return;
    const failed = answers.find((a) => !a.r.ok)?.r as PromFailure | undefined;
    if (failed) return this.onFailure(failed);
    this.failures = 0;
    const ok = answers.map((a) => ({ field: a.field, series: a.r.ok ? a.r.series : [] }));
    const samples = mergeDcgm(ok);
    const xid = xidEvents(ok.find((a) => a.field === 'xid')?.series ?? [], this.lastXid);
    this.fetchedTo = end;
    if (samples.length) this.emit('samples', samples);
    if (xid.length) this.emit('xid', xid);
    const anySeries = ok.some((a) => a.series.length);
    // No series at all for the run's GPUs is a state of its own: the exporter does not see them.
    this.setState({ kind: 'sampling', ...(anySeries ? {} : { message: `no DCGM series match ${queries[0].query.slice(queries[0].query.indexOf('{'))} yet` }) });
    if (this.opts.untilMs !== undefined && end >= this.opts.untilMs) return; // an ended run: its history is all there is
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
