// Which Backend serves a BackendId. The local backend is built in; others (Slurm) register a factory
// when their module loads, so the CLI and the extension reach every backend through one call.
import type { Backend, BackendId } from './types';
import { LocalBackend, type LocalBackendOptions } from './local';

type Factory = () => Backend;
const factories = new Map<BackendId, Factory>();
const instances = new Map<BackendId, Backend>();

export function registerBackend(id: BackendId, factory: Factory): void {
  factories.set(id, factory);
}

export function configureLocalBackend(opts: LocalBackendOptions): void {
  instances.get('local')?.dispose();
  instances.delete('local');
  factories.set('local', () => new LocalBackend(opts));
}

/** The backend for `id`, made once per process; undefined when none is registered. */
export function getBackend(id: BackendId): Backend | undefined {
  let b = instances.get(id);
  if (!b) {
    const f = factories.get(id) ?? (id === 'local' ? () => new LocalBackend() : undefined);
    if (!f) return undefined;
    b = f();
    instances.set(id, b);
  }
  return b;
}

export function disposeBackends(): void {
  for (const b of instances.values()) b.dispose();
  instances.clear();
}
