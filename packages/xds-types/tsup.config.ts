import { defineConfig } from 'tsup';

export default defineConfig({
  // `schema-table` is plain data for core's strict check (README, "Schema table").
  // `clusters` is its own entry so that importing it loads only the cluster side (README, "Import
  // cost"); splitting keeps one copy of each file for both entries (one descriptor per proto).
  entry: ['src/index.ts', 'src/clusters.ts', 'src/schema-table.ts'],
  format: ['esm', 'cjs'],
  splitting: true,
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
});
