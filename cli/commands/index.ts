// The table of subcommands. Add one line per command file.
import * as check from './check';
import * as server from './server';

export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  check,
  server,
};
