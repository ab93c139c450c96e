// Walks Gantry's JSON Schemas by spec path, following $ref across files, for completion, hover and
// quick-fix placeholders. Validation itself is ajv's; this is only the read side.
import type { SpecPath } from './parse';

export type JsonSchema = {
  $id?: string;
  $ref?: string;
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  examples?: unknown[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  definitions?: Record<string, JsonSchema>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  title?: string;
  [k: `x-gantry-${string}`]: unknown;
};

interface Located {
  schema: JsonSchema;
  base: string; // $id of the file the schema lives in
}

export class SchemaIndex {
  private files = new Map<string, JsonSchema>();

  constructor(
    schemas: JsonSchema[],
    private readonly kindIds: Record<string, string>,
  ) {
    for (const s of schemas) if (s.$id) this.files.set(s.$id, s);
  }

  root(kind: string): JsonSchema | undefined {
    const id = this.kindIds[kind];
    return id ? this.files.get(id) : undefined;
  }

  private resolveRef(loc: Located): Located {
    let cur = loc;
    for (let guard = 0; cur.schema.$ref && guard < 32; guard++) {
      const ref = cur.schema.$ref;
      const [file, pointer = ''] = ref.split('#');
      const base = file ? this.resolveId(cur.base, file) : cur.base;
      const doc = this.files.get(base);
      if (!doc) return cur;
      let target: unknown = doc;
      for (const seg of pointer.split('/').filter(Boolean)) {
        target = (target as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
      }
      if (!target || typeof target !== 'object') return cur;
      // Keep sibling annotations (description, default) written next to the $ref.
      const { $ref: _r, ...siblings } = cur.schema;
      cur = { schema: { ...(target as JsonSchema), ...siblings }, base };
    }
    return cur;
  }

  private resolveId(base: string, rel: string): string {
    if (this.files.has(rel)) return rel;
    const i = base.lastIndexOf('/');
    const candidate = i >= 0 ? base.slice(0, i + 1) + rel.replace(/^\.\//, '') : rel;
    if (this.files.has(candidate)) return candidate;
    for (const id of this.files.keys()) if (id.endsWith('/' + rel.replace(/^\.\//, ''))) return id;
    return candidate;
  }

  /** Every alternative schema that applies at a place (through allOf/anyOf/oneOf/if-then). */
  private alternatives(loc: Located, value?: unknown): Located[] {
    const r = this.resolveRef(loc);
    const out: Located[] = [r];
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      for (const s of r.schema[key] ?? []) out.push(...this.alternatives({ schema: s, base: r.base }, value));
    }
    if (r.schema.then) out.push(...this.alternatives({ schema: r.schema.then, base: r.base }, value));
    if (r.schema.else) out.push(...this.alternatives({ schema: r.schema.else, base: r.base }, value));
    return out;
  }

  /** The schemas that describe the value at `path` in a document of `kind`, merged shallowly. */
  at(kind: string, path: SpecPath): JsonSchema | undefined {
    const root = this.root(kind);
    if (!root) return undefined;
    let locs: Located[] = [{ schema: root, base: root.$id ?? '' }];
    for (const seg of path) {
      const next: Located[] = [];
      for (const loc of locs) {
        for (const alt of this.alternatives(loc)) {
          const s = alt.schema;
          if (typeof seg === 'number' || /^\d+$/.test(String(seg))) {
            if (s.items && !Array.isArray(s.items)) next.push({ schema: s.items, base: alt.base });
          }
          const prop = s.properties?.[String(seg)];
          if (prop) next.push({ schema: prop, base: alt.base });
          else if (s.additionalProperties && typeof s.additionalProperties === 'object' && typeof seg === 'string') {
            next.push({ schema: s.additionalProperties, base: alt.base });
          }
        }
      }
      if (!next.length) return undefined;
      locs = next;
    }
    return merge(locs.flatMap((l) => this.alternatives(l)).map((l) => l.schema));
  }
}

function merge(schemas: JsonSchema[]): JsonSchema {
  const out: JsonSchema = {};
  for (const s of schemas) {
    for (const [k, v] of Object.entries(s)) {
      if (k === 'properties') out.properties = { ...(out.properties ?? {}), ...(v as Record<string, JsonSchema>) };
      else if (k === 'required') out.required = [...new Set([...(out.required ?? []), ...(v as string[])])];
      else if (k === 'enum' && out.enum) out.enum = [...new Set([...out.enum, ...(v as unknown[])])];
      else if (!(k in out)) (out as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}

/** The types a schema allows, as words: "integer", "string or number". */
export function typeWords(s: JsonSchema): string[] {
  const t = s.type;
  if (Array.isArray(t)) return t;
  if (t) return [t];
  if (s.enum) return [...new Set(s.enum.map((v) => typeof v))];
  return [];
}

/** A value to insert for a field: its default, else its first example, else an empty value of its type. */
export function placeholderFor(s: JsonSchema | undefined): unknown {
  if (!s) return '';
  if (s.default !== undefined) return s.default;
  if (s.examples?.length) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const t = typeWords(s)[0];
  switch (t) {
    case 'integer':
    case 'number':
      return s.minimum !== undefined ? s.minimum : s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return '';
  }
}
