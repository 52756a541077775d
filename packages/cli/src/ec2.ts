import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostic, KubeObject } from '@backendkit/core';
import {
  EC2_INSTANCE_SOURCE,
  InstancesFileError,
  discoverOnce,
  ec2Targets,
  parseDescribeInstances,
  staticInstanceSource,
  type InstanceSource,
} from '@backendkit/aws-ec2';
import type { OptionValues } from './command';
import { UsageError, type CliIo } from './io';

export interface Ec2Provision {
  /** The instance source the options ask for, as a `provide` entry; none without options. */
  provide: Array<readonly [symbol, InstanceSource]>;
  /** A --discover-ec2 pass that failed for a region is an error: its Backends get no endpoints. */
  diagnostics: Diagnostic[];
}

export async function ec2Provide(values: OptionValues, objects: readonly KubeObject[], io: CliIo): Promise<Ec2Provision> {
  const file = values['ec2-instances'];
  const discover = values['discover-ec2'] === true;
  const endpoint = values['ec2-endpoint'];
  if (typeof file === 'string' && discover) throw new UsageError('--ec2-instances and --discover-ec2 cannot be used together');
  if (endpoint !== undefined && !discover) throw new UsageError('--ec2-endpoint needs --discover-ec2');
  if (typeof file === 'string') return { provide: [[EC2_INSTANCE_SOURCE, staticInstanceSource(await readInstances(file, io))]], diagnostics: [] };
  if (!discover) return { provide: [], diagnostics: [] };
  const { source, report } = await discoverOnce(ec2Targets(objects), typeof endpoint === 'string' ? { endpoint: checkEndpoint(endpoint) } : {});
  const diagnostics: Diagnostic[] = [];
  const failed = (message: string): number => diagnostics.push({ severity: 'error', code: 'ec2-discovery-failed', message });
  if (report.error) failed(`--discover-ec2 failed: ${report.error}`);
  for (const target of report.targets) {
    if (target.failure) failed(`--discover-ec2 failed for ${target.region}: ${target.failure.message}`);
  }
  return { provide: [[EC2_INSTANCE_SOURCE, source]], diagnostics };
}

async function readInstances(file: string, io: CliIo) {
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read --ec2-instances ${file}: ${error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message)}`);
  });
  try {
    return parseDescribeInstances(text, file);
  } catch (error) {
    if (error instanceof InstancesFileError) throw new UsageError(`--ec2-instances: ${error.message}`);
    throw error;
  }
}

function checkEndpoint(endpoint: string): string {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--ec2-endpoint must be an http:// or https:// URL, not ${JSON.stringify(endpoint)}`);
  }
  return endpoint;
}
