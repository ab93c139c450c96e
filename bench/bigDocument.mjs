// `node bench/bigDocument.mjs`: how long the language server keeps other requests waiting while
// one document just under the 64 KB "document too large" limit gets its first check. The server
// (dist/server.js with package.json gantry.serverNodeFlags, GANTRY_TIMING=1) opens a small spec,
// then the big one; 5 ms later a hover on the small spec is sent. Printed per run: the hover's
// round trip, the big file's first diagnostics (from its didOpen), and the check's longest slice
// (from the server's timing line). BENCH_REPS runs (default 5); KIND=cluster uses a Cluster of some
// 4,900 unknown keys instead of a job with a long env (every key a schema problem); KIND=list a
// service whose LoRA adapter list has 1,700 items with three mistakes each. BENCH_FILE=path opens
// that file instead (a foreign config: a TOML, a manifest, a script), under its own name.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './lspConnection.mjs';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flags = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).gantry.serverNodeFlags;
const good = readFileSync(path.join(root, 'examples/llama3-8b-pretrain.gantry.yaml'), 'utf8');
const KINDS = {
  env: ['job with a long env', 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: big\nspec:\n  cluster: local\n  env:\n', (i) => `    VAR_${i}: "value number ${i} with some text"\n`],
  cluster: ['Cluster of unknown keys', 'apiVersion: gantry/v1\nkind: Cluster\nmetadata:\n  name: c\nspec:\n', (i) => `  key${i}: ${i}\n`],
  list: ['service with 3 mistakes in each list item', 'apiVersion: gantry/v1\nkind: InferenceService\nmetadata:\n  name: s\nspec:\n  cluster: local\n  engine: vllm\n  model:\n    preset: llama-3-8b\n  lora:\n    adapters:\n', (i) => `      - {name: 1, path: [], x${i}: 1}\n`],
};
const [kindName, head, line] = KINDS[process.env.KIND ?? 'env'] ?? KINDS.env;
let big = head;
for (let i = 0; big.length < 63000; i++) big += line(i);
if (process.env.BENCH_FILE) big = readFileSync(process.env.BENCH_FILE, 'utf8');
function once() {
  return new Promise((resolve) => {
    const server = startServer(process.execPath, [...flags, path.join(root, 'dist/server.js'), '--stdio'], { stderr: 'pipe', env: { ...process.env, GANTRY_TIMING: '1' } });
    let err = '';
    server.proc.stderr.on('data', (d) => (err += d));
    const notes = [];
    const req = server.request;
    const diag = (uri) => new Promise((r) => notes.push([uri, r]));
    server.onNotification((method, params) => {
      if (method === 'textDocument/publishDiagnostics')
        for (let k = notes.length - 1; k >= 0; k--)
          if (notes[k][0] === params.uri) {
            notes[k][1](params);
            notes.splice(k, 1);
          }
    });
    (async () => {
      await req('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      server.notify('initialized', {});
      const small = 'file:///bench/small.gantry.yaml',
        bigUri = `file:///bench/${process.env.BENCH_FILE ? path.basename(process.env.BENCH_FILE) : 'big.gantry.yaml'}`;
      const d1 = diag(small);
      server.notify('textDocument/didOpen', { textDocument: { uri: small, languageId: 'yaml', version: 1, text: good } });
      await d1;
      // warm the hover path
      const line = good.split('\n').findIndex((l) => /^\s+precision:/.test(l));
      await req('textDocument/hover', { textDocument: { uri: small }, position: { line, character: 5 } });
      const t0 = performance.now();
      const db = diag(bigUri);
      server.notify('textDocument/didOpen', { textDocument: { uri: bigUri, languageId: 'yaml', version: 1, text: big } });
      let hoverMs = NaN;
      let bigMs = NaN;
      db.then(() => (bigMs = performance.now() - t0));
      // A hover on the small file sent 5 ms after the open (so the big file's check has started).
      await new Promise((r) => setTimeout(r, 5));
      const t1 = performance.now();
      await req('textDocument/hover', { textDocument: { uri: small }, position: { line, character: 5 } });
      hoverMs = performance.now() - t1;
      await db;
      const log = err; // the server's timing lines up to the big file's first diagnostics
      await server.shutdown();
      resolve({
        hoverMs,
        bigMs,
        slice: /longest slice ([\d.]+)/.exec(
          log
            .split('\n')
            .filter((l) => l.includes('longest'))
            .pop() ?? '',
        )?.[1],
      });
    })();
  });
}
const res = [];
for (let i = 0; i < Number(process.env.BENCH_REPS ?? 5); i++) res.push(await once());
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (name, xs) => console.log(`  ${name.padEnd(44)} ${median(xs).toFixed(0).padStart(5)}  (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`a ${(big.length / 1024).toFixed(1)} KB ${process.env.BENCH_FILE ? path.basename(process.env.BENCH_FILE) : kindName}: medians of ${res.length} runs, ms`);
row(
  'hover on another file, round trip',
  res.map((r) => r.hoverMs),
);
row(
  "big file's first diagnostics",
  res.map((r) => r.bigMs),
);
row(
  'longest slice of its check (GANTRY_TIMING)',
  res.map((r) => Number(r.slice)),
);
