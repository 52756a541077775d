import { createTranslator, definePlugin, formatDiagnostic, toOutputDocument, type AncestorStatus, type BackendPlugin, type KubeObject } from '@backendkit/core';
import { MAX_ANCESTORS, MAX_CONDITION_MESSAGE } from '@backendkit/core/helpers';

const policyYaml = (name: string, timeout: string, comments = '') =>
  `apiVersion: example.com/v1\nkind: TimeoutPolicy\nmetadata: {name: ${name}, namespace: team}\n${comments}spec:\n  timeout: ${timeout}\n`;

/** A policy plugin in miniature: it owns TimeoutPolicy objects and gives each an `Accepted` status. */
function policyPlugin(runs: { n: number }): BackendPlugin {
  return definePlugin({
    name: 'test/timeout-policy',
    kinds: { TimeoutPolicy: ['example.com/v1'] },
    statuses(ctx) {
      runs.n++;
      return ctx.resources.list('TimeoutPolicy').map((policy) => {
        const timeout = (policy.spec as { timeout?: unknown } | undefined)?.timeout;
        const ok = typeof timeout === 'string' && /^\d+s$/.test(timeout);
        return {
          resource: policy,
          conditions: [
            {
              type: 'Accepted',
              status: ok ? 'True' : 'False',
              reason: ok ? 'Accepted' : 'Invalid',
              message: ok ? 'Policy accepted' : 'spec.timeout: must be a duration',
            },
          ],
          ...(ok ? {} : { diagnostics: [{ severity: 'error' as const, code: 'invalid-field', path: 'spec.timeout', message: 'must be a duration' }] }),
        };
      });
    },
  });
}

describe('statuses of objects a plugin owns', () => {
  test("follow the Backends' statuses, sorted by kind, namespace and name, with their problems located", () => {
    const runs = { n: 0 };
    const translator = createTranslator({ plugins: [policyPlugin(runs)] });
    const text = `${policyYaml('b', '5s')}---\n${policyYaml('a', 'soon')}`;
    const result = translator.translateText(text, { file: 'p.yaml' });
    expect(result.statuses.map((s) => [s.kind, s.name, s.conditions[0]!.status])).toEqual([
      ['TimeoutPolicy', 'a', 'False'],
      ['TimeoutPolicy', 'b', 'True'],
    ]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(['error: p.yaml#1:11 TimeoutPolicy team/a: spec.timeout: must be a duration']);
    expect(result.diagnostics[0]!.plugin).toBe('test/timeout-policy');
  });

  test('are reused while what the hook read is unchanged, and their lines follow the input', () => {
    const runs = { n: 0 };
    const translator = createTranslator({ plugins: [policyPlugin(runs)] });
    translator.translateText(policyYaml('a', 'soon'), { file: 'p.yaml' });
    // The same content with its spec two lines further down: reused, and located where it is now.
    const moved = translator.translateText(policyYaml('a', 'soon', '# one\n# two\n'), { file: 'p.yaml' });
    expect(runs.n).toBe(1);
    expect(moved.diagnostics.map(formatDiagnostic)).toEqual(['error: p.yaml#0:7 TimeoutPolicy team/a: spec.timeout: must be a duration']);
    const fixed = translator.translateText(policyYaml('a', '3s'), { file: 'p.yaml' });
    expect(runs.n).toBe(2);
    expect(fixed.statuses[0]!.conditions[0]!.status).toBe('True');
  });

  test('a statuses hook that throws is a plugin-failed diagnostic, and the translation goes on', () => {
    const broken: BackendPlugin = {
      name: 'test/broken-statuses',
      statuses: () => {
        throw new Error('index offline');
      },
    };
    const backend: KubeObject = { apiVersion: 'gateway.kgateway.dev/v1alpha1', kind: 'Backend', metadata: { name: 'x', namespace: 'default' }, spec: {} };
    const result = createTranslator({ plugins: [broken] }).translate([backend]);
    expect(result.statuses.map((s) => s.kind)).toEqual(['Backend']);
    expect(result.diagnostics.map((d) => [d.code, d.plugin, d.message])).toContainEqual([
      'plugin-failed',
      'test/broken-statuses',
      'plugin failed: index offline',
    ]);
  });

  describe('per-ancestor statuses', () => {
    const ancestor = (name: string, message = 'Policy accepted'): AncestorStatus => ({
      ancestorRef: { group: '', kind: 'Service', namespace: 'team', name },
      controllerName: 'example.com/controller',
      conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message }],
    });
    const withAncestors = (ancestors: AncestorStatus[]): BackendPlugin =>
      definePlugin({
        name: 'test/ancestors',
        kinds: { TimeoutPolicy: ['example.com/v1'] },
        statuses: (ctx) => ctx.resources.list('TimeoutPolicy').map((policy) => ({ resource: policy, conditions: [], ancestors })),
      });

    test('are carried into result.statuses and the output document as the plugin gave them', () => {
      const ancestors = [
        ancestor('web'),
        { ...ancestor('api'), ancestorRef: { group: '', kind: 'Service', namespace: 'team', name: 'api', sectionName: 'https' } },
      ];
      const result = createTranslator({ plugins: [withAncestors(ancestors)] }).translateText(policyYaml('a', '5s'));
      expect(result.diagnostics).toEqual([]);
      expect(result.statuses).toEqual([{ apiVersion: 'example.com/v1', kind: 'TimeoutPolicy', namespace: 'team', name: 'a', conditions: [], ancestors }]);
      expect(toOutputDocument(result).statuses[0]).toEqual(result.statuses[0]);
    });

    test('a status without them has no ancestors field', () => {
      const result = createTranslator({ plugins: [policyPlugin({ n: 0 })] }).translateText(policyYaml('a', '5s'));
      expect(Object.keys(result.statuses[0]!)).toEqual(['apiVersion', 'kind', 'namespace', 'name', 'conditions']);
    });

    test("are cut to Gateway API's 16 with a warning, and their messages bounded like any condition's", () => {
      const many = Array.from({ length: MAX_ANCESTORS + 2 }, (_, i) => ancestor(`s${i}`, i === 0 ? 'x'.repeat(MAX_CONDITION_MESSAGE + 10) : 'Policy accepted'));
      const result = createTranslator({ plugins: [withAncestors(many)] }).translateText(policyYaml('a', '5s'), { file: 'p.yaml' });
      const kept = result.statuses[0]!.ancestors!;
      expect(kept.map((a) => a.ancestorRef.name)).toEqual(many.slice(0, MAX_ANCESTORS).map((a) => a.ancestorRef.name));
      expect(kept[0]!.conditions[0]!.message.length).toBe(MAX_CONDITION_MESSAGE);
      expect(many[0]!.conditions[0]!.message.length).toBe(MAX_CONDITION_MESSAGE + 10);
      expect(result.diagnostics.map(formatDiagnostic)).toEqual([
        "warning: p.yaml#0:1 TimeoutPolicy team/a: the status has 18 ancestors; Gateway API's PolicyStatus holds at most 16: the first 16 are kept",
      ]);
    });
  });
});
