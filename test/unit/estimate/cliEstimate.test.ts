import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run } from '../../../cli/commands/estimate';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await run(argv);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'gantry-estimate-'));
const ok = path.join(dir, 'ok.gantry.yaml');
writeFileSync(ok, `apiVersion: gantry/v1
kind: Cluster
metadata: { name: a100s }
spec:
  nodes: { count: 1, gpu: { model: A100-SXM-80GB, count: 8 } }
---
apiVersion: gantry/v1
kind: TrainingJob
metadata: { name: small }
spec:
  cluster: a100s
  resources: { nodes: 1, gpusPerNode: 8 }
  model: { preset: llama-3.2-1b }
  parallelism: { fsdp: full }
  batch: { micro: 1, sequenceLength: 2048 }
---
apiVersion: gantry/v1
kind: InferenceService
metadata: { name: chat }
spec:
  cluster: a100s
  engine: vllm
  model: { preset: llama-3.1-8b }
  maxModelLen: 8192
`);
const bad = path.join(dir, 'bad.gantry.yaml');
writeFileSync(bad, `apiVersion: gantry/v1
kind: TrainingJob
metadata: { name: huge }
spec:
  resources: { nodes: 1, gpusPerNode: 1 }
  model: { preset: llama-3.1-70b }
  batch: { micro: 1, sequenceLength: 4096 }
`);

test('gantry estimate --format json: one record per job/service with the three memory quantities', async () => {
  const r = await capture(['--format', 'json', '--workspace', dir, ok]);
  assert.equal(r.code, 0, r.err);
  const recs = JSON.parse(r.out);
  assert.deepEqual(recs.map((x: { name: string; kind: string }) => `${x.kind}/${x.name}`), ['TrainingJob/small', 'InferenceService/chat']);
  for (const x of recs) {
    assert.equal(x.file, ok);
    for (const k of ['allocatedBytes', 'reservedBytes', 'deviceBytes']) assert.ok(x.memory.perGpu[k] > 0, k);
    assert.ok(x.memory.capacityBytes > 79 * 1024 ** 3, 'the A100 cluster is used');
    assert.ok(Array.isArray(x.assumptions) && typeof x.memory.breakdown === 'object');
  }
  assert.ok(recs[0].interconnect && recs[0].time && !recs[0].serving);
  assert.ok(recs[1].serving.kvCacheTokens > 0);
});

test('gantry estimate: table output; exit 1 when an estimate has an error; 2 on bad usage', async () => {
  const t = await capture(['--workspace', dir, ok]);
  assert.equal(t.code, 0);
  assert.match(t.out, /peak reserved/);
  assert.equal((await capture(['--workspace', dir, bad])).code, 1);
  assert.equal((await capture([])).code, 2);
  assert.equal((await capture(['--format', 'xml', ok])).code, 2);
  assert.equal((await capture([path.join(dir, 'missing.yaml')])).code, 2);
});
