// Prometheus (dcgm-exporter) as the run panel's GPU metrics source, for runs whose Cluster names one
// (`spec.metrics.prometheus`). The bearer token lives only in VS Code's secret storage, one per
// Prometheus origin, set with "Gantry: Set Prometheus Token".
import * as vscode from 'vscode';
import * as os from 'node:os';
import { isLocalRun, isSlurmRun, type RunRecord, type SlurmRun } from '../../core/runs/types';
import type { ClusterMetrics } from '../../core/spec/types';
import { scanClustersSync } from '../../core/workspace/workspace';

export type PrometheusConfig = ClusterMetrics['prometheus'];

const tokenKey = (url: string): string => {
  try {
    return `gantry.prometheusToken:${new URL(url).origin}`;
  } catch {
    return `gantry.prometheusToken:${url}`;
  }
};

export function prometheusToken(secrets: vscode.SecretStorage, url: string): Thenable<string | undefined> {
  return secrets.get(tokenKey(url));
}

/** The Prometheus of the run's Cluster, if it names one (read from the spec's workspace, as ▶ Run does). */
export function prometheusOf(run: RunRecord): PrometheusConfig | undefined {
  const name = run.plan.backendOptions?.cluster;
  if (typeof name !== 'string') return undefined;
  try {
    const entry = scanClustersSync(run.plan.specFile).scopedTo(run.plan.specFile).all(name)[0];
    const prom = entry?.doc.spec.metrics?.prometheus;
    return prom && typeof prom.url === 'string' ? prom : undefined;
  } catch {
    return undefined;
  }
}

/** The hosts whose GPUs are the run's: the local machine, or the Slurm job's nodes. */
export function hostsOf(run: RunRecord, slurmHosts?: (run: SlurmRun) => string[]): string[] {
  if (isLocalRun(run)) return [typeof run.handle.host === 'string' ? run.handle.host : os.hostname()];
  return isSlurmRun(run) ? (slurmHosts?.(run) ?? []) : [];
}

/** "Gantry: Set Prometheus Token": asks for the Prometheus URL and its token, keeps the token in secret storage. */
export async function setPrometheusToken(context: vscode.ExtensionContext, knownUrl?: string): Promise<void> {
  const url = await vscode.window.showInputBox({
    title: 'Gantry: Prometheus URL',
    prompt: "The Prometheus the token is for (the url in a Cluster's spec.metrics.prometheus)",
    value: knownUrl ?? 'http://',
    ignoreFocusOut: true,
    validateInput: (v) => (v.startsWith('http://') || v.startsWith('https://') ? undefined : 'an http:// or https:// URL'),
  });
  if (!url) return;
  const token = await vscode.window.showInputBox({ title: `Gantry: bearer token for ${url}`, prompt: "Kept in VS Code's secret storage. Empty: remove the token.", password: true, ignoreFocusOut: true });
  if (token === undefined) return;
  if (token) await context.secrets.store(tokenKey(url), token);
  else await context.secrets.delete(tokenKey(url));
  void vscode.window.showInformationMessage(token ? `Gantry: token kept for ${new URL(url).origin}.` : `Gantry: token removed for ${url}.`);
}
