// `npm run bench:foreign`: checkFile (core/check/checkFile.ts) on a Helm-rendered manifest of 200
// documents and ~5,000 lines, one of which runs vLLM, after a keystroke-sized edit — once in a
// document without a serving command (the readers must skip it: one string search each) and once
// in the vLLM Deployment's --max-model-len. Target (issue 10): ≤ 20 ms per edit. Prints medians.
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-foreign-'));
const outfile = path.join(dir, 'check.cjs');
await import(path.join(root, 'scripts/gen-validators.mjs'));
await esbuild.build({ entryPoints: [path.join(root, 'core/check/checkFile.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning' });
const { checkFile } = createRequire(import.meta.url)(outfile);
rmSync(dir, { recursive: true, force: true });

// 199 ordinary documents (~25 lines each) around the Deployment of test/fixtures/foreign/serving/deployment.yaml.
const serving = readFileSync(path.join(root, 'test/fixtures/foreign/serving/deployment.yaml'), 'utf8').split('\n---\n')[0];
const plain = (k) => `# Source: app/templates/svc-${k}.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${k}
  labels:
    app.kubernetes.io/name: web-${k}
    app.kubernetes.io/instance: release
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web-${k}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web-${k}
    spec:
      containers:
        - name: web
          image: "nginx:1.27"
          args: ["--port", "80${k % 10}"]
          ports:
            - containerPort: 80
          resources:
            limits:
              memory: 256Mi`;
const docs = [];
for (let k = 0; k < 199; k++) docs.push(plain(k));
docs.splice(100, 0, serving);
const text = `---\n${docs.join('\n---\n')}\n`;
const lines = text.split('\n').length;

const iterations = Number(process.env.ITER ?? 200);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(2)} ms`;

function time(label, at, a, b) {
  const variants = [text, text.slice(0, at) + b + text.slice(at + a.length)];
  const times = [];
  let found = 0;
  for (let i = 0; i < iterations; i++) {
    const t = variants[i % 2];
    const t0 = performance.now();
    const r = checkFile(t, { fileName: 'rendered.yaml' });
    times.push(performance.now() - t0);
    found = r.foreign?.length ?? 0;
  }
  console.log(`${label.padEnd(48)} median ${ms(median(times))}  (p90 ${ms([...times].sort((x, y) => x - y)[Math.floor(times.length * 0.9)])}; ${found} serving command found)`);
}

console.log(`Helm-rendered manifest: ${docs.length} documents, ${lines} lines, ${(text.length / 1024).toFixed(0)} KiB; ${iterations} checks each`);
const plainAt = text.indexOf('replicas: 2', text.indexOf('name: web-150')) + 'replicas: '.length;
time('edit in a document without vLLM (replicas)', plainAt, '2', '3');
const lenAt = text.indexOf('"8192"') + 1;
time('edit in the vLLM Deployment (--max-model-len)', lenAt, '8192', '81920');
console.log('target: ≤ 20 ms per edit (issue 10)');
