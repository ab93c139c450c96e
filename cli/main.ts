// `gantry` — the command-line adapter over the core. Each subcommand lives in cli/commands/<name>.ts
// and exports `run(argv): Promise<number>` (the exit code: 0 ok, 1 findings/failure, 2 bad usage).
//
// This entry is small on purpose. `gantry server` loads dist/server.js, the very bundle VS Code runs,
// and nothing else; every other command loads dist/cli-commands.js (cli/commands/index.ts). A
// language server for another editor then holds neither the code nor the source text of the run,
// Slurm and estimate commands.
import * as path from 'node:path';
import type { commands as Commands } from './commands/index';
import { run as runServer, summary as serverSummary } from './commands/server';

/** A sibling bundle of dist/cli.js, loaded when it is needed. */
function sibling<T>(file: string): T {
  return require(path.join(__dirname, file)) as T;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'server') {
    // The server's V8 flags (package.json gantry.serverNodeFlags) make code interpreted: right for a
    // long-lived, mostly idle server, five times slower for a batch `gantry check`. So the bin starts
    // with plain `node` and only `gantry server` re-runs itself with the flags.
    const missing = SERVER_NODE_FLAGS.filter((f) => !process.execArgv.includes(f));
    if (missing.length) return respawn([...process.execArgv, ...SERVER_NODE_FLAGS, __filename, ...argv]);
    return runServer(rest, () => sibling('server.js'));
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { commands } = sibling<{ commands: typeof Commands }>('cli-commands.js');
  const usage = `usage: gantry <command> [options]

commands:
${Object.entries({ ...commands, server: { summary: serverSummary } })
  .map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run 'gantry <command> --help' for a command's options.`;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage + '\n');
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`gantry: unknown command '${name}'\n\n${usage}\n`);
    return 2;
  }
  return cmd.run(rest);
}

/** Runs this bin again as a child with `args`, passing stdio through; resolves to its exit code. */
function respawn(args: string[]): Promise<number> {
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

declare const VERSION: string;
declare const SERVER_NODE_FLAGS: string[];
main(process.argv.slice(2)).then(
  (code) => {
    // The language server keeps the process alive itself; it never resolves.
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gantry: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
