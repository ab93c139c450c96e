// Completion offers the models of the local Hugging Face cache after the catalog's presets: in a
// gantry.context.yaml's `model:` and a spec's `model.preset`, listed by the server in the background
// (HF_HUB_CACHE points at a folder made here). Answers are awaited; the loop that waits for the
// background listing has a cap that only catches a hang.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hubRepoIds, MAX_HUB_MODELS } from '../../../core/catalog/hfCache';
import { contextCompletion } from '../../../core/formats/context';
import { tempDir } from '../helpers';
import { startLspServer, type LspServer } from './lspServer';

test('hub folder names: models--org--name are repos; datasets, spaces, odd names are not; sorted and capped', () => {
  assert.deepEqual(hubRepoIds(['models--acme--Foo-7B', 'datasets--acme--data', 'spaces--a--b', 'models--x--y--z', 'models--bad', '.locks', 'models--Qwen--Qwen3-8B']), ['Qwen/Qwen3-8B', 'acme/Foo-7B']);
  const many = Array.from({ length: MAX_HUB_MODELS + 20 }, (_, i) => `models--org--m${String(i).padStart(4, '0')}`);
  assert.equal(hubRepoIds(many).length, MAX_HUB_MODELS);
});

test('context completion: local repos after the catalog, a catalog alias not twice, a derivative described by what it resolves to', () => {
  const got = contextCompletion(
    'model: ',
    7,
    () => [],
    () => ['acme/Foo-7B', 'meta-llama/Llama-3.1-8B', 'RedHatAI/Qwen3-8B-NVFP4'],
  );
  const labels = got.map((c) => c.label);
  assert.ok(labels.includes('llama-3.1-8b'));
  assert.ok(labels.indexOf('acme/Foo-7B') > labels.indexOf('llama-3.1-8b'));
  assert.ok(!labels.includes('meta-llama/Llama-3.1-8B'), 'a catalog alias is the catalog entry');
  const nvfp4 = got.find((c) => c.label === 'RedHatAI/Qwen3-8B-NVFP4');
  assert.equal(nvfp4?.detail, 'Hugging Face cache');
  assert.match(nvfp4?.documentation ?? '', /NVFP4/);
  assert.match(got.find((c) => c.label === 'acme/Foo-7B')?.documentation ?? '', /config\.json gives the architecture/);
});

let server: LspServer;
const dir = tempDir('gantry-lsp-hf-');
const hub = tempDir('gantry-hub-');

before(async () => {
  for (const d of ['models--acme--Foo-7B', 'datasets--acme--data']) fs.mkdirSync(path.join(hub, d));
  server = await startLspServer(dir, 'w', () => undefined, { HF_HUB_CACHE: hub });
  await server.indexed;
});

after(() => server?.stop());

type Items = { label: string }[] | { items: { label: string }[] } | null;
const labels = (r: Items) => (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);

async function completeUntil(uri: string, line: number, character: number, want: string): Promise<string[]> {
  let got: string[] = [];
  for (let i = 0; i < 400 && !got.includes(want); i++) {
    got = labels(await server.conn.sendRequest<Items>('textDocument/completion', { textDocument: { uri }, position: { line, character } }));
    if (!got.includes(want)) await new Promise((r) => setTimeout(r, 25));
  }
  return got;
}

test('over LSP: a gantry.context.yaml model and a spec preset offer the cached repo, not the dataset', async () => {
  const ctx = pathToFileURL(path.join(dir, 'gantry.context.yaml')).href;
  server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: ctx, languageId: 'yaml', version: 1, text: 'model: ' } });
  const a = await completeUntil(ctx, 0, 7, 'acme/Foo-7B');
  assert.ok(a.includes('acme/Foo-7B'), a.slice(-5).join(' '));
  assert.ok(!a.some((l) => l.includes('data')));
  const spec = pathToFileURL(path.join(dir, 'job.gantry.yaml')).href;
  const text = 'apiVersion: gantry/v1\nkind: InferenceService\nmetadata:\n  name: s\nspec:\n  model:\n    preset: \n';
  server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: spec, languageId: 'yaml', version: 1, text } });
  const b = await completeUntil(spec, 6, 12, 'acme/Foo-7B');
  assert.ok(b.includes('acme/Foo-7B') && b.includes('llama-3.1-8b'), b.slice(-5).join(' '));
});
