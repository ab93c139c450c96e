// What a person sees: a broken spec gets a squiggle on the exact value and a Problems entry; the
// light bulb's quick fix removes it. Also the estimate code lens and hover. Screenshots go to
// .e2e-artifacts/ui/screenshots/ (10-… to 13-…).
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorkbench, closeWorkbench, openFile, activeEditor, squiggles, problemsRows, statusProblems, applyQuickFix, screenshot, screenshotOnFailure, writeWorkspaceFile, HANG_MS, SUITE_TIMEOUT_MS } from './lib.mjs';

// The same two specs as the integration test: a cluster, and a job with one mistake.
const fixture = (name) => fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/editor', name), 'utf8');
const CLUSTER = fixture('cluster.gantry.yaml');
const BROKEN = fixture('job.gantry.yaml');

describe('UI: diagnostics, quick fix and estimates in the editor', { timeout: SUITE_TIMEOUT_MS }, () => {
  let workbench;
  let page;

  before(async () => {
    writeWorkspaceFile('ui/cluster.gantry.yaml', CLUSTER);
    writeWorkspaceFile('ui/broken.gantry.yaml', BROKEN);
    workbench = await openWorkbench();
    page = workbench.page;
  });
  after(() => closeWorkbench(workbench));
  afterEach((t) => screenshotOnFailure(page, t));

  it('shows the squiggle on the data value and the Problems entry', async () => {
    await openFile(page, 'ui/broken.gantry.yaml');
    await squiggles(page, 'error').first().waitFor({ timeout: HANG_MS });
    await statusProblems(page, { errors: 1 }).waitFor({ timeout: HANG_MS });
    const rows = await problemsRows(page, 'Data parallel 8 makes the product right');
    await rows.first().waitFor();
    assert.match(await rows.first().innerText(), /parallelism-product/);
    await screenshot(page, '10-diagnostic-and-problems');
  });

  it('applies the quick fix from the light bulb and the problem goes away', async () => {
    await applyQuickFix(page, 'Set data parallel to 8');
    // The fixture's header comment mentions "data: 8" too: match the code line, not the comment.
    await activeEditor(page).locator('.view-line', { hasText: 'data: 8', hasNotText: '#' }).waitFor();
    await squiggles(page, 'error').first().waitFor({ state: 'detached', timeout: HANG_MS });
    await page.locator('.markers-panel', { hasText: 'No problems have been detected' }).waitFor({ timeout: HANG_MS });
    assert.doesNotMatch(String(await statusProblems(page).getAttribute('aria-label')), /Errors: [1-9]/);
    await screenshot(page, '11-quick-fix-applied');
  });

  it('shows the memory estimate above the job and its breakdown on hover', async () => {
    // The wait matches the lens's text (a re-rendered lens can read empty just after a plain wait).
    const lens = activeEditor(page).locator('.codelens-decoration', { hasText: /GiB \/ .* GiB per GPU/ });
    await lens.first().waitFor({ timeout: HANG_MS });
    await screenshot(page, '12-estimate-lens');
    await activeEditor(page).locator('.view-line', { hasText: 'kind: TrainingJob' }).locator('span', { hasText: 'kind' }).first().hover();
    const hover = page.locator('.monaco-hover-content, .monaco-hover .hover-contents').filter({ hasText: 'Peak allocated' });
    await hover.first().waitFor({ timeout: HANG_MS });
    await screenshot(page, '13-estimate-hover');
  });
});
