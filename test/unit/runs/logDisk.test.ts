// A full or failing log disk: injected (/dev/full gives a real ENOSPC on every write; statfs is
// stubbed), never by filling a disk. The run is neither crashed nor hung, and its state says why.
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalBackend, outcome } from '../../../core/runs/local';
import { LOW_LOG_SPACE_BYTES, logDiskProblem, logWriteNote } from '../../../core/runs/logDisk';
import { ctxFor, newStore, nodePlan, waitForEnd, SUPERVISOR } from './helpers';

const hasDevFull = fs.existsSync('/dev/full');
const full = () => 'no space left on device (0 bytes free where the logs are written)';
const backends: LocalBackend[] = [];
function backend(logDiskProblemFn?: (dir: string) => string | undefined): LocalBackend {
  const b = new LocalBackend({ graceMs: 500, pollMs: 50, supervisorPath: SUPERVISOR, ...(logDiskProblemFn ? { logDiskProblem: logDiskProblemFn } : {}) });
  backends.push(b);
  return b;
}
after(() => backends.forEach((b) => b.dispose()));

test('logDiskProblem: free space below the threshold, and I/O errors, in words', () => {
  assert.equal(
    logDiskProblem('/x', () => ({ bavail: 1_000_000, bsize: 4096 })),
    undefined,
  );
  assert.equal(
    logDiskProblem('/x', () => ({ bavail: 0n, bsize: 4096n })),
    'no space left on device (0 bytes free where the logs are written)',
  );
  assert.match(logDiskProblem('/x', () => ({ bavail: LOW_LOG_SPACE_BYTES / 4096 - 1, bsize: 4096 })) ?? '', /^no space left on device/);
  const eio = () => {
    throw Object.assign(new Error('EIO: i/o error, statfs'), { code: 'EIO' });
  };
  assert.equal(logDiskProblem('/x', eio), 'input/output error');
  const gone = () => {
    throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  };
  assert.equal(logDiskProblem('/x', gone), undefined, 'a run directory not created yet is not a disk problem');
  assert.equal(logWriteNote('no space left on device'), 'log writes failing: no space left on device — new output is lost until this is fixed; the run keeps running');
  assert.equal(logDiskProblem(process.cwd()), undefined, 'this machine has room for logs');
});

test("the command's own writes fail (stdout on /dev/full): the run fails, not hangs, and the reason names the full disk", { skip: !hasDevFull && 'no /dev/full' }, async () => {
  const store = newStore();
  const run = store.create(nodePlan(`for (let i = 0; i < 3; i++) require('fs').writeSync(1, 'line ' + i + '\\n')`));
  fs.symlinkSync('/dev/full', path.join(store.runDir(run.id), 'stdout.log'));
  await backend(full).submit(run, ctxFor(store)(run));
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'failed');
  assert.match(end.reason ?? '', /^exit code \d+; log writes were failing: no space left on device/);
  assert.match(fs.readFileSync(path.join(store.runDir(run.id), 'stderr.log'), 'utf8'), /ENOSPC/, "the command's own error reached stderr");
});

test('exit.json cannot be written (ENOSPC): the supervisor does not crash, its exit code carries the outcome', { skip: !hasDevFull && 'no /dev/full' }, async () => {
  const store = newStore();
  const run = store.create(nodePlan(`console.log('done')`));
  fs.symlinkSync('/dev/full', path.join(store.runDir(run.id), 'exit.json.tmp'));
  await backend().submit(run, ctxFor(store)(run));
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'succeeded');
  assert.match(end.reason ?? '', /^exit code 0; its exit status could not be written to the run directory/);
  assert.equal(fs.readFileSync(path.join(store.runDir(run.id), 'stdout.log'), 'utf8'), 'done\n');

  const failing = store.create(nodePlan(`process.exit(4)`));
  fs.symlinkSync('/dev/full', path.join(store.runDir(failing.id), 'exit.json.tmp'));
  await backend().submit(failing, ctxFor(store)(failing));
  const failed = await waitForEnd(store, failing.id);
  assert.equal(failed.state, 'failed');
  assert.match(failed.reason ?? '', /^the command failed; its exit status could not be written/);
});

test("a log file that cannot be created: submit refuses with the system's message (submitRun records it as the failed reason)", async () => {
  const store = newStore();
  const run = store.create(nodePlan(`console.log('never')`));
  // A directory where the log file should be: open(…, 'a') fails with EISDIR, as EIO or ENOSPC would.
  const stdout = path.join(store.runDir(run.id), 'stdout.log');
  fs.mkdirSync(stdout);
  const b = backend();
  // submit() itself touches the log files first; that write fails here and is the user's message.
  const u = await b.submit(run, ctxFor(store)(run)).then(
    () => undefined,
    (e: Error) => e.message,
  );
  assert.match(u ?? '', /EISDIR/);
});

test('reattached (no supervisor exit code) and the disk is full: lost, with the disk named', () => {
  const store = newStore();
  const run = store.create(nodePlan('1'));
  const u = outcome(run, store.runDir(run.id), undefined, full);
  assert.equal(u.state, 'lost');
  assert.equal(u.reason, 'the run ended, but its exit status could not be written to the run directory (no space left on device (0 bytes free where the logs are written))');
});
