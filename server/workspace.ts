// Reads the files a spec refers to, never blocking the server (the Workspace moved to core/workspace).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { READ_PENDING } from '../core/validate/model';
import { uriToPath } from '../core/workspace/workspace';
import { readRegularFileAsync, type ReadFile } from '../core/workspace/readBeside';

// The Workspace (cluster scanning and scoping) lives in core, where the CLI and the run path use it too.
export { Workspace, uriToPath, pathToUri, PROJECT_FILE } from '../core/workspace/workspace';
// The synchronous reader of referenced files (the CLI's, and the definition handler's) lives in core too.
export { MAX_REFERENCED_BYTES, readerBeside, readRegularFileSync } from '../core/workspace/readBeside';

interface Referenced {
  /** The text, or why there is none; undefined while the first read is in flight. */
  text?: string;
  why?: string;
  mtimeMs: number;
  size: number;
  /** A stat or read is in flight. */
  busy: boolean;
  /** The spec files (uris) that read it: re-checked when it changes. */
  readers: Set<string>;
  /** A check asked why there is no text (`why`): a new reason re-checks too, not only a new text. */
  whyAsked?: boolean;
}

/**
 * The server's reader of files specs refer to. Never blocks the event loop: a check asks for the
 * text and gets what is cached (or 'pending' the first time); the file is stat'ed and read in the
 * background (non-blocking open, fstat: regular files up to MAX_REFERENCED_BYTES only), cached by
 * path, mtime and size, and `changed(uris)` is called when the text the checks saw is out of date,
 * so the caller re-checks those specs (and invalidates the check caches).
 */
export class ReferencedFiles {
  private files = new Map<string, Referenced>();
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly changed: (uris: string[]) => void) {}

  /** Resolves once no read is in flight (after their `changed` calls). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }

  /** A reader for the spec at `uri` (a file: URI; an untitled buffer reads nothing). */
  readerFor(uri: string): ReadFile {
    const specFile = uriToPath(uri);
    const abs = (rel: string) => (specFile ? path.resolve(path.dirname(specFile), rel) : undefined);
    const read = (rel: string): string | undefined => {
      const p = abs(rel);
      if (!p) return undefined;
      const f = this.lookup(p, uri);
      return f.text;
    };
    const why = (rel: string): string | undefined => {
      const p = abs(rel);
      if (!p) return undefined;
      const f = this.files.get(p);
      if (f) f.whyAsked = true;
      return !f || (f.text === undefined && f.why === undefined) ? READ_PENDING : f.why;
    };
    return Object.assign(read, { why });
  }

  private lookup(p: string, uri: string): Referenced {
    let f = this.files.get(p);
    if (!f) this.files.set(p, (f = { mtimeMs: -1, size: -1, busy: false, readers: new Set() }));
    f.readers.add(uri);
    // Each check that reads the file looks again (in the background) whether it changed on disk.
    if (!f.busy) {
      const done = this.refresh(p, f);
      this.inFlight.add(done);
      void done.finally(() => this.inFlight.delete(done));
    }
    return f;
  }

  private async refresh(p: string, f: Referenced): Promise<void> {
    f.busy = true;
    const known = f.text !== undefined || f.why !== undefined;
    const { text, why, mtimeMs, size, unchanged } = await readRegularFileAsync(p, known ? f : undefined);
    f.busy = false;
    if (unchanged) return;
    if (text === f.text && why === f.why) {
      f.mtimeMs = mtimeMs;
      f.size = size;
      return;
    }
    // A file that is still not there (only its reason is new) changes no check that took no reason.
    const seen = text !== f.text || f.whyAsked;
    Object.assign(f, { text, why, mtimeMs, size });
    if (seen) this.changed([...f.readers]);
  }

  /**
   * A file changed on disk (the client's file watcher): when some open file reads it (a
   * gantry.context.yaml, a launching script, a DeepSpeed JSON, a config.json), it is read again in the
   * background, and those files are re-checked when its text changed.
   */
  touched(file: string): void {
    const f = this.files.get(file);
    if (!f || f.busy) return;
    const done = this.refresh(file, f);
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  /** Forgets which specs read files (a closed spec is not re-checked). */
  forget(uri: string): void {
    for (const f of this.files.values()) f.readers.delete(uri);
  }
}

/** Entries listed per folder at most (names only). */
const MAX_FOLDER_ENTRIES = 4096;

/**
 * The names in the folders of open files, listed in the background (never blocking the server):
 * the scripts beside a training config that may launch it (core/formats/launcherLink.ts). The
 * first ask gets undefined and starts the listing; each later ask looks again in the background,
 * and `changed(uris)` re-checks the files that asked when the names that matter differ (`relevant`:
 * by default all; no names and none listed yet are the same).
 */
export class FolderNames {
  private folders = new Map<string, { names?: string[]; busy: boolean; askers: Set<string> }>();
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly changed: (uris: string[]) => void,
    private readonly relevant: (names: readonly string[]) => readonly string[] = (n) => n,
  ) {}

  namesFor(uri: string): readonly string[] | undefined {
    const file = uriToPath(uri);
    if (!file) return undefined;
    const dir = path.dirname(file);
    let f = this.folders.get(dir);
    if (!f) this.folders.set(dir, (f = { busy: false, askers: new Set() }));
    f.askers.add(uri);
    if (!f.busy) {
      const done = this.refresh(dir, f);
      this.inFlight.add(done);
      void done.finally(() => this.inFlight.delete(done));
    }
    return f.names;
  }

  /** Resolves once no listing is in flight (after their `changed` calls). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }

  private async refresh(dir: string, f: { names?: string[]; busy: boolean; askers: Set<string> }): Promise<void> {
    f.busy = true;
    const names: string[] = [];
    try {
      const d = await fs.opendir(dir);
      for await (const e of d) {
        names.push(e.name);
        if (names.length >= MAX_FOLDER_ENTRIES) break;
      }
    } catch {
      // An unreadable folder lists nothing.
    } finally {
      f.busy = false;
    }
    names.sort();
    const before = this.relevant(f.names ?? []);
    const after = this.relevant(names);
    f.names = names;
    if (before.length === after.length && before.every((n, i) => n === after[i])) return;
    this.changed([...f.askers]);
  }
}
