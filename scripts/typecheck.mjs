// Type-checks each runtime against its own tsconfig, so that a forbidden import (vscode or the LSP
// packages in core, vscode in the server, DOM in core) fails here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
let failed = false;
for (const dir of ['core', 'server', 'client', 'webview', 'cli', 'test']) {
  if (!existsSync(`${dir}/tsconfig.json`)) continue;
  const r = spawnSync(process.execPath, [tsc, '-p', `${dir}/tsconfig.json`], { stdio: 'inherit' });
  console.log(`typecheck ${dir}: ${r.status === 0 ? 'ok' : 'FAILED'}`);
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
