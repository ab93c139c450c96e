// Helpers for the foreign-format tests: check a file as `gantry check` would (checkFile), apply a
// quick fix's edits to the text, and read the serving figures.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkFile, type FileCheck } from '../../../core/check/checkFile';
import type { ForeignDefaults } from '../../../core/formats/types';
import type { ServingEstimate } from '../../../core/estimate/types';
import type { TextEditAt } from '../../../core/validate/problem';
import { repo } from '../helpers';

export const GIB = 1024 ** 3;
export const FIXTURES = repo('test/fixtures/foreign/serving');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function checkText(text: string, fileName: string, defaults?: ForeignDefaults, readFile?: (p: string) => string | undefined): FileCheck {
  return checkFile(text, { fileName, defaults, readFile });
}

/** Applies edits (non-overlapping, in the offsets of `text`) from the last to the first. */
export function applyEdits(text: string, edits: TextEditAt[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}

export interface Figures {
  weightsGiB: number;
  kvTokens: number;
  maxConcurrency: number;
  gpu?: string;
}

export function figures(c: FileCheck, index = 0): Figures | undefined {
  const e = c.estimates.find((x) => x.docIndex === index)?.estimate as ServingEstimate | undefined;
  if (!e?.serving) return undefined;
  return { weightsGiB: e.serving.weightsBytes / GIB, kvTokens: e.serving.kvCacheTokens, maxConcurrency: e.serving.maxConcurrency, gpu: e.gpu?.id };
}

/** The text a problem or span underlines. */
export const under = (text: string, p: { offset: number; length: number }) => text.slice(p.offset, p.offset + p.length);
