// Schema validation with ajv, and the translation of ajv's errors into problems a person can act
// on: one mistake, one problem, anchored where a person looks (a missing field on its parent's key,
// an unknown key on the key, a bad value on the value), with "did you mean" and certain fixes.
import * as generated from './generated/validators';
import type { GeneratedError } from './generated/validators';
import common from '../../schemas/common.schema.json';
import cluster from '../../schemas/cluster.schema.json';
import trainingjob from '../../schemas/trainingjob.schema.json';
import inferenceservice from '../../schemas/inferenceservice.schema.json';
import { anchorOf, firstKey, locate, type ParsedDoc, type SpecPath } from '../spec/parse';
import { SchemaIndex, placeholderFor, type JsonSchema } from '../spec/schemaNav';
import { nearest } from '../spec/suggest';
import { valueAt } from '../spec/valueAt';
import { insertKeyEdit, renameKeyEdit, yamlScalar } from '../spec/edit';
import type { Fix, Problem } from './problem';
import type { Kind } from '../spec/types';
import { quote } from './problem';

const SCHEMAS = [common, cluster, trainingjob, inferenceservice] as unknown as JsonSchema[];
const KIND_IDS: Record<Kind, string> = {
  Cluster: 'cluster.schema.json',
  TrainingJob: 'trainingjob.schema.json',
  InferenceService: 'inferenceservice.schema.json',
};

export const schemaIndex = new SchemaIndex(SCHEMAS, KIND_IDS);

// The validators are compiled from the schemas at build time (scripts/gen-validators.mjs).
type ErrorObject = GeneratedError & { data?: unknown; parentSchema?: unknown };

export function warmUpSchemas(): void {
  generated.Cluster({});
}

function pathOf(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => {
      const u = s.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(u) ? Number(u) : u;
    });
}

const fieldName = (path: SpecPath): string => {
  const p = path[0] === 'spec' && path.length > 1 ? path.slice(1) : path;
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('') || 'document';
};

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') return Number.isInteger(v) ? `the number ${v}` : `the number ${v}`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer (a whole number)',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
  null: 'null',
};

function typeList(t: unknown): string {
  const ts = Array.isArray(t) ? t : [t];
  const words = ts.map((x) => TYPE_WORDS[String(x)] ?? String(x));
  return words.length > 1 ? words.slice(0, -1).join(', ') + ' or ' + words[words.length - 1] : words[0];
}

function listValues(values: unknown[]): string {
  const shown = values.slice(0, 12).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return shown.join(', ') + (values.length > 12 ? `, … (${values.length} in all)` : '');
}

/** Drops the errors a person would not count as separate mistakes. */
function prune(errors: ErrorObject[]): ErrorObject[] {
  let errs = errors.filter((e) => e.keyword !== 'if' && e.keyword !== '$ref');
  // Composite keywords: keep the errors of the branch that came closest, or merge simple type/enum alternatives.
  const composites = errs.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  for (const c of composites) {
    const prefix = c.schemaPath + '/';
    const inside = errs.filter((e) => e.schemaPath.startsWith(prefix));
    const branches = new Map<string, ErrorObject[]>();
    for (const e of inside) {
      const b = e.schemaPath.slice(prefix.length).split('/')[0];
      branches.set(b, [...(branches.get(b) ?? []), e]);
    }
    const simple = inside.every((e) => e.instancePath === c.instancePath && ['type', 'enum', 'const'].includes(e.keyword));
    const oneOfRequired = inside.length > 1 && inside.every((e) => e.instancePath === c.instancePath && e.keyword === 'required');
    let keep: ErrorObject[];
    if (c.keyword === 'oneOf' && (c.params as { passingSchemas?: unknown }).passingSchemas) {
      keep = [c];
    } else if (oneOfRequired) {
      // "exactly one of a, b, c" written as anyOf/oneOf of required: one problem naming all.
      keep = [{ ...c, keyword: 'x-one-of-required', params: { names: inside.map((e) => (e.params as { missingProperty: string }).missingProperty) } }];
    } else if (simple || branches.size === 0) {
      keep = [{ ...c, keyword: 'x-alternatives', params: { errors: inside } }];
    } else {
      // The closest branch: the one whose errors are deepest and fewest.
      const score = (es: ErrorObject[]) => es.reduce((m, e) => Math.max(m, e.instancePath.length), 0) * 100 - es.length;
      keep = [...branches.values()].sort((a, b) => score(b) - score(a))[0];
    }
    const drop = new Set([c, ...inside]);
    errs = errs.filter((e) => !drop.has(e)).concat(keep.filter((e) => !errs.includes(e) || drop.has(e)));
  }
  // A value of the wrong type makes every other complaint about it (and beneath it) noise.
  // (A set of those places, each error's own place and its ancestors looked up in it: comparing every
  // error with every type error took 0.7 s for 1,700 list items with three mistakes each.)
  const typeAt = new Set(errs.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  if (typeAt.size) errs = errs.filter((e) => e.keyword === 'type' || !underAny(e.instancePath, typeAt));
  // Unique by place and complaint.
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Whether a JSON pointer or one of its ancestors (each '/'-separated prefix) is in `places`. */
function underAny(pointer: string, places: Set<string>): boolean {
  if (places.has(pointer)) return true;
  for (let i = pointer.lastIndexOf('/'); i >= 0; i = i === 0 ? -1 : pointer.lastIndexOf('/', i - 1)) if (places.has(pointer.slice(0, i))) return true;
  return false;
}

export interface SchemaContext {
  fileText: string;
  doc: ParsedDoc;
  kind: Kind;
}

export function validateSchema(ctx: SchemaContext): Problem[] {
  const validate = generated[ctx.kind];
  if (validate(ctx.doc.value)) return [];
  // Errors carry no data or schema (that would double the generated code): read both by path.
  const errors = prune(validate.errors ?? []);
  // The value at an error's place, looked up for the errors described only.
  const withData = (e: ErrorObject): ErrorObject => ({ ...e, data: valueAt(ctx.doc.value, pathOf(e.instancePath)) });
  const problems: Problem[] = [];
  const required = new Map<string, string[]>();
  // The schema at each instance path, looked up once: thousands of unknown keys share one parent.
  const schemas = new Map<string, JsonSchema | undefined>();
  const at = (pointer: string, path: SpecPath): JsonSchema | undefined => {
    if (!schemas.has(pointer)) schemas.set(pointer, schemaIndex.at(ctx.kind, path));
    return schemas.get(pointer);
  };
  let untold = 0;
  let firstUntold: ErrorObject | undefined;
  for (const e of errors) {
    if (e.keyword === 'required') {
      const k = e.instancePath;
      required.set(k, [...(required.get(k) ?? []), (e.params as { missingProperty: string }).missingProperty]);
      continue;
    }
    if (problems.length >= MAX_SCHEMA_PROBLEMS) {
      untold++;
      firstUntold ??= e;
      continue;
    }
    const p = translate(ctx, withData(e), at);
    if (p) problems.push(p);
  }
  let firstUntoldRequired: [SpecPath, string[]] | undefined;
  for (const [pointer, missing] of required) {
    if (problems.length < MAX_SCHEMA_PROBLEMS) problems.push(missingFields(ctx, pathOf(pointer), missing));
    else {
      untold++;
      firstUntoldRequired ??= [pathOf(pointer), missing];
    }
  }
  if (untold) {
    // One notice where the first untold problem is; what it says about that place is not repeated.
    const place = (firstUntold ? translate(ctx, withData(firstUntold), at) : undefined) ?? (firstUntoldRequired ? missingFields(ctx, ...firstUntoldRequired) : firstKey(ctx.doc));
    problems.push({
      code: 'schema-problems-limited',
      severity: 'error',
      message: `${untold} more schema problem${untold === 1 ? '' : 's'} in this document not described (the first of them is here): Gantry describes the first ${MAX_SCHEMA_PROBLEMS} of a document. Its other checks run once there are fewer.`,
      offset: place.offset,
      length: place.length,
    });
  }
  return problems;
}

/**
 * The schema problems described per document. Past it the rest are counted in one notice, so that a
 * document of thousands of mistakes (a pasted file, a generated list) costs the check of a few
 * hundred: each described problem looks up its place and its nearest known names. The editor shows
 * at most 500 problems per file (server/handlers/diagnostics.ts) in any case.
 */
export const MAX_SCHEMA_PROBLEMS = 200;

function missingFields(ctx: SchemaContext, path: SpecPath, missing: string[]): Problem {
  const { doc, fileText, kind } = ctx;
  // Anchor: the parent's key; at the top of a document, the `kind` key (or the first line).
  let span = path.length ? anchorOf(doc, path, 'key') : (locate(doc, ['kind']).key ?? firstKey(doc));
  if (span.length > 80) span = { offset: span.offset, length: 1 };
  const where = path.length ? ` in ${fieldName(path)}` : '';
  const names = missing.map((m) => `'${m}'`).join(', ');
  const message = missing.length === 1 ? `Missing required field ${names}${where}.` : `Missing required fields ${names}${where}.`;
  const fixes: Fix[] = [];
  const edits = missing.map((m) => insertKeyEdit(fileText, doc, path, m, placeholderFor(schemaIndex.at(kind, [...path, m])))).filter((x): x is NonNullable<typeof x> => !!x);
  if (edits.length === missing.length) {
    // Several inserts at one offset apply in order.
    fixes.push({ title: missing.length === 1 ? `Add '${missing[0]}'` : `Add ${names}`, edits, preferred: true });
  }
  return { code: 'schema-required', severity: 'error', message, ...span, fixes, path };
}

function translate(ctx: SchemaContext, e: ErrorObject, at: (pointer: string, path: SpecPath) => JsonSchema | undefined): Problem | undefined {
  const { doc } = ctx;
  const path = pathOf(e.instancePath);
  const field = fieldName(path);
  const ps = (at(e.instancePath, path) ?? {}) as JsonSchema;
  const valueSpan = () => anchorOf(doc, path, 'value');
  const base = { severity: 'error' as const, path };
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const keyPath = [...path, key];
      const span = locate(doc, keyPath).key ?? valueSpan();
      const allowed = Object.keys(ps.properties ?? {});
      // Only the allowed names are looked up in the mapping: a Set of its keys for each unknown key
      // made 10,000 unknown keys cost 10^8 insertions (87 s).
      const here = (valueAt(doc.value, path) ?? {}) as object;
      const guess = nearest(
        key,
        allowed.filter((a) => !Object.hasOwn(here, a)),
      );
      const fixes: Fix[] = [];
      const rename = guess ? renameKeyEdit(doc, keyPath, guess) : undefined;
      if (guess && rename) fixes.push({ title: `Change ${quote(key)} to '${guess}'`, edits: [rename], preferred: true });
      const where = path.length ? ` in ${field}` : '';
      const hint = guess ? ` Did you mean '${guess}'?` : allowed.length ? ` Known fields: ${listValues(allowed)}.` : '';
      return { ...base, code: 'schema-unknown-field', message: `Unknown field ${quote(key)}${where}.${hint}`, ...span, fixes, path: keyPath, ...(guess ? { shadows: [...path, guess] } : {}) };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const got = e.data;
      const guess =
        typeof got === 'string'
          ? nearest(
              got,
              allowed.filter((a): a is string => typeof a === 'string'),
            )
          : undefined;
      const span = valueSpan();
      const fixes: Fix[] = guess ? [{ title: `Change to '${guess}'`, edits: [{ ...span, newText: yamlScalar(guess) }], preferred: true }] : [];
      const hint = guess ? ` Did you mean '${guess}'?` : '';
      return { ...base, code: 'schema-enum', message: `${describeValue(got)} is not a valid ${field}.${hint} Allowed: ${listValues(allowed)}.`, ...span, fixes };
    }
    case 'const':
      return { ...base, code: 'schema-enum', message: `${field} must be ${yamlScalar((e.params as { allowedValue: unknown }).allowedValue)}, not ${describeValue(e.data)}.`, ...valueSpan() };
    case 'type':
      return { ...base, code: 'schema-type', message: `${field} must be ${typeList((e.params as { type: unknown }).type)}, not ${typeof e.data === 'string' ? 'text ' : ''}${describeValue(e.data)}.`, ...valueSpan() };
    case 'x-alternatives': {
      const inner = (e.params as { errors: ErrorObject[] }).errors;
      const types = inner
        .filter((i) => i.keyword === 'type')
        .map((i) => (i.params as { type: unknown }).type)
        .flat();
      const values = inner
        .filter((i) => i.keyword === 'enum')
        .flatMap((i) => (i.params as { allowedValues: unknown[] }).allowedValues)
        .concat(inner.filter((i) => i.keyword === 'const').map((i) => (i.params as { allowedValue: unknown }).allowedValue));
      const parts = [types.length ? typeList(types) : '', values.length ? `one of ${listValues(values)}` : ''].filter(Boolean).join(', or ');
      return { ...base, code: 'schema-type', message: `${field} must be ${parts || 'something else'}, not ${describeValue(e.data)}.`, ...valueSpan() };
    }
    case 'x-one-of-required': {
      const names = (e.params as { names: string[] }).names;
      const span = path.length ? anchorOf(doc, path, 'key') : valueSpan();
      return { ...base, code: 'schema-required', message: `${field} needs one of ${names.map((n) => `'${n}'`).join(', ')}.`, ...span };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = e.params as { comparison: string; limit: number };
      const cmp = { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' }[comparison] ?? comparison;
      // One of a unit is singular ("at least 1 token").
      const named = ps['x-gantry-unit'] ? String(ps['x-gantry-unit']) : '';
      const unit = named ? ` ${limit === 1 && named.endsWith('s') ? named.slice(0, -1) : named}` : '';
      return { ...base, code: 'schema-range', message: `${field} must be ${cmp} ${limit}${unit}, not ${String(e.data)}.`, ...valueSpan() };
    }
    case 'multipleOf':
      return { ...base, code: 'schema-range', message: `${field} must be a multiple of ${(e.params as { multipleOf: number }).multipleOf}, not ${String(e.data)}.`, ...valueSpan() };
    case 'pattern':
    case 'format': {
      const examples = (ps.examples ?? []).slice(0, 4).map((x) => String(x));
      const hint = ps['x-gantry-patternHint'] ? ` ${String(ps['x-gantry-patternHint'])}` : examples.length ? ` Examples: ${examples.join(', ')}.` : '';
      return { ...base, code: 'schema-format', message: `${describeValue(e.data)} is not a valid ${field}.${hint}`, ...valueSpan() };
    }
    case 'minLength':
      return { ...base, code: 'schema-format', message: e.data === '' ? `${field} must not be empty.` : `${field} is too short (at least ${(e.params as { limit: number }).limit} characters).`, ...valueSpan() };
    case 'maxLength':
      return { ...base, code: 'schema-format', message: `${field} is too long (at most ${(e.params as { limit: number }).limit} characters).`, ...valueSpan() };
    case 'minItems':
      return { ...base, code: 'schema-range', message: `${field} needs at least ${(e.params as { limit: number }).limit} item(s).`, ...valueSpan() };
    case 'maxItems':
      return { ...base, code: 'schema-range', message: `${field} allows at most ${(e.params as { limit: number }).limit} item(s).`, ...valueSpan() };
    case 'uniqueItems':
      return { ...base, code: 'schema-range', message: `${field} has duplicate items.`, ...valueSpan() };
    case 'minProperties':
    case 'maxProperties':
    case 'not':
    case 'oneOf':
    case 'anyOf': {
      const desc = ps.description ? ` ${ps.description.split('. ')[0].replace(/\.$/, '')}.` : '';
      return { ...base, code: 'schema-shape', message: `${field} is not written as expected.${desc}`, ...anchorOf(doc, path, 'key') };
    }
    default:
      return { ...base, code: 'schema', message: `${field}: ${e.message ?? 'invalid'}.`, ...valueSpan() };
  }
}

export { valueAt };
