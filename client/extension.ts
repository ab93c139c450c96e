// The VS Code adapter: starts the language client and wires the feature modules. `activate` does
// not wait for the server to start, so activation stays cheap; features that need the server await
// `languageClientReady`.
import type * as vscode from 'vscode';
import { startLanguageClient } from './languageClient';
import { activateRuns } from './runs/index';

export let languageClientReady: Promise<unknown> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): void {
  languageClientReady = startLanguageClient(context);
  activateRuns(context);
}

export function deactivate(): void {}
