// Lint rules. The architecture's import boundaries (which layer may import which, which SDK has
// which owner, src/domain does no I/O) are checked by dependency-cruiser (.dependency-cruiser.cjs),
// which `npm run lint` runs after ESLint; ESLint keeps what an import graph cannot see.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'scratch/**', 'out/**', 'migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'src/domain is pure: no I/O.' },
        { name: 'process', message: 'src/domain is pure: no environment.' },
      ],
    },
  },
  {
    // One module reads the environment; everything else is handed a Config.
    files: ['src/**/*.ts', 'bots/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts.' }],
    },
  },
  {
    // The store is asynchronous (a PostgreSQL adapter is): a store call without `await` is a
    // write whose failure nobody sees, or a promise read as if it were the row.
    files: ['src/**/*.ts', 'bots/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
