// `gantry server --stdio`: the same language server, for Neovim, Helix, Emacs and other LSP clients.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../../server/server';

export const summary = 'run the language server over stdio (for any LSP client)';

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: gantry server --stdio [--debounce-ms N]\n');
    return 0;
  }
  if (!argv.includes('--stdio')) {
    process.stderr.write('gantry server: only --stdio is supported\nusage: gantry server --stdio\n');
    return 2;
  }
  const i = argv.indexOf('--debounce-ms');
  const debounceMs = i >= 0 ? Number(argv[i + 1]) : undefined;
  startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout), { debounceMs: Number.isFinite(debounceMs) ? debounceMs : undefined });
  // The connection keeps the process alive until the client sends exit.
  return new Promise<number>(() => undefined);
}
