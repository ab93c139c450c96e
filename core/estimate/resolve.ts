// Turns the spec's model reference and the cluster into the numbers the formulas need, with a
// 'bad-estimate-input' finding for anything that cannot be estimated.

import { nearest } from '../spec/suggest';
import { eccCostGiB, eccMode, findGpu, GPU_IDS, memoryGiBInEccMode, type GpuInfo } from '../catalog/gpus';
import { findLink, type LinkInfo } from '../catalog/links';
import { MODEL_IDS, resolveModelName, type ModelInfo } from '../catalog/models';
import { mtpAssistantFromConfig, parseHfConfig } from '../catalog/hfConfig';
import { defaultHfHubCache, hfRefPath, hfSnapshotConfigPath, repoIdParts } from '../catalog/hfCache';
import type { WeightFormat } from '../catalog/weightFormat';
import type { Architecture, ClusterDoc, ModelRef, MtpAssistant } from '../spec/types';
import { countParams, type ModelExtras, type ParamCounts } from './params';
import type { EstimateOptions, Finding } from './types';
import { quote } from '../validate/problem';

export const GIB = 1024 ** 3;

export interface ResolvedModel {
  id?: string;
  arch: Architecture;
  extras: ModelExtras & { hasDropout: boolean; encoderOnly: boolean; slidingWindowLayers?: ModelInfo['slidingWindowLayers'] };
  params: ParamCounts;
  /** How the checkpoint stores its weights (quantization_config, a derivative's name, or the catalog). */
  weightFormat?: WeightFormat;
  /** A vision-language model (architecture.vision, a config.json's vision_config, or a catalog entry counting a tower), and its tower's parameters where they are known apart from the model's other extra parameters. */
  visionTower?: { params?: number; video?: boolean };
  /** An audio tower (a catalog entry's towers.audio): its parameters, within the model's extra parameters. */
  audioTower?: { params: number };
  /** What the resolution assumed (a derivative read as its base, a config from the HF cache); for the estimate's assumptions. */
  notes: string[];
}

export interface ResolvedCluster {
  gpu: GpuInfo;
  capacityBytes: number;
  gpusPerNode: number;
  nodes: number;
  intra: LinkInfo;
  intraBusGBps: number;
  inter?: LinkInfo;
  interBusGBps: number;
  /** GPUs that reach each other over the intra-node link: the node, or a multi-node NVLink domain (interconnect.nvlinkDomain). */
  nvlinkDomain: number;
  assumed: boolean;
}

/**
 * GPUs of one server where neither the spec, its Cluster nor the file says: 8, the board of the HGX/DGX and MI300X
 * platforms (one NVSwitch or Infinity Fabric domain) and the most that cloud instances of one GPU kind carry. A
 * serving replica of more GPUs (tensor 8 × pipeline 2) is taken to run on several such servers, not on one of 16.
 */
export const SERVER_GPUS = 8;

export function badInput(message: string, path: string[]): Finding {
  return { code: 'bad-estimate-input', severity: 'error', message, path };
}

const ARCH_LIMITS: [keyof Architecture, number][] = [
  ['layers', 2000],
  ['hidden', 262144],
  ['heads', 4096],
  ['ffn', 4194304],
  ['vocab', 16777216],
];

/** Largest model the estimator accepts: 100 T parameters (10^14). */
const MAX_PARAMS = 1e14;

function checkArch(a: Architecture, path: string[]): Finding[] {
  const out: Finding[] = [];
  for (const [k, max] of ARCH_LIMITS) {
    const v = a[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || !Number.isInteger(v)) {
      out.push(badInput(`architecture.${k} must be a positive integer (got ${quote(v)})`, [...path, k]));
    } else if (v > max) {
      out.push(badInput(`architecture.${k} = ${v} is not plausible (more than ${max})`, [...path, k]));
    }
  }
  if (out.length) return out;
  const kv = a.kvHeads ?? a.heads;
  if (!(kv > 0) || kv > a.heads || !Number.isInteger(kv)) out.push(badInput(`architecture.kvHeads must be an integer between 1 and heads (${a.heads}); got ${kv}`, [...path, 'kvHeads']));
  if (a.headDim !== undefined && !(a.headDim > 0 && a.headDim <= 4096)) out.push(badInput(`architecture.headDim must be between 1 and 4096; got ${a.headDim}`, [...path, 'headDim']));
  if (a.moe) {
    const m = a.moe;
    if (!(m.experts >= 1) || !(m.activeExperts >= 1) || m.activeExperts > m.experts || m.experts > 65536) {
      out.push(badInput(`architecture.moe needs 1 ≤ activeExperts ≤ experts ≤ 65536 (got ${m.activeExperts} of ${m.experts})`, [...path, 'moe']));
    }
  }
  const hybrids: [string, Record<string, unknown> | undefined, [string, number, boolean][]][] = [
    [
      'linearAttention',
      a.linearAttention as Record<string, unknown> | undefined,
      [
        ['keyHeads', 4096, true],
        ['valueHeads', 4096, true],
        ['keyHeadDim', 4096, true],
        ['valueHeadDim', 4096, true],
        ['convKernel', 64, false],
      ],
    ],
    [
      'mamba',
      a.mamba as Record<string, unknown> | undefined,
      [
        ['heads', 4096, true],
        ['headDim', 4096, true],
        ['stateSize', 4096, true],
        ['groups', 4096, false],
        ['convKernel', 64, false],
      ],
    ],
  ];
  if (a.linearAttention && a.mamba) out.push(badInput('architecture gives both linearAttention and mamba: a hybrid has one kind of recurrent layer', [...path, 'mamba']));
  for (const [key, l, sizes] of hybrids) {
    if (!l) continue;
    for (const [k, max, required] of sizes) {
      const v = l[k];
      if (v === undefined && !required) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) out.push(badInput(`architecture.${key}.${k} must be an integer between 1 and ${max} (got ${quote(v)})`, [...path, key, k]));
    }
    const n = l.layers;
    if (!(typeof n === 'number' && Number.isInteger(n) && n >= 1 && n < a.layers)) {
      out.push(badInput(`architecture.${key}.layers must be between 1 and layers − 1 (${a.layers - 1}): a hybrid keeps at least one full-attention layer (got ${quote(n)})`, [...path, key, 'layers']));
    }
  }
  const g = a.globalAttention as Record<string, unknown> | undefined;
  if (g !== undefined) {
    const gp = [...path, 'globalAttention'];
    if (!g || typeof g !== 'object') out.push(badInput('architecture.globalAttention must be an object', gp));
    else {
      const intIn = (k: string, lo: number, hi: number, required: boolean) => {
        const v = g[k];
        if (v === undefined && !required) return;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) out.push(badInput(`architecture.globalAttention.${k} must be an integer between ${lo} and ${hi} (got ${quote(v)})`, [...gp, k]));
      };
      intIn('layers', 1, a.layers, true);
      intIn('headDim', 1, 4096, false);
      intIn('kvHeads', 1, a.heads, false);
      if (g.kEqV !== undefined && typeof g.kEqV !== 'boolean') out.push(badInput(`architecture.globalAttention.kEqV must be true or false (got ${quote(g.kEqV)})`, [...gp, 'kEqV']));
      if (a.linearAttention || a.mamba || a.mla) out.push(badInput('architecture.globalAttention is for sliding-window models: not together with linearAttention, mamba or mla', gp));
    }
  }
  const ks = a.kvShared as Record<string, unknown> | undefined;
  if (ks !== undefined) {
    const kp = [...path, 'kvShared'];
    if (!ks || typeof ks !== 'object') out.push(badInput('architecture.kvShared must be an object', kp));
    else {
      const n = ks.layers;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n >= a.layers) out.push(badInput(`architecture.kvShared.layers must be an integer between 1 and layers − 1 (${a.layers - 1}): some layer must cache K and V (got ${quote(n)})`, [...kp, 'layers']));
      const gl = ks.global;
      const globals = (a.globalAttention as { layers?: unknown } | undefined)?.layers;
      const most = typeof n === 'number' && Number.isInteger(n) ? Math.min(n, typeof globals === 'number' ? globals : n) : 0;
      if (gl !== undefined && (typeof gl !== 'number' || !Number.isInteger(gl) || gl < 0 || gl > most)) out.push(badInput(`architecture.kvShared.global must be an integer between 0 and ${most} (the shared layers, and the global ones; got ${quote(gl)})`, [...kp, 'global']));
      if (a.linearAttention || a.mamba || a.mla) out.push(badInput('architecture.kvShared is not supported together with linearAttention, mamba or mla', kp));
    }
  }
  const vis = a.vision as Record<string, unknown> | undefined;
  if (vis !== undefined) {
    const vp = [...path, 'vision'];
    if (!vis || typeof vis !== 'object') out.push(badInput('architecture.vision must be an object', vp));
    else {
      for (const [k, hi, required] of [
        ['hidden', 65536, true],
        ['ffn', 262144, true],
        ['patchesPerItem', 16777216, true],
        ['tokensPerItem', 16777216, true],
        ['patchInput', 1048576, false],
        ['deepstack', 64, false],
      ] as const) {
        const v = vis[k];
        if (v === undefined && !required) continue;
        const lo = k === 'deepstack' ? 0 : 1;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) out.push(badInput(`architecture.vision.${k} must be an integer between ${lo} and ${hi} (got ${quote(v)})`, [...vp, k]));
      }
      for (const k of ['gatedMlp', 'video'] as const) if (vis[k] !== undefined && typeof vis[k] !== 'boolean') out.push(badInput(`architecture.vision.${k} must be true or false (got ${quote(vis[k])})`, [...vp, k]));
      if (typeof vis.tokensPerItem === 'number' && typeof vis.patchesPerItem === 'number' && vis.tokensPerItem > vis.patchesPerItem)
        out.push(badInput(`architecture.vision.tokensPerItem (${vis.tokensPerItem}) is more than patchesPerItem (${vis.patchesPerItem}): an encoder gives at most one embedding per patch`, [...vp, 'tokensPerItem']));
      const vparams = vis.params;
      if (vparams !== undefined && (typeof vparams !== 'number' || !Number.isFinite(vparams) || vparams < 0 || vparams > MAX_PARAMS)) out.push(badInput(`architecture.vision.params must be a number of parameters from 0 to 1e14 (100 T; got ${quote(vparams)})`, [...vp, 'params']));
    }
  }
  return out;
}

type Reader = EstimateOptions['resolveConfig'] & { why?: (p: string) => string | undefined };

/** A path in a message, bounded by cutting its middle: a cache path's useful part is its end (repo, commit, file). */
function shownPath(p: string): string {
  return quote(p.length > 160 ? `${p.slice(0, 40)}…${p.slice(-115)}` : p, 200);
}

/**
 * A model's config.json from the local Hugging Face cache: its text, `pending` while the editor reads in the background,
 * or else `cache`, what the cache says of the model, with the path, in words a message continues with, and `state`: no
 * refs/main for it (`absent`: not cached), a refs/main that cannot be read (`unreadable`), or one that was read
 * (`cached`, but no usable config.json).
 */
function fromHfCache(id: string, opts: EstimateOptions): { text?: string; pending?: boolean; where?: string; cache?: string; state?: 'absent' | 'unreadable' | 'cached' } {
  const read = opts.resolveConfig as Reader | undefined;
  const repo = repoIdParts(id);
  const hub = opts.hfHubCache ?? defaultHfHubCache();
  if (!read || !repo || !hub) return {};
  const ref = hfRefPath(hub, repo);
  const refText = read(ref);
  if (refText === undefined) {
    const why = read.why?.(ref);
    if (why === 'pending') return { pending: true };
    // A ref that cannot be read (a folder above it not searchable) says nothing of whether the repo is there.
    return why === undefined || why === 'no such file' ? { where: ref, state: 'absent', cache: `it is not in the local Hugging Face cache (no ${shownPath(ref)})` } : { where: ref, state: 'unreadable', cache: `the local Hugging Face cache's refs/main for it cannot be read (${why}: ${shownPath(ref)})` };
  }
  const cfg = hfSnapshotConfigPath(hub, repo, refText);
  if (!cfg) return { where: ref, state: 'cached', cache: `it is in the local Hugging Face cache, but its refs/main there does not hold a commit hash (${shownPath(ref)})` };
  const text = read(cfg);
  if (text !== undefined) return { text, where: cfg };
  const why = read.why?.(cfg);
  if (why === 'pending') return { pending: true };
  return {
    where: cfg,
    state: 'cached',
    cache: why === undefined || why === 'no such file' ? `it is in the local Hugging Face cache, but there is no config.json at ${shownPath(cfg)}` : `it is in the local Hugging Face cache, but its config.json there cannot be read (${why}: ${shownPath(cfg)})`,
  };
}

/**
 * An MTP assistant drafter's shape from its config.json in the local Hugging Face cache (speculative.draftModel), for a
 * model whose catalog entry does not carry it (a Gemma 4 read from its own config.json). `pending` while an editor reads.
 */
export function assistantFromHfCache(draftModel: string, opts: EstimateOptions): { assistant?: MtpAssistant; where?: string; pending?: boolean } {
  const cached = fromHfCache(draftModel, opts);
  if (cached.pending) return { pending: true };
  const assistant = cached.text !== undefined ? mtpAssistantFromConfig(cached.text) : undefined;
  return assistant ? { assistant, where: shownPath(cached.where ?? '') } : {};
}

export function resolveModel(ref: ModelRef | undefined, opts: EstimateOptions, path: string[]): { model?: ResolvedModel; findings: Finding[] } {
  if (!ref || typeof ref !== 'object') return { findings: [badInput('spec.model is missing: give a preset, an architecture or a config.json path', path)] };
  let arch: Architecture | undefined;
  let info: ModelInfo | undefined;
  let weightFormat: WeightFormat | undefined;
  let visionParams: number | undefined;
  let towerParams: number | undefined;
  let hasVision = false;
  const notes: string[] = [];
  const useConfig = (text: string, label: string): Finding[] => {
    const parsed = parseHfConfig(text);
    if (!parsed.ok) return [badInput(`${label} is not a usable Hugging Face config.json: ${parsed.errors.map((e) => e.message).join('; ')}`, [...path, ref.config !== undefined ? 'config' : 'preset'])];
    arch = parsed.architecture;
    weightFormat = parsed.weightFormat;
    visionParams = parsed.visionParams;
    towerParams = parsed.visionParams;
    hasVision = parsed.hasVision === true;
    if (parsed.weightFormat) notes.push(`Weights: ${parsed.weightFormat.label} (quantization_config).`);
    if (parsed.visionParams) notes.push(`Vision tower and projector counted: ${(parsed.visionParams / 1e6).toFixed(0)} M parameters (vision_config).`);
    if (parsed.perLayerEmbeddingParams) {
      visionParams = (visionParams ?? 0) + parsed.perLayerEmbeddingParams;
      notes.push(`Per-layer embeddings counted: ${(parsed.perLayerEmbeddingParams / 1e6).toFixed(0)} M parameters (hidden_size_per_layer_input).`);
    }
    for (const w of parsed.warnings) notes.push(`config.json: ${w}.`);
    return [];
  };
  if (ref.architecture && typeof ref.architecture === 'object') {
    arch = ref.architecture;
    const f = checkArch(arch, [...path, 'architecture']);
    if (f.length) return { findings: f };
  } else if (typeof ref.preset === 'string') {
    const named = resolveModelName(ref.preset);
    if (named) {
      info = named.model;
      arch = info.architecture;
      weightFormat = named.weightFormat;
      if (named.derivedFrom) notes.push(`Model: ${named.derivedFrom}.`);
      else if (weightFormat) notes.push(`Weights: ${weightFormat.label} (as released).`);
      // model.weights names the checkpoint that loads: a quantized derivative of this very model says its format.
      const loads = typeof ref.weights === 'string' && ref.weights !== ref.preset ? resolveModelName(ref.weights) : undefined;
      if (loads?.weightFormat && loads.model.id === named.model.id && loads.weightFormat.label !== weightFormat?.label) {
        weightFormat = loads.weightFormat;
        notes.push(`Weights: ${loads.weightFormat.label}, from model.weights '${ref.weights!.length > 80 ? `${ref.weights!.slice(0, 80)}…` : ref.weights}'.`);
      }
    } else {
      const cached = fromHfCache(ref.preset, opts);
      if (cached.pending) return { findings: [] };
      if (cached.text !== undefined) {
        const f = useConfig(cached.text, shownPath(cached.where ?? ref.preset));
        if (f.length) return { findings: f };
        notes.push(`Model: ${quote(ref.preset)} is not in the catalog; read from the local Hugging Face cache (${shownPath(cached.where ?? '')}).`);
      } else {
        // A model the cache holds but cannot give: no catalog hint (the name is right), and what to point at instead.
        const inCache = cached.state === 'cached';
        const hint = inCache ? undefined : nearest(ref.preset, MODEL_IDS);
        const why = cached.cache ? `${cached.state === 'absent' ? ' and' : ';'} ${cached.cache}` : '';
        const finding = badInput(`unknown model preset ${quote(ref.preset)}${why}${hint ? ` — did you mean '${hint}'?` : ''}; cannot estimate (or point model.config at ${inCache ? 'a readable copy of ' : ''}its config.json)`, [...path, 'preset']);
        // What the cache says, for an adapter that words the problem its own way, where the cache has something to say.
        return { findings: [cached.cache && cached.state !== 'absent' ? { ...finding, reason: cached.cache } : finding] };
      }
    }
  } else if (typeof ref.config === 'string') {
    const text = opts.resolveConfig?.(ref.config);
    // While an editor reads the file in the background (why: 'pending') there is nothing to say yet.
    if (text === undefined) return { findings: (opts.resolveConfig as Reader | undefined)?.why?.(ref.config) === 'pending' ? [] : [badInput(`cannot read ${quote(ref.config)}; cannot estimate without the model's config.json`, [...path, 'config'])] };
    const f = useConfig(text, quote(ref.config));
    if (f.length) return { findings: f };
  } else {
    return { findings: [badInput('spec.model needs a preset, an architecture or a config path', path)] };
  }
  if (!arch) return { findings: [badInput('spec.model needs a preset, an architecture or a config path', path)] };
  // A tower count given inline (architecture.vision.params) is the model's extra parameters too: counted in its total
  // (and so under the 100 T check), not added to the weights beside it. Only a finite, positive count is read.
  const inlineTower = typeof arch.vision?.params === 'number' && Number.isFinite(arch.vision.params) && arch.vision.params > 0 ? arch.vision.params : undefined;
  const extras = {
    learnedPositions: info?.learnedPositions,
    extraParams: info?.extraParams ?? visionParams ?? inlineTower,
    totalParams: info?.totalParams,
    activeParams: info?.activeParams,
    norm: info?.norm,
    hasDropout: info?.learnedPositions !== undefined,
    encoderOnly: info?.encoderOnly === true,
    slidingWindowLayers: info?.slidingWindowLayers,
  };
  const params = countParams(arch, extras);
  if (!(params.total > 0) || !Number.isFinite(params.total)) return { findings: [badInput('the model has no parameters', path)] };
  if (params.total > MAX_PARAMS) {
    return { findings: [badInput(`the model has ${(params.total / 1e12).toFixed(0)} T parameters — more than the 100 T this estimator accepts; check the architecture`, path)] };
  }
  // A vision-language model: its architecture's vision, a config's vision_config, or a catalog decoder whose extraParams count a tower
  // (the catalog's other extra parameters are an encoder's pooler and token types). Its tower's own count where known.
  // A catalog entry's towers say which of its extra parameters are the vision and the audio tower (Gemma 4 E2B/E4B have both).
  // A catalog entry whose towers.vision is 0 has a vision tower of unknown size (Llama 4): multimodal, its weights not counted.
  if (info?.towers?.vision === 0) notes.push(`${info.name} has a vision tower whose parameters the catalog does not count: its weights and its encoder's profile are not in this estimate (point model.config at its config.json for them).`);
  const tower = arch.vision || hasVision || info?.towers?.vision !== undefined || (info && (info.extraParams ?? 0) > 0 && !info.encoderOnly && !info.towers) ? { params: inlineTower ?? info?.towers?.vision ?? towerParams, ...(info?.towers?.video !== undefined ? { video: info.towers.video } : {}) } : undefined;
  const audio = info?.towers?.audio ? { params: info.towers.audio } : undefined;
  return { model: { id: info?.id, arch, extras, params, weightFormat, notes, ...(tower ? { visionTower: tower } : {}), ...(audio ? { audioTower: audio } : {}) }, findings: [] };
}

/** The GPU an estimate assumes where no Cluster says (and a foreign file names none). */
export const DEFAULT_GPU = 'H100-SXM-80GB';
/** Between nodes where nothing says (no Cluster, or one Gantry made up for a foreign file). */
export const DEFAULT_INTER_NODE = 'infiniband-ndr';
/** What a foreign file's made-up Cluster of several nodes says about the fabric it assumes (serving and training readers alike). */
export const DEFAULT_INTER_NODE_NOTE = `Between nodes: ${DEFAULT_INTER_NODE} assumed (nothing says; a Cluster named by gantry.context.yaml's cluster: gives the real fabric).`;

/** The largest memory (GiB) a custom GPU may claim; the schema's maximum. */
const MAX_GPU_GIB = 1024;

function positive(v: unknown, max: number): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= max ? v : undefined;
}

/**
 * A GPU the catalog lacks, from what the Cluster says of it (memoryGiB required); every figure not
 * given is taken from an H100 SXM, and each one taken is named in `assumptions`.
 */
function customGpu(gpuSpec: NonNullable<ClusterDoc['spec']>['nodes']['gpu'], memoryGiB: number, assumptions: string[]): GpuInfo {
  const base = findGpu(DEFAULT_GPU)!;
  const bf16 = positive(gpuSpec.peakBf16Tflops, 100000);
  const fp8 = positive(gpuSpec.peakFp8Tflops, 200000);
  const bw = positive(gpuSpec.memoryBandwidthGBps, 100000);
  const taken: string[] = [];
  if (bf16 === undefined) taken.push(`${base.tflops.bf16} TFLOPS bf16`);
  if (fp8 === undefined) taken.push(bf16 === undefined ? `${base.tflops.fp8} TFLOPS fp8` : `fp8 = 2 × bf16`);
  if (bw === undefined) taken.push(`${base.memoryBandwidthGBps} GB/s memory bandwidth`);
  const link = gpuSpec.model && typeof gpuSpec.model === 'string' ? gpuSpec.model : 'custom';
  const name = `${link.slice(0, 60)} (not in the catalog)`;
  assumptions.push(`GPU ${quote(gpuSpec.model)} is not in the catalog: ${memoryGiB} GiB per GPU as given${taken.length ? `; assumed an H100 SXM's ${taken.join(', ')}` : ''}; memoryGiB is taken as the usable memory the driver reports (about 1–2 % below the marketing size).`);
  const peak = bf16 ?? base.tflops.bf16!;
  return {
    ...base,
    id: 'custom',
    aliases: [],
    name,
    memoryGiB,
    memoryBytes: Math.round(memoryGiB * GIB),
    nominalMemoryGB: memoryGiB,
    memoryBandwidthGBps: bw ?? base.memoryBandwidthGBps,
    tflops: { bf16: peak, fp16: peak, fp8: fp8 ?? (bf16 !== undefined ? 2 * bf16 : base.tflops.fp8), fp32: bf16 !== undefined ? bf16 / 14.8 : base.tflops.fp32 },
    nvlink: undefined,
    intraNodeLink: 'pcie4',
    memorySource: 'reading',
    source: 'described in the Cluster',
    summary: name,
  };
}

/** The catalog GPU with the Cluster's overrides (peak TFLOPS, bandwidth) applied. */
function withOverrides(g: GpuInfo, gpuSpec: NonNullable<ClusterDoc['spec']>['nodes']['gpu'] | undefined): GpuInfo {
  const bf16 = positive(gpuSpec?.peakBf16Tflops, 100000);
  const fp8 = positive(gpuSpec?.peakFp8Tflops, 200000);
  const bw = positive(gpuSpec?.memoryBandwidthGBps, 100000);
  if (bf16 === undefined && fp8 === undefined && bw === undefined) return g;
  return { ...g, memoryBandwidthGBps: bw ?? g.memoryBandwidthGBps, tflops: { ...g.tflops, ...(bf16 !== undefined ? { bf16, fp16: bf16 } : {}), ...(fp8 !== undefined ? { fp8 } : {}) } };
}

/**
 * A card with switchable GDDR ECC (GpuInfo.ecc) in the mode the Cluster states (`nodes.gpu.ecc`), or in its
 * default mode, said so: ECC keeps 1/16 of GDDR memory, so the wrong mode is a 6 % error in the capacity
 * (3 GiB on a 48 GB card: published RTX 6000 Ada starts read 44.4 GiB with ECC on and 47.4 GiB with it off).
 * A given memoryGiB is the reading and wins.
 */
function withEcc(g: GpuInfo, ecc: unknown, memoryGiven: boolean, assumptions: string[]): GpuInfo {
  const stated = typeof ecc === 'boolean' ? eccMode(ecc) : undefined;
  if (memoryGiven) {
    if (stated) assumptions.push(`nodes.gpu.ecc is not applied: nodes.gpu.memoryGiB gives the usable memory (take it with ECC ${stated}).`);
    return g;
  }
  if (!g.ecc) {
    if (stated) assumptions.push(`nodes.gpu.ecc has no effect on ${g.name}: the catalog knows no memory that switching its ECC frees or costs (HBM keeps ECC in side-band bits; set nodes.gpu.memoryGiB to what the driver reports if it differs).`);
    return g;
  }
  const cost = eccCostGiB(g);
  const other = g.ecc === 'on' ? 'off' : 'on';
  if (!stated || stated === g.ecc) {
    assumptions.push(`${g.name}: ECC ${g.ecc}${stated ? ' (nodes.gpu.ecc)' : ", the card's default, assumed"}: ${g.memoryGiB} GiB usable; with ECC ${other} it has ${cost} GiB ${other === 'off' ? 'more' : 'less'}${stated ? '' : ' (nvidia-smi -q -d ECC shows the mode; set nodes.gpu.ecc)'}.`);
    return g;
  }
  const memoryGiB = memoryGiBInEccMode(g, stated);
  assumptions.push(`${g.name}: ECC ${stated} (nodes.gpu.ecc): ${memoryGiB} GiB usable, the catalog's ${g.memoryGiB} GiB with ECC ${g.ecc} ${stated === 'off' ? '+' : '−'} ${cost} GiB (ECC keeps 1/16 of GDDR memory).`);
  return { ...g, memoryGiB, memoryBytes: Math.round(memoryGiB * GIB) };
}

export function resolveCluster(cluster: ClusterDoc | undefined, gpusPerNodeHint: number, nodesHint: number, assumptions: string[]): { cluster?: ResolvedCluster; findings: Finding[] } {
  const spec = cluster?.spec;
  const gpuSpec = spec?.nodes?.gpu;
  let gpu: GpuInfo | undefined;
  let assumed = false;
  const givenGiB = positive(gpuSpec?.memoryGiB, MAX_GPU_GIB);
  if (gpuSpec?.model) {
    gpu = findGpu(gpuSpec.model);
    if (!gpu && givenGiB !== undefined) {
      gpu = customGpu(gpuSpec, givenGiB, assumptions);
      if (!spec?.interconnect?.intraNode) assumptions.push('Custom GPU: PCIe 4.0 between GPUs assumed (set interconnect.intraNode for NVLink or another link).');
    } else if (!gpu) {
      const hint = nearest(gpuSpec.model, GPU_IDS);
      return {
        findings: [badInput(`unknown GPU ${quote(gpuSpec.model)} in cluster ${quote(cluster?.metadata?.name ?? '')}${hint ? ` — did you mean '${hint}'?` : ''}; cannot estimate (or describe it: give nodes.gpu.memoryGiB, and optionally peakBf16Tflops and memoryBandwidthGBps)`, ['spec', 'cluster'])],
      };
    } else {
      gpu = withOverrides(gpu, gpuSpec);
      if (gpu.memorySource === 'rule' && givenGiB === undefined) assumptions.push(`${gpu.name}: usable memory ${gpu.memoryGiB} GiB from the catalog's rule for cards without a driver reading (see docs/catalog.md); set nodes.gpu.memoryGiB to what nvidia-smi/torch report.`);
      if (gpu.memorySource === 'sibling' && givenGiB === undefined) assumptions.push(`${gpu.name}: usable memory ${gpu.memoryGiB} GiB, a sibling card's driver reading (no reading of this card was found; see docs/catalog.md); set nodes.gpu.memoryGiB to what torch reports.`);
      gpu = withEcc(gpu, gpuSpec.ecc, givenGiB !== undefined, assumptions);
    }
  } else {
    gpu = findGpu(DEFAULT_GPU)!;
    assumed = true;
    assumptions.push(`No cluster given: assumed ${gpu.name} nodes with NVLink 4 and InfiniBand NDR.`);
  }
  let capacityBytes = gpu.memoryBytes;
  if (givenGiB !== undefined) capacityBytes = givenGiB * GIB;
  const gpusPerNode = gpuSpec?.count && gpuSpec.count > 0 ? gpuSpec.count : gpusPerNodeHint;
  const nodes = spec?.nodes?.count && spec.nodes.count > 0 ? spec.nodes.count : nodesHint;
  const ic = spec?.interconnect;
  const intra = findLink(ic?.intraNode?.type ?? gpu.intraNodeLink) ?? findLink('pcie4')!;
  let intraBusGBps = intra.effectiveBusGBps;
  if (ic?.intraNode?.bandwidthGBps && ic.intraNode.bandwidthGBps > 0) intraBusGBps = ic.intraNode.bandwidthGBps * (intra.effectiveBusGBps / intra.nominalGBps);
  else if (!ic?.intraNode?.type && gpu.nvlink && gpu.nvlink.gbpsPerGpu < intra.nominalGBps) {
    // A cut-down NVLink (H800, A800: 200 GB/s per direction) scales NCCL's bus bandwidth with it.
    intraBusGBps = gpu.nvlink.gbpsPerGpu * (intra.effectiveBusGBps / intra.nominalGBps);
  }
  let inter: LinkInfo | undefined;
  let interBusGBps = 0;
  const interType = ic?.interNode?.type ?? (spec ? undefined : DEFAULT_INTER_NODE);
  if (interType && interType !== 'none') {
    inter = findLink(interType);
    if (inter) {
      interBusGBps = inter.effectiveBusGBps;
      const gbps = ic?.interNode?.gbpsPerGpu;
      if (gbps && gbps > 0 && inter.defaultGbpsPerGpu) interBusGBps = inter.effectiveBusGBps * (gbps / inter.defaultGbpsPerGpu);
    }
  }
  // Multi-node NVLink (GB200 NVL72): the domain's GPUs reach each other over the intra-node link.
  const domain = ic?.nvlinkDomain;
  const nvlinkDomain = typeof domain === 'number' && Number.isInteger(domain) && domain >= 1 && domain <= 100_000 ? Math.max(domain, gpusPerNode) : gpusPerNode;
  return { cluster: { gpu, capacityBytes, gpusPerNode, nodes, intra, intraBusGBps, inter, interBusGBps, nvlinkDomain, assumed }, findings: [] };
}
