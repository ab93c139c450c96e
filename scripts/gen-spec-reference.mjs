#!/usr/bin/env node
// Generates docs/spec-reference.md from the JSON Schemas in schemas/, so the reference cannot drift
// from the structure the validator enforces. `--check` regenerates in memory and exits 1 when the
// file on disk differs (the unit test runs it that way); `--stdout` prints instead of writing.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'docs', 'spec-reference.md');
const FILES = ['common', 'cluster', 'trainingjob', 'inferenceservice', 'gantry'];
const KINDS = [
  ['Cluster', 'cluster.schema.json'],
  ['TrainingJob', 'trainingjob.schema.json'],
  ['InferenceService', 'inferenceservice.schema.json'],
];

function loadSchemas() {
  const byId = new Map();
  for (const f of FILES) {
    const s = JSON.parse(readFileSync(join(root, 'schemas', `${f}.schema.json`), 'utf8'));
    byId.set(s.$id, s);
  }
  return byId;
}

/** Resolves a $ref written in the schema file `baseId`; returns the target and the file it lies in. */
function resolveRef(byId, ref, baseId) {
  const [file, pointer = ''] = ref.split('#');
  const id = file || baseId;
  let node = byId.get(id);
  if (!node) throw new Error(`unresolved $ref ${ref} in ${baseId}`);
  for (const seg of pointer.split('/').filter(Boolean)) {
    node = node[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolved $ref ${ref} in ${baseId}`);
  }
  return { schema: node, id };
}

/** Follows $ref chains, keeping the annotations written beside each $ref (nearest wins). */
function deref(byId, schema, id) {
  let merged = {};
  let cur = schema;
  let curId = id;
  for (let hops = 0; cur.$ref && hops < 16; hops++) {
    const { $ref, ...siblings } = cur;
    merged = { ...siblings, ...merged };
    ({ schema: cur, id: curId } = resolveRef(byId, $ref, curId));
  }
  return { schema: { ...cur, ...merged }, id: curId };
}

const UNIT_WORDS = /\((count|elements|tokens|sequences|fraction|dimensionless|bits|GiB|TCP port number|port number|top-k, count)[;,)]/;

function unitOf(s) {
  if (s['x-gantry-unit']) return s['x-gantry-unit'];
  const m = UNIT_WORDS.exec(s.description ?? '');
  if (!m) return '';
  return m[1] === 'top-k, count' ? 'count' : m[1].replace(/^TCP /, '');
}

function typeOf(s) {
  if (s.type) return Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (s.enum) return [...new Set(s.enum.map((v) => typeof v))].join(' | ');
  return '';
}

const code = (v) => '`' + (typeof v === 'string' ? v : JSON.stringify(v)) + '`';

function allowedOf(s) {
  if (s.enum) return s.enum.map(code).join(', ');
  const parts = [];
  const lo = s.minimum !== undefined ? `≥ ${s.minimum}` : s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : '';
  const hi = s.maximum !== undefined ? `≤ ${s.maximum}` : s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : '';
  if (lo || hi) parts.push([lo, hi].filter(Boolean).join(', '));
  if (s['x-gantry-format']) parts.push(`${s['x-gantry-format']} (see Formats)`);
  else if (s.pattern) parts.push(`matches ${code(s.pattern)}`);
  if (s.minItems) parts.push(`at least ${s.minItems} item${s.minItems > 1 ? 's' : ''}`);
  if (s.uniqueItems) parts.push('no duplicates');
  if (s.maxLength && !s['x-gantry-format']) parts.push(`at most ${s.maxLength} characters`);
  return parts.join('; ');
}

const cell = (text) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

/** Rows for one schema node at `path`, then its children: objects, maps and arrays of objects. */
function rows(byId, schema, id, path, required, out) {
  const { schema: s, id: sid } = deref(byId, schema, id);
  const req = required ? 'yes' : '';
  let desc = s.description ?? '';
  if (s['x-gantry-exactly-one-of'] && !/exactly one of/i.test(desc)) desc += ` (Exactly one of ${s['x-gantry-exactly-one-of'].map(code).join(', ')}.)`;
  const type = s.type === 'array' && s.items ? `${typeOf(deref(byId, s.items, sid).schema)}[]` : typeOf(s);
  if (path) {
    out.push(`| ${code(path)} | ${cell(type)} | ${req} | ${cell(unitOf(s))} | ${s.default !== undefined ? code(s.default) : ''} | ${cell(allowedOf(s))} | ${cell(desc)} |`);
  }
  if (s.properties) {
    for (const [key, child] of Object.entries(s.properties)) {
      rows(byId, child, sid, path ? `${path}.${key}` : key, (s.required ?? []).includes(key), out);
    }
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    const name = s.propertyNames?.pattern?.startsWith('^[A-Za-z_]') ? '<NAME>' : '<key>';
    rows(byId, s.additionalProperties, sid, `${path}.${name}`, false, out);
  }
  if (s.type === 'array' && s.items) {
    const { schema: item } = deref(byId, s.items, sid);
    if (item.properties) rows(byId, s.items, sid, `${path}[]`, false, out);
  }
}

const HEADER = '| path | type | required | unit | default | allowed values | description |\n|---|---|---|---|---|---|---|';

export function generateSpecReference() {
  const byId = loadSchemas();
  const common = byId.get('common.schema.json');
  const out = [];
  out.push('<!-- Generated by scripts/gen-spec-reference.mjs from schemas/*.schema.json. Do not edit; run `node scripts/gen-spec-reference.mjs`. -->');
  out.push('');
  out.push('# Gantry spec reference (`gantry/v1`)');
  out.push('');
  out.push('Every Gantry document is YAML with four keys: `apiVersion: gantry/v1`, a `kind` (`Cluster`, `TrainingJob` or');
  out.push('`InferenceService`), `metadata` and `spec`. A file may hold many documents separated by `---`. Files named');
  out.push('`*.gantry.yaml`, or whose documents say `apiVersion: gantry/…`, are checked; other YAML is left alone.');
  out.push('');
  out.push('Other YAML tools can use the schemas too: add `# yaml-language-server: $schema=<path>/schemas/gantry.schema.json`');
  out.push('at the top of a file, or map `*.gantry.yaml` to it in the `yaml.schemas` setting.');
  out.push('');
  out.push('Columns: **path** from the document root (`a[]` is each item of the list `a`, `<NAME>`/`<key>` any key of a');
  out.push('map); **required** when the parent is present; **unit** of the number or string; **default** used when the field');
  out.push('is absent; **allowed values** (enums, bounds, formats). Rules that span fields — tensor × pipeline × data ×');
  out.push('context = nodes × gpusPerNode, heads and kvHeads divisible by tensor, layers by pipeline, global = micro × data ×');
  out.push('gradientAccumulation, references to clusters, GPUs and model presets — are checked by Gantry beyond the schemas.');
  out.push('');
  out.push('## Document header (all kinds)');
  out.push('');
  out.push(HEADER);
  const header = [];
  rows(byId, common.definitions.apiVersion, 'common.schema.json', 'apiVersion', true, header);
  rows(byId, byId.get('gantry.schema.json').properties.kind, 'gantry.schema.json', 'kind', true, header);
  rows(byId, common.definitions.metadata, 'common.schema.json', 'metadata', true, header);
  out.push(...header);
  for (const [kind, id] of KINDS) {
    const doc = byId.get(id);
    out.push('');
    out.push(`## ${kind}`);
    out.push('');
    out.push(`${doc.description} Schema: \`schemas/${id}\`.`);
    out.push('');
    out.push(HEADER);
    const body = [];
    rows(byId, doc.properties.spec, id, 'spec', true, body);
    out.push(...body);
  }
  out.push('');
  out.push('## Formats');
  out.push('');
  out.push('| format | meaning | examples | pattern |');
  out.push('|---|---|---|---|');
  for (const name of ['name', 'quantity', 'duration']) {
    const d = common.definitions[name];
    out.push(`| ${d['x-gantry-format']} | ${cell(d.description)} | ${cell(d.examples.map(code).join(', '))} | ${cell(code(d.pattern))} |`);
  }
  out.push('');
  return out.join('\n');
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = generateSpecReference();
  if (process.argv.includes('--stdout')) {
    process.stdout.write(text);
  } else if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUT, 'utf8');
    } catch {
      // A missing file is out of date too.
    }
    if (current !== text) {
      console.error('docs/spec-reference.md is out of date with schemas/; run: node scripts/gen-spec-reference.mjs');
      process.exit(1);
    }
    console.log('docs/spec-reference.md is up to date');
  } else {
    writeFileSync(OUT, text);
    console.log('wrote docs/spec-reference.md');
  }
}
