// `gantry check [files|folders]`: the editor's diagnostics for CI pipelines and pre-commit hooks.
// Compiler-style lines or --format json; exit 0 without errors, 1 with errors, 2 on bad usage.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { checkFile, summarize } from '../../core/check/checkFile';
import { parseSpecFile } from '../../core/spec/parse';
import { Workspace, pathToUri, uriToPath } from '../../core/workspace/workspace';
import { readFileSync } from 'node:fs';
import { readerBeside } from '../../core/workspace/readBeside';
import { foreignDefaults } from '../../core/formats/context';
import { launcherDefaults } from '../../core/formats/launcherLink';
import { folderNames } from '../folderNames';
import { isGantryFile } from '../../core/validate/validate';
import type { ForeignDefaults } from '../../core/formats/types';
import { parseCommandArgs } from '../args';

export const summary = 'check specs for errors (compiler-style output or --format json)';

const USAGE = `usage: gantry check [options] [files|folders…]

Checks every Gantry spec (files with apiVersion: gantry/… or named *.gantry.yaml) and every foreign
config Gantry recognises (a vllm serve / SGLang command in a Kubernetes manifest, compose file,
Dockerfile, script or SkyPilot task; a torchtitan TOML, axolotl YAML, DeepSpeed JSON or accelerate
YAML) in the given files and folders (default: the current folder); '-' reads standard input, e.g.
'helm template chart | gantry check -'. Cluster references resolve against every Cluster found
under --workspace (default: the current folder) and the given paths.

options:
  --format text|json   output format (default text: file:line:col: severity code: message)
  --workspace DIR      where to look for Cluster documents (default: .)
  --max-warnings N     exit 1 when there are more than N warnings
  --gpu ID             the GPU (catalog id) foreign configs run on where neither they nor a
                       gantry.context.yaml beside them say
  --stdin-name NAME    the file name standard input ('-') stands for (default stdin.yaml)
  -q, --quiet          print errors only
  -h, --help           this help

exit status: 0 no errors, 1 errors found (or more warnings than --max-warnings, or no Gantry spec
checked), 2 bad usage or unreadable input. A file named explicitly that holds no Gantry document is
reported as skipped ("not a Gantry spec"; in --format json an entry with severity "info", code
"skipped").`;

export interface CheckResult {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
  /** The titles of the quick fixes for this problem, when there are any. */
  fixes?: string[];
}

interface Options {
  format: 'text' | 'json';
  workspace: string;
  maxWarnings?: number;
  quiet: boolean;
  paths: string[];
  stdinName?: string;
  gpu?: string;
}

function parseArgs(argv: string[]): Options | string {
  const a = parseCommandArgs(argv, {
    format: { type: 'string' },
    workspace: { type: 'string' },
    'max-warnings': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    gpu: { type: 'string' },
    'stdin-name': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if ('error' in a) return a.error;
  const { values: v } = a;
  if (v.help) return 'help';
  if (v.format !== undefined && v.format !== 'text' && v.format !== 'json') return '--format must be text or json';
  if (v.workspace === '') return '--workspace needs a folder';
  const maxWarnings = v['max-warnings'] === undefined ? undefined : Number(v['max-warnings']);
  if (maxWarnings !== undefined && (!Number.isInteger(maxWarnings) || maxWarnings < 0 || v['max-warnings'] === '')) return '--max-warnings needs a whole number';
  return { format: v.format ?? 'text', workspace: v.workspace ?? '.', ...(maxWarnings !== undefined ? { maxWarnings } : {}), quiet: !!v.quiet, paths: a.positionals.length ? a.positionals : ['.'], ...(v['stdin-name'] ? { stdinName: v['stdin-name'] } : {}), ...(v.gpu ? { gpu: v.gpu } : {}) };
}

async function collect(p: string, out: Set<string>, explicit: boolean): Promise<string | undefined> {
  let st;
  try {
    st = await fs.stat(p);
  } catch {
    return `cannot read '${p}': no such file or folder`;
  }
  if (st.isFile()) {
    if (explicit || candidate(path.basename(p))) out.add(path.resolve(p));
    return undefined;
  }
  if (!st.isDirectory()) return undefined;
  const entries = await fs.readdir(p, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const child = path.join(p, e.name);
    if (e.isDirectory()) await collect(child, out, false);
    else if (e.isFile() && candidate(e.name)) out.add(path.resolve(child));
  }
  return undefined;
}

/**
 * The files a folder walk looks at: YAML (Gantry specs, manifests, compose, SkyPilot, axolotl,
 * accelerate) and the other files foreign configs live in (scripts, Dockerfiles, TOML, JSON). Each
 * is then read and checked only when it is a Gantry spec or a foreign reader recognises it.
 */
function candidate(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower === 'dockerfile' || lower === 'containerfile' || lower.startsWith('dockerfile.')) return true;
  const dot = lower.lastIndexOf('.');
  return dot > 0 && FOREIGN_EXTENSIONS.has(lower.slice(dot + 1));
}
const FOREIGN_EXTENSIONS = new Set(['yaml', 'yml', 'toml', 'json', 'sh', 'bash', 'sbatch', 'slurm']);

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

export async function checkPaths(paths: string[], workspaceDir: string, opts: { stdinName?: string; settings?: ForeignDefaults } = {}): Promise<{ results: CheckResult[]; unreadable: string[]; skipped: string[]; checked: number }> {
  const files = new Set<string>();
  const explicit = new Set<string>();
  const texts = new Map<string, string>();
  const unreadable: string[] = [];
  // '-': standard input, as the file it stands for (its name helps recognise a format).
  const stdin = paths.includes('-') ? path.resolve(opts.stdinName ?? 'stdin.yaml') : undefined;
  if (stdin) {
    try {
      texts.set(stdin, readFileSync(0, 'utf8'));
      explicit.add(stdin);
    } catch (e) {
      unreadable.push(`cannot read standard input: ${(e as Error).message}`);
    }
  }
  paths = paths.filter((p) => p !== '-');
  for (const p of paths) explicit.add(path.resolve(p));
  for (const p of paths) {
    const err = await collect(p, files, true);
    if (err) unreadable.push(err);
  }
  // One synchronous walk of the workspace indexes its Clusters and reads the files to check that lie
  // in it (a batch command has nothing else to do meanwhile); the others are read after it.
  const ws = new Workspace();
  const root = pathToUri(path.resolve(workspaceDir));
  ws.configureSync([root]);
  // Standard input is not on disk: its Clusters count as an open file's.
  if (stdin && texts.has(stdin)) ws.updateOpen(pathToUri(stdin), parseSpecFile(texts.get(stdin)!));
  const fromScan = new Map<string, string>();
  ws.scanSync([root], (p, text) => files.has(p) && fromScan.set(p, text));
  for (const f of files) {
    const text = fromScan.get(f);
    if (text !== undefined) {
      texts.set(f, text);
      continue;
    }
    try {
      texts.set(f, await fs.readFile(f, 'utf8'));
      const uri = pathToUri(f);
      if (/\.ya?ml$/i.test(f) && !ws.scanned.has(uri)) await ws.readFromDisk(uri);
    } catch (e) {
      unreadable.push(`cannot read '${f}': ${(e as Error).message}`);
    }
  }
  const results: CheckResult[] = [];
  const skipped: string[] = [];
  let checked = 0;
  const cwd = process.cwd();
  for (const [f, text] of texts) {
    const uri = pathToUri(f);
    const rel = path.relative(cwd, f) || f;
    const readFile = readerBeside(f);
    // What foreign configs do not say (gantry.context.yaml, --gpu): looked up for those files only.
    const defaults = isGantryFile(text, uri) ? undefined : launcherDefaults(uri, text, foreignDefaults(readFile, opts.settings), () => folderNames(f), readFile);
    const c = checkFile(text, { fileName: uri, clusters: ws.clusters.scopedTo(uri), readFile, defaults });
    if (!c.gantry) {
      // A file named explicitly that holds no Gantry document is said to be skipped; folders' other YAML is not.
      if (explicit.has(f)) {
        skipped.push(rel);
        results.push({ file: rel, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'info', code: 'skipped', message: 'not a Gantry spec: skipped' });
      }
      continue;
    }
    checked++;
    const starts = lineStarts(text);
    for (const p of c.problems) {
      const s = position(starts, p.offset);
      const e = position(starts, p.offset + p.length);
      results.push({ file: rel, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, severity: p.severity, code: p.code, message: p.message, ...(p.fixes?.length ? { fixes: p.fixes.map((x) => x.title) } : {}) });
    }
  }
  return { results, unreadable, skipped, checked };
}

export async function run(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  if (o === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (typeof o === 'string') {
    process.stderr.write(`gantry check: ${o}\n\n${USAGE}\n`);
    return 2;
  }
  const { results, unreadable, skipped, checked } = await checkPaths(o.paths, o.workspace, { stdinName: o.stdinName, settings: o.gpu ? { gpu: o.gpu } : {} });
  for (const u of unreadable) process.stderr.write(`gantry check: ${u}\n`);
  const problems = results.filter((r) => r.severity !== 'info');
  const shown = o.quiet ? results.filter((r) => r.severity === 'error' || r.severity === 'info') : results;
  if (o.format === 'json') process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
  else {
    for (const r of shown) {
      if (r.severity === 'info') process.stderr.write(`${r.file}: skipped: not a Gantry spec\n`);
      else process.stdout.write(`${r.file}:${r.line}:${r.column}: ${r.severity} ${r.code}: ${r.message}\n`);
      for (const fix of r.fixes ?? []) process.stdout.write(`    fix: ${fix}\n`);
    }
    process.stderr.write(`${summarize(problems)}${skipped.length ? `, ${skipped.length} skipped` : ''}\n`);
  }
  if (unreadable.length) return 2;
  if (!checked) {
    process.stderr.write('gantry check: no Gantry spec was checked\n');
    return 1;
  }
  const errors = problems.some((r) => r.severity === 'error');
  const warnings = problems.filter((r) => r.severity === 'warning').length;
  return errors || (o.maxWarnings !== undefined && warnings > o.maxWarnings) ? 1 : 0;
}

export { uriToPath };
