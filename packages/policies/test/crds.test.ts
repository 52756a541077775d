import { pluginCrds, type JsonSchema } from '@backendkit/core/schema';
import { backendConfigPolicyCrd, backendTlsPolicyCrd, policyPlugins } from '@backendkit/policies';
import { builtinPlugins } from '@backendkit/preset';
import { structuralProblems } from '../../core/test/schema-export/crd-rules';

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
});
