// Reads the files a spec refers to (`model.config: ./config.json`) and the workspace's YAML files:
// regular files only, up to MAX_REFERENCED_BYTES, synchronously for the CLI and the run path
// (readRegularFileSync), without blocking for the server (readRegularFileAsync: its workspace scan and
// ReferencedFiles in server/workspace.ts), with the same limits and the same reasons.
import * as fsCallbacks from 'node:fs';
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The largest file a spec may refer to (a Hugging Face config.json is a few KB). */
export const MAX_REFERENCED_BYTES = 1024 * 1024;

export type ReadFile = ((rel: string) => string | undefined) & { why?: (rel: string) => string | undefined };

/** Why a file cannot be used, from its stat (after symlinks), or undefined when it can. */
export function unusable(st: { isFile(): boolean; size: number }, maxBytes = MAX_REFERENCED_BYTES): string | undefined {
  if (!st.isFile()) return 'not a regular file';
  if (st.size > maxBytes) return `larger than ${maxBytes / 1048576} MB`;
  return undefined;
}

/** A failed open or read, in words. */
export function failure(err: unknown): string {
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
  return readRegularSync(file, MAX_REFERENCED_BYTES, 'utf8');
}

/** `readRegularFileSync`'s bytes, up to `maxBytes` (gantry check's cache file). */
export function readRegularBytesSync(file: string, maxBytes: number): Buffer | { why: string } {
  return readRegularSync(file, maxBytes);
}

function readRegularSync(file: string, maxBytes: number): Buffer | { why: string };
function readRegularSync(file: string, maxBytes: number, encoding: 'utf8'): string | { why: string };
function readRegularSync(file: string, maxBytes: number, encoding?: 'utf8'): Buffer | string | { why: string } {
  let fd: number | undefined;
  try {
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const bad = unusable(fstatSync(fd), maxBytes);
    return bad ? { why: bad } : encoding ? readFileSync(fd, encoding) : readFileSync(fd);
  } catch (err) {
    return { why: failure(err) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What `readRegularFileAsync` found: the text, or why not; the fstat's mtime and size (-1 when the open failed). */
export interface RegularRead {
  text?: string;
  why?: string;
  mtimeMs: number;
  size: number;
  /** The fstat matched `unchangedIf`: nothing was read. */
  unchanged?: true;
}

/**
 * `readRegularFileSync` without blocking: open non-blocking, fstat, read (sized by the fstat, up to
 * MAX_REFERENCED_BYTES), close: four calls to the thread pool, a FIFO or a device never read. With
 * `unchangedIf`, a file whose fstat shows the same mtime and size is not read. Node's callback API,
 * one promise per file: a FileHandle and fs/promises cost about twice the CPU (3,000 files of the
 * monorepo bench read 8 at a time under the server's V8 flags: about 650 ms of CPU against 300 to 420 ms).
 */
export function readRegularFileAsync(file: string, unchangedIf?: { mtimeMs: number; size: number }): Promise<RegularRead> {
  return new Promise((resolve) => {
    const opened = (err: NodeJS.ErrnoException | null, fd: number): void => {
      if (err) {
        resolve({ why: failure(err), mtimeMs: -1, size: -1 });
        return;
      }
      const end = (r: RegularRead) => fsCallbacks.close(fd, () => resolve(r));
      fsCallbacks.fstat(fd, (err, st) => {
        if (err) return end({ why: failure(err), mtimeMs: -1, size: -1 });
        const { mtimeMs, size } = st;
        if (unchangedIf && unchangedIf.mtimeMs === mtimeMs && unchangedIf.size === size) return end({ unchanged: true, mtimeMs, size });
        const bad = unusable(st);
        if (bad) return end({ why: bad, mtimeMs, size });
        readAtMost(fd, MAX_REFERENCED_BYTES, size, (err, text) => end(err ? { why: failure(err), mtimeMs, size } : { text, mtimeMs, size }));
      });
    };
    // A name Node refuses before any system call (a NUL byte in a spec's `model.config`) throws here.
    try {
      fsCallbacks.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK, opened);
    } catch (err) {
      resolve({ why: failure(err), mtimeMs: -1, size: -1 });
    }
  });
}

/** A regular file's text (at most MAX_REFERENCED_BYTES), or why not, without blocking (readRegularFileAsync). */
export async function readRegularFile(file: string): Promise<string | { why: string }> {
  const r = await readRegularFileAsync(file);
  return r.text ?? { why: r.why ?? 'unreadable' };
}

/** At most `max` bytes of an open file as UTF-8, from its start; `size` (its fstat size) sizes the first read. */
export function readAtMost(fd: number, max: number, size: number, done: (err: NodeJS.ErrnoException | null, text: string) => void): void {
  // One byte past the stated size, so that one read of an unchanged file reaches its end.
  let buf = Buffer.allocUnsafe(Math.min(max, size + 1));
  let n = 0;
  const more = (): void => {
    if (n >= max) {
      done(null, buf.toString('utf8', 0, n));
      return;
    }
    if (n === buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(max, buf.length * 2));
      buf.copy(bigger, 0, 0, n);
      buf = bigger;
    }
    fsCallbacks.read(fd, buf, n, buf.length - n, n, (err, bytesRead) => {
      if (err) done(err, '');
      else if (!bytesRead) done(null, buf.toString('utf8', 0, n));
      else {
        n += bytesRead;
        more();
      }
    });
  };
  more();
}
