// What the operating system says about a pid: its start time (to tell our process from a later one
// that reused the pid after a reboot or a long gap) and the members of a process group.
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';

/** A stable string for when `pid` started, or undefined when no such process exists. */
export function processStartTime(pid: number): string | undefined {
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 2 (comm) may hold spaces and parentheses; the fields after the last ')' are fixed.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return rest[19]; // field 22, starttime in clock ticks since boot
    } catch {
      return undefined;
    }
  }
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

/** The pids whose process group is `pgid` (zombies excluded). */
export function groupMembers(pgid: number): number[] {
  if (process.platform === 'linux') {
    const out: number[] = [];
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (rest[0] !== 'Z' && Number(rest[2]) === pgid) out.push(Number(name));
      } catch {
        /* exited while we looked */
      }
    }
    return out;
  }
  try {
    const out = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => Number(f[1]) === pgid && !f[2]?.startsWith('Z'))
      .map((f) => Number(f[0]));
  } catch {
    return [];
  }
}

/** Sends `signal` to the process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
