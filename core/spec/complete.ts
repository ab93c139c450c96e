// Completion and hover content from the schemas and the catalogs, in file offsets.
import { cursorAt, type CursorInfo } from './cursor';
import type { ParsedDoc } from './parse';
import { placeholderFor, typeWords, type JsonSchema, type SchemaIndex } from './schemaNav';
import { GPUS, findGpu } from '../catalog/gpus';
import { findModel, modelChoices } from '../catalog/models';
import { API_VERSION, KINDS, type Kind } from './types';
import { valueAt } from './valueAt';

export type CompletionKind = 'property' | 'value' | 'enum' | 'reference' | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Replaces the word at `replace`; may hold snippet tab stops when `snippet` is true. */
  insertText: string;
  snippet?: boolean;
  replace: { offset: number; length: number };
  sortText?: string;
  preselect?: boolean;
}

export interface CompletionSources {
  schemas: SchemaIndex;
  clusterNames: () => string[];
  /** Model repos in the local Hugging Face cache (`org/name`), offered after the catalog's presets. */
  localModels?: () => readonly string[];
}

function docKind(doc: ParsedDoc): Kind | undefined {
  const k = (doc.value as Record<string, unknown> | undefined)?.kind;
  if (typeof k === 'string' && (KINDS as readonly string[]).includes(k)) return k as Kind;
  // Half-written documents may not parse; read `kind:` from the text.
  const m = /^kind[ \t]*:[ \t]*["']?(\w+)/m.exec(doc.text);
  return m && (KINDS as readonly string[]).includes(m[1]) ? (m[1] as Kind) : undefined;
}

/** Keys already present in the mapping at `path`, read from the text under the cursor's parent. */
function presentKeys(text: string, cur: CursorInfo): Set<string> {
  const v = valueAt(cur.doc.value, cur.path);
  const keys = new Set<string>(v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []);
  if (cur.key) keys.delete(cur.key);
  return keys;
}

const scalarText = (v: unknown): string => (typeof v === 'string' ? (/^[\w./:@+-]+$/.test(v) && !/^(true|false|null|yes|no|on|off|~|[\d.e+-]+)$/i.test(v) ? v : JSON.stringify(v)) : JSON.stringify(v));

/**
 * A field's first sentence and its unit, for a foreign file (a hover on its value, a flag's
 * completion): the rest of a schema description speaks of Gantry's spec — its other fields, its
 * defaults, which are not the tool's (the tool's own default is in the estimate's assumptions).
 */
export function fieldSummary(s: JsonSchema | undefined): string | undefined {
  const text = s?.markdownDescription ?? s?.description;
  if (!text) return undefined;
  const end = text.indexOf('. ');
  const first = end < 0 ? text.trim() : text.slice(0, end + 1);
  const unit = s?.['x-gantry-unit'] ? String(s['x-gantry-unit']) : undefined;
  return unit && !first.includes(`(${unit})`) ? `${first} Unit: ${unit}.` : first;
}

export function schemaDoc(s: JsonSchema | undefined): string | undefined {
  if (!s) return undefined;
  const parts = [s.markdownDescription ?? s.description ?? ''];
  if (s['x-gantry-unit']) parts.push(`Unit: ${String(s['x-gantry-unit'])}.`);
  if (s.default !== undefined) parts.push(`Default: \`${JSON.stringify(s.default)}\`.`);
  return parts.filter(Boolean).join('\n\n') || undefined;
}

export function complete(text: string, docs: ParsedDoc[], offset: number, src: CompletionSources): CompletionEntry[] {
  const cur = cursorAt(text, docs, offset);
  if (!cur) return [];
  const kind = docKind(cur.doc);
  const replace = { offset: cur.word.offset, length: cur.word.length };
  if (cur.position === 'key') return keyCompletions(text, cur, kind, src, replace);
  return valueCompletions(cur, kind, src, replace);
}

function keyCompletions(text: string, cur: CursorInfo, kind: Kind | undefined, src: CompletionSources, replace: CompletionEntry['replace']): CompletionEntry[] {
  const present = presentKeys(text, cur);
  let props: Record<string, JsonSchema>;
  let required: string[] = [];
  if (cur.path.length === 0) {
    props = {
      apiVersion: { description: 'The Gantry spec version.', type: 'string' },
      kind: { description: `One of ${KINDS.join(', ')}.`, type: 'string' },
      metadata: { description: 'The name (and labels) of this document.', type: 'object' },
      spec: { description: 'What this document describes.', type: 'object' },
    };
    required = ['apiVersion', 'kind', 'metadata', 'spec'];
  } else {
    if (!kind) return [];
    const s = src.schemas.at(kind, cur.path);
    props = s?.properties ?? {};
    required = s?.required ?? [];
  }
  const out: CompletionEntry[] = [];
  for (const [name, schema] of Object.entries(props)) {
    if (present.has(name)) continue;
    const resolved = (kind && cur.path.length ? src.schemas.at(kind, [...cur.path, name]) : undefined) ?? schema;
    const types = typeWords(resolved);
    const isObject = types.includes('object') && !types.includes('string');
    const isArray = types.includes('array') && types.length === 1;
    const indent = ' '.repeat(cur.word.offset - text.lastIndexOf('\n', cur.word.offset - 1) - 1);
    let insertText: string;
    if (isObject) insertText = `${name}:\n${indent}  $0`;
    else if (isArray) insertText = `${name}:\n${indent}  - $0`;
    else if (resolved.enum?.length) insertText = `${name}: \${1|${resolved.enum.map((e) => String(e).replace(/[,|]/g, '\\$&')).join(',')}|}`;
    else insertText = `${name}: $0`;
    if (cur.path.length === 0 && name === 'apiVersion') insertText = `apiVersion: ${API_VERSION}`;
    if (cur.path.length === 0 && name === 'kind') insertText = `kind: \${1|${KINDS.join(',')}|}`;
    out.push({
      label: name,
      kind: 'property',
      detail: [types.join(' | '), resolved['x-gantry-unit'] ? String(resolved['x-gantry-unit']) : '', required.includes(name) ? 'required' : ''].filter(Boolean).join(' · '),
      documentation: schemaDoc(resolved),
      insertText,
      snippet: true,
      replace,
      sortText: (required.includes(name) ? '0' : '1') + name,
    });
  }
  return out;
}

function valueCompletions(cur: CursorInfo, kind: Kind | undefined, src: CompletionSources, replace: CompletionEntry['replace']): CompletionEntry[] {
  const path = cur.path.filter((s) => typeof s === 'string') as string[];
  const joined = path.join('.');
  const entries = (values: { label: string; detail?: string; doc?: string }[], k: CompletionKind): CompletionEntry[] => values.map((v, i) => ({ label: v.label, kind: k, detail: v.detail, documentation: v.doc, insertText: scalarText(v.label), replace, sortText: String(i).padStart(4, '0') }));
  if (joined === 'apiVersion') return entries([{ label: API_VERSION }], 'enum');
  if (joined === 'kind')
    return entries(
      KINDS.map((k) => ({ label: k })),
      'enum',
    );
  if (!kind) return [];
  if (joined === 'spec.nodes.gpu.model')
    return entries(
      GPUS.map((g) => ({ label: g.id, detail: `${g.memoryGiB} GiB`, doc: g.summary })),
      'reference',
    );
  if (joined === 'spec.model.preset') return entries(modelChoices(src.localModels), 'reference');
  if (joined === 'spec.cluster')
    return entries(
      src.clusterNames().map((n) => ({ label: n, detail: 'Cluster' })),
      'reference',
    );
  const s = src.schemas.at(kind, cur.path);
  if (!s) return [];
  const items = s.items && !Array.isArray(s.items) ? src.schemas.at(kind, [...cur.path, 0]) : undefined;
  const target = cur.inSequence && items ? items : s;
  if (target.enum?.length)
    return entries(
      target.enum.map((e) => ({ label: String(e), detail: e === target.default ? 'default' : undefined })),
      'enum',
    );
  const types = typeWords(target);
  if (types.includes('boolean')) return entries([{ label: 'true' }, { label: 'false' }], 'enum').map((e) => ({ ...e, insertText: e.label, preselect: String(target.default) === e.label }));
  const ex = [...(target.default !== undefined ? [target.default] : []), ...(target.examples ?? [])].filter((v) => typeof v !== 'object');
  return entries(
    [...new Set(ex.map(String))].map((label) => ({ label, detail: label === String(target.default) ? 'default' : 'example' })),
    'value',
  );
}

// ---------------------------------------------------------------- hover

export interface HoverResult {
  markdown: string;
  offset: number;
  length: number;
}

export interface HoverSources extends CompletionSources {
  /** A one-paragraph description of a cluster by name, for hovers on references. */
  describeCluster: (name: string) => string | undefined;
}

export function hover(text: string, docs: ParsedDoc[], offset: number, src: HoverSources): HoverResult | undefined {
  const cur = cursorAt(text, docs, offset);
  if (!cur) return undefined;
  const kind = docKind(cur.doc);
  const path = cur.position === 'key' && cur.key ? [...cur.path, cur.key] : cur.path;
  if (!path.length) return undefined;
  const within = offset >= cur.word.offset && offset <= cur.word.offset + cur.word.length;
  if (!within) return undefined;
  const joined = path.filter((s) => typeof s === 'string').join('.');
  const name = String(path[path.length - 1]);
  const parts: string[] = [];
  const s = kind ? src.schemas.at(kind, path) : undefined;
  parts.push(`**${joined.replace(/^spec\./, '')}**${s ? ` · ${typeWords(s).join(' | ')}` : ''}`);
  const d = schemaDoc(s);
  if (d) parts.push(d);
  if (s?.enum?.length) parts.push(`Allowed: ${s.enum.map((e) => `\`${String(e)}\``).join(', ')}`);
  // The resolved value: a preset's architecture, a GPU's figures, a cluster's shape.
  const value = valueAt(cur.doc.value, path);
  const entry = catalogEntry(joined, value);
  if (entry) parts.push(entry);
  else if (joined === 'spec.cluster' && typeof value === 'string') {
    const c = src.describeCluster(value);
    if (c) parts.push(c);
  } else if (name === 'model' && value && typeof value === 'object' && typeof (value as { preset?: unknown }).preset === 'string') {
    const m = findModel((value as { preset: string }).preset);
    if (m) parts.push(architectureTable(m.summary, m.architecture as unknown as Record<string, unknown>, m.source));
  }
  if (parts.length === 1 && !s) return undefined;
  return { markdown: parts.join('\n\n'), offset: cur.word.offset, length: cur.word.length };
}

/** What the catalog says about a spec value: a model preset's architecture, a GPU's figures (with their source). */
export function catalogEntry(path: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (path === 'spec.model.preset') {
    const m = findModel(value);
    return m ? architectureTable(m.summary, m.architecture as unknown as Record<string, unknown>, m.source) : undefined;
  }
  if (path === 'spec.nodes.gpu.model') {
    const g = findGpu(value);
    return g ? `${g.summary}\n\n_Source: ${g.source}_` : undefined;
  }
  return undefined;
}

function architectureTable(summary: string, arch: Record<string, unknown>, source: string): string {
  const rows = Object.entries(arch)
    .filter(([, v]) => v !== undefined)
    .map(
      ([k, v]) =>
        `| ${k} | ${
          typeof v === 'object'
            ? Object.entries(v as object)
                .map(([a, b]) => `${a} ${String(b)}`)
                .join(', ')
            : String(v)
        } |`,
    );
  return `${summary}\n\n| field | value |\n|---|---|\n${rows.join('\n')}\n\n_Source: ${source}_`;
}

export { placeholderFor };
