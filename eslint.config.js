// Lint rules, including the architecture's import boundaries (../shared/ARCHITECTURE.md):
// only bots/discord imports discord.js, only bots/telegram imports grammy, only src/llm/<provider>
// imports its SDK, src/domain does no I/O, and lower layers never import upper ones.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const sdkOwners = {
  'discord.js': 'bots/discord',
  '@discordjs/rest': 'bots/discord',
  '@discordjs/ws': 'bots/discord',
  'discord-api-types': 'bots/discord',
  grammy: 'bots/telegram',
  '@grammyjs/runner': 'bots/telegram',
  '@grammyjs/auto-retry': 'bots/telegram',
  '@anthropic-ai/sdk': 'src/llm/anthropic',
  ollama: 'src/llm/ollama',
  puppeteer: 'src/report',
  'better-sqlite3': 'src/store',
  'drizzle-orm': 'src/store',
};

const restrictSdks = (except = []) =>
  Object.entries(sdkOwners)
    .filter(([name]) => !except.includes(name))
    .map(([name, owner]) => ({
      regex: `^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/.*)?$`,
      message: `Only ${owner} may import ${name}.`,
    }));

const ioModules = [
  'node:fs',
  'node:fs/promises',
  'fs',
  'fs/promises',
  'node:net',
  'node:http',
  'node:https',
  'node:child_process',
  'node:worker_threads',
  'node:zlib',
  'node:crypto',
];

/** Layers below may not import layers above (domain < ingest/llm/store/report < orchestrator < conversation < app < bots). */
const upward = (...names) =>
  names.map((name) => ({ group: [`**/${name}/**`, `**/${name}`], message: `This layer may not import ${name}.` }));

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
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: restrictSdks() }] },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({ name, message: 'src/domain is pure: no I/O.' })),
          patterns: [...restrictSdks(), ...upward('ingest', 'llm', 'store', 'report', 'orchestrator', 'conversation', 'app', 'bots')],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'src/domain is pure: no I/O.' },
        { name: 'process', message: 'src/domain is pure: no environment.' },
      ],
    },
  },
  {
    files: ['src/ingest/**/*.ts', 'src/report/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...restrictSdks(['puppeteer']), ...upward('store', 'orchestrator', 'conversation', 'app', 'bots')] },
      ],
    },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...restrictSdks(['better-sqlite3', 'drizzle-orm']), ...upward('orchestrator', 'conversation', 'app', 'bots')] },
      ],
    },
  },
  {
    files: ['src/llm/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...restrictSdks(), ...upward('store', 'report', 'orchestrator', 'conversation', 'app', 'bots')] },
      ],
    },
  },
  {
    files: ['src/llm/anthropic/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...restrictSdks(['@anthropic-ai/sdk']), ...upward('store', 'report', 'orchestrator', 'conversation', 'app', 'bots')] },
      ],
    },
  },
  {
    files: ['src/llm/ollama/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...restrictSdks(['ollama']), ...upward('store', 'report', 'orchestrator', 'conversation', 'app', 'bots')] },
      ],
    },
  },
  {
    files: ['src/orchestrator/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...restrictSdks(), ...upward('conversation', 'app', 'bots')] }] },
  },
  {
    files: ['src/conversation/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...restrictSdks(), ...upward('app', 'bots')] }] },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...restrictSdks(), ...upward('bots')] }] },
  },
  {
    files: ['bots/discord/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: restrictSdks(['discord.js', '@discordjs/rest', '@discordjs/ws', 'discord-api-types']) },
      ],
    },
  },
  {
    files: ['bots/telegram/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: restrictSdks(['grammy', '@grammyjs/runner', '@grammyjs/auto-retry']) }] },
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
