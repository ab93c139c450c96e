// Findings of the sweep of public Kubernetes manifests (and scripts) that run vLLM or SGLang, each on a minimal
// manifest of the real shape: SGLang's long parallel flags, --nnodes, the image's positional model, GKE's
// accelerator labels, `bash -lc --` scripts, a LeaderWorkerSet whose workers run the server too, argparse's
// abbreviations, a tensor-parallel size the file does not set, `--config`, and image tags that are no version.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { kubernetesReader } from '../../../core/formats/kubernetes';
import { imageEngine, imageVersion, readServeArgs, type ServeCommand } from '../../../core/formats/vllmArgs';
import { gpuFromName } from '../../../core/formats/gpuNames';
import type { Word } from '../../../core/formats/shellWords';
import { applyEdits, checkText, under } from './servingHelpers';

const specs = (text: string) => kubernetesReader.read(text, { fileName: 'm.yaml' });
const codes = (text: string, name = 'm.yaml') => checkText(text, name).problems.map((p) => p.code);

const pod = (o: { image?: string; command?: string; args: string; gpus?: number | string; selector?: string }) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:${o.selector ? `\n      nodeSelector: {${o.selector}}` : ''}
      containers:
      - name: c
        image: ${o.image ?? 'lmsysorg/sglang:v0.5.2'}${o.command ? `\n        command: ${o.command}` : ''}
        args: ${o.args}
        resources: {limits: {nvidia.com/gpu: ${o.gpus ?? 4}}}
`;
const SGL = '["python3", "-m", "sglang.launch_server"]';

test("SGLang's long parallel flags are server_args.py's aliases of --tp-size, --pp-size, --dp-size, --ep-size", () => {
  const text = pod({ command: SGL, args: '["--model-path", "Qwen/Qwen2.5-72B-Instruct", "--tensor-parallel-size", "4", "--context-length", "32768"]' });
  const s = specs(text)[0].job.spec;
  assert.equal(s.tensorParallel, 4);
  // Was: a false memory-exceeds-capacity at TP 1 and a foreign-gpus-idle "Request 1 GPU".
  assert.deepEqual(codes(text), []);
  const more = specs(pod({ command: SGL, args: '["--model-path", "Qwen/Qwen2.5-7B-Instruct", "--pipeline-parallel-size", "2", "--data-parallel-size=2", "--expert-parallel-size", "2"]' }))[0].job.spec;
  assert.deepEqual([more.pipelineParallel, more.dataParallel, more.expertParallel, more.extraArgs], [2, 2, true, undefined]);
});

test('a fix edits the flag the file writes, under its alias, in place: never a second --tp-size', () => {
  const text = pod({ command: SGL, args: '["--model-path", "Qwen/Qwen2.5-72B-Instruct", "--tensor-parallel-size", "1", "--context-length", "32768"]', gpus: 1 });
  const p = checkText(text, 'm.yaml').problems.find((x) => x.code === 'memory-exceeds-capacity');
  assert.ok(p, 'a 72B model on 1 GPU does not fit');
  // In the file's own words: the flag as the file writes it.
  const tp = p.fixes!.find((f) => f.title.startsWith('Set --tensor-parallel-size to '))!;
  const fixed = applyEdits(text, tp.edits);
  const n = tp.title.slice('Set --tensor-parallel-size to '.length).split(' ')[0];
  assert.ok(fixed.includes(`"--tensor-parallel-size", "${n}"`), fixed);
  assert.ok(!fixed.includes('--tp-size'), 'no second flag appended');
  assert.ok(fixed.includes(`nvidia.com/gpu: ${n}`), 'the pod asks for the GPUs the new size needs');
  // A flag written with a value the file does not set: no fix appends a duplicate of it.
  const script = '#!/bin/bash\n#SBATCH --gres=gpu:l40s:2\nvllm serve Qwen/Qwen2.5-32B-Instruct --max-model-len 8192 --tensor-parallel-size $NGPU --pipeline-parallel-size $PP\n';
  for (const q of checkText(script, '/w/s.sbatch').problems) for (const f of q.fixes ?? []) for (const e of f.edits) assert.ok(!e.newText.includes('--tensor-parallel-size') && !e.newText.includes('--pipeline-parallel-size'), `${q.code}: ${f.title}`);
});

test('--nnodes N: one replica spans N pods, each with the pod limit (SGLang, and vLLM without Ray)', () => {
  const sts = (cmd: string, gpus: number) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: v}
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: c
        image: vllm/vllm-openai:v0.12.0
        command: ["/bin/sh", "-c"]
        args:
        - ${cmd}
        resources: {limits: {nvidia.com/gpu: ${gpus}}}
`;
  // Was: serving-gpus "needs 16 GPUs … has 8".
  const v = sts('vllm serve meta-llama/Llama-3.1-405B-Instruct-FP8 --tensor-parallel-size 16 --nnodes 2 --node-rank ${POD_INDEX} --master-addr v-0.v --max-model-len 8192', 8);
  assert.ok(!codes(v).includes('serving-gpus'), codes(v).join());
  const f = specs(v)[0];
  assert.equal((f.cluster!.spec as { nodes: { count: number } }).nodes.count, 2);
  assert.ok(f.assumptions.some((a) => a.startsWith('Nodes: 2, from --nnodes 2')));
  assert.equal(under(v, f.clusterSources!.get('spec.nodes.count')!.span), '2');
  const s = sts('python3 -m sglang.launch_server --model-path Qwen/Qwen2.5-7B-Instruct --tp-size 2 --nnodes 2 --node-rank $POD_INDEX --dist-init-addr v-0.v:5000', 1);
  assert.deepEqual(
    codes(s).filter((c) => c === 'serving-gpus' || c === 'foreign-gpus-idle'),
    [],
  );
  // Each pod asks for 8 and the replica uses 8 of the 16: the idle-GPU finding counts both pods, and its fix halves each.
  const idle = sts('python3 -m sglang.launch_server --model-path Qwen/Qwen2.5-7B-Instruct --tp-size 4 --pp-size 2 --nnodes 2 --node-rank $POD_INDEX', 8);
  const p = checkText(idle, 'm.yaml').problems.find((x) => x.code === 'foreign-gpus-idle');
  assert.ok(p?.message.startsWith('The --nnodes 2 replica\'s 2 pods ask for 8 GPUs each (resources.limits["nvidia.com/gpu"]) = 16'), p?.message);
  assert.equal(p!.fixes?.[0].title, 'Request 4 GPUs per pod');
  assert.ok(!checkText(applyEdits(idle, p!.fixes![0].edits), 'm.yaml').problems.some((x) => x.code === 'foreign-gpus-idle'));
});

test("a positional model in the vllm/vllm-openai image's args: vllm serve's from 0.11.1 and latest, refused by the older api_server", () => {
  const text = (tag: string) => pod({ image: `vllm/vllm-openai:${tag}`, args: '["meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]', gpus: 1 });
  for (const tag of ['latest', 'v0.12.0', 'v0.11.1']) {
    const f = specs(text(tag))[0];
    assert.equal((f.job.spec.model as { weights?: string }).weights, 'meta-llama/Llama-3.1-8B-Instruct', tag);
    assert.ok(f.label.startsWith('vllm serve (image entrypoint)'), f.label);
    assert.deepEqual(codes(text(tag)), [], tag);
  }
  const old = text('v0.10.2');
  const p = checkText(old, 'm.yaml').problems;
  assert.deepEqual(
    p.map((x) => x.code),
    ['foreign-flag-value'],
  );
  assert.ok(p[0].message.includes('api_server') && p[0].message.includes('unrecognized arguments'), p[0].message);
  assert.equal(under(old, p[0]), 'meta-llama/Llama-3.1-8B-Instruct');
  assert.ok(applyEdits(old, p[0].fixes![0].edits).includes('"--model=meta-llama/Llama-3.1-8B-Instruct"'));
  // Derived images keep the name with a suffix, and the older entrypoint with their tag.
  assert.equal(imageEngine('quay.io/rh-aiservices-bu/vllm-openai-ubi9:0.4.2'), 'vllm');
  const ubi = pod({ image: 'quay.io/rh-aiservices-bu/vllm-openai-ubi9:0.4.2', args: '["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]', gpus: 1 });
  assert.equal(specs(ubi).length, 1);
  // A KServe ServingRuntime serves whatever is mounted at /mnt/models (with or without the trailing slash): a template, not read.
  const runtime = ubi.replace('kind: Deployment', 'kind: ServingRuntime').replace('"--model", "meta-llama/Llama-3.1-8B-Instruct"', '"--model=/mnt/models/"');
  assert.equal(specs(runtime).length, 0);
});

test("GKE's accelerator labels: nvidia-tesla-a100 is the A100 40GB, nvidia-h100-mega-80gb the H100 SXM; GFD's -SHARED is the card time-sliced", () => {
  assert.equal(gpuFromName('nvidia-tesla-a100', 'gke').gpu?.id, 'A100-SXM-40GB');
  assert.equal(gpuFromName('nvidia-a100-80gb', 'gke').gpu?.id, 'A100-SXM-80GB');
  assert.equal(gpuFromName('nvidia-h100-mega-80gb', 'gke').gpu?.id, 'H100-SXM-80GB');
  const h100 = gpuFromName('nvidia-h100-80gb', 'gke');
  assert.deepEqual([h100.gpu?.id, h100.note], ['H100-SXM-80GB', undefined]);
  const shared = gpuFromName('NVIDIA-H100-80GB-HBM3-SHARED', 'gfd');
  assert.equal(shared.gpu?.id, 'H100-SXM-80GB');
  assert.ok(shared.note?.includes('time-slicing'));
  const text = pod({ image: 'vllm/vllm-openai:v0.11.0', command: '["vllm", "serve"]', args: '["meta-llama/Llama-3.1-8B-Instruct"]', gpus: 1, selector: 'cloud.google.com/gke-accelerator: nvidia-tesla-a100' });
  const c = checkText(text, 'm.yaml');
  assert.equal((c.foreign?.[0].cluster?.spec as { nodes: { gpu: { model: string } } } | undefined)?.nodes.gpu.model, 'A100-SXM-40GB');
  const mega = text.replace('nvidia-tesla-a100', 'nvidia-h100-mega-80gb');
  assert.ok(!codes(mega).includes('unknown-gpu'));
});

test('`bash -c --`, `bash -lc --`, `bash -o pipefail -c` and `sh -ec` run their script: the serve command in it is read', () => {
  for (const command of ['["/bin/bash", "-lc", "--"]', '["/bin/bash", "-c", "--"]', '["/bin/bash", "-o", "pipefail", "-c"]', '["sh", "-ec"]', '["bash", "--login", "-c"]']) {
    const text = pod({ image: 'vllm/vllm-openai:v0.11.0', command, args: '["ulimit -n 65536; vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 999999"]', gpus: 1 });
    assert.deepEqual(codes(text), ['max-model-len'], command);
  }
  // An option that takes a name is not the script: `-o` without -c is no shell script.
  const none = pod({ image: 'python:3.11', command: '["bash", "-o", "pipefail"]', args: '["run.sh"]', gpus: 1 });
  assert.equal(specs(none).length, 0);
});

test('a LeaderWorkerSet whose leader and worker both run the server is one multi-node service (the LWS SGLang sample)', () => {
  const tmpl = (name: string, port: string) => `        containers:
          - name: ${name}
            image: lmsysorg/sglang:latest
            command: [python3, -m, sglang.launch_server, --model-path, Qwen/Qwen2.5-7B-Instruct, --tp, "2", --dist-init-addr, "$(LWS_LEADER_ADDRESS):20000", --nnodes, $(LWS_GROUP_SIZE), --node-rank, $(LWS_WORKER_INDEX)${port}]
            resources:
              limits:
                nvidia.com/gpu: "1"`;
  const text = `apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata: {name: sglang}
spec:
  replicas: 2
  leaderWorkerTemplate:
    size: 2
    leaderTemplate:
      spec:
${tmpl('leader', ', --port, "40000"')}
    workerTemplate:
      spec:
${tmpl('worker', ', --context-lenght, "8192"')}
`;
  const s = specs(text);
  assert.equal(s.length, 1, s.map((x) => x.label).join(' | '));
  assert.ok(s[0].label.includes('(container leader)'));
  // The worker's own slip stays, on the one service.
  assert.ok(s[0].problems.some((p) => p.code === 'foreign-unknown-flag' && under(text, p) === '--context-lenght'));
  const c = checkText(text, 'lws.yaml');
  assert.equal(c.estimates.length, 1);
  assert.ok(!c.problems.some((p) => p.code === 'serving-gpus' || p.code === 'foreign-unresolved'), c.problems.map((p) => p.code).join());
});

test("argparse's unambiguous prefix of a flag is that flag (vLLM's parser keeps allow_abbrev), and the hover says so", () => {
  const text = pod({ image: 'vllm/vllm-openai:v0.11.0', args: '["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-num-seq", "64", "--gpu-memory-util", "0.5"]', gpus: 1 });
  const f = specs(text)[0];
  assert.deepEqual([f.job.spec.maxNumSeqs, f.job.spec.gpuMemoryUtilization, f.job.spec.extraArgs], [64, 0.5, undefined]);
  assert.ok(f.assumptions.some((a) => a.startsWith("'--max-num-seq' read as --max-num-seqs")));
  assert.equal(under(text, f.sources.get('spec.gpuMemoryUtilization')!.span), '0.5');
  // Ambiguous within the table (--speculative-config, --speculative-model) or short: not read, as before.
  const amb = specs(pod({ image: 'vllm/vllm-openai:v0.11.0', args: '["--model", "meta-llama/Llama-3.1-8B-Instruct", "--speculative", "x", "--kv-cache", "fp8"]', gpus: 1 }))[0];
  assert.deepEqual(amb.job.spec.extraArgs, ['--speculative', 'x', '--kv-cache', 'fp8']);
});

test('a tensor-parallel size the file does not set stands in as every GPU the file gives, said so; no "Request 1 GPU"', () => {
  const script = '#!/bin/bash\n#SBATCH --gres=gpu:l40s:2\nvllm serve Qwen/Qwen2.5-32B-Instruct --max-model-len 8192 --tensor-parallel-size $NGPU\n';
  const c = checkText(script, '/w/s.sbatch');
  assert.ok(!c.problems.some((p) => p.code === 'foreign-gpus-idle' || p.code === 'memory-exceeds-capacity'), c.problems.map((p) => p.code).join());
  const warn = c.problems.find((p) => p.code === 'foreign-unresolved')!;
  assert.ok(warn.message.includes('taken as 2, every GPU the file gives'), warn.message);
  assert.equal(c.foreign?.[0].job.spec.tensorParallel, 2);
  // A Deployment's $(TP) from a ConfigMap: the same.
  const text = pod({ image: 'vllm/vllm-openai:v0.11.0', args: '["--model", "Qwen/Qwen2.5-32B-Instruct", "--max-model-len", "8192", "--tensor-parallel-size=$(TP)"]', gpus: 2 });
  assert.ok(!codes(text).includes('foreign-gpus-idle'));
  // Where the file gives no GPU count either, the default stands in and the warning says so.
  const bare = checkText('#!/bin/bash\nvllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 8192 -tp $TP\n', '/w/b.sh');
  assert.ok(bare.problems.find((p) => p.code === 'foreign-unresolved')!.message.includes("vLLM's default"));
});

test('`vllm serve --config cfg.yaml`: the model comes from the file; read when it is beside the command, else a warning, not "names no model"', () => {
  const c = checkText('#!/bin/bash\nvllm serve --config cfg.yaml\n', '/w/serve.sh');
  assert.deepEqual(
    c.problems.map((p) => [p.code, p.severity]),
    [['foreign-unresolved', 'warning']],
  );
  assert.ok(c.problems[0].message.startsWith("The model comes from --config 'cfg.yaml'"));
  const word = (value: string, offset: number): Word => ({ value, span: { offset, length: value.length }, exact: true, quote: '' });
  const cmd: ServeCommand = { engine: 'vllm', launcher: 'vllm serve', args: [word('--config', 11), word('cfg.yaml', 20), word('--max-model-len', 29), word('4096', 45)], anchor: { offset: 0, length: 10 } };
  const files: Record<string, string> = { 'cfg.yaml': 'model: meta-llama/Llama-3.1-8B-Instruct\ntensor-parallel-size: 2\nmax_model_len: 8192\nenforce-eager: true\ndisable-log-stats: false\n' };
  const r = readServeArgs(cmd, { readFile: (p) => files[p] });
  assert.deepEqual([r.spec.model?.preset, r.spec.tensorParallel, r.spec.maxModelLen, r.spec.enforceEager], ['llama-3.1-8b', 2, 4096, true]);
  assert.ok(!r.problems.some((p) => p.code === 'foreign-no-model'));
  assert.ok(r.assumptions.some((a) => a.startsWith('--config cfg.yaml read: model, tensor-parallel-size')));
  // What the file sets is placed on the --config word and not rewritten by a fix.
  assert.equal(r.sources.get('spec.tensorParallel')?.write?.(4), undefined);
  // An absolute path names the serving machine's file: not read here.
  const abs = readServeArgs({ ...cmd, args: [word('--config=/etc/vllm/cfg.yaml', 11)] }, { readFile: (p) => files[p] ?? 'model: x\n' });
  assert.ok(abs.problems.some((p) => p.code === 'foreign-unresolved'));
});

test("an image tag that is no release is not the engine's version; a suffixed one is its X.Y.Z for the estimate", () => {
  assert.equal(imageVersion('registry.redhat.io/rhaiis/vllm-cuda-rhel9:3', 'vllm'), undefined);
  assert.equal(imageVersion('registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.0.0', 'vllm'), undefined);
  assert.equal(imageVersion('lmcache/vllm-openai:2025-05-05-v1', 'vllm'), undefined);
  assert.equal(imageVersion('vllm/vllm-openai:v0.10.2-cu126', 'vllm'), '0.10.2-cu126');
  for (const [tag, release] of [
    ['v0.8.5.post1', '0.8.5'],
    ['v0.10.2-nixl-0.7.1-ucx-1.19.0', '0.10.2'],
    ['v0.9.1rc1', '0.9.1'],
    ['v0.10.1.1', '0.10.1.1'],
  ]) {
    const f = specs(pod({ image: `vllm/vllm-openai:${tag}`, command: '["vllm", "serve"]', args: '["meta-llama/Llama-3.1-8B-Instruct"]', gpus: 1 }))[0];
    assert.equal(f.job.spec.engineVersion, release, tag);
  }
});
