// Completion, hover, cursor paths, edits and the per-document cache, on minimal inline specs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpecFile, splitDocuments, DocumentCache } from '../../../core/spec/parse';
import { cursorAt } from '../../../core/spec/cursor';
import { complete, hover } from '../../../core/spec/complete';
import { schemaIndex } from '../../../core/validate/schema';
import { isGantryFile, validateFile } from '../../../core/validate/validate';
import { setValueEdit } from '../../../core/spec/edit';
import { applyEdits, check } from '../helpers';

const JOB = `apiVersion: gantry/v1
kind: TrainingJob
metadata:
  name: j
spec:
  cluster: pod
  resources: { nodes: 1, gpusPerNode: 8 }
  model:
    preset: llama-3-8b
  precision: bf16-mixed
  parallelism:
    tensor: 2
    data: 4
  batch:
    micro: 1
    sequenceLength: 4096
`;
const CLUSTER = `apiVersion: gantry/v1
kind: Cluster
metadata: { name: pod }
spec:
  nodes:
    count: 2
    gpu: { model: H100-SXM-80GB, count: 8 }
`;
const src = { schemas: schemaIndex, clusterNames: () => ['pod', 'other'], describeCluster: (n: string) => (n === 'pod' ? '**Cluster pod**' : undefined) };
/** Offset of the `|` marker, and the text without it. */
function marked(t: string): { text: string; offset: number } {
  const offset = t.indexOf('|');
  return { text: t.slice(0, offset) + t.slice(offset + 1), offset };
}

test('cursor: value position in a block mapping gives the full path', () => {
  const { text, offset } = marked(JOB.replace('tensor: 2', 'tensor: |2'));
  const c = cursorAt(text, parseSpecFile(text), offset)!;
  assert.deepEqual([c.path, c.position, c.word.text], [['spec', 'parallelism', 'tensor'], 'value', '2']);
});

test('cursor: key position inside a flow mapping', () => {
  const { text, offset } = marked(JOB.replace('gpusPerNode: 8 }', 'gpusPerNode: 8, cp| }'));
  const c = cursorAt(text, parseSpecFile(text), offset)!;
  assert.deepEqual([c.path, c.position, c.word.text], [['spec', 'resources'], 'key', 'cp']);
});

test('completion: precision values come from the schema enum, replacing the typed word', () => {
  const { text, offset } = marked(JOB.replace('precision: bf16-mixed', 'precision: bf|'));
  const items = complete(text, parseSpecFile(text), offset, src);
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('bf16-mixed') && labels.includes('fp8-mixed'), labels.join(','));
  assert.equal(text.slice(items[0].replace.offset, items[0].replace.offset + items[0].replace.length), 'bf');
});

test('completion: keys of parallelism exclude the ones present; GPU models and cluster names from catalogs', () => {
  const a = marked(JOB.replace('    data: 4\n', '    data: 4\n    |\n'));
  const keys = complete(a.text, parseSpecFile(a.text), a.offset, src).map((i) => i.label);
  assert.ok(keys.includes('pipeline') && keys.includes('zero') && !keys.includes('tensor'), keys.join(','));
  const b = marked(CLUSTER.replace('model: H100-SXM-80GB', 'model: H1|'));
  assert.ok(complete(b.text, parseSpecFile(b.text), b.offset, src).some((i) => i.label === 'H100-SXM-80GB'));
  const c = marked(JOB.replace('cluster: pod', 'cluster: |'));
  assert.deepEqual(
    complete(c.text, parseSpecFile(c.text), c.offset, src).map((i) => i.label),
    ['pod', 'other'],
  );
  const d = marked(JOB.replace('preset: llama-3-8b', 'preset: llama|'));
  assert.ok(complete(d.text, parseSpecFile(d.text), d.offset, src).some((i) => i.label === 'llama-3-8b'));
});

test('hover: description with unit on a key, architecture on a preset, summary on a cluster reference', () => {
  const a = marked(JOB.replace('sequenceLength', 'sequence|Length'));
  const h = hover(a.text, parseSpecFile(a.text), a.offset, src)!;
  assert.match(h.markdown, /sequenceLength/);
  assert.ok(h.markdown.length > 40);
  const b = marked(JOB.replace('preset: llama-3-8b', 'preset: llama-3|-8b'));
  const hb = hover(b.text, parseSpecFile(b.text), b.offset, src)!;
  assert.match(hb.markdown, /\| layers \| 32 \|/);
  const c = marked(JOB.replace('cluster: pod', 'cluster: p|od'));
  assert.match(hover(c.text, parseSpecFile(c.text), c.offset, src)!.markdown, /Cluster pod/);
});

test("foreign YAML is left alone; .gantry.yaml names make every document Gantry's", () => {
  const k8s = 'apiVersion: v1\nkind: Pod\nmetadata: { name: x }\nspec: { containers: [] }\n';
  assert.equal(isGantryFile(k8s, 'pod.yaml'), false);
  assert.deepEqual(validateFile(k8s, parseSpecFile(k8s), { fileName: 'pod.yaml' }), []);
  assert.equal(isGantryFile(k8s, 'pod.gantry.yaml'), true);
  assert.ok(validateFile(k8s, parseSpecFile(k8s), { fileName: 'pod.gantry.yaml' }).length > 0);
  // A Kubernetes document beside a Gantry one in a plain .yaml: only the Gantry one is checked.
  const mixed = `${k8s}---\n${CLUSTER}`;
  assert.deepEqual(check(mixed, { fileName: 'mixed.yaml' }).problems, []);
});

test('documents split at markers, each checked on its own, with offsets in the file', () => {
  const text = `${CLUSTER}---\n${JOB.replace('bf16-mixed', 'bf17')}---\n${JOB.replace('name: j', 'name: k').replace('tensor: 2', 'tensor: x')}`;
  assert.equal(splitDocuments(text).length, 3);
  const { problems } = check(text);
  assert.deepEqual(
    problems.map((p) => [p.code, p.docIndex, text.slice(p.offset, p.offset + p.length)]),
    [
      ['schema-enum', 1, 'bf17'],
      ['schema-type', 2, 'x'],
    ],
  );
});

test('the cache re-parses only the document that changed', () => {
  const docs = Array.from({ length: 50 }, (_, i) => JOB.replace('name: j', `name: j${i}`)).join('---\n');
  const cache = new DocumentCache();
  const first = cache.parse(docs);
  const edited = docs.replace('name: j25\n', 'name: j25x\n');
  const second = cache.parse(edited);
  const reused = second.filter((d, i) => d.yaml === first[i].yaml).length;
  assert.equal(reused, 49);
  assert.equal(second[30].start, first[30].start + 1);
});

test("setValueEdit replaces a scalar, or inserts a missing key with the parent's indentation", () => {
  const docs = parseSpecFile(JOB);
  const replaced = applyEdits(JOB, [setValueEdit(JOB, docs[0], ['spec', 'parallelism', 'tensor'], 4)!]);
  assert.match(replaced, /\n    tensor: 4\n/);
  const inserted = applyEdits(JOB, [setValueEdit(JOB, docs[0], ['spec', 'parallelism', 'zero'], 1)!]);
  assert.match(inserted, /\n    data: 4\n    zero: 1\n  batch:/);
  const nested = applyEdits(JOB, [setValueEdit(JOB, docs[0], ['spec', 'activationCheckpointing'], 'full')!]);
  assert.match(nested, /\n  activationCheckpointing: full\n$/);
  assert.deepEqual(
    check(nested).problems.filter((p) => p.severity === 'error' && p.code.startsWith('schema')),
    [],
  );
});

test('setValueEdit inserts into a flow mapping before its brace, in flow style; not where a comment or line break sits there', () => {
  const text = (line: string) => `apiVersion: gantry/v1\nkind: InferenceService\nmetadata: { name: s }\nspec:\n  engine: vllm\n  model: { preset: qwen3.5-9b }\n${line}\n`;
  const at = (line: string, path: string[], value: unknown) => {
    const t = text(line);
    const e = setValueEdit(t, parseSpecFile(t)[0], path, value);
    return e && applyEdits(t, [e]);
  };
  assert.match(at('  multimodal: { skipProfiling: false }', ['spec', 'multimodal', 'languageModelOnly'], true)!, /\n  multimodal: \{ skipProfiling: false, languageModelOnly: true \}\n/);
  assert.match(at('  multimodal: {}', ['spec', 'multimodal', 'languageModelOnly'], true)!, /\n  multimodal: \{languageModelOnly: true\}\n/);
  assert.match(at('  multimodal: { skipProfiling: false, }', ['spec', 'multimodal', 'languageModelOnly'], true)!, /\{ skipProfiling: false, languageModelOnly: true \}/);
  // A nested value goes in flow style.
  assert.match(at('  multimodal: { skipProfiling: false }', ['spec', 'multimodal', 'limitPerPrompt', 'image'], 0)!, /\{ skipProfiling: false, limitPerPrompt: \{ image: 0 \} \}/);
  // What the edit gives parses and checks clean.
  const edited = at('  multimodal: { skipProfiling: false }', ['spec', 'multimodal', 'languageModelOnly'], true)!;
  assert.deepEqual(
    check(edited).problems.filter((p) => p.code.startsWith('schema') || p.code.startsWith('yaml')),
    [],
  );
  // A comment inside, or the brace on its own line: no edit rather than a wrong one.
  assert.equal(at('  multimodal: { skipProfiling: false } # off', ['spec', 'multimodal', 'languageModelOnly'], true) === undefined, false);
  assert.equal(at('  multimodal: { skipProfiling: false, # off\n  }', ['spec', 'multimodal', 'languageModelOnly'], true), undefined);
});

test('bad input: empty, binary, huge, deep and many-document files give one clear problem or none, fast', () => {
  assert.deepEqual(check('').problems, []);
  assert.equal(check('apiVersion: gantry/v1\n\u0000\u0001').problems[0].code, 'binary-file');
  const huge = 'apiVersion: gantry/v1\n' + '#'.repeat(5 * 1024 * 1024);
  assert.equal(check(huge).problems[0].code, 'file-too-large');
  const deep = 'apiVersion: gantry/v1\nkind: Cluster\nx: ' + '['.repeat(10000);
  assert.equal(check(deep).problems.length, 1);
  const many = Array.from({ length: 10000 }, (_, i) => `apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: c${i} }\n`).join('---\n');
  const r = check(many);
  // Past 5,000 documents only the YAML is checked (these are valid YAML), with one notice.
  assert.deepEqual(
    r.problems.map((p) => p.code),
    ['file-checks-limited'],
  );
});
