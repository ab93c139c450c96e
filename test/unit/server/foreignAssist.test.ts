// The language server on a foreign file it reads (a script with `vllm serve`): completion of the
// engine's flags while a flag is typed, from the file's check of the text just sent; no completion
// on a file no reader claims. Answers are awaited; no deadline beyond the runner's own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers';
import { startLspServer, type LspServer } from './lspServer';

let server: LspServer;
const dir = tempDir('gantry-lsp-assist-');

before(async () => {
  server = await startLspServer(dir, 'w');
  await server.indexed;
});

after(() => server?.stop());

type Items = { label: string; textEdit?: { newText: string } }[] | { items: { label: string }[] } | null;
const labels = (r: Items) => (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);

test('typing --gpu in a vllm serve line offers --gpu-memory-utilization (the version just typed is checked first)', async () => {
  const uri = pathToFileURL(path.join(dir, 'serve.sh')).href;
  const v1 = '#!/bin/bash\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192\n';
  server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'shellscript', version: 1, text: v1 } });
  const v2 = v1.replace('8192\n', '8192 --gpu\n');
  server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: v2 }] });
  const line = 1;
  const character = v2.split('\n')[1].length;
  const got = labels(await server.conn.sendRequest<Items>('textDocument/completion', { textDocument: { uri }, position: { line, character } }));
  assert.ok(got.includes('--gpu-memory-utilization'), got.join(' '));
  assert.ok(!got.includes('--max-model-len'), 'written already');
});

test('a YAML file no reader claims gets no completion from Gantry', async () => {
  const uri = pathToFileURL(path.join(dir, 'other.yaml')).href;
  const text = 'name: x\nflags: --gpu\n';
  server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const got = await server.conn.sendRequest<Items>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 12 } });
  assert.deepEqual(labels(got), []);
});
