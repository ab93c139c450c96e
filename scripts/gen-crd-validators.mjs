// Compiles the published CustomResourceDefinitions kept in schemas/crds/ (JobSet, LeaderWorkerSet,
// Kubeflow Trainer's TrainJob; see schemas/crds/README.md) into standalone ajv validators, the way
// gen-validators.mjs does for Gantry's own schemas: plain JS, no schema compiler at run time.
// Run by scripts/build.mjs before bundling; the output is git-ignored.
//
// A CRD's openAPIV3Schema is a "structural schema" (Kubernetes' dialect of OpenAPI v3), not JSON
// Schema. What this changes so that ajv checks what the API server checks:
// - `nullable: true` lets the value be null;
// - `x-kubernetes-int-or-string` becomes an integer or a string;
// - an object that lists its properties admits no other keys (the API server's strict field
//   validation, `kubectl apply --validate=strict`), unless it has x-kubernetes-preserve-unknown-fields;
// - `format` is dropped (int32/int64/date-time are advisory for CRDs), as are descriptions and
//   defaults (they check nothing and would triple the generated code).
// Not checked: `x-kubernetes-validations` (CEL rules evaluated by the API server only).
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { parseAllDocuments } from 'yaml';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';

/** export name → [file in schemas/crds, served version] */
export const CRDS = {
  JobSet: ['jobset.x-k8s.io_jobsets.yaml', 'v1alpha2'],
  LeaderWorkerSet: ['leaderworkerset.x-k8s.io_leaderworkersets.yaml', 'v1'],
  TrainJob: ['trainer.kubeflow.org_trainjobs.yaml', 'v1alpha1'],
};

const DROP = new Set(['description', 'format', 'default', 'example', 'externalDocs', 'nullable', 'x-kubernetes-validations', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource']);

/** A structural schema node → the JSON Schema (draft-07) that checks the same thing. */
export function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROP.has(k)) continue;
    if (k === 'properties' || k === 'patternProperties') out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toJsonSchema(s)]));
    else out[k] = toJsonSchema(v);
  }
  if (node['x-kubernetes-int-or-string'] && !out.type && !out.anyOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  if (node['x-kubernetes-embedded-resource']) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  if (node.properties && node.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  if (node.nullable && out.type) out.type = [out.type, 'null'].flat();
  return out;
}

export function crdSchema(file, version) {
  const docs = parseAllDocuments(readFileSync(`schemas/crds/${file}`, 'utf8')).map((d) => d.toJS());
  const crd = docs.find((d) => d?.kind === 'CustomResourceDefinition');
  const v = crd?.spec?.versions?.find((x) => x.name === version);
  if (!v?.schema?.openAPIV3Schema) throw new Error(`schemas/crds/${file}: no openAPIV3Schema for version ${version}`);
  const schema = toJsonSchema(v.schema.openAPIV3Schema);
  // The API server fixes apiVersion and kind for the resource; say so, so a wrong one is an error.
  schema.properties.apiVersion = { const: `${crd.spec.group}/${version}` };
  schema.properties.kind = { const: crd.spec.names.kind };
  schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
  return { $id: `${crd.spec.names.kind}.crd.json`, ...schema };
}

/**
 * Every sizeable subschema that occurs more than once (the PodSpec in LeaderWorkerSet's leader and
 * worker templates, the Container inside it, …) moves to one shared definition referred to by $ref:
 * ajv then generates one function for it instead of inlining a copy at each place (5.0 MB of code
 * without this, 0.7 MB with it). What is checked does not change.
 */
export function shareRepeated(schemas, minChars = 100) {
  const key = (x) => createHash('sha1').update(JSON.stringify(x)).digest('hex').slice(0, 12);
  const seen = new Map();
  const count = (x) => {
    if (!x || typeof x !== 'object') return;
    if (!Array.isArray(x) && JSON.stringify(x).length >= minChars) {
      const k = key(x);
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    for (const v of Object.values(x)) count(v);
  };
  for (const s of schemas) count(s);
  const definitions = {};
  const replace = (x, top) => {
    if (!x || typeof x !== 'object') return x;
    if (!top && !Array.isArray(x) && (seen.get(key(x)) ?? 0) > 1) {
      const k = key(x);
      if (!(k in definitions)) {
        definitions[k] = null; // claimed before the walk below, which may meet x's own copies
        definitions[k] = replace(x, true);
      }
      return { $ref: `crd-shared.json#/definitions/${k}` };
    }
    if (Array.isArray(x)) return x.map((v) => replace(v, false));
    // Property names are not schemas: walk the schemas under them, never the map itself.
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, k === 'properties' || k === 'patternProperties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, replace(s, false)])) : replace(v, false)]));
  };
  const out = schemas.map((s) => replace(s, true));
  return { schemas: out, shared: { $id: 'crd-shared.json', definitions } };
}

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, code: { source: true, optimize: true } });
const refs = {};
const { schemas, shared } = shareRepeated(Object.values(CRDS).map(([file, version]) => crdSchema(file, version)));
ajv.addSchema(shared);
for (const [i, name] of Object.keys(CRDS).entries()) {
  ajv.addSchema(schemas[i]);
  refs[name] = schemas[i].$id;
}
const code = standaloneCode(ajv, refs);
mkdirSync('core/kube/generated', { recursive: true });
writeFileSync('core/kube/generated/crdValidators.js', `// Generated by scripts/gen-crd-validators.mjs from schemas/crds/*.yaml. Do not edit.\n${code}\n`);
