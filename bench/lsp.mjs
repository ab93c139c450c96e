// `npm run bench:lsp`: Gantry's language server against yaml-language-server on the same Gantry
// TrainingJob documents, each server given Gantry's own JSON Schemas, interleaved in one run
// (../shared/lsp-bench's harness), at 1, 20 and 200 documents per file. Prints the harness's
// Markdown tables and the A/B ratios; the raw JSON goes to bench/results/lsp.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const harness = process.env.GANTRY_LSP_BENCH ?? path.resolve(root, '../shared/lsp-bench');
if (!existsSync(path.join(harness, 'lsp-bench.mjs'))) {
  console.log(`bench:lsp skipped: no harness at ${harness} (set GANTRY_LSP_BENCH)`);
  process.exit(0);
}
const reps = process.env.BENCH_REPS ?? '3';
const work = path.join(root, 'bench/results/lsp');
mkdirSync(work, { recursive: true });

// yaml-language-server, installed once from npm into the cache.
const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'gantry', 'yaml-language-server-2.0.0');
const yamlLs = path.join(cache, 'node_modules/.bin/yaml-language-server');
if (!existsSync(yamlLs)) {
  console.log('installing yaml-language-server@2.0.0 into', cache);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', cache, 'yaml-language-server@2.0.0'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!existsSync(path.join(root, 'dist/cli.js'))) spawnSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: root, stdio: 'inherit' });

// ---------------------------------------------------------------- documents

const PRECISIONS = ['bf16-mixed', 'fp16-mixed', 'bf16'];
const CKPT = ['none', 'selective', 'full'];
const PRESETS = ['llama-3-8b', 'llama-2-7b', 'mistral-7b'];

/** One 60-line TrainingJob, valid under Gantry's schemas and rules. Returns its lines and the 0-based lines of the edit targets. */
function trainingJob(i) {
  const tp = [1, 2, 4][i % 3];
  const nodes = 1 + (i % 4);
  const gpus = nodes * 8;
  const dp = gpus / tp;
  const micro = 1 + (i % 2);
  const lines = [
    `# TrainingJob ${i}: generated for the LSP benchmark`,
    'apiVersion: gantry/v1',
    'kind: TrainingJob',
    'metadata:',
    `  name: bench-job-${i}`,
    '  labels:',
    `    team: team-${i % 7}`,
    `    priority: p${i % 3}`,
    '  description: A generated pre-training job.',
    'spec:',
    '  resources:',
    `    nodes: ${nodes}`,
    '    gpusPerNode: 8',
    '    cpusPerTask: 12',
    '    memory: 512GiB',
    '  model:',
    `    preset: ${PRESETS[i % PRESETS.length]}`,
    `  precision: ${PRECISIONS[i % PRECISIONS.length]}`,
    '  optimizer:',
    '    type: adamw',
    '    learningRate: 0.0003',
    '    weightDecay: 0.1',
    '  parallelism:',
    `    tensor: ${tp}`,
    '    pipeline: 1',
    `    data: ${dp}`,
    '    zero: 1',
    `    sequenceParallel: ${tp > 1}`,
    '  batch:',
    `    micro: ${micro}`,
    `    global: ${micro * dp * 4}`,
    '    gradientAccumulation: 4',
    '    sequenceLength: 4096',
    `  activationCheckpointing: ${CKPT[i % CKPT.length]}`,
    '  attention: flash',
    '  training:',
    '    tokens: 1000000000',
    '  container:',
    '    image: nvcr.io/nvidia/pytorch:24.05-py3',
    '    workdir: /workspace',
    '    mounts:',
    '      - source: /lustre/datasets',
    '        target: /data',
    '        readOnly: true',
    '      - source: /lustre/checkpoints',
    '        target: /ckpt',
    '  command:',
    '    - torchrun',
    '    - --nproc-per-node=8',
    '    - train.py',
    `    - --run-name=job-${i}`,
    '  env:',
    '    NCCL_DEBUG: WARN',
    '    CUDA_DEVICE_MAX_CONNECTIONS: "1"',
    '    TOKENIZERS_PARALLELISM: "false"',
    '    PYTORCH_CUDA_ALLOC_CONF: expandable_segments:True',
    `    WANDB_RUN_GROUP: group-${i % 5}`,
    '    OMP_NUM_THREADS: "8"',
    '  timeLimit: 24h',
    '  workingDir: /workspace',
  ];
  const find = (re) => lines.findIndex((l) => re.test(l));
  const targets = [
    { line: find(/^  precision:/), key: 'precision', invalid: ['fp7'], valid: ['bf16-mixed', 'fp16-mixed'], violates: 'enum' },
    { line: find(/^    sequenceLength:/), key: 'sequenceLength', invalid: ['0'], valid: ['4096', '2048'], violates: 'minimum' },
    { line: find(/^  timeLimit:/), key: 'timeLimit', invalid: ['"3 weeks"'], valid: ['24h', '72h'], violates: 'pattern' },
    { line: find(/^  activationCheckpointing:/), key: 'activationCheckpointing', invalid: ['sometimes'], valid: ['selective', 'full'], violates: 'enum' },
    { line: find(/^    type: adamw/), key: 'type', invalid: ['adamx'], valid: ['adamw', 'sgd'], violates: 'enum' },
    { line: find(/^    gpusPerNode:/), key: 'gpusPerNode', invalid: ['"eight"'], valid: ['8'], violates: 'type' },
  ];
  return { lines, targets };
}

function writeDocs(n) {
  const all = [];
  let mid;
  const middle = Math.floor((n - 1) / 2);
  for (let i = 0; i < n; i++) {
    const { lines, targets } = trainingJob(i);
    if (i > 0) all.push('---');
    if (i === middle) mid = targets.map((t) => ({ ...t, line: t.line + all.length }));
    all.push(...lines);
  }
  const file = path.join(work, `gantry-trainingjob-${n}.gantry.yaml`);
  writeFileSync(file, all.join('\n') + '\n');
  const plan = {
    file: path.basename(file),
    documents: n,
    lines: all.length,
    editDocument: middle,
    targets: mid,
    completions: [
      { name: 'enum value (precision)', line: mid[0].line, character: '  precision: '.length },
      { name: 'enum value (activationCheckpointing)', line: mid[3].line, character: '  activationCheckpointing: '.length },
      { name: 'enum value (optimizer.type)', line: mid[4].line, character: '    type: '.length },
      { name: 'property key (batch.*)', line: mid[1].line, character: 4 },
    ],
    hovers: [
      { name: 'key gpusPerNode', line: mid[5].line, character: 6 },
      { name: 'key precision', line: mid[0].line, character: 4 },
      { name: 'key sequenceLength', line: mid[1].line, character: 6 },
      { name: 'value precision', line: mid[0].line, character: '  precision: '.length + 2 },
    ],
  };
  writeFileSync(file.replace(/\.yaml$/, '.plan.json'), JSON.stringify(plan, null, 2));
  return file;
}

const files = [1, 20, 200].map(writeDocs);
const settings = path.join(work, 'yaml-ls.json');
writeFileSync(
  settings,
  JSON.stringify(
    {
      yaml: {
        schemas: { [`file://${path.join(root, 'schemas/gantry.schema.json')}`]: ['*.gantry.yaml'] },
        validate: true,
        hover: true,
        completion: true,
        format: { enable: false },
        schemaStore: { enable: false },
        kubernetesCRDStore: { enable: false },
        maxItemsComputed: 5000,
      },
      '[yaml]': {},
      http: { proxy: '', proxyStrictSSL: false },
      editor: { detectIndentation: true },
    },
    null,
    2,
  ),
);
const oursSettings = path.join(work, 'gantry.json');
writeFileSync(oursSettings, '{}');

const out = path.join(root, 'bench/results/lsp.json');
const serverFlags = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).gantry?.serverNodeFlags ?? [];
const args = [
  path.join(harness, 'lsp-bench.mjs'),
  // One Node process with the server's V8 flags (package.json gantry.serverNodeFlags), as VS Code's
  // client starts it, through the bin's own `server` command. (Plain `gantry server --stdio`
  // re-runs itself with these flags, so another editor also gets a small parent process that only
  // waits; its memory is Node's own, not the server's, and is left out here.)
  '--server',
  `${[process.execPath, ...serverFlags, path.join(root, 'dist/cli.js')].join(' ')} server --stdio`,
  '--name',
  'gantry',
  '--settings',
  oursSettings,
  '--vs',
  `${process.execPath} ${yamlLs} --stdio`,
  '--vs-name',
  'yaml-ls',
  '--vs-settings',
  settings,
  ...files.flatMap((f) => ['--file', f]),
  '--reps',
  reps,
  '--edits',
  process.env.BENCH_EDITS ?? '20',
  '--lang',
  'yaml',
  '--out',
  out,
];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (r.status !== 0 && r.status !== 1) process.exit(r.status ?? 3);
spawnSync(process.execPath, [path.join(harness, 'report-md.mjs'), out], { stdio: 'inherit' });

// The 200-document file opened cold: first and complete diagnostics, side by side (bench/coldOpen.mjs).
spawnSync(process.execPath, [path.join(root, 'bench/coldOpen.mjs'), files[2], reps, `gantry=${[process.execPath, ...serverFlags, path.join(root, 'dist/cli.js')].join(' ')} server --stdio`, `yaml-ls=${process.execPath} ${yamlLs} --stdio`, settings], { stdio: 'inherit' });

// The floor: a vscode-languageserver connection that does no work (bench/floor-server.cjs, bundled
// like dist/server.js, with the same esbuild plugin, and run with the same V8 flags). Its peak memory and round trip are what Node
// and the LSP library cost before any Gantry code runs; Gantry's figures above include them.
if (process.env.BENCH_FLOOR !== '0') {
  const esbuild = await import('esbuild');
  const floor = path.join(work, 'floor-server.js');
  const { lazyBuiltins } = await import('../scripts/esbuild-plugins.mjs');
  await esbuild.build({ entryPoints: [path.join(root, 'bench/floor-server.cjs')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, outfile: floor, logLevel: 'warning', plugins: [lazyBuiltins] });
  const floorOut = path.join(root, 'bench/results/lsp-floor.json');
  const f = spawnSync(
    process.execPath,
    [
      path.join(harness, 'lsp-bench.mjs'),
      '--server',
      [process.execPath, ...serverFlags, floor, '--stdio'].join(' '),
      '--name',
      'floor',
      '--settings',
      oursSettings,
      ...files.flatMap((x) => ['--file', x]),
      '--reps',
      reps,
      '--edits',
      process.env.BENCH_EDITS ?? '20',
      '--probe',
      'never',
      '--lang',
      'yaml',
      '--out',
      floorOut,
      '--quiet',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (f.status === 0) {
    const res = JSON.parse(readFileSync(floorOut, 'utf8'));
    const ours = JSON.parse(readFileSync(out, 'utf8'));
    console.log(`\n**Floor**: a vscode-languageserver connection doing no work, node ${serverFlags.join(' ')} (medians)\n`);
    console.log('| file | floor peak_rss_mb | gantry peak_rss_mb | yaml-ls peak_rss_mb | floor incr_diag_ms | gantry incr_diag_ms |');
    console.log('|---|---:|---:|---:|---:|---:|');
    const med = (r, file, server, metric) => r.summary[path.basename(file)]?.[server]?.metrics?.[metric]?.median;
    const fmt = (x) => (typeof x === 'number' ? x.toFixed(1) : '?');
    for (const file of files) {
      console.log(`| ${path.basename(file)} | ${fmt(med(res, file, 'floor', 'peak_rss_mb'))} | ${fmt(med(ours, file, 'gantry', 'peak_rss_mb'))} | ${fmt(med(ours, file, 'yaml-ls', 'peak_rss_mb'))} | ${fmt(med(res, file, 'floor', 'incr_diag_ms'))} | ${fmt(med(ours, file, 'gantry', 'incr_diag_ms'))} |`);
    }
  } else {
    console.log(`floor run failed (exit ${f.status})`);
  }
}
