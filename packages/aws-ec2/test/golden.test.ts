import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertStrictEnvoy, expectGolden, goldenCases, runTranslation } from '@backendkit/testing';
import { EC2_INSTANCE_SOURCE, awsEc2Plugin, parseDescribeInstances, staticInstanceSource, type DiscoveryState, type InstanceSource } from '@backendkit/aws-ec2';

const fixtures = join(__dirname, 'fixtures');

/**
 * `<name>.instances.json` (describe-instances output) feeds the offline source;
 * `<name>.state.json` maps a region to a DiscoveryState, for failures; neither = no source at all.
 */
function sourceFor(name: string): InstanceSource | undefined {
  const instances = join(fixtures, `${name}.instances.json`);
  if (existsSync(instances)) return staticInstanceSource(parseDescribeInstances(readFileSync(instances, 'utf8'), instances));
  const states = join(fixtures, `${name}.state.json`);
  if (!existsSync(states)) return undefined;
  const byRegion = JSON.parse(readFileSync(states, 'utf8')) as Record<string, DiscoveryState>;
  return { lookup: (target) => byRegion[target.region] ?? { status: 'pending', message: `no state for ${target.region}` } };
}

describe('aws-ec2 golden files', () => {
  for (const c of goldenCases(fixtures)) {
    test(c.name, () => {
      const source = sourceFor(c.name);
      const { output } = runTranslation(c.input, {
        plugins: [awsEc2Plugin()],
        file: `${c.name}.yaml`,
        ...(source ? { provide: [[EC2_INSTANCE_SOURCE, source]] as const } : {}),
      });
      assertStrictEnvoy(output);
      expectGolden(c.goldenFile, output);
    });
  }
});
