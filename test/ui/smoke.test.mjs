// UI smoke test: the workbench opens the example workspace with Gantry installed, a spec opens in
// the editor, and a broken spec gets Gantry's squiggle and Problems entry. Screenshots go to
// .e2e-artifacts/ui/screenshots/.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openWorkbench, closeWorkbench, openFile, explorerItem, activeEditor, squiggles, problemsRows, statusProblems, screenshot, screenshotOnFailure, writeWorkspaceFile, findSpecs, HANG_MS, SUITE_TIMEOUT_MS } from './lib.mjs';

const BROKEN_SPEC_PATH = 'smoke-broken.gantry.yaml';
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

describe('UI smoke: Gantry in the VS Code workbench', { timeout: SUITE_TIMEOUT_MS }, () => {
  let workbench;
  let page;
  const specs = findSpecs();

  before(async () => {
    workbench = await openWorkbench();
    page = workbench.page;
  });
  after(() => closeWorkbench(workbench));
  afterEach((t) => screenshotOnFailure(page, t));

  it('opens the example workspace', async () => {
    assert.ok(specs.length > 0, 'the workspace holds no spec with apiVersion: gantry/…');
    // The first top-level entry of the first spec's path is listed in the Explorer.
    const top = specs[0].split(path.sep)[0];
    await explorerItem(page, top).waitFor({ timeout: HANG_MS });
  });

  it('opens a spec in the editor', async () => {
    await openFile(page, specs[0]);
    await activeEditor(page).locator('.view-lines', { hasText: 'apiVersion' }).waitFor();
    await screenshot(page, '01-spec-open');
  });

  it("shows Gantry's squiggle and Problems entry on a broken spec", async () => {
    writeWorkspaceFile(BROKEN_SPEC_PATH, BROKEN_SPEC);
    await openFile(page, BROKEN_SPEC_PATH);
    await squiggles(page, 'error').first().waitFor({ timeout: HANG_MS });
    await statusProblems(page, { errors: 'some' }).waitFor();
    const rows = await problemsRows(page, 'gantry');
    await rows.first().waitFor();
    await screenshot(page, '02-broken-spec');
  });
});
