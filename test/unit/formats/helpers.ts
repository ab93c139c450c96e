// Helpers for the training-config readers' tests: a fixture checked the way the editor and the CLI
// check it (core/check/checkFile.ts), its quick fixes applied, and the estimate's figures.
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { checkFile, type FileCheck } from '../../../core/check/checkFile';
import type { ForeignDefaults } from '../../../core/formats/types';
import type { TrainingEstimate } from '../../../core/estimate/types';
import type { Fix, Problem, TextEditAt } from '../../../core/validate/problem';
import { repo } from '../helpers';

export const FIXTURES = repo('test/fixtures/foreign/training');
export const GIB = 1024 ** 3;

/** Reads a file named relative to `fileName` as the editor and CLI do: stat first, regular files only, 1 MB cap. */
export function reader(fileName: string): ((rel: string) => string | undefined) & { why: (rel: string) => string | undefined } {
  const resolve = (rel: string) => path.resolve(path.dirname(fileName), rel);
  const why = (rel: string): string | undefined => {
    try {
      const s = statSync(resolve(rel));
      if (!s.isFile()) return 'not a regular file';
      if (s.size > 1_000_000) return 'larger than 1 MB';
      return undefined;
    } catch {
      return 'no such file';
    }
  };
  return Object.assign((rel: string) => (why(rel) ? undefined : readFileSync(resolve(rel), 'utf8')), { why });
}

export function fixture(rel: string): { text: string; fileName: string } {
  const fileName = path.join(FIXTURES, rel);
  return { text: readFileSync(fileName, 'utf8'), fileName };
}

export function checkText(text: string, fileName: string, defaults?: ForeignDefaults, readFile = reader(fileName)): FileCheck {
  return checkFile(text, { fileName, readFile, defaults });
}

export function checkFixture(rel: string, defaults?: ForeignDefaults): FileCheck & { text: string; fileName: string } {
  const f = fixture(rel);
  return { ...checkText(f.text, f.fileName, defaults), ...f };
}

/** The one training estimate of a checked file. */
export function estimateOf(c: FileCheck): TrainingEstimate {
  if (c.estimates.length !== 1) throw new Error(`expected one estimate, got ${c.estimates.length}: ${c.problems.map((p) => `${p.code}: ${p.message}`).join('; ')}`);
  return c.estimates[0].estimate as TrainingEstimate;
}

export function figures(c: FileCheck): { gib: number; reservedGib: number; stepSeconds: number; tokensPerSecondPerGpu: number } {
  const e = estimateOf(c);
  return { gib: e.memory!.perGpu.deviceBytes / GIB, reservedGib: e.memory!.perGpu.reservedBytes / GIB, stepSeconds: e.time!.stepSeconds, tokensPerSecondPerGpu: e.time!.tokensPerSecondPerGpu };
}

/** Applies edits (non-overlapping; inserts at one offset keep their order). */
export function applyEdits(text: string, edits: TextEditAt[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.offset - a.e.offset || b.i - a.i);
  let out = text;
  for (const { e } of sorted) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}

export function fixNamed(p: Problem | undefined, start: string): Fix {
  const f = p?.fixes?.find((x) => x.title.startsWith(start));
  if (!f) throw new Error(`no fix '${start}…' among ${JSON.stringify(p?.fixes?.map((x) => x.title))}`);
  return f;
}

export const at = (text: string, p: { offset: number; length: number }) => text.slice(p.offset, p.offset + p.length);

export const within = (value: number, want: number, tolerance: number) => Math.abs(value - want) <= tolerance * want;
