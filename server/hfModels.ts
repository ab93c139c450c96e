// The model repos in the local Hugging Face cache, offered by completion after the catalog's presets:
// listed in the background (one readdir of the hub folder, at most once per REFRESH_MS), never on a
// request's path. A request reads what the last listing found.
import { promises as fs } from 'node:fs';
import { defaultHfHubCache, hubRepoIds } from '../core/catalog/hfCache';

const REFRESH_MS = 30_000;
let ids: string[] = [];
let listedAt = Number.NEGATIVE_INFINITY;
let listing: Promise<void> | undefined;

/** The repos the last listing found; starts a new listing when that one is old. */
export function localModelIds(): readonly string[] {
  if (!listing && Date.now() - listedAt > REFRESH_MS) void refreshLocalModels();
  return ids;
}

/** Lists the hub folder again (the server calls it at start, so the first completion has the list). */
export function refreshLocalModels(hub = defaultHfHubCache()): Promise<void> {
  if (listing) return listing;
  listing = (async () => {
    try {
      ids = hub ? hubRepoIds(await fs.readdir(hub)) : [];
    } catch {
      ids = [];
    } finally {
      listedAt = Date.now();
      listing = undefined;
    }
  })();
  return listing;
}
