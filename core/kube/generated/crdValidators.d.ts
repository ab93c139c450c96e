// Types of the standalone CRD validators that scripts/gen-crd-validators.mjs generates (crdValidators.js).
import type { GeneratedValidator } from '../../validate/generated/validators';
export const JobSet: GeneratedValidator;
export const LeaderWorkerSet: GeneratedValidator;
export const TrainJob: GeneratedValidator;
