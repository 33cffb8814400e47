/**
 * The folder that holds package.json, prompts/ and migrations/, found from this module's own place
 * so that the same code works from src/ under tsx and from dist/src/ once built (`npm run build`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}: is domestique installed whole?`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project folder, e.g. projectPath('migrations'). */
export function projectPath(...parts: string[]): string {
  return resolve(PROJECT_ROOT, ...parts);
}
