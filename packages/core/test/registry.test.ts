import {
  BACKEND_PLUGIN,
  type DuplicatePluginError,
  createTranslator,
  isDuplicatePluginError,
  isInvalidPluginError,
  type BackendPlugin,
} from '@backendkit/core';
import { PluginRegistry } from '../src/registry';
// After core, which loads the Reflect polyfill tsyringe needs.
import { container } from 'tsyringe';
import { staticPlugin } from '@backendkit/static';
import { featurePlugin, toyPlugin } from './toy-plugins';

describe('plugin registry', () => {
  test('a second plugin for the same key is rejected with both names', () => {
    const impostor = { ...staticPlugin(), name: 'test/other-static' };
    let caught: unknown;
    try {
      createTranslator({ plugins: [staticPlugin(), impostor] });
    } catch (error) {
      caught = error;
    }
    expect(isDuplicatePluginError(caught)).toBe(true);
    expect((caught as DuplicatePluginError).plugins).toEqual(['@backendkit/static', 'test/other-static']);
    expect((caught as Error).message).toBe('plugins "@backendkit/static" and "test/other-static" both claim the key "static"');
  });

  test('two plugins with one name are rejected', () => {
    expect(() => createTranslator({ plugins: [featurePlugin('same', {}), featurePlugin('same', {})] })).toThrow(
      'plugins "same" and "same" both claim the name "same"',
    );
  });

  test('variants share a key; the same variant twice, or a variant beside a plain owner, is rejected', () => {
    const variant = (name: string, v?: string): BackendPlugin => ({ ...toyPlugin, name, key: 'aws', ...(v ? { variant: v } : {}) });
    expect(() => createTranslator({ plugins: [variant('a', 'lambda'), variant('b', 'ec2')] })).not.toThrow();
    expect(() => createTranslator({ plugins: [variant('a', 'lambda'), variant('b', 'lambda')] })).toThrow('both claim the key "aws.lambda"');
    expect(() => createTranslator({ plugins: [variant('a'), variant('b', 'ec2')] })).toThrow('both claim the key "aws"');
  });

  test.each<[string, object]>([
    ['no name', { extend: () => undefined }],
    ['key without schema', { name: 'x', key: 'x', translate: () => ({}) }],
    ['translate without key', { name: 'x', schema: toyPlugin.schema, translate: () => ({}) }],
    ['no hook at all', { name: 'x' }],
    ['variant without key', { name: 'x', variant: 'v', extend: () => undefined }],
  ])('a plugin with %s is rejected', (_, plugin) => {
    let caught: unknown;
    try {
      createTranslator({ plugins: [plugin as BackendPlugin] });
    } catch (error) {
      caught = error;
    }
    expect(isInvalidPluginError(caught)).toBe(true);
  });

  test('hooks run in registration order', () => {
    const registry = new PluginRegistry([featurePlugin('b', {}), featurePlugin('a', {}), featurePlugin('c', {})]);
    expect(registry.plugins.map((p) => p.name)).toEqual(['b', 'a', 'c']);
  });

  test('plugins registered in a parent container reach the translator; siblings stay isolated', () => {
    const parent = container.createChildContainer();
    parent.register(BACKEND_PLUGIN, { useValue: toyPlugin });
    const withToy = createTranslator({ plugins: [staticPlugin()], container: parent });
    const without = createTranslator({ plugins: [staticPlugin()] });
    expect(withToy.registry.keys.sort()).toEqual(['static', 'toy']);
    expect(without.registry.keys).toEqual(['static']);
  });

  test("tsyringe's global container never reaches a translator that was not given it", () => {
    const SOURCE = Symbol('test.GlobalSource');
    const reader: BackendPlugin = {
      name: 'test/reads-source',
      extend: (_target, ctx) => ({ cluster: { perConnectionBufferLimitBytes: ctx.resolve(SOURCE, () => 1) } }),
    };
    container.register(BACKEND_PLUGIN, { useValue: toyPlugin });
    container.register(SOURCE, { useValue: 2 });
    try {
      const translator = createTranslator({ plugins: [staticPlugin(), reader] });
      expect(translator.registry.keys).toEqual(['static']);
      const result = translator.translate([
        {
          apiVersion: 'gateway.kgateway.dev/v1alpha1',
          kind: 'Backend',
          metadata: { name: 'a', namespace: 'default' },
          spec: { static: { hosts: [{ host: '192.0.2.1', port: 80 }] } },
        },
      ]);
      expect(result.clusters[0]?.perConnectionBufferLimitBytes).toBe(1);
      // Given explicitly, the same container is wired in: the one supported way (docs/architecture.md).
      expect(createTranslator({ plugins: [staticPlugin()], container }).registry.keys.sort()).toEqual(['static', 'toy']);
    } finally {
      container.clearInstances();
      container.reset();
    }
  });
  test('without a container, provide answers ctx.resolve as a fresh tsyringe container holding the same values does', () => {
    const GIVEN = Symbol('test.Given');
    const TWICE = 'test.Twice';
    const ABSENT = Symbol('test.Absent');
    const reader: BackendPlugin = {
      name: 'test/reads-sources',
      extend: (_target, ctx) => ({
        cluster: {
          perConnectionBufferLimitBytes: ctx.resolve(GIVEN, () => 1),
          connectTimeout: `${ctx.resolve(TWICE, () => 1)}s`,
          dnsRefreshRate: `${ctx.resolve(ABSENT, () => 7)}s`,
        },
      }),
    };
    const provide = [
      [GIVEN, 3],
      [TWICE, 4],
      [TWICE, 5],
    ] as const;
    const backend = {
      apiVersion: 'gateway.kgateway.dev/v1alpha1',
      kind: 'Backend',
      metadata: { name: 'a', namespace: 'default' },
      spec: { static: { hosts: [{ host: 'a.example.com', port: 80 }] } },
    };
    const plain = createTranslator({ plugins: [staticPlugin(), reader], provide }).translate([backend]);
    const wired = createTranslator({ plugins: [staticPlugin(), reader], provide, container: container.createChildContainer() }).translate([backend]);
    expect(plain.clusters[0]).toMatchObject({ perConnectionBufferLimitBytes: 3, connectTimeout: '5s', dnsRefreshRate: '7s' });
    expect(plain.clusters).toEqual(wired.clusters);
    expect(plain.diagnostics).toEqual(wired.diagnostics);
  });
});
