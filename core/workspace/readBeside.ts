// Reads the files a spec refers to (`model.config: ./config.json`) synchronously, for the CLI and
// the run path: regular files only, up to MAX_REFERENCED_BYTES. The server's non-blocking reader
// (server/workspace.ts ReferencedFiles) keeps the same limits and the same reasons.
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';

/** The largest file a spec may refer to (a Hugging Face config.json is a few KB). */
export const MAX_REFERENCED_BYTES = 1024 * 1024;

export type ReadFile = ((rel: string) => string | undefined) & { why?: (rel: string) => string | undefined };

/** Why a file cannot be used, from its stat (after symlinks), or undefined when it can. */
export function unusable(st: { isFile(): boolean; size: number }): string | undefined {
  if (!st.isFile()) return 'not a regular file';
  if (st.size > MAX_REFERENCED_BYTES) return `larger than ${MAX_REFERENCED_BYTES / 1048576} MB`;
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

/**
 * `readRegularFileSync` without blocking: open non-blocking, fstat, read, close (four calls to the
 * thread pool; a stat, then `readFile`, takes six). A FIFO or a device is never read.
 */
export async function readRegularFile(file: string): Promise<string | { why: string }> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const st = await handle.stat();
    const bad = unusable(st);
    return bad ? { why: bad } : await readAtMost(handle, MAX_REFERENCED_BYTES, st.size);
  } catch (err) {
    return { why: failure(err) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** At most `max` bytes of an open file as UTF-8, from its start; `size` (its fstat size) sizes the first read. */
export async function readAtMost(handle: FileHandle, max: number, size = max): Promise<string> {
  // One byte past the stated size, so that one read of an unchanged file reaches its end.
  let buf = Buffer.allocUnsafe(Math.min(max, size + 1));
  let n = 0;
  while (n < max) {
    if (n === buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(max, buf.length * 2));
      buf.copy(bigger, 0, 0, n);
      buf = bigger;
    }
    const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
    if (!bytesRead) break;
    n += bytesRead;
  }
  return buf.toString('utf8', 0, n);
}
