// `gantry estimate <files>`: per-GPU memory, interconnect and step time of every TrainingJob and
// InferenceService in the files, as a table or --format json. Exit 0 ok, 1 when an estimate has an
// error finding (will not fit, bad input), 2 on bad usage or unreadable input.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkFile } from '../../core/check/checkFile';
import { parseSpecFile } from '../../core/spec/parse';
import { foreignDefaults } from '../../core/formats/context';
import { launcherDefaults } from '../../core/formats/launcherLink';
import { folderNames } from '../folderNames';
import { isGantryFile } from '../../core/validate/validate';
import { Workspace, pathToUri } from '../../core/workspace/workspace';
import { readerBeside } from '../../core/workspace/readBeside';
import { gpuOptionError, parseCommandArgs } from '../args';
import type { Finding, ServingEstimate, TrainingEstimate } from '../../core/estimate/index';
import type { Problem } from '../../core/validate/problem';
import { formatSeconds, grouped } from '../../core/estimate/format';

export const summary = 'estimate per-GPU memory, interconnect and step time (table or --format json)';

const USAGE = `usage: gantry estimate [options] <files…>

Estimates every TrainingJob and InferenceService in the files: peak memory allocated by tensors,
reserved by PyTorch's allocator and seen by nvidia-smi, the breakdown, KV cache (services),
communication and step time (jobs). A job's cluster: is looked up among the Cluster documents in the
files and under --workspace.

options:
  --format text|json   output (default text)
  --workspace DIR      where to look for Cluster documents (default: .)
  --gpu ID             the GPU (catalog id) foreign configs run on where neither they nor a
                       gantry.context.yaml beside them say (as for gantry check)
  --stdin-name NAME    the file name standard input ('-') stands for (default stdin.yaml)
  -v, --verbose        also print the assumptions
  -h, --help           this help

exit status: 0 ok, 1 an error (the same findings as gantry check: does not fit, bad input, unknown
cluster…; a document with errors is not estimated), 2 bad usage or unreadable file`;

const GIB = 1024 ** 3;

interface Options {
  format: 'text' | 'json';
  workspace: string;
  verbose: boolean;
  files: string[];
  stdinName?: string;
  gpu?: string;
}

function parseArgs(argv: string[]): Options | string {
  const a = parseCommandArgs(argv, {
    format: { type: 'string' },
    workspace: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
    'stdin-name': { type: 'string' },
    gpu: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if ('error' in a) return a.error;
  const { values: v } = a;
  if (v.help) return 'help';
  if (v.format !== undefined && v.format !== 'text' && v.format !== 'json') return '--format must be text or json';
  if (v.workspace === '') return '--workspace needs a folder';
  if (!a.positionals.length) return 'no files given';
  const gpuError = gpuOptionError(v.gpu);
  if (gpuError) return gpuError;
  return { format: v.format ?? 'text', workspace: v.workspace ?? '.', verbose: !!v.verbose, files: a.positionals, ...(v['stdin-name'] ? { stdinName: v['stdin-name'] } : {}), ...(v.gpu ? { gpu: v.gpu } : {}) };
}

export interface EstimateRecord {
  file: string;
  name: string;
  kind: string;
  summary: string;
  memory?: TrainingEstimate['memory'];
  serving?: ServingEstimate['serving'];
  interconnect?: TrainingEstimate['interconnect'];
  time?: TrainingEstimate['time'];
  /** `at`: for a foreign file, where the finding is in it (line:column), as `gantry check` puts it. */
  findings: (TrainingEstimate['findings'][number] & { at?: string })[];
  assumptions: string[];
  /** For a foreign file (a manifest, a script, a training config): what was read, and where (1-based lines and columns). */
  source?: { format: string; label: string; line: number; column: number; endLine: number; endColumn: number };
}

/** 1-based line and column of an offset range. */
function rangeIn(text: string, offset: number, length: number): { line: number; column: number; endLine: number; endColumn: number } {
  const at = (o: number) => {
    let line = 1;
    let start = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < o; i = text.indexOf('\n', i + 1)) line++, (start = i + 1);
    return { line, column: o - start + 1 };
  };
  const s = at(offset);
  const e = at(offset + length);
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function renderText(r: EstimateRecord, verbose: boolean): string {
  const out: string[] = [`${r.file}${r.source ? `:${r.source.line}` : ''}: ${r.kind} ${r.name}${r.source ? ` (${r.source.label})` : ''}`, `  ${r.summary}`];
  if (r.memory) {
    for (const [k, v] of Object.entries(r.memory.breakdown)) if (v > 0) out.push(`    ${pad(k, 24)} ${(v / GIB).toFixed(2).padStart(9)} GiB`);
    const p = r.memory.perGpu;
    out.push(`    ${pad('peak allocated', 24)} ${(p.allocatedBytes / GIB).toFixed(2).padStart(9)} GiB`);
    out.push(`    ${pad('peak reserved', 24)} ${(p.reservedBytes / GIB).toFixed(2).padStart(9)} GiB`);
    out.push(`    ${pad('device (nvidia-smi)', 24)} ${(p.deviceBytes / GIB).toFixed(2).padStart(9)} GiB`);
    out.push(`    ${pad('capacity', 24)} ${(r.memory.capacityBytes / GIB).toFixed(2).padStart(9)} GiB`);
  }
  if (r.serving) {
    const s = r.serving;
    out.push(
      `    KV cache ${(s.kvCacheBytes / GIB).toFixed(2)} GiB = ${grouped(s.kvCacheTokens)} tokens (${grouped(s.kvBytesPerToken)} B/token/GPU${s.stateBytesPerSequence ? ` on the full-attention layers + ${(s.stateBytesPerSequence / 2 ** 20).toFixed(2)} MiB of state per request` : ''}), max concurrency ${s.maxConcurrency.toFixed(2)} at ${s.maxModelLen} tokens`,
    );
  }
  if (r.time && r.interconnect) {
    const t = r.time;
    out.push(
      `    compute ${formatSeconds(t.computeSeconds)}, exposed comm ${formatSeconds(r.interconnect.exposedCommSeconds)}, step ${formatSeconds(t.stepSeconds)}, ${Math.round(t.tokensPerSecondPerGpu)} tokens/s/GPU, MFU ${(t.mfu * 100).toFixed(1)} %${t.totalSeconds ? `, ${formatSeconds(t.totalSeconds)} for ${t.totalTokens?.toExponential(2)} tokens` : ''}`,
    );
    for (const c of r.interconnect.collectives) out.push(`      ${pad(c.name, 52)} ${c.link.padEnd(15)} ${(c.bytesPerGpu / 1e9).toFixed(2).padStart(9)} GB/GPU/step ${c.seconds.toFixed(3).padStart(9)} s`);
  }
  for (const f of r.findings) {
    out.push(`  ${f.severity} ${f.code} (${f.at ?? f.path.join('.')}): ${f.message}`);
    for (const fix of f.fixes ?? []) out.push(`    fix: ${fix.title}`);
  }
  if (verbose) for (const a of r.assumptions) out.push(`  assumes: ${a}`);
  return out.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  if (o === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (typeof o === 'string') {
    process.stderr.write(`gantry estimate: ${o}\n\n${USAGE}\n`);
    return 2;
  }
  const texts = new Map<string, string>();
  const stdinName = o.stdinName ?? 'stdin.yaml';
  for (const f of o.files) {
    try {
      // '-': standard input, as the file --stdin-name names (its name helps recognise a format).
      if (f === '-') texts.set(stdinName, readFileSync(0, 'utf8'));
      else texts.set(f, readFileSync(f, 'utf8'));
    } catch (e) {
      process.stderr.write(`gantry estimate: cannot read ${f}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }
  // Clusters resolve as in the editor and `gantry check`: every Cluster under --workspace and in the
  // given files (the given files win).
  const ws = new Workspace();
  if (existsSync(o.workspace)) {
    const root = pathToUri(path.resolve(o.workspace));
    await ws.configure([root]);
    await ws.scan([root]);
  }
  for (const [f, text] of texts) {
    const uri = pathToUri(path.resolve(f));
    // Standard input is not on disk: its Clusters count as an open file's.
    if (f === stdinName) ws.updateOpen(uri, parseSpecFile(text));
    else if (!ws.scanned.has(uri)) await ws.readFromDisk(uri);
  }

  // The one check (core/check/checkFile.ts): the same findings and exit status as `gantry check`,
  // and no estimate for a document with errors.
  const records: EstimateRecord[] = [];
  let errors = 0;
  for (const [file, text] of texts) {
    const uri = pathToUri(path.resolve(file));
    const readFile = readerBeside(file);
    const defaults = isGantryFile(text, uri) ? undefined : launcherDefaults(uri, text, foreignDefaults(readFile, o.gpu ? { gpu: o.gpu } : {}), () => folderNames(path.resolve(file)), readFile);
    const c = checkFile(text, { fileName: uri, clusters: ws.clusters.scopedTo(uri), readFile, defaults });
    if (!c.gantry) {
      process.stderr.write(`${file}: skipped: not a Gantry spec\n`);
      continue;
    }
    for (const p of c.problems) {
      if (p.severity !== 'error') continue;
      errors++;
      if (c.estimates.some((e) => e.problems.includes(p))) continue; // shown with its estimate
      // Where `gantry check` puts it (file:line:column): a foreign file has no documents to count.
      const at = rangeIn(text, p.offset, p.length);
      process.stderr.write(`${file}:${at.line}:${at.column}: error ${p.code}: ${p.message}\n`);
    }
    for (const { estimate: e, docIndex, anchor, problems } of c.estimates) {
      // A foreign file's estimate is of the job its reader found there; it says where (the command's range).
      const foreign = c.foreign?.[docIndex];
      const v = (foreign ? foreign.job : c.docs[docIndex]?.value) as Record<string, unknown>;
      const name = String((v.metadata as { name?: unknown } | undefined)?.name ?? `#${docIndex}`);
      records.push({
        file,
        name,
        kind: String(v.kind),
        ...(foreign ? { source: { format: foreign.format, label: foreign.label, ...rangeIn(text, anchor.offset, anchor.length) } } : {}),
        summary: e.summary,
        memory: e.memory,
        serving: e.kind === 'InferenceService' ? e.serving : undefined,
        interconnect: e.kind === 'TrainingJob' ? e.interconnect : undefined,
        time: e.kind === 'TrainingJob' ? e.time : undefined,
        findings: foreign
          ? e.findings.map((f) =>
              inTheFile(
                f,
                problems.find((p) => p.code === f.code),
                text,
              ),
            )
          : e.findings,
        assumptions: e.assumptions,
      });
    }
  }
  if (o.format === 'json') process.stdout.write(JSON.stringify(records, wholeBytes, 2) + '\n');
  else process.stdout.write((records.length ? records.map((r) => renderText(r, o.verbose)).join('\n\n') : 'no TrainingJob or InferenceService estimated') + '\n');
  return errors ? 1 : 0;
}

/**
 * A finding on a foreign file as `gantry check` shows it (the one check placed it): at its place in
 * the file, in the file's terms, with only the fixes that can be written there.
 */
function inTheFile(f: Finding, placed: Problem | undefined, text: string): EstimateRecord['findings'][number] {
  if (!placed) return f;
  const r = rangeIn(text, placed.offset, placed.length);
  // Its fixes edit the file, not spec paths: their titles only (`gantry check --format json` has them with the file's own terms).
  return { ...f, message: placed.message, at: `${r.line}:${r.column}`, fixes: (placed.fixes ?? []).map((x) => ({ title: x.title, edits: [] })) };
}

/** JSON byte counts are whole bytes (the estimator's arithmetic leaves fractions). */
function wholeBytes(key: string, value: unknown): unknown {
  if (key === 'breakdown' && value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v) : v]));
  return typeof value === 'number' && /Bytes$/.test(key) ? Math.round(value) : value;
}
