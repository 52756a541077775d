import { join } from 'node:path';
import type { BackendPlugin } from '@backendkit/core';
import { HTTP2_APP_PROTOCOLS, HTTP_PROTOCOL_OPTIONS_KEY, HTTP_PROTOCOL_OPTIONS_TYPE, http2Plugin, wantsHttp2 } from '@backendkit/http2';
import { kubernetesPlugin } from '@backendkit/kubernetes';
import { builtinPlugins } from '@backendkit/preset';
import { staticPlugin } from '@backendkit/static';
import { assertStrictEnvoy, expectGolden, goldenCases, runTranslation } from '@backendkit/testing';
import { typeUrl, upstreamHttp } from '@backendkit/xds-types';
import { http1Plugin, http2TuningPlugin, idleTimeoutPlugin } from './plugins';

const base = (): BackendPlugin[] => [staticPlugin(), kubernetesPlugin(), http2Plugin()];

// Both output shapes: `<name>.golden.json` (current) and `<name>.legacy.golden.json` (clusterShape: 'legacy').
describe.each(['current', 'legacy'] as const)('http2 golden files (%s shape)', (clusterShape) => {
  for (const c of goldenCases(join(__dirname, 'fixtures'), clusterShape === 'legacy' ? { variant: 'legacy' } : {})) {
    test(c.name, () => {
      const { output } = runTranslation(c.input, { plugins: base(), clusterShape, file: `${c.name}.yaml` });
      assertStrictEnvoy(output);
      expectGolden(c.goldenFile, output);
    });
  }
});

/** Which test plugin each merge fixture adds to the built-in ones. */
const mergePlugins: Record<string, () => BackendPlugin> = {
  'idle-timeout': () => idleTimeoutPlugin(),
  'http1-conflict': http1Plugin,
  'http2-tuning': http2TuningPlugin,
};

describe('merging with other plugins (golden files)', () => {
  const cases = goldenCases(join(__dirname, 'merge'));
  test('every merge fixture has a plugin', () => expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(mergePlugins).sort()));
  for (const c of cases) {
    test(c.name, () => {
      const { output } = runTranslation(c.input, { plugins: [...base(), mergePlugins[c.name]!()], file: `${c.name}.yaml` });
      assertStrictEnvoy(output);
      expectGolden(c.goldenFile, output);
    });
  }
});

const grpcBackend = `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: grpc, namespace: default}
spec:
  static:
    hosts: [{host: 192.0.2.30, port: 50051}]
    appProtocol: grpc
`;

describe('merge semantics', () => {
  test('http2 and another plugin land in ONE HttpProtocolOptions message, whatever the plugin order', () => {
    const orders = [
      [idleTimeoutPlugin(), ...base()],
      [...base(), idleTimeoutPlugin()],
    ];
    const outputs = orders.map((plugins) => {
      const { result, output } = runTranslation(grpcBackend, { plugins });
      expect(result.diagnostics).toEqual([]);
      assertStrictEnvoy(output);
      return output.clusters[0]!;
    });
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]!.typedExtensionProtocolOptions).toEqual({
      [HTTP_PROTOCOL_OPTIONS_KEY]: {
        '@type': HTTP_PROTOCOL_OPTIONS_TYPE,
        commonHttpProtocolOptions: { idleTimeout: '60s' },
        explicitHttpConfig: { http2ProtocolOptions: {} },
      },
    });
  });

  test('explicit HTTP/1.1 from another plugin is a merge-conflict naming both plugins, and no cluster', () => {
    const { result } = runTranslation(grpcBackend, { plugins: [...base(), http1Plugin()] });
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    const [conflict] = result.diagnostics;
    expect(conflict).toMatchObject({ severity: 'error', code: 'merge-conflict', plugin: 'test/http1' });
    expect(conflict!.message).toContain('"@backendkit/http2"');
    expect(conflict!.message).toContain('"test/http1"');
    expect(conflict!.message).toContain('explicitHttpConfig');
    expect(result.statuses[0]!.conditions[0]).toMatchObject({ status: 'False', reason: 'Invalid' });
  });
});

describe('kubernetes.io/ws', () => {
  test('stays on the translation result and changes no cluster field', () => {
    const ws = runTranslation(grpcBackend.replace('appProtocol: grpc', 'appProtocol: kubernetes.io/ws'), { plugins: base() });
    const none = runTranslation(grpcBackend.replace('    appProtocol: grpc\n', ''), { plugins: base() });
    expect(ws.result.diagnostics).toEqual([]);
    expect(ws.result.targets).toEqual([
      {
        resource: { kind: 'Backend', namespace: 'default', name: 'grpc' },
        clusterName: 'backend_default_grpc_0',
        typeKey: 'static',
        appProtocol: 'kubernetes.io/ws',
        valid: true,
      },
    ]);
    expect(none.result.targets[0]!.appProtocol).toBeUndefined();
    expect(ws.output.clusters).toEqual(none.output.clusters);
  });

  test('a Service port with kubernetes.io/ws keeps it on its target too', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: chat}\nspec:\n  ports: [{name: ws, port: 80, appProtocol: kubernetes.io/ws}]\n';
    const { result, output } = runTranslation(text, { plugins: base() });
    expect(result.targets.map((t) => [t.clusterName, t.appProtocol])).toEqual([['kube_default_chat_80', 'kubernetes.io/ws']]);
    expect(output.clusters[0]!.typedExtensionProtocolOptions).toBeUndefined();
  });
});

describe('wantsHttp2', () => {
  test.each([...HTTP2_APP_PROTOCOLS, 'HTTP2', 'Grpc', 'GRPC-WEB', 'Kubernetes.io/H2C'])('%s → HTTP/2', (p) => expect(wantsHttp2(p)).toBe(true));
  test.each([undefined, '', 'kubernetes.io/ws', 'http', 'https', 'h2', 'h2c', 'http/2', ' grpc', 'grpc '])('%j → unchanged', (p) =>
    expect(wantsHttp2(p)).toBe(false),
  );
});

describe('registration', () => {
  test("the type URL is the generated schema's", () => {
    expect(HTTP_PROTOCOL_OPTIONS_TYPE).toBe(typeUrl(upstreamHttp.HttpProtocolOptionsSchema));
    expect(HTTP_PROTOCOL_OPTIONS_KEY).toBe(upstreamHttp.HttpProtocolOptionsSchema.typeName);
  });

  test('the preset registers the http2 plugin', () => {
    expect(builtinPlugins().map((p) => p.name)).toContain('@backendkit/http2');
    expect(builtinPlugins().map((p) => p.name)).toContain('@backendkit/kubernetes');
  });
});
