// What the backend that would run a spec refuses, said before running: the same checks the run path
// makes (the Slurm batch script, the local plan), as problems on the field they concern, so the
// editor and `gantry check` report a refusal instead of `gantry run` being the first to find it.
import type { SpecPath } from '../spec/parse';
import type { ClusterDoc } from '../spec/types';
import { quote, type Severity } from './problem';
import { engineUnsupported } from '../runs/engineCommand';
import type { InferenceServiceSpec } from '../spec/types';

export interface BackendProblem {
  code: string;
  severity: Severity;
  path: SpecPath;
  message: string;
  /** Anchor on the key rather than the value. */
  onKey?: boolean;
}

/** The schedulers this build can submit to. */
export const RUNNABLE_SCHEDULERS = ['local', 'slurm'] as const;

export const SLURM_ONE_REPLICA = 'the Slurm backend runs one replica per job; set replicas to 1 (or submit one job per replica)';

/** A Cluster's scheduler that no backend of this build submits to. */
export function checkSchedulerBackend(cluster: ClusterDoc): BackendProblem[] {
  const type = cluster.spec?.scheduler?.type;
  if (type === undefined || (RUNNABLE_SCHEDULERS as readonly string[]).includes(type)) return [];
  return [
    {
      code: 'scheduler-no-backend',
      severity: 'warning',
      path: ['spec', 'scheduler', 'type'],
      message: `Gantry cannot submit to a ${quote(type)} scheduler: this build runs jobs locally and on Slurm only. The spec is checked and estimated, but ▶ Run and gantry run refuse it.`,
    },
  ];
}

/**
 * What the backend of the job's cluster refuses in a TrainingJob or InferenceService spec. The one
 * place for these rules: the editor and `gantry check` report them (rules.ts), the local plan and the
 * Slurm batch script refuse with them.
 */
export function checkJobBackend(kind: 'TrainingJob' | 'InferenceService', spec: Record<string, unknown>, cluster: ClusterDoc | undefined): BackendProblem[] {
  const out: BackendProblem[] = [];
  const type = cluster?.spec?.scheduler?.type ?? 'local';
  const name = cluster?.metadata?.name;
  if (!(RUNNABLE_SCHEDULERS as readonly string[]).includes(type)) {
    out.push({ code: 'scheduler-no-backend', severity: 'warning', path: ['spec', 'cluster'], message: `Cluster ${quote(name)} has a ${quote(type)} scheduler, which Gantry cannot submit to (local and Slurm only): this job cannot be run from Gantry.` });
    return out;
  }
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  if (type === 'slurm' && kind === 'InferenceService' && replicas > 1) {
    out.push({ code: 'slurm-one-replica', severity: 'error', path: ['spec', 'replicas'], message: `On cluster ${quote(name)} (Slurm): ${SLURM_ONE_REPLICA}.` });
  }
  if (type === 'slurm' && kind === 'InferenceService') {
    const n = (k: string) => (typeof spec[k] === 'number' ? (spec[k] as number) : 1);
    const gpus = n('tensorParallel') * n('pipelineParallel') * n('dataParallel');
    const perNode = cluster?.spec?.nodes?.gpu?.count;
    // Multi-node serving needs a Ray cluster inside the allocation, which this backend does not set up.
    if (perNode !== undefined && gpus > perNode) out.push({ code: 'slurm-one-node-serving', severity: 'error', path: ['spec', 'tensorParallel'], message: `${gpus} GPUs per replica is more than one node's ${perNode}; multi-node serving is not supported by the Slurm backend yet.` });
  }
  const container = spec.container as { image?: unknown } | undefined;
  if (type === 'local' && container && typeof container.image === 'string') {
    out.push({ code: 'local-no-container', severity: 'error', path: ['spec', 'container', 'image'], message: `The local backend runs commands directly and does not start containers (image ${quote(container.image)}); remove it or use a Slurm cluster with pyxis.` });
  }
  const resources = spec.resources as { nodes?: unknown } | undefined;
  if (type === 'local' && kind === 'TrainingJob' && typeof resources?.nodes === 'number' && resources.nodes > 1) {
    out.push({ code: 'local-one-node', severity: 'error', path: ['spec', 'resources', 'nodes'], message: `The local backend runs on this machine only, and the spec asks for ${resources.nodes} nodes (use a Slurm cluster).` });
  }
  return out;
}

/** A field the InferenceService's engine has no launch flag for: a warning there, not a silent drop. */
export function checkEngineFlags(spec: Record<string, unknown>): BackendProblem[] {
  if (typeof spec.engine !== 'string') return [];
  return engineUnsupported(spec as unknown as InferenceServiceSpec).map((g) => ({ code: 'engine-no-flag', severity: 'warning', path: g.path, message: g.message }));
}
