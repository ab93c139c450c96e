// The table of subcommands. Add one line per command file.
export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
};
