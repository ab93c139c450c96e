// The status-bar item: how many runs are live; a click shows the run panel.
import * as vscode from 'vscode';
import type { RunsController } from './controller';

export function createStatusBar(controller: RunsController): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('gantry.runs', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Gantry Runs';
  item.command = 'gantry.showRuns';
  const update = () => {
    const n = controller.runningCount();
    item.text = `$(pulse) ${n} running`;
    item.tooltip = `Gantry: ${n} run${n === 1 ? '' : 's'} running or queued. Click to show the runs.`;
    if (n > 0) item.show();
    else item.hide();
  };
  update();
  const sub = controller.onRunChange.event(update);
  return vscode.Disposable.from(item, sub);
}
