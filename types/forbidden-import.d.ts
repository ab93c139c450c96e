// What a runtime's tsconfig maps a package it must not import to ("paths"): core imports neither
// vscode nor the LSP packages, and the server, the CLI and the webview do not import vscode. The
// import then resolves to this empty module, so any use of it fails to compile ("has no exported
// member"). A path that does not exist would not do: tsc falls back to node_modules for it.
export type ForbiddenImport = 'this runtime must not import this package (see its tsconfig.json)';
