import { z } from 'zod';
import { createTranslator, definePlugin, type BackendPlugin, type EnvoyCluster, type Fragment } from '@backendkit/core';
import { edsCluster } from '@backendkit/core/helpers';
import { assertStrictEnvoy, runTranslation } from '@backendkit/testing';
import { CLUSTER, CLUSTER_LOAD_ASSIGNMENT, envoyMessage } from '../src/envoy-schema';
import { parseOverridePath } from '../src/overrides';
import { backendYaml } from './toy-plugins';

// docs/plugins.md, "Taking over the type plugin's fields".

const HOSTNAME_PATH = 'endpoints[].lbEndpoints[].endpoint.healthCheckConfig.hostname';

/** Two endpoints that name their own health check hostname, inline (STATIC) or as an EDS assignment. */
function endpoints(): Fragment['assignment'] {
  return {
    endpoints: [
      {
        lbEndpoints: [
          {
            endpoint: {
              address: { socketAddress: { address: '192.0.2.1', portValue: 80 } },
              hostname: 'a.example',
              healthCheckConfig: { hostname: 'a.example' },
            },
          },
          { endpoint: { address: { socketAddress: { address: '192.0.2.2', portValue: 80 } }, healthCheckConfig: { hostname: 'b.example', portValue: 81 } } },
        ],
      },
    ],
  };
}

const hosts = definePlugin({
  name: 'test/hosts',
  key: 'hosts',
  schema: z.strictObject({ eds: z.boolean().default(false) }),
  translate: (spec) =>
    spec.eds
      ? { cluster: edsCluster(), assignment: endpoints() }
      : { cluster: { type: 'STATIC', commonLbConfig: { localityWeightedLbConfig: {} }, loadAssignment: endpoints() } },
});

function feature(name: string, fragment: Fragment): BackendPlugin {
  return { name, extend: () => fragment };
}

const healthCheck = feature('test/health', {
  cluster: { healthChecks: [{ timeout: '1s', interval: '5s', unhealthyThreshold: 2, healthyThreshold: 1, httpHealthCheck: { host: 'h.example', path: '/' } }] },
  overrides: { cluster: [`loadAssignment.${HOSTNAME_PATH}`], assignment: [HOSTNAME_PATH] },
});

const inline = backendYaml('web', 'hosts: {}');
const eds = backendYaml('web', 'hosts: {eds: true}');

function clusterOf(output: { clusters: unknown[] }): EnvoyCluster {
  return output.clusters[0] as EnvoyCluster;
}

function errors(output: { diagnostics: string[] }): string[] {
  return output.diagnostics.filter((d) => d.startsWith('error'));
}

describe('a feature plugin taking over fields of the type plugin', () => {
  test('removes them from every endpoint of the inline loadAssignment, keeping the rest', () => {
    const { output } = runTranslation(inline, { plugins: [hosts, healthCheck] });
    assertStrictEnvoy(output);
    expect(output.diagnostics).toEqual([]);
    expect(clusterOf(output).loadAssignment?.endpoints).toEqual([
      {
        lbEndpoints: [
          { endpoint: { address: { socketAddress: { address: '192.0.2.1', portValue: 80 } }, hostname: 'a.example', healthCheckConfig: {} } },
          { endpoint: { address: { socketAddress: { address: '192.0.2.2', portValue: 80 } }, healthCheckConfig: { portValue: 81 } } },
        ],
      },
    ]);
    expect(output.clusters[0]?.healthChecks).toHaveLength(1);
  });

  test('removes them from an EDS assignment', () => {
    const { output } = runTranslation(eds, { plugins: [hosts, healthCheck] });
    assertStrictEnvoy(output);
    expect(output.diagnostics).toEqual([]);
    expect(output.assignments).toEqual([
      {
        clusterName: 'backend_default_web_0',
        endpoints: [
          {
            lbEndpoints: [
              { endpoint: { address: { socketAddress: { address: '192.0.2.1', portValue: 80 } }, hostname: 'a.example', healthCheckConfig: {} } },
              { endpoint: { address: { socketAddress: { address: '192.0.2.2', portValue: 80 } }, healthCheckConfig: { portValue: 81 } } },
            ],
          },
        ],
      },
    ]);
  });

  test("never changes the type plugin's fragment in place: a frozen one, translated twice, stays as it was", () => {
    const frozen = <T>(value: T): T => {
      if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) frozen(v);
      return Object.freeze(value);
    };
    const fragment = frozen({ cluster: { type: 'STATIC' as const, loadAssignment: endpoints() } });
    const before = JSON.stringify(fragment);
    const fixed = definePlugin({ name: 'test/fixed', key: 'hosts', schema: z.strictObject({}), translate: () => fragment });
    const translator = createTranslator({ plugins: [fixed, healthCheck] });
    const first = translator.translateText(inline);
    const second = translator.translateText(inline.replace('name: web', 'name: web2'));
    expect(first.diagnostics).toEqual([]);
    expect(second.clusters[0]?.loadAssignment?.endpoints).toEqual(first.clusters[0]?.loadAssignment?.endpoints);
    expect(first.clusters[0]?.loadAssignment?.endpoints?.[0]?.lbEndpoints?.[0]?.endpoint?.healthCheckConfig).toEqual({});
    expect(JSON.stringify(fragment)).toBe(before);
  });

  test('without the declaration the same plugin leaves them, so the hostname stays', () => {
    const { overrides: _, ...plain } = (healthCheck.extend as () => Fragment)();
    const { output } = runTranslation(inline, { plugins: [hosts, feature('test/health', plain)] });
    expect(clusterOf(output).loadAssignment?.endpoints?.[0]?.lbEndpoints?.[0]?.endpoint?.healthCheckConfig).toEqual({ hostname: 'a.example' });
  });

  test('may set a taken-over field anew, also another member of its oneof', () => {
    const zoneAware = feature('test/zones', {
      cluster: { commonLbConfig: { zoneAwareLbConfig: { minClusterSize: '3' }, healthyPanicThreshold: { value: 40 } } },
      overrides: { cluster: ['commonLbConfig.localityWeightedLbConfig'] },
    });
    const { output } = runTranslation(inline, { plugins: [hosts, zoneAware] });
    assertStrictEnvoy(output);
    expect(output.diagnostics).toEqual([]);
    expect(output.clusters[0]?.commonLbConfig).toEqual({ zoneAwareLbConfig: { minClusterSize: '3' }, healthyPanicThreshold: { value: 40 } });
  });

  test('two plugins taking over the same field agree', () => {
    const again = feature('test/again', { overrides: { cluster: [`loadAssignment.${HOSTNAME_PATH}`] } });
    const { output } = runTranslation(inline, { plugins: [hosts, healthCheck, again] });
    expect(output.diagnostics).toEqual([]);
    expect(clusterOf(output).loadAssignment?.endpoints?.[0]?.lbEndpoints?.[0]?.endpoint?.healthCheckConfig).toEqual({});
  });

  test('another feature plugin setting a taken-over field is a conflict naming both, and no cluster', () => {
    const keeper = feature('test/keeper', { cluster: { commonLbConfig: { localityWeightedLbConfig: {} } } });
    const taker = feature('test/taker', { cluster: { commonLbConfig: {} }, overrides: { cluster: ['commonLbConfig.localityWeightedLbConfig'] } });
    for (const plugins of [
      [hosts, taker, keeper],
      [hosts, keeper, taker],
    ]) {
      const { output } = runTranslation(inline, { plugins });
      expect(output.clusters).toEqual([]);
      expect(errors(output)).toEqual([
        'error: input.yaml#0:1 Backend default/web: plugins "test/taker" and "test/keeper" disagree at cluster.commonLbConfig.localityWeightedLbConfig: "test/taker" takes it over, "test/keeper" sets it',
      ]);
      expect(output.statuses[0]?.conditions[0]).toMatchObject({ status: 'False', reason: 'Invalid' });
    }
  });

  test('a path that does not fit the schema is an error of its plugin', () => {
    const wrong = feature('test/wrong', { overrides: { cluster: ['loadAssignment.endpoints.lbEndpoints'] } });
    const { output } = runTranslation(inline, { plugins: [hosts, wrong] });
    expect(output.clusters).toEqual([]);
    expect(errors(output)).toEqual([
      'error: input.yaml#0:1 Backend default/web: overrides.cluster "loadAssignment.endpoints.lbEndpoints": endpoints is a list: write endpoints[] to name a field of its elements',
    ]);
  });

  test('a type plugin cannot declare overrides', () => {
    const selfish = definePlugin({
      name: 'test/selfish',
      key: 'selfish',
      schema: z.strictObject({}),
      translate: () => ({ cluster: { type: 'STATIC' }, overrides: { cluster: ['lbPolicy'] } }),
    });
    const { output } = runTranslation(backendYaml('s', 'selfish: {}'), { plugins: [selfish, healthCheck] });
    expect(output.clusters).toEqual([]);
    expect(errors(output)).toEqual([
      'error: input.yaml#0:1 Backend default/s: overrides are for feature plugins: the type plugin builds the fields it would take over',
    ]);
  });
});

describe('override paths', () => {
  test.each([
    ['', 'the path is empty'],
    ['nope', 'envoy.config.cluster.v3.Cluster has no field "nope"'],
    ['connectTimeout.seconds', 'connectTimeout has no fields to name'],
    ['lbPolicy[]', 'lbPolicy is not a list: "[]" does not apply'],
    ['healthChecks[]', 'healthChecks[] ends in "[]": name the list itself to take it over whole'],
    ['typedExtensionProtocolOptions.foo', 'typedExtensionProtocolOptions has no fields to name'],
    ['transportSocket.typedConfig.foo', 'transportSocket.typedConfig has no fields to name'],
  ])('%j is refused: %s', (path, message) => {
    expect(parseOverridePath(envoyMessage(CLUSTER)!, path)).toBe(message);
  });

  test('either JSON spelling names a field', () => {
    const camel = parseOverridePath(envoyMessage(CLUSTER_LOAD_ASSIGNMENT)!, HOSTNAME_PATH);
    const snake = parseOverridePath(envoyMessage(CLUSTER_LOAD_ASSIGNMENT)!, 'endpoints[].lb_endpoints[].endpoint.health_check_config.hostname');
    expect(Array.isArray(camel) && Array.isArray(snake)).toBe(true);
    expect((snake as Array<{ field: { name: string } }>).map((s) => s.field.name)).toEqual([
      'endpoints',
      'lb_endpoints',
      'endpoint',
      'health_check_config',
      'hostname',
    ]);
    expect(camel).toEqual(snake);
  });
});
