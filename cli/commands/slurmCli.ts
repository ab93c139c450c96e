// What `gantry run` and `gantry script` share for Slurm plans: the batch script rendered into the
// plan (so what `gantry script` prints is what `gantry run` submits), and refusals printed
// compiler-style at the spec field they concern (file:line:col: message), as the editor shows them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LaunchPlan, SlurmLaunchPlan } from '../../core/runs/types';
import { BatchScriptError, SlurmSubmitError, type BatchScript } from '../../core/runs/slurm/index';
import { batchScriptFor, loadPlanDocs, withBatchScript } from '../../core/runs/slurm/planScript';
import { locateSpecTarget, targetOfScriptPath, type SpecTarget } from '../../core/runs/slurm/specLocation';

/** The plan with its batch script, or the reason there is none, located at the spec. */
export function planWithScript(plan: SlurmLaunchPlan, root?: string): { ok: true; plan: SlurmLaunchPlan; script: BatchScript } | { ok: false; error: string } {
  try {
    const { doc, clusters } = loadPlanDocs(plan, undefined, root);
    const script = batchScriptFor(plan, doc, clusters);
    return { ok: true, plan: withBatchScript(plan, script), script };
  } catch (err) {
    if (err instanceof BatchScriptError) return { ok: false, error: atSpec(plan, targetOfScriptPath(err.path), err.message) };
    return { ok: false, error: `${plan.specFile}: ${(err as Error).message}` };
  }
}

/** A backend's refusal as a line to print: Slurm's own message at the field it concerns. */
export function describeRejection(plan: LaunchPlan, err: unknown): string | undefined {
  if (err instanceof SlurmSubmitError) return atSpec(plan, err.specPath, `Slurm rejected the job: ${err.slurmMessage}`);
  return undefined;
}

function atSpec(plan: LaunchPlan, target: SpecTarget | undefined, message: string): string {
  const files = [plan.specFile, ...neighbourPaths(plan.specFile)].flatMap((p) => {
    try {
      return [{ path: p, text: fs.readFileSync(p, 'utf8') }];
    } catch {
      return [];
    }
  });
  const at = locateSpecTarget(plan, files, target);
  if (!at) return `${plan.specFile}: ${message}`;
  const text = files.find((f) => f.path === at.file)?.text ?? '';
  const before = text.slice(0, at.offset);
  const line = before.split('\n').length;
  const col = at.offset - before.lastIndexOf('\n');
  return `${at.file}:${line}:${col}: error: ${message}`;
}

function neighbourPaths(specFile: string): string[] {
  const dir = path.dirname(specFile);
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => /\.ya?ml$/i.test(n))
      .map((n) => path.join(dir, n))
      .filter((p) => p !== specFile);
  } catch {
    return [];
  }
}
