// Backend refusals are diagnostics on the field before anything runs (issue 15 item 4): the run path
// and the check share their wording, and the shipped examples pass them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, clustersFrom, repo } from '../helpers';
import { readFileSync } from 'node:fs';

const cluster = (type: string) => `apiVersion: gantry/v1
kind: Cluster
metadata: { name: c }
spec:
  scheduler: { type: ${type} }
  nodes: { count: 1, gpu: { model: H100-SXM-80GB, count: 8 } }
`;
const svc = (extra: string) => `---
apiVersion: gantry/v1
kind: InferenceService
metadata: { name: s }
spec:
  cluster: c
  engine: vllm
  model: { preset: llama-3.1-8b }
${extra}`;

const codes = (text: string) => check(text).problems.map((p) => ({ code: p.code, severity: p.severity, text: at(text, p), message: p.message }));

test("replicas > 1 on a Slurm cluster is an error on replicas, in the batch script's words", () => {
  const text = cluster('slurm') + svc('  replicas: 2\n');
  const p = codes(text).find((x) => x.code === 'slurm-one-replica');
  assert.ok(p, JSON.stringify(codes(text)));
  assert.equal(p.severity, 'error');
  assert.equal(p.text, '2');
  assert.match(p.message, /one replica per job/);
  assert.ok(!codes(cluster('slurm') + svc('  replicas: 1\n')).some((x) => x.code === 'slurm-one-replica'));
});

test('a kubernetes scheduler says plainly on its key that Gantry cannot submit to it', () => {
  const text = cluster('kubernetes') + svc('');
  const all = codes(text).filter((x) => x.code === 'scheduler-no-backend');
  assert.ok(
    all.some((x) => x.text === 'kubernetes' && /cannot submit to a 'kubernetes' scheduler/.test(x.message)),
    JSON.stringify(all),
  );
  assert.ok(
    all.some((x) => x.text === 'c'),
    'the job that names it is told too',
  );
});

test('a container image on the local backend is an error on the image', () => {
  const text = cluster('local') + svc('  container: { image: vllm/vllm-openai:v0.8.5 }\n');
  const p = codes(text).find((x) => x.code === 'local-no-container');
  assert.ok(p);
  assert.equal(p.text, 'vllm/vllm-openai:v0.8.5');
  assert.ok(!codes(cluster('slurm') + svc('  container: { image: vllm/vllm-openai:v0.8.5 }\n')).some((x) => x.code === 'local-no-container'));
});

test('the shipped examples pass the backend rules of the cluster they name', () => {
  const clusters = clustersFrom(repo('examples'));
  for (const f of ['llama3-70b-vllm.gantry.yaml', 'llama3-70b-lora.gantry.yaml', 'llama3-8b-pretrain.gantry.yaml', 'hello-local.gantry.yaml']) {
    const text = readFileSync(repo('examples', f), 'utf8');
    const bad = check(text, { fileName: f, clusters }).problems.filter((p) => ['slurm-one-replica', 'scheduler-no-backend', 'local-no-container'].includes(p.code));
    assert.deepEqual(
      bad.map((p) => p.message),
      [],
      f,
    );
  }
});
