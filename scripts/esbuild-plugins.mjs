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
