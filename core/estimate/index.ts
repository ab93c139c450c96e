// The estimator's public surface. Pure functions of a parsed spec document and its cluster.
export { estimateTrainingJob, NEAR_CAPACITY } from './training';
export { estimateInferenceService, predictedRefusal, printedAvailableKvBytes } from './serving';
export { summarizeTraining, summarizeServing, renderMarkdown, gib, formatSeconds } from './format';
export { countParams } from './params';
export { numericLeaves } from './guard';
export type {
  TrainingEstimate,
  ServingEstimate,
  MemoryEstimate,
  PerGpuMemory,
  InterconnectEstimate,
  CollectiveTraffic,
  TimeEstimate,
  ServingFigures,
  RefusalKind,
  Finding,
  FindingCode,
  Fix,
  FixEdit,
  Severity,
  EstimateOptions,
} from './types';
