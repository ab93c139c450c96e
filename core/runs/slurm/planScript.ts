// The batch script a Slurm plan submits, rendered once before submission and carried in
// plan.backendOptions.batchScript: what the confirmation, "Preview Batch Script" and
// `gantry script` show is then byte for byte what sbatch receives.
import type { ClusterDoc } from '../../spec/types';
import type { LaunchPlan, SlurmLaunchPlan } from '../types';
import { findSpecDocs, isRunnable } from '../specDocs';
import { readSpecSync, resolveCluster, scanClustersSync } from '../../workspace/workspace';
import { renderBatchScript, type BatchScript, type BatchScriptOptions, type SlurmJobDoc } from './batchScript';

/** The Cluster a plan was made for, among `clusters` (by the name planLaunch recorded). */
export function planCluster(plan: LaunchPlan, clusters: ClusterDoc[]): ClusterDoc | undefined {
  const name = plan.backendOptions?.cluster;
  return clusters.find((c) => c.metadata?.name === name);
}

/** Renders the plan's script; throws BatchScriptError (with the spec path) for values a script cannot carry. */
export function batchScriptFor(plan: LaunchPlan, doc: SlurmJobDoc, clusters: ClusterDoc[], options?: BatchScriptOptions): BatchScript {
  const cluster = planCluster(plan, clusters);
  if (!cluster) throw new Error(`spec.cluster: no Cluster named '${String(plan.backendOptions?.cluster ?? '')}' was found`);
  return renderBatchScript(withPlanCommand(plan, doc), cluster, options);
}

/** A TrainingJob that points at its tool's config (and gives no command) runs the launcher its plan made (plan.ts). */
export function withPlanCommand(plan: Pick<LaunchPlan, 'command'>, doc: SlurmJobDoc): SlurmJobDoc {
  return doc.kind === 'TrainingJob' && doc.spec.config && !doc.spec.command?.length ? { ...doc, spec: { ...doc.spec, command: plan.command } } : doc;
}

/** The batch script a plan carries: only a Slurm plan has one, once withBatchScript gave it. */
export function batchScriptOf(plan: LaunchPlan): BatchScript | undefined {
  return plan.backend === 'slurm' ? plan.backendOptions?.batchScript : undefined;
}

/** A copy of the plan that carries `script`, so the backend submits exactly it. */
export function withBatchScript(plan: SlurmLaunchPlan, script: BatchScript): SlurmLaunchPlan {
  return { ...plan, backendOptions: { ...plan.backendOptions, batchScript: script } };
}

/**
 * A plan's job document and the Cluster it runs on, read from disk: the spec file (or `text`, its
 * unsaved contents) with the one reader, the cluster with the one resolver — as planFile does.
 */
export function loadPlanDocs(plan: LaunchPlan, text?: string, root?: string): { doc: SlurmJobDoc; clusters: ClusterDoc[] } {
  const own = text ?? readSpecSync(plan.specFile);
  if (own === undefined) throw new Error(`cannot read ${plan.specFile}`);
  const found = findSpecDocs(own).find((d) => d.docIndex === plan.docIndex);
  if (!found || !isRunnable(found)) {
    throw new Error(`no runnable TrainingJob or InferenceService at document ${plan.docIndex} of ${plan.specFile}`);
  }
  const cluster = resolveCluster(scanClustersSync(plan.specFile, { root, openText: (p) => (p === plan.specFile ? own : undefined) }), plan.specFile, found.value.spec);
  return { doc: found.value as SlurmJobDoc, clusters: cluster ? [cluster] : [] };
}
