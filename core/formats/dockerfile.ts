// Dockerfiles whose CMD or ENTRYPOINT launches vLLM or SGLang, in exec form (`["vllm", "serve", …]`)
// or shell form (`CMD vllm serve … \` over several lines), with ENV and ARG defaults for `$VAR`, and
// the vllm/vllm-openai base image's own entrypoint (its CMD is then the server's flags). The last
// ENTRYPOINT and the last CMD count, as Docker runs them.
import { servingSpec, problemAt } from './serving';
import { splitAssignment, tokenizeShell, type ShellVar, type Word } from './shellWords';
import type { ForeignSpec, FormatReader } from './types';
import { findServeCommand, imageEngine, mentionsServe, namedEngineVersion, readServeArgs, scriptCommandEnv, type ServeCommand } from './vllmArgs';
import { appendAfter, isPlainWord } from './yamlWords';
import type { TextEditAt } from '../validate/problem';

const base = (f: string) => f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);

export const dockerfileReader: FormatReader = {
  id: 'dockerfile',
  claims(fileName, text) {
    const b = base(fileName).toLowerCase();
    const isDocker = b === 'dockerfile' || b === 'containerfile' || b.startsWith('dockerfile.') || b.endsWith('.dockerfile');
    return isDocker && mentionsServe(text);
  },
  read(text, ctx) {
    const vars = new Map<string, ShellVar>();
    let image: string | undefined;
    let entry: Instr | undefined;
    let cmd: Instr | undefined;
    const runs: string[] = [];
    for (const ins of instructions(text)) {
      if (ins.op === 'FROM') image = ins.rest.trim().split(' ')[0];
      else if (ins.op === 'RUN' && ins.rest.indexOf('install') >= 0) runs.push(ins.rest);
      else if (ins.op === 'ENV' || ins.op === 'ARG') setVars(text, ins, vars);
      else if (ins.op === 'ENTRYPOINT') entry = withWords(text, ins, vars);
      else if (ins.op === 'CMD') cmd = withWords(text, ins, vars);
    }
    const parts = entry?.exec === false ? [entry] : [entry, cmd].filter((x): x is Instr => !!x);
    const words = parts.flatMap((p) => p.words ?? []);
    let found: ServeCommand | undefined = findServeCommand(words);
    if (!found && !entry && cmd && imageEngine(image)) found = { engine: 'vllm', launcher: 'vLLM api_server (image entrypoint)', args: cmd.words ?? [], anchor: cmd.opSpan };
    if (!found) return [];
    const lastPart = parts[parts.length - 1];
    const read = readServeArgs(found, { append: (ws) => lastPart.append?.(ws) });
    const spec: ForeignSpec = servingSpec({
      format: 'dockerfile',
      label: `${found.launcher} in ${base(ctx.fileName)}`,
      name: base(ctx.fileName),
      text,
      cmd: found,
      read,
      gpu: { scheduler: 'local', clusterName: 'container' },
      defaults: ctx.defaults,
      // The last `RUN pip install vllm==X` (it replaces the image's), else the base image's tag (a vLLM or SGLang image).
      version: namedEngineVersion(found.engine, { image, commands: runs.flatMap((r) => tokenizeShell(r).commands) }),
      problems: parts.flatMap((p) => p.problems ?? []),
      env: scriptCommandEnv(vars, words),
    });
    return [spec];
  },
};

interface Instr {
  op: string;
  /** The instruction's arguments (continuations kept), and where they start. */
  rest: string;
  start: number;
  opSpan: { offset: number; length: number };
  exec?: boolean;
  words?: Word[];
  problems?: ReturnType<typeof problemAt>[];
  append?: (words: string[]) => TextEditAt | undefined;
}

/** Instructions, each with its continuation lines (a line ending in `\`), comments skipped. */
function instructions(text: string): Instr[] {
  const out: Instr[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = n;
    let k = i;
    while (k < eol && (text[k] === ' ' || text[k] === '\t')) k++;
    if (k < eol && text[k] !== '#') {
      let e = k;
      while (e < eol && text[e] !== ' ' && text[e] !== '\t') e++;
      const op = text.slice(k, e).toUpperCase();
      // The instruction runs on while a line ends in a backslash.
      let end = eol;
      while (end < n && endsInBackslash(text, end)) {
        const next = text.indexOf('\n', end + 1);
        end = next < 0 ? n : next;
      }
      out.push({ op, rest: text.slice(e, end), start: e, opSpan: { offset: k, length: e - k } });
      eol = end;
    }
    i = eol + 1;
  }
  return out;
}

function endsInBackslash(text: string, eol: number): boolean {
  let j = eol - 1;
  if (text[j] === '\r') j--;
  return text[j] === '\\';
}

function setVars(text: string, ins: Instr, vars: Map<string, ShellVar>): void {
  const { commands } = tokenizeShell(ins.rest, { offsetOf: (i) => ins.start + i, vars });
  const words = commands[0]?.words ?? [];
  if (words.length === 2 && words[0].value.indexOf('=') < 0 && ins.op === 'ENV') {
    vars.set(words[0].value, { value: words[1].value, span: words[1].exact ? words[1].span : undefined, exact: words[1].exact, exported: true });
    return;
  }
  // ENV sets the container's environment; ARG only the build's.
  for (const w of words) {
    const a = splitAssignment(w);
    if (a && !(ins.op === 'ARG' && vars.has(a.name))) vars.set(a.name, ins.op === 'ENV' ? { ...a.v, exported: true } : a.v);
  }
  void text;
}

/** An ENTRYPOINT/CMD's words: a JSON array (exec form) or a shell command line. */
function withWords(text: string, ins: Instr, vars: Map<string, ShellVar>): Instr {
  const lead = ins.rest.length - ins.rest.trimStart().length;
  if (ins.rest.trimStart().startsWith('[')) {
    const words: Word[] = [];
    const from = ins.start + lead;
    let close = -1;
    for (let j = from + 1; j < ins.start + ins.rest.length; j++) {
      const c = text[j];
      if (c === ']') {
        close = j;
        break;
      }
      if (c !== '"') continue;
      let e = j + 1;
      let esc = false;
      let value = '';
      while (e < text.length && text[e] !== '"' && text[e] !== '\n') {
        if (text[e] === '\\' && e + 1 < text.length) {
          esc = true;
          value += text[e + 1];
          e += 2;
        } else value += text[e++];
      }
      words.push({ value, span: { offset: j + 1, length: e - j - 1 }, exact: !esc, quote: '"', end: e + 1 });
      j = e;
    }
    const last = words[words.length - 1];
    const append = (ws: string[]) => (close >= 0 && last && ws.every(isPlainWord) ? { offset: last.end ?? close, length: 0, newText: ws.map((w) => `, "${w}"`).join('') } : undefined);
    return { ...ins, exec: true, words, append };
  }
  const { commands, problems } = tokenizeShell(ins.rest, { offsetOf: (i) => ins.start + i, vars });
  const words = commands.flatMap((c) => c.words);
  const cmdWords = commands.find((c) => findServeCommand(c.words))?.words ?? words;
  const last = cmdWords[cmdWords.length - 1];
  return { ...ins, exec: false, words: cmdWords, problems: problems.map((p) => problemAt('foreign-shell', 'warning', p, p.message)), append: (ws) => appendAfter(last, ws) };
}
