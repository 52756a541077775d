import fc from 'fast-check';
import type { KubeObject } from '@backendkit/core';
import { screenEnvelopes } from '../src/envelope';
import { IncrementalScreen } from '../src/input-delta';
import { keyOf, ResourceIndex } from '../src/resources';

const object = (kind: string, name: string, version: string | undefined, labels?: Record<string, string>, namespace = 'ns'): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace, ...(version ? { resourceVersion: version } : {}), ...(labels ? { labels } : {}) },
});

const names = (objects: readonly KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`);

describe('IncrementalScreen', () => {
  const base = () => [object('Backend', 'a', '1'), object('Service', 's', '2'), object('Backend', 'b', '3')];

  test('the first call screens everything and gives no delta; the next names what changed', () => {
    const screen = new IncrementalScreen();
    const first = base();
    expect(screen.screen(first).delta).toBeUndefined();

    const updated = [first[0]!, { ...first[1]!, metadata: { ...first[1]!.metadata, resourceVersion: '4' } }, first[2]!];
    const second = screen.screen(updated);
    expect(names(second.delta!.removed)).toEqual(['Service/s@2']);
    expect(names(second.delta!.added)).toEqual(['Service/s@4']);
    expect(second.screened.objects).toEqual(screenEnvelopes(updated).objects);

    const added = [...updated, object('Backend', 'c', '5')];
    const third = screen.screen(added);
    expect(names(third.delta!.removed)).toEqual([]);
    expect(names(third.delta!.added)).toEqual(['Backend/c@5']);

    const removed = added.filter((o) => o.metadata.name !== 'a');
    const fourth = screen.screen(removed);
    expect(names(fourth.delta!.removed)).toEqual(['Backend/a@1']);
    expect(names(fourth.delta!.added)).toEqual([]);
    expect(fourth.screened.objects).toEqual(removed);

    // The same objects again: an empty delta.
    const fifth = screen.screen([...removed]);
    expect(fifth.delta).toEqual({ removed: [], added: [] });
  });

  test('no delta without versions, with a problem, with an object defined twice, or changed in place', () => {
    const cases: Array<[string, (objects: KubeObject[]) => unknown[]]> = [
      ['an object without resourceVersion', (objects) => [...objects, object('Backend', 'x', undefined)]],
      ['an object refused by the screen', (objects) => [...objects, { kind: 'Backend' }]],
      ['an object defined twice', (objects) => [...objects, { ...objects[0]! }]],
      [
        'a version changed in place',
        (objects) => {
          objects[1]!.metadata.resourceVersion = '9';
          return objects;
        },
      ],
    ];
    for (const [name, edit] of cases) {
      const screen = new IncrementalScreen();
      const objects = base();
      screen.screen(objects);
      const next = edit(objects);
      const { screened, delta } = screen.screen(next);
      expect({ name, delta }).toEqual({ name, delta: undefined });
      const fresh = screenEnvelopes(next);
      expect(screened.objects).toEqual(fresh.objects);
      expect(screened.diagnostics).toEqual(fresh.diagnostics);
    }
  });

  test('a window of changes wider than a patch is worth: a full screen', () => {
    const screen = new IncrementalScreen();
    const objects = Array.from({ length: 600 }, (_, i) => object('Backend', `b${i}`, `${i}`));
    screen.screen(objects);
    expect(screen.screen(objects.slice().reverse()).delta).toBeUndefined();
  });
});

describe('ResourceIndex.patch', () => {
  // Objects of two kinds in two namespaces, with a label of three values; a step replaces some, adds, removes.
  const arbitraryObject = fc.record({
    kind: fc.constantFrom('Service', 'EndpointSlice'),
    name: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
    namespace: fc.constantFrom('x', 'y'),
    label: fc.option(fc.constantFrom('s1', 's2', 's3'), { nil: undefined }),
  });
  const build = (spec: { kind: string; name: string; namespace: string; label: string | undefined }, version: number) =>
    object(spec.kind, spec.name, String(version), spec.label ? { app: spec.label } : undefined, spec.namespace);
  const unique = (objects: KubeObject[]) => {
    const seen = new Set<string>();
    return objects.filter((o) => {
      const key = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  const view = (index: ResourceIndex) => {
    const out: Record<string, string[]> = {};
    for (const kind of ['Service', 'EndpointSlice']) {
      out[kind] = names(index.list(kind));
      for (const ns of ['x', 'y']) {
        out[`${kind} in ${ns}`] = names(index.list(kind, ns));
        for (const value of ['s1', 's2', 's3']) out[`${kind} ${ns} app=${value}`] = names(index.withLabel(kind, ns, 'app', value));
      }
    }
    return out;
  };

  test('a patched index answers like one built from the new objects', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryObject, { maxLength: 12 }),
        fc.array(arbitraryObject, { maxLength: 12 }),
        fc.array(fc.boolean(), { maxLength: 12 }),
        fc.boolean(),
        (before, after, drops, keyedBefore) => {
          const old = unique(before.map((o, i) => build(o, i)));
          const index = new ResourceIndex(old);
          const handedOut = view(index); // also builds the label index, which the patch must keep right
          // `byKeyOf` builds its map when first asked: before the patch (which must keep it right) or after.
          if (keyedBefore) for (const o of old) expect(index.byKeyOf(keyOf(o.kind, o.metadata.namespace, o.metadata.name))).toBe(o);
          const kept = old.filter((_, i) => !drops[i]);
          const keys = new Set(kept.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`));
          const added = unique(after.map((o, i) => build(o, 100 + i))).filter((o) => !keys.has(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`));
          index.patch(
            old.filter((_, i) => drops[i]),
            added,
          );
          expect(view(index)).toEqual(view(new ResourceIndex([...kept, ...added])));
          for (const o of [...kept, ...added]) {
            expect(index.get(o.kind, o.metadata.namespace, o.metadata.name)).toBe(o);
            expect(index.byKeyOf(keyOf(o.kind, o.metadata.namespace, o.metadata.name))).toBe(o);
          }
          const gone = old.filter(
            (o, i) =>
              drops[i] && !added.some((a) => keyOf(a.kind, a.metadata.namespace, a.metadata.name) === keyOf(o.kind, o.metadata.namespace, o.metadata.name)),
          );
          for (const o of gone) {
            expect(index.get(o.kind, o.metadata.namespace, o.metadata.name)).toBeUndefined();
            expect(index.byKeyOf(keyOf(o.kind, o.metadata.namespace, o.metadata.name))).toBeUndefined();
          }
          // Lists handed out before the patch did not change.
          expect(handedOut).toEqual(view(new ResourceIndex(old)));
        },
      ),
      { numRuns: 300, seed: 20261202 },
    );
  });
});
