// UI test of a run as a person sees it: click `▶ Run` above a TrainingJob, read the confirmation
// (command, env, cwd, GPUs), run it, watch the panel stream logs and draw the training and GPU
// charts, cancel it. GPU samples come from nvidia-smi-replay (real H100 recordings played back),
// and the panel must say REPLAY. Screenshots: 20-run-confirm, 21-run-panel-streaming, 21b-run-panel-gpu-replay, 22-run-cancelled.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openWorkbench, closeWorkbench, openFile, activeEditor, runCommand, screenshot, screenshotOnFailure, writeWorkspaceFile, HANG_MS, SUITE_TIMEOUT_MS } from './lib.mjs';

const SPEC = 'ui-train.gantry.yaml';
const repo = path.resolve(process.env.E2E_WORKSPACE_SOURCE ?? '.', '..');
const replay = path.join(repo, 'test/fixtures/bin/nvidia-smi-replay');

describe('UI: ▶ Run and the run panel', { timeout: SUITE_TIMEOUT_MS }, () => {
  let workbench;
  let page;

  before(async () => {
    // The workspace copy points the sampler at the replay (looping), before the window opens.
    writeWorkspaceFile('.vscode/settings.json', JSON.stringify({ 'gantry.runs.telemetry.command': ['/usr/bin/env', 'NVIDIA_SMI_REPLAY_LOOP=1', replay] }, null, 2));
    writeWorkspaceFile(
      SPEC,
      `apiVersion: gantry/v1
kind: TrainingJob
metadata:
  name: ui-train
spec:
  cluster: local
  resources: { nodes: 1, gpusPerNode: 1 }
  model:
    architecture: { layers: 2, hidden: 128, heads: 4, ffn: 512, vocab: 1000, maxContext: 256 }
  batch: { micro: 8, sequenceLength: 256 }
  command:
    - python3
    - -u
    - -c
    - |
      import math, time
      for step in range(1, 100000):
          print(f"step {step} loss {0.9 + 1.4 * math.exp(-step / 40):.4f} lr 3e-4 tokens/s {1200 + (step * 37) % 200}", flush=True)
          time.sleep(0.05)
`,
    );
    workbench = await openWorkbench();
    page = workbench.page;
  });
  after(() => closeWorkbench(workbench));
  afterEach((t) => screenshotOnFailure(page, t));

  const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  // The panel follows the end of the log, so early lines scroll out of the (virtualized) view:
  // wait on the line count it shows, polled like an expect() on the locator.
  async function waitForLogLines(n, timeoutMs = HANG_MS) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text =
        (await panel()
          .locator('#log-count')
          .innerText()
          .catch(() => '')) ?? '';
      const count = Number(text.replace(/[^\d].*$/, '').replace(/,/g, '') || 0);
      if (count >= n) return count;
      if (Date.now() > deadline) throw new Error(`the panel shows '${text}', not ${n} lines`);
      await page.waitForTimeout(200);
    }
  }

  it('shows exactly what will run before running it', async () => {
    await openFile(page, SPEC);
    const lens = activeEditor(page).locator('.codelens-decoration a', { hasText: '▶ Run' }).first();
    await lens.waitFor({ timeout: HANG_MS });
    await lens.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    await dialog.getByText('Run ui-train?').waitFor();
    const text = await dialog.innerText();
    assert.match(text, /command: python3 -u -c 'import math, time/);
    assert.match(text, /cwd: .*examples/);
    assert.match(text, /^GPU 0$/m); // GPU index 0, not "0 GPUs"
    assert.match(text, /env: CUDA_VISIBLE_DEVICES=0 PYTHONUNBUFFERED=1/);
    await screenshot(page, '20-run-confirm');
    await dialog.locator('.monaco-button', { hasText: /^Run$/ }).click();
  });

  it('opens the panel with streaming logs, training charts and replayed GPU charts', async () => {
    const p = panel();
    await p.locator('.run-head .badge.state-running').waitFor({ timeout: HANG_MS });
    await waitForLogLines(40);
    await p
      .locator('.log-row', { hasText: /^\s*\d+\s*step \d+ loss \d\.\d{4} lr 3e-4 tokens\/s \d+$/ })
      .last()
      .waitFor();
    await p.locator('#train-charts:not([hidden]) canvas.chart').first().waitFor();
    await p.locator('.replay-tag', { hasText: 'REPLAY' }).waitFor({ timeout: HANG_MS });
    await p.locator('#gpu-charts:not([hidden]) canvas.chart').nth(4).waitFor({ timeout: HANG_MS });
    // The legend names the run's GPU (gpusPerNode 1: GPU 0 of the replayed H100s) in its chart colour;
    // one host, so no host picker.
    await p.locator('#gpu-legend .legend-item', { hasText: 'GPU 0' }).waitFor({ timeout: HANG_MS });
    assert.equal(await p.locator('#gpu-legend .legend-item').count(), 1);
    assert.match(
      await p
        .locator('#gpu-legend .swatch')
        .first()
        .evaluate((e) => getComputedStyle(e).backgroundColor),
      /^rgba?\(/,
    );
    assert.equal(await p.locator('#gpu-host').isHidden(), true);
    // Give the panel the width of the window, then let the replay reach the recorded load (about
    // 8 s in: utilization 100 %, memory climbing) so the charts show a trace.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await waitForLogLines(250);
    await page.locator('.statusbar-item', { hasText: '1 running' }).first().waitFor();
    await screenshot(page, '21-run-panel-streaming');
    await p.locator('#gpu-charts canvas.chart').nth(1).scrollIntoViewIfNeeded();
    await screenshot(page, '21b-run-panel-gpu-replay');
  });

  it('cancels from the panel', async () => {
    const p = panel();
    await p.locator('#cancel').click();
    await p.locator('.run-head .badge.state-cancelled').waitFor({ timeout: HANG_MS });
    assert.match(await p.locator('.run-head').innerText(), /after a cancel|SIGKILL/);
    await screenshot(page, '22-run-cancelled');
  });
});
