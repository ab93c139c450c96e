// This machine's GPUs on a local Cluster: nvidia-smi's one-shot answer (the real H100 and H200
// recordings: the H100 through the replay executable, the H200 from its recorded stream) read into
// model, count and ECC mode, and the hint + fix on a local Cluster that says otherwise.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { MACHINE_QUERY_ARGS, localClusterAdvice, machineProblems, queryMachineGpus, readMachineGpus, type MachineGpus } from '../../../core/telemetry/machine';
import { PeakTracker } from '../../../core/telemetry/peak';
import { parseSpecFile } from '../../../core/spec/parse';
import type { ClusterDoc } from '../../../core/spec/types';
import { repo } from '../helpers';

const LOCAL = readFileSync(repo('examples/local.gantry.yaml'), 'utf8');
const clusterOf = (text: string) => parseSpecFile(text)[0].value as ClusterDoc;
const apply = (text: string, edits: { offset: number; length: number; newText: string }[]) => [...edits].sort((a, b) => b.offset - a.offset).reduce((t, e) => t.slice(0, e.offset) + e.newText + t.slice(e.offset + e.length), text);

test('machine: the real H100 recording, asked the one-shot query through the replay, is one H100-SXM-80GB', () => {
  const out = execFileSync(repo('test/fixtures/bin/nvidia-smi-replay'), [...MACHINE_QUERY_ARGS], { encoding: 'utf8' });
  const m = readMachineGpus(out)!;
  assert.deepEqual({ name: m.name, count: m.count, others: m.others, memTotalMiB: m.memTotalMiB, id: m.gpu?.id, ecc: m.ecc }, { name: 'NVIDIA H100 80GB HBM3', count: 1, others: 0, memTotalMiB: 81559, id: 'H100-SXM-80GB', ecc: undefined });
});

test('machine: the query as the editor runs it (an argument list, no shell) names a replay as such; a hung nvidia-smi is killed and answers nothing', async () => {
  const replayed = await queryMachineGpus([repo('test/fixtures/bin/nvidia-smi-replay')]);
  assert.equal(replayed?.source, 'nvidia-smi (replayed)');
  assert.equal(replayed?.gpu?.id, 'H100-SXM-80GB');
  assert.equal(await queryMachineGpus(['/nonexistent/nvidia-smi']), undefined);
  // A child that never answers (a driver stuck in the kernel): the limit only catches the hang, nothing is timed.
  const hung = await queryMachineGpus([process.execPath, '-e', 'setInterval(() => {}, 1000)', '--'], 300);
  assert.equal(hung, null, 'failed or hung: worth asking again later, unlike no nvidia-smi at all');
});

test('machine: the example local Cluster (a placeholder 8 × H100) on the recorded H200 gets a hint at nodes.gpu and a fix that agrees after', () => {
  // The H200 recording's stream columns: timestamp, index, uuid, name, util.gpu, util.mem, mem.used, mem.total, …
  const rows = readFileSync(repo('test/fixtures/nvidia-smi/h200-stream.csv'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 1)
    .map((l) => l.split(', '))
    .map((c) => `${c[1]}, ${c[3]}, ${c[7]}`);
  const m = readMachineGpus(rows.join('\n'))!;
  assert.equal(m.gpu?.id, 'H200-SXM-141GB');
  assert.equal(m.memTotalMiB, 143771);
  const [p] = machineProblems(LOCAL, parseSpecFile(LOCAL), m);
  assert.ok(p);
  assert.equal(p.code, 'local-gpus-differ');
  assert.equal(p.severity, 'hint');
  assert.equal(LOCAL.slice(p.offset, p.offset + p.length), 'gpu');
  assert.match(p.message, /^This machine has 1 × 'NVIDIA H200' \(143,771 MiB each, from nvidia-smi\); cluster 'local' says 8 × 'H100-SXM-80GB'\. Jobs on a local Cluster run here/);
  const [fix] = p.fixes!;
  assert.equal(fix.title, "Set nodes.gpu to this machine's: 1 × H200-SXM-141GB");
  const after = apply(LOCAL, fix.edits);
  assert.match(after, /model: H200-SXM-141GB\n\s+count: 1\n/);
  assert.equal(localClusterAdvice(clusterOf(after), m), undefined, 'the fixed Cluster agrees with the machine');
  assert.deepEqual(machineProblems(after, parseSpecFile(after), m), []);
});

// The lines below are written in nvidia-smi's one-shot format (index, name, memory.total), not recorded: no
// RTX 6000 Ada or unlisted card was lent to record them.
const line = (i: number, name: string, mib: number) => `${i}, ${name}, ${mib}`;
const cluster = (gpu: string, type = 'local') => clusterOf(`apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: ws }\nspec:\n  scheduler: { type: ${type} }\n  nodes: { count: 1, gpu: ${gpu} }\n`);

test('machine: a switchable-ECC card reads its ECC mode from the framebuffer total; the fix writes ecc only where it is not the default', () => {
  const off = readMachineGpus([line(0, 'NVIDIA RTX 6000 Ada Generation', 49140), line(1, 'NVIDIA RTX 6000 Ada Generation', 49140)].join('\n'))!;
  assert.deepEqual([off.gpu?.id, off.count, off.ecc], ['RTX-6000-Ada-48GB', 2, 'off']);
  const a = localClusterAdvice(cluster('{ model: RTX-6000-Ada-48GB, count: 2 }'), off)!;
  assert.match(a.message, /2 × 'NVIDIA RTX 6000 Ada Generation' \(49,140 MiB each, ECC off, from nvidia-smi\)/);
  assert.deepEqual(a.edits.at(-1), { path: ['spec', 'nodes', 'gpu', 'ecc'], value: false });
  assert.equal(a.title, "Set nodes.gpu to this machine's: 2 × RTX-6000-Ada-48GB, ECC off");
  assert.equal(localClusterAdvice(cluster('{ model: RTX-6000-Ada-48GB, count: 2, ecc: false }'), off), undefined);
  const on = readMachineGpus(line(0, 'NVIDIA RTX 6000 Ada Generation', 46068))!;
  assert.equal(on.ecc, 'on');
  assert.equal(localClusterAdvice(cluster('{ model: rtx-6000-ada, count: 1 }'), on), undefined, 'an alias of the same card, ECC as the catalog assumes');
  // A given memoryGiB is the user's reading: the ECC mode is not second-guessed.
  assert.equal(localClusterAdvice(cluster('{ model: RTX-6000-Ada-48GB, count: 2, memoryGiB: 47.4 }'), off), undefined);
  // A total within 2 % of neither mode (a vGPU slice) says no mode at all.
  assert.equal(readMachineGpus(line(0, 'NVIDIA RTX 6000 Ada Generation', 24000))!.ecc, undefined);
});

test("machine: the fix replaces figures the Cluster gave for another card with this card's, and flags a link that is not this card's", () => {
  const off = readMachineGpus([line(0, 'NVIDIA RTX 6000 Ada Generation', 49140), line(1, 'NVIDIA RTX 6000 Ada Generation', 49140)].join('\n'))!;
  const text = `apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: ws }\nspec:\n  scheduler: { type: local }\n  nodes:\n    count: 1\n    gpu:\n      model: Acme X1\n      count: 2\n      memoryGiB: 23.9\n      peakBf16Tflops: 200\n  interconnect: { intraNode: { type: nvlink4 } }\n`;
  const [p] = machineProblems(text, parseSpecFile(text), off);
  assert.match(p.message, /interconnect\.intraNode says 'nvlink4'; the catalog's link for RTX-6000-Ada-48GB is pcie4: check it\./);
  const after = apply(text, p.fixes![0].edits);
  const gpu = clusterOf(after).spec!.nodes!.gpu!;
  // memoryGiB becomes the card's in the mode it shows, ECC off: the catalog's 44.43 GiB (ECC on) + 3 GiB (so no `ecc`
  // is written beside it); the peak is the card's; the count of 2 (the machine's) stays.
  assert.deepEqual({ ...gpu }, { model: 'RTX-6000-Ada-48GB', count: 2, memoryGiB: 47.43, peakBf16Tflops: 364.2 });
  assert.equal(localClusterAdvice(clusterOf(after), off), undefined);
});

test('machine: which Clusters are about this machine, counts that can be meant, readings that stay, and edits that stay valid YAML', () => {
  const h100 = readMachineGpus([0, 1, 2, 3, 4, 5, 6, 7].map((i) => line(i, 'NVIDIA H100 80GB HBM3', 81559)).join('\n'))!;
  // A Cluster that names no scheduler runs locally (core/runs/plan.ts): it is about this machine too.
  const none = clusterOf('apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: ws }\nspec:\n  nodes: { count: 1, gpu: { model: A100-SXM-80GB, count: 8 } }\n');
  assert.equal(localClusterAdvice(none, h100)?.edits[0].value, 'H100-SXM-80GB');
  // Two of eight: a shared box (nvidia-smi lists every GPU whatever CUDA_VISIBLE_DEVICES says); sixteen cannot run here.
  assert.equal(localClusterAdvice(cluster('{ model: H100-SXM-80GB, count: 2 }'), h100), undefined);
  assert.deepEqual(localClusterAdvice(cluster('{ model: H100-SXM-80GB, count: 16 }'), h100)?.edits, [{ path: ['spec', 'nodes', 'gpu', 'count'], value: 8 }]);
  // The right card with the user's memoryGiB (a MIG slice): only the count is fixed, the reading stays.
  assert.deepEqual(localClusterAdvice(cluster('{ model: H100-SXM-80GB, count: 16, memoryGiB: 10 }'), h100)?.edits, [{ path: ['spec', 'nodes', 'gpu', 'count'], value: 8 }]);
  // A flow mapping gets the missing key inside its braces; the result parses and agrees.
  const ada = readMachineGpus(line(0, 'NVIDIA RTX 6000 Ada Generation', 49140))!;
  const flow = 'apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: ws }\nspec:\n  scheduler: { type: local }\n  nodes: { count: 1, gpu: { model: L40S-48GB, count: 1 } }\n';
  const [p] = machineProblems(flow, parseSpecFile(flow), ada);
  const fixed = apply(flow, p.fixes![0].edits);
  assert.match(fixed, /gpu: \{ model: RTX-6000-Ada-48GB, count: 1, ecc: false \}/);
  assert.equal(localClusterAdvice(clusterOf(fixed), ada), undefined);
  // An empty `gpu: {}` would take three inserts at one place: the hint stays, with no fix that would run them together.
  const empty = flow.replace('gpu: { model: L40S-48GB, count: 1 }', 'gpu: {}');
  const [q] = machineProblems(empty, parseSpecFile(empty), ada);
  assert.ok(q);
  assert.deepEqual(q.fixes, []);
  // The second document of a file is found and anchored in it.
  const two = `apiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: j }\nspec: { cluster: ws }\n---\n${flow}`;
  const [r] = machineProblems(two, parseSpecFile(two), ada);
  assert.equal(r.docIndex, 1);
  assert.equal(two.slice(r.offset, r.offset + r.length), 'gpu');
});

test('machine: a run keeps the smallest one-GPU framebuffer total of its telemetry (an aggregate of several GPUs is not one card)', () => {
  const t = new PeakTracker();
  t.add({ t: 0, host: 'h', gpu: 0, memUsedMiB: 1000, memTotalMiB: 49140 });
  t.add({ t: 0, host: 'h', gpu: 1, memUsedMiB: 3000, memTotalMiB: 46068 });
  t.add({ t: 0, host: 'h', gpu: -1, gpus: 8, memUsedMiB: 2000, memTotalMiB: 8 * 46068 });
  const r = t.result('nvidia-smi')!;
  assert.equal(r.deviceTotalMiB, 46068);
  assert.equal(r.peakDeviceGiB, Math.round((3000 / 1024) * 100) / 100);
  const none = new PeakTracker();
  none.add({ t: 0, host: 'h', gpu: 0, memUsedMiB: 10 });
  assert.equal(none.result('nvidia-smi')!.deviceTotalMiB, undefined);
});

test('machine: a card the catalog lacks is described by its name and memory; mixed boxes, non-local Clusters and odd output', () => {
  const m = readMachineGpus([line(0, 'NVIDIA RTX PRO 2000 Blackwell', 16311), line(1, 'NVIDIA RTX PRO 2000 Blackwell', 16311), line(2, 'NVIDIA GeForce GT 1030', 2001)].join('\n'))!;
  assert.deepEqual([m.name, m.count, m.others, m.gpu], ['NVIDIA RTX PRO 2000 Blackwell', 2, 1, undefined]);
  // The RTX PRO 4000 Blackwell (24467 MiB), once unknown here too, is in the catalog now.
  assert.equal(readMachineGpus(line(0, 'NVIDIA RTX PRO 4000 Blackwell', 24467))!.gpu?.id, 'RTX-PRO-4000-Blackwell-24GB');
  const a = localClusterAdvice(cluster('{ model: H100-SXM-80GB, count: 8 }'), m)!;
  assert.deepEqual(a.edits, [
    { path: ['spec', 'nodes', 'gpu', 'model'], value: 'NVIDIA RTX PRO 2000 Blackwell' },
    { path: ['spec', 'nodes', 'gpu', 'count'], value: 2 },
    { path: ['spec', 'nodes', 'gpu', 'memoryGiB'], value: 15.93 },
  ]);
  assert.match(a.message, /and 1 GPU of another model; .*The catalog does not know 'NVIDIA RTX PRO 2000 Blackwell'/);
  assert.equal(localClusterAdvice(cluster("{ model: 'NVIDIA RTX PRO 2000 Blackwell', count: 2, memoryGiB: 15.9 }"), m), undefined);
  // Only a local Cluster is about this machine.
  assert.equal(localClusterAdvice(cluster('{ model: H100-SXM-80GB, count: 8 }', 'slurm'), m), undefined);
  // No GPU, an error, a listing no node holds: nothing to say.
  const none: (MachineGpus | undefined)[] = [readMachineGpus('No devices were found\n'), readMachineGpus(''), readMachineGpus("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."), readMachineGpus(Array.from({ length: 100 }, (_, i) => line(i, 'NVIDIA H100 80GB HBM3', 81559)).join('\n'))];
  assert.deepEqual(none, [undefined, undefined, undefined, undefined]);
  // A long name from a broken driver is cut before it is quoted.
  const long = readMachineGpus(line(0, 'X'.repeat(5000), 1000))!;
  assert.ok(long.name.length <= 80);
  assert.ok(localClusterAdvice(cluster('{ model: H100-SXM-80GB, count: 1 }'), long)!.message.length < 600);
});
