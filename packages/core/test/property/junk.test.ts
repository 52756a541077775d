import fc from 'fast-check';
import { loadText, toOutputDocument, type KubeObject, type TranslationResult } from '@backendkit/core';
import { createDefaultTranslator } from '@backendkit/preset';
import { assertStrictEnvoy, propertyRuns } from '@backendkit/testing';
import { breakage, EC2_INSTANCE_SOURCE, junkValue, offlineInstances, world } from './arbitraries';

// BACKENDKIT_PROPERTY_RUNS=10000 for a long pass (docs/security.md); the seed stays fixed.
const BUDGET = { numRuns: propertyRuns(200), seed: 20261126 } as const;
jest.setTimeout(Math.max(5_000, BUDGET.numRuns * 100));

function translate(objects: readonly KubeObject[], instances = offlineInstances([])): TranslationResult {
  return createDefaultTranslator({ provide: [[EC2_INSTANCE_SOURCE, instances]] }).translate(objects);
}

/** Every Backend is either accepted with its cluster, or invalid, without a cluster, with an error saying why. */
function expectConsistent(result: TranslationResult): void {
  const clusters = new Set(result.clusters.map((c) => c.name));
  for (const status of result.statuses) {
    const clusterName = `backend_${status.namespace}_${status.name}_0`;
    const errors = result.diagnostics.filter(
      (d) => d.severity === 'error' && d.resource?.kind === 'Backend' && d.resource.namespace === status.namespace && d.resource.name === status.name,
    );
    if (status.conditions[0]?.status === 'True') {
      expect(clusters.has(clusterName)).toBe(true);
      expect(errors).toEqual([]);
    } else {
      expect(clusters.has(clusterName)).toBe(false);
      expect(errors.length).toBeGreaterThan(0);
    }
  }
  assertStrictEnvoy(toOutputDocument(result));
}

const backend = (name: string, spec: unknown): KubeObject => ({
  apiVersion: 'gateway.kgateway.dev/v1alpha1',
  kind: 'Backend',
  metadata: { name, namespace: 'default' },
  spec,
});

function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Breaks one Backend's spec in a way its plugin must reject. */
function broken(object: KubeObject, how: string): KubeObject {
  const copy = structuredClone(object);
  const spec = copy.spec as Record<string, Record<string, unknown>>;
  const [typeKey] = Object.keys(spec).filter((k) => k !== 'type');
  const part = spec[typeKey!]!;
  const target: Record<string, unknown> =
    typeKey === 'static'
      ? ((part.hosts as Record<string, unknown>[])[0] as Record<string, unknown>)
      : typeKey === 'aws'
        ? ((part.lambda ?? part.ec2) as Record<string, unknown>)
        : part;
  const field = typeKey === 'static' ? 'host' : typeKey === 'kubernetes' ? 'serviceName' : part.lambda ? 'functionName' : 'filters';
  switch (how) {
    case 'wrong type':
      target[field] = typeKey === 'aws' && part.ec2 ? 'not a list' : 42;
      break;
    case 'missing field':
      if (typeKey === 'aws' && part.ec2) target.filters = [{}];
      else delete target[field];
      break;
    case 'unknown key':
      target['__proto__x'] = true;
      break;
    case 'huge string':
      if (typeKey === 'aws') part.region = 'a'.repeat(100_000);
      else target[field] = 'a'.repeat(100_000);
      break;
    case 'deep nesting':
      target[field] = nest(5000);
      break;
  }
  return copy;
}

describe('junk never throws and always says why', () => {
  test('a valid Backend broken on purpose is invalid with an error; the others stay valid', () => {
    fc.assert(
      fc.property(world, fc.nat(), breakage, (input, which, how) => {
        const backends = input.objects.filter((o) => o.kind === 'Backend');
        const victim = backends[which % backends.length]!;
        const objects = input.objects.map((o) => (o === victim ? broken(o, how) : o));
        const result = translate(objects, offlineInstances(input.instances));
        expectConsistent(result);
        const statuses = new Map(result.statuses.map((s) => [s.name, s.conditions[0]?.status]));
        expect(statuses.get(victim.metadata.name)).toBe('False');
        for (const b of backends) if (b !== victim) expect(statuses.get(b.metadata.name)).toBe('True');
      }),
      BUDGET,
    );
  });

  test('any value as a spec, or as the fields around it: diagnostics, never an exception', () => {
    fc.assert(
      fc.property(junkValue, junkValue, fc.constantFrom('static', 'kubernetes', 'aws', 'type', 'other'), (spec, extra, key) => {
        const objects: KubeObject[] = [
          backend('whole', spec),
          backend('keyed', { [key]: spec }),
          backend('lambda', { aws: { lambda: spec } }),
          backend('ec2', { aws: { ec2: spec, region: extra } }),
          { ...backend('around', { static: { hosts: [{ host: 'a.example.com', port: 80 }] } }), status: extra, data: spec },
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'default' }, spec },
          {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { name: 'svc-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'svc' } },
            endpoints: spec,
            ports: extra,
          },
          { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, data: spec, stringData: extra },
          backend('reads', { aws: { auth: { type: 'Secret', secretRef: { name: 'creds' } }, lambda: { accountId: '123456789012', functionName: 'f' } } }),
          backend('kube', { kubernetes: { serviceName: 'svc', servicePort: 80 } }),
        ];
        const result = translate(objects);
        expectConsistent(result);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      BUDGET,
    );
  });

  test('objects built in code with any envelope: skipped with an error, never an exception', () => {
    const envelope = fc.record(
      {
        apiVersion: fc.oneof(fc.constant('gateway.kgateway.dev/v1alpha1'), junkValue),
        kind: fc.oneof(fc.constantFrom('Backend', 'Service', 'EndpointSlice', 'Secret', 'HTTPRoute'), junkValue),
        metadata: fc.oneof(
          fc.record({ name: fc.oneof(fc.constantFrom('a', 'b'), junkValue), namespace: fc.oneof(fc.constant('default'), junkValue) }),
          junkValue,
        ),
        spec: junkValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(envelope, junkValue), { maxLength: 6 }), (objects) => {
        const result = translate(objects as KubeObject[]);
        const skipped = objects.filter((o) => {
          const { kind, metadata } = (typeof o === 'object' && o !== null ? o : {}) as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
          const envelope = !Array.isArray(o) && typeof kind === 'string' && typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata);
          return !(envelope && typeof metadata.name === 'string' && (metadata.namespace === undefined || typeof metadata.namespace === 'string'));
        });
        expect(result.diagnostics.filter((d) => d.code === 'invalid-input' && /is not a Kubernetes object/.test(d.message))).toHaveLength(skipped.length);
        assertStrictEnvoy(toOutputDocument(result));
      }),
      BUDGET,
    );
  });

  test('any text through the loader: diagnostics, never an exception', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      // Real documents, cut and spliced at random places.
      fc.tuple(world, fc.nat(), fc.nat(), fc.string({ maxLength: 5 })).map(([w, a, b, noise]) => {
        const yaml = w.objects.map((o) => JSON.stringify(o)).join('\n---\n');
        const cut = a % (yaml.length + 1);
        return yaml.slice(0, cut) + noise + yaml.slice(cut + (b % 20));
      }),
      junkValue.map((value) => `apiVersion: v1\nkind: Service\nmetadata: {name: j}\nspec: ${safeJson(value)}\n`),
    );
    fc.assert(
      fc.property(text, (input) => {
        const loaded = loadText(input, { file: 'junk.yaml' });
        for (const d of loaded.diagnostics) expect(d.source?.file).toBe('junk.yaml');
        expectConsistent(translate(loaded.objects));
      }),
      BUDGET,
    );
  });
});

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}
