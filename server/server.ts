import type { Connection } from 'vscode-languageserver/node';

export function startServer(connection: Connection): void {
  connection.onInitialize(() => ({ capabilities: {} }));
  connection.listen();
}
