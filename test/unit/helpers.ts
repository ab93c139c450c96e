// One-line helpers for the core's tests: parse, validate, and find the span a path is written at.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseSpecFile, locate, type ParsedDoc, type SpecPath } from '../../core/spec/parse';
import { validateFile } from '../../core/validate/validate';
import { ClusterIndex, extractClusters } from '../../core/spec/clusters';
import type { Problem, TextEditAt } from '../../core/validate/problem';

function findRoot(): string {
  let d = __dirname;
  while (!existsSync(path.join(d, 'package.json')) || (existsSync(path.join(d, '..', 'package.json')) && d.includes(`${path.sep}out`))) {
    // A test bundled outside the repository (into a temporary folder) finds no package.json above it: the repository is where it runs.
    if (path.dirname(d) === d) return process.cwd();
    d = path.dirname(d);
  }
  return d;
}
const ROOT = findRoot();
export const repo = (...p: string[]) => path.resolve(ROOT, ...p);

export function clustersFrom(dir: string): ClusterIndex {
  const idx = new ClusterIndex();
  for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    idx.set(f, extractClusters(f, parseSpecFile(text)));
  }
  return idx;
}

export function check(text: string, opts: { fileName?: string; clusters?: ClusterIndex; readFile?: (p: string) => string | undefined } = {}): { problems: Problem[]; docs: ParsedDoc[] } {
  const docs = parseSpecFile(text);
  const fileName = opts.fileName ?? 'test.gantry.yaml';
  const clusters = opts.clusters ?? new ClusterIndex();
  clusters.set(fileName, extractClusters(fileName, docs));
  return { problems: validateFile(text, docs, { fileName, clusters, readFile: opts.readFile, generation: clusters.generation }), docs };
}

/** The text a problem is anchored on. */
export const at = (text: string, p: { offset: number; length: number }) => text.slice(p.offset, p.offset + p.length);

export function spanOf(doc: ParsedDoc, p: SpecPath, on: 'key' | 'value') {
  const l = locate(doc, p);
  return on === 'key' ? (l.key ?? l.value) : l.value;
}

export function applyEdits(text: string, edits: TextEditAt[]): string {
  // Apply from the end so offsets stay valid; equal offsets keep their order.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.offset - a.e.offset || b.i - a.i);
  let out = text;
  for (const { e } of sorted) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}

const madeDirs: string[] = [];

/** A fresh temporary folder (`prefix` + random), removed with everything in it when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (!madeDirs.length)
    process.on('exit', () => {
      for (const d of madeDirs) rmSync(d, { recursive: true, force: true });
    });
  madeDirs.push(dir);
  return dir;
}
