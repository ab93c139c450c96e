// The server's background reads (server/workspace.ts): a referenced file or a folder listing that
// arrives re-checks the specs that asked only when what they saw changes. A context file that is
// not there, or a folder with no script in it, leaves the first check standing (a 16 KB TOML was
// checked twice on open for nothing). Waits on the reads themselves (settled), never on time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FolderNames, ReferencedFiles } from '../../../server/workspace';
import { siblingScripts } from '../../../core/formats/launcherLink';
import { READ_PENDING } from '../../../core/validate/model';
import { tempDir } from '../helpers';

test('a referenced file that is not there: no re-check for a check that read only its text; one for a check that asked why', async () => {
  const dir = tempDir('gantry-refs-');
  try {
    const calls: string[][] = [];
    const files = new ReferencedFiles((uris) => calls.push(uris));
    const a = pathToFileURL(path.join(dir, 'a.toml')).href;
    const b = pathToFileURL(path.join(dir, 'b.gantry.yaml')).href;
    assert.equal(files.readerFor(a)('gantry.context.yaml'), undefined);
    await files.settled();
    assert.deepEqual(calls, [], 'still not there: the first check stands');
    const read = files.readerFor(b);
    assert.equal(read('model/config.json'), undefined);
    assert.equal(read.why?.('model/config.json'), READ_PENDING);
    await files.settled();
    assert.deepEqual(calls, [[b]], 'the reason the check showed (still reading) changed');
    assert.notEqual(read.why?.('model/config.json'), READ_PENDING);
    // A file that appears is a new text for every check that read it.
    writeFileSync(path.join(dir, 'gantry.context.yaml'), 'gpu: H100-SXM-80GB\n');
    files.readerFor(a)('gantry.context.yaml');
    await files.settled();
    assert.deepEqual(calls.at(-1), [a]);
    assert.equal(files.readerFor(a)('gantry.context.yaml'), 'gpu: H100-SXM-80GB\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder listing re-checks the file that asked only when the scripts in it change', async () => {
  const dir = tempDir('gantry-names-');
  try {
    writeFileSync(path.join(dir, 'train.toml'), '');
    writeFileSync(path.join(dir, 'README.md'), '');
    const calls: string[][] = [];
    const names = new FolderNames((uris) => calls.push(uris), siblingScripts);
    const uri = pathToFileURL(path.join(dir, 'train.toml')).href;
    assert.equal(names.namesFor(uri), undefined);
    await names.settled();
    assert.deepEqual(names.namesFor(uri), ['README.md', 'train.toml']);
    await names.settled();
    assert.deepEqual(calls, [], 'no script beside it: nothing the check would read');
    writeFileSync(path.join(dir, 'run.sbatch'), '#!/bin/bash\n');
    names.namesFor(uri);
    await names.settled();
    assert.deepEqual(calls, [[uri]]);
    assert.ok(names.namesFor(uri)?.includes('run.sbatch'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
