// "Gantry: Compare Runs": pick a run, then another run of the same spec (QuickPicks), and see them side
// by side in the run panel. From the command palette, or from the panel's Compare… button (which
// gives the first run).
import * as vscode from 'vscode';
import { runsOfSameSpec } from '../../core/runs/compare';
import type { RunRecord } from '../../core/runs/types';
import type { RunsController } from './controller';

const item = (r: RunRecord) => ({
  label: r.plan.name,
  description: `${r.state} · ${r.plan.backend} · ${new Date(r.startedAt ?? r.submittedAt).toLocaleString()}`,
  detail: r.id,
  id: r.id,
});

/** The two run ids to compare, or undefined when the person cancels or there is nothing to compare with. */
export async function pickRunsToCompare(controller: RunsController, firstId?: string): Promise<[string, string] | undefined> {
  const runs = controller.runs();
  const withPeers = runs.filter((r) => runsOfSameSpec(runs, r).length > 0);
  if (!withPeers.length) {
    void vscode.window.showInformationMessage('Gantry: no spec has two runs yet to compare.');
    return undefined;
  }
  let first = firstId ? runs.find((r) => r.id === firstId) : undefined;
  if (!first) {
    const picked = await vscode.window.showQuickPick(withPeers.map(item), { title: 'Gantry: Compare Runs (1/2): the first run', matchOnDescription: true, matchOnDetail: true });
    first = picked && runs.find((r) => r.id === picked.id);
  }
  if (!first) return undefined;
  const peers = runsOfSameSpec(runs, first);
  if (!peers.length) {
    void vscode.window.showInformationMessage(`Gantry: ${first.plan.name} has no other run to compare with.`);
    return undefined;
  }
  const second = await vscode.window.showQuickPick(peers.map(item), { title: `Gantry: Compare Runs (2/2): compare ${first.plan.name} (${first.id}) with`, matchOnDescription: true, matchOnDetail: true });
  return second ? [first.id, second.id] : undefined;
}
