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
      else if (ins.op === 'ENTRYPOINT') entry = withWords(ins, vars);
      else if (ins.op === 'CMD') cmd = withWords(ins, vars);
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
  /** The instruction's arguments (continuations kept, comment lines inside them removed), and the file offset of rest[i]. */
  rest: string;
  at: (i: number) => number;
  opSpan: { offset: number; length: number };
  exec?: boolean;
  words?: Word[];
  problems?: ReturnType<typeof problemAt>[];
  append?: (words: string[]) => TextEditAt | undefined;
}

/**
 * Instructions, each with its continuation lines (a line ending in `\`). Comment lines, and empty
 * lines, inside a continued instruction are removed before the lines are joined, as Docker does
 * ("Comment lines are removed before the Dockerfile instructions are executed", the Dockerfile
 * reference's "Format"): `ENTRYPOINT ["vllm", "serve", \` / `# the model` / `"Qwen/…"]` is one instruction.
 */
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
      // The instruction runs on while a line ends in a backslash; the lines it keeps, [from, to) each.
      const lines: [number, number][] = [[e, eol]];
      let end = eol;
      let more = endsInBackslash(text, end);
      while (more && end < n) {
        const from = end + 1;
        let to = text.indexOf('\n', from);
        if (to < 0) to = n;
        end = to;
        if (commentOrBlank(text, from, to)) continue;
        lines.push([from, to]);
        more = endsInBackslash(text, to);
      }
      out.push({ op, ...joined(text, lines), opSpan: { offset: k, length: e - k } });
      eol = end;
    }
    i = eol + 1;
  }
  return out;
}

/** Whether text[from, to) is a comment line or holds only white space. */
function commentOrBlank(text: string, from: number, to: number): boolean {
  let k = from;
  while (k < to && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r')) k++;
  return k >= to || text[k] === '#';
}

/** The kept lines as one string (each but the last with its newline), and the file offset of each of its characters. */
function joined(text: string, lines: [number, number][]): { rest: string; at: (i: number) => number } {
  if (lines.length === 1) {
    const from = lines[0][0];
    return { rest: text.slice(from, lines[0][1]), at: (i) => from + i };
  }
  const starts: number[] = [];
  let rest = '';
  lines.forEach(([from, to], j) => {
    starts.push(rest.length);
    rest += text.slice(from, j < lines.length - 1 ? to + 1 : to);
  });
  // The last kept line that starts at or before i (binary search: an instruction may keep many lines).
  const at = (i: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lines[lo][0] + i - starts[lo];
  };
  return { rest, at };
}

function endsInBackslash(text: string, eol: number): boolean {
  let j = eol - 1;
  if (text[j] === '\r') j--;
  return text[j] === '\\';
}

function setVars(text: string, ins: Instr, vars: Map<string, ShellVar>): void {
  const { commands } = tokenizeShell(ins.rest, { offsetOf: ins.at, vars });
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
function withWords(ins: Instr, vars: Map<string, ShellVar>): Instr {
  const lead = ins.rest.length - ins.rest.trimStart().length;
  if (ins.rest.trimStart().startsWith('[')) {
    const words: Word[] = [];
    const r = ins.rest;
    const at = ins.at;
    let close = -1;
    for (let j = lead + 1; j < r.length; j++) {
      const c = r[j];
      if (c === ']') {
        close = at(j);
        break;
      }
      if (c !== '"') continue;
      let e = j + 1;
      let esc = false;
      let value = '';
      while (e < r.length && r[e] !== '"' && r[e] !== '\n') {
        if (r[e] === '\\' && e + 1 < r.length) {
          esc = true;
          value += r[e + 1];
          e += 2;
        } else value += r[e++];
      }
      const offset = at(j + 1);
      // The string's characters stay together in the file unless an escaped line end joined a removed comment line.
      const length = e > j + 1 ? at(e - 1) + 1 - offset : 0;
      words.push({ value, span: { offset, length }, exact: !esc && length === value.length, quote: '"', end: e < r.length ? at(e) + 1 : at(e - 1) + 1 });
      j = e;
    }
    const last = words[words.length - 1];
    const append = (ws: string[]) => (close >= 0 && last && ws.every(isPlainWord) ? { offset: last.end ?? close, length: 0, newText: ws.map((w) => `, "${w}"`).join('') } : undefined);
    return { ...ins, exec: true, words, append };
  }
  const { commands, problems } = tokenizeShell(ins.rest, { offsetOf: ins.at, vars });
  const words = commands.flatMap((c) => c.words);
  const cmdWords = commands.find((c) => findServeCommand(c.words))?.words ?? words;
  const last = cmdWords[cmdWords.length - 1];
  return { ...ins, exec: false, words: cmdWords, problems: problems.map((p) => problemAt('foreign-shell', 'warning', p, p.message)), append: (ws) => appendAfter(last, ws) };
}
