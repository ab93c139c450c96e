// The language server's entry when VS Code starts it (IPC) or another editor does (--stdio).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
