// The language server on a training config with the script that launches it beside it: the folder
// is listed and the script read in the background (never blocking), and the config is checked again
// with the script's world size; the hover names the script, and a hover on one value says what
// Gantry reads it as. Waits on the server's answers with a
// deadline that only catches a hang.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { repo, tempDir } from '../helpers';
import { startLspServer, type LspServer } from './lspServer';

let server: LspServer;
let conn: MessageConnection;
const dir = tempDir('gantry-lsp-link-');

before(async () => {
  copyFileSync(repo('test/fixtures/foreign/training/torchtitan/llama3_8b.toml'), path.join(dir, 'train.toml'));
  writeFileSync(path.join(dir, 'run.sbatch'), '#!/bin/bash\n#SBATCH --nodes=2\n\nsrun torchrun --nnodes 2 --nproc_per_node 4 -m torchtitan.train --job.config_file train.toml\n');
  server = await startLspServer(dir, 'w');
  conn = server.conn;
  await server.indexed;
});

after(() => server?.stop());

test("a torchtitan TOML's hover takes 2 nodes × 4 GPUs from run.sbatch beside it, and names it", async () => {
  const uri = pathToFileURL(path.join(dir, 'train.toml')).href;
  const text = readFileSync(path.join(dir, 'train.toml'), 'utf8');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'toml', version: 1, text } });
  const line = text.split('\n').indexOf('[model]');
  const deadline = Date.now() + 60_000;
  let last = '';
  for (;;) {
    const h = await conn.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 1 } });
    last = h?.contents.value ?? '';
    if (last.includes("'run.sbatch' line 4")) break;
    if (Date.now() > deadline) assert.fail(`no world size from run.sbatch in the hover after 60 s: ${last.slice(0, 2000)}`);
    // A poll with a deadline: the listing and the read arrive in the background, and the server re-checks.
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
  }
  assert.match(last, /2 nodes × 4 GPUs/);
});

test('a launching script changed on disk (the file watcher says so): the open config is checked again with the new world size', async () => {
  const uri = pathToFileURL(path.join(dir, 'train.toml')).href;
  const text = readFileSync(path.join(dir, 'train.toml'), 'utf8');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'toml', version: 1, text } });
  const line = text.split('\n').indexOf('[model]');
  const hoverUntil = async (want: string) => {
    const deadline = Date.now() + 60_000;
    let last = '';
    for (;;) {
      const h = await conn.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 1 } });
      last = h?.contents.value ?? '';
      if (last.includes(want)) return last;
      if (Date.now() > deadline) assert.fail(`no '${want}' in the hover after 60 s: ${last.slice(0, 2000)}`);
      await new Promise<void>((resolve) => setTimeout(resolve, 50));
    }
  };
  await hoverUntil("'run.sbatch' line 4");
  writeFileSync(path.join(dir, 'run.sbatch'), '#!/bin/bash\n#SBATCH --nodes=2\n\nsrun torchrun --nnodes 2 --nproc_per_node 2 -m torchtitan.train --job.config_file train.toml\n');
  conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'run.sbatch')).href, type: 2 }] });
  assert.match(await hoverUntil('2 GPUs per node'), /2 nodes × 2 GPUs/);
});

test("a hover on one of the TOML's values says what Gantry reads it as, with the estimate's line; the [model] line keeps the breakdown", async () => {
  const uri = pathToFileURL(path.join(dir, 'train.toml')).href;
  const text = readFileSync(path.join(dir, 'train.toml'), 'utf8');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'toml', version: 1, text } });
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.startsWith('seq_len'));
  const character = lines[line].lastIndexOf('=') + 3;
  type H = { contents: { value: string }; range: { start: { line: number } } } | null;
  // The script beside the config is read in the background: wait (a deadline that only catches a hang) for the estimate.
  const deadline = Date.now() + 60_000;
  let h: H = null;
  for (;;) {
    h = await conn.sendRequest<H>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    if (h?.contents.value.includes('Estimate: ')) break;
    if (Date.now() > deadline) assert.fail(`no estimate line in the value hover after 60 s: ${h?.contents.value.slice(0, 2000)}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
  }
  assert.match(h.contents.value, /read by Gantry as `batch\.sequenceLength` = `8192`/);
  assert.equal(h.range.start.line, line);
  const anchor = await conn.sendRequest<H>('textDocument/hover', { textDocument: { uri }, position: { line: lines.indexOf('[model]'), character: 1 } });
  assert.match(anchor?.contents.value ?? '', /Assumptions|assumed/);
});

test('an open gantry.context.yaml gets its own diagnostics in the editor (an unknown GPU, a slipped key)', async () => {
  const uri = pathToFileURL(path.join(dir, 'gantry.context.yaml')).href;
  const text = 'gpu: H100-SXM-80G\ngpusPerNod: 4\n';
  writeFileSync(path.join(dir, 'gantry.context.yaml'), text);
  const got = new Promise<{ code: string }[]>((resolve) => {
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string }[] }) => {
      if (p.uri === uri && p.diagnostics.length) resolve(p.diagnostics);
    });
  });
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no diagnostics for gantry.context.yaml within 60 s')), 60_000);
  });
  // The deadline only catches a hang; it is cleared so that it does not hold the test process for a minute.
  const diagnostics = await Promise.race([got, hang]).finally(() => clearTimeout(timer));
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['unknown-gpu', 'context-file'],
  );
});

test('completion and hover in the open gantry.context.yaml: its keys, catalog GPUs as values, what a key says', async () => {
  const uri = pathToFileURL(path.join(dir, 'gantry.context.yaml')).href;
  type Items = { label: string }[] | { items: { label: string }[] } | null;
  const labels = (r: Items) => (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);
  const values = await conn.sendRequest<Items>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 6 } });
  assert.ok(labels(values).includes('H100-SXM-80GB'), 'catalog GPUs after gpu:');
  const keys = await conn.sendRequest<Items>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 3 } });
  assert.ok(labels(keys).includes('gpusPerNode'));
  const h = await conn.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
  assert.match(h?.contents.value ?? '', /\*\*gpu\*\* \(gantry\.context\.yaml\)/);
});
