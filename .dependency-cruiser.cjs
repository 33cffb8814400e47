// Layer rules (docs/ARCHITECTURE.md), checked by `npm run lint` on every import, static or dynamic,
// type-only included. Each layer may import only layers below it:
//   domain < runtime (logger, project-root) | synthetic < ingest | llm | store | report | sync | jobs < orchestrator < conversation < app (+ src/cli.ts, src/config.ts) < bots
// Layers on one level do not import each other, and each SDK has one owner (src/store owns both database
// drivers, better-sqlite3 and pg, and drizzle).
/** @type {import('dependency-cruiser').IConfiguration} */

const LAYERS = [
  ['domain', '^src/domain/'],
  ['runtime', '^src/(logger|project-root)\\.ts$'],
  ['synthetic', '^src/synthetic/'],
  ['ingest', '^src/ingest/'],
  ['llm', '^src/llm/'],
  ['store', '^src/store/'],
  ['report', '^src/report/'],
  ['sync', '^src/sync/'],
  ['jobs', '^src/jobs/'],
  ['orchestrator', '^src/orchestrator/'],
  ['conversation', '^src/conversation/'],
  ['app', '^src/(app/|cli\\.ts$|config\\.ts$)'],
  ['bots', '^bots/'],
];
/** The level of each layer; a layer may import only lower levels (and shared utilities). */
const LEVEL = {
  domain: 0,
  runtime: 1,
  synthetic: 1,
  ingest: 2,
  llm: 2,
  store: 2,
  report: 2,
  sync: 2,
  jobs: 2,
  orchestrator: 3,
  conversation: 4,
  app: 5,
  bots: 6,
};
const pathOf = Object.fromEntries(LAYERS);

const layerRules = LAYERS.flatMap(([name, from]) => {
  const above = LAYERS.filter(([other]) => other !== name && LEVEL[other] >= LEVEL[name]).map(([, path]) => path);
  return above.length === 0
    ? []
    : [
        {
          name: `layer-${name}`,
          comment: `${name} may import only the layers below it (${
            LAYERS.filter(([o]) => LEVEL[o] < LEVEL[name])
              .map(([o]) => o)
              .join(', ') || 'none'
          }); see docs/ARCHITECTURE.md.`,
          severity: 'error',
          from: { path: from },
          to: { path: above },
        },
      ];
});

const SDK_OWNERS = [
  ['discord\\.js|@discordjs/[^/]+|discord-api-types', '^bots/discord/', 'discord.js'],
  ['grammy|@grammyjs/[^/]+', '^bots/telegram/', 'grammy'],
  ['@anthropic-ai/sdk', '^src/llm/anthropic/', '@anthropic-ai/sdk'],
  ['ollama', '^src/llm/ollama/', 'ollama'],
  ['puppeteer|puppeteer-core', '^src/report/', 'puppeteer'],
  ['better-sqlite3|drizzle-orm|pg|pg-pool', '^src/store/', 'the database drivers'],
  // pg-boss brings its own pool: the job queue owns it.
  ['pg-boss', '^src/jobs/', 'the job queue'],
  // Garmin's FIT SDK writes the .fit workout files; tests also decode with it (they are outside `from`).
  ['@garmin/fitsdk', '^src/domain/plan/fit-workout\\.ts$', '@garmin/fitsdk'],
];

const sdkRules = SDK_OWNERS.map(([module, owner, label]) => ({
  name: `sdk-owner-${label.replace(/[^a-z0-9]+/gi, '-')}`,
  comment: `Only ${owner.slice(1).replace(/\\(.)/g, '$1').replace(/\$$/, '')} may import ${label}.`,
  severity: 'error',
  from: { path: '^(src|bots)/', pathNot: owner },
  to: {
    dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
    path: `(^|/)node_modules/(${module})/`,
  },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    ...sdkRules,
    {
      name: 'domain-is-pure',
      comment: 'src/domain does no I/O: no file system, network, processes, threads, compression or crypto.',
      severity: 'error',
      from: { path: pathOf.domain },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|worker_threads|zlib|crypto|dgram|dns|tls)$',
      },
    },
    {
      name: 'production-not-tests',
      comment: 'Production code never imports tests, benchmarks or scripts.',
      severity: 'error',
      from: { path: '^(src|bots)/' },
      to: { path: '^(tests|bench|scripts)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
