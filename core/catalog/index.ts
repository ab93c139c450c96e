// The catalogs' public surface: lookups by id or alias, the id lists (for completion and
// "did you mean"), and one-line summaries (for hover).
export { GPUS, GPU_IDS, findGpu, peakTflops } from './gpus';
export type { GpuInfo, GpuPeakTflops } from './gpus';
export { LINKS, LINK_TYPES, findLink, busBandwidthFactor, collectiveSeconds } from './links';
export type { LinkInfo, LinkType, Collective } from './links';
export { MODELS, MODEL_IDS, findModel } from './models';
export type { ModelInfo } from './models';
export { parseHfConfig } from './hfConfig';
export type { HfConfigResult, HfConfigError } from './hfConfig';
