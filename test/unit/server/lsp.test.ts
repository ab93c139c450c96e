// The language server over stdio, as Neovim or Helix would run it (`gantry server --stdio`): real
// JSON-RPC, versioned diagnostics, the authoring requests, and a fuzz run that must leave it answering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { pathToFileURL } from 'node:url';
import { repo, tempDir } from '../helpers';
import { startLspServer, type LspServer } from './lspServer';

let server: LspServer;
let conn: MessageConnection;
type Published = { version?: number; diagnostics: { code: string; message: string; range: unknown; data?: unknown }[] };
const published = new Map<string, Published[]>();
const waiters: (() => void)[] = [];

before(async () => {
  server = await startLspServer<Published>(repo('examples'), 'examples', (p) => {
    published.set(p.uri, [...(published.get(p.uri) ?? []), p]);
    waiters.splice(0).forEach((w) => w());
  });
  conn = server.conn;
  await withTimeout(server.indexed, 60_000, 'workspace index');
});

after(() => server?.stop());

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms).unref())]);
}

/** Waits for the diagnostics of `uri` at `version` (the server sends the version it validated). */
function diagnosticsAt(uri: string, version: number, ms = 10000): Promise<Published> {
  return withTimeout(
    new Promise<Published>((resolve) => {
      const check = () => {
        const hit = published.get(uri)?.find((p) => p.version === version);
        if (hit) resolve(hit);
        else waiters.push(check);
      };
      check();
    }),
    ms,
    `diagnostics v${version} of ${uri}`,
  );
}

/** Waits until `uri` has `count` publishes at `version` (a large file opened cold gets its first documents' first); returns them. */
function publishesAt(uri: string, version: number, count: number, ms = 120000): Promise<Published[]> {
  return withTimeout(
    new Promise<Published[]>((resolve) => {
      const check = () => {
        const at = (published.get(uri) ?? []).filter((p) => p.version === version);
        if (at.length >= count) resolve(at);
        else waiters.push(check);
      };
      check();
    }),
    ms,
    `${count} publishes of v${version} of ${uri}`,
  );
}

const uri = pathToFileURL(repo('examples/test-scratch.gantry.yaml')).href;
const good = readFileSync(repo('examples/llama3-8b-pretrain.gantry.yaml'), 'utf8');

test('open → versioned diagnostics at the edited value; fix → none', async () => {
  const bad = good.replace(/precision: [\w-]+/, 'precision: fp7');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: bad } });
  const d1 = await diagnosticsAt(uri, 1);
  assert.deepEqual(
    d1.diagnostics.filter((d) => d.code.startsWith('schema')).map((d) => d.code),
    ['schema-enum'],
  );
  conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: good }] });
  assert.deepEqual(
    (await diagnosticsAt(uri, 2)).diagnostics.filter((d) => d.code.startsWith('schema')),
    [],
  );
});

test('completion, hover, symbols, definition and code actions answer', async () => {
  const lines = good.split('\n');
  const line = lines.findIndex((l) => /^\s+precision:/.test(l));
  const col = lines[line].indexOf(':') + 2;
  const items = await conn.sendRequest<{ label: string }[]>('textDocument/completion', { textDocument: { uri }, position: { line, character: col } });
  assert.ok(
    items.some((i) => i.label === 'bf16-mixed'),
    JSON.stringify(items.map((i) => i.label)),
  );
  const h = await conn.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line].indexOf('precision') + 2 } });
  assert.ok(h && h.contents.value.includes('precision'));
  const syms = await conn.sendRequest<{ name: string; detail: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.equal(syms[0].detail, 'TrainingJob');
  const cl = lines.findIndex((l) => /^\s+cluster:/.test(l));
  const def = await conn.sendRequest<{ uri: string } | null>('textDocument/definition', { textDocument: { uri }, position: { line: cl, character: lines[cl].indexOf(':') + 3 } });
  assert.ok(def && def.uri.endsWith('cluster.gantry.yaml'), JSON.stringify(def));
});

test('a quick fix from a diagnostic is offered as a code action with an edit', async () => {
  const bad = good.replace(/\bparallelism:/, 'paralelism:');
  conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: bad }] });
  const d = await diagnosticsAt(uri, 3);
  const diag = d.diagnostics.find((x) => x.code === 'schema-unknown-field');
  assert.ok(diag, JSON.stringify(d.diagnostics));
  const actions = await conn.sendRequest<{ title: string; edit: unknown }[]>('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
  assert.ok(
    actions.some((a) => a.title === "Change 'paralelism' to 'parallelism'" && a.edit),
    JSON.stringify(actions),
  );
});

test('many documents: after lines are added above, quick fixes edit the moved document; diagnostics carry no data', async () => {
  const many = pathToFileURL(repo('examples/test-many.gantry.yaml')).href;
  const big = good
    .replace(/micro: \d+/, 'micro: 16')
    .replace(/gradientAccumulation: \d+/, 'gradientAccumulation: 4')
    .replace(/activationCheckpointing: \w+/, 'activationCheckpointing: none');
  let text = Array.from({ length: 12 }, (_, i) => big.replace(/name: [\w-]+/, `name: big-${i}`)).join('---\n');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: many, languageId: 'yaml', version: 1, text } });
  const before = (await diagnosticsAt(many, 1)).diagnostics.filter((d) => d.code === 'memory-exceeds-capacity');
  assert.equal(before.length, 12, JSON.stringify(before));
  assert.ok(
    before.every((d) => d.data === undefined),
    'diagnostics carry no data',
  );
  // Three lines above every document: an incremental change, as an editor sends it.
  conn.sendNotification('textDocument/didChange', { textDocument: { uri: many, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# a\n# b\n# c\n' }] });
  text = '# a\n# b\n# c\n' + text;
  const moved = (await diagnosticsAt(many, 2)).diagnostics.filter((d) => d.code === 'memory-exceeds-capacity');
  assert.deepEqual(
    moved.map((d) => (d.range as { start: { line: number } }).start.line),
    before.map((d) => (d.range as { start: { line: number } }).start.line + 3),
  );
  const last = moved[moved.length - 1];
  type Edit = { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
  const actions = await conn.sendRequest<{ title: string; edit: { changes: Record<string, Edit[]> } }[]>('textDocument/codeAction', { textDocument: { uri: many }, range: last.range, context: { diagnostics: [last] } });
  const fix = actions.find((a) => a.title.startsWith('Enable full activation checkpointing'));
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  const [edit] = fix.edit.changes[many];
  const lines = text.split('\n');
  const line = lines[edit.range.start.line];
  assert.match(line, /^  activationCheckpointing: none$/);
  assert.equal(line.slice(edit.range.start.character, edit.range.end.character), 'none');
  assert.ok(edit.range.start.line > (last.range as { start: { line: number } }).start.line, 'the edit is in the last document');
  lines[edit.range.start.line] = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
  conn.sendNotification('textDocument/didChange', { textDocument: { uri: many, version: 3 }, contentChanges: [{ text: lines.join('\n') }] });
  // The fix changed the last job only: it needs less memory now; the others are as they were.
  const after = (await diagnosticsAt(many, 3)).diagnostics.filter((d) => d.code === 'memory-exceeds-capacity');
  const need = (d: { message: string }) => Number(/Needs ≈ ([\d.]+) GiB/.exec(d.message)?.[1]);
  assert.deepEqual(
    after.slice(0, 11).map((d) => d.message),
    moved.slice(0, 11).map((d) => d.message),
  );
  assert.ok(after.length === 11 || need(after[11]) < need(last), JSON.stringify([fix.title, after[11]?.message, last.message]));
  conn.sendNotification('textDocument/didClose', { textDocument: { uri: many } });
});

test('foreign YAML gets no diagnostics', async () => {
  const k8s = pathToFileURL(repo('examples/deployment.yaml')).href;
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: k8s, languageId: 'yaml', version: 1, text: 'apiVersion: apps/v1\nkind: Deployment\nspec: { replicas: nope }\n' } });
  assert.deepEqual((await diagnosticsAt(k8s, 1)).diagnostics, []);
});

test('a model config that is a FIFO, /dev/zero, too large or missing gets a diagnostic on the value, and the server keeps answering', async () => {
  const dir = tempDir('gantry-ref-');
  execFileSync('mkfifo', [path.join(dir, 'fifo.json')]);
  symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
  writeFileSync(path.join(dir, 'big.json'), ' '.repeat(1024 * 1024 + 1));
  writeFileSync(path.join(dir, 'ok.json'), JSON.stringify({ num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, vocab_size: 128256, max_position_embeddings: 8192 }));
  const cases: [string, RegExp | undefined][] = [
    ['fifo.json', /not a regular file/],
    ['zero.json', /not a regular file/],
    ['big.json', /larger than 1 MB/],
    ['nope.json', /no such file/],
    ['ok.json', undefined],
  ];
  for (const [name, want] of cases) {
    const spec = pathToFileURL(path.join(dir, `${name}.gantry.yaml`)).href;
    const text = good.replace('preset: llama-3-8b', `config: ${name}`);
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri: spec, languageId: 'yaml', version: 1, text } });
    // The file is read in the background: the diagnostics of version 1 that name it come when it is read.
    const found = await withTimeout(
      new Promise<Published['diagnostics']>((resolve) => {
        const look = () => {
          const all = published.get(spec) ?? [];
          const hit = all.map((p) => p.diagnostics.filter((d) => d.code === 'model-config')).find((ds) => ds.length);
          // ok.json: the last publish after the read has no model-config problem and an estimate.
          if (want && hit) resolve(hit);
          else if (!want && all.some((p) => p.diagnostics.length === 0 || p.diagnostics.every((d) => d.code !== 'model-config'))) resolve([]);
          else waiters.push(look);
        };
        look();
      }),
      10000,
      `diagnostics for ${name}`,
    );
    if (want) {
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.match(found[0].message, want);
      const line = text.split('\n').findIndex((l) => l.includes(`config: ${name}`));
      assert.equal((found[0].range as { start: { line: number } }).start.line, line);
    } else {
      assert.deepEqual(found, []);
    }
    // Every request is still answered while (and after) the file is looked at.
    await withTimeout(conn.sendRequest('textDocument/hover', { textDocument: { uri: spec }, position: { line: 3, character: 4 } }), 10000, 'hover');
    conn.sendNotification('textDocument/didClose', { textDocument: { uri: spec } });
  }
});

test('while a huge file (6,000 documents) is checked, a hover on another file is answered; the huge file gets YAML-level checks and one notice', async () => {
  const huge = pathToFileURL(repo('examples/test-huge.gantry.yaml')).href;
  const other = pathToFileURL(repo('examples/test-other.gantry.yaml')).href;
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'yaml', version: 1, text: good } });
  await diagnosticsAt(other, 1);
  const text = Array.from({ length: 6000 }, (_, i) => `apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: c${i} }\nspec: [${i}\n`).join('---\n');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: huge, languageId: 'yaml', version: 1, text } });
  const line = good.split('\n').findIndex((l) => /^\s+precision:/.test(l));
  const h = await withTimeout(conn.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: other }, position: { line, character: 5 } }), 30000, 'hover while a huge file is checked');
  assert.ok(h && h.contents.value.includes('precision'));
  // Its first documents' diagnostics may have come (a large file opened cold), not the whole file's.
  assert.ok(
    (published.get(huge) ?? []).every((p) => p.diagnostics.at(-1)?.code !== 'too-many-problems'),
    'the hover was answered before the huge file was done',
  );
  const [head, d] = await publishesAt(huge, 1, 2);
  assert.equal(head.diagnostics[0].code, 'file-checks-limited');
  assert.ok(head.diagnostics.length > 1 && head.diagnostics.length < 500, `the first documents' problems first: ${head.diagnostics.length}`);
  assert.deepEqual(head.diagnostics, d.diagnostics.slice(0, head.diagnostics.length), 'the same as the whole check gives them');
  assert.equal(d.diagnostics[0].code, 'file-checks-limited');
  assert.match(d.diagnostics[0].message, /6000 documents \(limit 5000\)/);
  // YAML-level problems are still found (every document has an unclosed bracket), capped at 500 + one.
  assert.ok(
    d.diagnostics.slice(1, 500).every((x) => x.code === 'yaml-syntax'),
    JSON.stringify(d.diagnostics.slice(0, 3)),
  );
  assert.equal(d.diagnostics.at(-1)?.code, 'too-many-problems');
  conn.sendNotification('textDocument/didClose', { textDocument: { uri: huge } });
  conn.sendNotification('textDocument/didClose', { textDocument: { uri: other } });
});

test("while a huge file's first check runs, another file's edit gets its diagnostics and a hover on the huge file is answered without parsing it", async () => {
  const huge = pathToFileURL(repo('examples/test-huge2.gantry.yaml')).href;
  const other = pathToFileURL(repo('examples/test-other2.gantry.yaml')).href;
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'yaml', version: 1, text: good } });
  await diagnosticsAt(other, 1);
  const text = Array.from({ length: 6000 }, (_, i) => `apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: c${i} }\nspec: { nodes: { count: ${i + 1} } }\n`).join('---\n');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: huge, languageId: 'yaml', version: 1, text } });
  conn.sendNotification('textDocument/didChange', { textDocument: { uri: other, version: 2 }, contentChanges: [{ text: good.replace('precision: bf16-mixed', 'precision: fp7') }] });
  const hoverKind = { textDocument: { uri: huge }, position: { line: 1, character: 2 } };
  const h = await withTimeout(conn.sendRequest('textDocument/hover', hoverKind), 30000, 'hover on the huge file while it is checked');
  const d = await diagnosticsAt(other, 2, 30000);
  assert.ok(
    d.diagnostics.some((x) => x.code === 'schema-enum'),
    JSON.stringify(d.diagnostics),
  );
  assert.ok((published.get(huge)?.length ?? 0) <= 1, "the other file's diagnostics and the hover came before the huge file was done (at most its first documents' were published)");
  assert.equal(h, null, 'the hover did not parse the huge file itself');
  await publishesAt(huge, 1, 2);
  const after = await withTimeout(conn.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', hoverKind), 30000, 'hover after the check');
  assert.ok(after?.contents.value, 'once checked, hover answers from its parse');
  conn.sendNotification('textDocument/didClose', { textDocument: { uri: huge } });
  conn.sendNotification('textDocument/didClose', { textDocument: { uri: other } });
});

test("a large file opened cold: its first documents' diagnostics come first, the same as the whole file's check gives them, then all of them", async () => {
  const big = pathToFileURL(repo('examples/test-head.gantry.yaml')).href;
  // 60 jobs with one mistake each (about 80 KB); no Cluster in the file, so the first documents' checks are exact.
  const docs = Array.from({ length: 60 }, (_, i) => good.replace('name: llama3-8b-pretrain', `name: job-${i}`).replace('precision: bf16-mixed', 'precision: fp7'));
  const text = docs.join('---\n');
  assert.ok(text.length > 64 * 1024 && !text.includes('Cluster'));
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: big, languageId: 'yaml', version: 1, text } });
  const [head, all] = await publishesAt(big, 1, 2);
  const enums = (p: Published) => p.diagnostics.filter((x) => x.code === 'schema-enum').length;
  assert.equal(enums(all), 60);
  assert.ok(enums(head) >= 1 && enums(head) < 60, `the first documents only: ${enums(head)}`);
  assert.deepEqual(head.diagnostics, all.diagnostics.slice(0, head.diagnostics.length));
  conn.sendNotification('textDocument/didClose', { textDocument: { uri: big } });
});

test('a large file edited right after it opened: the edit gets the whole file checked, not only its top', async () => {
  const big = pathToFileURL(repo('examples/test-head3.gantry.yaml')).href;
  const docs = Array.from({ length: 60 }, (_, i) => good.replace('name: llama3-8b-pretrain', `name: job-${i}`));
  const text = docs.join('---\n');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: big, languageId: 'yaml', version: 1, text } });
  await publishesAt(big, 1, 1);
  // At once, perhaps before the whole of version 1 was checked: a mistake in the last document.
  const at = text.lastIndexOf('precision: bf16-mixed');
  conn.sendNotification('textDocument/didChange', { textDocument: { uri: big, version: 2 }, contentChanges: [{ text: `${text.slice(0, at)}precision: fp7${text.slice(at + 'precision: bf16-mixed'.length)}` }] });
  const [first] = await publishesAt(big, 2, 1);
  assert.equal(first.diagnostics.filter((x) => x.code === 'schema-enum').length, 1, JSON.stringify(first.diagnostics.slice(0, 3)));
  conn.sendNotification('textDocument/didClose', { textDocument: { uri: big } });
});

test('a large file opened cold whose first job names a Cluster defined at its end: no "unknown cluster" in any publish', async () => {
  const big = pathToFileURL(repo('examples/test-head2.gantry.yaml')).href;
  const top = good.replace('cluster: h100-pod', 'cluster: bottom-pod').replace('precision: bf16-mixed', 'precision: fp7');
  const filler = Array.from({ length: 60 }, (_, i) => good.replace('name: llama3-8b-pretrain', `name: job-${i}`).replace('precision: bf16-mixed', 'precision: fp7'));
  const cluster = 'apiVersion: gantry/v1\nkind: Cluster\nmetadata:\n  name: bottom-pod\nspec:\n  scheduler: { type: local }\n  nodes: { count: 2, gpu: { model: H100-SXM-80GB, count: 8 } }\n';
  const text = [top, ...filler, cluster].join('---\n');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: big, languageId: 'yaml', version: 1, text } });
  const enums = (p: Published) => p.diagnostics.filter((x) => x.code === 'schema-enum').length;
  await withTimeout(
    new Promise<void>((resolve) => {
      const check = () => ((published.get(big) ?? []).some((p) => p.version === 1 && enums(p) === 61) ? resolve() : waiters.push(check));
      check();
    }),
    120000,
    'the whole file checked',
  );
  const at = (published.get(big) ?? []).filter((p) => p.version === 1);
  const all = at.at(-1)!;
  assert.equal(enums(all), 61);
  for (const p of at) assert.ok(!p.diagnostics.some((x) => x.code === 'unknown-cluster'), JSON.stringify(p.diagnostics.slice(0, 3)));
  // Whatever came first (documents whose checks looked up no Cluster) is also in the whole check.
  const whole = new Set(all.diagnostics.map((x) => JSON.stringify(x)));
  for (const p of at) for (const x of p.diagnostics) assert.ok(whole.has(JSON.stringify(x)), JSON.stringify(x));
  conn.sendNotification('textDocument/didClose', { textDocument: { uri: big } });
});

// A deterministic PRNG so a failure can be replayed.
function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

test('fuzz: thousands of random and mutated specs; the server stays up and answers', async () => {
  const rand = rng(Number(process.env.GANTRY_FUZZ_SEED ?? 42));
  const pieces = ['{', '}', '[', ']', ':', '- ', '\t', '&a', '*a', '!!str', '---\n', '\n', '  ', '"', "'", '#', '\u0000', '\uFFFD', '99999999999999999999', 'null', 'true', 'kind: Cluster\n', 'apiVersion: gantry/v1\n'];
  const N = Number(process.env.GANTRY_FUZZ_N ?? 2000);
  let version = 10;
  for (let i = 0; i < N; i++) {
    let text = good;
    const edits = 1 + Math.floor(rand() * 6);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * text.length);
      const mode = rand();
      if (mode < 0.4) text = text.slice(0, at) + pieces[Math.floor(rand() * pieces.length)] + text.slice(at);
      else if (mode < 0.7) text = text.slice(0, at) + text.slice(at + Math.floor(rand() * 40));
      else if (mode < 0.9) text = text.slice(0, at) + text.slice(Math.floor(rand() * text.length), Math.floor(rand() * text.length)) + text.slice(at);
      else text = Array.from({ length: Math.floor(rand() * 300) }, () => String.fromCharCode(Math.floor(rand() * 0x3000))).join('');
    }
    conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text }] });
    if (i % 100 === 0) {
      // Requests in the middle of the storm must still be answered.
      await withTimeout(conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 4 } }), 60_000, 'hover during fuzz');
      await withTimeout(conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 2 } }), 60_000, 'completion during fuzz');
    }
  }
  const last = await diagnosticsAt(uri, version, 30000);
  assert.ok(Array.isArray(last.diagnostics));
  assert.equal(server.proc.exitCode, null, 'server exited');
  conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: good }] });
  assert.deepEqual(
    (await diagnosticsAt(uri, version)).diagnostics.filter((d) => d.code.startsWith('schema')),
    [],
  );
});

test("the server's V8 flags (package.json gantry.serverNodeFlags) run on this Node without a word on stderr, and `gantry server` (only) runs with them", () => {
  const flags = (JSON.parse(readFileSync(repo('package.json'), 'utf8')) as { gantry: { serverNodeFlags: string[] } }).gantry.serverNodeFlags;
  assert.ok(flags.length > 0);
  const r = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'ok');
  assert.equal(r.stderr, '');
  assert.equal(readFileSync(repo('dist/cli.js'), 'utf8').split('\n')[0], '#!/usr/bin/env node', 'batch commands run without the flags');
  assert.match(readFileSync(repo('dist/cli.js'), 'utf8'), new RegExp(JSON.stringify(flags[0]).replace(/[-[\]]/g, '\\$&')), 'the bin carries the flags for `gantry server`');
  const v = spawnSync(repo('dist/cli.js'), ['--version'], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stderr, '');
});

test('the server bundle loads neither crypto nor child_process (about 2 MB of resident memory each; the LSP libraries require them only for features a stdio or IPC server never uses)', async () => {
  const probe = `process.argv.push('server.js', '--stdio'); require(${JSON.stringify(repo('dist/server.js'))});
setTimeout(() => { process.stderr.write('\\n' + JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (crypto|child_process)$/.test(m))) + '\\n'); process.exit(0); }, 300);`;
  // A script file, not -e (which loads crypto itself); stdin stays open (the server exits when its input ends).
  const file = path.join(tempDir('gantry-probe-'), 'probe.js');
  writeFileSync(file, probe);
  const child = spawn(process.execPath, [file], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const code = await withTimeout(new Promise<number | null>((resolve) => child.on('exit', resolve)), 60_000, 'the probe to exit');
  child.stdin!.destroy();
  assert.equal(code, 0, err);
  assert.deepEqual(JSON.parse(err.trim().split('\n').pop() ?? ''), []);
});

test('a Cluster file created after the first scan, with no watcher event for it, is found by the catch-up walk: the job that names it loses "unknown cluster"', async () => {
  const root = tempDir('gantry-catchup-');
  const pubs: Published[] = [];
  const wake: (() => void)[] = [];
  const late = await startLspServer<Published>(root, 'w', (p) => {
    pubs.push(p);
    wake.splice(0).forEach((w) => w());
  });
  const c = late.conn;
  try {
    await withTimeout(late.indexed, 60_000, 'workspace index');
    // Written after the scan, and no didChangeWatchedFiles is sent (as when the editor's watcher is not up yet).
    writeFileSync(path.join(root, 'late.gantry.yaml'), 'apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: late-box }\nspec:\n  scheduler: { type: local }\n  nodes: { count: 1, gpu: { model: H100-SXM-80GB, count: 8 } }\n');
    const jobUri = pathToFileURL(path.join(root, 'job.gantry.yaml')).href;
    const job = good.replace(/cluster: .*/, 'cluster: late-box');
    assert.ok(job.includes('cluster: late-box'));
    c.sendNotification('textDocument/didOpen', { textDocument: { uri: jobUri, languageId: 'yaml', version: 1, text: job } });
    const unknown = (p: Published) => p.diagnostics.some((d) => d.code === 'unknown-cluster');
    // Synchronised on publishes only; the limit only catches a hang (the walk runs some 5 s after the scan).
    await withTimeout(
      new Promise<void>((resolve) => {
        const check = () => (pubs.length && !unknown(pubs[pubs.length - 1]) ? resolve() : wake.push(check));
        check();
      }),
      90_000,
      'a publish without unknown-cluster',
    );
  } finally {
    late.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
