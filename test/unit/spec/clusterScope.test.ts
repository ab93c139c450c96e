// The cluster scoping rule at scale and with shared cluster folders (issue 14): the index kept up to
// date file by file gives the same answers as the rule computed from scratch; `gantry.clusterFolders`
// and a root gantry.yaml's `clusterFolders` put shared folders before the rest of the workspace, and
// the server's Workspace, `gantry check` and the run path's scanClustersSync agree on it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterIndex, folderOf, sharedDepth } from '../../../core/spec/clusters';
import type { ClusterEntry } from '../../../core/validate/rules';
import { Workspace, pathToUri, projectConfigOf, resolveClusterEntry, scanClustersSync } from '../../../core/workspace/workspace';
import { checkPaths } from '../../../cli/commands/check';

const entry = (name: string, file: string, docIndex = 0, tag = ''): ClusterEntry => ({
  name,
  file,
  docIndex,
  nameOffset: 0,
  nameLength: name.length,
  doc: { apiVersion: 'gantry/v1', kind: 'Cluster', metadata: { name }, spec: { tag } } as never,
});

/** The rule computed from scratch (no shared folders): the folder sharing the most leading names wins; ties go to the smaller folder. */
function reference(all: ClusterEntry[], name: string, file: string): string[] {
  const own = folderOf(file);
  const entries = all.filter((e) => e.name === name);
  let best = -1;
  let folder = '';
  for (const e of entries) {
    const f = folderOf(e.file);
    const d = f === own ? Infinity : sharedDepthBySplit(f, own);
    if (d > best || (d === best && f < folder)) (best = d), (folder = f);
  }
  return entries
    .filter((e) => folderOf(e.file) === folder)
    .map((e) => `${e.file}#${e.docIndex}`)
    .sort((a, b) => Number(b.startsWith(file + '#')) - Number(a.startsWith(file + '#')) || (a < b ? -1 : 1));
}

function sharedDepthBySplit(a: string, b: string): number {
  const x = a.split(/[\\/]/);
  const y = b.split(/[\\/]/);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

test('sharedDepth counts common leading folder names like splitting does', () => {
  const cases = ['', '/', '/a', '/a/b', '/a/bc', '/ab/c', 'a/b', 'a\\b', '/a/b/c', 'file:///w/p1', 'file:///w/p10', 'file:///w'];
  for (const a of cases) for (const b of cases) assert.equal(sharedDepth(a, b), sharedDepthBySplit(a, b), `${JSON.stringify(a)} ${JSON.stringify(b)}`);
});

test('the index updated file by file answers as the rule computed from scratch', () => {
  // A seeded walk of sets and deletes over a small tree; after each step every lookup is compared.
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const folders = ['/w', '/w/a', '/w/a/x', '/w/a/y', '/w/b', '/w/b/x', '/w/bb', '/w/c/d/e'];
  const files = folders.flatMap((f) => [`${f}/one.yaml`, `${f}/two.yaml`]);
  const names = ['box', 'pod', 'gpu'];
  const index = new ClusterIndex();
  const state = new Map<string, ClusterEntry[]>();
  for (let step = 0; step < 400; step++) {
    const file = files[rand(files.length)];
    const n = rand(3);
    const entries = Array.from({ length: n }, (_, i) => entry(names[rand(names.length)], file, i, String(rand(2))));
    index.set(file, entries);
    if (entries.length) state.set(file, entries);
    else state.delete(file);
    const all = [...state.values()].flat();
    for (const from of files)
      for (const name of names) {
        const got = index
          .scopedTo(from)
          .all(name)
          .map((e) => `${e.file}#${e.docIndex}`);
        assert.deepEqual(got, reference(all, name, from), `step ${step}: ${name} from ${from}`);
      }
  }
});

test('a change is reported once: same clusters again do not bump the generation, new offsets are kept', () => {
  const index = new ClusterIndex();
  assert.equal(index.delete('/w/none.yaml'), false, 'deleting a file with no clusters changes nothing');
  assert.equal(index.set('/w/a.yaml', [entry('box', '/w/a.yaml')]), true);
  const g = index.generation;
  const moved = { ...entry('box', '/w/a.yaml'), nameOffset: 40 };
  assert.equal(index.set('/w/a.yaml', [moved]), false);
  assert.equal(index.generation, g);
  assert.equal(index.scopedTo('/w/job.yaml').get('box')?.nameOffset, 40);
  assert.equal(index.set('/w/a.yaml', [entry('box', '/w/a.yaml', 0, 'changed')]), true);
  assert.ok(index.generation > g);
});

test('shared cluster folders come after the nearer scopes and before the rest of the workspace', () => {
  const index = new ClusterIndex();
  index.configure({ roots: ['/w'], shared: ['/w/infra/clusters'] });
  index.set('/w/infra/clusters/pods.yaml', [entry('box', '/w/infra/clusters/pods.yaml'), entry('gpu', '/w/infra/clusters/pods.yaml')]);
  index.set('/w/teams/a/clusters/box.yaml', [entry('box', '/w/teams/a/clusters/box.yaml')]);
  index.set('/w/aaa/box.yaml', [entry('box', '/w/aaa/box.yaml'), entry('gpu', '/w/aaa/box.yaml')]);
  // Team a's own box wins (its project's subtree is nearer than anything shared).
  assert.equal(index.scopedTo('/w/teams/a/jobs/train.yaml').get('box')?.file, '/w/teams/a/clusters/box.yaml');
  // Team b has no box of its own, and nothing under /w/teams/b: the shared one, not team a's, nor /w/aaa's.
  assert.equal(index.scopedTo('/w/teams/b/jobs/train.yaml').get('box')?.file, '/w/teams/a/clusters/box.yaml', 'teams/ is a parent of teams/b: its subtree comes first');
  assert.equal(index.scopedTo('/w/other/jobs/train.yaml').get('box')?.file, '/w/infra/clusters/pods.yaml', 'the shared folder before /w/aaa');
  assert.equal(index.scopedTo('/w/other/jobs/train.yaml').get('gpu')?.file, '/w/infra/clusters/pods.yaml');
  // Without the shared folder the tie at the root's level goes to the smaller folder name.
  index.configure({ roots: ['/w'] });
  assert.equal(index.scopedTo('/w/other/jobs/train.yaml').get('box')?.file, '/w/aaa/box.yaml');
  // A Cluster in the root folder itself comes before the shared folders.
  index.configure({ roots: ['/w'], shared: ['/w/infra/clusters'] });
  index.set('/w/root.yaml', [entry('box', '/w/root.yaml')]);
  assert.equal(index.scopedTo('/w/other/jobs/train.yaml').get('box')?.file, '/w/root.yaml');
  // Two shared folders: the first listed first; a duplicate is one only within one folder.
  index.delete('/w/root.yaml');
  index.set('/w/shared2/a.yaml', [entry('box', '/w/shared2/a.yaml')]);
  index.set('/w/shared2/b.yaml', [entry('box', '/w/shared2/b.yaml')]);
  index.configure({ roots: ['/w'], shared: ['/w/shared2', '/w/infra/clusters'] });
  assert.deepEqual(
    index
      .scopedTo('/w/other/train.yaml')
      .all('box')
      .map((e) => e.file),
    ['/w/shared2/a.yaml', '/w/shared2/b.yaml'],
  );
  assert.deepEqual(index.scopedTo('/w/other/train.yaml').names(), ['box'], 'the names of the nearest scope that has any');
});

test('gantry.yaml clusterFolders: read leniently', () => {
  assert.deepEqual(projectConfigOf('clusterFolders: [infra/clusters, shared]\n').clusterFolders, ['infra/clusters', 'shared']);
  assert.deepEqual(projectConfigOf('clusterFolders: infra\n').clusterFolders, []);
  assert.deepEqual(projectConfigOf('clusterFolders: [1, "", ok]\n').clusterFolders, ['ok']);
  assert.deepEqual(projectConfigOf(': : [').clusterFolders, []);
  assert.deepEqual(projectConfigOf('a: &a [*a, *a, *a]\nclusterFolders: [x]\n').clusterFolders, ['x']);
});

test('the server, gantry check and the run path agree on shared cluster folders (gantry.yaml and the setting)', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gantry-scope-'));
  try {
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    const cluster = (name: string, type: string) => `apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: ${name} }\nspec:\n  scheduler: { type: ${type}${type === 'slurm' ? ', partition: gpu' : ''} }\n  nodes: { count: 1, gpu: { model: H100-SXM-80GB, count: 8 } }\n`;
    write('aaa/box.gantry.yaml', cluster('box', 'local'));
    write('infra/clusters/box.gantry.yaml', cluster('box', 'slurm'));
    write('setting/box.gantry.yaml', cluster('box', 'slurm'));
    const job = 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: t }\nspec:\n  cluster: box\n  resources: { nodes: 1, gpusPerNode: 8 }\n  model: { preset: llama-3-8b }\n  command: [python, train.py]\n';
    write('proj/jobs/train.gantry.yaml', job);
    const jobFile = path.join(root, 'proj/jobs/train.gantry.yaml');
    const spec = { cluster: 'box' };
    const via = async (settingFolders: string[]) => {
      const ws = new Workspace();
      await ws.configure([pathToUri(root)], settingFolders);
      await ws.scan([pathToUri(root)]);
      const server = resolveClusterEntry(ws.clusters, pathToUri(jobFile), spec)?.file;
      const cli = new Workspace();
      cli.configureSync([pathToUri(root)], settingFolders);
      cli.scanSync([pathToUri(root)]);
      const check = resolveClusterEntry(cli.clusters, pathToUri(jobFile), spec)?.file;
      const run = resolveClusterEntry(scanClustersSync(jobFile, { root, clusterFolders: settingFolders }), jobFile, spec)?.file;
      return { server: server && path.relative(root, new URL(server).pathname), check: check && path.relative(root, new URL(check).pathname), run: run && path.relative(root, run) };
    };
    const aaa = path.join('aaa', 'box.gantry.yaml');
    assert.deepEqual(await via([]), { server: aaa, check: aaa, run: aaa }, 'no shared folder: the tie at the root goes to the smaller folder');
    write('gantry.yaml', 'clusterFolders: [infra/clusters]\n');
    const infra = path.join('infra', 'clusters', 'box.gantry.yaml');
    assert.deepEqual(await via([]), { server: infra, check: infra, run: infra }, 'gantry.yaml');
    const setting = path.join('setting', 'box.gantry.yaml');
    assert.deepEqual(await via(['setting']), { server: setting, check: setting, run: setting }, 'the setting comes before gantry.yaml');
    // gantry check runs with the root's gantry.yaml: one box, a Slurm one, so no local-only finding.
    const checked = await checkPaths([jobFile], root);
    assert.equal(checked.results.filter((r) => r.code === 'duplicate-cluster' || r.code === 'unknown-cluster').length, 0, JSON.stringify(checked.results));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
