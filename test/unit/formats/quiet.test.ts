// A file is Gantry's business only where a serving command is found: ordinary manifests, scripts,
// compose files and Dockerfiles get nothing (no problems, no estimates) — and bad input gets a
// clear problem or a stated assumption, never a throw.
import { test } from 'node:test';
import * as path from 'node:path';
import { defaultHfHubCache } from '../../../core/catalog/hfCache';
import * as assert from 'node:assert/strict';
import { claimingReaders } from '../../../core/formats/index';
import { tokenizeShell } from '../../../core/formats/shellWords';
import { kubernetesReader } from '../../../core/formats/kubernetes';
import { checkText, figures, fixture, under } from './servingHelpers';

const QUIET: [string, string][] = [
  [
    'nginx.yaml',
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          args: ["--port", "80"]
          resources:
            limits:
              nvidia.com/gpu: 1
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{ port: 80 }]
`,
  ],
  ['build.sh', '#!/bin/bash\nset -e\nnpm ci\nnpm run build -- --production\necho "done: $PWD"\n'],
  ['train.sbatch', '#!/bin/bash\n#SBATCH --gres=gpu:h100:8\nsrun torchrun --nproc-per-node 8 train.py --lr 3e-4\n'],
  ['docker-compose.yml', 'services:\n  db:\n    image: postgres:16\n    command: ["postgres", "-c", "max_connections=200"]\n'],
  ['Dockerfile', 'FROM python:3.12\nRUN pip install flask\nCMD ["python", "app.py"]\n'],
  ['task.yaml', 'resources:\n  accelerators: A100:8\nrun: |\n  torchrun train.py\n'],
  // Mentions vllm, but runs no server: a pip install, a comment.
  ['setup.sh', '#!/bin/sh\n# we use vllm elsewhere\npip install vllm==0.8.5\npython -c "import vllm"\n'],
];

for (const [name, text] of QUIET) {
  test(`${name}: not a serving config — nothing from Gantry`, () => {
    const c = checkText(text, name);
    assert.equal(c.gantry, false);
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.estimates, []);
  });
}

test('claims() is false for files that do not mention an engine (no parse at all)', () => {
  // A training script's torchrun line is the launcher reader's (launcher.ts): it reads the config the
  // line passes, and finds nothing here; no serving reader looks at these files.
  for (const [name, text] of QUIET.slice(0, 6))
    assert.deepEqual(
      claimingReaders(name, text).filter((r) => r.id !== 'launcher'),
      [],
      name,
    );
});

test('unbalanced quotes and an unterminated continuation: a clear problem, no throw', () => {
  const text = '#!/bin/bash\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len "8192 \\\n';
  const c = checkText(text, 'bad.sh');
  const p = c.problems.find((x) => x.code === 'foreign-shell');
  assert.ok(p, c.problems.map((x) => x.message).join('; '));
  assert.match(p.message, /never closed/);
  assert.equal(under(text, p), '"');
  const t = tokenizeShell('vllm serve m \\');
  assert.match(t.problems[0].message, /unterminated line continuation/);
  const s = tokenizeShell("echo 'abc");
  assert.match(s.problems[0].message, /single quote is never closed/);
});

test('$(VAR) loops in a container env end (one pass, as the kubelet expands) and say what is unknown', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: loop
spec:
  containers:
    - name: vllm
      image: vllm/vllm-openai:latest
      env:
        - name: A
          value: "$(B)"
        - name: B
          value: "$(A)$(A)"
      command: ["vllm", "serve", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "$(A)"]
`;
  const c = checkText(text, 'loop.yaml');
  const p = c.problems.find((x) => x.code === 'foreign-unresolved');
  assert.ok(p, c.problems.map((x) => x.message).join('; '));
  assert.match(p.message, /\$\(B\)/);
  assert.ok(c.estimates.length === 1, 'the estimate assumes the default max-model-len and says so');
});

test('a doubling chain of variables is cut at the word limit with a problem', () => {
  let script = 'A=xxxxxxxxxxxxxxxx\n';
  for (let k = 0; k < 20; k++) script += `A=$A$A\n`;
  script += 'vllm serve "$A"\n';
  const t = tokenizeShell(script, { assignments: true });
  assert.ok(t.problems.some((p) => /longer than/.test(p.message)));
  assert.ok(t.commands[t.commands.length - 1].words[2].value.length <= 64 * 1024);
});

test('a 1 MB args list: the reader reads it without a throw, unknown flags kept in extraArgs; the check says the file is too large', () => {
  const items = Array.from({ length: 50_000 }, (_, k) => `        - "--opt-${k}"`).join('\n');
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
    - name: vllm
      image: vllm/vllm-openai:latest
      command: ["vllm", "serve"]
      args:
        - "meta-llama/Llama-3.1-8B-Instruct"
${items}
`;
  assert.ok(text.length > 1_000_000);
  const specs = kubernetesReader.read(text, { fileName: 'huge.yaml' });
  assert.equal(specs.length, 1);
  assert.equal((specs[0].job.spec.extraArgs as string[]).length, 50_000);
  // Past MAX_FOREIGN_CHARS the editor and `gantry check` do not read it (the parse alone holds the server for seconds).
  assert.deepEqual(
    checkText(text, 'huge.yaml').problems.map((p) => p.code),
    ['foreign-file-too-large'],
  );
});

test("an unknown model: one clear warning on the model word (the server may well start), in the file's terms, no estimate", () => {
  const text = '#!/bin/bash\nvllm serve acme/SecretModel-13B --max-model-len 4096\n';
  const c = checkText(text, 'x.sh');
  assert.deepEqual(
    c.problems.filter((p) => p.severity === 'error'),
    [],
  );
  const w = c.problems.filter((p) => p.code === 'unknown-model');
  assert.equal(w.length, 1, c.problems.map((p) => p.message).join('; '));
  assert.equal(w[0].severity, 'warning');
  assert.equal(under(text, w[0]), 'acme/SecretModel-13B');
  assert.match(w[0].message, /^Gantry does not know the model 'acme\/SecretModel-13B'.*Hugging Face cache/);
  assert.doesNotMatch(w[0].message, /model\.config|preset/, "Gantry's own spec terms");
  assert.ok(
    c.estimates.every((e) => !e.estimate.ok),
    'no figures shown as certain',
  );
});

test("an unknown model the local Hugging Face cache holds but cannot give (config.json a device): the file's warning says so, not 'not in the cache'", () => {
  const hub = defaultHfHubCache();
  if (!hub) return;
  const ref = path.join(hub, 'models--acme--Zero-13B', 'refs', 'main');
  const cfg = path.join(hub, 'models--acme--Zero-13B', 'snapshots', 'abc1234def5678', 'config.json');
  const read = Object.assign((p: string) => (p === ref ? 'abc1234def5678' : undefined), { why: (p: string) => (p === cfg ? 'not a regular file' : p === ref ? undefined : 'no such file') });
  const text = '#!/bin/bash\nvllm serve acme/Zero-13B --max-model-len 4096\n';
  const w = checkText(text, 'x.sh', undefined, read).problems.filter((p) => p.code === 'unknown-model');
  assert.equal(w.length, 1);
  assert.match(w[0].message, /^Gantry does not know the model 'acme\/Zero-13B': it is not in the catalog, and it is in the local Hugging Face cache, but its config\.json there cannot be read \(not a regular file: /);
  assert.doesNotMatch(w[0].message, /neither in the catalog nor|model\.config|preset/);
});

test('an unknown GPU label: an error on the label, no number shown as certain', () => {
  const text = fixture('deployment.yaml').replace('NVIDIA-H100-80GB-HBM3', 'NVIDIA-Quantum-Foo');
  const c = checkText(text, 'd.yaml');
  const p = c.problems.find((x) => x.severity === 'error');
  assert.ok(p);
  assert.equal(under(text, p), 'NVIDIA-Quantum-Foo');
  assert.match(p.message, /Unknown GPU/);
  assert.equal(figures(c), undefined, 'no serving figures');
});

test('no GPU in the file: the default GPU setting is used and said', () => {
  const c = checkText(fixture('compose.yaml'), 'compose.yaml', { gpu: 'L40S-48GB' });
  assert.equal(c.estimates[0].estimate.gpu?.id, 'L40S-48GB');
  assert.ok(c.foreign![0].assumptions.some((a) => a.includes('from gantry.context.yaml, --gpu or the gantry.foreign.gpu setting')));
});
