// `gantry server --stdio`: the language server for Neovim, Helix, Emacs and other LSP clients. It runs
// dist/server.js, the same bundle VS Code's client starts (server/main.ts reads --stdio and
// --debounce-ms from the command line).
export const summary = 'run the language server over stdio (for any LSP client)';

/** `start` loads the server bundle; from dist/cli.js that is the sibling dist/server.js. */
export async function run(argv: string[], start: () => unknown): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: gantry server --stdio [--debounce-ms N]\n\nexit status: 0 after the client sends shutdown and exit, 1 exit without shutdown or the client went away (LSP), 2 bad usage\n');
    return 0;
  }
  if (!argv.includes('--stdio')) {
    process.stderr.write('gantry server: only --stdio is supported\nusage: gantry server --stdio\n');
    return 2;
  }
  start();
  // The connection keeps the process alive until the client sends exit.
  return new Promise<number>(() => undefined);
}
