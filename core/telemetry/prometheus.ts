// A small Prometheus HTTP API client for GPU metrics: PromQL instant and range queries
// (`/api/v1/query`, `/api/v1/query_range`) with a timeout, a bounded answer, and a clear kind for
// every failure (down, slow, unauthorized, bad query, server error) so the panel can say which.
// The bearer token comes from the editor's secret storage, never from a spec.
import * as http from 'node:http';
import * as https from 'node:https';

export interface PromTarget {
  /** Base URL, e.g. http://127.0.0.1:9090 or https://prometheus.example/prom. */
  url: string;
  token?: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

/** Why a query failed: `down` (no connection), `slow` (no answer in time), `unauthorized` (401/403), `bad-query` (400), `error` (anything else). */
export type PromFailureKind = 'down' | 'slow' | 'unauthorized' | 'bad-query' | 'error';

export interface PromFailure {
  ok: false;
  kind: PromFailureKind;
  message: string;
  status?: number;
}

export interface PromSeries {
  labels: Record<string, string>;
  /** [epoch ms, value]; NaN and ±Inf are kept as Prometheus sends them. */
  points: [number, number][];
}

export type PromResult = { ok: true; series: PromSeries[] } | PromFailure;

/** A request with no answer in this long is `slow` (then retried with backoff). */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The largest answer read (a 30-day range over 512 GPUs, downsampled, is a few MB). */
const MAX_BODY_BYTES = 64 << 20;

/** An instant query at `atMs` (default: the server's now). */
export function promQuery(t: PromTarget, query: string, atMs?: number, signal?: AbortSignal): Promise<PromResult> {
  const params = new URLSearchParams({ query });
  if (atMs !== undefined) params.set('time', (atMs / 1000).toFixed(3));
  return call(t, 'query', params, signal);
}

/** A range query; `stepS` from chooseStepS keeps each series at about `maxPoints`. */
export function promQueryRange(t: PromTarget, query: string, startMs: number, endMs: number, stepS: number, signal?: AbortSignal): Promise<PromResult> {
  const params = new URLSearchParams({ query, start: (startMs / 1000).toFixed(3), end: (endMs / 1000).toFixed(3), step: String(stepS) });
  return call(t, 'query_range', params, signal);
}

const NICE_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * The query step (seconds) that keeps a range at most `maxPoints` per series: the smallest "nice"
 * step at least range / maxPoints and at least `minStepS` (the scrape interval; finer is noise).
 * Downsampling on the query side means Prometheus, not the panel, thins a 30-day range.
 */
export function chooseStepS(startMs: number, endMs: number, maxPoints = 1000, minStepS = 1): number {
  const need = Math.max(minStepS, Math.max(0, endMs - startMs) / 1000 / Math.max(1, maxPoints));
  for (const s of NICE_STEPS_S) if (s >= need) return s;
  return Math.ceil(need / 86400) * 86400;
}

/** Retries a query on `down`, `slow` and server errors with exponential backoff; never on 401 or a bad query. */
export async function withBackoff(run: () => Promise<PromResult>, opts: { retries?: number; baseMs?: number; maxMs?: number; signal?: AbortSignal; onRetry?: (f: PromFailure, delayMs: number, attempt: number) => void } = {}): Promise<PromResult> {
  const retries = opts.retries ?? 3;
  let delay = opts.baseMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    const r = await run();
    if (r.ok || !isRetryable(r) || attempt > retries || opts.signal?.aborted) return r;
    opts.onRetry?.(r, delay, attempt);
    await sleep(delay, opts.signal);
    delay = Math.min(opts.maxMs ?? 60_000, delay * 2);
  }
}

export const isRetryable = (f: PromFailure) => f.kind === 'down' || f.kind === 'slow' || (f.kind === 'error' && (f.status === undefined || f.status >= 500));

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function call(t: PromTarget, endpoint: 'query' | 'query_range', params: URLSearchParams, signal?: AbortSignal): Promise<PromResult> {
  let url: URL;
  try {
    url = new URL(`${trimSlashes(t.url)}/api/v1/${endpoint}`);
  } catch {
    return Promise.resolve({ ok: false, kind: 'error', message: `not a URL: ${t.url.slice(0, 200)}` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.resolve({ ok: false, kind: 'error', message: `Prometheus URL must be http or https, not ${url.protocol}` });
  const body = params.toString();
  const timeoutMs = t.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: PromResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    // POST with a form body: long PromQL selectors stay out of the URL (Prometheus accepts both).
    const req = lib.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), accept: 'application/json', ...(t.token ? { authorization: `Bearer ${t.token}` } : {}) },
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, kind: 'slow', message: `no answer from ${url.host} in ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    const onAbort = () => {
      req.destroy();
      finish({ ok: false, kind: 'error', message: 'cancelled' });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const down = e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EHOSTUNREACH' || e.code === 'ECONNRESET' || e.code === 'EAI_AGAIN';
      finish({ ok: false, kind: down ? 'down' : 'error', message: `${url.host}: ${e.code ?? e.message}` });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy();
          finish({ ok: false, kind: 'error', message: `answer larger than ${MAX_BODY_BYTES >> 20} MB: narrow the range or the selector` });
        } else chunks.push(c);
      });
      res.on('error', (e) => finish({ ok: false, kind: 'error', message: e.message }));
      res.on('end', () => finish(interpret(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
    });
    req.end(body);
  });
}

interface ApiAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; values?: [number, string][]; value?: [number, string] }[] };
}

function interpret(status: number, text: string): PromResult {
  let j: ApiAnswer | undefined;
  try {
    j = JSON.parse(text) as ApiAnswer;
  } catch {
    j = undefined;
  }
  if (status === 401 || status === 403) return { ok: false, kind: 'unauthorized', status, message: `Prometheus refused the request (${status}${text ? `: ${firstLine(text)}` : ''}): check the token (Gantry: Set Prometheus Token)` };
  if (!j || j.status !== 'success') {
    const why = j?.error ? `${j.errorType ?? 'error'}: ${j.error}` : `HTTP ${status}${text ? `: ${firstLine(text)}` : ''}`;
    return { ok: false, kind: status === 400 || j?.errorType === 'bad_data' ? 'bad-query' : 'error', status, message: why.slice(0, 300) };
  }
  const series: PromSeries[] = [];
  for (const r of j.data?.result ?? []) {
    const raw = r.values ?? (r.value ? [r.value] : []);
    series.push({ labels: r.metric ?? {}, points: raw.map(([t, v]) => [Math.round(t * 1000), Number(v)]) });
  }
  return { ok: true, series };
}

function trimSlashes(u: string): string {
  let end = u.length;
  while (end > 0 && u[end - 1] === '/') end--;
  return u.slice(0, end);
}

const firstLine = (s: string) => s.split('\n', 1)[0].slice(0, 200);
