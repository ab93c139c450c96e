// The example workspace is valid: every document in examples/*.gantry.yaml passes the schemas, the
// arithmetic the semantic rules check holds, cluster references resolve inside the workspace, and
// the editor wiring for other YAML tools (modelines, yaml.schemas) points at real schema files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClusterSpec, InferenceServiceSpec, TrainingJobSpec } from '../../../core/spec/types';
import { ROOT, listFiles, makeAjv, validateYaml, KIND_SCHEMAS } from './helpers';

const files = listFiles('examples', '.gantry.yaml');
const docs = files.flatMap((file) => validateYaml(readFileSync(join(ROOT, 'examples', file), 'utf8')).map((d) => ({ file, ...d, doc: d.value as { kind: string; metadata: { name: string }; spec: unknown } })));

test('the example workspace has the promised files', () => {
  for (const f of ['cluster.gantry.yaml', 'llama3-8b-pretrain.gantry.yaml', 'llama3-70b-lora.gantry.yaml', 'llama3-70b-vllm.gantry.yaml', 'local.gantry.yaml', 'hello-local.gantry.yaml']) {
    assert.ok(files.includes(f), f);
  }
});

test('every example document parses and passes the umbrella schema and its kind schema', () => {
  const ajv = makeAjv();
  for (const d of docs) {
    assert.deepEqual(d.yamlErrors, [], `${d.file}#${d.index}`);
    assert.ok(d.valid, `${d.file}#${d.index}: ${JSON.stringify(d.errors)}`);
    const byKind = ajv.getSchema(KIND_SCHEMAS[d.doc.kind])!;
    assert.ok(byKind(d.doc), `${d.file}#${d.index} against ${KIND_SCHEMAS[d.doc.kind]}`);
  }
});

const clusters = new Map(docs.filter((d) => d.doc.kind === 'Cluster').map((d) => [d.doc.metadata.name, d.doc.spec as ClusterSpec]));

test('names are unique per kind and every cluster reference resolves in the workspace', () => {
  const seen = new Set<string>();
  for (const d of docs) {
    const key = `${d.doc.kind}/${d.doc.metadata.name}`;
    assert.ok(!seen.has(key), `duplicate ${key}`);
    seen.add(key);
    const ref = (d.doc.spec as { cluster?: string }).cluster;
    if (d.doc.kind !== 'Cluster') assert.ok(ref && clusters.has(ref), `${d.file}: cluster ${ref}`);
  }
});

test('training examples satisfy the parallelism, batch and cluster-capacity rules', () => {
  for (const d of docs.filter((x) => x.doc.kind === 'TrainingJob')) {
    const s = d.doc.spec as TrainingJobSpec;
    const p = s.parallelism ?? {};
    const gpus = s.resources.nodes * s.resources.gpusPerNode;
    const [t, pp, cp] = [p.tensor ?? 1, p.pipeline ?? 1, p.context ?? 1];
    const data = p.data ?? gpus / (t * pp * cp);
    assert.equal(t * pp * data * cp, gpus, `${d.file}: tensor × pipeline × data × context`);
    if (s.batch.global !== undefined) {
      const accumulation = s.batch.gradientAccumulation ?? s.batch.global / (s.batch.micro * data);
      assert.equal(s.batch.micro * data * accumulation, s.batch.global, `${d.file}: global batch`);
      assert.ok(Number.isInteger(accumulation), `${d.file}: accumulation`);
    }
    const arch = s.model.architecture;
    if (arch) {
      assert.equal(arch.heads % t, 0, `${d.file}: heads % tensor`);
      assert.equal((arch.kvHeads ?? arch.heads) % t, 0, `${d.file}: kvHeads % tensor`);
      assert.equal(arch.layers % pp, 0, `${d.file}: layers % pipeline`);
      if (arch.maxContext) assert.ok(s.batch.sequenceLength <= arch.maxContext, `${d.file}: sequenceLength`);
    }
    const c = clusters.get(s.cluster!)!;
    assert.ok(s.resources.nodes <= c.nodes.count, `${d.file}: nodes`);
    assert.ok(s.resources.gpusPerNode <= c.nodes.gpu.count, `${d.file}: gpusPerNode`);
  }
});

test('serving examples fit their cluster', () => {
  for (const d of docs.filter((x) => x.doc.kind === 'InferenceService')) {
    const s = d.doc.spec as InferenceServiceSpec;
    const c = clusters.get(s.cluster!)!;
    const perReplica = (s.tensorParallel ?? 1) * (s.pipelineParallel ?? 1) * (s.dataParallel ?? 1);
    assert.ok(perReplica * (s.replicas ?? 1) <= c.nodes.count * c.nodes.gpu.count, d.file);
  }
});

test('the 16 × 8 H100 cluster and the Llama-3-8B job are as described', () => {
  const pod = clusters.get('h100-pod')!;
  assert.deepEqual([pod.scheduler?.type, pod.nodes.count, pod.nodes.gpu.model, pod.nodes.gpu.count], ['slurm', 16, 'H100-SXM-80GB', 8]);
  assert.deepEqual([pod.interconnect?.intraNode?.type, pod.interconnect?.interNode?.type, pod.interconnect?.interNode?.gbpsPerGpu], ['nvlink4', 'infiniband-ndr', 400]);
  const job = docs.find((d) => d.doc.metadata.name === 'llama3-8b-pretrain')!.doc.spec as TrainingJobSpec;
  assert.deepEqual(job.parallelism, { tensor: 2, pipeline: 1, data: 8, zero: 1, sequenceParallel: true });
  assert.equal(job.batch.sequenceLength, 8192);
  assert.equal(job.command?.[0], 'torchrun');
  assert.equal(clusters.get('local')?.scheduler?.type, 'local');
});

test('hello-local runs a short program that needs no GPU', () => {
  const hello = docs.find((d) => d.doc.metadata.name === 'hello-local')!.doc.spec as TrainingJobSpec;
  assert.equal(hello.cluster, 'local');
  assert.equal(hello.command?.[0], 'python3');
  assert.equal(hello.container, undefined);
  assert.match(hello.command!.at(-1)!, /step \{step\} loss/);
});

test('modelines and .vscode/settings.json point at the umbrella schema', () => {
  for (const f of files) {
    const first = readFileSync(join(ROOT, 'examples', f), 'utf8').split('\n')[0];
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    assert.ok(m, `${f}: modeline`);
    assert.ok(existsSync(resolve(ROOT, 'examples', m[1])), `${f}: ${m[1]}`);
  }
  const settings = readFileSync(join(ROOT, 'examples/.vscode/settings.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const schemas = JSON.parse(settings)['yaml.schemas'] as Record<string, string>;
  for (const path of Object.keys(schemas)) assert.ok(existsSync(resolve(ROOT, 'examples', path)), path);
});
