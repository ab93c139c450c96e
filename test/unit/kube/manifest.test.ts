import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { manifestFile } from '../../../core/kube/manifestFile';
import { validateObjects } from '../../../core/kube/validate';
import type { KubeObject } from '../../../core/kube/manifest';
import { engineArgv } from '../../../core/runs/engineCommand';
import { findSpecDocs, isRunnable } from '../../../core/runs/specDocs';
import type { InferenceServiceSpec } from '../../../core/spec/types';
import { gpuFromProductLabel, gpuProductLabel, GPU_PRODUCT_LABELS } from '../../../core/catalog/gpuProducts';
import { GPU_IDS } from '../../../core/catalog/gpus';
import { checkFile } from '../../../core/check/checkFile';
import { parseSpecFile } from '../../../core/spec/parse';
import { Workspace, pathToUri } from '../../../core/workspace/workspace';
import type { ServingEstimate } from '../../../core/estimate/types';
import { tempDir } from '../helpers';

const dir = tempDir('gantry-kube-');
let n = 0;

function cluster(opts: { trainer?: string; gpus?: number; model?: string } = {}): string {
  return `apiVersion: gantry/v1
kind: Cluster
metadata: { name: k8s }
spec:
  scheduler: { type: kubernetes, namespace: ml, queue: team-a${opts.trainer ? `, trainer: ${opts.trainer}` : ''} }
  nodes: { count: 4, gpu: { model: ${opts.model ?? 'H100-SXM-80GB'}, count: ${opts.gpus ?? 8} } }
`;
}

/** Writes the spec (after a Cluster) in its own folder and renders document 1 (the job). */
function render(job: string, clusterText = cluster()) {
  const d = path.join(dir, String(n++));
  mkdirSync(d);
  const file = path.join(d, 'spec.gantry.yaml');
  const text = `${clusterText}---\n${job}`;
  writeFileSync(file, text);
  const r = manifestFile(file, { docIndex: 1, version: '9.9.9', root: d });
  const objects = r.ok ? (parseAllDocuments(r.text).map((x) => x.toJS()) as KubeObject[]) : [];
  return { r, objects, text };
}

function ok(job: string, clusterText?: string) {
  const out = render(job, clusterText);
  assert.ok(out.r.ok, out.r.ok ? '' : out.r.errors.join('\n'));
  // Every object printed validates (the writer checked it; the printed YAML must still be valid).
  assert.deepEqual(validateObjects(out.objects), []);
  return { ...out, manifest: out.r.ok ? out.r.text : '' };
}

function specOf(text: string): InferenceServiceSpec {
  const doc = findSpecDocs(text).filter(isRunnable)[0];
  return doc.value.spec as InferenceServiceSpec;
}

const container = (o: any, at = 'spec.template.spec') => at.split('.').reduce((x, k) => x[k], o).containers[0];

const vllm = `apiVersion: gantry/v1
kind: InferenceService
metadata: { name: chat, labels: { team: serving } }
spec:
  cluster: k8s
  engine: vllm
  model: { preset: llama-3.1-8b, weights: meta-llama/Llama-3.1-8B-Instruct }
  tensorParallel: 2
  maxModelLen: 8192
  kvCacheDtype: fp8
  enablePrefixCaching: true
  replicas: 3
  port: 8080
  env: { HF_TOKEN: hf_not_a_real_token_123, VLLM_LOGGING_LEVEL: DEBUG }
  container:
    mounts: [{ source: /data/hf, target: /root/.cache/huggingface, readOnly: true }]
  extraArgs: [--served-model-name, chat]
`;

test('one node: a Deployment and a Service with exactly the flags engineArgv gives, bound to 0.0.0.0', () => {
  const { objects, text, manifest } = ok(vllm);
  assert.deepEqual(
    objects.map((o) => o.kind),
    ['Deployment', 'Service'],
  );
  const [dep, svc] = objects as any[];
  assert.equal(dep.metadata.namespace, 'ml');
  assert.equal(dep.metadata.labels['kueue.x-k8s.io/queue-name'], 'team-a');
  assert.equal(dep.metadata.labels.team, 'serving');
  assert.equal(dep.spec.replicas, 3);
  const c = container(dep);
  const argv = engineArgv(specOf(text), { model: 'meta-llama/Llama-3.1-8B-Instruct', host: '0.0.0.0' })!;
  assert.deepEqual([...c.command, ...c.args], argv);
  assert.ok(argv.includes('--kv-cache-dtype') && argv.includes('--served-model-name'));
  assert.equal(c.image, 'vllm/vllm-openai:latest');
  assert.deepEqual(c.resources, { limits: { 'nvidia.com/gpu': 2 } });
  assert.deepEqual(dep.spec.template.spec.nodeSelector, { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' });
  assert.equal(c.readinessProbe.httpGet.path, '/health');
  assert.equal(c.livenessProbe.httpGet.path, '/health');
  assert.equal(c.ports[0].containerPort, 8080);
  const vols = dep.spec.template.spec.volumes;
  assert.deepEqual(vols[0], { name: 'dshm', emptyDir: { medium: 'Memory' } });
  assert.deepEqual(vols[1], { name: 'mount-0', hostPath: { path: '/data/hf' } });
  assert.deepEqual(c.volumeMounts[0], { name: 'dshm', mountPath: '/dev/shm' });
  assert.deepEqual(c.volumeMounts[1], { name: 'mount-0', mountPath: '/root/.cache/huggingface', readOnly: true });
  assert.equal(svc.spec.ports[0].port, 8080);
  assert.deepEqual(svc.spec.selector, { 'app.kubernetes.io/name': 'chat' });
  // The secret: from a Secret, never inline.
  assert.deepEqual(
    c.env.find((e: any) => e.name === 'HF_TOKEN'),
    { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } },
  );
  assert.ok(!manifest.includes('hf_not_a_real_token'), 'the token is not in the manifest');
  assert.deepEqual(
    c.env.find((e: any) => e.name === 'VLLM_LOGGING_LEVEL'),
    { name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' },
  );
});

test('the header names the spec and the Gantry version, and says where the secret comes from', () => {
  const { r } = ok(vllm);
  assert.ok(r.ok);
  const head = r.text.split('\n---\n')[0];
  assert.match(head, /^# Rendered by Gantry 9\.9\.9 from InferenceService chat \(document 1 of spec\.gantry\.yaml\) for Cluster k8s\./);
  assert.match(head, /HF_TOKEN comes from Secret hf-token/);
  assert.match(head, /official image/);
  assert.ok(!r.text.includes(dir), 'no path of this machine');
});

test('SGLang and TGI: their own launchers, health probes, the given image', () => {
  for (const engine of ['sglang', 'tgi']) {
    const { objects, text } = ok(`apiVersion: gantry/v1
kind: InferenceService
metadata: { name: svc-${engine} }
spec:
  cluster: k8s
  engine: ${engine}
  model: { preset: llama-3.1-8b, weights: meta-llama/Llama-3.1-8B-Instruct }
  tensorParallel: 4
  maxModelLen: 4096
  container: { image: registry.example/${engine}:1.0, workdir: /work }
`);
    const c = container(objects[0]);
    assert.deepEqual([...c.command, ...c.args], engineArgv(specOf(text), { model: 'meta-llama/Llama-3.1-8B-Instruct', host: '0.0.0.0' }));
    assert.equal(c.image, `registry.example/${engine}:1.0`);
    assert.equal(c.workingDir, '/work');
    assert.equal(c.startupProbe.httpGet.path, '/health');
    assert.deepEqual(c.resources.limits, { 'nvidia.com/gpu': 4 });
  }
});

test('more GPUs than a node has: a LeaderWorkerSet (vLLM over Ray), the Service on the leader', () => {
  const { objects, text } = ok(vllm.replace('tensorParallel: 2', 'tensorParallel: 8\n  pipelineParallel: 2'));
  assert.deepEqual(
    objects.map((o) => o.kind),
    ['LeaderWorkerSet', 'Service'],
  );
  const [lws, svc] = objects as any[];
  assert.equal(lws.apiVersion, 'leaderworkerset.x-k8s.io/v1');
  const t = lws.spec.leaderWorkerTemplate;
  assert.equal(t.size, 2);
  assert.equal(lws.spec.replicas, 3);
  const leader = container(t, 'leaderTemplate.spec');
  const worker = container(t, 'workerTemplate.spec');
  const argv = engineArgv(specOf(text), { model: 'meta-llama/Llama-3.1-8B-Instruct', host: '0.0.0.0' })!;
  const leaderArgv = [...leader.command, ...leader.args];
  assert.deepEqual(leaderArgv.slice(0, 4), ['sh', '-c', 'ray start --head --port=6379 && exec "$@"', 'gantry-leader']);
  assert.deepEqual(leaderArgv.slice(4), [...argv, '--distributed-executor-backend', 'ray']);
  assert.deepEqual([...worker.command, ...worker.args], ['ray', 'start', '--address=$(LWS_LEADER_ADDRESS):6379', '--block']);
  assert.deepEqual(leader.resources.limits, { 'nvidia.com/gpu': 8 });
  assert.deepEqual(worker.resources.limits, { 'nvidia.com/gpu': 8 });
  assert.equal(leader.readinessProbe.httpGet.path, '/health');
  assert.equal(worker.readinessProbe, undefined);
  assert.equal(svc.spec.selector['gantry.dev/role'], 'leader');
  assert.equal(t.leaderTemplate.metadata.labels['gantry.dev/role'], 'leader');
});

test('SGLang across nodes: its own --nnodes launcher; TGI cannot span nodes', () => {
  const sglang = ok(`apiVersion: gantry/v1
kind: InferenceService
metadata: { name: big }
spec:
  cluster: k8s
  engine: sglang
  model: { preset: llama-3.1-70b, weights: meta-llama/Llama-3.1-70B-Instruct }
  tensorParallel: 16
`);
  const t = (sglang.objects[0] as any).spec.leaderWorkerTemplate;
  const worker = container(t, 'workerTemplate.spec');
  assert.ok(worker.args.includes('--nnodes') && worker.args.includes('$(LWS_WORKER_INDEX)') && worker.args.includes('$(LWS_LEADER_ADDRESS):5000'));
  assert.ok(container(t, 'leaderTemplate.spec').args.join(' ').includes('--node-rank 0'));

  const tgi = render(`apiVersion: gantry/v1
kind: InferenceService
metadata: { name: big }
spec:
  cluster: k8s
  engine: tgi
  model: { preset: llama-3.1-70b, weights: meta-llama/Llama-3.1-70B-Instruct }
  tensorParallel: 16
`);
  assert.ok(!tgi.r.ok);
  assert.match(tgi.r.errors[0], /^spec\.tensorParallel: TGI serves from one node only/);
});

const train = `apiVersion: gantry/v1
kind: TrainingJob
metadata: { name: pretrain }
spec:
  cluster: k8s
  resources: { nodes: 4, gpusPerNode: 8, cpusPerTask: 12, memory: 1TiB }
  model: { preset: llama-3.1-8b }
  batch: { micro: 1, sequenceLength: 4096 }
  container: { image: nvcr.io/nvidia/pytorch:24.05-py3, mounts: [{ source: /lustre, target: /lustre }] }
  workingDir: /lustre/code
  command: [torchrun, train.py, --config, cfg.yaml]
  timeLimit: 2h
  maxRestarts: 2
`;

test('TrainingJob → JobSet (the default) with a torchrun c10d rendezvous on node 0', () => {
  const { objects } = ok(train);
  assert.deepEqual(
    objects.map((o) => o.kind),
    ['JobSet'],
  );
  const js = objects[0] as any;
  assert.equal(js.apiVersion, 'jobset.x-k8s.io/v1alpha2');
  assert.equal(js.spec.failurePolicy.maxRestarts, 2);
  const job = js.spec.replicatedJobs[0].template.spec;
  assert.equal(job.completionMode, 'Indexed');
  assert.equal(job.parallelism, 4);
  assert.equal(job.activeDeadlineSeconds, 7200);
  const c = job.template.spec.containers[0];
  assert.deepEqual([...c.command, ...c.args], ['torchrun', '--nnodes=4', '--nproc-per-node=8', '--rdzv-backend=c10d', '--rdzv-endpoint=$(MASTER_ADDR):$(MASTER_PORT)', '--rdzv-id=pretrain', 'train.py', '--config', 'cfg.yaml']);
  assert.equal(c.env.find((e: any) => e.name === 'MASTER_ADDR').value, 'pretrain-node-0-0.pretrain');
  assert.deepEqual(c.resources, { requests: { cpu: 96, memory: '1Ti' }, limits: { 'nvidia.com/gpu': 8, memory: '1Ti' } });
  assert.equal(c.workingDir, '/lustre/code');
  assert.equal(job.template.spec.restartPolicy, 'Never');
});

test('TrainingJob → indexed Job + headless Service, or a Kubeflow TrainJob, as the Cluster says', () => {
  const indexed = ok(train, cluster({ trainer: 'indexed-job' }));
  assert.deepEqual(
    indexed.objects.map((o) => o.kind),
    ['Service', 'Job'],
  );
  const [svc, job] = indexed.objects as any[];
  assert.equal(svc.spec.clusterIP, 'None');
  assert.equal(job.spec.template.spec.subdomain, 'pretrain');
  assert.equal(job.spec.backoffLimit, 2);
  assert.equal(job.spec.template.spec.containers[0].env.find((e: any) => e.name === 'MASTER_ADDR').value, 'pretrain-0.pretrain');

  const tj = ok(train, cluster({ trainer: 'trainjob' }));
  assert.deepEqual(
    tj.objects.map((o) => o.kind),
    ['TrainJob'],
  );
  const spec = (tj.objects[0] as any).spec;
  assert.equal(spec.trainer.numNodes, 4);
  assert.deepEqual(spec.trainer.command, ['torchrun', 'train.py', '--config', 'cfg.yaml']);
  assert.match(tj.manifest, /mounts are not in the TrainJob/);
});

test('values no manifest can carry are refused at their spec path', () => {
  const rel = render(train.replace('source: /lustre,', 'source: ./data,'));
  assert.ok(!rel.r.ok);
  assert.match(rel.r.errors[0], /^spec\.container\.mounts\.0\.source: /);
  const noImage = render(train.replace(/ {2}container: .*\n/, ''));
  assert.ok(!noImage.r.ok);
  assert.match(noImage.r.errors[0], /^spec\.container: /);
  const missing = render(vllm.replace('cluster: k8s', 'cluster: nowhere'));
  assert.ok(!missing.r.ok);
  assert.match(missing.r.errors[0], /no Cluster named 'nowhere'/);
});

test('the validators are live: a broken built-in object and a broken custom resource are both caught', () => {
  const broken = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec: { containers: [{ name: 'c', imagePullPolicy: 3 }] } } } },
    { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: { name: 'y' }, spec: { leaderWorkerTemplate: { sizee: 2, workerTemplate: { spec: { containers: [{ name: 'c', bogus: true }] } } } } },
    { apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', metadata: { name: 'Z_bad' }, spec: { replicatedJobs: [{ name: 'n', template: {} }] } },
  ] as KubeObject[];
  const problems = validateObjects(broken);
  assert.ok(problems.some((p) => p.startsWith('Deployment/x: ') && /selector/.test(p)));
  assert.ok(problems.some((p) => p.startsWith('LeaderWorkerSet/y: ') && /sizee/.test(p)));
  assert.ok(problems.some((p) => p.startsWith('LeaderWorkerSet/y: ') && /bogus/.test(p)));
  assert.ok(problems.some((p) => p.startsWith('JobSet/Z_bad: ') && /DNS-1123/.test(p)));
});

test('the GPU product label table maps both ways, and every entry is a catalog GPU', () => {
  for (const id of Object.keys(GPU_PRODUCT_LABELS)) {
    assert.ok(GPU_IDS.includes(id), id);
    assert.equal(gpuFromProductLabel(GPU_PRODUCT_LABELS[id])?.id, id);
  }
  assert.equal(gpuProductLabel('h100'), 'NVIDIA-H100-80GB-HBM3');
  assert.equal(gpuFromProductLabel('NVIDIA-A100-SXM4-40GB-MIG-1g.5gb')?.id, 'A100-SXM-40GB');
  assert.equal(gpuFromProductLabel('NVIDIA-L4-SHARED')?.id, 'L4-24GB');
  assert.equal(gpuFromProductLabel('NVIDIA-Unknown-9000'), undefined);
  // An AMD GPU: its own device plugin's resource, and no NVIDIA label.
  const amd = ok(vllm, cluster({ model: 'MI300X-192GB' }));
  const c = container(amd.objects[0]);
  assert.deepEqual(c.resources.limits, { 'amd.com/gpu': 2 });
  assert.equal((amd.objects[0] as any).spec.template.spec.nodeSelector, undefined);
});

/**
 * Reading a manifest Gantry wrote gives back the same estimate: the Kubernetes reader
 * (core/formats/kubernetes.ts) finds the vllm serve command, the GPU limit and the product selector
 * in it, and the one check estimates the InferenceService they stand for.
 */
function estimateFigures(c: ReturnType<typeof checkFile>) {
  assert.equal(c.estimates.length, 1, c.problems.map((p) => `${p.code}: ${p.message}`).join('; '));
  const e = c.estimates[0].estimate as ServingEstimate;
  return { device: Math.round(e.memory!.perGpu.deviceBytes), kv: e.serving!.kvCacheTokens, gpu: e.gpu?.id };
}

for (const [name, job] of [
  ['one node, tp 2, fp8 KV cache', vllm],
  ['SGLang on one GPU', vllm.replace('engine: vllm', 'engine: sglang').replace('tensorParallel: 2', 'tensorParallel: 1').replace('  enablePrefixCaching: true\n', '')],
] as const) {
  test(`round trip (${name}): the manifest Gantry writes reads back to the same estimate`, () => {
    // (Without the mounts, whose container has no image: the spec must check clean to be estimated.)
    const { text, manifest } = ok(job.replace('  container:\n    mounts: [{ source: /data/hf, target: /root/.cache/huggingface, readOnly: true }]\n', ''));
    const ws = new Workspace();
    const file = path.join(dir, `rt-${n++}.gantry.yaml`);
    writeFileSync(file, text);
    const uri = pathToUri(file);
    ws.updateOpen(uri, parseSpecFile(text));
    const fromSpec = estimateFigures(checkFile(text, { fileName: uri, clusters: ws.clusters.scopedTo(uri) }));
    const fromManifest = estimateFigures(checkFile(manifest, { fileName: path.join(dir, 'rendered.yaml') }));
    assert.deepEqual(fromManifest, fromSpec);
  });
}
