// Every object Gantry writes is checked before anyone sees it. Built-in kinds are checked against
// Kubernetes' own OpenAPI schemas through kubernetes-models (validators generated from the API's
// swagger, no schema compiler at run time); JobSet, LeaderWorkerSet and TrainJob against their
// published CRDs (schemas/crds/, compiled by scripts/gen-crd-validators.mjs), and the pod templates
// inside them against Kubernetes' PodTemplateSpec as well. A failure here is a bug in the writer.
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Service } from 'kubernetes-models/v1/Service';
import { PodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import * as crds from './generated/crdValidators';
import type { GeneratedValidator } from '../validate/generated/validators';
import type { KubeObject } from './manifest';

type Check = (o: unknown) => string[];

/** kubernetes-models' validate() throws with every failure in one message. */
const builtIn =
  (Model: new (data: never) => { validate(): void }): Check =>
  (o) => {
    try {
      new Model(o as never).validate();
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  };

const crd =
  (v: GeneratedValidator): Check =>
  (o) =>
    v(o) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params?.additionalProperty ? ` (${String(e.params.additionalProperty)})` : ''}`);

const CHECKS: Record<string, Check> = {
  'apps/v1/Deployment': builtIn(Deployment),
  'batch/v1/Job': builtIn(Job),
  'v1/Service': builtIn(Service),
  'jobset.x-k8s.io/v1alpha2/JobSet': crd(crds.JobSet),
  'leaderworkerset.x-k8s.io/v1/LeaderWorkerSet': crd(crds.LeaderWorkerSet),
  'trainer.kubeflow.org/v1alpha1/TrainJob': crd(crds.TrainJob),
};

/** The pod templates a custom resource embeds, at their JSON pointer. */
function podTemplates(o: KubeObject): [string, unknown][] {
  const spec = o.spec as Record<string, any> | undefined;
  if (o.kind === 'LeaderWorkerSet') {
    const t = spec?.leaderWorkerTemplate ?? {};
    return [
      ['/spec/leaderWorkerTemplate/leaderTemplate', t.leaderTemplate],
      ['/spec/leaderWorkerTemplate/workerTemplate', t.workerTemplate],
    ].filter(([, v]) => v !== undefined) as [string, unknown][];
  }
  if (o.kind === 'JobSet') return ((spec?.replicatedJobs ?? []) as any[]).map((r, i) => [`/spec/replicatedJobs/${i}/template/spec/template`, r?.template?.spec?.template]);
  return [];
}

const checkPodTemplate = builtIn(PodTemplateSpec);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Every problem with one object, each prefixed with the object it is in; empty when it is valid. */
export function validateObject(o: KubeObject): string[] {
  const id = `${o.kind}/${o.metadata?.name}`;
  const check = CHECKS[`${o.apiVersion}/${o.kind}`];
  if (!check) return [`${id}: Gantry has no schema for ${o.apiVersion} ${o.kind}`];
  const problems = check(o);
  for (const [at, t] of podTemplates(o)) problems.push(...checkPodTemplate(t).map((p) => `${at}: ${p}`));
  // The API server's own rule for object names, which no OpenAPI schema states.
  const name = o.metadata?.name ?? '';
  if (name.length > 63 || !DNS_LABEL.test(name)) problems.push(`metadata.name "${name.slice(0, 70)}" is not a DNS-1123 label`);
  return problems.map((p) => `${id}: ${p}`);
}

export function validateObjects(objects: KubeObject[]): string[] {
  return objects.flatMap(validateObject);
}
