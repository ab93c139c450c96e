// What a person sees on configs where they already live: a Kubernetes Deployment with a `vllm serve`
// command gets the estimate lens on its command and the squiggle on the --max-model-len value; a
// torchtitan TOML and an axolotl YAML get the training estimate lens and its breakdown on hover.
// Screenshots go to .e2e-artifacts/ui/screenshots/ (40-… to 43-…); docs/screenshots/ holds copies.
import { describe, it, before, after, afterEach } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorkbench, closeWorkbench, openFile, activeEditor, squiggles, screenshot, screenshotOnFailure, writeWorkspaceFile, HANG_MS, SUITE_TIMEOUT_MS } from './lib.mjs';

const fixture = (name) => fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/editor/foreign', name), 'utf8');

describe('UI: foreign configs (a Deployment, a torchtitan TOML, an axolotl YAML)', { timeout: SUITE_TIMEOUT_MS }, () => {
  let workbench;
  let page;

  before(async () => {
    writeWorkspaceFile('ui-foreign/deployment.yaml', fixture('deployment.yaml'));
    writeWorkspaceFile('ui-foreign/llama3_8b.toml', fixture('llama3_8b.toml'));
    writeWorkspaceFile('ui-foreign/qlora-8b.yml', fixture('qlora-8b.yml'));
    workbench = await openWorkbench();
    page = workbench.page;
  });
  after(() => closeWorkbench(workbench));
  afterEach((t) => screenshotOnFailure(page, t));

  it('a Deployment: the lens on the vllm serve command, its assumptions on hover, and the squiggle on --max-model-len', async () => {
    await openFile(page, 'ui-foreign/deployment.yaml');
    // VS Code re-renders a lens when the server re-resolves it: reading its text after the wait can catch it
    // empty (seen under load). So the wait itself matches the text; its timeout only catches a hang.
    const lens = activeEditor(page).locator('.codelens-decoration', { hasText: /KV.*tokens/ });
    await lens.first().waitFor({ timeout: HANG_MS });
    await squiggles(page, 'error').first().waitFor({ timeout: HANG_MS });
    // The command's line carries the estimate: its hover names every assumption (the GPU from the node selector).
    await activeEditor(page).locator('.view-line', { hasText: 'command:' }).locator('span > span', { hasText: 'command' }).first().hover();
    await page.locator('.monaco-hover-content, .monaco-hover .hover-contents').filter({ hasText: 'NVIDIA-L4' }).first().waitFor({ timeout: HANG_MS });
    await screenshot(page, '40-deployment-max-model-len');
  });

  it('a torchtitan TOML: the training lens, and a hover on a value says what Gantry reads it as', async () => {
    await openFile(page, 'ui-foreign/llama3_8b.toml');
    // The wait matches the lens's text (a re-rendered lens can read empty just after a plain wait).
    const lens = activeEditor(page).locator('.codelens-decoration', { hasText: /GiB \/ .* GiB per GPU/ });
    await lens.first().waitFor({ timeout: HANG_MS });
    await screenshot(page, '41-torchtitan-lens');
    // A hover on one value says what Gantry reads it as, with the estimate's line.
    // The TOML may render as plain text (one span for the line): hover the line's last characters, the value.
    const value = activeEditor(page).locator('.view-line', { hasText: 'seq_len' }).locator('span > span', { hasText: '8192' }).last();
    const box = await value.boundingBox();
    await value.hover({ position: { x: Math.max(1, (box?.width ?? 8) - 6), y: (box?.height ?? 10) / 2 } });
    await page.locator('.monaco-hover-content, .monaco-hover .hover-contents').filter({ hasText: 'read by Gantry as' }).first().waitFor({ timeout: HANG_MS });
    await screenshot(page, '43-torchtitan-value-hover');
  });

  it('an axolotl YAML: the training lens and its assumptions on hover', async () => {
    await openFile(page, 'ui-foreign/qlora-8b.yml');
    const lens = activeEditor(page).locator('.codelens-decoration', { hasText: 'per GPU' });
    await lens.first().waitFor({ timeout: HANG_MS });
    // The key's own token (a hover on the value is the value's own hover, not the breakdown).
    await activeEditor(page).locator('.view-line', { hasText: 'base_model' }).locator('span > span', { hasText: 'base_model' }).first().hover();
    await page.locator('.monaco-hover-content, .monaco-hover .hover-contents').filter({ hasText: 'Assumptions' }).first().waitFor({ timeout: HANG_MS });
    await screenshot(page, '42-axolotl-hover');
  });
});
