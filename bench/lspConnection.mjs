// A language server child process for the benches (coldOpen, monorepo, bigDocument), driven over
// vscode-jsonrpc (what the unit tests use, test/unit/server/lsp.test.ts) instead of hand-written
// Content-Length framing. The client side of LSP that these benches need and no more: requests,
// notifications, every notification from the server to listeners, answers to the server's requests
// (workspace/configuration from the given settings, anything else null), and a clean
// shutdown/exit so that a server run with --cpu-prof writes its profile.
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

/** Resolves with `p`, or with undefined after `ms`; the timer does not outlive the race. */
function within(p, ms) {
  let timer;
  return Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}

/**
 * Spawns `command args` with stdin/stdout as the LSP stream.
 * options.stderr: 'ignore' (default), 'inherit' or 'pipe' (then read `proc.stderr`); options.env: the child's environment;
 * options.settings: the object whose sections answer workspace/configuration (a missing section, or no settings: null).
 * `startedAt` is performance.now() just after the spawn.
 * @param {string} command
 * @param {string[]} args
 * @param {{ stderr?: 'ignore' | 'inherit' | 'pipe', env?: NodeJS.ProcessEnv, settings?: Record<string, unknown> }} [options]
 */
export function startServer(command, args, { stderr = 'ignore', env, settings } = {}) {
  const proc = spawn(command, args, { stdio: ['pipe', 'pipe', stderr], env });
  const startedAt = performance.now();
  // vscode-jsonrpc's writer waits for each write's callback (the pipe taking the bytes) before the
  // next, the body's after the header's: while the server is in a long synchronous slice with its
  // pipe full (a 60 KB didOpen), a request sent then reaches it a slice later than the bytes were
  // written (bigDocument's hover round trip: 21-23 ms -> 28 ms, loaded machine). The benches time the
  // server, as they did with their own framing: writes go into the child's stdin at once, Node buffers them.
  const stdin = new Writable({
    write(chunk, _encoding, callback) {
      proc.stdin.write(chunk);
      callback();
    },
    final(callback) {
      proc.stdin.end();
      callback();
    },
  });
  proc.stdin.on('error', (error) => stdin.destroy(error));
  proc.stdin.on('close', () => stdin.destroy());
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(stdin));
  const listeners = new Set();
  const emit = (method, params) => {
    for (const f of listeners) f(method, params);
  };
  conn.onNotification(emit);
  // vscode-jsonrpc keeps $/progress from the catch-all handler; the benches see it like any other notification.
  conn.onUnhandledProgress((params) => emit('$/progress', params));
  conn.onRequest((method, /** @type {any} */ params) => (method === 'workspace/configuration' ? (params?.items ?? []).map((it) => settings?.[it.section] ?? null) : null));
  conn.listen();
  const exited = new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', resolve)));
  // null or undefined params: none in the message (vscode-jsonrpc would send a lone null as [null]).
  const withParams = (send, method, params) => (params === undefined || params === null ? send(method) : send(method, params));
  return {
    proc,
    startedAt,
    /** Resolves to the response's result. */
    request: (method, params) => withParams(conn.sendRequest, method, params),
    notify: (method, params) => withParams(conn.sendNotification, method, params),
    /** Calls `listener(method, params)` for every notification from the server; returns a function that stops it. */
    onNotification(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** shutdown (waited for up to `timeoutMs`), exit, then up to `timeoutMs` for the process to end before it is killed. */
    async shutdown({ timeoutMs = 2000 } = {}) {
      try {
        await within(conn.sendRequest('shutdown'), timeoutMs);
        await conn.sendNotification('exit');
      } catch {
        // the server is already gone
      }
      await within(exited, timeoutMs);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill();
      conn.dispose();
    },
    /** Kills the process at once (a bench that gives up on it). */
    kill() {
      proc.kill();
      conn.dispose();
    },
  };
}
