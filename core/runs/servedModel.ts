// What a serving engine is told to load. A preset is Gantry's own id (`llama-3.1-70b`), which no
// engine knows: it becomes the catalog's Hugging Face repo id. Weights (a repo id or a local path)
// are passed as written.

import * as path from 'node:path';
import { findModel, huggingFaceRepo } from '../catalog/models';

export interface ServedModelInput {
  weights?: string;
  preset?: string;
  config?: string;
}

export type ServedModel = { ok: true; model: string } | { ok: false; error: string };

export function servedModel(m: ServedModelInput | undefined): ServedModel {
  if (m?.weights) return { ok: true, model: m.weights };
  if (m?.preset) {
    const info = findModel(m.preset);
    const repo = info ? huggingFaceRepo(info) : undefined;
    if (repo) return { ok: true, model: repo };
    // A preset that is itself a repo id ("org/name") is what the engine expects anyway.
    if (/^[\w.-]+\/[\w.-]+$/.test(m.preset)) return { ok: true, model: m.preset };
    return { ok: false, error: `model.preset '${m.preset}' has no Hugging Face repo id in Gantry's catalog; give model.weights (a repo id or a local path) so that the engine knows what to load` };
  }
  if (m?.config) return { ok: true, model: path.dirname(m.config) };
  return { ok: false, error: 'the model has no weights, preset or config to serve' };
}
