// A JSON file (DeepSpeed's config) as the training readers see it: values by path with their places,
// and the edits that rewrite a value or add a key, in JSON. Parsed by jsonc-parser (Microsoft's, the
// one VS Code's JSON support uses: offsets on every node, comments and trailing commas tolerated, an
// error list instead of a throw).
import { createScanner, findNodeAtLocation, getNodeValue, type Node, type ParseError, parseTree, printParseErrorCode, type SyntaxKind } from 'jsonc-parser/lib/esm/main.js'; // the ESM build: the UMD one that "main" names requires its parts at run time, which a bundle cannot
import type { Span } from '../spec/parse';
import { quote, type TextEditAt } from '../validate/problem';
import type { SourceEntry } from './types';

export interface JsonDoc {
  text: string;
  root?: Node;
  error?: { offset: number; length: number; message: string };
}

export function parseJson(text: string): JsonDoc {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (e) {
    // The parser recurses once per level: some thousands of nested brackets exhaust the stack.
    if (!(e instanceof RangeError)) throw e;
    return { text, error: { offset: tooDeepAt(text), length: 1, message: `nested too deeply to read (more than ${DEEP} levels of objects and lists)` } };
  }
  const e = errors[0];
  return { text, root: root?.type === 'object' ? root : undefined, ...(e ? { error: { offset: e.offset, length: Math.max(1, e.length), message: jsonErrorText(text, e.offset, e.length, printParseErrorCode(e.error)) } } : root?.type === 'object' ? {} : { error: { offset: 0, length: 1, message: 'not a JSON object' } }) };
}

/** Nesting past which a JSON file is said to be too deep (a DeepSpeed config has four or five levels). */
const DEEP = 1000;

/** Where the nesting of `text` first passes DEEP levels (the start of the file if it never does). */
function tooDeepAt(text: string): number {
  // jsonc-parser's SyntaxKind values (a const enum its typings declare, which isolatedModules cannot read).
  const [open, close, openList, closeList, eof] = [1, 2, 3, 4, 17] as SyntaxKind[];
  const scan = createScanner(text, true);
  let depth = 0;
  for (let t = scan.scan(); t !== eof; t = scan.scan()) {
    if (t === open || t === openList) {
      if (++depth > DEEP) return scan.getTokenOffset();
    } else if (t === close || t === closeList) depth--;
  }
  return 0;
}

export interface JsonValue {
  value: unknown;
  /** The value's characters (inside its quotes for a string). */
  span: Span;
  node: Node;
  label: string;
}

export function jsonAt(doc: JsonDoc, path: string[]): JsonValue | undefined {
  if (!doc.root) return undefined;
  const node = lastAt(doc.root, path);
  if (!node) return undefined;
  const quoted = node.type === 'string';
  return { value: getNodeValue(node), span: quoted ? { offset: node.offset + 1, length: Math.max(0, node.length - 2) } : { offset: node.offset, length: node.length }, node, label: path.join('.') };
}

/**
 * The node at `path`, taking the last of a key written twice in one object, as Python's json.load
 * (Hugging Face Trainer, accelerate) keeps it (jsonc-parser's findNodeAtLocation takes the first).
 */
function lastAt(root: Node, path: string[]): Node | undefined {
  let node: Node | undefined = root;
  for (const key of path) {
    if (node?.type !== 'object') return undefined;
    let next: Node | undefined;
    for (const prop of node.children ?? []) if (prop.children?.length === 2 && prop.children[0].value === key) next = prop.children[1];
    node = next;
  }
  return node;
}

/** The keys of the object at `path` (the last of a key written twice), each at its characters inside the quotes. */
export function jsonKeys(doc: JsonDoc, path: string[]): { key: string; span: Span }[] {
  const obj = doc.root ? lastAt(doc.root, path) : undefined;
  if (obj?.type !== 'object') return [];
  const out: { key: string; span: Span }[] = [];
  for (const prop of obj.children ?? []) {
    const k = prop.children?.[0];
    if (k && typeof k.value === 'string') out.push({ key: k.value, span: { offset: k.offset + 1, length: Math.max(1, k.length - 2) } });
  }
  return out;
}

/** Keys written twice in one object (each later occurrence, at its key), the first `max`. */
export function duplicateJsonKeys(doc: JsonDoc, max = 20): { key: string; span: Span }[] {
  const out: { key: string; span: Span }[] = [];
  const stack: Node[] = doc.root ? [doc.root] : [];
  while (stack.length && out.length < max) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const prop of node.children ?? []) {
        const k = prop.children?.[0];
        if (!k || typeof k.value !== 'string') continue;
        if (seen.has(k.value) && out.length < max) out.push({ key: k.value, span: { offset: k.offset + 1, length: Math.max(1, k.length - 2) } });
        seen.add(k.value);
        if (prop.children?.[1]) stack.push(prop.children[1]);
      }
    } else if (node.type === 'array') for (const c of node.children ?? []) stack.push(c);
  }
  return out.sort((a, b) => a.span.offset - b.span.offset);
}

/** The source entry of a JSON value; `convert` turns a Gantry value into the file's (undefined: cannot). */
export function jsonEntry(v: JsonValue, convert: (value: unknown) => unknown = (x) => x): SourceEntry {
  return {
    span: v.span,
    label: v.label,
    write(value) {
      const out = convert(value);
      return out === undefined ? undefined : { offset: v.node.offset, length: v.node.length, newText: JSON.stringify(out) };
    },
  };
}

/** The edit that adds `path` = value, inside the deepest object of the path that exists; a key already there gets the value in place. */
export function jsonInsert(doc: JsonDoc, path: string[], value: unknown): TextEditAt | undefined {
  if (!doc.root || doc.error) return undefined;
  let obj = doc.root;
  let i = 0;
  for (; i < path.length - 1; i++) {
    const next = findNodeAtLocation(obj, [path[i]]);
    if (!next) break;
    if (next.type !== 'object') return undefined;
    obj = next;
  }
  // The key is there already (an "auto", a value no reader took): its value is replaced, never a second key.
  const own = i === path.length - 1 ? findNodeAtLocation(obj, [path[i]]) : undefined;
  if (own) return { offset: own.offset, length: own.length, newText: JSON.stringify(value) };
  let lit = JSON.stringify(value);
  for (let j = path.length - 1; j > i; j--) lit = `{ ${JSON.stringify(path[j])}: ${lit} }`;
  const prop = `${JSON.stringify(path[i])}: ${lit}`;
  const props = obj.children ?? [];
  const close = obj.offset + obj.length - 1;
  if (!props.length) return { offset: obj.offset + 1, length: 0, newText: ` ${prop} ` };
  const last = props[props.length - 1];
  const indent = indentOf(doc.text, last.offset);
  return { offset: Math.min(last.offset + last.length, close), length: 0, newText: `,\n${indent}${prop}` };
}

function indentOf(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  let end = start;
  while (end < at && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}

/** jsonc-parser's error codes (printParseErrorCode) in words; an unexpected word is quoted (a template's CONFIG_BATCH_SIZE). */
const JSON_ERROR_WORDS: Record<string, string> = {
  InvalidNumberFormat: 'a number written wrongly',
  PropertyNameExpected: 'a key in double quotes expected',
  ValueExpected: 'a value expected',
  ColonExpected: 'a colon expected',
  CommaExpected: 'a comma expected',
  CloseBraceExpected: 'a closing } expected',
  CloseBracketExpected: 'a closing ] expected',
  EndOfFileExpected: 'more text after the end of the JSON object',
  InvalidCommentToken: 'a comment that is not closed',
  UnexpectedEndOfComment: 'a comment that is not closed',
  UnexpectedEndOfString: 'a string that is not closed',
  UnexpectedEndOfNumber: 'a number cut short',
  InvalidUnicode: 'a \\u escape that is not four hex digits',
  InvalidEscapeCharacter: 'an escape that JSON does not have',
  InvalidCharacter: 'a control character inside a string',
};

function jsonErrorText(text: string, offset: number, length: number, code: string): string {
  if (code === 'InvalidSymbol') {
    const word = text.slice(offset, offset + Math.min(Math.max(1, length), 60));
    return `unexpected ${quote(word, 40)} (JSON takes a string in double quotes, a number, true, false, null, an object or a list)`;
  }
  return JSON_ERROR_WORDS[code] ?? code;
}
