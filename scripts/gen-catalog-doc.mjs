#!/usr/bin/env node
// Generates docs/catalog.md from core/catalog/ (renderCatalogDoc, bundled in memory with esbuild),
// so the page cannot drift from the figures the estimator uses. `--check` exits 1 when the file on
// disk differs (the unit test runs it that way); `--stdout` prints instead of writing.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'docs', 'catalog.md');

const bundle = await build({
  entryPoints: [join(root, 'core', 'catalog', 'catalogDoc.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  logLevel: 'silent',
});
const mod = { exports: {} };
new Function('module', 'exports', 'require', bundle.outputFiles[0].text)(mod, mod.exports, (await import('node:module')).createRequire(import.meta.url));
const text = mod.exports.renderCatalogDoc();

if (process.argv.includes('--stdout')) process.stdout.write(text);
else if (process.argv.includes('--check')) {
  if (!existsSync(OUT) || readFileSync(OUT, 'utf8') !== text) {
    console.error('docs/catalog.md is out of date with core/catalog/: run node scripts/gen-catalog-doc.mjs');
    process.exit(1);
  }
} else writeFileSync(OUT, text);
