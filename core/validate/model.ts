// Resolves a spec's model reference (preset, inline architecture, or a config.json beside the spec)
// to an Architecture, or says precisely why it cannot.
import { MODELS, resolveModelName } from '../catalog/models';
import { parseHfConfig } from '../catalog/hfConfig';
import { nearest } from '../spec/suggest';
import type { Architecture } from '../spec/types';
import { quote } from './problem';

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

/**
 * Reads a file a spec refers to, relative to the spec; undefined when it cannot. `why` then says why
 * in a few words ('not a regular file', 'larger than 1 MB'), or 'pending' while an editor reads it
 * in the background (no problem yet: the document is checked again when the text arrives).
 */
export type ReadFile = ((rel: string) => string | undefined) & { why?: (rel: string) => string | undefined };

export const READ_PENDING = 'pending';

export function resolveArchitecture(model: Record<string, unknown>, readFile?: ReadFile): ResolvedModel {
  const { preset, architecture, config } = model;
  if (typeof preset === 'string') {
    // The same name resolution as the estimator's (core/estimate/resolve.ts): catalog ids, Hugging
    // Face ids and their derivatives (-FP8-dynamic, -quantized.w4a16, -AWQ…). An org/name id that is
    // none of these may be in the local Hugging Face cache, which the estimator reads (in the
    // background) and reports on when it is not: no second, different verdict here.
    const hit = resolveModelName(preset)?.model;
    if (hit) return { architecture: hit.architecture, source: 'preset' };
    // A path (an absolute /models/x as much as org/name or ./x) is left to the estimator, which looks in the cache and says so.
    if (preset.includes('/') && preset.length <= 300) return {};
    const guess = nearest(
      preset,
      MODELS.flatMap((m) => [m.id]),
    );
    return {
      problem: {
        code: 'unknown-model',
        path: ['spec', 'model', 'preset'],
        message: `Unknown model preset ${quote(preset)}.${guess ? ` Did you mean '${guess}'?` : ''} Use one of the catalog's presets (${MODELS.slice(0, 6)
          .map((m) => m.id)
          .join(', ')}, …), an inline architecture, or config: ./config.json.`,
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
      const why = readFile.why?.(config);
      if (why === READ_PENDING) return {};
      return { problem: { code: 'model-config', path: ['spec', 'model', 'config'], message: `Cannot read ${quote(config)} (relative to this spec file)${why ? `: ${why}` : ''}.` } };
    }
    const r = parseHfConfig(text);
    if (r.ok) return { architecture: r.architecture, source: 'config' };
    return {
      problem: {
        code: 'model-config',
        path: ['spec', 'model', 'config'],
        message: `${quote(config)} is not a usable Hugging Face config.json: ${r.errors.map((e) => e.message).join('; ')}`,
      },
    };
  }
  return {};
}
