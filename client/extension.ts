// The VS Code adapter: starts the language client and wires the feature modules. `activate` does
// not wait for the server to start, so activation stays cheap; features that need the server await
// `languageClientReady`.
import { loadStartedAt } from './loadClock';
import type * as vscode from 'vscode';
import { activateRuns, type RunsApi } from './runs/index';

export let languageClientReady: Promise<unknown> = Promise.resolve();

/** What other extensions and Gantry's own tests can read. */
export interface GantryApi {
  /** Milliseconds from the bundle starting to load to the end of activate(). */
  activationMs: number;
  languageClientReady: Promise<unknown>;
  /** The run features (the runs controller and the submit flow), for the integration tests. */
  runs: RunsApi;
}

export function activate(context: vscode.ExtensionContext): GantryApi {
  // The language client's module (most of this bundle) is evaluated after activate() returns.
  languageClientReady = import('./languageClient').then((m) => m.startLanguageClient(context));
  const runs = activateRuns(context);
  return { activationMs: performance.now() - loadStartedAt, languageClientReady, runs };
}

export function deactivate(): void {}
