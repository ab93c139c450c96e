// The language features in a real VS Code extension host, on the example workspace: diagnostics at
// the exact value, quick fixes that remove them, completion, hover, go-to-definition, the outline,
// the estimate lens, re-checking a job when its Cluster changes on disk, and silence on foreign YAML.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  activateGantry,
  applyCodeAction,
  closeAllEditors,
  codeActionsAt,
  codeLenses,
  completionsAt,
  currentDiagnostics,
  definitionsAt,
  deleteWorkspaceFile,
  diagnosticsFor,
  documentSymbols,
  HANG_MS,
  hoverTextAt,
  openDocument,
  positionOf,
  rangeOf,
  SUITE_TIMEOUT_MS,
  waitFor,
  waitForNoDiagnostics,
  workspaceUri,
  writeWorkspaceFile,
} from './helpers';

// The same two specs as the UI test (test/fixtures/editor): a cluster, and a job with one mistake.
const fixture = (name: string) => readFileSync(path.join(repoRoot(), 'test/fixtures/editor', name), 'utf8');
const CLUSTER = fixture('cluster.gantry.yaml');
const JOB = fixture('job.gantry.yaml');

function repoRoot(): string {
  let d = __dirname;
  while (!existsSync(path.join(d, 'test/fixtures/editor'))) d = path.dirname(d);
  return d;
}

describe('language features in a real extension host', function () {
  this.timeout(SUITE_TIMEOUT_MS);
  let cluster: vscode.Uri;
  let job: vscode.Uri;

  /**
   * `probe`, for a waitFor on what the server knows of the Cluster file (not open) written when the
   * suite began. The server learns of it from its workspace scan, or else from the file watcher; a
   * file written while the scan was past its folder and before VS Code's watcher was up (seconds on
   * a loaded machine) is seen only at its next change. So every 20 polls (5 s) it is written again.
   */
  const clusterKnown = <T>(probe: () => Promise<T | false>) => {
    let polls = 0;
    return async (): Promise<T | false> => {
      const found = await probe();
      if (!found && ++polls % 20 === 0) await writeWorkspaceFile('itest/cluster.gantry.yaml', CLUSTER);
      return found;
    };
  };

  let activationMs = NaN;
  before(async () => {
    activationMs = (await activateGantry<{ activationMs: number }>()).activationMs;
    cluster = await writeWorkspaceFile('itest/cluster.gantry.yaml', CLUSTER);
    job = await writeWorkspaceFile('itest/job.gantry.yaml', JOB);
  });
  after(async () => {
    await closeAllEditors();
    await deleteWorkspaceFile('itest/cluster.gantry.yaml');
    await deleteWorkspaceFile('itest/job.gantry.yaml');
    await deleteWorkspaceFile('itest/deployment.yaml');
  });

  it('reports its activation cost (a benchmark figure, shown in this title)', function () {
    assert.ok(Number.isFinite(activationMs) && activationMs > 0, String(activationMs));
    this.test!.title += `: ${activationMs.toFixed(1)} ms from bundle load to the end of activate()`;
  });

  it('reports TP × PP × DP ≠ GPUs on the data value, and the quick fix makes it right', async () => {
    const { document } = await openDocument(job);
    const [d] = await diagnosticsFor(job, { code: 'parallelism-product' });
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    const value = positionOf(document, 'data: 4', { offset: 'data: '.length });
    assert.ok(d.range.isEqual(new vscode.Range(value, value.translate(0, 1))), `range ${JSON.stringify(d.range)}`);
    const actions = await codeActionsAt(job, d.range, vscode.CodeActionKind.QuickFix);
    const fix = actions.find((a) => a.title === 'Set data parallel to 8');
    assert.ok(fix, `actions: ${actions.map((a) => a.title).join(', ')}`);
    await applyCodeAction(fix);
    await waitForNoDiagnostics(job, { code: 'parallelism-product' });
    assert.match(document.getText(), /data: 8/);
    assert.ok(await document.save());
  });

  it("runs the language server with the V8 flags of package.json gantry.serverNodeFlags (the memory budget's settings)", async function () {
    if (process.platform !== 'linux') this.skip();
    const flags = (JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { gantry: { serverNodeFlags: string[] } }).gantry.serverNodeFlags;
    // The server this extension host started: its command line names this process as its client.
    const mine = `--clientProcessId=${process.pid}`;
    const cmdline = await waitFor(
      () => {
        for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
          let args: string[];
          try {
            args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
          } catch {
            continue;
          }
          if (args.includes(mine) && args.some((a) => a.endsWith(path.join('dist', 'server.js')))) return args;
        }
        return undefined;
      },
      { description: 'the language server process', timeoutMs: HANG_MS, pollMs: 100 },
    );
    const script = cmdline.findIndex((a) => a.endsWith(path.join('dist', 'server.js')));
    assert.deepEqual(
      cmdline.slice(1, script).filter((a) => flags.includes(a)),
      flags,
      cmdline.join(' '),
    );
  });

  it('completes enum values, catalog GPU models and workspace cluster names', async () => {
    const { document } = await openDocument(job);
    const precision = await completionsAt(job, positionOf(document, 'precision: ', { offset: 'precision: '.length }));
    const labels = precision.map((c) => (typeof c.label === 'string' ? c.label : c.label.label));
    assert.ok(labels.includes('bf16-mixed') && labels.includes('fp8-mixed'), labels.join(','));
    await waitFor(
      clusterKnown(async () => {
        const items = await completionsAt(job, positionOf(document, 'cluster: ', { offset: 'cluster: '.length }));
        return items.some((c) => (typeof c.label === 'string' ? c.label : c.label.label) === 'editor-pod');
      }),
      { timeoutMs: HANG_MS, pollMs: 250, description: "the workspace's cluster name among the completions" },
    );
    const { document: cdoc } = await openDocument(cluster);
    const gpus = await completionsAt(cluster, positionOf(cdoc, 'model: ', { offset: 'model: '.length }));
    assert.ok(gpus.some((c) => (typeof c.label === 'string' ? c.label : c.label.label) === 'H200-SXM-141GB'));
  });

  it('hovers show the field description and the resolved preset architecture', async () => {
    const { document } = await openDocument(job);
    const key = await hoverTextAt(job, positionOf(document, 'sequenceLength', { offset: 3 }));
    assert.match(key, /sequenceLength/);
    const preset = await hoverTextAt(job, positionOf(document, 'llama-3-8b', { offset: 3 }));
    assert.match(preset, /layers \| 32/);
  });

  it('goes from a cluster reference to the Cluster document, and lists documents in the outline', async () => {
    const { document } = await openDocument(job);
    const defs = await waitFor(
      clusterKnown(async () => {
        const found = await definitionsAt(job, positionOf(document, 'editor-pod', { offset: 2 }));
        return found.length ? found : false;
      }),
      { timeoutMs: HANG_MS, pollMs: 250, description: 'the definition of the cluster reference' },
    );
    const target = defs[0] as vscode.Location;
    assert.equal(target.uri.toString(), cluster.toString());
    const symbols = await documentSymbols(job);
    assert.equal(symbols[0].name, 'editor-job');
    assert.equal(symbols[0].detail, 'TrainingJob');
  });

  it('shows the memory estimate as a code lens on the job', async () => {
    await openDocument(job);
    const lenses = await waitFor(
      async () => {
        const ls = await codeLenses(job);
        return ls.find((l) => /GiB \/ .* GiB per GPU/.test(l.command?.title ?? '')) ?? false;
      },
      { timeoutMs: HANG_MS, pollMs: 250, description: 'the estimate code lens' },
    );
    assert.match(lenses.command!.title, /per GPU/);
  });

  it('re-checks the job when its Cluster file changes on disk (not open)', async () => {
    await closeAllEditors();
    await openDocument(job);
    await waitForNoDiagnostics(job, { code: 'cluster-gpus-per-node' });
    await vscode.workspace.fs.writeFile(cluster, Buffer.from(CLUSTER.replace('count: 8 }', 'count: 4 }')));
    const [d] = await diagnosticsFor(job, { code: 'cluster-gpus-per-node' });
    assert.match(d.message, /has 4 per node/);
    await vscode.workspace.fs.writeFile(cluster, Buffer.from(CLUSTER));
    await waitForNoDiagnostics(job, { code: 'cluster-gpus-per-node' });
  });

  it('leaves foreign YAML alone', async () => {
    const foreign = await writeWorkspaceFile('itest/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: nope\n');
    await openDocument(foreign);
    // The server handles documents in order: once a later Gantry edit is checked, the foreign file was too.
    const { document } = await openDocument(job);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(job, rangeOf(document, 'bf16-mixed'), 'bf17');
    await vscode.workspace.applyEdit(edit);
    await diagnosticsFor(job, { code: 'schema-enum' });
    assert.deepEqual(currentDiagnostics(foreign), []);
    const undo = new vscode.WorkspaceEdit();
    undo.replace(job, rangeOf(document, 'bf17'), 'bf16-mixed');
    await vscode.workspace.applyEdit(undo);
    await waitForNoDiagnostics(job, { code: 'schema-enum' });
    assert.ok(await document.save());
    assert.equal(workspaceUri('itest').scheme, 'file');
  });
});
