import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { grouped } from '../../../core/estimate/format';

test('grouped: thousands separators as en-US writes them, without Intl', () => {
  for (const n of [0, 7, 999, 1000, 65536, 131072, 1234567, 10_000_000, -4096, -1_000_000]) assert.equal(grouped(n), n.toLocaleString('en-US'), String(n));
  assert.equal(grouped(1234.6), '1,235');
  assert.equal(grouped(NaN), 'NaN');
  assert.equal(grouped(Infinity), 'Infinity');
});
