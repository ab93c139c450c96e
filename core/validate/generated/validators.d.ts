// Types of the standalone validators that scripts/gen-validators.mjs generates (validators.js).
export interface GeneratedError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: GeneratedError[] | null;
}
export const Cluster: GeneratedValidator;
export const TrainingJob: GeneratedValidator;
export const InferenceService: GeneratedValidator;
