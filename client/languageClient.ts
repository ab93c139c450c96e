// The language client: runs dist/server.js in a Node process over IPC for YAML documents and the
// files foreign configs live in (the server itself decides which are Gantry's business) and forwards file-watcher events for YAML and
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
    // Gantry specs are YAML; foreign configs (core/formats) live in YAML, shell scripts, Dockerfiles,
    // JSON and TOML. The server looks at each such file once, cheaply, and leaves every file that no
    // reader claims alone (no diagnostics, no lenses).
    documentSelector: [
      { language: 'yaml', scheme: 'file' },
      { language: 'yaml', scheme: 'untitled' },
      { language: 'dockercompose', scheme: 'file' },
      { language: 'shellscript', scheme: 'file' },
      { language: 'dockerfile', scheme: 'file' },
      { language: 'json', scheme: 'file' },
      { language: 'jsonc', scheme: 'file' },
      { language: 'toml', scheme: 'file' },
      { scheme: 'file', pattern: '**/*.toml' },
    ],
    // `configurationSection` sends gantry.* settings on change (gantry.foreign.*, gantry.clusterFolders).
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json,toml,sh,bash,sbatch,slurm}'), configurationSection: 'gantry' },
    initializationOptions: { debounceMs: config.get<number>('validation.debounceMs', 0), foreign: config.get('foreign'), clusterFolders: config.get<string[]>('clusterFolders', []) },
    diagnosticCollectionName: 'gantry',
  };
  client = new LanguageClient('gantry', 'Gantry Language Server', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  return client;
}

declare const SERVER_NODE_FLAGS: readonly string[];
