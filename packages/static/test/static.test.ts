import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertStrictEnvoy, expectGolden, goldenCases, runTranslation } from '@backendkit/testing';
import { hostKind, staticPlugin } from '@backendkit/static';

const fixtures = join(__dirname, 'fixtures');

// Both output shapes: `<name>.golden.json` (current) and `<name>.legacy.golden.json` (clusterShape: 'legacy').
describe.each(['current', 'legacy'] as const)('static golden files (%s shape)', (clusterShape) => {
  for (const c of goldenCases(fixtures, clusterShape === 'legacy' ? { variant: 'legacy' } : {})) {
    test(c.name, () => {
      const { output } = runTranslation(c.input, { plugins: [staticPlugin()], clusterShape, file: `${c.name}.yaml` });
      assertStrictEnvoy(output);
      expectGolden(c.goldenFile, output);
    });
  }
});

describe('hostKind', () => {
  test.each([
    ['10.1.2.3', 'ipv4'],
    ['0.0.0.0', 'ipv4'],
    ['::1', 'ipv6'],
    ['2001:db8::1', 'ipv6'],
    ['::ffff:192.0.2.1', 'ipv6'],
    ['example.com', 'dns'],
    ['example.com.', 'dns'],
    ['localhost', 'dns'],
    ['xn--bcher-kva.example', 'dns'],
  ])('%s is %s', (host, kind) => expect(hostKind(host)).toBe(kind));

  test.each(['', '1.2.3.256', '1.2.3', '01.2.3.4.5', '[::1]', 'fe80::1%eth0', 'a..b', '-a.example', 'a_b.example', 'x'.repeat(64)])(
    '%j is neither an IP nor a DNS name',
    (host) => expect(hostKind(host)).toBeUndefined(),
  );
});

describe('local addresses', () => {
  test('allowLocalAddresses lets loopback, unspecified and link-local hosts through', () => {
    const input = readFileSync(join(fixtures, 'invalid-local-address.yaml'), 'utf8');
    const { output } = runTranslation(input, { plugins: [staticPlugin()], allowLocalAddresses: true });
    assertStrictEnvoy(output);
    expect(output.diagnostics).toEqual([]);
    expect(output.clusters.map((c) => [c.name, c.type ?? (c.clusterType as { name?: string } | undefined)?.name])).toEqual([
      ['backend_default_local_0', 'envoy.clusters.dns'],
      ['backend_default_remote_0', 'STATIC'],
      ['backend_default_unspecified_0', 'STATIC'],
    ]);
  });
});

describe('shared parts', () => {
  // The DNS part is one frozen object for every cluster of a shape: the strict check keeps it, so
  // the result holds it once (docs/performance.md, "The translation's own work").
  const backend = (name: string) =>
    `apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: ${name}, namespace: default}\nspec:\n  static:\n    hosts: [{host: ${name}.example.com, port: 443}]\n`;
  test.each(['current', 'legacy'] as const)('two DNS clusters share their clusterType (%s shape), which is frozen', (clusterShape) => {
    const { result } = runTranslation(`${backend('a')}---\n${backend('b')}`, { plugins: [staticPlugin()], clusterShape });
    const [a, b] = result.clusters as Array<Record<string, unknown>>;
    expect(result.clusters).toHaveLength(2);
    if (clusterShape === 'current') {
      expect(a!.clusterType).toBe(b!.clusterType);
      expect(Object.isFrozen(a!.clusterType)).toBe(true);
    } else {
      expect(a!.type).toBe('STRICT_DNS');
    }
    expect(a!.loadAssignment).not.toBe(b!.loadAssignment);
  });
});
