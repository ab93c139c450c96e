// The server's workspace scan reads each YAML file with readRegularFile (open non-blocking, fstat,
// read, close), several at once; `gantry check` reads them synchronously. Both must find the same
// Clusters, and neither may read a FIFO, a device or a file past the size limit.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_REFERENCED_BYTES, readAtMost, readRegularFile, readRegularFileAsync } from '../../../core/workspace/readBeside';
import { Workspace, pathToUri } from '../../../core/workspace/workspace';

const cluster = (name: string) => `apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: ${name} }\nspec:\n  scheduler: { type: local }\n  nodes: { count: 1, gpu: { model: H100-SXM-80GB, count: 8 } }\n`;

test('readRegularFile: a file whole, never a FIFO or a directory, nothing past 1 MB; readAtMost past a stale size', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-read-'));
  try {
    writeFileSync(path.join(dir, 'a.yaml'), 'kind: Cluster\n');
    assert.equal(await readRegularFile(path.join(dir, 'a.yaml')), 'kind: Cluster\n');
    writeFileSync(path.join(dir, 'empty.yaml'), '');
    assert.equal(await readRegularFile(path.join(dir, 'empty.yaml')), '');
    writeFileSync(path.join(dir, 'big.yaml'), 'x'.repeat(MAX_REFERENCED_BYTES + 1));
    assert.deepEqual(await readRegularFile(path.join(dir, 'big.yaml')), { why: 'larger than 1 MB' });
    assert.deepEqual(await readRegularFile(dir), { why: 'not a regular file' });
    assert.deepEqual(await readRegularFile(path.join(dir, 'missing.yaml')), { why: 'no such file' });
    // A name Node refuses outright (a NUL byte, as a spec's model.config "a\0b" can hold): a reason, not a throw.
    assert.deepEqual(await readRegularFileAsync(path.join(dir, 'a\0b.json')), { why: 'unreadable', mtimeMs: -1, size: -1 });
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
      // Nothing writes to the FIFO: a blocking open or read would never return.
      assert.deepEqual(await readRegularFile(path.join(dir, 'fifo.yaml')), { why: 'not a regular file' });
    }
    // A file that grew after its fstat: read to its end all the same (up to the limit).
    const text = 'é'.repeat(5000);
    writeFileSync(path.join(dir, 'grew.yaml'), text);
    const fd = openSync(path.join(dir, 'grew.yaml'), 'r');
    try {
      const readAll = (max: number, size: number) => new Promise<string>((resolve, reject) => readAtMost(fd, max, size, (err, t) => (err ? reject(err) : resolve(t))));
      assert.equal(await readAll(MAX_REFERENCED_BYTES, 10), text);
      assert.equal(await readAll(6, 100), 'ééé');
    } finally {
      closeSync(fd);
    }
    // Unchanged since a read (the same mtime and size): not read again.
    const first = await readRegularFileAsync(path.join(dir, 'a.yaml'));
    assert.equal(first.text, 'kind: Cluster\n');
    assert.deepEqual(await readRegularFileAsync(path.join(dir, 'a.yaml'), first), { unchanged: true, mtimeMs: first.mtimeMs, size: first.size });
    assert.equal((await readRegularFileAsync(path.join(dir, 'a.yaml'), { mtimeMs: first.mtimeMs, size: first.size + 1 })).text, 'kind: Cluster\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the server scan (several reads in flight) and the CLI scan index the same Clusters in 60 folders', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gantry-scan-'));
  try {
    for (let i = 0; i < 60; i++) {
      const folder = path.join(root, `p${i}`);
      mkdirSync(folder);
      writeFileSync(path.join(folder, 'cluster.gantry.yaml'), cluster(i % 7 === 0 ? 'shared' : `c${i}`));
      writeFileSync(path.join(folder, 'job.gantry.yaml'), 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: t }\n');
    }
    if (process.platform !== 'win32') execFileSync('mkfifo', [path.join(root, 'p0', 'fifo.yaml')]);
    const server = new Workspace();
    await server.configure([pathToUri(root)]);
    const seen = await server.scan([pathToUri(root)]);
    const cli = new Workspace();
    cli.configureSync([pathToUri(root)]);
    cli.scanSync([pathToUri(root)]);
    assert.equal(seen, 120);
    const names = (ws: Workspace) => ws.clusters.names().sort();
    assert.equal(names(server).length, 52);
    assert.deepEqual(names(server), names(cli));
    assert.equal(server.clusters.all('shared').length, 9);
    assert.equal(server.scanned.size, 120);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a catch-up scan (onlyNew) reads only the files no scan has read: a new Cluster file is indexed, a known file is not read again', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gantry-scan-'));
  try {
    writeFileSync(path.join(root, 'a.gantry.yaml'), cluster('first'));
    const ws = new Workspace();
    await ws.configure([pathToUri(root)]);
    await ws.scan([pathToUri(root)]);
    assert.deepEqual(ws.clusters.names(), ['first']);
    // A known file changed without an event (the catch-up does not re-read it), and a new file.
    writeFileSync(path.join(root, 'a.gantry.yaml'), cluster('renamed'));
    mkdirSync(path.join(root, 'later'));
    writeFileSync(path.join(root, 'later', 'b.gantry.yaml'), cluster('second'));
    const generation = ws.clusters.generation;
    assert.equal(await ws.scan([pathToUri(root)], undefined, true), 2);
    assert.deepEqual(ws.clusters.names().sort(), ['first', 'second']);
    assert.notEqual(ws.clusters.generation, generation);
    assert.equal(ws.scanned.size, 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
