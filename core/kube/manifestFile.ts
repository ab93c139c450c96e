// `gantry manifest` and "Preview Kubernetes Manifest": a spec file (or its unsaved text) → the
// checked, multi-document YAML of its Kubernetes objects. The document is found with the one reader
// and its Cluster with the one resolver, as planFile does for a run.
import * as path from 'node:path';
import { stringify } from 'yaml';
import { pickRunnable } from '../runs/planFile';
import { readSpecSync, resolveCluster, scanClustersSync } from '../workspace/workspace';
import type { ClusterDoc, InferenceServiceDoc, TrainingJobDoc } from '../spec/types';
import { ManifestError, renderManifest, type KubeObject, type Manifest } from './manifest';
import { validateObjects } from './validate';

export interface ManifestFileOptions {
  docIndex?: number;
  name?: string;
  /** The file's text when it is open with unsaved changes. */
  text?: string;
  /** The workspace root clusters are resolved under (scanClustersSync). */
  root?: string;
  openText?: (p: string) => string | undefined;
  /** Gantry's version, for the header. */
  version: string;
}

export type ManifestFileResult = { ok: true; text: string; manifest: Manifest; name: string; docIndex: number } | { ok: false; errors: string[] };

export function manifestFile(specFile: string, opts: ManifestFileOptions): ManifestFileResult {
  const file = path.resolve(specFile);
  const text = opts.text ?? readSpecSync(file);
  if (text === undefined) return { ok: false, errors: [`cannot read ${file} (not a regular file, or larger than Gantry reads)`] };
  const picked = pickRunnable(text, opts);
  if (!picked.doc) return { ok: false, errors: [picked.error!] };
  const doc = picked.doc.value as InferenceServiceDoc | TrainingJobDoc;
  const index = scanClustersSync(file, { root: opts.root, openText: (p) => (p === file ? text : opts.openText?.(p)) });
  const cluster = resolveCluster(index, file, doc.spec);
  if (doc.spec.cluster && !cluster) return { ok: false, errors: [`spec.cluster: no Cluster named '${doc.spec.cluster}' was found in its file, its folder or the folders above it (up to the workspace root)`] };
  const rendered = manifestText({ doc, cluster, docIndex: picked.doc.docIndex, specFile: file, version: opts.version });
  return rendered.ok ? { ...rendered, name: doc.metadata.name, docIndex: picked.doc.docIndex } : rendered;
}

export interface ManifestTextInput {
  doc: InferenceServiceDoc | TrainingJobDoc;
  cluster?: ClusterDoc;
  docIndex: number;
  specFile: string;
  version: string;
}

/** Renders, checks and prints. A check failure is Gantry's bug: it is returned, never printed as a manifest. */
export function manifestText(input: ManifestTextInput): { ok: true; text: string; manifest: Manifest } | { ok: false; errors: string[] } {
  let manifest: Manifest;
  try {
    manifest = renderManifest(input);
  } catch (e) {
    if (e instanceof ManifestError) return { ok: false, errors: [`${e.path.join('.')}: ${e.message}`] };
    throw e;
  }
  const problems = validateObjects(manifest.objects);
  if (problems.length) return { ok: false, errors: ['the manifest Gantry wrote is not valid Kubernetes (a bug in Gantry; please report it):', ...problems] };
  return { ok: true, text: formatManifest(manifest, input), manifest };
}

/** Multi-document YAML with a header that names the spec (its file name only: no path of this machine) and the Gantry version. */
export function formatManifest(manifest: Manifest, input: Omit<ManifestTextInput, 'cluster'> & { cluster?: ClusterDoc }): string {
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
  const header = [
    `# Rendered by Gantry ${input.version} from ${input.doc.kind} ${oneLine(input.doc.metadata.name)} (document ${input.docIndex} of ${oneLine(path.basename(input.specFile))})${input.cluster ? ` for Cluster ${oneLine(input.cluster.metadata.name)}` : ''}.`,
    `# Checked against the Kubernetes API's schemas and the published CRDs before it was shown. Apply with kubectl apply -f.`,
    ...manifest.notes.map((n) => `# - ${oneLine(n)}`),
  ];
  const docs = manifest.objects.map((o: KubeObject) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }));
  return `${header.join('\n')}\n${docs.map((d) => `---\n${d}`).join('')}`;
}
