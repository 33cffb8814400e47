/**
 * The shared corpus of real files lives outside the project (`../shared/data`). CI always has it;
 * a user's clone may not. Tests that need it use `describeCorpus`, which skips them with a
 * message that says why — they never pass silently.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe } from 'vitest';

export const CORPUS_DIR = resolve(import.meta.dirname, '../../../shared/data');
export const hasCorpus = existsSync(resolve(CORPUS_DIR, 'fit')) && existsSync(resolve(CORPUS_DIR, 'strava'));

let warned = false;

/** `describe` that runs only when the corpus is present, and says so loudly when it is not. */
export function describeCorpus(name: string, body: () => void): void {
  if (!hasCorpus && !warned) {
    warned = true;
    console.warn(`\n⚠ SKIPPED: corpus tests — the real-file corpus was not found at ${CORPUS_DIR}. These tests did not run.\n`);
  }
  describe.skipIf(!hasCorpus)(`${name} [corpus: ../shared/data]`, body);
}

export function corpusPath(...parts: string[]): string {
  return resolve(CORPUS_DIR, ...parts);
}

export function corpusBytes(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(corpusPath(...parts)));
}

export function corpusFitFiles(): string[] {
  return hasCorpus
    ? readdirSync(corpusPath('fit'))
        .filter((f) => f.endsWith('.fit'))
        .sort()
    : [];
}
