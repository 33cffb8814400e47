// `npm run build`: compiles src/ and bots/ to dist/ with tsc (tsconfig.build.json), from a clean dist/.
// `isStale()` tells `npm start` whether dist/ is missing or older than a source file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUILT_MAIN = join(ROOT, 'dist/bots/main.js');
/** Written only after a build that succeeded: a failed or partial build is never run. */
const STAMP = join(ROOT, 'dist/.built');
const SOURCES = ['src', 'bots', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** True when dist/ is missing or a source file changed after it was built. */
export function isStale() {
  if (!existsSync(STAMP) || !existsSync(BUILT_MAIN)) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((name) => existsSync(join(ROOT, name)) && newestMtime(join(ROOT, name)) > built);
}

/** Compiles to a fresh dist/; throws with tsc's output when the build fails. */
export function build() {
  rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  if (!existsSync(tsc)) throw new Error('TypeScript is not installed: run `npm ci` (with dev dependencies) before building.');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`The build failed:\n${result.stdout}${result.stderr}`);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    build();
    process.stdout.write('Built dist/ (run it with `npm start`).\n');
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
