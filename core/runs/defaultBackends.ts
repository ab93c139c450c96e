// The backends every front end gets: the local one is built into the registry; this adds the ones
// that live in their own modules (Slurm). The extension (client/runs) and the CLI (cli/commands)
// both call it, so `▶ Run` and `gantry run` reach the same backends for the same spec.
import { registerSlurmBackend, type SlurmBackendOptions } from './slurm/index';

let registered = false;

/** Registers the Slurm backend once per process; later calls do nothing. */
export function registerDefaultBackends(slurm: SlurmBackendOptions = {}): void {
  if (registered) return;
  registered = true;
  // No default Cluster: every plan carries its Cluster's scheduler (plan.backendOptions.scheduler),
  // and the backend picks the transport from it — this machine without `login`, SSH with it.
  registerSlurmBackend(slurm);
}
