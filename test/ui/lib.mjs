// Harness for Gantry's UI tests: Playwright (playwright-core from the e2e cache, Debian's Chromium)
// driving VS Code's web workbench served by code-server. Run the tests through
// tools/vscode-e2e/scripts/run-ui.sh (scripts/test.sh does), which starts code-server and sets:
//   E2E_BASE_URL, E2E_WORKSPACE (a temporary copy), E2E_WORKSPACE_SOURCE, E2E_ARTIFACTS,
//   E2E_SCREENSHOTS, E2E_TOOLS_DIR, E2E_CHROMIUM, E2E_INSTALL_MODE=vsix|dev, E2E_EXT_DIR.
//
// Wait on what the page shows (locator.waitFor, expect-style polling of a locator), never on a
// fixed sleep. Selectors that work in VS Code 1.139 are collected here so suites share them.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, workbenchUrl, consoleTo, artifacts } from '../../tools/vscode-e2e/scripts/lib.mjs';

export { artifacts };
export const screenshotsDir = process.env.E2E_SCREENSHOTS || path.join(artifacts, 'screenshots');
fs.mkdirSync(screenshotsDir, { recursive: true });

export const workspaceDir = process.env.E2E_WORKSPACE;

/**
 * The limit of every wait in the UI tests: it only catches a hang. Tests wait for what the page
 * shows, never on how fast it shows it; speed lives in `npm run bench:*`.
 */
export const HANG_MS = 120_000;
/** node:test's limit for a whole describe block (several waits in a row). */
export const SUITE_TIMEOUT_MS = 900_000;

/**
 * Starts Chromium and opens the workbench on the workspace copy. In dev mode the extension is
 * loaded from source (extensionDevelopmentPath); in vsix mode run-ui.sh has installed the VSIX.
 * Returns { context, page }; pass it to closeWorkbench() in `after`.
 */
export async function openWorkbench({ folder = workspaceDir, timeoutMs = HANG_MS } = {}) {
  if (!process.env.E2E_BASE_URL) throw new Error('E2E_BASE_URL not set: run UI tests through tools/vscode-e2e/scripts/run-ui.sh');
  const { context } = await launchBrowser();
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(HANG_MS);
  consoleTo(page, path.join(artifacts, 'browser-console.log'));
  const url = workbenchUrl({
    baseUrl: process.env.E2E_BASE_URL,
    folder,
    extensionDevelopmentPath: process.env.E2E_INSTALL_MODE === 'dev' ? process.env.E2E_EXT_DIR : undefined,
  });
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  // The Explorer lists the folder once the workbench has restored its views.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
  return { context, page };
}

export async function closeWorkbench(workbench) {
  await workbench?.context?.close().catch(() => {});
}

/** Saves a screenshot of the whole workbench as screenshots/<name>.png and returns its path. */
export async function screenshot(page, name) {
  const file = path.join(screenshotsDir, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** For afterEach: a FAILED-<test>.png when the test failed (t.passed is set by node:test on Node 24). */
export async function screenshotOnFailure(page, t) {
  if (t.passed !== false || !page) return;
  await screenshot(page, `FAILED-${t.name.slice(0, 60)}`).catch(() => {});
}

/**
 * Runs a command by its title from the command palette (F1), e.g. 'View: Focus Problems (Errors, Warnings, Infos)'.
 */
export async function runCommand(page, title) {
  await page
    .locator('.monaco-workbench')
    .focus()
    .catch(() => {});
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await quickInputClosed(page, `>${title}`);
}

// The palette has closed once its input no longer holds what we typed: it is hidden, or it has been
// reused by the command itself (e.g. the Open File dialog opens a quick input of its own).
async function quickInputClosed(page, typed) {
  await page.waitForFunction((text) => {
    const widget = document.querySelector('.quick-input-widget');
    const input = widget?.querySelector('input.input');
    const visible = widget && widget.style.display !== 'none' && !widget.classList.contains('quick-input-widget-closing');
    return !visible || !input || input.value !== text;
  }, typed);
}

/** The Explorer row of a file or folder, by its name (top level, or inside an expanded folder). */
export function explorerItem(page, name) {
  return page.getByRole('treeitem', { name, exact: true });
}

/** The active editor's text area (Monaco's rendered lines). */
export function activeEditor(page) {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/**
 * Opens a file in the editor by its path relative to the workspace root (or an absolute path),
 * through "File: Open File..." (VS Code's simple file dialog in the browser), and waits until its
 * tab is active and its text is rendered. Quick Open (Ctrl+P) is not used: its file list is cached
 * and misses files a test has just written.
 */
export async function openFile(page, relPath) {
  const file = path.isAbsolute(relPath) ? relPath : path.join(workspaceDir, relPath);
  await runCommand(page, 'File: Open File...');
  const dialog = page.locator('.quick-input-widget');
  const input = dialog.locator('input.input');
  const row = dialog.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) }).first();
  // The dialog first shows the workspace folder, then moves to the active file's folder, then lists
  // it, all asynchronously: a path typed meanwhile is overwritten, and OK before the file is listed
  // is ignored. So wait for its first listing, type, and type again if the dialog replaced the text.
  await dialog.locator('.quick-input-list .monaco-list-row').first().waitFor();
  for (let attempt = 1; ; attempt++) {
    await input.fill(file);
    try {
      await row.waitFor({ timeout: 20_000 }); // a retry, not a limit: up to 3 attempts
      if ((await input.inputValue()) === file) break;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
    if (attempt >= 3) throw new Error(`the Open File dialog did not keep ${file} (it shows ${await input.inputValue()})`);
  }
  await dialog.locator('.monaco-button', { hasText: 'OK' }).click();
  await page.locator(`.tabs-container .tab.active[data-resource-name="${path.basename(file)}"]`).waitFor();
  await activeEditor(page).locator('.view-lines .view-line').first().waitFor();
}

/** Error (or warning/info) squiggles in the active editor. */
export function squiggles(page, severity = 'error') {
  return activeEditor(page).locator(`.squiggly-${severity}`);
}

/**
 * The status-bar problems item; its aria-label reads "Errors: N" (", Warnings: M" when M > 0).
 * statusProblems(page, { errors: 2 }) matches exactly two errors; { errors: 'some' } any but zero.
 */
export function statusProblems(page, { errors } = {}) {
  const item = '[id="status.problems"]';
  if (errors === 'some') return page.locator(`${item}[aria-label^="Errors: "]:not([aria-label^="Errors: 0"])`);
  if (errors !== undefined) return page.locator(`${item}[aria-label="Errors: ${errors}"], ${item}[aria-label^="Errors: ${errors},"]`);
  return page.locator(item);
}

/** Opens the Problems panel and returns the locator of its rows (optionally only those containing `text`). */
export async function problemsRows(page, text) {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  await page.locator('.markers-panel').waitFor();
  const rows = page.locator('.markers-panel .monaco-list-row');
  return text === undefined ? rows : rows.filter({ hasText: text });
}

/**
 * Puts the cursor on the active editor's first error squiggle, opens the light bulb menu (Ctrl+.)
 * and applies the action whose title matches `title` (string or RegExp).
 *
 * Ctrl+. asks for the code actions once. Under load the menu may not open for that press (a loaded
 * CI run on ae6e73d waited 120 s for it: the click may land before the editor has settled, and the
 * editor then shows "No code actions available" instead); idle, it opens within a second. So each
 * try waits for the menu a while (10 s, then 20 s, 40 s …), and a try that sees no menu closes what
 * is open and starts again from the squiggle, until HANG_MS has passed in all.
 */
export async function applyQuickFix(page, title) {
  // The cursor onto this editor's error squiggle. ("Go to Next Problem in Files" may move to another
  // open file with problems — the window restores the editors an earlier test file opened — whose
  // light bulb has other fixes; seen under load.)
  await applyQuickFixAt(page, () => squiggles(page, 'error').first(), title);
}

/**
 * applyQuickFix at another place: `target()` gives the element to click (a hint's key, say) before each
 * Ctrl+., with the same retries (each try waits 10 s, then 20 s, 40 s …, until HANG_MS in all).
 */
export async function applyQuickFixAt(page, target, title) {
  const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
  const giveUpAt = Date.now() + HANG_MS;
  for (let wait = 10_000; ; wait *= 2) {
    const at = target();
    await at.waitFor({ timeout: HANG_MS });
    const box = await at.boundingBox();
    if (!box) throw new Error('the place to fix has no box on screen');
    await page.mouse.click(box.x + Math.min(4, box.width / 2), box.y + box.height / 2);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    const left = giveUpAt - Date.now();
    try {
      await menu.waitFor({ state: 'visible', timeout: Math.max(1_000, Math.min(wait, left)) });
      break;
    } catch (err) {
      if (Date.now() >= giveUpAt) throw err;
      await page.keyboard.press('Escape');
    }
  }
  await menu.locator('.monaco-list-row', { hasText: title }).first().click();
  await menu.waitFor({ state: 'hidden' });
}

/** Writes a file into the workspace copy (never the repository) and returns its absolute path. */
export function writeWorkspaceFile(relPath, text) {
  if (!workspaceDir || !process.env.E2E_WORKSPACE_SOURCE) throw new Error('refusing to write: E2E_WORKSPACE is not a temporary copy');
  const file = path.join(workspaceDir, relPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Workspace-relative paths of the YAML files that hold a document with `apiVersion: gantry/…`, sorted. */
export function findSpecs(dir = workspaceDir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name) && /^apiVersion:\s*["']?gantry\//m.test(fs.readFileSync(p, 'utf8'))) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
