// Kubernetes manifests with a vLLM or SGLang container: Pod, Deployment, StatefulSet, DaemonSet,
// Job, CronJob, LeaderWorkerSet (leader and worker templates), KServe InferenceService (predictor
// containers, or the Hugging Face runtime's `model:` with vLLM flags) and ServingRuntime, in
// multi-document files (Helm output) and `List` kinds. A document is parsed only when its text
// mentions vllm or sglang, so the other 199 documents of a rendered chart cost one string search.
//
// From each container: the command line (`command` + `args`, list items split `--x`, `"4"` or
// joined `--x=4`; or a `["/bin/sh", "-c", "vllm serve …"]` script), `$(VAR)` from its `env`
// (the kubelet's one-pass expansion), `resources.limits["nvidia.com/gpu"]` as the GPUs per pod,
// and the pod's nodeSelector / node affinity on `nvidia.com/gpu.product` (GPU feature discovery)
// or `cloud.google.com/gke-accelerator` as the GPU. Fixes edit the list item in its quoting, the
// value inside `--x=4`, or the script's word; new flags are appended as list items in the same style.
import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseYamlSteps, splitDocuments, type Span } from '../spec/parse';
import type { TextEditAt } from '../validate/problem';
import { expandKube, expandKubeEnv, type ShellCommand, type ShellVar, type Word } from './shellWords';
import { servingSpec, problemAt, versionOf, type GpuContext } from './serving';
import { MAX_FOREIGN_CHARS, type ForeignSpec, type FormatReader, type ReadContext } from './types';
import { MAX_FILE_BYTES } from '../validate/validate';
import { commandAssignments, findServeCommand, imageEngine, imageServeCommand, mentionsServe, namedEngineVersionAt, readServeArgs, scriptCommandEnv, type ServeCommand } from './vllmArgs';
import { mapGet as get, appendAfter, appendItems, mergeEdits, scalarWord, shellDashC, writeScalar } from './yamlWords';

const MAX_DEPTH = 16;
const GPU_KEY = 'nvidia.com/gpu';
const PRODUCT_KEYS = ['nvidia.com/gpu.product', 'cloud.google.com/gke-accelerator'];
const KSERVE_MOUNT = '/mnt/models';
/** GKE's node label names its accelerator types; GPU feature discovery's, the product. */
const dialectOf = (key: string) => (key === 'cloud.google.com/gke-accelerator' ? 'gke' : 'gfd');

/** vllm, sglang, or KServe's Hugging Face runtime (vLLM inside, often not named). */
const mentionsK8sServe = (text: string) => mentionsServe(text) || text.indexOf('huggingface') >= 0;

const isYamlName = (f: string) => {
  const l = f.toLowerCase();
  return l.endsWith('.yaml') || l.endsWith('.yml') || l === '-' || l.startsWith('untitled');
};

export const kubernetesReader: FormatReader = {
  id: 'kubernetes',
  claims(fileName, text) {
    return isYamlName(fileName) && mentionsK8sServe(text) && text.indexOf('apiVersion') >= 0 && text.indexOf('kind') >= 0;
  },
  read(text, ctx) {
    const steps = readSteps(text, ctx);
    for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
  },
  readSteps,
  // A rendered chart is read a document at a time, so the file may be as long as a Gantry spec file;
  // one document past MAX_FOREIGN_CHARS is passed over (its parse alone would hold the server for seconds).
  maxChars: MAX_FILE_BYTES,
  oversized: (text) =>
    splitDocuments(text)
      .filter((c) => c.end - c.start > MAX_FOREIGN_CHARS && mentionsK8sServe(text.slice(c.start, c.end)))
      .map((c) => ({ offset: c.start, length: c.end - c.start })),
};

/** A document at a time, each parsed in steps (a rendered chart can be long). */
function* readSteps(text: string, ctx: ReadContext): Generator<void, ForeignSpec[]> {
  const out: ForeignSpec[] = [];
  for (const chunk of splitDocuments(text)) {
    if (ctx.maxDocChars !== undefined && chunk.end - chunk.start > ctx.maxDocChars) continue;
    const slice = text.slice(chunk.start, chunk.end);
    if (!mentionsK8sServe(slice)) continue;
    const doc = yield* parseYamlSteps(slice, { uniqueKeys: false, prettyErrors: false });
    if (!isMap(doc.contents)) continue;
    const root = doc.contents;
    if (str(get(root, 'kind')) === 'List') {
      const items = get(root, 'items');
      if (isSeq(items)) for (const it of items.items) if (isMap(it)) readResource(text, it, chunk.start, ctx, out);
    } else readResource(text, root, chunk.start, ctx, out);
    yield;
  }
  return out;
}

function str(n: unknown): string | undefined {
  return isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value) : undefined;
}

function at(path: unknown, ...keys: string[]): YamlNode | undefined {
  let n = path as YamlNode | undefined;
  for (const k of keys) n = get(n, k);
  return n;
}

interface Resource {
  kind: string;
  name: string;
  /** LeaderWorkerSet group size (or a Ray cluster's head + workers): pods (nodes) per replica, and what the file calls it. */
  size?: { value: number; node: Scalar; label: string; kind: string };
  /** A LeaderWorkerSet's two pod templates, when it has both (without a leaderTemplate every pod is a worker). */
  leaderPod?: YAMLMap;
  workerPod?: YAMLMap;
  /** What the leader's and the workers' containers served (readContainer), to read a group that all runs the server as one service. */
  leaderSpecs?: ForeignSpec[];
  workerSpecs?: ForeignSpec[];
}

function readResource(text: string, root: YAMLMap, base: number, ctx: ReadContext, out: ForeignSpec[]): void {
  const kind = str(get(root, 'kind')) ?? 'resource';
  const name = str(at(root, 'metadata', 'name')) ?? kind.toLowerCase();
  const res: Resource = { kind, name };
  const lwt = at(root, 'spec', 'leaderWorkerTemplate');
  const size = get(lwt, 'size');
  if (isScalar(size) && typeof size.value === 'number') res.size = { value: size.value, node: size, label: 'leaderWorkerTemplate.size', kind: 'LeaderWorkerSet group' };
  const leaderPod = at(lwt, 'leaderTemplate', 'spec');
  const workerPod = at(lwt, 'workerTemplate', 'spec');
  if (isMap(leaderPod) && isMap(workerPod)) Object.assign(res, { leaderPod, workerPod, leaderSpecs: [], workerSpecs: [] });
  else rayGroup(root, res);
  walk(text, root, base, res, ctx, out, 0);
  oneGroupService(res, out);
}

/**
 * A LeaderWorkerSet whose leader and workers both run the server (SGLang's `launch_server … --nnodes
 * $(LWS_GROUP_SIZE) --node-rank $(LWS_WORKER_INDEX)` in both templates, vLLM's `vllm serve … --node-rank 1` in the
 * worker): one multi-node service, the leader's, whose GPUs already count the workers' (gpuContext's group). The
 * workers' own findings on their words (a slip, a bad value) stay, on the leader's service.
 */
function oneGroupService(res: Resource, out: ForeignSpec[]): void {
  const leader = res.leaderSpecs?.[0];
  if (!leader || !res.workerSpecs?.length) return;
  const own = new Set(['foreign-unknown-flag', 'foreign-flag-value', 'foreign-shell', 'foreign-env']);
  for (const w of res.workerSpecs) {
    const k = out.indexOf(w);
    if (k >= 0) out.splice(k, 1);
    for (const p of w.problems) if (own.has(p.code) && !leader.problems.some((q) => q.code === p.code && q.offset === p.offset)) leader.problems.push(p);
  }
}

/**
 * A KubeRay cluster (RayCluster, RayService's rayClusterConfig, AIBrix's RayClusterFleet template): a server started
 * on the head (`vllm serve … --tensor-parallel-size 16` over Ray) spans the head and its one worker group's
 * `replicas` pods, read as a LeaderWorkerSet group is (the head the leader). Several worker groups are left alone.
 */
function rayGroup(root: YAMLMap, res: Resource): void {
  const cluster = findRayCluster(root, 0);
  const groups = get(cluster, 'workerGroupSpecs');
  if (!cluster || !isSeq(groups) || groups.items.length !== 1) return;
  const replicas = get(groups.items[0], 'replicas');
  const head = at(cluster, 'headGroupSpec', 'template', 'spec');
  const worker = at(groups.items[0], 'template', 'spec');
  if (!isScalar(replicas) || typeof replicas.value !== 'number' || !Number.isInteger(replicas.value) || replicas.value < 0 || replicas.value > 1024 || !isMap(head) || !isMap(worker)) return;
  res.size = { value: 1 + replicas.value, node: replicas, label: 'the Ray head + workerGroupSpecs replicas', kind: 'Ray cluster' };
  Object.assign(res, { leaderPod: head, workerPod: worker, leaderSpecs: [], workerSpecs: [] });
}

function findRayCluster(n: unknown, depth: number): YAMLMap | undefined {
  if (!isMap(n) || depth > 6) return undefined;
  if (get(n, 'headGroupSpec') && get(n, 'workerGroupSpecs')) return n;
  for (const p of n.items as Pair[]) {
    const hit = findRayCluster(p.value, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

/** Finds pod specs (maps with `containers`) and KServe Hugging Face predictors anywhere in a resource. */
function walk(text: string, node: unknown, base: number, res: Resource, ctx: ReadContext, out: ForeignSpec[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (isMap(node)) {
    const containers = get(node, 'containers');
    if (isSeq(containers)) for (const c of containers.items) if (isMap(c)) readContainer(text, c, node, base, res, ctx, out);
    const model = get(node, 'model');
    if (isMap(model) && str(at(model, 'modelFormat', 'name')) === 'huggingface') readKserveModel(text, model, node, base, res, ctx, out);
    for (const p of node.items as Pair[]) {
      if (isScalar(p.key) && (p.key.value === 'containers' || p.key.value === 'initContainers')) continue;
      walk(text, p.value, base, res, ctx, out, depth + 1);
    }
  } else if (isSeq(node)) for (const it of node.items) walk(text, it, base, res, ctx, out, depth + 1);
}

/** The container's env as variables (`value:` only; `valueFrom:` is not known from the file). */
function envOf(text: string, c: YAMLMap, base: number): { env: Map<string, ShellVar>; problems: string[] } {
  const env = get(c, 'env');
  const entries: { name: string; value: string; span?: Span; exact?: boolean }[] = [];
  if (isSeq(env)) {
    for (const e of env.items) {
      const n = str(get(e, 'name'));
      const v = get(e, 'value');
      if (!n || !isScalar(v)) continue;
      const w = scalarWord(text, v, base);
      entries.push({ name: n, value: w.value, span: w.span, exact: w.exact });
    }
  }
  return expandKubeEnv(entries);
}

/** A command/args item as a word, after `$(VAR)` expansion from the env. */
function itemWord(text: string, node: YamlNode, base: number, env: Map<string, ShellVar>): Word | undefined {
  if (!isScalar(node)) return undefined;
  const w = scalarWord(text, node, base);
  w.write = (v) => writeScalar(text, node, base, v);
  if (w.value.indexOf('$') < 0) return w;
  const x = expandKube(w.value, env);
  if (!x.changed) {
    // `$(NAME)` from `valueFrom` (a ConfigMap, a Secret) or from nowhere: not known from the file.
    const at = w.value.indexOf('$(');
    if (at >= 0) w.unresolved = w.value.slice(at);
    return w;
  }
  const word: Word = { value: x.value, span: w.span, exact: false, quote: w.quote };
  // `$(NAME)` alone: a fix edits the env value it comes from.
  const s = w.value;
  if (s.startsWith('$(') && s.endsWith(')')) {
    const v = env.get(s.slice(2, -1));
    if (v?.span && v.value === x.value) word.origin = { span: v.span, exact: v.exact === true, name: s.slice(2, -1) };
  }
  // `--x=$(NAME)`: a fix edits the env value NAME comes from.
  const eq = s.indexOf('=$(');
  if (eq > 0 && s.endsWith(')') && s.indexOf('$', eq + 2) < 0) {
    const v = env.get(s.slice(eq + 3, -1));
    if (v?.span && x.value === `${s.slice(0, eq)}=${v.value}`) word.origin = { span: v.span, exact: v.exact === true, name: s.slice(eq + 3, -1) };
  }
  // Unresolved if a `$(` is left.
  if (x.value.indexOf('$(') >= 0) word.unresolved = x.value.slice(x.value.indexOf('$('));
  return word;
}

interface Found {
  cmd: ServeCommand;
  /** The commands of the `sh -c` script the serve command is in (a `pip install vllm==X` there names the version). */
  commands?: ShellCommand[];
  /** Those commands' words are placed in the file. */
  placed?: boolean;
  /** What the script exports and the command's own assignments (`A=b vllm serve …`). */
  scriptEnv?: Map<string, ShellVar>;
  append?: (words: string[]) => TextEditAt | undefined;
  problems: ReturnType<typeof problemAt>[];
}

/** The serve command of a container's argv (list items, or a shell script in one of them). */
function findInArgv(text: string, items: { node: YamlNode; seq: YAMLSeq }[], base: number, env: Map<string, ShellVar>, image: string | undefined, hasCommand: boolean, anchor: Span): Found | undefined {
  const words: Word[] = [];
  const nodes: YamlNode[] = [];
  const seqOf: YAMLSeq[] = [];
  for (const it of items) {
    const w = itemWord(text, it.node, base, env);
    if (w) {
      words.push(w);
      nodes.push(it.node);
      seqOf.push(it.seq);
    }
  }
  // sh -c "script": the script's own words.
  const script = shellDashC(text, words, nodes, base, { vars: env, kubeEnv: env, assignments: true });
  if (script) {
    for (const c of script.commands) {
      const cmd = findServeCommand(c.words);
      if (!cmd) continue;
      const last = c.words[c.words.length - 1];
      return { cmd, commands: script.commands, placed: script.placed, scriptEnv: scriptCommandEnv(script.vars ?? new Map(), c.words), append: script.placed ? (ws) => appendAfter(last, ws) : undefined, problems: script.problems.map((p) => problemAt('foreign-shell', 'warning', p, p.message)) };
    }
    return undefined;
  }
  let cmd = findServeCommand(words);
  if (!cmd && !hasCommand && image && imageEngine(image)) cmd = imageServeCommand('vllm', image, words, anchor);
  if (!cmd) return undefined;
  const lastSeq = seqOf[seqOf.length - 1];
  return { cmd, scriptEnv: commandAssignments(words), append: lastSeq ? (ws) => appendItems(text, lastSeq, base, ws) : undefined, problems: [] };
}

function readContainer(text: string, c: YAMLMap, pod: YAMLMap, base: number, res: Resource, ctx: ReadContext, out: ForeignSpec[]): void {
  const command = get(c, 'command');
  const args = get(c, 'args');
  const items: { node: YamlNode; seq: YAMLSeq }[] = [];
  if (isSeq(command)) for (const n of command.items) items.push({ node: n as YamlNode, seq: command });
  if (isSeq(args)) for (const n of args.items) items.push({ node: n as YamlNode, seq: args });
  const image = str(get(c, 'image'));
  const imageNode = get(c, 'image');
  const anchor = isScalar(imageNode) ? scalarWord(text, imageNode, base).span : spanOfNode(c, base);
  const { env, problems: envProblems } = envOf(text, c, base);
  const found = findInArgv(text, items, base, env, image, isSeq(command), anchor);
  if (!found) return;
  if (found.cmd.args.some((w) => w.value === '--headless')) return;
  // A KServe ServingRuntime is a template: it serves whatever an InferenceService mounts at
  // /mnt/models, and is estimated there (the InferenceService), not here.
  const mount = (v: string) => (v.endsWith('/') ? v.slice(0, -1) : v);
  if (found.cmd.args.some((w) => mount(w.value) === KSERVE_MOUNT || mount(w.value).endsWith(`=${KSERVE_MOUNT}`))) return;
  const read = readServeArgs(found.cmd, { append: found.append });
  const cname = str(get(c, 'name')) ?? 'container';
  const gpu = gpuContext(text, c, pod, base, res);
  const spec = servingSpec({
    format: 'kubernetes',
    label: `${found.cmd.launcher} in ${res.kind} ${res.name} (container ${cname})`,
    name: res.name,
    text,
    cmd: found.cmd,
    read,
    gpu,
    defaults: ctx.defaults,
    ...versionOf(namedEngineVersionAt(found.cmd.engine, { image: isScalar(imageNode) ? scalarWord(text, imageNode, base) : undefined, commands: found.commands, placed: found.placed })),
    problems: [...found.problems, ...envProblems.map((m) => problemAt('foreign-env', 'warning', anchor, m))],
    env: found.scriptEnv ? new Map([...env, ...found.scriptEnv]) : env,
  });
  out.push(spec);
  if (pod === res.leaderPod) res.leaderSpecs?.push(spec);
  else if (pod === res.workerPod) res.workerSpecs?.push(spec);
}

/** KServe's Hugging Face runtime: `model: {modelFormat: {name: huggingface}, args: [--model_id=…, vLLM flags], storageUri: hf://…}`. */
function readKserveModel(text: string, model: YAMLMap, predictor: YAMLMap, base: number, res: Resource, ctx: ReadContext, out: ForeignSpec[]): void {
  const args = get(model, 'args');
  const env = envOf(text, model, base).env;
  const words: Word[] = [];
  if (isSeq(args))
    for (const n of args.items) {
      const w = itemWord(text, n as YamlNode, base, env);
      if (w) words.push(w);
    }
  const backend = words.find((w) => w.value.startsWith('--backend'));
  if (backend && backend.value.indexOf('vllm') < 0) return;
  const fmt = at(model, 'modelFormat', 'name');
  const anchor = isScalar(fmt) ? scalarWord(text, fmt, base).span : spanOfNode(model, base);
  // The runtime names the model --model_id; without one, an hf:// storageUri.
  const mapped = words.map((w) => (w.value.startsWith('--model_id') || w.value.startsWith('--model-id') ? renameFlag(w, '--model') : w));
  if (!mapped.some((w) => w.value.startsWith('--model=') || w.value === '--model')) {
    const uri = get(model, 'storageUri');
    if (isScalar(uri) && typeof uri.value === 'string' && uri.value.startsWith('hf://')) {
      const w = scalarWord(text, uri, base);
      const repo: Word = { value: uri.value.slice(5), span: w.exact ? { offset: w.span.offset + 5, length: w.span.length - 5 } : w.span, exact: w.exact, quote: '' };
      mapped.unshift({ value: '--model', span: anchor, exact: false, quote: '' }, repo);
    }
  }
  const cmd: ServeCommand = { engine: 'vllm', launcher: 'KServe huggingface runtime (vLLM)', args: mapped, anchor };
  const read = readServeArgs(cmd, { append: isSeq(args) && args.items.length ? (ws) => appendItems(text, args, base, ws) : undefined });
  out.push(servingSpec({ format: 'kubernetes', label: `${cmd.launcher} in ${res.kind} ${res.name}`, name: res.name, text, cmd, read, gpu: gpuContext(text, model, predictor, base, res), defaults: ctx.defaults, env }));
}

/** `--model_id=x` read as `--model=x`, keeping the value's place. */
function renameFlag(w: Word, to: string): Word {
  const eq = w.value.indexOf('=');
  if (eq < 0) return { ...w, value: to };
  const value = w.value.slice(eq + 1);
  return { value: `${to}=${value}`, span: w.exact ? { offset: w.span.offset + eq - to.length, length: to.length + 1 + value.length } : w.span, exact: w.exact, quote: '', write: undefined };
}

function spanOfNode(n: YamlNode, base: number): Span {
  const r = n.range ?? [0, 0, 0];
  return { offset: base + r[0], length: Math.max(1, r[1] - r[0]) };
}

/** A container's GPUs (its `nvidia.com/gpu` limit, else request), written back to both where they agree. */
function containerGpus(text: string, c: unknown, base: number): GpuContext['count'] {
  const limit = at(c, 'resources', 'limits', GPU_KEY);
  const request = at(c, 'resources', 'requests', GPU_KEY);
  const countNode = isScalar(limit) ? limit : isScalar(request) ? request : undefined;
  if (!countNode) return undefined;
  const v = Number(countNode.value);
  if (!Number.isInteger(v) || v < 0 || v > 1024) return undefined;
  const w = scalarWord(text, countNode, base);
  const both = [limit, request].filter((n): n is Scalar => isScalar(n) && Number(n.value) === v);
  const write = (x: unknown): TextEditAt | undefined => {
    if (typeof x !== 'number' || !Number.isInteger(x)) return undefined;
    const edits = both.map((n) => writeQuantity(text, n, base, x));
    return edits.every((e) => e) ? mergeEdits(text, edits as TextEditAt[]) : undefined;
  };
  const label = countNode === limit ? `resources.limits["${GPU_KEY}"]` : `resources.requests["${GPU_KEY}"]`;
  return { value: v, entry: { span: w.span, label, write } };
}

/** A worker pod's GPUs: the sum over its containers; written back only where one container holds them all. */
function workerGpus(text: string, pod: YAMLMap, base: number): NonNullable<GpuContext['group']>['workers'] {
  const containers = get(pod, 'containers');
  const counts = isSeq(containers) ? containers.items.map((c) => containerGpus(text, c, base)).filter((x) => x !== undefined) : [];
  const value = counts.reduce((n, x) => n + x.value, 0);
  return { value, write: counts.length === 1 ? counts[0].entry.write : undefined };
}

/** GPUs per pod, the GPU product and the number of pods, from the container's resources and the pod's scheduling. */
function gpuContext(text: string, c: YAMLMap, pod: YAMLMap | undefined, base: number, res: Resource): GpuContext {
  const gpu: GpuContext = { scheduler: 'kubernetes', clusterName: 'pod' };
  gpu.count = containerGpus(text, c, base);
  if (pod) {
    for (const key of PRODUCT_KEYS) {
      const sel = at(pod, 'nodeSelector', key);
      if (isScalar(sel) && typeof sel.value === 'string') {
        gpu.product = { name: sel.value, dialect: dialectOf(key), entry: { span: scalarWord(text, sel, base).span, label: `nodeSelector ${key}` } };
        break;
      }
    }
    if (!gpu.product) gpu.product = affinityProduct(text, pod, base, gpu);
  }
  if (res.size) {
    gpu.nodes = { value: res.size.value, entry: { span: scalarWord(text, res.size.node, base).span, label: res.size.label, ...(res.size.kind === 'Ray cluster' ? { write: () => undefined } : {}) } };
    gpu.notes = [`Nodes: ${res.size.value} pods per ${res.size.kind}, one node each.`];
    // The group's pods all serve this one replica: the leader's GPUs and each worker's (the same template without a leaderTemplate).
    gpu.group = { name: res.size.kind, workers: res.leaderPod && pod === res.leaderPod && res.workerPod ? workerGpus(text, res.workerPod, base) : gpu.count ? { value: gpu.count.value, write: gpu.count.entry.write } : undefined };
  }
  return gpu;
}

function affinityProduct(text: string, pod: YAMLMap, base: number, gpu: GpuContext): GpuContext['product'] {
  const terms = at(pod, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms');
  const preferred = at(pod, 'affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution');
  const exprs: YamlNode[] = [];
  if (isSeq(terms))
    for (const t of terms.items) {
      const m = get(t, 'matchExpressions');
      if (isSeq(m)) exprs.push(...(m.items as YamlNode[]));
    }
  if (isSeq(preferred))
    for (const p of preferred.items) {
      const m = at(p, 'preference', 'matchExpressions');
      if (isSeq(m)) exprs.push(...(m.items as YamlNode[]));
    }
  for (const e of exprs) {
    const key = str(get(e, 'key'));
    if (!key || !PRODUCT_KEYS.includes(key) || str(get(e, 'operator')) !== 'In') continue;
    const values = get(e, 'values');
    if (!isSeq(values) || !values.items.length || !isScalar(values.items[0])) continue;
    const first = values.items[0] as Scalar;
    if (values.items.length > 1) {
      const names = values.items.map((v) => str(v)).filter(Boolean);
      gpu.notes = [...(gpu.notes ?? []), `GPU: the affinity allows ${names.join(', ')}; the first is estimated.`];
    }
    return { name: String(first.value), dialect: dialectOf(key), entry: { span: scalarWord(text, first, base).span, label: `nodeAffinity ${key}` } };
  }
  return undefined;
}

/** A GPU count written back as the quantity was: a plain number stays plain, a quoted one quoted. */
function writeQuantity(text: string, n: Scalar, base: number, v: number): TextEditAt | undefined {
  const [s, e] = n.range ?? [0, 0, 0];
  if (n.type === 'PLAIN') return { offset: base + s, length: e - s, newText: String(v) };
  return writeScalar(text, n, base, String(v));
}
