// This machine's GPUs on a local Cluster, in a real extension host: with the telemetry command set to
// nvidia-smi-replay (REAL nvidia-smi output recorded on an H100, played back; no GPU here), a local
// Cluster that says 8 × H100 gets a hint on nodes.gpu and a quick fix that writes the machine's
// 1 × H100-SXM-80GB, after which the hint goes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyCodeAction, closeAllEditors, codeActionsAt, deleteWorkspaceFile, diagnosticsFor, gantryExtension, HANG_MS, openDocument, SUITE_TIMEOUT_MS, waitFor, waitForActivation, waitForNoDiagnostics, writeWorkspaceFile } from './helpers';

const FILE = 'machine-local.gantry.yaml';
const CLUSTER = `apiVersion: gantry/v1
kind: Cluster
metadata:
  name: workstation
spec:
  scheduler:
    type: local
  nodes:
    count: 1
    gpu:
      model: H100-SXM-80GB
      count: 8
`;

describe("machine: a local Cluster set to this machine's GPUs (nvidia-smi replay)", function () {
  this.timeout(SUITE_TIMEOUT_MS);

  before(async () => {
    await waitForActivation();
    const replay = path.join(gantryExtension().extensionPath, 'test', 'fixtures', 'bin', 'nvidia-smi-replay');
    await vscode.workspace.getConfiguration('gantry.runs').update('telemetry.command', [replay], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('gantry.runs').update('telemetry.command', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await deleteWorkspaceFile(FILE);
  });

  it('hints at nodes.gpu, and its quick fix writes the recorded machine (1 × H100-SXM-80GB)', async () => {
    const uri = await writeWorkspaceFile(FILE, CLUSTER);
    const { document } = await openDocument(uri);
    const [hint] = await diagnosticsFor(uri, { source: 'gantry machine', code: 'local-gpus-differ', timeoutMs: HANG_MS });
    assert.equal(document.getText(hint.range), 'gpu');
    assert.equal(hint.severity, vscode.DiagnosticSeverity.Hint);
    // The replay is said to be one, never shown as this machine's live answer.
    assert.match(hint.message, /This machine has 1 × 'NVIDIA H100 80GB HBM3' \(81,559 MiB each, from nvidia-smi \(replayed\)\); cluster 'workstation' says 8 × 'H100-SXM-80GB'/);
    const fix = await waitFor(async () => (await codeActionsAt(uri, hint.range, vscode.CodeActionKind.QuickFix)).find((a) => a.title === "Set nodes.gpu to this machine's: 1 × H100-SXM-80GB"), {
      timeoutMs: HANG_MS,
      description: "the quick fix that sets nodes.gpu to this machine's GPUs",
    });
    await applyCodeAction(fix);
    assert.match(document.getText(), /model: H100-SXM-80GB\n {6}count: 1\n/);
    await waitForNoDiagnostics(uri, { source: 'gantry machine', timeoutMs: HANG_MS });
  });
});
