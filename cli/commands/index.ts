// The table of subcommands. Add one line per command file.
import * as check from './check';
import * as server from './server';
import * as run from './run';
import * as ps from './ps';
import * as logs from './logs';
import * as cancel from './cancel';

export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  check,
  server,
  run,
  ps,
  logs,
  cancel,
};
