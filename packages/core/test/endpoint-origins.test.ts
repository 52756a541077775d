import { z } from 'zod';
import { createTranslator, definePlugin, type Diagnostic } from '@backendkit/core';
import { backendYaml } from './toy-plugins';

// A refused address in a custom plugin's endpoint is reported at the input field the plugin named
// in `Fragment.origins` (docs/plugins.md, "Saying where an endpoint came from"), or else at its
// place in the cluster.

const hosts = z.strictObject({ hosts: z.array(z.strictObject({ host: z.string(), port: z.number().int() })) });
type Hosts = z.infer<typeof hosts>;

const endpoints = (spec: Hosts) => [
  { lbEndpoints: spec.hosts.map((h) => ({ endpoint: { address: { socketAddress: { address: h.host, portValue: h.port } } } })) },
];

/** Inline endpoints, one per host; with `origins` when `named`, at the host field or at the list item. */
function hostsPlugin(named: 'host' | 'item' | 'snake' | 'none') {
  return definePlugin({
    name: 'test/hosts',
    key: 'myplugin',
    schema: hosts,
    translate(spec, ctx) {
      const origins: Record<string, string> = {};
      spec.hosts.forEach((_, i) => {
        if (named === 'host') origins[`cluster.loadAssignment.endpoints[0].lbEndpoints[${i}].endpoint.address`] = `${ctx.path}.hosts[${i}].host`;
        if (named === 'item') origins[`cluster.loadAssignment.endpoints[0].lbEndpoints[${i}]`] = `${ctx.path}.hosts[${i}]`;
        if (named === 'snake') origins[`cluster.load_assignment.endpoints[0].lb_endpoints[${i}]`] = `${ctx.path}.hosts[${i}]`;
      });
      return { cluster: { type: 'STATIC', loadAssignment: { endpoints: endpoints(spec) } }, ...(named === 'none' ? {} : { origins }) };
    },
  });
}

/** The same hosts as an EDS assignment (endpoints a source would discover). */
const edsPlugin = definePlugin({
  name: 'test/eds',
  key: 'myplugin',
  schema: hosts,
  translate(spec, ctx) {
    return {
      cluster: { type: 'EDS', edsClusterConfig: { edsConfig: { ads: {} } } },
      assignment: { endpoints: endpoints(spec) },
      origins: { 'assignment.endpoints[0].lbEndpoints[1]': `${ctx.path}.hosts[1]` },
    };
  },
});

// Line 11 is `      - host: 127.0.0.1`; its value starts at column 15.
const input = backendYaml(
  'web',
  `myplugin:
  hosts:
    - host: 192.0.2.10
      port: 80
    - host: 127.0.0.1
      port: 8080`,
);

function refused(plugin: ReturnType<typeof hostsPlugin>): Diagnostic[] {
  const result = createTranslator({ plugins: [plugin] }).translateText(input, { file: 'in.yaml' });
  return result.diagnostics.filter((d) => d.code === 'refused-address');
}

const LOOPBACK = '127.0.0.1 is a loopback address, which reaches the proxy itself (its admin port among others)';

describe('a refused address in a custom plugin endpoint', () => {
  test('is reported at the input field the plugin named for it, with its line and column', () => {
    const [d, ...more] = refused(hostsPlugin('host'));
    expect(more).toEqual([]);
    expect(d).toMatchObject({ severity: 'error', path: 'spec.myplugin.hosts[1].host', source: { file: 'in.yaml', line: 11, column: 15 } });
    expect(d!.message).toMatch(new RegExp(`^endpoint 127\\.0\\.0\\.1:8080: ${LOOPBACK.replace(/[()]/g, '\\$&')}; refused unless`));
  });

  test('an origin of an ancestor (the lbEndpoint) covers its address; either JSON spelling of the keys', () => {
    for (const named of ['item', 'snake'] as const) {
      const [d] = refused(hostsPlugin(named));
      expect(d).toMatchObject({ severity: 'error', path: 'spec.myplugin.hosts[1]', source: { line: 11 } });
    }
  });

  test('without origins, the message names the place in the cluster; the Backend gets no cluster', () => {
    const result = createTranslator({ plugins: [hostsPlugin('none')] }).translateText(input, { file: 'in.yaml' });
    const [d] = result.diagnostics.filter((x) => x.code === 'refused-address');
    expect(d!.path).toBeUndefined();
    expect(d!.message).toContain(`endpoint 127.0.0.1:8080 at cluster.loadAssignment.endpoints[0].lbEndpoints[1].endpoint.address: ${LOOPBACK}`);
    expect(result.clusters).toEqual([]);
  });

  test('a discovered (EDS) endpoint is left out with a warning at its origin; the other stays', () => {
    const result = createTranslator({ plugins: [edsPlugin] }).translateText(input, { file: 'in.yaml' });
    const [d, ...more] = result.diagnostics;
    expect(more).toEqual([]);
    expect(d).toMatchObject({ severity: 'warning', code: 'refused-address', path: 'spec.myplugin.hosts[1]' });
    expect(d!.message).toMatch(/^endpoint 127\.0\.0\.1:8080 left out: /);
    expect(result.assignments[0]!.endpoints![0]!.lbEndpoints!.map((lb) => lb.endpoint!.address!.socketAddress!.address)).toEqual(['192.0.2.10']);
  });
});
