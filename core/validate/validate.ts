// Validation of a whole file: which documents are Gantry's, YAML problems, schema problems and
// semantic rules per document. Results are cached per document text (relative to the document's
// start), so an edit inside one document of a 200-document file re-checks only that document.
import { firstKey, type ParsedDoc } from '../spec/parse';
import { nearest } from '../spec/suggest';
import { API_VERSION, KINDS, type Kind } from '../spec/types';
import { validateSchema, valueAt } from './schema';
import { checkRules, type ClusterLookup } from './rules';
import { moveProblem, quote, type Problem } from './problem';
import { configProblems, configuredJob, placeOnJob } from '../formats/trainingConfig';

export interface ValidateOptions {
  /** File name or URI: a name ending in .gantry.yaml/.gantry.yml makes every document Gantry's. */
  fileName?: string;
  clusters?: ClusterLookup;
  readFile?: (relPath: string) => string | undefined;
  /** Bumped by the caller whenever clusters or files that rules read change; invalidates the cache. */
  generation?: number;
  /** Only YAML-level checks (a file past the full-check limits: limitProblem). */
  yamlOnly?: boolean;
}

export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Past these, a file gets only its YAML-level checks (syntax, aliases, nesting): schema, rules and estimates cost seconds there. */
export const FULL_CHECK_MAX_BYTES = 2 * 1024 * 1024;
export const FULL_CHECK_MAX_DOCS = 5000;

const GANTRY_NAME = /\.gantry\.ya?ml$/i;
const GANTRY_API = /^[ \t]*["']?apiVersion["']?[ \t]*:[ \t]*["']?gantry\//m;

/** A file is Gantry's when a document says `apiVersion: gantry/…` or its name ends in .gantry.yaml. */
export function isGantryFile(text: string, fileName = ''): boolean {
  return GANTRY_NAME.test(fileName) || GANTRY_API.test(text);
}

export function isGantryDoc(doc: ParsedDoc, fileName = ''): boolean {
  const v = doc.value as Record<string, unknown> | undefined;
  const api = v && typeof v === 'object' ? v.apiVersion : undefined;
  if (typeof api === 'string') return api.startsWith('gantry/') || GANTRY_NAME.test(fileName);
  if (GANTRY_NAME.test(fileName)) return true;
  // Unreadable YAML in a file that is otherwise Gantry's: report its syntax errors when it mentions gantry.
  return doc.value === undefined && GANTRY_API.test(doc.text);
}

export function docKind(doc: ParsedDoc): Kind | undefined {
  const k = (doc.value as Record<string, unknown> | undefined)?.kind;
  return typeof k === 'string' && (KINDS as readonly string[]).includes(k) ? (k as Kind) : undefined;
}

/** One document's problems as cached: offsets are those of the text they were computed on, where the document started at `start`. */
export interface DocProblems {
  readonly start: number;
  readonly problems: readonly Problem[];
}

interface CacheEntry extends DocProblems {
  generation: number;
  fileName: string;
  yamlOnly: boolean;
}

const cache = new WeakMap<ParsedDoc['yaml'], CacheEntry>();

/** The problem that stops per-document checks of a whole file: too large to check, or binary. */
export function fileProblem(text: string): Problem | undefined {
  if (text.length > MAX_FILE_BYTES) {
    return { code: 'file-too-large', severity: 'info', message: `This file is ${(text.length / 1048576).toFixed(1)} MB; Gantry checks files up to ${MAX_FILE_BYTES / 1048576} MB.`, offset: 0, length: 1 };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { code: 'binary-file', severity: 'error', message: 'This file holds binary data (NUL bytes), not YAML text.', offset: nul, length: 1 };
  return undefined;
}

/** The notice for a file past the full-check limits (it then gets YAML-level checks only), or undefined. */
export function limitProblem(text: string, docCount: number): Problem | undefined {
  const bytes = text.length > FULL_CHECK_MAX_BYTES;
  if (!bytes && docCount <= FULL_CHECK_MAX_DOCS) return undefined;
  const what = bytes ? `${(text.length / 1048576).toFixed(1)} MB (limit ${FULL_CHECK_MAX_BYTES / 1048576} MB)` : `${docCount} documents (limit ${FULL_CHECK_MAX_DOCS})`;
  return { code: 'file-checks-limited', severity: 'info', message: `This file is too large for full checks: ${what}. Gantry checks only its YAML here (syntax, aliases, nesting).`, offset: 0, length: 1 };
}

export function validateFile(text: string, docs: ParsedDoc[], opts: ValidateOptions = {}): Problem[] {
  const stop = fileProblem(text);
  if (stop) return [stop];
  const out: Problem[] = [];
  const limited = limitProblem(text, docs.length);
  if (limited) {
    out.push(limited);
    opts = { ...opts, yamlOnly: true };
  }
  for (const doc of docs) {
    const hit = validateDocCached(text, doc, opts);
    for (const p of hit.problems) out.push(moveProblem(p, doc.start - hit.start, doc.index));
  }
  return out;
}

/**
 * The problems of one document, cached per document text (its `yaml`), cluster generation and file
 * name. The entry is returned as cached, in the offsets of the text it was computed on: a caller
 * shifts by `doc.start - entry.start` (or keeps its own results per entry, as the server does). An
 * edit inside one document of a 200-document file re-checks that document only.
 */
export function validateDocCached(text: string, doc: ParsedDoc, opts: ValidateOptions = {}): DocProblems {
  const fileName = opts.fileName ?? '';
  const generation = opts.generation ?? 0;
  const yamlOnly = !!opts.yamlOnly;
  const hit = cache.get(doc.yaml);
  if (hit && hit.generation === generation && hit.fileName === fileName && hit.yamlOnly === yamlOnly) return hit;
  const problems = validateDoc(text, doc, opts);
  for (const p of problems) p.docIndex = doc.index;
  const entry = { generation, fileName, yamlOnly, start: doc.start, problems };
  cache.set(doc.yaml, entry);
  return entry;
}

export function validateDoc(text: string, doc: ParsedDoc, opts: ValidateOptions = {}): Problem[] {
  const fileName = opts.fileName ?? '';
  if (doc.empty) return [];
  if (!isGantryDoc(doc, fileName)) return [];
  const problems: Problem[] = doc.problems.map((p) => ({ ...p }));
  // A document too large to parse (parse.ts MAX_DOC_BYTES) has nothing more to check.
  if (opts.yamlOnly || (problems.length === 1 && problems[0].code === 'document-too-large')) return problems;
  // An alias cycle is read as null where it closes (parse.ts): the rest of the document is still checked.
  if (problems.some((p) => p.severity === 'error' && p.code !== 'yaml-alias-cycle')) return problems;
  const value = doc.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ code: 'not-a-spec', severity: 'error', message: 'A Gantry document is a mapping with apiVersion, kind, metadata and spec.', offset: doc.start, length: Math.max(1, Math.min(doc.text.trimEnd().length, 80)) });
    return problems;
  }
  const v = value as Record<string, unknown>;
  const kind = docKind(doc);
  if (!kind) {
    problems.push(kindProblem(text, doc, v.kind));
    return problems;
  }
  const schemaProblems = validateSchema({ fileText: text, doc, kind });
  problems.push(...schemaProblems);
  // Past MAX_SCHEMA_PROBLEMS the rest were only counted: rules would read fields with untold mistakes.
  if (schemaProblems[schemaProblems.length - 1]?.code === 'schema-problems-limited') return problems;
  // Rules skip what the schema already flagged, so one mistake is one problem; every other rule still
  // runs (all problems in one pass). An unknown key that is a near miss of a field (`pipline`) holds
  // back the rules that read that field, whose real value is not known until the key is fixed.
  const flagged = new Set(schemaProblems.map((p) => (p.code === 'schema-unknown-field' ? (p.shadows ?? p.path ?? []) : (p.path ?? [])).join('.')));
  if (v.apiVersion !== API_VERSION) return problems;
  // A TrainingJob with `config:` is checked with its config file's values (core/formats/trainingConfig.ts).
  const configured = kind === 'TrainingJob' && !flagged.has('spec.config') ? configuredJob(v, opts.readFile) : undefined;
  if (configured) problems.push(...configProblems(configured, doc));
  const ruled = checkRules({ fileText: text, doc, kind, value: configured?.value ?? v, flagged, fileName, clusters: opts.clusters, readFile: opts.readFile });
  problems.push(...(configured ? ruled.map((p) => placeOnJob(p, doc, configured)) : ruled));
  return problems;
}

function kindProblem(text: string, doc: ParsedDoc, kind: unknown): Problem {
  const l = valueAt(doc.value, ['kind']) !== undefined ? locateKind(doc) : undefined;
  if (kind === undefined || !l) {
    return { code: 'schema-required', severity: 'error', message: `Missing required field 'kind': one of ${KINDS.join(', ')}.`, ...firstKey(doc), path: ['kind'] };
  }
  const guess = typeof kind === 'string' ? nearest(kind, KINDS) : undefined;
  return {
    code: 'schema-enum',
    severity: 'error',
    message: `Unknown kind ${quote(kind)}.${guess ? ` Did you mean '${guess}'?` : ''} Allowed: ${KINDS.join(', ')}.`,
    ...l,
    path: ['kind'],
    fixes: guess ? [{ title: `Change to '${guess}'`, edits: [{ ...l, newText: guess }], preferred: true }] : [],
  };
}

/** The value of the first top-level `kind:` line, up to a comment, trimmed: a scan of lines (a regex here backtracked quadratically on long runs of spaces). */
function locateKind(doc: ParsedDoc): { offset: number; length: number } | undefined {
  const text = doc.text;
  const isBlankChar = (c: number): boolean => c === 32 || c === 9 || c === 13;
  for (let line = 0; line < text.length; ) {
    let eol = text.indexOf('\n', line);
    if (eol < 0) eol = text.length;
    if (text.startsWith('kind', line)) {
      let i = line + 4;
      while (i < eol && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (text.charCodeAt(i) === 58 /* : */) {
        i++;
        while (i < eol && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
        if (i < eol && !isBlankChar(text.charCodeAt(i))) {
          const hash = text.indexOf('#', i + 1);
          let end = hash >= 0 && hash < eol ? hash : eol;
          while (end > i && isBlankChar(text.charCodeAt(end - 1))) end--;
          return { offset: doc.start + i, length: end - i };
        }
      }
    }
    line = eol + 1;
  }
  return undefined;
}

export { firstKey };
