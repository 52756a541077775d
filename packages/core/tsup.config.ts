import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per subpath export (package.json "exports").
  entry: { index: 'src/index.ts', helpers: 'src/helpers.ts', envoy: 'src/envoy.ts', schema: 'src/schema.ts' },
  format: ['esm', 'cjs'],
  // Shared modules go to shared chunks in both formats: module state (the loader's line index that
  // `lineOf` reads) must be one, whichever entry a module is reached through.
  splitting: true,
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
});
