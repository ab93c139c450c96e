// Typed getters for the gantry.runs.* settings.
import * as vscode from 'vscode';

const section = () => vscode.workspace.getConfiguration('gantry.runs');

export const runsConfig = {
  get confirmBeforeRun(): boolean {
    return section().get<boolean>('confirmBeforeRun', true);
  },
  /** A regex with named groups step, loss, lr, tokensPerSec for logs in a format Gantry does not know. */
  get logPattern(): string {
    return section().get<string>('logPattern', '');
  },
  get telemetryIntervalMs(): number {
    return Math.max(100, section().get<number>('telemetry.intervalMs', 1000));
  },
  /** argv that runs nvidia-smi; GANTRY_NVIDIA_SMI (a path) overrides it for tests and demos. */
  get telemetryCommand(): string[] {
    const env = process.env.GANTRY_NVIDIA_SMI;
    if (env) return [env];
    const cmd = section().get<string[]>('telemetry.command', ['nvidia-smi']);
    return Array.isArray(cmd) && cmd.length && cmd.every((a) => typeof a === 'string') ? cmd : ['nvidia-smi'];
  },
  get telemetryEnabled(): boolean {
    return section().get<boolean>('telemetry.enabled', true);
  },
  get cancelGraceSeconds(): number {
    return Math.max(0, section().get<number>('cancelGraceSeconds', 10));
  },
  get chartWindowMinutes(): number {
    return Math.max(1, section().get<number>('chartWindowMinutes', 5));
  },
};
