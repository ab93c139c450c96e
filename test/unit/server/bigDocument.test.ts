// One document just under the 64 KB "document too large" limit, opened in `gantry server --stdio`:
// its first check is parsed in steps (core/spec/parse.ts parseChunkSteps) inside the time-sliced
// check (server/handlers/publish.ts), so a hover on another file is answered before the big file's
// diagnostics are published, and an edit that arrives meanwhile is what gets published. Ordered by
// events only; the time limits only catch a hang.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { repo } from '../helpers';

let proc: ChildProcess;
let conn: MessageConnection;
type Published = { uri: string; version?: number; diagnostics: { code: string; message: string }[] };
const published: Published[] = [];
const waiters: (() => void)[] = [];

before(async () => {
  proc = spawn(repo('dist/cli.js'), ['server', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    published.push(p);
    waiters.splice(0).forEach((w) => w());
  });
  conn.onRequest(() => null);
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  conn.sendNotification('initialized', {});
});

after(() => {
  conn?.dispose();
  proc?.kill();
  // A server that has already gone leaves its pipes open in this process, which would then never exit.
  proc?.stdin?.destroy();
  proc?.stdout?.destroy();
});

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms).unref())]);
}

function diagnosticsAt(uri: string, version: number, ms = 60_000): Promise<Published> {
  return withTimeout(
    new Promise<Published>((resolve) => {
      const check = () => {
        const hit = published.find((p) => p.uri === uri && p.version === version);
        if (hit) resolve(hit);
        else waiters.push(check);
      };
      check();
    }),
    ms,
    `diagnostics v${version} of ${uri}`,
  );
}

const good = readFileSync(repo('examples/llama3-8b-pretrain.gantry.yaml'), 'utf8');

function bigJob(marker: string): string {
  let t = `apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: big\nspec:\n  precision: ${marker}\n  env:\n`;
  for (let i = 0; t.length < 63_000; i++) t += `    VAR_${i}: "value number ${i} with some text"\n`;
  return t;
}

test('a document just under 64 KB: a hover on another file is answered before its first diagnostics, and a newer version wins', async () => {
  const other = pathToFileURL(repo('examples/test-big-other.gantry.yaml')).href;
  // Four such files at once, so that their first checks together last long enough (some 100 ms each)
  // that the hover, sent right after, arrives while they run even on a busy machine.
  const bigs = [1, 2, 3, 4].map((i) => pathToFileURL(repo(`examples/test-big-doc${i}.gantry.yaml`)).href);
  const big = bigs[0];
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'yaml', version: 1, text: good } });
  await diagnosticsAt(other, 1);
  const text = bigJob('fp7');
  assert.ok(text.length < 64 * 1024 && text.length > 60_000);
  for (const uri of bigs) conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const line = good.split('\n').findIndex((l) => /^\s+precision:/.test(l));
  const h = await withTimeout(conn.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: other }, position: { line, character: 5 } }), 30_000, 'hover while the big document is checked');
  assert.ok(h?.contents.value.includes('precision'));
  assert.equal(published.filter((p) => bigs.includes(p.uri)).length, 0, "the hover was answered before the big documents' diagnostics");
  // A newer version while the first check may still run: its diagnostics are published, from its own text.
  conn.sendNotification('textDocument/didChange', { textDocument: { uri: big, version: 2 }, contentChanges: [{ text: bigJob('bf16') }] });
  const d2 = await diagnosticsAt(big, 2);
  assert.ok(!d2.diagnostics.some((d) => d.code === 'document-too-large' || d.message.includes('fp7')), JSON.stringify(d2.diagnostics.slice(0, 3)));
  const d1 = published.find((p) => p.uri === big && p.version === 1);
  if (d1)
    assert.ok(
      d1.diagnostics.some((d) => d.message.includes('fp7')),
      'version 1, when published at all, was checked in full',
    );
  for (const uri of bigs.slice(1)) await diagnosticsAt(uri, 1);
  // Awaited: a notification still queued when the file ends would be written to a closed pipe.
  await Promise.all([...bigs, other].map((uri) => conn.sendNotification('textDocument/didClose', { textDocument: { uri } })));
});

/** A vLLM Deployment (the serving fixture's) whose container has some 1,000 environment variables: about 60 KB. */
function bigDeployment(): string {
  const fixture = readFileSync(repo('test/fixtures/foreign/serving/deployment.yaml'), 'utf8');
  const deployment = fixture.slice(0, fixture.indexOf('\n---\n') + 1);
  let env = '          env:\n';
  for (let i = 0; env.length < 58_000; i++) env += `            - name: VAR_${i}\n              value: "value number ${i}"\n`;
  const at = deployment.indexOf('          command:');
  return deployment.slice(0, at) + env + deployment.slice(at);
}

test('a 60 KB Kubernetes manifest: checked in steps, so a hover on another file is answered before its diagnostics; a code lens asked meanwhile waits for that check', async () => {
  const other = pathToFileURL(repo('examples/test-big-other2.gantry.yaml')).href;
  const manifests = [1, 2, 3, 4].map((i) => pathToFileURL(repo(`examples/test-big-deploy${i}.yaml`)).href);
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'yaml', version: 1, text: good } });
  await diagnosticsAt(other, 1);
  const text = bigDeployment();
  assert.ok(text.length < 64 * 1024 && text.length > 58_000);
  for (const uri of manifests) conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const lens = conn.sendRequest<{ command?: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: manifests[3] } });
  const line = good.split('\n').findIndex((l) => /^\s+precision:/.test(l));
  const h = await withTimeout(conn.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: other }, position: { line, character: 5 } }), 30_000, 'hover while the manifests are checked');
  assert.ok(h?.contents.value.includes('precision'));
  assert.equal(published.filter((p) => manifests.includes(p.uri)).length, 0, "the hover was answered before the manifests' diagnostics");
  // The lens was asked while the manifest's check was scheduled: it is the estimate, not an empty answer.
  const lenses = await withTimeout(lens, 30_000, 'the code lens of a manifest being checked');
  assert.equal(lenses.length, 1);
  assert.match(lenses[0].command?.title ?? '', /GiB/);
  for (const uri of manifests) await diagnosticsAt(uri, 1);
  await Promise.all([...manifests, other].map((uri) => conn.sendNotification('textDocument/didClose', { textDocument: { uri } })));
});
