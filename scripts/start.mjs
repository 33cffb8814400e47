// `npm start`: runs the built bots (dist/bots/main.js) with plain Node, building dist/ first when it
// is missing or older than a source file, so that `npm ci && npm start` works on a fresh clone.
// tsx is for development only (`npm run cli`, the tests).
import { pathToFileURL } from 'node:url';
import { BUILT_MAIN, build, isStale } from './build.mjs';

if (isStale()) {
  process.stderr.write('domestique: building dist/ from the sources (about half a minute)…\n');
  try {
    build();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
await import(pathToFileURL(BUILT_MAIN).href);
