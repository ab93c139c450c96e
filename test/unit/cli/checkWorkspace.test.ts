// `gantry check` without --workspace: the current folder when every path lies in it; otherwise the project root
// above the paths (a gantry.yaml or .git), else the folder that holds them all — never the current folder, so a
// check of a path elsewhere does not walk a home directory or `/` for Clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultWorkspace } from '../../../cli/commands/check';

function tree(): { top: string; done: () => void } {
  const top = mkdtempSync(path.join(os.tmpdir(), 'gantry-ws-'));
  for (const d of ['here/sub', 'repo/.git', 'repo/team/specs', 'repo/team/more', 'loose/a', 'loose/b']) mkdirSync(path.join(top, d), { recursive: true });
  writeFileSync(path.join(top, 'repo/team/specs/job.gantry.yaml'), 'apiVersion: gantry/v1\n');
  return { top, done: () => rmSync(top, { recursive: true, force: true }) };
}

test('paths inside the current folder (or standard input only): the current folder', () => {
  const t = tree();
  try {
    const cwd = path.join(t.top, 'here');
    assert.equal(defaultWorkspace(['.'], cwd), cwd);
    assert.equal(defaultWorkspace(['sub', 'sub/x.yaml'], cwd), cwd);
    assert.equal(defaultWorkspace(['-'], cwd), cwd);
    // A folder whose name starts with two dots is still inside.
    assert.equal(defaultWorkspace(['..hidden/x.yaml'], cwd), cwd);
  } finally {
    t.done();
  }
});

test('a path elsewhere: the project root above it (.git or gantry.yaml), not the current folder', () => {
  const t = tree();
  try {
    const cwd = path.join(t.top, 'here');
    const repo = path.join(t.top, 'repo');
    assert.equal(defaultWorkspace([path.join(repo, 'team/specs')], cwd), repo);
    assert.equal(defaultWorkspace([path.join(repo, 'team/specs/job.gantry.yaml')], cwd), repo, 'a file counts by its folder');
    assert.equal(defaultWorkspace(['../repo/team/specs', '../repo/team/more'], cwd), repo, 'relative paths resolve against the current folder');
    // A gantry.yaml marks a project root too, the nearest one wins.
    writeFileSync(path.join(repo, 'team/gantry.yaml'), 'clusterFolders: []\n');
    assert.equal(defaultWorkspace([path.join(repo, 'team/specs')], cwd), path.join(repo, 'team'));
  } finally {
    t.done();
  }
});

test('a path elsewhere with no project root above it: the folder that holds all the paths', () => {
  const t = tree();
  try {
    const cwd = path.join(t.top, 'here');
    const none = () => false;
    assert.equal(defaultWorkspace([path.join(t.top, 'loose/a')], cwd, none), path.join(t.top, 'loose/a'));
    assert.equal(defaultWorkspace([path.join(t.top, 'loose/a'), path.join(t.top, 'loose/b')], cwd, none), path.join(t.top, 'loose'));
    // One path inside the current folder and one outside: the folder that holds both.
    assert.equal(defaultWorkspace(['sub', path.join(t.top, 'loose/b')], cwd, none), t.top);
    // A name that does not exist counts by its parent.
    assert.equal(defaultWorkspace([path.join(t.top, 'loose/a/missing.yaml')], cwd, none), path.join(t.top, 'loose/a'));
  } finally {
    t.done();
  }
});
