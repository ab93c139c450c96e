// `gantry server --stdio` as an editor starts it (the bin re-runs itself with the server's V8 flags),
// driven over vscode-jsonrpc: initialized on one folder, every server request answered null.
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { repo } from '../helpers';

export interface LspServer {
  proc: ChildProcess;
  conn: MessageConnection;
  /** Resolves at the server's `gantry/indexed` (its first workspace scan ended). */
  indexed: Promise<void>;
  stop(): void;
}

/** Starts the server on `folder` (with `env` added to this process's) and sends initialize and initialized; `onPublish` gets every publishDiagnostics. */
export async function startLspServer<P>(folder: string, name: string, onPublish: (p: { uri: string } & P) => void = () => undefined, env?: Record<string, string>): Promise<LspServer> {
  const proc = spawn(repo('dist/cli.js'), ['server', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], ...(env ? { env: { ...process.env, ...env } } : {}) });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  conn.onNotification('textDocument/publishDiagnostics', onPublish);
  const indexed = new Promise<void>((resolve) => conn.onNotification('gantry/indexed', () => resolve()));
  conn.onRequest(() => null);
  conn.listen();
  const uri = pathToFileURL(folder).href;
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name }], capabilities: {} });
  conn.sendNotification('initialized', {});
  return {
    proc,
    conn,
    indexed,
    stop() {
      conn.dispose();
      proc.kill();
      // A server that has already gone leaves its pipes open in this process, which would then never exit.
      if (proc.exitCode !== null || proc.signalCode !== null) {
        proc.stdin?.destroy();
        proc.stdout?.destroy();
      }
    },
  };
}
