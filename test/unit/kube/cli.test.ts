import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { repo, tempDir } from '../helpers';
import { validateObjects } from '../../../core/kube/validate';
import type { KubeObject } from '../../../core/kube/manifest';

/** `gantry manifest …` as a user runs it: the bin, in its own process. */
function gantry(argv: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(repo('dist/cli.js'), ['manifest', ...argv], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = tempDir('gantry-manifest-');
const spec = path.join(dir, 'serve.gantry.yaml');
writeFileSync(
  spec,
  `apiVersion: gantry/v1
kind: Cluster
metadata: { name: gpus }
spec:
  scheduler: { type: kubernetes }
  nodes: { count: 2, gpu: { model: L40S-48GB, count: 4 } }
---
apiVersion: gantry/v1
kind: InferenceService
metadata: { name: chat }
spec:
  cluster: gpus
  engine: vllm
  model: { preset: llama-3.1-8b, weights: meta-llama/Llama-3.1-8B-Instruct }
  maxModelLen: 8192
---
apiVersion: gantry/v1
kind: TrainingJob
metadata: { name: tune }
spec:
  cluster: gpus
  resources: { nodes: 2, gpusPerNode: 4 }
  model: { preset: llama-3.1-8b }
  batch: { micro: 1, sequenceLength: 2048 }
  container: { image: nvcr.io/nvidia/pytorch:24.05-py3 }
  command: [torchrun, train.py]
`,
);

test('gantry manifest prints valid multi-document YAML with a header naming the spec and the version', () => {
  const r = gantry([spec, '--doc', '1']);
  assert.equal(r.code, 0, r.err);
  const version = JSON.parse(readFileSync(repo('package.json'), 'utf8')).version;
  assert.ok(r.out.startsWith(`# Rendered by Gantry ${version} from InferenceService chat (document 1 of serve.gantry.yaml) for Cluster gpus.`), r.out.slice(0, 200));
  const objects = parseAllDocuments(r.out).map((d) => d.toJS()) as KubeObject[];
  assert.deepEqual(
    objects.map((o) => o.kind),
    ['Deployment', 'Service'],
  );
  assert.deepEqual(validateObjects(objects), []);
});

test('--name picks the document; --output writes the file and prints nothing', () => {
  const out = path.join(dir, 'tune.yaml');
  const r = gantry([spec, '--name', 'tune', '--output', out]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '');
  const objects = parseAllDocuments(readFileSync(out, 'utf8')).map((d) => d.toJS()) as KubeObject[];
  assert.deepEqual(
    objects.map((o) => o.kind),
    ['JobSet'],
  );
  assert.deepEqual(validateObjects(objects), []);
});

test('exit statuses: 2 for bad usage, 1 when there is no manifest, 0 for --help', () => {
  assert.equal(gantry([]).code, 2);
  assert.equal(gantry([spec, '--bogus']).code, 2);
  assert.equal(gantry([spec, '--doc', 'x']).code, 2);
  const several = gantry([spec]);
  assert.equal(several.code, 1);
  assert.match(several.err, /2 runnable documents/);
  assert.equal(gantry([spec, '--doc', '0']).code, 1);
  assert.equal(gantry([path.join(dir, 'missing.yaml')]).code, 1);
  const help = gantry(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /usage: gantry manifest/);
});
