// Follows one of a job's output files through the transport with `tail -c +N -F`, from a byte
// offset, so that a restart resumes where it stopped. Over SSH the bytes are appended to a local
// mirror file in the run directory (the panel and `gantry logs` read local files); on a login node
// the job's own file is already local and is only watched. Also watches the output's rhythm to
// tell when it looks block-buffered.
import * as fs from 'node:fs';
import type { CommandTransport, StreamProcess } from './transport';
import type { FileStamp } from './commands';

/** How far the Slurm side's clocks (login node, file server, compute nodes) may disagree, seconds. */
export const CLOCK_SLACK_S = 10;

/**
 * Whether a job's output file holds only what an earlier job left there: Slurm reuses job ids
 * (a rebuilt cluster, MaxJobId wrapping, several clusters sharing one home directory), and the
 * file of an earlier job N is still in place while the new job N waits in the queue. Such a file
 * was last written before this job was submitted and has not changed since it was first seen
 * (`first`); once Slurm truncates it to start the job, or it goes away, it is this job's.
 */
export function isStaleOutput(stamp: FileStamp | undefined, submittedAtS: number, first: FileStamp | undefined): boolean {
  if (!stamp) return false;
  if (stamp.mtimeS >= submittedAtS - CLOCK_SLACK_S) return false;
  return !first || (first.mtimeS === stamp.mtimeS && first.size === stamp.size);
}

export interface RemoteFollowerOptions {
  transport: CommandTransport;
  /** The job's file on the Slurm side (absolute, from scontrol). */
  remotePath: string;
  /** Local copy to append to (SSH). Its size is the resume offset. Absent: nothing is copied. */
  mirrorPath?: string;
  /** Where to start when there is no mirror (bytes already seen). */
  offset?: number;
  /** Every chunk, as it arrives. */
  onData?: (chunk: Buffer, at: number) => void;
  /** `tail -s`: GNU tail polls at this period where inotify does not work (NFS, Lustre). */
  pollS?: number;
}

export interface RemoteFollower {
  readonly remotePath: string;
  offset(): number;
  /** Stops following and copies whatever the file still holds beyond the offset. */
  finish(timeoutMs?: number): Promise<void>;
  stop(): void;
}

export function followRemote(opts: RemoteFollowerOptions): RemoteFollower {
  let offset = opts.mirrorPath ? fileSize(opts.mirrorPath) : (opts.offset ?? 0);
  let proc: StreamProcess | undefined;
  let stopped = false;
  let restartTimer: NodeJS.Timeout | undefined;

  const write = (chunk: Buffer) => {
    if (opts.mirrorPath) fs.appendFileSync(opts.mirrorPath, chunk);
    offset += chunk.length;
    opts.onData?.(chunk, Date.now());
  };

  const start = () => {
    if (stopped) return;
    const argv = ['tail', '-c', `+${offset + 1}`, '-F', '-s', String(opts.pollS ?? 0.25), '--', opts.remotePath];
    const p = opts.transport.spawnStream(argv);
    proc = p;
    p.stdout.on('data', (chunk: Buffer) => {
      if (proc === p) write(chunk);
    });
    p.stderr.resume(); // "has appeared; following new file" and the like
    void p.exited.then(() => {
      // tail -F only ends when its connection breaks: start again from the offset reached.
      if (!stopped && proc === p) restartTimer = setTimeout(start, 1000);
    });
  };
  if (opts.mirrorPath) fs.writeFileSync(opts.mirrorPath, '', { flag: 'a' });
  start();

  const stop = () => {
    stopped = true;
    clearTimeout(restartTimer);
    const p = proc;
    proc = undefined;
    p?.kill();
  };

  return {
    remotePath: opts.remotePath,
    offset: () => offset,
    stop,
    async finish(timeoutMs = 10_000) {
      stop();
      // The rest of the file, read once (no -F), so that the copy is complete before the run is
      // reported as ended and readers drain it.
      const rest = opts.transport.spawnStream(['tail', '-c', `+${offset + 1}`, '--', opts.remotePath]);
      rest.stdout.on('data', (chunk: Buffer) => write(chunk));
      rest.stderr.resume();
      const timer = setTimeout(() => rest.kill(), timeoutMs);
      await rest.exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Output that looks block-buffered: a running job silent for a long time, or data arriving in a
 * burst of whole stdio buffers (4 or 8 KiB) after a silence. Python writing to a file buffers 8 KiB
 * unless run with -u or PYTHONUNBUFFERED=1.
 */
export class BufferingDetector {
  private lastDataAt?: number;
  private bytes = 0;
  private hinted = false;

  constructor(
    private readonly silenceMs = 60_000,
    private readonly burstAfterMs = 10_000,
  ) {}

  /** Returns a hint the first time the pattern is seen. */
  onData(chunkBytes: number, at: number): string | undefined {
    const silentFor = this.lastDataAt === undefined ? 0 : at - this.lastDataAt;
    this.lastDataAt = at;
    this.bytes += chunkBytes;
    if (!this.hinted && silentFor >= this.burstAfterMs && chunkBytes >= 4096 && chunkBytes % 4096 === 0) {
      return this.hint(`output arrived in a ${chunkBytes}-byte burst after ${Math.round(silentFor / 1000)} s of silence`);
    }
    return undefined;
  }

  /** Called on each poll while the job runs. */
  onTick(runningSince: number | undefined, at: number): string | undefined {
    if (this.hinted || runningSince === undefined || this.bytes > 0) return undefined;
    if (at - runningSince >= this.silenceMs) return this.hint(`no output for ${Math.round((at - runningSince) / 1000)} s since the job started`);
    return undefined;
  }

  private hint(why: string): string {
    this.hinted = true;
    return `${why}: the output may be block-buffered. For Python, run it with \`python -u\` or set PYTHONUNBUFFERED=1 (Gantry's batch script sets it unless the spec overrides it).`;
  }
}

function fileSize(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}
