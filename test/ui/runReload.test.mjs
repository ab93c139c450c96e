// UI test of a window reload in the middle of a local run, as a person lives it: ▶ Run a steady job
// (test/fixtures/runs/reload.gantry.yaml: 400 numbered lines, holding after line 200 until this
// test creates a gate file, so the reload lands mid-run on any machine), reload the workbench, and find the same run — same id, same supervisor pid, never restarted —
// reattached in the restored panel with the lines from before and after the reload; then close the
// panel and open it again (the host replays the buffered log); at the end the panel holds exactly
// the lines of the log file on disk, numbered 1…400 with no gap and no repeat.
// Screenshots: 30-run-reload-before, 31-run-reload-after, 32-run-panel-reopened, 33-run-reload-complete.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openWorkbench, closeWorkbench, openFile, activeEditor, runCommand, screenshot, screenshotOnFailure, writeWorkspaceFile, workspaceDir, HANG_MS, SUITE_TIMEOUT_MS } from './lib.mjs';

const SPEC = 'ui-reload.gantry.yaml';
const LINES = 400;
const repo = path.resolve(process.env.E2E_WORKSPACE_SOURCE ?? '.', '..');
const fixture = path.join(repo, 'test/fixtures/runs/reload.gantry.yaml');
const gate = path.join(workspaceDir, '.ui-reload.go');
const lineText = (n) => `reload-line ${String(n).padStart(4, '0')} of 0400`;

/** This test's runs in the workspace's store (other UI files share the workspace), read from disk as the CLI would. */
function runOnDisk() {
  const runsDir = path.join(workspaceDir, '.gantry', 'runs');
  const ids = fs.existsSync(runsDir) ? fs.readdirSync(runsDir).filter((n) => fs.existsSync(path.join(runsDir, n, 'run.json'))) : [];
  const runs = ids.map((id) => JSON.parse(fs.readFileSync(path.join(runsDir, id, 'run.json'), 'utf8'))).filter((r) => r.plan.name === 'reload-steady');
  return { runs, run: runs[0] };
}

/** The lines of the run's stdout log on disk (complete lines only). */
function diskLines(run) {
  const text = fs.readFileSync(run.logs.find((l) => l.stream === 'stdout').path, 'utf8');
  return text.split('\n').slice(0, -1);
}

/** Developer: Reload Window, from the palette; resolves once the page has navigated. */
async function reloadWindow(page) {
  await page
    .locator('.monaco-workbench')
    .focus()
    .catch(() => {});
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.fill('>Developer: Reload Window');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().waitFor();
  await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: HANG_MS }), page.keyboard.press('Enter')]);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('UI: a window reload in the middle of a run', { timeout: SUITE_TIMEOUT_MS }, () => {
  let workbench;
  let page;

  before(async () => {
    // A .vscode folder makes the workspace copy the store's root (.gantry beside it).
    writeWorkspaceFile('.vscode/settings.json', JSON.stringify({ 'gantry.runs.telemetry.enabled': false }, null, 2));
    fs.rmSync(gate, { force: true });
    writeWorkspaceFile(SPEC, fs.readFileSync(fixture, 'utf8').replaceAll('@GATE@', gate));
    workbench = await openWorkbench();
    page = workbench.page;
  });
  after(() => {
    fs.writeFileSync(gate, ''); // never leave the job waiting
    return closeWorkbench(workbench);
  });
  afterEach((t) => screenshotOnFailure(page, t));

  const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  /** The panel's inner frame, for waitForFunction/evaluate (found again after a reload). */
  async function panelFrame() {
    const outer = await page.locator('iframe.webview.ready').elementHandle({ timeout: HANG_MS });
    const f1 = await outer.contentFrame();
    await f1.locator('#active-frame').waitFor({ state: 'attached', timeout: HANG_MS });
    const inner = await (await f1.locator('#active-frame').elementHandle()).contentFrame();
    await inner.locator('#log-count').waitFor({ state: 'attached', timeout: HANG_MS });
    return inner;
  }

  /** Waits until the panel's line count satisfies `min ≤ count` (and `count ≤ max`); returns it. */
  async function waitForCount(min, max = Infinity, timeoutMs = HANG_MS) {
    const frame = await panelFrame();
    await frame.waitForFunction(
      ([lo, hi]) => {
        const n = Number((document.querySelector('#log-count')?.textContent ?? '').replace(/ lines.*$/, '').replace(/,/g, '') || 0);
        return n >= lo && n <= hi;
      },
      [min, max === Infinity ? Number.MAX_SAFE_INTEGER : max],
      { timeout: timeoutMs },
    );
    const text = await frame.locator('#log-count').innerText();
    assert.doesNotMatch(text, /gap/, `the panel reports a gap: ${text}`);
    return Number(text.replace(/ lines.*$/, '').replace(/,/g, ''));
  }

  let atReload = { id: '', pid: 0, linesAtReload: 0 };

  it('▶ Run starts the steady job and the panel streams it', async () => {
    await openFile(page, SPEC);
    const lens = activeEditor(page).locator('.codelens-decoration a', { hasText: '▶ Run' }).first();
    await lens.waitFor({ timeout: HANG_MS });
    await lens.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('Run reload-steady?').waitFor();
    await dialog.locator('.monaco-button', { hasText: /^Run$/ }).click();
    await panel().locator('.run-head .badge.state-running').waitFor({ timeout: HANG_MS });
    await waitForCount(30);
    await screenshot(page, '30-run-reload-before');
  });

  it('reload: the same run (id and pid) goes on, reattached, and the restored panel has the lines from before and after', async () => {
    const { runs, run } = runOnDisk();
    assert.equal(runs.length, 1);
    assert.equal(run.state, 'running');
    atReload = { id: run.id, pid: run.handle.pid, linesAtReload: diskLines(run).length };
    assert.ok(atReload.linesAtReload < LINES - 100, `the run is too far along to reload mid-run (${atReload.linesAtReload} lines)`);

    // Reload as a person does (Developer: Reload Window): the workbench saves its editors, the
    // panel among them, before it unloads. (A bare page.reload() races the browser's unload with
    // that save, and the workbench then comes back without the panel, which is VS Code's doing.)
    await reloadWindow(page);
    await page.locator('.monaco-workbench').waitFor({ timeout: HANG_MS });
    // The serializer restores the panel; it shows the run again and keeps streaming.
    await panel().locator('.run-head .badge.state-running').waitFor({ timeout: HANG_MS });
    // The job holds at line 200 until now: let it go on, and see the lines after the reload arrive.
    fs.writeFileSync(gate, '');
    const shown = await waitForCount(atReload.linesAtReload + 40);

    const after = runOnDisk();
    assert.equal(after.runs.length, 1, 'no second run was started');
    assert.equal(after.run.id, atReload.id);
    assert.equal(after.run.handle.pid, atReload.pid, 'the supervisor is the one started before the reload');
    assert.ok(after.run.state === 'running' || after.run.state === 'succeeded', after.run.state);
    if (after.run.state === 'running') assert.ok(alive(atReload.pid), 'the supervisor is alive');
    // The first line (printed long before the reload) is in the restored panel: search for it.
    const frame = await panelFrame();
    assert.ok(shown > atReload.linesAtReload);
    await frame.locator('#search').fill(lineText(1));
    await frame.locator('#search').press('Enter');
    await frame.locator('#search-count', { hasText: /^1\/1$/ }).waitFor();
    await frame.locator('.log-row.current .log-text', { hasText: lineText(1) }).waitFor();
    await screenshot(page, '31-run-reload-after');
    await frame.locator('#search').fill('');
    await frame.locator('#search').press('Enter');
    await frame.waitForFunction(() => document.querySelector('#search-count')?.textContent === '');
  });

  it('closing the panel and showing it again replays the whole log', async () => {
    const shownBefore = await waitForCount(1);
    await runCommand(page, 'View: Close All Editors');
    await page.locator('iframe.webview.ready').waitFor({ state: 'detached', timeout: HANG_MS });
    await runCommand(page, 'Gantry: Show Runs');
    await panel().locator('.run-head .badge').first().waitFor({ timeout: HANG_MS });
    await waitForCount(shownBefore);
    await screenshot(page, '32-run-panel-reopened');
  });

  it('at the end the panel holds exactly the lines on disk, numbered 1…400, none lost or repeated', async () => {
    await panel().locator('.run-head .badge.state-succeeded').waitFor({ timeout: HANG_MS });
    const { run } = runOnDisk();
    assert.equal(run.id, atReload.id);
    assert.equal(run.state, 'succeeded');
    const disk = diskLines(run);
    assert.deepEqual(
      disk,
      Array.from({ length: LINES }, (_, i) => lineText(i + 1)),
      'the log file on disk is complete and in order',
    );
    assert.equal(await waitForCount(disk.length, disk.length), disk.length);

    // Read every row of the (virtualized) view: stop following, scroll from the top to the end a
    // screenful at a time, letting each scroll paint before reading.
    const frame = await panelFrame();
    const follow = frame.locator('#follow');
    if ((await follow.getAttribute('aria-pressed')) === 'true') await follow.click();
    await frame.locator('#follow[aria-pressed="false"]').waitFor();
    const rows = await frame.evaluate(async () => {
      const el = document.querySelector('.log-scroll');
      const painted = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const seen = {};
      el.scrollTop = 0;
      await painted();
      for (;;) {
        for (const row of el.querySelectorAll('.log-row')) {
          const no = row.querySelector('.log-no').textContent;
          const text = row.querySelector('.log-text').textContent;
          if (seen[no] !== undefined && seen[no] !== text) throw new Error(`row ${no} changed: ${seen[no]} / ${text}`);
          seen[no] = text;
        }
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) break;
        el.scrollTop += Math.max(18, el.clientHeight - 36);
        await painted();
      }
      return seen;
    });
    const numbers = Object.keys(rows)
      .map(Number)
      .sort((a, b) => a - b);
    assert.equal(numbers.length, LINES, `the panel shows ${numbers.length} distinct rows`);
    for (let i = 1; i <= LINES; i++) assert.equal(rows[i], lineText(i), `row ${i}`);
    await frame.locator('.log-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await frame.locator('.log-row .log-text', { hasText: lineText(LINES) }).waitFor();
    await screenshot(page, '33-run-reload-complete');
  });
});
