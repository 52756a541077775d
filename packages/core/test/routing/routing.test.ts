import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  BLACKHOLE_CLUSTER,
  createTranslator,
  isDuplicatePluginError,
  isInvalidPluginError,
  loadText,
  toOutputDocument,
  type BackendPlugin,
  type KubeObject,
  type RefKind,
} from '@backendkit/core';
import { assertStrictEnvoy, expectGolden, goldenCases, runTranslation } from '@backendkit/testing';
import { builtinPlugins } from '@backendkit/preset';
import { staticPlugin } from '@backendkit/static';
import { bucketPlugin, serviceRefsPlugin } from './ref-plugins';

const fixtures = join(__dirname, 'fixtures');
const plugins = (): BackendPlugin[] => [staticPlugin(), bucketPlugin(), serviceRefsPlugin()];

// Both output shapes: `<name>.golden.json` (current) and `<name>.legacy.golden.json` (clusterShape: 'legacy').
describe.each(['current', 'legacy'] as const)('routing golden files (%s shape)', (clusterShape) => {
  for (const c of goldenCases(fixtures, clusterShape === 'legacy' ? { variant: 'legacy' } : {})) {
    test(c.name, () => {
      const { output } = runTranslation(c.input, { plugins: plugins(), clusterShape, file: `${c.name}.yaml` });
      assertStrictEnvoy(output);
      expectGolden(c.goldenFile, output);
    });
  }
});

describe('routing golden files with backendRefPort: refuse', () => {
  for (const c of goldenCases(join(fixtures, 'refuse-backend-ref-port'))) {
    test(c.name, () => {
      const { output } = runTranslation(c.input, { plugins: plugins(), file: `${c.name}.yaml`, backendRefPort: 'refuse' });
      assertStrictEnvoy(output);
      expectGolden(c.goldenFile, output);
    });
  }
});

function route(spec: unknown, namespace = 'default', name = 'r'): KubeObject {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace }, spec };
}

function refTo(ref: Record<string, unknown>): unknown {
  return { rules: [{ backendRefs: [ref] }] };
}

describe('routes in the output', () => {
  test('are left out entirely when the input has no HTTPRoute', () => {
    const input = 'apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: a}\nspec: {static: {hosts: [{host: 192.0.2.1, port: 80}]}}\n';
    const { result, output } = runTranslation(input, { plugins: plugins() });
    expect(result.routes).toEqual([]);
    expect(Object.keys(output)).toEqual(['clusters', 'assignments', 'statuses', 'diagnostics']);
  });

  test('are the same, byte for byte, whatever the order of the input objects', () => {
    for (const name of ['cross-namespace-granted', 'grant-other-kind', 'custom-kind', 'weights-several-rules', 'routes-sorted']) {
      const { objects } = loadText(goldenCases(fixtures).find((c) => c.name === name)!.input);
      const forward = JSON.stringify(toOutputDocument(createTranslator({ plugins: plugins() }).translate(objects)));
      const backward = JSON.stringify(toOutputDocument(createTranslator({ plugins: plugins() }).translate([...objects].reverse())));
      expect(backward).toBe(forward);
    }
  });
});

describe('refKinds in the plugin contract', () => {
  const row = (over: Partial<RefKind> = {}): RefKind => ({ group: 'example.com', kind: 'Widget', resolve: () => ({ cluster: 'widget' }), ...over });

  test('a plugin with only refKinds is a valid plugin, and its kind resolves', () => {
    const translator = createTranslator({ plugins: [{ name: 'test/widget', refKinds: [row()] }] });
    const result = translator.translate([route(refTo({ group: 'example.com', kind: 'Widget', name: 'w' }))]);
    expect(result.routes[0]!.rules[0]!.backendRefs).toEqual([{ cluster: 'widget', weight: 1 }]);
    expect(result.routes[0]!.conditions[0]!.status).toBe('True');
  });

  test('a plugin cannot take over a kind core provides', () => {
    let caught: unknown;
    try {
      createTranslator({ plugins: [{ name: 'test/backends', refKinds: [row({ group: 'gateway.kgateway.dev', kind: 'Backend' })] }] });
    } catch (error) {
      caught = error;
    }
    expect(isDuplicatePluginError(caught)).toBe(true);
    expect((caught as Error).message).toBe('plugins "@backendkit/core" and "test/backends" both claim the refKind "Backend.gateway.kgateway.dev"');
  });

  test('two plugins cannot provide one kind', () => {
    expect(() =>
      createTranslator({
        plugins: [
          { name: 'a', refKinds: [row()] },
          { name: 'b', refKinds: [row()] },
        ],
      }),
    ).toThrow('plugins "a" and "b" both claim the refKind "Widget.example.com"');
  });

  test.each([
    ['no resolve', { group: 'example.com', kind: 'Widget' }],
    ['an empty kind', { group: 'example.com', kind: '', resolve: () => ({ cluster: 'x' }) }],
    ['no group', { kind: 'Widget', resolve: () => ({ cluster: 'x' }) }],
    ['a bad port policy', { group: 'example.com', kind: 'Widget', port: 'sometimes', resolve: () => ({ cluster: 'x' }) }],
  ])('a refKinds entry with %s is refused', (_, entry) => {
    let caught: unknown;
    try {
      createTranslator({ plugins: [{ name: 'test/bad', refKinds: [entry as unknown as RefKind] }] });
    } catch (error) {
      caught = error;
    }
    expect(isInvalidPluginError(caught)).toBe(true);
  });

  test('a resolve that throws becomes a diagnostic and a blackholed ref, not a crash', () => {
    const boom = row({
      resolve: () => {
        throw new Error('bucket index offline');
      },
    });
    const result = createTranslator({ plugins: [{ name: 'test/boom', refKinds: [boom] }] }).translate([
      route(refTo({ group: 'example.com', kind: 'Widget', name: 'w', weight: 4 })),
    ]);
    expect(result.routes[0]!.rules[0]!.backendRefs).toEqual([{ cluster: BLACKHOLE_CLUSTER, weight: 4 }]);
    expect(result.routes[0]!.conditions[0]).toEqual({
      type: 'ResolvedRefs',
      status: 'False',
      reason: 'BackendNotFound',
      message: 'cannot resolve Widget.example.com default/w: plugin "test/boom" failed: bucket index offline',
    });
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'plugin-failed', path: 'spec.rules[0].backendRefs[0]' })]);
  });

  test('a resolve that returns neither a cluster nor a message counts as not found', () => {
    const empty = row({ resolve: () => ({ cluster: '' }) });
    const result = createTranslator({ plugins: [{ name: 'test/empty', refKinds: [empty] }] }).translate([
      route(refTo({ group: 'example.com', kind: 'Widget', name: 'w' })),
    ]);
    expect(result.routes[0]!.conditions[0]!.message).toBe('Widget.example.com default/w not found');
  });

  test('an optional port reaches resolve; an ignored one does not', () => {
    const seen: Array<number | undefined> = [];
    const spy = (port: RefKind['port'], kind: string): RefKind => row({ kind, port, resolve: (ref) => (seen.push(ref.port), { cluster: kind }) });
    const translator = createTranslator({ plugins: [{ name: 'test/ports', refKinds: [spy('optional', 'A'), spy('ignored', 'B')] }] });
    const result = translator.translate([
      route(refTo({ group: 'example.com', kind: 'A', name: 'x', port: 81 })),
      route(refTo({ group: 'example.com', kind: 'B', name: 'x', port: 82 }), 'default', 's'),
    ]);
    expect(seen).toEqual([81, undefined]);
    expect(result.routes.map((r) => r.warnings)).toEqual([[], ['spec.rules[0].backendRefs[0].port: ignored: a B is one cluster, whatever the port']]);
  });
});

describe('robustness', () => {
  test('any HTTPRoute spec gives one route with one condition and never throws', () => {
    const translator = createTranslator({ plugins: plugins() });
    const anything = fc.oneof(fc.jsonValue(), fc.constantFrom('', 'Service', 'Backend', 'gateway.kgateway.dev', 0, 80, -1, 1.5));
    const refLike = fc.record({ group: anything, kind: anything, name: anything, namespace: anything, port: anything, weight: anything }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.jsonValue(), fc.oneof(fc.jsonValue(), refLike), (spec, ref) => {
        const routes = [route(spec), route({ rules: [spec] }, 'default', 's'), route({ rules: [{ backendRefs: [ref] }] }, 'other')];
        const result = translator.translate(routes);
        expect(result.routes).toHaveLength(3);
        for (const r of result.routes) {
          expect(r.conditions).toHaveLength(1);
          for (const rule of r.rules) for (const b of rule.backendRefs) expect(Number.isInteger(b.weight)).toBe(true);
        }
        // A failed route always says why, with a path into the route.
        const failed = result.routes.filter((r) => r.conditions[0]!.status === 'False').length;
        const routeErrors = new Set(
          result.diagnostics
            .filter((d) => d.severity === 'error' && d.resource?.kind === 'HTTPRoute')
            .map((d) => d.resource!.namespace + '/' + d.resource!.name),
        );
        expect(routeErrors.size).toBe(failed);
      }),
      { numRuns: 300 },
    );
  });
});

describe('examples/routing.yaml', () => {
  test('translates with the built-in plugins without an error, every ref resolved', () => {
    const input = readFileSync(join(__dirname, '../../../../examples/routing.yaml'), 'utf8');
    const { result } = runTranslation(input, { plugins: builtinPlugins(), file: 'routing.yaml' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.routes.map((r) => r.conditions[0]!.status)).toEqual(['True']);
    expect(result.routes[0]!.rules.flatMap((r) => r.backendRefs.map((b) => b.cluster))).not.toContain(BLACKHOLE_CLUSTER);
  });
});
