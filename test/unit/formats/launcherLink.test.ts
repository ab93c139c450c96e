// The reverse association: a training config learns its world size from a script beside it that
// launches it (core/formats/launcherLink.ts), and the hover's assumptions name that script.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launcherDefaults, launchLinkFor, siblingScripts, MAX_SIBLING_SCRIPTS } from '../../../core/formats/launcherLink';
import { checkText, estimateOf, fixture, reader } from './helpers';
import { tempDir } from '../helpers';

function folder(files: Record<string, string>): string {
  const dir = tempDir('gantry-link-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const TOML = fixture('torchtitan/llama3_8b.toml').text;

test('a torchtitan TOML takes 2 nodes × 4 GPUs from the sbatch script beside it, and says which script and line', () => {
  const sbatch = '#!/bin/bash\n#SBATCH --nodes=2\n#SBATCH --gres=gpu:h100:4\n\nsrun torchrun --nnodes 2 --nproc_per_node 4 \\\n  -m torchtitan.train --job.config_file ./train.toml\n';
  const dir = folder({ 'train.toml': TOML, 'run.sbatch': sbatch, 'other.sh': 'torchrun --nproc_per_node 2 -m torchtitan.train --job.config_file other.toml\n', 'README.md': '# x\n' });
  const file = path.join(dir, 'train.toml');
  const read = reader(file);
  let listed = 0;
  const defaults = launcherDefaults(
    file,
    TOML,
    {},
    () => {
      listed++;
      return fs.readdirSync(dir);
    },
    read,
  );
  assert.equal(listed, 1);
  assert.equal(defaults.gpusPerNode, 4);
  assert.equal(defaults.nodes, 2);
  assert.equal(defaults.gpu, 'H100-SXM-80GB');
  const c = checkText(TOML, file, defaults, read);
  const e = estimateOf(c);
  assert.equal(e.layout?.gpus, 8);
  assert.ok(
    e.assumptions.some((a) => a.includes("'run.sbatch' line 5 (torchrun: 2 nodes × 4 GPUs per node)")),
    JSON.stringify(e.assumptions),
  );
});

test('srun with options of its own before the launcher (srun -N 2 --ntasks-per-node=1 torchrun …) is still the launch line', () => {
  const sbatch = '#!/bin/bash\n#SBATCH --nodes=2\n#SBATCH --gres=gpu:h100:4\nsrun -N 2 --ntasks-per-node=1 --gres=gpu:4 torchrun --nnodes 2 --nproc_per_node 4 -m torchtitan.train --job.config_file train.toml\n';
  const dir = folder({ 'train.toml': TOML, 'run.sbatch': sbatch });
  const file = path.join(dir, 'train.toml');
  const defaults = launcherDefaults(file, TOML, {}, () => fs.readdirSync(dir), reader(file));
  assert.equal(defaults.gpusPerNode, 4);
  assert.equal(defaults.nodes, 2);
});

test("launched on 2 nodes: the memory and link findings are the file's (check fails), and the fabric between nodes is assumed, not absent", () => {
  // 70B with tensor parallel 8 and no data sharding: ~178 GiB per GPU on 2 × 4 H100.
  const toml = '[model]\nname = "llama3"\nflavor = "70B"\n\n[training]\nlocal_batch_size = 2\nseq_len = 8192\n\n[parallelism]\ndata_parallel_shard_degree = -1\ntensor_parallel_degree = 8\n\n[activation_checkpoint]\nmode = "full"\n';
  const sbatch = '#!/bin/bash\n#SBATCH --nodes=2\n#SBATCH --gres=gpu:h100:4\nsrun torchrun --nnodes 2 --nproc_per_node 4 -m torchtitan.train --job.config_file train.toml\n';
  const dir = folder({ 'train.toml': toml, 'run.sbatch': sbatch });
  const file = path.join(dir, 'train.toml');
  const read = reader(file);
  const c = checkText(
    toml,
    file,
    launcherDefaults(file, toml, {}, () => fs.readdirSync(dir), read),
    read,
  );
  const mem = c.problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(mem, JSON.stringify(c.problems.map((p) => p.code)));
  assert.equal(mem.severity, 'error');
  assert.equal(toml.slice(mem.offset, mem.offset + mem.length), '2', 'at local_batch_size');
  const tp = c.problems.find((p) => p.code === 'tp-spans-nodes');
  assert.ok(tp && toml.slice(tp.offset, tp.offset + tp.length) === '8', 'at tensor_parallel_degree');
  assert.match(tp.message, /InfiniBand NDR/);
  assert.ok(!c.problems.some((p) => p.code === 'slow-inter-node'), 'no "the cluster has no inter-node interconnect": there is no cluster, only an assumption');
  const e = estimateOf(c);
  assert.ok(e.interconnect!.exposedCommSeconds > 0, 'tensor parallel across nodes costs time');
  assert.ok(
    e.assumptions.some((a) => a.startsWith('Between nodes: infiniband-ndr assumed')),
    JSON.stringify(e.assumptions),
  );
});

test('no script beside it that passes this config: the defaults are unchanged; a file that is no training config lists nothing', () => {
  const dir = folder({ 'train.toml': TOML, 'other.sh': 'torchrun --nproc_per_node 2 -m torchtitan.train --job.config_file other.toml\n' });
  const file = path.join(dir, 'train.toml');
  assert.deepEqual(
    launcherDefaults(file, TOML, { gpusPerNode: 8 }, () => fs.readdirSync(dir), reader(file)),
    { gpusPerNode: 8 },
  );
  let listed = 0;
  launcherDefaults(
    path.join(dir, 'pyproject.toml'),
    '[project]\nname = "x"\n',
    {},
    () => {
      listed++;
      return [];
    },
    reader(file),
  );
  assert.equal(listed, 0);
});

test('the scan is bounded: script names only, in name order, at most MAX_SIBLING_SCRIPTS; an unreadable one is skipped', () => {
  const names = Array.from({ length: 100 }, (_, i) => `job${String(i).padStart(3, '0')}.sh`);
  const picked = siblingScripts([...names, 'data.bin', 'train.toml']);
  assert.equal(picked.length, MAX_SIBLING_SCRIPTS);
  assert.equal(picked[0], 'job000.sh');
  const link = launchLinkFor('train.toml', ['a.sh', 'b.sh'], (rel) => (rel === 'a.sh' ? undefined : 'deepspeed --num_gpus 2 train.py --deepspeed x.json\ntorchrun --nproc_per_node=3 -m torchtitan.train --job.config_file train.toml\n'));
  assert.equal(link?.script, 'b.sh');
  assert.equal(link?.line, 2);
});

const ACCEL = 'compute_environment: LOCAL_MACHINE\ndistributed_type: MULTI_GPU\nmixed_precision: bf16\nnum_machines: 1\nnum_processes: 8\n';

test("accelerate launch --num_processes and the training script's --model_name_or_path: the config gets the model and the line's world size, which accelerate takes over the file's", () => {
  const script = '#!/bin/bash\naccelerate launch --config_file accel.yaml --num_processes 4 train.py \\\n  --model_name_or_path meta-llama/Llama-3.1-8B --per_device_train_batch_size 4\n';
  const dir = folder({ 'accel.yaml': ACCEL, 'train.sh': script });
  const file = path.join(dir, 'accel.yaml');
  const read = reader(file);
  const defaults = launcherDefaults(file, ACCEL, {}, () => fs.readdirSync(dir), read);
  assert.equal(defaults.model, 'meta-llama/Llama-3.1-8B');
  assert.equal(defaults.gpusPerNode, 4);
  assert.equal(defaults.launchWorld, true);
  const e = estimateOf(checkText(ACCEL, file, defaults, read));
  assert.equal(e.layout?.gpus, 4);
  assert.ok(
    e.assumptions.some((a) => a.includes("accelerate's command line wins over this file's num_processes (8)")),
    JSON.stringify(e.assumptions),
  );
  // The script itself: the same job, its model named on the line.
  const scriptFile = path.join(dir, 'train.sh');
  const s = estimateOf(checkText(script, scriptFile, {}, reader(scriptFile)));
  assert.equal(s.layout?.gpus, 4);
  assert.ok(s.assumptions.some((a) => a.startsWith("Model: 'meta-llama/Llama-3.1-8B', the training script's --model_name_or_path")));
});

test('an sbatch GPU count is an allocation, not a launch option: the accelerate config keeps its own num_processes; --num_processes over machines is per machine', () => {
  const sbatch = '#!/bin/bash\n#SBATCH --gres=gpu:h100:8\naccelerate launch --config_file accel.yaml train.py --model_name_or_path meta-llama/Llama-3.1-8B\n';
  const dir = folder({ 'accel.yaml': ACCEL.replace('num_processes: 8', 'num_processes: 2'), 'run.sbatch': sbatch });
  const file = path.join(dir, 'accel.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const read = reader(file);
  const defaults = launcherDefaults(file, text, {}, () => fs.readdirSync(dir), read);
  assert.equal(defaults.launchWorld, undefined);
  assert.equal(estimateOf(checkText(text, file, defaults, read)).layout?.gpus, 2);
  const two = launchLinkFor('accel.yaml', ['a.sh'], () => 'accelerate launch --config_file accel.yaml --num_machines 2 --num_processes 16 train.py\n');
  assert.equal(two?.gpusPerNode, 8);
  assert.equal(two?.nodes, 2);
  const uneven = launchLinkFor('accel.yaml', ['a.sh'], () => 'accelerate launch --config_file accel.yaml --num_machines 2 --num_processes 15 --model_name_or_path m/x train.py\n');
  // accelerate hands torchrun 15 // 2 = 7 per machine (accelerate/utils/launch.py): 14 processes run, and the hover says why.
  assert.equal(uneven?.gpusPerNode, 7);
  assert.equal(uneven?.worldOnLine, true);
  assert.deepEqual(uneven?.uneven, { total: 15, machines: 2 });
});
