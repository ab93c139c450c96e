// The cold open of a large file, first and complete: bench:lsp's harness has one "first
// diagnostics" figure, and a large file opened cold gets its first documents' diagnostics before
// the rest (server/handlers/publish.ts, head). This probe opens the file in a fresh server and
// records every publish for it until the server is quiet: the first (what the harness reports) and
// the last (the whole file's). Same file, same servers and settings as bench:lsp, interleaved.
// usage (from bench/lsp.mjs): node bench/coldOpen.mjs FILE REPS 'gantry=CMD' 'yaml-ls=CMD' [SETTINGS.json for yaml-ls]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, reps, ...rest] = process.argv.slice(2);
const settingsFile = rest.find((a) => a.endsWith('.json'));
const servers = rest.filter((a) => a.includes('=')).map((a) => ({ name: a.slice(0, a.indexOf('=')), cmd: a.slice(a.indexOf('=') + 1).split(' ') }));
const text = readFileSync(file, 'utf8');
const uri = pathToFileURL(file).href;
const root = pathToFileURL(path.dirname(file)).href;
const QUIET_MS = 1500;

function session(cmd, settings) {
  const proc = spawn(cmd[0], cmd.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
  let buf = Buffer.alloc(0);
  let id = 0;
  const pending = new Map();
  const onNote = [];
  proc.stdout.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const h = buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, h).toString())?.[1]);
      if (buf.length < h + 4 + len) return;
      const msg = JSON.parse(buf.subarray(h + 4, h + 4 + len).toString());
      buf = buf.subarray(h + 4 + len);
      if (msg.id !== undefined && msg.method === undefined) pending.get(msg.id)?.(msg.result);
      else if (msg.id !== undefined) send({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? msg.params.items.map((it) => settings?.[it.section] ?? null) : null });
      else for (const f of onNote) f(msg);
    }
  });
  const send = (m) => {
    const body = JSON.stringify(m);
    proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  return {
    request: (method, params) => new Promise((r) => (pending.set(++id, r), send({ jsonrpc: '2.0', id, method, params }))),
    notify: (method, params) => send({ jsonrpc: '2.0', method, params }),
    onNote: (f) => onNote.push(f),
    kill: () => proc.kill(),
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const results = Object.fromEntries(servers.map((s) => [s.name, { first: [], last: [], firstCount: [], lastCount: [] }]));
const settings = settingsFile ? JSON.parse(readFileSync(settingsFile, 'utf8')) : undefined;
for (let i = 0; i < Number(reps); i++) {
  for (const s of servers) {
    const sess = session(s.cmd, s.name === 'yaml-ls' ? settings : undefined);
    await sess.request('initialize', { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'bench' }], capabilities: { workspace: { configuration: true } } });
    sess.notify('initialized', {});
    if (s.name === 'yaml-ls' && settings) sess.notify('workspace/didChangeConfiguration', { settings });
    await sleep(1500);
    const pubs = [];
    let lastAt = performance.now();
    sess.onNote((m) => {
      lastAt = performance.now();
      if (m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri) pubs.push({ t: performance.now(), n: m.params.diagnostics.length });
    });
    const t0 = performance.now();
    lastAt = t0;
    sess.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    while (!pubs.length || performance.now() - Math.max(lastAt, pubs.at(-1).t) < QUIET_MS) await sleep(50);
    await Promise.race([sess.request('shutdown', null), sleep(2000)]);
    sess.notify('exit', null);
    await sleep(300);
    sess.kill();
    const r = results[s.name];
    r.first.push(pubs[0].t - t0);
    r.last.push(pubs.at(-1).t - t0);
    r.firstCount.push(pubs[0].n);
    r.lastCount.push(pubs.at(-1).n);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\n**Cold open, first and complete** (${path.basename(file)}, ${reps} runs, medians; complete = the last publish before ${QUIET_MS} ms of quiet)\n`);
console.log('| server | first publish ms | its diagnostics | complete ms | diagnostics |');
console.log('|---|---:|---:|---:|---:|');
for (const s of servers) {
  const r = results[s.name];
  console.log(`| ${s.name} | ${median(r.first).toFixed(0)} | ${median(r.firstCount)} | ${median(r.last).toFixed(0)} | ${median(r.lastCount)} |`);
}
const [a, b] = servers.map((s) => results[s.name]);
if (a && b) console.log(`\nratio (${servers[1].name} ÷ ${servers[0].name}): first ${(median(b.first) / median(a.first)).toFixed(1)}×, complete ${(median(b.last) / median(a.last)).toFixed(1)}×`);
