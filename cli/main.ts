// `gantry` — the command-line adapter over the core. Each subcommand lives in cli/commands/<name>.ts
// and exports `run(argv): Promise<number>` (the exit code: 0 ok, 1 findings/failure, 2 bad usage).
import { commands } from './commands/index';

const USAGE = `usage: gantry <command> [options]

commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

Run 'gantry <command> --help' for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`gantry: unknown command '${name}'\n\n${USAGE}\n`);
    return 2;
  }
  return cmd.run(rest);
}

declare const VERSION: string;
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`gantry: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
