// Shell words with their places in the file: a shell or sbatch script, a Dockerfile's shell-form
// CMD, a `sh -c "vllm serve …"` string inside a Kubernetes manifest, a SkyPilot `run:` block. One
// linear pass over the text, character by character (no regular expression), that knows quotes,
// backslash escapes, line continuations, comments, command separators, `$VAR` / `${VAR}` /
// `${VAR:-default}` from variables set earlier (and the container's environment), and Kubernetes'
// `$(VAR)` from a container's `env`. A variable's value is expanded once, when it is set (as the
// shell and Kubernetes do), so no chain of references can loop; an expanded word is capped at
// MAX_WORD characters, so no chain can grow without bound either.
//
// No npm library was used: shell-quote and shell-words-style packages return the words but not
// where each one is written, which every diagnostic and quick fix here needs.
import type { Span } from '../spec/parse';
import type { TextEditAt } from '../validate/problem';

/** A word of a command line: its value after quote removal and expansion, and where it is written. */
export interface Word {
  value: string;
  /** The word in the file: inside its quotes when the whole word is one quoted string, else as written. */
  span: Span;
  /** value[k] is the file's character at span.offset + k: the word can be edited in place, by part. */
  exact: boolean;
  /** The quote the whole word is written in ('' when unquoted or mixed). */
  quote: '' | '"' | "'";
  /** A `$NAME`, `$(NAME)` or `` `…` `` the text does not resolve: the word's value is not known. */
  unresolved?: string;
  /** The word is one variable and nothing else: where the variable's value is written (edit there). */
  origin?: { span: Span; exact: boolean; name: string };
  /** File offset just past the word as written (after a closing quote): where a new word can follow it. */
  end?: number;
  /** Writes a new word in place of this one in the file's own syntax (a YAML list item); absent: wordEdit(). */
  write?(value: string): TextEditAt | undefined;
  /**
   * A word that is not exact as a whole (`--max-model-len="8192"`, quoted in part): the stretches of
   * its value written character for character in the file (`--max-model-len=`, then `8192` inside the
   * quotes), so a part of it can still be placed and edited (literalSpan).
   */
  runs?: readonly LiteralRun[];
}

/** value[from + k] is the file's character at offset + k, for k < length. */
export interface LiteralRun {
  from: number;
  offset: number;
  length: number;
}

/** Where value[from, to) of a word is written character for character in the file, or undefined. */
export function literalSpan(w: Word, from: number, to = w.value.length): Span | undefined {
  if (from < 0 || to <= from || to > w.value.length) return undefined;
  if (w.exact) return { offset: w.span.offset + from, length: to - from };
  for (const r of w.runs ?? []) if (r.from <= from && to <= r.from + r.length) return { offset: r.offset + from - r.from, length: to - from };
  return undefined;
}

/** A variable a command line may use: its value, and where the value is written when that is known. */
export interface ShellVar {
  value: string;
  span?: Span;
  exact?: boolean;
  /** Set by `export NAME=…` (or given as the process's environment): the commands after it see it. */
  exported?: boolean;
  /** Set from what the text does not resolve (`m=$1`, `M=$(cat f)`): its value is not known, as that reference's is not. */
  unresolved?: string;
}

export interface ShellCommand {
  words: Word[];
  /** Offsets (in the file) of the first and past the last character of the command. */
  start: number;
  end: number;
}

export interface ShellProblem {
  message: string;
  offset: number;
  length: number;
}

export interface TokenizeOptions {
  /** File offset of text index i (default: i). Must be increasing. */
  offsetOf?: (i: number) => number;
  /** Variables known before the text (a container's env, SkyPilot envs, Dockerfile ENV). */
  vars?: Map<string, ShellVar>;
  /** Kubernetes `$(NAME)` expansion: the container's env, expanded before any shell sees the text. */
  kubeEnv?: Map<string, ShellVar>;
  /** Record `NAME=value` and `export NAME=value` commands as variables for later words (scripts). */
  assignments?: boolean;
  /**
   * The GPUs the script's process is given, where the file states them (an sbatch allocation, a SkyPilot
   * task's accelerators): `$(nvidia-smi -L | wc -l)` and `$(nvidia-smi --list-gpus | wc -l)` count them.
   * `name` is the variable that holds the count at run time (where a fix of the count is written: v.span).
   */
  gpus?: { name: string; v: ShellVar };
  /**
   * An unquoted `$VAR` stays one word whatever its value (Compose's interpolation of a list item); by
   * default its value is split on white space, as the shell's field splitting does.
   */
  noFieldSplit?: boolean;
}

/** An expanded word longer than this is cut, with a problem: expansion can double a value per variable. */
export const MAX_WORD = 64 * 1024;
/** `$(…)` / `${…}` look-ahead: a name longer than this is not a variable reference. */
const MAX_NAME = 256;
/**
 * Words split from unquoted expansions' values, in one text: a value of 32K words used 1,000 times is not 32M
 * words (a launch line has tens; every word of a serve command is read, and kept by import).
 */
const MAX_FIELDS = 4096;
/** `${VAR:+word}`'s word longer than this is not expanded. */
const MAX_ALT_WORD = 1024;
/** `$(( … ))` longer than this is not evaluated (a launch line's arithmetic is a product of two or three counts). */
const MAX_ARITH = 256;

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r';
const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string) => isNameStart(c) || (c >= '0' && c <= '9');
/** Characters that end an unquoted word; all but a redirection's `<` / `>` separate commands (`(`/`)` keep subshells apart). */
const isBreak = (c: string) => c === ';' || c === '&' || c === '|' || c === '\n' || c === '(' || c === ')' || c === '<' || c === '>';

interface Piece {
  /** Index in the text where the word's value part starts and ends. */
  from: number;
  to: number;
}

/** Splits `text` into commands of words. Never throws; a quote left open or a continuation at the end is a problem. */
export function tokenizeShell(text: string, opts: TokenizeOptions = {}): { commands: ShellCommand[]; problems: ShellProblem[]; vars: Map<string, ShellVar> } {
  const at = opts.offsetOf ?? ((i: number) => i);
  const vars = new Map(opts.vars ?? []);
  const kube = opts.kubeEnv;
  const problems: ShellProblem[] = [];
  const commands: ShellCommand[] = [];
  const n = text.length;
  let words: Word[] = [];
  let cmdStart = -1;
  let i = 0;

  const spanOf = (from: number, to: number): Span => {
    if (to <= from) return { offset: at(from), length: 0 };
    const s = at(from);
    return { offset: s, length: at(to - 1) + 1 - s };
  };
  const problem = (message: string, from: number, to: number) => problems.push({ message, ...spanOf(from, Math.max(to, from + 1)) });

  // Field splitting makes words of a variable's value each time it is used: at most MAX_FIELDS in all.
  let fieldBudget = MAX_FIELDS;
  // The next word is a redirection's target (`> log`, `2>&1`'s 1): not one of the command's words.
  let target = false;
  const endCommand = (end: number) => {
    target = false;
    if (!words.length) return;
    if (opts.assignments) assign(words, vars);
    commands.push({ words, start: at(cmdStart), end: at(Math.max(cmdStart, end - 1)) + 1 });
    words = [];
    cmdStart = -1;
  };

  /** A `$` reference at text[j] (text[j] === '$'): its value, where it ends, and whether it resolved. */
  const dollar = (j: number, inDouble: boolean): { value: string; end: number; unresolved?: string; v?: ShellVar; name?: string } => {
    const c = text[j + 1];
    if (c === '{') {
      let k = j + 2;
      while (k < n && k - j < MAX_NAME && isNameChar(text[k])) k++;
      const name = text.slice(j + 2, k);
      if (!name) return { value: '$', end: j + 1 };
      let def: string | undefined;
      // `${NAME:+word}` (`${NAME+word}`): word where NAME is set and not empty (set), else nothing.
      let alt: { word: string; colon: boolean } | undefined;
      if (text[k] === ':' && (text[k + 1] === '-' || text[k + 1] === '=' || text[k + 1] === '+')) {
        let e = k + 2;
        while (e < n && e - k < MAX_WORD && text[e] !== '}') e++;
        if (text[k + 1] === '+') alt = { word: text.slice(k + 2, e), colon: true };
        else def = text.slice(k + 2, e);
        k = e;
      } else if (text[k] === '-' || text[k] === '=' || text[k] === '+') {
        let e = k + 1;
        while (e < n && e - k < MAX_WORD && text[e] !== '}') e++;
        if (text[k] === '+') alt = { word: text.slice(k + 1, e), colon: false };
        else def = text.slice(k + 1, e);
        k = e;
      }
      if (text[k] !== '}') {
        while (k < n && text[k] !== '}' && text[k] !== '\n') k++;
        return { value: text.slice(j, k + 1), end: Math.min(n, k + 1), unresolved: text.slice(j, Math.min(n, k + 1)) };
      }
      const v = vars.get(name);
      if (alt) {
        if (v?.unresolved) return { value: text.slice(j, k + 1), end: k + 1, unresolved: v.unresolved };
        if (!v || (alt.colon && v.value === '')) return { value: '', end: k + 1 };
        // A launch line's word here is a flag and its value; a longer one is not expanded (each is tokenized again).
        if (alt.word.length > MAX_ALT_WORD) return { value: text.slice(j, k + 1), end: k + 1, unresolved: text.slice(j, k + 1) };
        return { ...expandWord(alt.word), end: k + 1 };
      }
      if (v && (v.value !== '' || def === undefined)) return { value: v.value, end: k + 1, v, name, ...(v.unresolved ? { unresolved: v.unresolved } : {}) };
      if (def !== undefined) return { value: def, end: k + 1 };
      return { value: text.slice(j, k + 1), end: k + 1, unresolved: `\${${name}}` };
    }
    if (c === '(') {
      if (text[j + 2] === '(') {
        const a = arithmetic(j);
        if (a) return a;
      }
      // Kubernetes `$(NAME)` first; anything else is a command substitution whose value is unknown.
      let k = j + 2;
      while (k < n && k - j < MAX_NAME && isNameChar(text[k])) k++;
      const name = text.slice(j + 2, k);
      if (name && text[k] === ')' && kube?.has(name)) {
        const v = kube.get(name)!;
        return { value: v.value, end: k + 1, v, name };
      }
      let depth = 0;
      let e = j + 1;
      for (; e < n; e++) {
        const ch = text[e];
        if (ch === '(') depth++;
        else if (ch === ')' && --depth === 0) break;
        else if (ch === '\n' && !inDouble && depth === 1 && name && text[k] === ')') break;
      }
      const end = Math.min(n, e + 1);
      if (opts.gpus && countsGpus(text, j + 2, end - 1)) return { value: opts.gpus.v.value, end, v: opts.gpus.v, name: opts.gpus.name };
      return { value: text.slice(j, end), end, unresolved: text.slice(j, end) };
    }
    if (c !== undefined && isNameStart(c)) {
      let k = j + 1;
      while (k < n && k - j < MAX_NAME && isNameChar(text[k])) k++;
      const name = text.slice(j + 1, k);
      const v = vars.get(name);
      if (v) return { value: v.value, end: k, v, name, ...(v.unresolved ? { unresolved: v.unresolved } : {}) };
      return { value: text.slice(j, k), end: k, unresolved: `$${name}` };
    }
    if (c !== undefined && ((c >= '0' && c <= '9') || c === '@' || c === '*' || c === '#' || c === '?' || c === '!' || c === '$' || c === '-')) {
      return { value: text.slice(j, j + 2), end: j + 2, unresolved: text.slice(j, j + 2) };
    }
    return { value: '$', end: j + 1 };
  };

  /** `${NAME:+word}`'s word, expanded: its words' values joined by a space (an unquoted use splits them again). */
  const expandWord = (word: string): { value: string; unresolved?: string } => {
    const r = tokenizeShell(word, { vars, kubeEnv: kube, gpus: opts.gpus });
    const ws = r.commands.flatMap((c) => c.words);
    const value = ws.map((w) => w.value).join(' ');
    const bad = ws.find((w) => w.unresolved);
    return bad ? { value, unresolved: bad.unresolved } : { value };
  };

  /**
   * `$(( expr ))` at text[j]: integers, + - * / and parentheses over known variables (`$N`, `${N}` or a bare
   * name) with whole-number values, evaluated as bash does (division truncates); anything else, or an unknown
   * variable, leaves it unresolved. undefined when no `))` closes it within MAX_ARITH characters.
   */
  const arithmetic = (j: number): { value: string; end: number; unresolved?: string } | undefined => {
    let depth = 0;
    let k = j + 3;
    for (; k < n && k - j < MAX_ARITH; k++) {
      const ch = text[k];
      if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth === 0) break;
        depth--;
      } else if (ch === '\n') return undefined;
    }
    if (text[k] !== ')' || text[k + 1] !== ')') return undefined;
    const end = k + 2;
    const value = evalArithmetic(text.slice(j + 3, k), vars);
    return value === undefined ? { value: text.slice(j, end), end, unresolved: text.slice(j, end) } : { value: String(value), end };
  };

  while (i < n) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') {
      i += 3;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    // A redirection (`>`, `>>`, `>|`, `>&`, `<`, `<&`, `<>`, `&>`, `&>>`) stays in its command; its
    // target word is skipped. A here-document or here-string (`<<`, `<<<`) ends the command, as before.
    const amp = c === '&' && text[i + 1] === '>';
    if ((c === '>' || (c === '<' && text[i + 1] !== '<' && text[i - 1] !== '<') || amp) && !target) {
      i += amp ? 2 : 1;
      if (text[i] === '>' || text[i] === '|' || text[i] === '&') i++;
      target = true;
      continue;
    }
    if (isBreak(c)) {
      endCommand(i);
      i++;
      continue;
    }
    // A word.
    if (cmdStart < 0) cmdStart = i;
    const start = i;
    let value = '';
    let exact = true;
    let unresolved: string | undefined;
    let wholeQuote: '' | '"' | "'" = '';
    let inner: Piece | undefined;
    let quotedParts = 0;
    let plainChars = 0;
    let refs = 0;
    let only: { v: ShellVar; name: string } | undefined;
    let cut = false;
    // Where an unquoted expansion put white space in the value (field splitting cuts the word there), and
    // the variables whose values hold it (a field inside one is written in its assignment).
    let splits: number[] | undefined;
    const spliced: { from: number; v: ShellVar; name: string }[] = [];
    // Stretches of the value copied from the text as they are: [value index, text index, length].
    const runs: [number, number, number][] = [];
    const literal = (from: number, to: number, at: number) => {
      const last = runs[runs.length - 1];
      if (last && last[0] + last[2] === at && last[1] + last[2] === from) last[2] += to - from;
      else if (to > from) runs.push([at, from, to - from]);
    };
    const add = (s: string) => {
      if (value.length + s.length > MAX_WORD) {
        if (!cut) problem(`A word longer than ${MAX_WORD} characters (after expanding variables) is cut short.`, start, i);
        cut = true;
        value += s.slice(0, Math.max(0, MAX_WORD - value.length));
      } else value += s;
    };
    const ref = (r: ReturnType<typeof dollar>, unquoted: boolean) => {
      refs++;
      if (r.unresolved && !unresolved) unresolved = r.unresolved;
      if (r.v && r.name) only = { v: r.v, name: r.name };
      exact = false;
      const from = value.length;
      add(r.value);
      if (!unquoted || r.unresolved || opts.noFieldSplit || fieldBudget <= 0) return;
      let spaced = false;
      for (let q = from; q < value.length; q++) {
        const ch = value[q];
        if (ch === ' ' || ch === '\t' || ch === '\n') {
          (splits ??= []).push(q);
          spaced = true;
          if (splits.length >= fieldBudget) break;
        }
      }
      if (spaced && r.v && r.name) spliced.push({ from, v: r.v, name: r.name });
    };
    while (i < n) {
      const ch = text[i];
      if (isSpace(ch) || isBreak(ch)) break;
      if (ch === '\\') {
        if (text[i + 1] === '\n') {
          i += 2;
          exact = false;
          continue;
        }
        if (i + 1 >= n) {
          problem('The line ends in `\\` with nothing after it: an unterminated line continuation.', i, i + 1);
          i++;
          exact = false;
          continue;
        }
        add(text[i + 1]);
        i += 2;
        exact = false;
        plainChars++;
        continue;
      }
      if (ch === "'") {
        const open = i;
        const from = i + 1;
        let e = from;
        while (e < n && text[e] !== "'") e++;
        if (e >= n) {
          problem('This single quote is never closed: the rest of the text is one word.', open, open + 1);
          add(text.slice(from, n));
          i = n;
          exact = false;
          break;
        }
        literal(from, e, value.length);
        add(text.slice(from, e));
        quotedParts++;
        if (quotedParts === 1) {
          wholeQuote = "'";
          inner = { from, to: e };
        }
        i = e + 1;
        continue;
      }
      if (ch === '"') {
        const open = i;
        const from = i + 1;
        let e = from;
        let plain = true;
        let closed = false;
        while (e < n) {
          const d = text[e];
          if (d === '"') {
            closed = true;
            break;
          }
          if (d === '\\' && e + 1 < n) {
            const nx = text[e + 1];
            if (nx === '\n') {
              plain = false;
              e += 2;
              continue;
            }
            if (nx === '"' || nx === '\\' || nx === '$' || nx === '`') {
              add(nx);
              plain = false;
              e += 2;
              continue;
            }
            add('\\');
            e++;
            continue;
          }
          if (d === '$') {
            const r = dollar(e, true);
            if (r.end > e + 1 || r.value !== '$') {
              ref(r, false);
              plain = false;
              e = r.end;
              continue;
            }
          }
          if (d === '`') {
            let f = e + 1;
            while (f < n && text[f] !== '`') f++;
            ref({ value: text.slice(e, f + 1), end: f + 1, unresolved: text.slice(e, Math.min(n, f + 1)) }, false);
            plain = false;
            e = Math.min(n, f + 1);
            continue;
          }
          literal(e, e + 1, value.length);
          add(d);
          e++;
        }
        if (!closed) {
          problem('This double quote is never closed: the rest of the text is one word.', open, open + 1);
          i = n;
          exact = false;
          break;
        }
        quotedParts++;
        if (quotedParts === 1) {
          wholeQuote = '"';
          inner = { from, to: e };
        }
        if (!plain) exact = false;
        i = e + 1;
        continue;
      }
      if (ch === '$') {
        const r = dollar(i, false);
        if (r.end > i + 1 || r.value !== '$') {
          ref(r, true);
          i = r.end;
          continue;
        }
      }
      if (ch === '`') {
        let f = i + 1;
        while (f < n && text[f] !== '`') f++;
        ref({ value: text.slice(i, f + 1), end: f + 1, unresolved: text.slice(i, Math.min(n, f + 1)) }, true);
        i = Math.min(n, f + 1);
        continue;
      }
      literal(i, i + 1, value.length);
      add(ch);
      plainChars++;
      i++;
    }
    // `2>&1`, `1>log`: an unquoted number right before `<` or `>` is the redirection's file descriptor, not
    // a word; the word after a redirection is its target (a file, or the `1` of `>&1`).
    const plainNumber = quotedParts === 0 && refs === 0 && plainChars === value.length && allDigits(value);
    if (((text[i] === '>' || text[i] === '<') && text[i + 1] !== '<' && plainNumber) || target) {
      target = false;
      if (!words.length) cmdStart = -1;
      continue;
    }
    const whole = quotedParts === 1 && plainChars === 0 && inner !== undefined && text[start] === wholeQuote && text[i - 1] === wholeQuote;
    const piece: Piece = whole && inner ? inner : { from: start, to: i };
    const span = spanOf(piece.from, piece.to);
    // Exact only where the text's characters are the value's, and the file keeps them together.
    const isExact = exact && !cut && (whole || quotedParts === 0) && span.length === piece.to - piece.from && span.length === value.length;
    const w: Word = { value, span, exact: isExact, quote: whole ? wholeQuote : '', end: at(i - 1) + 1 };
    if (unresolved) w.unresolved = unresolved;
    if (!isExact && !cut && runs.length) {
      const placed: LiteralRun[] = [];
      for (const [from, t, length] of runs) {
        // Only where the file keeps the characters together (a YAML scalar's folded lines do not).
        const sp = spanOf(t, t + length);
        if (sp.length === length) placed.push({ from, offset: sp.offset, length });
      }
      if (placed.length) w.runs = placed;
    }
    if (refs === 1 && only && plainChars === 0 && quotedParts <= 1 && value === only.v.value && only.v.span) {
      w.origin = { span: only.v.span, exact: only.v.exact === true, name: only.name };
    }
    // Bash splits an unquoted expansion's value on white space (not an assignment's: `A=$B` stays one
    // word), and an unquoted expansion to nothing is no word at all (`${REV:+--revision $REV}` unset).
    if (splits && !assignmentWord(text, start) && splits.length < fieldBudget) {
      const fs = fields(w, splits, spliced);
      fieldBudget -= fs.length;
      for (const f of fs) words.push(f);
    } else if (splits && !assignmentWord(text, start)) {
      if (fieldBudget >= 0) problem(`Past ${MAX_FIELDS} words split from variables' values, a variable's value is kept as one word.`, start, i);
      fieldBudget = -1;
      words.push(w);
    } else if (quotedParts === 0 && plainChars === 0 && refs > 0 && value === '' && !unresolved) {
      if (!words.length) cmdStart = -1;
    } else words.push(w);
  }
  endCommand(n);
  return { commands, problems, vars };
}

/** Whether the word written at text[start] begins `NAME=` (an assignment: its value is not field-split). */
function assignmentWord(text: string, start: number): boolean {
  if (!isNameStart(text[start] ?? '')) return false;
  let k = start + 1;
  while (k < text.length && k - start < MAX_NAME && isNameChar(text[k])) k++;
  return text[k] === '=';
}

/**
 * A word's fields after field splitting at `splits` (value indices of white space an unquoted expansion
 * put there): each on the word's place in the command; a field that lies inside one variable's value,
 * written as is in its assignment (`ARGS="--tensor-parallel-size 2"`), has its origin there, so a fix edits it.
 */
function fields(w: Word, splits: number[], spliced: { from: number; v: ShellVar; name: string }[]): Word[] {
  const out: Word[] = [];
  let a = 0;
  // Both in order of the value: the expansion a field starts in is found walking forward (no search per field).
  let k = 0;
  const field = (b: number) => {
    if (b <= a) return;
    const f: Word = { value: w.value.slice(a, b), span: w.span, exact: false, quote: '', end: w.end };
    if (w.unresolved && f.value.indexOf(w.unresolved) >= 0) f.unresolved = w.unresolved;
    while (k + 1 < spliced.length && spliced[k + 1].from <= a) k++;
    const s = spliced[k];
    if (s && s.from <= a && b <= s.from + s.v.value.length && s.v.span && s.v.exact) f.origin = { span: { offset: s.v.span.offset + a - s.from, length: b - a }, exact: true, name: s.name };
    out.push(f);
  };
  for (const p of splits) {
    field(p);
    a = p + 1;
  }
  field(w.value.length);
  return out;
}

/** Whether text[from, to) is `nvidia-smi -L | wc -l` or `nvidia-smi --list-gpus | wc -l` (spaces aside): the number of GPUs the process sees. */
function countsGpus(text: string, from: number, to: number): boolean {
  if (to - from > 64) return false;
  let s = '';
  for (let k = from; k < to; k++) if (text[k] !== ' ' && text[k] !== '\t') s += text[k];
  return s === 'nvidia-smi-L|wc-l' || s === 'nvidia-smi--list-gpus|wc-l';
}

/**
 * Bash's integer arithmetic over + - * / and parentheses, with unary signs; a variable (`$N`, `${N}`, `N`) must
 * hold a whole number. undefined for anything else (another operator, an unknown variable, a number past 2^53,
 * division by zero, a leading-zero octal), so the expansion stays unresolved rather than wrong.
 */
export function evalArithmetic(s: string, vars: ReadonlyMap<string, ShellVar>): number | undefined {
  let i = 0;
  const skip = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const safe = (x: number | undefined) => (x !== undefined && Number.isSafeInteger(x) ? x : undefined);
  const atom = (depth: number): number | undefined => {
    skip();
    if (depth > 32 || i >= s.length) return undefined;
    const c = s[i];
    if (c === '(') {
      i++;
      const v = sum(depth + 1);
      skip();
      if (v === undefined || s[i] !== ')') return undefined;
      i++;
      return v;
    }
    if (c === '-' || c === '+') {
      if (s[i + 1] === c) return undefined; // `--x`, `++x`: increments
      i++;
      const v = atom(depth + 1);
      return v === undefined ? undefined : c === '-' ? -v : v;
    }
    if (c >= '0' && c <= '9') {
      const from = i;
      while (i < s.length && s[i] >= '0' && s[i] <= '9') i++;
      const digits = s.slice(from, i);
      if (digits.length > 1 && digits[0] === '0') return undefined;
      if (i < s.length && (isNameChar(s[i]) || s[i] === '#')) return undefined; // `0x10`, `2#101`
      return safe(Number(digits));
    }
    let name: string;
    if (c === '$' && s[i + 1] === '{') {
      const close = s.indexOf('}', i + 2);
      if (close < 0) return undefined;
      name = s.slice(i + 2, close);
      i = close + 1;
    } else {
      const from = c === '$' ? i + 1 : i;
      if (!isNameStart(s[from] ?? '')) return undefined;
      let k = from + 1;
      while (k < s.length && isNameChar(s[k])) k++;
      name = s.slice(from, k);
      i = k;
    }
    const v = vars.get(name);
    const t = v && !v.unresolved ? v.value.trim() : '';
    return allDigits(t) && (t.length === 1 || t[0] !== '0') ? safe(Number(t)) : undefined;
  };
  const product = (depth: number): number | undefined => {
    let v = atom(depth);
    for (;;) {
      skip();
      const op = s[i];
      if (v === undefined || (op !== '*' && op !== '/')) return v;
      if (s[i + 1] === '*' || s[i + 1] === '=' || s[i + 1] === '/') return undefined; // `**`, `*=`, `/=`
      i++;
      const r = atom(depth);
      if (r === undefined) return undefined;
      if (op === '/' && r === 0) return undefined;
      v = safe(op === '*' ? v * r : Math.trunc(v / r));
    }
  };
  const sum = (depth: number): number | undefined => {
    let v = product(depth);
    for (;;) {
      skip();
      const op = s[i];
      if (v === undefined || (op !== '+' && op !== '-')) return v;
      if (s[i + 1] === op || s[i + 1] === '=') return undefined; // `x++`, `+=`
      i++;
      const r = product(depth);
      if (r === undefined) return undefined;
      v = safe(op === '+' ? v + r : v - r);
    }
  };
  if (s.length > MAX_ARITH) return undefined;
  const v = sum(0);
  skip();
  return i === s.length ? v : undefined;
}

/** `NAME=value`, `export NAME=value …` commands (and nothing else on the line) set variables for later lines. */
function assign(words: Word[], vars: Map<string, ShellVar>): void {
  let k = 0;
  if (words[0]?.quote === '' && (words[0].value === 'export' || words[0].value === 'declare' || words[0].value === 'readonly' || words[0].value === 'local')) k = 1;
  const rest = words.slice(k);
  if (!rest.length) return;
  const parsed = rest.map(splitAssignment);
  if (parsed.some((p) => !p)) return;
  const exported = k === 1 && words[0].value === 'export';
  for (const p of parsed) vars.set(p!.name, exported ? { ...p!.v, exported: true } : p!.v);
}

/** `NAME=value` as one word: the name, and the value with its place when the word is written plainly. */
export function splitAssignment(w: Word): { name: string; v: ShellVar } | undefined {
  const eq = w.value.indexOf('=');
  if (eq <= 0 || !isNameStart(w.value[0])) return undefined;
  for (let k = 1; k < eq; k++) if (!isNameChar(w.value[k])) return undefined;
  const name = w.value.slice(0, eq);
  const value = w.value.slice(eq + 1);
  if (w.exact) return { name, v: { value, span: { offset: w.span.offset + eq + 1, length: value.length }, exact: true } };
  // `m=$1`, `M=$(cat f)`: the variable is as unknown as what it is set from.
  const unresolved = w.unresolved ? { unresolved: w.unresolved } : {};
  // `ARGS="--tensor-parallel-size 2"`: the value is written as is inside the quotes.
  const inQuotes = w.unresolved ? undefined : literalSpan(w, eq + 1);
  if (inQuotes) return { name, v: { value, span: inQuotes, exact: true } };
  if (w.origin) return { name, v: { value, span: w.origin.span, exact: w.origin.exact, ...unresolved } };
  return { name, v: { value, ...unresolved } };
}

/**
 * Kubernetes' expansion of a container's `env` list, in order: `$(NAME)` in a value refers to a
 * variable defined earlier in the list (one pass: a later or circular reference stays as written,
 * as the kubelet leaves it); `$$` is a literal `$`.
 */
export function expandKubeEnv(entries: { name: string; value: string; span?: Span; exact?: boolean }[]): { env: Map<string, ShellVar>; problems: string[] } {
  const env = new Map<string, ShellVar>();
  const problems: string[] = [];
  for (const e of entries) {
    const { value, changed, cut } = expandKube(e.value, env);
    if (cut) problems.push(`env ${e.name}: its expansion is longer than ${MAX_WORD} characters and is cut short`);
    env.set(e.name, changed ? { value } : { value, span: e.span, exact: e.exact });
  }
  return { env, problems };
}

/** One pass of `$(NAME)` expansion over a string. */
export function expandKube(s: string, env: Map<string, ShellVar>): { value: string; changed: boolean; cut: boolean } {
  if (s.indexOf('$') < 0) return { value: s, changed: false, cut: false };
  let out = '';
  let changed = false;
  let cut = false;
  const n = s.length;
  for (let i = 0; i < n; ) {
    if (out.length > MAX_WORD) {
      cut = true;
      out = out.slice(0, MAX_WORD);
      break;
    }
    const c = s[i];
    if (c === '$' && s[i + 1] === '$') {
      out += '$';
      i += 2;
      changed = true;
      continue;
    }
    if (c === '$' && s[i + 1] === '(') {
      let k = i + 2;
      while (k < n && k - i < MAX_NAME && isNameChar(s[k])) k++;
      const name = s.slice(i + 2, k);
      if (name && s[k] === ')' && env.has(name)) {
        out += env.get(name)!.value;
        i = k + 1;
        changed = true;
        continue;
      }
    }
    out += c;
    i++;
  }
  return { value: out, changed, cut };
}

/** Whether a word is one or more ASCII digits (a whole number as a launch line writes it). */
export function allDigits(s: string): boolean {
  if (!s.length) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 48 || s.charCodeAt(i) > 57) return false;
  return true;
}
