// Follows all the log files of one run (stdout, stderr, one pair per rank), including files the
// backend announces later, and stops once the run has ended and every file is read to its end.
// The CLI's `gantry logs -f` and the extension's panel host both read logs this way.
import type { RunStore } from './store';
import { isTerminal, type LogSource, type RunRecord } from './types';
import { followFile, type LogFollower } from '../logs/follow';

export interface RunLogsOptions {
  pollMs?: number;
  /** Per-file byte offsets to resume from (keyed by path). */
  offsets?: Record<string, number>;
  /** Called once, after the run ended and its files were drained. */
  onEnd?: (run: RunRecord) => void;
  maxLineChars?: number;
}

export interface RunLogs {
  offsets(): Record<string, number>;
  stop(): void;
}

export function followRunLogs(store: RunStore, runId: string, onLines: (source: LogSource, lines: string[]) => void, opts: RunLogsOptions = {}): RunLogs {
  const followers = new Map<string, LogFollower>();
  let stopped = false;
  let ended = false;

  const ensure = (run: RunRecord) => {
    for (const src of run.logs) {
      if (followers.has(src.path)) continue;
      followers.set(
        src.path,
        followFile(src.path, (lines) => onLines(src, lines), { offset: opts.offsets?.[src.path] ?? 0, pollMs: opts.pollMs ?? 200, maxLineChars: opts.maxLineChars }),
      );
    }
  };
  const check = (run: RunRecord) => {
    if (stopped || ended || run.id !== runId) return;
    ensure(run);
    if (isTerminal(run.state)) {
      ended = true;
      for (const f of followers.values()) f.drain(true);
      stop();
      opts.onEnd?.(run);
    }
  };
  const onChange = (run: RunRecord) => check(run);
  // Another process may own the run (a window finalizes it while the CLI follows): poll the record too.
  const timer = setInterval(
    () => {
      const run = store.get(runId);
      if (run) check(run);
    },
    Math.max(250, opts.pollMs ?? 200),
  );
  function stop() {
    stopped = true;
    clearInterval(timer);
    store.off('change', onChange);
    for (const f of followers.values()) f.stop();
  }
  store.on('change', onChange);
  const first = store.get(runId);
  if (first) check(first);
  return {
    offsets: () => Object.fromEntries([...followers].map(([p, f]) => [p, f.offset])),
    stop,
  };
}

/** A display prefix for a line from `source` when a run has several sources of one stream. */
export function sourceLabel(source: LogSource): string {
  return source.rank !== undefined ? `[rank ${source.rank}] ` : '';
}
