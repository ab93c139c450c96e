// Slurm's client commands as typed calls over a CommandTransport: what to run, how to read the
// answer, and which failures mean what. No state here; the backend owns the polling.
import { parseSacct, parseScontrolJob, parseSqueue, SACCT_FORMAT, SQUEUE_FORMAT, type SacctRow, type SqueueRow } from './parse';
import { TransportError, type CommandTransport } from './transport';

/** sbatch refused the job. `slurmMessage` is Slurm's own text, for the editor to show at `specPath`. */
export class SlurmSubmitError extends Error {
  constructor(
    readonly slurmMessage: string,
    /** The spec field the message most likely concerns: ['cluster', …] or ['job', …] paths into the two documents. */
    readonly specPath?: { doc: 'cluster' | 'job'; path: (string | number)[] },
  ) {
    super(`Slurm rejected the job: ${slurmMessage}`);
    this.name = 'SlurmSubmitError';
  }
}

/** A Slurm command failed for a reason that is not about one job: slurmctld down or slow, no such command. */
export class SlurmUnavailableError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'SlurmUnavailableError';
  }
}

export interface SlurmCommands {
  readonly transport: CommandTransport;
  /** `sbatch --parsable` with the script on stdin; resolves to the job id. */
  submit(script: string): Promise<string>;
  /** One `squeue` for all of this user's jobs, finished ones included (for MinJobAge). */
  queue(): Promise<SqueueRow[]>;
  /** `scontrol show job -o ID`; undefined once Slurm has forgotten the job. */
  showJob(jobId: string): Promise<Record<string, string> | undefined>;
  /** Whether `sacct` has a database behind it (asked once). */
  hasAccounting(): Promise<boolean>;
  sacct(jobIds: string[]): Promise<SacctRow[]>;
  cancel(jobId: string): Promise<void>;
  mkdirp(dir: string): Promise<void>;
  /** `date +%s`: the Slurm side's clock, in seconds since the epoch. */
  now(): Promise<number>;
  /** `stat` of each path in one call: modification time and size; a path that does not exist is absent. */
  stat(paths: string[]): Promise<Map<string, FileStamp>>;
}

/** A file's modification time (seconds, the Slurm side's clock) and size in bytes. */
export interface FileStamp {
  mtimeS: number;
  size: number;
}

export interface SlurmCommandsOptions {
  /** Per command. Default 15 s: slurmctld answers in milliseconds when healthy. */
  timeoutMs?: number;
}

export function createSlurmCommands(transport: CommandTransport, options: SlurmCommandsOptions = {}): SlurmCommands {
  const timeoutMs = options.timeoutMs ?? 15_000;
  let accounting: Promise<boolean> | undefined;

  async function exec(argv: string[], stdin?: string) {
    try {
      return await transport.exec(argv, { timeoutMs, stdin });
    } catch (e) {
      if (e instanceof TransportError && e.kind === 'timeout') {
        throw new SlurmUnavailableError(`\`${argv[0]}\` on ${transport.where} did not answer within ${timeoutMs / 1000} s: slurmctld may be slow or down`, e.detail);
      }
      if (e instanceof TransportError && e.kind === 'not-found') {
        throw new SlurmUnavailableError(`${argv[0]} is not installed on ${transport.where}: run Gantry on a Slurm login node, or set scheduler.login in the Cluster to reach one over SSH`);
      }
      throw e;
    }
  }

  function unavailable(cmd: string, stderr: string, code: number): SlurmUnavailableError {
    const msg = slurmErrorText(stderr) || `exit code ${code}`;
    if (code === 127 || /command not found/.test(stderr)) {
      return new SlurmUnavailableError(`${cmd} is not on PATH on ${transport.where} (if Slurm's commands need a login shell there, enable the login-shell option)`, stderr);
    }
    if (CONTROLLER_UNREACHABLE.test(stderr)) {
      return new SlurmUnavailableError(`slurmctld is not answering on ${transport.where}: ${msg}`, stderr);
    }
    return new SlurmUnavailableError(`${cmd} failed on ${transport.where}: ${msg}`, stderr);
  }

  return {
    transport,
    async submit(script) {
      const r = await exec(['sbatch', '--parsable'], script);
      if (r.code !== 0) {
        const text = slurmErrorText(r.stderr);
        // "Batch job submission failed: Unable to contact slurm controller (connect failure)" is about
        // slurmctld, not the job: no field of the spec is wrong.
        if (CONTROLLER_UNREACHABLE.test(r.stderr)) {
          throw new SlurmUnavailableError(`could not reach the Slurm controller from ${transport.where}: ${text || `exit code ${r.code}`}`, r.stderr);
        }
        if (r.code === 127) throw unavailable('sbatch', r.stderr, r.code);
        throw new SlurmSubmitError(text || `sbatch exited with code ${r.code}`, specPathFor(text));
      }
      // --parsable prints "jobid" or "jobid;cluster".
      const id = /^(\d+)/.exec(r.stdout.trim());
      if (!id) throw new SlurmSubmitError(`sbatch printed no job id: ${r.stdout.trim() || slurmErrorText(r.stderr)}`);
      return id[1];
    },
    async queue() {
      const r = await exec(['squeue', '--noheader', '--me', '--states=all', `--format=${SQUEUE_FORMAT}`]);
      if (r.code !== 0) throw unavailable('squeue', r.stderr, r.code);
      return parseSqueue(r.stdout);
    },
    async showJob(jobId) {
      const r = await exec(['scontrol', 'show', 'job', '-o', jobId]);
      if (r.code !== 0) {
        if (/Invalid job id specified/.test(r.stderr)) return undefined;
        throw unavailable('scontrol', r.stderr, r.code);
      }
      return parseScontrolJob(r.stdout);
    },
    hasAccounting() {
      accounting ??= exec(['sacct', '--noheader', '--parsable2', '-X', '--starttime=now', '--format=JobIDRaw']).then(
        (r) => r.code === 0 && !/accounting storage is disabled/i.test(r.stdout + r.stderr),
        () => false,
      );
      return accounting;
    },
    async sacct(jobIds) {
      if (!jobIds.length) return [];
      const r = await exec(['sacct', '--noheader', '--parsable2', '-X', `--jobs=${jobIds.join(',')}`, `--format=${SACCT_FORMAT}`]);
      if (r.code !== 0) throw unavailable('sacct', r.stderr, r.code);
      return parseSacct(r.stdout);
    },
    async cancel(jobId) {
      const r = await exec(['scancel', jobId]);
      if (r.code !== 0) throw unavailable('scancel', r.stderr, r.code);
    },
    async mkdirp(dir) {
      const r = await exec(['mkdir', '-p', '--', dir]);
      if (r.code !== 0) throw new SlurmUnavailableError(`could not create ${dir} on ${transport.where}: ${r.stderr.trim()}`);
    },
    async now() {
      const r = await exec(['date', '+%s']);
      const s = Number(r.stdout.trim());
      if (r.code !== 0 || !Number.isSafeInteger(s)) throw new SlurmUnavailableError(`\`date\` failed on ${transport.where}: ${r.stderr.trim() || r.stdout.trim().slice(0, 80)}`);
      return s;
    },
    async stat(paths) {
      if (!paths.length) return new Map();
      const r = await exec(['stat', '-c', '%Y %s %n', '--', ...paths]);
      // Exit status 1 when some path is missing; the others are still printed.
      if (r.code > 1) throw new SlurmUnavailableError(`\`stat\` failed on ${transport.where}: ${r.stderr.trim() || `exit code ${r.code}`}`);
      return parseStat(r.stdout, paths);
    },
  };
}

/**
 * `stat -c '%Y %s %n'` lines → stamps by path. Only the paths asked for are kept (a name with a
 * newline in it cannot be told apart and counts as missing).
 */
export function parseStat(stdout: string, paths: string[]): Map<string, FileStamp> {
  const asked = new Set(paths);
  const out = new Map<string, FileStamp>();
  for (const line of stdout.split('\n')) {
    const a = line.indexOf(' ');
    const b = line.indexOf(' ', a + 1);
    if (a <= 0 || b <= a + 1) continue;
    const mtimeS = Number(line.slice(0, a));
    const size = Number(line.slice(a + 1, b));
    const name = line.slice(b + 1);
    if (Number.isSafeInteger(mtimeS) && Number.isSafeInteger(size) && asked.has(name)) out.set(name, { mtimeS, size });
  }
  return out;
}

/** How Slurm's commands say that slurmctld did not answer (connect failure, timeout, refused socket). */
const CONTROLLER_UNREACHABLE = /Unable to contact slurm controller|Socket timed out|Connection refused|Zero Bytes were transmitted/i;

/** `sbatch: error: Batch job submission failed: X` lines → "Batch job submission failed: X". */
export function slurmErrorText(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.replace(/^(sbatch|squeue|scontrol|scancel|sacct|srun): (error|fatal): /, '').trim())
    .filter(Boolean)
    .join('\n');
}

/** Where in the specs an sbatch rejection most likely points. */
function specPathFor(message: string): SlurmSubmitError['specPath'] {
  if (/partition/i.test(message)) return { doc: 'cluster', path: ['spec', 'scheduler', 'partition'] };
  if (/account/i.test(message)) return { doc: 'cluster', path: ['spec', 'scheduler', 'account'] };
  if (/qos/i.test(message)) return { doc: 'cluster', path: ['spec', 'scheduler', 'qos'] };
  if (/reservation/i.test(message)) return { doc: 'cluster', path: ['spec', 'scheduler', 'reservation'] };
  if (/feature|constraint/i.test(message)) return { doc: 'cluster', path: ['spec', 'scheduler', 'constraint'] };
  if (/time limit/i.test(message)) return { doc: 'job', path: ['spec', 'timeLimit'] };
  if (/memory/i.test(message)) return { doc: 'job', path: ['spec', 'resources', 'memory'] };
  if (/node configuration is not available|gres|gpu/i.test(message)) return { doc: 'job', path: ['spec', 'resources'] };
  return undefined;
}
