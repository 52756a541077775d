import { createTranslator, definePlugin, formatDiagnostic, type BackendPlugin, type KubeObject } from '@backendkit/core';

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
});
