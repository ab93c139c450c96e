// esbuild plugins shared by the build (scripts/build.mjs) and the benchmarks that bundle a server the same way.

/**
 * vscode-jsonrpc and vscode-languageserver require `crypto` and `child_process` at load time for
 * features a stdio/IPC server never uses (random pipe names, resolving global node modules). Each
 * of those built-ins costs about 2 MB of resident memory once loaded, so in the bundles they are
 * required on first use instead.
 */
export const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?(crypto|child_process)$/ }, (args) => (/node_modules[\\/]vscode-(jsonrpc|languageserver)[\\/]/.test(args.importer) ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let m; const load = () => (m ??= require(${JSON.stringify('node:' + args.path)}));
module.exports = new Proxy({}, { get: (_, k) => load()[k], has: (_, k) => k in load(), ownKeys: () => Reflect.ownKeys(load()), getOwnPropertyDescriptor: (_, k) => Object.getOwnPropertyDescriptor(load(), k) });`,
      loader: 'js',
    }));
  },
};

/**
 * The `yaml` package's parser and composer test `process.env.LOG_TOKENS` and `LOG_STREAM` (its own
 * debugging switches) once per token and once per document. Reading `process.env` is a call into
 * the C++ environment, not a property load: on 3,000 spec files it was about a quarter of the parse
 * (docs/performance.md). In the bundles yaml's `process` is this thread's process with an empty `env`
 * of its own, so those switches are off; everything else (emitWarning) is the real process's.
 */
export const yamlEnv = {
  name: 'yaml-env',
  setup(build) {
    build.onResolve({ filter: /^(node:)?process$/ }, (args) => (/node_modules[\\/]yaml[\\/]/.test(args.importer) ? { path: 'process', namespace: 'yaml-process' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'yaml-process' }, () => ({
      contents: 'module.exports = { env: {}, emitWarning: (...a) => process.emitWarning(...a) };',
      loader: 'js',
    }));
  },
};
