// Which engine version an InferenceService runs: spec.engineVersion, else the tag of its container
// image (`vllm/vllm-openai:v0.6.3` → 0.6.3), else unknown (the estimator then assumes the current
// release and says so). Parsed by hand (split on '.', digits only): no regular expression on the text.

import type { InferenceServiceSpec } from '../spec/types';

export interface EngineVersion {
  /** [major, minor, patch]; undefined when unknown. */
  parts?: [number, number, number];
  text?: string;
  /** Where the version came from. */
  from: 'spec' | 'image' | 'default';
}

/** '0.6.3', 'v0.10.1', '0.6.3.post1', '0.8.5rc1' → [0, 6, 3] / [0, 10, 1] / …; undefined when not a version. */
export function parseVersion(text: string): [number, number, number] | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  let t = text.trim();
  if (t.startsWith('v') || t.startsWith('V')) t = t.slice(1);
  const fields = t.split('.');
  if (fields.length < 2) return undefined;
  const out: number[] = [];
  for (const f of fields.slice(0, 3)) {
    let digits = '';
    for (const c of f) {
      if (c >= '0' && c <= '9') digits += c;
      else break;
    }
    if (!digits || digits.length > 4) return out.length >= 2 ? undefined : undefined;
    out.push(Number(digits));
    if (digits.length !== f.length) break; // '3rc1', '3-cu121': the rest is a suffix
  }
  if (out.length < 2) return undefined;
  return [out[0], out[1], out[2] ?? 0];
}

/** The tag of an image reference (`repo/name:tag@sha256:…` → tag), or undefined. */
export function imageTag(image: string | undefined): string | undefined {
  if (typeof image !== 'string' || image.length > 500) return undefined;
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(colon + 1) : undefined;
}

export function engineVersionOf(spec: InferenceServiceSpec): EngineVersion {
  if (typeof spec.engineVersion === 'string') {
    const parts = parseVersion(spec.engineVersion);
    if (parts) return { parts, text: spec.engineVersion, from: 'spec' };
  }
  const tag = imageTag(spec.container?.image);
  if (tag) {
    const parts = parseVersion(tag);
    if (parts) return { parts, text: tag, from: 'image' };
  }
  return { from: 'default' };
}

export function atLeast(v: [number, number, number], major: number, minor: number, patch = 0): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}
