// The CLI's one argument parser (cli/args.ts over util.parseArgs): every command's help, an unknown
// option (exit 2, said in words), a missing value, and `-` taken as a file argument.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseCommandArgs } from '../../../cli/args';
import { repo } from '../helpers';

const gantry = (...argv: string[]) => spawnSync(process.execPath, [repo('dist/cli.js'), ...argv], { encoding: 'utf8', timeout: 120_000 });

test('parseCommandArgs: values, positionals with `-`, `--`, and errors in words', () => {
  const opts = { format: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } } as const;
  assert.deepEqual(parseCommandArgs(['-q', '-', 'a.yaml', '--format=json'], opts), { values: { quiet: true, format: 'json' }, positionals: ['-', 'a.yaml'] });
  assert.deepEqual(parseCommandArgs(['--', '--not-an-option'], opts), { values: {}, positionals: ['--not-an-option'] });
  assert.deepEqual(parseCommandArgs(['--bogus'], opts), { error: "unknown option '--bogus'" });
  assert.deepEqual(parseCommandArgs(['-x'], opts), { error: "unknown option '-x'" });
  assert.deepEqual(parseCommandArgs(['--format'], opts), { error: '--format needs a value' });
});

test('every command: --help exits 0 with its usage, an unknown option exits 2 and names it', () => {
  for (const cmd of ['check', 'estimate', 'run', 'ps', 'logs', 'cancel', 'script', 'import', 'manifest', 'server']) {
    const help = gantry(cmd, '--help');
    assert.equal(help.status, 0, `${cmd} --help: ${help.stderr}`);
    assert.match(help.stdout, new RegExp(`^usage: gantry ${cmd}`), `${cmd} --help prints its usage`);
    assert.match(help.stdout, /exit status/, `${cmd} --help lists its exit statuses`);
    const bad = gantry(cmd, '--bogus', 'x');
    assert.equal(bad.status, 2, `${cmd} --bogus: ${bad.stdout}${bad.stderr}`);
    assert.match(bad.stderr, /unknown option '--bogus'/, `${cmd} names the option`);
  }
});

test('check and estimate take `-` as standard input (a Helm-rendered manifest piped in); check keeps its value checks', () => {
  const manifest = readFileSync(repo('test/fixtures/foreign/serving/deployment.yaml'), 'utf8');
  for (const cmd of ['check', 'estimate']) {
    const r = spawnSync(process.execPath, [repo('dist/cli.js'), cmd, '-', '--stdin-name', 'rendered.yaml'], { encoding: 'utf8', input: manifest, timeout: 120_000 });
    assert.doesNotMatch(r.stderr, /unknown option|cannot read/, `${cmd} -: ${r.stderr}`);
    assert.equal(r.status, 0, `${cmd} -: ${r.stdout}${r.stderr}`);
  }
  const est = spawnSync(process.execPath, [repo('dist/cli.js'), 'estimate', '-', '--format', 'json'], { encoding: 'utf8', input: manifest, timeout: 120_000 });
  const [rec] = JSON.parse(est.stdout) as { kind: string; serving: { kvCacheTokens: number }; source: { format: string; line: number } }[];
  assert.equal(rec.kind, 'InferenceService');
  assert.equal(rec.source.format, 'kubernetes');
  assert.ok(rec.serving.kvCacheTokens > 400_000, String(rec.serving.kvCacheTokens));
  const bad = gantry('check', '--max-warnings', 'x');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--max-warnings needs a whole number/);
  const fmt = gantry('check', '--format', 'xml');
  assert.equal(fmt.status, 2);
  assert.match(fmt.stderr, /--format must be text or json/);
});
