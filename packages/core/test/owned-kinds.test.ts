import { createTranslator, loadText, PluginRegistry, type BackendPlugin } from '@backendkit/core';

const widgetText = `apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: 3}
`;

/** A plugin that owns the kind Widget: reads it, reports one status and one problem per Widget. */
function widgetPlugin(): BackendPlugin {
  return {
    name: 'test/widgets',
    kinds: { Widget: ['example.com/v1'] },
    statuses: (ctx) =>
      ctx.resources.list('Widget').map((w) => ({
        apiVersion: w.apiVersion,
        kind: w.kind,
        namespace: w.metadata.namespace,
        name: w.metadata.name,
        conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Widget accepted' }],
      })),
    diagnostics: (ctx) => ctx.resources.list('Widget').map((w) => ({ severity: 'warning', code: 'widget', message: `widget ${w.metadata.name} seen` })),
  };
}

describe('kinds plugins own', () => {
  test('the loader skips a kind nobody declares, and accepts it once a plugin declares it', () => {
    expect(loadText(widgetText).objects).toEqual([]);
    const kinds = new PluginRegistry([widgetPlugin()]).kinds;
    expect(kinds.Widget).toEqual(['example.com/v1']);
    expect(kinds.Backend).toEqual(['gateway.kgateway.dev/v1alpha1', 'gloo.solo.io/v1alpha1']);
    expect(loadText(widgetText, { kinds }).objects.map((o) => o.kind)).toEqual(['Widget']);
  });

  test("a translator loads its plugins' kinds and adds their statuses and diagnostics", () => {
    const result = createTranslator({ plugins: [widgetPlugin()] }).translateText(widgetText);
    expect(result.statuses).toEqual([
      { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'shop', name: 'w', conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Widget accepted' }] },
    ]);
    expect(result.diagnostics).toEqual([{ severity: 'warning', code: 'widget', message: 'widget w seen' }]);
  });

  test('a second apiVersion of a known kind is added to the ones core accepts', () => {
    const kinds = new PluginRegistry([{ ...widgetPlugin(), kinds: { Secret: ['v2'] } }]).kinds;
    expect(kinds.Secret).toEqual(['v1', 'v2']);
  });
});
