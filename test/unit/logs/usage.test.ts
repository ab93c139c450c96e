// A serving engine's KV cache usage from its periodic stats lines (fixtures in the tools' formats).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readUsage } from '../../../core/logs/usage';
import { sanitizeLine } from '../../../core/logs/sanitize';
import { repo } from '../helpers';

const fixture = (name: string) =>
  readFileSync(repo('test/fixtures/logs', name), 'utf8')
    .split('\n')
    .map((l) => sanitizeLine(l));
const lineOf = (name: string, needle: string) => fixture(name).findIndex((l) => l.includes(needle));

test('usage: vLLM V1 stats lines: the peak and its line, the most requests running', () => {
  const u = readUsage(fixture('vllm-v1-stats.log'));
  assert.deepEqual(u?.peakKvUsagePct, { value: 6.1, line: lineOf('vllm-v1-stats.log', 'GPU KV cache usage: 6.1%') });
  assert.equal(u?.peakRunning?.value, 14);
  assert.equal(u?.samples, 5);
  assert.equal(u?.peakKvTokens, undefined);
});

test('usage: vLLM V0 stats lines', () => {
  const u = readUsage(fixture('vllm-v0-stats.log'));
  assert.equal(u?.peakKvUsagePct.value, 88);
  assert.equal(u?.peakRunning?.value, 24);
  assert.equal(u?.samples, 3);
});

test('usage: SGLang decode batches (token usage is a fraction; #token is tokens in use); prefill lines are not samples', () => {
  const u = readUsage(fixture('sglang-stats.log'));
  assert.equal(u?.peakKvUsagePct.value, 9);
  assert.equal(u?.peakKvTokens?.value, 37150);
  assert.equal(u?.peakRunning?.value, 16);
  assert.equal(u?.samples, 3);
});

test('usage: startup logs and other lines give none; a usage without % is not read', () => {
  assert.equal(readUsage(fixture('vllm-v1-startup.log')), undefined);
  assert.equal(readUsage(['GPU KV cache usage: n/a', 'GPU KV cache usage: 12.0 percent']), undefined);
});
