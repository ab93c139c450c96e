// The per-document caches of validation and estimates: a document that only moved is not checked
// again, and what it reports is at its new offsets and document index, as a fresh check says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DocumentCache, parseSpecFile } from '../../../core/spec/parse';
import { validateDocCached, validateFile } from '../../../core/validate/validate';
import { estimateDoc, estimateDocCached } from '../../../core/validate/estimates';
import { checkDocCached, checkFile } from '../../../core/check/checkFile';
import { clustersFrom, repo } from '../helpers';

const clusters = clustersFrom(repo('examples'));
const job = readFileSync(repo('examples/llama3-8b-pretrain.gantry.yaml'), 'utf8');
const bad = job.replace('name: llama3-8b-pretrain', 'name: bad').replace(/global: \d+/, 'global: 1024');
const opts = { fileName: 'x.gantry.yaml', clusters, generation: clusters.generation };

test('validateFile: a document that moved reports at its new offsets and index, without being checked again', () => {
  const cache = new DocumentCache();
  const text = `${job}---\n${bad}`;
  const docs = cache.parse(text);
  const entry = validateDocCached(text, docs[1], opts);
  assert.ok(validateFile(text, docs, opts).some((p) => p.code === 'global-batch' && p.docIndex === 1));
  const moved = `# a new first document\napiVersion: gantry/v1\nkind: TrainingJob\n---\n${text}`;
  const movedDocs = cache.parse(moved);
  assert.equal(validateDocCached(moved, movedDocs[2], opts), entry, 'checked again');
  assert.equal(entry.start, docs[1].start, 'the cached entry keeps the offsets it was computed at');
  assert.deepEqual(validateFile(moved, movedDocs, opts), validateFile(moved, parseSpecFile(moved), opts));
  assert.ok(validateFile(moved, movedDocs, opts).some((p) => p.code === 'global-batch' && p.docIndex === 2));
});

test('estimateDoc: a document that moved has its anchor, findings and index where a fresh estimate puts them', () => {
  const cache = new DocumentCache();
  const text = `${bad}---\n${job}`;
  const docs = cache.parse(text);
  const entry = estimateDocCached(text, docs[1], clusters, undefined, clusters.generation);
  const moved = `# first\n---\n${text}`;
  const movedDocs = cache.parse(moved);
  assert.equal(estimateDocCached(moved, movedDocs[2], clusters, undefined, clusters.generation), entry);
  const got = estimateDoc(moved, movedDocs[2], clusters, undefined, clusters.generation)!;
  const fresh = estimateDoc(moved, parseSpecFile(moved)[2], clusters)!;
  assert.deepEqual({ ...got, estimate: undefined }, { ...fresh, estimate: undefined });
  assert.equal(got.docIndex, 2);
});

test('checkDocCached, the one rule the CLI check and the server share: no estimate for a document with an error or checked YAML-only', () => {
  const text = `${job}---\n${bad}`;
  const docs = parseSpecFile(text);
  const clean = checkDocCached(text, docs[0], opts, false);
  assert.ok(clean.validation && clean.estimate?.result, 'a clean job: problems and an estimate');
  const broken = checkDocCached(text, docs[1], opts, false);
  assert.ok(broken.validation?.problems.some((p) => p.severity === 'error'));
  assert.equal(broken.estimate, undefined, 'a job with an error: no estimate');
  assert.equal(checkDocCached(text, docs[0], { ...opts, yamlOnly: true }, false).estimate, undefined, 'past the full-check limits: no estimate');
  const stopped = checkDocCached(text, docs[1], opts, true);
  assert.ok(stopped.validation === undefined && stopped.estimate?.result, 'a file not checked per document: estimated as it is');
  // checkFile is the same rule over the file: the broken job is invalid and has no estimate.
  const c = checkFile(text, opts);
  assert.deepEqual(
    c.estimates.map((e) => e.docIndex),
    [0],
  );
  assert.ok(c.invalid.has(1) && !c.invalid.has(0));
});
