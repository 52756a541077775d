// `backendkit` run in this folder (or below it) registers the plugin after the built-in ones:
//   cd examples/custom-plugin && pnpm -w backendkit translate test/fixtures/plain.yaml
// (`-w`: the repository's script, which runs under tsx and so imports this TypeScript file).
// See docs/cli.md ("Custom plugins").
import type { BackendkitConfig } from '@backendkit/cli';
import { dynamicForwardProxyPlugin } from './src';

export default { plugins: [dynamicForwardProxyPlugin()] } satisfies BackendkitConfig;
