// The foreign formats Gantry reads, one reader each. A file goes to every reader that claims it (a
// cheap look at its name and text); the first that finds something in it wins, so a Kubernetes
// manifest is read as such and not again as a plain YAML file. Add a reader here and the editor,
// the CLI and the tests get it.
import type { ForeignSpec, FormatReader, ReadContext } from './types';
import { composeReader } from './compose';
import { dockerfileReader } from './dockerfile';
import { kubernetesReader } from './kubernetes';
import { shellReader } from './shell';
import { skypilotReader } from './skypilot';
import { torchtitanReader } from './torchtitan';
import { axolotlReader } from './axolotl';
import { deepspeedReader } from './deepspeed';
import { accelerateReader } from './accelerate';
import { launcherReader } from './launcher';

// One line per reader, in order of precedence (the more specific formats first).
const READERS: FormatReader[] = [
  kubernetesReader, // vLLM/SGLang containers in Kubernetes manifests (kubernetes.ts)
  composeReader, // docker-compose services (compose.ts)
  skypilotReader, // SkyPilot tasks' run: scripts (skypilot.ts)
  dockerfileReader, // Dockerfile CMD/ENTRYPOINT (dockerfile.ts)
  torchtitanReader, // torchtitan TOML (torchtitan.ts)
  axolotlReader, // axolotl YAML (axolotl.ts)
  deepspeedReader, // DeepSpeed JSON (deepspeed.ts)
  accelerateReader, // accelerate config YAML (accelerate.ts)
  shellReader, // shell and sbatch scripts that serve (shell.ts)
  launcherReader, // torchrun / accelerate / deepspeed / axolotl lines and the config they pass (launcher.ts)
];

/** Registers readers (in order of precedence); used by this module's imports below and by tests. */
export function registerReaders(...readers: FormatReader[]): void {
  for (const r of readers) if (!READERS.some((x) => x.id === r.id)) READERS.push(r);
}

/** The readers that claim this file, without reading it: none for most files (no work, no diagnostics). */
export function claimingReaders(fileName: string, text: string): FormatReader[] {
  return READERS.filter((r) => r.claims(fileName, text));
}

/** The jobs and services a foreign file holds, from the first reader that claims it and finds any. */
export function readForeign(text: string, ctx: ReadContext): ForeignSpec[] {
  const steps = readForeignSteps(text, ctx);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/** `readForeign` in steps: a reader with `readSteps` yields as it reads; the others read in one step. */
export function* readForeignSteps(text: string, ctx: ReadContext): Generator<void, ForeignSpec[]> {
  for (const r of claimingReaders(ctx.fileName, text)) {
    const specs = r.readSteps ? yield* r.readSteps(text, ctx) : r.read(text, ctx);
    if (specs.length) return specs;
  }
  return [];
}

export function formatIds(): string[] {
  return READERS.map((r) => r.id);
}
