// Shared by the schema tests: load the schemas from disk (tests run from the repository root),
// compile them with ajv as the validator does, and expand VS Code snippet bodies.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

export const ROOT = process.cwd();
export const SCHEMA_FILES = ['common', 'cluster', 'trainingjob', 'inferenceservice', 'gantry'].map((n) => `${n}.schema.json`);
export const KIND_SCHEMAS: Record<string, string> = {
  Cluster: 'cluster.schema.json',
  TrainingJob: 'trainingjob.schema.json',
  InferenceService: 'inferenceservice.schema.json',
};

export type Schema = Record<string, any>;

export function readJson(rel: string): any {
  return JSON.parse(readFileSync(join(ROOT, rel), 'utf8'));
}

export function loadSchemas(): Map<string, Schema> {
  return new Map(SCHEMA_FILES.map((f) => [f, readJson(`schemas/${f}`) as Schema]));
}

export function listFiles(dir: string, suffix: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(suffix))
    .sort();
}

export function makeAjv(opts: ConstructorParameters<typeof Ajv>[0] = {}): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, ...opts });
  for (const s of loadSchemas().values()) ajv.addSchema(s);
  return ajv;
}

let umbrella: ValidateFunction | undefined;
/** The umbrella schema's validator, compiled once. */
export function gantryValidator(): ValidateFunction {
  umbrella ??= makeAjv().getSchema('gantry.schema.json')!;
  return umbrella;
}

export interface DocResult {
  index: number;
  value: unknown;
  yamlErrors: string[];
  valid: boolean;
  errors: { instancePath: string; keyword: string; message?: string }[];
}

/** Parses every YAML document in `text` and validates it against the umbrella schema. */
export function validateYaml(text: string): DocResult[] {
  const validate = gantryValidator();
  return parseAllDocuments(text).map((doc, index) => {
    if (!('errors' in doc)) throw new Error('unexpected empty stream');
    const yamlErrors = doc.errors.map((e) => e.code as string);
    if (yamlErrors.length) return { index, value: undefined, yamlErrors, valid: false, errors: [] };
    const value = doc.toJS();
    const valid = validate(value) as boolean;
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, message: e.message }));
    return { index, value, yamlErrors, valid, errors };
  });
}

/**
 * Expands a VS Code snippet body (TextMate syntax): `$1`, `${1}` and `$0` become empty,
 * `${1:default}` its (recursively expanded) default, `${1|a,b|}` the option `choose` picks
 * (the first by default). Variables are not used in Gantry's snippets and are rejected.
 */
export function expandSnippet(body: string, choose: (tabstop: number, options: string[]) => string = (_n, o) => o[0]): string {
  let i = 0;
  const digits = (): number => {
    const start = i;
    while (i < body.length && body[i] >= '0' && body[i] <= '9') i++;
    if (start === i) throw new Error(`snippet: expected a tab stop number at ${start}`);
    return Number(body.slice(start, i));
  };
  const parse = (until: string | undefined): string => {
    let out = '';
    while (i < body.length) {
      const c = body[i];
      if (until !== undefined && c === until) return out;
      if (c === '\\' && i + 1 < body.length && '$}\\,|'.includes(body[i + 1])) {
        out += body[i + 1];
        i += 2;
      } else if (c === '$' && body[i + 1] >= '0' && body[i + 1] <= '9') {
        i++;
        digits();
      } else if (c === '$' && body[i + 1] === '{') {
        i += 2;
        const n = digits();
        if (body[i] === '}') {
          i++;
        } else if (body[i] === ':') {
          i++;
          out += parse('}');
          if (body[i] !== '}') throw new Error('snippet: unclosed placeholder');
          i++;
        } else if (body[i] === '|') {
          i++;
          const options: string[] = [];
          let cur = '';
          while (i < body.length && !(body[i] === '|' && body[i + 1] === '}')) {
            if (body[i] === '\\' && i + 1 < body.length) {
              cur += body[i + 1];
              i += 2;
            } else if (body[i] === ',') {
              options.push(cur);
              cur = '';
              i++;
            } else cur += body[i++];
          }
          if (i >= body.length) throw new Error('snippet: unclosed choice');
          options.push(cur);
          i += 2;
          out += choose(n, options);
        } else throw new Error(`snippet: unexpected '${body[i]}' in placeholder`);
      } else if (c === '$') {
        throw new Error(`snippet: variables are not supported (at ${i})`);
      } else {
        out += c;
        i++;
      }
    }
    if (until !== undefined) throw new Error('snippet: unclosed placeholder');
    return out;
  };
  return parse(undefined);
}

/** The choice tab stops of a snippet body, in order: [tabstop, options]. */
export function snippetChoices(body: string): [number, string[]][] {
  const found: [number, string[]][] = [];
  expandSnippet(body, (n, options) => {
    found.push([n, options]);
    return options[0];
  });
  return found;
}
