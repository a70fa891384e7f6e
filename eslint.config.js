// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-control-regex': 'off',
      // Async methods that implement a promise interface (the Store on SQLite, test doubles) turn a
      // throw into a rejection as callers expect, so an async function without await is intended.
      '@typescript-eslint/require-await': 'off',
      // A service may throw anything; the SDK and the gateway pass on what was thrown, as it was.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  // This config file is plain JavaScript, outside the TypeScript project.
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
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
