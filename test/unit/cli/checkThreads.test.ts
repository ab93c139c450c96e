// `gantry check` over many files with worker threads (cli/commands/check.ts CheckPool): the
// results are the same, in the same order, as one thread's, whatever the number of threads. The
// tree mixes what makes a file's check depend on its folder (a Cluster name defined in every
// folder, a duplicate within one folder, a job whose cluster is defined only in a parent folder)
// with foreign configs and an explicitly named file that is not a spec (reported as skipped).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkOne, checkPaths, defaultThreads, MAX_THREADS, PARALLEL_MIN_FILES } from '../../../cli/commands/check';
import type { ClusterIndex } from '../../../core/spec/clusters';
import { repo } from '../helpers';

const script = repo('dist/cli-commands.js');

function tree(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-threads-'));
  const examples = readdirSync(repo('examples')).filter((f) => f.endsWith('.yaml'));
  // A Cluster only the parent folder defines: the jobs below that use it resolve upwards.
  writeFileSync(path.join(dir, 'shared.gantry.yaml'), 'apiVersion: gantry/v1\nkind: Cluster\nmetadata:\n  name: parent-only\nspec:\n  scheduler:\n    type: local\n  nodes:\n    count: 1\n    gpu:\n      model: H100-SXM-80GB\n      count: 8\n');
  for (let i = 0; i < 40; i++) {
    const p = path.join(dir, 'projects', `p${String(i).padStart(2, '0')}`);
    mkdirSync(p, { recursive: true });
    for (const f of examples) copyFileSync(repo('examples', f), path.join(p, f));
    if (i % 3 === 0) copyFileSync(repo('examples', 'local.gantry.yaml'), path.join(p, 'local-again.gantry.yaml'));
    if (i % 4 === 1) writeFileSync(path.join(p, 'broken.gantry.yaml'), 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: x\nspec:\n  cluster: nowhere\n  model: [unclosed\n');
    if (i % 5 === 2) writeFileSync(path.join(p, 'up.gantry.yaml'), 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: up\nspec:\n  cluster: parent-only\n  model:\n    name: llama3-8b\n');
    if (i % 7 === 3) copyFileSync(repo('test/fixtures/foreign/serving/deployment.yaml'), path.join(p, 'deployment.yaml'));
    if (i % 7 === 4) copyFileSync(repo('test/fixtures/foreign/serving/Dockerfile'), path.join(p, 'Dockerfile'));
  }
  writeFileSync(path.join(dir, 'notes.yaml'), 'just: notes\n');
  return dir;
}

test('gantry check: worker threads give the same results, in the same order, as one thread', { skip: existsSync(script) ? false : 'dist/cli-commands.js is not built' }, async () => {
  const dir = tree();
  const cwd = process.cwd();
  try {
    process.chdir(dir);
    const paths = ['.', 'notes.yaml'];
    const one = await checkPaths(paths, '.', { threads: 1 });
    assert.equal(one.threads, 1);
    assert.ok(
      one.results.some((r) => r.code === 'duplicate-cluster'),
      'the tree has duplicates within a folder',
    );
    assert.ok(
      one.results.some((r) => r.severity === 'error' && r.file.endsWith('broken.gantry.yaml')),
      'the tree has YAML errors',
    );
    assert.deepEqual(one.skipped, ['notes.yaml']);
    for (const threads of [2, 3]) {
      const many = await checkPaths(paths, '.', { threads, workerScript: script });
      assert.equal(many.threads, threads, 'the workers ran');
      assert.deepEqual(many.results, one.results);
      assert.deepEqual(many.skipped, one.skipped);
      assert.equal(many.checked, one.checked);
      assert.deepEqual(many.unreadable, one.unreadable);
    }
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gantry check: the default thread count leaves one free core to V8, and uses one thread for small trees or busy machines', () => {
  const many = PARALLEL_MIN_FILES;
  assert.equal(defaultThreads(many - 1, 16, 0), 1, 'below the file threshold');
  assert.equal(defaultThreads(many, 1, 0), 1, 'one core');
  assert.equal(defaultThreads(many, 2, 0), 1, 'two idle cores: a worker bought nothing there (docs/performance.md)');
  assert.equal(defaultThreads(many, 4, 0), 3, 'four idle cores');
  assert.equal(defaultThreads(many, 4, 2), 1, 'four cores, two busy');
  assert.equal(defaultThreads(many, 16, 0), MAX_THREADS, 'capped');
  assert.equal(defaultThreads(many, 16, 40), 1, 'an overloaded machine');
});

test('gantry check: files of Clusters only, checked as their folder is indexed, get what a check against the whole index gives', async () => {
  const dir = tree();
  const cwd = process.cwd();
  const cluster = (name: string) => `apiVersion: gantry/v1\nkind: Cluster\nmetadata:\n  name: ${name}\nspec:\n  scheduler:\n    type: local\n  nodes:\n    count: 1\n    gpu:\n      model: H100-SXM-80GB\n      count: 8\n`;
  try {
    // A Cluster only the last folder defines, used from the first (resolved across folders, after
    // the walk), by a file that holds a Cluster too (so it is not checked early); one name twice in
    // one folder across two Cluster-only files, one of them with a blank document; the same name
    // in two sibling folders (no duplicate).
    writeFileSync(path.join(dir, 'projects', 'p39', 'late.gantry.yaml'), cluster('only-late'));
    writeFileSync(path.join(dir, 'projects', 'p00', 'mixed.gantry.yaml'), `${cluster('mixed-own')}---\napiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: uses-late\nspec:\n  cluster: only-late\n  model:\n    name: llama3-8b\n`);
    writeFileSync(path.join(dir, 'projects', 'p01', 'twin-a.gantry.yaml'), cluster('twin'));
    writeFileSync(path.join(dir, 'projects', 'p01', 'twin-b.gantry.yaml'), `---\n${cluster('twin')}`);
    writeFileSync(path.join(dir, 'projects', 'p02', 'sib.gantry.yaml'), cluster('sibling'));
    writeFileSync(path.join(dir, 'projects', 'p03', 'sib.gantry.yaml'), cluster('sibling'));
    process.chdir(dir);
    const got = await checkPaths(['.'], '.', { threads: 1 });
    const { Workspace, pathToUri } = await import('../../../core/workspace/workspace');
    const ws = new Workspace();
    ws.configureSync([pathToUri(dir)]);
    ws.scanSync([pathToUri(dir)]);
    const byFile = (rel: string) => got.results.filter((r) => r.file === rel);
    for (const rel of ['projects/p00/mixed.gantry.yaml', 'projects/p01/twin-a.gantry.yaml', 'projects/p01/twin-b.gantry.yaml', 'projects/p02/sib.gantry.yaml', 'projects/p39/late.gantry.yaml', 'projects/p00/local.gantry.yaml', 'projects/p00/local-again.gantry.yaml', 'projects/p05/cluster.gantry.yaml']) {
      const abs = path.join(dir, rel);
      const whole = checkOne(abs, readFileSync(abs, 'utf8'), ws.clusters, undefined, dir);
      assert.deepEqual(byFile(rel), whole.results, rel);
    }
    assert.ok(
      byFile('projects/p01/twin-b.gantry.yaml').some((r) => r.code === 'duplicate-cluster'),
      'a duplicate within one folder is found by the early check',
    );
    assert.ok(!byFile('projects/p02/sib.gantry.yaml').some((r) => r.code === 'duplicate-cluster'), 'sibling folders are different scopes');
    assert.ok(!byFile('projects/p00/mixed.gantry.yaml').some((r) => r.code === 'unknown-cluster'), 'a job resolves a Cluster from a folder walked after its own');
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gantry check: the folder walk finds specs in nested folders, skips dot folders and node_modules, and names a missing path', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-walk-'));
  const cwd = process.cwd();
  const job = (name: string) => `apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: ${name}\nspec:\n  cluster: nowhere\n  model:\n    name: llama3-8b\n`;
  try {
    for (const [rel, text] of [
      ['a.gantry.yaml', job('a')],
      ['deep/er/still/b.gantry.yaml', job('b')],
      ['.hidden/c.gantry.yaml', job('c')],
      ['node_modules/pkg/d.gantry.yaml', job('d')],
      ['deep/readme.md', job('not-a-candidate')],
    ] as const) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    process.chdir(dir);
    const r = await checkPaths(['.', 'missing-folder'], '.', { threads: 1 });
    assert.equal(r.checked, 2);
    assert.deepEqual([...new Set(r.results.map((x) => x.file))].sort(), ['a.gantry.yaml', path.join('deep', 'er', 'still', 'b.gantry.yaml')]);
    assert.deepEqual(r.unreadable, ["cannot read 'missing-folder': no such file or folder"]);
    // A named device is never opened (a read of /dev/zero would never end); a huge argument is quoted short.
    const odd = await checkPaths(['/dev/zero', 'x'.repeat(100_000)], '.', { threads: 1 });
    assert.equal(odd.unreadable[0], "cannot read '/dev/zero': not a regular file or folder");
    assert.ok(odd.unreadable[1].startsWith(`cannot read '${'x'.repeat(512)}…'`) && odd.unreadable[1].length < 600, odd.unreadable[1].slice(0, 100));
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gantry check: a failure in Gantry itself on one file is an error of that file, not the end of the run', () => {
  const broken = {
    scopedTo() {
      throw new RangeError('Maximum call stack size exceeded');
    },
  } as unknown as ClusterIndex;
  const out = checkOne(path.join(process.cwd(), 'x.gantry.yaml'), 'apiVersion: gantry/v1\nkind: Cluster\n', broken, undefined, process.cwd());
  assert.equal(out.gantry, true);
  assert.equal(out.results.length, 1);
  assert.equal(out.results[0].code, 'check-failed');
  assert.equal(out.results[0].severity, 'error');
  assert.match(out.results[0].message, /^Gantry failed while checking this file \(RangeError: Maximum call stack size exceeded\)/);
});
