// The Kubernetes manifest writer's surface, built as its own bundle (dist/kube.js): the CLI and the
// extension load it on first use, so the schema validators it carries (about 1 MB) cost nothing to
// a `gantry check` or to the extension's start.
export { manifestFile, manifestText, formatManifest } from './manifestFile';
export type { ManifestFileOptions, ManifestFileResult } from './manifestFile';
export { renderManifest, ManifestError } from './manifest';
export type { KubeObject, Manifest } from './manifest';
export { validateObjects } from './validate';
