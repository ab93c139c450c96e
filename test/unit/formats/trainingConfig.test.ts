// A TrainingJob that points at a training tool's own config (`config: train.toml`): checked and
// estimated with the file's values, read by the same reader the editor uses on the file itself, with
// the job's resources as the world size; contradictions at the job's key.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkGantryText } from '../../../core/check/gantryText';
import { ClusterIndex, extractClusters } from '../../../core/spec/clusters';
import { parseSpecFile } from '../../../core/spec/parse';
import type { TrainingEstimate } from '../../../core/estimate/types';
import { at, checkFixture, FIXTURES, GIB, reader } from './helpers';

const H100_96 = 'apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: h100 }\nspec:\n  nodes: { count: 2, gpu: { model: H100-SXM-96GB, count: 8 } }\n';

function checkJob(spec: string, folder = 'torchtitan') {
  const fileName = path.join(FIXTURES, folder, 'job.gantry.yaml');
  const text = `apiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: t }\nspec:\n  cluster: h100\n${spec}`;
  const clusters = new ClusterIndex();
  clusters.set('c', extractClusters('c', parseSpecFile(H100_96)));
  return { text, ...checkGantryText(text, { fileName, clusters: clusters.scopedTo(fileName), readFile: reader(fileName) }) };
}

test("config: a torchtitan TOML: the estimate is the file's own (same reader, the job's 8 GPUs), and no model or batch is asked for", () => {
  const c = checkJob('  config: llama3_8b.toml\n  resources: { nodes: 1, gpusPerNode: 8 }\n');
  assert.deepEqual(
    c.problems.filter((p) => p.severity === 'error').map((p) => p.message),
    [],
  );
  assert.equal(c.estimates.length, 1);
  const mine = c.estimates[0].estimate as TrainingEstimate;
  const own = checkFixture('torchtitan/llama3_8b.toml', { gpu: 'H100-SXM-96GB', gpusPerNode: 8 }).estimates[0].estimate as TrainingEstimate;
  assert.equal(mine.model?.id, 'llama-3.1-8b');
  assert.equal(mine.layout?.gpus, 8);
  assert.equal((mine.memory!.perGpu.deviceBytes / GIB).toFixed(2), (own.memory!.perGpu.deviceBytes / GIB).toFixed(2));
  assert.equal(mine.time!.tokensPerSecondPerGpu.toFixed(0), own.time!.tokensPerSecondPerGpu.toFixed(0));
});

test("the job's GPUs against the file's parallel degrees: an error at resources.gpusPerNode naming the file's key", () => {
  // llama3_70b.toml: tensor_parallel_degree 8; 12 GPUs do not divide by it.
  const c = checkJob('  config: llama3_70b.toml\n  resources: { nodes: 1, gpusPerNode: 12 }\n');
  const p = c.problems.find((x) => x.severity === 'error' && at(c.text, x) === '12');
  assert.ok(p, JSON.stringify(c.problems.map((x) => [x.code, at(c.text, x), x.message])));
  assert.match(p.message, /llama3_70b\.toml/);
  assert.deepEqual(p.path, ['spec', 'resources', 'gpusPerNode']);
});

test("a value the job writes differently from the file: a warning at the job's key; the file's value is estimated", () => {
  const c = checkJob('  config: llama3_8b.toml\n  resources: { nodes: 1, gpusPerNode: 8 }\n  batch: { micro: 1, sequenceLength: 4096 }\n');
  const w = c.problems.filter((x) => x.code === 'config-contradiction');
  assert.deepEqual(
    w.map((x) => at(c.text, x)),
    ['1', '4096'],
  );
  assert.match(w[1].message, /8192 \(\[training\] seq_len\)/);
  const e = c.estimates[0].estimate as TrainingEstimate;
  assert.ok(e.memory!.perGpu.deviceBytes / GIB > 40, "estimated with the file's batch 2 × 8192, not the job's");
});

test('config: an axolotl YAML and a DeepSpeed JSON it names; a missing file and a file no reader reads are errors at config', () => {
  const ax = checkJob('  config: lora-8b.yml\n  resources: { nodes: 1, gpusPerNode: 2 }\n', 'axolotl');
  assert.deepEqual(
    ax.problems.filter((p) => p.severity === 'error').map((p) => p.message),
    [],
  );
  assert.equal((ax.estimates[0].estimate as TrainingEstimate).layout?.gpus, 2);
  const missing = checkJob('  config: nope.toml\n  resources: { nodes: 1, gpusPerNode: 8 }\n');
  const m = missing.problems.find((p) => p.code === 'config-file')!;
  assert.equal(at(missing.text, m), 'nope.toml');
  assert.equal(missing.estimates.length, 0);
  const other = checkJob('  config: ../launcher/build.sh\n  resources: { nodes: 1, gpusPerNode: 8 }\n');
  assert.ok(other.problems.some((p) => p.code === 'config-format' && at(other.text, p) === '../launcher/build.sh'));
});

test('without config, model and batch are still required', () => {
  const c = checkJob('  resources: { nodes: 1, gpusPerNode: 8 }\n');
  assert.ok(
    c.problems.some((p) => p.code === 'schema-required' && /model/.test(p.message) && /batch/.test(p.message)),
    JSON.stringify(c.problems.map((p) => p.message)),
  );
});

test("the hover's assumptions say the values come from the file, and the world size from the job's resources", () => {
  const c = checkJob('  config: llama3_8b.toml\n  resources: { nodes: 1, gpusPerNode: 8 }\n');
  const a = (c.estimates[0].estimate as TrainingEstimate).assumptions;
  assert.ok(
    a.some((x) => x.startsWith("Model, batch, precision and parallelism from 'llama3_8b.toml' (torchtitan llama3 8B)")),
    JSON.stringify(a),
  );
  assert.ok(
    a.some((x) => x.includes("from the TrainingJob's resources")),
    JSON.stringify(a),
  );
});

test('while the editor is still reading the file: no error and no estimate yet (the job is re-checked when it arrives)', () => {
  const fileName = path.join(FIXTURES, 'torchtitan', 'job.gantry.yaml');
  const text = 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: t }\nspec:\n  config: llama3_8b.toml\n  resources: { nodes: 1, gpusPerNode: 8 }\n';
  const pending = Object.assign((_rel: string) => undefined, { why: () => 'pending' });
  const c = checkGantryText(text, { fileName, readFile: pending });
  assert.deepEqual(
    c.problems.map((p) => p.code),
    [],
  );
  assert.equal(c.estimates.length, 0);
});

test('config: a file past the foreign-file limit is not read: config-format on the job, nothing from the file', () => {
  const fileName = path.join(FIXTURES, 'torchtitan', 'job.gantry.yaml');
  const big = `[job]\ndump_folder = "./out"\n[model]\nname = "llama3"\nflavor = "8B"\n[training]\n${'# filler line\n'.repeat(6000)}`;
  const text = 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: t }\nspec:\n  cluster: h100\n  config: big.toml\n  resources: { nodes: 1, gpusPerNode: 8 }\n';
  const clusters = new ClusterIndex();
  clusters.set('c', extractClusters('c', parseSpecFile(H100_96)));
  const c = checkGantryText(text, { fileName, clusters: clusters.scopedTo(fileName), readFile: (rel) => (rel.endsWith('big.toml') ? big : reader(fileName)(rel)) });
  const finding = c.problems.find((p) => p.code === 'config-format');
  assert.match(finding?.message ?? '', /'big\.toml' is too large for Gantry to read: \d+ KB \(limit 16 KB/);
  assert.equal(finding?.offset, text.indexOf('big.toml'));
});

test('a config read again with the same text but a changed file beside it (its DeepSpeed config) is read afresh, as the editor sees after saving that file', () => {
  // The reading of a config is cached per path, text and job; the server hands back the same text for an
  // unchanged file, so only the re-read of what the reading read beside it tells the DeepSpeed edit apart.
  const fileName = path.join(FIXTURES, 'axolotl', 'job.gantry.yaml');
  const text = 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: t }\nspec:\n  cluster: h100\n  config: ax.yml\n  resources: { nodes: 1, gpusPerNode: 8 }\n';
  const axolotl = 'base_model: meta-llama/Llama-3.1-8B\nsequence_len: 4096\nmicro_batch_size: 1\ngradient_accumulation_steps: 8\nbf16: auto\ndeepspeed: ds.json\n';
  const files = new Map([
    ['ax.yml', axolotl],
    ['ds.json', JSON.stringify({ train_micro_batch_size_per_gpu: 'auto', zero_optimization: { stage: 3 } })],
  ]);
  const clusters = new ClusterIndex();
  clusters.set('c', extractClusters('c', parseSpecFile(H100_96)));
  const check = () => checkGantryText(text, { fileName, clusters: clusters.scopedTo(fileName), readFile: (rel) => files.get(rel) });
  assert.ok(!check().problems.some((p) => p.code === 'deepspeed-mismatch'));
  files.set('ds.json', JSON.stringify({ train_micro_batch_size_per_gpu: 4, gradient_accumulation_steps: 8, zero_optimization: { stage: 3 } }));
  assert.ok(
    check().problems.some((p) => p.code === 'deepspeed-mismatch'),
    'micro-batch 4 in the DeepSpeed config against 1 in the axolotl config',
  );
});

test("a DeepSpeed config the training config names: its reader's reason reaches the finding, and a file the editor is still reading is not called missing", () => {
  const fileName = path.join(FIXTURES, 'axolotl', 'job.gantry.yaml');
  const text = 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: t }\nspec:\n  cluster: h100\n  config: sub/ax.yml\n  resources: { nodes: 1, gpusPerNode: 8 }\n';
  const axolotl = 'base_model: meta-llama/Llama-3.1-8B\nsequence_len: 4096\nmicro_batch_size: 1\ngradient_accumulation_steps: 8\nbf16: auto\ndeepspeed: ds_missing.json\n';
  const clusters = new ClusterIndex();
  clusters.set('c', extractClusters('c', parseSpecFile(H100_96)));
  const check = (why: string) => {
    const asked: string[] = [];
    const readFile = Object.assign((rel: string) => (rel === 'sub/ax.yml' ? axolotl : undefined), {
      why: (rel: string) => {
        asked.push(rel);
        return why;
      },
    });
    return { asked, problems: checkGantryText(text, { fileName, clusters: clusters.scopedTo(fileName), readFile }).problems };
  };
  const missing = check('no such file');
  assert.ok(missing.asked.includes('sub/ds_missing.json'), 'asked beside the config, in the spec’s terms');
  const found = missing.problems.find((p) => /ds_missing\.json/.test(p.message));
  assert.ok(found, JSON.stringify(missing.problems.map((p) => p.message)));
  assert.match(found.message, /no such file/);
  const pending = check('pending');
  assert.ok(!pending.problems.some((p) => /ds_missing\.json/.test(p.message)), 'nothing said while the editor reads it (the reading cached for the same text is not reused: the reason changed)');
});
