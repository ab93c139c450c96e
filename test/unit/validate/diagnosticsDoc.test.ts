// docs/diagnostics.md, where every diagnostic links, has a section for every code Gantry can emit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { repo } from '../helpers';

function codesIn(dir: string): Set<string> {
  const out = new Set<string>();
  for (const f of readdirSync(repo(dir)).filter((n) => n.endsWith('.ts'))) {
    const src = readFileSync(repo(dir, f), 'utf8');
    for (const m of src.matchAll(/(?:code: |report\(|r\.report\(|problem\(|problemAt\()'([a-z0-9]+(?:-[a-z0-9]+)+|schema)'/g)) out.add(m[1]);
  }
  return out;
}

test('every diagnostic code has a section in docs/diagnostics.md', () => {
  const doc = readFileSync(repo('docs/diagnostics.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/^###\s+(.+)$/gm)].flatMap((m) => m[1].split('/').map((s) => s.trim())));
  const estimator = readFileSync(repo('core/estimate/types.ts'), 'utf8');
  const findingCodes = [...(estimator.match(/export type FindingCode =([^;]+);/)?.[1] ?? '').matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
  const codes = new Set([...codesIn('core/validate'), ...codesIn('core/spec'), ...codesIn('core/formats'), ...findingCodes]);
  assert.ok(codes.size > 40, `found only ${codes.size} codes: the scan is broken`);
  const missing = [...codes].filter((c) => !documented.has(c));
  assert.deepEqual(missing, [], `add a section to docs/diagnostics.md for: ${missing.join(', ')}`);
  assert.ok(path.isAbsolute(repo('docs')));
});
