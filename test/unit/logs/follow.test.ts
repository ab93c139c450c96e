// Following log files by offset: nothing lost or repeated across a restart, long and binary lines.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { followFile } from '../../../core/logs/follow';
import { tempDir } from '../runs/helpers';

test('lines appended after start arrive; a partial line waits for its newline', () => {
  const file = path.join(tempDir(), 'out.log');
  fs.writeFileSync(file, 'one\ntw');
  const got: string[] = [];
  const f = followFile(file, (l) => got.push(...l), { pollMs: 10_000 });
  assert.deepEqual(got, ['one']);
  fs.appendFileSync(file, 'o\nthree\n');
  f.drain();
  assert.deepEqual(got, ['one', 'two', 'three']);
  assert.equal(f.offset, fs.statSync(file).size);
  f.stop();
});

test('a follower restarted from the saved offset neither loses nor repeats a line', () => {
  const file = path.join(tempDir(), 'out.log');
  fs.writeFileSync(file, 'a\nb\nc');
  const first: string[] = [];
  const f1 = followFile(file, (l) => first.push(...l), { pollMs: 10_000 });
  const saved = f1.offset;
  f1.stop();
  fs.appendFileSync(file, 'd\ne\n');
  const second: string[] = [];
  const f2 = followFile(file, (l) => second.push(...l), { offset: saved, pollMs: 10_000 });
  f2.stop();
  assert.deepEqual([...first, ...second], ['a', 'b', 'cd', 'e']);
});

test('a 10 MB line is delivered cut, and the next line whole', () => {
  const file = path.join(tempDir(), 'out.log');
  fs.writeFileSync(file, 'x'.repeat(10 * 1024 * 1024) + '\nafter\n');
  const got: string[] = [];
  const f = followFile(file, (l) => got.push(...l), { pollMs: 10_000, chunkBytes: 1 << 20 });
  f.drain();
  f.stop();
  assert.equal(got.length, 2);
  assert.match(got[0], /… \[line of 10\.0 MiB cut/);
  assert.ok(got[0].length < 70_000);
  assert.equal(got[1], 'after');
});

test('binary bytes do not break lines or the follower', () => {
  const file = path.join(tempDir(), 'out.log');
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0, 1, 0xff, 0xfe, 0x1b]), Buffer.from('\nok\n')]));
  const got: string[] = [];
  const f = followFile(file, (l) => got.push(...l), { pollMs: 10_000 });
  f.stop();
  assert.equal(got.length, 2);
  assert.equal(got[1], 'ok');
});

test('a flood of 500,000 lines arrives complete and in order', () => {
  const file = path.join(tempDir(), 'out.log');
  let s = '';
  for (let i = 0; i < 500_000; i++) s += `line ${i}\n`;
  fs.writeFileSync(file, s);
  let n = 0;
  let ordered = true;
  const f = followFile(
    file,
    (lines) => {
      for (const l of lines) if (l !== `line ${n++}`) ordered = false;
    },
    { pollMs: 10_000 },
  );
  f.drain();
  f.stop();
  assert.equal(n, 500_000);
  assert.ok(ordered);
});

test('drain(final) delivers a last line without a newline', () => {
  const file = path.join(tempDir(), 'out.log');
  fs.writeFileSync(file, 'a\nno newline');
  const got: string[] = [];
  const f = followFile(file, (l) => got.push(...l), { pollMs: 10_000 });
  f.drain(true);
  f.stop();
  assert.deepEqual(got, ['a', 'no newline']);
});

test('a file that does not exist yet is picked up when it appears', () => {
  const file = path.join(tempDir(), 'later.log');
  const got: string[] = [];
  const f = followFile(file, (l) => got.push(...l), { pollMs: 10_000 });
  fs.writeFileSync(file, 'hi\n');
  f.drain();
  f.stop();
  assert.deepEqual(got, ['hi']);
});
