// The schemas themselves: they compile (also in ajv's strict mode, so a misspelt keyword fails),
// reference each other correctly, document every field, close every object, and carry defaults
// and examples that are valid against the field they describe. They also describe exactly the
// fields of core/spec/types.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { KIND_SCHEMAS, ROOT, SCHEMA_FILES, loadSchemas, makeAjv, type Schema } from './helpers';

const schemas = loadSchemas();

interface Visit {
  file: string;
  pointer: string;
  node: Schema;
  /** The node is the value schema of a named property (a field a person writes). */
  isProperty: boolean;
}

/** Every subschema of every file, with its JSON pointer. */
function visitAll(): Visit[] {
  const out: Visit[] = [];
  const walk = (file: string, node: unknown, pointer: string, isProperty: boolean): void => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const s = node as Schema;
    out.push({ file, pointer, node: s, isProperty });
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(file, v, `${pointer}/properties/${k}`, true);
    for (const [k, v] of Object.entries(s.definitions ?? {})) walk(file, v, `${pointer}/definitions/${k}`, false);
    // `if` is skipped: its properties only test a value, they are not fields a person writes.
    for (const key of ['items', 'additionalProperties', 'not', 'then', 'else', 'propertyNames']) {
      if (s[key] && typeof s[key] === 'object') walk(file, s[key], `${pointer}/${key}`, false);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf']) (s[key] ?? []).forEach((v: unknown, i: number) => walk(file, v, `${pointer}/${key}/${i}`, false));
  };
  for (const [file, s] of schemas) walk(file, s, '', false);
  return out;
}

/** Resolves a node's $ref (one hop, relative to its file), keeping the annotations beside it. */
function resolved(file: string, node: Schema): { file: string; node: Schema } {
  let cur = node;
  let curFile = file;
  const siblings: Schema = {};
  for (let hops = 0; cur.$ref && hops < 8; hops++) {
    const { $ref, ...rest } = cur;
    Object.assign(siblings, { ...rest, ...siblings });
    const [target, pointer = ''] = String($ref).split('#');
    curFile = target || curFile;
    let next: any = schemas.get(curFile);
    for (const seg of pointer.split('/').filter(Boolean)) next = next?.[seg];
    assert.ok(next, `unresolved $ref ${$ref} in ${file}`);
    cur = next;
  }
  return { file: curFile, node: { ...cur, ...siblings } };
}

test('every schema compiles with ajv (strict: false), as the validator compiles them', () => {
  const ajv = makeAjv();
  for (const f of SCHEMA_FILES) assert.equal(typeof ajv.getSchema(f), 'function', f);
});

test('the schemas use no unknown keyword: they compile in strict mode once x-gantry-* keywords are declared', () => {
  const custom = new Set<string>();
  for (const v of visitAll()) for (const k of Object.keys(v.node)) if (k.startsWith('x-')) custom.add(k);
  for (const k of custom) assert.match(k, /^x-gantry-[a-zA-Z-]+$/, `custom keyword ${k} must be prefixed x-gantry-`);
  const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  // patternErrorMessage is VS Code's JSON-schema extension, read by yaml-language-server.
  ajv.addVocabulary([...custom, 'patternErrorMessage']);
  for (const s of schemas.values()) ajv.addSchema(s);
  for (const f of SCHEMA_FILES) assert.doesNotThrow(() => ajv.getSchema(f), f);
});

test('every pattern explains itself in words, the same for Gantry and for yaml-language-server', () => {
  for (const v of visitAll()) {
    if (!v.node.pattern) continue;
    const where = `${v.file}#${v.pointer}`;
    assert.ok(typeof v.node['x-gantry-patternHint'] === 'string', `${where}: x-gantry-patternHint`);
    assert.equal(v.node.patternErrorMessage, v.node['x-gantry-patternHint'], `${where}: patternErrorMessage`);
  }
});

test('$ids are the file names and every $ref resolves', () => {
  for (const [file, s] of schemas) {
    assert.equal(s.$id, file);
    assert.equal(s.$schema, 'http://json-schema.org/draft-07/schema#', file);
  }
  for (const v of visitAll()) if (v.node.$ref) resolved(v.file, v.node);
});

test('every field has a description', () => {
  const missing = visitAll()
    .filter((v) => v.isProperty || v.pointer.endsWith('/items') || v.pointer.endsWith('/additionalProperties'))
    .map((v) => ({ v, r: resolved(v.file, v.node).node }))
    .filter(({ r }) => typeof r.description !== 'string' || r.description.length < 8)
    .map(({ v }) => v)
    .map((v) => `${v.file}#${v.pointer}`);
  assert.deepEqual(missing, []);
});

test('every number says its unit (x-gantry-unit or a unit in parentheses in its description)', () => {
  const units = /\((count|elements|tokens|sequences|fraction|dimensionless|bits|GiB|GB\/s|Gbit\/s|TCP port number|port number|top-k, count)[;,)]/;
  const missing = visitAll()
    .filter((v) => v.isProperty)
    .map((v) => ({ v, r: resolved(v.file, v.node).node }))
    .filter(({ r }) => r.type === 'integer' || r.type === 'number')
    .filter(({ r }) => !r['x-gantry-unit'] && !units.test(r.description ?? '') && !r.enum)
    .map(({ v }) => `${v.file}#${v.pointer}`);
  assert.deepEqual(missing, []);
});

test('every object is closed (additionalProperties: false) unless it is a map or the kind dispatcher', () => {
  const open = visitAll()
    .filter((v) => v.node.type === 'object' && v.node.additionalProperties !== false)
    .filter((v) => typeof v.node.additionalProperties !== 'object') // maps: labels, annotations, env
    .filter((v) => !(v.file === 'gantry.schema.json' && v.pointer === ''))
    .map((v) => `${v.file}#${v.pointer}`);
  assert.deepEqual(open, []);
});

test('every default and every example is valid against its own field', () => {
  const ajv = makeAjv();
  const bad: string[] = [];
  for (const v of visitAll()) {
    if (!v.isProperty && !v.pointer.startsWith('/definitions/')) continue;
    if (v.node.default === undefined && v.node.examples === undefined) continue;
    // Validate through a $ref to the field itself, so refs inside it resolve from its own file.
    const probe = ajv.compile({ $ref: `${v.file}#${v.pointer}` });
    for (const value of [...(v.node.default !== undefined ? [v.node.default] : []), ...((v.node.examples as unknown[]) ?? [])]) {
      if (!probe(value)) bad.push(`${v.file}#${v.pointer}: ${JSON.stringify(value)} — ${ajv.errorsText(probe.errors)}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('enums are non-empty and have no duplicates; bounds are ordered', () => {
  for (const v of visitAll()) {
    if (v.node.enum) {
      assert.ok(v.node.enum.length > 0, `${v.file}#${v.pointer}`);
      assert.equal(new Set(v.node.enum).size, v.node.enum.length, `${v.file}#${v.pointer}`);
    }
    const lo = v.node.minimum ?? v.node.exclusiveMinimum;
    const hi = v.node.maximum ?? v.node.exclusiveMaximum;
    if (lo !== undefined && hi !== undefined) assert.ok(lo < hi, `${v.file}#${v.pointer}`);
  }
});

test('the umbrella dispatches each kind to its schema and reports a missing or unknown kind once', () => {
  const validate = makeAjv().getSchema('gantry.schema.json')!;
  assert.equal(validate({ apiVersion: 'gantry/v1', metadata: { name: 'x' }, spec: {} }), false);
  assert.deepEqual(
    validate.errors!.map((e) => [e.instancePath, e.keyword]),
    [['', 'required']],
  );
  assert.equal(validate({ apiVersion: 'gantry/v1', kind: 'Job', metadata: { name: 'x' }, spec: {} }), false);
  assert.deepEqual(
    validate.errors!.map((e) => [e.instancePath, e.keyword]),
    [['/kind', 'enum']],
  );
  for (const kind of Object.keys(KIND_SCHEMAS)) {
    assert.equal(validate({ apiVersion: 'gantry/v1', kind, metadata: { name: 'x' }, spec: { bogus: 1 } }), false);
    const real = validate.errors!.filter((e) => e.keyword !== 'if');
    assert.ok(
      real.some((e) => e.instancePath === '/spec' && e.keyword === 'additionalProperties'),
      kind,
    );
  }
});

test('model: exactly one of preset, architecture, config (weights may go with any)', () => {
  const validate = makeAjv().compile({ $ref: 'common.schema.json#/definitions/modelRef' });
  const arch = { layers: 2, hidden: 64, heads: 4, ffn: 128, vocab: 100 };
  assert.equal(validate({ preset: 'llama-3-8b' }), true);
  assert.equal(validate({ architecture: arch, weights: '/ckpt' }), true);
  assert.equal(validate({ config: './config.json' }), true);
  assert.equal(validate({}), false);
  assert.equal(validate({ weights: 'x' }), false);
  assert.equal(validate({ preset: 'llama-3-8b', config: './config.json' }), false);
  assert.deepEqual(
    validate.errors!.map((e) => e.keyword),
    ['not'],
  );
  assert.equal(validate({ preset: 'a', architecture: arch, config: './c.json' }), false);
});

test('quantities and durations accept the documented forms and reject near misses', () => {
  const ajv = makeAjv();
  const quantity = ajv.compile({ $ref: 'common.schema.json#/definitions/quantity' });
  for (const ok of ['2TiB', '512GiB', '64G', '1.5TiB', '100Mi', '80GB', '4096MB']) assert.equal(quantity(ok), true, ok);
  for (const bad of ['2 TiB', '2tib', '2', 'TiB', '-1GiB', '2TiBs', '']) assert.equal(quantity(bad), false, bad);
  const duration = ajv.compile({ $ref: 'common.schema.json#/definitions/duration' });
  for (const ok of ['24h', '90m', '2d12h', '1h30m', '45s', '2d', '1-00:00:00', '1-12', '1-12:30', '12:00:00', '30:00']) assert.equal(duration(ok), true, ok);
  for (const bad of ['24hours', '1.5h', 'h', '90', '1d-2h', '24H', '', '12:0']) assert.equal(duration(bad), false, bad);
  const name = ajv.compile({ $ref: 'common.schema.json#/definitions/name' });
  for (const ok of ['a', 'h100-pod', '0abc', 'x'.repeat(63)]) assert.equal(name(ok), true, ok);
  for (const bad of ['H100', 'a_b', '-a', 'a-', 'a.b', 'x'.repeat(64), '']) assert.equal(name(bad), false, bad);
});

// ---------------------------------------------------------------- in step with core/spec/types.ts

/** Top-level keys of each `export interface X { … }` in types.ts (nested inline objects skipped). */
function interfaceKeys(source: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const re = /export interface (\w+)(?:<[^>]*>)? \{/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    let depth = 1;
    const keys: string[] = [];
    for (const line of source.slice(re.lastIndex).split('\n')) {
      const k = /^\s*(\w+)\??:/.exec(line);
      if (k && depth === 1) keys.push(k[1]);
      for (const c of line.replace(/\/\/.*$/, '')) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
      if (depth <= 0) break;
    }
    out.set(m[1], keys.sort());
  }
  return out;
}

test('the schemas describe exactly the fields of core/spec/types.ts', () => {
  const ifaces = interfaceKeys(readFileSync(join(ROOT, 'core/spec/types.ts'), 'utf8'));
  const def = (file: string, name: string): Schema => schemas.get(file)!.definitions[name];
  const pairs: [string, Schema][] = [
    ['Metadata', def('common.schema.json', 'metadata')],
    ['SshLogin', def('cluster.schema.json', 'sshLogin')],
    ['Scheduler', def('cluster.schema.json', 'scheduler')],
    ['GpuSpec', def('cluster.schema.json', 'gpu')],
    ['Interconnect', def('cluster.schema.json', 'interconnect')],
    ['ClusterSpec', def('cluster.schema.json', 'clusterSpec')],
    ['MoeArchitecture', def('common.schema.json', 'moe')],
    ['Architecture', def('common.schema.json', 'architecture')],
    ['ModelRef', def('common.schema.json', 'modelRef')],
    ['Parallelism', def('trainingjob.schema.json', 'parallelism')],
    ['Batch', def('trainingjob.schema.json', 'batch')],
    ['Finetune', def('trainingjob.schema.json', 'finetune')],
    ['Container', def('common.schema.json', 'container')],
    ['TrainingJobSpec', def('trainingjob.schema.json', 'trainingJobSpec')],
    ['InferenceServiceSpec', def('inferenceservice.schema.json', 'inferenceServiceSpec')],
  ];
  for (const [iface, schema] of pairs) {
    assert.ok(ifaces.has(iface), `types.ts has no interface ${iface}`);
    assert.deepEqual(Object.keys(schema.properties).sort(), ifaces.get(iface), `${iface} vs its schema`);
  }
  for (const [kind, file] of Object.entries(KIND_SCHEMAS)) {
    assert.deepEqual(Object.keys(schemas.get(file)!.properties).sort(), ifaces.get('SpecDocument'), kind);
  }
});
