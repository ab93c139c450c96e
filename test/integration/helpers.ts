// Helpers for the integration suites that run inside a real VS Code extension host.
//
// Synchronise on VS Code's events (onDidChangeDiagnostics, onDidChangeTextDocument, …) with a
// timeout; never on a fixed sleep. Every wait names what it waited for, so a timeout says which
// state never came and what was seen last.
//
// The workbench opens a temporary copy of the workspace (examples/, or test/workspace until
// examples/ holds specs); both runners set E2E_WORKSPACE_SOURCE to the original, and the helpers
// that write files refuse to run without it, so a suite never edits the repository.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'gantry.gantry';
export const DIAGNOSTIC_SOURCE = 'gantry';
/**
 * Limits that only catch a hang: every wait synchronises on events, so a loaded machine is slower
 * but never fails. No test asserts how long something took; speed lives in `npm run bench:*`.
 */
export const HANG_MS = 90_000;
export const DEFAULT_TIMEOUT_MS = HANG_MS;
/** Mocha's limit for a whole test (several waits in a row). */
export const SUITE_TIMEOUT_MS = 600_000;

export class WaitTimeoutError extends Error {}

export interface WaitOptions {
  timeoutMs?: number;
  /** Re-evaluate the probe each time one of these fires (e.g. vscode.languages.onDidChangeDiagnostics). */
  events?: vscode.Event<unknown>[];
  /** Also re-evaluate every pollMs. Only for state VS Code has no event for (e.g. Extension.isActive). */
  pollMs?: number;
  /** What is being waited for, for the timeout message (a function is called at the timeout). */
  description?: string | (() => string);
}

type Falsy = undefined | null | false | 0 | '';

/**
 * Resolves with the first truthy value of `probe()`. The probe runs at once, then again whenever
 * one of `events` fires (and every `pollMs`, if given); rejects after `timeoutMs` with the
 * description and the last value seen. A probe that throws is retried on the next event; its last
 * error is reported on timeout.
 */
export function waitFor<T>(probe: () => T | Falsy | Promise<T | Falsy>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, events = [], pollMs, description = 'condition' } = options;
  return new Promise<T>((resolve, reject) => {
    const disposables: vscode.Disposable[] = [];
    let settled = false;
    let running = false;
    let rerun = false;
    let last: unknown;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      for (const d of disposables) d.dispose();
      fn();
    };
    const check = async () => {
      if (settled) return;
      if (running) {
        rerun = true;
        return;
      }
      running = true;
      try {
        do {
          rerun = false;
          try {
            const value = await probe();
            last = value;
            if (value) return finish(() => resolve(value as T));
          } catch (err) {
            last = err;
          }
        } while (rerun && !settled);
      } finally {
        running = false;
      }
    };
    const timer = setTimeout(() => {
      const what = typeof description === 'function' ? description() : description;
      finish(() => reject(new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${show(last)}`)));
    }, timeoutMs);
    const poll = pollMs ? setInterval(() => void check(), pollMs) : undefined;
    for (const event of events) disposables.push(event(() => void check()));
    void check();
  });
}

/**
 * Resolves with the next payload of `event` that passes `filter`. Subscribe before acting:
 * `const changed = waitForEvent(doc event); await act(); await changed;`.
 */
export function waitForEvent<T>(event: vscode.Event<T>, options: { filter?: (e: T) => boolean; timeoutMs?: number; description?: string } = {}): Promise<T> {
  const { filter = () => true, timeoutMs = DEFAULT_TIMEOUT_MS, description = 'event' } = options;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${description}`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!filter(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 400 ? text.slice(0, 400) + '…' : text;
  } catch {
    return String(value);
  }
}

// ---------------------------------------------------------------- extension

export function gantryExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

/** Waits until Gantry is active without activating it (so a test can check activation events). */
export function waitForActivation(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<vscode.Extension<unknown>> {
  const ext = gantryExtension();
  return waitFor(() => ext.isActive && ext, {
    timeoutMs,
    events: [vscode.extensions.onDidChange],
    // VS Code fires no event when an extension finishes activating.
    pollMs: 50,
    description: `${EXTENSION_ID} to activate`,
  });
}

/** Activates Gantry (if needed) and returns its exports. */
export async function activateGantry<T = unknown>(): Promise<T> {
  return (await gantryExtension().activate()) as T;
}

// ---------------------------------------------------------------- workspace

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri;
}

/** A uri inside the workspace, from a '/'-separated path relative to its root. */
export function workspaceUri(relPath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relPath.split('/'));
}

function assertTemporaryWorkspace(): void {
  assert.ok(process.env.E2E_WORKSPACE_SOURCE, 'refusing to write into the workspace: it is not a temporary copy (run the suites through tools/vscode-e2e or test/electron)');
}

/** Creates or overwrites a file in the (temporary) workspace. */
export async function writeWorkspaceFile(relPath: string, text: string): Promise<vscode.Uri> {
  assertTemporaryWorkspace();
  const uri = workspaceUri(relPath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

export async function deleteWorkspaceFile(relPath: string): Promise<void> {
  assertTemporaryWorkspace();
  await vscode.workspace.fs.delete(workspaceUri(relPath), { useTrash: false }).then(undefined, () => undefined);
}

/** Every YAML file in the workspace with a document that says `apiVersion: gantry/…`, sorted by path. */
export async function findSpecs(): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**');
  const specs: vscode.Uri[] = [];
  for (const uri of uris) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (/^apiVersion:\s*["']?gantry\//m.test(text)) specs.push(uri);
  }
  return specs.sort((a, b) => a.path.localeCompare(b.path));
}

// ---------------------------------------------------------------- editors

export interface OpenedDocument {
  document: vscode.TextDocument;
  editor: vscode.TextEditor;
}

export async function openDocument(uri: vscode.Uri): Promise<OpenedDocument> {
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  return { document, editor };
}

/** Opens a file of the workspace by its path relative to the root, e.g. openExample('training/llama3-8b.yaml'). */
export function openExample(relPath: string): Promise<OpenedDocument> {
  return openDocument(workspaceUri(relPath));
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The position of the `occurrence`-th (0-based) `needle` in the document, plus `offset` characters. */
export function positionOf(document: vscode.TextDocument, needle: string, options: { occurrence?: number; offset?: number } = {}): vscode.Position {
  const { occurrence = 0, offset = 0 } = options;
  const text = document.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (occurrence ${occurrence}) not found in ${document.uri.path}`);
  }
  return document.positionAt(at + offset);
}

/** The range covering the `occurrence`-th `needle`. */
export function rangeOf(document: vscode.TextDocument, needle: string, occurrence = 0): vscode.Range {
  const start = positionOf(document, needle, { occurrence });
  return new vscode.Range(start, document.positionAt(document.offsetAt(start) + needle.length));
}

/** Replaces the first `needle` in the document (in memory, unsaved) and waits until the edit is applied. */
export async function replaceText(document: vscode.TextDocument, needle: string, replacement: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, rangeOf(document, needle), replacement);
  assert.ok(await vscode.workspace.applyEdit(edit), `edit of ${document.uri.path} was not applied`);
}

// ---------------------------------------------------------------- diagnostics

export interface DiagnosticQuery {
  /** Only diagnostics with this code (a string, or the value of a {value, target} code). */
  code?: string;
  /** Default 'gantry'. */
  source?: string;
  timeoutMs?: number;
}

export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** The matching diagnostics on `uri` right now. */
export function currentDiagnostics(uri: vscode.Uri, query: Omit<DiagnosticQuery, 'timeoutMs'> = {}): vscode.Diagnostic[] {
  const { code, source = DIAGNOSTIC_SOURCE } = query;
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === source && (code === undefined || diagnosticCode(d) === code));
}

/** Waits until `uri` has at least one matching diagnostic and returns them all. */
export function diagnosticsFor(uri: vscode.Uri, query: DiagnosticQuery = {}): Promise<vscode.Diagnostic[]> {
  const matching = () => {
    const found = currentDiagnostics(uri, query);
    return found.length > 0 && found;
  };
  return waitFor(matching, {
    timeoutMs: query.timeoutMs,
    events: [vscode.languages.onDidChangeDiagnostics],
    description: () => `a ${query.source ?? DIAGNOSTIC_SOURCE} diagnostic${query.code ? ` with code ${query.code}` : ''} on ${vscode.workspace.asRelativePath(uri)} (all diagnostics there: ${summarize(uri)})`,
  });
}

/**
 * Waits until `uri` has no matching diagnostic. It checks the state, not a change: call it after
 * something that removes diagnostics which `diagnosticsFor` saw, or it may pass before the server
 * has looked at the file.
 */
export async function waitForNoDiagnostics(uri: vscode.Uri, query: DiagnosticQuery = {}): Promise<void> {
  await waitFor(() => currentDiagnostics(uri, query).length === 0, {
    timeoutMs: query.timeoutMs,
    events: [vscode.languages.onDidChangeDiagnostics],
    description: () => `no ${query.source ?? DIAGNOSTIC_SOURCE} diagnostics${query.code ? ` with code ${query.code}` : ''} on ${vscode.workspace.asRelativePath(uri)} (still there: ${summarize(uri)})`,
  });
}

function summarize(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) return 'none yet';
  return all.map((d) => `${d.source ?? '?'}:${diagnosticCode(d) ?? '-'}@${d.range.start.line + 1}:${d.range.start.character + 1}`).join(', ');
}

// ---------------------------------------------------------------- language features
// Thin wrappers over VS Code's provider commands: they ask every registered provider, as the
// editor does. Gantry's providers are registered once `activateGantry()` has resolved.

export async function completionsAt(uri: vscode.Uri, position: vscode.Position, triggerCharacter?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position, triggerCharacter);
  return list?.items ?? [];
}

export async function hoversAt(uri: vscode.Uri, position: vscode.Position): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
}

/** The text of every hover at `position`, joined. */
export async function hoverTextAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await hoversAt(uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

export async function definitionsAt(uri: vscode.Uri, position: vscode.Position): Promise<(vscode.Location | vscode.LocationLink)[]> {
  return (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, position)) ?? [];
}

export async function documentSymbols(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  return (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri)) ?? [];
}

export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind?.value);
  return (actions ?? []).filter((a): a is vscode.CodeAction => !('command' in a && typeof a.command === 'string'));
}

/** Applies a code action's edit, then runs its command, as the light bulb does. */
export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `edit of "${action.title}" was not applied`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Every code lens in the document, resolved (titles and commands filled in). */
export async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}
