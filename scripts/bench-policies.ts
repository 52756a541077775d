// The cost of the policy plugins (docs/performance.md): N static Backends, half of them selected by
// five BackendConfigPolicies, translated with and without the policies. Prints JSON lines.
import { createTranslator, type KubeObject } from '@backendkit/core';
import { builtinPlugins } from '@backendkit/preset';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
const SIZES = sizes.length > 0 ? sizes : [1_000, 10_000];
const POLICIES = 5;

function input(n: number): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let i = 0; i < n; i++) {
    const host = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const labels = { tier: i % 2 ? 'gold' : 'silver' };
    objects.push({
      apiVersion: 'gateway.kgateway.dev/v1alpha1',
      kind: 'Backend',
      metadata: { name: `b${i}`, namespace: 'default', labels },
      spec: { static: { hosts: [{ host, port: 80 }] } },
    });
  }
  for (let p = 0; p < POLICIES; p++) {
    const spec = {
      targetSelectors: [{ group: 'gateway.kgateway.dev', kind: 'Backend', matchLabels: { tier: 'gold' } }],
      connectTimeout: `${p + 1}s`,
      circuitBreakers: { maxConnections: 10 + p },
      loadBalancer: { roundRobin: {} },
      outlierDetection: {},
    };
    objects.push({ apiVersion: 'gateway.kgateway.dev/v1alpha1', kind: 'BackendConfigPolicy', metadata: { name: `p${p}`, namespace: 'default' }, spec });
  }
  return objects;
}

for (const n of SIZES) {
  const all = input(n);
  for (const policies of [0, POLICIES]) {
    const objects = policies ? all : all.filter((o) => o.kind === 'Backend');
    const translator = createTranslator({ plugins: builtinPlugins(), incremental: false });
    translator.translate(objects.slice(0, 100)); // warm up
    const started = performance.now();
    const result = translator.translate(objects);
    const ms = performance.now() - started;
    console.log(JSON.stringify({ backends: n, policies, ms: Math.round(ms), perBackendUs: Math.round((ms * 1000) / n), clusters: result.clusters.length }));
  }
}
