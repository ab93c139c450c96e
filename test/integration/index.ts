// The mocha entry point that VS Code's extension host loads (extensionTestsPath): it calls run(),
// and a rejected promise means exit code 1. Used by both runners: code-server
// (tools/vscode-e2e/scripts/run-integration.sh) and @vscode/test-electron (test/electron/runTest.mjs).
//
// The extension host's console only reaches the browser console, so the results also go to disk,
// where the shell reads them: $E2E_RESULTS_DIR/mocha.log (spec reporter text) and
// $E2E_RESULTS_DIR/results.json ({passes, failures, pending, tests}).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

interface TestResult {
  title: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  err?: string;
}

function findTestFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTestFiles(p);
    return entry.name.endsWith('.test.js') ? [p] : [];
  });
}

// The extension host redefines console.* with a no-op setter (to forward output), so assigning
// console.log would silently do nothing: tee mocha's reporter through Base.consoleLog instead.
function teeReporterOutput(logFile: string): void {
  const original = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    try {
      fs.appendFileSync(logFile, util.format(...args) + '\n');
    } catch {
      // A log that cannot be written must not fail the run; results.json still reports it.
    }
    original.apply(console, args);
  };
}

export function run(): Promise<void> {
  const outDir = process.env.E2E_RESULTS_DIR || path.resolve(__dirname, '../../../.e2e-artifacts/integration');
  fs.mkdirSync(outDir, { recursive: true });
  const logFile = path.join(outDir, 'mocha.log');
  const resultsFile = path.join(outDir, 'results.json');
  fs.writeFileSync(logFile, '');
  fs.rmSync(resultsFile, { force: true });
  teeReporterOutput(logFile);

  // The timeout only catches a hang (tests wait on events, never on the clock); see helpers.ts.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 600_000, slow: 5_000, reporter: 'spec' });
  if (process.env.E2E_GREP) mocha.grep(process.env.E2E_GREP);
  const files = findTestFiles(__dirname).sort();
  for (const f of files) mocha.addFile(f);

  const tests: TestResult[] = [];
  const writeResults = (extra: object) =>
    fs.writeFileSync(
      resultsFile,
      JSON.stringify(
        {
          passes: tests.filter((t) => t.state === 'passed').length,
          failures: tests.filter((t) => t.state === 'failed').length,
          pending: tests.filter((t) => t.state === 'pending').length,
          files: files.map((f) => path.relative(__dirname, f)),
          tests,
          ...extra,
        },
        null,
        2,
      ),
    );

  return new Promise((resolve, reject) => {
    try {
      if (files.length === 0) throw new Error(`no *.test.js files under ${__dirname}`);
      const runner = mocha.run((failures) => {
        writeResults({ vscodeVersion: vscode.version, appName: vscode.env.appName, finishedAt: new Date().toISOString() });
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else resolve();
      });
      runner.on('test end', (t) => {
        tests.push({
          title: t.fullTitle(),
          file: t.file && path.relative(__dirname, t.file),
          state: t.state === 'passed' || t.state === 'failed' ? t.state : 'pending',
          durationMs: t.duration,
          err: t.err ? String(t.err.message) : undefined,
        });
      });
      // A failing hook ends its suite without 'test end' events; count it so it is not lost.
      runner.on('fail', (t, err) => {
        if ((t as Mocha.Runnable) instanceof Mocha.Hook) tests.push({ title: t.fullTitle(), file: t.file && path.relative(__dirname, t.file), state: 'failed', err: String(err?.message ?? err) });
      });
    } catch (err) {
      writeResults({ error: String((err as Error)?.stack ?? err) });
      reject(err);
    }
  });
}
