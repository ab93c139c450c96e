// The cold open of a large file, first and complete: bench:lsp's harness has one "first
// diagnostics" figure, and a large file opened cold gets its first documents' diagnostics before
// the rest (server/handlers/publish.ts, head). This probe opens the file in a fresh server and
// records every publish for it until the server is quiet: the first (what the harness reports) and
// the last (the whole file's). Same file, same servers and settings as bench:lsp, interleaved.
// usage (from bench/lsp.mjs): node bench/coldOpen.mjs FILE REPS 'gantry=CMD' 'yaml-ls=CMD' [SETTINGS.json for yaml-ls]
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from './lspConnection.mjs';

const [file, reps, ...rest] = process.argv.slice(2);
const settingsFile = rest.find((a) => a.endsWith('.json'));
const servers = rest.filter((a) => a.includes('=')).map((a) => ({ name: a.slice(0, a.indexOf('=')), cmd: a.slice(a.indexOf('=') + 1).split(' ') }));
const text = readFileSync(file, 'utf8');
const uri = pathToFileURL(file).href;
const root = pathToFileURL(path.dirname(file)).href;
const QUIET_MS = 1500;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const results = Object.fromEntries(servers.map((s) => [s.name, { first: [], last: [], firstCount: [], lastCount: [] }]));
const settings = settingsFile ? JSON.parse(readFileSync(settingsFile, 'utf8')) : undefined;
for (let i = 0; i < Number(reps); i++) {
  for (const s of servers) {
    const sess = startServer(s.cmd[0], s.cmd.slice(1), { settings: s.name === 'yaml-ls' ? settings : undefined });
    await sess.request('initialize', { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'bench' }], capabilities: { workspace: { configuration: true } } });
    sess.notify('initialized', {});
    if (s.name === 'yaml-ls' && settings) sess.notify('workspace/didChangeConfiguration', { settings });
    await sleep(1500);
    const pubs = [];
    let lastAt = performance.now();
    sess.onNotification((method, params) => {
      lastAt = performance.now();
      if (method === 'textDocument/publishDiagnostics' && params.uri === uri) pubs.push({ t: performance.now(), n: params.diagnostics.length });
    });
    const t0 = performance.now();
    lastAt = t0;
    sess.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    while (!pubs.length || performance.now() - Math.max(lastAt, pubs.at(-1).t) < QUIET_MS) await sleep(50);
    await sess.shutdown();
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
