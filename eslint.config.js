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
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
