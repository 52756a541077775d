import { pluginCrds, type JsonSchema } from '@backendkit/core/schema';
import { backendConfigPolicyCrd, backendTlsPolicyCrd, policyPlugins } from '@backendkit/policies';
import { builtinPlugins } from '@backendkit/preset';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { runTranslation } from '@backendkit/testing';
import { structuralProblems } from '../../core/test/schema-export/crd-rules';
import { testPlugins } from './plugins';

const versions = (crd: JsonSchema) => (crd.spec as { versions: Array<{ name: string; schema: { openAPIV3Schema: JsonSchema } }> }).versions;

describe('policy CRDs', () => {
  test.each([
    ['BackendConfigPolicy', backendConfigPolicyCrd(), ['v1alpha1']],
    ['BackendTLSPolicy', backendTlsPolicyCrd(), ['v1', 'v1alpha3']],
  ] as const)('%s: structural, with the versions backendkit reads', (kind, crd, names) => {
    expect((crd.spec as { names: { kind: string } }).names.kind).toBe(kind);
    expect(versions(crd).map((v) => v.name)).toEqual(names);
    for (const v of versions(crd)) expect(structuralProblems(v.schema.openAPIV3Schema)).toEqual([]);
  });

  test('the spec schema carries the fields and the CRD defaults', () => {
    const spec = (versions(backendConfigPolicyCrd())[0]!.schema.openAPIV3Schema.properties as Record<string, JsonSchema>).spec!;
    const props = spec.properties as Record<string, JsonSchema>;
    expect(Object.keys(props)).toEqual(
      expect.arrayContaining([
        'targetRefs',
        'targetSelectors',
        'connectTimeout',
        'tls',
        'loadBalancer',
        'healthCheck',
        'outlierDetection',
        'circuitBreakers',
        'dns',
        'upstreamProxyProtocol',
      ]),
    );
    const outlier = props.outlierDetection!.properties as Record<string, JsonSchema>;
    expect([outlier.consecutive5xx!.default, outlier.interval!.default, outlier.baseEjectionTime!.default, outlier.maxEjectionPercent!.default]).toEqual([
      5,
      '10s',
      '30s',
      10,
    ]);
  });

  test('pluginCrds lists the CRDs the registered plugins declare', () => {
    const names = (list: JsonSchema[]) => list.map((c) => (c.metadata as { name: string }).name);
    expect(names(pluginCrds(policyPlugins()))).toEqual(['backendconfigpolicies.gateway.kgateway.dev', 'backendtlspolicies.gateway.networking.k8s.io']);
    expect(names(pluginCrds(builtinPlugins()))).toEqual(names(pluginCrds(policyPlugins())));
  });

  test('the status schema holds the statuses the plugins write, ancestors included, and refuses more than 16 ancestors', () => {
    const text = ['ancestors', 'invalid-tls', 'backend-tls-policy'].map((f) => readFileSync(join(__dirname, 'fixtures', `${f}.yaml`), 'utf8')).join('---\n');
    const { result } = runTranslation(text, { plugins: testPlugins() });
    const ajv = new Ajv({
      strict: false,
      formats: {
        // The OpenAPI formats the CRDs use (Kubernetes' meaning): checked, not ignored with a warning.
        int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
        int64: { type: 'number', validate: (n: number) => Number.isSafeInteger(n) },
        'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
      },
    });
    const statusSchema = (crd: JsonSchema) => (versions(crd)[0]!.schema.openAPIV3Schema.properties as Record<string, JsonSchema>).status!;
    const validators = {
      BackendConfigPolicy: ajv.compile(statusSchema(backendConfigPolicyCrd())),
      BackendTLSPolicy: ajv.compile(statusSchema(backendTlsPolicyCrd())),
    };
    const policies = result.statuses.filter((s) => s.kind in validators);
    expect(policies.length).toBeGreaterThan(10);
    expect(policies.every((s) => s.ancestors !== undefined)).toBe(true);
    for (const { kind, conditions, ancestors } of policies) {
      const validate = validators[kind as keyof typeof validators];
      expect([kind, validate({ conditions, ancestors }), validate.errors ?? null]).toEqual([kind, true, null]);
    }
    const one = policies.find((s) => (s.ancestors?.length ?? 0) > 0)!;
    const tooMany = { conditions: one.conditions, ancestors: Array(17).fill(one.ancestors![0]) };
    expect(validators.BackendConfigPolicy(tooMany)).toBe(false);
  });
});
