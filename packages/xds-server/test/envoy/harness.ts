// One real Envoy per test file, fed by an in-process XdsServer (docs/envoy.md): the traffic tests
// push translations and send requests through Envoy's listener to backendkit's cluster names.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createH2cServer, type Http2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { freePort, httpGet, startEnvoy, waitFor, type EnvoyProcess } from '@backendkit/testing/envoy';
import {
  CLUSTER_HEADER,
  CLUSTER_TYPE,
  ENDPOINT_TYPE,
  envoyBootstrap,
  XdsServer,
  type BootstrapOptions,
  type Snapshot,
  type XdsEvent,
} from '@backendkit/xds-server';

export const NODE_ID = 'e2e';

export interface Harness {
  envoy: EnvoyProcess;
  server: XdsServer;
  events: XdsEvent[];
  listenerPort: number;
  /** The port the xDS server listens on (Envoy's bootstrap points there). */
  xdsPort: number;
  /** Sets the snapshot and waits until Envoy has ACKed (or NACKed) its CDS and EDS versions. */
  apply(snapshot: Snapshot): Promise<void>;
  /** GET through Envoy's listener to a cluster. */
  request(cluster: string, path?: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export async function startHarness(envoyBinary: string, options: { delta?: boolean; secrets?: BootstrapOptions['secrets'] } = {}): Promise<Harness> {
  const server = new XdsServer();
  const events: XdsEvent[] = [];
  server.onEvent((e) => events.push(e));
  const xdsPort = await server.listen(0);
  const [adminPort, listenerPort] = [await freePort(), await freePort()];
  const bootstrap = envoyBootstrap({
    xdsAddress: `127.0.0.1:${xdsPort}`,
    nodeId: NODE_ID,
    adminPort,
    listenerPort,
    delta: options.delta ?? false,
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  let envoy: EnvoyProcess;
  try {
    envoy = await startEnvoy(envoyBinary, bootstrap, adminPort);
  } catch (error) {
    await server.close();
    throw error;
  }
  const answered = (type: string, version: string) =>
    events.some((e) => (e.kind === 'ack' || e.kind === 'nack') && e.typeUrl === type && e.version === version);
  return {
    envoy,
    server,
    events,
    listenerPort,
    xdsPort,
    async apply(snapshot) {
      server.cache.setSnapshot(NODE_ID, snapshot);
      const wanted = [CLUSTER_TYPE, ...(snapshot.resources(ENDPOINT_TYPE).size > 0 ? [ENDPOINT_TYPE] : [])];
      await waitFor(`Envoy to answer ${snapshot.version}`, async () =>
        wanted.every((type) => answered(type, snapshot.typeVersion(type)) || lastAcked(events, type) === snapshot.typeVersion(type)) ? true : undefined,
      );
    },
    request: (cluster, path = '/') => httpGet(listenerPort, path, { [CLUSTER_HEADER]: cluster }),
    async stop() {
      await envoy.stop();
      await server.close();
    },
  };
}

function lastAcked(events: readonly XdsEvent[], type: string): string | undefined {
  const acks = events.filter((e): e is Extract<XdsEvent, { kind: 'ack' }> => e.kind === 'ack' && e.typeUrl === type);
  return acks.at(-1)?.version;
}

/** What an upstream saw of a request. */
export interface Seen {
  upstream: string;
  httpVersion: string;
  path: string;
}

export interface Upstream {
  name: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

function answer(name: string, req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void {
  const seen: Seen = { upstream: name, httpVersion: req.httpVersion, path: req.url ?? '' };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(seen));
}

/** An HTTP/1.1 server (or an h2c one: HTTP/2 without TLS) on `host` that says who it is. */
export async function startUpstream(name: string, options: { host?: string; port?: number; h2c?: boolean } = {}): Promise<Upstream> {
  const host = options.host ?? '127.0.0.1';
  const server: Server | Http2Server = options.h2c ? createH2cServer((req, res) => answer(name, req, res)) : createServer((req, res) => answer(name, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    name,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Requests through Envoy until one is answered by the wanted upstream (Envoy may still be warming). */
export async function untilServedBy(harness: Harness, cluster: string, upstream: string): Promise<Seen> {
  return waitFor(`${cluster} to reach ${upstream}`, async () => {
    const res = await harness.request(cluster);
    if (res.status !== 200) return undefined;
    const seen = JSON.parse(res.body) as Seen;
    return seen.upstream === upstream ? seen : undefined;
  });
}

/** Which upstreams answer `count` requests to a cluster. */
export async function spread(harness: Harness, cluster: string, count: number): Promise<Map<string, number>> {
  const hits = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const res = await harness.request(cluster);
    const name = res.status === 200 ? (JSON.parse(res.body) as Seen).upstream : `status ${res.status}`;
    hits.set(name, (hits.get(name) ?? 0) + 1);
  }
  return hits;
}
