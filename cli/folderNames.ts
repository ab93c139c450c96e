// The names in a file's folder, for the reverse association (core/formats/launcherLink.ts: the
// script beside a training config that launches it). Read entry by entry and capped, so a folder of
// a million files costs a bounded look; names only, no file is opened here.
import { opendirSync } from 'node:fs';
import * as path from 'node:path';

const MAX_ENTRIES = 4096;

export function folderNames(file: string): string[] | undefined {
  try {
    const dir = opendirSync(path.dirname(file));
    const out: string[] = [];
    try {
      for (let e = dir.readSync(); e && out.length < MAX_ENTRIES; e = dir.readSync()) out.push(e.name);
    } finally {
      dir.closeSync();
    }
    return out;
  } catch {
    return undefined;
  }
}
