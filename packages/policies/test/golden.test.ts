import { join } from 'node:path';
import { CLUSTER_SHAPES } from '@backendkit/core';
import { goldenSuite } from '@backendkit/testing';
import { testPlugins } from './plugins';

// Both output shapes (docs/dns-clusters.md): `<name>.golden.json` for current Envoy,
// `<name>.legacy.golden.json` for `clusterShape: 'legacy'`.
describe.each(CLUSTER_SHAPES)('policy golden files (%s shape)', (clusterShape) => {
  goldenSuite(join(__dirname, 'fixtures'), {
    translate: { plugins: testPlugins(), clusterShape },
    ...(clusterShape === 'legacy' ? { variant: 'legacy' } : {}),
  });
});
