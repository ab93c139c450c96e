// `gantry script <spec>`: prints the batch script `gantry run` and ▶ Run would submit to Slurm for
// the spec, byte for byte (stdout), so it can be read, diffed or submitted by hand.
import * as path from 'node:path';
import { planFile } from '../../core/runs/planFile';
import { parseCommandArgs } from '../args';
import { planWithScript } from './slurmCli';

export const summary = 'print the exact Slurm batch script a spec would submit';

const USAGE = `usage: gantry script <spec.yaml> [options]

Prints the batch script that \`gantry run\` (and ▶ Run in the editor) submits with sbatch for the
spec's TrainingJob or InferenceService on its Slurm cluster.

options:
  --name NAME        which document, when the file has several
  --doc N            which document, by its index in the file (0-based)
  -h, --help         this help

exit status: 0 printed, 1 no script (the spec's cluster is not Slurm, or a value cannot go into one), 2 bad usage`;

export async function run(argv: string[]): Promise<number> {
  const a = parseCommandArgs(argv, { name: { type: 'string' }, doc: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (!('error' in a) && a.values.help) return (void process.stdout.write(USAGE + '\n'), 0);
  if ('error' in a || a.positionals.length !== 1) return (void process.stderr.write(`${'error' in a ? a.error : 'give one spec file'}\n\n${USAGE}\n`), 2);
  const docIndex = a.values.doc !== undefined ? Number(a.values.doc) : undefined;
  if (docIndex !== undefined && !Number.isInteger(docIndex)) return (void process.stderr.write('--doc takes a document index\n'), 2);
  const specFile = path.resolve(a.positionals[0]);
  const planned = planFile(specFile, { docIndex, name: a.values.name });
  if (!planned.ok) return (void process.stderr.write(`${planned.errors.map((e) => `${specFile}: ${e}`).join('\n')}\n`), 1);
  if (planned.plan.backend !== 'slurm') {
    process.stderr.write(`gantry script: ${planned.plan.name} runs on the ${planned.plan.backend} backend, which uses no batch script\n`);
    return 1;
  }
  const scripted = planWithScript(planned.plan);
  if (!scripted.ok) return (void process.stderr.write(`${scripted.error}\n`), 1);
  process.stdout.write(scripted.script.text);
  return 0;
}
