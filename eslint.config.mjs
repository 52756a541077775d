// Lint configuration (typescript-eslint flat config). `pnpm lint` runs it; see CONTRIBUTING.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The Node.js globals that scripts written as plain JavaScript use. */
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'require', 'module', 'exports', '__dirname', '__filename', 'Buffer', 'URL', 'setTimeout', 'clearTimeout'].map((name) => [
    name,
    'readonly',
  ]),
);

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'packages/xds-types/src/gen/**', 'docs/api/**', '.bench/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    rules: {
      // Plugin specs are typed by each plugin's schema; the contract's default type parameter is `any` on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // `_name` marks a parameter or binding that is there for its position (or to drop a key from a rest object).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Type-only imports are marked as such, so that a module loads only what it uses at run time.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
);
