import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'public/data',
      'test-results',
      'bench/out',
      'coverage',
      '.tmp-*',
      '.bench-*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // src never imports scripts: shared code lives in src/core.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/scripts/**'], message: 'src must not import scripts/' }] },
      ],
    },
  },
  {
    // Features never import each other, nor the shell above them (src/shell: the views'
    // registry and the app around them); they share src/app, src/lib and src/core.
    files: ['src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/scripts/**'], message: 'src must not import scripts/' },
            {
              group: ['@/features/**', '../**'],
              message:
                'features must not import other features: reach src/lib, src/core or src/app through @/',
            },
            { group: ['@/shell/**'], message: 'features must not import the shell (src/shell)' },
          ],
        },
      ],
    },
  },
  {
    // The floors under the views: src/app (what the views share), src/lib and src/core never
    // import a view nor the shell, so that no import runs back up.
    files: ['src/app/**/*.{ts,tsx}', 'src/lib/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/scripts/**'], message: 'src must not import scripts/' },
            {
              group: ['@/features/**', '@/shell/**'],
              message: 'src/app and src/lib sit under the views: only src/shell imports them',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.value=/^@\\/(features|shell)\\//]',
          message: 'src/app and src/lib sit under the views: only src/shell loads them',
        },
      ],
    },
  },
  {
    // The pipeline stages must also run in a browser: no Node built-ins inside them.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'child_process'],
              message: 'pipeline stages are pure: no Node built-ins',
            },
          ],
        },
      ],
    },
  },
);
