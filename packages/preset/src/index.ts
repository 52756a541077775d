import { createTranslator, type BackendPlugin, type CreateTranslatorOptions, type Translator } from '@backendkit/core';
import { staticPlugin } from '@backendkit/static';
import { kubernetesPlugin } from '@backendkit/kubernetes';
import { http2Plugin } from '@backendkit/http2';
import { awsLambdaPlugin } from '@backendkit/aws-lambda';
import { awsEc2Plugin } from '@backendkit/aws-ec2';
import { policyPlugins } from '@backendkit/policies';

/** The built-in plugins, in their default order; the policy plugins (BackendConfigPolicy, BackendTLSPolicy) last. */
export function builtinPlugins(): BackendPlugin[] {
  return [staticPlugin(), kubernetesPlugin(), awsLambdaPlugin(), awsEc2Plugin(), http2Plugin(), ...policyPlugins()];
}

/** A translator with every built-in plugin, plus any of yours (registered after them). */
export function createDefaultTranslator(options: Partial<CreateTranslatorOptions> = {}): Translator {
  const { plugins = [], ...rest } = options;
  return createTranslator({ ...rest, plugins: [...builtinPlugins(), ...plugins] });
}
