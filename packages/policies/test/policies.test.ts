import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTranslator, formatDiagnostic, type BackendPlugin } from '@backendkit/core';
import { parseStrict } from '@backendkit/core/envoy';
import { backendConfigPolicyPlugin, DEFAULT_CONTROLLER_NAME, policyPlugins, SYSTEM_CA_SECRET, systemCaSecret } from '@backendkit/policies';
import { staticPlugin } from '@backendkit/static';
import { assertStrictEnvoy, runPlugin, runTranslation } from '@backendkit/testing';
import { registry, secret as tlsSecret, typeUrl } from '@backendkit/xds-types';
import { applyBcp } from '../src/bcp-apply';
import { hashPolicy } from '../src/bcp-lb';
import * as names from '../src/envoy-names';
import { checkKeyPair, reencodeCertificates } from '../src/pem';
import { protoDuration, quantity, wholeSeconds } from '../src/units';
import { testPlugins } from './plugins';

const cert = (file: string) => readFileSync(join(__dirname, 'certs', file), 'utf8');
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', `${name}.yaml`), 'utf8');

describe('units', () => {
  test.each([
    ['4h', '14400s'],
    ['30m', '1800s'],
    ['1m30s500ms', '90.500s'],
    ['250ms', '0.250s'],
    ['0ms', '0s'],
  ])('duration %s → %s', (d, out) => expect(protoDuration(d)).toBe(out));
  test('keepalive times are whole seconds, truncated', () => expect(wholeSeconds('1m30s999ms')).toBe(90));
  test.each([
    ['64Ki', 65536],
    ['1024Ki', 1048576],
    ['1Mi', 1048576],
    ['1M', 1e6],
    ['65535', 65535],
    [70000, 70000],
    ['1e6', 1e6],
  ] as const)('quantity %j → %d', (q, n) => expect(quantity(q)).toBe(n));
  test.each(['', 'Ki', '64 Ki', '64KB', 'x'])('%j is not a quantity', (q) => expect(quantity(q)).toBeUndefined());
});

describe('PEM checks', () => {
  test('a client certificate and its key match; another key does not', () => {
    expect(checkKeyPair(cert('client.crt'), cert('client.key'))).toBeUndefined();
    expect(checkKeyPair(cert('client.crt'), cert('other.key'))).toBe('the private key does not match the certificate');
    expect(checkKeyPair(cert('client.crt'), 'junk')).toBe('the private key is not a PEM private key');
    expect(checkKeyPair('junk', cert('client.key'))).toBe('the certificate holds no PEM certificate');
  });

  test('certificates are parsed and written again, one block each with a final newline', () => {
    const bundle = `${cert('client.crt').trimEnd()}\n\n${cert('ca.crt').trimEnd()}`;
    const out = reencodeCertificates(bundle);
    expect(out).toEqual({ pem: `${cert('client.crt').trimEnd()}\n${cert('ca.crt').trimEnd()}\n` });
    expect(reencodeCertificates('nothing here')).toEqual({ error: 'no PEM certificate found' });
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(reencodeCertificates(broken)).toEqual({ error: 'certificate 1 of the PEM data does not parse' });
  });
});

describe('Envoy names', () => {
  test('every type URL written out is a message of the generated schema', () => {
    const urls = [
      names.HTTP_OPTIONS_TYPE,
      names.UPSTREAM_TLS_TYPE,
      names.PROXY_PROTOCOL_TYPE,
      names.RAW_BUFFER_TYPE,
      names.PRESERVE_CASE_TYPE,
      names.SECRET_TYPE,
      ...Object.values(names.LB_POLICY_TYPES).map(([, url]) => url),
    ];
    for (const url of urls) expect(registry.getMessage(url.slice('type.googleapis.com/'.length))?.typeName).toBe(url.slice('type.googleapis.com/'.length));
    expect(names.SECRET_TYPE).toBe(typeUrl(tlsSecret.SecretSchema));
  });

  test('the system CA secret is a strict Envoy Secret named SYSTEM_CA_CERT, with the bundle path as an option', () => {
    const secret = systemCaSecret({ bundlePath: '/etc/pki/tls/certs/ca-bundle.crt' });
    const parsed = parseStrict(tlsSecret.SecretSchema, secret as never);
    expect(parsed.ok).toBe(true);
    expect(secret).toEqual({ name: SYSTEM_CA_SECRET, validationContext: { trustedCa: { filename: '/etc/pki/tls/certs/ca-bundle.crt' } } });
    expect(systemCaSecret({ typed: true })).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
      name: 'SYSTEM_CA_CERT',
      validationContext: { trustedCa: { filename: '/etc/ssl/certs/ca-certificates.crt' } },
    });
  });
});

/** A plugin whose own TLS socket carries another client certificate: the merge compares the keys. */
function otherTlsPlugin(): BackendPlugin {
  return {
    name: 'test/other-tls',
    extend: () => ({
      cluster: {
        transportSocket: {
          name: 'envoy.transport_sockets.tls',
          typedConfig: {
            '@type': names.UPSTREAM_TLS_TYPE,
            commonTlsContext: { tlsCertificates: [{ certificateChain: { inlineString: 'x' }, privateKey: { inlineString: 'y' } }] },
          },
        },
      },
    }),
  };
}

describe('secrets stay secret', () => {
  const mtls = fixture('tls-secret');
  const key = cert('client.key').trimEnd();
  const keyLines = key.split('\n').slice(1, -1);

  test('a merge conflict over the client certificate prints no line of the private key', () => {
    const { result } = runTranslation(mtls, { plugins: [...testPlugins(), otherTlsPlugin()] });
    expect(result.clusters.map((c) => c.name)).toEqual(['backend_default_shop_0']);
    const text = JSON.stringify([result.diagnostics.map(formatDiagnostic), result.statuses]);
    expect(text).toContain('disagree at cluster.transportSocket');
    expect(text).toContain('[redacted]');
    for (const line of keyLines) expect(text).not.toContain(line);
  });

  test('a key that does not match its certificate is reported without the key', () => {
    const { result } = runTranslation(fixture('invalid-tls'), { plugins: testPlugins() });
    const text = JSON.stringify([result.diagnostics, result.statuses]);
    expect(text).toContain('the private key does not match the certificate');
    for (const line of cert('other.key').split('\n').slice(1, -2)) expect(text).not.toContain(line);
  });
});

const backend = (name: string, extra = ''): string => `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: ${name}, namespace: default}
spec:
  static:
    hosts: [{host: 192.0.2.1, port: 443}]
${extra}---
`;

describe('files', () => {
  test('a client certificate and key from files are paths Envoy reads (no PEM check offline)', () => {
    const text = `${backend('f')}apiVersion: gateway.kgateway.dev/v1alpha1
kind: BackendConfigPolicy
metadata: {name: f, namespace: default}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: f}]
  tls: {files: {tlsCertificate: /certs/tls.crt, tlsKey: /certs/tls.key}, sni: f.example}
`;
    const { result, output } = runTranslation(text, { plugins: testPlugins() });
    expect(result.diagnostics).toEqual([]);
    assertStrictEnvoy(output);
    expect(output.clusters[0]!.transportSocket).toEqual({
      name: 'envoy.transport_sockets.tls',
      typedConfig: {
        '@type': names.UPSTREAM_TLS_TYPE,
        commonTlsContext: { tlsCertificates: [{ certificateChain: { filename: '/certs/tls.crt' }, privateKey: { filename: '/certs/tls.key' } }] },
        sni: 'f.example',
      },
    });
  });
});

describe('BackendTLSPolicy per port', () => {
  test('a port-specific policy hides a service-wide one on its port only, whatever their age', () => {
    const ca = cert('ca.crt').replace(/\n/g, '\n    ');
    const text = `apiVersion: v1
kind: Service
metadata: {name: s, namespace: default}
spec:
  ports: [{name: a, port: 1}, {name: b, port: 2}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ca, namespace: default}
data:
  ca.crt: |
    ${ca}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: wide, namespace: default, creationTimestamp: '2020-01-01T00:00:00Z'}
spec:
  targetRefs: [{group: '', kind: Service, name: s}]
  validation: {caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}], hostname: wide.example}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: port-b, namespace: default, creationTimestamp: '2026-01-01T00:00:00Z'}
spec:
  targetRefs: [{group: '', kind: Service, name: s, sectionName: b}]
  validation: {caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}], hostname: b.example}
`;
    const { result, output } = runTranslation(text, { plugins: testPlugins() });
    expect(result.diagnostics).toEqual([]);
    const sni = Object.fromEntries(output.clusters.map((c) => [c.name, (c.transportSocket as { typedConfig: { sni: string } }).typedConfig.sni]));
    expect(sni).toEqual({ kube_default_s_1: 'wide.example', kube_default_s_2: 'b.example' });
    expect(result.statuses.filter((s) => s.kind === 'BackendTLSPolicy').map((s) => [s.name, s.conditions[1]!.reason])).toEqual([
      ['port-b', 'Accepted'],
      ['wide', 'Accepted'],
    ]);
  });
});

describe('fields the policy takes over from the type plugin', () => {
  const policy = (spec: string) => `apiVersion: gateway.kgateway.dev/v1alpha1
kind: BackendConfigPolicy
metadata: {name: p, namespace: default}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: test}]
${spec}`;
  const check = '  healthCheck: {timeout: 1s, interval: 5s, unhealthyThreshold: 2, healthyThreshold: 1, http: {host: h.example, path: /}}\n';
  const backend = { spec: { static: { hosts: [{ host: 'web.example.com', port: 80 }] } } };

  test('a health check host: the fragment declares the endpoint hostname, and the composed endpoints lose it', () => {
    const run = runPlugin(backendConfigPolicyPlugin(), backend, { plugins: [staticPlugin()], resources: policy(check) });
    expect(run.diagnostics).toEqual([]);
    expect(run.fragment?.overrides).toEqual({
      cluster: ['loadAssignment.endpoints[].lbEndpoints[].endpoint.healthCheckConfig.hostname'],
      assignment: ['endpoints[].lbEndpoints[].endpoint.healthCheckConfig.hostname'],
    });
    const endpoint = (run.cluster as { loadAssignment: { endpoints: Array<{ lbEndpoints: Array<{ endpoint: unknown }> }> } }).loadAssignment.endpoints[0]!
      .lbEndpoints[0]!.endpoint;
    expect(endpoint).toEqual({ address: { socketAddress: { address: 'web.example.com', portValue: 80 } }, hostname: 'web.example.com', healthCheckConfig: {} });
  });

  test('without a host or authority nothing is taken over', () => {
    const run = runPlugin(backendConfigPolicyPlugin(), backend, {
      plugins: [staticPlugin()],
      resources: policy(check.replace('http: {host: h.example, path: /}', 'http: {path: /}')),
    });
    expect(run.fragment?.overrides).toBeUndefined();
    expect(JSON.stringify(run.cluster)).toContain('"healthCheckConfig":{"hostname":"web.example.com"}');
  });

  test('a loadBalancer on a static cluster takes nothing over (no locality default there)', () => {
    const run = runPlugin(backendConfigPolicyPlugin(), backend, { plugins: [staticPlugin()], resources: policy('  loadBalancer: {random: {}}\n') });
    expect(run.diagnostics).toEqual([]);
    expect(run.fragment?.overrides).toBeUndefined();
  });
});

describe('per-ancestor statuses', () => {
  const text = fixture('ancestors');
  const ancestorsOf = (statuses: ReadonlyArray<{ kind: string; name: string; ancestors?: Array<{ controllerName: string }> }>) =>
    statuses.filter((s) => s.kind !== 'Backend').map((s) => [s.name, s.ancestors?.map((a) => a.controllerName)]);

  test("name kgateway's controller by default, and the one given as an option", () => {
    expect(DEFAULT_CONTROLLER_NAME).toBe('kgateway.dev/kgateway');
    const own = runTranslation(text, { plugins: [staticPlugin(), ...policyPlugins({ controllerName: 'example.com/gateway' })] });
    const counts = { 'by-label': 2, tuning: 3, 'a-tls': 1, 'svc-new': 1, 'svc-old': 0 };
    // Without the kubernetes plugin the Service is no target: its ancestors are gone, the Backends' stay.
    expect(ancestorsOf(own.result.statuses)).toEqual(Object.entries(counts).map(([name, n]) => [name, Array(n).fill('example.com/gateway')]));
    const standard = runTranslation(text, { plugins: [staticPlugin(), ...policyPlugins()] });
    expect(ancestorsOf(standard.result.statuses)).toEqual(Object.entries(counts).map(([name, n]) => [name, Array(n).fill(DEFAULT_CONTROLLER_NAME)]));
  });

  test('a policy whose targets do not exist has none, and says so at the top', () => {
    const lonely = `apiVersion: gateway.kgateway.dev/v1alpha1
kind: BackendConfigPolicy
metadata: {name: lonely, namespace: default}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: missing}]
  connectTimeout: 1s
`;
    const { result } = runTranslation(lonely, { plugins: testPlugins() });
    expect(result.statuses).toEqual([
      {
        apiVersion: 'gateway.kgateway.dev/v1alpha1',
        kind: 'BackendConfigPolicy',
        namespace: 'default',
        name: 'lonely',
        conditions: [
          { type: 'Accepted', status: 'True', reason: 'Valid', message: 'Policy accepted' },
          { type: 'Attached', status: 'False', reason: 'TargetNotFound', message: 'no target of this policy exists' },
        ],
        ancestors: [],
      },
    ]);
  });
});

describe('translation properties', () => {
  test('the same objects in any order give the same output', () => {
    const text = fixture('merge') + '---\n' + fixture('backend-tls-policy');
    const translator = () => createTranslator({ plugins: testPlugins() });
    const forward = translator().translateText(text);
    const docs = text.split(/^---$/m).reverse().join('---\n');
    const backward = translator().translateText(docs);
    expect(backward.clusters).toEqual(forward.clusters);
    expect(backward.statuses).toEqual(forward.statuses);
  });

  test('an incremental translator sees a changed policy (the policy is a dependency of the cluster)', () => {
    const translator = createTranslator({ plugins: testPlugins() });
    const text = fixture('connection');
    const first = translator.translateText(text);
    const again = translator.translateText(text.replace('connectTimeout: 2s', 'connectTimeout: 7s'));
    const timeout = (r: typeof first) => r.clusters[0]!.connectTimeout;
    expect([timeout(first), timeout(again)]).toEqual(['2s', '7s']);
    const gone = translator.translateText(text.replace(/---\napiVersion: gateway.kgateway.dev\/v1alpha1\nkind: BackendConfigPolicy[\s\S]*$/, ''));
    expect(gone.clusters[0]!.connectTimeout).toBe('5s');
  });
});

describe('objects given in code', () => {
  test('a BackendConfigPolicy of another apiVersion is not read (the loader would have skipped it)', () => {
    const policy = (apiVersion: string) => ({
      apiVersion,
      kind: 'BackendConfigPolicy',
      metadata: { name: 'p', namespace: 'default' },
      spec: { targetRefs: [{ group: 'gateway.kgateway.dev', kind: 'Backend', name: 'b' }], connectTimeout: '9s' },
    });
    const b = {
      apiVersion: 'gateway.kgateway.dev/v1alpha1',
      kind: 'Backend',
      metadata: { name: 'b', namespace: 'default' },
      spec: { static: { hosts: [{ host: '192.0.2.1', port: 80 }] } },
    };
    const translate = (apiVersion: string) => createTranslator({ plugins: testPlugins() }).translate([b, policy(apiVersion)]);
    expect(translate('gateway.kgateway.dev/v1alpha1').clusters[0]!.connectTimeout).toBe('9s');
    const other = translate('gateway.kgateway.dev/v2');
    expect(other.clusters[0]!.connectTimeout).toBe('5s');
    expect(other.statuses.map((s) => s.kind)).toEqual(['Backend']);
  });
});

describe('shapes of the newer Envoy API', () => {
  const DNS = 'type.googleapis.com/envoy.extensions.clusters.dns.v3.DnsCluster';

  test('dns fields go into the DnsCluster typed config of an envoy.clusters.dns cluster, for core to merge', () => {
    const base = { clusterType: { name: 'envoy.clusters.dns', typedConfig: { '@type': DNS, dnsLookupFamily: 'V4_PREFERRED' } } } as never;
    const { cluster, warnings } = applyBcp({
      spec: { dns: { refreshRate: '1m', jitter: '5s', respectTTL: true } },
      base,
      appProtocol: undefined,
      tlsSocket: undefined,
      lbPolicy: undefined,
    });
    expect(cluster).toEqual({
      clusterType: { name: 'envoy.clusters.dns', typedConfig: { '@type': DNS, dnsRefreshRate: '60s', dnsJitter: '5s', respectDnsTtl: true } },
    });
    expect(warnings).toEqual([]);
  });

  test('hostname hashing is kept on a DnsCluster cluster unless it puts all addresses in one endpoint', () => {
    const lb = { ringHash: { useHostnameForHashing: true } } as never;
    const run = (typedConfig: object) =>
      applyBcp({
        spec: { loadBalancer: lb },
        base: { clusterType: { name: 'envoy.clusters.dns', typedConfig: { '@type': DNS, ...typedConfig } } } as never,
        appProtocol: undefined,
        tlsSocket: undefined,
        lbPolicy: undefined,
      });
    const policyOf = (c: unknown) =>
      (c as { loadBalancingPolicy: { policies: Array<{ typedExtensionConfig: { typedConfig: Record<string, unknown> } }> } }).loadBalancingPolicy.policies[0]!
        .typedExtensionConfig.typedConfig;
    expect(policyOf(run({}).cluster).consistentHashingLbConfig).toEqual({ useHostnameForHashing: true });
    const single = run({ allAddressesInSingleEndpoint: true });
    expect(policyOf(single.cluster).consistentHashingLbConfig).toEqual({});
    expect(single.warnings.map(([field]) => field)).toEqual(['loadBalancer']);
  });

  test('hash policies as RouteAction.HashPolicy', () => {
    expect(hashPolicy({ header: { name: 'x-user' }, terminal: true })).toEqual({ header: { headerName: 'x-user' }, terminal: true });
    expect(hashPolicy({ sourceIP: {} })).toEqual({ connectionProperties: { sourceIp: true } });
    const cookie = hashPolicy({ cookie: { name: 's', path: '/', ttl: '1h', secure: true, httpOnly: true, sameSite: 'Lax' } }) as {
      cookie: Record<string, unknown>;
    };
    expect(cookie.cookie).toMatchObject({ name: 's', path: '/', ttl: '3600s' });
  });
});
