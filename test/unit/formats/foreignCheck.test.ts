// The foreign-format contract (core/formats/types.ts, core/check/foreign.ts) with a toy reader: a
// file of `key=value` words. The real readers are tested on their own fixtures; this holds the
// mapping itself to account: problems land on the foreign value's span, a problem about a value the
// file does not write lands on the anchor, quick fixes are written by the reader, reader problems
// pass through, launch-only rules stay out, and a file no reader claims is not checked at all.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkFile } from '../../../core/check/checkFile';
import { registerReaders } from '../../../core/formats/index';
import type { ForeignSpec, FormatReader, SourceEntry } from '../../../core/formats/types';

const toy: FormatReader = {
  id: 'vllm-args',
  claims: (fileName) => fileName.endsWith('.toy'),
  read(text) {
    const words = new Map<string, { value: string; offset: number }>();
    let i = 0;
    for (const w of text.split(' ')) {
      const eq = w.indexOf('=');
      if (eq > 0) words.set(w.slice(0, eq), { value: w.slice(eq + 1).trim(), offset: i + eq + 1 });
      i += w.length + 1;
    }
    if (!words.has('model')) return [];
    const sources = new Map<string, SourceEntry>();
    const clusterSources = new Map<string, SourceEntry>();
    const spec: Record<string, unknown> = { engine: 'vllm', model: { preset: words.get('model')?.value } };
    const entry = (key: string, label: string) => {
      const w = words.get(key)!;
      return { span: { offset: w.offset, length: w.value.length }, label };
    };
    sources.set('spec.model.preset', entry('model', 'model'));
    if (words.has('tp')) (spec.tensorParallel = Number(words.get('tp')!.value)), sources.set('spec.tensorParallel', entry('tp', 'tp'));
    if (words.has('len')) (spec.maxModelLen = Number(words.get('len')!.value)), sources.set('spec.maxModelLen', entry('len', 'len'));
    const gpus = Number(words.get('gpus')?.value ?? 1);
    if (words.has('gpus')) clusterSources.set('spec.nodes.gpu.count', entry('gpus', 'gpus'));
    const out: ForeignSpec = {
      format: 'vllm-args',
      label: 'toy command',
      job: { apiVersion: 'gantry/v1', kind: 'InferenceService', metadata: { name: 'toy' }, spec },
      cluster: { apiVersion: 'gantry/v1', kind: 'Cluster', metadata: { name: 'from-file' }, spec: { nodes: { count: 1, gpu: { model: 'H100-SXM-80GB', count: gpus } } } },
      sources,
      clusterSources,
      anchor: { offset: 0, length: 3 },
      assumptions: ['GPU: H100-SXM-80GB (toy)'],
      insert: (path, value) => ({ offset: text.length, length: 0, newText: ` ${String(path[path.length - 1])}=${String(value)}` }),
      problems: words.has('bad') ? [{ code: 'toy-bad', severity: 'warning', message: 'bad word', offset: words.get('bad')!.offset, length: 1 }] : [],
    };
    return [out];
  },
};
registerReaders(toy);

test('a file that no reader claims is not checked', () => {
  const c = checkFile('apiVersion: apps/v1\nkind: Deployment\n', { fileName: 'deploy.yaml' });
  assert.equal(c.gantry, false);
  assert.deepEqual(c.problems, []);
});

test('an estimate with the reader assumptions, anchored on the command', () => {
  const text = 'run model=llama-3.1-8b tp=1 gpus=1';
  const c = checkFile(text, { fileName: 'a.toy' });
  assert.equal(c.gantry, true);
  assert.equal(c.foreign?.length, 1);
  assert.deepEqual(c.problems, []);
  assert.equal(c.estimates.length, 1);
  assert.deepEqual(c.estimates[0].anchor, { offset: 0, length: 3 });
  assert.ok(c.estimates[0].estimate.assumptions.includes('GPU: H100-SXM-80GB (toy)'));
  assert.ok((c.estimates[0].estimate as { serving?: { kvCacheTokens: number } }).serving!.kvCacheTokens > 100_000);
});

test('a problem lands on the foreign value, its fix is written there, and the file then checks clean', () => {
  // 70B in bf16 on one 80 GB GPU: the weights do not fit.
  const text = 'run model=llama-3.1-70b tp=1 gpus=1';
  const c = checkFile(text, { fileName: 'b.toy' });
  const p = c.problems.find((x) => x.severity === 'error');
  assert.ok(p, JSON.stringify(c.problems));
  const fix = p.fixes?.find((f) => f.edits.some((e) => text.slice(e.offset, e.offset + e.length) === '1'));
  assert.ok(fix, `no fix written in place: ${JSON.stringify(p)}`);
  let fixed = text;
  for (const e of [...fix.edits].sort((a, b) => b.offset - a.offset)) fixed = fixed.slice(0, e.offset) + e.newText + fixed.slice(e.offset + e.length);
  const after = checkFile(fixed, { fileName: 'b.toy' });
  assert.equal(after.problems.filter((x) => x.severity === 'error').length, 0, `${fixed}: ${JSON.stringify(after.problems)}`);
});

test('reader problems pass through; a problem about an unwritten value goes to the anchor', () => {
  const text = 'run model=llama-3.1-8b bad=1 len=999999';
  const c = checkFile(text, { fileName: 'c.toy' });
  assert.ok(c.problems.some((p) => p.code === 'toy-bad'));
  const len = c.problems.find((p) => p.path?.join('.') === 'spec.maxModelLen');
  assert.ok(len, JSON.stringify(c.problems));
  assert.equal(text.slice(len.offset, len.offset + len.length), '999999');
  // No launch-only rule (local backend, Slurm) for a file its own tool launches.
  assert.ok(!c.problems.some((p) => p.code.startsWith('local-') || p.code.startsWith('slurm-')));
});
