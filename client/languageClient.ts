// The language client: runs dist/server.js in a Node process over IPC for YAML documents (the
// server itself decides which are Gantry's) and forwards file-watcher events for YAML and
// config.json files, so a job is re-checked when the Cluster it names changes on disk.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export function getLanguageClient(): LanguageClient | undefined {
  return client;
}

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    // The same V8 flags as `gantry server --stdio` (package.json gantry.serverNodeFlags).
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const config = vscode.workspace.getConfiguration('gantry');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'yaml', scheme: 'file' },
      { language: 'yaml', scheme: 'untitled' },
    ],
    // `configurationSection` sends gantry.* settings on change (gantry.clusterFolders re-scopes Clusters).
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json}'), configurationSection: 'gantry' },
    initializationOptions: { debounceMs: config.get<number>('validation.debounceMs', 0), clusterFolders: config.get<string[]>('clusterFolders', []) },
    diagnosticCollectionName: 'gantry',
  };
  client = new LanguageClient('gantry', 'Gantry Language Server', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  return client;
}

declare const SERVER_NODE_FLAGS: readonly string[];
