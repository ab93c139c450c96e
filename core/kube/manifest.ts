// A Gantry InferenceService or TrainingJob (with the Cluster the one resolver found for it) → the
// Kubernetes objects that run it. Pure: no file, no cluster, no network. What runs is what the other
// backends run: the serving argv comes from engineArgv (bound to 0.0.0.0, as on Slurm, so the
// Service reaches it), a TrainingJob's command is the spec's, with torchrun's rendezvous flags added
// the way the Slurm batch script adds them.
//
//   InferenceService, one node      → Deployment + Service
//   InferenceService, several nodes → LeaderWorkerSet (leaderworkerset.x-k8s.io/v1) + Service
//                                     (vLLM over Ray, SGLang with its own --nnodes launcher)
//   TrainingJob                     → JobSet (jobset.x-k8s.io/v1alpha2), the default
//                                     | indexed Job + headless Service   (scheduler.trainer: indexed-job)
//                                     | Kubeflow Trainer TrainJob         (scheduler.trainer: trainjob)
//
// Every value the output assumes rather than reads from the spec is said in `notes`, which the
// YAML header shows.
import type { ClusterDoc, Container, InferenceServiceDoc, InferenceServiceSpec, TrainingJobDoc } from '../spec/types';
import type { SpecPath } from '../spec/parse';
import { engineArgv } from '../runs/engineCommand';
import { servedModel } from '../runs/servedModel';
import { findGpu } from '../catalog/gpus';
import { GPU_PRODUCT_LABEL, gpuProductLabel, gpuResourceName } from '../catalog/gpuProducts';
import { parseDurationSeconds } from '../runs/duration';

export type KubeObject = { apiVersion: string; kind: string; metadata: KubeMeta } & Record<string, unknown>;
export interface KubeMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ManifestInput {
  doc: InferenceServiceDoc | TrainingJobDoc;
  /** The Cluster the spec runs on (resolveCluster); absent: one node, GPU unknown. */
  cluster?: ClusterDoc;
}

export interface Manifest {
  objects: KubeObject[];
  /** Assumptions and things to do before applying (a Secret to create), one sentence each. */
  notes: string[];
}

/** A spec value no manifest can carry, with the spec path to show it at. */
export class ManifestError extends Error {
  constructor(
    message: string,
    readonly path: SpecPath,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** The engines' official images. The tag is `latest`: pin it with spec.container.image. */
export const ENGINE_IMAGES: Record<InferenceServiceSpec['engine'], string> = {
  vllm: 'vllm/vllm-openai:latest',
  sglang: 'lmsysorg/sglang:latest',
  tgi: 'ghcr.io/huggingface/text-generation-inference:latest',
};

/** Every engine Gantry launches answers 200 on GET /health once the model is loaded. */
export const HEALTH_PATH = '/health';
const RAY_PORT = 6379;
const SGLANG_DIST_PORT = 5000;
const TORCH_PORT = 29500;
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'gantry' };

export function renderManifest(input: ManifestInput): Manifest {
  return input.doc.kind === 'InferenceService' ? serviceManifest(input.doc, input.cluster) : trainingManifest(input.doc, input.cluster);
}

// ---------------------------------------------------------------- InferenceService

function serviceManifest(doc: InferenceServiceDoc, cluster: ClusterDoc | undefined): Manifest {
  const s = doc.spec;
  const name = doc.metadata.name;
  const notes: string[] = [];
  const ctx = context(doc, cluster, notes);
  const port = s.port ?? 8000;
  const gpus = (s.tensorParallel ?? 1) * (s.pipelineParallel ?? 1) * (s.dataParallel ?? 1);
  const perNode = cluster?.spec?.nodes?.gpu?.count;
  const nodes = perNode !== undefined && gpus > perNode ? Math.ceil(gpus / perNode) : 1;
  if (nodes > 1 && gpus % nodes !== 0) throw new ManifestError(`${gpus} GPUs per replica cannot be spread evenly over ${nodes} nodes of ${perNode} GPUs`, ['spec', 'tensorParallel']);
  const gpusPerPod = gpus / nodes;

  const argv = serveArgv(s);
  const image = s.container?.image ?? ENGINE_IMAGES[s.engine];
  if (!s.container?.image) notes.push(`image: ${image}, the engine's official image; pin a version with spec.container.image.`);
  const selector = { 'app.kubernetes.io/name': name };
  const labels = { ...ctx.labels, ...selector };
  const probes = healthProbes();
  const containerPort = [{ name: 'http', containerPort: port, protocol: 'TCP' }];
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...ctx.meta, labels: ctx.labels },
    spec: { type: 'ClusterIP', selector: nodes > 1 ? { ...selector, 'gantry.dev/role': 'leader' } : selector, ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }] },
  };

  if (nodes === 1) {
    const pod = podSpec(ctx, s.container, { name: s.engine, image, argv, gpus: gpusPerPod, env: s.env, ports: containerPort, probes });
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, ...ctx.meta, labels: ctx.workloadLabels },
      spec: {
        replicas: s.replicas ?? 1,
        selector: { matchLabels: selector },
        // Two copies of the model seldom fit on the GPUs one copy needs: replace, do not surge.
        strategy: { type: 'Recreate' },
        template: { metadata: { labels }, spec: pod },
      },
    };
    return { objects: [deployment, service], notes };
  }

  // Several nodes per replica: one LeaderWorkerSet group per replica, the leader serves the API.
  const { leader, worker } = multiNodeArgv(s, argv, nodes, notes);
  const leaderLabels = { ...labels, 'gantry.dev/role': 'leader' };
  const lws: KubeObject = {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name, ...ctx.meta, labels: ctx.workloadLabels },
    spec: {
      replicas: s.replicas ?? 1,
      startupPolicy: 'LeaderCreated',
      leaderWorkerTemplate: {
        size: nodes,
        // One lost pod breaks the engine's collective: restart the whole group.
        restartPolicy: 'RecreateGroupOnPodRestart',
        leaderTemplate: { metadata: { labels: leaderLabels }, spec: podSpec(ctx, s.container, { name: s.engine, image, argv: leader, gpus: gpusPerPod, env: s.env, ports: containerPort, probes }) },
        workerTemplate: { metadata: { labels }, spec: podSpec(ctx, s.container, { name: s.engine, image, argv: worker, gpus: gpusPerPod, env: s.env }) },
      },
    },
  };
  notes.push(`${gpus} GPUs per replica is more than one node's ${perNode}: each replica is a LeaderWorkerSet group of ${nodes} pods with ${gpusPerPod} GPUs each (the LeaderWorkerSet controller must be installed).`);
  return { objects: [lws, service], notes };
}

/** The argv local and Slurm runs use: the spec's command, or the engine's launcher bound to every address. */
function serveArgv(s: InferenceServiceSpec): string[] {
  if (s.command?.length) return [...s.command, ...(s.extraArgs ?? [])];
  const served = servedModel(s.model);
  if (!served.ok) throw new ManifestError(`${served.error} (or give a command)`, ['spec', 'model']);
  // 0.0.0.0 as on a Slurm node: the Service reaches the pod on its own address, not on loopback.
  const argv = engineArgv(s, { model: served.model, host: '0.0.0.0' });
  if (!argv) throw new ManifestError(`spec.engine '${String(s.engine)}' has no default command; give spec.command`, ['spec', 'engine']);
  return argv;
}

/**
 * The leader's and the workers' argv when one replica spans `nodes` pods. LeaderWorkerSet gives
 * every pod LWS_LEADER_ADDRESS, LWS_GROUP_SIZE and LWS_WORKER_INDEX; Kubernetes expands `$(VAR)`
 * in args from the container's environment, so no shell sees a spec value.
 */
function multiNodeArgv(s: InferenceServiceSpec, argv: string[], nodes: number, notes: string[]): { leader: string[]; worker: string[] } {
  if (s.command?.length) throw new ManifestError('a replica spanning several nodes needs the engine launcher Gantry writes; remove spec.command (use extraArgs for extra flags)', ['spec', 'command']);
  if (s.engine === 'vllm') {
    notes.push(`vLLM spans nodes over Ray: the leader starts the Ray head on port ${RAY_PORT} and then vLLM with --distributed-executor-backend ray; vLLM waits for the ${nodes - 1} workers to join. The image must have Ray (the official one does).`);
    return {
      // The script is a constant; the argv reaches it as "$@", never as shell text.
      leader: ['sh', '-c', `ray start --head --port=${RAY_PORT} && exec "$@"`, 'gantry-leader', ...argv, '--distributed-executor-backend', 'ray'],
      worker: ['ray', 'start', `--address=$(LWS_LEADER_ADDRESS):${RAY_PORT}`, '--block'],
    };
  }
  if (s.engine === 'sglang') {
    const dist = ['--nnodes', String(nodes), '--dist-init-addr', `$(LWS_LEADER_ADDRESS):${SGLANG_DIST_PORT}`];
    return { leader: [...argv, ...dist, '--node-rank', '0'], worker: [...argv, ...dist, '--node-rank', '$(LWS_WORKER_INDEX)'] };
  }
  throw new ManifestError(`${s.engine.toUpperCase()} serves from one node only; use tensorParallel × pipelineParallel within one node's GPUs`, ['spec', 'tensorParallel']);
}

function healthProbes(): Record<string, unknown> {
  const get = { path: HEALTH_PATH, port: 'http' };
  return {
    // Loading weights takes minutes: the startup probe allows 30, and liveness starts after it.
    startupProbe: { httpGet: get, periodSeconds: 10, failureThreshold: 180 },
    readinessProbe: { httpGet: get, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet: get, periodSeconds: 10, failureThreshold: 6 },
  };
}

// ---------------------------------------------------------------- TrainingJob

function trainingManifest(doc: TrainingJobDoc, cluster: ClusterDoc | undefined): Manifest {
  const s = doc.spec;
  const name = doc.metadata.name;
  const notes: string[] = [];
  const ctx = context(doc, cluster, notes);
  const nodes = s.resources?.nodes ?? 1;
  const gpusPerNode = s.resources?.gpusPerNode ?? 0;
  const image = s.container?.image;
  if (!image) throw new ManifestError('a TrainingJob on Kubernetes runs in a container: give spec.container.image', ['spec', 'container']);
  if (!s.command?.length) throw new ManifestError('spec.command is missing: Gantry runs the command the spec gives (e.g. [torchrun, --nproc-per-node, "8", train.py])', ['spec', 'command']);
  const trainer = cluster?.spec?.scheduler?.trainer ?? 'jobset';
  const resources = trainingResources(s.resources, gpusPerNode, ctx.gpuResource, isTorchrun(s.command));
  const maxRestarts = s.maxRestarts ?? 0;
  const deadline = s.timeLimit !== undefined ? activeDeadline(s.timeLimit) : undefined;

  if (trainer === 'trainjob') {
    if (s.container?.mounts?.length) notes.push('spec.container.mounts are not in the TrainJob: Kubeflow Trainer takes volumes from the training runtime (or runtimePatches).');
    if (s.container?.workdir || s.workingDir) notes.push('the working directory is not in the TrainJob: the training runtime sets it.');
    notes.push("Kubeflow Trainer's torch-distributed runtime starts torchrun with the rendezvous (PET_* variables); the command runs as given.");
    const trainJob: KubeObject = {
      apiVersion: 'trainer.kubeflow.org/v1alpha1',
      kind: 'TrainJob',
      metadata: { name, ...ctx.meta, labels: ctx.workloadLabels },
      spec: {
        runtimeRef: { name: 'torch-distributed', kind: 'ClusterTrainingRuntime', apiGroup: 'trainer.kubeflow.org' },
        trainer: { image, command: s.command, numNodes: nodes, resourcesPerNode: resources, env: envList(s.env, notes) },
        ...(deadline !== undefined ? { activeDeadlineSeconds: deadline } : {}),
      },
    };
    return { objects: [trainJob], notes };
  }

  // JobSet names its pods <jobset>-<replicatedJob>-<job index>-<pod index> under the headless
  // Service it creates (subdomain = the JobSet's name); an indexed Job names them <job>-<index>
  // under the subdomain we give it. Node 0 is the rendezvous host.
  const masterAddr = trainer === 'jobset' ? `${name}-node-0-0.${name}` : `${name}-0.${name}`;
  const rendezvous = [
    { name: 'MASTER_ADDR', value: masterAddr },
    { name: 'MASTER_PORT', value: String(TORCH_PORT) },
    { name: 'NNODES', value: String(nodes) },
    { name: 'NODE_RANK', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
  ];
  const argv = trainingArgv(s.command, nodes, gpusPerNode, name, notes);
  const podLabels = { ...ctx.labels, 'app.kubernetes.io/name': name };
  const pod = podSpec(ctx, s.container, { name: 'trainer', image, argv, gpus: gpusPerNode, env: s.env, resources, extraEnv: rendezvous, workingDir: s.workingDir, restartPolicy: 'Never' });
  const job = (extra: Record<string, unknown>) => ({
    parallelism: nodes,
    completions: nodes,
    completionMode: 'Indexed',
    backoffLimit: trainer === 'jobset' ? 0 : maxRestarts,
    ...(deadline !== undefined ? { activeDeadlineSeconds: deadline } : {}),
    template: { metadata: { labels: podLabels }, spec: { ...pod, ...extra } },
  });

  if (trainer === 'jobset') {
    const jobSet: KubeObject = {
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata: { name, ...ctx.meta, labels: ctx.workloadLabels },
      spec: {
        network: { enableDNSHostnames: true, subdomain: name },
        // A failed node fails the job; JobSet restarts the whole set spec.maxRestarts times.
        failurePolicy: { maxRestarts },
        replicatedJobs: [{ name: 'node', replicas: 1, template: { spec: job({}) } }],
      },
    };
    notes.push('the JobSet controller (jobset.x-k8s.io) must be installed.');
    return { objects: [jobSet], notes };
  }

  const headless: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...ctx.meta, labels: ctx.labels },
    spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'rendezvous', port: TORCH_PORT, targetPort: TORCH_PORT, protocol: 'TCP' }] },
  };
  const indexed: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ...ctx.meta, labels: ctx.workloadLabels },
    spec: job({ subdomain: name }),
  };
  return { objects: [headless, indexed], notes };
}

function isTorchrun(argv: string[]): boolean {
  return argv[0] === 'torchrun' || argv[0].endsWith('/torchrun');
}

/** torchrun gets the node count, the workers per node and a c10d rendezvous on node 0, as on Slurm; flags the spec gives are kept. */
function trainingArgv(argv: string[], nodes: number, gpusPerNode: number, name: string, notes: string[]): string[] {
  if (!isTorchrun(argv)) {
    notes.push('the command is not torchrun: it runs once per pod, with MASTER_ADDR, MASTER_PORT, NNODES and NODE_RANK set.');
    return argv;
  }
  const given = (...flags: string[]) => argv.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  const add: string[] = [];
  if (!given('--nnodes')) add.push(`--nnodes=${nodes}`);
  if (!given('--nproc-per-node', '--nproc_per_node')) add.push(`--nproc-per-node=${Math.max(1, gpusPerNode)}`);
  if (!given('--standalone')) {
    if (!given('--rdzv-backend', '--rdzv_backend')) add.push('--rdzv-backend=c10d');
    if (!given('--rdzv-endpoint', '--rdzv_endpoint')) add.push('--rdzv-endpoint=$(MASTER_ADDR):$(MASTER_PORT)');
    if (!given('--rdzv-id', '--rdzv_id')) add.push(`--rdzv-id=${name}`);
  }
  return [argv[0], ...add, ...argv.slice(1)];
}

function trainingResources(r: TrainingJobDoc['spec']['resources'] | undefined, gpus: number, gpuResource: string, torchrun: boolean): Record<string, Record<string, string | number>> {
  const requests: Record<string, string | number> = {};
  const limits: Record<string, string | number> = {};
  if (gpus > 0) limits[gpuResource] = gpus;
  // One pod per node: torchrun's workers share it, so it asks for every worker's CPUs (as on Slurm).
  if (r?.cpusPerTask !== undefined) requests.cpu = r.cpusPerTask * (torchrun ? Math.max(1, gpus) : 1);
  if (r?.memory !== undefined) requests.memory = limits.memory = kubeQuantity(r.memory, ['spec', 'resources', 'memory']);
  return { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) };
}

// ---------------------------------------------------------------- shared

interface Context {
  meta: { namespace?: string };
  /** Labels on every object: the spec's own and Gantry's. */
  labels: Record<string, string>;
  /** Labels on the top-level workload (Kueue admits by the queue label there). */
  workloadLabels: Record<string, string>;
  gpuResource: string;
  nodeSelector?: Record<string, string>;
  notes: string[];
}

function context(doc: InferenceServiceDoc | TrainingJobDoc, cluster: ClusterDoc | undefined, notes: string[]): Context {
  const sched = cluster?.spec?.scheduler;
  const labels = { ...doc.metadata.labels, ...MANAGED_BY };
  const workloadLabels = { ...labels, ...(sched?.queue ? { 'kueue.x-k8s.io/queue-name': sched.queue } : {}) };
  const model = cluster?.spec?.nodes?.gpu?.model;
  const gpu = model ? findGpu(model) : undefined;
  const product = model ? gpuProductLabel(model) : undefined;
  if (!cluster) notes.push('no Cluster: the pods run on any node with free GPUs (no node selector).');
  else if (sched?.type !== 'kubernetes') notes.push(`Cluster ${cluster.metadata.name} has a ${sched?.type ?? 'local'} scheduler; the manifest is written as if its nodes were Kubernetes nodes.`);
  if (model && !product) notes.push(`no ${GPU_PRODUCT_LABEL} label is known for GPU ${model}: no node selector.`);
  return {
    meta: sched?.namespace ? { namespace: sched.namespace } : {},
    labels,
    workloadLabels,
    gpuResource: gpuResourceName(gpu),
    ...(product ? { nodeSelector: { [GPU_PRODUCT_LABEL]: product } } : {}),
    notes,
  };
}

interface ContainerShape {
  name: string;
  image: string;
  argv: string[];
  gpus: number;
  resources?: Record<string, unknown>;
  ports?: Record<string, unknown>[];
  probes?: Record<string, unknown>;
  /** The spec's env. */
  env?: Record<string, string | number | boolean>;
  extraEnv?: Record<string, unknown>[];
  workingDir?: string;
  restartPolicy?: 'Never';
}

function podSpec(ctx: Context, container: Container | undefined, c: ContainerShape): Record<string, unknown> {
  const { volumes, mounts } = volumesOf(container);
  const env = [...envList(c.env, ctx.notes), ...(c.extraEnv ?? [])];
  const workingDir = workingDirOf(container?.workdir, c.workingDir);
  return {
    ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
    ...(ctx.nodeSelector ? { nodeSelector: ctx.nodeSelector } : {}),
    containers: [
      {
        name: c.name,
        image: c.image,
        command: [c.argv[0]],
        args: c.argv.slice(1),
        ...(workingDir ? { workingDir } : {}),
        ...(c.ports ? { ports: c.ports } : {}),
        env,
        resources: c.resources ?? (c.gpus > 0 ? { limits: { [ctx.gpuResource]: c.gpus } } : {}),
        volumeMounts: mounts,
        ...c.probes,
      },
    ],
    volumes,
  };
}

/** The container's working directory: the spec's workingDir (from the container's workdir when relative, as the Slurm script's `cd` is), else the container's. */
function workingDirOf(containerDir: string | undefined, workingDir: string | undefined): string | undefined {
  if (!workingDir) return containerDir;
  if (workingDir.startsWith('/')) return workingDir;
  if (containerDir?.startsWith('/')) return `${containerDir.replace(/\/+$/, '')}/${workingDir}`;
  throw new ManifestError('a container starts in an absolute folder: make workingDir absolute, or give spec.container.workdir for it to be relative to', ['spec', 'workingDir']);
}

/** /dev/shm as memory (NCCL and the engines' worker processes share tensors there; Docker's 64 MiB default is too small) and the spec's mounts as host paths. */
function volumesOf(container: Container | undefined): { volumes: Record<string, unknown>[]; mounts: Record<string, unknown>[] } {
  const volumes: Record<string, unknown>[] = [{ name: 'dshm', emptyDir: { medium: 'Memory' } }];
  const mounts: Record<string, unknown>[] = [{ name: 'dshm', mountPath: '/dev/shm' }];
  for (const [i, m] of (container?.mounts ?? []).entries()) {
    if (!m.source.startsWith('/')) throw new ManifestError(`a Kubernetes node has no folder relative to the spec file: give mount ${i} an absolute host path (it is ${JSON.stringify(m.source.slice(0, 40))})`, ['spec', 'container', 'mounts', i, 'source']);
    if (!m.target.startsWith('/')) throw new ManifestError('a mount target is an absolute path inside the container', ['spec', 'container', 'mounts', i, 'target']);
    const name = `mount-${i}`;
    volumes.push({ name, hostPath: { path: m.source } });
    mounts.push({ name, mountPath: m.target, ...(m.readOnly ? { readOnly: true } : {}) });
  }
  return { volumes, mounts };
}

/** Variable names that hold credentials: never written into a manifest, read from a Secret instead. */
const SECRET_NAME = /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)($|_)/;

export function isSecretName(key: string): boolean {
  return SECRET_NAME.test(key.toUpperCase());
}

/**
 * The container's environment: PYTHONUNBUFFERED=1 (as every backend sets it), then the spec's env.
 * A credential (HF_TOKEN, …) comes from the Secret named after it (hf-token, key HF_TOKEN); its
 * value in the spec is never written out.
 */
function envList(env: Record<string, string | number | boolean> | undefined, notes: string[]): Record<string, unknown>[] {
  const vars = env ?? {};
  const out: Record<string, unknown>[] = [];
  if (vars.PYTHONUNBUFFERED === undefined) out.push({ name: 'PYTHONUNBUFFERED', value: '1' });
  for (const [k, v] of Object.entries(vars)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new ManifestError(`"${k.slice(0, 40)}" is not a valid environment variable name`, ['spec', 'env', k]);
    if (isSecretName(k)) {
      const secret = k.toLowerCase().replace(/_/g, '-');
      out.push({ name: k, valueFrom: { secretKeyRef: { name: secret, key: k } } });
      const note = `${k} comes from Secret ${secret} (key ${k}), not from the spec: kubectl create secret generic ${secret} --from-literal=${k}=…`;
      if (!notes.includes(note)) notes.push(note);
    } else out.push({ name: k, value: String(v) });
  }
  return out;
}

const UNITS: Record<string, string> = { B: '', KB: 'k', MB: 'M', GB: 'G', TB: 'T', KIB: 'Ki', MIB: 'Mi', GIB: 'Gi', TIB: 'Ti', K: 'Ki', M: 'Mi', G: 'Gi', T: 'Ti' };

/** A Gantry quantity (`512GiB`, `500GB`, `64G` as Slurm reads it) → a Kubernetes quantity (`512Gi`, `500G`, `64Gi`). */
export function kubeQuantity(value: string, path: SpecPath): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B?|B)\s*$/i.exec(value);
  const unit = m ? UNITS[m[2].toUpperCase()] : undefined;
  if (!m || unit === undefined) throw new ManifestError(`"${value.slice(0, 40)}" is not a memory quantity: use e.g. 512GiB or 64G`, path);
  return `${m[1]}${unit}`;
}

/** spec.timeLimit → the Job's activeDeadlineSeconds; `unlimited` → none. */
function activeDeadline(value: string): number | undefined {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) throw new ManifestError(`"${value.slice(0, 40)}" is not a time limit`, ['spec', 'timeLimit']);
  return Number.isFinite(seconds) ? seconds : undefined;
}
