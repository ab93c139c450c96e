// Whether a run's logs can still be written. The local backend hands the log files to the processes
// themselves (no copy passes through Gantry), so a full or failing disk shows up in the command, not
// here: the command's prints fail and what it says about it is lost with them. Gantry therefore
// looks at the file system that holds the logs, says so while the run goes on, and names the cause
// when the run ends. The run is not stopped for it: a job that checkpoints to another disk may be
// worth keeping, and that is the person's call.
import * as fs from 'node:fs';
import { grouped } from '../estimate/format';

/** Below this many free bytes the next log lines fail to be written (ENOSPC). */
export const LOW_LOG_SPACE_BYTES = 256 * 1024;

export interface StatFsLike {
  bavail: number | bigint;
  bsize: number | bigint;
}

/** What is wrong with writing logs in `dir`, in words ("no space left on device"), or undefined. */
export function logDiskProblem(dir: string, statfs: (dir: string) => StatFsLike = fs.statfsSync): string | undefined {
  try {
    const s = statfs(dir);
    const free = Number(s.bavail) * Number(s.bsize);
    return free < LOW_LOG_SPACE_BYTES ? `no space left on device (${grouped(free)} bytes free where the logs are written)` : undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return e.code === 'ENOENT' ? undefined : ioErrorText(e);
  }
}

/** An I/O error as a person reads it: "no space left on device", "input/output error"… */
export function ioErrorText(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EIO':
      return 'input/output error';
    case 'EROFS':
      return 'read-only file system';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return err.message;
  }
}

/** The panel's note for a live run whose logs cannot be written. */
export const logWriteNote = (problem: string): string => `log writes failing: ${problem} — new output is lost until this is fixed; the run keeps running`;
