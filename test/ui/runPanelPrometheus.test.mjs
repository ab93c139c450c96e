// UI test of a Prometheus-backed run panel, in the real editor: a REAL Prometheus (Debian's package,
// started here on a free loopback port with a config this test writes) scrapes the dcgm-exporter
// replay (test/prometheus/dcgm-replay.mjs: 8 replayed H100s labelled with this machine's hostname,
// so a local run's GPUs are found in it). A Cluster names that Prometheus (replayed: true), a
// TrainingJob on it runs twice (the second with a larger micro-batch), and the panel must name
// Prometheus as its source, say REPLAY, draw DCGM's SM activity and NVLink charts and list the
// replay's health events (XID 79, thermal throttling, ECC). Then "Gantry: Compare Runs…" puts the
// two runs side by side. Screenshots: 23-run-panel-prometheus, 23b-run-panel-prometheus-charts,
// 24-compare-runs. Skipped when no `prometheus` binary is installed (apt-get install prometheus).
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { openWorkbench, closeWorkbench, openFile, activeEditor, runCommand, screenshot, screenshotOnFailure, writeWorkspaceFile, HANG_MS, SUITE_TIMEOUT_MS } from './lib.mjs';

const SPEC = 'ui-prom.gantry.yaml';
const repo = path.resolve(process.env.E2E_WORKSPACE_SOURCE ?? '.', '..');
const promBin = process.env.GANTRY_PROMETHEUS || 'prometheus';
const skip = spawnSync(promBin, ['--version'], { stdio: 'ignore' }).status === 0 ? false : `no ${promBin} on PATH`;

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const get = (url) =>
  new Promise((resolve) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', () => resolve({ status: 0, body: '' }));
  });
async function until(f, what) {
  const deadline = Date.now() + HANG_MS;
  for (;;) {
    if (await f()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const spec = (micro) => `apiVersion: gantry/v1
kind: Cluster
metadata:
  name: prom-local
spec:
  scheduler: { type: local }
  nodes:
    count: 1
    gpu: { model: H100-SXM-80GB, count: 8 }
  interconnect:
    intraNode: { type: nvlink4 }
    interNode: { type: none }
  metrics:
    prometheus: { url: "${promUrl}", scrapeIntervalSeconds: 1, replayed: true }
---
apiVersion: gantry/v1
kind: TrainingJob
metadata:
  name: ui-prom
spec:
  cluster: prom-local
  resources: { nodes: 1, gpusPerNode: 8 }
  model:
    architecture: { layers: 16, hidden: 2048, heads: 16, ffn: 5504, vocab: 32000, maxContext: 4096 }
  batch: { micro: ${micro}, sequenceLength: 4096 }
  command:
    - python3
    - -u
    - -c
    - |
      import time
      for step in range(1, 61):
          print(f"step: {step}  loss: {9.9 - step * 0.05:.4f}  memory: 58.12GiB(73.39%)  tps: {7800 + step % 40:,}  tflops: 432.10  mfu: 43.69%", flush=True)
          time.sleep(0.4)
`;

let promUrl = '';
const children = [];

describe('UI: a Prometheus-backed run panel and Compare Runs', { timeout: SUITE_TIMEOUT_MS, skip }, () => {
  let workbench;
  let page;

  before(async () => {
    const exporterPort = await freePort();
    const exporter = spawn(process.execPath, [path.join(repo, 'test/prometheus/dcgm-replay.mjs'), String(exporterPort), os.hostname(), '8'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(exporter);
    await new Promise((resolve, reject) => {
      exporter.stdout.on('data', (c) => String(c).includes('listening') && resolve());
      exporter.on('exit', (code) => reject(new Error(`dcgm replay exited ${code}`)));
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-ui-prom-'));
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: dcgm\n    static_configs:\n      - targets: ["127.0.0.1:${exporterPort}"]\n`);
    const log = fs.openSync(path.join(dir, 'prometheus.log'), 'w');
    const prom = spawn(promBin, [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    children.push(prom);
    promUrl = `http://127.0.0.1:${port}`;
    await until(async () => (await get(`${promUrl}/api/v1/query?query=DCGM_FI_DEV_FB_USED`)).body.includes('"gpu":"7"'), 'Prometheus to hold the replayed GPUs');
    writeWorkspaceFile(SPEC, spec(1));
    workbench = await openWorkbench();
    page = workbench.page;
  });
  after(async () => {
    await closeWorkbench(workbench);
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  });
  afterEach((t) => screenshotOnFailure(page, t));

  const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  async function runSpec() {
    await openFile(page, SPEC);
    const lens = activeEditor(page).locator('.codelens-decoration a', { hasText: '▶ Run' }).first();
    await lens.waitFor({ timeout: HANG_MS });
    await lens.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('Run ui-prom?').waitFor();
    await dialog.locator('.monaco-button', { hasText: /^Run$/ }).click();
  }

  it('names Prometheus as the source, draws DCGM charts and lists the health events', async () => {
    await runSpec();
    const p = panel();
    await p.locator('.run-head .badge.state-running').waitFor({ timeout: HANG_MS });
    await p.locator('#telemetry-label', { hasText: `from Prometheus (DCGM) at 127.0.0.1:${new URL(promUrl).port}` }).waitFor({ timeout: HANG_MS });
    await p.locator('.replay-tag', { hasText: 'REPLAY' }).waitFor();
    await p.locator('#gpu-legend .legend-item', { hasText: 'GPU 7' }).waitFor({ timeout: HANG_MS });
    assert.equal(await p.locator('#gpu-legend .legend-item').count(), 8);
    await p.locator('canvas.chart[aria-label="SM activity (DCGM)"]').waitFor();
    await p.locator('canvas.chart[aria-label="NVLink TX+RX (DCGM)"]').waitFor();
    await p.locator('.health-chip', { hasText: 'GPU 3: XID 79 (GPU has fallen off the bus)' }).waitFor({ timeout: HANG_MS });
    await p.locator('.health-chip', { hasText: 'GPU 5: clocks throttled: hardware thermal slowdown' }).waitFor({ timeout: HANG_MS });
    await p.locator('.health-chip', { hasText: 'GPU 6: 2 double-bit ECC errors' }).waitFor({ timeout: HANG_MS });
    // Let the run reach about 20 s (one log line each 0.4 s) so the charts show a trace.
    await p.locator('#log-count', { hasText: /^(4[5-9]|5\d|60) lines/ }).waitFor({ timeout: HANG_MS });
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await p.locator('#health').scrollIntoViewIfNeeded();
    await screenshot(page, '23-run-panel-prometheus');
    await p.locator('#gpu-charts canvas.chart').nth(3).scrollIntoViewIfNeeded();
    await screenshot(page, '23b-run-panel-prometheus-charts');
    await p.locator('.run-head .badge.state-succeeded').waitFor({ timeout: HANG_MS });
    await p.locator('.run-summary', { hasText: 'GiB' }).waitFor({ timeout: HANG_MS });
  });

  it('compares two runs of the spec side by side: config diff, figures, charts', async () => {
    writeWorkspaceFile(SPEC, spec(2));
    await runSpec();
    const p = panel();
    // Both runs ended (the list shows two), the second one shown with its kept figures.
    await p.locator('#run-list .badge.state-succeeded').nth(1).waitFor({ timeout: HANG_MS });
    await p.locator('.run-summary', { hasText: 'GiB' }).waitFor({ timeout: HANG_MS });
    // (The spec opened in the panel's group, so the panel has the window's width.)
    await p.locator('#compare-pick').click();
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'ui-prom' }).first();
    await row.waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    const c = p.locator('#compare:not([hidden])');
    await c.waitFor({ timeout: HANG_MS });
    await c.locator('#compare-table tr.diff-changed', { hasText: 'spec.batch.micro' }).waitFor();
    assert.match(await c.locator('#compare-table tr.diff-changed', { hasText: 'spec.batch.micro' }).innerText(), /spec\.batch\.micro\s+2\s+1/);
    assert.equal(await c.locator('.compare-col').count(), 2);
    await c.locator('.compare-col', { hasText: 'GiB' }).nth(1).waitFor();
    await c.locator('canvas.chart[aria-label^="Memory used"]').waitFor();
    await screenshot(page, '24-compare-runs');
    // Escape closes it and the run is shown again.
    await c.locator('#compare-close').focus();
    await page.keyboard.press('Escape');
    await p.locator('#compare').waitFor({ state: 'hidden' });
    await p.locator('.run-head .run-title', { hasText: 'ui-prom' }).waitFor();
  });
});
