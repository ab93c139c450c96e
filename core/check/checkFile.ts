// The one check of a file, as `gantry check`, `gantry estimate`, the server's foreign files and the
// tests see it: a Gantry spec (apiVersion gantry/… or *.gantry.yaml) is checked as such; any other
// file goes to the foreign readers (core/formats), and one that none of them recognises is not
// Gantry's business (`gantry: false`).
import { isGantryFile } from '../validate/validate';
import { checkGantryText, type CheckFileOptions, type FileCheck } from './gantryText';
import { checkForeign, checkForeignSteps } from './foreign';
import type { ForeignDefaults } from '../formats/types';
import { CONTEXT_FILE, contextProblems } from '../formats/context';

export type { CheckFileOptions, FileCheck };
// The per-document step and its rule (no estimate for a document with errors), for the server.
export { checkDocCached, type DocCheck } from './gantryText';

export function checkFile(text: string, opts: CheckFileOptions & { defaults?: ForeignDefaults }): FileCheck {
  if (isGantryFile(text, opts.fileName)) return checkGantryText(text, opts);
  if (isContextFile(opts.fileName)) return checkContext(text, opts);
  return checkForeign(text, opts);
}

/** A `gantry.context.yaml`: what it tells Gantry about the foreign configs beside it (core/formats/context.ts). */
export function isContextFile(fileName: string | undefined): boolean {
  const name = fileName ?? '';
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1) === CONTEXT_FILE;
}

function checkContext(text: string, opts: CheckFileOptions): FileCheck {
  return { gantry: true, docs: [], problems: contextProblems(text, opts.clusters), estimates: [], invalid: new Set() };
}

/** `checkFile` in steps: a foreign file's check yields between its parts (checkForeignSteps); a Gantry spec's is one step. */
export function* checkFileSteps(text: string, opts: CheckFileOptions & { defaults?: ForeignDefaults }): Generator<void, FileCheck> {
  if (isGantryFile(text, opts.fileName)) return checkGantryText(text, opts);
  if (isContextFile(opts.fileName)) return checkContext(text, opts);
  return yield* checkForeignSteps(text, opts);
}

/** "2 errors, 3 warnings": the one summary line. */
export function summarize(problems: { severity: string }[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
