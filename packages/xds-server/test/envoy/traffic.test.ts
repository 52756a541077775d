// Traffic through a real Envoy 1.40 fed over ADS (docs/envoy.md): static and HTTP/2 Backends,
// a Backend edited between snapshots, and a cluster Envoy refuses.
import type { BackendPlugin } from '@backendkit/core';
import { createDefaultTranslator } from '@backendkit/preset';
import { envoyForTests, waitFor } from '@backendkit/testing/envoy';
import { CLUSTER_TYPE, snapshotFromTranslation, XdsServer, type XdsEvent } from '@backendkit/xds-server';
import { NODE_ID, startHarness, startUpstream, untilServedBy, type Harness, type Seen, type Upstream } from './harness';

const envoy = envoyForTests();

const staticBackend = (name: string, upstream: Upstream, appProtocol?: string) => `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: ${name}, namespace: default}
spec:
  static:
    hosts: [{host: ${upstream.host}, port: ${upstream.port}}]${appProtocol ? `\n    appProtocol: ${appProtocol}` : ''}
`;

(envoy ? describe : describe.skip)('traffic through Envoy', () => {
  let harness: Harness;
  const upstreams: Upstream[] = [];
  const translator = createDefaultTranslator({ allowLocalAddresses: true });
  const serve = (yaml: string, t = translator) => {
    const result = t.translateText(yaml, { file: 'input.yaml' });
    expect(result.diagnostics).toEqual([]);
    return harness.apply(snapshotFromTranslation(result));
  };
  const upstream = async (name: string, options?: { h2c?: boolean }) => {
    const u = await startUpstream(name, options);
    upstreams.push(u);
    return u;
  };

  beforeAll(async () => {
    harness = await startHarness(envoy!);
  });
  afterAll(async () => {
    await harness?.stop();
    await Promise.all(upstreams.map((u) => u.close()));
  });

  it('routes to a static Backend: a local HTTP server answers', async () => {
    const one = await upstream('one');
    await serve(staticBackend('one', one));
    const seen = await untilServedBy(harness, 'backend_default_one_0', 'one');
    expect(seen).toEqual({ upstream: 'one', httpVersion: '1.1', path: '/' });
  });

  it.each(['http2', 'kubernetes.io/h2c', 'grpc'])('speaks HTTP/2 to the upstream for appProtocol %s', async (appProtocol) => {
    const h2 = await upstream(`h2-${appProtocol}`, { h2c: true });
    const name = `h2-${appProtocol.replace(/\W/g, '')}`;
    await serve(staticBackend(name, h2, appProtocol));
    const seen = await untilServedBy(harness, `backend_default_${name}_0`, h2.name);
    expect(seen.httpVersion).toBe('2.0');
  });

  it('switches upstream when the Backend is edited between snapshots', async () => {
    const [before, after] = [await upstream('before'), await upstream('after')];
    await serve(staticBackend('moving', before));
    await untilServedBy(harness, 'backend_default_moving_0', 'before');
    await serve(staticBackend('moving', after));
    // Envoy's admin lists the new host for the cluster...
    await waitFor('admin /clusters to show the new host', async () =>
      (await harness.envoy.admin('/clusters')).includes(`backend_default_moving_0::127.0.0.1:${after.port}::`) ? true : undefined,
    );
    // ...and the requests go there.
    expect(await untilServedBy(harness, 'backend_default_moving_0', 'after')).toMatchObject({ upstream: 'after' });
    const admin = await harness.envoy.admin('/clusters');
    expect(admin).not.toContain(`backend_default_moving_0::127.0.0.1:${before.port}::`);
  });

  it('reports the NACK of a cluster Envoy refuses, with its message, and keeps the previous version', async () => {
    const kept = await upstream('kept');
    await serve(staticBackend('refused', kept));
    await untilServedBy(harness, 'backend_default_refused_0', 'kept');
    // A plugin whose cluster passes the schema but not Envoy: HttpProtocolOptions without an upstream protocol.
    const refusing: BackendPlugin = {
      name: 'test/no-upstream-protocol',
      extend: () => ({
        cluster: {
          typedExtensionProtocolOptions: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
              commonHttpProtocolOptions: { idleTimeout: '30s' },
            },
          },
        },
      }),
    };
    const before = harness.events.length;
    await serve(staticBackend('refused', kept), createDefaultTranslator({ allowLocalAddresses: true, plugins: [refusing] }));
    const nack = harness.events.slice(before).find((e) => e.kind === 'nack');
    expect(nack).toMatchObject({ kind: 'nack', typeUrl: CLUSTER_TYPE, nodeId: 'e2e' });
    const message = nack?.kind === 'nack' ? nack.errorDetail.message : '';
    expect(message).toContain('backend_default_refused_0');
    expect(message).toContain('upstream_protocol_options');
    const res = await harness.request('backend_default_refused_0');
    expect([res.status, (JSON.parse(res.body) as Seen).upstream]).toEqual([200, 'kept']);
  });

  // Last: it shuts the harness's server down.
  it('keeps routing when the xDS server shuts down, and reconnects to the next one', async () => {
    const steady = await upstream('steady');
    await serve(staticBackend('steady', steady));
    await untilServedBy(harness, 'backend_default_steady_0', 'steady');
    const snapshot = harness.server.cache.getSnapshot(NODE_ID)!;
    await harness.server.close();
    expect(harness.server.streamCount()).toBe(0);
    const res = await harness.request('backend_default_steady_0');
    expect([res.status, (JSON.parse(res.body) as Seen).upstream]).toEqual([200, 'steady']);

    const next = new XdsServer();
    const events: XdsEvent[] = [];
    next.onEvent((e) => events.push(e));
    try {
      await next.listen(harness.xdsPort);
      next.cache.setSnapshot(NODE_ID, snapshot);
      await waitFor('Envoy to reconnect and ACK', async () =>
        events.some((e) => e.kind === 'ack' && e.typeUrl === CLUSTER_TYPE && e.version === snapshot.typeVersion(CLUSTER_TYPE)) ? true : undefined,
      );
      expect(events[0]).toMatchObject({ kind: 'stream-open', nodeId: NODE_ID });
      await untilServedBy(harness, 'backend_default_steady_0', 'steady');
    } finally {
      await next.close();
    }
  });
});
