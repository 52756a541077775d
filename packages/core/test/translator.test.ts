import { createTranslator, formatDiagnostic, type BackendPlugin, type TranslateContext } from '@backendkit/core';
import { staticPlugin } from '@backendkit/static';
import { assertStrictEnvoy, runTranslation } from '@backendkit/testing';
import { HTTP_OPTIONS, HTTP_OPTIONS_TYPE, backendYaml, featurePlugin, httpOptions, toyPlugin } from './toy-plugins';

const toyBackend = backendYaml('toy', 'toy: {address: 192.0.2.1, port: 7000}');
const staticBackend = backendYaml('web', 'static:\n  hosts: [{host: web.example.com, port: 80}]');

function errorsOf(output: { diagnostics: string[] }): string[] {
  return output.diagnostics.filter((d) => d.startsWith('error'));
}

describe('a custom type plugin', () => {
  test('is picked up and translated like a built-in one', () => {
    const { output } = runTranslation(toyBackend, { plugins: [staticPlugin(), toyPlugin] });
    assertStrictEnvoy(output);
    expect(output.clusters).toEqual([
      {
        name: 'backend_default_toy_0',
        type: 'STATIC',
        connectTimeout: '5s',
        loadAssignment: {
          clusterName: 'backend_default_toy_0',
          endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '192.0.2.1', portValue: 7000 } } } }] }],
        },
      },
    ]);
    expect(output.statuses[0]?.conditions).toEqual([{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Backend accepted' }]);
  });

  test('appears in the exactly-one message, in registration order', () => {
    const twoKeys = backendYaml('both', 'toy: {address: 192.0.2.1, port: 7000}\nstatic:\n  hosts: [{host: a.example.com, port: 80}]');
    const { output } = runTranslation(`${twoKeys}---\n${backendYaml('none', '{}')}`, { plugins: [staticPlugin(), toyPlugin] });
    expect(output.clusters).toEqual([]);
    expect(output.statuses.map((s) => s.conditions[0]?.message)).toEqual([
      'Backend error: "spec: exactly one of the fields in [static toy] must be set"',
      'Backend error: "spec: exactly one of the fields in [static toy] must be set"',
    ]);
  });

  test('its legacy spec.type is accepted and checked against the key', () => {
    const agree = backendYaml('agree', 'type: Toy\ntoy: {address: 192.0.2.1, port: 7000}');
    const disagree = backendYaml('disagree', 'type: Static\ntoy: {address: 192.0.2.1, port: 7000}');
    const { output } = runTranslation(`${agree}---\n${disagree}`, { plugins: [staticPlugin(), toyPlugin] });
    expect(output.clusters.map((c) => c.name)).toEqual(['backend_default_agree_0']);
    expect(output.statuses[1]?.conditions[0]?.message).toBe('Backend error: "spec.type: Static does not match the field that is set (toy)"');
  });

  test('its fragment merges with feature plugins, message-wise inside typed extension options', () => {
    const plugins: BackendPlugin[] = [
      toyPlugin,
      featurePlugin('test/buffers', { perConnectionBufferLimitBytes: 32768 }),
      featurePlugin('test/http2', httpOptions({ explicitHttpConfig: { http2ProtocolOptions: {} } })),
      featurePlugin('test/idle', httpOptions({ commonHttpProtocolOptions: { idleTimeout: '30s' } })),
    ];
    const { output } = runTranslation(toyBackend, { plugins });
    assertStrictEnvoy(output);
    expect(output.diagnostics).toEqual([]);
    const cluster = output.clusters[0]!;
    expect(cluster.perConnectionBufferLimitBytes).toBe(32768);
    expect(cluster.typedExtensionProtocolOptions).toEqual({
      [HTTP_OPTIONS]: {
        '@type': HTTP_OPTIONS_TYPE,
        commonHttpProtocolOptions: { idleTimeout: '30s' },
        explicitHttpConfig: { http2ProtocolOptions: {} },
      },
    });
  });

  test('equal values from two plugins are not a conflict, even when written differently', () => {
    const plugins = [toyPlugin, featurePlugin('test/a', { connectTimeout: '2s' }), featurePlugin('test/b', { connectTimeout: '2.000s' })];
    const { output } = runTranslation(toyBackend, { plugins });
    expect(output.diagnostics).toEqual([]);
    expect(output.clusters[0]?.connectTimeout).toBe('2s');
  });
});

describe('conflicting fragments', () => {
  test('a scalar set two ways is a conflict naming both plugins, and no cluster', () => {
    // The legacy shape puts dnsLookupFamily on the cluster, where a feature plugin can contradict it.
    const plugins = [staticPlugin(), featurePlugin('test/v6', { dnsLookupFamily: 'V6_ONLY' })];
    const { output } = runTranslation(staticBackend, { plugins, clusterShape: 'legacy' });
    expect(output.clusters).toEqual([]);
    expect(errorsOf(output)).toEqual([
      'error: input.yaml#0:1 Backend default/web: plugins "@backendkit/static" and "test/v6" disagree at cluster.dnsLookupFamily: "@backendkit/static" sets "V4_PREFERRED", "test/v6" sets "V6_ONLY"',
    ]);
    expect(output.statuses[0]?.conditions[0]).toMatchObject({ status: 'False', reason: 'Invalid' });
  });

  test('two members of one oneof are a conflict naming both plugins', () => {
    const plugins = [
      toyPlugin,
      featurePlugin('test/http2', httpOptions({ explicitHttpConfig: { http2ProtocolOptions: {} } })),
      featurePlugin('test/http1', httpOptions({ explicitHttpConfig: { httpProtocolOptions: {} } })),
    ];
    const { output } = runTranslation(toyBackend, { plugins });
    expect(output.clusters).toEqual([]);
    expect(errorsOf(output)).toEqual([
      `error: input.yaml#0:1 Backend default/toy: plugins "test/http2" and "test/http1" disagree at cluster.typedExtensionProtocolOptions["${HTTP_OPTIONS}"].explicitHttpConfig: "test/http2" sets http2ProtocolOptions, "test/http1" sets httpProtocolOptions: only one of them can be set`,
    ]);
  });

  test('a value written at its proto3 default still conflicts with a different one', () => {
    const plugins = [
      toyPlugin,
      featurePlugin('test/rr', { lbPolicy: 'ROUND_ROBIN', respectDnsTtl: false }),
      featurePlugin('test/lr', { lbPolicy: 'LEAST_REQUEST', respectDnsTtl: true }),
    ];
    const { output } = runTranslation(toyBackend, { plugins });
    expect(output.clusters).toEqual([]);
    expect(errorsOf(output).map((e) => e.replace(/^.*disagree at /, ''))).toEqual([
      'cluster.lbPolicy: "test/rr" sets "ROUND_ROBIN", "test/lr" sets "LEAST_REQUEST"',
      'cluster.respectDnsTtl: "test/rr" sets false, "test/lr" sets true',
    ]);
  });

  test('the cluster name belongs to core', () => {
    const { output } = runTranslation(toyBackend, { plugins: [toyPlugin, featurePlugin('test/rename', { name: 'mine' })] });
    expect(errorsOf(output)[0]).toContain('plugins "@backendkit/core" and "test/rename" disagree at cluster.name');
  });
});

describe('plugin mistakes become diagnostics', () => {
  test('a hook that throws', () => {
    const broken: BackendPlugin = {
      name: 'test/broken',
      extend: () => {
        throw new Error('boom');
      },
    };
    const { output } = runTranslation(toyBackend, { plugins: [toyPlugin, broken] });
    expect(output.clusters).toEqual([]);
    expect(errorsOf(output)).toEqual(['error: input.yaml#0:1 Backend default/toy: plugin failed: boom']);
  });

  test('a fragment that is not valid Envoy names its plugin', () => {
    const sloppy = featurePlugin('test/sloppy', { notAField: true } as never);
    const { result } = runTranslation(toyBackend, { plugins: [toyPlugin, sloppy] });
    expect(result.clusters).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'invalid-output', plugin: 'test/sloppy', message: expect.stringContaining('notAField') }),
    ]);
  });
});

describe('sources through the container', () => {
  const LABEL_SOURCE = Symbol('test.LabelSource');
  const labelled: BackendPlugin = {
    name: 'test/labelled',
    extend(_target, ctx: TranslateContext) {
      const port = ctx.resolve<() => number>(LABEL_SOURCE, () => () => 1000)();
      return { cluster: { perConnectionBufferLimitBytes: port } };
    },
  };

  test('the fallback serves when nothing is registered; a provided value wins', () => {
    const plain = createTranslator({ plugins: [toyPlugin, labelled] }).translateText(toyBackend);
    const provided = createTranslator({ plugins: [toyPlugin, labelled], provide: [[LABEL_SOURCE, () => 4242]] }).translateText(toyBackend);
    expect(plain.clusters[0]?.perConnectionBufferLimitBytes).toBe(1000);
    expect(provided.clusters[0]?.perConnectionBufferLimitBytes).toBe(4242);
  });
});

describe('Backends outside the type rules', () => {
  test('a spec that is not an object, and a Backend defined twice', () => {
    const notObject = 'apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: scalar}\nspec: 42\n';
    const { output } = runTranslation(`${notObject}---\n${staticBackend}---\n${staticBackend}`, { plugins: [staticPlugin()] });
    expect(output.clusters).toEqual([]);
    expect(output.diagnostics.map((d) => d.replace(/#\d+:\d+/, ''))).toEqual([
      'error: input.yaml Backend default/scalar: spec: must be an object',
      'error: input.yaml Backend default/web: Backend default/web is defined twice, at input.yaml:6:1 and at input.yaml:15:1: neither is translated',
    ]);
  });

  test('several errors are all listed in the status', () => {
    const bad = backendYaml('bad', 'static:\n  hosts: [{host: "", port: 0}]');
    const { result } = runTranslation(bad, { plugins: [staticPlugin()] });
    expect(result.statuses[0]?.conditions[0]?.message).toBe(
      'Backend has 2 errors: "spec.static.hosts[0].host: must not be empty" "spec.static.hosts[0].port: must be between 1 and 65535"',
    );
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'error: input.yaml#0:8 Backend default/bad: spec.static.hosts[0].host: must not be empty',
      'error: input.yaml#0:8 Backend default/bad: spec.static.hosts[0].port: must be between 1 and 65535',
    ]);
  });
});

describe('did you mean', () => {
  test('an unknown spec field close to a type key names it', () => {
    const { result } = runTranslation(backendYaml('typo', 'statc:\n  hosts: [{host: web.example.com, port: 80}]'), { plugins: [staticPlugin()] });
    expect(result.diagnostics.map((d) => [d.path, d.message])).toEqual([
      ['spec.statc', 'unknown field (did you mean static?)'],
      ['spec', 'exactly one of the fields in [static] must be set'],
    ]);
  });
});

describe('one fragment that sets a field twice', () => {
  // The common case joins one fragment without a set of taken fields; two members of a oneof, or
  // one field in both spellings, still go to the general path, which says what is wrong.
  const fragmentPlugin = (cluster: Record<string, unknown>): BackendPlugin => ({ ...toyPlugin, translate: () => ({ cluster }) }) as BackendPlugin;
  test.each([
    ['two members of a oneof', { type: 'STATIC', clusterType: { name: 'envoy.clusters.dns' } }],
    ['one field in both spellings', { type: 'STATIC', lbPolicy: 'RANDOM', lb_policy: 'MAGLEV' }],
  ])('%s: no cluster, and an error', (_what, cluster) => {
    const { output } = runTranslation(toyBackend, { plugins: [fragmentPlugin(cluster)] });
    expect(output.clusters).toEqual([]);
    expect(errorsOf(output)).toHaveLength(1);
    expect(errorsOf(output)[0]).toMatch(/is not valid Envoy configuration/);
  });
  test('two members of different oneofs: one cluster', () => {
    const { output } = runTranslation(toyBackend, { plugins: [fragmentPlugin({ type: 'STATIC', roundRobinLbConfig: {} })] });
    assertStrictEnvoy(output);
    expect(output.clusters).toEqual([{ name: 'backend_default_toy_0', type: 'STATIC', connectTimeout: '5s', roundRobinLbConfig: {} }]);
  });
});
