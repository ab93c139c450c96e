// Re-parsing a YAML document after an edit that stays inside one single-line scalar (typing in a
// value or a key), without running the parser over the whole document again: the new document is a
// copy of the old one with that scalar replaced by a standalone parse of its new text and every
// offset after it moved by the change in length. Only edits whose result is certain to equal a full
// parse take this path; anything else returns undefined and the caller parses the whole document.
import { Alias, isAlias, isCollection, isNode, isPair, isScalar, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Node as YamlNode, type Schema } from 'yaml';

/** The options every Gantry document is parsed with (parse.ts's parseChunk uses them too). */
export const YAML_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true, stringKeys: false } as const;

interface Target {
  node: Scalar;
  /** The mapping the node is a key of. */
  keyOf?: YAMLMap;
  /** Inside a flow collection, where `,[]{}` and `:` end a plain scalar. */
  inFlow: boolean;
}

/** Scalar properties that depend on what surrounds the scalar, not on its text: kept from the old node (its range is moved later). */
const CONTEXT_PROPS = ['comment', 'commentBefore', 'spaceBefore'] as const;

/** Characters that may not start a plain scalar here (`-` is allowed before a digit or a dot: `-1`, `-.5`). */
const INDICATORS = '-?:,[]{}#&*!|>\'"%@`';

/**
 * The document `newText` parses to, built from `old` (the parse of `oldText`, with no errors or
 * warnings) when the two texts differ only inside one plain or quoted single-line scalar. A new
 * Document: `old` and its nodes are left untouched, since caches key on their identity.
 */
export function reparseScalarEdit(old: Document.Parsed, oldText: string, newText: string): Document.Parsed | undefined {
  if (old.errors.length || old.warnings.length || !isNode(old.contents)) return undefined;
  // A %YAML directive may pick another schema than the standalone parse below uses.
  if (old.directives?.yaml.explicit || old.directives?.yaml.version !== '1.2') return undefined;

  // The edited region: [lo, hi) in the old text became [lo, hi + delta) in the new.
  const oldLen = oldText.length;
  const newLen = newText.length;
  const min = Math.min(oldLen, newLen);
  let lo = 0;
  while (lo < min && oldText.charCodeAt(lo) === newText.charCodeAt(lo)) lo++;
  if (lo === oldLen && lo === newLen) return undefined;
  let s = 0;
  while (s < min - lo && oldText.charCodeAt(oldLen - 1 - s) === newText.charCodeAt(newLen - 1 - s)) s++;
  const hi = oldLen - s;
  const delta = newLen - oldLen;

  const target = findScalar(old.contents as YamlNode, lo, hi, false);
  if (!target) return undefined;
  const { node, keyOf, inFlow } = target;
  const [r0, r1] = node.range!;
  if (r1 <= r0 || node.tag || node.anchor) return undefined;
  const oldKind = kindOf(node.type);
  if (!oldKind) return undefined;
  if (/[\n\r]/.test(oldText.slice(r0, r1))) return undefined;

  const src = newText.slice(r0, r1 + delta);
  const kind = safeKind(src, inFlow);
  if (!kind) return undefined;
  if (kind === 'plain' && src === '<<') return undefined;
  // A scalar that turns from quoted to plain or back: only between blanks (or before `: `), where
  // both end the same way whatever the collection around them.
  if ((kind === 'plain') !== (oldKind === 'plain') && !(blankBefore(newText, r0) && blankOrColonAfter(newText, r0 + src.length))) return undefined;

  const alone = parseDocument(src, YAML_OPTIONS);
  const scalar = alone.contents;
  if (alone.errors.length || alone.warnings.length || !isScalar(scalar) || kindOf(scalar.type) !== kind) return undefined;
  if (scalar.tag || scalar.anchor || scalar.comment || scalar.commentBefore || alone.comment || alone.commentBefore) return undefined;
  const [a0, a1, a2] = scalar.range ?? [];
  if (a0 !== 0 || a1 !== src.length || a2 !== src.length) return undefined;

  if (keyOf) {
    // Same test as the parser's uniqueKeys: another scalar key with the same value is a duplicate.
    for (const pair of keyOf.items) if (pair.key !== node && isScalar(pair.key) && pair.key.value === scalar.value) return undefined;
    // An implicit key's `:` must come within 1024 characters of its start (strict mode); also the
    // key must be an implicit one (followed by `:` on its line), as its old self was.
    let colon = r0 + src.length;
    while (newText.charCodeAt(colon) === 32) colon++;
    if (newText.charCodeAt(colon) !== 58 /* : */ || colon - r0 > 1000) return undefined;
  }

  // Document.clone() copies nodes through property descriptors (about 200 µs for a 60-line spec):
  // take the document's shell from it, and copy the nodes here, moved and patched on the way.
  const contents = old.contents;
  let doc: Document.Parsed;
  try {
    old.contents = null;
    doc = old.clone() as Document.Parsed;
  } finally {
    old.contents = contents;
  }
  // Directives.clone() keeps `docStart` but not `docEnd` (a `...` after the document).
  if (old.directives && doc.directives) doc.directives.docEnd = old.directives.docEnd;
  // The standalone scalar (value, source, type, format…) with what it owes to its place in the old one.
  const patched = Object.assign(new Scalar(scalar.value), scalar);
  for (const k of CONTEXT_PROPS) if (k in node) (patched as unknown as Record<string, unknown>)[k] = (node as unknown as Record<string, unknown>)[k];
  const copy = copyNode(contents, { from: r1, delta, target: node, patched, schema: doc.schema });
  if (!copy) return undefined;
  doc.contents = copy as Document.Parsed['contents'];
  if (doc.range) shiftRange(doc.range, r1, delta);
  return doc;
}

interface CopyContext {
  /** Offsets at or after `from` move by `delta`. */
  from: number;
  delta: number;
  /** The edited scalar, and what stands in its place in the copy (ranges not yet moved). */
  target: Scalar;
  patched: Scalar;
  schema: Schema;
}

/**
 * The node tree with the target patched and every offset at or after `from` moved. Nodes whose
 * subtree holds neither are shared with the old tree (nothing in Gantry changes a parsed node);
 * every other node is a copy with its own range. Undefined for a node it does not know how to copy.
 */
function copyNode(node: unknown, ctx: CopyContext): unknown {
  if (isPair(node)) {
    const key = isNode(node.key) ? copyNode(node.key, ctx) : node.key;
    const value = isNode(node.value) ? copyNode(node.value, ctx) : node.value;
    if (key === undefined || value === undefined) return undefined;
    return key === node.key && value === node.value ? node : new Pair(key, value);
  }
  const range = (node as YamlNode).range;
  const moves = !!range && range[2] >= ctx.from;
  let copy: YamlNode;
  if (node === ctx.target) copy = ctx.patched;
  else if (isScalar(node)) {
    if (!moves) return node;
    copy = Object.assign(new Scalar(node.value), node);
  } else if (isAlias(node)) {
    if (!moves) return node;
    copy = Object.assign(new Alias(node.source), node);
  } else if (isCollection(node)) {
    let items: unknown[] | undefined;
    for (let i = 0; i < node.items.length; i++) {
      const item = node.items[i];
      const ci = copyNode(item, ctx);
      if (ci === undefined) return undefined;
      if (ci !== item && !items) items = node.items.slice(0, i);
      items?.push(ci);
    }
    if (!items && !moves) return node;
    if (node.constructor !== YAMLMap && node.constructor !== YAMLSeq) return undefined;
    const c = Object.assign(node.constructor === YAMLMap ? new YAMLMap(ctx.schema) : new YAMLSeq(ctx.schema), node);
    c.items = (items ?? node.items.slice()) as typeof c.items;
    copy = c;
  } else return undefined;
  if (range) {
    const r = range.slice() as [number, number, number];
    shiftRange(r, ctx.from, ctx.delta);
    copy.range = r;
  }
  return copy;
}

function kindOf(type: string | undefined): 'plain' | 'double' | 'single' | undefined {
  return type === 'PLAIN' ? 'plain' : type === 'QUOTE_DOUBLE' ? 'double' : type === 'QUOTE_SINGLE' ? 'single' : undefined;
}

/**
 * The kind of scalar `src` is when it can stand where a single-line scalar stood, whatever is around
 * it: one whole quoted scalar, or a plain one with nothing that could end it early or make it a key,
 * a comment, a collection or another node. (The standalone parse checks it again; these tests are
 * the ones that do not depend on it.)
 */
function safeKind(src: string, inFlow: boolean): 'plain' | 'double' | 'single' | undefined {
  if (!src || /[\x00-\x1f\x7f\x85\u2028\u2029\ufeff]/.test(src)) return undefined;
  const c = src[0];
  // Closed by its own quote with nothing after it (the parser does not complain of a missing closing quote at the end of its input).
  if (c === '"') return /^"(?:[^"\\]|\\.)*"$/.test(src) ? 'double' : undefined;
  if (c === "'") return /^'(?:[^']|'')*'$/.test(src) ? 'single' : undefined;
  if (INDICATORS.includes(c) && !(c === '-' && /^-[0-9.]/.test(src))) return undefined;
  if (src.startsWith('...') || src.trim() !== src) return undefined;
  if (/[,[\]{}]| #|: |:$/.test(src) || (inFlow && src.includes(':'))) return undefined;
  return 'plain';
}

function blankBefore(text: string, at: number): boolean {
  const c = text.charCodeAt(at - 1);
  return at === 0 || c === 10 || c === 32;
}

function blankOrColonAfter(text: string, at: number): boolean {
  let c = text.charCodeAt(at);
  if (c === 58 /* : */) c = text.charCodeAt(++at);
  return at >= text.length || c === 10 || c === 13 || c === 32;
}

/** The single-line scalar whose value text [range[0], range[1]] holds the region [lo, hi]. */
function findScalar(node: YamlNode, lo: number, hi: number, inFlow: boolean): Target | undefined {
  const r = node.range;
  if (!r || r[0] > lo || hi > r[2]) return undefined;
  if (isScalar(node)) return hi <= r[1] ? { node, inFlow } : undefined;
  if (!isCollection(node)) return undefined;
  const flow = inFlow || !!node.flow;
  const items = node.items as unknown[];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isPair(item)) {
      for (const side of ['key', 'value'] as const) {
        const child = item[side];
        if (!isNode(child) || !covers(child, lo, hi)) continue;
        const t = findScalar(child, lo, hi, flow);
        if (t && side === 'key' && t.node === child) t.keyOf = node as YAMLMap;
        return t;
      }
    } else if (isNode(item) && covers(item, lo, hi)) {
      return findScalar(item, lo, hi, flow);
    }
  }
  return undefined;
}

function covers(node: YamlNode, lo: number, hi: number): boolean {
  const r = node.range;
  return !!r && r[0] <= lo && hi <= r[2];
}

function shiftRange(r: number[], from: number, delta: number): void {
  for (let i = 0; i < r.length; i++) if (r[i] >= from) r[i] += delta;
}
