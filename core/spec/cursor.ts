// What is at an offset of a spec being typed: the path, whether a key or a value is being written,
// and the word under the cursor. Read from the text by indentation, so it works on the half-written
// YAML an editor holds mid-keystroke; one level of flow mapping (`{ a: 1, b: }`) is understood.
import type { ParsedDoc, SpecPath } from './parse';

export interface CursorInfo {
  doc: ParsedDoc;
  /** The path of the value being written (position 'value') or of the mapping that holds the key (position 'key'). */
  path: SpecPath;
  position: 'key' | 'value';
  /** The key under the cursor when position is 'key' and a whole key is there. */
  key?: string;
  /** The word being typed or hovered, in file offsets. */
  word: { offset: number; length: number; text: string };
  /** The line is a sequence item (`- …`). */
  inSequence: boolean;
}

// The key ends on a non-space character, so the key and the spaces before its colon cannot trade characters (no quadratic backtracking on long runs of spaces).
const KEY_LINE = /^(\s*)(-\s+)?("[^"]*"|'[^']*'|[^\s:#{}[\],'"](?:[^:#{}[\],]*[^\s:#{}[\],])?)\s*:(?=\s|$)/;

function unquote(k: string): string {
  return /^["'].*["']$/.test(k) ? k.slice(1, -1) : k;
}

interface Line {
  start: number;
  text: string;
}

function lineAt(text: string, offset: number): Line {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  return { start, text: text.slice(start, end).replace(/\r$/, '') };
}

function indentOf(s: string): number {
  let i = 0;
  while (s[i] === ' ') i++;
  return i;
}

/** The keys of the mappings enclosing a line at `indent`, walking up from `lineStart`. */
function parentKeys(text: string, docStart: number, lineStart: number, indent: number): { path: string[]; inSequence: boolean } {
  const path: string[] = [];
  let want = indent;
  let pos = lineStart;
  let inSequence = false;
  let first = true;
  while (pos > docStart && want > 0) {
    const prevEnd = pos - 1;
    const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
    const line = text.slice(Math.max(prevStart, docStart), prevEnd).replace(/\r$/, '');
    pos = Math.max(prevStart, docStart);
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const ind = indentOf(line);
    const m = KEY_LINE.exec(line);
    // A sequence item line "- key: v": its keys sit at indent + 2.
    const dash = /^\s*-\s+/.exec(line);
    const keyCol = dash ? dash[0].length : ind;
    if (dash && keyCol <= want && first && keyCol === want) {
      // A sibling inside the same sequence item: keep walking to the item's parent.
      inSequence = true;
      want = ind + 1;
      first = false;
      continue;
    }
    if (ind < want) {
      if (m) {
        path.unshift(unquote(m[3]));
        want = ind;
      } else if (dash) {
        inSequence = true;
        want = ind + 1;
      } else {
        want = ind;
      }
    }
    first = false;
  }
  return { path, inSequence };
}

export function cursorAt(text: string, docs: ParsedDoc[], offset: number): CursorInfo | undefined {
  const doc = docs.find((d) => offset >= d.start && offset <= d.end) ?? docs[docs.length - 1];
  if (!doc) return undefined;
  const line = lineAt(text, offset);
  const col = offset - line.start;
  const before = line.text.slice(0, col);
  if (/^---|^\.\.\./.test(line.text) || /(^|\s)#/.test(before.replace(/"[^"]*"|'[^']*'/g, ''))) return undefined;

  // One level of flow mapping: `resources: { nodes: 2, gpusPerNode: | }`.
  const brace = before.lastIndexOf('{');
  if (brace >= 0 && before.indexOf('}', brace) < 0) {
    const head = KEY_LINE.exec(line.text.slice(0, brace));
    const parents = parentKeys(text, doc.start, line.start, indentOf(line.text) + (head?.[2]?.length ?? 0));
    const base = head ? [...parents.path, unquote(head[3])] : parents.path;
    const seg = before.slice(Math.max(before.lastIndexOf(',', col), brace) + 1);
    const colon = seg.indexOf(':');
    const segStart = line.start + col - seg.length;
    if (colon >= 0) {
      const key = unquote(seg.slice(0, colon).trim());
      const valText = seg.slice(colon + 1);
      const lead = valText.length - valText.trimStart().length;
      const rest = line.text.slice(col).match(/^[^,}\s]*/)![0];
      const wStart = segStart + colon + 1 + lead;
      return { doc, path: [...base, key], position: 'value', word: { offset: wStart, length: offset - wStart + rest.length, text: valText.trimStart() + rest }, inSequence: parents.inSequence };
    }
    const lead = seg.length - seg.trimStart().length;
    const rest = line.text.slice(col).match(/^[\w.-]*/)![0];
    const wStart = segStart + lead;
    return { doc, path: base, position: 'key', word: { offset: wStart, length: offset - wStart + rest.length, text: seg.trim() + rest }, inSequence: parents.inSequence };
  }

  const m = KEY_LINE.exec(line.text);
  const dash = /^(\s*)-\s+/.exec(line.text);
  const indent = dash ? dash[0].length : indentOf(line.text);
  const { path: parents, inSequence } = parentKeys(text, doc.start, line.start, indent);
  const seqPath = dash || inSequence ? [...parents, 0] : parents;
  if (m && col > m[0].length - 1) {
    // After `key:` — the value.
    const key = unquote(m[3]);
    const afterColon = line.text.slice(m[0].length);
    const lead = afterColon.length - afterColon.trimStart().length;
    const valueStart = line.start + m[0].length + lead;
    const value = stripComment(afterColon.trimStart()).trimEnd();
    const wStart = Math.min(valueStart, offset);
    return { doc, path: [...seqPath.filter((s) => s !== 0 || dash), key].filter((s) => s !== undefined), position: 'value', word: { offset: wStart, length: Math.max(value.length, offset - wStart), text: value }, inSequence: !!dash || inSequence };
  }
  if (m) {
    const keyStart = line.start + m[1].length + (m[2]?.length ?? 0);
    const key = unquote(m[3]);
    return { doc, path: dash ? [...parents, 0] : parents, position: 'key', key, word: { offset: keyStart, length: m[3].length, text: key }, inSequence: !!dash || inSequence };
  }
  const word = /[\w.-]*$/.exec(before)![0];
  const rest = line.text.slice(col).match(/^[\w.-]*/)![0];
  if (dash && before.trim() !== '-' && !/^\s*-\s*[\w.-]*$/.test(before)) return undefined;
  if (dash && /^\s*-\s+\S/.test(line.text) && !KEY_LINE.test(line.text) && before.trim().length > 1) {
    // "- value" in a list of scalars.
    return { doc, path: [...parents], position: 'value', word: { offset: offset - word.length, length: word.length + rest.length, text: word + rest }, inSequence: true };
  }
  return { doc, path: dash ? [...parents, 0] : parents, position: 'key', word: { offset: offset - word.length, length: word.length + rest.length, text: word + rest }, inSequence: !!dash || inSequence };
}

/** The text before a ` #` comment. A scan: `/\s+#.*$/` backtracks quadratically over a long run of spaces. */
function stripComment(text: string): string {
  for (let h = text.indexOf('#', 1); h >= 0; h = text.indexOf('#', h + 1)) {
    if (/\s/.test(text[h - 1])) return text.slice(0, h);
  }
  return text;
}
