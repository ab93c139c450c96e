// The server's diagnostics of a many-document file after edits: the same as checking the text afresh
// (the core on a fresh parse, converted the way the server always did), with quick fixes found on
// request at the problem's current place, and without re-converting documents the edit did not touch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver/node';
import { parseSpecFile } from '../../../core/spec/parse';
import { extractClusters } from '../../../core/spec/clusters';
import { validateFile } from '../../../core/validate/validate';
import { estimateDoc } from '../../../core/validate/estimates';
import type { Problem } from '../../../core/validate/problem';
import { ParsedFiles } from '../../../server/documents';
import { FileDiagnostics, MAX_DIAGNOSTICS_PER_FILE, toDiagnostic, rangeOf, type CheckContext, type QuickFix } from '../../../server/handlers/diagnostics';
import { clustersFrom, repo } from '../helpers';

const uri = 'file:///work/many.gantry.yaml';
const clusters = clustersFrom(repo('examples'));
const ctx = (): CheckContext => ({ fileName: uri, clusters, generation: clusters.generation, readFile: () => undefined });

const job = readFileSync(repo('examples/llama3-8b-pretrain.gantry.yaml'), 'utf8');
/** A job named `name`; `big` makes it not fit (an estimator error with fixes). */
const jobDoc = (name: string, big = false) => {
  const t = job.replace('name: llama3-8b-pretrain', `name: ${name}`);
  return big
    ? t
        .replace(/micro: \d+/, 'micro: 16')
        .replace(/gradientAccumulation: \d+/, 'gradientAccumulation: 4')
        .replace(/activationCheckpointing: \w+/, 'activationCheckpointing: none')
    : t;
};
const initial = Array.from({ length: 24 }, (_, i) => jobDoc(`job-${i}`, i % 3 === 1)).join('---\n');

/** What checking `text` afresh reports, in the order the server always published: validation, then estimator findings of documents without errors. */
function expected(text: string): { diagnostics: Diagnostic[]; fixes: Map<string, QuickFix[]> } {
  const td = TextDocument.create(uri, 'yaml', 1, text);
  const docs = parseSpecFile(text);
  const problems = validateFile(text, docs, { fileName: uri, clusters, generation: clusters.generation });
  const invalid = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.docIndex ?? -1));
  const all: Problem[] = [...problems, ...docs.flatMap((d) => (invalid.has(d.index) ? [] : (estimateDoc(text, d, clusters)?.problems ?? [])))];
  const fixes = new Map<string, QuickFix[]>();
  for (const p of all) {
    fixes.set(
      key(toDiagnostic(td, p)),
      (p.fixes ?? []).map((f) => ({ title: f.title, preferred: f.preferred, edits: f.edits.map((e) => ({ range: rangeOf(td, e.offset, e.length), newText: e.newText })) })),
    );
  }
  return { diagnostics: all.map((p) => toDiagnostic(td, p)), fixes };
}
const key = (d: Diagnostic) => `${d.code} ${JSON.stringify(d.range)}`;

/** An open document edited the way the server sees it: incremental changes to one TextDocument. */
function editor() {
  let td = TextDocument.create(uri, 'yaml', 1, initial);
  const files = new ParsedFiles();
  const diags = new FileDiagnostics();
  return {
    get text() {
      return td.getText();
    },
    edit(offset: number, length: number, text: string) {
      const range = { start: td.positionAt(offset), end: td.positionAt(offset + length) };
      td = TextDocument.update(td, [{ range, text }], td.version + 1);
    },
    diagnostics: () => diags.diagnostics(td, files.get(td), ctx()),
    fixes: (d: Diagnostic) => diags.fixes(td, files.get(td), ctx(), d),
  };
}

function assertFresh(e: ReturnType<typeof editor>, step: string): Diagnostic[] {
  const got = e.diagnostics();
  const want = expected(e.text);
  assert.deepEqual(got, want.diagnostics, `diagnostics after '${step}'`);
  for (const d of got) assert.deepEqual(e.fixes(d), want.fixes.get(key(d)), `fixes of ${key(d)} after '${step}'`);
  return got;
}

test('edits in a many-document file: diagnostics and quick fixes equal those of a fresh check of the same text', () => {
  const e = editor();
  const first = assertFresh(e, 'open');
  assert.ok(
    first.some((d) => d.code === 'memory-exceeds-capacity'),
    JSON.stringify(first.map((d) => d.code)),
  );
  const nth = (re: RegExp, n: number) => [...e.text.matchAll(re)][n].index!;
  const steps: [string, () => void][] = [
    ['longer value in the middle', () => e.edit(nth(/tokens: \d+/g, 12) + 8, 1, '42')],
    ['a line added early', () => e.edit(nth(/\n/g, 70), 0, '\n  # a note')],
    ['a rule error (and an estimator error it would repeat)', () => e.edit(nth(/global: \d+/g, 5) + 8, 3, '1024')],
    ['a document inserted at the top', () => e.edit(0, 0, jobDoc('top') + '---\n')],
    ['a schema error in a job that does not fit', () => e.edit(nth(/precision: [\w-]+/g, 8) + 11, 10, 'fp7')],
    ['lines removed before it', () => e.edit(nth(/  # a note/g, 0), 10, '')],
    [
      'a document deleted',
      () => {
        const s = nth(/^---\n/gm, 2);
        e.edit(s, nth(/^---\n/gm, 3) - s, '');
      },
    ],
    [
      'a duplicate of a document',
      () => {
        const s = nth(/^---\n/gm, 4);
        e.edit(nth(/^---\n/gm, 10), 0, e.text.slice(s, nth(/^---\n/gm, 5)));
      },
    ],
    ['a YAML syntax error', () => e.edit(nth(/^metadata:/gm, 6), 0, 'bad: [\n')],
    ['the syntax error undone', () => e.edit(nth(/^bad: \[\n/gm, 0), 7, '')],
    ['a NUL byte (binary file)', () => e.edit(nth(/job-9/g, 0), 0, '\u0000')],
    ['the NUL byte removed', () => e.edit(nth(/\u0000/g, 0), 1, '')],
  ];
  for (const [step, edit] of steps) {
    edit();
    assertFresh(e, step);
  }
  assert.ok(e.diagnostics().some((d) => d.code === 'global-batch'));
});

test('a document with errors after an inserted document: its estimate stays hidden (no stale document index)', () => {
  const e = editor();
  e.edit([...e.text.matchAll(/global: \d+/g)][4].index! + 8, 3, '1024');
  const doc = parseSpecFile(e.text)[4];
  assert.ok(
    estimateDoc(e.text, doc, clusters)?.problems.some((p) => p.code === 'bad-estimate-input'),
    'the estimate of the document with the error would report it',
  );
  const before = e.diagnostics();
  assert.ok(before.some((d) => d.code === 'global-batch'));
  assert.ok(!before.some((d) => d.code === 'bad-estimate-input'), 'the estimate repeats a rule error');
  e.edit(0, 0, jobDoc('top') + '---\n');
  const after = e.diagnostics();
  assert.ok(!after.some((d) => d.code === 'bad-estimate-input'), 'a moved document with errors shows its estimate');
  assert.deepEqual(after, expected(e.text).diagnostics);
});

test("an edit re-uses the other documents' diagnostics: unchanged when they did not move a line, re-based when they did", () => {
  const e = editor();
  const open = e.diagnostics();
  const lastDoc = e.text.lastIndexOf('---\n');
  const lineOf = (d: Diagnostic) => d.range.start.line;
  // A value in the last document: every earlier diagnostic is the same object as before.
  e.edit(e.text.indexOf('tokens: ', lastDoc) + 8, 1, '9');
  const same = e.diagnostics();
  const early = open.filter((d) => e.text.slice(0, lastDoc).split('\n').length > lineOf(d));
  assert.ok(early.length > 3);
  for (const d of early) assert.ok(same.includes(d), `re-converted ${key(d)}`);
  // A line added at the top: later documents move one line down, nothing else changes.
  e.edit(0, 0, '# moved\n');
  const moved = e.diagnostics();
  assert.deepEqual(
    moved.map((d) => ({ ...d, range: { start: { ...d.range.start, line: d.range.start.line - 1 }, end: { ...d.range.end, line: d.range.end.line - 1 } } })),
    same,
  );
  assert.deepEqual(moved, expected(e.text).diagnostics);
});

test('quick fixes: a diagnostic of an older text that no longer matches gets none; published diagnostics carry no data', () => {
  const e = editor();
  const d = e.diagnostics().find((x) => x.code === 'memory-exceeds-capacity')!;
  assert.ok(e.fixes(d).length > 0);
  assert.ok(e.diagnostics().every((x) => x.data === undefined));
  e.edit(0, 0, '# moved\n');
  assert.deepEqual(e.fixes(d), [], 'a stale range must not get edits for the old text');
  const now = e.diagnostics().find((x) => x.code === 'memory-exceeds-capacity')!;
  assert.equal(now.range.start.line, d.range.start.line + 1);
  const fixes = e.fixes(now);
  assert.ok(fixes.length > 0);
  // Each edit replaces a value of the job's own document, on a line below the moved start.
  for (const f of fixes) for (const edit of f.edits) assert.ok(edit.range.start.line > now.range.start.line - 60 && edit.range.start.line < now.range.start.line + 60, JSON.stringify(edit));
});

test('5,000 Clusters with one name: the first 500 diagnostics, then one that says how many more', () => {
  // Small, so that 5,000 of them stay under the 2 MB full-check limit.
  const cluster = 'apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: same }\nspec: { scheduler: { type: slurm, partition: gpu }, nodes: { count: 16, gpu: { model: H100-SXM-80GB, count: 8 } } }\n';
  const text = Array.from({ length: 5000 }, () => cluster).join('---\n');
  const files = new ParsedFiles();
  const file = files.get(TextDocument.create(uri, 'yaml', 1, text));
  const local = clustersFrom(repo('examples'));
  local.set(uri, extractClusters(uri, file.docs));
  const out = new FileDiagnostics().diagnostics(TextDocument.create(uri, 'yaml', 1, text), file, { fileName: uri, clusters: local, generation: local.generation, readFile: () => undefined });
  assert.equal(out.length, MAX_DIAGNOSTICS_PER_FILE + 1);
  const last = out[out.length - 1];
  assert.equal(last.code, 'too-many-problems');
  assert.match(String(last.message), /^\d+ more problems in this file not shown/);
  assert.ok(JSON.stringify(out).length < 400_000);
});
