import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { sbatchDirectiveQuote, shJoin, shQuote, UnquotableError } from '../../../core/runs/slurm/quote';
import { HOSTILE } from './hostile';
import { tempDir } from '../helpers';

/** Runs `printf '%s\0' <words>` in `shell` and returns the words it received. */
function roundTrip(shell: string, words: string): { argv: string[]; dir: string } {
  const dir = tempDir('gantry-quote-');
  const r = spawnSync(shell, ['-c', `printf '%s\\0' ${words}`], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { argv: r.stdout.split('\0').slice(0, -1), dir };
}

for (const shell of ['bash', 'sh']) {
  test(`shJoin round-trips every hostile value through ${shell} and runs nothing`, () => {
    const { argv, dir } = roundTrip(shell, shJoin(HOSTILE));
    assert.deepEqual(argv, HOSTILE);
    assert.deepEqual(fs.readdirSync(dir), [], 'a quoted value ran a command');
  });
}

test('shQuote leaves plain words readable and quotes everything else', () => {
  assert.equal(shQuote('train.py'), 'train.py');
  assert.equal(shQuote('--nproc-per-node=8'), "'--nproc-per-node=8'");
  assert.equal(shQuote("it's"), `'it'\\''s'`);
  assert.equal(shQuote(''), "''");
});

test('a NUL byte cannot be quoted', () => {
  assert.throws(() => shQuote('a\0b'), UnquotableError);
});

test('shJoin twice (ssh: a command inside bash -lc) still round-trips', () => {
  const inner = shJoin(['printf', '%s\\0', ...HOSTILE]);
  const dir = tempDir('gantry-quote-');
  const r = spawnSync('bash', ['-c', `bash -c ${shQuote(inner)}`], { cwd: dir, encoding: 'utf8' });
  assert.deepEqual(r.stdout.split('\0').slice(0, -1), HOSTILE);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('sbatch directive values: double quotes with \\" and \\\\ escapes; line breaks refused', () => {
  assert.equal(sbatchDirectiveQuote('a b'), '"a b"');
  assert.equal(sbatchDirectiveQuote('x"y\\z'), '"x\\"y\\\\z"');
  assert.equal(sbatchDirectiveQuote('$(id) `id` #c'), '"$(id) `id` #c"');
  assert.throws(() => sbatchDirectiveQuote('a\nb'), UnquotableError);
  assert.throws(() => sbatchDirectiveQuote('a\rb'), UnquotableError);
});
