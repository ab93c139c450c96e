// A large document is parsed in steps (core/spec/parse.ts parseChunkSteps), so the server's
// time-sliced check (server/handlers/publish.ts) can answer other requests between them: the
// steps give the same document, problems and value as yaml's own parseDocument, and a document
// near the 64 KB limit takes many steps rather than one.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { DocumentCache, locate, parseChunk, parseChunkSteps, parseSpecFile, STEP_CHARS, type ParsedDoc } from '../../../core/spec/parse';
import { YAML_OPTIONS } from '../../../core/spec/reparse';

const pad = (head: string, line: (i: number) => string, size = 60_000): string => {
  let t = head;
  for (let i = 0; t.length < size; i++) t += line(i);
  return t;
};

const INPUTS: Record<string, string> = {
  'a job with a long env': pad('apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: big\nspec:\n  cluster: local\n  env:\n', (i) => `    VAR_${i}: "value ${i}"\n`),
  'a syntax error in the middle': pad('apiVersion: gantry/v1\nkind: Cluster\nmetadata:\n  name: c\nspec:\n', (i) => (i === 900 ? '  bad: x: y\n  - item\n   odd\n' : `  k${i}: ${i}\n`)),
  'a flow sequence': pad('apiVersion: gantry/v1\nkind: Cluster\nspec: [', (i) => `${i}, `) + ']\n',
  'duplicate keys far apart': pad('a: 1\n', (i) => `k${i % 1500}: ${i}\n`),
  'anchors and aliases': pad('base: &b { x: 1, y: [1, 2, 3] }\nitems:\n', (i) => `  - *b\n  - &a${i} { n: ${i} }\n`),
  'two documents in one chunk': pad('a: 1\n--- \nb: 2\n', (i) => `k${i}: ${i}\n`),
  'tabs, comments and block scalars': pad('# head\nkey: |\n', (i) => (i % 50 === 0 ? `\tbad${i}: x\n` : `  line ${i} # c\n`)),
  'deep nesting': `${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
};

function run<T>(steps: Generator<void, T>): { value: T; yields: number } {
  let yields = 0;
  for (let r = steps.next(); ; r = steps.next(), yields++) if (r.done) return { value: r.value, yields };
}

const summary = (d: ParsedDoc) => ({
  start: d.start,
  end: d.end,
  index: d.index,
  value: d.value,
  problems: d.problems,
  empty: d.empty,
  errors: d.yaml.errors.map((e) => [e.code, e.pos, e.message]),
  warnings: d.yaml.warnings.map((e) => [e.code, e.pos, e.message]),
  text: show(d.yaml),
});
/** The document as text, or where its contents lie when it has errors (yaml will not stringify it). */
const show = (doc: ParsedDoc['yaml']): string => (doc.errors.length ? JSON.stringify(doc.contents?.range) : String(doc));

test('parseChunkSteps: the same document as yaml parseDocument, in many steps', () => {
  for (const [name, text] of Object.entries(INPUTS)) {
    assert.ok(text.length > STEP_CHARS, name);
    const stepped = run(parseChunkSteps(text, 7, 3));
    const once = parseChunk(text, 7, 3);
    if (name === 'deep nesting') {
      // Where the stack runs out depends on the stack depth of the caller: only the outcome is compared.
      for (const d of [stepped.value, once])
        assert.ok(
          d.problems.some((p) => p.code === 'yaml-too-deep'),
          name,
        );
      continue;
    }
    assert.deepEqual(summary(stepped.value), summary(once), name);
    const direct = parseDocument(text, { ...YAML_OPTIONS, uniqueKeys: false });
    assert.deepEqual(
      stepped.value.yaml.errors.filter((e) => e.code !== 'DUPLICATE_KEY').map((e) => [e.code, e.pos, e.message]),
      direct.errors.map((e) => [e.code, e.pos, e.message]),
      `${name}: errors as yaml's parseDocument`,
    );
    assert.equal(show(stepped.value.yaml), show(direct), `${name}: the same document`);
    assert.deepEqual(stepped.value.yaml.toJS({ maxAliasCount: -1 }), direct.toJS({ maxAliasCount: -1 }), name);
  }
  // Near the 64 KB limit: many steps, so no step holds the whole parse.
  assert.ok(run(parseChunkSteps(INPUTS['a job with a long env'], 0, 0)).yields >= 20);
  // A small document: one step, as before.
  assert.equal(run(parseChunkSteps('a: 1\n', 0, 0)).yields, 0);
});

test('DocumentCache.parseSteps yields inside a large document, and the cache is set only at the end', () => {
  const cache = new DocumentCache();
  const text = `${INPUTS['a job with a long env']}---\nkind: Cluster\n`;
  const steps = cache.parseSteps(text);
  steps.next();
  steps.next();
  // Dropped part-way: the next parse starts from nothing.
  const docs = cache.parse(text);
  assert.equal(docs.length, 2);
  assert.equal(cache.stats.parsed, 2 + 1, 'the dropped run parsed one, the full run two');
  const again = run(cache.parseSteps(text));
  assert.equal(again.yields, 0, 'unchanged documents are reused without steps');
});

test('locate in a large mapping (looked up by key, not scanned): the first of duplicate keys, numeric and quoted keys', () => {
  const keys = Array.from({ length: 60 }, (_, i) => `  k${i}: ${i}\n`).join('');
  const text = `spec:\n${keys}  k7: again\n  1: one\n  "quoted": q\n  k59: last\n`;
  const [doc] = parseSpecFile(text);
  const at = (p: (string | number)[]) => locate(doc, p);
  assert.equal(text.slice(at(['spec', 'k7']).value.offset).split('\n')[0], '7', 'the first k7');
  assert.equal(text.slice(at(['spec', 1]).value.offset).split('\n')[0], 'one');
  assert.equal(text.slice(at(['spec', 'quoted']).value.offset).split('\n')[0], 'q');
  assert.equal(text.slice(at(['spec', 'k59']).value.offset).split('\n')[0], '59');
  assert.equal(at(['spec', 'missing']).key?.offset ?? at(['spec', 'missing']).value.offset, at(['spec']).key?.offset ?? at(['spec']).value.offset, 'a missing key is reported on its parent');
});
