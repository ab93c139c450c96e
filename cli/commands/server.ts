// `gantry server --stdio`: the language server for Neovim, Helix, Emacs and other LSP clients. It runs
// dist/server.js, the same bundle VS Code's client starts (server/main.ts reads --stdio and
// --debounce-ms from the command line).
import { parseCommandArgs } from '../args';

export const summary = 'run the language server over stdio (for any LSP client)';

const USAGE = 'usage: gantry server --stdio [--debounce-ms N]';

/** `start` loads the server bundle; from dist/cli.js that is the sibling dist/server.js. */
export async function run(argv: string[], start: () => unknown): Promise<number> {
  // --clientProcessId is one of the LSP's conventional launch arguments (clients add it on their own);
  // vscode-languageserver reads it from process.argv.
  const a = parseCommandArgs(argv, { stdio: { type: 'boolean' }, 'debounce-ms': { type: 'string' }, clientProcessId: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (!('error' in a) && a.values.help) {
    process.stdout.write(`${USAGE}\n\nexit status: 0 after the client sends shutdown and exit, 1 exit without shutdown or the client went away (LSP), 2 bad usage\n`);
    return 0;
  }
  if ('error' in a) {
    process.stderr.write(`gantry server: ${a.error}\n${USAGE}\n`);
    return 2;
  }
  if (!a.values.stdio || a.positionals.length) {
    process.stderr.write(`gantry server: only --stdio is supported\n${USAGE}\n`);
    return 2;
  }
  start();
  // The connection keeps the process alive until the client sends exit.
  return new Promise<number>(() => undefined);
}
