// One way to run Slurm's commands, two implementations: on this machine (the extension runs on a
// login node) or on a login host over SSH. Every feature of the backend goes through this
// interface, so both paths behave the same. Commands are argv arrays; only the SSH transport turns
// them into a string, because ssh sends one to the remote shell (shJoin, tested in quote.test.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { shJoin, shQuote } from './quote';

export interface ExecOptions {
  stdin?: string;
  /** Hard limit: the command is killed and the promise rejects with a TransportError('timeout'). */
  timeoutMs: number;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StreamProcess {
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves when the process has ended (after kill() too); never rejects. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends the command (over SSH: the remote command too). Idempotent. */
  kill(): void;
}

export interface CommandTransport {
  readonly kind: 'local' | 'ssh';
  /** Where commands run, in words: "this machine", "alice@login1:22". */
  readonly where: string;
  exec(argv: string[], opts: ExecOptions): Promise<ExecResult>;
  /** A long-lived command whose output is read as it comes (tail -F, the GPU sampler). */
  spawnStream(argv: string[]): StreamProcess;
  dispose(): Promise<void>;
}

export type TransportErrorKind = 'timeout' | 'unreachable' | 'auth' | 'host-key' | 'not-found' | 'failed';

/** The command could not be run at all, or did not finish in time: the message is for a person. */
export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** Runs a local process with argv, collects its output, kills it at the deadline. */
function run(file: string, args: string[], opts: ExecOptions & { cwd?: string; env?: NodeJS.ProcessEnv; label: string }): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(file, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      reject(new TransportError('failed', `could not start ${file}: ${(e as Error).message}`));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    const collect = (into: Buffer[]) => (b: Buffer) => {
      bytes += b.length;
      if (bytes <= MAX_OUTPUT_BYTES) into.push(b);
    };
    child.stdout!.on('data', collect(out));
    child.stderr!.on('data', collect(err));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
    }, opts.timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? new TransportError('not-found', `${file} was not found on ${opts.label}`) : new TransportError('failed', `could not run ${file} on ${opts.label}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(new TransportError('timeout', `\`${args.length ? `${file} …` : file}\` on ${opts.label} did not finish within ${Math.round(opts.timeoutMs / 100) / 10} s`, stderr.trim()));
      } else resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin!.on('error', () => {}); // the command may exit without reading its input
    child.stdin!.end(opts.stdin ?? '');
  });
}

function wrapChild(child: ChildProcess, onKill: () => void): StreamProcess {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', () => resolve({ code: null, signal: null }));
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  let killed = false;
  return {
    stdout: child.stdout!,
    stderr: child.stderr!,
    exited,
    kill() {
      if (killed) return;
      killed = true;
      onKill();
    },
  };
}

// ---------------------------------------------------------------- local

export interface LocalTransportOptions {
  /** Where sbatch runs, and so what relative output paths are relative to. Default the home directory. */
  cwd?: string;
  /** Added to this process's environment (tests set SLURM_CONF). */
  env?: Record<string, string>;
}

export function createLocalTransport(options: LocalTransportOptions = {}): CommandTransport {
  const cwd = options.cwd ?? os.homedir();
  const env = { ...process.env, ...options.env };
  const children = new Set<ChildProcess>();
  return {
    kind: 'local',
    where: 'this machine',
    exec: (argv, opts) => run(argv[0], argv.slice(1), { ...opts, cwd, env, label: 'this machine' }),
    spawnStream(argv) {
      const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      child.on('exit', () => children.delete(child));
      return wrapChild(child, () => child.kill('SIGTERM'));
    },
    async dispose() {
      for (const c of children) c.kill('SIGTERM');
    },
  };
}

// ---------------------------------------------------------------- ssh

export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
  identityFile?: string;
  proxyJump?: string;
}

export interface SshTransportOptions {
  /** TCP connect + handshake limit, seconds (ssh's ConnectTimeout). Default 10. */
  connectTimeoutS?: number;
  /** Extra ssh options before the host, e.g. ['-F', configFile] in tests. Never a password. */
  sshArgs?: string[];
  /** The ssh executable. Default `ssh` from PATH. */
  sshPath?: string;
  /**
   * Run remote commands in a login shell (`bash -lc`), for sites where Slurm's commands are only on
   * PATH after /etc/profile. Off by default: a login shell may print banners into the output.
   */
  loginShell?: boolean;
}

/**
 * ssh to the Cluster's login host with one shared connection (ControlMaster) for every call. The
 * control socket lives in a private temporary directory; BatchMode=yes means a key from the
 * user's ssh config or agent, or a clear "authentication failed" — never a password prompt.
 */
export function createSshTransport(target: SshTarget, options: SshTransportOptions = {}): CommandTransport {
  const ssh = options.sshPath ?? 'ssh';
  const connectTimeoutS = options.connectTimeoutS ?? 10;
  const where = `${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
  const controlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-ssh-'));
  fs.chmodSync(controlDir, 0o700);
  const controlPath = path.join(controlDir, 'cm');
  const common = [
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${connectTimeoutS}`,
    '-o',
    `ControlPath=${controlPath}`,
    '-o',
    'ServerAliveInterval=10',
    '-o',
    'ServerAliveCountMax=3',
    ...(target.port ? ['-p', String(target.port)] : []),
    ...(target.user ? ['-l', target.user] : []),
    ...(target.identityFile ? ['-i', target.identityFile] : []),
    ...(target.proxyJump ? ['-J', target.proxyJump] : []),
    ...(options.sshArgs ?? []),
  ];
  if (target.host.startsWith('-')) throw new TransportError('failed', `"${target.host}" is not a host name`);
  let master: Promise<void> | undefined;
  let masterPid: number | undefined;
  const streams = new Set<ChildProcess>();
  let disposed = false;

  const remote = (argv: string[]) => {
    const cmd = shJoin(argv);
    return options.loginShell ? `bash -lc ${shQuote(cmd)}` : cmd;
  };

  /** Starts the shared connection once; concurrent callers wait for the same attempt. */
  function ensureMaster(timeoutMs: number): Promise<void> {
    if (masterPid !== undefined && isAlive(masterPid)) return Promise.resolve();
    if (master) return master;
    const errFile = path.join(controlDir, 'master.err');
    master = (async () => {
      // -f: ssh goes to the background once authenticated, so its exit tells us the outcome. Its
      // stderr goes to a file: the background master would otherwise hold our pipe open.
      const errFd = fs.openSync(errFile, 'w');
      const child = spawn(ssh, [...common, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=no', '-f', '-N', '--', target.host], {
        stdio: ['ignore', 'ignore', errFd],
      });
      fs.closeSync(errFd);
      const outcome = await new Promise<{ code: number | null; error?: NodeJS.ErrnoException; timedOut?: boolean }>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve({ code: null, timedOut: true });
        }, timeoutMs);
        child.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          resolve({ code: null, error });
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code });
        });
      });
      const stderr = safeRead(errFile);
      if (outcome.error) {
        throw outcome.error.code === 'ENOENT' ? new TransportError('not-found', 'the ssh client was not found on this machine (install OpenSSH)') : new TransportError('failed', `could not start ssh: ${outcome.error.message}`);
      }
      if (outcome.timedOut) throw new TransportError('timeout', `no answer from ${where} within ${Math.round(timeoutMs / 1000)} s`, stderr);
      if (outcome.code !== 0) throw classifySshFailure(where, stderr);
      const check = await run(ssh, [...common, '-O', 'check', '--', target.host], { timeoutMs: 5000, label: 'this machine' });
      const pid = /pid=(\d+)/.exec(check.stderr + check.stdout);
      masterPid = pid ? Number(pid[1]) : undefined;
    })().finally(() => {
      master = undefined;
    });
    return master;
  }

  return {
    kind: 'ssh',
    where,
    async exec(argv, opts) {
      if (disposed) throw new TransportError('failed', 'the SSH connection was closed');
      const t0 = Date.now();
      await ensureMaster(Math.max(1000, opts.timeoutMs));
      const left = Math.max(500, opts.timeoutMs - (Date.now() - t0));
      const r = await run(ssh, [...common, '-o', 'ControlMaster=no', '--', target.host, remote(argv)], { ...opts, timeoutMs: left, label: where });
      // 255 is ssh's own failure (it cannot tell us apart from a remote exit 255, so look at stderr).
      if (r.code === 255 && isSshFailure(r.stderr)) throw classifySshFailure(where, r.stderr);
      return r;
    },
    spawnStream(argv) {
      // The remote command ends when this side closes the channel: the wrapper waits for EOF on its
      // stdin (our pipe) and then kills the command, so nothing is left running on the login host.
      const wrapped = ['sh', '-c', 'exec 3<&0; "$@" </dev/null & p=$!; (cat <&3 >/dev/null 2>&1; kill "$p" 2>/dev/null) >/dev/null 2>&1 & w=$!; exec 3<&-; wait "$p"; r=$?; kill "$w" 2>/dev/null; exit "$r"', 'gantry-stream', ...argv];
      const child = spawn(ssh, [...common, '-o', 'ControlMaster=no', '--', target.host, remote(wrapped)], { stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdin!.on('error', () => {});
      streams.add(child);
      child.on('exit', () => streams.delete(child));
      return wrapChild(child, () => {
        child.stdin!.end();
        setTimeout(() => child.kill('SIGTERM'), 2000).unref();
      });
    },
    async dispose() {
      disposed = true;
      for (const c of streams) {
        c.stdin?.end();
        c.kill('SIGTERM');
      }
      if (masterPid !== undefined) {
        await run(ssh, [...common, '-O', 'exit', '--', target.host], { timeoutMs: 5000, label: 'this machine' }).catch(() => undefined);
        if (isAlive(masterPid)) {
          try {
            process.kill(masterPid, 'SIGTERM');
          } catch {
            /* already gone */
          }
        }
        masterPid = undefined;
      }
      fs.rmSync(controlDir, { recursive: true, force: true });
    },
  };
}

const SSH_FAILURE = /^(ssh: |kex_exchange_identification|Connection (closed|reset|timed out)|.*Permission denied \(|Host key verification failed|.*Could not resolve hostname|ssh_exchange_identification|.*port \d+: )/m;

function isSshFailure(stderr: string): boolean {
  return SSH_FAILURE.test(stderr);
}

/** ssh's stderr → a message a person can act on. */
export function classifySshFailure(where: string, stderr: string): TransportError {
  const detail = stderr.trim();
  if (/Permission denied \(/.test(detail) || /Too many authentication failures/.test(detail)) {
    return new TransportError('auth', `authentication to ${where} failed: no key from your ssh config or agent was accepted (Gantry never asks for a password)`, detail);
  }
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(detail)) {
    return new TransportError('host-key', `the host key of ${where} is unknown or changed: connect once with ssh in a terminal to check and accept it`, detail);
  }
  if (/Could not resolve hostname/.test(detail)) return new TransportError('unreachable', `${where}: unknown host name`, detail);
  if (/Connection refused/.test(detail)) return new TransportError('unreachable', `${where} refused the connection (is sshd running on that port?)`, detail);
  if (/timed out|Connection timed out|banner exchange/.test(detail)) return new TransportError('unreachable', `${where} did not answer (timed out)`, detail);
  if (/No route to host|Network is unreachable/.test(detail)) return new TransportError('unreachable', `${where} is unreachable: ${lastLine(detail)}`, detail);
  return new TransportError('unreachable', `ssh to ${where} failed: ${lastLine(detail) || 'no message'}`, detail);
}

function lastLine(s: string): string {
  return s.trim().split('\n').pop() ?? '';
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
