import type { BackendPlugin } from '@backendkit/core';
import { awsLambdaPlugin } from '@backendkit/aws-lambda';
import { http2Plugin } from '@backendkit/http2';
import { kubernetesPlugin } from '@backendkit/kubernetes';
import { policyPlugins } from '@backendkit/policies';
import { staticPlugin } from '@backendkit/static';

/** The plugins the golden files run with: the backend types policies attach to, http2, and both policies. */
export function testPlugins(): BackendPlugin[] {
  return [staticPlugin(), kubernetesPlugin(), awsLambdaPlugin(), http2Plugin(), ...policyPlugins()];
}
