// Runs the same integration suites as tools/vscode-e2e/scripts/run-integration.sh, in a desktop
// VS Code started by @vscode/test-electron. For machines that can download VS Code (or have it
// installed); CI here cannot, so CI uses code-server instead and never runs this file.
// @vscode/test-electron 3 wants Node >= 22.
//
//   npm run test:electron                          # builds, then downloads VS Code stable once
//   xvfb-run -a npm run test:electron              # on a Linux machine without a display
//   VSCODE_VERSION=1.90.0 npm run test:electron    # the oldest VS Code package.json supports
//   VSCODE_EXECUTABLE=/usr/share/code/code npm run test:electron   # an installed VS Code, no download
//
// Env: E2E_WORKSPACE (default examples/; a temporary copy is opened), E2E_GREP (mocha grep),
// E2E_KEEP_TMP=1, VSCODE_TEST_CACHE (default ~/.cache/vscode-test: downloaded VS Code builds). Results: .e2e-artifacts/electron/{mocha.log,results.json}; exit 0 = all passed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import testElectron from '@vscode/test-electron';

const { runTests } = testElectron;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const testsPath = path.join(root, 'out/test/integration/index.js');
if (!fs.existsSync(testsPath)) {
  console.error(`${path.relative(root, testsPath)} not found: build the tests first (node scripts/build.mjs --tests)`);
  process.exit(2);
}

const workspaceSource = path.resolve(process.env.E2E_WORKSPACE || path.join(root, 'examples'));
const resultsDir = path.join(root, '.e2e-artifacts/electron');
fs.rmSync(resultsDir, { recursive: true, force: true });
fs.mkdirSync(resultsDir, { recursive: true });

// Same isolation as the code-server harness: a copy of the workspace (tests write into it), and a
// fresh profile and extensions folder, all removed afterwards.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-electron-'));
const workspace = path.join(tmp, 'ws', path.basename(workspaceSource));
fs.cpSync(workspaceSource, workspace, { recursive: true });

let exitCode = 1;
try {
  exitCode = await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    // Downloads are kept with the other heavy caches, not in the repository (.vscode-test/).
    cachePath: process.env.VSCODE_TEST_CACHE || path.join(os.homedir(), '.cache/vscode-test'),
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    extensionDevelopmentPath: root,
    extensionTestsPath: testsPath,
    extensionTestsEnv: {
      E2E_RESULTS_DIR: resultsDir,
      E2E_WORKSPACE_SOURCE: workspaceSource,
      E2E_GREP: process.env.E2E_GREP,
    },
    launchArgs: [
      workspace,
      '--disable-extensions', // every other extension; the one under development still loads
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-gpu',
      `--user-data-dir=${path.join(tmp, 'user-data')}`,
      `--extensions-dir=${path.join(tmp, 'extensions')}`,
    ],
  });
} catch (err) {
  // runTests rejects when VS Code exits non-zero (test failures) or cannot be downloaded/started.
  console.error(`VS Code test run failed: ${err instanceof Error ? err.message : err}`);
  exitCode = 1;
} finally {
  if (process.env.E2E_KEEP_TMP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
}

const results = path.join(resultsDir, 'results.json');
if (fs.existsSync(results)) {
  const r = JSON.parse(fs.readFileSync(results, 'utf8'));
  console.log(`${r.passes} passing, ${r.failures} failing (VS Code ${r.vscodeVersion}; ${path.relative(root, resultsDir)})`);
  if (r.failures > 0 || r.passes === 0) exitCode = 1;
} else {
  console.error(`no results.json in ${path.relative(root, resultsDir)}: the suites did not run`);
  exitCode = exitCode || 1;
}
process.exit(exitCode);
