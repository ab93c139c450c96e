// One esbuild script, one entry per runtime: client (node/cjs, vscode external), server (node/cjs),
// cli (node/cjs), the run supervisor (node/cjs), webview (browser/iife). `--tests` also bundles the unit and integration tests;
// `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, statSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { lazyBuiltins, yamlEnv } from './esbuild-plugins.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * V8 flags for the language server's Node process (package.json gantry.serverNodeFlags): the client
 * passes them as execArgv, and `gantry server` re-runs itself with them (cli/main.ts; the other
 * commands run without them, much faster), so `gantry server --stdio` in another editor and `npm run bench:lsp` run the server exactly as VS Code does.
 * See docs/performance.md for why these flags and what they cost.
 */
const serverNodeFlags = pkg.gantry?.serverNodeFlags ?? [];
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], define: { VERSION: JSON.stringify(pkg.version), SERVER_NODE_FLAGS: JSON.stringify(serverNodeFlags) }, plugins: [lazyBuiltins, yamlEnv] };

function walk(dir, pred) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p, pred) : pred(p) ? [p] : [];
  });
}

// The schemas compile to standalone validators first; every bundle below imports them.
await import('./gen-validators.mjs');
// So do the Kubernetes CRDs the manifest renderer checks its JobSets and LeaderWorkerSets against.
await import('./gen-crd-validators.mjs');

const builds = [
  { ...node, entryPoints: { client: 'client/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { server: 'server/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { 'cli-commands': 'cli/commands/index.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // The local backend's run supervisor: its own small program, started detached by client and cli
  // (core/runs/local.ts) as `node dist/supervisor.js <launch.json>`.
  { ...node, entryPoints: { supervisor: 'core/runs/supervisorMain.ts' }, outdir: 'dist' },
  // The Kubernetes manifest writer and its schema validators, loaded by the CLI and the client on first use.
  { ...node, entryPoints: { kube: 'core/kube/index.ts' }, outdir: 'dist' },
];
if (existsSync('webview/main.ts')) {
  builds.push({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { webview: 'webview/main.ts' }, outdir: 'dist' });
  // The panel's stylesheet ships beside its script (the webview may load only from dist/).
  if (existsSync('webview/panel.css')) builds.push({ ...common, entryPoints: { webview: 'webview/panel.css' }, outdir: 'dist', loader: { '.css': 'css' } });
}
if (tests) {
  const unit = walk('test/unit', (p) => p.endsWith('.test.ts'));
  if (unit.length) builds.push({ ...node, entryPoints: unit, outdir: 'out/test/unit', outbase: 'test/unit', sourcemap: 'inline', external: ['vscode', 'playwright-core'] });
  const slurm = walk('test/slurm', (p) => p.endsWith('.test.ts'));
  if (slurm.length) builds.push({ ...node, entryPoints: slurm, outdir: 'out/test/slurm', outbase: 'test/slurm', sourcemap: 'inline' });
  const prom = walk('test/prometheus', (p) => p.endsWith('.test.ts'));
  if (prom.length) builds.push({ ...node, entryPoints: prom, outdir: 'out/test/prometheus', outbase: 'test/prometheus', sourcemap: 'inline' });
  const integ = walk('test/integration', (p) => p.endsWith('.ts'));
  if (integ.length) builds.push({ ...node, entryPoints: integ, outdir: 'out/test/integration', outbase: 'test/integration', sourcemap: 'inline', external: ['vscode', 'mocha'] });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  const t0 = performance.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
  // esbuild escapes non-ASCII characters in strings but not in regular-expression literals. One such
  // character makes V8 hold the whole bundle's source as two-byte text: 0.7 MB more per process.
  // (Development builds keep comments, which may be anything.)
  for (const f of production ? ['dist/server.js', 'dist/cli.js', 'dist/cli-commands.js', 'dist/client.js', 'dist/kube.js', 'dist/supervisor.js'] : []) {
    const at = readFileSync(f, 'latin1').search(/[^\x00-\x7f]/);
    if (at >= 0) throw new Error(`${f} is not ASCII at offset ${at}: write the character as \\uXXXX in the source (e.g. in a RegExp literal)`);
  }
  console.log(`built ${builds.length} bundles in ${Math.round(performance.now() - t0)} ms${production ? ' (production)' : ''}`);
}
