// `gantry check --cache` (cli/checkCache.ts): a run on the cache reports exactly what a run without it
// reports, after every kind of change a file's outcome depends on — its text, a Cluster it resolves
// (edited, added as a duplicate, removed so the name resolves elsewhere), a file it reads (a model's
// config.json, the launcher script beside a training config), its folder's names — and only the
// files that depend on the change are checked again. A cache that is not Gantry's, or a FIFO in its
// place, is said to be unusable and rebuilt; another build or --gpu starts afresh.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serialize } from 'node:v8';
import { checkPaths, type CheckPathsOptions } from '../../../cli/commands/check';
import { defaultCacheFile } from '../../../cli/checkCache';
import { repo } from '../helpers';

const script = repo('dist/cli-commands.js');

const cluster = (name: string, gpus: number, model = 'H100-SXM-80GB') => `apiVersion: gantry/v1\nkind: Cluster\nmetadata:\n  name: ${name}\nspec:\n  scheduler:\n    type: local\n  nodes:\n    count: 1\n    gpu:\n      model: ${model}\n      count: ${gpus}\n`;
const job = (name: string, clusterName: string, data = 8) =>
  `apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: ${name}\nspec:\n  cluster: ${clusterName}\n  resources:\n    nodes: 1\n    gpusPerNode: 8\n  model:\n    preset: llama-3-8b\n  precision: bf16-mixed\n  parallelism:\n    tensor: 1\n    pipeline: 1\n    data: ${data}\n  batch:\n    micro: 1\n    global: ${data}\n    sequenceLength: 4096\n`;

function tree(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-cache-'));
  writeFileSync(path.join(dir, 'shared.gantry.yaml'), cluster('parent-only', 8));
  const examples = readdirSync(repo('examples')).filter((f) => f.endsWith('.yaml'));
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, 'projects', `p${i}`);
    mkdirSync(p, { recursive: true });
    for (const f of examples) copyFileSync(repo('examples', f), path.join(p, f));
    writeFileSync(path.join(p, 'up.gantry.yaml'), job('up', 'parent-only'));
  }
  // A job whose model comes from a config.json beside it.
  const q = path.join(dir, 'projects', 'p0');
  writeFileSync(path.join(q, 'config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 128256, max_position_embeddings: 8192, torch_dtype: 'bfloat16' }));
  writeFileSync(path.join(q, 'own-config.gantry.yaml'), job('own', 'parent-only').replace('preset: llama-3-8b', 'config: ./config.json'));
  // A torchtitan config whose world size comes from a launcher script beside it, once there is one.
  const t = path.join(dir, 'titan');
  mkdirSync(t);
  copyFileSync(repo('test/fixtures/foreign/training/torchtitan/llama3_8b.toml'), path.join(t, 'llama3_8b.toml'));
  return dir;
}

/** Runs the check without and then with the cache; asserts the same report; returns the cache's figures. */
async function same(dir: string, cacheFile: string, opts: CheckPathsOptions = {}) {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const { cache: _, ...uncached } = opts;
    const plain = await checkPaths(['.'], '.', { threads: 1, ...uncached });
    const cached = await checkPaths(['.'], '.', { threads: 1, ...opts, cache: { file: cacheFile, build: 'test-build', ...opts.cache } });
    assert.deepEqual(cached.results, plain.results);
    assert.deepEqual(cached.skipped, plain.skipped);
    assert.equal(cached.checked, plain.checked);
    assert.deepEqual(cached.unreadable, plain.unreadable);
    assert.ok(cached.cache, 'the run says what the cache did');
    return { ...cached.cache!, results: plain.results };
  } finally {
    process.chdir(cwd);
  }
}

const filesIn = (dir: string): number => {
  let n = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (/\.(ya?ml|toml|json|sh|sbatch)$/.test(e.name)) n++;
    }
  };
  walk(dir);
  return n;
};

test('gantry check --cache: the same report as without it after each kind of change, re-checking only what depends on it', async () => {
  const dir = tree();
  const cacheFile = path.join(dir, '.cache', 'check.bin');
  try {
    const cold = await same(dir, cacheFile);
    assert.equal(cold.hits, 0, 'nothing stored yet');
    assert.ok(existsSync(cacheFile), 'the cache was written');
    const total = cold.hits + cold.misses;
    assert.equal(total, filesIn(dir));

    const warm = await same(dir, cacheFile);
    assert.equal(warm.hits, total, 'nothing changed: every outcome reused');

    // A file's own text.
    writeFileSync(path.join(dir, 'projects', 'p1', 'up.gantry.yaml'), job('up', 'parent-only', 4));
    let r = await same(dir, cacheFile);
    assert.equal(r.misses, 1, 'only the edited file');
    assert.ok(r.results.some((x) => x.file.endsWith(path.join('p1', 'up.gantry.yaml')) && x.severity === 'error'));

    // A Cluster in the parent folder that eight files resolve to: six up.gantry.yaml, own-config, and the
    // torchtitan config (a foreign file runs on the only Cluster of its scope, here the root's).
    writeFileSync(path.join(dir, 'shared.gantry.yaml'), cluster('parent-only', 4));
    r = await same(dir, cacheFile);
    assert.equal(r.misses, 1 + 8, 'the Cluster file and the files that resolve to it');

    // A duplicate in one project folder: that folder's Cluster files and the jobs that use the name.
    writeFileSync(path.join(dir, 'projects', 'p2', 'again.gantry.yaml'), cluster('parent-only', 8));
    r = await same(dir, cacheFile);
    assert.ok(r.misses >= 2 && r.misses <= filesIn(path.join(dir, 'projects', 'p2')), `the new file and p2's files whose lookups it changes, none elsewhere (${r.misses})`);
    writeFileSync(path.join(dir, 'projects', 'p2', 'again2.gantry.yaml'), cluster('parent-only', 2));
    r = await same(dir, cacheFile);
    assert.ok(
      r.results.some((x) => x.code === 'duplicate-cluster'),
      'two of one name in one folder',
    );

    // A Cluster removed: the name resolves to the next scope.
    unlinkSync(path.join(dir, 'projects', 'p2', 'again.gantry.yaml'));
    unlinkSync(path.join(dir, 'projects', 'p2', 'again2.gantry.yaml'));
    r = await same(dir, cacheFile);
    assert.ok(r.misses >= 1, 'p2 up.gantry.yaml resolves to the parent again');

    // A file the check reads: the model's config.json.
    writeFileSync(
      path.join(dir, 'projects', 'p0', 'config.json'),
      JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 8192, intermediate_size: 28672, num_hidden_layers: 80, num_attention_heads: 64, num_key_value_heads: 8, vocab_size: 128256, max_position_embeddings: 8192, torch_dtype: 'bfloat16' }),
    );
    r = await same(dir, cacheFile);
    assert.ok(r.misses >= 2, 'config.json itself and the job that reads it');
    unlinkSync(path.join(dir, 'projects', 'p0', 'config.json'));
    r = await same(dir, cacheFile);
    assert.ok(r.misses >= 1, 'a file gone is a change too');

    // A launcher script appears beside the torchtitan config (its folder's names change), then changes.
    const launcher = (nodes: number) => `#!/bin/bash\ntorchrun --nnodes ${nodes} --nproc_per_node 8 -m torchtitan.train --job.config_file llama3_8b.toml\n`;
    writeFileSync(path.join(dir, 'titan', 'train.sh'), launcher(2));
    r = await same(dir, cacheFile);
    assert.ok(r.misses >= 2, 'the script and the config it launches');
    writeFileSync(path.join(dir, 'titan', 'train.sh'), launcher(4));
    r = await same(dir, cacheFile);
    assert.equal(r.misses, 2, 'the script and the config that reads it');

    const last = await same(dir, cacheFile);
    assert.equal(last.misses, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gantry check --cache: another build or --gpu starts afresh; a file that is not a cache, a FIFO or a device is left as it is, without a hang', async () => {
  const dir = tree();
  const cacheFile = path.join(dir, 'check.bin');
  try {
    await same(dir, cacheFile);
    assert.equal((await same(dir, cacheFile)).misses, 0);
    assert.equal((await same(dir, cacheFile, { cache: { file: cacheFile, build: 'another-build' } })).hits, 0, 'another build');
    assert.equal((await same(dir, cacheFile, { cache: { file: cacheFile, build: 'another-build' }, settings: { gpu: 'A100-SXM-80GB' } })).hits, 0, 'another --gpu');

    // A file of the user's named by mistake is never replaced; a cache of another layout, or an empty file, is.
    const notes = path.join(dir, 'notes.md');
    writeFileSync(notes, 'my notes\n');
    let r = await same(dir, notes);
    assert.equal(r.unusable, 'not a Gantry check cache');
    assert.equal(r.unwritable, 'not a Gantry check cache: left as it is');
    assert.equal(readFileSync(notes, 'utf8'), 'my notes\n', 'left as it is');
    writeFileSync(cacheFile, serialize({ format: 999, key: 'another layout' }));
    r = await same(dir, cacheFile);
    assert.equal(r.unusable, undefined);
    assert.equal(r.hits, 0);
    assert.equal((await same(dir, cacheFile)).misses, 0, 'rebuilt');
    writeFileSync(cacheFile, '');
    await same(dir, cacheFile);
    assert.equal((await same(dir, cacheFile)).misses, 0, 'an empty file is replaced');

    // A FIFO (or a device: --cache-location /dev/null) is neither read nor replaced.
    if (process.platform !== 'win32') {
      const fifo = path.join(dir, 'fifo');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      r = await same(dir, fifo);
      assert.equal(r.unusable, 'not a regular file');
      assert.equal(r.unwritable, 'not a regular file: left as it is');
      assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
      r = await same(dir, '/dev/null');
      assert.equal(r.unusable, 'not a regular file');
      assert.ok(lstatSync('/dev/null').isCharacterDevice());
    }

    // A cache that cannot be written is said so; the report is unchanged.
    const blocked = path.join(dir, 'a-file');
    writeFileSync(blocked, '');
    r = await same(dir, path.join(blocked, 'check.bin'));
    assert.ok(r.unwritable, 'a folder that is a file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gantry check --cache: what a training config reads beside it (its DeepSpeed config) is a dependency of every job that points at it, in any folder', async () => {
  // Two folders with the same job text, each with its own Cluster of one name, both pointing at one
  // axolotl config whose DeepSpeed config then changes: both jobs are re-checked. (The reading of a
  // config is cached in the process per config path; a hit re-reads what the reading read.)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-cache-config-'));
  const cacheFile = path.join(dir, 'check.bin');
  const axolotl = readFileSync(repo('test/fixtures/foreign/training/axolotl/fft-8b-zero3.yml'), 'utf8').replace('deepspeed: ../deepspeed/zero3_bf16.json', 'deepspeed: ds.json');
  const trainJob = `apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: ft\nspec:\n  cluster: h100\n  config: ../train/ax.yml\n  resources:\n    nodes: 1\n    gpusPerNode: 8\n`;
  try {
    mkdirSync(path.join(dir, 'train'));
    writeFileSync(path.join(dir, 'train', 'ax.yml'), axolotl);
    copyFileSync(repo('test/fixtures/foreign/training/deepspeed/zero3_bf16.json'), path.join(dir, 'train', 'ds.json'));
    for (const side of ['east', 'west']) {
      mkdirSync(path.join(dir, side));
      writeFileSync(path.join(dir, side, 'cluster.gantry.yaml'), cluster('h100', 8));
      writeFileSync(path.join(dir, side, 'job.gantry.yaml'), trainJob);
    }
    await same(dir, cacheFile);
    copyFileSync(repo('test/fixtures/foreign/training/deepspeed/ds_config_mismatch.json'), path.join(dir, 'train', 'ds.json'));
    const r = await same(dir, cacheFile);
    for (const side of ['east', 'west']) {
      assert.ok(
        r.results.some((x) => x.file === path.join(side, 'job.gantry.yaml') && x.code === 'deepspeed-mismatch'),
        `${side}: the new DeepSpeed config's mismatch is reported`,
      );
    }
    assert.ok(r.misses >= 4, 'ds.json, ax.yml and both jobs');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gantry check --cache: a run over a few files keeps the stored outcomes of the others', async () => {
  const dir = tree();
  const cacheFile = path.join(dir, 'check.bin');
  const cwd = process.cwd();
  try {
    const full = await same(dir, cacheFile);
    process.chdir(dir);
    const one = await checkPaths([path.join('projects', 'p1', 'up.gantry.yaml')], '.', { threads: 1, cache: { file: cacheFile, build: 'test-build' } });
    assert.equal(one.cache?.hits, 1);
    process.chdir(cwd);
    assert.equal((await same(dir, cacheFile)).hits, full.hits + full.misses, 'the full run still finds every outcome');
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gantry check --cache: worker threads record what they read, and a later run reuses it', { skip: existsSync(script) ? false : 'dist/cli-commands.js is not built' }, async () => {
  const dir = tree();
  const cacheFile = path.join(dir, 'check.bin');
  try {
    const cold = await same(dir, cacheFile, { threads: 2, workerScript: script });
    assert.equal(cold.hits, 0);
    writeFileSync(path.join(dir, 'shared.gantry.yaml'), cluster('parent-only', 4));
    const r = await same(dir, cacheFile, { threads: 2, workerScript: script });
    assert.equal(r.misses, 1 + 8, 'the Cluster file and the files that resolve to it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gantry check --cache: the default file is per workspace, under XDG_CACHE_HOME or ~/.cache', () => {
  const a = defaultCacheFile('/repo/a', { XDG_CACHE_HOME: '/xdg' }, '/home/u');
  const b = defaultCacheFile('/repo/b', { XDG_CACHE_HOME: '/xdg' }, '/home/u');
  assert.ok(a.startsWith(path.join('/xdg', 'gantry', 'check-')) && a.endsWith('.bin'));
  assert.notEqual(a, b);
  assert.ok(defaultCacheFile('/repo/a', {}, '/home/u').startsWith(path.join('/home/u', '.cache', 'gantry')));
  assert.ok(defaultCacheFile('/repo/a', { XDG_CACHE_HOME: 'relative' }, '/home/u').startsWith(path.join('/home/u', '.cache')), 'a relative XDG_CACHE_HOME is ignored, as the spec says');
});

test('gantry check --cache as a user runs it: the default file under XDG_CACHE_HOME, the summary says what was reused, standard input is never stored', { skip: existsSync(repo('dist/cli.js')) ? false : 'dist/cli.js is not built' }, () => {
  const dir = tree();
  const xdg = path.join(dir, '.xdg');
  const gantry = (input: string, ...argv: string[]) => spawnSync(process.execPath, [repo('dist/cli.js'), 'check', ...argv], { cwd: dir, encoding: 'utf8', input, env: { ...process.env, XDG_CACHE_HOME: xdg }, timeout: 120_000 });
  try {
    const first = gantry('', '--cache', '.');
    assert.match(first.stderr, /, 0 of \d+ files' outcomes reused from the cache$/m, first.stderr);
    assert.equal(readdirSync(path.join(xdg, 'gantry')).filter((f) => /^check-[\w-]{16}\.bin$/.test(f)).length, 1, 'one cache file for the workspace');
    const second = gantry('', '--cache', '.');
    const n = /, (\d+) of (\d+) files' outcomes reused/.exec(second.stderr);
    assert.ok(n && n[1] === n[2], second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.status, first.status);
    // Standard input is checked, never stored: it is not counted either way.
    const stdin = gantry(job('piped', 'parent-only'), '--cache', '-', '--stdin-name', 'piped.gantry.yaml');
    assert.match(stdin.stderr, /, 0 of 0 files' outcomes reused/, stdin.stderr);
    const bad = gantry('', '--cache-location', '', '.');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--cache-location needs a file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
