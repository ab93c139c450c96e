// Run features (▶ Run code lens, run panel, status bar). Owned by the run-panel work; placeholder.
import type * as vscode from 'vscode';

export function activateRuns(_context: vscode.ExtensionContext): void {}
