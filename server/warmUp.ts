// Runs the whole per-keystroke path (parse, schema, rules, estimate, completion, hover) a few times
// on a small built-in spec right after start-up, while the editor is still opening files, so that
// the first real edits find their code compiled to bytecode and its inline caches filled (the
// server runs without V8's optimizing compilers: docs/performance.md).
import { DocumentCache } from '../core/spec/parse';
import { ClusterIndex, extractClusters } from '../core/spec/clusters';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FileDiagnostics } from './handlers/diagnostics';
import { complete, hover } from '../core/spec/complete';
import { schemaIndex } from '../core/validate/schema';

const SAMPLE = `apiVersion: gantry/v1
kind: Cluster
metadata: { name: warm-pod }
spec:
  scheduler: { type: slurm, partition: gpu }
  nodes: { count: 2, gpu: { model: H100-SXM-80GB, count: 8 } }
  interconnect: { intraNode: { type: nvlink4 }, interNode: { type: infiniband-ndr, gbpsPerGpu: 400 } }
---
apiVersion: gantry/v1
kind: TrainingJob
metadata:
  name: warm-job
spec:
  cluster: warm-pod
  resources: { nodes: 2, gpusPerNode: 8 }
  model: { preset: llama-3-8b }
  precision: bf16-mixed
  parallelism:
    tensor: 2
    data: 8
    zero: 1
  batch:
    micro: 1
    global: 64
    sequenceLength: 4096
`;

/** One mistake of each common kind (enum, type, range, pattern, unknown key, missing field, rule). */
const MUTATIONS: [string, string][] = [
  ['precision: bf16-mixed', 'precision: fp7'],
  ['global: 64', 'global: sixty-four'],
  ['sequenceLength: 4096', 'sequenceLength: 0'],
  ['name: warm-job', 'name: Warm_Job'],
  ['zero: 1', 'zeroo: 1'],
  ['    micro: 1\n', ''],
  ['data: 8', 'data: 4'],
];

const URI = 'file:///warm-up/warm.gantry.yaml';

export function warmUp(rounds = 42): void {
  const clusters = new ClusterIndex();
  const cache = new DocumentCache();
  const diagnostics = new FileDiagnostics();
  const src = { schemas: schemaIndex, clusterNames: () => clusters.names(), describeCluster: () => undefined };
  for (let i = 0; i < rounds; i++) {
    // Each round differs from the one before in one place, as typing does: a value edit takes the
    // patch path of the document cache, a removed line a full parse; both are checked anew.
    const [from, to] = MUTATIONS[(i >> 1) % MUTATIONS.length];
    const text = i % 2 ? SAMPLE : SAMPLE.replace(from, to);
    const docs = cache.parse(text);
    clusters.set('warm', extractClusters('warm', docs));
    // The server's own path: per-document checks and estimates, converted to LSP diagnostics.
    const doc = TextDocument.create(URI, 'yaml', i, text);
    diagnostics.diagnostics(doc, { uri: URI, version: i, text, docs, gantry: true, tooLarge: false }, { fileName: URI, clusters, generation: clusters.generation, readFile: () => undefined });
    const at = text.indexOf('precision: ') + 11;
    complete(text, docs, at, src);
    hover(text, docs, at, src);
  }
}
