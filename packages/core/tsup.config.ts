import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per subpath export (package.json "exports").
  entry: { index: 'src/index.ts', helpers: 'src/helpers.ts', envoy: 'src/envoy.ts', schema: 'src/schema.ts' },
  format: ['esm', 'cjs'],
  // import.meta.url in the CommonJS build too: ./src/lazy-require.ts loads protobuf-es on first use.
  shims: true,
  // Shared modules go to shared chunks in both formats: module state (the loader's line index that
  // `lineOf` reads) must be one, whichever entry a module is reached through.
  splitting: true,
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
});
