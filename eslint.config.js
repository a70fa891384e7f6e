// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-control-regex': 'off',
    },
  },
  {
    // The Videotex core runs unchanged in browsers and Node: no platform imports.
    files: ['src/videotex/**/*.ts'],
    ignores: ['src/videotex/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', '../*'] }],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'window', 'document'],
    },
  },
  {
    // Libraries return values and throw typed errors; only the CLI and server talk to the console.
    files: ['src/videotex/**/*.ts', 'src/render/**/*.ts', 'src/sdk/**/*.ts', 'src/store/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
);
