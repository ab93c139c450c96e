// The benches measure Gantry's TypeScript core and webview code directly: bundle the modules a bench
// needs once (esbuild, CommonJS, for Node) into a temporary folder and load them. `exports` is the
// entry's source (export lines, paths relative to the repository root). Returns the loaded module
// and the folder, which the bench may use for its own files and removes at its end.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function bundleForBench(name, exports) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `gantry-bench-${name}-`));
  const entry = path.join(tmp, 'entry.cjs');
  await esbuild.build({ stdin: { contents: exports, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', outfile: entry, logLevel: 'warning' });
  return { lib: createRequire(import.meta.url)(entry), tmp };
}
