import { readFileSync } from 'node:fs';
import { definePlugin, type BackendPlugin, type KubeObject } from '@backendkit/core';
import { staticPlugin, staticSchema, type StaticSpec } from '@backendkit/static';
import { expectNoDiagnostics, makeBackend, runPlugin } from '@backendkit/testing';

/** The 1-based line of this file that holds `marker`, to check the stack points at it. */
function lineOf(marker: string): number {
  const lines = readFileSync(__filename, 'utf8').split('\n');
  return lines.findIndex((line) => line.includes(marker) && !line.includes('lineOf(')) + 1;
}

const caught = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected runPlugin to throw');
};

const toyHosts = { hosts: [{ host: '192.0.2.1', port: 80 }] };
const cluster = {
  type: 'STATIC' as const,
  loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '192.0.2.1', portValue: 80 } } } }] }] },
};

describe('runPlugin freezes what it hands to hooks', () => {
  test('a translate that changes its spec fails, pointing at the line that did it', () => {
    const sorting = definePlugin<StaticSpec>({
      name: 'test/sorts-in-place',
      key: 'toy',
      schema: staticSchema,
      translate(spec) {
        spec.hosts.sort((a, b) => a.port - b.port); // MUTATES-SPEC
        return { cluster };
      },
    });
    const error = caught(() =>
      runPlugin(sorting, {
        spec: {
          toy: {
            hosts: [
              { host: '192.0.2.2', port: 81 },
              { host: '192.0.2.1', port: 80 },
            ],
          },
        },
      }),
    );
    expect(error.name).toBe('PluginMutationError');
    expect(error.message).toMatch(
      /^runPlugin: plugin "test\/sorts-in-place" changed its input in translate \(hooks must not change what they are given, so runPlugin freezes it\): Cannot assign to read only property/,
    );
    // The first frame below the message is the plugin's own line.
    expect(error.stack!.split('\n')[1]).toContain(`frozen-inputs.test.ts:${lineOf('MUTATES-SPEC')}:`);
  });

  test('so does one that changes the Backend, an object it looks up, or the type fragment it extends', () => {
    const renames = definePlugin({
      name: 'test/renames',
      key: 'toy',
      schema: staticSchema,
      translate(_spec, ctx) {
        (ctx.backend.metadata as { name: string }).name = 'other'; // MUTATES-BACKEND
        return { cluster };
      },
    });
    expect(caught(() => runPlugin(renames, { spec: { toy: toyHosts } })).stack!.split('\n')[1]).toContain(`:${lineOf('MUTATES-BACKEND')}:`);

    const labels = definePlugin({
      name: 'test/labels-secret',
      key: 'toy',
      schema: staticSchema,
      translate(_spec, ctx) {
        const secret = ctx.resources.get('Secret', 'default', 's')!;
        secret.metadata.labels = { seen: 'yes' }; // MUTATES-RESOURCE
        return { cluster };
      },
    });
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' } };
    expect(caught(() => runPlugin(labels, { spec: { toy: toyHosts } }, { resources: [secret] })).stack!.split('\n')[1]).toContain(
      `:${lineOf('MUTATES-RESOURCE')}:`,
    );
    // The test's own object is copied before it is frozen.
    expect(Object.isFrozen(secret)).toBe(false);

    const tweaks: BackendPlugin = {
      name: 'test/tweaks-type-fragment',
      extend(target) {
        (target.fragment.cluster as { connectTimeout?: string }).connectTimeout = '1s'; // MUTATES-FRAGMENT
        return undefined;
      },
    };
    const error = caught(() => runPlugin(tweaks, makeBackend({ static: { hosts: [{ host: '192.0.2.1', port: 80 }] } }), { plugins: [staticPlugin()] }));
    expect(error.message).toContain('changed its input in extend');
    expect(error.stack!.split('\n')[1]).toContain(`:${lineOf('MUTATES-FRAGMENT')}:`);
  });

  test('a pure plugin runs as before, and a plugin that throws for another reason is still a diagnostic', () => {
    expectNoDiagnostics(runPlugin(staticPlugin(), { spec: { static: { hosts: [{ host: '192.0.2.1', port: 80 }] } } }));
    const broken = definePlugin({
      name: 'test/broken',
      key: 'toy',
      schema: staticSchema,
      translate: () => {
        throw new TypeError('x is undefined');
      },
    });
    expect(runPlugin(broken, { spec: { toy: toyHosts } }).diagnostics.map((d) => d.message)).toEqual(['plugin failed: x is undefined']);
  });
});
