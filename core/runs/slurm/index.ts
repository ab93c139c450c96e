// The Slurm backend's public surface for the client, the CLI and the run-panel host.
import { registerBackend } from '../backends';
import type { ClusterDoc } from '../../spec/types';
import { createSlurmBackend, type SlurmBackendOptions } from './backend';

export { createSlurmBackend, previewBatchScript, SlurmBackend, type SlurmBackendOptions, type SlurmHandle } from './backend';
export { renderBatchScript, BatchScriptError, slurmTimeLimit, slurmMemoryMiB, gresTypeFor, type BatchScript, type BatchScriptOptions, type SlurmJobDoc } from './batchScript';
export { SlurmSubmitError, SlurmUnavailableError } from './commands';
export { TransportError, createLocalTransport, createSshTransport, type CommandTransport } from './transport';
export type { SlurmGpuMetrics } from './metrics';

/** Makes `getBackend('slurm')` return a Slurm backend; `cluster` serves plans that carry no scheduler. */
export function registerSlurmBackend(options: SlurmBackendOptions = {}, cluster?: ClusterDoc): void {
  registerBackend('slurm', () => createSlurmBackend(cluster, options));
}
