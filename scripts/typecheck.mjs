// Type-checks every runtime with `tsc -b` over the root solution tsconfig.json, which references
// each runtime's own tsconfig (core, server, client, cli, webview, test), so that a forbidden import
// (vscode or the LSP packages in core, vscode in the server, CLI and webview, DOM in core) fails
// here. Incremental: tsc keeps <runtime>/tsconfig.tsbuildinfo (git-ignored) between runs.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.json', ...process.argv.slice(2)], { stdio: 'inherit' });
console.log(`typecheck (tsc -b: core, server, client, cli, webview, test): ${r.status === 0 ? 'ok' : 'FAILED'}`);
process.exit(r.status === 0 ? 0 : 1);
