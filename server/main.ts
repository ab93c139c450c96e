// The language server's entry when VS Code starts it (IPC) or another editor does (`gantry server
// --stdio`, which loads this bundle). createConnection reads the transport from the command line.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const i = process.argv.indexOf('--debounce-ms');
const debounceMs = i >= 0 ? Number(process.argv[i + 1]) : undefined;
startServer(createConnection(ProposedFeatures.all), { debounceMs: Number.isFinite(debounceMs) ? debounceMs : undefined });
