import { runInNewContext } from 'node:vm';
import { z } from 'zod';
import { createTranslator, definePlugin, type BackendPlugin, type KubeObject, type TranslateContext } from '@backendkit/core';
import { clusterMessage } from '@backendkit/core/envoy';
import { fingerprint, OPAQUE, sameData, snapshot } from '../src/snapshot';
import { toyPlugin } from './toy-plugins';

describe('snapshot and sameData', () => {
  test('equal fingerprints mean the same data; for JSON data, the same data means equal fingerprints', () => {
    const values: unknown[] = [
      { a: 1, b: { c: ['x', true, null] } },
      { b: { c: ['x', true, null] }, a: 1 },
      { a: 1, b: { c: ['x', true] } },
      { a: 1, b: { c: ['x', true, null], d: undefined } },
      { a: '1', b: { c: ['x', true, null] } },
      { a: 1, b: { c: ['x', 'true', null] } },
      { a: 1, b: { c: ['x', true, 'null'] } },
      { 'a:1,': 1 },
      { a: '1,"a":1' },
      ['u'],
      [undefined],
      [null],
      [],
      {},
      { n: -0 },
      { n: 0 },
      JSON.parse('{"__proto__": {"x": 1}}'),
      runInNewContext('({ a: 1, b: { c: ["x", true, null] } })'),
    ];
    for (const a of values) {
      for (const b of values) {
        const same = sameData(a, snapshot(b));
        const fa = fingerprint(a);
        if (fa !== OPAQUE && fa === fingerprint(b)) expect(same).toBe(true);
        if (same && fa !== OPAQUE) expect(fingerprint(b)).toBe(fa);
      }
    }
    expect(fingerprint({ d: undefined })).toBe(OPAQUE);
    expect(fingerprint([undefined])).toBe(OPAQUE);
    expect(fingerprint({ n: NaN })).toBe(OPAQUE);
    expect(fingerprint({ at: new Date(0) })).toBe(OPAQUE);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(fingerprint(cycle)).toBe(OPAQUE);
  });

  test('equal data is the same whatever the objects; order, keys and leaves matter', () => {
    const value = { a: 1, b: { c: ['x', true, null] }, __proto__x: 2 };
    const taken = snapshot(value);
    expect(sameData(structuredClone(value), taken)).toBe(true);
    expect(sameData(runInNewContext('({ a: 1, b: { c: ["x", true, null] }, __proto__x: 2 })'), taken)).toBe(true);
    expect(sameData({ b: { c: ['x', true, null] }, a: 1, __proto__x: 2 }, taken)).toBe(false);
    expect(sameData({ a: 1, b: { c: ['x', true] }, __proto__x: 2 }, taken)).toBe(false);
    expect(sameData({ a: 1, b: { c: ['x', true, null], d: undefined }, __proto__x: 2 }, taken)).toBe(false);
    expect(sameData({ a: '1', b: { c: ['x', true, null] }, __proto__x: 2 }, taken)).toBe(false);
  });

  test('a __proto__ key is data; class instances, cycles and absurd nesting are never the same', () => {
    const proto = JSON.parse('{"__proto__": {"x": 1}}');
    expect(sameData(JSON.parse('{"__proto__": {"x": 1}}'), snapshot(proto))).toBe(true);
    expect(sameData(JSON.parse('{"__proto__": {"x": 2}}'), snapshot(proto))).toBe(false);
    const date = { at: new Date(0) };
    expect(sameData(date, snapshot(date))).toBe(false);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(sameData(cycle, snapshot(cycle))).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    expect(sameData(deep, snapshot(deep))).toBe(false);
    expect(sameData({ n: NaN }, snapshot({ n: NaN }))).toBe(false);
  });
});

const backend = (name: string, spec: object): KubeObject => ({
  apiVersion: 'gateway.kgateway.dev/v1alpha1',
  kind: 'Backend',
  metadata: { name, namespace: 'default' },
  spec,
});
const secret = (name: string, value: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'default' },
  stringData: { value },
});
const service = (name: string, port: number): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { port } });

/** A type plugin whose hostname comes from a Secret, and that counts how often it runs. */
function secretPlugin(calls: { n: number }, read: (ctx: TranslateContext, name: string) => string | undefined): BackendPlugin {
  return definePlugin({
    name: 'test/secret-host',
    key: 'toy',
    schema: z.strictObject({ secret: z.string() }),
    translate(spec, ctx) {
      calls.n++;
      const host = read(ctx, spec.secret) ?? 'missing.example.com';
      return {
        cluster: {
          type: 'STRICT_DNS',
          loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: host, portValue: 80 } } } }] }] },
        },
      };
    },
  });
}

const viaGet = (ctx: TranslateContext, name: string) => (ctx.resources.get('Secret', 'default', name)?.stringData as { value?: string } | undefined)?.value;
const viaList = (ctx: TranslateContext, name: string) =>
  (ctx.resources.list('Secret').find((s) => s.metadata.name === name)?.stringData as { value?: string } | undefined)?.value;

const hostOf = (translator: ReturnType<typeof createTranslator>, objects: KubeObject[]) =>
  translator
    .translate(objects)
    .clusters.map((json) => clusterMessage(json))
    .map(
      (c) =>
        (c.loadAssignment?.endpoints[0]?.lbEndpoints[0]?.hostIdentifier.value as { address?: { address: { value?: { address?: string } } } })?.address?.address
          .value?.address,
    );

describe('incremental translation', () => {
  test.each([
    ['get', viaGet],
    ['list', viaList],
  ])('what a plugin read with %s is a dependency: a change to it translates the Backend again', (_, read) => {
    const calls = { n: 0 };
    const translator = createTranslator({ plugins: [secretPlugin(calls, read)] });
    const objects = [backend('b', { toy: { secret: 's' } }), secret('s', 'one.example.com'), secret('other', 'x')];
    expect(hostOf(translator, objects)).toEqual(['one.example.com']);
    expect(hostOf(translator, structuredClone(objects))).toEqual(['one.example.com']);
    expect(calls.n).toBe(1);
    expect(hostOf(translator, [objects[0]!, secret('s', 'two.example.com'), objects[2]!])).toEqual(['two.example.com']);
    expect(hostOf(translator, [objects[0]!, objects[2]!])).toEqual(['missing.example.com']);
    expect(hostOf(translator, [objects[0]!, secret('s', 'two.example.com'), objects[2]!])).toEqual(['two.example.com']);
    expect(calls.n).toBe(4);
  });

  test('a Backend changed in place (same object) is translated again', () => {
    const calls = { n: 0 };
    const translator = createTranslator({ plugins: [secretPlugin(calls, viaGet)] });
    const objects = [backend('b', { toy: { secret: 's' } }), secret('s', 'one.example.com'), secret('t', 'three.example.com')];
    translator.translate(objects);
    (objects[0]!.spec as { toy: { secret: string } }).toy.secret = 't';
    expect(hostOf(translator, objects)).toEqual(['three.example.com']);
    expect(calls.n).toBe(2);
  });

  test('an object changed in place to hold what is not JSON data is read again (the screen vouches for one translation only)', () => {
    const calls = { n: 0 };
    const translator = createTranslator({ plugins: [secretPlugin(calls, viaGet)] });
    const objects = [backend('b', { toy: { secret: 's' } }), secret('s', 'one.example.com')];
    expect(hostOf(translator, objects)).toEqual(['one.example.com']);
    // JSON.stringify would print the same text as before; the memo's own check sees the undefined.
    (objects[1]!.stringData as Record<string, unknown>).extra = undefined;
    expect(hostOf(translator, objects)).toEqual(['one.example.com']);
    expect(calls.n).toBe(2);
    // Not JSON data: never reused, however often it comes.
    expect(hostOf(translator, objects)).toEqual(['one.example.com']);
    expect(calls.n).toBe(3);
    delete (objects[1]!.stringData as Record<string, unknown>).extra;
    expect(hostOf(translator, objects)).toEqual(['one.example.com']);
    expect(hostOf(translator, objects)).toEqual(['one.example.com']);
    expect(calls.n).toBe(4);
  });

  test('objects with a resourceVersion are compared by it alone: a new version translates again, the same version reuses', () => {
    const calls = { n: 0 };
    const translator = createTranslator({ plugins: [secretPlugin(calls, viaGet)] });
    const versioned = (object: KubeObject, resourceVersion: string): KubeObject => ({ ...object, metadata: { ...object.metadata, resourceVersion } });
    const b = versioned(backend('b', { toy: { secret: 's' } }), '7');
    expect(hostOf(translator, [b, versioned(secret('s', 'one.example.com'), '3')])).toEqual(['one.example.com']);
    // A new object with the same versions: reused, without comparing the content.
    expect(hostOf(translator, [structuredClone(b), versioned(secret('s', 'one.example.com'), '3')])).toEqual(['one.example.com']);
    expect(calls.n).toBe(1);
    // The Secret has a new version: the Backend that read it is translated again.
    expect(hostOf(translator, [b, versioned(secret('s', 'two.example.com'), '4')])).toEqual(['two.example.com']);
    expect(calls.n).toBe(2);
    // The version is the promise: what a caller changes without a new version is not seen.
    expect(hostOf(translator, [b, versioned(secret('s', 'not-seen.example.com'), '4')])).toEqual(['two.example.com']);
    expect(calls.n).toBe(2);
    // Without a version, content decides again.
    expect(hostOf(translator, [b, secret('s', 'three.example.com')])).toEqual(['three.example.com']);
    expect(calls.n).toBe(3);
  });
  test("a plugin's clusters hook runs again only when what it read changed", () => {
    let runs = 0;
    const plugin: BackendPlugin = {
      name: 'test/per-service',
      clusters(ctx) {
        runs++;
        return ctx.resources.list('Service').map((s) => ({
          clusterName: `svc_${s.metadata.name}`,
          resource: s,
          fragment: {
            cluster: {
              type: 'STATIC',
              loadAssignment: {
                endpoints: [
                  { lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '192.0.2.1', portValue: (s.spec as { port: number }).port } } } }] },
                ],
              },
            },
          },
        }));
      },
    };
    const translator = createTranslator({ plugins: [plugin] });
    const first = translator.translate([service('a', 80), service('b', 81)]).clusters;
    const second = translator.translate([service('a', 80), service('b', 81)]).clusters;
    expect(runs).toBe(1);
    expect(second[0]).toBe(first[0]);
    const third = translator.translate([service('a', 80), service('b', 82)]).clusters;
    expect(runs).toBe(2);
    // The hook ran again, but cluster a is the same cluster: its composition is reused.
    expect(third[0]).toBe(first[0]);
    expect(third[1]).not.toBe(first[1]);
  });

  test('results with diagnostics a plugin located itself are not reused (their lines may have moved)', () => {
    let runs = 0;
    const plugin = definePlugin({
      name: 'test/located',
      key: 'toy',
      schema: z.strictObject({}),
      translate: () => {
        runs++;
        return {
          diagnostics: [{ severity: 'warning', code: 'x', message: 'm', source: { file: 'f.yaml', document: 0, line: 3 } }],
          cluster: { type: 'STATIC' },
        };
      },
    });
    const translator = createTranslator({ plugins: [plugin] });
    translator.translate([backend('b', { toy: {} })]);
    translator.translate([backend('b', { toy: {} })]);
    expect(runs).toBe(2);
  });

  test('Backends that share their reads (a shared value, an injected source) each see a change to them', () => {
    // Every Backend reads the same Secret through `ctx.shared` and the same source through
    // `ctx.resolve`: the memo keeps one list of reads for all of them (docs/performance.md, "The
    // memo's own objects on a first translation"), and a change must still reach every one.
    const SUFFIX = Symbol('suffix');
    let calls = 0;
    const plugin = definePlugin({
      name: 'test/shared-reads',
      key: 'toy',
      schema: z.strictObject({}),
      translate: (_, ctx) => {
        calls++;
        const host = ctx.shared('secret', (c) => viaGet(c, 's') ?? 'missing');
        const suffix = ctx.resolve<{ cacheVersion: number; text: string }>(SUFFIX, () => ({ cacheVersion: 0, text: '' }));
        return {
          cluster: {
            type: 'STRICT_DNS',
            loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: host + suffix.text, portValue: 80 } } } }] }] },
          },
        };
      },
    });
    const source = { cacheVersion: 1, text: '.one' };
    const translator = createTranslator({ plugins: [plugin], provide: [[SUFFIX, source]] });
    const backends = ['a', 'b', 'c'].map((name) => backend(name, { toy: {} }));
    expect(hostOf(translator, [...backends, secret('s', 'x')])).toEqual(['x.one', 'x.one', 'x.one']);
    expect(hostOf(translator, [...structuredClone(backends), secret('s', 'x')])).toEqual(['x.one', 'x.one', 'x.one']);
    expect(calls).toBe(3);
    expect(hostOf(translator, [...backends, secret('s', 'y')])).toEqual(['y.one', 'y.one', 'y.one']);
    expect(calls).toBe(6);
    source.text = '.two';
    source.cacheVersion = 2;
    expect(hostOf(translator, [...backends, secret('s', 'y')])).toEqual(['y.two', 'y.two', 'y.two']);
    expect(calls).toBe(9);
    // One Backend reads something more: the others keep their shared reads and are reused.
    const reader = backend('b', { toy: {} });
    expect(hostOf(translator, [backends[0]!, reader, backends[2]!, secret('s', 'y')])).toEqual(['y.two', 'y.two', 'y.two']);
    expect(calls).toBe(9);
  });

  test.each([false, true])(
    'a shared value computed inside another: a change to what the inner one read reaches the steps that asked for the outer one (versions: %s)',
    (versions) => {
      // The memo records a shared value's reads as one read (nested inside the outer value's), and
      // checks it once per translation; a delta finds its readers through the nested reads too.
      let calls = 0;
      const plugin = definePlugin({
        name: 'test/nested-shared',
        key: 'toy',
        schema: z.strictObject({ secret: z.string() }),
        translate: (spec, ctx) => {
          calls++;
          const host = ctx.shared(`outer/${spec.secret}`, (outer) => outer.shared(`inner/${spec.secret}`, (inner) => viaGet(inner, spec.secret) ?? 'missing'));
          const none = ctx.shared('nothing', () => '');
          return {
            cluster: {
              type: 'STRICT_DNS',
              loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: host + none, portValue: 80 } } } }] }] },
            },
          };
        },
      });
      let version = 0;
      const stamp = (object: KubeObject): KubeObject =>
        versions ? { ...object, metadata: { ...object.metadata, resourceVersion: String(++version) } } : object;
      const translator = createTranslator({ plugins: [plugin] });
      const objects = [backend('a', { toy: { secret: 's' } }), backend('b', { toy: { secret: 't' } }), secret('s', 'x'), secret('t', 'z')].map(stamp);
      expect(hostOf(translator, objects)).toEqual(['x', 'z']);
      expect(hostOf(translator, [...objects])).toEqual(['x', 'z']);
      expect(calls).toBe(2);
      expect(hostOf(translator, [objects[0]!, objects[1]!, stamp(secret('s', 'y')), objects[3]!])).toEqual(['y', 'z']);
      expect(calls).toBe(3);
      expect(hostOf(translator, [objects[0]!, objects[1]!, objects[3]!])).toEqual(['missing', 'z']);
      expect(calls).toBe(4);
    },
  );

  test('duplicates are a dependency too', () => {
    let runs = 0;
    const plugin = definePlugin({
      name: 'test/dupes',
      key: 'toy',
      schema: z.strictObject({}),
      translate: (_, ctx) => {
        runs++;
        return ctx.resources.duplicates.size > 0
          ? { diagnostics: [{ severity: 'error', code: 'dupes', message: 'duplicates exist' }] }
          : { cluster: { type: 'STATIC' } };
      },
    });
    const translator = createTranslator({ plugins: [plugin] });
    expect(translator.translate([backend('b', { toy: {} }), secret('s', 'x')]).clusters).toHaveLength(1);
    expect(translator.translate([backend('b', { toy: {} }), secret('s', 'x'), secret('s', 'y')]).clusters).toHaveLength(0);
    expect(runs).toBe(2);
  });

  test.each([true, false])(
    'ctx.shared computes once per translation; what it read is a dependency of every step that used it (incremental: %s)',
    (incremental) => {
      let computed = 0;
      const plugin = definePlugin({
        name: 'test/shared',
        key: 'toy',
        schema: z.strictObject({}),
        translate: (_, ctx) => {
          const host = ctx.shared('test/shared\0host', (shared) => {
            computed++;
            return viaGet(shared, 's') ?? 'missing.example.com';
          });
          return {
            cluster: {
              type: 'STRICT_DNS',
              loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: host, portValue: 80 } } } }] }] },
            },
          };
        },
      });
      const translator = createTranslator({ plugins: [plugin], incremental });
      const backends = [backend('a', { toy: {} }), backend('b', { toy: {} }), backend('c', { toy: {} })];
      expect(hostOf(translator, [...backends, secret('s', 'one.example.com')])).toEqual(['one.example.com', 'one.example.com', 'one.example.com']);
      expect(computed).toBe(1);
      expect(hostOf(translator, [...backends, secret('s', 'two.example.com')])).toEqual(['two.example.com', 'two.example.com', 'two.example.com']);
      expect(computed).toBe(2);
      hostOf(translator, [...backends, secret('s', 'two.example.com')]);
      // Reused when nothing changed; computed afresh every time without the cache.
      expect(computed).toBe(incremental ? 2 : 3);
    },
  );
});

describe('re-translation from a delta (objects with resourceVersions)', () => {
  const toy = (name: string, port: number, version: string): KubeObject => ({
    apiVersion: 'gateway.kgateway.dev/v1alpha1',
    kind: 'Backend',
    metadata: { name, namespace: 'default', resourceVersion: version },
    spec: { toy: { address: '192.0.2.1', port } },
  });
  // An extra cluster that takes the name Backend default/b would have: it reads nothing, so a delta
  // that adds that Backend leaves it as it is, and only the patch could see the collision.
  const squatter: BackendPlugin = {
    name: 'test/squatter',
    clusters: () => [
      {
        clusterName: 'backend_default_b_0',
        resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'squat', namespace: 'default' } },
        fragment: {
          cluster: {
            type: 'STATIC',
            loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '192.0.2.9', portValue: 9 } } } }] }] },
          },
        },
      },
    ],
  };
  const observable = (result: ReturnType<ReturnType<typeof createTranslator>['translate']>) => JSON.stringify(result);

  test('a change that makes two targets share a cluster name is reported as by a fresh translation', () => {
    const plugins = [toyPlugin, squatter];
    const translator = createTranslator({ plugins });
    const steps: KubeObject[][] = [
      [toy('a', 80, '1'), toy('c', 82, '3')],
      [toy('a', 80, '1'), toy('c', 82, '3'), toy('b', 81, '2')], // b collides with the squatter
      [toy('a', 80, '1'), toy('c', 82, '4')], // b gone again, c changed
      [toy('a', 81, '5'), toy('c', 82, '4')],
    ];
    let last: KubeObject[] = [];
    const seen: string[] = [];
    for (const objects of steps) {
      // Unchanged objects are handed over again as the same objects, as an informer does.
      const given = objects.map((o) => last.find((l) => l.metadata.name === o.metadata.name && l.metadata.resourceVersion === o.metadata.resourceVersion) ?? o);
      const fresh = createTranslator({ plugins, incremental: false }).translate(given);
      seen.push(observable(translator.translate(given)));
      expect(seen.at(-1)).toBe(observable(fresh));
      last = given;
    }
    expect(seen.map((text) => text.includes('cluster-name-collision'))).toEqual([false, true, false, false]);
  });

  test('a Backend unchanged keeps its cluster object; the changed one gets a new one', () => {
    const translator = createTranslator({ plugins: [toyPlugin] });
    const objects = Array.from({ length: 20 }, (_, i) => toy(`b${i}`, 80, `${i}`));
    const first = translator.translate(objects);
    const next = objects.map((o, i) => (i === 7 ? toy('b7', 8080, '99') : o));
    const second = translator.translate(next);
    expect(second.clusters.map((c) => c.name)).toEqual(first.clusters.map((c) => c.name));
    second.clusters.forEach((cluster, i) =>
      cluster.name === 'backend_default_b7_0' ? expect(cluster).not.toBe(first.clusters[i]) : expect(cluster).toBe(first.clusters[i]),
    );
    expect(JSON.stringify(second.clusters)).toContain('8080');
    expect(second.statuses).toEqual(createTranslator({ plugins: [toyPlugin], incremental: false }).translate(next).statuses);
  });
});
