// Where the local Hugging Face cache keeps a model's config.json, as huggingface_hub lays it out:
// <hub>/models--<org>--<name>/refs/<revision> holds a commit hash, and
// <hub>/models--<org>--<name>/snapshots/<commit>/config.json is the file (a link into blobs/).
// The hub folder: HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE (older name), else HF_HOME/hub, else
// XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. Nothing here reads a file: the
// estimator asks its reader (stat first, regular files, 1 MB cap, in the background in the editor).

import * as os from 'node:os';
import * as path from 'node:path';

type Env = Record<string, string | undefined>;

export function hfHubCacheDir(env: Env = process.env, home: string = os.homedir()): string | undefined {
  const set = (k: string) => (typeof env[k] === 'string' && env[k]!.trim() ? env[k]!.trim() : undefined);
  const hub = set('HF_HUB_CACHE') ?? set('HUGGINGFACE_HUB_CACHE');
  if (hub) return hub;
  const hfHome = set('HF_HOME');
  if (hfHome) return path.join(hfHome, 'hub');
  const xdg = set('XDG_CACHE_HOME');
  if (xdg) return path.join(xdg, 'huggingface', 'hub');
  return home ? path.join(home, '.cache', 'huggingface', 'hub') : undefined;
}

let cached: string | undefined | null = null;
/** hfHubCacheDir() of this process, computed once. */
export function defaultHfHubCache(): string | undefined {
  if (cached === null) cached = hfHubCacheDir();
  return cached;
}

/** A Hugging Face repo id (`org/name`, letters, digits, `-_.`; no `..`), or undefined. */
export function repoIdParts(id: string): { org: string; name: string } | undefined {
  if (typeof id !== 'string' || id.length > 200) return undefined;
  const parts = id.trim().split('/');
  if (parts.length !== 2) return undefined;
  const ok = (s: string) => s.length > 0 && s !== '.' && s !== '..' && !s.includes('..') && [...s].every((c) => /[A-Za-z0-9._-]/.test(c));
  return ok(parts[0]) && ok(parts[1]) ? { org: parts[0], name: parts[1] } : undefined;
}

/** The file holding the commit hash of `revision` (default main) for a repo in the hub cache. */
export function hfRefPath(hub: string, repo: { org: string; name: string }, revision = 'main'): string {
  return path.join(hub, `models--${repo.org}--${repo.name}`, 'refs', revision);
}

/** The snapshot config.json for a commit hash read from a ref file; undefined when the hash is not one. */
export function hfSnapshotConfigPath(hub: string, repo: { org: string; name: string }, refText: string): string | undefined {
  const commit = refText.trim();
  if (commit.length < 7 || commit.length > 64 || ![...commit].every((c) => /[0-9a-f]/.test(c))) return undefined;
  return path.join(hub, `models--${repo.org}--${repo.name}`, 'snapshots', commit, 'config.json');
}

/** At most this many cached models are offered (a hub folder of thousands is cut, in name order). */
export const MAX_HUB_MODELS = 500;

/**
 * The model repos a hub folder's entry names hold (`models--org--name` → `org/name`; datasets, spaces
 * and anything else left out), sorted, at most MAX_HUB_MODELS. A repo id never holds `--`, so the
 * folder name splits one way.
 */
export function hubRepoIds(entries: readonly string[]): string[] {
  const out = new Set<string>();
  for (const e of entries) {
    if (typeof e !== 'string' || !e.startsWith('models--') || e.length > 220) continue;
    const parts = e.slice('models--'.length).split('--');
    if (parts.length !== 2) continue;
    const id = `${parts[0]}/${parts[1]}`;
    if (repoIdParts(id)) out.add(id);
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_HUB_MODELS);
}
