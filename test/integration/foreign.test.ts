// Configs where they already live, in a real VS Code extension host: a Kubernetes Deployment with a
// `vllm serve` command gets the estimate lens on its command and the error on the --max-model-len
// value, whose quick fix is written in the manifest's own syntax; a torchtitan TOML and an axolotl
// YAML get the training lens; an ordinary manifest gets nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { activateGantry, applyCodeAction, closeAllEditors, codeActionsAt, codeLenses, currentDiagnostics, deleteWorkspaceFile, diagnosticsFor, hoverTextAt, openDocument, positionOf, SUITE_TIMEOUT_MS, waitFor, waitForNoDiagnostics, writeWorkspaceFile } from './helpers';

function repoRoot(): string {
  let d = __dirname;
  while (!existsSync(path.join(d, 'test/fixtures/editor/foreign'))) d = path.dirname(d);
  return d;
}
const fixture = (name: string) => readFileSync(path.join(repoRoot(), 'test/fixtures/editor/foreign', name), 'utf8');
const FILES = ['itest-foreign/deployment.yaml', 'itest-foreign/llama3_8b.toml', 'itest-foreign/qlora-8b.yml', 'itest-foreign/nginx.yaml'];

describe('foreign configs in a real extension host', function () {
  this.timeout(SUITE_TIMEOUT_MS);
  before(async () => {
    await activateGantry();
  });
  after(async () => {
    await closeAllEditors();
    for (const f of FILES) await deleteWorkspaceFile(f);
  });

  it('a Deployment: the lens on the vllm serve command, the error on --max-model-len, a fix in the manifest’s syntax', async () => {
    const uri = await writeWorkspaceFile(FILES[0], fixture('deployment.yaml'));
    const { document } = await openDocument(uri);
    const [d] = await diagnosticsFor(uri, { code: 'kv-cache-too-small' });
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(document.getText(d.range), '131072', 'the error is on the value of --max-model-len');
    const lens = await waitFor(async () => (await codeLenses(uri)).find((l) => l.command?.title.includes('KV')), { description: 'the estimate lens' });
    assert.equal(lens.range.start.line, positionOf(document, 'command:').line, lens.command?.title);
    const hover = await hoverTextAt(uri, lens.range.start.translate(0, 4));
    assert.match(hover, /Assumptions/);
    assert.match(hover, /NVIDIA-L4/);
    const actions = await codeActionsAt(uri, d.range, vscode.CodeActionKind.QuickFix);
    const lower = actions.find((a) => a.title.startsWith('Lower --max-model-len'));
    assert.ok(lower, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    await applyCodeAction(lower);
    await waitForNoDiagnostics(uri, { code: 'kv-cache-too-small' });
    assert.match(document.getText(), /- "\d+"\n/, 'the list item keeps its quotes');
    assert.ok(await document.save());
  });

  it('a torchtitan TOML and an axolotl YAML get the training estimate lens', async () => {
    for (const [file, name] of [
      [FILES[1], 'llama3_8b.toml'],
      [FILES[2], 'qlora-8b.yml'],
    ]) {
      const uri = await writeWorkspaceFile(file, fixture(name));
      await openDocument(uri);
      const lens = await waitFor(async () => (await codeLenses(uri)).find((l) => /GiB/.test(l.command?.title ?? '')), { description: `the lens of ${name}` });
      assert.match(lens.command!.title, /step/, lens.command!.title);
    }
  });

  it('an ordinary Deployment gets nothing', async () => {
    const uri = await writeWorkspaceFile(FILES[3], 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: nginx\n          image: nginx:1.27\n          args: ["--max-model-len", "oops"]\n');
    await openDocument(uri);
    // The foreign Deployment above is checked on the same server, in order: once it has its diagnostics, so had this one.
    const dep = await writeWorkspaceFile(FILES[0], fixture('deployment.yaml'));
    await openDocument(dep);
    await diagnosticsFor(dep, { code: 'kv-cache-too-small' });
    assert.deepEqual(currentDiagnostics(uri), []);
    assert.deepEqual(await codeLenses(uri), []);
  });
});
