// nvidia-smi's CSV query output, parsed. Field names change between drivers
// (`clocks_throttle_reasons.*` became `clocks_event_reasons.*` in driver 535) and a field a GPU
// lacks prints `[N/A]` or `[Not Supported]`, so the sampler first asks the driver which fields it
// knows (`--help-query-gpu`) and parses every value as "maybe absent".

export interface GpuSample {
  /** Epoch ms when the line arrived (the host clock of nvidia-smi may differ from ours). */
  t: number;
  host: string;
  gpu: number; // nvidia-smi index
  uuid?: string;
  name?: string;
  utilGpuPct?: number;
  utilMemPct?: number;
  memUsedMiB?: number;
  memTotalMiB?: number;
  powerW?: number;
  powerLimitW?: number;
  tempC?: number;
  memTempC?: number;
  smClockMHz?: number;
  memClockMHz?: number;
  /** Bit mask of clock event (throttle) reasons, e.g. 0x4 = SW power cap. */
  clockEventReasons?: number;
  pstate?: string;
  fanPct?: number;
}

type SampleKey = Exclude<keyof GpuSample, 't' | 'host'>;

/** The fields asked for, in order, with older names tried when the driver lacks the newer one. */
export const WANTED_FIELDS: { names: string[]; key: SampleKey; kind: 'int' | 'num' | 'str' | 'hex' }[] = [
  { names: ['index'], key: 'gpu', kind: 'int' },
  { names: ['uuid'], key: 'uuid', kind: 'str' },
  { names: ['name'], key: 'name', kind: 'str' },
  { names: ['utilization.gpu'], key: 'utilGpuPct', kind: 'num' },
  { names: ['utilization.memory'], key: 'utilMemPct', kind: 'num' },
  { names: ['memory.used'], key: 'memUsedMiB', kind: 'num' },
  { names: ['memory.total'], key: 'memTotalMiB', kind: 'num' },
  { names: ['power.draw', 'power.draw.instant'], key: 'powerW', kind: 'num' },
  { names: ['power.limit', 'enforced.power.limit'], key: 'powerLimitW', kind: 'num' },
  { names: ['temperature.gpu'], key: 'tempC', kind: 'num' },
  { names: ['temperature.memory'], key: 'memTempC', kind: 'num' },
  { names: ['clocks.sm', 'clocks.current.sm'], key: 'smClockMHz', kind: 'num' },
  { names: ['clocks.mem', 'clocks.current.memory'], key: 'memClockMHz', kind: 'num' },
  { names: ['clocks_event_reasons.active', 'clocks_throttle_reasons.active'], key: 'clockEventReasons', kind: 'hex' },
  { names: ['pstate'], key: 'pstate', kind: 'str' },
  { names: ['fan.speed'], key: 'fanPct', kind: 'num' },
];

/** Field names that `nvidia-smi --help-query-gpu` lists (each appears quoted: `"memory.used"`). */
export function parseHelpQueryGpu(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^"([a-z0-9_.]+)"/gim)) out.add(m[1]);
  // Aliases are listed on the same line: "clocks.sm" or "clocks.current.sm".
  for (const m of text.matchAll(/ or "([a-z0-9_.]+)"/gi)) out.add(m[1]);
  return out;
}

export interface QueryPlan {
  fields: string[]; // names passed to --query-gpu, in order
  keys: (SampleKey | undefined)[]; // what each column fills
  kinds: ('int' | 'num' | 'str' | 'hex')[];
  missing: SampleKey[]; // wanted but not offered by this driver
}

/** Chooses, for each wanted value, the first name this driver knows. `index` is always asked. */
export function planQuery(known: Set<string>): QueryPlan {
  const plan: QueryPlan = { fields: [], keys: [], kinds: [], missing: [] };
  for (const w of WANTED_FIELDS) {
    const name = w.names.find((n) => known.has(n)) ?? (w.key === 'gpu' ? 'index' : undefined);
    if (!name) {
      plan.missing.push(w.key);
      continue;
    }
    plan.fields.push(name);
    plan.keys.push(w.key);
    plan.kinds.push(w.kind);
  }
  return plan;
}

/** A value nvidia-smi prints when it has none: `[N/A]`, `N/A`, `[Not Supported]`, `[Unknown Error]`, `[Insufficient Permissions]`… */
export function isAbsent(v: string): boolean {
  return v === '' || v === 'N/A' || (v.startsWith('[') && v.endsWith(']'));
}

function parseValue(raw: string, kind: 'int' | 'num' | 'str' | 'hex'): string | number | undefined {
  const v = raw.trim();
  if (isAbsent(v)) return undefined;
  if (kind === 'str') return v;
  if (kind === 'hex') {
    const n = Number.parseInt(v, 16);
    return Number.isFinite(n) ? n : undefined;
  }
  // With `nounits` values are bare, but tolerate a unit (`81559 MiB`, `69.50 W`) in case it is left on.
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? (kind === 'int' ? Math.trunc(n) : n) : undefined;
}

/**
 * One CSV line (`--format=csv,noheader,nounits`) into a sample; undefined for a line that is not a
 * data row (a header, a message such as "No devices were found", the wrong column count).
 */
export function parseQueryLine(line: string, plan: QueryPlan, host: string, t: number): GpuSample | undefined {
  const cols = line.split(',');
  if (cols.length !== plan.fields.length) return undefined;
  const s: Partial<GpuSample> & { t: number; host: string } = { t, host };
  for (let i = 0; i < cols.length; i++) {
    const key = plan.keys[i];
    if (!key) continue;
    const v = parseValue(cols[i], plan.kinds[i]);
    if (v !== undefined) (s as Record<string, unknown>)[key] = v;
  }
  if (typeof s.gpu !== 'number') return undefined;
  return s as GpuSample;
}
