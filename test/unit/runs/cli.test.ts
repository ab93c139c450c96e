// `gantry run|ps|logs|cancel` end to end through the built CLI (dist/cli.js, built by
// `node scripts/build.mjs --tests`), sharing one store on disk.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { RunStore } from '../../../core/runs/store';
import { tempDir, waitForState } from './helpers';

const repo = path.resolve(__dirname, '../../../..');
const cli = path.join(repo, 'dist/cli.js');
const fixtures = path.join(repo, 'test/fixtures/runs');

function workspace(): string {
  const ws = tempDir('gantry-ws-');
  fs.mkdirSync(path.join(ws, '.git'));
  for (const f of fs.readdirSync(fixtures)) fs.copyFileSync(path.join(fixtures, f), path.join(ws, f));
  return ws;
}
const gantry = (ws: string, ...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: ws, encoding: 'utf8', timeout: 120_000 });

test('gantry run follows the logs to the end; ps and logs read the same store', () => {
  const ws = workspace();
  const r = gantry(ws, 'run', 'train.gantry.yaml', '--name', 'fixture-short');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /step 5 loss 1\.\d+ lr 3e-4 tokens\/s 1205\ndone\n/);
  assert.match(r.stderr, /command: python3 fake-train\.py 5 0\.05/);
  assert.match(r.stderr, /env: .*FIXTURE_VALUE='a b \$\(not expanded\)'/);
  assert.match(r.stderr, /succeeded \(exit code 0\)/);
  const ps = gantry(ws, 'ps', '--json');
  const runs = JSON.parse(ps.stdout);
  assert.equal(runs.length, 1);
  assert.equal(runs[0].state, 'succeeded');
  const logs = gantry(ws, 'logs', 'fixture-short');
  assert.equal(logs.status, 0);
  assert.match(logs.stdout, /^step 1 loss/);
});

test('gantry run exits 1 for a failing job and keeps its stderr', () => {
  const ws = workspace();
  const r = gantry(ws, 'run', 'train.gantry.yaml', '--name', 'fixture-fail');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /CUDA out of memory/);
  assert.match(r.stderr, /failed \(exit code 1\)/);
});

test('gantry run refuses a file with several jobs and no --name, and a spec with errors', () => {
  const ws = workspace();
  const r = gantry(ws, 'run', 'train.gantry.yaml', '--no-check');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /3 runnable documents/);
  fs.writeFileSync(path.join(ws, 'bad.gantry.yaml'), 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: bad }\nspec:\n  resources: { nodes: 0 }\n');
  const bad = gantry(ws, 'run', 'bad.gantry.yaml');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /not run: .*has errors/);
});

test('gantry cancel stops a detached run that gantry logs -f is following', async () => {
  const ws = workspace();
  const start = gantry(ws, 'run', 'train.gantry.yaml', '--name', 'fixture-long', '--detach');
  assert.equal(start.status, 0, start.stderr);
  const store = new RunStore(path.join(ws, '.gantry'));
  const id = store.list()[0].id;
  const follower = spawn(process.execPath, [cli, 'logs', id, '-f'], { cwd: ws });
  let followed = '';
  follower.stdout.on('data', (c) => (followed += c));
  const exited = new Promise<number | null>((resolve) => follower.on('exit', resolve));
  await waitForState(store, id, 'running');
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no output followed')), 60_000);
    follower.stdout.on('data', () => followed.includes('step 2 ') && (clearTimeout(t), resolve()));
  });
  const c = gantry(ws, 'cancel', id);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stderr, /cancelled/);
  assert.equal(await exited, 1);
  assert.equal(store.get(id)?.state, 'cancelled');
});
