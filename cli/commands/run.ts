// `gantry run <spec>`: plans the spec's run as the editor would, runs it on its cluster's backend
// and follows its logs until it ends. The run lives in the workspace's .gantry/runs, so the
// editor's panel, `gantry ps` and `gantry logs` see it too; Ctrl-C detaches, the run goes on.
import * as path from 'node:path';
import { findStoreRoot, RunStore } from '../../core/runs/store';
import { workspaceRootOf } from '../../core/workspace/workspace';
import { planFile } from '../../core/runs/planFile';
import { describePlan } from '../../core/runs/plan';
import { submitRun } from '../../core/runs/submit';
import { disposeBackends } from '../../core/runs/backends';
import { run as check } from './check';
import { printRunLogs, exitCodeFor } from './runsCli';
import { parseCommandArgs } from '../args';
import { describeRejection, planWithScript } from './slurmCli';
import { batchScriptOf } from '../../core/runs/slurm/planScript';

export const summary = 'run a TrainingJob or InferenceService and follow its logs';

const USAGE = `usage: gantry run <spec.yaml> [options]

Runs the spec's TrainingJob or InferenceService on its cluster's backend (this machine when the spec
names no cluster or a local one) and prints its logs until it ends. The spec is checked first; a spec
with errors is not run.

options:
  --name NAME        which document, when the file has several
  --doc N            which document, by its index in the file (0-based)
  --dry-run          print what would run (command, env, cwd, GPUs; a Slurm job's batch script) and stop
  --detach           start it and return at once
  --no-check         skip the spec check
  --workspace DIR    the folder whose .gantry/ holds the runs (default: found from the spec's folder)
  -h, --help         this help

exit status: 0 the run succeeded, 1 it failed, was cancelled or was refused, 2 bad usage`;

export async function run(argv: string[]): Promise<number> {
  const a = parseCommandArgs(argv, {
    name: { type: 'string' },
    doc: { type: 'string' },
    workspace: { type: 'string' },
    'dry-run': { type: 'boolean' },
    detach: { type: 'boolean' },
    'no-check': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (!('error' in a) && a.values.help) return out(USAGE, 0);
  if ('error' in a || a.positionals.length !== 1) return err(`${'error' in a ? a.error : 'give one spec file'}\n\n${USAGE}`, 2);
  const specFile = path.resolve(a.positionals[0]);
  const docIndex = a.values.doc !== undefined ? Number(a.values.doc) : undefined;
  if (docIndex !== undefined && !Number.isInteger(docIndex)) return err('--doc takes a document index', 2);

  // Clusters resolve under one root for the check and the plan (the one resolver's scoping rule).
  const root = a.values.workspace ? path.resolve(a.values.workspace) : workspaceRootOf(specFile);
  if (!a.values['no-check'] && !a.values['dry-run']) {
    const rc = await check([specFile, '--workspace', root, '-q']);
    if (rc !== 0) return err(`gantry run: not run: ${specFile} has errors (listed above)`, 1);
  }
  const planned = planFile(specFile, { docIndex, name: a.values.name, root });
  if (!planned.ok) return err(`gantry run: not run:\n${planned.errors.map((e) => `  ${specFile}: ${e}`).join('\n')}`, 1);
  let plan = planned.plan;
  if (plan.backend === 'slurm') {
    // The script is rendered here, once: the one printed by --dry-run and `gantry script` is the one submitted.
    const scripted = planWithScript(plan, root);
    if (!scripted.ok) return err(`${scripted.error}\ngantry run: not run`, 1);
    plan = scripted.plan;
  }
  process.stderr.write(`${describePlan(plan)}\n`);
  if (a.values['dry-run']) {
    const script = batchScriptOf(plan);
    if (script) process.stdout.write(script.text);
    return 0;
  }

  const store = new RunStore(a.values.workspace ? path.join(path.resolve(a.values.workspace), '.gantry') : findStoreRoot(path.dirname(specFile)));
  let rejection: string | undefined;
  const started = await submitRun(store, plan, { onRejected: (e) => (rejection = describeRejection(plan, e)) });
  if (rejection) process.stderr.write(`${rejection}\n`);
  process.stderr.write(`run ${started.id}: ${started.state}${started.reason ? ` (${started.reason})` : ''}\n`);
  if (a.values.detach || started.state === 'failed') {
    disposeBackends();
    return started.state === 'failed' ? 1 : 0;
  }
  const end = await printRunLogs(store, started.id, { follow: true });
  disposeBackends();
  return exitCodeFor(end);
}

function out(s: string, code: number): number {
  process.stdout.write(s + '\n');
  return code;
}
function err(s: string, code: number): number {
  process.stderr.write(s + '\n');
  return code;
}
