import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before use, so race-prone only in theory). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** What {@link httpGet} resolves. */
export interface HttpReply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A plain HTTP GET on 127.0.0.1, resolving status, body and headers (no retries). */
export function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${path} on port ${port} timed out`)));
    req.end();
  });
}

/** Polls `check` until it returns a value other than `undefined`, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A running Envoy started by a test. Always `stop()` it (in `afterAll`). */
export interface EnvoyProcess {
  adminPort: number;
  /** Everything Envoy logged so far. */
  log(): string;
  /** GET on the admin interface (`/clusters`, `/config_dump`, …). */
  admin(path: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts Envoy on a bootstrap (proto3 JSON) whose admin listens on `adminPort` at 127.0.0.1, and
 * resolves once the admin interface answers. Hot restart is off so several can run side by side.
 * `env` adds to the environment (instance metadata lookups are always off).
 */
export async function startEnvoy(envoy: string, bootstrap: unknown, adminPort: number, env: Record<string, string> = {}): Promise<EnvoyProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-envoy-'));
  const file = join(dir, 'bootstrap.json');
  writeFileSync(file, JSON.stringify(bootstrap));
  const child: ChildProcess = spawn(
    envoy,
    ['-c', file, '--disable-hot-restart', '--concurrency', '1', '--log-level', 'warning', '--base-id', String(adminPort)],
    // Envoy's AWS credential chain would ask the instance metadata service (a non-loopback address)
    // for credentials of a Lambda cluster without any: tests talk to 127.0.0.1 only.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', ...env } },
  );
  let output = '';
  let exited: number | null | undefined;
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<void>((resolve) => child.on('close', (code) => ((exited = code), resolve())));
  const admin = async (path: string): Promise<string> => {
    const res = await httpGet(adminPort, path);
    if (res.status !== 200) throw new Error(`admin ${path} answered ${res.status}: ${res.body}`);
    return res.body;
  };
  const stop = async (): Promise<void> => {
    if (exited === undefined) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await closed;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('Envoy admin', async () => {
      if (exited !== undefined) throw new Error(`Envoy exited (${exited}): ${output}`);
      // Any answer will do: /ready says 503 until the first CDS/LDS push, which is the test's job.
      return (await httpGet(adminPort, '/ready')).status > 0 ? true : undefined;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { adminPort, log: () => output, admin, stop };
}
