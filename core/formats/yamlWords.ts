// YAML scalars as command-line words, for the YAML-based readers (Kubernetes, compose, SkyPilot):
// where a scalar's value characters are in the file (so a shell script inside a block scalar or a
// quoted string keeps exact offsets), and how to write a new word or append new list items in the
// style the file already uses.
import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from '../spec/parse';
import type { TextEditAt } from '../validate/problem';
import { tokenizeShell, type ShellCommand, type ShellProblem, type ShellVar, type TokenizeOptions, type Word } from './shellWords';

/** A word safe to write without quotes in YAML, in a shell script and in a YAML string alike. */
/** A mapping's value for a plain-scalar key (the readers of YAML files walk manifests with this). */
export function mapGet(m: unknown, key: string): YamlNode | undefined {
  if (!isMap(m)) return undefined;
  for (const p of (m as YAMLMap).items as Pair[]) if (isScalar(p.key) && p.key.value === key) return p.value as YamlNode | undefined;
  return undefined;
}

export function isPlainWord(s: string): boolean {
  if (!s.length || s.length > 4096) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '-' || c === '_' || c === '.' || c === '/' || c === ':' || c === '=' || c === ',' || c === '+';
    if (!ok) return false;
  }
  return true;
}

/** A word that YAML would read as a number, a boolean or null when written plainly: an args item must be quoted. */
function looksTyped(s: string): boolean {
  const c = s[0];
  if ((c >= '0' && c <= '9') || c === '.' || c === '+' || (c === '-' && s[1] !== '-' && s.length > 1)) return true;
  const l = s.toLowerCase();
  return l === 'true' || l === 'false' || l === 'yes' || l === 'no' || l === 'on' || l === 'off' || l === 'null' || l === '~';
}

/** Where a scalar's written value is: inside its quotes, or the block scalar's lines after the header. */
function contentRange(text: string, node: Scalar, base: number): { from: number; to: number } {
  const [s, e] = node.range ?? [0, 0, 0];
  const from = base + s;
  const to = base + e;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return { from: from + 1, to: Math.max(from + 1, to - 1) };
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    let k = from;
    while (k < to && text[k] !== '\n') k++;
    return { from: Math.min(to, k + 1), to };
  }
  return { from, to };
}

/**
 * The file offset of each character of a scalar's value, found by walking the value and the
 * written text together and skipping only what YAML removes (indentation, line breaks of folded
 * lines, quotes, the backslash of an escaped quote); undefined where the text and the value part
 * ways (an escape such as `\n`), and the caller then treats the scalar as one piece.
 */
export function scalarOffsets(text: string, node: Scalar, base: number): ((i: number) => number) | undefined {
  const value = typeof node.value === 'string' ? node.value : String(node.value);
  const { from, to } = contentRange(text, node, base);
  const map = new Int32Array(value.length + 1);
  let j = from;
  for (let k = 0; k < value.length; k++) {
    const v = value[k];
    while (j < to && text[j] !== v) {
      const t = text[j];
      if (t === ' ' || t === '\t' || t === '\n' || t === '\r' || t === '\\' || t === '"' || t === "'") j++;
      else return undefined;
    }
    // A block scalar's final line break(s) are YAML's own (clip/keep): past the text is fine for them.
    if (j >= to) {
      if (v === '\n') {
        map[k] = Math.max(from, to - 1);
        continue;
      }
      return undefined;
    }
    map[k] = j++;
  }
  map[value.length] = j;
  return (i) => (i < 0 ? from : i >= value.length ? map[value.length] : map[i]);
}

/** A scalar as one word: its value, and its place inside the quotes (exact when written as is). */
export function scalarWord(text: string, node: Scalar, base: number): Word {
  const value = typeof node.value === 'string' ? node.value : String(node.value ?? '');
  const { from, to } = contentRange(text, node, base);
  const exact = node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED' && text.slice(from, to) === value;
  return { value, span: { offset: from, length: to - from }, exact, quote: node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '' };
}

/** The edit that makes a list item (a scalar) say `word`, in the item's own quoting. */
export function writeScalar(text: string, node: Scalar, base: number, word: string): TextEditAt | undefined {
  if (!isPlainWord(word)) return undefined;
  const [s, e] = node.range ?? [0, 0, 0];
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return { offset: base + s + 1, length: e - s - 2, newText: word };
  if (node.type === 'PLAIN') return { offset: base + s, length: e - s, newText: looksTyped(word) ? `"${word}"` : word };
  return undefined;
}

/** Replaces `length` characters at `offset` of a word that is written exactly (a `--x=4` value). */
export function writeInWord(w: Word, from: number, length: number, word: string): TextEditAt | undefined {
  if (!w.exact || !isPlainWord(word)) return undefined;
  return { offset: w.span.offset + from, length, newText: word };
}

/** New items at the end of a sequence, each quoted like the last item (block or flow style). */
export function appendItems(text: string, seq: YAMLSeq, base: number, words: string[]): TextEditAt | undefined {
  if (!words.every(isPlainWord)) return undefined;
  const last = seq.items[seq.items.length - 1] as YamlNode | undefined;
  if (!last || !isScalar(last) || !last.range) return undefined;
  const q = last.type === 'QUOTE_DOUBLE' ? '"' : last.type === 'QUOTE_SINGLE' ? "'" : '';
  const item = (w: string) => (q ? `${q}${w}${q}` : looksTyped(w) ? `"${w}"` : w);
  const end = base + last.range[1];
  if (seq.flow) return { offset: end, length: 0, newText: words.map((w) => `, ${item(w)}`).join('') };
  // Block style: `- item` lines at the last item's indentation, after the end of its line.
  let lineStart = base + last.range[0];
  while (lineStart > 0 && text[lineStart - 1] !== '\n') lineStart--;
  let dash = lineStart;
  while (dash < text.length && (text[dash] === ' ' || text[dash] === '\t')) dash++;
  if (text[dash] !== '-') return undefined;
  const indent = text.slice(lineStart, dash);
  let eol = end;
  while (eol < text.length && text[eol] !== '\n') eol++;
  return { offset: eol, length: 0, newText: words.map((w) => `\n${indent}- ${item(w)}`).join('') };
}

export function asSeq(n: unknown): YAMLSeq | undefined {
  return isSeq(n) ? n : undefined;
}

/** One edit that makes several non-overlapping edits of `text` at once (a fix whose values are written far apart). */
export function mergeEdits(text: string, edits: TextEditAt[]): TextEditAt | undefined {
  if (!edits.length) return undefined;
  if (edits.length === 1) return edits[0];
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  for (let k = 1; k < sorted.length; k++) if (sorted[k].offset < sorted[k - 1].offset + sorted[k - 1].length) return undefined;
  const from = sorted[0].offset;
  const last = sorted[sorted.length - 1];
  const to = last.offset + last.length;
  let out = '';
  let pos = from;
  for (const e of sorted) {
    out += text.slice(pos, e.offset) + e.newText;
    pos = e.offset + e.length;
  }
  return { offset: from, length: to - from, newText: out };
}

export type { Span };

/**
 * A shell script written as a YAML scalar (`sh -c "vllm serve …"`, a block `run: |`, a compose
 * `command:` string): its commands, with file offsets when the scalar's characters can be placed
 * (scalarOffsets), else every word placed on the whole scalar and not editable.
 */
export function scalarScript(text: string, node: Scalar, base: number, opts: Omit<TokenizeOptions, 'offsetOf'> = {}): { commands: ShellCommand[]; problems: ShellProblem[]; placed: boolean; vars?: Map<string, ShellVar> } {
  const value = typeof node.value === 'string' ? node.value : String(node.value ?? '');
  const map = scalarOffsets(text, node, base);
  const r = tokenizeShell(value, { ...opts, offsetOf: map });
  if (map) return { ...r, placed: true };
  return unplaced(r, scalarWord(text, node, base).span);
}

/** The shells whose `-c SCRIPT` runs a script (a container's `sh -c "…; vllm serve …"`). */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ash']);

/**
 * `sh -c SCRIPT` at the start of a container's words (Kubernetes command + args, a compose entrypoint +
 * command): the script's commands, placed where the script is written — its YAML scalar (`nodes[k]`,
 * scalarScript), or, for a word split from a compose string, the word's own characters when they are
 * written as is. undefined when the words do not start a shell with -c.
 */
export function shellDashC(text: string, words: readonly Word[], nodes: readonly (YamlNode | undefined)[], base: number, opts: Omit<TokenizeOptions, 'offsetOf'> = {}): { commands: ShellCommand[]; problems: ShellProblem[]; placed: boolean; vars?: Map<string, ShellVar> } | undefined {
  for (let k = 0; k < words.length; k++) {
    const sh = words[k].value;
    if (!SHELLS.has(sh.slice(sh.lastIndexOf('/') + 1))) continue;
    const at = dashCScript(words, k + 1);
    if (at === undefined) return undefined;
    const node = nodes[at];
    if (node && isScalar(node)) return scalarScript(text, node, base, opts);
    const w = words[at];
    const asIs = w.exact && text.slice(w.span.offset, w.span.offset + w.span.length) === w.value;
    const r = tokenizeShell(w.value, { ...opts, offsetOf: asIs ? (i) => w.span.offset + i : undefined });
    return asIs ? { ...r, placed: true } : unplaced(r, w.span);
  }
  return undefined;
}

/** A shell's long options that take the next word as their value (bash's `--rcfile FILE`, `--init-file FILE`). */
const LONG_WITH_VALUE = new Set(['--rcfile', '--init-file']);

/**
 * The index of the script a shell's options before it lead to, as sh and bash parse them: single-letter option
 * clusters (`-c`, `-lc`, `-ec`, `+e`), `-o NAME`/`+o NAME` and bash's `-O NAME`/`+O NAME` with their option name,
 * long options (`--login`, `--norc`, `--rcfile FILE`), then the first word that is no option; a `--` (or a lone `-`)
 * after the options ends them (`bash -lc -- "script"`, the KubeRay form). undefined without `-c` or a script after it.
 */
function dashCScript(words: readonly Word[], from: number): number | undefined {
  let dashC = false;
  for (let j = from; j < words.length && j < from + 32; j++) {
    const v = words[j].value;
    if (v === '--' || v === '-') return dashC && j + 1 < words.length ? j + 1 : undefined;
    if (v.startsWith('--')) {
      if (LONG_WITH_VALUE.has(v)) j++;
      continue;
    }
    if ((v[0] === '-' || v[0] === '+') && v.length > 1) {
      // `-o pipefail`, `+o posix`, `-O extglob`: the option name follows the o (`-opipefail`), else it is the next word.
      for (let i = 1; i < v.length; i++) {
        if (v[i] === 'c' && v[0] === '-') dashC = true;
        if (v[i] === 'o' || v[i] === 'O') {
          if (i === v.length - 1) j++;
          break;
        }
      }
      continue;
    }
    return dashC ? j : undefined;
  }
  return undefined;
}

/** A script whose characters cannot be placed: every word on the whole of `whole`, not editable. */
function unplaced(r: { commands: ShellCommand[]; problems: ShellProblem[]; vars?: Map<string, ShellVar> }, whole: Span): { commands: ShellCommand[]; problems: ShellProblem[]; placed: false; vars?: Map<string, ShellVar> } {
  for (const c of r.commands) {
    c.start = whole.offset;
    c.end = whole.offset + whole.length;
    for (const w of c.words) {
      w.span = whole;
      w.exact = false;
      w.end = undefined;
      if (w.origin) delete w.origin;
    }
  }
  for (const p of r.problems) Object.assign(p, whole);
  // The variables' places are in the unplaced text, not the file: their values only.
  const vars = r.vars ? new Map([...r.vars].map(([k, v]) => [k, { value: v.value, ...(v.exported ? { exported: true } : {}) }])) : undefined;
  return { ...r, placed: false, vars };
}

/** Appends words after the last word of a script command (` --kv-cache-dtype fp8`), when that word's end is known. */
export function appendAfter(last: Word | undefined, words: string[]): TextEditAt | undefined {
  if (!last || last.end === undefined || !words.every(isPlainWord)) return undefined;
  return { offset: last.end, length: 0, newText: words.map((w) => ` ${w}`).join('') };
}
