// Every broken spec under test/fixtures/specs gives exactly the problems expected.json says, anchored
// exactly where a person looks; applying a problem's preferred fix makes that problem go away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyEdits, at, check, clustersFrom, repo, spanOf } from '../helpers';
import { firstKey } from '../../../core/validate/validate';

const dir = repo('test/fixtures/specs');
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<
  string,
  {
    expect: string;
    code?: string;
    severity?: string;
    count?: number;
    anchor?: { path: (string | number)[]; on: 'key' | 'value' | 'document'; doc?: number };
    messageIncludes?: string[];
  }
>;
const clusters = clustersFrom(dir);

for (const [file, exp] of Object.entries(expected)) {
  test(`fixture ${file}: ${exp.expect}${exp.code ? ` ${exp.code}` : ''}`, () => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const { problems, docs } = check(text, { fileName: file, clusters });
    if (exp.count !== undefined) assert.equal(problems.length, exp.count, `problems: ${JSON.stringify(problems.map((p) => [p.code, p.message]))}`);
    if (!exp.code) return;
    const p = problems.find((q) => q.code === exp.code);
    assert.ok(p, `expected a ${exp.code} problem, got ${JSON.stringify(problems.map((q) => q.code))}`);
    if (exp.severity) assert.equal(p.severity, exp.severity);
    for (const s of exp.messageIncludes ?? []) assert.ok(p.message.includes(s), `message '${p.message}' lacks '${s}'`);
    if (exp.anchor?.on === 'document') {
      assert.deepEqual({ offset: p.offset }, firstKey(docs[p.docIndex ?? 0]) && { offset: firstKey(docs[p.docIndex ?? 0]).offset });
    } else if (exp.anchor) {
      const doc = docs[exp.anchor.doc ?? p.docIndex ?? 0];
      const want = spanOf(doc, exp.anchor.path, exp.anchor.on === 'key' ? 'key' : 'value');
      assert.deepEqual({ offset: p.offset, text: at(text, p) }, { offset: want.offset, text: at(text, want) });
    }
    const fix = p.fixes?.find((f) => f.preferred);
    if (fix) {
      const fixed = applyEdits(text, fix.edits);
      const after = check(fixed, { fileName: file, clusters }).problems;
      assert.ok(!after.some((q) => q.code === p.code && q.offset === p.offset), `fix '${fix.title}' left ${JSON.stringify(after.map((q) => q.message))}`);
    }
  });
}
