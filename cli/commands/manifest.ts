// `gantry manifest <spec>`: prints the Kubernetes manifest for the spec's InferenceService or
// TrainingJob (multi-document YAML, checked against the Kubernetes and CRD schemas), or writes it to
// --output. The writer lives in dist/kube.js, loaded only here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type * as Kube from '../../core/kube/index';

export const summary = 'print the Kubernetes manifest (Deployment, LeaderWorkerSet, JobSet, …) for a spec';

const USAGE = `usage: gantry manifest <spec.yaml> [options]

Prints the Kubernetes objects that run the spec's InferenceService (Deployment + Service, or a
LeaderWorkerSet when a replica spans several nodes) or TrainingJob (a JobSet, an indexed Job, or a
Kubeflow TrainJob, as the Cluster's scheduler.trainer says), with the same engine flags the local
and Slurm backends pass. The output is checked against the Kubernetes API's schemas and the CRDs.

options:
  --name NAME        which document, when the file has several
  --doc N            which document, by its index in the file (0-based)
  -o, --output FILE  write the manifest to FILE instead of standard output
  -h, --help         this help

exit status: 0 printed, 1 no manifest (a value cannot go into one), 2 bad usage`;

export async function run(argv: string[]): Promise<number> {
  let a: ReturnType<typeof parse>;
  try {
    a = parse(argv);
  } catch (e) {
    return (void process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`), 2);
  }
  if (a.values.help) return (void process.stdout.write(USAGE + '\n'), 0);
  if (a.positionals.length !== 1) return (void process.stderr.write(`give one spec file\n\n${USAGE}\n`), 2);
  const docIndex = a.values.doc !== undefined ? Number(a.values.doc) : undefined;
  if (docIndex !== undefined && !(Number.isInteger(docIndex) && docIndex >= 0)) return (void process.stderr.write('--doc takes a document index\n'), 2);
  const specFile = path.resolve(a.positionals[0]);
  const kube = require(path.join(__dirname, 'kube.js')) as typeof Kube;
  const made = kube.manifestFile(specFile, { docIndex, name: a.values.name, version: VERSION });
  if (!made.ok) return (void process.stderr.write(`${made.errors.map((e) => `${specFile}: ${e}`).join('\n')}\n`), 1);
  if (a.values.output === undefined) {
    process.stdout.write(made.text);
    return 0;
  }
  try {
    fs.writeFileSync(a.values.output, made.text);
  } catch (e) {
    return (void process.stderr.write(`gantry manifest: cannot write ${a.values.output}: ${(e as Error).message}\n`), 1);
  }
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, doc: { type: 'string' }, output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
}

declare const VERSION: string;
