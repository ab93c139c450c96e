// Atomic file writes and a cross-process lock, so that two VS Code windows and the CLI can share one
// run store. The lock is a directory (mkdir is atomic on every local file system) holding its
// owner's pid; a lock whose owner is dead, or that is older than `staleMs`, is broken.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `data` to a temporary file beside `file`, flushes it and renames it over `file`. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

// A synchronous pause for lock retries: the critical sections are a few file reads and writes, so
// a holder lets go within milliseconds and an async lock would only complicate every caller.
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function pauseMs(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LockOptions {
  timeoutMs?: number; // give up after this long (default 10 s)
  staleMs?: number; // break a lock older than this (default 30 s)
}

export function withLock<T>(lockDir: string, fn: () => T, opts: LockOptions = {}): T {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const staleMs = opts.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const owner = path.join(lockDir, 'owner');
  let wait = 1;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      try {
        fs.writeFileSync(owner, `${process.pid}\n${Date.now()}\n`);
      } catch {
        /* the lock is held even without the owner file; it only helps breaking stale locks */
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      breakIfStale(lockDir, owner, staleMs);
      if (Date.now() > deadline) throw new Error(`timed out waiting for the run-store lock ${lockDir}`);
      pauseMs(wait);
      wait = Math.min(wait * 2, 25);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function breakIfStale(lockDir: string, owner: string, staleMs: number): void {
  let pid = 0;
  let at = 0;
  try {
    const [p, t] = fs.readFileSync(owner, 'utf8').split('\n');
    pid = Number(p);
    at = Number(t);
  } catch {
    // No owner file yet: its creator is between mkdir and write, or died there. Use the dir's age.
    try {
      at = fs.statSync(lockDir).mtimeMs;
    } catch {
      return;
    }
  }
  const dead = pid > 0 && pid !== process.pid && !isPidAlive(pid);
  if (dead || Date.now() - at > staleMs) {
    // Rename first so that two breakers don't both delete a lock a third party just took.
    const grave = `${lockDir}.stale-${process.pid}-${Date.now()}`;
    try {
      fs.renameSync(lockDir, grave);
      fs.rmSync(grave, { recursive: true, force: true });
    } catch {
      /* someone else broke it */
    }
  }
}
