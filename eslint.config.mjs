// ESLint flat config: ESLint's and typescript-eslint's recommended rules over the whole tree.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Build output, installed code and per-run test folders are not source.
    ignores: ['node_modules/**', 'dist/**', 'out/**', '.cache/**', '.vscode-test/**', 'test-artifacts/**', '**/*.vsix', 'src/core/wasm/assembly/**', 'bench/assembly/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names mark parameters an interface requires but the implementation ignores.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The webview bundle, and scripts that drive Chromium (their page functions run in the browser).
    files: ['webview/**', 'test/webview/**', 'bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests feed deliberately malformed values (bad weights files, wrong message shapes).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
