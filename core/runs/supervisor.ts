// The supervisor: a small Node program that the local backend starts detached (its own session and
// process group) to run the spec's processes. It outlives the window or CLI that started it, so a
// reload reattaches to it, and it records how each process ended in `exit.json`, which a process
// that is not the parent could not learn otherwise. It reads its orders from `launch.json` (argv
// arrays, env, log paths): no spec value ever passes through a shell.
//
// This file holds what the local backend and the supervisor share (the files' shapes, its exit
// codes); the program itself is supervisorMain.ts, bundled on its own as dist/supervisor.js and run
// as `node dist/supervisor.js <launch.json>`.

export interface LaunchFile {
  cwd: string;
  exitFile: string;
  /** Grace between SIGTERM and SIGKILL for processes left in the group after the command ended. */
  graceMs: number;
  /** Wall-clock limit from the supervisor's start: then SIGTERM to the group, graceMs, SIGKILL. */
  timeLimitMs?: number;
  ranks: { argv: string[]; env: Record<string, string>; stdout: string; stderr: string }[];
}

export interface RankExit {
  code: number | null;
  signal: string | null;
  /** Set when the process could not be started (command not found, bad working directory). */
  error?: string;
  /** Epoch ms it ended: the first rank to fail is the cause, the others were ended because of it. */
  at?: number;
}

export interface ExitFile {
  ranks: RankExit[];
  endedAt: number;
  /** Processes still in the group after the command ended (children that outlived it). */
  leftovers: number;
  /** The supervisor got SIGTERM (a cancel) while the command ran. */
  terminated: boolean;
  /** The time limit passed and the supervisor ended the command. */
  timedOut?: boolean;
  /** …and it had to use SIGKILL after the grace period. */
  killedAfterGrace?: boolean;
}

/** The supervisor's own exit codes when it could not write exit.json: how the command ended. */
export const SUPERVISOR_EXIT = { unrecordedSuccess: 10, unrecordedFailure: 11 } as const;
