import fc from 'fast-check';
import { definePlugin, formatDiagnostic, toOutputDocument, type BackendPlugin, type ClusterJson, type TranslationResult } from '@backendkit/core';
import { createDefaultTranslator } from '@backendkit/preset';
import { assertStrictEnvoy, propertyRuns } from '@backendkit/testing';
import { EC2_INSTANCE_SOURCE, offlineInstances, world, type World } from './arbitraries';

/** A fixed budget: the same cases on every run (change the seed to explore others). */
// BACKENDKIT_PROPERTY_RUNS=10000 for a long pass (docs/security.md); the seed stays fixed.
const BUDGET = { numRuns: propertyRuns(200), seed: 20261126 } as const;
jest.setTimeout(Math.max(5_000, BUDGET.numRuns * 100));

function translate(input: World, plugins: BackendPlugin[] = []): TranslationResult {
  const source = offlineInstances(input.instances);
  return createDefaultTranslator({ plugins, provide: [[EC2_INSTANCE_SOURCE, source]] }).translate(input.objects);
}

describe('random valid Backends of every built-in type', () => {
  test('always translate: no error, every Backend accepted with its cluster, strict Envoy output', () => {
    fc.assert(
      fc.property(world, (input) => {
        const result = translate(input);
        const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
        expect(errors).toEqual([]);
        const backends = input.objects.filter((o) => o.kind === 'Backend');
        expect(result.statuses.map((s) => s.name).sort()).toEqual(backends.map((b) => b.metadata.name).sort());
        expect(result.statuses.filter((s) => s.conditions[0]?.status !== 'True')).toEqual([]);
        const names = new Set(result.clusters.map((c) => c.name));
        for (const b of backends) expect(names.has(`backend_${b.metadata.namespace}_${b.metadata.name}_0`)).toBe(true);
        assertStrictEnvoy(toOutputDocument(result));
      }),
      BUDGET,
    );
  });

  test('merging gives what joining gives: a feature plugin that repeats fields of the type fragment changes nothing', () => {
    // Fragments on disjoint fields are joined and parsed once; a repeated field sends the cluster
    // through the general merge path. Both must print the same cluster.
    const repeat = definePlugin({
      name: 'test/repeat',
      extend: (target) => {
        const { type, dnsLookupFamily, clusterType } = target.fragment.cluster ?? {};
        if (clusterType) return { cluster: { clusterType } };
        return type ? { cluster: { type, ...(dnsLookupFamily ? { dnsLookupFamily } : {}) } as ClusterJson } : undefined;
      },
    });
    fc.assert(
      fc.property(world, (input) => {
        const joined = translate(input);
        const merged = translate(input, [repeat]);
        expect(JSON.stringify(toOutputDocument(merged))).toBe(JSON.stringify(toOutputDocument(joined)));
        expect(merged.diagnostics.map(formatDiagnostic)).toEqual(joined.diagnostics.map(formatDiagnostic));
      }),
      { ...BUDGET, numRuns: Math.ceil(BUDGET.numRuns / 2) },
    );
  });
});
