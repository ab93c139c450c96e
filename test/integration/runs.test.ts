// Runs in a real VS Code: ▶ Run from the code lens of the example spec, the state going running →
// succeeded with the log lines on disk and in the panel's host buffer; cancel of a long run; a spec
// with errors refused. The run store is read from the workspace's .gantry/runs, as the CLI would.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../core/runs/store';
import { isLocalRun, isTerminal, type RunRecord, type RunState } from '../../core/runs/types';
import { closeAllEditors, codeLenses, deleteWorkspaceFile, diagnosticsFor, HANG_MS, openDocument, SUITE_TIMEOUT_MS, waitFor, waitForActivation, workspaceRoot, writeWorkspaceFile } from './helpers';

const LONG_SPEC = 'runs-long.gantry.yaml';
const BROKEN_SPEC = 'runs-broken.gantry.yaml';
const LAST_RUN_SPEC = 'runs-last.gantry.yaml';

/** A tiny TrainingJob on the local cluster that runs `python3 -u -c <script>` (a YAML double-quoted string). */
const tinyJob = (name: string, script: string) => `apiVersion: gantry/v1
kind: TrainingJob
metadata:
  name: ${name}
spec:
  cluster: local
  resources: { nodes: 1, gpusPerNode: 1 }
  model:
    architecture: { layers: 2, hidden: 128, heads: 4, ffn: 512, vocab: 1000, maxContext: 256 }
  batch: { micro: 1, sequenceLength: 128 }
  command: [python3, -u, -c, ${script}]
`;

function store(): RunStore {
  return new RunStore(path.join(workspaceRoot().fsPath, '.gantry'));
}

/** Records every state a run passes through (from the store on disk, watched), until it ends. */
function statesOf(s: RunStore, id: () => string | undefined): { seen: RunState[]; ended: Promise<RunRecord> } {
  const seen: RunState[] = [];
  const ended = new Promise<RunRecord>((resolve) => {
    const on = (r: RunRecord) => {
      if (r.id !== id()) return;
      if (seen[seen.length - 1] !== r.state) seen.push(r.state);
      if (isTerminal(r.state)) {
        s.off('change', on);
        resolve(r);
      }
    };
    s.on('change', on);
  });
  return { seen, ended };
}

async function runLens(uri: vscode.Uri, name?: string): Promise<vscode.CodeLens> {
  return waitFor(
    async () => {
      const lenses = await codeLenses(uri);
      return lenses.find((l) => l.command?.title === '▶ Run' && (name === undefined || l.command.tooltip?.includes(name)));
    },
    { timeoutMs: HANG_MS, pollMs: 200, description: `a ▶ Run code lens in ${uri.fsPath}` },
  );
}

describe('runs: ▶ Run in a real extension host', function () {
  this.timeout(SUITE_TIMEOUT_MS);

  before(async () => {
    await vscode.workspace.getConfiguration('gantry.runs').update('confirmBeforeRun', false, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('gantry.runs').update('confirmBeforeRun', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('gantry.estimates').update('calibrate', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await deleteWorkspaceFile(LONG_SPEC);
    await deleteWorkspaceFile(BROKEN_SPEC);
    await deleteWorkspaceFile(LAST_RUN_SPEC);
  });

  it('runs the example from its code lens: running → succeeded, every log line on disk', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'hello-local.gantry.yaml');
    await openDocument(uri);
    await waitForActivation();
    const lens = await runLens(uri, 'hello-local');
    const s = store();
    s.watch(100);
    let id: string | undefined;
    const track = statesOf(s, () => id);
    try {
      const run = (await vscode.commands.executeCommand<RunRecord>(lens.command!.command, ...(lens.command!.arguments ?? [])))!;
      assert.ok(run, 'gantry.run returned no run');
      id = run.id;
      assert.equal(run.state, 'running', run.reason);
      const end = await track.ended;
      assert.equal(end.state, 'succeeded', end.reason);
      assert.ok(track.seen.indexOf('succeeded') > -1 && !track.seen.includes('failed'), track.seen.join(' → '));
      const out = fs
        .readFileSync(path.join(s.runDir(end.id), 'stdout.log'), 'utf8')
        .trim()
        .split('\n');
      assert.equal(out.length, 21, out.join('\n'));
      assert.match(out[0], /^step 1 loss \d\.\d\d tokens\/s \d+$/);
      assert.equal(out[20], 'done: 20 steps');
      assert.deepEqual(end.plan.command.slice(0, 3), ['python3', '-u', '-c']);
      assert.equal(end.plan.env.CUDA_VISIBLE_DEVICES, '0');
    } finally {
      s.unwatch();
    }
  });

  it('after a run ends, its measured figures appear as a `last run` lens beside ▶ Run', async () => {
    // The command prints torchtitan's step lines (test/fixtures/logs/torchtitan-train.log's format).
    const uri = await writeWorkspaceFile(LAST_RUN_SPEC, tinyJob('runs-last', `"for s, m, t in ((1, 41.49, 1302), (10, 58.12, 7845), (20, 59.87, 7912)):\\n  print(f'step: {s:2}  loss: 7.1234  memory: {m:5.2f}GiB({m / 79.19 * 100:.2f}%)  tps: {t:,}  tflops: 432.10  mfu: 43.69%')"`));
    await openDocument(uri);
    const lens = await runLens(uri, 'runs-last');
    const run = (await vscode.commands.executeCommand<RunRecord>('gantry.run', ...(lens.command!.arguments ?? [])))!;
    assert.equal(run.state, 'running', run.reason);
    const last = await waitFor(async () => (await codeLenses(uri)).find((l) => l.command?.title.startsWith('last run: ')), { timeoutMs: HANG_MS, pollMs: 200, description: 'a `last run` code lens after the run ended' });
    assert.match(last.command!.title, /^last run: 59\.9 GiB peak \(est\. \d+\.\d, [+\u2212]\d+ %\) · 7,879 tok\/s\/GPU/);
    assert.equal(last.command!.command, 'gantry.showRuns');
    assert.equal(last.command!.arguments?.[0], run.id);
    assert.ok(fs.existsSync(path.join(store().runDir(run.id), 'figures.json')));

    // Right-sizing from the same run: a 59.9 GiB peak on an 80 GB GPU leaves room for a larger
    // micro-batch (a hint on the key, and a quick fix with the new estimate in its title).
    const [hint] = await diagnosticsFor(uri, { source: 'gantry runs', code: 'memory-headroom', timeoutMs: HANG_MS });
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.getText(hint.range), 'micro');
    assert.equal(hint.severity, vscode.DiagnosticSeverity.Hint);
    assert.match(hint.message, /peaked at 59\.9 GiB of \d+\.\d GiB per GPU/);
    const fix = await waitFor(async () => (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, hint.range, vscode.CodeActionKind.QuickFix.value))?.find((a) => a.title.startsWith('Set batch.micro to ')), {
      timeoutMs: HANG_MS,
      pollMs: 200,
      description: 'a right-sizing quick fix on spec.batch.micro',
    });
    const m = /^Set batch\.micro to (\d+) \(est\. \d+\.\d GiB of \d+\.\d GiB, global batch ×\d+\)$/.exec(fix.title);
    assert.ok(m, fix.title);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await document.save(); // closing a dirty editor would ask
    assert.match(document.getText(), new RegExp(`batch: \\{ micro: ${m[1]}, sequenceLength: 128 \\}`));

    // Calibration, turned on: never silent with one measured run; from two runs on the Cluster, the
    // calibrated figure beside the raw one, naming the runs.
    await vscode.workspace.getConfiguration('gantry.estimates').update('calibrate', true, vscode.ConfigurationTarget.Global);
    const one = await waitFor(async () => (await codeLenses(uri)).find((l) => /calibrated/.test(l.command?.title ?? '')), { timeoutMs: HANG_MS, pollMs: 200, description: 'a calibration lens with one measured run' });
    assert.equal(one.command!.title, 'not calibrated: 1 run on local (needs 2 measured runs of a TrainingJob)');
    const again = (await vscode.commands.executeCommand<RunRecord>('gantry.run', ...(lens.command!.arguments ?? [])))!;
    assert.equal(again.state, 'running', again.reason);
    const two = await waitFor(async () => (await codeLenses(uri)).find((l) => l.command?.title.startsWith('calibrated from 2 runs on local: ')), { timeoutMs: HANG_MS, pollMs: 200, description: 'a calibrated lens from two runs' });
    assert.match(two.command!.title, /^calibrated from 2 runs on local: \d+\.\d GiB\/GPU \(raw \d+\.\d\) · [\d,]+ tok\/s\/GPU \(raw [\d,]+\)$/);
    assert.ok(two.command!.tooltip?.includes(run.id) && two.command!.tooltip.includes(again.id), two.command!.tooltip);
  });

  it('a second click while a submission is open submits once', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'hello-local.gantry.yaml');
    const before = store().list().length;
    const lens = await runLens(uri, 'hello-local');
    const args = lens.command!.arguments ?? [];
    const [a, b] = await Promise.all([vscode.commands.executeCommand<RunRecord>('gantry.run', ...args), vscode.commands.executeCommand<RunRecord>('gantry.run', ...args)]);
    assert.equal([a, b].filter(Boolean).length, 1);
    assert.equal(store().list().length, before + 1);
    await vscode.commands.executeCommand('gantry.cancelRun', (a ?? b)!.id);
  });

  it('cancels a long run: cancelled, its process group gone', async () => {
    const uri = await writeWorkspaceFile(LONG_SPEC, tinyJob('runs-long', `"import time\\nfor i in range(100000):\\n  print('step', i, 'loss', 1.0 / (i + 1)); time.sleep(0.1)"`));
    await openDocument(uri);
    const lens = await runLens(uri, 'runs-long');
    const run = (await vscode.commands.executeCommand<RunRecord>('gantry.run', ...(lens.command!.arguments ?? [])))!;
    assert.equal(run.state, 'running', run.reason);
    const log = path.join(store().runDir(run.id), 'stdout.log');
    await waitFor(() => fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('step 3 '), { pollMs: 100, description: 'the long run to print' });
    const end = await vscode.commands.executeCommand<RunRecord>('gantry.cancelRun', run.id);
    assert.equal(end?.state, 'cancelled', end?.reason);
    const pgid = Number(isLocalRun(run) ? run.handle.pgid : undefined);
    // Every member of the group goes: waited for (a pid going away has no event), never timed.
    await waitFor(
      () => {
        try {
          process.kill(-pgid, 0);
          return false;
        } catch {
          return true;
        }
      },
      { pollMs: 100, description: `process group ${pgid} to be gone after the cancel` },
    );
  });

  it('refuses a spec with errors and says where', async () => {
    const uri = await writeWorkspaceFile(BROKEN_SPEC, `apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: runs-broken\nspec:\n  resources: { nodes: two, gpusPerNode: 1 }\n  model: { preset: nope }\n  batch: { micro: 1, sequenceLength: 128 }\n  command: [python3, -c, "print(1)"]\n`);
    await openDocument(uri);
    await diagnosticsFor(uri, { timeoutMs: HANG_MS });
    const before = store().list().length;
    const result = await vscode.commands.executeCommand<RunRecord | undefined>('gantry.run', uri, 0);
    assert.equal(result, undefined);
    assert.equal(store().list().length, before);
  });
});
