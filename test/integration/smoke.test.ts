// Smoke test of the whole chain in a real extension host: the extension is there, opening a spec
// activates it, and its language server publishes a diagnostic on a broken spec.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, deleteWorkspaceFile, diagnosticsFor, findSpecs, gantryExtension, HANG_MS, openDocument, waitForActivation, writeWorkspaceFile } from './helpers';

const BROKEN_SPEC_PATH = 'smoke-broken.gantry.yaml';
// Wrong on several counts any validator reports: a string where a count belongs, and an unknown key.
const BROKEN_SPEC = `apiVersion: gantry/v1
kind: TrainingJob
metadata:
  name: smoke-broken
spec:
  resources:
    nodes: two
    gpusPerNode: 8
  notAField: true
`;

describe('smoke: Gantry in a real VS Code extension host', () => {
  after(async () => {
    await closeAllEditors();
    await deleteWorkspaceFile(BROKEN_SPEC_PATH);
  });

  it('is installed', () => {
    const ext = gantryExtension();
    assert.equal(ext.packageJSON.name, 'gantry');
  });

  it('activates when an example spec is opened', async () => {
    const [spec] = await findSpecs();
    assert.ok(spec, 'the workspace holds no spec with apiVersion: gantry/…');
    const { document } = await openDocument(spec);
    assert.equal(document.languageId, 'yaml');
    const ext = await waitForActivation();
    assert.ok(ext.isActive);
  });

  it("publishes a diagnostic with source 'gantry' on a broken spec", async () => {
    const uri = await writeWorkspaceFile(BROKEN_SPEC_PATH, BROKEN_SPEC);
    await openDocument(uri);
    const diagnostics = await diagnosticsFor(uri, { timeoutMs: HANG_MS });
    assert.ok(
      diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Error),
      `expected an error among ${diagnostics.map((d) => d.message).join(' | ')}`,
    );
  });
});
