// `npm run bench:monorepo`: Gantry on a monorepo of 3,000 spec files — the examples/ folder copied
// into 500 project folders (each with its own `cluster.gantry.yaml`, so every Cluster name is
// defined 500 times, once per scope). Generated in a temporary folder, then:
//
//   1. `gantry check` (the built dist/cli.js) over the whole tree: wall seconds and peak RSS, interleaved with the floor
//      under it, the `yaml` package alone reading and parsing the same files, and with `--cache` (first run, nothing
//      changed, one file edited);
//   2. the language server with that tree as its workspace, one file opened at once: the time to that
//      file's first diagnostics and the time to the end of the workspace scan (`gantry/indexed`).
//      The open file's diagnostics must not wait for the scan. It is started both ways, interleaved
//      run by run: as VS Code starts it (`node <gantry.serverNodeFlags> dist/server.js --stdio`) and
//      as another editor does (`gantry server --stdio`, which re-runs itself with those flags: one
//      more Node start-up).
//
// Each is run BENCH_REPS times (default 5) and the medians printed; the machine is shared, so only
// medians of several runs mean much. BENCH_PROJECTS changes the number of folders (default 500).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from './lspConnection.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reps = Number(process.env.BENCH_REPS ?? 5);
const projects = Number(process.env.BENCH_PROJECTS ?? 500);
const cli = path.join(root, 'dist/cli.js');
if (!existsSync(cli)) spawnSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: root, stdio: 'inherit' });

// ---------------------------------------------------------------- the tree

const tree = mkdtempSync(path.join(os.tmpdir(), 'gantry-monorepo-'));
const examples = readdirSync(path.join(root, 'examples')).filter((f) => /\.ya?ml$/.test(f));
let bytes = 0;
for (let i = 0; i < projects; i++) {
  const dir = path.join(tree, 'projects', `p${String(i).padStart(3, '0')}`);
  mkdirSync(dir, { recursive: true });
  for (const f of examples) {
    copyFileSync(path.join(root, 'examples', f), path.join(dir, f));
    bytes += statSync(path.join(dir, f)).size;
  }
}
const nFiles = projects * examples.length;
console.log(`monorepo: ${nFiles} spec files in ${projects} folders, ${(bytes / 1e6).toFixed(1)} MB of text (${tree})`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs, digits) => `${median(xs).toFixed(digits)} (runs: ${xs.map((x) => x.toFixed(digits)).join(', ')})`;

// ---------------------------------------------------------------- gantry check

// Peak RSS of the child: a preload reports process.resourceUsage().maxRSS (KB) on exit.
const preload = path.join(tree, 'peak-rss.cjs');
const { writeFileSync } = await import('node:fs');
writeFileSync(preload, "process.on('exit', () => { try { const u = process.resourceUsage(); require('fs').writeSync(3, JSON.stringify([u.maxRSS, (u.userCPUTime + u.systemCPUTime) / 1e6])); } catch {} });\n");

// The floor under any YAML checker built on the `yaml` package: one thread that walks the same tree, reads every
// YAML file and parses it with yaml's parseAllDocuments and toJS, and does nothing else (no validation, no estimate).
// It is bundled as Gantry's bundles are (scripts/esbuild-plugins.mjs yamlEnv: the parser's debug-switch reads of
// process.env, a getenv each, become property loads), so that it is a floor and not a slower parse.
const floorSource = path.join(tree, 'yaml-alone.src.cjs');
const floorScript = path.join(tree, 'yaml-alone.cjs');
writeFileSync(
  floorSource,
  `const fs = require('fs'), path = require('path');
const YAML = require('yaml');
let docs = 0;
const walk = (dir) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) { const p = path.join(dir, e.name); if (e.isDirectory()) walk(p); else if (/\\.ya?ml$/.test(e.name)) for (const d of YAML.parseAllDocuments(fs.readFileSync(p, 'utf8'))) { d.toJS(); docs++; } } };
walk(process.argv[2]);
process.stderr.write(docs + ' documents\\n');
`,
);
const { build } = await import('esbuild');
const { yamlEnv } = await import('../scripts/esbuild-plugins.mjs');
await build({ entryPoints: [floorSource], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: floorScript, nodePaths: [path.join(root, 'node_modules')], plugins: [yamlEnv], logLevel: 'warning' });

function checkOnce(extra) {
  const t0 = performance.now();
  const argv = extra === 'yaml-alone' ? ['-r', preload, floorScript, path.join(tree, 'projects')] : ['-r', preload, cli, 'check', '-q', ...extra, '.'];
  const r = spawnSync(process.execPath, argv, { cwd: tree, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const s = (performance.now() - t0) / 1000;
  const [kb, cpu] = JSON.parse(r.output[3]?.toString() || '[null, null]');
  // gantry check exits 1 when it finds errors; the floor script only ever exits 0 (an uncaught exception is 1).
  // gantry check's last line is its summary ("0 errors, 1000 warnings"): a crash or "no Gantry spec was checked" is not a run.
  const ok = extra === 'yaml-alone' ? r.status === 0 && /^[1-9]\d* documents$/m.test(r.stderr.toString()) : (r.status === 0 || r.status === 1) && /^\d+ errors?, \d+ warnings?/m.test(r.stderr.toString());
  if (!ok) throw new Error(`${extra === 'yaml-alone' ? 'the yaml floor script' : 'gantry check'} exited ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr.toString().slice(0, 2000)}`);
  return {
    s,
    cpu,
    mb: kb / 1024,
    summary: r.stderr
      .toString()
      .trim()
      .split('\n')
      .pop()
      .replace(/, \d+ of \d+ files' outcomes reused.*$/, ''),
  };
}

// One thread (-j 1) and one per core (up to 4), interleaved run by run. The default (no -j) is one
// per free core less one (cli/commands/check.ts defaultThreads): -j 1 on an idle 2-core machine.
const cores = Math.min(os.availableParallelism(), 4);
// With --cache (cli/checkCache.ts), in this order within each round: no cache yet (every file checked and the
// cache written), then nothing changed since (every outcome reused), then one job file edited (a comment
// line added or taken away in turn, so each round's file differs from the last: that file re-checked).
const cacheFile = path.join(tree, 'check-cache.bin');
const edited = path.join(tree, 'projects', 'p000', 'llama3-8b-pretrain.gantry.yaml');
const editedText = readFileSync(edited, 'utf8');
let edits = 0;
const variants = [
  { name: 'one thread (-j 1)', args: ['-j', '1'] },
  { name: `one thread per core (-j ${cores})`, args: ['-j', String(cores)] },
  { name: 'the floor: the yaml package alone reading and parsing the same files (parseAllDocuments + toJS, one thread, nothing checked)', args: 'yaml-alone' },
  { name: '--cache (-j 1), no cache yet: every file checked, the cache written', args: ['-j', '1', '--cache-location', cacheFile], before: () => rmSync(cacheFile, { force: true }) },
  { name: '--cache (-j 1), nothing changed since the last run', args: ['-j', '1', '--cache-location', cacheFile] },
  { name: '--cache (-j 1), one job file edited since the last run', args: ['-j', '1', '--cache-location', cacheFile], before: () => writeFileSync(edited, ++edits % 2 ? `${editedText}# edit\n` : editedText) },
];
const checkRuns = variants.map(() => ({ s: [], cpu: [], mb: [] }));
let summary = '';
for (let i = 0; i < (process.env.BENCH_SKIP_CHECK === '1' ? 0 : reps); i++) {
  variants.forEach((v, k) => {
    v.before?.();
    const r = checkOnce(v.args);
    checkRuns[k].s.push(r.s);
    checkRuns[k].cpu.push(r.cpu);
    checkRuns[k].mb.push(r.mb);
    if (v.args === 'yaml-alone') return;
    // Every variant prints the same summary line (error and warning counts; the unit tests compare whole reports).
    if (summary && r.summary !== summary) throw new Error(`${v.name}: "${r.summary}" where the others say "${summary}"`);
    summary = r.summary;
  });
}
if (summary) {
  console.log(`\ngantry check (${summary}); load average at the end ${os.loadavg()[0].toFixed(1)}`);
  variants.forEach((v, k) => {
    console.log(`  ${v.name}`);
    console.log(`    wall seconds   ${fmt(checkRuns[k].s, 2)}`);
    console.log(`    CPU seconds    ${fmt(checkRuns[k].cpu, 2)}  (user + system, all threads)`);
    console.log(`    peak RSS (MB)  ${fmt(checkRuns[k].mb, 1)}`);
  });
}

// ---------------------------------------------------------------- the language server

const serverFlags = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).gantry?.serverNodeFlags ?? [];

/**
 * Starts the server (`how`: 'vscode', as the client starts it, or 'bin', `gantry server --stdio`),
 * opens one file, and resolves to the times of its first diagnostics and of the scan's end.
 */
function serverOnce(how) {
  return new Promise((resolve, reject) => {
    const open = path.join(tree, 'projects', `p${String(Math.floor(projects / 2)).padStart(3, '0')}`, 'llama3-8b-pretrain.gantry.yaml');
    const openUri = pathToFileURL(open).href;
    // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to the server's Node process.
    const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const server = startServer(process.execPath, how === 'vscode' || extra.length ? [...serverFlags, ...extra, path.join(root, 'dist/server.js'), '--stdio'] : [cli, 'server', '--stdio'], { stderr: 'inherit' });
    const t0 = server.startedAt;
    const out = { firstDiagMs: NaN, firstDiagCount: NaN, scanMs: NaN, scanFiles: NaN, firstBeforeScan: false };
    const timer = setTimeout(() => {
      server.kill();
      reject(new Error('language server: no diagnostics or scan end within 120 s'));
    }, 120_000);
    let finished = false;
    const done = () => {
      if (finished || Number.isNaN(out.firstDiagMs) || Number.isNaN(out.scanMs)) return;
      finished = true;
      clearTimeout(timer);
      server.shutdown().then(() => resolve(out), reject);
    };
    server.onNotification((method, params) => {
      if (method === 'textDocument/publishDiagnostics' && params.uri === openUri && Number.isNaN(out.firstDiagMs)) {
        out.firstDiagMs = performance.now() - t0;
        out.firstDiagCount = params.diagnostics.length;
        out.firstBeforeScan = Number.isNaN(out.scanMs);
        done();
      } else if (method === 'gantry/indexed') {
        out.scanMs = performance.now() - t0;
        out.scanFiles = params.files;
        done();
      }
    });
    server.proc.on('error', reject);
    server.request('initialize', { processId: process.pid, rootUri: pathToFileURL(tree).href, workspaceFolders: [{ uri: pathToFileURL(tree).href, name: 'monorepo' }], capabilities: {} }).catch(reject);
    server.notify('initialized', {});
    server.notify('textDocument/didOpen', { textDocument: { uri: openUri, languageId: 'yaml', version: 1, text: readFileSync(open, 'utf8') } });
  });
}

const starts = [
  { how: 'vscode', name: 'started as VS Code starts it (node <serverNodeFlags> dist/server.js --stdio)' },
  { how: 'bin', name: 'started as another editor does (gantry server --stdio: re-runs itself with the flags)' },
];
const serverRuns = starts.map(() => ({ diagMs: [], scanMs: [] }));
let last;
for (let i = 0; i < reps; i++) {
  for (const [k, s] of starts.entries()) {
    last = await serverOnce(s.how);
    serverRuns[k].diagMs.push(last.firstDiagMs);
    serverRuns[k].scanMs.push(last.scanMs);
    serverRuns[k].before = (serverRuns[k].before ?? true) && last.firstBeforeScan;
  }
}
console.log(`\nlanguage server, one file opened at start (${last.scanFiles} YAML files scanned; times from spawn)`);
starts.forEach((s, k) => {
  console.log(`  ${s.name}`);
  console.log(`    first diagnostics of the open file (ms)  ${fmt(serverRuns[k].diagMs, 0)}${serverRuns[k].before ? '' : '  (after the scan in some run)'}`);
  console.log(`    workspace scan ended (ms)                ${fmt(serverRuns[k].scanMs, 0)}`);
});

if (process.env.BENCH_KEEP !== '1') rmSync(tree, { recursive: true, force: true });
