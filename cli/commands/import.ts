// `gantry import FILE`: the Gantry documents a foreign config stands for — a `vllm serve` command in
// a manifest or a script becomes an InferenceService, a torchtitan TOML or axolotl YAML a
// TrainingJob, with a Cluster where the file names its GPUs. Every recognised value is kept;
// unrecognised serving flags go to `extraArgs`. The output is what the one check reads
// (core/check/foreign.ts foreignAsYaml), so `gantry import f | gantry check -` agrees with
// `gantry check f`. Exit 0 ok, 1 nothing recognised in the file, 2 bad usage or unreadable input.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gpuOptionError, parseCommandArgs } from '../args';
import { readForeign } from '../../core/formats/index';
import { foreignAsYaml, withDefaultGpu } from '../../core/check/foreign';
import { checkFile } from '../../core/check/checkFile';
import { foreignDefaults } from '../../core/formats/context';
import { launcherDefaults } from '../../core/formats/launcherLink';
import { folderNames } from '../folderNames';
import { readerBeside } from '../../core/workspace/readBeside';
import { scanClustersSync } from '../../core/workspace/workspace';
import { dnsLabel } from '../../core/formats/serving';
import type { ForeignSpec } from '../../core/formats/types';

/**
 * The Cluster an import writes is named after its workload (`qwen-small-pod`, not `pod`): two
 * services of one manifest, or two imported files in one folder, would otherwise define one Cluster
 * name twice in a scope (duplicate-cluster) and match each job to the wrong one.
 */
function ownCluster(s: ForeignSpec): ForeignSpec {
  if (!s.cluster) return s;
  const name = dnsLabel(`${s.job.metadata.name}-${s.cluster.metadata.name}`);
  return { ...s, cluster: { ...s.cluster, metadata: { ...s.cluster.metadata, name } }, job: { ...s.job, spec: { ...s.job.spec, cluster: name } } };
}

/**
 * A Cluster made up for a job on several nodes (a launch script's --nnodes) names no scheduler, and the
 * local backend runs one node: the import writes Slurm, the scheduler such launch scripts run under, and says so.
 */
function multiNodeScheduler(s: ForeignSpec): ForeignSpec {
  const spec = s.cluster?.spec as { scheduler?: unknown; nodes?: { count?: unknown } } | undefined;
  if (!s.cluster || !spec || spec.scheduler !== undefined || !(typeof spec.nodes?.count === 'number' && spec.nodes.count > 1)) return s;
  return { ...s, cluster: { ...s.cluster, spec: { scheduler: { type: 'slurm' }, ...s.cluster.spec } }, assumptions: [...s.assumptions, 'Scheduler: slurm (the job spans several nodes, which the local backend does not run); edit the Cluster for another.'] };
}

export const summary = 'write the Gantry spec a foreign config stands for (vllm serve line, torchtitan TOML, …)';

const USAGE = `usage: gantry import [options] FILE

Reads a foreign config — a vllm serve / SGLang command in a Kubernetes manifest, compose file,
Dockerfile, shell or sbatch script or SkyPilot task; a torchtitan TOML, axolotl YAML, DeepSpeed JSON
or accelerate YAML — and prints the Gantry documents it stands for. FILE '-' reads standard input.

options:
  --output FILE        write to FILE instead of standard output
  --gpu ID             the GPU (catalog id) where the file does not say (also: gantry.context.yaml)
  --gpus-per-node N    GPUs per node where the file does not say
  --stdin-name NAME    the file name standard input stands for (helps recognise its format)
  -h, --help           this help

The documents keep the file's values as written; where the file has errors (gantry check's), a note on
standard error says how many and shows the first.

exit status: 0 ok, 1 nothing Gantry recognises in the file, 2 bad usage or unreadable input`;

export async function run(argv: string[]): Promise<number> {
  const a = parseCommandArgs(argv, { output: { type: 'string' }, gpu: { type: 'string' }, 'gpus-per-node': { type: 'string' }, 'stdin-name': { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if ('error' in a) {
    process.stderr.write(`gantry import: ${a.error}\n\n${USAGE}\n`);
    return 2;
  }
  if (a.values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (a.positionals.length !== 1) {
    process.stderr.write(`gantry import: give exactly one FILE\n\n${USAGE}\n`);
    return 2;
  }
  const perNode = a.values['gpus-per-node'] === undefined ? undefined : Number(a.values['gpus-per-node']);
  if (perNode !== undefined && !(Number.isInteger(perNode) && perNode > 0)) {
    process.stderr.write('gantry import: --gpus-per-node needs a whole number above 0\n');
    return 2;
  }
  const gpuError = gpuOptionError(a.values.gpu);
  if (gpuError) {
    process.stderr.write(`gantry import: ${gpuError}\n`);
    return 2;
  }
  const file = a.positionals[0];
  const input = readInput(file);
  if (typeof input !== 'string') {
    process.stderr.write(`gantry import: ${input.why}\n`);
    return 2;
  }
  const abs = file === '-' ? path.resolve(a.values['stdin-name'] ?? 'stdin') : path.resolve(file);
  const readFile = file === '-' ? undefined : readerBeside(abs);
  // As gantry check reads it: a training config also takes its world size (and model) from a script beside it that launches it.
  const given = foreignDefaults(readFile, { ...(a.values.gpu ? { gpu: a.values.gpu } : {}), ...(perNode ? { gpusPerNode: perNode } : {}) });
  const defaults = file === '-' ? given : launcherDefaults(abs, input, given, () => folderNames(abs), readFile);
  const specs = readForeign(input, { fileName: abs, readFile, defaults });
  if (!specs.length) {
    process.stderr.write(`gantry import: nothing Gantry recognises in '${file === '-' ? (a.values['stdin-name'] ?? '-') : file}' (no serving command or training config)\n`);
    return 1;
  }
  const rel = file === '-' ? 'standard input' : path.relative(process.cwd(), abs) || file;
  // A GPU from gantry.context.yaml, --gpu or the setting makes the Cluster the check estimates on (withDefaultGpu), so the import writes it too.
  const out = specs
    .map((given) => multiNodeScheduler(withDefaultGpu(given, defaults)))
    .map((s) => {
      const head = [`# Imported by gantry ${VERSION} from ${rel}: ${s.label}`, ...s.assumptions.map((x) => `# assumed: ${x}`)].join('\n');
      return `${head}\n${foreignAsYaml(ownCluster(s), defaults).text}`;
    })
    .join('---\n');
  if (a.values.output) writeFileSync(a.values.output, out);
  else process.stdout.write(out);
  // The documents keep the file's values as written; say so where the one check finds errors in them.
  // A Cluster named by gantry.context.yaml is looked up as gantry check looks it up (the workspace around the file).
  const clusters = defaults.cluster && file !== '-' ? scanClustersSync(abs).scopedTo(abs) : undefined;
  const c = checkFile(input, { fileName: abs, readFile, defaults, clusters });
  const errors = c.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    const first = errors[0];
    const shown = first.message.length > 200 ? `${first.message.slice(0, 200)}…` : first.message;
    process.stderr.write(`gantry import: ${rel} has ${errors.length} error${errors.length === 1 ? '' : 's'} as written, and the documents above keep its values (first: ${first.code}: ${shown}); 'gantry check ${file === '-' ? '-' : rel}' shows ${errors.length === 1 ? 'it' : 'them'} in place.\n`);
  }
  return 0;
}

/** Standard input, or a named regular file (never a FIFO or a device). */
function readInput(file: string): string | { why: string } {
  if (file !== '-') {
    const r = readerBeside(path.resolve(file));
    const text = r(path.basename(file));
    return text ?? { why: `cannot read '${file}': ${r.why?.(path.basename(file)) ?? 'unreadable'}` };
  }
  try {
    return readFileSync(0, 'utf8');
  } catch (e) {
    return { why: `cannot read standard input: ${(e as Error).message}` };
  }
}

declare const VERSION: string;
