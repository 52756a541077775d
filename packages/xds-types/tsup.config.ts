import { defineConfig } from 'tsup';

export default defineConfig({
  // `clusters` is its own entry so that importing it loads only the cluster side (README, "Import
  // cost"); splitting keeps one copy of each file for both entries (one descriptor per proto).
  entry: ['src/index.ts', 'src/clusters.ts'],
  format: ['esm', 'cjs'],
  splitting: true,
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
});
