import type { ClusterDoc, InferenceServiceDoc, InferenceServiceSpec, TrainingJobDoc, TrainingJobSpec } from '../../../core/spec/types';

export const GIB = 1024 ** 3;

export function job(spec: Partial<TrainingJobSpec> & Pick<TrainingJobSpec, 'model' | 'batch'>): TrainingJobDoc {
  return { apiVersion: 'gantry/v1', kind: 'TrainingJob', metadata: { name: 't' }, spec: { resources: { nodes: 1, gpusPerNode: 1 }, ...spec } };
}

export function service(spec: Partial<InferenceServiceSpec> & Pick<InferenceServiceSpec, 'model'>): InferenceServiceDoc {
  return { apiVersion: 'gantry/v1', kind: 'InferenceService', metadata: { name: 's' }, spec: { engine: 'vllm', ...spec } };
}

export function cluster(gpu: string, perNode: number, nodes = 1, inter: string = 'infiniband-ndr'): ClusterDoc {
  return {
    apiVersion: 'gantry/v1',
    kind: 'Cluster',
    metadata: { name: 'c' },
    spec: { nodes: { count: nodes, gpu: { model: gpu, count: perNode } }, interconnect: { interNode: { type: inter as never } } },
  };
}

/** |a/b − 1| ≤ tol */
export function near(actual: number, expected: number, tol: number): boolean {
  return Math.abs(actual / expected - 1) <= tol;
}
