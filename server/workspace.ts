// Reads the files a spec refers to, never blocking the server (the Workspace moved to core/workspace).
import { closeSync, constants as fsConstants, fstatSync, openSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { READ_PENDING } from '../core/validate/model';
import { uriToPath } from '../core/workspace/workspace';

// The Workspace (cluster scanning and scoping) lives in core, where the CLI and the run path use it too.
export { Workspace, uriToPath, pathToUri, PROJECT_FILE } from '../core/workspace/workspace';

/** The largest file a spec may refer to (a Hugging Face config.json is a few KB). */
export const MAX_REFERENCED_BYTES = 1024 * 1024;

type ReadFile = ((rel: string) => string | undefined) & { why?: (rel: string) => string | undefined };

/** Why a file cannot be used, from its stat (after symlinks), or undefined when it can. */
function unusable(st: { isFile(): boolean; size: number }): string | undefined {
  if (!st.isFile()) return 'not a regular file';
  if (st.size > MAX_REFERENCED_BYTES) return `larger than ${MAX_REFERENCED_BYTES / 1048576} MB`;
  return undefined;
}

function failure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'not a regular file' : 'unreadable';
}

/**
 * Reads the files a spec refers to (`model.config: ./config.json`), relative to the spec's folder,
 * synchronously (the CLI). Only regular files up to MAX_REFERENCED_BYTES: a FIFO or /dev/zero
 * would block or never end. The file is opened non-blocking and checked with fstat, so it cannot be
 * swapped for a FIFO between the check and the read. `why(rel)` says why a read gave undefined.
 */
export function readerBeside(specFile: string | undefined, maxChars = Infinity): ReadFile {
  const reasons = new Map<string, string>();
  const read = (rel: string): string | undefined => {
    if (!specFile) return undefined;
    const r = readRegularFileSync(path.resolve(path.dirname(specFile), rel));
    if (typeof r !== 'string') return void reasons.set(rel, r.why);
    return r.slice(0, maxChars);
  };
  return Object.assign(read, { why: (rel: string) => reasons.get(rel) });
}

/** A regular file's text (at most MAX_REFERENCED_BYTES), or why not; a FIFO or a device is never read. */
export function readRegularFileSync(file: string): string | { why: string } {
  let fd: number | undefined;
  try {
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const bad = unusable(fstatSync(fd));
    return bad ? { why: bad } : readFileSync(fd, 'utf8');
  } catch (err) {
    return { why: failure(err) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

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

  constructor(private readonly changed: (uris: string[]) => void) {}

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
      return !f || (f.text === undefined && f.why === undefined) ? READ_PENDING : f.why;
    };
    return Object.assign(read, { why });
  }

  private lookup(p: string, uri: string): Referenced {
    let f = this.files.get(p);
    if (!f) this.files.set(p, (f = { mtimeMs: -1, size: -1, busy: false, readers: new Set() }));
    f.readers.add(uri);
    // Each check that reads the file looks again (in the background) whether it changed on disk.
    if (!f.busy) void this.refresh(p, f);
    return f;
  }

  private async refresh(p: string, f: Referenced): Promise<void> {
    f.busy = true;
    let text: string | undefined;
    let why: string | undefined;
    let mtimeMs = -1;
    let size = -1;
    let handle: import('node:fs/promises').FileHandle | undefined;
    try {
      handle = await fs.open(p, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
      const st = await handle.stat();
      mtimeMs = st.mtimeMs;
      size = st.size;
      if (mtimeMs === f.mtimeMs && size === f.size && (f.text !== undefined || f.why !== undefined)) return;
      why = unusable(st);
      if (!why) text = await readAtMost(handle, MAX_REFERENCED_BYTES);
    } catch (err) {
      why = failure(err);
    } finally {
      f.busy = false;
      await handle?.close().catch(() => undefined);
    }
    if (text === f.text && why === f.why) {
      f.mtimeMs = mtimeMs;
      f.size = size;
      return;
    }
    Object.assign(f, { text, why, mtimeMs, size });
    this.changed([...f.readers]);
  }

  /** Forgets which specs read files (a closed spec is not re-checked). */
  forget(uri: string): void {
    for (const f of this.files.values()) f.readers.delete(uri);
  }
}

/** At most `max` bytes of a file as UTF-8 (the size was checked; this bounds a file that grew since). */
async function readAtMost(handle: import('node:fs/promises').FileHandle, max: number): Promise<string> {
  const buf = Buffer.alloc(max);
  let n = 0;
  while (n < max) {
    const { bytesRead } = await handle.read(buf, n, max - n, n);
    if (!bytesRead) break;
    n += bytesRead;
  }
  return buf.toString('utf8', 0, n);
}
