// The VS Code adapter: starts the language client and wires the feature modules. The only place
// besides client/ that may import `vscode` is nowhere.
import * as vscode from 'vscode';
import { startLanguageClient } from './languageClient';
import { activateRuns } from './runs/index';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  activateRuns(context);
  await startLanguageClient(context);
}

export function deactivate(): void {}
