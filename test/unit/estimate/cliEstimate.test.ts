import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repo, tempDir } from '../helpers';
import { parseSpecFile } from '../../../core/spec/parse';
import { estimateDoc } from '../../../core/validate/estimates';
import { Workspace, pathToUri } from '../../../core/workspace/workspace';

/** `gantry estimate …` as a user runs it: the bin, in its own process (its output is the process's). */
async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = spawnSync(repo('dist/cli.js'), ['estimate', ...argv], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = tempDir('gantry-estimate-');
const ok = path.join(dir, 'ok.gantry.yaml');
writeFileSync(
  ok,
  `apiVersion: gantry/v1
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
`,
);
const bad = path.join(dir, 'bad.gantry.yaml');
writeFileSync(
  bad,
  `apiVersion: gantry/v1
kind: TrainingJob
metadata: { name: huge }
spec:
  resources: { nodes: 1, gpusPerNode: 1 }
  model: { preset: llama-3.1-70b }
  batch: { micro: 1, sequenceLength: 4096 }
`,
);

test('gantry estimate --format json: one record per job/service with the three memory quantities', async () => {
  const r = await capture(['--format', 'json', '--workspace', dir, ok]);
  assert.equal(r.code, 0, r.err);
  const recs = JSON.parse(r.out);
  assert.deepEqual(
    recs.map((x: { name: string; kind: string }) => `${x.kind}/${x.name}`),
    ['TrainingJob/small', 'InferenceService/chat'],
  );
  for (const x of recs) {
    assert.equal(x.file, ok);
    for (const k of ['allocatedBytes', 'reservedBytes', 'deviceBytes']) assert.ok(x.memory.perGpu[k] > 0, k);
    assert.ok(x.memory.capacityBytes > 79 * 1024 ** 3, 'the A100 cluster is used');
    assert.ok(Array.isArray(x.assumptions) && typeof x.memory.breakdown === 'object');
  }
  assert.ok(recs[0].interconnect && recs[0].time && !recs[0].serving);
  assert.ok(recs[1].serving.kvCacheTokens > 0);
});

test('gantry estimate --gpu: a foreign config that names no GPU runs on the one given (as gantry check --gpu)', async () => {
  const toml = repo('test/fixtures/foreign/training/torchtitan/llama3_8b.toml');
  const r = await capture(['--format', 'json', '--gpu', 'H100-SXM-96GB', toml]);
  assert.equal(r.code, 0, r.err);
  const [rec] = JSON.parse(r.out);
  assert.ok(rec.memory.capacityBytes > 90 * 1024 ** 3, 'the 96 GB H100 is used');
  assert.ok(rec.assumptions.some((a: string) => a.includes('H100-SXM-96GB')));
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

test("gantry estimate: an error with no estimate is put where gantry check puts it (file:line:column), a foreign file's too", async () => {
  const script = path.join(dir, 'serve.sh');
  writeFileSync(script, '#!/bin/bash\nvllm serve Qwen/Qwen3.5-9B --skip-mm-profiling=true\n');
  const r = await capture(['--gpu', 'H100-SXM-80GB', script]);
  assert.equal(r.code, 1, r.err);
  assert.ok(r.err.startsWith(`${script}:2:48: error foreign-flag-value: --skip-mm-profiling is a switch`), r.err);
  assert.ok(!r.err.includes('document 1'), r.err);
});

test('gantry estimate resolves clusters as the editor does: the same per-GPU memory as the language server for every example job and service', async () => {
  const ws = new Workspace();
  await ws.scan([pathToUri(repo('examples'))]);
  const files = readdirSync(repo('examples'))
    .filter((f) => f.endsWith('.gantry.yaml'))
    .map((f) => repo('examples', f));
  const r = await capture(['--format', 'json', '--workspace', repo('examples'), ...files]);
  const recs = JSON.parse(r.out) as { file: string; name: string; memory?: { perGpu: { deviceBytes: number } } }[];
  let compared = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const d of parseSpecFile(text)) {
      const e = estimateDoc(text, d, ws.clusters.scopedTo(pathToUri(f)));
      if (!e?.estimate.memory) continue;
      const name = (d.value as { metadata: { name: string } }).metadata.name;
      const rec = recs.find((x) => x.file === f && x.name === name);
      assert.equal(rec?.memory?.perGpu.deviceBytes, Math.round(e.estimate.memory.perGpu.deviceBytes), `${path.basename(f)} ${name}`);
      compared++;
    }
  }
  assert.ok(compared >= 3, `compared ${compared}`);
});
