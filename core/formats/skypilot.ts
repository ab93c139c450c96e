// SkyPilot tasks that serve with vLLM or SGLang: the `run:` script (with `envs:` as its variables,
// and SkyPilot's own SKYPILOT_NUM_GPUS_PER_NODE / SKYPILOT_NUM_NODES), `resources.accelerators`
// (`L4:1`, `H100:8`, `{H100: 8}`, a list or set of choices: the first is estimated) and `num_nodes`.
// `--tensor-parallel-size $SKYPILOT_NUM_GPUS_PER_NODE` is read as the accelerator count, and a fix
// to it edits the count in `accelerators`.
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { parseYamlSteps } from '../spec/parse';
import { servingSpec, problemAt, type GpuContext } from './serving';
import type { ShellCommand, ShellVar } from './shellWords';
import type { ForeignSpec, FormatReader, ReadContext } from './types';
import { findServeCommand, mentionsServe, namedEngineVersion, readServeArgs, scriptCommandEnv } from './vllmArgs';
import { mapGet as get, appendAfter, scalarScript, scalarWord } from './yamlWords';

const base = (f: string) => f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);

export const skypilotReader: FormatReader = {
  id: 'skypilot',
  claims(fileName, text) {
    const b = base(fileName).toLowerCase();
    return (b.endsWith('.yaml') || b.endsWith('.yml')) && text.indexOf('run:') >= 0 && mentionsServe(text) && text.indexOf('apiVersion') < 0 && (text.indexOf('resources:') >= 0 || text.indexOf('envs:') >= 0);
  },
  read(text, ctx) {
    return readParsed(text, parseDocument(text, YAML_READ), ctx);
  },
  *readSteps(text, ctx) {
    return readParsed(text, yield* parseYamlSteps(text, YAML_READ), ctx);
  },
};

const YAML_READ = { uniqueKeys: false, prettyErrors: false } as const;

function readParsed(text: string, doc: Document.Parsed, ctx: ReadContext): ForeignSpec[] {
  const root = doc.contents;
  const run = get(root, 'run');
  if (!isMap(root) || !isScalar(run) || typeof run.value !== 'string') return [];
  const vars = new Map<string, ShellVar>();
  const envs = get(root, 'envs');
  if (isMap(envs)) {
    for (const p of envs.items as Pair[]) {
      if (!isScalar(p.key) || !isScalar(p.value) || p.value.value === null) continue;
      const w = scalarWord(text, p.value, 0);
      // SkyPilot sets envs in the run script's environment.
      vars.set(String(p.key.value), { value: w.value, span: w.span, exact: w.exact, exported: true });
    }
  }
  const gpu = resources(text, root);
  const perNode: ShellVar | undefined = gpu.count ? { value: String(gpu.count.value), span: gpu.count.entry.span, exact: !!gpu.count.entry.write } : undefined;
  if (perNode) vars.set('SKYPILOT_NUM_GPUS_PER_NODE', perNode);
  // SkyPilot sets SKYPILOT_NUM_NODES on every task: num_nodes, 1 when the task does not say.
  vars.set('SKYPILOT_NUM_NODES', { value: String(gpu.nodes?.value ?? 1), span: gpu.nodes?.entry?.span, exact: false });
  const gpus = perNode ? { name: 'SKYPILOT_NUM_GPUS_PER_NODE', v: perNode } : undefined;
  const script = scalarScript(text, run, 0, { vars, assignments: true, gpus });
  // `setup: pip install vllm==0.19.0` pins the engine version the run command serves with (tokenized once a serve command is found).
  let pinSource: ShellCommand[] | undefined;
  const out: ForeignSpec[] = [];
  for (const c of script.commands) {
    const cmd = findServeCommand(c.words);
    if (!cmd) continue;
    const last = c.words[c.words.length - 1];
    const read = readServeArgs(cmd, { append: script.placed ? (ws) => appendAfter(last, ws) : undefined });
    const name = str(get(root, 'name')) ?? base(ctx.fileName);
    out.push(
      servingSpec({
        format: 'skypilot',
        label: `${cmd.launcher} in SkyPilot task ${name}`,
        name,
        text,
        cmd,
        read,
        gpu,
        defaults: ctx.defaults,
        version: namedEngineVersion(cmd.engine, { commands: (pinSource ??= [...setupCommands(text, root, vars), ...script.commands]) }),
        problems: out.length ? [] : script.problems.map((p) => problemAt('foreign-shell', 'warning', p, p.message)),
        env: scriptCommandEnv(script.vars ?? vars, c.words),
      }),
    );
  }
  return out;
}

/** The commands of a task's `setup:` script (empty when there is none). */
function setupCommands(text: string, root: YAMLMap, vars: Map<string, ShellVar>): ShellCommand[] {
  const setup = get(root, 'setup');
  return isScalar(setup) && typeof setup.value === 'string' ? scalarScript(text, setup, 0, { vars, assignments: true }).commands : [];
}

function str(n: unknown): string | undefined {
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}

function resources(text: string, root: YAMLMap): GpuContext {
  const gpu: GpuContext = { scheduler: 'local', clusterName: 'skypilot-task' };
  const nodes = get(root, 'num_nodes');
  if (isScalar(nodes) && typeof nodes.value === 'number' && nodes.value >= 1) gpu.nodes = { value: nodes.value, entry: { span: scalarWord(text, nodes, 0).span, label: 'num_nodes' } };
  let acc = get(get(root, 'resources'), 'accelerators');
  if (isSeq(acc) && acc.items.length) {
    if (acc.items.length > 1) gpu.notes = ['GPU: resources.accelerators lists several choices; the first is estimated.'];
    acc = acc.items[0] as YamlNode;
  }
  // `{H100: 8}` (a count as the value), or a set of choices `{L4:1, A10G:1}` / `{L4, A10G}`: YAML reads
  // `L4:1` (no space after the colon) as one key with a null value, and SkyPilot reads that key as the
  // string form `NAME[:COUNT]` (docs/source/reference/yaml-spec.rst). The first entry is estimated.
  if (isMap(acc) && acc.items.length) {
    const p = acc.items[0] as Pair;
    if (!isScalar(p.key)) return gpu;
    const v = p.value;
    if (isScalar(v) && typeof v.value === 'number') {
      const kw = scalarWord(text, p.key as Scalar, 0);
      gpu.product = { name: kw.value, dialect: 'skypilot', entry: { span: kw.span, label: 'resources.accelerators' } };
      const vw = scalarWord(text, v, 0);
      gpu.count = { value: v.value, entry: { span: vw.span, label: 'resources.accelerators', write: (x) => (typeof x === 'number' && Number.isInteger(x) && v.type === 'PLAIN' ? { offset: vw.span.offset, length: vw.span.length, newText: String(x) } : undefined) } };
    } else if (v === null || v === undefined || (isScalar(v) && v.value === null)) accelerator(text, p.key as Scalar, gpu);
    else {
      // `{H100: "8"}` or another value: the GPU is the key; its count is not read.
      const kw = scalarWord(text, p.key as Scalar, 0);
      gpu.product = { name: kw.value, dialect: 'skypilot', entry: { span: kw.span, label: 'resources.accelerators' } };
    }
    if (acc.items.length > 1) gpu.notes = [`GPU: resources.accelerators lists several choices; the first (${gpu.product?.name ?? String((p.key as Scalar).value)}) is estimated.`];
    return gpu;
  }
  if (isScalar(acc) && typeof acc.value === 'string') accelerator(text, acc, gpu);
  return gpu;
}

/** `NAME[:COUNT]` (a string, a list item or a set's key): the GPU and its count, 1 when it is left out (as SkyPilot reads it). */
function accelerator(text: string, node: Scalar, gpu: GpuContext): void {
  const w = scalarWord(text, node, 0);
  const colon = w.value.indexOf(':');
  const name = colon < 0 ? w.value : w.value.slice(0, colon);
  gpu.product = { name, dialect: 'skypilot', entry: { span: w.exact ? { offset: w.span.offset, length: name.length } : w.span, label: 'resources.accelerators' } };
  const countText = colon < 0 ? '1' : w.value.slice(colon + 1);
  const count = Number(countText);
  if (Number.isInteger(count) && count > 0) {
    const span = w.exact && colon >= 0 ? { offset: w.span.offset + colon + 1, length: countText.length } : w.span;
    const canWrite = w.exact && colon >= 0;
    gpu.count = { value: count, entry: { span, label: 'resources.accelerators', write: (x) => (canWrite && typeof x === 'number' && Number.isInteger(x) ? { offset: span.offset, length: span.length, newText: String(x) } : undefined) } };
  }
}
