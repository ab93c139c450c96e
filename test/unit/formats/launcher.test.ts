// Launcher lines (core/formats/launcher.ts): a torchrun line in an sbatch script gives the world size
// and the GPU to the torchtitan TOML it passes; an accelerate line runs an axolotl config; the
// estimate sits on the launcher word; a script that launches nothing gets nothing.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { checkText, reader, FIXTURES } from './helpers';
import type { TrainingEstimate } from '../../../core/estimate/types';

const load = (rel: string) => {
  const fileName = path.join(FIXTURES, 'launcher', rel);
  return { text: readFileSync(fileName, 'utf8'), fileName };
};

test('torchrun in an sbatch script: 2 nodes × 8 H100 from the line and the header, the TOML gives the rest', () => {
  const { text, fileName } = load('train_8b.sbatch');
  const c = checkText(text, fileName, undefined, reader(fileName));
  assert.equal(c.estimates.length, 1, JSON.stringify(c.problems));
  const e = c.estimates[0].estimate as TrainingEstimate;
  assert.equal(e.layout?.gpus, 16);
  assert.equal(e.gpu?.id, 'H100-SXM-80GB');
  assert.equal(text.slice(c.estimates[0].anchor.offset, c.estimates[0].anchor.offset + c.estimates[0].anchor.length), 'torchrun');
  // The TOML's own problems stay in the TOML: nothing here points outside this script.
  for (const p of c.problems) assert.ok(p.offset + p.length <= text.length);
});

test('accelerate launch of an axolotl config: one GPU, the QLoRA estimate', () => {
  const { text, fileName } = load('axolotl.sh');
  const c = checkText(text, fileName, undefined, reader(fileName));
  assert.equal(c.estimates.length, 1, JSON.stringify(c.problems));
  const e = c.estimates[0].estimate as TrainingEstimate;
  assert.equal(e.layout?.gpus, 1);
  assert.ok(e.assumptions.some((a) => a.startsWith('Launched by accelerate')));
});

test('a script that launches nothing, or names a config that is not there, gets nothing', () => {
  const { text, fileName } = load('build.sh');
  assert.equal(checkText(text, fileName, undefined, reader(fileName)).gantry, false);
  const missing = '#!/bin/sh\ntorchrun --nproc_per_node 8 -m torchtitan.train --job.config_file nowhere.toml\n';
  assert.equal(checkText(missing, fileName, undefined, reader(fileName)).gantry, false);
  const hostile = `#!/bin/sh\ntorchrun --nproc_per_node "${'9'.repeat(5000)} --job.config_file x.toml\n`;
  assert.doesNotThrow(() => checkText(hostile, fileName, undefined, reader(fileName)));
});
