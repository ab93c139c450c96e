// A real Prometheus (Debian's `prometheus` package) on loopback, scraping two dcgm-exporter replays
// (test/prometheus/dcgm-replay.mjs: node-1 and node-2, 8 GPUs each, replayed values), started by the
// tests on free ports with a config they write, and stopped by PID. A second Prometheus with basic
// auth gives a real 401 for the wrong-token case. Waits poll with a deadline that only catches hangs.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const HANG_MS = 120_000;
const repoRoot = path.resolve(__dirname, '../../..');
export const prometheusBin = process.env.GANTRY_PROMETHEUS || 'prometheus';
/** Why these tests cannot run here, or undefined. */
export const skipReason = spawnSync(prometheusBin, ['--version'], { stdio: 'ignore' }).status === 0 ? undefined : `no ${prometheusBin} on PATH (apt-get install prometheus; scripts/test.d/60-prometheus.sh does)`;

export interface Stack {
  url: string;
  /** A Prometheus that wants basic auth: a bearer token gets 401. */
  securedUrl: string;
  hosts: string[];
  dir: string;
  stop(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function waitForLine(child: ChildProcess, want: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`${what}: no "${want}" within ${HANG_MS / 1000} s: ${out.slice(-500)}`)), HANG_MS);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(want)) {
        clearTimeout(t);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`${what} exited (${code}): ${out.slice(-500)}`));
    });
  });
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', () => resolve(0));
  });
}

async function waitReady(port: number, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + HANG_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${fs.readFileSync(log, 'utf8').slice(-1000)}`);
    const status = await get(`http://127.0.0.1:${port}/-/ready`);
    if (status === 200 || status === 401) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('prometheus did not become ready');
}

function startPrometheus(dir: string, port: number, targets: string[], webConfig?: string): ChildProcess {
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const cfg = ['global: { scrape_interval: 1s, evaluation_interval: 1s }', 'scrape_configs:', '  - job_name: dcgm', '    static_configs:', `      - targets: [${targets.map((t) => `"${t}"`).join(', ')}]`, ''].join('\n');
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), cfg);
  const args = [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  if (webConfig) {
    fs.writeFileSync(path.join(dir, 'web.yml'), webConfig);
    args.push(`--web.config.file=${path.join(dir, 'web.yml')}`);
  }
  const log = fs.openSync(path.join(dir, 'prometheus.log'), 'w');
  const child = spawn(prometheusBin, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  fs.writeFileSync(path.join(dir, 'prometheus.pid'), String(child.pid));
  return child;
}

export async function startStack(): Promise<Stack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-prom-'));
  const children: ChildProcess[] = [];
  const stop = () => {
    for (const c of children) if (c.pid && c.exitCode === null) c.kill('SIGTERM');
  };
  try {
    const hosts = ['node-1', 'node-2'];
    const targets: string[] = [];
    for (const host of hosts) {
      const port = await freePort();
      const c = spawn(process.execPath, [path.join(repoRoot, 'test/prometheus/dcgm-replay.mjs'), String(port), host, '8'], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(c);
      await waitForLine(c, `listening ${port}`, `dcgm replay ${host}`);
      targets.push(`127.0.0.1:${port}`);
    }
    const port = await freePort();
    const prom = startPrometheus(path.join(dir, 'open'), port, targets);
    children.push(prom);
    const securedPort = await freePort();
    // bcrypt of a test-only password: the client sends a bearer token, so Prometheus answers 401.
    const secured = startPrometheus(path.join(dir, 'secured'), securedPort, targets, 'basic_auth_users:\n  gantry: $2b$04$w9KnDs.xUnSgCSpk9rjfReRNob63nxXERFYFXFdgOD2luHqpSpWF6\n');
    children.push(secured);
    await waitReady(port, prom, path.join(dir, 'open', 'prometheus.log'));
    await waitReady(securedPort, secured, path.join(dir, 'secured', 'prometheus.log'));
    return { url: `http://127.0.0.1:${port}`, securedUrl: `http://127.0.0.1:${securedPort}`, hosts, dir, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

/** Polls `f` until it returns a value, with a deadline that only catches hangs. */
export async function eventually<T>(f: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + HANG_MS;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
