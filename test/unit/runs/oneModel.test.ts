// One spec model from the file to the run (issues 14, 15, 16): over a workspace with its Clusters
// in one folder and its jobs in others (files that open with a comment then `---`, or with `---`,
// a duplicated key, several documents, a nearer Cluster of the same name), every consumer agrees
// on each job's document index, its Cluster and its verdict: the core check the server and the CLI
// use, `gantry check`, `gantry estimate`, `gantry run --dry-run`, `gantry script` and the ▶ Run
// lens's document list.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repo } from '../helpers';
import { checkFile } from '../../../core/check/checkFile';
import { parseSpecFile } from '../../../core/spec/parse';
import { findSpecDocs, isRunnable } from '../../../core/runs/specDocs';
import { planFile } from '../../../core/runs/planFile';
import { Workspace, pathToUri, resolveClusterEntry, uriToPath } from '../../../core/workspace/workspace';
import { checkPaths } from '../../../cli/commands/check';
import { run as estimateCli } from '../../../cli/commands/estimate';
import { planWithScript } from '../../../cli/commands/slurmCli';

const ROOT = repo('test', 'fixtures', 'workspace');
const at = (rel: string) => path.join(ROOT, rel);

interface Row {
  file: string;
  docIndex: number;
  name: string;
  /** The file of the Cluster it resolves to (relative to ROOT), or undefined. */
  cluster?: string;
  /** No error anywhere: estimated, planned, runnable. */
  ok: boolean;
  /** Shown with a ▶ Run lens (a runnable kind whose YAML reads). */
  lens: boolean;
}

const TABLE: Row[] = [
  // A comment, then `---`: the comment is document 0, as in the editor.
  { file: 'jobs/job.gantry.yaml', docIndex: 1, name: 'train', cluster: 'clusters/box.gantry.yaml', ok: true, lens: true },
  { file: 'jobs/job.gantry.yaml', docIndex: 2, name: 'twice', ok: false, lens: false },
  { file: 'jobs/job.gantry.yaml', docIndex: 3, name: 'nowhere', ok: false, lens: true },
  // `---` first: no empty document before it.
  { file: 'jobs/first.gantry.yaml', docIndex: 0, name: 'first', cluster: 'clusters/box.gantry.yaml', ok: true, lens: true },
  // The nearest `box` is the project's own (local), not clusters/box (Slurm), and neither is a duplicate.
  { file: 'proj/job.gantry.yaml', docIndex: 0, name: 'local-train', cluster: 'proj/box.gantry.yaml', ok: true, lens: true },
];

async function captureStdout(f: () => Promise<number>): Promise<{ code: number; out: string }> {
  const write = process.stdout.write.bind(process.stdout);
  const ewrite = process.stderr.write.bind(process.stderr);
  let out = '';
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return { code: await f(), out };
  } finally {
    process.stdout.write = write;
    process.stderr.write = ewrite;
  }
}

test('every consumer agrees on document index, cluster and verdict for each job', async () => {
  const ws = new Workspace();
  await ws.scan([pathToUri(ROOT)]);
  const checked = await checkPaths(
    TABLE.map((r) => at(r.file)),
    ROOT,
  );
  const est = await captureStdout(() => estimateCli(['--format', 'json', '--workspace', ROOT, ...new Set(TABLE.map((r) => at(r.file)))]));
  const records = JSON.parse(est.out) as { file: string; name: string; summary: string }[];
  assert.equal(est.code, 1, 'estimate exits 1 on the same errors as check');

  for (const row of TABLE) {
    const file = at(row.file);
    const uri = pathToUri(file);
    const text = readFileSync(file, 'utf8');
    const where = `${row.file}#${row.docIndex} ${row.name}`;

    // The core check (the server's path and the CLI's): verdict and cluster.
    const c = checkFile(text, { fileName: uri, clusters: ws.clusters.scopedTo(uri) });
    const doc = c.docs[row.docIndex];
    assert.equal(doc.start <= text.indexOf(`name: ${row.name}`) && text.indexOf(`name: ${row.name}`) < doc.end, true, `${where}: document index`);
    assert.equal(!c.invalid.has(row.docIndex), row.ok, `${where}: core check verdict`);
    const entry = resolveClusterEntry(ws.clusters, uri, (doc.value as { spec?: unknown } | undefined)?.spec);
    // (A document the reader could not read has no spec to resolve.)
    if (doc.value !== undefined) assert.equal(entry ? path.relative(ROOT, uriToPath(entry.file)!) : undefined, row.cluster, `${where}: core cluster`);

    // gantry check: errors inside this document ⇔ not ok.
    const docs = parseSpecFile(text);
    const lineOf = (line: number) =>
      text
        .split('\n')
        .slice(0, line - 1)
        .join('\n').length + (line > 1 ? 1 : 0);
    const errs = checked.results.filter((r) => r.severity === 'error' && path.resolve(r.file) === file && docs[row.docIndex].start <= lineOf(r.line) && lineOf(r.line) < docs[row.docIndex].end);
    assert.equal(errs.length === 0, row.ok, `${where}: gantry check verdict ${JSON.stringify(errs)}`);

    // gantry estimate: an estimate exactly for the documents without errors, on the same cluster as the core's.
    const rec = records.find((r) => path.resolve(r.file) === file && r.name === row.name);
    assert.equal(!!rec, row.ok, `${where}: gantry estimate`);
    if (rec) assert.equal(rec.summary, c.estimates.find((e) => e.docIndex === row.docIndex)?.estimate.summary, `${where}: estimate summary`);

    // gantry run --dry-run (planFile) and gantry script (planWithScript).
    const planned = planFile(file, { docIndex: row.docIndex, root: ROOT });
    assert.equal(planned.ok, row.ok, `${where}: run --dry-run ${planned.ok ? '' : planned.errors.join('; ')}`);
    if (planned.ok) {
      const slurm = row.cluster === 'clusters/box.gantry.yaml';
      assert.equal(planned.plan.backend, slurm ? 'slurm' : 'local', `${where}: run backend`);
      if (planned.plan.backend === 'slurm') {
        const s = planWithScript(planned.plan, ROOT);
        assert.ok(s.ok, `${where}: script ${s.ok ? '' : s.error}`);
        assert.match(s.script.text, /^#SBATCH --partition="?gpu"?$/m, `${where}: script partition`);
      }
    }

    // The ▶ Run lens's documents.
    assert.equal(
      findSpecDocs(text)
        .filter(isRunnable)
        .some((d) => d.docIndex === row.docIndex),
      row.lens,
      `${where}: lens`,
    );
  }
});

test('one Cluster name in many folders is a duplicate only within one folder', () => {
  const ws = new Workspace();
  const entry = (file: string, docIndex = 0) => ({ name: 'box', file, docIndex, nameOffset: 0, nameLength: 3, doc: { apiVersion: 'gantry/v1', kind: 'Cluster', metadata: { name: 'box' }, spec: { file } } as never });
  for (let i = 0; i < 50; i++) ws.clusters.set(`/w/p${i}/clusters/box.yaml`, [entry(`/w/p${i}/clusters/box.yaml`)]);
  ws.clusters.set('/w/p0/clusters/other.yaml', [entry('/w/p0/clusters/other.yaml')]);
  assert.equal(ws.clusters.scopedTo('/w/p1/clusters/box.yaml').all('box').length, 1, 'no duplicate across folders');
  assert.equal(ws.clusters.scopedTo('/w/p0/clusters/box.yaml').all('box').length, 2, 'a duplicate within one folder');
  assert.equal(ws.clusters.scopedTo('/w/p7/jobs/job.yaml').get('box')?.file, '/w/p7/clusters/box.yaml', 'the nearest one');
  assert.deepEqual(ws.clusters.scopedTo('/w/p7/jobs/job.yaml').names(), ['box']);
});
