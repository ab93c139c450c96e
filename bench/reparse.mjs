// `node bench/reparse.mjs`: the cost of DocumentCache.parse after one keystroke-sized edit in a
// scalar value, on the LSP benchmark's generated specs (1 and 200 TrainingJob documents; run
// `node bench/lsp.mjs` once to generate them). Bundles core/spec/parse.ts with esbuild into a
// temporary directory, then times alternating edits of one value (as the LSP benchmark does:
// `precision: bf16-mixed` ↔ `fp7`, and typing one more digit into `sequenceLength`) and prints
// medians. Compare with a full parse (parseSpecFile) of the same text.
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-reparse-'));
const outfile = path.join(dir, 'parse.cjs');
await esbuild.build({ entryPoints: [path.join(root, 'core/spec/parse.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning' });
const { DocumentCache, parseSpecFile } = createRequire(import.meta.url)(outfile);
rmSync(dir, { recursive: true, force: true });

const iterations = Number(process.env.ITER ?? 2000);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const us = (ms) => `${(ms * 1000).toFixed(1)} µs`;

for (const n of [1, 200]) {
  const file = path.join(root, `bench/results/lsp/gantry-trainingjob-${n}.gantry.yaml`);
  if (!existsSync(file)) {
    console.log(`${file} is missing; run node bench/lsp.mjs once`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  // Edit the value in the middle document of the file.
  const anchorAt = (needle) => {
    let at = -1;
    for (let k = 0, from = 0; k <= Math.floor((n - 1) / 2); k++) (at = text.indexOf(needle, from)), (from = at + 1);
    return at;
  };
  const p = anchorAt('precision: bf16-mixed') + 'precision: '.length;
  const variants = [text, text.slice(0, p) + 'fp7' + text.slice(p + 'bf16-mixed'.length)];
  const s = anchorAt('sequenceLength: 4096') + 'sequenceLength: 4096'.length;
  const typing = [text, text.slice(0, s) + '1' + text.slice(s)];
  for (const [label, texts] of [
    ['value replace (bf16-mixed ↔ fp7)', variants],
    ['typing one digit', typing],
  ]) {
    const cache = new DocumentCache();
    cache.parse(texts[0]);
    const times = [];
    for (let i = 0; i < iterations; i++) {
      const t = texts[(i + 1) % 2];
      const t0 = performance.now();
      cache.parse(t);
      times.push(performance.now() - t0);
    }
    console.log(`${n} doc(s), ${label}: DocumentCache.parse median ${us(median(times.slice(iterations / 4)))}`);
  }
  const full = [];
  for (let i = 0; i < Math.max(20, iterations / (n > 1 ? 50 : 2)); i++) {
    const t0 = performance.now();
    parseSpecFile(variants[i % 2]);
    full.push(performance.now() - t0);
  }
  console.log(`${n} doc(s): parseSpecFile (everything) median ${us(median(full))}`);
}
