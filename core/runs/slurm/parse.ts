// Parsers for the text that Slurm 22.05's commands print, and the mapping of Slurm's job states onto
// Gantry's. Text formats are used on purpose: `squeue --json` ignores -j/-t in 22.05, `scontrol`
// has no --json there, and `sacct --json` reports FAILED jobs' exit codes as 0. The unit tests feed
// these functions output recorded from a real slurmctld (test/unit/slurm/fixtures).
import type { RunState } from '../types';

/** One delimiter-separated row per job; the reason goes last because it is free text. */
export const SQUEUE_FORMAT = '%i|%T|%B|%N|%r';
export const SQUEUE_FIELDS = 5;

export interface SqueueRow {
  jobId: string;
  state: string; // Slurm's long form: PENDING, RUNNING, COMPLETED…
  batchHost?: string;
  nodeList?: string;
  reason?: string;
}

export function parseSqueue(text: string): SqueueRow[] {
  const rows: SqueueRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const parts = line.split('|');
    if (parts.length < SQUEUE_FIELDS) continue;
    const [jobId, state, batchHost, nodeList, ...rest] = parts;
    rows.push({
      jobId: jobId.trim(),
      state: state.trim(),
      batchHost: orUndefined(batchHost),
      nodeList: orUndefined(nodeList),
      reason: orUndefined(rest.join('|')),
    });
  }
  return rows;
}

/**
 * `scontrol show job -o ID`: one line of Key=Value pairs separated by spaces, where values may
 * themselves contain spaces (JobName, paths). A value runs to the next ` Key=` of a known key;
 * for a key seen twice the last occurrence wins, because the only free text before the fields we
 * read is JobName, which comes first.
 */
export function parseScontrolJob(text: string): Record<string, string> {
  const line = text.replace(/\n\s*/g, ' ').trim();
  const keyRe = /(?:^| )([A-Za-z][A-Za-z0-9_/:.]*)=/g;
  const marks: { key: string; start: number; valueStart: number }[] = [];
  for (let m: RegExpExecArray | null; (m = keyRe.exec(line)); ) {
    if (!SCONTROL_KEYS.has(m[1]) && marks.length) continue;
    marks.push({ key: m[1], start: m.index, valueStart: m.index + m[0].length });
  }
  const out: Record<string, string> = {};
  marks.forEach((mark, i) => {
    const end = i + 1 < marks.length ? marks[i + 1].start : line.length;
    out[mark.key] = line.slice(mark.valueStart, end);
  });
  return out;
}

// Keys of `scontrol show job` in 22.05 (a key not listed here is read as part of the previous value).
const SCONTROL_KEYS = new Set(
  (
    'JobId JobName UserId GroupId MCS_label Priority Nice Account QOS JobState Reason Dependency Requeue Restarts ' +
    'BatchFlag Reboot ExitCode DerivedExitCode RunTime TimeLimit TimeMin SubmitTime EligibleTime AccrueTime StartTime ' +
    'EndTime Deadline SuspendTime SecsPreSuspend LastSchedEval Scheduler Partition AllocNode:Sid ReqNodeList ' +
    'ExcNodeList NodeList BatchHost NumNodes NumCPUs NumTasks CPUs/Task ReqB:S:C:T TRES Socks/Node NtasksPerN:B:S:C ' +
    'CoreSpec MinCPUsNode MinMemoryNode MinMemoryCPU MinTmpDiskNode Features DelayBoot OverSubscribe Contiguous ' +
    'Licenses Network Command WorkDir StdErr StdIn StdOut Power TresPerNode TresPerJob TresPerTask CpusPerTres ' +
    'MemPerTres Reservation Comment AdminComment ArrayJobId ArrayTaskId HetJobId HetJobOffset MailUser MailType ' +
    'Container ContainerID NtasksPerTRES TresPerSocket'
  ).split(' '),
);

export interface SacctRow {
  jobId: string;
  state: string; // e.g. FAILED, "CANCELLED by 1000"
  exitCode: string; // code:signal
  start?: string;
  end?: string;
}

export const SACCT_FORMAT = 'JobIDRaw,State,ExitCode,Start,End';

/** `sacct -X -n -P -o JobIDRaw,State,ExitCode,Start,End`: `|`-separated, one row per job. */
export function parseSacct(text: string): SacctRow[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.split('|'))
    .filter((p) => p.length >= 3)
    .map(([jobId, state, exitCode, start, end]) => ({ jobId: jobId.trim(), state: state.trim(), exitCode: exitCode.trim(), start: orUndefined(start), end: orUndefined(end) }));
}

// ---------------------------------------------------------------- states

export interface MappedState {
  state: RunState;
  reason?: string;
  exitCode?: number;
}

/** Slurm's job reasons a person may not know, in words (the code stays, in parentheses). */
const PENDING_REASONS: Record<string, string> = {
  Resources: 'waiting for resources',
  Priority: 'other jobs have priority',
  Dependency: 'waiting for a dependency',
  DependencyNeverSatisfied: 'a dependency can never be satisfied',
  BeginTime: 'waiting for its start time',
  JobHeldUser: 'held by the user',
  JobHeldAdmin: 'held by an administrator',
  PartitionNodeLimit: 'asks for more nodes than the partition allows',
  PartitionTimeLimit: 'asks for more time than the partition allows',
  PartitionConfig: 'the partition cannot run it as configured',
  PartitionDown: 'the partition is down',
  PartitionInactive: 'the partition is inactive',
  ReqNodeNotAvail: 'a requested node is not available',
  QOSMaxGRESPerUser: 'the QoS GPU limit per user is reached',
  QOSMaxJobsPerUserLimit: 'the QoS job limit per user is reached',
  AssocGrpGRES: 'the account GPU limit is reached',
  AssocMaxJobsLimit: 'the account job limit is reached',
  Reservation: 'waiting for its reservation',
  Licenses: 'waiting for licenses',
  BadConstraints: 'the constraints cannot be satisfied',
  Nodes_required_for_job_are_DOWN: 'required nodes are down',
};

export function describePendingReason(reason: string | undefined): string | undefined {
  if (!reason || reason === 'None') return undefined;
  const code = reason.split(/[,\s]/)[0];
  const words = PENDING_REASONS[code];
  return words ? `${words} (${reason})` : reason;
}

const SIGNALS: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM' };

/** Slurm's `code:signal` ExitCode: `3:0` → exit code 3; `0:9` → killed by signal 9 (SIGKILL). */
export function decodeExitCode(value: string | undefined): { exitCode?: number; signal?: number; text?: string } {
  const m = /^(\d+):(\d+)$/.exec((value ?? '').trim());
  if (!m) return {};
  const exitCode = Number(m[1]);
  const signal = Number(m[2]);
  if (signal) return { signal, text: `killed by signal ${signal}${SIGNALS[signal] ? ` (${SIGNALS[signal]})` : ''}` };
  return { exitCode, text: `exit code ${exitCode}` };
}

/**
 * Slurm state (+ reason, + ExitCode when known) → Gantry state. `state` may carry sacct's suffixes
 * (`CANCELLED by 1000`) or squeue's short forms' long names.
 */
export function mapSlurmState(slurmState: string, reason?: string, exitCodeText?: string): MappedState {
  const [base, ...rest] = slurmState.trim().split(/\s+/);
  const state = base.replace(/\+$/, '');
  const exit = decodeExitCode(exitCodeText);
  switch (state) {
    case 'PENDING':
    case 'REQUEUED':
    case 'REQUEUE_HOLD':
    case 'REQUEUE_FED':
    case 'RESV_DEL_HOLD':
      return { state: 'pending', reason: describePendingReason(reason) ?? (state === 'PENDING' ? undefined : state) };
    case 'CONFIGURING':
      return { state: 'pending', reason: 'nodes are being configured (CONFIGURING)' };
    case 'RUNNING':
    case 'COMPLETING':
    case 'STAGE_OUT':
    case 'SIGNALING':
    case 'RESIZING':
      return { state: 'running' };
    case 'SUSPENDED':
    case 'STOPPED':
      return { state: 'running', reason: `${state.toLowerCase()} by Slurm` };
    case 'COMPLETED':
      return { state: 'succeeded', exitCode: 0 };
    case 'FAILED':
      return { state: 'failed', exitCode: exit.exitCode, reason: exit.text ?? (reason && reason !== 'None' ? reason : 'failed') };
    case 'CANCELLED':
      return { state: 'cancelled', reason: rest.length ? `cancelled ${rest.join(' ')}` : 'cancelled' };
    case 'TIMEOUT':
      return { state: 'timeout', reason: 'time limit reached (TIMEOUT)' };
    case 'NODE_FAIL':
      return { state: 'failed', exitCode: exit.exitCode || undefined, reason: 'a node of the job failed (NODE_FAIL)' };
    case 'OUT_OF_MEMORY':
      return { state: 'failed', exitCode: exit.exitCode || undefined, reason: 'out of memory: a process was killed by the OOM killer (OUT_OF_MEMORY)' };
    case 'BOOT_FAIL':
      return { state: 'failed', reason: 'a node failed to boot (BOOT_FAIL)' };
    case 'DEADLINE':
      return { state: 'timeout', reason: 'the job reached its deadline (DEADLINE)' };
    case 'PREEMPTED':
      return { state: 'failed', reason: 'preempted by a higher-priority job (PREEMPTED)' };
    case 'SPECIAL_EXIT':
      return { state: 'failed', exitCode: exit.exitCode, reason: 'special exit (SPECIAL_EXIT)' };
    case 'REVOKED':
      return { state: 'cancelled', reason: 'revoked by a federated cluster (REVOKED)' };
    default:
      return { state: 'lost', reason: `unknown Slurm state ${slurmState}` };
  }
}

/** True once Slurm will not change the job's state any more. */
export function isSlurmFinal(slurmState: string): boolean {
  const s = slurmState.trim().split(/\s+/)[0].replace(/\+$/, '');
  return ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED', 'SPECIAL_EXIT', 'REVOKED'].includes(s);
}

// ---------------------------------------------------------------- host lists

/** Slurm's compressed host list → names: `node[01-03,7],gpu5` → node01 node02 node03 node7 gpu5. */
export function expandHostList(list: string | undefined): string[] {
  if (!list || list === '(null)' || list === 'None assigned') return [];
  const out: string[] = [];
  for (const token of splitOutsideBrackets(list)) {
    const m = /^([^[]*)\[([^\]]+)\](.*)$/.exec(token);
    if (!m) {
      if (token) out.push(token);
      continue;
    }
    // One bracket group per name, as Slurm prints for the usual prefix + number names.
    const [, prefix, ranges, suffix] = m;
    for (const range of ranges.split(',')) {
      const [a, b = a] = range.split('-');
      for (let n = Number(a); n <= Number(b); n++) out.push(`${prefix}${String(n).padStart(a.length, '0')}${suffix}`);
    }
  }
  return out;
}

function splitOutsideBrackets(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function orUndefined(s: string | undefined): string | undefined {
  const t = s?.trim();
  return !t || t === 'n/a' || t === '(null)' || t === 'N/A' ? undefined : t;
}
