// docker-compose services that run vLLM or SGLang: `entrypoint` + `command` (a list, or a string
// Compose splits like a shell), the vllm/vllm-openai image's own entrypoint (its command is then
// the server's flags), `${VAR}` from the `.env` file beside it (Compose's interpolation), and the
// GPUs the service reserves (`deploy.resources.reservations.devices[].count` / `device_ids`).
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseYamlSteps } from '../spec/parse';
import type { TextEditAt } from '../validate/problem';
import { servingSpec, problemAt, versionOf, type GpuContext } from './serving';
import { splitAssignment, tokenizeShell, type ShellCommand, type ShellVar, type Word } from './shellWords';
import { quote } from '../validate/problem';
import type { ForeignSpec, FormatReader, ReadContext } from './types';
import { commandAssignments, findServeCommand, imageEngine, mentionsServe, namedEngineVersionAt, readServeArgs, scriptCommandEnv, type ServeCommand } from './vllmArgs';
import { appendAfter, appendItems, scalarScript, scalarWord, shellDashC, writeScalar } from './yamlWords';

const base = (f: string) => f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);

export const composeReader: FormatReader = {
  id: 'compose',
  claims(fileName, text) {
    const b = base(fileName).toLowerCase();
    const yaml = b.endsWith('.yaml') || b.endsWith('.yml');
    return yaml && (b.startsWith('docker-compose') || b.startsWith('compose') || text.indexOf('services:') >= 0) && mentionsServe(text) && text.indexOf('apiVersion') < 0;
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
  const services = get(doc.contents, 'services');
  if (!isMap(services)) return [];
  const vars = dotEnv(ctx);
  const out: ForeignSpec[] = [];
  for (const p of services.items as Pair[]) {
    if (!isScalar(p.key) || !isMap(p.value)) continue;
    const spec = readService(text, String(p.key.value), p.value, vars, ctx);
    if (spec) out.push(spec);
  }
  return out;
}

function get(m: unknown, key: string): YamlNode | undefined {
  if (!isMap(m)) return undefined;
  for (const p of (m as YAMLMap).items as Pair[]) if (isScalar(p.key) && p.key.value === key) return p.value as YamlNode | undefined;
  return undefined;
}

/** KEY=VALUE lines of the `.env` file beside the compose file (what Compose interpolates `${KEY}` from). */
function dotEnv(ctx: ReadContext): Map<string, ShellVar> {
  const vars = new Map<string, ShellVar>();
  const text = ctx.readFile?.('.env');
  if (!text || text.length > 256 * 1024) return vars;
  for (const line of text.split('\n')) {
    const t = line.trim();
    const eq = t.indexOf('=');
    if (!t || t.startsWith('#') || eq <= 0) continue;
    let v = t.slice(eq + 1).trim();
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1);
    vars.set(t.slice(0, eq).trim(), { value: v });
  }
  return vars;
}

function readService(text: string, name: string, svc: YAMLMap, vars: Map<string, ShellVar>, ctx: ReadContext): ForeignSpec | undefined {
  const imageNode = get(svc, 'image');
  const image = isScalar(imageNode) ? String(imageNode.value) : undefined;
  const anchor = isScalar(imageNode) ? scalarWord(text, imageNode, 0).span : { offset: svc.range?.[0] ?? 0, length: 1 };
  const problems: ReturnType<typeof problemAt>[] = [];
  let lastSeq: YAMLSeq | undefined;
  let lastWord: Word | undefined;
  let listed = false;
  const words: Word[] = [];
  // The YAML scalar each word is (a list item), for a `sh -c` script in one of them (shellDashC).
  const nodes: (YamlNode | undefined)[] = [];
  for (const key of ['entrypoint', 'command']) {
    const n = get(svc, key);
    if (isSeq(n)) {
      for (const it of n.items) {
        if (!isScalar(it)) continue;
        const w = interpolated(scalarWord(text, it, 0), vars);
        w.write = (v) => writeScalar(text, it, 0, v);
        words.push(w);
        nodes.push(it);
      }
      lastSeq = n;
      listed = true;
    } else if (isScalar(n) && typeof n.value === 'string') {
      const s = scalarScript(text, n, 0, { vars });
      problems.push(...s.problems.map((p) => problemAt('foreign-shell', 'warning', p, p.message)));
      for (const c of s.commands)
        for (const w of c.words) {
          words.push(w);
          nodes.push(undefined);
        }
      lastWord = s.placed ? words[words.length - 1] : undefined;
      listed = false;
    }
  }
  const hasEntrypoint = get(svc, 'entrypoint') !== undefined;
  // `sh -c "…; vllm serve …"` (an entrypoint of its own, or the script in command:): the script's serve command.
  // The service's environment: Compose sets it for the container's process (a script's own exports come on top).
  const environment = serviceEnv(text, svc);
  const script = shellDashC(text, words, nodes, 0, { vars, assignments: true });
  let cmd: ServeCommand | undefined;
  let scriptCommands: ShellCommand[] | undefined;
  let scriptPlaced = false;
  let commandEnv = new Map([...environment, ...commandAssignments(words)]);
  if (script && (hasEntrypoint || !imageEngine(image))) {
    problems.push(...script.problems.map((p) => problemAt('foreign-shell', 'warning', p, p.message)));
    for (const c of script.commands) {
      cmd = findServeCommand(c.words);
      if (!cmd) continue;
      const last = c.words[c.words.length - 1];
      lastWord = script.placed ? last : undefined;
      listed = false;
      scriptCommands = script.commands;
      scriptPlaced = script.placed;
      commandEnv = new Map([...environment, ...scriptCommandEnv(script.vars ?? new Map(), c.words)]);
      break;
    }
    // `entrypoint: [bash, -c]` with a string command: Compose splits the string into words, so the shell's script is
    // its first word alone and the rest are $0, $1, …: the launch is read for its flags, and the error says why it does not run.
    const commandNode = get(svc, 'command');
    const split = !cmd && isSeq(get(svc, 'entrypoint')) && isScalar(commandNode) && typeof commandNode.value === 'string' ? findServeCommand(words) : undefined;
    if (split) {
      cmd = split;
      const first = words.find((w) => w.span.offset >= (commandNode!.range?.[0] ?? 0));
      problems.push(
        problemAt(
          'foreign-entrypoint',
          'error',
          first?.span ?? split.anchor,
          `Compose splits a string command: into words, so the entrypoint's shell runs ${quote(first?.value ?? 'its first word', 40)} alone as its script (the other words become $0, $1, …) and the server does not start. Write command: as one list item, command: ["${split.launcher} …"], or drop the shell from entrypoint:.`,
        ),
      );
    }
    if (!cmd) return undefined;
  } else cmd = findServeCommand(words);
  const misplacedShell = !cmd && !hasEntrypoint && !!imageEngine(image) && !!script;
  if (!cmd && !hasEntrypoint && imageEngine(image)) {
    // The engine image's entrypoint takes command: as its own arguments: a shell there is passed to the server.
    if (misplacedShell)
      problems.push(
        problemAt(
          'foreign-entrypoint',
          'error',
          words[0].span,
          `Compose passes command: to the image's entrypoint (the vLLM server), so ${quote(words[0].value)} -c … becomes the server's arguments and it does not start. To run a script, give the service entrypoint: ["${words[0].value}", "-c"] and keep the script in command:.`,
        ),
      );
    cmd = { engine: 'vllm', launcher: 'vLLM api_server (image entrypoint)', args: words, anchor };
  }
  if (!cmd) return undefined;
  const append = (ws: string[]): TextEditAt | undefined => (listed && lastSeq ? appendItems(text, lastSeq, 0, ws) : appendAfter(lastWord, ws));
  const read = readServeArgs(cmd, { append, readFile: ctx.readFile });
  // The shell passed to the server is the error; that the server then names no model follows from it.
  if (misplacedShell) read.problems = read.problems.filter((p) => p.code !== 'foreign-no-model');
  return servingSpec({
    format: 'compose',
    label: `${cmd.launcher} in service ${name}`,
    name,
    text,
    cmd,
    read,
    gpu: gpus(text, svc),
    defaults: ctx.defaults,
    ...versionOf(namedEngineVersionAt(cmd.engine, { image: isScalar(imageNode) ? scalarWord(text, imageNode, 0) : undefined, commands: scriptCommands, placed: scriptPlaced })),
    problems,
    env: commandEnv,
  });
}

/**
 * A list item of command:/entrypoint: with `${VAR}` in it, as Compose interpolates it from the .env file (the string
 * form is interpolated as a script is): its value when it stays one word and every variable is known; else it says
 * which variable is not known. An item without `$` is as written.
 */
function interpolated(w: Word, vars: Map<string, ShellVar>): Word {
  if (w.value.indexOf('$') < 0) return w;
  // Compose puts the value in the item as it is: no shell splits it.
  const r = tokenizeShell(w.value, { vars, noFieldSplit: true });
  const only = r.commands.length === 1 && r.commands[0].words.length === 1 ? r.commands[0].words[0] : undefined;
  if (!only) return w;
  if (only.unresolved) return { ...w, unresolved: only.unresolved };
  return { ...w, value: only.value, exact: false };
}

/** The service's `environment:` (a map, or a list of KEY=VALUE), as written; values with `$` are left out. */
function serviceEnv(text: string, svc: YAMLMap): Map<string, ShellVar> {
  const out = new Map<string, ShellVar>();
  const e = get(svc, 'environment');
  const put = (name: string, v: ShellVar) => {
    if (v.value.indexOf('$') < 0 && v.value.length <= 256) out.set(name, { value: v.value, ...(v.exact && v.span ? { span: v.span, exact: true } : {}), exported: true });
  };
  if (isMap(e)) {
    for (const p of e.items as Pair[]) if (isScalar(p.key) && isScalar(p.value) && p.value.value !== null) put(String(p.key.value), scalarWord(text, p.value, 0));
  } else if (isSeq(e)) {
    for (const it of e.items) {
      const a = isScalar(it) && typeof it.value === 'string' ? splitAssignment(scalarWord(text, it, 0)) : undefined;
      if (a) put(a.name, a.v);
    }
  }
  return out;
}

function gpus(text: string, svc: YAMLMap): GpuContext {
  const gpu: GpuContext = { scheduler: 'local', clusterName: 'compose-service' };
  const devices = get(get(get(get(svc, 'deploy'), 'resources'), 'reservations'), 'devices');
  if (!isSeq(devices)) return gpu;
  for (const d of devices.items) {
    const caps = get(d, 'capabilities');
    if (isSeq(caps) && !caps.items.some((c) => isScalar(c) && c.value === 'gpu')) continue;
    const count = get(d, 'count');
    const ids = get(d, 'device_ids');
    if (isScalar(count) && typeof count.value === 'number') {
      const w = scalarWord(text, count, 0);
      gpu.count = { value: count.value, entry: { span: w.span, label: 'deploy.resources.reservations.devices count', write: (v) => (typeof v === 'number' && Number.isInteger(v) && count.type === 'PLAIN' ? { offset: w.span.offset, length: w.span.length, newText: String(v) } : undefined) } };
    } else if (isSeq(ids) && ids.items.length) {
      // Docker joins the ids with commas for the NVIDIA runtime (NVIDIA_VISIBLE_DEVICES, moby's
      // daemon/nvidia_linux.go), so `['0,1,2,3']` is four GPUs and `['all']` every one of them.
      const seen = new Set<string>();
      let all = false;
      for (const it of ids.items) {
        if (!isScalar(it) || it.value === null) continue;
        for (const id of String(it.value).split(',')) {
          const t = id.trim();
          if (t === 'all') all = true;
          else if (t) seen.add(t);
        }
      }
      const r = ids.range ?? [0, 0, 0];
      if (all) gpu.notes = ["GPUs: the service reserves all of the machine's GPUs (device_ids: all); as many as the command uses assumed."];
      else if (seen.size) gpu.count = { value: seen.size, entry: { span: { offset: r[0], length: r[1] - r[0] }, label: 'deploy.resources.reservations.devices device_ids' } };
    } else if (isScalar(count) && count.value === 'all') {
      gpu.notes = ["GPUs: the service reserves all of the machine's GPUs; as many as the command uses assumed."];
    }
    break;
  }
  return gpu;
}
