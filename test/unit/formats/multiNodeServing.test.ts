// A serving replica larger than one server (tensor 8 × pipeline 2 = 16 GPUs) where the file does not say how many
// GPUs a node has: 8-GPU nodes (SERVER_GPUS, or gantry.context.yaml's gpusPerNode), as many nodes as the replica
// needs, its pipeline stages across them; tensor parallel beyond a node is the serving-tp-spans-nodes warning.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/index';
import { SERVER_GPUS } from '../../../core/estimate/resolve';
import type { ServingEstimate } from '../../../core/estimate/types';
import { cluster, service } from '../estimate/helpers';
import { checkText } from './helpers';

const MODEL = 'meta-llama/Llama-3.1-405B-Instruct';
const line = (flags: string) => `#!/bin/bash\nvllm serve ${MODEL} ${flags} --max-model-len 16384\n`;
const servingOf = (c: ReturnType<typeof checkText>): ServingEstimate => c.estimates[0].estimate as ServingEstimate;

test('tensor 8 × pipeline 2 with no GPU count in the file: 2 nodes × 8 GPUs, not one node of 16, and the stages across nodes are said', () => {
  assert.equal(SERVER_GPUS, 8);
  const c = checkText(line('--tensor-parallel-size 8 --pipeline-parallel-size 2'), '/w/pp.sh');
  assert.deepEqual(
    c.problems.map((p) => p.code),
    [],
  );
  const e = servingOf(c);
  assert.ok(e.assumptions.some((a) => a.startsWith("GPUs per node: 8, an 8-GPU server's")));
  assert.ok(e.assumptions.some((a) => a.startsWith('Nodes: 2, for tensor 8 × pipeline 2 = 16 GPUs on 8-GPU nodes')));
  assert.ok(e.assumptions.some((a) => a.startsWith('Pipeline parallel 2 across 2 nodes of 8 GPUs')));
  // The network between the nodes: the default fabric, named and said as assumed (it was 'the network between nodes').
  assert.ok(e.assumptions.some((a) => a.startsWith('Between nodes: infiniband-ndr assumed')));
  assert.ok(e.assumptions.some((a) => a.includes('to the next node over InfiniBand NDR')));
  assert.ok(!e.assumptions.some((a) => a.includes('GPUs per node: 16')));
  assert.equal(e.gpusPerReplica, 16);
  // Data parallel on top: 32 GPUs, 4 nodes.
  const dp = servingOf(checkText(line('-tp 8 -pp 2 --data-parallel-size 2'), '/w/dp.sh'));
  assert.ok(dp.assumptions.some((a) => a.startsWith('Nodes: 4, for tensor 8 × pipeline 2 × data 2 = 32 GPUs')));
  // One server's worth stays one node, as many GPUs as the command uses.
  const small = servingOf(checkText(line('--tensor-parallel-size 4 --pipeline-parallel-size 2'), '/w/small.sh'));
  assert.ok(small.assumptions.some((a) => a.startsWith('GPUs per node: 8, as many as the command uses')));
  assert.ok(!small.assumptions.some((a) => a.startsWith('Nodes:') || a.startsWith('Pipeline parallel 2 across')));
});

test("gantry.context.yaml's gpusPerNode 8 with tensor 8 × pipeline 2: 2 nodes, no serving-gpus error (it was one node of 8)", () => {
  const c = checkText(line('--tensor-parallel-size 8 --pipeline-parallel-size 2'), '/w/ctx.sh', { gpusPerNode: 8, worldFrom: 'gantry.context.yaml' });
  assert.deepEqual(
    c.problems.map((p) => p.code),
    [],
  );
  assert.ok(servingOf(c).assumptions.some((a) => a.startsWith('GPUs per node: 8, from gantry.context.yaml')));
  assert.ok(servingOf(c).assumptions.some((a) => a.startsWith('Nodes: 2')));
});

test('what the file says wins: one sbatch node of 8 GPUs is too few for 16 (serving-gpus); --nodes=2 is the two nodes', () => {
  const one = '#!/bin/bash\n#SBATCH --gres=gpu:h100:8\nsrun vllm serve meta-llama/Llama-3.1-405B-Instruct -tp 8 -pp 2 --max-model-len 16384\n';
  assert.deepEqual(
    checkText(one, '/w/one.sbatch').problems.map((p) => [p.code, p.severity]),
    [['serving-gpus', 'error']],
  );
  const two = one.replace('#SBATCH --gres', '#SBATCH --nodes=2\n#SBATCH --gres');
  const c = checkText(two, '/w/two.sbatch');
  assert.deepEqual(
    c.problems.map((p) => p.code),
    [],
  );
  assert.ok(servingOf(c).assumptions.some((a) => a.startsWith('Pipeline parallel 2 across 2 nodes of 8 GPUs')));
  assert.ok(!servingOf(c).assumptions.some((a) => a.startsWith('Nodes:')), 'the file says the nodes');
});

test('tensor parallel 16 on 8-GPU nodes: a serving-tp-spans-nodes warning that proposes tensor 8 × pipeline 2, in the file’s flags', () => {
  const text = line('--tensor-parallel-size 16');
  const c = checkText(text, '/w/tp16.sh');
  const w = c.problems.filter((p) => p.code === 'serving-tp-spans-nodes');
  assert.equal(w.length, 1, c.problems.map((p) => p.code).join(' '));
  assert.equal(w[0].severity, 'warning');
  assert.equal(text.slice(w[0].offset, w[0].offset + w[0].length), '16');
  assert.match(w[0].message, /a Ray cluster across the nodes/);
  assert.match(w[0].message, /--tensor-parallel-size 8, --pipeline-parallel-size 2/);
  // Where the GPUs came from, in one parenthesis (not one nested in another).
  assert.match(w[0].message, /\(the GPUs assumed for this file, from gantry\.context\.yaml, the launching script or the gantry\.foreign\.gpu setting\)/);
  assert.ok(servingOf(c).assumptions.some((a) => a.startsWith('Tensor parallel 16 is more than the 8 GPUs one node links')));
  // SGLang's launch across nodes is named for SGLang.
  const sg = checkText(`python -m sglang.launch_server --model-path ${MODEL} --tp-size 16 --context-length 16384\n`, '/w/sg16.sh');
  assert.match(sg.problems.find((p) => p.code === 'serving-tp-spans-nodes')?.message ?? '', /SGLang: --nnodes/);
});

test('the estimator without a Cluster takes 8-GPU nodes; a Cluster of one 16-GPU node or a 72-GPU NVLink domain keeps the stages on NVLink', () => {
  const spec = { model: { preset: 'llama-3.1-405b' }, tensorParallel: 8, pipelineParallel: 2, maxModelLen: 16384 };
  const none = estimateInferenceService(service(spec), undefined);
  const note = none.assumptions.find((a) => a.startsWith('Pipeline parallel 2 across 2 nodes of 8 GPUs'));
  assert.ok(note?.includes('InfiniBand NDR'), note);
  const two = estimateInferenceService(service(spec), cluster('H100-SXM-80GB', 8, 2));
  assert.ok(two.assumptions.some((a) => a.startsWith('Pipeline parallel 2 across 2 nodes')));
  // The figures per GPU do not depend on where the stages are.
  assert.equal(two.serving!.kvCacheTokens, none.serving!.kvCacheTokens);
  const big = estimateInferenceService(service(spec), cluster('H100-SXM-80GB', 16, 1));
  assert.ok(!big.assumptions.some((a) => a.startsWith('Pipeline parallel')));
  const nvl = cluster('GB200-186GB', 4, 18);
  nvl.spec.interconnect = { ...nvl.spec.interconnect, nvlinkDomain: 72 };
  const rack = estimateInferenceService(service(spec), nvl);
  assert.ok(!rack.assumptions.some((a) => a.startsWith('Pipeline parallel')), rack.assumptions.join('\n'));
  // Bad input stays the estimator's: a pipeline longer than the model.
  const bad = estimateInferenceService(service({ ...spec, pipelineParallel: 200 }), undefined);
  assert.ok(bad.findings.some((f) => f.code === 'bad-estimate-input'));
});

test("a tensor size past every bound: one error at the value, none about the nodes Gantry computed from it; a GPU count past a node's is said in the file's own key", () => {
  const text = line('--tensor-parallel-size 99999999999999999999');
  const c = checkText(text, '/w/huge.sh');
  const errors = c.problems.filter((p) => p.severity === 'error');
  assert.equal(errors.length, 1, errors.map((p) => p.message).join(' | '));
  assert.match(errors[0].message, /^--tensor-parallel-size must be at most/);
  const sky = 'resources:\n  accelerators: H100:999999999\nrun: |\n  vllm serve meta-llama/Llama-3.1-8B-Instruct\n';
  const s = checkText(sky, '/w/sky.yaml').problems.find((p) => p.code === 'schema-range');
  assert.match(s?.message ?? '', /^resources\.accelerators must be at most 72/);
});

test('a flag value of thousands of digits is "far too large", not "not a whole number"; the message quotes a short prefix', () => {
  const digits = '9'.repeat(5000);
  const c = checkText(line(`--max-model-len ${digits}`), '/w/digits.sh');
  const p = c.problems.find((x) => x.code === 'foreign-flag-value');
  assert.match(p?.message ?? '', /^--max-model-len '9+…?' is far too large \(5000 digits\)/);
  assert.ok((p?.message.length ?? 0) < 300);
});
