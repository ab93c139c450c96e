// How full a serving engine's KV cache got while it ran: the periodic stats lines vLLM and SGLang
// print, read for their peak. Right-sizing (core/logs/rightSize.ts) sets the peak against the
// cache's capacity to say when a service asked for more GPUs than its traffic used.
//
// Recognised lines (docs/right-sizing.md; fixtures in test/fixtures/logs/*-stats.log):
//   vLLM V0  `Avg prompt throughput: 312.4 tokens/s, Avg generation throughput: 1204.8 tokens/s, Running: 12 reqs,
//            Swapped: 0 reqs, Pending: 0 reqs, GPU KV cache usage: 6.1%, CPU KV cache usage: 0.0%.`
//            (vllm/engine/metrics.py LoggingStatLogger)
//   vLLM V1  `Engine 000: Avg prompt throughput: …, Running: 12 reqs, Waiting: 0 reqs, GPU KV cache usage: 6.1%, …`
//            (vllm/v1/metrics/loggers.py LoggingStatLogger)
//   SGLang   `Decode batch. #running-req: 12, #token: 27300, token usage: 0.07, gen throughput (token/s): …`
//            (srt/managers/scheduler.py; `token usage` is a fraction of max_total_num_tokens)
//
// Like core/logs/measured.ts: indexOf and its number reader, no regular expression, lines already cut.
import { numberAfter, type Figure } from './measured';

export interface ServingUsage {
  /** The highest KV cache usage seen, in % of the cache's capacity, and the line it was on. */
  peakKvUsagePct: Figure;
  /** The most requests running at once. */
  peakRunning?: Figure;
  /** SGLang: the most KV tokens in use (`#token`). */
  peakKvTokens?: Figure;
  /** How many stats lines were read: a peak over a handful of lines says little. */
  samples: number;
}

export class UsageReader {
  private peak?: Figure;
  private running?: Figure;
  private tokens?: Figure;
  private samples = 0;

  add(line: string, n: number): void {
    if (line.includes('GPU KV cache usage: ')) {
      const pct = numberAfter(line, 'GPU KV cache usage: ');
      if (!pct || line[pct.end] !== '%') return;
      this.sample(pct.value, n, numberAfter(line, 'Running: '));
    } else if (line.includes('Decode batch.') && line.includes('token usage: ')) {
      const frac = numberAfter(line, 'token usage: ');
      if (!frac) return;
      this.sample(frac.value * 100, n, numberAfter(line, '#running-req: '));
      const t = numberAfter(line, '#token: ');
      if (t && (!this.tokens || t.value > this.tokens.value)) this.tokens = { value: t.value, line: n };
    }
  }

  private sample(pct: number, n: number, running: { value: number } | undefined): void {
    this.samples++;
    if (!this.peak || pct > this.peak.value) this.peak = { value: Math.round(pct * 10) / 10, line: n };
    if (running && (!this.running || running.value > this.running.value)) this.running = { value: running.value, line: n };
  }

  get usage(): ServingUsage | undefined {
    if (!this.peak) return undefined;
    return { peakKvUsagePct: this.peak, samples: this.samples, ...(this.running ? { peakRunning: this.running } : {}), ...(this.tokens ? { peakKvTokens: this.tokens } : {}) };
  }
}

export function readUsage(lines: Iterable<string>, firstLine = 0): ServingUsage | undefined {
  const r = new UsageReader();
  let n = firstLine;
  for (const l of lines) r.add(l, n++);
  return r.usage;
}
