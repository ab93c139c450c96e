// Resolves a spec's model reference (preset, inline architecture, or a config.json beside the spec)
// to an Architecture, or says precisely why it cannot.
import { findModel, MODELS } from '../catalog/models';
import { parseHfConfig } from '../catalog/hfConfig';
import { nearest } from '../spec/suggest';
import type { Architecture } from '../spec/types';

export interface ModelProblem {
  code: string;
  path: string[];
  message: string;
  replacement?: string;
}

export interface ResolvedModel {
  architecture?: Architecture;
  source?: 'preset' | 'architecture' | 'config';
  problem?: ModelProblem;
}

export function resolveArchitecture(model: Record<string, unknown>, readFile?: (rel: string) => string | undefined): ResolvedModel {
  const { preset, architecture, config } = model;
  if (typeof preset === 'string') {
    const hit = findModel(preset);
    if (hit) return { architecture: hit.architecture, source: 'preset' };
    const guess = nearest(preset, MODELS.flatMap((m) => [m.id]));
    return {
      problem: {
        code: 'unknown-model',
        path: ['spec', 'model', 'preset'],
        message: `Unknown model preset '${preset}'.${guess ? ` Did you mean '${guess}'?` : ''} Use one of the catalog's presets (${MODELS.slice(0, 6).map((m) => m.id).join(', ')}, …), an inline architecture, or config: ./config.json.`,
        replacement: guess,
      },
    };
  }
  if (architecture && typeof architecture === 'object') {
    const a = architecture as Architecture;
    if ([a.layers, a.hidden, a.heads, a.ffn, a.vocab].every((x) => typeof x === 'number' && x > 0)) return { architecture: a, source: 'architecture' };
    return {};
  }
  if (typeof config === 'string') {
    if (!readFile) return {};
    const text = readFile(config);
    if (text === undefined) {
      return { problem: { code: 'model-config', path: ['spec', 'model', 'config'], message: `Cannot read '${config}' (relative to this spec file).` } };
    }
    const r = parseHfConfig(text);
    if (r.ok) return { architecture: r.architecture, source: 'config' };
    return {
      problem: {
        code: 'model-config',
        path: ['spec', 'model', 'config'],
        message: `'${config}' is not a usable Hugging Face config.json: ${r.errors.map((e) => e.message).join('; ')}`,
      },
    };
  }
  return {};
}
