import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import type { KubeObject } from '@backendkit/core';
import { EC2_INSTANCE_SOURCE, parseDescribeInstances, staticInstanceSource } from '@backendkit/aws-ec2';
import { createDefaultTranslator } from '@backendkit/preset';
import { findEnvoy, freePort, startEnvoy } from '@backendkit/testing/envoy';
import { discovery } from '@backendkit/xds-types';
import { adsService, CLUSTER_TYPE, ENDPOINT_TYPE, envoyBootstrap, snapshotFromTranslation, XdsServer, type XdsEvent } from '@backendkit/xds-server';
import { generate, KINDS } from './generate';

/**
 * `pnpm bench` (xDS line): N Backends served over ADS, then one Backend changes; the time from the
 * change to the ACK of the new clusters — by a real Envoy (state of the world and delta) when one
 * is installed, and by a plain grpc-js client that ACKs at once. Only kinds whose clusters Envoy
 * loads without network traffic (IP hosts, EDS): no DNS names, no Lambda. See docs/performance.md.
 */
const n = Number(process.argv[2] ?? 10_000);
const ROUNDS = 5;
const kinds = KINDS.filter((k) => ['static-ip', 'kubernetes', 'aws-ec2'].includes(k.name));
const workload = generate(n, kinds);
const instances = parseDescribeInstances(JSON.stringify({ Reservations: [{ Instances: workload.instances }] }), 'bench');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;
const staticBackends = workload.objects.flatMap((o, i) => (o.kind === 'Backend' && (o.spec as { static?: unknown }).static ? [i] : []));

type Acker = { name: string; start(port: number): Promise<{ stop(): Promise<void> }> };

/** A client that asks for every cluster and every assignment it is told of, and ACKs each response at once. */
function clientAcker(): Acker {
  return {
    name: 'client',
    async start(port) {
      const Client = grpc.makeGenericClientConstructor(adsService, 'AggregatedDiscoveryService');
      // Envoy's default HTTP/2 stream window for xDS is 256 MiB; grpc-js's is 64 KiB, which would time
      // grpc-js's flow-control round trips rather than the server (docs/performance.md, "From a change to Envoy's ACK").
      const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': -1,
        'grpc-node.flow_control_window': 256 * 1024 * 1024,
      });
      const call = (
        client as unknown as { StreamAggregatedResources(): grpc.ClientDuplexStream<discovery.DiscoveryRequest, discovery.DiscoveryResponse> }
      ).StreamAggregatedResources();
      call.on('error', () => undefined);
      let edsNames: string[] = [];
      call.on('data', (r: discovery.DiscoveryResponse) => {
        call.write(
          create(discovery.DiscoveryRequestSchema, {
            typeUrl: r.typeUrl,
            versionInfo: r.versionInfo,
            responseNonce: r.nonce,
            resourceNames: r.typeUrl === ENDPOINT_TYPE ? edsNames : [],
          }),
        );
      });
      call.write(create(discovery.DiscoveryRequestSchema, { node: { id: 'bench' }, typeUrl: CLUSTER_TYPE }));
      edsNames = [];
      return {
        async stop() {
          call.cancel();
          client.close();
        },
      };
    },
  };
}

function envoyAcker(binary: string, delta: boolean): Acker {
  return {
    name: delta ? 'envoyDelta' : 'envoySotw',
    async start(port) {
      const adminPort = await freePort();
      const bootstrap = envoyBootstrap({ xdsAddress: `127.0.0.1:${port}`, nodeId: 'bench', adminPort, listenerPort: 0, delta });
      return startEnvoy(binary, bootstrap, adminPort);
    },
  };
}

async function measure(acker: Acker): Promise<Record<string, number>> {
  const translator = createDefaultTranslator({ provide: [[EC2_INSTANCE_SOURCE, staticInstanceSource(instances)]] });
  const server = new XdsServer({ grpcOptions: { 'grpc.max_send_message_length': -1 } });
  const events: XdsEvent[] = [];
  const waiting = new Set<() => void>();
  server.onEvent((e) => {
    events.push(e);
    for (const check of [...waiting]) check();
  });
  const port = await server.listen(0);
  const acked = (type: string, version: string) => events.some((e) => e.kind === 'ack' && e.typeUrl === type && e.version === version);
  const nacked = () => events.find((e) => e.kind === 'nack');
  let objects: KubeObject[] = workload.objects;
  const startLoad = performance.now();
  const first = snapshotFromTranslation(translator.translate(objects));
  // Envoy first, then its 20,000 clusters: a busy Envoy would not answer the harness's admin check.
  const running = await acker.start(port);
  server.cache.setSnapshot('bench', first);
  // Resolved from the event itself: polling would add up to its interval to every figure.
  const until = (version: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no ACK of ${version} in 120 s`)), 120_000);
      const finish = (error?: Error) => {
        waiting.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        const refused = nacked();
        if (refused) finish(new Error(`NACK: ${refused.kind === 'nack' ? refused.errorDetail.message : ''}`));
        else if (acked(CLUSTER_TYPE, version)) finish();
      };
      waiting.add(check);
      check();
    });
  try {
    await until(first.typeVersion(CLUSTER_TYPE));
    const initialMs = performance.now() - startLoad;
    const totals: number[] = [];
    const translates: number[] = [];
    const snapshots: number[] = [];
    const acks: number[] = [];
    const sets: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const index = staticBackends[Math.floor(((r + 0.5) * staticBackends.length) / ROUNDS)]!;
      const copy = structuredClone(objects[index]!);
      (copy.spec as { static: { hosts: { port: number }[] } }).static.hosts[0]!.port = 9000 + r;
      objects = objects.map((o, i) => (i === index ? copy : o));
      const t0 = performance.now();
      const result = translator.translate(objects);
      const t1 = performance.now();
      const snapshot = snapshotFromTranslation(result);
      const t2 = performance.now();
      server.cache.setSnapshot('bench', snapshot);
      // setSnapshot checks the snapshot and writes the response to grpc-js before it returns.
      sets.push(performance.now() - t2);
      await until(snapshot.typeVersion(CLUSTER_TYPE));
      const t3 = performance.now();
      translates.push(t1 - t0);
      snapshots.push(t2 - t1);
      acks.push(t3 - t2);
      totals.push(t3 - t0);
    }
    return {
      initialLoadMs: round(initialMs),
      changeToAckMs: round(median(totals)),
      translateMs: round(median(translates)),
      snapshotMs: round(median(snapshots)),
      pushToAckMs: round(median(acks)),
      // Of which the server's own synchronous part; the rest is HTTP/2 transfer, the receiver's decoding and its ACK.
      setSnapshotMs: round(median(sets)),
      // The server's own part: everything after the translator returned.
      snapshotPlusPushMs: round(median(acks.map((a, i) => a + snapshots[i]!))),
    };
  } finally {
    await running.stop();
    await server.close();
  }
}

async function main(): Promise<void> {
  const envoy = findEnvoy();
  const ackers = [clientAcker(), ...(envoy ? [envoyAcker(envoy, false), envoyAcker(envoy, true)] : [])];
  const line: Record<string, unknown> = { xds: 'one Backend changed, until the ACK of the new clusters', n, backends: workload.counts, rounds: ROUNDS };
  for (const acker of ackers) line[acker.name] = await measure(acker);
  if (!envoy) line.envoy = 'not installed: run `pnpm envoy:install` for the Envoy figures';
  console.log(JSON.stringify(line));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
